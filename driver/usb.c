// SPDX-License-Identifier: GPL-2.0
/*
 * pawlink.ko: USB lifecycle and record transport.
 *
 * probe() checks the interface, asks the dongle for GET_INFO, and brings
 * up the receive URBs, the ALSA card and /dev/pawlinkN.  Every bulk transfer
 * carries one record (include/uapi/linux/pawlink.h); this file frames and checks
 * them and hands each valid one to its channel.  disconnect() makes every
 * file operation fail with -ENODEV, wakes every sleeper and stops all I/O;
 * the memory lives on until the last open file and the sound card let go.
 * Documentation/driver.rst tells the whole story.
 */

#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/usb.h>

#include <pawlink/version.h>

#include "pawlink.h"

static const struct usb_device_id pawlink_ids[] = {
	{ USB_DEVICE_AND_INTERFACE_INFO(PAWLINK_USB_VID, PAWLINK_USB_PID,
					PAWLINK_USB_CLASS,
					PAWLINK_USB_SUBCLASS,
					PAWLINK_USB_PROTOCOL) },
	{ }
};
MODULE_DEVICE_TABLE(usb, pawlink_ids);

static void pawlink_delete(struct kref *kref)
{
	struct pawlink_dev *dev = container_of(kref, struct pawlink_dev, kref);
	unsigned int i, j;

	for (i = 0; i < PAWLINK_NUM_RX_EPS; i++) {
		struct pawlink_rx_ep *rx = &dev->rx_eps[i];

		usb_scuttle_anchored_urbs(&rx->parked);
		for (j = 0; j < PAWLINK_RX_URBS; j++)
			usb_free_urb(rx->urbs[j]);
	}
	pawlink_audio_free(dev);
	kvfree(dev->rx_queue);
	usb_put_intf(dev->intf);
	usb_put_dev(dev->udev);
	kfree(dev);
}

void pawlink_dev_get(struct pawlink_dev *dev)
{
	kref_get(&dev->kref);
}

/* Drops one reference; @dev must not be touched afterwards. */
void pawlink_dev_put(struct pawlink_dev *dev)
{
	kref_put(&dev->kref, pawlink_delete);
}

/*
 * Vendor IN request on EP0.  @buf must be kmalloc()ed (it is DMAed).
 * Returns the length of the data stage or a negative errno.
 * Caller holds io_mutex and has seen !disconnected, or is probe().
 */
int pawlink_ep0_in(struct pawlink_dev *dev, u8 request, void *buf, u16 len)
{
	return usb_control_msg(dev->udev, usb_rcvctrlpipe(dev->udev, 0),
			       request,
			       USB_DIR_IN | USB_TYPE_VENDOR | USB_RECIP_INTERFACE,
			       0, dev->intf->cur_altsetting->desc.bInterfaceNumber,
			       buf, len, PAWLINK_EP0_TIMEOUT_MS);
}

/*
 * Vendor OUT request on EP0 with @len bytes of data stage (may be 0).
 * Returns 0 or a negative errno.
 * Caller holds io_mutex and has seen !disconnected.
 */
int pawlink_ep0_out(struct pawlink_dev *dev, u8 request,
		    const void *buf, u16 len)
{
	return usb_control_msg_send(dev->udev, 0, request,
				    USB_DIR_OUT | USB_TYPE_VENDOR |
				    USB_RECIP_INTERFACE,
				    0,
				    dev->intf->cur_altsetting->desc.bInterfaceNumber,
				    buf, len, PAWLINK_EP0_TIMEOUT_MS, GFP_KERNEL);
}

/* Called from completions; halt_work clears the halt in process context. */
static void pawlink_halted(struct pawlink_dev *dev, unsigned int ep)
{
	set_bit(ep, &dev->halted);
	schedule_work(&dev->halt_work);
}

/* ---- receive ---------------------------------------------------------- */

/* Anchors and submits one receive URB; returns the submit result. */
static int pawlink_rx_submit(struct pawlink_dev *dev, struct urb *urb,
			     gfp_t gfp)
{
	int err;

	usb_anchor_urb(urb, &dev->rx_anchor);
	err = usb_submit_urb(urb, gfp);
	if (err)
		usb_unanchor_urb(urb);
	return err;
}

/* Which channels may arrive on which IN endpoint. */
static bool pawlink_channel_allowed(unsigned int ep, u8 channel)
{
	if (ep == PAWLINK_EP_AUDIO_IN)
		return channel == PAWLINK_CH_AUDIO;
	return channel == PAWLINK_CH_PLAIN || channel == PAWLINK_CH_CTRL ||
	       channel == PAWLINK_CH_EVENT;
}

/*
 * Queues a control frame (plaintext before a session, opened during one)
 * for read(); when the queue is full it is dropped and counted.
 * Caller holds lock.
 */
