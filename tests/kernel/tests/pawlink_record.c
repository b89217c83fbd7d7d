// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel record layer (Documentation/record-layer.rst), in the guest:
 *
 * - vec: the kernel's own seal and open (through the test hooks) give the
 *   vectors of tests/vectors/record.txt and record-open.txt byte for byte,
 *   and the receive path of a real dongle counts every record-open vector
 *   in the right counter and delivers exactly the accepted plaintext;
 * - sess: a keyed session on pawsim's loopback dongle with the same key
 *   both ways, so that what write() seals comes back and opens: replays,
 *   reorders, bad tags, wrong epochs and wrong lengths are dropped and
 *   counted while nothing reaches read() and the link keeps working;
 *   rekey; no plaintext either way once keyed; the refusal at
 *   PAWLINK_REKEY_AFTER; keys gone on DISCONNECT and with the link.
 *
 * Every fixture loads pawlink with test_hooks=1 and loads it back without
 * in its teardown, so the other test programs see the module as shipped.
 */
#include <stddef.h>
#include <sys/syscall.h>

#include <linux/pawlink_test.h>

#include "kselftest_harness.h"
#include "common.h"

#define VECTOR_DIR	"/lane/vectors"
#define LINE_MAX_LEN	8192

/* Unloads pawlink (no file may be open) and loads it with @args. */
static int reload(const char *args)
{
	char cmd[256];

	if (syscall(SYS_delete_module, "pawlink", O_NONBLOCK))
		return -errno;
	snprintf(cmd, sizeof(cmd), "modprobe pawlink %s", args);
	return system(cmd) ? -EIO : 0;
}

/* ioctl() that returns the errno, or 0. */
static int ioc(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? errno : 0;
}

/* Decodes hex ("-" is empty) into @out; the length, or -1 on junk. */
static ssize_t hex_decode(const char *hex, uint8_t *out, size_t cap)
{
	size_t len = strlen(hex), i;

	if (!strcmp(hex, "-"))
		return 0;
	if (len % 2 || len / 2 > cap)
		return -1;
	for (i = 0; i < len / 2; i++) {
		unsigned int byte;

		if (sscanf(hex + 2 * i, "%2x", &byte) != 1)
			return -1;
		out[i] = byte;
	}
	return len / 2;
}

/* Splits @line at single spaces; the number of fields, 0 for a comment. */
static size_t fields_split(char *line, char **f, size_t max)
{
	size_t n = 0;
	char *save = NULL, *tok;

	line[strcspn(line, "\r\n")] = '\0';
	if (!line[0] || line[0] == '#')
		return 0;
	for (tok = strtok_r(line, " ", &save); tok && n < max;
	     tok = strtok_r(NULL, " ", &save))
		f[n++] = tok;
	return n;
}

static FILE *vector_open(const char *name)
{
	const char *dir = getenv("PAWLINK_VECTORS");
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : VECTOR_DIR, name);
	return fopen(path, "r");
}

/* The record-open.txt verdict a driver verdict falls under. */
static const char *verdict_class(uint32_t v)
{
	switch (v) {
	case PAWLINK_TEST_OK:
		return "ok";
	case PAWLINK_TEST_MALFORMED:
	case PAWLINK_TEST_LENGTH:
	case PAWLINK_TEST_EPOCH_NEW:
		return "malformed";
	case PAWLINK_TEST_EPOCH_OLD:
	case PAWLINK_TEST_REPLAY:
		return "replayed";
	case PAWLINK_TEST_AUTH:
		return "forged";
	}
	return "?";
}

/* The field of struct pawlink_stats a driver verdict is counted in. */
static size_t verdict_counter(uint32_t v)
{
	switch (v) {
	case PAWLINK_TEST_MALFORMED:
		return offsetof(struct pawlink_stats, rx_dropped_malformed);
	case PAWLINK_TEST_LENGTH:
		return offsetof(struct pawlink_stats, rx_dropped_length);
	case PAWLINK_TEST_EPOCH_OLD:
	case PAWLINK_TEST_EPOCH_NEW:
		return offsetof(struct pawlink_stats, rx_dropped_epoch);
	case PAWLINK_TEST_REPLAY:
		return offsetof(struct pawlink_stats, rx_dropped_replay);
	case PAWLINK_TEST_AUTH:
		return offsetof(struct pawlink_stats, rx_dropped_auth);
	}
	return offsetof(struct pawlink_stats, rx_records);
}

/* Keys for a session whose records the loopback's echo can open. */
static void keys_loop(struct pawlink_key_install *k, uint32_t epoch,
		      uint32_t flags, uint8_t seed)
{
	memset(k, 0, sizeof(*k));
	k->version = PAWLINK_KEYS_VERSION;
	k->flags = flags;
	k->epoch = epoch;
	memset(k->h2t_ctrl, seed, PAWLINK_KEY_LEN);
	memset(k->t2h_ctrl, seed, PAWLINK_KEY_LEN);
	memset(k->h2t_audio, seed ^ 0xff, PAWLINK_KEY_LEN);
	memset(k->t2h_audio, seed ^ 0xff, PAWLINK_KEY_LEN);
}

