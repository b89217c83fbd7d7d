/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fuzzing dongle's mutation engine: from one 64-bit seed, everything a
 * misbehaving dongle does in one iteration (Documentation/testing.rst,
 * "The fuzzing dongle").  It does no I/O: pawsim dongle --fuzz applies it on
 * the kernel's raw gadget, and the native test checks it is deterministic.
 *
 * Each decision stream (descriptors, EP0, each IN endpoint, the OUT
 * readers) has its own generator derived from the seed, so what one thread
 * draws never shifts what another draws, whatever the scheduling.
 */
#ifndef PAWSIM_FUZZ_PLAN_H
#define PAWSIM_FUZZ_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/pawlink.h>

/* splitmix64: small, fast, and the same sequence on every machine. */
struct fuzz_rng {
	uint64_t state;
};

enum fuzz_stream {
	FUZZ_STREAM_PLAN,
	FUZZ_STREAM_DESC,
	FUZZ_STREAM_EP0,
	FUZZ_STREAM_CTRL_IN,
	FUZZ_STREAM_AUDIO_IN,
	FUZZ_STREAM_OUT,
};

void fuzz_rng_init(struct fuzz_rng *r, uint64_t seed, enum fuzz_stream s);
uint64_t fuzz_next(struct fuzz_rng *r);
/* Uniform in [0, n); 0 when n is 0. */
uint32_t fuzz_below(struct fuzz_rng *r, uint32_t n);
/* True with probability @percent / 100. */
bool fuzz_chance(struct fuzz_rng *r, unsigned int percent);

/*
 * What an iteration is mostly about.  Weighted so that most iterations
 * bind the driver and reach I/O.
 */
enum fuzz_class {
	FUZZ_CLASS_IO,		/* valid descriptors and GET_INFO; bad traffic */
	FUZZ_CLASS_EP0,		/* valid descriptors; bad EP0 replies */
	FUZZ_CLASS_DESC,	/* bad descriptors (probe and the USB core) */
	FUZZ_CLASS_COUNT,
};

/* Descriptor mutations, a bit each (FUZZ_CLASS_DESC picks one to three). */
enum fuzz_desc_mut {
	FUZZ_DESC_EP_COUNT = 1u << 0,	/* bNumEndpoints and descriptors 0..6 */
	FUZZ_DESC_EP_TYPE = 1u << 1,	/* an endpoint of another type */
	FUZZ_DESC_EP_DIR = 1u << 2,	/* an endpoint of the other direction */
	FUZZ_DESC_EP_MAXP = 1u << 3,	/* odd wMaxPacketSize */
	FUZZ_DESC_EP_ADDR = 1u << 4,	/* duplicate or zero address */
	FUZZ_DESC_EXTRA_INTF = 1u << 5,	/* a second pawlink interface */
	FUZZ_DESC_ALTSETTING = 1u << 6,	/* alternate settings */
	FUZZ_DESC_BAD_LENGTH = 1u << 7,	/* a bLength that lies */
	FUZZ_DESC_TOTAL_LENGTH = 1u << 8, /* wTotalLength that lies */
	FUZZ_DESC_JUNK = 1u << 9,	/* unknown descriptors in between */
	FUZZ_DESC_DEVICE = 1u << 10,	/* device descriptor fields */
	FUZZ_DESC_COUNT = 11,
};

/* How one EP0 vendor request is answered. */
enum fuzz_ep0_reply {
	FUZZ_EP0_RIGHT,		/* as Documentation/usb-interface.rst says */
	FUZZ_EP0_STALL,
	FUZZ_EP0_SHORT,		/* fewer bytes than asked */
	FUZZ_EP0_LONG,		/* more bytes than asked (babble) */
	FUZZ_EP0_GARBAGE,	/* the right length, random bytes */
	FUZZ_EP0_FIELDS,	/* the right length, one field changed */
	FUZZ_EP0_SLOW,		/* right, after a delay */
	FUZZ_EP0_COUNT,
};

/* What one transfer on an IN endpoint is. */
enum fuzz_rec_kind {
	FUZZ_REC_PLAIN,		/* a well-framed plaintext record */
	FUZZ_REC_EVENT,		/* a well-formed LINK event */
	FUZZ_REC_EVENT_BAD,	/* an event of odd type, state or length */
	FUZZ_REC_AUDIO,		/* an audio record that opens with no key */
	FUZZ_REC_SEALED,	/* a CTRL record with random ciphertext */
	FUZZ_REC_HEADER,	/* random version, channel, epoch, counter */
	FUZZ_REC_LEN_OVER,	/* header len beyond the transfer */
	FUZZ_REC_LEN_UNDER,	/* header len short of the transfer */
	FUZZ_REC_OVERSIZED,	/* transfer beyond PAWLINK_RECORD_MAX */
	FUZZ_REC_TINY,		/* 0 to 15 bytes */
	FUZZ_REC_PACKET,	/* a whole number of packets, ZLP or not */
	FUZZ_REC_COUNT,
};

