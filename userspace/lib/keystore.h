/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host's key store: $XDG_DATA_HOME/pawlink (by default
 * ~/.local/share/pawlink), directory 0700, files 0600.
 *
 *   host.key          the host's id and static X25519 secret key
 *   toy-<id in hex>   one paired toy: id, pinned static public key, name
 *
 * Every file is written to a temporary name, fsynced, renamed into place
 * and the directory fsynced, so a crash leaves the old file or the new
 * one, never a mix.  Like ssh, the store refuses a directory or file that
 * group or others can access, or that another user owns, and says so
 * before reading a byte of it.  Secrets are wiped after use and never
 * appear in an error message.
 *
 * Errors are negative errno values; when @err is not NULL it receives a
 * sentence for the user.  Not thread-safe: one struct per thread.
 */
#ifndef PAWLINK_KEYSTORE_H
#define PAWLINK_KEYSTORE_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include <pawlink/pairing.h>

#include "libpawlink.h"

#define PAWLINK_KEYSTORE_HOST_FILE	"host.key"
#define PAWLINK_KEYSTORE_TOY_PREFIX	"toy-"
#define PAWLINK_KEYSTORE_NAME_MAX	PAWLINK_TOY_NAME_MAX
#define PAWLINK_KEYSTORE_FILE_MAX	512	/* longest file it reads */
#define PAWLINK_KEYSTORE_ERR_LEN	(PATH_MAX + 160)

struct pawlink_host_identity {
	uint8_t id[PAWLINK_ID_LEN];
	uint8_t public_key[PAWLINK_PAIR_STATIC_LEN];
	uint8_t secret_key[PAWLINK_PAIR_STATIC_LEN];
};

struct pawlink_toy_record {
	uint8_t id[PAWLINK_ID_LEN];
	uint8_t static_key[PAWLINK_PAIR_STATIC_LEN];	/* pinned */
	char name[PAWLINK_KEYSTORE_NAME_MAX + 1];	/* may be empty */
};

struct pawlink_keystore {
	char dir[PATH_MAX];
	int dirfd;
};

/*
 * Opens (creating it 0700 if missing) @dir, or the default location when
 * @dir is NULL.  Refuses a directory with group or other permission bits,
 * a symlink or one owned by another user.  Removes temporary files a crash
 * left behind.
 */
int pawlink_keystore_open(struct pawlink_keystore *ks, const char *dir,
			  char *err, size_t err_len);
void pawlink_keystore_close(struct pawlink_keystore *ks);

/* The default directory into @out (PATH_MAX); -ENOENT without $HOME. */
int pawlink_keystore_default_dir(char *out, size_t out_len, char *err,
				 size_t err_len);

/* A new random host id and X25519 key pair, written; -EEXIST if any. */
int pawlink_keystore_host_create(struct pawlink_keystore *ks,
				 struct pawlink_host_identity *host,
				 char *err, size_t err_len);
/* -ENOENT if the host has no identity yet. */
int pawlink_keystore_host_load(struct pawlink_keystore *ks,
			       struct pawlink_host_identity *host,
			       char *err, size_t err_len);
void pawlink_host_identity_wipe(struct pawlink_host_identity *host);

/* Pins a toy (replacing an earlier record with the same id). */
int pawlink_keystore_toy_save(struct pawlink_keystore *ks,
			      const struct pawlink_toy_record *toy,
			      char *err, size_t err_len);
/*
 * Room on the disk for toy @id's record, taken before pairing it, so that
 * a full disk is found before the toy pins this host (a toy that trusts a
 * host which then cannot save the toy's key is lost to it until a factory
 * reset).  A temporary file as long as the longest record; the save
 * overwrites it in place, cuts it and renames it.  Drop it if the pairing
 * fails; a crash leaves a temporary that the next open removes.
 */
struct pawlink_keystore_reservation {
	int fd;
	char tmp[NAME_MAX + 1];
	char name[NAME_MAX + 1];
};
int pawlink_keystore_toy_reserve(struct pawlink_keystore *ks,
				 const uint8_t id[PAWLINK_ID_LEN],
				 struct pawlink_keystore_reservation *res,
				 char *err, size_t err_len);
/* As pawlink_keystore_toy_save(), into the room kept; consumes @res. */
int pawlink_keystore_toy_save_reserved(struct pawlink_keystore *ks,
				       struct pawlink_keystore_reservation *res,
				       const struct pawlink_toy_record *toy,
				       char *err, size_t err_len);
/* Gives the room back (nothing if already used or dropped). */
void pawlink_keystore_reservation_drop(struct pawlink_keystore *ks,
				       struct pawlink_keystore_reservation *res);

/* -ENOENT if the toy is not paired. */
int pawlink_keystore_toy_load(struct pawlink_keystore *ks,
			      const uint8_t id[PAWLINK_ID_LEN],
			      struct pawlink_toy_record *toy,
			      char *err, size_t err_len);
/*
 * Calls @fn for each paired toy, in no particular order, until @fn
 * returns non-zero (which is then returned).  A record that fails to load
 * stops the walk with its error.
 */
int pawlink_keystore_toy_list(struct pawlink_keystore *ks,
			      int (*fn)(const struct pawlink_toy_record *toy,
					void *ctx),
			      void *ctx, char *err, size_t err_len);
/* Erases everything the store holds about one toy; -ENOENT if none. */
int pawlink_keystore_toy_erase(struct pawlink_keystore *ks,
			       const uint8_t id[PAWLINK_ID_LEN],
			       char *err, size_t err_len);

/* True for a name a toy record may carry (printable, no newline). */
int pawlink_keystore_name_ok(const char *name);

/*
 * The file formats, exposed for the fuzzers.  Strict: exact lines in
 * order, lower-case hex, a final newline, nothing else.  -EINVAL.
 */
int pawlink_keystore_parse_host(const char *buf, size_t len,
				struct pawlink_host_identity *host);
int pawlink_keystore_parse_toy(const char *buf, size_t len,
			       struct pawlink_toy_record *toy);

#endif /* PAWLINK_KEYSTORE_H */
