// SPDX-License-Identifier: GPL-2.0
/*
 * `pawsim toy`: the toy firmware core (toy/toy.h) on Linux
 * (Documentation/toy.rst, "pawsim toy").  This file is the platform: the
 * clock, files in the state directory as the toy's flash, a radio on a
 * `pawsim air`, libpawlink's message decoder (audio_convert.h), the
 * button on a control socket, and the event loop.
 *
 *   STATE_DIR/identity, policy, log, settings   the blobs, 0600, each
 *                                               written temp-fsync-rename
 *   STATE_DIR/label        the setup code, as printed on the toy's tag
 *   STATE_DIR/messages/    the voice message store (msg_store.h)
 *   STATE_DIR/control.sock the button: `pawsim toy --dir D press`
 *   STATE_DIR/lock         one toy per directory
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "air_args.h"
#include "air_pace.h"
#include "audio_convert.h"
#include "msg_store.h"
#include "pawsim.h"
#include "radio.h"
#include "toy/toy.h"
#include "toy_linux_audio.h"
#include "bytes.h"
#include "json_out.h"

#define CONTROL_SOCK		"control.sock"
#define CONTROL_MSG_MAX		64
#define CONTROL_TIMEOUT_MS	1000
#define MESSAGES_DIR		"messages"
/* The loop looks at signals and the button at least this often. */
#define LOOP_WAIT_MAX_MS	1000
/* --clock-ppm: a crystal far worse than this is a broken toy. */
#define CLOCK_PPM_MAX		100000

static const char *const blob_names[TOY_BLOB_COUNT] = {
	[TOY_BLOB_IDENTITY] = "identity",
	[TOY_BLOB_POLICY] = "policy",
	[TOY_BLOB_LOG] = "log",
	[TOY_BLOB_SETTINGS] = "settings",
	[TOY_BLOB_SECURE_ELEMENT] = "secure-element",
	[TOY_BLOB_STAMPS] = "stamps",
};

struct linux_toy {
	const char *dir;
	int dirfd;
	int lockfd;
	struct radio *radio;		/* NULL when not on the air */
	struct air_pace pace;		/* a radio's short queue */
	struct pawlink_msg_store *store;
	struct toy_audio_dev *audio;
	bool led;
	bool made_label;
	/* The toy's clock: (1 + ppm / 1e6) x CLOCK_MONOTONIC from @origin_us. */
	long ppm;
	uint64_t origin_us;
};

/* ---- the toy's flash: files in the state directory --------------------- */