/* Seals @pt under @key with the kernel's record layer; the record length. */
static ssize_t seal(int fd, const uint8_t *key, uint32_t epoch,
		    uint32_t channel, uint64_t counter, const void *pt,
		    size_t pt_len, uint8_t *rec)
{
	static struct pawlink_test_seal t;

	memset(&t, 0, sizeof(t));
	memcpy(t.key, key, PAWLINK_KEY_LEN);
	t.epoch = epoch;
	t.channel = channel;
	t.counter = counter;
	t.pt_len = pt_len;
	memcpy(t.pt, pt, pt_len);
	if (ioctl(fd, PAWLINK_IOC_TEST_SEAL, &t))
		return -errno;
	memcpy(rec, t.rec, t.rec_len);
	return t.rec_len;
}

/* Hands @len bytes of @rec to the receive path of IN endpoint @ep. */
static int inject(int fd, unsigned int ep, const void *rec, size_t len)
{
	static struct pawlink_test_inject t;

	memset(&t, 0, sizeof(t));
	t.ep = ep;
	t.len = len;
	memcpy(t.rec, rec, len);
	return ioc(fd, PAWLINK_IOC_TEST_INJECT, &t);
}

static int set_counter(int fd, uint32_t channel, uint64_t next)
{
	struct pawlink_test_counter t = { .channel = channel, .next = next };

	return ioc(fd, PAWLINK_IOC_TEST_SET_COUNTER, &t);
}

static int get_stats(int fd, struct pawlink_stats *st)
{
	return ioc(fd, PAWLINK_IOC_GET_STATS, st);
}

/*
 * Every counter of @after equals @before, except the field at @off, which
 * went up by exactly one; returns the name-less index of the first
 * difference, or -1 when that holds.
 */
static int stats_one_up(const struct pawlink_stats *before,
			const struct pawlink_stats *after, size_t off)
{
	const uint64_t *b = (const uint64_t *)before;
	const uint64_t *a = (const uint64_t *)after;
	size_t i;

	for (i = 0; i < sizeof(*before) / 8; i++) {
		uint64_t want = b[i] + (i * 8 == off);

		if (a[i] != want)
			return i;
	}
	return -1;
}

/* ---- vectors: the kernel's seal and open, byte for byte ----------------- */

FIXTURE(vec) {
	struct dongle d;
	int fd;
};

FIXTURE_SETUP(vec)
{
	self->fd = -1;
	ASSERT_EQ(0, reload("test_hooks=1"));
	self->fd = dongle_open(&self->d, 0, NULL, 0);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(vec)
{
	EXPECT_EQ(0, dongle_close(&self->d, self->fd));
	EXPECT_EQ(0, reload(""));
}

/* record.txt: seal gives the record; a fresh receiver opens it again. */
TEST_F(vec, seal_vectors)
{
	static struct pawlink_test_open o;
	static struct pawlink_test_seal s;
	static char line[LINE_MAX_LEN];
	static uint8_t want[PAWLINK_TEST_REC_MAX];
	unsigned int n = 0, ctrl = 0, audio = 0;
	char *f[8];
	FILE *fp;

	fp = vector_open("record.txt");
	ASSERT_NE(NULL, fp);
	while (fgets(line, sizeof(line), fp)) {
		ssize_t want_len;

		if (!fields_split(line, f, 8))
			continue;
		memset(&s, 0, sizeof(s));
		ASSERT_EQ(PAWLINK_KEY_LEN, hex_decode(f[0], s.key, sizeof(s.key)));
		s.epoch = strtoul(f[1], NULL, 16);
		s.channel = strtoul(f[2], NULL, 16);
		s.counter = strtoull(f[3], NULL, 16);
		want_len = hex_decode(f[4], s.pt, sizeof(s.pt));
		ASSERT_LE(0, want_len);
		s.pt_len = want_len;
		want_len = hex_decode(f[5], want, sizeof(want));
		ASSERT_LT(0, want_len);

		ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_TEST_SEAL, &s))
			TH_LOG("vector %u", n);
		ASSERT_EQ(want_len, s.rec_len) TH_LOG("vector %u", n);
		EXPECT_EQ(0, memcmp(want, s.rec, want_len))
			TH_LOG("vector %u: sealed record differs", n);

		memset(&o, 0, sizeof(o));
		memcpy(o.key, s.key, PAWLINK_KEY_LEN);
		o.epoch = s.epoch;
		o.channel = s.channel;
		o.rec_len = want_len;
		memcpy(o.rec, want, want_len);
		ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_TEST_OPEN, &o));
		EXPECT_EQ(PAWLINK_TEST_OK, o.verdict) TH_LOG("vector %u", n);
		EXPECT_EQ(s.pt_len, o.pt_len);
		EXPECT_EQ(0, memcmp(s.pt, o.pt, s.pt_len));
		ctrl += s.channel == PAWLINK_CH_CTRL;
		audio += s.channel == PAWLINK_CH_AUDIO;
		n++;
	}
	fclose(fp);
	TH_LOG("%u seal vectors (%u control, %u audio)", n, ctrl, audio);
	EXPECT_LE(10, n);
	EXPECT_LT(0, ctrl);
	EXPECT_LT(0, audio);

	/* and the counter at the limit seals nothing */
	memset(&s, 0, sizeof(s));
	s.epoch = 1;
	s.channel = PAWLINK_CH_CTRL;
	s.counter = PAWLINK_REKEY_AFTER;
	EXPECT_EQ(EKEYEXPIRED, ioc(self->fd, PAWLINK_IOC_TEST_SEAL, &s));
}

