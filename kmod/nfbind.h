/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clnet's binding to nf_conntrack and nf_nat, made on first use.
 *
 * clnet.ko does not link against either module, so that it loads on a
 * kernel that has not loaded them. The first masquerade configuration
 * loads them and looks up the functions below by name (symbol_get());
 * the references, and with them the two modules, are held until clnet
 * is unloaded.
 */
#ifndef _CLNET_NFBIND_H
#define _CLNET_NFBIND_H

#include <linux/skbuff.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_nat.h>

struct netlink_ext_ack;

struct clnet_nf_ops {
	int (*ct_netns_get)(struct net *net, u8 nfproto);
	void (*ct_netns_put)(struct net *net, u8 nfproto);
	int (*nat_register_fn)(struct net *net, const struct nf_hook_ops *ops);
	void (*nat_unregister_fn)(struct net *net, const struct nf_hook_ops *ops);
	int (*masq_notifiers_register)(void);
	void (*masq_notifiers_unregister)(void);
	unsigned int (*masquerade)(struct sk_buff *skb, unsigned int hooknum,
				   const struct nf_nat_range2 *range,
				   const struct net_device *out);
	struct nf_conn_nat *(*nat_ext_add)(struct nf_conn *ct);
	unsigned int (*nat_packet)(struct nf_conn *ct,
				   enum ip_conntrack_info ctinfo,
				   unsigned int hooknum, struct sk_buff *skb);
	unsigned int (*conntrack_in)(struct sk_buff *skb,
				     const struct nf_hook_state *state);
};

/*
 * Load and bind; may sleep. Returns 0 once bound (later calls return at
 * once), or an error with an extack message.
 */
int clnet_nf_bind(struct netlink_ext_ack *extack);
/* Drop the references; at module exit, after every user is gone. */
void clnet_nf_unbind(void);

/* Written only by clnet_nf_bind() and clnet_nf_unbind(). */
extern const struct clnet_nf_ops *clnet_nf_bound;

/*
 * The bound functions, or NULL before the first bind; any context. Once
 * bound, they stay until clnet_nf_unbind() at module exit, which comes
 * after every hook that calls them is gone. (Inline: the fast path asks
 * for them on every packet of a NATed flow.)
 */
static inline const struct clnet_nf_ops *clnet_nf(void)
{
	/* Pairs with the release in clnet_nf_bind(). */
	return smp_load_acquire(&clnet_nf_bound);
}

/*
 * The kernel's own PRE_ROUTING hooks for conntrack, in their priority
 * order: defragmentation, conntrack itself, nf_nat's manip.
 */
enum clnet_nf_pre {
	CLNET_NF_PRE_DEFRAG,
	CLNET_NF_PRE_CONNTRACK,
	CLNET_NF_PRE_NAT,

	CLNET_NF_PRE_NR,
};

/*
 * Learn those hooks' functions from @net's PRE_ROUTING hooks, once
 * masquerade has had them registered there; process context. Neither
 * module exports them, so they are recognised by priority and name
 * (kallsyms); without kallsyms, or if their names change, nothing is
 * learnt, and clnet_nf_pre_hook() stays NULL.
 */
void clnet_nf_learn_pre_hooks(struct net *net);

/* Written only by clnet_nf_learn_pre_hooks() and clnet_nf_unbind(). */
extern nf_hookfn *clnet_nf_pre_hooks[CLNET_NF_PRE_NR];

/*
 * The learnt function of @which, or NULL; any context. Once learnt it
 * stays valid: the modules are held until clnet_nf_unbind().
 */
static inline nf_hookfn *clnet_nf_pre_hook(enum clnet_nf_pre which)
{
	return READ_ONCE(clnet_nf_pre_hooks[which]);
}

/*
 * A flow's NAT extension, or NULL. nf_ct_ext_find() is not inline in 6.1
 * and not GPL-only, so neither linking to it nor symbol_get() works; the
 * extension's layout is the header's. (nf_ct_ext_find() would also refuse
 * an extension whose generation is stale after a helper or timeout
 * module went away; masq_index, all that is read here, stays valid.)
 */
static inline struct nf_conn_nat *clnet_nf_ct_nat(const struct nf_conn *ct)
{
	struct nf_ct_ext *ext = ct->ext;

	if (!ext || !__nf_ct_ext_exist(ext, NF_CT_EXT_NAT))
		return NULL;
	return (void *)ext + ext->offset[NF_CT_EXT_NAT];
}

#endif /* _CLNET_NFBIND_H */
