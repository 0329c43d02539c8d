// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for clnet's pure logic: attribute policies, the device
 * pair's packet classification, the fast path's header check and the
 * masquerade decision and ARP frames. Built
 * as clnet_kunit.ko when the target kernel has CONFIG_KUNIT (the debug
 * flavour); the suites run when it is loaded, and report through KTAP and
 * /sys/kernel/debug/kunit.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/netlink.h>

#include "../arp.h"
#include "../fastpath.h"
#include "../link.h"
#include "../masq.h"
#include "../netlink.h"

#define A(a, b, c, d)	htonl((a) << 24 | (b) << 16 | (c) << 8 | (d))

/* ---- attribute policies ---- */

struct attr_buf {
	struct sk_buff *skb;
};

static int policy_init(struct kunit *test)
{
	struct attr_buf *buf = kunit_kzalloc(test, sizeof(*buf), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	buf->skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf->skb);
	test->priv = buf;
	return 0;
}

static void policy_exit(struct kunit *test)
{
	struct attr_buf *buf = test->priv;

	kfree_skb(buf->skb);
}

static struct sk_buff *attrs(struct kunit *test)
{
	return ((struct attr_buf *)test->priv)->skb;
}

/* Parse what the test put, strictly, as the genl core does. */
static int parse_max(struct kunit *test, const struct nla_policy *policy,
		     int maxattr, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CLNET_LINK_A_MAX + 1];
	struct sk_buff *skb = attrs(test);

	KUNIT_ASSERT_LE(test, maxattr, CLNET_LINK_A_MAX);
	return nla_parse(tb, maxattr, (struct nlattr *)skb->data, skb->len,
			 policy, extack);
}

static int parse(struct kunit *test, const struct nla_policy *policy,
		 struct netlink_ext_ack *extack)
{
	return parse_max(test, policy, CLNET_LINK_A_MAX, extack);
}

static void put_names(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, 0, nla_put_string(attrs(test), CLNET_LINK_A_IFNAME, "lxc1"));
	KUNIT_ASSERT_EQ(test, 0, nla_put_string(attrs(test), CLNET_LINK_A_PEER_IFNAME, "eth0"));
}

static void link_new_accepts_full_request(struct kunit *test)
{
	struct netlink_ext_ack extack = {};

	put_names(test);
	nla_put_u32(attrs(test), CLNET_LINK_A_MODE, CLNET_LINK_MODE_L2);
	nla_put_u32(attrs(test), CLNET_LINK_A_POLICY, CLNET_LINK_POLICY_BLACKHOLE);
	nla_put_u32(attrs(test), CLNET_LINK_A_PEER_POLICY, CLNET_LINK_POLICY_FORWARD);
	nla_put_u32(attrs(test), CLNET_LINK_A_MTU, 9000);
	nla_put_u32(attrs(test), CLNET_LINK_A_PEER_NETNS_PID, 1);
	KUNIT_EXPECT_EQ(test, 0, parse(test, clnet_nl_link_new_policy, &extack));
}

static void expect_mtu(struct kunit *test, u32 mtu, int want)
{
	struct netlink_ext_ack extack = {};
	struct nlattr *attr;

	put_names(test);
	attr = (struct nlattr *)skb_tail_pointer(attrs(test));
	nla_put_u32(attrs(test), CLNET_LINK_A_MTU, mtu);
	KUNIT_EXPECT_EQ_MSG(test, want, parse(test, clnet_nl_link_new_policy, &extack),
			    "mtu %u", mtu);
	if (want)
		KUNIT_EXPECT_PTR_EQ(test, extack.bad_attr, (const struct nlattr *)attr);
}

static void link_new_mtu_low_edge(struct kunit *test)
{
	expect_mtu(test, ETH_MIN_MTU, 0);
}

static void link_new_mtu_below_range(struct kunit *test)
{
	expect_mtu(test, ETH_MIN_MTU - 1, -ERANGE);
}

static void link_new_mtu_high_edge(struct kunit *test)
{
	expect_mtu(test, ETH_MAX_MTU, 0);
}

static void link_new_mtu_above_range(struct kunit *test)
{
	expect_mtu(test, ETH_MAX_MTU + 1, -ERANGE);
}

static void link_new_rejects_unknown_mode(struct kunit *test)
{
	struct netlink_ext_ack extack = {};

	put_names(test);
	nla_put_u32(attrs(test), CLNET_LINK_A_MODE, CLNET_LINK_MODE_MAX + 1);
	KUNIT_EXPECT_EQ(test, -ERANGE, parse(test, clnet_nl_link_new_policy, &extack));
}

static void link_new_rejects_unknown_policy(struct kunit *test)
{
	struct netlink_ext_ack extack = {};

	put_names(test);
	nla_put_u32(attrs(test), CLNET_LINK_A_PEER_POLICY, CLNET_LINK_POLICY_MAX + 1);
	KUNIT_EXPECT_EQ(test, -ERANGE, parse(test, clnet_nl_link_new_policy, &extack));
}

static void link_new_name_length(struct kunit *test)
{
	struct netlink_ext_ack extack = {};

	nla_put_string(attrs(test), CLNET_LINK_A_IFNAME, "a23456789012345");
	KUNIT_EXPECT_EQ(test, 0, parse(test, clnet_nl_link_new_policy, &extack));
	nla_put_string(attrs(test), CLNET_LINK_A_PEER_IFNAME, "a234567890123456");
	KUNIT_EXPECT_EQ(test, -EINVAL, parse(test, clnet_nl_link_new_policy, &extack));
}

