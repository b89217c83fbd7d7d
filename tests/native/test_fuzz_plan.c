// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzzing dongle's mutation engine (userspace/sim/fuzz_plan.c), without
 * a kernel:
 *
 *  - one seed gives one iteration: the plan, the descriptors, the EP0
 *    answers and every IN transfer are the same bytes each time, and
 *    another seed gives others (a failing seed replays);
 *  - over a few thousand seeds every class, descriptor mutation, EP0
 *    reply, record kind and IN action occurs, and most iterations are
 *    about I/O (they get past probe);
 *  - what is meant to be right is right: unmutated descriptors at each
 *    speed, well-framed good records; and what is meant to be wrong is
 *    wrong in the way its kind says.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <linux/usb/ch9.h>

#include "byteorder.h"
#include "fuzz_plan.h"

#define SEEDS		3000
#define DRAWS		64

/* Everything one iteration sends, in order, as one byte string. */
struct iteration {
	uint8_t bytes[FUZZ_DESC_MAX + 18 + DRAWS * 64 + 2 * DRAWS * 64];
	size_t len;
};

static void put(struct iteration *it, const void *p, size_t n)
{
	assert_true(it->len + n <= sizeof(it->bytes));
	memcpy(it->bytes + it->len, p, n);
	it->len += n;
}

/* A digest of the transfers, so long ones need no room. */
static uint64_t fnv(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n--)
		h = (h ^ *p++) * 0x100000001b3ULL;
	return h;
}

static void run_iteration(uint64_t seed, struct iteration *it)
{
	static uint8_t xfer[FUZZ_XFER_MAX];
	uint8_t desc[FUZZ_DESC_MAX], ep0[256];
	struct fuzz_rng r;
	struct fuzz_plan p;
	enum fuzz_rec_kind kind;
	enum fuzz_ep0_reply how;
	uint64_t events = 0, h;
	unsigned int i, us;
	size_t n;
	bool zlp;
	int ep;

	memset(it, 0, sizeof(*it));
	fuzz_plan_make(&p, seed);
	put(it, &p, sizeof(p));
	n = fuzz_device_desc(&p, desc);
	put(it, desc, n);
	n = fuzz_config_desc(&p, USB_SPEED_HIGH, desc);
	put(it, desc, n);

	fuzz_rng_init(&r, seed, FUZZ_STREAM_EP0);
	for (i = 0; i < DRAWS; i++) {
		memset(ep0, 0xa5, 16);
		how = fuzz_ep0_decide(&p, &r, &us);
		n = fuzz_ep0_mutate(how, &r, ep0, 16, sizeof(ep0));
		put(it, &how, sizeof(how));
		put(it, &us, sizeof(us));
		put(it, ep0, n);
	}
	for (ep = PAWLINK_EP_CTRL_IN; ep <= PAWLINK_EP_AUDIO_IN; ep += 2) {
		fuzz_rng_init(&r, seed, ep == PAWLINK_EP_CTRL_IN ?
			      FUZZ_STREAM_CTRL_IN : FUZZ_STREAM_AUDIO_IN);
		for (i = 0; i < DRAWS; i++) {
			put(it, (uint8_t[]){ fuzz_in_next(&p, &r, &us) }, 1);
			n = fuzz_in_record(&p, &r, ep, 512, &events, xfer,
					   &kind, &zlp);
			h = fnv(xfer, n);
			put(it, &h, sizeof(h));
			put(it, &n, sizeof(n));
		}
	}
}

/* Same seed, same bytes; next seed, other bytes. */
static void test_one_seed_one_iteration(void **state)
{
	static struct iteration a, b;
	uint64_t seed;

	(void)state;
	for (seed = 0; seed < 200; seed++) {
		run_iteration(seed * 0x9e3779b97f4a7c15ULL, &a);
		run_iteration(seed * 0x9e3779b97f4a7c15ULL, &b);
		assert_int_equal(a.len, b.len);
		assert_memory_equal(a.bytes, b.bytes, a.len);
		run_iteration(seed * 0x9e3779b97f4a7c15ULL + 1, &b);
		assert_true(a.len != b.len || memcmp(a.bytes, b.bytes, a.len));
	}
}

