// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side tests of clnetctl masq (and of the fast path's NAT counters):
 * whole command lines run through clnetctl's main() against a fake clnet
 * module (fake_kernel.c plays the kernel). Checked: the usage errors of
 * "masq set" and that nothing is sent for them, the MASQ_SET request's
 * attributes (types, lengths, byte order), the kernel's refusals, and
 * the exact text and JSON of "masq show". TAP output; exits non-zero if
 * any case fails.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/clnet.h>

#include "fake_kernel.h"
#include "tap.h"

/* clnetctl.c's main(), compiled under this name (see the Makefile). */
int clnetctl_main(int argc, char **argv);

/* ---- the fake clnet module ---- */

static struct {
	uint64_t features;
	const char *version;
	/* Answer to MASQ_SET and MASQ_DEL: 0 (ACK) or an error... */
	int error;
	const char *extack;
	/*
	 * ...pointing at the nth (1, 2, ...) attribute of this type, if set,
	 * or @bad_inner bytes into it (an attribute of the nest); or saying
	 * that attribute @miss_type of that nest is missing.
	 */
	uint16_t bad_type;
	unsigned int bad_nth;
	int bad_inner;
	int miss_type;
	/* Attributes of the MASQ_GET or FASTPATH_GET reply. */
	void (*put_state)(struct nlmsghdr *nlh);
	/*
	 * The commands one run sent, in order, and the last request other
	 * than GET_INFO.
	 */
	uint8_t cmds[32];
	unsigned int n_cmds;
	char req[8192];
} mod;

static void mod_reset(void)
{
	memset(&mod, 0, sizeof(mod));
	mod.features = 1ULL << CLNET_FEATURE_LINK | 1ULL << CLNET_FEATURE_FASTPATH |
		       1ULL << CLNET_FEATURE_MASQ;
	mod.version = "0.2.0";
}

static void respond_family(struct chunk *c, const struct nlmsghdr *req)
{
	struct nlmsghdr *nlh = reply(c, GENL_ID_CTRL, 0, req->nlmsg_seq);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	g->cmd = CTRL_CMD_NEWFAMILY;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, CLNET_GENL_NAME);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FAKE_FAMILY);
	chunk_end(c, nlh);
	put_error(c, req, 0, NULL);
}

static struct nlmsghdr *genl_reply(struct chunk *c, const struct nlmsghdr *req,
				   uint8_t cmd)
{
	struct nlmsghdr *nlh = reply(c, FAKE_FAMILY, 0, req->nlmsg_seq);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	g->cmd = cmd;
	g->version = CLNET_GENL_VERSION;
	return nlh;
}

/* Byte offset in @req of the nth attribute of @type, or -1. */
static int attr_offset(const struct nlmsghdr *req, uint16_t type, unsigned int nth)
{
	struct nlattr *a;

	mnl_attr_for_each(a, req, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == type && !--nth)
			return (int)((const char *)a - (const char *)req);
	return -1;
}

static void respond(const struct nlmsghdr *req, unsigned int nth)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(req);
	struct chunk *c = chunk_new();
	struct nlmsghdr *nlh;
	struct ext ext = { mod.extack, -1, -1, 0 };

	(void)nth;
	if (req->nlmsg_type == GENL_ID_CTRL) {
		respond_family(c, req);
		return;
	}
	if (mod.n_cmds < sizeof(mod.cmds))
		mod.cmds[mod.n_cmds++] = g->cmd;
	if (g->cmd != CLNET_CMD_GET_INFO && req->nlmsg_len <= sizeof(mod.req))
		memcpy(mod.req, req, req->nlmsg_len);
	switch (g->cmd) {
	case CLNET_CMD_GET_INFO:
		nlh = genl_reply(c, req, g->cmd);
		mnl_attr_put_strz(nlh, CLNET_INFO_A_VERSION, mod.version);
		mnl_attr_put_u32(nlh, CLNET_INFO_A_GENL_VERSION, CLNET_GENL_VERSION);
		mnl_attr_put_u64(nlh, CLNET_INFO_A_FEATURES, mod.features);
		mnl_attr_put_u32(nlh, CLNET_INFO_A_FAMILIES, 1U << AF_INET);
		chunk_end(c, nlh);
		put_error(c, req, 0, NULL);
		break;
	case CLNET_CMD_MASQ_SET:
	case CLNET_CMD_MASQ_DEL:
		if (mod.bad_type && mod.miss_type) {
			ext.miss_nest = attr_offset(req, mod.bad_type, mod.bad_nth);
			ext.miss_type = mod.miss_type;
		} else if (mod.bad_type) {
			ext.offs = attr_offset(req, mod.bad_type, mod.bad_nth) + mod.bad_inner;
		}
		put_error(c, req, mod.error, mod.extack || ext.offs >= 0 ||
			  ext.miss_type >= 0 ? &ext : NULL);
		break;
	case CLNET_CMD_MASQ_GET:
	case CLNET_CMD_FASTPATH_GET:
		nlh = genl_reply(c, req, g->cmd);
		if (mod.put_state)
			mod.put_state(nlh);
		chunk_end(c, nlh);
		put_error(c, req, 0, NULL);
		break;
	default:
		put_error(c, req, -EOPNOTSUPP, NULL);
	}
}

