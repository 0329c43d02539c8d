// SPDX-License-Identifier: GPL-2.0
/*
 * Masquerade: pod flows leaving the node through one of the configured
 * devices, to a destination outside the native-routing CIDR, get the
 * node's address.
 *
 * clnet is not a second NAT engine. It registers a lookup function with
 * nf_nat for POST_ROUTING, as an nft nat chain does, so nf_nat calls it
 * for the first packet of each new flow; it only decides, and has nf_nat
 * bind the flow (nf_nat_masquerade_ipv4(), or nf_nat_setup_info() for a
 * fixed source). From then on the flow is conntrack's: replies, ICMP
 * errors, timeouts and the flush of flows whose address goes away all
 * happen as for a MASQUERADE rule.
 */
#include <kunit/visibility.h>
#include <linux/inetdevice.h>
#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netfilter_ipv4.h>
#include <linux/slab.h>
#include <linux/u64_stats_sync.h>
#include <net/ip.h>
#include <net/net_namespace.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_nat.h>
#include <net/netns/generic.h>
#include <net/netlink.h>
#include <net/route.h>

#include "link.h"
#include "masq.h"
#include "nfbind.h"

struct clnet_masq_stats {
	u64_stats_t flows;
	u64_stats_t packets;
	u64_stats_t bytes;
	u64_stats_t drop[CLNET_MASQ_NR_DROPS];
	struct u64_stats_sync syncp;
};

struct clnet_masq_net {
	/* Changed under clnet_masq_lock; cfg read under RCU by the hooks. */
	struct clnet_masq_config __rcu *cfg;
	/*
	 * Conntrack on, our lookup function in nf_nat and our counting
	 * hook: from the first set until the netns or the module goes, so
	 * that flows masqueraded before "masq off" keep being translated
	 * (the last lookup function's going takes nf_nat's hooks with it).
	 */
	bool hooked;
	struct nf_hook_ops nat_ops;
	struct nf_hook_ops count_ops;
	struct clnet_masq_stats __percpu *stats;
};

static DEFINE_MUTEX(clnet_masq_lock);
static unsigned int clnet_masq_net_id __read_mostly;

struct clnet_masq_net *clnet_masq_pernet(const struct net *net)
{
	return net_generic(net, clnet_masq_net_id);
}

static bool clnet_masq_has_dev(const struct clnet_masq_config *cfg,
			       int ifindex)
{
	unsigned int i;

	for (i = 0; i < cfg->n_devs; i++)
		if (cfg->ifindex[i] == ifindex)
			return true;
	return false;
}

/*
 * The decision for a new flow: from a pod on this node, out of a masq
 * device, to neither the native-routing CIDR, an excluded CIDR nor an
 * address of the node.
 */
VISIBLE_IF_KUNIT bool clnet_masq_wanted(const struct clnet_masq_config *cfg,
					bool from_pod, int out_ifindex,
					__be32 daddr, bool daddr_is_local)
{
	unsigned int i;

	if (!from_pod || daddr_is_local ||
	    !clnet_masq_has_dev(cfg, out_ifindex) ||
	    clnet_cidr_contains(&cfg->native, daddr))
		return false;
	for (i = 0; i < cfg->n_excludes; i++)
		if (clnet_cidr_contains(&cfg->exclude[i], daddr))
			return false;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(clnet_masq_wanted);

/*
 * Hooks also run in process context (a packet NFQUEUE gave back, the
 * node's own output), where a softirq on the same CPU may count too. The
 * _irqsave updates keep a 32-bit writer from being interleaved and cost
 * nothing on 64-bit, where each counter update is one instruction:
 * cheaper than turning BHs off and on for every packet.
 */
static void clnet_masq_count(struct clnet_masq_net *mn, int drop)
{
	struct clnet_masq_stats *s = get_cpu_ptr(mn->stats);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&s->syncp);
	if (drop < 0)
		u64_stats_inc(&s->flows);
	else
		u64_stats_inc(&s->drop[drop]);
	u64_stats_update_end_irqrestore(&s->syncp, flags);
	put_cpu_ptr(mn->stats);
}

