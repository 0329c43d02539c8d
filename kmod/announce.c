// SPDX-License-Identifier: GPL-2.0
/*
 * ARP announcements. Per netns, a table of entries keyed by (device,
 * address): clnet answers ARP requests for the address on the device,
 * announces it there by bursts of gratuitous ARP (each in both forms:
 * request and reply) when it becomes active, optionally refreshes that,
 * and lets it expire when a lease runs out without a renew.
 *
 * The ARP hook (NF_ARP_IN) answers, and then frees the request where
 * the kernel would have done nothing with it but a route lookup (a
 * forwarding node, a probe) or passes it on, so that the kernel's
 * neighbour bookkeeping sees it as before (clnet_ann_answered()). It never
 * answers for an address local to the node: the kernel does, and there
 * must be one answer. It is registered with the netns' first entry or
 * pods device and stays until the netns goes, as masquerade's hooks do:
 * a netns that announces nothing (every pod's) pays nothing per ARP
 * packet, and a netns that does is spared hook churn.
 *
 * Locking: RTNL (the callers') and then clnet_ann_net.lock order all
 * configuration and the device notifier; the packet path reads the table
 * and the pods list under RCU. Each entry's timer and state are under
 * the entry's spinlock; the hook only reads the state (READ_ONCE) and
 * bumps an atomic counter. Pod bursts, scheduled from the atomic fib
 * notifier chain, have a spinlock and one timer per netns; the fib
 * notifier is registered (which takes RTNL) under pods_lock alone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/inetdevice.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_arp.h>
#include <linux/netfilter_ipv4.h>
#include <linux/pkt_sched.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <net/fib_notifier.h>
#include <net/ip_fib.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <net/netns/generic.h>
#include <net/nexthop.h>
#include <net/route.h>

#include "announce.h"
#include "arp.h"
#include "events.h"
#include "link.h"

/* A failed GARP is tried again this much later, not at its next slot. */
#define CLNET_ANN_RETRY		(HZ / 10)
/* Pending pod bursts per netns; beyond, a burst counts as failed. */
#define CLNET_ANN_MAX_BURSTS	4096

struct clnet_ann_key {
	int ifindex;
	__be32 addr;
};

struct clnet_ann_entry {
	struct rhash_head node;
	struct clnet_ann_key key;
	struct list_head list;		/* clnet_ann_net.entries */
	struct net_device *dev;		/* held while the entry exists */
	netdevice_tracker dev_tracker;
	struct timer_list timer;
	atomic64_t replies;

	spinlock_t lock;		/* what follows; BHs off */
	enum clnet_announce_state state; /* read locklessly by the hook */
	enum clnet_announce_reason reason;
	bool dead;			/* being removed: the timer stops */
	struct clnet_ann_params p;
	unsigned long lease_end;	/* jiffies, with a lease */
	bool garp_pending;		/* next_garp is due while active */
	unsigned long next_garp;
	u32 burst_left;
	u64 garps;
	u64 garp_failed;
	bool garped;
	unsigned long last_garp;

	struct rcu_head rcu;
};

/* A device with pod announcements on. */
struct clnet_ann_pods {
	struct list_head list;		/* clnet_ann_net.pods, RCU */
	struct clnet_ann_net *an;
	struct net_device *dev;		/* held */
	netdevice_tracker dev_tracker;
	bool dead;			/* under bursts_lock: no more bursts */
	u32 garp_count;			/* changed under bursts_lock */
	u32 garp_interval_ms;
	atomic64_t replies;
	atomic64_t garps;
	atomic64_t garp_failed;
	struct rcu_head rcu;
};

/* A GARP burst for a pod address on a pods device. */
struct clnet_ann_burst {
	struct list_head list;		/* clnet_ann_net.bursts */
	struct clnet_ann_pods *pods;
	__be32 addr;
	u32 left;
	unsigned long next;
};

struct clnet_ann_net {
	struct net *net;		/* set once initialised */
	struct mutex lock;		/* configuration; under RTNL */
	struct rhashtable table;
	struct list_head entries;
	unsigned int count;
	unsigned int gen;
	struct list_head pods;
	unsigned int n_pods;
	bool hooked;
	struct nf_hook_ops hook;

	/*
	 * The fib notifier: registered with the first pods device, until
	 * the netns goes. Registering takes RTNL, so pods_lock, which
	 * orders it, comes before RTNL and is held alone while it runs.
	 * replay_nb is registered and at once unregistered again for the
	 * replay of existing routes to one new pods device, the one on
	 * replay_ifindex.
	 */
	struct mutex pods_lock;
	bool fib_registered;
	struct notifier_block fib_nb;
	struct notifier_block replay_nb;
	int replay_ifindex;

	spinlock_t bursts_lock;		/* bursts, n_bursts, exiting; BHs off */
	struct list_head bursts;
	unsigned int n_bursts;
	bool exiting;
	struct timer_list burst_timer;
};

static const struct rhashtable_params clnet_ann_params = {
	.head_offset		= offsetof(struct clnet_ann_entry, node),
	.key_offset		= offsetof(struct clnet_ann_entry, key),
	.key_len		= sizeof(struct clnet_ann_key),
	.automatic_shrinking	= true,
};

