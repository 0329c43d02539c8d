/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clnetctl announce: the arguments of its commands, the requests they
 * make, and how durations are shown.
 */
#ifndef CLNETCTL_ANNOUNCE_H
#define CLNETCTL_ANNOUNCE_H

#include <libmnl/libmnl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

/*
 * The word for an entry's state or reason (&enum clnet_announce_state,
 * &enum clnet_announce_reason), as show and monitor print them; NULL for
 * one newer than this CLI.
 */
const char *announce_state_name(uint32_t state);
const char *announce_reason_name(uint32_t reason);

/* The commands of announce, for announce_parse(). */
enum announce_cmd {
	ANN_ADD,
	ANN_RENEW,
	ANN_DEL,
	ANN_SHOW,
	ANN_PODS,
};

/* What an announce command line asks for; the strings point into argv. */
struct announce_conf {
	bool has_addr;
	struct in_addr addr;		/* network byte order */
	const char *dev;		/* NULL if not given */
	bool has_lease, has_garp_count, has_garp_interval, has_refresh;
	uint32_t lease_ms, garp_count, garp_interval_ms, refresh_ms;
	int pods;			/* announce pods: 1 on, 0 off, -1 unset */
};

/*
 * The words after "announce CMD": ADDR first (add, renew, del; show
 * optionally), then the command's KEYWORD VALUE pairs in any order (and,
 * for pods, "on" or "off"). Only the syntax is checked here, durations
 * for a unit and for fitting the ABI's 32 bits; the kernel checks
 * ranges and addresses and says what is wrong. EXIT_OK, or EXIT_USAGE
 * after usage_error() said what is wrong.
 */
int announce_parse(enum announce_cmd cmd, int argc, char **argv,
		   struct announce_conf *a);

/* Put @a's attributes in an ANNOUNCE_ADD/RENEW/DEL/GET or PODS_SET request. */
void announce_put_conf(struct nlmsghdr *nlh, const struct announce_conf *a);

/*
 * A duration in milliseconds as show prints it. @exact (configured
 * values): every unit, as the parser takes it back ("1s500ms", "24h").
 * Otherwise (time left, time since): tenths of a second under a minute
 * ("7.2s", "350ms"), whole seconds above ("1m30s"), "0" for none.
 */
void announce_fmt_ms(uint64_t ms, bool exact, char *buf, size_t len);

#endif /* CLNETCTL_ANNOUNCE_H */
