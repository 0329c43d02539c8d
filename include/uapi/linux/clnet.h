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

/**
 * enum clnet_cmd - generic netlink commands of the clnet family
 * @CLNET_CMD_UNSPEC: unused
 * @CLNET_CMD_GET_INFO: read-only; replies with the &enum clnet_info_attrs
 *	attributes: the module's version and the features it supports.
 *	Needs no privilege and takes no attributes.
 */
enum clnet_cmd {
	CLNET_CMD_UNSPEC,
	CLNET_CMD_GET_INFO,

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

#endif /* _UAPI_LINUX_CLNET_H */
