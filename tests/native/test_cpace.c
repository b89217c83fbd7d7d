// SPDX-License-Identifier: GPL-2.0
/*
 * CPace (ristretto255, SHA-512) against the test vectors of
 * draft-irtf-cfrg-cpace-21, appendices A.1 and B.3, and the abort cases.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "cpace.h"
#include "bytes.h"

/* Decodes a vector; the test fails on a typo in the vector itself. */
static void unhex(uint8_t *out, size_t len, const char *hex)
{
	assert_int_equal(pawlink_hex_decode(out, len, hex, strlen(hex)), 0);
}

/* Appendix B.3 inputs. */
static const uint8_t prs[] = "Password";
#define PRS_LEN (sizeof(prs) - 1)
static const char ci_hex[] =
	"0b415f696e69746961746f720b425f726573706f6e646572";
static const char sid_hex[] = "7e4b4791d6a8ef019b936c79fb7f2c57";
static const char ya_hex[] =
	"da3d23700a9e5699258aef94dc060dfda5ebb61f02a5ea77fad53f4ff0976d08";
static const char yb_hex[] =
	"d2316b454718c35362d83d69df6320f38578ed5984651435e2949762d900b80d";
static const char g_hex[] =
	"222b6b195fe84b1652badb6f6a3ae3d24341e7306967f0b8115b40d5698c7e56";
static const char Ya_hex[] =
	"d6bac480f2c386c394efc7c47adb9925dcd2630b64f240c50f8d0eec482b9157";
static const char Yb_hex[] =
	"3ea7e0b19560d7c0b0f5734f63b955286dfa8232b5ebe63324e2d9e7433f7258";
static const char K_hex[] =
	"80b69a8a76457ab6a4d7f887a4bf6b55a2f80ac19c333f917a05fc9887c8b40f";
static const char isk_ir_hex[] =
	"b69effbf61b51d56401c0f65601abe428de8206feaaf0e32198896dcae7b35cd"
	"2b38950a39dfd5d4a79164614c2984f7daa460b588c1e80c3fa2068af7900447";
static const char isk_oc_hex[] =
	"544199d71f62f8d9a1fee55727e24fe4a45844593c2b6013c4fa3969d0e5debb"
	"2244675c0b43397cbb68d342b01fc0f98fc961469a25134de9f0f813c1a57476";
static const char gen_string_hex[] =
	"11435061636552697374726574746f3235350850617373776f726464"
	"00000000000000000000000000000000000000000000000000000000"
	"00000000000000000000000000000000000000000000000000000000"
	"00000000000000000000000000000000000000000000000000000000"
	"00000000000000000000000000000000180b415f696e69746961746f"
	"720b425f726573706f6e646572107e4b4791d6a8ef019b936c79fb7f"
	"2c57";

struct vec {
	uint8_t ci[24], sid[16], ya[32], yb[32];
};

static void load_vec(struct vec *v)
{
	unhex(v->ci, sizeof(v->ci), ci_hex);
	unhex(v->sid, sizeof(v->sid), sid_hex);
	unhex(v->ya, sizeof(v->ya), ya_hex);
	unhex(v->yb, sizeof(v->yb), yb_hex);
}

static void test_prepend_len_vectors(void **state)
{
	uint8_t data[128], out[140];
	uint8_t lv[12];
	size_t pos = 0;
	int i;

	(void)state;
	for (i = 0; i < 128; i++)
		data[i] = (uint8_t)i;
	assert_int_equal(pawlink_cpace_prepend_len(out, sizeof(out), NULL, 0),
			 1);
	assert_int_equal(out[0], 0x00);
	assert_int_equal(pawlink_cpace_prepend_len(out, sizeof(out),
						   (const uint8_t *)"1234", 4),
			 5);
	assert_memory_equal(out, "\x04" "1234", 5);
	assert_int_equal(pawlink_cpace_prepend_len(out, sizeof(out), data, 127),
			 128);
	assert_int_equal(out[0], 0x7f);
	assert_memory_equal(out + 1, data, 127);
	assert_int_equal(pawlink_cpace_prepend_len(out, sizeof(out), data, 128),
			 130);
	assert_int_equal(out[0], 0x80);
	assert_int_equal(out[1], 0x01);
	assert_memory_equal(out + 2, data, 128);
	/* Too small a buffer is refused, not overrun. */
	assert_int_equal(pawlink_cpace_prepend_len(out, 129, data, 128), 0);

	/* A.1.4: lv_cat(b"1234", b"5", b"", b"678"). */
	pos += pawlink_cpace_prepend_len(lv + pos, sizeof(lv) - pos,
					 (const uint8_t *)"1234", 4);
	pos += pawlink_cpace_prepend_len(lv + pos, sizeof(lv) - pos,
					 (const uint8_t *)"5", 1);
	pos += pawlink_cpace_prepend_len(lv + pos, sizeof(lv) - pos, NULL, 0);
	pos += pawlink_cpace_prepend_len(lv + pos, sizeof(lv) - pos,
					 (const uint8_t *)"678", 3);
	assert_int_equal(pos, 12);
	assert_memory_equal(lv, "\x04" "1234" "\x01" "5" "\x00" "\x03" "678",
			    12);
}