/* Writes @name atomically: temporary, fsync, rename, directory fsync. */
static int write_file(struct linux_toy *lt, const char *name,
		      const void *buf, size_t len)
{
	char tmp[NAME_MAX];
	const uint8_t *p = buf;
	ssize_t n;
	int fd, rc = 0;

	snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
	unlinkat(lt->dirfd, tmp, 0);
	fd = openat(lt->dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -errno : -EIO;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	if (!rc && fsync(fd))
		rc = -errno;
	if (close(fd) && !rc)
		rc = -errno;
	if (!rc && renameat(lt->dirfd, tmp, lt->dirfd, name))
		rc = -errno;
	if (rc) {
		unlinkat(lt->dirfd, tmp, 0);
		return rc;
	}
	return fsync(lt->dirfd) ? -errno : 0;
}

static int lx_blob_load(void *ctx, enum toy_blob blob, uint8_t *buf,
			size_t cap, size_t *len)
{
	struct linux_toy *lt = ctx;
	ssize_t n;
	int fd, rc = 0;

	*len = 0;
	fd = openat(lt->dirfd, blob_names[blob], O_RDONLY | O_NOFOLLOW |
		    O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (*len < cap) {
		n = read(fd, buf + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			rc = -errno;
		if (n <= 0)
			break;
		*len += (size_t)n;
	}
	close(fd);
	return rc;
}

static int lx_blob_save(void *ctx, enum toy_blob blob, const uint8_t *buf,
			size_t len)
{
	return write_file(ctx, blob_names[blob], buf, len);
}

static int lx_print_label(void *ctx, const char *code)
{
	struct linux_toy *lt = ctx;
	char line[16];
	int n = snprintf(line, sizeof(line), "%s\n", code);
	int rc;

	rc = write_file(lt, "label", line, (size_t)n);
	sodium_memzero(line, sizeof(line));
	if (rc == 0)
		lt->made_label = true;
	return rc;
}

static struct pawlink_msg_store *lx_messages(void *ctx)
{
	return ((struct linux_toy *)ctx)->store;
}

static int open_store(struct linux_toy *lt)
{
	char path[PATH_MAX], err[256];
	int rc;

	snprintf(path, sizeof(path), "%s/%s", lt->dir, MESSAGES_DIR);
	rc = pawlink_msg_store_open_sealed(&lt->store, path, NULL, err,
					   sizeof(err));
	if (rc)
		pawsim_msg("cannot open the message store: %s", err);
	return rc;
}

/* Every file of the store goes, then an empty store opens in its place. */
static int lx_erase_messages(void *ctx)
{
	struct linux_toy *lt = ctx;
	struct dirent *de;
	int fd, rc = 0;
	DIR *d;

	pawlink_msg_store_close(lt->store);
	lt->store = NULL;
	fd = openat(lt->dirfd, MESSAGES_DIR, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (unlinkat(fd, de->d_name, 0) && !rc)
			rc = -errno;
	}
	if (fsync(fd) && !rc)
		rc = -errno;
	closedir(d);
	if (rc)
		return rc;
	return open_store(lt);
}

/* ---- clock, random, radio, audio, LED, events --------------------------- */

static uint64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/*
 * The toy's own clock, which paces its microphone and speaker: with
 * --clock-ppm it runs fast or slow against the host's, as a real toy's
 * crystal does.
 */
static uint64_t lx_now_us(void *ctx)
{
	struct linux_toy *lt = ctx;
	int64_t d = (int64_t)(mono_us() - lt->origin_us);

	return lt->origin_us + (uint64_t)(d + d * lt->ppm / 1000000);
}

static void lx_random(void *ctx, uint8_t *buf, size_t len)
{
	(void)ctx;
	randombytes_buf(buf, len);
}

static int lx_radio_set_id(void *ctx, const uint8_t id[PAWLINK_ID_LEN])
{
	struct linux_toy *lt = ctx;

	return lt->radio ? radio_set_id(lt->radio, id) : 0;
}

static int lx_radio_send(void *ctx, const uint8_t dst[PAWLINK_ID_LEN],
			 const uint8_t *rec, size_t len)
{
	struct linux_toy *lt = ctx;
	int rc;

	if (!lt->radio)
		return -ENOTCONN;
	rc = radio_send_record(lt->radio, dst, rec, len);
	if (rc == 0)
		air_pace_sent(&lt->pace, radio_now(lt->radio),
			      PAWLINK_AIR_HDR_LEN + len);
	return rc;
}

static int lx_radio_beacon(void *ctx, uint8_t flags)
{
	struct linux_toy *lt = ctx;
	int rc;

	if (!lt->radio)
		return -ENOTCONN;
	rc = radio_send_beacon(lt->radio, flags);
	if (rc == 0)
		air_pace_sent(&lt->pace, radio_now(lt->radio),
			      PAWLINK_AIR_HDR_LEN + PAWLINK_AIR_BEACON_LEN);
	return rc;
}

/* The pace is kept in air time; the toy's clock is CLOCK_MONOTONIC. */
static uint64_t lx_radio_ready_us(void *ctx)
{
	struct linux_toy *lt = ctx;
	uint64_t now_us = lx_now_us(ctx), now_ns, ready;

	if (!lt->radio)
		return now_us;
	now_ns = radio_now(lt->radio);
	ready = air_pace_ready(&lt->pace);
	return ready > now_ns ? now_us + (ready - now_ns + 999) / 1000 : now_us;
}

static void lx_speaker(void *ctx, const int16_t *pcm, size_t frames)
{
	struct linux_toy *lt = ctx;

	if (lt->audio)
		toy_audio_dev_play(lt->audio, pcm, frames);
}

static void lx_mic(void *ctx, int16_t *pcm, size_t frames)
{
	struct linux_toy *lt = ctx;

	if (lt->audio)
		toy_audio_dev_listen(lt->audio, pcm, frames);
	else
		memset(pcm, 0, frames * sizeof(*pcm));
}

static void lx_led(void *ctx, bool on)
{
	struct linux_toy *lt = ctx;

	if (lt->led != on)
		pawsim_msg("LED %s", on ? "on" : "off");
	lt->led = on;
}

static void lx_event(void *ctx, const struct pawlink_toy_event *ev)
{
	char host[2 * PAWLINK_ID_LEN + 1];

	(void)ctx;
	pawlink_hex_encode(host, ev->host_id, PAWLINK_ID_LEN);
	pawsim_msg("event %" PRIu32 " %s detail %u host %s", ev->seq,
		   pawlink_toy_event_name(ev->event), ev->detail, host);
}

static void platform_init(struct toy_platform *pf, struct linux_toy *lt)
{
	*pf = (struct toy_platform){
		.ctx = lt,
		.now_us = lx_now_us,
		.random = lx_random,
		.blob_load = lx_blob_load,
		.blob_save = lx_blob_save,
		.print_label = lx_print_label,
		.radio_set_id = lx_radio_set_id,
		.radio_send = lx_radio_send,
		.radio_beacon = lx_radio_beacon,
		.radio_ready_us = lx_radio_ready_us,
		.speaker = lx_speaker,
		.mic = lx_mic,
		.decoder_open = pawlink_audio_message_open,
		.decoder_read = pawlink_audio_message_read,
		.decoder_close = pawlink_audio_message_close,
		.led = lx_led,
		.event = lx_event,
		.messages = lx_messages,
		.erase_messages = lx_erase_messages,
	};
}

/* ---- the state directory ------------------------------------------------ */

static int state_open(struct linux_toy *lt, const char *dir)
{
	lt->dir = dir;
	lt->lockfd = -1;
	if (mkdir(dir, 0700) && errno != EEXIST) {
		pawsim_msg("cannot make %s: %s", dir, strerror(errno));
		return -1;
	}
	lt->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (lt->dirfd < 0) {
		pawsim_msg("cannot open %s: %s", dir, strerror(errno));
		return -1;
	}
	lt->lockfd = openat(lt->dirfd, "lock", O_RDWR | O_CREAT | O_NOFOLLOW |
			    O_CLOEXEC, 0600);
	if (lt->lockfd < 0 || flock(lt->lockfd, LOCK_EX | LOCK_NB)) {
		pawsim_msg(errno == EWOULDBLOCK ?
			   "another pawsim toy runs on %s" :
			   "cannot lock %s", dir);
		return -1;
	}
	return open_store(lt) ? -1 : 0;
}

static void state_close(struct linux_toy *lt)
{
	pawlink_msg_store_close(lt->store);
	if (lt->lockfd >= 0)
		close(lt->lockfd);
	if (lt->dirfd >= 0)
		close(lt->dirfd);
}

/* ---- the button, on a control socket ------------------------------------ */

static int control_addr(const char *dir, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if ((size_t)snprintf(sa->sun_path, sizeof(sa->sun_path), "%s/%s", dir,
			     CONTROL_SOCK) >= sizeof(sa->sun_path)) {
		pawsim_msg("the path %s is too long for its control socket",
			   dir);
		return -1;
	}
	return 0;
}

static int control_listen(const char *dir)
{
	struct sockaddr_un sa;
	int fd;

	if (control_addr(dir, &sa))
		return -1;
	/* We hold the directory's lock: a socket here is a dead toy's. */
	unlink(sa.sun_path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(fd, 4)) {
		pawsim_msg("cannot listen on %s: %s", sa.sun_path,
			   strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static const char *press_reply(int rc)
{
	switch (rc) {
	case 0:
		return "ok: pairing window open for 10 minutes";
	case -EPERM:
		return "refused: pairing is locked out (factory reset needed)";
	case -ENOSPC:
		return "refused: 8 hosts are paired (revoke one first)";
	case -EACCES:
		return "refused: a host has paired; it invites others (pawctl invite)";
	default:
		return "error: the toy could not save its state";
	}
}

/* One client, one command, one reply.  Returns -1 if the toy must stop. */
static int control_serve(int listen_fd, struct toy *t)
{
	struct pollfd pfd = { .events = POLLIN };
	char msg[CONTROL_MSG_MAX];
	const char *reply;
	int fd, fatal = 0;
	ssize_t n;

	fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return 0;
	pfd.fd = fd;
	if (poll(&pfd, 1, CONTROL_TIMEOUT_MS) != 1) {
		close(fd);
		return 0;
	}
	n = recv(fd, msg, sizeof(msg) - 1, 0);
	msg[n > 0 ? n : 0] = '\0';
	if (!strcmp(msg, "press")) {
		reply = press_reply(toy_press_button(t));
	} else if (!strcmp(msg, "reset")) {
		if (toy_factory_reset(t)) {
			reply = "error: the factory reset failed; the toy stops";
			fatal = -1;
		} else {
			reply = "ok: factory reset done";
		}
	} else {
		reply = "error: unknown command (press or reset)";
	}
	send(fd, reply, strlen(reply), MSG_NOSIGNAL);
	close(fd);
	return fatal;
}

/* `pawsim toy --dir D press|reset`: the client side. */
static int control_client(const char *dir, const char *cmd)
{
	struct pollfd pfd = { .events = POLLIN };
	char reply[256];
	struct sockaddr_un sa;
	ssize_t n;
	int fd;

	if (control_addr(dir, &sa))
		return PAWSIM_EXIT_RUNTIME;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		pawsim_msg("no toy runs on %s: %s", dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		return PAWSIM_EXIT_RUNTIME;
	}
	pfd.fd = fd;
	if (send(fd, cmd, strlen(cmd), MSG_NOSIGNAL) < 0 ||
	    poll(&pfd, 1, 10 * CONTROL_TIMEOUT_MS) != 1 ||
	    (n = recv(fd, reply, sizeof(reply) - 1, 0)) <= 0) {
		pawsim_msg("the toy on %s did not answer", dir);
		close(fd);
		return PAWSIM_EXIT_RUNTIME;
	}
	close(fd);
	reply[n] = '\0';
	printf("%s\n", reply);
	return strncmp(reply, "ok", 2) ? PAWSIM_EXIT_RUNTIME : PAWSIM_EXIT_OK;
}

/* ---- the event loop ----------------------------------------------------- */

static int signals_fd(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

/* Runs the toy until a signal (0) or a failure (-1). */
static int run_loop(struct linux_toy *lt, struct toy *t, int ctl_fd,
		    int sig_fd)
{
	struct pollfd pfd[3] = {
		{ .fd = radio_fd(lt->radio), .events = POLLIN },
		{ .fd = ctl_fd, .events = POLLIN },
		{ .fd = sig_fd, .events = POLLIN },
	};
	struct radio_rx rx;
	uint64_t now, deadline, wait_ms;
	int rc;

	for (;;) {
		toy_run(t);
		now = lx_now_us(lt);
		deadline = toy_deadline(t);
		wait_ms = deadline > now ? (deadline - now + 999) / 1000 : 0;
		if (wait_ms > LOOP_WAIT_MAX_MS)
			wait_ms = LOOP_WAIT_MAX_MS;
		if (poll(pfd, 3, (int)wait_ms) < 0 && errno != EINTR) {
			pawsim_msg("poll: %s", strerror(errno));
			return -1;
		}
		if (pfd[2].revents)
			return 0;
		if (pfd[1].revents && control_serve(ctl_fd, t))
			return -1;
		while ((rc = radio_recv(lt->radio, &rx, 0)) == 0)
			if (rx.f.type == PAWLINK_AIR_DATA)
				toy_receive(t, rx.f.src, rx.f.payload,
					    rx.f.payload_len);
		if (rc != -ETIMEDOUT && rc != -EINTR) {
			pawsim_msg("the air went away: %s", strerror(-rc));
			return -1;
		}
	}
}

static void print_json(struct toy *t)
{
	struct pawlink_toy_status_info st;
	const struct toy_counters *c = toy_get_counters(t);
	uint8_t id[PAWLINK_ID_LEN];
	char hex[2 * PAWLINK_ID_LEN + 1];
	struct json_object *doc;

	toy_get_id(t, id);
	pawlink_hex_encode(hex, id, PAWLINK_ID_LEN);
	toy_get_status(t, &st);
	doc = json_object_new_object();
	if (doc) {
		json_object_object_add(doc, "toy_id", json_object_new_string(hex));
		pawsim_json_u64(doc, "boot", st.boot);
		pawsim_json_u64(doc, "paired_hosts", st.paired_hosts);
		pawsim_json_u64(doc, "lifetime_failures", st.lifetime_failures);
		/* A number, as it always was here (0 or 1). */
		pawsim_json_u64(doc, "locked", st.locked);
		pawsim_json_u64(doc, "msg_count", st.msg_count);
		pawsim_json_u64(doc, "log_next", st.log_next);
		pawsim_json_u64(doc, "mic_starts", st.mic_starts);
		pawsim_json_u64(doc, "sessions", c->sessions);
		pawsim_json_u64(doc, "beacons", c->beacons);
		pawsim_json_u64(doc, "rx_dropped_plaintext", st.rx_dropped_plaintext);
		pawsim_json_u64(doc, "rx_dropped_auth", st.rx_dropped_auth);
		pawsim_json_u64(doc, "rx_dropped_replay", st.rx_dropped_replay);
		pawsim_json_u64(doc, "rx_dropped_malformed", st.rx_dropped_malformed);
		pawsim_json_u64(doc, "refused_unauth", st.refused_unauth);
		pawsim_json_u64(doc, "audio_frames_sent", st.audio_frames_sent);
		pawsim_json_u64(doc, "speaker_samples", st.speaker_samples);
		pawsim_json_u64(doc, "audio_malformed", c->audio_malformed);
		pawsim_json_u64(doc, "speaker_underruns", c->speaker_underruns);
		pawsim_json_u64(doc, "speaker_lost", c->speaker_lost);
		pawsim_json_u64(doc, "speaker_late", c->speaker_late);
		pawsim_json_u64(doc, "speaker_dropped", c->speaker_dropped);
	}
	pawsim_json_print(stdout, doc);
}

/* ---- command line -------------------------------------------------------- */

struct toy_opts {
	const char *air, *dir, *mic, *speaker;
	bool button, factory_reset, json;
	int ready_fd;
	long clock_ppm;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: pawsim toy --air SOCKET --dir STATE_DIR [--mic SOURCE] [--speaker SINK]\n"
		"                  [--clock-ppm N] [--button] [--factory-reset] [--json]\n"
		"                  [--ready-fd FD]\n"
		"       pawsim toy --dir STATE_DIR --factory-reset\n"
		"       pawsim toy --dir STATE_DIR press|reset\n\n"
		"A simulated pawlink toy on the air at SOCKET, until SIGINT or SIGTERM.\n"
		"Its state (identity, paired hosts, log, messages) lives in STATE_DIR; on\n"
		"first boot it prints its setup code to STATE_DIR/label.\n\n"
		"  --air SOCKET     the `pawsim air` to join\n"
		"  --dir STATE_DIR  the toy's flash (made 0700 if missing)\n"
		"  --mic SOURCE     wav:FILE (16 kHz mono, looped), tone:HZ, alsa:DEVICE\n"
		"                   (a sound card's capture), loopback (what the speaker\n"
		"                   played) or silence (default)\n"
		"  --speaker SINK   FILE: write exactly what the speaker plays to a 16 kHz\n"
		"                   WAV file; alsa:DEVICE: play it on a sound card\n"
		"  --clock-ppm N    the toy's clock runs (1 + N/1e6) x the host's, N in\n"
		"                   -100000..100000 (default 0); microphone and speaker\n"
		"                   follow it\n"
		"  --button         press the pairing button once booted\n"
		"  --factory-reset  reset first (alone: reset, then exit)\n"
		"  --json           on exit, print the toy's counters as JSON\n"
		"  --ready-fd FD    once on the air, write \"ready\\n\" to FD, close it\n"
		"  press            press the running toy's pairing button\n"
		"  reset            factory-reset the running toy\n\n"
		"Exit status: 0 success, 1 usage error, 2 runtime error.\n");
}

/* Boots the toy and runs it (or only resets it); the exit status. */
static int toy_main(const struct toy_opts *o, struct toy_audio_dev *audio)
{
	struct linux_toy lt = { .dirfd = -1, .lockfd = -1, .audio = audio,
				.ppm = o->clock_ppm, .origin_us = mono_us() };
	struct toy_platform pf;
	char hex[2 * PAWLINK_ID_LEN + 1];
	uint8_t id[PAWLINK_ID_LEN];
	int ctl_fd = -1, sig_fd = -1, status = PAWSIM_EXIT_RUNTIME, rc;
	struct toy *t = NULL;

	if (sodium_init() < 0 || state_open(&lt, o->dir))
		goto out;
	if (o->air) {
		struct air_stats as;

		rc = radio_open(o->air, 0, &lt.radio);
		if (rc) {
			pawsim_msg("cannot join the air at %s: %s", o->air,
				   strerror(-rc));
			goto out;
		}
		air_pace_init(&lt.pace, radio_air_stats(lt.radio, &as) ? 0 :
					as.rate_bps);
	}
	platform_init(&pf, &lt);
	rc = toy_boot(&t, &pf);
	if (rc) {
		pawsim_msg(rc == -EBADMSG ?
			   "the toy's state in %s is corrupt: %s (--factory-reset starts over)" :
			   "the toy in %s cannot boot: %s", o->dir, strerror(-rc));
		goto out;
	}
	if (lt.made_label)
		pawsim_msg("a new toy: its setup code is on its label, %s/label",
			   o->dir);
	if (o->factory_reset) {
		rc = toy_factory_reset(t);
		if (rc) {
			pawsim_msg("factory reset failed: %s", strerror(-rc));
			goto out;
		}
		pawsim_msg("factory reset done");
	}
	if (!o->air) {
		status = PAWSIM_EXIT_OK;
		goto out;
	}
	ctl_fd = control_listen(o->dir);
	sig_fd = signals_fd();
	if (ctl_fd < 0 || sig_fd < 0)
		goto out;
	toy_get_id(t, id);
	pawlink_hex_encode(hex, id, PAWLINK_ID_LEN);
	pawsim_msg("toy %s on the air at %s", hex, o->air);
	if (o->button)
		pawsim_msg("button: %s", press_reply(toy_press_button(t)));
	rc = pawsim_signal_ready(o->ready_fd);
	if (rc)
		pawsim_msg("--ready-fd: %s", strerror(-rc));
	if (run_loop(&lt, t, ctl_fd, sig_fd) == 0)
		status = PAWSIM_EXIT_OK;
	if (o->json)
		print_json(t);
out:
	toy_free(t);
	if (ctl_fd >= 0) {
		struct sockaddr_un sa;

		close(ctl_fd);
		if (control_addr(o->dir, &sa) == 0)
			unlink(sa.sun_path);
	}
	if (sig_fd >= 0)
		close(sig_fd);
	radio_close(lt.radio);
	state_close(&lt);
	return status;
}

int pawsim_toy_main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "air", required_argument, NULL, 'a' },
		{ "dir", required_argument, NULL, 'd' },
		{ "mic", required_argument, NULL, 'm' },
		{ "speaker", required_argument, NULL, 's' },
		{ "button", no_argument, NULL, 'b' },
		{ "factory-reset", no_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "ready-fd", required_argument, NULL, 'f' },
		{ "clock-ppm", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct toy_opts o = { .ready_fd = -1 };
	struct toy_audio_dev *audio;
	char err[512];
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			o.air = optarg;
			break;
		case 'd':
			o.dir = optarg;
			break;
		case 'm':
			o.mic = optarg;
			break;
		case 's':
			o.speaker = optarg;
			break;
		case 'b':
			o.button = true;
			break;
		case 'r':
			o.factory_reset = true;
			break;
		case 'j':
			o.json = true;
			break;
		case 'f':
			if (air_arg_fd(optarg, &o.ready_fd))
				return pawsim_usage_error("bad --ready-fd '%s'",
							  optarg);
			break;
		case 'p': {
			char *end;

			errno = 0;
			o.clock_ppm = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end ||
			    o.clock_ppm < -CLOCK_PPM_MAX ||
			    o.clock_ppm > CLOCK_PPM_MAX)
				return pawsim_usage_error("bad --clock-ppm '%s' (-%d..%d)",
							  optarg, CLOCK_PPM_MAX,
							  CLOCK_PPM_MAX);
			break;
		}
		case 'h':
			usage(stdout);
			return PAWSIM_EXIT_OK;
		default:
			return pawsim_usage_error("bad option");
		}
	}
	if (!o.dir)
		return pawsim_usage_error("--dir STATE_DIR is required");
	if (optind < argc) {
		if (optind + 1 != argc ||
		    (strcmp(argv[optind], "press") && strcmp(argv[optind], "reset")))
			return pawsim_usage_error("unexpected argument '%s'",
						  argv[optind]);
		if (o.air || o.mic || o.speaker || o.button ||
		    o.factory_reset || o.json || o.ready_fd >= 0 ||
		    o.clock_ppm)
			return pawsim_usage_error("'%s' takes only --dir",
						  argv[optind]);
		return control_client(o.dir, argv[optind]);
	}
	if (!o.air && !o.factory_reset)
		return pawsim_usage_error("--air SOCKET is required");
	if (!o.air && (o.mic || o.speaker || o.button || o.json ||
		       o.ready_fd >= 0 || o.clock_ppm))
		return pawsim_usage_error("without --air only --factory-reset makes sense");
	rc = toy_audio_dev_open(&audio, o.mic, o.speaker, err, sizeof(err));
	if (rc == -EINVAL)
		return pawsim_usage_error("%s", err);
	if (rc) {
		pawsim_msg("%s", err);
		return PAWSIM_EXIT_RUNTIME;
	}
	rc = toy_main(&o, audio);
	toy_audio_dev_close(audio);
	return rc;
}
