// SPDX-License-Identifier: GPL-2.0
/*
 * Sessions (Documentation/toy.rst, "The gate" and "Sessions"): the record
 * layer (record_layer.h) opens every record here first, and what fails is
 * dropped and counted there; the Noise KK responder (session.h) answers
 * INITs; and the session's keys live and die here.
 *
 * Plaintext passes only while no session is keyed (the record layer drops
 * it in one); the first record that authenticates under staged keys
 * starts the session with the host that staged them.  Where an opened
 * record goes next is the dispatcher's (toy_core.c) business, and so is
 * what else a session's end stops.
 */
#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "byteorder.h"
#include "session.h"
#include "toy_priv.h"

/*
 * INIT stamps (session.rst, "Replays"): the newest accepted per host, and
 * tombstones of hosts removed lately, in a blob of 8 + 16 n + 40 m bytes:
 * "PWSS", version 2, n, m, 1 zero byte, then n of (host id, stamp LE64),
 * then m of (static key, stamp LE64), oldest first.  Hosts no longer
 * paired are dropped from the first list on save.
 */
#define STAMPS_MAGIC	"PWSS"
#define STAMPS_VERSION	2
#define STAMPS_HDR	8
#define STAMP_REC	(PAWLINK_ID_LEN + 8)
#define GONE_REC	(PAWLINK_SESSION_KEY_LEN + 8)
#define STAMPS_MAX_LEN	(STAMPS_HDR + PAWLINK_POLICY_MAX_HOSTS * STAMP_REC + \
			 TOY_GONE_MAX * GONE_REC)

_Static_assert(PAWLINK_SESSION_KEY_LEN == PAWLINK_PAIR_STATIC_LEN,
	       "a tombstone keeps a pinned key");

static int stamps_load(struct toy *t)
{
	uint8_t buf[STAMPS_MAX_LEN + 1];
	const uint8_t *p;
	size_t len = 0, i, n, m;
	int rc;

	if (t->stamps_loaded)
		return 0;
	t->n_stamps = 0;
	t->n_gone = 0;
	rc = t->pf.blob_load(t->pf.ctx, TOY_BLOB_STAMPS, buf, sizeof(buf),
			     &len);
	if (rc == -ENOENT) {
		t->stamps_loaded = true;
		return 0;
	}
	if (rc && rc != -EBADMSG)
		return rc;
	n = !rc && len >= STAMPS_HDR ? buf[5] : 0;
	m = !rc && len >= STAMPS_HDR ? buf[6] : 0;
	if (rc || len < STAMPS_HDR || memcmp(buf, STAMPS_MAGIC, 4) ||
	    buf[4] != STAMPS_VERSION || buf[7] ||
	    n > PAWLINK_POLICY_MAX_HOSTS || m > TOY_GONE_MAX ||
	    len != STAMPS_HDR + n * STAMP_REC + m * GONE_REC) {
		/*
		 * Corrupt, or sealed and not opening under the device key
		 * (toy_vault.c's -EBADMSG): start from none rather than refuse
		 * every session for good (nothing but a factory reset would
		 * rewrite this blob).  The next accepted INIT rewrites it.
		 */
		t->stamps_loaded = true;
		return 0;
	}
	for (i = 0; i < n; i++) {
		p = buf + STAMPS_HDR + i * STAMP_REC;
		memcpy(t->stamps[i].host, p, PAWLINK_ID_LEN);
		t->stamps[i].stamp = pawlink_load_le64(p + PAWLINK_ID_LEN);
	}
	for (i = 0; i < m; i++) {
		p = buf + STAMPS_HDR + n * STAMP_REC + i * GONE_REC;
		memcpy(t->gone[i].pub, p, PAWLINK_SESSION_KEY_LEN);
		t->gone[i].stamp = pawlink_load_le64(p +
						     PAWLINK_SESSION_KEY_LEN);
	}
	t->n_stamps = n;
	t->n_gone = m;
	t->stamps_loaded = true;
	return 0;
}

