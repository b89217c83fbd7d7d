// SPDX-License-Identifier: GPL-2.0
/*
 * The sound card end to end: in the guest a `pawsim air`, a `pawsim toy`
 * whose microphone plays a known WAV and whose speaker writes a WAV, a
 * `pawsim dongle --air`, and the built pawctl pairing and leaving a
 * session in the driver (`pawctl connect`).  Then the stock tools:
 *
 * - arecord from hw: the captured samples equal the toy's source, sample
 *   for sample, after aligning the start (0 % loss on the air; a period
 *   lost on the way anyway must be silence in its place, and counted);
 *   the start shows in `pawctl log` as mic-start;
 * - aplay of a known WAV: the toy's speaker file (at volume 100) holds it,
 *   sample for sample, after aligning;
 * - `pawctl disconnect` while arecord runs: arecord exits with an error,
 *   no hang.
 *
 * A guest too slow for real time (the debug kernel under TCG) makes
 * arecord or aplay recover from an xrun, which they print; the sample
 * comparison is then skipped, saying so.
 */
#include <sndfile.h>

#include "kselftest_harness.h"
#include "common.h"
#include "procs.h"
#include "pawctl_run.h"

#define RATE		PAWLINK_AUDIO_RATE
#define SRC_FRAMES	(3 * RATE)	/* the toy's microphone, looped */
#define PLAY_FRAMES	RATE		/* what aplay plays */
#define AUDIO_TIMEOUT_S	240

FIXTURE(world) {
	char dir[64], sock[96], toy_dir[96], toy_log[96], store[96];
	char label[128], mic[128], speaker[128], cap[128], play[128];
	char dev[32];
	char toy_hex[2 * PAWLINK_ID_LEN + 1];
	struct proc air, toy;
	struct dongle d;
	struct run r;
};

/* A deterministic noise, so that any 160 samples of it are unique. */
static void noise(int16_t *buf, size_t n, uint32_t seed)
{
	size_t i;

	for (i = 0; i < n; i++) {
		seed = seed * 1664525u + 1013904223u;
		buf[i] = (int16_t)(seed >> 17) - 8192;
	}
}

static int wav_write(const char *path, const int16_t *buf, size_t n)
{
	SF_INFO info = {
		.samplerate = RATE, .channels = 1,
		.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16,
	};
	SNDFILE *f = sf_open(path, SFM_WRITE, &info);
	sf_count_t w;

	if (!f)
		return -EIO;
	w = sf_write_short(f, buf, n);
	sf_close(f);
	return w == (sf_count_t)n ? 0 : -EIO;
}

/* Reads up to @cap frames of a mono WAV; the count, or -1. */
static long wav_read(const char *path, int16_t *buf, size_t cap)
{
	SF_INFO info = { 0 };
	SNDFILE *f = sf_open(path, SFM_READ, &info);
	sf_count_t n;

	if (!f)
		return -1;
	n = info.channels == 1 ? sf_read_short(f, buf, cap) : -1;
	sf_close(f);
	return n;
}

/* Where @want[0..160) starts in @hay (looped over @hay_n when @loop). */
static long find(const int16_t *hay, size_t hay_n, const int16_t *want,
		 bool loop)
{
	size_t o, i;

	for (o = 0; o < hay_n; o++) {
		for (i = 0; i < PAWLINK_AUDIO_PERIOD_FRAMES; i++) {
			size_t at = o + i;

			if (at >= hay_n) {
				if (!loop)
					break;
				at -= hay_n;
			}
			if (hay[at] != want[i])
				break;
		}
		if (i == PAWLINK_AUDIO_PERIOD_FRAMES)
			return o;
	}
	return -1;
}

/*
 * Runs @argv to the end with its stderr in @err (NUL-terminated); the exit
 * status, or -1.
 */
