// SPDX-License-Identifier: GPL-2.0
/*
 * What sealing the toy's messages at rest costs (Documentation/messages.rst,
 * "Sealed store"): CPU to receive, commit and read back one message, in a
 * sealed store against a plain one, and the bytes each keeps on flash.
 * Both stores are on tmpfs when there is one, so the figure is the store's
 * work, not the disk's.  Printed as ratios to the plain store measured in
 * the same run.  Not a test: nothing here passes or fails on time.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>

#include "bench_stats.h"

#include "msg_object.h"
#include "msg_store.h"
#include "tmpdir.h"

#define BATCHES		5
#define OBJ_LEN		(256 * 1024)	/* about 70 s of 30 kbit/s Opus */

static void die(const char *what)
{
	fprintf(stderr, "bench_store: %s failed\n", what);
	exit(1);
}

/* Median over BATCHES of the per-iteration cost. */
static double median(double v[BATCHES])
{
	return bench_median(v, BATCHES);
}

static struct pawlink_msg_store *open_store(const char *dir, bool sealed)
{
	static const uint8_t key[PAWLINK_MSG_SEAL_KEY_LEN] = { 1 };
	struct pawlink_msg_store *st;
	char err[256];

	if (!sealed) {
		if (pawlink_msg_store_open(&st, dir, NULL, err, sizeof(err)))
			die(err);
		return st;
	}
	if (pawlink_msg_store_open_sealed(&st, dir, NULL, err, sizeof(err)) ||
	    pawlink_msg_store_seal(st, key))
		die("opening a sealed store");
	return st;
}

/*
 * One message received chunk by chunk (checkpointed every 8), committed,
 * read back whole and deleted; its file's size in *@file_bytes.
 */
static void one_message(struct pawlink_msg_store *st, const char *dir,
			const uint8_t *obj, off_t *file_bytes)
{
	uint8_t have[PAWLINK_MSG_BITMAP_LEN], *back;
	uint8_t sender[PAWLINK_ID_LEN] = { 7 };
	struct pawlink_msg_info info;
	struct pawlink_msg_sink sink;
	char path[160], hex[PAWLINK_MSG_ID_LEN * 2 + 1];
	uint32_t n = pawlink_msg_nchunks(OBJ_LEN), i;
	struct stat sb;
	size_t len;

	if (pawlink_msg_info_create(&info, sender, 1700000000, 70000, obj,
				    OBJ_LEN) != PAWLINK_MSG_OK ||
	    pawlink_msg_store_put_begin(st, &info, &sink, have) !=
	    PAWLINK_MSG_OK)
		die("put_begin");
	for (i = 0; i < n; i++) {
		if (sink.ops->write(sink.ctx, i,
				    obj + (size_t)i * PAWLINK_MSG_CHUNK_DATA,
				    pawlink_msg_chunk_len(OBJ_LEN, i)))
			die("write");
		pawlink_msg_bit_set(have, i);
		if (i % 8 == 7 && sink.ops->checkpoint(sink.ctx, have, n))
			die("checkpoint");
	}
	if (sink.ops->commit(sink.ctx))
		die("commit");
	sink.ops->release(sink.ctx);
	pawlink_msg_id_hex(hex, info.id);
	snprintf(path, sizeof(path), "%s/%s.msg", dir, hex);
	if (stat(path, &sb))
		die("stat");
	*file_bytes = sb.st_size;
	if (pawlink_msg_store_read(st, info.id, &back, &len) != PAWLINK_MSG_OK ||
	    len != OBJ_LEN || memcmp(back, obj, len))
		die("read back");
	free(back);
	if (pawlink_msg_store_delete(st, info.id) != PAWLINK_MSG_OK)
		die("delete");
}

static double bench_store(bool sealed, int iters, const uint8_t *obj,
			  off_t *file_bytes)
{
	struct pawlink_msg_store *st;
	double v[BATCHES], t;
	char dir[64];
	int b, i;

	if (test_tmpdir(dir, sizeof(dir), "bench-store", TEST_TMP_FAST))
		die("tmpdir");
	st = open_store(dir, sealed);
	for (b = 0; b < BATCHES; b++) {
		t = cpu_now_us();
		for (i = 0; i < iters; i++)
			one_message(st, dir, obj, file_bytes);
		v[b] = (cpu_now_us() - t) / iters;
	}
	pawlink_msg_store_close(st);
	test_rm_tree(dir);
	return median(v);
}

int main(int argc, char **argv)
{
	int iters = argc > 1 ? atoi(argv[1]) : 20;
	double plain_us, sealed_us;
	off_t plain_bytes = 0, sealed_bytes = 0;
	uint8_t *obj;

	if (iters < 1 || sodium_init() < 0)
		return 2;
	obj = malloc(OBJ_LEN);
	if (!obj)
		return 2;
	randombytes_buf(obj, OBJ_LEN);
	bench_store(false, 1, obj, &plain_bytes);	/* warm up */
	plain_us = bench_store(false, iters, obj, &plain_bytes);
	sealed_us = bench_store(true, iters, obj, &sealed_bytes);
	printf("store: a %d-byte message received, committed, read back: "
	       "plain %.0f us CPU, sealed %.0f us CPU = %.2f x plain\n",
	       OBJ_LEN, plain_us, sealed_us, sealed_us / plain_us);
	printf("store: its file: plain %lld bytes, sealed %lld bytes = "
	       "%.4f x plain (+%lld)\n", (long long)plain_bytes,
	       (long long)sealed_bytes,
	       (double)sealed_bytes / (double)plain_bytes,
	       (long long)(sealed_bytes - plain_bytes));
	printf("store: medians of %d batches of %d messages each\n", BATCHES,
	       iters);
	free(obj);
	return 0;
}