static unsigned int clnet_ann_net_id __read_mostly;
/* Module unload: the device notifier's replay must not remove entries. */
static bool clnet_ann_unloading;

static struct clnet_ann_net *clnet_ann_pernet(const struct net *net)
{
	return net_generic(net, clnet_ann_net_id);
}

/* ---- sending ---- */

/*
 * Send the frame @frame (Ethernet + ARP) out of @dev, with the device's
 * own link-layer header (a VLAN device adds its tag). Any context.
 */
static int clnet_ann_xmit(struct net_device *dev, const u8 *frame)
{
	const struct ethhdr *eth = (const struct ethhdr *)frame;
	struct sk_buff *skb;

	skb = alloc_skb(LL_RESERVED_SPACE(dev) + CLNET_ARP_LEN +
			dev->needed_tailroom, GFP_ATOMIC);
	if (!skb)
		return -ENOMEM;
	skb_reserve(skb, LL_RESERVED_SPACE(dev));
	skb_reset_network_header(skb);
	skb_put_data(skb, frame + ETH_HLEN, CLNET_ARP_LEN);
	skb->dev = dev;
	skb->protocol = htons(ETH_P_ARP);
	skb->priority = TC_PRIO_CONTROL;
	if (dev_hard_header(skb, dev, ETH_P_ARP, eth->h_dest, eth->h_source,
			    skb->len) < 0) {
		kfree_skb(skb);
		return -EINVAL;
	}
	return dev_queue_xmit(skb) ? -ENOBUFS : 0;
}

/* Both forms of a GARP for @addr on @dev; how many went out (0 to 2). */
static unsigned int clnet_ann_send_garps(struct net_device *dev, __be32 addr)
{
	u8 frame[CLNET_ARP_FRAME_LEN];
	unsigned int sent = 0;

	clnet_arp_build_garp(frame, dev->dev_addr, addr, false);
	if (!clnet_ann_xmit(dev, frame))
		sent++;
	clnet_arp_build_garp(frame, dev->dev_addr, addr, true);
	if (!clnet_ann_xmit(dev, frame))
		sent++;
	return sent;
}

static enum clnet_announce_reason
clnet_ann_link_reason(const struct net_device *dev)
{
	if (!(dev->flags & IFF_UP))
		return CLNET_ANNOUNCE_REASON_LINK_DOWN;
	if (!netif_carrier_ok(dev))
		return CLNET_ANNOUNCE_REASON_NO_CARRIER;
	return CLNET_ANNOUNCE_REASON_NONE;
}

/* ---- entries: state and timer, under e->lock ---- */

static void clnet_ann_start_burst(struct clnet_ann_entry *e, unsigned long now)
{
	e->burst_left = e->p.garp_count;
	if (e->burst_left) {
		e->garp_pending = true;
		e->next_garp = now;
	} else if (e->p.refresh_ms) {
		e->garp_pending = true;
		e->next_garp = now + msecs_to_jiffies(e->p.refresh_ms);
	} else {
		e->garp_pending = false;
	}
}

/* The timer at the next deadline: a GARP while active, the lease's end. */
static void clnet_ann_arm(struct clnet_ann_entry *e)
{
	unsigned long next = 0;
	bool have = false;

	if (e->state == CLNET_ANNOUNCE_STATE_ACTIVE && e->garp_pending) {
		next = e->next_garp;
		have = true;
	}
	if (e->p.lease_ms && e->state != CLNET_ANNOUNCE_STATE_EXPIRED &&
	    (!have || time_before(e->lease_end, next))) {
		next = e->lease_end;
		have = true;
	}
	if (have)
		mod_timer(&e->timer, next);
	else
		del_timer(&e->timer);
}

static void clnet_ann_garp(struct clnet_ann_entry *e, unsigned long now)
{
	unsigned int sent = clnet_ann_send_garps(e->dev, e->key.addr);

	e->garps += sent;
	e->garp_failed += 2 - sent;
	if (sent) {
		e->garped = true;
		e->last_garp = now;
	}
	if (sent < 2) {
		e->next_garp = now + CLNET_ANN_RETRY;
		return;
	}
	if (e->burst_left && --e->burst_left)
		e->next_garp = now + msecs_to_jiffies(e->p.garp_interval_ms);
	else if (e->p.refresh_ms)
		e->next_garp = now + msecs_to_jiffies(e->p.refresh_ms);
	else
		e->garp_pending = false;
}

/* Events of one change, sent once the entry's lock is dropped. */
struct clnet_ann_events {
	bool up;
	bool down;
	bool expire;
	enum clnet_announce_state state;
	enum clnet_announce_reason reason;
};

static void clnet_ann_send_events(struct clnet_ann_entry *e,
				  const struct clnet_ann_events *ev)
{
	struct net *net = dev_net(e->dev);

	if (ev->up)
		clnet_ev_announce(net, CLNET_CMD_ANNOUNCE_UP, e->key.addr,
				  e->dev, ev->state, ev->reason);
	if (ev->down)
		clnet_ev_announce(net, CLNET_CMD_ANNOUNCE_DOWN, e->key.addr,
				  e->dev, ev->state, ev->reason);
	if (ev->expire)
		clnet_ev_announce(net, CLNET_CMD_ANNOUNCE_EXPIRE, e->key.addr,
				  e->dev, ev->state, ev->reason);
}

