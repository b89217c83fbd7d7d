// SPDX-License-Identifier: GPL-2.0
/*
 * The toy's storage at rest (issue 11, finding 7): every blob the core
 * saves (identity with its static secret key, pairing policy with the
 * pins, event log, settings) and every voice message (committed or a
 * partial upload) is sealed under a device key that only the secure
 * element holds, and a factory reset replaces that key first.  With the
 * power cut after every possible number of flash writes of a factory
 * reset, the toy still boots with its printed code, nothing it held
 * before opens under the key it has now, and no byte of a message's
 * samples is anywhere in its message store, before or after the reset.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "msg_store.h"
#include "toy_sim.h"

/* The layouts of toy_vault.c: what an attacker reading the flash sees. */
#define SE_KEY_ID	8
#define SE_KEY		16
#define SB_KEY_ID	8
#define SB_NONCE	16
#define SB_HDR		40

/* The messages' key and a sealed message header (toy_vault.c, msg_store.c). */
#define MSG_KDF_ID	1
#define MSG_KDF_CTX	"PWMSGKEY"
#define MH_NONCE	8
#define MH_LEN		128

/* The samples: a pattern no seal could produce by chance. */
#define PATTERN		"paw sample bytes"
#define OBJ_LEN		(6 * PAWLINK_MSG_CHUNK_DATA + 100)
#define STORE_FILES_MAX	8

static const enum toy_blob sealed[] = {
	TOY_BLOB_IDENTITY, TOY_BLOB_POLICY, TOY_BLOB_LOG, TOY_BLOB_SETTINGS,
};

struct flash {
	uint8_t blob[TOY_BLOB_COUNT][TOY_BLOB_MAX];
	size_t len[TOY_BLOB_COUNT];
	bool set[TOY_BLOB_COUNT];
};

static void flash_take(struct flash *f, const struct toy_sim *s)
{
	memcpy(f->blob, s->blob, sizeof(f->blob));
	memcpy(f->len, s->blob_len, sizeof(f->len));
	memcpy(f->set, s->blob_set, sizeof(f->set));
}

static void flash_put(struct toy_sim *s, const struct flash *f)
{
	memcpy(s->blob, f->blob, sizeof(f->blob));
	memcpy(s->blob_len, f->len, sizeof(f->len));
	memcpy(s->blob_set, f->set, sizeof(f->set));
}

/* Whether sealed blob @b opens under device key @key. */
static bool opens(const uint8_t *b, size_t len, const uint8_t key[32])
{
	uint8_t out[TOY_BLOB_MAX];
	unsigned long long n;

	if (len < SB_HDR + crypto_aead_xchacha20poly1305_ietf_ABYTES)
		return false;
	return crypto_aead_xchacha20poly1305_ietf_decrypt(out, &n, NULL,
							  b + SB_HDR,
							  len - SB_HDR, b,
							  SB_HDR, b + SB_NONCE,
							  key) == 0;
}

static bool contains(const uint8_t *hay, size_t n, const uint8_t *needle,
		     size_t m)
{
	size_t i;

	for (i = 0; i + m <= n; i++)
		if (!memcmp(hay + i, needle, m))
			return true;
	return false;
}

/* The message store's files, as the flash holds them. */
struct store_files {
	size_t n;
	char name[STORE_FILES_MAX][64];
	uint8_t *data[STORE_FILES_MAX];
	size_t len[STORE_FILES_MAX];
};

