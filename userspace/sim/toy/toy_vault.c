// SPDX-License-Identifier: GPL-2.0
/*
 * The toy's storage at rest (toy.rst "Storage at rest"): every blob the
 * core saves is sealed (XChaCha20-Poly1305) under a device key that only
 * the platform's secure element holds (TOY_BLOB_SECURE_ELEMENT, never
 * sealed itself).  A factory reset replaces that key first, which makes
 * every blob written before it unreadable at once (crypto-erase), whatever
 * a power cut interrupts afterwards.
 *
 * The core calls the platform through trampolines with the toy as their
 * context, so its files keep calling t->pf.blob_save() and _load() and get
 * sealing for free; every other operation goes to the board unchanged.
 *
 * The voice messages are sealed by the platform's store (msg_store_ops.h
 * seal()) under a key derived from the device key, so they die with it.
 *
 * A sealed blob names the key it was sealed under (a random key id): one
 * under another key was crypto-erased and reads as never saved; one under
 * this key that does not open is corrupt (-EBADMSG).
 */
#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "byteorder.h"
#include "toy_priv.h"

#define SE_MAGIC	"PWSE"
#define SB_MAGIC	"PWSB"
#define VAULT_VERSION	1
/* Secure element: magic 4, version 1, 3 zero, key id 8, key 32, code 8. */
#define SE_LEN		(8 + TOY_VAULT_KEY_ID_LEN + TOY_VAULT_KEY_LEN + 8)
/* Sealed blob: magic 4, version 1, blob 1, 2 zero, key id 8, nonce 24. */
#define SB_HDR_LEN	(8 + TOY_VAULT_KEY_ID_LEN + \
			 crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)

_Static_assert(TOY_BLOB_MAX >= TOY_BLOB_PLAIN_MAX + TOY_VAULT_OVERHEAD,
	       "a sealed blob fits the platform's largest");
_Static_assert(TOY_VAULT_OVERHEAD == SB_HDR_LEN +
	       crypto_aead_xchacha20poly1305_ietf_ABYTES, "sealing overhead");

static struct toy *T(void *ctx)
{
	return ctx;
}

/* ---- the secure element ---- */

static int se_save(struct toy *t)
{
	uint8_t buf[SE_LEN];
	int rc;

	memset(buf, 0, sizeof(buf));
	memcpy(buf, SE_MAGIC, 4);
	buf[4] = VAULT_VERSION;
	memcpy(buf + 8, t->vault.key_id, TOY_VAULT_KEY_ID_LEN);
	memcpy(buf + 8 + TOY_VAULT_KEY_ID_LEN, t->vault.key, TOY_VAULT_KEY_LEN);
	if (t->vault.has_code)
		memcpy(buf + 8 + TOY_VAULT_KEY_ID_LEN + TOY_VAULT_KEY_LEN,
		       t->vault.code.digits, PAWLINK_SETUP_CODE_DIGITS);
	rc = t->raw.blob_save(t->raw.ctx, TOY_BLOB_SECURE_ELEMENT, buf,
			      sizeof(buf));
	sodium_memzero(buf, sizeof(buf));
	return rc;
}

static void new_key(struct toy *t)
{
	t->raw.random(t->raw.ctx, t->vault.key, TOY_VAULT_KEY_LEN);
	t->raw.random(t->raw.ctx, t->vault.key_id, TOY_VAULT_KEY_ID_LEN);
}

