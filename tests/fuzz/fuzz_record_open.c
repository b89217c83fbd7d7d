// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzes the receive side of the record layer: the header parser, the
 * plaintext reader and a link's open, fed a sequence of records.
 *
 * Input: one flags byte (bit 0: the link is keyed; bit 1: it is the toy's
 * side; bit 2: it has keys staged for the next epoch), then records, each as a little-endian 16-bit length and that many
 * bytes.  Checks, per record, that exactly one thing happens: it opens
 * (and the counter went up), or it is counted in one drop reason.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "fuzz_session.h"
#include "record_layer.h"

#define FLAG_KEYED	0x01
#define FLAG_TOY	0x02
#define FLAG_STAGED	0x04

/* The installed keys (epoch 1) and the staged ones (epoch 1 or 2). */
static struct pawlink_key_install fixed_keys, staged_keys;

static void keys_init(void)
{
	memset(&fixed_keys, 0, sizeof(fixed_keys));
	fixed_keys.version = PAWLINK_KEYS_VERSION;
	fixed_keys.epoch = 1;
	memset(fixed_keys.h2t_ctrl, 0x41, PAWLINK_KEY_LEN);
	memset(fixed_keys.t2h_ctrl, 0x42, PAWLINK_KEY_LEN);
	memset(fixed_keys.h2t_audio, 0x43, PAWLINK_KEY_LEN);
	memset(fixed_keys.t2h_audio, 0x44, PAWLINK_KEY_LEN);
	staged_keys = fixed_keys;
	memset(staged_keys.h2t_ctrl, 0x51, PAWLINK_KEY_LEN);
	memset(staged_keys.t2h_ctrl, 0x52, PAWLINK_KEY_LEN);
	memset(staged_keys.h2t_audio, 0x53, PAWLINK_KEY_LEN);
	memset(staged_keys.t2h_audio, 0x54, PAWLINK_KEY_LEN);
}

/* Staged keys follow the installed ones: epoch 2 and a rekey if keyed. */
static struct pawlink_key_install staged_for(bool keyed)
{
	struct pawlink_key_install k = staged_keys;

	k.epoch = keyed ? 2 : 1;
	k.flags = keyed ? PAWLINK_KEYS_REKEY : 0;
	return k;
}

static uint64_t drops(const struct pawlink_record_link *l)
{
	const struct pawlink_record_stats *c = &l->rx_ctrl.stats;
	const struct pawlink_record_stats *a = &l->rx_audio.stats;

	return c->forged + c->replayed + c->malformed + a->forged +
	       a->replayed + a->malformed + l->dropped_plaintext;
}

/* Appends one length-prefixed record to a seed. */
static size_t put_chunk(uint8_t *seed, size_t at, const uint8_t *rec,
			size_t len)
{
	seed[at] = (uint8_t)len;
	seed[at + 1] = (uint8_t)(len >> 8);
	memcpy(seed + at + 2, rec, len);
	return at + 2 + len;
}

static void write_seeds(void)
{
	static uint8_t seed[4 * (PAWLINK_RECORD_MAX + 2) + 1];
	uint8_t rec[PAWLINK_RECORD_MAX], pcm[PAWLINK_AUDIO_PERIOD_BYTES];
	struct pawlink_record_link toy = { 0 }, host = { 0 };
	struct pawlink_key_install staged;
	size_t len, at, i;

	/* Toy-sealed records, opened by the host's keyed link. */
	if (pawlink_record_link_install(&toy, &fixed_keys, PAWLINK_ROLE_TOY))
		abort();
	seed[0] = FLAG_KEYED;
	at = 1;
	for (i = 0; i < 3; i++) {
		if (pawlink_record_link_seal(&toy, PAWLINK_CH_CTRL,
					     (const uint8_t *)"status", 6, rec,
					     sizeof(rec), &len))
			abort();
		at = put_chunk(seed, at, rec, len);
	}
	fuzz_write_seed("keyed-ctrl-3", seed, at);
	/* The last one again: a replay. */
	at = put_chunk(seed, at, rec, len);
	fuzz_write_seed("keyed-ctrl-replay", seed, at);

	memset(pcm, 0x5a, sizeof(pcm));
	at = 1;
	for (i = 0; i < 2; i++) {
		if (pawlink_record_link_seal(&toy, PAWLINK_CH_AUDIO, pcm,
					     sizeof(pcm), rec, sizeof(rec),
					     &len))
			abort();
		at = put_chunk(seed, at, rec, len);
	}
	fuzz_write_seed("keyed-audio-2", seed, at);
	pawlink_record_link_wipe(&toy);

	/* A handshake message on an unkeyed link. */
	if (pawlink_record_write_plain(PAWLINK_CH_PLAIN,
				       (const uint8_t *)"\x20\x01\0\0\x01\0\0\0",
				       8, rec, sizeof(rec), &len))
		abort();
	seed[0] = 0;
	at = put_chunk(seed, 1, rec, len);
	fuzz_write_seed("plain-session-hdr", seed, at);

	/* The host's first records under keys the toy has only staged. */
	staged = staged_for(false);
	if (pawlink_record_link_install(&host, &staged, PAWLINK_ROLE_HOST))
		abort();
	seed[0] = FLAG_TOY | FLAG_STAGED;
	at = 1;
	for (i = 0; i < 2; i++) {
		if (pawlink_record_link_seal(&host, PAWLINK_CH_CTRL,
					     (const uint8_t *)"hello", 5, rec,
					     sizeof(rec), &len))
			abort();
		at = put_chunk(seed, at, rec, len);
	}
	fuzz_write_seed("staged-toy-confirm", seed, at);
	pawlink_record_link_wipe(&host);
}

