/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT) */
/*
 * clnet: node dataplane for small Kubernetes-on-VM clusters.
 *
 * The generic netlink ABI shared by the kernel module (kmod/) and the CLI
 * (tools/clnetctl/). This header's comments and the YNL description,
 * Documentation/netlink/specs/clnet.yaml, are the reference for every
 * command, attribute and value; scripts/abi-check fails when the two
 * disagree. Documentation/clnet-abi.rst describes the behaviour around
 * them (validation, errors, dumps, permissions, compatibility).
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
 *	named by IFNAME or IFINDEX; only the primary end may change policies.
 *	The creation-time attributes MODE, PEER_IFNAME, PEER_NETNS_FD and
 *	PEER_NETNS_PID are refused by the policy (EINVAL, "fixed at
 *	creation").
 * @CLNET_CMD_LINK_DEL: delete the pair that IFNAME or IFINDEX belongs to
 *	(either end).
 * @CLNET_CMD_LINK_GET: do: one end by IFNAME or IFINDEX; dump: every clnet
 *	device in the caller's netns. Read-only, needs no privilege.
 * @CLNET_CMD_FASTPATH_SET: switch the caller's netns' fast path on or off
 *	(&enum clnet_fastpath_attrs: ENABLED, required).
 * @CLNET_CMD_FASTPATH_GET: read-only; replies with ENABLED and the
 *	caller's netns' counters: packets fast-pathed (FORWARDED, of them
 *	DIRECT and NAT_*) and fallbacks by reason (FALLBACK). Takes no
 *	attributes.
 * @CLNET_CMD_MASQ_SET: masquerade pod traffic in the caller's netns
 *	(&enum clnet_masq_attrs: one or more DEV, NATIVE_CIDR required;
 *	EXCLUDE and SRC optional). Replaces the whole configuration at once;
 *	a refused SET leaves the previous one in force. The first SET in a
 *	netns loads nf_conntrack and nf_nat if they are not loaded yet.
 * @CLNET_CMD_MASQ_DEL: stop masquerading new flows in the caller's netns
 *	(flows already translated keep their mapping until they end; conntrack
 *	stays on in the netns). Takes no attributes; succeeds when masquerade
 *	is already off.
 * @CLNET_CMD_MASQ_GET: read-only; replies with ENABLED, the configuration
 *	when enabled (DEV with each device's ADDR in use, NATIVE_CIDR,
 *	EXCLUDE, SRC) and the netns' counters. Takes no attributes.
 * @CLNET_CMD_ANNOUNCE_ADD: answer ARP for ADDR on the device IFINDEX or
 *	IFNAME and announce it by gratuitous ARP (&enum
 *	clnet_announce_attrs: ADDR and the device required; LEASE_MS,
 *	GARP_COUNT, GARP_INTERVAL_MS, REFRESH_MS optional). EEXIST when
 *	ADDR is already announced on that device.
 * @CLNET_CMD_ANNOUNCE_RENEW: restart the lease of the entry ADDR on the
 *	device, for LEASE_MS if given (which then becomes the entry's lease),
 *	else for the entry's lease; an expired entry is re-acquired. ENOENT
 *	without such an entry, EINVAL for an entry without a lease.
 * @CLNET_CMD_ANNOUNCE_DEL: stop answering for ADDR on the device and
 *	forget the entry. ENOENT without such an entry.
 * @CLNET_CMD_ANNOUNCE_GET: read-only, needs no privilege. do: the entry
 *	ADDR on the device; dump: every entry of the caller's netns, or only
 *	those of the device IFINDEX or IFNAME when one is given.
 * @CLNET_CMD_ANNOUNCE_PODS_SET: switch pod announcements on the device
 *	IFINDEX or IFNAME on or off (PODS required; GARP_COUNT and
 *	GARP_INTERVAL_MS optional, for the bursts of new pod routes).
 * @CLNET_CMD_ANNOUNCE_PODS_GET: read-only dump, needs no privilege: one
 *	message per device with pod announcements on, with their counters.
 * @CLNET_CMD_ANNOUNCE_UP: event only (%CLNET_MCGRP_EVENTS): an entry
 *	became active (ADDR, IFINDEX, IFNAME, STATE)
 * @CLNET_CMD_ANNOUNCE_DOWN: event only: an entry stopped being answered
 *	(ADDR, IFINDEX, IFNAME, STATE, REASON)
 * @CLNET_CMD_ANNOUNCE_EXPIRE: event only: an entry's lease ran out
 *	without a renew (ADDR, IFINDEX, IFNAME, STATE, REASON); follows the
 *	ANNOUNCE_DOWN of the same expiry when the entry was active
 *
 * %CLNET_CMD_LINK_NEW and %CLNET_CMD_LINK_DEL are also sent as events to
 * %CLNET_MCGRP_EVENTS when a pair is created or deleted, however that
 * happened (clnetctl, ip link, a netns going away), in the primary's netns,
 * with the attributes of a LINK_GET reply for the primary (LINK_DEL:
 * IFINDEX and IFNAME only).
 * @__CLNET_CMD_MAX: one past the last value, for sizing and bounds
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
	CLNET_CMD_MASQ_SET,
	CLNET_CMD_MASQ_DEL,
	CLNET_CMD_MASQ_GET,
	CLNET_CMD_ANNOUNCE_ADD,
	CLNET_CMD_ANNOUNCE_RENEW,
	CLNET_CMD_ANNOUNCE_DEL,
	CLNET_CMD_ANNOUNCE_GET,
	CLNET_CMD_ANNOUNCE_PODS_SET,
	CLNET_CMD_ANNOUNCE_PODS_GET,
	CLNET_CMD_ANNOUNCE_UP,
	CLNET_CMD_ANNOUNCE_DOWN,
	CLNET_CMD_ANNOUNCE_EXPIRE,

	__CLNET_CMD_MAX,
};

#define CLNET_CMD_MAX (__CLNET_CMD_MAX - 1)

/*
 * The family's multicast group. Anyone may listen, without privilege, to
 * the events of their own netns.
 */
