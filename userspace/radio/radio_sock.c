// SPDX-License-Identifier: GPL-2.0
/*
 * The socket transport of struct radio: one SOCK_SEQPACKET connection to
 * `pawsim air`, speaking radio/air_sock.h.  Air time is the air's clock as of
 * its welcome, carried forward with this host's CLOCK_MONOTONIC.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "air_sock.h"
#include "radio_backend.h"

/* How long to wait for the air's welcome and its stats replies: a bound
 * on a broken air, never part of the protocol's timing. */
#define REPLY_WAIT_NS	(10ULL * 1000000000ULL)

/* A frame that arrived while waiting for a stats reply. */
struct held_frame {
	struct held_frame *next;
	uint64_t time_ns;
	size_t len;
	uint8_t frame[];
};

struct sock_radio {
	struct radio base;
	uint64_t air_base_ns;		/* air time in the welcome */
	uint64_t mono_base_ns;		/* our clock when it arrived */
	struct held_frame *held, **held_tail;
	/* Separate buffers: one thread may send while another receives. */
	uint8_t tx[AIR_MSG_HDR_LEN + AIR_MSG_FRAME_MAX];
	uint8_t msg[AIR_MSG_MAX];
};

static struct sock_radio *to_sock(const struct radio *r)
{
	return (struct sock_radio *)r;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint64_t sock_now(const struct radio *r)
{
	const struct sock_radio *sr = to_sock(r);

	return sr->air_base_ns + (mono_ns() - sr->mono_base_ns);
}

/*
 * Reads the next well-formed message, waiting until @deadline_mono (our
 * clock; UINT64_MAX forever).  Packets that do not parse are counted and
 * skipped.  -ETIMEDOUT, -EINTR, -EPIPE when the air closed, -errno.
 */
static int read_msg(struct sock_radio *sr, uint64_t deadline_mono,
		    struct air_msg *msg)
{
	struct pollfd pfd = { .fd = sr->base.fd, .events = POLLIN };

