// SPDX-License-Identifier: GPL-2.0
/*
 * The userspace air path of transport.h: a radio on the simulated air in
 * the dongle's place and libpawlink's record layer in the kernel's.  It
 * keeps the driver's rules (record-layer.rst): plaintext only until keys
 * are installed, then sealed control and audio records only, every drop
 * counted in struct pawlink_stats by reason.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "air_pace.h"
#include "audio_wire.h"
#include "radio.h"
#include "record_layer.h"
#include "transport.h"

/* Frames held for the caller, like the driver's read queue. */
#define CTRL_QUEUE_MAX		64
/* Audio periods held: 2.56 s. */
#define AUDIO_QUEUE_MAX		256
/* A gap in the microphone's numbers up to 1 s becomes silence; more is
 * counted lost but not filled (the stream jumped, it did not stutter). */
#define AUDIO_FILL_MAX		100
/* Playback: periods ahead of the toy's credit, and how long to wait. */
#define PLAY_WINDOW		6
#define PLAY_RETRY_MS		250
#define PLAY_TIMEOUT_MS		2000
/* A made-up signal strength: the air has none (air.rst). */
#define SCAN_RSSI		(-40)

struct ctrl_slot {
	size_t len;
	uint8_t buf[PAWLINK_FRAME_MAX];
};

struct air_transport {
	struct pawlink_transport base;
	struct radio *r;
	bool connected;
	uint8_t toy[PAWLINK_ID_LEN];
	struct pawlink_record_link link;
	struct pawlink_stats st;
	struct air_pace pace;		/* a dongle's short queue */

	struct ctrl_slot ctrl[CTRL_QUEUE_MAX];
	unsigned int ctrl_head, ctrl_n;
	int16_t audio[AUDIO_QUEUE_MAX][PAWLINK_AUDIO_PERIOD_FRAMES];
	unsigned int audio_head, audio_n;
	bool audio_any;
	uint32_t audio_next;		/* the microphone period expected next */
	/*
	 * Playback: the next period's number, the START's request number,
	 * whether the toy answered it, and its credit since (periods played).
	 */
	uint32_t play_seq, play_req;
	bool play_started, play_answered;
	uint32_t play_credit;

	/* While scanning: one beacon per toy. */
	struct pawlink_beacon *scan;
	size_t scan_max, scan_n;
};

static struct air_transport *to_air(struct pawlink_transport *t)
{
	return (struct air_transport *)t;
}

static uint64_t air_now_us(struct pawlink_transport *t)
{
	return radio_now(to_air(t)->r) / 1000;
}

static void queues_clear(struct air_transport *a)
{
	a->ctrl_head = a->ctrl_n = 0;
	a->audio_head = a->audio_n = 0;
	a->audio_any = false;
	a->play_seq = 0;
	a->play_started = false;
	a->play_answered = false;
}

static void note_beacon(struct air_transport *a, const struct air_frame *f)
{
	size_t i;

	if (!a->scan)
		return;
	for (i = 0; i < a->scan_n; i++)
		if (!memcmp(a->scan[i].toy_id, f->payload, PAWLINK_ID_LEN))
			break;
	if (i == a->scan_n) {
		if (a->scan_n == a->scan_max)
			return;
		a->scan_n++;
	}
	memset(&a->scan[i], 0, sizeof(a->scan[i]));
	memcpy(a->scan[i].toy_id, f->payload, PAWLINK_ID_LEN);
	a->scan[i].flags = f->payload[PAWLINK_ID_LEN];
	a->scan[i].rssi = SCAN_RSSI;
}

static void queue_ctrl(struct air_transport *a, const uint8_t *pt, size_t n)
{
	struct ctrl_slot *s;

	if (a->ctrl_n == CTRL_QUEUE_MAX) {
		a->st.rx_dropped_queue_full++;
		return;
	}
	s = &a->ctrl[(a->ctrl_head + a->ctrl_n++) % CTRL_QUEUE_MAX];
	memcpy(s->buf, pt, n);
	s->len = n;
}

static int16_t *audio_slot(struct air_transport *a)
{
	if (a->audio_n == AUDIO_QUEUE_MAX) {
		a->st.rx_dropped_queue_full++;
		return NULL;
	}
	return a->audio[(a->audio_head + a->audio_n++) % AUDIO_QUEUE_MAX];
}