static void link_new_rejects_ifindex(struct kunit *test)
{
	struct netlink_ext_ack extack = {};

	put_names(test);
	nla_put_u32(attrs(test), CLNET_LINK_A_IFINDEX, 1);
	KUNIT_EXPECT_EQ(test, -EINVAL, parse(test, clnet_nl_link_new_policy, &extack));
}

static void link_new_rejects_reply_only_attrs(struct kunit *test)
{
	struct netlink_ext_ack extack = {};

	put_names(test);
	nla_put_flag(attrs(test), CLNET_LINK_A_PRIMARY);
	KUNIT_EXPECT_EQ(test, -EINVAL, parse(test, clnet_nl_link_new_policy, &extack));
}

static void link_new_rejects_attr_past_max(struct kunit *test)
{
	struct netlink_ext_ack extack = {};

	put_names(test);
	nla_put_u32(attrs(test), CLNET_LINK_A_MAX + 1, 0);
	KUNIT_EXPECT_EQ(test, -EINVAL, parse(test, clnet_nl_link_new_policy, &extack));
}

/* The core refuses what LINK_SET cannot change, naming it and saying why. */
static void expect_fixed(struct kunit *test, int type)
{
	struct netlink_ext_ack extack = {};
	struct nlattr *attr;

	skb_trim(attrs(test), 0);
	nla_put_string(attrs(test), CLNET_LINK_A_IFNAME, "lxc1");
	attr = (struct nlattr *)skb_tail_pointer(attrs(test));
	nla_put_u32(attrs(test), type, 0);
	KUNIT_EXPECT_EQ_MSG(test, -EINVAL,
			    parse(test, clnet_nl_link_set_policy, &extack),
			    "attribute %d", type);
	KUNIT_EXPECT_PTR_EQ(test, extack.bad_attr, (const struct nlattr *)attr);
	KUNIT_EXPECT_STREQ(test, extack._msg,
			   "fixed at creation: delete and re-create the pair to change it");
}

static void link_set_rejects_fixed_attrs(struct kunit *test)
{
	expect_fixed(test, CLNET_LINK_A_MODE);
	expect_fixed(test, CLNET_LINK_A_PEER_IFNAME);
	expect_fixed(test, CLNET_LINK_A_PEER_NETNS_FD);
	expect_fixed(test, CLNET_LINK_A_PEER_NETNS_PID);
}

static void link_set_accepts_changes(struct kunit *test)
{
	struct netlink_ext_ack extack = {};

	nla_put_string(attrs(test), CLNET_LINK_A_IFNAME, "lxc1");
	nla_put_u32(attrs(test), CLNET_LINK_A_POLICY, CLNET_LINK_POLICY_BLACKHOLE);
	nla_put_u32(attrs(test), CLNET_LINK_A_PEER_POLICY, CLNET_LINK_POLICY_FORWARD);
	nla_put_u32(attrs(test), CLNET_LINK_A_MTU, 1400);
	KUNIT_EXPECT_EQ(test, 0, parse(test, clnet_nl_link_set_policy, &extack));
}

static void link_id_rejects_changes(struct kunit *test)
{
	struct netlink_ext_ack extack = {};

	nla_put_string(attrs(test), CLNET_LINK_A_IFNAME, "lxc1");
	KUNIT_EXPECT_EQ(test, 0, parse(test, clnet_nl_link_id_policy, &extack));
	nla_put_u32(attrs(test), CLNET_LINK_A_MTU, 1500);
	KUNIT_EXPECT_EQ(test, -EINVAL, parse(test, clnet_nl_link_id_policy, &extack));
}

static void fastpath_set_enabled_is_a_bool(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct sk_buff *skb = attrs(test);

	nla_put_u8(skb, CLNET_FASTPATH_A_ENABLED, 1);
	KUNIT_EXPECT_EQ(test, 0, parse_max(test, clnet_nl_fastpath_set_policy,
					   CLNET_FASTPATH_A_MAX, &extack));
	skb_trim(skb, 0);
	nla_put_u8(skb, CLNET_FASTPATH_A_ENABLED, 2);
	KUNIT_EXPECT_EQ(test, -ERANGE, parse_max(test, clnet_nl_fastpath_set_policy,
						 CLNET_FASTPATH_A_MAX, &extack));
}

static void fastpath_set_rejects_counters(struct kunit *test)
{
	struct netlink_ext_ack extack = {};

	nla_put_u8(attrs(test), CLNET_FASTPATH_A_ENABLED, 1);
	nla_put_u64_64bit(attrs(test), CLNET_FASTPATH_A_FORWARDED, 5,
			  CLNET_FASTPATH_A_PAD);
	KUNIT_EXPECT_EQ(test, -EINVAL, parse_max(test, clnet_nl_fastpath_set_policy,
						 CLNET_FASTPATH_A_MAX, &extack));
}

/* A CIDR nest in MASQ_SET; returns the nest, for extack checks. */
static struct nlattr *put_cidr(struct kunit *test, int type, __be32 addr, int plen)
{
	struct nlattr *nest = nla_nest_start(attrs(test), type);

	KUNIT_ASSERT_NOT_NULL(test, nest);
	nla_put_in_addr(attrs(test), CLNET_CIDR_A_ADDR, addr);
	nla_put_u8(attrs(test), CLNET_CIDR_A_PREFIXLEN, plen);
	nla_nest_end(attrs(test), nest);
	return nest;
}

