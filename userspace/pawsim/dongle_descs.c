// SPDX-License-Identifier: GPL-2.0
/*
 * pawsim dongle: the descriptor and string blocks FunctionFS wants on ep0.
 *
 * One table says what each endpoint is at each speed; the descriptor
 * faults are edits of that table, so the bytes the host enumerates differ
 * from a good dongle's only where the fault says.  Everything is written
 * byte by byte in little endian, never by casting packed structs.
 */
#include <errno.h>
#include <string.h>

#include <linux/usb/ch9.h>
#include <linux/usb/functionfs.h>

#include <linux/pawlink.h>

#include "dongle_descs.h"

enum speed { FS, HS, SS, NUM_SPEEDS };

struct ep_shape {
	uint8_t address;		/* FunctionFS-local: 1..4, | 0x80 if IN */
	uint8_t attributes;		/* USB_ENDPOINT_XFER_* */
	uint16_t maxp[NUM_SPEEDS];
	uint8_t interval[NUM_SPEEDS];
};

/* The good dongle: PAWLINK_EP_* order, all bulk. */
static const struct ep_shape good_eps[PAWLINK_NUM_EPS] = {
	[PAWLINK_EP_CTRL_OUT] = { USB_DIR_OUT | 1, USB_ENDPOINT_XFER_BULK,
		{ DONGLE_MAXP_FS, DONGLE_MAXP_HS, DONGLE_MAXP_SS }, { 0 } },
	[PAWLINK_EP_CTRL_IN] = { USB_DIR_IN | 2, USB_ENDPOINT_XFER_BULK,
		{ DONGLE_MAXP_FS, DONGLE_MAXP_HS, DONGLE_MAXP_SS }, { 0 } },
	[PAWLINK_EP_AUDIO_OUT] = { USB_DIR_OUT | 3, USB_ENDPOINT_XFER_BULK,
		{ DONGLE_MAXP_FS, DONGLE_MAXP_HS, DONGLE_MAXP_SS }, { 0 } },
	[PAWLINK_EP_AUDIO_IN] = { USB_DIR_IN | 4, USB_ENDPOINT_XFER_BULK,
		{ DONGLE_MAXP_FS, DONGLE_MAXP_HS, DONGLE_MAXP_SS }, { 0 } },
};

struct blob {
	uint8_t *p;
	size_t cap, len;
	int err;
};

static void put_u8(struct blob *b, uint8_t v)
{
	if (b->len >= b->cap) {
		b->err = -ENOSPC;
		return;
	}
	b->p[b->len++] = v;
}

static void put_le16(struct blob *b, uint16_t v)
{
	put_u8(b, (uint8_t)v);
	put_u8(b, (uint8_t)(v >> 8));
}

static void put_le32(struct blob *b, uint32_t v)
{
	put_le16(b, (uint16_t)v);
	put_le16(b, (uint16_t)(v >> 16));
}

static void patch_le32(struct blob *b, size_t at, uint32_t v)
{
	if (at + 4 > b->len)
		return;
	b->p[at] = (uint8_t)v;
	b->p[at + 1] = (uint8_t)(v >> 8);
	b->p[at + 2] = (uint8_t)(v >> 16);
	b->p[at + 3] = (uint8_t)(v >> 24);
}

unsigned int dongle_descs_num_eps(enum dongle_fault_mode mode)
{
	return mode == DONGLE_FAULT_MISSING_EP ? PAWLINK_NUM_EPS - 1 :
						 PAWLINK_NUM_EPS;
}

/* The endpoint table of @mode: the good one, edited by the fault. */
static void shape_eps(enum dongle_fault_mode mode,
		      struct ep_shape eps[PAWLINK_NUM_EPS])
{
	struct ep_shape *audio_in = &eps[PAWLINK_EP_AUDIO_IN];

	memcpy(eps, good_eps, sizeof(good_eps));
	switch (mode) {
	case DONGLE_FAULT_WRONG_TYPE:
		/* Interrupt, every 1 ms at each speed (bInterval 1 / 4 / 4). */
		audio_in->attributes = USB_ENDPOINT_XFER_INT;
		audio_in->interval[FS] = 1;
		audio_in->interval[HS] = 4;
		audio_in->interval[SS] = 4;
		break;
	case DONGLE_FAULT_ZERO_MAXPACKET:
		/*
		 * Zero at every speed: FunctionFS copies a zero high/super
		 * speed size from the full-speed one, so zero only at full
		 * speed would look the same anyway.
		 */
		memset(audio_in->maxp, 0, sizeof(audio_in->maxp));
		break;
	default:
		break;
	}
}

static void put_interface(struct blob *b, unsigned int num_eps,
			  uint8_t string)
{
	put_u8(b, USB_DT_INTERFACE_SIZE);
	put_u8(b, USB_DT_INTERFACE);
	put_u8(b, 0);			/* bInterfaceNumber (FunctionFS-local) */
	put_u8(b, 0);			/* bAlternateSetting */
	put_u8(b, (uint8_t)num_eps);
	put_u8(b, PAWLINK_USB_CLASS);
	put_u8(b, PAWLINK_USB_SUBCLASS);
	put_u8(b, PAWLINK_USB_PROTOCOL);
	put_u8(b, string);		/* iInterface */
}

static void put_endpoint(struct blob *b, const struct ep_shape *ep,
			 enum speed s)
{
	put_u8(b, USB_DT_ENDPOINT_SIZE);
	put_u8(b, USB_DT_ENDPOINT);
	put_u8(b, ep->address);
	put_u8(b, ep->attributes);
	put_le16(b, ep->maxp[s]);
	put_u8(b, ep->interval[s]);
}

