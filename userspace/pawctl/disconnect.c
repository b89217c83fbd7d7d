// SPDX-License-Identifier: GPL-2.0
/*
 * pawctl disconnect: ends the session the dongle's driver holds (the one
 * `pawctl connect` left): a BYE to the toy, then the keys are erased and
 * the link dropped.  No session there is not an error.
 */
#include <errno.h>
#include <string.h>

#include "pawctl.h"

static int disconnect_run(struct pawctl *c, int argc, char *argv[])
{
	struct pawlink_toy toy;
	char hex[PAWCTL_TOY_HEX_LEN + 1];
	uint8_t id[PAWLINK_ID_LEN];
	int rc;

	if (!pawctl_parse(c, argc, argv, NULL, 0, 0))
		return c->exit;
	rc = pawctl_open_link(c);
	if (rc)
		return rc;
	rc = pawlink_end_kept_session(c->p, id);
	if (rc == -ENOTCONN) {
		pawctl_info(c, "%s holds no session", c->device_path);
		pawctl_json_str(&c->j, "device", c->device_path);
		pawctl_json_bool(&c->j, "ended", false);
		return 0;
	}
	if (rc)
		return pawctl_lib_fail(c, rc);
	/* Named as the key store knows it; a toy not paired here by id. */
	pawlink_toy_id_hex(hex, id);
	if (pawlink_toy_find(c->p, hex, &toy)) {
		memset(&toy, 0, sizeof(toy));
		memcpy(toy.id, id, PAWLINK_ID_LEN);
	}
	pawctl_set_toy(c, &toy);
	pawctl_info(c, "ended the session with %s", c->toy_label);
	pawctl_json_str(&c->j, "device", c->device_path);
	pawctl_json_bool(&c->j, "ended", true);
	return 0;
}

const struct pawctl_command pawctl_cmd_disconnect = {
	.name = "disconnect",
	.run = disconnect_run,
	.synopsis = "disconnect",
	.summary = "end the session 'pawctl connect' left in the dongle's driver",
};
