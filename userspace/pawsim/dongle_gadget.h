/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pawsim dongle: the USB gadget around the FunctionFS function, built in
 * configfs, its functionfs mount, and its binding to a UDC.
 *
 *   /sys/kernel/config/usb_gadget/<name>/       idVendor, strings, ...
 *       configs/c.1/ffs.<name> -> functions/ffs.<name>
 *   /dev/ffs-<name>/                            ep0, ep1 .. ep4
 *
 * Every function prints what went wrong (pawsim_msg) and returns -errno.
 */
#ifndef PAWSIM_DONGLE_GADGET_H
#define PAWSIM_DONGLE_GADGET_H

#include <stdbool.h>
#include <stddef.h>

#define DONGLE_NAME_MAX		32	/* [A-Za-z0-9_-], FunctionFS allows 40 */
#define DONGLE_UDC_MAX		64

struct dongle_gadget {
	char name[DONGLE_NAME_MAX + 1];
	char dir[96];			/* configfs gadget directory */
	char ffs_dir[64];		/* where functionfs is mounted */
	/* The UDC once bound; never changed afterwards, as ep0 reads it. */
	char udc[DONGLE_UDC_MAX];
	bool bound;
	bool created;			/* dir exists and is ours */
	bool ffs_mounted;
	int lock_fd;			/* holds the name's lock, or -1 */
};

/* True when @name is a usable gadget name. */
bool dongle_gadget_name_ok(const char *name);

/* Fills in the paths for @name; creates nothing. */
void dongle_gadget_init(struct dongle_gadget *g, const char *name);

/*
 * Takes the lock on @g's name (a flock on /run/pawsim-dongle-<name>.lock,
 * held until the process exits), so two dongles never share a name.  A
 * gadget of that name that exists anyway was left by a dongle that died
 * without cleaning up (the vanish fault, SIGKILL): it is removed.
 */
int dongle_gadget_claim(struct dongle_gadget *g);

/*
 * Creates the gadget (mounting configfs if needed): VID:PID, bcdDevice,
 * strings with @serial, one configuration holding function ffs.<name>.
 * On failure whatever was made is left for dongle_gadget_remove().
 */
int dongle_gadget_create(struct dongle_gadget *g, const char *serial);

/* Mounts the function's functionfs at g->ffs_dir. */
int dongle_gadget_mount_ffs(struct dongle_gadget *g);

/*
 * Binds to @udc, or with NULL to the first UDC in /sys/class/udc that no
 * gadget uses.  The descriptors must already be on ep0.
 */
int dongle_gadget_bind(struct dongle_gadget *g, const char *udc);

/* Unbinds from the UDC (the host sees a disconnect).  No-op if unbound. */
int dongle_gadget_unbind(struct dongle_gadget *g);

/*
 * The vanish fault's unbind: the same write to UDC, but it changes nothing
 * in @g, so another thread may call it while the owner is running.
 */
int dongle_gadget_pull_plug(const struct dongle_gadget *g);

/* Unmounts functionfs; every file in it must be closed. */
void dongle_gadget_unmount_ffs(struct dongle_gadget *g);

/* Removes the configfs gadget, tolerating parts that are already gone. */
void dongle_gadget_remove(struct dongle_gadget *g);

/*
 * --cleanup: unbinds, unmounts and removes a gadget of this name left
 * behind by a dongle that did not clean up (the vanish fault).  Returns 0
 * when nothing is left, also when there was nothing to do.  Call with the
 * name claimed.
 */
int dongle_gadget_cleanup(struct dongle_gadget *g);

/*
 * The first UDC in /sys/class/udc (in the kernel's order) that no gadget
 * uses, into @out.  Returns 0 or -ENODEV.
 */
int dongle_udc_first_free(char *out, size_t len);

/* The gadget driver bound to @udc ("" if none), into @out. */
void dongle_udc_function(const char *udc, char *out, size_t len);

/* The bus speed the UDC runs at ("high-speed", ...), or "unknown". */
void dongle_gadget_speed(const struct dongle_gadget *g, char *out, size_t len);

#endif /* PAWSIM_DONGLE_GADGET_H */
