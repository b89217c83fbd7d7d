// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzzing dongle's mutation engine (fuzz_plan.h).  Pure: bytes and
 * decisions from a seed, no I/O, no clock.
 */
#include <string.h>

#include <linux/usb/ch9.h>

#include "byteorder.h"
#include "fuzz_plan.h"

const uint8_t fuzz_ep_addr[PAWLINK_NUM_EPS] = {
	FUZZ_EP_CTRL_OUT, FUZZ_EP_CTRL_IN, FUZZ_EP_AUDIO_OUT, FUZZ_EP_AUDIO_IN,
};

/* ---- the generator -------------------------------------------------------- */

void fuzz_rng_init(struct fuzz_rng *r, uint64_t seed, enum fuzz_stream s)
{
	/* Streams far apart in splitmix's sequence, one per stream. */
	r->state = seed ^ (0xd1b54a32d192ed03ULL * ((uint64_t)s + 1));
	fuzz_next(r);
}

uint64_t fuzz_next(struct fuzz_rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint32_t fuzz_below(struct fuzz_rng *r, uint32_t n)
{
	/* The high half, scaled: no modulo bias worth a test's notice. */
	return n ? (uint32_t)(((fuzz_next(r) >> 32) * n) >> 32) : 0;
}

bool fuzz_chance(struct fuzz_rng *r, unsigned int percent)
{
	return fuzz_below(r, 100) < percent;
}

static void fuzz_bytes(struct fuzz_rng *r, uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)fuzz_next(r);
}

/* ---- the plan ------------------------------------------------------------- */

const char *fuzz_class_name(enum fuzz_class c)
{
	switch (c) {
	case FUZZ_CLASS_IO:
		return "io";
	case FUZZ_CLASS_EP0:
		return "ep0";
	case FUZZ_CLASS_DESC:
		return "descriptors";
	default:
		return "?";
	}
}

void fuzz_plan_make(struct fuzz_plan *p, uint64_t seed)
{
	struct fuzz_rng r;
	uint32_t w;
	unsigned int i, n;

	memset(p, 0, sizeof(*p));
	p->seed = seed;
	fuzz_rng_init(&r, seed, FUZZ_STREAM_PLAN);

	/* 60 % I/O, 20 % EP0, 20 % descriptors. */
	w = fuzz_below(&r, 100);
	p->cls = w < 60 ? FUZZ_CLASS_IO : w < 80 ? FUZZ_CLASS_EP0 :
		 FUZZ_CLASS_DESC;

	if (p->cls == FUZZ_CLASS_DESC) {
		n = 1 + fuzz_below(&r, 3);
		for (i = 0; i < n; i++)
			p->desc_muts |= 1u << fuzz_below(&r, FUZZ_DESC_COUNT);
	}
	p->ep0_bad_percent = p->cls == FUZZ_CLASS_EP0 ? 20 + fuzz_below(&r, 61) :
			     0;
	p->rec_bad_percent = p->cls == FUZZ_CLASS_IO ? 10 + fuzz_below(&r, 91) :
			     fuzz_below(&r, 30);
	/* A third of the runs send as fast as the host takes them. */
	p->gap_max_us = fuzz_chance(&r, 33) ? 0 : 1000 * (1 + fuzz_below(&r, 50));
	p->halt_percent = fuzz_chance(&r, 30) ? 1 + fuzz_below(&r, 10) : 0;
	p->read_out = !fuzz_chance(&r, 20);
	p->out_delay_max_us = fuzz_chance(&r, 50) ? 0 :
			      1000 * fuzz_below(&r, 100);
	p->disconnect_after_ms = fuzz_below(&r, 1500);
	p->disconnect_after_xfers = fuzz_chance(&r, 30) ?
				    1 + fuzz_below(&r, 64) : 0;
	p->give_up_ms = 3000;
	do {
		fuzz_bytes(&r, p->dongle_id, PAWLINK_ID_LEN);
	} /* all zero and all ff are reserved on the air */
	while (!memcmp(p->dongle_id, "\0\0\0\0\0\0\0\0", PAWLINK_ID_LEN) ||
	       !memcmp(p->dongle_id, "\xff\xff\xff\xff\xff\xff\xff\xff",
		       PAWLINK_ID_LEN));
}