#define CLNET_MCGRP_EVENTS	"events"

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
 * @__CLNET_INFO_A_MAX: one past the last value, for sizing and bounds
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
 * @CLNET_FEATURE_MASQ: masquerade of pod traffic (masq set/off/show)
 * @CLNET_FEATURE_ANNOUNCE: ARP announcements with leases (the
 *	CLNET_CMD_ANNOUNCE_* commands)
 * @CLNET_FEATURE_EVENTS: the %CLNET_MCGRP_EVENTS multicast group
 * @__CLNET_FEATURE_MAX: one past the last value, for sizing and bounds
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
 * @__CLNET_LINK_MODE_MAX: one past the last value, for sizing and bounds
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
 * @__CLNET_LINK_POLICY_MAX: one past the last value, for sizing and bounds
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
 * @CLNET_LINK_A_MODE: u32, &enum clnet_link_mode (LINK_NEW, reply); fixed
 *	at creation
 * @CLNET_LINK_A_POLICY: u32, &enum clnet_link_policy of the primary end
 * @CLNET_LINK_A_PEER_POLICY: u32, &enum clnet_link_policy of the peer end
 * @CLNET_LINK_A_MTU: u32, 68 to 65535, MTU of both ends (LINK_NEW, default
 *	1500; LINK_SET); in replies this end's MTU
 * @CLNET_LINK_A_PRIMARY: flag, reply only: this end is the primary
 * @CLNET_LINK_A_CARRIER: u8, reply only: 1 while both ends are up
 * @__CLNET_LINK_A_MAX: one past the last value, for sizing and bounds
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
 * @CLNET_FASTPATH_A_ENABLED: u8, 0 or 1: 1 if forwarded pod traffic takes
 *	the fast path in this netns (required in FASTPATH_SET)
 * @CLNET_FASTPATH_A_FORWARDED: u64, reply only: packets the fast path
 *	handed to their egress device
 * @CLNET_FASTPATH_A_FALLBACK: nest, reply only: one u64 per
 *	&enum clnet_fastpath_fallback_attrs, packets handed back to the
 *	kernel's forwarding path and why
 * @CLNET_FASTPATH_A_DIRECT: u64, reply only: of FORWARDED, the packets
 *	from pods taken as the pod sent them, at the pair's transmit, so that
 *	they never entered the node's receive path (backlog, ip_rcv, and
 *	PRE_ROUTING but for the kernel's conntrack, which the fast path then
 *	ran itself). Added after the first release of version 1: read its
 *	absence as zero.
 * @CLNET_FASTPATH_A_NAT_ORIGINAL: u64, reply only: of FORWARDED, packets
 *	of NATed flows (masquerade, SNAT, DNAT) in their original direction;
 *	the fast path applied the source translation that nf_nat's
 *	POSTROUTING hook would have. Absent from modules without it: read
 *	absence as zero.
 * @CLNET_FASTPATH_A_NAT_REPLY: u64, reply only: of FORWARDED, packets of
 *	NATed flows in their reply direction (nf_nat translated them in
 *	PRE_ROUTING, before the fast path saw them). Absent from modules
 *	without it: read absence as zero.
 * @__CLNET_FASTPATH_A_MAX: one past the last value, for sizing and bounds
 *
 * The counters are per netns, count from the moment the netns (or, for
 * an existing one, the module) appeared, only grow and are never reset.
 */