static void put_masq_dev(struct kunit *test, const char *name)
{
	struct nlattr *nest = nla_nest_start(attrs(test), CLNET_MASQ_A_DEV);

	KUNIT_ASSERT_NOT_NULL(test, nest);
	nla_put_string(attrs(test), CLNET_MASQ_DEV_A_IFNAME, name);
	nla_nest_end(attrs(test), nest);
}

static int parse_masq(struct kunit *test, struct netlink_ext_ack *extack)
{
	return parse_max(test, clnet_nl_masq_set_policy, CLNET_MASQ_A_MAX, extack);
}

static void masq_set_accepts_full_request(struct kunit *test)
{
	struct netlink_ext_ack extack = {};

	put_masq_dev(test, "enp3s0");
	put_masq_dev(test, "enp4s0");
	put_cidr(test, CLNET_MASQ_A_NATIVE_CIDR, htonl(0x0a00d000), 20);
	put_cidr(test, CLNET_MASQ_A_EXCLUDE, htonl(0x0a00c000), 24);
	put_cidr(test, CLNET_MASQ_A_EXCLUDE, 0, 0);
	nla_put_in_addr(attrs(test), CLNET_MASQ_A_SRC, htonl(0x0a00c00b));
	KUNIT_EXPECT_EQ(test, 0, parse_masq(test, &extack));
}

/* Each instance of a repeated nest is checked, not only the last. */
static void masq_set_checks_every_exclude(struct kunit *test)
{
	struct netlink_ext_ack extack = {};

	put_masq_dev(test, "enp3s0");
	put_cidr(test, CLNET_MASQ_A_EXCLUDE, htonl(0x0a00c000), 33);
	put_cidr(test, CLNET_MASQ_A_EXCLUDE, htonl(0x0a00c000), 24);
	put_cidr(test, CLNET_MASQ_A_NATIVE_CIDR, htonl(0x0a00d000), 20);
	KUNIT_EXPECT_EQ(test, -ERANGE, parse_masq(test, &extack));
}

static void masq_set_prefixlen_edges(struct kunit *test)
{
	struct netlink_ext_ack extack = {};

	put_cidr(test, CLNET_MASQ_A_NATIVE_CIDR, htonl(0x0a00d00a), 32);
	KUNIT_EXPECT_EQ(test, 0, parse_masq(test, &extack));
	put_cidr(test, CLNET_MASQ_A_NATIVE_CIDR, htonl(0x0a00d00a), 33);
	KUNIT_EXPECT_EQ(test, -ERANGE, parse_masq(test, &extack));
}

static void masq_set_rejects_short_src(struct kunit *test)
{
	struct netlink_ext_ack extack = {};

	nla_put_u16(attrs(test), CLNET_MASQ_A_SRC, 0x0a00);
	KUNIT_EXPECT_EQ(test, -EINVAL, parse_masq(test, &extack));
}

static void masq_set_rejects_reply_only_attrs(struct kunit *test)
{
	static const int reply_only[] = {
		CLNET_MASQ_A_ENABLED, CLNET_MASQ_A_FLOWS, CLNET_MASQ_A_DROP,
		CLNET_MASQ_A_CT_DROP,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(reply_only); i++) {
		struct netlink_ext_ack extack = {};

		skb_trim(attrs(test), 0);
		nla_put_u8(attrs(test), reply_only[i], 1);
		KUNIT_EXPECT_EQ_MSG(test, -EINVAL, parse_masq(test, &extack),
				    "attribute %d", reply_only[i]);
	}
}

/*
 * Announcement policies and the commands' range checks after them:
 * ranges with messages, reply-only attributes.
 */
static int parse_ann(struct kunit *test, const struct nla_policy *policy,
		     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CLNET_ANNOUNCE_A_MAX + 1];
	struct sk_buff *skb = attrs(test);
	int err;

	err = nla_parse(tb, CLNET_ANNOUNCE_A_MAX, (struct nlattr *)skb->data,
			skb->len, policy, extack);
	return err ?: clnet_nl_ann_ranges(tb, extack);
}

static void expect_ann_u32(struct kunit *test, const struct nla_policy *policy,
			   int type, u32 val, int want, const char *msg)
{
	struct netlink_ext_ack extack = {};

	skb_trim(attrs(test), 0);
	nla_put_in_addr(attrs(test), CLNET_ANNOUNCE_A_ADDR, htonl(0x0a00c10a));
	nla_put_string(attrs(test), CLNET_ANNOUNCE_A_IFNAME, "enp3s0");
	nla_put_u32(attrs(test), type, val);
	KUNIT_EXPECT_EQ_MSG(test, want, parse_ann(test, policy, &extack),
			    "attribute %d value %u", type, val);
	if (msg) {
		KUNIT_ASSERT_NOT_NULL(test, extack._msg);
		KUNIT_EXPECT_STREQ(test, extack._msg, msg);
	}
}

static void announce_add_lease_edges(struct kunit *test)
{
	const struct nla_policy *p = clnet_nl_announce_add_policy;
	const char *m = "lease must be 100 ms to 24 h";

	expect_ann_u32(test, p, CLNET_ANNOUNCE_A_LEASE_MS, 99, -ERANGE, m);
	expect_ann_u32(test, p, CLNET_ANNOUNCE_A_LEASE_MS, 100, 0, NULL);
	expect_ann_u32(test, p, CLNET_ANNOUNCE_A_LEASE_MS, 86400000, 0, NULL);
	expect_ann_u32(test, p, CLNET_ANNOUNCE_A_LEASE_MS, 86400001, -ERANGE, m);
	expect_ann_u32(test, clnet_nl_announce_renew_policy,
		       CLNET_ANNOUNCE_A_LEASE_MS, 99, -ERANGE, m);
}

