/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ARP over Ethernet for IPv4, as pure functions on bytes: what an
 * incoming frame asks, and the frames clnet sends in answer or to
 * announce an address. No skb, no device, no netns: the callers own
 * those, and KUnit tests these.
 */
#ifndef _CLNET_ARP_H
#define _CLNET_ARP_H

#include <linux/if_ether.h>
#include <linux/types.h>

/* The ARP header and the IPv4-over-Ethernet payload after it. */
#define CLNET_ARP_LEN		28
/* An Ethernet header and CLNET_ARP_LEN: every frame clnet builds. */
#define CLNET_ARP_FRAME_LEN	(ETH_HLEN + CLNET_ARP_LEN)

enum clnet_arp_kind {
	CLNET_ARP_IGNORE,	/* not a question clnet may answer */
	CLNET_ARP_REQUEST,	/* who has tip? tell sip at sha */
	CLNET_ARP_PROBE,	/* a request from 0.0.0.0 (address probe) */
};

/* What a request asks; every field in wire order. */
struct clnet_arp_req {
	__be32 sip;
	__be32 tip;
	u8 sha[ETH_ALEN];
};

/*
 * Classify the ARP header and payload @arp (@len bytes, from the ARP
 * header on) of a frame sent to @eth_dest and received on a device whose
 * MAC is @dev_addr. Fills @req for a request or a probe.
 */
enum clnet_arp_kind clnet_arp_classify(const void *arp, unsigned int len,
				       const u8 *eth_dest, const u8 *dev_addr,
				       struct clnet_arp_req *req);

/*
 * Build into @buf (CLNET_ARP_FRAME_LEN bytes) the unicast reply from
 * @dev_addr that says @req's tip is at @dev_addr. A probe's reply goes
 * to 0.0.0.0, as the kernel's does.
 */
void clnet_arp_build_reply(void *buf, const u8 *dev_addr,
			   const struct clnet_arp_req *req);

/*
 * Build into @buf (CLNET_ARP_FRAME_LEN bytes) a broadcast gratuitous ARP
 * for @addr at @dev_addr: a request (target MAC zero) or, with @reply, a
 * reply (target MAC @dev_addr). Sender and target IP are both @addr.
 */
void clnet_arp_build_garp(void *buf, const u8 *dev_addr, __be32 addr,
			  bool reply);

#endif /* _CLNET_ARP_H */
