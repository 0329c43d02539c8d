// SPDX-License-Identifier: GPL-2.0
/*
 * clnetctl announce: ARP announcements (add, renew, del, show, pods) over
 * the CLNET_CMD_ANNOUNCE_* commands. The module answers ARP for an
 * address on a device and sends gratuitous ARP for it, with or without
 * a lease. This side checks the syntax; ranges, addresses and devices
 * are the kernel's to judge, and its extack says what is wrong.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/clnet.h>

#include "announce.h"
#include "clnetctl.h"
#include "parse.h"

static void announce_usage(FILE *f)
{
	fprintf(f,
		"Usage: clnetctl announce add ADDR dev DEV [ lease DUR ] [ garp-count N ]\n"
		"                             [ garp-interval DUR ] [ refresh DUR ]\n"
		"       clnetctl announce renew ADDR dev DEV [ lease DUR ]\n"
		"       clnetctl announce del ADDR dev DEV\n"
		"       clnetctl announce [ show ] [ ADDR ] [ dev DEV ]\n"
		"       clnetctl announce pods dev DEV { on | off } [ garp-count N ]\n"
		"                             [ garp-interval DUR ]\n"
		"DUR := NUMBER UNIT [ NUMBER UNIT ... ], UNIT := { h | m | s | ms }\n"
		"       (500ms, 10s, 1m30s; a number needs its unit)\n"
		"Answer ARP for ADDR on DEV, an Ethernet device, and announce it by\n"
		"gratuitous ARP: garp-count GARPs (default 4, at most 100) garp-interval\n"
		"apart (default 500ms, 10ms to 60s) when it becomes active, then one every\n"
		"refresh (1s to 24h; default none). With a lease (100ms to 24h) it expires\n"
		"unless renewed in time; without, it stays. pods: also answer ARP on DEV\n"
		"for the pods of this node.\n");
}

/* ---- parsing ---- */

enum announce_kw { KW_DEV, KW_LEASE, KW_GARP_COUNT, KW_GARP_INTERVAL, KW_REFRESH };

static const struct keyword add_keywords[] = {
	{ "dev", KW_DEV },
	{ "lease", KW_LEASE },
	{ "garp-count", KW_GARP_COUNT },
	{ "garp-interval", KW_GARP_INTERVAL },
	{ "refresh", KW_REFRESH },
	{ NULL },
};

static const struct keyword renew_keywords[] = {
	{ "dev", KW_DEV },
	{ "lease", KW_LEASE },
	{ NULL },
};

static const struct keyword dev_keywords[] = {
	{ "dev", KW_DEV },
	{ NULL },
};

static const struct keyword pods_keywords[] = {
	{ "dev", KW_DEV },
	{ "garp-count", KW_GARP_COUNT },
	{ "garp-interval", KW_GARP_INTERVAL },
	{ NULL },
};

static const struct {
	const char *name;
	const struct keyword *keywords;
	bool needs_addr;
} commands[] = {
	[ANN_ADD]	= { "add", add_keywords, true },
	[ANN_RENEW]	= { "renew", renew_keywords, true },
	[ANN_DEL]	= { "del", dev_keywords, true },
	[ANN_SHOW]	= { "show", dev_keywords, false },
	[ANN_PODS]	= { "pods", pods_keywords, false },
};

/* The duration of keyword @what, in milliseconds that fit the ABI's u32. */
static int parse_dur(const char *cmd, const char *what, const char *s, uint32_t *out)
{
	uint64_t ms;
	int ret = parse_duration_ms(s, &ms);

	if (ret == -EDOM)
		return usage_error("announce %s: %s \"%s\" needs a unit (ms, s, m or h)",
				   cmd, what, s);
	if (!ret && ms > UINT32_MAX)
		ret = -ERANGE;
	if (ret == -ERANGE)
		return usage_error("announce %s: %s \"%s\" is too long (at most %u ms)",
				   cmd, what, s, UINT32_MAX);
	if (ret)
		return usage_error("announce %s: %s \"%s\" is not a duration (such as 500ms, 10s, 2m, 1h)",
				   cmd, what, s);
	*out = (uint32_t)ms;
	return EXIT_OK;
}

