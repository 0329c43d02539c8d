// SPDX-License-Identifier: GPL-2.0
/*
 * The clnet device pair: a pod's network interface.
 *
 * The primary end stays on the node, the peer end (usually "eth0") lives in
 * the pod's netns. What one end transmits goes straight into the other
 * end's receive path: no qdisc (IFF_NO_QUEUE), no tx lock (LLTX), per-CPU
 * counters, and the skb is scrubbed when it crosses a netns. GSO
 * super-packets and CHECKSUM_PARTIAL pass through untouched.
 *
 * L3 mode (default) has no link-layer header and no ARP: a pod needs only
 * "ip route add default dev eth0". L2 mode is plain Ethernet with random
 * MAC addresses.
 *
 * rtnetlink cannot create pairs (clnet_link_validate()): the one ABI that
 * creates them is the genl family's. Every deletion path (genl, "ip link
 * del" on either end, netns teardown, rmmod) goes through
 * clnet_link_dellink() and takes both ends down together.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/visibility.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/static_call.h>
#include <net/rtnetlink.h>
#include <net/sch_generic.h>

#include "compat.h"
#include "events.h"
#include "link.h"

struct clnet_link {
	struct net_device __rcu *peer;
	/* What this end does with what it sends; read locklessly in xmit. */
	enum clnet_link_policy policy;
	enum clnet_link_mode mode;
	bool primary;
};

#define CLNET_LINK_FEATURES (NETIF_F_SG | NETIF_F_FRAGLIST | NETIF_F_HW_CSUM | \
			     NETIF_F_RXCSUM | NETIF_F_HIGHDMA |			   \
			     NETIF_F_GSO_SOFTWARE | NETIF_F_GSO_ENCAP_ALL)

static struct rtnl_link_ops clnet_link_ops;

/*
 * Patched to a plain "return false" while nobody holds it, so that a node
 * without the fast path pays nothing for it.
 */
DEFINE_STATIC_CALL_RET0(clnet_link_pod_egress, clnet_link_pod_egress_fn);
static DEFINE_MUTEX(clnet_link_pod_egress_lock);
static unsigned int clnet_link_pod_egress_users;

static struct clnet_link *clnet_link_priv(const struct net_device *dev)
{
	return netdev_priv(dev);
}

bool clnet_link_is_end(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &clnet_link_ops;
}

bool clnet_link_is_primary(const struct net_device *dev)
{
	return clnet_link_is_end(dev) && clnet_link_priv(dev)->primary;
}

void clnet_link_pod_egress_hold(clnet_link_pod_egress_fn *fn)
{
	mutex_lock(&clnet_link_pod_egress_lock);
	if (!clnet_link_pod_egress_users++)
		static_call_update(clnet_link_pod_egress, fn);
	mutex_unlock(&clnet_link_pod_egress_lock);
}

void clnet_link_pod_egress_release(void)
{
	mutex_lock(&clnet_link_pod_egress_lock);
	if (!WARN_ON(!clnet_link_pod_egress_users) &&
	    !--clnet_link_pod_egress_users)
		static_call_update(clnet_link_pod_egress,
				   (void *)__static_call_return0);
	mutex_unlock(&clnet_link_pod_egress_lock);
}

/*
 * An L3 end carries bare IP packets: the version nibble of the first byte
 * says which protocol the receiver sees. 0 means neither IPv4 nor IPv6.
 */
VISIBLE_IF_KUNIT __be16 clnet_link_l3_protocol(u8 first_byte)
{
	switch (first_byte >> 4) {
	case 4:
		return htons(ETH_P_IP);
	case 6:
		return htons(ETH_P_IPV6);
	default:
		return 0;
	}
}
EXPORT_SYMBOL_IF_KUNIT(clnet_link_l3_protocol);

