// SPDX-License-Identifier: GPL-2.0
/*
 * The session handshake, host (initiator) against toy (responder), in one
 * process: the keys both sides get, and every way a handshake must fail —
 * unpaired host, impostor toy, downgrade, tampering, truncation, replay,
 * reflection, low-order points — plus the record-key derivation vectors.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "noise.h"
#include "record_layer.h"
#include "session.h"
#include "testvec.h"

struct party {
	uint8_t priv[32];
	uint8_t pub[32];
};

/* The cast: a toy, the host paired with it, and two other paired hosts. */
struct cast {
	struct party toy, host, other1, other2, stranger;
	uint8_t pinned[3][32];		/* other1, host, other2 */
};

static void party_new(struct party *p)
{
	crypto_box_keypair(p->pub, p->priv);
}

static void cast_new(struct cast *c)
{
	party_new(&c->toy);
	party_new(&c->host);
	party_new(&c->other1);
	party_new(&c->other2);
	party_new(&c->stranger);
	memcpy(c->pinned[0], c->other1.pub, 32);
	memcpy(c->pinned[1], c->host.pub, 32);
	memcpy(c->pinned[2], c->other2.pub, 32);
}

static bool is_zero(const void *p, size_t len)
{
	return sodium_is_zero(p, len);
}

/* The host state after an end: only rejected_reason may be left. */
static bool host_wiped(const struct pawlink_session_host *h)
{
	struct pawlink_session_host copy = *h;
	bool zero;

	copy.rejected_reason = 0;
	zero = is_zero(&copy, sizeof(copy));
	sodium_memzero(&copy, sizeof(copy));
	return zero;
}

static void host_start_ok(struct cast *c, struct pawlink_session_host *h,
			  uint32_t cur, uint8_t init[PAWLINK_SESS_INIT_LEN])
{
	size_t len;

	assert_int_equal(pawlink_session_host_start(h, c->host.priv, c->toy.pub,
						    cur, init,
						    PAWLINK_SESS_INIT_LEN, &len),
			 0);
	assert_int_equal(len, PAWLINK_SESS_INIT_LEN);
}

static int toy_respond(struct cast *c, uint32_t cur, const uint8_t *msg,
		       size_t len, uint8_t *out, size_t *out_len,
		       struct pawlink_session_result *res)
{
	return pawlink_session_toy_respond(c->toy.priv,
					   (const uint8_t (*)[32])c->pinned, 3,
					   cur, msg, len, out,
					   PAWLINK_SESS_MSG_LEN, out_len, res);
}

/* Runs a whole handshake; both results are filled. */
static void handshake_ok(struct cast *c, uint32_t cur,
			 struct pawlink_session_result *hr,
			 struct pawlink_session_result *tr)
{
	struct pawlink_session_host h;
	uint8_t init[PAWLINK_SESS_INIT_LEN], resp[PAWLINK_SESS_MSG_LEN];
	size_t resp_len;

	host_start_ok(c, &h, cur, init);
	assert_int_equal(toy_respond(c, cur, init, sizeof(init), resp,
				     &resp_len, tr), 0);
	assert_int_equal(resp_len, PAWLINK_SESS_MSG_LEN);
	assert_int_equal(pawlink_session_host_finish(&h, resp, resp_len, hr), 0);
	assert_true(host_wiped(&h));
}

static void test_round_trip(void **state)
{
	struct pawlink_session_result hr, tr, hr2, tr2;
	struct pawlink_session_host h;
	uint8_t init[PAWLINK_SESS_INIT_LEN], resp[PAWLINK_SESS_MSG_LEN];
	const uint8_t *k[4];
	size_t resp_len;
	struct cast c;
	int i, j;

	(void)state;
	cast_new(&c);
	host_start_ok(&c, &h, 0, init);
	/* Cleartext header: INIT, version 2, reason 0, reserved 0, epoch 1. */
	assert_memory_equal(init, "\x20\x02\x00\x00\x01\x00\x00\x00", 8);
	assert_int_equal(toy_respond(&c, 0, init, sizeof(init), resp,
				     &resp_len, &tr), 0);
	assert_memory_equal(resp, "\x21\x02\x00\x00\x01\x00\x00\x00", 8);
	assert_int_equal(pawlink_session_host_finish(&h, resp, resp_len, &hr),
			 0);
	assert_true(host_wiped(&h));

	/* The toy gets exactly the host's keys, epoch and flags. */
	assert_memory_equal(&hr.keys, &tr.keys, sizeof(hr.keys));
	assert_memory_equal(hr.handshake_hash, tr.handshake_hash, 32);
	assert_int_equal(hr.keys.version, PAWLINK_KEYS_VERSION);
	assert_int_equal(hr.keys.epoch, 1);
	assert_int_equal(hr.keys.flags, 0);
	assert_int_equal(hr.keys.reserved, 0);
	assert_int_equal(tr.host_index, 1);
	k[0] = hr.keys.h2t_ctrl;
	k[1] = hr.keys.t2h_ctrl;
	k[2] = hr.keys.h2t_audio;
	k[3] = hr.keys.t2h_audio;
	for (i = 0; i < 4; i++) {
		assert_false(is_zero(k[i], 32));
		for (j = i + 1; j < 4; j++)
			assert_memory_not_equal(k[i], k[j], 32);
	}

	/* Another session between the same two gives other keys. */
	handshake_ok(&c, 0, &hr2, &tr2);
	assert_memory_not_equal(hr.keys.h2t_ctrl, hr2.keys.h2t_ctrl, 32);
	assert_memory_not_equal(hr.handshake_hash, hr2.handshake_hash, 32);

	pawlink_session_result_wipe(&hr);
	assert_true(is_zero(&hr, sizeof(hr)));
	pawlink_session_result_wipe(&tr);
	pawlink_session_result_wipe(&hr2);
	pawlink_session_result_wipe(&tr2);
}

