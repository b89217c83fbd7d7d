// SPDX-License-Identifier: GPL-2.0
/*
 * The flow across processes, as a user runs it: `pawsim air`, `pawsim
 * toy` on it, and a host (libpawlink's façade over the air transport)
 * that scans for the toy, has its button pressed through `pawsim toy
 * press`, pairs with the code from the toy's label, opens a session,
 * uploads, lists, downloads, deletes, listens to the microphone and reads
 * the toy's log.  Real time here: every wait is for an event, bounded.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <sndfile.h>
#include <sodium.h>

#include "json_read.h"
#include "libpawlink.h"
#include "msg_object.h"
#include "pawsim_procs.h"
#include "tmpdir.h"
#include "toy_cmd.h"
#include "transport.h"

static char out_buf[8192];
/* The running test's processes and files, also for its teardown. */
static struct test_dir d;
static struct child air, toy;

/* One second of a square-ish wave, 16 kHz mono WAV. */
static void make_wav(const char *path)
{
	SF_INFO info = {
		.samplerate = 16000, .channels = 1,
		.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16,
	};
	int16_t s;
	SNDFILE *f;
	int i;

	f = sf_open(path, SFM_WRITE, &info);
	assert_non_null(f);
	for (i = 0; i < 16000; i++) {
		s = (int16_t)(i / 20 % 2 ? 6000 : -6000);
		assert_int_equal(sf_writef_short(f, &s, 1), 1);
	}
	assert_int_equal(sf_close(f), 0);
}

/* `pawsim toy --dir DIR press`: its exit status; its answer in out_buf. */
static int press(const char *dir)
{
	return pawsim_toy_command(dir, "press", out_buf, sizeof(out_buf));
}

