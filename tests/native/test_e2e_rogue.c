// SPDX-License-Identifier: GPL-2.0
/*
 * An attacker's radio (`pawsim rogue`) against a real toy (`pawsim toy`)
 * and a real host (libpawlink's façade), all on one `pawsim air`:
 *
 *  - a sniffer that hears a whole pairing, session, upload, download and
 *    microphone stream sees no plaintext but handshakes and beacons, no
 *    message byte, no setup code, no static key;
 *  - replaying all of it, during the session and after it, changes
 *    nothing and every replayed record is counted, at the toy and at the
 *    host;
 *  - injected frames (plaintext commands, forged sealed records, a newer
 *    epoch) are dropped and counted, and a radio that never paired cannot
 *    list, put, play or start the microphone;
 *  - guessing codes is stopped by the window, then by the lifetime
 *    lock-out, which only a factory reset lifts;
 *  - beacons carry only the toy's id and the pairing flag.
 *
 * Real time; every wait is for an event, bounded (child.h).
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

#include "air_frame.h"
#include "beacon_id.h"
#include "capture.h"
#include "json_read.h"
#include "keystore.h"
#include "libpawlink.h"
#include "msg_object.h"
#include "toy_cmd.h"
#include "transport.h"
#include "msg_wire.h"
#include "pawsim_procs.h"
#include "record_layer.h"
#include "tmpdir.h"
#include "bytes.h"

#define MARKER		"PAWLINK-PRIVATE-VOICE-0123456789"
#define CAPTURE_MAX	(4u << 20)

static char out_buf[16384];

struct world {
	struct test_dir d;
	struct child air, toy;
	char toy_dir[160], host_dir[160];
	char code[16];
	uint8_t toy_id[PAWLINK_ID_LEN];
	/* Its address on the air: private once paired (beacon_id.h). */
	uint8_t addr[PAWLINK_ID_LEN];
	bool have_irk;
	uint8_t irk[PAWLINK_BEACON_IRK_LEN];
	struct pawlink_transport *t;
	struct pawlink *p;
};

/* The world of the running test, also for its teardown. */
static struct world world;

/* `pawsim toy --dir DIR CMD`: its exit status, its answer in out_buf. */
static int toy_control(struct world *w, const char *cmd)
{
	return pawsim_toy_command(w->toy_dir, cmd, out_buf, sizeof(out_buf));
}

/* The one toy's id from its beacons. */
static void scan(struct world *w)
{
	assert_int_equal(host_scan_toy(w->p, -1, w->toy_id), 0);
	memcpy(w->addr, w->toy_id, PAWLINK_ID_LEN);
	w->have_irk = false;
}

/* Whether @id is the toy's: its identity, or a private id it resolves. */
static bool is_toy(struct world *w, const uint8_t id[PAWLINK_ID_LEN])
{
	struct pawlink_toy_record pin;
	struct pawlink_keystore ks;

	if (!memcmp(id, w->toy_id, PAWLINK_ID_LEN))
		return true;
	if (!w->have_irk) {
		if (pawlink_keystore_open(&ks, w->host_dir, NULL, 0))
			return false;
		w->have_irk = pawlink_keystore_toy_load(&ks, w->toy_id, &pin,
							NULL, 0) == 0;
		pawlink_keystore_close(&ks);
		if (!w->have_irk)
			return false;
		pawlink_beacon_irk(w->irk, pin.static_key);
	}
	return pawlink_beacon_id_resolves(id, w->irk);
}

/* Where the toy is on the air now, as a rogue finds it: its beacons. */
static void find_addr(struct world *w)
{
	struct pawlink_beacon b[4];
	size_t n, i;
	int tries;

	for (tries = 0; tries < 20; tries++) {
		assert_int_equal(w->t->ops->scan(w->t, 300, b, 4, &n), 0);
		for (i = 0; i < n; i++) {
			if (is_toy(w, b[i].toy_id)) {
				memcpy(w->addr, b[i].toy_id, PAWLINK_ID_LEN);
				return;
			}
		}
	}
	fail_msg("the toy's beacons were not heard");
}