/*
 * A body of the audio channel: a microphone period is queued, a gap in
 * its numbers first as that many periods of silence, so the samples keep
 * their place in time.  STATE (answers, credits) is for a player this
 * path does not have.
 */
static void queue_audio(struct air_transport *a, const uint8_t *pt, size_t n)
{
	struct pawlink_audio_msg m;
	uint32_t gap = 0, i;
	int16_t *dst;

	if (pawlink_audio_msg_decode(&m, pt, n)) {
		a->st.rx_dropped_malformed++;
		return;
	}
	/* Credits count from the answer to our START on. */
	if (a->play_started && m.type == PAWLINK_AUDIO_STATE &&
	    m.seq == a->play_req && m.status == PAWLINK_AUDIO_OK)
		a->play_answered = true;
	if (a->play_answered && m.played > a->play_credit)
		a->play_credit = m.played;
	if (m.type != PAWLINK_AUDIO_PCM)
		return;
	/* Numbers only go up within a start; lower means a new start. */
	if (a->audio_any && m.seq > a->audio_next)
		gap = m.seq - a->audio_next;
	a->audio_any = true;
	a->audio_next = m.seq + 1;
	a->st.audio_lost_frames += gap;
	for (i = 0; i < gap && i < AUDIO_FILL_MAX; i++) {
		dst = audio_slot(a);
		if (dst)
			memset(dst, 0, sizeof(a->audio[0]));
	}
	dst = audio_slot(a);
	if (dst)
		memcpy(dst, m.pcm, sizeof(a->audio[0]));
	sodium_memzero(&m, sizeof(m));
}

/* One record from the toy: open it and queue what it carries. */
static void take_record(struct air_transport *a, const uint8_t *rec,
			size_t len)
{
	uint8_t pt[PAWLINK_FRAME_MAX];
	uint8_t channel;
	size_t n;
	int rc;

	rc = pawlink_record_link_open(&a->link, rec, len, &channel, pt,
				      sizeof(pt), &n);
	switch (rc) {
	case 0:
		break;
	case -EPERM:
		a->st.rx_dropped_plaintext++;
		return;
	case -ESTALE:
		a->st.rx_dropped_replay++;
		return;
	case -EACCES:
		a->st.rx_dropped_auth++;
		return;
	default:
		a->st.rx_dropped_malformed++;
		return;
	}
	a->st.rx_records++;
	if (channel == PAWLINK_CH_AUDIO)
		queue_audio(a, pt, n);
	else
		queue_ctrl(a, pt, n);
	sodium_memzero(pt, sizeof(pt));
}

/*
 * Waits for one frame until air time @deadline_ns and handles it.  0 when
 * a frame came (whatever it was), -ETIMEDOUT, or the radio's error.
 */
static int pump(struct air_transport *a, uint64_t deadline_ns)
{
	struct radio_rx rx;
	int rc;

	rc = radio_recv_until(a->r, &rx, deadline_ns);
	if (rc)
		return rc;
	if (rx.f.type == PAWLINK_AIR_BEACON)
		note_beacon(a, &rx.f);
	else if (a->connected &&
		 !memcmp(rx.f.src, a->toy, PAWLINK_ID_LEN))
		take_record(a, rx.f.payload, rx.f.payload_len);
	/* Data from any other radio is not this link's business. */
	return 0;
}

/* Inside, this transport keeps the air's time: ns. */
static uint64_t deadline_after(struct air_transport *a, int timeout_ms)
{
	return radio_now(a->r) +
	       (timeout_ms > 0 ? (uint64_t)timeout_ms * RADIO_NS_PER_MS : 0);
}

static int air_scan(struct pawlink_transport *t, unsigned int listen_ms,
		    struct pawlink_beacon *out, size_t max, size_t *n)
{
	struct air_transport *a = to_air(t);
	uint64_t deadline = radio_now(a->r) +
			    (uint64_t)listen_ms * RADIO_NS_PER_MS;
	int rc = 0;

	a->scan = out;
	a->scan_max = max;
	a->scan_n = 0;
	while (radio_now(a->r) < deadline) {
		rc = pump(a, deadline);
		if (rc && rc != -ETIMEDOUT)
			break;
		rc = 0;
	}
	*n = a->scan_n;
	a->scan = NULL;
	return rc;
}

