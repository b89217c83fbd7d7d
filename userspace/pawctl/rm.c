// SPDX-License-Identifier: GPL-2.0
/* pawctl rm TOY MSG-ID: deletes a voice message from the toy. */
#include "pawctl.h"

static int rm_run(struct pawctl *c, int argc, char *argv[])
{
	char hex[PAWCTL_MSG_HEX_LEN + 1];
	uint8_t id[PAWLINK_MSG_ID_LEN];
	int rc;

	if (!pawctl_parse(c, argc, argv, NULL, 2, 2))
		return c->exit;
	rc = pawctl_connect_msg(c, c->operand[0], c->operand[1], id);
	if (rc)
		return rc;
	rc = pawlink_delete(c->p, id);
	if (rc)
		return pawctl_msg_fail(c, rc, id);
	pawlink_msg_id_hex(hex, id);
	pawctl_info(c, "deleted message %s from %s", hex, c->toy_label);
	pawctl_json_msg_id(&c->j, hex);
	return 0;
}

const struct pawctl_command pawctl_cmd_rm = {
	.name = "rm",
	.run = rm_run,
	.synopsis = "rm TOY MSG-ID",
	.summary = "delete a voice message from the toy",
};
