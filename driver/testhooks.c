// SPDX-License-Identifier: GPL-2.0
/*
 * pawlink.ko: test hooks (include/uapi/linux/pawlink_test.h), answered only
 * when the module was loaded with test_hooks=1.
 *
 * They run the record layer's own seal and open on the vectors, set a send
 * counter next to its limit, and hand the receive path a record as if the
 * dongle had sent it.  A counter set back makes the kernel seal two frames
 * under one nonce, which gives away both and lets anyone forge records:
 * that is why the parameter is off by default and read-only once loaded
 * (Documentation/testing.rst).
 */

#include <linux/build_bug.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <linux/pawlink_test.h>

#include "pawlink.h"

bool pawlink_test_hooks;
module_param_named(test_hooks, pawlink_test_hooks, bool, 0444);
MODULE_PARM_DESC(test_hooks,
		 "Answer the test-only ioctls of pawlink_test.h; never on a real system (default: off)");

static_assert(PAWLINK_TEST_OK == PAWLINK_OPEN_OK);
static_assert(PAWLINK_TEST_MALFORMED == PAWLINK_OPEN_MALFORMED);
static_assert(PAWLINK_TEST_LENGTH == PAWLINK_OPEN_LENGTH);
static_assert(PAWLINK_TEST_EPOCH_OLD == PAWLINK_OPEN_EPOCH_OLD);
static_assert(PAWLINK_TEST_EPOCH_NEW == PAWLINK_OPEN_EPOCH_NEW);
static_assert(PAWLINK_TEST_REPLAY == PAWLINK_OPEN_REPLAY);
static_assert(PAWLINK_TEST_AUTH == PAWLINK_OPEN_AUTH);

static bool pawlink_keyed_channel(u32 channel)
{
	return channel == PAWLINK_CH_CTRL || channel == PAWLINK_CH_AUDIO;
}

/* PAWLINK_IOC_TEST_SEAL: pawlink_record_seal() on the caller's key. */
static int pawlink_test_seal(struct pawlink_test_seal __user *arg)
{
	struct pawlink_test_seal *t;
	int ret;

	t = memdup_user(arg, sizeof(*t));
	if (IS_ERR(t))
		return PTR_ERR(t);
	ret = -EINVAL;
	if (t->pt_len > PAWLINK_FRAME_MAX || !t->epoch ||
	    !pawlink_keyed_channel(t->channel))
		goto out;
	memcpy(t->rec + PAWLINK_REC_HDR_LEN, t->pt, t->pt_len);
	ret = pawlink_record_seal(t->key, t->epoch, t->channel, t->counter,
				  t->rec, t->pt_len);
	if (ret < 0)
		goto out;
	t->rec_len = ret;
	ret = copy_to_user(arg, t, sizeof(*t)) ? -EFAULT : 0;
out:
	kfree_sensitive(t);
	return ret;
}

/* PAWLINK_IOC_TEST_OPEN: pawlink_record_open() on a fresh receiver. */
static int pawlink_test_open(struct pawlink_test_open __user *arg)
{
	struct pawlink_rx_key rx = { };
	struct pawlink_test_open *t;
	int ret;

	t = memdup_user(arg, sizeof(*t));
	if (IS_ERR(t))
		return PTR_ERR(t);
	ret = -EINVAL;
	if (t->first_len > PAWLINK_TEST_REC_MAX ||
	    t->rec_len > PAWLINK_TEST_REC_MAX || t->reserved || !t->epoch ||
	    !pawlink_keyed_channel(t->channel))
		goto out;

	memcpy(rx.key, t->key, PAWLINK_KEY_LEN);
	t->first_verdict = PAWLINK_OPEN_OK;
	if (t->first_len)
		t->first_verdict = pawlink_record_open(&rx, t->epoch,
						       t->channel, t->first,
						       t->first_len);
	t->verdict = pawlink_record_open(&rx, t->epoch, t->channel, t->rec,
					 t->rec_len);
	t->pt_len = 0;
	if (t->verdict == PAWLINK_OPEN_OK) {
		t->pt_len = t->rec_len - PAWLINK_REC_HDR_LEN - PAWLINK_TAG_LEN;
		memcpy(t->pt, t->rec + PAWLINK_REC_HDR_LEN, t->pt_len);
	}
	ret = copy_to_user(arg, t, sizeof(*t)) ? -EFAULT : 0;
out:
	memzero_explicit(&rx, sizeof(rx));
	kfree_sensitive(t);
	return ret;
}

