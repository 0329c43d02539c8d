/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host-routing fast path, per network namespace.
 */
#ifndef _CLNET_FASTPATH_H
#define _CLNET_FASTPATH_H

#include <linux/build_bug.h>
#include <linux/clnet.h>
#include <linux/types.h>

struct iphdr;
struct net;

/*
 * Why a packet was left to the kernel: the fallback counters, in the
 * ABI's order (enum clnet_fastpath_fallback_attrs from
 * CLNET_FP_FALLBACK_A_TTL).
 */
enum clnet_fp_reason {
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

struct clnet_fp_counters {
	u64 forwarded;	/* all the fast path took, the direct ones included */
	u64 direct;	/* taken at the pair's transmit */
	u64 nat[2];	/* of NATed flows, by conntrack direction */
	u64 fallback[CLNET_FP_NR_REASONS];
};

int clnet_fp_init(void);
void clnet_fp_exit(void);

/* Under the genl mutex (or in netns teardown); may sleep. */
int clnet_fp_set(struct net *net, bool enable);
bool clnet_fp_enabled(const struct net *net);
void clnet_fp_read(const struct net *net, struct clnet_fp_counters *c);

#if IS_ENABLED(CONFIG_KUNIT)
bool clnet_fp_iph_is_plain(const struct iphdr *iph, unsigned int len);
#endif

#endif /* _CLNET_FASTPATH_H */