int toy_vault_open(struct toy *t)
{
	uint8_t buf[SE_LEN + 1];
	const uint8_t *code = buf + 8 + TOY_VAULT_KEY_ID_LEN + TOY_VAULT_KEY_LEN;
	size_t len = 0;
	int rc;

	rc = t->raw.blob_load(t->raw.ctx, TOY_BLOB_SECURE_ELEMENT, buf,
			      sizeof(buf), &len);
	if (rc == -ENOENT) {
		/* A new board: its first key. */
		new_key(t);
		t->vault.has_code = false;
		return se_save(t);
	}
	if (rc)
		return rc;
	rc = -EBADMSG;
	if (len != SE_LEN || memcmp(buf, SE_MAGIC, 4) || buf[4] != VAULT_VERSION ||
	    buf[5] || buf[6] || buf[7])
		goto out;
	memcpy(t->vault.key_id, buf + 8, TOY_VAULT_KEY_ID_LEN);
	memcpy(t->vault.key, buf + 8 + TOY_VAULT_KEY_ID_LEN, TOY_VAULT_KEY_LEN);
	memset(&t->vault.code, 0, sizeof(t->vault.code));
	t->vault.has_code = code[0] != 0;
	if (t->vault.has_code) {
		memcpy(t->vault.code.digits, code, PAWLINK_SETUP_CODE_DIGITS);
		if (!pawlink_setup_code_is_valid(&t->vault.code))
			goto out;
	}
	rc = 0;
out:
	sodium_memzero(buf, sizeof(buf));
	return rc;
}

int toy_vault_keep_code(struct toy *t, const struct pawlink_setup_code *code)
{
	if (t->vault.has_code &&
	    !memcmp(t->vault.code.digits, code->digits, sizeof(code->digits)))
		return 0;
	t->vault.code = *code;
	t->vault.has_code = true;
	return se_save(t);
}

int toy_vault_erase(struct toy *t)
{
	/* The old key is gone once this returns: nothing sealed opens. */
	new_key(t);
	return se_save(t);
}

/* The messages' key: its own, derived from the device key. */
#define MSG_KDF_ID	1
#define MSG_KDF_CTX	"PWMSGKEY"

_Static_assert(PAWLINK_MSG_SEAL_KEY_LEN == TOY_VAULT_KEY_LEN &&
	       TOY_VAULT_KEY_LEN == crypto_kdf_KEYBYTES, "message key");

int toy_vault_seal_messages(struct toy *t)
{
	uint8_t key[PAWLINK_MSG_SEAL_KEY_LEN];
	int rc;

	crypto_kdf_derive_from_key(key, sizeof(key), MSG_KDF_ID, MSG_KDF_CTX,
				   t->vault.key);
	rc = pawlink_msg_store_seal(t->pf.messages(t->pf.ctx), key);
	sodium_memzero(key, sizeof(key));
	return rc;
}

/* ---- sealed blobs ---- */

static void sb_header(struct toy *t, uint8_t *h, enum toy_blob blob)
{
	memcpy(h, SB_MAGIC, 4);
	h[4] = VAULT_VERSION;
	h[5] = (uint8_t)blob;
	h[6] = h[7] = 0;
	memcpy(h + 8, t->vault.key_id, TOY_VAULT_KEY_ID_LEN);
}

static int vault_save(void *ctx, enum toy_blob blob, const uint8_t *buf,
		      size_t len)
{
	struct toy *t = T(ctx);
	uint8_t out[TOY_BLOB_MAX];
	unsigned long long clen;
	int rc;

	if (len + TOY_VAULT_OVERHEAD > sizeof(out))
		return -EFBIG;
	sb_header(t, out, blob);
	t->raw.random(t->raw.ctx, out + 8 + TOY_VAULT_KEY_ID_LEN,
		      crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
	/* The header is bound: a blob cannot move to another slot. */
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + SB_HDR_LEN, &clen, buf,
						   len, out, SB_HDR_LEN, NULL,
						   out + 8 + TOY_VAULT_KEY_ID_LEN,
						   t->vault.key);
	rc = t->raw.blob_save(t->raw.ctx, blob, out, SB_HDR_LEN + (size_t)clen);
	sodium_memzero(out, sizeof(out));
	return rc;
}