static void announce_add_garp_edges(struct kunit *test)
{
	const struct nla_policy *p = clnet_nl_announce_add_policy;
	const char *c = "garp-count must be 0 to 100";
	const char *i = "garp-interval must be 10 ms to 60 s";

	expect_ann_u32(test, p, CLNET_ANNOUNCE_A_GARP_COUNT, 0, 0, NULL);
	expect_ann_u32(test, p, CLNET_ANNOUNCE_A_GARP_COUNT, 100, 0, NULL);
	expect_ann_u32(test, p, CLNET_ANNOUNCE_A_GARP_COUNT, 101, -ERANGE, c);
	expect_ann_u32(test, p, CLNET_ANNOUNCE_A_GARP_INTERVAL_MS, 9, -ERANGE, i);
	expect_ann_u32(test, p, CLNET_ANNOUNCE_A_GARP_INTERVAL_MS, 10, 0, NULL);
	expect_ann_u32(test, p, CLNET_ANNOUNCE_A_GARP_INTERVAL_MS, 60000, 0, NULL);
	expect_ann_u32(test, p, CLNET_ANNOUNCE_A_GARP_INTERVAL_MS, 60001, -ERANGE, i);
}

static void announce_add_refresh_zero_or_range(struct kunit *test)
{
	const struct nla_policy *p = clnet_nl_announce_add_policy;
	const char *m = "refresh must be 0 (off) or 1 s to 24 h";

	expect_ann_u32(test, p, CLNET_ANNOUNCE_A_REFRESH_MS, 0, 0, NULL);
	expect_ann_u32(test, p, CLNET_ANNOUNCE_A_REFRESH_MS, 1, -ERANGE, m);
	expect_ann_u32(test, p, CLNET_ANNOUNCE_A_REFRESH_MS, 999, -ERANGE, m);
	expect_ann_u32(test, p, CLNET_ANNOUNCE_A_REFRESH_MS, 1000, 0, NULL);
	expect_ann_u32(test, p, CLNET_ANNOUNCE_A_REFRESH_MS, 86400000, 0, NULL);
	expect_ann_u32(test, p, CLNET_ANNOUNCE_A_REFRESH_MS, 86400001, -ERANGE, m);
}

static void announce_rejects_reply_only_attrs(struct kunit *test)
{
	static const int reply_only[] = {
		CLNET_ANNOUNCE_A_STATE, CLNET_ANNOUNCE_A_REASON,
		CLNET_ANNOUNCE_A_LEASE_LEFT_MS, CLNET_ANNOUNCE_A_LAST_GARP_MS,
		CLNET_ANNOUNCE_A_PODS,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(reply_only); i++) {
		expect_ann_u32(test, clnet_nl_announce_add_policy, reply_only[i],
			       1, -EINVAL, NULL);
		expect_ann_u32(test, clnet_nl_announce_id_policy, reply_only[i],
			       1, -EINVAL, NULL);
	}
	/* RENEW changes the lease only; DEL and GET change nothing. */
	expect_ann_u32(test, clnet_nl_announce_renew_policy,
		       CLNET_ANNOUNCE_A_GARP_COUNT, 1, -EINVAL, NULL);
	expect_ann_u32(test, clnet_nl_announce_id_policy,
		       CLNET_ANNOUNCE_A_LEASE_MS, 1000, -EINVAL, NULL);
}

static void announce_pods_is_a_bool(struct kunit *test)
{
	struct netlink_ext_ack extack = {};

	nla_put_string(attrs(test), CLNET_ANNOUNCE_A_IFNAME, "enp3s0");
	nla_put_u8(attrs(test), CLNET_ANNOUNCE_A_PODS, 1);
	KUNIT_EXPECT_EQ(test, 0, parse_ann(test, clnet_nl_announce_pods_policy,
					   &extack));
	skb_trim(attrs(test), 0);
	nla_put_u8(attrs(test), CLNET_ANNOUNCE_A_PODS, 2);
	KUNIT_EXPECT_EQ(test, -ERANGE,
			parse_ann(test, clnet_nl_announce_pods_policy, &extack));
	skb_trim(attrs(test), 0);
	nla_put_in_addr(attrs(test), CLNET_ANNOUNCE_A_ADDR, htonl(0x0a00c10a));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			parse_ann(test, clnet_nl_announce_pods_policy, &extack));
}

