// SPDX-License-Identifier: GPL-2.0
/*
 * The sound card's streams (Documentation/driver.rst, "Sound card"),
 * driven through alsa-lib on pawsim's loopback dongle with the test hooks.
 *
 * A fake toy in a thread of the test plays the toy's half of the audio
 * channel: it reads what the kernel sends from the dongle's log
 * (--fault log=FILE), opens it with the h2t audio key through
 * PAWLINK_IOC_TEST_OPEN, answers START with STATE (OK, refused, or not at
 * all), keeps the PCM records it was sent, and sends STATE and PCM records
 * sealed with the t2h key through PAWLINK_IOC_TEST_INJECT, as if the
 * dongle had relayed them.  The two audio keys differ, so the loopback's
 * echo of what the kernel sends never opens.
 *
 * - not_keyed: open before a keyed session gives ENOTCONN;
 * - the START the open sends, the answers: OK opens, refused gives EACCES,
 *   none gives ETIMEDOUT; close sends STOP;
 * - capture: known samples arrive sample for sample; a gap in seq becomes
 *   exactly that many silent periods and is counted; a gap too long is
 *   not filled and is counted; records before trigger START are dropped;
 *   malformed audio headers are dropped and counted; no xrun;
 * - plughw at 48 kHz stereo float captures through alsa-lib's plug layer;
 * - playback: the first window goes at trigger START, then exactly one
 *   period per credited period, the samples and seq as written, and
 *   snd_pcm_delay() counts what the toy has not played; a window the toy
 *   never got is written off once its credit stands still 250 ms;
 * - disconnect, link lost and unplug mid-stream: the program's read or
 *   write fails (EBADFD, ENODEV), nothing hangs, and a new session opens;
 * - system suspend mid-stream (devices suspended and resumed through
 *   /sys/power/pm_test): ESTRPIPE and snd_pcm_recover() captures again,
 *   or, when the resume reset the dongle (dummy_hcd's always does),
 *   EBADFD and a new session captures.
 */
#include <pthread.h>
#include <stddef.h>
#include <sys/syscall.h>

#include <alsa/asoundlib.h>
#include <linux/pawlink_test.h>

#include "kselftest_harness.h"
#include "common.h"
#include "procs.h"
#include "pcm_params.h"

#define PERIOD		PAWLINK_AUDIO_PERIOD_FRAMES
#define TOY_PCM_MAX	256
#define EPOCH		1

/* How the fake toy answers a START. */
enum answer { ANSWER_OK, ANSWER_REFUSED, ANSWER_NONE };

struct faketoy {
	int fd;				/* /dev/pawlinkN, for the hooks */
	int log_fd;			/* the dongle's log, read as it grows */
	off_t pos;
	uint8_t h2t[PAWLINK_KEY_LEN], t2h[PAWLINK_KEY_LEN];
	pthread_t thread;
	bool running;
	volatile bool stop;
	pthread_mutex_t lock;		/* everything below */
	uint64_t counter;		/* next t2h audio counter */
	enum answer answer;
	uint8_t running_dirs;
	unsigned int starts, stops;
	uint8_t last_start_dirs, last_stop_dirs;
	uint32_t last_start_seq;
	unsigned int start_repeats;	/* a START with the last one's seq */
	unsigned int pcm_count;
	uint32_t pcm_seq[TOY_PCM_MAX];
	int16_t pcm[TOY_PCM_MAX][PERIOD];
	int bad;			/* records it could not open or parse */
};

/* Unloads pawlink (no file may be open) and loads it with @args. */
static int reload(const char *args)
{
	char cmd[256];

	if (syscall(SYS_delete_module, "pawlink", O_NONBLOCK))
		return -errno;
	snprintf(cmd, sizeof(cmd), "modprobe pawlink %s", args);
	return system(cmd) ? -EIO : 0;
}

static int ioc(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? errno : 0;
}

/*
 * Sends one audio record to the host as the toy: @body_len bytes of @hdr
 * followed by @samples (a PCM record).
 */
static int toy_send_len(struct faketoy *t, const struct pawlink_audio_hdr *hdr,
			const int16_t *samples, size_t body_len)
{
	struct pawlink_test_inject *in = calloc(1, sizeof(*in));
	struct pawlink_test_seal *s = calloc(1, sizeof(*s));
	int err = -ENOMEM;

	if (!in || !s)
		goto out;
	memcpy(s->key, t->t2h, PAWLINK_KEY_LEN);
	s->epoch = EPOCH;
	s->channel = PAWLINK_CH_AUDIO;
	memcpy(s->pt, hdr, sizeof(*hdr));
	if (samples)
		memcpy(s->pt + sizeof(*hdr), samples,
		       PAWLINK_AUDIO_PERIOD_BYTES);
	s->pt_len = body_len;
	pthread_mutex_lock(&t->lock);
	s->counter = t->counter++;
	err = ioc(t->fd, PAWLINK_IOC_TEST_SEAL, s);
	if (!err) {
		in->ep = PAWLINK_EP_AUDIO_IN;
		in->len = s->rec_len;
		memcpy(in->rec, s->rec, s->rec_len);
		err = ioc(t->fd, PAWLINK_IOC_TEST_INJECT, in);
	}
	pthread_mutex_unlock(&t->lock);
out:
	free(in);
	free(s);
	return err;
}

static int toy_pcm(struct faketoy *t, uint32_t seq, uint32_t played,
		   const int16_t *samples)
{
	struct pawlink_audio_hdr hdr = {
		.type = PAWLINK_AUDIO_PCM,
		.seq = seq,
		.played = played,
	};

	return toy_send_len(t, &hdr, samples, PAWLINK_AUDIO_PCM_LEN);
}

static int toy_state(struct faketoy *t, uint32_t seq, uint8_t status,
		     uint8_t dirs, uint32_t played)
{
	struct pawlink_audio_hdr hdr = {
		.type = PAWLINK_AUDIO_STATE,
		.dirs = dirs,
		.status = status,
		.seq = seq,
		.played = played,
	};

	return toy_send_len(t, &hdr, NULL, PAWLINK_AUDIO_HDR_LEN);
}