/* Streams are independent: drawing from one leaves another unchanged. */
static void test_streams_apart(void **state)
{
	struct fuzz_rng a, b, c;
	int i;

	(void)state;
	fuzz_rng_init(&a, 42, FUZZ_STREAM_CTRL_IN);
	fuzz_rng_init(&b, 42, FUZZ_STREAM_AUDIO_IN);
	fuzz_rng_init(&c, 42, FUZZ_STREAM_CTRL_IN);
	for (i = 0; i < 100; i++)
		fuzz_next(&b);
	for (i = 0; i < 100; i++)
		assert_true(fuzz_next(&a) == fuzz_next(&c));
	fuzz_rng_init(&b, 42, FUZZ_STREAM_AUDIO_IN);
	fuzz_rng_init(&a, 42, FUZZ_STREAM_CTRL_IN);
	assert_true(fuzz_next(&a) != fuzz_next(&b));
}

/* Every mutation occurs; most iterations reach I/O. */
static void test_every_mutation_occurs(void **state)
{
	unsigned int cls[FUZZ_CLASS_COUNT] = { 0 }, muts[FUZZ_DESC_COUNT] = { 0 };
	unsigned int replies[FUZZ_EP0_COUNT] = { 0 }, kinds[FUZZ_REC_COUNT] = { 0 };
	unsigned int actions[3] = { 0 }, nak = 0, by_count = 0, i, us;
	static uint8_t xfer[FUZZ_XFER_MAX];
	enum fuzz_rec_kind kind;
	struct fuzz_plan p;
	struct fuzz_rng r;
	uint64_t seed, events = 0;
	bool zlp;

	(void)state;
	for (seed = 0; seed < SEEDS; seed++) {
		fuzz_plan_make(&p, seed);
		cls[p.cls]++;
		for (i = 0; i < FUZZ_DESC_COUNT; i++)
			muts[i] += !!(p.desc_muts & (1u << i));
		assert_true(p.cls == FUZZ_CLASS_DESC || !p.desc_muts);
		nak += !p.read_out;
		by_count += p.disconnect_after_xfers != 0;
		assert_true(p.disconnect_after_ms < p.give_up_ms);

		fuzz_rng_init(&r, seed, FUZZ_STREAM_EP0);
		for (i = 0; i < 8; i++)
			replies[fuzz_ep0_decide(&p, &r, &us)]++;
		fuzz_rng_init(&r, seed, FUZZ_STREAM_CTRL_IN);
		for (i = 0; i < 8; i++) {
			actions[fuzz_in_next(&p, &r, &us)]++;
			fuzz_in_record(&p, &r, i & 1 ? PAWLINK_EP_AUDIO_IN :
				       PAWLINK_EP_CTRL_IN, 512, &events, xfer,
				       &kind, &zlp);
			kinds[kind]++;
		}
	}
	for (i = 0; i < FUZZ_CLASS_COUNT; i++)
		assert_true(cls[i] > 0);
	assert_true(cls[FUZZ_CLASS_IO] > SEEDS / 2);
	for (i = 0; i < FUZZ_DESC_COUNT; i++)
		assert_true(muts[i] > 0);
	for (i = 0; i < FUZZ_EP0_COUNT; i++)
		assert_true(replies[i] > 0);
	for (i = 0; i < FUZZ_REC_COUNT; i++)
		assert_true(kinds[i] > 0);
	for (i = 0; i < 3; i++)
		assert_true(actions[i] > 0);
	assert_true(nak > 0 && nak < SEEDS);
	assert_true(by_count > 0 && by_count < SEEDS);
}

/* A plan without descriptor mutations describes the real interface. */
static void check_right_config(const struct fuzz_plan *p, int speed)
{
	static const uint16_t maxp[] = { 64, 512, 1024 };
	uint16_t want = maxp[speed == USB_SPEED_FULL ? 0 :
			     speed == USB_SPEED_HIGH ? 1 : 2];
	uint8_t d[FUZZ_DESC_MAX], dev[18];
	size_t len = fuzz_config_desc(p, speed, d), at;
	int i;

	assert_int_equal(fuzz_device_desc(p, dev), 18);
	assert_int_equal(pawlink_load_le16(dev + 8), PAWLINK_USB_VID);
	assert_int_equal(dev[17], 1);
	assert_int_equal(pawlink_load_le16(d + 2), len);
	assert_int_equal(d[4], 1);
	at = USB_DT_CONFIG_SIZE;
	assert_int_equal(d[at + 1], USB_DT_INTERFACE);
	assert_int_equal(d[at + 4], PAWLINK_NUM_EPS);
	assert_int_equal(d[at + 5], PAWLINK_USB_CLASS);
	at += USB_DT_INTERFACE_SIZE;
	for (i = 0; i < PAWLINK_NUM_EPS; i++) {
		assert_int_equal(d[at], USB_DT_ENDPOINT_SIZE);
		assert_int_equal(d[at + 2], fuzz_ep_addr[i]);
		assert_int_equal(d[at + 3], USB_ENDPOINT_XFER_BULK);
		assert_int_equal(pawlink_load_le16(d + at + 4), want);
		at += USB_DT_ENDPOINT_SIZE;
		if (speed == USB_SPEED_SUPER) {
			assert_int_equal(d[at + 1], USB_DT_SS_ENDPOINT_COMP);
			at += USB_DT_SS_EP_COMP_SIZE;
		}
	}
	assert_int_equal(at, len);
}

