// SPDX-License-Identifier: GPL-2.0
/*
 * clnetctl parsers. All return 0 or a negative errno (-EINVAL, -ERANGE,
 * -EDOM) and leave their output untouched on error.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long long v = 0;
	const char *c;

	if (!s || !*s)
		return -EINVAL;
	for (c = s; *c; c++) {
		if (!isdigit((unsigned char)*c))
			return -EINVAL;
		v = v * 10 + (unsigned int)(*c - '0');
		if (v > UINT32_MAX)
			return -ERANGE;
	}
	if (v < min || v > max)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

int parse_ipv4_addr(const char *s, struct in_addr *a)
{
	uint32_t octet, addr = 0;
	char buf[4];
	int i, n;

	for (i = 0; i < 4; i++) {
		for (n = 0; isdigit((unsigned char)s[n]); n++)
			if (n == 3)
				return -EINVAL;
		if (n == 0 || (n > 1 && s[0] == '0'))
			return -EINVAL;	/* empty or leading zero (octal?) */
		memcpy(buf, s, n);
		buf[n] = '\0';
		if (parse_u32(buf, 0, 255, &octet))
			return -EINVAL;
		addr = addr << 8 | octet;
		s += n;
		if (i < 3 && *s++ != '.')
			return -EINVAL;
	}
	if (*s)
		return -EINVAL;
	a->s_addr = htonl(addr);
	return 0;
}

int parse_ipv4_prefix(const char *s, bool strict, struct ipv4_prefix *p)
{
	char buf[INET_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	struct in_addr a;
	uint32_t len = 32, mask;
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);

	if (alen >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (parse_ipv4_addr(buf, &a))
		return -EINVAL;
	if (slash && parse_u32(slash + 1, 0, 32, &len))
		return -EINVAL;
	mask = len ? htonl(~0U << (32 - len)) : 0;
	if (strict && (a.s_addr & ~mask))
		return -EINVAL;
	p->addr = a;
	p->len = (uint8_t)len;
	return 0;
}

int parse_ipv4_cidr(const char *s, struct ipv4_prefix *p, struct ipv4_prefix *meant)
{
	struct ipv4_prefix q;
	uint32_t mask;

	if (parse_ipv4_prefix(s, false, &q))
		return -EINVAL;
	mask = q.len ? htonl(~0U << (32 - q.len)) : 0;
	if (q.addr.s_addr & ~mask) {
		if (meant) {
			meant->addr.s_addr = q.addr.s_addr & mask;
			meant->len = q.len;
		}
		return -EDOM;
	}
	*p = q;
	return 0;
}

int parse_duration_ms(const char *s, uint64_t *ms)
{
	/* Longest first where one unit starts another ("ms" before "m"). */
	static const struct { const char *name; uint64_t ms; int rank; } units[] = {
		{ "h", 3600000, 0 }, { "ms", 1, 3 }, { "m", 60000, 1 }, { "s", 1000, 2 },
	};
	uint64_t total = 0, v;
	const char *c = s;
	int last = -1;
	size_t i, l;

	if (!*c)
		return -EINVAL;
	while (*c) {
		if (!isdigit((unsigned char)*c))
			return -EINVAL;
		for (v = 0; isdigit((unsigned char)*c); c++) {
			uint64_t d = (uint64_t)(*c - '0');

			if (v > (UINT64_MAX - d) / 10)
				return -ERANGE;
			v = v * 10 + d;
		}
		if (!*c)
			return -EDOM;	/* a number without its unit */
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			l = strlen(units[i].name);
			if (!strncmp(c, units[i].name, l) && !isalpha((unsigned char)c[l]))
				break;
		}
		/* Unknown units, and units out of order ("1s1m", "1s1s"). */
		if (i == sizeof(units) / sizeof(units[0]) || units[i].rank <= last)
			return -EINVAL;
		last = units[i].rank;
		c += l;
		if (v > (UINT64_MAX - total) / units[i].ms)
			return -ERANGE;
		total += v * units[i].ms;
	}
	*ms = total;
	return 0;
}

bool valid_ifname(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len >= 16 /* IFNAMSIZ */)
		return false;
	if (!strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || isspace((unsigned char)*s))
			return false;
	return true;
}

int match_name(const char *word, const char *const *names, size_t stride)
{
	size_t len = strlen(word);
	const char *const *name = names;
	int i, found = MATCH_NONE;

	if (!len)
		return MATCH_NONE;
	for (i = 0; *name; i++) {
		if (!strcmp(word, *name))
			return i;
		if (!strncmp(word, *name, len))
			found = found == MATCH_NONE ? i : MATCH_AMBIGUOUS;
		name = (const char *const *)((const char *)name + stride);
	}
	return found;
}

int match_keyword(const char *word, const char *const *table)
{
	return match_name(word, table, sizeof(*table));
}

bool keyword_is(const char *word, const char *keyword)
{
	size_t len = strlen(word);

	return len && !strncmp(word, keyword, len);
}

int keyword_id(const char *word, const struct keyword *table)
{
	int k = MATCH_NAME(word, table);

	return k < 0 ? k : table[k].id;
}

const char *keyword_name(const struct keyword *table, int id)
{
	for (; table->name; table++)
		if (table->id == id)
			return table->name;
	return NULL;
}

int split_line(char *line, char **argv, int max)
{
	char *r = line, *w = line;
	int argc = 0;

	for (;;) {
		while (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r')
			r++;
		if (!*r || *r == '#')
			return argc;
		if (argc == max)
			return -1;
		argv[argc++] = w;
		while (*r && *r != ' ' && *r != '\t' && *r != '\n' && *r != '\r') {
			if (*r == '"') {
				for (r++; *r && *r != '"'; )
					*w++ = *r++;
				if (*r++ != '"')
					return -1;
				continue;
			}
			*w++ = *r++;
		}
		if (*r)
			r++;
		*w++ = '\0';
	}
}
