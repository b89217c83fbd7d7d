// SPDX-License-Identifier: GPL-2.0
/* Toy command frames: strict decoder and encoder; see toy_cmd.h. */
#include <errno.h>
#include <string.h>

#include "byteorder.h"
#include "pairing_policy.h"
#include "toy_cmd.h"
#include "bytes.h"

#include <sodium.h>

_Static_assert(sizeof(struct pawlink_toy_hdr) == PAWLINK_TOY_HDR_LEN,
	       "toy header is 8 bytes");
_Static_assert(sizeof(struct pawlink_toy_set) + PAWLINK_TOY_HDR_LEN ==
	       PAWLINK_TOY_SET_LEN, "LED and volume requests are 16 bytes");
_Static_assert(sizeof(struct pawlink_toy_log_req) + PAWLINK_TOY_HDR_LEN ==
	       PAWLINK_TOY_LOG_REQ_LEN, "log request is 16 bytes");
_Static_assert(sizeof(struct pawlink_toy_status) == PAWLINK_TOY_STATUS_LEN,
	       "status is 104 bytes");
_Static_assert(sizeof(struct pawlink_toy_log_resp) ==
	       PAWLINK_TOY_LOG_RESP_HDR_LEN, "log response header is 16 bytes");
_Static_assert(sizeof(struct pawlink_toy_log_entry) ==
	       PAWLINK_TOY_LOG_ENTRY_LEN, "log entry is 32 bytes");
_Static_assert(PAWLINK_TOY_HDR_LEN + PAWLINK_TOY_LOG_RESP_HDR_LEN +
	       PAWLINK_TOY_LOG_MAX * PAWLINK_TOY_LOG_ENTRY_LEN <=
	       PAWLINK_FRAME_MAX, "a full log response fits one frame");
_Static_assert(sizeof(struct pawlink_toy_hosts_resp) ==
	       PAWLINK_TOY_HOSTS_RESP_HDR_LEN, "hosts response header is 16 bytes");
_Static_assert(sizeof(struct pawlink_toy_host_entry) ==
	       PAWLINK_TOY_HOST_ENTRY_LEN, "host entry is 48 bytes");
_Static_assert(PAWLINK_TOY_HDR_LEN + PAWLINK_TOY_HOSTS_RESP_HDR_LEN +
	       PAWLINK_TOY_HOSTS_MAX * PAWLINK_TOY_HOST_ENTRY_LEN <=
	       PAWLINK_FRAME_MAX, "every host fits one frame");
_Static_assert(PAWLINK_TOY_HOSTS_MAX == PAWLINK_POLICY_MAX_HOSTS,
	       "the toy lists every host it can pair");
_Static_assert(sizeof(struct pawlink_toy_invite_resp) + PAWLINK_TOY_HDR_LEN ==
	       PAWLINK_TOY_INVITE_RESP_LEN, "invite response is 24 bytes");
_Static_assert(PAWLINK_TOY_INVITE_RESP < PAWLINK_TOY_TYPE_LAST,
	       "every type is in the toy's range");

/* Offsets in the header, the status body and a log entry. */
enum {
	OFF_TYPE = 0,
	OFF_STATUS = 1,
	OFF_TAG = 2,
	OFF_RESERVED = 4,
	OFF_BODY = PAWLINK_TOY_HDR_LEN,

	ST_BOOT = 0,
	ST_RESERVED0 = 4,
	ST_UPTIME = 8,
	ST_LED = 16,
	ST_VOLUME = 17,
	ST_MIC = 18,
	ST_PLAYING = 19,
	ST_HOSTS = 20,
	ST_WINDOW = 21,
	ST_LOCKED = 22,
	ST_RESERVED1 = 23,
	ST_FAILURES = 24,
	ST_MSG_COUNT = 28,
	ST_MSG_BYTES = 32,
	ST_LOG_NEXT = 40,
	ST_MIC_STARTS = 44,
	ST_COUNTERS = 48,	/* seven le64, in struct order */
	ST_NCOUNTERS = 7,

