// SPDX-License-Identifier: GPL-2.0
/*
 * Noise_KK_25519_ChaChaPoly_SHA256 against the published vectors in
 * tests/vectors/noise-kk.txt (cacophony, snow), HKDF against RFC 5869, and
 * the ways a handshake must fail.
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
#include "testvec.h"

#define VEC_MAX_MSGS	16
#define VEC_MAX_BYTES	512

struct vec_msg {
	uint8_t payload[VEC_MAX_BYTES];
	size_t payload_len;
	uint8_t ct[VEC_MAX_BYTES];
	size_t ct_len;
};

struct noise_vec {
	char source[32];
	uint8_t init_prologue[VEC_MAX_BYTES], resp_prologue[VEC_MAX_BYTES];
	size_t init_prologue_len, resp_prologue_len;
	uint8_t init_static[32], init_ephemeral[32], init_remote_static[32];
	uint8_t resp_static[32], resp_ephemeral[32], resp_remote_static[32];
	uint8_t hash[32];
	bool has_hash;
	struct vec_msg msgs[VEC_MAX_MSGS];
	size_t n_msgs;
};

/* Reads the next "vector ... end" block; false at end of file. */
static bool read_vector(FILE *f, struct noise_vec *v)
{
	char *line = NULL, *fld[3];
	size_t cap = 0;
	bool open = false;
	size_t n;

	memset(v, 0, sizeof(*v));
	while (getline(&line, &cap, f) > 0) {
		n = testvec_fields(line, fld, 3);
		if (n == 0)
			continue;
		if (strcmp(fld[0], "vector") == 0) {
			assert_false(open);
			assert_int_equal(n, 2);
			snprintf(v->source, sizeof(v->source), "%s", fld[1]);
			open = true;
		} else if (strcmp(fld[0], "end") == 0) {
			assert_true(open);
			free(line);
			return true;
		} else if (strcmp(fld[0], "message") == 0) {
			struct vec_msg *m = &v->msgs[v->n_msgs++];

			assert_int_equal(n, 3);
			assert_true(v->n_msgs <= VEC_MAX_MSGS);
			m->payload_len = testvec_hex(fld[1], m->payload,
						     VEC_MAX_BYTES);
			m->ct_len = testvec_hex(fld[2], m->ct, VEC_MAX_BYTES);
		} else {
			assert_true(open);
			assert_int_equal(n, 2);
			if (!strcmp(fld[0], "protocol_name"))
				assert_string_equal(fld[1], NOISE_PROTOCOL_NAME);
			else if (!strcmp(fld[0], "init_prologue"))
				v->init_prologue_len = testvec_hex(fld[1],
					v->init_prologue, VEC_MAX_BYTES);
			else if (!strcmp(fld[0], "resp_prologue"))
				v->resp_prologue_len = testvec_hex(fld[1],
					v->resp_prologue, VEC_MAX_BYTES);
			else if (!strcmp(fld[0], "init_static"))
				testvec_hex_exact(fld[1], v->init_static, 32);
			else if (!strcmp(fld[0], "init_ephemeral"))
				testvec_hex_exact(fld[1], v->init_ephemeral, 32);
			else if (!strcmp(fld[0], "init_remote_static"))
				testvec_hex_exact(fld[1], v->init_remote_static, 32);
			else if (!strcmp(fld[0], "resp_static"))
				testvec_hex_exact(fld[1], v->resp_static, 32);
			else if (!strcmp(fld[0], "resp_ephemeral"))
				testvec_hex_exact(fld[1], v->resp_ephemeral, 32);
			else if (!strcmp(fld[0], "resp_remote_static"))
				testvec_hex_exact(fld[1], v->resp_remote_static, 32);
			else if (!strcmp(fld[0], "handshake_hash")) {
				testvec_hex_exact(fld[1], v->hash, 32);
				v->has_hash = true;
			} else {
				fail_msg("unknown field %s", fld[0]);
			}
		}
	}
	free(line);
	assert_false(open);
	return false;
}

