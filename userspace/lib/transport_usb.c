// SPDX-License-Identifier: GPL-2.0
/*
 * The libusb path of transport.h: a dongle no driver has bound, reached
 * from userspace through usbfs (libusb-1.0), for machines that cannot load
 * pawlink.ko.  It speaks the dongle's USB interface as the driver does
 * (Documentation/usb-interface.rst; dongle_wire.h checks what the dongle
 * says) and seals and opens records with libpawlink's own record layer
 * (host_records.h), so the bytes on the bus are the driver's.  There is
 * no sound card: the microphone is read here (recv_audio), and nothing
 * outlives the process (no keep or resume).
 *
 * Both IN endpoints always have a transfer waiting, as the driver's URBs
 * do, so the dongle never holds records back; their completions run
 * inside libusb_handle_events*(), on the caller's thread (one thread per
 * transport, as transport.h says), and only queue what they take.
 *
 * The dongle unplugged is -ENODEV from every operation, as on the kernel
 * path.  This file never detaches a kernel driver: a dongle that has one
 * is the kernel path's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libusb.h>
#include <sodium.h>

#include "bytes.h"
#include "dongle_wire.h"
#include "host_records.h"
#include "libpawlink.h"
#include "transport.h"

/* As the driver's PAWLINK_EP0_TIMEOUT_MS. */
#define EP0_TIMEOUT_MS		1000
/* A dongle that takes no record for this long is stuck. */
#define BULK_OUT_TIMEOUT_MS	5000
/* The dongle answers CONNECT with a LINK event; this long at most. */
#define CONNECT_WAIT_MS		5000
#define LINK_POLL_MS		20
/* A scan asks the dongle again this often, so flags are the latest. */
#define SCAN_STEP_MS		250
/* How long a failed transfer waits to learn that the dongle is gone. */
#define GONE_WAIT_MS		1000
/* A run of transaction errors on an IN endpoint is handled as a halt. */
#define XACT_ERR_MAX		8

struct usb_transport;

/* One IN endpoint and the transfer always waiting on it. */
struct usb_rx {
	struct usb_transport *u;
	struct libusb_transfer *xfer;
	unsigned int pos;		/* PAWLINK_EP_CTRL_IN or _AUDIO_IN */
	bool busy;			/* submitted, not completed */
	bool halted;			/* stalled: clear before resubmitting */
	unsigned int errors;		/* transaction errors in a row */
	uint8_t buf[PAWLINK_RECORD_MAX];
};

struct usb_transport {
	struct pawlink_transport base;
	libusb_context *ctx;
	libusb_device_handle *h;
	uint8_t intf;
	uint8_t ep[PAWLINK_NUM_EPS];	/* addresses, by position */
	bool gone;			/* unplugged: everything is -ENODEV */
	bool stopping;			/* close(): no resubmission */
	bool connected;			/* this process made the link */
	/* Keys were installed: no plaintext either way until disconnect. */
	bool session;
	uint8_t toy[PAWLINK_ID_LEN];
	uint8_t link_state;		/* the dongle's last LINK event */
	uint64_t last_event;
	struct usb_rx rx[2];
	struct host_records rec;
};

static struct usb_transport *to_usb(struct pawlink_transport *t)
{
	return (struct usb_transport *)t;
}

/* A libusb error as a negative errno; the dongle gone is -ENODEV. */
static int usb_errno(struct usb_transport *u, int err)
{
	switch (err) {
	case LIBUSB_ERROR_NO_DEVICE:
		if (u)
			u->gone = true;
		return -ENODEV;
	case LIBUSB_ERROR_ACCESS:
		return -EACCES;
	case LIBUSB_ERROR_NOT_FOUND:
		return -ENOENT;
	case LIBUSB_ERROR_BUSY:
		return -EBUSY;
	case LIBUSB_ERROR_TIMEOUT:
		return -ETIMEDOUT;
	case LIBUSB_ERROR_PIPE:
		return -EPIPE;
	case LIBUSB_ERROR_OVERFLOW:
		return -EOVERFLOW;
	case LIBUSB_ERROR_INTERRUPTED:
		return -EINTR;
	case LIBUSB_ERROR_NO_MEM:
		return -ENOMEM;
	case LIBUSB_ERROR_NOT_SUPPORTED:
		return -EOPNOTSUPP;
	case LIBUSB_ERROR_INVALID_PARAM:
		return -EINVAL;
	default:
		return -EIO;
	}
}

