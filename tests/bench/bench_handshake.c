// SPDX-License-Identifier: GPL-2.0
/*
 * Host CPU per pairing and per session setup, and the round trips each
 * needs (Documentation/pairing.rst, "Cost"); and per private beacon id a
 * host resolves (Documentation/air.rst, "Private beacon ids").  Both parties run in this
 * process; only the host's calls are timed, with the process CPU clock.
 * Every figure is also given as a ratio to one X25519 scalar
 * multiplication measured in the same run, so results compare across
 * machines.  Not a test: nothing here passes or fails on time.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "bench_stats.h"

#include "beacon_id.h"
#include "pairing.h"
#include "session.h"

#define BATCHES		5

static void die(const char *what)
{
	fprintf(stderr, "bench_handshake: %s failed\n", what);
	exit(1);
}

/* Median over BATCHES of the per-iteration cost. */
static double median(double v[BATCHES])
{
	return bench_median(v, BATCHES);
}

static double bench_x25519(int iters)
{
	uint8_t sk[32], pk[32], out[32];
	double v[BATCHES], t;
	int b, i;

	randombytes_buf(sk, sizeof(sk));
	crypto_scalarmult_base(pk, sk);
	for (b = 0; b < BATCHES; b++) {
		t = cpu_now_us();
		for (i = 0; i < iters; i++) {
			if (crypto_scalarmult(out, sk, pk) != 0)
				die("crypto_scalarmult");
			sk[0] ^= out[0];	/* keep the loop honest */
		}
		v[b] = (cpu_now_us() - t) / iters;
	}
	return median(v);
}

static int persist_nothing(const struct pawlink_pair_policy *p, void *ctx)
{
	(void)p;
	(void)ctx;
	return 0;
}

/* One pairing; returns host CPU (us) and counts the host's round trips. */
static double one_pairing(int *round_trips)
{
	struct pawlink_pair_host_params hp;
	struct pawlink_pair_toy_params tp;
	struct pawlink_pair_policy policy;
	struct pawlink_pair_host host;
	struct pawlink_pair_toy toy;
	uint8_t a[PAWLINK_PAIR_MSG_MAX], b[PAWLINK_PAIR_MSG_MAX];
	size_t a_len, b_len;
	enum pawlink_pair_result r;
	double host_us = 0, t;

	memset(&hp, 0, sizeof(hp));
	memset(&tp, 0, sizeof(tp));
	pawlink_policy_init(&policy);
	pawlink_policy_press_button(&policy, 1);
	randombytes_buf(tp.toy_id, sizeof(tp.toy_id));
	randombytes_buf(hp.host_id, sizeof(hp.host_id));
	hp.host_id[0] |= 1;
	memcpy(hp.toy_id, tp.toy_id, sizeof(hp.toy_id));
	crypto_scalarmult_base(tp.toy_static, (const uint8_t *)
			       "0123456789abcdef0123456789abcdef");
	crypto_scalarmult_base(hp.host_static, (const uint8_t *)
			       "fedcba9876543210fedcba9876543210");
	pawlink_setup_code_generate(&tp.code);
	hp.code = tp.code;
	tp.policy = &policy;
	tp.persist = persist_nothing;
	if (pawlink_pair_toy_init(&toy, &tp))
		die("pawlink_pair_toy_init");

	*round_trips = 0;
	t = cpu_now_us();
	r = pawlink_pair_host_start(&host, &hp, a, &a_len);
	host_us += cpu_now_us() - t;
	while (r == PAWLINK_PAIR_SEND) {
		(*round_trips)++;
		if (pawlink_pair_toy_receive(&toy, 1, a, a_len, b, &b_len,
					     NULL) >= PAWLINK_PAIR_FAILED)
			die("toy side of pairing");
		t = cpu_now_us();
		r = pawlink_pair_host_receive(&host, b, b_len, a, &a_len);
		host_us += cpu_now_us() - t;
	}
	if (r != PAWLINK_PAIR_COMPLETE)
		die("pairing");
	pawlink_pair_host_wipe(&host);
	pawlink_pair_toy_wipe(&toy);
	return host_us;
}

