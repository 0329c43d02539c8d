/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TAP output for the host-side unit tests: one ok() per case, tap_end()
 * for the plan and the exit status.
 */
#ifndef CLNETCTL_TAP_H
#define CLNETCTL_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int n_run, n_failed;

static inline void tap_begin(void)
{
	printf("TAP version 13\n");
}

__attribute__((format(printf, 2, 3)))
static inline void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	n_run++;
	if (!cond)
		n_failed++;
	printf("%sok %d - ", cond ? "" : "not ", n_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Print the plan; returns the exit status (1 if any case failed). */
static inline int tap_end(void)
{
	printf("1..%d\n", n_run);
	printf("# %d of %d cases passed\n", n_run - n_failed, n_run);
	return n_failed ? 1 : 0;
}

#endif /* CLNETCTL_TAP_H */
