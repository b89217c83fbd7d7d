// SPDX-License-Identifier: GPL-2.0
/*
 * pawsim dongle --fuzz SEED: the fuzzing dongle on raw gadget (see
 * dongle_fuzz.h).
 *
 * Threads: main answers EP0 (every request, GET_DESCRIPTOR included);
 * once the host sets the configuration, one thread per IN endpoint sends
 * what the plan makes and one per OUT endpoint reads (or never reads: the
 * host's OUT transfers then NAK until the unplug); a timer thread unplugs
 * at the seeded point by ending the process.  Raw gadget's ioctls block,
 * so ending the process (which interrupts them and closes
 * /dev/raw-gadget, unregistering the gadget) is the one way out that
 * never waits on the host.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/usb/ch9.h>
#include <linux/usb/raw_gadget.h>

#include <linux/pawlink.h>

#include "bytes.h"
#include "byteorder.h"
#include "dongle_fuzz.h"
#include "fuzz_plan.h"
#include "pawsim.h"

#define RAW_GADGET		"/dev/raw-gadget"
#define DUMMY_UDC_DRIVER	"dummy_udc"
#define DEFAULT_UDC		"dummy_udc.0"
#define EP0_MAX			4096

struct fuzz_dongle {
	int fd;
	const char *udc;
	bool verbose;
	struct fuzz_plan plan;
	struct fuzz_rng ep0_rng;
	int speed;			/* enum usb_device_speed, at connect */
	bool configured;
	int ep_handle[PAWLINK_NUM_EPS];	/* raw gadget's, once enabled */
	atomic_uint in_xfers;		/* IN transfers the host took */
	atomic_long deadline_ms;	/* the unplug, CLOCK_MONOTONIC */
	pthread_t timer;
	/* A CONNECT the plan answers: ep0 sets it, control IN sends it. */
	pthread_mutex_t connect_lock;
	bool connect_pending;
	uint8_t connect_toy[PAWLINK_ID_LEN];
};

struct ep_io {
	struct usb_raw_ep_io io;
	uint8_t data[FUZZ_XFER_MAX];
};

struct ep_worker {
	struct fuzz_dongle *d;
	int pos;			/* PAWLINK_EP_* */
};

