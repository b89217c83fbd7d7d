// SPDX-License-Identifier: GPL-2.0
/*
 * The userspace record layer: the shared vectors in tests/vectors/record.txt
 * and record-open.txt (made with OpenSSL, not libsodium), forgery, replay,
 * reorder, counter exhaustion, key install rules and key wiping.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "record_layer.h"
#include "testvec.h"
#include "byteorder.h"

static bool is_zero(const void *p, size_t len)
{
	return sodium_is_zero(p, len);
}

/* ---- shared vectors ----------------------------------------------------- */

static void test_seal_vectors(void **state)
{
	static uint8_t pt[PAWLINK_FRAME_MAX], rec[PAWLINK_RECORD_MAX];
	static uint8_t out[PAWLINK_RECORD_MAX];
	FILE *f = testvec_open("record.txt");
	char *line = NULL, *fld[7];
	size_t cap = 0, n, pt_len, rec_len, out_len;
	size_t count = 0, audio = 0;
	uint8_t key[PAWLINK_KEY_LEN];
	struct pawlink_record_tx tx;
	struct pawlink_record_rx rx;
	uint32_t epoch;
	uint8_t ch;

	(void)state;
	while (getline(&line, &cap, f) > 0) {
		n = testvec_fields(line, fld, 7);
		if (n == 0)
			continue;
		assert_int_equal(n, 6);
		testvec_hex_exact(fld[0], key, sizeof(key));
		epoch = (uint32_t)testvec_num(fld[1]);
		ch = (uint8_t)testvec_num(fld[2]);
		pt_len = testvec_hex(fld[4], pt, sizeof(pt));
		rec_len = testvec_hex(fld[5], rec, sizeof(rec));

		assert_int_equal(pawlink_record_tx_init(&tx, key, epoch, ch), 0);
		tx.next_counter = testvec_num(fld[3]);
		assert_int_equal(pawlink_record_seal(&tx, pt, pt_len, out,
						     sizeof(out), &out_len), 0);
		assert_int_equal(out_len, rec_len);
		assert_memory_equal(out, rec, rec_len);

		assert_int_equal(pawlink_record_rx_init(&rx, key, epoch, ch), 0);
		assert_int_equal(pawlink_record_open(&rx, rec, rec_len, out,
						     sizeof(out), &out_len), 0);
		assert_int_equal(out_len, pt_len);
		assert_memory_equal(out, pt, pt_len);
		count++;
		audio += ch == PAWLINK_CH_AUDIO;
	}
	free(line);
	fclose(f);
	pawlink_record_tx_wipe(&tx);
	pawlink_record_rx_wipe(&rx);
	assert_int_equal(count, 12);
	assert_int_equal(audio, 4);
}

static void test_open_vectors(void **state)
{
	static uint8_t first[PAWLINK_RECORD_MAX + 8], rec[PAWLINK_RECORD_MAX + 8];
	static uint8_t want[PAWLINK_FRAME_MAX + 8], out[PAWLINK_FRAME_MAX + 8];
	FILE *f = testvec_open("record-open.txt");
	char *line = NULL, *fld[8];
	size_t cap = 0, n, first_len, rec_len, want_len, out_len;
	size_t verdicts[4] = { 0 };
	uint8_t key[PAWLINK_KEY_LEN];
	struct pawlink_record_rx rx;
	struct pawlink_record_stats before;
	int ret;

	(void)state;
	while (getline(&line, &cap, f) > 0) {
		n = testvec_fields(line, fld, 8);
		if (n == 0)
			continue;
		assert_int_equal(n, 7);
		testvec_hex_exact(fld[0], key, sizeof(key));
		assert_int_equal(pawlink_record_rx_init(&rx, key,
				(uint32_t)testvec_num(fld[1]),
				(uint8_t)testvec_num(fld[2])), 0);
		first_len = testvec_hex(fld[3], first, sizeof(first));
		if (first_len)
			assert_int_equal(pawlink_record_open(&rx, first, first_len,
							     out, sizeof(out),
							     &out_len), 0);
		rec_len = testvec_hex(fld[4], rec, sizeof(rec));
		want_len = testvec_hex(fld[6], want, sizeof(want));
		before = rx.stats;
		ret = pawlink_record_open(&rx, rec, rec_len, out, sizeof(out),
					  &out_len);
		if (!strcmp(fld[5], "ok")) {
			assert_int_equal(ret, 0);
			assert_int_equal(out_len, want_len);
			assert_memory_equal(out, want, want_len);
			assert_int_equal(rx.stats.opened, before.opened + 1);
			verdicts[0]++;
		} else if (!strcmp(fld[5], "malformed")) {
			assert_int_equal(ret, -EBADMSG);
			assert_int_equal(rx.stats.malformed, before.malformed + 1);
			verdicts[1]++;
		} else if (!strcmp(fld[5], "replayed")) {
			assert_int_equal(ret, -ESTALE);
			assert_int_equal(rx.stats.replayed, before.replayed + 1);
			verdicts[2]++;
		} else if (!strcmp(fld[5], "forged")) {
			assert_int_equal(ret, -EACCES);
			assert_int_equal(rx.stats.forged, before.forged + 1);
			verdicts[3]++;
		} else {
			fail_msg("unknown verdict %s", fld[5]);
		}
		if (ret) {
			/* One count, in one bin; nothing else moved. */
			assert_int_equal(rx.stats.opened, before.opened);
			assert_int_equal(rx.stats.opened + rx.stats.malformed +
					 rx.stats.replayed + rx.stats.forged,
					 before.opened + before.malformed +
					 before.replayed + before.forged + 1);
		}
	}
	free(line);
	fclose(f);
	pawlink_record_rx_wipe(&rx);
	assert_int_equal(verdicts[0], 5);
	assert_int_equal(verdicts[1], 13);
	assert_int_equal(verdicts[2], 4);
	assert_int_equal(verdicts[3], 5);
}

