/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clnet internal interfaces shared between the module's files.
 */
#ifndef _CLNET_H
#define _CLNET_H

#include <linux/bits.h>
#include <linux/clnet.h>
#include <linux/jump_label.h>
#include <net/genetlink.h>
#include <linux/netfilter.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "compat.h"

/* Features this build implements, reported by CLNET_CMD_GET_INFO. */
#define CLNET_FEATURES		(BIT_ULL(CLNET_FEATURE_LINK) | \
				 BIT_ULL(CLNET_FEATURE_FASTPATH))

/* Per network namespace state: every "node" in the tests is a netns. */
struct clnet_fp_stats;

struct clnet_net {
	/*
	 * fastpath.c; fp_enabled and fp_hook change under the genl mutex,
	 * fp_enabled is read locklessly by the pairs' transmit
	 */
	bool fp_enabled;
	struct nf_hook_ops fp_hook;
	struct clnet_fp_stats __percpu *fp_stats;
};

extern unsigned int clnet_net_id;

/*
 * GENL_REQ_ATTR_CHECK() with a message that names the missing attribute;
 * @msg must be a string literal. True (and extack set) if it is missing.
 */
#define CLNET_REQUIRE_ATTR(info, type, msg) ({				\
	struct genl_info *__info = (info);				\
	int __type = (type);						\
	bool __missing = !__info->attrs[__type];			\
									\
	if (__missing) {						\
		NL_SET_ERR_ATTR_MISS(__info->extack, NULL, __type);	\
		NL_SET_ERR_MSG(__info->extack, msg);			\
	}								\
	__missing;							\
})

static inline struct clnet_net *clnet_pernet(const struct net *net)
{
	return net_generic(net, clnet_net_id);
}

extern struct genl_family clnet_genl_family;

int clnet_genl_init(void);
void clnet_genl_exit(void);

/* link.c: the device pair */
int clnet_link_init(void);
void clnet_link_exit(void);
int clnet_link_new_doit(struct sk_buff *skb, struct genl_info *info);
int clnet_link_set_doit(struct sk_buff *skb, struct genl_info *info);
int clnet_link_del_doit(struct sk_buff *skb, struct genl_info *info);
int clnet_link_get_doit(struct sk_buff *skb, struct genl_info *info);
int clnet_link_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
bool clnet_link_is_primary(const struct net_device *dev);
bool clnet_link_xmit_direct(struct sk_buff *skb, struct net_device *dev);

/* fastpath.c: host routing */
int clnet_fastpath_net_init(struct clnet_net *cn);
void clnet_fastpath_net_pre_exit(struct net *net);
void clnet_fastpath_net_exit(struct net *net);
int clnet_fastpath_set(struct net *net, bool enable);
void clnet_fastpath_read(struct clnet_net *cn, u64 *forwarded, u64 *direct,
			 u64 *fallback);
bool __clnet_fastpath_pod_egress(struct sk_buff *skb, struct net_device *primary);
DECLARE_STATIC_KEY_FALSE(clnet_fp_in_use);

/* Until some netns turns the fast path on, the pairs do not even call. */
static inline bool clnet_fastpath_pod_egress(struct sk_buff *skb,
					     struct net_device *primary)
{
	return static_branch_unlikely(&clnet_fp_in_use) &&
	       __clnet_fastpath_pod_egress(skb, primary);
}

int clnet_fastpath_set_doit(struct sk_buff *skb, struct genl_info *info);
int clnet_fastpath_get_doit(struct sk_buff *skb, struct genl_info *info);

#endif /* _CLNET_H */
