// SPDX-License-Identifier: GPL-2.0
/*
 * The toy's speaker (Documentation/toy.rst, "Audio streaming"): the host's
 * periods wait in a jitter buffer, indexed by their number, and leave at
 * the toy's own clock, one per 10 ms.  The toy's clock is the master: the
 * host learns from @played (credits) how fast it goes, so drift between
 * the two clocks never fills or starves the buffer.
 *
 *  - prefill: the speaker starts once TOY_SPEAKER_PREFILL periods are held,
 *    or TOY_SPEAKER_PREFILL_US after the first came (a short sound), or
 *    at once when draining;
 *  - a period due that never came, while a later one is held: silence of
 *    one period (lost), and @played moves on, so the later ones keep
 *    their place in time;
 *  - nothing held: an underrun, nothing written, @played stays, and back
 *    to prefill;
 *  - a period already played, or held already: late, dropped; one at or
 *    beyond @played + PAWLINK_AUDIO_JITTER_MAX, or while not playing:
 *    dropped.
 */
#include <string.h>

#include "toy_priv.h"

/* A speaker this far behind its clock skips ahead instead of bursting. */
#define SPEAKER_CATCH_UP_MAX	10

void toy_speaker_write(struct toy *t, int16_t *pcm, size_t frames)
{
	size_t i;

	for (i = 0; i < frames; i++)
		pcm[i] = (int16_t)((int32_t)pcm[i] * t->volume /
				   PAWLINK_TOY_VOLUME_MAX);
	t->pf.speaker(t->pf.ctx, pcm, frames);
	t->c.speaker_samples += frames;
}

void toy_speaker_stop(struct toy *t)
{
	struct toy_speaker *s = &t->spk;
	uint32_t played = s->played;

	memset(s, 0, sizeof(*s));
	/* What was played stays readable: the last answer reports it. */
	s->played = played;
}

void toy_speaker_start(struct toy *t)
{
	memset(&t->spk, 0, sizeof(t->spk));
	t->spk.on = true;
}

void toy_speaker_put(struct toy *t, uint32_t seq, const int16_t *pcm)
{
	struct toy_speaker *s = &t->spk;
	unsigned int slot = seq % PAWLINK_AUDIO_JITTER_MAX;

	if (!s->on) {
		t->c.speaker_dropped++;
		return;
	}
	/* Unsigned: a period already played wraps to far ahead. */
	if (seq - s->played >= PAWLINK_AUDIO_JITTER_MAX) {
		if (s->played - seq <= UINT32_MAX / 2)
			t->c.speaker_late++;
		else
			t->c.speaker_dropped++;
		return;
	}
	if (s->full[slot]) {
		t->c.speaker_late++;	/* the same period twice */
		return;
	}
	memcpy(s->pcm[slot], pcm, sizeof(s->pcm[slot]));
	s->seq[slot] = seq;
	s->full[slot] = true;
	if (!s->held++ && !s->running)
		s->first_us = toy_now(t);
}

void toy_speaker_drain(struct toy *t)
{
	if (!t->spk.on)
		return;
	if (!t->spk.held) {
		toy_speaker_stop(t);
		return;
	}
	t->spk.draining = true;
}

/* Whether the speaker may start now. */
static bool prefilled(const struct toy_speaker *s, uint64_t now)
{
	return s->held && (s->draining || s->held >= TOY_SPEAKER_PREFILL ||
			   now >= s->first_us + TOY_SPEAKER_PREFILL_US);
}

/* One period due: the held one, silence for a lost one, or an underrun. */
static void play_period(struct toy *t)
{
	struct toy_speaker *s = &t->spk;
	unsigned int slot = s->played % PAWLINK_AUDIO_JITTER_MAX;
	int16_t pcm[PAWLINK_AUDIO_PERIOD_FRAMES];

	if (!s->held) {
		if (s->draining) {
			toy_speaker_stop(t);
			return;
		}
		t->c.speaker_underruns++;
		s->running = false;
		return;
	}
	if (s->full[slot]) {
		memcpy(pcm, s->pcm[slot], sizeof(pcm));
		s->full[slot] = false;
		s->held--;
	} else {
		memset(pcm, 0, sizeof(pcm));
		t->c.speaker_lost++;
	}
	toy_speaker_write(t, pcm, PAWLINK_AUDIO_PERIOD_FRAMES);
	s->played++;
	s->next_us += TOY_AUDIO_PERIOD_US;
	/* Drained: stop with the last period, not one period later. */
	if (s->draining && !s->held)
		toy_speaker_stop(t);
}

void toy_speaker_tick(struct toy *t)
{
	struct toy_speaker *s = &t->spk;
	uint64_t now = toy_now(t);

	if (!s->on)
		return;
	if (!s->running) {
		if (!prefilled(s, now))
			return;
		s->running = true;
		s->next_us = now;
	}
	if (now >= s->next_us + SPEAKER_CATCH_UP_MAX * TOY_AUDIO_PERIOD_US)
		s->next_us = now;
	while (s->on && s->running && now >= s->next_us)
		play_period(t);
}

uint64_t toy_speaker_deadline(const struct toy *t)
{
	const struct toy_speaker *s = &t->spk;

	if (!s->on || !s->held)
		return s->on && s->running ? s->next_us : UINT64_MAX;
	if (s->running)
		return s->next_us;
	if (s->draining || s->held >= TOY_SPEAKER_PREFILL)
		return 0;
	return s->first_us + TOY_SPEAKER_PREFILL_US;
}
