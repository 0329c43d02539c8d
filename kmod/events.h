/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Events to the family's "events" multicast group, in the netns they
 * happened in. Each is skipped cheaply when nobody listens there.
 */
#ifndef _CLNET_EVENTS_H
#define _CLNET_EVENTS_H

#include <linux/types.h>

struct net;
struct net_device;

/*
 * An announcement entry's ANNOUNCE_UP, _DOWN or _EXPIRE (@cmd); any
 * context, sleeps never. @reason NONE is left out of the message.
 */
void clnet_ev_announce(struct net *net, u8 cmd, __be32 addr,
		       const struct net_device *dev, u32 state, u32 reason);

/*
 * LINK_NEW (the LINK_GET attributes of @primary) or LINK_DEL (IFINDEX and
 * IFNAME), in @primary's netns. RTNL. @primary may be NULL: no event.
 */
void clnet_ev_link(u8 cmd, struct net_device *primary);

#endif /* _CLNET_EVENTS_H */
