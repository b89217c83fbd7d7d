// SPDX-License-Identifier: GPL-2.0
/*
 * The atomic message store; see msg_store.h for the layout and
 * Documentation/messages.rst for why each step is ordered as it is.
 *
 * Every change that must survive a power loss follows one rule: data is
 * fsynced before anything that refers to it is written, and a name
 * becomes visible only by rename() of a complete, fsynced file, followed
 * by an fsync of the directory.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "byteorder.h"
#include "msg_store.h"
#include "bytes.h"

/* A host's partial upload: upload-<sender hex>.part and .resume. */
#define SLOT_PREFIX	"upload-"
#define PART_SUFFIX	".part"
#define RESUME_SUFFIX	".resume"
#define SENDER_HEX_LEN	(2 * PAWLINK_ID_LEN)
#define SLOT_NAME_LEN	(sizeof(SLOT_PREFIX) - 1 + SENDER_HEX_LEN + \
			 sizeof(RESUME_SUFFIX ".tmp"))
#define MSG_SUFFIX	".msg"
#define TMP_SUFFIX	".tmp"
#define ID_HEX_LEN	(2 * PAWLINK_MSG_ID_LEN)
#define NAME_MAX_LEN	(ID_HEX_LEN + sizeof(MSG_SUFFIX))
#define MAGIC_LEN	8
/* Sealed mode: XChaCha20-Poly1305, a random nonce for every write. */
#define SEAL_NONCE	crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define SEAL_TAG	crypto_aead_xchacha20poly1305_ietf_ABYTES
#define SEAL_EXTRA	(SEAL_NONCE + SEAL_TAG)
/* Sealed header: magic, nonce, the metadata sealed. */
#define SEALED_HDR_LEN	(MAGIC_LEN + SEAL_EXTRA + PAWLINK_MSG_META_LEN)
#define SEALED_RESUME_MAX	(MAGIC_LEN + SEAL_EXTRA + PAWLINK_MSG_RESUME_MAX)
#define SLOT_MAX	(PAWLINK_MSG_CHUNK_DATA + SEAL_EXTRA)
/* Chunk associated data: message id, le32 index, le32 object size. */
#define CHUNK_AD_LEN	(PAWLINK_MSG_ID_LEN + 8)

_Static_assert(sizeof(PAWLINK_MSG_STORE_MAGIC) - 1 == MAGIC_LEN &&
	       sizeof(PAWLINK_MSG_RESUME_MAGIC) - 1 == MAGIC_LEN &&
	       sizeof(PAWLINK_MSG_SEALED_MAGIC) - 1 == MAGIC_LEN &&
	       sizeof(PAWLINK_MSG_SEALED_RESUME_MAGIC) - 1 == MAGIC_LEN,
	       "magics are 8 bytes");
_Static_assert(SEALED_HDR_LEN >= PAWLINK_MSG_STORE_HDR_LEN, "header buffers");
_Static_assert(PAWLINK_MSG_SEAL_KEY_LEN ==
	       crypto_aead_xchacha20poly1305_ietf_KEYBYTES, "seal key");

/* The store on a directory; users hold its @base (msg_store_ops.h). */
struct dir_store {
	struct pawlink_msg_store base;
	int dirfd;
	struct pawlink_msg_store_limits lim;
	struct pawlink_msg_info *index;		/* committed, by id */
	size_t count;
	size_t cap;
	uint64_t bytes;
	/* One partial upload per sender, and each one's durable have-state. */
	struct partial {
		bool used;
		struct pawlink_msg_info info;
		uint8_t have[PAWLINK_MSG_BITMAP_LEN];
		uint64_t begun;		/* st->begins then: oldest goes first */
	} partials[PAWLINK_MSG_STORE_PARTIALS_MAX];
	uint64_t begins;
	struct store_upload *upload;		/* open sink, if any */
	/*
	 * Sealed mode (pawlink_msg_store_open_sealed): every byte written is
	 * sealed under @key; nothing is indexed or written until it is set.
	 */
	bool sealed;
	bool keyed;
	uint8_t key[PAWLINK_MSG_SEAL_KEY_LEN];
	/* Crash simulation (pawlink_msg_store_crash_after). */
	long crash_after;
	unsigned long ops;
	bool crashed;
	struct pawlink_msg_store_stats stats;
};

struct store_upload {
	struct dir_store *st;
	struct partial *slot;
	struct pawlink_msg_info info;
	int fd;
	/* Chunks written since the last fsync: lost in a simulated crash. */
	uint8_t dirty[PAWLINK_MSG_BITMAP_LEN];
};

struct store_reader {
	const struct dir_store *st;	/* outlives its readers */
	int fd;
	struct pawlink_msg_info info;
};

static const struct pawlink_msg_store_ops dir_store_ops;

static struct dir_store *to_dir(struct pawlink_msg_store *st)
{
	return (struct dir_store *)((char *)st -
				    offsetof(struct dir_store, base));
}

static const struct dir_store *to_dir_const(const struct pawlink_msg_store *st)
{
	return (const struct dir_store *)((const char *)st -
					  offsetof(struct dir_store, base));
}

/* ---- on-disk codecs ----------------------------------------------------- */

void pawlink_msg_store_hdr_encode(uint8_t out[PAWLINK_MSG_STORE_HDR_LEN],
				  const struct pawlink_msg_info *info)
{
	memset(out, 0, PAWLINK_MSG_STORE_HDR_LEN);
	memcpy(out, PAWLINK_MSG_STORE_MAGIC, MAGIC_LEN);
	pawlink_msg_info_encode(out + MAGIC_LEN, info);
}

int pawlink_msg_store_hdr_decode(struct pawlink_msg_info *info,
				 const uint8_t *buf, size_t len)
{
	const size_t tail = MAGIC_LEN + PAWLINK_MSG_META_LEN;

	memset(info, 0, sizeof(*info));
	if (len != PAWLINK_MSG_STORE_HDR_LEN ||
	    memcmp(buf, PAWLINK_MSG_STORE_MAGIC, MAGIC_LEN) != 0 ||
	    !pawlink_is_zero(buf + tail, PAWLINK_MSG_STORE_HDR_LEN - tail) ||
	    pawlink_msg_info_decode(info, buf + MAGIC_LEN,
				    PAWLINK_MSG_META_LEN) != 0 ||
	    pawlink_msg_info_check(info) != PAWLINK_MSG_OK) {
		memset(info, 0, sizeof(*info));
		return -EBADMSG;
	}
	return 0;
}

/* Resume file: magic, meta, le32 nchunks, le32 0, bitmap, SHA-256. */
enum { RESUME_NCHUNKS = 88, RESUME_MAP = 96 };

