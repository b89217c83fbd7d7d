// SPDX-License-Identifier: GPL-2.0
/*
 * Reaching a toy: the transport the global options choose (the simulated
 * air, or a dongle through pawlink.ko or, when no driver has it, through
 * libusb), libpawlink's façade over it, and a
 * session with one toy.  Each pawctl run opens at most one session and
 * ends it with a BYE, so that the toy (which serves one session at a
 * time) is free for the next command; only `pawctl connect` leaves its
 * session to the dongle's driver.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pawctl.h"

/* The exit code for a dongle that could not be attached. */
static int attach_exit(int rc)
{
	switch (-rc) {
	case ENOENT:
	case ENODEV:
	case EBUSY:
		return PAWCTL_EXIT_UNREACHABLE;
	case ENOTTY:
		return PAWCTL_EXIT_USAGE;
	case EOPNOTSUPP:
		return PAWCTL_EXIT_UNSUPPORTED;
	case EINTR:
		return PAWCTL_EXIT_INTERRUPTED;
	default:
		return PAWCTL_EXIT_IO;		/* permissions among them */
	}
}

const char *pawctl_dongle_transport(const char *path)
{
	return strncmp(path, "/dev/bus/usb/", 13) ? "kernel" : "usb";
}

/* --transport as given: 0 either, 1 kernel, 2 usb; or -1 (an error). */
static int forced_path(struct pawctl *c)
{
	if (!c->transport)
		return 0;
	if (!strcmp(c->transport, "kernel"))
		return 1;
	if (!strcmp(c->transport, "usb"))
		return 2;
	pawctl_fail(c, PAWCTL_EXIT_USAGE,
		    "--transport takes 'kernel' (through pawlink.ko) or 'usb' (through libusb)");
	return -1;
}

/*
 * No dongle on the path --transport forced: why, with the other path's
 * dongles in mind.  @other counts them.
 */
static int none_on_path(struct pawctl *c, int forced, size_t other)
{
	if (forced == 1 && other)
		return pawctl_fail(c, PAWCTL_EXIT_UNSUPPORTED,
				   "--transport kernel: no dongle is bound to pawlink.ko (is it loaded?); %zu without a driver can be used with --transport usb",
				   other);
	if (forced == 2 && other)
		return pawctl_fail(c, PAWCTL_EXIT_UNSUPPORTED,
				   "--transport usb: every dongle plugged in is bound to pawlink.ko, and pawctl never detaches the kernel driver; use the kernel path (without --transport usb)");
	return pawctl_fail(c, PAWCTL_EXIT_UNREACHABLE,
			   "no pawlink dongle is plugged in ('pawctl dongles' lists them); for a simulated toy give --air SOCKET or set $PAWLINK_AIR");
}

/*
 * --device, or else the one dongle plugged in on a path --transport
 * allows: into c->device_path, and c->via_usb.
 */
static int choose_dongle(struct pawctl *c)
{
	struct pawlink_dongle *kern = NULL, *usb = NULL;
	size_t nk = 0, nu = 0, n;
	int forced = forced_path(c), rc = 0;

	if (forced < 0)
		return PAWCTL_EXIT_USAGE;
	if (c->device) {
		if (strlen(c->device) >= sizeof(c->device_path))
			return pawctl_fail(c, PAWCTL_EXIT_USAGE,
					   "--device: the path is too long");
		strcpy(c->device_path, c->device);
		c->via_usb = !strcmp(pawctl_dongle_transport(c->device), "usb");
		if (forced && forced != (c->via_usb ? 2 : 1))
			return pawctl_fail(c, PAWCTL_EXIT_USAGE,
					   "--device %s is a %s node; --transport %s needs %s",
					   c->device_path,
					   c->via_usb ? "usbfs" : "pawlink.ko",
					   c->transport, c->via_usb ?
					   "/dev/pawlinkN" : "/dev/bus/usb/BBB/DDD");
		return 0;
	}
	if (pawlink_dongles(c->p, &kern, &nk) ||
	    pawlink_usb_dongles(c->p, &usb, &nu)) {
		rc = pawctl_fail(c, PAWCTL_EXIT_IO, "out of memory");
		goto out;
	}
	n = (forced != 2 ? nk : 0) + (forced != 1 ? nu : 0);
	if (n == 0) {
		rc = none_on_path(c, forced, forced == 1 ? nu : nk);
		goto out;
	}
	if (n > 1) {
		rc = pawctl_fail(c, PAWCTL_EXIT_USAGE,
				 "%zu pawlink dongles are plugged in: choose one with --device ('pawctl dongles' lists them)",
				 n);
		goto out;
	}
	/* The driver's when it has one: pawctl never takes a dongle from it. */
	c->via_usb = !(forced != 2 && nk);
	memcpy(c->device_path, c->via_usb ? usb[0].path : kern[0].path,
	       sizeof(c->device_path));
out:
	free(kern);
	free(usb);
	return rc;
}

