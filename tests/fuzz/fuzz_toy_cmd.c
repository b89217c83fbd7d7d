// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzes the toy command decoder (toy_cmd.c), which both the toy (on
 * every authenticated control frame of types 0x60-0x7f) and the host (on
 * every answer) run.  Any bytes.  Checks that what it accepts is
 * canonical (encoding the result gives back exactly the input) and keeps
 * the promises toy_cmd.h makes: a known type, a status only where one
 * belongs, a microphone never streaming with the LED off, log entries
 * by rising sequence number (gaps allowed), printable host names, an invite's code of 8 digits.  The same for one 32-byte log entry, as the toy's log blob
 * holds it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_msg.h"
#include "toy_cmd.h"

static void seed(const char *name, const struct pawlink_toy_frame *f)
{
	uint8_t buf[PAWLINK_FRAME_MAX];
	int n = pawlink_toy_encode(buf, sizeof(buf), f);

	FUZZ_CHECK(n > 0);
	fuzz_write_seed(name, buf, (size_t)n);
}

static void write_seeds(void)
{
	struct pawlink_toy_frame f;
	int i;

	f = (struct pawlink_toy_frame){ .type = PAWLINK_TOY_STATUS_REQ, .tag = 1 };
	seed("status-req", &f);
	f = (struct pawlink_toy_frame){ .type = PAWLINK_TOY_STATUS_RESP, .tag = 1 };
	f.u.status.boot = 2;
	f.u.status.uptime_ms = 5000;
	f.u.status.led = true;
	f.u.status.mic = true;
	f.u.status.volume = 70;
	f.u.status.paired_hosts = 1;
	f.u.status.log_next = 9;
	f.u.status.mic_starts = 1;
	f.u.status.audio_frames_sent = 300;
	seed("status-resp", &f);
	f = (struct pawlink_toy_frame){ .type = PAWLINK_TOY_LED_REQ, .tag = 2 };
	f.u.value = 1;
	seed("led-req", &f);
	f = (struct pawlink_toy_frame){ .type = PAWLINK_TOY_VOLUME_REQ, .tag = 3 };
	f.u.value = 40;
	seed("volume-req", &f);
	f = (struct pawlink_toy_frame){ .type = PAWLINK_TOY_MIC_START_REQ,
					.tag = 4 };
	seed("mic-start-req", &f);
	f = (struct pawlink_toy_frame){ .type = PAWLINK_TOY_MIC_START_RESP,
					.tag = 4, .status = PAWLINK_TOY_E_IO };
	seed("mic-start-resp-io", &f);
	f = (struct pawlink_toy_frame){ .type = PAWLINK_TOY_LOG_REQ, .tag = 5 };
	f.u.from = 3;
	seed("log-req", &f);
	f = (struct pawlink_toy_frame){ .type = PAWLINK_TOY_LOG_RESP, .tag = 5 };
	f.u.log.first = 0;
	f.u.log.next = 6;
	f.u.log.count = 3;
	for (i = 0; i < 3; i++) {
		f.u.log.entries[i].seq = (uint32_t)(3 + i);
		f.u.log.entries[i].event = PAWLINK_TOY_EV_MIC_START;
		f.u.log.entries[i].boot = 1;
		f.u.log.entries[i].time_ms = (uint64_t)i * 1000;
		f.u.log.entries[i].host_id[0] = 0x48;
	}
	/* A run of folded sessions: the one entry with a count. */
	f.u.log.entries[1].event = PAWLINK_TOY_EV_SESSION;
	f.u.log.entries[1].count = 12;
	seed("log-resp", &f);
	f = (struct pawlink_toy_frame){ .type = PAWLINK_TOY_UNPAIR_REQ, .tag = 6 };
	seed("unpair-req", &f);
	f = (struct pawlink_toy_frame){ .type = PAWLINK_TOY_BYE_RESP, .tag = 7 };
	seed("bye-resp", &f);
	f = (struct pawlink_toy_frame){ .type = PAWLINK_TOY_HOSTS_REQ, .tag = 8 };
	seed("hosts-req", &f);
	f = (struct pawlink_toy_frame){ .type = PAWLINK_TOY_HOSTS_RESP, .tag = 8 };
	f.u.hosts.boot = 2;
	f.u.hosts.uptime_ms = 90000;
	f.u.hosts.count = 2;
	f.u.hosts.entries[0].id[0] = 0x41;
	f.u.hosts.entries[0].you = true;
	f.u.hosts.entries[0].seen = true;
	f.u.hosts.entries[0].seen_ms = 80000;
	f.u.hosts.entries[0].paired_boot = 1;
	f.u.hosts.entries[0].paired_ms = 3000;
	f.u.hosts.entries[1].id[0] = 0x42;
	f.u.hosts.entries[1].paired_boot = 2;
	f.u.hosts.entries[1].paired_ms = 5000;
	memcpy(f.u.hosts.entries[1].name, "tablet", 7);
	seed("hosts-resp", &f);
	f = (struct pawlink_toy_frame){ .type = PAWLINK_TOY_REVOKE_REQ, .tag = 9 };
	memcpy(f.u.host_id, "hostB\0\0\1", PAWLINK_ID_LEN);
	seed("revoke-req", &f);
	f = (struct pawlink_toy_frame){ .type = PAWLINK_TOY_REVOKE_RESP, .tag = 9,
					.status = PAWLINK_TOY_E_NOT_FOUND };
	seed("revoke-resp-not-found", &f);
	f = (struct pawlink_toy_frame){ .type = PAWLINK_TOY_INVITE_REQ, .tag = 10 };
	memcpy(f.u.name, "grandma", 8);
	seed("invite-req", &f);
	f = (struct pawlink_toy_frame){ .type = PAWLINK_TOY_INVITE_RESP, .tag = 10 };
	memcpy(f.u.invite.code, "40187263", 9);
	f.u.invite.valid_ms = 600000;
	seed("invite-resp", &f);
}

