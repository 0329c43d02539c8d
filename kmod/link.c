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
 * Pairs are created over genl (clnetctl link add), not rtnetlink, so that
 * the ABI lives in one place; every deletion path (genl, "ip link del" on
 * either end, netns teardown, rmmod) goes through clnet_dellink() and takes
 * both ends down together.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>
#include <net/sch_generic.h>
#include <net/sock.h>

#include "clnet.h"
#include "link.h"

struct clnet_link {
	struct net_device __rcu *peer;
	/* What this end does with what it sends; read locklessly in xmit. */
	enum clnet_link_policy policy;
	enum clnet_link_mode mode;
	bool primary;
};

#define CLNET_DEV_FEATURES (NETIF_F_SG | NETIF_F_FRAGLIST | NETIF_F_HW_CSUM | \
			    NETIF_F_RXCSUM | NETIF_F_HIGHDMA |			  \
			    NETIF_F_GSO_SOFTWARE | NETIF_F_GSO_ENCAP_ALL)

static struct rtnl_link_ops clnet_link_ops;

static bool clnet_is_link(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &clnet_link_ops;
}

/* A pod-facing end: what the fast path delivers to and takes from. */
bool clnet_link_is_primary(const struct net_device *dev)
{
	return clnet_is_link(dev) &&
	       ((struct clnet_link *)netdev_priv(dev))->primary;
}

/* Turn the skb the sender built into one the receiving end would see. */
static bool clnet_rx_prepare(struct sk_buff *skb, struct net_device *peer,
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
	skb->protocol = clnet_l3_protocol(skb->data[0]);
	if (unlikely(!skb->protocol))
		return false;
	skb->dev = peer;
	skb_reset_mac_header(skb);
	return true;
}

static netdev_tx_t clnet_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct clnet_link *cl = netdev_priv(dev);
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
	if (unlikely(!clnet_rx_prepare(skb, peer, cl->mode))) {
		reason = SKB_DROP_REASON_DEV_HDR;
		goto drop;
	}

	/*
	 * A pod's packet may be forwarded right here by the fast path, as if
	 * the primary had received it. One counter update per packet: the
	 * peer reads its rx from our tx (clnet_get_stats64). A full backlog
	 * is counted as rx_dropped on the peer by the core.
	 */
	if ((!cl->primary && clnet_fastpath_pod_egress(skb, peer)) ||
	    likely(__netif_rx(skb) == NET_RX_SUCCESS))
		dev_sw_netstats_tx_add(dev, 1, len);
	return NETDEV_TX_OK;

drop:
	dev_core_stats_tx_dropped_inc(dev);
	kfree_skb_reason(skb, reason);
	return NETDEV_TX_OK;
}

/* Would validate_xmit_skb() change @skb for the end's current features? */
static bool clnet_xmit_needs_validation(struct sk_buff *skb)
{
	netdev_features_t features;

	/* A linear, complete packet is one any end takes as it is. */
	if (!skb_is_gso(skb) && !skb_is_nonlinear(skb) &&
	    skb->ip_summed != CHECKSUM_PARTIAL)
		return false;
	features = netif_skb_features(skb);
	return netif_needs_gso(skb, features) ||
	       skb_needs_linearize(skb, features) ||
	       (skb->ip_summed == CHECKSUM_PARTIAL &&
		!(features & (skb_csum_is_sctp(skb) ? NETIF_F_SCTP_CRC :
						      NETIF_F_HW_CSUM)));
}

/*
 * The fast path's delivery into a pod: @skb, routed to primary @dev, goes
 * through the pair as if @dev had transmitted it, but without the core's
 * transmit path, when nothing there would see it: no qdisc, capture, tc
 * or netfilter egress hook, and nothing for validate_xmit_skb() to do
 * (segmenting, linearising, a checksum: what an end does not offload, as
 * "ethtool -K" may have set).
 * Returns false, the skb untouched, if it must take dev_queue_xmit().
 * Called under RCU with BHs off.
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
	if (clnet_xmit_needs_validation(skb))
		return false;
	clnet_xmit(skb, dev);
	return true;
}

/* Carrier is up only while both ends are up. */
static int clnet_open(struct net_device *dev)
{
	struct clnet_link *cl = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(cl->peer);

	if (!peer)
		return -ENOTCONN;
	if (peer->flags & IFF_UP) {
		netif_carrier_on(dev);
		netif_carrier_on(peer);
	}
	return 0;
}

