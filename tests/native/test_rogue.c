// SPDX-License-Identifier: GPL-2.0
/*
 * The rogue radio, as a process on a `pawsim air` process: sniff captures
 * every frame (also those between two other radios), replay re-emits the
 * captured bytes exactly, inject delivers forged frames, spoof-beacon is
 * heard by a scanning radio, and brute-force runs the real pairing
 * protocol against a toy (libpawlink's toy state machine and policy) and
 * is stopped by the toy's window.  Also the capture file codec.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "capture.h"
#include "air_helpers.h"
#include "json_read.h"
#include "pairing.h"
#include "pawsim_procs.h"
#include "radio.h"
#include "record_layer.h"
#include "tmpdir.h"
#include "byteorder.h"

static char out_buf[8192];

/* ---- capture codec ------------------------------------------------------ */

/* Writes @n frames to a memory capture; returns its length. */
static size_t write_capture(uint8_t *mem, size_t cap, uint8_t frames[][PAWLINK_AIR_FRAME_MAX],
			    const size_t *lens, const uint64_t *times, int n)
{
	FILE *f = fmemopen(mem, cap, "w");
	long len;
	int i;

	assert_non_null(f);
	assert_int_equal(air_capture_write_header(f), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(air_capture_write_frame(f, times[i], frames[i],
							 lens[i]), 0);
	len = ftell(f);
	assert_int_equal(fclose(f), 0);
	return (size_t)len;
}

static void test_capture_codec(void **state)
{
	static uint8_t frames[3][PAWLINK_AIR_FRAME_MAX], mem[8192], bad[8192];
	const uint64_t times[3] = { 5, 1000000000ULL, 4000000123ULL };
	struct air_capture_reader rd;
	struct air_capture_frame cf;
	size_t lens[3], len;
	int i;

	(void)state;
	lens[0] = air_frame_build_beacon(frames[0], PAWLINK_AIR_FRAME_MAX,
					 ID_T, PAWLINK_BEACON_PAIRING);
	lens[1] = make_data_frame(frames[1], ID_A, ID_B, 1, 0);
	lens[2] = make_data_frame(frames[2], ID_B, ID_A, 2,
				  PAWLINK_FRAME_MAX + PAWLINK_TAG_LEN);
	len = write_capture(mem, sizeof(mem), frames, lens, times, 3);
	assert_int_equal(len, AIR_CAPTURE_HDR_LEN + 3 * AIR_CAPTURE_REC_LEN +
			 lens[0] + lens[1] + lens[2]);
	/* pcap, nanosecond magic, version 2.4, LINKTYPE_USER0. */
	assert_int_equal(pawlink_load_le32(mem), 0xa1b23c4d);
	assert_int_equal(pawlink_load_le32(mem + 20), 147);

	assert_int_equal(air_capture_open(&rd, mem, len), 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(air_capture_next(&rd, &cf), 1);
		assert_int_equal(cf.time_ns, times[i]);
		assert_int_equal(cf.len, lens[i]);
		assert_memory_equal(cf.frame, frames[i], lens[i]);
	}
	assert_int_equal(air_capture_next(&rd, &cf), 0);

	/* Header: magic, link type, short. */
	memcpy(bad, mem, len);
	bad[0] ^= 1;
	assert_int_equal(air_capture_open(&rd, bad, len), -EINVAL);
	memcpy(bad, mem, len);
	bad[20] = 1;
	assert_int_equal(air_capture_open(&rd, bad, len), -EINVAL);
	assert_int_equal(air_capture_open(&rd, mem, AIR_CAPTURE_HDR_LEN - 1),
			 -EINVAL);
	/* A truncated last frame fails, after the good ones. */
	assert_int_equal(air_capture_open(&rd, mem, len - 1), 0);
	assert_int_equal(air_capture_next(&rd, &cf), 1);
	assert_int_equal(air_capture_next(&rd, &cf), 1);
	assert_int_equal(air_capture_next(&rd, &cf), -EINVAL);
	assert_int_equal(air_capture_next(&rd, &cf), -EINVAL);
	/* Captured and original lengths differ. */
	memcpy(bad, mem, len);
	bad[AIR_CAPTURE_HDR_LEN + 12] ^= 1;
	assert_int_equal(air_capture_open(&rd, bad, len), 0);
	assert_int_equal(air_capture_next(&rd, &cf), -EINVAL);
	/* Nanoseconds out of range. */
	memcpy(bad, mem, len);
	pawlink_store_le32(bad + AIR_CAPTURE_HDR_LEN + 4, 1000000000);
	assert_int_equal(air_capture_open(&rd, bad, len), 0);
	assert_int_equal(air_capture_next(&rd, &cf), -EINVAL);
	/* A frame the air would refuse. */
	memcpy(bad, mem, len);
	bad[AIR_CAPTURE_HDR_LEN + AIR_CAPTURE_REC_LEN] = 9;
	assert_int_equal(air_capture_open(&rd, bad, len), 0);
	assert_int_equal(air_capture_next(&rd, &cf), -EINVAL);
}

/* ---- an air with a rogue beside it --------------------------------------- */

struct scene {
	struct test_dir dir;
	struct child air;
	char file[160];		/* a capture in dir */
};

static void scene_start(struct scene *s)
{
	assert_int_equal(test_dir_init(&s->dir), 0);
	test_dir_file(&s->dir, "capture.pcap", s->file, sizeof(s->file));
	assert_int_equal(pawsim_air_start(&s->air, s->dir.sock, NULL), 0);
}

static void scene_stop(struct scene *s)
{
	assert_int_equal(child_stop(&s->air, out_buf, sizeof(out_buf)), 0);
	test_dir_remove(&s->dir);
}

/* Runs `pawsim rogue ARGS --socket S --json` to the end; its status. */
static int rogue_run(struct scene *s, const char *const args[])
{
	return pawsim_rogue_run(s->dir.sock, args, out_buf, sizeof(out_buf));
}

static struct radio *join(struct scene *s, const uint8_t *id,
			  unsigned int flags)
{
	struct radio *r;

	assert_int_equal(radio_open(s->dir.sock, flags, &r), 0);
	if (id)
		assert_int_equal(radio_set_id(r, id), 0);
	return r;
}

/* Reads a whole file into @buf; its length. */
static size_t slurp(const char *path, uint8_t *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, cap, f);
	assert_true(n < cap);
	fclose(f);
	return n;
}