static uint64_t stamp_of(const struct toy *t, const uint8_t host[PAWLINK_ID_LEN])
{
	size_t i;

	for (i = 0; i < t->n_stamps; i++)
		if (!memcmp(t->stamps[i].host, host, PAWLINK_ID_LEN))
			return t->stamps[i].stamp;
	return 0;
}

/* The tombstone of static key @pub, or -1. */
static int gone_of(const struct toy *t, const uint8_t *pub)
{
	size_t i;

	for (i = 0; i < t->n_gone; i++)
		if (!sodium_memcmp(t->gone[i].pub, pub,
				   PAWLINK_SESSION_KEY_LEN))
			return (int)i;
	return -1;
}

/*
 * A paired host's newest stamp: its own, or its tombstone's if it was
 * removed and paired again with the same key (so its INITs from before
 * the removal stay replays).
 */
static uint64_t newest_stamp(const struct toy *t,
			     const struct pawlink_paired_host *h)
{
	uint64_t s = stamp_of(t, h->id);
	int g = gone_of(t, h->static_key);

	return g >= 0 && t->gone[g].stamp > s ? t->gone[g].stamp : s;
}

/* Saves @next (@n) and @gone (@m); on success they become the toy's. */
static int stamps_save(struct toy *t, const struct toy_stamp *next, size_t n,
		       const struct toy_gone *gone, size_t m)
{
	uint8_t buf[STAMPS_MAX_LEN], *p;
	size_t i;
	int rc;

	memset(buf, 0, sizeof(buf));
	memcpy(buf, STAMPS_MAGIC, 4);
	buf[4] = STAMPS_VERSION;
	buf[5] = (uint8_t)n;
	buf[6] = (uint8_t)m;
	for (i = 0; i < n; i++) {
		p = buf + STAMPS_HDR + i * STAMP_REC;
		memcpy(p, next[i].host, PAWLINK_ID_LEN);
		pawlink_store_le64(p + PAWLINK_ID_LEN, next[i].stamp);
	}
	for (i = 0; i < m; i++) {
		p = buf + STAMPS_HDR + n * STAMP_REC + i * GONE_REC;
		memcpy(p, gone[i].pub, PAWLINK_SESSION_KEY_LEN);
		pawlink_store_le64(p + PAWLINK_SESSION_KEY_LEN, gone[i].stamp);
	}
	rc = t->pf.blob_save(t->pf.ctx, TOY_BLOB_STAMPS, buf,
			     STAMPS_HDR + n * STAMP_REC + m * GONE_REC);
	if (rc)
		return rc;
	memmove(t->stamps, next, n * sizeof(*next));
	t->n_stamps = n;
	memmove(t->gone, gone, m * sizeof(*gone));
	t->n_gone = m;
	return 0;
}

/*
 * The paired hosts' stamps, @host's as @stamp (none: NULL), and the
 * tombstones but that of a host paired again with the same key.
 */
static int stamps_keep_all(struct toy *t, const uint8_t *host, uint64_t stamp,
			   struct toy_gone *gone, size_t m)
{
	struct toy_stamp next[PAWLINK_POLICY_MAX_HOSTS];
	struct toy_gone keep[TOY_GONE_MAX];
	size_t i, j, n = 0, k = 0;
	bool paired;

	for (i = 0; i < t->policy.n_hosts && n < PAWLINK_POLICY_MAX_HOSTS;
	     i++) {
		const struct pawlink_paired_host *h = &t->policy.hosts[i];

		memcpy(next[n].host, h->id, PAWLINK_ID_LEN);
		next[n].stamp = host && !memcmp(h->id, host, PAWLINK_ID_LEN) ?
				stamp : newest_stamp(t, h);
		n++;
	}
	for (j = 0; j < m; j++) {
		paired = false;
		for (i = 0; i < t->policy.n_hosts; i++)
			paired |= !sodium_memcmp(gone[j].pub,
						 t->policy.hosts[i].static_key,
						 PAWLINK_SESSION_KEY_LEN);
		if (!paired)
			keep[k++] = gone[j];
	}
	return stamps_save(t, next, n, keep, k);
}

