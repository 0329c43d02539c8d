// SPDX-License-Identifier: GPL-2.0
/*
 * insn-count: a QEMU TCG plugin that counts the instructions a guest
 * executes in kernel mode, for `make bench` (Documentation/insn-count.rst
 * says why and how to read the figures).
 *
 *   qemu-system-x86_64 -accel tcg -smp 1 \
 *       -plugin insn-count.so,log=FILE[,ctl=FILE][,hist=on] ...
 *
 * Every kernel translation block (TB address in the upper half) calls back
 * into the plugin each time it runs; the callback adds its length to the
 * kernel count and to the TB's own count. User TBs only add to a user
 * count. The guest marks a window by executing, in user space, the 7-byte
 * no-op "nopl MAGIC(%rax)" (insn-mark.h). At each mark the plugin appends
 * to the log:
 *
 *   M SEQ KERNEL USER EXCLUDED     counts before the marking instruction
 *   R SEQ NAME INSNS CALLS MISSED  per root, cumulative (see below)
 *   H SEQ ADDR INSNS               with hist=on: each kernel TB address
 *                                  that ran since the previous mark (not
 *                                  at the first), and its instructions
 *                                  since then
 *
 * Roots ("X and below", inclusive counts): before a mark the guest may
 * write "NAME ADDR" lines into the ctl file (a host path it sees through
 * the VM's share); the plugin reads it again at a mark after it changed
 * (the counts start again from zero). The plugin keeps a
 * shadow call stack (the return address of every TB ending in a call,
 * popped when a TB starts there). A root's activation starts when its
 * first TB runs and ends when the TB at the return address then on top of
 * the shadow stack runs: right for a direct call, an indirect one through
 * a thunk, and a tail call into the root alike. Everything between counts,
 * interrupts included, but for what an "exclude" root (below) left out.
 * Nested activations of the same root count once
 * (the outermost). An entry with an empty shadow stack is not counted but
 * reported as MISSED. A root whose line ends in "exclude" (the timer
 * interrupt: its share of a window depends on how long the window took
 * in real time) is left out of KERNEL and of the histogram, and counted in
 * EXCLUDED instead; its R line still gives its inclusive count.
 *
 * There is one global set of counters and no locking on the execution
 * path: the counts are exact only when one thread runs all vCPUs (-smp 1,
 * or -accel tcg,thread=single). The plugin refuses to load otherwise.
 *
 * QEMU ships no qemu-plugin.h in the distribution package: the few ABI
 * declarations this plugin uses (plugin API version 1, QEMU 7.2) follow.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/stat.h>

#include "insn-mark.h"

/* ---- QEMU plugin ABI, version 1 ---- */
typedef uint64_t qemu_plugin_id_t;

typedef struct {
	const char *target_name;
	struct {
		int min;
		int cur;
	} version;
	bool system_emulation;
	union {
		struct {
			int smp_vcpus;
			int max_vcpus;
		} system;
	};
} qemu_info_t;

struct qemu_plugin_tb;
struct qemu_plugin_insn;

enum qemu_plugin_cb_flags {
	QEMU_PLUGIN_CB_NO_REGS,
	QEMU_PLUGIN_CB_R_REGS,
	QEMU_PLUGIN_CB_RW_REGS,
};

enum qemu_plugin_op {
	QEMU_PLUGIN_INLINE_ADD_U64,
};

typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id,
					       struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index,
					    void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

#define PLUGIN_EXPORT __attribute__((visibility("default")))

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
					   qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb,
					  qemu_plugin_vcpu_udata_cb_t cb,
					  enum qemu_plugin_cb_flags flags,
					  void *userdata);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb,
					      enum qemu_plugin_op op,
					      void *ptr, uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
					    qemu_plugin_vcpu_udata_cb_t cb,
					    enum qemu_plugin_cb_flags flags,
					    void *userdata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
				    qemu_plugin_udata_cb_t cb, void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb,
						 size_t idx);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_outs(const char *string);

PLUGIN_EXPORT int qemu_plugin_version = 1;
/* ---- end of the ABI ---- */

#define KERNEL_BASE	0xffff800000000000ULL
#define MAX_ROOTS	32
#define MAX_DEPTH	64
#define ROOT_NAME	64
#define SHADOW_MAX	512
#define SHADOW_SCAN	16

/* One translated kernel TB (a retranslation gets a new one). */
struct tb_count {
	uint64_t vaddr;
	uint64_t insns;		/* executed, in total */
	uint64_t marked;	/* insns at the previous mark */
	uint64_t ret;		/* return address if the TB ends in a call */
	uint32_t n;		/* instructions in the TB */
	uint32_t root_gen;	/* roots[] generation root was computed for */
	int root;		/* index in roots[] of the root it starts, or -1 */
	struct tb_count *next;
};

struct root {
	char name[ROOT_NAME];
	uint64_t addr;
	uint64_t insns, calls, missed;
	uint64_t start;			/* root_clock() at the outermost entry */
	bool exclude;			/* left out of the kernel count */
	uint64_t rets[MAX_DEPTH];	/* return addresses, innermost last */
	int depth;
};

