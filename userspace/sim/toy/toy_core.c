// SPDX-License-Identifier: GPL-2.0
/*
 * The toy firmware core's entry points (toy.h), and its dispatcher: a
 * record comes in here, the session opens it, and this file hands the
 * plaintext on by channel and type (pairing, a session handshake, the
 * message service, the commands, the audio channel).  It also runs the timers,
 * ends sessions (whoever asks, it stops everything a session started),
 * sends beacons and takes the physical controls.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include <pawlink/session.h>

#include "toy_priv.h"

static bool platform_complete(const struct toy_platform *pf)
{
	return pf->now_us && pf->random && pf->blob_load && pf->blob_save &&
	       pf->print_label && pf->radio_set_id && pf->radio_send &&
	       pf->radio_beacon && pf->speaker && pf->mic &&
	       pf->decoder_open && pf->decoder_read && pf->decoder_close &&
	       pf->led && pf->messages && pf->erase_messages;
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

/*
 * The toy's address on the air, which is also its beacon's id.  Anyone
 * may pair (no host yet, or a window open): the identity id, which HELLO
 * names.  Otherwise a private id only paired hosts resolve, new at boot
 * and every PAWLINK_BEACON_ROTATE_MS.  Never changed while a host is
 * talking to it (a session, or keys staged for one): the host sends to
 * the address it found.
 */
#define TOY_ADDRESS_SETTLE_US	1000ULL

static void air_address(struct toy *t, uint64_t now)
{
	bool want_private = t->policy.claimed &&
			    !pawlink_policy_window_is_open(&t->policy,
							   now / 1000);
	uint8_t prand[4], id[PAWLINK_ID_LEN];

	if (t->session || t->staged || t->policy.attempt_active)
		return;
	if (!want_private) {
		if (t->air_private &&
		    t->pf.radio_set_id(t->pf.ctx, t->id.id) == 0) {
			t->air_private = false;
			t->beacon_next_us = now + TOY_ADDRESS_SETTLE_US;
		}
		return;
	}
	if (t->air_private && now < t->air_rotate_us)
		return;
	do
		t->pf.random(t->pf.ctx, prand, sizeof(prand));
	while (pawlink_beacon_id_make(id, t->irk, prand, t->id.id));
	if (t->pf.radio_set_id(t->pf.ctx, id))
		return;
	memcpy(t->air_id, id, PAWLINK_ID_LEN);
	t->air_private = true;
	t->air_rotate_us = now + PAWLINK_BEACON_ROTATE_MS * 1000ULL;
	/*
	 * Beacon the new id at once, so hosts find it without waiting; just
	 * after what is already queued under the old one has gone out.
	 */
	t->beacon_next_us = now + TOY_ADDRESS_SETTLE_US;
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
	toy_vault_wrap(t, platform);
	t->boot_us = toy_now(t);
	rc = toy_vault_open(t);
	if (rc)
		goto err_free;
	rc = toy_vault_seal_messages(t);
	if (rc)
		goto err_free;
	rc = toy_identity_load(t);
	if (rc)
		goto err_free;
	rc = toy_vault_keep_code(t, &t->id.code);
	if (rc)
		goto err_identity;
	pawlink_beacon_irk(t->irk, t->id.public_key);
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
	/* A new private id at every boot. */
	air_address(t, t->boot_us);
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
	toy_stream_reset(t);
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
	toy_messages_close(t);
	release(t);
}

void toy_drop(struct toy *t)
{
	if (!t)
		return;
	toy_messages_drop(t);
	release(t);
}

/* Ends the session, and everything it started, whoever asks. */
static void end_session(struct toy *t, uint8_t reason)
{
	if (!t->session)
		return;
	toy_mic_stop(t, PAWLINK_TOY_MIC_SESSION_END);
	toy_stream_reset(t);
	toy_messages_close(t);
	toy_commands_reset(t);
	toy_session_close(t, reason);
}