static void test_right_when_unmutated(void **state)
{
	static uint8_t xfer[FUZZ_XFER_MAX];
	enum fuzz_rec_kind kind;
	struct fuzz_plan p;
	struct fuzz_rng r;
	uint64_t seed, events = 0;
	unsigned int i, checked = 0;
	size_t n;
	bool zlp;

	(void)state;
	for (seed = 0; seed < 500; seed++) {
		fuzz_plan_make(&p, seed);
		if (p.cls == FUZZ_CLASS_DESC)
			continue;
		check_right_config(&p, USB_SPEED_FULL);
		check_right_config(&p, USB_SPEED_HIGH);
		check_right_config(&p, USB_SPEED_SUPER);
		/* good traffic is well framed */
		p.rec_bad_percent = 0;
		fuzz_rng_init(&r, seed, FUZZ_STREAM_CTRL_IN);
		for (i = 0; i < 16; i++) {
			n = fuzz_in_record(&p, &r, i & 1 ? PAWLINK_EP_AUDIO_IN :
					   PAWLINK_EP_CTRL_IN, 512, &events,
					   xfer, &kind, &zlp);
			assert_true(n >= PAWLINK_REC_HDR_LEN &&
				    n <= PAWLINK_RECORD_MAX);
			assert_int_equal(pawlink_load_le16(xfer + 2) +
					 PAWLINK_REC_HDR_LEN, n);
			assert_int_equal(xfer[0], PAWLINK_REC_VERSION);
			checked++;
		}
	}
	assert_true(checked > 0);
}

/* Each bad kind is bad in its own way. */
static void test_bad_records_are_bad(void **state)
{
	static uint8_t xfer[FUZZ_XFER_MAX];
	unsigned int seen[FUZZ_REC_COUNT] = { 0 }, i;
	enum fuzz_rec_kind kind;
	struct fuzz_plan p;
	struct fuzz_rng r;
	uint64_t events = 0;
	size_t n;
	bool zlp;

	(void)state;
	fuzz_plan_make(&p, 7);
	p.rec_bad_percent = 100;
	fuzz_rng_init(&r, 7, FUZZ_STREAM_AUDIO_IN);
	for (i = 0; i < 4000; i++) {
		n = fuzz_in_record(&p, &r, PAWLINK_EP_AUDIO_IN, 512, &events,
				   xfer, &kind, &zlp);
		assert_true(n <= FUZZ_XFER_MAX);
		seen[kind]++;
		switch (kind) {
		case FUZZ_REC_LEN_OVER:
			assert_true(pawlink_load_le16(xfer + 2) >
				    n - PAWLINK_REC_HDR_LEN);
			break;
		case FUZZ_REC_LEN_UNDER:
			assert_true(pawlink_load_le16(xfer + 2) <
				    n - PAWLINK_REC_HDR_LEN);
			break;
		case FUZZ_REC_OVERSIZED:
			assert_true(n > PAWLINK_RECORD_MAX);
			break;
		case FUZZ_REC_TINY:
			assert_true(n < PAWLINK_REC_HDR_LEN);
			break;
		case FUZZ_REC_PACKET:
			assert_int_equal(n % 512, 0);
			break;
		default:
			break;
		}
	}
	assert_true(seen[FUZZ_REC_LEN_OVER] && seen[FUZZ_REC_OVERSIZED] &&
		    seen[FUZZ_REC_TINY] && seen[FUZZ_REC_PACKET]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_seed_one_iteration),
		cmocka_unit_test(test_streams_apart),
		cmocka_unit_test(test_every_mutation_occurs),
		cmocka_unit_test(test_right_when_unmutated),
		cmocka_unit_test(test_bad_records_are_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