/* Turn the skb the sender built into one the receiving end would see. */
static bool clnet_link_rx_prepare(struct sk_buff *skb, struct net_device *peer,
				  enum clnet_link_mode mode)
{
	if (mode == CLNET_LINK_MODE_L2) {
		if (unlikely(!pskb_may_pull(skb, ETH_HLEN)))
			return false;
		skb->protocol = eth_type_trans(skb, peer);
		skb_postpull_rcsum(skb, eth_hdr(skb), ETH_HLEN);
		return true;
	}

	if (unlikely(!pskb_may_pull(skb, 1)))
		return false;
	skb->protocol = clnet_link_l3_protocol(skb->data[0]);
	if (unlikely(!skb->protocol))
		return false;
	skb->dev = peer;
	skb_reset_mac_header(skb);
	return true;
}

static netdev_tx_t clnet_link_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct clnet_link *cl = clnet_link_priv(dev);
	enum skb_drop_reason reason;
	struct net_device *peer;
	unsigned int len;

	/* ndo_start_xmit runs under rcu_read_lock_bh() with BHs off. */
	peer = rcu_dereference_bh(cl->peer);
	if (unlikely(!peer || !netif_running(peer))) {
		reason = SKB_DROP_REASON_DEV_READY;
		goto drop;
	}
	if (READ_ONCE(cl->policy) == CLNET_LINK_POLICY_BLACKHOLE) {
		reason = CLNET_DROP_REASON_POLICY;
		goto drop;
	}
	if (unlikely(skb_orphan_frags(skb, GFP_ATOMIC))) {
		reason = SKB_DROP_REASON_NOMEM;
		goto drop;
	}
	if (unlikely(!is_skb_forwardable(peer, skb))) {
		reason = SKB_DROP_REASON_PKT_TOO_BIG;
		goto drop;
	}

	skb_tx_timestamp(skb);
	len = skb->len;
	skb_scrub_packet(skb, !net_eq(dev_net(dev), dev_net(peer)));
	skb->priority = 0;
	if (unlikely(!clnet_link_rx_prepare(skb, peer, cl->mode))) {
		reason = SKB_DROP_REASON_DEV_HDR;
		goto drop;
	}

	/*
	 * One counter update per packet: the peer reads its rx from our tx
	 * (clnet_link_get_stats64). A full backlog is counted as rx_dropped
	 * on the peer by the core.
	 */
	if (!cl->primary && static_call(clnet_link_pod_egress)(skb, peer)) {
		dev_sw_netstats_tx_add(dev, 1, len);
		return NETDEV_TX_OK;
	}
	if (likely(__netif_rx(skb) == NET_RX_SUCCESS))
		dev_sw_netstats_tx_add(dev, 1, len);
	return NETDEV_TX_OK;

drop:
	dev_core_stats_tx_dropped_inc(dev);
	kfree_skb_reason(skb, reason);
	return NETDEV_TX_OK;
}

/* Would validate_xmit_skb() change @skb for the end's current features? */
static bool clnet_link_xmit_needs_validation(struct sk_buff *skb)
{
	netdev_features_t features;

	if (!skb_is_gso(skb) && !skb_is_nonlinear(skb)) {
		/* A linear, complete packet is one any end takes as it is. */
		if (skb->ip_summed != CHECKSUM_PARTIAL)
			return false;
		/*
		 * A linear one with a checksum to fill in, if the end offloads
		 * it: what netif_skb_features() would say for it (the pair
		 * has no features check of its own; without encapsulation or
		 * a VLAN only dev->features counts, and HW_CSUM covers every
		 * protocol), without its parsing of the headers.
		 */
		if (!skb->encapsulation && !skb_vlan_tagged(skb) &&
		    !skb_csum_is_sctp(skb) &&
		    (READ_ONCE(skb->dev->features) & NETIF_F_HW_CSUM))
			return false;
	}
	features = netif_skb_features(skb);
	return netif_needs_gso(skb, features) ||
	       skb_needs_linearize(skb, features) ||
	       (skb->ip_summed == CHECKSUM_PARTIAL &&
		!(features & (skb_csum_is_sctp(skb) ? NETIF_F_SCTP_CRC :
						      NETIF_F_HW_CSUM)));
}

