// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side unit tests for clnetctl's parsers and JSON writer. TAP output;
 * exits non-zero if any case fails.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "parse.h"
#include "tap.h"

static void prefix_ok(const char *s, int strict, const char *addr, int len)
{
	struct ipv4_prefix p;
	char buf[INET_ADDRSTRLEN];
	int ret = parse_ipv4_prefix(s, strict, &p);

	inet_ntop(AF_INET, &p.addr, buf, sizeof(buf));
	ok(ret == 0 && !strcmp(buf, addr) && p.len == len,
	   "prefix \"%s\"%s -> %s/%d", s, strict ? " (strict)" : "", addr, len);
}

static void prefix_bad(const char *s, int strict)
{
	struct ipv4_prefix p = { .len = 99 };

	ok(parse_ipv4_prefix(s, strict, &p) == -EINVAL && p.len == 99,
	   "prefix \"%s\"%s rejected, output untouched", s, strict ? " (strict)" : "");
}

static void cidr_ok(const char *s, const char *addr, int len)
{
	struct ipv4_prefix p = { .len = 99 }, meant = { .len = 77 };
	char buf[INET_ADDRSTRLEN];
	int ret = parse_ipv4_cidr(s, &p, &meant);

	inet_ntop(AF_INET, &p.addr, buf, sizeof(buf));
	ok(ret == 0 && !strcmp(buf, addr) && p.len == len && meant.len == 77,
	   "cidr \"%s\" -> %s/%d", s, addr, len);
}

/* Host bits set: -EDOM, the prefix meant, the output untouched. */
static void cidr_host_bits(const char *s, const char *addr, int len)
{
	struct ipv4_prefix p = { .len = 99 }, meant = { .len = 77 };
	char buf[INET_ADDRSTRLEN];
	int ret = parse_ipv4_cidr(s, &p, &meant);

	inet_ntop(AF_INET, &meant.addr, buf, sizeof(buf));
	ok(ret == -EDOM && p.len == 99 && !strcmp(buf, addr) && meant.len == len,
	   "cidr \"%s\": host bits set, meant %s/%d (got %s/%d)", s, addr, len,
	   buf, meant.len);
}

static void cidr_bad(const char *s)
{
	struct ipv4_prefix p = { .len = 99 }, meant = { .len = 77 };

	ok(parse_ipv4_cidr(s, &p, &meant) == -EINVAL && p.len == 99 && meant.len == 77,
	   "cidr \"%s\" is no prefix: EINVAL, outputs untouched", s);
}

static void test_cidrs(void)
{
	struct ipv4_prefix p;

	cidr_ok("10.0.208.0/20", "10.0.208.0", 20);
	cidr_ok("0.0.0.0/0", "0.0.0.0", 0);
	cidr_ok("10.0.192.11/32", "10.0.192.11", 32);
	cidr_ok("10.0.192.11", "10.0.192.11", 32);
	cidr_ok("255.255.255.254/31", "255.255.255.254", 31);
	cidr_ok("128.0.0.0/1", "128.0.0.0", 1);
	cidr_host_bits("10.0.1.1/24", "10.0.1.0", 24);
	cidr_host_bits("10.0.208.1/20", "10.0.208.0", 20);
	cidr_host_bits("10.0.223.255/20", "10.0.208.0", 20);
	cidr_host_bits("1.2.3.4/0", "0.0.0.0", 0);
	cidr_host_bits("255.255.255.255/31", "255.255.255.254", 31);
	cidr_host_bits("129.0.0.0/1", "128.0.0.0", 1);
	cidr_bad("10.0.0.0/33");
	cidr_bad("10.0.0.0/-1");
	cidr_bad("10.0.0.0/");
	cidr_bad("10.0.0.0/020x");
	cidr_bad("10.0.0.0/8/8");
	cidr_bad("10.0.0/8");
	cidr_bad("10.0.0.256/32");
	cidr_bad("eth0");
	cidr_bad("");
	cidr_bad("/24");
	cidr_bad("10.0.0.0 /8");
	ok(parse_ipv4_cidr("10.0.1.1/24", &p, NULL) == -EDOM,
	   "cidr: host bits without asking for the prefix meant");
}

static void duration_ok(const char *s, uint64_t want)
{
	uint64_t ms = 0;
	int ret = parse_duration_ms(s, &ms);

	ok(ret == 0 && ms == want, "duration \"%s\" = %" PRIu64 " ms (got %" PRIu64 ")",
	   s, want, ms);
}

static void duration_bad(const char *s, int err)
{
	uint64_t ms = 7;

	ok(parse_duration_ms(s, &ms) == err && ms == 7,
	   "duration \"%s\" rejected with %s", s,
	   err == -ERANGE ? "ERANGE" : err == -EDOM ? "EDOM" : "EINVAL");
}

