// SPDX-License-Identifier: GPL-2.0
/*
 * pawsim dongle: configfs gadget, functionfs mount and UDC binding.
 * Documentation/usb/gadget_configfs.rst gives the order of the steps; the
 * removal undoes them in reverse and tolerates parts already gone, so the
 * same code cleans up after a failed start and after a vanished dongle.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/pawlink.h>

#include "dongle_descs.h"
#include "dongle_gadget.h"
#include "pawsim.h"

#define CONFIGFS_DIR	"/sys/kernel/config"
#define GADGET_ROOT	CONFIGFS_DIR "/usb_gadget"
#define UDC_CLASS	"/sys/class/udc"
#define FFS_PREFIX	"/dev/ffs-"
#define LOCK_PREFIX	"/run/pawsim-dongle-"

#define STR_LANG	"strings/0x409"
#define CONFIG		"configs/c.1"
#define CONFIG_STRINGS	CONFIG "/strings/0x409"


bool dongle_gadget_name_ok(const char *name)
{
	size_t i, len = strlen(name);

	if (!len || len > DONGLE_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

void dongle_gadget_init(struct dongle_gadget *g, const char *name)
{
	memset(g, 0, sizeof(*g));
	snprintf(g->name, sizeof(g->name), "%s", name);
	snprintf(g->dir, sizeof(g->dir), GADGET_ROOT "/%s", g->name);
	snprintf(g->ffs_dir, sizeof(g->ffs_dir), FFS_PREFIX "%s", g->name);
	g->lock_fd = -1;
}

/* ---- small file helpers ---------------------------------------------------- */

static int write_file(const char *path, const char *value)
{
	size_t len = strlen(value);
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, value, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	close(fd);
	return err;
}

