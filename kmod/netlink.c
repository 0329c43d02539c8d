// SPDX-License-Identifier: GPL-2.0
/*
 * The "clnet" generic netlink family: the only way userspace configures
 * the module. This file owns everything netlink (policies, parsing, extack,
 * replies); link.c and fastpath.c see plain arguments.
 *
 * Every mutating command is GENL_UNS_ADMIN_PERM: the owner of a netns'
 * user namespace, and only it, may change that netns.
 */
#include <kunit/visibility.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/inetdevice.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/route.h>
#include <net/rtnetlink.h>
#include <net/sock.h>

#include "announce.h"
#include "fastpath.h"
#include "link.h"
#include "masq.h"
#include "netlink.h"

/* What this build implements, reported by CLNET_CMD_GET_INFO. */
#define CLNET_FEATURES	(BIT_ULL(CLNET_FEATURE_LINK) | \
			 BIT_ULL(CLNET_FEATURE_FASTPATH) | \
			 BIT_ULL(CLNET_FEATURE_MASQ) | \
			 BIT_ULL(CLNET_FEATURE_ANNOUNCE) | \
			 BIT_ULL(CLNET_FEATURE_EVENTS))

static struct genl_family clnet_genl_family __ro_after_init;
/* Whether events may use the family: set under RTNL, cleared before RCU. */
static bool clnet_nl_registered;

/* ---- policies ---- */

#define CLNET_NL_MS_PER_DAY	(24 * 60 * 60 * 1000)

/* The short-range form of NLA_POLICY_RANGE cannot hold ETH_MAX_MTU. */
static struct netlink_range_validation clnet_mtu_range __ro_after_init = {
	.min = ETH_MIN_MTU,
	.max = ETH_MAX_MTU,
};

#define CLNET_NLA_IFNAME	{ .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 }
#define CLNET_NLA_LINK_POLICY	NLA_POLICY_MAX(NLA_U32, CLNET_LINK_POLICY_MAX)
#define CLNET_NLA_MTU		NLA_POLICY_FULL_RANGE(NLA_U32, &clnet_mtu_range)
/* LINK_SET names what cannot change instead of calling it unknown. */
#define CLNET_NLA_FIXED		{ .type = NLA_REJECT, .reject_message =	\
	"fixed at creation: delete and re-create the pair to change it" }

/* Strict parsing rejects any attribute a command's policy leaves out. */
VISIBLE_IF_KUNIT const struct nla_policy clnet_nl_link_new_policy[CLNET_LINK_A_MAX + 1] = {
	[CLNET_LINK_A_IFNAME]		= CLNET_NLA_IFNAME,
	[CLNET_LINK_A_PEER_IFNAME]	= CLNET_NLA_IFNAME,
	[CLNET_LINK_A_PEER_NETNS_FD]	= { .type = NLA_U32 },
	[CLNET_LINK_A_PEER_NETNS_PID]	= { .type = NLA_U32 },
	[CLNET_LINK_A_MODE]		= NLA_POLICY_MAX(NLA_U32, CLNET_LINK_MODE_MAX),
	[CLNET_LINK_A_POLICY]		= CLNET_NLA_LINK_POLICY,
	[CLNET_LINK_A_PEER_POLICY]	= CLNET_NLA_LINK_POLICY,
	[CLNET_LINK_A_MTU]		= CLNET_NLA_MTU,
};
EXPORT_SYMBOL_IF_KUNIT(clnet_nl_link_new_policy);

VISIBLE_IF_KUNIT const struct nla_policy clnet_nl_link_set_policy[CLNET_LINK_A_MAX + 1] = {
	[CLNET_LINK_A_IFINDEX]		= { .type = NLA_U32 },
	[CLNET_LINK_A_IFNAME]		= CLNET_NLA_IFNAME,
	[CLNET_LINK_A_POLICY]		= CLNET_NLA_LINK_POLICY,
	[CLNET_LINK_A_PEER_POLICY]	= CLNET_NLA_LINK_POLICY,
	[CLNET_LINK_A_MTU]		= CLNET_NLA_MTU,
	[CLNET_LINK_A_MODE]		= CLNET_NLA_FIXED,
	[CLNET_LINK_A_PEER_IFNAME]	= CLNET_NLA_FIXED,
	[CLNET_LINK_A_PEER_NETNS_FD]	= CLNET_NLA_FIXED,
	[CLNET_LINK_A_PEER_NETNS_PID]	= CLNET_NLA_FIXED,
};
EXPORT_SYMBOL_IF_KUNIT(clnet_nl_link_set_policy);

VISIBLE_IF_KUNIT const struct nla_policy clnet_nl_link_id_policy[CLNET_LINK_A_MAX + 1] = {
	[CLNET_LINK_A_IFINDEX]		= { .type = NLA_U32 },
	[CLNET_LINK_A_IFNAME]		= CLNET_NLA_IFNAME,
};
EXPORT_SYMBOL_IF_KUNIT(clnet_nl_link_id_policy);

VISIBLE_IF_KUNIT const struct nla_policy clnet_nl_fastpath_set_policy[CLNET_FASTPATH_A_MAX + 1] = {
	[CLNET_FASTPATH_A_ENABLED]	= NLA_POLICY_MAX(NLA_U8, 1),
};
EXPORT_SYMBOL_IF_KUNIT(clnet_nl_fastpath_set_policy);

static const struct nla_policy clnet_nl_cidr_policy[CLNET_CIDR_A_MAX + 1] = {
	[CLNET_CIDR_A_ADDR]		= { .type = NLA_BE32 },
	[CLNET_CIDR_A_PREFIXLEN]	= NLA_POLICY_MAX(NLA_U8, 32),
};

static const struct nla_policy clnet_nl_masq_dev_policy[CLNET_MASQ_DEV_A_MAX + 1] = {
	[CLNET_MASQ_DEV_A_IFINDEX]	= { .type = NLA_U32 },
	[CLNET_MASQ_DEV_A_IFNAME]	= CLNET_NLA_IFNAME,
};