static int parse_count(const char *cmd, const char *s, uint32_t *out)
{
	int ret = parse_u32(s, 0, UINT32_MAX, out);

	if (ret == -ERANGE)
		return usage_error("announce %s: garp-count \"%s\" is too large", cmd, s);
	if (ret)
		return usage_error("announce %s: garp-count \"%s\" is not a number", cmd, s);
	return EXIT_OK;
}

/* "KEYWORD VALUE": the value of keyword @k, which must not be there yet. */
static int take_value(const char *cmd, int k, const char *val, struct announce_conf *a)
{
	bool *seen;

	switch ((enum announce_kw)k) {
	case KW_DEV:
		if (a->dev)
			return usage_error("announce %s: dev given twice", cmd);
		if (!valid_ifname(val))
			return usage_error("announce %s: dev \"%s\" is not a valid interface name",
					   cmd, val);
		a->dev = val;
		return EXIT_OK;
	case KW_LEASE:
		seen = &a->has_lease;
		break;
	case KW_GARP_COUNT:
		seen = &a->has_garp_count;
		break;
	case KW_GARP_INTERVAL:
		seen = &a->has_garp_interval;
		break;
	case KW_REFRESH:
		seen = &a->has_refresh;
		break;
	default:
		return EXIT_USAGE;
	}
	if (*seen)
		return usage_error("announce %s: %s given twice", cmd,
				   keyword_name(add_keywords, k));
	*seen = true;
	switch ((enum announce_kw)k) {
	case KW_LEASE:
		return parse_dur(cmd, "lease", val, &a->lease_ms);
	case KW_GARP_COUNT:
		return parse_count(cmd, val, &a->garp_count);
	case KW_GARP_INTERVAL:
		return parse_dur(cmd, "garp-interval", val, &a->garp_interval_ms);
	case KW_REFRESH:
		return parse_dur(cmd, "refresh", val, &a->refresh_ms);
	default:
		return EXIT_USAGE;
	}
}

int announce_parse(enum announce_cmd cmd, int argc, char **argv,
		   struct announce_conf *a)
{
	const char *name = commands[cmd].name;
	const struct keyword *kws = commands[cmd].keywords;
	int i = 0, k, ret;

	memset(a, 0, sizeof(*a));
	a->pods = -1;
	/* ADDR comes first; show takes one only if it is not a keyword. */
	if (commands[cmd].needs_addr && argc < 1)
		return usage_error("announce %s needs an ADDR", name);
	if (argc >= 1 && (commands[cmd].needs_addr ||
			  (cmd == ANN_SHOW && keyword_id(argv[0], kws) == MATCH_NONE))) {
		if (parse_ipv4_addr(argv[0], &a->addr))
			return usage_error("announce %s: \"%s\" is not an IPv4 address (A.B.C.D)",
					   name, argv[0]);
		a->has_addr = true;
		i = 1;
	}
	while (i < argc) {
		if (cmd == ANN_PODS && (!strcmp(argv[i], "on") || !strcmp(argv[i], "off"))) {
			if (a->pods >= 0)
				return usage_error("announce pods: on or off given twice");
			a->pods = !strcmp(argv[i], "on");
			i++;
			continue;
		}
		k = keyword_id(argv[i], kws);
		if (k < 0)
			return usage_error("announce %s: keyword \"%s\" is %s", name, argv[i],
					   k == MATCH_AMBIGUOUS ? "ambiguous" : "unknown");
		if (i + 1 >= argc)
			return usage_error("announce %s: \"%s\" needs a value", name,
					   keyword_name(kws, k));
		ret = take_value(name, k, argv[i + 1], a);
		if (ret)
			return ret;
		i += 2;
	}
	if (cmd != ANN_SHOW && !a->dev)
		return usage_error("announce %s needs \"dev DEV\"", name);
	if (cmd == ANN_PODS && a->pods < 0)
		return usage_error("announce pods needs \"on\" or \"off\"");
	return EXIT_OK;
}

