// SPDX-License-Identifier: GPL-2.0
/*
 * The dongle paths through the façade (libpawlink.h): finding the dongles
 * pawlink.ko has bound and those no driver has, attaching one (the kernel
 * path, transport_dev.c, or the libusb path, transport_usb.c, by the kind
 * of node), and sessions that outlive the program, kept in the driver for
 * its sound card.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "libpawlink_priv.h"

#define USBFS_PREFIX	"/dev/bus/usb/"

int pawlink_dongles(struct pawlink *p, struct pawlink_dongle **out, size_t *n)
{
	int rc = pawlink_transport_dev_list(NULL, out, n);

	if (rc)
		return pawlink_fail(p, rc, "out of memory");
	return 0;
}

int pawlink_usb_dongles(struct pawlink *p, struct pawlink_dongle **out,
			size_t *n)
{
	int rc = pawlink_transport_usb_list(out, n);

	if (rc)
		return pawlink_fail(p, rc, "out of memory");
	return 0;
}

/* usbfs nodes are the libusb path's; the rest the kernel's. */
static bool is_usbfs_node(const char *path)
{
	return !strncmp(path, USBFS_PREFIX, strlen(USBFS_PREFIX));
}

/* The one dongle plugged in, into @path; else why not, with the sentence. */
static int only_dongle(struct pawlink *p, char path[PAWLINK_DONGLE_PATH_MAX])
{
	struct pawlink_dongle *list;
	size_t n;
	int rc;

	rc = pawlink_dongles(p, &list, &n);
	if (rc)
		return rc;
	if (n == 1)
		memcpy(path, list[0].path, PAWLINK_DONGLE_PATH_MAX);
	else if (n == 0)
		rc = pawlink_fail(p, -ENODEV, "no pawlink dongle is plugged in");
	else
		rc = pawlink_fail(p, -ENOTUNIQ,
				  "%zu pawlink dongles are plugged in (%s, %s%s): say which",
				  n, list[0].path, list[1].path,
				  n > 2 ? ", ..." : "");
	free(list);
	return rc;
}

int pawlink_attach_device(struct pawlink *p, const char *path)
{
	char found[PAWLINK_DONGLE_PATH_MAX];
	struct pawlink_transport *t;
	int rc;

	if (p->t)
		return pawlink_fail(p, -EISCONN,
				    "a way to reach toys is attached already");
	if (!path) {
		rc = only_dongle(p, found);
		if (rc)
			return rc;
		path = found;
	}
	if (is_usbfs_node(path))
		rc = pawlink_transport_usb_open(&t, path);
	else
		rc = pawlink_transport_dev_open(&t, path);
	switch (rc) {
	case 0:
		break;
	case -ENOENT:
		return pawlink_fail(p, rc, "no dongle at '%s'", path);
	case -EACCES:
	case -EPERM:
		return pawlink_fail(p, rc,
				    "no permission to use the dongle at '%s' (udev's 70-pawlink.rules gives it to the user at the seat)",
				    path);
	case -EBUSY:
		return pawlink_fail(p, rc,
				    "another program is using the dongle at '%s'; try again when it is done",
				    path);
	case -ENOTTY:
		return pawlink_fail(p, rc, "'%s' is not a pawlink dongle",
				    path);
	case -ENODEV:
		return pawlink_fail(p, rc, "the dongle at '%s' is gone",
				    path);
	case -EPROTO:
		return pawlink_fail(p, rc,
				    "refused the dongle at '%s': its USB interface or its answer to GET_INFO is not what Documentation/usb-interface.rst says (as pawlink.ko refuses it)",
				    path);
	case -EOPNOTSUPP:
		return pawlink_fail(p, rc,
				    "the dongle at '%s' is bound to a kernel driver: use it through pawlink.ko (/dev/pawlinkN); libpawlink never detaches a driver",
				    path);
	default:
		return pawlink_fail(p, rc, "cannot use the dongle at '%s': %s",
				    path, strerror(-rc));
	}
	p->t = t;
	p->own_transport = true;
	return 0;
}

int pawlink_keep_session(struct pawlink *p)
{
	int rc = pawlink_need_transport(p);

	if (rc)
		return rc;
	if (!p->t->ops->keep && !strcmp(p->t->ops->kind, "usb"))
		return pawlink_fail(p, -EOPNOTSUPP,
				    "this dongle is used through libusb, without pawlink.ko: only the driver keeps a session after the program ends, and only it gives the dongle a sound card (arecord, aplay); load pawlink.ko for that");
	if (!p->t->ops->keep)
		return pawlink_fail(p, -EOPNOTSUPP,
				    "only a dongle's driver can keep a session after the program ends; on the simulated air each program opens its own");
	rc = pawlink_need_session(p);
	if (rc)
		return rc;
	rc = p->t->ops->keep(p->t);
	if (rc)
		return pawlink_fail(p, rc, "cannot keep the session: %s",
				    pawlink_link_error(rc));
	/* The driver has it now: nothing here ends it. */
	pawlink_session_forget(p);
	return 0;
}

int pawlink_end_kept_session(struct pawlink *p,
			     uint8_t toy_id[PAWLINK_ID_LEN])
{
	struct pawlink_toy_record toy;
	uint8_t id[PAWLINK_ID_LEN];
	int rc = pawlink_need_transport(p);

	if (rc)
		return rc;
	if (!p->t->ops->resume && !strcmp(p->t->ops->kind, "usb"))
		return pawlink_fail(p, -EOPNOTSUPP,
				    "no session outlives a program on the libusb path (without pawlink.ko)");
	if (!p->t->ops->resume)
		return pawlink_fail(p, -EOPNOTSUPP,
				    "no session outlives a program on the simulated air");
	if (p->session)
		return pawlink_fail(p, -EISCONN,
				    "this program has a session open; disconnect it instead");
	rc = p->t->ops->resume(p->t, id);
	if (rc == -ENOTCONN)
		return pawlink_fail(p, rc, "the dongle holds no session");
	if (rc)
		return pawlink_fail(p, rc, "cannot reach the dongle's session: %s",
				    pawlink_link_error(rc));
	/*
	 * Taken over for its BYE, which the driver seals under the kept
	 * keys; then pawlink_disconnect() erases them and drops the link.
	 */
	memcpy(p->toy_id, id, PAWLINK_ID_LEN);
	p->next_tag = (uint16_t)randombytes_uniform(1u << 16);
	p->session = true;
	pawlink_disconnect(p);
	/*
	 * The link names the toy's address on the air, a private id once it
	 * is paired: say which toy that is, as the key store knows it.
	 */
	if (pawlink_store_resolve(p, id, &toy) == 0)
		memcpy(id, toy.id, PAWLINK_ID_LEN);
	sodium_memzero(&toy, sizeof(toy));
	if (toy_id)
		memcpy(toy_id, id, PAWLINK_ID_LEN);
	return 0;
}