/*
 * Keeps @stamp as @host's newest, durably, before the RESP goes out: so
 * no INIT a RESP ever answered gets one again, even after a reboot.
 */
static int stamp_keep(struct toy *t, const uint8_t host[PAWLINK_ID_LEN],
		      uint64_t stamp)
{
	struct toy_gone gone[TOY_GONE_MAX];

	memcpy(gone, t->gone, sizeof(gone));
	return stamps_keep_all(t, host, stamp, gone, t->n_gone);
}

int toy_session_forget(struct toy *t,
		       const struct pawlink_paired_host *removed)
{
	struct toy_gone gone[TOY_GONE_MAX + 1];
	size_t m;
	int rc, g;

	rc = stamps_load(t);
	if (rc)
		return rc;
	memcpy(gone, t->gone, t->n_gone * sizeof(gone[0]));
	m = t->n_gone;
	g = gone_of(t, removed->static_key);
	if (g >= 0) {
		/* Removed before: it moves to the newest place. */
		memmove(&gone[g], &gone[g + 1], (m - (size_t)g - 1) *
			sizeof(gone[0]));
		m--;
	}
	memcpy(gone[m].pub, removed->static_key, PAWLINK_SESSION_KEY_LEN);
	gone[m].stamp = newest_stamp(t, removed);
	m++;
	/* Bounded: the oldest tombstone goes. */
	rc = stamps_keep_all(t, NULL, 0, m > TOY_GONE_MAX ? gone + 1 : gone,
			     m > TOY_GONE_MAX ? TOY_GONE_MAX : m);
	sodium_memzero(gone, sizeof(gone));
	return rc;
}

void toy_session_reset(struct toy *t)
{
	t->stamps_loaded = false;
	t->n_stamps = 0;
	t->n_gone = 0;
	sodium_memzero(t->stamps, sizeof(t->stamps));
	sodium_memzero(t->gone, sizeof(t->gone));
}

/* Sends a bare REJECT in the clear: a hint, unauthenticated. */
static void send_reject(struct toy *t, const uint8_t src[PAWLINK_ID_LEN],
			const uint8_t *init, uint8_t reason)
{
	uint8_t out[PAWLINK_SESS_REJECT_LEN];

	out[0] = PAWLINK_SESS_REJECT;
	out[1] = PAWLINK_SESS_VERSION;
	out[2] = reason;
	out[3] = 0;
	memcpy(out + 4, init + 4, 4);	/* the INIT's epoch */
	toy_send_plain(t, src, out, sizeof(out));
}

/*
 * Answers an INIT with the pinned hosts' keys.  Unkeyed, it came in the
 * clear and its RESP goes back the same way; in a session it came sealed
 * (a rekey) and its RESP is sealed too, or it came in the clear from a
 * host that lost its session (its own: a takeover; another: BUSY).
 *
 * Strangers (mac1 wrong) cost no X25519; replays (stamp not newer) get
 * nothing and change nothing, not even the log.  An INIT of a host no
 * longer paired gets a REJECT(AUTH) only when it is fresh and that host
 * has a tombstone (removed lately); otherwise nothing.
 */