/* ---- running clnetctl ---- */

static char out[16384], err[4096];

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
	fake_reset(respond);
	mod.n_cmds = 0;
	capture_fd(&co, 1);
	capture_fd(&ce, 2);
	ret = clnetctl_main(argc, argv);
	capture_fd_end(&ce, err, sizeof(err));
	capture_fd_end(&co, out, sizeof(out));
	free(copy);
	return ret;
}

/* ---- masq set: usage errors ---- */

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
}

/* "masq set native-cidr 10.0.208.0/20" and @n words "KEYWORD VALUEi". */
static const char *many(const char *keyword, int n)
{
	static char line[4096];
	size_t len;
	int i;

	len = (size_t)snprintf(line, sizeof(line), "masq set native-cidr 10.0.208.0/20");
	for (i = 0; i < n; i++) {
		if (!strcmp(keyword, "dev"))
			len += (size_t)snprintf(line + len, sizeof(line) - len,
						" dev eth%d", i);
		else
			len += (size_t)snprintf(line + len, sizeof(line) - len,
						" exclude 10.1.%d.0/24", i);
	}
	if (strcmp(keyword, "dev"))
		snprintf(line + len, sizeof(line) - len, " dev eth0");
	return line;
}

static void test_set_usage(void)
{
	char msg[128];

	usage_case("masq set", "masq set needs at least one \"dev DEV\"");
	usage_case("masq set native-cidr 10.0.208.0/20",
		   "masq set needs at least one \"dev DEV\"");
	usage_case("masq set dev eth0", "masq set needs \"native-cidr CIDR\"");
	usage_case("masq set dev eth0 exclude 10.0.192.0/24 src 10.0.192.11",
		   "masq set needs \"native-cidr CIDR\"");
	usage_case("masq set dev eth0 native-cidr 10.0.208.0/20 native-cidr 10.0.224.0/20",
		   "masq set: native-cidr given twice");
	usage_case("masq set native-cidr 10.0.208.0/20 dev eth0 n 10.0.208.0/20",
		   "masq set: native-cidr given twice");
	usage_case("masq set dev eth0 src 10.0.192.11 native-cidr 10.0.208.0/20 src 10.0.192.12",
		   "masq set: src given twice");
	usage_case("masq set dev eth0 native-cidr 10.0.208.0/20 dev eth0",
		   "masq set: dev eth0 given twice");
	usage_case("masq set dev eth0 native-cidr 10.0.208.0/20 exclude 10.0.1.1/24",
		   "exclude 10.0.1.1/24: host bits set (did you mean 10.0.1.0/24?)");
	usage_case("masq set dev eth0 native-cidr 10.0.208.1/20",
		   "native-cidr 10.0.208.1/20: host bits set (did you mean 10.0.208.0/20?)");
	usage_case("masq set dev eth0 native-cidr 10.0.208.0/33",
		   "native-cidr \"10.0.208.0/33\" is not an IPv4 prefix (A.B.C.D/LEN, LEN 0 to 32)");
	usage_case("masq set dev eth0 native-cidr 10.0.208.0/20 exclude pods",
		   "exclude \"pods\" is not an IPv4 prefix (A.B.C.D/LEN, LEN 0 to 32)");
	usage_case("masq set dev eth0 native-cidr 10.0.208.0/20 exclude 10.0.1.0/",
		   "exclude \"10.0.1.0/\" is not an IPv4 prefix (A.B.C.D/LEN, LEN 0 to 32)");
	usage_case("masq set dev eth0 native-cidr 10.0.208.0/20 src 10.0.192.0/24",
		   "masq set: src \"10.0.192.0/24\" is not an IPv4 address");
	usage_case("masq set dev eth0 native-cidr 10.0.208.0/20 src node",
		   "masq set: src \"node\" is not an IPv4 address");
	usage_case("masq set dev a/b native-cidr 10.0.208.0/20",
		   "masq set: dev \"a/b\" is not a valid interface name");
	usage_case("masq set dev lxc0123456789abc native-cidr 10.0.208.0/20",
		   "masq set: dev \"lxc0123456789abc\" is not a valid interface name");
	usage_case("masq set dev eth0 native-cidr 10.0.208.0/20 via 10.0.192.1",
		   "masq set: keyword \"via\" is unknown");
	usage_case("masq set dev eth0 native-cidr", "masq set: \"native-cidr\" needs a value");
	usage_case("masq set native-cidr 10.0.208.0/20 d", "masq set: \"dev\" needs a value");
	usage_case("masq s dev eth0", "masq: command \"s\" is ambiguous");
	usage_case("masq enable", "masq: command \"enable\" is unknown");
	usage_case("masq off now", "masq off: unexpected \"now\"");
	usage_case("masq show all", "masq show: unexpected \"all\"");
	snprintf(msg, sizeof(msg), "masq set: more than %d devs", CLNET_MASQ_MAX_DEVS);
	usage_case(many("dev", CLNET_MASQ_MAX_DEVS + 1), msg);
	snprintf(msg, sizeof(msg), "masq set: more than %d excludes", CLNET_MASQ_MAX_EXCLUDES);
	usage_case(many("exclude", CLNET_MASQ_MAX_EXCLUDES + 1), msg);
}

