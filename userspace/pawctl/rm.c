// SPDX-License-Identifier: GPL-2.0
/* pawctl rm TOY MSG-ID: deletes a voice message from the toy. */
#include "pawctl.h"

static int rm_run(struct pawctl *c, int argc, char *argv[])
{
	char hex[PAWCTL_MSG_HEX_LEN + 1];

	if (!pawctl_msg_command(c, argc, argv, pawlink_delete, hex))
		return c->exit;
	pawctl_info(c, "deleted message %s from %s", hex, c->toy_label);
	return 0;
}

const struct pawctl_command pawctl_cmd_rm = {
	.name = "rm",
	.run = rm_run,
	.synopsis = "rm TOY MSG-ID",
	.summary = "delete a voice message from the toy",
};