static double bench_pairing(int iters, int *round_trips)
{
	double v[BATCHES], sum;
	int b, i;

	for (b = 0; b < BATCHES; b++) {
		sum = 0;
		for (i = 0; i < iters; i++)
			sum += one_pairing(round_trips);
		v[b] = sum / iters;
	}
	return median(v);
}

/* One session setup; host CPU (us); the host's round trips counted. */
static double one_session(const uint8_t host_priv[32],
			  const uint8_t toy_priv[32],
			  const uint8_t pinned[1][32],
			  const uint8_t toy_pub[32], int *round_trips)
{
	struct pawlink_session_result hr, tr;
	struct pawlink_session_host host;
	uint8_t init[PAWLINK_SESS_INIT_LEN], resp[PAWLINK_SESS_MSG_LEN];
	size_t init_len, resp_len;
	double host_us, t;

	t = cpu_now_us();
	if (pawlink_session_host_start(&host, host_priv, toy_pub, 0, init,
				       sizeof(init), &init_len))
		die("pawlink_session_host_start");
	host_us = cpu_now_us() - t;
	*round_trips = 1;
	if (pawlink_session_toy_respond(toy_priv, pinned, 1, 0, init, init_len,
					resp, sizeof(resp), &resp_len, &tr))
		die("pawlink_session_toy_respond");
	t = cpu_now_us();
	if (pawlink_session_host_finish(&host, resp, resp_len, &hr))
		die("pawlink_session_host_finish");
	host_us += cpu_now_us() - t;
	if (sodium_memcmp(&hr.keys, &tr.keys, sizeof(hr.keys)) != 0)
		die("session keys agreement");
	pawlink_session_result_wipe(&hr);
	pawlink_session_result_wipe(&tr);
	return host_us;
}

static double bench_session(int iters, int *round_trips)
{
	uint8_t host_priv[32], toy_priv[32], pinned[1][32], toy_pub[32];
	double v[BATCHES], sum;
	int b, i;

	randombytes_buf(host_priv, sizeof(host_priv));
	randombytes_buf(toy_priv, sizeof(toy_priv));
	crypto_scalarmult_base(pinned[0], host_priv);
	crypto_scalarmult_base(toy_pub, toy_priv);
	for (b = 0; b < BATCHES; b++) {
		sum = 0;
		for (i = 0; i < iters; i++)
			sum += one_session(host_priv, toy_priv,
					   (const uint8_t (*)[32])pinned,
					   toy_pub, round_trips);
		v[b] = sum / iters;
	}
	sodium_memzero(host_priv, sizeof(host_priv));
	sodium_memzero(toy_priv, sizeof(toy_priv));
	return median(v);
}

/*
 * One private beacon id checked against one toy's resolving key: what a
 * host pays per beacon heard, per toy it has pinned (beacon_id.h).
 */
static double bench_beacon_resolve(int iters)
{
	uint8_t irk[PAWLINK_BEACON_IRK_LEN], pub[32], id[PAWLINK_ID_LEN];
	uint8_t prand[4];
	double v[BATCHES], t;
	int b, i, hits = 0;

	randombytes_buf(pub, sizeof(pub));
	pawlink_beacon_irk(irk, pub);
	do
		randombytes_buf(prand, sizeof(prand));
	while (pawlink_beacon_id_make(id, irk, prand, NULL));
	for (b = 0; b < BATCHES; b++) {
		t = cpu_now_us();
		for (i = 0; i < iters; i++) {
			hits += pawlink_beacon_id_resolves(id, irk);
			id[0] ^= (uint8_t)(i & 1);	/* a miss every other */
		}
		v[b] = (cpu_now_us() - t) / iters;
	}
	if (hits == 0)
		die("pawlink_beacon_id_resolves");
	return median(v);
}

