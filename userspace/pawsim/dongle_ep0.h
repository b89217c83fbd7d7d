/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pawsim dongle: ep0 of the FunctionFS function.  Reads FunctionFS events,
 * answers the pawlink vendor requests (Documentation/usb-interface.rst,
 * "Vendor requests"), stalls everything else, and starts and stops the
 * bulk relay as the host enables and disables the interface.
 */
#ifndef PAWSIM_DONGLE_EP0_H
#define PAWSIM_DONGLE_EP0_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <pawlink.h>

#include "dongle_far.h"
#include "dongle_gadget.h"
#include "dongle_relay.h"

/* GET_INFO's fw_version: pawsim dongle 1.0. */
#define DONGLE_FW_VERSION	0x0100

struct dongle_ep0 {
	int fd;
	struct dongle_far *far;
	struct dongle_relay *relay;
	const struct dongle_gadget *gadget;	/* for the speed, in messages */
	uint8_t dongle_id[PAWLINK_ID_LEN];
	bool verbose;
	atomic_bool stop;
};

/*
 * Handles ep0 until e->stop is set (then interrupt the thread, see
 * dongle_thread.h) or ep0 fails.  Leaves the relay stopped.
 * Returns 0 when stopped, -errno when ep0 failed.
 */
int dongle_ep0_run(struct dongle_ep0 *e);

#endif /* PAWSIM_DONGLE_EP0_H */
