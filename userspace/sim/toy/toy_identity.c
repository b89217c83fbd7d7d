// SPDX-License-Identifier: GPL-2.0
/*
 * The toy's identity (Documentation/toy.rst, "Identity"): its radio id,
 * its static X25519 key pair and its setup code, made at first boot and
 * kept in one blob of 64 bytes:
 *
 *   0  4  magic "PWID"        8 8  toy id
 *   4  1  version 1           16 32 static secret key
 *   5  3  zero                48 8  setup code, ASCII digits
 *                             56 8  zero
 */
#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "air_frame.h"
#include "toy_priv.h"
#include "bytes.h"

#define ID_MAGIC	"PWID"
#define ID_VERSION	1
#define ID_LEN		64

enum {
	OFF_MAGIC = 0,
	OFF_VERSION = 4,
	OFF_RESERVED = 5,
	OFF_ID = 8,
	OFF_SECRET = 16,
	OFF_CODE = 48,
	OFF_RESERVED2 = 56,
};

void toy_identity_wipe(struct toy_identity *id)
{
	sodium_memzero(id, sizeof(*id));
}

static bool id_usable(const uint8_t id[PAWLINK_ID_LEN])
{
	return !air_id_is_zero(id) && !air_id_is_broadcast(id);
}

static void encode(uint8_t out[ID_LEN], const struct toy_identity *id)
{
	memset(out, 0, ID_LEN);
	memcpy(out + OFF_MAGIC, ID_MAGIC, 4);
	out[OFF_VERSION] = ID_VERSION;
	memcpy(out + OFF_ID, id->id, PAWLINK_ID_LEN);
	memcpy(out + OFF_SECRET, id->secret, PAWLINK_PAIR_STATIC_LEN);
	memcpy(out + OFF_CODE, id->code.digits, PAWLINK_SETUP_CODE_DIGITS);
}

/* Strict: any other length, magic, version or a non-zero reserved byte. */
static int decode(struct toy_identity *id, const uint8_t *in, size_t len)
{
	static const uint8_t zero[8];

	memset(id, 0, sizeof(*id));
	if (len != ID_LEN || memcmp(in + OFF_MAGIC, ID_MAGIC, 4) ||
	    in[OFF_VERSION] != ID_VERSION ||
	    memcmp(in + OFF_RESERVED, zero, 3) ||
	    memcmp(in + OFF_RESERVED2, zero, 8))
		return -EBADMSG;
	memcpy(id->id, in + OFF_ID, PAWLINK_ID_LEN);
	memcpy(id->secret, in + OFF_SECRET, PAWLINK_PAIR_STATIC_LEN);
	memcpy(id->code.digits, in + OFF_CODE, PAWLINK_SETUP_CODE_DIGITS);
	id->code.digits[PAWLINK_SETUP_CODE_DIGITS] = '\0';
	if (!id_usable(id->id) || !pawlink_setup_code_is_valid(&id->code) ||
	    pawlink_is_zero(id->secret, sizeof(id->secret)) ||
	    crypto_scalarmult_base(id->public_key, id->secret)) {
		toy_identity_wipe(id);
		return -EBADMSG;
	}
	return 0;
}

static int save(struct toy *t, const struct toy_identity *id)
{
	uint8_t buf[ID_LEN];
	int rc;

	encode(buf, id);
	rc = t->pf.blob_save(t->pf.ctx, TOY_BLOB_IDENTITY, buf, sizeof(buf));
	sodium_memzero(buf, sizeof(buf));
	return rc;
}

/* A fresh id and key pair from the board's random number generator. */
static int make_keys(struct toy *t, struct toy_identity *id)
{
	do
		t->pf.random(t->pf.ctx, id->id, PAWLINK_ID_LEN);
	while (!id_usable(id->id));
	do
		t->pf.random(t->pf.ctx, id->secret, sizeof(id->secret));
	while (pawlink_is_zero(id->secret, sizeof(id->secret)));
	return crypto_scalarmult_base(id->public_key, id->secret) ? -EIO : 0;
}

/* First boot: the factory's work, label included. */
static int manufacture(struct toy *t)
{
	char label[PAWLINK_SETUP_CODE_DISPLAY_SIZE];
	struct toy_identity id;
	int rc;

	memset(&id, 0, sizeof(id));
	rc = make_keys(t, &id);
	if (rc)
		goto out;
	/*
	 * A factory reset cut short after its crypto-erase: the identity is
	 * unreadable, but the label's code is in the secure element.
	 */
	if (t->vault.has_code) {
		id.code = t->vault.code;
		rc = save(t, &id);
		if (rc == 0)
			t->id = id;
		goto out;
	}
	pawlink_setup_code_generate(&id.code);
	rc = pawlink_setup_code_format(&id.code, label);
	if (rc)
		goto out;
	/* The tag first: a toy whose code nobody can read is no use. */
	rc = t->pf.print_label(t->pf.ctx, label);
	sodium_memzero(label, sizeof(label));
	if (rc)
		goto out;
	rc = save(t, &id);
	if (rc)
		goto out;
	t->id = id;
out:
	toy_identity_wipe(&id);
	return rc;
}

int toy_identity_load(struct toy *t)
{
	uint8_t buf[ID_LEN + 1];
	size_t len = 0;
	int rc;

	rc = t->pf.blob_load(t->pf.ctx, TOY_BLOB_IDENTITY, buf, sizeof(buf),
			     &len);
	if (rc == -ENOENT)
		return manufacture(t);
	if (rc == 0)
		rc = decode(&t->id, buf, len);
	sodium_memzero(buf, sizeof(buf));
	return rc;
}

int toy_identity_renew(struct toy *t)
{
	struct toy_identity id;
	int rc;

	memset(&id, 0, sizeof(id));
	rc = make_keys(t, &id);
	if (rc)
		goto out;
	/* The printed code cannot change; only the keys and the id do. */
	id.code = t->id.code;
	rc = save(t, &id);
	if (rc)
		goto out;
	toy_identity_wipe(&t->id);
	t->id = id;
out:
	toy_identity_wipe(&id);
	return rc;
}