/* The keys drive the record layer: what the host seals, the toy opens. */
static void test_keys_drive_records(void **state)
{
	struct pawlink_session_result hr, tr;
	struct pawlink_record_link host = { 0 }, toy = { 0 };
	uint8_t rec[PAWLINK_RECORD_MAX], out[64], ch;
	size_t len, out_len;
	struct cast c;

	(void)state;
	cast_new(&c);
	handshake_ok(&c, 0, &hr, &tr);
	assert_int_equal(pawlink_record_link_install(&host, &hr.keys,
						     PAWLINK_ROLE_HOST), 0);
	assert_int_equal(pawlink_record_link_install(&toy, &tr.keys,
						     PAWLINK_ROLE_TOY), 0);
	pawlink_session_result_wipe(&hr);
	pawlink_session_result_wipe(&tr);

	assert_int_equal(pawlink_record_link_seal(&host, PAWLINK_CH_CTRL,
						  (const uint8_t *)"play 3", 6,
						  rec, sizeof(rec), &len), 0);
	assert_int_equal(pawlink_record_link_open(&toy, rec, len, &ch, out,
						  sizeof(out), &out_len), 0);
	assert_memory_equal(out, "play 3", 6);
	assert_int_equal(pawlink_record_link_seal(&toy, PAWLINK_CH_AUDIO,
						  (const uint8_t *)"pcm", 3,
						  rec, sizeof(rec), &len), 0);
	assert_int_equal(pawlink_record_link_open(&host, rec, len, &ch, out,
						  sizeof(out), &out_len), 0);
	assert_memory_equal(out, "pcm", 3);

	/* A rekey: a second handshake from epoch 1 installs epoch 2. */
	handshake_ok(&c, 1, &hr, &tr);
	assert_int_equal(hr.keys.epoch, 2);
	assert_int_equal(hr.keys.flags, PAWLINK_KEYS_REKEY);
	assert_int_equal(tr.keys.flags, PAWLINK_KEYS_REKEY);
	assert_int_equal(pawlink_record_link_install(&host, &hr.keys,
						     PAWLINK_ROLE_HOST), 0);
	assert_int_equal(pawlink_record_link_install(&toy, &tr.keys,
						     PAWLINK_ROLE_TOY), 0);
	assert_int_equal(pawlink_record_link_seal(&host, PAWLINK_CH_CTRL,
						  (const uint8_t *)"again", 5,
						  rec, sizeof(rec), &len), 0);
	assert_int_equal(pawlink_record_link_open(&toy, rec, len, &ch, out,
						  sizeof(out), &out_len), 0);
	pawlink_session_result_wipe(&hr);
	pawlink_session_result_wipe(&tr);
	pawlink_record_link_wipe(&host);
	pawlink_record_link_wipe(&toy);
}

/*
 * The RESP is lost: the host starts again with the same epoch and the toy,
 * which only staged the first attempt's keys, answers again.
 */
static void test_lost_resp_retry(void **state)
{
	struct pawlink_session_result hr, tr;
	struct pawlink_record_link host = { 0 }, toy = { 0 };
	struct pawlink_session_host h;
	uint8_t init[PAWLINK_SESS_INIT_LEN], resp[PAWLINK_SESS_MSG_LEN];
	uint8_t rec[PAWLINK_RECORD_MAX], out[64], ch;
	size_t len, out_len;
	struct cast c;

	(void)state;
	cast_new(&c);
	host_start_ok(&c, &h, 0, init);
	assert_int_equal(toy_respond(&c, toy.tx_ctrl.epoch, init, sizeof(init),
				     resp, &len, &tr), 0);
	assert_int_equal(pawlink_record_link_stage(&toy, &tr.keys,
						   PAWLINK_ROLE_TOY), 0);
	/* ... and the RESP never arrives. */
	host_start_ok(&c, &h, 0, init);
	assert_int_equal(toy_respond(&c, toy.tx_ctrl.epoch, init, sizeof(init),
				     resp, &len, &tr), 0);
	assert_int_equal(pawlink_record_link_stage(&toy, &tr.keys,
						   PAWLINK_ROLE_TOY), 0);
	assert_int_equal(pawlink_session_host_finish(&h, resp, len, &hr), 0);
	assert_int_equal(pawlink_record_link_install(&host, &hr.keys,
						     PAWLINK_ROLE_HOST), 0);
	pawlink_session_result_wipe(&hr);
	pawlink_session_result_wipe(&tr);

	/* The host's first record confirms the keys at the toy. */
	assert_int_equal(pawlink_record_link_seal(&host, PAWLINK_CH_CTRL,
						  (const uint8_t *)"hello", 5,
						  rec, sizeof(rec), &len), 0);
	assert_int_equal(pawlink_record_link_open(&toy, rec, len, &ch, out,
						  sizeof(out), &out_len), 0);
	assert_true(toy.keyed);
	assert_int_equal(pawlink_record_link_seal(&toy, PAWLINK_CH_CTRL,
						  (const uint8_t *)"hi", 2,
						  rec, sizeof(rec), &len), 0);
	assert_int_equal(pawlink_record_link_open(&host, rec, len, &ch, out,
						  sizeof(out), &out_len), 0);
	pawlink_record_link_wipe(&host);
	pawlink_record_link_wipe(&toy);
}