void pawlink_rx_queue(struct pawlink_dev *dev, const u8 *body, size_t len)
{
	struct pawlink_frame *frame;

	lockdep_assert_held(&dev->lock);

	if (dev->rx_count == PAWLINK_RX_QUEUE_LEN) {
		dev->stats.rx_dropped_queue_full++;
		return;
	}
	frame = &dev->rx_queue[(dev->rx_head + dev->rx_count) %
			       PAWLINK_RX_QUEUE_LEN];
	frame->len = len;
	memcpy(frame->data, body, len);
	dev->rx_count++;
	dev->stats.rx_records++;
	wake_up_interruptible(&dev->rx_wait);
}

/*
 * A dongle event: update what the host shows about the link.  The dongle
 * is untrusted, so this never makes the driver accept anything.  Events
 * are numbered 1, 2, ... by the dongle (Documentation/usb-interface.rst);
 * one that does not advance the number is old news and is dropped.
 * A link that is gone (idle or lost) takes the session keys with it:
 * returns them for the caller to free, and to stop the sound card's
 * streams, after unlocking.  The session stays
 * (no plaintext either way) until PAWLINK_IOC_DISCONNECT, so an event can
 * end a keyed session but never turn it back into a plaintext one.
 * Caller holds lock.
 */
static struct pawlink_keys *pawlink_rx_event(struct pawlink_dev *dev,
					     const struct pawlink_rec_hdr *hdr,
					     const u8 *body, size_t len)
{
	const struct pawlink_event *event = (const void *)body;
	u64 number = le64_to_cpu(hdr->counter);
	struct pawlink_keys *gone = NULL;

	if (len != sizeof(*event)) {
		dev->stats.rx_dropped_length++;
		return NULL;
	}
	if (hdr->epoch || event->type != PAWLINK_EVENT_LINK ||
	    event->link.state > PAWLINK_LINK_LOST) {
		dev->stats.rx_dropped_malformed++;
		return NULL;
	}
	if (number <= dev->last_event) {
		dev->stats.rx_dropped_replay++;
		return NULL;
	}
	dev->last_event = number;
	dev->link_state = event->link.state;
	if (event->link.state == PAWLINK_LINK_CONNECTED)
		memcpy(dev->toy_id, event->link.toy_id, PAWLINK_ID_LEN);
	else
		memset(dev->toy_id, 0, PAWLINK_ID_LEN);
	if (event->link.state == PAWLINK_LINK_IDLE ||
	    event->link.state == PAWLINK_LINK_LOST) {
		gone = dev->keys;
		dev->keys = NULL;
	}
	dev->stats.rx_records++;
	return gone;
}

/*
 * Checks the framing of one record received on IN endpoint @ep and
 * dispatches it by channel.  @buf is the receive buffer: a sealed record
 * is opened in place.  Called by the receive completion (atomic), and by
 * the test hooks' injection in process context.  Takes lock; tells ALSA
 * what changed only after dropping it (see the lock order in pawlink.h).
 */
void pawlink_rx_record(struct pawlink_dev *dev, unsigned int ep, u8 *buf,
		       size_t actual)
{
	const struct pawlink_rec_hdr *hdr = (const void *)buf;
	const u8 *body = buf + PAWLINK_REC_HDR_LEN;
	struct pawlink_rx_after after = { };
	unsigned long flags;
	size_t len;

	spin_lock_irqsave(&dev->lock, flags);
	if (actual < PAWLINK_REC_HDR_LEN) {
		dev->stats.rx_dropped_length++;
		goto unlock;
	}
	len = actual - PAWLINK_REC_HDR_LEN;
	if (hdr->version != PAWLINK_REC_VERSION ||
	    !pawlink_channel_allowed(ep, hdr->channel)) {
		dev->stats.rx_dropped_malformed++;
		goto unlock;
	}
	if (le16_to_cpu(hdr->len) != len) {
		dev->stats.rx_dropped_length++;
		goto unlock;
	}

	switch (hdr->channel) {
	case PAWLINK_CH_PLAIN:
		if (len > PAWLINK_FRAME_MAX)
			dev->stats.rx_dropped_length++;
		else if (hdr->epoch || hdr->counter)	/* none on channel 0 */
			dev->stats.rx_dropped_malformed++;
		else if (dev->session)	/* keyed: no plaintext either way */
			dev->stats.rx_dropped_plaintext++;
		else
			pawlink_rx_queue(dev, body, len);
		break;
	case PAWLINK_CH_EVENT:
		after.gone = pawlink_rx_event(dev, hdr, body, len);
		break;
	default:
		pawlink_rx_sealed(dev, buf, actual, &after);
		break;
	}
unlock:
	spin_unlock_irqrestore(&dev->lock, flags);
	pawlink_audio_after(dev, &after);
}

