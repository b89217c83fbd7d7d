// SPDX-License-Identifier: GPL-2.0
/*
 * Host audio conversion (audio_convert.c).  Every input is generated here
 * with libsndfile into a temporary directory: WAV, FLAC, Ogg Vorbis, Ogg
 * Opus and MP3 at various rates and channel counts.  Each conversion is
 * checked to be Ogg Opus, 16 kHz, mono, of the right duration, and to
 * still carry the tone it was given (pitch measured after decoding).
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sndfile.h>

#include "audio_convert.h"
#include "msg_object.h"
#include "tmpdir.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

struct fixture {
	char dir[64];
	char in[128];
	char out[128];
	char err[256];
};

/* A tone of @hz on every channel (@invert: the second channel inverted). */
static void make_input(const char *path, int format, int rate, int channels,
		       double seconds, double hz, bool invert)
{
	SF_INFO info = { .samplerate = rate, .channels = channels,
			 .format = format };
	sf_count_t frames = (sf_count_t)(seconds * rate), i;
	SNDFILE *sf;
	float *buf;
	int c;

	assert_true(sf_format_check(&info));
	sf = sf_open(path, SFM_WRITE, &info);
	assert_non_null(sf);
	buf = malloc(sizeof(float) * (size_t)channels * 4096);
	assert_non_null(buf);
	for (i = 0; i < frames; ) {
		sf_count_t n = frames - i < 4096 ? frames - i : 4096, k;

		for (k = 0; k < n; k++) {
			float v = (float)(0.5 * sin(2 * M_PI * hz *
						    (double)(i + k) / rate));

			for (c = 0; c < channels; c++)
				buf[k * channels + c] =
					invert && c == 1 ? -v : v;
		}
		assert_int_equal(sf_writef_float(sf, buf, n), n);
		i += n;
	}
	free(buf);
	assert_int_equal(sf_close(sf), 0);
}

static uint8_t *load(const char *path, size_t *len)
{
	uint8_t *data;

	assert_int_equal(pawlink_msg_load_file(path, &data, len), 0);
	return data;
}

/* The tone's pitch from zero crossings, away from the edges. */
static double pitch(const int16_t *pcm, size_t n)
{
	size_t i, from = 1600, to = n - 1600, crossings = 0;

	assert_true(n > 4000);
	for (i = from + 1; i < to; i++)
		if ((pcm[i - 1] < 0) != (pcm[i] < 0))
			crossings++;
	return (double)crossings / 2 / ((double)(to - from) / 16000);
}

static double rms(const int16_t *pcm, size_t n)
{
	double sum = 0;
	size_t i;

	for (i = 1600; i + 1600 < n; i++)
		sum += (double)pcm[i] * pcm[i];
	return sqrt(sum / (double)(n - 3200)) / 32768;
}

/* Checks the output file and returns its decoded samples. */
static int16_t *check_message(const char *path, double seconds,
			      uint32_t duration_ms, size_t *frames)
{
	SF_INFO info = { 0 };
	SNDFILE *sf;
	uint8_t *data;
	int16_t *pcm;
	size_t len;
	char err[256];

	sf = sf_open(path, SFM_READ, &info);
	assert_non_null(sf);
	assert_int_equal(info.format, SF_FORMAT_OGG | SF_FORMAT_OPUS);
	assert_int_equal(info.samplerate, 16000);
	assert_int_equal(info.channels, 1);
	/* Within 20 ms of the input's length, and as reported. */
	assert_true(fabs((double)info.frames / 16000 - seconds) < 0.02);
	assert_true(fabs(duration_ms / 1000.0 - seconds) < 0.02);
	sf_close(sf);

	data = load(path, &len);
	assert_int_equal(pawlink_audio_decode(data, len, &pcm, frames, err,
					      sizeof(err)), 0);
	assert_true(fabs((double)*frames / 16000 - seconds) < 0.02);
	free(data);
	return pcm;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	if (test_tmpdir(fx->dir, sizeof(fx->dir), "audio", TEST_TMP_DISK))
		return -1;
	snprintf(fx->out, sizeof(fx->out), "%s/out.opus", fx->dir);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	test_rm_tree(fx->dir);
	free(fx);
	return 0;
}

