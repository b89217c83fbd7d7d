// SPDX-License-Identifier: GPL-2.0
/*
 * The toy's indicator LED, microphone and message player
 * (Documentation/toy.rst, "LED and microphone").
 *
 * The microphone streams one 10 ms record (a PCM body of the audio
 * channel, audio_wire.h) on PAWLINK_CH_AUDIO per period, only inside a
 * session and only while the LED is lit: starting it lights the LED and is
 * logged (durably, before the first sample leaves), and turning the LED
 * off, or the session ending, stops it.  Every period re-checks both
 * conditions.  Whoever starts it (the MIC_START command, or a START on
 * the audio channel) goes through toy_mic_start(), so every start looks
 * the same in the log.
 *
 * Voice messages from the store play at the toy's own pace, one period
 * per 10 ms, through the speaker (toy_speaker.c).  The core reads and
 * hash-checks a message; the platform's decoder turns it into samples.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "audio_wire.h"
#include "toy_priv.h"

#define SETTINGS_MAGIC		"PWST"
#define SETTINGS_VERSION	1
#define SETTINGS_LEN		8
/* A microphone this far behind skips ahead instead of bursting. */
#define MIC_CATCH_UP_MAX	10

/* ---- settings blob: "PWST", version, volume, two zero bytes ------------ */

int toy_settings_load(struct toy *t)
{
	uint8_t buf[SETTINGS_LEN + 1];
	size_t len = 0;
	int rc;

	t->volume = TOY_VOLUME_DEFAULT;
	rc = t->pf.blob_load(t->pf.ctx, TOY_BLOB_SETTINGS, buf, sizeof(buf),
			     &len);
	if (rc == -ENOENT)
		return 0;
	if (rc)
		return rc;
	if (len != SETTINGS_LEN || memcmp(buf, SETTINGS_MAGIC, 4) ||
	    buf[4] != SETTINGS_VERSION || buf[5] > PAWLINK_TOY_VOLUME_MAX ||
	    buf[6] || buf[7])
		return -EBADMSG;
	t->volume = buf[5];
	return 0;
}

int toy_settings_save(struct toy *t)
{
	uint8_t buf[SETTINGS_LEN] = { 0 };

	memcpy(buf, SETTINGS_MAGIC, 4);
	buf[4] = SETTINGS_VERSION;
	buf[5] = t->volume;
	return t->pf.blob_save(t->pf.ctx, TOY_BLOB_SETTINGS, buf, sizeof(buf));
}

/* ---- LED and microphone ------------------------------------------------- */

static void led_write(struct toy *t, bool on)
{
	t->led = on;
	t->pf.led(t->pf.ctx, on);
}

void toy_mic_stop(struct toy *t, uint8_t reason)
{
	if (!t->mic)
		return;
	t->mic = false;
	toy_log_event(t, PAWLINK_TOY_EV_MIC_STOP, reason, t->host);
	if (t->led_by_mic && t->led)
		led_write(t, false);
	t->led_by_mic = false;
}

void toy_led_set(struct toy *t, bool on)
{
	if (!on) {
		/* The microphone first: never a sample with the LED off. */
		toy_mic_stop(t, PAWLINK_TOY_MIC_LED_OFF);
		t->led_by_mic = false;
		if (t->led)
			led_write(t, false);
		return;
	}
	/* Lit on purpose: it stays lit when the microphone stops. */
	t->led_by_mic = false;
	if (!t->led)
		led_write(t, true);
}

int toy_mic_start(struct toy *t)
{
	int rc;

	if (!t->session)
		return -ENOTCONN;
	if (t->mic)
		return 0;
	/* Logged before it listens: no start the host cannot see. */
	rc = toy_log_event(t, PAWLINK_TOY_EV_MIC_START, 0, t->host);
	if (rc)
		return rc;
	if (!t->led) {
		led_write(t, true);
		t->led_by_mic = true;
	}
	t->mic = true;
	t->mic_next_us = toy_now(t);
	t->mic_seq = 0;
	return 0;
}

