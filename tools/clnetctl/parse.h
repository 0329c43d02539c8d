/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure parsers for clnetctl's command line: no I/O, no global state, so
 * that tests/test_parse.c can check them on the host.
 */
#ifndef CLNETCTL_PARSE_H
#define CLNETCTL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

struct ipv4_prefix {
	struct in_addr addr;	/* network byte order */
	uint8_t len;		/* 0..32 */
};

/*
 * "A.B.C.D/LEN", or "A.B.C.D" meaning /32. Dotted quads only (no "10.1",
 * no octal). With @strict, host bits past @len are an error, as a route
 * prefix must not have them.
 */
int parse_ipv4_prefix(const char *s, bool strict, struct ipv4_prefix *p);
int parse_ipv4_addr(const char *s, struct in_addr *a);

/* Unsigned decimal in [min, max]; no sign, no trailing garbage. */
int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);

/*
 * Durations: a sequence of NUMBER UNIT with units ms, s, m, h
 * ("1m30s", "250ms"); a bare number means seconds. Result in milliseconds.
 */
int parse_duration_ms(const char *s, uint64_t *ms);

/* A valid interface name, as the kernel's dev_valid_name() would judge. */
bool valid_ifname(const char *s);

/*
 * Unique-prefix keyword matching, iproute2 style: an exact match wins,
 * otherwise @word must be a prefix of exactly one entry of the
 * NULL-terminated @table. Returns the index, -1 if nothing matches,
 * -2 if the prefix is ambiguous.
 */
#define MATCH_NONE	(-1)
#define MATCH_AMBIGUOUS	(-2)
int match_keyword(const char *word, const char *const *table);

/*
 * Split a batch line into words in place: blanks separate words, '#'
 * starts a comment, double quotes group. Returns the word count, or -1 if
 * there are more than @max words or a quote is not closed.
 */
int split_line(char *line, char **argv, int max);

#endif /* CLNETCTL_PARSE_H */