enum clnet_fastpath_attrs {
	CLNET_FASTPATH_A_UNSPEC,
	CLNET_FASTPATH_A_PAD,
	CLNET_FASTPATH_A_ENABLED,
	CLNET_FASTPATH_A_FORWARDED,
	CLNET_FASTPATH_A_FALLBACK,
	CLNET_FASTPATH_A_DIRECT,
	CLNET_FASTPATH_A_NAT_ORIGINAL,
	CLNET_FASTPATH_A_NAT_REPLY,

	__CLNET_FASTPATH_A_MAX,
};

#define CLNET_FASTPATH_A_MAX (__CLNET_FASTPATH_A_MAX - 1)

/**
 * enum clnet_fastpath_fallback_attrs - why the fast path handed a packet
 *	back to the kernel, which then does exactly what it would have done
 *	with the fast path off
 * @CLNET_FP_FALLBACK_A_UNSPEC: unused
 * @CLNET_FP_FALLBACK_A_PAD: padding
 * @CLNET_FP_FALLBACK_A_TTL: TTL 1 or 0 (ICMP time exceeded)
 * @CLNET_FP_FALLBACK_A_MTU: larger than the MTU ip_forward() checks
 *	against (the route's, else the egress device's; the learnt path MTU
 *	when net.ipv4.ip_forward_use_pmtu is on; a GSO packet is judged by
 *	its segments), or reassembled by conntrack and so to be fragmented
 *	again (fragmentation, ICMP fragmentation needed)
 * @CLNET_FP_FALLBACK_A_NEIGH: the next hop, on an Ethernet device, has no
 *	usable neighbour entry: none, or one not resolved yet or failed (a
 *	stale one is used and revalidated behind the packet)
 * @CLNET_FP_FALLBACK_A_CONNTRACK: conntrack has work after PRE_ROUTING: an
 *	unconfirmed (new) entry, a related packet (ICMP error), NAT that the
 *	fast path cannot apply (before masquerade first bound clnet to
 *	nf_nat, or a masqueraded flow now routed out of another device), a
 *	helper, sequence adjustment or SYNPROXY, or a reply tuple that is
 *	not the original reversed without NAT (IPVS)
 * @CLNET_FP_FALLBACK_A_ROUTE: the kernel's input route is not a plain
 *	unicast one (unreachable, as for no route or forwarding off;
 *	prohibit, blackhole, lightweight tunnel, IPv6 gateway, routing
 *	realm)
 * @CLNET_FP_FALLBACK_A_SOURCE: from a pod: the kernel's input route
 *	refused the source (martian or reverse-path filtered; the kernel
 *	drops the packet)
 * @CLNET_FP_FALLBACK_A_REDIRECT: the kernel sends an ICMP redirect (the
 *	packet leaves by the interface it came in on)
 * @CLNET_FP_FALLBACK_A_OPTIONS: IP options
 * @CLNET_FP_FALLBACK_A_OTHER: anything else: IPsec (XFRM) forward or
 *	output policies in the netns, a head that cannot be made writable, a
 *	non-Ethernet link-layer header on the egress device
 * @__CLNET_FP_FALLBACK_A_MAX: one past the last value, for sizing and bounds
 *
 * Each packet is counted once, under the first reason found. Traffic that
 * is not forwarded pod traffic (for the node itself, multicast and
 * broadcast, bridged frames, VRF ports, forwarding between two devices
 * that are not clnet primaries) is neither touched nor counted. New
 * reasons may be appended; a reader ignores those it does not know.
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

/*
 * Limits of one masquerade configuration (CLNET_CMD_MASQ_SET): at most
 * this many DEV and EXCLUDE attributes.
 */
