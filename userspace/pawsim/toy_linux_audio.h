/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `pawsim toy`'s microphone and speaker (Documentation/toy.rst, "pawsim
 * toy"): what the simulated toy hears and where what it plays goes.
 *
 *   microphone  wav:FILE (a 16 kHz mono file, looped), tone:HZ (a sine),
 *               alsa:DEVICE (a sound card's capture, alsa-lib, never
 *               blocking), loopback (what the speaker just played), or
 *               silence
 *   speaker     a 16 kHz mono WAV file of exactly what it played,
 *               alsa:DEVICE (a sound card, never blocking), or only
 *               counted
 */
#ifndef PAWSIM_TOY_LINUX_AUDIO_H
#define PAWSIM_TOY_LINUX_AUDIO_H

#include <stddef.h>
#include <stdint.h>

struct toy_audio_dev;

/*
 * Parses @mic_spec (NULL: silence) and opens @speaker_path (alsa:DEVICE or
 * a WAV file; NULL: count only).  0, -EINVAL for a spec that does not parse, or another -errno
 * when a file cannot be used; a sentence in @err.
 */
int toy_audio_dev_open(struct toy_audio_dev **out, const char *mic_spec,
		       const char *speaker_path, char *err, size_t err_len);
/* Finishes the speaker's file. */
void toy_audio_dev_close(struct toy_audio_dev *d);

void toy_audio_dev_play(struct toy_audio_dev *d, const int16_t *pcm,
			size_t frames);
void toy_audio_dev_listen(struct toy_audio_dev *d, int16_t *pcm,
			  size_t frames);

#endif /* PAWSIM_TOY_LINUX_AUDIO_H */
