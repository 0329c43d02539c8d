// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side tests of clnetctl announce and monitor: whole command lines
 * run through clnetctl's main() against a fake clnet module
 * (fake_kernel.c plays the kernel). Checked: the usage errors and that
 * nothing is sent for them, the requests' attributes (types, lengths,
 * byte order), that what only the kernel judges (ranges, addresses) is
 * sent for it to refuse and its extack printed, the exact text and JSON
 * of "announce show", batch files, and monitor: the group it joins, each
 * event's line and JSON object, unknown events, attributes and reasons
 * by number, lost events, the end at SIGTERM and SIGINT. TAP output;
 * exits non-zero if any case fails.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/rtnetlink.h>
#include <linux/clnet.h>

#include "announce.h"
#include "monitor.h"
#include "nl.h"
#include "fake_kernel.h"
#include "tap.h"

/* clnetctl.c's main(), compiled under this name (see the Makefile). */
int clnetctl_main(int argc, char **argv);

/* ---- the fake clnet module ---- */

#define EVENTS_GROUP	7
/* What the module's list of commands says for an rtnetlink route change. */
#define CMD_ROUTE	250

/* An entry as ANNOUNCE_GET tells it; -1: the attribute is absent. */
struct ent {
	const char *addr;
	uint32_t ifindex;
	const char *ifname;
	uint32_t state;
	int64_t reason, lease, left;
	uint32_t count, interval, refresh;	/* refresh 0: absent */
	uint64_t replies, garps, failed;
	int64_t last;
	uint16_t extra;				/* an attribute of a newer module */
};

struct pods {
	uint32_t ifindex;
	const char *ifname;
	uint32_t count, interval;
	uint64_t replies, garps, failed;
};

static struct {
	uint64_t features;
	const char *version;
	bool no_group;		/* the family has no events group */
	/* Answer to changes (and to GET/PODS_GET): 0 or an error... */
	int error;
	const char *extack;
	/* ...pointing at the attribute of this type, if set. */
	uint16_t bad_type;
	/* ANNOUNCE_GET and PODS_GET replies. */
	const struct ent *ents;
	unsigned int n_ents;
	const struct pods *pods;
	unsigned int n_pods;
	/* The commands one run sent, in order, and the last request of each. */
	uint8_t cmds[64];
	unsigned int n_cmds;
	char req[8192];
	char get_req[8192], pods_req[8192];
	/* Refuse the nth (1, 2, ...) change of a run, if set, and only it. */
	unsigned int fail_nth;
	unsigned int changes;
	/* monitor: refuse the join; end the events with this error, or unload. */
	int join_error;
	int events_error;
	bool unload;
} mod;

/* The answer to a GET or PODS_GET. */
static int get_error(void)
{
	return mod.fail_nth ? 0 : mod.error;
}

static void mod_reset(void)
{
	memset(&mod, 0, sizeof(mod));
	mod.features = 1ULL << CLNET_FEATURE_LINK | 1ULL << CLNET_FEATURE_FASTPATH |
		       1ULL << CLNET_FEATURE_MASQ | 1ULL << CLNET_FEATURE_ANNOUNCE |
		       1ULL << CLNET_FEATURE_EVENTS;
	mod.version = "0.3.0";
}

static void put_group(struct nlmsghdr *nlh, uint16_t nth, const char *name, uint32_t id)
{
	struct nlattr *grp = mnl_attr_nest_start(nlh, nth);

	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, id);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, name);
	mnl_attr_nest_end(nlh, grp);
}

static void respond_family(struct chunk *c, const struct nlmsghdr *req)
{
	struct nlmsghdr *nlh = reply(c, GENL_ID_CTRL, 0, req->nlmsg_seq);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	struct nlattr *groups;

	g->cmd = CTRL_CMD_NEWFAMILY;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, CLNET_GENL_NAME);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FAKE_FAMILY);
	groups = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	/* Another group first: the one named "events" is meant. */
	put_group(nlh, 1, "eventsx", 3);
	if (!mod.no_group)
		put_group(nlh, 2, CLNET_MCGRP_EVENTS, EVENTS_GROUP);
	mnl_attr_nest_end(nlh, groups);
	chunk_end(c, nlh);
	put_error(c, req, 0, NULL);
}

static struct nlmsghdr *genl_reply(struct chunk *c, const struct nlmsghdr *req,
				   uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = reply(c, FAKE_FAMILY, flags, req->nlmsg_seq);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	g->cmd = cmd;
	g->version = CLNET_GENL_VERSION;
	return nlh;
}

static void put_addr(struct nlmsghdr *nlh, uint16_t type, const char *addr)
{
	struct in_addr a;

	inet_pton(AF_INET, addr, &a);
	mnl_attr_put_u32(nlh, type, a.s_addr);
}

static void put_ent(struct nlmsghdr *nlh, const struct ent *e)
{
	if (e->extra)
		mnl_attr_put_u32(nlh, e->extra, 77);
	mnl_attr_put_u64(nlh, CLNET_ANNOUNCE_A_REPLIES, e->replies);
	if (e->addr)
		put_addr(nlh, CLNET_ANNOUNCE_A_ADDR, e->addr);
	mnl_attr_put_u32(nlh, CLNET_ANNOUNCE_A_IFINDEX, e->ifindex);
	if (e->ifname)
		mnl_attr_put_strz(nlh, CLNET_ANNOUNCE_A_IFNAME, e->ifname);
	mnl_attr_put_u32(nlh, CLNET_ANNOUNCE_A_STATE, e->state);
	if (e->reason >= 0)
		mnl_attr_put_u32(nlh, CLNET_ANNOUNCE_A_REASON, (uint32_t)e->reason);
	if (e->lease >= 0)
		mnl_attr_put_u32(nlh, CLNET_ANNOUNCE_A_LEASE_MS, (uint32_t)e->lease);
	if (e->left >= 0)
		mnl_attr_put_u32(nlh, CLNET_ANNOUNCE_A_LEASE_LEFT_MS, (uint32_t)e->left);
	mnl_attr_put_u32(nlh, CLNET_ANNOUNCE_A_GARP_COUNT, e->count);
	mnl_attr_put_u32(nlh, CLNET_ANNOUNCE_A_GARP_INTERVAL_MS, e->interval);
	if (e->refresh)
		mnl_attr_put_u32(nlh, CLNET_ANNOUNCE_A_REFRESH_MS, e->refresh);
	mnl_attr_put_u64(nlh, CLNET_ANNOUNCE_A_GARPS, e->garps);
	mnl_attr_put_u64(nlh, CLNET_ANNOUNCE_A_GARP_FAILED, e->failed);
	if (e->last >= 0)
		mnl_attr_put_u64(nlh, CLNET_ANNOUNCE_A_LAST_GARP_MS, (uint64_t)e->last);
}

static void put_pods(struct nlmsghdr *nlh, const struct pods *p)
{
	mnl_attr_put_u32(nlh, CLNET_ANNOUNCE_A_IFINDEX, p->ifindex);
	mnl_attr_put_strz(nlh, CLNET_ANNOUNCE_A_IFNAME, p->ifname);
	mnl_attr_put_u8(nlh, CLNET_ANNOUNCE_A_PODS, 1);
	mnl_attr_put_u32(nlh, CLNET_ANNOUNCE_A_GARP_COUNT, p->count);
	mnl_attr_put_u32(nlh, CLNET_ANNOUNCE_A_GARP_INTERVAL_MS, p->interval);
	mnl_attr_put_u64(nlh, CLNET_ANNOUNCE_A_REPLIES, p->replies);
	mnl_attr_put_u64(nlh, CLNET_ANNOUNCE_A_GARPS, p->garps);
	mnl_attr_put_u64(nlh, CLNET_ANNOUNCE_A_GARP_FAILED, p->failed);
}

/* Byte offset in @req of the attribute of @type, or -1. */
static int attr_offset(const struct nlmsghdr *req, uint16_t type)
{
	struct nlattr *a;

	mnl_attr_for_each(a, req, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == type)
			return (int)((const char *)a - (const char *)req);
	return -1;
}

static void refuse(struct chunk *c, const struct nlmsghdr *req)
{
	struct ext ext = { mod.extack, -1, -1, 0 };

	if (mod.bad_type)
		ext.offs = attr_offset(req, mod.bad_type);
	put_error(c, req, mod.error, mod.extack || ext.offs >= 0 ? &ext : NULL);
}

/* A dump: one chunk per message, then DONE (with the error, if any). */
static void respond_dump(const struct nlmsghdr *req, uint8_t cmd)
{
	struct nlmsghdr *nlh;
	struct chunk *c;
	unsigned int i, n = cmd == CLNET_CMD_ANNOUNCE_GET ? mod.n_ents : mod.n_pods;

	for (i = 0; i < n && !get_error(); i++) {
		c = chunk_new();
		nlh = genl_reply(c, req, cmd, NLM_F_MULTI);
		if (cmd == CLNET_CMD_ANNOUNCE_GET)
			put_ent(nlh, &mod.ents[i]);
		else
			put_pods(nlh, &mod.pods[i]);
		chunk_end(c, nlh);
	}
	put_done(chunk_new(), req->nlmsg_seq, 0, get_error(), get_error() ? mod.extack : NULL);
}

