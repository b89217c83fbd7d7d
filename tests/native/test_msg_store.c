// SPDX-License-Identifier: GPL-2.0
/*
 * The toy's atomic message store (msg_store.c): list/find/read/delete,
 * quota and limits, the hash-before-commit rule, resume after a restart,
 * recovery from corrupt or stray files, and a simulated power loss after
 * every single file operation of an upload: afterwards no partial or
 * corrupt message is ever listed, and the resumed upload completes with
 * the right hash.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "msg_object.h"
#include "msg_store.h"
#include "msg_xfer.h"
#include "tmpdir.h"

static const uint8_t host_id[PAWLINK_ID_LEN] = { 9, 8, 7, 6, 5, 4, 3, 2 };

/*
 * The same tests run on a plain store (the host's) and on a sealed one
 * (the toy's), opened and keyed by open_any().
 */
static bool sealed_mode;
static const uint8_t seal_key[PAWLINK_MSG_SEAL_KEY_LEN] = { 0x5e, 0xa1 };

static int open_any(struct pawlink_msg_store **st, const char *dir,
		    const struct pawlink_msg_store_limits *lim, char *err,
		    size_t err_len)
{
	int rc;

	if (!sealed_mode)
		return pawlink_msg_store_open(st, dir, lim, err, err_len);
	rc = pawlink_msg_store_open_sealed(st, dir, lim, err, err_len);
	if (!rc)
		rc = pawlink_msg_store_seal(*st, seal_key);
	return rc;
}

struct fixture {
	char dir[64];	/* a fresh temporary directory */
	struct pawlink_msg_store *st;
};

static void open_store(struct fixture *fx,
		       const struct pawlink_msg_store_limits *lim)
{
	char err[256] = "";

	assert_int_equal(open_any(&fx->st, fx->dir, lim, err, sizeof(err)), 0);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	/*
	 * tmpfs when there is one: the crash hook, not the disk, is what
	 * these tests exercise, and thousands of real fsyncs take seconds.
	 */
	if (test_tmpdir(fx->dir, sizeof(fx->dir), "store", TEST_TMP_FAST))
		return -1;
	open_store(fx, NULL);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	pawlink_msg_store_close(fx->st);
	test_rm_tree(fx->dir);
	free(fx);
	return 0;
}

static void reopen(struct fixture *fx,
		   const struct pawlink_msg_store_limits *lim)
{
	pawlink_msg_store_close(fx->st);
	fx->st = NULL;
	open_store(fx, lim);
}

static uint8_t *random_object(uint32_t size, struct pawlink_msg_info *info)
{
	uint8_t *data = malloc(size);

	assert_non_null(data);
	randombytes_buf(data, size);
	assert_int_equal(pawlink_msg_info_create(info, host_id, 1700000000,
						 size / 4 + 1, data, size),
			 PAWLINK_MSG_OK);
	return data;
}

/* A random object whose author is host @who. */
static uint8_t *object_from(uint8_t who, uint32_t size,
			    struct pawlink_msg_info *info)
{
	uint8_t sender[PAWLINK_ID_LEN] = { 0x70, who };
	uint8_t *data = malloc(size);

	assert_non_null(data);
	randombytes_buf(data, size);
	assert_int_equal(pawlink_msg_info_create(info, sender, 1700000000,
						 size / 4 + 1, data, size),
			 PAWLINK_MSG_OK);
	return data;
}

/* Starts @info, stores its first @chunks chunks durably, and stops. */
static void leave_partial(struct pawlink_msg_store *st,
			  const struct pawlink_msg_info *info,
			  const uint8_t *data, uint32_t chunks,
			  uint8_t ck[PAWLINK_MSG_BITMAP_LEN])
{
	uint8_t have[PAWLINK_MSG_BITMAP_LEN];
	struct pawlink_msg_sink sink;
	uint32_t i;

	memset(ck, 0, PAWLINK_MSG_BITMAP_LEN);
	assert_int_equal(pawlink_msg_store_put_begin(st, info, &sink, have),
			 PAWLINK_MSG_OK);
	for (i = 0; i < chunks; i++) {
		assert_int_equal(sink.ops->write(sink.ctx, i,
						 data + (size_t)i *
						 PAWLINK_MSG_CHUNK_DATA,
						 PAWLINK_MSG_CHUNK_DATA),
				 PAWLINK_MSG_OK);
		pawlink_msg_bit_set(ck, i);
	}
	assert_int_equal(sink.ops->checkpoint(sink.ctx, ck,
					      pawlink_msg_nchunks(info->size)),
			 PAWLINK_MSG_OK);
	sink.ops->release(sink.ctx);
}