static void test_generator_vector(void **state)
{
	uint8_t want_str[170], str[1024], g[32], want_g[32];
	struct vec v;
	size_t len;

	(void)state;
	load_vec(&v);
	unhex(want_str, sizeof(want_str), gen_string_hex);
	unhex(want_g, sizeof(want_g), g_hex);
	len = pawlink_cpace_generator_string(str, sizeof(str), prs, PRS_LEN,
					     v.ci, sizeof(v.ci), v.sid,
					     sizeof(v.sid));
	assert_int_equal(len, sizeof(want_str));
	assert_memory_equal(str, want_str, len);
	assert_int_equal(pawlink_cpace_generator(g, prs, PRS_LEN, v.ci,
						 sizeof(v.ci), v.sid,
						 sizeof(v.sid)), 0);
	assert_memory_equal(g, want_g, 32);
}

static void test_shares_k_and_isk_vectors(void **state)
{
	uint8_t want[64], k_a[32], k_b[32], isk[64];
	struct pawlink_cpace a, b;
	struct vec v;

	(void)state;
	load_vec(&v);
	assert_int_equal(pawlink_cpace_start_with_scalar(&a, v.ya, prs, PRS_LEN,
							 v.ci, sizeof(v.ci),
							 v.sid, sizeof(v.sid)),
			 0);
	assert_int_equal(pawlink_cpace_start_with_scalar(&b, v.yb, prs, PRS_LEN,
							 v.ci, sizeof(v.ci),
							 v.sid, sizeof(v.sid)),
			 0);
	unhex(want, 32, Ya_hex);
	assert_memory_equal(a.share, want, 32);
	unhex(want, 32, Yb_hex);
	assert_memory_equal(b.share, want, 32);

	/* B.3.4: K from both sides. */
	unhex(want, 32, K_hex);
	assert_int_equal(pawlink_cpace_scalar_mult_vfy(k_a, v.ya, b.share), 0);
	assert_int_equal(pawlink_cpace_scalar_mult_vfy(k_b, v.yb, a.share), 0);
	assert_memory_equal(k_a, want, 32);
	assert_memory_equal(k_b, want, 32);

	/* B.3.5 and B.3.6: ISK in both transcript modes. */
	unhex(want, 64, isk_ir_hex);
	assert_int_equal(pawlink_cpace_isk(isk, PAWLINK_CPACE_IR, v.sid, 16,
					   k_a, a.share,
					   (const uint8_t *)"ADa", 3, b.share,
					   (const uint8_t *)"ADb", 3), 0);
	assert_memory_equal(isk, want, 64);
	unhex(want, 64, isk_oc_hex);
	assert_int_equal(pawlink_cpace_isk(isk, PAWLINK_CPACE_OC, v.sid, 16,
					   k_a, a.share,
					   (const uint8_t *)"ADa", 3, b.share,
					   (const uint8_t *)"ADb", 3), 0);
	assert_memory_equal(isk, want, 64);
	/* Ordered concatenation does not depend on who is "a". */
	assert_int_equal(pawlink_cpace_isk(isk, PAWLINK_CPACE_OC, v.sid, 16,
					   k_a, b.share,
					   (const uint8_t *)"ADb", 3, a.share,
					   (const uint8_t *)"ADa", 3), 0);
	assert_memory_equal(isk, want, 64);

	pawlink_cpace_wipe(&a);
	pawlink_cpace_wipe(&b);
}