/*
 * Skipping the core's transmit path is only sound when nothing there would
 * see the packet: no qdisc, capture, tc or netfilter egress hook, and
 * nothing for validate_xmit_skb() to do (segmenting, linearising, a
 * checksum: what an end does not offload, as "ethtool -K" may have set).
 */
bool clnet_link_xmit_direct(struct sk_buff *skb, struct net_device *dev)
{
	struct netdev_queue *txq = netdev_get_tx_queue(dev, 0);

	/* A qdisc other than noqueue has an enqueue operation. */
	if (rcu_dereference_bh(txq->qdisc)->enqueue || !netif_running(dev) ||
	    dev_nit_active(dev) || skb_vlan_tag_present(skb))
		return false;
#ifdef CONFIG_NET_CLS_ACT
	if (rcu_access_pointer(dev->miniq_egress))
		return false;
#endif
#ifdef CONFIG_NETFILTER_EGRESS
	if (rcu_access_pointer(dev->nf_hooks_egress))
		return false;
#endif
	if (clnet_link_xmit_needs_validation(skb))
		return false;
	clnet_link_xmit(skb, dev);
	return true;
}

/* Carrier is up only while both ends are up. */
static int clnet_link_open(struct net_device *dev)
{
	struct net_device *peer = rtnl_dereference(clnet_link_priv(dev)->peer);

	if (!peer)
		return -ENOTCONN;
	if (peer->flags & IFF_UP) {
		netif_carrier_on(dev);
		netif_carrier_on(peer);
	}
	return 0;
}

static int clnet_link_stop(struct net_device *dev)
{
	struct net_device *peer = rtnl_dereference(clnet_link_priv(dev)->peer);

	netif_carrier_off(dev);
	if (peer)
		netif_carrier_off(peer);
	return 0;
}

static void clnet_link_get_stats64(struct net_device *dev,
				   struct rtnl_link_stats64 *stats)
{
	struct rtnl_link_stats64 peer_stats = {};
	struct net_device *peer;

	dev_fetch_sw_netstats(stats, dev->tstats);
	rcu_read_lock();
	peer = rcu_dereference(clnet_link_priv(dev)->peer);
	if (peer)
		dev_fetch_sw_netstats(&peer_stats, peer->tstats);
	rcu_read_unlock();
	/*
	 * Everything the peer delivered arrived here, on top of what the core
	 * counted itself (a bpf_redirect_peer() into this end).
	 */
	stats->rx_packets += peer_stats.tx_packets;
	stats->rx_bytes += peer_stats.tx_bytes;
}

static int clnet_link_get_iflink(const struct net_device *dev)
{
	struct net_device *peer;
	int iflink = 0;

	rcu_read_lock();
	peer = rcu_dereference(clnet_link_priv(dev)->peer);
	if (peer)
		iflink = peer->ifindex;
	rcu_read_unlock();
	return iflink;
}

static struct net_device *clnet_link_get_peer_dev(struct net_device *dev)
{
	return rcu_dereference(clnet_link_priv(dev)->peer);
}

static int clnet_link_set_mac_address(struct net_device *dev, void *addr)
{
	/* An L3 end has no link-layer address to change. */
	if (clnet_link_priv(dev)->mode != CLNET_LINK_MODE_L2)
		return -EOPNOTSUPP;
	return eth_mac_addr(dev, addr);
}

static const struct net_device_ops clnet_link_netdev_ops = {
	.ndo_open		= clnet_link_open,
	.ndo_stop		= clnet_link_stop,
	.ndo_start_xmit		= clnet_link_xmit,
	.ndo_get_stats64	= clnet_link_get_stats64,
	.ndo_get_iflink		= clnet_link_get_iflink,
	.ndo_get_peer_dev	= clnet_link_get_peer_dev,
	.ndo_set_mac_address	= clnet_link_set_mac_address,
	.ndo_features_check	= passthru_features_check,
};

