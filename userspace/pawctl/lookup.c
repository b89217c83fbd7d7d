// SPDX-License-Identifier: GPL-2.0
/*
 * What the user types to name things: a toy by its id or by the name it
 * got at pairing (looked up in the key store, never on the air), and a
 * message by its id or a unique prefix of it (looked up on the toy).
 *
 * A 16-hex-digit argument is always an id; pairing refuses a name that
 * looks like one, and a name two toys share, so every TOY means one toy.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pawctl.h"

void pawctl_set_toy(struct pawctl *c, const struct pawlink_toy *toy)
{
	char hex[PAWCTL_TOY_HEX_LEN + 1];

	c->toy = *toy;
	c->have_toy = true;
	pawlink_toy_id_hex(hex, toy->id);
	if (toy->name[0])
		snprintf(c->toy_label, sizeof(c->toy_label), "%s (%s)",
			 toy->name, hex);
	else
		snprintf(c->toy_label, sizeof(c->toy_label), "%s", hex);
}

int pawctl_lookup_toy(struct pawctl *c, const char *arg)
{
	struct pawlink_toy toy;
	uint8_t id[PAWLINK_ID_LEN];
	int rc;

	if (!arg[0])
		return pawctl_fail(c, PAWCTL_EXIT_USAGE,
				   "an empty TOY names no toy");
	rc = pawlink_toy_find(c->p, arg, &toy);
	if (rc == -ENOENT && pawlink_toy_id_parse(id, arg) == 0)
		return pawctl_fail(c, PAWCTL_EXIT_NOT_FOUND,
				   "toy %s is not paired with this host (pawctl toys lists the paired ones; pawctl pair pairs)",
				   arg);
	if (rc == -ENOENT)
		return pawctl_fail(c, PAWCTL_EXIT_NOT_FOUND,
				   "no paired toy is called '%.64s' (pawctl toys lists them; a toy id is 16 hex digits)",
				   arg);
	if (rc == -ENOTUNIQ)
		return pawctl_fail(c, PAWCTL_EXIT_USAGE,
				   "%s: name the one you mean by its id",
				   pawlink_error(c->p));
	if (rc)
		return pawctl_fail(c, PAWCTL_EXIT_IO, "key store: %s",
				   pawlink_error(c->p));
	pawctl_set_toy(c, &toy);
	return 0;
}

static bool all_hex(const char *s)
{
	for (; *s; s++)
		if (!isxdigit((unsigned char)*s))
			return false;
	return true;
}

int pawctl_check_msg_id(struct pawctl *c, const char *arg)
{
	size_t len = strlen(arg);

	if (len < PAWCTL_MSG_PREFIX_MIN || len > PAWCTL_MSG_HEX_LEN ||
	    !all_hex(arg))
		return pawctl_fail(c, PAWCTL_EXIT_USAGE,
				   "'%.40s' is not a message id: 32 hex digits as 'pawctl ls' shows, or the first %d or more of them",
				   arg, PAWCTL_MSG_PREFIX_MIN);
	return 0;
}

int pawctl_lookup_msg(struct pawctl *c, const char *arg,
		      uint8_t id[PAWLINK_MSG_ID_LEN])
{
	char hex[PAWCTL_MSG_HEX_LEN + 1], want[PAWCTL_MSG_HEX_LEN + 1];
	struct pawlink_msg_info *list;
	size_t n, i, len = strlen(arg), matches = 0;
	int rc;

	rc = pawctl_check_msg_id(c, arg);
	if (rc)
		return rc;
	if (len == PAWCTL_MSG_HEX_LEN) {
		if (pawlink_message_id_parse(id, arg))
			return pawctl_fail(c, PAWCTL_EXIT_USAGE,
					   "message id 0 names no message");
		return 0;
	}
	for (i = 0; i <= len; i++)
		want[i] = (char)tolower((unsigned char)arg[i]);
	rc = pawlink_list(c->p, &list, &n);
	if (rc)
		return pawctl_lib_fail(c, rc);
	for (i = 0; i < n; i++) {
		pawlink_message_id_hex(hex, list[i].id);
		if (strncmp(hex, want, len) == 0) {
			memcpy(id, list[i].id, PAWLINK_MSG_ID_LEN);
			matches++;
		}
	}
	free(list);
	if (matches == 0)
		return pawctl_fail(c, PAWCTL_EXIT_NOT_FOUND,
				   "no message on %s has an id starting '%s'",
				   c->toy_label, want);
	if (matches > 1)
		return pawctl_fail(c, PAWCTL_EXIT_USAGE,
				   "%zu messages on %s have ids starting '%s': give more digits",
				   matches, c->toy_label, want);
	return 0;
}

int pawctl_msg_fail(struct pawctl *c, int rc,
		    const uint8_t id[PAWLINK_MSG_ID_LEN])
{
	char hex[PAWCTL_MSG_HEX_LEN + 1];

	if (rc != -ENOENT)
		return pawctl_lib_fail(c, rc);
	pawlink_message_id_hex(hex, id);
	return pawctl_fail(c, PAWCTL_EXIT_NOT_FOUND, "%s has no message %s",
			   c->toy_label, hex);
}
