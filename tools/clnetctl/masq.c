// SPDX-License-Identifier: GPL-2.0
/*
 * clnetctl masq: masquerade of pod traffic that leaves the node (set,
 * off, show), over the CLNET_CMD_MASQ_* commands. The kernel keeps the
 * whole configuration of a netns and replaces it at once; this side
 * checks what it can before anything is sent.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/clnet.h>

#include "clnetctl.h"
#include "masq.h"
#include "parse.h"

static void masq_usage(FILE *f)
{
	fprintf(f,
		"Usage: clnetctl masq set dev DEV [ dev DEV ... ] native-cidr CIDR\n"
		"                         [ exclude CIDR ... ] [ src ADDR ]\n"
		"       clnetctl masq off\n"
		"       clnetctl masq [ show ]\n"
		"CIDR := A.B.C.D/LEN without host bits, or A.B.C.D for a /32\n"
		"New flows from pods that leave by a DEV (at most %d) to a destination\n"
		"outside native-cidr, every exclude (at most %d) and the node's own\n"
		"addresses get ADDR, else the DEV's address, as their source.\n"
		"set replaces the whole configuration; off stops masquerading new flows.\n",
		CLNET_MASQ_MAX_DEVS, CLNET_MASQ_MAX_EXCLUDES);
}

/* ---- set ---- */

enum masq_kw { KW_DEV, KW_NATIVE_CIDR, KW_EXCLUDE, KW_SRC };

static const struct keyword set_keywords[] = {
	{ "dev", KW_DEV },
	{ "native-cidr", KW_NATIVE_CIDR },
	{ "exclude", KW_EXCLUDE },
	{ "src", KW_SRC },
	{ NULL },
};

/* The CIDR of keyword @what; host bits are named with the prefix meant. */
static int parse_cidr(const char *what, const char *s, struct ipv4_prefix *p)
{
	char buf[INET_ADDRSTRLEN];
	struct ipv4_prefix meant;
	int ret = parse_ipv4_cidr(s, p, &meant);

	if (ret == -EDOM) {
		inet_ntop(AF_INET, &meant.addr, buf, sizeof(buf));
		return usage_error("%s %s: host bits set (did you mean %s/%u?)",
				   what, s, buf, meant.len);
	}
	if (ret)
		return usage_error("%s \"%s\" is not an IPv4 prefix (A.B.C.D/LEN, LEN 0 to 32)",
				   what, s);
	return EXIT_OK;
}

static int add_dev(struct masq_conf *m, const char *name)
{
	unsigned int i;

	if (!valid_ifname(name))
		return usage_error("masq set: dev \"%s\" is not a valid interface name", name);
	for (i = 0; i < m->n_devs; i++)
		if (!strcmp(m->devs[i], name))
			return usage_error("masq set: dev %s given twice", name);
	if (m->n_devs == CLNET_MASQ_MAX_DEVS)
		return usage_error("masq set: more than %d devs", CLNET_MASQ_MAX_DEVS);
	m->devs[m->n_devs++] = name;
	return EXIT_OK;
}

int masq_parse_set(int argc, char **argv, struct masq_conf *m)
{
	const char *val;
	int i, k, ret;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < argc; i += 2) {
		k = keyword_id(argv[i], set_keywords);
		if (k < 0)
			return usage_error("masq set: keyword \"%s\" is %s", argv[i],
					   k == MATCH_AMBIGUOUS ? "ambiguous" : "unknown");
		if (i + 1 >= argc)
			return usage_error("masq set: \"%s\" needs a value",
					   keyword_name(set_keywords, k));
		val = argv[i + 1];
		switch ((enum masq_kw)k) {
		case KW_DEV:
			ret = add_dev(m, val);
			break;
		case KW_NATIVE_CIDR:
			if (m->has_native)
				return usage_error("masq set: native-cidr given twice");
			ret = parse_cidr("native-cidr", val, &m->native);
			m->has_native = !ret;
			break;
		case KW_EXCLUDE:
			if (m->n_excludes == CLNET_MASQ_MAX_EXCLUDES)
				return usage_error("masq set: more than %d excludes",
						   CLNET_MASQ_MAX_EXCLUDES);
			ret = parse_cidr("exclude", val, &m->excludes[m->n_excludes]);
			if (!ret)
				m->n_excludes++;
			break;
		case KW_SRC:
			if (m->has_src)
				return usage_error("masq set: src given twice");
			if (parse_ipv4_addr(val, &m->src))
				return usage_error("masq set: src \"%s\" is not an IPv4 address",
						   val);
			m->has_src = true;
			ret = EXIT_OK;
			break;
		default:
			ret = EXIT_USAGE;
		}
		if (ret)
			return ret;
	}
	if (!m->n_devs)
		return usage_error("masq set needs at least one \"dev DEV\"");
	if (!m->has_native)
		return usage_error("masq set needs \"native-cidr CIDR\"");
	return EXIT_OK;
}