static void world_open(struct world *w)
{
	static const char *const toy_args[] = { "--mic", "tone:300", "--json",
						NULL };
	char err[512];

	memset(w, 0, sizeof(*w));
	assert_int_equal(test_dir_init(&w->d), 0);
	test_dir_file(&w->d, "toy", w->toy_dir, sizeof(w->toy_dir));
	test_dir_file(&w->d, "host", w->host_dir, sizeof(w->host_dir));
	assert_int_equal(pawsim_air_start(&w->air, w->d.sock, NULL), 0);
	assert_int_equal(pawsim_toy_start(&w->toy, w->d.sock, w->toy_dir,
					  toy_args), 0);
	assert_int_equal(pawsim_toy_label(w->toy_dir, w->code,
					  sizeof(w->code)), 0);
	assert_int_equal(pawlink_transport_air_join(&w->t, w->d.sock), 0);
	assert_int_equal(pawlink_open_transport(&w->p, w->t, w->host_dir, err,
				      sizeof(err)), 0);
	scan(w);
}

static void pair_and_connect(struct world *w)
{
	assert_int_equal(toy_control(w, "press"), 0);
	if (pawlink_pair(w->p, w->toy_id, w->code, "bear"))
		fail_msg("pairing: %s", pawlink_error(w->p));
	if (pawlink_connect(w->p, w->toy_id, NULL))
		fail_msg("session: %s", pawlink_error(w->p));
	find_addr(w);
}

/* Stops everything; the toy's last counters stay in out_buf. */
static void world_close(struct world *w)
{
	char air_out[2048];

	pawlink_close(w->p);
	pawlink_transport_close(w->t);
	w->p = NULL;
	w->t = NULL;
	assert_int_equal(child_stop(&w->toy, out_buf, sizeof(out_buf)), 0);
	assert_int_equal(child_stop(&w->air, air_out, sizeof(air_out)), 0);
	/* The toy's and the host's state directories, and the rest. */
	assert_int_equal(test_dir_remove(&w->d), 0);
}

/* Runs `pawsim rogue ARGS --socket S --json` to its end: its status. */
static int rogue(struct world *w, const char *const args[])
{
	return pawsim_rogue_run(w->d.sock, args, out_buf, sizeof(out_buf));
}

/*
 * Another process's frames may still wait in the air's queue when ours
 * goes out, so a check asks again (every 50 ms, bounded) until the toy's
 * counters reach what they must; the caller then asserts them exactly.
 */
typedef bool (*caught_up_fn)(const struct pawlink_toy_status_info *st,
			     const void *want);

static void status_until(struct world *w, struct pawlink_toy_status_info *st,
			 caught_up_fn caught_up, const void *want)
{
	struct pawlink_beacon b[1];
	size_t n;
	int waited;

	for (waited = 0;; waited += 50) {
		assert_int_equal(pawlink_status(w->p, st), 0);
		if (caught_up(st, want))
			return;
		if (waited >= TEST_WAIT_MS)
			fail_msg("the toy's counters stayed at replay %llu, plaintext %llu, auth %llu, malformed %llu, refused %llu",
				 (unsigned long long)st->rx_dropped_replay,
				 (unsigned long long)st->rx_dropped_plaintext,
				 (unsigned long long)st->rx_dropped_auth,
				 (unsigned long long)st->rx_dropped_malformed,
				 (unsigned long long)st->refused_unauth);
		assert_int_equal(pawlink_scan(w->p, 50, b, 1, &n), 0);
	}
}

/* The drop counters a check waits for. */
struct drops {
	uint64_t replay, plaintext, auth, malformed, refused;
};

static bool drops_reached(const struct pawlink_toy_status_info *st,
			  const void *want)
{
	const struct drops *d = want;

	return st->rx_dropped_replay >= d->replay &&
	       st->rx_dropped_plaintext >= d->plaintext &&
	       st->rx_dropped_auth >= d->auth &&
	       st->rx_dropped_malformed >= d->malformed &&
	       st->refused_unauth >= d->refused;
}

static struct drops drops_of(const struct pawlink_toy_status_info *st)
{
	struct drops d = {
		.replay = st->rx_dropped_replay,
		.plaintext = st->rx_dropped_plaintext,
		.auth = st->rx_dropped_auth,
		.malformed = st->rx_dropped_malformed,
		.refused = st->refused_unauth,
	};

	return d;
}

/* The same for the host's own counters, which grow as it listens. */
static void link_until(struct world *w, struct pawlink_stats *st,
		       uint64_t replay, uint64_t plaintext)
{
	struct pawlink_beacon b[1];
	size_t n;
	int waited;

	for (waited = 0;; waited += 50) {
		assert_int_equal(pawlink_link_stats(w->p, st, sizeof(*st)), 0);
		if (st->rx_dropped_replay >= replay &&
		    st->rx_dropped_plaintext >= plaintext)
			return;
		assert_true(waited < TEST_WAIT_MS);
		assert_int_equal(pawlink_scan(w->p, 50, b, 1, &n), 0);
	}
}