static long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_us(unsigned int us)
{
	struct timespec ts = { us / 1000000, (long)(us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* The unplug: ending the process closes /dev/raw-gadget. */
static void __attribute__((noreturn)) unplug(const struct fuzz_dongle *d,
					     const char *why)
{
	pawsim_msg("fuzz seed %llu: unplugging (%s)",
		   (unsigned long long)d->plan.seed, why);
	fflush(NULL);
	_exit(PAWSIM_EXIT_OK);
}

/* The earlier deadline wins; any thread may move it. */
static void arm_unplug(struct fuzz_dongle *d, long at_ms)
{
	long cur = atomic_load(&d->deadline_ms);

	while (at_ms < cur &&
	       !atomic_compare_exchange_weak(&d->deadline_ms, &cur, at_ms))
		;
}

static void *timer_thread(void *arg)
{
	struct fuzz_dongle *d = arg;

	/* 5 ms steps: the deadline can move nearer at any time */
	while (mono_ms() < atomic_load(&d->deadline_ms))
		sleep_us(5000);
	unplug(d, "seeded point");
}

/*
 * Lock rule: takes connect_lock.  Remembers the toy of a CONNECT to answer
 * (ep0), or hands it over once (control IN); @take says which.
 */
static bool connect_answer(struct fuzz_dongle *d, bool take,
			   uint8_t toy[PAWLINK_ID_LEN])
{
	bool had;

	pthread_mutex_lock(&d->connect_lock);
	had = d->connect_pending;
	if (take) {
		if (had)
			memcpy(toy, d->connect_toy, PAWLINK_ID_LEN);
		d->connect_pending = false;
	} else {
		memcpy(d->connect_toy, toy, PAWLINK_ID_LEN);
		d->connect_pending = true;
	}
	pthread_mutex_unlock(&d->connect_lock);
	return had;
}

/* ---- EP0 ------------------------------------------------------------------ */

/* EP0's data stage, both ways; only the main thread does EP0. */
static struct ep_io ep0_buf;

static int ep0_io(struct fuzz_dongle *d, unsigned long cmd, const void *buf,
		  size_t len)
{
	struct ep_io *e = &ep0_buf;

	memset(&e->io, 0, sizeof(e->io));
	e->io.length = (uint32_t)len;
	if (buf && len)
		memcpy(e->data, buf, len);
	if (ioctl(d->fd, cmd, e) < 0) {
		int err = errno;

		if (d->verbose)
			pawsim_msg("ep0: %s of %zu bytes: %s",
				   cmd == USB_RAW_IOCTL_EP0_READ ? "read" :
				   "write", len, strerror(err));
		return -err;
	}
	return 0;
}

static void ep0_stall(struct fuzz_dongle *d)
{
	if (ioctl(d->fd, USB_RAW_IOCTL_EP0_STALL, 0) < 0 && d->verbose)
		pawsim_msg("ep0: stall: %s", strerror(errno));
}

/* An IN data stage, cut to what the host asked unless @babble. */
static void ep0_reply(struct fuzz_dongle *d, const struct usb_ctrlrequest *s,
		      const void *buf, size_t len, bool babble)
{
	size_t want = le16toh(s->wLength);

	ep0_io(d, USB_RAW_IOCTL_EP0_WRITE, buf,
	       babble || len < want ? len : want);
}

static void ep0_ack(struct fuzz_dongle *d)
{
	ep0_io(d, USB_RAW_IOCTL_EP0_READ, NULL, 0);
}

static size_t string_desc(const struct fuzz_dongle *d, uint8_t index,
			  uint8_t *out)
{
	char serial[2 * PAWLINK_ID_LEN + 1];
	const char *str;
	size_t i, len;

	switch (index) {
	case 0:
		out[0] = 4;
		out[1] = USB_DT_STRING;
		pawlink_store_le16(out + 2, 0x0409);
		return 4;
	case 1:
		str = "pawlink";
		break;
	case 2:
		str = "pawlink fuzzing dongle";
		break;
	case 3:
		pawlink_hex_encode(serial, d->plan.dongle_id, PAWLINK_ID_LEN);
		str = serial;
		break;
	default:
		return 0;
	}
	len = strlen(str);
	out[0] = (uint8_t)(2 + 2 * len);
	out[1] = USB_DT_STRING;
	for (i = 0; i < len; i++) {
		out[2 + 2 * i] = (uint8_t)str[i];
		out[3 + 2 * i] = 0;
	}
	return 2 + 2 * len;
}

static void *in_thread(void *arg);
static void *out_thread(void *arg);

static int read_speed(const struct fuzz_dongle *d)
{
	char path[192], text[32] = "";
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/class/udc/%s/current_speed", d->udc);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return USB_SPEED_HIGH;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	text[n > 0 ? n : 0] = '\0';
	if (!strncmp(text, "full", 4))
		return USB_SPEED_FULL;
	if (!strncmp(text, "super", 5))
		return USB_SPEED_SUPER;
	return USB_SPEED_HIGH;
}

/*
 * SET_CONFIGURATION: the gadget side's endpoints are always the right four
 * (dummy_udc refuses others); only what the host was told varies.
 */
static void set_configuration(struct fuzz_dongle *d,
			      const struct usb_ctrlrequest *s)
{
	static struct ep_worker workers[PAWLINK_NUM_EPS];
	struct usb_endpoint_descriptor ep;
	pthread_t t;
	int i, h;

	if ((le16toh(s->wValue) & 0xff) == 0 || d->configured) {
		ep0_ack(d);
		return;
	}
	for (i = 0; i < PAWLINK_NUM_EPS; i++) {
		memset(&ep, 0, sizeof(ep));
		ep.bLength = USB_DT_ENDPOINT_SIZE;
		ep.bDescriptorType = USB_DT_ENDPOINT;
		ep.bEndpointAddress = fuzz_ep_addr[i];
		ep.bmAttributes = USB_ENDPOINT_XFER_BULK;
		ep.wMaxPacketSize = htole16(fuzz_bulk_maxp(d->speed));
		h = ioctl(d->fd, USB_RAW_IOCTL_EP_ENABLE, &ep);
		if (h < 0) {
			pawsim_msg("fuzz: enabling endpoint 0x%02x: %s",
				   fuzz_ep_addr[i], strerror(errno));
			ep0_stall(d);
			return;
		}
		d->ep_handle[i] = h;
	}
	if (ioctl(d->fd, USB_RAW_IOCTL_VBUS_DRAW, 50) < 0 ||
	    ioctl(d->fd, USB_RAW_IOCTL_CONFIGURE, 0) < 0) {
		pawsim_msg("fuzz: configuring: %s", strerror(errno));
		ep0_stall(d);
		return;
	}
	d->configured = true;
	for (i = 0; i < PAWLINK_NUM_EPS; i++) {
		workers[i].d = d;
		workers[i].pos = i;
		if (pthread_create(&t, NULL, fuzz_ep_addr[i] & USB_DIR_IN ?
				   in_thread : out_thread, &workers[i]) == 0)
			pthread_detach(t);
	}
	arm_unplug(d, mono_ms() + d->plan.disconnect_after_ms);
	ep0_ack(d);
}

static void standard_request(struct fuzz_dongle *d,
			     const struct usb_ctrlrequest *s)
{
	uint16_t value = le16toh(s->wValue);
	static uint8_t buf[FUZZ_DESC_MAX];
	uint8_t zero[2] = { 0, 0 };
	size_t len;

	switch (s->bRequest) {
	case USB_REQ_GET_DESCRIPTOR:
		switch (value >> 8) {
		case USB_DT_DEVICE:
			len = fuzz_device_desc(&d->plan, buf);
			break;
		case USB_DT_CONFIG:
			len = (value & 0xff) ? 0 :
			      fuzz_config_desc(&d->plan, d->speed, buf);
			break;
		case USB_DT_STRING:
			len = string_desc(d, value & 0xff, buf);
			break;
		default:	/* qualifier, BOS, ...: not there */
			len = 0;
			break;
		}
		if (len)
			ep0_reply(d, s, buf, len, false);
		else
			ep0_stall(d);
		return;
	case USB_REQ_SET_CONFIGURATION:
		set_configuration(d, s);
		return;
	case USB_REQ_SET_INTERFACE:
		ep0_ack(d);
		return;
	case USB_REQ_GET_CONFIGURATION:
		zero[0] = d->configured;
		ep0_reply(d, s, zero, 1, false);
		return;
	case USB_REQ_GET_INTERFACE:
		ep0_reply(d, s, zero, 1, false);
		return;
	case USB_REQ_GET_STATUS:
		ep0_reply(d, s, zero, 2, false);
		return;
	default:
		if (s->bRequestType & USB_DIR_IN || !le16toh(s->wLength))
			ep0_stall(d);
		else	/* take the data, then nothing more to say */
			ep0_io(d, USB_RAW_IOCTL_EP0_READ, NULL,
			       le16toh(s->wLength));
		return;
	}
}

/* The right answer's bytes for a pawlink vendor request, or -1: stall. */
static int vendor_right(struct fuzz_dongle *d, const struct usb_ctrlrequest *s,
			uint8_t *buf)
{
	struct fuzz_rng *r = &d->ep0_rng;
	uint16_t len = le16toh(s->wLength);
	unsigned int i, n;

	switch (s->bRequest) {
	case PAWLINK_REQ_GET_INFO:
		memset(buf, 0, 16);
		pawlink_store_le16(buf, PAWLINK_USB_PROTOCOL);
		pawlink_store_le16(buf + 2, 0x0100);
		memcpy(buf + 4, d->plan.dongle_id, PAWLINK_ID_LEN);
		pawlink_store_le16(buf + 12, PAWLINK_RECORD_MAX);
		return 16;
	case PAWLINK_REQ_SCAN:
		n = fuzz_below(r, 1 + len / sizeof(struct pawlink_beacon));
		for (i = 0; i < n; i++) {
			uint8_t *b = buf + i * sizeof(struct pawlink_beacon);

			memset(b, 0, sizeof(struct pawlink_beacon));
			pawlink_store_le64(b, fuzz_next(r) | 1);
			b[8] = (uint8_t)fuzz_below(r, 2);
			b[9] = (uint8_t)(-30 - (int)fuzz_below(r, 60));
		}
		return (int)(n * sizeof(struct pawlink_beacon));
	case PAWLINK_REQ_GET_LINK:
		memset(buf, 0, 12);
		buf[0] = (uint8_t)fuzz_below(r, 4);
		if (buf[0] == PAWLINK_LINK_CONNECTED)
			pawlink_store_le64(buf + 4, fuzz_next(r));
		return 12;
	default:
		return -1;
	}
}

static void vendor_request(struct fuzz_dongle *d,
			   const struct usb_ctrlrequest *s)
{
	static uint8_t buf[EP0_MAX];
	uint16_t want = le16toh(s->wLength);
	enum fuzz_ep0_reply how;
	unsigned int delay_us;
	int right;
	size_t len;

	how = fuzz_ep0_decide(&d->plan, &d->ep0_rng, &delay_us);
	if (delay_us)
		sleep_us(delay_us);
	if (how == FUZZ_EP0_STALL) {
		ep0_stall(d);
		return;
	}
	if (!(s->bRequestType & USB_DIR_IN)) {
		/* CONNECT and DISCONNECT: take the data, or ack */
		if (want > EP0_MAX) {
			ep0_stall(d);
			return;
		}
		/*
		 * Answer most CONNECTs with a CONNECTED event, so the host
		 * can install keys and the sound card can stream.
		 */
		if (!ep0_io(d, USB_RAW_IOCTL_EP0_READ, NULL, want) &&
		    s->bRequest == PAWLINK_REQ_CONNECT &&
		    want == PAWLINK_ID_LEN && fuzz_chance(&d->ep0_rng, 70)) {
			connect_answer(d, false, ep0_buf.data);
		}
		return;
	}
	right = vendor_right(d, s, buf);
	if (right < 0 || want > EP0_MAX) {
		ep0_stall(d);
		return;
	}
	len = fuzz_ep0_mutate(how, &d->ep0_rng, buf, (size_t)right, EP0_MAX);
	ep0_reply(d, s, buf, len, how == FUZZ_EP0_LONG);
}

static int ep0_loop(struct fuzz_dongle *d)
{
	struct {
		struct usb_raw_event ev;
		struct usb_ctrlrequest setup;
	} e;

	for (;;) {
		memset(&e, 0, sizeof(e));
		e.ev.length = sizeof(e.setup);
		if (ioctl(d->fd, USB_RAW_IOCTL_EVENT_FETCH, &e) < 0) {
			if (errno == EINTR)
				continue;
			pawsim_msg("fuzz: fetching an event: %s",
				   strerror(errno));
			return -errno;
		}
		switch (e.ev.type) {
		case USB_RAW_EVENT_CONNECT:
			d->speed = read_speed(d);
			if (d->verbose)
				pawsim_msg("fuzz: host connected");
			break;
		case USB_RAW_EVENT_CONTROL:
			if (d->verbose)
				pawsim_msg("fuzz: setup %02x %02x %04x %04x %u",
					   e.setup.bRequestType,
					   e.setup.bRequest,
					   le16toh(e.setup.wValue),
					   le16toh(e.setup.wIndex),
					   le16toh(e.setup.wLength));
			if ((e.setup.bRequestType & USB_TYPE_MASK) ==
			    USB_TYPE_VENDOR)
				vendor_request(d, &e.setup);
			else if ((e.setup.bRequestType & USB_TYPE_MASK) ==
				 USB_TYPE_STANDARD)
				standard_request(d, &e.setup);
			else
				ep0_stall(d);
			break;
		default:
			break;
		}
	}
}

/* ---- bulk endpoints ------------------------------------------------------- */

static void *in_thread(void *arg)
{
	const struct ep_worker *w = arg;
	struct fuzz_dongle *d = w->d;
	uint8_t toy[PAWLINK_ID_LEN];
	struct fuzz_rng r;
	uint64_t events = 0;
	enum fuzz_rec_kind kind;
	unsigned int us, taken;
	struct ep_io *e;
	bool zlp;
	size_t len;

	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	fuzz_rng_init(&r, d->plan.seed, w->pos == PAWLINK_EP_CTRL_IN ?
		      FUZZ_STREAM_CTRL_IN : FUZZ_STREAM_AUDIO_IN);
	for (;;) {
		switch (fuzz_in_next(&d->plan, &r, &us)) {
		case FUZZ_IN_HALT:
			/* the driver clears it with CLEAR_FEATURE */
			ioctl(d->fd, USB_RAW_IOCTL_EP_SET_HALT,
			      d->ep_handle[w->pos]);
			sleep_us(us);
			continue;
		case FUZZ_IN_PAUSE:
			sleep_us(us);
			continue;
		case FUZZ_IN_SEND:
			sleep_us(us);
			break;
		}
		if (w->pos == PAWLINK_EP_CTRL_IN &&
		    connect_answer(d, true, toy)) {
			len = fuzz_link_event(e->data, &events,
					      PAWLINK_LINK_CONNECTED, toy);
			zlp = true;
		} else {
			len = fuzz_in_record(&d->plan, &r, w->pos,
					     fuzz_bulk_maxp(d->speed), &events,
					     e->data, &kind, &zlp);
		}
		e->io.ep = (uint16_t)d->ep_handle[w->pos];
		e->io.flags = zlp ? USB_RAW_IO_FLAGS_ZERO : 0;
		e->io.length = (uint32_t)len;
		if (ioctl(d->fd, USB_RAW_IOCTL_EP_WRITE, e) < 0) {
			/* halted, reset or going away: try again later */
			sleep_us(10000);
			continue;
		}
		taken = atomic_fetch_add(&d->in_xfers, 1) + 1;
		if (d->plan.disconnect_after_xfers &&
		    taken >= d->plan.disconnect_after_xfers)
			unplug(d, "seeded transfer count");
	}
	return NULL;
}

static void *out_thread(void *arg)
{
	const struct ep_worker *w = arg;
	struct fuzz_dongle *d = w->d;
	struct fuzz_rng r;
	struct ep_io *e;

	/* Never reading is the NAK storm: the host's OUT URBs wait. */
	if (!d->plan.read_out)
		return NULL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	fuzz_rng_init(&r, d->plan.seed ^ (uint64_t)w->pos, FUZZ_STREAM_OUT);
	for (;;) {
		if (d->plan.out_delay_max_us)
			sleep_us(fuzz_below(&r, d->plan.out_delay_max_us));
		e->io.ep = (uint16_t)d->ep_handle[w->pos];
		e->io.flags = 0;
		e->io.length = sizeof(e->data);
		if (ioctl(d->fd, USB_RAW_IOCTL_EP_READ, e) < 0)
			sleep_us(10000);
	}
	return NULL;
}

/* ---- the iteration -------------------------------------------------------- */

int dongle_fuzz_run(uint64_t seed, const char *udc, bool verbose)
{
	static struct fuzz_dongle d;
	struct usb_raw_init init;
	int err;

	memset(&d, 0, sizeof(d));
	d.udc = udc ? udc : DEFAULT_UDC;
	d.verbose = verbose;
	d.speed = USB_SPEED_HIGH;
	fuzz_plan_make(&d.plan, seed);
	fuzz_rng_init(&d.ep0_rng, seed, FUZZ_STREAM_EP0);
	pthread_mutex_init(&d.connect_lock, NULL);
	atomic_init(&d.deadline_ms, mono_ms() + (long)d.plan.give_up_ms);

	d.fd = open(RAW_GADGET, O_RDWR | O_CLOEXEC);
	if (d.fd < 0) {
		pawsim_msg("--fuzz needs the kernel's raw gadget "
			   "(CONFIG_USB_RAW_GADGET): %s: %s", RAW_GADGET,
			   strerror(errno));
		return PAWSIM_EXIT_RUNTIME;
	}
	memset(&init, 0, sizeof(init));
	snprintf((char *)init.driver_name, sizeof(init.driver_name), "%s",
		 DUMMY_UDC_DRIVER);
	snprintf((char *)init.device_name, sizeof(init.device_name), "%s",
		 d.udc);
	init.speed = USB_SPEED_HIGH;
	if (ioctl(d.fd, USB_RAW_IOCTL_INIT, &init) < 0 ||
	    ioctl(d.fd, USB_RAW_IOCTL_RUN, 0) < 0) {
		pawsim_msg("raw gadget on %s: %s", d.udc, strerror(errno));
		close(d.fd);
		return PAWSIM_EXIT_RUNTIME;
	}
	pawsim_msg("fuzz seed %llu on %s: %s, descriptor mutations 0x%x",
		   (unsigned long long)seed, d.udc, fuzz_class_name(d.plan.cls),
		   d.plan.desc_muts);
	err = pthread_create(&d.timer, NULL, timer_thread, &d);
	if (err) {
		pawsim_msg("cannot start the timer: %s", strerror(err));
		close(d.fd);
		return PAWSIM_EXIT_RUNTIME;
	}
	err = ep0_loop(&d);
	/* ep0 failed: the gadget is gone; unplug the rest the same way */
	unplug(&d, err ? "ep0 failed" : "ep0 ended");
}
