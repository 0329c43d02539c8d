/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Masquerade of pod traffic, per network namespace, on the kernel's own
 * conntrack and nf_nat.
 */
#ifndef _CLNET_MASQ_H
#define _CLNET_MASQ_H

#include <linux/build_bug.h>
#include <linux/clnet.h>
#include <linux/inetdevice.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

struct net;
struct nf_conn;
struct nf_conn_nat;
struct net_device;
struct netlink_ext_ack;

struct clnet_cidr {
	__be32 addr;		/* host bits zero */
	u8 plen;		/* 0 to 32 */
};

struct clnet_masq_config {
	struct rcu_head rcu;
	__be32 src;		/* 0: the egress device's, as MASQUERADE */
	struct clnet_cidr native;
	unsigned int n_devs;
	unsigned int n_excludes;
	int ifindex[CLNET_MASQ_MAX_DEVS];
	struct clnet_cidr exclude[CLNET_MASQ_MAX_EXCLUDES];
};

/* Why a new flow's first packet was dropped, in the ABI's order. */
enum clnet_masq_drop {
	CLNET_MASQ_DROP_NO_ADDR,
	CLNET_MASQ_DROP_NAT,

	CLNET_MASQ_NR_DROPS,
};

static_assert(CLNET_MASQ_NR_DROPS ==
	      CLNET_MASQ_DROP_A_MAX - CLNET_MASQ_DROP_A_NO_ADDR + 1);

struct clnet_masq_counters {
	u64 flows;
	u64 packets;
	u64 bytes;
	u64 drop[CLNET_MASQ_NR_DROPS];
	u64 ct_insert_failed;
	u64 ct_drop;
};

int clnet_masq_init(void);
void clnet_masq_exit(void);

/*
 * Under the genl mutex; may sleep. set() takes @cfg (kmalloc'ed, checked
 * by the caller: devices, CIDRs, src) and makes it the netns'
 * configuration, or frees it and leaves the old one on error. del() is a
 * no-op when off.
 */
int clnet_masq_set(struct net *net, struct clnet_masq_config *cfg,
		   struct netlink_ext_ack *extack);
void clnet_masq_del(struct net *net);
/* The configuration in force, or NULL; under the genl mutex. */
const struct clnet_masq_config *clnet_masq_config(struct net *net);
/* The address new flows out of @dev get now, or 0. RTNL or RCU. */
__be32 clnet_masq_dev_addr(const struct clnet_masq_config *cfg,
			   struct net_device *dev);
void clnet_masq_read(struct net *net, struct clnet_masq_counters *c);
/*
 * @net's masquerade state, as long as @net lives (clnet_masq_init() comes
 * before the pernet init of any module part that keeps it).
 */
struct clnet_masq_net *clnet_masq_pernet(const struct net *net);
/*
 * The fast path forwarded a packet of NATed flow @ct, whose NAT extension
 * is @nat (or NULL), in the netns of @mn; under RCU, with BHs off.
 */
void clnet_masq_seen(struct clnet_masq_net *mn, const struct nf_conn *ct,
		     const struct nf_conn_nat *nat, unsigned int len);

static inline bool clnet_cidr_contains(const struct clnet_cidr *c, __be32 addr)
{
	return !((addr ^ c->addr) & inet_make_mask(c->plen));
}

#if IS_ENABLED(CONFIG_KUNIT)
bool clnet_masq_wanted(const struct clnet_masq_config *cfg, bool from_pod,
		       int out_ifindex, __be32 daddr, bool daddr_is_local);
bool clnet_masq_port_range(u8 protonum, u16 port, u32 rnd, u16 *min, u16 *max);
#endif

#endif /* _CLNET_MASQ_H */
