// SPDX-License-Identifier: GPL-2.0
/*
 * udpbench: small-packet UDP rate between two sockets, for `make bench`.
 *
 *   udpbench recv PORT            count datagrams until the sender's end
 *                                 marker; print "PACKETS SECONDS PPS"
 *   udpbench send ADDR PORT SECS  send 18-byte datagrams with sendmmsg for
 *                                 SECS seconds, then the end marker
 *   udpbench gen IFNAME SRC DST PORT SECS [MAC]
 *                                 the same datagrams, but built here and
 *                                 handed to IFNAME's transmit by a packet
 *                                 socket (qdisc bypassed), as a packet
 *                                 generator would: the sender's UDP/IP
 *                                 output path is not measured. MAC is the
 *                                 next hop's, for an Ethernet IFNAME.
 *
 * For the instruction counts (Documentation/insn-count.rst) a fixed
 * number of datagrams instead, in one marked window:
 *
 *   udpbench sink PORT [-e]       keep every datagram to PORT queued, unread,
 *                                 until one arrives on PORT+1; mark the
 *                                 window's end, then count what was queued
 *                                 and print "PACKETS"
 *   udpbench send ADDR PORT -n N [-e]  mark the window's start, send N
 *   udpbench gen ... PORT -n N [MAC]  datagrams, then one to PORT+1; print
 *                                 "PACKETS SECONDS PPS" for the sending
 *
 * With -e on both, the sender first sends one datagram to PORT and one to
 * PORT+1 that the sink answers, before the window: conntrack on the way
 * then sees each flow's reply, so that the window's datagrams, the end
 * datagram too, belong to established flows (what masquerade and flow
 * offload act on), as in a real UDP exchange.
 *
 * The sink does not read during the window, so that the window holds the
 * path from the sender to the receiving socket's queue and nothing that
 * depends on when the receiver happens to run.
 * The receiver times from its first datagram to the marker, so start-up
 * and the sender's tail do not count. It polls without sleeping, so that
 * the sender's side does not pay a wake-up per datagram: what is measured
 * is the path between the sockets. Only ratios between runs made in the
 * same VM mean anything.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "insn-mark.h"

#define BATCH		64
#define PAYLOAD		18
#define END_MARKER	"clnet-udpbench-end"
#define HELLO		"clnet-udpbench-hello"

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

/*
 * Send the batch @msgs over and over for @secs seconds, then the end
 * marker @marker (to @to, or the connected peer if NULL). The marker may
 * meet a full queue: it is repeated a few times.
 */
static int blast(int fd, struct mmsghdr *msgs, double secs,
		 const void *marker, size_t mlen, const struct sockaddr *to,
		 socklen_t tolen)
{
	double end = now() + secs;
	int i;

	while (now() < end)
		if (sendmmsg(fd, msgs, BATCH, 0) < 0 && errno != ENOBUFS &&
		    errno != EAGAIN && errno != ECONNREFUSED) {
			perror("udpbench: sendmmsg");
			return 1;
		}
	for (i = 0; i < 50; i++) {
		sendto(fd, marker, mlen, 0, to, tolen);
		usleep(2000);
	}
	return 0;
}

/*
 * Send @msgs[0]'s datagram exactly @count times (a datagram the kernel
 * refuses for a full queue is sent again) in a marked window, then @end
 * once to the sink's end port (@to: the end's address, or NULL for @efd's
 * connected peer).
 */
static int counted(int fd, struct mmsghdr *msgs, long count, int efd,
		   const void *end, size_t elen, const struct sockaddr *to,
		   socklen_t tolen)
{
	long left = count;
	double start;
	int n;

	start = now();
	insn_mark();
	while (left > 0) {
		n = sendmmsg(fd, msgs, left < BATCH ? left : BATCH, 0);
		if (n < 0 && errno != ENOBUFS && errno != EAGAIN) {
			perror("udpbench: sendmmsg");
			return 1;
		}
		if (n > 0)
			left -= n;
	}
	if (sendto(efd, end, elen, 0, to, tolen) < 0) {
		perror("udpbench: end datagram");
		return 1;
	}
	start = now() - start;
	/*
	 * Let the sink end the window before this process prints and exits,
	 * so that neither is in it.
	 */
	usleep(100000);
	printf("%ld %.3f %.0f\n", count, start, start > 0 ? count / start : 0.0);
	return 0;
}

static int udp_socket(int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		perror("udpbench: sink socket");
		return -1;
	}
	return fd;
}

