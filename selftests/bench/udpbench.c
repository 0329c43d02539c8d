// SPDX-License-Identifier: GPL-2.0
/*
 * udpbench: small-packet UDP rate between two sockets, for `make bench`.
 *
 *   udpbench recv PORT            count datagrams until the sender's end
 *                                 marker; print "PACKETS SECONDS PPS"
 *   udpbench send ADDR PORT SECS  send 18-byte datagrams with sendmmsg for
 *                                 SECS seconds, then the end marker
 *
 * The receiver times from its first datagram to the marker, so start-up
 * and the sender's tail do not count. It polls without sleeping, so that
 * the sender's side does not pay a wake-up per datagram: what is measured
 * is the path between the sockets. Only ratios between runs made in the
 * same VM mean anything.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH		64
#define PAYLOAD		18
#define END_MARKER	"clnet-udpbench-end"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int do_recv(int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	char bufs[BATCH][64];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	uint64_t count = 0;
	double start = 0;
	int fd, i, n, rcvbuf = 4 << 20;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		perror("udpbench: recv socket");
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	for (i = 0; i < BATCH; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = sizeof(bufs[i]);
		memset(&msgs[i], 0, sizeof(msgs[i]));
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	for (;;) {
		n = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			perror("udpbench: recvmmsg");
			return 1;
		}
		if (!start)
			start = now();
		for (i = 0; i < n; i++) {
			if (msgs[i].msg_len == sizeof(END_MARKER) - 1 &&
			    !memcmp(bufs[i], END_MARKER, sizeof(END_MARKER) - 1)) {
				double secs = now() - start;

				printf("%llu %.3f %.0f\n", (unsigned long long)count,
				       secs, secs > 0 ? (double)count / secs : 0.0);
				return 0;
			}
			count++;
		}
	}
}

static int do_send(const char *addr, int port, double secs)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	char payload[PAYLOAD] = "clnet-udpbench";
	struct mmsghdr msgs[BATCH];
	struct iovec iov = { .iov_base = payload, .iov_len = PAYLOAD };
	double end;
	int fd, i;

	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		fprintf(stderr, "udpbench: bad address %s\n", addr);
		return 2;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		perror("udpbench: send socket");
		return 1;
	}
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	end = now() + secs;
	while (now() < end)
		if (sendmmsg(fd, msgs, BATCH, 0) < 0 && errno != ENOBUFS &&
		    errno != EAGAIN && errno != ECONNREFUSED) {
			perror("udpbench: sendmmsg");
			return 1;
		}
	/* The marker may meet a full queue: repeat it a few times. */
	iov.iov_base = END_MARKER;
	iov.iov_len = sizeof(END_MARKER) - 1;
	for (i = 0; i < 50; i++) {
		send(fd, END_MARKER, sizeof(END_MARKER) - 1, 0);
		usleep(2000);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "recv"))
		return do_recv(atoi(argv[2]));
	if (argc == 5 && !strcmp(argv[1], "send"))
		return do_send(argv[2], atoi(argv[3]), atof(argv[4]));
	fprintf(stderr, "usage: udpbench recv PORT | udpbench send ADDR PORT SECONDS\n");
	return 2;
}