static void test_finish_both_roles_vectors(void **state)
{
	uint8_t want[64], isk_a[64], isk_b[64], yb_share[32];
	struct pawlink_cpace a, b;
	struct vec v;

	(void)state;
	load_vec(&v);
	unhex(want, 64, isk_ir_hex);
	assert_int_equal(pawlink_cpace_start_with_scalar(&a, v.ya, prs, PRS_LEN,
							 v.ci, 24, v.sid, 16), 0);
	assert_int_equal(pawlink_cpace_start_with_scalar(&b, v.yb, prs, PRS_LEN,
							 v.ci, 24, v.sid, 16), 0);
	memcpy(yb_share, b.share, 32);
	assert_int_equal(pawlink_cpace_finish(&a, isk_a, 1, PAWLINK_CPACE_IR,
					      v.sid, 16, b.share,
					      (const uint8_t *)"ADa", 3,
					      (const uint8_t *)"ADb", 3), 0);
	assert_int_equal(pawlink_cpace_finish(&b, isk_b, 0, PAWLINK_CPACE_IR,
					      v.sid, 16, a.share,
					      (const uint8_t *)"ADa", 3,
					      (const uint8_t *)"ADb", 3), 0);
	assert_memory_equal(isk_a, want, 64);
	assert_memory_equal(isk_b, want, 64);
	/* The scalar is consumed: a second finish is refused. */
	assert_int_equal(pawlink_cpace_finish(&a, isk_a, 1, PAWLINK_CPACE_IR,
					      v.sid, 16, yb_share, NULL, 0,
					      NULL, 0), -EINVAL);
	assert_true(sodium_is_zero(isk_a, 64));
}

static void test_scalar_mult_valid_vector(void **state)
{
	uint8_t s[32], x[32], want[32], out[32];

	(void)state;
	/* B.3.10. */
	unhex(s, 32,
	      "7cd0e075fa7955ba52c02759a6c90dbbfc10e6d40aea8d283e407d88cf538a05");
	unhex(x, 32,
	      "2c3c6b8c4f3800e7aef6864025b4ed79bd599117e427c41bd47d93d654b4a51c");
	unhex(want, 32,
	      "7c13645fe790a468f62c39beb7388e541d8405d1ade69d1778c5fe3e7f6b600e");
	assert_int_equal(pawlink_cpace_scalar_mult_vfy(out, s, x), 0);
	assert_memory_equal(out, want, 32);
}

