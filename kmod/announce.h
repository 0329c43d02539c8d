/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ARP announcements: per netns, addresses clnet answers ARP for on a
 * device and announces by gratuitous ARP, with optional leases, and
 * devices on which it also answers for the pods of this node.
 *
 * Configuration functions need RTNL (the caller's) and may sleep; the
 * caller has checked the address (unicast) and the device (an Ethernet
 * device that does ARP, no clnet end).
 */
#ifndef _CLNET_ANNOUNCE_H
#define _CLNET_ANNOUNCE_H

#include <linux/clnet.h>
#include <linux/if.h>
#include <linux/types.h>

struct net;
struct net_device;
struct netlink_ext_ack;

#define CLNET_ANN_DEF_GARP_COUNT	4
#define CLNET_ANN_DEF_GARP_INTERVAL_MS	500

struct clnet_ann_params {
	u32 lease_ms;		/* 0: static */
	u32 garp_count;
	u32 garp_interval_ms;
	u32 refresh_ms;		/* 0: none */
};

/* One entry as GET reports it. */
struct clnet_ann_info {
	__be32 addr;
	int ifindex;
	char ifname[IFNAMSIZ];
	enum clnet_announce_state state;
	enum clnet_announce_reason reason;
	struct clnet_ann_params params;
	u32 lease_left_ms;
	u64 replies;
	u64 garps;
	u64 garp_failed;
	bool garped;		/* last_garp_ms is meaningful */
	u64 last_garp_ms;
};

/* One device with pod announcements on, as PODS_GET reports it. */
struct clnet_ann_pods_info {
	int ifindex;
	char ifname[IFNAMSIZ];
	u32 garp_count;
	u32 garp_interval_ms;
	u64 replies;
	u64 garps;
	u64 garp_failed;
};

int clnet_ann_init(void);
void clnet_ann_exit(void);

int clnet_ann_add(struct net *net, struct net_device *dev, __be32 addr,
		  const struct clnet_ann_params *p,
		  struct netlink_ext_ack *extack);
/* @lease_ms 0: the entry's own lease. */
int clnet_ann_renew(struct net *net, int ifindex, __be32 addr, u32 lease_ms,
		    struct netlink_ext_ack *extack);
int clnet_ann_del(struct net *net, int ifindex, __be32 addr,
		  struct netlink_ext_ack *extack);
int clnet_ann_get(struct net *net, int ifindex, __be32 addr,
		  struct clnet_ann_info *info, struct netlink_ext_ack *extack);

/*
 * Call @fn for the entries from position *@pos on (of device @ifindex
 * only, unless 0) until it returns non-zero; *@pos is then the position
 * to resume at, and *@gen the table's generation (it changes with every
 * add and delete).
 */
typedef int clnet_ann_walk_fn(const struct clnet_ann_info *info, void *ctx);
void clnet_ann_walk(struct net *net, int ifindex, long *pos,
		    unsigned int *gen, clnet_ann_walk_fn *fn, void *ctx);

/* Without RTNL (it registers a fib notifier); @ifindex checked by the caller. */
int clnet_ann_pods_set(struct net *net, int ifindex, bool on, u32 garp_count,
		       u32 garp_interval_ms, struct netlink_ext_ack *extack);
typedef int clnet_ann_pods_walk_fn(const struct clnet_ann_pods_info *info,
				   void *ctx);
void clnet_ann_pods_walk(struct net *net, long *pos,
			 clnet_ann_pods_walk_fn *fn, void *ctx);

#endif /* _CLNET_ANNOUNCE_H */