/*
 * Make the entry active or inactive as its device says; not an expired
 * one. @burst: a burst even when it stays active (a new MAC address).
 */
static void clnet_ann_relink(struct clnet_ann_entry *e,
			     struct clnet_ann_events *ev, bool burst)
{
	enum clnet_announce_reason reason = clnet_ann_link_reason(e->dev);
	bool was_active = e->state == CLNET_ANNOUNCE_STATE_ACTIVE;

	if (e->state == CLNET_ANNOUNCE_STATE_EXPIRED)
		return;
	if (reason == CLNET_ANNOUNCE_REASON_NONE) {
		e->state = CLNET_ANNOUNCE_STATE_ACTIVE;
		e->reason = reason;
		if (!was_active || burst)
			clnet_ann_start_burst(e, jiffies);
		ev->up = !was_active;
	} else {
		e->state = CLNET_ANNOUNCE_STATE_INACTIVE;
		e->reason = reason;
		e->garp_pending = false;
		ev->down = was_active;
	}
	ev->state = e->state;
	ev->reason = e->reason;
}

static void clnet_ann_timer(struct timer_list *t)
{
	struct clnet_ann_entry *e = from_timer(e, t, timer);
	struct clnet_ann_events ev = {};
	unsigned long now = jiffies;

	spin_lock(&e->lock);
	if (e->dead) {
		spin_unlock(&e->lock);
		return;
	}
	if (e->p.lease_ms && e->state != CLNET_ANNOUNCE_STATE_EXPIRED &&
	    time_after_eq(now, e->lease_end)) {
		ev.down = e->state == CLNET_ANNOUNCE_STATE_ACTIVE;
		ev.expire = true;
		e->state = CLNET_ANNOUNCE_STATE_EXPIRED;
		e->reason = CLNET_ANNOUNCE_REASON_LEASE_EXPIRED;
		e->garp_pending = false;
		ev.state = e->state;
		ev.reason = e->reason;
	}
	if (e->state == CLNET_ANNOUNCE_STATE_ACTIVE && e->garp_pending &&
	    time_after_eq(now, e->next_garp))
		clnet_ann_garp(e, now);
	clnet_ann_arm(e);
	clnet_ann_send_events(e, &ev);
	spin_unlock(&e->lock);
}

/* ---- the ARP hook ---- */

static int clnet_ann_reply(struct net_device *dev,
			   const struct clnet_arp_req *req)
{
	u8 frame[CLNET_ARP_FRAME_LEN];

	clnet_arp_build_reply(frame, dev->dev_addr, req);
	return clnet_ann_xmit(dev, frame);
}

static struct fib_table *clnet_ann_main_table(struct net *net)
{
#ifdef CONFIG_IP_MULTIPLE_TABLES
	return rcu_dereference(net->ipv4.fib_main);
#else
	return fib_get_table(net, RT_TABLE_MAIN);
#endif
}

/* Whether @addr's route in the main table leads into a pod here. RCU. */
static bool clnet_ann_is_pod(struct net *net, __be32 addr)
{
	struct flowi4 fl4 = { .daddr = addr };
	struct fib_table *tb = clnet_ann_main_table(net);
	struct fib_result res;
	struct net_device *nh_dev;

	if (!tb || fib_table_lookup(tb, &fl4, &res, FIB_LOOKUP_NOREF) ||
	    res.type != RTN_UNICAST || !res.nhc)
		return false;
	nh_dev = res.nhc->nhc_dev;
	return nh_dev && clnet_link_is_primary(nh_dev) &&
	       net_eq(dev_net(nh_dev), net);
}

/* Under RCU (the ARP hook) or an->lock (configuration, device events). */
static struct clnet_ann_pods *clnet_ann_pods_find(struct clnet_ann_net *an,
						  const struct net_device *dev)
{
	struct clnet_ann_pods *pods;

	list_for_each_entry_rcu(pods, &an->pods, list,
				lockdep_is_held(&an->lock))
		if (pods->dev == dev)
			return pods;
	return NULL;
}

/*
 * What becomes of a request clnet has just answered. The kernel would
 * only look up a route for it and free it when the device forwards IPv4
 * (a router leaves other hosts' addresses alone unless it proxies them,
 * and then it would answer a second time) and for a probe (answered only
 * for local addresses, which clnet leaves to the kernel): clnet frees it
 * then. A host that does not forward may refresh its neighbour entry of
 * the asker from the request: it gets it.
 */
static unsigned int clnet_ann_answered(struct sk_buff *skb,
				       struct net_device *dev,
				       const struct clnet_arp_req *req)
{
	struct in_device *in_dev = __in_dev_get_rcu(dev);

	if (req->sip && in_dev && !IN_DEV_FORWARD(in_dev))
		return NF_ACCEPT;
	consume_skb(skb);
	return NF_STOLEN;
}

