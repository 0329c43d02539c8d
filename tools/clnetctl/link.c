// SPDX-License-Identifier: GPL-2.0
/*
 * clnetctl link: create, change, delete and show clnet device pairs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/clnet.h>

#include "clnetctl.h"
#include "parse.h"

static const struct keyword modes[] = {
	{ "l3", CLNET_LINK_MODE_L3 },
	{ "l2", CLNET_LINK_MODE_L2 },
	{ NULL },
};

static const struct keyword policies[] = {
	{ "forward", CLNET_LINK_POLICY_FORWARD },
	{ "blackhole", CLNET_LINK_POLICY_BLACKHOLE },
	{ NULL },
};

/* The KEYWORD VALUE pairs of link add and link set. */
enum link_kw { KW_PEER, KW_NETNS, KW_MODE, KW_POLICY, KW_PEER_POLICY, KW_MTU };

static const struct keyword add_keywords[] = {
	{ "peer", KW_PEER },
	{ "netns", KW_NETNS },
	{ "mode", KW_MODE },
	{ "policy", KW_POLICY },
	{ "peer-policy", KW_PEER_POLICY },
	{ "mtu", KW_MTU },
	{ NULL },
};

/* mode is fixed at creation: it is sent so that the kernel says so. */
static const struct keyword set_keywords[] = {
	{ "policy", KW_POLICY },
	{ "peer-policy", KW_PEER_POLICY },
	{ "mtu", KW_MTU },
	{ "mode", KW_MODE },
	{ NULL },
};

static void link_usage(FILE *f)
{
	fprintf(f,
		"Usage: clnetctl link add NAME peer PEER [ netns { NETNS | PID } ]\n"
		"                         [ mode { l3 | l2 } ] [ policy POLICY ]\n"
		"                         [ peer-policy POLICY ] [ mtu MTU ]\n"
		"       clnetctl link set [ dev ] NAME { policy POLICY | peer-policy POLICY |\n"
		"                                        mtu MTU } ...\n"
		"       clnetctl link del [ dev ] NAME\n"
		"       clnetctl link show [ [ dev ] NAME ]\n"
		"POLICY := { forward | blackhole }\n"
		"NAME is the primary end (it stays in this netns); PEER goes to NETNS\n"
		"(a name under /run/netns or a path) or to the netns of process PID.\n");
}

/* Parse "KEYWORD VALUE" where VALUE is one of @table; puts a u32 attr. */
static int put_choice(struct nlmsghdr *nlh, int type, const char *what,
		      const char *val, const struct keyword *table)
{
	int id = keyword_id(val, table);

	if (id < 0)
		return usage_error("%s \"%s\" is %s", what, val,
				   id == MATCH_AMBIGUOUS ? "ambiguous" : "unknown");
	mnl_attr_put_u32(nlh, type, (uint32_t)id);
	return EXIT_OK;
}

static int put_mtu(struct nlmsghdr *nlh, const char *val)
{
	uint32_t mtu;

	if (parse_u32(val, 68, 65535, &mtu))
		return usage_error("mtu \"%s\" is not a number from 68 to 65535", val);
	mnl_attr_put_u32(nlh, CLNET_LINK_A_MTU, mtu);
	return EXIT_OK;
}

static int put_name(struct nlmsghdr *nlh, int type, const char *what,
		    const char *name)
{
	if (!valid_ifname(name))
		return usage_error("%s \"%s\" is not a valid interface name", what, name);
	mnl_attr_put_strz(nlh, type, name);
	return EXIT_OK;
}

/* netns NAME|PATH|PID: a PID is passed as is, a name as an open fd. */
static int put_netns(struct nlmsghdr *nlh, const char *val, int *fd)
{
	char path[4096];
	uint32_t pid;

	if (!parse_u32(val, 1, UINT32_MAX, &pid)) {
		mnl_attr_put_u32(nlh, CLNET_LINK_A_PEER_NETNS_PID, pid);
		return EXIT_OK;
	}
	snprintf(path, sizeof(path), "%s%s", strchr(val, '/') ? "" : "/run/netns/", val);
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0) {
		fprintf(stderr, "clnetctl: cannot open network namespace \"%s\": %s\n",
			val, strerror(errno));
		return EXIT_FAIL;
	}
	mnl_attr_put_u32(nlh, CLNET_LINK_A_PEER_NETNS_FD, (uint32_t)*fd);
	return EXIT_OK;
}

/* A LINK_NEW or LINK_SET request being built. */
struct link_req {
	struct nlmsghdr *nlh;
	const char *cmd;	/* "add" or "set", for messages */
	int netns_fd;		/* to close once sent, or -1 */
	bool have_peer;
};

/*
 * The "KEYWORD VALUE" at argv[i] (a keyword of @table): check it and put
 * its attribute in the request.
 */