/* What the dongle does with an IN endpoint besides sending. */
enum fuzz_in_action {
	FUZZ_IN_SEND,
	FUZZ_IN_HALT,		/* halt the endpoint, then clear it */
	FUZZ_IN_PAUSE,		/* send nothing for a while */
};

/* Largest transfer the engine makes (OVERSIZED up to this). */
#define FUZZ_XFER_MAX		4096
/* Largest descriptor block (configuration) it makes. */
#define FUZZ_DESC_MAX		512

struct fuzz_plan {
	uint64_t seed;
	enum fuzz_class cls;
	uint32_t desc_muts;		/* enum fuzz_desc_mut bits */
	unsigned int ep0_bad_percent;	/* share of vendor requests mutated */
	unsigned int rec_bad_percent;	/* share of IN transfers mutated */
	unsigned int gap_max_us;	/* between IN transfers, 0: bursts */
	unsigned int halt_percent;	/* IN actions that halt */
	bool read_out;			/* false: OUT endpoints NAK forever */
	unsigned int out_delay_max_us;	/* before each OUT read */
	unsigned int disconnect_after_ms; /* after SET_CONFIGURATION */
	unsigned int disconnect_after_xfers; /* IN transfers; 0: no limit */
	unsigned int give_up_ms;	/* unplug if never configured */
	uint8_t dongle_id[PAWLINK_ID_LEN];
};

/* Makes the plan of iteration @seed. */
void fuzz_plan_make(struct fuzz_plan *p, uint64_t seed);

const char *fuzz_class_name(enum fuzz_class c);

/* The endpoints the gadget really enables, in PAWLINK_EP_* order. */
#define FUZZ_EP_CTRL_OUT	0x02
#define FUZZ_EP_CTRL_IN		0x81
#define FUZZ_EP_AUDIO_OUT	0x07
#define FUZZ_EP_AUDIO_IN	0x86
extern const uint8_t fuzz_ep_addr[PAWLINK_NUM_EPS];

/* Bulk wMaxPacketSize for @speed (enum usb_device_speed). */
uint16_t fuzz_bulk_maxp(int speed);

/*
 * The device descriptor the host reads (18 bytes, or fewer when mutated);
 * returns its length.  Strings: 1 manufacturer, 2 product, 3 serial.
 */
size_t fuzz_device_desc(const struct fuzz_plan *p, uint8_t out[18]);

/*
 * The configuration descriptor with its interfaces and endpoints as the
 * host reads it at @speed, mutated as the plan says; returns its length.
 * The same plan always gives the same bytes.
 */
size_t fuzz_config_desc(const struct fuzz_plan *p, int speed,
			uint8_t out[FUZZ_DESC_MAX]);

/*
 * Decides how to answer one vendor request (from the EP0 stream); the
 * delay for FUZZ_EP0_SLOW goes to @delay_us.
 */
enum fuzz_ep0_reply fuzz_ep0_decide(const struct fuzz_plan *p,
				    struct fuzz_rng *r, unsigned int *delay_us);

/*
 * Turns the right reply @buf (@len bytes, room for @cap) into what
 * @how says; returns the new length.  For STALL and SLOW it changes
 * nothing.
 */
size_t fuzz_ep0_mutate(enum fuzz_ep0_reply how, struct fuzz_rng *r,
		       uint8_t *buf, size_t len, size_t cap);

/*
 * The next transfer on IN endpoint @ep (PAWLINK_EP_CTRL_IN or
 * PAWLINK_EP_AUDIO_IN) at packet size @maxp, into @out (FUZZ_XFER_MAX
 * bytes); *@event_counter counts the LINK events sent.  Returns the
 * length; the kind goes to @kind, and @zlp says whether to end a transfer
 * of whole packets with a zero-length packet.
 */
size_t fuzz_in_record(const struct fuzz_plan *p, struct fuzz_rng *r, int ep,
		      uint16_t maxp, uint64_t *event_counter,
		      uint8_t out[FUZZ_XFER_MAX], enum fuzz_rec_kind *kind,
		      bool *zlp);

/*
 * A well-formed LINK event in @state for toy @toy_id into @out (the
 * answer to a CONNECT); returns its length.
 */
size_t fuzz_link_event(uint8_t *out, uint64_t *event_counter, uint8_t state,
		       const uint8_t toy_id[PAWLINK_ID_LEN]);

/* What to do next on an IN endpoint; the pause or halt length to @us. */
enum fuzz_in_action fuzz_in_next(const struct fuzz_plan *p, struct fuzz_rng *r,
				 unsigned int *us);

#endif /* PAWSIM_FUZZ_PLAN_H */
