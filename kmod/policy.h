/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attribute policies of the clnet genl commands. A header of its own so
 * that the KUnit suites (tests/) parse with exactly the tables the family
 * registers.
 */
#ifndef _CLNET_POLICY_H
#define _CLNET_POLICY_H

#include <linux/if_ether.h>
#include <linux/netdevice.h>
#include <net/netlink.h>

#include <linux/clnet.h>

#define CLNET_IFNAME_POLICY { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 }
#define CLNET_POLICY_POLICY NLA_POLICY_MAX(NLA_U32, CLNET_LINK_POLICY_MAX)
#define CLNET_MTU_POLICY    NLA_POLICY_FULL_RANGE(NLA_U32, &clnet_mtu_range)

/* The short-range form of NLA_POLICY_RANGE cannot hold ETH_MAX_MTU. */
static struct netlink_range_validation clnet_mtu_range __ro_after_init = {
	.min = ETH_MIN_MTU,
	.max = ETH_MAX_MTU,
};

/* What a pair is created with; LINK_SET parses it too (see below). */
#define CLNET_LINK_CONFIG_POLICY					\
	[CLNET_LINK_A_IFNAME]		= CLNET_IFNAME_POLICY,		\
	[CLNET_LINK_A_PEER_IFNAME]	= CLNET_IFNAME_POLICY,		\
	[CLNET_LINK_A_PEER_NETNS_FD]	= { .type = NLA_U32 },		\
	[CLNET_LINK_A_PEER_NETNS_PID]	= { .type = NLA_U32 },		\
	[CLNET_LINK_A_MODE]		= NLA_POLICY_MAX(NLA_U32, CLNET_LINK_MODE_MAX), \
	[CLNET_LINK_A_POLICY]		= CLNET_POLICY_POLICY,		\
	[CLNET_LINK_A_PEER_POLICY]	= CLNET_POLICY_POLICY,		\
	[CLNET_LINK_A_MTU]		= CLNET_MTU_POLICY

/* Strict parsing rejects any attribute a command's policy leaves out. */
static const struct nla_policy clnet_link_new_policy[CLNET_LINK_A_MAX + 1] = {
	CLNET_LINK_CONFIG_POLICY,
};

/* Creation-time attributes parse here so that the refusal can name them. */
static const struct nla_policy clnet_link_set_policy[CLNET_LINK_A_MAX + 1] = {
	CLNET_LINK_CONFIG_POLICY,
	[CLNET_LINK_A_IFINDEX]		= { .type = NLA_U32 },
};

static const struct nla_policy clnet_link_id_policy[CLNET_LINK_A_MAX + 1] = {
	[CLNET_LINK_A_IFINDEX]		= { .type = NLA_U32 },
	[CLNET_LINK_A_IFNAME]		= CLNET_IFNAME_POLICY,
};

static const struct nla_policy clnet_fastpath_set_policy[CLNET_FASTPATH_A_MAX + 1] = {
	[CLNET_FASTPATH_A_ENABLED]	= NLA_POLICY_MAX(NLA_U8, 1),
};

#endif /* _CLNET_POLICY_H */
