// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side audio conversion for voice messages; see audio_convert.h.
 * libsndfile reads and writes every container, libsamplerate resamples.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <samplerate.h>
#include <sndfile.h>

#include "audio_convert.h"
#include "bytes.h"

#define BLOCK_FRAMES		4096
#define MAX_CHANNELS		64
#define MIN_RATE		1000
#define MAX_RATE		768000
/* Room for libsamplerate's output per BLOCK_FRAMES of input, up-sampling. */
#define OUT_FRAMES		(BLOCK_FRAMES * (PAWLINK_AUDIO_MSG_RATE / \
						 MIN_RATE + 1))

/* ---- the Ogg Opus writer ------------------------------------------------ */

struct opus_writer {
	char tmp[PATH_MAX];
	int fd;
	SNDFILE *sf;
	uint64_t frames;
};

static int writer_open(struct opus_writer *w, const char *out_path,
		       char *err, size_t err_len)
{
	SF_INFO info = {
		.samplerate = PAWLINK_AUDIO_MSG_RATE,
		.channels = 1,
		.format = SF_FORMAT_OGG | SF_FORMAT_OPUS,
	};
	double level = PAWLINK_AUDIO_OPUS_LEVEL;
	int n, e;

	memset(w, 0, sizeof(*w));
	n = snprintf(w->tmp, sizeof(w->tmp), "%s.tmpXXXXXX", out_path);
	if (n < 0 || (size_t)n >= sizeof(w->tmp)) {
		pawlink_errf(err, err_len, "%s: path too long", out_path);
		return -ENAMETOOLONG;
	}
	w->fd = mkstemp(w->tmp);
	if (w->fd < 0) {
		e = errno;
		pawlink_errf(err, err_len, "%s: cannot create: %s", out_path,
			     strerror(e));
		return -e;
	}
	w->sf = sf_open_fd(w->fd, SFM_WRITE, &info, SF_FALSE);
	if (!w->sf) {
		pawlink_errf(err, err_len, "%s: cannot start Ogg Opus: %s",
			     out_path, sf_strerror(NULL));
		goto out_unlink;
	}
	if (sf_command(w->sf, SFC_SET_COMPRESSION_LEVEL, &level,
		       sizeof(level)) != SF_TRUE) {
		pawlink_errf(err, err_len, "%s: cannot set the Opus level",
			     out_path);
		sf_close(w->sf);
		goto out_unlink;
	}
	return 0;

out_unlink:
	close(w->fd);
	unlink(w->tmp);
	return -EIO;
}

static void writer_abort(struct opus_writer *w)
{
	if (w->sf)
		sf_close(w->sf);
	close(w->fd);
	unlink(w->tmp);
	w->sf = NULL;
}

/* Counts what is written so no message passes 5 minutes. */
static int writer_account(struct opus_writer *w, size_t n, const char *name,
			  char *err, size_t err_len)
{
	if (w->frames + n > PAWLINK_AUDIO_MSG_MAX_FRAMES) {
		pawlink_errf(err, err_len, "%s: longer than 5 minutes", name);
		return -EFBIG;
	}
	w->frames += n;
	return 0;
}

static int writer_float(struct opus_writer *w, const float *buf, size_t n,
			const char *name, char *err, size_t err_len)
{
	int e = writer_account(w, n, name, err, err_len);

	if (e)
		return e;
	if (sf_writef_float(w->sf, buf, (sf_count_t)n) != (sf_count_t)n) {
		pawlink_errf(err, err_len, "writing Ogg Opus: %s",
			     sf_strerror(w->sf));
		return -EIO;
	}
	return 0;
}

/* Closes the stream, makes it durable and moves it into place. */
static int writer_finish(struct opus_writer *w, const char *out_path,
			 uint32_t *duration_ms, const char *name, char *err,
			 size_t err_len)
{
	int e;

	if (w->frames == 0) {
		pawlink_errf(err, err_len, "%s: no audio in it", name);
		writer_abort(w);
		return -ENODATA;
	}
	e = sf_close(w->sf);
	w->sf = NULL;
	if (e != 0 || fsync(w->fd) != 0) {
		pawlink_errf(err, err_len, "%s: cannot write", out_path);
		writer_abort(w);
		return -EIO;
	}
	close(w->fd);
	if (rename(w->tmp, out_path) != 0) {
		e = errno;
		pawlink_errf(err, err_len, "%s: cannot rename into place: %s",
			     out_path, strerror(e));
		unlink(w->tmp);
		return -e;
	}
	*duration_ms = (uint32_t)((w->frames * 1000 +
				   PAWLINK_AUDIO_MSG_RATE / 2) /
				  PAWLINK_AUDIO_MSG_RATE);
	if (*duration_ms == 0)
		*duration_ms = 1;
	return 0;
}

