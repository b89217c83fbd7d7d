// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzes the two ends of the message protocol together: the host client
 * (msg_host.c) and the toy service (msg_toy.c) over a real message store
 * (msg_store.c, in a fresh directory on tmpfs for every input).  A script
 * in the fuzz input starts host operations, forges frames into either
 * end, lets them talk (losslessly or with a loss pattern), and moves the
 * clock.
 *
 * Checks after every step: every frame each end emits decodes and is of
 * a type that end may send, an end with nothing to send has no deadline in
 * the past, and whatever the toy's store lists is exactly one of the
 * host's messages, byte for byte (forged frames never get a message
 * committed that the host did not send).
 */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "fuzz_msg.h"
#include "msg_host.h"
#include "msg_store.h"
#include "msg_toy.h"
#include "msg_wire.h"

#define NMSG		2

static const uint8_t host_id[PAWLINK_ID_LEN] = { 0x68, 0x6f, 0x73, 0x74 };
static char dir[64];
static uint8_t object[NMSG][6 * PAWLINK_MSG_CHUNK_DATA];
static struct pawlink_msg_info infos[NMSG];
static uint8_t got[sizeof(object[0])];

/* ---- deterministic randombytes, so one input is one path --------------- */

static uint64_t rng_state;

static uint32_t rng_random(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}

static void rng_buf(void *const buf, const size_t size)
{
	uint8_t *p = buf;
	size_t i;

	for (i = 0; i < size; i++)
		p[i] = (uint8_t)rng_random();
}

static const char *rng_name(void)
{
	return "pawlink-fuzz-deterministic";
}

static struct randombytes_implementation rng = {
	.implementation_name = rng_name,
	.random = rng_random,
	.buf = rng_buf,
};

/* ---- the two ends ------------------------------------------------------- */

struct world {
	uint64_t now;
	struct pawlink_msg_store *st;
	struct pawlink_msg_toy *toy;
	struct pawlink_msg_host *host;
	struct pawlink_msg_mem_source mem;
	struct pawlink_msg_source src;
	struct pawlink_msg_info get_info;
};

static int play(void *ctx, struct pawlink_msg_store *st,
		const struct pawlink_msg_info *info)
{
	(void)ctx;
	(void)st;
	return info->id[1] & 1 ? PAWLINK_MSG_E_BUSY : PAWLINK_MSG_OK;
}

static const struct pawlink_msg_toy_ops toy_ops = { play };

/* The host downloads into memory, checking the hash at commit. */
static int get_write(void *ctx, uint32_t index, const uint8_t *data,
		     size_t len)
{
	struct world *w = ctx;

	MSG_FUZZ_CHECK((uint64_t)index * PAWLINK_MSG_CHUNK_DATA + len <=
		       w->get_info.size);
	memcpy(got + (size_t)index * PAWLINK_MSG_CHUNK_DATA, data, len);
	return PAWLINK_MSG_OK;
}

static int get_checkpoint(void *ctx, const uint8_t *have, uint32_t n)
{
	(void)ctx;
	(void)have;
	(void)n;
	return PAWLINK_MSG_OK;
}

static int get_commit(void *ctx)
{
	struct world *w = ctx;

	return pawlink_msg_info_verify(&w->get_info, got, w->get_info.size);
}

static void get_release(void *ctx)
{
	(void)ctx;
}

static const struct pawlink_msg_sink_ops get_ops = {
	get_write, get_checkpoint, get_commit, get_release,
};

static int get_begin(void *ctx, const struct pawlink_msg_info *info,
		     struct pawlink_msg_sink *sink, uint8_t *have)
{
	struct world *w = ctx;

	(void)have;
	if (info->size > sizeof(got))
		return PAWLINK_MSG_E_TOO_LONG;
	w->get_info = *info;
	sink->ops = &get_ops;
	sink->ctx = w;
	return PAWLINK_MSG_OK;
}

