// SPDX-License-Identifier: GPL-2.0
/*
 * `pawsim air`: the medium on the real clock, one radio per connection.
 *
 * The loop never blocks on a radio.  Output to a radio is queued and
 * written as its socket drains; a radio that stops reading overruns after
 * AIR_SERVER_OUT_MAX messages, as a real receiver would.  Input is read
 * only while the radio has room on the air (AIR_TX_BACKLOG_MAX), so a fast
 * sender is paced by the air's rate through its own socket buffer.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "air_frame.h"
#include "air_sock.h"
#include "air_server.h"
#include "pawsim.h"

struct out_msg {
	struct out_msg *next;
	size_t len;
	uint8_t buf[];
};

struct client {
	int fd;
	unsigned int slot;		/* in the medium */
	bool hup;			/* cannot be written to any more */
	struct out_msg *out, **out_tail;
	unsigned int nout;
};

struct air_server {
	int listen_fd;
	int sig_fd;
	uint64_t mono_start;
	struct air_config cfg;
	struct air_medium *m;
	struct client *client[AIR_RADIOS_MAX];
	unsigned int nclients;
	dev_t sock_dev;			/* the socket file we made, so we */
	ino_t sock_ino;			/* remove only that one at exit */
	uint8_t in[AIR_MSG_MAX];
	uint8_t msg[AIR_MSG_MAX];
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint64_t air_now(const struct air_server *s)
{
	return mono_ns() - s->mono_start;
}

static void drop_output(struct client *c)
{
	while (c->out) {
		struct out_msg *o = c->out;

		c->out = o->next;
		free(o);
	}
	c->out_tail = &c->out;
	c->nout = 0;
}

/* @c cannot be written to any more; what it sent may still be read. */
static void hang_up(struct client *c)
{
	c->hup = true;
	drop_output(c);
}

/* -ENOBUFS when @c is AIR_SERVER_OUT_MAX behind or gone. */
static int queue_msg(struct client *c, const uint8_t *buf, size_t len)
{
	struct out_msg *o;

	if (c->hup || c->nout >= AIR_SERVER_OUT_MAX)
		return -ENOBUFS;
	o = malloc(sizeof(*o) + len);
	if (!o)
		return -ENOBUFS;
	o->next = NULL;
	o->len = len;
	memcpy(o->buf, buf, len);
	*c->out_tail = o;
	c->out_tail = &o->next;
	c->nout++;
	return 0;
}

/* Writes queued messages until the socket is full. */
static void flush_client(struct client *c)
{
	while (c->out) {
		struct out_msg *o = c->out;
		ssize_t n = send(c->fd, o->buf, o->len,
				 MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			/* The radio is gone; its input may still be read. */
			hang_up(c);
			return;
		}
		c->out = o->next;
		if (!c->out)
			c->out_tail = &c->out;
		c->nout--;
		free(o);
	}
}

static int deliver_to_client(void *ctx, void *owner, const uint8_t *frame,
			     size_t len, uint64_t at_ns)
{
	struct air_server *s = ctx;

	return queue_msg(owner, s->msg, air_msg_frame(s->msg, at_ns, frame, len));
}

static void handle_msg(struct air_server *s, struct client *c, size_t len)
{
	struct air_msg msg;
	int rc;

	if (len > sizeof(s->in) || air_msg_parse(s->in, len, &msg)) {
		air_medium_reject(s->m, c->slot);
		return;
	}
	switch (msg.kind) {
	case AIR_MSG_FRAME:
		/* A malformed frame is counted by the medium and dropped. */
		rc = air_medium_offer(s->m, c->slot, msg.body, msg.body_len);
		if (rc == -ENOMEM)
			pawsim_msg("out of memory: frame dropped");
		break;
	case AIR_MSG_SET_ID:
		if (air_id_is_zero(msg.body) || air_id_is_broadcast(msg.body))
			air_medium_reject(s->m, c->slot);
		else
			air_medium_set_id(s->m, c->slot, msg.body);
		break;
	case AIR_MSG_STATS_REQ: {
		struct air_stats st;

		air_medium_stats(s->m, air_now(s), &st);
		/* A radio that never reads gets no more replies either. */
		queue_msg(c, s->msg, air_msg_stats(s->msg, &st));
		break;
	}
	default:
		/* WELCOME and STATS go the other way. */
		air_medium_reject(s->m, c->slot);
		break;
	}
}

/* Reads what the radio sent; false once it has gone and is drained. */
static bool read_client(struct air_server *s, struct client *c)
{
	unsigned int budget;

	for (budget = 0; budget < AIR_SERVER_READ_BUDGET; budget++) {
		ssize_t n;

		if (air_medium_backlog(s->m, c->slot) >= AIR_TX_BACKLOG_MAX)
			return true;
		n = recv(c->fd, s->in, sizeof(s->in), MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return true;
			/*
			 * A radio that left with frames it never read is
			 * reported as reset once, before what it sent last:
			 * read on, or its last frames never reach the air.
			 */
			if (errno == ECONNRESET) {
				hang_up(c);
				continue;
			}
			return false;
		}
		if (n == 0)
			return false;
		handle_msg(s, c, (size_t)n);
	}
	return true;
}

static void remove_client(struct air_server *s, unsigned int i)
{
	struct client *c = s->client[i];

	air_medium_leave(s->m, c->slot);
	drop_output(c);
	close(c->fd);
	free(c);
	s->client[i] = s->client[--s->nclients];
}

static void accept_client(struct air_server *s)
{
	struct air_radio_stats rs;
	struct air_welcome w;
	struct client *c;
	int fd;

	fd = accept4(s->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;		/* EAGAIN, or the radio gave up already */
	if (s->nclients == AIR_RADIOS_MAX) {
		pawsim_msg("air full (%u radios): refused a radio",
			   AIR_RADIOS_MAX);
		close(fd);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		goto err_close;
	c->fd = fd;
	c->out_tail = &c->out;
	if (air_medium_join(s->m, c, &c->slot))
		goto err_free;

	air_medium_radio_stats(s->m, c->slot, &rs);
	w.rate_bps = s->cfg.rate_bps;
	w.latency_ns = s->cfg.latency_ns;
	w.loss_ppm = s->cfg.loss_ppm;
	w.index = rs.index;
	if (queue_msg(c, s->msg, air_msg_welcome(s->msg, air_now(s), &w)))
		goto err_leave;
	flush_client(c);
	s->client[s->nclients++] = c;
	return;

err_leave:
	air_medium_leave(s->m, c->slot);
err_free:
	free(c);
err_close:
	pawsim_msg("out of memory: refused a radio");
	close(fd);
}

/* Removes a stale socket left by a dead air; refuses a live one. */
static int prepare_path(const char *path, struct sockaddr_un *addr)
{
	struct stat st;
	int fd, rc;

	if (strlen(path) >= sizeof(addr->sun_path)) {
		pawsim_msg("socket path too long: %s", path);
		return -ENAMETOOLONG;
	}
	memset(addr, 0, sizeof(*addr));
	addr->sun_family = AF_UNIX;
	memcpy(addr->sun_path, path, strlen(path) + 1);
	if (lstat(path, &st)) {
		if (errno == ENOENT)
			return 0;
		rc = -errno;
		pawsim_msg("%s: %s", path, strerror(errno));
		return rc;
	}
	if (!S_ISSOCK(st.st_mode)) {
		pawsim_msg("%s exists and is not a socket", path);
		return -EEXIST;
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	rc = connect(fd, (struct sockaddr *)addr, sizeof(*addr)) ? -errno : 0;
	close(fd);
	if (rc == 0) {
		pawsim_msg("an air already listens on %s", path);
		return -EADDRINUSE;
	}
	if (rc != -ECONNREFUSED) {
		pawsim_msg("%s: %s", path, strerror(-rc));
		return rc;
	}
	if (unlink(path)) {
		rc = -errno;
		pawsim_msg("cannot remove stale socket %s: %s", path,
			   strerror(errno));
		return rc;
	}
	return 0;
}

static int open_socket(struct air_server *s, const char *path)
{
	struct sockaddr_un addr;
	struct stat st;
	int rc;

	rc = prepare_path(path, &addr);
	if (rc)
		return rc;
	s->listen_fd = socket(AF_UNIX,
			      SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->listen_fd < 0) {
		rc = -errno;
		goto err;
	}
	if (bind(s->listen_fd, (struct sockaddr *)&addr, sizeof(addr))) {
		rc = -errno;
		goto err_close;
	}
	if (listen(s->listen_fd, AIR_RADIOS_MAX) || lstat(path, &st)) {
		rc = -errno;
		goto err_unlink;
	}
	s->sock_dev = st.st_dev;
	s->sock_ino = st.st_ino;
	return 0;

err_unlink:
	unlink(path);
err_close:
	close(s->listen_fd);
err:
	pawsim_msg("cannot listen on %s: %s", path, strerror(-rc));
	return rc;
}

static void remove_socket(const struct air_server *s, const char *path)
{
	struct stat st;

	if (lstat(path, &st) == 0 && st.st_dev == s->sock_dev &&
	    st.st_ino == s->sock_ino)
		unlink(path);
}

/* Fills @pfd: the listener, the signals, then one entry per client. */
static nfds_t fill_pollfds(struct air_server *s, struct pollfd *pfd)
{
	unsigned int i;

	pfd[0] = (struct pollfd){ .fd = s->listen_fd, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = s->sig_fd, .events = POLLIN };
	for (i = 0; i < s->nclients; i++) {
		struct client *c = s->client[i];
		bool can_read = air_medium_backlog(s->m, c->slot) <
				AIR_TX_BACKLOG_MAX;

		/* A full radio is left out entirely: a hung-up socket
		 * would otherwise wake us until its backlog drains. */
		pfd[2 + i].fd = can_read || c->out ? c->fd : -1;
		pfd[2 + i].events = (short)((can_read ? POLLIN : 0) |
					    (c->out ? POLLOUT : 0));
		pfd[2 + i].revents = 0;
	}
	return 2 + s->nclients;
}

static void serve_clients(struct air_server *s, const struct pollfd *pfd)
{
	unsigned int i = s->nclients;

	/* Backwards, so removing one moves only clients already seen. */
	while (i-- > 0) {
		struct client *c = s->client[i];
		short ev = pfd[2 + i].revents;

		if (ev & POLLOUT)
			flush_client(c);
		if ((ev & (POLLIN | POLLHUP | POLLERR)) && !read_client(s, c))
			remove_client(s, i);
	}
}

static int run_loop(struct air_server *s)
{
	struct pollfd pfd[2 + AIR_RADIOS_MAX];

	for (;;) {
		struct timespec ts, *tsp = NULL;
		uint64_t now = air_now(s), next;
		unsigned int i;
		nfds_t n;

		air_medium_schedule(s->m, now);
		air_medium_deliver(s->m, now, deliver_to_client, s);
		for (i = 0; i < s->nclients; i++)
			flush_client(s->client[i]);

		next = air_medium_next_delivery(s->m);
		if (next != UINT64_MAX) {
			uint64_t left = next > now ? next - now : 0;

			ts.tv_sec = (time_t)(left / 1000000000ULL);
			ts.tv_nsec = (long)(left % 1000000000ULL);
			tsp = &ts;
		}
		n = fill_pollfds(s, pfd);
		if (ppoll(pfd, n, tsp, NULL) < 0) {
			if (errno == EINTR)
				continue;
			pawsim_msg("ppoll: %s", strerror(errno));
			return -errno;
		}
		if (pfd[1].revents) {
			struct signalfd_siginfo si;

			/* Consume it, or it fires once the mask is restored. */
			if (read(s->sig_fd, &si, sizeof(si)) == sizeof(si))
				return 0;	/* SIGINT or SIGTERM */
		}
		if (pfd[0].revents & POLLIN)
			accept_client(s);
		serve_clients(s, pfd);
	}
}

int air_server_run(const struct air_server_opts *opts, struct air_stats *final)
{
	struct air_server *s;
	sigset_t mask, old;
	int rc;

	memset(final, 0, sizeof(*final));
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->cfg = opts->cfg;
	rc = air_medium_new(&opts->cfg, &s->m);
	if (rc)
		goto free_server;

	/* SIGINT and SIGTERM arrive through a signalfd, in the poll loop. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &mask, &old)) {
		rc = -errno;
		goto free_medium;
	}
	s->sig_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (s->sig_fd < 0) {
		rc = -errno;
		pawsim_msg("signalfd: %s", strerror(errno));
		goto restore_mask;
	}
	rc = open_socket(s, opts->path);
	if (rc)
		goto close_sigfd;

	s->mono_start = mono_ns();
	pawsim_msg("listening on %s: %llu bit/s, %llu ns latency, %u ppm loss, seed %llu",
		   opts->path, (unsigned long long)opts->cfg.rate_bps,
		   (unsigned long long)opts->cfg.latency_ns,
		   opts->cfg.loss_ppm, (unsigned long long)opts->cfg.seed);
	/* A failed write: nobody listening is the waiter's problem. */
	(void)pawsim_signal_ready(opts->ready_fd);
	rc = run_loop(s);
	air_medium_stats(s->m, air_now(s), final);

	while (s->nclients)
		remove_client(s, s->nclients - 1);
	close(s->listen_fd);
	remove_socket(s, opts->path);
close_sigfd:
	close(s->sig_fd);
restore_mask:
	sigprocmask(SIG_SETMASK, &old, NULL);
free_medium:
	air_medium_free(s->m);
free_server:
	free(s);
	return rc;
}