static int run_err(const char *const argv[], char *err, size_t cap)
{
	int fds[2], status;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	err[0] = '\0';
	if (pipe2(fds, O_CLOEXEC))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(fds[1], STDERR_FILENO);
		execvp(argv[0], (char **)argv);
		_exit(127);
	}
	close(fds[1]);
	while (len + 1 < cap &&
	       (n = read(fds[0], err + len, cap - 1 - len)) > 0)
		len += n;
	err[len] = '\0';
	close(fds[0]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/*
 * aplay and arecord recover from an xrun by themselves and say so: then
 * the guest did not keep real time (the debug kernel under TCG), the
 * program dropped what its ring held, and no file can match.  Not the
 * driver's doing, which the other checks still hold.
 */
static bool kept_real_time(const char *err)
{
	return !strstr(err, "overrun") && !strstr(err, "underrun");
}

FIXTURE_SETUP(world)
{
	const char *pawsim = getenv("PAWSIM") ? getenv("PAWSIM") : "pawsim";
	static int16_t src[SRC_FRAMES];
	uint8_t id[PAWLINK_ID_LEN];
	char mic_arg[160];
	int i;

	strcpy(self->dir, "/tmp/dongle-audio.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_TRUE(str_fmt(self->sock, sizeof(self->sock), "%s/air.sock",
			    self->dir));
	ASSERT_TRUE(str_fmt(self->toy_dir, sizeof(self->toy_dir), "%s/toy",
			    self->dir));
	ASSERT_TRUE(str_fmt(self->toy_log, sizeof(self->toy_log),
			    "%s/toy.log", self->dir));
	ASSERT_TRUE(str_fmt(self->store, sizeof(self->store), "%s/host",
			    self->dir));
	ASSERT_TRUE(str_fmt(self->label, sizeof(self->label), "%s/label",
			    self->toy_dir));
	ASSERT_TRUE(str_fmt(self->mic, sizeof(self->mic), "%s/mic.wav",
			    self->dir));
	ASSERT_TRUE(str_fmt(self->speaker, sizeof(self->speaker),
			    "%s/speaker.wav", self->dir));
	ASSERT_TRUE(str_fmt(self->cap, sizeof(self->cap), "%s/cap.wav",
			    self->dir));
	ASSERT_TRUE(str_fmt(self->play, sizeof(self->play), "%s/play.wav",
			    self->dir));
	noise(src, SRC_FRAMES, 1);
	ASSERT_EQ(0, wav_write(self->mic, src, SRC_FRAMES));
	ASSERT_TRUE(str_fmt(mic_arg, sizeof(mic_arg), "wav:%s", self->mic));
	{
		const char *const air[] = {
			pawsim, "air", "--socket", self->sock, NULL
		};

		ASSERT_EQ(0, start_ready(&self->air, air, NULL));
	}
	{
		const char *const toy[] = {
			pawsim, "toy", "--air", self->sock, "--dir",
			self->toy_dir, "--mic", mic_arg, "--speaker",
			self->speaker, NULL
		};

		ASSERT_EQ(0, start_ready(&self->toy, toy, self->toy_log));
	}
	ASSERT_EQ(0, toy_id_from_log(self->toy_log, id));
	for (i = 0; i < PAWLINK_ID_LEN; i++)
		sprintf(self->toy_hex + 2 * i, "%02x", id[i]);

	ASSERT_EQ(0, setenv("PAWLINK_TEST_AIR", self->sock, 1));
	ASSERT_EQ(0, dongle_plug(&self->d, 0, NULL, 0));
	unsetenv("PAWLINK_TEST_AIR");
	snprintf(self->dev, sizeof(self->dev), "hw:%d,0", self->d.card);

	ASSERT_EQ(0, pawctl_pair_bear(self->store, &self->r, self->toy_hex,
				      self->toy_dir, self->label));
	PAWCTL(self, "--json", "disconnect");
	/* full volume: the speaker's file is then the samples played */
	ASSERT_EQ(0, PAWCTL(self, "volume", "bear", "100"));
	ASSERT_EQ(0, PAWCTL(self, "--json", "connect", "bear"));
	ASSERT_EQ(0, intf_attr_wait(&self->d, "keyed", "1"));
}

FIXTURE_TEARDOWN(world)
{
	const char *const rm[] = { "rm", "-rf", self->dir, NULL };

	EXPECT_EQ(0, dongle_stop(&self->d));
	stop_proc(&self->toy);
	EXPECT_EQ(0, stop_proc(&self->air));
	EXPECT_EQ(0, run_cmd(rm));
}

/*
 * arecord gets the toy's microphone sample for sample, and the start by
 * the kernel is in the toy's log as a microphone start by this host.
 */