static int vault_load(void *ctx, enum toy_blob blob, uint8_t *buf,
		      size_t cap, size_t *len)
{
	struct toy *t = T(ctx);
	uint8_t in[TOY_BLOB_MAX + 1], hdr[8 + TOY_VAULT_KEY_ID_LEN];
	unsigned long long plen;
	size_t n = 0;
	int rc;

	rc = t->raw.blob_load(t->raw.ctx, blob, in, sizeof(in), &n);
	if (rc)
		return rc;
	sb_header(t, hdr, blob);
	if (n < TOY_VAULT_OVERHEAD || memcmp(in, hdr, 8)) {
		rc = -EBADMSG;
		goto out;
	}
	/* Sealed under a key the secure element no longer has: erased. */
	if (memcmp(in + 8, t->vault.key_id, TOY_VAULT_KEY_ID_LEN)) {
		rc = -ENOENT;
		goto out;
	}
	if (n - TOY_VAULT_OVERHEAD > cap ||
	    crypto_aead_xchacha20poly1305_ietf_decrypt(buf, &plen, NULL,
						       in + SB_HDR_LEN,
						       n - SB_HDR_LEN, in,
						       SB_HDR_LEN,
						       in + 8 + TOY_VAULT_KEY_ID_LEN,
						       t->vault.key)) {
		rc = -EBADMSG;
		goto out;
	}
	*len = (size_t)plen;
out:
	sodium_memzero(in, sizeof(in));
	return rc;
}

/* ---- the other operations, to the board as they were ---- */

static uint64_t tr_now_us(void *c) { return T(c)->raw.now_us(T(c)->raw.ctx); }
static void tr_random(void *c, uint8_t *b, size_t n)
{ T(c)->raw.random(T(c)->raw.ctx, b, n); }
static int tr_print_label(void *c, const char *code)
{ return T(c)->raw.print_label(T(c)->raw.ctx, code); }
static int tr_radio_set_id(void *c, const uint8_t id[PAWLINK_ID_LEN])
{ return T(c)->raw.radio_set_id(T(c)->raw.ctx, id); }
static int tr_radio_send(void *c, const uint8_t dst[PAWLINK_ID_LEN],
			 const uint8_t *rec, size_t len)
{ return T(c)->raw.radio_send(T(c)->raw.ctx, dst, rec, len); }
static int tr_radio_beacon(void *c, uint8_t flags)
{ return T(c)->raw.radio_beacon(T(c)->raw.ctx, flags); }
static uint64_t tr_radio_ready_us(void *c)
{ return T(c)->raw.radio_ready_us(T(c)->raw.ctx); }
static void tr_speaker(void *c, const int16_t *pcm, size_t frames)
{ T(c)->raw.speaker(T(c)->raw.ctx, pcm, frames); }
static void tr_mic(void *c, int16_t *pcm, size_t frames)
{ T(c)->raw.mic(T(c)->raw.ctx, pcm, frames); }
static void tr_led(void *c, bool on) { T(c)->raw.led(T(c)->raw.ctx, on); }
static void tr_event(void *c, const struct pawlink_toy_event *ev)
{ T(c)->raw.event(T(c)->raw.ctx, ev); }
static struct pawlink_msg_store *tr_messages(void *c)
{ return T(c)->raw.messages(T(c)->raw.ctx); }
static int tr_erase_messages(void *c)
{ return T(c)->raw.erase_messages(T(c)->raw.ctx); }

void toy_vault_wrap(struct toy *t, const struct toy_platform *board)
{
	t->raw = *board;
	t->pf = *board;
	t->pf.ctx = t;
	t->pf.now_us = tr_now_us;
	t->pf.random = tr_random;
	t->pf.blob_load = vault_load;
	t->pf.blob_save = vault_save;
	t->pf.print_label = tr_print_label;
	t->pf.radio_set_id = tr_radio_set_id;
	t->pf.radio_send = tr_radio_send;
	t->pf.radio_beacon = tr_radio_beacon;
	t->pf.radio_ready_us = board->radio_ready_us ? tr_radio_ready_us : NULL;
	t->pf.speaker = tr_speaker;
	t->pf.mic = tr_mic;
	t->pf.led = tr_led;
	t->pf.event = board->event ? tr_event : NULL;
	t->pf.messages = tr_messages;
	t->pf.erase_messages = tr_erase_messages;
}