static void check_store(struct world *w)
{
	struct pawlink_msg_info list[NMSG + 1];
	uint8_t *data;
	size_t n, i, k, len;
	bool more, known;

	pawlink_msg_store_list(w->st, NULL, list, NMSG + 1, &n, &more);
	MSG_FUZZ_CHECK(n <= NMSG && !more);
	for (i = 0; i < n; i++) {
		known = false;
		for (k = 0; k < NMSG; k++)
			known |= pawlink_msg_info_equal(&list[i], &infos[k]);
		MSG_FUZZ_CHECK(known);
		MSG_FUZZ_CHECK(pawlink_msg_store_read(w->st, list[i].id, &data,
						      &len) == PAWLINK_MSG_OK);
		free(data);
	}
}

static bool emit(struct world *w, bool from_toy, uint8_t *buf, size_t *len)
{
	struct pawlink_msg_frame f;
	int n;

	n = from_toy ? pawlink_msg_toy_output(w->toy, w->now, buf,
					      PAWLINK_FRAME_MAX) :
		       pawlink_msg_host_output(w->host, w->now, buf,
					       PAWLINK_FRAME_MAX);
	MSG_FUZZ_CHECK(n >= 0);
	if (n == 0) {
		MSG_FUZZ_CHECK((from_toy ? pawlink_msg_toy_deadline(w->toy) :
			       pawlink_msg_host_deadline(w->host)) > w->now);
		return false;
	}
	MSG_FUZZ_CHECK(pawlink_msg_decode(&f, buf, (size_t)n) == 0);
	/* Only the host asks; only the toy answers. */
	MSG_FUZZ_CHECK(from_toy ? !pawlink_msg_is_request(f.type) :
				  !pawlink_msg_is_response(f.type));
	*len = (size_t)n;
	return true;
}

static void exchange(struct world *w, uint8_t drop)
{
	uint8_t buf[PAWLINK_FRAME_MAX];
	size_t len;
	int i;

	for (i = 0; i < 96; i++) {
		bool any = false;

		if (emit(w, false, buf, &len)) {
			any = true;
			if (!(drop >> (i % 8) & 1))
				pawlink_msg_toy_input(w->toy, buf, len, w->now);
		}
		if (emit(w, true, buf, &len)) {
			any = true;
			if (!(drop >> ((i + 3) % 8) & 1))
				pawlink_msg_host_input(w->host, buf, len,
						       w->now);
		}
		w->now += 4000;
		if (!any)
			break;
	}
}

static void start_op(struct world *w, uint8_t which)
{
	const struct pawlink_msg_info *m = &infos[(which >> 3) % NMSG];

	switch (which % 8) {
	case 0:
		pawlink_msg_host_list(w->host, NULL, w->now);
		break;
	case 1:
		pawlink_msg_mem_source(&w->src, &w->mem,
				       object[(which >> 3) % NMSG], m->size);
		pawlink_msg_host_put(w->host, m, &w->src, w->now);
		break;
	case 2:
		pawlink_msg_host_get(w->host, m->id, get_begin, w, w->now);
		break;
	case 3:
		pawlink_msg_host_delete(w->host, m->id, w->now);
		break;
	case 4:
		pawlink_msg_host_play(w->host, m->id, w->now);
		break;
	case 5:
		pawlink_msg_host_cancel(w->host);
		break;
	case 6:
		pawlink_msg_host_list(w->host, m->id, w->now);
		break;
	default:
		/* The host restarts: a new client, same id. */
		pawlink_msg_host_free(w->host);
		MSG_FUZZ_CHECK(pawlink_msg_host_new(&w->host, host_id) == 0);
		break;
	}
}