/*
 * The toy's side (issue 11): answering a paired host's INIT, against
 * refusing a stranger's by mac1 (no X25519), both in toy CPU (us).
 */
static void bench_toy_side(int iters, double *paired_us, double *stranger_us)
{
	uint8_t host_priv[32], toy_priv[32], pinned[1][32], toy_pub[32];
	uint8_t mac1_key[PAWLINK_SESS_MAC1_KEY_LEN], bad_pub[32];
	uint8_t init[PAWLINK_SESS_INIT_LEN], bad[PAWLINK_SESS_INIT_LEN];
	uint8_t resp[PAWLINK_SESS_MSG_LEN];
	struct pawlink_session_toy_keys k = { 0 };
	struct pawlink_session_result tr;
	struct pawlink_session_host host;
	double v[BATCHES], w[BATCHES], t, sum, sum2;
	size_t len, out_len;
	int b, i;

	randombytes_buf(host_priv, sizeof(host_priv));
	randombytes_buf(toy_priv, sizeof(toy_priv));
	randombytes_buf(bad_pub, sizeof(bad_pub));
	crypto_scalarmult_base(pinned[0], host_priv);
	crypto_scalarmult_base(toy_pub, toy_priv);
	if (pawlink_session_host_start_at(&host, host_priv, toy_pub, 0, 1,
					  init, sizeof(init), &len) ||
	    pawlink_session_host_start_at(&host, host_priv, bad_pub, 0, 1,
					  bad, sizeof(bad), &len))
		die("pawlink_session_host_start_at");
	pawlink_session_host_abort(&host);
	k.toy_priv = toy_priv;
	k.mac1_key = mac1_key;
	k.host_pubs = (const uint8_t (*)[32])pinned;
	k.n_hosts = 1;
	for (b = 0; b < BATCHES; b++) {
		sum = sum2 = 0;
		for (i = 0; i < iters; i++) {
			/* The toy derives mac1's key per INIT, as it does. */
			t = cpu_now_us();
			pawlink_session_mac1_key(mac1_key, toy_pub);
			if (pawlink_session_toy_answer(&k, 0, init, len, resp,
						       sizeof(resp), &out_len,
						       &tr))
				die("pawlink_session_toy_answer");
			sum += cpu_now_us() - t;
			pawlink_session_result_wipe(&tr);
			t = cpu_now_us();
			pawlink_session_mac1_key(mac1_key, toy_pub);
			if (pawlink_session_toy_answer(&k, 0, bad, len, resp,
						       sizeof(resp), &out_len,
						       &tr) != -EPERM)
				die("a stranger's INIT was not refused");
			sum2 += cpu_now_us() - t;
		}
		v[b] = sum / iters;
		w[b] = sum2 / iters;
	}
	*paired_us = median(v);
	*stranger_us = median(w);
	sodium_memzero(host_priv, sizeof(host_priv));
	sodium_memzero(toy_priv, sizeof(toy_priv));
}

/*
 * The toy turning away a replayed INIT of a host it removed (its tombstone
 * among 4, with 1 host still paired): toy CPU (us), the worst case, since
 * every tombstone key is tried.
 */
