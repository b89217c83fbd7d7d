// SPDX-License-Identifier: GPL-2.0
/*
 * Noise_KK_25519_ChaChaPoly_SHA256, written from the Noise specification
 * (revision 34).  Section numbers below refer to it.
 */
#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "noise.h"

_Static_assert(sizeof(NOISE_PROTOCOL_NAME) - 1 == NOISE_HASH_LEN,
	       "the protocol name is used as h without padding or hashing");

/* ---- HKDF (RFC 5869) ---------------------------------------------------- */

void noise_hkdf_extract(uint8_t prk[NOISE_HASH_LEN],
			const uint8_t *salt, size_t salt_len,
			const uint8_t *ikm, size_t ikm_len)
{
	crypto_auth_hmacsha256_state st;

	/*
	 * An empty salt is an HMAC key of zero bytes, which HMAC pads to the
	 * same block as RFC 5869's HashLen zero bytes.
	 */
	crypto_auth_hmacsha256_init(&st, salt ? salt : (const uint8_t *)"",
				    salt_len);
	crypto_auth_hmacsha256_update(&st, ikm, ikm_len);
	crypto_auth_hmacsha256_final(&st, prk);
	sodium_memzero(&st, sizeof(st));
}

int noise_hkdf_expand(uint8_t *out, size_t out_len,
		      const uint8_t prk[NOISE_HASH_LEN],
		      const uint8_t *info, size_t info_len)
{
	crypto_auth_hmacsha256_state st;
	uint8_t t[NOISE_HASH_LEN];
	size_t done = 0;
	uint8_t i;

	if (out_len > 255 * NOISE_HASH_LEN)
		return -EINVAL;
	for (i = 1; done < out_len; i++) {
		size_t take = out_len - done;

		crypto_auth_hmacsha256_init(&st, prk, NOISE_HASH_LEN);
		if (i > 1)	/* T(i) = HMAC(PRK, T(i-1) | info | i) */
			crypto_auth_hmacsha256_update(&st, t, sizeof(t));
		crypto_auth_hmacsha256_update(&st, info, info_len);
		crypto_auth_hmacsha256_update(&st, &i, 1);
		crypto_auth_hmacsha256_final(&st, t);
		if (take > sizeof(t))
			take = sizeof(t);
		memcpy(out + done, t, take);
		done += take;
	}
	sodium_memzero(&st, sizeof(st));
	sodium_memzero(t, sizeof(t));
	return 0;
}

/* Noise's HKDF(ck, ikm, 2) (§4.3): two 32-byte outputs. */
static void noise_hkdf2(uint8_t out1[NOISE_HASH_LEN],
			uint8_t out2[NOISE_HASH_LEN],
			const uint8_t ck[NOISE_HASH_LEN],
			const uint8_t *ikm, size_t ikm_len)
{
	uint8_t prk[NOISE_HASH_LEN];
	uint8_t okm[2 * NOISE_HASH_LEN];

	noise_hkdf_extract(prk, ck, NOISE_HASH_LEN, ikm, ikm_len);
	noise_hkdf_expand(okm, sizeof(okm), prk, NULL, 0);
	memcpy(out1, okm, NOISE_HASH_LEN);
	memcpy(out2, okm + NOISE_HASH_LEN, NOISE_HASH_LEN);
	sodium_memzero(prk, sizeof(prk));
	sodium_memzero(okm, sizeof(okm));
}

/* ---- CipherState (§5.1) ------------------------------------------------- */

/* ChaChaPoly nonce (§12.3): 32 bits of zeros, then n little endian. */
static void noise_nonce(uint8_t nonce[crypto_aead_chacha20poly1305_IETF_NPUBBYTES],
			uint64_t n)
{
	int i;

	memset(nonce, 0, 4);
	for (i = 0; i < 8; i++)
		nonce[4 + i] = (uint8_t)(n >> (8 * i));
}

void noise_cipher_init(struct noise_cipher *cs, const uint8_t k[NOISE_KEY_LEN])
{
	memcpy(cs->k, k, NOISE_KEY_LEN);
	cs->n = 0;
	cs->has_key = true;
}

void noise_cipher_wipe(struct noise_cipher *cs)
{
	sodium_memzero(cs, sizeof(*cs));
}

/* Without a key, Encrypt and Decrypt return their input unchanged. */
static int noise_cipher_copy(const uint8_t *in, size_t in_len,
			     uint8_t *out, size_t out_cap, size_t *out_len)
{
	if (out_cap < in_len)
		return -EMSGSIZE;
	if (in_len)
		memmove(out, in, in_len);
	*out_len = in_len;
	return 0;
}