void announce_put_conf(struct nlmsghdr *nlh, const struct announce_conf *a)
{
	if (a->has_addr)
		mnl_attr_put_u32(nlh, CLNET_ANNOUNCE_A_ADDR, a->addr.s_addr);
	if (a->dev)
		mnl_attr_put_strz(nlh, CLNET_ANNOUNCE_A_IFNAME, a->dev);
	if (a->pods >= 0)
		mnl_attr_put_u8(nlh, CLNET_ANNOUNCE_A_PODS, (uint8_t)a->pods);
	if (a->has_lease)
		mnl_attr_put_u32(nlh, CLNET_ANNOUNCE_A_LEASE_MS, a->lease_ms);
	if (a->has_garp_count)
		mnl_attr_put_u32(nlh, CLNET_ANNOUNCE_A_GARP_COUNT, a->garp_count);
	if (a->has_garp_interval)
		mnl_attr_put_u32(nlh, CLNET_ANNOUNCE_A_GARP_INTERVAL_MS, a->garp_interval_ms);
	if (a->has_refresh)
		mnl_attr_put_u32(nlh, CLNET_ANNOUNCE_A_REFRESH_MS, a->refresh_ms);
}

/* ---- add, renew, del, pods ---- */

/* "announce COMMAND help" too, as masq's commands take it. */
static bool help_asked(int argc, char **argv)
{
	if (argc < 1 || !is_help(argv[0]))
		return false;
	announce_usage(stdout);
	return true;
}

static int need_announce(struct ctx *c)
{
	return ctx_need_feature(c, CLNET_FEATURE_ANNOUNCE, "ARP announcements");
}

/* Parse, check the module, send @nlcmd and wait for its ACK. */
static int announce_change(struct ctx *c, enum announce_cmd cmd, uint8_t nlcmd,
			   int argc, char **argv)
{
	struct announce_conf a;
	struct nlmsghdr *nlh;
	int ret;

	if (help_asked(argc, argv))
		return EXIT_OK;
	ret = announce_parse(cmd, argc, argv, &a);
	if (!ret)
		ret = need_announce(c);
	if (ret)
		return ret;
	nlh = clnet_nl_msg(&c->nl, nlcmd, 0);
	announce_put_conf(nlh, &a);
	/* In batch mode add, renew and del are pipelined, as route changes. */
	if (c->pipeline && cmd != ANN_PODS)
		return ctx_submit_on(c, &c->nl.s, nlh);
	return clnet_nl_talk(&c->nl, nlh, NULL, NULL) ? EXIT_FAIL : EXIT_OK;
}

static int announce_add(struct ctx *c, int argc, char **argv)
{
	return announce_change(c, ANN_ADD, CLNET_CMD_ANNOUNCE_ADD, argc, argv);
}

static int announce_renew(struct ctx *c, int argc, char **argv)
{
	return announce_change(c, ANN_RENEW, CLNET_CMD_ANNOUNCE_RENEW, argc, argv);
}

static int announce_del(struct ctx *c, int argc, char **argv)
{
	return announce_change(c, ANN_DEL, CLNET_CMD_ANNOUNCE_DEL, argc, argv);
}

static int announce_pods(struct ctx *c, int argc, char **argv)
{
	return announce_change(c, ANN_PODS, CLNET_CMD_ANNOUNCE_PODS_SET, argc, argv);
}

/* ---- show ---- */

void announce_fmt_ms(uint64_t ms, bool exact, char *buf, size_t len)
{
	static const struct { const char *unit; uint64_t ms; } units[] = {
		{ "h", 3600000 }, { "m", 60000 }, { "s", 1000 }, { "ms", 1 },
	};
	size_t used = 0, i;

	if (!exact && ms < 60000) {
		if (!ms)
			snprintf(buf, len, "0");
		else if (ms < 1000)
			snprintf(buf, len, "%llums", (unsigned long long)ms);
		else if (ms % 1000 < 100)
			snprintf(buf, len, "%llus", (unsigned long long)(ms / 1000));
		else
			snprintf(buf, len, "%llu.%llus", (unsigned long long)(ms / 1000),
				 (unsigned long long)(ms % 1000 / 100));
		return;
	}
	if (!exact)
		ms -= ms % 1000;
	if (!ms) {
		snprintf(buf, len, "0ms");
		return;
	}
	buf[0] = '\0';
	for (i = 0; i < sizeof(units) / sizeof(units[0]) && used < len; i++) {
		if (ms < units[i].ms)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%llu%s",
					 (unsigned long long)(ms / units[i].ms), units[i].unit);
		ms %= units[i].ms;
	}
}

