// SPDX-License-Identifier: GPL-2.0
/*
 * clnetctl addroute / delroute / route: IPv4 routes in the kernel FIB,
 * installed over rtnetlink and tagged with clnet's route protocol so that
 * show and flush touch only clnet's routes. The FIB stays the one source
 * of truth; the module reads it, it never keeps a copy.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>
#include <linux/clnet.h>

#include "clnetctl.h"
#include "parse.h"

struct route_req {
	struct ipv4_prefix dst;
	struct in_addr gw;
	bool has_gw;
	uint32_t oif;
	uint32_t table;		/* 0: main for changes, all for show/flush */
	uint32_t metric;
	bool has_metric;
};

static void route_usage(FILE *f)
{
	fprintf(f,
		"Usage: clnetctl addroute PREFIX { dev DEV | via GW [ dev DEV ] } [ OPTIONS ]\n"
		"       clnetctl delroute PREFIX [ via GW ] [ dev DEV ] [ OPTIONS ]\n"
		"       clnetctl route { add | replace | del } PREFIX ...   (same arguments)\n"
		"       clnetctl route show [ table TABLE | all ]\n"
		"       clnetctl route flush [ table TABLE | all ]\n"
		"       clnetctl route get ADDR\n"
		"OPTIONS := [ table TABLE ] [ metric N ]\n"
		"TABLE   := { main | local | default | NUMBER }\n"
		"Only routes with clnet's protocol (%u) are shown, deleted or flushed.\n",
		CLNET_RTPROT);
}

/* The table of show and flush that stands for every table. */
#define TABLE_ALL	RT_TABLE_UNSPEC

static int parse_table(const char *s, bool allow_all, uint32_t *table)
{
	static const struct keyword names[] = {
		{ "main", RT_TABLE_MAIN },
		{ "local", RT_TABLE_LOCAL },
		{ "default", RT_TABLE_DEFAULT },
		{ "all", TABLE_ALL },
		{ NULL },
	};
	int id = keyword_id(s, names);

	if (id >= 0 && (id != TABLE_ALL || allow_all)) {
		*table = (uint32_t)id;
		return 0;
	}
	if (!parse_u32(s, 1, UINT32_MAX, table))
		return 0;
	return usage_error("table \"%s\" is not main, local, default%s or a number",
			   s, allow_all ? ", all" : "");
}

enum route_kw { KW_VIA, KW_DEV, KW_TABLE, KW_METRIC };

/* PREFIX [via GW] [dev DEV] [table T] [metric N], any order after PREFIX. */
static int parse_route(int argc, char **argv, struct route_req *r)
{
	static const struct keyword kw[] = {
		{ "via", KW_VIA },
		{ "dev", KW_DEV },
		{ "table", KW_TABLE },
		{ "metric", KW_METRIC },
		{ NULL },
	};
	int i, k;

	memset(r, 0, sizeof(*r));
	if (argc < 1)
		return usage_error("a route needs a PREFIX");
	if (parse_ipv4_prefix(argv[0], true, &r->dst))
		return usage_error("\"%s\" is not an IPv4 prefix without host bits (A.B.C.D/LEN)",
				   argv[0]);
	for (i = 1; i < argc; i += 2) {
		k = MATCH_NAME(argv[i], kw);
		if (k < 0)
			return usage_error("route: keyword \"%s\" is %s", argv[i],
					   k == MATCH_AMBIGUOUS ? "ambiguous" : "unknown");
		if (i + 1 >= argc)
			return usage_error("route: \"%s\" needs a value", kw[k].name);
		switch ((enum route_kw)kw[k].id) {
		case KW_VIA:
			if (parse_ipv4_addr(argv[i + 1], &r->gw))
				return usage_error("gateway \"%s\" is not an IPv4 address",
						   argv[i + 1]);
			r->has_gw = true;
			break;
		case KW_DEV:
			if (!valid_ifname(argv[i + 1]))
				return usage_error("\"%s\" is not a valid interface name",
						   argv[i + 1]);
			r->oif = if_nametoindex(argv[i + 1]);
			if (!r->oif) {
				fprintf(stderr, "clnetctl: cannot find device \"%s\"\n",
					argv[i + 1]);
				return EXIT_FAIL;
			}
			break;
		case KW_TABLE:
			if (parse_table(argv[i + 1], false, &r->table))
				return EXIT_USAGE;
			break;
		case KW_METRIC:
			if (parse_u32(argv[i + 1], 0, UINT32_MAX, &r->metric))
				return usage_error("metric \"%s\" is not a number", argv[i + 1]);
			r->has_metric = true;
			break;
		}
	}
	return EXIT_OK;
}