/*
 * One vector end to end: both handshake messages with the fixed
 * ephemerals, then every transport message, comparing each ciphertext
 * byte for byte and the handshake hash.
 */
static void run_vector(const struct noise_vec *v)
{
	struct noise_handshake ini, res;
	struct noise_cipher ini_tx, ini_rx, res_tx, res_rx;
	uint8_t ini_hash[32], res_hash[32];
	uint8_t buf[VEC_MAX_BYTES], out[VEC_MAX_BYTES];
	size_t len, out_len, i;

	assert_true(v->n_msgs >= 2);
	assert_int_equal(noise_kk_init(&ini, true, v->init_prologue,
				       v->init_prologue_len, v->init_static,
				       v->init_remote_static), 0);
	assert_int_equal(noise_kk_init(&res, false, v->resp_prologue,
				       v->resp_prologue_len, v->resp_static,
				       v->resp_remote_static), 0);
	assert_int_equal(noise_kk_set_ephemeral(&ini, v->init_ephemeral), 0);
	assert_int_equal(noise_kk_set_ephemeral(&res, v->resp_ephemeral), 0);

	/* -> e, es, ss */
	assert_int_equal(noise_kk_write_message(&ini, v->msgs[0].payload,
						v->msgs[0].payload_len, buf,
						sizeof(buf), &len), 0);
	assert_int_equal(len, v->msgs[0].ct_len);
	assert_memory_equal(buf, v->msgs[0].ct, len);
	assert_int_equal(noise_kk_read_message(&res, buf, len, out, sizeof(out),
					       &out_len), 0);
	assert_int_equal(out_len, v->msgs[0].payload_len);
	assert_memory_equal(out, v->msgs[0].payload, out_len);

	/* <- e, ee, se */
	assert_int_equal(noise_kk_write_message(&res, v->msgs[1].payload,
						v->msgs[1].payload_len, buf,
						sizeof(buf), &len), 0);
	assert_int_equal(len, v->msgs[1].ct_len);
	assert_memory_equal(buf, v->msgs[1].ct, len);
	assert_int_equal(noise_kk_read_message(&ini, buf, len, out, sizeof(out),
					       &out_len), 0);
	assert_int_equal(out_len, v->msgs[1].payload_len);
	assert_memory_equal(out, v->msgs[1].payload, out_len);

	assert_int_equal(noise_kk_split(&ini, &ini_tx, &ini_rx, ini_hash), 0);
	assert_int_equal(noise_kk_split(&res, &res_tx, &res_rx, res_hash), 0);
	assert_memory_equal(ini_hash, res_hash, 32);
	if (v->has_hash)
		assert_memory_equal(ini_hash, v->hash, 32);
	/* Split wipes the handshake. */
	assert_true(sodium_is_zero((const unsigned char *)&ini, sizeof(ini)));

	for (i = 2; i < v->n_msgs; i++) {
		const struct vec_msg *m = &v->msgs[i];
		bool from_ini = i % 2 == 0;

		assert_int_equal(noise_cipher_encrypt(from_ini ? &ini_tx : &res_tx,
						      NULL, 0, m->payload,
						      m->payload_len, buf,
						      sizeof(buf), &len), 0);
		assert_int_equal(len, m->ct_len);
		assert_memory_equal(buf, m->ct, len);
		assert_int_equal(noise_cipher_decrypt(from_ini ? &res_rx : &ini_rx,
						      NULL, 0, buf, len, out,
						      sizeof(out), &out_len), 0);
		assert_int_equal(out_len, m->payload_len);
		assert_memory_equal(out, m->payload, out_len);
	}
	noise_cipher_wipe(&ini_tx);
	noise_cipher_wipe(&ini_rx);
	noise_cipher_wipe(&res_tx);
	noise_cipher_wipe(&res_rx);
}