static void put_cidr(struct nlmsghdr *nlh, int type, const struct ipv4_prefix *p)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	mnl_attr_put_u32(nlh, CLNET_CIDR_A_ADDR, p->addr.s_addr);
	mnl_attr_put_u8(nlh, CLNET_CIDR_A_PREFIXLEN, p->len);
	mnl_attr_nest_end(nlh, nest);
}

void masq_put_conf(struct nlmsghdr *nlh, const struct masq_conf *m)
{
	struct nlattr *nest;
	unsigned int i;

	for (i = 0; i < m->n_devs; i++) {
		nest = mnl_attr_nest_start(nlh, CLNET_MASQ_A_DEV);
		mnl_attr_put_strz(nlh, CLNET_MASQ_DEV_A_IFNAME, m->devs[i]);
		mnl_attr_nest_end(nlh, nest);
	}
	put_cidr(nlh, CLNET_MASQ_A_NATIVE_CIDR, &m->native);
	for (i = 0; i < m->n_excludes; i++)
		put_cidr(nlh, CLNET_MASQ_A_EXCLUDE, &m->excludes[i]);
	if (m->has_src)
		mnl_attr_put_u32(nlh, CLNET_MASQ_A_SRC, m->src.s_addr);
}

/* "masq COMMAND help" too, as route's commands take it. */
static bool help_asked(int argc, char **argv)
{
	if (argc < 1 || !is_help(argv[0]))
		return false;
	masq_usage(stdout);
	return true;
}

static int masq_set(struct ctx *c, int argc, char **argv)
{
	struct masq_conf m;
	struct nlmsghdr *nlh;
	int ret;

	if (help_asked(argc, argv))
		return EXIT_OK;
	ret = masq_parse_set(argc, argv, &m);
	if (!ret)
		ret = ctx_need_feature(c, CLNET_FEATURE_MASQ, "masquerade");
	if (ret)
		return ret;
	nlh = clnet_nl_msg(&c->nl, CLNET_CMD_MASQ_SET, 0);
	masq_put_conf(nlh, &m);
	return clnet_nl_talk(&c->nl, nlh, NULL, NULL) ? EXIT_FAIL : EXIT_OK;
}

/* ---- off ---- */

static int masq_off(struct ctx *c, int argc, char **argv)
{
	struct nlmsghdr *nlh;
	int ret;

	if (help_asked(argc, argv))
		return EXIT_OK;
	if (argc > 0)
		return usage_error("masq off: unexpected \"%s\"", argv[0]);
	ret = ctx_need_feature(c, CLNET_FEATURE_MASQ, "masquerade");
	if (ret)
		return ret;
	nlh = clnet_nl_msg(&c->nl, CLNET_CMD_MASQ_DEL, 0);
	return clnet_nl_talk(&c->nl, nlh, NULL, NULL) ? EXIT_FAIL : EXIT_OK;
}

/* ---- show ---- */

/* Drop reasons as text and JSON name them; newer ones are not shown. */
static const struct { const char *text, *json; } drop_names[] = {
	[CLNET_MASQ_DROP_A_NO_ADDR]	= { "no-addr", "no_addr" },
	[CLNET_MASQ_DROP_A_NAT]		= { "nat", "nat" },
};

#define FIRST_DROP	CLNET_MASQ_DROP_A_NO_ADDR
#define LAST_DROP	CLNET_MASQ_DROP_A_NAT

/*
 * The scalars of a MASQ_GET reply. The lists (DEV, EXCLUDE) are read
 * from the message as they are printed, so that their length has no
 * bound here.
 */
struct masq_info {
	bool enabled;
	bool has_native;
	struct ipv4_prefix native;
	bool has_src;
	struct in_addr src;
	uint64_t flows, packets, bytes, ct_insert_failed, ct_drop;
	uint64_t drop[LAST_DROP + 1];
};

struct masq_dev {
	uint32_t ifindex;
	const char *ifname;	/* NULL once the device is gone */
	bool has_addr;
	struct in_addr addr;
};

struct show_state {
	struct ctx *c;
	struct json j;
	unsigned int n;
};

