// SPDX-License-Identifier: GPL-2.0
/*
 * clnetctl: configure the clnet kernel module over generic netlink.
 *
 *   clnetctl [OPTIONS] OBJECT COMMAND ...
 *
 * Conventions follow iproute2: unique-prefix abbreviations for objects,
 * commands and keywords, "help" at every level, exit status 0 (ok),
 * 1 (the kernel said no) or 2 (usage), kernel extack text shown verbatim.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clnetctl.h"
#include "parse.h"

static int cmd_help(struct ctx *c, int argc, char **argv);

static const struct object objects[] = {
	{ .name = "link", .run = cmd_link, .cmds = link_cmds,
	  .summary = "clnet device pairs: add, set, del, show" },
	{ .name = "route", .run = cmd_route, .cmds = route_cmds,
	  .summary = "clnet's routes: add, replace, del, show, flush, get" },
	{ .name = "addroute", .run = cmd_addroute, .pipelined = true,
	  .summary = "same as route add" },
	{ .name = "fastpath", .run = cmd_fastpath,
	  .summary = "host-routing fast path: on, off, show" },
	{ .name = "delroute", .run = cmd_delroute, .pipelined = true,
	  .summary = "same as route del" },
	{ .name = "masq", .run = cmd_masq, .cmds = masq_cmds,
	  .summary = "masquerade of pod traffic leaving the node: set, off, show" },
	{ .name = "announce", .run = cmd_announce, .cmds = announce_cmds,
	  .summary = "ARP announcements: add, renew, del, show, pods" },
	{ .name = "monitor", .run = cmd_monitor,
	  .summary = "print the module's events (announcements, pairs) as they happen" },
	{ .name = "version", .run = cmd_version,
	  .summary = "show clnetctl's and the module's version" },
	{ .name = "help", .run = cmd_help, .summary = "show this help" },
	{ NULL },
};
#define N_OBJECTS (sizeof(objects) / sizeof(objects[0]) - 1)

int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("clnetctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("; try \"clnetctl help\"\n", stderr);
	return EXIT_USAGE;
}

void json_list_begin(struct ctx *c, struct json *j)
{
	if (!c->json)
		return;
	json_init(j, stdout, c->pretty);
	json_open(j, NULL, '[');
}

void json_list_end(struct ctx *c, struct json *j)
{
	if (!c->json)
		return;
	json_close(j, ']');
	json_end(j);
}

bool is_help(const char *arg)
{
	return !strcmp(arg, "help") || !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

int ctx_nl(struct ctx *c)
{
	if (c->nl_open)
		return EXIT_OK;
	if (clnet_nl_open(&c->nl))
		return EXIT_FAIL;
	c->nl_open = true;
	return EXIT_OK;
}

int ctx_rtnl(struct ctx *c)
{
	if (c->rtnl_open)
		return EXIT_OK;
	if (nl_open(&c->rtnl, NETLINK_ROUTE))
		return EXIT_FAIL;
	c->rtnl_open = true;
	return EXIT_OK;
}

static void submit_done(uint32_t seq, int err, void *data)
{
	struct ctx *c = data;
	unsigned int i = seq % PIPELINE_WINDOW;

	if (!err)
		return;
	c->failed++;
	if (c->pending[i].seq == seq)
		fprintf(stderr, "clnetctl: command failed %s:%lu\n",
			c->batch_name, c->pending[i].line);
}

int ctx_submit_on(struct ctx *c, struct nl_sock *s, struct nlmsghdr *nlh)
{
	/*
	 * Sequence numbers are consecutive and at most PIPELINE_WINDOW are
	 * in flight: they index the window. Each socket counts its own, so
	 * that only one socket has requests in flight at a time.
	 */
	unsigned int i = nlh->nlmsg_seq % PIPELINE_WINDOW;

	if (c->in_flight && c->pipe_sock != s && ctx_drain(c, 0))
		return EXIT_FAIL;
	c->pipe_sock = s;
	if (nl_send_pipelined(s, nlh, &c->in_flight, submit_done, c))
		return EXIT_FAIL;
	c->pending[i].seq = nlh->nlmsg_seq;
	c->pending[i].line = c->lineno;
	return EXIT_OK;
}