static void announce_unicast_addresses(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, clnet_nl_ann_unicast(A(10, 0, 193, 10)));
	KUNIT_EXPECT_TRUE(test, clnet_nl_ann_unicast(A(1, 0, 0, 0)));
	KUNIT_EXPECT_TRUE(test, clnet_nl_ann_unicast(A(223, 255, 255, 255)));
	KUNIT_EXPECT_TRUE(test, clnet_nl_ann_unicast(A(128, 0, 0, 1)));
	KUNIT_EXPECT_FALSE(test, clnet_nl_ann_unicast(A(0, 0, 0, 0)));
	KUNIT_EXPECT_FALSE(test, clnet_nl_ann_unicast(A(0, 1, 2, 3)));
	KUNIT_EXPECT_FALSE(test, clnet_nl_ann_unicast(A(0, 255, 255, 255)));
	KUNIT_EXPECT_FALSE(test, clnet_nl_ann_unicast(A(127, 0, 0, 1)));
	KUNIT_EXPECT_FALSE(test, clnet_nl_ann_unicast(A(127, 255, 255, 255)));
	KUNIT_EXPECT_FALSE(test, clnet_nl_ann_unicast(A(224, 0, 0, 1)));
	KUNIT_EXPECT_FALSE(test, clnet_nl_ann_unicast(A(239, 255, 255, 255)));
	KUNIT_EXPECT_FALSE(test, clnet_nl_ann_unicast(A(240, 0, 0, 1)));
	KUNIT_EXPECT_FALSE(test, clnet_nl_ann_unicast(A(255, 255, 255, 254)));
	KUNIT_EXPECT_FALSE(test, clnet_nl_ann_unicast(A(255, 255, 255, 255)));
}

static struct kunit_case clnet_policy_cases[] = {
	KUNIT_CASE(link_new_accepts_full_request),
	KUNIT_CASE(link_new_mtu_low_edge),
	KUNIT_CASE(link_new_mtu_below_range),
	KUNIT_CASE(link_new_mtu_high_edge),
	KUNIT_CASE(link_new_mtu_above_range),
	KUNIT_CASE(link_new_rejects_unknown_mode),
	KUNIT_CASE(link_new_rejects_unknown_policy),
	KUNIT_CASE(link_new_name_length),
	KUNIT_CASE(link_new_rejects_ifindex),
	KUNIT_CASE(link_new_rejects_reply_only_attrs),
	KUNIT_CASE(link_new_rejects_attr_past_max),
	KUNIT_CASE(link_set_rejects_fixed_attrs),
	KUNIT_CASE(link_set_accepts_changes),
	KUNIT_CASE(link_id_rejects_changes),
	KUNIT_CASE(fastpath_set_enabled_is_a_bool),
	KUNIT_CASE(fastpath_set_rejects_counters),
	KUNIT_CASE(masq_set_accepts_full_request),
	KUNIT_CASE(masq_set_checks_every_exclude),
	KUNIT_CASE(masq_set_prefixlen_edges),
	KUNIT_CASE(masq_set_rejects_short_src),
	KUNIT_CASE(masq_set_rejects_reply_only_attrs),
	KUNIT_CASE(announce_add_lease_edges),
	KUNIT_CASE(announce_add_garp_edges),
	KUNIT_CASE(announce_add_refresh_zero_or_range),
	KUNIT_CASE(announce_rejects_reply_only_attrs),
	KUNIT_CASE(announce_pods_is_a_bool),
	KUNIT_CASE(announce_unicast_addresses),
	{}
};

static struct kunit_suite clnet_policy_suite = {
	.name = "clnet_policy",
	.init = policy_init,
	.exit = policy_exit,
	.test_cases = clnet_policy_cases,
};

/* ---- device pair packet classification ---- */

static void l3_protocol_ipv4(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, htons(ETH_P_IP), clnet_link_l3_protocol(0x45));
	KUNIT_EXPECT_EQ(test, htons(ETH_P_IP), clnet_link_l3_protocol(0x4f));
}

static void l3_protocol_ipv6(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, htons(ETH_P_IPV6), clnet_link_l3_protocol(0x60));
	KUNIT_EXPECT_EQ(test, htons(ETH_P_IPV6), clnet_link_l3_protocol(0x6f));
}

static void l3_protocol_other_versions(struct kunit *test)
{
	unsigned int v;

	for (v = 0; v < 16; v++)
		if (v != 4 && v != 6)
			KUNIT_EXPECT_EQ_MSG(test, (__be16)0,
					    clnet_link_l3_protocol(v << 4), "version %u", v);
}

static struct kunit_case clnet_link_cases[] = {
	KUNIT_CASE(l3_protocol_ipv4),
	KUNIT_CASE(l3_protocol_ipv6),
	KUNIT_CASE(l3_protocol_other_versions),
	{}
};

static struct kunit_suite clnet_link_suite = {
	.name = "clnet_link",
	.test_cases = clnet_link_cases,
};

/* ---- fast path: which pod packets may skip the node's receive path ---- */

/* A 20-byte header with a correct checksum, for a packet of @len bytes. */
static struct iphdr plain_iph(unsigned int len)
{
	struct iphdr iph = {
		.version = 4, .ihl = 5, .ttl = 64, .protocol = IPPROTO_UDP,
		.tot_len = htons(len),
		.saddr = htonl(0x0a00d00a), .daddr = htonl(0x0a00d10a),
	};

	ip_send_check(&iph);
	return iph;
}

static void iph_plain_is_taken(struct kunit *test)
{
	struct iphdr iph = plain_iph(46);

	KUNIT_EXPECT_TRUE(test, clnet_fp_iph_is_plain(&iph, 46));
}

static void iph_length_must_match(struct kunit *test)
{
	struct iphdr iph = plain_iph(46);

	/* padding the kernel would trim, or a truncated packet */
	KUNIT_EXPECT_FALSE(test, clnet_fp_iph_is_plain(&iph, 60));
	KUNIT_EXPECT_FALSE(test, clnet_fp_iph_is_plain(&iph, 45));
}

static void iph_bad_checksum(struct kunit *test)
{
	struct iphdr iph = plain_iph(46);

	iph.check ^= htons(1);
	KUNIT_EXPECT_FALSE(test, clnet_fp_iph_is_plain(&iph, 46));
}

