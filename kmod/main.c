// SPDX-License-Identifier: GPL-2.0
/*
 * clnet: node dataplane for small Kubernetes-on-VM clusters.
 *
 * Module entry points: each concern sets itself up, the genl family last,
 * since userspace may call in as soon as it is visible. The binding to
 * nf_conntrack and nf_nat, made by the first masquerade configuration,
 * goes after the fast path, which translates NATed flows with nf_nat.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>

#include "announce.h"
#include "fastpath.h"
#include "link.h"
#include "masq.h"
#include "netlink.h"
#include "nfbind.h"

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

static int __init clnet_init(void)
{
	int err;

	err = clnet_link_init();
	if (err)
		return err;
	/* Before the fast path, which counts masqueraded packets into it. */
	err = clnet_masq_init();
	if (err)
		goto err_link;
	err = clnet_fp_init();
	if (err)
		goto err_masq;
	err = clnet_ann_init();
	if (err)
		goto err_fp;
	err = clnet_genl_init();
	if (err)
		goto err_ann;

	clnet_selftest_fault();
	pr_info("version %s loaded\n", CLNET_VERSION);
	return 0;

err_ann:
	clnet_ann_exit();
err_fp:
	clnet_fp_exit();
err_masq:
	clnet_masq_exit();
err_link:
	clnet_link_exit();
	return err;
}

static void __exit clnet_exit(void)
{
	clnet_genl_exit();
	clnet_ann_exit();
	clnet_fp_exit();
	clnet_masq_exit();
	clnet_nf_unbind();
	clnet_link_exit();
}

module_init(clnet_init);
module_exit(clnet_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("clnet node dataplane: pod device pairs, host routing, masquerade, ARP announcements");
MODULE_AUTHOR("The clnet authors");
MODULE_VERSION(CLNET_VERSION);
MODULE_ALIAS_GENL_FAMILY(CLNET_GENL_NAME);
MODULE_ALIAS_RTNL_LINK("clnet");