static void test_published_vectors(void **state)
{
	static struct noise_vec v;
	size_t n = 0, with_hash = 0, msgs = 0;
	FILE *f = testvec_open("noise-kk.txt");

	(void)state;
	while (read_vector(f, &v)) {
		run_vector(&v);
		n++;
		with_hash += v.has_hash;
		msgs += v.n_msgs;
	}
	fclose(f);
	/* The file holds the cacophony and the snow vector. */
	assert_int_equal(n, 2);
	assert_int_equal(with_hash, 1);
	assert_int_equal(msgs, 10);
}

/* ---- HKDF: RFC 5869, appendix A, test cases 1 to 3 ---------------------- */

static void check_hkdf(const uint8_t *ikm, size_t ikm_len,
		       const uint8_t *salt, size_t salt_len,
		       const uint8_t *info, size_t info_len,
		       const char *prk_hex, const char *okm_hex)
{
	uint8_t prk[32], want_prk[32], okm[82], want_okm[82];
	size_t okm_len = strlen(okm_hex) / 2;

	testvec_hex_exact(prk_hex, want_prk, 32);
	testvec_hex_exact(okm_hex, want_okm, okm_len);
	noise_hkdf_extract(prk, salt, salt_len, ikm, ikm_len);
	assert_memory_equal(prk, want_prk, 32);
	assert_int_equal(noise_hkdf_expand(okm, okm_len, prk, info, info_len), 0);
	assert_memory_equal(okm, want_okm, okm_len);
}

static void test_hkdf_rfc5869(void **state)
{
	uint8_t ikm[80], salt[80], info[80];
	uint8_t big[255 * 32 + 1];
	size_t i;

	(void)state;
	memset(ikm, 0x0b, 22);
	for (i = 0; i < 13; i++)
		salt[i] = (uint8_t)i;
	for (i = 0; i < 10; i++)
		info[i] = (uint8_t)(0xf0 + i);
	check_hkdf(ikm, 22, salt, 13, info, 10,
		   "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
		   "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
		   "34007208d5b887185865");

	for (i = 0; i < 80; i++) {
		ikm[i] = (uint8_t)i;
		salt[i] = (uint8_t)(0x60 + i);
		info[i] = (uint8_t)(0xb0 + i);
	}
	check_hkdf(ikm, 80, salt, 80, info, 80,
		   "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
		   "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
		   "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
		   "cc30c58179ec3e87c14c01d5c1f3434f1d87");

	memset(ikm, 0x0b, 22);
	check_hkdf(ikm, 22, NULL, 0, NULL, 0,
		   "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
		   "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
		   "9d201395faa4b61a96c8");

	/* RFC 5869 caps the output at 255 blocks. */
	assert_int_equal(noise_hkdf_expand(big, sizeof(big), salt, NULL, 0),
			 -EINVAL);
	assert_int_equal(noise_hkdf_expand(big, sizeof(big) - 1, salt, NULL, 0),
			 0);
}

/* ---- failures ----------------------------------------------------------- */

struct pair {
	uint8_t ini_priv[32], ini_pub[32];
	uint8_t res_priv[32], res_pub[32];
	struct noise_handshake ini, res;
};

static const uint8_t prologue[] = "test prologue";

static void pair_init(struct pair *p)
{
	crypto_box_keypair(p->ini_pub, p->ini_priv);
	crypto_box_keypair(p->res_pub, p->res_priv);
	assert_int_equal(noise_kk_init(&p->ini, true, prologue, sizeof(prologue),
				       p->ini_priv, p->res_pub), 0);
	assert_int_equal(noise_kk_init(&p->res, false, prologue,
				       sizeof(prologue), p->res_priv,
				       p->ini_pub), 0);
}

static bool hs_is_wiped(const struct noise_handshake *hs)
{
	return sodium_is_zero((const unsigned char *)hs, sizeof(*hs)) &&
	       hs->state == NOISE_KK_EMPTY;
}

