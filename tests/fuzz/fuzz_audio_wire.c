// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzes the audio channel's decoder (audio_wire.c), which the toy runs on
 * every authenticated audio body and the host's air path on every one
 * from the toy.  Any bytes.  Checks that what it accepts is canonical
 * (encoding the result gives back exactly the input) and keeps the
 * promises audio_wire.h makes: a known type at its exact length, known
 * direction bits (START and STOP: at least one), a status only in STATE.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "audio_wire.h"
#include "fuzz_support.h"

static void seed(const char *name, const struct pawlink_audio_msg *m)
{
	uint8_t buf[PAWLINK_AUDIO_PCM_LEN];
	int n = pawlink_audio_msg_encode(buf, sizeof(buf), m);

	FUZZ_CHECK(n > 0);
	fuzz_write_seed(name, buf, (size_t)n);
}

static void write_seeds(void)
{
	struct pawlink_audio_msg m;
	unsigned int i;

	m = (struct pawlink_audio_msg){ .type = PAWLINK_AUDIO_PCM, .seq = 7,
					.played = 3 };
	for (i = 0; i < PAWLINK_AUDIO_PERIOD_FRAMES; i++)
		m.pcm[i] = (int16_t)(i * 100 - 8000);
	seed("pcm", &m);
	m = (struct pawlink_audio_msg){ .type = PAWLINK_AUDIO_START,
					.dirs = PAWLINK_AUDIO_DIRS_ALL,
					.seq = 1 };
	seed("start", &m);
	m = (struct pawlink_audio_msg){ .type = PAWLINK_AUDIO_STOP,
					.dirs = PAWLINK_AUDIO_DIR_PLAYBACK,
					.seq = 2 };
	seed("stop", &m);
	m = (struct pawlink_audio_msg){ .type = PAWLINK_AUDIO_STATE,
					.dirs = PAWLINK_AUDIO_DIR_CAPTURE,
					.status = PAWLINK_AUDIO_E_REFUSED,
					.seq = 2, .played = 600 };
	seed("state", &m);
}

FUZZ_INITIALIZE(fuzz_no_setup, write_seeds)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t again[PAWLINK_AUDIO_PCM_LEN];
	struct pawlink_audio_msg m;
	int n;

	if (pawlink_audio_msg_decode(&m, data, size) != 0)
		return 0;
	FUZZ_CHECK(size == (m.type == PAWLINK_AUDIO_PCM ?
			    PAWLINK_AUDIO_PCM_LEN : PAWLINK_AUDIO_HDR_LEN));
	FUZZ_CHECK(m.type >= PAWLINK_AUDIO_PCM &&
		   m.type <= PAWLINK_AUDIO_STATE);
	FUZZ_CHECK(!(m.dirs & ~PAWLINK_AUDIO_DIRS_ALL));
	if (pawlink_audio_is_request(m.type))
		FUZZ_CHECK(m.dirs && !m.played);
	if (m.type != PAWLINK_AUDIO_STATE)
		FUZZ_CHECK(m.status == 0);
	n = pawlink_audio_msg_encode(again, sizeof(again), &m);
	FUZZ_CHECK(n == (int)size);
	FUZZ_CHECK(memcmp(again, data, size) == 0);
	return 0;
}