/* ---- masq set: the request ---- */

static const char *const cmd_names[] = {
	[CLNET_CMD_GET_INFO] = "GET_INFO",
	[CLNET_CMD_FASTPATH_GET] = "FASTPATH_GET",
	[CLNET_CMD_MASQ_SET] = "MASQ_SET",
	[CLNET_CMD_MASQ_DEL] = "MASQ_DEL",
	[CLNET_CMD_MASQ_GET] = "MASQ_GET",
};

/* The commands the module received, as "GET_INFO MASQ_SET". */
static const char *cmds_seen(void)
{
	static char buf[256];
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

/* An IPv4 address attribute: exactly 4 bytes, in network byte order. */
static void put_addr(char *buf, size_t len, const char *name, const struct nlattr *a)
{
	const uint8_t *b = mnl_attr_get_payload(a);

	if (mnl_attr_get_payload_len(a) != 4)
		put_text(buf, len, "%s(len %u)", name, mnl_attr_get_payload_len(a));
	else
		put_text(buf, len, "%s=%u.%u.%u.%u", name, b[0], b[1], b[2], b[3]);
}

static void describe_nest(char *buf, size_t len, const struct nlattr *nest, bool cidr)
{
	const struct nlattr *a;
	bool first = true;

	put_text(buf, len, "%s{", nest->nla_type & NLA_F_NESTED ? "" : "(not nested)");
	mnl_attr_for_each_nested(a, nest) {
		int t = mnl_attr_get_type(a);

		put_text(buf, len, "%s", first ? "" : " ");
		first = false;
		if (cidr && t == CLNET_CIDR_A_ADDR) {
			put_addr(buf, len, "ADDR", a);
		} else if (cidr && t == CLNET_CIDR_A_PREFIXLEN) {
			if (mnl_attr_get_payload_len(a) != 1)
				put_text(buf, len, "PREFIXLEN(len %u)",
					 mnl_attr_get_payload_len(a));
			else
				put_text(buf, len, "PREFIXLEN=%u", mnl_attr_get_u8(a));
		} else if (!cidr && t == CLNET_MASQ_DEV_A_IFNAME) {
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
				put_text(buf, len, "IFNAME(not a string)");
			else
				put_text(buf, len, "IFNAME=\"%s\"", mnl_attr_get_str(a));
		} else {
			put_text(buf, len, "?%d", t);
		}
	}
	put_text(buf, len, "}");
}

/* The attributes of the request the module saw last, as text. */
static const char *describe_req(void)
{
	static char buf[4096];
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)mod.req;
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;

	buf[0] = '\0';
	if (g->version != CLNET_GENL_VERSION)
		put_text(buf, sizeof(buf), "(version %u) ", g->version);
	if ((nlh->nlmsg_flags & (NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP)) !=
	    (NLM_F_REQUEST | NLM_F_ACK))
		put_text(buf, sizeof(buf), "(flags %#x) ", nlh->nlmsg_flags);
	mnl_attr_for_each(a, nlh, sizeof(*g)) {
		int t = mnl_attr_get_type(a);

		if (buf[0])
			put_text(buf, sizeof(buf), " ");
		switch (t) {
		case CLNET_MASQ_A_DEV:
			put_text(buf, sizeof(buf), "DEV");
			describe_nest(buf, sizeof(buf), a, false);
			break;
		case CLNET_MASQ_A_NATIVE_CIDR:
		case CLNET_MASQ_A_EXCLUDE:
			put_text(buf, sizeof(buf), t == CLNET_MASQ_A_EXCLUDE ?
				 "EXCLUDE" : "NATIVE_CIDR");
			describe_nest(buf, sizeof(buf), a, true);
			break;
		case CLNET_MASQ_A_SRC:
			put_addr(buf, sizeof(buf), "SRC", a);
			break;
		default:
			put_text(buf, sizeof(buf), "?%d", t);
		}
	}
	return buf;
}