int noise_cipher_encrypt(struct noise_cipher *cs,
			 const uint8_t *ad, size_t ad_len,
			 const uint8_t *in, size_t in_len,
			 uint8_t *out, size_t out_cap, size_t *out_len)
{
	uint8_t nonce[crypto_aead_chacha20poly1305_IETF_NPUBBYTES];
	unsigned long long clen;

	if (!cs->has_key)
		return noise_cipher_copy(in, in_len, out, out_cap, out_len);
	if (in_len > NOISE_MAX_MSG_LEN - NOISE_TAG_LEN ||
	    out_cap < in_len + NOISE_TAG_LEN)
		return -EMSGSIZE;
	if (cs->n == NOISE_NONCE_MAX)
		return -EOVERFLOW;
	noise_nonce(nonce, cs->n);
	crypto_aead_chacha20poly1305_ietf_encrypt(out, &clen, in, in_len,
						  ad, ad_len, NULL, nonce,
						  cs->k);
	cs->n++;
	*out_len = (size_t)clen;
	return 0;
}

int noise_cipher_decrypt(struct noise_cipher *cs,
			 const uint8_t *ad, size_t ad_len,
			 const uint8_t *in, size_t in_len,
			 uint8_t *out, size_t out_cap, size_t *out_len)
{
	uint8_t nonce[crypto_aead_chacha20poly1305_IETF_NPUBBYTES];
	unsigned long long mlen;

	if (!cs->has_key)
		return noise_cipher_copy(in, in_len, out, out_cap, out_len);
	if (in_len < NOISE_TAG_LEN)
		return -EBADMSG;
	if (in_len > NOISE_MAX_MSG_LEN || out_cap < in_len - NOISE_TAG_LEN)
		return -EMSGSIZE;
	if (cs->n == NOISE_NONCE_MAX)
		return -EOVERFLOW;
	noise_nonce(nonce, cs->n);
	/* The tag is checked first; on failure the output is only zeroed. */
	if (crypto_aead_chacha20poly1305_ietf_decrypt(out, &mlen, NULL,
						      in, in_len,
						      ad, ad_len, nonce,
						      cs->k) != 0)
		return -EACCES;
	cs->n++;
	*out_len = (size_t)mlen;
	return 0;
}

/* ---- SymmetricState (§5.2) ---------------------------------------------- */

static void noise_mix_hash(struct noise_symmetric *ss,
			   const uint8_t *data, size_t len)
{
	crypto_hash_sha256_state st;

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, ss->h, NOISE_HASH_LEN);
	crypto_hash_sha256_update(&st, data, len);
	crypto_hash_sha256_final(&st, ss->h);
	sodium_memzero(&st, sizeof(st));
}

static void noise_mix_key(struct noise_symmetric *ss,
			  const uint8_t ikm[NOISE_DH_LEN])
{
	uint8_t k[NOISE_HASH_LEN];

	noise_hkdf2(ss->ck, k, ss->ck, ikm, NOISE_DH_LEN);
	/* HASHLEN is 32, so temp_k needs no truncation. */
	noise_cipher_init(&ss->cs, k);
	sodium_memzero(k, sizeof(k));
}

static int noise_encrypt_and_hash(struct noise_symmetric *ss,
				  const uint8_t *in, size_t in_len,
				  uint8_t *out, size_t out_cap,
				  size_t *out_len)
{
	int ret;

	ret = noise_cipher_encrypt(&ss->cs, ss->h, NOISE_HASH_LEN,
				   in, in_len, out, out_cap, out_len);
	if (ret)
		return ret;
	noise_mix_hash(ss, out, *out_len);
	return 0;
}

static int noise_decrypt_and_hash(struct noise_symmetric *ss,
				  const uint8_t *in, size_t in_len,
				  uint8_t *out, size_t out_cap,
				  size_t *out_len)
{
	struct noise_symmetric next = *ss;
	int ret;

	/* Hash the ciphertext before decrypting: @out may overlap @in. */
	noise_mix_hash(&next, in, in_len);
	ret = noise_cipher_decrypt(&ss->cs, ss->h, NOISE_HASH_LEN,
				   in, in_len, out, out_cap, out_len);
	if (!ret)
		memcpy(ss->h, next.h, NOISE_HASH_LEN);
	sodium_memzero(&next, sizeof(next));
	return ret;
}

/* ---- X25519, counted ------------------------------------------------------ */

