/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The load storm.c puts on pawlink.ko while it unplugs, reloads, resets or
 * power-cycles: a duplex stream on one dongle's card (a capture and a
 * playback through alsa-lib at once, each in a thread, as arecord and
 * aplay would), and pawctl moving messages through a second dongle to a
 * second toy (send, get, rm, over and over, in a thread).  Each records
 * how it ended, so the test can hold that against the documented errors.
 */
#ifndef PAWLINK_KTEST_STORM_LOAD_H
#define PAWLINK_KTEST_STORM_LOAD_H

#include <pthread.h>

#include <alsa/asoundlib.h>

#include "common.h"
#include "pawctl_run.h"
#include "pcm_params.h"

#define LOAD_PERIOD	PAWLINK_AUDIO_PERIOD_FRAMES

/* One direction of the duplex stream. */
struct load_stream {
	snd_pcm_t *pcm;
	bool playback;
	pthread_t thread;
	bool running;			/* the thread was started */
	volatile bool stop;		/* end at the next period */
	long frames;			/* moved so far */
	unsigned int xruns;		/* -EPIPE, recovered */
	int err;			/* what ended it (negative), or 0 */
};

/* A 440 Hz square wave, never 0: the playback's periods. */
static inline void load_tone(int16_t *buf, long n)
{
	long k;

	for (k = 0; k < n; k++)
		buf[k] = (int16_t)(k % 36 < 18 ? 6000 : -6000);
}

static inline void *load_stream_main(void *arg)
{
	struct load_stream *s = arg;
	int16_t buf[4 * LOAD_PERIOD];
	snd_pcm_sframes_t n;

	load_tone(buf, 4 * LOAD_PERIOD);
	while (!s->stop) {
		n = s->playback ? snd_pcm_writei(s->pcm, buf, LOAD_PERIOD) :
				  snd_pcm_readi(s->pcm, buf, LOAD_PERIOD);
		if (n == -EPIPE) {
			/* TCG starved the program: ALSA's to report */
			__atomic_add_fetch(&s->xruns, 1, __ATOMIC_RELAXED);
			n = snd_pcm_prepare(s->pcm);
			if (n < 0) {
				s->err = (int)n;
				break;
			}
			continue;
		}
		if (n < 0) {
			s->err = (int)n;
			break;
		}
		__atomic_add_fetch(&s->frames, n, __ATOMIC_RELAXED);
	}
	return NULL;
}

/*
 * Opens @dev's capture or playback with a ring of @periods periods and
 * starts its thread; playback starts once its ring is full, as aplay's.
 * 0 or a negative alsa error.
 */
static inline int load_stream_start(struct load_stream *s, const char *dev,
				    bool playback, unsigned int periods)
{
	int err;

	memset(s, 0, sizeof(*s));
	s->playback = playback;
	err = snd_pcm_open(&s->pcm, dev, playback ? SND_PCM_STREAM_PLAYBACK :
						    SND_PCM_STREAM_CAPTURE, 0);
	if (err)
		return err;
	err = pcm_params(s->pcm, LOAD_PERIOD, periods,
			 playback ? LOAD_PERIOD * periods : 1);
	if (!err)
		err = -pthread_create(&s->thread, NULL, load_stream_main, s);
	if (err) {
		snd_pcm_close(s->pcm);
		s->pcm = NULL;
		return err;
	}
	s->running = true;
	return 0;
}

/*
 * Waits up to @ms for the thread to end by itself (an error ended the
 * stream); true if it did, and then it is joined.
 */
static inline bool load_stream_ended(struct load_stream *s, long ms)
{
	long end = now_ms() + ms;

	if (!s->running)
		return true;
	while (pthread_tryjoin_np(s->thread, NULL)) {
		if (now_ms() > end)
			return false;
		sleep_ms(POLL_STEP_MS);
	}
	s->running = false;
	return true;
}

/*
 * Ends the stream: asks the thread to stop, drops the stream so that a
 * blocked read or write returns, joins it and closes the PCM.
 */
static inline void load_stream_close(struct load_stream *s)
{
	if (s->running) {
		s->stop = true;
		if (!load_stream_ended(s, 200)) {
			snd_pcm_drop(s->pcm);
			pthread_join(s->thread, NULL);
			s->running = false;
		}
	}
	if (s->pcm)
		snd_pcm_close(s->pcm);
	s->pcm = NULL;
}