FUZZ_INITIALIZE(fuzz_no_setup, write_seeds)

static void check_frame(const uint8_t *data, size_t size)
{
	uint8_t again[PAWLINK_FRAME_MAX];
	struct pawlink_toy_frame f;
	uint32_t i;
	int n;

	if (pawlink_toy_decode(&f, data, size) != 0)
		return;
	FUZZ_CHECK(size >= PAWLINK_TOY_HDR_LEN && size <= PAWLINK_FRAME_MAX);
	FUZZ_CHECK(pawlink_toy_is_request(f.type) ||
		   pawlink_toy_is_response(f.type));
	FUZZ_CHECK(f.status <= PAWLINK_TOY_STATUS_LAST);
	if (pawlink_toy_is_request(f.type))
		FUZZ_CHECK(f.status == PAWLINK_TOY_OK);
	n = pawlink_toy_encode(again, sizeof(again), &f);
	FUZZ_CHECK(n == (int)size);
	FUZZ_CHECK(memcmp(again, data, size) == 0);
	if (f.type == PAWLINK_TOY_STATUS_RESP && f.status == PAWLINK_TOY_OK) {
		FUZZ_CHECK(!f.u.status.mic || f.u.status.led);
		FUZZ_CHECK(f.u.status.volume <= PAWLINK_TOY_VOLUME_MAX);
	}
	if (f.type == PAWLINK_TOY_LOG_RESP && f.status == PAWLINK_TOY_OK) {
		FUZZ_CHECK(f.u.log.count <= PAWLINK_TOY_LOG_MAX);
		for (i = 0; i < f.u.log.count; i++) {
			FUZZ_CHECK(f.u.log.entries[i].seq >= f.u.log.first &&
				   f.u.log.entries[i].seq < f.u.log.next);
			FUZZ_CHECK(i == 0 || f.u.log.entries[i].seq >
				   f.u.log.entries[i - 1].seq);
		}
	}
	if (f.type == PAWLINK_TOY_HOSTS_RESP && f.status == PAWLINK_TOY_OK) {
		FUZZ_CHECK(f.u.hosts.count <= PAWLINK_TOY_HOSTS_MAX);
		for (i = 0; i < f.u.hosts.count; i++) {
			FUZZ_CHECK(pawlink_toy_host_name_ok(
				f.u.hosts.entries[i].name));
			FUZZ_CHECK(f.u.hosts.entries[i].seen ||
				   !f.u.hosts.entries[i].seen_ms);
		}
	}
	if (f.type == PAWLINK_TOY_INVITE_REQ)
		FUZZ_CHECK(pawlink_toy_host_name_ok(f.u.name));
	if (f.type == PAWLINK_TOY_INVITE_RESP && f.status == PAWLINK_TOY_OK) {
		FUZZ_CHECK(strlen(f.u.invite.code) == PAWLINK_TOY_INVITE_CODE_LEN);
		FUZZ_CHECK(f.u.invite.valid_ms > 0);
	}
}

static void check_entry(const uint8_t *data, size_t size)
{
	uint8_t again[PAWLINK_TOY_LOG_ENTRY_LEN];
	struct pawlink_toy_event e;

	if (size < PAWLINK_TOY_LOG_ENTRY_LEN ||
	    pawlink_toy_event_decode(&e, data) != 0)
		return;
	FUZZ_CHECK(e.event >= PAWLINK_TOY_EV_BOOT &&
		   e.event <= PAWLINK_TOY_EV_LAST);
	pawlink_toy_event_encode(again, &e);
	FUZZ_CHECK(memcmp(again, data, sizeof(again)) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_frame(data, size);
	check_entry(data, size);
	return 0;
}
