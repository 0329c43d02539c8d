// SPDX-License-Identifier: GPL-2.0
/*
 * connbench: new TCP connections per second, for `make bench`.
 *
 *   connbench serve PORT            accept connections on PORT and close each
 *                                   at once, until killed
 *   connbench connect ADDR PORT -n N
 *                                   mark a window's start (insn-mark.h), open
 *                                   N connections one after the other, mark
 *                                   its end; print "CONNECTIONS SECONDS CPS"
 *   connbench sink PORT             accept one connection, read it to its
 *                                   end, close it and exit
 *   connbench stream ADDR PORT -n BYTES
 *                                   connect, mark, send BYTES, end the stream
 *                                   and wait for the sink's close (all data
 *                                   and ACKs handled), mark; print "BYTES
 *                                   SECONDS MBIT/S"
 *
 * Each connection is a whole one: the three-way handshake, the server's
 * accept() and close(), the client's read of the end of the stream and
 * its close(); the server's side then waits out TIME_WAIT, the client's
 * port is free at once. The server closing first keeps the client's
 * ephemeral ports reusable however many connections a run makes.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "insn-mark.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int do_serve(int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd, c, one = 1;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) || listen(fd, 1024)) {
		perror("connbench: listen");
		return 1;
	}
	for (;;) {
		c = accept(fd, NULL, NULL);
		if (c < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			perror("connbench: accept");
			return 1;
		}
		close(c);
	}
}

static int do_sink(int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	static char buf[1 << 16];
	int fd, c, one = 1;
	ssize_t n;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) || listen(fd, 1)) {
		perror("connbench: listen");
		return 1;
	}
	do
		c = accept(fd, NULL, NULL);
	while (c < 0 && errno == EINTR);
	if (c < 0) {
		perror("connbench: accept");
		return 1;
	}
	do
		n = read(c, buf, sizeof(buf));
	while (n > 0 || (n < 0 && errno == EINTR));
	if (n < 0)
		perror("connbench: read");
	close(c);
	return n < 0;
}

static int do_stream(const char *addr, int port, long long bytes)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	static char buf[1 << 16];
	long long left = bytes;
	double start;
	ssize_t n;
	int fd;

	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		fprintf(stderr, "connbench: bad address %s\n", addr);
		return 2;
	}
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (const struct sockaddr *)&sin, sizeof(sin))) {
		perror("connbench: connect");
		return 1;
	}
	memset(buf, 'x', sizeof(buf));
	start = now();
	insn_mark();
	while (left > 0) {
		n = write(fd, buf, left < (long long)sizeof(buf) ? left : (long long)sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			perror("connbench: write");
			return 1;
		}
		left -= n;
	}
	shutdown(fd, SHUT_WR);
	do
		n = read(fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	insn_mark();
	start = now() - start;
	close(fd);
	if (n != 0) {
		fprintf(stderr, "connbench: the sink did not close (%zd)\n", n);
		return 1;
	}
	printf("%lld %.3f %.1f\n", bytes, start, start > 0 ? bytes * 8 / start / 1e6 : 0.0);
	return 0;
}

/* One connection to @sin: connect, wait for the server's close, close. */
static int one_conn(const struct sockaddr_in *sin)
{
	char buf[16];
	ssize_t n;
	int fd;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (const struct sockaddr *)sin, sizeof(*sin))) {
		perror("connbench: connect");
		if (fd >= 0)
			close(fd);
		return 1;
	}
	do
		n = read(fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n != 0) {
		fprintf(stderr, "connbench: the server did not close (%zd)\n", n);
		return 1;
	}
	return 0;
}

static int do_connect(const char *addr, int port, long count)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	double start;
	long i;

	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		fprintf(stderr, "connbench: bad address %s\n", addr);
		return 2;
	}
	start = now();
	insn_mark();
	for (i = 0; i < count; i++)
		if (one_conn(&sin))
			return 1;
	insn_mark();
	start = now() - start;
	printf("%ld %.3f %.0f\n", count, start, start > 0 ? count / start : 0.0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "serve"))
		return do_serve(atoi(argv[2]));
	if (argc == 6 && !strcmp(argv[1], "connect") && !strcmp(argv[4], "-n") &&
	    atol(argv[5]) > 0)
		return do_connect(argv[2], atoi(argv[3]), atol(argv[5]));
	if (argc == 3 && !strcmp(argv[1], "sink"))
		return do_sink(atoi(argv[2]));
	if (argc == 6 && !strcmp(argv[1], "stream") && !strcmp(argv[4], "-n") &&
	    atoll(argv[5]) > 0)
		return do_stream(argv[2], atoi(argv[3]), atoll(argv[5]));
	fprintf(stderr, "usage: connbench serve PORT | connbench connect ADDR PORT -n COUNT |\n"
		"       connbench sink PORT | connbench stream ADDR PORT -n BYTES\n");
	return 2;
}
