// SPDX-License-Identifier: GPL-2.0
/*
 * pawsim dongle: the zero-maxpacket dongle on legacy gadgetfs (see
 * dongle_gadgetfs.h for why it is not on FunctionFS).
 *
 * gadgetfs answers GET_DESCRIPTOR for the device and configurations itself
 * and hands everything else to us: strings, SET_CONFIGURATION (which only
 * user space may acknowledge), SET_INTERFACE, and the vendor requests,
 * which go to the shared handler in dongle_ep0.c.
 */
#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/usb/ch9.h>
#include <linux/usb/gadgetfs.h>

#include "dongle_descs.h"
#include "dongle_gadget.h"
#include "dongle_gadgetfs.h"
#include "pawsim.h"
#include "bytes.h"

#define GADGETFS_PREFIX	"/dev/gadgetfs-"
/* What /sys/class/udc/<udc>/function says when gadgetfs has it. */
#define GADGETFS_FUNCTION	"USB Gadget filesystem"

void dongle_gadgetfs_init(struct dongle_gadgetfs *g, const char *name,
			  const uint8_t id[PAWLINK_ID_LEN])
{
	memset(g, 0, sizeof(*g));
	snprintf(g->dir, sizeof(g->dir), GADGETFS_PREFIX "%s", name);
	g->ep0_fd = -1;
	pawlink_hex_encode(g->serial, id, PAWLINK_ID_LEN);
}

/* Right after mounting, the only file is the one named after the UDC. */
static int find_chip_file(const struct dongle_gadgetfs *g, char *out,
			  size_t len)
{
	struct dirent *de;
	int err = -ENOENT;
	size_t n;
	DIR *dir;

	dir = opendir(g->dir);
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		n = strlen(de->d_name);
		if (n < len) {
			memcpy(out, de->d_name, n + 1);
			err = 0;
		}
		break;
	}
	closedir(dir);
	return err;
}

int dongle_gadgetfs_up(struct dongle_gadgetfs *g, enum dongle_fault_mode mode,
		       const char *udc)
{
	char path[PATH_MAX], chip[64], function[128];
	uint8_t buf[DONGLE_DESCS_MAX];
	ssize_t len, n;
	int err;

	/*
	 * gadgetfs names its file after the gadget ("dummy_udc" for every
	 * dummy_hcd instance) and binds the first free UDC, so that is the
	 * only one it can be.
	 */
	if (dongle_udc_first_free(g->udc, sizeof(g->udc))) {
		pawsim_msg("no free UDC in /sys/class/udc; is dummy_hcd "
			   "loaded?");
		return -ENODEV;
	}
	if (udc && strcmp(udc, g->udc)) {
		pawsim_msg("gadgetfs (fault zero-maxpacket) binds the first "
			   "free UDC, %s, not %s", g->udc, udc);
		return -EBUSY;
	}

	if (mkdir(g->dir, 0755) && errno != EEXIST) {
		err = -errno;
		pawsim_msg("cannot create %s: %s", g->dir, strerror(-err));
		return err;
	}
	if (mount("gadgetfs", g->dir, "gadgetfs",
		  MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)) {
		err = -errno;
		pawsim_msg("cannot mount gadgetfs on %s: %s (is the gadgetfs "
			   "module there, unused, and a UDC free?)", g->dir,
			   strerror(-err));
		rmdir(g->dir);
		return err;
	}
	g->mounted = true;

	err = find_chip_file(g, chip, sizeof(chip));
	if (err) {
		pawsim_msg("gadgetfs at %s has no UDC file", g->dir);
		return err;
	}

	snprintf(path, sizeof(path), "%s/%s", g->dir, chip);
	g->ep0_fd = open(path, O_RDWR | O_CLOEXEC);
	if (g->ep0_fd < 0) {
		err = -errno;
		pawsim_msg("cannot open %s: %s", path, strerror(-err));
		return err;
	}
	len = dongle_gadgetfs_descs_build(mode, buf, sizeof(buf));
	if (len < 0) {
		pawsim_msg("cannot build the descriptors: %s",
			   strerror((int)-len));
		return (int)len;
	}
	/* This write binds the gadget: the host sees it from here on. */
	n = write(g->ep0_fd, buf, (size_t)len);
	if (n != len) {
		err = n < 0 ? -errno : -EIO;
		pawsim_msg("gadgetfs refused the descriptors: %s",
			   strerror(-err));
		return err;
	}
	/* Another gadget may have taken that UDC since we looked. */
	dongle_udc_function(g->udc, function, sizeof(function));
	if (strcmp(function, GADGETFS_FUNCTION)) {
		pawsim_msg("gadgetfs did not bind %s (it has '%s')", g->udc,
			   function);
		return -EBUSY;
	}
	return 0;
}

void dongle_gadgetfs_down(struct dongle_gadgetfs *g)
{
	/* Closing the device file unbinds the gadget. */
	if (g->ep0_fd >= 0)
		close(g->ep0_fd);
	g->ep0_fd = -1;
	if (!g->mounted)
		return;
	if (umount(g->dir)) {
		pawsim_msg("cannot unmount %s: %s", g->dir, strerror(errno));
		return;
	}
	g->mounted = false;
	if (rmdir(g->dir) && errno != ENOENT)
		pawsim_msg("cannot remove %s: %s", g->dir, strerror(errno));
}