/* A record that came in the clear: only beacons' world may use it. */
static void plaintext(struct toy *t, const uint8_t src[PAWLINK_ID_LEN],
		      const uint8_t *body, size_t len)
{
	uint8_t type = len ? body[0] : 0;

	if (type >= PAWLINK_PAIR_MSG_HELLO && type <= PAWLINK_PAIR_MSG_BUSY)
		toy_pairing_input(t, src, body, len);
	else if (type == PAWLINK_SESS_INIT) {
		if (toy_session_init(t, src, body, len, false) ==
		    TOY_SESSION_TAKEOVER) {
			end_session(t, PAWLINK_TOY_END_REPLACED);
			toy_session_takeover(t);
		}
	} else
		t->c.refused_unauth++;	/* a command without a session */
}

/* An authenticated control frame of the session. */
static void control(struct toy *t, const uint8_t *pt, size_t len)
{
	uint8_t type = pt[0], end;

	if (type == PAWLINK_SESS_INIT) {
		toy_session_init(t, t->peer, pt, len, true);
	} else if (type >= PAWLINK_MSG_TYPE_FIRST &&
		   type <= PAWLINK_MSG_TYPE_LAST) {
		toy_messages_input(t, pt, len);
	} else if (type >= PAWLINK_TOY_TYPE_FIRST &&
		   type <= PAWLINK_TOY_TYPE_LAST) {
		end = toy_command(t, pt, len);
		if (end)
			end_session(t, end);
	}
}

void toy_receive(struct toy *t, const uint8_t src[PAWLINK_ID_LEN],
		 const uint8_t *rec, size_t len)
{
	struct toy_record r;

	if (toy_session_open(t, rec, len, &r))
		return;		/* dropped, and counted by the link */
	if (r.channel == PAWLINK_CH_PLAIN) {
		plaintext(t, src, r.pt, r.len);
		return;
	}
	if (r.started) {
		toy_commands_reset(t);
		toy_stream_reset(t);
		toy_messages_open(t);
		/* Last seen, for HOSTS: in RAM, so no flash write per session. */
		pawlink_policy_seen(&t->policy, t->host, toy_now(t) / 1000);
	}
	if (r.channel == PAWLINK_CH_AUDIO)
		toy_stream_input(t, r.pt, r.len);
	else if (r.len > 0)
		control(t, r.pt, r.len);
	sodium_memzero(r.pt, r.len);
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

void toy_run(struct toy *t)
{
	toy_pairing_tick(t);
	if (toy_session_idle(t))
		end_session(t, PAWLINK_TOY_END_IDLE);
	/* The speaker first: a credit it makes rides the microphone's record. */
	toy_stream_tick(t);
	toy_audio_tick(t);
	toy_messages_run(t);
	air_address(t, toy_now(t));
	beacon(t, toy_now(t));
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

uint64_t toy_deadline(const struct toy *t)
{
	uint64_t d = t->beacon_next_us;

	if (t->air_private)
		d = min64(d, t->air_rotate_us);
	d = min64(d, toy_pairing_deadline(t));
	d = min64(d, toy_session_deadline(t));
	d = min64(d, toy_audio_deadline(t));
	d = min64(d, toy_stream_deadline(t));
	d = min64(d, toy_messages_deadline(t));
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
	else if (rc == -EACCES)
		detail = PAWLINK_TOY_BUTTON_CLAIMED;
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

	/* The key first: from here on nothing of before can be read. */
	rc = toy_vault_erase(t);
	if (rc)
		return rc;
	end_session(t, PAWLINK_TOY_END_RESET);
	/* Keys a host had staged die with the hosts, and so do stamps. */
	pawlink_record_link_wipe(&t->link);
	toy_session_reset(t);
	t->staged = false;
	toy_player_stop(t);
	toy_led_set(t, false);
	/* Then the hosts, under the new key. */
	pawlink_policy_factory_reset(&t->policy);
	rc = toy_policy_persist(&t->policy, t);
	if (rc)
		return rc;
	pawlink_pair_toy_wipe(&t->pair);
	rc = t->pf.erase_messages(t->pf.ctx);
	if (rc)
		return rc;
	rc = toy_vault_seal_messages(t);
	if (rc)
		return rc;
	rc = toy_identity_renew(t);
	if (rc)
		return rc;
	/* A new static key: a new resolving key; no host holds either. */
	pawlink_beacon_irk(t->irk, t->id.public_key);
	t->air_private = false;
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