/* One ANNOUNCE_GET reply. */
struct ann_entry {
	struct in_addr addr;
	uint32_t ifindex;
	char ifname[16];
	uint32_t state, reason;
	bool has_reason, has_lease, has_left, has_last;
	uint32_t lease_ms, left_ms, garp_count, garp_interval_ms, refresh_ms;
	uint64_t replies, garps, garp_failed, last_garp_ms;
};

/* One PODS_GET reply: a device with pod announcements on. */
struct ann_pods {
	uint32_t ifindex;
	char ifname[16];
	uint32_t garp_count, garp_interval_ms;
	uint64_t replies, garps, garp_failed;
};

struct show_state {
	struct ctx *c;
	const struct announce_conf *filter;
	struct ann_entry *entries;
	size_t n_entries, cap_entries;
	struct ann_pods *pods;
	size_t n_pods, cap_pods;
};

static const char *const state_names[] = {
	[CLNET_ANNOUNCE_STATE_ACTIVE]	= "active",
	[CLNET_ANNOUNCE_STATE_INACTIVE]	= "inactive",
	[CLNET_ANNOUNCE_STATE_EXPIRED]	= "expired",
};

static const char *const reason_names[] = {
	[CLNET_ANNOUNCE_REASON_LINK_DOWN]	= "link-down",
	[CLNET_ANNOUNCE_REASON_NO_CARRIER]	= "no-carrier",
	[CLNET_ANNOUNCE_REASON_LEASE_EXPIRED]	= "lease-expired",
	[CLNET_ANNOUNCE_REASON_DELETED]		= "deleted",
	[CLNET_ANNOUNCE_REASON_DEVICE_GONE]	= "device-gone",
};

#define N_STATES	(sizeof(state_names) / sizeof(state_names[0]))
#define N_REASONS	(sizeof(reason_names) / sizeof(reason_names[0]))

const char *announce_state_name(uint32_t s)
{
	return s < N_STATES ? state_names[s] : NULL;
}

const char *announce_reason_name(uint32_t r)
{
	return r < N_REASONS ? reason_names[r] : NULL;
}

/* Make room for one more of @n elements of @size in *@arr. */
static void *grow(void **arr, size_t *cap, size_t n, size_t size)
{
	size_t new_cap = *cap ? *cap * 2 : 64;
	void *p;

	if (n < *cap)
		return (char *)*arr + n * size;
	p = realloc(*arr, new_cap * size);
	if (!p)
		return NULL;
	*arr = p;
	*cap = new_cap;
	return (char *)p + n * size;
}

static bool get_u32(const struct nlattr *a, uint32_t *v)
{
	if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return false;
	*v = mnl_attr_get_u32(a);
	return true;
}

static void get_u64(const struct nlattr *a, uint64_t *v)
{
	if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
		*v = mnl_attr_get_u64(a);
}

static void get_name(const struct nlattr *a, char *buf, size_t len)
{
	if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
		snprintf(buf, len, "%s", mnl_attr_get_str(a));
}

/*
 * Read the attributes of an entry; those of a newer module are skipped,
 * malformed ones read as absent. An entry without its address is a bad
 * reply.
 */
