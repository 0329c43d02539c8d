// SPDX-License-Identifier: GPL-2.0
/*
 * The clnet generic netlink family: lookup and request headers.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/clnet.h>

#include "genl.h"

/* One CTRL_ATTR_MCAST_GROUPS entry: the events group's id, if it is that. */
static void mcast_group(const struct nlattr *grp, struct clnet_nl *nl)
{
	const char *name = NULL;
	uint32_t id = 0;
	struct nlattr *a;

	mnl_attr_for_each_nested(a, grp) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			name = mnl_attr_get_str(a);
		else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID &&
			 mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			id = mnl_attr_get_u32(a);
	}
	if (name && !strcmp(name, CLNET_MCGRP_EVENTS))
		nl->events_group = id;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct clnet_nl *nl = data;
	struct nlattr *attr, *grp;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(attr)) {
		case CTRL_ATTR_FAMILY_ID:
			if (mnl_attr_validate(attr, MNL_TYPE_U16) >= 0)
				nl->family = mnl_attr_get_u16(attr);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			mnl_attr_for_each_nested(grp, attr)
				mcast_group(grp, nl);
			break;
		}
	}
	return MNL_CB_OK;
}

static struct nlmsghdr *genl_msg(struct nl_sock *s, uint16_t family,
				 uint8_t cmd, uint8_t version, uint16_t flags)
{
	struct nlmsghdr *nlh = nl_msg(s, family, flags);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	g->cmd = cmd;
	g->version = version;
	return nlh;
}

/* Attribute names as the ABI spells them, for error messages. */
static const char *const link_attr_names[CLNET_LINK_A_MAX + 1] = {
	[CLNET_LINK_A_IFINDEX]		= "IFINDEX",
	[CLNET_LINK_A_IFNAME]		= "IFNAME",
	[CLNET_LINK_A_PEER_IFINDEX]	= "PEER_IFINDEX",
	[CLNET_LINK_A_PEER_IFNAME]	= "PEER_IFNAME",
	[CLNET_LINK_A_PEER_NETNS_FD]	= "PEER_NETNS_FD",
	[CLNET_LINK_A_PEER_NETNS_PID]	= "PEER_NETNS_PID",
	[CLNET_LINK_A_PEER_NETNSID]	= "PEER_NETNSID",
	[CLNET_LINK_A_MODE]		= "MODE",
	[CLNET_LINK_A_POLICY]		= "POLICY",
	[CLNET_LINK_A_PEER_POLICY]	= "PEER_POLICY",
	[CLNET_LINK_A_MTU]		= "MTU",
	[CLNET_LINK_A_PRIMARY]		= "PRIMARY",
	[CLNET_LINK_A_CARRIER]		= "CARRIER",
};

static const char *const fastpath_attr_names[CLNET_FASTPATH_A_MAX + 1] = {
	[CLNET_FASTPATH_A_ENABLED]	= "ENABLED",
	[CLNET_FASTPATH_A_FORWARDED]	= "FORWARDED",
	[CLNET_FASTPATH_A_FALLBACK]	= "FALLBACK",
	[CLNET_FASTPATH_A_DIRECT]	= "DIRECT",
	[CLNET_FASTPATH_A_NAT_ORIGINAL]	= "NAT_ORIGINAL",
	[CLNET_FASTPATH_A_NAT_REPLY]	= "NAT_REPLY",
};

static const char *const masq_attr_names[CLNET_MASQ_A_MAX + 1] = {
	[CLNET_MASQ_A_ENABLED]		= "ENABLED",
	[CLNET_MASQ_A_DEV]		= "DEV",
	[CLNET_MASQ_A_NATIVE_CIDR]	= "NATIVE_CIDR",
	[CLNET_MASQ_A_EXCLUDE]		= "EXCLUDE",
	[CLNET_MASQ_A_SRC]		= "SRC",
	[CLNET_MASQ_A_FLOWS]		= "FLOWS",
	[CLNET_MASQ_A_PACKETS]		= "PACKETS",
	[CLNET_MASQ_A_BYTES]		= "BYTES",
	[CLNET_MASQ_A_DROP]		= "DROP",
	[CLNET_MASQ_A_CT_INSERT_FAILED]	= "CT_INSERT_FAILED",
	[CLNET_MASQ_A_CT_DROP]		= "CT_DROP",
};

