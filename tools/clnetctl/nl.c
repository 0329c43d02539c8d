// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink plumbing shared by the genl and rtnetlink sides of clnetctl.
 * Replies go through libmnl's callback runner; the control messages
 * (NLMSG_ERROR, NLMSG_DONE) have callbacks of their own here, which read
 * the kernel's extack and print it.
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

/* The ABI name of attribute @type of the request in tx, or NULL. */
static const char *attr_name(const struct nl_sock *s, uint32_t type)
{
	return s->attr_names && type < s->n_attr_names ? s->attr_names[type] : NULL;
}

/*
 * The name of the top-level attribute of the request still in tx that
 * byte @offs (the kernel's NLMSGERR_ATTR_OFFS or NLMSGERR_ATTR_MISS_NEST)
 * is in, written to @buf, or NULL. The offset may point into a nest (an
 * attribute of it); an attribute that the request has several of is told
 * apart by its place among them, as "DEV #2".
 */
static const char *attr_at(const struct nl_sock *s, uint32_t offs, char *buf,
			   size_t len)
{
	const struct nlmsghdr *req = (const struct nlmsghdr *)s->tx;
	struct nlattr *attr, *found = NULL;
	unsigned int nth = 0, count = 0;
	const char *name;

	if (!s->attr_names)
		return NULL;
	mnl_attr_for_each(attr, req, s->hdrlen) {
		ptrdiff_t start = (const char *)attr - (const char *)req;

		if ((ptrdiff_t)offs >= start && (ptrdiff_t)offs < start + attr->nla_len) {
			found = attr;
			break;
		}
	}
	name = found ? attr_name(s, mnl_attr_get_type(found)) : NULL;
	if (!name)
		return NULL;
	mnl_attr_for_each(attr, req, s->hdrlen) {
		if (mnl_attr_get_type(attr) != mnl_attr_get_type(found))
			continue;
		count++;
		if (attr == found)
			nth = count;
	}
	if (count > 1)
		snprintf(buf, len, "%s #%u", name, nth);
	else
		snprintf(buf, len, "%s", name);
	return buf;
}

/* What an error's extack says, as far as clnetctl uses it. */
struct extack {
	const char *msg;	/* the kernel's text, or NULL */
	const char *bad;	/* the name of the attribute it points at */
	bool missing;		/* a required attribute is missing: */
	uint32_t miss_type;	/* its type, */
	bool miss_nested;	/* in a nest rather than at the top level, */
	const char *miss_nest;	/* this one (its name, if known) */
	char bad_buf[40], nest_buf[40];	/* where bad and miss_nest point */
};

static void parse_extack(const struct nl_sock *s, const struct nlmsghdr *nlh,
			 unsigned int tlv_off, bool in_tx, struct extack *ext)
{
	struct nlattr *attr;

	memset(ext, 0, sizeof(*ext));
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	mnl_attr_for_each(attr, nlh, tlv_off) {
		bool u32 = mnl_attr_validate(attr, MNL_TYPE_U32) >= 0;

		switch (mnl_attr_get_type(attr)) {
		case NLMSGERR_ATTR_MSG:
			if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0 &&
			    *mnl_attr_get_str(attr))
				ext->msg = mnl_attr_get_str(attr);
			break;
		case NLMSGERR_ATTR_OFFS:
			if (u32 && in_tx)
				ext->bad = attr_at(s, mnl_attr_get_u32(attr), ext->bad_buf,
						   sizeof(ext->bad_buf));
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			if (u32) {
				ext->missing = true;
				ext->miss_type = mnl_attr_get_u32(attr);
			}
			break;
		case NLMSGERR_ATTR_MISS_NEST:
			if (u32) {
				ext->miss_nested = true;
				if (in_tx)
					ext->miss_nest = attr_at(s, mnl_attr_get_u32(attr),
								 ext->nest_buf,
								 sizeof(ext->nest_buf));
			}
			break;
		}
	}
}

/*
 * Print the kernel's error @error (negative) as "Error: MSG", MSG being
 * the extack message, or "missing attribute NAME" when that is all the
 * kernel said, or the errno's description; then the attribute the
 * kernel pointed at and the one it misses, by name. The extack's
 * attributes start @tlv_off bytes into @nlh's payload. @in_tx: the
 * request is still in tx, so attribute offsets can be named.
 */
