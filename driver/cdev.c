// SPDX-License-Identifier: GPL-2.0
/*
 * pawlink.ko: /dev/pawlinkN, the control-frame device.
 *
 * Datagram semantics: one write() sends one frame as one record, one
 * read() returns one frame.  Documentation/char-device.rst is the ABI.
 * Every operation on a file whose dongle is gone returns -ENODEV.
 */

#include <linux/build_bug.h>
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <linux/uaccess.h>

#include "pawlink.h"

static_assert(sizeof(struct pawlink_stats) == PAWLINK_STATS_SIZE_V4);
static_assert(offsetof(struct pawlink_stats, rx_dropped_epoch) ==
	      PAWLINK_STATS_SIZE_V1);
static_assert(offsetof(struct pawlink_stats, xact_errors) ==
	      PAWLINK_STATS_SIZE_V2);
static_assert(offsetof(struct pawlink_stats, audio_rx_periods) ==
	      PAWLINK_STATS_SIZE_V3);

static int pawlink_open(struct inode *inode, struct file *file)
{
	struct usb_interface *intf;
	struct pawlink_dev *dev;
	int err;

	/*
	 * usb_open() holds the minor lock across this call, and disconnect()
	 * gives the minor back before anything else, so intfdata is live.
	 */
	intf = usb_find_interface(&pawlink_driver, iminor(inode));
	if (!intf)
		return -ENODEV;
	dev = usb_get_intfdata(intf);
	if (!dev)
		return -ENODEV;

	/* An open file keeps the dongle awake: it may get frames any time. */
	err = usb_autopm_get_interface(intf);
	if (err)
		return err;
	pawlink_dev_get(dev);
	file->private_data = dev;
	return stream_open(inode, file);
}

/*
 * Takes io_mutex: after disconnect() the USB core has already dropped
 * every autopm reference of the interface, and it must not be dropped
 * twice.
 */
static int pawlink_release(struct inode *inode, struct file *file)
{
	struct pawlink_dev *dev = file->private_data;

	mutex_lock(&dev->io_mutex);
	if (!dev->disconnected)
		usb_autopm_put_interface(dev->intf);
	mutex_unlock(&dev->io_mutex);
	pawlink_dev_put(dev);
	return 0;
}

/* Lockless peek for wait conditions; the reader re-checks under lock. */
static bool pawlink_rx_ready(struct pawlink_dev *dev)
{
	return READ_ONCE(dev->rx_count) || READ_ONCE(dev->disconnected) ||
	       test_bit(PAWLINK_EP_CTRL_IN, &dev->dead);
}

/*
 * One frame per call.  A buffer smaller than the next frame gets -EMSGSIZE
 * and the frame stays queued; an empty queue on a control IN endpoint that
 * was stopped (a halt that could not be cleared) gets -EIO.
 * Takes read_mutex, so the head frame is ours to copy out without lock;
 * the completion only ever writes behind the tail.  A nonblocking reader
 * only tries it: another reader may hold it while it sleeps.
 */
static ssize_t pawlink_read(struct file *file, char __user *buf,
			    size_t count, loff_t *ppos)
{
	struct pawlink_dev *dev = file->private_data;
	struct pawlink_frame *frame = NULL;
	ssize_t ret;

	if (file->f_flags & O_NONBLOCK) {
		if (!mutex_trylock(&dev->read_mutex))
			return -EAGAIN;
	} else if (mutex_lock_interruptible(&dev->read_mutex)) {
		return -ERESTARTSYS;
	}

	for (;;) {
		if (READ_ONCE(dev->disconnected)) {
			ret = -ENODEV;
			goto unlock;
		}
		spin_lock_irq(&dev->lock);
		if (dev->rx_count)
			frame = &dev->rx_queue[dev->rx_head];
		spin_unlock_irq(&dev->lock);
		if (frame)
			break;
		if (test_bit(PAWLINK_EP_CTRL_IN, &dev->dead)) {
			ret = -EIO;
			goto unlock;
		}
		if (file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			goto unlock;
		}
		ret = wait_event_interruptible(dev->rx_wait,
					       pawlink_rx_ready(dev));
		if (ret)
			goto unlock;
	}

	if (frame->len > count) {
		ret = -EMSGSIZE;
		goto unlock;
	}
	if (copy_to_user(buf, frame->data, frame->len)) {
		ret = -EFAULT;
		goto unlock;
	}
	ret = frame->len;

	spin_lock_irq(&dev->lock);
	dev->rx_head = (dev->rx_head + 1) % PAWLINK_RX_QUEUE_LEN;
	dev->rx_count--;
	spin_unlock_irq(&dev->lock);
unlock:
	mutex_unlock(&dev->read_mutex);
	return ret;
}

