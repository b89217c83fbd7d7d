/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An in-process toy for the toy and end-to-end tests: the toy firmware
 * core (userspace/sim/toy/) on a second platform, in memory, run by
 * its own thread on an actor radio of the in-process air (sim/air_local.h),
 * and hosts made of libpawlink's façade over the air transport.
 *
 * Virtual time moves only while every actor radio waits, so a test stays
 * deterministic as long as its own thread always holds an actor radio
 * (a host's) that is not waiting while it thinks:
 *
 *  - open the first host before starting the toy;
 *  - to change hosts, open the next one before closing the last one, and
 *    close a host only when it has no session (pawlink_disconnect first);
 *  - stop the toy through the host that is open (toy_sim_stop waits on
 *    it), and close that host afterwards.
 *
 * The toy's core is used under @lock, by its thread and by the test
 * (toy_sim_*() below take it), and sends go out of an outbox after the
 * lock is dropped, so the test never waits on a toy stuck in a send.
 */
#ifndef PAWLINK_TEST_TOY_SIM_H
#define PAWLINK_TEST_TOY_SIM_H

#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "air_local.h"
#include "air_pace.h"
#include "audio_convert.h"
#include "libpawlink.h"
#include "msg_store.h"
#include "radio.h"
#include "setup_code.h"
#include "tmpdir.h"
#include "toy.h"
#include "transport.h"

#define SIM_OUTBOX_MAX		1024
#define SIM_EVENTS_MAX		512

struct sim_send {
	bool beacon;
	uint8_t flags;
	uint8_t dst[PAWLINK_ID_LEN];
	size_t len;
	uint8_t rec[PAWLINK_RECORD_MAX];
};

struct toy_sim {
	struct air_local *air;
	struct radio *radio;
	struct toy *toy;
	pthread_t thread;
	bool running;
	pthread_mutex_t lock;
	bool stop, stopped, crash;

	/* The flash, kept across reboots of the toy. */
	uint8_t blob[TOY_BLOB_COUNT][TOY_BLOB_MAX];
	size_t blob_len[TOY_BLOB_COUNT];
	bool blob_set[TOY_BLOB_COUNT];
	int fail_blob;			/* its saves fail; -1: none */
	/* Saves that still reach the flash; then the power is gone.  -1: all. */
	int saves_left;
	unsigned long saves[TOY_BLOB_COUNT];	/* blob_save calls, each */
	char label[PAWLINK_SETUP_CODE_DISPLAY_SIZE];
	char dir[64];			/* the message store's directory */
	struct pawlink_msg_store *store;

	/* The devices, as the test sees them. */
	bool led;
	unsigned int led_changes;
	uint64_t speaker_samples;
	int64_t speaker_sum;		/* of every sample played */
	int16_t mic_next;		/* the microphone says 0, 1, 2, ... */
	struct pawlink_toy_event events[SIM_EVENTS_MAX];
	size_t n_events;

	uint8_t radio_id[PAWLINK_ID_LEN];
	bool id_pending;
	struct air_pace pace;
	struct sim_send *outbox;
	size_t out_n;
};

/* ---- the platform ------------------------------------------------------- */

static uint64_t sim_now_us(void *ctx)
{
	return radio_now(((struct toy_sim *)ctx)->radio) / 1000;
}

static void sim_random(void *ctx, uint8_t *buf, size_t len)
{
	(void)ctx;
	randombytes_buf(buf, len);
}

static int sim_blob_load(void *ctx, enum toy_blob b, uint8_t *buf,
			 size_t cap, size_t *len)
{
	struct toy_sim *s = ctx;

	if (!s->blob_set[b])
		return -ENOENT;
	*len = s->blob_len[b] < cap ? s->blob_len[b] : cap;
	memcpy(buf, s->blob[b], *len);
	return 0;
}

static int sim_blob_save(void *ctx, enum toy_blob b, const uint8_t *buf,
			 size_t len)
{
	struct toy_sim *s = ctx;

	s->saves[b]++;
	if ((int)b == s->fail_blob || len > TOY_BLOB_MAX || s->saves_left == 0)
		return -EIO;
	if (s->saves_left > 0)
		s->saves_left--;
	memcpy(s->blob[b], buf, len);
	s->blob_len[b] = len;
	s->blob_set[b] = true;
	return 0;
}

static int sim_print_label(void *ctx, const char *code)
{
	struct toy_sim *s = ctx;

	snprintf(s->label, sizeof(s->label), "%s", code);
	return 0;
}

static int sim_radio_set_id(void *ctx, const uint8_t id[PAWLINK_ID_LEN])
{
	struct toy_sim *s = ctx;

	/* Applied by the toy's thread, which may be inside radio_recv(). */
	memcpy(s->radio_id, id, PAWLINK_ID_LEN);
	s->id_pending = true;
	return 0;
}

static struct sim_send *sim_outbox_slot(struct toy_sim *s)
{
	return s->out_n < SIM_OUTBOX_MAX ? &s->outbox[s->out_n++] : NULL;
}

static int sim_radio_send(void *ctx, const uint8_t dst[PAWLINK_ID_LEN],
			  const uint8_t *rec, size_t len)
{
	struct sim_send *o = sim_outbox_slot(ctx);

	if (!o)
		return -ENOBUFS;
	o->beacon = false;
	memcpy(o->dst, dst, PAWLINK_ID_LEN);
	memcpy(o->rec, rec, len);
	o->len = len;
	air_pace_sent(&((struct toy_sim *)ctx)->pace,
		      radio_now(((struct toy_sim *)ctx)->radio),
		      PAWLINK_AIR_HDR_LEN + len);
	return 0;
}

static uint64_t sim_radio_ready_us(void *ctx)
{
	return (air_pace_ready(&((struct toy_sim *)ctx)->pace) + 999) / 1000;
}

static int sim_radio_beacon(void *ctx, uint8_t flags)
{
	struct sim_send *o = sim_outbox_slot(ctx);

	if (!o)
		return -ENOBUFS;
	o->beacon = true;
	o->flags = flags;
	air_pace_sent(&((struct toy_sim *)ctx)->pace,
		      radio_now(((struct toy_sim *)ctx)->radio),
		      PAWLINK_AIR_HDR_LEN + PAWLINK_AIR_BEACON_LEN);
	return 0;
}

static void sim_speaker(void *ctx, const int16_t *pcm, size_t frames)
{
	struct toy_sim *s = ctx;
	size_t i;

	s->speaker_samples += frames;
	for (i = 0; i < frames; i++)
		s->speaker_sum += pcm[i];
}

static void sim_mic(void *ctx, int16_t *pcm, size_t frames)
{
	struct toy_sim *s = ctx;
	size_t i;

	for (i = 0; i < frames; i++)
		pcm[i] = s->mic_next++;
}

static void sim_led(void *ctx, bool on)
{
	struct toy_sim *s = ctx;

	if (s->led != on)
		s->led_changes++;
	s->led = on;
}

static void sim_event(void *ctx, const struct pawlink_toy_event *ev)
{
	struct toy_sim *s = ctx;

	if (s->n_events < SIM_EVENTS_MAX)
		s->events[s->n_events++] = *ev;
}

static struct pawlink_msg_store *sim_messages(void *ctx)
{
	return ((struct toy_sim *)ctx)->store;
}

/* Removes every file in @dir (not the directory). */
static void sim_rm_store_files(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			unlinkat(dirfd(d), de->d_name, 0);
	closedir(d);
}

static int sim_open_store(struct toy_sim *s)
{
	char err[256];

	return pawlink_msg_store_open_sealed(&s->store, s->dir, NULL, err,
					     sizeof(err));
}

static int sim_erase_messages(void *ctx)
{
	struct toy_sim *s = ctx;

	pawlink_msg_store_close(s->store);
	s->store = NULL;
	sim_rm_store_files(s->dir);
	return sim_open_store(s);
}

static const struct toy_platform sim_platform_ops = {
	.now_us = sim_now_us,
	.random = sim_random,
	.blob_load = sim_blob_load,
	.blob_save = sim_blob_save,
	.print_label = sim_print_label,
	.radio_set_id = sim_radio_set_id,
	.radio_send = sim_radio_send,
	.radio_beacon = sim_radio_beacon,
	.radio_ready_us = sim_radio_ready_us,
	.speaker = sim_speaker,
	.mic = sim_mic,
	.decoder_open = pawlink_audio_message_open,
	.decoder_read = pawlink_audio_message_read,
	.decoder_close = pawlink_audio_message_close,
	.led = sim_led,
	.event = sim_event,
	.messages = sim_messages,
	.erase_messages = sim_erase_messages,
};

/* ---- the toy's thread --------------------------------------------------- */

/* Sends what the core queued; the lock is not held. */
static void sim_flush(struct toy_sim *s, struct sim_send *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (out[i].beacon)
			radio_send_beacon(s->radio, out[i].flags);
		else
			radio_send_record(s->radio, out[i].dst, out[i].rec,
					  out[i].len);
	}
}