/* ---- properties --------------------------------------------------------- */

struct keypair {
	struct pawlink_record_tx tx;
	struct pawlink_record_rx rx;
};

static void keypair_init(struct keypair *kp, uint8_t channel, uint32_t epoch)
{
	uint8_t key[PAWLINK_KEY_LEN];

	randombytes_buf(key, sizeof(key));
	assert_int_equal(pawlink_record_tx_init(&kp->tx, key, epoch, channel), 0);
	assert_int_equal(pawlink_record_rx_init(&kp->rx, key, epoch, channel), 0);
	sodium_memzero(key, sizeof(key));
}

static void seal_ok(struct pawlink_record_tx *tx, const char *text,
		    uint8_t *out, size_t *len)
{
	assert_int_equal(pawlink_record_seal(tx, (const uint8_t *)text,
					     strlen(text), out,
					     PAWLINK_RECORD_MAX, len), 0);
}

/*
 * Every single-bit change to a sealed record is dropped, counted as the
 * right kind, and leaves the receiver able to take the genuine record.
 */
static void test_every_bit_flip(void **state)
{
	uint8_t rec[PAWLINK_RECORD_MAX], bad[PAWLINK_RECORD_MAX], out[64];
	struct pawlink_record_rx copy;
	struct keypair kp;
	size_t len, out_len, bit;
	int ret;

	(void)state;
	keypair_init(&kp, PAWLINK_CH_CTRL, 5);
	kp.tx.next_counter = 1000;
	seal_ok(&kp.tx, "make the bear growl", rec, &len);
	for (bit = 0; bit < len * 8; bit++) {
		size_t byte = bit / 8;

		memcpy(bad, rec, len);
		bad[byte] ^= (uint8_t)(1 << (bit % 8));
		copy = kp.rx;
		ret = pawlink_record_open(&copy, bad, len, out, sizeof(out),
					  &out_len);
		if (byte < 4) {		/* version, channel, len */
			assert_int_equal(ret, -EBADMSG);
		} else if (byte < 8) {	/* epoch: newer is malformed, older old */
			if (pawlink_load_le32(bad + 4) > 5)
				assert_int_equal(ret, -EBADMSG);
			else
				assert_int_equal(ret, -ESTALE);
		} else if (byte >= 12 && byte < 16) {
			/* counter beyond the rekey limit */
			assert_int_equal(ret, -EBADMSG);
		} else {		/* counter, ciphertext, tag */
			assert_int_equal(ret, -EACCES);
			assert_int_equal(copy.stats.forged, 1);
		}
		assert_false(copy.accepted_any);
	}
	assert_int_equal(pawlink_record_open(&kp.rx, rec, len, out, sizeof(out),
					     &out_len), 0);
	assert_int_equal(out_len, strlen("make the bear growl"));
	assert_memory_equal(out, "make the bear growl", out_len);
	sodium_memzero(&copy, sizeof(copy));
	pawlink_record_tx_wipe(&kp.tx);
	pawlink_record_rx_wipe(&kp.rx);
}

