// SPDX-License-Identifier: GPL-2.0
/*
 * ARP frames for announcements: classification of what arrives and
 * construction of what clnet sends. See arp.h.
 */
#include <kunit/visibility.h>
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/string.h>
#include <asm/unaligned.h>

#include "arp.h"

/* The ARP payload for IPv4 over Ethernet, after struct arphdr. */
struct clnet_arp_body {
	u8 sha[ETH_ALEN];
	__be32 sip;
	u8 tha[ETH_ALEN];
	__be32 tip;
} __packed;

struct clnet_arp_frame {
	struct ethhdr eth;
	struct arphdr arp;
	struct clnet_arp_body body;
} __packed;

static_assert(sizeof(struct arphdr) + sizeof(struct clnet_arp_body) ==
	      CLNET_ARP_LEN);
static_assert(sizeof(struct clnet_arp_frame) == CLNET_ARP_FRAME_LEN);

enum clnet_arp_kind clnet_arp_classify(const void *arp, unsigned int len,
				       const u8 *eth_dest, const u8 *dev_addr,
				       struct clnet_arp_req *req)
{
	const struct arphdr *hdr = arp;
	const struct clnet_arp_body *body = arp + sizeof(*hdr);

	if (len < CLNET_ARP_LEN ||
	    hdr->ar_hrd != htons(ARPHRD_ETHER) ||
	    hdr->ar_pro != htons(ETH_P_IP) ||
	    hdr->ar_hln != ETH_ALEN || hdr->ar_pln != 4 ||
	    hdr->ar_op != htons(ARPOP_REQUEST))
		return CLNET_ARP_IGNORE;
	if (!is_broadcast_ether_addr(eth_dest) &&
	    !ether_addr_equal_unaligned(eth_dest, dev_addr))
		return CLNET_ARP_IGNORE;
	/* An answer goes back to the sender's MAC: it must be a station's. */
	if (!is_valid_ether_addr(body->sha))
		return CLNET_ARP_IGNORE;

	memcpy(req->sha, body->sha, ETH_ALEN);
	req->sip = get_unaligned(&body->sip);
	req->tip = get_unaligned(&body->tip);
	return req->sip ? CLNET_ARP_REQUEST : CLNET_ARP_PROBE;
}
EXPORT_SYMBOL_IF_KUNIT(clnet_arp_classify);

static void clnet_arp_fill(struct clnet_arp_frame *f, const u8 *eth_dest,
			   const u8 *src, u16 op, __be32 sip, const u8 *tha,
			   __be32 tip)
{
	memcpy(f->eth.h_dest, eth_dest, ETH_ALEN);
	memcpy(f->eth.h_source, src, ETH_ALEN);
	f->eth.h_proto = htons(ETH_P_ARP);
	f->arp.ar_hrd = htons(ARPHRD_ETHER);
	f->arp.ar_pro = htons(ETH_P_IP);
	f->arp.ar_hln = ETH_ALEN;
	f->arp.ar_pln = 4;
	f->arp.ar_op = htons(op);
	memcpy(f->body.sha, src, ETH_ALEN);
	put_unaligned(sip, &f->body.sip);
	memcpy(f->body.tha, tha, ETH_ALEN);
	put_unaligned(tip, &f->body.tip);
}

void clnet_arp_build_reply(void *buf, const u8 *dev_addr,
			   const struct clnet_arp_req *req)
{
	clnet_arp_fill(buf, req->sha, dev_addr, ARPOP_REPLY, req->tip,
		       req->sha, req->sip);
}
EXPORT_SYMBOL_IF_KUNIT(clnet_arp_build_reply);

void clnet_arp_build_garp(void *buf, const u8 *dev_addr, __be32 addr,
			  bool reply)
{
	static const u8 zero[ETH_ALEN];
	u8 bcast[ETH_ALEN];

	eth_broadcast_addr(bcast);
	clnet_arp_fill(buf, bcast, dev_addr,
		       reply ? ARPOP_REPLY : ARPOP_REQUEST, addr,
		       reply ? dev_addr : zero, addr);
}
EXPORT_SYMBOL_IF_KUNIT(clnet_arp_build_garp);