/* Converts a generated input and checks duration, pitch and loudness. */
static void convert_case(struct fixture *fx, const char *name, int format,
			 int rate, int channels, double seconds, double hz)
{
	uint32_t ms = 0;
	size_t n;
	int16_t *pcm;
	double f;

	snprintf(fx->in, sizeof(fx->in), "%s/%s", fx->dir, name);
	make_input(fx->in, format, rate, channels, seconds, hz, false);
	assert_int_equal(pawlink_audio_to_opus(fx->in, fx->out, &ms, fx->err,
					       sizeof(fx->err)), 0);
	pcm = check_message(fx->out, seconds, ms, &n);
	f = pitch(pcm, n);
	/* The resampling ratio is right: the tone keeps its pitch. */
	assert_true(fabs(f - hz) < hz * 0.02);
	/* And its level: a 0.5 sine has an RMS of 0.354. */
	assert_true(rms(pcm, n) > 0.25 && rms(pcm, n) < 0.45);
	free(pcm);
	unlink(fx->in);
	unlink(fx->out);
}

static void test_wav_44k_stereo(void **state)
{
	convert_case(*state, "tone.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16,
		     44100, 2, 2.0, 440);
}

static void test_flac_48k_mono(void **state)
{
	convert_case(*state, "tone.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_24,
		     48000, 1, 1.5, 1000);
}

static void test_ogg_vorbis_22k_stereo(void **state)
{
	convert_case(*state, "tone.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS,
		     22050, 2, 1.2, 660);
}

static void test_ogg_opus_48k_stereo(void **state)
{
	convert_case(*state, "tone.opus", SF_FORMAT_OGG | SF_FORMAT_OPUS,
		     48000, 2, 1.0, 523);
}

static void test_mp3_44k_mono(void **state)
{
	convert_case(*state, "tone.mp3",
		     SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 44100, 1, 1.5,
		     880);
}

static void test_wav_16k_and_8k(void **state)
{
	convert_case(*state, "same.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16,
		     16000, 1, 1.0, 300);
	convert_case(*state, "low.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT,
		     8000, 1, 1.0, 300);
}

static void test_downmix_is_the_mean(void **state)
{
	struct fixture *fx = *state;
	uint32_t ms;
	int16_t *pcm;
	size_t n;

	/* Left and right in opposite phase: their mean is silence. */
	snprintf(fx->in, sizeof(fx->in), "%s/antiphase.wav", fx->dir);
	make_input(fx->in, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 2, 1.0,
		   440, true);
	assert_int_equal(pawlink_audio_to_opus(fx->in, fx->out, &ms, fx->err,
					       sizeof(fx->err)), 0);
	pcm = check_message(fx->out, 1.0, ms, &n);
	assert_true(rms(pcm, n) < 0.01);
	free(pcm);
}

static void test_five_minute_limit(void **state)
{
	struct fixture *fx = *state;
	uint32_t ms = 1;
	struct stat sb;
	int16_t *pcm;
	size_t n;

	snprintf(fx->in, sizeof(fx->in), "%s/long.wav", fx->dir);
	make_input(fx->in, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 1, 301.0,
		   200, false);
	assert_int_equal(pawlink_audio_to_opus(fx->in, fx->out, &ms, fx->err,
					       sizeof(fx->err)), -EFBIG);
	assert_non_null(strstr(fx->err, "5 minutes"));
	assert_int_equal(ms, 0);
	/* Nothing is left behind, not even a temporary file. */
	assert_int_equal(stat(fx->out, &sb), -1);
	assert_int_equal(test_count_entries(fx->dir, false), 1);

	/* Exactly five minutes is allowed, and stays under the size limit. */
	make_input(fx->in, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 1, 300.0,
		   200, false);
	assert_int_equal(pawlink_audio_to_opus(fx->in, fx->out, &ms, fx->err,
					       sizeof(fx->err)), 0);
	assert_int_equal(stat(fx->out, &sb), 0);
	assert_true(sb.st_size < PAWLINK_MSG_SIZE_MAX);
	pcm = check_message(fx->out, 300.0, ms, &n);
	free(pcm);
	printf("# 5 min message: %lld bytes (%.1f kbit/s)\n",
	       (long long)sb.st_size, sb.st_size * 8 / 300.0 / 1000);
}