static void test_random_ephemerals(void **state)
{
	struct pair p;
	struct noise_cipher a_tx, a_rx, b_tx, b_rx;
	uint8_t m1[64], m2[64], h1[32], h2[32], first_hash[32];
	size_t l1, l2, n;
	int run;

	(void)state;
	for (run = 0; run < 2; run++) {
		pair_init(&p);
		assert_int_equal(noise_kk_write_message(&p.ini, NULL, 0, m1,
							sizeof(m1), &l1), 0);
		assert_int_equal(l1, NOISE_KK_MSG_OVERHEAD);
		assert_int_equal(noise_kk_read_message(&p.res, m1, l1, NULL, 0,
						       &n), 0);
		assert_int_equal(n, 0);
		assert_int_equal(noise_kk_write_message(&p.res, NULL, 0, m2,
							sizeof(m2), &l2), 0);
		assert_int_equal(noise_kk_read_message(&p.ini, m2, l2, NULL, 0,
						       &n), 0);
		assert_int_equal(noise_kk_split(&p.ini, &a_tx, &a_rx, h1), 0);
		assert_int_equal(noise_kk_split(&p.res, &b_tx, &b_rx, h2), 0);
		assert_memory_equal(h1, h2, 32);
		assert_memory_equal(a_tx.k, b_rx.k, 32);
		assert_memory_equal(a_rx.k, b_tx.k, 32);
		assert_memory_not_equal(a_tx.k, a_rx.k, 32);
		/* Fresh ephemerals: no two handshakes share a transcript. */
		if (run == 0)
			memcpy(first_hash, h1, 32);
		else
			assert_memory_not_equal(first_hash, h1, 32);
		noise_cipher_wipe(&a_tx);
		noise_cipher_wipe(&a_rx);
		noise_cipher_wipe(&b_tx);
		noise_cipher_wipe(&b_rx);
	}
}

/* Any single bit flipped in either message fails, and wipes the reader. */
static void test_tampered_messages(void **state)
{
	struct pair p, copy;
	uint8_t m1[64], m2[64], bad[64];
	size_t l1, l2, n, bit;
	int ret;

	(void)state;
	pair_init(&p);
	assert_int_equal(noise_kk_write_message(&p.ini, NULL, 0, m1, sizeof(m1),
						&l1), 0);
	for (bit = 0; bit < l1 * 8; bit++) {
		copy = p;
		memcpy(bad, m1, l1);
		bad[bit / 8] ^= (uint8_t)(1 << (bit % 8));
		ret = noise_kk_read_message(&copy.res, bad, l1, NULL, 0, &n);
		/* A flip in e can land on a low-order point. */
		assert_true(ret == -EACCES || ret == -EKEYREJECTED);
		assert_true(hs_is_wiped(&copy.res));
	}
	assert_int_equal(noise_kk_read_message(&p.res, m1, l1, NULL, 0, &n), 0);
	assert_int_equal(noise_kk_write_message(&p.res, NULL, 0, m2, sizeof(m2),
						&l2), 0);
	for (bit = 0; bit < l2 * 8; bit++) {
		copy = p;
		memcpy(bad, m2, l2);
		bad[bit / 8] ^= (uint8_t)(1 << (bit % 8));
		ret = noise_kk_read_message(&copy.ini, bad, l2, NULL, 0, &n);
		assert_true(ret == -EACCES || ret == -EKEYREJECTED);
		assert_true(hs_is_wiped(&copy.ini));
	}
	noise_kk_wipe(&p.ini);
	noise_kk_wipe(&p.res);
	sodium_memzero(&copy, sizeof(copy));
}

static void test_prologue_mismatch(void **state)
{
	static const uint8_t other[] = "test prologuf";
	struct pair p;
	uint8_t m1[64];
	size_t l1, n;

	(void)state;
	pair_init(&p);
	assert_int_equal(noise_kk_init(&p.res, false, other, sizeof(other),
				       p.res_priv, p.ini_pub), 0);
	assert_int_equal(noise_kk_write_message(&p.ini, NULL, 0, m1, sizeof(m1),
						&l1), 0);
	assert_int_equal(noise_kk_read_message(&p.res, m1, l1, NULL, 0, &n),
			 -EACCES);
	noise_kk_wipe(&p.ini);
}