static void pawlink_rx_complete(struct urb *urb)
{
	struct pawlink_rx_ep *rx = urb->context;
	struct pawlink_dev *dev = rx->dev;
	int status = pawlink_test_status(dev, rx->ep, urb->status);
	int err;

	switch (status) {
	case 0:
		atomic_set(&rx->xact_errors, 0);
		atomic_set(&dev->recoveries[rx->ep], 0);
		pawlink_rx_record(dev, rx->ep, urb->transfer_buffer,
				  urb->actual_length);
		break;
	case -EOVERFLOW:
		/* The dongle sent more than PAWLINK_RECORD_MAX (babble). */
		pawlink_count(dev, &dev->stats.rx_dropped_overflow);
		break;
	case -EPROTO:
	case -EILSEQ:
	case -ETIME:
		/*
		 * A transaction error (CRC, bit stuffing, no answer: a bad
		 * cable), not an unplug: the hub reports that on its own.
		 * Retry, but a run of them is handled as a halt, so a storm
		 * does not spin and a dead endpoint ends up stopped.
		 */
		pawlink_count(dev, &dev->stats.xact_errors);
		if (atomic_inc_return(&rx->xact_errors) < PAWLINK_XACT_ERR_MAX)
			break;
		atomic_set(&rx->xact_errors, 0);
		fallthrough;
	case -EPIPE:
		usb_anchor_urb(urb, &rx->parked);
		pawlink_halted(dev, rx->ep);
		return;
	case -ENOENT:
	case -ECONNRESET:
	case -ESHUTDOWN:
		/* Killed or unplugged. */
		return;
	default:
		dev_warn_ratelimited(&dev->intf->dev,
				     "receive on endpoint %u failed: %d\n",
				     rx->ep, status);
		break;
	}

	/* Suspend, reset and disconnect kill us after setting their flag. */
	if (READ_ONCE(dev->disconnected) || READ_ONCE(dev->paused))
		return;
	err = pawlink_rx_submit(dev, urb, GFP_ATOMIC);
	/* -EPERM: usb_kill_urb() is stopping this URB right now. */
	if (err && err != -EPERM && err != -ENODEV)
		dev_warn_ratelimited(&dev->intf->dev,
				     "resubmit on endpoint %u failed: %d\n",
				     rx->ep, err);
}

/*
 * Ties each receive endpoint to its pipe.  Runs before anything in probe
 * can fail, because pawlink_delete() scuttles the parked anchors of every
 * device it frees, however early.
 */
static void pawlink_rx_init(struct pawlink_dev *dev)
{
	static const unsigned int in_eps[PAWLINK_NUM_RX_EPS] = {
		[PAWLINK_RX_CTRL] = PAWLINK_EP_CTRL_IN,
		[PAWLINK_RX_AUDIO] = PAWLINK_EP_AUDIO_IN,
	};
	unsigned int i;

	for (i = 0; i < PAWLINK_NUM_RX_EPS; i++) {
		struct pawlink_rx_ep *rx = &dev->rx_eps[i];

		rx->dev = dev;
		rx->ep = in_eps[i];
		rx->pipe = dev->pipes[rx->ep];
		init_usb_anchor(&rx->parked);
	}
}

/* Allocates the receive URBs and their record-sized buffers. */
static int pawlink_rx_alloc(struct pawlink_dev *dev)
{
	unsigned int i, j;

	for (i = 0; i < PAWLINK_NUM_RX_EPS; i++) {
		struct pawlink_rx_ep *rx = &dev->rx_eps[i];

		for (j = 0; j < PAWLINK_RX_URBS; j++) {
			struct urb *urb = usb_alloc_urb(0, GFP_KERNEL);
			void *buf;

			if (!urb)
				return -ENOMEM;
			rx->urbs[j] = urb;
			buf = kmalloc(PAWLINK_RECORD_MAX, GFP_KERNEL);
			if (!buf)
				return -ENOMEM;
			usb_fill_bulk_urb(urb, dev->udev, rx->pipe, buf,
					  PAWLINK_RECORD_MAX,
					  pawlink_rx_complete, rx);
			urb->transfer_flags |= URB_FREE_BUFFER;
		}
	}
	return 0;
}

/*
 * Submits every receive URB of the endpoints still alive; on failure kills
 * the ones already queued.  Every URB must be idle: not in flight, not
 * parked.
 */
static int pawlink_rx_start(struct pawlink_dev *dev)
{
	unsigned int i, j;
	int err;

	for (i = 0; i < PAWLINK_NUM_RX_EPS; i++) {
		if (test_bit(dev->rx_eps[i].ep, &dev->dead))
			continue;
		for (j = 0; j < PAWLINK_RX_URBS; j++) {
			err = pawlink_rx_submit(dev, dev->rx_eps[i].urbs[j],
						GFP_KERNEL);
			if (err) {
				dev_err(&dev->intf->dev,
					"cannot start receiving: %d\n", err);
				usb_kill_anchored_urbs(&dev->rx_anchor);
				return err;
			}
		}
	}
	return 0;
}

