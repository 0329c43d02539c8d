// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side unit tests for clnetctl's netlink plumbing (nl.c, genl.c):
 * how kernel errors and their extack are printed, dumps interrupted by a
 * concurrent change, the pipelining window and the "module not loaded"
 * message. TAP output; exits non-zero if any case fails.
 *
 * The kernel is played by fake_kernel.c, each case scripting its
 * replies.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/rtnetlink.h>
#include <linux/clnet.h>

#include "genl.h"
#include "fake_kernel.h"
#include "tap.h"

/* One link of a LINK_GET dump, named @name. */
static void put_link(struct chunk *c, uint32_t seq, uint16_t flags, const char *name)
{
	struct nlmsghdr *nlh = reply(c, FAKE_FAMILY, NLM_F_MULTI | flags, seq);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	g->cmd = CLNET_CMD_LINK_GET;
	mnl_attr_put_strz(nlh, CLNET_LINK_A_IFNAME, name);
	chunk_end(c, nlh);
}

/* ---- the clnetctl side ---- */

static struct clnet_nl nl;

static void open_family(void)
{
	memset(&nl, 0, sizeof(nl));
	if (nl_open(&nl.s, NETLINK_GENERIC))
		abort();
	nl.family = FAKE_FAMILY;
}

/* What the dump callback saw: the link names, in order. */
static char seen[256];
static unsigned int n_seen;

static int link_name_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *a;

	(void)data;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == CLNET_LINK_A_IFNAME) {
			strncat(seen, mnl_attr_get_str(a), sizeof(seen) - strlen(seen) - 2);
			strcat(seen, " ");
		}
	n_seen++;
	return MNL_CB_OK;
}

static int dump_links(void)
{
	struct nlmsghdr *nlh = clnet_nl_msg(&nl, CLNET_CMD_LINK_GET, NLM_F_DUMP);

	seen[0] = '\0';
	n_seen = 0;
	return clnet_nl_talk(&nl, nlh, link_name_cb, NULL);
}

/* ---- errors and their extack ---- */

static struct ext next_ext;
static int next_error;
static bool point_at_mtu;	/* NLMSGERR_ATTR_OFFS: the request's MTU */

/* Byte offset of the attribute of @type in @req, or -1. */
static int attr_offset(const struct nlmsghdr *req, uint16_t type)
{
	struct nlattr *a;

	mnl_attr_for_each(a, req, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == type)
			return (int)((const char *)a - (const char *)req);
	return -1;
}

static void respond_error(const struct nlmsghdr *req, unsigned int nth)
{
	struct ext ext = next_ext;

	(void)nth;
	if (point_at_mtu)
		ext.offs = attr_offset(req, CLNET_LINK_A_MTU);
	put_error(chunk_new(), req, next_error, ext.msg || ext.offs >= 0 ||
		  ext.miss_type >= 0 ? &ext : NULL);
}

/* LINK_SET lxc0 mtu 9000, refused with @error and @ext; what is printed? */
static int refused_set(int error, struct ext ext, bool at_mtu, char *out,
		       size_t len)
{
	struct nlmsghdr *nlh;
	int ret;

	fake_reset(respond_error);
	next_error = error;
	next_ext = ext;
	point_at_mtu = at_mtu;
	open_family();
	nlh = clnet_nl_msg(&nl, CLNET_CMD_LINK_SET, 0);
	mnl_attr_put_strz(nlh, CLNET_LINK_A_IFNAME, "lxc0");
	mnl_attr_put_u32(nlh, CLNET_LINK_A_MTU, 9000);
	capture_begin();
	ret = clnet_nl_talk(&nl, nlh, NULL, NULL);
	capture_end(out, len);
	clnet_nl_close(&nl);
	return ret;
}

