// SPDX-License-Identifier: GPL-2.0
/*
 * clnetctl version: the CLI's version and what the loaded module says
 * about itself (CLNET_CMD_GET_INFO).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/clnet.h>

#include "clnetctl.h"

static const char *const feature_names[__CLNET_FEATURE_MAX] = {
	[CLNET_FEATURE_LINK]		= "link",
	[CLNET_FEATURE_FASTPATH]	= "fastpath",
	[CLNET_FEATURE_MASQ]		= "masq",
	[CLNET_FEATURE_ANNOUNCE]	= "announce",
	[CLNET_FEATURE_EVENTS]		= "events",
};

struct info {
	char version[64];
	uint32_t genl_version;
	uint64_t features;
	uint32_t families;
};

static int info_cb(const struct nlmsghdr *nlh, void *data)
{
	struct info *info = data;
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case CLNET_INFO_A_VERSION:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
				snprintf(info->version, sizeof(info->version),
					 "%s", mnl_attr_get_str(a));
			break;
		case CLNET_INFO_A_GENL_VERSION:
			if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
				info->genl_version = mnl_attr_get_u32(a);
			break;
		case CLNET_INFO_A_FEATURES:
			if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
				info->features = mnl_attr_get_u64(a);
			break;
		case CLNET_INFO_A_FAMILIES:
			if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
				info->families = mnl_attr_get_u32(a);
			break;
		}
	}
	return MNL_CB_OK;
}

/* A feature's name; a newer module than this CLI may set unknown bits. */
static const char *feature_name(int bit, char *buf, size_t len)
{
	if (bit < __CLNET_FEATURE_MAX)
		return feature_names[bit];
	snprintf(buf, len, "bit%d", bit);
	return buf;
}

int ctx_need_feature(struct ctx *c, int feature, const char *what)
{
	struct info info = { 0 };
	struct nlmsghdr *nlh;
	int ret;

	ret = ctx_nl(c);
	if (ret)
		return ret;
	if (c->features_seen & (1ULL << feature))
		return EXIT_OK;
	nlh = clnet_nl_msg(&c->nl, CLNET_CMD_GET_INFO, 0);
	if (clnet_nl_talk(&c->nl, nlh, info_cb, &info))
		return EXIT_FAIL;
	c->features_seen = info.features;
	if (info.features & (1ULL << feature))
		return EXIT_OK;
	fprintf(stderr,
		"clnetctl: the loaded clnet module (version %s) has no %s (feature \"%s\"); load a clnet.ko that has it\n",
		info.version[0] ? info.version : "unknown", what, feature_names[feature]);
	return EXIT_FAIL;
}

static void print_text(const struct info *info)
{
	char buf[8];
	int i;

	printf("clnet module %s (genl family %s version %u)\n",
	       info->version, CLNET_GENL_NAME, info->genl_version);
	printf("features:");
	for (i = 0; i < 64; i++)
		if (info->features & (1ULL << i))
			printf(" %s", feature_name(i, buf, sizeof(buf)));
	printf("%s\n", info->features ? "" : " none");
	printf("address families:%s\n",
	       info->families & (1U << AF_INET) ? " inet" : " none");
}

static void print_json(struct ctx *c, const struct info *info, bool have)
{
	char buf[8];
	struct json j;
	int i;

	json_init(&j, stdout, c->pretty);
	json_open(&j, NULL, '{');
	json_str(&j, "clnetctl", CLNET_VERSION);
	if (have) {
		json_open(&j, "module", '{');
		json_str(&j, "version", info->version);
		json_u64(&j, "genl_version", info->genl_version);
		json_open(&j, "features", '[');
		for (i = 0; i < 64; i++)
			if (info->features & (1ULL << i))
				json_str(&j, NULL, feature_name(i, buf, sizeof(buf)));
		json_close(&j, ']');
		json_open(&j, "families", '[');
		if (info->families & (1U << AF_INET))
			json_str(&j, NULL, "inet");
		json_close(&j, ']');
		json_close(&j, '}');
	}
	json_close(&j, '}');
	json_end(&j);
}

int cmd_version(struct ctx *c, int argc, char **argv)
{
	struct info info = { 0 };
	struct nlmsghdr *nlh;
	int ret;

	if (argc > 0 && is_help(argv[0])) {
		printf("Usage: clnetctl [-j [-p]] version\n"
		       "Print clnetctl's version and the loaded module's version and features.\n");
		return EXIT_OK;
	}
	if (argc > 0)
		return usage_error("version takes no arguments, got '%s'", argv[0]);

	if (!c->json)
		printf("clnetctl %s\n", CLNET_VERSION);
	ret = ctx_nl(c);
	if (ret) {
		if (c->json)
			print_json(c, &info, false);
		return ret;
	}
	nlh = clnet_nl_msg(&c->nl, CLNET_CMD_GET_INFO, 0);
	if (clnet_nl_talk(&c->nl, nlh, info_cb, &info))
		return EXIT_FAIL;
	if (c->json)
		print_json(c, &info, true);
	else
		print_text(&info);
	return EXIT_OK;
}
