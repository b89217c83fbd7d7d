// SPDX-License-Identifier: GPL-2.0
/*
 * The toy's event log (Documentation/toy.rst, "Event log"): up to
 * TOY_LOG_KEEP events, saved after every one, readable by a paired host
 * in a session.  Blob of 24 + 512 * 32 bytes:
 *
 *   0  4  magic "PWLG"      12 4  next sequence number
 *   4  1  version 3         16 4  remote microphone starts, ever
 *   5  3  zero              20 4  entries held, n
 *   8  4  boot count        24    512 slots (toy_cmd.h's 32-byte form):
 *                                 the n entries held by rising seq, then
 *                                 slots all zero
 *
 * Events anyone in range can cause (refused pairing HELLOs, session INITs
 * no host key opens) are "unauthenticated"; every other event (microphone
 * start, pair-ok, unpair, factory reset, boot, ...) is "kept".  An
 * unauthenticated event folds, per type, into the one entry of that type
 * this boot already holds: a count (saturating) and the last time.  When
 * the log is full, the entry that goes is chosen, not the oldest:
 *
 *  - a kept event evicts the oldest unauthenticated entry, and only when
 *    there is none the oldest entry;
 *  - an unauthenticated event evicts only an unauthenticated entry (the
 *    oldest); when every entry is kept, it is not logged.
 *
 * So no number of unauthenticated events, over any number of boots, ever
 * pushes a kept entry out: seqs then have gaps, which readers skip.  They
 * are kept in RAM and reach flash at most once per TOY_LOG_UNAUTH_SAVE_US
 * (or with the next kept event's save), so a flood cannot wear the flash.
 *
 * A session that ends with BYE right after its own session-start (nothing
 * logged inside it) folds: the start entry becomes a "session" entry with
 * a count, or, when the entry before it is the same host's "session" of
 * this boot, that one counts it and the start's entry goes (a seq gap).
 * A pawctl command is one such session, so commands cost one entry per
 * run, not two per command; a mic-start is never folded away.
 *
 * Version 2 blobs (64 slots, before the fold) load as they are.
 */
#include <errno.h>
#include <string.h>

#include "byteorder.h"
#include "toy_priv.h"
#include "bytes.h"

#define LOG_MAGIC	"PWLG"
#define LOG_VERSION	3
#define LOG_HDR_LEN	24
#define LOG_BLOB_LEN \
	(LOG_HDR_LEN + TOY_LOG_KEEP * PAWLINK_TOY_LOG_ENTRY_LEN)
/* The blob before sessions folded: 64 slots; loaded, never written. */
#define LOG_V2_VERSION	2
#define LOG_V2_KEEP	64
#define LOG_V2_BLOB_LEN \
	(LOG_HDR_LEN + LOG_V2_KEEP * PAWLINK_TOY_LOG_ENTRY_LEN)

_Static_assert(LOG_BLOB_LEN <= TOY_BLOB_MAX, "the log fits its blob");

enum {
	OFF_MAGIC = 0,
	OFF_VERSION = 4,
	OFF_RESERVED = 5,
	OFF_BOOT = 8,
	OFF_NEXT = 12,
	OFF_MIC_STARTS = 16,
	OFF_COUNT = 20,
};

uint32_t toy_log_first(const struct toy *t)
{
	return t->log.count ? t->log.ent[0].seq : t->log.next;
}

static void encode(uint8_t *out, const struct toy_log *log)
{
	uint32_t i;

	memset(out, 0, LOG_BLOB_LEN);
	memcpy(out + OFF_MAGIC, LOG_MAGIC, 4);
	out[OFF_VERSION] = LOG_VERSION;
	pawlink_store_le32(out + OFF_BOOT, log->boot);
	pawlink_store_le32(out + OFF_NEXT, log->next);
	pawlink_store_le32(out + OFF_MIC_STARTS, log->mic_starts);
	pawlink_store_le32(out + OFF_COUNT, log->count);
	for (i = 0; i < log->count; i++)
		pawlink_toy_event_encode(out + LOG_HDR_LEN +
					 i * PAWLINK_TOY_LOG_ENTRY_LEN,
					 &log->ent[i]);
}

