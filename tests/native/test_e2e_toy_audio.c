// SPDX-License-Identifier: GPL-2.0
/*
 * Audio streaming across processes: `pawsim air`, `pawsim toy --mic
 * loopback --speaker FILE --clock-ppm 1000` (its clock 0.1 % fast), and a
 * host (libpawlink's façade over the air transport) that starts the
 * microphone as `pawctl record` does and plays to the speaker through the
 * air path's send_audio, which follows the toy's credits as the kernel's
 * card does.  Duplex at once:
 *
 *  - the speaker's WAV file is what the host sent, sample for sample;
 *  - the microphone (loopback) brings it back, sample for sample once the
 *    silence around it (the loopback empty) is set aside;
 *  - no period lost, none late or dropped, at most the final underrun.
 *
 * And the sound card sinks and sources, on alsa-lib's "null" device: the
 * microphone streams (silence) and the speaker plays, neither blocking.
 *
 * Real time: every wait is bounded, and no time is asserted.
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

#include "json_read.h"
#include "libpawlink.h"
#include "pawsim_procs.h"
#include "tmpdir.h"
#include "transport.h"

#define FRAMES		PAWLINK_AUDIO_PERIOD_FRAMES
#define PERIODS		300			/* 3 s */
#define HEARD_MAX	(2 * PERIODS * FRAMES)

static char out_buf[8192];
static struct test_dir d;
static struct child air, toy;

/* Never zero, so the loopback's silence is told apart. */
static int16_t source(size_t i)
{
	return (int16_t)((i * 37 % 20000) + 100);
}

static int16_t *heard, *played;
static size_t heard_n;

/* Takes what the microphone sent so far, without waiting. */
static void listen_now(struct pawlink_transport *t)
{
	int16_t pcm[FRAMES];

	while (t->ops->recv_audio(t, pcm, 0) == 0) {
		assert_true(heard_n + FRAMES <= HEARD_MAX);
		memcpy(heard + heard_n, pcm, sizeof(pcm));
		heard_n += FRAMES;
	}
}

/* Pairs a host with the running toy and opens a session, at volume 100. */
static void connect_host(const char *toy_dir, const char *host_dir,
			 struct pawlink_transport **t, struct pawlink **p)
{
	uint8_t toy_id[PAWLINK_ID_LEN];
	char code[32], err[512];

	assert_int_equal(pawsim_toy_label(toy_dir, code, sizeof(code)), 0);
	assert_int_equal(pawlink_transport_air_join(t, d.sock), 0);
	assert_int_equal(pawlink_open_transport(p, *t, host_dir, err,
						sizeof(err)), 0);
	assert_int_equal(host_scan_toy(*p, 0, toy_id), 0);
	assert_int_equal(pawsim_toy_command(toy_dir, "press", out_buf,
					    sizeof(out_buf)), 0);
	assert_int_equal(host_scan_toy(*p, PAWLINK_BEACON_PAIRING, toy_id), 0);
	if (pawlink_pair(*p, toy_id, code, "bear"))
		fail_msg("pairing: %s", pawlink_error(*p));
	assert_int_equal(pawlink_connect(*p, toy_id, NULL), 0);
	assert_int_equal(pawlink_volume(*p, 100), 0);
}