static void test_epochs(void **state)
{
	struct pawlink_session_result hr, tr;
	struct pawlink_session_host h;
	uint8_t init[PAWLINK_SESS_INIT_LEN], resp[PAWLINK_SESS_MSG_LEN];
	size_t len;
	struct cast c;

	(void)state;
	cast_new(&c);
	/* A toy already at epoch 1 refuses an INIT for epoch 1. */
	host_start_ok(&c, &h, 0, init);
	assert_int_equal(toy_respond(&c, 1, init, sizeof(init), resp, &len,
				     &tr), -ESTALE);
	assert_int_equal(len, PAWLINK_SESS_REJECT_LEN);
	assert_memory_equal(resp, "\x22\x02\x03\x00\x01\x00\x00\x00", 8);
	assert_int_equal(pawlink_session_host_finish(&h, resp, len, &hr),
			 -ECONNREFUSED);
	assert_int_equal(h.rejected_reason, PAWLINK_SESS_REJ_EPOCH);
	assert_true(host_wiped(&h));

	/* The epoch counter cannot wrap to 0. */
	assert_int_equal(pawlink_session_host_start(&h, c.host.priv, c.toy.pub,
						    UINT32_MAX, init,
						    sizeof(init), &len),
			 -EOVERFLOW);
	handshake_ok(&c, UINT32_MAX - 1, &hr, &tr);
	assert_int_equal(hr.keys.epoch, UINT32_MAX);
	pawlink_session_result_wipe(&hr);
	pawlink_session_result_wipe(&tr);
}

/* KK: the toy answers only hosts whose static key it pinned. */
static void test_unpaired_host(void **state)
{
	struct pawlink_session_result hr, tr;
	struct pawlink_session_host h;
	uint8_t init[PAWLINK_SESS_INIT_LEN], resp[PAWLINK_SESS_MSG_LEN];
	size_t len;
	struct cast c;

	(void)state;
	cast_new(&c);
	/* A stranger that knows the toy's public key. */
	assert_int_equal(pawlink_session_host_start(&h, c.stranger.priv,
						    c.toy.pub, 0, init,
						    sizeof(init), &len), 0);
	assert_int_equal(toy_respond(&c, 0, init, len, resp, &len, &tr),
			 -EACCES);
	assert_memory_equal(resp, "\x22\x02\x04\x00\x01\x00\x00\x00", 8);
	assert_int_equal(pawlink_session_host_finish(&h, resp, len, &hr),
			 -ECONNREFUSED);
	assert_int_equal(h.rejected_reason, PAWLINK_SESS_REJ_AUTH);

	/* The host was paired, then unpaired: its key left the list. */
	host_start_ok(&c, &h, 0, init);
	memcpy(c.pinned[1], c.stranger.pub, 32);
	assert_int_equal(toy_respond(&c, 0, init, sizeof(init), resp, &len,
				     &tr), -EACCES);
	/* A toy with no paired host at all. */
	assert_int_equal(pawlink_session_toy_respond(c.toy.priv, NULL, 0, 0,
						     init, sizeof(init), resp,
						     sizeof(resp), &len, &tr),
			 -EACCES);
	pawlink_session_host_abort(&h);
	assert_true(host_wiped(&h));
}

/* Which pinned slot matches is reported; a corrupt slot never matches. */
static void test_pinned_list(void **state)
{
	struct pawlink_session_result hr, tr;
	struct cast c;

	(void)state;
	cast_new(&c);
	testvec_hex_exact(testvec_x25519_low_order(2), c.pinned[0], 32);
	handshake_ok(&c, 0, &hr, &tr);
	assert_int_equal(tr.host_index, 1);
	memcpy(c.pinned[2], c.host.pub, 32);
	memcpy(c.pinned[1], c.other2.pub, 32);
	handshake_ok(&c, 0, &hr, &tr);
	assert_int_equal(tr.host_index, 2);
	pawlink_session_result_wipe(&hr);
	pawlink_session_result_wipe(&tr);
}

/*
 * An impostor toy (it has the host's public key, not the toy's private
 * key) answers the INIT as best it can: the host refuses.
 */
static void test_impostor_toy(void **state)
{
	struct pawlink_session_result hr;
	struct pawlink_session_host h;
	struct noise_handshake fake;
	uint8_t init[PAWLINK_SESS_INIT_LEN], resp[PAWLINK_SESS_MSG_LEN];
	uint8_t prologue[64];
	size_t len;
	struct cast c;

	(void)state;
	cast_new(&c);
	host_start_ok(&c, &h, 0, init);
	/* It cannot read message 1, so it skips to writing message 2. */
	memcpy(prologue, PAWLINK_SESS_PROLOGUE, 18);
	memcpy(prologue + 18, init, 16);
	assert_int_equal(noise_kk_init(&fake, false, prologue, 34,
				       c.stranger.priv, c.host.pub), 0);
	memcpy(fake.re, init + 16, 32);
	fake.state = NOISE_KK_MSG2;
	memcpy(resp, "\x21\x02\x00\x00\x01\x00\x00\x00", 8);
	assert_int_equal(noise_kk_write_message(&fake, NULL, 0, resp + 8, 48,
						&len), 0);
	assert_int_equal(pawlink_session_host_finish(&h, resp, sizeof(resp),
						     &hr), -EACCES);
	assert_true(host_wiped(&h));
	noise_kk_wipe(&fake);

	/* A host holding a wrong key for the toy: turned away by mac1. */
	assert_int_equal(pawlink_session_host_start(&h, c.host.priv,
						    c.stranger.pub, 0, init,
						    sizeof(init), &len), 0);
	assert_int_equal(toy_respond(&c, 0, init, len, resp, &len, &hr),
			 -EPERM);
	pawlink_session_host_abort(&h);
}