/* Reads one record-open.txt vector into @o; false at the end of @fp. */
static bool open_vector_next(struct __test_metadata *_metadata, FILE *fp,
			     struct pawlink_test_open *o, char *verdict,
			     uint8_t *pt, ssize_t *pt_len)
{
	static char line[LINE_MAX_LEN];
	char *f[8];
	ssize_t len;

	while (fgets(line, sizeof(line), fp)) {
		if (!fields_split(line, f, 8))
			continue;
		memset(o, 0, sizeof(*o));
		EXPECT_EQ(PAWLINK_KEY_LEN, hex_decode(f[0], o->key, sizeof(o->key)));
		o->epoch = strtoul(f[1], NULL, 16);
		o->channel = strtoul(f[2], NULL, 16);
		len = hex_decode(f[3], o->first, sizeof(o->first));
		EXPECT_LE(0, len);
		o->first_len = len;
		len = hex_decode(f[4], o->rec, sizeof(o->rec));
		EXPECT_LE(0, len);
		o->rec_len = len;
		snprintf(verdict, 16, "%s", f[5]);
		*pt_len = hex_decode(f[6], pt, PAWLINK_FRAME_MAX);
		EXPECT_LE(0, *pt_len);
		return true;
	}
	return false;
}

/* record-open.txt on the kernel's open: the same verdict and plaintext. */
TEST_F(vec, open_vectors)
{
	static struct pawlink_test_open o;
	static uint8_t pt[PAWLINK_FRAME_MAX];
	unsigned int n = 0, verdicts[4] = { 0 };
	char verdict[16];
	ssize_t pt_len;
	FILE *fp;

	fp = vector_open("record-open.txt");
	ASSERT_NE(NULL, fp);
	while (open_vector_next(_metadata, fp, &o, verdict, pt, &pt_len)) {
		const char *got;

		ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_TEST_OPEN, &o))
			TH_LOG("vector %u", n);
		EXPECT_EQ(PAWLINK_TEST_OK, o.first_verdict) TH_LOG("vector %u", n);
		got = verdict_class(o.verdict);
		EXPECT_STREQ(verdict, got) TH_LOG("vector %u", n);
		if (!strcmp(verdict, "ok")) {
			EXPECT_EQ(pt_len, o.pt_len) TH_LOG("vector %u", n);
			EXPECT_EQ(0, memcmp(pt, o.pt, pt_len));
			verdicts[0]++;
		} else {
			EXPECT_EQ(0, o.pt_len);
			verdicts[!strcmp(verdict, "malformed") ? 1 :
				 !strcmp(verdict, "replayed") ? 2 : 3]++;
		}
		n++;
	}
	fclose(fp);
	TH_LOG("%u open vectors: %u ok, %u malformed, %u replayed, %u forged",
	       n, verdicts[0], verdicts[1], verdicts[2], verdicts[3]);
	EXPECT_LE(20, n);
	EXPECT_LT(0, verdicts[0]);
	EXPECT_LT(0, verdicts[1]);
	EXPECT_LT(0, verdicts[2]);
	EXPECT_LT(0, verdicts[3]);
}

/* A fresh keyed session on the dongle: its link and keys start anew. */
static void fresh_session(struct __test_metadata *_metadata,
			  const struct dongle *d, int fd,
			  const struct pawlink_key_install *k)
{
	ASSERT_EQ(0, ioctl(fd, PAWLINK_IOC_DISCONNECT, 0UL) ? errno : 0);
	ASSERT_EQ(0, dongle_connect(d, fd));
	ASSERT_EQ(0, ioc(fd, PAWLINK_IOC_SET_KEYS, (void *)k));
}

/*
 * record-open.txt through the receive path of a real dongle: each vector
 * on a fresh session whose t2h key is the vector's, injected on the IN
 * endpoint of its channel.  Exactly one counter moves, the one the
 * kernel's verdict names; only an accepted record reaches read(), whole.
 * A plaintext record is the session's to drop (rx_dropped_plaintext),
 * not the key's.
 */