static double bench_toy_removed(int iters)
{
	uint8_t host_priv[32], toy_priv[32], toy_pub[32], pinned[1][32];
	uint8_t gone[4][32], mac1_key[PAWLINK_SESS_MAC1_KEY_LEN];
	uint8_t init[PAWLINK_SESS_INIT_LEN], resp[PAWLINK_SESS_MSG_LEN];
	uint64_t gone_stamps[4] = { 0, 0, 0, 1 };
	struct pawlink_session_toy_keys k = { 0 };
	struct pawlink_session_result tr;
	struct pawlink_session_host host;
	double v[BATCHES], t, sum;
	size_t len, out_len;
	int b, i;

	randombytes_buf(host_priv, sizeof(host_priv));
	randombytes_buf(toy_priv, sizeof(toy_priv));
	randombytes_buf(pinned, sizeof(pinned));
	for (i = 0; i < 3; i++)
		randombytes_buf(gone[i], sizeof(gone[i]));
	crypto_scalarmult_base(gone[3], host_priv);
	crypto_scalarmult_base(toy_pub, toy_priv);
	if (pawlink_session_host_start_at(&host, host_priv, toy_pub, 0, 1,
					  init, sizeof(init), &len))
		die("pawlink_session_host_start_at");
	pawlink_session_host_abort(&host);
	k.toy_priv = toy_priv;
	k.mac1_key = mac1_key;
	k.host_pubs = (const uint8_t (*)[32])pinned;
	k.n_hosts = 1;
	k.gone_pubs = (const uint8_t (*)[32])gone;
	k.gone_stamps = gone_stamps;
	k.n_gone = 4;
	for (b = 0; b < BATCHES; b++) {
		sum = 0;
		for (i = 0; i < iters; i++) {
			t = cpu_now_us();
			pawlink_session_mac1_key(mac1_key, toy_pub);
			if (pawlink_session_toy_answer(&k, 0, init, len, resp,
						       sizeof(resp), &out_len,
						       &tr) != -EALREADY ||
			    out_len)
				die("a removed host's replay was answered");
			sum += cpu_now_us() - t;
		}
		v[b] = sum / iters;
	}
	sodium_memzero(host_priv, sizeof(host_priv));
	sodium_memzero(toy_priv, sizeof(toy_priv));
	return median(v);
}

int main(int argc, char **argv)
{
	int iters = argc > 1 ? atoi(argv[1]) : 200;
	double base, pair_us, sess_us, resolve_us, toy_us, stranger_us;
	double removed_us;
	int pair_rt = 0, sess_rt = 0;

	if (iters < 1 || sodium_init() < 0)
		return 2;
	/* Warm caches and the CPU clock before measuring. */
	bench_x25519(iters);
	base = bench_x25519(iters * 10);
	pair_us = bench_pairing(iters, &pair_rt);
	sess_us = bench_session(iters, &sess_rt);
	resolve_us = bench_beacon_resolve(iters * 100);
	bench_toy_side(iters, &toy_us, &stranger_us);
	removed_us = bench_toy_removed(iters);

	printf("handshake: baseline, one X25519 scalar multiplication: "
	       "%.1f us CPU\n", base);
	printf("handshake: pairing, host side: %.1f us CPU = %.2f x baseline, "
	       "%d round trips (targets: <= 2 round trips, < 5 ms)\n",
	       pair_us, pair_us / base, pair_rt);
	printf("handshake: session setup, host side: %.1f us CPU = %.2f x "
	       "baseline, %d round trip (targets: 1 round trip, < 5 ms)\n",
	       sess_us, sess_us / base, sess_rt);
	printf("handshake: private beacon id resolved, per beacon per toy "
	       "pinned: %.2f us CPU = %.4f x baseline\n", resolve_us,
	       resolve_us / base);
	printf("handshake: toy answers a paired host's INIT (%d bytes): "
	       "%.1f us CPU = %.2f x baseline; refuses a stranger's by mac1: "
	       "%.2f us CPU = %.3f x baseline (%.0f x cheaper)\n",
	       PAWLINK_SESS_INIT_LEN, toy_us, toy_us / base, stranger_us,
	       stranger_us / base, toy_us / stranger_us);
	printf("handshake: toy turns away a removed host's replayed INIT (1 "
	       "host paired, 4 tombstones): %.1f us CPU = %.2f x baseline, "
	       "no answer\n", removed_us, removed_us / base);
	printf("handshake: medians of %d batches of %d runs each\n", BATCHES,
	       iters);
	return 0;
}