/* Recomputes mac1, as anyone who knows the toy's public key can. */
static void remac(struct cast *c, uint8_t init[PAWLINK_SESS_INIT_LEN])
{
	uint8_t key[PAWLINK_SESS_MAC1_KEY_LEN];

	pawlink_session_mac1_key(key, c->toy.pub);
	crypto_generichash(init + 64, 16, init, 64, key, sizeof(key));
}

/* Builds an INIT the way a host of another protocol version would. */
static void make_init(struct cast *c, const char *label, uint8_t version,
		      uint8_t init[PAWLINK_SESS_INIT_LEN])
{
	struct noise_handshake hs;
	uint8_t prologue[64];
	size_t label_len = strlen(label), len;

	memcpy(init, "\x20\x02\x00\x00\x01\x00\x00\x00", 8);
	init[1] = version;
	memset(init + 8, 0, 8);
	init[8] = 1;			/* stamp 1 */
	memcpy(prologue, label, label_len);
	memcpy(prologue + label_len, init, 16);
	assert_int_equal(noise_kk_init(&hs, true, prologue, label_len + 16,
				       c->host.priv, c->toy.pub), 0);
	assert_int_equal(noise_kk_write_message(&hs, NULL, 0, init + 16, 48,
						&len), 0);
	noise_kk_wipe(&hs);
	remac(c, init);
}

static void test_downgrade(void **state)
{
	struct pawlink_session_result hr, tr;
	struct pawlink_session_host h;
	uint8_t init[PAWLINK_SESS_INIT_LEN], resp[PAWLINK_SESS_MSG_LEN];
	size_t len;
	struct cast c;

	(void)state;
	cast_new(&c);
	/* Our own construction is right: the control case succeeds. */
	make_init(&c, PAWLINK_SESS_PROLOGUE, PAWLINK_SESS_VERSION, init);
	assert_int_equal(toy_respond(&c, 0, init, sizeof(init), resp, &len,
				     &tr), 0);
	pawlink_session_result_wipe(&tr);

	/* An older prologue under a current header: authentication fails. */
	make_init(&c, "pawlink session v1", PAWLINK_SESS_VERSION, init);
	assert_int_equal(toy_respond(&c, 0, init, sizeof(init), resp, &len,
				     &tr), -EACCES);
	assert_int_equal(resp[2], PAWLINK_SESS_REJ_AUTH);

	/* A version the toy does not speak: refused, and said so. */
	make_init(&c, "pawlink session v3", 3, init);
	assert_int_equal(toy_respond(&c, 0, init, sizeof(init), resp, &len,
				     &tr), -EPROTONOSUPPORT);
	assert_int_equal(len, PAWLINK_SESS_REJECT_LEN);
	assert_int_equal(resp[2], PAWLINK_SESS_REJ_VERSION);

	/* Header rewritten on the way (epoch 1 -> 7): mac1 stops it... */
	host_start_ok(&c, &h, 0, init);
	init[4] = 7;
	assert_int_equal(toy_respond(&c, 0, init, sizeof(init), resp, &len,
				     &tr), -EPERM);
	/* ... and with mac1 redone, the prologue binds header and stamp. */
	remac(&c, init);
	assert_int_equal(toy_respond(&c, 0, init, sizeof(init), resp, &len,
				     &tr), -EACCES);
	host_start_ok(&c, &h, 0, init);
	init[9] = 1;			/* stamp */
	remac(&c, init);
	assert_int_equal(toy_respond(&c, 0, init, sizeof(init), resp, &len,
				     &tr), -EACCES);

	/* The RESP version is checked by the host too. */
	host_start_ok(&c, &h, 0, init);
	assert_int_equal(toy_respond(&c, 0, init, sizeof(init), resp, &len,
				     &tr), 0);
	pawlink_session_result_wipe(&tr);
	resp[1] = 0;
	assert_int_equal(pawlink_session_host_finish(&h, resp, len, &hr),
			 -EPROTONOSUPPORT);
	assert_true(host_wiped(&h));
}

