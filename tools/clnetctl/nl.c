// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink plumbing shared by the genl and rtnetlink sides of clnetctl.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/netlink.h>

#include "nl.h"

int nl_open(struct nl_sock *s, int bus)
{
	int one = 1, ret;

	memset(s, 0, sizeof(*s));
	s->tx = malloc(NL_BUFSIZE);
	s->rx = malloc(NL_BUFSIZE);
	if (!s->tx || !s->rx) {
		fprintf(stderr, "clnetctl: out of memory\n");
		nl_close(s);
		return -ENOMEM;
	}
	s->sock = mnl_socket_open(bus);
	if (!s->sock || mnl_socket_bind(s->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		perror("clnetctl: netlink socket");
		nl_close(s);
		return ret;
	}
	/* Errors carry the kernel's message but not our request back. */
	mnl_socket_setsockopt(s->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(s->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	s->portid = mnl_socket_get_portid(s->sock);
	s->seq = (uint32_t)time(NULL);
	return 0;
}

void nl_close(struct nl_sock *s)
{
	if (s->sock)
		mnl_socket_close(s->sock);
	free(s->tx);
	free(s->rx);
	memset(s, 0, sizeof(*s));
}

struct nlmsghdr *nl_msg(struct nl_sock *s, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(s->tx);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++s->seq;
	s->hdrlen = 0;
	s->attr_names = NULL;
	s->n_attr_names = 0;
	return nlh;
}

/*
 * The name of the attribute at byte @offs of the request still in tx (the
 * kernel's NLMSGERR_ATTR_OFFS), or NULL.
 */
static const char *attr_at(const struct nl_sock *s, uint32_t offs)
{
	const struct nlmsghdr *req = (const struct nlmsghdr *)s->tx;
	struct nlattr *attr;

	if (!s->attr_names)
		return NULL;
	mnl_attr_for_each(attr, req, s->hdrlen) {
		unsigned int type = mnl_attr_get_type(attr);

		if ((const char *)attr - (const char *)req == (ptrdiff_t)offs)
			return type < s->n_attr_names ? s->attr_names[type] : NULL;
	}
	return NULL;
}

/*
 * Print the kernel's error with its extack message, if any, and the name
 * of the attribute it points at. @in_tx: the request is still in tx.
 */
static int report_error(const struct nl_sock *s, const struct nlmsghdr *nlh,
			bool in_tx)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	unsigned int off = sizeof(*err);
	const char *msg = NULL, *name = NULL;
	struct nlattr *attr;

	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += mnl_nlmsg_get_payload_len(&err->msg);
		mnl_attr_for_each(attr, nlh, off) {
			if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
			    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
				msg = mnl_attr_get_str(attr);
			if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_OFFS &&
			    mnl_attr_validate(attr, MNL_TYPE_U32) >= 0 && in_tx)
				name = attr_at(s, mnl_attr_get_u32(attr));
		}
	}
	if (s->quiet)
		return err->error;
	fprintf(stderr, "Error: %s", msg && *msg ? msg : strerror(-err->error));
	if (name)
		fprintf(stderr, " (attribute %s)", name);
	fprintf(stderr, "\n");
	return err->error;
}

int nl_send(struct nl_sock *s, struct nlmsghdr *nlh)
{
	if (mnl_socket_sendto(s->sock, nlh, nlh->nlmsg_len) < 0) {
		int ret = -errno;

		perror("clnetctl: netlink send");
		return ret;
	}
	return 0;
}

static ssize_t nl_recv(struct nl_sock *s)
{
	ssize_t n = mnl_socket_recvfrom(s->sock, s->rx, NL_BUFSIZE);

	if (n < 0) {
		n = -errno;
		perror("clnetctl: netlink receive");
	}
	return n;
}

int nl_talk(struct nl_sock *s, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	uint32_t seq = nlh->nlmsg_seq;
	ssize_t n;
	int ret;

	ret = nl_send(s, nlh);
	if (ret)
		return ret;
	for (;;) {
		const struct nlmsghdr *h;
		int len;

		n = nl_recv(s);
		if (n < 0)
			return (int)n;
		/* Errors first: libmnl's callback runner would hide the extack. */
		len = (int)n;
		for (h = (struct nlmsghdr *)s->rx; mnl_nlmsg_ok(h, len);
		     h = mnl_nlmsg_next(h, &len)) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);

			if (h->nlmsg_type == NLMSG_ERROR && h->nlmsg_seq == seq && e->error)
				return report_error(s, h, true);
		}
		ret = mnl_cb_run(s->rx, n, seq, s->portid, cb, data);
		if (ret < 0) {
			ret = -errno;
			fprintf(stderr, "clnetctl: bad reply from the kernel: %s\n",
				strerror(errno));
			return ret;
		}
		if (ret == MNL_CB_STOP)
			return 0;
	}
}

int nl_collect(struct nl_sock *s, unsigned int *in_flight, unsigned int until,
	       nl_done_t done, void *data)
{
	while (*in_flight > until) {
		const struct nlmsghdr *h;
		ssize_t n = nl_recv(s);
		int len;

		if (n < 0)
			return (int)n;
		len = (int)n;
		for (h = (struct nlmsghdr *)s->rx; mnl_nlmsg_ok(h, len);
		     h = mnl_nlmsg_next(h, &len)) {
			const struct nlmsgerr *e;
			int err = 0;

			if (h->nlmsg_type != NLMSG_ERROR)
				continue;
			e = mnl_nlmsg_get_payload(h);
			if (e->error)
				err = report_error(s, h, false);
			(*in_flight)--;
			done(h->nlmsg_seq, err, data);
		}
	}
	return 0;
}

int nl_send_pipelined(struct nl_sock *s, struct nlmsghdr *nlh,
		      unsigned int *in_flight, nl_done_t done, void *data)
{
	int ret;

	if (*in_flight >= PIPELINE_WINDOW) {
		ret = nl_collect(s, in_flight, PIPELINE_WINDOW / 2, done, data);
		if (ret)
			return ret;
	}
	ret = nl_send(s, nlh);
	if (ret)
		return ret;
	(*in_flight)++;
	return 0;
}
