// SPDX-License-Identifier: GPL-2.0
/* Voice message metadata: codec, checks, creation; see msg_object.h. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "byteorder.h"
#include "msg_object.h"
#include "bytes.h"

_Static_assert(sizeof(struct pawlink_msg_meta) == PAWLINK_MSG_META_LEN,
	       "struct pawlink_msg_meta is 80 bytes on the wire");
_Static_assert(offsetof(struct pawlink_msg_meta, time) == 24 &&
	       offsetof(struct pawlink_msg_meta, duration_ms) == 32 &&
	       offsetof(struct pawlink_msg_meta, size) == 36 &&
	       offsetof(struct pawlink_msg_meta, codec) == 40 &&
	       offsetof(struct pawlink_msg_meta, sha256) == 48,
	       "metadata layout as in Documentation/messages.rst");
_Static_assert(PAWLINK_MSG_SHA256_LEN == crypto_hash_sha256_BYTES,
	       "the object hash is SHA-256");

/* Byte offsets of the metadata fields (struct pawlink_msg_meta). */
enum {
	META_ID = 0,
	META_SENDER = 16,
	META_TIME = 24,
	META_DURATION = 32,
	META_SIZE = 36,
	META_CODEC = 40,
	META_RESERVED = 41,
	META_SHA256 = 48,
};

void pawlink_msg_info_encode(uint8_t out[PAWLINK_MSG_META_LEN],
			     const struct pawlink_msg_info *info)
{
	memset(out, 0, PAWLINK_MSG_META_LEN);
	memcpy(out + META_ID, info->id, PAWLINK_MSG_ID_LEN);
	memcpy(out + META_SENDER, info->sender, PAWLINK_ID_LEN);
	pawlink_store_le64(out + META_TIME, info->time);
	pawlink_store_le32(out + META_DURATION, info->duration_ms);
	pawlink_store_le32(out + META_SIZE, info->size);
	out[META_CODEC] = info->codec;
	memcpy(out + META_SHA256, info->sha256, PAWLINK_MSG_SHA256_LEN);
}

int pawlink_msg_info_decode(struct pawlink_msg_info *info, const uint8_t *in,
			    size_t len)
{
	memset(info, 0, sizeof(*info));
	if (len != PAWLINK_MSG_META_LEN ||
	    !pawlink_is_zero(in + META_RESERVED, META_SHA256 - META_RESERVED))
		return -EBADMSG;
	memcpy(info->id, in + META_ID, PAWLINK_MSG_ID_LEN);
	memcpy(info->sender, in + META_SENDER, PAWLINK_ID_LEN);
	info->time = pawlink_load_le64(in + META_TIME);
	info->duration_ms = pawlink_load_le32(in + META_DURATION);
	info->size = pawlink_load_le32(in + META_SIZE);
	info->codec = in[META_CODEC];
	memcpy(info->sha256, in + META_SHA256, PAWLINK_MSG_SHA256_LEN);
	return 0;
}

int pawlink_msg_info_check(const struct pawlink_msg_info *info)
{
	if (pawlink_is_zero(info->id, PAWLINK_MSG_ID_LEN) ||
	    info->size == 0 || info->duration_ms == 0 ||
	    info->codec != PAWLINK_MSG_CODEC_OGG_OPUS)
		return PAWLINK_MSG_E_BAD_REQUEST;
	if (info->duration_ms > PAWLINK_MSG_DURATION_MAX_MS ||
	    info->size > PAWLINK_MSG_SIZE_MAX)
		return PAWLINK_MSG_E_TOO_LONG;
	return PAWLINK_MSG_OK;
}

int pawlink_msg_info_create(struct pawlink_msg_info *info,
			    const uint8_t sender[PAWLINK_ID_LEN],
			    uint64_t time, uint32_t duration_ms,
			    const uint8_t *data, size_t len)
{
	memset(info, 0, sizeof(*info));
	if (len > PAWLINK_MSG_SIZE_MAX)
		return PAWLINK_MSG_E_TOO_LONG;
	if (sodium_init() < 0)
		return PAWLINK_MSG_E_NOMEM;
	/* The all-zero id is reserved ("no id"); 2^-128, but be exact. */
	do {
		randombytes_buf(info->id, sizeof(info->id));
	} while (pawlink_is_zero(info->id, sizeof(info->id)));
	memcpy(info->sender, sender, PAWLINK_ID_LEN);
	info->time = time;
	info->duration_ms = duration_ms;
	info->size = (uint32_t)len;
	info->codec = PAWLINK_MSG_CODEC_OGG_OPUS;
	crypto_hash_sha256(info->sha256, data, len);
	return pawlink_msg_info_check(info);
}