static void test_replay_and_reorder(void **state)
{
	uint8_t rec[6][PAWLINK_RECORD_MAX], out[64];
	size_t len[6], out_len;
	struct keypair kp;
	int i;

	(void)state;
	keypair_init(&kp, PAWLINK_CH_AUDIO, 1);
	for (i = 0; i < 6; i++)
		seal_ok(&kp.tx, "frame", rec[i], &len[i]);

#define OPEN(i) pawlink_record_open(&kp.rx, rec[i], len[i], out, sizeof(out), \
				    &out_len)
	assert_int_equal(OPEN(0), 0);
	assert_int_equal(OPEN(1), 0);
	assert_int_equal(OPEN(1), -ESTALE);	/* replay */
	assert_int_equal(OPEN(0), -ESTALE);	/* older replay */
	assert_int_equal(OPEN(3), 0);		/* 2 lost: a gap is fine */
	assert_int_equal(OPEN(2), -ESTALE);	/* 2 arrives late: reorder */
	assert_int_equal(OPEN(5), 0);
	assert_int_equal(OPEN(4), -ESTALE);
	assert_int_equal(OPEN(5), -ESTALE);
#undef OPEN
	assert_int_equal(kp.rx.stats.opened, 4);
	assert_int_equal(kp.rx.stats.replayed, 5);
	assert_int_equal(kp.rx.stats.forged, 0);
	assert_int_equal(kp.rx.stats.malformed, 0);
	assert_int_equal(kp.rx.last_counter, 5);
	pawlink_record_tx_wipe(&kp.tx);
	pawlink_record_rx_wipe(&kp.rx);
}

/* A forged record with a fresh counter must not move the window. */
static void test_forgery_does_not_advance(void **state)
{
	uint8_t r0[PAWLINK_RECORD_MAX], r1[PAWLINK_RECORD_MAX], out[64];
	size_t l0, l1, out_len;
	struct keypair kp;

	(void)state;
	keypair_init(&kp, PAWLINK_CH_CTRL, 1);
	seal_ok(&kp.tx, "zero", r0, &l0);
	seal_ok(&kp.tx, "one", r1, &l1);
	/* A forger claims counter 1000 for some garbage. */
	r0[8] = 0xe8;
	r0[9] = 0x03;
	assert_int_equal(pawlink_record_open(&kp.rx, r0, l0, out, sizeof(out),
					     &out_len), -EACCES);
	assert_false(kp.rx.accepted_any);
	assert_int_equal(pawlink_record_open(&kp.rx, r1, l1, out, sizeof(out),
					     &out_len), 0);
	pawlink_record_tx_wipe(&kp.tx);
	pawlink_record_rx_wipe(&kp.rx);
}

/* The sender stops at PAWLINK_REKEY_AFTER records; the counter is public
 * state in the struct, so the test jumps it to near 2^32. */
static void test_counter_exhaustion(void **state)
{
	uint8_t rec[PAWLINK_RECORD_MAX], out[64];
	size_t len, out_len;
	struct keypair kp;

	(void)state;
	keypair_init(&kp, PAWLINK_CH_AUDIO, 2);
	kp.tx.next_counter = PAWLINK_REKEY_AFTER - 2;
	seal_ok(&kp.tx, "a", rec, &len);
	assert_int_equal(pawlink_record_open(&kp.rx, rec, len, out, sizeof(out),
					     &out_len), 0);
	seal_ok(&kp.tx, "b", rec, &len);
	assert_int_equal(pawlink_record_open(&kp.rx, rec, len, out, sizeof(out),
					     &out_len), 0);
	assert_int_equal(kp.rx.last_counter, PAWLINK_REKEY_AFTER - 1);
	assert_int_equal(kp.tx.next_counter, PAWLINK_REKEY_AFTER);

	memset(rec, 0xaa, sizeof(rec));
	assert_int_equal(pawlink_record_seal(&kp.tx, (const uint8_t *)"c", 1,
					     rec, sizeof(rec), &len),
			 -EKEYEXPIRED);
	/* Nothing was written and the counter did not move. */
	assert_int_equal(rec[0], 0xaa);
	assert_int_equal(kp.tx.next_counter, PAWLINK_REKEY_AFTER);
	assert_int_equal(pawlink_record_seal(&kp.tx, (const uint8_t *)"c", 1,
					     rec, sizeof(rec), &len),
			 -EKEYEXPIRED);
	pawlink_record_tx_wipe(&kp.tx);
	pawlink_record_rx_wipe(&kp.rx);
}