int ctx_submit(struct ctx *c, struct nlmsghdr *nlh)
{
	return ctx_submit_on(c, &c->rtnl, nlh);
}

int ctx_drain(struct ctx *c, unsigned int until)
{
	if (!c->in_flight)
		return EXIT_OK;
	return nl_collect(c->pipe_sock, &c->in_flight, until, submit_done, c) ?
	       EXIT_FAIL : EXIT_OK;
}

static void print_usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: clnetctl [OPTIONS] OBJECT { COMMAND | help }\n"
		"       clnetctl [OPTIONS] -b FILE    (FILE \"-\" is standard input)\n"
		"OPTIONS := { -j[son] | -p[retty] | -n[etns] NETNS | -f[orce] | -V[ersion] | -h[elp] }\n"
		"OBJECT  :=");
	for (i = 0; i < N_OBJECTS; i++)
		fprintf(f, " %s%s", objects[i].name, i + 1 < N_OBJECTS ? " |" : "\n");
	fprintf(f, "\n");
	for (i = 0; i < N_OBJECTS; i++)
		fprintf(f, "  %-10s %s\n", objects[i].name, objects[i].summary);
}

static int cmd_help(struct ctx *c, int argc, char **argv)
{
	(void)c;
	(void)argc;
	(void)argv;
	print_usage(stdout);
	return EXIT_OK;
}

int find_subcommand(const struct subcommand *cmds, const char *word)
{
	static const struct { const char *alias, *name; } aliases[] = {
		{ "delete", "del" }, { "list", "show" }, { "ls", "show" },
	};
	size_t i;

	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(word, aliases[i].alias))
			word = aliases[i].name;
	return MATCH_NAME(word, cmds);
}

int run_subcommand(struct ctx *c, const char *object,
		   const struct subcommand *cmds, void (*usage)(FILE *f),
		   int argc, char **argv)
{
	const char *word = argc ? argv[0] : "show";
	int k;

	if (argc && is_help(word)) {
		usage(stdout);
		return EXIT_OK;
	}
	k = find_subcommand(cmds, word);
	if (k == MATCH_AMBIGUOUS)
		return usage_error("%s: command \"%s\" is ambiguous", object, word);
	if (k < 0)
		return usage_error("%s: command \"%s\" is unknown", object, word);
	return cmds[k].run(c, argc ? argc - 1 : 0, argv + (argc ? 1 : 0));
}

/* The object @word names (unique prefix), or MATCH_NONE/MATCH_AMBIGUOUS. */
static int find_object(const char *word)
{
	return MATCH_NAME(word, objects);
}

/* May this command line be pipelined (is it a route change)? */
static bool is_pipelined(int argc, char **argv)
{
	const struct object *o;
	int k = find_object(argv[0]);

	if (k < 0)
		return false;
	o = &objects[k];
	if (o->pipelined)
		return true;
	if (!o->cmds || argc < 2)
		return false;
	k = find_subcommand(o->cmds, argv[1]);
	return k >= 0 && o->cmds[k].pipelined;
}

/* Run one command line (without global options). */
static int dispatch(struct ctx *c, int argc, char **argv)
{
	int idx;

	if (argc == 0)
		return usage_error("no object given");
	if (is_help(argv[0]))
		return cmd_help(c, argc - 1, argv + 1);
	idx = find_object(argv[0]);
	if (idx == MATCH_AMBIGUOUS)
		return usage_error("object \"%s\" is ambiguous", argv[0]);
	if (idx < 0)
		return usage_error("object \"%s\" is unknown", argv[0]);
	return objects[idx].run(c, argc - 1, argv + 1);
}

