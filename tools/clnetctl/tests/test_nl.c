// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side unit tests for clnetctl's netlink plumbing (nl.c, genl.c):
 * how kernel errors and their extack are printed, dumps interrupted by a
 * concurrent change, the pipelining window and the "module not loaded"
 * message. TAP output; exits non-zero if any case fails.
 *
 * The kernel is played by this file: it defines libmnl's socket calls,
 * which the linker then prefers to the library's, records each request
 * and answers with replies the test case scripts. The rest of libmnl
 * (message building, the callback runner) is the real one.
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
#include "tap.h"

#define FAKE_PORTID	4242
#define FAKE_FAMILY	0x1d
#define MAX_CHUNKS	1024

/* ---- the fake kernel ---- */

struct chunk {
	char buf[8192];
	size_t len;
};

static struct {
	/* Called for each request sent; queues its replies. */
	void (*respond)(const struct nlmsghdr *req, unsigned int nth);
	unsigned int sends;
	uint32_t seq[MAX_CHUNKS];
	/* The replies, one per recvfrom(). */
	struct chunk *queue[MAX_CHUNKS];
	unsigned int head, tail;
	unsigned int reads;
	unsigned int empty_reads;	/* clnetctl waited for nothing */
} fake;

static int fake_socket;

struct mnl_socket *mnl_socket_open(int bus)
{
	(void)bus;
	return (struct mnl_socket *)&fake_socket;
}

int mnl_socket_bind(struct mnl_socket *nl, unsigned int groups, pid_t pid)
{
	(void)nl;
	(void)groups;
	(void)pid;
	return 0;
}

int mnl_socket_close(struct mnl_socket *nl)
{
	(void)nl;
	return 0;
}

unsigned int mnl_socket_get_portid(const struct mnl_socket *nl)
{
	(void)nl;
	return FAKE_PORTID;
}

int mnl_socket_setsockopt(const struct mnl_socket *nl, int type, void *buf,
			  socklen_t len)
{
	(void)nl;
	(void)type;
	(void)buf;
	(void)len;
	return 0;
}

ssize_t mnl_socket_sendto(const struct mnl_socket *nl, const void *req, size_t siz)
{
	const struct nlmsghdr *nlh = req;

	(void)nl;
	if (fake.sends < MAX_CHUNKS)
		fake.seq[fake.sends] = nlh->nlmsg_seq;
	if (fake.respond)
		fake.respond(nlh, fake.sends);
	fake.sends++;
	return (ssize_t)siz;
}

ssize_t mnl_socket_recvfrom(const struct mnl_socket *nl, void *buf, size_t siz)
{
	struct chunk *c;
	size_t len;

	(void)nl;
	if (fake.head == fake.tail) {
		/* A real socket would block for ever. */
		fake.empty_reads++;
		errno = EAGAIN;
		return -1;
	}
	c = fake.queue[fake.head++ % MAX_CHUNKS];
	len = c->len < siz ? c->len : siz;
	memcpy(buf, c->buf, len);
	free(c);
	fake.reads++;
	return (ssize_t)len;
}

static void fake_reset(void (*respond)(const struct nlmsghdr *, unsigned int))
{
	while (fake.head != fake.tail)
		free(fake.queue[fake.head++ % MAX_CHUNKS]);
	memset(&fake, 0, sizeof(fake));
	fake.respond = respond;
}

static struct chunk *chunk_new(void)
{
	struct chunk *c = calloc(1, sizeof(*c));

	if (!c)
		abort();
	fake.queue[fake.tail++ % MAX_CHUNKS] = c;
	return c;
}

/* Start a reply message in @c; chunk_end() counts it in. */
static struct nlmsghdr *reply(struct chunk *c, uint16_t type, uint16_t flags,
			      uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(c->buf + c->len);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = FAKE_PORTID;
	return nlh;
}

static void chunk_end(struct chunk *c, struct nlmsghdr *nlh)
{
	c->len += MNL_ALIGN(nlh->nlmsg_len);
}

/* One link of a LINK_GET dump, named @name. */
static void put_link(struct chunk *c, uint32_t seq, uint16_t flags, const char *name)
{
	struct nlmsghdr *nlh = reply(c, FAKE_FAMILY, NLM_F_MULTI | flags, seq);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	g->cmd = CLNET_CMD_LINK_GET;
	mnl_attr_put_strz(nlh, CLNET_LINK_A_IFNAME, name);
	chunk_end(c, nlh);
}

