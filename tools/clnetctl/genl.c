// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink plumbing for clnetctl: family lookup, requests, and
 * errors reported with the kernel's extack text verbatim.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/clnet.h>

#include "genl.h"

#define NL_BUFSIZE	(MNL_SOCKET_BUFFER_SIZE * 2)

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
		    mnl_attr_validate(attr, MNL_TYPE_U16) >= 0)
			*(uint16_t *)data = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

/* Print the kernel's error and its extack message, if any. */
static void print_error(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	const char *msg = NULL;
	unsigned int off = sizeof(*err);
	struct nlattr *attr;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		goto out;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += mnl_nlmsg_get_payload_len(&err->msg);
	mnl_attr_for_each(attr, nlh, off)
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
			msg = mnl_attr_get_str(attr);
out:
	if (msg && *msg)
		fprintf(stderr, "Error: %s\n", msg);
	else
		fprintf(stderr, "Error: %s\n", strerror(-err->error));
}

int clnet_nl_talk(struct clnet_nl *nl, struct nlmsghdr *nlh,
		  mnl_cb_t cb, void *data)
{
	uint32_t seq = nlh->nlmsg_seq;
	ssize_t n;
	int ret;

	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0) {
		ret = -errno;
		perror("clnetctl: netlink send");
		return ret;
	}
	for (;;) {
		const struct nlmsghdr *h;
		int len;

		n = mnl_socket_recvfrom(nl->sock, nl->buf, NL_BUFSIZE);
		if (n < 0) {
			ret = -errno;
			perror("clnetctl: netlink receive");
			return ret;
		}
		/* Look for an error first: libmnl would hide its extack. */
		len = (int)n;
		for (h = (struct nlmsghdr *)nl->buf; mnl_nlmsg_ok(h, len);
		     h = mnl_nlmsg_next(h, &len)) {
			const struct nlmsgerr *e;

			if (h->nlmsg_type != NLMSG_ERROR)
				continue;
			e = mnl_nlmsg_get_payload(h);
			if (e->error) {
				print_error(h);
				return e->error;
			}
		}
		ret = mnl_cb_run(nl->buf, n, seq, nl->portid, cb, data);
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

struct nlmsghdr *clnet_nl_msg(struct clnet_nl *nl, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = nl->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++nl->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = CLNET_GENL_VERSION;
	return nlh;
}

int clnet_nl_open(struct clnet_nl *nl)
{
	struct genlmsghdr *g;
	struct nlmsghdr *nlh;
	int one = 1, ret;

	memset(nl, 0, sizeof(*nl));
	nl->buf = malloc(NL_BUFSIZE);
	if (!nl->buf) {
		fprintf(stderr, "clnetctl: out of memory\n");
		return -ENOMEM;
	}
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock || mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		perror("clnetctl: generic netlink socket");
		clnet_nl_close(nl);
		return ret;
	}
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);

	nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++nl->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, CLNET_GENL_NAME);

	/* The controller's "no such family" is our "module not loaded". */
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0) {
		ret = -errno;
		goto err;
	}
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl->sock, nl->buf, NL_BUFSIZE);

		if (n < 0) {
			ret = -errno;
			goto err;
		}
		ret = mnl_cb_run(nl->buf, n, nl->seq, nl->portid, family_cb,
				 &nl->family);
		if (ret < 0) {
			ret = -errno;
			goto err;
		}
		if (ret == MNL_CB_STOP)
			break;
	}
	if (nl->family)
		return 0;
	ret = -ENOENT;
err:
	if (ret == -ENOENT)
		fprintf(stderr, "clnet kernel module is not loaded: insmod kmod/clnet.ko\n");
	else
		fprintf(stderr, "clnetctl: cannot look up the clnet family: %s\n",
			strerror(-ret));
	clnet_nl_close(nl);
	return ret;
}

void clnet_nl_close(struct clnet_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->buf);
	nl->sock = NULL;
	nl->buf = NULL;
}