TEST_F(vec, open_vectors_through_the_receive_path)
{
	static struct pawlink_test_open o, check;
	static uint8_t pt[PAWLINK_FRAME_MAX], in[PAWLINK_FRAME_MAX + 1];
	struct pawlink_stats before, after;
	struct pawlink_key_install k;
	unsigned int n = 0;
	char verdict[16];
	ssize_t pt_len;
	FILE *fp;

	fp = vector_open("record-open.txt");
	ASSERT_NE(NULL, fp);
	while (open_vector_next(_metadata, fp, &o, verdict, pt, &pt_len)) {
		unsigned int ep = o.channel == PAWLINK_CH_AUDIO ?
				  PAWLINK_EP_AUDIO_IN : PAWLINK_EP_CTRL_IN;
		size_t off;
		int diff;

		/* the kernel's own verdict names the counter */
		check = o;
		ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_TEST_OPEN, &check));
		off = verdict_counter(check.verdict);
		if (o.rec_len > PAWLINK_RECORD_MAX)
			off = offsetof(struct pawlink_stats, rx_dropped_overflow);
		else if (o.rec_len >= PAWLINK_REC_HDR_LEN &&
			 o.rec[0] == PAWLINK_REC_VERSION &&
			 o.rec[1] == PAWLINK_CH_PLAIN &&
			 o.rec[2] + 256u * o.rec[3] == o.rec_len - 16)
			off = offsetof(struct pawlink_stats, rx_dropped_plaintext);

		keys_loop(&k, o.epoch, 0, 0x5a);
		if (o.channel == PAWLINK_CH_AUDIO)
			memcpy(k.t2h_audio, o.key, PAWLINK_KEY_LEN);
		else
			memcpy(k.t2h_ctrl, o.key, PAWLINK_KEY_LEN);
		fresh_session(_metadata, &self->d, self->fd, &k);

		if (o.first_len) {
			ASSERT_EQ(0, get_stats(self->fd, &before));
			ASSERT_EQ(0, inject(self->fd, ep, o.first, o.first_len));
			ASSERT_EQ(0, get_stats(self->fd, &after));
			EXPECT_EQ(before.rx_records + 1, after.rx_records)
				TH_LOG("vector %u: first not accepted", n);
			if (o.channel == PAWLINK_CH_CTRL)
				EXPECT_LE(0, read_frame(self->fd, in, sizeof(in)));
		}
		ASSERT_EQ(0, get_stats(self->fd, &before));
		ASSERT_EQ(0, inject(self->fd, ep, o.rec, o.rec_len));
		ASSERT_EQ(0, get_stats(self->fd, &after));
		diff = stats_one_up(&before, &after, off);
		EXPECT_EQ(-1, diff)
			TH_LOG("vector %u (%s): counter %d moved, expected the one at %zu",
			       n, verdict, diff, off / 8);
		if (!strcmp(verdict, "ok") && o.channel == PAWLINK_CH_CTRL) {
			EXPECT_EQ(pt_len, read_frame(self->fd, in, sizeof(in)))
				TH_LOG("vector %u", n);
			EXPECT_EQ(0, memcmp(pt, in, pt_len));
		}
		EXPECT_EQ(0, poll_one(self->fd, POLLIN, 0)) TH_LOG("vector %u", n);
		n++;
	}
	fclose(fp);
	TH_LOG("%u vectors through the receive path", n);
	EXPECT_LE(20, n);
}

/* ---- a keyed session on the loopback dongle ----------------------------- */

FIXTURE(sess) {
	struct dongle d;
	int fd;
	struct pawlink_key_install k;
};

FIXTURE_SETUP(sess)
{
	self->fd = -1;
	ASSERT_EQ(0, reload("test_hooks=1"));
	self->fd = dongle_open(&self->d, 0, NULL, 0);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, dongle_connect(&self->d, self->fd));
	keys_loop(&self->k, 1, 0, 0x11);
	ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_SET_KEYS, &self->k));
}

FIXTURE_TEARDOWN(sess)
{
	EXPECT_EQ(0, dongle_close(&self->d, self->fd));
	EXPECT_EQ(0, reload(""));
}

/* write() seals, the echo comes back, opens, and read() gives the frame. */
static void sealed_echo(struct __test_metadata *_metadata, int fd, size_t len,
			unsigned int seed)
{
	static unsigned char out[PAWLINK_FRAME_MAX], in[PAWLINK_FRAME_MAX + 1];

	fill_frame(out, len, seed);
	ASSERT_EQ((ssize_t)len, write(fd, out, len));
	ASSERT_EQ((ssize_t)len, read_frame(fd, in, sizeof(in)))
		TH_LOG("sealed echo of %zu bytes", len);
	ASSERT_EQ(0, memcmp(out, in, len));
}

/*
 * Injects a control record sealed with the session's key at @counter and
 * checks that it is read back: the link still works after whatever was
 * dropped before.
 */
static void genuine_ctrl(struct __test_metadata *_metadata, int fd,
			 const uint8_t *key, uint32_t epoch, uint64_t counter)
{
	uint8_t rec[PAWLINK_RECORD_MAX], in[64];
	ssize_t len;

	len = seal(fd, key, epoch, PAWLINK_CH_CTRL, counter, "genuine", 7, rec);
	ASSERT_LT(0, len);
	ASSERT_EQ(0, inject(fd, PAWLINK_EP_CTRL_IN, rec, len));
	ASSERT_EQ(7, read_frame(fd, in, sizeof(in)));
	EXPECT_EQ(0, memcmp("genuine", in, 7));
}

/*
 * Injects @len bytes on control IN and checks that exactly the counter
 * @name went up by one and nothing became readable.
 */
static void dropped_as(struct __test_metadata *_metadata,
		       const struct dongle *d, int fd, const void *rec,
		       size_t len, const char *name)
{
	uint64_t before = stat_get(d, name);

	ASSERT_EQ(0, inject(fd, PAWLINK_EP_CTRL_IN, rec, len));
	EXPECT_EQ(before + 1, stat_get(d, name)) TH_LOG("%s", name);
	EXPECT_EQ(0, poll_one(fd, POLLIN, 0));
}

