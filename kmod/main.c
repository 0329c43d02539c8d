// SPDX-License-Identifier: GPL-2.0
/*
 * clnet: node dataplane for small Kubernetes-on-VM clusters.
 *
 * Module entry points and per network namespace state.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>

#include "clnet.h"

unsigned int clnet_net_id __read_mostly;

#ifdef CLNET_SELFTEST_FAULT_LEAK
/* Written once and forgotten: kmemleak must report this allocation. */
static void *clnet_fault_leak;

static void clnet_selftest_fault(void)
{
	clnet_fault_leak = kmalloc(128, GFP_KERNEL);
	clnet_fault_leak = NULL;
}
#else
static void clnet_selftest_fault(void)
{
}
#endif

static int __net_init clnet_net_init(struct net *net)
{
	return clnet_fastpath_net_init(clnet_pernet(net));
}

static void __net_exit clnet_net_pre_exit(struct net *net)
{
	clnet_fastpath_net_pre_exit(net);
}

static void __net_exit clnet_net_exit(struct net *net)
{
	clnet_fastpath_net_exit(net);
}

static struct pernet_operations clnet_net_ops = {
	.init = clnet_net_init,
	.pre_exit = clnet_net_pre_exit,
	.exit = clnet_net_exit,
	.id   = &clnet_net_id,
	.size = sizeof(struct clnet_net),
};

static int __init clnet_init(void)
{
	int err;

	err = register_pernet_subsys(&clnet_net_ops);
	if (err)
		return err;

	err = clnet_link_init();
	if (err)
		goto err_pernet;

	/* Last: once the family is visible, userspace may call into us. */
	err = clnet_genl_init();
	if (err)
		goto err_link;

	clnet_selftest_fault();
	pr_info("version %s loaded\n", CLNET_VERSION);
	return 0;

err_link:
	clnet_link_exit();
err_pernet:
	unregister_pernet_subsys(&clnet_net_ops);
	return err;
}

static void __exit clnet_exit(void)
{
	clnet_genl_exit();
	clnet_link_exit();
	unregister_pernet_subsys(&clnet_net_ops);
}

module_init(clnet_init);
module_exit(clnet_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("clnet node dataplane: pod device pairs, host routing, masquerade, ARP announcements");
MODULE_AUTHOR("The clnet authors");
MODULE_VERSION(CLNET_VERSION);
MODULE_ALIAS_GENL_FAMILY(CLNET_GENL_NAME);
MODULE_ALIAS_RTNL_LINK("clnet");
