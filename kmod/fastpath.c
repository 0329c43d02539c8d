// SPDX-License-Identifier: GPL-2.0
/*
 * The host-routing fast path: forwarded IPv4 traffic to and from pods
 * skips the kernel's forwarding path (ip_forward, netfilter FORWARD and
 * POSTROUTING, ip_output).
 *
 * It runs in two places. A netfilter hook at the very end of PRE_ROUTING
 * (after conntrack, DNAT and every PRE_ROUTING rule) sees what the node
 * receives. The pair's pod-egress hook sees what a pod sends before the
 * node receives it, and forwards it from there when nothing on the node's
 * receive path would see it but the kernel's conntrack, which it then
 * runs itself as ip_rcv() would (clnet_fp_rx_path()). Both ask the
 * kernel's own input route where the packet goes, then hand it straight
 * to the egress device (a clnet primary, whose peer is the pod, or an
 * uplink with a usable neighbour entry) or leave it to the kernel.
 * Whenever the kernel would do more than route, decrement the TTL and
 * transmit (ICMP errors, fragmentation, neighbour resolution, NAT, IP
 * options, IPsec), the packet falls back, so that results are the same
 * with the fast path on or off. Only FORWARD and POSTROUTING rules do not
 * see what the fast path takes: skipping them is its purpose.
 */
#include <kunit/visibility.h>
#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/netfilter.h>
#include <linux/netfilter_bridge.h>
#include <linux/netfilter_ipv4.h>
#include <linux/u64_stats_sync.h>
#include <linux/xfrm.h>
#include <net/arp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/net_namespace.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_extend.h>
#include <net/netfilter/nf_nat.h>
#include <net/netns/generic.h>
#include <net/route.h>
#include <net/xfrm.h>

#include "fastpath.h"
#include "link.h"
#include "masq.h"
#include "nfbind.h"
#include "routecache.h"

/* What one decision step makes of a packet. */
enum clnet_fp_verdict {
	CLNET_FP_PASS,		/* not forwarded pod traffic: untouched, uncounted */
	CLNET_FP_FALLBACK,	/* the kernel's, for clnet_fp_decision.reason */
	CLNET_FP_FORWARDED,	/* taken: the skb is gone */
	CLNET_FP_DROPPED,	/* nf_nat could not translate it: freed */
};

struct clnet_fp_decision {
	struct net_device *out;
	__be32 nexthop;
	enum clnet_fp_reason reason;
	/*
	 * A NATed flow's entry and its NAT extension (or NULL), for the
	 * translation after routing.
	 */
	struct nf_conn *nat_ct;
	const struct nf_conn_nat *nat;
	enum ip_conntrack_info ctinfo;
};

struct clnet_fp_stats {
	u64_stats_t forwarded;
	u64_stats_t direct;
	u64_stats_t nat[IP_CT_DIR_MAX];
	u64_stats_t fallback[CLNET_FP_NR_REASONS];
	struct u64_stats_sync syncp;
};

struct clnet_fp_net {
	/*
	 * enabled and hook change under the genl mutex or in netns
	 * teardown; enabled is read locklessly by the pairs' transmit.
	 */
	bool enabled;
	struct nf_hook_ops hook;
	struct clnet_fp_stats __percpu *stats;
	/* While enabled (and until an RCU grace period after). */
	struct clnet_rcache *rcache;
	/* The netns' masquerade state, for its counters. */
	struct clnet_masq_net *masq;
};

static unsigned int clnet_fp_net_id __read_mostly;

static struct clnet_fp_net *clnet_fp_pernet(const struct net *net)
{
	return net_generic(net, clnet_fp_net_id);
}

static enum clnet_fp_verdict clnet_fp_fallback(struct clnet_fp_decision *d,
					       enum clnet_fp_reason reason)
{
	d->reason = reason;
	return CLNET_FP_FALLBACK;
}