/* Drops of every kind so far, each in its own counter. */
static uint64_t drops(const struct dongle *d)
{
	static const char * const names[] = {
		"rx_dropped_malformed", "rx_dropped_overflow",
		"rx_dropped_plaintext", "rx_dropped_auth", "rx_dropped_replay",
		"rx_dropped_queue_full", "rx_dropped_epoch", "rx_dropped_length",
	};
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		sum += stat_get(d, names[i]);
	return sum;
}

/*
 * The real path both ways: write() seals on the control channel, the
 * dongle echoes, the completion opens.  Sizes 1, one audio period, the
 * largest frame, and a record that fills whole packets.
 */
TEST_F(sess, sealed_echo_round_trip)
{
	uint64_t rx = stat_get(&self->d, "rx_records");

	sealed_echo(_metadata, self->fd, 1, 1);
	sealed_echo(_metadata, self->fd, PAWLINK_AUDIO_PERIOD_BYTES, 2);
	sealed_echo(_metadata, self->fd, PAWLINK_FRAME_MAX, 3);
	sealed_echo(_metadata, self->fd,
		    512 - PAWLINK_REC_HDR_LEN - PAWLINK_TAG_LEN, 4);
	EXPECT_EQ(rx + 4, stat_get(&self->d, "rx_records"));
	EXPECT_EQ(0, drops(&self->d));
}

/* A read buffer too small for the next frame: EMSGSIZE, the frame stays. */
TEST_F(sess, small_read_keeps_sealed_frame)
{
	unsigned char out[100], in[100];

	fill_frame(out, sizeof(out), 7);
	ASSERT_EQ((ssize_t)sizeof(out), write(self->fd, out, sizeof(out)));
	ASSERT_EQ(-EMSGSIZE, read_frame(self->fd, in, sizeof(out) - 1));
	ASSERT_EQ(-EMSGSIZE, read_frame(self->fd, in, 0));
	ASSERT_EQ((ssize_t)sizeof(out), read_frame(self->fd, in, sizeof(in)));
	ASSERT_EQ(0, memcmp(out, in, sizeof(out)));
	EXPECT_EQ(0, poll_one(self->fd, POLLIN, 0));
	sealed_echo(_metadata, self->fd, 10, 8);
}

TEST_F(sess, replay_dropped)
{
	uint8_t rec[PAWLINK_RECORD_MAX], in[16];
	ssize_t len;

	len = seal(self->fd, self->k.t2h_ctrl, 1, PAWLINK_CH_CTRL, 100, "once",
		   4, rec);
	ASSERT_LT(0, len);
	ASSERT_EQ(0, inject(self->fd, PAWLINK_EP_CTRL_IN, rec, len));
	ASSERT_EQ(4, read_frame(self->fd, in, sizeof(in)));
	dropped_as(_metadata, &self->d, self->fd, rec, len, "rx_dropped_replay");
	dropped_as(_metadata, &self->d, self->fd, rec, len, "rx_dropped_replay");
	EXPECT_EQ(2, drops(&self->d));
	genuine_ctrl(_metadata, self->fd, self->k.t2h_ctrl, 1, 101);
}

/* No window: a record older than the last accepted one is a replay too. */
TEST_F(sess, reorder_dropped)
{
	uint8_t r5[PAWLINK_RECORD_MAX], r3[PAWLINK_RECORD_MAX], in[16];
	ssize_t l5, l3;

	l5 = seal(self->fd, self->k.t2h_ctrl, 1, PAWLINK_CH_CTRL, 5, "five", 4,
		  r5);
	l3 = seal(self->fd, self->k.t2h_ctrl, 1, PAWLINK_CH_CTRL, 3, "thre", 4,
		  r3);
	ASSERT_LT(0, l5);
	ASSERT_LT(0, l3);
	ASSERT_EQ(0, inject(self->fd, PAWLINK_EP_CTRL_IN, r5, l5));
	ASSERT_EQ(4, read_frame(self->fd, in, sizeof(in)));
	EXPECT_EQ(0, memcmp("five", in, 4));
	dropped_as(_metadata, &self->d, self->fd, r3, l3, "rx_dropped_replay");
	EXPECT_EQ(1, drops(&self->d));
	/* a gap is fine */
	genuine_ctrl(_metadata, self->fd, self->k.t2h_ctrl, 1, 9);
}

/* A bad tag is dropped and does not move the window. */
TEST_F(sess, bad_tag_dropped)
{
	uint8_t rec[PAWLINK_RECORD_MAX], bad[PAWLINK_RECORD_MAX];
	uint8_t other[PAWLINK_KEY_LEN];
	ssize_t len;
	size_t i;

	len = seal(self->fd, self->k.t2h_ctrl, 1, PAWLINK_CH_CTRL, 1000,
		   "genuine", 7, rec);
	ASSERT_LT(0, len);
	/* the last tag bit, a ciphertext bit, a header (AAD) bit */
	for (i = 0; i < 3; i++) {
		size_t at = i == 0 ? len - 1 : i == 1 ? PAWLINK_REC_HDR_LEN : 9;

		memcpy(bad, rec, len);
		bad[at] ^= i == 2 ? 0x80 : 0x01;
		dropped_as(_metadata, &self->d, self->fd, bad, len,
			   "rx_dropped_auth");
	}
	/* sealed under another key */
	memset(other, 0x99, sizeof(other));
	len = seal(self->fd, other, 1, PAWLINK_CH_CTRL, 1000, "genuine", 7, bad);
	dropped_as(_metadata, &self->d, self->fd, bad, len, "rx_dropped_auth");
	EXPECT_EQ(4, drops(&self->d));
	/* the forged counter 1000 did not block the genuine 1000 */
	genuine_ctrl(_metadata, self->fd, self->k.t2h_ctrl, 1, 1000);
}

