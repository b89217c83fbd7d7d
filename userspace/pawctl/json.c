// SPDX-License-Identifier: GPL-2.0
/*
 * The --json document, built as a tree with json-c (Debian's libjson-c)
 * and printed once, on one line, when the command is done: json-c does
 * the escaping and the syntax, as it does for pawsim's counters.
 *
 * json-c writes a string's bytes as they are, so text that is not UTF-8
 * (a toy's name is the user's bytes) is made so here first: each byte
 * that does not start a well-formed sequence becomes U+FFFD.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "pawctl.h"

/* Length of the well-formed UTF-8 sequence at @s, or 0. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* No overlong forms, surrogates or code points past U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/* @str with every byte that is not well-formed UTF-8 replaced; free() it. */
static char *valid_utf8(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	/* U+FFFD is 3 bytes: at most three times as long. */
	char *out = malloc(3 * strlen(str) + 1), *o = out;
	size_t n;

	if (!out)
		return NULL;
	while (*s) {
		n = utf8_len(s);
		if (n == 0) {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			s++;
			continue;
		}
		memcpy(o, s, n);
		o += n;
		s += n;
	}
	*o = '\0';
	return out;
}

int pawctl_json_begin(struct pawctl_json *j)
{
	memset(j, 0, sizeof(*j));
	j->stack[0] = json_object_new_object();
	if (!j->stack[0])
		return -1;
	j->on = true;
	return 0;
}

void pawctl_json_end(struct pawctl_json *j)
{
	if (j->on)
		json_object_put(j->stack[0]);
	memset(j, 0, sizeof(*j));
}

/* Adds @v (NULL: null) under @key, or to the array open now; takes @v. */
static void add(struct pawctl_json *j, const char *key, json_object *v)
{
	json_object *top;
	char *k;

	if (!j->on) {
		json_object_put(v);
		return;
	}
	top = j->stack[j->depth];
	if (json_object_is_type(top, json_type_array)) {
		if (json_object_array_add(top, v))
			json_object_put(v);
		return;
	}
	k = valid_utf8(key ? key : "");
	if (!k || json_object_object_add(top, k, v))
		json_object_put(v);
	free(k);
}

void pawctl_json_open(struct pawctl_json *j, const char *key, char bracket)
{
	json_object *v;

	if (!j->on || j->depth + 1 >= PAWCTL_JSON_DEPTH)
		return;
	v = bracket == '[' ? json_object_new_array() : json_object_new_object();
	add(j, key, v);
	/* Borrowed: its parent holds it (out of memory: fields go there). */
	j->depth++;
	j->stack[j->depth] = v ? v : j->stack[j->depth - 1];
}

void pawctl_json_close(struct pawctl_json *j, char bracket)
{
	(void)bracket;
	if (j->on && j->depth > 0)
		j->depth--;
}

void pawctl_json_str(struct pawctl_json *j, const char *key, const char *s)
{
	char *valid;

	if (!j->on)
		return;
	if (!s) {
		add(j, key, NULL);
		return;
	}
	valid = valid_utf8(s);
	add(j, key, valid ? json_object_new_string(valid) : NULL);
	free(valid);
}

void pawctl_json_u64(struct pawctl_json *j, const char *key, uint64_t v)
{
	if (j->on)
		add(j, key, json_object_new_uint64(v));
}

void pawctl_json_bool(struct pawctl_json *j, const char *key, bool v)
{
	if (j->on)
		add(j, key, json_object_new_boolean(v));
}

void pawctl_json_hex(struct pawctl_json *j, const char *key,
		     const uint8_t *bin, size_t len)
{
	char hex[2 * PAWLINK_MSG_SHA256_LEN + 1];

	if (!j->on || len > PAWLINK_MSG_SHA256_LEN)
		return;
	pawlink_to_hex(hex, bin, len);
	pawctl_json_str(j, key, hex);
}

void pawctl_json_merge(struct pawctl_json *into, const struct pawctl_json *from)
{
	if (!into->on || !from->on)
		return;
	json_object_object_foreach(from->stack[0], key, val)
		add(into, key, json_object_get(val));
}

int pawctl_json_print(const struct pawctl_json *j, FILE *f)
{
	const char *text;

	if (!j->on)
		return 0;
	text = json_object_to_json_string_ext(j->stack[0],
					      JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	return text && fprintf(f, "%s\n", text) > 0 ? 0 : -1;
}

void pawctl_json_msg(struct pawctl *c, const char *key,
		     const struct pawlink_msg_info *m)
{
	uint8_t host[PAWLINK_ID_LEN];

	if (!c->j.on)
		return;
	pawlink_host_id(c->p, host);
	pawctl_json_open(&c->j, key, '{');
	pawctl_json_hex(&c->j, "id", m->id, sizeof(m->id));
	pawctl_json_hex(&c->j, "sender", m->sender, sizeof(m->sender));
	pawctl_json_bool(&c->j, "from_this_host",
			 !memcmp(m->sender, host, PAWLINK_ID_LEN));
	pawctl_json_u64(&c->j, "time", m->time);
	pawctl_json_u64(&c->j, "duration_ms", m->duration_ms);
	pawctl_json_u64(&c->j, "size", m->size);
	pawctl_json_str(&c->j, "codec", m->codec == PAWLINK_MSG_CODEC_OGG_OPUS ?
			"ogg-opus" : "unknown");
	pawctl_json_hex(&c->j, "sha256", m->sha256, sizeof(m->sha256));
	pawctl_json_close(&c->j, '}');
}