int pawlink_msg_info_verify(const struct pawlink_msg_info *info,
			    const uint8_t *data, size_t len)
{
	uint8_t digest[crypto_hash_sha256_BYTES];

	if (len != info->size)
		return PAWLINK_MSG_E_BAD_HASH;
	crypto_hash_sha256(digest, data, len);
	if (sodium_memcmp(digest, info->sha256, sizeof(digest)) != 0)
		return PAWLINK_MSG_E_BAD_HASH;
	return PAWLINK_MSG_OK;
}

bool pawlink_msg_info_equal(const struct pawlink_msg_info *a,
			    const struct pawlink_msg_info *b)
{
	uint8_t ea[PAWLINK_MSG_META_LEN], eb[PAWLINK_MSG_META_LEN];

	pawlink_msg_info_encode(ea, a);
	pawlink_msg_info_encode(eb, b);
	return memcmp(ea, eb, sizeof(ea)) == 0;
}

void pawlink_msg_id_hex(char out[2 * PAWLINK_MSG_ID_LEN + 1],
			const uint8_t id[PAWLINK_MSG_ID_LEN])
{
	pawlink_hex_encode(out, id, PAWLINK_MSG_ID_LEN);
}

int pawlink_msg_id_parse(uint8_t id[PAWLINK_MSG_ID_LEN], const char *text)
{
	if (!text || pawlink_hex_decode(id, PAWLINK_MSG_ID_LEN, text,
					strlen(text)) != 0)
		return -EINVAL;
	if (pawlink_is_zero(id, PAWLINK_MSG_ID_LEN))
		return -EINVAL;
	return 0;
}

int pawlink_msg_load_file(const char *path, uint8_t **data, size_t *len)
{
	struct stat stbuf;
	uint8_t *buf;
	size_t got = 0;
	ssize_t n;
	int fd, err;

	*data = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &stbuf) != 0) {
		err = -errno;
		goto out_close;
	}
	if (!S_ISREG(stbuf.st_mode)) {
		err = -EINVAL;
		goto out_close;
	}
	if (stbuf.st_size > PAWLINK_MSG_SIZE_MAX) {
		err = -EFBIG;
		goto out_close;
	}
	if (stbuf.st_size == 0) {
		err = -ENODATA;
		goto out_close;
	}
	buf = malloc((size_t)stbuf.st_size);
	if (!buf) {
		err = -ENOMEM;
		goto out_close;
	}
	/* Read at most st_size + 1 bytes: a file that grew is an error. */
	while (got < (size_t)stbuf.st_size) {
		n = read(fd, buf + got, (size_t)stbuf.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			goto out_free;
		}
		got += (size_t)n;
	}
	close(fd);
	*data = buf;
	*len = got;
	return 0;

out_free:
	free(buf);
out_close:
	close(fd);
	return err;
}

const char *pawlink_msg_status_str(int status)
{
	switch (status) {
	case PAWLINK_MSG_OK:
		return "ok";
	case PAWLINK_MSG_E_NOT_FOUND:
		return "no such message";
	case PAWLINK_MSG_E_QUOTA:
		return "message store is full";
	case PAWLINK_MSG_E_TOO_LONG:
		return "message too long (over 5 minutes or 4 MiB)";
	case PAWLINK_MSG_E_BUSY:
		return "busy: the message or the player is in use";
	case PAWLINK_MSG_E_BAD_HASH:
		return "SHA-256 mismatch: message rejected";
	case PAWLINK_MSG_E_BAD_REQUEST:
		return "invalid request or metadata";
	case PAWLINK_MSG_E_EXISTS:
		return "a message with this id is already stored";
	case PAWLINK_MSG_E_IO:
		return "storage error";
	case PAWLINK_MSG_E_ABORTED:
		return "transfer aborted by the peer";
	case PAWLINK_MSG_E_NO_XFER:
		return "the peer knows no such transfer";
	case PAWLINK_MSG_E_TIMEOUT:
		return "the peer stopped answering";
	case PAWLINK_MSG_E_PROTOCOL:
		return "the peer broke the message protocol";
	case PAWLINK_MSG_E_NOMEM:
		return "out of memory";
	default:
		return "unknown status";
	}
}