static pthread_mutex_t tbs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct tb_count *tbs;
static uint64_t kernel_insns, user_insns, excluded_insns, all_insns, marks;
static struct root roots[MAX_ROOTS];
static int n_roots, active_roots, excluding;
static uint32_t roots_gen = 1;
static uint64_t prev_call_ret;
static uint64_t shadow[SHADOW_MAX];
static int shadow_depth;
static FILE *log_file;
static const char *ctl_path;
static bool hist;

static void load_roots(void)
{
	static struct stat seen;
	char line[256], name[ROOT_NAME], flag[8];
	struct stat st;
	uint64_t addr;
	int n;
	FILE *f;

	/* Roots are only replaced when the file changed and none is active. */
	if (!ctl_path || active_roots || stat(ctl_path, &st) ||
	    (st.st_mtim.tv_sec == seen.st_mtim.tv_sec &&
	     st.st_mtim.tv_nsec == seen.st_mtim.tv_nsec && st.st_size == seen.st_size))
		return;
	seen = st;
	f = fopen(ctl_path, "r");
	if (!f)
		return;
	n_roots = 0;
	while (n_roots < MAX_ROOTS && fgets(line, sizeof(line), f)) {
		n = sscanf(line, "%63s %" SCNx64 " %7s", name, &addr, flag);
		if (n < 2)
			continue;
		memset(&roots[n_roots], 0, sizeof(roots[n_roots]));
		strcpy(roots[n_roots].name, name);
		roots[n_roots].addr = addr;
		roots[n_roots].exclude = n == 3 && !strcmp(flag, "exclude");
		n_roots++;
	}
	fclose(f);
	roots_gen++;
}

static void mark(unsigned int vcpu, void *udata)
{
	struct tb_count *t;
	int i;

	(void)vcpu;
	(void)udata;
	marks++;
	fprintf(log_file, "M %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 "\n",
		marks, kernel_insns, user_insns, excluded_insns);
	for (i = 0; i < n_roots; i++)
		fprintf(log_file, "R %" PRIu64 " %s %" PRIu64 " %" PRIu64 " %" PRIu64 "\n",
			marks, roots[i].name, roots[i].insns, roots[i].calls,
			roots[i].missed);
	pthread_mutex_lock(&tbs_lock);
	for (t = tbs; t; t = t->next) {
		if (hist && marks > 1 && t->insns != t->marked)
			fprintf(log_file, "H %" PRIu64 " %" PRIx64 " %" PRIu64 "\n",
				marks, t->vaddr, t->insns - t->marked);
		t->marked = t->insns;
	}
	pthread_mutex_unlock(&tbs_lock);
	fflush(log_file);
	load_roots();
}

static int root_of(struct tb_count *t)
{
	int i;

	if (t->root_gen != roots_gen) {
		t->root = -1;
		for (i = 0; i < n_roots; i++)
			if (roots[i].addr == t->vaddr)
				t->root = i;
		t->root_gen = roots_gen;
	}
	return t->root;
}

/*
 * What a root's count runs on, @before being all_insns before the current
 * TB: an exclude root counts everything it runs, any other root only the
 * kernel instructions left in (so a tick inside it is not its own);
 * kernel_insns is not yet advanced for the current TB here.
 */
static uint64_t root_clock(const struct root *r, uint64_t before)
{
	return r->exclude ? before : kernel_insns;
}

static void enter_root(struct root *r, uint64_t before)
{
	if (!shadow_depth || r->depth == MAX_DEPTH) {
		r->missed++;
		return;
	}
	if (!r->depth++) {
		r->start = root_clock(r, before);
		active_roots++;
		excluding += r->exclude;
	}
	r->rets[r->depth - 1] = shadow[shadow_depth - 1];
}

static void leave_roots(uint64_t vaddr, uint64_t before)
{
	struct root *r;
	int i;

	for (i = 0; i < n_roots; i++) {
		r = &roots[i];
		while (r->depth && r->rets[r->depth - 1] == vaddr) {
			if (--r->depth)
				continue;
			r->insns += root_clock(r, before) - r->start;
			r->calls++;
			active_roots--;
			excluding -= r->exclude;
		}
	}
}

/*
 * The shadow call stack: the return addresses of the calls made and not
 * yet returned to. A TB at one of the top few pops down to it (a frame
 * may be left without returning, as from a context switch); the oldest
 * entries fall off the bottom.
 */
static void shadow_push(uint64_t ret)
{
	if (shadow_depth == SHADOW_MAX) {
		memmove(shadow, shadow + SHADOW_MAX / 2, sizeof(shadow) / 2);
		shadow_depth -= SHADOW_MAX / 2;
	}
	shadow[shadow_depth++] = ret;
}

static void shadow_pop_to(uint64_t vaddr)
{
	int i;

	for (i = shadow_depth - 1; i >= 0 && i >= shadow_depth - SHADOW_SCAN; i--)
		if (shadow[i] == vaddr) {
			shadow_depth = i;
			return;
		}
}