/* DEV and EXCLUDE may repeat; the policy checks every instance. */
VISIBLE_IF_KUNIT const struct nla_policy clnet_nl_masq_set_policy[CLNET_MASQ_A_MAX + 1] = {
	[CLNET_MASQ_A_DEV]		= NLA_POLICY_NESTED(clnet_nl_masq_dev_policy),
	[CLNET_MASQ_A_NATIVE_CIDR]	= NLA_POLICY_NESTED(clnet_nl_cidr_policy),
	[CLNET_MASQ_A_EXCLUDE]		= NLA_POLICY_NESTED(clnet_nl_cidr_policy),
	[CLNET_MASQ_A_SRC]		= { .type = NLA_BE32 },
};
EXPORT_SYMBOL_IF_KUNIT(clnet_nl_masq_set_policy);

/*
 * Announcement ranges come with messages in the CLI's words (a range
 * policy could only say "integer out of range"). They are checked by the
 * commands, not as validation functions of the policies: on 6.1 the core
 * reads a validation function's pointer as a range when it describes the
 * policy (a policy dump, or the policy it attaches to an extended ACK
 * for an attribute of the wrong length) and warns.
 */
static int clnet_nl_lease_check(const struct nlattr *attr,
				struct netlink_ext_ack *extack)
{
	u32 v = nla_get_u32(attr);

	if (v < 100 || v > CLNET_NL_MS_PER_DAY) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "lease must be 100 ms to 24 h");
		return -ERANGE;
	}
	return 0;
}

static int clnet_nl_garp_count_check(const struct nlattr *attr,
				     struct netlink_ext_ack *extack)
{
	if (nla_get_u32(attr) > 100) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "garp-count must be 0 to 100");
		return -ERANGE;
	}
	return 0;
}

static int clnet_nl_garp_interval_check(const struct nlattr *attr,
					struct netlink_ext_ack *extack)
{
	u32 v = nla_get_u32(attr);

	if (v < 10 || v > 60000) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "garp-interval must be 10 ms to 60 s");
		return -ERANGE;
	}
	return 0;
}

static int clnet_nl_refresh_check(const struct nlattr *attr,
				  struct netlink_ext_ack *extack)
{
	u32 v = nla_get_u32(attr);

	if (v && (v < 1000 || v > CLNET_NL_MS_PER_DAY)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "refresh must be 0 (off) or 1 s to 24 h");
		return -ERANGE;
	}
	return 0;
}

/* The ranges of whichever of these attributes @tb has. */
VISIBLE_IF_KUNIT int clnet_nl_ann_ranges(struct nlattr **tb,
					 struct netlink_ext_ack *extack)
{
	static const struct {
		int type;
		int (*check)(const struct nlattr *attr,
			     struct netlink_ext_ack *extack);
	} ranges[] = {
		{ CLNET_ANNOUNCE_A_LEASE_MS, clnet_nl_lease_check },
		{ CLNET_ANNOUNCE_A_GARP_COUNT, clnet_nl_garp_count_check },
		{ CLNET_ANNOUNCE_A_GARP_INTERVAL_MS, clnet_nl_garp_interval_check },
		{ CLNET_ANNOUNCE_A_REFRESH_MS, clnet_nl_refresh_check },
	};
	int i, err;

	for (i = 0; i < ARRAY_SIZE(ranges); i++) {
		if (!tb[ranges[i].type])
			continue;
		err = ranges[i].check(tb[ranges[i].type], extack);
		if (err)
			return err;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(clnet_nl_ann_ranges);

VISIBLE_IF_KUNIT const struct nla_policy clnet_nl_announce_add_policy[CLNET_ANNOUNCE_A_MAX + 1] = {
	[CLNET_ANNOUNCE_A_ADDR]			= { .type = NLA_BE32 },
	[CLNET_ANNOUNCE_A_IFINDEX]		= { .type = NLA_U32 },
	[CLNET_ANNOUNCE_A_IFNAME]		= CLNET_NLA_IFNAME,
	[CLNET_ANNOUNCE_A_LEASE_MS]		= { .type = NLA_U32 },
	[CLNET_ANNOUNCE_A_GARP_COUNT]		= { .type = NLA_U32 },
	[CLNET_ANNOUNCE_A_GARP_INTERVAL_MS]	= { .type = NLA_U32 },
	[CLNET_ANNOUNCE_A_REFRESH_MS]		= { .type = NLA_U32 },
};
EXPORT_SYMBOL_IF_KUNIT(clnet_nl_announce_add_policy);

VISIBLE_IF_KUNIT const struct nla_policy
clnet_nl_announce_renew_policy[CLNET_ANNOUNCE_A_MAX + 1] = {
	[CLNET_ANNOUNCE_A_ADDR]			= { .type = NLA_BE32 },
	[CLNET_ANNOUNCE_A_IFINDEX]		= { .type = NLA_U32 },
	[CLNET_ANNOUNCE_A_IFNAME]		= CLNET_NLA_IFNAME,
	[CLNET_ANNOUNCE_A_LEASE_MS]		= { .type = NLA_U32 },
};
EXPORT_SYMBOL_IF_KUNIT(clnet_nl_announce_renew_policy);

/* DEL, GET (do: ADDR and the device; dump: the device, optional). */
VISIBLE_IF_KUNIT const struct nla_policy clnet_nl_announce_id_policy[CLNET_ANNOUNCE_A_MAX + 1] = {
	[CLNET_ANNOUNCE_A_ADDR]			= { .type = NLA_BE32 },
	[CLNET_ANNOUNCE_A_IFINDEX]		= { .type = NLA_U32 },
	[CLNET_ANNOUNCE_A_IFNAME]		= CLNET_NLA_IFNAME,
};
EXPORT_SYMBOL_IF_KUNIT(clnet_nl_announce_id_policy);

VISIBLE_IF_KUNIT const struct nla_policy clnet_nl_announce_pods_policy[CLNET_ANNOUNCE_A_MAX + 1] = {
	[CLNET_ANNOUNCE_A_IFINDEX]		= { .type = NLA_U32 },
	[CLNET_ANNOUNCE_A_IFNAME]		= CLNET_NLA_IFNAME,
	[CLNET_ANNOUNCE_A_PODS]			= NLA_POLICY_MAX(NLA_U8, 1),
	[CLNET_ANNOUNCE_A_GARP_COUNT]		= { .type = NLA_U32 },
	[CLNET_ANNOUNCE_A_GARP_INTERVAL_MS]	= { .type = NLA_U32 },
};
EXPORT_SYMBOL_IF_KUNIT(clnet_nl_announce_pods_policy);

/* ---- info ---- */

static int clnet_nl_get_info_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	hdr = genlmsg_put_reply(msg, info, &clnet_genl_family, 0,
				CLNET_CMD_GET_INFO);
	if (!hdr)
		goto err_size;

	if (nla_put_string(msg, CLNET_INFO_A_VERSION, CLNET_VERSION) ||
	    nla_put_u32(msg, CLNET_INFO_A_GENL_VERSION, CLNET_GENL_VERSION) ||
	    nla_put_u64_64bit(msg, CLNET_INFO_A_FEATURES, CLNET_FEATURES,
			      CLNET_INFO_A_PAD) ||
	    nla_put_u32(msg, CLNET_INFO_A_FAMILIES, BIT(AF_INET)))
		goto err_size;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_size:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* ---- device pairs ---- */

/* The clnet device named by IFINDEX or IFNAME in @net. Needs RTNL. */
static struct net_device *clnet_nl_link_lookup(struct net *net,
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
	if (!clnet_link_is_end(dev)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "not a clnet device");
		return ERR_PTR(-EINVAL);
	}
	return dev;
}

static int clnet_nl_link_fill(struct sk_buff *skb, struct net_device *dev,
			      u32 portid, u32 seq, int flags,
			      struct netlink_callback *cb, u8 cmd)
{
	struct clnet_link_info li;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &clnet_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	clnet_link_get_info(dev, &li);
	if (nla_put_u32(skb, CLNET_LINK_A_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, CLNET_LINK_A_IFNAME, dev->name) ||
	    nla_put_u32(skb, CLNET_LINK_A_MODE, li.mode) ||
	    nla_put_u32(skb, CLNET_LINK_A_POLICY, li.policy) ||
	    nla_put_u32(skb, CLNET_LINK_A_PEER_POLICY, li.peer_policy) ||
	    nla_put_u32(skb, CLNET_LINK_A_MTU, dev->mtu) ||
	    nla_put_u8(skb, CLNET_LINK_A_CARRIER, netif_carrier_ok(dev)) ||
	    (li.primary && nla_put_flag(skb, CLNET_LINK_A_PRIMARY)))
		goto cancel;

