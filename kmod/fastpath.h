/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fast path's fallback reasons, as counted per CPU. Their order is the
 * ABI's (enum clnet_fastpath_fallback_attrs, from CLNET_FP_FALLBACK_A_TTL).
 */
#ifndef _CLNET_FASTPATH_H
#define _CLNET_FASTPATH_H

#include <linux/build_bug.h>
#include <linux/clnet.h>
#include <linux/ip.h>
#include <net/checksum.h>

enum clnet_fp_reason {
	CLNET_FP_DIRECT = -3,	/* taken at the pair's transmit */
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

/*
 * An IPv4 header that ip_rcv_core() would take as it is, in a packet of
 * @len bytes: version 4, no options, a correct checksum and nothing to
 * trim. Only such a packet from a pod may skip the node's receive path.
 * @iph must have at least sizeof(struct iphdr) bytes readable.
 */
static inline bool clnet_fp_iph_is_plain(const struct iphdr *iph,
					 unsigned int len)
{
	return iph->version == 4 && iph->ihl == 5 &&
	       ntohs(iph->tot_len) == len &&
	       !ip_fast_csum((const u8 *)iph, iph->ihl);
}

#endif /* _CLNET_FASTPATH_H */
