// SPDX-License-Identifier: GPL-2.0
/*
 * The "clnet" generic netlink family: the only way userspace configures
 * the module. Every mutating command uses GENL_UNS_ADMIN_PERM so that the
 * owner of a netns' user namespace, and only it, may change that netns.
 */
#include <linux/if_ether.h>
#include <linux/netdevice.h>
#include <linux/socket.h>
#include <net/genetlink.h>

#include "clnet.h"
#include "policy.h"

static int clnet_get_info_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	hdr = genlmsg_put_reply(msg, info, &clnet_genl_family, 0,
				CLNET_CMD_GET_INFO);
	if (!hdr)
		goto err_size;

	if (nla_put_string(msg, CLNET_INFO_A_VERSION, CLNET_VERSION) ||
	    nla_put_u32(msg, CLNET_INFO_A_GENL_VERSION, CLNET_GENL_VERSION) ||
	    nla_put_u64_64bit(msg, CLNET_INFO_A_FEATURES, CLNET_FEATURES,
			      CLNET_INFO_A_PAD) ||
	    nla_put_u32(msg, CLNET_INFO_A_FAMILIES, BIT(AF_INET)))
		goto err_size;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_size:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static const struct genl_ops clnet_genl_ops[] = {
	{
		.cmd	= CLNET_CMD_GET_INFO,
		.doit	= clnet_get_info_doit,
	},
	{
		.cmd	= CLNET_CMD_LINK_NEW,
		.doit	= clnet_link_new_doit,
		.policy	= clnet_link_new_policy,
		.maxattr = CLNET_LINK_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= CLNET_CMD_LINK_SET,
		.doit	= clnet_link_set_doit,
		.policy	= clnet_link_set_policy,
		.maxattr = CLNET_LINK_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= CLNET_CMD_LINK_DEL,
		.doit	= clnet_link_del_doit,
		.policy	= clnet_link_id_policy,
		.maxattr = CLNET_LINK_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= CLNET_CMD_LINK_GET,
		.doit	= clnet_link_get_doit,
		.dumpit	= clnet_link_get_dumpit,
		.policy	= clnet_link_id_policy,
		.maxattr = CLNET_LINK_A_MAX,
	},
	{
		.cmd	= CLNET_CMD_FASTPATH_SET,
		.doit	= clnet_fastpath_set_doit,
		.policy	= clnet_fastpath_set_policy,
		.maxattr = CLNET_FASTPATH_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= CLNET_CMD_FASTPATH_GET,
		.doit	= clnet_fastpath_get_doit,
	},
};

struct genl_family clnet_genl_family __ro_after_init = {
	.name		= CLNET_GENL_NAME,
	.version	= CLNET_GENL_VERSION,
	.module		= THIS_MODULE,
	.netnsok	= true,
	.ops		= clnet_genl_ops,
	.n_ops		= ARRAY_SIZE(clnet_genl_ops),
	/* resv_start_op = 0: strict validation for every command */
};

int __init clnet_genl_init(void)
{
	return genl_register_family(&clnet_genl_family);
}

void clnet_genl_exit(void)
{
	genl_unregister_family(&clnet_genl_family);
}
