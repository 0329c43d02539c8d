// SPDX-License-Identifier: GPL-2.0
/*
 * The host-routing fast path: forwarded IPv4 traffic to and from pods
 * skips the kernel's forwarding path (ip_forward, netfilter FORWARD and
 * POSTROUTING, ip_output), the way Cilium's eBPF host routing does.
 *
 * A netfilter hook at the very end of PRE_ROUTING (after conntrack, DNAT
 * and any PRE_ROUTING rule) asks the kernel's own input route where the
 * packet goes, and either hands it straight to the egress device (a clnet
 * primary, whose peer is the pod, or an uplink with a usable neighbour
 * entry for the next hop) or lets the kernel carry on. Whenever the kernel
 * would do more than route, decrement the TTL and transmit (ICMP errors,
 * fragmentation, neighbour resolution, NAT, IP options), the packet falls
 * back, so results are the same with the fast path on or off; only
 * FORWARD/POSTROUTING rules are not seen by fast-pathed packets, as with
 * eBPF host routing.
 */
#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/netfilter.h>
#include <linux/netfilter_bridge.h>
#include <linux/netfilter_ipv4.h>
#include <linux/xfrm.h>
#include <net/arp.h>
#include <net/ip.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_extend.h>
#include <net/route.h>
#include <net/xfrm.h>

#include "clnet.h"
#include "fastpath.h"

/* On while any netns has the fast path on (clnet_fastpath_pod_egress()). */
DEFINE_STATIC_KEY_FALSE(clnet_fp_in_use);

struct clnet_fp_stats {
	u64_stats_t forwarded;
	u64_stats_t direct;
	u64_stats_t fallback[CLNET_FP_NR_REASONS];
	struct u64_stats_sync syncp;
};

static void clnet_fp_count(struct clnet_net *cn, int reason)
{
	struct clnet_fp_stats *s = this_cpu_ptr(cn->fp_stats);

	u64_stats_update_begin(&s->syncp);
	if (reason >= 0) {
		u64_stats_inc(&s->fallback[reason]);
	} else {
		u64_stats_inc(&s->forwarded);
		if (reason == CLNET_FP_DIRECT)
			u64_stats_inc(&s->direct);
	}
	u64_stats_update_end(&s->syncp);
}

/* SYNPROXY adjusts sequence numbers of the connections it set up. */
static bool clnet_fp_ct_synproxy(const struct nf_conn *ct)
{
#if IS_ENABLED(CONFIG_NETFILTER_SYNPROXY)
	return __nf_ct_ext_exist(ct->ext, NF_CT_EXT_SYNPROXY);
#else
	return false;
#endif
}

/*
 * Conntrack must see new connections confirmed, NATed ones translated and
 * those with a helper (FTP, SIP, ...) inspected, and TCP sequence numbers
 * and timestamps adjusted (IPS_SEQ_ADJUST; SYNPROXY, even before it sets
 * that bit): all of that happens after PRE_ROUTING.
 * A flow whose reply tuple is not the original one reversed is translated
 * by someone (NAT, or IPVS, which rewrites replies in FORWARD and sets no
 * NAT bit). (Extensions are tested inline, so that clnet.ko needs no
 * symbol of nf_conntrack.ko.)
 */
static bool clnet_fp_conntrack_needs_kernel(const struct sk_buff *skb)
{
	const struct nf_conntrack_tuple *orig, *reply;
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	if (!ct)
		return false;
	if (!nf_ct_is_confirmed(ct) ||
	    (ct->status & (IPS_NAT_MASK | IPS_SEQ_ADJUST)))
		return true;
	if (ct->ext && (__nf_ct_ext_exist(ct->ext, NF_CT_EXT_HELPER) ||
			clnet_fp_ct_synproxy(ct)))
		return true;
	orig = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	reply = &ct->tuplehash[IP_CT_DIR_REPLY].tuple;
	return orig->src.u3.ip != reply->dst.u3.ip ||
	       orig->dst.u3.ip != reply->src.u3.ip;
}

