/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every clnetctl object handler gets: the global options and a lazily
 * opened netlink socket.
 */
#ifndef CLNETCTL_H
#define CLNETCTL_H

#include <stdbool.h>
#include <stdio.h>

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
	struct nl_sock rtnl;
	bool rtnl_open;
	/* CLNET_FEATURE_* bits the module was found to have (ctx_need_feature) */
	uint64_t features_seen;

	/*
	 * Batch mode: pipelined requests and the lines they came from, all on
	 * one socket at a time (rtnl for routes, nl.s for announcements).
	 */
	bool pipeline;
	const char *batch_name;
	unsigned long lineno;
	unsigned int in_flight;
	struct nl_sock *pipe_sock;
	struct { uint32_t seq; unsigned long line; } pending[PIPELINE_WINDOW];
	unsigned int failed;
};

/* Open the clnet family / rtnetlink on first use; 0 or EXIT_FAIL. */
int ctx_nl(struct ctx *c);
int ctx_rtnl(struct ctx *c);

/*
 * Open the clnet family and check that the module implements @feature (a
 * CLNET_FEATURE_* bit), asking it once per run. EXIT_OK, or EXIT_FAIL
 * after saying that the loaded module, by version, lacks @what.
 */
int ctx_need_feature(struct ctx *c, int feature, const char *what);

/*
 * Batch mode: send @nlh (built on c->rtnl) without waiting; its failure is
 * reported later with the current line number. Returns EXIT_OK or
 * EXIT_FAIL if the socket failed.
 */
int ctx_submit(struct ctx *c, struct nlmsghdr *nlh);
/*
 * The same for @nlh built on socket @s (&c->nl.s for the clnet family);
 * what is in flight on another socket is waited for first.
 */
int ctx_submit_on(struct ctx *c, struct nl_sock *s, struct nlmsghdr *nlh);
/* Wait for the pipelined requests until at most @until remain. */
int ctx_drain(struct ctx *c, unsigned int until);

/*
 * Listings print one JSON array with -j: open it before the request's
 * callbacks print their objects, close it after.
 */
void json_list_begin(struct ctx *c, struct json *j);
void json_list_end(struct ctx *c, struct json *j);

/* Usage error: print "clnetctl: <msg>" and a hint; returns EXIT_USAGE. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* True if @arg asks for help ("help", "-h", "--help"). */
bool is_help(const char *arg);

/* A COMMAND of an OBJECT ("link add"); tables end with a NULL name. */
struct subcommand {
	const char *name;
	int (*run)(struct ctx *c, int argc, char **argv);
	/* In batch mode it is sent without waiting for its answer. */
	bool pipelined;
};

struct object {
	const char *name;
	int (*run)(struct ctx *c, int argc, char **argv);
	const char *summary;
	const struct subcommand *cmds;	/* its COMMANDs, if it has any */
	bool pipelined;			/* as subcommand, for the whole object */
};

/*
 * The index in @cmds of the COMMAND @word names: unique prefixes,
 * "delete" for "del" and "list"/"ls" for "show". MATCH_NONE or
 * MATCH_AMBIGUOUS if it names none.
 */
int find_subcommand(const struct subcommand *cmds, const char *word);

/*
 * Run the COMMAND of @object named by argv[0] (find_subcommand()),
 * "help" printing @usage; no COMMAND at all runs "show".
 */
int run_subcommand(struct ctx *c, const char *object,
		   const struct subcommand *cmds, void (*usage)(FILE *f),
		   int argc, char **argv);

extern const struct subcommand link_cmds[], route_cmds[], masq_cmds[], announce_cmds[];

int cmd_version(struct ctx *c, int argc, char **argv);
int cmd_link(struct ctx *c, int argc, char **argv);
int cmd_route(struct ctx *c, int argc, char **argv);
int cmd_fastpath(struct ctx *c, int argc, char **argv);
int cmd_masq(struct ctx *c, int argc, char **argv);
int cmd_announce(struct ctx *c, int argc, char **argv);
int cmd_monitor(struct ctx *c, int argc, char **argv);
int cmd_addroute(struct ctx *c, int argc, char **argv);
int cmd_delroute(struct ctx *c, int argc, char **argv);

#endif /* CLNETCTL_H */