static unsigned int clnet_ann_arp_in(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	struct clnet_ann_net *an = priv;
	struct net_device *dev = state->in;
	struct clnet_ann_key key = {};
	struct clnet_ann_entry *e;
	struct clnet_ann_pods *pods;
	struct clnet_arp_req req;
	u8 buf[CLNET_ARP_LEN];
	const void *arp;

	if (!dev || dev->type != ARPHRD_ETHER || !skb_mac_header_was_set(skb))
		return NF_ACCEPT;
	arp = skb_header_pointer(skb, skb_network_offset(skb), sizeof(buf), buf);
	if (!arp || clnet_arp_classify(arp, sizeof(buf), eth_hdr(skb)->h_dest,
				       dev->dev_addr, &req) == CLNET_ARP_IGNORE)
		return NF_ACCEPT;

	key.ifindex = dev->ifindex;
	key.addr = req.tip;
	e = rhashtable_lookup(&an->table, &key, clnet_ann_params);
	if (e) {
		if (READ_ONCE(e->state) == CLNET_ANNOUNCE_STATE_ACTIVE &&
		    inet_addr_type_dev_table(state->net, dev, req.tip) != RTN_LOCAL &&
		    !clnet_ann_reply(dev, &req)) {
			atomic64_inc(&e->replies);
			return clnet_ann_answered(skb, dev, &req);
		}
		return NF_ACCEPT;
	}
	pods = clnet_ann_pods_find(an, dev);
	if (pods && clnet_ann_is_pod(state->net, req.tip) &&
	    inet_addr_type_dev_table(state->net, dev, req.tip) != RTN_LOCAL &&
	    !clnet_ann_reply(dev, &req)) {
		atomic64_inc(&pods->replies);
		return clnet_ann_answered(skb, dev, &req);
	}
	return NF_ACCEPT;
}

static int clnet_ann_hook(struct net *net, struct clnet_ann_net *an,
			  struct netlink_ext_ack *extack)
{
	int err;

	if (an->hooked)
		return 0;
	an->hook = (struct nf_hook_ops) {
		.hook		= clnet_ann_arp_in,
		.priv		= an,
		.pf		= NFPROTO_ARP,
		.hooknum	= NF_ARP_IN,
		/* After arptables' filter: its DROP wins. */
		.priority	= NF_IP_PRI_FILTER + 1,
	};
	err = nf_register_net_hook(net, &an->hook);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot register the ARP hook (no NETFILTER_FAMILY_ARP?)");
		return err;
	}
	an->hooked = true;
	return 0;
}

/* ---- entries: configuration, under RTNL and an->lock ---- */

static struct clnet_ann_entry *clnet_ann_find(struct clnet_ann_net *an,
					      int ifindex, __be32 addr)
{
	struct clnet_ann_key key = { .ifindex = ifindex, .addr = addr };

	return rhashtable_lookup_fast(&an->table, &key, clnet_ann_params);
}

static struct clnet_ann_entry *
clnet_ann_find_ext(struct clnet_ann_net *an, int ifindex, __be32 addr,
		   struct netlink_ext_ack *extack)
{
	struct clnet_ann_entry *e = clnet_ann_find(an, ifindex, addr);

	if (!e)
		NL_SET_ERR_MSG(extack, "not announced on this device");
	return e;
}

int clnet_ann_add(struct net *net, struct net_device *dev, __be32 addr,
		  const struct clnet_ann_params *p,
		  struct netlink_ext_ack *extack)
{
	struct clnet_ann_net *an = clnet_ann_pernet(net);
	struct clnet_ann_events ev = {};
	struct clnet_ann_entry *e;
	int err;

	ASSERT_RTNL();
	mutex_lock(&an->lock);
	if (clnet_ann_find(an, dev->ifindex, addr)) {
		NL_SET_ERR_MSG(extack, "already announced on this device");
		err = -EEXIST;
		goto out;
	}
	if (an->count >= CLNET_ANNOUNCE_MAX_ENTRIES) {
		NL_SET_ERR_MSG(extack, "too many announcements");
		err = -ENOSPC;
		goto out;
	}
	err = clnet_ann_hook(net, an, extack);
	if (err)
		goto out;
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e) {
		err = -ENOMEM;
		goto out;
	}
	e->key.ifindex = dev->ifindex;
	e->key.addr = addr;
	e->dev = dev;
	e->p = *p;
	spin_lock_init(&e->lock);
	timer_setup(&e->timer, clnet_ann_timer, 0);
	atomic64_set(&e->replies, 0);
	e->state = CLNET_ANNOUNCE_STATE_INACTIVE;
	if (p->lease_ms)
		e->lease_end = jiffies + msecs_to_jiffies(p->lease_ms);
	err = rhashtable_lookup_insert_fast(&an->table, &e->node,
					    clnet_ann_params);
	if (err) {
		kfree(e);
		goto out;
	}
	netdev_hold(dev, &e->dev_tracker, GFP_KERNEL);
	list_add_tail(&e->list, &an->entries);
	an->count++;
	an->gen++;

	spin_lock_bh(&e->lock);
	clnet_ann_relink(e, &ev, false);
	clnet_ann_arm(e);
	clnet_ann_send_events(e, &ev);
	spin_unlock_bh(&e->lock);
out:
	mutex_unlock(&an->lock);
	return err;
}

