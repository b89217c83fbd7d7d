// SPDX-License-Identifier: GPL-2.0
/*
 * The audio channel inside a session (Documentation/record-layer.rst,
 * "Audio channel"; toy.rst, "Audio streaming"), which only the dispatcher
 * (toy_core.c) calls with an authenticated body on PAWLINK_CH_AUDIO:
 *
 *  - START, STOP: CAPTURE goes through the same toy_mic_start() and
 *    toy_mic_stop() as the MIC_START and MIC_STOP commands (so a start by
 *    the kernel is logged with the host like any other); PLAYBACK starts
 *    the speaker afresh, or drains it.  Each request is answered with one
 *    STATE: at once, except a STOP of playback, answered once the
 *    speaker has played what it held.  A repeat of the request last
 *    answered (the host resending after a lost STATE) is answered again
 *    and not done twice.
 *  - PCM: into the speaker's jitter buffer (toy_speaker.c).
 *  - A direction that stops without a request (the LED went off) is
 *    reported in a STATE at once, so the host can end its stream.
 *  - Credits: after every period the speaker consumes, @played goes to
 *    the host, in the microphone's next record if it runs (toy_audio.c),
 *    else in a STATE right away.  Counts are cumulative: a lost STATE
 *    costs the host nothing but a little time.  A speaker that starves
 *    with no microphone running repeats its STATE every
 *    TOY_CREDIT_REPEAT_US, so a host whose last credit or periods were
 *    lost learns that nothing is coming (it writes them off).
 *
 * Bodies that do not decode (audio_wire.h) are dropped and counted; a
 * START or STOP among them is answered E_MALFORMED.
 */
#include <string.h>

#include "audio_wire.h"
#include "byteorder.h"
#include "toy_priv.h"

static uint8_t dirs_running(const struct toy *t)
{
	return (uint8_t)((t->mic ? PAWLINK_AUDIO_DIR_CAPTURE : 0) |
			 (t->spk.on ? PAWLINK_AUDIO_DIR_PLAYBACK : 0));
}

static void send_state(struct toy *t, uint32_t seq, uint8_t status)
{
	struct pawlink_audio_msg m = {
		.type = PAWLINK_AUDIO_STATE, .dirs = dirs_running(t),
		.status = status, .seq = seq, .played = t->spk.played,
	};
	uint8_t buf[PAWLINK_AUDIO_HDR_LEN];
	int len = pawlink_audio_msg_encode(buf, sizeof(buf), &m);

	/* Tried counts too: a send that keeps failing must not spin. */
	t->audio_reported_us = toy_now(t);
	if (len > 0 && toy_send(t, PAWLINK_CH_AUDIO, buf, (size_t)len) == 0) {
		t->audio_reported = m.played;
		t->audio_dirs = m.dirs;
	}
}

static void answer(struct toy *t, uint32_t seq, uint8_t status)
{
	t->audio_answered = seq;
	t->audio_status = status;
	send_state(t, seq, status);
}

static void start(struct toy *t, const struct pawlink_audio_msg *m)
{
	uint8_t status = PAWLINK_AUDIO_OK;

	if (m->dirs & PAWLINK_AUDIO_DIR_PLAYBACK) {
		/* A new stream: its numbers start again from 0. */
		t->audio_stop_pending = false;
		toy_speaker_start(t);
	}
	if ((m->dirs & PAWLINK_AUDIO_DIR_CAPTURE) && toy_mic_start(t))
		status = PAWLINK_AUDIO_E_REFUSED;
	answer(t, m->seq, status);
}

static void stop(struct toy *t, const struct pawlink_audio_msg *m)
{
	if (m->dirs & PAWLINK_AUDIO_DIR_CAPTURE)
		toy_mic_stop(t, PAWLINK_TOY_MIC_HOST);
	if (m->dirs & PAWLINK_AUDIO_DIR_PLAYBACK) {
		toy_speaker_drain(t);
		if (t->spk.on) {
			/* Answered by toy_stream_tick() once drained. */
			t->audio_stop_pending = true;
			t->audio_stop_seq = m->seq;
			return;
		}
	}
	answer(t, m->seq, PAWLINK_AUDIO_OK);
}

/* A body that did not decode: a request among them still gets an answer. */
static void malformed(struct toy *t, const uint8_t *pt, size_t len)
{
	t->c.dropped_malformed++;
	t->c.audio_malformed++;
	if (len >= PAWLINK_AUDIO_HDR_LEN && pawlink_audio_is_request(pt[0]))
		send_state(t, pawlink_load_le32(pt + 4),
			   PAWLINK_AUDIO_E_MALFORMED);
}

void toy_stream_input(struct toy *t, const uint8_t *pt, size_t len)
{
	struct pawlink_audio_msg m;

	if (pawlink_audio_msg_decode(&m, pt, len)) {
		malformed(t, pt, len);
		return;
	}
	switch (m.type) {
	case PAWLINK_AUDIO_PCM:
		if (m.played) {
			/* Only the toy reports what was played. */
			malformed(t, pt, len);
			break;
		}
		toy_speaker_put(t, m.seq, m.pcm);
		break;
	case PAWLINK_AUDIO_START:
	case PAWLINK_AUDIO_STOP:
		if (t->audio_stop_pending && m.seq == t->audio_stop_seq)
			break;		/* its answer comes with the drain */
		if (m.seq && m.seq == t->audio_answered) {
			send_state(t, m.seq, t->audio_status);
			break;
		}
		if (m.type == PAWLINK_AUDIO_START)
			start(t, &m);
		else
			stop(t, &m);
		break;
	default:
		/* STATE is the toy's own: from the host it means nothing. */
		malformed(t, pt, len);
		break;
	}
	memset(&m, 0, sizeof(m));
}

/*
 * When a starving speaker (on, nothing held) with no microphone record to
 * carry its credit says it again (TOY_CREDIT_REPEAT_US); UINT64_MAX when
 * it has no reason to.
 */
static uint64_t starving_repeat_us(const struct toy *t)
{
	if (!t->spk.on || t->spk.held || t->mic)
		return UINT64_MAX;
	return t->audio_reported_us + TOY_CREDIT_REPEAT_US;
}

void toy_stream_tick(struct toy *t)
{
	toy_speaker_tick(t);
	if (t->audio_stop_pending && !t->spk.on) {
		t->audio_stop_pending = false;
		answer(t, t->audio_stop_seq, PAWLINK_AUDIO_OK);
		return;
	}
	/*
	 * A direction that stopped by itself (the LED went off, a drain
	 * ended) is news for the host; and the microphone's next record
	 * carries the credit when the microphone runs.
	 */
	if ((t->audio_dirs & ~dirs_running(t)) ||
	    (t->spk.on && !t->mic && t->spk.played != t->audio_reported) ||
	    toy_now(t) >= starving_repeat_us(t))
		send_state(t, t->audio_answered, t->audio_status);
}

uint64_t toy_stream_deadline(const struct toy *t)
{
	uint64_t d = toy_speaker_deadline(t);
	uint64_t r = starving_repeat_us(t);

	return r < d ? r : d;
}

void toy_stream_reset(struct toy *t)
{
	toy_speaker_stop(t);
	t->spk.played = 0;
	t->audio_answered = 0;
	t->audio_status = PAWLINK_AUDIO_OK;
	t->audio_stop_pending = false;
	t->audio_stop_seq = 0;
	t->audio_reported = 0;
	t->audio_reported_us = 0;
	t->audio_dirs = 0;
}