static void clnet_link_get_drvinfo(struct net_device *dev,
				   struct ethtool_drvinfo *info)
{
	strscpy(info->driver, KBUILD_MODNAME, sizeof(info->driver));
	strscpy(info->version, CLNET_VERSION, sizeof(info->version));
}

static const struct ethtool_ops clnet_link_ethtool_ops = {
	.get_drvinfo	= clnet_link_get_drvinfo,
	.get_link	= ethtool_op_get_link,
};

/* The L3 flavour; clnet_link_setup_l2() turns an end into Ethernet. */
static void clnet_link_setup(struct net_device *dev)
{
	dev->netdev_ops = &clnet_link_netdev_ops;
	dev->ethtool_ops = &clnet_link_ethtool_ops;
	dev->rtnl_link_ops = &clnet_link_ops;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_NOARP | IFF_MULTICAST;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->mtu = ETH_DATA_LEN;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_MAX_MTU;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->features |= CLNET_LINK_FEATURES | NETIF_F_LLTX;
	dev->hw_features = CLNET_LINK_FEATURES;
	dev->hw_enc_features = CLNET_LINK_FEATURES;
	dev->vlan_features = CLNET_LINK_FEATURES;
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
	dev->needs_free_netdev = true;
}

static void clnet_link_setup_l2(struct net_device *dev)
{
	ether_setup(dev);
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE | IFF_NO_QUEUE;
	dev->max_mtu = ETH_MAX_MTU;
	eth_hw_addr_random(dev);
}

static int clnet_link_validate(struct nlattr *tb[], struct nlattr *data[],
			       struct netlink_ext_ack *extack)
{
	NL_SET_ERR_MSG(extack, "clnet pairs are created with 'clnetctl link add'");
	return -EOPNOTSUPP;
}

/* Every deletion path ends here, under RTNL: both ends go together. */
static void clnet_link_dellink(struct net_device *dev, struct list_head *head)
{
	struct clnet_link *cl = clnet_link_priv(dev);
	struct net_device *peer = rtnl_dereference(cl->peer);

	clnet_ev_link(CLNET_CMD_LINK_DEL, cl->primary ? dev : peer);
	RCU_INIT_POINTER(cl->peer, NULL);
	unregister_netdevice_queue(dev, head);
	if (peer) {
		RCU_INIT_POINTER(clnet_link_priv(peer)->peer, NULL);
		unregister_netdevice_queue(peer, head);
	}
}

static struct net *clnet_link_get_link_net(const struct net_device *dev)
{
	struct net_device *peer = rtnl_dereference(clnet_link_priv(dev)->peer);

	return peer ? dev_net(peer) : dev_net(dev);
}

static struct rtnl_link_ops clnet_link_ops __read_mostly = {
	.kind		= "clnet",
	.priv_size	= sizeof(struct clnet_link),
	.setup		= clnet_link_setup,
	.validate	= clnet_link_validate,
	.dellink	= clnet_link_dellink,
	.get_link_net	= clnet_link_get_link_net,
};

static struct net_device *clnet_link_alloc_end(const char *name,
					       struct net *net,
					       const struct clnet_link_config *cfg,
					       enum clnet_link_policy policy,
					       bool primary)
{
	struct net_device *dev;
	struct clnet_link *cl;

	dev = alloc_netdev(sizeof(*cl), name, NET_NAME_USER, clnet_link_setup);
	if (!dev)
		return NULL;
	if (cfg->mode == CLNET_LINK_MODE_L2)
		clnet_link_setup_l2(dev);
	dev->mtu = cfg->mtu;
	dev_net_set(dev, net);
	cl = clnet_link_priv(dev);
	cl->mode = cfg->mode;
	cl->policy = policy;
	cl->primary = primary;
	/* Announced by rtnl_configure_link() once it knows its peer. */
	dev->rtnl_link_state = RTNL_LINK_INITIALIZING;
	return dev;
}