static void test_duplex_through_loopback(void **state)
{
	char toy_dir[160], host_dir[160], speaker[160];
	const char *const toy_args[] = { "--mic", "loopback", "--speaker",
					 speaker, "--clock-ppm", "1000",
					 "--json", NULL };
	int16_t pcm[FRAMES];
	struct pawlink_transport *t;
	struct pawlink *p;
	size_t i, k, n = 0;
	SF_INFO si = { 0 };
	SNDFILE *f;
	int rounds;

	(void)state;
	heard = calloc(HEARD_MAX, sizeof(*heard));
	assert_non_null(heard);
	heard_n = 0;
	assert_int_equal(test_dir_init(&d), 0);
	test_dir_file(&d, "toy", toy_dir, sizeof(toy_dir));
	test_dir_file(&d, "host", host_dir, sizeof(host_dir));
	test_dir_file(&d, "speaker.wav", speaker, sizeof(speaker));
	assert_int_equal(pawsim_air_start(&air, d.sock, NULL), 0);
	assert_int_equal(pawsim_toy_start(&toy, d.sock, toy_dir, toy_args), 0);
	/* Full volume: the speaker plays the samples as sent. */
	connect_host(toy_dir, host_dir, &t, &p);

	assert_int_equal(pawlink_mic_start(p), 0);
	for (k = 0; k < PERIODS; k++) {
		for (i = 0; i < FRAMES; i++)
			pcm[i] = source(k * FRAMES + i);
		/* Blocks until the toy has credit for it. */
		assert_int_equal(t->ops->send_audio(t, pcm), 0);
		listen_now(t);
	}
	/* The tail plays out and comes back. */
	for (rounds = 0; rounds < 50; rounds++) {
		if (t->ops->recv_audio(t, pcm, 100) == 0) {
			assert_true(heard_n + FRAMES <= HEARD_MAX);
			memcpy(heard + heard_n, pcm, sizeof(pcm));
			heard_n += FRAMES;
		}
		listen_now(t);
	}
	assert_int_equal(pawlink_mic_stop(p), 0);
	assert_int_equal(pawlink_disconnect(p), 0);
	pawlink_close(p);
	pawlink_transport_close(t);

	assert_int_equal(child_stop(&toy, out_buf, sizeof(out_buf)), 0);
	assert_int_equal(json_number(out_buf, "speaker_samples"),
			 PERIODS * FRAMES);
	assert_int_equal(json_number(out_buf, "speaker_lost"), 0);
	assert_int_equal(json_number(out_buf, "speaker_late"), 0);
	assert_int_equal(json_number(out_buf, "speaker_dropped"), 0);
	assert_int_equal(json_number(out_buf, "audio_malformed"), 0);
	assert_int_equal(child_stop(&air, out_buf, sizeof(out_buf)), 0);

	/* The speaker played exactly the source. */
	f = sf_open(speaker, SFM_READ, &si);
	assert_non_null(f);
	assert_int_equal(si.samplerate, PAWLINK_AUDIO_RATE);
	assert_int_equal(si.frames, PERIODS * FRAMES);
	played = calloc(PERIODS * FRAMES, sizeof(*played));
	assert_non_null(played);
	assert_int_equal(sf_readf_short(f, played, PERIODS * FRAMES),
			 PERIODS * FRAMES);
	sf_close(f);
	for (i = 0; i < PERIODS * FRAMES; i++)
		if (played[i] != source(i))
			fail_msg("speaker sample %zu: %d, sent %d", i,
				 played[i], source(i));
	free(played);
	played = NULL;

	/* The microphone heard it back, in order, nothing missing. */
	for (i = 0; i < heard_n; i++) {
		if (!heard[i])
			continue;
		if (n >= PERIODS * FRAMES || heard[i] != source(n))
			fail_msg("heard sample %zu: %d, want %d (%zu)", i,
				 heard[i], n < PERIODS * FRAMES ? source(n) : 0,
				 n);
		n++;
	}
	assert_int_equal(n, PERIODS * FRAMES);
	free(heard);
	heard = NULL;
	assert_int_equal(test_dir_remove(&d), 0);
}

static void test_sound_card_null_device(void **state)
{
	const char *const toy_args[] = { "--mic", "alsa:null", "--speaker",
					 "alsa:null", "--json", NULL };
	char toy_dir[160], host_dir[160];
	int16_t pcm[FRAMES] = { 0 };
	struct pawlink_transport *t;
	struct pawlink *p;
	int k;

	(void)state;
	assert_int_equal(test_dir_init(&d), 0);
	test_dir_file(&d, "toy", toy_dir, sizeof(toy_dir));
	test_dir_file(&d, "host", host_dir, sizeof(host_dir));
	assert_int_equal(pawsim_air_start(&air, d.sock, NULL), 0);
	assert_int_equal(pawsim_toy_start(&toy, d.sock, toy_dir, toy_args), 0);
	connect_host(toy_dir, host_dir, &t, &p);
	assert_int_equal(pawlink_mic_start(p), 0);
	for (k = 0; k < 50; k++)
		assert_int_equal(t->ops->send_audio(t, pcm), 0);
	/* What came while playing, then 300 ms more: the tail plays out. */
	while (t->ops->recv_audio(t, pcm, 0) == 0)
		;
	for (k = 0; k < 30; k++)
		assert_int_equal(t->ops->recv_audio(t, pcm, 2000), 0);
	assert_int_equal(pawlink_mic_stop(p), 0);
	assert_int_equal(pawlink_disconnect(p), 0);
	pawlink_close(p);
	pawlink_transport_close(t);
	assert_int_equal(child_stop(&toy, out_buf, sizeof(out_buf)), 0);
	assert_int_equal(json_number(out_buf, "speaker_samples"), 50 * FRAMES);
	assert_true(json_number(out_buf, "audio_frames_sent") >= 20);
	assert_int_equal(child_stop(&air, out_buf, sizeof(out_buf)), 0);
	assert_int_equal(test_dir_remove(&d), 0);
}

static int kill_children(void **state)
{
	(void)state;
	child_kill(&toy);
	child_kill(&air);
	test_dir_remove(&d);
	free(heard);
	free(played);
	heard = played = NULL;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_duplex_through_loopback,
					  kill_children),
		cmocka_unit_test_teardown(test_sound_card_null_device,
					  kill_children),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
