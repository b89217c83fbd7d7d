// SPDX-License-Identifier: GPL-2.0
/*
 * The radio façade: checks what a radio sends, filters what it hears and
 * counts both; the transports behind it (radio/radio_sock.c, sim/air_local.c) only
 * move bytes and keep time.
 */
#include <errno.h>
#include <string.h>

#include "air_sock.h"
#include "radio_backend.h"
#include "radio.h"


int radio_open(const char *path, unsigned int flags, struct radio **out)
{
	int rc;

	*out = NULL;
	if (flags & ~RADIO_PROMISC)
		return -EINVAL;
	rc = radio_sock_open(path, out);
	if (rc)
		return rc;
	(*out)->promisc = flags & RADIO_PROMISC;
	return 0;
}

void radio_close(struct radio *r)
{
	if (r)
		r->ops->close(r);
}

int radio_set_id(struct radio *r, const uint8_t id[PAWLINK_ID_LEN])
{
	int rc;

	/* The same ids air_frame_parse() refuses as a source. */
	if (air_id_is_zero(id) || air_id_is_broadcast(id))
		return -EINVAL;
	rc = r->ops->set_id(r, id);
	if (rc)
		return rc;
	memcpy(r->id, id, PAWLINK_ID_LEN);
	return 0;
}

void radio_get_id(const struct radio *r, uint8_t id[PAWLINK_ID_LEN])
{
	memcpy(id, r->id, PAWLINK_ID_LEN);
}

void radio_set_promisc(struct radio *r, bool promisc)
{
	r->promisc = promisc;
}

int radio_fd(const struct radio *r)
{
	return r->fd;
}

uint64_t radio_now(const struct radio *r)
{
	return r->ops->now(r);
}

static int send_bytes(struct radio *r, const void *bytes, size_t len)
{
	int rc = r->ops->send(r, bytes, len);

	if (rc == 0)
		r->stats.sent++;
	return rc;
}

int radio_send_unchecked(struct radio *r, const void *bytes, size_t len)
{
	if (len < 1 || len > AIR_MSG_FRAME_MAX)
		return -EINVAL;
	return send_bytes(r, bytes, len);
}

int radio_send_frame(struct radio *r, const void *frame, size_t len)
{
	struct air_frame f;

	if (air_frame_parse(frame, len, &f) != AIR_FRAME_OK)
		return -EINVAL;
	return send_bytes(r, frame, len);
}

int radio_send_record(struct radio *r, const uint8_t dst[PAWLINK_ID_LEN],
		      const void *rec, size_t len)
{
	uint8_t frame[PAWLINK_AIR_FRAME_MAX];
	size_t n;

	if (air_id_is_zero(r->id))
		return -EADDRNOTAVAIL;
	n = air_frame_build(frame, sizeof(frame), PAWLINK_AIR_DATA, r->id, dst,
			    rec, len);
	if (n == 0)
		return -EMSGSIZE;
	return radio_send_frame(r, frame, n);
}

int radio_send_beacon(struct radio *r, uint8_t flags)
{
	uint8_t frame[PAWLINK_AIR_HDR_LEN + PAWLINK_AIR_BEACON_LEN];
	size_t n;

	if (air_id_is_zero(r->id))
		return -EADDRNOTAVAIL;
	n = air_frame_build_beacon(frame, sizeof(frame), r->id, flags);
	return radio_send_frame(r, frame, n);
}

static bool wanted(const struct radio *r, const struct air_frame *f)
{
	if (r->promisc || air_id_is_broadcast(f->dst))
		return true;
	return !air_id_is_zero(r->id) &&
	       memcmp(f->dst, r->id, PAWLINK_ID_LEN) == 0;
}

int radio_recv(struct radio *r, struct radio_rx *rx, int timeout_ms)
{
	uint64_t deadline = UINT64_MAX;

	if (timeout_ms >= 0)
		deadline = r->ops->now(r) + (uint64_t)timeout_ms * RADIO_NS_PER_MS;
	return radio_recv_until(r, rx, deadline);
}

int radio_recv_until(struct radio *r, struct radio_rx *rx,
		     uint64_t deadline_ns)
{
	uint64_t deadline = deadline_ns;
	int rc;

	for (;;) {
		rc = r->ops->recv(r, rx, deadline);
		if (rc)
			return rc;
		/* The air checked it already; a radio trusts no one. */
		if (air_frame_parse(rx->frame, rx->len, &rx->f) !=
		    AIR_FRAME_OK) {
			r->stats.malformed++;
			continue;
		}
		if (!wanted(r, &rx->f)) {
			r->stats.filtered++;
			continue;
		}
		r->stats.heard++;
		return 0;
	}
}

void radio_get_stats(const struct radio *r, struct radio_stats *st)
{
	*st = r->stats;
}

int radio_air_stats(struct radio *r, struct air_stats *st)
{
	return r->ops->air_stats(r, st);
}