/* Every single-bit change of either message aborts the handshake. */
static void test_tampering(void **state)
{
	struct pawlink_session_result hr, tr;
	struct pawlink_session_host h, hcopy;
	uint8_t init[PAWLINK_SESS_INIT_LEN], resp[PAWLINK_SESS_MSG_LEN];
	uint8_t bad[PAWLINK_SESS_INIT_LEN], out[PAWLINK_SESS_MSG_LEN];
	size_t len, out_len, bit;
	struct cast c;

	(void)state;
	cast_new(&c);
	host_start_ok(&c, &h, 0, init);
	for (bit = 0; bit < sizeof(init) * 8; bit++) {
		memcpy(bad, init, sizeof(init));
		bad[bit / 8] ^= (uint8_t)(1 << (bit % 8));
		assert_int_not_equal(toy_respond(&c, 0, bad, sizeof(bad), out,
						 &out_len, &tr), 0);
	}
	assert_int_equal(toy_respond(&c, 0, init, sizeof(init), resp, &len,
				     &tr), 0);
	for (bit = 0; bit < sizeof(resp) * 8; bit++) {
		memcpy(bad, resp, sizeof(resp));
		bad[bit / 8] ^= (uint8_t)(1 << (bit % 8));
		hcopy = h;
		assert_int_not_equal(pawlink_session_host_finish(&hcopy, bad,
								 len, &hr), 0);
		assert_true(host_wiped(&hcopy));
	}
	/* The untouched answer still completes, with the toy's keys. */
	assert_int_equal(pawlink_session_host_finish(&h, resp, len, &hr), 0);
	assert_memory_equal(&hr.keys, &tr.keys, sizeof(hr.keys));
	pawlink_session_result_wipe(&hr);
	pawlink_session_result_wipe(&tr);
}

static void test_truncated_and_extended(void **state)
{
	struct pawlink_session_result hr, tr;
	struct pawlink_session_host h, hcopy;
	uint8_t init[PAWLINK_SESS_INIT_LEN + 1], resp[PAWLINK_SESS_MSG_LEN + 1];
	uint8_t out[PAWLINK_SESS_MSG_LEN];
	size_t len, out_len, n;
	struct cast c;

	(void)state;
	cast_new(&c);
	host_start_ok(&c, &h, 0, init);
	for (n = 0; n < PAWLINK_SESS_INIT_LEN; n++) {
		assert_int_equal(toy_respond(&c, 0, init, n, out, &out_len,
					     &tr), -EBADMSG);
		/* Too short to be a session message at all: no answer. */
		if (n < PAWLINK_SESS_HDR_LEN)
			assert_int_equal(out_len, 0);
		else
			assert_int_equal(out[2], PAWLINK_SESS_REJ_MALFORMED);
	}
	init[PAWLINK_SESS_INIT_LEN] = 0;
	assert_int_equal(toy_respond(&c, 0, init, sizeof(init), out, &out_len,
				     &tr), -EBADMSG);

	assert_int_equal(toy_respond(&c, 0, init, PAWLINK_SESS_INIT_LEN, resp,
				     &len, &tr), 0);
	for (n = 0; n <= PAWLINK_SESS_MSG_LEN + 1; n++) {
		if (n == PAWLINK_SESS_MSG_LEN)
			continue;
		hcopy = h;
		assert_int_equal(pawlink_session_host_finish(&hcopy, resp, n,
							     &hr), -EBADMSG);
	}
	assert_int_equal(pawlink_session_host_finish(&h, resp, len, &hr), 0);
	pawlink_session_result_wipe(&hr);
	pawlink_session_result_wipe(&tr);
}

static void test_replay(void **state)
{
	struct pawlink_session_result hr, tr, tr2;
	struct pawlink_session_host h, h2;
	uint8_t init[PAWLINK_SESS_INIT_LEN], resp[PAWLINK_SESS_MSG_LEN];
	uint8_t init2[PAWLINK_SESS_INIT_LEN], resp2[PAWLINK_SESS_MSG_LEN];
	size_t len, len2;
	struct cast c;

	(void)state;
	cast_new(&c);
	host_start_ok(&c, &h, 0, init);
	assert_int_equal(toy_respond(&c, 0, init, sizeof(init), resp, &len,
				     &tr), 0);
	assert_int_equal(pawlink_session_host_finish(&h, resp, len, &hr), 0);

	/* The same RESP again: that handshake is over. */
	assert_int_equal(pawlink_session_host_finish(&h, resp, len, &hr),
			 -EINVAL);

	/* INIT replayed to the toy now at epoch 1: stale. */
	assert_int_equal(toy_respond(&c, 1, init, sizeof(init), resp2, &len2,
				     &tr2), -ESTALE);

	/*
	 * INIT replayed to a toy at epoch 0 (say, after a reconnect): the toy
	 * cannot tell, and answers with a fresh ephemeral, so the keys it
	 * derives are new; the attacker has no ephemeral secret to match them
	 * and no host accepts that answer.
	 */
	assert_int_equal(toy_respond(&c, 0, init, sizeof(init), resp2, &len2,
				     &tr2), 0);
	assert_memory_not_equal(tr2.keys.h2t_ctrl, tr.keys.h2t_ctrl, 32);
	host_start_ok(&c, &h2, 0, init2);
	assert_int_equal(pawlink_session_host_finish(&h2, resp2, len2, &hr),
			 -EACCES);

	/* An old RESP offered to a new handshake with the same epoch. */
	host_start_ok(&c, &h2, 0, init2);
	assert_int_equal(pawlink_session_host_finish(&h2, resp, len, &hr),
			 -EACCES);
	pawlink_session_result_wipe(&hr);
	pawlink_session_result_wipe(&tr);
	pawlink_session_result_wipe(&tr2);
}