static void test_bad_inputs(void **state)
{
	struct fixture *fx = *state;
	uint8_t junk[4096];
	struct stat sb;
	uint32_t ms;
	FILE *f;
	size_t i;

	/* Random bytes. */
	snprintf(fx->in, sizeof(fx->in), "%s/junk.wav", fx->dir);
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(i * 7919 + 13);
	f = fopen(fx->in, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(junk, 1, sizeof(junk), f), sizeof(junk));
	fclose(f);
	assert_int_equal(pawlink_audio_to_opus(fx->in, fx->out, &ms, fx->err,
					       sizeof(fx->err)), -EMEDIUMTYPE);
	assert_non_null(strstr(fx->err, "not an audio file"));
	assert_non_null(strstr(fx->err, "junk.wav"));
	/* An empty file. */
	f = fopen(fx->in, "wb");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(pawlink_audio_to_opus(fx->in, fx->out, &ms, fx->err,
					       sizeof(fx->err)), -EMEDIUMTYPE);
	/* A valid file with no audio in it. */
	make_input(fx->in, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 2, 0, 1,
		   false);
	assert_int_equal(pawlink_audio_to_opus(fx->in, fx->out, &ms, fx->err,
					       sizeof(fx->err)), -ENODATA);
	assert_int_equal(test_count_entries(fx->dir, false), 1);
	/* Missing, a directory, an output nobody can create. */
	snprintf(fx->in, sizeof(fx->in), "%s/missing.wav", fx->dir);
	assert_int_equal(pawlink_audio_to_opus(fx->in, fx->out, &ms, fx->err,
					       sizeof(fx->err)), -ENOENT);
	assert_non_null(strstr(fx->err, "missing.wav"));
	assert_int_equal(pawlink_audio_to_opus(fx->dir, fx->out, &ms, fx->err,
					       sizeof(fx->err)), -EINVAL);
	snprintf(fx->in, sizeof(fx->in), "%s/ok.wav", fx->dir);
	make_input(fx->in, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 1, 0.5,
		   300, false);
	assert_int_equal(pawlink_audio_to_opus(fx->in, "/nonexistent/x.opus",
					       &ms, fx->err, sizeof(fx->err)),
			 -ENOENT);
	assert_int_equal(stat(fx->out, &sb), -1);
}