	LOG_FIRST = 0,
	LOG_NEXT = 4,
	LOG_COUNT = 8,
	LOG_RESERVED = 9,
	LOG_ENTRIES = OFF_BODY + PAWLINK_TOY_LOG_RESP_HDR_LEN,	/* 24 */

	EV_SEQ = 0,
	EV_EVENT = 4,
	EV_DETAIL = 5,
	EV_COUNT = 6,
	EV_BOOT = 8,
	EV_RESERVED2 = 12,
	EV_TIME = 16,
	EV_HOST = 24,

	HOSTS_COUNT = 0,
	HOSTS_RESERVED = 1,
	HOSTS_BOOT = 4,
	HOSTS_UPTIME = 8,
	HOSTS_ENTRIES = OFF_BODY + PAWLINK_TOY_HOSTS_RESP_HDR_LEN,	/* 24 */

	HE_ID = 0,
	HE_BOOT = 8,
	HE_FLAGS = 12,
	HE_RESERVED = 13,
	HE_PAIRED = 16,
	HE_SEEN = 24,
	HE_NAME = 32,

	INV_CODE = 0,
	INV_VALID = 8,
	INV_RESERVED = 12,
};

#define HE_FLAGS_KNOWN	(PAWLINK_TOY_HOST_YOU | PAWLINK_TOY_HOST_SEEN)

bool pawlink_toy_is_request(uint8_t type)
{
	return type >= PAWLINK_TOY_STATUS_REQ &&
	       type <= PAWLINK_TOY_INVITE_REQ &&
	       (type - PAWLINK_TOY_STATUS_REQ) % 2 == 0;
}

bool pawlink_toy_is_response(uint8_t type)
{
	return type >= PAWLINK_TOY_STATUS_RESP &&
	       type <= PAWLINK_TOY_INVITE_RESP &&
	       (type - PAWLINK_TOY_STATUS_RESP) % 2 == 0;
}

/* Public bytes only: no constant time needed. */
static bool all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static bool is_flag(uint8_t v)
{
	return v <= 1;
}

static uint64_t *status_counter(struct pawlink_toy_status_info *s, int i)
{
	uint64_t *c[ST_NCOUNTERS] = {
		&s->rx_dropped_plaintext, &s->rx_dropped_auth,
		&s->rx_dropped_replay, &s->rx_dropped_malformed,
		&s->refused_unauth, &s->audio_frames_sent, &s->speaker_samples,
	};

	return c[i];
}

static int decode_status(struct pawlink_toy_status_info *s, const uint8_t *p)
{
	int i;

	if (!all_zero(p + ST_RESERVED0, 4) || p[ST_RESERVED1] != 0 ||
	    !is_flag(p[ST_LED]) || !is_flag(p[ST_MIC]) ||
	    !is_flag(p[ST_PLAYING]) || !is_flag(p[ST_WINDOW]) ||
	    !is_flag(p[ST_LOCKED]) ||
	    p[ST_VOLUME] > PAWLINK_TOY_VOLUME_MAX ||
	    p[ST_HOSTS] > PAWLINK_POLICY_MAX_HOSTS)
		return -EBADMSG;
	s->boot = pawlink_load_le32(p + ST_BOOT);
	s->uptime_ms = pawlink_load_le64(p + ST_UPTIME);
	s->led = p[ST_LED];
	s->volume = p[ST_VOLUME];
	s->mic = p[ST_MIC];
	s->playing = p[ST_PLAYING];
	s->paired_hosts = p[ST_HOSTS];
	s->pairing_window = p[ST_WINDOW];
	s->locked = p[ST_LOCKED];
	s->lifetime_failures = pawlink_load_le32(p + ST_FAILURES);
	s->msg_count = pawlink_load_le32(p + ST_MSG_COUNT);
	s->msg_bytes = pawlink_load_le64(p + ST_MSG_BYTES);
	s->log_next = pawlink_load_le32(p + ST_LOG_NEXT);
	s->mic_starts = pawlink_load_le32(p + ST_MIC_STARTS);
	for (i = 0; i < ST_NCOUNTERS; i++)
		*status_counter(s, i) =
			pawlink_load_le64(p + ST_COUNTERS + 8 * i);
	/*
	 * What a toy can never truthfully say: a microphone without its LED,
	 * a lock-out that disagrees with the failure count, an open window
	 * while locked.
	 */
	if ((s->mic && !s->led) ||
	    s->lifetime_failures > PAWLINK_POLICY_LIFETIME_FAILURES ||
	    s->locked != (s->lifetime_failures ==
			  PAWLINK_POLICY_LIFETIME_FAILURES) ||
	    (s->pairing_window && s->locked))
		return -EBADMSG;
	return 0;
}

