// SPDX-License-Identifier: GPL-2.0
/*
 * Voice-message goodput through the whole userspace stack (DESIGN §6,
 * "Messages"): `pawsim air` at its default rate and latency, `pawsim toy`
 * (the toy firmware core on it), and this process as the host, through
 * libpawlink's façade over the air transport: pairing, a session, then
 * uploads and downloads of a 60 s message (240 000 bytes: Ogg Opus at 32
 * kbit/s), at 0 % and 5 % loss.
 *
 * Figures are ratios measured on the air's own clock: goodput is message
 * bits / (rate x the time the transfer took), and the time is also given
 * as a multiple of the message's bare airtime.  Targets: goodput at least
 * 0.90 at 0 % loss and 0.75 at 5 %; a 60 s message within 1.10 x its
 * airtime.  Not a test: nothing passes or fails on a time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "bench_stats.h"

#include "libpawlink.h"
#include "msg_object.h"
#include "pawsim_procs.h"
#include "toy_cmd.h"
#include "transport.h"
#include "radio.h"
#include "tmpdir.h"

#define MSG_BYTES	240000		/* 60 s at 32 kbit/s */
#define ROUNDS		3		/* median of */

static char out_buf[8192];
/* The processes to stop if the bench has to give up. */
static struct child *live[2];

static void die(const char *what, const char *why)
{
	size_t i;

	fprintf(stderr, "bench_goodput: %s: %s\n", what, why);
	for (i = 0; i < 2; i++)
		child_kill(live[i]);
	exit(1);
}

struct scene {
	struct test_dir d;
	struct child air, toy;
	char toy_dir[160], host_dir[160];
	struct pawlink_transport *t;
	struct pawlink *p;
	struct radio *clock;		/* asks the air for its time */
	uint8_t toy_id[PAWLINK_ID_LEN];
	uint64_t rate;
};

static uint64_t air_now_ns(struct scene *s)
{
	struct air_stats st;

	if (radio_air_stats(s->clock, &st))
		die("air stats", "no answer");
	s->rate = st.rate_bps;
	return st.now_ns;
}

static void scene_open(struct scene *s, const char *loss)
{
	const char *const air_args[] = { "--loss", loss, "--seed", "1", NULL };
	char code[16], err[512];
	int rc;

	memset(s, 0, sizeof(*s));
	rc = test_dir_init(&s->d);
	if (rc)
		die("mkdtemp", strerror(-rc));
	test_dir_file(&s->d, "toy", s->toy_dir, sizeof(s->toy_dir));
	test_dir_file(&s->d, "host", s->host_dir, sizeof(s->host_dir));
	live[0] = &s->air;
	live[1] = &s->toy;
	if (pawsim_air_start(&s->air, s->d.sock, air_args))
		die("pawsim air", "did not start");
	if (pawsim_toy_start(&s->toy, s->d.sock, s->toy_dir, NULL))
		die("pawsim toy", "did not start");
	if (radio_open(s->d.sock, 0, &s->clock))
		die("radio", "cannot join the air");
	if (pawlink_transport_air_join(&s->t, s->d.sock) ||
	    pawlink_open_transport(&s->p, s->t, s->host_dir, err, sizeof(err)))
		die("host", err);
	rc = host_scan_toy(s->p, -1, s->toy_id);
	if (rc)
		die("scan", rc == -EAGAIN ? "no toy" : pawlink_error(s->p));
	if (pawsim_toy_label(s->toy_dir, code, sizeof(code)))
		die("label", "unreadable");
	if (pawsim_toy_command(s->toy_dir, "press", out_buf, sizeof(out_buf)))
		die("press", out_buf);
	if (pawlink_pair(s->p, s->toy_id, code, "") ||
	    pawlink_connect(s->p, s->toy_id, NULL))
		die("pair and connect", pawlink_error(s->p));
}

static void scene_close(struct scene *s)
{
	pawlink_close(s->p);
	pawlink_transport_close(s->t);
	radio_close(s->clock);
	child_stop(&s->toy, out_buf, sizeof(out_buf));
	child_stop(&s->air, out_buf, sizeof(out_buf));
	live[0] = live[1] = NULL;
	test_dir_remove(&s->d);
}

/* Air seconds one put (or get) of a new random message took. */
static void transfer(struct scene *s, double *put_s, double *get_s)
{
	struct pawlink_msg_info info;
	uint8_t *obj, *back;
	uint64_t t0;
	size_t len;

	obj = malloc(MSG_BYTES);
	if (!obj)
		die("malloc", "out of memory");
	randombytes_buf(obj, MSG_BYTES);
	t0 = air_now_ns(s);
	if (pawlink_upload(s->p, obj, MSG_BYTES, 60000, &info))
		die("put", pawlink_error(s->p));
	*put_s = (double)(air_now_ns(s) - t0) / 1e9;
	t0 = air_now_ns(s);
	if (pawlink_download(s->p, info.id, &back, &len, NULL))
		die("get", pawlink_error(s->p));
	*get_s = (double)(air_now_ns(s) - t0) / 1e9;
	if (len != MSG_BYTES || memcmp(back, obj, len))
		die("get", "different bytes");
	if (pawlink_delete(s->p, info.id))
		die("delete", pawlink_error(s->p));
	free(back);
	free(obj);
}

static void run(const char *loss)
{
	double put[ROUNDS], get[ROUNDS], airtime;
	struct scene s;
	int i;

	scene_open(&s, loss);
	for (i = 0; i < ROUNDS; i++)
		transfer(&s, &put[i], &get[i]);
	qsort(put, ROUNDS, sizeof(put[0]), cmp_double);
	qsort(get, ROUNDS, sizeof(get[0]), cmp_double);
	airtime = (double)MSG_BYTES * 8 / (double)s.rate;
	printf("%-5s%% loss  upload   goodput %.3f of %.1f Mbit/s, %.3f x airtime\n",
	       loss, airtime / put[ROUNDS / 2], (double)s.rate / 1e6,
	       put[ROUNDS / 2] / airtime);
	printf("%-5s%% loss  download goodput %.3f of %.1f Mbit/s, %.3f x airtime\n",
	       loss, airtime / get[ROUNDS / 2], (double)s.rate / 1e6,
	       get[ROUNDS / 2] / airtime);
	scene_close(&s);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	/* The release build, unless told otherwise. */
	setenv("PAWSIM", "build/rel/pawsim", 0);
	printf("bench_goodput: a 60 s message (%d bytes) through pawsim air, "
	       "pawsim toy and libpawlink, median of %d\n", MSG_BYTES, ROUNDS);
	run("0");
	run("5");
	return 0;
}
