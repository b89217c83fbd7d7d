// SPDX-License-Identifier: GPL-2.0
/*
 * pawsim dongle: the ep0 handler.
 *
 * FunctionFS forwards only requests addressed to our interface (or one of
 * our endpoints), with wIndex already turned into our local interface
 * number, 0.  A request is answered by I/O on ep0 in its own direction
 * and stalled by I/O in the other direction; a request without a data
 * stage has its status stage held until we do either, so DISCONNECT is
 * acknowledged only once the link is down.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <linux/usb/ch9.h>
#include <linux/usb/functionfs.h>

#include "dongle_ep0.h"
#include "pawsim.h"

_Static_assert(sizeof(struct pawlink_dongle_info) == 16, "GET_INFO is 16 bytes");
_Static_assert(sizeof(struct pawlink_beacon) == 12, "a beacon is 12 bytes");
_Static_assert(sizeof(struct pawlink_link) == 12, "GET_LINK is 12 bytes");
_Static_assert(sizeof(struct usb_functionfs_event) == 12, "ffs event size");

struct vendor_req {
	uint8_t request;
	const char *name;
	bool in;
	/* wLength must be in [min_len, max_len] and a multiple of unit. */
	uint16_t min_len, max_len, unit;
	void (*handle)(struct dongle_ep0 *e, uint16_t length);
};

/* ---- ep0 I/O ---------------------------------------------------------------- */

static void io_failed(struct dongle_ep0 *e, const char *name, int err)
{
	/* EIDRM: the host gave up on the request (or a new one replaced it). */
	if (err == EIDRM) {
		if (e->verbose)
			pawsim_msg("ep0: %s cancelled by the host", name);
		return;
	}
	pawsim_msg("ep0: %s: %s", name, strerror(err));
}

void dongle_ep0_stall(struct dongle_ep0 *e, const char *name, bool in,
		      uint16_t length)
{
	uint8_t none = 0, discard[256];
	ssize_t n;

	if (!in && length && !e->can_stall_out_data) {
		/* Take the data so ep0 goes back to reading events. */
		if (read(e->fd, discard, sizeof(discard)) < 0)
			io_failed(e, name, errno);
		pawsim_msg("ep0: %s: an OUT data stage cannot be stalled "
			   "here; its data was ignored", name);
		return;
	}
	n = in ? read(e->fd, &none, 0) : write(e->fd, &none, 0);
	if (n < 0 && errno != EL2HLT)	/* EL2HLT: stalled, as asked */
		io_failed(e, name, errno);
}

void dongle_ep0_reply(struct dongle_ep0 *e, const char *name, const void *buf,
		      size_t len)
{
	if (write(e->fd, buf, len) < 0)
		io_failed(e, name, errno);
}

/* Data stage of an OUT request.  Returns 0 when all @len bytes came. */
static int read_out(struct dongle_ep0 *e, const char *name, void *buf,
		    size_t len)
{
	ssize_t n = read(e->fd, buf, len);

	if (n < 0) {
		int err = errno;

		io_failed(e, name, err);
		return -err;
	}
	if ((size_t)n != len) {
		pawsim_msg("ep0: %s: short data stage (%zd of %zu bytes), "
			   "ignored", name, n, len);
		return -EIO;
	}
	return 0;
}

void dongle_ep0_ack(struct dongle_ep0 *e, const char *name)
{
	uint8_t none = 0;

	if (read(e->fd, &none, 0) < 0)
		io_failed(e, name, errno);
}

/* ---- vendor requests -------------------------------------------------------- */

static void handle_get_info(struct dongle_ep0 *e, uint16_t length)
{
	struct pawlink_dongle_info info;

	if (e->fault == DONGLE_FAULT_NO_INFO) {
		dongle_ep0_stall(e, "GET_INFO", true, length);
		return;
	}
	memset(&info, 0, sizeof(info));
	info.proto_version = htole16(e->fault == DONGLE_FAULT_BAD_INFO ?
				     PAWLINK_USB_PROTOCOL + 1 :
				     PAWLINK_USB_PROTOCOL);
	info.fw_version = htole16(DONGLE_FW_VERSION);
	memcpy(info.dongle_id, e->dongle_id, PAWLINK_ID_LEN);
	info.max_record = htole16(PAWLINK_RECORD_MAX);
	if (e->fault == DONGLE_FAULT_SMALL_RECORD)
		info.max_record = htole16(PAWLINK_RECORD_MAX - 1);
	else if (e->fault == DONGLE_FAULT_BIG_RECORD)
		info.max_record = htole16(4 * PAWLINK_RECORD_MAX);
	else if (e->fault == DONGLE_FAULT_RESERVED_INFO)
		info.reserved[1] = 0x5a;
	dongle_ep0_reply(e, "GET_INFO", &info, sizeof(info));
}

