// SPDX-License-Identifier: GPL-2.0
/*
 * pawctl dongles: the dongles pawlink.ko has bound, from sysfs (no node
 * is opened, so it needs no permission and disturbs no session).
 */
#include <stdlib.h>

#include <linux/usb/ch9.h>

#include "pawctl.h"

static const char *speed_name(uint32_t speed)
{
	switch (speed) {
	case USB_SPEED_LOW:
		return "low";
	case USB_SPEED_FULL:
		return "full";
	case USB_SPEED_HIGH:
		return "high";
	case USB_SPEED_SUPER:
		return "super";
	case USB_SPEED_SUPER_PLUS:
		return "super-plus";
	default:
		return "unknown";
	}
}

static const char *link_name(uint8_t state)
{
	switch (state) {
	case PAWLINK_LINK_IDLE:
		return "idle";
	case PAWLINK_LINK_CONNECTING:
		return "connecting";
	case PAWLINK_LINK_CONNECTED:
		return "connected";
	case PAWLINK_LINK_LOST:
		return "lost";
	default:
		return "unknown";
	}
}

static int dongles_run(struct pawctl *c, int argc, char *argv[])
{
	char hex[PAWCTL_TOY_HEX_LEN + 1], fw[8];
	struct pawlink_dongle *list;
	size_t i, n;

	if (!pawctl_parse(c, argc, argv, NULL, 0, 0))
		return c->exit;
	if (pawlink_dongles(c->p, &list, &n))
		return pawctl_fail(c, PAWCTL_EXIT_IO, "out of memory");
	if (n)
		pawctl_out(c, "%-14s  %-16s  %-8s  %-5s  %-10s  %s\n", "DEVICE",
			   "DONGLE", "FIRMWARE", "SPEED", "LINK", "KEYED");
	else
		pawctl_info(c, "no pawlink dongle is plugged in");
	pawctl_json_open(&c->j, "dongles", '[');
	for (i = 0; i < n; i++) {
		pawlink_toy_id_hex(hex, list[i].id);
		snprintf(fw, sizeof(fw), "%u.%u", list[i].fw_version >> 8,
			 list[i].fw_version & 0xff);
		pawctl_out(c, "%-14s  %-16s  %-8s  %-5s  %-10s  %s\n",
			   list[i].path, hex, fw, speed_name(list[i].speed),
			   link_name(list[i].link_state),
			   list[i].keyed ? "yes" : "no");
		pawctl_json_open(&c->j, NULL, '{');
		pawctl_json_str(&c->j, "device", list[i].path);
		pawctl_json_str(&c->j, "id", hex);
		pawctl_json_str(&c->j, "firmware", fw);
		pawctl_json_str(&c->j, "speed", speed_name(list[i].speed));
		pawctl_json_str(&c->j, "link", link_name(list[i].link_state));
		pawctl_json_bool(&c->j, "keyed", list[i].keyed);
		pawctl_json_close(&c->j, '}');
	}
	pawctl_json_close(&c->j, ']');
	free(list);
	return 0;
}

const struct pawctl_command pawctl_cmd_dongles = {
	.name = "dongles",
	.run = dongles_run,
	.synopsis = "dongles",
	.summary = "list the dongles plugged in: id, firmware, USB speed, link, whether a session is keyed",
};