static void test_prefixes(void)
{
	prefix_ok("10.0.208.0/20", 1, "10.0.208.0", 20);
	prefix_ok("10.0.192.11", 1, "10.0.192.11", 32);
	prefix_ok("0.0.0.0/0", 1, "0.0.0.0", 0);
	prefix_ok("255.255.255.255/32", 1, "255.255.255.255", 32);
	prefix_ok("10.0.208.1/20", 0, "10.0.208.1", 20);
	prefix_bad("10.0.208.1/20", 1);	/* host bits set */
	prefix_bad("10.0.208.0/33", 0);
	prefix_bad("10.0.208.0/", 0);
	prefix_bad("10.0.208.0/-1", 0);
	prefix_bad("10.0.208.0/2x", 0);
	prefix_bad("10.0.208", 0);
	prefix_bad("10.0.208.256", 0);
	prefix_bad("10.0.208.01", 0);	/* would be octal to inet_aton */
	prefix_bad("10.0.208.0.1", 0);
	prefix_bad("10..208.1", 0);
	prefix_bad("", 0);
	prefix_bad("/8", 0);
	prefix_bad(" 10.0.0.0/8", 0);
	prefix_bad("10.0.0.0/8 ", 0);
	prefix_bad("fe80::1/64", 0);	/* IPv6 is not supported yet */
}

static void test_durations(void)
{
	duration_ok("30s", 30000);
	duration_ok("250ms", 250);
	duration_ok("500ms", 500);
	duration_ok("2m", 120000);
	duration_ok("1h", 3600000);
	duration_ok("24h", 86400000);
	duration_ok("1m30s", 90000);
	duration_ok("1h1m1s1ms", 3661001);
	duration_ok("1s500ms", 1500);
	duration_ok("0s", 0);
	duration_ok("0ms", 0);
	duration_ok("007s", 7000);
	duration_ok("18446744073709551615ms", UINT64_MAX);
	/* A bare number is seconds to some and milliseconds to others. */
	duration_bad("30", -EDOM);
	duration_bad("0", -EDOM);
	duration_bad("1m30", -EDOM);
	duration_bad("", -EINVAL);
	duration_bad("s", -EINVAL);
	duration_bad("ms", -EINVAL);
	duration_bad("10x", -EINVAL);
	duration_bad("10 s", -EINVAL);
	duration_bad(" 10s", -EINVAL);
	duration_bad("10s ", -EINVAL);
	duration_bad("-1s", -EINVAL);
	duration_bad("+1s", -EINVAL);
	duration_bad("1.5s", -EINVAL);
	duration_bad("10sec", -EINVAL);
	duration_bad("10S", -EINVAL);
	duration_bad("10mss", -EINVAL);
	duration_bad("1d", -EINVAL);
	duration_bad("0x10s", -EINVAL);
	duration_bad("1s1m", -EINVAL);	/* units out of order */
	duration_bad("1s1s", -EINVAL);	/* or twice */
	duration_bad("1ms1s", -EINVAL);
	duration_bad("99999999999999999999999ms", -ERANGE);
	duration_bad("18446744073709551616ms", -ERANGE);
	duration_bad("18446744073709551615h", -ERANGE);
	duration_ok("5124095576030h1551615ms", UINT64_MAX);
	duration_bad("5124095576030h1551616ms", -ERANGE);
	duration_bad("5124095576031h", -ERANGE);
}

static void test_u32(void)
{
	uint32_t v = 5;

	ok(parse_u32("1500", 68, 65535, &v) == 0 && v == 1500, "u32 1500 in range");
	ok(parse_u32("67", 68, 65535, &v) == -ERANGE && v == 1500, "u32 below min");
	ok(parse_u32("4294967296", 0, UINT32_MAX, &v) == -ERANGE, "u32 overflow");
	ok(parse_u32("4294967295", 0, UINT32_MAX, &v) == 0 && v == UINT32_MAX, "u32 max");
	ok(parse_u32("+1", 0, 10, &v) == -EINVAL, "u32 sign rejected");
	ok(parse_u32("", 0, 10, &v) == -EINVAL, "u32 empty rejected");
	ok(parse_u32("0x10", 0, 100, &v) == -EINVAL, "u32 hex rejected");
}

static void test_names(void)
{
	ok(valid_ifname("eth0"), "ifname eth0");
	ok(valid_ifname("lxc0123456789ab"), "ifname of 15 chars");
	ok(!valid_ifname("lxc0123456789abc"), "ifname of 16 chars rejected");
	ok(!valid_ifname(""), "empty ifname rejected");
	ok(!valid_ifname("."), "ifname . rejected");
	ok(!valid_ifname(".."), "ifname .. rejected");
	ok(!valid_ifname("a/b"), "ifname with / rejected");
	ok(!valid_ifname("a:b"), "ifname with : rejected");
	ok(!valid_ifname("a b"), "ifname with space rejected");
}