int clnet_ann_renew(struct net *net, int ifindex, __be32 addr, u32 lease_ms,
		    struct netlink_ext_ack *extack)
{
	struct clnet_ann_net *an = clnet_ann_pernet(net);
	struct clnet_ann_events ev = {};
	struct clnet_ann_entry *e;
	int err = 0;

	ASSERT_RTNL();
	mutex_lock(&an->lock);
	e = clnet_ann_find_ext(an, ifindex, addr, extack);
	if (!e) {
		err = -ENOENT;
		goto out;
	}
	spin_lock_bh(&e->lock);
	if (!e->p.lease_ms) {
		spin_unlock_bh(&e->lock);
		NL_SET_ERR_MSG(extack, "a static entry has no lease to renew");
		err = -EINVAL;
		goto out;
	}
	if (lease_ms)
		e->p.lease_ms = lease_ms;
	e->lease_end = jiffies + msecs_to_jiffies(e->p.lease_ms);
	if (e->state == CLNET_ANNOUNCE_STATE_EXPIRED) {
		e->state = CLNET_ANNOUNCE_STATE_INACTIVE;
		clnet_ann_relink(e, &ev, false);
	}
	clnet_ann_arm(e);
	clnet_ann_send_events(e, &ev);
	spin_unlock_bh(&e->lock);
out:
	mutex_unlock(&an->lock);
	return err;
}

/* Take @e out of the table and free it, with an ANNOUNCE_DOWN event. */
static void clnet_ann_remove(struct clnet_ann_net *an,
			     struct clnet_ann_entry *e,
			     enum clnet_announce_reason reason)
{
	struct clnet_ann_events ev = { .down = true, .reason = reason };

	spin_lock_bh(&e->lock);
	e->dead = true;
	ev.state = e->state;
	spin_unlock_bh(&e->lock);
	rhashtable_remove_fast(&an->table, &e->node, clnet_ann_params);
	list_del(&e->list);
	an->count--;
	an->gen++;
	/* The timer takes e->lock only: no lock of ours is held here. */
	del_timer_sync(&e->timer);
	clnet_ann_send_events(e, &ev);
	netdev_put(e->dev, &e->dev_tracker);
	/* The hook may still be reading it. */
	kfree_rcu(e, rcu);
}

int clnet_ann_del(struct net *net, int ifindex, __be32 addr,
		  struct netlink_ext_ack *extack)
{
	struct clnet_ann_net *an = clnet_ann_pernet(net);
	struct clnet_ann_entry *e;
	int err = 0;

	ASSERT_RTNL();
	mutex_lock(&an->lock);
	e = clnet_ann_find_ext(an, ifindex, addr, extack);
	if (e)
		clnet_ann_remove(an, e, CLNET_ANNOUNCE_REASON_DELETED);
	else
		err = -ENOENT;
	mutex_unlock(&an->lock);
	return err;
}

static void clnet_ann_fill_info(struct clnet_ann_entry *e,
				struct clnet_ann_info *info)
{
	unsigned long now = jiffies;

	memset(info, 0, sizeof(*info));
	info->addr = e->key.addr;
	info->ifindex = e->key.ifindex;
	strscpy(info->ifname, e->dev->name, sizeof(info->ifname));
	info->replies = atomic64_read(&e->replies);
	spin_lock_bh(&e->lock);
	info->state = e->state;
	info->reason = e->reason;
	info->params = e->p;
	if (e->p.lease_ms && e->state != CLNET_ANNOUNCE_STATE_EXPIRED &&
	    time_before(now, e->lease_end))
		info->lease_left_ms = jiffies_to_msecs(e->lease_end - now);
	info->garps = e->garps;
	info->garp_failed = e->garp_failed;
	info->garped = e->garped;
	if (e->garped)
		info->last_garp_ms = jiffies_to_msecs(now - e->last_garp);
	spin_unlock_bh(&e->lock);
}

int clnet_ann_get(struct net *net, int ifindex, __be32 addr,
		  struct clnet_ann_info *info, struct netlink_ext_ack *extack)
{
	struct clnet_ann_net *an = clnet_ann_pernet(net);
	struct clnet_ann_entry *e;
	int err = 0;

	mutex_lock(&an->lock);
	e = clnet_ann_find_ext(an, ifindex, addr, extack);
	if (e)
		clnet_ann_fill_info(e, info);
	else
		err = -ENOENT;
	mutex_unlock(&an->lock);
	return err;
}

void clnet_ann_walk(struct net *net, int ifindex, long *pos,
		    unsigned int *gen, clnet_ann_walk_fn *fn, void *ctx)
{
	struct clnet_ann_net *an = clnet_ann_pernet(net);
	struct clnet_ann_info *info;
	struct clnet_ann_entry *e;
	long idx = 0;

	info = kmalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return;
	mutex_lock(&an->lock);
	*gen = an->gen;
	list_for_each_entry(e, &an->entries, list) {
		if (ifindex && e->key.ifindex != ifindex)
			continue;
		if (idx >= *pos) {
			clnet_ann_fill_info(e, info);
			if (fn(info, ctx))
				break;
		}
		idx++;
	}
	mutex_unlock(&an->lock);
	*pos = idx;
	kfree(info);
}

/* ---- pods ---- */