static void test_reflection(void **state)
{
	struct pawlink_session_result hr, tr;
	struct pawlink_session_host h, hcopy;
	uint8_t init[PAWLINK_SESS_INIT_LEN], resp[PAWLINK_SESS_MSG_LEN];
	uint8_t bad[PAWLINK_SESS_INIT_LEN], out[PAWLINK_SESS_MSG_LEN];
	size_t len, out_len;
	struct cast c;

	(void)state;
	cast_new(&c);
	host_start_ok(&c, &h, 0, init);
	/* The host's own INIT sent back to it, as is and relabelled. */
	hcopy = h;
	assert_int_equal(pawlink_session_host_finish(&hcopy, init, sizeof(init),
						     &hr), -EBADMSG);
	memcpy(bad, init, sizeof(init));
	bad[0] = PAWLINK_SESS_RESP;
	hcopy = h;
	assert_int_equal(pawlink_session_host_finish(&hcopy, bad, sizeof(bad),
						     &hr), -EBADMSG);
	memmove(bad + 8, bad + 16, 48);	/* in a RESP's shape */
	hcopy = h;
	assert_int_equal(pawlink_session_host_finish(&hcopy, bad,
						     PAWLINK_SESS_MSG_LEN,
						     &hr), -EACCES);

	/* The toy's own RESP sent back to it: not an INIT, no answer. */
	assert_int_equal(toy_respond(&c, 0, init, sizeof(init), resp, &len,
				     &tr), 0);
	assert_int_equal(toy_respond(&c, 0, resp, len, out, &out_len, &tr),
			 -EBADMSG);
	assert_int_equal(out_len, 0);
	memset(bad, 0, sizeof(bad));
	memcpy(bad, resp, 8);
	memcpy(bad + 16, resp + 8, 48);
	bad[0] = PAWLINK_SESS_INIT;
	assert_int_equal(toy_respond(&c, 0, bad, sizeof(bad), out, &out_len,
				     &tr), -EPERM);
	remac(&c, bad);
	assert_int_equal(toy_respond(&c, 0, bad, sizeof(bad), out, &out_len,
				     &tr), -EACCES);
	pawlink_session_host_abort(&h);
}

static void test_low_order_points(void **state)
{
	struct pawlink_session_result hr, tr;
	struct pawlink_session_host h, hcopy;
	uint8_t init[PAWLINK_SESS_INIT_LEN], resp[PAWLINK_SESS_MSG_LEN];
	uint8_t bad[PAWLINK_SESS_INIT_LEN], out[PAWLINK_SESS_MSG_LEN];
	size_t len, out_len, i;
	struct cast c;

	(void)state;
	cast_new(&c);
	host_start_ok(&c, &h, 0, init);
	assert_int_equal(toy_respond(&c, 0, init, sizeof(init), resp, &len,
				     &tr), 0);
	for (i = 0; testvec_x25519_low_order(i); i++) {
		memcpy(bad, init, sizeof(init));
		testvec_hex_exact(testvec_x25519_low_order(i),
				  bad + PAWLINK_SESS_INIT_HDR_LEN, 32);
		remac(&c, bad);
		assert_int_equal(toy_respond(&c, 0, bad, sizeof(bad), out,
					     &out_len, &tr), -EKEYREJECTED);
		assert_int_equal(out[2], PAWLINK_SESS_REJ_AUTH);

		memcpy(bad, resp, sizeof(resp));
		testvec_hex_exact(testvec_x25519_low_order(i),
				  bad + PAWLINK_SESS_HDR_LEN, 32);
		hcopy = h;
		assert_int_equal(pawlink_session_host_finish(&hcopy, bad, len,
							     &hr),
				 -EKEYREJECTED);
		assert_true(host_wiped(&hcopy));
	}
	assert_int_equal(i, 7);	/* all of them were tried */
	pawlink_session_host_abort(&h);
	pawlink_session_result_wipe(&tr);
}

static void test_malformed_fields(void **state)
{
	struct pawlink_session_result hr, tr;
	struct pawlink_session_host h, hcopy;
	uint8_t init[PAWLINK_SESS_INIT_LEN], bad[PAWLINK_SESS_INIT_LEN];
	uint8_t out[PAWLINK_SESS_MSG_LEN];
	size_t out_len;
	struct cast c;

	(void)state;
	cast_new(&c);
	host_start_ok(&c, &h, 0, init);

#define TOY_ON(b) toy_respond(&c, 0, b, sizeof(b), out, &out_len, &tr)
	memcpy(bad, init, sizeof(init));
	bad[2] = 1;			/* reason must be 0 in an INIT */
	assert_int_equal(TOY_ON(bad), -EBADMSG);
	assert_int_equal(out[2], PAWLINK_SESS_REJ_MALFORMED);
	memcpy(bad, init, sizeof(init));
	bad[3] = 1;			/* reserved */
	assert_int_equal(TOY_ON(bad), -EBADMSG);
	memcpy(bad, init, sizeof(init));
	bad[4] = 0;			/* epoch 0 is "plaintext" */
	assert_int_equal(TOY_ON(bad), -EBADMSG);
	memcpy(bad, init, sizeof(init));
	bad[0] = 0x10;			/* a pairing message: not ours */
	assert_int_equal(TOY_ON(bad), -EBADMSG);
	assert_int_equal(out_len, 0);
#undef TOY_ON

	/* REJECTs the host will not take: wrong epoch, length, reserved. */
	memcpy(bad, "\x22\x01\x04\x00\x02\x00\x00\x00", 8);
	hcopy = h;
	assert_int_equal(pawlink_session_host_finish(&hcopy, bad, 8, &hr),
			 -EBADMSG);
	assert_int_equal(hcopy.rejected_reason, 0);
	bad[4] = 1;
	hcopy = h;
	assert_int_equal(pawlink_session_host_finish(&hcopy, bad, 9, &hr),
			 -EBADMSG);
	bad[3] = 1;
	hcopy = h;
	assert_int_equal(pawlink_session_host_finish(&hcopy, bad, 8, &hr),
			 -EBADMSG);
	/* A REJECT from a toy of another version still counts. */
	bad[3] = 0;
	bad[1] = 9;
	hcopy = h;
	assert_int_equal(pawlink_session_host_finish(&hcopy, bad, 8, &hr),
			 -ECONNREFUSED);
	/* A RESP with a non-zero reason or reserved byte, or another epoch. */
	assert_int_equal(toy_respond(&c, 0, init, sizeof(init), bad, &out_len,
				     &tr), 0);
	pawlink_session_result_wipe(&tr);
	bad[2] = 1;
	hcopy = h;
	assert_int_equal(pawlink_session_host_finish(&hcopy, bad, 56, &hr),
			 -EBADMSG);
	bad[2] = 0;
	bad[4] = 2;
	hcopy = h;
	assert_int_equal(pawlink_session_host_finish(&hcopy, bad, 56, &hr),
			 -EBADMSG);
	pawlink_session_host_abort(&h);
}

