// SPDX-License-Identifier: GPL-2.0
/*
 * pawctl play TOY MSG-ID: the toy plays a message on its speaker, at its
 * own pace; pawctl returns once the toy has started it.
 */
#include "pawctl.h"

static int play_run(struct pawctl *c, int argc, char *argv[])
{
	char hex[PAWCTL_MSG_HEX_LEN + 1];
	uint8_t id[PAWLINK_MSG_ID_LEN];
	int rc;

	if (!pawctl_parse(c, argc, argv, NULL, 2, 2))
		return c->exit;
	rc = pawctl_connect_msg(c, c->operand[0], c->operand[1], id);
	if (rc)
		return rc;
	rc = pawlink_play(c->p, id);
	if (rc)
		return pawctl_msg_fail(c, rc, id);
	pawlink_msg_id_hex(hex, id);
	pawctl_info(c, "%s is playing message %s", c->toy_label, hex);
	pawctl_json_msg_id(&c->j, hex);
	return 0;
}

const struct pawctl_command pawctl_cmd_play = {
	.name = "play",
	.run = play_run,
	.synopsis = "play TOY MSG-ID",
	.summary = "play a voice message on the toy's speaker",
};