int pawctl_open_link(struct pawctl *c)
{
	const char *air = c->air;
	int rc;

	/* A signal that came between two waits still stops the command. */
	if (pawctl_interrupted())
		return pawctl_fail(c, PAWCTL_EXIT_INTERRUPTED, "interrupted");
	if (pawlink_attached(c->p))
		return 0;
	if (c->air && c->device)
		return pawctl_fail(c, PAWCTL_EXIT_USAGE,
				   "give --air or --device, not both");
	/* A dongle named or its path forced: $PAWLINK_AIR does not apply. */
	if (!air && !c->device && !c->transport) {
		air = getenv("PAWLINK_AIR");
		if (air && !air[0])
			air = NULL;
	}
	if (c->transport && air)
		return pawctl_fail(c, PAWCTL_EXIT_USAGE,
				   "--transport chooses a dongle's path; the simulated air (--air) has none");
	if (air) {
		rc = pawlink_attach_air(c->p, air);
		if (rc)
			return pawctl_fail(c, rc == -EINTR ?
					   PAWCTL_EXIT_INTERRUPTED :
					   PAWCTL_EXIT_UNREACHABLE, "%s",
					   pawlink_error(c->p));
		return 0;
	}
	/* A dongle: through pawlink.ko, or through libusb without it. */
	rc = choose_dongle(c);
	if (rc)
		return rc;
	rc = pawlink_attach_device(c->p, c->device_path);
	if (rc)
		return pawctl_fail(c, attach_exit(rc), "%s",
				   pawlink_error(c->p));
	if (c->via_usb)
		pawctl_info(c, "using the dongle at %s through libusb: no driver has it (no sound card on this path)",
			    c->device_path);
	return 0;
}

int pawctl_connect(struct pawctl *c, const char *toy,
		   struct pawlink_toy_status_info *status)
{
	int rc;

	if (!c->have_toy) {
		rc = pawctl_lookup_toy(c, toy);
		if (rc)
			return rc;
	}
	rc = pawctl_open_link(c);
	if (rc)
		return rc;
	if (pawctl_interrupted())
		return pawctl_fail(c, PAWCTL_EXIT_INTERRUPTED, "interrupted");
	pawctl_info(c, "connecting to %s", c->toy_label);
	rc = pawlink_connect(c->p, c->toy.id, status);
	if (rc)
		return pawctl_lib_fail(c, rc);
	return 0;
}

bool pawctl_msg_command(struct pawctl *c, int argc, char *argv[],
			int (*act)(struct pawlink *p,
				   const uint8_t id[PAWLINK_MSG_ID_LEN]),
			char hex[PAWCTL_MSG_HEX_LEN + 1])
{
	uint8_t id[PAWLINK_MSG_ID_LEN];
	int rc;

	if (!pawctl_parse(c, argc, argv, NULL, 2, 2))
		return false;
	/* A misspelt MSG-ID is refused before the toy is woken up. */
	rc = pawctl_check_msg_id(c, c->operand[1]);
	if (!rc)
		rc = pawctl_connect(c, c->operand[0], NULL);
	if (!rc)
		rc = pawctl_lookup_msg(c, c->operand[1], id);
	if (!rc) {
		rc = act(c->p, id);
		if (rc)
			rc = pawctl_msg_fail(c, rc, id);
	}
	if (rc) {
		c->exit = rc;
		return false;
	}
	pawlink_message_id_hex(hex, id);
	pawctl_json_open(&c->j, "message", '{');
	pawctl_json_str(&c->j, "id", hex);
	pawctl_json_close(&c->j, '}');
	return true;
}

void pawctl_close_link(struct pawctl *c)
{
	/* Ends the session (BYE), closes the link, wipes the host key. */
	pawlink_close(c->p);
	c->p = NULL;
}
