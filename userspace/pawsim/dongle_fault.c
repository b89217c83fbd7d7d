// SPDX-License-Identifier: GPL-2.0
/*
 * pawsim dongle: the transfer faults (what is done to records on their way
 * to the host) and the bookkeeping of the one-shot ones.  The descriptor
 * faults live where the descriptors are built (dongle_descs.c).
 */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "dongle_fault.h"

static const char *const fault_names[] = {
	[DONGLE_FAULT_NONE] = "none",
	[DONGLE_FAULT_MISSING_EP] = "missing-ep",
	[DONGLE_FAULT_WRONG_TYPE] = "wrong-type",
	[DONGLE_FAULT_ZERO_MAXPACKET] = "zero-maxpacket",
	[DONGLE_FAULT_TRUNCATED] = "truncated",
	[DONGLE_FAULT_OVERSIZED] = "oversized",
	[DONGLE_FAULT_STALL] = "stall",
	[DONGLE_FAULT_VANISH] = "vanish",
	[DONGLE_FAULT_NO_INFO] = "no-info",
	[DONGLE_FAULT_BAD_INFO] = "bad-info",
	[DONGLE_FAULT_SMALL_RECORD] = "small-record",
	[DONGLE_FAULT_BIG_RECORD] = "big-record",
	[DONGLE_FAULT_RESERVED_INFO] = "reserved-info",
	[DONGLE_FAULT_RESERVED_BEACON] = "reserved-beacon",
};

#define NUM_FAULTS (sizeof(fault_names) / sizeof(fault_names[0]))

int dongle_fault_parse(const char *name, enum dongle_fault_mode *mode)
{
	size_t i;

	for (i = 0; i < NUM_FAULTS; i++) {
		if (!strcmp(name, fault_names[i])) {
			*mode = (enum dongle_fault_mode)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *dongle_fault_name(enum dongle_fault_mode mode)
{
	if ((size_t)mode >= NUM_FAULTS)
		return "?";
	return fault_names[mode];
}

const char *dongle_fault_names(void)
{
	return "missing-ep, wrong-type, zero-maxpacket, truncated, oversized, "
	       "stall, vanish, no-info, bad-info, small-record, big-record, "
	       "reserved-info, reserved-beacon";
}

/* The largest body a well-formed record can carry. */
#define BODY_MAX (PAWLINK_FRAME_MAX + PAWLINK_TAG_LEN)

size_t dongle_fault_to_host(const struct dongle_fault *fault, uint64_t seq,
			    const uint8_t *rec, size_t len, uint8_t *out,
			    size_t cap)
{
	struct pawlink_rec_hdr hdr;
	size_t body = len - PAWLINK_REC_HDR_LEN;

	if (len > cap)
		len = cap;
	memcpy(out, rec, len);
	if (!(seq & 1) || len < PAWLINK_REC_HDR_LEN)
		return len;

	switch (fault->mode) {
	case DONGLE_FAULT_TRUNCATED:
		/*
		 * Claim the largest legal body, so a host that only checks
		 * the upper bound still reads past what it was sent.
		 */
		memcpy(&hdr, out, sizeof(hdr));
		hdr.len = htole16(body < BODY_MAX ? BODY_MAX : 0xffff);
		memcpy(out, &hdr, sizeof(hdr));
		return len;
	case DONGLE_FAULT_OVERSIZED:
		if (cap < DONGLE_FAULT_OVERSIZED_LEN)
			return len;
		/* Self-consistent framing: only the size is wrong. */
		memset(out + len, 0, DONGLE_FAULT_OVERSIZED_LEN - len);
		memcpy(&hdr, out, sizeof(hdr));
		hdr.len = htole16(DONGLE_FAULT_OVERSIZED_LEN -
				  PAWLINK_REC_HDR_LEN);
		memcpy(out, &hdr, sizeof(hdr));
		return DONGLE_FAULT_OVERSIZED_LEN;
	default:
		return len;
	}
}

bool dongle_fault_stall_now(struct dongle_fault *fault)
{
	bool expected = false;

	if (fault->mode != DONGLE_FAULT_STALL)
		return false;
	return atomic_compare_exchange_strong(&fault->stall_done, &expected,
					      true);
}

bool dongle_fault_vanish_now(const struct dongle_fault *fault,
			     unsigned long count)
{
	return fault->mode == DONGLE_FAULT_VANISH &&
	       count == fault->vanish_after;
}
