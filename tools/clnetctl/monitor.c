// SPDX-License-Identifier: GPL-2.0
/*
 * clnetctl monitor: listen to the clnet family's events group
 * (CLNET_MCGRP_EVENTS) of the netns and print each event with the wall
 * clock time it arrived, one line (or one JSON object) per event, until
 * SIGINT or SIGTERM. Listening needs no privilege.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/clnet.h>

#include "clnetctl.h"
#include "announce.h"
#include "monitor.h"

static void monitor_usage(FILE *f)
{
	fprintf(f,
		"Usage: clnetctl [ -j [ -p ] ] monitor\n"
		"Print the module's events in this netns as they happen, one line each\n"
		"with the time: announce up, down, expire; link new, del. Runs until\n"
		"interrupted (SIGINT, SIGTERM); needs no privilege.\n");
}

void monitor_fmt_time(const struct timespec *ts, char *buf, size_t len)
{
	struct tm tm;
	long off;
	size_t n;

	if (!localtime_r(&ts->tv_sec, &tm)) {
		snprintf(buf, len, "%lld.%06ld", (long long)ts->tv_sec, ts->tv_nsec / 1000);
		return;
	}
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	off = tm.tm_gmtoff;
	snprintf(buf + n, len - n, ".%06ld%c%02ld:%02ld", ts->tv_nsec / 1000,
		 off < 0 ? '-' : '+', labs(off) / 3600, labs(off) % 3600 / 60);
}

/* ---- one event ---- */

#define MAX_UNKNOWN	16

struct event {
	uint8_t cmd;
	bool has_addr, has_state, has_reason, has_netnsid, has_mode, has_mtu;
	struct in_addr addr;
	uint32_t ifindex, state, reason, peer_ifindex, mode, mtu;
	int32_t netnsid;
	const char *ifname, *peer;
	/* Attribute types newer than this CLI, in the order they came. */
	uint16_t unknown[MAX_UNKNOWN];
	unsigned int n_unknown;
};

static const char *const mode_names[] = {
	[CLNET_LINK_MODE_L3]	= "l3",
	[CLNET_LINK_MODE_L2]	= "l2",
};

#define NAME_OF(table, v) \
	((v) < sizeof(table) / sizeof((table)[0]) ? (table)[v] : NULL)

static void unknown_attr(struct event *ev, uint16_t type)
{
	if (ev->n_unknown < MAX_UNKNOWN)
		ev->unknown[ev->n_unknown++] = type;
}

static bool get_u32(const struct nlattr *a, uint32_t *v)
{
	if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return false;
	*v = mnl_attr_get_u32(a);
	return true;
}

static const char *get_str(const struct nlattr *a)
{
	return mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0 ? NULL : mnl_attr_get_str(a);
}

/* ANNOUNCE_UP, _DOWN, _EXPIRE; what the CLI knows but does not show is skipped. */
static void read_announce(const struct nlattr *a, struct event *ev)
{
	uint16_t type = mnl_attr_get_type(a);

	switch (type) {
	case CLNET_ANNOUNCE_A_ADDR:
		ev->has_addr = get_u32(a, &ev->addr.s_addr);
		break;
	case CLNET_ANNOUNCE_A_IFINDEX:
		get_u32(a, &ev->ifindex);
		break;
	case CLNET_ANNOUNCE_A_IFNAME:
		ev->ifname = get_str(a);
		break;
	case CLNET_ANNOUNCE_A_STATE:
		ev->has_state = get_u32(a, &ev->state);
		break;
	case CLNET_ANNOUNCE_A_REASON:
		ev->has_reason = get_u32(a, &ev->reason);
		break;
	default:
		if (type > CLNET_ANNOUNCE_A_MAX)
			unknown_attr(ev, type);
	}
}