	for (;;) {
		struct timespec ts, *tsp = NULL;
		ssize_t n;
		int rc;

		if (deadline_mono != UINT64_MAX) {
			uint64_t now = mono_ns();
			uint64_t left = deadline_mono > now ?
					deadline_mono - now : 0;

			ts.tv_sec = (time_t)(left / 1000000000ULL);
			ts.tv_nsec = (long)(left % 1000000000ULL);
			tsp = &ts;
		}
		rc = ppoll(&pfd, 1, tsp, NULL);
		if (rc < 0)
			return -errno;
		if (rc == 0)
			return -ETIMEDOUT;
		n = recv(sr->base.fd, sr->msg, sizeof(sr->msg),
			 MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			if (errno == ECONNRESET)
				return -EPIPE;
			return -errno;
		}
		if (n == 0)
			return -EPIPE;
		if ((size_t)n > sizeof(sr->msg) ||
		    air_msg_parse(sr->msg, (size_t)n, msg)) {
			sr->base.stats.malformed++;
			continue;
		}
		return 0;
	}
}

static int send_msg(struct sock_radio *sr, const uint8_t *msg, size_t len)
{
	ssize_t n;

	do {
		n = send(sr->base.fd, msg, len, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == ECONNRESET ? -EPIPE : -errno;
	return (size_t)n == len ? 0 : -EIO;
}

static int sock_send(struct radio *r, const uint8_t *bytes, size_t len)
{
	struct sock_radio *sr = to_sock(r);
	size_t n = air_msg_frame(sr->tx, 0, bytes, len);

	if (n == 0)
		return -EINVAL;
	return send_msg(sr, sr->tx, n);
}

static void fill_rx(struct radio_rx *rx, uint64_t time_ns,
		    const uint8_t *frame, size_t len)
{
	rx->time_ns = time_ns;
	rx->len = len;
	memcpy(rx->frame, frame, len);
}

static int sock_recv(struct radio *r, struct radio_rx *rx,
		     uint64_t deadline_ns)
{
	struct sock_radio *sr = to_sock(r);
	uint64_t deadline_mono = UINT64_MAX;
	struct air_msg msg;
	int rc;

	if (sr->held) {
		struct held_frame *h = sr->held;

		sr->held = h->next;
		if (!sr->held)
			sr->held_tail = &sr->held;
		fill_rx(rx, h->time_ns, h->frame, h->len);
		free(h);
		return 0;
	}
	if (deadline_ns != UINT64_MAX) {
		uint64_t now = sock_now(r);

		deadline_mono = mono_ns() +
				(deadline_ns > now ? deadline_ns - now : 0);
	}
	for (;;) {
		rc = read_msg(sr, deadline_mono, &msg);
		if (rc)
			return rc;
		if (msg.kind != AIR_MSG_FRAME ||
		    msg.body_len > PAWLINK_AIR_FRAME_MAX) {
			r->stats.malformed++;
			continue;
		}
		fill_rx(rx, msg.time_ns, msg.body, msg.body_len);
		return 0;
	}
}

static int hold_frame(struct sock_radio *sr, const struct air_msg *msg)
{
	struct held_frame *h;

	if (msg->body_len > PAWLINK_AIR_FRAME_MAX) {
		sr->base.stats.malformed++;
		return 0;
	}
	h = malloc(sizeof(*h) + msg->body_len);
	if (!h)
		return -ENOMEM;
	h->next = NULL;
	h->time_ns = msg->time_ns;
	h->len = msg->body_len;
	memcpy(h->frame, msg->body, msg->body_len);
	*sr->held_tail = h;
	sr->held_tail = &h->next;
	return 0;
}

/* Frames that arrive before the reply are kept for sock_recv(). */
static int sock_air_stats(struct radio *r, struct air_stats *st)
{
	struct sock_radio *sr = to_sock(r);
	uint64_t deadline = mono_ns() + REPLY_WAIT_NS;
	struct air_msg msg;
	uint8_t req[AIR_MSG_HDR_LEN];
	int rc;

	rc = send_msg(sr, req, air_msg_stats_req(req));
	if (rc)
		return rc;
	for (;;) {
		rc = read_msg(sr, deadline, &msg);
		if (rc)
			return rc;
		if (msg.kind == AIR_MSG_STATS)
			return air_msg_get_stats(&msg, st);
		if (msg.kind == AIR_MSG_FRAME) {
			rc = hold_frame(sr, &msg);
			if (rc)
				return rc;
			continue;
		}
		r->stats.malformed++;
	}
}

static int sock_set_id(struct radio *r, const uint8_t id[PAWLINK_ID_LEN])
{
	struct sock_radio *sr = to_sock(r);
	uint8_t msg[AIR_MSG_HDR_LEN + PAWLINK_ID_LEN];

	return send_msg(sr, msg, air_msg_set_id(msg, id));
}

static void sock_close(struct radio *r)
{
	struct sock_radio *sr = to_sock(r);

	while (sr->held) {
		struct held_frame *h = sr->held;

		sr->held = h->next;
		free(h);
	}
	close(r->fd);
	free(sr);
}

static const struct radio_ops sock_ops = {
	.send = sock_send,
	.recv = sock_recv,
	.set_id = sock_set_id,
	.now = sock_now,
	.air_stats = sock_air_stats,
	.close = sock_close,
};

/* The air sends its welcome once it has made us a radio on the air. */
static int await_welcome(struct sock_radio *sr)
{
	struct air_welcome w;
	struct air_msg msg;
	int rc;

	rc = read_msg(sr, mono_ns() + REPLY_WAIT_NS, &msg);
	if (rc == -EPIPE)
		return -ECONNRESET;	/* the air was full and hung up */
	if (rc)
		return rc;
	if (air_msg_get_welcome(&msg, &w))
		return -EPROTO;
	sr->mono_base_ns = mono_ns();
	sr->air_base_ns = msg.time_ns;
	return 0;
}

int radio_sock_open(const char *path, struct radio **out)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct sock_radio *sr;
	int rc;

	*out = NULL;
	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	memcpy(addr.sun_path, path, strlen(path) + 1);

	sr = calloc(1, sizeof(*sr));
	if (!sr)
		return -ENOMEM;
	sr->base.ops = &sock_ops;
	sr->held_tail = &sr->held;
	sr->base.fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (sr->base.fd < 0) {
		rc = -errno;
		goto err_free;
	}
	if (connect(sr->base.fd, (struct sockaddr *)&addr, sizeof(addr))) {
		rc = -errno;
		goto err_close;
	}
	rc = await_welcome(sr);
	if (rc)
		goto err_close;
	*out = &sr->base;
	return 0;

err_close:
	close(sr->base.fd);
err_free:
	free(sr);
	return rc;
}