/* ---- descriptors ---------------------------------------------------------- */

uint16_t fuzz_bulk_maxp(int speed)
{
	switch (speed) {
	case USB_SPEED_LOW:
	case USB_SPEED_FULL:
		return 64;
	case USB_SPEED_HIGH:
		return 512;
	default:
		return 1024;
	}
}

size_t fuzz_device_desc(const struct fuzz_plan *p, uint8_t out[18])
{
	static const uint8_t maxp0[] = { 0, 7, 9, 16, 255 };
	struct fuzz_rng r;
	size_t len = 18;

	out[0] = 18;
	out[1] = USB_DT_DEVICE;
	pawlink_store_le16(out + 2, 0x0200);
	out[4] = 0;
	out[5] = 0;
	out[6] = 0;
	out[7] = 64;
	pawlink_store_le16(out + 8, PAWLINK_USB_VID);
	pawlink_store_le16(out + 10, PAWLINK_USB_PID);
	pawlink_store_le16(out + 12, 0x0100);
	out[14] = 1;
	out[15] = 2;
	out[16] = 3;
	out[17] = 1;
	if (!(p->desc_muts & FUZZ_DESC_DEVICE))
		return len;

	fuzz_rng_init(&r, p->seed, FUZZ_STREAM_DESC);
	switch (fuzz_below(&r, 5)) {
	case 0:
		len = 8 + fuzz_below(&r, 10);		/* short */
		break;
	case 1:
		out[7] = maxp0[fuzz_below(&r, sizeof(maxp0))];
		break;
	case 2:
		out[17] = (uint8_t)fuzz_below(&r, 4) * 2;	/* 0, 2, 4, 6 */
		break;
	case 3:
		out[0] = (uint8_t)fuzz_below(&r, 256);
		break;
	default:
		out[4] = 0xff;				/* vendor class */
		out[14] = out[15] = out[16] = (uint8_t)fuzz_below(&r, 256);
		break;
	}
	return len;
}

struct desc_buf {
	uint8_t *b;
	size_t len;
};

static uint8_t *desc_put(struct desc_buf *d, size_t n)
{
	uint8_t *at;

	if (d->len + n > FUZZ_DESC_MAX)
		return NULL;
	at = d->b + d->len;
	memset(at, 0, n);
	d->len += n;
	return at;
}

static void put_intf(struct desc_buf *d, uint8_t number, uint8_t alt,
		     uint8_t num_eps)
{
	uint8_t *i = desc_put(d, USB_DT_INTERFACE_SIZE);

	if (!i)
		return;
	i[0] = USB_DT_INTERFACE_SIZE;
	i[1] = USB_DT_INTERFACE;
	i[2] = number;
	i[3] = alt;
	i[4] = num_eps;
	i[5] = PAWLINK_USB_CLASS;
	i[6] = PAWLINK_USB_SUBCLASS;
	i[7] = PAWLINK_USB_PROTOCOL;
	i[8] = 0;
}

static void put_ep(struct desc_buf *d, uint8_t addr, uint8_t attr,
		   uint16_t maxp, int speed)
{
	uint8_t *e = desc_put(d, USB_DT_ENDPOINT_SIZE);

	if (!e)
		return;
	e[0] = USB_DT_ENDPOINT_SIZE;
	e[1] = USB_DT_ENDPOINT;
	e[2] = addr;
	e[3] = attr;
	pawlink_store_le16(e + 4, maxp);
	e[6] = (attr & USB_ENDPOINT_XFERTYPE_MASK) == USB_ENDPOINT_XFER_BULK ?
	       0 : 1;
	if (speed >= USB_SPEED_SUPER) {
		e = desc_put(d, USB_DT_SS_EP_COMP_SIZE);
		if (!e)
			return;
		e[0] = USB_DT_SS_EP_COMP_SIZE;
		e[1] = USB_DT_SS_ENDPOINT_COMP;
	}
}

