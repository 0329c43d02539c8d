// SPDX-License-Identifier: GPL-2.0
/*
 * The fast path's input route cache.
 *
 * ip_route_input_noref() costs a forwarded packet two FIB walks' worth of
 * work (the lookup and, for source validation, often a second one) even
 * though, for a forwarding node, the result it attaches is the next hop's
 * own cached route (nhc_rth_input) and the same for every packet of a
 * flow. This cache remembers that route per CPU, in a small direct-mapped
 * table keyed by everything the lookup reads from the packet and the
 * receiving device: addresses, TOS, mark, input device and the device's
 * routing sysctls. An entry is used only while the kernel would still
 * return the same route:
 *
 *  - the netns' route generation is unchanged: the kernel bumps it for any
 *    change of routes, rules, addresses, device state and the forwarding
 *    and local-route sysctls (rt_cache_flush());
 *  - the route itself is still valid: a new next-hop exception (a learnt
 *    PMTU or redirect) or the next hop's removal marks it obsolete (an
 *    exception's own route is never cached: its expiry is only noticed
 *    by a lookup);
 *  - the device's rp_filter, forwarding, accept_local, src_valid_mark and
 *    send_redirects settings are the ones it was looked up with (not all
 *    their changes bump the generation);
 *  - the lookup's result did not depend on the ports: no rule matches on
 *    them and multipath hashes on addresses only (policy 0); ICMP, whose
 *    multipath hash may come from the inner header, is never cached.
 *
 * Only results the kernel itself caches are kept (a next hop's route, no
 * routing realm, no redirect to send), and each entry holds a reference,
 * so that a route replaced in the FIB stays valid memory until the entry
 * notices and lets go. On a miss or collision the kernel's lookup runs as
 * before and its result replaces the entry: a flood of new flows costs
 * what it cost without the cache, and the memory is fixed.
 */
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/hash.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <net/dst.h>
#include <net/ip.h>
#include <net/net_namespace.h>
#include <net/route.h>

#include "routecache.h"

#define CLNET_RCACHE_BITS	8
#define CLNET_RCACHE_SIZE	BIT(CLNET_RCACHE_BITS)

struct clnet_rcache_entry {
	__be32 daddr;
	__be32 saddr;
	int iif;
	u32 mark;
	int genid;
	u32 devconf;
	u16 ipcb_flags;	/* what the lookup set in IPCB(skb)->flags */
	u8 tos;
	struct rtable *rt;	/* held; NULL for an empty entry */
};

struct clnet_rcache_cpu {
	struct clnet_rcache_entry e[CLNET_RCACHE_SIZE];
};

struct clnet_rcache {
	struct clnet_rcache_cpu __percpu *cpu;
	u32 seed;
};

/*
 * The receiving device's settings that the lookup reads and whose change
 * does not always flush routes: rp_filter, send_redirects and
 * src_valid_mark never do; forwarding and accept_local do when written
 * through sysctl, not through netlink. Each is read as the IN_DEV_*()
 * macro the lookup uses combines it with "all" (rp_filter the larger,
 * forwarding the device's own, the others either), without branches.
 */
static u32 clnet_rcache_devconf(const struct net *net,
				const struct in_device *idev)
{
	const int *all = net->ipv4.devconf_all->data, *dev = idev->cnf.data;
	enum {
		RPF = IPV4_DEVCONF_RP_FILTER - 1,
		FWD = IPV4_DEVCONF_FORWARDING - 1,
		ALOCAL = IPV4_DEVCONF_ACCEPT_LOCAL - 1,
		VMARK = IPV4_DEVCONF_SRC_VMARK - 1,
		REDIR = IPV4_DEVCONF_SEND_REDIRECTS - 1,
	};

	return min(max(all[RPF], dev[RPF]), 0xff) |
	       !!dev[FWD] << 8 |
	       !!(all[ALOCAL] | dev[ALOCAL]) << 9 |
	       !!(all[VMARK] | dev[VMARK]) << 10 |
	       !!(all[REDIR] | dev[REDIR]) << 11;
}