#define CLNET_MASQ_MAX_DEVS	16
#define CLNET_MASQ_MAX_EXCLUDES	64

/**
 * enum clnet_masq_attrs - attributes of the CLNET_CMD_MASQ_* commands
 * @CLNET_MASQ_A_UNSPEC: unused
 * @CLNET_MASQ_A_PAD: padding for 64-bit attributes
 * @CLNET_MASQ_A_ENABLED: u8, reply only: 1 while masquerade is set
 * @CLNET_MASQ_A_DEV: nest (&enum clnet_masq_dev_attrs), multi-attr, one
 *	per device whose outgoing pod flows are masqueraded: SET names it by
 *	IFINDEX or IFNAME (1 to %CLNET_MASQ_MAX_DEVS of them); replies give
 *	IFINDEX, IFNAME (absent once the device is gone) and ADDR
 * @CLNET_MASQ_A_NATIVE_CIDR: nest (&enum clnet_cidr_attrs), the
 *	native-routing CIDR: flows to it keep the pod's address (required
 *	in SET)
 * @CLNET_MASQ_A_EXCLUDE: nest (&enum clnet_cidr_attrs), multi-attr, 0 to
 *	%CLNET_MASQ_MAX_EXCLUDES: more destinations that keep the pod's
 *	address
 * @CLNET_MASQ_A_SRC: u32 (network byte order), the address to masquerade
 *	to; it must be an address of the node. Without it, the address the
 *	kernel picks for the egress device and next hop (as the
 *	MASQUERADE target does)
 * @CLNET_MASQ_A_FLOWS: u64, reply only: new flows masqueraded
 * @CLNET_MASQ_A_PACKETS: u64, reply only: packets (both directions,
 *	fast path or not) of flows masqueraded out of one of the configured
 *	devices, counted while masquerade is set
 * @CLNET_MASQ_A_BYTES: u64, reply only: their bytes, IP headers included
 * @CLNET_MASQ_A_DROP: nest, reply only: one u64 per
 *	&enum clnet_masq_drop_attrs, first packets of new flows dropped
 *	instead of masqueraded, by reason
 * @CLNET_MASQ_A_CT_INSERT_FAILED: u64, reply only: the netns' conntrack
 *	counter of entries that could not be inserted (an unresolved clash:
 *	two flows ended up with the same translated tuple, as when the port
 *	space of an address runs out); "insert_failed" of conntrack -S
 * @CLNET_MASQ_A_CT_DROP: u64, reply only: the netns' conntrack counter of
 *	packets dropped by conntrack; "drop" of conntrack -S
 * @__CLNET_MASQ_A_MAX: one past the last value, for sizing and bounds
 *
 * The counters are per netns, only grow and are kept across MASQ_DEL.
 * FLOWS, PACKETS, BYTES and DROP count from the moment masquerade was
 * first set in the netns; CT_INSERT_FAILED and CT_DROP are conntrack's,
 * from the moment conntrack started there, and read 0 until clnet first
 * bound to it.
 */