	if (li.peer) {
		if (nla_put_u32(skb, CLNET_LINK_A_PEER_IFINDEX, li.peer->ifindex) ||
		    nla_put_string(skb, CLNET_LINK_A_PEER_IFNAME, li.peer->name))
			goto cancel;
		if (!net_eq(dev_net(dev), dev_net(li.peer)) &&
		    nla_put_s32(skb, CLNET_LINK_A_PEER_NETNSID,
				peernet2id_alloc(dev_net(dev), dev_net(li.peer),
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
static struct net *clnet_nl_peer_net(struct sk_buff *skb, struct net *net,
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

/* A name attribute must be a valid, free interface name in @net. RTNL. */
static int clnet_nl_check_name(struct net *net, struct genl_info *info,
			       int type)
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

static u32 clnet_nl_u32(struct genl_info *info, int type, u32 def)
{
	struct nlattr *attr = info->attrs[type];

	return attr ? nla_get_u32(attr) : def;
}

static int clnet_nl_link_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *peer_name = info->attrs[CLNET_LINK_A_PEER_IFNAME];
	struct net *net = genl_info_net(info);
	struct clnet_link_config cfg;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, CLNET_LINK_A_IFNAME) ||
	    GENL_REQ_ATTR_CHECK(info, CLNET_LINK_A_PEER_IFNAME))
		return -EINVAL;

	cfg = (struct clnet_link_config) {
		.name		= nla_data(info->attrs[CLNET_LINK_A_IFNAME]),
		.peer_name	= nla_data(peer_name),
		.net		= net,
		.mode		= clnet_nl_u32(info, CLNET_LINK_A_MODE,
					       CLNET_LINK_MODE_L3),
		.policy		= clnet_nl_u32(info, CLNET_LINK_A_POLICY,
					       CLNET_LINK_POLICY_FORWARD),
		.peer_policy	= clnet_nl_u32(info, CLNET_LINK_A_PEER_POLICY,
					       CLNET_LINK_POLICY_FORWARD),
		.mtu		= clnet_nl_u32(info, CLNET_LINK_A_MTU, ETH_DATA_LEN),
	};
	cfg.peer_net = clnet_nl_peer_net(skb, net, info);
	if (IS_ERR(cfg.peer_net))
		return PTR_ERR(cfg.peer_net);

	rtnl_lock();
	err = clnet_nl_check_name(net, info, CLNET_LINK_A_IFNAME);
	if (err)
		goto out;
	err = clnet_nl_check_name(cfg.peer_net, info, CLNET_LINK_A_PEER_IFNAME);
	if (err)
		goto out;
	if (net_eq(net, cfg.peer_net) && !strcmp(cfg.name, cfg.peer_name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, peer_name,
				    "both ends would have the same name");
		err = -EEXIST;
		goto out;
	}
	err = clnet_link_create(&cfg, info->extack);
out:
	rtnl_unlock();
	put_net(cfg.peer_net);
	return err;
}

static int clnet_nl_link_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *pol = info->attrs[CLNET_LINK_A_POLICY];
	struct nlattr *peer_pol = info->attrs[CLNET_LINK_A_PEER_POLICY];
	struct nlattr *mtu = info->attrs[CLNET_LINK_A_MTU];
	struct net_device *dev;
	int err = 0;

	rtnl_lock();
	dev = clnet_nl_link_lookup(genl_info_net(info), info);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto out;
	}
	if ((pol || peer_pol) && !clnet_link_is_primary(dev)) {
		NL_SET_ERR_MSG_ATTR(info->extack, pol ?: peer_pol,
				    "only the primary end of a pair may change policies");
		err = -EACCES;
		goto out;
	}

	/* The MTU is the only step that can fail: it goes first. */
	if (mtu) {
		err = clnet_link_set_mtu(dev, nla_get_u32(mtu));
		if (err) {
			NL_SET_ERR_MSG_ATTR(info->extack, mtu, "cannot set the MTU");
			goto out;
		}
	}
	if (pol)
		clnet_link_set_policy(dev, false, nla_get_u32(pol));
	if (peer_pol)
		clnet_link_set_policy(dev, true, nla_get_u32(peer_pol));
out:
	rtnl_unlock();
	return err;
}

static int clnet_nl_link_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev;
	int err = 0;