static void iph_options_or_short_ihl(struct kunit *test)
{
	struct iphdr iph;
	unsigned int ihl;

	for (ihl = 0; ihl < 16; ihl++) {
		if (ihl == 5)
			continue;
		iph = plain_iph(46);
		iph.ihl = ihl;
		/* a checksum right for the 20 bytes: only ihl is wrong */
		iph.check = 0;
		iph.check = ip_fast_csum((u8 *)&iph, 5);
		KUNIT_EXPECT_FALSE_MSG(test, clnet_fp_iph_is_plain(&iph, 46),
				       "ihl %u", ihl);
	}
}

static void iph_other_versions(struct kunit *test)
{
	struct iphdr iph;
	unsigned int v;

	for (v = 0; v < 16; v++) {
		if (v == 4)
			continue;
		iph = plain_iph(46);
		iph.version = v;
		iph.check = 0;
		ip_send_check(&iph);
		KUNIT_EXPECT_FALSE_MSG(test, clnet_fp_iph_is_plain(&iph, 46),
				       "version %u", v);
	}
}

static struct kunit_case clnet_fastpath_cases[] = {
	KUNIT_CASE(iph_plain_is_taken),
	KUNIT_CASE(iph_length_must_match),
	KUNIT_CASE(iph_bad_checksum),
	KUNIT_CASE(iph_options_or_short_ihl),
	KUNIT_CASE(iph_other_versions),
	{}
};

static struct kunit_suite clnet_fastpath_suite = {
	.name = "clnet_fastpath",
	.test_cases = clnet_fastpath_cases,
};

/* ---- the masquerade decision ---- */

/* Native CIDR 10.0.208.0/20, devices 2 and 5, 10.0.192.0/24 excluded. */
static const struct clnet_masq_config masq_cfg = {
	.native		= { A(10, 0, 208, 0), 20 },
	.n_devs		= 2,
	.ifindex	= { 2, 5 },
	.n_excludes	= 1,
	.exclude	= { { A(10, 0, 192, 0), 24 } },
};

static void masq_pod_to_outside(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, clnet_masq_wanted(&masq_cfg, true, 2,
						  A(192, 0, 2, 1), false));
	KUNIT_EXPECT_TRUE(test, clnet_masq_wanted(&masq_cfg, true, 5,
						  A(10, 0, 224, 1), false));
}

static void masq_never_node_traffic(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, clnet_masq_wanted(&masq_cfg, false, 2,
						   A(192, 0, 2, 1), false));
}

static void masq_only_masq_devices(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, clnet_masq_wanted(&masq_cfg, true, 3,
						   A(192, 0, 2, 1), false));
}

static void masq_native_cidr_edges(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, clnet_masq_wanted(&masq_cfg, true, 2,
						   A(10, 0, 208, 0), false));
	KUNIT_EXPECT_FALSE(test, clnet_masq_wanted(&masq_cfg, true, 2,
						   A(10, 0, 223, 255), false));
	KUNIT_EXPECT_TRUE(test, clnet_masq_wanted(&masq_cfg, true, 2,
						  A(10, 0, 224, 0), false));
	KUNIT_EXPECT_TRUE(test, clnet_masq_wanted(&masq_cfg, true, 2,
						  A(10, 0, 207, 255), false));
}

static void masq_excluded_and_local(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, clnet_masq_wanted(&masq_cfg, true, 2,
						   A(10, 0, 192, 5), false));
	KUNIT_EXPECT_TRUE(test, clnet_masq_wanted(&masq_cfg, true, 2,
						  A(10, 0, 193, 5), false));
	KUNIT_EXPECT_FALSE(test, clnet_masq_wanted(&masq_cfg, true, 2,
						   A(169, 254, 116, 108), true));
}

static void masq_cidr_zero_and_host(struct kunit *test)
{
	const struct clnet_cidr all = { 0, 0 }, host = { A(10, 0, 208, 10), 32 };

	KUNIT_EXPECT_TRUE(test, clnet_cidr_contains(&all, A(255, 255, 255, 255)));
	KUNIT_EXPECT_TRUE(test, clnet_cidr_contains(&all, 0));
	KUNIT_EXPECT_TRUE(test, clnet_cidr_contains(&host, A(10, 0, 208, 10)));
	KUNIT_EXPECT_FALSE(test, clnet_cidr_contains(&host, A(10, 0, 208, 11)));
}

/*
 * clnet_masq_port_range(): protocol, port and random number in, the
 * span out (ok false: no ports).
 */
static const struct {
	u8 proto;
	u16 port;
	u32 rnd;
	bool ok;
	u16 min, max;
} masq_ranges[] = {
	/* 1024..65535 less 40000: 38976 ports below, 25535 above */
	{ IPPROTO_UDP, 40000, 0, true, 1024, 39999 },
	{ IPPROTO_UDP, 40000, 38975, true, 1024, 39999 },
	{ IPPROTO_UDP, 40000, 38976, true, 40001, 65535 },
	{ IPPROTO_TCP, 40000, 64510, true, 40001, 65535 },
	{ IPPROTO_TCP, 40000, 64511, true, 1024, 39999 },
	/* at the ends of a class, one span is left */
	{ IPPROTO_TCP, 1024, 0, true, 1025, 65535 },
	{ IPPROTO_TCP, 65535, ~0u, true, 1024, 65534 },
	{ IPPROTO_SCTP, 1, 7, true, 2, 511 },
	{ IPPROTO_UDP, 1023, 0, true, 600, 1022 },
	/* 512..599 are in no class: the class above, whole */
	{ IPPROTO_UDP, 555, 0, true, 600, 1023 },
	/* port 0 is below its class: the class whole; ICMP id 0 is the lowest */
	{ IPPROTO_UDP, 0, 0, true, 1, 511 },
	{ IPPROTO_ICMP, 0, 0, true, 1, 65535 },
	{ IPPROTO_ICMP, 7, 0, true, 0, 6 },
	{ IPPROTO_ICMP, 7, 7, true, 8, 65535 },
	{ IPPROTO_GRE, 7, 0, false },
};