/*
 * Makes every URB of one endpoint idle: kills the ones in flight (after
 * which no completion of theirs runs) and takes back the parked ones.
 * Caller holds io_mutex.
 */
static void pawlink_ep_idle(struct pawlink_dev *dev, unsigned int ep)
{
	struct urb *urb;
	unsigned int i, j;

	if (ep == PAWLINK_EP_CTRL_OUT) {
		usb_kill_anchored_urbs(&dev->tx_anchor);
		return;
	}
	if (ep == PAWLINK_EP_AUDIO_OUT) {
		pawlink_audio_kill(dev);
		return;
	}
	for (i = 0; i < PAWLINK_NUM_RX_EPS; i++) {
		struct pawlink_rx_ep *rx = &dev->rx_eps[i];

		if (rx->ep != ep)
			continue;
		for (j = 0; j < PAWLINK_RX_URBS; j++)
			usb_kill_urb(rx->urbs[j]);
		while ((urb = usb_get_from_anchor(&rx->parked)))
			usb_put_urb(urb);
		atomic_set(&rx->xact_errors, 0);
	}
}

/* Submits the (idle) receive URBs of IN endpoint @ep.  Caller holds io_mutex. */
static int pawlink_ep_restart(struct pawlink_dev *dev, unsigned int ep)
{
	unsigned int i, j;
	int err;

	for (i = 0; i < PAWLINK_NUM_RX_EPS; i++) {
		struct pawlink_rx_ep *rx = &dev->rx_eps[i];

		if (rx->ep != ep)
			continue;
		for (j = 0; j < PAWLINK_RX_URBS; j++) {
			err = pawlink_rx_submit(dev, rx->urbs[j], GFP_KERNEL);
			if (err)
				return err;
		}
	}
	return 0;
}

/*
 * Gives up on endpoint @ep: its URBs stay idle, and the reader (control
 * IN) or the writer (control OUT) is told -EIO from now on.
 * Caller holds io_mutex.  Takes dev->lock.
 */
static void pawlink_ep_stop(struct pawlink_dev *dev, unsigned int ep, int err)
{
	/* -ENODEV: the dongle is going; disconnect() comes next. */
	if (err != -ENODEV)
		dev_err(&dev->intf->dev, "endpoint %u stopped: %d\n", ep, err);
	pawlink_ep_idle(dev, ep);
	set_bit(ep, &dev->dead);
	wake_up_interruptible_all(&dev->rx_wait);
	wake_up_interruptible_all(&dev->tx_wait);
}

/*
 * Recovers endpoint @ep after a halt (or a run of transaction errors).
 * usb_clear_halt() wants nothing queued on the endpoint (its kernel-doc;
 * usbnet unlinks first too), so the URBs are made idle first, then the
 * halt is cleared and the receive URBs restarted.  A clear that fails, or
 * the PAWLINK_RECOVER_MAX-th recovery with no good transfer since the
 * first, stops the endpoint instead of parking its URBs forever.
 * Caller holds io_mutex and has seen !disconnected and !paused.
 */
static void pawlink_ep_recover(struct pawlink_dev *dev, unsigned int ep)
{
	int err;

	pawlink_ep_idle(dev, ep);
	if (atomic_inc_return(&dev->recoveries[ep]) > PAWLINK_RECOVER_MAX) {
		pawlink_ep_stop(dev, ep, -ELOOP);
		return;
	}
	err = usb_clear_halt(dev->udev, dev->pipes[ep]);
	if (err) {
		pawlink_ep_stop(dev, ep, err);
		return;
	}
	pawlink_count(dev, &dev->stats.stalls);
	if (ep == PAWLINK_EP_CTRL_IN || ep == PAWLINK_EP_AUDIO_IN) {
		err = pawlink_ep_restart(dev, ep);
		if (err)
			pawlink_ep_stop(dev, ep, err);
	}
}

/*
 * Recovers the endpoints that completions reported halted.  Takes
 * io_mutex, so it never races disconnect(), suspend or reset (which take
 * back every parked URB themselves).
 */
static void pawlink_halt_work(struct work_struct *work)
{
	struct pawlink_dev *dev = container_of(work, struct pawlink_dev,
					       halt_work);
	unsigned int ep;

	mutex_lock(&dev->io_mutex);
	if (dev->disconnected || dev->paused)
		goto unlock;
	for (ep = 0; ep < PAWLINK_NUM_EPS; ep++) {
		if (test_and_clear_bit(ep, &dev->halted) &&
		    !test_bit(ep, &dev->dead))
			pawlink_ep_recover(dev, ep);
	}
unlock:
	mutex_unlock(&dev->io_mutex);
}

/* ---- transmit --------------------------------------------------------- */