static void test_sniff_captures_everything(void **state)
{
	enum { N = 4 };
	static uint8_t sent[N][PAWLINK_AIR_FRAME_MAX], file[65536];
	static struct radio_rx rx;
	const char *argv[] = { "rogue", "sniff", "--socket", NULL, "--out",
			       NULL, "--count", "4", "--json", "--ready-fd",
			       "3", NULL };
	struct air_capture_reader rd;
	struct air_capture_frame cf;
	size_t lens[N], len;
	struct radio *a, *b;
	struct child sniffer;
	struct scene s;
	uint64_t last = 0;
	int i;

	(void)state;
	scene_start(&s);
	argv[3] = s.dir.sock;
	argv[5] = s.file;
	assert_int_equal(pawsim_start(&sniffer, argv), 0);
	assert_int_equal(child_wait_ready(&sniffer), 0);

	/* Two other radios talk to each other, unicast. */
	a = join(&s, ID_A, 0);
	b = join(&s, ID_B, 0);
	lens[0] = air_frame_build_beacon(sent[0], PAWLINK_AIR_FRAME_MAX, ID_A,
					 PAWLINK_BEACON_PAIRING);
	lens[1] = make_data_frame(sent[1], ID_A, ID_B, 1, 100);
	lens[2] = make_data_frame(sent[2], ID_B, ID_A, 2, 0);
	lens[3] = make_data_frame(sent[3], ID_A, ID_B, 3,
				  PAWLINK_FRAME_MAX + PAWLINK_TAG_LEN);
	for (i = 0; i < N; i++) {
		struct radio *from = i == 2 ? b : a, *to = i == 2 ? a : b;

		assert_int_equal(radio_send_frame(from, sent[i], lens[i]), 0);
		assert_int_equal(radio_recv(to, &rx, TEST_WAIT_MS), 0);
	}
	assert_int_equal(child_finish(&sniffer, out_buf, sizeof(out_buf)), 0);
	assert_int_equal(json_number(out_buf, "heard"), N);
	assert_int_equal(json_number(out_buf, "sent"), 0);
	radio_close(a);
	radio_close(b);

	len = slurp(s.file, file, sizeof(file));
	assert_int_equal(air_capture_open(&rd, file, len), 0);
	for (i = 0; i < N; i++) {
		assert_int_equal(air_capture_next(&rd, &cf), 1);
		assert_int_equal(cf.len, lens[i]);
		assert_memory_equal(cf.frame, sent[i], lens[i]);
		assert_true(cf.time_ns > last);
		last = cf.time_ns;
	}
	assert_int_equal(air_capture_next(&rd, &cf), 0);
	scene_stop(&s);
}