/* Writes every chunk not in @have; returns the first failing status. */
static int write_missing(struct pawlink_msg_sink *sink, const uint8_t *data,
			 uint32_t size, const uint8_t *have, uint32_t ckpt_every)
{
	uint8_t held[PAWLINK_MSG_BITMAP_LEN];
	uint32_t n = pawlink_msg_nchunks(size), i, k, since = 0;
	int st;

	memcpy(held, have, sizeof(held));
	/* Odd chunks first, then even: the file fills out of order. */
	for (k = 0; k < 2; k++) {
		for (i = 1 - k; i < n; i += 2) {
			if (pawlink_msg_bit(held, i))
				continue;
			st = sink->ops->write(sink->ctx, i,
					      data + (size_t)i *
					      PAWLINK_MSG_CHUNK_DATA,
					      pawlink_msg_chunk_len(size, i));
			if (st != PAWLINK_MSG_OK)
				return st;
			pawlink_msg_bit_set(held, i);
			if (ckpt_every && ++since == ckpt_every) {
				since = 0;
				st = sink->ops->checkpoint(sink->ctx, held, n);
				if (st != PAWLINK_MSG_OK)
					return st;
			}
		}
	}
	return PAWLINK_MSG_OK;
}

/* A whole upload through the sink API; returns the commit status. */
static int put_object(struct pawlink_msg_store *st,
		      const struct pawlink_msg_info *info, const uint8_t *data)
{
	uint8_t have[PAWLINK_MSG_BITMAP_LEN];
	struct pawlink_msg_sink sink;
	int status;

	status = pawlink_msg_store_put_begin(st, info, &sink, have);
	if (status != PAWLINK_MSG_OK)
		return status;
	status = write_missing(&sink, data, info->size, have, 16);
	if (status == PAWLINK_MSG_OK)
		status = sink.ops->commit(sink.ctx);
	sink.ops->release(sink.ctx);
	return status;
}

static void assert_stored(struct pawlink_msg_store *st,
			  const struct pawlink_msg_info *info,
			  const uint8_t *data)
{
	struct pawlink_msg_info found;
	uint8_t *got;
	size_t len;

	assert_int_equal(pawlink_msg_store_find(st, info->id, &found),
			 PAWLINK_MSG_OK);
	assert_true(pawlink_msg_info_equal(&found, info));
	assert_int_equal(pawlink_msg_store_read(st, info->id, &got, &len),
			 PAWLINK_MSG_OK);
	assert_int_equal(len, info->size);
	assert_memory_equal(got, data, len);
	free(got);
}

/* ---- tests -------------------------------------------------------------- */