static void test_bad_arguments(void **state)
{
	static uint8_t big[PAWLINK_FRAME_MAX + 1], rec[PAWLINK_RECORD_MAX + 1];
	uint8_t key[PAWLINK_KEY_LEN] = { 1 }, out[8];
	struct pawlink_record_tx tx;
	struct pawlink_record_rx rx;
	struct keypair kp;
	size_t len, out_len;

	(void)state;
	assert_int_equal(pawlink_record_tx_init(&tx, key, 0, PAWLINK_CH_CTRL),
			 -EINVAL);
	assert_int_equal(pawlink_record_tx_init(&tx, key, 1, PAWLINK_CH_PLAIN),
			 -EINVAL);
	assert_int_equal(pawlink_record_rx_init(&rx, key, 1, PAWLINK_CH_EVENT),
			 -EINVAL);
	assert_int_equal(pawlink_record_rx_init(&rx, key, 1, 4), -EINVAL);

	keypair_init(&kp, PAWLINK_CH_CTRL, 1);
	assert_int_equal(pawlink_record_seal(&kp.tx, big, sizeof(big), rec,
					     sizeof(rec), &len), -EINVAL);
	assert_int_equal(pawlink_record_seal(&kp.tx, big, 10, rec,
					     PAWLINK_REC_HDR_LEN + 10 +
					     PAWLINK_TAG_LEN - 1, &len),
			 -ENOSPC);
	assert_int_equal(kp.tx.next_counter, 0);
	assert_int_equal(pawlink_record_seal(&kp.tx, big, sizeof(big) - 1, rec,
					     sizeof(rec), &len), 0);
	assert_int_equal(len, PAWLINK_RECORD_MAX);

	/* No room for the plaintext: not consumed, not counted. */
	assert_int_equal(pawlink_record_open(&kp.rx, rec, len, out, sizeof(out),
					     &out_len), -ENOSPC);
	assert_false(kp.rx.accepted_any);
	assert_true(is_zero(&kp.rx.stats, sizeof(kp.rx.stats)));
	assert_int_equal(pawlink_record_open(&kp.rx, rec, len, big,
					     PAWLINK_FRAME_MAX, &out_len), 0);
	assert_int_equal(out_len, PAWLINK_FRAME_MAX);
	pawlink_record_tx_wipe(&kp.tx);
	pawlink_record_rx_wipe(&kp.rx);
}

static void test_plaintext_records(void **state)
{
	uint8_t rec[64], ch;
	const uint8_t *body;
	size_t len, body_len;

	(void)state;
	assert_int_equal(pawlink_record_write_plain(PAWLINK_CH_PLAIN,
						    (const uint8_t *)"\x20hi", 3,
						    rec, sizeof(rec), &len), 0);
	assert_int_equal(len, PAWLINK_REC_HDR_LEN + 3);
	assert_memory_equal(rec, "\x01\x00\x03\x00\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	assert_int_equal(pawlink_record_read_plain(rec, len, &ch, &body,
						   &body_len), 0);
	assert_int_equal(ch, PAWLINK_CH_PLAIN);
	assert_int_equal(body_len, 3);
	assert_memory_equal(body, "\x20hi", 3);

	assert_int_equal(pawlink_record_write_plain(PAWLINK_CH_CTRL, rec, 1,
						    rec, sizeof(rec), &len),
			 -EINVAL);
	assert_int_equal(pawlink_record_write_plain(PAWLINK_CH_EVENT, NULL, 0,
						    rec, 15, &len), -ENOSPC);
	assert_int_equal(pawlink_record_write_plain(PAWLINK_CH_EVENT, NULL, 0,
						    rec, sizeof(rec), &len), 0);
	/* Plaintext records carry epoch 0 and counter 0; nothing else. */
	rec[4] = 1;
	assert_int_equal(pawlink_record_read_plain(rec, len, &ch, &body,
						   &body_len), -EBADMSG);
	rec[4] = 0;
	rec[15] = 1;
	assert_int_equal(pawlink_record_read_plain(rec, len, &ch, &body,
						   &body_len), -EBADMSG);
	rec[15] = 0;
	rec[1] = PAWLINK_CH_CTRL;
	assert_int_equal(pawlink_record_read_plain(rec, len, &ch, &body,
						   &body_len), -EBADMSG);
	rec[1] = PAWLINK_CH_EVENT;
	assert_int_equal(pawlink_record_read_plain(rec, len - 1, &ch, &body,
						   &body_len), -EBADMSG);
	assert_int_equal(pawlink_record_read_plain(rec, len, &ch, &body,
						   &body_len), 0);
	assert_int_equal(ch, PAWLINK_CH_EVENT);
	assert_int_equal(body_len, 0);
}

