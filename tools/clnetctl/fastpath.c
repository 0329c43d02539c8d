// SPDX-License-Identifier: GPL-2.0
/*
 * clnetctl fastpath: switch the host-routing fast path of a netns on or
 * off, and show its counters.
 */
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/clnet.h>

#include "clnetctl.h"
#include "parse.h"

static const char *const fallback_names[] = {
	[CLNET_FP_FALLBACK_A_TTL]	= "ttl",
	[CLNET_FP_FALLBACK_A_MTU]	= "mtu",
	[CLNET_FP_FALLBACK_A_NEIGH]	= "neigh",
	[CLNET_FP_FALLBACK_A_CONNTRACK]	= "conntrack",
	[CLNET_FP_FALLBACK_A_ROUTE]	= "route",
	[CLNET_FP_FALLBACK_A_SOURCE]	= "source",
	[CLNET_FP_FALLBACK_A_REDIRECT]	= "redirect",
	[CLNET_FP_FALLBACK_A_OPTIONS]	= "options",
	[CLNET_FP_FALLBACK_A_OTHER]	= "other",
};

struct fp_info {
	bool enabled;
	uint64_t forwarded;
	uint64_t direct;
	uint64_t nat_original;
	uint64_t nat_reply;
	uint64_t fallback[CLNET_FP_FALLBACK_A_MAX + 1];
};

static int fp_cb(const struct nlmsghdr *nlh, void *data)
{
	struct fp_info *fp = data;
	struct nlattr *a, *b;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case CLNET_FASTPATH_A_ENABLED:
			if (mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
				fp->enabled = mnl_attr_get_u8(a);
			break;
		case CLNET_FASTPATH_A_FORWARDED:
			if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
				fp->forwarded = mnl_attr_get_u64(a);
			break;
		case CLNET_FASTPATH_A_DIRECT:
			if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
				fp->direct = mnl_attr_get_u64(a);
			break;
		case CLNET_FASTPATH_A_NAT_ORIGINAL:
			if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
				fp->nat_original = mnl_attr_get_u64(a);
			break;
		case CLNET_FASTPATH_A_NAT_REPLY:
			if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
				fp->nat_reply = mnl_attr_get_u64(a);
			break;
		case CLNET_FASTPATH_A_FALLBACK:
			mnl_attr_for_each_nested(b, a) {
				int t = mnl_attr_get_type(b);

				if (t >= CLNET_FP_FALLBACK_A_TTL &&
				    t <= CLNET_FP_FALLBACK_A_MAX &&
				    mnl_attr_validate(b, MNL_TYPE_U64) >= 0)
					fp->fallback[t] = mnl_attr_get_u64(b);
			}
			break;
		}
	}
	return MNL_CB_OK;
}

static int fp_show(struct ctx *c)
{
	struct fp_info fp = { 0 };
	struct nlmsghdr *nlh;
	struct json j;
	int i;

	nlh = clnet_nl_msg(&c->nl, CLNET_CMD_FASTPATH_GET, 0);
	if (clnet_nl_talk(&c->nl, nlh, fp_cb, &fp))
		return EXIT_FAIL;
	if (c->json) {
		json_init(&j, stdout, c->pretty);
		json_open(&j, NULL, '{');
		json_bool(&j, "enabled", fp.enabled);
		json_u64(&j, "forwarded", fp.forwarded);
		json_u64(&j, "direct", fp.direct);
		json_u64(&j, "nat_original", fp.nat_original);
		json_u64(&j, "nat_reply", fp.nat_reply);
		json_open(&j, "fallback", '{');
		for (i = CLNET_FP_FALLBACK_A_TTL; i <= CLNET_FP_FALLBACK_A_MAX; i++)
			json_u64(&j, fallback_names[i], fp.fallback[i]);
		json_close(&j, '}');
		json_close(&j, '}');
		json_end(&j);
		return EXIT_OK;
	}
	printf("fastpath %s\nforwarded %llu direct %llu nat-original %llu nat-reply %llu\n"
	       "fallback", fp.enabled ? "on" : "off", (unsigned long long)fp.forwarded,
	       (unsigned long long)fp.direct, (unsigned long long)fp.nat_original,
	       (unsigned long long)fp.nat_reply);
	for (i = CLNET_FP_FALLBACK_A_TTL; i <= CLNET_FP_FALLBACK_A_MAX; i++)
		printf(" %s %llu", fallback_names[i], (unsigned long long)fp.fallback[i]);
	printf("\n");
	return EXIT_OK;
}

enum fp_cmd { FP_ON, FP_OFF, FP_SHOW };

static const struct keyword fp_cmds[] = {
	{ "on", FP_ON },
	{ "off", FP_OFF },
	{ "show", FP_SHOW },
	{ NULL },
};

int cmd_fastpath(struct ctx *c, int argc, char **argv)
{
	struct nlmsghdr *nlh;
	int cmd, ret;

	if (argc > 0 && is_help(argv[0])) {
		printf("Usage: clnetctl fastpath { on | off | show }\n"
		       "Forwarded pod traffic in this netns bypasses the kernel's forwarding\n"
		       "path (and netfilter FORWARD/POSTROUTING) when on; off by default.\n");
		return EXIT_OK;
	}
	cmd = argc ? keyword_id(argv[0], fp_cmds) : FP_SHOW;
	if (cmd < 0)
		return usage_error("fastpath: \"%s\" is %s; use on, off or show", argv[0],
				   cmd == MATCH_AMBIGUOUS ? "ambiguous" : "unknown");
	if (argc > 1)
		return usage_error("fastpath %s: unexpected \"%s\"",
				   keyword_name(fp_cmds, cmd), argv[1]);
	ret = ctx_nl(c);
	if (ret)
		return ret;
	if (cmd == FP_SHOW)
		return fp_show(c);
	nlh = clnet_nl_msg(&c->nl, CLNET_CMD_FASTPATH_SET, 0);
	mnl_attr_put_u8(nlh, CLNET_FASTPATH_A_ENABLED, cmd == FP_ON);
	return clnet_nl_talk(&c->nl, nlh, NULL, NULL) ? EXIT_FAIL : EXIT_OK;
}