static void test_put_list_read_delete(void **state)
{
	struct fixture *fx = *state;
	struct pawlink_msg_info info[3], out[4];
	uint8_t *data[3];
	uint32_t count;
	uint64_t bytes;
	size_t n, i;
	bool more;
	struct stat sb;

	for (i = 0; i < 3; i++) {
		data[i] = random_object((uint32_t)(5000 + 40000 * i), &info[i]);
		assert_int_equal(put_object(fx->st, &info[i], data[i]),
				 PAWLINK_MSG_OK);
		assert_stored(fx->st, &info[i], data[i]);
	}
	pawlink_msg_store_usage(fx->st, &count, &bytes);
	assert_int_equal(count, 3);
	assert_int_equal(bytes, info[0].size + info[1].size + info[2].size);
	pawlink_msg_store_list(fx->st, NULL, out, 4, &n, &more);
	assert_int_equal(n, 3);
	assert_false(more);
	/* In id order; paging with "after" continues from the last one. */
	assert_true(memcmp(out[0].id, out[1].id, PAWLINK_MSG_ID_LEN) < 0);
	assert_true(memcmp(out[1].id, out[2].id, PAWLINK_MSG_ID_LEN) < 0);
	pawlink_msg_store_list(fx->st, NULL, out, 2, &n, &more);
	assert_int_equal(n, 2);
	assert_true(more);
	pawlink_msg_store_list(fx->st, out[1].id, out + 2, 2, &n, &more);
	assert_int_equal(n, 1);
	assert_false(more);
	/* Nothing partial or temporary is left: three files. */
	assert_int_equal(test_count_entries(fx->dir, false), 3);
	assert_int_equal(stat(fx->dir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);

	/* Survives a reopen, hash-checked. */
	reopen(fx, NULL);
	for (i = 0; i < 3; i++)
		assert_stored(fx->st, &info[i], data[i]);
	assert_int_equal(pawlink_msg_store_delete(fx->st, info[1].id),
			 PAWLINK_MSG_OK);
	assert_int_equal(pawlink_msg_store_delete(fx->st, info[1].id),
			 PAWLINK_MSG_E_NOT_FOUND);
	assert_int_equal(pawlink_msg_store_find(fx->st, info[1].id, NULL),
			 PAWLINK_MSG_E_NOT_FOUND);
	reopen(fx, NULL);
	pawlink_msg_store_usage(fx->st, &count, &bytes);
	assert_int_equal(count, 2);
	assert_int_equal(bytes, info[0].size + info[2].size);
	for (i = 0; i < 3; i++)
		free(data[i]);
}

static void test_limits_and_quota(void **state)
{
	struct fixture *fx = *state;
	struct pawlink_msg_store_limits lim = { .max_bytes = 100000,
						.max_count = 2 };
	uint8_t have[PAWLINK_MSG_BITMAP_LEN];
	struct pawlink_msg_info a, b, c, bad;
	struct pawlink_msg_sink sink, sink2;
	uint8_t *da, *db, *dc;

	reopen(fx, &lim);
	da = random_object(60000, &a);
	db = random_object(30000, &b);
	dc = random_object(50000, &c);
	assert_int_equal(put_object(fx->st, &a, da), PAWLINK_MSG_OK);
	/* 60000 + 50000 bytes is over the byte quota. */
	assert_int_equal(put_object(fx->st, &c, dc), PAWLINK_MSG_E_QUOTA);
	assert_int_equal(put_object(fx->st, &b, db), PAWLINK_MSG_OK);
	/* Two messages: the count quota is reached. */
	c.size = 1000;
	assert_int_equal(pawlink_msg_store_put_begin(fx->st, &c, &sink, have),
			 PAWLINK_MSG_E_QUOTA);
	/* The same id twice. */
	assert_int_equal(pawlink_msg_store_put_begin(fx->st, &a, &sink, have),
			 PAWLINK_MSG_E_EXISTS);
	/* Over 5 minutes, over the size limit, invalid. */
	reopen(fx, NULL);
	bad = c;
	bad.duration_ms = PAWLINK_MSG_DURATION_MAX_MS + 1;
	assert_int_equal(pawlink_msg_store_put_begin(fx->st, &bad, &sink, have),
			 PAWLINK_MSG_E_TOO_LONG);
	bad = c;
	bad.size = PAWLINK_MSG_SIZE_MAX + 1;
	assert_int_equal(pawlink_msg_store_put_begin(fx->st, &bad, &sink, have),
			 PAWLINK_MSG_E_TOO_LONG);
	bad = c;
	bad.codec = 7;
	assert_int_equal(pawlink_msg_store_put_begin(fx->st, &bad, &sink, have),
			 PAWLINK_MSG_E_BAD_REQUEST);
	/* One upload at a time. */
	assert_int_equal(pawlink_msg_store_put_begin(fx->st, &c, &sink, have),
			 PAWLINK_MSG_OK);
	assert_int_equal(pawlink_msg_store_put_begin(fx->st, &c, &sink2, have),
			 PAWLINK_MSG_E_BUSY);
	assert_int_equal(pawlink_msg_store_delete(fx->st, c.id),
			 PAWLINK_MSG_E_BUSY);
	sink.ops->release(sink.ctx);
	/* Deleting the partial upload of an id. */
	assert_true(pawlink_msg_store_has_partial(fx->st, c.id));
	assert_int_equal(pawlink_msg_store_delete(fx->st, c.id),
			 PAWLINK_MSG_OK);
	assert_false(pawlink_msg_store_has_partial(fx->st, c.id));
	assert_int_equal(test_count_entries(fx->dir, false), 2);
	free(da);
	free(db);
	free(dc);
}

static void test_bad_hash_never_committed(void **state)
{
	struct fixture *fx = *state;
	uint8_t have[PAWLINK_MSG_BITMAP_LEN];
	struct pawlink_msg_sink sink;
	struct pawlink_msg_info info, out[1];
	uint8_t *data;
	size_t n;
	bool more;

	data = random_object(20000, &info);
	assert_int_equal(pawlink_msg_store_put_begin(fx->st, &info, &sink,
						     have), PAWLINK_MSG_OK);
	data[12345] ^= 1;	/* the bytes differ from the announced hash */
	assert_int_equal(write_missing(&sink, data, info.size, have, 0),
			 PAWLINK_MSG_OK);
	assert_int_equal(sink.ops->commit(sink.ctx), PAWLINK_MSG_E_BAD_HASH);
	sink.ops->release(sink.ctx);
	pawlink_msg_store_list(fx->st, NULL, out, 1, &n, &more);
	assert_int_equal(n, 0);
	/* Rejected whole: not even a partial to resume. */
	assert_false(pawlink_msg_store_has_partial(fx->st, info.id));
	assert_int_equal(test_count_entries(fx->dir, false), 0);
	reopen(fx, NULL);
	pawlink_msg_store_list(fx->st, NULL, out, 1, &n, &more);
	assert_int_equal(n, 0);
	/* The right bytes go in afterwards. */
	data[12345] ^= 1;
	assert_int_equal(put_object(fx->st, &info, data), PAWLINK_MSG_OK);
	assert_stored(fx->st, &info, data);
	free(data);
}

static void test_resume_after_restart(void **state)
{
	struct fixture *fx = *state;
	uint8_t have[PAWLINK_MSG_BITMAP_LEN], ck[PAWLINK_MSG_BITMAP_LEN] = { 0 };
	struct pawlink_msg_info info, other;
	struct pawlink_msg_sink sink;
	uint32_t n, i;
	uint8_t *data, *odata;

	data = random_object(100000, &info);
	n = pawlink_msg_nchunks(info.size);
	assert_int_equal(pawlink_msg_store_put_begin(fx->st, &info, &sink,
						     have), PAWLINK_MSG_OK);
	for (i = 0; i < 60; i++) {
		assert_int_equal(sink.ops->write(sink.ctx, i,
						 data + i * PAWLINK_MSG_CHUNK_DATA,
						 PAWLINK_MSG_CHUNK_DATA),
				 PAWLINK_MSG_OK);
		if (i < 40)
			pawlink_msg_bit_set(ck, i);
		if (i == 39)
			assert_int_equal(sink.ops->checkpoint(sink.ctx, ck, n),
					 PAWLINK_MSG_OK);
	}
	/* The toy restarts: chunks 40..59 were never checkpointed. */
	sink.ops->release(sink.ctx);
	reopen(fx, NULL);
	assert_true(pawlink_msg_store_has_partial(fx->st, info.id));
	assert_int_equal(pawlink_msg_store_find(fx->st, info.id, NULL),
			 PAWLINK_MSG_E_NOT_FOUND);
	assert_int_equal(pawlink_msg_store_put_begin(fx->st, &info, &sink,
						     have), PAWLINK_MSG_OK);
	assert_memory_equal(have, ck, sizeof(ck));
	assert_int_equal(write_missing(&sink, data, info.size, have, 0),
			 PAWLINK_MSG_OK);
	assert_int_equal(sink.ops->commit(sink.ctx), PAWLINK_MSG_OK);
	sink.ops->release(sink.ctx);
	assert_stored(fx->st, &info, data);
	assert_int_equal(test_count_entries(fx->dir, false), 1);

	/* A different message replaces an unfinished one. */
	odata = random_object(30000, &other);
	free(data);
	data = random_object(30000, &info);
	assert_int_equal(pawlink_msg_store_put_begin(fx->st, &other, &sink,
						     have), PAWLINK_MSG_OK);
	sink.ops->release(sink.ctx);
	assert_true(pawlink_msg_store_has_partial(fx->st, other.id));
	assert_int_equal(put_object(fx->st, &info, data), PAWLINK_MSG_OK);
	assert_false(pawlink_msg_store_has_partial(fx->st, other.id));
	/* Same id, other content (metadata differs): starts from scratch. */
	assert_int_equal(pawlink_msg_store_put_begin(fx->st, &other, &sink,
						     have), PAWLINK_MSG_OK);
	memset(ck, 0, sizeof(ck));
	pawlink_msg_bit_set(ck, 0);
	assert_int_equal(sink.ops->write(sink.ctx, 0, odata,
					 PAWLINK_MSG_CHUNK_DATA),
			 PAWLINK_MSG_OK);
	assert_int_equal(sink.ops->checkpoint(sink.ctx, ck,
					      pawlink_msg_nchunks(other.size)),
			 PAWLINK_MSG_OK);
	sink.ops->release(sink.ctx);
	other.time++;
	assert_int_equal(pawlink_msg_store_put_begin(fx->st, &other, &sink,
						     have), PAWLINK_MSG_OK);
	assert_true(sodium_is_zero(have, sizeof(have)));
	sink.ops->release(sink.ctx);
	free(data);
	free(odata);
}

static void write_file(const char *dir, const char *name, const void *buf,
		       size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
}

static void test_corrupt_files_dropped(void **state)
{
	struct fixture *fx = *state;
	struct pawlink_msg_info a, b, c, out[4];
	char name[64], path[512], hex[33];
	uint8_t *da, *db, *dc, byte;
	size_t n;
	bool more;
	int fd;

	da = random_object(9000, &a);
	db = random_object(9000, &b);
	dc = random_object(9000, &c);
	assert_int_equal(put_object(fx->st, &a, da), PAWLINK_MSG_OK);
	assert_int_equal(put_object(fx->st, &b, db), PAWLINK_MSG_OK);
	assert_int_equal(put_object(fx->st, &c, dc), PAWLINK_MSG_OK);
	pawlink_msg_store_close(fx->st);
	fx->st = NULL;

	/* a: one payload bit flipped.  b: truncated.  c: intact. */
	pawlink_msg_id_hex(hex, a.id);
	snprintf(path, sizeof(path), "%s/%s.msg", fx->dir, hex);
	fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &byte, 1, 96 + 4000), 1);
	byte ^= 0x10;
	assert_int_equal(pwrite(fd, &byte, 1, 96 + 4000), 1);
	close(fd);
	pawlink_msg_id_hex(hex, b.id);
	snprintf(path, sizeof(path), "%s/%s.msg", fx->dir, hex);
	assert_int_equal(truncate(path, 96 + 8999), 0);
	/* Leftovers of interrupted writes, and junk state files. */
	write_file(fx->dir, "upload-0908070605040302.resume.tmp", "x", 1);
	write_file(fx->dir, "0123456789abcdef0123456789abcdef.msg.tmp", "x", 1);
	write_file(fx->dir, "upload-0908070605040302.part", "garbage", 7);
	write_file(fx->dir, "upload-0908070605040302.resume", "garbage", 7);
	/* A message file under someone else's name. */
	pawlink_msg_id_hex(hex, c.id);
	snprintf(name, sizeof(name), "%s.msg", hex);
	hex[0] = hex[0] == 'a' ? 'b' : 'a';
	snprintf(path, sizeof(path), "%s/%s", fx->dir, name);
	{
		char to[512];

		snprintf(to, sizeof(to), "%s/%s.msg", fx->dir, hex);
		assert_int_equal(link(path, to), 0);
	}

	open_store(fx, NULL);
	pawlink_msg_store_list(fx->st, NULL, out, 4, &n, &more);
	assert_int_equal(n, 1);
	assert_stored(fx->st, &c, dc);
	assert_int_equal(pawlink_msg_store_stats(fx->st)->dropped_corrupt, 3);
	assert_int_equal(pawlink_msg_store_stats(fx->st)->dropped_tmp, 2);
	assert_int_equal(pawlink_msg_store_stats(fx->st)->dropped_partial, 1);
	assert_int_equal(test_count_entries(fx->dir, false), 1);
	free(da);
	free(db);
	free(dc);
}

