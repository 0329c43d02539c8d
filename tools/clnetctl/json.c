// SPDX-License-Identifier: GPL-2.0
/*
 * JSON output: strings are escaped per RFC 8259; nesting is bounded by
 * JSON_MAX_DEPTH, which clnetctl's fixed schemas never approach.
 */
#include <inttypes.h>

#include "json.h"

void json_init(struct json *j, FILE *out, bool pretty)
{
	j->out = out;
	j->pretty = pretty;
	j->depth = 0;
	j->need_comma[0] = false;
}

static void put_escaped(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* Separator, indentation and key before a value. */
static void begin_value(struct json *j, const char *key)
{
	if (j->need_comma[j->depth])
		fputc(',', j->out);
	j->need_comma[j->depth] = true;
	if (j->pretty && j->depth > 0)
		fprintf(j->out, "\n%*s", j->depth * 4, "");
	if (key) {
		put_escaped(j->out, key);
		fputs(j->pretty ? ": " : ":", j->out);
	}
}

void json_open(struct json *j, const char *key, char bracket)
{
	begin_value(j, key);
	fputc(bracket, j->out);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->need_comma[j->depth] = false;
}

void json_close(struct json *j, char bracket)
{
	bool empty = !j->need_comma[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (j->pretty && !empty)
		fprintf(j->out, "\n%*s", j->depth * 4, "");
	fputc(bracket, j->out);
}

void json_str(struct json *j, const char *key, const char *val)
{
	begin_value(j, key);
	put_escaped(j->out, val);
}

void json_u64(struct json *j, const char *key, uint64_t val)
{
	begin_value(j, key);
	fprintf(j->out, "%" PRIu64, val);
}

void json_bool(struct json *j, const char *key, bool val)
{
	begin_value(j, key);
	fputs(val ? "true" : "false", j->out);
}

void json_null(struct json *j, const char *key)
{
	begin_value(j, key);
	fputs("null", j->out);
}

void json_end(struct json *j)
{
	fputc('\n', j->out);
}