/* Older and newer epochs each count as rx_dropped_epoch. */
TEST_F(sess, wrong_epoch_dropped)
{
	struct pawlink_key_install k2;
	uint8_t rec[PAWLINK_RECORD_MAX];
	ssize_t len;

	keys_loop(&k2, 2, PAWLINK_KEYS_REKEY, 0x22);
	ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_SET_KEYS, &k2));
	/* epoch 1, with the right key for it: old */
	len = seal(self->fd, self->k.t2h_ctrl, 1, PAWLINK_CH_CTRL, 7, "old", 3,
		   rec);
	dropped_as(_metadata, &self->d, self->fd, rec, len, "rx_dropped_epoch");
	/* epoch 1 under the current key: old all the same */
	len = seal(self->fd, k2.t2h_ctrl, 1, PAWLINK_CH_CTRL, 8, "old", 3, rec);
	dropped_as(_metadata, &self->d, self->fd, rec, len, "rx_dropped_epoch");
	/* epoch 3: no key for it here */
	len = seal(self->fd, k2.t2h_ctrl, 3, PAWLINK_CH_CTRL, 9, "new", 3, rec);
	dropped_as(_metadata, &self->d, self->fd, rec, len, "rx_dropped_epoch");
	EXPECT_EQ(3, drops(&self->d));
	/* the link works: write() seals under epoch 2 (counter 0), and on */
	sealed_echo(_metadata, self->fd, 33, 5);
	genuine_ctrl(_metadata, self->fd, k2.t2h_ctrl, 2, 10);
}

/* Every way a length can be wrong counts as rx_dropped_length. */
TEST_F(sess, wrong_length_dropped)
{
	uint8_t rec[PAWLINK_RECORD_MAX + 1], bad[PAWLINK_RECORD_MAX + 1];
	ssize_t len;

	len = seal(self->fd, self->k.t2h_ctrl, 1, PAWLINK_CH_CTRL, 20,
		   "some frame", 10, rec);
	ASSERT_LT(0, len);
	/* len field one more, and one less, than the body */
	memcpy(bad, rec, len);
	bad[2]++;
	dropped_as(_metadata, &self->d, self->fd, bad, len, "rx_dropped_length");
	bad[2] -= 2;
	dropped_as(_metadata, &self->d, self->fd, bad, len, "rx_dropped_length");
	/* truncated by one byte; one byte of trailing junk */
	dropped_as(_metadata, &self->d, self->fd, rec, len - 1,
		   "rx_dropped_length");
	memcpy(bad, rec, len);
	bad[len] = 0;
	dropped_as(_metadata, &self->d, self->fd, bad, len + 1,
		   "rx_dropped_length");
	/* a body too short for a tag, with a consistent len field */
	memcpy(bad, rec, PAWLINK_REC_HDR_LEN + 15);
	bad[2] = 15;
	bad[3] = 0;
	dropped_as(_metadata, &self->d, self->fd, bad, PAWLINK_REC_HDR_LEN + 15,
		   "rx_dropped_length");
	/* shorter than a header */
	dropped_as(_metadata, &self->d, self->fd, rec, PAWLINK_REC_HDR_LEN - 1,
		   "rx_dropped_length");
	EXPECT_EQ(6, drops(&self->d));
	/* none of them moved the window: counter 20 still opens */
	genuine_ctrl(_metadata, self->fd, self->k.t2h_ctrl, 1, 20);
}

/*
 * A rekey replaces all four keys at once and restarts every counter; a
 * record of the old generation is then dropped, and so is one that mixes
 * the new epoch with an old key.
 */
TEST_F(sess, rekey)
{
	uint8_t old[PAWLINK_RECORD_MAX], mix[PAWLINK_RECORD_MAX];
	uint8_t next[PAWLINK_RECORD_MAX], in[16];
	struct pawlink_key_install k2;
	ssize_t lo, lm, ln;

	sealed_echo(_metadata, self->fd, 20, 1);
	sealed_echo(_metadata, self->fd, 20, 2);
	lo = seal(self->fd, self->k.t2h_ctrl, 1, PAWLINK_CH_CTRL, 50, "old", 3,
		  old);
	ASSERT_LT(0, lo);

	keys_loop(&k2, 2, PAWLINK_KEYS_REKEY, 0x22);
	ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_SET_KEYS, &k2));
	dropped_as(_metadata, &self->d, self->fd, old, lo, "rx_dropped_epoch");
	lm = seal(self->fd, self->k.t2h_ctrl, 2, PAWLINK_CH_CTRL, 50, "mix", 3,
		  mix);
	dropped_as(_metadata, &self->d, self->fd, mix, lm, "rx_dropped_auth");

	/* both directions under the new keys; the sender restarted at 0 */
	sealed_echo(_metadata, self->fd, 20, 3);
	ln = seal(self->fd, k2.t2h_ctrl, 2, PAWLINK_CH_CTRL, 1, "one", 3, next);
	ASSERT_EQ(0, inject(self->fd, PAWLINK_EP_CTRL_IN, next, ln));
	ASSERT_EQ(3, read_frame(self->fd, in, sizeof(in)))
		TH_LOG("counter 1 refused: the echo did not use counter 0");
	EXPECT_EQ(2, drops(&self->d));
}