/* Packets br_netfilter passes through PRE_ROUTING are bridged, not ours. */
static bool clnet_fp_is_bridged(const struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_BRIDGE_NETFILTER)
	return nf_bridge_info_exists(skb);
#else
	return false;
#endif
}

/*
 * IPsec: ip_forward() checks the FWD policy (or the default, or a
 * decrypted packet's secpath against it) and routes through the OUT one.
 */
static bool clnet_fp_xfrm_needs_kernel(struct net *net, struct sk_buff *skb)
{
#ifdef CONFIG_XFRM
	return !__xfrm_check_nopolicy(net, skb, XFRM_POLICY_FWD) ||
	       READ_ONCE(net->xfrm.policy_count[XFRM_POLICY_OUT]) ||
	       READ_ONCE(net->xfrm.policy_default[XFRM_POLICY_OUT]) !=
			XFRM_USERPOLICY_ACCEPT;
#else
	return false;
#endif
}

/* Does @skb fit @mtu? A GSO packet is judged by its segments. */
static bool clnet_fp_fits(const struct sk_buff *skb, unsigned int mtu)
{
	return skb_is_gso(skb) ? skb_gso_validate_network_len(skb, mtu) :
				 skb->len <= mtu;
}

/*
 * Decide. The kernel's own input route (ip_route_input_noref(), as
 * ip_rcv_finish() would ask for it) settles where the packet goes, with
 * all that takes: policy rules, source validation and reverse-path
 * filtering, multipath, next-hop exceptions. Returns the egress device,
 * with that route attached to @skb and @nexthop set; or NULL with @reason
 * set, a CLNET_FP_* reason or CLNET_FP_NOT_OURS for traffic that is not
 * forwarded pod traffic, left alone and uncounted. A fallback keeps the
 * route: the kernel would find the same one and does not look again.
 */
static struct net_device *clnet_fp_route(struct sk_buff *skb,
					 struct net_device *in, __be32 *nexthop,
					 int *reason)
{
	const struct iphdr *iph = ip_hdr(skb);
	bool from_pod = clnet_link_is_primary(in);
	struct net_device *out;
	struct rtable *rt;

	*reason = CLNET_FP_NOT_OURS;
	if (skb->pkt_type != PACKET_HOST || skb_dst(skb) ||
	    netif_is_l3_slave(in) || clnet_fp_is_bridged(skb) ||
	    ipv4_is_multicast(iph->daddr) || ipv4_is_lbcast(iph->daddr) ||
	    ipv4_is_zeronet(iph->daddr) || ipv4_is_loopback(iph->daddr) ||
	    ipv4_is_multicast(iph->saddr) || ipv4_is_lbcast(iph->saddr) ||
	    ipv4_is_zeronet(iph->saddr) || ipv4_is_loopback(iph->saddr))
		return NULL;

	if (ip_route_input_noref(skb, iph->daddr, iph->saddr, iph->tos, in)) {
		/* A martian or reverse-path-filtered source: the kernel drops it. */
		if (from_pod)
			*reason = CLNET_FP_SOURCE;
		return NULL;
	}
	rt = skb_rtable(skb);
	out = rt->dst.dev;
	if (rt->rt_type == RTN_LOCAL || rt->rt_type == RTN_BROADCAST ||
	    (!from_pod && !clnet_link_is_primary(out))) {
		/* For the node, or no pod involved: left as it came. */
		skb_dst_drop(skb);
		return NULL;
	}

	/*
	 * Unreachable, prohibit or blackhole (ICMP errors and drops), a
	 * lightweight tunnel, an IPv6 gateway, a routing realm to account.
	 */
	if (rt->rt_type != RTN_UNICAST || rt->dst.lwtstate ||
	    rt->rt_gw_family == AF_INET6 || dst_tclassid(skb)) {
		*reason = CLNET_FP_ROUTE;
		return NULL;
	}
	if (IPCB(skb)->flags & IPSKB_DOREDIRECT) {
		*reason = CLNET_FP_REDIRECT;
		return NULL;
	}
	if (iph->ihl > 5) {
		*reason = CLNET_FP_OPTIONS;
		return NULL;
	}
	if (clnet_fp_conntrack_needs_kernel(skb)) {
		*reason = CLNET_FP_CONNTRACK;
		return NULL;
	}
	if (iph->ttl <= 1) {
		*reason = CLNET_FP_TTL;
		return NULL;
	}
	/*
	 * The MTU ip_forward() checks against. A packet conntrack reassembled
	 * (frag_max_size) leaves as fragments again (ip_finish_output()).
	 */
	if (IPCB(skb)->frag_max_size ||
	    !clnet_fp_fits(skb, ip_dst_mtu_maybe_forward(&rt->dst, true))) {
		*reason = CLNET_FP_MTU;
		return NULL;
	}
	if (clnet_fp_xfrm_needs_kernel(dev_net(in), skb)) {
		*reason = CLNET_FP_OTHER;
		return NULL;
	}
	*nexthop = rt_nexthop(rt, iph->daddr);
	return out;
}