static void encode_status(uint8_t *p, const struct pawlink_toy_status_info *s)
{
	struct pawlink_toy_status_info copy = *s;
	int i;

	memset(p, 0, PAWLINK_TOY_STATUS_LEN);
	pawlink_store_le32(p + ST_BOOT, s->boot);
	pawlink_store_le64(p + ST_UPTIME, s->uptime_ms);
	p[ST_LED] = s->led;
	p[ST_VOLUME] = s->volume;
	p[ST_MIC] = s->mic;
	p[ST_PLAYING] = s->playing;
	p[ST_HOSTS] = s->paired_hosts;
	p[ST_WINDOW] = s->pairing_window;
	p[ST_LOCKED] = s->locked;
	pawlink_store_le32(p + ST_FAILURES, s->lifetime_failures);
	pawlink_store_le32(p + ST_MSG_COUNT, s->msg_count);
	pawlink_store_le64(p + ST_MSG_BYTES, s->msg_bytes);
	pawlink_store_le32(p + ST_LOG_NEXT, s->log_next);
	pawlink_store_le32(p + ST_MIC_STARTS, s->mic_starts);
	for (i = 0; i < ST_NCOUNTERS; i++)
		pawlink_store_le64(p + ST_COUNTERS + 8 * i,
				       *status_counter(&copy, i));
}

int pawlink_toy_event_decode(struct pawlink_toy_event *e,
			     const uint8_t p[PAWLINK_TOY_LOG_ENTRY_LEN])
{
	uint16_t count = pawlink_load_le16(p + EV_COUNT);

	memset(e, 0, sizeof(*e));
	if (!all_zero(p + EV_RESERVED2, 4) ||
	    p[EV_EVENT] < PAWLINK_TOY_EV_BOOT ||
	    p[EV_EVENT] > PAWLINK_TOY_EV_LAST)
		return -EBADMSG;
	/* A count exactly on folded sessions, which have no detail. */
	if (p[EV_EVENT] == PAWLINK_TOY_EV_SESSION ?
	    count == 0 || p[EV_DETAIL] : count != 0)
		return -EBADMSG;
	e->count = count;
	e->seq = pawlink_load_le32(p + EV_SEQ);
	e->event = p[EV_EVENT];
	e->detail = p[EV_DETAIL];
	e->boot = pawlink_load_le32(p + EV_BOOT);
	e->time_ms = pawlink_load_le64(p + EV_TIME);
	memcpy(e->host_id, p + EV_HOST, PAWLINK_ID_LEN);
	return 0;
}

void pawlink_toy_event_encode(uint8_t p[PAWLINK_TOY_LOG_ENTRY_LEN],
			      const struct pawlink_toy_event *e)
{
	memset(p, 0, PAWLINK_TOY_LOG_ENTRY_LEN);
	pawlink_store_le32(p + EV_SEQ, e->seq);
	p[EV_EVENT] = e->event;
	p[EV_DETAIL] = e->detail;
	pawlink_store_le16(p + EV_COUNT, e->count);
	pawlink_store_le32(p + EV_BOOT, e->boot);
	pawlink_store_le64(p + EV_TIME, e->time_ms);
	memcpy(p + EV_HOST, e->host_id, PAWLINK_ID_LEN);
}

