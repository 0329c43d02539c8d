// SPDX-License-Identifier: GPL-2.0
/*
 * The fake kernel of the host-side tests (fake_kernel.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "fake_kernel.h"

struct fake_kernel fake;

/* One socket per bus (generic netlink, rtnetlink), each with its replies. */
static int fake_sockets[2];

static struct mnl_socket *bus_socket(int bus)
{
	return (struct mnl_socket *)&fake_sockets[bus == NETLINK_ROUTE];
}

struct mnl_socket *mnl_socket_open(int bus)
{
	return bus_socket(bus);
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

/*
 * A file descriptor to poll: /dev/null is always readable, so clnetctl
 * reads, and is answered from the queue. setsockopt() on it fails, as
 * clnetctl's socket options at SOL_SOCKET level may.
 */
int mnl_socket_get_fd(const struct mnl_socket *nl)
{
	static int fd = -1;

	(void)nl;
	if (fd < 0)
		fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		abort();
	return fd;
}

int mnl_socket_setsockopt(const struct mnl_socket *nl, int type, void *buf,
			  socklen_t len)
{
	(void)nl;
	if (type == NETLINK_ADD_MEMBERSHIP && len == sizeof(unsigned int)) {
		if (fake.join_error) {
			errno = fake.join_error;
			return -1;
		}
		if (fake.joins < sizeof(fake.joined) / sizeof(fake.joined[0]))
			memcpy(&fake.joined[fake.joins], buf, sizeof(fake.joined[0]));
		fake.joins++;
	}
	return 0;
}

ssize_t mnl_socket_sendto(const struct mnl_socket *nl, const void *req, size_t siz)
{
	const struct nlmsghdr *nlh = req;

	if (fake.sends < MAX_CHUNKS)
		fake.seq[fake.sends] = nlh->nlmsg_seq;
	fake.sender = nl;
	if (fake.respond)
		fake.respond(nlh, fake.sends);
	fake.sender = NULL;
	fake.sends++;
	return (ssize_t)siz;
}

/*
 * Take the first reply queued for @nl out of the queue, moving those
 * before it (for the other socket) up; NULL if there is none.
 */
static struct chunk *take_chunk(const struct mnl_socket *nl)
{
	unsigned int i, j;
	struct chunk *c;

	for (i = fake.head; i != fake.tail; i++) {
		c = fake.queue[i % MAX_CHUNKS];
		if (c->sock != nl)
			continue;
		for (j = i; j != fake.head; j--)
			fake.queue[j % MAX_CHUNKS] = fake.queue[(j - 1) % MAX_CHUNKS];
		fake.head++;
		return c;
	}
	return NULL;
}

ssize_t mnl_socket_recvfrom(const struct mnl_socket *nl, void *buf, size_t siz)
{
	struct chunk *c = take_chunk(nl);
	size_t len;

	if (!c) {
		/* A real socket would block for ever. */
		fake.empty_reads++;
		if (fake.on_empty)
			fake.on_empty();
		errno = EAGAIN;
		return -1;
	}
	if (c->err) {
		errno = c->err;
		free(c);
		fake.reads++;
		return -1;
	}
	len = c->len < siz ? c->len : siz;
	memcpy(buf, c->buf, len);
	free(c);
	fake.reads++;
	return (ssize_t)len;
}

void fake_reset(void (*respond)(const struct nlmsghdr *, unsigned int))
{
	while (fake.head != fake.tail)
		free(fake.queue[fake.head++ % MAX_CHUNKS]);
	memset(&fake, 0, sizeof(fake));
	fake.respond = respond;
}

struct chunk *chunk_new(void)
{
	struct chunk *c = calloc(1, sizeof(*c));

	if (!c)
		abort();
	/* For the socket that asked, else (queued by a test) generic netlink. */
	c->sock = fake.sender ? fake.sender : bus_socket(NETLINK_GENERIC);
	fake.queue[fake.tail++ % MAX_CHUNKS] = c;
	return c;
}

void chunk_error(int err)
{
	chunk_new()->err = err;
}

struct nlmsghdr *reply(struct chunk *c, uint16_t type, uint16_t flags, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(c->buf + c->len);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = FAKE_PORTID;
	return nlh;
}

void chunk_end(struct chunk *c, struct nlmsghdr *nlh)
{
	c->len += MNL_ALIGN(nlh->nlmsg_len);
}

void put_done(struct chunk *c, uint32_t seq, uint16_t flags, int error,
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

void put_error(struct chunk *c, const struct nlmsghdr *req, int error,
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
		if (ext->miss_nest > 0)
			mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_NEST,
					 (uint32_t)ext->miss_nest);
	}
	chunk_end(c, nlh);
}

void capture_fd(struct capture *cap, int fd)
{
	fflush(stdout);
	fflush(stderr);
	cap->fd = fd;
	cap->file = tmpfile();
	cap->saved = dup(fd);
	if (!cap->file || cap->saved < 0 || dup2(fileno(cap->file), fd) < 0)
		abort();
}

const char *capture_fd_end(struct capture *cap, char *buf, size_t len)
{
	size_t n;

	fflush(stdout);
	fflush(stderr);
	dup2(cap->saved, cap->fd);
	close(cap->saved);
	rewind(cap->file);
	n = fread(buf, 1, len - 1, cap->file);
	buf[n] = '\0';
	fclose(cap->file);
	return buf;
}

static struct capture err_capture;

void capture_begin(void)
{
	capture_fd(&err_capture, 2);
}

const char *capture_end(char *buf, size_t len)
{
	return capture_fd_end(&err_capture, buf, len);
}

const char *one_line(const char *s)
{
	static char buf[512];
	size_t i;

	for (i = 0; *s && i + 1 < sizeof(buf); s++)
		if (*s != '\n')
			buf[i++] = *s;
	buf[i] = '\0';
	return buf;
}