/* The names must be free and valid: the caller checked, under RTNL. */
int clnet_link_create(const struct clnet_link_config *cfg,
		      struct netlink_ext_ack *extack)
{
	struct net_device *dev, *peer;
	int err = -ENOMEM;

	ASSERT_RTNL();
	dev = clnet_link_alloc_end(cfg->name, cfg->net, cfg, cfg->policy, true);
	peer = clnet_link_alloc_end(cfg->peer_name, cfg->peer_net, cfg,
				    cfg->peer_policy, false);
	if (!dev || !peer)
		goto err_free;

	/*
	 * The ends learn of each other only once both are registered: until
	 * then, a stats or netlink dump of one must not reach into the other.
	 */
	err = register_netdevice(peer);
	if (err)
		goto err_free;
	netif_carrier_off(peer);

	err = register_netdevice(dev);
	if (err) {
		/* The registered peer is freed by unregistering it. */
		unregister_netdevice(peer);
		peer = NULL;
		goto err_free;
	}
	netif_carrier_off(dev);
	rcu_assign_pointer(clnet_link_priv(dev)->peer, peer);
	rcu_assign_pointer(clnet_link_priv(peer)->peer, dev);
	/* RTM_NEWLINK for each end, now with its link to the other. */
	rtnl_configure_link(peer, NULL, 0, NULL);
	rtnl_configure_link(dev, NULL, 0, NULL);
	clnet_ev_link(CLNET_CMD_LINK_NEW, dev);
	return 0;

err_free:
	NL_SET_ERR_MSG(extack, "cannot create the device pair");
	if (dev)
		free_netdev(dev);
	if (peer)
		free_netdev(peer);
	return err;
}

/* Both ends or neither. */
int clnet_link_set_mtu(struct net_device *dev, u32 mtu)
{
	struct net_device *peer = rtnl_dereference(clnet_link_priv(dev)->peer);
	unsigned int old_mtu = dev->mtu;
	int err;

	if (!peer)
		return -ENODEV;
	err = dev_set_mtu(dev, mtu);
	if (err)
		return err;
	err = dev_set_mtu(peer, mtu);
	if (err)
		dev_set_mtu(dev, old_mtu);
	return err;
}

void clnet_link_set_policy(struct net_device *primary, bool peer_end,
			   enum clnet_link_policy policy)
{
	struct net_device *dev = primary;

	if (peer_end)
		dev = rtnl_dereference(clnet_link_priv(primary)->peer);
	if (dev)
		WRITE_ONCE(clnet_link_priv(dev)->policy, policy);
}

void clnet_link_delete(struct net_device *dev)
{
	LIST_HEAD(kill);

	clnet_link_dellink(dev, &kill);
	unregister_netdevice_many(&kill);
}

void clnet_link_get_info(struct net_device *dev, struct clnet_link_info *info)
{
	struct clnet_link *cl = clnet_link_priv(dev);
	struct net_device *peer = rtnl_dereference(cl->peer);
	enum clnet_link_policy own = READ_ONCE(cl->policy);
	enum clnet_link_policy other = CLNET_LINK_POLICY_FORWARD;

	if (peer)
		other = READ_ONCE(clnet_link_priv(peer)->policy);
	info->peer = peer;
	info->mode = cl->mode;
	info->primary = cl->primary;
	info->policy = cl->primary ? own : other;
	info->peer_policy = cl->primary ? other : own;
}

int __init clnet_link_init(void)
{
	return rtnl_link_register(&clnet_link_ops);
}

/* Deletes every pair in every netns. */
void clnet_link_exit(void)
{
	rtnl_link_unregister(&clnet_link_ops);
}