/* Reads one line; strips the newline.  Returns 0 or -errno. */
static int read_file(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	buf[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static void gadget_path(const struct dongle_gadget *g, const char *rel,
			char *out, size_t len)
{
	snprintf(out, len, "%s/%s", g->dir, rel);
}

static int gadget_mkdir(const struct dongle_gadget *g, const char *rel)
{
	char path[PATH_MAX];

	gadget_path(g, rel, path, sizeof(path));
	if (mkdir(path, 0755) && errno != EEXIST) {
		int err = -errno;

		pawsim_msg("cannot create %s: %s", path, strerror(-err));
		return err;
	}
	return 0;
}

static int gadget_write(const struct dongle_gadget *g, const char *rel,
			const char *value)
{
	char path[PATH_MAX];
	int err;

	gadget_path(g, rel, path, sizeof(path));
	err = write_file(path, value);
	if (err)
		pawsim_msg("cannot write %s: %s", path, strerror(-err));
	return err;
}

/* ---- creation -------------------------------------------------------------- */

int dongle_gadget_claim(struct dongle_gadget *g)
{
	char path[PATH_MAX];
	int err;

	snprintf(path, sizeof(path), LOCK_PREFIX "%s.lock", g->name);
	/* Never unlinked: removing a held lock file would let two in. */
	g->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (g->lock_fd < 0) {
		err = -errno;
		pawsim_msg("cannot open %s: %s", path, strerror(-err));
		return err;
	}
	if (flock(g->lock_fd, LOCK_EX | LOCK_NB)) {
		err = -errno;
		if (err == -EWOULDBLOCK)
			pawsim_msg("a dongle named %s is already running",
				   g->name);
		else
			pawsim_msg("cannot lock %s: %s", path, strerror(-err));
		close(g->lock_fd);
		g->lock_fd = -1;
		return err;
	}
	if (!access(g->dir, F_OK))
		pawsim_msg("removing gadget %s, left behind by a dongle that "
			   "did not clean up", g->name);
	/* Also a functionfs mount that outlived its gadget. */
	return dongle_gadget_cleanup(g);
}

static int ensure_configfs(void)
{
	if (!access(GADGET_ROOT, F_OK))
		return 0;
	if (mount("none", CONFIGFS_DIR, "configfs", 0, NULL) &&
	    errno != EBUSY) {
		int err = -errno;

		pawsim_msg("cannot mount configfs on %s: %s%s", CONFIGFS_DIR,
			   strerror(-err), err == -ENOENT ?
			   " (a kernel without configfs?)" : "");
		return err;
	}
	if (!access(GADGET_ROOT, F_OK))
		return 0;
	pawsim_msg("%s is missing; is libcomposite loaded?", GADGET_ROOT);
	return -ENOENT;
}

int dongle_gadget_create(struct dongle_gadget *g, const char *serial)
{
	char function[PATH_MAX], link[PATH_MAX], rel[64];
	char vid[8], pid[8], bcd[8], power[8];
	int err;

	err = ensure_configfs();
	if (err)
		return err;

	if (mkdir(g->dir, 0755)) {
		err = -errno;
		if (err == -EEXIST)
			pawsim_msg("gadget %s already exists and is not a "
				   "pawsim dongle's", g->name);
		else
			pawsim_msg("cannot create %s: %s", g->dir,
				   strerror(-err));
		return err;
	}
	g->created = true;

	snprintf(vid, sizeof(vid), "0x%04x", PAWLINK_USB_VID);
	snprintf(pid, sizeof(pid), "0x%04x", PAWLINK_USB_PID);
	snprintf(bcd, sizeof(bcd), "0x%04x", DONGLE_BCD_DEVICE);
	snprintf(power, sizeof(power), "%d", DONGLE_MAX_POWER_MA);
	if ((err = gadget_write(g, "idVendor", vid)) ||
	    (err = gadget_write(g, "idProduct", pid)) ||
	    (err = gadget_write(g, "bcdDevice", bcd)) ||
	    (err = gadget_mkdir(g, STR_LANG)) ||
	    (err = gadget_write(g, STR_LANG "/manufacturer",
				DONGLE_MANUFACTURER)) ||
	    (err = gadget_write(g, STR_LANG "/product", DONGLE_PRODUCT)) ||
	    (err = gadget_write(g, STR_LANG "/serialnumber", serial)) ||
	    (err = gadget_mkdir(g, CONFIG)) ||
	    (err = gadget_write(g, CONFIG "/MaxPower", power)) ||
	    (err = gadget_mkdir(g, CONFIG_STRINGS)) ||
	    (err = gadget_write(g, CONFIG_STRINGS "/configuration",
				"pawlink")))
		return err;

	/* Creating the function loads usb_f_fs on demand. */
	snprintf(rel, sizeof(rel), "functions/ffs.%s", g->name);
	gadget_path(g, rel, function, sizeof(function));
	if (mkdir(function, 0755)) {
		err = -errno;
		pawsim_msg("cannot create function %s: %s; is usb_f_fs "
			   "available?", function, strerror(-err));
		return err;
	}
	snprintf(rel, sizeof(rel), CONFIG "/ffs.%s", g->name);
	gadget_path(g, rel, link, sizeof(link));
	if (symlink(function, link)) {
		err = -errno;
		pawsim_msg("cannot add %s to the configuration: %s", function,
			   strerror(-err));
		return err;
	}
	return 0;
}

int dongle_gadget_mount_ffs(struct dongle_gadget *g)
{
	int err;

	if (mkdir(g->ffs_dir, 0755) && errno != EEXIST) {
		err = -errno;
		pawsim_msg("cannot create %s: %s", g->ffs_dir, strerror(-err));
		return err;
	}
	/* The mount source names the function instance: ffs.<name>. */
	if (mount(g->name, g->ffs_dir, "functionfs",
		  MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)) {
		err = -errno;
		pawsim_msg("cannot mount functionfs %s on %s: %s", g->name,
			   g->ffs_dir, strerror(-err));
		rmdir(g->ffs_dir);
		return err;
	}
	g->ffs_mounted = true;
	return 0;
}

void dongle_gadget_unmount_ffs(struct dongle_gadget *g)
{
	if (!g->ffs_mounted)
		return;
	if (umount(g->ffs_dir)) {
		pawsim_msg("cannot unmount %s: %s", g->ffs_dir,
			   strerror(errno));
		return;
	}
	g->ffs_mounted = false;
	if (rmdir(g->ffs_dir) && errno != ENOENT)
		pawsim_msg("cannot remove %s: %s", g->ffs_dir, strerror(errno));
}

/* ---- binding --------------------------------------------------------------- */

static int udc_filter(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

void dongle_udc_function(const char *udc, char *out, size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), UDC_CLASS "/%s/function", udc);
	if (read_file(path, out, len))
		out[0] = '\0';		/* no such attribute: take it as free */
}

/* True when a gadget is bound to @udc already. */
static bool udc_busy(const char *udc)
{
	char function[128];

	dongle_udc_function(udc, function, sizeof(function));
	return function[0] != '\0';
}

/* Lists /sys/class/udc in the kernel's order; returns the count or 0. */
static int list_udcs(struct dirent ***list)
{
	/* versionsort: dummy_udc.2 before dummy_udc.10, as registered. */
	int n = scandir(UDC_CLASS, list, udc_filter, versionsort);

	return n < 0 ? 0 : n;
}

static void free_udcs(struct dirent **list, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(list[i]);
	if (n > 0)
		free(list);
}

int dongle_udc_first_free(char *out, size_t len)
{
	struct dirent **list;
	int i, n, err = -ENODEV;

	n = list_udcs(&list);
	for (i = 0; i < n && err; i++) {
		if (!udc_busy(list[i]->d_name) &&
		    strlen(list[i]->d_name) < len) {
			memcpy(out, list[i]->d_name,
			       strlen(list[i]->d_name) + 1);
			err = 0;
		}
	}
	free_udcs(list, n);
	return err;
}

static int bind_to(struct dongle_gadget *g, const char *udc)
{
	char path[PATH_MAX];
	int err;

	if (strlen(udc) >= sizeof(g->udc) || strchr(udc, '/'))
		return -EINVAL;
	gadget_path(g, "UDC", path, sizeof(path));
	err = write_file(path, udc);
	if (!err) {
		snprintf(g->udc, sizeof(g->udc), "%s", udc);
		g->bound = true;
	}
	return err;
}

static int bind_first_free(struct dongle_gadget *g)
{
	struct dirent **list;
	int i, n, err;
	bool bound = false;

	n = list_udcs(&list);
	for (i = 0; i < n && !bound; i++) {
		if (udc_busy(list[i]->d_name))
			continue;
		err = bind_to(g, list[i]->d_name);
		/* Another gadget may have taken it since we looked. */
		bound = !err;
		if (err && err != -EBUSY)
			pawsim_msg("cannot bind to %s: %s", list[i]->d_name,
				   strerror(-err));
	}
	free_udcs(list, n);
	if (!bound) {
		pawsim_msg("no free UDC in " UDC_CLASS "; is dummy_hcd loaded?");
		return -ENODEV;
	}
	return 0;
}

int dongle_gadget_bind(struct dongle_gadget *g, const char *udc)
{
	int err;

	if (!udc)
		return bind_first_free(g);
	err = bind_to(g, udc);
	if (err == -ENODEV || err == -ENOENT || err == -EINVAL)
		pawsim_msg("no UDC named '%s' in " UDC_CLASS, udc);
	else if (err == -EBUSY)
		pawsim_msg("UDC %s is in use by another gadget", udc);
	else if (err)
		pawsim_msg("cannot bind to %s: %s", udc, strerror(-err));
	return err;
}

int dongle_gadget_pull_plug(const struct dongle_gadget *g)
{
	char path[PATH_MAX];
	int err;

	gadget_path(g, "UDC", path, sizeof(path));
	err = write_file(path, "\n");
	/* ENODEV: not bound (any more). */
	if (err && err != -ENODEV) {
		pawsim_msg("cannot unbind from %s: %s", g->udc, strerror(-err));
		return err;
	}
	return 0;
}

int dongle_gadget_unbind(struct dongle_gadget *g)
{
	int err;

	if (!g->bound)
		return 0;
	err = dongle_gadget_pull_plug(g);
	if (err)
		return err;
	g->bound = false;
	return 0;
}

void dongle_gadget_speed(const struct dongle_gadget *g, char *out, size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), UDC_CLASS "/%s/current_speed", g->udc);
	if (!g->udc[0] || read_file(path, out, len))
		snprintf(out, len, "unknown");
}