/* The endpoint descriptors of one interface setting, mutated. */
static void put_eps(const struct fuzz_plan *p, struct fuzz_rng *r,
		    struct desc_buf *d, int speed, unsigned int count)
{
	static const uint16_t maxps[] = {
		0, 1, 8, 63, 64, 511, 512, 513, 1023, 1024, 0x1400, 0xffff,
	};
	uint8_t addr[8], attr[8];
	uint16_t maxp[8];
	unsigned int i, victim = fuzz_below(r, count ? count : 1);

	for (i = 0; i < count && i < 8; i++) {
		addr[i] = i < PAWLINK_NUM_EPS ? fuzz_ep_addr[i] :
			  (uint8_t)(0x08 + i) | (i & 1 ? USB_DIR_IN : 0);
		attr[i] = USB_ENDPOINT_XFER_BULK;
		maxp[i] = fuzz_bulk_maxp(speed);
	}
	if (count) {
		if (p->desc_muts & FUZZ_DESC_EP_TYPE)
			attr[victim] = (uint8_t)fuzz_below(r, 4) |
				       (fuzz_chance(r, 30) ?
					(uint8_t)fuzz_below(r, 256) & 0xfc : 0);
		if (p->desc_muts & FUZZ_DESC_EP_DIR)
			addr[victim] ^= USB_DIR_IN;
		if (p->desc_muts & FUZZ_DESC_EP_MAXP)
			maxp[victim] = maxps[fuzz_below(r, sizeof(maxps) /
							sizeof(maxps[0]))];
		if (p->desc_muts & FUZZ_DESC_EP_ADDR)
			addr[victim] = fuzz_chance(r, 50) ? 0 :
				       addr[fuzz_below(r, count)];
	}
	for (i = 0; i < count && i < 8; i++) {
		if ((p->desc_muts & FUZZ_DESC_JUNK) && fuzz_chance(r, 30)) {
			uint8_t n = (uint8_t)(2 + fuzz_below(r, 20));
			uint8_t *j = desc_put(d, n);

			if (j) {
				fuzz_bytes(r, j, n);
				j[0] = n;
				j[1] = (uint8_t)fuzz_below(r, 256);
			}
		}
		put_ep(d, addr[i], attr[i], maxp[i], speed);
	}
}

size_t fuzz_config_desc(const struct fuzz_plan *p, int speed,
			uint8_t out[FUZZ_DESC_MAX])
{
	struct desc_buf d = { .b = out, .len = 0 };
	unsigned int declared = PAWLINK_NUM_EPS, actual = PAWLINK_NUM_EPS;
	uint8_t *c = desc_put(&d, USB_DT_CONFIG_SIZE), num_intf = 1;
	struct fuzz_rng r;
	size_t at;

	/* its own generator: the device descriptor's draws shift nothing */
	fuzz_rng_init(&r, p->seed, FUZZ_STREAM_DESC);
	fuzz_next(&r);
	if (p->desc_muts & FUZZ_DESC_EP_COUNT) {
		declared = fuzz_below(&r, 7);
		actual = fuzz_chance(&r, 50) ? declared : fuzz_below(&r, 7);
	}

	if (p->desc_muts & FUZZ_DESC_ALTSETTING) {
		/* alt 1 first sometimes: the host must not take it for 0 */
		unsigned int alt1_eps = fuzz_below(&r, 6);

		if (fuzz_chance(&r, 50)) {
			put_intf(&d, 0, 1, (uint8_t)alt1_eps);
			put_eps(p, &r, &d, speed, alt1_eps);
			put_intf(&d, 0, 0, (uint8_t)declared);
			put_eps(p, &r, &d, speed, actual);
		} else {
			put_intf(&d, 0, 0, (uint8_t)declared);
			put_eps(p, &r, &d, speed, actual);
			put_intf(&d, 0, (uint8_t)(1 + fuzz_below(&r, 3)),
				 (uint8_t)alt1_eps);
			put_eps(p, &r, &d, speed, alt1_eps);
		}
	} else {
		put_intf(&d, 0, 0, (uint8_t)declared);
		put_eps(p, &r, &d, speed, actual);
	}
	if (p->desc_muts & FUZZ_DESC_EXTRA_INTF) {
		/* a second pawlink interface sharing the device */
		unsigned int n = fuzz_below(&r, 5);

		put_intf(&d, 1, 0, (uint8_t)n);
		put_eps(p, &r, &d, speed, n);
		num_intf = 2;
	}

	c[0] = USB_DT_CONFIG_SIZE;
	c[1] = USB_DT_CONFIG;
	pawlink_store_le16(c + 2, (uint16_t)d.len);
	c[4] = num_intf;
	c[5] = 1;
	c[6] = 0;
	c[7] = USB_CONFIG_ATT_ONE;
	c[8] = 50;

	if ((p->desc_muts & FUZZ_DESC_BAD_LENGTH) && d.len > USB_DT_CONFIG_SIZE) {
		static const uint8_t lies[] = { 0, 1, 2, 3, 6, 8, 10, 255 };

		/* some descriptor after the configuration's own */
		at = USB_DT_CONFIG_SIZE;
		while (at + out[at] < d.len && out[at] >= 2 && fuzz_chance(&r, 60))
			at += out[at];
		out[at] = lies[fuzz_below(&r, sizeof(lies))];
	}
	if (p->desc_muts & FUZZ_DESC_TOTAL_LENGTH) {
		int delta = (int)fuzz_below(&r, 64) - 32;
		int total = (int)d.len + (delta ? delta : 1);

		if (fuzz_chance(&r, 20))
			total = (int)fuzz_below(&r, USB_DT_CONFIG_SIZE);
		pawlink_store_le16(c + 2, (uint16_t)(total < 0 ? 0 : total));
	}
	return d.len;
}

