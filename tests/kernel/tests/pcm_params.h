/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ALSA set-up the sound card's in-guest tests share (audio_toy.c,
 * pawlink_pcm.c): the card's one format, whole-record periods, and when
 * the stream starts.
 */
#ifndef PAWLINK_KTEST_PCM_PARAMS_H
#define PAWLINK_KTEST_PCM_PARAMS_H

#include <alsa/asoundlib.h>
#include <linux/pawlink.h>

/* pcm_params()'s @start_frames: only snd_pcm_start() starts the stream. */
#define PCM_START_EXPLICIT	0

/*
 * S16_LE mono 16 kHz, read/write interleaved, @periods periods of @period
 * frames, woken a period at a time, with status timestamps.  The stream
 * starts by itself once @start_frames are written (playback) or asked
 * for (capture), or, with PCM_START_EXPLICIT, only on snd_pcm_start().
 * 0 or a negative alsa error.
 */
static inline int pcm_params(snd_pcm_t *pcm, unsigned int period,
			     unsigned int periods,
			     snd_pcm_uframes_t start_frames)
{
	snd_pcm_hw_params_t *hw;
	snd_pcm_sw_params_t *sw;
	snd_pcm_uframes_t size;
	int err;

	snd_pcm_hw_params_alloca(&hw);
	snd_pcm_sw_params_alloca(&sw);
	err = snd_pcm_hw_params_any(pcm, hw);
	if (!err)
		err = snd_pcm_hw_params_set_access(pcm, hw,
						   SND_PCM_ACCESS_RW_INTERLEAVED);
	if (!err)
		err = snd_pcm_hw_params_set_format(pcm, hw,
						   SND_PCM_FORMAT_S16_LE);
	if (!err)
		err = snd_pcm_hw_params_set_channels(pcm, hw,
						     PAWLINK_AUDIO_CHANNELS);
	if (!err)
		err = snd_pcm_hw_params_set_rate(pcm, hw, PAWLINK_AUDIO_RATE, 0);
	if (!err)
		err = snd_pcm_hw_params_set_period_size(pcm, hw, period, 0);
	if (!err)
		err = snd_pcm_hw_params_set_buffer_size(pcm, hw,
							period * periods);
	if (!err)
		err = snd_pcm_hw_params(pcm, hw);
	if (err)
		return err;
	snd_pcm_hw_params_get_buffer_size(hw, &size);
	/* Twice the ring is never reached: nothing but a start starts it. */
	if (start_frames == PCM_START_EXPLICIT)
		start_frames = 2 * size;
	err = snd_pcm_sw_params_current(pcm, sw);
	if (!err)
		err = snd_pcm_sw_params_set_start_threshold(pcm, sw,
							    start_frames);
	if (!err)
		err = snd_pcm_sw_params_set_avail_min(pcm, sw, period);
	if (!err)
		err = snd_pcm_sw_params_set_tstamp_mode(pcm, sw,
							SND_PCM_TSTAMP_ENABLE);
	if (!err)
		err = snd_pcm_sw_params(pcm, sw);
	return err;
}

#endif /* PAWLINK_KTEST_PCM_PARAMS_H */