/* LINK_NEW (a LINK_GET reply's attributes) and LINK_DEL. */
static void read_link(const struct nlattr *a, struct event *ev)
{
	uint16_t type = mnl_attr_get_type(a);
	uint32_t v = 0;

	switch (type) {
	case CLNET_LINK_A_IFINDEX:
		get_u32(a, &ev->ifindex);
		break;
	case CLNET_LINK_A_IFNAME:
		ev->ifname = get_str(a);
		break;
	case CLNET_LINK_A_PEER_IFINDEX:
		get_u32(a, &ev->peer_ifindex);
		break;
	case CLNET_LINK_A_PEER_IFNAME:
		ev->peer = get_str(a);
		break;
	case CLNET_LINK_A_PEER_NETNSID:
		ev->has_netnsid = get_u32(a, &v);
		ev->netnsid = (int32_t)v;
		break;
	case CLNET_LINK_A_MODE:
		ev->has_mode = get_u32(a, &ev->mode);
		break;
	case CLNET_LINK_A_MTU:
		ev->has_mtu = get_u32(a, &ev->mtu);
		break;
	default:
		if (type > CLNET_LINK_A_MAX)
			unknown_attr(ev, type);
	}
}

static void read_event(const struct nlmsghdr *nlh, struct event *ev)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct nlattr *a;

	memset(ev, 0, sizeof(*ev));
	ev->cmd = g->cmd;
	mnl_attr_for_each(a, nlh, sizeof(*g)) {
		switch (ev->cmd) {
		case CLNET_CMD_ANNOUNCE_UP:
		case CLNET_CMD_ANNOUNCE_DOWN:
		case CLNET_CMD_ANNOUNCE_EXPIRE:
			read_announce(a, ev);
			break;
		case CLNET_CMD_LINK_NEW:
		case CLNET_CMD_LINK_DEL:
			read_link(a, ev);
			break;
		default:
			unknown_attr(ev, mnl_attr_get_type(a));
		}
	}
}

/* The event's name, "announce-up" (JSON) or "announce up" (text). */
static const char *event_name(uint8_t cmd, bool json)
{
	switch (cmd) {
	case CLNET_CMD_ANNOUNCE_UP:
		return json ? "announce-up" : "announce up";
	case CLNET_CMD_ANNOUNCE_DOWN:
		return json ? "announce-down" : "announce down";
	case CLNET_CMD_ANNOUNCE_EXPIRE:
		return json ? "announce-expire" : "announce expire";
	case CLNET_CMD_LINK_NEW:
		return json ? "link-new" : "link new";
	case CLNET_CMD_LINK_DEL:
		return json ? "link-del" : "link del";
	}
	return NULL;
}

static bool is_announce(uint8_t cmd)
{
	return cmd == CLNET_CMD_ANNOUNCE_UP || cmd == CLNET_CMD_ANNOUNCE_DOWN ||
	       cmd == CLNET_CMD_ANNOUNCE_EXPIRE;
}

static void print_text(const struct event *ev, const char *stamp)
{
	const char *name = event_name(ev->cmd, false), *word;
	char addr[INET_ADDRSTRLEN] = "-";
	unsigned int i;

	printf("%s ", stamp);
	if (!name)
		printf("event %u", ev->cmd);
	else
		printf("%s", name);
	if (is_announce(ev->cmd)) {
		if (ev->has_addr)
			inet_ntop(AF_INET, &ev->addr, addr, sizeof(addr));
		printf(" %s dev ", addr);
		if (ev->ifname)
			printf("%s", ev->ifname);
		else
			printf("#%u", ev->ifindex);
		if (ev->cmd == CLNET_CMD_ANNOUNCE_DOWN && ev->has_reason) {
			word = announce_reason_name(ev->reason);
			if (word)
				printf(" reason %s", word);
			else
				printf(" reason %u", ev->reason);
		}
	} else if (name) {
		if (ev->ifname)
			printf(" %s", ev->ifname);
		else
			printf(" #%u", ev->ifindex);
		if (ev->cmd == CLNET_CMD_LINK_NEW && ev->peer)
			printf(" peer %s", ev->peer);
	}
	for (i = 0; i < ev->n_unknown; i++)
		printf(" attr %u", ev->unknown[i]);
	putchar('\n');
}

/* A named value as a word, or by number when this CLI has no word for it. */
static void json_word(struct json *j, const char *key, const char *word, uint32_t v)
{
	if (word)
		json_str(j, key, word);
	else
		json_u64(j, key, v);
}