static int clnet_stop(struct net_device *dev)
{
	struct clnet_link *cl = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(cl->peer);

	netif_carrier_off(dev);
	if (peer)
		netif_carrier_off(peer);
	return 0;
}

static void clnet_get_stats64(struct net_device *dev,
			      struct rtnl_link_stats64 *stats)
{
	struct clnet_link *cl = netdev_priv(dev);
	struct rtnl_link_stats64 peer_stats = {};
	struct net_device *peer;

	dev_fetch_sw_netstats(stats, dev->tstats);
	rcu_read_lock();
	peer = rcu_dereference(cl->peer);
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

static int clnet_get_iflink(const struct net_device *dev)
{
	struct clnet_link *cl = netdev_priv(dev);
	struct net_device *peer;
	int iflink = 0;

	rcu_read_lock();
	peer = rcu_dereference(cl->peer);
	if (peer)
		iflink = peer->ifindex;
	rcu_read_unlock();
	return iflink;
}

static struct net_device *clnet_get_peer_dev(struct net_device *dev)
{
	struct clnet_link *cl = netdev_priv(dev);

	return rcu_dereference(cl->peer);
}

static int clnet_set_mac_address(struct net_device *dev, void *addr)
{
	struct clnet_link *cl = netdev_priv(dev);

	/* An L3 end has no link-layer address to change. */
	if (cl->mode != CLNET_LINK_MODE_L2)
		return -EOPNOTSUPP;
	return eth_mac_addr(dev, addr);
}

static const struct net_device_ops clnet_netdev_ops = {
	.ndo_open		= clnet_open,
	.ndo_stop		= clnet_stop,
	.ndo_start_xmit		= clnet_xmit,
	.ndo_get_stats64	= clnet_get_stats64,
	.ndo_get_iflink		= clnet_get_iflink,
	.ndo_get_peer_dev	= clnet_get_peer_dev,
	.ndo_set_mac_address	= clnet_set_mac_address,
	.ndo_features_check	= passthru_features_check,
};

static void clnet_get_drvinfo(struct net_device *dev,
			      struct ethtool_drvinfo *info)
{
	strscpy(info->driver, KBUILD_MODNAME, sizeof(info->driver));
	strscpy(info->version, CLNET_VERSION, sizeof(info->version));
}

static const struct ethtool_ops clnet_ethtool_ops = {
	.get_drvinfo	= clnet_get_drvinfo,
	.get_link	= ethtool_op_get_link,
};

/* The L3 flavour; clnet_setup_l2() turns an end into Ethernet. */
static void clnet_setup(struct net_device *dev)
{
	dev->netdev_ops = &clnet_netdev_ops;
	dev->ethtool_ops = &clnet_ethtool_ops;
	dev->rtnl_link_ops = &clnet_link_ops;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_NOARP | IFF_MULTICAST;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->mtu = ETH_DATA_LEN;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_MAX_MTU;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->features |= CLNET_DEV_FEATURES | NETIF_F_LLTX;
	dev->hw_features = CLNET_DEV_FEATURES;
	dev->hw_enc_features = CLNET_DEV_FEATURES;
	dev->vlan_features = CLNET_DEV_FEATURES;
	/* The core allocates and frees dev->tstats for us. */
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
	dev->needs_free_netdev = true;
}

static void clnet_setup_l2(struct net_device *dev)
{
	ether_setup(dev);
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE | IFF_NO_QUEUE;
	dev->max_mtu = ETH_MAX_MTU;
	eth_hw_addr_random(dev);
}

static int clnet_rtnl_validate(struct nlattr *tb[], struct nlattr *data[],
			       struct netlink_ext_ack *extack)
{
	NL_SET_ERR_MSG(extack, "clnet pairs are created with 'clnetctl link add'");
	return -EOPNOTSUPP;
}

/* Every deletion path ends here, under RTNL: both ends go together. */
static void clnet_dellink(struct net_device *dev, struct list_head *head)
{
	struct clnet_link *cl = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(cl->peer);

	RCU_INIT_POINTER(cl->peer, NULL);
	unregister_netdevice_queue(dev, head);
	if (peer) {
		struct clnet_link *pl = netdev_priv(peer);

		RCU_INIT_POINTER(pl->peer, NULL);
		unregister_netdevice_queue(peer, head);
	}
}

static struct net *clnet_get_link_net(const struct net_device *dev)
{
	struct clnet_link *cl = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(cl->peer);

