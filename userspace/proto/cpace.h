/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPace over ristretto255 with SHA-512 (CPACE-RISTR255-SHA512), as in
 * draft-irtf-cfrg-cpace-21: generator from (PRS, CI, sid), ephemeral
 * shares, scalar_mult_vfy with abort on an invalid encoding or the
 * identity, and the intermediate session key ISK in either the
 * initiator-responder or the ordered-concatenation transcript.
 *
 * The secret point K never leaves this file: pawlink_cpace_finish() goes
 * straight from the peer's share to ISK.
 */
#ifndef PAWLINK_CPACE_H
#define PAWLINK_CPACE_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#define PAWLINK_CPACE_DSI		"CPaceRistretto255"
#define PAWLINK_CPACE_DSI_ISK		"CPaceRistretto255_ISK"
#define PAWLINK_CPACE_POINT_LEN		crypto_core_ristretto255_BYTES	/* 32 */
#define PAWLINK_CPACE_SCALAR_LEN	crypto_core_ristretto255_SCALARBYTES
#define PAWLINK_CPACE_ISK_LEN		crypto_hash_sha512_BYTES	/* 64 */
/* SHA-512's input block size, H.s_in_bytes in the draft. */
#define PAWLINK_CPACE_HASH_BLOCK	128
/* Longest PRS, CI, sid and AD this implementation accepts, each. */
#define PAWLINK_CPACE_INPUT_MAX		255

enum pawlink_cpace_transcript {
	PAWLINK_CPACE_IR,	/* lv_cat(Ya,ADa) || lv_cat(Yb,ADb) */
	PAWLINK_CPACE_OC,	/* o_cat(lv_cat(Ya,ADa), lv_cat(Yb,ADb)) */
};

/* One party's CPace state.  Wipe with pawlink_cpace_wipe(). */
struct pawlink_cpace {
	uint8_t scalar[PAWLINK_CPACE_SCALAR_LEN];	/* y, secret */
	uint8_t share[PAWLINK_CPACE_POINT_LEN];	/* Y = y * g, public */
};

/*
 * prepend_len(data) of the draft: the LEB128 length, then @data.  Writes at
 * most @cap bytes to @out; returns the encoded length, or 0 when it does
 * not fit.
 */
size_t pawlink_cpace_prepend_len(uint8_t *out, size_t cap, const uint8_t *data,
				 size_t len);

/*
 * generator_string(DSI, PRS, CI, sid, 128) into @out (@cap bytes).  Returns
 * its length, or 0 if an input is longer than PAWLINK_CPACE_INPUT_MAX or
 * it does not fit.  The result contains the PRS: wipe it.
 */
size_t pawlink_cpace_generator_string(uint8_t *out, size_t cap,
				      const uint8_t *prs, size_t prs_len,
				      const uint8_t *ci, size_t ci_len,
				      const uint8_t *sid, size_t sid_len);

/*
 * calculate_generator: the encoded generator g =
 * element_derivation(SHA-512(generator_string(...))).  0 or -EINVAL.
 */
int pawlink_cpace_generator(uint8_t g[PAWLINK_CPACE_POINT_LEN],
			    const uint8_t *prs, size_t prs_len,
			    const uint8_t *ci, size_t ci_len,
			    const uint8_t *sid, size_t sid_len);

/*
 * Starts a run: computes g, samples a scalar as the draft recommends (32
 * random bytes with the bits above 252 cleared) and the share Y.
 * 0 or -EINVAL.
 */
int pawlink_cpace_start(struct pawlink_cpace *c, const uint8_t *prs,
			size_t prs_len, const uint8_t *ci, size_t ci_len,
			const uint8_t *sid, size_t sid_len);

/*
 * The same with a caller-chosen scalar, for the draft's test vectors.  A
 * scalar that yields the identity is -EINVAL.
 */
int pawlink_cpace_start_with_scalar(struct pawlink_cpace *c,
				    const uint8_t scalar[PAWLINK_CPACE_SCALAR_LEN],
				    const uint8_t *prs, size_t prs_len,
				    const uint8_t *ci, size_t ci_len,
				    const uint8_t *sid, size_t sid_len);

/*
 * scalar_mult_vfy(y, X): K = y * decode(X).  -EINVAL (and K zeroed) when X
 * is not a canonical ristretto255 encoding or K is the identity; the
 * caller must then abort.
 */
int pawlink_cpace_scalar_mult_vfy(uint8_t k[PAWLINK_CPACE_POINT_LEN],
				  const uint8_t scalar[PAWLINK_CPACE_SCALAR_LEN],
				  const uint8_t point[PAWLINK_CPACE_POINT_LEN]);

/*
 * ISK = SHA-512(lv_cat(DSI_ISK, sid, K) || transcript(Ya,ADa, Yb,ADb)).
 * Exposed for the test vectors; protocols use pawlink_cpace_finish().
 */
int pawlink_cpace_isk(uint8_t isk[PAWLINK_CPACE_ISK_LEN],
		      enum pawlink_cpace_transcript mode,
		      const uint8_t *sid, size_t sid_len,
		      const uint8_t k[PAWLINK_CPACE_POINT_LEN],
		      const uint8_t ya[PAWLINK_CPACE_POINT_LEN],
		      const uint8_t *ada, size_t ada_len,
		      const uint8_t yb[PAWLINK_CPACE_POINT_LEN],
		      const uint8_t *adb, size_t adb_len);

/*
 * Finishes a run for the initiator (@initiator != 0: our share is Ya) or
 * the responder (our share is Yb): K = scalar_mult_vfy(y, peer), abort on
 * an invalid or identity K, then ISK.  The scalar is wiped either way, so
 * a state finishes at most once.  0 or -EINVAL (abort).
 */
int pawlink_cpace_finish(struct pawlink_cpace *c,
			 uint8_t isk[PAWLINK_CPACE_ISK_LEN], int initiator,
			 enum pawlink_cpace_transcript mode,
			 const uint8_t *sid, size_t sid_len,
			 const uint8_t peer_share[PAWLINK_CPACE_POINT_LEN],
			 const uint8_t *ada, size_t ada_len,
			 const uint8_t *adb, size_t adb_len);

void pawlink_cpace_wipe(struct pawlink_cpace *c);

#endif /* PAWLINK_CPACE_H */