static void clnet_fp_count(struct clnet_fp_net *fpn,
			   enum clnet_fp_verdict verdict,
			   const struct clnet_fp_decision *d, bool direct)
{
	struct clnet_fp_stats *s;

	if (verdict == CLNET_FP_PASS || verdict == CLNET_FP_DROPPED)
		return;
	s = this_cpu_ptr(fpn->stats);
	u64_stats_update_begin(&s->syncp);
	if (verdict == CLNET_FP_FALLBACK) {
		u64_stats_inc(&s->fallback[d->reason]);
	} else {
		u64_stats_inc(&s->forwarded);
		if (direct)
			u64_stats_inc(&s->direct);
		if (d->nat_ct)
			u64_stats_inc(&s->nat[CTINFO2DIR(d->ctinfo)]);
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
 * Conntrack must see new connections confirmed, related packets (ICMP
 * errors, whose inner header nf_nat rewrites) and those of flows with a
 * helper (FTP, SIP, ...) inspected, and TCP sequence numbers and
 * timestamps adjusted (IPS_SEQ_ADJUST; SYNPROXY, even before it sets that
 * bit): all of that happens after PRE_ROUTING. What is left of NAT for an
 * established flow after PRE_ROUTING is the POST_ROUTING manip, which the
 * fast path applies itself with nf_nat's own function, once masquerade
 * has bound clnet to nf_nat. A flow whose reply tuple is not the original
 * one reversed without NAT is translated by someone else (IPVS, which
 * rewrites replies in FORWARD). (Extensions are tested inline, so that
 * clnet.ko needs no symbol of nf_conntrack.ko.)
 */
static bool clnet_fp_conntrack_needs_kernel(const struct sk_buff *skb,
					    struct clnet_fp_decision *d)
{
	const struct nf_conntrack_tuple *orig, *reply;
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	if (!ct)
		return false;
	if (!nf_ct_is_confirmed(ct) || (ct->status & IPS_SEQ_ADJUST))
		return true;
	if (ct->ext && (__nf_ct_ext_exist(ct->ext, NF_CT_EXT_HELPER) ||
			clnet_fp_ct_synproxy(ct)))
		return true;
	if (ct->status & IPS_NAT_MASK) {
		const struct clnet_nf_ops *nf = clnet_nf();
		const struct nf_conn_nat *nat;

		if (ctinfo == IP_CT_RELATED || ctinfo == IP_CT_RELATED_REPLY ||
		    (ct->status & IPS_NAT_DONE_MASK) != IPS_NAT_DONE_MASK || !nf)
			return true;
		/* A masqueraded flow now routed elsewhere: nf_nat ends it. */
		nat = clnet_nf_ct_nat(ct);
		if (nat && nat->masq_index &&
		    CTINFO2DIR(ctinfo) == IP_CT_DIR_ORIGINAL &&
		    nat->masq_index != d->out->ifindex)
			return true;
		d->nat_ct = ct;
		d->nat = nat;
		d->ctinfo = ctinfo;
		return false;
	}
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
 * Decide where @skb, received on @in, goes. The kernel's own input route
 * (ip_route_input_noref(), as ip_rcv_finish() would ask for it, through
 * the route cache) settles that, with all it takes: policy rules, source
 * validation and reverse-path filtering, multipath, next-hop exceptions. FORWARDED here
 * means "may be forwarded": the route is attached to @skb, d->out and
 * d->nexthop are set. A fallback keeps the route, so that the kernel
 * does not look it up again; a pass leaves the packet as it came.
 */
static __always_inline enum clnet_fp_verdict
clnet_fp_route(struct clnet_fp_net *fpn, struct sk_buff *skb,
	       struct net_device *in, struct clnet_fp_decision *d)
{
	const struct iphdr *iph = ip_hdr(skb);
	bool from_pod = clnet_link_is_primary(in);
	struct rtable *rt;

	if (skb->pkt_type != PACKET_HOST || skb_dst(skb) ||
	    netif_is_l3_slave(in) || clnet_fp_is_bridged(skb) ||
	    ipv4_is_multicast(iph->daddr) || ipv4_is_lbcast(iph->daddr) ||
	    ipv4_is_zeronet(iph->daddr) || ipv4_is_loopback(iph->daddr) ||
	    ipv4_is_multicast(iph->saddr) || ipv4_is_lbcast(iph->saddr) ||
	    ipv4_is_zeronet(iph->saddr) || ipv4_is_loopback(iph->saddr))
		return CLNET_FP_PASS;

	if (clnet_rcache_input(fpn->rcache, skb, iph, in)) {
		/* A martian or reverse-path-filtered source: the kernel drops it. */
		return from_pod ? clnet_fp_fallback(d, CLNET_FP_SOURCE) :
				  CLNET_FP_PASS;
	}
	rt = skb_rtable(skb);
	d->out = rt->dst.dev;
	if (rt->rt_type == RTN_LOCAL || rt->rt_type == RTN_BROADCAST ||
	    (!from_pod && !clnet_link_is_primary(d->out))) {
		/* For the node, or no pod involved. */
		skb_dst_drop(skb);
		return CLNET_FP_PASS;
	}

	/*
	 * Unreachable, prohibit or blackhole (ICMP errors and drops), a
	 * lightweight tunnel, an IPv6 gateway, a routing realm to account.
	 */
	if (rt->rt_type != RTN_UNICAST || rt->dst.lwtstate ||
	    rt->rt_gw_family == AF_INET6 || dst_tclassid(skb))
		return clnet_fp_fallback(d, CLNET_FP_ROUTE);
	if (IPCB(skb)->flags & IPSKB_DOREDIRECT)
		return clnet_fp_fallback(d, CLNET_FP_REDIRECT);
	if (iph->ihl > 5)
		return clnet_fp_fallback(d, CLNET_FP_OPTIONS);
	if (clnet_fp_conntrack_needs_kernel(skb, d))
		return clnet_fp_fallback(d, CLNET_FP_CONNTRACK);
	if (iph->ttl <= 1)
		return clnet_fp_fallback(d, CLNET_FP_TTL);
	/*
	 * The MTU ip_forward() checks against. A packet conntrack reassembled
	 * (frag_max_size) leaves as fragments again (ip_finish_output()).
	 */
	if (IPCB(skb)->frag_max_size ||
	    !clnet_fp_fits(skb, ip_dst_mtu_maybe_forward(&rt->dst, true)))
		return clnet_fp_fallback(d, CLNET_FP_MTU);
	if (clnet_fp_xfrm_needs_kernel(dev_net(in), skb))
		return clnet_fp_fallback(d, CLNET_FP_OTHER);
	d->nexthop = rt_nexthop(rt, iph->daddr);
	return CLNET_FP_FORWARDED;
}

/*
 * The next hop's link-layer address into @haddr, or a fallback; the skb
 * is not touched.
 */
static enum clnet_fp_verdict clnet_fp_neigh(struct clnet_fp_decision *d,
					    u8 *haddr)
{
	struct net_device *out = d->out;
	struct neighbour *n;

	if (!out->header_ops)
		return CLNET_FP_FORWARDED;	/* L3 clnet end: no header */
	if (out->type != ARPHRD_ETHER)
		return clnet_fp_fallback(d, CLNET_FP_OTHER);
	n = __ipv4_neigh_lookup_noref(out, (__force u32)d->nexthop);
	if (!n)
		return clnet_fp_fallback(d, CLNET_FP_NEIGH);
	/*
	 * As neigh_resolve_output(): a stale entry is used at once and
	 * revalidated behind the packet; one still unresolved (or failed) is
	 * the kernel's to resolve, queueing the packet meanwhile.
	 */
	if (!(READ_ONCE(n->nud_state) & NUD_CONNECTED) &&
	    (!(READ_ONCE(n->nud_state) & NUD_VALID) || neigh_event_send(n, NULL)))
		return clnet_fp_fallback(d, CLNET_FP_NEIGH);
	neigh_ha_snapshot(haddr, n, out);
	return CLNET_FP_FORWARDED;
}

/*
 * Forward @skb, received on @in, if the fast path can. On anything but
 * FORWARDED the skb is still fit for the kernel's path.
 */
static enum clnet_fp_verdict clnet_fp_forward(struct clnet_fp_net *fpn,
					      struct net *net,
					      struct sk_buff *skb,
					      struct net_device *in,
					      struct clnet_fp_decision *d)
{
	enum clnet_fp_verdict verdict;
	u8 haddr[MAX_ADDR_LEN];
	struct net_device *out;
	struct iphdr *iph;

	d->nat_ct = NULL;
	verdict = clnet_fp_route(fpn, skb, in, d);
	if (verdict != CLNET_FP_FORWARDED)
		return verdict;
	out = d->out;

	/* Our own copy of the head, with room for the egress header. */
	if (skb_cow(skb, LL_RESERVED_SPACE(out)))	/* head unchanged on error */
		return clnet_fp_fallback(d, CLNET_FP_OTHER);
	verdict = clnet_fp_neigh(d, haddr);
	if (verdict != CLNET_FP_FORWARDED)
		return verdict;

	/*
	 * What ip_rcv(), ip_forward(), nf_nat's POST_ROUTING hook and
	 * ip_finish_output2() would do, in their order.
	 */
	skb_orphan(skb);
	IPCB(skb)->flags |= IPSKB_FORWARDED;
	iph = ip_hdr(skb);
	ip_decrease_ttl(iph);
	if (READ_ONCE(net->ipv4.sysctl_ip_fwd_update_priority))
		skb->priority = rt_tos2priority(iph->tos);
	skb_forward_csum(skb);
	if (d->nat_ct) {
		if (clnet_nf()->nat_packet(d->nat_ct, d->ctinfo,
					   NF_INET_POST_ROUTING, skb) != NF_ACCEPT) {
			kfree_skb_reason(skb, SKB_DROP_REASON_NETFILTER_DROP);
			return CLNET_FP_DROPPED;
		}
		clnet_masq_seen(fpn->masq, d->nat_ct, d->nat, skb->len);
	}
	if (out->header_ops)
		eth_header(skb, out, ETH_P_IP, haddr, NULL, skb->len);
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
	struct clnet_fp_decision d;
	enum clnet_fp_verdict verdict;

	/* A socket assigned in PRE_ROUTING (TPROXY): ip_forward() drops it. */
	if (unlikely(skb->sk))
		return NF_ACCEPT;
	local_bh_disable();
	verdict = clnet_fp_forward(priv, state->net, skb, state->in, &d);
	clnet_fp_count(priv, verdict, &d, false);
	local_bh_enable();
	return verdict >= CLNET_FP_FORWARDED ? NF_STOLEN : NF_ACCEPT;
}

/* What a pod's packet meets in the node before our hook. */
enum clnet_fp_rx_path {
	CLNET_FP_RX_OTHER,	/* something else to see it: really receive it */
	CLNET_FP_RX_BARE,	/* nothing but IPv4: our hook alone */
	CLNET_FP_RX_CONNTRACK,	/* the kernel's conntrack (and nf_nat), then ours */
};

/*
 * Are @e's PRE_ROUTING hooks the kernel's conntrack, defragmentation
 * first, optionally nf_nat's, and ours last? (Learnt functions are
 * NULL until masquerade has found them: nfbind.h.)
 */
static bool clnet_fp_pre_is_conntrack(const struct nf_hook_entries *e)
{
	unsigned int n = e->num_hook_entries;

	return (n == 3 || n == 4) &&
	       e->hooks[0].hook == clnet_nf_pre_hook(CLNET_NF_PRE_DEFRAG) &&
	       e->hooks[1].hook == clnet_nf_pre_hook(CLNET_NF_PRE_CONNTRACK) &&
	       (n == 3 || e->hooks[2].hook == clnet_nf_pre_hook(CLNET_NF_PRE_NAT)) &&
	       e->hooks[n - 1].hook == clnet_fp_hook && e->hooks[0].hook;
}

/*
 * Would anything but IPv4 itself look at a packet received on @dev? A
 * capture, an rx_handler, generic XDP, tc or netfilter ingress, or any
 * PRE_ROUTING hook of the netns but ours and conntrack's: then the packet
 * must really be received there. (Ours is the last; with others it is
 * not alone.)
 */
static enum clnet_fp_rx_path clnet_fp_rx_path(struct net *net,
					      struct net_device *dev,
					      const struct nf_hook_entries **pre)
{
	const struct nf_hook_entries *e;

	e = rcu_dereference(net->nf.hooks_ipv4[NF_INET_PRE_ROUTING]);
	if (!e)
		return CLNET_FP_RX_OTHER;
	if (dev_nit_active(dev) || !list_empty(&dev->ptype_specific) ||
	    rcu_access_pointer(dev->rx_handler) ||
	    rcu_access_pointer(dev->xdp_prog))
		return CLNET_FP_RX_OTHER;
#ifdef CONFIG_NET_CLS_ACT
	if (rcu_access_pointer(dev->miniq_ingress))
		return CLNET_FP_RX_OTHER;
#endif
#ifdef CONFIG_NETFILTER_INGRESS
	if (rcu_access_pointer(dev->nf_hooks_ingress))
		return CLNET_FP_RX_OTHER;
#endif
	*pre = e;
	if (e->num_hook_entries == 1)
		return CLNET_FP_RX_BARE;
	return clnet_fp_pre_is_conntrack(e) ? CLNET_FP_RX_CONNTRACK :
					      CLNET_FP_RX_OTHER;
}

/*
 * What ip_rcv() would have the kernel's conntrack hooks @e do with a
 * pod's packet before ours, for a packet of an established flow:
 * conntrack (its lookup, timeout and accounting), and, if nf_nat has its
 * hook, nf_nat's PRE_ROUTING manip (which for an established flow is all
 * its hook does: nf_nat_inet_fn(); a destination manip, so nothing unless
 * the flow's status says that its direction has one, as nf_nat_packet()
 * reads it). The defragmentation hook does nothing to a packet that is
 * not a fragment; a fragment is left to the kernel whole, so that the
 * packet it becomes keeps what ip_rcv() records of its fragments
 * (IPCB()->frag_max_size, to fragment it again alike). Returns true if
 * the packet got that far or, with *@kernel set, if the rest is the
 * kernel's: a fragment, or a packet not of an established flow, which
 * conntrack has seen (the kernel's second look at it in PRE_ROUTING
 * finds the flow attached and leaves it); false if it was dropped.
 */
static bool clnet_fp_pod_conntrack(struct net *net, struct sk_buff *skb,
				   struct net_device *in,
				   const struct nf_hook_entries *e, bool *kernel)
{
	const struct clnet_nf_ops *nf = clnet_nf();
	enum ip_conntrack_info ctinfo;
	struct nf_hook_state state;
	unsigned int verdict;
	struct nf_conn *ct;

	if (ip_is_fragment(ip_hdr(skb)) || !nf) {
		*kernel = true;
		return true;
	}
	nf_hook_state_init(&state, NF_INET_PRE_ROUTING, NFPROTO_IPV4, in, NULL,
			   NULL, net, NULL);
	/* As ip_rcv_core(): a socket here would be TPROXY's. */
	skb_orphan(skb);
	skb_set_transport_header(skb, sizeof(struct iphdr));
	/* The hook's function is nf_conntrack_in()'s wrapper. */
	verdict = nf->conntrack_in(skb, &state);
	if (verdict != NF_ACCEPT) {
		/* conntrack neither steals nor queues */
		kfree_skb_reason(skb, SKB_DROP_REASON_NETFILTER_DROP);
		return false;
	}
	ct = nf_ct_get(skb, &ctinfo);
	if (!ct || (ctinfo != IP_CT_ESTABLISHED &&
		    ctinfo != IP_CT_ESTABLISHED_REPLY)) {
		*kernel = true;
		return true;
	}
	if (e->num_hook_entries > CLNET_NF_PRE_NAT + 1 &&
	    (ct->status & (CTINFO2DIR(ctinfo) == IP_CT_DIR_ORIGINAL ?
			   IPS_DST_NAT : IPS_SRC_NAT)) &&
	    nf->nat_packet(ct, ctinfo, NF_INET_PRE_ROUTING, skb) != NF_ACCEPT) {
		kfree_skb_reason(skb, SKB_DROP_REASON_NETFILTER_DROP);
		return false;
	}
	return true;
}

/*
 * An IPv4 header that ip_rcv_core() would take as it is, in a packet of
 * @len bytes: version 4, no options, a correct checksum and nothing to
 * trim. Only such a packet from a pod may skip the node's receive path.
 * @iph must have at least sizeof(struct iphdr) bytes readable.
 */
VISIBLE_IF_KUNIT bool clnet_fp_iph_is_plain(const struct iphdr *iph,
					    unsigned int len)
{
	return iph->version == 4 && iph->ihl == 5 &&
	       ntohs(iph->tot_len) == len &&
	       !ip_fast_csum((const u8 *)iph, iph->ihl);
}
EXPORT_SYMBOL_IF_KUNIT(clnet_fp_iph_is_plain);

/*
 * The pair's pod-egress hook, with BHs off: a pod's packet about to be
 * received on @primary. Forwarding it from here also skips the backlog,
 * ip_rcv() and, but for conntrack's, the PRE_ROUTING hooks. Returns true
 * if the skb was taken; otherwise __netif_rx() gets it, and the
 * PRE_ROUTING hook counts what happens.
 */
static bool clnet_fp_pod_egress(struct sk_buff *skb, struct net_device *primary)
{
	struct net *net = dev_net(primary);
	struct clnet_fp_net *fpn = clnet_fp_pernet(net);
	enum clnet_fp_verdict verdict = CLNET_FP_PASS;
	const struct nf_hook_entries *pre = NULL;
	enum clnet_fp_rx_path path;
	struct clnet_fp_decision d;
	bool kernel = false;

	/*
	 * Each hop transmits from within the last one's transmit; past a few
	 * nested pairs, let the backlog break the chain as the kernel does.
	 */
	if (!READ_ONCE(fpn->enabled) || skb->protocol != htons(ETH_P_IP) ||
	    dev_recursion_level() > XMIT_RECURSION_LIMIT / 2)
		return false;

	rcu_read_lock();
	path = clnet_fp_rx_path(net, primary, &pre);
	if (path != CLNET_FP_RX_OTHER &&
	    pskb_may_pull(skb, sizeof(struct iphdr)) &&
	    clnet_fp_iph_is_plain((struct iphdr *)skb->data, skb->len)) {
		skb_reset_network_header(skb);
		/* The pod's IP control block means nothing here (ip_rcv_core). */
		memset(IPCB(skb), 0, sizeof(struct inet_skb_parm));
		skb->skb_iif = primary->ifindex;
		if (path == CLNET_FP_RX_CONNTRACK &&
		    !clnet_fp_pod_conntrack(net, skb, primary, pre, &kernel))
			verdict = CLNET_FP_DROPPED;	/* taken */
		else if (!kernel)
			verdict = clnet_fp_forward(fpn, net, skb, primary, &d);
		if (verdict == CLNET_FP_FORWARDED)
			clnet_fp_count(fpn, verdict, &d, true);
		else if (verdict != CLNET_FP_DROPPED)
			/* a route without a reference must not outlive RCU */
			skb_dst_drop(skb);
	}
	rcu_read_unlock();
	return verdict >= CLNET_FP_FORWARDED;
}

/* The pairs stop calling in first; RCU covers those that did. */
static void clnet_fp_disable(struct net *net, struct clnet_fp_net *fpn)
{
	WRITE_ONCE(fpn->enabled, false);
	nf_unregister_net_hook(net, &fpn->hook);
	clnet_link_pod_egress_release();
}

int clnet_fp_set(struct net *net, bool enable)
{
	struct clnet_fp_net *fpn = clnet_fp_pernet(net);
	int err;

	if (enable == fpn->enabled)
		return 0;
	if (enable) {
		fpn->rcache = clnet_rcache_alloc();
		if (!fpn->rcache)
			return -ENOMEM;
		fpn->hook = (struct nf_hook_ops) {
			.hook		= clnet_fp_hook,
			.priv		= fpn,
			.pf		= NFPROTO_IPV4,
			.hooknum	= NF_INET_PRE_ROUTING,
			/* after conntrack, DNAT and every PRE_ROUTING rule */
			.priority	= NF_IP_PRI_LAST,
		};
		err = nf_register_net_hook(net, &fpn->hook);
		if (err) {
			clnet_rcache_free(fpn->rcache);
			fpn->rcache = NULL;
			return err;
		}
		clnet_link_pod_egress_hold(clnet_fp_pod_egress);
		WRITE_ONCE(fpn->enabled, true);
	} else {
		clnet_fp_disable(net, fpn);
		/* A hook or pair still in the fast path may read the cache. */
		synchronize_net();
		clnet_rcache_free(fpn->rcache);
		fpn->rcache = NULL;
	}
	return 0;
}

bool clnet_fp_enabled(const struct net *net)
{
	return READ_ONCE(clnet_fp_pernet(net)->enabled);
}

void clnet_fp_read(const struct net *net, struct clnet_fp_counters *c)
{
	const struct clnet_fp_net *fpn = clnet_fp_pernet(net);
	int cpu, i;

	memset(c, 0, sizeof(*c));
	for_each_possible_cpu(cpu) {
		const struct clnet_fp_stats *s = per_cpu_ptr(fpn->stats, cpu);
		struct clnet_fp_counters one;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			one.forwarded = u64_stats_read(&s->forwarded);
			one.direct = u64_stats_read(&s->direct);
			for (i = 0; i < IP_CT_DIR_MAX; i++)
				one.nat[i] = u64_stats_read(&s->nat[i]);
			for (i = 0; i < CLNET_FP_NR_REASONS; i++)
				one.fallback[i] = u64_stats_read(&s->fallback[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		c->forwarded += one.forwarded;
		c->direct += one.direct;
		for (i = 0; i < IP_CT_DIR_MAX; i++)
			c->nat[i] += one.nat[i];
		for (i = 0; i < CLNET_FP_NR_REASONS; i++)
			c->fallback[i] += one.fallback[i];
	}
}

static int __net_init clnet_fp_net_init(struct net *net)
{
	struct clnet_fp_net *fpn = clnet_fp_pernet(net);
	int cpu;

	fpn->stats = alloc_percpu(struct clnet_fp_stats);
	if (!fpn->stats)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(fpn->stats, cpu)->syncp);
	fpn->masq = clnet_masq_pernet(net);
	return 0;
}

/*
 * Teardown in two steps: the hook goes in pre_exit, the counters it
 * writes and the route cache it reads in exit, after the RCU grace
 * period the netns core waits for in between, so that no hook still
 * running on another CPU sees them freed.
 */
static void __net_exit clnet_fp_net_pre_exit(struct net *net)
{
	struct clnet_fp_net *fpn = clnet_fp_pernet(net);

	if (fpn->enabled)
		clnet_fp_disable(net, fpn);
}

static void __net_exit clnet_fp_net_exit(struct net *net)
{
	struct clnet_fp_net *fpn = clnet_fp_pernet(net);

	clnet_rcache_free(fpn->rcache);
	free_percpu(fpn->stats);
}

static struct pernet_operations clnet_fp_net_ops = {
	.init		= clnet_fp_net_init,
	.pre_exit	= clnet_fp_net_pre_exit,
	.exit		= clnet_fp_net_exit,
	.id		= &clnet_fp_net_id,
	.size		= sizeof(struct clnet_fp_net),
};

int __init clnet_fp_init(void)
{
	return register_pernet_subsys(&clnet_fp_net_ops);
}

/* Turns the fast path off in every netns. */
void clnet_fp_exit(void)
{
	unregister_pernet_subsys(&clnet_fp_net_ops);
}
