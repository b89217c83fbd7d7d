// SPDX-License-Identifier: GPL-2.0
/*
 * The whole flow with no kernel, in one process: the toy firmware core
 * boots on the in-process air (virtual clock), a host made of libpawlink's
 * façade pairs with the code on the toy's label after its button is
 * pressed, opens a session, uploads a voice message converted from a WAV
 * file, lists it, downloads it (same SHA-256, same audio length), plays
 * it on the toy's speaker, deletes it; at 0 % and at 5 % loss.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sndfile.h>
#include <sodium.h>

#include "audio_convert.h"
#include "tmpdir.h"
#include "toy_sim.h"

#define WAV_SECONDS	6
/* Pairing over a lossy air: a lost DONE means pressing the button again. */
#define PAIR_TRIES	6

/* A 16-bit WAV of @seconds of a 440 Hz-ish triangle, 44.1 kHz stereo. */
static void make_wav(const char *path, int seconds)
{
	SF_INFO info = {
		.samplerate = 44100, .channels = 2,
		.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16,
	};
	int16_t frame[2];
	SNDFILE *f;
	int i, v;

	f = sf_open(path, SFM_WRITE, &info);
	assert_non_null(f);
	for (i = 0; i < seconds * 44100; i++) {
		v = i % 100;
		frame[0] = frame[1] = (int16_t)((v < 50 ? v : 100 - v) * 400 -
						10000);
		assert_int_equal(sf_writef_short(f, frame, 1), 1);
	}
	assert_int_equal(sf_close(f), 0);
}

/* The in-process air, a host on it, and the toy booted on it. */
static void flow_open(struct air_local **air, struct test_host *host,
		      struct toy_sim *toy, uint8_t toy_id[PAWLINK_ID_LEN],
		      uint32_t loss_ppm, uint64_t seed)
{
	struct air_config cfg;

	air_config_init(&cfg);
	cfg.loss_ppm = loss_ppm;
	cfg.seed = seed;
	assert_int_equal(air_local_new(&cfg, air), 0);
	assert_int_equal(test_host_open(host, *air), 0);
	assert_int_equal(toy_sim_init(toy, *air), 0);
	assert_int_equal(toy_sim_start(toy), 0);
	toy_sim_id(toy, toy_id);
}

/* Ends the host's session, then stops and frees all flow_open() made. */
static void flow_close(struct air_local *air, struct test_host *host,
		       struct toy_sim *toy)
{
	assert_int_equal(pawlink_disconnect(host->p), 0);
	toy_sim_stop(toy, host->t, false);
	test_host_close(host);
	toy_sim_done(toy);
	assert_int_equal(air_local_free(air), 0);
}

