// SPDX-License-Identifier: GPL-2.0
/*
 * CPace over ristretto255 with SHA-512, following draft-irtf-cfrg-cpace-21
 * sections 7, 8.1 and 8.3 and appendix A.  See cpace.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cpace.h"

/* DSI and three inputs of at most PAWLINK_CPACE_INPUT_MAX, plus padding. */
#define GEN_STRING_MAX	1024
/* lv_cat(Y, AD): two LEB128 lengths of at most two bytes each. */
#define LV_PAIR_MAX	(2 + PAWLINK_CPACE_POINT_LEN + 2 + PAWLINK_CPACE_INPUT_MAX)

/* LEB128 of @len into @out (at most 10 bytes); returns its length. */
static size_t leb128_encode(uint8_t out[10], size_t len)
{
	size_t n = 0;

	do {
		out[n] = (uint8_t)(len & 0x7f);
		len >>= 7;
		if (len)
			out[n] |= 0x80;
		n++;
	} while (len);
	return n;
}

static size_t leb128_len(size_t len)
{
	uint8_t scratch[10];

	return leb128_encode(scratch, len);
}

size_t pawlink_cpace_prepend_len(uint8_t *out, size_t cap, const uint8_t *data,
				 size_t len)
{
	uint8_t prefix[10];
	size_t n = leb128_encode(prefix, len);

	if (len > SIZE_MAX - n || n + len > cap)
		return 0;
	memcpy(out, prefix, n);
	if (len)
		memcpy(out + n, data, len);
	return n + len;
}

/* Appends prepend_len(data) at *@pos; false when it does not fit. */
static bool lv_append(uint8_t *out, size_t cap, size_t *pos,
		      const uint8_t *data, size_t len)
{
	size_t n = pawlink_cpace_prepend_len(out + *pos, cap - *pos, data, len);

	if (n == 0)
		return false;
	*pos += n;
	return true;
}

/* Feeds prepend_len(data) to a running SHA-512. */
static void lv_hash(crypto_hash_sha512_state *st, const uint8_t *data,
		    size_t len)
{
	uint8_t prefix[10];

	crypto_hash_sha512_update(st, prefix, leb128_encode(prefix, len));
	if (len)
		crypto_hash_sha512_update(st, data, len);
}

static bool inputs_ok(size_t a, size_t b, size_t c)
{
	return a <= PAWLINK_CPACE_INPUT_MAX && b <= PAWLINK_CPACE_INPUT_MAX &&
	       c <= PAWLINK_CPACE_INPUT_MAX;
}

size_t pawlink_cpace_generator_string(uint8_t *out, size_t cap,
				      const uint8_t *prs, size_t prs_len,
				      const uint8_t *ci, size_t ci_len,
				      const uint8_t *sid, size_t sid_len)
{
	static const uint8_t zeros[PAWLINK_CPACE_HASH_BLOCK];
	const size_t dsi_len = sizeof(PAWLINK_CPACE_DSI) - 1;
	size_t used, zpad_len = 0, pos = 0;

	if (!inputs_ok(prs_len, ci_len, sid_len))
		return 0;
	/* Pad so that DSI and PRS fill the first hash block (section 8.1). */
	used = leb128_len(prs_len) + prs_len + leb128_len(dsi_len) + dsi_len +
	       1;
	if (used < PAWLINK_CPACE_HASH_BLOCK)
		zpad_len = PAWLINK_CPACE_HASH_BLOCK - used;
	if (!lv_append(out, cap, &pos, (const uint8_t *)PAWLINK_CPACE_DSI,
		       dsi_len) ||
	    !lv_append(out, cap, &pos, prs, prs_len) ||
	    !lv_append(out, cap, &pos, zeros, zpad_len) ||
	    !lv_append(out, cap, &pos, ci, ci_len) ||
	    !lv_append(out, cap, &pos, sid, sid_len)) {
		sodium_memzero(out, cap);
		return 0;
	}
	return pos;
}

