/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every clnetctl object handler gets: the global options and a lazily
 * opened netlink socket.
 */
#ifndef CLNETCTL_H
#define CLNETCTL_H

#include <stdbool.h>

#include "genl.h"
#include "json.h"

/* Exit statuses, as iproute2: ok, the kernel (or the system) said no, usage. */
#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

struct ctx {
	bool json;
	bool pretty;
	struct clnet_nl nl;
	bool nl_open;
};

/* Open the clnet family on first use; 0 or EXIT_FAIL (already reported). */
int ctx_nl(struct ctx *c);

/* Usage error: print "clnetctl: <msg>" and a hint; returns EXIT_USAGE. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* True if @arg asks for help ("help", "-h", "--help"). */
bool is_help(const char *arg);

struct object {
	const char *name;
	int (*run)(struct ctx *c, int argc, char **argv);
	const char *summary;
};

int cmd_version(struct ctx *c, int argc, char **argv);
int cmd_link(struct ctx *c, int argc, char **argv);

#endif /* CLNETCTL_H */