/*
 * Push the link-layer header for the next hop. Returns CLNET_FP_FORWARDED,
 * or the reason to leave it to the kernel, before touching the skb.
 */
static int clnet_fp_push_header(struct sk_buff *skb, struct net_device *out,
				__be32 nexthop)
{
	u8 haddr[MAX_ADDR_LEN];
	struct neighbour *n;

	if (!out->header_ops)
		return CLNET_FP_FORWARDED;	/* L3 clnet end: no header */
	if (out->type != ARPHRD_ETHER)
		return CLNET_FP_OTHER;
	n = __ipv4_neigh_lookup_noref(out, (__force u32)nexthop);
	if (!n)
		return CLNET_FP_NEIGH;
	/*
	 * As neigh_resolve_output(): a stale entry is used at once and
	 * revalidated behind the packet; one still unresolved (or failed) is
	 * the kernel's to resolve, queueing the packet meanwhile.
	 */
	if (!(READ_ONCE(n->nud_state) & NUD_CONNECTED) &&
	    (!(READ_ONCE(n->nud_state) & NUD_VALID) || neigh_event_send(n, NULL)))
		return CLNET_FP_NEIGH;
	neigh_ha_snapshot(haddr, n, out);
	eth_header(skb, out, ETH_P_IP, haddr, NULL, skb->len);
	return CLNET_FP_FORWARDED;
}

/*
 * Forward @skb, received on @in, if the fast path can. Returns
 * CLNET_FP_FORWARDED with the skb consumed, or why it stays the kernel's,
 * with the skb still fit for the kernel's path.
 */
static int clnet_fp_forward(struct net *net, struct sk_buff *skb,
			    struct net_device *in)
{
	struct net_device *out;
	struct iphdr *iph;
	__be32 nexthop;
	int reason;

	out = clnet_fp_route(skb, in, &nexthop, &reason);
	if (!out)
		return reason;

	/* Our own copy of the head, with room for the egress header. */
	if (skb_cow(skb, LL_RESERVED_SPACE(out)))	/* head unchanged on error */
		return CLNET_FP_OTHER;
	reason = clnet_fp_push_header(skb, out, nexthop);
	if (reason != CLNET_FP_FORWARDED)
		return reason;
	/* What ip_rcv(), ip_forward() and ip_finish_output2() would do. */
	skb_orphan(skb);
	IPCB(skb)->flags |= IPSKB_FORWARDED;
	iph = ip_hdr(skb);
	ip_decrease_ttl(iph);
	if (READ_ONCE(net->ipv4.sysctl_ip_fwd_update_priority))
		skb->priority = rt_tos2priority(iph->tos);
	skb_forward_csum(skb);
	skb_clear_tstamp(skb);
	skb_reset_mac_header(skb);
	skb->dev = out;
	/* Into a pod: straight through its pair when nothing is in between. */
	if (!clnet_link_is_primary(out) || !clnet_link_xmit_direct(skb, out))
		dev_queue_xmit(skb);
	return CLNET_FP_FORWARDED;
}

/*
 * Normally called in softirq context, but a packet NFQUEUE gave back to
 * the kernel runs the rest of PRE_ROUTING in the verdict's process
 * context with BHs on (nf_reinject()): the per-CPU counters and the
 * transmit path need them off.
 */