/* ---- ep0 ------------------------------------------------------------------- */

static void reply_string(struct dongle_gadgetfs *g, struct dongle_ep0 *e,
			 uint8_t index, bool *known)
{
	uint8_t desc[2 + 2 * 64];
	const char *str;
	size_t i, len;

	*known = true;
	switch (index) {
	case 0:				/* the language list: en-US */
		desc[0] = 4;
		desc[1] = USB_DT_STRING;
		desc[2] = 0x09;
		desc[3] = 0x04;
		dongle_ep0_reply(e, "string descriptor", desc, 4);
		return;
	case DONGLE_STR_MANUFACTURER:
		str = DONGLE_MANUFACTURER;
		break;
	case DONGLE_STR_PRODUCT:
		str = DONGLE_PRODUCT;
		break;
	case DONGLE_STR_SERIAL:
		str = g->serial;
		break;
	case DONGLE_STR_INTERFACE:
		str = DONGLE_INTERFACE_STRING;
		break;
	default:
		*known = false;
		return;
	}
	/* UTF-16LE of an ASCII string. */
	len = strlen(str);
	desc[0] = (uint8_t)(2 + 2 * len);
	desc[1] = USB_DT_STRING;
	for (i = 0; i < len; i++) {
		desc[2 + 2 * i] = (uint8_t)str[i];
		desc[3 + 2 * i] = 0;
	}
	dongle_ep0_reply(e, "string descriptor", desc, 2 + 2 * len);
}

/* True when it answered @s, a standard request gadgetfs passed on. */
static bool standard_request(struct dongle_gadgetfs *g, struct dongle_ep0 *e,
			     const struct usb_ctrlrequest *s)
{
	uint16_t value = le16toh(s->wValue), index = le16toh(s->wIndex);
	uint8_t zero = 0;
	bool known;

	if ((s->bRequestType & USB_TYPE_MASK) != USB_TYPE_STANDARD)
		return false;

	switch (s->bRequest) {
	case USB_REQ_SET_CONFIGURATION:
		/* gadgetfs checked the value; only we can finish it. */
		if (s->bRequestType != (USB_DIR_OUT | USB_RECIP_DEVICE))
			return false;
		dongle_ep0_ack(e, "SET_CONFIGURATION");
		pawsim_msg("host set configuration %u; no endpoint is enabled "
			   "(this dongle exists to be refused)", value & 0xff);
		return true;
	case USB_REQ_SET_INTERFACE:
		if (s->bRequestType != (USB_DIR_OUT | USB_RECIP_INTERFACE) ||
		    value || index)
			return false;
		dongle_ep0_ack(e, "SET_INTERFACE");
		return true;
	case USB_REQ_GET_INTERFACE:
		if (s->bRequestType != (USB_DIR_IN | USB_RECIP_INTERFACE) ||
		    index || !le16toh(s->wLength))
			return false;
		dongle_ep0_reply(e, "GET_INTERFACE", &zero, 1);
		return true;
	case USB_REQ_GET_DESCRIPTOR:
		if (s->bRequestType != (USB_DIR_IN | USB_RECIP_DEVICE) ||
		    value >> 8 != USB_DT_STRING)
			return false;
		reply_string(g, e, value & 0xff, &known);
		return known;
	default:
		return false;
	}
}

static const char *speed_name(enum usb_device_speed speed)
{
	switch (speed) {
	case USB_SPEED_LOW:
		return "low-speed";
	case USB_SPEED_FULL:
		return "full-speed";
	case USB_SPEED_HIGH:
		return "high-speed";
	default:
		return "an unexpected speed";
	}
}

int dongle_gadgetfs_run(struct dongle_gadgetfs *g, struct dongle_ep0 *e)
{
	struct usb_gadgetfs_event events[5];
	size_t i, count;
	ssize_t n;

	while (!atomic_load(&e->stop)) {
		n = read(e->fd, events, sizeof(events));
		if (n < 0) {
			int err = -errno;

			/* EIDRM: the host gave up on a request. */
			if (err == -EINTR || err == -EIDRM)
				continue;
			pawsim_msg("ep0: reading events failed: %s",
				   strerror(-err));
			return err;
		}
		count = (size_t)n / sizeof(events[0]);
		for (i = 0; i < count; i++) {
			switch (events[i].type) {
			case GADGETFS_CONNECT:
				pawsim_msg("host connected at %s",
					   speed_name(events[i].u.speed));
				break;
			case GADGETFS_DISCONNECT:
				e->far->ops->disconnect(e->far);
				pawsim_msg("host disconnected");
				break;
			case GADGETFS_SETUP:
				if (!standard_request(g, e, &events[i].u.setup))
					dongle_ep0_setup(e,
							 &events[i].u.setup);
				break;
			case GADGETFS_SUSPEND:
			case GADGETFS_NOP:
			default:
				break;
			}
		}
	}
	return 0;
}