static int ep0_in(struct usb_transport *u, uint8_t req, uint8_t *buf,
		  uint16_t len)
{
	int rc = libusb_control_transfer(u->h, DONGLE_REQ_TYPE_IN, req, 0,
					 u->intf, buf, len, EP0_TIMEOUT_MS);

	return rc < 0 ? usb_errno(u, rc) : rc;
}

static int ep0_out(struct usb_transport *u, uint8_t req, uint8_t *buf,
		   uint16_t len)
{
	int rc = libusb_control_transfer(u->h, DONGLE_REQ_TYPE_OUT, req, 0,
					 u->intf, buf, len, EP0_TIMEOUT_MS);

	return rc < 0 ? usb_errno(u, rc) : 0;
}

static int get_link(struct usb_transport *u, struct pawlink_link *link)
{
	uint8_t buf[sizeof(*link)];
	int n = ep0_in(u, PAWLINK_REQ_GET_LINK, buf, sizeof(buf));

	if (n < 0)
		return n;
	return dongle_wire_link(buf, (size_t)n, link);
}

/* ---- receiving ---------------------------------------------------------- */

/* A LINK event: what the host shows; a link gone takes the keys. */
static void take_event(struct usb_transport *u, const uint8_t *rec, size_t n)
{
	struct pawlink_link link;
	uint64_t number;
	int rc = dongle_wire_event(rec, n, &number, &link);

	if (rc == -EMSGSIZE) {
		u->rec.st.rx_dropped_length++;
		return;
	}
	if (rc) {
		u->rec.st.rx_dropped_malformed++;
		return;
	}
	if (number <= u->last_event) {
		u->rec.st.rx_dropped_replay++;
		return;
	}
	u->last_event = number;
	u->link_state = link.state;
	u->rec.st.rx_records++;
	if (link.state == PAWLINK_LINK_IDLE || link.state == PAWLINK_LINK_LOST)
		/* The session stays closed to plaintext until disconnect. */
		pawlink_record_link_wipe(&u->rec.link);
}

/* One completed transfer from IN endpoint @pos, checked as the driver does. */
static void take(struct usb_transport *u, unsigned int pos,
		 const uint8_t *rec, size_t n)
{
	struct pawlink_stats *st = &u->rec.st;
	enum dongle_rx_verdict v;
	uint8_t channel = 0;

	v = dongle_wire_rx_frame(pos, rec, n, &channel);
	if (v == DONGLE_RX_OK && channel == PAWLINK_CH_EVENT) {
		take_event(u, rec, n);
		return;
	}
	if (v == DONGLE_RX_OK && channel == PAWLINK_CH_PLAIN && u->session) {
		st->rx_dropped_plaintext++;
		return;
	}
	if (v == DONGLE_RX_OK && channel != PAWLINK_CH_PLAIN) {
		if (!u->rec.link.keyed) {
			st->rx_dropped_auth++;	/* no key can open it */
			return;
		}
		v = dongle_wire_rx_keyed(rec, n, u->rec.link.rx_ctrl.epoch);
	}
	switch (v) {
	case DONGLE_RX_OK:
		host_records_take(&u->rec, rec, n);
		break;
	case DONGLE_RX_LENGTH:
		st->rx_dropped_length++;
		break;
	case DONGLE_RX_MALFORMED:
		st->rx_dropped_malformed++;
		break;
	case DONGLE_RX_EPOCH:
		st->rx_dropped_epoch++;
		break;
	}
}

static void LIBUSB_CALL rx_done(struct libusb_transfer *x);

static int rx_submit(struct usb_rx *rx)
{
	int rc;

	libusb_fill_bulk_transfer(rx->xfer, rx->u->h, rx->u->ep[rx->pos],
				  rx->buf, sizeof(rx->buf), rx_done, rx, 0);
	rc = libusb_submit_transfer(rx->xfer);
	if (rc)
		return usb_errno(rx->u, rc);
	rx->busy = true;
	return 0;
}

/*
 * A completion, inside libusb_handle_events*(): takes the record and
 * waits for the next.  A stall is cleared by pump(), outside libusb's
 * event handling.
 */