/* "clnetctl LINE" succeeds, silently, and sends MASQ_SET with @attrs. */
static void set_case(const char *line, const char *attrs)
{
	const char *got;
	int ret;

	mod_reset();
	ret = run(line);
	got = describe_req();
	ok(ret == 0 && !*out && !*err && !strcmp(cmds_seen(), "GET_INFO MASQ_SET") &&
	   !strcmp(got, attrs), "%.50s...: the request's attributes (rc %d, %s)",
	   line, ret, cmds_seen());
	if (strcmp(got, attrs))
		printf("# got:    %s\n# wanted: %s\n", got, attrs);
}

static void test_set_request(void)
{
	char want[4096];
	size_t len = 0;
	int i;

	set_case("masq set dev eth0 native-cidr 10.0.208.0/20",
		 "DEV{IFNAME=\"eth0\"} NATIVE_CIDR{ADDR=10.0.208.0 PREFIXLEN=20}");
	set_case("masq set exclude 10.0.192.0/24 src 10.0.192.11 dev eth0 "
		 "native-cidr 10.0.208.0/20 dev eth1 exclude 192.168.7.9 exclude 0.0.0.0/0",
		 "DEV{IFNAME=\"eth0\"} DEV{IFNAME=\"eth1\"} "
		 "NATIVE_CIDR{ADDR=10.0.208.0 PREFIXLEN=20} "
		 "EXCLUDE{ADDR=10.0.192.0 PREFIXLEN=24} "
		 "EXCLUDE{ADDR=192.168.7.9 PREFIXLEN=32} "
		 "EXCLUDE{ADDR=0.0.0.0 PREFIXLEN=0} SRC=10.0.192.11");
	set_case("masq se d enp3s0 n 10.0.0.0/8 e 10.0.192.0/24 s 10.0.192.11",
		 "DEV{IFNAME=\"enp3s0\"} NATIVE_CIDR{ADDR=10.0.0.0 PREFIXLEN=8} "
		 "EXCLUDE{ADDR=10.0.192.0 PREFIXLEN=24} SRC=10.0.192.11");

	/* The limits themselves are fine. */
	for (i = 0; i < CLNET_MASQ_MAX_DEVS; i++)
		len += (size_t)snprintf(want + len, sizeof(want) - len,
					"DEV{IFNAME=\"eth%d\"} ", i);
	snprintf(want + len, sizeof(want) - len, "NATIVE_CIDR{ADDR=10.0.208.0 PREFIXLEN=20}");
	set_case(many("dev", CLNET_MASQ_MAX_DEVS), want);
	len = (size_t)snprintf(want, sizeof(want),
			       "DEV{IFNAME=\"eth0\"} NATIVE_CIDR{ADDR=10.0.208.0 PREFIXLEN=20}");
	for (i = 0; i < CLNET_MASQ_MAX_EXCLUDES; i++)
		len += (size_t)snprintf(want + len, sizeof(want) - len,
					" EXCLUDE{ADDR=10.1.%d.0 PREFIXLEN=24}", i);
	set_case(many("exclude", CLNET_MASQ_MAX_EXCLUDES), want);
}

/* ---- refusals, off, a module without masq ---- */