static bool contains(const uint8_t *hay, size_t n, const void *needle,
		     size_t m)
{
	size_t i;

	for (i = 0; i + m <= n; i++)
		if (!memcmp(hay + i, needle, m))
			return true;
	return false;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	uint8_t *buf = malloc(CAPTURE_MAX);
	FILE *f = fopen(path, "rb");

	assert_non_null(buf);
	assert_non_null(f);
	*len = fread(buf, 1, CAPTURE_MAX, f);
	assert_true(*len < CAPTURE_MAX);
	fclose(f);
	return buf;
}

/* What a capture holds, by who sent what. */
struct tally {
	unsigned int beacons;
	unsigned int plain_to_toy, plain_to_host;
	/*
	 * Of those to the toy, the ones sent to where it is now: pairing went
	 * to its identity id, which a paired toy no longer answers at.
	 */
	unsigned int plain_to_addr, plain_from_addr;
	unsigned int sealed_to_toy, sealed_to_host;
	unsigned int audio_to_host;
	uint8_t host_radio[PAWLINK_ID_LEN];
};

static void check_capture(struct world *w, const uint8_t *cap, size_t len,
			  struct tally *t)
{
	struct air_capture_reader rd;
	struct air_capture_frame cf;
	struct pawlink_record_info info;
	struct air_frame f;
	uint8_t type;
	bool to_toy;

	memset(t, 0, sizeof(*t));
	assert_int_equal(air_capture_open(&rd, cap, len), 0);
	while (air_capture_next(&rd, &cf) == 1) {
		assert_int_equal(air_frame_parse(cf.frame, cf.len, &f),
				 AIR_FRAME_OK);
		if (f.type == PAWLINK_AIR_BEACON) {
			/* The toy's id and one flag: nothing else. */
			assert_int_equal(f.payload_len, PAWLINK_AIR_BEACON_LEN);
			assert_true(is_toy(w, f.src));
			assert_memory_equal(f.payload, f.src,
					    PAWLINK_ID_LEN);
			assert_true(f.payload[PAWLINK_ID_LEN] <=
				    PAWLINK_BEACON_PAIRING);
			t->beacons++;
			continue;
		}
		to_toy = is_toy(w, f.dst);
		if (!to_toy) {
			assert_true(is_toy(w, f.src));
			memcpy(t->host_radio, f.dst, PAWLINK_ID_LEN);
		}
		assert_int_equal(pawlink_record_parse_header(f.payload,
							     f.payload_len,
							     &info), 0);
		if (info.channel == PAWLINK_CH_PLAIN) {
			/* In the clear: handshakes, and only handshakes. */
			type = f.payload[PAWLINK_REC_HDR_LEN];
			assert_true((type >= PAWLINK_PAIR_MSG_HELLO &&
				     type <= PAWLINK_PAIR_MSG_BUSY) ||
				    (type >= PAWLINK_SESS_INIT &&
				     type <= PAWLINK_SESS_REJECT));
			if (to_toy) {
				t->plain_to_toy++;
				t->plain_to_addr += !memcmp(f.dst, w->addr,
							    PAWLINK_ID_LEN);
			} else {
				t->plain_to_host++;
				t->plain_from_addr += !memcmp(f.src, w->addr,
							      PAWLINK_ID_LEN);
			}
		} else if (info.channel == PAWLINK_CH_AUDIO) {
			assert_false(to_toy);
			t->audio_to_host++;
		} else if (to_toy) {
			t->sealed_to_toy++;
		} else {
			t->sealed_to_host++;
		}
	}
}