static void respond(const struct nlmsghdr *req, unsigned int nth)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(req);
	struct nlmsghdr *nlh;
	struct chunk *c;

	(void)nth;
	if (req->nlmsg_type == GENL_ID_CTRL) {
		respond_family(chunk_new(), req);
		return;
	}
	/* rtnetlink: a route change of a batch, accepted. */
	if (req->nlmsg_type == RTM_NEWROUTE) {
		if (mod.n_cmds < sizeof(mod.cmds))
			mod.cmds[mod.n_cmds++] = CMD_ROUTE;
		put_error(chunk_new(), req, 0, NULL);
		return;
	}
	if (mod.n_cmds < sizeof(mod.cmds))
		mod.cmds[mod.n_cmds++] = g->cmd;
	if (g->cmd != CLNET_CMD_GET_INFO && req->nlmsg_len <= sizeof(mod.req))
		memcpy(mod.req, req, req->nlmsg_len);
	switch (g->cmd) {
	case CLNET_CMD_GET_INFO:
		c = chunk_new();
		nlh = genl_reply(c, req, g->cmd, 0);
		mnl_attr_put_strz(nlh, CLNET_INFO_A_VERSION, mod.version);
		mnl_attr_put_u32(nlh, CLNET_INFO_A_GENL_VERSION, CLNET_GENL_VERSION);
		mnl_attr_put_u64(nlh, CLNET_INFO_A_FEATURES, mod.features);
		mnl_attr_put_u32(nlh, CLNET_INFO_A_FAMILIES, 1U << AF_INET);
		chunk_end(c, nlh);
		put_error(c, req, 0, NULL);
		break;
	case CLNET_CMD_ANNOUNCE_ADD:
	case CLNET_CMD_ANNOUNCE_RENEW:
	case CLNET_CMD_ANNOUNCE_DEL:
	case CLNET_CMD_ANNOUNCE_PODS_SET:
		mod.changes++;
		c = chunk_new();
		if (mod.fail_nth && mod.changes != mod.fail_nth)
			put_error(c, req, 0, NULL);
		else
			refuse(c, req);
		break;
	case CLNET_CMD_ANNOUNCE_GET:
		memcpy(mod.get_req, req, req->nlmsg_len);
		if (req->nlmsg_flags & NLM_F_DUMP) {
			respond_dump(req, g->cmd);
			break;
		}
		c = chunk_new();
		if (get_error() || !mod.n_ents) {
			refuse(c, req);
			break;
		}
		nlh = genl_reply(c, req, g->cmd, 0);
		put_ent(nlh, &mod.ents[0]);
		chunk_end(c, nlh);
		put_error(c, req, 0, NULL);
		break;
	case CLNET_CMD_ANNOUNCE_PODS_GET:
		memcpy(mod.pods_req, req, req->nlmsg_len);
		respond_dump(req, g->cmd);
		break;
	default:
		put_error(chunk_new(), req, -EOPNOTSUPP, NULL);
	}
}

/* ---- running clnetctl ---- */

static char out[65536], err[8192];

static void respond_events(const struct nlmsghdr *req, unsigned int nth);

/* The fake module's answers: respond(), or for monitor respond_events(). */
static void (*responder)(const struct nlmsghdr *req, unsigned int nth) = respond;

/* Run "clnetctl LINE" (words split at blanks); its exit status. */
static int run(const char *line)
{
	char *copy = strdup(line), *argv[256], *w;
	struct capture co, ce;
	int argc = 0, ret;

	if (!copy)
		abort();
	argv[argc++] = "clnetctl";
	for (w = strtok(copy, " "); w && argc < 255; w = strtok(NULL, " "))
		argv[argc++] = w;
	argv[argc] = NULL;
	fake_reset(responder);
	fake.join_error = mod.join_error;
	mod.n_cmds = 0;
	mod.changes = 0;
	capture_fd(&co, 1);
	capture_fd(&ce, 2);
	ret = clnetctl_main(argc, argv);
	capture_fd_end(&ce, err, sizeof(err));
	capture_fd_end(&co, out, sizeof(out));
	free(copy);
	return ret;
}

static const char *const cmd_names[CMD_ROUTE + 1] = {
	[CMD_ROUTE]			= "ROUTE",
	[CLNET_CMD_GET_INFO]		= "GET_INFO",
	[CLNET_CMD_ANNOUNCE_ADD]	= "ADD",
	[CLNET_CMD_ANNOUNCE_RENEW]	= "RENEW",
	[CLNET_CMD_ANNOUNCE_DEL]	= "DEL",
	[CLNET_CMD_ANNOUNCE_GET]	= "GET",
	[CLNET_CMD_ANNOUNCE_PODS_SET]	= "PODS_SET",
	[CLNET_CMD_ANNOUNCE_PODS_GET]	= "PODS_GET",
};

/* The commands the module received, as "GET_INFO ADD". */
static const char *cmds_seen(void)
{
	static char buf[512];
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < mod.n_cmds; i++) {
		uint8_t c = mod.cmds[i];
		const char *name = c < sizeof(cmd_names) / sizeof(cmd_names[0]) &&
				   cmd_names[c] ? cmd_names[c] : "?";

		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
			 i ? " " : "", name);
	}
	return buf;
}