static void LIBUSB_CALL rx_done(struct libusb_transfer *x)
{
	struct usb_rx *rx = x->user_data;
	struct usb_transport *u = rx->u;

	rx->busy = false;
	switch (x->status) {
	case LIBUSB_TRANSFER_COMPLETED:
		rx->errors = 0;
		take(u, rx->pos, x->buffer, (size_t)x->actual_length);
		break;
	case LIBUSB_TRANSFER_OVERFLOW:
		/* More than PAWLINK_RECORD_MAX: babble. */
		u->rec.st.rx_dropped_overflow++;
		break;
	case LIBUSB_TRANSFER_STALL:
		rx->halted = true;
		return;
	case LIBUSB_TRANSFER_NO_DEVICE:
		u->gone = true;
		return;
	case LIBUSB_TRANSFER_CANCELLED:
		return;
	default:
		/* A transaction error: a bad cable, not an unplug. */
		u->rec.st.xact_errors++;
		if (++rx->errors >= XACT_ERR_MAX) {
			rx->errors = 0;
			rx->halted = true;
			return;
		}
		break;
	}
	if (!u->stopping && !u->gone)
		rx_submit(rx);
}

/* Clears halts and resubmits what is idle; -ENODEV once gone. */
static int rx_recover(struct usb_transport *u)
{
	unsigned int i;
	int rc;

	for (i = 0; i < 2 && !u->gone; i++) {
		struct usb_rx *rx = &u->rx[i];

		if (rx->halted) {
			rc = libusb_clear_halt(u->h, u->ep[rx->pos]);
			if (rc)
				return usb_errno(u, rc);
			rx->halted = false;
			u->rec.st.stalls++;
		}
		if (!rx->busy && !u->stopping) {
			rc = rx_submit(rx);
			if (rc)
				return rc;
		}
	}
	return u->gone ? -ENODEV : 0;
}

/* Handles USB events for up to @ms (0: what is there); 0 or -errno. */
static int pump(struct usb_transport *u, int ms)
{
	struct timeval tv = {
		.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000,
	};
	int rc;

	if (u->gone)
		return -ENODEV;
	rc = libusb_handle_events_timeout_completed(u->ctx, &tv, NULL);
	if (rc)
		return usb_errno(u, rc);
	return rx_recover(u);
}

/* Milliseconds until @end_us, at least 0. */
static int ms_until(struct usb_transport *u, uint64_t end_us)
{
	uint64_t now = transport_monotonic_us(&u->base);

	return now >= end_us ? 0 : (int)((end_us - now + 999) / 1000);
}

/*
 * A transfer failed with @rc: a stall, a timeout or an I/O error may also
 * be the dongle on its way out, before the hub has told usbfs.  Waits up
 * to GONE_WAIT_MS for the IN transfers to say so: -ENODEV, else @rc.
 */
static int request_errno(struct usb_transport *u, int rc)
{
	uint64_t end = transport_monotonic_us(&u->base) + GONE_WAIT_MS * 1000ULL;

	if (rc != -EPIPE && rc != -ETIMEDOUT && rc != -EIO)
		return rc;
	while (!u->gone && ms_until(u, end))
		if (pump(u, LINK_POLL_MS) == -ENODEV)
			break;
	return u->gone ? -ENODEV : rc;
}

/* ---- sending ------------------------------------------------------------ */

static void LIBUSB_CALL tx_done(struct libusb_transfer *x)
{
	*(int *)x->user_data = 1;
}

/*
 * One record on OUT endpoint position @pos, as one transfer ending with a
 * short packet (a zero-length one after a record of whole packets), as
 * the driver's URB_ZERO_PACKET does.  Waits for it, handling the IN
 * endpoints meanwhile.
 */