static void test_refusals(void)
{
	int ret;

	mod_reset();
	mod.error = -ENODEV;
	mod.extack = "no such device";
	mod.bad_type = CLNET_MASQ_A_DEV;
	mod.bad_nth = 2;
	ret = run("masq set dev eth0 dev eth9 native-cidr 10.0.208.0/20");
	ok(ret == 1 && !strcmp(err, "Error: no such device (attribute DEV #2)\n") && !*out,
	   "a refused set: exit 1, the kernel's extack and which DEV (%s)", one_line(err));

	mod.bad_inner = 4;	/* the IFNAME in it */
	ret = run("masq set dev eth0 dev eth9 native-cidr 10.0.208.0/20");
	ok(ret == 1 && !strcmp(err, "Error: no such device (attribute DEV #2)\n"),
	   "... pointing into the nest names the nest (%s)", one_line(err));
	mod.bad_nth = 1;
	ret = run("masq set dev eth9 native-cidr 10.0.208.0/20");
	ok(ret == 1 && !strcmp(err, "Error: no such device (attribute DEV)\n"),
	   "... just DEV when there is one (%s)", one_line(err));

	mod_reset();
	mod.error = -EINVAL;
	mod.bad_type = CLNET_MASQ_A_EXCLUDE;
	mod.bad_nth = 2;
	mod.miss_type = CLNET_CIDR_A_PREFIXLEN;
	ret = run("masq set dev eth0 native-cidr 10.0.208.0/20 exclude 10.0.1.0/24 "
		  "exclude 10.0.2.0/24");
	ok(ret == 1 && !strcmp(err, "Error: missing attribute 2 in EXCLUDE #2\n"),
	   "a missing attribute in a nest, named by the nest (%s)", one_line(err));

	mod_reset();
	mod.error = -EADDRNOTAVAIL;
	mod.extack = "src is not an address of this node";
	mod.bad_type = CLNET_MASQ_A_SRC;
	mod.bad_nth = 1;
	ret = run("masq set dev eth0 native-cidr 10.0.208.0/20 src 10.0.192.99");
	ok(ret == 1 &&
	   !strcmp(err, "Error: src is not an address of this node (attribute SRC)\n"),
	   "a refused src (%s)", one_line(err));

	mod_reset();
	mod.error = -EPERM;
	ret = run("masq off");
	ok(ret == 1 && !strcmp(err, "Error: Operation not permitted\n"),
	   "a refused off, no extack (%s)", one_line(err));

	mod_reset();
	ret = run("masq off");
	ok(ret == 0 && !*out && !*err && !strcmp(cmds_seen(), "GET_INFO MASQ_DEL") &&
	   !strcmp(describe_req(), ""), "masq off sends MASQ_DEL without attributes (%s)",
	   cmds_seen());

	mod_reset();
	mod.features = 1ULL << CLNET_FEATURE_LINK | 1ULL << CLNET_FEATURE_FASTPATH;
	mod.version = "0.1.0";
	ret = run("masq set dev eth0 native-cidr 10.0.208.0/20");
	ok(ret == 1 && !*out && !strcmp(cmds_seen(), "GET_INFO") &&
	   !strcmp(err, "clnetctl: the loaded clnet module (version 0.1.0) has no "
		   "masquerade (feature \"masq\"); load a clnet.ko that has it\n"),
	   "a module without masq is named, nothing else sent (%s)", one_line(err));
	ret = run("-j masq show");
	ok(ret == 1 && !*out && !strcmp(cmds_seen(), "GET_INFO"),
	   "... for show too, with no JSON printed (rc %d)", ret);
}

/* ---- masq show ---- */

static void put_cidr(struct nlmsghdr *nlh, uint16_t type, const char *addr, uint8_t len)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	struct in_addr a;

	inet_pton(AF_INET, addr, &a);
	mnl_attr_put_u32(nlh, CLNET_CIDR_A_ADDR, a.s_addr);
	mnl_attr_put_u8(nlh, CLNET_CIDR_A_PREFIXLEN, len);
	mnl_attr_nest_end(nlh, nest);
}

static void put_dev(struct nlmsghdr *nlh, uint32_t ifindex, const char *name,
		    const char *addr)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, CLNET_MASQ_A_DEV);
	struct in_addr a;

	mnl_attr_put_u32(nlh, CLNET_MASQ_DEV_A_IFINDEX, ifindex);
	if (name)
		mnl_attr_put_strz(nlh, CLNET_MASQ_DEV_A_IFNAME, name);
	if (addr) {
		inet_pton(AF_INET, addr, &a);
		mnl_attr_put_u32(nlh, CLNET_MASQ_DEV_A_ADDR, a.s_addr);
	}
	mnl_attr_nest_end(nlh, nest);
}

static void put_src(struct nlmsghdr *nlh, const char *addr)
{
	struct in_addr a;

	inet_pton(AF_INET, addr, &a);
	mnl_attr_put_u32(nlh, CLNET_MASQ_A_SRC, a.s_addr);
}

static void put_counters(struct nlmsghdr *nlh, const uint64_t v[7])
{
	struct nlattr *nest;

	mnl_attr_put_u64(nlh, CLNET_MASQ_A_FLOWS, v[0]);
	mnl_attr_put_u64(nlh, CLNET_MASQ_A_PACKETS, v[1]);
	mnl_attr_put_u64(nlh, CLNET_MASQ_A_BYTES, v[2]);
	nest = mnl_attr_nest_start(nlh, CLNET_MASQ_A_DROP);
	mnl_attr_put_u64(nlh, CLNET_MASQ_DROP_A_NO_ADDR, v[3]);
	mnl_attr_put_u64(nlh, CLNET_MASQ_DROP_A_NAT, v[4]);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u64(nlh, CLNET_MASQ_A_CT_INSERT_FAILED, v[5]);
	mnl_attr_put_u64(nlh, CLNET_MASQ_A_CT_DROP, v[6]);
}