/* Of flow @ct, NAT extension @nat (or NULL): masqueraded by @cfg? */
static bool clnet_masq_flow_is_ours(const struct clnet_masq_config *cfg,
				    const struct nf_conn *ct,
				    const struct nf_conn_nat *nat)
{
	return (ct->status & IPS_SRC_NAT) && nat && nat->masq_index &&
	       clnet_masq_has_dev(cfg, nat->masq_index);
}

/*
 * A packet of a flow masqueraded out of one of the configured devices,
 * from a hook (any context but hard interrupts).
 */
static void clnet_masq_count_packet(struct clnet_masq_net *mn,
				    unsigned int len)
{
	struct clnet_masq_stats *s;
	unsigned long flags;

	s = get_cpu_ptr(mn->stats);
	flags = u64_stats_update_begin_irqsave(&s->syncp);
	u64_stats_inc(&s->packets);
	u64_stats_add(&s->bytes, len);
	u64_stats_update_end_irqrestore(&s->syncp, flags);
	put_cpu_ptr(mn->stats);
}

/*
 * On every packet the fast path forwards for a NATed flow: no netns
 * lookup (the fast path keeps @mn) and, with BHs off already, no
 * preemption or interrupt toggling. A writer from a hook that runs in
 * process context keeps interrupts (and so this) off while it writes.
 */
void clnet_masq_seen(struct clnet_masq_net *mn, const struct nf_conn *ct,
		     const struct nf_conn_nat *nat, unsigned int len)
{
	const struct clnet_masq_config *cfg = rcu_dereference(mn->cfg);
	struct clnet_masq_stats *s;

	if (!cfg || !clnet_masq_flow_is_ours(cfg, ct, nat))
		return;
	s = this_cpu_ptr(mn->stats);
	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->packets);
	u64_stats_add(&s->bytes, len);
	u64_stats_update_end(&s->syncp);
}

/*
 * After nf_nat's POST_ROUTING hook: both directions of a forwarded flow
 * leave through POST_ROUTING, the original one translated by now.
 */
static unsigned int clnet_masq_count_hook(void *priv, struct sk_buff *skb,
					  const struct nf_hook_state *state)
{
	struct clnet_masq_net *mn = priv;
	const struct clnet_masq_config *cfg = rcu_dereference(mn->cfg);
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	if (ct && cfg && clnet_masq_flow_is_ours(cfg, ct, clnet_nf_ct_nat(ct)))
		clnet_masq_count_packet(mn, skb->len);
	return NF_ACCEPT;
}

/*
 * The source ports (or ICMP ids) a flow from @port may be given, as
 * nf_nat picks them when no range is set (the port's class: below 512,
 * 600-1023, or 1024 and up; any id), less @port itself, which leaves one
 * or two spans: @rnd (uniform) picks one in proportion to its size, so
 * that every port but @port is equally likely. Returns false for a
 * protocol without ports.
 */
