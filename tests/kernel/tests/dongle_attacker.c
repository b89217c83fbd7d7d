// SPDX-License-Identifier: GPL-2.0
/*
 * The dongle as the attacker (issue 9): in the guest a `pawsim air`, a
 * `pawsim toy` and a `pawsim dongle --air --fault MODE`, driven by the
 * built pawctl through /dev/pawlink0.  Per mode (Documentation/
 * usb-interface.rst, "The dongle as the attacker"), one variant each:
 *
 * - log=FILE: after a pairing and a session that sends a voice message,
 *   the dongle's log of every record it relayed holds no byte string of
 *   the message object, no form of the setup code, and neither the host's
 *   nor the toy's static secret key.
 * - flip, cut, replay, reorder, inject-plain, epoch: the dongle spoils one
 *   sealed record to the host during `pawctl send`; the driver drops it
 *   and counts it in the right statistics/ counter (that one moves by
 *   one, no other drop counter moves), the send completes with the
 *   message intact (its SHA-256 as the toy stores it and as `pawctl get`
 *   returns it), and the next session works.
 * - flip-to-toy: the same toward the toy, which counts it in its own
 *   rx_dropped_auth; the host retransmits and the send completes.
 */
#include <ctype.h>

#include <sodium.h>
#include <sndfile.h>

#include "kselftest_harness.h"
#include "common.h"
#include "procs.h"
#include "pawctl_run.h"

/* pawctl's exit codes (Documentation/pawctl.rst). */
enum { EXIT_OK = 0 };

/* Pairing, a send, a get and a status under TCG, three times per boot. */
#define WALK_TIMEOUT_S	300
/* The largest relay log a walk makes; far more than one does. */
#define LOG_MAX		(8 << 20)

FIXTURE(world) {
	char dir[64], sock[96], toy_dir[96], toy_log[96], store[96];
	char label[128], relay_log[128], fault[160];
	char code[16];				/* as printed: 1234-5678 */
	char toy_hex[2 * PAWLINK_ID_LEN + 1];
	struct proc air, toy;
	struct dongle d;
	struct run r;
};

/*
 * @fault: the dongle's --fault (log gets its file added); @host_counter:
 * the driver's statistics/ counter the spoiled record lands in, or NULL;
 * @toy_counter: the toy's, from `pawctl status --json`, or NULL.
 */
FIXTURE_VARIANT(world) {
	const char *fault;
	const char *host_counter;
	const char *toy_counter;
};

FIXTURE_VARIANT_ADD(world, log) {
	.fault = "log",
};

FIXTURE_VARIANT_ADD(world, flip) {
	.fault = "flip", .host_counter = "rx_dropped_auth",
};

FIXTURE_VARIANT_ADD(world, cut) {
	.fault = "cut", .host_counter = "rx_dropped_length",
};

FIXTURE_VARIANT_ADD(world, replay) {
	.fault = "replay", .host_counter = "rx_dropped_replay",
};

/* The one held back comes after a later one: a replay by its counter. */
FIXTURE_VARIANT_ADD(world, reorder) {
	.fault = "reorder", .host_counter = "rx_dropped_replay",
};

FIXTURE_VARIANT_ADD(world, inject_plain) {
	.fault = "inject-plain", .host_counter = "rx_dropped_plaintext",
};

FIXTURE_VARIANT_ADD(world, epoch) {
	.fault = "epoch", .host_counter = "rx_dropped_epoch",
};

FIXTURE_VARIANT_ADD(world, flip_to_toy) {
	.fault = "flip-to-toy", .toy_counter = "rx_dropped_auth",
};