/* ---- a whole link ------------------------------------------------------- */

static void random_keys(struct pawlink_key_install *k, uint32_t epoch,
			uint32_t flags)
{
	memset(k, 0, sizeof(*k));
	k->version = PAWLINK_KEYS_VERSION;
	k->epoch = epoch;
	k->flags = flags;
	randombytes_buf(k->h2t_ctrl, sizeof(k->h2t_ctrl));
	randombytes_buf(k->t2h_ctrl, sizeof(k->t2h_ctrl));
	randombytes_buf(k->h2t_audio, sizeof(k->h2t_audio));
	randombytes_buf(k->t2h_audio, sizeof(k->t2h_audio));
}

static void test_link_both_ways(void **state)
{
	uint8_t rec[PAWLINK_RECORD_MAX], out[PAWLINK_FRAME_MAX], ch;
	uint8_t audio[PAWLINK_AUDIO_PERIOD_BYTES];
	struct pawlink_record_link host = { 0 }, toy = { 0 };
	struct pawlink_key_install keys;
	size_t len, out_len;

	(void)state;
	random_keys(&keys, 1, 0);
	assert_int_equal(pawlink_record_link_install(&host, &keys,
						     PAWLINK_ROLE_HOST), 0);
	assert_int_equal(pawlink_record_link_install(&toy, &keys,
						     PAWLINK_ROLE_TOY), 0);
	sodium_memzero(&keys, sizeof(keys));

	assert_int_equal(pawlink_record_link_seal(&host, PAWLINK_CH_CTRL,
						  (const uint8_t *)"led on", 6,
						  rec, sizeof(rec), &len), 0);
	/* The host cannot open its own frame: the directions have their own
	 * keys, so a reflected record is a forgery. */
	assert_int_equal(pawlink_record_link_open(&host, rec, len, &ch, out,
						  sizeof(out), &out_len),
			 -EACCES);
	assert_int_equal(pawlink_record_link_open(&toy, rec, len, &ch, out,
						  sizeof(out), &out_len), 0);
	assert_int_equal(ch, PAWLINK_CH_CTRL);
	assert_memory_equal(out, "led on", 6);

	randombytes_buf(audio, sizeof(audio));
	assert_int_equal(pawlink_record_link_seal(&toy, PAWLINK_CH_AUDIO, audio,
						  sizeof(audio), rec,
						  sizeof(rec), &len), 0);
	assert_int_equal(pawlink_record_link_open(&host, rec, len, &ch, out,
						  sizeof(out), &out_len), 0);
	assert_int_equal(ch, PAWLINK_CH_AUDIO);
	assert_int_equal(out_len, sizeof(audio));
	assert_memory_equal(out, audio, sizeof(audio));
	/* Channels have their own keys too: the audio record relabelled as
	 * control does not open under the control key. */
	rec[1] = PAWLINK_CH_CTRL;
	assert_int_equal(pawlink_record_link_open(&host, rec, len, &ch, out,
						  sizeof(out), &out_len),
			 -EACCES);

	/* Once keyed, no plaintext on any channel. */
	assert_int_equal(pawlink_record_write_plain(PAWLINK_CH_PLAIN,
						    (const uint8_t *)"x", 1,
						    rec, sizeof(rec), &len), 0);
	assert_int_equal(pawlink_record_link_open(&toy, rec, len, &ch, out,
						  sizeof(out), &out_len),
			 -EPERM);
	assert_int_equal(toy.dropped_plaintext, 1);
	assert_int_equal(pawlink_record_link_seal(&toy, PAWLINK_CH_PLAIN,
						  out, 1, rec, sizeof(rec),
						  &len), -EINVAL);

	pawlink_record_link_wipe(&host);
	pawlink_record_link_wipe(&toy);
	assert_true(is_zero(&host, sizeof(host)));
}