static int put_keyword(struct link_req *r, const struct keyword *table,
		       int argc, char **argv, int i)
{
	struct nlmsghdr *nlh = r->nlh;
	int k = MATCH_NAME(argv[i], table);

	if (k < 0)
		return usage_error("link %s: keyword \"%s\" is %s", r->cmd, argv[i],
				   k == MATCH_AMBIGUOUS ? "ambiguous" : "unknown");
	if (i + 1 >= argc)
		return usage_error("link %s: \"%s\" needs a value", r->cmd,
				   table[k].name);
	switch ((enum link_kw)table[k].id) {
	case KW_PEER:
		r->have_peer = true;
		return put_name(nlh, CLNET_LINK_A_PEER_IFNAME, "PEER", argv[i + 1]);
	case KW_NETNS:
		if (r->netns_fd >= 0)
			return usage_error("link %s: netns given twice", r->cmd);
		return put_netns(nlh, argv[i + 1], &r->netns_fd);
	case KW_MODE:
		return put_choice(nlh, CLNET_LINK_A_MODE, "mode", argv[i + 1], modes);
	case KW_POLICY:
		return put_choice(nlh, CLNET_LINK_A_POLICY, "policy", argv[i + 1],
				  policies);
	case KW_PEER_POLICY:
		return put_choice(nlh, CLNET_LINK_A_PEER_POLICY, "policy", argv[i + 1],
				  policies);
	case KW_MTU:
		return put_mtu(nlh, argv[i + 1]);
	}
	return EXIT_USAGE;
}

static int link_add(struct ctx *c, int argc, char **argv)
{
	struct link_req r = { .cmd = "add", .netns_fd = -1 };
	int i, ret;

	if (argc < 1)
		return usage_error("link add needs a NAME");
	ret = ctx_nl(c);
	if (ret)
		return ret;
	r.nlh = clnet_nl_msg(&c->nl, CLNET_CMD_LINK_NEW, 0);
	ret = put_name(r.nlh, CLNET_LINK_A_IFNAME, "NAME", argv[0]);
	for (i = 1; !ret && i < argc; i += 2)
		ret = put_keyword(&r, add_keywords, argc, argv, i);
	if (!ret && !r.have_peer)
		ret = usage_error("link add needs \"peer PEER\"");
	if (!ret && clnet_nl_talk(&c->nl, r.nlh, NULL, NULL))
		ret = EXIT_FAIL;
	if (r.netns_fd >= 0)
		close(r.netns_fd);
	return ret;
}

/* [dev] NAME, the way iproute2 lets "dev" be left out. */
static int take_dev(int *argc, char ***argv, const char *cmd)
{
	if (*argc >= 2 && !strcmp((*argv)[0], "dev")) {
		(*argc)--;
		(*argv)++;
	}
	if (*argc < 1)
		return usage_error("link %s needs a device NAME", cmd);
	return EXIT_OK;
}

static int link_set(struct ctx *c, int argc, char **argv)
{
	struct link_req r = { .cmd = "set", .netns_fd = -1 };
	int i, ret;

	ret = take_dev(&argc, &argv, "set");
	if (ret)
		return ret;
	if (argc < 3)
		return usage_error("link set needs something to change");
	ret = ctx_nl(c);
	if (ret)
		return ret;
	r.nlh = clnet_nl_msg(&c->nl, CLNET_CMD_LINK_SET, 0);
	ret = put_name(r.nlh, CLNET_LINK_A_IFNAME, "NAME", argv[0]);
	for (i = 1; !ret && i < argc; i += 2)
		ret = put_keyword(&r, set_keywords, argc, argv, i);
	if (!ret && clnet_nl_talk(&c->nl, r.nlh, NULL, NULL))
		ret = EXIT_FAIL;
	return ret;
}

static int link_del(struct ctx *c, int argc, char **argv)
{
	struct nlmsghdr *nlh;
	int ret;

	ret = take_dev(&argc, &argv, "del");
	if (ret)
		return ret;
	if (argc > 1)
		return usage_error("link del: unexpected \"%s\"", argv[1]);
	ret = ctx_nl(c);
	if (ret)
		return ret;
	nlh = clnet_nl_msg(&c->nl, CLNET_CMD_LINK_DEL, 0);
	ret = put_name(nlh, CLNET_LINK_A_IFNAME, "NAME", argv[0]);
	if (!ret && clnet_nl_talk(&c->nl, nlh, NULL, NULL))
		ret = EXIT_FAIL;
	return ret;
}

struct link_info {
	uint32_t ifindex, peer_ifindex, mode, policy, peer_policy, mtu;
	int32_t peer_netnsid;
	bool has_netnsid, primary, carrier;
	char name[16], peer_name[16];
};

struct show_state {
	struct ctx *c;
	struct json j;
	unsigned int n;
};

/* @v's name in @table; a newer module may send values this CLI lacks. */
static const char *name_of(const struct keyword *table, uint32_t v)
{
	const char *name = v <= INT32_MAX ? keyword_name(table, (int)v) : NULL;

	return name ? name : "unknown";
}

