/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The message store on a POSIX directory (Documentation/messages.rst,
 * "Store"): an implementation of msg_store_ops.h.  The toy keeps its voice
 * messages in one, and the host can keep the messages it downloads in
 * another.  Open one here, then use it through msg_store_ops.h.
 *
 * Writes are atomic: an upload goes to a partial file, which is fsynced,
 * hash-checked and renamed into place only when complete, and the
 * directory is fsynced after every rename or unlink.  A committed message
 * is one file, `<id hex>.msg`: a 96-byte header (magic, metadata) then
 * the object.  Each sender (host) has at most one partial upload,
 * `upload-<sender hex>.part`, with its resume state in
 * `upload-<sender hex>.resume` (written temp-then-rename, checksummed), and
 * at most PAWLINK_MSG_STORE_PARTIALS_MAX exist: a new sender's upload
 * takes the slot begun longest ago when all are held.
 * After a crash at any point, opening the store lists only complete,
 * hash-verified messages and keeps the partial upload to resume.
 *
 * A sealed store (the toy's) keeps the same files with every byte that
 * says something about a message sealed (XChaCha20-Poly1305, a random
 * nonce per write) under the key pawlink_msg_store_seal() gives it: the
 * header's metadata (magic "PAWMSG\0\2", nonce, sealed metadata: 128
 * bytes), each chunk as nonce, data, tag (bound to the message id, its
 * index and the object size, so none can move), and the resume state
 * (magic "PAWRSM\0\2", nonce, the plain form sealed).  Names (the
 * random message id) and file sizes stay visible.
 *
 * The functions below that take a store take only one this file opened.
 */
#ifndef PAWLINK_MSG_STORE_H
#define PAWLINK_MSG_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msg_object.h"
#include "msg_store_ops.h"

#define PAWLINK_MSG_STORE_BYTES_DEFAULT	(32ULL << 20)
#define PAWLINK_MSG_STORE_COUNT_DEFAULT	64
/* Partial uploads kept at once: one per paired host (pairing_policy.h). */
#define PAWLINK_MSG_STORE_PARTIALS_MAX	8
/* Most messages an open store indexes, whatever the limits say. */
#define PAWLINK_MSG_STORE_COUNT_HARD	4096

#define PAWLINK_MSG_STORE_HDR_LEN	96
#define PAWLINK_MSG_STORE_MAGIC		"PAWMSG\0\1"	/* 8 bytes */
#define PAWLINK_MSG_RESUME_MAGIC	"PAWRSM\0\1"	/* 8 bytes */
#define PAWLINK_MSG_SEALED_MAGIC	"PAWMSG\0\2"
#define PAWLINK_MSG_SEALED_RESUME_MAGIC	"PAWRSM\0\2"
/* The longest resume file: header, bitmap, SHA-256. */
#define PAWLINK_MSG_RESUME_MAX \
	(96 + PAWLINK_MSG_BITMAP_LEN + PAWLINK_MSG_SHA256_LEN)

/*
 * Quota: committed messages, counting the upload being received and every
 * other sender's partial upload.
 */
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

/*
 * Opens (creating it 0700 if missing) the store in @dir with @lim (NULL:
 * the defaults).  0, or a negative errno with a reason in @err.
 */
int pawlink_msg_store_open(struct pawlink_msg_store **out, const char *dir,
			   const struct pawlink_msg_store_limits *lim,
			   char *err, size_t err_len);
/*
 * As pawlink_msg_store_open(), for a sealed store: it lists nothing and
 * takes no upload until pawlink_msg_store_seal() gives it its key, and
 * then drops every file that does not open under that key.
 */
int pawlink_msg_store_open_sealed(struct pawlink_msg_store **out,
				  const char *dir,
				  const struct pawlink_msg_store_limits *lim,
				  char *err, size_t err_len);
/* Closes file descriptors and frees; writes nothing.  NULL is a no-op. */
void pawlink_msg_store_close(struct pawlink_msg_store *st);

const struct pawlink_msg_store_stats *
pawlink_msg_store_stats(const struct pawlink_msg_store *st);

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
