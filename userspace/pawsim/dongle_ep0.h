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
#include <stddef.h>
#include <stdint.h>

#include <linux/usb/ch9.h>

#include <linux/pawlink.h>

#include "dongle_far.h"
#include "dongle_fault.h"
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
	/*
	 * FunctionFS holds an OUT data stage until we read it, so we can
	 * still stall; gadgetfs has read it already, so we cannot.
	 */
	bool can_stall_out_data;
	enum dongle_fault_mode fault;		/* only the EP0 faults matter */
	atomic_bool stop;
};

/*
 * Answers one control request: a pawlink vendor request, or a stall.
 * Shared by the FunctionFS loop below and the gadgetfs one.
 */
void dongle_ep0_setup(struct dongle_ep0 *e, const struct usb_ctrlrequest *s);

/* Stalls the request being handled (I/O in the wrong direction). */
void dongle_ep0_stall(struct dongle_ep0 *e, const char *name, bool in,
		      uint16_t length);

/* Data stage of an IN request; the kernel ends a short one for us. */
void dongle_ep0_reply(struct dongle_ep0 *e, const char *name,
		      const void *buf, size_t len);

/* Status stage of an OUT request without data. */
void dongle_ep0_ack(struct dongle_ep0 *e, const char *name);

/*
 * Handles ep0 until e->stop is set (then interrupt the thread, see
 * dongle_thread.h) or ep0 fails.  Leaves the relay stopped.
 * Returns 0 when stopped, -errno when ep0 failed.
 */
int dongle_ep0_run(struct dongle_ep0 *e);

#endif /* PAWSIM_DONGLE_EP0_H */
