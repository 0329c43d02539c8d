/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT) */
/*
 * clnet: node dataplane for small Kubernetes-on-VM clusters.
 *
 * The generic netlink ABI shared by the kernel module (kmod/) and the CLI
 * (tools/clnetctl/). Documented in Documentation/clnet-abi.rst and described
 * for YNL in Documentation/netlink/specs/clnet.yaml; keep all three in step.
 *
 * Rules for changing it: commands, attributes and feature bits are only ever
 * appended; a number, once released, keeps its meaning.
 */
#ifndef _UAPI_LINUX_CLNET_H
#define _UAPI_LINUX_CLNET_H

#define CLNET_GENL_NAME		"clnet"
#define CLNET_GENL_VERSION	1

/*
 * rtm_protocol of the routes clnetctl installs in the kernel FIB, so that
 * "clnetctl route show|flush" (and "ip route show proto 193") see only
 * clnet's routes. Not in iproute2's rt_protos list.
 */
#define CLNET_RTPROT		193

/**
 * enum clnet_cmd - generic netlink commands of the clnet family
 * @CLNET_CMD_UNSPEC: unused
 * @CLNET_CMD_GET_INFO: read-only; replies with the &enum clnet_info_attrs
 *	attributes: the module's version and the features it supports.
 *	Needs no privilege and takes no attributes.
 * @CLNET_CMD_LINK_NEW: create a device pair (&enum clnet_link_attrs):
 *	IFNAME and PEER_IFNAME are required; the primary is created in the
 *	caller's netns, the peer in PEER_NETNS_FD or PEER_NETNS_PID (default:
 *	the caller's). Needs CAP_NET_ADMIN over both namespaces.
 * @CLNET_CMD_LINK_SET: change POLICY, PEER_POLICY or MTU of the pair
 *	named by IFNAME or IFINDEX; only the primary end may change policies,
 *	and creation-time attributes (MODE, PEER_*) are refused.
 * @CLNET_CMD_LINK_DEL: delete the pair that IFNAME or IFINDEX belongs to
 *	(either end).
 * @CLNET_CMD_LINK_GET: do: one end by IFNAME or IFINDEX; dump: every clnet
 *	device in the caller's netns. Read-only, needs no privilege.
 * @CLNET_CMD_FASTPATH_SET: switch the caller's netns' fast path on or off
 *	(&enum clnet_fastpath_attrs: ENABLED, required).
 * @CLNET_CMD_FASTPATH_GET: read-only; replies with ENABLED and the
 *	counters: packets fast-pathed and fallbacks by reason.
 */
enum clnet_cmd {
	CLNET_CMD_UNSPEC,
	CLNET_CMD_GET_INFO,
	CLNET_CMD_LINK_NEW,
	CLNET_CMD_LINK_SET,
	CLNET_CMD_LINK_DEL,
	CLNET_CMD_LINK_GET,
	CLNET_CMD_FASTPATH_SET,
	CLNET_CMD_FASTPATH_GET,

	__CLNET_CMD_MAX,
};

#define CLNET_CMD_MAX (__CLNET_CMD_MAX - 1)

/**
 * enum clnet_info_attrs - attributes of a %CLNET_CMD_GET_INFO reply
 * @CLNET_INFO_A_UNSPEC: unused
 * @CLNET_INFO_A_PAD: padding for 64-bit attributes
 * @CLNET_INFO_A_VERSION: string, the module's version (MODULE_VERSION)
 * @CLNET_INFO_A_GENL_VERSION: u32, the family version (%CLNET_GENL_VERSION)
 * @CLNET_INFO_A_FEATURES: u64, bitmask of &enum clnet_feature bits this
 *	module implements
 * @CLNET_INFO_A_FAMILIES: u32, bitmask of address families supported by
 *	the dataplane, as (1 << AF_*); only AF_INET today
 */
enum clnet_info_attrs {
	CLNET_INFO_A_UNSPEC,
	CLNET_INFO_A_PAD,
	CLNET_INFO_A_VERSION,
	CLNET_INFO_A_GENL_VERSION,
	CLNET_INFO_A_FEATURES,
	CLNET_INFO_A_FAMILIES,

	__CLNET_INFO_A_MAX,
};

#define CLNET_INFO_A_MAX (__CLNET_INFO_A_MAX - 1)

