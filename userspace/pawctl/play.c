// SPDX-License-Identifier: GPL-2.0
/*
 * pawctl play TOY MSG-ID: the toy plays a message on its speaker, at its
 * own pace; pawctl returns once the toy has started it.
 */
#include "pawctl.h"

static int play_run(struct pawctl *c, int argc, char *argv[])
{
	char hex[PAWCTL_MSG_HEX_LEN + 1];

	if (!pawctl_msg_command(c, argc, argv, pawlink_play, hex))
		return c->exit;
	pawctl_info(c, "%s is playing message %s", c->toy_label, hex);
	return 0;
}

const struct pawctl_command pawctl_cmd_play = {
	.name = "play",
	.run = play_run,
	.synopsis = "play TOY MSG-ID",
	.summary = "play a voice message on the toy's speaker",
};