/* Gives back one of the PAWLINK_TX_INFLIGHT write slots. */
void pawlink_tx_slot_put(struct pawlink_dev *dev)
{
	atomic_dec(&dev->tx_inflight);
	wake_up_interruptible(&dev->tx_wait);
}

static void pawlink_tx_complete(struct urb *urb)
{
	struct pawlink_dev *dev = urb->context;
	int status = pawlink_test_status(dev, PAWLINK_EP_CTRL_OUT, urb->status);
	unsigned long flags;

	switch (status) {
	case 0:
		atomic_set(&dev->recoveries[PAWLINK_EP_CTRL_OUT], 0);
		pawlink_count(dev, &dev->stats.tx_records);
		break;
	case -ENOENT:
	case -ECONNRESET:
	case -ESHUTDOWN:
		/* Killed or unplugged: every later call says -ENODEV. */
		break;
	case -EPROTO:
	case -EILSEQ:
	case -ETIME:
		/* A transaction error: this record is lost; the writer hears. */
		spin_lock_irqsave(&dev->lock, flags);
		dev->stats.xact_errors++;
		dev->tx_error = -EIO;
		spin_unlock_irqrestore(&dev->lock, flags);
		break;
	case -EPIPE:
		spin_lock_irqsave(&dev->lock, flags);
		dev->tx_error = -EPIPE;
		spin_unlock_irqrestore(&dev->lock, flags);
		pawlink_halted(dev, PAWLINK_EP_CTRL_OUT);
		break;
	default:
		dev_warn_ratelimited(&dev->intf->dev,
				     "write failed: %d\n", status);
		spin_lock_irqsave(&dev->lock, flags);
		dev->tx_error = -EIO;
		spin_unlock_irqrestore(&dev->lock, flags);
		break;
	}
	pawlink_tx_slot_put(dev);
}

/*
 * Sends one record of @len bytes, header filled in, on the control OUT
 * endpoint.  @record is a kmalloc()ed buffer.  It consumes @record and the
 * write slot the caller reserved, whatever it returns.
 * Caller holds io_mutex and has seen !disconnected.
 */
int pawlink_tx_record(struct pawlink_dev *dev, void *record, size_t len)
{
	struct urb *urb;
	int err;

	lockdep_assert_held(&dev->io_mutex);

	urb = usb_alloc_urb(0, GFP_KERNEL);
	if (!urb) {
		kfree(record);
		pawlink_tx_slot_put(dev);
		return -ENOMEM;
	}
	usb_fill_bulk_urb(urb, dev->udev, dev->pipes[PAWLINK_EP_CTRL_OUT],
			  record, len, pawlink_tx_complete, dev);
	/* A record that fills whole packets still ends with a short one. */
	urb->transfer_flags |= URB_ZERO_PACKET | URB_FREE_BUFFER;

	usb_anchor_urb(urb, &dev->tx_anchor);
	err = usb_submit_urb(urb, GFP_KERNEL);
	if (err) {
		usb_unanchor_urb(urb);
		pawlink_tx_slot_put(dev);
		/*
		 * Between the unplug and disconnect() the core has already
		 * dropped the endpoints: that is the dongle going away.
		 */
		if (err == -ENOENT || err == -ESHUTDOWN || err == -EPERM)
			err = -ENODEV;
	}
	/* The anchor and the HCD hold their own references until completion. */
	usb_free_urb(urb);
	return err;
}

/* ---- probe and disconnect --------------------------------------------- */

/*
 * The interface must have exactly PAWLINK_NUM_EPS bulk endpoints in the
 * order of PAWLINK_EP_*, each with a usable wMaxPacketSize.
 */
static int pawlink_find_endpoints(struct usb_interface *intf,
				  unsigned int *pipes)
{
	static const bool is_in[PAWLINK_NUM_EPS] = {
		[PAWLINK_EP_CTRL_OUT] = false,
		[PAWLINK_EP_CTRL_IN] = true,
		[PAWLINK_EP_AUDIO_OUT] = false,
		[PAWLINK_EP_AUDIO_IN] = true,
	};
	struct usb_host_interface *alt = intf->cur_altsetting;
	struct usb_device *udev = interface_to_usbdev(intf);
	unsigned int i;

	if (alt->desc.bNumEndpoints != PAWLINK_NUM_EPS) {
		dev_err(&intf->dev, "refused: %u endpoints, expected %u\n",
			alt->desc.bNumEndpoints, PAWLINK_NUM_EPS);
		return -ENODEV;
	}
	for (i = 0; i < PAWLINK_NUM_EPS; i++) {
		const struct usb_endpoint_descriptor *epd =
			&alt->endpoint[i].desc;

		if (!usb_endpoint_xfer_bulk(epd)) {
			dev_err(&intf->dev,
				"refused: endpoint %u (number %d) is not bulk\n",
				i, usb_endpoint_num(epd));
			return -ENODEV;
		}
		if (usb_endpoint_dir_in(epd) != is_in[i]) {
			dev_err(&intf->dev,
				"refused: endpoint %u (number %d) should be %s\n",
				i, usb_endpoint_num(epd), is_in[i] ? "IN" : "OUT");
			return -ENODEV;
		}
		if (!usb_endpoint_maxp(epd)) {
			dev_err(&intf->dev,
				"refused: endpoint %u (number %d) has wMaxPacketSize 0\n",
				i, usb_endpoint_num(epd));
			return -ENODEV;
		}
		pipes[i] = is_in[i] ?
			usb_rcvbulkpipe(udev, usb_endpoint_num(epd)) :
			usb_sndbulkpipe(udev, usb_endpoint_num(epd));
	}
	return 0;
}