static void print_json(const struct event *ev, const char *stamp, bool pretty)
{
	const char *name = event_name(ev->cmd, true);
	char addr[INET_ADDRSTRLEN];
	struct json j;
	unsigned int i;

	json_init(&j, stdout, pretty);
	json_open(&j, NULL, '{');
	json_str(&j, "time", stamp);
	if (name)
		json_str(&j, "event", name);
	else
		json_u64(&j, "event", ev->cmd);
	if (is_announce(ev->cmd)) {
		if (ev->has_addr)
			json_str(&j, "addr", inet_ntop(AF_INET, &ev->addr, addr, sizeof(addr)));
		else
			json_null(&j, "addr");
	}
	if (name) {
		if (ev->ifname)
			json_str(&j, "dev", ev->ifname);
		else
			json_null(&j, "dev");
		json_u64(&j, "ifindex", ev->ifindex);
	}
	if (is_announce(ev->cmd)) {
		if (ev->has_state)
			json_word(&j, "state", announce_state_name(ev->state), ev->state);
		if (ev->has_reason && ev->reason != CLNET_ANNOUNCE_REASON_NONE)
			json_word(&j, "reason", announce_reason_name(ev->reason), ev->reason);
	}
	if (ev->cmd == CLNET_CMD_LINK_NEW) {
		if (ev->peer)
			json_str(&j, "peer", ev->peer);
		else
			json_null(&j, "peer");
		json_u64(&j, "peer_ifindex", ev->peer_ifindex);
		if (ev->has_netnsid)
			json_u64(&j, "peer_netnsid", (uint64_t)ev->netnsid);
		if (ev->has_mode)
			json_word(&j, "mode", NAME_OF(mode_names, ev->mode), ev->mode);
		if (ev->has_mtu)
			json_u64(&j, "mtu", ev->mtu);
	}
	if (ev->n_unknown) {
		json_open(&j, "unknown_attrs", '[');
		for (i = 0; i < ev->n_unknown; i++)
			json_u64(&j, NULL, ev->unknown[i]);
		json_close(&j, ']');
	}
	json_close(&j, '}');
	json_end(&j);
}

void monitor_print(const struct nlmsghdr *nlh, const struct timespec *ts,
		   bool json, bool pretty)
{
	char stamp[64];
	struct event ev;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr))
		return;
	read_event(nlh, &ev);
	monitor_fmt_time(ts, stamp, sizeof(stamp));
	if (json)
		print_json(&ev, stamp, pretty);
	else
		print_text(&ev, stamp);
}

/* ---- listening ---- */

struct listen_state {
	struct ctx *c;
	struct timespec ts;
	bool gone;	/* the family was unregistered: no more events */
};

/* A message of the controller: is it the clnet family going away? */
static bool family_gone(const struct nlmsghdr *nlh, uint16_t family)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct nlattr *a;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*g) || g->cmd != CTRL_CMD_DELFAMILY)
		return false;
	mnl_attr_for_each(a, nlh, sizeof(*g))
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
		    mnl_attr_validate(a, MNL_TYPE_U16) >= 0)
			return mnl_attr_get_u16(a) == family;
	return false;
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct listen_state *ls = data;

	if (nlh->nlmsg_type == ls->c->nl.family) {
		monitor_print(nlh, &ls->ts, ls->c->json, ls->c->pretty);
	} else if (nlh->nlmsg_type == GENL_ID_CTRL &&
		   family_gone(nlh, ls->c->nl.family)) {
		ls->gone = true;
		return MNL_CB_STOP;
	}
	return MNL_CB_OK;
}

static int features_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == CLNET_INFO_A_FEATURES &&
		    mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
			*(uint64_t *)data = mnl_attr_get_u64(a);
	return MNL_CB_OK;
}