int pawlink_msg_resume_encode(uint8_t *buf, size_t cap,
			      const struct pawlink_msg_info *info,
			      const uint8_t *have)
{
	uint32_t n = pawlink_msg_nchunks(info->size);
	size_t map_len = (n + 7) / 8, len = RESUME_MAP + map_len;
	uint32_t i;

	if (n > PAWLINK_MSG_CHUNKS_MAX)
		return -EINVAL;
	if (cap < len + PAWLINK_MSG_SHA256_LEN)
		return -ENOSPC;
	memset(buf, 0, len);
	memcpy(buf, PAWLINK_MSG_RESUME_MAGIC, MAGIC_LEN);
	pawlink_msg_info_encode(buf + MAGIC_LEN, info);
	pawlink_store_le32(buf + RESUME_NCHUNKS, n);
	for (i = 0; i < n; i++)
		if (pawlink_msg_bit(have, i))
			pawlink_msg_bit_set(buf + RESUME_MAP, i);
	crypto_hash_sha256(buf + len, buf, len);
	return (int)(len + PAWLINK_MSG_SHA256_LEN);
}

int pawlink_msg_resume_decode(struct pawlink_msg_info *info, uint8_t *have,
			      const uint8_t *buf, size_t len)
{
	uint8_t digest[PAWLINK_MSG_SHA256_LEN];
	size_t map_len, body;
	uint32_t n, i;

	memset(info, 0, sizeof(*info));
	memset(have, 0, PAWLINK_MSG_BITMAP_LEN);
	if (len < RESUME_MAP + PAWLINK_MSG_SHA256_LEN ||
	    memcmp(buf, PAWLINK_MSG_RESUME_MAGIC, MAGIC_LEN) != 0 ||
	    pawlink_msg_info_decode(info, buf + MAGIC_LEN,
				    PAWLINK_MSG_META_LEN) != 0 ||
	    pawlink_msg_info_check(info) != PAWLINK_MSG_OK)
		goto bad;
	n = pawlink_load_le32(buf + RESUME_NCHUNKS);
	map_len = (n + 7) / 8;
	body = RESUME_MAP + map_len;
	if (n != pawlink_msg_nchunks(info->size) ||
	    pawlink_load_le32(buf + RESUME_NCHUNKS + 4) != 0 ||
	    len != body + PAWLINK_MSG_SHA256_LEN)
		goto bad;
	crypto_hash_sha256(digest, buf, body);
	if (sodium_memcmp(digest, buf + body, sizeof(digest)) != 0)
		goto bad;
	/* No bit past the last chunk. */
	for (i = n; i < map_len * 8; i++)
		if (pawlink_msg_bit(buf + RESUME_MAP, i))
			goto bad;
	memcpy(have, buf + RESUME_MAP, map_len);
	return 0;
bad:
	memset(info, 0, sizeof(*info));
	memset(have, 0, PAWLINK_MSG_BITMAP_LEN);
	return -EBADMSG;
}


/* ---- the layout, plain or sealed ----------------------------------------- */

static size_t hdr_len(const struct dir_store *st)
{
	return st->sealed ? SEALED_HDR_LEN : PAWLINK_MSG_STORE_HDR_LEN;
}

/* Where chunk @i sits: sealed, each is nonce, data, tag. */
static off_t chunk_off(const struct dir_store *st, uint32_t i)
{
	return (off_t)hdr_len(st) +
	       (off_t)i * (PAWLINK_MSG_CHUNK_DATA +
			   (st->sealed ? SEAL_EXTRA : 0));
}

static size_t slot_len(const struct dir_store *st, uint32_t size, uint32_t i)
{
	return pawlink_msg_chunk_len(size, i) + (st->sealed ? SEAL_EXTRA : 0);
}

/* The length of a message's file (committed or partial). */
static off_t file_len(const struct dir_store *st, uint32_t size)
{
	return (off_t)hdr_len(st) + (off_t)size +
	       (st->sealed ? (off_t)pawlink_msg_nchunks(size) * SEAL_EXTRA : 0);
}

/*
 * Seals @len bytes of @in as magic, nonce, ciphertext and tag into @out
 * (the magic and @ad are bound).  Returns the sealed length.
 */
static size_t seal(const struct dir_store *st, uint8_t *out,
		   const char *magic, const uint8_t *ad, size_t ad_len,
		   const uint8_t *in, size_t len)
{
	uint8_t *nonce = out + MAGIC_LEN;
	unsigned long long clen;

	memcpy(out, magic, MAGIC_LEN);
	randombytes_buf(nonce, SEAL_NONCE);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + MAGIC_LEN + SEAL_NONCE,
						   &clen, in, len, ad, ad_len,
						   NULL, nonce, st->key);
	return MAGIC_LEN + SEAL_NONCE + (size_t)clen;
}

/* Opens what seal() made; 0 with *out_len, or -EBADMSG. */
static int unseal(const struct dir_store *st, uint8_t *out, size_t *out_len,
		  const char *magic, const uint8_t *ad, size_t ad_len,
		  const uint8_t *in, size_t len)
{
	unsigned long long plen;

	if (len < MAGIC_LEN + SEAL_EXTRA || memcmp(in, magic, MAGIC_LEN) ||
	    crypto_aead_xchacha20poly1305_ietf_decrypt(out, &plen, NULL,
						       in + MAGIC_LEN +
						       SEAL_NONCE,
						       len - MAGIC_LEN -
						       SEAL_NONCE, ad, ad_len,
						       in + MAGIC_LEN,
						       st->key))
		return -EBADMSG;
	*out_len = (size_t)plen;
	return 0;
}

/* A message's header in @out (hdr_len() bytes). */
static void header_encode(const struct dir_store *st, uint8_t *out,
			  const struct pawlink_msg_info *info)
{
	uint8_t meta[PAWLINK_MSG_META_LEN];

	if (!st->sealed) {
		pawlink_msg_store_hdr_encode(out, info);
		return;
	}
	pawlink_msg_info_encode(meta, info);
	seal(st, out, PAWLINK_MSG_SEALED_MAGIC, (const uint8_t *)
	     PAWLINK_MSG_SEALED_MAGIC, MAGIC_LEN, meta, sizeof(meta));
}

static int header_decode(const struct dir_store *st,
			 struct pawlink_msg_info *info, const uint8_t *buf)
{
	uint8_t meta[PAWLINK_MSG_META_LEN];
	size_t n;