/* Takes the outbox (lock held) so it can be sent after unlocking. */
static size_t sim_take_outbox(struct toy_sim *s, struct sim_send *to)
{
	size_t n = s->out_n;

	memcpy(to, s->outbox, n * sizeof(*to));
	s->out_n = 0;
	return n;
}

static void *sim_thread(void *arg)
{
	struct toy_sim *s = arg;
	struct sim_send *out = calloc(SIM_OUTBOX_MAX, sizeof(*out));
	struct radio_rx *rx = calloc(1, sizeof(*rx));
	uint64_t now, deadline, wait_ms;
	size_t n;
	int rc;

	if (!out || !rx)
		abort();
	for (;;) {
		pthread_mutex_lock(&s->lock);
		if (s->id_pending) {
			radio_set_id(s->radio, s->radio_id);
			s->id_pending = false;
		}
		if (s->stop) {
			pthread_mutex_unlock(&s->lock);
			break;
		}
		toy_run(s->toy);
		now = radio_now(s->radio) / 1000;
		deadline = toy_deadline(s->toy);
		n = sim_take_outbox(s, out);
		pthread_mutex_unlock(&s->lock);
		sim_flush(s, out, n);

		wait_ms = deadline > now ? (deadline - now + 999) / 1000 : 1;
		if (wait_ms > 60000)
			wait_ms = 60000;
		rc = radio_recv(s->radio, rx, (int)wait_ms);
		if (rc == 0 && rx->f.type == PAWLINK_AIR_DATA) {
			pthread_mutex_lock(&s->lock);
			toy_receive(s->toy, rx->f.src, rx->f.payload,
				    rx->f.payload_len);
			pthread_mutex_unlock(&s->lock);
		} else if (rc && rc != -ETIMEDOUT) {
			break;
		}
	}
	/*
	 * The core goes with the thread, and the radio with it, so that its
	 * actor slot no longer holds virtual time back.
	 */
	pthread_mutex_lock(&s->lock);
	if (s->crash)
		toy_drop(s->toy);
	else
		toy_free(s->toy);
	s->toy = NULL;
	radio_close(s->radio);
	s->radio = NULL;
	s->stopped = true;
	pthread_mutex_unlock(&s->lock);
	free(out);
	free(rx);
	return NULL;
}

