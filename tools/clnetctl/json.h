/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal streaming JSON writer for clnetctl -j/-p output.
 */
#ifndef CLNETCTL_JSON_H
#define CLNETCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *out;
	bool pretty;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
};

void json_init(struct json *j, FILE *out, bool pretty);
/* @key is NULL inside arrays and at the top level. */
void json_open(struct json *j, const char *key, char bracket);
void json_close(struct json *j, char bracket);
void json_str(struct json *j, const char *key, const char *val);
void json_u64(struct json *j, const char *key, uint64_t val);
void json_bool(struct json *j, const char *key, bool val);
void json_null(struct json *j, const char *key);
/* Ends the document with a newline. */
void json_end(struct json *j);

#endif /* CLNETCTL_JSON_H */