static void test_replay_reemits_identical_bytes(void **state)
{
	static uint8_t frames[3][PAWLINK_AIR_FRAME_MAX], mem[8192];
	const uint64_t times[3] = { 1, 2, 3 };
	const char *all[] = { "replay", "--in", NULL, NULL };
	const char *filtered[] = { "replay", "--in", NULL, "--type", "data",
				   "--src", "b001020304050607", "--repeat",
				   "2", NULL };
	static struct radio_rx rx;
	struct air_stats st;
	struct radio *c;
	struct scene s;
	size_t lens[3], len;
	FILE *f;
	int i;

	(void)state;
	scene_start(&s);
	lens[0] = make_data_frame(frames[0], ID_A, ID_B, 7, 40);
	lens[1] = air_frame_build_beacon(frames[1], PAWLINK_AIR_FRAME_MAX,
					 ID_T, 0);
	lens[2] = make_data_frame(frames[2], ID_B, ID_A, 8, 300);
	len = write_capture(mem, sizeof(mem), frames, lens, times, 3);
	f = fopen(s.file, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(mem, 1, len, f), len);
	assert_int_equal(fclose(f), 0);

	c = join(&s, ID_C, RADIO_PROMISC);
	all[2] = s.file;
	assert_int_equal(rogue_run(&s, all), 0);
	assert_int_equal(json_number(out_buf, "read"), 3);
	assert_int_equal(json_number(out_buf, "sent"), 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(radio_recv(c, &rx, TEST_WAIT_MS), 0);
		assert_int_equal(rx.len, lens[i]);
		assert_memory_equal(rx.frame, frames[i], lens[i]);
	}

	/* Only B's data frames, twice. */
	filtered[2] = s.file;
	assert_int_equal(rogue_run(&s, filtered), 0);
	assert_int_equal(json_number(out_buf, "sent"), 2);
	for (i = 0; i < 2; i++) {
		assert_int_equal(radio_recv(c, &rx, TEST_WAIT_MS), 0);
		assert_memory_equal(rx.frame, frames[2], lens[2]);
	}

	/* A damaged capture: refused, and nothing at all is sent. */
	f = fopen(s.file, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(mem, 1, len - 1, f), len - 1);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(rogue_run(&s, all), 2);
	assert_int_equal(json_number(out_buf, "sent"), 0);
	assert_int_equal(radio_air_stats(c, &st), 0);
	assert_int_equal(st.frames, 5);
	radio_close(c);
	scene_stop(&s);
}