static void test_invalid_points_abort(void **state)
{
	static const char *const bad[] = {
		/* B.3.11 Y_i1: not a valid encoding. */
		"2b3c6b8c4f3800e7aef6864025b4ed79bd599117e427c41bd47d93d654b4a51c",
		/* B.3.11 Y_i2: the identity. */
		"0000000000000000000000000000000000000000000000000000000000000000",
		/* Non-canonical: the field prime p itself (encodes 0 again). */
		"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
		/* Non-canonical: top bit set. */
		"0000000000000000000000000000000000000000000000000000000000000080",
		/* Negative field element (odd), which ristretto255 forbids. */
		"0100000000000000000000000000000000000000000000000000000000000000",
		"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	};
	uint8_t s[32], p[32], k[32], isk[64];
	struct pawlink_cpace a;
	struct vec v;
	size_t i;

	(void)state;
	load_vec(&v);
	unhex(s, 32,
	      "7cd0e075fa7955ba52c02759a6c90dbbfc10e6d40aea8d283e407d88cf538a05");
	for (i = 0; i < PAWLINK_ARRAY_SIZE(bad); i++) {
		unhex(p, 32, bad[i]);
		memset(k, 0xaa, sizeof(k));
		assert_int_equal(pawlink_cpace_scalar_mult_vfy(k, s, p),
				 -EINVAL);
		/* G.I comes back, never a half-computed value. */
		assert_true(sodium_is_zero(k, 32));

		assert_int_equal(pawlink_cpace_start_with_scalar(&a, v.ya, prs,
								 PRS_LEN, v.ci,
								 24, v.sid, 16),
				 0);
		memset(isk, 0xaa, sizeof(isk));
		assert_int_equal(pawlink_cpace_finish(&a, isk, 1,
						      PAWLINK_CPACE_IR, v.sid,
						      16, p, NULL, 0, NULL, 0),
				 -EINVAL);
		assert_true(sodium_is_zero(isk, 64));
		pawlink_cpace_wipe(&a);
	}
}

static void test_zero_scalar_refused(void **state)
{
	uint8_t zero[32] = { 0 };
	struct pawlink_cpace a;
	struct vec v;

	(void)state;
	load_vec(&v);
	assert_int_equal(pawlink_cpace_start_with_scalar(&a, zero, prs, PRS_LEN,
							 v.ci, 24, v.sid, 16),
			 -EINVAL);
}

static void test_random_runs_agree_and_wrong_password_disagrees(void **state)
{
	uint8_t isk_a[64], isk_b[64];
	struct pawlink_cpace a, b;
	struct vec v;
	int i;

	(void)state;
	load_vec(&v);
	for (i = 0; i < 8; i++) {
		const uint8_t *prs_b = i % 2 ? (const uint8_t *)"Passwore" : prs;

		assert_int_equal(pawlink_cpace_start(&a, prs, PRS_LEN, v.ci, 24,
						     v.sid, 16), 0);
		assert_int_equal(pawlink_cpace_start(&b, prs_b, PRS_LEN, v.ci,
						     24, v.sid, 16), 0);
		/* Scalars follow section 8.3: bits above 252 are clear. */
		assert_int_equal(a.scalar[31] & 0xf0, 0);
		assert_memory_not_equal(a.share, b.share, 32);
		assert_int_equal(pawlink_cpace_finish(&a, isk_a, 1,
						      PAWLINK_CPACE_IR, v.sid,
						      16, b.share, NULL, 0,
						      NULL, 0), 0);
		assert_int_equal(pawlink_cpace_finish(&b, isk_b, 0,
						      PAWLINK_CPACE_IR, v.sid,
						      16, a.share, NULL, 0,
						      NULL, 0), 0);
		if (i % 2)
			assert_memory_not_equal(isk_a, isk_b, 64);
		else
			assert_memory_equal(isk_a, isk_b, 64);
	}
}

static void test_ci_and_sid_bind_the_key(void **state)
{
	uint8_t g1[32], g2[32];
	struct vec v;

	(void)state;
	load_vec(&v);
	assert_int_equal(pawlink_cpace_generator(g1, prs, PRS_LEN, v.ci, 24,
						 v.sid, 16), 0);
	v.ci[5] ^= 1;
	assert_int_equal(pawlink_cpace_generator(g2, prs, PRS_LEN, v.ci, 24,
						 v.sid, 16), 0);
	assert_memory_not_equal(g1, g2, 32);
	v.ci[5] ^= 1;
	v.sid[0] ^= 1;
	assert_int_equal(pawlink_cpace_generator(g2, prs, PRS_LEN, v.ci, 24,
						 v.sid, 16), 0);
	assert_memory_not_equal(g1, g2, 32);
}

static void test_oversized_inputs_refused(void **state)
{
	uint8_t big[PAWLINK_CPACE_INPUT_MAX + 1] = { 0 }, g[32];

	(void)state;
	assert_int_equal(pawlink_cpace_generator(g, big, sizeof(big), NULL, 0,
						 NULL, 0), -EINVAL);
	assert_int_equal(pawlink_cpace_generator(g, prs, PRS_LEN, big,
						 sizeof(big), NULL, 0),
			 -EINVAL);
	assert_int_equal(pawlink_cpace_generator(g, big, sizeof(big) - 1, big,
						 sizeof(big) - 1, big,
						 sizeof(big) - 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prepend_len_vectors),
		cmocka_unit_test(test_generator_vector),
		cmocka_unit_test(test_shares_k_and_isk_vectors),
		cmocka_unit_test(test_finish_both_roles_vectors),
		cmocka_unit_test(test_scalar_mult_valid_vector),
		cmocka_unit_test(test_invalid_points_abort),
		cmocka_unit_test(test_zero_scalar_refused),
		cmocka_unit_test(test_random_runs_agree_and_wrong_password_disagrees),
		cmocka_unit_test(test_ci_and_sid_bind_the_key),
		cmocka_unit_test(test_oversized_inputs_refused),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