/* ---- file to message ---------------------------------------------------- */

struct convert {
	SNDFILE *in;
	SF_INFO info;
	SRC_STATE *src;			/* NULL when already 16 kHz */
	double ratio;
	float *frames;			/* interleaved input block */
	float *mono;
	float *out;
	uint64_t read;
};

static int open_input(struct convert *c, const char *path, int *fd_out,
		      char *err, size_t err_len)
{
	struct stat sb;
	int fd = -1, e;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		pawlink_errf(err, err_len, "%s: %s", path, strerror(e));
		return -e;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		pawlink_errf(err, err_len, "%s: not a regular file", path);
		close(fd);
		return -EINVAL;
	}
	memset(&c->info, 0, sizeof(c->info));
	c->in = sf_open_fd(fd, SFM_READ, &c->info, SF_FALSE);
	if (!c->in) {
		pawlink_errf(err, err_len,
			     "%s: not an audio file libsndfile can read (%s)",
			     path, sf_strerror(NULL));
		close(fd);
		return -EMEDIUMTYPE;
	}
	if (c->info.channels < 1 || c->info.channels > MAX_CHANNELS ||
	    c->info.samplerate < MIN_RATE || c->info.samplerate > MAX_RATE) {
		pawlink_errf(err, err_len,
			     "%s: unsupported audio (%d channels at %d Hz)",
			     path, c->info.channels, c->info.samplerate);
		sf_close(c->in);
		close(fd);
		return -EMEDIUMTYPE;
	}
	*fd_out = fd;
	return 0;
}

/* Longer than 5 minutes at the input's own rate (header or counted). */
static bool input_too_long(const struct convert *c, uint64_t frames)
{
	return frames * 1000 >
	       (uint64_t)PAWLINK_MSG_DURATION_MAX_MS *
	       (uint64_t)c->info.samplerate;
}

/* Resamples (or copies) @n mono frames, @eof last, and writes them. */
static int emit(struct convert *c, struct opus_writer *w, long n, bool eof,
		const char *name, char *err, size_t err_len)
{
	SRC_DATA d = { 0 };
	long i;
	int e;

	if (!c->src)
		return n ? writer_float(w, c->mono, (size_t)n, name, err,
					err_len) : 0;
	d.data_in = c->mono;
	d.input_frames = n;
	d.src_ratio = c->ratio;
	d.end_of_input = eof;
	do {
		d.data_out = c->out;
		d.output_frames = OUT_FRAMES;
		e = src_process(c->src, &d);
		if (e) {
			pawlink_errf(err, err_len, "%s: resampling: %s", name,
				     src_strerror(e));
			return -EIO;
		}
		/* Resampling can overshoot full scale a little. */
		for (i = 0; i < d.output_frames_gen; i++) {
			if (c->out[i] > 1.0f)
				c->out[i] = 1.0f;
			else if (c->out[i] < -1.0f)
				c->out[i] = -1.0f;
		}
		e = writer_float(w, c->out, (size_t)d.output_frames_gen, name,
				 err, err_len);
		if (e)
			return e;
		d.data_in += d.input_frames_used;
		d.input_frames -= d.input_frames_used;
	} while (d.input_frames > 0 || (eof && d.output_frames_gen > 0));
	return 0;
}

static int pump(struct convert *c, struct opus_writer *w, const char *name,
		char *err, size_t err_len)
{
	int ch = c->info.channels, k, e;
	sf_count_t n, i;
	float sum;

	for (;;) {
		n = sf_readf_float(c->in, c->frames, BLOCK_FRAMES);
		if (n < 0 || (n < BLOCK_FRAMES &&
			      sf_error(c->in) != SF_ERR_NO_ERROR)) {
			pawlink_errf(err, err_len, "%s: read error: %s", name,
				     sf_strerror(c->in));
			return -EIO;
		}
		c->read += (uint64_t)n;
		if (input_too_long(c, c->read)) {
			pawlink_errf(err, err_len, "%s: longer than 5 minutes",
				     name);
			return -EFBIG;
		}
		/* Mono: the mean of all channels. */
		for (i = 0; i < n; i++) {
			sum = 0;
			for (k = 0; k < ch; k++)
				sum += c->frames[i * ch + k];
			c->mono[i] = sum / (float)ch;
		}
		e = emit(c, w, (long)n, n == 0, name, err, err_len);
		if (e || n == 0)
			return e;
	}
}

