// SPDX-License-Identifier: GPL-2.0
/*
 * The userspace air path of transport.h: a radio on the simulated air in
 * the dongle's place and libpawlink's record layer in the kernel's
 * (host_records.h keeps the driver's rules), and playback paced by the
 * toy's credits.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "air_pace.h"
#include "audio_wire.h"
#include "radio.h"
#include "host_records.h"
#include "transport.h"

/* Playback: periods ahead of the toy's credit, and how long to wait. */
#define PLAY_WINDOW		6
#define PLAY_RETRY_MS		250
#define PLAY_TIMEOUT_MS		2000
/* A made-up signal strength: the air has none (air.rst). */
#define SCAN_RSSI		(-40)

struct air_transport {
	struct pawlink_transport base;
	struct radio *r;
	bool connected;
	uint8_t toy[PAWLINK_ID_LEN];
	struct host_records h;		/* keys, queues, counters */
	struct air_pace pace;		/* a dongle's short queue */

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
		host_records_take(&a->h, rx.f.payload, rx.f.payload_len);
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

	if (a->h.link.keyed)
		return -EISCONN;
	if (air_id_is_zero(toy_id) || air_id_is_broadcast(toy_id))
		return -EINVAL;
	memcpy(a->toy, toy_id, PAWLINK_ID_LEN);
	a->connected = true;
	host_records_clear(&a->h);
	return 0;
}

static int air_disconnect(struct pawlink_transport *t)
{
	struct air_transport *a = to_air(t);

	host_records_wipe(&a->h);
	a->connected = false;
	memset(a->toy, 0, sizeof(a->toy));
	return 0;
}

static int air_set_keys(struct pawlink_transport *t,
			const struct pawlink_key_install *keys)
{
	struct air_transport *a = to_air(t);

	if (!a->connected)
		return -ENOTCONN;
	return host_records_install(&a->h, keys);
}

static int send_channel(struct air_transport *a, uint8_t channel,
			const uint8_t *pt, size_t len)
{
	uint8_t rec[PAWLINK_RECORD_MAX];
	size_t rec_len;
	int rc;

	if (!a->connected)
		return -ENOTCONN;
	rc = host_records_seal(&a->h, channel, pt, len, rec, &rec_len);
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
		a->h.st.tx_records++;
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
	int rc;

	for (;;) {
		rc = host_records_pop_ctrl(&a->h, frame, cap, len);
		if (rc)
			return rc < 0 ? rc : 0;
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
		.seq = a->h.play_req,
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

	if (!a->h.link.keyed)
		return -ENOTCONN;
	if (!a->h.play_started) {
		a->h.play_req = a->h.play_req + 1 ? a->h.play_req + 1 : 1;
		a->h.play_started = true;
		a->h.play_answered = false;
		a->h.play_credit = 0;
		a->h.play_seq = 0;
		rc = send_start(a);
		if (rc)
			return rc;
	}
	deadline = deadline_after(a, PLAY_TIMEOUT_MS);
	retry = deadline_after(a, PLAY_RETRY_MS);
	while (!a->h.play_answered ||
	       a->h.play_seq - a->h.play_credit >= PLAY_WINDOW) {
		if (radio_now(a->r) >= deadline)
			return -ETIMEDOUT;
		if (!a->h.play_answered && radio_now(a->r) >= retry) {
			rc = send_start(a);
			if (rc)
				return rc;
			retry = deadline_after(a, PLAY_RETRY_MS);
		}
		rc = pump(a, a->h.play_answered ? deadline : retry);
		if (rc && rc != -ETIMEDOUT)
			return rc;
	}
	m.seq = a->h.play_seq++;
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
		if (host_records_pop_audio(&a->h, pcm))
			return 0;
		/* Past the deadline this only looks; -ETIMEDOUT if empty. */
		rc = pump(a, deadline);
		if (rc)
			return rc;
	}
}

static int air_get_stats(struct pawlink_transport *t, struct pawlink_stats *st)
{
	*st = to_air(t)->h.st;
	return 0;
}

static bool air_keyed(struct pawlink_transport *t)
{
	return to_air(t)->h.link.keyed;
}

static void air_close(struct pawlink_transport *t)
{
	struct air_transport *a = to_air(t);

	radio_close(a->r);
	sodium_memzero(a, sizeof(*a));
	free(a);
}

static const struct pawlink_transport_ops air_ops = {
	.kind = "air",
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