static void test_inject_delivers_forged_frames(void **state)
{
	const char *record[] = { "inject", "--type", "data", "--src",
				 "a001020304050607", "--dst", "b001020304050607",
				 "--channel", "1", "--epoch", "7", "--counter",
				 "42", "--body", "00112233445566778899", NULL };
	const char *whole[] = { "inject", "--type", "data", "--src",
				"a001020304050607", "--dst", "b001020304050607",
				"--payload",
				"0102030000000000ffffffffffffffff616263",
				"--count", "2", NULL };
	const char *refused[] = { "inject", "--type", "data", "--src",
				  "a001020304050607", "--dst",
				  "a001020304050607", "--body", "00", NULL };
	const char *raw[] = { "inject", "--raw", "0102030405", NULL };
	static struct radio_rx rx;
	struct air_stats st;
	struct radio *b;
	struct scene s;
	const uint8_t *rec;
	int i;

	(void)state;
	scene_start(&s);
	b = join(&s, ID_B, 0);

	/* A forged record: A's id, a keyed channel, any epoch and counter. */
	assert_int_equal(rogue_run(&s, record), 0);
	assert_int_equal(json_number(out_buf, "sent"), 1);
	assert_int_equal(radio_recv(b, &rx, TEST_WAIT_MS), 0);
	assert_memory_equal(rx.f.src, ID_A, PAWLINK_ID_LEN);
	rec = rx.f.payload;
	assert_int_equal(rx.f.payload_len, PAWLINK_REC_HDR_LEN + 10);
	assert_int_equal(rec[0], PAWLINK_REC_VERSION);
	assert_int_equal(rec[1], PAWLINK_CH_CTRL);
	assert_int_equal(pawlink_load_le16(rec + 2), 10);
	assert_int_equal(pawlink_load_le32(rec + 4), 7);
	assert_int_equal(pawlink_load_le64(rec + 8), 42);
	assert_int_equal(rec[16], 0x00);
	assert_int_equal(rec[25], 0x99);

	/* A whole record given as the payload, twice. */
	assert_int_equal(rogue_run(&s, whole), 0);
	assert_int_equal(json_number(out_buf, "sent"), 2);
	for (i = 0; i < 2; i++) {
		assert_int_equal(radio_recv(b, &rx, TEST_WAIT_MS), 0);
		assert_int_equal(pawlink_load_le64(rx.f.payload + 8), UINT64_MAX);
		assert_memory_equal(rx.f.payload + 16, "abc", 3);
	}

	/* What the air would refuse is refused before it is sent... */
	assert_int_equal(rogue_run(&s, refused), 1);
	/* ...unless sent raw: then the air refuses and counts it. */
	assert_int_equal(rogue_run(&s, raw), 0);
	assert_int_equal(json_number(out_buf, "sent"), 1);
	assert_int_equal(radio_air_stats(b, &st), 0);
	assert_int_equal(st.frames, 3);
	assert_int_equal(st.rejected, 1);
	radio_close(b);
	scene_stop(&s);
}

static void test_spoofed_beacon_heard_by_scanner(void **state)
{
	const char *spoof[] = { "spoof-beacon", "--toy-id", "7079020304050607",
				"--pairing", "--count", "3", "--interval", "5",
				NULL };
	const char *bad[] = { "spoof-beacon", "--toy-id", "ffffffffffffffff",
			      NULL };
	static struct radio_rx rx;
	struct radio *scanner;
	struct scene s;
	int i;

	(void)state;
	scene_start(&s);
	scanner = join(&s, ID_A, 0);
	assert_int_equal(rogue_run(&s, spoof), 0);
	assert_int_equal(json_number(out_buf, "sent"), 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(radio_recv(scanner, &rx, TEST_WAIT_MS), 0);
		assert_int_equal(rx.f.type, PAWLINK_AIR_BEACON);
		assert_memory_equal(rx.f.src, ID_T, PAWLINK_ID_LEN);
		assert_memory_equal(rx.f.payload, ID_T, PAWLINK_ID_LEN);
		assert_int_equal(rx.f.payload[PAWLINK_ID_LEN],
				 PAWLINK_BEACON_PAIRING);
	}
	assert_int_equal(rogue_run(&s, bad), 1);
	radio_close(scanner);
	scene_stop(&s);
}

/* ---- brute force against a toy ------------------------------------------ */

#define TOY_CODE	"40187263"