static int bulk_out(struct usb_transport *u, unsigned int pos, uint8_t *rec,
		    size_t len)
{
	struct libusb_transfer *x;
	int done = 0, rc;

	if (u->gone)
		return -ENODEV;
	x = libusb_alloc_transfer(0);
	if (!x)
		return -ENOMEM;
	libusb_fill_bulk_transfer(x, u->h, u->ep[pos], rec, (int)len, tx_done,
				  &done, BULK_OUT_TIMEOUT_MS);
	x->flags = LIBUSB_TRANSFER_ADD_ZERO_PACKET;
	rc = libusb_submit_transfer(x);
	if (rc) {
		rc = usb_errno(u, rc);
		goto free_xfer;
	}
	while (!done) {
		rc = libusb_handle_events_completed(u->ctx, &done);
		if (rc && rc != LIBUSB_ERROR_INTERRUPTED) {
			/* It must not complete into a freed transfer. */
			libusb_cancel_transfer(x);
			while (!done)
				libusb_handle_events_completed(u->ctx, &done);
			rc = usb_errno(u, rc);
			goto free_xfer;
		}
	}
	switch (x->status) {
	case LIBUSB_TRANSFER_COMPLETED:
		rc = x->actual_length == (int)len ? 0 : request_errno(u, -EIO);
		break;
	case LIBUSB_TRANSFER_NO_DEVICE:
		u->gone = true;
		rc = -ENODEV;
		break;
	case LIBUSB_TRANSFER_TIMED_OUT:
		rc = request_errno(u, -ETIMEDOUT);
		break;
	case LIBUSB_TRANSFER_STALL:
		/* The dongle never halts in normal operation: clear, resend. */
		rc = libusb_clear_halt(u->h, u->ep[pos]);
		rc = rc ? usb_errno(u, rc) : -EPIPE;
		break;
	default:
		rc = request_errno(u, -EIO);
		break;
	}
free_xfer:
	libusb_free_transfer(x);
	if (rc == 0)
		u->rec.st.tx_records++;
	return rc ? rc : rx_recover(u);
}

static int send_channel(struct usb_transport *u, uint8_t channel,
			const uint8_t *pt, size_t len)
{
	uint8_t rec[PAWLINK_RECORD_MAX];
	size_t rec_len;
	int rc;

	if (u->gone)
		return -ENODEV;
	if (!u->connected)
		return -ENOTCONN;
	/* The link took the keys: no plaintext in their place. */
	if (u->session && !u->rec.link.keyed)
		return -ENOTCONN;
	rc = host_records_seal(&u->rec, channel, pt, len, rec, &rec_len);
	if (!rc)
		rc = bulk_out(u, channel == PAWLINK_CH_AUDIO ?
			      PAWLINK_EP_AUDIO_OUT : PAWLINK_EP_CTRL_OUT,
			      rec, rec_len);
	sodium_memzero(rec, sizeof(rec));
	return rc;
}

/* ---- the operations ----------------------------------------------------- */

static int usb_scan(struct pawlink_transport *t, unsigned int listen_ms,
		    struct pawlink_beacon *out, size_t max, size_t *n)
{
	struct usb_transport *u = to_usb(t);
	uint64_t end = transport_monotonic_us(t) + (uint64_t)listen_ms * 1000;
	struct pawlink_beacon got[PAWLINK_SCAN_MAX];
	uint8_t buf[sizeof(got)];
	int count, i, rc;
	size_t j;

	*n = 0;
	for (;;) {
		count = ep0_in(u, PAWLINK_REQ_SCAN, buf, sizeof(buf));
		if (count < 0)
			return request_errno(u, count);
		count = dongle_wire_beacons(buf, (size_t)count, got);
		if (count < 0)
			return count;
		for (i = 0; i < count; i++) {
			for (j = 0; j < *n; j++)
				if (!memcmp(out[j].toy_id, got[i].toy_id,
					    PAWLINK_ID_LEN))
					break;
			if (j == *n) {
				if (*n == max)
					continue;
				(*n)++;
			}
			/* The latest answer wins: a window opens and closes. */
			out[j] = got[i];
		}
		rc = ms_until(u, end);
		if (!rc)
			return 0;
		rc = pump(u, rc < SCAN_STEP_MS ? rc : SCAN_STEP_MS);
		if (rc)
			return rc;
	}
}