static void test_api_misuse(void **state)
{
	struct pawlink_session_result hr, tr;
	struct pawlink_session_host h;
	uint8_t init[PAWLINK_SESS_INIT_LEN], out[PAWLINK_SESS_MSG_LEN];
	size_t len;
	struct cast c;

	(void)state;
	cast_new(&c);
	memset(&h, 0, sizeof(h));
	assert_int_equal(pawlink_session_host_finish(&h, out, sizeof(out), &hr),
			 -EINVAL);
	assert_int_equal(pawlink_session_host_finish(NULL, out, sizeof(out),
						     &hr), -EINVAL);
	assert_int_equal(pawlink_session_host_start(&h, c.host.priv, c.toy.pub,
						    0, init, 55, &len),
			 -ENOSPC);
	assert_int_equal(pawlink_session_host_start(&h, NULL, c.toy.pub, 0,
						    init, sizeof(init), &len),
			 -EINVAL);
	host_start_ok(&c, &h, 0, init);
	assert_int_equal(pawlink_session_host_finish(&h, NULL, 0, &hr),
			 -EINVAL);
	assert_true(host_wiped(&h));

	host_start_ok(&c, &h, 0, init);
	assert_int_equal(pawlink_session_toy_respond(c.toy.priv,
			(const uint8_t (*)[32])c.pinned, 3, 0, init,
			sizeof(init), out, 55, &len, &tr), -ENOSPC);
	assert_int_equal(len, 0);
	assert_int_equal(pawlink_session_toy_respond(c.toy.priv, NULL, 3, 0,
			init, sizeof(init), out, sizeof(out), &len, &tr),
			 -EINVAL);
	/* The INIT is still good after both refusals. */
	assert_int_equal(toy_respond(&c, 0, init, sizeof(init), out, &len,
				     &tr), 0);
	assert_int_equal(pawlink_session_host_finish(&h, out, len, &hr), 0);
	pawlink_session_result_wipe(&hr);
	pawlink_session_result_wipe(&tr);
}

/* The toy's side as the firmware calls it: mac1 key and stamps given. */
static int toy_answer(struct cast *c, const uint64_t *stamps,
		      const uint8_t *msg, size_t len, uint8_t *out,
		      size_t *out_len, struct pawlink_session_result *res)
{
	uint8_t key[PAWLINK_SESS_MAC1_KEY_LEN];
	struct pawlink_session_toy_keys k = {
		.toy_priv = c->toy.priv,
		.mac1_key = key,
		.host_pubs = (const uint8_t (*)[32])c->pinned,
		.host_stamps = stamps,
		.n_hosts = 3,
	};

	pawlink_session_mac1_key(key, c->toy.pub);
	return pawlink_session_toy_answer(&k, 0, msg, len, out,
					  PAWLINK_SESS_MSG_LEN, out_len, res);
}

/*
 * A sender that does not know the toy's static public key costs the toy
 * no X25519 at all; one that does costs 1 + 3 per pinned host.
 */