/* ---- EP0 ------------------------------------------------------------------ */

enum fuzz_ep0_reply fuzz_ep0_decide(const struct fuzz_plan *p,
				    struct fuzz_rng *r, unsigned int *delay_us)
{
	enum fuzz_ep0_reply how;

	*delay_us = 0;
	if (!fuzz_chance(r, p->ep0_bad_percent))
		return FUZZ_EP0_RIGHT;
	how = (enum fuzz_ep0_reply)(1 + fuzz_below(r, FUZZ_EP0_COUNT - 1));
	if (how == FUZZ_EP0_SLOW)	/* well inside the host's 5 s timeout */
		*delay_us = 1000 * (1 + fuzz_below(r, 300));
	return how;
}

size_t fuzz_ep0_mutate(enum fuzz_ep0_reply how, struct fuzz_rng *r,
		       uint8_t *buf, size_t len, size_t cap)
{
	size_t n;

	switch (how) {
	case FUZZ_EP0_SHORT:
		return len ? fuzz_below(r, (uint32_t)len) : 0;
	case FUZZ_EP0_LONG:
		n = len + 1 + fuzz_below(r, 64);
		if (n > cap)
			n = cap;
		fuzz_bytes(r, buf + len, n - len);
		return n;
	case FUZZ_EP0_GARBAGE:
		fuzz_bytes(r, buf, len);
		return len;
	case FUZZ_EP0_FIELDS:
		if (len) {
			n = fuzz_below(r, (uint32_t)len);
			buf[n] = (uint8_t)(fuzz_chance(r, 50) ? 0xff :
					   fuzz_next(r));
			if (fuzz_chance(r, 50))
				buf[fuzz_below(r, (uint32_t)len)] = 0;
		}
		return len;
	default:
		return len;
	}
}

/* ---- IN transfers --------------------------------------------------------- */

static void put_hdr(uint8_t *out, uint8_t channel, uint16_t len,
		    uint32_t epoch, uint64_t counter)
{
	out[0] = PAWLINK_REC_VERSION;
	out[1] = channel;
	pawlink_store_le16(out + 2, len);
	pawlink_store_le32(out + 4, epoch);
	pawlink_store_le64(out + 8, counter);
}