static int air_connect(struct pawlink_transport *t,
		       const uint8_t toy_id[PAWLINK_ID_LEN])
{
	struct air_transport *a = to_air(t);

	if (a->link.keyed)
		return -EISCONN;
	if (air_id_is_zero(toy_id) || air_id_is_broadcast(toy_id))
		return -EINVAL;
	memcpy(a->toy, toy_id, PAWLINK_ID_LEN);
	a->connected = true;
	queues_clear(a);
	return 0;
}

static int air_disconnect(struct pawlink_transport *t)
{
	struct air_transport *a = to_air(t);

	pawlink_record_link_wipe(&a->link);
	a->connected = false;
	memset(a->toy, 0, sizeof(a->toy));
	queues_clear(a);
	return 0;
}

static int air_set_keys(struct pawlink_transport *t,
			const struct pawlink_key_install *keys)
{
	struct air_transport *a = to_air(t);
	int rc;

	if (!a->connected)
		return -ENOTCONN;
	rc = pawlink_record_link_install(&a->link, keys, PAWLINK_ROLE_HOST);
	if (rc == 0) {
		a->audio_any = false;
		a->play_started = false;
	}
	return rc;
}

static int send_channel(struct air_transport *a, uint8_t channel,
			const uint8_t *pt, size_t len)
{
	uint8_t rec[PAWLINK_RECORD_MAX];
	size_t rec_len;
	int rc;

	if (!a->connected)
		return -ENOTCONN;
	if (len > PAWLINK_FRAME_MAX)
		return -EMSGSIZE;
	if (a->link.keyed)
		rc = pawlink_record_link_seal(&a->link, channel, pt, len, rec,
					      sizeof(rec), &rec_len);
	else if (channel == PAWLINK_CH_CTRL)
		rc = pawlink_record_write_plain(PAWLINK_CH_PLAIN, pt, len, rec,
						sizeof(rec), &rec_len);
	else
		rc = -ENOTCONN;		/* no audio without a session */
	if (rc)
		return rc;
	/* Wait for room, listening meanwhile, as a dongle's queue would. */
	while (radio_now(a->r) < air_pace_ready(&a->pace)) {
		rc = pump(a, air_pace_ready(&a->pace));
		if (rc && rc != -ETIMEDOUT)
			return rc;
	}
	rc = radio_send_record(a->r, a->toy, rec, rec_len);
	if (rc == 0) {
		air_pace_sent(&a->pace, radio_now(a->r),
			      PAWLINK_AIR_HDR_LEN + rec_len);
		a->st.tx_records++;
	}
	return rc;
}

static int air_send(struct pawlink_transport *t, const uint8_t *frame,
		    size_t len)
{
	return send_channel(to_air(t), PAWLINK_CH_CTRL, frame, len);
}

static int air_recv(struct pawlink_transport *t, uint8_t *frame, size_t cap,
		    size_t *len, int timeout_ms)
{
	struct air_transport *a = to_air(t);
	uint64_t deadline = deadline_after(a, timeout_ms);
	struct ctrl_slot *s;
	int rc;

	for (;;) {
		if (a->ctrl_n) {
			s = &a->ctrl[a->ctrl_head];
			if (cap < s->len)
				return -EMSGSIZE;
			memcpy(frame, s->buf, s->len);
			*len = s->len;
			sodium_memzero(s->buf, s->len);
			a->ctrl_head = (a->ctrl_head + 1) % CTRL_QUEUE_MAX;
			a->ctrl_n--;
			return 0;
		}
		/* Past the deadline this only looks; -ETIMEDOUT if empty. */
		rc = pump(a, deadline);
		if (rc)
			return rc;
	}
}

static int send_audio_msg(struct air_transport *a,
			  const struct pawlink_audio_msg *m)
{
	uint8_t buf[PAWLINK_AUDIO_PCM_LEN];
	int len = pawlink_audio_msg_encode(buf, sizeof(buf), m);

	if (len < 0)
		return len;
	return send_channel(a, PAWLINK_CH_AUDIO, buf, (size_t)len);
}

static int send_start(struct air_transport *a)
{
	struct pawlink_audio_msg req = {
		.type = PAWLINK_AUDIO_START, .dirs = PAWLINK_AUDIO_DIR_PLAYBACK,
		.seq = a->play_req,
	};

	return send_audio_msg(a, &req);
}

/*
 * The toy's speaker, paced by its credits (record-layer.rst, "Audio
 * channel"), as the kernel's ALSA card is: the first period starts
 * playback (START, resent until answered); then period n leaves only
 * while n < played + PLAY_WINDOW, so this blocks, listening, until the
 * toy has room.  -ETIMEDOUT when the toy neither answers nor plays.
 */