static void step(struct world *w, uint8_t op, struct msg_fuzz_input *in)
{
	const uint8_t *frame;
	size_t len;
	uint8_t b = 0;

	switch (op % 8) {
	case 0:
		if (msg_fuzz_frame(in, &frame, &len))
			pawlink_msg_toy_input(w->toy, frame, len, w->now);
		break;
	case 1:
		if (msg_fuzz_frame(in, &frame, &len))
			pawlink_msg_host_input(w->host, frame, len, w->now);
		break;
	case 2:
		if (msg_fuzz_byte(in, &b))
			start_op(w, b);
		break;
	case 3:
		exchange(w, 0);
		break;
	case 4:
		msg_fuzz_byte(in, &b);
		exchange(w, b);
		break;
	case 5:
		msg_fuzz_byte(in, &b);
		w->now += (uint64_t)b * 1000;
		break;
	case 6:
		msg_fuzz_byte(in, &b);
		w->now += (uint64_t)b * 250000;
		break;
	default:
		/* The toy restarts (cleanly) over the same store. */
		pawlink_msg_toy_free(w->toy);
		MSG_FUZZ_CHECK(pawlink_msg_toy_new(&w->toy, w->st, host_id,
						   &toy_ops, NULL) == 0);
		break;
	}
}

static void empty_dir(void)
{
	char path[128];
	struct dirent *de;
	DIR *d = opendir(dir);

	while (d && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
}

static void write_seeds(void)
{
	uint8_t seed[64];
	size_t n = 0;

	/* put 0, talk, list, talk, get 0, talk, play, talk, delete, talk */
	static const uint8_t script[] = {
		2, 1, 3, 2, 0, 3, 2, 2, 3, 2, 4, 3, 2, 3, 3,
	};

	memcpy(seed, script, sizeof(script));
	n = sizeof(script);
	msg_fuzz_write_seed("put-list-get-play-delete", seed, n);
	/* put 1 over a lossy exchange, with the host restarting midway */
	n = 0;
	seed[n++] = 2;
	seed[n++] = 9;
	seed[n++] = 4;
	seed[n++] = 0x24;
	seed[n++] = 2;
	seed[n++] = 7;
	seed[n++] = 2;
	seed[n++] = 9;
	seed[n++] = 3;
	seed[n++] = 6;
	seed[n++] = 200;
	seed[n++] = 3;
	msg_fuzz_write_seed("lossy-put-restart", seed, n);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	size_t k, i;

	(void)argc;
	(void)argv;
	rng_state = 1;
	if (randombytes_set_implementation(&rng) != 0 || sodium_init() < 0)
		abort();
	for (k = 0; k < NMSG; k++) {
		for (i = 0; i < sizeof(object[k]); i++)
			object[k][i] = (uint8_t)(i * (k + 3) + k);
		if (pawlink_msg_info_create(&infos[k], host_id, 1700000000,
					    2000, object[k],
					    sizeof(object[k]) - 500 * k) !=
		    PAWLINK_MSG_OK)
			abort();
	}
	if (msg_fuzz_seeding()) {
		write_seeds();
		exit(0);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct pawlink_msg_store_limits lim = {
		.max_bytes = 10000, .max_count = NMSG,
	};
	struct msg_fuzz_input in = { data, size };
	struct world w = { .now = 1000000 };
	char err[256];
	uint8_t op;

	rng_state = 2;
	/* A fresh store per input, removed again at the end. */
	snprintf(dir, sizeof(dir), "%s/pawlink-fuzz-XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	MSG_FUZZ_CHECK(mkdtemp(dir) != NULL);
	MSG_FUZZ_CHECK(pawlink_msg_store_open(&w.st, dir, &lim, err,
					      sizeof(err)) == 0);
	MSG_FUZZ_CHECK(pawlink_msg_toy_new(&w.toy, w.st, host_id, &toy_ops,
					   NULL) == 0);
	MSG_FUZZ_CHECK(pawlink_msg_host_new(&w.host, host_id) == 0);
	while (msg_fuzz_byte(&in, &op)) {
		step(&w, op, &in);
		check_store(&w);
	}
	pawlink_msg_host_free(w.host);
	pawlink_msg_toy_free(w.toy);
	pawlink_msg_store_close(w.st);
	empty_dir();
	rmdir(dir);
	return 0;
}