/* The state of the brief: two devices, one without an address. */
static void state_example(struct nlmsghdr *nlh)
{
	static const uint64_t v[7] = { 12, 340, 51234, 0, 0, 0, 0 };

	mnl_attr_put_u8(nlh, CLNET_MASQ_A_ENABLED, 1);
	put_dev(nlh, 2, "eth0", "10.0.192.11");
	put_dev(nlh, 3, "eth1", NULL);
	put_cidr(nlh, CLNET_MASQ_A_NATIVE_CIDR, "10.0.208.0", 20);
	put_cidr(nlh, CLNET_MASQ_A_EXCLUDE, "10.0.192.0", 24);
	put_src(nlh, "10.0.192.11");
	put_counters(nlh, v);
}

/*
 * Everything out of order, every counter different, attributes and
 * reasons of a newer module, a device gone, two excludes, no SRC.
 */
static void state_mixed(struct nlmsghdr *nlh)
{
	static const uint64_t v[7] = { 1, 2, 3, 4, 5, 6, 18446744073709551615ULL };
	struct nlattr *nest;

	put_counters(nlh, v);
	mnl_attr_put_u32(nlh, CLNET_MASQ_A_PAD, 0);
	mnl_attr_put_u32(nlh, 200, 7);
	put_cidr(nlh, CLNET_MASQ_A_EXCLUDE, "10.0.192.0", 24);
	nest = mnl_attr_nest_start(nlh, CLNET_MASQ_A_DROP);
	mnl_attr_put_u64(nlh, CLNET_MASQ_DROP_A_MAX + 1, 98);
	mnl_attr_put_u64(nlh, 60, 99);
	mnl_attr_nest_end(nlh, nest);
	put_dev(nlh, 7, NULL, NULL);
	put_cidr(nlh, CLNET_MASQ_A_NATIVE_CIDR, "10.0.208.0", 20);
	nest = mnl_attr_nest_start(nlh, CLNET_MASQ_A_DEV);
	mnl_attr_put_u32(nlh, 42, 1);
	mnl_attr_put_strz(nlh, CLNET_MASQ_DEV_A_IFNAME, "enp3s0");
	mnl_attr_put_u32(nlh, CLNET_MASQ_DEV_A_IFINDEX, 4);
	mnl_attr_nest_end(nlh, nest);
	put_cidr(nlh, CLNET_MASQ_A_EXCLUDE, "172.16.0.0", 12);
	mnl_attr_put_u8(nlh, CLNET_MASQ_A_ENABLED, 1);
}

static void state_off(struct nlmsghdr *nlh)
{
	static const uint64_t v[7] = { 5, 0, 0, 1, 2, 3, 4 };

	mnl_attr_put_u8(nlh, CLNET_MASQ_A_ENABLED, 0);
	put_counters(nlh, v);
}

/* "clnetctl LINE" against @state prints exactly @want. */
static void show_case(const char *what, void (*state)(struct nlmsghdr *),
		      const char *line, const char *want)
{
	int ret;

	mod_reset();
	mod.put_state = state;
	ret = run(line);
	ok(ret == 0 && !*err && !strcmp(out, want) && !strcmp(cmds_seen(), "GET_INFO MASQ_GET"),
	   "%s: \"%s\" prints what it should (rc %d)", what, line, ret);
	if (strcmp(out, want))
		printf("# got:\n%s# wanted:\n%s", out, want);
}