static const char *const announce_attr_names[CLNET_ANNOUNCE_A_MAX + 1] = {
	[CLNET_ANNOUNCE_A_ADDR]			= "ADDR",
	[CLNET_ANNOUNCE_A_IFINDEX]		= "IFINDEX",
	[CLNET_ANNOUNCE_A_IFNAME]		= "IFNAME",
	[CLNET_ANNOUNCE_A_LEASE_MS]		= "LEASE_MS",
	[CLNET_ANNOUNCE_A_GARP_COUNT]		= "GARP_COUNT",
	[CLNET_ANNOUNCE_A_GARP_INTERVAL_MS]	= "GARP_INTERVAL_MS",
	[CLNET_ANNOUNCE_A_REFRESH_MS]		= "REFRESH_MS",
	[CLNET_ANNOUNCE_A_STATE]		= "STATE",
	[CLNET_ANNOUNCE_A_REASON]		= "REASON",
	[CLNET_ANNOUNCE_A_LEASE_LEFT_MS]	= "LEASE_LEFT_MS",
	[CLNET_ANNOUNCE_A_REPLIES]		= "REPLIES",
	[CLNET_ANNOUNCE_A_GARPS]		= "GARPS",
	[CLNET_ANNOUNCE_A_GARP_FAILED]		= "GARP_FAILED",
	[CLNET_ANNOUNCE_A_LAST_GARP_MS]		= "LAST_GARP_MS",
	[CLNET_ANNOUNCE_A_PODS]			= "PODS",
};

struct nlmsghdr *clnet_nl_msg(struct clnet_nl *nl, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = genl_msg(&nl->s, nl->family, cmd,
					CLNET_GENL_VERSION, flags);

	nl->s.hdrlen = sizeof(struct genlmsghdr);
	switch (cmd) {
	case CLNET_CMD_LINK_NEW:
	case CLNET_CMD_LINK_SET:
	case CLNET_CMD_LINK_DEL:
	case CLNET_CMD_LINK_GET:
		nl->s.attr_names = link_attr_names;
		nl->s.n_attr_names = CLNET_LINK_A_MAX + 1;
		break;
	case CLNET_CMD_FASTPATH_SET:
	case CLNET_CMD_FASTPATH_GET:
		nl->s.attr_names = fastpath_attr_names;
		nl->s.n_attr_names = CLNET_FASTPATH_A_MAX + 1;
		break;
	case CLNET_CMD_MASQ_SET:
	case CLNET_CMD_MASQ_DEL:
	case CLNET_CMD_MASQ_GET:
		nl->s.attr_names = masq_attr_names;
		nl->s.n_attr_names = CLNET_MASQ_A_MAX + 1;
		break;
	case CLNET_CMD_ANNOUNCE_ADD:
	case CLNET_CMD_ANNOUNCE_RENEW:
	case CLNET_CMD_ANNOUNCE_DEL:
	case CLNET_CMD_ANNOUNCE_GET:
	case CLNET_CMD_ANNOUNCE_PODS_SET:
	case CLNET_CMD_ANNOUNCE_PODS_GET:
		nl->s.attr_names = announce_attr_names;
		nl->s.n_attr_names = CLNET_ANNOUNCE_A_MAX + 1;
		break;
	}
	return nlh;
}

int clnet_nl_open(struct clnet_nl *nl)
{
	struct nlmsghdr *nlh;
	int ret;

	nl->family = 0;
	nl->events_group = 0;
	ret = nl_open(&nl->s, NETLINK_GENERIC);
	if (ret)
		return ret;

	nlh = genl_msg(&nl->s, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, CLNET_GENL_NAME);
	/* The controller's "no such family" is our "module not loaded"; say
	 * that instead of its own message.
	 */
	nl->s.quiet = true;
	ret = nl_talk(&nl->s, nlh, family_cb, nl);
	nl->s.quiet = false;
	if (!ret && !nl->family)
		ret = -ENOENT;
	if (!ret)
		return 0;
	if (ret == -ENOENT)
		fprintf(stderr, "clnet kernel module is not loaded: "
			"modprobe clnet, or insmod path/to/clnet.ko\n");
	else
		fprintf(stderr, "clnetctl: cannot look up the clnet family: %s\n",
			strerror(-ret));
	nl_close(&nl->s);
	return ret;
}

void clnet_nl_close(struct clnet_nl *nl)
{
	nl_close(&nl->s);
}