static void masq_src_ports_leave_out_the_pods(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(masq_ranges); i++) {
		typeof(masq_ranges[0]) *r = &masq_ranges[i];
		u16 min = 0, max = 0;

		KUNIT_EXPECT_EQ_MSG(test, clnet_masq_port_range(r->proto, r->port, r->rnd,
								&min, &max),
				    r->ok, "row %u", i);
		if (r->ok) {
			KUNIT_EXPECT_EQ_MSG(test, min, r->min, "row %u", i);
			KUNIT_EXPECT_EQ_MSG(test, max, r->max, "row %u", i);
		}
	}
}

static struct kunit_case clnet_masq_cases[] = {
	KUNIT_CASE(masq_pod_to_outside),
	KUNIT_CASE(masq_never_node_traffic),
	KUNIT_CASE(masq_only_masq_devices),
	KUNIT_CASE(masq_native_cidr_edges),
	KUNIT_CASE(masq_excluded_and_local),
	KUNIT_CASE(masq_cidr_zero_and_host),
	KUNIT_CASE(masq_src_ports_leave_out_the_pods),
	{}
};

static struct kunit_suite clnet_masq_suite = {
	.name = "clnet_masq",
	.test_cases = clnet_masq_cases,
};

/* ---- ARP frames ---- */