static void test_reader_source(void **state)
{
	struct fixture *fx = *state;
	struct pawlink_msg_source src;
	struct pawlink_msg_info info, got;
	uint8_t *data, buf[PAWLINK_MSG_CHUNK_DATA];
	uint8_t id[PAWLINK_MSG_ID_LEN] = { 1 };

	data = random_object(5000, &info);
	assert_int_equal(put_object(fx->st, &info, data), PAWLINK_MSG_OK);
	assert_int_equal(pawlink_msg_store_reader_open(fx->st, id, &got, &src),
			 PAWLINK_MSG_E_NOT_FOUND);
	assert_int_equal(pawlink_msg_store_reader_open(fx->st, info.id, &got,
						       &src), PAWLINK_MSG_OK);
	assert_true(pawlink_msg_info_equal(&got, &info));
	assert_int_equal(src.ops->read(src.ctx, 4 * PAWLINK_MSG_CHUNK_DATA, buf,
				       5000 - 4 * PAWLINK_MSG_CHUNK_DATA),
			 PAWLINK_MSG_OK);
	assert_memory_equal(buf, data + 4 * PAWLINK_MSG_CHUNK_DATA,
			    5000 - 4 * PAWLINK_MSG_CHUNK_DATA);
	/* Never past the object. */
	assert_int_equal(src.ops->read(src.ctx, 4999, buf, 2), PAWLINK_MSG_E_IO);
	/* A reader keeps reading a message deleted under it. */
	assert_int_equal(pawlink_msg_store_delete(fx->st, info.id),
			 PAWLINK_MSG_OK);
	assert_int_equal(src.ops->read(src.ctx, 0, buf, 100), PAWLINK_MSG_OK);
	assert_memory_equal(buf, data, 100);
	pawlink_msg_store_reader_close(fx->st, &src);
	free(data);
}