FIXTURE_SETUP(world)
{
	const char *pawsim = getenv("PAWSIM") ? getenv("PAWSIM") : "pawsim";
	uint8_t id[PAWLINK_ID_LEN];
	int i;

	strcpy(self->dir, "/tmp/dongle-attacker.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_TRUE(str_fmt(self->sock, sizeof(self->sock), "%s/air.sock",
			    self->dir));
	ASSERT_TRUE(str_fmt(self->toy_dir, sizeof(self->toy_dir), "%s/toy",
			    self->dir));
	ASSERT_TRUE(str_fmt(self->toy_log, sizeof(self->toy_log),
			    "%s/toy.log", self->dir));
	ASSERT_TRUE(str_fmt(self->store, sizeof(self->store), "%s/host",
			    self->dir));
	ASSERT_TRUE(str_fmt(self->label, sizeof(self->label), "%s/label",
			    self->toy_dir));
	ASSERT_TRUE(str_fmt(self->relay_log, sizeof(self->relay_log),
			    "%s/relay.log", self->dir));
	if (!strcmp(variant->fault, "log")) {
		ASSERT_TRUE(str_fmt(self->fault, sizeof(self->fault),
				    "log=%s", self->relay_log));
	} else {
		ASSERT_TRUE(str_fmt(self->fault, sizeof(self->fault), "%s",
				    variant->fault));
	}
	{
		const char *const air[] = {
			pawsim, "air", "--socket", self->sock, NULL
		};

		ASSERT_EQ(0, start_ready(&self->air, air, NULL));
	}
	{
		const char *const toy[] = {
			pawsim, "toy", "--air", self->sock, "--dir",
			self->toy_dir, NULL
		};

		ASSERT_EQ(0, start_ready(&self->toy, toy, self->toy_log));
	}
	ASSERT_EQ(0, toy_id_from_log(self->toy_log, id));
	for (i = 0; i < PAWLINK_ID_LEN; i++)
		sprintf(self->toy_hex + 2 * i, "%02x", id[i]);
	ASSERT_EQ(0, read_text(self->label, self->code, sizeof(self->code)));
	ASSERT_EQ(9, strlen(self->code));

	ASSERT_EQ(0, setenv("PAWLINK_TEST_AIR", self->sock, 1));
	ASSERT_EQ(0, dongle_plug(&self->d, 0, self->fault, 0));
	unsetenv("PAWLINK_TEST_AIR");
}

FIXTURE_TEARDOWN(world)
{
	const char *const rm[] = { "rm", "-rf", self->dir, NULL };

	EXPECT_EQ(0, dongle_stop(&self->d));
	stop_proc(&self->toy);
	EXPECT_EQ(0, stop_proc(&self->air));
	EXPECT_EQ(0, run_cmd(rm));
}

/* Presses the button and pairs as "bear" with the label's code. */
static int pair_bear(struct _test_data_world *self)
{
	return pawctl_pair_bear(self->store, &self->r, self->toy_hex,
				self->toy_dir, self->label);
}

/* A whole file into a new buffer (NUL after it); NULL on failure. */
static uint8_t *slurp(const char *path, size_t *len)
{
	uint8_t *buf = malloc(LOG_MAX + 1);
	ssize_t n;
	int fd;

	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (!buf || fd < 0) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((n = read(fd, buf + *len, LOG_MAX - *len)) > 0)
		*len += (size_t)n;
	close(fd);
	buf[*len] = '\0';
	return buf;
}

/* A second of noise from libsodium: a payload nothing else holds. */
static int write_noise_wav(const char *path)
{
	SF_INFO info = {
		.samplerate = 16000, .channels = 1,
		.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16,
	};
	static short noise[16000];
	SNDFILE *f;
	int i;

	randombytes_buf(noise, sizeof(noise));
	for (i = 0; i < 16000; i++)
		noise[i] /= 4;
	f = sf_open(path, SFM_WRITE, &info);
	if (!f)
		return -1;
	if (sf_writef_short(f, noise, 16000) != 16000) {
		sf_close(f);
		return -1;
	}
	return sf_close(f) ? -1 : 0;
}

/* SHA-256 of a file in lower-case hex; 0 or -1. */
static int sha256_file(const char *path, char hex[65])
{
	uint8_t md[crypto_hash_sha256_BYTES], *buf;
	size_t len;

	buf = slurp(path, &len);
	if (!buf)
		return -1;
	crypto_hash_sha256(md, buf, len);
	free(buf);
	sodium_bin2hex(hex, 65, md, sizeof(md));
	return 0;
}

/*
 * Pairs, sends a voice message of noise in a session, and checks it came
 * through whole: the toy's SHA-256 of what it stored (ls), pawctl get's
 * and the file's own agree.  The object lands in @opus.
 */