FUZZ_SESSION_INITIALIZE(keys_init, write_seeds)

/* One record through every parser this layer has. */
static void open_one(struct pawlink_record_link *link, const uint8_t *rec,
		     size_t len)
{
	static uint8_t pt[PAWLINK_RECORD_MAX];
	struct pawlink_record_info info;
	const uint8_t *body;
	size_t body_len, pt_len;
	uint64_t before = drops(link), last = 0;
	uint32_t epoch = link->rx_ctrl.epoch;
	bool had = false;
	uint8_t ch;
	int ret, parsed;

	parsed = pawlink_record_parse_header(rec, len, &info);
	if (parsed == 0)
		FUZZ_CHECK(info.len == len - PAWLINK_REC_HDR_LEN);
	if (pawlink_record_read_plain(rec, len, &ch, &body, &body_len) == 0) {
		FUZZ_CHECK(parsed == 0 && body == rec + PAWLINK_REC_HDR_LEN);
		FUZZ_CHECK(body_len == len - PAWLINK_REC_HDR_LEN);
	}
	if (parsed == 0 && (info.channel == PAWLINK_CH_CTRL ||
			    info.channel == PAWLINK_CH_AUDIO)) {
		const struct pawlink_record_rx *rx =
			info.channel == PAWLINK_CH_CTRL ? &link->rx_ctrl
							: &link->rx_audio;
		had = rx->accepted_any;
		last = rx->last_counter;
	}

	ret = pawlink_record_link_open(link, rec, len, &ch, pt, sizeof(pt),
				       &pt_len);
	if (ret == 0) {
		FUZZ_CHECK(parsed == 0 && ch == info.channel);
		FUZZ_CHECK(drops(link) == before);
		if (ch == PAWLINK_CH_CTRL || ch == PAWLINK_CH_AUDIO) {
			FUZZ_CHECK(link->keyed);
			FUZZ_CHECK(pt_len == len - PAWLINK_REC_HDR_LEN -
					     PAWLINK_TAG_LEN);
			/* Counters restart when staged keys take over. */
			FUZZ_CHECK(!had || info.counter > last ||
				   link->rx_ctrl.epoch != epoch);
			FUZZ_CHECK(info.counter < PAWLINK_REKEY_AFTER);
		} else {
			FUZZ_CHECK(!link->keyed);
			FUZZ_CHECK(pt_len == len - PAWLINK_REC_HDR_LEN);
		}
	} else {
		FUZZ_CHECK(ret == -EBADMSG || ret == -ESTALE ||
			   ret == -EACCES || ret == -EPERM);
		FUZZ_CHECK(drops(link) == before + 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pawlink_record_link link = { 0 };
	struct pawlink_key_install staged;
	enum pawlink_record_role role;
	size_t at = 1, len;

	if (size < 1)
		return 0;
	role = data[0] & FLAG_TOY ? PAWLINK_ROLE_TOY : PAWLINK_ROLE_HOST;
	if ((data[0] & FLAG_KEYED) &&
	    pawlink_record_link_install(&link, &fixed_keys, role))
		abort();
	staged = staged_for(data[0] & FLAG_KEYED);
	if ((data[0] & FLAG_STAGED) &&
	    pawlink_record_link_stage(&link, &staged, role))
		abort();
	while (at + 2 <= size) {
		len = (size_t)data[at] | (size_t)data[at + 1] << 8;
		at += 2;
		if (len > size - at)
			len = size - at;
		open_one(&link, data + at, len);
		at += len;
	}
	pawlink_record_link_wipe(&link);
	return 0;
}