static int entry_cb(const struct nlmsghdr *nlh, void *data)
{
	struct show_state *st = data;
	struct ann_entry e = { 0 }, *slot;
	bool has_addr = false;
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case CLNET_ANNOUNCE_A_ADDR:
			has_addr = get_u32(a, &e.addr.s_addr);
			break;
		case CLNET_ANNOUNCE_A_IFINDEX:
			get_u32(a, &e.ifindex);
			break;
		case CLNET_ANNOUNCE_A_IFNAME:
			get_name(a, e.ifname, sizeof(e.ifname));
			break;
		case CLNET_ANNOUNCE_A_STATE:
			get_u32(a, &e.state);
			break;
		case CLNET_ANNOUNCE_A_REASON:
			e.has_reason = get_u32(a, &e.reason);
			break;
		case CLNET_ANNOUNCE_A_LEASE_MS:
			e.has_lease = get_u32(a, &e.lease_ms);
			break;
		case CLNET_ANNOUNCE_A_LEASE_LEFT_MS:
			e.has_left = get_u32(a, &e.left_ms);
			break;
		case CLNET_ANNOUNCE_A_GARP_COUNT:
			get_u32(a, &e.garp_count);
			break;
		case CLNET_ANNOUNCE_A_GARP_INTERVAL_MS:
			get_u32(a, &e.garp_interval_ms);
			break;
		case CLNET_ANNOUNCE_A_REFRESH_MS:
			get_u32(a, &e.refresh_ms);
			break;
		case CLNET_ANNOUNCE_A_REPLIES:
			get_u64(a, &e.replies);
			break;
		case CLNET_ANNOUNCE_A_GARPS:
			get_u64(a, &e.garps);
			break;
		case CLNET_ANNOUNCE_A_GARP_FAILED:
			get_u64(a, &e.garp_failed);
			break;
		case CLNET_ANNOUNCE_A_LAST_GARP_MS:
			if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0) {
				e.last_garp_ms = mnl_attr_get_u64(a);
				e.has_last = true;
			}
			break;
		}
	}
	if (!has_addr) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	/*
	 * show ADDR without dev: the dump of every entry, this one kept; and
	 * only DEV's, should a module dump more than asked for.
	 */
	if (st->filter->has_addr && e.addr.s_addr != st->filter->addr.s_addr)
		return MNL_CB_OK;
	if (st->filter->dev && strcmp(e.ifname, st->filter->dev))
		return MNL_CB_OK;
	slot = grow((void **)&st->entries, &st->cap_entries, st->n_entries, sizeof(e));
	if (!slot) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	*slot = e;
	st->n_entries++;
	return MNL_CB_OK;
}

static int pods_cb(const struct nlmsghdr *nlh, void *data)
{
	struct show_state *st = data;
	struct ann_pods p = { 0 }, *slot;
	bool on = false;
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case CLNET_ANNOUNCE_A_IFINDEX:
			get_u32(a, &p.ifindex);
			break;
		case CLNET_ANNOUNCE_A_IFNAME:
			get_name(a, p.ifname, sizeof(p.ifname));
			break;
		case CLNET_ANNOUNCE_A_PODS:
			on = mnl_attr_validate(a, MNL_TYPE_U8) >= 0 && mnl_attr_get_u8(a);
			break;
		case CLNET_ANNOUNCE_A_GARP_COUNT:
			get_u32(a, &p.garp_count);
			break;
		case CLNET_ANNOUNCE_A_GARP_INTERVAL_MS:
			get_u32(a, &p.garp_interval_ms);
			break;
		case CLNET_ANNOUNCE_A_REPLIES:
			get_u64(a, &p.replies);
			break;
		case CLNET_ANNOUNCE_A_GARPS:
			get_u64(a, &p.garps);
			break;
		case CLNET_ANNOUNCE_A_GARP_FAILED:
			get_u64(a, &p.garp_failed);
			break;
		}
	}
	if (!on || (st->filter->dev && strcmp(p.ifname, st->filter->dev)))
		return MNL_CB_OK;
	slot = grow((void **)&st->pods, &st->cap_pods, st->n_pods, sizeof(p));
	if (!slot) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	*slot = p;
	st->n_pods++;
	return MNL_CB_OK;
}

/* By device, then by address: the kernel's dump is in hash order. */
static int cmp_entries(const void *x, const void *y)
{
	const struct ann_entry *a = x, *b = y;
	uint32_t ha = ntohl(a->addr.s_addr), hb = ntohl(b->addr.s_addr);

	if (a->ifindex != b->ifindex)
		return a->ifindex < b->ifindex ? -1 : 1;
	return ha < hb ? -1 : ha > hb;
}

static int cmp_pods(const void *x, const void *y)
{
	const struct ann_pods *a = x, *b = y;

	return a->ifindex < b->ifindex ? -1 : a->ifindex > b->ifindex;
}