	return peer ? dev_net(peer) : dev_net(dev);
}

static struct rtnl_link_ops clnet_link_ops __read_mostly = {
	.kind		= "clnet",
	.priv_size	= sizeof(struct clnet_link),
	.setup		= clnet_setup,
	.validate	= clnet_rtnl_validate,
	.dellink	= clnet_dellink,
	.get_link_net	= clnet_get_link_net,
};

/* ---- generic netlink commands ---- */

/* The clnet device named by IFINDEX or IFNAME in @net. Needs RTNL. */
static struct net_device *clnet_link_lookup(struct net *net,
					    struct genl_info *info)
{
	struct nlattr *attr = info->attrs[CLNET_LINK_A_IFINDEX];
	struct net_device *dev;

	if (attr) {
		dev = __dev_get_by_index(net, nla_get_u32(attr));
	} else {
		attr = info->attrs[CLNET_LINK_A_IFNAME];
		if (!attr) {
			NL_SET_ERR_MSG(info->extack,
				       "device is not given: IFNAME or IFINDEX is required");
			return ERR_PTR(-EINVAL);
		}
		dev = __dev_get_by_name(net, nla_data(attr));
	}
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such device");
		return ERR_PTR(-ENODEV);
	}
	if (!clnet_is_link(dev)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "not a clnet device");
		return ERR_PTR(-EINVAL);
	}
	return dev;
}

static int clnet_link_fill(struct sk_buff *skb, struct net_device *dev,
			   u32 portid, u32 seq, int flags,
			   struct netlink_callback *cb)
{
	struct clnet_link *cl = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(cl->peer);
	struct clnet_link *pl = peer ? netdev_priv(peer) : NULL;
	enum clnet_link_policy policy, peer_policy;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &clnet_genl_family, flags,
			  CLNET_CMD_LINK_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	/* Policies are reported for the pair: the primary's, then the peer's. */
	policy = READ_ONCE(cl->policy);
	peer_policy = pl ? READ_ONCE(pl->policy) : CLNET_LINK_POLICY_FORWARD;
	if (!cl->primary)
		swap(policy, peer_policy);

	if (nla_put_u32(skb, CLNET_LINK_A_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, CLNET_LINK_A_IFNAME, dev->name) ||
	    nla_put_u32(skb, CLNET_LINK_A_MODE, cl->mode) ||
	    nla_put_u32(skb, CLNET_LINK_A_POLICY, policy) ||
	    nla_put_u32(skb, CLNET_LINK_A_PEER_POLICY, peer_policy) ||
	    nla_put_u32(skb, CLNET_LINK_A_MTU, dev->mtu) ||
	    nla_put_u8(skb, CLNET_LINK_A_CARRIER, netif_carrier_ok(dev)) ||
	    (cl->primary && nla_put_flag(skb, CLNET_LINK_A_PRIMARY)))
		goto cancel;

	if (peer) {
		if (nla_put_u32(skb, CLNET_LINK_A_PEER_IFINDEX, peer->ifindex) ||
		    nla_put_string(skb, CLNET_LINK_A_PEER_IFNAME, peer->name))
			goto cancel;
		if (!net_eq(dev_net(dev), dev_net(peer)) &&
		    nla_put_s32(skb, CLNET_LINK_A_PEER_NETNSID,
				peernet2id_alloc(dev_net(dev), dev_net(peer),
						 GFP_KERNEL)))
			goto cancel;
	}
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* The netns the peer goes to: by fd, by pid, or the caller's. */
static struct net *clnet_peer_net(struct sk_buff *skb, struct net *net,
				  struct genl_info *info)
{
	struct nlattr *fd = info->attrs[CLNET_LINK_A_PEER_NETNS_FD];
	struct nlattr *pid = info->attrs[CLNET_LINK_A_PEER_NETNS_PID];
	struct net *peer_net;