static void pair_and_send(struct __test_metadata *_metadata,
			  struct _test_data_world *self, char *opus,
			  size_t opus_len)
{
	char wav[128], id[40], path[256], sha[80], got[80], file_sha[65];

	ASSERT_TRUE(str_fmt(wav, sizeof(wav), "%s/noise.wav", self->dir));
	ASSERT_TRUE(str_fmt(opus, opus_len, "%s/msg.opus", self->dir));
	ASSERT_EQ(0, write_noise_wav(wav));
	ASSERT_EQ(EXIT_OK, pair_bear(self));

	/* The session the dongle attacks: many sealed records each way. */
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "send", "bear", wav));
	json_text(self->r.out, "message.id", id, sizeof(id));
	ASSERT_EQ(32, strlen(id));

	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "ls", "bear"));
	snprintf(path, sizeof(path), "{\"id\":\"%s\"}", id);
	ASSERT_TRUE(json_has(self->r.out, path));
	json_text_of(self->r.out, "id", id, "sha256", sha, sizeof(sha));
	ASSERT_EQ(64, strlen(sha));

	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "get", "bear", id, "-o",
				  opus));
	json_text(self->r.out, "message.sha256", got, sizeof(got));
	EXPECT_STREQ(sha, got);
	ASSERT_EQ(0, sha256_file(opus, file_sha));
	EXPECT_STREQ(sha, file_sha);
}

/* True when @needle (@n bytes) is anywhere in the log. */
static bool in_log(const uint8_t *log, size_t len, const void *needle,
		   size_t n)
{
	return memmem(log, len, needle, n) != NULL;
}

/* @secret raw and as lower- and upper-case hex. */
static bool secret_in_log(const uint8_t *log, size_t len,
			  const uint8_t *secret, size_t n)
{
	char hex[2 * 64 + 1];
	size_t i;

	if (in_log(log, len, secret, n))
		return true;
	sodium_bin2hex(hex, sizeof(hex), secret, n);
	if (in_log(log, len, hex, 2 * n))
		return true;
	for (i = 0; i < 2 * n; i++)
		hex[i] = (char)toupper((unsigned char)hex[i]);
	return in_log(log, len, hex, 2 * n);
}

/*
 * Everything the logging dongle relayed, both ways, on both sides: none
 * of the message (in @opus), the setup code or a static secret key is in
 * it.  Each record went into the log before it went on, so it is
 * complete once the commands are done.
 */
static void check_relay_log(struct __test_metadata *_metadata,
			    struct _test_data_world *self, const char *opus)
{
	uint8_t *log, *obj, *blob, *se, host_sk[32], identity[64];
	unsigned long long identity_len;
	size_t se_len;
	char path[256], digits[9], *line;
	uint8_t bcd[4];
	size_t log_len, obj_len, blob_len, off;
	int i;

	log = slurp(self->relay_log, &log_len);
	ASSERT_NE(NULL, log);
	/* It did see the traffic: at least the message's size of it. */
	obj = slurp(opus, &obj_len);
	ASSERT_NE(NULL, obj);
	TH_LOG("relay log %zu bytes, message object %zu bytes", log_len,
	       obj_len);
	EXPECT_LT(obj_len, log_len);
	ASSERT_LE(64, obj_len);

	/* The message: no 16-byte stretch of the object, wherever it is. */
	for (off = 0; off + 16 <= obj_len; off += 8)
		if (in_log(log, log_len, obj + off, 16))
			break;
	EXPECT_GT(16, obj_len - off);

	/* The setup code: as printed, as digits, as BCD. */
	for (i = 0; i < 4; i++) {
		digits[i] = self->code[i];
		digits[4 + i] = self->code[5 + i];
	}
	digits[8] = '\0';
	for (i = 0; i < 4; i++)
		bcd[i] = (uint8_t)((digits[2 * i] - '0') << 4 |
				   (digits[2 * i + 1] - '0'));
	EXPECT_FALSE(in_log(log, log_len, self->code, 9));
	EXPECT_FALSE(in_log(log, log_len, digits, 8));
	EXPECT_FALSE(in_log(log, log_len, bcd, 4));

	/* The host's static secret, from its key store's host.key. */
	ASSERT_TRUE(str_fmt(path, sizeof(path), "%s/host.key", self->store));
	blob = slurp(path, &blob_len);
	ASSERT_NE(NULL, blob);
	line = strstr((char *)blob, "\nsecret ");
	ASSERT_NE(NULL, line);
	ASSERT_EQ(0, sodium_hex2bin(host_sk, sizeof(host_sk), line + 8, 64,
				    NULL, NULL, NULL));
	EXPECT_FALSE(secret_in_log(log, log_len, host_sk, sizeof(host_sk)));
	free(blob);