static void test_show(void)
{
	show_case("the example", state_example, "masq show",
		  "masq on\n"
		  "dev eth0 addr 10.0.192.11\n"
		  "dev eth1 addr -\n"
		  "native-cidr 10.0.208.0/20\n"
		  "exclude 10.0.192.0/24\n"
		  "src 10.0.192.11\n"
		  "flows 12 packets 340 bytes 51234\n"
		  "drop no-addr 0 nat 0\n"
		  "conntrack insert-failed 0 drop 0\n");
	show_case("the example", state_example, "masq",
		  "masq on\n"
		  "dev eth0 addr 10.0.192.11\n"
		  "dev eth1 addr -\n"
		  "native-cidr 10.0.208.0/20\n"
		  "exclude 10.0.192.0/24\n"
		  "src 10.0.192.11\n"
		  "flows 12 packets 340 bytes 51234\n"
		  "drop no-addr 0 nat 0\n"
		  "conntrack insert-failed 0 drop 0\n");
	show_case("the example", state_example, "-j masq show",
		  "{\"enabled\":true,"
		  "\"devs\":[{\"ifindex\":2,\"ifname\":\"eth0\",\"addr\":\"10.0.192.11\"},"
		  "{\"ifindex\":3,\"ifname\":\"eth1\",\"addr\":null}],"
		  "\"native_cidr\":\"10.0.208.0/20\","
		  "\"exclude\":[\"10.0.192.0/24\"],"
		  "\"src\":\"10.0.192.11\","
		  "\"flows\":12,\"packets\":340,\"bytes\":51234,"
		  "\"drop\":{\"no_addr\":0,\"nat\":0},"
		  "\"conntrack\":{\"insert_failed\":0,\"drop\":0}}\n");
	show_case("the example", state_example, "-p masq show",
		  "{\n"
		  "    \"enabled\": true,\n"
		  "    \"devs\": [\n"
		  "        {\n"
		  "            \"ifindex\": 2,\n"
		  "            \"ifname\": \"eth0\",\n"
		  "            \"addr\": \"10.0.192.11\"\n"
		  "        },\n"
		  "        {\n"
		  "            \"ifindex\": 3,\n"
		  "            \"ifname\": \"eth1\",\n"
		  "            \"addr\": null\n"
		  "        }\n"
		  "    ],\n"
		  "    \"native_cidr\": \"10.0.208.0/20\",\n"
		  "    \"exclude\": [\n"
		  "        \"10.0.192.0/24\"\n"
		  "    ],\n"
		  "    \"src\": \"10.0.192.11\",\n"
		  "    \"flows\": 12,\n"
		  "    \"packets\": 340,\n"
		  "    \"bytes\": 51234,\n"
		  "    \"drop\": {\n"
		  "        \"no_addr\": 0,\n"
		  "        \"nat\": 0\n"
		  "    },\n"
		  "    \"conntrack\": {\n"
		  "        \"insert_failed\": 0,\n"
		  "        \"drop\": 0\n"
		  "    }\n"
		  "}\n");
	show_case("mixed order, newer attributes, a device gone", state_mixed, "masq show",
		  "masq on\n"
		  "dev #7 (gone)\n"
		  "dev enp3s0 addr -\n"
		  "native-cidr 10.0.208.0/20\n"
		  "exclude 10.0.192.0/24\n"
		  "exclude 172.16.0.0/12\n"
		  "flows 1 packets 2 bytes 3\n"
		  "drop no-addr 4 nat 5\n"
		  "conntrack insert-failed 6 drop 18446744073709551615\n");
	show_case("mixed order, newer attributes, a device gone", state_mixed, "-j masq",
		  "{\"enabled\":true,"
		  "\"devs\":[{\"ifindex\":7,\"ifname\":null,\"addr\":null},"
		  "{\"ifindex\":4,\"ifname\":\"enp3s0\",\"addr\":null}],"
		  "\"native_cidr\":\"10.0.208.0/20\","
		  "\"exclude\":[\"10.0.192.0/24\",\"172.16.0.0/12\"],"
		  "\"src\":null,"
		  "\"flows\":1,\"packets\":2,\"bytes\":3,"
		  "\"drop\":{\"no_addr\":4,\"nat\":5},"
		  "\"conntrack\":{\"insert_failed\":6,\"drop\":18446744073709551615}}\n");
	show_case("off", state_off, "masq show",
		  "masq off\n"
		  "flows 5 packets 0 bytes 0\n"
		  "drop no-addr 1 nat 2\n"
		  "conntrack insert-failed 3 drop 4\n");
	show_case("off", state_off, "-j masq show",
		  "{\"enabled\":false,\"devs\":[],\"native_cidr\":null,\"exclude\":[],"
		  "\"src\":null,\"flows\":5,\"packets\":0,\"bytes\":0,"
		  "\"drop\":{\"no_addr\":1,\"nat\":2},"
		  "\"conntrack\":{\"insert_failed\":3,\"drop\":4}}\n");
	show_case("an empty reply (a module that sends nothing)", NULL, "-j masq show",
		  "{\"enabled\":false,\"devs\":[],\"native_cidr\":null,\"exclude\":[],"
		  "\"src\":null,\"flows\":0,\"packets\":0,\"bytes\":0,"
		  "\"drop\":{\"no_addr\":0,\"nat\":0},"
		  "\"conntrack\":{\"insert_failed\":0,\"drop\":0}}\n");
}

/* ---- batch: the module's features are asked for once ---- */