static void put_text(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void put_text(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

static const char *const attr_names[] = {
	[CLNET_ANNOUNCE_A_ADDR]			= "ADDR",
	[CLNET_ANNOUNCE_A_IFINDEX]		= "IFINDEX",
	[CLNET_ANNOUNCE_A_IFNAME]		= "IFNAME",
	[CLNET_ANNOUNCE_A_LEASE_MS]		= "LEASE_MS",
	[CLNET_ANNOUNCE_A_GARP_COUNT]		= "GARP_COUNT",
	[CLNET_ANNOUNCE_A_GARP_INTERVAL_MS]	= "GARP_INTERVAL_MS",
	[CLNET_ANNOUNCE_A_REFRESH_MS]		= "REFRESH_MS",
	[CLNET_ANNOUNCE_A_PODS]			= "PODS",
};

/*
 * The attributes of request @req as text, each checked for its type:
 * ADDR exactly 4 bytes in network byte order, u32s 4 bytes, PODS 1,
 * IFNAME a NUL-terminated string.
 */
static const char *describe(const char *req)
{
	static char buf[4096];
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)req;
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;

	buf[0] = '\0';
	if (g->version != CLNET_GENL_VERSION)
		put_text(buf, sizeof(buf), "(version %u) ", g->version);
	if ((nlh->nlmsg_flags & (NLM_F_REQUEST | NLM_F_ACK)) != (NLM_F_REQUEST | NLM_F_ACK))
		put_text(buf, sizeof(buf), "(flags %#x) ", nlh->nlmsg_flags);
	if (nlh->nlmsg_flags & NLM_F_DUMP)
		put_text(buf, sizeof(buf), "(dump) ");
	mnl_attr_for_each(a, nlh, sizeof(*g)) {
		uint16_t t = mnl_attr_get_type(a);
		const char *name = t < sizeof(attr_names) / sizeof(attr_names[0]) ?
				   attr_names[t] : NULL;
		const uint8_t *b = mnl_attr_get_payload(a);
		unsigned int len = mnl_attr_get_payload_len(a);

		if (buf[0] && buf[strlen(buf) - 1] != ' ')
			put_text(buf, sizeof(buf), " ");
		if (!name)
			put_text(buf, sizeof(buf), "?%u", t);
		else if (t == CLNET_ANNOUNCE_A_IFNAME)
			put_text(buf, sizeof(buf), "IFNAME=\"%s\"",
				 mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0 ?
				 "(not a string)" : mnl_attr_get_str(a));
		else if (t == CLNET_ANNOUNCE_A_PODS && len == 1)
			put_text(buf, sizeof(buf), "PODS=%u", b[0]);
		else if (t == CLNET_ANNOUNCE_A_ADDR && len == 4)
			put_text(buf, sizeof(buf), "ADDR=%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
		else if (t != CLNET_ANNOUNCE_A_ADDR && t != CLNET_ANNOUNCE_A_PODS && len == 4)
			put_text(buf, sizeof(buf), "%s=%u", name, mnl_attr_get_u32(a));
		else
			put_text(buf, sizeof(buf), "%s(len %u)", name, len);
	}
	return buf;
}

/* ---- usage errors ---- */

/* "clnetctl LINE" is a usage error saying @msg, and sends nothing. */
static void usage_case(const char *line, const char *msg)
{
	char want[1024];
	int ret;

	mod_reset();
	ret = run(line);
	snprintf(want, sizeof(want), "clnetctl: %s; try \"clnetctl help\"\n", msg);
	ok(ret == 2 && !strcmp(err, want) && !*out && fake.sends == 0,
	   "%.60s%s: usage error, nothing sent (rc %d, %s)", line,
	   strlen(line) > 60 ? "..." : "", ret, one_line(err));
	if (strcmp(err, want))
		printf("# got:    %s# wanted: %s", err, want);
}

static void test_usage(void)
{
	static const char *const durs[] = { "lease", "garp-interval", "refresh" };
	char line[256], msg[256];
	size_t i;

	usage_case("announce add", "announce add needs an ADDR");
	usage_case("announce add 10.0.193.10", "announce add needs \"dev DEV\"");
	usage_case("announce add 10.0.193.10 lease 10s", "announce add needs \"dev DEV\"");
	usage_case("announce add dev eth0",
		   "announce add: \"dev\" is not an IPv4 address (A.B.C.D)");
	usage_case("announce add 10.0.193 dev eth0",
		   "announce add: \"10.0.193\" is not an IPv4 address (A.B.C.D)");
	usage_case("announce add 10.0.193.256 dev eth0",
		   "announce add: \"10.0.193.256\" is not an IPv4 address (A.B.C.D)");
	usage_case("announce add 10.0.193.010 dev eth0",
		   "announce add: \"10.0.193.010\" is not an IPv4 address (A.B.C.D)");
	usage_case("announce add 10.0.193.0/24 dev eth0",
		   "announce add: \"10.0.193.0/24\" is not an IPv4 address (A.B.C.D)");
	usage_case("announce add fe80::1 dev eth0",
		   "announce add: \"fe80::1\" is not an IPv4 address (A.B.C.D)");
	usage_case("announce add node1 dev eth0",
		   "announce add: \"node1\" is not an IPv4 address (A.B.C.D)");
	usage_case("announce add 10.0.193.10 dev",
		   "announce add: \"dev\" needs a value");
	usage_case("announce add 10.0.193.10 dev eth0 lease",
		   "announce add: \"lease\" needs a value");
	usage_case("announce add 10.0.193.10 dev a/b",
		   "announce add: dev \"a/b\" is not a valid interface name");
	usage_case("announce add 10.0.193.10 dev enp3s0enp3s0enp3s0",
		   "announce add: dev \"enp3s0enp3s0enp3s0\" is not a valid interface name");
	usage_case("announce add 10.0.193.10 dev eth0 dev eth1",
		   "announce add: dev given twice");
	usage_case("announce add 10.0.193.10 dev eth0 lease 1s lease 2s",
		   "announce add: lease given twice");
	usage_case("announce add 10.0.193.10 dev eth0 garp-c 1 garp-count 2",
		   "announce add: garp-count given twice");
	usage_case("announce add 10.0.193.10 dev eth0 garp-i 1s garp-interval 2s",
		   "announce add: garp-interval given twice");
	usage_case("announce add 10.0.193.10 dev eth0 r 1s refresh 2s",
		   "announce add: refresh given twice");
	usage_case("announce add 10.0.193.10 dev eth0 via 10.0.192.1",
		   "announce add: keyword \"via\" is unknown");
	usage_case("announce add 10.0.193.10 dev eth0 garp 4",
		   "announce add: keyword \"garp\" is ambiguous");
	usage_case("announce add 10.0.193.10 10.0.193.11 dev eth0",
		   "announce add: keyword \"10.0.193.11\" is unknown");
	/* Durations: a unit, a number, 32 bits of milliseconds. */
	for (i = 0; i < sizeof(durs) / sizeof(durs[0]); i++) {
		snprintf(line, sizeof(line), "announce add 10.0.193.10 dev eth0 %s 10", durs[i]);
		snprintf(msg, sizeof(msg), "announce add: %s \"10\" needs a unit (ms, s, m or h)",
			 durs[i]);
		usage_case(line, msg);
		snprintf(line, sizeof(line), "announce add 10.0.193.10 dev eth0 %s ten", durs[i]);
		snprintf(msg, sizeof(msg),
			 "announce add: %s \"ten\" is not a duration (such as 500ms, 10s, 2m, 1h)",
			 durs[i]);
		usage_case(line, msg);
		snprintf(line, sizeof(line), "announce add 10.0.193.10 dev eth0 %s 1200h", durs[i]);
		snprintf(msg, sizeof(msg),
			 "announce add: %s \"1200h\" is too long (at most 4294967295 ms)", durs[i]);
		usage_case(line, msg);
	}
	usage_case("announce add 10.0.193.10 dev eth0 lease 0",
		   "announce add: lease \"0\" needs a unit (ms, s, m or h)");
	usage_case("announce add 10.0.193.10 dev eth0 lease 1m30",
		   "announce add: lease \"1m30\" needs a unit (ms, s, m or h)");
	usage_case("announce add 10.0.193.10 dev eth0 lease 1.5s",
		   "announce add: lease \"1.5s\" is not a duration (such as 500ms, 10s, 2m, 1h)");
	usage_case("announce add 10.0.193.10 dev eth0 lease -1s",
		   "announce add: lease \"-1s\" is not a duration (such as 500ms, 10s, 2m, 1h)");
	usage_case("announce add 10.0.193.10 dev eth0 lease 10sec",
		   "announce add: lease \"10sec\" is not a duration (such as 500ms, 10s, 2m, 1h)");
	usage_case("announce add 10.0.193.10 dev eth0 lease 1d",
		   "announce add: lease \"1d\" is not a duration (such as 500ms, 10s, 2m, 1h)");
	usage_case("announce add 10.0.193.10 dev eth0 lease 10S",
		   "announce add: lease \"10S\" is not a duration (such as 500ms, 10s, 2m, 1h)");
	usage_case("announce add 10.0.193.10 dev eth0 lease 1s1m",
		   "announce add: lease \"1s1m\" is not a duration (such as 500ms, 10s, 2m, 1h)");
	usage_case("announce add 10.0.193.10 dev eth0 lease 4294967296ms",
		   "announce add: lease \"4294967296ms\" is too long (at most 4294967295 ms)");
	usage_case("announce add 10.0.193.10 dev eth0 lease 99999999999999999999999h",
		   "announce add: lease \"99999999999999999999999h\" is too long "
		   "(at most 4294967295 ms)");
	usage_case("announce add 10.0.193.10 dev eth0 garp-count four",
		   "announce add: garp-count \"four\" is not a number");
	usage_case("announce add 10.0.193.10 dev eth0 garp-count -1",
		   "announce add: garp-count \"-1\" is not a number");
	usage_case("announce add 10.0.193.10 dev eth0 garp-count 4s",
		   "announce add: garp-count \"4s\" is not a number");
	usage_case("announce add 10.0.193.10 dev eth0 garp-count 4294967296",
		   "announce add: garp-count \"4294967296\" is too large");
	/* What each command takes. */
	usage_case("announce renew", "announce renew needs an ADDR");
	usage_case("announce renew 10.0.193.10", "announce renew needs \"dev DEV\"");
	usage_case("announce renew 10.0.193.10 dev eth0 refresh 1s",
		   "announce renew: keyword \"refresh\" is unknown");
	usage_case("announce renew 10.0.193.10 dev eth0 lease 5",
		   "announce renew: lease \"5\" needs a unit (ms, s, m or h)");
	usage_case("announce del", "announce del needs an ADDR");
	usage_case("announce del 10.0.193.10", "announce del needs \"dev DEV\"");
	usage_case("announce del 10.0.193.10 dev eth0 lease 1s",
		   "announce del: keyword \"lease\" is unknown");
	usage_case("announce pods", "announce pods needs \"dev DEV\"");
	usage_case("announce pods on", "announce pods needs \"dev DEV\"");
	usage_case("announce pods dev eth0", "announce pods needs \"on\" or \"off\"");
	usage_case("announce pods dev eth0 on off", "announce pods: on or off given twice");
	usage_case("announce pods dev eth0 on lease 1s",
		   "announce pods: keyword \"lease\" is unknown");
	usage_case("announce pods dev eth0 yes", "announce pods: keyword \"yes\" is unknown");
	usage_case("announce pods dev eth0 on garp-interval 5",
		   "announce pods: garp-interval \"5\" needs a unit (ms, s, m or h)");
	usage_case("announce pods 10.0.193.10 dev eth0 on",
		   "announce pods: keyword \"10.0.193.10\" is unknown");
	usage_case("announce show 10.0.1", "announce show: \"10.0.1\" is not an IPv4 address (A.B.C.D)");
	usage_case("announce show all", "announce show: \"all\" is not an IPv4 address (A.B.C.D)");
	usage_case("announce show dev", "announce show: \"dev\" needs a value");
	usage_case("announce show dev eth0 lease 1s", "announce show: keyword \"lease\" is unknown");
	usage_case("announce show 10.0.193.10 10.0.193.11",
		   "announce show: keyword \"10.0.193.11\" is unknown");
	usage_case("announce frob", "announce: command \"frob\" is unknown");
	usage_case("announce up 10.0.193.10 dev eth0", "announce: command \"up\" is unknown");
	usage_case("an a 10.0.193.10", "announce add needs \"dev DEV\"");
	usage_case("a", "object \"a\" is ambiguous");
	usage_case("m", "object \"m\" is ambiguous");
	usage_case("monitor now", "monitor: unexpected \"now\"");
}

/* ---- the requests ---- */

/* "clnetctl LINE" succeeds, silently, sending @cmds, the last with @attrs. */
static void request_case(const char *line, const char *cmds, const char *attrs)
{
	const char *got;
	int ret;

	mod_reset();
	ret = run(line);
	got = describe(mod.req);
	ok(ret == 0 && !*out && !*err && !strcmp(cmds_seen(), cmds) && !strcmp(got, attrs),
	   "%.60s%s: %s with its attributes (rc %d, %s)", line, strlen(line) > 60 ? "..." : "",
	   cmds, ret, cmds_seen());
	if (strcmp(got, attrs))
		printf("# got:    %s\n# wanted: %s\n", got, attrs);
	if (*err)
		printf("# stderr: %s", err);
}

static void test_requests(void)
{
	request_case("announce add 10.0.193.10 dev enp3s0", "GET_INFO ADD",
		     "ADDR=10.0.193.10 IFNAME=\"enp3s0\"");
	request_case("announce add 10.0.193.10 dev enp3s0 lease 10s garp-count 4 "
		     "garp-interval 500ms refresh 1m", "GET_INFO ADD",
		     "ADDR=10.0.193.10 IFNAME=\"enp3s0\" LEASE_MS=10000 GARP_COUNT=4 "
		     "GARP_INTERVAL_MS=500 REFRESH_MS=60000");
	/* Any order, abbreviated, every unit. */
	request_case("announce a 192.168.7.1 r 1h l 1s500ms garp-i 10ms d br0 garp-c 0",
		     "GET_INFO ADD",
		     "ADDR=192.168.7.1 IFNAME=\"br0\" LEASE_MS=1500 GARP_COUNT=0 "
		     "GARP_INTERVAL_MS=10 REFRESH_MS=3600000");
	request_case("announce add 10.0.193.10 dev eth0.100 lease 24h refresh 0s",
		     "GET_INFO ADD",
		     "ADDR=10.0.193.10 IFNAME=\"eth0.100\" LEASE_MS=86400000 REFRESH_MS=0");
	request_case("announce add 10.0.193.10 dev eth0 lease 4294967295ms garp-count 4294967295",
		     "GET_INFO ADD",
		     "ADDR=10.0.193.10 IFNAME=\"eth0\" LEASE_MS=4294967295 GARP_COUNT=4294967295");
	request_case("announce renew 10.0.193.10 dev enp3s0", "GET_INFO RENEW",
		     "ADDR=10.0.193.10 IFNAME=\"enp3s0\"");
	request_case("announce renew 10.0.193.10 dev enp3s0 lease 2m", "GET_INFO RENEW",
		     "ADDR=10.0.193.10 IFNAME=\"enp3s0\" LEASE_MS=120000");
	request_case("announce ren 10.0.193.10 l 800ms d enp3s0", "GET_INFO RENEW",
		     "ADDR=10.0.193.10 IFNAME=\"enp3s0\" LEASE_MS=800");
	request_case("announce del 10.0.193.10 dev enp3s0", "GET_INFO DEL",
		     "ADDR=10.0.193.10 IFNAME=\"enp3s0\"");
	request_case("announce delete 10.0.193.10 dev enp3s0", "GET_INFO DEL",
		     "ADDR=10.0.193.10 IFNAME=\"enp3s0\"");
	request_case("announce pods dev enp3s0 on", "GET_INFO PODS_SET",
		     "IFNAME=\"enp3s0\" PODS=1");
	request_case("announce pods off dev enp3s0", "GET_INFO PODS_SET",
		     "IFNAME=\"enp3s0\" PODS=0");
	request_case("announce p d enp3s0 on garp-count 2 garp-interval 50ms", "GET_INFO PODS_SET",
		     "IFNAME=\"enp3s0\" PODS=1 GARP_COUNT=2 GARP_INTERVAL_MS=50");
	request_case("announce pods dev enp3s0 off garp-count 2", "GET_INFO PODS_SET",
		     "IFNAME=\"enp3s0\" PODS=0 GARP_COUNT=2");
}

/* ---- what only the kernel judges, and its refusals ---- */

/*
 * "clnetctl LINE" is sent as @attrs and the kernel's refusal (@error,
 * @extack, pointing at @bad) is printed as @msg, with exit status 1.
 */
static void refusal_case(const char *line, const char *attrs, int error,
			 const char *extack, uint16_t bad, const char *msg)
{
	const char *got;
	int ret;

	mod_reset();
	mod.error = error;
	mod.extack = extack;
	mod.bad_type = bad;
	ret = run(line);
	got = describe(mod.req);
	ok(ret == 1 && !*out && !strcmp(err, msg) && !strcmp(got, attrs),
	   "%.50s%s: sent, the kernel's refusal printed (rc %d, %s)", line,
	   strlen(line) > 50 ? "..." : "", ret, one_line(err));
	if (strcmp(got, attrs))
		printf("# got:    %s\n# wanted: %s\n", got, attrs);
	if (strcmp(err, msg))
		printf("# got:    %s# wanted: %s", err, msg);
}

static void test_refusals(void)
{
	static const char *const not_unicast[] = {
		"0.0.0.0", "0.1.2.3", "127.0.0.1", "224.0.0.1", "239.255.255.250",
		"240.0.0.1", "255.255.255.255",
	};
	char line[128], attrs[128];
	size_t i;
	int ret;

	for (i = 0; i < sizeof(not_unicast) / sizeof(not_unicast[0]); i++) {
		snprintf(line, sizeof(line), "announce add %s dev enp3s0", not_unicast[i]);
		snprintf(attrs, sizeof(attrs), "ADDR=%s IFNAME=\"enp3s0\"", not_unicast[i]);
		refusal_case(line, attrs, -EINVAL, "not a unicast address", CLNET_ANNOUNCE_A_ADDR,
			     "Error: not a unicast address (attribute ADDR)\n");
	}
	refusal_case("announce add 10.0.193.10 dev enp3s0 lease 0s",
		     "ADDR=10.0.193.10 IFNAME=\"enp3s0\" LEASE_MS=0", -EINVAL,
		     "lease must be 100 ms to 24 h", CLNET_ANNOUNCE_A_LEASE_MS,
		     "Error: lease must be 100 ms to 24 h (attribute LEASE_MS)\n");
	refusal_case("announce add 10.0.193.10 dev enp3s0 lease 99ms",
		     "ADDR=10.0.193.10 IFNAME=\"enp3s0\" LEASE_MS=99", -ERANGE,
		     "integer out of range", CLNET_ANNOUNCE_A_LEASE_MS,
		     "Error: integer out of range (attribute LEASE_MS)\n");
	refusal_case("announce add 10.0.193.10 dev enp3s0 lease 1000h",
		     "ADDR=10.0.193.10 IFNAME=\"enp3s0\" LEASE_MS=3600000000", -EINVAL,
		     "lease must be 100 ms to 24 h", CLNET_ANNOUNCE_A_LEASE_MS,
		     "Error: lease must be 100 ms to 24 h (attribute LEASE_MS)\n");
	refusal_case("announce add 10.0.193.10 dev enp3s0 garp-count 101",
		     "ADDR=10.0.193.10 IFNAME=\"enp3s0\" GARP_COUNT=101", -EINVAL,
		     "garp-count must be 0 to 100", CLNET_ANNOUNCE_A_GARP_COUNT,
		     "Error: garp-count must be 0 to 100 (attribute GARP_COUNT)\n");
	refusal_case("announce add 10.0.193.10 dev enp3s0 garp-interval 1ms",
		     "ADDR=10.0.193.10 IFNAME=\"enp3s0\" GARP_INTERVAL_MS=1", -EINVAL,
		     "garp-interval must be 10 ms to 60 s", CLNET_ANNOUNCE_A_GARP_INTERVAL_MS,
		     "Error: garp-interval must be 10 ms to 60 s (attribute GARP_INTERVAL_MS)\n");
	refusal_case("announce add 10.0.193.10 dev enp3s0 refresh 500ms",
		     "ADDR=10.0.193.10 IFNAME=\"enp3s0\" REFRESH_MS=500", -EINVAL,
		     "refresh must be 0 or 1 s to 24 h", CLNET_ANNOUNCE_A_REFRESH_MS,
		     "Error: refresh must be 0 or 1 s to 24 h (attribute REFRESH_MS)\n");
	refusal_case("announce add 10.0.193.10 dev eth9", "ADDR=10.0.193.10 IFNAME=\"eth9\"",
		     -ENODEV, "no such device", CLNET_ANNOUNCE_A_IFNAME,
		     "Error: no such device (attribute IFNAME)\n");
	refusal_case("announce add 10.0.193.10 dev lo", "ADDR=10.0.193.10 IFNAME=\"lo\"",
		     -EINVAL, "not an Ethernet device that does ARP", CLNET_ANNOUNCE_A_IFNAME,
		     "Error: not an Ethernet device that does ARP (attribute IFNAME)\n");
	refusal_case("announce add 10.0.193.10 dev lxc1", "ADDR=10.0.193.10 IFNAME=\"lxc1\"",
		     -EINVAL, "a clnet pair end cannot announce", CLNET_ANNOUNCE_A_IFNAME,
		     "Error: a clnet pair end cannot announce (attribute IFNAME)\n");
	refusal_case("announce add 10.0.193.10 dev enp3s0", "ADDR=10.0.193.10 IFNAME=\"enp3s0\"",
		     -EEXIST, "already announced on this device", 0,
		     "Error: already announced on this device\n");
	refusal_case("announce add 10.0.193.10 dev enp3s0", "ADDR=10.0.193.10 IFNAME=\"enp3s0\"",
		     -ENOSPC, "too many announcements", 0, "Error: too many announcements\n");
	refusal_case("announce renew 10.0.193.10 dev enp3s0", "ADDR=10.0.193.10 IFNAME=\"enp3s0\"",
		     -ENOENT, "not announced on this device", 0,
		     "Error: not announced on this device\n");
	refusal_case("announce renew 10.0.193.10 dev enp3s0", "ADDR=10.0.193.10 IFNAME=\"enp3s0\"",
		     -EINVAL, "a static entry has no lease to renew", 0,
		     "Error: a static entry has no lease to renew\n");
	refusal_case("announce del 10.0.193.10 dev enp3s0", "ADDR=10.0.193.10 IFNAME=\"enp3s0\"",
		     -ENOENT, "not announced on this device", 0,
		     "Error: not announced on this device\n");
	refusal_case("announce pods dev enp3s0 on", "IFNAME=\"enp3s0\" PODS=1", -EPERM, NULL, 0,
		     "Error: Operation not permitted\n");
	refusal_case("announce pods dev lxc1 on", "IFNAME=\"lxc1\" PODS=1", -EINVAL,
		     "a clnet pair end cannot announce", CLNET_ANNOUNCE_A_IFNAME,
		     "Error: a clnet pair end cannot announce (attribute IFNAME)\n");

	/* A module without announcements: named, nothing else sent. */
	mod_reset();
	mod.features = 1ULL << CLNET_FEATURE_LINK | 1ULL << CLNET_FEATURE_MASQ;
	mod.version = "0.2.0";
	ret = run("announce add 10.0.193.10 dev enp3s0");
	ok(ret == 1 && !*out && !strcmp(cmds_seen(), "GET_INFO") &&
	   !strcmp(err, "clnetctl: the loaded clnet module (version 0.2.0) has no ARP "
		   "announcements (feature \"announce\"); load a clnet.ko that has it\n"),
	   "a module without announce is named, nothing else sent (%s)", one_line(err));
	ret = run("-j announce show");
	ok(ret == 1 && !*out && !strcmp(cmds_seen(), "GET_INFO"),
	   "... for show too, with no JSON printed (rc %d)", ret);
	ret = run("announce pods dev enp3s0 on");
	ok(ret == 1 && !*out && !strcmp(cmds_seen(), "GET_INFO"), "... and for pods (rc %d)", ret);
}

/* ---- show ---- */

#define NO	(-1)

/* The brief's examples and more, in no order (the dump's hash order). */
static const struct ent ents_example[] = {
	{ "10.0.193.12", 3, "enp3s0", CLNET_ANNOUNCE_STATE_EXPIRED,
	  CLNET_ANNOUNCE_REASON_LEASE_EXPIRED, 1000, 0, 4, 500, 0, 0, 8, 0, 61000, 0 },
	{ "10.0.193.10", 3, "enp3s0", CLNET_ANNOUNCE_STATE_ACTIVE, NO, 10000, 7234,
	  4, 500, 0, 3, 8, 0, 2150, 0 },
	{ "192.168.1.1", 7, "br0", CLNET_ANNOUNCE_STATE_ACTIVE, NO, NO, NO,
	  0, 10, 30000, 18446744073709551615ULL, 5, 1, 999, 0 },
	{ "10.0.193.11", 3, "enp3s0", CLNET_ANNOUNCE_STATE_INACTIVE,
	  CLNET_ANNOUNCE_REASON_NO_CARRIER, NO, NO, 4, 500, 0, 0, 8, 0, 30000, 0 },
	{ "10.0.193.9", 3, "enp3s0", CLNET_ANNOUNCE_STATE_INACTIVE,
	  CLNET_ANNOUNCE_REASON_LINK_DOWN, 86400000, 3601500, 100, 60000, 86400000,
	  0, 0, 0, NO, 0 },
	{ "10.0.200.1", 4, "enp3s0.100", CLNET_ANNOUNCE_STATE_ACTIVE, NO, 1500, 1499,
	  4, 1500, 0, 0, 2, 0, 0, 0 },
};

/* A newer module: a state, a reason and an attribute this CLI does not know. */
static const struct ent ents_newer[] = {
	{ "10.0.193.20", 3, "enp3s0", 9, 42, NO, NO, 4, 500, 0, 0, 0, 0, NO, 200 },
	{ "10.0.193.21", 3, NULL, CLNET_ANNOUNCE_STATE_EXPIRED,
	  CLNET_ANNOUNCE_REASON_LINK_DOWN, 100, 0, 4, 500, 0, 0, 0, 0, NO, 0 },
};

static const struct ent ents_no_addr[] = {
	{ NULL, 3, "enp3s0", CLNET_ANNOUNCE_STATE_ACTIVE, NO, NO, NO, 4, 500, 0, 0, 0, 0, NO, 0 },
};

static const struct pods pods_example[] = {
	{ 7, "br0", 2, 50, 0, 0, 0 },
	{ 3, "enp3s0", 4, 500, 12, 16, 1 },
};

static const char example_text[] =
	"10.0.193.9 dev enp3s0 inactive link-down lease 24h left 1h1s garp 100/1m "
	"refresh 24h replies 0 garps 0 failed 0\n"
	"10.0.193.10 dev enp3s0 active lease 10s left 7.2s garp 4/500ms replies 3 garps 8 "
	"failed 0 last-garp 2.1s\n"
	"10.0.193.11 dev enp3s0 inactive no-carrier static garp 4/500ms replies 0 garps 8 "
	"failed 0 last-garp 30s\n"
	"10.0.193.12 dev enp3s0 expired lease 1s left 0 garp 4/500ms replies 0 garps 8 "
	"failed 0 last-garp 1m1s\n"
	"10.0.200.1 dev enp3s0.100 active lease 1s500ms left 1.4s garp 4/1s500ms replies 0 "
	"garps 2 failed 0 last-garp 0\n"
	"192.168.1.1 dev br0 active static garp 0/10ms refresh 30s replies "
	"18446744073709551615 garps 5 failed 1 last-garp 999ms\n"
	"pods dev enp3s0 garp 4/500ms replies 12 garps 16 failed 1\n"
	"pods dev br0 garp 2/50ms replies 0 garps 0 failed 0\n";

static const char example_json[] =
	"{\"entries\":["
	"{\"addr\":\"10.0.193.9\",\"dev\":\"enp3s0\",\"ifindex\":3,\"state\":\"inactive\","
	"\"reason\":\"link-down\",\"lease_ms\":86400000,\"lease_left_ms\":3601500,"
	"\"garp_count\":100,\"garp_interval_ms\":60000,\"refresh_ms\":86400000,"
	"\"replies\":0,\"garps\":0,\"garp_failed\":0},"
	"{\"addr\":\"10.0.193.10\",\"dev\":\"enp3s0\",\"ifindex\":3,\"state\":\"active\","
	"\"lease_ms\":10000,\"lease_left_ms\":7234,\"garp_count\":4,\"garp_interval_ms\":500,"
	"\"replies\":3,\"garps\":8,\"garp_failed\":0,\"last_garp_ms\":2150},"
	"{\"addr\":\"10.0.193.11\",\"dev\":\"enp3s0\",\"ifindex\":3,\"state\":\"inactive\","
	"\"reason\":\"no-carrier\",\"garp_count\":4,\"garp_interval_ms\":500,"
	"\"replies\":0,\"garps\":8,\"garp_failed\":0,\"last_garp_ms\":30000},"
	"{\"addr\":\"10.0.193.12\",\"dev\":\"enp3s0\",\"ifindex\":3,\"state\":\"expired\","
	"\"reason\":\"lease-expired\",\"lease_ms\":1000,\"lease_left_ms\":0,\"garp_count\":4,"
	"\"garp_interval_ms\":500,\"replies\":0,\"garps\":8,\"garp_failed\":0,"
	"\"last_garp_ms\":61000},"
	"{\"addr\":\"10.0.200.1\",\"dev\":\"enp3s0.100\",\"ifindex\":4,\"state\":\"active\","
	"\"lease_ms\":1500,\"lease_left_ms\":1499,\"garp_count\":4,\"garp_interval_ms\":1500,"
	"\"replies\":0,\"garps\":2,\"garp_failed\":0,\"last_garp_ms\":0},"
	"{\"addr\":\"192.168.1.1\",\"dev\":\"br0\",\"ifindex\":7,\"state\":\"active\","
	"\"garp_count\":0,\"garp_interval_ms\":10,\"refresh_ms\":30000,"
	"\"replies\":18446744073709551615,\"garps\":5,\"garp_failed\":1,\"last_garp_ms\":999}"
	"],\"pods\":["
	"{\"dev\":\"enp3s0\",\"ifindex\":3,\"garp_count\":4,\"garp_interval_ms\":500,"
	"\"replies\":12,\"garps\":16,\"garp_failed\":1},"
	"{\"dev\":\"br0\",\"ifindex\":7,\"garp_count\":2,\"garp_interval_ms\":50,"
	"\"replies\":0,\"garps\":0,\"garp_failed\":0}"
	"]}\n";

/* "clnetctl LINE" against @ents and @pods prints exactly @want, sending @cmds. */
static void show_case(const char *what, const struct ent *ents, unsigned int n_ents,
		      const struct pods *pods, unsigned int n_pods, const char *line,
		      const char *cmds, const char *want)
{
	int ret;

	mod_reset();
	mod.ents = ents;
	mod.n_ents = n_ents;
	mod.pods = pods;
	mod.n_pods = n_pods;
	ret = run(line);
	ok(ret == 0 && !*err && !strcmp(out, want) && !strcmp(cmds_seen(), cmds),
	   "show, %s: \"%s\" prints what it should (rc %d, %s)", what, line, ret, cmds_seen());
	if (strcmp(out, want))
		printf("# got:\n%s# wanted:\n%s", out, want);
	if (*err)
		printf("# stderr: %s", err);
}

#define N(a) (unsigned int)(sizeof(a) / sizeof((a)[0]))

static void test_show(void)
{
	int ret;

	show_case("the examples", ents_example, N(ents_example), pods_example,
		  N(pods_example), "announce show", "GET_INFO GET PODS_GET", example_text);
	ok(!strcmp(describe(mod.get_req), "(dump) ") &&
	   !strcmp(describe(mod.pods_req), "(dump) "),
	   "... both dumps, without attributes (%s, %s)", describe(mod.get_req),
	   describe(mod.pods_req));
	show_case("the examples", ents_example, N(ents_example), pods_example,
		  N(pods_example), "announce", "GET_INFO GET PODS_GET", example_text);
	show_case("the examples", ents_example, N(ents_example), pods_example,
		  N(pods_example), "announce ls", "GET_INFO GET PODS_GET", example_text);
	show_case("the examples", ents_example, N(ents_example), pods_example,
		  N(pods_example), "-j announce show", "GET_INFO GET PODS_GET", example_json);
	show_case("nothing", NULL, 0, NULL, 0, "announce show", "GET_INFO GET PODS_GET", "");
	show_case("nothing", NULL, 0, NULL, 0, "-j announce show", "GET_INFO GET PODS_GET",
		  "{\"entries\":[],\"pods\":[]}\n");
	show_case("nothing", NULL, 0, NULL, 0, "-p announce show", "GET_INFO GET PODS_GET",
		  "{\n    \"entries\": [],\n    \"pods\": []\n}\n");
	show_case("one entry", ents_example + 1, 1, NULL, 0, "-p announce show",
		  "GET_INFO GET PODS_GET",
		  "{\n"
		  "    \"entries\": [\n"
		  "        {\n"
		  "            \"addr\": \"10.0.193.10\",\n"
		  "            \"dev\": \"enp3s0\",\n"
		  "            \"ifindex\": 3,\n"
		  "            \"state\": \"active\",\n"
		  "            \"lease_ms\": 10000,\n"
		  "            \"lease_left_ms\": 7234,\n"
		  "            \"garp_count\": 4,\n"
		  "            \"garp_interval_ms\": 500,\n"
		  "            \"replies\": 3,\n"
		  "            \"garps\": 8,\n"
		  "            \"garp_failed\": 0,\n"
		  "            \"last_garp_ms\": 2150\n"
		  "        }\n"
		  "    ],\n"
		  "    \"pods\": []\n"
		  "}\n");
	show_case("a newer module", ents_newer, N(ents_newer), NULL, 0, "announce show",
		  "GET_INFO GET PODS_GET",
		  "10.0.193.20 dev enp3s0 state 9 reason 42 static garp 4/500ms replies 0 "
		  "garps 0 failed 0\n"
		  "10.0.193.21 dev #3 expired link-down lease 100ms left 0 garp 4/500ms "
		  "replies 0 garps 0 failed 0\n");
	show_case("a newer module", ents_newer, N(ents_newer), NULL, 0, "-j announce show",
		  "GET_INFO GET PODS_GET",
		  "{\"entries\":["
		  "{\"addr\":\"10.0.193.20\",\"dev\":\"enp3s0\",\"ifindex\":3,\"state\":9,"
		  "\"reason\":42,\"garp_count\":4,\"garp_interval_ms\":500,\"replies\":0,"
		  "\"garps\":0,\"garp_failed\":0},"
		  "{\"addr\":\"10.0.193.21\",\"dev\":null,\"ifindex\":3,\"state\":\"expired\","
		  "\"reason\":\"link-down\",\"lease_ms\":100,\"lease_left_ms\":0,"
		  "\"garp_count\":4,\"garp_interval_ms\":500,\"replies\":0,\"garps\":0,"
		  "\"garp_failed\":0}],\"pods\":[]}\n");

	/* dev DEV: the kernel filters; pods of other devices are not shown. */
	show_case("dev enp3s0", ents_example + 1, 1, pods_example, N(pods_example),
		  "announce show dev enp3s0", "GET_INFO GET PODS_GET",
		  "10.0.193.10 dev enp3s0 active lease 10s left 7.2s garp 4/500ms replies 3 "
		  "garps 8 failed 0 last-garp 2.1s\n"
		  "pods dev enp3s0 garp 4/500ms replies 12 garps 16 failed 1\n");
	ok(!strcmp(describe(mod.get_req), "(dump) IFNAME=\"enp3s0\"") &&
	   !strcmp(describe(mod.pods_req), "(dump) "),
	   "... the entries' dump names the device (%s)", describe(mod.get_req));
	show_case("dev enp3s0, a module that dumps more", ents_example, N(ents_example), NULL, 0,
		  "announce show d enp3s0.100", "GET_INFO GET PODS_GET",
		  "10.0.200.1 dev enp3s0.100 active lease 1s500ms left 1.4s garp 4/1s500ms "
		  "replies 0 garps 2 failed 0 last-garp 0\n");
	/* ADDR dev DEV: that entry alone, no pods. */
	show_case("ADDR dev DEV", ents_example + 1, 1, pods_example, N(pods_example),
		  "announce show 10.0.193.10 dev enp3s0", "GET_INFO GET",
		  "10.0.193.10 dev enp3s0 active lease 10s left 7.2s garp 4/500ms replies 3 "
		  "garps 8 failed 0 last-garp 2.1s\n");
	ok(!strcmp(describe(mod.get_req), "ADDR=10.0.193.10 IFNAME=\"enp3s0\""),
	   "... asked for by a do request (%s)", describe(mod.get_req));
	usage_case("announce show dev enp3s0 10.0.193.10",
		   "announce show: keyword \"10.0.193.10\" is unknown");
	/* ADDR alone: on every device. */
	show_case("ADDR", ents_example, N(ents_example), pods_example, N(pods_example),
		  "announce show 192.168.1.1", "GET_INFO GET",
		  "192.168.1.1 dev br0 active static garp 0/10ms refresh 30s replies "
		  "18446744073709551615 garps 5 failed 1 last-garp 999ms\n");

	/* Failures: nothing printed, exit 1. */
	mod_reset();
	mod.error = -ENOENT;
	mod.extack = "not announced on this device";
	mod.bad_type = CLNET_ANNOUNCE_A_ADDR;
	ret = run("-j announce show 10.0.193.10 dev enp3s0");
	ok(ret == 1 && !*out &&
	   !strcmp(err, "Error: not announced on this device (attribute ADDR)\n"),
	   "show ADDR dev DEV of no entry: the kernel's refusal, no JSON (%s)", one_line(err));
	mod_reset();
	mod.ents = ents_example;
	mod.n_ents = N(ents_example);
	mod.error = -ENODEV;
	mod.extack = "no such device";
	ret = run("announce show dev eth9");
	ok(ret == 1 && !*out && !strcmp(err, "Error: no such device\n") &&
	   !strcmp(cmds_seen(), "GET_INFO GET"),
	   "a refused dump: its error, nothing printed, no pods asked (%s)", one_line(err));
	mod_reset();
	mod.ents = ents_no_addr;
	mod.n_ents = 1;
	ret = run("-j announce show");
	ok(ret == 1 && !*out && strstr(err, "bad reply from the kernel"),
	   "an entry without its address is a bad reply, nothing printed (%s)", one_line(err));
}

/* ---- durations as show prints them ---- */

static void fmt_case(uint64_t ms, bool exact, const char *want)
{
	char buf[64];

	announce_fmt_ms(ms, exact, buf, sizeof(buf));
	ok(!strcmp(buf, want), "%llu ms %s is \"%s\" (got \"%s\")", (unsigned long long)ms,
	   exact ? "exactly" : "roughly", want, buf);
}

static void test_fmt(void)
{
	fmt_case(0, true, "0ms");
	fmt_case(10, true, "10ms");
	fmt_case(500, true, "500ms");
	fmt_case(1000, true, "1s");
	fmt_case(1500, true, "1s500ms");
	fmt_case(60000, true, "1m");
	fmt_case(90000, true, "1m30s");
	fmt_case(3600000, true, "1h");
	fmt_case(3601001, true, "1h1s1ms");
	fmt_case(86400000, true, "24h");
	fmt_case(4294967295ULL, true, "1193h2m47s295ms");
	fmt_case(0, false, "0");
	fmt_case(1, false, "1ms");
	fmt_case(999, false, "999ms");
	fmt_case(1000, false, "1s");
	fmt_case(1099, false, "1s");
	fmt_case(7234, false, "7.2s");
	fmt_case(7299, false, "7.2s");
	fmt_case(59999, false, "59.9s");
	fmt_case(60000, false, "1m");
	fmt_case(61999, false, "1m1s");
	fmt_case(3601500, false, "1h1s");
	fmt_case(18446744073709551615ULL, false, "5124095576030h25m51s");
}

/* ---- batch ---- */

static int run_batch(const char *opts, const char *text)
{
	char path[] = "/tmp/clnetctl-test-announce-XXXXXX", line[128];
	int fd = mkstemp(path), ret;

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
	snprintf(line, sizeof(line), "%s-b %s", opts, path);
	ret = run(line);
	unlink(path);
	return ret;
}

/* @n "announce add" lines, then one "announce show". */
static const char *many_adds(unsigned int n)
{
	static char text[1 << 16];
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
					"announce add 10.0.%u.%u dev enp3s0 lease 10s\n",
					200 + i / 250, 1 + i % 250);
	snprintf(text + len, sizeof(text) - len, "announce show\n");
	return text;
}

/* Pipelined: more lines than the window, a refusal found by its line. */
static void test_big_batch(void)
{
	const char *end;
	int ret;

	mod_reset();
	ret = run_batch("", many_adds(600));
	ok(ret == 0 && !*err && !*out && mod.changes == 600 && fake.empty_reads == 0,
	   "batch: 600 adds pipelined past the window of %d, all sent (rc %d, %u sent)",
	   PIPELINE_WINDOW, ret, mod.changes);
	ok(!strcmp(describe(mod.req), "(dump) "),
	   "... the show at the end came after them all (%s)", describe(mod.req));

	mod_reset();
	mod.fail_nth = 300;
	mod.error = -ENOSPC;
	mod.extack = "too many announcements";
	ret = run_batch("", many_adds(600));
	end = err + strlen(err) - 5;
	ok(ret == 1 && !strncmp(err, "Error: too many announcements\n", 30) &&
	   !strcmp(end, ":300\n") && mod.changes >= 300 &&
	   mod.changes <= 300 + PIPELINE_WINDOW,
	   "batch: the 300th of 600 refused: named by its line, at most a window more "
	   "sent (%u), none after (%s)", mod.changes, one_line(err));
	ret = run_batch("-force ", many_adds(600));
	ok(ret == 1 && !strcmp(err + strlen(err) - 5, ":300\n") && mod.changes == 600,
	   "batch -force: all 600 sent, the refusal named (%u, %s)", mod.changes,
	   one_line(err));

	/* Routes (rtnetlink) and announcements (genl) pipelined in turn. */
	mod_reset();
	ret = run_batch("", "route add 10.0.209.0/24 via 10.0.192.21\n"
			"announce add 10.0.193.10 dev enp3s0\n"
			"announce add 10.0.193.11 dev enp3s0\n"
			"addroute 10.0.210.0/24 via 10.0.192.22\n"
			"announce del 10.0.193.10 dev enp3s0\n");
	ok(ret == 0 && !*err && !strcmp(cmds_seen(), "ROUTE GET_INFO ADD ADD ROUTE DEL") &&
	   fake.empty_reads == 0,
	   "batch: route and announce changes mixed, each socket waited for in turn (%s)",
	   cmds_seen());
}

static void test_batch(void)
{
	const char *text =
		"announce add 10.0.193.10 dev enp3s0 lease 10s\n"
		"# a comment\n"
		"announce add 10.0.193.11 dev enp3s0\n"
		"announce renew 10.0.193.10 dev enp3s0\n"
		"announce pods dev enp3s0 on\n"
		"announce del 10.0.193.11 dev enp3s0\n"
		"announce show\n";
	const char *refused = "Error: already announced on this device\n"
			      "clnetctl: command failed /tmp/clnetctl-test-announce-";
	int ret;

	mod_reset();
	mod.ents = ents_example + 1;
	mod.n_ents = 1;
	ret = run_batch("", text);
	ok(ret == 0 && !*err &&
	   !strcmp(out, "10.0.193.10 dev enp3s0 active lease 10s left 7.2s garp 4/500ms "
		   "replies 3 garps 8 failed 0 last-garp 2.1s\n") &&
	   !strcmp(cmds_seen(), "GET_INFO ADD ADD RENEW PODS_SET DEL GET PODS_GET"),
	   "batch: every command in order, GET_INFO once (%s)", cmds_seen());

	mod_reset();
	mod.fail_nth = 2;
	mod.error = -EEXIST;
	mod.extack = "already announced on this device";
	ret = run_batch("", text);
	ok(ret == 1 && !*out &&
	   !strncmp(err, refused, strlen(refused)) &&
	   !strcmp(err + strlen(err) - 3, ":3\n") &&
	   !strcmp(cmds_seen(), "GET_INFO ADD ADD RENEW"),
	   "batch: a refused line is named by its number; the change sent behind it "
	   "completes, the rest is not run (%s; %s)", one_line(err), cmds_seen());
	ret = run_batch("-force ", text);
	ok(ret == 1 && !strcmp(cmds_seen(), "GET_INFO ADD ADD RENEW PODS_SET DEL GET PODS_GET"),
	   "batch -force: the rest runs all the same (%s)", cmds_seen());

	test_big_batch();

	mod_reset();
	ret = run_batch("", "announce add 10.0.193.10 dev enp3s0\n"
			"announce add 10.0.193.11 dev enp3s0 lease 10\n"
			"announce del 10.0.193.10 dev enp3s0\n");
	ok(ret == 1 && !strcmp(cmds_seen(), "GET_INFO ADD") &&
	   strstr(err, "clnetctl: announce add: lease \"10\" needs a unit (ms, s, m or h); "
		  "try \"clnetctl help\"\nclnetctl: command failed ") &&
	   !strcmp(err + strlen(err) - 3, ":2\n"),
	   "batch: a usage error stops it at its line (%s)", one_line(err));
}

/* ---- help ---- */

static void test_help(void)
{
	int ret;

	mod_reset();
	ret = run("announce help");
	ok(ret == 0 && !strncmp(out, "Usage: clnetctl announce add ADDR dev DEV", 41) &&
	   fake.sends == 0, "announce help: the usage, nothing sent");
	ret = run("announce add help");
	ok(ret == 0 && !strncmp(out, "Usage: clnetctl announce add ADDR dev DEV", 41) &&
	   fake.sends == 0, "announce add help: the same");
	ret = run("announce pods -h");
	ok(ret == 0 && !strncmp(out, "Usage: clnetctl announce add ADDR dev DEV", 41) &&
	   fake.sends == 0, "announce pods -h: the same");
	ret = run("monitor help");
	ok(ret == 0 && !strncmp(out, "Usage: clnetctl [ -j [ -p ] ] monitor", 37) &&
	   fake.sends == 0, "monitor help: its usage, nothing sent");
	ret = run("help");
	ok(ret == 0 && strstr(out, " announce | monitor ") &&
	   strstr(out, "\n  announce   ARP announcements") && strstr(out, "\n  monitor    "),
	   "help lists announce and monitor");
}

/* ---- monitor ---- */

static void time_case(const char *tz, time_t sec, long nsec, const char *want)
{
	struct timespec ts = { sec, nsec };
	char buf[64];

	setenv("TZ", tz, 1);
	tzset();
	monitor_fmt_time(&ts, buf, sizeof(buf));
	ok(!strcmp(buf, want), "time in TZ %s: %s (got %s)", tz, want, buf);
}

static void test_time(void)
{
	time_case("UTC", 1796220185, 123456789, "2026-12-02T14:03:05.123456+00:00");
	time_case("UTC", 1796220185, 0, "2026-12-02T14:03:05.000000+00:00");
	time_case("UTC", 1796220185, 999999999, "2026-12-02T14:03:05.999999+00:00");
	time_case("XST-5:30", 1796220185, 1000, "2026-12-02T19:33:05.000001+05:30");
	time_case("YST+3", 1796220185, 500000, "2026-12-02T11:03:05.000500-03:00");
	setenv("TZ", "UTC", 1);
	tzset();
}

/* An event of the events group, as the kernel multicasts it. */
static struct nlmsghdr *event(struct chunk *c, uint8_t cmd)
{
	struct nlmsghdr *nlh = reply(c, FAKE_FAMILY, 0, 0);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	nlh->nlmsg_pid = 0;
	g->cmd = cmd;
	g->version = CLNET_GENL_VERSION;
	return nlh;
}

static void announce_event(struct chunk *c, uint8_t cmd, const char *addr, uint32_t ifindex,
			   const char *ifname, uint32_t state, int64_t reason, uint16_t extra)
{
	struct nlmsghdr *nlh = event(c, cmd);

	if (addr)
		put_addr(nlh, CLNET_ANNOUNCE_A_ADDR, addr);
	mnl_attr_put_u32(nlh, CLNET_ANNOUNCE_A_IFINDEX, ifindex);
	if (ifname)
		mnl_attr_put_strz(nlh, CLNET_ANNOUNCE_A_IFNAME, ifname);
	mnl_attr_put_u32(nlh, CLNET_ANNOUNCE_A_STATE, state);
	if (reason >= 0)
		mnl_attr_put_u32(nlh, CLNET_ANNOUNCE_A_REASON, (uint32_t)reason);
	if (extra)
		mnl_attr_put_u32(nlh, extra, 1);
	chunk_end(c, nlh);
}

static void link_event(struct chunk *c, uint8_t cmd, uint32_t ifindex, const char *ifname,
		       const char *peer)
{
	struct nlmsghdr *nlh = event(c, cmd);

	mnl_attr_put_u32(nlh, CLNET_LINK_A_IFINDEX, ifindex);
	mnl_attr_put_strz(nlh, CLNET_LINK_A_IFNAME, ifname);
	if (peer) {
		mnl_attr_put_u32(nlh, CLNET_LINK_A_PEER_IFINDEX, 2);
		mnl_attr_put_strz(nlh, CLNET_LINK_A_PEER_IFNAME, peer);
		mnl_attr_put_u32(nlh, CLNET_LINK_A_PEER_NETNSID, 0);
		mnl_attr_put_u32(nlh, CLNET_LINK_A_MODE, CLNET_LINK_MODE_L2);
		mnl_attr_put_u32(nlh, CLNET_LINK_A_POLICY, CLNET_LINK_POLICY_FORWARD);
		mnl_attr_put_u32(nlh, CLNET_LINK_A_MTU, 1500);
		mnl_attr_put(nlh, CLNET_LINK_A_PRIMARY, 0, NULL);
		mnl_attr_put_u8(nlh, CLNET_LINK_A_CARRIER, 0);
	}
	chunk_end(c, nlh);
}

static int stop_signal;

static void raise_stop(void)
{
	raise(stop_signal);
}

/* Queue the events of the scenario: the ones of the brief, then the odd ones. */
static void queue_events(void)
{
	struct chunk *c = chunk_new();
	struct nlmsghdr *nlh;

	/* Two in one read. */
	announce_event(c, CLNET_CMD_ANNOUNCE_UP, "10.0.193.10", 3, "enp3s0",
		       CLNET_ANNOUNCE_STATE_ACTIVE, NO, 0);
	announce_event(c, CLNET_CMD_ANNOUNCE_DOWN, "10.0.193.10", 3, "enp3s0",
		       CLNET_ANNOUNCE_STATE_EXPIRED, CLNET_ANNOUNCE_REASON_LEASE_EXPIRED, 0);
	announce_event(chunk_new(), CLNET_CMD_ANNOUNCE_EXPIRE, "10.0.193.10", 3, "enp3s0",
		       CLNET_ANNOUNCE_STATE_EXPIRED, CLNET_ANNOUNCE_REASON_LEASE_EXPIRED, 0);
	link_event(chunk_new(), CLNET_CMD_LINK_NEW, 5, "lxc1", "eth0");
	link_event(chunk_new(), CLNET_CMD_LINK_DEL, 5, "lxc1", NULL);
	announce_event(chunk_new(), CLNET_CMD_ANNOUNCE_DOWN, "10.0.193.11", 3, "enp3s0",
		       CLNET_ANNOUNCE_STATE_INACTIVE, CLNET_ANNOUNCE_REASON_NO_CARRIER, 0);
	/* The receive buffer overflowed: said, and listening goes on. */
	chunk_error(ENOBUFS);
	announce_event(chunk_new(), CLNET_CMD_ANNOUNCE_DOWN, "10.0.193.11", 4, NULL, 7, 42, 0);
	announce_event(chunk_new(), CLNET_CMD_ANNOUNCE_UP, "10.0.193.12", 3, "enp3s0",
		       CLNET_ANNOUNCE_STATE_ACTIVE, NO, 200);
	/* An event of a newer module, and a message of another family. */
	c = chunk_new();
	nlh = event(c, 99);
	mnl_attr_put_u32(nlh, 1, 5);
	mnl_attr_put_strz(nlh, 3, "x");
	chunk_end(c, nlh);
	nlh = event(c, CLNET_CMD_ANNOUNCE_UP);
	nlh->nlmsg_type = FAKE_FAMILY + 1;
	chunk_end(c, nlh);
}

static void family_event(struct chunk *c, uint8_t cmd, uint16_t id, const char *name)
{
	struct nlmsghdr *nlh = reply(c, GENL_ID_CTRL, 0, 0);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	nlh->nlmsg_pid = 0;
	g->cmd = cmd;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, id);
	chunk_end(c, nlh);
}