static void test_link_unkeyed(void **state)
{
	uint8_t rec[64], out[64], ch;
	struct pawlink_record_link link = { 0 };
	size_t len, out_len;

	(void)state;
	assert_int_equal(pawlink_record_write_plain(PAWLINK_CH_PLAIN,
						    (const uint8_t *)"\x20", 1,
						    rec, sizeof(rec), &len), 0);
	assert_int_equal(pawlink_record_link_open(&link, rec, len, &ch, out,
						  sizeof(out), &out_len), 0);
	assert_int_equal(ch, PAWLINK_CH_PLAIN);
	assert_int_equal(out_len, 1);
	assert_int_equal(out[0], 0x20);
	/* Nothing to seal with and nothing to open sealed records with. */
	assert_int_equal(pawlink_record_link_seal(&link, PAWLINK_CH_CTRL, out, 1,
						  rec, sizeof(rec), &len),
			 -EINVAL);
	rec[1] = PAWLINK_CH_CTRL;
	assert_int_equal(pawlink_record_link_open(&link, rec, len, &ch, out,
						  sizeof(out), &out_len),
			 -EBADMSG);
	rec[0] = 9;
	assert_int_equal(pawlink_record_link_open(&link, rec, len, &ch, out,
						  sizeof(out), &out_len),
			 -EBADMSG);
	assert_int_equal(link.rx_ctrl.stats.malformed, 2);
}

/* The install rules the kernel also enforces, and what a rekey does. */
static void test_link_install_and_rekey(void **state)
{
	uint8_t rec[PAWLINK_RECORD_MAX], old_rec[PAWLINK_RECORD_MAX];
	uint8_t out[64], ch;
	struct pawlink_record_link host = { 0 }, toy = { 0 }, before;
	struct pawlink_key_install keys;
	size_t len, old_len, out_len;

	(void)state;
	random_keys(&keys, 1, PAWLINK_KEYS_REKEY);
	assert_int_equal(pawlink_record_link_install(&host, &keys,
						     PAWLINK_ROLE_HOST),
			 -EINVAL);		/* nothing to rekey yet */
	keys.flags = 0;
	keys.version = 2;
	assert_int_equal(pawlink_record_link_install(&host, &keys,
						     PAWLINK_ROLE_HOST),
			 -EINVAL);
	keys.version = PAWLINK_KEYS_VERSION;
	keys.reserved = 1;
	assert_int_equal(pawlink_record_link_install(&host, &keys,
						     PAWLINK_ROLE_HOST),
			 -EINVAL);
	keys.reserved = 0;
	keys.flags = 0x80;
	assert_int_equal(pawlink_record_link_install(&host, &keys,
						     PAWLINK_ROLE_HOST),
			 -EINVAL);
	keys.flags = 0;
	keys.epoch = 0;
	assert_int_equal(pawlink_record_link_install(&host, &keys,
						     PAWLINK_ROLE_HOST),
			 -EINVAL);
	keys.epoch = 1;
	assert_true(is_zero(&host, sizeof(host)));
	assert_int_equal(pawlink_record_link_install(&host, &keys,
						     PAWLINK_ROLE_HOST), 0);
	assert_int_equal(pawlink_record_link_install(&toy, &keys,
						     PAWLINK_ROLE_TOY), 0);

	/* A second install must say it is a rekey, with a higher epoch. */
	before = host;
	assert_int_equal(pawlink_record_link_install(&host, &keys,
						     PAWLINK_ROLE_HOST),
			 -EINVAL);
	keys.flags = PAWLINK_KEYS_REKEY;
	assert_int_equal(pawlink_record_link_install(&host, &keys,
						     PAWLINK_ROLE_HOST),
			 -EINVAL);		/* same epoch */
	assert_memory_equal(&host, &before, sizeof(host));

	assert_int_equal(pawlink_record_link_seal(&host, PAWLINK_CH_CTRL,
						  (const uint8_t *)"old", 3,
						  old_rec, sizeof(old_rec),
						  &old_len), 0);
	random_keys(&keys, 2, PAWLINK_KEYS_REKEY);
	assert_int_equal(pawlink_record_link_install(&host, &keys,
						     PAWLINK_ROLE_HOST), 0);
	assert_int_equal(pawlink_record_link_install(&toy, &keys,
						     PAWLINK_ROLE_TOY), 0);
	sodium_memzero(&keys, sizeof(keys));
	assert_int_equal(host.tx_ctrl.next_counter, 0);
	assert_int_equal(host.tx_ctrl.epoch, 2);

	/* A record from the old epoch is old, whatever its counter. */
	assert_int_equal(pawlink_record_link_open(&toy, old_rec, old_len, &ch,
						  out, sizeof(out), &out_len),
			 -ESTALE);
	assert_int_equal(pawlink_record_link_seal(&host, PAWLINK_CH_CTRL,
						  (const uint8_t *)"new", 3,
						  rec, sizeof(rec), &len), 0);
	assert_int_equal(pawlink_record_link_open(&toy, rec, len, &ch, out,
						  sizeof(out), &out_len), 0);
	assert_memory_equal(out, "new", 3);
	sodium_memzero(&before, sizeof(before));
	pawlink_record_link_wipe(&host);
	pawlink_record_link_wipe(&toy);
}