/* Could the kernel's lookup for @iph depend on more than the key? */
static bool clnet_rcache_bypass(const struct net *net, const struct iphdr *iph)
{
	if (iph->protocol == IPPROTO_ICMP)
		return true;
#ifdef CONFIG_IP_MULTIPLE_TABLES
	if (READ_ONCE(net->ipv4.fib_rules_require_fldissect))
		return true;
#endif
#ifdef CONFIG_IP_ROUTE_MULTIPATH
	if (READ_ONCE(net->ipv4.sysctl_fib_multipath_hash_policy))
		return true;
#endif
	return false;
}

int clnet_rcache_input(struct clnet_rcache *rc, struct sk_buff *skb,
		       const struct iphdr *iph, struct net_device *in)
{
	struct in_device *idev = __in_dev_get_rcu(in);
	struct clnet_rcache_entry *e;
	struct net *net = dev_net(in);
	u8 tos = iph->tos & IPTOS_RT_MASK;
	struct rtable *rt;
	int genid, err;
	u32 devconf;

	if (!idev || clnet_rcache_bypass(net, iph))
		return ip_route_input_noref(skb, iph->daddr, iph->saddr,
					    iph->tos, in);

	devconf = clnet_rcache_devconf(net, idev);
	genid = rt_genid_ipv4(net);
	/* A collision only costs a lookup: a fast hash, seeded per cache. */
	e = &this_cpu_ptr(rc->cpu)->e[hash_32((__force u32)(iph->daddr ^ iph->saddr) ^
					      in->ifindex ^ rc->seed,
					      CLNET_RCACHE_BITS)];
	rt = e->rt;
	if (rt && e->daddr == iph->daddr && e->saddr == iph->saddr &&
	    e->iif == in->ifindex && e->mark == skb->mark && e->tos == tos &&
	    e->devconf == devconf && e->genid == genid &&
	    READ_ONCE(rt->dst.obsolete) == DST_OBSOLETE_FORCE_CHK) {
		skb_dst_set_noref(skb, &rt->dst);
		IPCB(skb)->flags |= e->ipcb_flags;
		return 0;
	}

	err = ip_route_input_noref(skb, iph->daddr, iph->saddr, iph->tos, in);
	if (err)
		return err;
	/*
	 * What the kernel caches itself: a next hop's route, nothing per
	 * packet. Not an exception's (a learnt PMTU or redirect): one that
	 * expires is only noticed by a lookup.
	 */
	rt = skb_rtable(skb);
	if (!skb_dst_is_noref(skb) || rt->rt_type != RTN_UNICAST ||
	    (IPCB(skb)->flags & IPSKB_DOREDIRECT) ||
	    (rt->rt_flags & RTCF_REDIRECTED) || rt->rt_pmtu ||
	    !dst_hold_safe(&rt->dst))
		return 0;
	if (e->rt)
		dst_release(&e->rt->dst);
	*e = (struct clnet_rcache_entry) {
		.daddr = iph->daddr,
		.saddr = iph->saddr,
		.iif = in->ifindex,
		.mark = skb->mark,
		.genid = genid,	/* read before the lookup: never newer than it */
		.ipcb_flags = IPCB(skb)->flags & (IPSKB_NOPOLICY | IPSKB_MULTIPATH),
		.tos = tos,
		.devconf = devconf,
		.rt = rt,
	};
	return 0;
}

struct clnet_rcache *clnet_rcache_alloc(void)
{
	struct clnet_rcache *rc = kzalloc(sizeof(*rc), GFP_KERNEL);

	if (!rc)
		return NULL;
	rc->cpu = alloc_percpu(struct clnet_rcache_cpu);
	if (!rc->cpu) {
		kfree(rc);
		return NULL;
	}
	rc->seed = get_random_u32();
	return rc;
}

void clnet_rcache_free(struct clnet_rcache *rc)
{
	int cpu, i;

	if (!rc)
		return;
	for_each_possible_cpu(cpu) {
		struct clnet_rcache_cpu *c = per_cpu_ptr(rc->cpu, cpu);

		for (i = 0; i < CLNET_RCACHE_SIZE; i++)
			if (c->e[i].rt)
				dst_release(&c->e[i].rt->dst);
	}
	free_percpu(rc->cpu);
	kfree(rc);
}