/* Queue a burst for @addr on @pods->dev. Atomic context. */
static void clnet_ann_pods_queue(struct clnet_ann_pods *pods, __be32 addr)
{
	struct clnet_ann_net *an = pods->an;
	struct clnet_ann_burst *b;
	unsigned long now = jiffies;

	spin_lock_bh(&an->bursts_lock);
	if (an->exiting || pods->dead || !pods->garp_count)
		goto out;
	/* A route replaced, or a replay: the burst starts again. */
	list_for_each_entry(b, &an->bursts, list) {
		if (b->pods == pods && b->addr == addr) {
			b->left = pods->garp_count;
			b->next = now;
			goto arm;
		}
	}
	b = NULL;
	if (an->n_bursts < CLNET_ANN_MAX_BURSTS)
		b = kmalloc(sizeof(*b), GFP_ATOMIC);
	if (!b) {
		atomic64_add(2 * pods->garp_count, &pods->garp_failed);
		goto out;
	}
	b->pods = pods;
	b->addr = addr;
	b->left = pods->garp_count;
	b->next = now;
	list_add_tail(&b->list, &an->bursts);
	an->n_bursts++;
arm:
	mod_timer(&an->burst_timer, now);
out:
	spin_unlock_bh(&an->bursts_lock);
}

static void clnet_ann_burst_timer(struct timer_list *t)
{
	struct clnet_ann_net *an = from_timer(an, t, burst_timer);
	struct clnet_ann_burst *b, *tmp;
	unsigned long now = jiffies, next = 0;
	unsigned int sent;
	bool have = false;

	spin_lock(&an->bursts_lock);
	list_for_each_entry_safe(b, tmp, &an->bursts, list) {
		if (time_after_eq(now, b->next)) {
			struct clnet_ann_pods *pods = b->pods;

			/* Nothing to announce on a dead link: dropped. */
			if (clnet_ann_link_reason(pods->dev)) {
				b->left = 0;
			} else {
				sent = clnet_ann_send_garps(pods->dev, b->addr);
				atomic64_add(sent, &pods->garps);
				atomic64_add(2 - sent, &pods->garp_failed);
				if (sent < 2)
					b->next = now + CLNET_ANN_RETRY;
				else if (--b->left)
					b->next = now + msecs_to_jiffies(pods->garp_interval_ms);
			}
			if (!b->left) {
				list_del(&b->list);
				an->n_bursts--;
				kfree(b);
				continue;
			}
		}
		if (!have || time_before(b->next, next)) {
			next = b->next;
			have = true;
		}
	}
	if (have && !an->exiting)
		mod_timer(&an->burst_timer, next);
	spin_unlock(&an->bursts_lock);
}

/*
 * The fib notifier chain is atomic, and called under RCU. A /32 route of
 * the main table into a pod here, added or replaced, gets a burst; the
 * address it is for, or 0.
 */
static __be32 clnet_ann_fib_pod(struct clnet_ann_net *an, unsigned long event,
				struct fib_notifier_info *info)
{
	struct fib_entry_notifier_info *fen;
	struct net_device *nh_dev;

	if (info->family != AF_INET ||
	    (event != FIB_EVENT_ENTRY_REPLACE && event != FIB_EVENT_ENTRY_APPEND))
		return 0;
	fen = container_of(info, struct fib_entry_notifier_info, info);
	if (fen->tb_id != RT_TABLE_MAIN || fen->dst_len != 32 ||
	    fen->type != RTN_UNICAST || !fen->fi || fib_info_num_path(fen->fi) < 1)
		return 0;
	nh_dev = fib_info_nh(fen->fi, 0)->fib_nh_dev;
	if (!nh_dev || !clnet_link_is_primary(nh_dev) ||
	    !net_eq(dev_net(nh_dev), an->net))
		return 0;
	return htonl(fen->dst);
}

static int clnet_ann_fib_event(struct notifier_block *nb, unsigned long event,
			       void *ptr)
{
	struct clnet_ann_net *an = container_of(nb, struct clnet_ann_net, fib_nb);
	__be32 addr = clnet_ann_fib_pod(an, event, ptr);
	struct clnet_ann_pods *pods;

	if (addr)
		list_for_each_entry_rcu(pods, &an->pods, list)
			clnet_ann_pods_queue(pods, addr);
	return NOTIFY_DONE;
}

static int clnet_ann_fib_replay(struct notifier_block *nb, unsigned long event,
				void *ptr)
{
	struct clnet_ann_net *an = container_of(nb, struct clnet_ann_net,
						replay_nb);
	__be32 addr = clnet_ann_fib_pod(an, event, ptr);
	struct clnet_ann_pods *pods;

	if (addr)
		list_for_each_entry_rcu(pods, &an->pods, list)
			if (pods->dev->ifindex == READ_ONCE(an->replay_ifindex))
				clnet_ann_pods_queue(pods, addr);
	return NOTIFY_DONE;
}

/* A replay that raced with a change is redone; its bursts just restart. */
static void clnet_ann_fib_flush(struct notifier_block *nb)
{
}

/* Under an->lock. A notifier call may still see it, but queues nothing. */
static void clnet_ann_pods_remove(struct clnet_ann_net *an,
				  struct clnet_ann_pods *pods)
{
	struct clnet_ann_burst *b, *tmp;

