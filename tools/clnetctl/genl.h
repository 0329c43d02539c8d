/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Talking to the clnet generic netlink family.
 */
#ifndef CLNETCTL_GENL_H
#define CLNETCTL_GENL_H

#include "nl.h"

struct clnet_nl {
	struct nl_sock s;
	uint16_t family;
	/* The id of the family's CLNET_MCGRP_EVENTS group; 0 if it has none. */
	uint32_t events_group;
};

/*
 * Open a socket and resolve the clnet family (and its events group) in
 * the current netns.
 * Returns 0, or -ENOENT when the module is not loaded (after saying so),
 * or another negative errno (after printing why).
 */
int clnet_nl_open(struct clnet_nl *nl);
void clnet_nl_close(struct clnet_nl *nl);

/* Start a request for @cmd. */
struct nlmsghdr *clnet_nl_msg(struct clnet_nl *nl, uint8_t cmd, uint16_t flags);

static inline int clnet_nl_talk(struct clnet_nl *nl, struct nlmsghdr *nlh,
				mnl_cb_t cb, void *data)
{
	return nl_talk(&nl->s, nlh, cb, data);
}

#endif /* CLNETCTL_GENL_H */