/*
 * Keyed, nothing plaintext passes: received plaintext is dropped and
 * counted, and write() never sends plaintext (its echo opens as a sealed
 * record, which a plaintext one never would).
 */
TEST_F(sess, plaintext_refused_both_ways)
{
	static const uint8_t plain[] = {
		PAWLINK_REC_VERSION, PAWLINK_CH_PLAIN, 4, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 'p', 'i', 'n', 'g',
	};

	dropped_as(_metadata, &self->d, self->fd, plain, sizeof(plain),
		   "rx_dropped_plaintext");
	sealed_echo(_metadata, self->fd, 4, 1);
	EXPECT_EQ(1, stat_get(&self->d, "rx_dropped_plaintext"));
	dropped_as(_metadata, &self->d, self->fd, plain, sizeof(plain),
		   "rx_dropped_plaintext");
	EXPECT_EQ(2, drops(&self->d));
}

/* Audio opens with the audio key on the audio endpoint only. */
TEST_F(sess, audio_records)
{
	uint8_t rec[PAWLINK_RECORD_MAX], period[PAWLINK_AUDIO_PERIOD_BYTES];
	uint64_t rx = stat_get(&self->d, "rx_records");
	ssize_t len;

	fill_frame(period, sizeof(period), 3);
	len = seal(self->fd, self->k.t2h_audio, 1, PAWLINK_CH_AUDIO, 0, period,
		   sizeof(period), rec);
	ASSERT_LT(0, len);
	ASSERT_EQ(0, inject(self->fd, PAWLINK_EP_AUDIO_IN, rec, len));
	EXPECT_EQ(rx + 1, stat_get(&self->d, "rx_records"));
	ASSERT_EQ(0, inject(self->fd, PAWLINK_EP_AUDIO_IN, rec, len));
	EXPECT_EQ(1, stat_get(&self->d, "rx_dropped_replay"));
	/* audio does not belong on the control endpoint */
	dropped_as(_metadata, &self->d, self->fd, rec, len,
		   "rx_dropped_malformed");
	/* a control record relabelled as audio does not open */
	len = seal(self->fd, self->k.t2h_ctrl, 1, PAWLINK_CH_AUDIO, 5, period,
		   sizeof(period), rec);
	ASSERT_EQ(0, inject(self->fd, PAWLINK_EP_AUDIO_IN, rec, len));
	EXPECT_EQ(1, stat_get(&self->d, "rx_dropped_auth"));
	EXPECT_EQ(rx + 1, stat_get(&self->d, "rx_records"));
	EXPECT_EQ(0, poll_one(self->fd, POLLIN, 0));
}

/*
 * A key seals at most PAWLINK_REKEY_AFTER records: the last counter
 * (2^32 - 1) goes out and opens, the next write() fails with EKEYEXPIRED
 * and sends nothing, and a rekey makes writing possible again.
 */