/* A CLNET_CIDR_A_* nest; false if it lacks a part or is malformed. */
static bool get_cidr(const struct nlattr *nest, struct ipv4_prefix *p)
{
	bool have_addr = false, have_len = false;
	struct nlattr *a;

	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case CLNET_CIDR_A_ADDR:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				return false;
			p->addr.s_addr = mnl_attr_get_u32(a);
			have_addr = true;
			break;
		case CLNET_CIDR_A_PREFIXLEN:
			if (mnl_attr_validate(a, MNL_TYPE_U8) < 0 || mnl_attr_get_u8(a) > 32)
				return false;
			p->len = mnl_attr_get_u8(a);
			have_len = true;
			break;
		}
	}
	return have_addr && have_len;
}

static void get_dev(const struct nlattr *nest, struct masq_dev *d)
{
	struct nlattr *a;

	memset(d, 0, sizeof(*d));
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case CLNET_MASQ_DEV_A_IFINDEX:
			if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
				d->ifindex = mnl_attr_get_u32(a);
			break;
		case CLNET_MASQ_DEV_A_IFNAME:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
				d->ifname = mnl_attr_get_str(a);
			break;
		case CLNET_MASQ_DEV_A_ADDR:
			if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0) {
				d->addr.s_addr = mnl_attr_get_u32(a);
				d->has_addr = true;
			}
			break;
		}
	}
}

static void get_u64(const struct nlattr *a, uint64_t *v)
{
	if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
		*v = mnl_attr_get_u64(a);
}

static void get_info(const struct nlmsghdr *nlh, struct masq_info *m)
{
	struct nlattr *a, *b;
	int t;

	memset(m, 0, sizeof(*m));
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case CLNET_MASQ_A_ENABLED:
			if (mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
				m->enabled = mnl_attr_get_u8(a);
			break;
		case CLNET_MASQ_A_NATIVE_CIDR:
			m->has_native = get_cidr(a, &m->native);
			break;
		case CLNET_MASQ_A_SRC:
			if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0) {
				m->src.s_addr = mnl_attr_get_u32(a);
				m->has_src = true;
			}
			break;
		case CLNET_MASQ_A_FLOWS:
			get_u64(a, &m->flows);
			break;
		case CLNET_MASQ_A_PACKETS:
			get_u64(a, &m->packets);
			break;
		case CLNET_MASQ_A_BYTES:
			get_u64(a, &m->bytes);
			break;
		case CLNET_MASQ_A_CT_INSERT_FAILED:
			get_u64(a, &m->ct_insert_failed);
			break;
		case CLNET_MASQ_A_CT_DROP:
			get_u64(a, &m->ct_drop);
			break;
		case CLNET_MASQ_A_DROP:
			mnl_attr_for_each_nested(b, a) {
				t = mnl_attr_get_type(b);
				if (t >= FIRST_DROP && t <= LAST_DROP)
					get_u64(b, &m->drop[t]);
			}
			break;
		}
	}
}

static void fmt_cidr(const struct ipv4_prefix *p, char *buf, size_t len)
{
	char addr[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &p->addr, addr, sizeof(addr));
	snprintf(buf, len, "%s/%u", addr, p->len);
}

static void print_text(const struct nlmsghdr *nlh, const struct masq_info *m)
{
	char buf[INET_ADDRSTRLEN + 4];
	struct ipv4_prefix p;
	struct masq_dev d;
	struct nlattr *a;
	int t;

	printf("masq %s\n", m->enabled ? "on" : "off");
	if (m->enabled) {
		mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
			if (mnl_attr_get_type(a) != CLNET_MASQ_A_DEV)
				continue;
			get_dev(a, &d);
			if (!d.ifname) {
				printf("dev #%u (gone)\n", d.ifindex);
				continue;
			}
			if (d.has_addr)
				inet_ntop(AF_INET, &d.addr, buf, sizeof(buf));
			printf("dev %s addr %s\n", d.ifname, d.has_addr ? buf : "-");
		}
		if (m->has_native) {
			fmt_cidr(&m->native, buf, sizeof(buf));
			printf("native-cidr %s\n", buf);
		}
		mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
			if (mnl_attr_get_type(a) != CLNET_MASQ_A_EXCLUDE || !get_cidr(a, &p))
				continue;
			fmt_cidr(&p, buf, sizeof(buf));
			printf("exclude %s\n", buf);
		}
		if (m->has_src)
			printf("src %s\n", inet_ntop(AF_INET, &m->src, buf, sizeof(buf)));
	}
	printf("flows %llu packets %llu bytes %llu\n", (unsigned long long)m->flows,
	       (unsigned long long)m->packets, (unsigned long long)m->bytes);
	printf("drop");
	for (t = FIRST_DROP; t <= LAST_DROP; t++)
		printf(" %s %llu", drop_names[t].text, (unsigned long long)m->drop[t]);
	printf("\nconntrack insert-failed %llu drop %llu\n",
	       (unsigned long long)m->ct_insert_failed, (unsigned long long)m->ct_drop);
}