static void kernel_tb(unsigned int vcpu, void *udata)
{
	struct tb_count *t = udata;
	uint64_t before = all_insns;
	int r;

	(void)vcpu;
	all_insns += t->n;
	if (n_roots) {
		if (prev_call_ret)
			shadow_push(prev_call_ret);
		prev_call_ret = t->ret;
		shadow_pop_to(t->vaddr);
		if (active_roots)
			leave_roots(t->vaddr, before);
		r = root_of(t);
		if (r >= 0)
			enter_root(&roots[r], before);
	}
	if (excluding) {
		excluded_insns += t->n;
		return;
	}
	kernel_insns += t->n;
	t->insns += t->n;
}

/*
 * The return address if @insn is a call (direct, or indirect: FF /2). A
 * direct call a few bytes forward is a retpoline's trick, not a call: its
 * return address is overwritten and never returned to.
 */
static uint64_t call_return(const struct qemu_plugin_insn *insn)
{
	const uint8_t *p = qemu_plugin_insn_data(insn);
	size_t len = qemu_plugin_insn_size(insn), i = 0;

	while (i < len && (p[i] == 0x2e || p[i] == 0x3e || p[i] == 0x26 ||
			   p[i] == 0x36 || p[i] == 0x64 || p[i] == 0x65 ||
			   p[i] == 0x66 || p[i] == 0x67 || p[i] == 0xf2 ||
			   p[i] == 0xf3 || (p[i] & 0xf0) == 0x40))
		i++;
	if (i + 5 == len && p[i] == 0xe8) {
		int32_t rel;

		memcpy(&rel, p + i + 1, sizeof(rel));
		if (rel >= 0 && rel < 32)
			return 0;
		return qemu_plugin_insn_vaddr(insn) + len;
	}
	if (i + 1 < len && p[i] == 0xff && ((p[i + 1] >> 3) & 7) == 2)
		return qemu_plugin_insn_vaddr(insn) + len;
	return 0;
}

static bool is_mark(const struct qemu_plugin_insn *insn)
{
	static const uint8_t magic[] = INSN_MARK_BYTES;

	return qemu_plugin_insn_size(insn) == sizeof(magic) &&
	       !memcmp(qemu_plugin_insn_data(insn), magic, sizeof(magic));
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	uint64_t vaddr = qemu_plugin_tb_vaddr(tb);
	size_t n = qemu_plugin_tb_n_insns(tb), i;
	struct qemu_plugin_insn *insn;
	struct tb_count *t;

	(void)id;
	if (vaddr < KERNEL_BASE) {
		qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
							 &user_insns, n);
		for (i = 0; i < n; i++) {
			insn = qemu_plugin_tb_get_insn(tb, i);
			if (is_mark(insn))
				qemu_plugin_register_vcpu_insn_exec_cb(insn, mark,
								       QEMU_PLUGIN_CB_NO_REGS,
								       NULL);
		}
		return;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		abort();
	t->vaddr = vaddr;
	t->n = n;
	t->ret = n ? call_return(qemu_plugin_tb_get_insn(tb, n - 1)) : 0;
	t->root = -1;
	pthread_mutex_lock(&tbs_lock);
	t->next = tbs;
	tbs = t;
	pthread_mutex_unlock(&tbs_lock);
	qemu_plugin_register_vcpu_tb_exec_cb(tb, kernel_tb, QEMU_PLUGIN_CB_NO_REGS, t);
}

static void at_exit(qemu_plugin_id_t id, void *udata)
{
	(void)id;
	(void)udata;
	fprintf(log_file, "E %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 "\n",
		marks, kernel_insns, user_insns, excluded_insns);
	fclose(log_file);
}

PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
				      int argc, char **argv)
{
	const char *log_path = NULL;
	char msg[256];
	int i;

	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "log=", 4))
			log_path = argv[i] + 4;
		else if (!strncmp(argv[i], "ctl=", 4))
			ctl_path = argv[i] + 4;
		else if (!strcmp(argv[i], "hist=on"))
			hist = true;
		else if (strcmp(argv[i], "hist=off")) {
			snprintf(msg, sizeof(msg), "insn-count: unknown argument '%s'\n",
				 argv[i]);
			qemu_plugin_outs(msg);
			return -1;
		}
	}
	if (!info->system_emulation || strcmp(info->target_name, "x86_64")) {
		qemu_plugin_outs("insn-count: needs x86_64 system emulation\n");
		return -1;
	}
	if (info->system.max_vcpus > 1) {
		qemu_plugin_outs("insn-count: counts are exact with one vCPU only (-smp 1)\n");
		return -1;
	}
	if (!log_path) {
		qemu_plugin_outs("insn-count: needs log=FILE\n");
		return -1;
	}
	log_file = fopen(log_path, "w");
	if (!log_file) {
		qemu_plugin_outs("insn-count: cannot open the log\n");
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