	if (!st->sealed)
		return pawlink_msg_store_hdr_decode(info, buf,
						    PAWLINK_MSG_STORE_HDR_LEN);
	memset(info, 0, sizeof(*info));
	if (unseal(st, meta, &n, PAWLINK_MSG_SEALED_MAGIC, (const uint8_t *)
		   PAWLINK_MSG_SEALED_MAGIC, MAGIC_LEN, buf, SEALED_HDR_LEN) ||
	    n != sizeof(meta) ||
	    pawlink_msg_info_decode(info, meta, sizeof(meta)) ||
	    pawlink_msg_info_check(info) != PAWLINK_MSG_OK) {
		memset(info, 0, sizeof(*info));
		return -EBADMSG;
	}
	return 0;
}

/* A resume file in @buf; its length, or a negative errno. */
static int resume_encode(const struct dir_store *st, uint8_t *buf,
			 size_t cap, const struct pawlink_msg_info *info,
			 const uint8_t *have)
{
	uint8_t plain[PAWLINK_MSG_RESUME_MAX];
	int len;

	if (!st->sealed)
		return pawlink_msg_resume_encode(buf, cap, info, have);
	len = pawlink_msg_resume_encode(plain, sizeof(plain), info, have);
	if (len < 0)
		return len;
	if (cap < (size_t)len + MAGIC_LEN + SEAL_EXTRA)
		return -ENOSPC;
	return (int)seal(st, buf, PAWLINK_MSG_SEALED_RESUME_MAGIC,
			 (const uint8_t *)PAWLINK_MSG_SEALED_RESUME_MAGIC,
			 MAGIC_LEN, plain, (size_t)len);
}

static int resume_decode(const struct dir_store *st,
			 struct pawlink_msg_info *info, uint8_t *have,
			 const uint8_t *buf, size_t len)
{
	uint8_t plain[PAWLINK_MSG_RESUME_MAX];
	size_t n;

	if (!st->sealed)
		return pawlink_msg_resume_decode(info, have, buf, len);
	if (len > sizeof(plain) + MAGIC_LEN + SEAL_EXTRA ||
	    unseal(st, plain, &n, PAWLINK_MSG_SEALED_RESUME_MAGIC,
		   (const uint8_t *)PAWLINK_MSG_SEALED_RESUME_MAGIC, MAGIC_LEN,
		   buf, len)) {
		memset(info, 0, sizeof(*info));
		memset(have, 0, PAWLINK_MSG_BITMAP_LEN);
		return -EBADMSG;
	}
	return pawlink_msg_resume_decode(info, have, plain, n);
}

/* A chunk is bound to its message and place: it cannot move. */
static void chunk_ad(uint8_t ad[CHUNK_AD_LEN],
		     const struct pawlink_msg_info *info, uint32_t i)
{
	memcpy(ad, info->id, PAWLINK_MSG_ID_LEN);
	pawlink_store_le32(ad + PAWLINK_MSG_ID_LEN, i);
	pawlink_store_le32(ad + PAWLINK_MSG_ID_LEN + 4, info->size);
}

/* ---- file operations, through the crash hook ----------------------------- */

static void msg_name(char out[NAME_MAX_LEN], const uint8_t *id)
{
	pawlink_msg_id_hex(out, id);
	memcpy(out + ID_HEX_LEN, MSG_SUFFIX, sizeof(MSG_SUFFIX));
}

/* The names of @sender's partial upload files. */
struct slot_names {
	char part[SLOT_NAME_LEN];
	char resume[SLOT_NAME_LEN];
	char tmp[SLOT_NAME_LEN];
};

static void slot_names(struct slot_names *n, const uint8_t *sender)
{
	char hex[SENDER_HEX_LEN + 1];

	sodium_bin2hex(hex, sizeof(hex), sender, PAWLINK_ID_LEN);
	snprintf(n->part, sizeof(n->part), SLOT_PREFIX "%s" PART_SUFFIX, hex);
	snprintf(n->resume, sizeof(n->resume), SLOT_PREFIX "%s" RESUME_SUFFIX,
		 hex);
	snprintf(n->tmp, sizeof(n->tmp), SLOT_PREFIX "%s" RESUME_SUFFIX ".tmp",
		 hex);
}

/*
 * Whether @name is a partial upload's file (*@resume: its resume state),
 * and whose (@sender).
 */
static bool is_slot_name(const char *name, uint8_t sender[PAWLINK_ID_LEN],
			 bool *resume)
{
	const size_t pre = sizeof(SLOT_PREFIX) - 1;
	const char *suffix = name + pre + SENDER_HEX_LEN;
	size_t bin = 0, i;

	if (strlen(name) <= pre + SENDER_HEX_LEN ||
	    strncmp(name, SLOT_PREFIX, pre) != 0)
		return false;
	if (strcmp(suffix, PART_SUFFIX) == 0)
		*resume = false;
	else if (strcmp(suffix, RESUME_SUFFIX) == 0)
		*resume = true;
	else
		return false;
	for (i = pre; i < pre + SENDER_HEX_LEN; i++)
		if (!((name[i] >= '0' && name[i] <= '9') ||
		      (name[i] >= 'a' && name[i] <= 'f')))
			return false;
	return sodium_hex2bin(sender, PAWLINK_ID_LEN, name + pre,
			      SENDER_HEX_LEN, NULL, &bin, NULL) == 0 &&
	       bin == PAWLINK_ID_LEN;
}

/* Overwrites unsynced chunk data, as a power loss would lose it. */
static void scramble_unsynced(struct dir_store *st)
{
	uint8_t junk[SLOT_MAX];
	struct store_upload *up = st->upload;
	uint32_t i, n;
	ssize_t w;

	if (!up)
		return;
	memset(junk, 0xa5, sizeof(junk));
	n = pawlink_msg_nchunks(up->info.size);
	for (i = 0; i < n; i++) {
		if (!pawlink_msg_bit(up->dirty, i))
			continue;
		w = pwrite(up->fd, junk, slot_len(st, up->info.size, i),
			   chunk_off(st, i));
		(void)w;	/* best effort: this is the simulated crash */
	}
}

/*
 * Accounts one mutating operation.  0: go ahead.  1: this is the one the
 * simulated power loss interrupts.  -EIO: the power is already out.
 */
static int op_begin(struct dir_store *st)
{
	if (st->crashed)
		return -EIO;
	if (st->crash_after >= 0 && st->ops >= (unsigned long)st->crash_after) {
		st->crashed = true;
		return 1;
	}
	st->ops++;
	return 0;
}

static int op_end_crash(struct dir_store *st)
{
	scramble_unsynced(st);
	return -EIO;
}