/* Waits for the dongle's answer to a CONNECT to @toy. */
static int wait_connected(struct usb_transport *u,
			  const uint8_t toy[PAWLINK_ID_LEN])
{
	uint64_t end = transport_monotonic_us(&u->base) + CONNECT_WAIT_MS * 1000ULL;
	struct pawlink_link link;
	int rc;

	for (;;) {
		/* GET_LINK is the truth; the event only wakes us sooner. */
		rc = get_link(u, &link);
		if (rc)
			return request_errno(u, rc);
		u->link_state = link.state;
		switch (link.state) {
		case PAWLINK_LINK_CONNECTED:
			return memcmp(link.toy_id, toy, PAWLINK_ID_LEN) ?
			       -EPROTO : 0;
		case PAWLINK_LINK_CONNECTING:
			break;
		default:
			return -EHOSTUNREACH;
		}
		if (!ms_until(u, end))
			return -ETIMEDOUT;
		rc = pump(u, LINK_POLL_MS);
		if (rc)
			return rc;
	}
}

static void forget_link(struct usb_transport *u)
{
	host_records_wipe(&u->rec);
	u->connected = false;
	u->session = false;
	memset(u->toy, 0, sizeof(u->toy));
}

static int usb_connect(struct pawlink_transport *t,
		       const uint8_t toy_id[PAWLINK_ID_LEN])
{
	struct usb_transport *u = to_usb(t);
	uint8_t id[PAWLINK_ID_LEN];
	int rc;

	if (u->gone)
		return -ENODEV;
	if (u->rec.link.keyed)
		return -EISCONN;
	/* A link left up (this process holds the interface): ours to drop. */
	rc = ep0_out(u, PAWLINK_REQ_DISCONNECT, NULL, 0);
	if (rc)
		return request_errno(u, rc);
	forget_link(u);
	memcpy(id, toy_id, PAWLINK_ID_LEN);
	rc = ep0_out(u, PAWLINK_REQ_CONNECT, id, sizeof(id));
	if (rc)
		return rc == -EPIPE ? request_errno(u, -EBUSY) :
		       request_errno(u, rc);
	rc = wait_connected(u, toy_id);
	if (rc) {
		/* Do not leave the dongle trying. */
		ep0_out(u, PAWLINK_REQ_DISCONNECT, NULL, 0);
		return rc;
	}
	/* What came before the link is nobody's. */
	host_records_clear(&u->rec);
	memcpy(u->toy, toy_id, PAWLINK_ID_LEN);
	u->connected = true;
	return 0;
}

static int usb_disconnect(struct pawlink_transport *t)
{
	struct usb_transport *u = to_usb(t);
	int rc;

	forget_link(u);
	if (u->gone)
		return -ENODEV;
	rc = ep0_out(u, PAWLINK_REQ_DISCONNECT, NULL, 0);
	return rc ? request_errno(u, rc) : 0;
}

static int usb_set_keys(struct pawlink_transport *t,
			const struct pawlink_key_install *keys)
{
	struct usb_transport *u = to_usb(t);
	int rc;

	if (!u->connected || (u->session && !u->rec.link.keyed))
		return -ENOTCONN;
	rc = host_records_install(&u->rec, keys);
	if (!rc)
		u->session = true;
	return rc;
}

static int usb_send(struct pawlink_transport *t, const uint8_t *frame,
		    size_t len)
{
	return send_channel(to_usb(t), PAWLINK_CH_CTRL, frame, len);
}

/* Why nothing came: the toy lost, the link dropped, or a timeout. */
static int why_silent(struct usb_transport *u)
{
	if (u->link_state == PAWLINK_LINK_LOST)
		return -EHOSTUNREACH;
	if (u->session && !u->rec.link.keyed)
		return -ENOTCONN;
	return -ETIMEDOUT;
}

static int usb_recv(struct pawlink_transport *t, uint8_t *frame, size_t cap,
		    size_t *len, int timeout_ms)
{
	struct usb_transport *u = to_usb(t);
	uint64_t end = transport_monotonic_us(t) + (uint64_t)(timeout_ms > 0 ?
						   timeout_ms : 0) * 1000;
	int rc;

	if (!u->connected)
		return -ENOTCONN;
	for (;;) {
		rc = host_records_pop_ctrl(&u->rec, frame, cap, len);
		if (rc)
			return rc < 0 ? rc : 0;
		if (u->link_state == PAWLINK_LINK_LOST ||
		    (u->session && !u->rec.link.keyed))
			return why_silent(u);
		rc = pump(u, ms_until(u, end));
		if (rc)
			return rc;
		if (!ms_until(u, end) && !u->rec.ctrl_n)
			return why_silent(u);
	}
}