int toy_session_init(struct toy *t, const uint8_t src[PAWLINK_ID_LEN],
		     const uint8_t *msg, size_t len, bool sealed)
{
	uint8_t pubs[PAWLINK_POLICY_MAX_HOSTS][PAWLINK_SESSION_KEY_LEN];
	uint8_t gone_pubs[TOY_GONE_MAX][PAWLINK_SESSION_KEY_LEN];
	uint64_t stamps[PAWLINK_POLICY_MAX_HOSTS], gone_stamps[TOY_GONE_MAX];
	uint8_t mac1_key[PAWLINK_SESS_MAC1_KEY_LEN];
	uint8_t out[PAWLINK_SESS_MSG_LEN];
	struct pawlink_session_toy_keys k;
	struct pawlink_session_result res;
	uint32_t epoch = sealed ? t->link.tx_ctrl.epoch : 0;
	const uint8_t *host = NULL;
	bool own = false, plain_in_session = t->session && !sealed;
	size_t out_len = 0;
	unsigned int i;
	int rc, ret = 0;

	if (stamps_load(t))
		return 0;	/* flash unreadable: no session, no answer */
	for (i = 0; i < t->policy.n_hosts; i++) {
		memcpy(pubs[i], t->policy.hosts[i].static_key,
		       PAWLINK_SESSION_KEY_LEN);
		stamps[i] = newest_stamp(t, &t->policy.hosts[i]);
	}
	for (i = 0; i < t->n_gone; i++) {
		memcpy(gone_pubs[i], t->gone[i].pub, PAWLINK_SESSION_KEY_LEN);
		gone_stamps[i] = t->gone[i].stamp;
	}
	pawlink_session_mac1_key(mac1_key, t->id.public_key);
	k = (struct pawlink_session_toy_keys){
		.toy_priv = t->id.secret,
		.mac1_key = mac1_key,
		.host_pubs = (const void *)pubs,
		.host_stamps = stamps,
		.n_hosts = t->policy.n_hosts,
		.gone_pubs = (const void *)gone_pubs,
		.gone_stamps = gone_stamps,
		.n_gone = t->n_gone,
	};
	rc = pawlink_session_toy_answer(&k, epoch, msg, len, out, sizeof(out),
					&out_len, &res);
	sodium_memzero(pubs, sizeof(pubs));
	sodium_memzero(gone_pubs, sizeof(gone_pubs));
	sodium_memzero(mac1_key, sizeof(mac1_key));
	if (rc == 0) {
		host = t->policy.hosts[res.host_index].id;
		own = t->session && !memcmp(host, t->host, PAWLINK_ID_LEN);
	}
	/* In a session only the session's host may renew its keys. */
	if (rc == 0 && t->session && !own)
		rc = -EACCES;
	if (rc == -EACCES && plain_in_session && host) {
		/*
		 * A paired host, fresh: tell it why, and only that.  Its stamp
		 * is kept, so this INIT cannot be replayed once the toy is free.
		 */
		if (stamp_keep(t, host, res.stamp) == 0)
			send_reject(t, src, msg, PAWLINK_SESS_REJ_BUSY);
		goto out;
	}
	if (rc == 0)
		rc = stamp_keep(t, host, res.stamp);
	if (rc == 0 && plain_in_session) {
		/* Its own host lost the session: the old one ends first. */
		t->takeover.pending = true;
		memcpy(t->takeover.peer, src, PAWLINK_ID_LEN);
		memcpy(t->takeover.host, host, PAWLINK_ID_LEN);
		t->takeover.keys = res.keys;
		memcpy(t->takeover.resp, out, out_len);
		t->takeover.resp_len = out_len;
		ret = TOY_SESSION_TAKEOVER;
		goto out;
	}
	if (rc == 0)
		rc = pawlink_record_link_stage(&t->link, &res.keys,
					       PAWLINK_ROLE_TOY);
	if (rc == 0) {
		t->staged = true;
		memcpy(t->staged_peer, src, PAWLINK_ID_LEN);
		memcpy(t->staged_host, host, PAWLINK_ID_LEN);
	}
	/* Refused (stranger, unpaired, another host's rekey): folded, RAM. */
	if ((rc == -EACCES || rc == -EKEYREJECTED || rc == -EPERM) &&
	    !plain_in_session)
		toy_log_event(t, PAWLINK_TOY_EV_SESSION_REJECT, 0, NULL);
	if (!out_len || (rc && t->session))
		goto out;
	if (sealed)
		toy_send(t, PAWLINK_CH_CTRL, out, out_len);
	else
		toy_send_plain(t, src, out, out_len);
out:
	pawlink_session_result_wipe(&res);
	sodium_memzero(out, sizeof(out));
	return ret;
}

