// SPDX-License-Identifier: GPL-2.0
/*
 * nfq_accept QUEUE COUNT: bind NFQUEUE number QUEUE, give every packet
 * queued there back to the kernel with NF_ACCEPT, and exit 0 after COUNT
 * of them. Prints "bound" once the queue is bound, for the test to wait on.
 *
 * The selftests use it to send packets through nf_reinject(), which runs
 * the rest of the netfilter hook chain in process context.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>

static struct mnl_socket *nl;
static unsigned int portid;
static int queue;

static struct nlmsghdr *nfq_msg(char *buf, int type)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = (NFNL_SUBSYS_QUEUE << 8) | type;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_UNSPEC;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = htons(queue);
	return nlh;
}

/* Ask to bind the queue, metadata only; the kernel acks (ack_cb). */
static int bind_queue(void)
{
	struct nfqnl_msg_config_cmd cmd = { .command = NFQNL_CFG_CMD_BIND };
	struct nfqnl_msg_config_params params = {
		.copy_range = htonl(0),
		.copy_mode = NFQNL_COPY_META,
	};
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nfq_msg(buf, NFQNL_MSG_CONFIG);

	nlh->nlmsg_flags |= NLM_F_ACK;
	mnl_attr_put(nlh, NFQA_CFG_CMD, sizeof(cmd), &cmd);
	mnl_attr_put(nlh, NFQA_CFG_PARAMS, sizeof(params), &params);
	return mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0 ? -1 : 0;
}

/*
 * The bind's ack (or error). A packet may be queued before it arrives:
 * the receive loop handles both, in whatever order they come.
 */
static int ack_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

	(void)data;
	if (err->error) {
		fprintf(stderr, "nfq_accept: binding queue %d: %s\n", queue,
			strerror(-err->error));
		return MNL_CB_ERROR;
	}
	printf("bound\n");
	fflush(stdout);
	return MNL_CB_OK;
}

static int packet_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr **hdr = data;

	if (mnl_attr_get_type(attr) == NFQA_PACKET_HDR &&
	    mnl_attr_get_payload_len(attr) >= sizeof(struct nfqnl_msg_packet_hdr))
		*hdr = attr;
	return MNL_CB_OK;
}

/* A queued packet: accept it. */
static int packet_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nfqnl_msg_packet_hdr *ph;
	struct nfqnl_msg_verdict_hdr verdict;
	const struct nlattr *hdr = NULL;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *reply;
	int *left = data;

	mnl_attr_parse(nlh, sizeof(struct nfgenmsg), packet_attr, &hdr);
	if (!hdr) {
		fprintf(stderr, "nfq_accept: queued packet without a header\n");
		return MNL_CB_ERROR;
	}
	ph = mnl_attr_get_payload(hdr);
	verdict.verdict = htonl(NF_ACCEPT);
	verdict.id = ph->packet_id;
	reply = nfq_msg(buf, NFQNL_MSG_VERDICT);
	mnl_attr_put(reply, NFQA_VERDICT_HDR, sizeof(verdict), &verdict);
	if (mnl_socket_sendto(nl, reply, reply->nlmsg_len) < 0) {
		perror("nfq_accept: verdict");
		return MNL_CB_ERROR;
	}
	return --*left > 0 ? MNL_CB_OK : MNL_CB_STOP;
}

int main(int argc, char **argv)
{
	static mnl_cb_t ctl_cb[NLMSG_MIN_TYPE] = { [NLMSG_ERROR] = ack_cb };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int left, n, ret;

	if (argc != 3 || (queue = atoi(argv[1])) < 0 || queue > 65535 ||
	    (left = atoi(argv[2])) <= 0) {
		fprintf(stderr, "usage: nfq_accept QUEUE COUNT\n");
		return 2;
	}
	nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("nfq_accept: netlink socket");
		return 1;
	}
	portid = mnl_socket_get_portid(nl);
	if (bind_queue() < 0) {
		perror("nfq_accept: binding the queue");
		return 1;
	}

	do {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0) {
			perror("nfq_accept: receive");
			return 1;
		}
		ret = mnl_cb_run2(buf, n, 0, portid, packet_cb, &left,
				  ctl_cb, NLMSG_MIN_TYPE);
	} while (ret > MNL_CB_STOP);
	mnl_socket_close(nl);
	return ret == MNL_CB_STOP ? 0 : 1;
}