static int usb_recv_audio(struct pawlink_transport *t, int16_t *pcm,
			  int timeout_ms)
{
	struct usb_transport *u = to_usb(t);
	uint64_t end = transport_monotonic_us(t) + (uint64_t)(timeout_ms > 0 ?
						   timeout_ms : 0) * 1000;
	int rc;

	for (;;) {
		if (host_records_pop_audio(&u->rec, pcm))
			return 0;
		if (u->link_state == PAWLINK_LINK_LOST)
			return -EHOSTUNREACH;
		rc = pump(u, ms_until(u, end));
		if (rc)
			return rc;
		if (!ms_until(u, end) && !u->rec.audio_n)
			return -ETIMEDOUT;
	}
}

static int usb_get_stats(struct pawlink_transport *t, struct pawlink_stats *st)
{
	*st = to_usb(t)->rec.st;
	return 0;
}

static bool usb_keyed(struct pawlink_transport *t)
{
	return to_usb(t)->rec.link.keyed;
}

/* Cancels the IN transfers and waits until libusb has given them back. */
static void rx_stop(struct usb_transport *u)
{
	struct timeval tv = { .tv_sec = 0, .tv_usec = 100000 };
	unsigned int i, tries;

	u->stopping = true;
	for (i = 0; i < 2; i++)
		if (u->rx[i].busy)
			libusb_cancel_transfer(u->rx[i].xfer);
	for (tries = 0; tries < 50 && (u->rx[0].busy || u->rx[1].busy);
	     tries++)
		libusb_handle_events_timeout_completed(u->ctx, &tv, NULL);
}

static void usb_close(struct pawlink_transport *t)
{
	struct usb_transport *u = to_usb(t);
	unsigned int i;

	/* What this process set up ends with it. */
	if (u->connected && !u->gone)
		ep0_out(u, PAWLINK_REQ_DISCONNECT, NULL, 0);
	rx_stop(u);
	for (i = 0; i < 2; i++)
		if (!u->rx[i].busy)
			libusb_free_transfer(u->rx[i].xfer);
	libusb_release_interface(u->h, u->intf);
	libusb_close(u->h);
	libusb_exit(u->ctx);
	host_records_wipe(&u->rec);
	sodium_memzero(u, sizeof(*u));
	free(u);
}

static const struct pawlink_transport_ops usb_ops = {
	.kind = "usb",
	.scan = usb_scan,
	.connect = usb_connect,
	.disconnect = usb_disconnect,
	.set_keys = usb_set_keys,
	.send = usb_send,
	.recv = usb_recv,
	/* Playback streams are the sound card's; none without a driver. */
	.send_audio = NULL,
	.recv_audio = usb_recv_audio,
	.get_stats = usb_get_stats,
	.now_us = transport_monotonic_us,
	.keyed = usb_keyed,
	.close = usb_close,
};

/* ---- finding dongles ---------------------------------------------------- */

/*
 * The pawlink interface of @dev with its four bulk endpoints in the
 * order of PAWLINK_EP_*: 0 with its number and the endpoint addresses,
 * -ENOENT when @dev is not a pawlink dongle, -EPROTO when its interface
 * is not as usb-interface.rst says (refused, as the driver does).
 */