static int do_sink(int port, bool answer)
{
	int fd, efd, rcvbuf = 1 << 30;
	struct sockaddr_in from;
	socklen_t flen = sizeof(from);
	unsigned long count = 0;
	char buf[64];
	ssize_t n;

	fd = udp_socket(port);
	efd = udp_socket(port + 1);
	if (fd < 0 || efd < 0)
		return 1;
	/* Room for every datagram of the window: none may be dropped. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf))) {
		perror("udpbench: SO_RCVBUFFORCE");
		return 1;
	}
	/* The sender's first datagram, answered before its window. */
	if (answer) {
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
		if (n < 0 || sendto(fd, buf, n, 0, (struct sockaddr *)&from, flen) < 0) {
			perror("udpbench: answer");
			return 1;
		}
	}
	/* The end port's handshakes are answered too, until the end. */
	for (;;) {
		flen = sizeof(from);
		n = recvfrom(efd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
		if (n < 0) {
			perror("udpbench: recv");
			return 1;
		}
		if (!answer || n != sizeof(HELLO) - 1)
			break;
		if (sendto(efd, buf, n, 0, (struct sockaddr *)&from, flen) < 0) {
			perror("udpbench: answer");
			return 1;
		}
	}
	insn_mark();
	/* A handshake datagram sent again is not the window's. */
	while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) >= 0)
		if (n != sizeof(HELLO) - 1)
			count++;
	printf("%lu\n", count);
	return 0;
}

/*
 * One datagram to the connected peer and its answer, sent again until one
 * comes back (10 s at most).
 */
static int handshake(int fd)
{
	struct timeval tv = { .tv_sec = 0, .tv_usec = 200000 };
	char hello[] = HELLO, buf[64];
	int i;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		perror("udpbench: SO_RCVTIMEO");
		return 1;
	}
	for (i = 0; i < 50; i++) {
		if (send(fd, hello, sizeof(hello) - 1, 0) < 0 && errno != ECONNREFUSED) {
			perror("udpbench: handshake");
			return 1;
		}
		if (recv(fd, buf, sizeof(buf), 0) == sizeof(hello) - 1 &&
		    !memcmp(buf, hello, sizeof(hello) - 1))
			return 0;
	}
	fprintf(stderr, "udpbench: no answer to the handshake\n");
	return 1;
}

static int do_send(const char *addr, int port, double secs, long count,
		   bool shake)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	char payload[PAYLOAD] = "clnet-udpbench";
	struct mmsghdr msgs[BATCH];
	struct iovec iov = { .iov_base = payload, .iov_len = PAYLOAD };
	int fd, efd, i;

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
	if (shake && handshake(fd))
		return 1;
	if (count && shake) {
		/* The end datagram's flow established too, on a socket of its own. */
		sin.sin_port = htons(port + 1);
		efd = socket(AF_INET, SOCK_DGRAM, 0);
		if (efd < 0 || connect(efd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
			perror("udpbench: end socket");
			return 1;
		}
		if (handshake(efd))
			return 1;
		return counted(fd, msgs, count, efd, END_MARKER, sizeof(END_MARKER) - 1,
			       NULL, 0);
	}
	if (count) {
		sin.sin_port = htons(port + 1);
		return counted(fd, msgs, count, fd, END_MARKER, sizeof(END_MARKER) - 1,
			       (struct sockaddr *)&sin, sizeof(sin));
	}
	return blast(fd, msgs, secs, END_MARKER, sizeof(END_MARKER) - 1, NULL, 0);
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)(p[len - 1] << 8);
	return sum;
}

/* An IPv4/UDP datagram from SRC to DST:PORT carrying @payload. */
static size_t build_datagram(uint8_t *buf, struct in_addr src,
			     struct in_addr dst, int port,
			     const void *payload, size_t plen)
{
	struct iphdr *ip = (struct iphdr *)buf;
	struct udphdr *udp = (struct udphdr *)(ip + 1);
	size_t len = sizeof(*ip) + sizeof(*udp) + plen;
	uint32_t sum;

	memset(buf, 0, sizeof(*ip) + sizeof(*udp));
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons(len);
	ip->frag_off = htons(IP_DF);
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->saddr = src.s_addr;
	ip->daddr = dst.s_addr;
	ip->check = htons(csum_fold(csum_add(0, ip, sizeof(*ip))));
	udp->source = htons(port);
	udp->dest = htons(port);
	udp->len = htons(sizeof(*udp) + plen);
	memcpy(udp + 1, payload, plen);
	/* pseudo-header, then the UDP header and payload */
	sum = csum_add(0, &ip->saddr, 8);
	sum += IPPROTO_UDP + sizeof(*udp) + plen;
	udp->check = htons(csum_fold(csum_add(sum, udp, sizeof(*udp) + plen)));
	if (!udp->check)
		udp->check = 0xffff;
	return len;
}