/* One record the kernel sent on the audio OUT endpoint. */
static void toy_heard(struct faketoy *t, const uint8_t *rec, size_t len)
{
	struct pawlink_test_open *o = calloc(1, sizeof(*o));
	struct pawlink_audio_hdr hdr;
	uint8_t status = PAWLINK_AUDIO_OK;
	bool answer = false;

	if (!o)
		return;
	memcpy(o->key, t->h2t, PAWLINK_KEY_LEN);
	o->epoch = EPOCH;
	o->channel = PAWLINK_CH_AUDIO;
	o->rec_len = len;
	memcpy(o->rec, rec, len);
	if (ioc(t->fd, PAWLINK_IOC_TEST_OPEN, o) ||
	    o->verdict != PAWLINK_TEST_OK ||
	    o->pt_len < PAWLINK_AUDIO_HDR_LEN) {
		t->bad++;
		free(o);
		return;
	}
	memcpy(&hdr, o->pt, sizeof(hdr));
	pthread_mutex_lock(&t->lock);
	switch (hdr.type) {
	case PAWLINK_AUDIO_START:
		t->start_repeats += t->starts && hdr.seq == t->last_start_seq;
		t->starts++;
		t->last_start_dirs = hdr.dirs;
		t->last_start_seq = hdr.seq;
		if (t->answer == ANSWER_OK)
			t->running_dirs |= hdr.dirs;
		else
			status = PAWLINK_AUDIO_E_REFUSED;
		answer = t->answer != ANSWER_NONE;
		break;
	case PAWLINK_AUDIO_STOP:
		t->stops++;
		t->last_stop_dirs = hdr.dirs;
		t->running_dirs &= ~hdr.dirs;
		answer = true;
		break;
	case PAWLINK_AUDIO_PCM:
		if (o->pt_len != PAWLINK_AUDIO_PCM_LEN || hdr.dirs ||
		    hdr.status || hdr.reserved || hdr.played ||
		    t->pcm_count == TOY_PCM_MAX) {
			t->bad++;
			break;
		}
		t->pcm_seq[t->pcm_count] = hdr.seq;
		memcpy(t->pcm[t->pcm_count], o->pt + sizeof(hdr),
		       PAWLINK_AUDIO_PERIOD_BYTES);
		t->pcm_count++;
		break;
	default:
		t->bad++;
		break;
	}
	pthread_mutex_unlock(&t->lock);
	if (answer)
		toy_state(t, hdr.seq, status, t->running_dirs, 0);
	free(o);
}

/* Reads the dongle's log as it grows; hands on what the host sent. */
static void *toy_main(void *arg)
{
	static uint8_t rec[PAWLINK_RECORD_MAX + 64];
	struct faketoy *t = arg;
	uint8_t head[3];
	struct stat st;

	while (!t->stop) {
		size_t len;

		if (fstat(t->log_fd, &st) || st.st_size < t->pos + 3 ||
		    pread(t->log_fd, head, 3, t->pos) != 3) {
			sleep_ms(2);
			continue;
		}
		len = head[1] | head[2] << 8;
		if (len > sizeof(rec) || st.st_size < t->pos + 3 + (off_t)len) {
			sleep_ms(2);
			continue;
		}
		if (pread(t->log_fd, rec, len, t->pos + 3) != (ssize_t)len)
			continue;
		t->pos += 3 + len;
		if (head[0] == 'O' && len > PAWLINK_REC_HDR_LEN &&
		    rec[1] == PAWLINK_CH_AUDIO)
			toy_heard(t, rec, len);
	}
	return NULL;
}

/* Waits until *@count (under the toy's lock) reaches @want. */
static int toy_wait(struct faketoy *t, unsigned int *count, unsigned int want)
{
	long end = now_ms() + WAIT_MS;
	unsigned int now;

	do {
		pthread_mutex_lock(&t->lock);
		now = *count;
		pthread_mutex_unlock(&t->lock);
		if (now >= want)
			return 0;
		sleep_ms(POLL_STEP_MS);
	} while (now_ms() < end);
	return -ETIMEDOUT;
}

static unsigned int toy_get(struct faketoy *t, unsigned int *count)
{
	unsigned int v;

	pthread_mutex_lock(&t->lock);
	v = *count;
	pthread_mutex_unlock(&t->lock);
	return v;
}

/* Session keys whose two audio keys differ (see the top). */
static void keys_make(struct pawlink_key_install *k, struct faketoy *t)
{
	memset(k, 0, sizeof(*k));
	k->version = PAWLINK_KEYS_VERSION;
	k->epoch = EPOCH;
	memset(k->h2t_ctrl, 0x31, PAWLINK_KEY_LEN);
	memset(k->t2h_ctrl, 0x31, PAWLINK_KEY_LEN);
	memset(k->h2t_audio, 0x42, PAWLINK_KEY_LEN);
	memset(k->t2h_audio, 0x53, PAWLINK_KEY_LEN);
	memcpy(t->h2t, k->h2t_audio, PAWLINK_KEY_LEN);
	memcpy(t->t2h, k->t2h_audio, PAWLINK_KEY_LEN);
}

/* The known samples of period @n. */
static void period_fill(int16_t *buf, uint32_t n)
{
	unsigned int i;

	for (i = 0; i < PERIOD; i++)
		buf[i] = (int16_t)(n * 977 + i * 13 + 1);
}

static bool period_is(const int16_t *buf, uint32_t n)
{
	int16_t want[PERIOD];

	period_fill(want, n);
	return !memcmp(buf, want, sizeof(want));
}

static bool period_silent(const int16_t *buf)
{
	unsigned int i;

	for (i = 0; i < PERIOD; i++)
		if (buf[i])
			return false;
	return true;
}

/* Never stops on an underrun, as sound servers run a card. */
static int no_stop_on_underrun(snd_pcm_t *pcm)
{
	snd_pcm_sw_params_t *sw;
	snd_pcm_uframes_t boundary;
	int err;

	snd_pcm_sw_params_alloca(&sw);
	err = snd_pcm_sw_params_current(pcm, sw);
	if (!err)
		err = snd_pcm_sw_params_get_boundary(sw, &boundary);
	if (!err)
		err = snd_pcm_sw_params_set_stop_threshold(pcm, sw, boundary);
	if (!err)
		err = snd_pcm_sw_params(pcm, sw);
	return err;
}

FIXTURE(pcm) {
	struct dongle d;
	int fd;
	char dir[64], log[96], dev[32], plug[32];
	struct pawlink_key_install k;
	struct faketoy t;
};

/* Connects and installs keys: a fresh keyed session. */
static int session_start(struct __test_metadata *_metadata,
			 FIXTURE_DATA(pcm) *self)
{
	int err = dongle_connect(&self->d, self->fd);

	if (err)
		return err;
	keys_make(&self->k, &self->t);
	err = ioc(self->fd, PAWLINK_IOC_SET_KEYS, &self->k);
	EXPECT_EQ(0, err);
	return err;
}

FIXTURE_SETUP(pcm)
{
	char fault[128];

	self->fd = -1;
	memset(&self->t, 0, sizeof(self->t));
	self->t.log_fd = -1;
	pthread_mutex_init(&self->t.lock, NULL);
	self->t.counter = 1;
	strcpy(self->dir, "/tmp/pawlink-pcm.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_TRUE(str_fmt(self->log, sizeof(self->log), "%s/dongle.log",
			    self->dir));
	ASSERT_TRUE(str_fmt(fault, sizeof(fault), "log=%s", self->log));

	ASSERT_EQ(0, reload("test_hooks=1"));
	self->fd = dongle_open(&self->d, 0, fault, 0);
	ASSERT_LE(0, self->fd);
	snprintf(self->dev, sizeof(self->dev), "hw:%d,0", self->d.card);
	snprintf(self->plug, sizeof(self->plug), "plughw:%d,0", self->d.card);

	self->t.fd = self->fd;
	self->t.log_fd = open(self->log, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->t.log_fd);
	ASSERT_EQ(0, pthread_create(&self->t.thread, NULL, toy_main, &self->t));
	self->t.running = true;
}