static int find_interface(libusb_device *dev, uint8_t *intf,
			  uint8_t ep[PAWLINK_NUM_EPS])
{
	static const bool is_in[PAWLINK_NUM_EPS] = {
		[PAWLINK_EP_CTRL_OUT] = false,
		[PAWLINK_EP_CTRL_IN] = true,
		[PAWLINK_EP_AUDIO_OUT] = false,
		[PAWLINK_EP_AUDIO_IN] = true,
	};
	struct libusb_device_descriptor dd;
	struct libusb_config_descriptor *cfg;
	const struct libusb_interface_descriptor *alt;
	int rc = -ENOENT;
	uint8_t i, e;

	if (libusb_get_device_descriptor(dev, &dd) ||
	    dd.idVendor != PAWLINK_USB_VID || dd.idProduct != PAWLINK_USB_PID)
		return -ENOENT;
	if (libusb_get_active_config_descriptor(dev, &cfg))
		return -ENOENT;
	for (i = 0; i < cfg->bNumInterfaces; i++) {
		if (cfg->interface[i].num_altsetting < 1)
			continue;
		alt = &cfg->interface[i].altsetting[0];
		if (alt->bInterfaceClass != PAWLINK_USB_CLASS ||
		    alt->bInterfaceSubClass != PAWLINK_USB_SUBCLASS ||
		    alt->bInterfaceProtocol != PAWLINK_USB_PROTOCOL)
			continue;
		rc = -EPROTO;
		if (alt->bNumEndpoints != PAWLINK_NUM_EPS)
			break;
		for (e = 0; e < PAWLINK_NUM_EPS; e++) {
			const struct libusb_endpoint_descriptor *d =
				&alt->endpoint[e];

			if ((d->bmAttributes & 0x03) != LIBUSB_TRANSFER_TYPE_BULK ||
			    !!(d->bEndpointAddress & LIBUSB_ENDPOINT_IN) !=
			    is_in[e] || !(d->wMaxPacketSize & 0x7ff))
				break;
			ep[e] = d->bEndpointAddress;
		}
		if (e == PAWLINK_NUM_EPS) {
			*intf = alt->bInterfaceNumber;
			rc = 0;
		}
		break;
	}
	libusb_free_config_descriptor(cfg);
	return rc;
}

static void usbfs_path(libusb_device *dev, char *out, size_t len)
{
	snprintf(out, len, "/dev/bus/usb/%03u/%03u",
		 libusb_get_bus_number(dev), libusb_get_device_address(dev));
}

static uint32_t speed_of(libusb_device *dev)
{
	switch (libusb_get_device_speed(dev)) {
	case LIBUSB_SPEED_LOW:
		return 1;
	case LIBUSB_SPEED_FULL:
		return 2;
	case LIBUSB_SPEED_HIGH:
		return 3;
	case LIBUSB_SPEED_SUPER:
		return 5;
	case LIBUSB_SPEED_SUPER_PLUS:
		return 6;
	default:
		return 0;
	}
}

/* Serial numbers are the dongle id in hex (usb-interface.rst). */
static void describe(libusb_device *dev, libusb_device_handle *h,
		     struct pawlink_dongle *out)
{
	struct libusb_device_descriptor dd;
	unsigned char serial[40];
	int n;

	memset(out, 0, sizeof(*out));
	usbfs_path(dev, out->path, sizeof(out->path));
	out->speed = speed_of(dev);
	out->link_state = PAWLINK_DONGLE_LINK_UNKNOWN;
	if (libusb_get_device_descriptor(dev, &dd))
		return;
	out->fw_version = dd.bcdDevice;
	if (!h || !dd.iSerialNumber)
		return;
	n = libusb_get_string_descriptor_ascii(h, dd.iSerialNumber, serial,
					       sizeof(serial));
	if (n == 2 * PAWLINK_ID_LEN)
		pawlink_hex_decode(out->id, PAWLINK_ID_LEN, (char *)serial,
				   (size_t)n);
}

/*
 * Opens @dev, whose pawlink interface is @intf, into *@h for listing or
 * use: -EOPNOTSUPP when a kernel driver has that interface (that is the
 * kernel path's dongle; never detached here).
 */
static int open_free(libusb_device *dev, uint8_t intf,
		     libusb_device_handle **h)
{
	int rc = libusb_open(dev, h);

	if (rc) {
		*h = NULL;
		return usb_errno(NULL, rc);
	}
	if (libusb_kernel_driver_active(*h, intf) == 1) {
		libusb_close(*h);
		*h = NULL;
		return -EOPNOTSUPP;
	}
	return 0;
}

int pawlink_transport_usb_list(struct pawlink_dongle **out, size_t *n)
{
	struct pawlink_dongle *list = NULL, *grown;
	uint8_t intf, ep[PAWLINK_NUM_EPS];
	libusb_device_handle *h;
	libusb_device **devs;
	libusb_context *ctx;
	ssize_t count, i;
	size_t found = 0;
	int rc = 0;

	*out = NULL;
	*n = 0;
	/* No USB on this machine (a container): no dongle, not an error. */
	if (libusb_init(&ctx))
		return 0;
	count = libusb_get_device_list(ctx, &devs);
	for (i = 0; i < count; i++) {
		if (find_interface(devs[i], &intf, ep))
			continue;
		rc = open_free(devs[i], intf, &h);
		if (rc == -EOPNOTSUPP) {
			rc = 0;
			continue;	/* the kernel path lists it */
		}
		grown = realloc(list, (found + 1) * sizeof(*list));
		if (!grown) {
			rc = -ENOMEM;
			if (h)
				libusb_close(h);
			break;
		}
		list = grown;
		/* Not ours to open (permissions): listed, with what we know. */
		describe(devs[i], h, &list[found++]);
		rc = 0;
		if (h)
			libusb_close(h);
	}
	if (count >= 0)
		libusb_free_device_list(devs, 1);
	libusb_exit(ctx);
	if (rc) {
		free(list);
		return rc;
	}
	*out = list;
	*n = found;
	return 0;
}