/**
 * enum clnet_feature - bit numbers in %CLNET_INFO_A_FEATURES
 * @CLNET_FEATURE_LINK: clnet device pairs (link add/set/del/show)
 * @CLNET_FEATURE_FASTPATH: host-routing fast path
 * @CLNET_FEATURE_MASQ: masquerade of pod traffic
 * @CLNET_FEATURE_ANNOUNCE: ARP announcements with leases
 * @CLNET_FEATURE_EVENTS: the "events" multicast group
 *
 * A bit is set only when the module implements that feature; userspace
 * checks it before using the matching commands.
 */
enum clnet_feature {
	CLNET_FEATURE_LINK,
	CLNET_FEATURE_FASTPATH,
	CLNET_FEATURE_MASQ,
	CLNET_FEATURE_ANNOUNCE,
	CLNET_FEATURE_EVENTS,

	__CLNET_FEATURE_MAX,
};

/**
 * enum clnet_link_mode - how a pair carries packets (%CLNET_LINK_A_MODE)
 * @CLNET_LINK_MODE_L3: raw IP, no link-layer header, no ARP (default)
 * @CLNET_LINK_MODE_L2: Ethernet with random MAC addresses; ARP works
 */
enum clnet_link_mode {
	CLNET_LINK_MODE_L3,
	CLNET_LINK_MODE_L2,

	__CLNET_LINK_MODE_MAX,
};

#define CLNET_LINK_MODE_MAX (__CLNET_LINK_MODE_MAX - 1)

/**
 * enum clnet_link_policy - what an end does with what it transmits
 * @CLNET_LINK_POLICY_FORWARD: deliver to the other end (default)
 * @CLNET_LINK_POLICY_BLACKHOLE: drop it, counted as a tx drop
 */
enum clnet_link_policy {
	CLNET_LINK_POLICY_FORWARD,
	CLNET_LINK_POLICY_BLACKHOLE,

	__CLNET_LINK_POLICY_MAX,
};

#define CLNET_LINK_POLICY_MAX (__CLNET_LINK_POLICY_MAX - 1)

/**
 * enum clnet_link_attrs - attributes of the CLNET_CMD_LINK_* commands
 * @CLNET_LINK_A_UNSPEC: unused
 * @CLNET_LINK_A_IFINDEX: u32, this end's ifindex in the caller's netns
 * @CLNET_LINK_A_IFNAME: string, this end's name (the primary on LINK_NEW)
 * @CLNET_LINK_A_PEER_IFINDEX: u32, the other end's ifindex in its netns
 *	(reply only)
 * @CLNET_LINK_A_PEER_IFNAME: string, the other end's name
 * @CLNET_LINK_A_PEER_NETNS_FD: u32, LINK_NEW: a netns file descriptor to
 *	create the peer in
 * @CLNET_LINK_A_PEER_NETNS_PID: u32, LINK_NEW: create the peer in this
 *	process's netns
 * @CLNET_LINK_A_PEER_NETNSID: s32, the other end's netns as a netns id of
 *	the caller's netns (reply only; absent when both ends share it)
 * @CLNET_LINK_A_MODE: u32, &enum clnet_link_mode; fixed at creation
 * @CLNET_LINK_A_POLICY: u32, &enum clnet_link_policy of the primary end
 * @CLNET_LINK_A_PEER_POLICY: u32, &enum clnet_link_policy of the peer end
 * @CLNET_LINK_A_MTU: u32, MTU of both ends (LINK_NEW, LINK_SET); in replies
 *	this end's MTU
 * @CLNET_LINK_A_PRIMARY: flag, reply only: this end is the primary
 * @CLNET_LINK_A_CARRIER: u8, reply only: 1 while both ends are up
 */
enum clnet_link_attrs {
	CLNET_LINK_A_UNSPEC,
	CLNET_LINK_A_IFINDEX,
	CLNET_LINK_A_IFNAME,
	CLNET_LINK_A_PEER_IFINDEX,
	CLNET_LINK_A_PEER_IFNAME,
	CLNET_LINK_A_PEER_NETNS_FD,
	CLNET_LINK_A_PEER_NETNS_PID,
	CLNET_LINK_A_PEER_NETNSID,
	CLNET_LINK_A_MODE,
	CLNET_LINK_A_POLICY,
	CLNET_LINK_A_PEER_POLICY,
	CLNET_LINK_A_MTU,
	CLNET_LINK_A_PRIMARY,
	CLNET_LINK_A_CARRIER,

