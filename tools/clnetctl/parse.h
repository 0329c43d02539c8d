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

/*
 * A CIDR as masquerade's native-cidr and exclude take it: "A.B.C.D/LEN"
 * or "A.B.C.D" (/32) without host bits. Returns 0, -EINVAL if @s is no
 * prefix at all, or -EDOM if host bits are set; then *@meant (if not
 * NULL) is the prefix with them cleared, the one @s probably meant.
 */
int parse_ipv4_cidr(const char *s, struct ipv4_prefix *p, struct ipv4_prefix *meant);

/* Unsigned decimal in [min, max]; no sign, no trailing garbage. */
int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);

/*
 * Durations: one or more NUMBER UNIT, units h, m, s, ms in that order,
 * each at most once ("250ms", "10s", "1m30s"). Result in milliseconds.
 * -EDOM for a number without a unit ("10": seconds or milliseconds?),
 * -ERANGE if it does not fit 64 bits, -EINVAL for anything else.
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
 * The same over a table of structs that have a "name" member and end with
 * a NULL name: match_name() steps through @names, the first entry's name,
 * @stride bytes at a time. MATCH_NAME(word, table) says that for any such
 * table, so that commands and keywords are looked up in the tables that
 * also say what they do.
 */
int match_name(const char *word, const char *const *names, size_t stride);
#define MATCH_NAME(word, table) \
	match_name((word), &(table)[0].name, sizeof((table)[0]))

/* Is @word @keyword, or a non-empty prefix of it? */
bool keyword_is(const char *word, const char *keyword);

/*
 * A keyword that stands for a number (an enum value of the ABI, one of
 * the command's own choices). Tables end with a NULL name.
 */
struct keyword {
	const char *name;
	int id;
};

/*
 * The id of the entry of @table that @word names (unique prefix, as
 * match_keyword()), or MATCH_NONE/MATCH_AMBIGUOUS; ids are >= 0.
 */
int keyword_id(const char *word, const struct keyword *table);

/* The name of @id in @table, or NULL if it has none. */
const char *keyword_name(const struct keyword *table, int id);

/*
 * Split a batch line into words in place: blanks separate words, '#'
 * starts a comment, double quotes group. Returns the word count, or -1 if
 * there are more than @max words or a quote is not closed.
 */
int split_line(char *line, char **argv, int max);

#endif /* CLNETCTL_PARSE_H */