FIXTURE_TEARDOWN(pcm)
{
	const char *const rm[] = { "rm", "-rf", self->dir, NULL };

	if (self->t.running) {
		self->t.stop = true;
		pthread_join(self->t.thread, NULL);
	}
	if (self->t.log_fd >= 0)
		close(self->t.log_fd);
	EXPECT_EQ(0, self->t.bad);
	EXPECT_EQ(0, dongle_close(&self->d, self->fd));
	EXPECT_EQ(0, reload(""));
	run_cmd(rm);
}

/* ---- opening ------------------------------------------------------------ */

/* No keyed session: ENOTCONN, both ways, and nothing goes to the toy. */
TEST_F(pcm, not_keyed)
{
	snd_pcm_t *pcm;

	EXPECT_EQ(-ENOTCONN, snd_pcm_open(&pcm, self->dev,
					  SND_PCM_STREAM_CAPTURE, 0));
	EXPECT_EQ(-ENOTCONN, snd_pcm_open(&pcm, self->dev,
					  SND_PCM_STREAM_PLAYBACK, 0));
	/* connected, not keyed yet */
	ASSERT_EQ(0, dongle_connect(&self->d, self->fd));
	EXPECT_EQ(-ENOTCONN, snd_pcm_open(&pcm, self->dev,
					  SND_PCM_STREAM_CAPTURE, 0));
	sleep_ms(100);
	EXPECT_EQ(0, toy_get(&self->t, &self->t.starts));
}

/*
 * Each open sends one START for its direction and returns once the toy
 * said OK; each close sends one STOP.  A refusal is EACCES; silence is
 * ETIMEDOUT after the same START was asked four times, and the toy is
 * told to stop.
 */
TEST_F(pcm, start_and_stop)
{
	snd_pcm_t *cap, *play, *pcm;

	ASSERT_EQ(0, session_start(_metadata, self));
	ASSERT_EQ(0, snd_pcm_open(&cap, self->dev, SND_PCM_STREAM_CAPTURE, 0));
	EXPECT_EQ(1, toy_get(&self->t, &self->t.starts));
	EXPECT_EQ(PAWLINK_AUDIO_DIR_CAPTURE, self->t.last_start_dirs);
	ASSERT_EQ(0, snd_pcm_open(&play, self->dev, SND_PCM_STREAM_PLAYBACK,
				  0));
	EXPECT_EQ(2, toy_get(&self->t, &self->t.starts));
	EXPECT_EQ(PAWLINK_AUDIO_DIR_PLAYBACK, self->t.last_start_dirs);
	/* one open per direction */
	EXPECT_EQ(-EBUSY, snd_pcm_open(&pcm, self->dev,
				       SND_PCM_STREAM_CAPTURE,
				       SND_PCM_NONBLOCK));

	EXPECT_EQ(0, snd_pcm_close(cap));
	ASSERT_EQ(0, toy_wait(&self->t, &self->t.stops, 1));
	EXPECT_EQ(PAWLINK_AUDIO_DIR_CAPTURE, self->t.last_stop_dirs);
	EXPECT_EQ(0, snd_pcm_close(play));
	ASSERT_EQ(0, toy_wait(&self->t, &self->t.stops, 2));
	EXPECT_EQ(PAWLINK_AUDIO_DIR_PLAYBACK, self->t.last_stop_dirs);

	self->t.answer = ANSWER_REFUSED;
	EXPECT_EQ(-EACCES, snd_pcm_open(&pcm, self->dev,
					SND_PCM_STREAM_CAPTURE, 0));
	EXPECT_EQ(3, toy_get(&self->t, &self->t.starts));

	/* no answer: asked four times, the same request, then taken back */
	self->t.answer = ANSWER_NONE;
	EXPECT_EQ(-ETIMEDOUT, snd_pcm_open(&pcm, self->dev,
					   SND_PCM_STREAM_CAPTURE, 0));
	EXPECT_EQ(7, toy_get(&self->t, &self->t.starts));
	EXPECT_EQ(3, toy_get(&self->t, &self->t.start_repeats));
	ASSERT_EQ(0, toy_wait(&self->t, &self->t.stops, 3));

	self->t.answer = ANSWER_OK;
	ASSERT_EQ(0, snd_pcm_open(&cap, self->dev, SND_PCM_STREAM_CAPTURE, 0));
	EXPECT_EQ(0, snd_pcm_close(cap));
}

/* ---- capture ------------------------------------------------------------ */

/* Reads @frames frames that must be there already (nonblocking). */
static int read_now(snd_pcm_t *pcm, int16_t *buf, snd_pcm_uframes_t frames)
{
	snd_pcm_sframes_t n = snd_pcm_readi(pcm, buf, frames);

	return n == (snd_pcm_sframes_t)frames ? 0 : n < 0 ? (int)n : -EIO;
}

/*
 * The toy's periods arrive sample for sample; a gap of two records
 * becomes exactly two silent periods, counted; a gap above the maximum is
 * not filled and is counted; no xrun all along.
 */