static unsigned int clnet_fp_hook(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	int reason;

	/* A socket assigned in PRE_ROUTING (TPROXY): ip_forward() drops it. */
	if (unlikely(skb->sk))
		return NF_ACCEPT;
	local_bh_disable();
	reason = clnet_fp_forward(state->net, skb, state->in);
	if (reason != CLNET_FP_NOT_OURS)
		clnet_fp_count(priv, reason);
	local_bh_enable();
	return reason == CLNET_FP_FORWARDED ? NF_STOLEN : NF_ACCEPT;
}

/*
 * Would anything but IPv4 itself look at a packet received on @dev? A
 * capture, an rx_handler, generic XDP, tc or netfilter ingress, or any
 * PRE_ROUTING hook of the netns but ours: then the packet must really be
 * received there.
 */
static bool clnet_fp_rx_path_is_bare(struct net *net, struct net_device *dev)
{
	const struct nf_hook_entries *e;

	if (dev_nit_active(dev) || !list_empty(&dev->ptype_specific) ||
	    rcu_access_pointer(dev->rx_handler) ||
	    rcu_access_pointer(dev->xdp_prog))
		return false;
#ifdef CONFIG_NET_CLS_ACT
	if (rcu_access_pointer(dev->miniq_ingress))
		return false;
#endif
#ifdef CONFIG_NETFILTER_INGRESS
	if (rcu_access_pointer(dev->nf_hooks_ingress))
		return false;
#endif
	e = rcu_dereference(net->nf.hooks_ipv4[NF_INET_PRE_ROUTING]);
	return e && e->num_hook_entries == 1;	/* ours */
}

/*
 * A pod's packet, about to be received on @primary (the pair's transmit
 * calls this with BHs off): when nothing on the node's receive path would
 * see it, forward it from here, as netkit with eBPF host routing does
 * from the pod's device. It skips the backlog, ip_rcv() and PRE_ROUTING
 * on top of what the hook skips. Returns true if the skb was taken;
 * otherwise it is left for __netif_rx(), and the hook counts what happens
 * to it.
 */
bool __clnet_fastpath_pod_egress(struct sk_buff *skb, struct net_device *primary)
{
	struct net *net = dev_net(primary);
	struct clnet_net *cn = clnet_pernet(net);
	int reason = CLNET_FP_NOT_OURS;

	/*
	 * Each hop transmits from within the last one's transmit; past a few
	 * nested pairs, let the backlog break the chain as the kernel does.
	 */
	if (!READ_ONCE(cn->fp_enabled) || skb->protocol != htons(ETH_P_IP) ||
	    dev_recursion_level() > XMIT_RECURSION_LIMIT / 2)
		return false;

	rcu_read_lock();
	if (clnet_fp_rx_path_is_bare(net, primary) &&
	    pskb_may_pull(skb, sizeof(struct iphdr)) &&
	    clnet_fp_iph_is_plain((struct iphdr *)skb->data, skb->len)) {
		skb_reset_network_header(skb);
		/* The pod's IP control block means nothing here (ip_rcv_core). */
		memset(IPCB(skb), 0, sizeof(struct inet_skb_parm));
		skb->skb_iif = primary->ifindex;
		reason = clnet_fp_forward(net, skb, primary);
		if (reason == CLNET_FP_FORWARDED)
			clnet_fp_count(cn, CLNET_FP_DIRECT);
		else	/* a route without a reference must not outlive RCU */
			skb_dst_drop(skb);
	}
	rcu_read_unlock();
	return reason == CLNET_FP_FORWARDED;
}