	__CLNET_LINK_A_MAX,
};

#define CLNET_LINK_A_MAX (__CLNET_LINK_A_MAX - 1)

/**
 * enum clnet_fastpath_attrs - attributes of the CLNET_CMD_FASTPATH_* commands
 * @CLNET_FASTPATH_A_UNSPEC: unused
 * @CLNET_FASTPATH_A_PAD: padding for 64-bit attributes
 * @CLNET_FASTPATH_A_ENABLED: u8, 1 if forwarded pod traffic takes the fast
 *	path in this netns
 * @CLNET_FASTPATH_A_FORWARDED: u64, reply only: packets the fast path
 *	delivered
 * @CLNET_FASTPATH_A_FALLBACK: nest, reply only: one u64 per
 *	&enum clnet_fastpath_fallback_attrs, packets handed back to the
 *	kernel's forwarding path and why
 * @CLNET_FASTPATH_A_DIRECT: u64, reply only: of FORWARDED, the packets
 *	from pods taken as the pod sent them, at the pair's transmit, so that
 *	they never entered the node's receive path (backlog, ip_rcv,
 *	PRE_ROUTING)
 */
enum clnet_fastpath_attrs {
	CLNET_FASTPATH_A_UNSPEC,
	CLNET_FASTPATH_A_PAD,
	CLNET_FASTPATH_A_ENABLED,
	CLNET_FASTPATH_A_FORWARDED,
	CLNET_FASTPATH_A_FALLBACK,
	CLNET_FASTPATH_A_DIRECT,

	__CLNET_FASTPATH_A_MAX,
};

#define CLNET_FASTPATH_A_MAX (__CLNET_FASTPATH_A_MAX - 1)

/**
 * enum clnet_fastpath_fallback_attrs - why the fast path handed a packet
 *	back to the kernel, which then does exactly what it always does
 * @CLNET_FP_FALLBACK_A_UNSPEC: unused
 * @CLNET_FP_FALLBACK_A_PAD: padding
 * @CLNET_FP_FALLBACK_A_TTL: TTL would expire (ICMP time exceeded)
 * @CLNET_FP_FALLBACK_A_MTU: larger than the egress MTU (fragmentation or
 *	ICMP fragmentation needed)
 * @CLNET_FP_FALLBACK_A_NEIGH: no confirmed neighbour for the next hop yet
 * @CLNET_FP_FALLBACK_A_CONNTRACK: a new or NATed connection: conntrack
 *	must confirm or translate it
 * @CLNET_FP_FALLBACK_A_ROUTE: the route is not a plain unicast one
 *	(unreachable, prohibit, blackhole, lightweight tunnel, IPv6 gateway,
 *	routing realm)
 * @CLNET_FP_FALLBACK_A_SOURCE: the kernel's input route refused the source
 *	(martian or reverse-path filtered; the kernel drops the packet)
 * @CLNET_FP_FALLBACK_A_REDIRECT: the kernel sends an ICMP redirect (the
 *	packet leaves by the interface it came in on)
 * @CLNET_FP_FALLBACK_A_OPTIONS: IP options
 * @CLNET_FP_FALLBACK_A_OTHER: anything else (IPsec policies, out of
 *	memory, ...)
 */
enum clnet_fastpath_fallback_attrs {
	CLNET_FP_FALLBACK_A_UNSPEC,
	CLNET_FP_FALLBACK_A_PAD,
	CLNET_FP_FALLBACK_A_TTL,
	CLNET_FP_FALLBACK_A_MTU,
	CLNET_FP_FALLBACK_A_NEIGH,
	CLNET_FP_FALLBACK_A_CONNTRACK,
	CLNET_FP_FALLBACK_A_ROUTE,
	CLNET_FP_FALLBACK_A_SOURCE,
	CLNET_FP_FALLBACK_A_REDIRECT,
	CLNET_FP_FALLBACK_A_OPTIONS,
	CLNET_FP_FALLBACK_A_OTHER,

	__CLNET_FP_FALLBACK_A_MAX,
};

#define CLNET_FP_FALLBACK_A_MAX (__CLNET_FP_FALLBACK_A_MAX - 1)

#endif /* _UAPI_LINUX_CLNET_H */
