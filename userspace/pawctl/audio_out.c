// SPDX-License-Identifier: GPL-2.0
/*
 * The audio pawctl writes (get's decoded message, record's microphone):
 * which format an output name asks for, one rule for both commands, and
 * a writer that streams, period by period, through libsndfile.
 *
 * libsndfile writes WAV only where it can seek back to fill in the
 * lengths ("this file format does not support pipe write"), so on a pipe
 * the header is written here, once, with the lengths unknown as arecord
 * writes them, and the samples follow as they come: a reader such as
 * aplay plays until the stream ends.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sndfile.h>

#include "pawctl.h"

/* The largest lengths a RIFF header holds that players take for "open". */
#define WAV_UNKNOWN_LEN		0x7fffffffu
#define WAV_HEADER_LEN		44

/* The extensions each format answers to; .ogg is Vorbis, .opus is Opus. */
static const struct {
	const char *ext;
	enum pawctl_audio_format fmt;
} audio_exts[] = {
	{ ".wav", PAWCTL_FORMAT_WAV },
	{ ".flac", PAWCTL_FORMAT_FLAC },
	{ ".ogg", PAWCTL_FORMAT_OGG_VORBIS },
	{ ".opus", PAWCTL_FORMAT_OGG_OPUS },
};

int pawctl_audio_format(struct pawctl *c, const char *path,
			enum pawctl_audio_format dash,
			enum pawctl_audio_format *fmt)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash : path, '.');
	size_t i;

	if (!strcmp(path, "-")) {
		*fmt = dash;
		return 0;
	}
	for (i = 0; dot && i < ARRAY_SIZE(audio_exts); i++) {
		if (!strcasecmp(dot, audio_exts[i].ext)) {
			*fmt = audio_exts[i].fmt;
			return 0;
		}
	}
	return pawctl_fail(c, PAWCTL_EXIT_USAGE,
			   "cannot tell the format from '%s': name it .wav, .flac, .ogg (Ogg Vorbis) or .opus (Ogg Opus), or '-' for stdout",
			   path);
}

const char *pawctl_audio_format_name(enum pawctl_audio_format fmt)
{
	switch (fmt) {
	case PAWCTL_FORMAT_WAV:
		return "wav";
	case PAWCTL_FORMAT_FLAC:
		return "flac";
	case PAWCTL_FORMAT_OGG_VORBIS:
		return "ogg-vorbis";
	case PAWCTL_FORMAT_OGG_OPUS:
		break;
	}
	return "ogg-opus";
}

/* libsndfile's major format and encoding for @fmt, 16-bit where it has bits. */
static int sndfile_format(enum pawctl_audio_format fmt)
{
	switch (fmt) {
	case PAWCTL_FORMAT_WAV:
		return SF_FORMAT_WAV | SF_FORMAT_PCM_16;
	case PAWCTL_FORMAT_FLAC:
		return SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
	case PAWCTL_FORMAT_OGG_VORBIS:
		return SF_FORMAT_OGG | SF_FORMAT_VORBIS;
	case PAWCTL_FORMAT_OGG_OPUS:
		break;
	}
	return SF_FORMAT_OGG | SF_FORMAT_OPUS;
}

static void put_le(uint8_t *p, uint32_t v, unsigned int bytes)
{
	unsigned int i;

	for (i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static int write_all(int fd, const uint8_t *data, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* 16 kHz mono 16-bit PCM, lengths unknown. */
static int write_pipe_header(int fd)
{
	uint8_t h[WAV_HEADER_LEN];

	memcpy(h, "RIFF", 4);
	put_le(h + 4, WAV_UNKNOWN_LEN, 4);
	memcpy(h + 8, "WAVEfmt ", 8);
	put_le(h + 16, 16, 4);			/* fmt chunk size */
	put_le(h + 20, 1, 2);			/* PCM */
	put_le(h + 22, 1, 2);			/* mono */
	put_le(h + 24, PAWLINK_AUDIO_RATE, 4);
	put_le(h + 28, PAWLINK_AUDIO_RATE * 2, 4);	/* bytes a second */
	put_le(h + 32, 2, 2);			/* bytes a frame */
	put_le(h + 34, 16, 2);			/* bits a sample */
	memcpy(h + 36, "data", 4);
	put_le(h + 40, WAV_UNKNOWN_LEN - (WAV_HEADER_LEN - 8), 4);
	return write_all(fd, h, sizeof(h));
}

static int out_error(struct pawctl *c, struct pawctl_audio_out *ao, int err)
{
	if (err == -EPIPE) {
		ao->reader_gone = true;
		return pawctl_fail(c, PAWCTL_EXIT_IO,
				   "the reader of stdout went away");
	}
	return pawctl_fail(c, PAWCTL_EXIT_IO, "cannot write '%s': %s",
			   ao->name, strerror(-err));
}

int pawctl_audio_out_open(struct pawctl *c, struct pawctl_audio_out *ao,
			  int fd, const char *name,
			  enum pawctl_audio_format fmt)
{
	SF_INFO info = {
		.samplerate = PAWLINK_AUDIO_RATE,
		.channels = 1,
		.format = sndfile_format(fmt),
	};
	int rc;

	memset(ao, 0, sizeof(*ao));
	ao->fd = fd;
	ao->name = name;
	if (lseek(fd, 0, SEEK_CUR) < 0 && errno == ESPIPE) {
		if (fmt != PAWCTL_FORMAT_WAV)
			return pawctl_fail(c, PAWCTL_EXIT_USAGE,
					   "only WAV can be streamed to a pipe");
		ao->pipe = true;
		rc = write_pipe_header(fd);
		return rc ? out_error(c, ao, rc) : 0;
	}
	/* SF_FALSE: the descriptor stays the caller's, for fsync and rename. */
	ao->sf = sf_open_fd(fd, SFM_WRITE, &info, SF_FALSE);
	if (!ao->sf)
		return pawctl_fail(c, PAWCTL_EXIT_IO, "cannot write '%s': %s",
				   name, sf_strerror(NULL));
	return 0;
}

int pawctl_audio_out_write(struct pawctl *c, struct pawctl_audio_out *ao,
			   const int16_t *pcm, size_t frames)
{
	uint8_t le[2 * PAWLINK_AUDIO_PERIOD_FRAMES];
	size_t i, n;
	int rc;

	if (ao->sf) {
		if (sf_writef_short(ao->sf, pcm, (sf_count_t)frames) !=
		    (sf_count_t)frames)
			return pawctl_fail(c, PAWCTL_EXIT_IO,
					   "cannot write '%s': %s", ao->name,
					   sf_strerror(ao->sf));
		ao->frames += frames;
		return 0;
	}
	while (frames) {
		n = frames < PAWLINK_AUDIO_PERIOD_FRAMES ? frames :
		    PAWLINK_AUDIO_PERIOD_FRAMES;
		for (i = 0; i < n; i++)
			put_le(le + 2 * i, (uint16_t)pcm[i], 2);
		rc = write_all(ao->fd, le, 2 * n);
		if (rc)
			return out_error(c, ao, rc);
		ao->frames += n;
		pcm += n;
		frames -= n;
	}
	return 0;
}

int pawctl_audio_out_close(struct pawctl *c, struct pawctl_audio_out *ao)
{
	int rc;

	if (!ao->sf)
		return 0;
	rc = sf_close(ao->sf);
	ao->sf = NULL;
	if (rc)
		return pawctl_fail(c, PAWCTL_EXIT_IO,
				   "cannot write '%s': %s", ao->name,
				   sf_error_number(rc));
	return 0;
}
