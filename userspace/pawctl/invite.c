// SPDX-License-Identifier: GPL-2.0
/*
 * pawctl invite TOY [--name NAME]: opens the toy's pairing window for one
 * new host, with a fresh one-time code the toy made.  Once a toy has a
 * host this is how another pairs: the printed code works again only after
 * a factory reset.  The code is shown once here and kept nowhere.
 */
#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "pawctl.h"

static int invite_run(struct pawctl *c, int argc, char *argv[])
{
	const char *name = NULL;
	const struct pawctl_opt opts[] = {
		{ .name = "name", .arg = &name },
		{ .name = NULL },
	};
	char code[PAWLINK_INVITE_CODE_SIZE], hex[PAWCTL_TOY_HEX_LEN + 1];
	uint32_t valid_ms = 0;
	int rc;

	if (!pawctl_parse(c, argc, argv, opts, 1, 1))
		return c->exit;
	rc = pawctl_connect(c, c->operand[0], NULL);
	if (rc)
		return rc;
	rc = pawlink_invite(c->p, name, code, &valid_ms);
	if (rc == -ENOSPC)
		return pawctl_fail(c, PAWCTL_EXIT_REFUSED, "%s",
				   pawlink_error(c->p));
	if (rc)
		return pawctl_lib_fail(c, rc);
	pawctl_out(c, "one-time code   %s\n", code);
	pawctl_out(c, "valid           %u min, for one new host\n",
		   valid_ms / 60000);
	pawlink_toy_id_hex(hex, c->toy.id);
	pawctl_out(c, "on the new host: pawctl pair %s, then type the code\n",
		   hex);
	pawctl_json_str(&c->j, "code", code);
	pawctl_json_u64(&c->j, "valid_ms", valid_ms);
	pawctl_json_str(&c->j, "name", name ? name : "");
	sodium_memzero(code, sizeof(code));
	return 0;
}

const struct pawctl_command pawctl_cmd_invite = {
	.name = "invite",
	.run = invite_run,
	.synopsis = "invite TOY [--name NAME]",
	.summary = "open the toy's pairing window for one new host, with a one-time code",
	.options = "  --name NAME  the new host's name in 'pawctl hosts' (16 characters at most)\n",
};