/* ---- removal --------------------------------------------------------------- */

static void remove_one(const struct dongle_gadget *g, const char *rel,
		       bool is_link)
{
	char path[PATH_MAX];
	int ret;

	gadget_path(g, rel, path, sizeof(path));
	ret = is_link ? unlink(path) : rmdir(path);
	if (ret && errno != ENOENT)
		pawsim_msg("cannot remove %s: %s", path, strerror(errno));
}

void dongle_gadget_remove(struct dongle_gadget *g)
{
	char rel[64];

	if (!g->created)
		return;
	snprintf(rel, sizeof(rel), CONFIG "/ffs.%s", g->name);
	remove_one(g, rel, true);
	remove_one(g, CONFIG_STRINGS, false);
	remove_one(g, CONFIG, false);
	snprintf(rel, sizeof(rel), "functions/ffs.%s", g->name);
	remove_one(g, rel, false);
	remove_one(g, STR_LANG, false);
	if (rmdir(g->dir) && errno != ENOENT) {
		pawsim_msg("cannot remove %s: %s", g->dir, strerror(errno));
		return;
	}
	g->created = false;
}

int dongle_gadget_cleanup(struct dongle_gadget *g)
{
	char path[PATH_MAX];
	int err;

	gadget_path(g, "UDC", path, sizeof(path));
	if (!read_file(path, g->udc, sizeof(g->udc)) && g->udc[0]) {
		g->bound = true;
		err = dongle_gadget_unbind(g);
		if (err)
			return err;
	}
	if (umount(g->ffs_dir) && errno != EINVAL && errno != ENOENT) {
		err = -errno;
		pawsim_msg("cannot unmount %s: %s%s", g->ffs_dir,
			   strerror(-err), err == -EBUSY ?
			   " (a dongle is still running with this name?)" : "");
		return err;
	}
	if (rmdir(g->ffs_dir) && errno != ENOENT)
		pawsim_msg("cannot remove %s: %s", g->ffs_dir, strerror(errno));
	if (access(g->dir, F_OK))
		return 0;
	g->created = true;
	dongle_gadget_remove(g);
	return g->created ? -EBUSY : 0;
}
