/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The clnet generic netlink family.
 */
#ifndef _CLNET_NETLINK_H
#define _CLNET_NETLINK_H

#include <linux/clnet.h>
#include <net/netlink.h>

int clnet_genl_init(void);
void clnet_genl_exit(void);

#if IS_ENABLED(CONFIG_KUNIT)
/* The commands' policies, for the KUnit suites (tests/) to parse with. */
extern const struct nla_policy clnet_nl_link_new_policy[CLNET_LINK_A_MAX + 1];
extern const struct nla_policy clnet_nl_link_set_policy[CLNET_LINK_A_MAX + 1];
extern const struct nla_policy clnet_nl_link_id_policy[CLNET_LINK_A_MAX + 1];
extern const struct nla_policy clnet_nl_fastpath_set_policy[CLNET_FASTPATH_A_MAX + 1];
extern const struct nla_policy clnet_nl_masq_set_policy[CLNET_MASQ_A_MAX + 1];
#endif

#endif /* _CLNET_NETLINK_H */