TEST_F(pcm, capture_sample_exact_with_gaps)
{
	static int16_t buf[64 * PERIOD], src[PERIOD];
	snd_pcm_status_t *status;
	snd_pcm_t *pcm;
	uint32_t seq;
	unsigned int i;

	snd_pcm_status_alloca(&status);
	ASSERT_EQ(0, session_start(_metadata, self));
	ASSERT_EQ(0, snd_pcm_open(&pcm, self->dev, SND_PCM_STREAM_CAPTURE,
				  SND_PCM_NONBLOCK));
	ASSERT_EQ(0, pcm_params(pcm, PERIOD, 64, PCM_START_EXPLICIT));
	ASSERT_EQ(0, snd_pcm_prepare(pcm));

	/* before trigger START: dropped, and not lost */
	period_fill(src, 99);
	ASSERT_EQ(0, toy_pcm(&self->t, 0, 0, src));
	EXPECT_EQ(0, stat_get(&self->d, "audio_rx_periods"));
	ASSERT_EQ(0, snd_pcm_start(pcm));

	/* seq 1..8: the first one after START is where the stream begins */
	for (seq = 1; seq <= 8; seq++) {
		period_fill(src, seq);
		ASSERT_EQ(0, toy_pcm(&self->t, seq, 0, src));
	}
	ASSERT_EQ(0, read_now(pcm, buf, 8 * PERIOD));
	for (i = 0; i < 8; i++)
		EXPECT_TRUE(period_is(buf + i * PERIOD, i + 1)) TH_LOG("period %u", i);
	EXPECT_EQ(0, stat_get(&self->d, "audio_lost_frames"));

	/* 9 and 10 lost: two periods of silence, then 11.. */
	for (seq = 11; seq <= 14; seq++) {
		period_fill(src, seq);
		ASSERT_EQ(0, toy_pcm(&self->t, seq, 0, src));
	}
	ASSERT_EQ(0, read_now(pcm, buf, 6 * PERIOD));
	EXPECT_TRUE(period_silent(buf));
	EXPECT_TRUE(period_silent(buf + PERIOD));
	for (i = 2; i < 6; i++)
		EXPECT_TRUE(period_is(buf + i * PERIOD, i + 9)) TH_LOG("period %u", i);
	EXPECT_EQ(2 * PERIOD, stat_get(&self->d, "audio_lost_frames"));

	/* a gap of exactly the maximum (50) is still filled */
	period_fill(src, 65);
	ASSERT_EQ(0, toy_pcm(&self->t, 65, 0, src));
	ASSERT_EQ(0, read_now(pcm, buf, 51 * PERIOD));
	for (i = 0; i < 50; i++)
		EXPECT_TRUE(period_silent(buf + i * PERIOD)) TH_LOG("period %u", i);
	EXPECT_TRUE(period_is(buf + 50 * PERIOD, 65));
	EXPECT_EQ(52 * PERIOD, stat_get(&self->d, "audio_lost_frames"));
	EXPECT_EQ(0, stat_get(&self->d, "audio_gaps_too_large"));

	/* one more is too long: not filled, counted, the stream goes on */
	period_fill(src, 117);
	ASSERT_EQ(0, toy_pcm(&self->t, 117, 0, src));
	ASSERT_EQ(0, read_now(pcm, buf, PERIOD));
	EXPECT_TRUE(period_is(buf, 117));
	EXPECT_EQ(1, stat_get(&self->d, "audio_gaps_too_large"));
	EXPECT_EQ(52 * PERIOD, stat_get(&self->d, "audio_lost_frames"));
	period_fill(src, 118);
	ASSERT_EQ(0, toy_pcm(&self->t, 118, 0, src));
	ASSERT_EQ(0, read_now(pcm, buf, PERIOD));
	EXPECT_TRUE(period_is(buf, 118));

	EXPECT_EQ(15, stat_get(&self->d, "audio_rx_periods"));
	ASSERT_EQ(0, snd_pcm_status(pcm, status));
	EXPECT_EQ(SND_PCM_STATE_RUNNING, snd_pcm_status_get_state(status));
	EXPECT_EQ(-EAGAIN, snd_pcm_readi(pcm, buf, PERIOD));
	EXPECT_EQ(0, stat_get(&self->d, "audio_dropped_malformed"));
	EXPECT_EQ(0, snd_pcm_close(pcm));
}

/*
 * What a counterfeit toy (or dongle) may send: every malformed audio
 * header is dropped and counted, and none moves the stream.
 */
TEST_F(pcm, capture_drops_malformed)
{
	static int16_t buf[4 * PERIOD], src[PERIOD];
	struct pawlink_audio_hdr hdr = { .type = PAWLINK_AUDIO_PCM };
	snd_pcm_t *pcm;

	ASSERT_EQ(0, session_start(_metadata, self));
	ASSERT_EQ(0, snd_pcm_open(&pcm, self->dev, SND_PCM_STREAM_CAPTURE,
				  SND_PCM_NONBLOCK));
	ASSERT_EQ(0, pcm_params(pcm, PERIOD, 8, PCM_START_EXPLICIT));
	ASSERT_EQ(0, snd_pcm_prepare(pcm));
	ASSERT_EQ(0, snd_pcm_start(pcm));
	period_fill(src, 5);
	ASSERT_EQ(0, toy_pcm(&self->t, 5, 0, src));

	/* one sample short, one sample long, header only */
	hdr.seq = 6;
	EXPECT_EQ(0, toy_send_len(&self->t, &hdr, src,
				  PAWLINK_AUDIO_PCM_LEN - 2));
	EXPECT_EQ(0, toy_send_len(&self->t, &hdr, src,
				  PAWLINK_AUDIO_PCM_LEN + 2));
	EXPECT_EQ(0, toy_send_len(&self->t, &hdr, NULL, PAWLINK_AUDIO_HDR_LEN));
	/* reserved, dirs or status set; an unknown type; a START to us */
	hdr.reserved = 1;
	EXPECT_EQ(0, toy_send_len(&self->t, &hdr, src, PAWLINK_AUDIO_PCM_LEN));
	hdr.reserved = 0;
	hdr.dirs = 1;
	EXPECT_EQ(0, toy_send_len(&self->t, &hdr, src, PAWLINK_AUDIO_PCM_LEN));
	hdr.dirs = 0;
	hdr.status = 1;
	EXPECT_EQ(0, toy_send_len(&self->t, &hdr, src, PAWLINK_AUDIO_PCM_LEN));
	hdr.status = 0;
	hdr.type = 9;
	EXPECT_EQ(0, toy_send_len(&self->t, &hdr, src, PAWLINK_AUDIO_PCM_LEN));
	hdr.type = PAWLINK_AUDIO_START;
	EXPECT_EQ(0, toy_send_len(&self->t, &hdr, NULL, PAWLINK_AUDIO_HDR_LEN));
	/* shorter than an audio header */
	EXPECT_EQ(0, toy_send_len(&self->t, &hdr, NULL, 4));
	/* seq behind the stream */
	EXPECT_EQ(0, toy_pcm(&self->t, 4, 0, src));
	/* a STATE with a body, or with unknown bits */
	EXPECT_EQ(0, toy_state(&self->t, 0, 7, 0, 0));
	EXPECT_EQ(0, toy_state(&self->t, 0, 0, 0x80, 0));
	EXPECT_EQ(12, stat_get(&self->d, "audio_dropped_malformed"));

	period_fill(src, 6);
	ASSERT_EQ(0, toy_pcm(&self->t, 6, 0, src));
	ASSERT_EQ(0, read_now(pcm, buf, 2 * PERIOD));
	EXPECT_TRUE(period_is(buf, 5));
	EXPECT_TRUE(period_is(buf + PERIOD, 6));
	EXPECT_EQ(-EAGAIN, snd_pcm_readi(pcm, buf, PERIOD));
	EXPECT_EQ(0, stat_get(&self->d, "audio_lost_frames"));
	EXPECT_EQ(2, stat_get(&self->d, "audio_rx_periods"));
	EXPECT_EQ(0, snd_pcm_close(pcm));
}