static int run_batch(struct ctx *c, const char *path, bool force)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *line = NULL, *argv[256];
	size_t cap = 0;
	int argc, ret, worst = EXIT_OK;

	if (!f) {
		fprintf(stderr, "clnetctl: cannot open batch file \"%s\": %s\n",
			path, strerror(errno));
		return EXIT_FAIL;
	}
	c->pipeline = true;
	c->batch_name = path;
	while ((force || !c->failed) && getline(&line, &cap, f) > 0) {
		c->lineno++;
		argc = split_line(line, argv, (int)(sizeof(argv) / sizeof(argv[0])));
		if (argc == 0)
			continue;
		/* Others wait for the pipeline, and for its verdict. */
		if (argc > 0 && !is_pipelined(argc, argv)) {
			if (ctx_drain(c, 0))
				break;
			if (c->failed && !force)
				break;
		}
		ret = argc < 0 ? usage_error("unbalanced quotes or too many words")
			       : dispatch(c, argc, argv);
		if (ret == EXIT_OK)
			continue;
		fprintf(stderr, "clnetctl: command failed %s:%lu\n", path, c->lineno);
		c->failed++;
	}
	if (ctx_drain(c, 0))
		worst = EXIT_FAIL;
	if (c->failed)
		worst = EXIT_FAIL;
	free(line);
	if (f != stdin)
		fclose(f);
	return worst;
}

/* -n NETNS: a name under /run/netns, or a path to a netns file. */
static int enter_netns(const char *name)
{
	char path[4096];
	int fd;

	if (strlen(name) > 255)
		return usage_error("netns name \"%.32s...\" is too long", name);
	snprintf(path, sizeof(path), "%s%s",
		 strchr(name, '/') ? "" : "/run/netns/", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "clnetctl: cannot open network namespace \"%s\": %s\n",
			name, strerror(errno));
		return EXIT_FAIL;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		fprintf(stderr, "clnetctl: cannot enter network namespace \"%s\": %s\n",
			name, strerror(errno));
		close(fd);
		return EXIT_FAIL;
	}
	close(fd);
	return EXIT_OK;
}

/* Does @arg spell the option -NAME / --NAME, abbreviated to >= 1 letter? */
static bool is_opt(const char *arg, const char *name)
{
	size_t len;

	if (arg[0] != '-')
		return false;
	arg += arg[1] == '-' ? 2 : 1;
	len = strlen(arg);
	return len && !strncmp(arg, name, len);
}

int main(int argc, char **argv)
{
	struct ctx c = { 0 };
	const char *batch = NULL;
	bool force = false;
	int ret;

	for (argc--, argv++; argc > 0 && argv[0][0] == '-'; argc--, argv++) {
		const char *opt = argv[0];

		if (!strcmp(opt, "--")) {
			argc--, argv++;
			break;
		} else if (is_opt(opt, "json")) {
			c.json = true;
		} else if (is_opt(opt, "pretty")) {
			c.pretty = true;
		} else if (is_opt(opt, "force")) {
			force = true;
		} else if (is_opt(opt, "Version")) {
			printf("clnetctl %s\n", CLNET_VERSION);
			return EXIT_OK;
		} else if (is_opt(opt, "help")) {
			print_usage(stdout);
			return EXIT_OK;
		} else if (is_opt(opt, "netns") || is_opt(opt, "batch")) {
			if (argc < 2)
				return usage_error("option \"%s\" needs an argument", opt);
			if (is_opt(opt, "netns")) {
				ret = enter_netns(argv[1]);
				if (ret)
					return ret;
			} else {
				batch = argv[1];
			}
			argc--, argv++;
		} else {
			return usage_error("option \"%s\" is unknown", opt);
		}
	}
	/* -p alone implies JSON, as in iproute2's -j -p pairing. */
	if (c.pretty)
		c.json = true;

	if (batch) {
		if (argc > 0)
			return usage_error("-b takes no command on the command line");
		ret = run_batch(&c, batch, force);
	} else if (argc == 0) {
		print_usage(stderr);
		ret = EXIT_USAGE;
	} else {
		ret = dispatch(&c, argc, argv);
	}
	if (c.nl_open)
		clnet_nl_close(&c.nl);
	if (c.rtnl_open)
		nl_close(&c.rtnl);
	return ret;
}