/* Its device's name, or "#IFINDEX" if the reply had none. */
static const char *dev_name(const char *ifname, uint32_t ifindex, char *buf, size_t len)
{
	if (ifname[0])
		return ifname;
	snprintf(buf, len, "#%u", ifindex);
	return buf;
}

/*
 * Is the entry's reason worth a word in text? Not while active, nor the
 * lease-expired of an expired entry, which says it already.
 */
static bool show_reason(const struct ann_entry *e)
{
	if (!e->has_reason || e->reason == CLNET_ANNOUNCE_REASON_NONE)
		return false;
	return !(e->state == CLNET_ANNOUNCE_STATE_EXPIRED &&
		 e->reason == CLNET_ANNOUNCE_REASON_LEASE_EXPIRED);
}

static void print_entry_text(const struct ann_entry *e)
{
	char addr[INET_ADDRSTRLEN], dev[16], b1[48], b2[48];
	const char *word;

	inet_ntop(AF_INET, &e->addr, addr, sizeof(addr));
	printf("%s dev %s", addr, dev_name(e->ifname, e->ifindex, dev, sizeof(dev)));
	word = announce_state_name(e->state);
	if (word)
		printf(" %s", word);
	else
		printf(" state %u", e->state);
	if (show_reason(e)) {
		word = announce_reason_name(e->reason);
		if (word)
			printf(" %s", word);
		else
			printf(" reason %u", e->reason);
	}
	if (e->has_lease) {
		announce_fmt_ms(e->lease_ms, true, b1, sizeof(b1));
		announce_fmt_ms(e->left_ms, false, b2, sizeof(b2));
		printf(" lease %s left %s", b1, b2);
	} else {
		printf(" static");
	}
	announce_fmt_ms(e->garp_interval_ms, true, b1, sizeof(b1));
	printf(" garp %u/%s", e->garp_count, b1);
	if (e->refresh_ms) {
		announce_fmt_ms(e->refresh_ms, true, b1, sizeof(b1));
		printf(" refresh %s", b1);
	}
	printf(" replies %llu garps %llu failed %llu", (unsigned long long)e->replies,
	       (unsigned long long)e->garps, (unsigned long long)e->garp_failed);
	if (e->has_last) {
		announce_fmt_ms(e->last_garp_ms, false, b1, sizeof(b1));
		printf(" last-garp %s", b1);
	}
	putchar('\n');
}

static void print_pods_text(const struct ann_pods *p)
{
	char dev[16], b[48];

	announce_fmt_ms(p->garp_interval_ms, true, b, sizeof(b));
	printf("pods dev %s garp %u/%s replies %llu garps %llu failed %llu\n",
	       dev_name(p->ifname, p->ifindex, dev, sizeof(dev)), p->garp_count, b,
	       (unsigned long long)p->replies, (unsigned long long)p->garps,
	       (unsigned long long)p->garp_failed);
}

/* A state or reason as a word, or by number if this CLI has none for it. */
static void json_word(struct json *j, const char *key, const char *word, uint32_t v)
{
	if (word)
		json_str(j, key, word);
	else
		json_u64(j, key, v);
}

static void print_entry_json(struct json *j, const struct ann_entry *e)
{
	char addr[INET_ADDRSTRLEN];

	json_open(j, NULL, '{');
	json_str(j, "addr", inet_ntop(AF_INET, &e->addr, addr, sizeof(addr)));
	if (e->ifname[0])
		json_str(j, "dev", e->ifname);
	else
		json_null(j, "dev");
	json_u64(j, "ifindex", e->ifindex);
	json_word(j, "state", announce_state_name(e->state), e->state);
	if (e->has_reason && e->reason != CLNET_ANNOUNCE_REASON_NONE)
		json_word(j, "reason", announce_reason_name(e->reason), e->reason);
	if (e->has_lease) {
		json_u64(j, "lease_ms", e->lease_ms);
		json_u64(j, "lease_left_ms", e->left_ms);
	}
	json_u64(j, "garp_count", e->garp_count);
	json_u64(j, "garp_interval_ms", e->garp_interval_ms);
	if (e->refresh_ms)
		json_u64(j, "refresh_ms", e->refresh_ms);
	json_u64(j, "replies", e->replies);
	json_u64(j, "garps", e->garps);
	json_u64(j, "garp_failed", e->garp_failed);
	if (e->has_last)
		json_u64(j, "last_garp_ms", e->last_garp_ms);
	json_close(j, '}');
}