/* plughw: 48 kHz stereo float through alsa-lib's plug layer. */
TEST_F(pcm, capture_plughw_48k_stereo_float)
{
	static float buf[2 * 4800];
	static int16_t src[PERIOD];
	snd_pcm_hw_params_t *hw;
	snd_pcm_t *pcm;
	snd_pcm_sframes_t got = 0, n;
	unsigned int rate = 48000;
	uint32_t seq;
	long end;

	snd_pcm_hw_params_alloca(&hw);
	ASSERT_EQ(0, session_start(_metadata, self));
	ASSERT_EQ(0, snd_pcm_open(&pcm, self->plug, SND_PCM_STREAM_CAPTURE,
				  SND_PCM_NONBLOCK));
	ASSERT_EQ(0, snd_pcm_hw_params_any(pcm, hw));
	ASSERT_EQ(0, snd_pcm_hw_params_set_access(pcm, hw,
						  SND_PCM_ACCESS_RW_INTERLEAVED));
	ASSERT_EQ(0, snd_pcm_hw_params_set_format(pcm, hw,
						  SND_PCM_FORMAT_FLOAT_LE));
	ASSERT_EQ(0, snd_pcm_hw_params_set_channels(pcm, hw, 2));
	ASSERT_EQ(0, snd_pcm_hw_params_set_rate_near(pcm, hw, &rate, 0));
	EXPECT_EQ(48000, rate);
	ASSERT_EQ(0, snd_pcm_hw_params(pcm, hw));
	ASSERT_EQ(0, snd_pcm_prepare(pcm));
	ASSERT_EQ(0, snd_pcm_start(pcm));
	/* 100 ms of a loud square wave in, about 4800 frames out */
	for (seq = 0; seq < 10; seq++) {
		unsigned int i;

		for (i = 0; i < PERIOD; i++)
			src[i] = (i / 20) % 2 ? 16000 : -16000;
		ASSERT_EQ(0, toy_pcm(&self->t, seq, 0, src));
	}
	end = now_ms() + 2000;
	while (got < 4000 && now_ms() < end) {
		n = snd_pcm_readi(pcm, buf, 4800 - got);
		if (n == -EAGAIN) {
			sleep_ms(10);
			continue;
		}
		ASSERT_LE(0, n) TH_LOG("%s", snd_strerror(n));
		if (n > 0 && got == 0)
			/* both channels carry the signal */
			EXPECT_TRUE(buf[0] != 0.0f || buf[2 * n - 1] != 0.0f);
		got += n;
	}
	EXPECT_LE(4000, got);
	EXPECT_EQ(10, stat_get(&self->d, "audio_rx_periods"));
	EXPECT_EQ(0, snd_pcm_close(pcm));
}

/* ---- playback ----------------------------------------------------------- */

/*
 * Trigger START sends the first window (6 periods) and no more; each
 * credited period sends exactly one more; what arrives is what was
 * written, numbered from 0; snd_pcm_delay() is the written-and-unsent plus
 * the sent-and-unplayed.
 */
TEST_F(pcm, playback_window_and_credits)
{
	static int16_t buf[32 * PERIOD];
	snd_pcm_sframes_t delay;
	snd_pcm_t *pcm;
	unsigned int i;

	ASSERT_EQ(0, session_start(_metadata, self));
	ASSERT_EQ(0, snd_pcm_open(&pcm, self->dev, SND_PCM_STREAM_PLAYBACK,
				  SND_PCM_NONBLOCK));
	ASSERT_EQ(0, pcm_params(pcm, PERIOD, 32, PCM_START_EXPLICIT));
	ASSERT_EQ(0, snd_pcm_prepare(pcm));
	for (i = 0; i < 32; i++)
		period_fill(buf + i * PERIOD, i);
	ASSERT_EQ(32 * PERIOD, snd_pcm_writei(pcm, buf, 32 * PERIOD));
	ASSERT_EQ(0, snd_pcm_start(pcm));

	ASSERT_EQ(0, toy_wait(&self->t, &self->t.pcm_count, 6));
	sleep_ms(200);
	EXPECT_EQ(6, toy_get(&self->t, &self->t.pcm_count));
	EXPECT_EQ(6, stat_get(&self->d, "audio_tx_periods"));
	ASSERT_EQ(0, snd_pcm_delay(pcm, &delay));
	EXPECT_EQ(32 * PERIOD, delay);

	/* two played: two more, and the delay is 2 periods less */
	ASSERT_EQ(0, toy_state(&self->t, 0, PAWLINK_AUDIO_OK,
			       PAWLINK_AUDIO_DIR_PLAYBACK, 2));
	ASSERT_EQ(0, toy_wait(&self->t, &self->t.pcm_count, 8));
	sleep_ms(100);
	EXPECT_EQ(8, toy_get(&self->t, &self->t.pcm_count));
	ASSERT_EQ(0, snd_pcm_delay(pcm, &delay));
	EXPECT_EQ(30 * PERIOD, delay);

	/* an older credit says nothing; a credit in a PCM record counts */
	ASSERT_EQ(0, toy_state(&self->t, 0, PAWLINK_AUDIO_OK,
			       PAWLINK_AUDIO_DIR_PLAYBACK, 1));
	sleep_ms(100);
	EXPECT_EQ(8, toy_get(&self->t, &self->t.pcm_count));
	ASSERT_EQ(0, toy_pcm(&self->t, 0, 5, buf));
	ASSERT_EQ(0, toy_wait(&self->t, &self->t.pcm_count, 11));
	sleep_ms(100);
	EXPECT_EQ(11, toy_get(&self->t, &self->t.pcm_count));

	/* one credit per period, as a toy playing at its clock gives */
	for (i = 6; i <= 20; i++)
		ASSERT_EQ(0, toy_state(&self->t, 0, PAWLINK_AUDIO_OK,
				       PAWLINK_AUDIO_DIR_PLAYBACK, i));
	ASSERT_EQ(0, toy_wait(&self->t, &self->t.pcm_count, 26));
	sleep_ms(100);
	EXPECT_EQ(26, toy_get(&self->t, &self->t.pcm_count));
	EXPECT_EQ(26, stat_get(&self->d, "audio_tx_periods"));
	ASSERT_EQ(0, snd_pcm_delay(pcm, &delay));
	EXPECT_EQ(12 * PERIOD, delay);

	pthread_mutex_lock(&self->t.lock);
	for (i = 0; i < 26; i++) {
		EXPECT_EQ(i, self->t.pcm_seq[i]);
		EXPECT_TRUE(period_is(self->t.pcm[i], i)) TH_LOG("period %u", i);
	}
	pthread_mutex_unlock(&self->t.lock);

	EXPECT_EQ(0, snd_pcm_drop(pcm));
	EXPECT_EQ(0, snd_pcm_close(pcm));
	ASSERT_EQ(0, toy_wait(&self->t, &self->t.stops, 1));
	EXPECT_EQ(PAWLINK_AUDIO_DIR_PLAYBACK, self->t.last_stop_dirs);
}

/*
 * The window in flight never reached the toy (lost on the air), and the
 * toy starves, repeating its credit: once the window has been full with
 * the credit standing still for PAWLINK_AUDIO_STALL_MS (250 ms), the
 * periods are written off and the next ones go, in order, as written.
 * Before that a repeated credit sends nothing: the toy may only be late.
 */