static int decode(struct toy_log *log, const uint8_t *in, size_t len)
{
	static const uint8_t zero[PAWLINK_TOY_LOG_ENTRY_LEN];
	const uint8_t *slot;
	uint32_t i, slots;

	memset(log, 0, sizeof(*log));
	if (len < LOG_HDR_LEN || memcmp(in + OFF_MAGIC, LOG_MAGIC, 4) ||
	    memcmp(in + OFF_RESERVED, zero, 3))
		return -EBADMSG;
	if (in[OFF_VERSION] == LOG_VERSION && len == LOG_BLOB_LEN)
		slots = TOY_LOG_KEEP;
	else if (in[OFF_VERSION] == LOG_V2_VERSION && len == LOG_V2_BLOB_LEN)
		slots = LOG_V2_KEEP;
	else
		return -EBADMSG;
	log->boot = pawlink_load_le32(in + OFF_BOOT);
	log->next = pawlink_load_le32(in + OFF_NEXT);
	log->mic_starts = pawlink_load_le32(in + OFF_MIC_STARTS);
	log->count = pawlink_load_le32(in + OFF_COUNT);
	if (log->count > slots || log->count > log->next)
		goto bad;
	for (i = 0; i < slots; i++) {
		slot = in + LOG_HDR_LEN + i * PAWLINK_TOY_LOG_ENTRY_LEN;
		if (i >= log->count) {
			if (memcmp(slot, zero, sizeof(zero)))
				goto bad;
			continue;
		}
		/* Rising seqs, each below next. */
		if (pawlink_toy_event_decode(&log->ent[i], slot) ||
		    log->ent[i].seq >= log->next ||
		    (i && log->ent[i].seq <= log->ent[i - 1].seq))
			goto bad;
	}
	return 0;
bad:
	memset(log, 0, sizeof(*log));
	return -EBADMSG;
}

static int save(struct toy *t)
{
	uint8_t buf[LOG_BLOB_LEN];

	encode(buf, &t->log);
	return t->pf.blob_save(t->pf.ctx, TOY_BLOB_LOG, buf, sizeof(buf));
}

static bool unauthenticated(uint8_t event)
{
	return event == PAWLINK_TOY_EV_SESSION_REJECT ||
	       event == PAWLINK_TOY_EV_PAIR_REFUSED;
}

/* The entry of @event this boot holds, or NULL. */
static struct pawlink_toy_event *folded_entry(struct toy_log *log,
					      uint8_t event)
{
	uint32_t i;

	for (i = 0; i < log->count; i++)
		if (log->ent[i].event == event &&
		    log->ent[i].boot == log->boot)
			return &log->ent[i];
	return NULL;
}

/*
 * Makes room for one more entry and returns it, zeroed, with the next
 * seq; NULL when the log is full and the eviction rule (top of file)
 * keeps every entry from an event of this kind.
 */
static struct pawlink_toy_event *new_entry(struct toy_log *log,
					   bool kept_event)
{
	struct pawlink_toy_event *e;
	uint32_t i, victim = 0;

	if (log->count == TOY_LOG_KEEP) {
		for (i = 0; i < log->count; i++)
			if (unauthenticated(log->ent[i].event))
				break;
		if (i == log->count && !kept_event)
			return NULL;
		victim = i == log->count ? 0 : i;
		memmove(&log->ent[victim], &log->ent[victim + 1],
			(log->count - victim - 1) * sizeof(log->ent[0]));
		log->count--;
	}
	e = &log->ent[log->count++];
	memset(e, 0, sizeof(*e));
	e->seq = log->next++;
	e->boot = log->boot;
	return e;
}

/*
 * An event anyone can cause: folded in RAM, saved at most once per
 * TOY_LOG_UNAUTH_SAVE_US.  A failed save keeps it in RAM: it is only
 * unauthenticated noise, and the next save carries it.
 */
static void unauth_event(struct toy *t, uint8_t event,
			 const uint8_t host[PAWLINK_ID_LEN])
{
	struct toy_log *log = &t->log;
	struct pawlink_toy_event *e = folded_entry(log, event);
	uint64_t now = toy_now(t);

	if (e) {
		if (e->detail < UINT8_MAX)
			e->detail++;
	} else {
		e = new_entry(log, false);
		if (!e)
			return;		/* every entry is worth more */
		e->event = event;
		e->detail = 1;
	}
	e->time_ms = (now - t->boot_us) / 1000;
	if (host)
		memcpy(e->host_id, host, PAWLINK_ID_LEN);
	else
		memset(e->host_id, 0, PAWLINK_ID_LEN);
	log->dirty = true;
	if (!log->saved_unauth ||
	    now - log->unauth_save_us >= TOY_LOG_UNAUTH_SAVE_US) {
		log->saved_unauth = true;
		log->unauth_save_us = now;
		if (save(t) == 0)
			log->dirty = false;
	}
	if (t->pf.event)
		t->pf.event(t->pf.ctx, e);
}

/*
 * The entry a session ending now folds into (top of file), or NULL: the
 * newest entry must be this host's session-start of this boot.  May drop
 * that start into the "session" entry before it.
 */