/* Asks the dongle who it is and checks that it speaks our protocol. */
static int pawlink_get_info(struct pawlink_dev *dev)
{
	struct pawlink_dongle_info *info;
	int ret;

	info = kmalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;

	ret = pawlink_ep0_in(dev, PAWLINK_REQ_GET_INFO, info, sizeof(*info));
	if (ret < 0) {
		dev_err(&dev->intf->dev, "refused: GET_INFO failed: %d\n", ret);
		ret = -ENODEV;
		goto free_info;
	}
	if (ret != sizeof(*info)) {
		dev_err(&dev->intf->dev,
			"refused: GET_INFO gave %d bytes, expected %zu\n",
			ret, sizeof(*info));
		ret = -ENODEV;
		goto free_info;
	}
	dev->proto_version = le16_to_cpu(info->proto_version);
	if (dev->proto_version != PAWLINK_USB_PROTOCOL) {
		dev_err(&dev->intf->dev,
			"refused: protocol version %u, expected %u\n",
			dev->proto_version, PAWLINK_USB_PROTOCOL);
		ret = -ENODEV;
		goto free_info;
	}
	/* Bits this version does not define mean another version. */
	if (memchr_inv(info->reserved, 0, sizeof(info->reserved))) {
		dev_err(&dev->intf->dev,
			"refused: GET_INFO reserved bytes are not zero\n");
		ret = -ENODEV;
		goto free_info;
	}
	dev->fw_version = le16_to_cpu(info->fw_version);
	dev->max_record = le16_to_cpu(info->max_record);
	/* write() sends records up to PAWLINK_RECORD_MAX; it must relay them. */
	if (dev->max_record < PAWLINK_RECORD_MAX) {
		dev_err(&dev->intf->dev,
			"refused: max_record %u below the %u bytes records need\n",
			dev->max_record, PAWLINK_RECORD_MAX);
		ret = -ENODEV;
		goto free_info;
	}
	/* The receive buffers hold PAWLINK_RECORD_MAX: more is babble. */
	dev->max_record = PAWLINK_RECORD_MAX;
	memcpy(dev->dongle_id, info->dongle_id, PAWLINK_ID_LEN);
	ret = 0;
free_info:
	kfree(info);
	return ret;
}

/*
 * Asks the dongle for the link as it stands: a link made before this
 * driver bound (a module reload) is shown from the start.  Later changes
 * come as LINK events.
 */
static int pawlink_get_link(struct pawlink_dev *dev)
{
	struct pawlink_link *link;
	int ret;

	link = kmalloc(sizeof(*link), GFP_KERNEL);
	if (!link)
		return -ENOMEM;

	ret = pawlink_ep0_in(dev, PAWLINK_REQ_GET_LINK, link, sizeof(*link));
	if (ret != sizeof(*link) || link->state > PAWLINK_LINK_LOST ||
	    memchr_inv(link->reserved, 0, sizeof(link->reserved))) {
		dev_err(&dev->intf->dev,
			"refused: GET_LINK failed or malformed: %d\n", ret);
		ret = -ENODEV;
		goto free_link;
	}
	dev->link_state = link->state;
	if (link->state == PAWLINK_LINK_CONNECTED)
		memcpy(dev->toy_id, link->toy_id, PAWLINK_ID_LEN);
	ret = 0;
free_link:
	kfree(link);
	return ret;
}

/*
 * Stops all I/O for good.  After the flag no completion resubmits and
 * halt_work does nothing; but a halt_work that was running may have
 * resubmitted parked URBs just before, so kill, cancel the work, kill
 * again.  Receive goes first: its completion is what sends playback
 * periods (a credit), so after it no audio URB is submitted.  Then no URB
 * is in flight and none will be.  Used by disconnect() and every probe
 * failure; takes io_mutex.
 */