int pawlink_cpace_generator(uint8_t g[PAWLINK_CPACE_POINT_LEN],
			    const uint8_t *prs, size_t prs_len,
			    const uint8_t *ci, size_t ci_len,
			    const uint8_t *sid, size_t sid_len)
{
	uint8_t gen_str[GEN_STRING_MAX];
	uint8_t hash[crypto_core_ristretto255_HASHBYTES];
	size_t len;
	int ret = 0;

	len = pawlink_cpace_generator_string(gen_str, sizeof(gen_str), prs,
					     prs_len, ci, ci_len, sid, sid_len);
	if (len == 0)
		return -EINVAL;
	crypto_hash_sha512(hash, gen_str, len);
	if (crypto_core_ristretto255_from_hash(g, hash) != 0)
		ret = -EINVAL;
	sodium_memzero(gen_str, sizeof(gen_str));
	sodium_memzero(hash, sizeof(hash));
	return ret;
}

int pawlink_cpace_scalar_mult_vfy(uint8_t k[PAWLINK_CPACE_POINT_LEN],
				  const uint8_t scalar[PAWLINK_CPACE_SCALAR_LEN],
				  const uint8_t point[PAWLINK_CPACE_POINT_LEN])
{
	/*
	 * libsodium decodes @point and refuses a non-canonical or invalid
	 * encoding, and returns -1 when the product is the identity: the two
	 * cases in which the draft's scalar_mult_vfy returns G.I.
	 */
	if (crypto_scalarmult_ristretto255(k, scalar, point) != 0) {
		sodium_memzero(k, PAWLINK_CPACE_POINT_LEN);
		return -EINVAL;
	}
	return 0;
}

int pawlink_cpace_start_with_scalar(struct pawlink_cpace *c,
				    const uint8_t scalar[PAWLINK_CPACE_SCALAR_LEN],
				    const uint8_t *prs, size_t prs_len,
				    const uint8_t *ci, size_t ci_len,
				    const uint8_t *sid, size_t sid_len)
{
	uint8_t g[PAWLINK_CPACE_POINT_LEN];
	int ret;

	memset(c, 0, sizeof(*c));
	ret = pawlink_cpace_generator(g, prs, prs_len, ci, ci_len, sid,
				      sid_len);
	if (ret)
		goto out_wipe_g;
	memcpy(c->scalar, scalar, PAWLINK_CPACE_SCALAR_LEN);
	/* scalar_mult on the generator; identity only for a zero scalar. */
	ret = pawlink_cpace_scalar_mult_vfy(c->share, c->scalar, g);
	if (ret)
		pawlink_cpace_wipe(c);
out_wipe_g:
	/* g depends only on the code and public inputs, so it is secret. */
	sodium_memzero(g, sizeof(g));
	return ret;
}

int pawlink_cpace_start(struct pawlink_cpace *c, const uint8_t *prs,
			size_t prs_len, const uint8_t *ci, size_t ci_len,
			const uint8_t *sid, size_t sid_len)
{
	uint8_t scalar[PAWLINK_CPACE_SCALAR_LEN];
	int ret;

	if (sodium_init() < 0)
		return -EIO;
	do {
		/* Section 8.3: sample_random_bytes, clear bits >= 252. */
		randombytes_buf(scalar, sizeof(scalar));
		scalar[31] &= 0x0f;
		ret = pawlink_cpace_start_with_scalar(c, scalar, prs, prs_len,
						      ci, ci_len, sid, sid_len);
		/* Only a zero scalar (p = 2^-252) fails here for valid input. */
	} while (ret && sodium_is_zero(scalar, sizeof(scalar)));
	sodium_memzero(scalar, sizeof(scalar));
	return ret;
}

/* lv_cat(Y, AD) into @out (LV_PAIR_MAX bytes); returns its length. */
static size_t lv_pair(uint8_t *out, const uint8_t *y, const uint8_t *ad,
		      size_t ad_len)
{
	size_t pos = 0;

	lv_append(out, LV_PAIR_MAX, &pos, y, PAWLINK_CPACE_POINT_LEN);
	lv_append(out, LV_PAIR_MAX, &pos, ad, ad_len);
	return pos;
}