static void print_json(struct show_state *st, const struct nlmsghdr *nlh,
		       const struct masq_info *m)
{
	char buf[INET_ADDRSTRLEN + 4];
	struct json *j = &st->j;
	struct ipv4_prefix p;
	struct masq_dev d;
	struct nlattr *a;
	int t;

	json_init(j, stdout, st->c->pretty);
	json_open(j, NULL, '{');
	json_bool(j, "enabled", m->enabled);
	json_open(j, "devs", '[');
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (!m->enabled || mnl_attr_get_type(a) != CLNET_MASQ_A_DEV)
			continue;
		get_dev(a, &d);
		json_open(j, NULL, '{');
		json_u64(j, "ifindex", d.ifindex);
		if (d.ifname)
			json_str(j, "ifname", d.ifname);
		else
			json_null(j, "ifname");
		if (d.has_addr)
			json_str(j, "addr", inet_ntop(AF_INET, &d.addr, buf, sizeof(buf)));
		else
			json_null(j, "addr");
		json_close(j, '}');
	}
	json_close(j, ']');
	if (m->enabled && m->has_native) {
		fmt_cidr(&m->native, buf, sizeof(buf));
		json_str(j, "native_cidr", buf);
	} else {
		json_null(j, "native_cidr");
	}
	json_open(j, "exclude", '[');
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (!m->enabled || mnl_attr_get_type(a) != CLNET_MASQ_A_EXCLUDE ||
		    !get_cidr(a, &p))
			continue;
		fmt_cidr(&p, buf, sizeof(buf));
		json_str(j, NULL, buf);
	}
	json_close(j, ']');
	if (m->enabled && m->has_src)
		json_str(j, "src", inet_ntop(AF_INET, &m->src, buf, sizeof(buf)));
	else
		json_null(j, "src");
	json_u64(j, "flows", m->flows);
	json_u64(j, "packets", m->packets);
	json_u64(j, "bytes", m->bytes);
	json_open(j, "drop", '{');
	for (t = FIRST_DROP; t <= LAST_DROP; t++)
		json_u64(j, drop_names[t].json, m->drop[t]);
	json_close(j, '}');
	json_open(j, "conntrack", '{');
	json_u64(j, "insert_failed", m->ct_insert_failed);
	json_u64(j, "drop", m->ct_drop);
	json_close(j, '}');
	json_close(j, '}');
	json_end(j);
}

static int masq_cb(const struct nlmsghdr *nlh, void *data)
{
	struct show_state *st = data;
	struct masq_info m;

	/* One reply to a do request; a second would print a second state. */
	if (st->n++)
		return MNL_CB_OK;
	get_info(nlh, &m);
	if (st->c->json)
		print_json(st, nlh, &m);
	else
		print_text(nlh, &m);
	return MNL_CB_OK;
}

static int masq_show(struct ctx *c, int argc, char **argv)
{
	struct show_state st = { .c = c };
	struct nlmsghdr *nlh;
	int ret;

	if (help_asked(argc, argv))
		return EXIT_OK;
	if (argc > 0)
		return usage_error("masq show: unexpected \"%s\"", argv[0]);
	ret = ctx_need_feature(c, CLNET_FEATURE_MASQ, "masquerade");
	if (ret)
		return ret;
	nlh = clnet_nl_msg(&c->nl, CLNET_CMD_MASQ_GET, 0);
	if (clnet_nl_talk(&c->nl, nlh, masq_cb, &st))
		return EXIT_FAIL;
	if (!st.n) {
		fprintf(stderr, "clnetctl: the module answered masq show with no state\n");
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

const struct subcommand masq_cmds[] = {
	{ .name = "set",	.run = masq_set },
	{ .name = "off",	.run = masq_off },
	{ .name = "show",	.run = masq_show },
	{ NULL },
};

int cmd_masq(struct ctx *c, int argc, char **argv)
{
	return run_subcommand(c, "masq", masq_cmds, masq_usage, argc, argv);
}