static struct pawlink_toy_event *fold_session(struct toy_log *log,
					      const uint8_t host[PAWLINK_ID_LEN])
{
	struct pawlink_toy_event *start, *run;

	if (!log->count)
		return NULL;
	start = &log->ent[log->count - 1];
	if (start->event != PAWLINK_TOY_EV_SESSION_START ||
	    start->boot != log->boot ||
	    memcmp(start->host_id, host, PAWLINK_ID_LEN))
		return NULL;
	run = log->count > 1 ? start - 1 : NULL;
	if (run && run->event == PAWLINK_TOY_EV_SESSION &&
	    run->boot == log->boot && run->count < UINT16_MAX &&
	    !memcmp(run->host_id, host, PAWLINK_ID_LEN)) {
		run->count++;
		run->time_ms = start->time_ms;
		memset(start, 0, sizeof(*start));
		log->count--;
		return run;
	}
	start->event = PAWLINK_TOY_EV_SESSION;
	start->count = 1;
	return start;
}

/*
 * A session that ended with BYE: folded when it can be (top of file),
 * else logged as a session-end.  The platform's event hook hears the
 * session-end either way, with the seq of the entry it went into: it
 * reports events, the log keeps what matters.
 */
static int session_end(struct toy *t, const uint8_t host[PAWLINK_ID_LEN],
		       bool *folded)
{
	struct toy_log *log = &t->log;
	struct pawlink_toy_event heard = { 0 }, *into;
	struct toy_log old = *log;
	int rc;

	*folded = false;
	into = host ? fold_session(log, host) : NULL;
	if (!into)
		return 0;
	*folded = true;
	rc = save(t);
	if (rc) {
		*log = old;
		return rc;
	}
	log->dirty = false;
	if (t->pf.event) {
		heard.seq = into->seq;
		heard.event = PAWLINK_TOY_EV_SESSION_END;
		heard.detail = PAWLINK_TOY_END_BYE;
		heard.boot = log->boot;
		heard.time_ms = (toy_now(t) - t->boot_us) / 1000;
		memcpy(heard.host_id, host, PAWLINK_ID_LEN);
		t->pf.event(t->pf.ctx, &heard);
	}
	return 0;
}

int toy_log_event(struct toy *t, uint8_t event, uint8_t detail,
		  const uint8_t host[PAWLINK_ID_LEN])
{
	struct toy_log *log = &t->log;
	struct toy_log old;
	struct pawlink_toy_event *e;
	uint64_t now = toy_now(t);
	int rc;

	if (unauthenticated(event)) {
		unauth_event(t, event, host);
		return 0;
	}
	if (event == PAWLINK_TOY_EV_SESSION_END &&
	    detail == PAWLINK_TOY_END_BYE) {
		bool folded;

		rc = session_end(t, host, &folded);
		if (rc || folded)
			return rc;
	}
	old = *log;
	e = new_entry(log, true);
	e->event = event;
	e->detail = detail;
	if (event == PAWLINK_TOY_EV_MIC_START)
		log->mic_starts++;
	e->time_ms = (now - t->boot_us) / 1000;
	if (host)
		memcpy(e->host_id, host, PAWLINK_ID_LEN);
	rc = save(t);
	if (rc) {
		/* Not durable: the log says only what it can keep saying. */
		*log = old;
		return rc;
	}
	log->dirty = false;
	if (t->pf.event)
		t->pf.event(t->pf.ctx, e);
	return 0;
}

int toy_log_load(struct toy *t)
{
	uint8_t buf[LOG_BLOB_LEN + 1];
	size_t len = 0;
	int rc;

	rc = t->pf.blob_load(t->pf.ctx, TOY_BLOB_LOG, buf, sizeof(buf), &len);
	if (rc == -ENOENT) {
		memset(&t->log, 0, sizeof(t->log));
		rc = 0;
	} else if (rc == 0) {
		rc = decode(&t->log, buf, len);
	}
	if (rc)
		return rc;
	t->log.boot++;
	return toy_log_event(t, PAWLINK_TOY_EV_BOOT, 0, NULL);
}

int toy_log_reset(struct toy *t)
{
	memset(&t->log, 0, sizeof(t->log));
	t->log.boot = 1;
	return toy_log_event(t, PAWLINK_TOY_EV_FACTORY_RESET, 0, NULL);
}

void toy_log_read(const struct toy *t, uint32_t from,
		  struct pawlink_toy_frame *resp)
{
	uint32_t i;

	resp->u.log.first = toy_log_first(t);
	resp->u.log.next = t->log.next;
	resp->u.log.count = 0;
	/* By rising seq, skipping the gaps evictions left. */
	for (i = 0; i < t->log.count &&
	     resp->u.log.count < PAWLINK_TOY_LOG_MAX; i++)
		if (t->log.ent[i].seq >= from)
			resp->u.log.entries[resp->u.log.count++] =
				t->log.ent[i];
}