TEST_F_TIMEOUT(world, arecord_sample_exact, AUDIO_TIMEOUT_S)
{
	const char *const rec[] = {
		"arecord", "-q", "-D", self->dev, "-f", "S16_LE", "-r", "16000",
		"-c", "1", "-d", "1", self->cap, NULL
	};
	static int16_t src[SRC_FRAMES], cap[2 * RATE];
	long n, at, i, p, wrong = 0, silent = 0;
	uint64_t lost;
	char err[4096];

	ASSERT_EQ(0, run_err(rec, err, sizeof(err))) TH_LOG("%s", err);
	noise(src, SRC_FRAMES, 1);
	n = wav_read(self->cap, cap, 2 * RATE);
	EXPECT_EQ(RATE, n);
	ASSERT_LT(PAWLINK_AUDIO_PERIOD_FRAMES, n);
	if (!kept_real_time(err))
		SKIP(return, "arecord had an overrun: %.200s", err);
	at = find(src, SRC_FRAMES, cap, true);
	ASSERT_LE(0, at) TH_LOG("the capture's start is not in the source");
	/*
	 * Period by period: the source at its place in time, or a lost
	 * period's silence.  At 0 % loss on the air nothing is lost, and
	 * the capture is the source sample for sample.
	 */
	for (p = 0; p + PAWLINK_AUDIO_PERIOD_FRAMES <= n;
	     p += PAWLINK_AUDIO_PERIOD_FRAMES) {
		bool same = true, zero = true;

		for (i = p; i < p + PAWLINK_AUDIO_PERIOD_FRAMES; i++) {
			same &= cap[i] == src[(at + i) % SRC_FRAMES];
			zero &= !cap[i];
		}
		wrong += !same && !zero;
		silent += !same && zero;
	}
	lost = stat_get(&self->d, "audio_lost_frames");
	EXPECT_EQ(0, wrong) TH_LOG("%ld periods neither the source nor silence",
				   wrong);
	EXPECT_LE((uint64_t)silent * PAWLINK_AUDIO_PERIOD_FRAMES, lost);
	TH_LOG("%ld periods lost on the way (silence in place)", silent);
	EXPECT_EQ(0, stat_get(&self->d, "audio_gaps_too_large"));
	EXPECT_EQ(0, stat_get(&self->d, "audio_dropped_malformed"));

	/* the kernel's start, in the log like pawctl record's */
	ASSERT_EQ(0, PAWCTL(self, "--json", "disconnect"));
	ASSERT_EQ(0, PAWCTL(self, "--json", "log", "bear"));
	EXPECT_TRUE(has(self->r.out, "mic-start")) TH_LOG("%s", self->r.out);
	EXPECT_TRUE(has(self->r.out, "mic-stop")) TH_LOG("%s", self->r.out);
}

/* aplay of a known WAV: the toy's speaker plays exactly it. */
TEST_F_TIMEOUT(world, aplay_sample_exact, AUDIO_TIMEOUT_S)
{
	const char *const play[] = {
		"aplay", "-q", "-D", self->dev, self->play, NULL
	};
	static int16_t src[PLAY_FRAMES], spk[8 * RATE];
	long n, at, i, wrong = 0;
	char err[4096];

	noise(src, PLAY_FRAMES, 7);
	ASSERT_EQ(0, wav_write(self->play, src, PLAY_FRAMES));
	ASSERT_EQ(0, run_err(play, err, sizeof(err))) TH_LOG("%s", err);
	if (!kept_real_time(err))
		SKIP(return, "aplay had an underrun: %.200s", err);
	/* aplay may pad its last period with a little silence */
	EXPECT_LE(PLAY_FRAMES / PAWLINK_AUDIO_PERIOD_FRAMES,
		  stat_get(&self->d, "audio_tx_periods"));
	/* the speaker's WAV is whole once the toy has stopped */
	sleep_ms(500);
	stop_proc(&self->toy);
	n = wav_read(self->speaker, spk, 8 * RATE);
	ASSERT_LE(PLAY_FRAMES, n) TH_LOG("the speaker played %ld frames", n);
	at = find(spk, n, src, false);
	if (at < 0) {
		char text[4096];

		for (i = 0; i < n && !spk[i]; i++)
			;
		TH_LOG("%ld frames, first sound at %ld: %d %d %d, want %d %d %d",
		       n, i, spk[i], spk[i + 1], spk[i + 2], src[0], src[1],
		       src[2]);
		if (!read_text(self->toy_log, text, sizeof(text)))
			TH_LOG("toy: %s", text);
	}
	ASSERT_LE(0, at) TH_LOG("the file's start is not in what was played");
	ASSERT_LE(at + PLAY_FRAMES, n);
	for (i = 0; i < PLAY_FRAMES; i++)
		wrong += spk[at + i] != src[i];
	EXPECT_EQ(0, wrong) TH_LOG("%ld of %d samples differ", wrong,
				   PLAY_FRAMES);
}

/* pawctl disconnect under a running arecord: it fails, and soon. */
TEST_F_TIMEOUT(world, disconnect_ends_arecord, AUDIO_TIMEOUT_S)
{
	const char *const rec[] = {
		"arecord", "-q", "-D", self->dev, "-f", "S16_LE", "-r", "16000",
		"-c", "1", "-d", "30", self->cap, NULL
	};
	long end = now_ms() + WAIT_MS;
	int status = 0;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		execvp(rec[0], (char **)rec);
		_exit(127);
	}
	ASSERT_EQ(0, stat_wait_ge(&self->d, "audio_rx_periods", 50));
	ASSERT_EQ(0, PAWCTL(self, "--json", "disconnect"));
	while (waitpid(pid, &status, WNOHANG) == 0 && now_ms() < end)
		sleep_ms(POLL_STEP_MS);
	if (now_ms() >= end) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		ASSERT_TRUE(false) TH_LOG("arecord did not exit");
	}
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0)
		TH_LOG("arecord status 0x%x", status);
}

TEST_HARNESS_MAIN