static int decode_log(struct pawlink_toy_frame *f, const uint8_t *buf,
		      size_t len)
{
	const uint8_t *p = buf + OFF_BODY;
	uint32_t i;

	if (len < LOG_ENTRIES || !all_zero(p + LOG_RESERVED, 7))
		return -EBADMSG;
	f->u.log.first = pawlink_load_le32(p + LOG_FIRST);
	f->u.log.next = pawlink_load_le32(p + LOG_NEXT);
	f->u.log.count = p[LOG_COUNT];
	if (f->u.log.count > PAWLINK_TOY_LOG_MAX ||
	    len != LOG_ENTRIES +
		   (size_t)f->u.log.count * PAWLINK_TOY_LOG_ENTRY_LEN ||
	    f->u.log.first > f->u.log.next)
		return -EBADMSG;
	for (i = 0; i < f->u.log.count; i++) {
		struct pawlink_toy_event *e = &f->u.log.entries[i];

		if (pawlink_toy_event_decode(e, buf + LOG_ENTRIES +
				 i * PAWLINK_TOY_LOG_ENTRY_LEN))
			return -EBADMSG;
		/*
		 * Rising (an evicted stranger's entry leaves a gap), held,
		 * and older than the next one.
		 */
		if ((i == 0 && e->seq < f->u.log.first) ||
		    (i > 0 && e->seq <= f->u.log.entries[i - 1].seq) ||
		    e->seq >= f->u.log.next)
			return -EBADMSG;
	}
	return 0;
}

/*
 * A host name field: printable ASCII, then zero padding only.  An empty
 * name is all zero.  @out gets it NUL terminated.
 */