static void test_sniffed_and_replayed(void **state)
{
	struct pawlink_toy_status_info before, st;
	struct pawlink_stats hb, ha;
	struct drops want;
	struct pawlink_host_identity host;
	struct pawlink_toy_record pin;
	struct pawlink_keystore ks;
	struct pawlink_msg_info info;
	struct world *w = &world;
	struct child sniffer;
	struct tally t;
	char capture[160], digits[9];
	const char *sniff_argv[] = { "rogue", "sniff", "--socket", NULL,
				     "--out", NULL, "--ready-fd", "3", NULL };
	const char *replay_argv[] = { "replay", "--in", NULL, "--type", "data",
				      NULL };
	int16_t pcm[PAWLINK_AUDIO_PERIOD_FRAMES];
	uint8_t obj[4096], *back, *cap;
	size_t len, cap_len, i;

	(void)state;
	world_open(w);
	test_dir_file(&w->d, "capture.pcap", capture, sizeof(capture));
	sniff_argv[3] = w->d.sock;
	sniff_argv[5] = capture;
	replay_argv[2] = capture;
	assert_int_equal(pawsim_start(&sniffer, sniff_argv), 0);
	assert_int_equal(child_wait_ready(&sniffer), 0);

	pair_and_connect(w);
	for (i = 0; i < sizeof(obj); i++)
		obj[i] = (uint8_t)MARKER[i % (sizeof(MARKER) - 1)];
	assert_int_equal(pawlink_upload(w->p, obj, sizeof(obj), 1000, &info),
			 0);
	assert_int_equal(pawlink_download(w->p, info.id, &back, &len, NULL), 0);
	assert_memory_equal(back, obj, sizeof(obj));
	free(back);
	assert_int_equal(pawlink_mic_start(w->p), 0);
	for (i = 0; i < 10; i++)
		assert_int_equal(pawlink_mic_read(w->p, pcm, 2000), 0);
	assert_int_equal(pawlink_led(w->p, false), 0);
	assert_int_equal(pawlink_status(w->p, &before), 0);
	assert_int_equal(child_stop(&sniffer, out_buf, sizeof(out_buf)), 0);

	/* What the air heard: handshakes in the clear, the rest sealed. */
	cap = slurp(capture, &cap_len);
	check_capture(w, cap, cap_len, &t);
	assert_true(t.beacons > 0);
	assert_int_equal(t.plain_to_toy, 3);	/* HELLO, CONFIRM, INIT */
	assert_int_equal(t.plain_to_host, 3);	/* RESPONSE, DONE, RESP */
	assert_true(t.sealed_to_toy >= 8);
	assert_true(t.audio_to_host >= 10);
	/* Not a message byte, not the code, not a static key. */
	assert_false(contains(cap, cap_len, MARKER, 8));
	assert_false(contains(cap, cap_len, MARKER + 16, 8));
	memcpy(digits, w->code, 4);
	memcpy(digits + 4, w->code + 5, 4);
	digits[8] = '\0';
	assert_false(contains(cap, cap_len, digits, 8));
	assert_false(contains(cap, cap_len, w->code, 9));
	assert_int_equal(pawlink_keystore_open(&ks, w->host_dir, NULL, 0), 0);
	assert_int_equal(pawlink_keystore_host_load(&ks, &host, NULL, 0), 0);
	assert_int_equal(pawlink_keystore_toy_load(&ks, w->toy_id, &pin, NULL,
						   0), 0);
	pawlink_keystore_close(&ks);
	assert_false(contains(cap, cap_len, host.public_key, 32));
	assert_false(contains(cap, cap_len, host.secret_key, 32));
	assert_false(contains(cap, cap_len, pin.static_key, 32));
	pawlink_host_identity_wipe(&host);
	free(cap);

	/* Everything again, during the session: all dropped, all counted. */
	assert_int_equal(pawlink_link_stats(w->p, &hb, sizeof(hb)), 0);
	assert_int_equal(rogue(w, replay_argv), 0);
	want = drops_of(&before);
	want.replay += t.sealed_to_toy;
	want.plaintext += t.plain_to_addr;
	status_until(w, &st, drops_reached, &want);
	link_until(w, &ha, hb.rx_dropped_replay + t.sealed_to_host +
		   t.audio_to_host, hb.rx_dropped_plaintext + t.plain_from_addr);
	assert_int_equal(st.rx_dropped_replay - before.rx_dropped_replay,
			 t.sealed_to_toy);
	assert_int_equal(t.plain_to_addr, 1);	/* INIT */
	assert_int_equal(st.rx_dropped_plaintext - before.rx_dropped_plaintext,
			 t.plain_to_addr);
	assert_int_equal(st.rx_dropped_auth, before.rx_dropped_auth);
	assert_int_equal(st.mic_starts, 1);
	assert_false(st.mic);
	assert_int_equal(st.msg_count, 1);
	assert_int_equal(st.lifetime_failures, 0);
	assert_int_equal(pawlink_link_stats(w->p, &ha, sizeof(ha)), 0);
	assert_int_equal(ha.rx_dropped_replay - hb.rx_dropped_replay,
			 t.sealed_to_host + t.audio_to_host);
	assert_int_equal(t.plain_from_addr, 1);	/* RESP */
	assert_int_equal(ha.rx_dropped_plaintext - hb.rx_dropped_plaintext,
			 t.plain_from_addr);
	assert_int_equal(ha.rx_dropped_auth, hb.rx_dropped_auth);

	/*
	 * And after it: no session, no pairing, no charge.  (A replayed INIT
	 * that reaches the toy after ours replaces the keys it staged for us:
	 * the façade notices and runs the handshake again, session.rst.)
	 */
	assert_int_equal(pawlink_disconnect(w->p), 0);
	assert_int_equal(rogue(w, replay_argv), 0);
	assert_int_equal(pawlink_connect(w->p, w->toy_id, &st), 0);
	assert_int_equal(st.mic_starts, 1);
	assert_false(st.mic);
	assert_int_equal(st.msg_count, 1);
	assert_int_equal(st.paired_hosts, 1);
	assert_int_equal(st.lifetime_failures, 0);
	assert_int_equal(st.refused_unauth, 0);
	world_close(w);
	assert_int_equal(json_number(out_buf, "mic_starts"), 1);
	assert_int_equal(json_number(out_buf, "sessions"), 2);
}