/*
 * PAWLINK_IOC_TEST_SET_COUNTER: the dongle's next send counter on a keyed
 * channel.  -ENOTCONN without keys.  Takes dev->lock.
 */
static int pawlink_test_set_counter(struct pawlink_dev *dev,
				    struct pawlink_test_counter __user *arg)
{
	struct pawlink_test_counter t;
	int ret = 0;

	if (copy_from_user(&t, arg, sizeof(t)))
		return -EFAULT;
	if (t.reserved || !pawlink_keyed_channel(t.channel) ||
	    t.next > PAWLINK_REKEY_AFTER)
		return -EINVAL;

	spin_lock_irq(&dev->lock);
	if (dev->keys)
		dev->keys->tx[t.channel == PAWLINK_CH_AUDIO ?
			      PAWLINK_KCH_AUDIO : PAWLINK_KCH_CTRL].next = t.next;
	else
		ret = -ENOTCONN;
	spin_unlock_irq(&dev->lock);
	return ret;
}

/*
 * PAWLINK_IOC_TEST_INJECT: one record into the receive path of an IN
 * endpoint, through the same pawlink_rx_record() as a completed URB.
 */
static int pawlink_test_inject(struct pawlink_dev *dev,
			       struct pawlink_test_inject __user *arg)
{
	struct pawlink_test_inject *t;
	int ret = 0;

	t = memdup_user(arg, sizeof(*t));
	if (IS_ERR(t))
		return PTR_ERR(t);
	if ((t->ep != PAWLINK_EP_CTRL_IN && t->ep != PAWLINK_EP_AUDIO_IN) ||
	    t->len > PAWLINK_TEST_REC_MAX)
		ret = -EINVAL;
	else if (t->len > PAWLINK_RECORD_MAX)	/* the URB would babble */
		pawlink_count(dev, &dev->stats.rx_dropped_overflow);
	else
		pawlink_rx_record(dev, t->ep, t->rec, t->len);
	kfree_sensitive(t);
	return ret;
}

/*
 * PAWLINK_IOC_TEST_XACT_ERR: the next @count good completions on a control
 * endpoint report -EPROTO instead (pawlink_test_status()).
 */
static int pawlink_test_xact_err(struct pawlink_dev *dev,
				 struct pawlink_test_xact_err __user *arg)
{
	struct pawlink_test_xact_err t;

	if (copy_from_user(&t, arg, sizeof(t)))
		return -EFAULT;
	if ((t.ep != PAWLINK_EP_CTRL_IN && t.ep != PAWLINK_EP_CTRL_OUT) ||
	    t.count > 1000)
		return -EINVAL;
	atomic_set(&dev->test_xact_err[t.ep], t.count);
	return 0;
}

/*
 * The status a completion on endpoint @ep acts on: @status, unless a test
 * asked for transaction errors (only ever with test_hooks=1).  Atomic.
 */
int pawlink_test_status(struct pawlink_dev *dev, unsigned int ep, int status)
{
	if (status || !pawlink_test_hooks)
		return status;
	if (atomic_add_unless(&dev->test_xact_err[ep], -1, 0))
		return -EPROTO;
	return status;
}

/*
 * The test ioctls; -ENOTTY for anything else.  Only called when
 * pawlink_test_hooks is set.  No lock: none of them talks to the device,
 * and the memory lives as long as the file.
 */
long pawlink_test_ioctl(struct pawlink_dev *dev, unsigned int cmd,
			void __user *arg)
{
	if (READ_ONCE(dev->disconnected))
		return -ENODEV;

	switch (cmd) {
	case PAWLINK_IOC_TEST_SEAL:
		return pawlink_test_seal(arg);
	case PAWLINK_IOC_TEST_OPEN:
		return pawlink_test_open(arg);
	case PAWLINK_IOC_TEST_SET_COUNTER:
		return pawlink_test_set_counter(dev, arg);
	case PAWLINK_IOC_TEST_INJECT:
		return pawlink_test_inject(dev, arg);
	case PAWLINK_IOC_TEST_XACT_ERR:
		return pawlink_test_xact_err(dev, arg);
	default:
		return -ENOTTY;
	}
}