VISIBLE_IF_KUNIT bool clnet_masq_port_range(u8 protonum, u16 port, u32 rnd,
					    u16 *min, u16 *max)
{
	u32 lo, hi, below;

	switch (protonum) {
	case IPPROTO_ICMP:
		lo = 0;
		hi = 65535;
		break;
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
	case IPPROTO_DCCP:
		if (port < 512) {
			lo = 1;
			hi = 511;
		} else if (port < 1024) {
			lo = 600;
			hi = 1023;
		} else {
			lo = 1024;
			hi = 65535;
		}
		break;
	default:
		return false;
	}
	if (port < lo || port > hi) {
		*min = lo;
		*max = hi;
		return true;
	}
	below = port - lo;	/* the span's sizes: below and hi - port */
	if (rnd % (hi - lo) < below) {
		*min = lo;
		*max = port - 1;
	} else {
		*min = port + 1;
		*max = hi;
	}
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(clnet_masq_port_range);

/*
 * Bind the flow's source to @src. The kernel's entry point for a given
 * address, nf_nat_setup_info(), is not GPL-only, which symbol_get()
 * requires; nf_nat_hook's parse_nat_setup() (what ctnetlink uses to
 * create NATed flows) reaches it with the range as netlink attributes.
 * Those take no port flags, so NF_NAT_RANGE_PROTO_RANDOM_FULLY cannot be
 * asked for; a port range that leaves out the pod's own port has the
 * same effect: nf_nat keeps a port only if it is in the range, and picks
 * a random one in the range otherwise. (Like nf_nat without the flag, it
 * may give a pod's socket that already has a mapping the same one again,
 * if that lies in the span chosen.)
 */
static int clnet_masq_bind_src(struct nf_conn *ct, __be32 src)
{
	const struct nf_nat_hook *hook = rcu_dereference(nf_nat_hook);
	const struct nf_conntrack_tuple *t = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	struct {
		struct nlattr nest;
		struct nlattr min_hdr;
		__be32 min;
		struct nlattr max_hdr;
		__be32 max;
		struct nlattr proto;
		struct nlattr pmin_hdr;
		__be16 pmin;
		u8 pad1[2];
		struct nlattr pmax_hdr;
		__be16 pmax;
		u8 pad2[2];
	} nat = {
		.nest = { .nla_len = offsetof(typeof(nat), proto),
			  .nla_type = CTA_NAT_SRC },
		.min_hdr = { .nla_len = NLA_HDRLEN + sizeof(__be32),
			     .nla_type = CTA_NAT_V4_MINIP },
		.min = src,
		.max_hdr = { .nla_len = NLA_HDRLEN + sizeof(__be32),
			     .nla_type = CTA_NAT_V4_MAXIP },
		.max = src,
		.proto = { .nla_len = sizeof(nat) - offsetof(typeof(nat), proto),
			   .nla_type = CTA_NAT_PROTO | NLA_F_NESTED },
		.pmin_hdr = { .nla_len = NLA_HDRLEN + sizeof(__be16),
			      .nla_type = CTA_PROTONAT_PORT_MIN },
		.pmax_hdr = { .nla_len = NLA_HDRLEN + sizeof(__be16),
			      .nla_type = CTA_PROTONAT_PORT_MAX },
	};
	u16 pmin, pmax;

	if (!hook || !hook->parse_nat_setup)
		return -EOPNOTSUPP;
	if (clnet_masq_port_range(t->dst.protonum, ntohs(t->src.u.all),
				  get_random_u32(), &pmin, &pmax)) {
		nat.pmin = htons(pmin);
		nat.pmax = htons(pmax);
		nat.nest.nla_len = sizeof(nat);
	}
	return hook->parse_nat_setup(ct, NF_NAT_MANIP_SRC, &nat.nest);
}

/* Have nf_nat bind the flow to the node's address. */
static unsigned int clnet_masq_bind(struct clnet_masq_net *mn,
				    const struct clnet_masq_config *cfg,
				    struct sk_buff *skb, struct nf_conn *ct,
				    const struct nf_hook_state *state)
{
	const struct clnet_nf_ops *nf = clnet_nf();
	struct nf_nat_range2 range = {
		/* No port of a pod's flow is predictable from another's. */
		.flags = NF_NAT_RANGE_PROTO_RANDOM_FULLY,
	};
	struct nf_conn_nat *nat;
	unsigned int verdict;

	if (!cfg->src) {
		verdict = nf->masquerade(skb, NF_INET_POST_ROUTING, &range,
					 state->out);
		if (verdict != NF_ACCEPT) {
			clnet_masq_count(mn, CLNET_MASQ_DROP_NO_ADDR);
			return verdict;
		}
	} else {
		if (inet_addr_type(state->net, cfg->src) != RTN_LOCAL) {
			clnet_masq_count(mn, CLNET_MASQ_DROP_NO_ADDR);
			return NF_DROP;
		}
		/* As MASQUERADE's: the kernel's notifiers flush by it. */
		nat = nf->nat_ext_add(ct);
		if (nat)
			nat->masq_index = state->out->ifindex;
		if (clnet_masq_bind_src(ct, cfg->src)) {
			clnet_masq_count(mn, CLNET_MASQ_DROP_NAT);
			return NF_DROP;
		}
	}
	/* nf_nat_masquerade_ipv4() leaves a 0.0.0.0 source alone. */
	if (nf_nat_initialized(ct, NF_NAT_MANIP_SRC))
		clnet_masq_count(mn, -1);
	return NF_ACCEPT;
}

/*
 * nf_nat's lookup function for POST_ROUTING: called for the first packet
 * of a flow that no earlier lookup function (an nft nat chain of higher
 * priority) bound. Not binding it leaves it to the next one, then to
 * nf_nat's null binding.
 */
static unsigned int clnet_masq_nat_fn(void *priv, struct sk_buff *skb,
				      const struct nf_hook_state *state)
{
	struct clnet_masq_net *mn = priv;
	const struct clnet_masq_config *cfg;
	enum ip_conntrack_info ctinfo;
	struct net_device *in;
	struct nf_conn *ct;
	bool from_pod, local;
	__be32 daddr;

	ct = nf_ct_get(skb, &ctinfo);
	cfg = rcu_dereference(mn->cfg);
	if (!ct || ctinfo != IP_CT_NEW || !cfg)
		return NF_ACCEPT;

	/* skb_iif: where it was received, 0 for the node's own traffic. */
	in = skb->skb_iif ? dev_get_by_index_rcu(state->net, skb->skb_iif) :
			    NULL;
	from_pod = in && clnet_link_is_primary(in);
	daddr = ip_hdr(skb)->daddr;
	local = from_pod && inet_addr_type_dev_table(state->net, state->out,
						     daddr) == RTN_LOCAL;
	if (!clnet_masq_wanted(cfg, from_pod, state->out->ifindex, daddr,
			       local))
		return NF_ACCEPT;
	return clnet_masq_bind(mn, cfg, skb, ct, state);
}

static int clnet_masq_hook(struct net *net, struct clnet_masq_net *mn,
			   const struct clnet_nf_ops *nf,
			   struct netlink_ext_ack *extack)
{
	int err;

	err = nf->ct_netns_get(net, NFPROTO_IPV4);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot enable conntrack in this network namespace");
		return err;
	}
	mn->nat_ops = (struct nf_hook_ops) {
		.hook		= clnet_masq_nat_fn,
		.priv		= mn,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_POST_ROUTING,
		.priority	= NF_IP_PRI_NAT_SRC,
	};
	err = nf->nat_register_fn(net, &mn->nat_ops);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot register with nf_nat");
		goto err_ct;
	}
	mn->count_ops = (struct nf_hook_ops) {
		.hook		= clnet_masq_count_hook,
		.priv		= mn,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_POST_ROUTING,
		.priority	= NF_IP_PRI_NAT_SRC + 1,
	};
	err = nf_register_net_hook(net, &mn->count_ops);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot register a POST_ROUTING hook");
		goto err_nat;
	}
	mn->hooked = true;
	/* For the fast path's pod egress (fastpath.c). */
	clnet_nf_learn_pre_hooks(net);
	return 0;

