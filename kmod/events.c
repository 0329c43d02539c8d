// SPDX-License-Identifier: GPL-2.0
/*
 * The events multicast group: announcement state changes and device
 * pairs coming and going. The family is netlink.c's; these only build
 * the messages. Announcement events come from timers (softirq) as well
 * as from commands, so they allocate atomically and never sleep.
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>

#include "events.h"
#include "netlink.h"

void clnet_ev_announce(struct net *net, u8 cmd, __be32 addr,
		       const struct net_device *dev, u32 state, u32 reason)
{
	const struct genl_family *family;
	struct sk_buff *msg;
	void *hdr;

	/* The family stays registered at least until rcu_read_unlock(). */
	rcu_read_lock();
	family = clnet_nl_family();
	if (!family || !genl_has_listeners(family, net, CLNET_NL_MCGRP_EVENTS))
		goto out;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_ATOMIC);
	if (!msg)
		goto out;
	hdr = genlmsg_put(msg, 0, 0, family, 0, cmd);
	if (!hdr ||
	    nla_put_in_addr(msg, CLNET_ANNOUNCE_A_ADDR, addr) ||
	    nla_put_u32(msg, CLNET_ANNOUNCE_A_IFINDEX, dev->ifindex) ||
	    nla_put_string(msg, CLNET_ANNOUNCE_A_IFNAME, dev->name) ||
	    nla_put_u32(msg, CLNET_ANNOUNCE_A_STATE, state) ||
	    (reason != CLNET_ANNOUNCE_REASON_NONE &&
	     nla_put_u32(msg, CLNET_ANNOUNCE_A_REASON, reason))) {
		nlmsg_free(msg);
		goto out;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(family, net, msg, 0, CLNET_NL_MCGRP_EVENTS,
				GFP_ATOMIC);
out:
	rcu_read_unlock();
}

void clnet_ev_link(u8 cmd, struct net_device *primary)
{
	const struct genl_family *family;
	struct net *net;
	struct sk_buff *msg;
	void *hdr;
	int err;

	ASSERT_RTNL();
	family = clnet_nl_family_rtnl();
	if (!primary || !family)
		return;
	net = dev_net(primary);
	if (!genl_has_listeners(family, net, CLNET_NL_MCGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (cmd == CLNET_CMD_LINK_NEW) {
		err = clnet_nl_link_event(msg, primary);
	} else {
		err = -EMSGSIZE;
		hdr = genlmsg_put(msg, 0, 0, family, 0, cmd);
		if (hdr &&
		    !nla_put_u32(msg, CLNET_LINK_A_IFINDEX, primary->ifindex) &&
		    !nla_put_string(msg, CLNET_LINK_A_IFNAME, primary->name)) {
			genlmsg_end(msg, hdr);
			err = 0;
		}
	}
	if (err) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(family, net, msg, 0, CLNET_NL_MCGRP_EVENTS,
				GFP_KERNEL);
}