static void print_link(struct show_state *st, const struct link_info *l)
{
	const char *mode = name_of(modes, l->mode);
	const char *pol = name_of(policies, l->policy);
	const char *ppol = name_of(policies, l->peer_policy);

	if (!st->c->json) {
		printf("%u: %s: peer %s", l->ifindex, l->name, l->peer_name);
		if (l->has_netnsid)
			printf(" netnsid %d", l->peer_netnsid);
		printf(" peer-ifindex %u mode %s mtu %u policy %s peer-policy %s %s carrier %s\n",
		       l->peer_ifindex, mode, l->mtu, pol, ppol,
		       l->primary ? "primary" : "peer", l->carrier ? "up" : "down");
		return;
	}
	json_open(&st->j, NULL, '{');
	json_u64(&st->j, "ifindex", l->ifindex);
	json_str(&st->j, "ifname", l->name);
	json_str(&st->j, "peer", l->peer_name);
	json_u64(&st->j, "peer_ifindex", l->peer_ifindex);
	if (l->has_netnsid)
		json_u64(&st->j, "peer_netnsid", (uint64_t)l->peer_netnsid);
	json_str(&st->j, "mode", mode);
	json_u64(&st->j, "mtu", l->mtu);
	json_str(&st->j, "policy", pol);
	json_str(&st->j, "peer_policy", ppol);
	json_bool(&st->j, "primary", l->primary);
	json_bool(&st->j, "carrier", l->carrier);
	json_close(&st->j, '}');
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct show_state *st = data;
	struct link_info l = { 0 };
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		int type = mnl_attr_get_type(a);

		switch (type) {
		case CLNET_LINK_A_IFNAME:
		case CLNET_LINK_A_PEER_IFNAME:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
				return MNL_CB_ERROR;
			snprintf(type == CLNET_LINK_A_IFNAME ? l.name : l.peer_name,
				 sizeof(l.name), "%s", mnl_attr_get_str(a));
			break;
		case CLNET_LINK_A_PRIMARY:
			l.primary = true;
			break;
		case CLNET_LINK_A_CARRIER:
			if (mnl_attr_validate(a, MNL_TYPE_U8) < 0)
				return MNL_CB_ERROR;
			l.carrier = mnl_attr_get_u8(a);
			break;
		case CLNET_LINK_A_PEER_NETNSID:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				return MNL_CB_ERROR;
			l.peer_netnsid = (int32_t)mnl_attr_get_u32(a);
			l.has_netnsid = true;
			break;
		case CLNET_LINK_A_IFINDEX:
		case CLNET_LINK_A_PEER_IFINDEX:
		case CLNET_LINK_A_MODE:
		case CLNET_LINK_A_POLICY:
		case CLNET_LINK_A_PEER_POLICY:
		case CLNET_LINK_A_MTU: {
			uint32_t *dst[] = {
				[CLNET_LINK_A_IFINDEX] = &l.ifindex,
				[CLNET_LINK_A_PEER_IFINDEX] = &l.peer_ifindex,
				[CLNET_LINK_A_MODE] = &l.mode,
				[CLNET_LINK_A_POLICY] = &l.policy,
				[CLNET_LINK_A_PEER_POLICY] = &l.peer_policy,
				[CLNET_LINK_A_MTU] = &l.mtu,
			};

			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				return MNL_CB_ERROR;
			*dst[type] = mnl_attr_get_u32(a);
			break;
		}
		}
	}
	print_link(st, &l);
	st->n++;
	return MNL_CB_OK;
}

static int link_show(struct ctx *c, int argc, char **argv)
{
	struct show_state st = { .c = c };
	struct nlmsghdr *nlh;
	int ret;

	if (argc > 0) {
		ret = take_dev(&argc, &argv, "show");
		if (ret)
			return ret;
		if (argc > 1)
			return usage_error("link show: unexpected \"%s\"", argv[1]);
	}
	ret = ctx_nl(c);
	if (ret)
		return ret;
	nlh = clnet_nl_msg(&c->nl, CLNET_CMD_LINK_GET, argc ? 0 : NLM_F_DUMP);
	if (argc) {
		ret = put_name(nlh, CLNET_LINK_A_IFNAME, "NAME", argv[0]);
		if (ret)
			return ret;
	}
	json_list_begin(c, &st.j);
	ret = clnet_nl_talk(&c->nl, nlh, link_cb, &st) ? EXIT_FAIL : EXIT_OK;
	json_list_end(c, &st.j);
	return ret;
}

const struct subcommand link_cmds[] = {
	{ .name = "add",	.run = link_add },
	{ .name = "set",	.run = link_set },
	{ .name = "del",	.run = link_del },
	{ .name = "show",	.run = link_show },
	{ NULL },
};

int cmd_link(struct ctx *c, int argc, char **argv)
{
	return run_subcommand(c, "link", link_cmds, link_usage, argc, argv);
}
