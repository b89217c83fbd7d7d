// SPDX-License-Identifier: GPL-2.0
/* `pawsim toy`'s microphone sources and speaker sink; see toy_linux_audio.h. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <alsa/asoundlib.h>
#include <sndfile.h>

#include <linux/pawlink.h>

#include "toy_linux_audio.h"

/* A sound card's buffer, as alsa-lib's plug layer sets it up: 100 ms. */
#define ALSA_LATENCY_US		100000
/* What the loopback microphone can hear back: one second. */
#define LOOPBACK_FRAMES		PAWLINK_AUDIO_RATE
#define TONE_AMPLITUDE		8000.0
#define TONE_HZ_MAX		(PAWLINK_AUDIO_RATE / 2 - 1)
#define PI			3.14159265358979323846

enum mic_kind { MIC_SILENCE, MIC_WAV, MIC_TONE, MIC_LOOPBACK, MIC_ALSA };

struct toy_audio_dev {
	enum mic_kind kind;
	/* wav: the whole file, played in a loop */
	int16_t *wav;
	size_t wav_frames, wav_pos;
	/* tone */
	double tone_step, tone_phase;	/* radians, phase in [-pi, pi) */
	/* loopback: a ring the speaker fills and the microphone drains */
	int16_t ring[LOOPBACK_FRAMES];
	size_t ring_head, ring_n;
	/* alsa: a capture device, read without blocking */
	snd_pcm_t *capture;
	/* speaker: a WAV file, or a playback device written without blocking */
	SNDFILE *speaker;
	snd_pcm_t *playback;
};

/*
 * Opens ALSA device @name for @stream, non-blocking, 16 kHz mono S16 (the
 * plug layer converts for the card) and started.  The toy's clock, not the
 * card's, paces the toy, so a card that drifts away from it loses or
 * repeats a little; that is the card's business, never the toy's.
 */
static int alsa_open(snd_pcm_t **out, const char *name, snd_pcm_stream_t stream,
		     char *err, size_t err_len)
{
	snd_pcm_t *pcm;
	int rc;

	rc = snd_pcm_open(&pcm, name, stream, SND_PCM_NONBLOCK);
	if (rc < 0) {
		snprintf(err, err_len, "cannot open ALSA device '%s': %s", name,
			 snd_strerror(rc));
		return -EIO;
	}
	rc = snd_pcm_set_params(pcm, SND_PCM_FORMAT_S16_LE,
				SND_PCM_ACCESS_RW_INTERLEAVED, 1,
				PAWLINK_AUDIO_RATE, 1, ALSA_LATENCY_US);
	if (rc >= 0 && stream == SND_PCM_STREAM_CAPTURE)
		rc = snd_pcm_start(pcm);
	if (rc < 0) {
		snprintf(err, err_len,
			 "ALSA device '%s' will not take 16 kHz mono S16: %s",
			 name, snd_strerror(rc));
		snd_pcm_close(pcm);
		return -EIO;
	}
	*out = pcm;
	return 0;
}

/* After an xrun or a suspend: ready again, at once. */
static void alsa_recover(snd_pcm_t *pcm, int rc, bool capture)
{
	if (snd_pcm_recover(pcm, rc, 1) >= 0 && capture)
		snd_pcm_start(pcm);
}

/* Reads what the card has, up to @frames; the rest is silence. */
static void alsa_listen(snd_pcm_t *pcm, int16_t *buf, size_t frames)
{
	snd_pcm_sframes_t n = snd_pcm_readi(pcm, buf, frames);

	if (n < 0) {
		if (n != -EAGAIN)
			alsa_recover(pcm, (int)n, true);
		n = 0;
	}
	memset(buf + n, 0, (frames - (size_t)n) * sizeof(*buf));
}

/* Writes what the card takes now; a full card drops the rest. */
static void alsa_play(snd_pcm_t *pcm, const int16_t *buf, size_t frames)
{
	snd_pcm_sframes_t n = snd_pcm_writei(pcm, buf, frames);

	if (n < 0 && n != -EAGAIN) {
		alsa_recover(pcm, (int)n, false);
		snd_pcm_writei(pcm, buf, frames);
	}
}

/*
 * sin(x) for x in [-pi, pi] by its Taylor series to x^15 (error below
 * 1e-6 there): a test tone needs no more, and pawsim needs no libm.
 */
static double sine(double x)
{
	double x2 = x * x, term = x, sum = x;
	int k;

	for (k = 1; k <= 7; k++) {
		term *= -x2 / ((2 * k) * (2 * k + 1));
		sum += term;
	}
	return sum;
}

