/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The dongle as a USB device, for the power and reset tests (pawlink_pm.c,
 * storm.c): its device directory in sysfs, its power/ attributes, its
 * usbfs node for USBDEVFS_RESET.
 */
#ifndef PAWLINK_KTEST_USB_DEV_H
#define PAWLINK_KTEST_USB_DEV_H

#include <libgen.h>
#include <linux/usbdevice_fs.h>
#include <sys/sysmacros.h>

#include "common.h"

/* The USB device directory above the interface directory @intf. */
static inline int usb_dev_dir(const struct dongle *d, char *out, size_t len)
{
	char tmp[256];

	if (!str_fmt(tmp, sizeof(tmp), "%s", d->intf))
		return -ENAMETOOLONG;
	return str_fmt(out, len, "%s", dirname(tmp)) ? 0 : -ENAMETOOLONG;
}

/* Writes @value to @dir/@name; 0 or -errno. */
static inline int write_attr(const char *dir, const char *name,
			     const char *value)
{
	char path[512];
	ssize_t n;
	int fd;

	if (!str_fmt(path, sizeof(path), "%s/%s", dir, name))
		return -ENAMETOOLONG;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, value, strlen(value));
	close(fd);
	return n < 0 ? -errno : 0;
}

/* Waits until @dir/power/runtime_status reads @want; 0 or -ETIMEDOUT. */
static inline int runtime_status_wait(const char *dir, const char *want)
{
	long end = now_ms() + WAIT_MS;
	char path[512], buf[32];

	if (!str_fmt(path, sizeof(path), "%s/power/runtime_status", dir))
		return -ENAMETOOLONG;
	do {
		if (!read_text(path, buf, sizeof(buf)) && !strcmp(buf, want))
			return 0;
		sleep_ms(POLL_STEP_MS);
	} while (now_ms() < end);
	return -ETIMEDOUT;
}

/* Opens the usbfs node of the dongle's USB device, made if need be. */
static inline int usbfs_open(const char *dir)
{
	char path[512], buf[16];
	int bus, devnum;

	if (!str_fmt(path, sizeof(path), "%s/busnum", dir) ||
	    read_text(path, buf, sizeof(buf)))
		return -ENOENT;
	bus = atoi(buf);
	if (!str_fmt(path, sizeof(path), "%s/devnum", dir) ||
	    read_text(path, buf, sizeof(buf)))
		return -ENOENT;
	devnum = atoi(buf);
	str_fmt(path, sizeof(path), "/dev/bus/usb/%03d/%03d", bus, devnum);
	if (access(path, F_OK)) {
		/* usb_device nodes: major 189, minor (bus - 1) * 128 + dev - 1 */
		str_fmt(path, sizeof(path), "/tmp/usbdev-%d-%d", bus, devnum);
		unlink(path);
		if (mknod(path, S_IFCHR | 0600,
			  makedev(189, (bus - 1) * 128 + devnum - 1)))
			return -errno;
	}
	return open(path, O_RDWR | O_CLOEXEC);
}

#endif /* PAWLINK_KTEST_USB_DEV_H */
