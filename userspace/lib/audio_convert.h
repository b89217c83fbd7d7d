/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host-side audio for voice messages (Documentation/messages.rst, "Audio
 * conversion"): any file libsndfile reads (WAV, FLAC, Ogg Vorbis, Ogg
 * Opus, MP3, ...) becomes a message object: mono, 16 kHz (libsamplerate),
 * Ogg Opus (libsndfile), at most 5 minutes.  And back: a message decodes
 * to S16 16 kHz mono PCM for playback, the format of the ALSA card.
 *
 * Errors are negative errno values, with a one-line reason in @err (which
 * names the file and what was wrong with it, nothing else):
 *   -ENOENT, -EACCES, ...  the input could not be opened
 *   -EINVAL                the input is not a regular file
 *   -EMEDIUMTYPE           not audio libsndfile can read; or, decoding, not
 *                          a message (Ogg Opus, 16 kHz, mono)
 *   -EFBIG                 longer than 5 minutes
 *   -ENODATA               no audio at all
 *   -EIO                   reading, resampling or writing failed
 *   -ENOMEM
 * On error nothing is left at the output path.
 */
#ifndef PAWLINK_AUDIO_CONVERT_H
#define PAWLINK_AUDIO_CONVERT_H

#include <stddef.h>
#include <stdint.h>

#include <pawlink/msg.h>

#define PAWLINK_AUDIO_MSG_RATE		PAWLINK_AUDIO_RATE	/* 16000 */
#define PAWLINK_AUDIO_MSG_MAX_FRAMES \
	((uint64_t)PAWLINK_MSG_DURATION_MAX_MS * PAWLINK_AUDIO_MSG_RATE / 1000)
/*
 * libsndfile's Opus compression level: 0.9 gives about 32 kbit/s for 16
 * kHz mono voice, so 5 minutes stay near 1.2 MB, well under
 * PAWLINK_MSG_SIZE_MAX.
 */
#define PAWLINK_AUDIO_OPUS_LEVEL	0.9

/*
 * Converts the audio file @in_path into a message object at @out_path
 * (written to a temporary file beside it, then renamed).  *duration_ms is
 * the output's length.
 */
int pawlink_audio_to_opus(const char *in_path, const char *out_path,
			  uint32_t *duration_ms, char *err, size_t err_len);

/* The same from @frames samples of S16 PCM, 16 kHz mono (toy recordings). */
int pawlink_audio_pcm_to_opus(const int16_t *pcm, size_t frames,
			      const char *out_path, uint32_t *duration_ms,
			      char *err, size_t err_len);

/* A streaming decoder of one message object held in memory. */
struct pawlink_audio_decoder;

/* @data must outlive the decoder. */
int pawlink_audio_decoder_open(struct pawlink_audio_decoder **out,
			       const uint8_t *data, size_t len, char *err,
			       size_t err_len);
/* Up to @frames samples; returns how many, 0 at the end, or -EIO. */
long pawlink_audio_decoder_read(struct pawlink_audio_decoder *dec,
				int16_t *pcm, size_t frames);
/* Length in samples, as the stream's header states it. */
uint64_t pawlink_audio_decoder_frames(const struct pawlink_audio_decoder *dec);
void pawlink_audio_decoder_close(struct pawlink_audio_decoder *dec);
/*
 * The same decoder behind an untyped handle, in the shape of a toy
 * platform's decoder operations (sim/toy/toy.h): pawsim toy and the tests'
 * toy platform plug these in as they are.
 */
int pawlink_audio_message_open(const uint8_t *obj, size_t len, void **dec);
long pawlink_audio_message_read(void *dec, int16_t *pcm, size_t frames);
void pawlink_audio_message_close(void *dec);

/* Decodes a whole message into a new buffer (free() it). */
int pawlink_audio_decode(const uint8_t *data, size_t len, int16_t **pcm,
			 size_t *frames, char *err, size_t err_len);

#endif /* PAWLINK_AUDIO_CONVERT_H */