static bool pawlink_tx_ready(struct pawlink_dev *dev)
{
	return atomic_read(&dev->tx_inflight) < PAWLINK_TX_INFLIGHT ||
	       READ_ONCE(dev->disconnected) ||
	       test_bit(PAWLINK_EP_CTRL_OUT, &dev->dead);
}

/*
 * Takes one of the PAWLINK_TX_INFLIGHT write slots, waiting for one unless
 * @nonblock.  No lock held: the slot count is atomic.
 */
static int pawlink_tx_slot_get(struct pawlink_dev *dev, bool nonblock)
{
	int err;

	for (;;) {
		if (READ_ONCE(dev->disconnected))
			return -ENODEV;
		if (test_bit(PAWLINK_EP_CTRL_OUT, &dev->dead))
			return -EIO;
		if (atomic_add_unless(&dev->tx_inflight, 1, PAWLINK_TX_INFLIGHT))
			return 0;
		if (nonblock)
			return -EAGAIN;
		err = wait_event_interruptible(dev->tx_wait,
					       pawlink_tx_ready(dev));
		if (err)
			return err;
	}
}

/*
 * Whether a frame may go out now; reports (once) a failure of an earlier
 * write, and -EIO for good once control OUT was stopped.
 * Caller holds io_mutex.  Takes dev->lock.
 */
static int pawlink_tx_allowed(struct pawlink_dev *dev)
{
	int err;

	if (dev->disconnected)
		return -ENODEV;
	if (test_bit(PAWLINK_EP_CTRL_OUT, &dev->dead))
		return -EIO;

	spin_lock_irq(&dev->lock);
	err = dev->tx_error;
	dev->tx_error = 0;
	spin_unlock_irq(&dev->lock);
	return err;
}

/*
 * One frame of 1..PAWLINK_FRAME_MAX bytes per call: -EINVAL for 0 bytes,
 * -EMSGSIZE for more; nothing is sent then.  In a keyed session the frame
 * is sealed on the control channel (record.c), else it goes as plaintext.
 * Returns once the record is queued to the dongle.  Takes io_mutex around
 * sealing and submission, so a rekey never falls between them.
 */
static ssize_t pawlink_write(struct file *file, const char __user *buf,
			     size_t count, loff_t *ppos)
{
	struct pawlink_dev *dev = file->private_data;
	ssize_t len;
	u8 *record;
	int err;

	if (READ_ONCE(dev->disconnected))
		return -ENODEV;
	/* No message is empty: a 0-byte write() is a caller's slip. */
	if (!count)
		return -EINVAL;
	if (count > PAWLINK_FRAME_MAX)
		return -EMSGSIZE;

	/* Room for the header, the frame and, if it is sealed, the tag. */
	record = kmalloc(PAWLINK_REC_HDR_LEN + count + PAWLINK_TAG_LEN,
			 GFP_KERNEL);
	if (!record)
		return -ENOMEM;
	if (copy_from_user(record + PAWLINK_REC_HDR_LEN, buf, count)) {
		err = -EFAULT;
		goto err_free_record;
	}

	err = pawlink_tx_slot_get(dev, file->f_flags & O_NONBLOCK);
	if (err)
		goto err_free_record;
	if (mutex_lock_interruptible(&dev->io_mutex)) {
		err = -ERESTARTSYS;
		goto err_put_slot;
	}
	err = pawlink_tx_allowed(dev);
	if (err)
		goto err_unlock;
	len = pawlink_record_frame(dev, record, count);
	if (len < 0) {
		err = len;
		goto err_unlock;
	}
	/* Consumes the record and the slot. */
	err = pawlink_tx_record(dev, record, len);
	mutex_unlock(&dev->io_mutex);
	return err ? err : count;

err_unlock:
	mutex_unlock(&dev->io_mutex);
err_put_slot:
	pawlink_tx_slot_put(dev);
err_free_record:
	kfree(record);
	return err;
}