/* Every X25519 this process did: what a test or benchmark counts. */
static _Atomic unsigned long x25519_ops;

unsigned long noise_x25519_ops(void)
{
	return x25519_ops;
}

int noise_x25519(uint8_t out[NOISE_DH_LEN], const uint8_t priv[NOISE_DH_LEN],
		 const uint8_t pub[NOISE_DH_LEN])
{
	x25519_ops++;
	return crypto_scalarmult(out, priv, pub);
}

int noise_x25519_base(uint8_t out[NOISE_DH_LEN],
		      const uint8_t priv[NOISE_DH_LEN])
{
	x25519_ops++;
	return crypto_scalarmult_base(out, priv);
}

/* ---- HandshakeState for KK (§5.3, §7.5) --------------------------------- */

/* DH(priv, pub) mixed into the chaining key; all-zero output aborts. */
static int noise_mix_dh(struct noise_symmetric *ss,
			const uint8_t priv[NOISE_DH_LEN],
			const uint8_t pub[NOISE_DH_LEN])
{
	uint8_t shared[NOISE_DH_LEN];
	int ret = 0;

	if (noise_x25519(shared, priv, pub) != 0)
		ret = -EKEYREJECTED;
	else
		noise_mix_key(ss, shared);
	sodium_memzero(shared, sizeof(shared));
	return ret;
}

void noise_kk_wipe(struct noise_handshake *hs)
{
	sodium_memzero(hs, sizeof(*hs));
	hs->state = NOISE_KK_EMPTY;
}

int noise_kk_init(struct noise_handshake *hs, bool initiator,
		  const uint8_t *prologue, size_t prologue_len,
		  const uint8_t s_priv[NOISE_DH_LEN],
		  const uint8_t rs[NOISE_DH_LEN])
{
	if (sodium_init() < 0)
		return -EIO;
	noise_kk_wipe(hs);
	if (prologue_len && !prologue)
		return -EINVAL;
	hs->initiator = initiator;
	memcpy(hs->s_priv, s_priv, NOISE_DH_LEN);
	memcpy(hs->rs, rs, NOISE_DH_LEN);
	if (noise_x25519_base(hs->s_pub, hs->s_priv) != 0) {
		noise_kk_wipe(hs);
		return -EKEYREJECTED;
	}

	memcpy(hs->ss.h, NOISE_PROTOCOL_NAME, NOISE_HASH_LEN);
	memcpy(hs->ss.ck, hs->ss.h, NOISE_HASH_LEN);
	noise_mix_hash(&hs->ss, prologue, prologue_len);
	/* Pre-messages "-> s" then "<- s": the initiator's key first. */
	noise_mix_hash(&hs->ss, initiator ? hs->s_pub : hs->rs, NOISE_DH_LEN);
	noise_mix_hash(&hs->ss, initiator ? hs->rs : hs->s_pub, NOISE_DH_LEN);
	hs->state = NOISE_KK_MSG1;
	return 0;
}

int noise_kk_set_ephemeral(struct noise_handshake *hs,
			   const uint8_t e_priv[NOISE_DH_LEN])
{
	enum noise_kk_state mine = hs->initiator ? NOISE_KK_MSG1 : NOISE_KK_MSG2;

	if (hs->state == NOISE_KK_EMPTY || hs->state > mine)
		return -EINVAL;
	memcpy(hs->e_priv, e_priv, NOISE_DH_LEN);
	if (noise_x25519_base(hs->e_pub, hs->e_priv) != 0) {
		noise_kk_wipe(hs);
		return -EKEYREJECTED;
	}
	hs->e_fixed = true;
	return 0;
}

/* The "e" token on the writing side: a fresh key pair unless fixed. */
static void noise_write_e(struct noise_handshake *hs, uint8_t out[NOISE_DH_LEN])
{
	if (!hs->e_fixed) {
		randombytes_buf(hs->e_priv, NOISE_DH_LEN);
		/* Cannot fail: a clamped scalar times the base point. */
		noise_x25519_base(hs->e_pub, hs->e_priv);
	}
	noise_mix_hash(&hs->ss, hs->e_pub, NOISE_DH_LEN);
	memcpy(out, hs->e_pub, NOISE_DH_LEN);
}