static void handle_scan(struct dongle_ep0 *e, uint16_t length)
{
	struct pawlink_beacon beacons[PAWLINK_SCAN_MAX];
	size_t n;

	memset(beacons, 0, sizeof(beacons));
	n = e->far->ops->scan(e->far, beacons,
			      length / sizeof(struct pawlink_beacon));
	if (e->verbose)
		pawsim_msg("ep0: SCAN: %zu beacon(s)", n);
	if (e->fault == DONGLE_FAULT_RESERVED_BEACON)
		for (size_t i = 0; i < n; i++)
			beacons[i].reserved[0] = 0xa5;
	/* Zero beacons is a zero-length data stage. */
	dongle_ep0_reply(e, "SCAN", beacons, n * sizeof(struct pawlink_beacon));
}

static void handle_connect(struct dongle_ep0 *e, uint16_t length)
{
	uint8_t toy_id[PAWLINK_ID_LEN];
	struct pawlink_link link;

	/*
	 * The status stage of a request with data follows the data stage
	 * by itself, so the only refusal possible is before reading it.
	 */
	e->far->ops->get_link(e->far, &link);
	if (link.state == PAWLINK_LINK_CONNECTED ||
	    link.state == PAWLINK_LINK_CONNECTING) {
		pawsim_msg("ep0: CONNECT while a link is up, stalled");
		dongle_ep0_stall(e, "CONNECT", false, length);
		return;
	}
	if (read_out(e, "CONNECT", toy_id, sizeof(toy_id)))
		return;
	if (e->verbose)
		pawsim_msg("ep0: CONNECT");
	e->far->ops->connect(e->far, toy_id);
}

static void handle_disconnect(struct dongle_ep0 *e, uint16_t length)
{
	(void)length;
	if (e->verbose)
		pawsim_msg("ep0: DISCONNECT");
	e->far->ops->disconnect(e->far);
	dongle_ep0_ack(e, "DISCONNECT");
}

static void handle_get_link(struct dongle_ep0 *e, uint16_t length)
{
	struct pawlink_link link;

	(void)length;
	e->far->ops->get_link(e->far, &link);
	dongle_ep0_reply(e, "GET_LINK", &link, sizeof(link));
}

static const struct vendor_req vendor_reqs[] = {
	{ PAWLINK_REQ_GET_INFO, "GET_INFO", true,
	  sizeof(struct pawlink_dongle_info),
	  sizeof(struct pawlink_dongle_info), 0, handle_get_info },
	{ PAWLINK_REQ_SCAN, "SCAN", true,
	  sizeof(struct pawlink_beacon),
	  PAWLINK_SCAN_MAX * sizeof(struct pawlink_beacon),
	  sizeof(struct pawlink_beacon), handle_scan },
	{ PAWLINK_REQ_CONNECT, "CONNECT", false,
	  PAWLINK_ID_LEN, PAWLINK_ID_LEN, 0, handle_connect },
	{ PAWLINK_REQ_DISCONNECT, "DISCONNECT", false, 0, 0, 0,
	  handle_disconnect },
	{ PAWLINK_REQ_GET_LINK, "GET_LINK", true,
	  sizeof(struct pawlink_link), sizeof(struct pawlink_link), 0,
	  handle_get_link },
};

static const struct vendor_req *find_req(uint8_t request)
{
	size_t i;

	for (i = 0; i < sizeof(vendor_reqs) / sizeof(vendor_reqs[0]); i++)
		if (vendor_reqs[i].request == request)
			return &vendor_reqs[i];
	return NULL;
}