	rtnl_lock();
	dev = clnet_nl_link_lookup(genl_info_net(info), info);
	if (IS_ERR(dev))
		err = PTR_ERR(dev);
	else
		clnet_link_delete(dev);
	rtnl_unlock();
	return err;
}

static int clnet_nl_link_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rtnl_lock();
	dev = clnet_nl_link_lookup(genl_info_net(info), info);
	if (IS_ERR(dev))
		err = PTR_ERR(dev);
	else
		err = clnet_nl_link_fill(msg, dev, info->snd_portid,
					 info->snd_seq, 0, NULL,
					 CLNET_CMD_LINK_GET);
	rtnl_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * Resumable by position; a change of the device list between two parts
 * of a dump sets NLM_F_DUMP_INTR, so that userspace knows to start again.
 */
static int clnet_nl_link_get_dumpit(struct sk_buff *skb,
				    struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	long idx = 0, start = cb->args[0];
	struct net_device *dev;

	rtnl_lock();
	cb->seq = net->dev_base_seq;
	for_each_netdev(net, dev) {
		if (!clnet_link_is_end(dev))
			continue;
		if (idx >= start &&
		    clnet_nl_link_fill(skb, dev, NETLINK_CB(cb->skb).portid,
				       cb->nlh->nlmsg_seq, NLM_F_MULTI, cb,
				       CLNET_CMD_LINK_GET))
			break;
		idx++;
	}
	rtnl_unlock();
	cb->args[0] = idx;
	return skb->len;
}

/* ---- fast path ---- */

static int clnet_nl_fastpath_set_doit(struct sk_buff *skb,
				      struct genl_info *info)
{
	if (GENL_REQ_ATTR_CHECK(info, CLNET_FASTPATH_A_ENABLED))
		return -EINVAL;
	return clnet_fp_set(genl_info_net(info),
			    nla_get_u8(info->attrs[CLNET_FASTPATH_A_ENABLED]));
}

static int clnet_nl_fastpath_get_doit(struct sk_buff *skb,
				      struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct clnet_fp_counters c;
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;
	int i;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &clnet_genl_family, 0,
				CLNET_CMD_FASTPATH_GET);
	if (!hdr)
		goto err;

	clnet_fp_read(net, &c);
	if (nla_put_u8(msg, CLNET_FASTPATH_A_ENABLED, clnet_fp_enabled(net)) ||
	    nla_put_u64_64bit(msg, CLNET_FASTPATH_A_FORWARDED, c.forwarded,
			      CLNET_FASTPATH_A_PAD) ||
	    nla_put_u64_64bit(msg, CLNET_FASTPATH_A_DIRECT, c.direct,
			      CLNET_FASTPATH_A_PAD) ||
	    nla_put_u64_64bit(msg, CLNET_FASTPATH_A_NAT_ORIGINAL,
			      c.nat[IP_CT_DIR_ORIGINAL], CLNET_FASTPATH_A_PAD) ||
	    nla_put_u64_64bit(msg, CLNET_FASTPATH_A_NAT_REPLY,
			      c.nat[IP_CT_DIR_REPLY], CLNET_FASTPATH_A_PAD))
		goto err;
	nest = nla_nest_start(msg, CLNET_FASTPATH_A_FALLBACK);
	if (!nest)
		goto err;
	for (i = 0; i < CLNET_FP_NR_REASONS; i++)
		if (nla_put_u64_64bit(msg, CLNET_FP_FALLBACK_A_TTL + i,
				      c.fallback[i], CLNET_FP_FALLBACK_A_PAD))
			goto err;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* ---- masquerade ---- */

static int clnet_nl_cidr_parse(const struct nlattr *nest, struct clnet_cidr *c,
			       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CLNET_CIDR_A_MAX + 1];
	int err;

	err = nla_parse_nested(tb, CLNET_CIDR_A_MAX, nest, clnet_nl_cidr_policy,
			       extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, CLNET_CIDR_A_ADDR) ||
	    NL_REQ_ATTR_CHECK(extack, nest, tb, CLNET_CIDR_A_PREFIXLEN))
		return -EINVAL;
	c->addr = nla_get_in_addr(tb[CLNET_CIDR_A_ADDR]);
	c->plen = nla_get_u8(tb[CLNET_CIDR_A_PREFIXLEN]);
	if (c->addr & ~inet_make_mask(c->plen)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[CLNET_CIDR_A_ADDR],
				    "host bits set: a prefix's address ends in zero bits");
		return -EINVAL;
	}
	return 0;
}

/* A masquerade device, by IFINDEX or IFNAME. RTNL. */
static int clnet_nl_masq_dev_parse(struct net *net, const struct nlattr *nest,
				   int *ifindex, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CLNET_MASQ_DEV_A_MAX + 1], *attr;
	struct net_device *dev;
	int err;

	err = nla_parse_nested(tb, CLNET_MASQ_DEV_A_MAX, nest,
			       clnet_nl_masq_dev_policy, extack);
	if (err)
		return err;
	attr = tb[CLNET_MASQ_DEV_A_IFINDEX];
	if (attr) {
		dev = __dev_get_by_index(net, nla_get_u32(attr));
	} else {
		attr = tb[CLNET_MASQ_DEV_A_IFNAME];
		if (!attr) {
			NL_SET_ERR_MSG_ATTR(extack, nest,
					    "device is not given: IFNAME or IFINDEX is required");
			return -EINVAL;
		}
		dev = __dev_get_by_name(net, nla_data(attr));
	}
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "no such device");
		return -ENODEV;
	}
	if (clnet_link_is_end(dev) || (dev->flags & IFF_LOOPBACK)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "not a masquerade device: pod traffic never leaves the node through it");
		return -EINVAL;
	}
	*ifindex = dev->ifindex;
	return 0;
}

/* Everything MASQ_SET carries, checked, into @cfg. RTNL. */
static int clnet_nl_masq_parse(struct net *net, struct genl_info *info,
			       struct clnet_masq_config *cfg)
{
	struct netlink_ext_ack *extack = info->extack;
	const struct nlattr *a;
	int rem, err = 0;