static int air_send_audio(struct pawlink_transport *t, const int16_t *pcm)
{
	struct air_transport *a = to_air(t);
	struct pawlink_audio_msg m = { .type = PAWLINK_AUDIO_PCM };
	uint64_t deadline, retry;
	int rc;

	if (!a->link.keyed)
		return -ENOTCONN;
	if (!a->play_started) {
		a->play_req = a->play_req + 1 ? a->play_req + 1 : 1;
		a->play_started = true;
		a->play_answered = false;
		a->play_credit = 0;
		a->play_seq = 0;
		rc = send_start(a);
		if (rc)
			return rc;
	}
	deadline = deadline_after(a, PLAY_TIMEOUT_MS);
	retry = deadline_after(a, PLAY_RETRY_MS);
	while (!a->play_answered ||
	       a->play_seq - a->play_credit >= PLAY_WINDOW) {
		if (radio_now(a->r) >= deadline)
			return -ETIMEDOUT;
		if (!a->play_answered && radio_now(a->r) >= retry) {
			rc = send_start(a);
			if (rc)
				return rc;
			retry = deadline_after(a, PLAY_RETRY_MS);
		}
		rc = pump(a, a->play_answered ? deadline : retry);
		if (rc && rc != -ETIMEDOUT)
			return rc;
	}
	m.seq = a->play_seq++;
	memcpy(m.pcm, pcm, sizeof(m.pcm));
	return send_audio_msg(a, &m);
}

static int air_recv_audio(struct pawlink_transport *t, int16_t *pcm,
			  int timeout_ms)
{
	struct air_transport *a = to_air(t);
	uint64_t deadline = deadline_after(a, timeout_ms);
	int rc;

	for (;;) {
		if (a->audio_n) {
			memcpy(pcm, a->audio[a->audio_head],
			       sizeof(a->audio[0]));
			a->audio_head = (a->audio_head + 1) % AUDIO_QUEUE_MAX;
			a->audio_n--;
			return 0;
		}
		/* Past the deadline this only looks; -ETIMEDOUT if empty. */
		rc = pump(a, deadline);
		if (rc)
			return rc;
	}
}

static int air_get_stats(struct pawlink_transport *t, struct pawlink_stats *st)
{
	*st = to_air(t)->st;
	return 0;
}

static bool air_keyed(struct pawlink_transport *t)
{
	return to_air(t)->link.keyed;
}

static void air_close(struct pawlink_transport *t)
{
	struct air_transport *a = to_air(t);

	radio_close(a->r);
	sodium_memzero(a, sizeof(*a));
	free(a);
}

static const struct pawlink_transport_ops air_ops = {
	.scan = air_scan,
	.connect = air_connect,
	.disconnect = air_disconnect,
	.set_keys = air_set_keys,
	.send = air_send,
	.recv = air_recv,
	.send_audio = air_send_audio,
	.recv_audio = air_recv_audio,
	.get_stats = air_get_stats,
	.now_us = air_now_us,
	.keyed = air_keyed,
	.close = air_close,
};

int pawlink_transport_air_new(struct pawlink_transport **out, struct radio *r)
{
	uint8_t id[PAWLINK_ID_LEN];
	struct air_transport *a;
	struct air_stats as;
	int rc;

	*out = NULL;
	if (!r)
		return -EINVAL;
	if (sodium_init() < 0)
		return -EIO;
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	/* A fresh random id, like a dongle's: not the host's id. */
	do
		randombytes_buf(id, sizeof(id));
	while (air_id_is_zero(id) || air_id_is_broadcast(id));
	rc = radio_set_id(r, id);
	if (rc) {
		free(a);
		return rc;
	}
	/* The air's rate, for pacing; the default air's if it will not say. */
	air_pace_init(&a->pace, radio_air_stats(r, &as) ? 0 : as.rate_bps);
	a->base.ops = &air_ops;
	a->r = r;
	*out = &a->base;
	return 0;
}

int pawlink_transport_air_join(struct pawlink_transport **out,
			       const char *socket_path)
{
	struct radio *r;
	int rc;

	*out = NULL;
	rc = radio_open(socket_path, 0, &r);
	if (rc)
		return rc;
	rc = pawlink_transport_air_new(out, r);
	if (rc)
		radio_close(r);
	return rc;
}