static void test_resume_codec(void **state)
{
	uint8_t have[PAWLINK_MSG_BITMAP_LEN] = { 0 }, back_have[PAWLINK_MSG_BITMAP_LEN];
	uint8_t buf[PAWLINK_MSG_RESUME_MAX];
	struct pawlink_msg_info info, back;
	uint8_t *data;
	int len;

	(void)state;
	data = random_object(50000, &info);
	pawlink_msg_bit_set(have, 0);
	pawlink_msg_bit_set(have, 48);
	len = pawlink_msg_resume_encode(buf, sizeof(buf), &info, have);
	/* 50000 bytes = 50 chunks: 7 bitmap bytes. */
	assert_int_equal(len, 96 + 7 + 32);
	assert_int_equal(pawlink_msg_resume_decode(&back, back_have, buf,
						   (size_t)len), 0);
	assert_true(pawlink_msg_info_equal(&back, &info));
	assert_memory_equal(back_have, have, 7);
	/* Any flipped byte, a wrong length: refused. */
	buf[100] ^= 4;
	assert_int_equal(pawlink_msg_resume_decode(&back, back_have, buf,
						   (size_t)len), -EBADMSG);
	assert_true(sodium_is_zero(back_have, sizeof(back_have)));
	buf[100] ^= 4;
	assert_int_equal(pawlink_msg_resume_decode(&back, back_have, buf,
						   (size_t)len - 1), -EBADMSG);
	assert_int_equal(pawlink_msg_resume_encode(buf, 96 + 7 + 31, &info,
						   have), -ENOSPC);
	free(data);
}