	nla_for_each_attr(a, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		switch (nla_type(a)) {
		case CLNET_MASQ_A_DEV:
			if (cfg->n_devs == CLNET_MASQ_MAX_DEVS) {
				NL_SET_ERR_MSG_ATTR(extack, a, "too many devices");
				return -E2BIG;
			}
			err = clnet_nl_masq_dev_parse(net, a,
						      &cfg->ifindex[cfg->n_devs++],
						      extack);
			break;
		case CLNET_MASQ_A_EXCLUDE:
			if (cfg->n_excludes == CLNET_MASQ_MAX_EXCLUDES) {
				NL_SET_ERR_MSG_ATTR(extack, a, "too many excluded CIDRs");
				return -E2BIG;
			}
			err = clnet_nl_cidr_parse(a, &cfg->exclude[cfg->n_excludes++],
						  extack);
			break;
		}
		if (err)
			return err;
	}
	if (!cfg->n_devs) {
		NL_SET_ERR_MSG(extack, "no device: at least one DEV is required");
		return -EINVAL;
	}
	err = clnet_nl_cidr_parse(info->attrs[CLNET_MASQ_A_NATIVE_CIDR],
				  &cfg->native, extack);
	if (err)
		return err;
	a = info->attrs[CLNET_MASQ_A_SRC];
	if (a) {
		cfg->src = nla_get_in_addr(a);
		if (inet_addr_type(net, cfg->src) != RTN_LOCAL) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "src is not an address of this node");
			return -EADDRNOTAVAIL;
		}
	}
	return 0;
}

static int clnet_nl_masq_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct clnet_masq_config *cfg;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, CLNET_MASQ_A_NATIVE_CIDR))
		return -EINVAL;
	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	rtnl_lock();
	err = clnet_nl_masq_parse(net, info, cfg);
	rtnl_unlock();
	if (err) {
		kfree(cfg);
		return err;
	}
	return clnet_masq_set(net, cfg, info->extack);
}

static int clnet_nl_masq_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	clnet_masq_del(genl_info_net(info));
	return 0;
}

static int clnet_nl_put_cidr(struct sk_buff *msg, int type,
			     const struct clnet_cidr *c)
{
	struct nlattr *nest = nla_nest_start(msg, type);

	if (!nest || nla_put_in_addr(msg, CLNET_CIDR_A_ADDR, c->addr) ||
	    nla_put_u8(msg, CLNET_CIDR_A_PREFIXLEN, c->plen))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int clnet_nl_put_masq_dev(struct sk_buff *msg, struct net *net,
				 const struct clnet_masq_config *cfg, int ifindex)
{
	struct nlattr *nest = nla_nest_start(msg, CLNET_MASQ_A_DEV);
	struct net_device *dev;
	int err = -EMSGSIZE;
	__be32 addr;

	if (!nest || nla_put_u32(msg, CLNET_MASQ_DEV_A_IFINDEX, ifindex))
		return -EMSGSIZE;
	rcu_read_lock();
	dev = dev_get_by_index_rcu(net, ifindex);
	if (dev) {
		addr = clnet_masq_dev_addr(cfg, dev);
		if (nla_put_string(msg, CLNET_MASQ_DEV_A_IFNAME, dev->name) ||
		    (addr && nla_put_in_addr(msg, CLNET_MASQ_DEV_A_ADDR, addr)))
			goto out;
	}
	nla_nest_end(msg, nest);
	err = 0;
out:
	rcu_read_unlock();
	return err;
}

static int clnet_nl_put_masq_config(struct sk_buff *msg, struct net *net,
				    const struct clnet_masq_config *cfg)
{
	unsigned int i;

	for (i = 0; i < cfg->n_devs; i++)
		if (clnet_nl_put_masq_dev(msg, net, cfg, cfg->ifindex[i]))
			return -EMSGSIZE;
	if (clnet_nl_put_cidr(msg, CLNET_MASQ_A_NATIVE_CIDR, &cfg->native))
		return -EMSGSIZE;
	for (i = 0; i < cfg->n_excludes; i++)
		if (clnet_nl_put_cidr(msg, CLNET_MASQ_A_EXCLUDE, &cfg->exclude[i]))
			return -EMSGSIZE;
	if (cfg->src && nla_put_in_addr(msg, CLNET_MASQ_A_SRC, cfg->src))
		return -EMSGSIZE;
	return 0;
}

static int clnet_nl_put_masq_counters(struct sk_buff *msg,
				      const struct clnet_masq_counters *c)
{
	struct nlattr *nest;
	int i;

	if (nla_put_u64_64bit(msg, CLNET_MASQ_A_FLOWS, c->flows, CLNET_MASQ_A_PAD) ||
	    nla_put_u64_64bit(msg, CLNET_MASQ_A_PACKETS, c->packets, CLNET_MASQ_A_PAD) ||
	    nla_put_u64_64bit(msg, CLNET_MASQ_A_BYTES, c->bytes, CLNET_MASQ_A_PAD) ||
	    nla_put_u64_64bit(msg, CLNET_MASQ_A_CT_INSERT_FAILED,
			      c->ct_insert_failed, CLNET_MASQ_A_PAD) ||
	    nla_put_u64_64bit(msg, CLNET_MASQ_A_CT_DROP, c->ct_drop,
			      CLNET_MASQ_A_PAD))
		return -EMSGSIZE;
	nest = nla_nest_start(msg, CLNET_MASQ_A_DROP);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < CLNET_MASQ_NR_DROPS; i++)
		if (nla_put_u64_64bit(msg, CLNET_MASQ_DROP_A_NO_ADDR + i,
				      c->drop[i], CLNET_MASQ_DROP_A_PAD))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int clnet_nl_masq_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	const struct clnet_masq_config *cfg;
	struct clnet_masq_counters c;
	struct sk_buff *msg;
	void *hdr;

	clnet_masq_read(net, &c);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &clnet_genl_family, 0,
				CLNET_CMD_MASQ_GET);
	if (!hdr)
		goto err;
	cfg = clnet_masq_config(net);
	if (nla_put_u8(msg, CLNET_MASQ_A_ENABLED, !!cfg) ||
	    (cfg && clnet_nl_put_masq_config(msg, net, cfg)) ||
	    clnet_nl_put_masq_counters(msg, &c))
		goto err;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* ---- ARP announcements ---- */

/* The device named by IFINDEX or IFNAME in @tb. RTNL. */
static struct net_device *clnet_nl_ann_dev(struct net *net, struct nlattr **tb,
					   struct netlink_ext_ack *extack)
{
	struct nlattr *attr = tb[CLNET_ANNOUNCE_A_IFINDEX];
	struct net_device *dev;