static const u8 arp_dev_mac[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const u8 arp_peer_mac[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const u8 arp_other_mac[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x03 };
static const u8 arp_bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* A request from 10.0.193.2 at arp_peer_mac for 10.0.193.10. */
static const u8 arp_request[CLNET_ARP_LEN] = {
	0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 10, 0, 193, 2,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 10, 0, 193, 10,
};

static enum clnet_arp_kind arp_classify_mod(const u8 *eth_dest, int at, u8 val,
					    unsigned int len,
					    struct clnet_arp_req *req)
{
	u8 buf[CLNET_ARP_LEN + 4] = {};

	memcpy(buf, arp_request, CLNET_ARP_LEN);
	if (at >= 0)
		buf[at] = val;
	return clnet_arp_classify(buf, len, eth_dest, arp_dev_mac, req);
}

static void arp_request_broadcast_and_unicast(struct kunit *test)
{
	struct clnet_arp_req req = {};

	KUNIT_EXPECT_EQ(test, arp_classify_mod(arp_bcast, -1, 0, CLNET_ARP_LEN,
					       &req), CLNET_ARP_REQUEST);
	KUNIT_EXPECT_EQ(test, req.sip, A(10, 0, 193, 2));
	KUNIT_EXPECT_EQ(test, req.tip, A(10, 0, 193, 10));
	KUNIT_EXPECT_EQ(test, memcmp(req.sha, arp_peer_mac, ETH_ALEN), 0);
	KUNIT_EXPECT_EQ(test, arp_classify_mod(arp_dev_mac, -1, 0,
					       CLNET_ARP_LEN, &req),
			CLNET_ARP_REQUEST);
	/* Trailing padding of a short Ethernet frame is no concern. */
	KUNIT_EXPECT_EQ(test, arp_classify_mod(arp_bcast, -1, 0,
					       CLNET_ARP_LEN + 4, &req),
			CLNET_ARP_REQUEST);
}

static void arp_unicast_to_someone_else(struct kunit *test)
{
	struct clnet_arp_req req;

	KUNIT_EXPECT_EQ(test, arp_classify_mod(arp_other_mac, -1, 0,
					       CLNET_ARP_LEN, &req),
			CLNET_ARP_IGNORE);
}

static void arp_short_and_wrong_lengths(struct kunit *test)
{
	struct clnet_arp_req req;

	KUNIT_EXPECT_EQ(test, arp_classify_mod(arp_bcast, -1, 0,
					       CLNET_ARP_LEN - 1, &req),
			CLNET_ARP_IGNORE);
	KUNIT_EXPECT_EQ(test, arp_classify_mod(arp_bcast, -1, 0, 0, &req),
			CLNET_ARP_IGNORE);
	/* hrd, pro, hln, pln */
	KUNIT_EXPECT_EQ(test, arp_classify_mod(arp_bcast, 1, 6, CLNET_ARP_LEN,
					       &req), CLNET_ARP_IGNORE);
	KUNIT_EXPECT_EQ(test, arp_classify_mod(arp_bcast, 2, 0x86,
					       CLNET_ARP_LEN, &req),
			CLNET_ARP_IGNORE);
	KUNIT_EXPECT_EQ(test, arp_classify_mod(arp_bcast, 4, 8, CLNET_ARP_LEN,
					       &req), CLNET_ARP_IGNORE);
	KUNIT_EXPECT_EQ(test, arp_classify_mod(arp_bcast, 5, 16, CLNET_ARP_LEN,
					       &req), CLNET_ARP_IGNORE);
}

static void arp_reply_ignored(struct kunit *test)
{
	struct clnet_arp_req req;

	KUNIT_EXPECT_EQ(test, arp_classify_mod(arp_bcast, 7, 2, CLNET_ARP_LEN,
					       &req), CLNET_ARP_IGNORE);
	KUNIT_EXPECT_EQ(test, arp_classify_mod(arp_dev_mac, 7, 2,
					       CLNET_ARP_LEN, &req),
			CLNET_ARP_IGNORE);
	/* Neither RARP nor an unknown operation. */
	KUNIT_EXPECT_EQ(test, arp_classify_mod(arp_bcast, 7, 3, CLNET_ARP_LEN,
					       &req), CLNET_ARP_IGNORE);
}

static void arp_sender_mac_must_be_a_station(struct kunit *test)
{
	struct clnet_arp_req req;

	/* A multicast (here broadcast-bit) sender MAC. */
	KUNIT_EXPECT_EQ(test, arp_classify_mod(arp_bcast, 8, 0x03,
					       CLNET_ARP_LEN, &req),
			CLNET_ARP_IGNORE);
}

static void arp_probe(struct kunit *test)
{
	u8 buf[CLNET_ARP_LEN];
	struct clnet_arp_req req = {};

	memcpy(buf, arp_request, sizeof(buf));
	memset(buf + 14, 0, 4);
	KUNIT_EXPECT_EQ(test, clnet_arp_classify(buf, sizeof(buf), arp_bcast,
						 arp_dev_mac, &req),
			CLNET_ARP_PROBE);
	KUNIT_EXPECT_EQ(test, req.sip, 0);
	KUNIT_EXPECT_EQ(test, req.tip, A(10, 0, 193, 10));
}

static void arp_reply_bytes(struct kunit *test)
{
	static const u8 want[CLNET_ARP_FRAME_LEN] = {
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* to the asker */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* from us */
		0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x02,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 10, 0, 193, 10,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 10, 0, 193, 2,
	};
	struct clnet_arp_req req;
	u8 buf[CLNET_ARP_FRAME_LEN];

	KUNIT_ASSERT_EQ(test, clnet_arp_classify(arp_request, CLNET_ARP_LEN,
						 arp_bcast, arp_dev_mac, &req),
			CLNET_ARP_REQUEST);
	memset(buf, 0xaa, sizeof(buf));
	clnet_arp_build_reply(buf, arp_dev_mac, &req);
	KUNIT_EXPECT_EQ(test, memcmp(buf, want, sizeof(want)), 0);
}

static void arp_probe_reply_bytes(struct kunit *test)
{
	static const u8 addr[4] = { 10, 0, 193, 10 }, zero[4] = {};
	struct clnet_arp_req req = {
		.sip = 0,
		.tip = A(10, 0, 193, 10),
	};
	u8 buf[CLNET_ARP_FRAME_LEN];

	memcpy(req.sha, arp_peer_mac, ETH_ALEN);
	clnet_arp_build_reply(buf, arp_dev_mac, &req);
	KUNIT_EXPECT_EQ(test, memcmp(buf, arp_peer_mac, ETH_ALEN), 0);
	KUNIT_EXPECT_EQ(test, buf[ETH_HLEN + 7], 2);
	KUNIT_EXPECT_EQ(test, memcmp(buf + ETH_HLEN + 14, addr, 4), 0);
	KUNIT_EXPECT_EQ(test, memcmp(buf + ETH_HLEN + 18, arp_peer_mac, ETH_ALEN), 0);
	KUNIT_EXPECT_EQ(test, memcmp(buf + ETH_HLEN + 24, zero, 4), 0);
}

static void arp_garp_bytes(struct kunit *test)
{
	static const u8 want_req[CLNET_ARP_FRAME_LEN] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 10, 0, 193, 10,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 10, 0, 193, 10,
	};
	static const u8 want_reply[CLNET_ARP_FRAME_LEN] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x02,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 10, 0, 193, 10,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 10, 0, 193, 10,
	};
	u8 buf[CLNET_ARP_FRAME_LEN];

	memset(buf, 0xaa, sizeof(buf));
	clnet_arp_build_garp(buf, arp_dev_mac, A(10, 0, 193, 10), false);
	KUNIT_EXPECT_EQ(test, memcmp(buf, want_req, sizeof(want_req)), 0);
	memset(buf, 0xaa, sizeof(buf));
	clnet_arp_build_garp(buf, arp_dev_mac, A(10, 0, 193, 10), true);
	KUNIT_EXPECT_EQ(test, memcmp(buf, want_reply, sizeof(want_reply)), 0);
}

static struct kunit_case clnet_arp_cases[] = {
	KUNIT_CASE(arp_request_broadcast_and_unicast),
	KUNIT_CASE(arp_unicast_to_someone_else),
	KUNIT_CASE(arp_short_and_wrong_lengths),
	KUNIT_CASE(arp_reply_ignored),
	KUNIT_CASE(arp_sender_mac_must_be_a_station),
	KUNIT_CASE(arp_probe),
	KUNIT_CASE(arp_reply_bytes),
	KUNIT_CASE(arp_probe_reply_bytes),
	KUNIT_CASE(arp_garp_bytes),
	{}
};

static struct kunit_suite clnet_arp_suite = {
	.name = "clnet_arp",
	.test_cases = clnet_arp_cases,
};

kunit_test_suites(&clnet_policy_suite, &clnet_link_suite,
		  &clnet_fastpath_suite, &clnet_masq_suite, &clnet_arp_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for clnet");