/* One period: numbered, and carrying the speaker's credit. */
static void mic_send_period(struct toy *t)
{
	struct pawlink_audio_msg m = {
		.type = PAWLINK_AUDIO_PCM, .seq = t->mic_seq++,
		.played = t->spk.played,
	};
	uint8_t buf[PAWLINK_AUDIO_PCM_LEN];
	int len;

	t->pf.mic(t->pf.ctx, m.pcm, PAWLINK_AUDIO_PERIOD_FRAMES);
	len = pawlink_audio_msg_encode(buf, sizeof(buf), &m);
	if (len > 0 && toy_send(t, PAWLINK_CH_AUDIO, buf, (size_t)len) == 0) {
		t->c.audio_frames_sent++;
		t->audio_reported = m.played;
	}
}

/* ---- voice messages ----------------------------------------------------- */

void toy_player_stop(struct toy *t)
{
	struct toy_player *pl = &t->player;

	if (pl->dec)
		t->pf.decoder_close(pl->dec);
	free(pl->obj);
	memset(pl, 0, sizeof(*pl));
}

int toy_play_message(void *ctx, struct pawlink_msg_store *st,
		     const struct pawlink_msg_info *info)
{
	struct toy *t = ctx;
	struct toy_player *pl = &t->player;
	void *dec;
	int status;

	if (pl->playing)
		return PAWLINK_MSG_E_BUSY;
	status = pawlink_msg_store_read(st, info->id, &pl->obj, &pl->len);
	if (status != PAWLINK_MSG_OK)
		return status == PAWLINK_MSG_E_NOMEM ? PAWLINK_MSG_E_IO :
						       status;
	if (t->pf.decoder_open(pl->obj, pl->len, &dec)) {
		toy_player_stop(t);
		return PAWLINK_MSG_E_IO;
	}
	pl->dec = dec;
	pl->playing = true;
	pl->next_us = toy_now(t);
	return PAWLINK_MSG_OK;
}

static void player_period(struct toy *t)
{
	int16_t pcm[PAWLINK_AUDIO_PERIOD_FRAMES];
	long n;

	n = t->pf.decoder_read(t->player.dec, pcm,
			       PAWLINK_AUDIO_PERIOD_FRAMES);
	if (n <= 0) {
		toy_player_stop(t);
		return;
	}
	toy_speaker_write(t, pcm, (size_t)n);
	t->player.next_us += TOY_AUDIO_PERIOD_US;
}

/* ---- timers ------------------------------------------------------------- */

void toy_audio_tick(struct toy *t)
{
	uint64_t now = toy_now(t);

	/* Belt and braces: the conditions hold at every period. */
	if (t->mic && (!t->session || !t->led))
		toy_mic_stop(t, t->session ? PAWLINK_TOY_MIC_LED_OFF :
					     PAWLINK_TOY_MIC_SESSION_END);
	if (t->mic && now >= t->mic_next_us + MIC_CATCH_UP_MAX *
						TOY_AUDIO_PERIOD_US) {
		/* The periods skipped are a gap the host fills with silence. */
		t->mic_seq += (uint32_t)((now - t->mic_next_us) /
					 TOY_AUDIO_PERIOD_US);
		t->mic_next_us = now;
	}
	while (t->mic && now >= t->mic_next_us) {
		mic_send_period(t);
		t->mic_next_us += TOY_AUDIO_PERIOD_US;
	}
	while (t->player.playing && now >= t->player.next_us)
		player_period(t);
}

uint64_t toy_audio_deadline(const struct toy *t)
{
	uint64_t d = UINT64_MAX;

	if (t->mic)
		d = t->mic_next_us;
	if (t->player.playing && t->player.next_us < d)
		d = t->player.next_us;
	return d;
}