	list_del_rcu(&pods->list);
	an->n_pods--;
	spin_lock_bh(&an->bursts_lock);
	pods->dead = true;
	list_for_each_entry_safe(b, tmp, &an->bursts, list) {
		if (b->pods == pods) {
			list_del(&b->list);
			an->n_bursts--;
			kfree(b);
		}
	}
	spin_unlock_bh(&an->bursts_lock);
	netdev_put(pods->dev, &pods->dev_tracker);
	kfree_rcu(pods, rcu);
}

/* Under RTNL and an->lock: on, or off, for the device @ifindex. */
static int clnet_ann_pods_update(struct net *net, struct clnet_ann_net *an,
				 int ifindex, bool on, u32 garp_count,
				 u32 garp_interval_ms,
				 struct clnet_ann_pods **added,
				 struct netlink_ext_ack *extack)
{
	struct net_device *dev = __dev_get_by_index(net, ifindex);
	struct clnet_ann_pods *pods;
	int err;

	if (!dev) {
		NL_SET_ERR_MSG(extack, "no such device");
		return -ENODEV;
	}
	pods = clnet_ann_pods_find(an, dev);
	if (!on) {
		if (pods)
			clnet_ann_pods_remove(an, pods);
		return 0;
	}
	if (pods) {
		spin_lock_bh(&an->bursts_lock);
		pods->garp_count = garp_count;
		pods->garp_interval_ms = garp_interval_ms;
		spin_unlock_bh(&an->bursts_lock);
		return 0;
	}
	if (an->n_pods >= CLNET_ANNOUNCE_MAX_POD_DEVS) {
		NL_SET_ERR_MSG(extack, "too many devices with pod announcements");
		return -ENOSPC;
	}
	err = clnet_ann_hook(net, an, extack);
	if (err)
		return err;
	pods = kzalloc(sizeof(*pods), GFP_KERNEL);
	if (!pods)
		return -ENOMEM;
	pods->an = an;
	pods->dev = dev;
	pods->garp_count = garp_count;
	pods->garp_interval_ms = garp_interval_ms;
	netdev_hold(dev, &pods->dev_tracker, GFP_KERNEL);
	list_add_tail_rcu(&pods->list, &an->pods);
	an->n_pods++;
	*added = pods;
	return 0;
}

/*
 * Without RTNL: following the routing table means registering a fib
 * notifier, and that takes RTNL.
 */
int clnet_ann_pods_set(struct net *net, int ifindex, bool on, u32 garp_count,
		       u32 garp_interval_ms, struct netlink_ext_ack *extack)
{
	struct clnet_ann_net *an = clnet_ann_pernet(net);
	struct clnet_ann_pods *added = NULL;
	int err;

	mutex_lock(&an->pods_lock);
	rtnl_lock();
	mutex_lock(&an->lock);
	err = clnet_ann_pods_update(net, an, ifindex, on, garp_count,
				    garp_interval_ms, &added, extack);
	mutex_unlock(&an->lock);
	rtnl_unlock();
	if (err || !added)
		goto out;

	/*
	 * A burst for each pod route there is. The device may go meanwhile:
	 * @added is then freed, and not to be touched.
	 */
	WRITE_ONCE(an->replay_ifindex, ifindex);
	if (!an->fib_registered) {
		err = register_fib_notifier(net, &an->fib_nb,
					    clnet_ann_fib_flush, extack);
		an->fib_registered = !err;
	} else {
		err = register_fib_notifier(net, &an->replay_nb,
					    clnet_ann_fib_flush, extack);
		if (!err)
			unregister_fib_notifier(net, &an->replay_nb);
	}
	WRITE_ONCE(an->replay_ifindex, 0);
	if (err) {
		struct clnet_ann_pods *pods;

		NL_SET_ERR_MSG(extack, "cannot follow the routing table");
		rtnl_lock();
		mutex_lock(&an->lock);
		/* pods_lock keeps any other from taking @added's place. */
		list_for_each_entry(pods, &an->pods, list) {
			if (pods == added) {
				clnet_ann_pods_remove(an, pods);
				break;
			}
		}
		mutex_unlock(&an->lock);
		rtnl_unlock();
	}
out:
	mutex_unlock(&an->pods_lock);
	return err;
}

void clnet_ann_pods_walk(struct net *net, long *pos,
			 clnet_ann_pods_walk_fn *fn, void *ctx)
{
	struct clnet_ann_net *an = clnet_ann_pernet(net);
	struct clnet_ann_pods_info info;
	struct clnet_ann_pods *pods;
	long idx = 0;

	mutex_lock(&an->lock);
	list_for_each_entry(pods, &an->pods, list) {
		if (idx >= *pos) {
			memset(&info, 0, sizeof(info));
			info.ifindex = pods->dev->ifindex;
			strscpy(info.ifname, pods->dev->name, sizeof(info.ifname));
			spin_lock_bh(&an->bursts_lock);
			info.garp_count = pods->garp_count;
			info.garp_interval_ms = pods->garp_interval_ms;
			spin_unlock_bh(&an->bursts_lock);
			info.replies = atomic64_read(&pods->replies);
			info.garps = atomic64_read(&pods->garps);
			info.garp_failed = atomic64_read(&pods->garp_failed);
			if (fn(&info, ctx))
				break;
		}
		idx++;
	}
	mutex_unlock(&an->lock);
	*pos = idx;
}