static void test_mac1_before_any_dh(void **state)
{
	struct pawlink_session_result tr;
	uint8_t init[PAWLINK_SESS_INIT_LEN], out[PAWLINK_SESS_MSG_LEN];
	struct pawlink_session_host h;
	unsigned long before;
	size_t len;
	struct cast c;

	(void)state;
	cast_new(&c);
	/* A stranger guessing at the toy's key: everything but mac1 right. */
	assert_int_equal(pawlink_session_host_start_at(&h, c.host.priv,
						       c.stranger.pub, 0, 5,
						       init, sizeof(init),
						       &len), 0);
	before = noise_x25519_ops();
	assert_int_equal(toy_answer(&c, NULL, init, len, out, &len, &tr),
			 -EPERM);
	assert_int_equal(noise_x25519_ops() - before, 0);
	assert_int_equal(len, PAWLINK_SESS_REJECT_LEN);
	assert_int_equal(out[2], PAWLINK_SESS_REJ_AUTH);
	/* Random bytes of the right shape: the same. */
	randombytes_buf(init + 16, sizeof(init) - 16);
	before = noise_x25519_ops();
	assert_int_equal(toy_answer(&c, NULL, init, sizeof(init), out, &len,
				    &tr), -EPERM);
	assert_int_equal(noise_x25519_ops() - before, 0);

	/* A paired host: the low-order check, then 3 per pinned key. */
	assert_int_equal(pawlink_session_host_start_at(&h, c.host.priv,
						       c.toy.pub, 0, 5, init,
						       sizeof(init), &len), 0);
	before = noise_x25519_ops();
	assert_int_equal(toy_answer(&c, NULL, init, len, out, &len, &tr), 0);
	/* ... and 2 for the RESP (its ephemeral, ee, se). */
	assert_int_equal(noise_x25519_ops() - before, 1 + 3 * 3 + 3);
	pawlink_session_host_abort(&h);
	pawlink_session_result_wipe(&tr);
}

/* An INIT whose stamp is not above its host's last gets nothing. */
static void test_stamp_refuses_replays(void **state)
{
	struct pawlink_session_result tr;
	uint8_t init[PAWLINK_SESS_INIT_LEN], out[PAWLINK_SESS_MSG_LEN];
	uint64_t stamps[3] = { 900, 0, 900 };
	struct pawlink_session_host h;
	size_t len;
	struct cast c;

	(void)state;
	cast_new(&c);
	assert_int_equal(pawlink_session_host_start_at(&h, c.host.priv,
						       c.toy.pub, 0, 1000,
						       init, sizeof(init),
						       &len), 0);
	assert_int_equal(toy_answer(&c, stamps, init, len, out, &len, &tr), 0);
	assert_int_equal(tr.stamp, 1000);
	assert_int_equal(tr.host_index, 1);
	pawlink_session_result_wipe(&tr);
	/* The toy kept 1000 for this host: the same INIT again, nothing. */
	stamps[1] = 1000;
	assert_int_equal(toy_answer(&c, stamps, init, sizeof(init), out, &len,
				    &tr), -EALREADY);
	assert_int_equal(len, 0);
	/* An older one neither; the stamp is bound, so it cannot be raised. */
	stamps[1] = 1001;
	assert_int_equal(toy_answer(&c, stamps, init, sizeof(init), out, &len,
				    &tr), -EALREADY);
	init[9] ^= 0x10;
	assert_int_not_equal(toy_answer(&c, stamps, init, sizeof(init), out,
					&len, &tr), 0);
	/* Other hosts' stamps do not matter: per host. */
	stamps[1] = 999;
	init[9] ^= 0x10;
	assert_int_equal(toy_answer(&c, stamps, init, sizeof(init), out, &len,
				    &tr), 0);
	pawlink_session_host_abort(&h);
	pawlink_session_result_wipe(&tr);
}

/* pawlink_session_derive_keys against HKDF computed by OpenSSL. */
static void test_key_derivation_vectors(void **state)
{
	FILE *f = testvec_open("session-keys.txt");
	struct pawlink_key_install keys;
	uint8_t k1[32], k2[32], hash[32], want[32];
	char *line = NULL, *fld[9];
	size_t cap = 0, n, count = 0;
	uint32_t epoch;

	(void)state;
	while (getline(&line, &cap, f) > 0) {
		n = testvec_fields(line, fld, 9);
		if (n == 0)
			continue;
		assert_int_equal(n, 8);
		testvec_hex_exact(fld[0], k1, 32);
		testvec_hex_exact(fld[1], k2, 32);
		testvec_hex_exact(fld[2], hash, 32);
		epoch = (uint32_t)testvec_num(fld[3]);
		pawlink_session_derive_keys(&keys, k1, k2, hash, epoch, 0);
		assert_int_equal(keys.epoch, epoch);
		testvec_hex_exact(fld[4], want, 32);
		assert_memory_equal(keys.h2t_ctrl, want, 32);
		testvec_hex_exact(fld[5], want, 32);
		assert_memory_equal(keys.t2h_ctrl, want, 32);
		testvec_hex_exact(fld[6], want, 32);
		assert_memory_equal(keys.h2t_audio, want, 32);
		testvec_hex_exact(fld[7], want, 32);
		assert_memory_equal(keys.t2h_audio, want, 32);
		count++;
	}
	free(line);
	fclose(f);
	assert_int_equal(count, 3);
	sodium_memzero(&keys, sizeof(keys));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_keys_drive_records),
		cmocka_unit_test(test_lost_resp_retry),
		cmocka_unit_test(test_epochs),
		cmocka_unit_test(test_unpaired_host),
		cmocka_unit_test(test_pinned_list),
		cmocka_unit_test(test_impostor_toy),
		cmocka_unit_test(test_downgrade),
		cmocka_unit_test(test_tampering),
		cmocka_unit_test(test_truncated_and_extended),
		cmocka_unit_test(test_replay),
		cmocka_unit_test(test_reflection),
		cmocka_unit_test(test_low_order_points),
		cmocka_unit_test(test_malformed_fields),
		cmocka_unit_test(test_api_misuse),
		cmocka_unit_test(test_key_derivation_vectors),
		cmocka_unit_test(test_mac1_before_any_dh),
		cmocka_unit_test(test_stamp_refuses_replays),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