/* ---- what tests call ---------------------------------------------------- */

/* Sets up the flash and the store directory; the toy is not running. */
static inline int toy_sim_init(struct toy_sim *s, struct air_local *air)
{
	memset(s, 0, sizeof(*s));
	s->air = air;
	s->fail_blob = -1;
	s->saves_left = -1;
	/* tmpfs when there is one: the store fsyncs at every checkpoint. */
	if (test_tmpdir(s->dir, sizeof(s->dir), "toy", TEST_TMP_FAST))
		return -EIO;
	s->outbox = calloc(SIM_OUTBOX_MAX, sizeof(*s->outbox));
	if (!s->outbox)
		return -ENOMEM;
	return pthread_mutex_init(&s->lock, NULL) ? -ENOMEM : 0;
}

/* Boots the toy from its flash and starts its thread. */
static inline int toy_sim_start(struct toy_sim *s)
{
	struct toy_platform pf = sim_platform_ops;
	int rc;

	pf.ctx = s;
	{
		struct air_stats as;

		air_local_stats(s->air, &as);
		air_pace_init(&s->pace, as.rate_bps);
	}
	rc = sim_open_store(s);
	if (rc)
		return rc;
	rc = radio_open_local(s->air, RADIO_ACTOR, &s->radio);
	if (rc)
		goto err_store;
	s->stop = s->stopped = false;
	s->out_n = 0;
	rc = toy_boot(&s->toy, &pf);
	if (rc)
		goto err_radio;
	radio_set_id(s->radio, s->radio_id);
	s->id_pending = false;
	rc = pthread_create(&s->thread, NULL, sim_thread, s);
	if (rc) {
		toy_free(s->toy);
		s->toy = NULL;
		rc = -rc;
		goto err_radio;
	}
	s->running = true;
	return 0;

err_radio:
	radio_close(s->radio);
	s->radio = NULL;
err_store:
	pawlink_msg_store_close(s->store);
	s->store = NULL;
	return rc;
}