/* ---- devices ---- */

static int clnet_ann_netdev_event(struct notifier_block *nb,
				  unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct clnet_ann_entry *e, *tmp;
	struct clnet_ann_events ev;
	struct clnet_ann_pods *pods;
	struct clnet_ann_net *an;

	switch (event) {
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
	case NETDEV_CHANGEADDR:
	case NETDEV_UNREGISTER:
		break;
	default:
		return NOTIFY_DONE;
	}
	an = clnet_ann_pernet(dev_net(dev));
	/* Not for a netns our init has not reached, nor at unload. */
	if (!an || !READ_ONCE(an->net) || READ_ONCE(clnet_ann_unloading))
		return NOTIFY_DONE;

	mutex_lock(&an->lock);
	list_for_each_entry_safe(e, tmp, &an->entries, list) {
		if (e->dev != dev)
			continue;
		if (event == NETDEV_UNREGISTER) {
			clnet_ann_remove(an, e, CLNET_ANNOUNCE_REASON_DEVICE_GONE);
			continue;
		}
		memset(&ev, 0, sizeof(ev));
		spin_lock_bh(&e->lock);
		clnet_ann_relink(e, &ev, event == NETDEV_CHANGEADDR);
		clnet_ann_arm(e);
		clnet_ann_send_events(e, &ev);
		spin_unlock_bh(&e->lock);
	}
	if (event == NETDEV_UNREGISTER) {
		pods = clnet_ann_pods_find(an, dev);
		if (pods)
			clnet_ann_pods_remove(an, pods);
	}
	mutex_unlock(&an->lock);
	return NOTIFY_DONE;
}

static struct notifier_block clnet_ann_netdev_nb = {
	.notifier_call = clnet_ann_netdev_event,
};

/* ---- netns ---- */

static int __net_init clnet_ann_net_init(struct net *net)
{
	struct clnet_ann_net *an = clnet_ann_pernet(net);
	int err;

	err = rhashtable_init(&an->table, &clnet_ann_params);
	if (err)
		return err;
	mutex_init(&an->lock);
	mutex_init(&an->pods_lock);
	an->fib_nb.notifier_call = clnet_ann_fib_event;
	an->replay_nb.notifier_call = clnet_ann_fib_replay;
	INIT_LIST_HEAD(&an->entries);
	INIT_LIST_HEAD(&an->pods);
	spin_lock_init(&an->bursts_lock);
	INIT_LIST_HEAD(&an->bursts);
	timer_setup(&an->burst_timer, clnet_ann_burst_timer, 0);
	WRITE_ONCE(an->net, net);
	return 0;
}

/*
 * Everything goes, in the order that keeps every timer and notifier off
 * freed memory: pods (their fib notifiers and bursts), entries (their
 * timers), the burst timer, then the hook.
 */
static void __net_exit clnet_ann_net_exit(struct net *net)
{
	struct clnet_ann_net *an = clnet_ann_pernet(net);
	struct clnet_ann_entry *e, *etmp;
	struct clnet_ann_pods *pods, *ptmp;

	/* Unregistering takes no lock; no notifier call runs on after it. */
	if (an->fib_registered) {
		unregister_fib_notifier(net, &an->fib_nb);
		an->fib_registered = false;
	}
	rtnl_lock();
	mutex_lock(&an->lock);
	spin_lock_bh(&an->bursts_lock);
	an->exiting = true;
	spin_unlock_bh(&an->bursts_lock);
	list_for_each_entry_safe(pods, ptmp, &an->pods, list)
		clnet_ann_pods_remove(an, pods);
	list_for_each_entry_safe(e, etmp, &an->entries, list)
		clnet_ann_remove(an, e, CLNET_ANNOUNCE_REASON_DEVICE_GONE);
	mutex_unlock(&an->lock);
	rtnl_unlock();
	del_timer_sync(&an->burst_timer);
	if (an->hooked) {
		nf_unregister_net_hook(net, &an->hook);
		an->hooked = false;
	}
	rhashtable_destroy(&an->table);
	WRITE_ONCE(an->net, NULL);
	mutex_destroy(&an->lock);
	mutex_destroy(&an->pods_lock);
}

static struct pernet_operations clnet_ann_net_ops = {
	.init	= clnet_ann_net_init,
	.exit	= clnet_ann_net_exit,
	.id	= &clnet_ann_net_id,
	.size	= sizeof(struct clnet_ann_net),
};

int __init clnet_ann_init(void)
{
	int err;

	err = register_pernet_subsys(&clnet_ann_net_ops);
	if (err)
		return err;
	err = register_netdevice_notifier(&clnet_ann_netdev_nb);
	if (err)
		unregister_pernet_subsys(&clnet_ann_net_ops);
	return err;
}

void clnet_ann_exit(void)
{
	/* Its replay of DOWN and UNREGISTER for every device is ignored. */
	WRITE_ONCE(clnet_ann_unloading, true);
	unregister_netdevice_notifier(&clnet_ann_netdev_nb);
	unregister_pernet_subsys(&clnet_ann_net_ops);
}