/* Asks the dongle who it is; refused as the driver refuses at probe. */
static int check_info(struct usb_transport *u)
{
	uint8_t buf[sizeof(struct pawlink_dongle_info)];
	struct pawlink_link link;
	struct dongle_info info;
	int n;

	n = ep0_in(u, PAWLINK_REQ_GET_INFO, buf, sizeof(buf));
	if (n < 0)
		return n == -ENODEV ? n : -EPROTO;
	n = dongle_wire_info(buf, (size_t)n, &info);
	if (n)
		return -EPROTO;
	n = get_link(u, &link);
	if (n)
		return n == -ENODEV ? n : -EPROTO;
	u->link_state = link.state;
	return 0;
}

static int rx_start(struct usb_transport *u)
{
	static const unsigned int pos[2] = {
		PAWLINK_EP_CTRL_IN, PAWLINK_EP_AUDIO_IN,
	};
	unsigned int i;

	for (i = 0; i < 2; i++) {
		u->rx[i].u = u;
		u->rx[i].pos = pos[i];
		u->rx[i].xfer = libusb_alloc_transfer(0);
		if (!u->rx[i].xfer)
			return -ENOMEM;
	}
	for (i = 0; i < 2; i++)
		if (rx_submit(&u->rx[i]))
			return u->gone ? -ENODEV : -EIO;
	return 0;
}

int pawlink_transport_usb_open(struct pawlink_transport **out,
			       const char *path)
{
	char name[PAWLINK_DONGLE_PATH_MAX];
	libusb_device **devs = NULL;
	libusb_device *dev = NULL;
	struct usb_transport *u;
	ssize_t count, i;
	int rc, found = -ENOENT;
	bool there = false;

	*out = NULL;
	if (sodium_init() < 0)
		return -EIO;
	u = calloc(1, sizeof(*u));
	if (!u)
		return -ENOMEM;
	u->base.ops = &usb_ops;
	rc = libusb_init(&u->ctx);
	if (rc) {
		rc = usb_errno(NULL, rc);
		goto err_free;
	}
	count = libusb_get_device_list(u->ctx, &devs);
	for (i = 0; i < count && !dev; i++) {
		usbfs_path(devs[i], name, sizeof(name));
		if (strcmp(name, path))
			continue;
		there = true;
		found = find_interface(devs[i], &u->intf, u->ep);
		if (!found)
			dev = devs[i];
	}
	if (!dev) {
		/* Something else at that path is not a dongle. */
		rc = found == -EPROTO ? -EPROTO : there ? -ENOTTY : -ENOENT;
		goto err_list;
	}
	rc = open_free(dev, u->intf, &u->h);
	if (rc)
		goto err_list;
	rc = libusb_claim_interface(u->h, u->intf);
	if (rc) {
		rc = usb_errno(u, rc);
		goto err_close;
	}
	rc = check_info(u);
	if (rc)
		goto err_release;
	rc = rx_start(u);
	if (rc)
		goto err_stop;
	libusb_free_device_list(devs, 1);
	*out = &u->base;
	return 0;

err_stop:
	rx_stop(u);
	for (i = 0; i < 2; i++)
		if (u->rx[i].xfer && !u->rx[i].busy)
			libusb_free_transfer(u->rx[i].xfer);
err_release:
	libusb_release_interface(u->h, u->intf);
err_close:
	libusb_close(u->h);
err_list:
	if (count >= 0)
		libusb_free_device_list(devs, 1);
	libusb_exit(u->ctx);
err_free:
	free(u);
	return rc;
}
