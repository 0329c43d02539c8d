/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clnetctl masq: the parts tests/test_masq.c checks on their own, without
 * a kernel: the arguments of "masq set" and the request they make.
 */
#ifndef CLNETCTL_MASQ_H
#define CLNETCTL_MASQ_H

#include <libmnl/libmnl.h>
#include <stdbool.h>
#include <linux/clnet.h>

#include "parse.h"

/* What "masq set" asks for; the strings point into argv. */
struct masq_conf {
	const char *devs[CLNET_MASQ_MAX_DEVS];
	unsigned int n_devs;
	struct ipv4_prefix native;
	bool has_native;
	struct ipv4_prefix excludes[CLNET_MASQ_MAX_EXCLUDES];
	unsigned int n_excludes;
	struct in_addr src;	/* network byte order */
	bool has_src;
};

/*
 * The words after "masq set", in any order. EXIT_OK, or EXIT_USAGE after
 * usage_error() said what is wrong; nothing is sent either way.
 */
int masq_parse_set(int argc, char **argv, struct masq_conf *m);

/* Put @m's attributes in a CLNET_CMD_MASQ_SET request. */
void masq_put_conf(struct nlmsghdr *nlh, const struct masq_conf *m);

#endif /* CLNETCTL_MASQ_H */