/*
 * Stops the toy's thread, moving time by waiting on @host's transport
 * (frames that arrive meanwhile are dropped), then frees the core.
 * @crash: as if the power went (nothing written on the way out).
 */
static inline void toy_sim_stop(struct toy_sim *s,
				struct pawlink_transport *host, bool crash)
{
	uint8_t buf[PAWLINK_FRAME_MAX];
	bool stopped = false;
	size_t len;

	if (!s->running)
		return;
	pthread_mutex_lock(&s->lock);
	s->stop = true;
	s->crash = crash;
	pthread_mutex_unlock(&s->lock);
	for (;;) {
		pthread_mutex_lock(&s->lock);
		stopped = s->stopped;
		pthread_mutex_unlock(&s->lock);
		if (stopped)
			break;
		if (host)
			host->ops->recv(host, buf, sizeof(buf), &len, 10);
	}
	pthread_join(s->thread, NULL);
	s->running = false;
	pawlink_msg_store_close(s->store);
	s->store = NULL;
}

static inline void toy_sim_done(struct toy_sim *s)
{
	test_rm_tree(s->dir);
	free(s->outbox);
	pthread_mutex_destroy(&s->lock);
	sodium_memzero(s->blob, sizeof(s->blob));
}

static inline int toy_sim_press(struct toy_sim *s)
{
	int rc;

	pthread_mutex_lock(&s->lock);
	rc = toy_press_button(s->toy);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

static inline int toy_sim_factory_reset(struct toy_sim *s)
{
	int rc;

	pthread_mutex_lock(&s->lock);
	rc = toy_factory_reset(s->toy);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

static inline void toy_sim_id(struct toy_sim *s, uint8_t id[PAWLINK_ID_LEN])
{
	pthread_mutex_lock(&s->lock);
	toy_get_id(s->toy, id);
	pthread_mutex_unlock(&s->lock);
}

static inline void toy_sim_status(struct toy_sim *s,
				  struct pawlink_toy_status_info *st)
{
	pthread_mutex_lock(&s->lock);
	toy_get_status(s->toy, st);
	pthread_mutex_unlock(&s->lock);
}

/*
 * Where the toy is on the air now: its identity id, or the private id a
 * paired toy uses outside a pairing window (beacon_id.h).
 */
static inline void toy_sim_address(struct toy_sim *s,
				   uint8_t id[PAWLINK_ID_LEN])
{
	pthread_mutex_lock(&s->lock);
	memcpy(id, s->radio_id, PAWLINK_ID_LEN);
	pthread_mutex_unlock(&s->lock);
}

/* How many logged events of @event the toy's platform saw. */
static inline size_t toy_sim_count_events(struct toy_sim *s, uint8_t event)
{
	size_t i, n = 0;

	pthread_mutex_lock(&s->lock);
	for (i = 0; i < s->n_events; i++)
		n += s->events[i].event == event;
	pthread_mutex_unlock(&s->lock);
	return n;
}

/* The time of the last @event the toy reported (0 if none). */
static inline uint64_t toy_sim_last_event_ms(struct toy_sim *s, uint8_t event)
{
	uint64_t ms = 0;
	size_t i;

	pthread_mutex_lock(&s->lock);
	for (i = 0; i < s->n_events; i++)
		if (s->events[i].event == event)
			ms = s->events[i].time_ms;
	pthread_mutex_unlock(&s->lock);
	return ms;
}

/* How many times the toy saved blob @b (flash writes). */
static inline unsigned long toy_sim_saves(struct toy_sim *s, enum toy_blob b)
{
	unsigned long n;

	pthread_mutex_lock(&s->lock);
	n = s->saves[b];
	pthread_mutex_unlock(&s->lock);
	return n;
}

/* ---- hosts ------------------------------------------------------------- */

struct test_host {
	char dir[64];			/* its key store */
	struct pawlink_transport *t;
	struct pawlink *p;
};

/* A new host with a new key store, on an actor radio of @air. */
static inline int test_host_open(struct test_host *h, struct air_local *air)
{
	struct radio *r;
	char err[256];
	int rc;

	memset(h, 0, sizeof(*h));
	rc = test_tmpdir(h->dir, sizeof(h->dir), "host", TEST_TMP_DISK);
	if (rc)
		return rc;
	rc = radio_open_local(air, RADIO_ACTOR, &r);
	if (rc)
		return rc;
	rc = pawlink_transport_air_new(&h->t, r);
	if (rc) {
		radio_close(r);
		return rc;
	}
	rc = pawlink_open_transport(&h->p, h->t, h->dir, err, sizeof(err));
	if (rc)
		fprintf(stderr, "host: %s\n", err);
	return rc;
}

/* Closes the host; with a session open this waits on the air (BYE). */
static inline void test_host_close(struct test_host *h)
{
	pawlink_close(h->p);
	pawlink_transport_close(h->t);
	h->p = NULL;
	h->t = NULL;
	test_rm_tree(h->dir);
}

/* Lets @ms of virtual time pass on @h's radio, dropping what comes. */
static inline void test_host_idle(struct test_host *h, unsigned int ms)
{
	uint64_t end = h->t->ops->now_us(h->t) + ms * 1000ULL, now;
	uint8_t buf[PAWLINK_FRAME_MAX];
	size_t len;

	while ((now = h->t->ops->now_us(h->t)) < end)
		h->t->ops->recv(h->t, buf, sizeof(buf), &len,
				(int)((end - now + 999) / 1000));
}

/* Pairs @h with the toy, pressing its button first. */
static inline int test_host_pair(struct test_host *h, struct toy_sim *s)
{
	uint8_t id[PAWLINK_ID_LEN];
	char code[PAWLINK_SETUP_CODE_DISPLAY_SIZE];

	toy_sim_id(s, id);
	pthread_mutex_lock(&s->lock);
	memcpy(code, s->label, sizeof(code));
	pthread_mutex_unlock(&s->lock);
	if (toy_sim_press(s))
		return -EPERM;
	return pawlink_pair(h->p, id, code, "bear");
}

#endif /* PAWLINK_TEST_TOY_SIM_H */