size_t fuzz_link_event(uint8_t *out, uint64_t *event_counter, uint8_t state,
		       const uint8_t toy_id[PAWLINK_ID_LEN])
{
	const size_t body = sizeof(struct pawlink_event);
	uint8_t *ev = out + PAWLINK_REC_HDR_LEN;

	put_hdr(out, PAWLINK_CH_EVENT, (uint16_t)body, 0, ++*event_counter);
	memset(ev, 0, body);
	ev[0] = PAWLINK_EVENT_LINK;
	ev[4] = state;
	if (state == PAWLINK_LINK_CONNECTED)
		memcpy(ev + 8, toy_id, PAWLINK_ID_LEN);
	return PAWLINK_REC_HDR_LEN + body;
}

static size_t make_event(struct fuzz_rng *r, uint64_t *event_counter,
			 uint8_t *out, bool bad)
{
	const size_t body = sizeof(struct pawlink_event);
	uint8_t *ev = out + PAWLINK_REC_HDR_LEN, toy[PAWLINK_ID_LEN];

	fuzz_bytes(r, toy, sizeof(toy));
	fuzz_link_event(out, event_counter, (uint8_t)fuzz_below(r, 4), toy);
	if (!bad)
		return PAWLINK_REC_HDR_LEN + body;
	switch (fuzz_below(r, 5)) {
	case 0:
		ev[0] = (uint8_t)fuzz_next(r);
		break;
	case 1:
		ev[4] = (uint8_t)(4 + fuzz_below(r, 252));
		break;
	case 2:
		fuzz_bytes(r, ev + 1, 3);
		break;
	case 3:	/* counter going back */
		pawlink_store_le64(out + 8, fuzz_below(r, 2));
		break;
	default: { /* another length, header saying so */
		uint16_t n = (uint16_t)fuzz_below(r, 64);

		fuzz_bytes(r, ev, n);
		ev[0] = PAWLINK_EVENT_LINK;
		pawlink_store_le16(out + 2, n);
		return PAWLINK_REC_HDR_LEN + n;
	}
	}
	return PAWLINK_REC_HDR_LEN + body;
}

/* A well-framed record of @channel with a random body. */
static size_t make_record(struct fuzz_rng *r, uint8_t channel, uint16_t body,
			  uint8_t *out)
{
	put_hdr(out, channel, body, channel == PAWLINK_CH_PLAIN ? 0 :
		1 + fuzz_below(r, 3), 1 + fuzz_below(r, 1u << 20));
	fuzz_bytes(r, out + PAWLINK_REC_HDR_LEN, body);
	return PAWLINK_REC_HDR_LEN + (size_t)body;
}