	if (attr) {
		dev = __dev_get_by_index(net, nla_get_u32(attr));
	} else {
		attr = tb[CLNET_ANNOUNCE_A_IFNAME];
		if (!attr) {
			NL_SET_ERR_MSG(extack,
				       "device is not given: IFNAME or IFINDEX is required");
			return ERR_PTR(-EINVAL);
		}
		dev = __dev_get_by_name(net, nla_data(attr));
	}
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "no such device");
		return ERR_PTR(-ENODEV);
	}
	return dev;
}

/* A device that may announce: Ethernet with ARP, no clnet end. RTNL. */
static struct net_device *clnet_nl_ann_arp_dev(struct net *net,
					       struct nlattr **tb,
					       struct netlink_ext_ack *extack)
{
	struct nlattr *attr = tb[CLNET_ANNOUNCE_A_IFINDEX] ?:
			      tb[CLNET_ANNOUNCE_A_IFNAME];
	struct net_device *dev = clnet_nl_ann_dev(net, tb, extack);

	if (IS_ERR(dev))
		return dev;
	if (clnet_link_is_end(dev)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "a clnet pair end cannot announce");
		return ERR_PTR(-EINVAL);
	}
	if (dev->type != ARPHRD_ETHER ||
	    (dev->flags & (IFF_NOARP | IFF_LOOPBACK))) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "not an Ethernet device that does ARP");
		return ERR_PTR(-EINVAL);
	}
	/* Its ARP is received on the bridge, not on the port. */
	if (netif_is_bridge_port(dev)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "a bridge port cannot announce: use its bridge");
		return ERR_PTR(-EINVAL);
	}
	return dev;
}

/*
 * Not 0.0.0.0/8 (ipv4_is_zeronet() is only 0.0.0.0 now), loopback,
 * multicast, class E nor the limited broadcast (which is class E).
 */
VISIBLE_IF_KUNIT bool clnet_nl_ann_unicast(__be32 addr)
{
	return (addr & htonl(0xff000000)) && !ipv4_is_loopback(addr) &&
	       !ipv4_is_multicast(addr) &&
	       (addr & htonl(0xf0000000)) != htonl(0xf0000000);
}
EXPORT_SYMBOL_IF_KUNIT(clnet_nl_ann_unicast);

static int clnet_nl_ann_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *addr = info->attrs[CLNET_ANNOUNCE_A_ADDR];
	struct net *net = genl_info_net(info);
	struct clnet_ann_params p;
	struct net_device *dev;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, CLNET_ANNOUNCE_A_ADDR))
		return -EINVAL;
	if (!clnet_nl_ann_unicast(nla_get_in_addr(addr))) {
		NL_SET_ERR_MSG_ATTR(info->extack, addr, "not a unicast address");
		return -EINVAL;
	}
	err = clnet_nl_ann_ranges(info->attrs, info->extack);
	if (err)
		return err;
	p = (struct clnet_ann_params) {
		.lease_ms	 = clnet_nl_u32(info, CLNET_ANNOUNCE_A_LEASE_MS, 0),
		.garp_count	 = clnet_nl_u32(info, CLNET_ANNOUNCE_A_GARP_COUNT,
						CLNET_ANN_DEF_GARP_COUNT),
		.garp_interval_ms = clnet_nl_u32(info, CLNET_ANNOUNCE_A_GARP_INTERVAL_MS,
						 CLNET_ANN_DEF_GARP_INTERVAL_MS),
		.refresh_ms	 = clnet_nl_u32(info, CLNET_ANNOUNCE_A_REFRESH_MS, 0),
	};
	rtnl_lock();
	dev = clnet_nl_ann_arp_dev(net, info->attrs, info->extack);
	if (IS_ERR(dev))
		err = PTR_ERR(dev);
	else
		err = clnet_ann_add(net, dev, nla_get_in_addr(addr), &p,
				    info->extack);
	rtnl_unlock();
	return err;
}

/* RENEW and DEL: the entry ADDR on the device. */
static int clnet_nl_ann_entry_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct net_device *dev;
	__be32 addr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, CLNET_ANNOUNCE_A_ADDR))
		return -EINVAL;
	err = clnet_nl_ann_ranges(info->attrs, info->extack);
	if (err)
		return err;
	addr = nla_get_in_addr(info->attrs[CLNET_ANNOUNCE_A_ADDR]);
	rtnl_lock();
	dev = clnet_nl_ann_dev(net, info->attrs, info->extack);
	if (IS_ERR(dev))
		err = PTR_ERR(dev);
	else if (info->genlhdr->cmd == CLNET_CMD_ANNOUNCE_RENEW)
		err = clnet_ann_renew(net, dev->ifindex, addr,
				      clnet_nl_u32(info, CLNET_ANNOUNCE_A_LEASE_MS, 0),
				      info->extack);
	else
		err = clnet_ann_del(net, dev->ifindex, addr, info->extack);
	rtnl_unlock();
	return err;
}

