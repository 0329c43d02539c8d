/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fast path's input route cache: the kernel's own input route for a
 * flow, remembered per CPU so that the next packet of the flow skips the
 * FIB lookup and source validation while nothing they depend on changed.
 */
#ifndef _CLNET_ROUTECACHE_H
#define _CLNET_ROUTECACHE_H

#include <linux/types.h>

struct clnet_rcache;
struct iphdr;
struct net_device;
struct sk_buff;

/* May sleep. NULL if out of memory. */
struct clnet_rcache *clnet_rcache_alloc(void);
/*
 * Drop every cached route and free the cache, once no CPU can be using
 * it any more (after an RCU grace period).
 */
void clnet_rcache_free(struct clnet_rcache *rc);

/*
 * As ip_route_input_noref(skb, iph->daddr, iph->saddr, iph->tos, in),
 * with BHs off and under RCU: 0 with the route attached to @skb, or the
 * kernel's error.
 */
int clnet_rcache_input(struct clnet_rcache *rc, struct sk_buff *skb,
		       const struct iphdr *iph, struct net_device *in);

#endif /* _CLNET_ROUTECACHE_H */
