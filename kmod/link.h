/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure helpers of the device pair's datapath, kept apart so that KUnit
 * can test them without a device.
 */
#ifndef _CLNET_LINK_H
#define _CLNET_LINK_H

#include <linux/if_ether.h>
#include <linux/types.h>

/*
 * An L3 end carries bare IP packets: the version nibble of the first byte
 * says which protocol the receiver sees. 0 means neither IPv4 nor IPv6.
 */
static inline __be16 clnet_l3_protocol(u8 first_byte)
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

#endif /* _CLNET_LINK_H */