enum clnet_masq_attrs {
	CLNET_MASQ_A_UNSPEC,
	CLNET_MASQ_A_PAD,
	CLNET_MASQ_A_ENABLED,
	CLNET_MASQ_A_DEV,
	CLNET_MASQ_A_NATIVE_CIDR,
	CLNET_MASQ_A_EXCLUDE,
	CLNET_MASQ_A_SRC,
	CLNET_MASQ_A_FLOWS,
	CLNET_MASQ_A_PACKETS,
	CLNET_MASQ_A_BYTES,
	CLNET_MASQ_A_DROP,
	CLNET_MASQ_A_CT_INSERT_FAILED,
	CLNET_MASQ_A_CT_DROP,

	__CLNET_MASQ_A_MAX,
};

#define CLNET_MASQ_A_MAX (__CLNET_MASQ_A_MAX - 1)

/**
 * enum clnet_masq_dev_attrs - attributes nested in %CLNET_MASQ_A_DEV
 * @CLNET_MASQ_DEV_A_UNSPEC: unused
 * @CLNET_MASQ_DEV_A_IFINDEX: u32, the device's ifindex
 * @CLNET_MASQ_DEV_A_IFNAME: string, the device's name
 * @CLNET_MASQ_DEV_A_ADDR: u32 (network byte order), reply only: the
 *	address new flows out of this device get now (SRC, else the
 *	device's primary address of universe scope); absent when there is
 *	none
 * @__CLNET_MASQ_DEV_A_MAX: one past the last value, for sizing and bounds
 */
enum clnet_masq_dev_attrs {
	CLNET_MASQ_DEV_A_UNSPEC,
	CLNET_MASQ_DEV_A_IFINDEX,
	CLNET_MASQ_DEV_A_IFNAME,
	CLNET_MASQ_DEV_A_ADDR,

	__CLNET_MASQ_DEV_A_MAX,
};

#define CLNET_MASQ_DEV_A_MAX (__CLNET_MASQ_DEV_A_MAX - 1)

/**
 * enum clnet_cidr_attrs - an IPv4 prefix, nested
 * @CLNET_CIDR_A_UNSPEC: unused
 * @CLNET_CIDR_A_ADDR: u32 (network byte order), the prefix's address; its
 *	host bits must be zero (required)
 * @CLNET_CIDR_A_PREFIXLEN: u8, 0 to 32 (required)
 * @__CLNET_CIDR_A_MAX: one past the last value, for sizing and bounds
 */
enum clnet_cidr_attrs {
	CLNET_CIDR_A_UNSPEC,
	CLNET_CIDR_A_ADDR,
	CLNET_CIDR_A_PREFIXLEN,

	__CLNET_CIDR_A_MAX,
};

#define CLNET_CIDR_A_MAX (__CLNET_CIDR_A_MAX - 1)

/**
 * enum clnet_masq_drop_attrs - why the first packet of a flow that was to
 *	be masqueraded was dropped
 * @CLNET_MASQ_DROP_A_UNSPEC: unused
 * @CLNET_MASQ_DROP_A_PAD: padding
 * @CLNET_MASQ_DROP_A_NO_ADDR: no address to masquerade to: the egress
 *	device has none of universe scope, or SRC is no longer the node's
 * @CLNET_MASQ_DROP_A_NAT: nf_nat refused the binding (to SRC)
 * @__CLNET_MASQ_DROP_A_MAX: one past the last value, for sizing and bounds
 *
 * New reasons may be appended; a reader ignores those it does not know.
 */
