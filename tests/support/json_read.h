/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the JSON documents pawctl --json and pawsim --json print, with
 * json-c: parsed, then picked apart by member and index, never searched
 * as text.  Nothing here asserts; the caller does.
 */
#ifndef PAWLINK_TEST_JSON_READ_H
#define PAWLINK_TEST_JSON_READ_H

#include <json-c/json.h>

/*
 * @text parsed, if it is exactly one JSON document on one line (ended by
 * one newline): what pawctl --json promises.  NULL otherwise.  Release
 * it with json_object_put().
 */
struct json_object *json_read_line(const char *text);

/*
 * The value at @path in @doc: member names and array indexes separated
 * by dots ("toy.id", "events.0.event").  NULL where there is none (a
 * JSON null is NULL too: tell them apart with json_read_has()).
 */
struct json_object *json_read_at(struct json_object *doc, const char *path);

/* Whether @path names a member or element, null or not. */
int json_read_has(struct json_object *doc, const char *path);

/*
 * The first object, depth first, with a member @key whose value is the
 * string @value (a log event by name, a message by id); NULL if none.
 */
struct json_object *json_read_find(struct json_object *doc, const char *key,
				   const char *value);

/*
 * Whether @doc, or an object anywhere in it, has every member of the JSON
 * object @pattern with an equal value (say {"event":"mic-start",
 * "event_id":12}); 0 too when @pattern is not a JSON object.
 */
int json_read_contains(struct json_object *doc, const char *pattern);

/*
 * json_read_contains() on @text, which must be one document on one line
 * (json_read_line()); 0 when it is not.
 */
int json_text_contains(const char *text, const char *pattern);

/* The value of the first member called @key, depth first; NULL if none. */
struct json_object *json_read_member(struct json_object *doc,
				     const char *key);

/*
 * @text's lines parsed one by one (pawsim prints a document a line): the
 * first member @key, depth first, that is a whole number >= 0; -1 if
 * none is.
 */
long long json_number(const char *text, const char *key);

#endif