/*
 * One upload that the power cuts after @ops file operations, then a
 * restart and a resumed upload.  Returns true when the cut came before
 * the upload was over (so a larger @ops is worth trying).
 */
static bool crash_and_resume(const char *dir, long ops,
			     const struct pawlink_msg_info *info,
			     const uint8_t *data)
{
	uint8_t have[PAWLINK_MSG_BITMAP_LEN];
	struct pawlink_msg_info out[2];
	struct pawlink_msg_store *st;
	struct pawlink_msg_sink sink;
	char err[256];
	bool crashed, listed;
	size_t n;
	bool more;
	int status;

	assert_int_equal(open_any(&st, dir, NULL, err, sizeof(err)), 0);
	pawlink_msg_store_crash_after(st, ops);
	status = pawlink_msg_store_put_begin(st, info, &sink, have);
	if (status == PAWLINK_MSG_OK) {
		status = write_missing(&sink, data, info->size, have, 8);
		if (status == PAWLINK_MSG_OK)
			status = sink.ops->commit(sink.ctx);
		sink.ops->release(sink.ctx);
	}
	crashed = pawlink_msg_store_crashed(st);
	assert_true(crashed || status == PAWLINK_MSG_OK ||
		    status == PAWLINK_MSG_E_EXISTS);
	pawlink_msg_store_close(st);

	/* Power back: only complete, verified messages are listed. */
	assert_int_equal(open_any(&st, dir, NULL, err, sizeof(err)), 0);
	pawlink_msg_store_list(st, NULL, out, 2, &n, &more);
	assert_true(n <= 1);
	listed = n == 1;
	if (listed) {
		assert_true(pawlink_msg_info_equal(&out[0], info));
		assert_stored(st, info, data);
		assert_false(pawlink_msg_store_has_partial(st, info->id));
	}
	/* The host tries again: it resumes, or learns it is already there. */
	status = pawlink_msg_store_put_begin(st, info, &sink, have);
	if (listed) {
		assert_int_equal(status, PAWLINK_MSG_E_EXISTS);
	} else {
		assert_int_equal(status, PAWLINK_MSG_OK);
		assert_int_equal(write_missing(&sink, data, info->size, have,
					       8), PAWLINK_MSG_OK);
		/* Anything the resume state claimed really is on disk. */
		assert_int_equal(sink.ops->commit(sink.ctx), PAWLINK_MSG_OK);
		sink.ops->release(sink.ctx);
	}
	assert_stored(st, info, data);
	assert_int_equal(test_count_entries(dir, false), 1);
	pawlink_msg_store_close(st);
	return crashed;
}

