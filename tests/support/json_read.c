// SPDX-License-Identifier: GPL-2.0
/* JSON documents read with json-c: see json_read.h. */
#include <stdlib.h>
#include <string.h>

#include "json_read.h"

struct json_object *json_read_line(const char *text)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *doc;
	size_t len = strlen(text);

	if (!tok)
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	/* One line: the newline ends it, and nothing follows. */
	if (len < 2 || text[len - 1] != '\n' || memchr(text, '\n', len - 1)) {
		json_tokener_free(tok);
		return NULL;
	}
	doc = json_tokener_parse_ex(tok, text, (int)(len - 1));
	if (doc && (json_tokener_get_error(tok) != json_tokener_success ||
		    json_tokener_get_parse_end(tok) != len - 1)) {
		json_object_put(doc);
		doc = NULL;
	}
	json_tokener_free(tok);
	return doc;
}

/* One step of a path: @name's member, or its element @name as an index. */
static int step(struct json_object *o, const char *name,
		struct json_object **out)
{
	char *end;
	unsigned long i;

	*out = NULL;
	if (json_object_is_type(o, json_type_object))
		return json_object_object_get_ex(o, name, out);
	if (!json_object_is_type(o, json_type_array) || !*name)
		return 0;
	i = strtoul(name, &end, 10);
	if (*end || i >= json_object_array_length(o))
		return 0;
	*out = json_object_array_get_idx(o, i);
	return 1;
}

static int walk(struct json_object *doc, const char *path,
		struct json_object **out)
{
	char name[128];
	const char *dot;
	size_t n;

	*out = doc;
	while (*path) {
		dot = strchr(path, '.');
		n = dot ? (size_t)(dot - path) : strlen(path);
		if (n >= sizeof(name) || !*out)
			return 0;
		memcpy(name, path, n);
		name[n] = '\0';
		if (!step(*out, name, out))
			return 0;
		path += n + (dot ? 1 : 0);
	}
	return 1;
}

struct json_object *json_read_at(struct json_object *doc, const char *path)
{
	struct json_object *o;

	return walk(doc, path, &o) ? o : NULL;
}

int json_read_has(struct json_object *doc, const char *path)
{
	struct json_object *o;

	return walk(doc, path, &o);
}

/* Depth first: @o itself, then its members or elements in order. */
static struct json_object *search(struct json_object *o, const char *key,
				  const char *value)
{
	struct json_object *v, *hit;
	size_t i;

	if (json_object_is_type(o, json_type_object)) {
		if (json_object_object_get_ex(o, key, &v) &&
		    (!value || (json_object_is_type(v, json_type_string) &&
				!strcmp(json_object_get_string(v), value))))
			return o;
		json_object_object_foreach(o, name, member) {
			(void)name;
			hit = search(member, key, value);
			if (hit)
				return hit;
		}
	} else if (json_object_is_type(o, json_type_array)) {
		for (i = 0; i < json_object_array_length(o); i++) {
			hit = search(json_object_array_get_idx(o, i), key,
				     value);
			if (hit)
				return hit;
		}
	}
	return NULL;
}

struct json_object *json_read_find(struct json_object *doc, const char *key,
				   const char *value)
{
	return search(doc, key, value);
}

struct json_object *json_read_member(struct json_object *doc,
				     const char *key)
{
	struct json_object *o = search(doc, key, NULL);

	return o ? json_object_object_get(o, key) : NULL;
}

long long json_number(const char *text, const char *key)
{
	struct json_object *doc, *v;
	const char *end;
	long long n = -1;
	char *line;
	size_t len;

	while (n < 0 && *text) {
		end = strchr(text, '\n');
		len = end ? (size_t)(end - text) + 1 : strlen(text);
		line = strndup(text, len);
		if (!line)
			return -1;
		doc = json_tokener_parse(line);
		free(line);
		v = doc ? json_read_member(doc, key) : NULL;
		if (json_object_is_type(v, json_type_int) &&
		    json_object_get_int64(v) >= 0)
			n = json_object_get_int64(v);
		json_object_put(doc);
		text += len;
	}
	return n;
}

/* Whether object @o has each member of @pattern, equal. */
static int matches(struct json_object *o, struct json_object *pattern)
{
	struct json_object *v;

	json_object_object_foreach(pattern, name, want) {
		if (!json_object_object_get_ex(o, name, &v) ||
		    !json_object_equal(v, want))
			return 0;
	}
	return 1;
}

static int contains(struct json_object *o, struct json_object *pattern)
{
	size_t i;

	if (json_object_is_type(o, json_type_object)) {
		if (matches(o, pattern))
			return 1;
		json_object_object_foreach(o, name, member) {
			(void)name;
			if (contains(member, pattern))
				return 1;
		}
	} else if (json_object_is_type(o, json_type_array)) {
		for (i = 0; i < json_object_array_length(o); i++)
			if (contains(json_object_array_get_idx(o, i), pattern))
				return 1;
	}
	return 0;
}

int json_read_contains(struct json_object *doc, const char *pattern)
{
	struct json_object *p = json_tokener_parse(pattern);
	int found = 0;

	if (json_object_is_type(p, json_type_object))
		found = contains(doc, p);
	json_object_put(p);
	return found;
}

int json_text_contains(const char *text, const char *pattern)
{
	struct json_object *doc = json_read_line(text);
	int found = doc && json_read_contains(doc, pattern);

	json_object_put(doc);
	return found;
}