static void put_table(struct nlmsghdr *nlh, struct rtmsg *rtm, uint32_t table)
{
	if (table < 256) {
		rtm->rtm_table = (uint8_t)table;
	} else {
		rtm->rtm_table = RT_TABLE_UNSPEC;
		mnl_attr_put_u32(nlh, RTA_TABLE, table);
	}
}

/* Build RTM_NEWROUTE / RTM_DELROUTE for @r in the socket's tx buffer. */
static struct nlmsghdr *route_msg(struct nl_sock *s, const struct route_req *r,
				  uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = nl_msg(s, type, flags);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));

	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = r->dst.len;
	rtm->rtm_protocol = CLNET_RTPROT;	/* deletes match it too */
	rtm->rtm_type = RTN_UNICAST;
	if (type == RTM_NEWROUTE)
		rtm->rtm_scope = r->has_gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	else
		rtm->rtm_scope = RT_SCOPE_NOWHERE;
	put_table(nlh, rtm, r->table ? r->table : RT_TABLE_MAIN);
	mnl_attr_put(nlh, RTA_DST, sizeof(r->dst.addr), &r->dst.addr);
	if (r->has_gw)
		mnl_attr_put(nlh, RTA_GATEWAY, sizeof(r->gw), &r->gw);
	if (r->oif)
		mnl_attr_put_u32(nlh, RTA_OIF, r->oif);
	if (r->has_metric)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, r->metric);
	return nlh;
}

enum route_op { ROUTE_ADD, ROUTE_REPLACE, ROUTE_DEL };

static int route_change(struct ctx *c, enum route_op op, int argc, char **argv)
{
	static const uint16_t flags[] = {
		[ROUTE_ADD] = NLM_F_CREATE | NLM_F_EXCL,
		[ROUTE_REPLACE] = NLM_F_CREATE | NLM_F_REPLACE,
		[ROUTE_DEL] = 0,
	};
	struct nlmsghdr *nlh;
	struct route_req r;
	int ret;

	if (argc > 0 && is_help(argv[0])) {
		route_usage(stdout);
		return EXIT_OK;
	}
	ret = parse_route(argc, argv, &r);
	if (ret)
		return ret;
	if (op != ROUTE_DEL && !r.has_gw && !r.oif)
		return usage_error("a route needs \"dev DEV\" or \"via GW\"");
	ret = ctx_rtnl(c);
	if (ret)
		return ret;
	nlh = route_msg(&c->rtnl, &r, op == ROUTE_DEL ? RTM_DELROUTE : RTM_NEWROUTE,
			flags[op]);
	/* In batch mode changes are pipelined; failures come back by line. */
	if (c->pipeline)
		return ctx_submit(c, nlh);
	return nl_talk(&c->rtnl, nlh, NULL, NULL) ? EXIT_FAIL : EXIT_OK;
}


/* ---- show / flush / get ---- */

struct route_info {
	struct in_addr dst, gw, prefsrc;
	uint8_t dst_len, protocol, type;
	uint32_t table, oif, metric;
	bool has_gw, has_metric, has_prefsrc;
};

static int parse_route_msg(const struct nlmsghdr *nlh, struct route_info *ri)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct nlattr *a;

	memset(ri, 0, sizeof(*ri));
	if (rtm->rtm_family != AF_INET)
		return -1;
	ri->dst_len = rtm->rtm_dst_len;
	ri->protocol = rtm->rtm_protocol;
	ri->type = rtm->rtm_type;
	ri->table = rtm->rtm_table;
	mnl_attr_for_each(a, nlh, sizeof(*rtm)) {
		switch (mnl_attr_get_type(a)) {
		case RTA_DST:
			if (mnl_attr_get_payload_len(a) == 4)
				memcpy(&ri->dst, mnl_attr_get_payload(a), 4);
			break;
		case RTA_GATEWAY:
			if (mnl_attr_get_payload_len(a) == 4) {
				memcpy(&ri->gw, mnl_attr_get_payload(a), 4);
				ri->has_gw = true;
			}
			break;
		case RTA_PREFSRC:
			if (mnl_attr_get_payload_len(a) == 4) {
				memcpy(&ri->prefsrc, mnl_attr_get_payload(a), 4);
				ri->has_prefsrc = true;
			}
			break;
		case RTA_OIF:
			if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
				ri->oif = mnl_attr_get_u32(a);
			break;
		case RTA_TABLE:
			if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
				ri->table = mnl_attr_get_u32(a);
			break;
		case RTA_PRIORITY:
			if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0) {
				ri->metric = mnl_attr_get_u32(a);
				ri->has_metric = true;
			}
			break;
		}
	}
	return 0;
}