/* Does the module send events, and has its family the group? */
static int need_events(struct ctx *c)
{
	uint64_t features = 0;
	struct nlmsghdr *nlh;
	int ret = ctx_nl(c);

	if (ret)
		return ret;
	nlh = clnet_nl_msg(&c->nl, CLNET_CMD_GET_INFO, 0);
	if (clnet_nl_talk(&c->nl, nlh, features_cb, &features))
		return EXIT_FAIL;
	if (!(features & (1ULL << CLNET_FEATURE_EVENTS)) || !c->nl.events_group) {
		fprintf(stderr, "Error: module does not support events\n");
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/*
 * Join the group, with a receive buffer for bursts (as far as allowed),
 * and the controller's, which says when the module is unloaded (its
 * group's id is the controller's family id); without that one, monitor
 * would just hear nothing more.
 */
static int join(struct ctx *c)
{
	int fd = mnl_socket_get_fd(c->nl.s.sock), size = 4 << 20;
	unsigned int group = c->nl.events_group, ctrl = GENL_ID_CTRL;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (mnl_socket_setsockopt(c->nl.s.sock, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0) {
		fprintf(stderr, "clnetctl: cannot join the events group: %s\n",
			strerror(errno));
		return EXIT_FAIL;
	}
	mnl_socket_setsockopt(c->nl.s.sock, NETLINK_ADD_MEMBERSHIP, &ctrl, sizeof(ctrl));
	return EXIT_OK;
}

/*
 * Read events until a signal: SIGINT and SIGTERM are blocked and read
 * from a signalfd beside the socket, so that one arriving at any moment
 * ends the loop.
 */
static int listen_loop(struct ctx *c, int sfd)
{
	struct listen_state ls = { .c = c };
	struct pollfd p[2] = {
		{ .fd = sfd, .events = POLLIN },
		{ .fd = mnl_socket_get_fd(c->nl.s.sock), .events = POLLIN },
	};
	struct signalfd_siginfo si;
	ssize_t n;

	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("clnetctl: poll");
			return EXIT_FAIL;
		}
		if (p[0].revents & POLLIN) {
			/* Taken, all of them, so that none is left to kill us. */
			while (read(sfd, &si, sizeof(si)) > 0)
				;
			return EXIT_OK;
		}
		/* An error (ENOBUFS, or worse) is for recvfrom() to tell. */
		if (!(p[1].revents & (POLLIN | POLLERR | POLLHUP | POLLNVAL)))
			continue;
		n = mnl_socket_recvfrom(c->nl.s.sock, c->nl.s.rx, NL_BUFSIZE);
		if (n < 0) {
			if (errno == ENOBUFS) {
				fprintf(stderr, "clnetctl: events lost: the receive buffer overflowed\n");
				continue;
			}
			if (errno == EINTR || errno == EAGAIN)
				continue;
			perror("clnetctl: netlink receive");
			return EXIT_FAIL;
		}
		clock_gettime(CLOCK_REALTIME, &ls.ts);
		errno = 0;
		if (mnl_cb_run(c->nl.s.rx, (size_t)n, 0, 0, event_cb, &ls) < 0)
			fprintf(stderr, "clnetctl: a malformed message from the kernel: %s\n",
				strerror(errno ? errno : EPROTO));
		if (fflush(stdout) == EOF) {
			perror("clnetctl: standard output");
			return EXIT_FAIL;
		}
		if (ls.gone) {
			fprintf(stderr, "clnetctl: the clnet module was unloaded\n");
			return EXIT_FAIL;
		}
	}
}

int cmd_monitor(struct ctx *c, int argc, char **argv)
{
	sigset_t mask, old;
	int sfd, ret;

	if (argc > 0 && is_help(argv[0])) {
		monitor_usage(stdout);
		return EXIT_OK;
	}
	if (argc > 0)
		return usage_error("monitor: unexpected \"%s\"", argv[0]);
	ret = need_events(c);
	if (!ret)
		ret = join(c);
	if (ret)
		return ret;
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &mask, &old) < 0) {
		perror("clnetctl: sigprocmask");
		return EXIT_FAIL;
	}
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		perror("clnetctl: signalfd");
		ret = EXIT_FAIL;
	} else {
		ret = listen_loop(c, sfd);
		close(sfd);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}