TEST_F(pcm, playback_lost_window_written_off)
{
	static int16_t buf[32 * PERIOD];
	snd_pcm_t *pcm;
	unsigned int i;
	long t0;

	ASSERT_EQ(0, session_start(_metadata, self));
	ASSERT_EQ(0, snd_pcm_open(&pcm, self->dev, SND_PCM_STREAM_PLAYBACK,
				  SND_PCM_NONBLOCK));
	ASSERT_EQ(0, pcm_params(pcm, PERIOD, 32, PCM_START_EXPLICIT));
	ASSERT_EQ(0, snd_pcm_prepare(pcm));
	for (i = 0; i < 32; i++)
		period_fill(buf + i * PERIOD, i);
	ASSERT_EQ(32 * PERIOD, snd_pcm_writei(pcm, buf, 32 * PERIOD));
	t0 = now_ms();
	ASSERT_EQ(0, snd_pcm_start(pcm));
	ASSERT_EQ(0, toy_wait(&self->t, &self->t.pcm_count, 6));

	ASSERT_EQ(0, toy_state(&self->t, 0, PAWLINK_AUDIO_OK,
			       PAWLINK_AUDIO_DIR_PLAYBACK, 0));
	sleep_ms(50);
	/* Only a check while the stall time cannot have passed. */
	if (now_ms() - t0 < 200) {
		EXPECT_EQ(6, toy_get(&self->t, &self->t.pcm_count));
	} else {
		TH_LOG("too slow to check that an early repeat sends nothing");
	}

	sleep_ms(400);
	ASSERT_EQ(0, toy_state(&self->t, 0, PAWLINK_AUDIO_OK,
			       PAWLINK_AUDIO_DIR_PLAYBACK, 0));
	ASSERT_EQ(0, toy_wait(&self->t, &self->t.pcm_count, 12));
	sleep_ms(100);
	EXPECT_EQ(12, toy_get(&self->t, &self->t.pcm_count));
	pthread_mutex_lock(&self->t.lock);
	for (i = 0; i < 12; i++) {
		EXPECT_EQ(i, self->t.pcm_seq[i]);
		EXPECT_TRUE(period_is(self->t.pcm[i], i)) TH_LOG("period %u", i);
	}
	pthread_mutex_unlock(&self->t.lock);

	EXPECT_EQ(0, snd_pcm_drop(pcm));
	EXPECT_EQ(0, snd_pcm_close(pcm));
}

/*
 * Only what the program wrote goes to the toy: a write after START sends
 * at once (the PCM ack) as far as the window allows, a program that falls
 * behind sends nothing stale, and a drain sends the last partial period
 * padded with silence, then the stream stops.  (With ALSA's default stop
 * threshold, falling behind is an underrun: EPIPE.  Here it is set as a
 * sound server sets it, so the stream runs on.)
 */
TEST_F(pcm, playback_sends_only_what_was_written)
{
	static int16_t buf[16 * PERIOD];
	snd_pcm_t *pcm;
	unsigned int i;
	long end;

	ASSERT_EQ(0, session_start(_metadata, self));
	ASSERT_EQ(0, snd_pcm_open(&pcm, self->dev, SND_PCM_STREAM_PLAYBACK,
				  SND_PCM_NONBLOCK));
	ASSERT_EQ(0, pcm_params(pcm, PERIOD, 16, PCM_START_EXPLICIT));
	ASSERT_EQ(0, no_stop_on_underrun(pcm));
	ASSERT_EQ(0, snd_pcm_prepare(pcm));
	for (i = 0; i < 16; i++)
		period_fill(buf + i * PERIOD, i);

	ASSERT_EQ(3 * PERIOD, snd_pcm_writei(pcm, buf, 3 * PERIOD));
	ASSERT_EQ(0, snd_pcm_start(pcm));
	ASSERT_EQ(0, toy_wait(&self->t, &self->t.pcm_count, 3));
	sleep_ms(200);
	EXPECT_EQ(3, toy_get(&self->t, &self->t.pcm_count));

	/* five more written: three fill the window at once */
	ASSERT_EQ(5 * PERIOD, snd_pcm_writei(pcm, buf + 3 * PERIOD,
					     5 * PERIOD));
	ASSERT_EQ(0, toy_wait(&self->t, &self->t.pcm_count, 6));
	sleep_ms(200);
	EXPECT_EQ(6, toy_get(&self->t, &self->t.pcm_count));
	/* all played: the two left go, and nothing after them */
	ASSERT_EQ(0, toy_state(&self->t, 0, PAWLINK_AUDIO_OK,
			       PAWLINK_AUDIO_DIR_PLAYBACK, 6));
	ASSERT_EQ(0, toy_wait(&self->t, &self->t.pcm_count, 8));
	sleep_ms(200);
	EXPECT_EQ(8, toy_get(&self->t, &self->t.pcm_count));

	/* half a period, then drain: it goes padded at the next credit */
	ASSERT_EQ(PERIOD / 2, snd_pcm_writei(pcm, buf + 8 * PERIOD,
					     PERIOD / 2));
	EXPECT_EQ(-EAGAIN, snd_pcm_drain(pcm));
	ASSERT_EQ(0, toy_state(&self->t, 0, PAWLINK_AUDIO_OK,
			       PAWLINK_AUDIO_DIR_PLAYBACK, 8));
	ASSERT_EQ(0, toy_wait(&self->t, &self->t.pcm_count, 9));
	end = now_ms() + WAIT_MS;
	while (snd_pcm_state(pcm) == SND_PCM_STATE_DRAINING && now_ms() < end)
		sleep_ms(POLL_STEP_MS);
	EXPECT_EQ(SND_PCM_STATE_SETUP, snd_pcm_state(pcm));

	pthread_mutex_lock(&self->t.lock);
	for (i = 0; i < 8; i++) {
		EXPECT_EQ(i, self->t.pcm_seq[i]);
		EXPECT_TRUE(period_is(self->t.pcm[i], i)) TH_LOG("period %u", i);
	}
	EXPECT_EQ(8, self->t.pcm_seq[8]);
	/* the half written, then silence */
	EXPECT_EQ(0, memcmp(self->t.pcm[8], buf + 8 * PERIOD, PERIOD));
	for (i = PERIOD / 2; i < PERIOD; i++)
		EXPECT_EQ(0, self->t.pcm[8][i]) TH_LOG("sample %u", i);
	pthread_mutex_unlock(&self->t.lock);
	EXPECT_EQ(9, stat_get(&self->d, "audio_tx_periods"));
	EXPECT_EQ(0, snd_pcm_close(pcm));
}

/*
 * The toy stopped its microphone by itself (its LED went off) and says so
 * in a STATE: the capture stream ends as when the session does, and the
 * playback stream the STATE still lists runs on.
 */
TEST_F(pcm, toy_stops_its_microphone)
{
	static int16_t buf[4 * PERIOD];
	snd_pcm_t *cap, *play;

	ASSERT_EQ(0, session_start(_metadata, self));
	ASSERT_EQ(0, snd_pcm_open(&cap, self->dev, SND_PCM_STREAM_CAPTURE,
				  SND_PCM_NONBLOCK));
	ASSERT_EQ(0, snd_pcm_open(&play, self->dev, SND_PCM_STREAM_PLAYBACK,
				  SND_PCM_NONBLOCK));
	ASSERT_EQ(0, pcm_params(cap, PERIOD, 8, PCM_START_EXPLICIT));
	ASSERT_EQ(0, pcm_params(play, PERIOD, 8, PCM_START_EXPLICIT));
	ASSERT_EQ(0, snd_pcm_prepare(cap));
	ASSERT_EQ(0, snd_pcm_prepare(play));
	ASSERT_EQ(0, snd_pcm_start(cap));
	ASSERT_EQ(0, toy_pcm(&self->t, 0, 0, buf));
	ASSERT_EQ(0, read_now(cap, buf, PERIOD));

	ASSERT_EQ(0, toy_state(&self->t, 0, PAWLINK_AUDIO_OK,
			       PAWLINK_AUDIO_DIR_PLAYBACK, 0));
	EXPECT_EQ(SND_PCM_STATE_DISCONNECTED, snd_pcm_state(cap));
	EXPECT_EQ(-EBADFD, snd_pcm_readi(cap, buf, PERIOD));
	EXPECT_EQ(SND_PCM_STATE_PREPARED, snd_pcm_state(play));
	ASSERT_EQ(4 * PERIOD, snd_pcm_writei(play, buf, 4 * PERIOD));
	ASSERT_EQ(0, snd_pcm_start(play));
	EXPECT_EQ(0, toy_wait(&self->t, &self->t.pcm_count, 4));
	snd_pcm_close(cap);
	EXPECT_EQ(0, snd_pcm_close(play));
}