static void put_done(struct chunk *c, uint32_t seq, uint16_t flags, int error,
		     const char *msg)
{
	struct nlmsghdr *nlh = reply(c, NLMSG_DONE, NLM_F_MULTI | flags, seq);
	int *err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));

	*err = error;
	if (msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	}
	chunk_end(c, nlh);
}

/*
 * An NLMSG_ERROR (an ACK if @error is 0) for @req, capped as
 * NETLINK_CAP_ACK asks; the extack fields that are set are added.
 */
struct ext {
	const char *msg;
	int offs;		/* >= 0: NLMSGERR_ATTR_OFFS */
	int miss_type;		/* >= 0: NLMSGERR_ATTR_MISS_TYPE */
};

static void put_error(struct chunk *c, const struct nlmsghdr *req, int error,
		      const struct ext *ext)
{
	struct nlmsghdr *nlh = reply(c, NLMSG_ERROR, NLM_F_CAPPED, req->nlmsg_seq);
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));

	e->error = error;
	e->msg = *req;
	e->msg.nlmsg_len = sizeof(*req);
	if (ext) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		if (ext->msg)
			mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, ext->msg);
		if (ext->offs >= 0)
			mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, (uint32_t)ext->offs);
		if (ext->miss_type >= 0)
			mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_TYPE,
					 (uint32_t)ext->miss_type);
	}
	chunk_end(c, nlh);
}

/* ---- stderr capture ---- */

static FILE *capture_file;
static int saved_stderr = -1;

static void capture_begin(void)
{
	fflush(stderr);
	capture_file = tmpfile();
	saved_stderr = dup(2);
	if (!capture_file || saved_stderr < 0 || dup2(fileno(capture_file), 2) < 0)
		abort();
}

/* What was printed on stderr since capture_begin(), in @buf. */
static const char *capture_end(char *buf, size_t len)
{
	size_t n;

	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	rewind(capture_file);
	n = fread(buf, 1, len - 1, capture_file);
	buf[n] = '\0';
	fclose(capture_file);
	return buf;
}

/* @s without its newlines, for a TAP description. */
static const char *one_line(const char *s)
{
	static char buf[512];
	size_t i;

	for (i = 0; *s && i + 1 < sizeof(buf); s++)
		if (*s != '\n')
			buf[i++] = *s;
	buf[i] = '\0';
	return buf;
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

	ret = refused_set(-EINVAL, (struct ext){ "MTU out of range", -1, -1 },
			  true, out, sizeof(out));
	ok(ret == -EINVAL && !strcmp(out, "Error: MTU out of range (attribute MTU)\n"),
	   "extack message and the attribute it points at, by name (%s)", one_line(out));

	ret = refused_set(-EINVAL, (struct ext){ NULL, -1, CLNET_LINK_A_PEER_IFNAME },
			  false, out, sizeof(out));
	ok(ret == -EINVAL && !strcmp(out, "Error: missing attribute PEER_IFNAME\n"),
	   "missing attribute alone (%s)", one_line(out));

	ret = refused_set(-EINVAL, (struct ext){ "a pair needs a peer", -1,
			  CLNET_LINK_A_PEER_IFNAME }, false, out, sizeof(out));
	ok(ret == -EINVAL &&
	   !strcmp(out, "Error: a pair needs a peer (missing attribute PEER_IFNAME)\n"),
	   "message and missing attribute (%s)", one_line(out));

	ret = refused_set(-EINVAL, (struct ext){ NULL, -1, 99 }, false, out, sizeof(out));
	ok(ret == -EINVAL && !strcmp(out, "Error: missing attribute 99\n"),
	   "missing attribute of an unknown type, by number (%s)", one_line(out));

	ret = refused_set(-ENODEV, (struct ext){ NULL, -1, -1 }, false, out, sizeof(out));
	ok(ret == -ENODEV && !strcmp(out, "Error: No such device\n"),
	   "no extack: the errno's description (%s)", one_line(out));

	ret = refused_set(-EPERM, (struct ext){ "", -1, -1 }, false, out, sizeof(out));
	ok(ret == -EPERM && !strcmp(out, "Error: Operation not permitted\n"),
	   "empty extack message: the errno's description (%s)", one_line(out));

	ret = refused_set(0, (struct ext){ NULL, -1, -1 }, false, out, sizeof(out));
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