enum clnet_masq_drop_attrs {
	CLNET_MASQ_DROP_A_UNSPEC,
	CLNET_MASQ_DROP_A_PAD,
	CLNET_MASQ_DROP_A_NO_ADDR,
	CLNET_MASQ_DROP_A_NAT,

	__CLNET_MASQ_DROP_A_MAX,
};

#define CLNET_MASQ_DROP_A_MAX (__CLNET_MASQ_DROP_A_MAX - 1)

/*
 * Limits of ARP announcements: entries per netns, devices with pod
 * announcements per netns.
 */
#define CLNET_ANNOUNCE_MAX_ENTRIES	65536
#define CLNET_ANNOUNCE_MAX_POD_DEVS	16

/**
 * enum clnet_announce_state - whether an entry is answered
 * @CLNET_ANNOUNCE_STATE_UNSPEC: unused
 * @CLNET_ANNOUNCE_STATE_ACTIVE: ARP requests for the address are answered
 * @CLNET_ANNOUNCE_STATE_INACTIVE: not answered for now: its device is
 *	down or has no carrier (REASON says which); it becomes active again,
 *	with a gratuitous ARP burst, when the device is back
 * @CLNET_ANNOUNCE_STATE_EXPIRED: not answered: the lease ran out without
 *	a renew; only ANNOUNCE_RENEW brings it back
 * @__CLNET_ANNOUNCE_STATE_MAX: one past the last value, for sizing and
 *	bounds
 */
enum clnet_announce_state {
	CLNET_ANNOUNCE_STATE_UNSPEC,
	CLNET_ANNOUNCE_STATE_ACTIVE,
	CLNET_ANNOUNCE_STATE_INACTIVE,
	CLNET_ANNOUNCE_STATE_EXPIRED,

	__CLNET_ANNOUNCE_STATE_MAX,
};

/**
 * enum clnet_announce_reason - why an entry is not answered
 * @CLNET_ANNOUNCE_REASON_NONE: it is (active)
 * @CLNET_ANNOUNCE_REASON_LINK_DOWN: its device is administratively down
 * @CLNET_ANNOUNCE_REASON_NO_CARRIER: its device is up without carrier
 * @CLNET_ANNOUNCE_REASON_LEASE_EXPIRED: the lease ran out
 * @CLNET_ANNOUNCE_REASON_DELETED: events only: ANNOUNCE_DEL removed it
 * @CLNET_ANNOUNCE_REASON_DEVICE_GONE: events only: its device was
 *	unregistered (deleted, or moved to another netns), which removes the
 *	entry
 * @__CLNET_ANNOUNCE_REASON_MAX: one past the last value, for sizing and
 *	bounds
 *
 * New reasons may be appended; a reader shows those it does not know by
 * number.
 */
enum clnet_announce_reason {
	CLNET_ANNOUNCE_REASON_NONE,
	CLNET_ANNOUNCE_REASON_LINK_DOWN,
	CLNET_ANNOUNCE_REASON_NO_CARRIER,
	CLNET_ANNOUNCE_REASON_LEASE_EXPIRED,
	CLNET_ANNOUNCE_REASON_DELETED,
	CLNET_ANNOUNCE_REASON_DEVICE_GONE,

	__CLNET_ANNOUNCE_REASON_MAX,
};