	if (fd && pid) {
		NL_SET_ERR_MSG_ATTR(info->extack, pid,
				    "PEER_NETNS_FD and PEER_NETNS_PID are exclusive");
		return ERR_PTR(-EINVAL);
	}
	if (fd)
		peer_net = get_net_ns_by_fd(nla_get_u32(fd));
	else if (pid)
		peer_net = get_net_ns_by_pid(nla_get_u32(pid));
	else
		return get_net(net);
	if (IS_ERR(peer_net)) {
		NL_SET_ERR_MSG_ATTR(info->extack, fd ?: pid,
				    "peer network namespace not found");
		return peer_net;
	}
	/*
	 * Creating a device in a netns needs admin rights over it, for the
	 * socket's opener as well as for the caller (as rtnetlink checks).
	 */
	if (!netlink_ns_capable(skb, peer_net->user_ns, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG_ATTR(info->extack, fd ?: pid,
				    "no CAP_NET_ADMIN over the peer network namespace");
		put_net(peer_net);
		return ERR_PTR(-EPERM);
	}
	return peer_net;
}

static int clnet_check_name(struct net *net, struct genl_info *info, int type)
{
	struct nlattr *attr = info->attrs[type];
	const char *name = nla_data(attr);

	if (!dev_valid_name(name) || strchr(name, '%')) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "invalid interface name");
		return -EINVAL;
	}
	if (__dev_get_by_name(net, name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "a device with this name already exists");
		return -EEXIST;
	}
	return 0;
}

static struct net_device *clnet_alloc_end(const char *name, struct net *net,
					  enum clnet_link_mode mode,
					  enum clnet_link_policy policy,
					  u32 mtu, bool primary)
{
	struct net_device *dev;
	struct clnet_link *cl;

	dev = alloc_netdev(sizeof(*cl), name, NET_NAME_USER, clnet_setup);
	if (!dev)
		return NULL;
	if (mode == CLNET_LINK_MODE_L2)
		clnet_setup_l2(dev);
	dev->mtu = mtu;
	dev_net_set(dev, net);
	cl = netdev_priv(dev);
	cl->mode = mode;
	cl->policy = policy;
	cl->primary = primary;
	/* Announced by rtnl_configure_link() once it knows its peer. */
	dev->rtnl_link_state = RTNL_LINK_INITIALIZING;
	return dev;
}

static u32 clnet_attr_u32(struct genl_info *info, int type, u32 def)
{
	struct nlattr *attr = info->attrs[type];

	return attr ? nla_get_u32(attr) : def;
}

int clnet_link_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info), *peer_net;
	enum clnet_link_mode mode;
	struct net_device *dev = NULL, *peer = NULL;
	u32 mtu;
	int err;

	if (CLNET_REQUIRE_ATTR(info, CLNET_LINK_A_IFNAME,
			       "IFNAME (the primary's name) is required") ||
	    CLNET_REQUIRE_ATTR(info, CLNET_LINK_A_PEER_IFNAME,
			       "PEER_IFNAME (the peer's name) is required"))
		return -EINVAL;
	mode = clnet_attr_u32(info, CLNET_LINK_A_MODE, CLNET_LINK_MODE_L3);
	mtu = clnet_attr_u32(info, CLNET_LINK_A_MTU, ETH_DATA_LEN);

	peer_net = clnet_peer_net(skb, net, info);
	if (IS_ERR(peer_net))
		return PTR_ERR(peer_net);

	rtnl_lock();
	err = clnet_check_name(net, info, CLNET_LINK_A_IFNAME);
	if (!err)
		err = clnet_check_name(peer_net, info, CLNET_LINK_A_PEER_IFNAME);
	if (!err && net_eq(net, peer_net) &&
	    nla_strcmp(info->attrs[CLNET_LINK_A_PEER_IFNAME],
		       nla_data(info->attrs[CLNET_LINK_A_IFNAME])) == 0) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[CLNET_LINK_A_PEER_IFNAME],
				    "both ends would have the same name");
		err = -EEXIST;
	}
	if (err)
		goto out;

	err = -ENOMEM;
	dev = clnet_alloc_end(nla_data(info->attrs[CLNET_LINK_A_IFNAME]), net,
			      mode, clnet_attr_u32(info, CLNET_LINK_A_POLICY,
						   CLNET_LINK_POLICY_FORWARD),
			      mtu, true);
	peer = clnet_alloc_end(nla_data(info->attrs[CLNET_LINK_A_PEER_IFNAME]),
			       peer_net, mode,
			       clnet_attr_u32(info, CLNET_LINK_A_PEER_POLICY,
					      CLNET_LINK_POLICY_FORWARD),
			       mtu, false);
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
	rcu_assign_pointer(((struct clnet_link *)netdev_priv(dev))->peer, peer);
	rcu_assign_pointer(((struct clnet_link *)netdev_priv(peer))->peer, dev);
	/* RTM_NEWLINK for each end, now with its link to the other. */
	rtnl_configure_link(peer, NULL, 0, NULL);
	rtnl_configure_link(dev, NULL, 0, NULL);
	goto out;

