/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel, as the host-side tests play it: fake_kernel.c defines
 * libmnl's socket calls, which the linker then prefers to the library's,
 * records each request and answers with the replies the test case
 * queues. The rest of libmnl (message building, the callback runner) is
 * the real one. Also: capturing what clnetctl prints.
 */
#ifndef CLNETCTL_FAKE_KERNEL_H
#define CLNETCTL_FAKE_KERNEL_H

#include <libmnl/libmnl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define FAKE_PORTID	4242
#define FAKE_FAMILY	0x1d
#define MAX_CHUNKS	1024

/*
 * What one recvfrom() returns: @len bytes, or with @err set, that error,
 * to the socket @sock (the one that sent the request it answers).
 */
struct chunk {
	char buf[8192];
	size_t len;
	int err;
	const struct mnl_socket *sock;
};

struct fake_kernel {
	/* Called for each request sent; queues its replies. */
	void (*respond)(const struct nlmsghdr *req, unsigned int nth);
	unsigned int sends;
	uint32_t seq[MAX_CHUNKS];
	/* The socket of the request being answered: one per bus. */
	const struct mnl_socket *sender;
	/* The replies, one per recvfrom(). */
	struct chunk *queue[MAX_CHUNKS];
	unsigned int head, tail;
	unsigned int reads;
	unsigned int empty_reads;	/* clnetctl waited for nothing */
	/* Called when clnetctl reads with nothing queued (before EAGAIN). */
	void (*on_empty)(void);
	/* Multicast groups joined (NETLINK_ADD_MEMBERSHIP), in order... */
	unsigned int joins;
	unsigned int joined[8];
	/* ...and the error to refuse a join with, if not 0. */
	int join_error;
};

extern struct fake_kernel fake;

/* Forget every queued reply and count from zero, answering with @respond. */
void fake_reset(void (*respond)(const struct nlmsghdr *, unsigned int));

/* Queue a new reply chunk. */
struct chunk *chunk_new(void);

/* Queue a recvfrom() that fails with @err (ENOBUFS: messages were lost). */
void chunk_error(int err);

/* Start a reply message in @c; chunk_end() counts it in. */
struct nlmsghdr *reply(struct chunk *c, uint16_t type, uint16_t flags, uint32_t seq);
void chunk_end(struct chunk *c, struct nlmsghdr *nlh);

/* NLMSG_DONE of a dump, with an error code and extack message if given. */
void put_done(struct chunk *c, uint32_t seq, uint16_t flags, int error,
	      const char *msg);

/*
 * An NLMSG_ERROR (an ACK if @error is 0) for @req, capped as
 * NETLINK_CAP_ACK asks; the extack fields that are set are added.
 */
struct ext {
	const char *msg;
	int offs;		/* >= 0: NLMSGERR_ATTR_OFFS */
	int miss_type;		/* >= 0: NLMSGERR_ATTR_MISS_TYPE */
	int miss_nest;		/* > 0: NLMSGERR_ATTR_MISS_NEST */
};

void put_error(struct chunk *c, const struct nlmsghdr *req, int error,
	       const struct ext *ext);

/*
 * What is written to file descriptor @fd (1 or 2) between capture_fd()
 * and capture_fd_end(), in @buf.
 */
struct capture {
	int fd;
	FILE *file;
	int saved;
};

void capture_fd(struct capture *cap, int fd);
const char *capture_fd_end(struct capture *cap, char *buf, size_t len);

/* The same for stderr alone. */
void capture_begin(void);
const char *capture_end(char *buf, size_t len);

/* @s without its newlines, for a TAP description. */
const char *one_line(const char *s);

#endif /* CLNETCTL_FAKE_KERNEL_H */