	/*
	 * The toy's, from its identity blob (toy.rst, "Identity"), which is
	 * sealed at rest under the key its secure element holds (toy.rst,
	 * "Storage at rest"): secure element "PWSE", version, 3 zero, key id
	 * 8, key 32, code 8; sealed blob header 16 (magic, version, blob, 2
	 * zero, key id), nonce 24, then XChaCha20-Poly1305 with the header
	 * and nonce as additional data.
	 */
	ASSERT_TRUE(str_fmt(path, sizeof(path), "%s/secure-element",
			    self->toy_dir));
	se = slurp(path, &se_len);
	ASSERT_NE(NULL, se);
	ASSERT_EQ(56, se_len);
	ASSERT_TRUE(str_fmt(path, sizeof(path), "%s/identity", self->toy_dir));
	blob = slurp(path, &blob_len);
	ASSERT_NE(NULL, blob);
	ASSERT_EQ(64 + 56, blob_len);
	ASSERT_EQ(0, memcmp(blob + 8, se + 8, 8));	/* sealed under it */
	ASSERT_EQ(0, crypto_aead_xchacha20poly1305_ietf_decrypt(
			     identity, &identity_len, NULL, blob + 40,
			     blob_len - 40, blob, 40, blob + 16, se + 16));
	ASSERT_EQ(64, identity_len);
	EXPECT_FALSE(secret_in_log(log, log_len, identity + 16, 32));
	/* Nor the device key itself. */
	EXPECT_FALSE(secret_in_log(log, log_len, se + 16, 32));
	sodium_memzero(identity, sizeof(identity));
	sodium_memzero(se, se_len);
	free(se);
	free(blob);

	sodium_memzero(host_sk, sizeof(host_sk));
	free(obj);
	free(log);
}

/* The driver's drop counters (Documentation/char-device.rst). */
static const char *const drop_counters[] = {
	"rx_dropped_malformed", "rx_dropped_overflow", "rx_dropped_plaintext",
	"rx_dropped_auth", "rx_dropped_replay", "rx_dropped_queue_full",
	"rx_dropped_epoch", "rx_dropped_length",
};

#define NUM_DROP_COUNTERS (sizeof(drop_counters) / sizeof(drop_counters[0]))

TEST_F_TIMEOUT(world, dongle_learns_nothing_and_injects_nothing,
	       WALK_TIMEOUT_S)
{
	uint64_t before[NUM_DROP_COUNTERS], after, want;
	char opus[128];
	size_t i;

	for (i = 0; i < NUM_DROP_COUNTERS; i++) {
		before[i] = stat_get(&self->d, drop_counters[i]);
		ASSERT_NE(UINT64_MAX, before[i]);
	}

	pair_and_send(_metadata, self, opus, sizeof(opus));

	/*
	 * The spoiled record was dropped and counted once, where it belongs,
	 * and nothing else was dropped.
	 */
	for (i = 0; i < NUM_DROP_COUNTERS; i++) {
		if (variant->host_counter &&
		    !strcmp(drop_counters[i], variant->host_counter))
			EXPECT_EQ(0, stat_wait_ge(&self->d, drop_counters[i],
						  before[i] + 1));
	}
	for (i = 0; i < NUM_DROP_COUNTERS; i++) {
		want = before[i];
		if (variant->host_counter &&
		    !strcmp(drop_counters[i], variant->host_counter))
			want++;
		after = stat_get(&self->d, drop_counters[i]);
		EXPECT_EQ(want, after) {
			TH_LOG("%s: %s %llu -> %llu", variant->fault,
			       drop_counters[i],
			       (unsigned long long)before[i],
			       (unsigned long long)after);
		}
	}
	if (variant->host_counter)
		TH_LOG("%s: %s moved by one, no other drop counter moved",
		       variant->fault, variant->host_counter);

	/* The next session works, and says what the toy dropped. */
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "status", "bear"));
	EXPECT_EQ(1, json_number(self->r.out, "paired_hosts"));
	if (variant->toy_counter) {
		EXPECT_EQ(1, json_number(self->r.out, variant->toy_counter));
		TH_LOG("%s: the toy's %s is %ld", variant->fault,
		       variant->toy_counter,
		       json_number(self->r.out, variant->toy_counter));
	} else {
		EXPECT_EQ(0, json_number(self->r.out, "rx_dropped_auth"));
	}
	EXPECT_EQ(0, intf_attr_wait(&self->d, "keyed", "0"));

	if (!strcmp(variant->fault, "log"))
		check_relay_log(_metadata, self, opus);
}

TEST_HARNESS_MAIN