static int decode_name(char out[PAWLINK_TOY_HOST_NAME_LEN + 1],
		       const uint8_t *p)
{
	size_t n = 0;

	while (n < PAWLINK_TOY_HOST_NAME_LEN && p[n])
		n++;
	if (!all_zero(p + n, PAWLINK_TOY_HOST_NAME_LEN - n))
		return -EBADMSG;
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return -EBADMSG;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

bool pawlink_toy_host_name_ok(const char *name)
{
	size_t n = strnlen(name, PAWLINK_TOY_HOST_NAME_LEN + 1);

	if (n > PAWLINK_TOY_HOST_NAME_LEN)
		return false;
	for (size_t i = 0; i < n; i++)
		if (name[i] < 0x20 || name[i] > 0x7e)
			return false;
	return true;
}

static int decode_hosts(struct pawlink_toy_frame *f, const uint8_t *buf,
			size_t len)
{
	const uint8_t *p = buf + OFF_BODY;
	uint32_t i, j;

	if (len < HOSTS_ENTRIES || !all_zero(p + HOSTS_RESERVED, 3))
		return -EBADMSG;
	f->u.hosts.count = p[HOSTS_COUNT];
	f->u.hosts.boot = pawlink_load_le32(p + HOSTS_BOOT);
	f->u.hosts.uptime_ms = pawlink_load_le64(p + HOSTS_UPTIME);
	if (f->u.hosts.count > PAWLINK_TOY_HOSTS_MAX ||
	    len != HOSTS_ENTRIES +
		   (size_t)f->u.hosts.count * PAWLINK_TOY_HOST_ENTRY_LEN)
		return -EBADMSG;
	for (i = 0; i < f->u.hosts.count; i++) {
		const uint8_t *e = buf + HOSTS_ENTRIES +
				   i * PAWLINK_TOY_HOST_ENTRY_LEN;
		struct pawlink_toy_host_info *h = &f->u.hosts.entries[i];
		uint8_t flags = e[HE_FLAGS];

		if ((flags & ~HE_FLAGS_KNOWN) || !all_zero(e + HE_RESERVED, 3) ||
		    all_zero(e + HE_ID, PAWLINK_ID_LEN) ||
		    decode_name(h->name, e + HE_NAME))
			return -EBADMSG;
		memcpy(h->id, e + HE_ID, PAWLINK_ID_LEN);
		h->paired_boot = pawlink_load_le32(e + HE_BOOT);
		h->you = flags & PAWLINK_TOY_HOST_YOU;
		h->seen = flags & PAWLINK_TOY_HOST_SEEN;
		h->paired_ms = pawlink_load_le64(e + HE_PAIRED);
		h->seen_ms = pawlink_load_le64(e + HE_SEEN);
		/* Nothing seen has no time; no two entries name one host. */
		if (!h->seen && h->seen_ms)
			return -EBADMSG;
		for (j = 0; j < i; j++)
			if (!memcmp(f->u.hosts.entries[j].id, h->id,
				    PAWLINK_ID_LEN))
				return -EBADMSG;
	}
	return 0;
}

static void encode_hosts(uint8_t *out, const struct pawlink_toy_frame *f)
{
	uint8_t *p = out + OFF_BODY;
	uint32_t i;

	p[HOSTS_COUNT] = f->u.hosts.count;
	pawlink_store_le32(p + HOSTS_BOOT, f->u.hosts.boot);
	pawlink_store_le64(p + HOSTS_UPTIME, f->u.hosts.uptime_ms);
	for (i = 0; i < f->u.hosts.count; i++) {
		const struct pawlink_toy_host_info *h = &f->u.hosts.entries[i];
		uint8_t *e = out + HOSTS_ENTRIES + i * PAWLINK_TOY_HOST_ENTRY_LEN;

		memcpy(e + HE_ID, h->id, PAWLINK_ID_LEN);
		pawlink_store_le32(e + HE_BOOT, h->paired_boot);
		e[HE_FLAGS] = (uint8_t)((h->you ? PAWLINK_TOY_HOST_YOU : 0) |
					(h->seen ? PAWLINK_TOY_HOST_SEEN : 0));
		pawlink_store_le64(e + HE_PAIRED, h->paired_ms);
		pawlink_store_le64(e + HE_SEEN, h->seen_ms);
		memcpy(e + HE_NAME, h->name,
		       strnlen(h->name, PAWLINK_TOY_HOST_NAME_LEN));
	}
}

static int decode_invite_resp(struct pawlink_toy_frame *f, const uint8_t *buf,
			      size_t len)
{
	const uint8_t *p = buf + OFF_BODY;
	int i;

	if (len != PAWLINK_TOY_INVITE_RESP_LEN ||
	    !all_zero(p + INV_RESERVED, 4))
		return -EBADMSG;
	for (i = 0; i < PAWLINK_TOY_INVITE_CODE_LEN; i++)
		if (p[INV_CODE + i] < '0' || p[INV_CODE + i] > '9')
			return -EBADMSG;
	memcpy(f->u.invite.code, p + INV_CODE, PAWLINK_TOY_INVITE_CODE_LEN);
	f->u.invite.code[PAWLINK_TOY_INVITE_CODE_LEN] = '\0';
	f->u.invite.valid_ms = pawlink_load_le32(p + INV_VALID);
	return f->u.invite.valid_ms ? 0 : -EBADMSG;
}

/* The body of a request, after the common checks. */
static int decode_request(struct pawlink_toy_frame *f, const uint8_t *buf,
			  size_t len)
{
	const uint8_t *body = buf + OFF_BODY;

	if (buf[OFF_STATUS] != 0)
		return -EBADMSG;
	switch (f->type) {
	case PAWLINK_TOY_LED_REQ:
	case PAWLINK_TOY_VOLUME_REQ:
		if (len != PAWLINK_TOY_SET_LEN || !all_zero(body + 1, 7))
			return -EBADMSG;
		f->u.value = body[0];
		if (f->type == PAWLINK_TOY_LED_REQ ? !is_flag(f->u.value) :
		    f->u.value > PAWLINK_TOY_VOLUME_MAX)
			return -EBADMSG;
		return 0;
	case PAWLINK_TOY_LOG_REQ:
		if (len != PAWLINK_TOY_LOG_REQ_LEN || !all_zero(body + 4, 4))
			return -EBADMSG;
		f->u.from = pawlink_load_le32(body);
		return 0;
	case PAWLINK_TOY_REVOKE_REQ:
		if (len != PAWLINK_TOY_REVOKE_LEN ||
		    all_zero(body, PAWLINK_ID_LEN))
			return -EBADMSG;
		memcpy(f->u.host_id, body, PAWLINK_ID_LEN);
		return 0;
	case PAWLINK_TOY_INVITE_REQ:
		if (len != PAWLINK_TOY_INVITE_LEN)
			return -EBADMSG;
		return decode_name(f->u.name, body);
	default:
		return len == PAWLINK_TOY_HDR_LEN ? 0 : -EBADMSG;
	}
}

static int decode_response(struct pawlink_toy_frame *f, const uint8_t *buf,
			   size_t len)
{
	f->status = buf[OFF_STATUS];
	if (f->status > PAWLINK_TOY_STATUS_LAST)
		return -EBADMSG;
	if (f->status != PAWLINK_TOY_OK)
		return len == PAWLINK_TOY_HDR_LEN ? 0 : -EBADMSG;
	switch (f->type) {
	case PAWLINK_TOY_STATUS_RESP:
		if (len != PAWLINK_TOY_STATUS_RESP_LEN)
			return -EBADMSG;
		return decode_status(&f->u.status, buf + OFF_BODY);
	case PAWLINK_TOY_LOG_RESP:
		return decode_log(f, buf, len);
	case PAWLINK_TOY_HOSTS_RESP:
		return decode_hosts(f, buf, len);
	case PAWLINK_TOY_INVITE_RESP:
		return decode_invite_resp(f, buf, len);
	default:
		return len == PAWLINK_TOY_HDR_LEN ? 0 : -EBADMSG;
	}
}

int pawlink_toy_decode(struct pawlink_toy_frame *f, const uint8_t *buf,
		       size_t len)
{
	int ret = -EBADMSG;

	memset(f, 0, sizeof(*f));
	if (!buf || len < PAWLINK_TOY_HDR_LEN || len > PAWLINK_FRAME_MAX ||
	    !all_zero(buf + OFF_RESERVED, 4))
		goto out;
	f->type = buf[OFF_TYPE];
	f->tag = pawlink_load_le16(buf + OFF_TAG);
	if (pawlink_toy_is_request(f->type))
		ret = decode_request(f, buf, len);
	else if (pawlink_toy_is_response(f->type))
		ret = decode_response(f, buf, len);
out:
	if (ret)
		memset(f, 0, sizeof(*f));
	return ret;
}

int pawlink_toy_encode(uint8_t *buf, size_t cap,
		       const struct pawlink_toy_frame *f)
{
	uint8_t out[PAWLINK_FRAME_MAX];
	struct pawlink_toy_frame check;
	size_t len = PAWLINK_TOY_HDR_LEN;
	uint32_t i;

	if (!f || (!buf && cap))
		return -EINVAL;
	memset(out, 0, sizeof(out));
	out[OFF_TYPE] = f->type;
	out[OFF_STATUS] = f->status;
	pawlink_store_le16(out + OFF_TAG, f->tag);
	if (f->type == PAWLINK_TOY_LED_REQ ||
	    f->type == PAWLINK_TOY_VOLUME_REQ) {
		out[OFF_BODY] = f->u.value;
		len = PAWLINK_TOY_SET_LEN;
	} else if (f->type == PAWLINK_TOY_LOG_REQ) {
		pawlink_store_le32(out + OFF_BODY, f->u.from);
		len = PAWLINK_TOY_LOG_REQ_LEN;
	} else if (f->type == PAWLINK_TOY_STATUS_RESP &&
		   f->status == PAWLINK_TOY_OK) {
		encode_status(out + OFF_BODY, &f->u.status);
		len = PAWLINK_TOY_STATUS_RESP_LEN;
	} else if (f->type == PAWLINK_TOY_LOG_RESP &&
		   f->status == PAWLINK_TOY_OK) {
		if (f->u.log.count > PAWLINK_TOY_LOG_MAX)
			return -EINVAL;
		pawlink_store_le32(out + OFF_BODY + LOG_FIRST, f->u.log.first);
		pawlink_store_le32(out + OFF_BODY + LOG_NEXT, f->u.log.next);
		out[OFF_BODY + LOG_COUNT] = f->u.log.count;
		for (i = 0; i < f->u.log.count; i++)
			pawlink_toy_event_encode(out + LOG_ENTRIES +
				     i * PAWLINK_TOY_LOG_ENTRY_LEN,
				     &f->u.log.entries[i]);
		len = LOG_ENTRIES +
		      (size_t)f->u.log.count * PAWLINK_TOY_LOG_ENTRY_LEN;
	} else if (f->type == PAWLINK_TOY_HOSTS_RESP &&
		   f->status == PAWLINK_TOY_OK) {
		if (f->u.hosts.count > PAWLINK_TOY_HOSTS_MAX)
			return -EINVAL;
		encode_hosts(out, f);
		len = HOSTS_ENTRIES +
		      (size_t)f->u.hosts.count * PAWLINK_TOY_HOST_ENTRY_LEN;
	} else if (f->type == PAWLINK_TOY_REVOKE_REQ) {
		memcpy(out + OFF_BODY, f->u.host_id, PAWLINK_ID_LEN);
		len = PAWLINK_TOY_REVOKE_LEN;
	} else if (f->type == PAWLINK_TOY_INVITE_REQ) {
		memcpy(out + OFF_BODY, f->u.name,
		       strnlen(f->u.name, PAWLINK_TOY_HOST_NAME_LEN));
		len = PAWLINK_TOY_INVITE_LEN;
	} else if (f->type == PAWLINK_TOY_INVITE_RESP &&
		   f->status == PAWLINK_TOY_OK) {
		memcpy(out + OFF_BODY + INV_CODE, f->u.invite.code,
		       strnlen(f->u.invite.code, PAWLINK_TOY_INVITE_CODE_LEN));
		pawlink_store_le32(out + OFF_BODY + INV_VALID,
				   f->u.invite.valid_ms);
		len = PAWLINK_TOY_INVITE_RESP_LEN;
	}
	/* One set of rules: what the decoder refuses is not encoded. */
	if (pawlink_toy_decode(&check, out, len)) {
		sodium_memzero(out, sizeof(out));
		return -EINVAL;
	}
	sodium_memzero(&check, sizeof(check));
	if (cap < len) {
		sodium_memzero(out, sizeof(out));
		return -ENOSPC;
	}
	memcpy(buf, out, len);
	/* An invite's code passed through here. */
	sodium_memzero(out, len);
	return (int)len;
}

const char *pawlink_toy_event_name(uint8_t event)
{
	static const char *const names[] = {
		[PAWLINK_TOY_EV_BOOT] = "boot",
		[PAWLINK_TOY_EV_FACTORY_RESET] = "factory-reset",
		[PAWLINK_TOY_EV_BUTTON] = "button",
		[PAWLINK_TOY_EV_PAIR_START] = "pair-start",
		[PAWLINK_TOY_EV_PAIR_OK] = "pair-ok",
		[PAWLINK_TOY_EV_PAIR_FAIL] = "pair-fail",
		[PAWLINK_TOY_EV_PAIR_REFUSED] = "pair-refused",
		[PAWLINK_TOY_EV_LOCKED] = "locked",
		[PAWLINK_TOY_EV_SESSION_START] = "session-start",
		[PAWLINK_TOY_EV_SESSION_REJECT] = "session-reject",
		[PAWLINK_TOY_EV_SESSION_END] = "session-end",
		[PAWLINK_TOY_EV_MIC_START] = "mic-start",
		[PAWLINK_TOY_EV_MIC_STOP] = "mic-stop",
		[PAWLINK_TOY_EV_UNPAIR] = "unpair",
		[PAWLINK_TOY_EV_REVOKE] = "revoke",
		[PAWLINK_TOY_EV_INVITE] = "invite",
		[PAWLINK_TOY_EV_SESSION] = "session",
	};

	if (event >= PAWLINK_ARRAY_SIZE(names) || !names[event])
		return "unknown";
	return names[event];
}

const char *pawlink_toy_status_str(int status)
{
	switch (status) {
	case PAWLINK_TOY_OK:
		return "done";
	case PAWLINK_TOY_E_BAD_REQUEST:
		return "the toy refused a malformed or out-of-range request";
	case PAWLINK_TOY_E_IO:
		return "the toy could not save its state";
	case PAWLINK_TOY_E_NOT_FOUND:
		return "the toy has no such host paired";
	case PAWLINK_TOY_E_FULL:
		return "the toy has 8 hosts paired: revoke one first";
	default:
		return "unknown status";
	}
}