static void test_processes(void **state)
{
	struct pawlink_toy_event ev[64];
	struct pawlink_toy_status_info st;
	struct pawlink_msg_info info, *list;
	struct pawlink_transport *t;
	struct pawlink *p;
	char toy_dir[160], host_dir[160], wav[160], label[160], code[32];
	char speaker[160], err[512], mic[170];
	const char *const toy_args[] = { "--mic", mic, "--speaker", speaker,
					 "--json", NULL };
	uint8_t toy_id[PAWLINK_ID_LEN], *obj, sha[PAWLINK_MSG_SHA256_LEN];
	int16_t pcm[PAWLINK_AUDIO_PERIOD_FRAMES];
	uint32_t next;
	struct stat sb;
	size_t n, len, i, mic_starts = 0;
	int peak = 0, k;

	(void)state;
	assert_int_equal(test_dir_init(&d), 0);
	test_dir_file(&d, "toy", toy_dir, sizeof(toy_dir));
	test_dir_file(&d, "host", host_dir, sizeof(host_dir));
	test_dir_file(&d, "hello.wav", wav, sizeof(wav));
	test_dir_file(&d, "toy/label", label, sizeof(label));
	test_dir_file(&d, "speaker.wav", speaker, sizeof(speaker));
	/* The toy hears this file; the host also sends it as a message. */
	make_wav(wav);
	snprintf(mic, sizeof(mic), "wav:%s", wav);
	assert_int_equal(pawsim_air_start(&air, d.sock, NULL), 0);
	assert_int_equal(pawsim_toy_start(&toy, d.sock, toy_dir, toy_args), 0);

	/* The toy's flash: private, and the label printed at first boot. */
	assert_int_equal(stat(toy_dir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	assert_int_equal(stat(label, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(pawsim_toy_label(toy_dir, code, sizeof(code)), 0);
	assert_int_equal(strlen(code), 9);
	assert_int_equal(code[4], '-');

	assert_int_equal(pawlink_transport_air_join(&t, d.sock), 0);
	assert_int_equal(pawlink_open_transport(&p, t, host_dir, err, sizeof(err)), 0);
	assert_int_equal(host_scan_toy(p, 0, toy_id), 0);
	/* Without the button, the code alone does not pair. */
	assert_int_equal(pawlink_pair(p, toy_id, code, "bear"), -EACCES);
	assert_int_equal(press(toy_dir), 0);
	assert_non_null(strstr(out_buf, "ok: pairing window open"));
	assert_int_equal(host_scan_toy(p, PAWLINK_BEACON_PAIRING, toy_id), 0);
	if (pawlink_pair(p, toy_id, code, "bear"))
		fail_msg("pairing: %s", pawlink_error(p));
	assert_int_equal(pawlink_connect(p, toy_id, &st), 0);
	assert_int_equal(st.paired_hosts, 1);
	/* The try without the button was refused, not charged. */
	assert_int_equal(st.lifetime_failures, 0);

	if (pawlink_upload_audio_file(p, wav, &info))
		fail_msg("put: %s", pawlink_error(p));
	assert_int_equal(pawlink_list(p, &list, &n), 0);
	assert_int_equal(n, 1);
	assert_true(pawlink_msg_info_equal(&list[0], &info));
	free(list);
	assert_int_equal(pawlink_download(p, info.id, &obj, &len, NULL), 0);
	crypto_hash_sha256(sha, obj, len);
	assert_memory_equal(sha, info.sha256, sizeof(sha));
	free(obj);
	assert_int_equal(pawlink_play(p, info.id), 0);

	/* The microphone: the file it hears, while the LED is lit. */
	assert_int_equal(pawlink_mic_start(p), 0);
	assert_int_equal(pawlink_status(p, &st), 0);
	assert_true(st.mic && st.led);
	for (k = 0; k < 20; k++) {
		assert_int_equal(pawlink_mic_read(p, pcm, 2000), 0);
		for (i = 0; i < PAWLINK_AUDIO_PERIOD_FRAMES; i++)
			peak = abs(pcm[i]) > peak ? abs(pcm[i]) : peak;
	}
	assert_true(peak > 4000);
	assert_int_equal(pawlink_led(p, false), 0);
	assert_int_equal(pawlink_status(p, &st), 0);
	assert_false(st.mic);

	assert_int_equal(pawlink_delete(p, info.id), 0);
	assert_int_equal(pawlink_log(p, 0, ev, 64, &n, &next), 0);
	for (i = 0; i < n; i++)
		mic_starts += ev[i].event == PAWLINK_TOY_EV_MIC_START;
	assert_int_equal(mic_starts, 1);
	assert_int_equal(pawlink_disconnect(p), 0);
	pawlink_close(p);
	pawlink_transport_close(t);

	assert_int_equal(child_stop(&toy, out_buf, sizeof(out_buf)), 0);
	assert_int_equal(json_number(out_buf, "sessions"), 1);
	assert_int_equal(json_number(out_buf, "mic_starts"), 1);
	assert_int_equal(json_number(out_buf, "msg_count"), 0);
	assert_int_equal(json_number(out_buf, "paired_hosts"), 1);
	assert_int_equal(json_number(out_buf, "rx_dropped_auth"), 0);
	assert_true(json_number(out_buf, "speaker_samples") > 0);
	assert_int_equal(child_stop(&air, out_buf, sizeof(out_buf)), 0);
	/* The speaker's recording is a WAV file. */
	{
		SF_INFO si = { 0 };
		SNDFILE *f = sf_open(speaker, SFM_READ, &si);

		assert_non_null(f);
		assert_int_equal(si.samplerate, 16000);
		sf_close(f);
	}
	/* The toy's and the host's state directories, and the rest. */
	assert_int_equal(test_dir_remove(&d), 0);
}

/* After a failed assertion: no process and no file outlives its test. */
static int kill_children(void **state)
{
	(void)state;
	child_kill(&toy);
	child_kill(&air);
	test_dir_remove(&d);
	return 0;
}

static void test_command_line(void **state)
{
	const char *bad[][8] = {
		{ "toy", NULL },
		{ "toy", "--dir", "/nonexistent/x", NULL },
		{ "toy", "--dir", "d", "--mic", "tone:9000", "--air", "s", NULL },
		{ "toy", "--dir", "d", "press", "--json", NULL },
		{ "toy", "--dir", "d", "push", NULL },
		{ "toy", "--dir", "d", "--button", NULL },
		{ "toy", "--dir", "d", "--air", "s", "--clock-ppm", "2x", NULL },
		{ "toy", "--dir", "d", "--air", "s", "--clock-ppm", "100001",
		  NULL },
		{ "toy", "--dir", "d", "--clock-ppm", "5", NULL },
		{ "toy", "--dir", "d", "--air", "s", "--speaker", "alsa:", NULL },
		{ "toy", "--dir", "d", "--air", "s", "--mic", "alsa:", NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(pawsim_run(bad[i], out_buf, sizeof(out_buf)),
				 1);
	/* No toy on a directory: the button has nobody to press. */
	assert_int_equal(press("/tmp/pawlink-no-such-toy"), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_processes, kill_children),
		cmocka_unit_test(test_command_line),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