static void put_ss_companion(struct blob *b, const struct ep_shape *ep)
{
	/* Periodic endpoints reserve one packet per interval. */
	uint16_t per_interval = ep->attributes == USB_ENDPOINT_XFER_BULK ?
				0 : ep->maxp[SS];

	put_u8(b, USB_DT_SS_EP_COMP_SIZE);
	put_u8(b, USB_DT_SS_ENDPOINT_COMP);
	put_u8(b, 0);			/* bMaxBurst: one packet */
	put_u8(b, 0);			/* bmAttributes: no streams */
	put_le16(b, per_interval);	/* wBytesPerInterval */
}

ssize_t dongle_descs_build(enum dongle_fault_mode mode, uint8_t *out,
			   size_t cap)
{
	struct ep_shape eps[PAWLINK_NUM_EPS];
	unsigned int num_eps = dongle_descs_num_eps(mode);
	struct blob b = { .p = out, .cap = cap };
	unsigned int i;
	enum speed s;

	shape_eps(mode, eps);

	put_le32(&b, FUNCTIONFS_DESCRIPTORS_MAGIC_V2);
	put_le32(&b, 0);		/* length, patched below */
	put_le32(&b, FUNCTIONFS_HAS_FS_DESC | FUNCTIONFS_HAS_HS_DESC |
		     FUNCTIONFS_HAS_SS_DESC);
	put_le32(&b, 1 + num_eps);	/* fs_count */
	put_le32(&b, 1 + num_eps);	/* hs_count */
	put_le32(&b, 1 + 2 * num_eps);	/* ss_count: each ep has a companion */

	for (s = FS; s < NUM_SPEEDS; s++) {
		put_interface(&b, num_eps, 1);	/* FunctionFS: its one string */
		for (i = 0; i < num_eps; i++) {
			put_endpoint(&b, &eps[i], s);
			if (s == SS)
				put_ss_companion(&b, &eps[i]);
		}
	}
	if (b.err)
		return b.err;
	patch_le32(&b, 4, (uint32_t)b.len);
	return (ssize_t)b.len;
}

ssize_t dongle_strings_build(uint8_t *out, size_t cap)
{
	static const char str[] = DONGLE_INTERFACE_STRING;
	struct blob b = { .p = out, .cap = cap };
	size_t i;

	put_le32(&b, FUNCTIONFS_STRINGS_MAGIC);
	put_le32(&b, 0);		/* length, patched below */
	put_le32(&b, 1);		/* str_count */
	put_le32(&b, 1);		/* lang_count */
	put_le16(&b, 0x0409);		/* en-US */
	for (i = 0; i < sizeof(str); i++)	/* with its NUL */
		put_u8(&b, (uint8_t)str[i]);
	if (b.err)
		return b.err;
	patch_le32(&b, 4, (uint32_t)b.len);
	return (ssize_t)b.len;
}

/* One configuration descriptor and what follows it, at speed @s. */
static void put_config(struct blob *b, const struct ep_shape *eps,
		       unsigned int num_eps, enum speed s)
{
	size_t start = b->len;
	unsigned int i;

	put_u8(b, USB_DT_CONFIG_SIZE);
	put_u8(b, USB_DT_CONFIG);
	put_le16(b, 0);			/* wTotalLength, patched below */
	put_u8(b, 1);			/* bNumInterfaces */
	put_u8(b, 1);			/* bConfigurationValue */
	put_u8(b, 0);			/* iConfiguration */
	put_u8(b, USB_CONFIG_ATT_ONE);	/* bus powered, no remote wakeup */
	put_u8(b, DONGLE_MAX_POWER_MA / 2);
	put_interface(b, num_eps, DONGLE_STR_INTERFACE);
	for (i = 0; i < num_eps; i++)
		put_endpoint(b, &eps[i], s);
	if (!b->err) {
		b->p[start + 2] = (uint8_t)(b->len - start);
		b->p[start + 3] = (uint8_t)((b->len - start) >> 8);
	}
}

ssize_t dongle_gadgetfs_descs_build(enum dongle_fault_mode mode, uint8_t *out,
				    size_t cap)
{
	struct ep_shape eps[PAWLINK_NUM_EPS];
	unsigned int num_eps = dongle_descs_num_eps(mode);
	struct blob b = { .p = out, .cap = cap };

	shape_eps(mode, eps);

	put_le32(&b, 0);		/* format tag */
	put_config(&b, eps, num_eps, FS);
	put_config(&b, eps, num_eps, HS);

	put_u8(&b, USB_DT_DEVICE_SIZE);
	put_u8(&b, USB_DT_DEVICE);
	put_le16(&b, 0x0200);		/* bcdUSB (gadgetfs forces it anyway) */
	put_u8(&b, 0);			/* bDeviceClass: per interface */
	put_u8(&b, 0);			/* bDeviceSubClass */
	put_u8(&b, 0);			/* bDeviceProtocol */
	put_u8(&b, 64);			/* bMaxPacketSize0 (the UDC's wins) */
	put_le16(&b, PAWLINK_USB_VID);
	put_le16(&b, PAWLINK_USB_PID);
	put_le16(&b, DONGLE_BCD_DEVICE);
	put_u8(&b, DONGLE_STR_MANUFACTURER);
	put_u8(&b, DONGLE_STR_PRODUCT);
	put_u8(&b, DONGLE_STR_SERIAL);
	put_u8(&b, 1);			/* bNumConfigurations */
	if (b.err)
		return b.err;
	return (ssize_t)b.len;
}