static void run_flow(uint32_t loss_ppm, uint64_t seed)
{
	struct pawlink_toy_status_info st;
	struct pawlink_msg_info info, got_info, *list;
	struct air_local *air;
	struct test_host host;
	struct toy_sim toy;
	uint8_t toy_id[PAWLINK_ID_LEN], sha[PAWLINK_MSG_SHA256_LEN];
	char dir[64], wav[128];
	uint8_t *obj;
	int16_t *pcm;
	size_t len, n, frames;
	int i, rc, pair_tries;

	flow_open(&air, &host, &toy, toy_id, loss_ppm, seed);

	/* The toy beacons its id; with the button pressed, the window flag. */
	assert_int_equal(toy_sim_press(&toy), 0);
	{
		struct pawlink_beacon b[4];

		assert_int_equal(pawlink_scan(host.p, 1000, b, 4, &n), 0);
		assert_int_equal(n, 1);
		assert_memory_equal(b[0].toy_id, toy_id, PAWLINK_ID_LEN);
		assert_int_equal(b[0].flags, PAWLINK_BEACON_PAIRING);
	}

	rc = -1;
	for (i = 0; i < PAIR_TRIES && rc; i++)
		rc = test_host_pair(&host, &toy);
	pair_tries = i;
	if (rc)
		fail_msg("pairing: %s", pawlink_error(host.p));
	assert_int_equal(pawlink_connect(host.p, toy_id, &st), 0);
	assert_int_equal(st.paired_hosts, 1);
	assert_int_equal(st.msg_count, 0);
	assert_false(st.mic);

	/* Any audio file in, a message out: WAV, converted on the host. */
	assert_int_equal(test_tmpdir(dir, sizeof(dir), "e2e", TEST_TMP_DISK),
			 0);
	snprintf(wav, sizeof(wav), "%s/hello.wav", dir);
	make_wav(wav, WAV_SECONDS);
	rc = pawlink_upload_audio_file(host.p, wav, &info);
	if (rc)
		fail_msg("put: %s", pawlink_error(host.p));
	assert_int_equal(info.duration_ms, WAV_SECONDS * 1000);

	assert_int_equal(pawlink_list(host.p, &list, &n), 0);
	assert_int_equal(n, 1);
	assert_true(pawlink_msg_info_equal(&list[0], &info));
	free(list);

	rc = pawlink_download(host.p, info.id, &obj, &len, &got_info);
	if (rc)
		fail_msg("get: %s", pawlink_error(host.p));
	assert_true(pawlink_msg_info_equal(&got_info, &info));
	assert_int_equal(len, info.size);
	crypto_hash_sha256(sha, obj, len);
	assert_memory_equal(sha, info.sha256, sizeof(sha));
	/* And it is still the audio that went in. */
	assert_int_equal(pawlink_audio_decode(obj, len, &pcm, &frames, NULL, 0),
			 0);
	/* Resampling 44.1 to 16 kHz may round the length by a sample. */
	assert_true(frames + 2 >= WAV_SECONDS * PAWLINK_AUDIO_RATE &&
		    frames <= WAV_SECONDS * PAWLINK_AUDIO_RATE);
	free(pcm);
	free(obj);

	/* Played at the toy's pace: all of it, some time later. */
	assert_int_equal(pawlink_play(host.p, info.id), 0);
	assert_int_equal(pawlink_play(host.p, info.id), -EBUSY);
	test_host_idle(&host, WAV_SECONDS * 1000 + 500);
	assert_int_equal(pawlink_status(host.p, &st), 0);
	assert_false(st.playing);
	assert_int_equal(st.speaker_samples, frames);
	assert_int_equal(st.msg_count, 1);

	assert_int_equal(pawlink_delete(host.p, info.id), 0);
	assert_int_equal(pawlink_list(host.p, &list, &n), 0);
	assert_int_equal(n, 0);
	free(list);
	assert_int_equal(pawlink_download(host.p, info.id, &obj, &len, NULL),
			 -ENOENT);
	rc = pawlink_delete(host.p, info.id);
	if (rc != -ENOENT)
		fail_msg("second delete: %d %s", rc, pawlink_error(host.p));

	/* Loss costs retransmissions, never a forged or replayed record. */
	assert_int_equal(pawlink_status(host.p, &st), 0);
	assert_int_equal(st.rx_dropped_auth, 0);
	assert_int_equal(st.rx_dropped_plaintext, 0);
	{
		struct pawlink_stats ls;
		/* A caller built against a newer, longer struct. */
		_Alignas(struct pawlink_stats) uint8_t newer[sizeof(ls) + 16];
		uint64_t records;
		size_t b;

		assert_int_equal(pawlink_link_stats(host.p, &ls, sizeof(ls)), 0);
		assert_int_equal(ls.rx_dropped_auth, 0);
		assert_int_equal(ls.rx_dropped_plaintext, 0);
		assert_true(ls.rx_records > 0);
		records = ls.rx_records;

		/* The first header's size: only its bytes are written. */
		memset(&ls, 0xa5, sizeof(ls));
		assert_int_equal(pawlink_link_stats(host.p, &ls,
						    PAWLINK_STATS_SIZE_V1), 0);
		assert_int_equal(ls.rx_records, records);
		for (b = PAWLINK_STATS_SIZE_V1; b < sizeof(ls); b++)
			assert_int_equal(((uint8_t *)&ls)[b], 0xa5);
		/* Longer than the library knows: the rest reads 0. */
		memset(newer, 0xa5, sizeof(newer));
		assert_int_equal(pawlink_link_stats(host.p,
						    (struct pawlink_stats *)newer,
						    sizeof(newer)), 0);
		for (b = sizeof(ls); b < sizeof(newer); b++)
			assert_int_equal(newer[b], 0);
		assert_int_equal(pawlink_link_stats(host.p, &ls,
						    PAWLINK_STATS_SIZE_V1 - 8),
				 -EINVAL);
	}

	{
		struct air_stats as;

		air_local_stats(air, &as);
		printf("# loss %u ppm, seed %llu: %llu frames, %llu copies lost, "
		       "paired on try %d, %.1f s of air time\n",
		       (unsigned int)loss_ppm, (unsigned long long)seed,
		       (unsigned long long)as.frames,
		       (unsigned long long)as.lost, pair_tries,
		       (double)as.now_ns / 1e9);
	}
	flow_close(air, &host, &toy);
	test_rm_tree(dir);
}

static void test_flow_no_loss(void **state)
{
	(void)state;
	run_flow(0, 1);
}

static void test_flow_five_percent_loss(void **state)
{
	uint64_t seed;

	(void)state;
	for (seed = 1; seed <= 5; seed++)
		run_flow(50000, seed);
}

/*
 * Virtual air seconds of one upload and one download of a 60 s message
 * (240 000 bytes) through the whole stack; asserts the bytes only.
 */