static int do_gen(char **argv, long count)
{
	const char *ifname = argv[0], *mac = argv[5];
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_IP) };
	int port = atoi(argv[3]), one = 1, sndbuf = 64 << 20, fd, i;
	uint8_t pkt[64], marker[64];
	size_t len, mlen;
	struct mmsghdr msgs[BATCH];
	struct iovec iov;
	struct in_addr src, dst;
	double secs = atof(argv[4]);

	if (inet_pton(AF_INET, argv[1], &src) != 1 ||
	    inet_pton(AF_INET, argv[2], &dst) != 1) {
		fprintf(stderr, "udpbench: bad address\n");
		return 2;
	}
	sll.sll_ifindex = if_nametoindex(ifname);
	if (!sll.sll_ifindex) {
		fprintf(stderr, "udpbench: no device %s\n", ifname);
		return 2;
	}
	if (mac) {
		if (sscanf(mac, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &sll.sll_addr[0],
			   &sll.sll_addr[1], &sll.sll_addr[2], &sll.sll_addr[3],
			   &sll.sll_addr[4], &sll.sll_addr[5]) != 6) {
			fprintf(stderr, "udpbench: bad MAC %s\n", mac);
			return 2;
		}
		sll.sll_halen = 6;
	}
	len = build_datagram(pkt, src, dst, port, "clnet-udpbench", PAYLOAD);
	mlen = build_datagram(marker, src, dst, count ? port + 1 : port, END_MARKER,
			      sizeof(END_MARKER) - 1);

	/*
	 * Protocol 0: the socket receives nothing, so no tap is installed.
	 * A send buffer far above what the backlogs on the way can hold, so
	 * that the sender never sleeps on it: a path that queues packets
	 * would otherwise leave the sending vCPU idle.
	 */
	fd = socket(AF_PACKET, SOCK_DGRAM, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf))) {
		perror("udpbench: packet socket");
		return 1;
	}
	iov.iov_base = pkt;
	iov.iov_len = len;
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		msgs[i].msg_hdr.msg_name = &sll;
		msgs[i].msg_hdr.msg_namelen = sizeof(sll);
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	if (count)
		return counted(fd, msgs, count, fd, marker, mlen, (struct sockaddr *)&sll,
			       sizeof(sll));
	return blast(fd, msgs, secs, marker, mlen, (struct sockaddr *)&sll,
		     sizeof(sll));
}

/* SECS, or "-n" with a count of datagrams: the count (0 for SECS). */
static long count_arg(int argc, char **argv, int i)
{
	return i + 1 < argc && !strcmp(argv[i], "-n") ? atol(argv[i + 1]) : 0;
}

int main(int argc, char **argv)
{
	long n;

	if (argc == 3 && !strcmp(argv[1], "recv"))
		return do_recv(atoi(argv[2]));
	if ((argc == 3 || (argc == 4 && !strcmp(argv[3], "-e"))) &&
	    !strcmp(argv[1], "sink"))
		return do_sink(atoi(argv[2]), argc == 4);
	if (argc >= 5 && argc <= 7 && !strcmp(argv[1], "send")) {
		bool shake = !strcmp(argv[argc - 1], "-e");

		n = count_arg(argc, argv, 4);
		if (argc - shake == (n > 0 ? 6 : 5))
			return do_send(argv[2], atoi(argv[3]), atof(argv[4]), n, shake);
	}
	if (argc >= 7 && argc <= 9 && !strcmp(argv[1], "gen")) {
		n = count_arg(argc, argv, 6);
		if (n > 0) {
			/* drop the "-n": the rest is as for a duration */
			argv[6] = argv[7];
			argv[7] = argc == 9 ? argv[8] : NULL;
			argc--;
		}
		if (argc == 7 || argc == 8)
			return do_gen(argv + 2, n);
	}
	fprintf(stderr, "usage: udpbench recv PORT | udpbench send ADDR PORT SECONDS\n"
		"       udpbench gen IFNAME SRC DST PORT SECONDS [MAC]\n"
		"       udpbench sink PORT [-e] | udpbench send ADDR PORT -n COUNT [-e]\n"
		"       udpbench gen IFNAME SRC DST PORT -n COUNT [MAC]\n");
	return 2;
}