static void read_whole(const char *path, uint8_t **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	*data = malloc((size_t)n + 1);
	assert_non_null(*data);
	assert_int_equal(fread(*data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
}

static void files_take(struct store_files *fs, const char *dir)
{
	char path[160];
	struct dirent *de;
	DIR *d = opendir(dir);

	assert_non_null(d);
	fs->n = 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		assert_true(fs->n < STORE_FILES_MAX);
		assert_true(strlen(de->d_name) < sizeof(fs->name[0]));
		memcpy(fs->name[fs->n], de->d_name, strlen(de->d_name) + 1);
		assert_true(strlen(dir) + strlen(de->d_name) + 2 <=
			    sizeof(path));
		strcpy(path, dir);
		strcat(path, "/");
		strcat(path, fs->name[fs->n]);
		read_whole(path, &fs->data[fs->n], &fs->len[fs->n]);
		fs->n++;
	}
	closedir(d);
}

static void files_free(struct store_files *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		free(fs->data[i]);
	fs->n = 0;
}

/* The store's directory holds exactly @fs again. */
static void files_put(const struct store_files *fs, const char *dir)
{
	char path[160];
	size_t i;
	FILE *f;

	sim_rm_store_files(dir);
	for (i = 0; i < fs->n; i++) {
		assert_true(snprintf(path, sizeof(path), "%s/%s", dir,
				     fs->name[i]) < (int)sizeof(path));
		f = fopen(path, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(fs->data[i], 1, fs->len[i], f),
				 fs->len[i]);
		assert_int_equal(fclose(f), 0);
	}
}

/* Whether a message file's header opens under device key @key. */
static bool message_opens(const uint8_t *b, size_t len, const uint8_t key[32])
{
	uint8_t mkey[32], out[MH_LEN];
	unsigned long long n;
	int rc;

	if (len < MH_LEN)
		return false;
	crypto_kdf_derive_from_key(mkey, sizeof(mkey), MSG_KDF_ID, MSG_KDF_CTX,
				   key);
	rc = crypto_aead_xchacha20poly1305_ietf_decrypt(out, &n, NULL,
							b + MH_NONCE + 24,
							MH_LEN - MH_NONCE - 24,
							b, MH_NONCE,
							b + MH_NONCE, mkey);
	sodium_memzero(mkey, sizeof(mkey));
	return rc == 0;
}

/* No file of the store holds a sample in clear. */
static void assert_no_samples(const char *dir)
{
	struct store_files fs;
	size_t i;

	files_take(&fs, dir);
	for (i = 0; i < fs.n; i++)
		assert_false(contains(fs.data[i], fs.len[i],
				      (const uint8_t *)PATTERN,
				      sizeof(PATTERN) - 1));
	files_free(&fs);
}

/* The messages and partial uploads that open under @key, of those @dir has. */
static size_t messages_opening(const char *dir, const uint8_t key[32],
			       size_t *files)
{
	struct store_files fs;
	size_t i, n = 0;

	files_take(&fs, dir);
	*files = 0;
	for (i = 0; i < fs.n; i++) {
		if (!strstr(fs.name[i], ".part") &&
		    !strstr(fs.name[i], ".msg"))
			continue;
		(*files)++;
		n += message_opens(fs.data[i], fs.len[i], key);
	}
	files_free(&fs);
	return n;
}

/* A committed message and a partial upload, both of the pattern. */
static void store_messages(struct toy_sim *s, struct test_host *a)
{
	static uint8_t obj[OBJ_LEN];
	uint8_t have[PAWLINK_MSG_BITMAP_LEN], host_id[PAWLINK_ID_LEN];
	struct pawlink_msg_info info;
	struct pawlink_msg_sink sink;
	uint32_t i;

	for (i = 0; i < OBJ_LEN; i++)
		obj[i] = (uint8_t)PATTERN[i % (sizeof(PATTERN) - 1)];
	assert_int_equal(pawlink_upload(a->p, obj, sizeof(obj), 2000, NULL), 0);
	/* A second one, half received when the reset comes. */
	memset(host_id, 0x42, sizeof(host_id));
	assert_int_equal(pawlink_msg_info_create(&info, host_id, 1700000000,
						 2000, obj, sizeof(obj)),
			 PAWLINK_MSG_OK);
	pthread_mutex_lock(&s->lock);
	assert_int_equal(pawlink_msg_store_put_begin(s->store, &info, &sink,
						     have), PAWLINK_MSG_OK);
	for (i = 0; i < 3; i++) {
		assert_int_equal(sink.ops->write(sink.ctx, i,
						 obj + i * PAWLINK_MSG_CHUNK_DATA,
						 PAWLINK_MSG_CHUNK_DATA),
				 PAWLINK_MSG_OK);
		pawlink_msg_bit_set(have, i);
	}
	assert_int_equal(sink.ops->checkpoint(sink.ctx, have,
					      pawlink_msg_nchunks(OBJ_LEN)),
			 PAWLINK_MSG_OK);
	sink.ops->release(sink.ctx);
	pthread_mutex_unlock(&s->lock);
}

static void test_power_loss_at_every_step_of_factory_reset(void **state)
{
	static struct flash before;
	struct store_files msgs;
	struct pawlink_toy_status_info st;
	char label[PAWLINK_SETUP_CODE_DISPLAY_SIZE];
	uint8_t old_key[32], now_key[32], toy_id[PAWLINK_ID_LEN];
	struct air_local *air;
	struct air_config cfg;
	struct test_host a;
	struct toy_sim s;
	int k, rc = -1;
	size_t i, b, files;

	(void)state;
	air_config_init(&cfg);
	assert_int_equal(air_local_new(&cfg, &air), 0);
	assert_int_equal(test_host_open(&a, air), 0);
	assert_int_equal(toy_sim_init(&s, air), 0);
	assert_int_equal(toy_sim_start(&s), 0);
	toy_sim_id(&s, toy_id);
	/* A toy with a past: a host, a session, a setting, a log. */
	assert_int_equal(test_host_pair(&a, &s), 0);
	assert_int_equal(pawlink_connect(a.p, toy_id, NULL), 0);
	assert_int_equal(pawlink_volume(a.p, 40), 0);
	store_messages(&s, &a);
	assert_int_equal(pawlink_disconnect(a.p), 0);
	toy_sim_stop(&s, a.t, false);
	memcpy(label, s.label, sizeof(label));
	flash_take(&before, &s);
	files_take(&msgs, s.dir);
	/* Both messages are there, sealed, with no sample in clear. */
	assert_no_samples(s.dir);
	assert_int_equal(messages_opening(s.dir, before.blob
					  [TOY_BLOB_SECURE_ELEMENT] + SE_KEY,
					  &files), 2);
	assert_int_equal(files, 2);
	memcpy(old_key, before.blob[TOY_BLOB_SECURE_ELEMENT] + SE_KEY, 32);
	/* Sealed: each opens under the key, none holds it in clear. */
	for (b = 0; b < sizeof(sealed) / sizeof(sealed[0]); b++) {
		assert_true(before.set[sealed[b]]);
		assert_true(opens(before.blob[sealed[b]], before.len[sealed[b]],
				  old_key));
	}

	for (k = 0; rc != 0; k++) {
		assert_true(k < 64);
		flash_put(&s, &before);
		files_put(&msgs, s.dir);
		assert_int_equal(toy_sim_start(&s), 0);
		pthread_mutex_lock(&s.lock);
		s.saves_left = k;
		pthread_mutex_unlock(&s.lock);
		rc = toy_sim_factory_reset(&s);
		toy_sim_stop(&s, a.t, true);
		s.saves_left = -1;

		/*
		 * The flash as the cut left it: no sample in clear, and no
		 * message opens under the key the secure element has now,
		 * unless the cut came before the reset began.
		 */
		assert_no_samples(s.dir);
		memcpy(now_key, s.blob[TOY_BLOB_SECURE_ELEMENT] + SE_KEY, 32);
		assert_int_equal(messages_opening(s.dir, now_key, &files),
				 k == 0 ? 2 : 0);

		/* Whatever the cut, it boots, with its label's code. */
		assert_int_equal(toy_sim_start(&s), 0);
		assert_string_equal(s.label, label);
		memcpy(now_key, s.blob[TOY_BLOB_SECURE_ELEMENT] + SE_KEY, 32);
		if (k == 0) {
			/* Cut before the first write: no reset happened. */
			assert_memory_equal(now_key, old_key, 32);
			toy_sim_stop(&s, a.t, false);
			continue;
		}
		/* The key went first: nothing of before opens any more ... */
		assert_memory_not_equal(now_key, old_key, 32);
		assert_memory_not_equal(s.blob[TOY_BLOB_SECURE_ELEMENT] +
					SE_KEY_ID,
					before.blob[TOY_BLOB_SECURE_ELEMENT] +
					SE_KEY_ID, 8);
		for (b = 0; b < sizeof(sealed) / sizeof(sealed[0]); b++)
			assert_false(opens(before.blob[sealed[b]],
					   before.len[sealed[b]], now_key));
		/* ... the old key is nowhere in the flash ... */
		for (i = 0; i < TOY_BLOB_COUNT; i++)
			if (s.blob_set[i])
				assert_false(contains(s.blob[i], s.blob_len[i],
						      old_key, 32));
		/* ... and the toy is a new one. */
		toy_sim_status(&s, &st);
		assert_int_equal(st.paired_hosts, 0);
		assert_false(st.locked);
		assert_int_equal(st.volume, TOY_VOLUME_DEFAULT);
		assert_true(st.log_next <= 3);
		/* The booted toy dropped what no longer opens. */
		assert_int_equal(messages_opening(s.dir, now_key, &files), 0);
		assert_int_equal(files, 0);
		toy_sim_stop(&s, a.t, false);
	}
	/* Every write of the reset was a place to cut. */
	assert_true(k >= 5);
	files_free(&msgs);
	sodium_memzero(old_key, sizeof(old_key));
	sodium_memzero(now_key, sizeof(now_key));
	test_host_close(&a);
	toy_sim_done(&s);
	assert_int_equal(air_local_free(air), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_power_loss_at_every_step_of_factory_reset),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