static void sixty_seconds(uint32_t loss_ppm, uint64_t seed, double *put_s,
			  double *get_s)
{
	struct air_local *air;
	struct test_host host;
	struct toy_sim toy;
	struct pawlink_msg_info info;
	uint8_t toy_id[PAWLINK_ID_LEN], *obj, *back;
	uint64_t t0, t1, t2;
	size_t len;
	int i;

	flow_open(&air, &host, &toy, toy_id, loss_ppm, seed);
	for (i = 0; i < PAIR_TRIES && test_host_pair(&host, &toy); i++)
		;
	assert_int_equal(pawlink_connect(host.p, toy_id, NULL), 0);
	obj = malloc(240000);
	assert_non_null(obj);
	randombytes_buf(obj, 240000);
	t0 = air_local_now(air);
	assert_int_equal(pawlink_upload(host.p, obj, 240000, 60000, &info), 0);
	t1 = air_local_now(air);
	assert_int_equal(pawlink_download(host.p, info.id, &back, &len, NULL), 0);
	t2 = air_local_now(air);
	assert_int_equal(len, 240000);
	assert_memory_equal(back, obj, len);
	/* And the message can go at once: the toy does not hold it busy. */
	assert_int_equal(pawlink_delete(host.p, info.id), 0);
	*put_s = (double)(t1 - t0) / 1e9;
	*get_s = (double)(t2 - t1) / 1e9;
	free(obj);
	free(back);
	flow_close(air, &host, &toy);
}

/* What pawlink_set_progress()'s callback was told. */
struct progress_seen {
	unsigned int calls;
	uint64_t first, last, total;
	bool backwards;			/* @done ever went down */
	bool total_changed;
	bool between;			/* a call with 0 < @done < @total */
};

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct progress_seen *s = ctx;

	if (s->calls == 0) {
		s->first = done;
		s->total = total;
	} else {
		s->backwards |= done < s->last;
		s->total_changed |= total != s->total;
	}
	s->between |= done > 0 && done < total;
	s->last = done;
	s->calls++;
}

static void assert_progress_seen(const struct progress_seen *s,
				 uint64_t size)
{
	/* A call as it starts, some as it goes (per ack), one at the end. */
	assert_true(s->calls >= 3);
	assert_true(s->between);
	assert_true(s->first < size / 2);
	assert_int_equal(s->last, size);
	assert_int_equal(s->total, size);
	assert_false(s->backwards);
	assert_false(s->total_changed);
}

/* The progress callback sees an upload and a download grow to the end. */
static void test_progress_callback(void **state)
{
	struct progress_seen up = { 0 }, down = { 0 }, none = { 0 };
	struct pawlink_msg_info info, *list;
	uint8_t toy_id[PAWLINK_ID_LEN], *obj, *back;
	struct air_local *air;
	struct test_host host;
	struct toy_sim toy;
	size_t len, n;
	int i;

	(void)state;
	flow_open(&air, &host, &toy, toy_id, 0, 1);
	for (i = 0; i < PAIR_TRIES && test_host_pair(&host, &toy); i++)
		;
	assert_int_equal(pawlink_connect(host.p, toy_id, NULL), 0);
	obj = malloc(100000);
	assert_non_null(obj);
	randombytes_buf(obj, 100000);
	pawlink_set_progress(host.p, on_progress, &up);
	assert_int_equal(pawlink_upload(host.p, obj, 100000, 25000, &info), 0);
	assert_progress_seen(&up, 100000);
	pawlink_set_progress(host.p, on_progress, &down);
	assert_int_equal(pawlink_download(host.p, info.id, &back, &len, NULL), 0);
	assert_progress_seen(&down, 100000);
	/* No transfer, no call; NULL stops them. */
	pawlink_set_progress(host.p, on_progress, &none);
	assert_int_equal(pawlink_list(host.p, &list, &n), 0);
	assert_int_equal(n, 1);
	free(list);
	pawlink_set_progress(host.p, NULL, NULL);
	assert_int_equal(pawlink_delete(host.p, info.id), 0);
	assert_int_equal(none.calls, 0);
	free(obj);
	free(back);
	flow_close(air, &host, &toy);
}

static void test_goodput_figures(void **state)
{
	const double airtime = 240000.0 * 8 / 2e6;
	double put, get, put5 = 0, get5 = 0;
	uint64_t seed;

	(void)state;
	sixty_seconds(0, 1, &put, &get);
	for (seed = 1; seed <= 3; seed++) {
		double p5, g5;

		sixty_seconds(50000, seed, &p5, &g5);
		put5 += p5 / 3;
		get5 += g5 / 3;
	}
	printf("# 60 s message, virtual air: upload %.3f, download %.3f of "
	       "2 Mbit/s at 0%% loss (%.3f and %.3f x airtime); %.3f, %.3f at "
	       "5%% loss (mean of 3)\n", airtime / put, airtime / get,
	       put / airtime, get / airtime, airtime / put5, airtime / get5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flow_no_loss),
		cmocka_unit_test(test_flow_five_percent_loss),
		cmocka_unit_test(test_progress_callback),
		cmocka_unit_test(test_goodput_figures),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