int pawlink_audio_to_opus(const char *in_path, const char *out_path,
			  uint32_t *duration_ms, char *err, size_t err_len)
{
	struct convert c = { 0 };
	struct opus_writer w;
	int fd = -1, e;

	*duration_ms = 0;
	e = open_input(&c, in_path, &fd, err, err_len);
	if (e)
		return e;
	if (c.info.frames > 0 && c.info.frames != SF_COUNT_MAX &&
	    input_too_long(&c, (uint64_t)c.info.frames)) {
		pawlink_errf(err, err_len, "%s: longer than 5 minutes",
			     in_path);
		e = -EFBIG;
		goto out_close;
	}
	c.frames = malloc(sizeof(float) * BLOCK_FRAMES *
			  (size_t)c.info.channels);
	c.mono = malloc(sizeof(float) * BLOCK_FRAMES);
	c.out = malloc(sizeof(float) * OUT_FRAMES);
	if (!c.frames || !c.mono || !c.out) {
		pawlink_errf(err, err_len, "out of memory");
		e = -ENOMEM;
		goto out_free;
	}
	if (c.info.samplerate != PAWLINK_AUDIO_MSG_RATE) {
		c.ratio = (double)PAWLINK_AUDIO_MSG_RATE / c.info.samplerate;
		c.src = src_new(SRC_SINC_MEDIUM_QUALITY, 1, &e);
		if (!c.src) {
			pawlink_errf(err, err_len, "resampler: %s",
				     src_strerror(e));
			e = -ENOMEM;
			goto out_free;
		}
	}
	e = writer_open(&w, out_path, err, err_len);
	if (e)
		goto out_src;
	e = pump(&c, &w, in_path, err, err_len);
	if (e)
		writer_abort(&w);
	else
		e = writer_finish(&w, out_path, duration_ms, in_path, err,
				  err_len);
out_src:
	if (c.src)
		src_delete(c.src);
out_free:
	free(c.frames);
	free(c.mono);
	free(c.out);
out_close:
	sf_close(c.in);
	close(fd);
	return e;
}

int pawlink_audio_pcm_to_opus(const int16_t *pcm, size_t frames,
			      const char *out_path, uint32_t *duration_ms,
			      char *err, size_t err_len)
{
	struct opus_writer w;
	int e;

	*duration_ms = 0;
	if (frames > PAWLINK_AUDIO_MSG_MAX_FRAMES) {
		pawlink_errf(err, err_len, "recording longer than 5 minutes");
		return -EFBIG;
	}
	e = writer_open(&w, out_path, err, err_len);
	if (e)
		return e;
	w.frames = frames;
	if (frames && sf_writef_short(w.sf, pcm, (sf_count_t)frames) !=
		      (sf_count_t)frames) {
		pawlink_errf(err, err_len, "writing Ogg Opus: %s",
			     sf_strerror(w.sf));
		writer_abort(&w);
		return -EIO;
	}
	return writer_finish(&w, out_path, duration_ms, "recording", err,
			     err_len);
}

/* ---- message to PCM ----------------------------------------------------- */

struct pawlink_audio_decoder {
	SNDFILE *sf;
	SF_INFO info;
	const uint8_t *data;
	sf_count_t len;
	sf_count_t pos;
};

static sf_count_t mem_len(void *ctx)
{
	return ((struct pawlink_audio_decoder *)ctx)->len;
}

static sf_count_t mem_seek(sf_count_t off, int whence, void *ctx)
{
	struct pawlink_audio_decoder *d = ctx;
	sf_count_t base = whence == SEEK_SET ? 0 :
			  whence == SEEK_CUR ? d->pos : d->len;

	if ((whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) ||
	    off < -base || off > d->len - base)
		return -1;
	d->pos = base + off;
	return d->pos;
}

static sf_count_t mem_read(void *buf, sf_count_t count, void *ctx)
{
	struct pawlink_audio_decoder *d = ctx;
	sf_count_t n = d->len - d->pos < count ? d->len - d->pos : count;

	if (n <= 0)
		return 0;
	memcpy(buf, d->data + d->pos, (size_t)n);
	d->pos += n;
	return n;
}

static sf_count_t mem_write(const void *buf, sf_count_t count, void *ctx)
{
	(void)buf;
	(void)count;
	(void)ctx;
	return 0;	/* read-only */
}

static sf_count_t mem_tell(void *ctx)
{
	return ((struct pawlink_audio_decoder *)ctx)->pos;
}

static SF_VIRTUAL_IO mem_io = {
	.get_filelen = mem_len,
	.seek = mem_seek,
	.read = mem_read,
	.write = mem_write,
	.tell = mem_tell,
};

