// SPDX-License-Identifier: GPL-2.0
/*
 * pawsim dongle: the transfer faults (what is done to records on their way
 * to the host) and the bookkeeping of the one-shot ones.  The descriptor
 * faults live where the descriptors are built (dongle_descs.c).
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <pawlink/pairing.h>

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
	/* The dongle as the attacker. */
	[DONGLE_FAULT_LOG] = "log",
	[DONGLE_FAULT_FLIP] = "flip",
	[DONGLE_FAULT_CUT] = "cut",
	[DONGLE_FAULT_REPLAY] = "replay",
	[DONGLE_FAULT_REORDER] = "reorder",
	[DONGLE_FAULT_INJECT_PLAIN] = "inject-plain",
	[DONGLE_FAULT_EPOCH] = "epoch",
	[DONGLE_FAULT_FLIP_TO_TOY] = "flip-to-toy",
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
	       "reserved-info, reserved-beacon, "
	       /* The dongle as the attacker. */
	       "log=FILE, flip, cut, replay, reorder, inject-plain, epoch, "
	       "flip-to-toy";
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

/* ---- the dongle as the attacker ------------------------------------------
 *
 * A dongle relays records it cannot open: these modes show that whatever it
 * does with them, the host (and the toy) drop what it made and count it,
 * and the session goes on.  Only sealed control records are touched (the
 * pairing before them is plaintext, and the test checks its own way that
 * it gives nothing away), each mode once per dongle.
 */

int dongle_attack_log_open(struct dongle_fault *fault, const char *path)
{
	fault->log_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND |
				   O_CLOEXEC, 0600);
	return fault->log_fd < 0 ? -errno : 0;
}

void dongle_attack_log_close(struct dongle_fault *fault)
{
	if (fault->log_fd >= 0)
		close(fault->log_fd);
	fault->log_fd = -1;
}

void dongle_attack_log(struct dongle_fault *fault, enum dongle_log_dir dir,
		       const uint8_t *rec, size_t len)
{
	uint8_t buf[3 + DONGLE_FAULT_OVERSIZED_LEN];

	if (fault->mode != DONGLE_FAULT_LOG || fault->log_fd < 0)
		return;
	if (len > DONGLE_FAULT_OVERSIZED_LEN)
		len = DONGLE_FAULT_OVERSIZED_LEN;
	buf[0] = (uint8_t)dir;
	buf[1] = (uint8_t)len;
	buf[2] = (uint8_t)(len >> 8);
	memcpy(buf + 3, rec, len);
	/* One O_APPEND write per record: the threads never interleave. */
	if (write(fault->log_fd, buf, 3 + len) < 0)
		return;		/* a log we cannot write is no fault of the host's */
}

static bool is_sealed_ctrl(const uint8_t *rec, size_t len)
{
	struct pawlink_rec_hdr hdr;

	if (len < PAWLINK_REC_HDR_LEN)
		return false;
	memcpy(&hdr, rec, sizeof(hdr));
	return hdr.channel == PAWLINK_CH_CTRL && hdr.epoch;
}

static void out_add(struct dongle_attack_out *out, const uint8_t *rec,
		    size_t len)
{
	out->len[out->count] = (uint16_t)len;
	memcpy(out->rec[out->count], rec, len);
	out->count++;
}

/*
 * A well-framed plaintext record (channel 0): a pairing FAIL, as an intruder
 * would send to end a session it cannot read.
 */
static void out_add_plain(struct dongle_attack_out *out)
{
	static const uint8_t fail[] = {
		PAWLINK_PAIR_MSG_FAIL, PAWLINK_PAIR_VERSION, 0, 0
	};
	/* Channel 0 carries no epoch and no counter. */
	struct pawlink_rec_hdr hdr = {
		.version = PAWLINK_REC_VERSION,
		.channel = PAWLINK_CH_PLAIN,
		.len = htole16(sizeof(fail)),
	};
	uint8_t rec[PAWLINK_REC_HDR_LEN + sizeof(fail)];

	memcpy(rec, &hdr, PAWLINK_REC_HDR_LEN);
	memcpy(rec + PAWLINK_REC_HDR_LEN, fail, sizeof(fail));
	out_add(out, rec, sizeof(rec));
}

void dongle_attack_to_host(struct dongle_fault *fault, const uint8_t *rec,
			   size_t len, struct dongle_attack_out *out)
{
	struct pawlink_rec_hdr hdr;
	unsigned long n;

	out->count = 0;
	if (len > PAWLINK_RECORD_MAX)
		len = PAWLINK_RECORD_MAX;
	if (fault->attack_done || !is_sealed_ctrl(rec, len)) {
		out_add(out, rec, len);
		return;
	}
	n = ++fault->sealed_seen[0];

	switch (fault->mode) {
	case DONGLE_FAULT_FLIP:
		out_add(out, rec, len);
		if (n == DONGLE_ATTACK_AT) {
			out->rec[0][len - 1] ^= 0x01;	/* the tag's last bit */
			fault->attack_done = true;
		}
		return;
	case DONGLE_FAULT_CUT:
		out_add(out, rec, len);
		if (n == DONGLE_ATTACK_AT) {
			/* Framed right, but shorter than any tag. */
			memcpy(&hdr, rec, sizeof(hdr));
			hdr.len = htole16(PAWLINK_TAG_LEN / 2);
			memcpy(out->rec[0], &hdr, sizeof(hdr));
			out->len[0] = PAWLINK_REC_HDR_LEN + PAWLINK_TAG_LEN / 2;
			fault->attack_done = true;
		}
		return;
	case DONGLE_FAULT_EPOCH:
		out_add(out, rec, len);
		if (n == DONGLE_ATTACK_AT) {
			memcpy(&hdr, rec, sizeof(hdr));
			hdr.epoch = htole32(le32toh(hdr.epoch) + 1);
			memcpy(out->rec[0], &hdr, sizeof(hdr));
			fault->attack_done = true;
		}
		return;
	case DONGLE_FAULT_INJECT_PLAIN:
		out_add(out, rec, len);
		if (n == DONGLE_ATTACK_AT) {
			out_add_plain(out);
			fault->attack_done = true;
		}
		return;
	case DONGLE_FAULT_REPLAY:
		/* Keep the first, send it again after the next two. */
		out_add(out, rec, len);
		if (n == 1) {
			fault->held_len = (uint16_t)len;
			memcpy(fault->held, rec, len);
		} else if (n == DONGLE_ATTACK_AT + 1) {
			out_add(out, fault->held, fault->held_len);
			fault->attack_done = true;
		}
		return;
	case DONGLE_FAULT_REORDER:
		/* Hold one back and send it after the next one. */
		if (n == DONGLE_ATTACK_AT) {
			fault->held_len = (uint16_t)len;
			memcpy(fault->held, rec, len);
			return;
		}
		out_add(out, rec, len);
		if (n == DONGLE_ATTACK_AT + 1) {
			out_add(out, fault->held, fault->held_len);
			fault->attack_done = true;
		}
		return;
	default:
		out_add(out, rec, len);
		return;
	}
}

void dongle_attack_to_toy(struct dongle_fault *fault, const uint8_t *rec,
			  size_t len, struct dongle_attack_out *out)
{
	out->count = 0;
	if (len > PAWLINK_RECORD_MAX)
		len = PAWLINK_RECORD_MAX;
	out_add(out, rec, len);
	if (fault->mode != DONGLE_FAULT_FLIP_TO_TOY || !is_sealed_ctrl(rec, len))
		return;
	if (++fault->sealed_seen[1] == DONGLE_ATTACK_AT)
		out->rec[0][len - 1] ^= 0x01;
}