/* `rogue inject` of a data record to the toy; returns its status. */
static int inject(struct world *w, uint8_t channel, uint32_t epoch,
		  uint64_t counter, const uint8_t *body, size_t len)
{
	char src[17], dst[17], hex[2 * PAWLINK_FRAME_MAX + 1];
	char ch[8], ep[16], ctr[24];
	const uint8_t rogue_id[PAWLINK_ID_LEN] = {
		0xee, 0xee, 1, 2, 3, 4, 5, 6,
	};
	const char *args[] = { "inject", "--type", "data", "--src", src,
			       "--dst", dst, "--channel", ch, "--epoch", ep,
			       "--counter", ctr, "--body", hex, NULL };

	pawlink_hex_encode(src, rogue_id, PAWLINK_ID_LEN);
	pawlink_hex_encode(dst, w->addr, PAWLINK_ID_LEN);
	pawlink_hex_encode(hex, body, len);
	snprintf(ch, sizeof(ch), "%u", channel);
	snprintf(ep, sizeof(ep), "%u", epoch);
	snprintf(ctr, sizeof(ctr), "%llu", (unsigned long long)counter);
	return rogue(w, args);
}

static size_t toy_cmd(uint8_t type, uint8_t *buf)
{
	struct pawlink_toy_frame f = { .type = type, .tag = 9 };

	return (size_t)pawlink_toy_encode(buf, PAWLINK_FRAME_MAX, &f);
}

static size_t msg_cmd(uint8_t type, uint8_t *buf)
{
	struct pawlink_msg_frame f = { .type = type, .tag = 9 };
	int n;

	if (type == PAWLINK_MSG_PUT_REQ) {
		f.u.info.id[0] = 1;
		memset(f.u.info.sender, 0xee, PAWLINK_ID_LEN);
		f.u.info.duration_ms = 1000;
		f.u.info.size = 100;
		f.u.info.codec = PAWLINK_MSG_CODEC_OGG_OPUS;
	} else if (type != PAWLINK_MSG_LIST_REQ) {
		f.u.id[0] = 1;
	}
	n = pawlink_msg_encode(buf, PAWLINK_FRAME_MAX, &f);
	assert_true(n > 0);
	return (size_t)n;
}