static int clnet_nl_ann_fill(struct sk_buff *skb,
			     const struct clnet_ann_info *ai, u32 portid,
			     u32 seq, int flags)
{
	const struct clnet_ann_params *p = &ai->params;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &clnet_genl_family, flags,
			  CLNET_CMD_ANNOUNCE_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_in_addr(skb, CLNET_ANNOUNCE_A_ADDR, ai->addr) ||
	    nla_put_u32(skb, CLNET_ANNOUNCE_A_IFINDEX, ai->ifindex) ||
	    nla_put_string(skb, CLNET_ANNOUNCE_A_IFNAME, ai->ifname) ||
	    nla_put_u32(skb, CLNET_ANNOUNCE_A_STATE, ai->state) ||
	    (ai->state != CLNET_ANNOUNCE_STATE_ACTIVE &&
	     nla_put_u32(skb, CLNET_ANNOUNCE_A_REASON, ai->reason)) ||
	    (p->lease_ms &&
	     (nla_put_u32(skb, CLNET_ANNOUNCE_A_LEASE_MS, p->lease_ms) ||
	      nla_put_u32(skb, CLNET_ANNOUNCE_A_LEASE_LEFT_MS,
			  ai->lease_left_ms))) ||
	    nla_put_u32(skb, CLNET_ANNOUNCE_A_GARP_COUNT, p->garp_count) ||
	    nla_put_u32(skb, CLNET_ANNOUNCE_A_GARP_INTERVAL_MS,
			p->garp_interval_ms) ||
	    (p->refresh_ms &&
	     nla_put_u32(skb, CLNET_ANNOUNCE_A_REFRESH_MS, p->refresh_ms)) ||
	    nla_put_u64_64bit(skb, CLNET_ANNOUNCE_A_REPLIES, ai->replies,
			      CLNET_ANNOUNCE_A_PAD) ||
	    nla_put_u64_64bit(skb, CLNET_ANNOUNCE_A_GARPS, ai->garps,
			      CLNET_ANNOUNCE_A_PAD) ||
	    nla_put_u64_64bit(skb, CLNET_ANNOUNCE_A_GARP_FAILED,
			      ai->garp_failed, CLNET_ANNOUNCE_A_PAD) ||
	    (ai->garped &&
	     nla_put_u64_64bit(skb, CLNET_ANNOUNCE_A_LAST_GARP_MS,
			       ai->last_garp_ms, CLNET_ANNOUNCE_A_PAD))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int clnet_nl_ann_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct clnet_ann_info *ai;
	struct net_device *dev;
	struct sk_buff *msg;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, CLNET_ANNOUNCE_A_ADDR))
		return -EINVAL;
	ai = kmalloc(sizeof(*ai), GFP_KERNEL);
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!ai || !msg) {
		err = -ENOMEM;
		goto out;
	}
	rtnl_lock();
	dev = clnet_nl_ann_dev(net, info->attrs, info->extack);
	if (IS_ERR(dev))
		err = PTR_ERR(dev);
	else
		err = clnet_ann_get(net, dev->ifindex,
				    nla_get_in_addr(info->attrs[CLNET_ANNOUNCE_A_ADDR]),
				    ai, info->extack);
	rtnl_unlock();
	if (!err)
		err = clnet_nl_ann_fill(msg, ai, info->snd_portid,
					info->snd_seq, 0);
	if (!err) {
		kfree(ai);
		return genlmsg_reply(msg, info);
	}
out:
	nlmsg_free(msg);
	kfree(ai);
	return err;
}

struct clnet_nl_dump_ctx {
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

static int clnet_nl_ann_dump_one(const struct clnet_ann_info *ai, void *ctx)
{
	struct clnet_nl_dump_ctx *d = ctx;

	return clnet_nl_ann_fill(d->skb, ai, NETLINK_CB(d->cb->skb).portid,
				 d->cb->nlh->nlmsg_seq, NLM_F_MULTI);
}

/*
 * Resumable by position: cb->args[0] is the next entry's, cb->args[1]
 * the device filter's ifindex (0: none). An add or delete between two
 * parts sets NLM_F_DUMP_INTR.
 */
static int clnet_nl_ann_get_dumpit(struct sk_buff *skb,
				   struct netlink_callback *cb)
{
	const struct genl_dumpit_info *di = genl_dumpit_info(cb);
	struct clnet_nl_dump_ctx d = { .skb = skb, .cb = cb };
	struct net *net = sock_net(skb->sk);
	struct net_device *dev;
	unsigned int gen;
	long pos;