size_t fuzz_in_record(const struct fuzz_plan *p, struct fuzz_rng *r, int ep,
		      uint16_t maxp, uint64_t *event_counter,
		      uint8_t out[FUZZ_XFER_MAX], enum fuzz_rec_kind *kind,
		      bool *zlp)
{
	bool audio = ep == PAWLINK_EP_AUDIO_IN;
	size_t len, n;

	*zlp = true;
	if (!fuzz_chance(r, p->rec_bad_percent)) {
		/* good traffic: what a dongle with no toy could send */
		if (audio) {
			*kind = FUZZ_REC_AUDIO;
			return make_record(r, PAWLINK_CH_AUDIO, (uint16_t)
					   (12 + 320 + PAWLINK_TAG_LEN), out);
		}
		/* few: a LINK event saying idle or lost ends a session */
		*kind = fuzz_chance(r, 10) ? FUZZ_REC_EVENT : FUZZ_REC_PLAIN;
		if (*kind == FUZZ_REC_EVENT)
			return make_event(r, event_counter, out, false);
		return make_record(r, PAWLINK_CH_PLAIN,
				   (uint16_t)(1 + fuzz_below(r, PAWLINK_FRAME_MAX)),
				   out);
	}

	*kind = (enum fuzz_rec_kind)fuzz_below(r, FUZZ_REC_COUNT);
	switch (*kind) {
	case FUZZ_REC_PLAIN:
		return make_record(r, PAWLINK_CH_PLAIN,
				   (uint16_t)fuzz_below(r, PAWLINK_FRAME_MAX + 1),
				   out);
	case FUZZ_REC_EVENT:
	case FUZZ_REC_EVENT_BAD:
		return make_event(r, event_counter, out,
				  *kind == FUZZ_REC_EVENT_BAD);
	case FUZZ_REC_AUDIO:
		return make_record(r, PAWLINK_CH_AUDIO, (uint16_t)
				   fuzz_below(r, PAWLINK_FRAME_MAX +
					      PAWLINK_TAG_LEN + 1), out);
	case FUZZ_REC_SEALED:
		return make_record(r, PAWLINK_CH_CTRL, (uint16_t)
				   fuzz_below(r, PAWLINK_FRAME_MAX +
					      PAWLINK_TAG_LEN + 1), out);
	case FUZZ_REC_HEADER:
		len = make_record(r, PAWLINK_CH_PLAIN,
				  (uint16_t)fuzz_below(r, 64), out);
		fuzz_bytes(r, out, 2);
		if (fuzz_chance(r, 50))
			fuzz_bytes(r, out + 4, 12);
		return len;
	case FUZZ_REC_LEN_OVER:
		len = make_record(r, audio ? PAWLINK_CH_AUDIO : PAWLINK_CH_PLAIN,
				  (uint16_t)fuzz_below(r, 256), out);
		pawlink_store_le16(out + 2, (uint16_t)(len - PAWLINK_REC_HDR_LEN +
					    1 + fuzz_below(r, 0xffff - 300)));
		return len;
	case FUZZ_REC_LEN_UNDER:
		len = make_record(r, audio ? PAWLINK_CH_AUDIO : PAWLINK_CH_PLAIN,
				  (uint16_t)(1 + fuzz_below(r, 256)), out);
		pawlink_store_le16(out + 2, (uint16_t)fuzz_below(r, (uint32_t)
					    (len - PAWLINK_REC_HDR_LEN)));
		return len;
	case FUZZ_REC_OVERSIZED:
		n = PAWLINK_RECORD_MAX + 1 +
		    fuzz_below(r, FUZZ_XFER_MAX - PAWLINK_RECORD_MAX);
		put_hdr(out, audio ? PAWLINK_CH_AUDIO : PAWLINK_CH_PLAIN,
			(uint16_t)(n - PAWLINK_REC_HDR_LEN), 0, 1);
		fuzz_bytes(r, out + PAWLINK_REC_HDR_LEN, n - PAWLINK_REC_HDR_LEN);
		return n;
	case FUZZ_REC_TINY:
		n = fuzz_below(r, PAWLINK_REC_HDR_LEN);
		fuzz_bytes(r, out, n);
		return n;
	case FUZZ_REC_PACKET:
	default:
		*kind = FUZZ_REC_PACKET;
		/* whole packets, the host's buffer edge, with or without ZLP */
		n = (size_t)maxp * (1 + fuzz_below(r, 2));
		if (n > PAWLINK_RECORD_MAX)
			n = maxp;
		if (n < PAWLINK_REC_HDR_LEN)
			n = PAWLINK_REC_HDR_LEN;
		put_hdr(out, audio ? PAWLINK_CH_AUDIO : PAWLINK_CH_PLAIN,
			(uint16_t)(n - PAWLINK_REC_HDR_LEN), 0, 1);
		fuzz_bytes(r, out + PAWLINK_REC_HDR_LEN, n - PAWLINK_REC_HDR_LEN);
		*zlp = fuzz_chance(r, 50);
		return n;
	}
}

enum fuzz_in_action fuzz_in_next(const struct fuzz_plan *p, struct fuzz_rng *r,
				 unsigned int *us)
{
	*us = 0;
	if (fuzz_chance(r, p->halt_percent)) {
		*us = 1000 * fuzz_below(r, 50);
		return FUZZ_IN_HALT;
	}
	if (fuzz_chance(r, 3)) {
		*us = 1000 * (1 + fuzz_below(r, 200));
		return FUZZ_IN_PAUSE;
	}
	if (p->gap_max_us)
		*us = fuzz_below(r, p->gap_max_us);
	return FUZZ_IN_SEND;
}