static void test_power_loss_at_every_step(void **state)
{
	struct fixture *fx = *state;
	struct pawlink_msg_info info;
	char path[512], hex[33];
	unsigned long total;
	uint8_t *data;
	long ops;

	pawlink_msg_store_close(fx->st);
	fx->st = NULL;
	/* 40 chunks, checkpointed every 8, so every kind of step occurs. */
	data = random_object(40 * PAWLINK_MSG_CHUNK_DATA - 100, &info);
	for (ops = 0; ; ops++) {
		if (!crash_and_resume(fx->dir, ops, &info, data))
			break;
		pawlink_msg_id_hex(hex, info.id);
		snprintf(path, sizeof(path), "%s/%s.msg", fx->dir, hex);
		assert_int_equal(unlink(path), 0);
		assert_int_equal(test_count_entries(fx->dir, false), 0);
	}
	/* Each of the upload's file operations was a crash point once. */
	total = (unsigned long)ops;
	assert_true(total > 40 + 5 * 4);
	printf("# power cut at each of %lu file operations of an upload\n",
	       total);
	open_store(fx, NULL);
	free(data);
}

/*
 * Per-host upload slots: a new upload from one host drops only that
 * host's partial upload; each resumes after a restart; at most
 * PAWLINK_MSG_STORE_PARTIALS_MAX are kept (the one begun longest ago goes),
 * and other hosts' partial uploads count against the quota.
 */
static void test_per_host_upload_slots(void **state)
{
	const struct pawlink_msg_store_limits two = { 1u << 30, 2 };
	struct pawlink_msg_info a, a2, b, many[PAWLINK_MSG_STORE_PARTIALS_MAX + 1];
	uint8_t ck_a[PAWLINK_MSG_BITMAP_LEN], ck_b[PAWLINK_MSG_BITMAP_LEN];
	uint8_t have[PAWLINK_MSG_BITMAP_LEN];
	struct fixture *fx = *state;
	struct pawlink_msg_sink sink;
	uint8_t *da, *da2, *db, *dm[PAWLINK_MSG_STORE_PARTIALS_MAX + 1];
	size_t i;

	da = object_from(1, 10 * PAWLINK_MSG_CHUNK_DATA, &a);
	da2 = object_from(1, 10 * PAWLINK_MSG_CHUNK_DATA, &a2);
	db = object_from(2, 10 * PAWLINK_MSG_CHUNK_DATA, &b);
	leave_partial(fx->st, &a, da, 4, ck_a);
	leave_partial(fx->st, &b, db, 3, ck_b);
	assert_true(pawlink_msg_store_has_partial(fx->st, a.id));
	assert_true(pawlink_msg_store_has_partial(fx->st, b.id));
	/* Host 1's next message replaces its own, not host 2's. */
	leave_partial(fx->st, &a2, da2, 2, ck_a);
	assert_false(pawlink_msg_store_has_partial(fx->st, a.id));
	assert_true(pawlink_msg_store_has_partial(fx->st, b.id));
	assert_int_equal(test_count_entries(fx->dir, false), 4);
	/* Both resume after a restart, each where it was. */
	reopen(fx, NULL);
	assert_int_equal(pawlink_msg_store_put_begin(fx->st, &b, &sink, have),
			 PAWLINK_MSG_OK);
	assert_memory_equal(have, ck_b, sizeof(have));
	assert_int_equal(write_missing(&sink, db, b.size, have, 0),
			 PAWLINK_MSG_OK);
	assert_int_equal(sink.ops->commit(sink.ctx), PAWLINK_MSG_OK);
	sink.ops->release(sink.ctx);
	assert_stored(fx->st, &b, db);
	assert_true(pawlink_msg_store_has_partial(fx->st, a2.id));
	assert_int_equal(pawlink_msg_store_put_begin(fx->st, &a2, &sink,
						     have), PAWLINK_MSG_OK);
	assert_memory_equal(have, ck_a, sizeof(have));
	sink.ops->release(sink.ctx);

	/* Other hosts' partial uploads count: two held, a third is over. */
	reopen(fx, &two);
	assert_int_equal(pawlink_msg_store_delete(fx->st, b.id),
			 PAWLINK_MSG_OK);
	leave_partial(fx->st, &b, db, 1, ck_b);
	free(object_from(3, PAWLINK_MSG_CHUNK_DATA, &many[0]));
	assert_int_equal(pawlink_msg_store_put_begin(fx->st, &many[0], &sink,
						     have), PAWLINK_MSG_E_QUOTA);

	/*
	 * Bounded: hosts 1 and 2 hold two slots; nine more hosts take the six
	 * free ones, then the oldest three (1's, 2's, then the first new).
	 */
	reopen(fx, NULL);
	for (i = 0; i <= PAWLINK_MSG_STORE_PARTIALS_MAX; i++) {
		dm[i] = object_from((uint8_t)(10 + i), 2 *
				    PAWLINK_MSG_CHUNK_DATA, &many[i]);
		leave_partial(fx->st, &many[i], dm[i], 1, ck_b);
	}
	assert_int_equal(test_count_entries(fx->dir, false),
			 2 * PAWLINK_MSG_STORE_PARTIALS_MAX);
	for (i = 0; i <= PAWLINK_MSG_STORE_PARTIALS_MAX; i++)
		assert_true(pawlink_msg_store_has_partial(fx->st, many[i].id) ==
			    (i >= 1));
	reopen(fx, NULL);
	for (i = 1; i <= PAWLINK_MSG_STORE_PARTIALS_MAX; i++)
		assert_true(pawlink_msg_store_has_partial(fx->st, many[i].id));
	for (i = 0; i <= PAWLINK_MSG_STORE_PARTIALS_MAX; i++)
		free(dm[i]);
	free(da);
	free(da2);
	free(db);
}