	if (!cb->args[2]) {
		cb->args[2] = 1;
		if (di->attrs[CLNET_ANNOUNCE_A_IFINDEX] ||
		    di->attrs[CLNET_ANNOUNCE_A_IFNAME]) {
			rtnl_lock();
			dev = clnet_nl_ann_dev(net, di->attrs, cb->extack);
			if (!IS_ERR(dev))
				cb->args[1] = dev->ifindex;
			rtnl_unlock();
			if (IS_ERR(dev))
				return PTR_ERR(dev);
		}
	}
	pos = cb->args[0];
	rtnl_lock();
	clnet_ann_walk(net, cb->args[1], &pos, &gen, clnet_nl_ann_dump_one, &d);
	rtnl_unlock();
	cb->seq = gen;
	nl_dump_check_consistent(cb, nlmsg_hdr(skb));
	cb->args[0] = pos;
	return skb->len;
}

static int clnet_nl_ann_pods_set_doit(struct sk_buff *skb,
				      struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct net_device *dev;
	int ifindex, err;
	bool on;

	if (GENL_REQ_ATTR_CHECK(info, CLNET_ANNOUNCE_A_PODS))
		return -EINVAL;
	err = clnet_nl_ann_ranges(info->attrs, info->extack);
	if (err)
		return err;
	on = nla_get_u8(info->attrs[CLNET_ANNOUNCE_A_PODS]);
	rtnl_lock();
	if (on)
		dev = clnet_nl_ann_arp_dev(net, info->attrs, info->extack);
	else
		dev = clnet_nl_ann_dev(net, info->attrs, info->extack);
	ifindex = IS_ERR(dev) ? 0 : dev->ifindex;
	rtnl_unlock();
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	/* Without RTNL: it registers a fib notifier, which takes RTNL. */
	return clnet_ann_pods_set(net, ifindex, on,
				  clnet_nl_u32(info, CLNET_ANNOUNCE_A_GARP_COUNT,
					       CLNET_ANN_DEF_GARP_COUNT),
				  clnet_nl_u32(info, CLNET_ANNOUNCE_A_GARP_INTERVAL_MS,
					       CLNET_ANN_DEF_GARP_INTERVAL_MS),
				  info->extack);
}

static int clnet_nl_ann_pods_dump_one(const struct clnet_ann_pods_info *pi,
				      void *ctx)
{
	struct clnet_nl_dump_ctx *d = ctx;
	struct sk_buff *skb = d->skb;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(d->cb->skb).portid,
			  d->cb->nlh->nlmsg_seq, &clnet_genl_family,
			  NLM_F_MULTI, CLNET_CMD_ANNOUNCE_PODS_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, CLNET_ANNOUNCE_A_IFINDEX, pi->ifindex) ||
	    nla_put_string(skb, CLNET_ANNOUNCE_A_IFNAME, pi->ifname) ||
	    nla_put_u8(skb, CLNET_ANNOUNCE_A_PODS, 1) ||
	    nla_put_u32(skb, CLNET_ANNOUNCE_A_GARP_COUNT, pi->garp_count) ||
	    nla_put_u32(skb, CLNET_ANNOUNCE_A_GARP_INTERVAL_MS,
			pi->garp_interval_ms) ||
	    nla_put_u64_64bit(skb, CLNET_ANNOUNCE_A_REPLIES, pi->replies,
			      CLNET_ANNOUNCE_A_PAD) ||
	    nla_put_u64_64bit(skb, CLNET_ANNOUNCE_A_GARPS, pi->garps,
			      CLNET_ANNOUNCE_A_PAD) ||
	    nla_put_u64_64bit(skb, CLNET_ANNOUNCE_A_GARP_FAILED,
			      pi->garp_failed, CLNET_ANNOUNCE_A_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int clnet_nl_ann_pods_get_dumpit(struct sk_buff *skb,
					struct netlink_callback *cb)
{
	struct clnet_nl_dump_ctx d = { .skb = skb, .cb = cb };
	long pos = cb->args[0];

	/* RTNL for the devices' names. */
	rtnl_lock();
	clnet_ann_pods_walk(sock_net(skb->sk), &pos,
			    clnet_nl_ann_pods_dump_one, &d);
	rtnl_unlock();
	cb->args[0] = pos;
	return skb->len;
}

static const struct genl_ops clnet_genl_ops[] = {
	{
		.cmd	= CLNET_CMD_GET_INFO,
		.doit	= clnet_nl_get_info_doit,
	},
	{
		.cmd	= CLNET_CMD_LINK_NEW,
		.doit	= clnet_nl_link_new_doit,
		.policy	= clnet_nl_link_new_policy,
		.maxattr = CLNET_LINK_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= CLNET_CMD_LINK_SET,
		.doit	= clnet_nl_link_set_doit,
		.policy	= clnet_nl_link_set_policy,
		.maxattr = CLNET_LINK_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= CLNET_CMD_LINK_DEL,
		.doit	= clnet_nl_link_del_doit,
		.policy	= clnet_nl_link_id_policy,
		.maxattr = CLNET_LINK_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= CLNET_CMD_LINK_GET,
		.doit	= clnet_nl_link_get_doit,
		.dumpit	= clnet_nl_link_get_dumpit,
		.policy	= clnet_nl_link_id_policy,
		.maxattr = CLNET_LINK_A_MAX,
	},
	{
		.cmd	= CLNET_CMD_FASTPATH_SET,
		.doit	= clnet_nl_fastpath_set_doit,
		.policy	= clnet_nl_fastpath_set_policy,
		.maxattr = CLNET_FASTPATH_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= CLNET_CMD_FASTPATH_GET,
		.doit	= clnet_nl_fastpath_get_doit,
	},
	{
		.cmd	= CLNET_CMD_MASQ_SET,
		.doit	= clnet_nl_masq_set_doit,
		.policy	= clnet_nl_masq_set_policy,
		.maxattr = CLNET_MASQ_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= CLNET_CMD_MASQ_DEL,
		.doit	= clnet_nl_masq_del_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= CLNET_CMD_MASQ_GET,
		.doit	= clnet_nl_masq_get_doit,
	},
	{
		.cmd	= CLNET_CMD_ANNOUNCE_ADD,
		.doit	= clnet_nl_ann_add_doit,
		.policy	= clnet_nl_announce_add_policy,
		.maxattr = CLNET_ANNOUNCE_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= CLNET_CMD_ANNOUNCE_RENEW,
		.doit	= clnet_nl_ann_entry_doit,
		.policy	= clnet_nl_announce_renew_policy,
		.maxattr = CLNET_ANNOUNCE_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= CLNET_CMD_ANNOUNCE_DEL,
		.doit	= clnet_nl_ann_entry_doit,
		.policy	= clnet_nl_announce_id_policy,
		.maxattr = CLNET_ANNOUNCE_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= CLNET_CMD_ANNOUNCE_GET,
		.doit	= clnet_nl_ann_get_doit,
		.dumpit	= clnet_nl_ann_get_dumpit,
		.policy	= clnet_nl_announce_id_policy,
		.maxattr = CLNET_ANNOUNCE_A_MAX,
	},
	{
		.cmd	= CLNET_CMD_ANNOUNCE_PODS_SET,
		.doit	= clnet_nl_ann_pods_set_doit,
		.policy	= clnet_nl_announce_pods_policy,
		.maxattr = CLNET_ANNOUNCE_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= CLNET_CMD_ANNOUNCE_PODS_GET,
		.dumpit	= clnet_nl_ann_pods_get_dumpit,
	},
};

/* Anyone may listen: genl checks no capability for a group without flags. */
static const struct genl_multicast_group clnet_genl_mcgrps[] = {
	[CLNET_NL_MCGRP_EVENTS] = { .name = CLNET_MCGRP_EVENTS },
};

static struct genl_family clnet_genl_family __ro_after_init = {
	.name		= CLNET_GENL_NAME,
	.version	= CLNET_GENL_VERSION,
	.module		= THIS_MODULE,
	.netnsok	= true,
	.ops		= clnet_genl_ops,
	.n_ops		= ARRAY_SIZE(clnet_genl_ops),
	.mcgrps		= clnet_genl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(clnet_genl_mcgrps),
	/* resv_start_op = 0: strict validation for every command */
};

const struct genl_family *clnet_nl_family(void)
{
	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "the family is read under RCU");
	return READ_ONCE(clnet_nl_registered) ? &clnet_genl_family : NULL;
}

const struct genl_family *clnet_nl_family_rtnl(void)
{
	ASSERT_RTNL();
	return clnet_nl_registered ? &clnet_genl_family : NULL;
}

int clnet_nl_link_event(struct sk_buff *msg, struct net_device *primary)
{
	return clnet_nl_link_fill(msg, primary, 0, 0, 0, NULL,
				  CLNET_CMD_LINK_NEW);
}

int __init clnet_genl_init(void)
{
	int err = genl_register_family(&clnet_genl_family);

	if (err)
		return err;
	rtnl_lock();
	WRITE_ONCE(clnet_nl_registered, true);
	rtnl_unlock();
	return 0;
}

/*
 * Events stop first: those under RTNL see the flag at once, those under
 * RCU (timers) are done after the grace period.
 */
void clnet_genl_exit(void)
{
	rtnl_lock();
	WRITE_ONCE(clnet_nl_registered, false);
	rtnl_unlock();
	synchronize_rcu();
	genl_unregister_family(&clnet_genl_family);
}