static void test_batch(void)
{
	char path[] = "/tmp/clnetctl-test-masq-XXXXXX", line[64];
	const char *text = "masq set dev eth0 native-cidr 10.0.208.0/20\nmasq off\nmasq show\n";
	int fd = mkstemp(path), ret;

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
	mod_reset();
	mod.put_state = state_off;
	snprintf(line, sizeof(line), "-b %s", path);
	ret = run(line);
	unlink(path);
	ok(ret == 0 && !*err && !strncmp(out, "masq off\n", 9) &&
	   !strcmp(cmds_seen(), "GET_INFO MASQ_SET MASQ_DEL MASQ_GET"),
	   "batch: three masq lines, GET_INFO once (%s)", cmds_seen());
}

/* ---- fastpath show: the NAT counters ---- */

static void fp_state(struct nlmsghdr *nlh, bool nat)
{
	struct nlattr *nest;
	int t;

	mnl_attr_put_u8(nlh, CLNET_FASTPATH_A_ENABLED, 1);
	mnl_attr_put_u64(nlh, CLNET_FASTPATH_A_FORWARDED, 182);
	mnl_attr_put_u64(nlh, CLNET_FASTPATH_A_DIRECT, 120);
	if (nat) {
		mnl_attr_put_u64(nlh, CLNET_FASTPATH_A_NAT_REPLY, 28);
		mnl_attr_put_u64(nlh, CLNET_FASTPATH_A_NAT_ORIGINAL, 30);
	}
	nest = mnl_attr_nest_start(nlh, CLNET_FASTPATH_A_FALLBACK);
	for (t = CLNET_FP_FALLBACK_A_TTL; t <= CLNET_FP_FALLBACK_A_MAX; t++)
		mnl_attr_put_u64(nlh, (uint16_t)t, (uint64_t)t);
	mnl_attr_nest_end(nlh, nest);
}

static void fp_state_nat(struct nlmsghdr *nlh)
{
	fp_state(nlh, true);
}

static void fp_state_old(struct nlmsghdr *nlh)
{
	fp_state(nlh, false);
}

static void fp_case(const char *what, void (*state)(struct nlmsghdr *),
		    const char *line, const char *want)
{
	int ret;

	mod_reset();
	mod.put_state = state;
	ret = run(line);
	ok(ret == 0 && !*err && !strcmp(out, want), "fastpath show, %s: %s (rc %d)",
	   what, line, ret);
	if (strcmp(out, want))
		printf("# got:\n%s# wanted:\n%s", out, want);
}

static void test_fastpath(void)
{
	fp_case("NAT counters", fp_state_nat, "fastpath show",
		"fastpath on\n"
		"forwarded 182 direct 120 nat-original 30 nat-reply 28\n"
		"fallback ttl 2 mtu 3 neigh 4 conntrack 5 route 6 source 7 redirect 8 "
		"options 9 other 10\n");
	fp_case("NAT counters", fp_state_nat, "-j fastpath",
		"{\"enabled\":true,\"forwarded\":182,\"direct\":120,\"nat_original\":30,"
		"\"nat_reply\":28,\"fallback\":{\"ttl\":2,\"mtu\":3,\"neigh\":4,"
		"\"conntrack\":5,\"route\":6,\"source\":7,\"redirect\":8,\"options\":9,"
		"\"other\":10}}\n");
	fp_case("a module without them", fp_state_old, "fastpath show",
		"fastpath on\n"
		"forwarded 182 direct 120 nat-original 0 nat-reply 0\n"
		"fallback ttl 2 mtu 3 neigh 4 conntrack 5 route 6 source 7 redirect 8 "
		"options 9 other 10\n");
}

/* ---- help ---- */

static void test_help(void)
{
	int ret;

	mod_reset();
	ret = run("masq help");
	ok(ret == 0 && !strncmp(out, "Usage: clnetctl masq set dev DEV", 32) &&
	   fake.sends == 0, "masq help: the usage, nothing sent");
	ret = run("masq set help");
	ok(ret == 0 && !strncmp(out, "Usage: clnetctl masq set dev DEV", 32) &&
	   fake.sends == 0, "masq set help: the same");
	ret = run("masq off -h");
	ok(ret == 0 && !strncmp(out, "Usage: clnetctl masq set dev DEV", 32) &&
	   fake.sends == 0, "masq off -h: the same");
	mod.put_state = state_off;
	ret = run("masq ls");
	ok(ret == 0 && !strncmp(out, "masq off\n", 9) &&
	   !strcmp(cmds_seen(), "GET_INFO MASQ_GET"), "masq ls is masq show");
	ret = run("help");
	ok(ret == 0 && strstr(out, " masq ") && strstr(out, "\n  masq       masquerade"),
	   "help lists masq");
}

int main(void)
{
	tap_begin();
	test_set_usage();
	test_set_request();
	test_refusals();
	test_show();
	test_batch();
	test_fastpath();
	test_help();
	fake_reset(NULL);
	return tap_end();
}