static void test_injected_frames_dropped_counted(void **state)
{
	struct pawlink_toy_status_info before, st;
	uint8_t buf[PAWLINK_FRAME_MAX], junk[64];
	struct drops want;
	struct world *w = &world;
	size_t n;

	(void)state;
	world_open(w);

	/* A radio that never paired: list, put, play, microphone, LED. */
	n = msg_cmd(PAWLINK_MSG_LIST_REQ, buf);
	assert_int_equal(inject(w, PAWLINK_CH_PLAIN, 0, 0, buf, n), 0);
	n = msg_cmd(PAWLINK_MSG_PUT_REQ, buf);
	assert_int_equal(inject(w, PAWLINK_CH_PLAIN, 0, 0, buf, n), 0);
	n = msg_cmd(PAWLINK_MSG_PLAY_REQ, buf);
	assert_int_equal(inject(w, PAWLINK_CH_PLAIN, 0, 0, buf, n), 0);
	n = toy_cmd(PAWLINK_TOY_MIC_START_REQ, buf);
	assert_int_equal(inject(w, PAWLINK_CH_PLAIN, 0, 0, buf, n), 0);
	/* Sealed-looking, with no session: nothing can open it. */
	randombytes_buf(junk, sizeof(junk));
	assert_int_equal(inject(w, PAWLINK_CH_CTRL, 1, 0, junk, sizeof(junk)),
			 0);

	pair_and_connect(w);
	want = (struct drops){ .refused = 4, .malformed = 1 };
	status_until(w, &before, drops_reached, &want);
	assert_int_equal(before.refused_unauth, 4);
	assert_int_equal(before.rx_dropped_malformed, 1);
	assert_int_equal(before.mic_starts, 0);
	assert_int_equal(before.msg_count, 0);
	assert_false(before.led);

	/* In the session: a command in the clear, forged records. */
	n = toy_cmd(PAWLINK_TOY_MIC_START_REQ, buf);
	assert_int_equal(inject(w, PAWLINK_CH_PLAIN, 0, 0, buf, n), 0);
	assert_int_equal(inject(w, PAWLINK_CH_CTRL, 1, 1000000, junk,
				sizeof(junk)), 0);
	assert_int_equal(inject(w, PAWLINK_CH_AUDIO, 1, 1000000, junk,
				sizeof(junk)), 0);
	assert_int_equal(inject(w, PAWLINK_CH_CTRL, 2, 0, junk, sizeof(junk)),
			 0);
	/* The next genuine frame still opens: a forgery moves nothing. */
	want = drops_of(&before);
	want.plaintext++;
	want.auth += 2;
	want.malformed++;
	status_until(w, &st, drops_reached, &want);
	assert_int_equal(st.rx_dropped_plaintext,
			 before.rx_dropped_plaintext + 1);
	assert_int_equal(st.rx_dropped_auth, before.rx_dropped_auth + 2);
	assert_int_equal(st.rx_dropped_malformed,
			 before.rx_dropped_malformed + 1);
	assert_int_equal(st.mic_starts, 0);
	assert_false(st.mic);
	assert_false(st.led);
	world_close(w);
	assert_int_equal(json_number(out_buf, "refused_unauth"), 4);
	assert_int_equal(json_number(out_buf, "mic_starts"), 0);
	assert_int_equal(json_number(out_buf, "audio_frames_sent"), 0);
}

static void test_brute_force_locks_until_reset(void **state)
{
	struct pawlink_toy_status_info st;
	char id_hex[17], start[16];
	const char *args[] = { "brute-force", "--toy-id", id_hex, "--codes",
			       "20", "--start", start, NULL };
	unsigned long code;
	struct world *w = &world;
	int window;

	(void)state;
	world_open(w);
	pawlink_hex_encode(id_hex, w->toy_id, PAWLINK_ID_LEN);
	code = strtoul(w->code, NULL, 10) * 10000 +
	       strtoul(w->code + 5, NULL, 10);
	for (window = 0; window < 5; window++) {
		/* 20 codes the toy's is not among. */
		snprintf(start, sizeof(start), "%08lu",
			 (code + 1000 + 20UL * (unsigned long)window) %
			 100000000);
		assert_int_equal(toy_control(w, "press"), 0);
		assert_int_equal(rogue(w, args), 0);
		assert_int_equal(json_number(out_buf, "wrong"), 20);
		assert_int_equal(json_number(out_buf, "paired"), 0);
	}
	/* 100 failures: the button no longer opens, even for the owner. */
	assert_int_equal(toy_control(w, "press"), 2);
	assert_non_null(strstr(out_buf, "locked out"));
	assert_int_equal(pawlink_pair(w->p, w->toy_id, w->code, ""), -EACCES);

	/* Only a factory reset lifts it; the label's code still works. */
	assert_int_equal(toy_control(w, "reset"), 0);
	scan(w);
	pair_and_connect(w);
	assert_int_equal(pawlink_status(w->p, &st), 0);
	assert_int_equal(st.lifetime_failures, 0);
	assert_false(st.locked);
	assert_int_equal(st.paired_hosts, 1);
	world_close(w);
	assert_int_equal(json_number(out_buf, "locked"), 0);
}

/* After a failed assertion: no process and no file outlives its test. */
static int world_kill(void **state)
{
	(void)state;
	child_kill(&world.toy);
	child_kill(&world.air);
	test_dir_remove(&world.d);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_sniffed_and_replayed, world_kill),
		cmocka_unit_test_teardown(test_injected_frames_dropped_counted,
					  world_kill),
		cmocka_unit_test_teardown(test_brute_force_locks_until_reset,
					  world_kill),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