static __poll_t pawlink_poll(struct file *file, poll_table *wait)
{
	struct pawlink_dev *dev = file->private_data;
	__poll_t mask = 0;

	poll_wait(file, &dev->rx_wait, wait);
	poll_wait(file, &dev->tx_wait, wait);

	if (READ_ONCE(dev->disconnected))
		return EPOLLHUP | EPOLLERR;
	if (READ_ONCE(dev->rx_count))
		mask |= EPOLLIN | EPOLLRDNORM;
	else if (test_bit(PAWLINK_EP_CTRL_IN, &dev->dead))
		mask |= EPOLLERR;
	if (atomic_read(&dev->tx_inflight) < PAWLINK_TX_INFLIGHT)
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

/* Takes dev->lock. */
static int pawlink_ioc_get_info(struct pawlink_dev *dev,
				struct pawlink_info *info)
{
	info->proto_version = dev->proto_version;
	info->fw_version = dev->fw_version;
	info->max_frame = PAWLINK_FRAME_MAX;
	info->speed = dev->udev->speed;
	memcpy(info->dongle_id, dev->dongle_id, PAWLINK_ID_LEN);
	spin_lock_irq(&dev->lock);
	info->link_state = dev->link_state;
	info->keyed = !!dev->keys;
	memcpy(info->toy_id, dev->toy_id, PAWLINK_ID_LEN);
	spin_unlock_irq(&dev->lock);
	return 0;
}

/*
 * Asks the dongle for the beacons it has heard.  A reply that is not a
 * whole number of beacons, or a beacon with reserved bits set, is a
 * protocol error.
 * Caller holds io_mutex and has seen !disconnected.
 */
static int pawlink_ioc_scan(struct pawlink_dev *dev, struct pawlink_scan *scan)
{
	const size_t max = PAWLINK_SCAN_MAX * sizeof(struct pawlink_beacon);
	struct pawlink_beacon *reply;
	unsigned int i, count;
	int ret;

	reply = kmalloc(max, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	ret = pawlink_ep0_in(dev, PAWLINK_REQ_SCAN, reply, max);
	if (ret < 0)
		goto free_reply;
	if (ret % sizeof(struct pawlink_beacon)) {
		dev_warn_ratelimited(&dev->intf->dev,
				     "SCAN reply of %d bytes is not whole beacons\n",
				     ret);
		ret = -EPROTO;
		goto free_reply;
	}
	count = ret / sizeof(struct pawlink_beacon);
	for (i = 0; i < count; i++) {
		if (memchr_inv(reply[i].reserved, 0,
			       sizeof(reply[i].reserved))) {
			dev_warn_ratelimited(&dev->intf->dev,
					     "SCAN beacon %u has reserved bits set\n",
					     i);
			ret = -EPROTO;
			goto free_reply;
		}
	}
	scan->count = count;
	memcpy(scan->beacons, reply, ret);
	ret = 0;
free_reply:
	kfree(reply);
	return ret;
}

/*
 * Asks the dongle to connect to a toy.  A session (keyed, or ended by the
 * link but not yet closed) must be ended with PAWLINK_IOC_DISCONNECT first
 * (-EISCONN).  The state shows "connecting" before the request goes out,
 * because the dongle's LINK event answering it may arrive before the
 * request returns; a refused request puts the old state back unless an
 * event has moved it meanwhile.
 * Caller holds io_mutex and has seen !disconnected.  Takes dev->lock.
 */
static int pawlink_ioc_connect(struct pawlink_dev *dev,
			       const struct pawlink_connect *req)
{
	u8 old_toy_id[PAWLINK_ID_LEN];
	u8 old_state;
	int err;

	if (req->flags)
		return -EINVAL;

	spin_lock_irq(&dev->lock);
	if (dev->session) {
		spin_unlock_irq(&dev->lock);
		return -EISCONN;
	}
	old_state = dev->link_state;
	memcpy(old_toy_id, dev->toy_id, PAWLINK_ID_LEN);
	dev->link_state = PAWLINK_LINK_CONNECTING;
	memset(dev->toy_id, 0, PAWLINK_ID_LEN);
	spin_unlock_irq(&dev->lock);

	err = pawlink_ep0_out(dev, PAWLINK_REQ_CONNECT, req->toy_id,
			      PAWLINK_ID_LEN);
	if (err) {
		spin_lock_irq(&dev->lock);
		if (dev->link_state == PAWLINK_LINK_CONNECTING) {
			dev->link_state = old_state;
			memcpy(dev->toy_id, old_toy_id, PAWLINK_ID_LEN);
		}
		spin_unlock_irq(&dev->lock);
	}
	return err;
}

/*
 * Ends the session: the keys go first, whatever the dongle answers, and
 * plaintext may flow again (the next handshake); then the dongle is told
 * to drop the link.
 * Caller holds io_mutex and has seen !disconnected.  Takes dev->lock.
 */
static int pawlink_ioc_disconnect(struct pawlink_dev *dev, unsigned long arg)
{
	int err;

	if (arg)
		return -EINVAL;
	pawlink_keys_erase(dev, true);
	err = pawlink_ep0_out(dev, PAWLINK_REQ_DISCONNECT, NULL, 0);
	if (err)
		return err;
	spin_lock_irq(&dev->lock);
	dev->link_state = PAWLINK_LINK_IDLE;
	memset(dev->toy_id, 0, PAWLINK_ID_LEN);
	spin_unlock_irq(&dev->lock);
	return 0;
}

/*
 * All the counters; the caller copies out as many bytes as the command
 * asked for: the struct only grows at the end, so an older program gets
 * the fields it knows.  Takes dev->lock.
 */
static int pawlink_ioc_get_stats(struct pawlink_dev *dev,
				 struct pawlink_stats *stats)
{
	spin_lock_irq(&dev->lock);
	*stats = dev->stats;
	spin_unlock_irq(&dev->lock);
	return 0;
}

/* The argument of every ioctl, in the kernel: copied in and out unlocked. */
union pawlink_ioc_arg {
	struct pawlink_info info;
	struct pawlink_scan scan;
	struct pawlink_connect connect;
	struct pawlink_stats stats;
	struct pawlink_key_install keys;	/* erased after use */
};

/* Is @cmd one of ours?  The sizes are checked where it is copied. */
static bool pawlink_ioc_known(unsigned int cmd)
{
	switch (cmd) {
	case PAWLINK_IOC_GET_INFO:
	case PAWLINK_IOC_SCAN:
	case PAWLINK_IOC_CONNECT:
	case PAWLINK_IOC_DISCONNECT:
	case PAWLINK_IOC_GET_STATS:
	case PAWLINK_IOC_GET_STATS_V3:
	case PAWLINK_IOC_GET_STATS_V2:
	case PAWLINK_IOC_GET_STATS_V1:
	case PAWLINK_IOC_SET_KEYS:
		return true;
	default:
		return false;
	}
}

/*
 * Takes io_mutex: ioctls are serialised against each other, unplug,
 * suspend and reset.  The argument is copied in before taking it and out
 * after dropping it: a user page that never arrives must not keep
 * disconnect() waiting (see pawlink.h).
 */
static long pawlink_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct pawlink_dev *dev = file->private_data;
	void __user *argp = (void __user *)arg;
	size_t size = _IOC_SIZE(cmd);
	union pawlink_ioc_arg u;
	long ret;

	if (!pawlink_ioc_known(cmd)) {
		if (!pawlink_test_hooks)
			return -ENOTTY;
		/* only with test_hooks=1; -ENOTTY if not one of them */
		return pawlink_test_ioctl(dev, cmd, argp);
	}
	if (WARN_ON_ONCE(size > sizeof(u)))
		return -ENOTTY;

	memset(&u, 0, sizeof(u));
	if ((_IOC_DIR(cmd) & _IOC_WRITE) && copy_from_user(&u, argp, size)) {
		ret = -EFAULT;
		goto erase;
	}

	if (mutex_lock_interruptible(&dev->io_mutex)) {
		ret = -ERESTARTSYS;
		goto erase;
	}
	if (dev->disconnected) {
		ret = -ENODEV;
		goto unlock;
	}

	switch (cmd) {
	case PAWLINK_IOC_GET_INFO:
		ret = pawlink_ioc_get_info(dev, &u.info);
		break;
	case PAWLINK_IOC_SCAN:
		ret = pawlink_ioc_scan(dev, &u.scan);
		break;
	case PAWLINK_IOC_CONNECT:
		ret = pawlink_ioc_connect(dev, &u.connect);
		break;
	case PAWLINK_IOC_DISCONNECT:
		ret = pawlink_ioc_disconnect(dev, arg);
		break;
	case PAWLINK_IOC_GET_STATS:
	case PAWLINK_IOC_GET_STATS_V3:
	case PAWLINK_IOC_GET_STATS_V2:
	case PAWLINK_IOC_GET_STATS_V1:
		ret = pawlink_ioc_get_stats(dev, &u.stats);
		break;
	default: /* PAWLINK_IOC_SET_KEYS */
		ret = pawlink_keys_install(dev, &u.keys);
		break;
	}
unlock:
	mutex_unlock(&dev->io_mutex);
	if (!ret && (_IOC_DIR(cmd) & _IOC_READ) && copy_to_user(argp, &u, size))
		ret = -EFAULT;
erase:
	memzero_explicit(&u, sizeof(u));
	return ret;
}

static const struct file_operations pawlink_fops = {
	.owner = THIS_MODULE,
	.open = pawlink_open,
	.release = pawlink_release,
	.read = pawlink_read,
	.write = pawlink_write,
	.poll = pawlink_poll,
	.unlocked_ioctl = pawlink_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

struct usb_class_driver pawlink_class = {
	.name = "pawlink%d",
	.fops = &pawlink_fops,
	.minor_base = PAWLINK_MINOR_BASE,
};
