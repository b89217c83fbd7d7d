// SPDX-License-Identifier: GPL-2.0
/*
 * pawctl connect TOY: opens a session through the dongle and leaves it
 * in pawlink.ko when pawctl exits, so that the dongle's sound card plays
 * to the toy and records from it.  pawctl disconnect ends it (the toy
 * also ends a session that stays silent for 5 minutes).
 */
#include <errno.h>

#include "pawctl.h"

static int connect_run(struct pawctl *c, int argc, char *argv[])
{
	int rc;

	if (!pawctl_parse(c, argc, argv, NULL, 1, 1))
		return c->exit;
	rc = pawctl_lookup_toy(c, c->operand[0]);
	if (!rc)
		rc = pawctl_open_link(c);
	if (rc)
		return rc;
	/* Only a driver can keep it: asked before the toy is woken up. */
	rc = pawlink_keep_session(c->p);
	if (rc != -ENOTCONN)
		return pawctl_lib_fail(c, rc ? rc : -EIO);
	rc = pawctl_connect(c, c->operand[0], NULL);
	if (rc)
		return rc;
	rc = pawlink_keep_session(c->p);
	if (rc)
		return pawctl_lib_fail(c, rc);
	pawctl_info(c, "%s: session kept in %s's driver, for its sound card ('pawctl disconnect' ends it)",
		    c->toy_label, c->device_path);
	pawctl_json_str(&c->j, "device", c->device_path);
	return 0;
}

const struct pawctl_command pawctl_cmd_connect = {
	.name = "connect",
	.run = connect_run,
	.synopsis = "connect TOY",
	.summary = "open a session through the dongle and keep it after pawctl exits, for the dongle's sound card",
};