int pawlink_audio_decoder_open(struct pawlink_audio_decoder **out,
			       const uint8_t *data, size_t len, char *err,
			       size_t err_len)
{
	struct pawlink_audio_decoder *d;

	*out = NULL;
	if (!data || len == 0 || len > PAWLINK_MSG_SIZE_MAX) {
		pawlink_errf(err, err_len, "message: empty or too large");
		return -EMEDIUMTYPE;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		pawlink_errf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	d->data = data;
	d->len = (sf_count_t)len;
	d->sf = sf_open_virtual(&mem_io, SFM_READ, &d->info, d);
	if (!d->sf) {
		pawlink_errf(err, err_len, "message: not audio (%s)",
			     sf_strerror(NULL));
		free(d);
		return -EMEDIUMTYPE;
	}
	if ((d->info.format & SF_FORMAT_TYPEMASK) != SF_FORMAT_OGG ||
	    (d->info.format & SF_FORMAT_SUBMASK) != SF_FORMAT_OPUS ||
	    d->info.samplerate != PAWLINK_AUDIO_MSG_RATE ||
	    d->info.channels != 1) {
		pawlink_errf(err, err_len,
			     "message: not Ogg Opus, 16 kHz, mono");
		sf_close(d->sf);
		free(d);
		return -EMEDIUMTYPE;
	}
	*out = d;
	return 0;
}

long pawlink_audio_decoder_read(struct pawlink_audio_decoder *dec,
				int16_t *pcm, size_t frames)
{
	sf_count_t n = sf_readf_short(dec->sf, pcm, (sf_count_t)frames);

	if (n < 0 || ((size_t)n < frames &&
		      sf_error(dec->sf) != SF_ERR_NO_ERROR))
		return -EIO;
	return (long)n;
}

uint64_t pawlink_audio_decoder_frames(const struct pawlink_audio_decoder *dec)
{
	return dec->info.frames > 0 ? (uint64_t)dec->info.frames : 0;
}

void pawlink_audio_decoder_close(struct pawlink_audio_decoder *dec)
{
	if (!dec)
		return;
	sf_close(dec->sf);
	free(dec);
}

int pawlink_audio_decode(const uint8_t *data, size_t len, int16_t **pcm,
			 size_t *frames, char *err, size_t err_len)
{
	/* One 10 ms period of slack over 5 minutes, for codec rounding. */
	const size_t cap = PAWLINK_AUDIO_MSG_MAX_FRAMES +
			   PAWLINK_AUDIO_PERIOD_FRAMES;
	struct pawlink_audio_decoder *dec;
	size_t got = 0, want;
	int16_t *buf;
	long n;
	int e;

	*pcm = NULL;
	*frames = 0;
	e = pawlink_audio_decoder_open(&dec, data, len, err, err_len);
	if (e)
		return e;
	want = pawlink_audio_decoder_frames(dec);
	if (want > cap) {
		pawlink_errf(err, err_len, "message: longer than 5 minutes");
		e = -EFBIG;
		goto out_close;
	}
	/* The header's count, plus room to notice a stream that lies. */
	buf = malloc((want + BLOCK_FRAMES) * sizeof(*buf));
	if (!buf) {
		pawlink_errf(err, err_len, "out of memory");
		e = -ENOMEM;
		goto out_close;
	}
	for (;;) {
		n = pawlink_audio_decoder_read(dec, buf + got,
					       want + BLOCK_FRAMES - got);
		if (n < 0) {
			pawlink_errf(err, err_len, "message: decode error");
			e = -EIO;
			break;
		}
		got += (size_t)n;
		if (n == 0)
			break;
		if (got == want + BLOCK_FRAMES) {
			pawlink_errf(err, err_len,
				     "message: longer than its header says");
			e = -EMEDIUMTYPE;
			break;
		}
	}
	if (!e && got == 0) {
		pawlink_errf(err, err_len, "message: no audio in it");
		e = -ENODATA;
	}
	if (e) {
		free(buf);
	} else {
		*pcm = buf;
		*frames = got;
	}
out_close:
	pawlink_audio_decoder_close(dec);
	return e;
}

int pawlink_audio_message_open(const uint8_t *obj, size_t len, void **dec)
{
	struct pawlink_audio_decoder *d;
	char err[128];
	int rc;

	/* The platform has no one to tell why: the toy counts the failure. */
	rc = pawlink_audio_decoder_open(&d, obj, len, err, sizeof(err));
	if (rc)
		return rc;
	*dec = d;
	return 0;
}

long pawlink_audio_message_read(void *dec, int16_t *pcm, size_t frames)
{
	return pawlink_audio_decoder_read(dec, pcm, frames);
}

void pawlink_audio_message_close(void *dec)
{
	pawlink_audio_decoder_close(dec);
}