/*
 * The toy stages the keys of a handshake it answered and switches to them
 * only when the host's first record under them authenticates.
 */
static void test_link_staging(void **state)
{
	uint8_t rec[PAWLINK_RECORD_MAX], out[64], ch;
	struct pawlink_record_link host = { 0 }, toy = { 0 };
	struct pawlink_key_install k1, k1b, k2;
	size_t len, out_len;

	(void)state;
	random_keys(&k1, 1, 0);
	random_keys(&k1b, 1, 0);
	random_keys(&k2, 2, PAWLINK_KEYS_REKEY);

	/* A retried handshake replaces what was staged before. */
	assert_int_equal(pawlink_record_link_stage(&toy, &k1b, PAWLINK_ROLE_TOY),
			 0);
	assert_int_equal(pawlink_record_link_stage(&toy, &k1, PAWLINK_ROLE_TOY),
			 0);
	assert_false(toy.keyed);
	assert_int_equal(pawlink_record_link_stage(&toy, &k2, PAWLINK_ROLE_TOY),
			 -EINVAL);		/* rekey of nothing */

	/* Until then the link is unkeyed: plaintext flows, nothing seals. */
	assert_int_equal(pawlink_record_write_plain(PAWLINK_CH_PLAIN,
						    (const uint8_t *)"\x20", 1,
						    rec, sizeof(rec), &len), 0);
	assert_int_equal(pawlink_record_link_open(&toy, rec, len, &ch, out,
						  sizeof(out), &out_len), 0);
	assert_int_equal(pawlink_record_link_seal(&toy, PAWLINK_CH_CTRL, out, 1,
						  rec, sizeof(rec), &len),
			 -EINVAL);

	/* A record under the replaced keys, and a forged one, switch
	 * nothing; they are counted. */
	assert_int_equal(pawlink_record_link_install(&host, &k1b,
						     PAWLINK_ROLE_HOST), 0);
	assert_int_equal(pawlink_record_link_seal(&host, PAWLINK_CH_CTRL,
						  (const uint8_t *)"hi", 2, rec,
						  sizeof(rec), &len), 0);
	assert_int_equal(pawlink_record_link_open(&toy, rec, len, &ch, out,
						  sizeof(out), &out_len),
			 -EACCES);
	pawlink_record_link_wipe(&host);
	assert_int_equal(pawlink_record_link_install(&host, &k1,
						     PAWLINK_ROLE_HOST), 0);
	assert_int_equal(pawlink_record_link_seal(&host, PAWLINK_CH_CTRL,
						  (const uint8_t *)"hello", 5,
						  rec, sizeof(rec), &len), 0);
	rec[len - 1] ^= 1;
	assert_int_equal(pawlink_record_link_open(&toy, rec, len, &ch, out,
						  sizeof(out), &out_len),
			 -EACCES);
	rec[len - 1] ^= 1;
	assert_false(toy.keyed);
	assert_true(toy.staged);
	assert_int_equal(toy.rx_ctrl.stats.forged, 2);

	/* The genuine first record installs the staged keys. */
	assert_int_equal(pawlink_record_link_open(&toy, rec, len, &ch, out,
						  sizeof(out), &out_len), 0);
	assert_memory_equal(out, "hello", 5);
	assert_true(toy.keyed);
	assert_false(toy.staged);
	assert_int_equal(toy.rx_ctrl.epoch, 1);
	assert_int_equal(toy.rx_ctrl.last_counter, 0);
	assert_int_equal(toy.rx_ctrl.stats.forged, 2);	/* counts survive */
	assert_int_equal(pawlink_record_link_open(&toy, rec, len, &ch, out,
						  sizeof(out), &out_len),
			 -ESTALE);
	assert_int_equal(pawlink_record_write_plain(PAWLINK_CH_PLAIN,
						    (const uint8_t *)"\x20", 1,
						    rec, sizeof(rec), &len), 0);
	assert_int_equal(pawlink_record_link_open(&toy, rec, len, &ch, out,
						  sizeof(out), &out_len),
			 -EPERM);

	/* A rekey: the toy keeps epoch 1 until the host speaks epoch 2. */
	assert_int_equal(pawlink_record_link_stage(&toy, &k1, PAWLINK_ROLE_TOY),
			 -EINVAL);		/* not marked as a rekey */
	assert_int_equal(pawlink_record_link_stage(&toy, &k2, PAWLINK_ROLE_TOY),
			 0);
	assert_int_equal(pawlink_record_link_seal(&toy, PAWLINK_CH_AUDIO,
						  (const uint8_t *)"pcm1", 4,
						  rec, sizeof(rec), &len), 0);
	assert_int_equal(rec[4], 1);
	assert_int_equal(pawlink_record_link_open(&host, rec, len, &ch, out,
						  sizeof(out), &out_len), 0);
	assert_int_equal(pawlink_record_link_install(&host, &k2,
						     PAWLINK_ROLE_HOST), 0);
	assert_int_equal(pawlink_record_link_seal(&host, PAWLINK_CH_AUDIO,
						  (const uint8_t *)"pcm2", 4,
						  rec, sizeof(rec), &len), 0);
	assert_int_equal(pawlink_record_link_open(&toy, rec, len, &ch, out,
						  sizeof(out), &out_len), 0);
	assert_int_equal(toy.tx_ctrl.epoch, 2);
	assert_int_equal(toy.tx_audio.next_counter, 0);
	assert_int_equal(pawlink_record_link_seal(&toy, PAWLINK_CH_CTRL,
						  (const uint8_t *)"ok", 2,
						  rec, sizeof(rec), &len), 0);
	assert_int_equal(pawlink_record_link_open(&host, rec, len, &ch, out,
						  sizeof(out), &out_len), 0);

	sodium_memzero(&k1, sizeof(k1));
	sodium_memzero(&k1b, sizeof(k1b));
	sodium_memzero(&k2, sizeof(k2));
	pawlink_record_link_wipe(&host);
	pawlink_record_link_wipe(&toy);
	assert_true(is_zero(&toy, sizeof(toy)));
}