static int st_create(struct dir_store *st, const char *name)
{
	int r = op_begin(st), fd;

	if (r)
		return r > 0 ? op_end_crash(st) : r;
	fd = openat(st->dirfd, name,
		    O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	return fd < 0 ? -errno : fd;
}

static int st_pwrite(struct dir_store *st, int fd, const void *buf,
		     size_t len, off_t off)
{
	const uint8_t *p = buf;
	int r = op_begin(st);
	ssize_t w;

	if (r < 0)
		return r;
	if (r > 0)
		len /= 2;	/* a torn write */
	while (len > 0) {
		w = pwrite(fd, p, len, off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		p += w;
		off += w;
		len -= (size_t)w;
	}
	return r > 0 ? op_end_crash(st) : 0;
}

static int st_fsync(struct dir_store *st, int fd)
{
	int r = op_begin(st);

	if (r)
		return r > 0 ? op_end_crash(st) : r;
	return fsync(fd) ? -errno : 0;
}

static int st_truncate(struct dir_store *st, int fd, off_t len)
{
	int r = op_begin(st);

	if (r)
		return r > 0 ? op_end_crash(st) : r;
	return ftruncate(fd, len) ? -errno : 0;
}

static int st_rename(struct dir_store *st, const char *from,
		     const char *to)
{
	int r = op_begin(st);

	if (r)
		return r > 0 ? op_end_crash(st) : r;
	return renameat(st->dirfd, from, st->dirfd, to) ? -errno : 0;
}

/* A name that is already gone is fine. */
static int st_unlink(struct dir_store *st, const char *name)
{
	int r = op_begin(st);

	if (r)
		return r > 0 ? op_end_crash(st) : r;
	if (unlinkat(st->dirfd, name, 0) && errno != ENOENT)
		return -errno;
	return 0;
}

static int st_sync_dir(struct dir_store *st)
{
	return st_fsync(st, st->dirfd);
}

/* Reads exactly @len bytes at @off. */
static int read_full(int fd, void *buf, size_t len, off_t off)
{
	uint8_t *p = buf;
	ssize_t n;

	while (len > 0) {
		n = pread(fd, p, len, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		off += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Writes @name whole and durably: temp file, fsync, rename, fsync dir. */
static int write_atomic(struct dir_store *st, const char *name,
			const char *tmp, const uint8_t *data, size_t len)
{
	int fd, err;

	fd = st_create(st, tmp);
	if (fd < 0)
		return fd;
	err = st_pwrite(st, fd, data, len, 0);
	if (!err)
		err = st_fsync(st, fd);
	close(fd);
	if (!err)
		err = st_rename(st, tmp, name);
	if (!err)
		err = st_sync_dir(st);
	return err;
}

/*
 * Reads chunk @i of message @info from @fd into @out, opened if sealed:
 * its length, or -EBADMSG (it does not open) or another negative errno.
 */
static int read_chunk(const struct dir_store *st, int fd,
		      const struct pawlink_msg_info *info, uint32_t i,
		      uint8_t out[PAWLINK_MSG_CHUNK_DATA])
{
	uint8_t slot[SLOT_MAX], ad[CHUNK_AD_LEN];
	size_t len = pawlink_msg_chunk_len(info->size, i);
	int err;

	if (!st->sealed) {
		err = read_full(fd, out, len, chunk_off(st, i));
		return err ? err : (int)len;
	}
	err = read_full(fd, slot, len + SEAL_EXTRA, chunk_off(st, i));
	if (err)
		return err;
	chunk_ad(ad, info, i);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, NULL, NULL,
						       slot + SEAL_NONCE,
						       len + SEAL_TAG, ad,
						       sizeof(ad), slot,
						       st->key))
		return -EBADMSG;
	return (int)len;
}

/* Writes chunk @i of the upload, sealed under a fresh nonce if sealed. */
static int write_chunk(struct dir_store *st, int fd,
		       const struct pawlink_msg_info *info, uint32_t i,
		       const uint8_t *data, size_t len)
{
	uint8_t slot[SLOT_MAX], ad[CHUNK_AD_LEN];
	int err;

	if (!st->sealed)
		return st_pwrite(st, fd, data, len, chunk_off(st, i));
	randombytes_buf(slot, SEAL_NONCE);
	chunk_ad(ad, info, i);
	crypto_aead_xchacha20poly1305_ietf_encrypt(slot + SEAL_NONCE, NULL,
						   data, len, ad, sizeof(ad),
						   NULL, slot, st->key);
	err = st_pwrite(st, fd, slot, len + SEAL_EXTRA, chunk_off(st, i));
	sodium_memzero(slot, sizeof(slot));
	return err;
}

/* Whether the object in @fd opens and hashes to @info's SHA-256. */
static int object_matches(const struct dir_store *st, int fd,
			  const struct pawlink_msg_info *info)
{
	uint8_t digest[PAWLINK_MSG_SHA256_LEN], chunk[PAWLINK_MSG_CHUNK_DATA];
	crypto_hash_sha256_state h;
	uint32_t i, n = pawlink_msg_nchunks(info->size);
	int len = 0;

	crypto_hash_sha256_init(&h);
	for (i = 0; i < n; i++) {
		len = read_chunk(st, fd, info, i, chunk);
		if (len < 0)
			break;
		crypto_hash_sha256_update(&h, chunk, (size_t)len);
	}
	crypto_hash_sha256_final(&h, digest);
	sodium_memzero(chunk, sizeof(chunk));
	if (len < 0)
		return len;
	return sodium_memcmp(digest, info->sha256, sizeof(digest)) ?
		-EBADMSG : 0;
}

/* ---- the index of committed messages ------------------------------------ */

static size_t index_lower_bound(const struct dir_store *st,
				const uint8_t *id)
{
	size_t lo = 0, hi = st->count, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (memcmp(st->index[mid].id, id, PAWLINK_MSG_ID_LEN) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct pawlink_msg_info *index_find(const struct dir_store *st,
					   const uint8_t *id)
{
	size_t i = index_lower_bound(st, id);

	if (i < st->count &&
	    memcmp(st->index[i].id, id, PAWLINK_MSG_ID_LEN) == 0)
		return &st->index[i];
	return NULL;
}

static int index_add(struct dir_store *st,
		     const struct pawlink_msg_info *info)
{
	struct pawlink_msg_info *grown;
	size_t i, cap;

	if (st->count >= PAWLINK_MSG_STORE_COUNT_HARD)
		return -ENOSPC;
	if (st->count == st->cap) {
		cap = st->cap ? st->cap * 2 : 16;
		grown = realloc(st->index, cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		st->index = grown;
		st->cap = cap;
	}
	i = index_lower_bound(st, info->id);
	memmove(&st->index[i + 1], &st->index[i],
		(st->count - i) * sizeof(*info));
	st->index[i] = *info;
	st->count++;
	st->bytes += info->size;
	return 0;
}

static void index_remove(struct dir_store *st,
			 struct pawlink_msg_info *entry)
{
	size_t i = (size_t)(entry - st->index);

	st->bytes -= entry->size;
	memmove(&st->index[i], &st->index[i + 1],
		(st->count - i - 1) * sizeof(*entry));
	st->count--;
}

/* ---- opening: recover from whatever a crash left ------------------------- */

static bool is_msg_name(const char *name)
{
	size_t i;

	if (strlen(name) != ID_HEX_LEN + sizeof(MSG_SUFFIX) - 1 ||
	    strcmp(name + ID_HEX_LEN, MSG_SUFFIX) != 0)
		return false;
	for (i = 0; i < ID_HEX_LEN; i++)
		if (!((name[i] >= '0' && name[i] <= '9') ||
		      (name[i] >= 'a' && name[i] <= 'f')))
			return false;
	return true;
}

static bool has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);

	return n > s && strcmp(name + n - s, suffix) == 0;
}

/* Opens a regular file of the store for reading; never follows a link. */
static int open_regular(struct dir_store *st, const char *name,
			off_t *size)
{
	struct stat sb;
	int fd;

	fd = openat(st->dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	*size = sb.st_size;
	return fd;
}

/* Checks one committed message completely, hash included. */
static int load_message(struct dir_store *st, const char *name,
			struct pawlink_msg_info *info)
{
	uint8_t hdr[SEALED_HDR_LEN];
	char expect[NAME_MAX_LEN];
	off_t size;
	int fd, err;

	fd = open_regular(st, name, &size);
	if (fd < 0)
		return fd;
	err = size < (off_t)hdr_len(st) ? -EBADMSG :
		read_full(fd, hdr, hdr_len(st), 0);
	if (!err)
		err = header_decode(st, info, hdr);
	if (!err) {
		msg_name(expect, info->id);
		if (strcmp(expect, name) != 0 ||
		    size != file_len(st, info->size))
			err = -EBADMSG;
	}
	if (!err)
		err = object_matches(st, fd, info);
	close(fd);
	return err;
}

/* Partial upload files the directory holds, by sender, while scanning. */
struct slot_seen {
	uint8_t sender[PAWLINK_ID_LEN];
	bool part;
	bool resume;
};

static struct partial *free_slot(struct dir_store *st)
{
	size_t i;

	for (i = 0; i < PAWLINK_MSG_STORE_PARTIALS_MAX; i++)
		if (!st->partials[i].used)
			return &st->partials[i];
	return NULL;
}

/*
 * Keeps a sender's partial upload only if its resume state and file agree
 * (and it is that sender's); else deletes both, resume state first.
 */
static int load_partial(struct dir_store *st, const struct slot_seen *seen)
{
	uint8_t buf[SEALED_RESUME_MAX], hdr[SEALED_HDR_LEN];
	struct pawlink_msg_info hinfo;
	struct partial *slot = free_slot(st);
	struct slot_names names;
	off_t size;
	ssize_t n;
	int fd, err = -EBADMSG;

	slot_names(&names, seen->sender);
	if (slot && seen->part && seen->resume) {
		fd = open_regular(st, names.resume, &size);
		if (fd >= 0) {
			n = size <= (off_t)sizeof(buf) ?
				pread(fd, buf, (size_t)size, 0) : -1;
			close(fd);
			if (n == size)
				err = resume_decode(st, &slot->info,
						    slot->have, buf,
						    (size_t)n);
		}
		if (!err && memcmp(slot->info.sender, seen->sender,
				   PAWLINK_ID_LEN))
			err = -EBADMSG;
	}
	if (!err) {
		fd = open_regular(st, names.part, &size);
		err = fd < 0 ? fd : read_full(fd, hdr, hdr_len(st), 0);
		if (fd >= 0)
			close(fd);
		if (!err &&
		    (header_decode(st, &hinfo, hdr) ||
		     !pawlink_msg_info_equal(&hinfo, &slot->info) ||
		     size != file_len(st, hinfo.size) ||
		     index_find(st, hinfo.id)))
			err = -EBADMSG;
	}
	if (!err) {
		slot->used = true;
		return 0;
	}
	if (slot)
		memset(slot, 0, sizeof(*slot));
	if (seen->part)
		st->stats.dropped_partial++;
	/* The resume state goes first: a part without one is garbage. */
	err = st_unlink(st, names.resume);
	if (!err)
		err = st_unlink(st, names.part);
	return err ? err : 1;
}

/* Notes partial upload file @name of @sender; a third sender's is dropped. */
static int see_slot_file(struct dir_store *st, struct slot_seen *seen,
			 size_t *n_seen, const uint8_t *sender, bool resume,
			 const char *name, bool *removed)
{
	size_t i;

	for (i = 0; i < *n_seen; i++)
		if (!memcmp(seen[i].sender, sender, PAWLINK_ID_LEN))
			break;
	if (i == *n_seen) {
		if (i == PAWLINK_MSG_STORE_PARTIALS_MAX) {
			/* More senders than slots: never made by this store. */
			*removed = true;
			st->stats.dropped_partial += !resume;
			return st_unlink(st, name);
		}
		memset(&seen[i], 0, sizeof(seen[i]));
		memcpy(seen[i].sender, sender, PAWLINK_ID_LEN);
		(*n_seen)++;
	}
	if (resume)
		seen[i].resume = true;
	else
		seen[i].part = true;
	return 0;
}

static int scan(struct dir_store *st, char *err_buf, size_t err_len)
{
	struct slot_seen seen[PAWLINK_MSG_STORE_PARTIALS_MAX];
	uint8_t sender[PAWLINK_ID_LEN];
	struct pawlink_msg_info info;
	bool removed = false, resume;
	size_t n_seen = 0, i;
	struct dirent *de;
	DIR *dir;
	int fd, err = 0;

	fd = dup(st->dirfd);
	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (!dir) {
		err = -errno;
		close(fd);
		return err;
	}
	while (!err && (de = readdir(dir)) != NULL) {
		if (is_slot_name(de->d_name, sender, &resume)) {
			err = see_slot_file(st, seen, &n_seen, sender, resume,
					    de->d_name, &removed);
		} else if (has_suffix(de->d_name, TMP_SUFFIX)) {
			err = st_unlink(st, de->d_name);
			st->stats.dropped_tmp++;
			removed = true;
		} else if (is_msg_name(de->d_name)) {
			if (load_message(st, de->d_name, &info) == 0) {
				err = index_add(st, &info);
				if (err == -ENOSPC)
					err = 0;	/* over the hard cap */
				continue;
			}
			err = st_unlink(st, de->d_name);
			st->stats.dropped_corrupt++;
			removed = true;
		}
	}
	closedir(dir);
	if (err) {
		pawlink_errf(err_buf, err_len, "message store: %s",
			     strerror(-err));
		return err;
	}
	for (i = 0; !err && i < n_seen; i++) {
		err = load_partial(st, &seen[i]);
		if (err > 0) {
			removed = true;
			err = 0;
		}
	}
	if (!err && removed)
		err = st_sync_dir(st);
	if (err)
		pawlink_errf(err_buf, err_len,
			     "message store: cannot clean up: %s",
			     strerror(-err));
	return err;
}

static int store_open(struct pawlink_msg_store **out, const char *dir,
		      const struct pawlink_msg_store_limits *lim, bool sealed,
		      char *err_buf, size_t err_len)
{
	struct dir_store *st;
	struct stat sb;
	int err;

	*out = NULL;
	if (sodium_init() < 0) {
		pawlink_errf(err_buf, err_len, "message store: libsodium init");
		return -ENOMEM;
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		err = -errno;
		pawlink_errf(err_buf, err_len, "%s: cannot create: %s", dir,
			     strerror(errno));
		return err;
	}
	st = calloc(1, sizeof(*st));
	if (!st) {
		pawlink_errf(err_buf, err_len, "message store: out of memory");
		return -ENOMEM;
	}
	st->base.ops = &dir_store_ops;
	st->crash_after = -1;
	st->lim.max_bytes = lim ? lim->max_bytes :
				  PAWLINK_MSG_STORE_BYTES_DEFAULT;
	st->lim.max_count = lim ? lim->max_count :
				  PAWLINK_MSG_STORE_COUNT_DEFAULT;
	st->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (st->dirfd < 0) {
		err = -errno;
		pawlink_errf(err_buf, err_len, "%s: cannot open: %s", dir,
			     strerror(errno));
		goto out_free;
	}
	if (fstat(st->dirfd, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		err = -ENOTDIR;
		pawlink_errf(err_buf, err_len, "%s: not a directory", dir);
		goto out_close;
	}
	/* Sealed: what is there is read once the key is known. */
	st->sealed = sealed;
	err = sealed ? 0 : scan(st, err_buf, err_len);
	if (err)
		goto out_close;
	*out = &st->base;
	return 0;

out_close:
	close(st->dirfd);
out_free:
	free(st->index);
	free(st);
	return err;
}

int pawlink_msg_store_open(struct pawlink_msg_store **out, const char *dir,
			   const struct pawlink_msg_store_limits *lim,
			   char *err_buf, size_t err_len)
{
	return store_open(out, dir, lim, false, err_buf, err_len);
}

int pawlink_msg_store_open_sealed(struct pawlink_msg_store **out,
				  const char *dir,
				  const struct pawlink_msg_store_limits *lim,
				  char *err_buf, size_t err_len)
{
	return store_open(out, dir, lim, true, err_buf, err_len);
}

/*
 * The key, then what is in the directory read again under it: what does
 * not open (sealed under an erased key, or never sealed) is dropped.
 */
static int dir_seal(struct pawlink_msg_store *base,
		    const uint8_t key[PAWLINK_MSG_SEAL_KEY_LEN])
{
	struct dir_store *st = to_dir(base);
	char err[128];

	if (!st->sealed)
		return -EINVAL;
	if (st->upload)
		return -EBUSY;
	memcpy(st->key, key, sizeof(st->key));
	st->keyed = true;
	st->count = 0;
	st->bytes = 0;
	memset(st->partials, 0, sizeof(st->partials));
	return scan(st, err, sizeof(err));
}

void pawlink_msg_store_close(struct pawlink_msg_store *base)
{
	struct dir_store *st;

	if (!base)
		return;
	st = to_dir(base);
	if (st->upload) {
		close(st->upload->fd);
		st->upload->st = NULL;	/* its release() only frees it */
	}
	close(st->dirfd);
	free(st->index);
	sodium_memzero(st->key, sizeof(st->key));
	free(st);
}

static void dir_usage(const struct pawlink_msg_store *base, uint32_t *count,
		      uint64_t *bytes)
{
	const struct dir_store *st = to_dir_const(base);

	*count = (uint32_t)st->count;
	*bytes = st->bytes;
}

const struct pawlink_msg_store_stats *
pawlink_msg_store_stats(const struct pawlink_msg_store *st)
{
	return &to_dir_const(st)->stats;
}

/* ---- queries ------------------------------------------------------------ */

static void dir_list(const struct pawlink_msg_store *base,
		     const uint8_t *after, struct pawlink_msg_info *out,
		     size_t max, size_t *n, bool *more)
{
	const struct dir_store *st = to_dir_const(base);
	size_t i = 0, k = 0;

	if (after && !pawlink_is_zero(after, PAWLINK_MSG_ID_LEN)) {
		i = index_lower_bound(st, after);
		if (i < st->count &&
		    memcmp(st->index[i].id, after, PAWLINK_MSG_ID_LEN) == 0)
			i++;
	}
	while (i < st->count && k < max)
		out[k++] = st->index[i++];
	*n = k;
	*more = i < st->count;
}

static int dir_find(const struct pawlink_msg_store *base,
		    const uint8_t id[PAWLINK_MSG_ID_LEN],
		    struct pawlink_msg_info *info)
{
	const struct pawlink_msg_info *e = index_find(to_dir_const(base), id);

	if (!e)
		return PAWLINK_MSG_E_NOT_FOUND;
	if (info)
		*info = *e;
	return PAWLINK_MSG_OK;
}

/* The slot of the partial upload of @id, or -1. */
static int partial_of_id(const struct dir_store *st,
			 const uint8_t id[PAWLINK_MSG_ID_LEN])
{
	int i;

	for (i = 0; i < PAWLINK_MSG_STORE_PARTIALS_MAX; i++)
		if (st->partials[i].used &&
		    !memcmp(st->partials[i].info.id, id, PAWLINK_MSG_ID_LEN))
			return i;
	return -1;
}

static bool dir_has_partial(const struct pawlink_msg_store *base,
			    const uint8_t id[PAWLINK_MSG_ID_LEN])
{
	return partial_of_id(to_dir_const(base), id) >= 0;
}

/* Forgets a partial upload: resume state first, then the data. */
static int discard_partial(struct dir_store *st, struct partial *slot)
{
	struct slot_names names;
	int err;

	slot_names(&names, slot->info.sender);
	memset(slot, 0, sizeof(*slot));
	err = st_unlink(st, names.resume);
	if (!err)
		err = st_unlink(st, names.part);
	if (!err)
		err = st_sync_dir(st);
	return err;
}

static int dir_delete(struct pawlink_msg_store *base,
		      const uint8_t id[PAWLINK_MSG_ID_LEN])
{
	struct dir_store *st = to_dir(base);
	struct pawlink_msg_info *e = index_find(st, id);
	char name[NAME_MAX_LEN];
	struct partial *slot;
	int i;

	if (e) {
		msg_name(name, id);
		if (st_unlink(st, name) || st_sync_dir(st))
			return PAWLINK_MSG_E_IO;
		index_remove(st, e);
		return PAWLINK_MSG_OK;
	}
	i = partial_of_id(st, id);
	if (i < 0)
		return PAWLINK_MSG_E_NOT_FOUND;
	slot = &st->partials[i];
	if (st->upload && st->upload->slot == slot)
		return PAWLINK_MSG_E_BUSY;
	return discard_partial(st, slot) ? PAWLINK_MSG_E_IO : PAWLINK_MSG_OK;
}

/* ---- reading ------------------------------------------------------------ */

static int reader_read(void *ctx, uint32_t off, uint8_t *buf, size_t len)
{
	const struct store_reader *rd = ctx;
	uint8_t chunk[PAWLINK_MSG_CHUNK_DATA];
	uint32_t i, at;
	size_t n;
	int got;

	if (off > rd->info.size || len > rd->info.size - off)
		return PAWLINK_MSG_E_IO;
	if (!rd->st->sealed)
		return read_full(rd->fd, buf, len, chunk_off(rd->st, 0) +
				 (off_t)off) ? PAWLINK_MSG_E_IO : PAWLINK_MSG_OK;
	/* Sealed: each chunk the range touches is opened whole. */
	while (len > 0) {
		i = off / PAWLINK_MSG_CHUNK_DATA;
		at = off % PAWLINK_MSG_CHUNK_DATA;
		got = read_chunk(rd->st, rd->fd, &rd->info, i, chunk);
		if (got < 0)
			break;
		n = (size_t)got - at < len ? (size_t)got - at : len;
		memcpy(buf, chunk + at, n);
		buf += n;
		off += (uint32_t)n;
		len -= n;
	}
	sodium_memzero(chunk, sizeof(chunk));
	return len ? PAWLINK_MSG_E_IO : PAWLINK_MSG_OK;
}

static const struct pawlink_msg_source_ops reader_ops = {
	.read = reader_read,
};

static int dir_reader_open(struct pawlink_msg_store *base,
			   const uint8_t id[PAWLINK_MSG_ID_LEN],
			   struct pawlink_msg_info *info,
			   struct pawlink_msg_source *src)
{
	struct dir_store *st = to_dir(base);
	const struct pawlink_msg_info *e = index_find(st, id);
	char name[NAME_MAX_LEN];
	struct store_reader *rd;
	off_t size;

	if (!e)
		return PAWLINK_MSG_E_NOT_FOUND;
	rd = malloc(sizeof(*rd));
	if (!rd)
		return PAWLINK_MSG_E_NOMEM;
	msg_name(name, id);
	rd->fd = open_regular(st, name, &size);
	if (rd->fd < 0 || size != file_len(st, e->size)) {
		if (rd->fd >= 0)
			close(rd->fd);
		free(rd);
		return PAWLINK_MSG_E_IO;
	}
	rd->st = st;
	rd->info = *e;
	*info = *e;
	src->ops = &reader_ops;
	src->ctx = rd;
	return PAWLINK_MSG_OK;
}

static void dir_reader_close(struct pawlink_msg_store *base,
			     struct pawlink_msg_source *src)
{
	struct store_reader *rd = src->ctx;

	(void)base;	/* a reader holds its own file */
	if (!rd)
		return;
	close(rd->fd);
	free(rd);
	src->ctx = NULL;
}

static int dir_read(struct pawlink_msg_store *base,
		    const uint8_t id[PAWLINK_MSG_ID_LEN], uint8_t **data,
		    size_t *len)
{
	struct pawlink_msg_source src;
	struct pawlink_msg_info info;
	uint8_t *buf;
	int status;

	*data = NULL;
	*len = 0;
	status = dir_reader_open(base, id, &info, &src);
	if (status != PAWLINK_MSG_OK)
		return status;
	buf = malloc(info.size);
	if (!buf) {
		status = PAWLINK_MSG_E_NOMEM;
		goto out_close;
	}
	status = src.ops->read(src.ctx, 0, buf, info.size);
	if (status == PAWLINK_MSG_OK)
		status = pawlink_msg_info_verify(&info, buf, info.size);
	if (status != PAWLINK_MSG_OK) {
		free(buf);
		goto out_close;
	}
	*data = buf;
	*len = info.size;
out_close:
	dir_reader_close(base, &src);
	return status;
}

/* ---- receiving (the upload sink) ---------------------------------------- */

static int upload_write(void *ctx, uint32_t index, const uint8_t *data,
			size_t len)
{
	struct store_upload *up = ctx;
	struct dir_store *st = up->st;

	if (!st || len != pawlink_msg_chunk_len(up->info.size, index))
		return PAWLINK_MSG_E_IO;
	pawlink_msg_bit_set(up->dirty, index);
	if (write_chunk(st, up->fd, &up->info, index, data, len))
		return PAWLINK_MSG_E_IO;
	return PAWLINK_MSG_OK;
}

static int upload_checkpoint(void *ctx, const uint8_t *have, uint32_t nchunks)
{
	uint8_t buf[SEALED_RESUME_MAX];
	struct store_upload *up = ctx;
	struct dir_store *st = up->st;
	struct slot_names names;
	int len;

	if (!st || nchunks != pawlink_msg_nchunks(up->info.size))
		return PAWLINK_MSG_E_IO;
	slot_names(&names, up->info.sender);
	/* The data first, so the resume state never claims a lost chunk. */
	if (st_fsync(st, up->fd))
		return PAWLINK_MSG_E_IO;
	memset(up->dirty, 0, sizeof(up->dirty));
	len = resume_encode(st, buf, sizeof(buf), &up->info, have);
	if (len < 0 || write_atomic(st, names.resume, names.tmp, buf,
				    (size_t)len))
		return PAWLINK_MSG_E_IO;
	memcpy(up->slot->have, have, (nchunks + 7) / 8);
	return PAWLINK_MSG_OK;
}

static int upload_commit(void *ctx)
{
	struct store_upload *up = ctx;
	struct dir_store *st = up->st;
	struct slot_names names;
	char name[NAME_MAX_LEN];
	int err;

	if (!st)
		return PAWLINK_MSG_E_IO;
	if (st->count >= PAWLINK_MSG_STORE_COUNT_HARD)
		return PAWLINK_MSG_E_QUOTA;
	/* Another host's upload of the same id got there first. */
	if (index_find(st, up->info.id)) {
		discard_partial(st, up->slot);
		return PAWLINK_MSG_E_EXISTS;
	}
	slot_names(&names, up->info.sender);
	err = object_matches(st, up->fd, &up->info);
	if (err == -EBADMSG) {
		/* Never committed: drop it so a retry starts clean. */
		discard_partial(st, up->slot);
		return PAWLINK_MSG_E_BAD_HASH;
	}
	if (err)
		return PAWLINK_MSG_E_IO;
	if (st_fsync(st, up->fd))
		return PAWLINK_MSG_E_IO;
	memset(up->dirty, 0, sizeof(up->dirty));
	msg_name(name, up->info.id);
	if (st_rename(st, names.part, name))
		return PAWLINK_MSG_E_IO;
	/* Renamed: it is the committed message now, whatever follows. */
	memset(up->slot, 0, sizeof(*up->slot));
	if (index_add(st, &up->info))
		return PAWLINK_MSG_E_IO;
	if (st_sync_dir(st) || st_unlink(st, names.resume) || st_sync_dir(st))
		return PAWLINK_MSG_E_IO;
	return PAWLINK_MSG_OK;
}

static void upload_release(void *ctx)
{
	struct store_upload *up = ctx;

	if (up->st) {
		close(up->fd);
		up->st->upload = NULL;
	}
	free(up);
}

static const struct pawlink_msg_sink_ops upload_ops = {
	.write = upload_write,
	.checkpoint = upload_checkpoint,
	.commit = upload_commit,
	.release = upload_release,
};

/* Creates @info's partial upload file and an empty resume state in @slot. */
static int create_partial(struct dir_store *st, struct partial *slot,
			  const struct pawlink_msg_info *info, int *fd_out)
{
	uint8_t hdr[SEALED_HDR_LEN], buf[SEALED_RESUME_MAX];
	struct slot_names names;
	int fd, len, err;

	slot_names(&names, info->sender);
	memset(slot->have, 0, sizeof(slot->have));
	fd = st_create(st, names.part);
	if (fd < 0)
		return fd;
	header_encode(st, hdr, info);
	err = st_pwrite(st, fd, hdr, hdr_len(st), 0);
	if (!err)
		err = st_truncate(st, fd, file_len(st, info->size));
	if (!err)
		err = st_fsync(st, fd);
	len = resume_encode(st, buf, sizeof(buf), info, slot->have);
	if (!err && len < 0)
		err = len;
	/* The resume state's rename and dir fsync also publish the part. */
	if (!err)
		err = write_atomic(st, names.resume, names.tmp, buf,
				   (size_t)len);
	if (err) {
		close(fd);
		return err;
	}
	slot->used = true;
	slot->info = *info;
	*fd_out = fd;
	return 0;
}

/*
 * The slot an upload of @info goes to: its sender's, else a free one,
 * else the one begun longest ago (whose upload is dropped).
 */
static struct partial *slot_for(struct dir_store *st,
				const struct pawlink_msg_info *info)
{
	struct partial *oldest = &st->partials[0];
	size_t i;

	for (i = 0; i < PAWLINK_MSG_STORE_PARTIALS_MAX; i++)
		if (st->partials[i].used &&
		    !memcmp(st->partials[i].info.sender, info->sender,
			    PAWLINK_ID_LEN))
			return &st->partials[i];
	for (i = 0; i < PAWLINK_MSG_STORE_PARTIALS_MAX; i++) {
		if (!st->partials[i].used)
			return &st->partials[i];
		if (st->partials[i].begun < oldest->begun)
			oldest = &st->partials[i];
	}
	return oldest;
}

/* Whether @info fits beside the messages and the other partial uploads. */
static bool fits_quota(const struct dir_store *st,
		       const struct pawlink_msg_info *info,
		       const struct partial *slot)
{
	uint64_t bytes = st->bytes + info->size;
	uint64_t count = st->count + 1;
	size_t i;

	for (i = 0; i < PAWLINK_MSG_STORE_PARTIALS_MAX; i++) {
		if (!st->partials[i].used || &st->partials[i] == slot)
			continue;
		bytes += st->partials[i].info.size;
		count++;
	}
	return count <= st->lim.max_count && bytes <= st->lim.max_bytes;
}

static int dir_put_begin(struct pawlink_msg_store *base,
			 const struct pawlink_msg_info *info,
			 struct pawlink_msg_sink *sink, uint8_t *have)
{
	struct dir_store *st = to_dir(base);
	struct store_upload *up;
	struct slot_names names;
	struct partial *slot;
	int status, fd;

	memset(have, 0, PAWLINK_MSG_BITMAP_LEN);
	status = pawlink_msg_info_check(info);
	if (status != PAWLINK_MSG_OK)
		return status;
	if (st->upload)
		return PAWLINK_MSG_E_BUSY;
	if (st->sealed && !st->keyed)
		return PAWLINK_MSG_E_IO;
	if (index_find(st, info->id))
		return PAWLINK_MSG_E_EXISTS;
	slot = slot_for(st, info);
	if (!fits_quota(st, info, slot))
		return PAWLINK_MSG_E_QUOTA;
	up = calloc(1, sizeof(*up));
	if (!up)
		return PAWLINK_MSG_E_NOMEM;

	if (slot->used && pawlink_msg_info_equal(&slot->info, info)) {
		slot_names(&names, info->sender);
		fd = openat(st->dirfd, names.part,
			    O_RDWR | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0)
			goto out_io;
		memcpy(have, slot->have, PAWLINK_MSG_BITMAP_LEN);
	} else {
		if (slot->used && discard_partial(st, slot))
			goto out_io;
		if (create_partial(st, slot, info, &fd))
			goto out_io;
	}
	slot->begun = ++st->begins;
	up->st = st;
	up->slot = slot;
	up->info = *info;
	up->fd = fd;
	st->upload = up;
	sink->ops = &upload_ops;
	sink->ctx = up;
	return PAWLINK_MSG_OK;

out_io:
	free(up);
	return PAWLINK_MSG_E_IO;
}

static const struct pawlink_msg_store_ops dir_store_ops = {
	.usage = dir_usage,
	.list = dir_list,
	.find = dir_find,
	.delete = dir_delete,
	.reader_open = dir_reader_open,
	.reader_close = dir_reader_close,
	.read = dir_read,
	.put_begin = dir_put_begin,
	.has_partial = dir_has_partial,
	.seal = dir_seal,
};

/* ---- crash simulation --------------------------------------------------- */

void pawlink_msg_store_crash_after(struct pawlink_msg_store *base, long ops)
{
	struct dir_store *st = to_dir(base);

	st->crash_after = ops < 0 ? -1 : (long)st->ops + ops;
}

bool pawlink_msg_store_crashed(const struct pawlink_msg_store *st)
{
	return to_dir_const(st)->crashed;
}

unsigned long pawlink_msg_store_ops(const struct pawlink_msg_store *st)
{
	return to_dir_const(st)->ops;
}