/* KK: a responder that expects another initiator key refuses message 1. */
static void test_unknown_static(void **state)
{
	uint8_t stranger_pub[32], stranger_priv[32];
	struct pair p;
	uint8_t m1[64];
	size_t l1, n;

	(void)state;
	pair_init(&p);
	crypto_box_keypair(stranger_pub, stranger_priv);
	assert_int_equal(noise_kk_init(&p.ini, true, prologue, sizeof(prologue),
				       stranger_priv, p.res_pub), 0);
	assert_int_equal(noise_kk_write_message(&p.ini, NULL, 0, m1, sizeof(m1),
						&l1), 0);
	assert_int_equal(noise_kk_read_message(&p.res, m1, l1, NULL, 0, &n),
			 -EACCES);
	noise_kk_wipe(&p.ini);
}

static void test_low_order_points(void **state)
{
	struct pair p, copy;
	uint8_t m1[64], m2[64];
	size_t l1, l2, n, i;

	(void)state;
	pair_init(&p);
	assert_int_equal(noise_kk_write_message(&p.ini, NULL, 0, m1, sizeof(m1),
						&l1), 0);
	for (i = 0; testvec_x25519_low_order(i); i++) {
		copy = p;
		testvec_hex_exact(testvec_x25519_low_order(i), m1, 32);
		assert_int_equal(noise_kk_read_message(&copy.res, m1, l1, NULL,
						       0, &n), -EKEYREJECTED);
		assert_true(hs_is_wiped(&copy.res));
	}
	assert_int_equal(i, 7);	/* all of them were tried */

	/* The same on the initiator's side, for the responder's e. */
	pair_init(&p);
	assert_int_equal(noise_kk_write_message(&p.ini, NULL, 0, m1, sizeof(m1),
						&l1), 0);
	assert_int_equal(noise_kk_read_message(&p.res, m1, l1, NULL, 0, &n), 0);
	assert_int_equal(noise_kk_write_message(&p.res, NULL, 0, m2, sizeof(m2),
						&l2), 0);
	for (i = 0; testvec_x25519_low_order(i); i++) {
		copy = p;
		testvec_hex_exact(testvec_x25519_low_order(i), m2, 32);
		assert_int_equal(noise_kk_read_message(&copy.ini, m2, l2, NULL,
						       0, &n), -EKEYREJECTED);
	}

	/* A peer static key of small order cannot even start a handshake's
	 * first DH. */
	testvec_hex_exact(testvec_x25519_low_order(2), p.res_pub, 32);
	assert_int_equal(noise_kk_init(&p.ini, true, prologue, sizeof(prologue),
				       p.ini_priv, p.res_pub), 0);
	assert_int_equal(noise_kk_write_message(&p.ini, NULL, 0, m1, sizeof(m1),
						&l1), -EKEYREJECTED);
	assert_true(hs_is_wiped(&p.ini));
	noise_kk_wipe(&p.res);
	sodium_memzero(&copy, sizeof(copy));
}