/* ---- the session ends mid-stream ---------------------------------------- */

struct blocked {
	snd_pcm_t *pcm;
	bool playback;
	volatile bool done;
	snd_pcm_sframes_t ret;
};

/* A blocking readi or writei that runs until the stream fails. */
static void *blocked_io(void *arg)
{
	static int16_t buf[8 * PERIOD];
	struct blocked *b = arg;

	do {
		b->ret = b->playback ? snd_pcm_writei(b->pcm, buf, 8 * PERIOD) :
				       snd_pcm_readi(b->pcm, buf, PERIOD);
	} while (b->ret > 0);
	b->done = true;
	return NULL;
}

/* Joins @b's thread within WAIT_MS; false if it hangs. */
static bool blocked_join(pthread_t th, struct blocked *b)
{
	long end = now_ms() + WAIT_MS;

	while (!b->done && now_ms() < end)
		sleep_ms(POLL_STEP_MS);
	if (!b->done)
		return false;
	pthread_join(th, NULL);
	return true;
}

enum ending { END_DISCONNECT, END_LINK_LOST, END_UNPLUG };

/* Ends the session the way @how says, while @b's I/O is blocked. */
static void session_end(struct __test_metadata *_metadata,
			FIXTURE_DATA(pcm) *self, enum ending how)
{
	struct {
		struct pawlink_rec_hdr hdr;
		struct pawlink_event ev;
	} lost = {
		.hdr = {
			.version = PAWLINK_REC_VERSION,
			.channel = PAWLINK_CH_EVENT,
			.len = sizeof(struct pawlink_event),
			/*
			 * The loopback numbers its events from 1, and sent
			 * one (connected): this is its second, and so its own
			 * second (idle, at DISCONNECT) is dropped as old and
			 * the third (connected again) is taken.
			 */
			.counter = 2,
		},
		.ev = {
			.type = PAWLINK_EVENT_LINK,
			.link = { .state = PAWLINK_LINK_LOST },
		},
	};
	static struct pawlink_test_inject in;

	switch (how) {
	case END_DISCONNECT:
		ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_DISCONNECT, 0));
		break;
	case END_LINK_LOST:
		memset(&in, 0, sizeof(in));
		in.ep = PAWLINK_EP_CTRL_IN;
		in.len = sizeof(lost);
		memcpy(in.rec, &lost, sizeof(lost));
		ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_TEST_INJECT, &in));
		break;
	case END_UNPLUG:
		self->t.stop = true;
		pthread_join(self->t.thread, NULL);
		self->t.running = false;
		ASSERT_EQ(0, dongle_stop(&self->d));
		break;
	}
}

/*
 * One direction blocked in I/O when the session ends: the call fails
 * (EBADFD once the stream is DISCONNECTED, ENODEV once the card is gone),
 * nothing hangs, prepare fails too, and (but after an unplug) a new
 * session opens and streams again.
 */
static void ends_mid_stream(struct __test_metadata *_metadata,
			    FIXTURE_DATA(pcm) *self, bool playback,
			    enum ending how)
{
	static int16_t buf[16 * PERIOD];
	snd_pcm_stream_t dir = playback ? SND_PCM_STREAM_PLAYBACK :
					  SND_PCM_STREAM_CAPTURE;
	struct blocked b = { 0 };
	pthread_t th;
	uint32_t seq;

	ASSERT_EQ(0, session_start(_metadata, self));
	ASSERT_EQ(0, snd_pcm_open(&b.pcm, self->dev, dir, 0));
	ASSERT_EQ(0, pcm_params(b.pcm, PERIOD, 16, PCM_START_EXPLICIT));
	ASSERT_EQ(0, snd_pcm_prepare(b.pcm));
	if (playback)
		ASSERT_EQ(16 * PERIOD, snd_pcm_writei(b.pcm, buf, 16 * PERIOD));
	ASSERT_EQ(0, snd_pcm_start(b.pcm));
	b.playback = playback;
	for (seq = 0; !playback && seq < 4; seq++)
		ASSERT_EQ(0, toy_pcm(&self->t, seq, 0, buf));
	ASSERT_EQ(0, pthread_create(&th, NULL, blocked_io, &b));
	sleep_ms(300);
	EXPECT_FALSE(b.done);

	session_end(_metadata, self, how);
	ASSERT_TRUE(blocked_join(th, &b)) TH_LOG("the %s did not return",
						 playback ? "write" : "read");
	if (how == END_UNPLUG) {
		EXPECT_TRUE(b.ret == -ENODEV || b.ret == -EBADFD)
			TH_LOG("%s", snd_strerror(b.ret));
	} else {
		EXPECT_EQ(-EBADFD, b.ret) TH_LOG("%s", snd_strerror(b.ret));
	}
	EXPECT_GT(0, snd_pcm_prepare(b.pcm));
	/* its hw_free fails on a dead stream, but the file closes */
	snd_pcm_close(b.pcm);
	if (how == END_UNPLUG)
		return;

	/* the next session streams again */
	ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_DISCONNECT, 0));
	ASSERT_EQ(0, session_start(_metadata, self));
	self->t.counter = 1;
	ASSERT_EQ(0, snd_pcm_open(&b.pcm, self->dev, dir, SND_PCM_NONBLOCK));
	ASSERT_EQ(0, pcm_params(b.pcm, PERIOD, 16, PCM_START_EXPLICIT));
	ASSERT_EQ(0, snd_pcm_prepare(b.pcm));
	if (playback) {
		unsigned int before = toy_get(&self->t, &self->t.pcm_count);

		ASSERT_EQ(16 * PERIOD, snd_pcm_writei(b.pcm, buf, 16 * PERIOD));
		ASSERT_EQ(0, snd_pcm_start(b.pcm));
		EXPECT_EQ(0, toy_wait(&self->t, &self->t.pcm_count,
				      before + 6));
	} else {
		ASSERT_EQ(0, snd_pcm_start(b.pcm));
		ASSERT_EQ(0, toy_pcm(&self->t, 0, 0, buf));
		EXPECT_EQ(0, read_now(b.pcm, buf, PERIOD));
	}
	EXPECT_EQ(0, snd_pcm_close(b.pcm));
}

TEST_F(pcm, capture_disconnect)
{
	ends_mid_stream(_metadata, self, false, END_DISCONNECT);
}