static void test_errors(void)
{
	char out[512];
	int ret;

	ret = refused_set(-EINVAL, (struct ext){ "MTU out of range", -1, -1, 0 },
			  true, out, sizeof(out));
	ok(ret == -EINVAL && !strcmp(out, "Error: MTU out of range (attribute MTU)\n"),
	   "extack message and the attribute it points at, by name (%s)", one_line(out));

	ret = refused_set(-EINVAL, (struct ext){ NULL, -1, CLNET_LINK_A_PEER_IFNAME, 0 },
			  false, out, sizeof(out));
	ok(ret == -EINVAL && !strcmp(out, "Error: missing attribute PEER_IFNAME\n"),
	   "missing attribute alone (%s)", one_line(out));

	ret = refused_set(-EINVAL, (struct ext){ "a pair needs a peer", -1,
			  CLNET_LINK_A_PEER_IFNAME, 0 }, false, out, sizeof(out));
	ok(ret == -EINVAL &&
	   !strcmp(out, "Error: a pair needs a peer (missing attribute PEER_IFNAME)\n"),
	   "message and missing attribute (%s)", one_line(out));

	ret = refused_set(-EINVAL, (struct ext){ NULL, -1, 99, 0 }, false, out, sizeof(out));
	ok(ret == -EINVAL && !strcmp(out, "Error: missing attribute 99\n"),
	   "missing attribute of an unknown type, by number (%s)", one_line(out));

	ret = refused_set(-ENODEV, (struct ext){ NULL, -1, -1, 0 }, false, out, sizeof(out));
	ok(ret == -ENODEV && !strcmp(out, "Error: No such device\n"),
	   "no extack: the errno's description (%s)", one_line(out));

	ret = refused_set(-EPERM, (struct ext){ "", -1, -1, 0 }, false, out, sizeof(out));
	ok(ret == -EPERM && !strcmp(out, "Error: Operation not permitted\n"),
	   "empty extack message: the errno's description (%s)", one_line(out));

	ret = refused_set(0, (struct ext){ NULL, -1, -1, 0 }, false, out, sizeof(out));
	ok(ret == 0 && !strcmp(out, ""), "an ACK is silent and succeeds (%s)", one_line(out));
}

/* ---- dumps ---- */

static unsigned int intr_attempts;	/* this many attempts are interrupted */
static bool intr_on_done;		/* on the DONE rather than a link */

static void respond_dump(const struct nlmsghdr *req, unsigned int nth)
{
	uint16_t intr = nth < intr_attempts ? NLM_F_DUMP_INTR : 0;
	uint32_t seq = req->nlmsg_seq;
	struct chunk *c;

	/* Two reads: lxc0 lxc1 | lxc2 DONE, the change noticed on lxc1. */
	c = chunk_new();
	put_link(c, seq, 0, "lxc0");
	put_link(c, seq, intr_on_done ? 0 : intr, "lxc1");
	c = chunk_new();
	put_link(c, seq, 0, "lxc2");
	put_done(c, seq, intr_on_done ? intr : 0, 0, NULL);
}

static void test_dumps(void)
{
	char out[512];
	int ret;

	fake_reset(respond_dump);
	intr_attempts = 0;
	intr_on_done = false;
	open_family();
	ret = dump_links();
	ok(ret == 0 && fake.sends == 1 && !strcmp(seen, "lxc0 lxc1 lxc2 "),
	   "a whole dump is passed on once (%s)", seen);

	fake_reset(respond_dump);
	intr_attempts = 1;
	ret = dump_links();
	ok(ret == 0 && fake.sends == 2 && n_seen == 3 && !strcmp(seen, "lxc0 lxc1 lxc2 "),
	   "an interrupted dump is asked for again, its first part not passed on (%s)",
	   seen);
	ok(fake.seq[1] != fake.seq[0], "the retry has a sequence number of its own");
	ok(fake.empty_reads == 0 && fake.head == fake.tail,
	   "the interrupted dump was read to its end, and no further");

	fake_reset(respond_dump);
	intr_attempts = 2;
	intr_on_done = true;
	ret = dump_links();
	ok(ret == 0 && fake.sends == 3 && !strcmp(seen, "lxc0 lxc1 lxc2 ") &&
	   fake.empty_reads == 0,
	   "DONE flagged interrupted ends the dump too; retried twice (%s)", seen);

	fake_reset(respond_dump);
	intr_attempts = 100;
	intr_on_done = false;
	capture_begin();
	ret = dump_links();
	capture_end(out, sizeof(out));
	ok(ret == -EINTR && fake.sends == NL_DUMP_RETRIES + 1 && n_seen == 0,
	   "a dump interrupted every time fails after %d retries (sent %u)",
	   NL_DUMP_RETRIES, fake.sends);
	ok(!strcmp(out, "Error: dump interrupted by concurrent changes 4 times\n"),
	   "and says so (%s)", one_line(out));
	clnet_nl_close(&nl);
}

static void respond_dump_error(const struct nlmsghdr *req, unsigned int nth)
{
	struct chunk *c = chunk_new();

	(void)nth;
	put_link(c, req->nlmsg_seq, 0, "lxc0");
	put_done(c, req->nlmsg_seq, 0, -EMSGSIZE, "link too big to dump");
}