static void test_wipe(void **state)
{
	struct keypair kp;

	(void)state;
	keypair_init(&kp, PAWLINK_CH_CTRL, 1);
	assert_false(is_zero(kp.tx.key, sizeof(kp.tx.key)));
	pawlink_record_tx_wipe(&kp.tx);
	pawlink_record_rx_wipe(&kp.rx);
	assert_true(is_zero(&kp.tx, sizeof(kp.tx)));
	assert_true(is_zero(&kp.rx, sizeof(kp.rx)));
	/* A wiped key cannot seal or open. */
	assert_int_equal(pawlink_record_seal(&kp.tx, NULL, 0, (uint8_t[64]){ 0 },
					     64, (size_t[1]){ 0 }), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seal_vectors),
		cmocka_unit_test(test_open_vectors),
		cmocka_unit_test(test_every_bit_flip),
		cmocka_unit_test(test_replay_and_reorder),
		cmocka_unit_test(test_forgery_does_not_advance),
		cmocka_unit_test(test_counter_exhaustion),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_plaintext_records),
		cmocka_unit_test(test_link_both_ways),
		cmocka_unit_test(test_link_unkeyed),
		cmocka_unit_test(test_link_install_and_rekey),
		cmocka_unit_test(test_link_staging),
		cmocka_unit_test(test_wipe),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