/**
 * enum clnet_announce_attrs - attributes of the CLNET_CMD_ANNOUNCE_*
 *	commands and events
 * @CLNET_ANNOUNCE_A_UNSPEC: unused
 * @CLNET_ANNOUNCE_A_PAD: padding for 64-bit attributes
 * @CLNET_ANNOUNCE_A_ADDR: u32 (network byte order), the announced IPv4
 *	address; a unicast one (not 0.0.0.0/8, loopback, multicast, class E
 *	or the limited broadcast)
 * @CLNET_ANNOUNCE_A_IFINDEX: u32, the device it is announced on
 * @CLNET_ANNOUNCE_A_IFNAME: string, the device it is announced on; an
 *	Ethernet device that does ARP (an uplink, a VLAN device, a bridge),
 *	not a clnet pair end nor loopback. It needs no IPv4 address.
 * @CLNET_ANNOUNCE_A_LEASE_MS: u32, 100 to 86400000: the lease in
 *	milliseconds; the entry expires that long after the ADD or the last
 *	RENEW. Absent: a static entry that never expires.
 * @CLNET_ANNOUNCE_A_GARP_COUNT: u32, 0 to 100 (default 4): gratuitous
 *	ARPs per burst; each is sent both as a request and as a reply
 * @CLNET_ANNOUNCE_A_GARP_INTERVAL_MS: u32, 10 to 60000 (default 500):
 *	milliseconds between the GARPs of a burst (the first goes at once)
 * @CLNET_ANNOUNCE_A_REFRESH_MS: u32, 0 or 1000 to 86400000: while active,
 *	one more GARP this often after the burst; 0 or absent: none
 * @CLNET_ANNOUNCE_A_STATE: u32, reply and events: &enum
 *	clnet_announce_state
 * @CLNET_ANNOUNCE_A_REASON: u32, reply and events: &enum
 *	clnet_announce_reason (absent while active)
 * @CLNET_ANNOUNCE_A_LEASE_LEFT_MS: u32, reply only: milliseconds until the
 *	lease runs out, 0 once expired (absent for static entries)
 * @CLNET_ANNOUNCE_A_REPLIES: u64, reply only: ARP replies sent
 * @CLNET_ANNOUNCE_A_GARPS: u64, reply only: gratuitous ARP frames sent
 *	(requests and replies each count)
 * @CLNET_ANNOUNCE_A_GARP_FAILED: u64, reply only: gratuitous ARP frames
 *	that could not be built or sent; each is tried again
 * @CLNET_ANNOUNCE_A_LAST_GARP_MS: u64, reply only: milliseconds since the
 *	last gratuitous ARP went out (absent before the first)
 * @CLNET_ANNOUNCE_A_PODS: u8, 0 or 1: PODS_SET: pod announcements off or
 *	on (required); PODS_GET: 1
 * @__CLNET_ANNOUNCE_A_MAX: one past the last value, for sizing and bounds
 *
 * Counters are per entry (per device for PODS_GET) and only grow.
 */
enum clnet_announce_attrs {
	CLNET_ANNOUNCE_A_UNSPEC,
	CLNET_ANNOUNCE_A_PAD,
	CLNET_ANNOUNCE_A_ADDR,
	CLNET_ANNOUNCE_A_IFINDEX,
	CLNET_ANNOUNCE_A_IFNAME,
	CLNET_ANNOUNCE_A_LEASE_MS,
	CLNET_ANNOUNCE_A_GARP_COUNT,
	CLNET_ANNOUNCE_A_GARP_INTERVAL_MS,
	CLNET_ANNOUNCE_A_REFRESH_MS,
	CLNET_ANNOUNCE_A_STATE,
	CLNET_ANNOUNCE_A_REASON,
	CLNET_ANNOUNCE_A_LEASE_LEFT_MS,
	CLNET_ANNOUNCE_A_REPLIES,
	CLNET_ANNOUNCE_A_GARPS,
	CLNET_ANNOUNCE_A_GARP_FAILED,
	CLNET_ANNOUNCE_A_LAST_GARP_MS,
	CLNET_ANNOUNCE_A_PODS,

	__CLNET_ANNOUNCE_A_MAX,
};

#define CLNET_ANNOUNCE_A_MAX (__CLNET_ANNOUNCE_A_MAX - 1)

#endif /* _UAPI_LINUX_CLNET_H */
