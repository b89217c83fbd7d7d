// SPDX-License-Identifier: GPL-2.0
/*
 * The toy firmware core's entry points (toy.h): boot, the event loop's
 * timers, beacons, the physical controls and the status it reports.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "toy_priv.h"

static bool platform_complete(const struct toy_platform *pf)
{
	return pf->now_us && pf->random && pf->blob_load && pf->blob_save &&
	       pf->print_label && pf->radio_set_id && pf->radio_send &&
	       pf->radio_beacon && pf->speaker && pf->mic && pf->led &&
	       pf->messages && pf->erase_messages;
}

static int policy_load(struct toy *t)
{
	uint8_t buf[PAWLINK_POLICY_STATE_LEN + 1];
	size_t len = 0;
	int rc;

	pawlink_policy_init(&t->policy);
	rc = t->pf.blob_load(t->pf.ctx, TOY_BLOB_POLICY, buf, sizeof(buf),
			     &len);
	if (rc == -ENOENT)
		return toy_policy_persist(&t->policy, t);
	if (rc)
		return rc;
	/* Strict; a refused state leaves the policy untouched, so fail. */
	return pawlink_policy_load(&t->policy, buf, len) ? -EBADMSG : 0;
}

int toy_boot(struct toy **out, const struct toy_platform *platform)
{
	struct toy *t;
	int rc;

	*out = NULL;
	if (!platform || !platform_complete(platform))
		return -EINVAL;
	if (sodium_init() < 0)
		return -EIO;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->pf = *platform;
	t->boot_us = toy_now(t);
	rc = toy_identity_load(t);
	if (rc)
		goto err_free;
	rc = t->pf.radio_set_id(t->pf.ctx, t->id.id);
	if (rc)
		goto err_identity;
	rc = policy_load(t);
	if (rc)
		goto err_identity;
	rc = toy_settings_load(t);
	if (rc)
		goto err_identity;
	rc = toy_log_load(t);
	if (rc)
		goto err_identity;
	rc = toy_pairing_init(t);
	if (rc)
		goto err_identity;
	t->pf.led(t->pf.ctx, false);
	t->beacon_next_us = t->boot_us;
	*out = t;
	return 0;

err_identity:
	toy_identity_wipe(&t->id);
err_free:
	sodium_memzero(t, sizeof(*t));
	free(t);
	return rc;
}

static void release(struct toy *t)
{
	toy_player_stop(t);
	pawlink_pair_toy_wipe(&t->pair);
	pawlink_record_link_wipe(&t->link);
	toy_identity_wipe(&t->id);
	sodium_memzero(t, sizeof(*t));
	free(t);
}

void toy_free(struct toy *t)
{
	if (!t)
		return;
	/* No goodbye on the air: the host finds out when it next asks. */
	toy_mic_stop(t, PAWLINK_TOY_MIC_SESSION_END);
	pawlink_msg_toy_free(t->msg);
	t->msg = NULL;
	release(t);
}

void toy_drop(struct toy *t)
{
	if (!t)
		return;
	pawlink_msg_toy_drop(t->msg);
	t->msg = NULL;
	release(t);
}

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

static void beacon(struct toy *t, uint64_t now)
{
	uint8_t flags = 0;

	if (now < t->beacon_next_us)
		return;
	if (pawlink_policy_window_is_open(&t->policy, now / 1000))
		flags |= PAWLINK_BEACON_PAIRING;
	if (t->pf.radio_beacon(t->pf.ctx, flags) == 0)
		t->c.beacons++;
	/* Late is fine; bursts to catch up are not. */
	t->beacon_next_us = now + TOY_BEACON_US;
}

static bool radio_ready(struct toy *t)
{
	return !t->pf.radio_ready_us ||
	       t->pf.radio_ready_us(t->pf.ctx) <= toy_now(t);
}

void toy_run(struct toy *t)
{
	uint8_t buf[PAWLINK_FRAME_MAX];
	int n;

	toy_pairing_tick(t);
	toy_session_tick(t);
	toy_audio_tick(t);
	/* Message frames leave as the radio has room: the time they are
	 * stamped with is the time they go. */
	t->paced = false;
	while (t->session && t->msg) {
		if (!radio_ready(t)) {
			t->paced = true;
			break;
		}
		n = pawlink_msg_toy_output(t->msg, toy_now(t), buf,
					   sizeof(buf));
		if (n <= 0)
			break;
		toy_session_send(t, PAWLINK_CH_CTRL, buf, (size_t)n);
	}
	beacon(t, toy_now(t));
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

uint64_t toy_deadline(const struct toy *t)
{
	uint64_t d = t->beacon_next_us;

	d = min64(d, toy_pairing_deadline(t));
	d = min64(d, toy_session_deadline(t));
	d = min64(d, toy_audio_deadline(t));
	if (t->session && t->msg)
		d = min64(d, pawlink_msg_toy_deadline(t->msg));
	if (t->paced)
		d = min64(d, t->pf.radio_ready_us(t->pf.ctx));
	return d;
}

int toy_press_button(struct toy *t)
{
	uint64_t now_ms = toy_now(t) / 1000;
	uint8_t detail;
	int rc;

	rc = pawlink_policy_press_button(&t->policy, now_ms);
	if (rc == -EPERM)
		detail = PAWLINK_TOY_BUTTON_LOCKED;
	else if (rc == -ENOSPC)
		detail = PAWLINK_TOY_BUTTON_FULL;
	else
		detail = PAWLINK_TOY_BUTTON_OPENED;
	toy_log_event(t, PAWLINK_TOY_EV_BUTTON, detail, NULL);
	/* Beacon the open window at once. */
	if (rc == 0)
		t->beacon_next_us = toy_now(t);
	return rc;
}

int toy_factory_reset(struct toy *t)
{
	int rc;

	toy_session_end(t, PAWLINK_TOY_END_RESET);
	/* Keys a host had staged die with the hosts. */
	pawlink_record_link_wipe(&t->link);
	t->staged = false;
	toy_player_stop(t);
	toy_led_set(t, false);
	/* Hosts first: whatever else a power cut interrupts, they are gone. */
	pawlink_policy_factory_reset(&t->policy);
	rc = toy_policy_persist(&t->policy, t);
	if (rc)
		return rc;
	pawlink_pair_toy_wipe(&t->pair);
	rc = t->pf.erase_messages(t->pf.ctx);
	if (rc)
		return rc;
	rc = toy_identity_renew(t);
	if (rc)
		return rc;
	rc = t->pf.radio_set_id(t->pf.ctx, t->id.id);
	if (rc)
		return rc;
	t->volume = TOY_VOLUME_DEFAULT;
	rc = toy_settings_save(t);
	if (rc)
		return rc;
	rc = toy_log_reset(t);
	if (rc)
		return rc;
	memset(&t->c, 0, sizeof(t->c));
	return toy_pairing_init(t);
}
