/* SPDX-License-Identifier: GPL-2.0 */
/*
 * insn_mark(): mark a measurement window for the insn-count QEMU plugin
 * (Documentation/insn-count.rst). It is a no-op on any CPU, "nopl
 * 0x6e6c6363(%rax)", whose displacement spells "ccln": the plugin looks
 * for exactly these bytes in user-space code and logs its counters each
 * time they run. Outside the plugin it costs one no-op.
 */
#ifndef CLNET_INSN_MARK_H
#define CLNET_INSN_MARK_H

#define INSN_MARK_BYTES { 0x0f, 0x1f, 0x80, 0x63, 0x63, 0x6c, 0x6e }

static inline void insn_mark(void)
{
	__asm__ volatile(".byte 0x0f, 0x1f, 0x80, 0x63, 0x63, 0x6c, 0x6e" ::: "memory");
}

#endif