void toy_session_takeover(struct toy *t)
{
	struct toy_takeover *to = &t->takeover;

	if (!to->pending)
		return;
	if (pawlink_record_link_stage(&t->link, &to->keys,
				      PAWLINK_ROLE_TOY) == 0) {
		t->staged = true;
		memcpy(t->staged_peer, to->peer, PAWLINK_ID_LEN);
		memcpy(t->staged_host, to->host, PAWLINK_ID_LEN);
		toy_send_plain(t, to->peer, to->resp, to->resp_len);
	}
	sodium_memzero(to, sizeof(*to));
}

/* The staged keys just took over: a new session, or a rekey of this one. */
static bool session_started(struct toy *t, bool was_keyed)
{
	t->staged = false;
	if (was_keyed)
		return false;
	memcpy(t->peer, t->staged_peer, PAWLINK_ID_LEN);
	memcpy(t->host, t->staged_host, PAWLINK_ID_LEN);
	t->session = true;
	t->c.sessions++;
	toy_log_event(t, PAWLINK_TOY_EV_SESSION_START, 0, t->host);
	return true;
}

/*
 * A plaintext record the keyed link refused: a session INIT still goes on
 * (its host may have lost the session); anything else stays dropped.
 */
static int plain_init(const uint8_t *rec, size_t len, struct toy_record *r)
{
	const uint8_t *body;
	size_t body_len;
	uint8_t channel;

	if (pawlink_record_read_plain(rec, len, &channel, &body, &body_len) ||
	    channel != PAWLINK_CH_PLAIN || body_len == 0 ||
	    body[0] != PAWLINK_SESS_INIT || body_len > sizeof(r->pt))
		return -EPERM;
	memcpy(r->pt, body, body_len);
	r->len = body_len;
	r->channel = PAWLINK_CH_PLAIN;
	return 0;
}

int toy_session_open(struct toy *t, const uint8_t *rec, size_t len,
		     struct toy_record *r)
{
	bool was_keyed = t->link.keyed;
	uint32_t was_epoch = t->link.tx_ctrl.epoch;
	int rc;

	r->started = false;
	rc = pawlink_record_link_open(&t->link, rec, len, &r->channel, r->pt,
				      sizeof(r->pt), &r->len);
	if (rc == -EPERM && t->session)
		return plain_init(rec, len, r);
	if (rc)
		return rc;
	if (r->channel == PAWLINK_CH_PLAIN)
		return 0;
	if (!was_keyed || t->link.tx_ctrl.epoch != was_epoch)
		r->started = session_started(t, was_keyed);
	t->heard_us = toy_now(t);
	return 0;
}

void toy_session_close(struct toy *t, uint8_t reason)
{
	/* The drop counts outlive the link they were counted on. */
	t->c.dropped_plaintext += t->link.dropped_plaintext;
	t->c.dropped_auth += t->link.rx_ctrl.stats.forged +
			     t->link.rx_audio.stats.forged;
	t->c.dropped_replay += t->link.rx_ctrl.stats.replayed +
			       t->link.rx_audio.stats.replayed;
	t->c.dropped_malformed += t->link.rx_ctrl.stats.malformed +
				  t->link.rx_audio.stats.malformed;
	pawlink_record_link_wipe(&t->link);
	t->staged = false;
	t->session = false;
	toy_log_event(t, PAWLINK_TOY_EV_SESSION_END, reason, t->host);
	memset(t->peer, 0, sizeof(t->peer));
	memset(t->host, 0, sizeof(t->host));
}

bool toy_session_idle(const struct toy *t)
{
	return t->session && toy_now(t) - t->heard_us >= TOY_SESSION_IDLE_US;
}

uint64_t toy_session_deadline(const struct toy *t)
{
	return t->session ? t->heard_us + TOY_SESSION_IDLE_US : UINT64_MAX;
}
