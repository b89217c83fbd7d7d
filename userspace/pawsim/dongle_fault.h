/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pawsim dongle: misbehaving modes for the driver's robustness tests.
 * Documentation/usb-interface.rst ("Misbehaving dongles") says what the
 * host sees in each mode.
 */
#ifndef PAWSIM_DONGLE_FAULT_H
#define PAWSIM_DONGLE_FAULT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/pawlink.h>

enum dongle_fault_mode {
	DONGLE_FAULT_NONE,
	/* Descriptor faults: the interface the host enumerates is wrong. */
	DONGLE_FAULT_MISSING_EP,	/* only three endpoints */
	DONGLE_FAULT_WRONG_TYPE,	/* audio IN is interrupt, not bulk */
	DONGLE_FAULT_ZERO_MAXPACKET,	/* audio IN has wMaxPacketSize 0 */
	/* Transfer faults: the interface is right, the traffic is not. */
	DONGLE_FAULT_TRUNCATED,		/* header len > bytes in the transfer */
	DONGLE_FAULT_OVERSIZED,		/* transfer > PAWLINK_RECORD_MAX */
	DONGLE_FAULT_STALL,		/* halt control IN once */
	DONGLE_FAULT_VANISH,		/* unbind mid-transfer and exit */
	/* EP0 faults: the interface is right, GET_INFO is not. */
	DONGLE_FAULT_NO_INFO,		/* GET_INFO stalls */
	DONGLE_FAULT_BAD_INFO,		/* GET_INFO names another protocol */
	DONGLE_FAULT_SMALL_RECORD,	/* GET_INFO max_record below the need */
	DONGLE_FAULT_BIG_RECORD,	/* GET_INFO max_record above the limit */
	DONGLE_FAULT_RESERVED_INFO,	/* GET_INFO reserved bytes not zero */
	DONGLE_FAULT_RESERVED_BEACON,	/* SCAN beacons' reserved not zero */
};

struct dongle_fault {
	enum dongle_fault_mode mode;
	unsigned long vanish_after;	/* DONGLE_FAULT_VANISH: records */
	atomic_bool stall_done;		/* DONGLE_FAULT_STALL: fired once */
};

/* Length of an oversized record: one byte over the limit. */
#define DONGLE_FAULT_OVERSIZED_LEN	(PAWLINK_RECORD_MAX + 1)

/* Parses a --fault name; returns 0 or -EINVAL. */
int dongle_fault_parse(const char *name, enum dongle_fault_mode *mode);

/* The --fault name of @mode ("none" for DONGLE_FAULT_NONE). */
const char *dongle_fault_name(enum dongle_fault_mode mode);

/* Every --fault name, comma separated, for --help and error messages. */
const char *dongle_fault_names(void);

/*
 * Applies a transfer fault to a record on its way to the host.  @seq is the
 * record's 1-based number on its IN endpoint (events not counted); the odd
 * ones are damaged, the even ones pass, so a test sees a bad record followed
 * by a good one.  Copies @rec (@len bytes, a well-framed record) into @out
 * (@cap bytes, at least DONGLE_FAULT_OVERSIZED_LEN) and returns the length
 * of the transfer to send.
 */
size_t dongle_fault_to_host(const struct dongle_fault *fault, uint64_t seq,
			    const uint8_t *rec, size_t len, uint8_t *out,
			    size_t cap);

/*
 * DONGLE_FAULT_STALL: true exactly once, for the first relayed record
 * written to control IN.  Safe from any thread.
 */
bool dongle_fault_stall_now(struct dongle_fault *fault);

/* DONGLE_FAULT_VANISH: true when the @count-th received record arrives. */
bool dongle_fault_vanish_now(const struct dongle_fault *fault,
			     unsigned long count);

#endif /* PAWSIM_DONGLE_FAULT_H */
