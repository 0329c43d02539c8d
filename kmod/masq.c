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
#include <linux/netfilter_ipv4.h>
#include <linux/slab.h>
#include <linux/u64_stats_sync.h>
#include <net/ip.h>
#include <net/net_namespace.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_acct.h>
#include <net/netfilter/nf_nat.h>
#include <net/netns/generic.h>
#include <net/netlink.h>
#include <net/route.h>

#include "link.h"
#include "masq.h"
#include "nfbind.h"

struct clnet_masq_stats {
	u64_stats_t flows;
	u64_stats_t drop[CLNET_MASQ_NR_DROPS];
	struct u64_stats_sync syncp;
};

struct clnet_masq_net {
	/* Changed under clnet_masq_lock; cfg read under RCU by the hook. */
	struct clnet_masq_config __rcu *cfg;
	bool hooked;		/* conntrack on, our lookup function in nf_nat */
	struct nf_hook_ops nat_ops;
	struct clnet_masq_stats __percpu *stats;
};

static DEFINE_MUTEX(clnet_masq_lock);
static unsigned int clnet_masq_net_id __read_mostly;

static struct clnet_masq_net *clnet_masq_pernet(const struct net *net)
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

static void clnet_masq_count(struct clnet_masq_net *mn, int drop)
{
	struct clnet_masq_stats *s = this_cpu_ptr(mn->stats);

	u64_stats_update_begin(&s->syncp);
	if (drop < 0)
		u64_stats_inc(&s->flows);
	else
		u64_stats_inc(&s->drop[drop]);
	u64_stats_update_end(&s->syncp);
}

/*
 * Turn on conntrack's accounting for the flow (conntrack -L shows it,
 * masq show sums it), counting the first packet, which conntrack saw
 * before the flow had it.
 */
static void clnet_masq_account(const struct clnet_nf_ops *nf,
			       struct nf_conn *ct, const struct sk_buff *skb)
{
	struct nf_conn_acct *acct;

	if (clnet_nf_ct_ext(nf, ct, NF_CT_EXT_ACCT))
		return;
	acct = nf->ct_ext_add(ct, NF_CT_EXT_ACCT, GFP_ATOMIC);
	if (!acct)
		return;
	atomic64_inc(&acct->counter[IP_CT_DIR_ORIGINAL].packets);
	atomic64_add(skb->len, &acct->counter[IP_CT_DIR_ORIGINAL].bytes);
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
		range.flags |= NF_NAT_RANGE_MAP_IPS;
		range.min_addr.ip = cfg->src;
		range.max_addr.ip = cfg->src;
		verdict = nf->setup_info(ct, &range, NF_NAT_MANIP_SRC);
		if (verdict != NF_ACCEPT) {
			clnet_masq_count(mn, CLNET_MASQ_DROP_NAT);
			return verdict;
		}
	}
	/* nf_nat_masquerade_ipv4() leaves a 0.0.0.0 source alone. */
	if (nf_nat_initialized(ct, NF_NAT_MANIP_SRC)) {
		clnet_masq_account(nf, ct, skb);
		clnet_masq_count(mn, -1);
	}
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
		nf->ct_netns_put(net, NFPROTO_IPV4);
		NL_SET_ERR_MSG(extack, "cannot register with nf_nat");
		return err;
	}
	mn->hooked = true;
	return 0;
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

void clnet_masq_del(struct net *net)
{
	struct clnet_masq_net *mn = clnet_masq_pernet(net);
	const struct clnet_nf_ops *nf = clnet_nf();
	struct clnet_masq_config *old;

	mutex_lock(&clnet_masq_lock);
	if (mn->hooked) {
		nf->nat_unregister_fn(net, &mn->nat_ops);
		nf->ct_netns_put(net, NFPROTO_IPV4);
		mn->hooked = false;
	}
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

struct clnet_masq_sum {
	u64 packets;
	u64 bytes;
};

/*
 * A flow masqueraded with accounting on: clnet's, or a MASQUERADE rule's
 * while net.netfilter.nf_conntrack_acct is on (conntrack cannot tell).
 */
static int clnet_masq_sum_one(struct nf_conn *ct, void *data)
{
	struct clnet_masq_sum *sum = data;
	const struct clnet_nf_ops *nf = clnet_nf();
	const struct nf_conn_acct *acct;
	const struct nf_conn_nat *nat;
	int dir;

	if (!(ct->status & IPS_SRC_NAT))
		return 0;
	nat = clnet_nf_ct_ext(nf, ct, NF_CT_EXT_NAT);
	acct = clnet_nf_ct_ext(nf, ct, NF_CT_EXT_ACCT);
	if (!nat || !nat->masq_index || !acct)
		return 0;
	for (dir = 0; dir < IP_CT_DIR_MAX; dir++) {
		sum->packets += atomic64_read(&acct->counter[dir].packets);
		sum->bytes += atomic64_read(&acct->counter[dir].bytes);
	}
	return 0;	/* keep it */
}

void clnet_masq_read(struct net *net, struct clnet_masq_counters *c)
{
	const struct clnet_masq_net *mn = clnet_masq_pernet(net);
	const struct clnet_nf_ops *nf = clnet_nf();
	struct clnet_masq_sum sum = {};
	int cpu, i;

	memset(c, 0, sizeof(*c));
	for_each_possible_cpu(cpu) {
		const struct clnet_masq_stats *s = per_cpu_ptr(mn->stats, cpu);
		u64 flows, drop[CLNET_MASQ_NR_DROPS];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			flows = u64_stats_read(&s->flows);
			for (i = 0; i < CLNET_MASQ_NR_DROPS; i++)
				drop[i] = u64_stats_read(&s->drop[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		c->flows += flows;
		for (i = 0; i < CLNET_MASQ_NR_DROPS; i++)
			c->drop[i] += drop[i];
	}
	/* Conntrack's own state exists only while nf_conntrack is loaded. */
	if (!nf)
		return;
	if (net->ct.stat) {
		for_each_possible_cpu(cpu) {
			const struct ip_conntrack_stat *st =
				per_cpu_ptr(net->ct.stat, cpu);

			c->ct_insert_failed += READ_ONCE(st->insert_failed);
			c->ct_drop += READ_ONCE(st->drop);
		}
	}
	nf->ct_iterate(clnet_masq_sum_one, &(struct nf_ct_iter_data) {
		.net = net,
		.data = &sum,
	});
	c->packets = sum.packets;
	c->bytes = sum.bytes;
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
	clnet_masq_del(net);
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
