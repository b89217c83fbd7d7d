// SPDX-License-Identifier: GPL-2.0
/*
 * What the toy reports (toy.h): its id, its counters and the status the
 * STATUS command answers, read from the core's state and nothing else.
 */
#include <string.h>

#include "toy_priv.h"

void toy_get_id(const struct toy *t, uint8_t id[PAWLINK_ID_LEN])
{
	memcpy(id, t->id.id, PAWLINK_ID_LEN);
}

bool toy_in_session(const struct toy *t)
{
	return t->session;
}

const struct toy_counters *toy_get_counters(const struct toy *t)
{
	return &t->c;
}

void toy_get_status(struct toy *t, struct pawlink_toy_status_info *st)
{
	uint64_t now = toy_now(t);
	uint32_t count = 0;
	uint64_t bytes = 0;

	memset(st, 0, sizeof(*st));
	pawlink_msg_store_usage(t->pf.messages(t->pf.ctx), &count, &bytes);
	st->boot = t->log.boot;
	st->uptime_ms = (now - t->boot_us) / 1000;
	st->led = t->led;
	st->volume = t->volume;
	st->mic = t->mic;
	st->playing = t->player.playing;
	st->paired_hosts = (uint8_t)t->policy.n_hosts;
	st->pairing_window = pawlink_policy_window_is_open(&t->policy,
							   now / 1000);
	st->locked = pawlink_policy_is_locked(&t->policy);
	st->lifetime_failures = t->policy.lifetime_failures;
	st->msg_count = count;
	st->msg_bytes = bytes;
	st->log_next = t->log.next;
	st->mic_starts = t->log.mic_starts;
	/* Ended sessions' counts, and the link's own so far. */
	st->rx_dropped_plaintext = t->c.dropped_plaintext +
				   t->link.dropped_plaintext;
	st->rx_dropped_auth = t->c.dropped_auth + t->link.rx_ctrl.stats.forged +
			      t->link.rx_audio.stats.forged;
	st->rx_dropped_replay = t->c.dropped_replay +
				t->link.rx_ctrl.stats.replayed +
				t->link.rx_audio.stats.replayed;
	st->rx_dropped_malformed = t->c.dropped_malformed +
				   t->link.rx_ctrl.stats.malformed +
				   t->link.rx_audio.stats.malformed;
	st->refused_unauth = t->c.refused_unauth;
	st->audio_frames_sent = t->c.audio_frames_sent;
	st->speaker_samples = t->c.speaker_samples;
}