static void pawlink_stop_io(struct pawlink_dev *dev)
{
	mutex_lock(&dev->io_mutex);
	WRITE_ONCE(dev->disconnected, true);
	mutex_unlock(&dev->io_mutex);

	usb_kill_anchored_urbs(&dev->rx_anchor);
	usb_kill_anchored_urbs(&dev->tx_anchor);
	pawlink_audio_kill(dev);
	cancel_work_sync(&dev->halt_work);
	usb_kill_anchored_urbs(&dev->rx_anchor);
	usb_kill_anchored_urbs(&dev->tx_anchor);
	pawlink_audio_kill(dev);
}

static int pawlink_probe(struct usb_interface *intf,
			 const struct usb_device_id *id)
{
	unsigned int pipes[PAWLINK_NUM_EPS];
	struct pawlink_dev *dev;
	int err;

	err = pawlink_find_endpoints(intf, pipes);
	if (err)
		return err;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	kref_init(&dev->kref);
	mutex_init(&dev->io_mutex);
	mutex_init(&dev->read_mutex);
	spin_lock_init(&dev->lock);
	init_waitqueue_head(&dev->rx_wait);
	init_waitqueue_head(&dev->tx_wait);
	init_usb_anchor(&dev->rx_anchor);
	init_usb_anchor(&dev->tx_anchor);
	init_usb_anchor(&dev->audio.tx_anchor);
	init_waitqueue_head(&dev->audio.wait);
	INIT_WORK(&dev->halt_work, pawlink_halt_work);
	dev->udev = usb_get_dev(interface_to_usbdev(intf));
	dev->intf = usb_get_intf(intf);
	memcpy(dev->pipes, pipes, sizeof(pipes));
	pawlink_rx_init(dev);

	dev->rx_queue = kvcalloc(PAWLINK_RX_QUEUE_LEN, sizeof(*dev->rx_queue),
				 GFP_KERNEL);
	if (!dev->rx_queue) {
		err = -ENOMEM;
		goto err_stop_io;
	}
	err = pawlink_get_info(dev);
	if (err)
		goto err_stop_io;
	err = pawlink_get_link(dev);
	if (err)
		goto err_stop_io;
	err = pawlink_rx_alloc(dev);
	if (err)
		goto err_stop_io;
	err = pawlink_audio_init(dev);
	if (err)
		goto err_stop_io;

	usb_set_intfdata(intf, dev);

	err = pawlink_card_create(dev);
	if (err)
		goto err_stop_io;
	err = pawlink_rx_start(dev);
	if (err)
		goto err_free_card;
	err = usb_register_dev(intf, &pawlink_class);
	if (err) {
		dev_err(&intf->dev, "cannot get a minor: %d\n", err);
		goto err_free_card;
	}

	if (pawlink_test_hooks)
		dev_warn(&intf->dev,
			 "test hooks on (test_hooks=1): for tests only, never on a real system\n");
	dev_info(&intf->dev,
		 "%s: dongle %*phN, firmware %u.%u, max record %u\n",
		 dev_name(intf->usb_dev), PAWLINK_ID_LEN, dev->dongle_id,
		 dev->fw_version >> 8, dev->fw_version & 0xff,
		 dev->max_record);
	return 0;

err_free_card:
	pawlink_card_release(dev);
err_stop_io:
	/* A receive URB may have halted and queued halt_work already. */
	pawlink_stop_io(dev);
	usb_set_intfdata(intf, NULL);
	pawlink_dev_put(dev);
	return err;
}

/*
 * Order matters: the flag every file op checks, then wake the sleepers,
 * then no new opens (the flag comes first so that once the node is gone
 * every call on an open file already says -ENODEV; an open in between
 * gets a file that says it too), then the sound card (ua101's order), then
 * stop the URBs and the halt work, then erase the keys.  Open files and
 * the card keep the memory alive until they are closed.
 */
static void pawlink_disconnect(struct usb_interface *intf)
{
	struct pawlink_dev *dev = usb_get_intfdata(intf);

	mutex_lock(&dev->io_mutex);
	WRITE_ONCE(dev->disconnected, true);
	mutex_unlock(&dev->io_mutex);
	wake_up_interruptible_all(&dev->rx_wait);
	wake_up_interruptible_all(&dev->tx_wait);

	usb_deregister_dev(intf, &pawlink_class);

	pawlink_card_disconnect(dev);
	pawlink_stop_io(dev);
	pawlink_keys_erase(dev, true);
	pawlink_card_release(dev);

	dev_info(&intf->dev, "dongle %*phN unplugged\n",
		 PAWLINK_ID_LEN, dev->dongle_id);
	pawlink_dev_put(dev);
}

/* ---- power management and reset --------------------------------------- */

/*
 * Stops I/O until pawlink_io_resume(): every URB idle (parked ones taken
 * back, halts forgotten: a resume or reset brings its own state), no new
 * submission, halt_work a no-op.  Caller holds io_mutex.
 */
