/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A message store on a directory (Documentation/messages.rst, "Store"):
 * the toy keeps its voice messages in one, and the host can keep the
 * messages it downloads in another.
 *
 * Writes are atomic: an upload goes to a partial file, which is fsynced,
 * hash-checked and renamed into place only when complete, and the
 * directory is fsynced after every rename or unlink.  A committed message
 * is one file, `<id hex>.msg`: a 96-byte header (magic, metadata) then
 * the object.  At most one partial upload exists, `upload.part`, with its
 * resume state in `upload.resume` (written temp-then-rename, checksummed).
 * After a crash at any point, opening the store lists only complete,
 * hash-verified messages and keeps the partial upload to resume.
 *
 * Functions returning "a status" return PAWLINK_MSG_OK or a
 * PAWLINK_MSG_E_* code (msg_object.h); the others say what they return.
 * A store is used from one thread at a time.
 */
#ifndef PAWLINK_MSG_STORE_H
#define PAWLINK_MSG_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msg_object.h"
#include "msg_xfer.h"

#define PAWLINK_MSG_STORE_BYTES_DEFAULT	(32ULL << 20)
#define PAWLINK_MSG_STORE_COUNT_DEFAULT	64
/* Most messages an open store indexes, whatever the limits say. */
#define PAWLINK_MSG_STORE_COUNT_HARD	4096

#define PAWLINK_MSG_STORE_HDR_LEN	96
#define PAWLINK_MSG_STORE_MAGIC		"PAWMSG\0\1"	/* 8 bytes */
#define PAWLINK_MSG_RESUME_MAGIC	"PAWRSM\0\1"	/* 8 bytes */
/* The longest resume file: header, bitmap, SHA-256. */
#define PAWLINK_MSG_RESUME_MAX \
	(96 + PAWLINK_MSG_BITMAP_LEN + PAWLINK_MSG_SHA256_LEN)

/* Quota: committed messages, counting the upload being received. */
struct pawlink_msg_store_limits {
	uint64_t max_bytes;		/* object bytes */
	uint32_t max_count;
};

/* What opening the store threw away (each a crash or corruption trace). */
struct pawlink_msg_store_stats {
	uint32_t dropped_corrupt;	/* .msg files that failed a check */
	uint32_t dropped_partial;	/* partial uploads without a resume */
	uint32_t dropped_tmp;		/* temp files of interrupted writes */
};

struct pawlink_msg_store;

/*
 * Opens (creating it 0700 if missing) the store in @dir with @lim (NULL:
 * the defaults).  0, or a negative errno with a reason in @err.
 */
int pawlink_msg_store_open(struct pawlink_msg_store **out, const char *dir,
			   const struct pawlink_msg_store_limits *lim,
			   char *err, size_t err_len);
/* Closes file descriptors and frees; writes nothing.  NULL is a no-op. */
void pawlink_msg_store_close(struct pawlink_msg_store *st);

void pawlink_msg_store_usage(const struct pawlink_msg_store *st,
			     uint32_t *count, uint64_t *bytes);
const struct pawlink_msg_store_stats *
pawlink_msg_store_stats(const struct pawlink_msg_store *st);

/*
 * Up to @max committed messages with an id above @after (NULL or all-zero:
 * from the first), in id order.  *more says whether others follow.
 */
void pawlink_msg_store_list(const struct pawlink_msg_store *st,
			    const uint8_t *after, struct pawlink_msg_info *out,
			    size_t max, size_t *n, bool *more);
/* Status: OK (and *info) or NOT_FOUND. */
int pawlink_msg_store_find(const struct pawlink_msg_store *st,
			   const uint8_t id[PAWLINK_MSG_ID_LEN],
			   struct pawlink_msg_info *info);
/*
 * Deletes message @id, or the partial upload of @id.  Status: OK,
 * NOT_FOUND, BUSY (that upload is being received) or IO.
 */
int pawlink_msg_store_delete(struct pawlink_msg_store *st,
			     const uint8_t id[PAWLINK_MSG_ID_LEN]);

/*
 * Opens message @id for reading as a transfer source.  Status: OK (then
 * *info and *src are set; src->ctx is the reader, which
 * pawlink_msg_store_reader_close() frees), NOT_FOUND, IO or NOMEM.
 */
int pawlink_msg_store_reader_open(struct pawlink_msg_store *st,
				  const uint8_t id[PAWLINK_MSG_ID_LEN],
				  struct pawlink_msg_info *info,
				  struct pawlink_msg_source *src);
void pawlink_msg_store_reader_close(struct pawlink_msg_source *src);

/*
 * The whole object of message @id in a new buffer (free() it), checked
 * against its SHA-256.  Status: OK, NOT_FOUND, BAD_HASH, IO or NOMEM.
 */
int pawlink_msg_store_read(struct pawlink_msg_store *st,
			   const uint8_t id[PAWLINK_MSG_ID_LEN],
			   uint8_t **data, size_t *len);

/*
 * Starts (or resumes) receiving the message @info into the store.  On OK,
 * *sink is live until its release(), and @have (PAWLINK_MSG_BITMAP_LEN
 * bytes) holds the chunks already stored durably by an earlier, unfinished
 * upload of the same message (all zero for a new one).  Starting a
 * different message drops the previous partial upload.  Status: OK,
 * BAD_REQUEST or TOO_LONG (pawlink_msg_info_check()), EXISTS, QUOTA, BUSY
 * (an upload is already open), IO or NOMEM.
 */
int pawlink_msg_store_put_begin(struct pawlink_msg_store *st,
				const struct pawlink_msg_info *info,
				struct pawlink_msg_sink *sink, uint8_t *have);

/* Whether a partial upload of @id is kept (for tests and status). */
bool pawlink_msg_store_has_partial(const struct pawlink_msg_store *st,
				   const uint8_t id[PAWLINK_MSG_ID_LEN]);

/*
 * Test hook simulating a power loss: after @ops more mutating file
 * operations (create, write, truncate, fsync, rename, unlink) every one
 * fails with EIO; the one that hits the limit, if a write, writes half its
 * bytes first, and chunk data written since the last fsync is overwritten
 * with garbage, as if it never reached the disk.  -1 disables.
 */
void pawlink_msg_store_crash_after(struct pawlink_msg_store *st, long ops);
bool pawlink_msg_store_crashed(const struct pawlink_msg_store *st);
/* Mutating file operations done so far. */
unsigned long pawlink_msg_store_ops(const struct pawlink_msg_store *st);

/*
 * The on-disk codecs, exposed for the fuzz target.  Decoders are strict
 * (magic, zero reserved bytes, valid metadata, exact length, checksum)
 * and return 0 or -EBADMSG.  resume_encode returns the length or -ENOSPC.
 */
void pawlink_msg_store_hdr_encode(uint8_t out[PAWLINK_MSG_STORE_HDR_LEN],
				  const struct pawlink_msg_info *info);
int pawlink_msg_store_hdr_decode(struct pawlink_msg_info *info,
				 const uint8_t *buf, size_t len);
int pawlink_msg_resume_encode(uint8_t *buf, size_t cap,
			      const struct pawlink_msg_info *info,
			      const uint8_t *have);
int pawlink_msg_resume_decode(struct pawlink_msg_info *info, uint8_t *have,
			      const uint8_t *buf, size_t len);

#endif /* PAWLINK_MSG_STORE_H */