/*
 * The controller's news: another family goes, clnet's is new (a reload
 * would say so), then clnet's goes: the end, before the event behind it.
 */
static void queue_unload(void)
{
	struct chunk *c = chunk_new();

	family_event(c, CTRL_CMD_DELFAMILY, FAKE_FAMILY + 1, "other");
	family_event(c, CTRL_CMD_NEWFAMILY, FAKE_FAMILY, CLNET_GENL_NAME);
	family_event(c, CTRL_CMD_DELFAMILY, FAKE_FAMILY, CLNET_GENL_NAME);
	announce_event(c, CLNET_CMD_ANNOUNCE_UP, "10.0.193.99", 3, "enp3s0",
		       CLNET_ANNOUNCE_STATE_ACTIVE, NO, 0);
}

static const char monitor_text[] =
	"announce up 10.0.193.10 dev enp3s0\n"
	"announce down 10.0.193.10 dev enp3s0 reason lease-expired\n"
	"announce expire 10.0.193.10 dev enp3s0\n"
	"link new lxc1 peer eth0\n"
	"link del lxc1\n"
	"announce down 10.0.193.11 dev enp3s0 reason no-carrier\n"
	"announce down 10.0.193.11 dev #4 reason 42\n"
	"announce up 10.0.193.12 dev enp3s0 attr 200\n"
	"event 99 attr 1 attr 3\n";

