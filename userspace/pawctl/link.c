// SPDX-License-Identifier: GPL-2.0
/*
 * Reaching a toy: the transport the global options choose (the simulated
 * air, or a dongle through pawlink.ko), libpawlink's façade over it, and a
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
	case EINTR:
		return PAWCTL_EXIT_INTERRUPTED;
	default:
		return PAWCTL_EXIT_IO;		/* permissions among them */
	}
}

/* --device, or else the one dongle plugged in: into c->device_path. */
static int choose_dongle(struct pawctl *c)
{
	struct pawlink_dongle *list;
	size_t n;

	if (c->device) {
		if (strlen(c->device) >= sizeof(c->device_path))
			return pawctl_fail(c, PAWCTL_EXIT_USAGE,
					   "--device: the path is too long");
		strcpy(c->device_path, c->device);
		return 0;
	}
	if (pawlink_dongles(c->p, &list, &n))
		return pawctl_fail(c, PAWCTL_EXIT_IO, "out of memory");
	if (n == 1)
		memcpy(c->device_path, list[0].path, sizeof(c->device_path));
	free(list);
	if (n == 0)
		return pawctl_fail(c, PAWCTL_EXIT_UNREACHABLE,
				   "no pawlink dongle is plugged in ('pawctl dongles' lists them); for a simulated toy give --air SOCKET or set $PAWLINK_AIR");
	if (n > 1)
		return pawctl_fail(c, PAWCTL_EXIT_USAGE,
				   "%zu pawlink dongles are plugged in: choose one with --device ('pawctl dongles' lists them)",
				   n);
	return 0;
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
	if (!air && !c->device) {
		air = getenv("PAWLINK_AIR");
		if (air && !air[0])
			air = NULL;
	}
	if (air) {
		rc = pawlink_attach_air(c->p, air);
		if (rc)
			return pawctl_fail(c, rc == -EINTR ?
					   PAWCTL_EXIT_INTERRUPTED :
					   PAWCTL_EXIT_UNREACHABLE, "%s",
					   pawlink_error(c->p));
		return 0;
	}
	/* The kernel path: pawlink.ko and the dongle. */
	rc = choose_dongle(c);
	if (rc)
		return rc;
	rc = pawlink_attach_device(c->p, c->device_path);
	if (rc)
		return pawctl_fail(c, attach_exit(rc), "%s",
				   pawlink_error(c->p));
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