/* Frames moved so far (read by the test while the thread runs). */
static inline long load_frames(const struct load_stream *s)
{
	return __atomic_load_n(&s->frames, __ATOMIC_RELAXED);
}

/* pawctl moving messages to a toy through a dongle, in a thread. */
struct mover {
	char store[96];
	char device[64];		/* /dev/pawlinkN of its dongle */
	const char *toy;		/* the toy's name */
	char wav[128], out[128];	/* what it sends, where get writes */
	pthread_t thread;
	bool running;
	volatile bool stop;		/* end after the current message */
	volatile bool pause;		/* hold between messages */
	volatile bool idle;		/* holding: no pawctl runs */
	unsigned long moved;		/* messages sent, fetched and removed */
	unsigned long failed;		/* pawctl runs that did not exit 0 */
	char last_err[256];		/* the last failure's stderr */
	struct run r;
};

/* pawctl --device DEV ARGS... for the mover; its exit status. */
static inline int mover_pawctl(struct mover *m, const char *const args[])
{
	const char *argv[ARGS_MAX], *cmd = args[0];
	int i = 0, status;

	argv[i++] = "--device";
	argv[i++] = m->device;
	while (*args && i < ARGS_MAX - 1) {
		if (cmd[0] == '-')	/* the subcommand after the options */
			cmd = *args;
		argv[i++] = *args++;
	}
	argv[i] = NULL;
	status = pawctl_argv(m->store, &m->r, NULL, argv);
	if (status) {
		m->failed++;
		str_fmt(m->last_err, sizeof(m->last_err), "%s: exit %d: %.200s",
			cmd, status, m->r.err);
	}
	return status;
}

/* One message through: send, get it back by its id, remove it. */
static inline int mover_one(struct mover *m)
{
	char id[64];
	const char *const send[] = { "--json", "send", m->toy, m->wav, NULL };
	const char *const get[] = { "get", m->toy, id, "-o", m->out, NULL };
	const char *const rm[] = { "rm", m->toy, id, NULL };

	if (mover_pawctl(m, send))
		return -1;
	json_text(m->r.out, "message.id", id, sizeof(id));
	if (strlen(id) != 32) {
		m->failed++;
		str_fmt(m->last_err, sizeof(m->last_err), "send: no id in %.200s",
			m->r.out);
		return -1;
	}
	if (mover_pawctl(m, get) || mover_pawctl(m, rm))
		return -1;
	unlink(m->out);
	__atomic_add_fetch(&m->moved, 1, __ATOMIC_RELAXED);
	return 0;
}

static inline void *mover_main(void *arg)
{
	struct mover *m = arg;

	while (!m->stop) {
		if (m->pause) {
			m->idle = true;
			sleep_ms(POLL_STEP_MS);
			continue;
		}
		m->idle = false;
		if (mover_one(m))
			sleep_ms(200);	/* a failure is counted; no busy loop */
	}
	m->idle = true;
	return NULL;
}

static inline int mover_start(struct mover *m)
{
	int err;

	m->stop = m->pause = m->idle = false;
	err = pthread_create(&m->thread, NULL, mover_main, m);
	if (!err)
		m->running = true;
	return -err;
}

/*
 * Holds the mover between messages (@on) and waits, bounded, until no
 * pawctl of it runs; or lets it go on.  0 or -ETIMEDOUT.
 */
static inline int mover_hold(struct mover *m, bool on)
{
	long end = now_ms() + 3 * WAIT_MS;

	m->pause = on;
	if (!on || !m->running)
		return 0;
	while (!m->idle) {
		if (now_ms() > end)
			return -ETIMEDOUT;
		sleep_ms(POLL_STEP_MS);
	}
	return 0;
}

static inline void mover_stop(struct mover *m)
{
	if (!m->running)
		return;
	m->stop = true;
	pthread_join(m->thread, NULL);
	m->running = false;
}

static inline unsigned long mover_moved(const struct mover *m)
{
	return __atomic_load_n(&m->moved, __ATOMIC_RELAXED);
}

#endif /* PAWLINK_KTEST_STORM_LOAD_H */