static const char monitor_json[] =
	"{\"event\":\"announce-up\",\"addr\":\"10.0.193.10\",\"dev\":\"enp3s0\","
	"\"ifindex\":3,\"state\":\"active\"}\n"
	"{\"event\":\"announce-down\",\"addr\":\"10.0.193.10\",\"dev\":\"enp3s0\","
	"\"ifindex\":3,\"state\":\"expired\",\"reason\":\"lease-expired\"}\n"
	"{\"event\":\"announce-expire\",\"addr\":\"10.0.193.10\",\"dev\":\"enp3s0\","
	"\"ifindex\":3,\"state\":\"expired\",\"reason\":\"lease-expired\"}\n"
	"{\"event\":\"link-new\",\"dev\":\"lxc1\",\"ifindex\":5,\"peer\":\"eth0\","
	"\"peer_ifindex\":2,\"peer_netnsid\":0,\"mode\":\"l2\",\"mtu\":1500}\n"
	"{\"event\":\"link-del\",\"dev\":\"lxc1\",\"ifindex\":5}\n"
	"{\"event\":\"announce-down\",\"addr\":\"10.0.193.11\",\"dev\":\"enp3s0\","
	"\"ifindex\":3,\"state\":\"inactive\",\"reason\":\"no-carrier\"}\n"
	"{\"event\":\"announce-down\",\"addr\":\"10.0.193.11\",\"dev\":null,"
	"\"ifindex\":4,\"state\":7,\"reason\":42}\n"
	"{\"event\":\"announce-up\",\"addr\":\"10.0.193.12\",\"dev\":\"enp3s0\","
	"\"ifindex\":3,\"state\":\"active\",\"unknown_attrs\":[200]}\n"
	"{\"event\":99,\"unknown_attrs\":[1,3]}\n";

