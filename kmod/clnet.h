/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clnet internal interfaces shared between the module's files.
 */
#ifndef _CLNET_H
#define _CLNET_H

#include <linux/bits.h>
#include <linux/clnet.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "compat.h"

/* Features this build implements, reported by CLNET_CMD_GET_INFO. */
#define CLNET_FEATURES		0ULL

/* Per network namespace state: every "node" in the tests is a netns. */
struct clnet_net {
	struct net *net;
};

extern unsigned int clnet_net_id;

static inline struct clnet_net *clnet_pernet(const struct net *net)
{
	return net_generic(net, clnet_net_id);
}

int clnet_genl_init(void);
void clnet_genl_exit(void);

#endif /* _CLNET_H */
