// SPDX-License-Identifier: GPL-2.0
/*
 * pawctl revoke TOY HOST: the toy forgets another host (a lost laptop),
 * which can then no longer open a session with it.  HOST is a host id or
 * a name as 'pawctl hosts' shows them.  The toy logs it.
 */
#include <string.h>

#include "pawctl.h"

/* The one host @arg names, by id or by name; 0 or a pawctl exit code. */
static int find_host(struct pawctl *c, const char *arg,
		     uint8_t id[PAWLINK_ID_LEN])
{
	struct pawlink_toy_host_info h[PAWLINK_TOY_HOSTS_MAX];
	size_t n, i, found = 0;
	int rc;

	rc = pawlink_hosts(c->p, h, PAWLINK_TOY_HOSTS_MAX, &n, NULL, NULL);
	if (rc)
		return pawctl_lib_fail(c, rc);
	if (pawlink_toy_id_parse(id, arg) == 0) {
		for (i = 0; i < n; i++)
			if (!memcmp(h[i].id, id, PAWLINK_ID_LEN))
				return 0;
		return pawctl_fail(c, PAWCTL_EXIT_NOT_FOUND,
				   "%s has no host %s paired ('pawctl hosts' lists them)",
				   c->toy_label, arg);
	}
	for (i = 0; i < n; i++) {
		if (h[i].name[0] && strcmp(h[i].name, arg) == 0) {
			memcpy(id, h[i].id, PAWLINK_ID_LEN);
			found++;
		}
	}
	if (found == 1)
		return 0;
	return pawctl_fail(c, found ? PAWCTL_EXIT_USAGE : PAWCTL_EXIT_NOT_FOUND,
			   found ? "several hosts of %s are named '%s': give the host's id"
				 : "%s has no host named '%s' ('pawctl hosts' lists them)",
			   c->toy_label, arg);
}

static int revoke_run(struct pawctl *c, int argc, char *argv[])
{
	char hex[PAWCTL_TOY_HEX_LEN + 1];
	uint8_t id[PAWLINK_ID_LEN];
	int rc;

	if (!pawctl_parse(c, argc, argv, NULL, 2, 2))
		return c->exit;
	rc = pawctl_connect(c, c->operand[0], NULL);
	if (rc)
		return rc;
	rc = find_host(c, c->operand[1], id);
	if (rc)
		return rc;
	rc = pawlink_revoke(c->p, id);
	if (rc)
		return pawctl_lib_fail(c, rc);
	pawlink_to_hex(hex, id, PAWLINK_ID_LEN);
	pawctl_json_str(&c->j, "revoked", hex);
	pawctl_info(c, "%s forgot host %s", c->toy_label, hex);
	return 0;
}

const struct pawctl_command pawctl_cmd_revoke = {
	.name = "revoke",
	.run = revoke_run,
	.synopsis = "revoke TOY HOST",
	.summary = "the toy forgets another host (HOST: an id or name from 'pawctl hosts')",
};