static const char *table_name(uint32_t table, char *buf, size_t len)
{
	switch (table) {
	case RT_TABLE_MAIN:
		return "main";
	case RT_TABLE_LOCAL:
		return "local";
	case RT_TABLE_DEFAULT:
		return "default";
	}
	snprintf(buf, len, "%u", table);
	return buf;
}

struct show_state {
	struct ctx *c;
	struct json j;
	uint32_t table;		/* 0: all */
	bool get;		/* route get: any protocol, print src */
	struct route_info *collect;	/* flush: gather instead of print */
	size_t n, cap;
};

static void print_route(struct show_state *st, const struct route_info *ri)
{
	char dst[INET_ADDRSTRLEN], gw[INET_ADDRSTRLEN], src[INET_ADDRSTRLEN];
	char ifname[IF_NAMESIZE] = "?", tbuf[16];
	const char *table = table_name(ri->table, tbuf, sizeof(tbuf));

	inet_ntop(AF_INET, &ri->dst, dst, sizeof(dst));
	inet_ntop(AF_INET, &ri->gw, gw, sizeof(gw));
	inet_ntop(AF_INET, &ri->prefsrc, src, sizeof(src));
	if (ri->oif && !if_indextoname(ri->oif, ifname))
		snprintf(ifname, sizeof(ifname), "if%u", ri->oif);

	if (st->c->json) {
		json_open(&st->j, NULL, '{');
		json_str(&st->j, "dst", dst);
		json_u64(&st->j, "dst_len", ri->dst_len);
		if (ri->has_gw)
			json_str(&st->j, "gateway", gw);
		if (ri->oif)
			json_str(&st->j, "dev", ifname);
		if (ri->has_prefsrc)
			json_str(&st->j, "prefsrc", src);
		if (ri->has_metric)
			json_u64(&st->j, "metric", ri->metric);
		json_str(&st->j, "table", table);
		json_close(&st->j, '}');
		return;
	}
	if (st->get)
		printf("%s", dst);
	else
		printf("%s/%u", dst, ri->dst_len);
	if (ri->has_gw)
		printf(" via %s", gw);
	if (ri->oif)
		printf(" dev %s", ifname);
	if (ri->has_prefsrc)
		printf(" src %s", src);
	if (ri->has_metric)
		printf(" metric %u", ri->metric);
	if (!st->get && ri->table != RT_TABLE_MAIN)
		printf(" table %s", table);
	printf("\n");
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct show_state *st = data;
	struct route_info ri;

	if (nlh->nlmsg_type != RTM_NEWROUTE || parse_route_msg(nlh, &ri))
		return MNL_CB_OK;
	if (!st->get && (ri.protocol != CLNET_RTPROT ||
			 (st->table && ri.table != st->table)))
		return MNL_CB_OK;
	if (st->cap) {
		if (st->n == st->cap) {
			struct route_info *n = realloc(st->collect,
						       2 * st->cap * sizeof(*n));

			if (!n)
				return MNL_CB_ERROR;
			st->collect = n;
			st->cap *= 2;
		}
		st->collect[st->n++] = ri;
		return MNL_CB_OK;
	}
	print_route(st, &ri);
	return MNL_CB_OK;
}

static int dump_routes(struct ctx *c, struct show_state *st)
{
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	nlh = nl_msg(&c->rtnl, RTM_GETROUTE, NLM_F_DUMP);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	return nl_talk(&c->rtnl, nlh, route_cb, st) ? EXIT_FAIL : EXIT_OK;
}

static int parse_table_filter(int argc, char **argv, const char *cmd, uint32_t *table)
{
	*table = RT_TABLE_MAIN;
	if (argc == 0)
		return EXIT_OK;
	if (argc == 1 && !strcmp(argv[0], "all")) {
		*table = TABLE_ALL;
		return EXIT_OK;
	}
	if (argc == 2 && keyword_is(argv[0], "table"))
		return parse_table(argv[1], true, table) ? EXIT_USAGE : EXIT_OK;
	return usage_error("route %s takes [ table TABLE | all ]", cmd);
}

