/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A voice message store as the message protocol sees it
 * (Documentation/messages.rst, "Store"): what the toy's half of the
 * protocol (msg_toy.h) and a player need, whatever keeps the messages.
 * sim/msg_store.h keeps them in a POSIX directory; a microcontroller port
 * writes one for its flash.
 *
 * An implementation embeds struct pawlink_msg_store in its own state and
 * points @ops at its functions; everyone else calls the wrappers below.
 * The contract every implementation keeps:
 *
 *  - only complete, hash-verified messages are listed, found or read, and
 *    a message becomes visible atomically, whatever a power cut
 *    interrupts;
 *  - at most one partial upload per sender (struct pawlink_msg_info's
 *    sender: on the toy, the session's host) is kept, durably, so that a
 *    later upload of the same message resumes it, and one sender's new
 *    upload never drops another sender's;
 *  - a store that seal() keyed writes nothing about a message in clear
 *    (its content, metadata and resume state are sealed under the key),
 *    and drops what does not open under the key it was given last;
 *  - one thread at a time uses a store.
 *
 * Functions returning "a status" return PAWLINK_MSG_OK or a
 * PAWLINK_MSG_E_* code (msg_object.h).
 */
#ifndef PAWLINK_MSG_STORE_OPS_H
#define PAWLINK_MSG_STORE_OPS_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msg_object.h"
#include "msg_xfer.h"

/* The key a store seals messages under (XChaCha20-Poly1305). */
#define PAWLINK_MSG_SEAL_KEY_LEN	32

struct pawlink_msg_store;

/* What each one does and returns: the wrapper of the same name, below. */
struct pawlink_msg_store_ops {
	void (*usage)(const struct pawlink_msg_store *st, uint32_t *count,
		      uint64_t *bytes);
	void (*list)(const struct pawlink_msg_store *st, const uint8_t *after,
		     struct pawlink_msg_info *out, size_t max, size_t *n,
		     bool *more);
	int (*find)(const struct pawlink_msg_store *st,
		    const uint8_t id[PAWLINK_MSG_ID_LEN],
		    struct pawlink_msg_info *info);
	int (*delete)(struct pawlink_msg_store *st,
		      const uint8_t id[PAWLINK_MSG_ID_LEN]);
	int (*reader_open)(struct pawlink_msg_store *st,
			   const uint8_t id[PAWLINK_MSG_ID_LEN],
			   struct pawlink_msg_info *info,
			   struct pawlink_msg_source *src);
	void (*reader_close)(struct pawlink_msg_store *st,
			     struct pawlink_msg_source *src);
	int (*read)(struct pawlink_msg_store *st,
		    const uint8_t id[PAWLINK_MSG_ID_LEN], uint8_t **data,
		    size_t *len);
	int (*put_begin)(struct pawlink_msg_store *st,
			 const struct pawlink_msg_info *info,
			 struct pawlink_msg_sink *sink, uint8_t *have);
	bool (*has_partial)(const struct pawlink_msg_store *st,
			    const uint8_t id[PAWLINK_MSG_ID_LEN]);
	int (*seal)(struct pawlink_msg_store *st,
		    const uint8_t key[PAWLINK_MSG_SEAL_KEY_LEN]);
};

struct pawlink_msg_store {
	const struct pawlink_msg_store_ops *ops;
};

/* How many committed messages, and their object bytes. */
static inline void pawlink_msg_store_usage(const struct pawlink_msg_store *st,
					   uint32_t *count, uint64_t *bytes)
{
	st->ops->usage(st, count, bytes);
}

/*
 * Up to @max committed messages with an id above @after (NULL or all-zero:
 * from the first), in id order.  *more says whether others follow.
 */
static inline void pawlink_msg_store_list(const struct pawlink_msg_store *st,
					  const uint8_t *after,
					  struct pawlink_msg_info *out,
					  size_t max, size_t *n, bool *more)
{
	st->ops->list(st, after, out, max, n, more);
}

/* Status: OK (and *info, unless @info is NULL) or NOT_FOUND. */
static inline int pawlink_msg_store_find(const struct pawlink_msg_store *st,
					 const uint8_t id[PAWLINK_MSG_ID_LEN],
					 struct pawlink_msg_info *info)
{
	return st->ops->find(st, id, info);
}

/*
 * Deletes message @id, or the partial upload of @id.  Status: OK,
 * NOT_FOUND, BUSY (that upload is being received) or IO.
 */
static inline int pawlink_msg_store_delete(struct pawlink_msg_store *st,
					   const uint8_t id[PAWLINK_MSG_ID_LEN])
{
	return st->ops->delete(st, id);
}

/*
 * Opens message @id for reading as a transfer source.  Status: OK (then
 * *info and *src are set until pawlink_msg_store_reader_close()),
 * NOT_FOUND, IO or NOMEM.
 */
static inline int
pawlink_msg_store_reader_open(struct pawlink_msg_store *st,
			      const uint8_t id[PAWLINK_MSG_ID_LEN],
			      struct pawlink_msg_info *info,
			      struct pawlink_msg_source *src)
{
	return st->ops->reader_open(st, id, info, src);
}

/* Frees a reader of @st; a closed one again is a no-op. */
static inline void
pawlink_msg_store_reader_close(struct pawlink_msg_store *st,
			       struct pawlink_msg_source *src)
{
	st->ops->reader_close(st, src);
}

/*
 * The whole object of message @id in a new buffer (free() it), checked
 * against its SHA-256.  Status: OK, NOT_FOUND, BAD_HASH, IO or NOMEM.
 */
static inline int pawlink_msg_store_read(struct pawlink_msg_store *st,
					 const uint8_t id[PAWLINK_MSG_ID_LEN],
					 uint8_t **data, size_t *len)
{
	return st->ops->read(st, id, data, len);
}

/*
 * Starts (or resumes) receiving the message @info into the store.  On OK,
 * *sink is live until its release(), and @have (PAWLINK_MSG_BITMAP_LEN
 * bytes) holds the chunks already stored durably by an earlier, unfinished
 * upload of the same message (all zero for a new one).  Starting a
 * different message drops the same sender's previous partial upload, and
 * no other sender's while the store has room for one per sender.  Status: OK,
 * BAD_REQUEST or TOO_LONG (pawlink_msg_info_check()), EXISTS, QUOTA, BUSY
 * (an upload is already open), IO or NOMEM.
 */
static inline int
pawlink_msg_store_put_begin(struct pawlink_msg_store *st,
			    const struct pawlink_msg_info *info,
			    struct pawlink_msg_sink *sink, uint8_t *have)
{
	return st->ops->put_begin(st, info, sink, have);
}

/* Whether a partial upload of @id is kept (for tests and status). */
static inline bool
pawlink_msg_store_has_partial(const struct pawlink_msg_store *st,
			      const uint8_t id[PAWLINK_MSG_ID_LEN])
{
	return st->ops->has_partial(st, id);
}

/*
 * Seals everything the store writes from now on under @key, and keeps
 * only what opens under it: every message and partial upload sealed under
 * another key is dropped.  0, -EINVAL (a store that cannot seal), -EBUSY
 * (an upload is open) or another negative errno.
 */
static inline int
pawlink_msg_store_seal(struct pawlink_msg_store *st,
		       const uint8_t key[PAWLINK_MSG_SEAL_KEY_LEN])
{
	return st->ops->seal ? st->ops->seal(st, key) : -EINVAL;
}

#endif /* PAWLINK_MSG_STORE_OPS_H */
