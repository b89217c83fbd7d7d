/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * pawlink test hooks: NOT part of the kernel ABI and never installed.
 *
 * pawlink.ko answers these ioctls only when it was loaded with
 * test_hooks=1 (a read-only module parameter, off by default); otherwise
 * each gives ENOTTY like any unknown command.  They let the in-guest tests
 * (tests/kernel/tests/pawlink_record.c) run the kernel's record layer on
 * the vectors in tests/vectors/, put a send counter next to its limit, and
 * hand the receive path a record as if the dongle had sent it.  Setting a
 * send counter back would make the kernel reuse a nonce, which is why this
 * can never be on outside a test (Documentation/testing.rst).
 */
#ifndef _UAPI_LINUX_PAWLINK_TEST_H
#define _UAPI_LINUX_PAWLINK_TEST_H

#include <linux/types.h>
#include <linux/ioctl.h>
#include <linux/pawlink.h>

/* Room for a record one byte too long and more, for the vectors. */
#define PAWLINK_TEST_REC_MAX		(PAWLINK_RECORD_MAX + 16)

/*
 * Seal @pt_len bytes of @pt under @key with that epoch, channel and
 * counter on a sender of its own (not the dongle's); out: @rec_len bytes
 * of @rec.
 */
struct pawlink_test_seal {
	__u8 key[PAWLINK_KEY_LEN];
	__u32 epoch;
	__u32 channel;			/* PAWLINK_CH_CTRL or _AUDIO */
	__u64 counter;
	__u32 pt_len;			/* in: at most PAWLINK_FRAME_MAX */
	__u32 rec_len;			/* out */
	__u8 pt[PAWLINK_FRAME_MAX];
	__u8 rec[PAWLINK_RECORD_MAX];
};

/* What opening one record did (the driver's verdicts, one per counter). */
#define PAWLINK_TEST_OK			0	/* accepted */
#define PAWLINK_TEST_MALFORMED		1	/* rx_dropped_malformed */
#define PAWLINK_TEST_LENGTH		2	/* rx_dropped_length */
#define PAWLINK_TEST_EPOCH_OLD		3	/* rx_dropped_epoch, older */
#define PAWLINK_TEST_EPOCH_NEW		4	/* rx_dropped_epoch, newer */
#define PAWLINK_TEST_REPLAY		5	/* rx_dropped_replay */
#define PAWLINK_TEST_AUTH		6	/* rx_dropped_auth */

/*
 * On a fresh receiver of its own for (@key, @epoch, @channel), open @first
 * (if @first_len) and then @rec.  Out: both verdicts, and the plaintext of
 * @rec if it was accepted.
 */
struct pawlink_test_open {
	__u8 key[PAWLINK_KEY_LEN];
	__u32 epoch;
	__u32 channel;
	__u32 first_len;		/* 0: none */
	__u32 rec_len;
	__u32 first_verdict;		/* out: PAWLINK_TEST_* */
	__u32 verdict;			/* out: PAWLINK_TEST_* */
	__u32 pt_len;			/* out */
	__u32 reserved;			/* zero */
	__u8 first[PAWLINK_TEST_REC_MAX];
	__u8 rec[PAWLINK_TEST_REC_MAX];
	__u8 pt[PAWLINK_FRAME_MAX];
};

/* Set the dongle's next send counter on a keyed channel. */
struct pawlink_test_counter {
	__u32 channel;			/* PAWLINK_CH_CTRL or _AUDIO */
	__u32 reserved;			/* zero */
	__u64 next;			/* at most PAWLINK_REKEY_AFTER */
};

/*
 * Hand @len bytes to the receive path of IN endpoint @ep (PAWLINK_EP_CTRL_IN
 * or _AUDIO_IN), as if a receive URB had completed with them.  More than
 * PAWLINK_RECORD_MAX counts as babble (rx_dropped_overflow).
 */
struct pawlink_test_inject {
	__u32 ep;
	__u32 len;
	__u8 rec[PAWLINK_TEST_REC_MAX];
};

/*
 * Make the next @count transfers on endpoint @ep (PAWLINK_EP_CTRL_IN or
 * _CTRL_OUT) that succeed complete with -EPROTO instead, as a transaction
 * error on a real host controller would: a receive loses its record, a
 * transmit is reported to the writer.
 */
struct pawlink_test_xact_err {
	__u32 ep;
	__u32 count;			/* at most 1000 */
};

#define PAWLINK_IOC_TEST_SEAL	_IOWR(PAWLINK_IOC_MAGIC, 0xe0, struct pawlink_test_seal)
#define PAWLINK_IOC_TEST_OPEN	_IOWR(PAWLINK_IOC_MAGIC, 0xe1, struct pawlink_test_open)
#define PAWLINK_IOC_TEST_SET_COUNTER \
	_IOW(PAWLINK_IOC_MAGIC, 0xe2, struct pawlink_test_counter)
#define PAWLINK_IOC_TEST_INJECT	_IOW(PAWLINK_IOC_MAGIC, 0xe3, struct pawlink_test_inject)
#define PAWLINK_IOC_TEST_XACT_ERR \
	_IOW(PAWLINK_IOC_MAGIC, 0xe4, struct pawlink_test_xact_err)

#endif /* _UAPI_LINUX_PAWLINK_TEST_H */
