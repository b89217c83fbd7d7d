/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pawsim dongle: the zero-maxpacket dongle, on legacy gadgetfs.
 *
 * Through FunctionFS a zero wMaxPacketSize never reaches an interface
 * driver: SET_CONFIGURATION makes the UDC core enable every endpoint, and
 * usb_ep_enable() refuses maxpacket 0 (with a kernel WARNING), so the host
 * is left with an unconfigured device.  gadgetfs lets user space answer
 * SET_CONFIGURATION and enable endpoints itself, so this dongle acks the
 * configuration, enables none of its endpoints, and the host's driver gets
 * to probe the interface with the zero in it.  Documentation/
 * usb-interface.rst, "zero-maxpacket", says what the host sees.
 *
 * gadgetfs has no SuperSpeed and one instance per system, and it takes the
 * first UDC that no gadget uses when it is mounted.
 */
#ifndef PAWSIM_DONGLE_GADGETFS_H
#define PAWSIM_DONGLE_GADGETFS_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/pawlink.h>

#include "dongle_ep0.h"
#include "dongle_fault.h"

struct dongle_gadgetfs {
	char dir[64];			/* mount point */
	char udc[64];			/* the UDC gadgetfs took */
	int ep0_fd;			/* the UDC's file: ep0 and the device */
	bool mounted;
	char serial[2 * PAWLINK_ID_LEN + 1];
};

/* Fills in the paths for gadget @name; creates nothing. */
void dongle_gadgetfs_init(struct dongle_gadgetfs *g, const char *name,
			  const uint8_t id[PAWLINK_ID_LEN]);

/*
 * Mounts gadgetfs and writes the descriptors of @mode, which binds the
 * gadget to the UDC (which must be @udc, if not NULL).  On failure, call
 * dongle_gadgetfs_down() for what was done.  Returns 0 or -errno.
 */
int dongle_gadgetfs_up(struct dongle_gadgetfs *g, enum dongle_fault_mode mode,
		       const char *udc);

/* Unbinds (by closing ep0) and unmounts.  Safe on a partial setup. */
void dongle_gadgetfs_down(struct dongle_gadgetfs *g);

/*
 * The ep0 loop for gadgetfs: standard requests gadgetfs leaves to user
 * space (strings, SET_CONFIGURATION, SET_INTERFACE), then the shared
 * vendor requests.  Same contract as dongle_ep0_run().
 */
int dongle_gadgetfs_run(struct dongle_gadgetfs *g, struct dongle_ep0 *e);

#endif /* PAWSIM_DONGLE_GADGETFS_H */