TEST_F(sess, refuses_to_seal_at_rekey_after)
{
	struct pawlink_key_install k2;
	unsigned char buf[8] = "late";
	uint64_t tx;

	ASSERT_EQ(0, set_counter(self->fd, PAWLINK_CH_CTRL,
				 PAWLINK_REKEY_AFTER - 1));
	sealed_echo(_metadata, self->fd, 8, 1);
	ASSERT_EQ(0, stat_wait_ge(&self->d, "tx_records", 1));
	tx = stat_get(&self->d, "tx_records");

	errno = 0;
	EXPECT_EQ(-1, write(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(EKEYEXPIRED, errno);
	errno = 0;
	EXPECT_EQ(-1, write(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(EKEYEXPIRED, errno);
	sleep_ms(100);
	EXPECT_EQ(tx, stat_get(&self->d, "tx_records"));
	EXPECT_EQ(0, poll_one(self->fd, POLLIN, 0));
	EXPECT_EQ(EINVAL, set_counter(self->fd, PAWLINK_CH_CTRL,
				      PAWLINK_REKEY_AFTER + 1));

	keys_loop(&k2, 2, PAWLINK_KEYS_REKEY, 0x22);
	ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_SET_KEYS, &k2));
	sealed_echo(_metadata, self->fd, 8, 2);
	EXPECT_EQ(0, drops(&self->d));
}

/*
 * PAWLINK_IOC_DISCONNECT zeroes the keys: a record sealed under them no
 * longer opens (no key: rx_dropped_auth), the session is over (plaintext
 * flows again), and no counter hook finds keys to set.
 */
TEST_F(sess, keys_gone_after_disconnect)
{
	uint8_t rec[PAWLINK_RECORD_MAX];
	ssize_t len;

	len = seal(self->fd, self->k.t2h_ctrl, 1, PAWLINK_CH_CTRL, 3, "late", 4,
		   rec);
	ASSERT_LT(0, len);
	ASSERT_EQ(0, ioctl(self->fd, PAWLINK_IOC_DISCONNECT, 0UL) ? errno : 0);
	EXPECT_EQ(ENOTCONN, set_counter(self->fd, PAWLINK_CH_CTRL, 1));
	dropped_as(_metadata, &self->d, self->fd, rec, len, "rx_dropped_auth");
	EXPECT_EQ(0, stat_get(&self->d, "rx_dropped_plaintext"));
	/* plaintext again, both ways */
	ASSERT_EQ(4, write(self->fd, "next", 4));
	ASSERT_EQ(4, read_frame(self->fd, rec, sizeof(rec)));
	EXPECT_EQ(0, memcmp("next", rec, 4));
}

/*
 * A LINK event saying the link is lost takes the keys with it, but the
 * session stays closed to plaintext until PAWLINK_IOC_DISCONNECT: write()
 * gives ENOTCONN, received plaintext is dropped, sealed records find no
 * key, no new keys and no CONNECT are taken.
 */
TEST_F(sess, link_lost_ends_session)
{
	static const uint8_t plain[] = {
		PAWLINK_REC_VERSION, PAWLINK_CH_PLAIN, 4, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 'p', 'i', 'n', 'g',
	};
	struct {
		struct pawlink_rec_hdr hdr;
		struct pawlink_event ev;
	} lost = {
		.hdr = {
			.version = PAWLINK_REC_VERSION,
			.channel = PAWLINK_CH_EVENT,
			.len = sizeof(struct pawlink_event),
			.counter = 1000,	/* above the dongle's numbers */
		},
		.ev = {
			.type = PAWLINK_EVENT_LINK,
			.link = { .state = PAWLINK_LINK_LOST },
		},
	};
	struct pawlink_connect c = { 0 };
	uint8_t rec[PAWLINK_RECORD_MAX];
	char buf[8];
	ssize_t len;

	len = seal(self->fd, self->k.t2h_ctrl, 1, PAWLINK_CH_CTRL, 3, "late", 4,
		   rec);
	ASSERT_EQ(0, inject(self->fd, PAWLINK_EP_CTRL_IN, &lost, sizeof(lost)));
	ASSERT_EQ(0, intf_attr(&self->d, "link_state", buf, sizeof(buf)));
	EXPECT_STREQ("lost", buf);
	ASSERT_EQ(0, intf_attr(&self->d, "keyed", buf, sizeof(buf)));
	EXPECT_STREQ("0", buf);

	errno = 0;
	EXPECT_EQ(-1, write(self->fd, "x", 1));
	EXPECT_EQ(ENOTCONN, errno);
	dropped_as(_metadata, &self->d, self->fd, rec, len, "rx_dropped_auth");
	dropped_as(_metadata, &self->d, self->fd, plain, sizeof(plain),
		   "rx_dropped_plaintext");
	EXPECT_EQ(ENOTCONN, ioc(self->fd, PAWLINK_IOC_SET_KEYS, &self->k));
	EXPECT_EQ(EISCONN, ioc(self->fd, PAWLINK_IOC_CONNECT, &c));

	ASSERT_EQ(0, ioctl(self->fd, PAWLINK_IOC_DISCONNECT, 0UL) ? errno : 0);
	ASSERT_EQ(4, write(self->fd, "next", 4));
	ASSERT_EQ(4, read_frame(self->fd, rec, sizeof(rec)));
}

/* The test hooks check their arguments like every other ioctl. */
TEST_F(sess, hooks_validate)
{
	static struct pawlink_test_seal s;
	static struct pawlink_test_open o;
	static struct pawlink_test_inject in;

	memset(&s, 0, sizeof(s));
	s.epoch = 1;
	s.channel = PAWLINK_CH_PLAIN;
	EXPECT_EQ(EINVAL, ioc(self->fd, PAWLINK_IOC_TEST_SEAL, &s));
	s.channel = PAWLINK_CH_CTRL;
	s.pt_len = PAWLINK_FRAME_MAX + 1;
	EXPECT_EQ(EINVAL, ioc(self->fd, PAWLINK_IOC_TEST_SEAL, &s));
	memset(&o, 0, sizeof(o));
	o.epoch = 1;
	o.channel = PAWLINK_CH_CTRL;
	o.rec_len = PAWLINK_TEST_REC_MAX + 1;
	EXPECT_EQ(EINVAL, ioc(self->fd, PAWLINK_IOC_TEST_OPEN, &o));
	memset(&in, 0, sizeof(in));
	in.ep = PAWLINK_EP_CTRL_OUT;
	EXPECT_EQ(EINVAL, ioc(self->fd, PAWLINK_IOC_TEST_INJECT, &in));
	in.ep = PAWLINK_EP_CTRL_IN;
	in.len = PAWLINK_RECORD_MAX + 1;
	EXPECT_EQ(0, ioc(self->fd, PAWLINK_IOC_TEST_INJECT, &in));
	EXPECT_EQ(1, stat_get(&self->d, "rx_dropped_overflow"));
	EXPECT_EQ(EINVAL, set_counter(self->fd, PAWLINK_CH_EVENT, 0));
	EXPECT_EQ(EFAULT, ioc(self->fd, PAWLINK_IOC_TEST_SEAL, (void *)8));
	sealed_echo(_metadata, self->fd, 5, 9);
}

TEST_HARNESS_MAIN