static int report_error(const struct nl_sock *s, const struct nlmsghdr *nlh,
			int error, unsigned int tlv_off, bool in_tx)
{
	char missing[64] = "";
	struct extack ext;
	const char *name;

	if (error > 0)
		error = -error;
	if (s->quiet)
		return error;
	parse_extack(s, nlh, tlv_off, in_tx, &ext);
	if (ext.missing) {
		name = ext.miss_nested || !in_tx ? NULL : attr_name(s, ext.miss_type);
		if (name)
			snprintf(missing, sizeof(missing), "%s", name);
		else if (ext.miss_nested)
			snprintf(missing, sizeof(missing), "%u in %s", ext.miss_type,
				 ext.miss_nest ? ext.miss_nest : "a nest");
		else
			snprintf(missing, sizeof(missing), "%u", ext.miss_type);
	}
	if (ext.msg)
		fprintf(stderr, "Error: %s", ext.msg);
	else if (ext.missing)
		fprintf(stderr, "Error: missing attribute %s", missing);
	else
		fprintf(stderr, "Error: %s", strerror(-error));
	if (ext.bad)
		fprintf(stderr, " (attribute %s)", ext.bad);
	if (ext.missing && ext.msg)
		fprintf(stderr, " (missing attribute %s)", missing);
	fputc('\n', stderr);
	return error;
}

/* One request's replies, as the callbacks below see them. */
struct nl_run {
	struct nl_sock *s;
	mnl_cb_t cb;		/* data messages go here... */
	void *data;
	bool keep;		/* ...or, for a dump, into kept first */
	char *kept;
	size_t kept_len, kept_cap;
	int err;		/* the kernel's negative errno, once it said no */
	size_t rx_len;		/* bytes in s->rx */
	/* nl_collect(): answers to pipelined requests */
	unsigned int *in_flight;
	nl_done_t done;
};

/* Copy a dump's message until the dump is known whole. */
static int keep_reply(struct nl_run *run, const struct nlmsghdr *nlh)
{
	size_t len = MNL_ALIGN(nlh->nlmsg_len);

	if (run->kept_len + len > run->kept_cap) {
		size_t cap = run->kept_cap ? run->kept_cap : (size_t)NL_BUFSIZE;
		char *p;

		while (cap < run->kept_len + len)
			cap *= 2;
		p = realloc(run->kept, cap);
		if (!p) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		run->kept = p;
		run->kept_cap = cap;
	}
	memset(run->kept + run->kept_len, 0, len);
	memcpy(run->kept + run->kept_len, nlh, nlh->nlmsg_len);
	run->kept_len += len;
	return MNL_CB_OK;
}

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_run *run = data;

	if (run->keep)
		return keep_reply(run, nlh);
	return run->cb ? run->cb(nlh, run->data) : MNL_CB_OK;
}

/* The kernel's error code of an NLMSG_ERROR, or 1 if it is cut short. */
static int error_code(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		errno = EBADMSG;
		return 1;
	}
	return e->error;
}

/* Where an NLMSG_ERROR's extack starts, after the echoed request. */
static unsigned int error_tlv_off(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	unsigned int off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += mnl_nlmsg_get_payload_len(&e->msg);
	return off;
}

/* NLMSG_ERROR of the request being talked about: the ACK, or a refusal. */
static int talk_error_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_run *run = data;
	int error = error_code(nlh);

	if (error > 0)
		return MNL_CB_ERROR;
	if (error)
		run->err = report_error(run->s, nlh, error, error_tlv_off(nlh), true);
	return MNL_CB_STOP;
}

/* NLMSG_DONE ends a dump; an error code in it means the dump failed. */
static int talk_done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_run *run = data;
	int error = 0;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(error))
		memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(error));
	if (error)
		run->err = report_error(run->s, nlh, error, sizeof(error), true);
	return MNL_CB_STOP;
}

static mnl_cb_t talk_ctl[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR]	= talk_error_cb,
	[NLMSG_DONE]	= talk_done_cb,
};

/* An answer to a pipelined request: count it and pass its verdict on. */
static int collect_error_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_run *run = data;
	int error = error_code(nlh);

	if (error > 0)
		return MNL_CB_ERROR;
	if (error)
		error = report_error(run->s, nlh, error, error_tlv_off(nlh), false);
	(*run->in_flight)--;
	run->done(nlh->nlmsg_seq, error, run->data);
	return MNL_CB_OK;
}

static mnl_cb_t collect_ctl[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR]	= collect_error_cb,
};

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