static int load_wav(struct toy_audio_dev *d, const char *path, char *err,
		    size_t err_len)
{
	SF_INFO info = { 0 };
	SNDFILE *f;
	sf_count_t n;

	f = sf_open(path, SFM_READ, &info);
	if (!f) {
		snprintf(err, err_len, "cannot read '%s' as audio: %s", path,
			 sf_strerror(NULL));
		return -EIO;
	}
	if (info.samplerate != PAWLINK_AUDIO_RATE || info.channels != 1 ||
	    info.frames <= 0 || info.frames > 10 * 60 * PAWLINK_AUDIO_RATE) {
		snprintf(err, err_len,
			 "'%s' must be 16 kHz mono audio of at most 10 minutes",
			 path);
		sf_close(f);
		return -EIO;
	}
	d->wav = calloc((size_t)info.frames, sizeof(*d->wav));
	if (!d->wav) {
		sf_close(f);
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	n = sf_readf_short(f, d->wav, info.frames);
	sf_close(f);
	if (n <= 0) {
		snprintf(err, err_len, "no audio could be read from '%s'", path);
		return -EIO;
	}
	d->wav_frames = (size_t)n;
	return 0;
}

static int parse_mic(struct toy_audio_dev *d, const char *spec, char *err,
		     size_t err_len)
{
	char *end;
	long hz;

	if (!spec || !strcmp(spec, "silence")) {
		d->kind = MIC_SILENCE;
		return 0;
	}
	if (!strcmp(spec, "loopback")) {
		d->kind = MIC_LOOPBACK;
		return 0;
	}
	if (!strncmp(spec, "tone:", 5)) {
		errno = 0;
		hz = strtol(spec + 5, &end, 10);
		if (errno || end == spec + 5 || *end || hz < 1 ||
		    hz > TONE_HZ_MAX) {
			snprintf(err, err_len, "bad --mic '%s' (tone:1 .. tone:%d)",
				 spec, TONE_HZ_MAX);
			return -EINVAL;
		}
		d->kind = MIC_TONE;
		d->tone_step = 2 * PI * (double)hz / PAWLINK_AUDIO_RATE;
		d->tone_phase = -PI;
		return 0;
	}
	if (!strncmp(spec, "wav:", 4) && spec[4]) {
		d->kind = MIC_WAV;
		return load_wav(d, spec + 4, err, err_len);
	}
	if (!strncmp(spec, "alsa:", 5) && spec[5]) {
		d->kind = MIC_ALSA;
		return alsa_open(&d->capture, spec + 5, SND_PCM_STREAM_CAPTURE,
				 err, err_len);
	}
	snprintf(err, err_len,
		 "bad --mic '%s' (wav:FILE, tone:HZ, alsa:DEVICE, loopback or silence)",
		 spec);
	return -EINVAL;
}

int toy_audio_dev_open(struct toy_audio_dev **out, const char *mic_spec,
		       const char *speaker_path, char *err, size_t err_len)
{
	SF_INFO info = {
		.samplerate = PAWLINK_AUDIO_RATE, .channels = 1,
		.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16,
	};
	struct toy_audio_dev *d;
	int rc;

	*out = NULL;
	d = calloc(1, sizeof(*d));
	if (!d) {
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	rc = parse_mic(d, mic_spec, err, err_len);
	if (rc)
		goto err_free;
	if (speaker_path && !strncmp(speaker_path, "alsa:", 5)) {
		if (!speaker_path[5]) {
			snprintf(err, err_len, "bad --speaker 'alsa:' (alsa:DEVICE)");
			rc = -EINVAL;
			goto err_free;
		}
		rc = alsa_open(&d->playback, speaker_path + 5,
			       SND_PCM_STREAM_PLAYBACK, err, err_len);
		if (rc)
			goto err_free;
	} else if (speaker_path) {
		d->speaker = sf_open(speaker_path, SFM_WRITE, &info);
		if (!d->speaker) {
			snprintf(err, err_len, "cannot write '%s': %s",
				 speaker_path, sf_strerror(NULL));
			rc = -EIO;
			goto err_free;
		}
	}
	*out = d;
	return 0;

err_free:
	if (d->capture)
		snd_pcm_close(d->capture);
	free(d->wav);
	free(d);
	return rc;
}

void toy_audio_dev_close(struct toy_audio_dev *d)
{
	if (!d)
		return;
	if (d->speaker)
		sf_close(d->speaker);
	if (d->playback) {
		/* What the card still holds plays out; it is little. */
		snd_pcm_nonblock(d->playback, 0);
		snd_pcm_drain(d->playback);
		snd_pcm_close(d->playback);
	}
	if (d->capture)
		snd_pcm_close(d->capture);
	free(d->wav);
	free(d);
}

void toy_audio_dev_play(struct toy_audio_dev *d, const int16_t *pcm,
			size_t frames)
{
	size_t i;

	if (d->speaker)
		sf_writef_short(d->speaker, pcm, (sf_count_t)frames);
	if (d->playback)
		alsa_play(d->playback, pcm, frames);
	if (d->kind != MIC_LOOPBACK)
		return;
	for (i = 0; i < frames; i++) {
		d->ring[(d->ring_head + d->ring_n) % LOOPBACK_FRAMES] = pcm[i];
		if (d->ring_n < LOOPBACK_FRAMES)
			d->ring_n++;
		else
			d->ring_head = (d->ring_head + 1) % LOOPBACK_FRAMES;
	}
}

void toy_audio_dev_listen(struct toy_audio_dev *d, int16_t *pcm,
			  size_t frames)
{
	size_t i;

	if (d->kind == MIC_ALSA) {
		alsa_listen(d->capture, pcm, frames);
		return;
	}
	for (i = 0; i < frames; i++) {
		switch (d->kind) {
		case MIC_WAV:
			pcm[i] = d->wav[d->wav_pos];
			d->wav_pos = (d->wav_pos + 1) % d->wav_frames;
			break;
		case MIC_TONE:
			pcm[i] = (int16_t)(TONE_AMPLITUDE *
					   sine(d->tone_phase));
			d->tone_phase += d->tone_step;
			if (d->tone_phase >= PI)
				d->tone_phase -= 2 * PI;
			break;
		case MIC_LOOPBACK:
			if (d->ring_n) {
				pcm[i] = d->ring[d->ring_head];
				d->ring_head = (d->ring_head + 1) %
					       LOOPBACK_FRAMES;
				d->ring_n--;
			} else {
				pcm[i] = 0;
			}
			break;
		default:
			pcm[i] = 0;
			break;
		}
	}
}