/*
 * Sealed: what another key sealed is dropped at the key's arrival, no
 * chunk can move to another place, and a plain store cannot be sealed.
 */
static void test_sealed_under_another_key_is_dropped(void **state)
{
	static const uint8_t other[PAWLINK_MSG_SEAL_KEY_LEN] = { 0x07 };
	struct fixture *fx = *state;
	struct pawlink_msg_info info, out[1];
	uint8_t slot[PAWLINK_MSG_CHUNK_DATA + 40];
	char path[512], hex[33], err[256];
	size_t n;
	bool more;
	uint8_t *data;
	int fd;

	data = random_object(3 * PAWLINK_MSG_CHUNK_DATA, &info);
	assert_int_equal(put_object(fx->st, &info, data), PAWLINK_MSG_OK);
	pawlink_msg_store_close(fx->st);
	fx->st = NULL;

	/* Two chunks swapped: it no longer opens, so it is dropped. */
	pawlink_msg_id_hex(hex, info.id);
	snprintf(path, sizeof(path), "%s/%s.msg", fx->dir, hex);
	fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, slot, sizeof(slot), 128), sizeof(slot));
	assert_int_equal(pwrite(fd, slot, sizeof(slot), 128 + sizeof(slot)),
			 sizeof(slot));
	close(fd);
	open_store(fx, NULL);
	pawlink_msg_store_list(fx->st, NULL, out, 1, &n, &more);
	assert_int_equal(n, 0);
	assert_int_equal(test_count_entries(fx->dir, false), 0);

	/* Under the right key it lists; under another, it is gone. */
	assert_int_equal(put_object(fx->st, &info, data), PAWLINK_MSG_OK);
	pawlink_msg_store_close(fx->st);
	assert_int_equal(pawlink_msg_store_open_sealed(&fx->st, fx->dir, NULL,
						       err, sizeof(err)), 0);
	pawlink_msg_store_list(fx->st, NULL, out, 1, &n, &more);
	assert_int_equal(n, 0);		/* nothing before the key */
	assert_int_equal(test_count_entries(fx->dir, false), 1);
	assert_int_equal(pawlink_msg_store_seal(fx->st, other), 0);
	pawlink_msg_store_list(fx->st, NULL, out, 1, &n, &more);
	assert_int_equal(n, 0);
	assert_int_equal(test_count_entries(fx->dir, false), 0);
	assert_int_equal(pawlink_msg_store_stats(fx->st)->dropped_corrupt, 1);
	pawlink_msg_store_close(fx->st);

	assert_int_equal(pawlink_msg_store_open(&fx->st, fx->dir, NULL, err,
						sizeof(err)), 0);
	assert_int_equal(pawlink_msg_store_seal(fx->st, other), -EINVAL);
	free(data);
}

static int run_sealed(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_put_list_read_delete,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_hash_never_committed,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume_after_restart,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader_source, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_power_loss_at_every_step,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_per_host_upload_slots,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_sealed_under_another_key_is_dropped, setup,
			teardown),
	};

	sealed_mode = true;
	return cmocka_run_group_tests_name("sealed store", tests, NULL, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_put_list_read_delete,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits_and_quota, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_hash_never_committed,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume_after_restart,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_files_dropped,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader_source, setup,
						teardown),
		cmocka_unit_test(test_resume_codec),
		cmocka_unit_test_setup_teardown(test_per_host_upload_slots,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_power_loss_at_every_step,
						setup, teardown),
	};

	int failed;

	if (sodium_init() < 0)
		return 1;
	failed = cmocka_run_group_tests_name("plain store", tests, NULL, NULL);
	return failed + run_sealed();
}