static bool digits(const char *s, int n)
{
	for (; n; n--, s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Is @s "YYYY-MM-DDTHH:MM:SS.UUUUUU+00:00" (TZ is UTC)? */
static bool is_stamp(const char *s)
{
	return digits(s, 4) && s[4] == '-' && digits(s + 5, 2) && s[7] == '-' &&
	       digits(s + 8, 2) && s[10] == 'T' && digits(s + 11, 2) && s[13] == ':' &&
	       digits(s + 14, 2) && s[16] == ':' && digits(s + 17, 2) && s[19] == '.' &&
	       digits(s + 20, 6) && !strncmp(s + 26, "+00:00", 6);
}

/*
 * @out without the time stamps, which must be there: "STAMP " before each
 * line, or "\"time\":\"STAMP\"," first in each object.
 */
static const char *unstamped(bool json, bool *stamped)
{
	static char buf[sizeof(out)];
	const char *p = out, *nl;
	size_t len = 0, skip = json ? 9 + 32 + 2 : 33;

	*stamped = true;
	buf[0] = '\0';
	while (*p) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		if ((size_t)(nl - p) < skip ||
		    (json ? strncmp(p, "{\"time\":\"", 9) || strncmp(p + 41, "\",", 2) ||
			    !is_stamp(p + 9)
			  : !is_stamp(p) || p[32] != ' ')) {
			*stamped = false;
			return out;
		}
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%.*s\n",
					json ? "{" : "", (int)(nl - p - skip), p + skip);
		p = *nl ? nl + 1 : nl;
	}
	return buf;
}

