/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fast path's fallback reasons, as counted per CPU. Their order is the
 * ABI's (enum clnet_fastpath_fallback_attrs, from CLNET_FP_FALLBACK_A_TTL).
 */
#ifndef _CLNET_FASTPATH_H
#define _CLNET_FASTPATH_H

#include <linux/build_bug.h>
#include <linux/clnet.h>

enum clnet_fp_reason {
	CLNET_FP_NOT_OURS = -2,	/* not forwarded pod traffic: not counted */
	CLNET_FP_FORWARDED = -1,	/* taken by the fast path */
	CLNET_FP_TTL,
	CLNET_FP_MTU,
	CLNET_FP_NEIGH,
	CLNET_FP_CONNTRACK,
	CLNET_FP_ROUTE,
	CLNET_FP_SOURCE,
	CLNET_FP_REDIRECT,
	CLNET_FP_OPTIONS,
	CLNET_FP_OTHER,

	CLNET_FP_NR_REASONS,
};

static_assert(CLNET_FP_NR_REASONS ==
	      CLNET_FP_FALLBACK_A_MAX - CLNET_FP_FALLBACK_A_TTL + 1);
static_assert(CLNET_FP_FALLBACK_A_TTL + CLNET_FP_OTHER == CLNET_FP_FALLBACK_A_OTHER);

#endif /* _CLNET_FASTPATH_H */