static void test_dump_error(void)
{
	char out[512];
	int ret;

	fake_reset(respond_dump_error);
	open_family();
	capture_begin();
	ret = dump_links();
	capture_end(out, sizeof(out));
	ok(ret == -EMSGSIZE && !strcmp(out, "Error: link too big to dump\n"),
	   "NLMSG_DONE carrying an error and its extack (%s)", one_line(out));
	ok(n_seen == 0, "a failed dump passes nothing on");
	clnet_nl_close(&nl);
}

/* ---- pipelining ---- */

static unsigned int max_in_flight, n_done, n_failed_done, failing_nth = 5;
static unsigned int *in_flight_now;

static void respond_ack(const struct nlmsghdr *req, unsigned int nth)
{
	if (*in_flight_now + 1 > max_in_flight)
		max_in_flight = *in_flight_now + 1;
	put_error(chunk_new(), req, nth == failing_nth ? -EEXIST : 0, NULL);
}

static void count_done(uint32_t seq, int err, void *data)
{
	(void)seq;
	(void)data;
	n_done++;
	if (err)
		n_failed_done++;
}

static void test_pipeline(void)
{
	unsigned int in_flight = 0, i, reads_at_window = 0;
	struct nl_sock s;
	char out[512];
	int ret = 0;

	fake_reset(respond_ack);
	in_flight_now = &in_flight;
	if (nl_open(&s, NETLINK_ROUTE))
		abort();
	capture_begin();
	for (i = 0; !ret && i < PIPELINE_WINDOW + 44; i++) {
		ret = nl_send_pipelined(&s, nl_msg(&s, RTM_NEWROUTE, 0), &in_flight,
					count_done, NULL);
		if (i + 1 == PIPELINE_WINDOW)
			reads_at_window = fake.reads;
	}
	ok(ret == 0 && reads_at_window == 0,
	   "the first %d requests go out without waiting", PIPELINE_WINDOW);
	ok(max_in_flight == PIPELINE_WINDOW,
	   "never more than PIPELINE_WINDOW in flight (saw %u)", max_in_flight);
	ok(in_flight == PIPELINE_WINDOW / 2 + 44 && n_done == PIPELINE_WINDOW / 2,
	   "a full window is read down to half (%u in flight)", in_flight);
	ret = nl_collect(&s, &in_flight, 0, count_done, NULL);
	capture_end(out, sizeof(out));
	ok(ret == 0 && in_flight == 0 && n_done == PIPELINE_WINDOW + 44 &&
	   n_failed_done == 1 && fake.empty_reads == 0,
	   "every answer is read, one failure among them (%u done)", n_done);
	ok(!strcmp(out, "Error: File exists\n"), "the failure is printed (%s)", one_line(out));
	nl_close(&s);
}

/* ---- the family lookup ---- */

static int family_answer;

static void respond_family(const struct nlmsghdr *req, unsigned int nth)
{
	struct chunk *c = chunk_new();
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	(void)nth;
	if (family_answer) {
		put_error(c, req, family_answer, NULL);
		return;
	}
	nlh = reply(c, GENL_ID_CTRL, 0, req->nlmsg_seq);
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_NEWFAMILY;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, CLNET_GENL_NAME);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FAKE_FAMILY);
	chunk_end(c, nlh);
	put_error(c, req, 0, NULL);
}

static void test_family(void)
{
	struct clnet_nl cnl = { 0 };
	char out[512];
	int ret;

	fake_reset(respond_family);
	family_answer = -ENOENT;
	capture_begin();
	ret = clnet_nl_open(&cnl);
	capture_end(out, sizeof(out));
	ok(ret == -ENOENT && !strcmp(out, "clnet kernel module is not loaded: "
				     "modprobe clnet, or insmod path/to/clnet.ko\n"),
	   "no family: the module is not loaded, for an installed one too (%s)", one_line(out));

	fake_reset(respond_family);
	family_answer = 0;
	capture_begin();
	ret = clnet_nl_open(&cnl);
	capture_end(out, sizeof(out));
	ok(ret == 0 && cnl.family == FAKE_FAMILY && !strcmp(out, ""),
	   "the family is found, silently (id %#x)", cnl.family);
	if (!ret)
		clnet_nl_close(&cnl);
}

int main(void)
{
	tap_begin();
	test_errors();
	test_dumps();
	test_dump_error();
	test_pipeline();
	test_family();
	fake_reset(NULL);
	return tap_end();
}