static void print_pods_json(struct json *j, const struct ann_pods *p)
{
	json_open(j, NULL, '{');
	if (p->ifname[0])
		json_str(j, "dev", p->ifname);
	else
		json_null(j, "dev");
	json_u64(j, "ifindex", p->ifindex);
	json_u64(j, "garp_count", p->garp_count);
	json_u64(j, "garp_interval_ms", p->garp_interval_ms);
	json_u64(j, "replies", p->replies);
	json_u64(j, "garps", p->garps);
	json_u64(j, "garp_failed", p->garp_failed);
	json_close(j, '}');
}

static void print_show(struct show_state *st)
{
	struct json j;
	size_t i;

	if (st->n_entries)
		qsort(st->entries, st->n_entries, sizeof(*st->entries), cmp_entries);
	if (st->n_pods)
		qsort(st->pods, st->n_pods, sizeof(*st->pods), cmp_pods);
	if (!st->c->json) {
		for (i = 0; i < st->n_entries; i++)
			print_entry_text(&st->entries[i]);
		for (i = 0; i < st->n_pods; i++)
			print_pods_text(&st->pods[i]);
		return;
	}
	json_init(&j, stdout, st->c->pretty);
	json_open(&j, NULL, '{');
	json_open(&j, "entries", '[');
	for (i = 0; i < st->n_entries; i++)
		print_entry_json(&j, &st->entries[i]);
	json_close(&j, ']');
	json_open(&j, "pods", '[');
	for (i = 0; i < st->n_pods; i++)
		print_pods_json(&j, &st->pods[i]);
	json_close(&j, ']');
	json_close(&j, '}');
	json_end(&j);
}

/*
 * Every entry (of DEV), or the one ADDR on DEV, then the devices with pod
 * announcements on (not for one ADDR). Nothing is printed unless both
 * requests succeed.
 */
static int announce_show(struct ctx *c, int argc, char **argv)
{
	struct announce_conf a;
	struct show_state st = { .c = c, .filter = &a };
	struct nlmsghdr *nlh;
	bool one;
	int ret;

	if (help_asked(argc, argv))
		return EXIT_OK;
	ret = announce_parse(ANN_SHOW, argc, argv, &a);
	if (!ret)
		ret = need_announce(c);
	if (ret)
		return ret;
	one = a.has_addr && a.dev;
	nlh = clnet_nl_msg(&c->nl, CLNET_CMD_ANNOUNCE_GET, one ? 0 : NLM_F_DUMP);
	/* ADDR and DEV of the one entry; DEV alone filters the dump. */
	if (one)
		announce_put_conf(nlh, &a);
	else if (a.dev)
		mnl_attr_put_strz(nlh, CLNET_ANNOUNCE_A_IFNAME, a.dev);
	ret = clnet_nl_talk(&c->nl, nlh, entry_cb, &st) ? EXIT_FAIL : EXIT_OK;
	if (!ret && !a.has_addr) {
		nlh = clnet_nl_msg(&c->nl, CLNET_CMD_ANNOUNCE_PODS_GET, NLM_F_DUMP);
		ret = clnet_nl_talk(&c->nl, nlh, pods_cb, &st) ? EXIT_FAIL : EXIT_OK;
	}
	if (!ret)
		print_show(&st);
	free(st.entries);
	free(st.pods);
	return ret;
}

/* add, renew and del are pipelined in batch mode (announce_change()). */
const struct subcommand announce_cmds[] = {
	{ .name = "add",	.run = announce_add,	.pipelined = true },
	{ .name = "renew",	.run = announce_renew,	.pipelined = true },
	{ .name = "del",	.run = announce_del,	.pipelined = true },
	{ .name = "show",	.run = announce_show },
	{ .name = "pods",	.run = announce_pods },
	{ NULL },
};

int cmd_announce(struct ctx *c, int argc, char **argv)
{
	return run_subcommand(c, "announce", announce_cmds, announce_usage, argc, argv);
}