static void monitor_case(const char *line, int sig, const char *want)
{
	bool json = strstr(line, "-j") != NULL, stamped;
	const char *got;
	int ret;

	mod_reset();
	stop_signal = sig;
	/* The events come behind GET_INFO's answer (respond_events()). */
	ret = run(line);
	got = unstamped(json, &stamped);
	ok(ret == 0 && stamped && !strcmp(got, want) && fake.joins == 2 &&
	   fake.joined[0] == EVENTS_GROUP && fake.joined[1] == GENL_ID_CTRL &&
	   !strcmp(err, "clnetctl: events lost: the receive buffer overflowed\n"),
	   "%s, ended by %s: every event, stamped; groups %u and %u joined (rc %d, %s)",
	   line, sig == SIGINT ? "SIGINT" : "SIGTERM", fake.joined[0], fake.joined[1], ret,
	   one_line(err));
	if (strcmp(got, want))
		printf("# got:\n%s# wanted:\n%s", got, want);
}

/* GET_INFO's answer, then the events, then the signal when they are read. */
static void respond_events(const struct nlmsghdr *req, unsigned int nth)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(req);

	respond(req, nth);
	if (req->nlmsg_type != GENL_ID_CTRL && g->cmd == CLNET_CMD_GET_INFO) {
		queue_events();
		if (mod.events_error)
			chunk_error(mod.events_error);
		else if (mod.unload)
			queue_unload();
		else
			fake.on_empty = raise_stop;
	}
}

