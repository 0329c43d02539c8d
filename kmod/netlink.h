/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The clnet generic netlink family.
 */
#ifndef _CLNET_NETLINK_H
#define _CLNET_NETLINK_H

#include <linux/clnet.h>
#include <net/netlink.h>

struct genl_family;
struct net_device;
struct sk_buff;

int clnet_genl_init(void);
void clnet_genl_exit(void);

/* The index of the "events" group among the family's groups. */
#define CLNET_NL_MCGRP_EVENTS	0

/*
 * The family, for events.c, or NULL while it is not registered (module
 * load and unload). _family() under rcu_read_lock(): the family stays
 * registered until the caller's rcu_read_unlock(). _family_rtnl() under
 * RTNL, which its unregistration also takes.
 */
const struct genl_family *clnet_nl_family(void);
const struct genl_family *clnet_nl_family_rtnl(void);
/* A LINK_NEW event for @primary into @msg, as a LINK_GET reply. RTNL. */
int clnet_nl_link_event(struct sk_buff *msg, struct net_device *primary);

#if IS_ENABLED(CONFIG_KUNIT)
/* The commands' policies, for the KUnit suites (tests/) to parse with. */
extern const struct nla_policy clnet_nl_link_new_policy[CLNET_LINK_A_MAX + 1];
extern const struct nla_policy clnet_nl_link_set_policy[CLNET_LINK_A_MAX + 1];
extern const struct nla_policy clnet_nl_link_id_policy[CLNET_LINK_A_MAX + 1];
extern const struct nla_policy clnet_nl_fastpath_set_policy[CLNET_FASTPATH_A_MAX + 1];
extern const struct nla_policy clnet_nl_masq_set_policy[CLNET_MASQ_A_MAX + 1];
extern const struct nla_policy clnet_nl_announce_add_policy[CLNET_ANNOUNCE_A_MAX + 1];
extern const struct nla_policy clnet_nl_announce_renew_policy[CLNET_ANNOUNCE_A_MAX + 1];
extern const struct nla_policy clnet_nl_announce_id_policy[CLNET_ANNOUNCE_A_MAX + 1];
extern const struct nla_policy clnet_nl_announce_pods_policy[CLNET_ANNOUNCE_A_MAX + 1];
bool clnet_nl_ann_unicast(__be32 addr);
int clnet_nl_ann_ranges(struct nlattr **tb, struct netlink_ext_ack *extack);
#endif

#endif /* _CLNET_NETLINK_H */