static void test_decoder(void **state)
{
	struct fixture *fx = *state;
	struct pawlink_audio_decoder *dec;
	int16_t period[PAWLINK_AUDIO_PERIOD_FRAMES], *whole, *pcm;
	uint8_t *data, *wav;
	size_t len, wav_len, n, got = 0;
	uint32_t ms;
	long r;

	snprintf(fx->in, sizeof(fx->in), "%s/t.wav", fx->dir);
	make_input(fx->in, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 1, 1.0,
		   500, false);
	assert_int_equal(pawlink_audio_to_opus(fx->in, fx->out, &ms, fx->err,
					       sizeof(fx->err)), 0);
	data = load(fx->out, &len);
	assert_int_equal(pawlink_audio_decode(data, len, &whole, &n, fx->err,
					      sizeof(fx->err)), 0);
	/* Streaming in 10 ms periods gives the same samples. */
	assert_int_equal(pawlink_audio_decoder_open(&dec, data, len, fx->err,
						    sizeof(fx->err)), 0);
	assert_int_equal(pawlink_audio_decoder_frames(dec), n);
	while ((r = pawlink_audio_decoder_read(dec, period,
					       PAWLINK_AUDIO_PERIOD_FRAMES)) > 0) {
		assert_true(got + (size_t)r <= n);
		assert_memory_equal(period, whole + got,
				    (size_t)r * sizeof(int16_t));
		got += (size_t)r;
	}
	assert_int_equal(r, 0);
	assert_int_equal(got, n);
	pawlink_audio_decoder_close(dec);
	free(whole);

	/* Audio, but not a message: a WAV is refused. */
	wav = load(fx->in, &wav_len);
	assert_int_equal(pawlink_audio_decode(wav, wav_len, &pcm, &n, fx->err,
					      sizeof(fx->err)), -EMEDIUMTYPE);
	assert_null(pcm);
	free(wav);
	/* A truncated or damaged message. */
	assert_int_equal(pawlink_audio_decode(data, 20, &pcm, &n, fx->err,
					      sizeof(fx->err)), -EMEDIUMTYPE);
	assert_int_equal(pawlink_audio_decode(data, 0, &pcm, &n, fx->err,
					      sizeof(fx->err)), -EMEDIUMTYPE);
	free(data);
}

static void test_pcm_to_opus(void **state)
{
	struct fixture *fx = *state;
	int16_t *pcm, *back;
	uint32_t ms;
	size_t i, n;

	pcm = malloc(16000 * sizeof(*pcm));
	assert_non_null(pcm);
	for (i = 0; i < 16000; i++)
		pcm[i] = (int16_t)(16000 * sin(2 * M_PI * 750 * (double)i /
					       16000));
	assert_int_equal(pawlink_audio_pcm_to_opus(pcm, 16000, fx->out, &ms,
						   fx->err, sizeof(fx->err)),
			 0);
	back = check_message(fx->out, 1.0, ms, &n);
	assert_true(fabs(pitch(back, n) - 750) < 15);
	free(back);
	assert_int_equal(pawlink_audio_pcm_to_opus(pcm, 0, fx->out, &ms,
						   fx->err, sizeof(fx->err)),
			 -ENODATA);
	assert_int_equal(pawlink_audio_pcm_to_opus(pcm,
						   PAWLINK_AUDIO_MSG_MAX_FRAMES
						   + 1, fx->out, &ms, fx->err,
						   sizeof(fx->err)), -EFBIG);
	free(pcm);
}

static void test_message_object(void **state)
{
	static const uint8_t host[PAWLINK_ID_LEN] = { 1, 1, 2, 3, 5, 8, 13, 21 };
	struct fixture *fx = *state;
	struct pawlink_msg_info info;
	uint8_t *data;
	uint32_t ms;
	size_t len;

	/* From any file to the metadata the host sends with a put. */
	snprintf(fx->in, sizeof(fx->in), "%s/m.flac", fx->dir);
	make_input(fx->in, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 44100, 2, 3.0,
		   440, false);
	assert_int_equal(pawlink_audio_to_opus(fx->in, fx->out, &ms, fx->err,
					       sizeof(fx->err)), 0);
	data = load(fx->out, &len);
	assert_int_equal(pawlink_msg_info_create(&info, host, 1700000000, ms,
						 data, len), PAWLINK_MSG_OK);
	assert_int_equal(info.duration_ms, ms);
	assert_int_equal(info.size, len);
	assert_int_equal(pawlink_msg_info_verify(&info, data, len),
			 PAWLINK_MSG_OK);
	free(data);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_wav_44k_stereo),
		T(test_flac_48k_mono),
		T(test_ogg_vorbis_22k_stereo),
		T(test_ogg_opus_48k_stereo),
		T(test_mp3_44k_mono),
		T(test_wav_16k_and_8k),
		T(test_downmix_is_the_mean),
		T(test_five_minute_limit),
		T(test_bad_inputs),
		T(test_decoder),
		T(test_pcm_to_opus),
		T(test_message_object),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
