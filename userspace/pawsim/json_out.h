/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pawsim's JSON documents (the air's, a toy's and a rogue's counters):
 * built with json-c, as pawctl's are, and printed here on one line.
 */
#ifndef PAWSIM_JSON_OUT_H
#define PAWSIM_JSON_OUT_H

#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

/* Adds @v under @key to object @o (a number, as JSON has no width). */
void pawsim_json_u64(struct json_object *o, const char *key, uint64_t v);
/* Prints @doc and a newline to @out, flushes, and frees @doc.  0 or -1. */
int pawsim_json_print(FILE *out, struct json_object *doc);

#endif /* PAWSIM_JSON_OUT_H */