static void pawlink_io_pause(struct pawlink_dev *dev)
{
	unsigned int ep;

	lockdep_assert_held(&dev->io_mutex);

	WRITE_ONCE(dev->paused, true);
	for (ep = 0; ep < PAWLINK_NUM_EPS; ep++)
		pawlink_ep_idle(dev, ep);
	dev->halted = 0;
}

/* Restarts receiving after pawlink_io_pause().  Caller holds io_mutex. */
static int pawlink_io_resume(struct pawlink_dev *dev)
{
	lockdep_assert_held(&dev->io_mutex);

	WRITE_ONCE(dev->paused, false);
	if (dev->disconnected)
		return 0;
	return pawlink_rx_start(dev);
}

/*
 * The dongle lost its state (a USB reset, or a resume that had to reset
 * it): its link to the toy is gone and its events are numbered from 1
 * again.  Like a LINK event saying the link is gone, this erases the keys
 * but keeps the session (no plaintext) until PAWLINK_IOC_DISCONNECT.
 * Caller holds io_mutex.  Takes dev->lock.
 */
static void pawlink_lost_state(struct pawlink_dev *dev)
{
	spin_lock_irq(&dev->lock);
	dev->link_state = PAWLINK_LINK_IDLE;
	memset(dev->toy_id, 0, PAWLINK_ID_LEN);
	dev->last_event = 0;
	spin_unlock_irq(&dev->lock);
	pawlink_keys_erase(dev, false);
	dev->dead = 0;
}

/*
 * System suspend, or autosuspend (only when no /dev/pawlinkN is open:
 * each open file holds an autopm reference).  The keys stay: a suspended
 * dongle keeps its state, and a resume that finds it reset says so with
 * reset_resume.  A system suspend first suspends the running PCM streams
 * (-ESTRPIPE to the program; pcm.c).  Takes io_mutex.
 */
static int pawlink_suspend(struct usb_interface *intf, pm_message_t message)
{
	struct pawlink_dev *dev = usb_get_intfdata(intf);

	/* An autosuspend never has a stream: each open holds a reference. */
	if (!PMSG_IS_AUTO(message))
		pawlink_card_suspend(dev);
	mutex_lock(&dev->io_mutex);
	pawlink_io_pause(dev);
	mutex_unlock(&dev->io_mutex);
	return 0;
}

/* Takes io_mutex. */
static int pawlink_resume(struct usb_interface *intf)
{
	struct pawlink_dev *dev = usb_get_intfdata(intf);
	int err;

	mutex_lock(&dev->io_mutex);
	err = pawlink_io_resume(dev);
	mutex_unlock(&dev->io_mutex);
	pawlink_card_resume(dev);
	return err;
}

/* The dongle was reset while suspended.  Takes io_mutex. */
static int pawlink_reset_resume(struct usb_interface *intf)
{
	struct pawlink_dev *dev = usb_get_intfdata(intf);
	int err;

	mutex_lock(&dev->io_mutex);
	pawlink_lost_state(dev);
	err = pawlink_io_resume(dev);
	mutex_unlock(&dev->io_mutex);
	pawlink_card_resume(dev);
	return err;
}

/*
 * A USB reset is coming (usbfs, or another interface's driver): stop I/O
 * and keep io_mutex until post_reset(), so no ioctl or write talks to the
 * device meanwhile (usb-storage holds its mutex the same way).  The USB
 * core calls post_reset() after every pre_reset() that returned 0, in the
 * same task, and never disconnect() in between (both hold the device
 * lock).
 */
static int pawlink_pre_reset(struct usb_interface *intf)
{
	struct pawlink_dev *dev = usb_get_intfdata(intf);

	mutex_lock(&dev->io_mutex);
	pawlink_io_pause(dev);
	return 0;
}

/* Releases the io_mutex pre_reset() took. */
static int pawlink_post_reset(struct usb_interface *intf)
{
	struct pawlink_dev *dev = usb_get_intfdata(intf);
	int err;

	pawlink_lost_state(dev);
	err = pawlink_io_resume(dev);
	mutex_unlock(&dev->io_mutex);
	return err;
}

struct usb_driver pawlink_driver = {
	.name = "pawlink",
	.probe = pawlink_probe,
	.disconnect = pawlink_disconnect,
	.suspend = pawlink_suspend,
	.resume = pawlink_resume,
	.reset_resume = pawlink_reset_resume,
	.pre_reset = pawlink_pre_reset,
	.post_reset = pawlink_post_reset,
	.supports_autosuspend = 1,
	.id_table = pawlink_ids,
	.dev_groups = pawlink_groups,
};

module_usb_driver(pawlink_driver);

MODULE_DESCRIPTION("Pawlink toy radio dongle: control device and sound card");
MODULE_AUTHOR("The pawlink authors");
MODULE_LICENSE("GPL");
MODULE_VERSION(PAWLINK_VERSION);
