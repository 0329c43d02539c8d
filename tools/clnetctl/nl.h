/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A netlink socket for clnetctl (generic netlink or rtnetlink): requests,
 * replies, pipelined requests for batch mode, and kernel errors printed
 * with their extack text.
 */
#ifndef CLNETCTL_NL_H
#define CLNETCTL_NL_H

#include <libmnl/libmnl.h>
#include <stdbool.h>
#include <stdint.h>

#define NL_BUFSIZE	(MNL_SOCKET_BUFFER_SIZE * 2)

/*
 * Pipelined requests (batch mode, route flush): at most this many are
 * unanswered at once; when the window is full, answers are read until
 * half of it is free again.
 */
#define PIPELINE_WINDOW	256

/*
 * A dump that a concurrent change interrupted (NLM_F_DUMP_INTR) is asked
 * for again this many times before it is reported as an error.
 */
#define NL_DUMP_RETRIES	3

struct nl_sock {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	char *tx;	/* the request being built */
	char *rx;	/* replies */
	bool quiet;	/* do not print kernel errors */
	/*
	 * The request in tx: its fixed header's length and its attributes'
	 * names, so that an error pointing at an attribute can name it.
	 */
	unsigned int hdrlen;
	const char *const *attr_names;
	unsigned int n_attr_names;
};

/* 0, or a negative errno after printing why. */
int nl_open(struct nl_sock *s, int bus);
void nl_close(struct nl_sock *s);

/* Start a request of @type in the tx buffer, with the next sequence number. */
struct nlmsghdr *nl_msg(struct nl_sock *s, uint16_t type, uint16_t flags);

/*
 * Send @nlh and run @cb on every reply until the ACK or DONE. Returns 0 or
 * the kernel's negative errno, after printing "Error: <extack or strerror>".
 * A dump (NLM_F_DUMP) is run through @cb only once it is known whole: if a
 * concurrent change interrupted it, it is asked for again, up to
 * NL_DUMP_RETRIES times, and then fails with -EINTR.
 */
int nl_talk(struct nl_sock *s, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);

/*
 * Pipelining: nl_send() sends without waiting; nl_collect() reads ACKs and
 * calls @done(seq, err, data) for each (err 0 or negative errno, printed
 * already), until @until requests remain unanswered. nl_send_pipelined()
 * sends with at most PIPELINE_WINDOW requests in flight, counted in
 * @in_flight. All return 0, or a negative errno if the socket itself
 * failed.
 */
typedef void (*nl_done_t)(uint32_t seq, int err, void *data);
int nl_send(struct nl_sock *s, struct nlmsghdr *nlh);
int nl_collect(struct nl_sock *s, unsigned int *in_flight, unsigned int until,
	       nl_done_t done, void *data);
int nl_send_pipelined(struct nl_sock *s, struct nlmsghdr *nlh,
		      unsigned int *in_flight, nl_done_t done, void *data);

#endif /* CLNETCTL_NL_H */
