// SPDX-License-Identifier: GPL-2.0
/* pawctl volume TOY N: the speaker's volume, 0 to 100 (kept by the toy). */
#include "pawctl.h"

static int volume_run(struct pawctl *c, int argc, char *argv[])
{
	unsigned long v;
	int rc;

	if (!pawctl_parse(c, argc, argv, NULL, 2, 2))
		return c->exit;
	if (pawlink_parse_uint(c->operand[1], 0, PAWLINK_TOY_VOLUME_MAX, &v))
		return pawctl_fail(c, PAWCTL_EXIT_USAGE,
				   "%s, not '%.16s'", pawctl_cmd_volume.number,
				   c->operand[1]);
	rc = pawctl_connect(c, c->operand[0], NULL);
	if (rc)
		return rc;
	rc = pawlink_volume(c->p, (unsigned int)v);
	if (rc)
		return pawctl_lib_fail(c, rc);
	pawctl_info(c, "%s: volume %lu", c->toy_label, v);
	pawctl_json_u64(&c->j, "volume", v);
	return 0;
}

const struct pawctl_command pawctl_cmd_volume = {
	.name = "volume",
	.run = volume_run,
	.synopsis = "volume TOY N",
	.summary = "set the toy's speaker volume, 0 to 100",
	.number = "the volume is a whole number from 0 to 100",
};