static void test_keywords(void)
{
	static const char *const objs[] = { "link", "route", "fastpath", "masq",
					    "monitor", "help", NULL };

	ok(match_keyword("link", objs) == 0, "keyword exact match");
	ok(match_keyword("l", objs) == 0, "keyword unique prefix 'l'");
	ok(match_keyword("r", objs) == 1, "keyword unique prefix 'r'");
	ok(match_keyword("m", objs) == MATCH_AMBIGUOUS, "keyword 'm' ambiguous");
	ok(match_keyword("ma", objs) == 3, "keyword 'ma' = masq");
	ok(match_keyword("mo", objs) == 4, "keyword 'mo' = monitor");
	ok(match_keyword("links", objs) == MATCH_NONE, "keyword longer than entry");
	ok(match_keyword("", objs) == MATCH_NONE, "empty keyword");
	ok(match_keyword("x", objs) == MATCH_NONE, "unknown keyword");
	{
		static const char *const t[] = { "add", "addroute", NULL };

		ok(match_keyword("add", t) == 0, "exact match beats longer entry");
	}
}

enum color { RED = 7, GREEN = 0, BLUE = 42 };

static void test_keyword_tables(void)
{
	static const struct keyword colors[] = {
		{ "red", RED }, { "green", GREEN }, { "blue", BLUE },
		{ "bluer", 3 }, { NULL },
	};
	static const struct { int before; const char *name; double after; } wide[] = {
		{ 1, "show", 0.5 }, { 2, "set", 1.5 }, { 3, "status", 2.5 }, { 0, NULL, 0 },
	};

	ok(keyword_id("red", colors) == RED, "keyword_id: exact match gives the id");
	ok(keyword_id("g", colors) == GREEN, "keyword_id: prefix, id 0");
	ok(keyword_id("blue", colors) == BLUE, "keyword_id: exact beats a longer entry");
	ok(keyword_id("b", colors) == MATCH_AMBIGUOUS, "keyword_id: ambiguous prefix");
	ok(keyword_id("x", colors) == MATCH_NONE, "keyword_id: unknown word");
	ok(keyword_id("", colors) == MATCH_NONE, "keyword_id: empty word");
	ok(!strcmp(keyword_name(colors, BLUE), "blue"), "keyword_name: id to name");
	ok(keyword_name(colors, 5) == NULL, "keyword_name: unknown id");
	ok(MATCH_NAME("sh", wide) == 0, "MATCH_NAME over a struct table, name not first");
	ok(MATCH_NAME("st", wide) == 2, "MATCH_NAME: the third entry");
	ok(MATCH_NAME("s", wide) == MATCH_AMBIGUOUS, "MATCH_NAME: ambiguous");
	ok(MATCH_NAME("stop", wide) == MATCH_NONE, "MATCH_NAME: no entry");
	ok(keyword_is("tab", "table") && keyword_is("table", "table"),
	   "keyword_is: prefix and whole word");
	ok(!keyword_is("", "table") && !keyword_is("tables", "table") &&
	   !keyword_is("x", "table"), "keyword_is: empty, longer, other");
}

static void test_split(void)
{
	char l1[] = "  addroute 10.0.209.0/24  via 10.0.192.21 # comment\n";
	char l2[] = "link add \"a b\" peer x";
	char l3[] = "bad \"quote";
	char l4[] = "   # only a comment";
	char l5[] = "a b c d";
	char *argv[8];
	int n;

	n = split_line(l1, argv, 8);
	ok(n == 4 && !strcmp(argv[0], "addroute") && !strcmp(argv[3], "10.0.192.21"),
	   "split: words, blanks and comment");
	n = split_line(l2, argv, 8);
	ok(n == 5 && !strcmp(argv[2], "a b") && !strcmp(argv[4], "x"),
	   "split: double quotes group");
	ok(split_line(l3, argv, 8) == -1, "split: unclosed quote rejected");
	ok(split_line(l4, argv, 8) == 0, "split: comment-only line is empty");
	ok(split_line(l5, argv, 3) == -1, "split: too many words rejected");
}

static void test_json(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	json_init(&j, f, false);
	json_open(&j, NULL, '{');
	json_str(&j, "name", "a\"b\\c\n");
	json_u64(&j, "n", 18446744073709551615ULL);
	json_open(&j, "list", '[');
	json_str(&j, NULL, "x");
	json_bool(&j, NULL, true);
	json_close(&j, ']');
	json_open(&j, "empty", '[');
	json_close(&j, ']');
	json_null(&j, "none");
	json_open(&j, "nulls", '[');
	json_null(&j, NULL);
	json_close(&j, ']');
	json_close(&j, '}');
	fclose(f);
	ok(!strcmp(buf, "{\"name\":\"a\\\"b\\\\c\\n\",\"n\":18446744073709551615,"
			"\"list\":[\"x\",true],\"empty\":[],\"none\":null,"
			"\"nulls\":[null]}"),
	   "json: escaping, nesting, commas (%s)", buf);
	free(buf);
}

int main(void)
{
	tap_begin();
	test_prefixes();
	test_cidrs();
	test_durations();
	test_u32();
	test_names();
	test_keywords();
	test_keyword_tables();
	test_split();
	test_json();
	return tap_end();
}
