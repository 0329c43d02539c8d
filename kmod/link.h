/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The clnet device pair: what the rest of the module may ask of it. Every
 * function here but the datapath ones needs RTNL.
 */
#ifndef _CLNET_LINK_H
#define _CLNET_LINK_H

#include <linux/clnet.h>
#include <linux/netdevice.h>
#include <linux/types.h>

struct netlink_ext_ack;

struct clnet_link_config {
	const char *name;
	const char *peer_name;
	struct net *net;		/* the primary's */
	struct net *peer_net;
	enum clnet_link_mode mode;
	enum clnet_link_policy policy;	/* the primary's */
	enum clnet_link_policy peer_policy;
	u32 mtu;
};

/* What one end reports; the policies are the pair's, primary's first. */
struct clnet_link_info {
	struct net_device *peer;	/* NULL while the pair is torn down */
	enum clnet_link_mode mode;
	enum clnet_link_policy policy;
	enum clnet_link_policy peer_policy;
	bool primary;
};

int clnet_link_init(void);
void clnet_link_exit(void);

bool clnet_link_is_end(const struct net_device *dev);
bool clnet_link_is_primary(const struct net_device *dev);

int clnet_link_create(const struct clnet_link_config *cfg,
		      struct netlink_ext_ack *extack);
int clnet_link_set_mtu(struct net_device *dev, u32 mtu);
void clnet_link_set_policy(struct net_device *primary, bool peer_end,
			   enum clnet_link_policy policy);
void clnet_link_delete(struct net_device *dev);
void clnet_link_get_info(struct net_device *dev, struct clnet_link_info *info);

/*
 * Datapath, under RCU with BHs off: deliver @skb, routed to primary @dev,
 * into the pod as if @dev had transmitted it, when nothing on @dev's
 * transmit path would see it. False, the skb untouched, if it must take
 * dev_queue_xmit().
 */
bool clnet_link_xmit_direct(struct sk_buff *skb, struct net_device *dev);

/*
 * The pair's one call out of itself. While held, every packet a pod sends
 * is offered to @fn just before it would be received on @primary; @fn
 * returns true if it took the skb. Only one @fn at a time; hold and
 * release nest, and sleep.
 */
typedef bool clnet_link_pod_egress_fn(struct sk_buff *skb,
				      struct net_device *primary);
void clnet_link_pod_egress_hold(clnet_link_pod_egress_fn *fn);
void clnet_link_pod_egress_release(void);

#if IS_ENABLED(CONFIG_KUNIT)
__be16 clnet_link_l3_protocol(u8 first_byte);
#endif

#endif /* _CLNET_LINK_H */