/* A toy's pairing side on the air: libpawlink's state machine and policy. */
struct toy {
	struct radio *r;
	struct pawlink_pair_policy policy;
	struct pawlink_pair_toy_params tp;
	struct pawlink_pair_toy sm;
	atomic_int stop;
	int rc;
	struct pawlink_pair_peer paired;
	int completed;
};

static int persist_ok(const struct pawlink_pair_policy *p, void *ctx)
{
	(void)p;
	(void)ctx;
	return 0;
}

/* Answers every plaintext record until told to stop.  The short wait
 * only polls the stop flag; nothing depends on its length. */
static void *toy_main(void *arg)
{
	static struct radio_rx rx;
	struct toy *t = arg;

	while (!atomic_load(&t->stop)) {
		uint8_t out[PAWLINK_PAIR_MSG_MAX];
		uint8_t rec[PAWLINK_REC_HDR_LEN + PAWLINK_PAIR_MSG_MAX];
		struct pawlink_pair_peer host;
		size_t out_len = 0, rec_len, body_len;
		const uint8_t *body;
		uint8_t ch;
		int rc = radio_recv(t->r, &rx, 20);

		if (rc == -ETIMEDOUT)
			continue;
		if (rc) {
			t->rc = rc;
			break;
		}
		if (rx.f.type != PAWLINK_AIR_DATA ||
		    pawlink_record_read_plain(rx.f.payload, rx.f.payload_len,
					      &ch, &body, &body_len))
			continue;
		if (pawlink_pair_toy_receive(&t->sm, radio_now(t->r) / 1000000,
					     body, body_len, out, &out_len,
					     &host) == PAWLINK_PAIR_COMPLETE) {
			t->paired = host;
			t->completed++;
		}
		if (!out_len)
			continue;
		if (pawlink_record_write_plain(PAWLINK_CH_PLAIN, out, out_len,
					       rec, sizeof(rec), &rec_len) ||
		    radio_send_record(t->r, rx.f.src, rec, rec_len)) {
			t->rc = -EIO;
			break;
		}
	}
	return NULL;
}

static void toy_start(struct toy *t, struct scene *s, pthread_t *th)
{
	uint8_t sk[crypto_box_SECRETKEYBYTES];

	memset(t, 0, sizeof(*t));
	t->r = join(s, ID_T, 0);
	pawlink_policy_init(&t->policy);
	memcpy(t->tp.toy_id, ID_T, PAWLINK_ID_LEN);
	crypto_box_keypair(t->tp.toy_static, sk);
	sodium_memzero(sk, sizeof(sk));
	memcpy(t->tp.code.digits, TOY_CODE, PAWLINK_SETUP_CODE_SIZE);
	t->tp.policy = &t->policy;
	t->tp.persist = persist_ok;
	assert_int_equal(pawlink_pair_toy_init(&t->sm, &t->tp), 0);
	assert_int_equal(pawlink_policy_press_button(&t->policy,
						     radio_now(t->r) / 1000000),
			 0);
	assert_int_equal(pthread_create(th, NULL, toy_main, t), 0);
}

static void toy_stop(struct toy *t, pthread_t th)
{
	atomic_store(&t->stop, 1);
	pthread_join(th, NULL);
	assert_int_equal(t->rc, 0);
	pawlink_pair_toy_wipe(&t->sm);
	radio_close(t->r);
}

/*
 * A toy on a fresh air, and `rogue brute-force ARGV` against it: the
 * rogue's exit status, its counts in out_buf, the toy as it ended in @toy.
 */
static int brute_force(struct scene *s, struct toy *toy,
		       const char *const argv[])
{
	pthread_t th;
	int rc;

	assert_true(sodium_init() >= 0);
	scene_start(s);
	toy_start(toy, s, &th);
	rc = rogue_run(s, argv);
	toy_stop(toy, th);
	return rc;
}

