/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pawsim dongle: the FunctionFS descriptor and string blocks written to ep0.
 * The layout is Documentation/usb-interface.rst, "Descriptors".
 */
#ifndef PAWSIM_DONGLE_DESCS_H
#define PAWSIM_DONGLE_DESCS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "dongle_fault.h"

/* Bulk wMaxPacketSize at full, high and super speed. */
#define DONGLE_MAXP_FS		64
#define DONGLE_MAXP_HS		512
#define DONGLE_MAXP_SS		1024

/* Big enough for either block in every mode. */
#define DONGLE_DESCS_MAX	256

/* The strings the host reads (the serial number is the dongle id). */
#define DONGLE_MANUFACTURER	"pawlink"
#define DONGLE_PRODUCT		"pawlink radio dongle"
#define DONGLE_INTERFACE_STRING	"pawlink radio dongle"

#define DONGLE_BCD_DEVICE	0x0100	/* pawsim dongle 1.0 */
#define DONGLE_MAX_POWER_MA	100

/* How many endpoints the interface declares in @mode (4, or 3). */
unsigned int dongle_descs_num_eps(enum dongle_fault_mode mode);

/*
 * Builds the FUNCTIONFS_DESCRIPTORS_MAGIC_V2 block (full, high and super
 * speed) for @mode into @out.  Returns its length, or -ENOSPC.
 */
ssize_t dongle_descs_build(enum dongle_fault_mode mode, uint8_t *out,
			   size_t cap);

/* Builds the FUNCTIONFS_STRINGS_MAGIC block.  Returns its length or -ENOSPC. */
ssize_t dongle_strings_build(uint8_t *out, size_t cap);

/*
 * For gadgetfs (dongle_gadgetfs.c), which takes whole descriptors: tag 0,
 * the full-speed and high-speed configuration descriptors (with interface
 * and endpoints) and the device descriptor.  String indices: 1
 * manufacturer, 2 product, 3 serial number, 4 interface.  Returns the
 * length, or -ENOSPC.
 */
#define DONGLE_STR_MANUFACTURER	1
#define DONGLE_STR_PRODUCT	2
#define DONGLE_STR_SERIAL	3
#define DONGLE_STR_INTERFACE	4
ssize_t dongle_gadgetfs_descs_build(enum dongle_fault_mode mode, uint8_t *out,
				    size_t cap);

#endif /* PAWSIM_DONGLE_DESCS_H */