err_free:
	NL_SET_ERR_MSG(info->extack, "cannot create the device pair");
	if (dev)
		free_netdev(dev);
	if (peer)
		free_netdev(peer);
out:
	rtnl_unlock();
	put_net(peer_net);
	return err;
}

int clnet_link_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	static const int fixed[] = { CLNET_LINK_A_MODE, CLNET_LINK_A_PEER_IFNAME,
				     CLNET_LINK_A_PEER_NETNS_FD,
				     CLNET_LINK_A_PEER_NETNS_PID };
	struct nlattr *pol = info->attrs[CLNET_LINK_A_POLICY];
	struct nlattr *peer_pol = info->attrs[CLNET_LINK_A_PEER_POLICY];
	struct nlattr *mtu = info->attrs[CLNET_LINK_A_MTU];
	struct net_device *dev, *peer;
	struct clnet_link *cl, *pl;
	unsigned int old_mtu;
	int i, err = 0;

	for (i = 0; i < ARRAY_SIZE(fixed); i++) {
		if (info->attrs[fixed[i]]) {
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[fixed[i]],
					    "fixed at creation: delete and re-create the pair to change it");
			return -EOPNOTSUPP;
		}
	}

	rtnl_lock();
	dev = clnet_link_lookup(genl_info_net(info), info);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto out;
	}
	cl = netdev_priv(dev);
	peer = rtnl_dereference(cl->peer);
	if (!peer) {
		err = -ENODEV;
		goto out;
	}
	pl = netdev_priv(peer);
	if ((pol || peer_pol) && !cl->primary) {
		NL_SET_ERR_MSG_ATTR(info->extack, pol ?: peer_pol,
				    "only the primary end of a pair may change policies");
		err = -EACCES;
		goto out;
	}

	/* The MTU is the only step that can fail: do it first, atomically. */
	if (mtu) {
		old_mtu = dev->mtu;
		err = dev_set_mtu(dev, nla_get_u32(mtu));
		if (!err) {
			err = dev_set_mtu(peer, nla_get_u32(mtu));
			if (err)
				dev_set_mtu(dev, old_mtu);
		}
		if (err) {
			NL_SET_ERR_MSG_ATTR(info->extack, mtu, "cannot set the MTU");
			goto out;
		}
	}
	if (pol)
		WRITE_ONCE(cl->policy, nla_get_u32(pol));
	if (peer_pol)
		WRITE_ONCE(pl->policy, nla_get_u32(peer_pol));
out:
	rtnl_unlock();
	return err;
}

int clnet_link_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev;
	LIST_HEAD(kill);
	int err = 0;

	rtnl_lock();
	dev = clnet_link_lookup(genl_info_net(info), info);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
	} else {
		clnet_dellink(dev, &kill);
		unregister_netdevice_many(&kill);
	}
	rtnl_unlock();
	return err;
}

int clnet_link_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rtnl_lock();
	dev = clnet_link_lookup(genl_info_net(info), info);
	if (IS_ERR(dev))
		err = PTR_ERR(dev);
	else
		err = clnet_link_fill(msg, dev, info->snd_portid, info->snd_seq,
				      0, NULL);
	rtnl_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* Resumable by position; a change of the device list between two parts
 * of a dump sets NLM_F_DUMP_INTR, so userspace knows to start again.
 */
int clnet_link_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	long idx = 0, start = cb->args[0];
	struct net_device *dev;

	rtnl_lock();
	cb->seq = net->dev_base_seq;
	for_each_netdev(net, dev) {
		if (!clnet_is_link(dev))
			continue;
		if (idx >= start &&
		    clnet_link_fill(skb, dev, NETLINK_CB(cb->skb).portid,
				    cb->nlh->nlmsg_seq, NLM_F_MULTI, cb))
			break;
		idx++;
	}
	rtnl_unlock();
	cb->args[0] = idx;
	return skb->len;
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