/* Why @s is not a request we answer, or NULL when it is. */
static const char *refusal(const struct usb_ctrlrequest *s,
			   const struct vendor_req *req)
{
	uint16_t length = le16toh(s->wLength);
	bool in = s->bRequestType & USB_DIR_IN;

	if ((s->bRequestType & USB_TYPE_MASK) != USB_TYPE_VENDOR)
		return "not a vendor request";
	if ((s->bRequestType & USB_RECIP_MASK) != USB_RECIP_INTERFACE)
		return "not addressed to the interface";
	if (!req)
		return "unknown request";
	if (in != req->in)
		return "wrong direction";
	if (le16toh(s->wValue) != 0)
		return "wValue is not 0";
	if (le16toh(s->wIndex) != 0)
		return "wIndex is not our interface";
	if (length < req->min_len || length > req->max_len ||
	    (req->unit && length % req->unit))
		return "bad wLength";
	return NULL;
}

void dongle_ep0_setup(struct dongle_ep0 *e, const struct usb_ctrlrequest *s)
{
	const struct vendor_req *req = find_req(s->bRequest);
	const char *why = refusal(s, req);

	if (why) {
		pawsim_msg("ep0: stalled bmRequestType 0x%02x bRequest 0x%02x "
			   "wValue 0x%04x wIndex 0x%04x wLength %u: %s",
			   s->bRequestType, s->bRequest, le16toh(s->wValue),
			   le16toh(s->wIndex), le16toh(s->wLength), why);
		dongle_ep0_stall(e, req ? req->name : "request",
				 s->bRequestType & USB_DIR_IN,
				 le16toh(s->wLength));
		return;
	}
	req->handle(e, le16toh(s->wLength));
}

/* ---- events ----------------------------------------------------------------- */

static void handle_event(struct dongle_ep0 *e,
			 const struct usb_functionfs_event *ev)
{
	char speed[32];

	switch (ev->type) {
	case FUNCTIONFS_BIND:
		if (e->verbose)
			pawsim_msg("ep0: bound to the gadget");
		break;
	case FUNCTIONFS_UNBIND:
		dongle_relay_stop(e->relay);
		pawsim_msg("unbound from the UDC");
		break;
	case FUNCTIONFS_ENABLE:
		/* FunctionFS may have merged a DISABLE into this ENABLE. */
		dongle_relay_stop(e->relay);
		dongle_gadget_speed(e->gadget, speed, sizeof(speed));
		if (dongle_relay_start(e->relay))
			pawsim_msg("host enabled the interface at %s, but the "
				   "relay did not start", speed);
		else
			pawsim_msg("host enabled the interface at %s; relaying "
				   "records (%s far side)", speed,
				   e->far->ops->name);
		break;
	case FUNCTIONFS_DISABLE:
		dongle_relay_stop(e->relay);
		/* No host, no link: the next host starts from IDLE. */
		e->far->ops->disconnect(e->far);
		pawsim_msg("host disabled the interface");
		break;
	case FUNCTIONFS_SETUP:
		dongle_ep0_setup(e, &ev->u.setup);
		break;
	case FUNCTIONFS_SUSPEND:
		if (e->verbose)
			pawsim_msg("host suspended the bus");
		break;
	case FUNCTIONFS_RESUME:
		if (e->verbose)
			pawsim_msg("host resumed the bus");
		break;
	default:
		pawsim_msg("ep0: unknown FunctionFS event %u, ignored",
			   ev->type);
		break;
	}
}

int dongle_ep0_run(struct dongle_ep0 *e)
{
	struct usb_functionfs_event events[4];
	size_t i, count;
	ssize_t n;
	int ret = 0;

	while (!atomic_load(&e->stop)) {
		n = read(e->fd, events, sizeof(events));
		if (n < 0) {
			/* EIDRM: a setup was cancelled before we saw it. */
			if (errno == EINTR || errno == EIDRM)
				continue;
			ret = -errno;
			pawsim_msg("ep0: reading events failed: %s",
				   strerror(errno));
			break;
		}
		count = (size_t)n / sizeof(events[0]);
		for (i = 0; i < count; i++)
			handle_event(e, &events[i]);
	}
	dongle_relay_stop(e->relay);
	return ret;
}