/* lexiographically_larger() of the draft's appendix A.3.1. */
static bool lex_larger(const uint8_t *a, size_t a_len, const uint8_t *b,
		       size_t b_len)
{
	size_t min = a_len < b_len ? a_len : b_len;
	int cmp = min ? memcmp(a, b, min) : 0;

	if (cmp)
		return cmp > 0;
	return a_len > b_len;
}

int pawlink_cpace_isk(uint8_t isk[PAWLINK_CPACE_ISK_LEN],
		      enum pawlink_cpace_transcript mode,
		      const uint8_t *sid, size_t sid_len,
		      const uint8_t k[PAWLINK_CPACE_POINT_LEN],
		      const uint8_t ya[PAWLINK_CPACE_POINT_LEN],
		      const uint8_t *ada, size_t ada_len,
		      const uint8_t yb[PAWLINK_CPACE_POINT_LEN],
		      const uint8_t *adb, size_t adb_len)
{
	const size_t dsi_len = sizeof(PAWLINK_CPACE_DSI_ISK) - 1;
	uint8_t a[LV_PAIR_MAX], b[LV_PAIR_MAX];
	crypto_hash_sha512_state st;
	size_t a_len, b_len;

	if (!inputs_ok(sid_len, ada_len, adb_len) ||
	    (mode != PAWLINK_CPACE_IR && mode != PAWLINK_CPACE_OC))
		return -EINVAL;
	a_len = lv_pair(a, ya, ada, ada_len);
	b_len = lv_pair(b, yb, adb, adb_len);

	crypto_hash_sha512_init(&st);
	lv_hash(&st, (const uint8_t *)PAWLINK_CPACE_DSI_ISK, dsi_len);
	lv_hash(&st, sid, sid_len);
	lv_hash(&st, k, PAWLINK_CPACE_POINT_LEN);
	if (mode == PAWLINK_CPACE_OC) {
		crypto_hash_sha512_update(&st, (const uint8_t *)"oc", 2);
		if (!lex_larger(a, a_len, b, b_len)) {
			crypto_hash_sha512_update(&st, b, b_len);
			crypto_hash_sha512_update(&st, a, a_len);
			goto final;
		}
	}
	crypto_hash_sha512_update(&st, a, a_len);
	crypto_hash_sha512_update(&st, b, b_len);
final:
	crypto_hash_sha512_final(&st, isk);
	sodium_memzero(&st, sizeof(st));
	return 0;
}

int pawlink_cpace_finish(struct pawlink_cpace *c,
			 uint8_t isk[PAWLINK_CPACE_ISK_LEN], int initiator,
			 enum pawlink_cpace_transcript mode,
			 const uint8_t *sid, size_t sid_len,
			 const uint8_t peer_share[PAWLINK_CPACE_POINT_LEN],
			 const uint8_t *ada, size_t ada_len,
			 const uint8_t *adb, size_t adb_len)
{
	uint8_t k[PAWLINK_CPACE_POINT_LEN];
	int ret;

	sodium_memzero(isk, PAWLINK_CPACE_ISK_LEN);
	/* A state whose scalar was already used (or never set) is refused. */
	if (sodium_is_zero(c->scalar, sizeof(c->scalar)))
		return -EINVAL;
	ret = pawlink_cpace_scalar_mult_vfy(k, c->scalar, peer_share);
	sodium_memzero(c->scalar, sizeof(c->scalar));
	if (ret)
		return ret;
	if (initiator)
		ret = pawlink_cpace_isk(isk, mode, sid, sid_len, k, c->share,
					ada, ada_len, peer_share, adb, adb_len);
	else
		ret = pawlink_cpace_isk(isk, mode, sid, sid_len, k, peer_share,
					ada, ada_len, c->share, adb, adb_len);
	sodium_memzero(k, sizeof(k));
	return ret;
}

void pawlink_cpace_wipe(struct pawlink_cpace *c)
{
	sodium_memzero(c, sizeof(*c));
}
