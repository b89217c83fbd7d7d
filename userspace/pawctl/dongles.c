// SPDX-License-Identifier: GPL-2.0
/*
 * pawctl dongles: the dongles plugged in and the path each takes: those
 * pawlink.ko has bound, from sysfs (no node is opened, so it needs no
 * permission and disturbs no session), and those no driver has, which
 * pawctl reaches through libusb (their descriptors only: the link is not
 * asked, which would take the dongle from a program using it).
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
	case PAWLINK_DONGLE_LINK_UNKNOWN:
		return "unknown";
	default:
		return "unknown";
	}
}

static void show(struct pawctl *c, const struct pawlink_dongle *d)
{
	char hex[PAWCTL_TOY_HEX_LEN + 1], fw[8];
	const char *path = pawctl_dongle_transport(d->path);

	pawlink_toy_id_hex(hex, d->id);
	snprintf(fw, sizeof(fw), "%u.%u", d->fw_version >> 8,
		 d->fw_version & 0xff);
	pawctl_out(c, "%-20s  %-6s  %-16s  %-8s  %-5s  %-10s  %s\n", d->path,
		   path, hex, fw, speed_name(d->speed),
		   link_name(d->link_state), d->keyed ? "yes" : "no");
	pawctl_json_open(&c->j, NULL, '{');
	pawctl_json_str(&c->j, "device", d->path);
	pawctl_json_str(&c->j, "transport", path);
	pawctl_json_str(&c->j, "id", hex);
	pawctl_json_str(&c->j, "firmware", fw);
	pawctl_json_str(&c->j, "speed", speed_name(d->speed));
	pawctl_json_str(&c->j, "link", link_name(d->link_state));
	pawctl_json_bool(&c->j, "keyed", d->keyed);
	pawctl_json_close(&c->j, '}');
}

static int dongles_run(struct pawctl *c, int argc, char *argv[])
{
	struct pawlink_dongle *kern = NULL, *usb = NULL;
	size_t i, nk = 0, nu = 0;
	int rc = 0;

	if (!pawctl_parse(c, argc, argv, NULL, 0, 0))
		return c->exit;
	if (pawlink_dongles(c->p, &kern, &nk) ||
	    pawlink_usb_dongles(c->p, &usb, &nu)) {
		rc = pawctl_fail(c, PAWCTL_EXIT_IO, "out of memory");
		goto out;
	}
	if (nk + nu)
		pawctl_out(c, "%-20s  %-6s  %-16s  %-8s  %-5s  %-10s  %s\n",
			   "DEVICE", "PATH", "DONGLE", "FIRMWARE", "SPEED",
			   "LINK", "KEYED");
	else
		pawctl_info(c, "no pawlink dongle is plugged in");
	pawctl_json_open(&c->j, "dongles", '[');
	for (i = 0; i < nk; i++)
		show(c, &kern[i]);
	for (i = 0; i < nu; i++)
		show(c, &usb[i]);
	pawctl_json_close(&c->j, ']');
out:
	free(kern);
	free(usb);
	return rc;
}

const struct pawctl_command pawctl_cmd_dongles = {
	.name = "dongles",
	.run = dongles_run,
	.synopsis = "dongles",
	.summary = "list the dongles plugged in: the path pawctl takes to each (kernel: pawlink.ko; usb: libusb, no driver bound), id, firmware, USB speed, link, whether a session is keyed",
};
