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
#include <ftw.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <sndfile.h>
#include <sodium.h>

#include "air_helpers.h"
#include "libpawlink.h"
#include "msg_object.h"
#include "toy_cmd.h"
#include "transport.h"

static char out_buf[8192];
/* The running test's processes, for the teardown after a failure. */
static struct child *live_air, *live_toy;
static struct test_dir *live_dir;

static int rm_one(const char *path, const struct stat *sb, int type,
		  struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	return remove(path);
}

/* Removes a state directory and everything in it. */
static void rm_tree(const char *dir)
{
	assert_int_equal(nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS), 0);
}

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

static void read_label(const char *path, char *code, size_t cap)
{
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	assert_non_null(fgets(code, (int)cap, f));
	fclose(f);
	code[strcspn(code, "\n")] = '\0';
	assert_int_equal(strlen(code), 9);
	assert_int_equal(code[4], '-');
}

/* `pawsim toy --dir DIR press`: its exit status; its answer in out_buf. */
static int press(const char *dir)
{
	const char *argv[] = { "toy", "--dir", dir, "press", NULL };
	struct child c;

	assert_int_equal(child_start(&c, argv), 0);
	return child_finish(&c, out_buf, sizeof(out_buf));
}

/* Scans until a beacon with @flags comes from one toy; fills @id. */
static void scan_for(struct pawlink *p, uint8_t flags,
		     uint8_t id[PAWLINK_ID_LEN])
{
	struct pawlink_beacon b[4];
	size_t n;
	int tries;

	for (tries = 0; tries < 10; tries++) {
		assert_int_equal(pawlink_scan(p, 500, b, 4, &n), 0);
		if (n == 1 && b[0].flags == flags) {
			memcpy(id, b[0].toy_id, PAWLINK_ID_LEN);
			return;
		}
	}
	fail_msg("no beacon with flags %u", flags);
}

static void test_processes(void **state)
{
	struct pawlink_toy_event ev[64];
	struct pawlink_toy_status_info st;
	struct pawlink_msg_info info, *list;
	struct pawlink_transport *t;
	struct pawlink *p;
	struct test_dir d;
	struct child air, toy;
	char toy_dir[160], host_dir[160], wav[160], label[160], code[32];
	char speaker[160], err[512], mic[170];
	const char *air_argv[] = { "air", "--socket", NULL, "--ready-fd", "3",
				   NULL };
	const char *toy_argv[] = { "toy", "--air", NULL, "--dir", NULL,
				   "--mic", NULL, "--speaker", NULL,
				   "--json", "--ready-fd", "3", NULL };
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
	air_argv[2] = d.sock;
	toy_argv[2] = d.sock;
	toy_argv[4] = toy_dir;
	toy_argv[6] = mic;
	toy_argv[8] = speaker;
	/* The toy hears this file; the host also sends it as a message. */
	make_wav(wav);
	snprintf(mic, sizeof(mic), "wav:%s", wav);
	live_dir = &d;
	air.pid = toy.pid = 0;
	live_air = &air;
	live_toy = &toy;
	assert_int_equal(child_start(&air, air_argv), 0);
	assert_int_equal(child_wait_ready(&air), 0);
	assert_int_equal(child_start(&toy, toy_argv), 0);
	assert_int_equal(child_wait_ready(&toy), 0);

	/* The toy's flash: private, and the label printed at first boot. */
	assert_int_equal(stat(toy_dir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	assert_int_equal(stat(label, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	read_label(label, code, sizeof(code));

	assert_int_equal(pawlink_transport_air_join(&t, d.sock), 0);
	assert_int_equal(pawlink_open_transport(&p, t, host_dir, err, sizeof(err)), 0);
	scan_for(p, 0, toy_id);
	/* Without the button, the code alone does not pair. */
	assert_int_equal(pawlink_pair(p, toy_id, code, "bear"), -EACCES);
	assert_int_equal(press(toy_dir), 0);
	assert_non_null(strstr(out_buf, "ok: pairing window open"));
	scan_for(p, PAWLINK_BEACON_PAIRING, toy_id);
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

	live_toy = NULL;
	assert_int_equal(child_stop(&toy, out_buf, sizeof(out_buf)), 0);
	assert_int_equal(json_number(out_buf, "sessions"), 1);
	assert_int_equal(json_number(out_buf, "mic_starts"), 1);
	assert_int_equal(json_number(out_buf, "msg_count"), 0);
	assert_int_equal(json_number(out_buf, "paired_hosts"), 1);
	assert_int_equal(json_number(out_buf, "rx_dropped_auth"), 0);
	assert_true(json_number(out_buf, "speaker_samples") > 0);
	live_air = NULL;
	assert_int_equal(child_stop(&air, out_buf, sizeof(out_buf)), 0);
	/* The speaker's recording is a WAV file. */
	{
		SF_INFO si = { 0 };
		SNDFILE *f = sf_open(speaker, SFM_READ, &si);

		assert_non_null(f);
		assert_int_equal(si.samplerate, 16000);
		sf_close(f);
	}
	{
		const char *files[] = { "hello.wav", "speaker.wav", NULL };

		rm_tree(toy_dir);
		rm_tree(host_dir);
		test_dir_done(&d, files);
		live_dir = NULL;
	}
}

/* After a failed assertion: no process outlives its test. */
static int kill_children(void **state)
{
	struct child *c[] = { live_toy, live_air };
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++)
		if (c[i] && c[i]->pid > 0) {
			kill(c[i]->pid, SIGKILL);
			waitpid(c[i]->pid, NULL, 0);
		}
	if (live_dir)
		nftw(live_dir->dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	live_toy = live_air = NULL;
	live_dir = NULL;
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
	};
	struct child c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(child_start(&c, bad[i]), 0);
		assert_int_equal(child_finish(&c, out_buf, sizeof(out_buf)), 1);
	}
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
