// SPDX-License-Identifier: GPL-2.0
/*
 * The on-demand binding to nf_conntrack and nf_nat (see nfbind.h).
 *
 * symbol_get() takes a reference on the module that exports the symbol
 * and needs no relocation against it, so modpost records no dependency
 * and insmod needs neither module. The table is filled completely before
 * it is published; a partial lookup puts back what it got. The lookups
 * are type-checked: symbol_get() has the type of the declaration in the
 * kernel's headers. symbol_get() only hands out EXPORT_SYMBOL_GPL
 * symbols; what nf_conntrack and nf_nat export otherwise is reached
 * through the kernel's own nf_nat_hook or done inline (nfbind.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kallsyms.h>
#include <linux/kmod.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netfilter_ipv4.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_core.h>
#include <net/netfilter/nf_nat.h>
#include <net/netfilter/nf_nat_masquerade.h>
#include <net/netlink.h>

#include "nfbind.h"

static DEFINE_MUTEX(clnet_nf_lock);
static struct clnet_nf_ops clnet_nf_table;
const struct clnet_nf_ops *clnet_nf_bound;
nf_hookfn *clnet_nf_pre_hooks[CLNET_NF_PRE_NR];

static void clnet_nf_put_all(struct clnet_nf_ops *t)
{
	if (t->ct_netns_get)
		symbol_put(nf_ct_netns_get);
	if (t->ct_netns_put)
		symbol_put(nf_ct_netns_put);
	if (t->nat_register_fn)
		symbol_put(nf_nat_ipv4_register_fn);
	if (t->nat_unregister_fn)
		symbol_put(nf_nat_ipv4_unregister_fn);
	if (t->masq_notifiers_register)
		symbol_put(nf_nat_masquerade_inet_register_notifiers);
	if (t->masq_notifiers_unregister)
		symbol_put(nf_nat_masquerade_inet_unregister_notifiers);
	if (t->masquerade)
		symbol_put(nf_nat_masquerade_ipv4);
	if (t->nat_ext_add)
		symbol_put(nf_ct_nat_ext_add);
	if (t->nat_packet)
		symbol_put(nf_nat_packet);
	if (t->conntrack_in)
		symbol_put(nf_conntrack_in);
	memset(t, 0, sizeof(*t));
}

/* All or nothing. */
static int clnet_nf_get_all(struct clnet_nf_ops *t)
{
	t->ct_netns_get = symbol_get(nf_ct_netns_get);
	t->ct_netns_put = symbol_get(nf_ct_netns_put);
	t->nat_register_fn = symbol_get(nf_nat_ipv4_register_fn);
	t->nat_unregister_fn = symbol_get(nf_nat_ipv4_unregister_fn);
	t->masq_notifiers_register = symbol_get(nf_nat_masquerade_inet_register_notifiers);
	t->masq_notifiers_unregister = symbol_get(nf_nat_masquerade_inet_unregister_notifiers);
	t->masquerade = symbol_get(nf_nat_masquerade_ipv4);
	t->nat_ext_add = symbol_get(nf_ct_nat_ext_add);
	t->nat_packet = symbol_get(nf_nat_packet);
	t->conntrack_in = symbol_get(nf_conntrack_in);

	if (t->ct_netns_get &&
	    t->ct_netns_put &&
	    t->nat_register_fn &&
	    t->nat_unregister_fn &&
	    t->masq_notifiers_register &&
	    t->masq_notifiers_unregister &&
	    t->masquerade &&
	    t->nat_ext_add &&
	    t->nat_packet &&
	    t->conntrack_in)
		return 0;
	clnet_nf_put_all(t);
	return -ENOENT;
}

int clnet_nf_bind(struct netlink_ext_ack *extack)
{
	int err = 0;

	mutex_lock(&clnet_nf_lock);
	if (clnet_nf_bound)
		goto out;
	/*
	 * nf_nat pulls in nf_conntrack. Built into the kernel, or already
	 * loaded, there is nothing to load: the lookups decide.
	 */
	request_module("nf_nat");
	err = clnet_nf_get_all(&clnet_nf_table);
	if (err) {
		pr_warn("masquerade needs nf_conntrack and nf_nat, which are not available\n");
		NL_SET_ERR_MSG(extack,
			       "masquerade needs nf_conntrack and nf_nat, which could not be loaded (modprobe nf_nat)");
		goto out;
	}
	err = clnet_nf_table.masq_notifiers_register();
	if (err) {
		clnet_nf_put_all(&clnet_nf_table);
		NL_SET_ERR_MSG(extack, "cannot register nf_nat's masquerade notifiers");
		goto out;
	}
	/* The table's contents before the pointer that publishes them. */
	smp_store_release(&clnet_nf_bound, &clnet_nf_table);
out:
	mutex_unlock(&clnet_nf_lock);
	return err;
}

void clnet_nf_unbind(void)
{
	mutex_lock(&clnet_nf_lock);
	if (clnet_nf_bound) {
		WRITE_ONCE(clnet_nf_bound, NULL);
		clnet_nf_table.masq_notifiers_unregister();
		clnet_nf_put_all(&clnet_nf_table);
		memset(clnet_nf_pre_hooks, 0, sizeof(clnet_nf_pre_hooks));
	}
	mutex_unlock(&clnet_nf_lock);
}

/* What 6.1 registers, by its priority and its function's name. */
static const struct {
	int priority;
	const char *name;
} clnet_nf_pre_known[CLNET_NF_PRE_NR] = {
	[CLNET_NF_PRE_DEFRAG]		= { NF_IP_PRI_CONNTRACK_DEFRAG, "ipv4_conntrack_defrag" },
	[CLNET_NF_PRE_CONNTRACK]	= { NF_IP_PRI_CONNTRACK, "ipv4_conntrack_in" },
	[CLNET_NF_PRE_NAT]		= { NF_IP_PRI_NAT_DST, "nf_nat_ipv4_pre_routing" },
};

/* Is @fn the function called @name (a module's ends in " [module]")? */
static bool clnet_nf_fn_is(nf_hookfn *fn, const char *name)
{
	char sym[KSYM_SYMBOL_LEN];
	size_t len = strlen(name);

	sprint_symbol_no_offset(sym, (unsigned long)fn);
	return !strncmp(sym, name, len) && (!sym[len] || sym[len] == ' ');
}

void clnet_nf_learn_pre_hooks(struct net *net)
{
	const struct nf_hook_entries *e;
	struct nf_hook_ops **ops;
	unsigned int i, k;

	if (!clnet_nf())
		return;
	rcu_read_lock();
	e = rcu_dereference(net->nf.hooks_ipv4[NF_INET_PRE_ROUTING]);
	ops = e ? nf_hook_entries_get_hook_ops(e) : NULL;
	for (i = 0; e && i < e->num_hook_entries; i++) {
		for (k = 0; k < CLNET_NF_PRE_NR; k++) {
			if (clnet_nf_pre_hook(k) ||
			    ops[i]->hook_ops_type != NF_HOOK_OP_UNDEFINED ||
			    ops[i]->priority != clnet_nf_pre_known[k].priority ||
			    !clnet_nf_fn_is(e->hooks[i].hook, clnet_nf_pre_known[k].name))
				continue;
			WRITE_ONCE(clnet_nf_pre_hooks[k], e->hooks[i].hook);
		}
	}
	rcu_read_unlock();
}