static void test_monitor(void)
{
	const char *got;
	sigset_t mask;
	bool stamped;
	int ret;

	monitor_case("monitor", SIGTERM, monitor_text);
	monitor_case("mon", SIGINT, monitor_text);
	monitor_case("-j monitor", SIGTERM, monitor_json);

	/* No signal is left pending, nor blocked, afterwards. */
	sigpending(&mask);
	ok(!sigismember(&mask, SIGTERM) && !sigismember(&mask, SIGINT),
	   "no signal left pending");
	sigprocmask(SIG_SETMASK, NULL, &mask);
	ok(!sigismember(&mask, SIGTERM) && !sigismember(&mask, SIGINT),
	   "SIGINT and SIGTERM unblocked again");

	/* Without the feature, or without the group: said, nothing joined. */
	mod_reset();
	mod.features &= ~(1ULL << CLNET_FEATURE_EVENTS);
	ret = run("monitor");
	ok(ret == 1 && !*out && !strcmp(err, "Error: module does not support events\n") &&
	   fake.joins == 0, "a module without events: said, nothing joined (%s)", one_line(err));
	mod_reset();
	mod.no_group = true;
	ret = run("-j monitor");
	ok(ret == 1 && !*out && !strcmp(err, "Error: module does not support events\n") &&
	   fake.joins == 0, "a family without the events group: the same (%s)", one_line(err));

	/* A refused join. */
	mod_reset();
	mod.join_error = EPERM;
	ret = run("-j monitor");
	ok(ret == 1 && !*out &&
	   !strcmp(err, "clnetctl: cannot join the events group: Operation not permitted\n"),
	   "a refused join: said, exit 1 (%s)", one_line(err));

	/* The module unloaded: said, exit 1. */
	mod_reset();
	mod.unload = true;
	ret = run("monitor");
	got = unstamped(false, &stamped);
	ok(ret == 1 && stamped && !strcmp(got, monitor_text) &&
	   strstr(err, "clnetctl: the clnet module was unloaded\n"),
	   "the module unloaded: what came before, said, exit 1 (%s)", one_line(err));

	/* A socket that fails while listening: the events before it, exit 1. */
	mod_reset();
	mod.events_error = EBADF;
	ret = run("monitor");
	got = unstamped(false, &stamped);
	ok(ret == 1 && stamped && !strcmp(got, monitor_text) &&
	   strstr(err, "clnetctl: netlink receive: Bad file descriptor\n"),
	   "a socket failing while listening: what came before, exit 1 (%s)", one_line(err));
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	tap_begin();
	test_usage();
	test_requests();
	test_refusals();
	test_show();
	test_fmt();
	test_batch();
	test_help();
	test_time();
	responder = respond_events;
	test_monitor();
	fake_reset(NULL);
	return tap_end();
}