int noise_kk_write_message(struct noise_handshake *hs,
			   const uint8_t *payload, size_t payload_len,
			   uint8_t *out, size_t out_cap, size_t *out_len)
{
	size_t ct_len;
	int ret;

	if (hs->state != (hs->initiator ? NOISE_KK_MSG1 : NOISE_KK_MSG2)) {
		ret = -EINVAL;
		goto fail_wipe;
	}
	if (payload_len > NOISE_MAX_MSG_LEN - NOISE_KK_MSG_OVERHEAD ||
	    out_cap < payload_len + NOISE_KK_MSG_OVERHEAD) {
		ret = -EMSGSIZE;
		goto fail_wipe;
	}

	noise_write_e(hs, out);
	if (hs->initiator) {
		/* -> e, es, ss */
		ret = noise_mix_dh(&hs->ss, hs->e_priv, hs->rs);
		if (!ret)
			ret = noise_mix_dh(&hs->ss, hs->s_priv, hs->rs);
	} else {
		/* <- e, ee, se */
		ret = noise_mix_dh(&hs->ss, hs->e_priv, hs->re);
		if (!ret)
			ret = noise_mix_dh(&hs->ss, hs->e_priv, hs->rs);
	}
	if (ret)
		goto fail_wipe;
	ret = noise_encrypt_and_hash(&hs->ss, payload, payload_len,
				     out + NOISE_DH_LEN, out_cap - NOISE_DH_LEN,
				     &ct_len);
	if (ret)
		goto fail_wipe;
	*out_len = NOISE_DH_LEN + ct_len;
	hs->state = hs->state == NOISE_KK_MSG1 ? NOISE_KK_MSG2 : NOISE_KK_DONE;
	return 0;

fail_wipe:
	noise_kk_wipe(hs);
	return ret;
}

int noise_kk_read_message(struct noise_handshake *hs,
			  const uint8_t *msg, size_t msg_len,
			  uint8_t *payload, size_t payload_cap,
			  size_t *payload_len)
{
	int ret;

	if (hs->state != (hs->initiator ? NOISE_KK_MSG2 : NOISE_KK_MSG1)) {
		ret = -EINVAL;
		goto fail_wipe;
	}
	if (msg_len > NOISE_MAX_MSG_LEN) {
		ret = -EMSGSIZE;
		goto fail_wipe;
	}
	if (msg_len < NOISE_KK_MSG_OVERHEAD) {
		ret = -EBADMSG;
		goto fail_wipe;
	}
	if (payload_cap < msg_len - NOISE_KK_MSG_OVERHEAD) {
		ret = -EMSGSIZE;
		goto fail_wipe;
	}

	memcpy(hs->re, msg, NOISE_DH_LEN);
	noise_mix_hash(&hs->ss, hs->re, NOISE_DH_LEN);
	if (hs->initiator) {
		/* <- e, ee, se */
		ret = noise_mix_dh(&hs->ss, hs->e_priv, hs->re);
		if (!ret)
			ret = noise_mix_dh(&hs->ss, hs->s_priv, hs->re);
	} else {
		/* -> e, es, ss */
		ret = noise_mix_dh(&hs->ss, hs->s_priv, hs->re);
		if (!ret)
			ret = noise_mix_dh(&hs->ss, hs->s_priv, hs->rs);
	}
	if (ret)
		goto fail_wipe;
	ret = noise_decrypt_and_hash(&hs->ss, msg + NOISE_DH_LEN,
				     msg_len - NOISE_DH_LEN,
				     payload, payload_cap, payload_len);
	if (ret)
		goto fail_wipe;
	hs->state = hs->state == NOISE_KK_MSG1 ? NOISE_KK_MSG2 : NOISE_KK_DONE;
	return 0;

fail_wipe:
	noise_kk_wipe(hs);
	return ret;
}

int noise_kk_split(struct noise_handshake *hs,
		   struct noise_cipher *send, struct noise_cipher *recv,
		   uint8_t hash[NOISE_HASH_LEN])
{
	uint8_t k1[NOISE_KEY_LEN], k2[NOISE_KEY_LEN];

	if (hs->state != NOISE_KK_DONE) {
		noise_kk_wipe(hs);
		return -EINVAL;
	}
	noise_hkdf2(k1, k2, hs->ss.ck, NULL, 0);
	/* k1 protects initiator -> responder, k2 the other way. */
	noise_cipher_init(send, hs->initiator ? k1 : k2);
	noise_cipher_init(recv, hs->initiator ? k2 : k1);
	if (hash)
		memcpy(hash, hs->ss.h, NOISE_HASH_LEN);
	sodium_memzero(k1, sizeof(k1));
	sodium_memzero(k2, sizeof(k2));
	noise_kk_wipe(hs);
	return 0;
}