static int bad_reply(void)
{
	int err = errno ? errno : EPROTO;

	fprintf(stderr, "clnetctl: bad reply from the kernel: %s\n", strerror(err));
	return -err;
}

/*
 * Read the replies to request @seq until its ACK, DONE or error. Returns
 * 0, a negative errno (printed), or -EINTR (not printed) if the reply is
 * part of a dump that a concurrent change interrupted.
 */
static int nl_wait(struct nl_run *run, uint32_t seq)
{
	struct nl_sock *s = run->s;
	ssize_t n;
	int ret;

	for (;;) {
		n = nl_recv(s);
		if (n < 0)
			return (int)n;
		run->rx_len = (size_t)n;
		errno = 0;
		ret = mnl_cb_run2(s->rx, (size_t)n, seq, s->portid, data_cb, run,
				  talk_ctl, NLMSG_MIN_TYPE);
		if (run->err)
			return run->err;
		if (ret == MNL_CB_STOP)
			return 0;
		if (ret < 0 && errno == EINTR)
			return -EINTR;
		if (ret < 0)
			return bad_reply();
	}
}

/* Does @buf hold the last message (DONE or error) of the reply to @seq? */
static bool reply_ends(const void *buf, size_t len, uint32_t seq)
{
	const struct nlmsghdr *h = buf;
	int left = (int)len;

	for (; mnl_nlmsg_ok(h, left); h = mnl_nlmsg_next(h, &left))
		if (h->nlmsg_seq == seq &&
		    (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR))
			return true;
	return false;
}

/*
 * An interrupted dump goes on to its end all the same: read what is left
 * of it, so that its messages do not mix with the next attempt's. libmnl
 * stops at the flagged message, which may be the DONE itself, so the
 * buffer it stopped in is looked at first.
 */
static int drain_dump(struct nl_run *run, uint32_t seq)
{
	ssize_t n;

	while (!reply_ends(run->s->rx, run->rx_len, seq)) {
		n = nl_recv(run->s);
		if (n < 0)
			return (int)n;
		run->rx_len = (size_t)n;
	}
	return 0;
}

static int nl_dump(struct nl_run *run, struct nlmsghdr *nlh)
{
	struct nl_sock *s = run->s;
	int tries, ret;

	run->keep = true;
	for (tries = 0; tries <= NL_DUMP_RETRIES; tries++) {
		if (tries)
			nlh->nlmsg_seq = ++s->seq;
		run->kept_len = 0;
		ret = nl_send(s, nlh);
		if (!ret)
			ret = nl_wait(run, nlh->nlmsg_seq);
		if (ret != -EINTR)
			break;
		ret = drain_dump(run, nlh->nlmsg_seq);
		if (ret)
			break;
		ret = -EINTR;
	}
	if (ret == -EINTR && !s->quiet)
		fprintf(stderr, "Error: dump interrupted by concurrent changes %d times\n",
			NL_DUMP_RETRIES + 1);
	if (!ret && run->kept_len) {
		/* Sequence and port were checked as the messages came in. */
		errno = 0;
		if (mnl_cb_run(run->kept, run->kept_len, 0, 0, run->cb, run->data) < 0)
			ret = bad_reply();
	}
	free(run->kept);
	run->kept = NULL;
	return ret;
}

int nl_talk(struct nl_sock *s, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	struct nl_run run = { .s = s, .cb = cb, .data = data };
	int ret;

	if (nlh->nlmsg_flags & NLM_F_DUMP)
		return nl_dump(&run, nlh);
	ret = nl_send(s, nlh);
	if (ret)
		return ret;
	ret = nl_wait(&run, nlh->nlmsg_seq);
	if (ret == -EINTR)	/* only dumps are interrupted */
		ret = bad_reply();
	return ret;
}

int nl_collect(struct nl_sock *s, unsigned int *in_flight, unsigned int until,
	       nl_done_t done, void *data)
{
	struct nl_run run = {
		.s = s, .data = data, .in_flight = in_flight, .done = done,
	};
	ssize_t n;

	while (*in_flight > until) {
		n = nl_recv(s);
		if (n < 0)
			return (int)n;
		/* Any sequence number: the answers of many requests. */
		errno = 0;
		if (mnl_cb_run2(s->rx, (size_t)n, 0, s->portid, NULL, &run,
				collect_ctl, NLMSG_MIN_TYPE) < 0)
			return bad_reply();
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
