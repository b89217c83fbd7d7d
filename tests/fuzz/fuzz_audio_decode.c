// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzes the host's decoder of downloaded messages (audio_convert.c): any
 * bytes as a message object, read through libsndfile's virtual I/O from
 * memory.  Checks that anything accepted is 16 kHz mono PCM within the
 * 5-minute bound, and that the streaming and whole-object decoders agree
 * on the length.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "audio_convert.h"
#include "fuzz_msg.h"

static void write_seeds(void)
{
	char path[] = "/tmp/pawlink-fuzz-seed-XXXXXX";
	int16_t pcm[3200];
	uint8_t *data;
	char err[256];
	uint32_t ms;
	size_t i, len;
	FILE *f;
	int fd;

	for (i = 0; i < 3200; i++)
		pcm[i] = (int16_t)((i * 977) % 20000 - 10000);
	fd = mkstemp(path);
	FUZZ_CHECK(fd >= 0);
	close(fd);
	FUZZ_CHECK(pawlink_audio_pcm_to_opus(pcm, 3200, path, &ms, err,
					     sizeof(err)) == 0);
	f = fopen(path, "rb");
	FUZZ_CHECK(f);
	data = malloc(65536);
	FUZZ_CHECK(data);
	len = fread(data, 1, 65536, f);
	fclose(f);
	unlink(path);
	fuzz_write_seed("message-200ms", data, len);
	free(data);
}

FUZZ_INITIALIZE(fuzz_no_setup, write_seeds)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pawlink_audio_decoder *dec;
	int16_t *pcm = NULL, period[PAWLINK_AUDIO_PERIOD_FRAMES];
	size_t frames = 0, streamed = 0;
	char err[256];
	long n;
	int e;

	e = pawlink_audio_decode(data, size, &pcm, &frames, err, sizeof(err));
	if (e) {
		FUZZ_CHECK(e < 0 && pcm == NULL && frames == 0);
		return 0;
	}
	FUZZ_CHECK(frames > 0 &&
		   frames <= PAWLINK_AUDIO_MSG_MAX_FRAMES +
			     PAWLINK_AUDIO_PERIOD_FRAMES + 4096);
	free(pcm);
	FUZZ_CHECK(pawlink_audio_decoder_open(&dec, data, size, err,
					      sizeof(err)) == 0);
	while ((n = pawlink_audio_decoder_read(dec, period,
					       PAWLINK_AUDIO_PERIOD_FRAMES)) > 0)
		streamed += (size_t)n;
	pawlink_audio_decoder_close(dec);
	FUZZ_CHECK(n == 0 && streamed == frames);
	return 0;
}