static void test_wrong_lengths_and_order(void **state)
{
	struct pair p, copy;
	uint8_t m1[128], out[64];
	size_t l1, n;

	(void)state;
	pair_init(&p);
	/* The responder may not speak first, nor the initiator read first. */
	copy = p;
	assert_int_equal(noise_kk_write_message(&copy.res, NULL, 0, m1,
						sizeof(m1), &l1), -EINVAL);
	assert_true(hs_is_wiped(&copy.res));
	assert_int_equal(noise_kk_read_message(&copy.ini, m1, 48, NULL, 0, &n),
			 -EINVAL);
	/* Split before the end. */
	copy = p;
	assert_int_equal(noise_kk_split(&copy.ini, (struct noise_cipher[1]){ 0 },
					(struct noise_cipher[1]){ 0 }, NULL),
			 -EINVAL);
	assert_true(hs_is_wiped(&copy.ini));

	/* Output buffer too small on the writing side. */
	copy = p;
	assert_int_equal(noise_kk_write_message(&copy.ini, NULL, 0, m1, 47, &l1),
			 -EMSGSIZE);
	assert_true(hs_is_wiped(&copy.ini));

	assert_int_equal(noise_kk_write_message(&p.ini, (const uint8_t *)"hi", 2,
						m1, sizeof(m1), &l1), 0);
	assert_int_equal(l1, NOISE_KK_MSG_OVERHEAD + 2);
	/* Too short to hold e and a tag, truncated, and no room for payload. */
	copy = p;
	assert_int_equal(noise_kk_read_message(&copy.res, m1, 47, out,
					       sizeof(out), &n), -EBADMSG);
	copy = p;
	assert_int_equal(noise_kk_read_message(&copy.res, m1, l1 - 1, out,
					       sizeof(out), &n), -EACCES);
	copy = p;
	assert_int_equal(noise_kk_read_message(&copy.res, m1, l1, out, 1, &n),
			 -EMSGSIZE);
	assert_true(hs_is_wiped(&copy.res));
	/* The real message still reads. */
	assert_int_equal(noise_kk_read_message(&p.res, m1, NOISE_KK_MSG_OVERHEAD
					       + 2, out, sizeof(out), &n), 0);
	assert_int_equal(n, 2);
	assert_memory_equal(out, "hi", 2);
	/* And a second message 1 is out of order. */
	assert_int_equal(noise_kk_read_message(&p.res, m1, NOISE_KK_MSG_OVERHEAD
					       + 2, out, sizeof(out), &n),
			 -EINVAL);
	noise_kk_wipe(&p.ini);
	sodium_memzero(&copy, sizeof(copy));
}

/* n = 2^64 - 1 is never used; the CipherState stops before it. */
static void test_nonce_exhaustion(void **state)
{
	struct noise_cipher tx, rx;
	uint8_t key[32], ct[32], pt[16];
	size_t len, n;

	(void)state;
	randombytes_buf(key, sizeof(key));
	noise_cipher_init(&tx, key);
	noise_cipher_init(&rx, key);
	tx.n = NOISE_NONCE_MAX - 1;
	rx.n = NOISE_NONCE_MAX - 1;
	assert_int_equal(noise_cipher_encrypt(&tx, NULL, 0, (const uint8_t *)"x",
					      1, ct, sizeof(ct), &len), 0);
	assert_int_equal(noise_cipher_decrypt(&rx, NULL, 0, ct, len, pt,
					      sizeof(pt), &n), 0);
	assert_int_equal(tx.n, NOISE_NONCE_MAX);
	assert_int_equal(noise_cipher_encrypt(&tx, NULL, 0, (const uint8_t *)"x",
					      1, ct, sizeof(ct), &len),
			 -EOVERFLOW);
	assert_int_equal(noise_cipher_decrypt(&rx, NULL, 0, ct, len, pt,
					      sizeof(pt), &n), -EOVERFLOW);
	/* A failed decrypt does not advance n (spec §5.1). */
	noise_cipher_init(&rx, key);
	ct[0] ^= 1;
	assert_int_equal(noise_cipher_decrypt(&rx, NULL, 0, ct, len, pt,
					      sizeof(pt), &n), -EACCES);
	assert_int_equal(rx.n, 0);
	noise_cipher_wipe(&tx);
	noise_cipher_wipe(&rx);
	assert_true(sodium_is_zero((const unsigned char *)&tx, sizeof(tx)));
	sodium_memzero(key, sizeof(key));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_published_vectors),
		cmocka_unit_test(test_hkdf_rfc5869),
		cmocka_unit_test(test_random_ephemerals),
		cmocka_unit_test(test_tampered_messages),
		cmocka_unit_test(test_prologue_mismatch),
		cmocka_unit_test(test_unknown_static),
		cmocka_unit_test(test_low_order_points),
		cmocka_unit_test(test_wrong_lengths_and_order),
		cmocka_unit_test(test_nonce_exhaustion),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