/* Called under the genl mutex, which serialises on/off per family. */
int clnet_fastpath_set(struct net *net, bool enable)
{
	struct clnet_net *cn = clnet_pernet(net);
	int err;

	if (enable == cn->fp_enabled)
		return 0;
	if (enable) {
		cn->fp_hook = (struct nf_hook_ops) {
			.hook		= clnet_fp_hook,
			.priv		= cn,
			.pf		= NFPROTO_IPV4,
			.hooknum	= NF_INET_PRE_ROUTING,
			/* last: after conntrack, DNAT and every PRE_ROUTING
			 * rule, just before the kernel's routing decision
			 */
			.priority	= NF_IP_PRI_LAST,
		};
		err = nf_register_net_hook(net, &cn->fp_hook);
		if (err)
			return err;
		static_branch_inc(&clnet_fp_in_use);
		WRITE_ONCE(cn->fp_enabled, true);
	} else {
		/* The pairs stop calling in first; RCU covers those that did. */
		WRITE_ONCE(cn->fp_enabled, false);
		nf_unregister_net_hook(net, &cn->fp_hook);
		static_branch_dec(&clnet_fp_in_use);
	}
	return 0;
}

void clnet_fastpath_read(struct clnet_net *cn, u64 *forwarded, u64 *direct,
			 u64 *fallback)
{
	int cpu, i;

	*forwarded = 0;
	*direct = 0;
	memset(fallback, 0, sizeof(*fallback) * CLNET_FP_NR_REASONS);
	for_each_possible_cpu(cpu) {
		const struct clnet_fp_stats *s = per_cpu_ptr(cn->fp_stats, cpu);
		u64 fwd, dir, fb[CLNET_FP_NR_REASONS];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			fwd = u64_stats_read(&s->forwarded);
			dir = u64_stats_read(&s->direct);
			for (i = 0; i < CLNET_FP_NR_REASONS; i++)
				fb[i] = u64_stats_read(&s->fallback[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		*forwarded += fwd;
		*direct += dir;
		for (i = 0; i < CLNET_FP_NR_REASONS; i++)
			fallback[i] += fb[i];
	}
}

int clnet_fastpath_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	if (CLNET_REQUIRE_ATTR(info, CLNET_FASTPATH_A_ENABLED,
			       "ENABLED (on or off) is required"))
		return -EINVAL;
	return clnet_fastpath_set(genl_info_net(info),
				  nla_get_u8(info->attrs[CLNET_FASTPATH_A_ENABLED]));
}

int clnet_fastpath_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct clnet_net *cn = clnet_pernet(genl_info_net(info));
	u64 forwarded, direct, fallback[CLNET_FP_NR_REASONS];
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;
	int i;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &clnet_genl_family, 0,
				CLNET_CMD_FASTPATH_GET);
	if (!hdr)
		goto err;

	clnet_fastpath_read(cn, &forwarded, &direct, fallback);
	if (nla_put_u8(msg, CLNET_FASTPATH_A_ENABLED, cn->fp_enabled) ||
	    nla_put_u64_64bit(msg, CLNET_FASTPATH_A_FORWARDED, forwarded,
			      CLNET_FASTPATH_A_PAD) ||
	    nla_put_u64_64bit(msg, CLNET_FASTPATH_A_DIRECT, direct,
			      CLNET_FASTPATH_A_PAD))
		goto err;
	nest = nla_nest_start(msg, CLNET_FASTPATH_A_FALLBACK);
	if (!nest)
		goto err;
	for (i = 0; i < CLNET_FP_NR_REASONS; i++)
		if (nla_put_u64_64bit(msg, CLNET_FP_FALLBACK_A_TTL + i,
				      fallback[i], CLNET_FP_FALLBACK_A_PAD))
			goto err;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

int clnet_fastpath_net_init(struct clnet_net *cn)
{
	int cpu;

	cn->fp_stats = alloc_percpu(struct clnet_fp_stats);
	if (!cn->fp_stats)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(cn->fp_stats, cpu)->syncp);
	return 0;
}

/*
 * Teardown in two steps: the hook goes in pre_exit, the counters it
 * writes in exit, after the RCU grace period the netns core waits for in
 * between, so that no hook still running on another CPU sees them freed.
 */
void clnet_fastpath_net_pre_exit(struct net *net)
{
	clnet_fastpath_set(net, false);
}

void clnet_fastpath_net_exit(struct net *net)
{
	free_percpu(clnet_pernet(net)->fp_stats);
}