err_nat:
	nf->nat_unregister_fn(net, &mn->nat_ops);
err_ct:
	nf->ct_netns_put(net, NFPROTO_IPV4);
	return err;
}

static void clnet_masq_unhook(struct net *net, struct clnet_masq_net *mn)
{
	const struct clnet_nf_ops *nf = clnet_nf();

	if (!mn->hooked)
		return;
	nf_unregister_net_hook(net, &mn->count_ops);
	nf->nat_unregister_fn(net, &mn->nat_ops);
	nf->ct_netns_put(net, NFPROTO_IPV4);
	mn->hooked = false;
}

int clnet_masq_set(struct net *net, struct clnet_masq_config *new,
		   struct netlink_ext_ack *extack)
{
	struct clnet_masq_net *mn = clnet_masq_pernet(net);
	struct clnet_masq_config *old;
	int err;

	err = clnet_nf_bind(extack);
	if (err) {
		kfree(new);
		return err;
	}

	mutex_lock(&clnet_masq_lock);
	if (!mn->hooked) {
		err = clnet_masq_hook(net, mn, clnet_nf(), extack);
		if (err) {
			mutex_unlock(&clnet_masq_lock);
			kfree(new);
			return err;
		}
	}
	old = rcu_replace_pointer(mn->cfg, new,
				  lockdep_is_held(&clnet_masq_lock));
	mutex_unlock(&clnet_masq_lock);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

/* The hooks stay (see clnet_masq_net); only new flows are no longer bound. */
void clnet_masq_del(struct net *net)
{
	struct clnet_masq_net *mn = clnet_masq_pernet(net);
	struct clnet_masq_config *old;

	mutex_lock(&clnet_masq_lock);
	old = rcu_replace_pointer(mn->cfg, NULL,
				  lockdep_is_held(&clnet_masq_lock));
	mutex_unlock(&clnet_masq_lock);
	if (old)
		kfree_rcu(old, rcu);
}

const struct clnet_masq_config *clnet_masq_config(struct net *net)
{
	/* Only set() and del() replace it, and the genl mutex orders them. */
	return rcu_dereference_protected(clnet_masq_pernet(net)->cfg, 1);
}

__be32 clnet_masq_dev_addr(const struct clnet_masq_config *cfg,
			   struct net_device *dev)
{
	return cfg->src ?: inet_select_addr(dev, 0, RT_SCOPE_UNIVERSE);
}

void clnet_masq_read(struct net *net, struct clnet_masq_counters *c)
{
	const struct clnet_masq_net *mn = clnet_masq_pernet(net);
	int cpu, i;

	memset(c, 0, sizeof(*c));
	for_each_possible_cpu(cpu) {
		const struct clnet_masq_stats *s = per_cpu_ptr(mn->stats, cpu);
		u64 flows, packets, bytes, drop[CLNET_MASQ_NR_DROPS];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			flows = u64_stats_read(&s->flows);
			packets = u64_stats_read(&s->packets);
			bytes = u64_stats_read(&s->bytes);
			for (i = 0; i < CLNET_MASQ_NR_DROPS; i++)
				drop[i] = u64_stats_read(&s->drop[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		c->flows += flows;
		c->packets += packets;
		c->bytes += bytes;
		for (i = 0; i < CLNET_MASQ_NR_DROPS; i++)
			c->drop[i] += drop[i];
	}
	/* Conntrack's own counters exist only while nf_conntrack is loaded. */
	if (!clnet_nf() || !net->ct.stat)
		return;
	for_each_possible_cpu(cpu) {
		const struct ip_conntrack_stat *st = per_cpu_ptr(net->ct.stat, cpu);

		c->ct_insert_failed += READ_ONCE(st->insert_failed);
		c->ct_drop += READ_ONCE(st->drop);
	}
}

static int __net_init clnet_masq_net_init(struct net *net)
{
	struct clnet_masq_net *mn = clnet_masq_pernet(net);
	int cpu;

	mn->stats = alloc_percpu(struct clnet_masq_stats);
	if (!mn->stats)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(mn->stats, cpu)->syncp);
	return 0;
}

/* As the fast path's: the hook goes first, the counters after RCU. */
static void __net_exit clnet_masq_net_pre_exit(struct net *net)
{
	struct clnet_masq_net *mn = clnet_masq_pernet(net);

	clnet_masq_del(net);
	mutex_lock(&clnet_masq_lock);
	clnet_masq_unhook(net, mn);
	mutex_unlock(&clnet_masq_lock);
}

static void __net_exit clnet_masq_net_exit(struct net *net)
{
	free_percpu(clnet_masq_pernet(net)->stats);
}

static struct pernet_operations clnet_masq_net_ops = {
	.init		= clnet_masq_net_init,
	.pre_exit	= clnet_masq_net_pre_exit,
	.exit		= clnet_masq_net_exit,
	.id		= &clnet_masq_net_id,
	.size		= sizeof(struct clnet_masq_net),
};

int __init clnet_masq_init(void)
{
	return register_pernet_subsys(&clnet_masq_net_ops);
}

/* Masquerade off in every netns. */
void clnet_masq_exit(void)
{
	unregister_pernet_subsys(&clnet_masq_net_ops);
}
