// SPDX-License-Identifier: GPL-2.0
/*
 * pawctl led TOY on|off.  Turning the LED off also stops the microphone:
 * the toy never streams with its LED dark.
 */
#include <string.h>

#include "pawctl.h"

static int led_run(struct pawctl *c, int argc, char *argv[])
{
	bool on;
	int rc;

	if (!pawctl_parse(c, argc, argv, NULL, 2, 2))
		return c->exit;
	if (strcmp(c->operand[1], "on") && strcmp(c->operand[1], "off"))
		return pawctl_fail(c, PAWCTL_EXIT_USAGE,
				   "the LED is 'on' or 'off', not '%.16s'",
				   c->operand[1]);
	on = !strcmp(c->operand[1], "on");
	rc = pawctl_connect(c, c->operand[0], NULL);
	if (rc)
		return rc;
	rc = pawlink_led(c->p, on);
	if (rc)
		return pawctl_lib_fail(c, rc);
	pawctl_info(c, "%s: LED %s", c->toy_label, on ? "on" : "off");
	pawctl_json_bool(&c->j, "led", on);
	return 0;
}

const struct pawctl_command pawctl_cmd_led = {
	.name = "led",
	.run = led_run,
	.synopsis = "led TOY on|off",
	.summary = "turn the toy's LED on or off (off also stops its microphone)",
};