static int route_show(struct ctx *c, int argc, char **argv)
{
	struct show_state st = { .c = c };
	int ret;

	ret = parse_table_filter(argc, argv, "show", &st.table);
	if (!ret)
		ret = ctx_rtnl(c);
	if (ret)
		return ret;
	json_list_begin(c, &st.j);
	ret = dump_routes(c, &st);
	json_list_end(c, &st.j);
	return ret;
}

static void flush_done(uint32_t seq, int err, void *data)
{
	int *failed = data;

	(void)seq;
	if (err && err != -ESRCH)	/* already gone is fine */
		(*failed)++;
}

static int route_flush(struct ctx *c, int argc, char **argv)
{
	struct show_state st = { .c = c, .cap = 256 };
	struct nlmsghdr *nlh;
	unsigned int in_flight = 0;
	int ret, failed = 0;
	size_t i;

	ret = parse_table_filter(argc, argv, "flush", &st.table);
	if (!ret)
		ret = ctx_rtnl(c);
	if (ret)
		return ret;
	st.collect = malloc(st.cap * sizeof(*st.collect));
	if (!st.collect)
		return EXIT_FAIL;
	ret = dump_routes(c, &st);
	/* Delete what the dump found, many requests in flight at once. */
	for (i = 0; !ret && i < st.n; i++) {
		const struct route_info *ri = &st.collect[i];
		struct route_req r = {
			.dst = { .addr = ri->dst, .len = ri->dst_len },
			.table = ri->table,
			.metric = ri->metric,
			.has_metric = ri->has_metric,
		};

		nlh = route_msg(&c->rtnl, &r, RTM_DELROUTE, 0);
		if (nl_send_pipelined(&c->rtnl, nlh, &in_flight, flush_done, &failed))
			ret = EXIT_FAIL;
	}
	if (nl_collect(&c->rtnl, &in_flight, 0, flush_done, &failed))
		ret = EXIT_FAIL;
	free(st.collect);
	return ret ? ret : failed ? EXIT_FAIL : EXIT_OK;
}

static int route_get(struct ctx *c, int argc, char **argv)
{
	struct show_state st = { .c = c, .get = true };
	struct nlmsghdr *nlh;
	struct in_addr dst;
	struct rtmsg *rtm;
	int ret;

	if (argc != 1 || parse_ipv4_addr(argv[0], &dst))
		return usage_error("route get takes one IPv4 ADDR");
	ret = ctx_rtnl(c);
	if (ret)
		return ret;
	nlh = nl_msg(&c->rtnl, RTM_GETROUTE, 0);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 32;
	mnl_attr_put(nlh, RTA_DST, sizeof(dst), &dst);
	json_list_begin(c, &st.j);
	ret = nl_talk(&c->rtnl, nlh, route_cb, &st) ? EXIT_FAIL : EXIT_OK;
	json_list_end(c, &st.j);
	return ret;
}

static int route_add(struct ctx *c, int argc, char **argv)
{
	return route_change(c, ROUTE_ADD, argc, argv);
}

static int route_replace(struct ctx *c, int argc, char **argv)
{
	return route_change(c, ROUTE_REPLACE, argc, argv);
}

static int route_del(struct ctx *c, int argc, char **argv)
{
	return route_change(c, ROUTE_DEL, argc, argv);
}

/* Route changes are pipelined in batch mode (see route_change()). */
const struct subcommand route_cmds[] = {
	{ .name = "add",	.run = route_add,	.pipelined = true },
	{ .name = "replace",	.run = route_replace,	.pipelined = true },
	{ .name = "del",	.run = route_del,	.pipelined = true },
	{ .name = "show",	.run = route_show },
	{ .name = "flush",	.run = route_flush },
	{ .name = "get",	.run = route_get },
	{ NULL },
};

int cmd_route(struct ctx *c, int argc, char **argv)
{
	return run_subcommand(c, "route", route_cmds, route_usage, argc, argv);
}

int cmd_addroute(struct ctx *c, int argc, char **argv)
{
	return route_add(c, argc, argv);
}

int cmd_delroute(struct ctx *c, int argc, char **argv)
{
	return route_del(c, argc, argv);
}