TEST_F(pcm, playback_disconnect)
{
	ends_mid_stream(_metadata, self, true, END_DISCONNECT);
}

TEST_F(pcm, capture_link_lost)
{
	ends_mid_stream(_metadata, self, false, END_LINK_LOST);
}

TEST_F(pcm, playback_link_lost)
{
	ends_mid_stream(_metadata, self, true, END_LINK_LOST);
}

TEST_F(pcm, capture_unplug)
{
	ends_mid_stream(_metadata, self, false, END_UNPLUG);
}

TEST_F(pcm, playback_unplug)
{
	ends_mid_stream(_metadata, self, true, END_UNPLUG);
}

/* ---- system suspend ----------------------------------------------------- */

/* Writes @value to @path; 0 or -errno. */
static int sys_write(const char *path, const char *value)
{
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, value, strlen(value));
	if (n < 0)
		n = -errno;
	close(fd);
	return n < 0 ? (int)n : 0;
}

/*
 * A system suspend while capturing: every device is suspended and resumed
 * (pm_test "devices": the platform never sleeps, which QEMU could not
 * wake).  If the dongle kept its state, the program's read fails with
 * ESTRPIPE, the driver stopped the stream (a record before the recovery
 * moves nothing), and snd_pcm_recover() prepares it: it captures, sample
 * for sample, from the next record.  If the resume had to reset the
 * dongle (dummy_hcd always does: "reset high-speed USB device" in dmesg),
 * the session is gone with the dongle's state: EBADFD, no recovery, and
 * a new session captures.  Either way nothing hangs.
 */
TEST_F(pcm, capture_system_suspend)
{
	static int16_t buf[4 * PERIOD], src[PERIOD];
	snd_pcm_t *pcm;
	char keyed[8];
	uint64_t rx;
	uint32_t seq;
	unsigned int i;
	int err;

	if (access("/sys/power/pm_test", W_OK))
		SKIP(return, "no /sys/power/pm_test (CONFIG_PM_DEBUG): system suspend is not testable here");
	ASSERT_EQ(0, session_start(_metadata, self));
	ASSERT_EQ(0, snd_pcm_open(&pcm, self->dev, SND_PCM_STREAM_CAPTURE,
				  SND_PCM_NONBLOCK));
	ASSERT_EQ(0, pcm_params(pcm, PERIOD, 64, PCM_START_EXPLICIT));
	ASSERT_EQ(0, snd_pcm_prepare(pcm));
	ASSERT_EQ(0, snd_pcm_start(pcm));
	for (seq = 0; seq < 4; seq++) {
		period_fill(src, seq);
		ASSERT_EQ(0, toy_pcm(&self->t, seq, 0, src));
	}
	ASSERT_EQ(0, read_now(pcm, buf, 4 * PERIOD));

	/* The default wait in the middle is 5 s; 1 is enough. */
	sys_write("/sys/module/suspend/parameters/pm_test_delay", "1");
	ASSERT_EQ(0, sys_write("/sys/power/pm_test", "devices"));
	err = sys_write("/sys/power/state", "freeze");
	EXPECT_EQ(0, sys_write("/sys/power/pm_test", "none"));
	ASSERT_EQ(0, err);

	ASSERT_EQ(0, intf_attr(&self->d, "keyed", keyed, sizeof(keyed)));
	if (strcmp(keyed, "1")) {
		TH_LOG("the resume reset the dongle: its session is gone");
		EXPECT_EQ(SND_PCM_STATE_DISCONNECTED, snd_pcm_state(pcm));
		EXPECT_EQ(-EBADFD, snd_pcm_readi(pcm, buf, PERIOD));
		EXPECT_GT(0, snd_pcm_recover(pcm, -EBADFD, 1));
		snd_pcm_close(pcm);

		ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_DISCONNECT, 0));
		ASSERT_EQ(0, session_start(_metadata, self));
		self->t.counter = 1;
		ASSERT_EQ(0, snd_pcm_open(&pcm, self->dev,
					  SND_PCM_STREAM_CAPTURE,
					  SND_PCM_NONBLOCK));
		ASSERT_EQ(0, pcm_params(pcm, PERIOD, 64, PCM_START_EXPLICIT));
		ASSERT_EQ(0, snd_pcm_prepare(pcm));
	} else {
		TH_LOG("the dongle kept its state through the resume");
		EXPECT_EQ(SND_PCM_STATE_SUSPENDED, snd_pcm_state(pcm));
		rx = stat_get(&self->d, "audio_rx_periods");
		period_fill(src, 4);
		ASSERT_EQ(0, toy_pcm(&self->t, 4, 0, src));
		EXPECT_EQ(rx, stat_get(&self->d, "audio_rx_periods"));
		EXPECT_EQ(-ESTRPIPE, snd_pcm_readi(pcm, buf, PERIOD));
		ASSERT_EQ(0, snd_pcm_recover(pcm, -ESTRPIPE, 1));
		EXPECT_EQ(SND_PCM_STATE_PREPARED, snd_pcm_state(pcm));
	}

	ASSERT_EQ(0, snd_pcm_start(pcm));
	for (seq = 10; seq < 14; seq++) {
		period_fill(src, seq);
		ASSERT_EQ(0, toy_pcm(&self->t, seq, 0, src));
	}
	ASSERT_EQ(0, read_now(pcm, buf, 4 * PERIOD));
	for (i = 0; i < 4; i++)
		EXPECT_TRUE(period_is(buf + i * PERIOD, 10 + i)) TH_LOG("period %u", i);
	EXPECT_EQ(0, stat_get(&self->d, "audio_lost_frames"));
	EXPECT_EQ(0, snd_pcm_close(pcm));
}

struct ender {
	FIXTURE_DATA(pcm) *self;
	int err;
};

/* Once the toy has heard a START, PAWLINK_IOC_DISCONNECT. */
static void *end_after_start(void *arg)
{
	struct ender *e = arg;

	e->err = toy_wait(&e->self->t, &e->self->t.starts, 1);
	if (!e->err)
		e->err = ioc(e->self->fd, PAWLINK_IOC_DISCONNECT, 0);
	return NULL;
}

/*
 * An open waiting for the toy's answer (which never comes) wakes with
 * ENOTCONN as soon as the session ends, not at its timeout.
 */
TEST_F(pcm, open_waiting_when_session_ends)
{
	struct ender e = { .self = self };
	snd_pcm_t *pcm;
	pthread_t th;

	ASSERT_EQ(0, session_start(_metadata, self));
	self->t.answer = ANSWER_NONE;
	ASSERT_EQ(0, pthread_create(&th, NULL, end_after_start, &e));
	EXPECT_EQ(-ENOTCONN, snd_pcm_open(&pcm, self->dev,
					  SND_PCM_STREAM_CAPTURE, 0));
	pthread_join(th, NULL);
	EXPECT_EQ(0, e.err);
	/* and no STOP: that session is over */
	sleep_ms(100);
	EXPECT_EQ(0, toy_get(&self->t, &self->t.stops));
}

TEST_HARNESS_MAIN
