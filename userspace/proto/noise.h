/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Noise_KK_25519_ChaChaPoly_SHA256 (Noise Protocol Framework, rev. 34):
 * CipherState, SymmetricState and a HandshakeState for the KK pattern,
 *
 *	KK:
 *	  -> s
 *	  <- s
 *	  ...
 *	  -> e, es, ss
 *	  <- e, ee, se
 *
 * plus HKDF-SHA256 (RFC 5869), of which Noise's HKDF() is the special case
 * salt = chaining key, info = empty.
 *
 * The structs are visible so that tests can drive the corner cases (a
 * nonce near its limit, a fixed ephemeral for the published vectors); code
 * outside tests only goes through the functions.  Every function that fails
 * mid-handshake wipes the handshake state, so a failed handshake cannot be
 * continued or reused.
 */
#ifndef PAWLINK_NOISE_H
#define PAWLINK_NOISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NOISE_PROTOCOL_NAME	"Noise_KK_25519_ChaChaPoly_SHA256"
#define NOISE_DH_LEN		32	/* X25519 keys and shared secrets */
#define NOISE_HASH_LEN		32	/* SHA-256 */
#define NOISE_KEY_LEN		32	/* ChaCha20-Poly1305 key */
#define NOISE_TAG_LEN		16	/* Poly1305 tag */
#define NOISE_MAX_MSG_LEN	65535	/* largest Noise message, spec §3 */
/* n = 2^64 - 1 is reserved by the spec; a CipherState refuses to use it. */
#define NOISE_NONCE_MAX		UINT64_MAX

/* Bytes a KK handshake message adds to its payload. */
#define NOISE_KK_MSG_OVERHEAD	(NOISE_DH_LEN + NOISE_TAG_LEN)

struct noise_cipher {
	uint8_t k[NOISE_KEY_LEN];
	uint64_t n;
	bool has_key;
};

struct noise_symmetric {
	struct noise_cipher cs;
	uint8_t ck[NOISE_HASH_LEN];	/* chaining key */
	uint8_t h[NOISE_HASH_LEN];	/* handshake hash */
};

/* Where a KK handshake is; both sides move through the same states. */
enum noise_kk_state {
	NOISE_KK_EMPTY = 0,	/* wiped, failed or never initialised */
	NOISE_KK_MSG1,		/* message 1 (-> e, es, ss) is next */
	NOISE_KK_MSG2,		/* message 2 (<- e, ee, se) is next */
	NOISE_KK_DONE,		/* complete; only split() is left */
};

struct noise_handshake {
	struct noise_symmetric ss;
	uint8_t s_priv[NOISE_DH_LEN];
	uint8_t s_pub[NOISE_DH_LEN];
	uint8_t e_priv[NOISE_DH_LEN];
	uint8_t e_pub[NOISE_DH_LEN];
	uint8_t rs[NOISE_DH_LEN];	/* remote static, known in advance (KK) */
	uint8_t re[NOISE_DH_LEN];	/* remote ephemeral */
	bool initiator;
	bool e_fixed;			/* e was set by noise_kk_set_ephemeral() */
	enum noise_kk_state state;
};

/*
 * Error returns (negative errno values; no function ever reports a secret):
 *   -EINVAL       a caller bug: wrong state, bad length argument
 *   -EMSGSIZE     a message longer than NOISE_MAX_MSG_LEN or a short output
 *   -EBADMSG      a received message of the wrong length
 *   -EKEYREJECTED an X25519 result of all zeros (low-order or invalid point)
 *   -EACCES       a tag did not verify (tampered, wrong key, wrong prologue)
 *   -EOVERFLOW    the nonce reached 2^64 - 1
 */

/* RFC 5869 HKDF-SHA256.  @prk is NOISE_HASH_LEN bytes; @out_len <= 255*32. */
void noise_hkdf_extract(uint8_t prk[NOISE_HASH_LEN],
			const uint8_t *salt, size_t salt_len,
			const uint8_t *ikm, size_t ikm_len);
int noise_hkdf_expand(uint8_t *out, size_t out_len,
		      const uint8_t prk[NOISE_HASH_LEN],
		      const uint8_t *info, size_t info_len);

/* CipherState (spec §5.1).  @out may equal @in. */
void noise_cipher_init(struct noise_cipher *cs, const uint8_t k[NOISE_KEY_LEN]);
int noise_cipher_encrypt(struct noise_cipher *cs,
			 const uint8_t *ad, size_t ad_len,
			 const uint8_t *in, size_t in_len,
			 uint8_t *out, size_t out_cap, size_t *out_len);
int noise_cipher_decrypt(struct noise_cipher *cs,
			 const uint8_t *ad, size_t ad_len,
			 const uint8_t *in, size_t in_len,
			 uint8_t *out, size_t out_cap, size_t *out_len);
void noise_cipher_wipe(struct noise_cipher *cs);

/*
 * Starts a KK handshake.  @s_priv is the local static private key, @rs the
 * peer's static public key (pinned at pairing).  The prologue is hashed in
 * and must be byte-identical on both sides, or message 1 fails to verify.
 * Returns 0, -EINVAL or -EKEYREJECTED (an unusable @s_priv).
 */
int noise_kk_init(struct noise_handshake *hs, bool initiator,
		  const uint8_t *prologue, size_t prologue_len,
		  const uint8_t s_priv[NOISE_DH_LEN],
		  const uint8_t rs[NOISE_DH_LEN]);

/*
 * Uses @e_priv instead of a fresh random ephemeral.  Only for reproducing
 * published test vectors and deterministic fuzzing: an ephemeral reused
 * across handshakes destroys forward secrecy.  Call before writing this
 * side's handshake message.
 */
int noise_kk_set_ephemeral(struct noise_handshake *hs,
			   const uint8_t e_priv[NOISE_DH_LEN]);

/*
 * Writes or reads the next handshake message; the payload is encrypted
 * and authenticated in both KK messages.  On any error the handshake is
 * wiped (state NOISE_KK_EMPTY).
 */
int noise_kk_write_message(struct noise_handshake *hs,
			   const uint8_t *payload, size_t payload_len,
			   uint8_t *out, size_t out_cap, size_t *out_len);
int noise_kk_read_message(struct noise_handshake *hs,
			  const uint8_t *msg, size_t msg_len,
			  uint8_t *payload, size_t payload_cap,
			  size_t *payload_len);

/*
 * Ends a completed handshake: fills the transport CipherStates (@send is
 * this side's sending direction), copies the handshake hash to @hash if
 * non-NULL, and wipes @hs.  Split (spec §5.2) gives the initiator's
 * sending key first; this function orders the pair by role.
 */
int noise_kk_split(struct noise_handshake *hs,
		   struct noise_cipher *send, struct noise_cipher *recv,
		   uint8_t hash[NOISE_HASH_LEN]);

/* Zeroes every key, chaining key and hash in @hs. */
void noise_kk_wipe(struct noise_handshake *hs);

/* X25519 (crypto_scalarmult and its base form), each one counted. */
int noise_x25519(uint8_t out[NOISE_DH_LEN], const uint8_t priv[NOISE_DH_LEN],
		 const uint8_t pub[NOISE_DH_LEN]);
int noise_x25519_base(uint8_t out[NOISE_DH_LEN],
		      const uint8_t priv[NOISE_DH_LEN]);
/* How many X25519 operations this process has done (tests, benchmarks). */
unsigned long noise_x25519_ops(void);

#endif /* PAWLINK_NOISE_H */