static void test_brute_force_stopped_by_the_window(void **state)
{
	/* 25 wrong codes (the toy's is 40187263); 11111111 is banned and
	 * skipped. */
	const char *argv[] = { "brute-force", "--toy-id", "7079020304050607",
			       "--codes", "25", "--start", "1111-1100",
			       "--timeout", "10000", NULL };
	struct scene s;
	struct toy toy;

	(void)state;
	assert_int_equal(brute_force(&s, &toy, argv), 0);

	assert_int_equal(json_number(out_buf, "attempts"), 25);
	/* 20 answered and charged, then the window closed: refused. */
	assert_int_equal(json_number(out_buf, "wrong"), 20);
	assert_int_equal(json_number(out_buf, "refused"), 5);
	assert_int_equal(json_number(out_buf, "unanswered"), 0);
	assert_int_equal(json_number(out_buf, "protocol"), 0);
	assert_int_equal(json_number(out_buf, "paired"), 0);
	assert_int_equal(toy.completed, 0);
	assert_int_equal(toy.policy.n_hosts, 0);
	assert_false(pawlink_policy_window_is_open(&toy.policy, 0));
	assert_int_equal(toy.policy.lifetime_failures, 20);
	scene_stop(&s);
}

static void test_brute_force_with_the_code_in_range(void **state)
{
	const char *argv[] = { "brute-force", "--toy-id", "7079020304050607",
			       "--codes", "20", "--start", "40187250",
			       "--id", "c001020304050607", "--timeout",
			       "10000", NULL };
	struct scene s;
	struct toy toy;

	(void)state;
	assert_int_equal(brute_force(&s, &toy, argv), 3);

	/* 40187250 .. 40187262 wrong, 40187263 right: the tool works. */
	assert_int_equal(json_number(out_buf, "attempts"), 14);
	assert_int_equal(json_number(out_buf, "wrong"), 13);
	assert_int_equal(json_number(out_buf, "paired"), 1);
	assert_int_equal(toy.completed, 1);
	assert_memory_equal(toy.paired.id, ID_C, PAWLINK_ID_LEN);
	assert_non_null(pawlink_policy_find_host(&toy.policy, ID_C));
	scene_stop(&s);
}

static void test_rogue_usage(void **state)
{
	const char *none[] = { "rogue", NULL };
	const char *unknown[] = { "rogue", "jam", NULL };
	const char *no_socket[] = { "rogue", "sniff", "--out", "/dev/null",
				    NULL };
	const char *help[] = { "rogue", "inject", "--help", NULL };
	const char *bad_start[] = { "rogue", "brute-force", "--socket", "x",
				    "--toy-id", "7079020304050607", "--codes",
				    "1", "--start", "1234", NULL };
	const char *no_air[] = { "rogue", "spoof-beacon", "--socket",
				 "/tmp/pawlink-no-such-air.sock", "--toy-id",
				 "7079020304050607", "--json", NULL };

	(void)state;
	assert_int_equal(pawsim_run(none, out_buf, sizeof(out_buf)), 1);
	assert_int_equal(pawsim_run(unknown, out_buf, sizeof(out_buf)), 1);
	assert_int_equal(pawsim_run(no_socket, out_buf, sizeof(out_buf)), 1);
	assert_int_equal(pawsim_run(bad_start, out_buf, sizeof(out_buf)), 1);
	assert_int_equal(pawsim_run(help, out_buf, sizeof(out_buf)), 0);
	assert_non_null(strstr(out_buf, "--raw"));
	assert_int_equal(pawsim_run(no_air, out_buf, sizeof(out_buf)), 2);
	assert_int_equal(json_number(out_buf, "sent"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capture_codec),
		cmocka_unit_test(test_sniff_captures_everything),
		cmocka_unit_test(test_replay_reemits_identical_bytes),
		cmocka_unit_test(test_inject_delivers_forged_frames),
		cmocka_unit_test(test_spoofed_beacon_heard_by_scanner),
		cmocka_unit_test(test_brute_force_stopped_by_the_window),
		cmocka_unit_test(test_brute_force_with_the_code_in_range),
		cmocka_unit_test(test_rogue_usage),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
