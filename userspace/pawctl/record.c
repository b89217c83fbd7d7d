// SPDX-License-Identifier: GPL-2.0
/*
 * pawctl record TOY -o FILE [--seconds N]: the toy's microphone into an
 * audio file, or with "-o -" a WAV stream on stdout.  The toy lights its
 * LED and logs the start before it sends a sample (pawctl log shows it);
 * pawctl stops the microphone when done.  Each 10 ms period is written as
 * it arrives, so nothing is held in memory and stdout plays live
 * ("pawctl record bear -o - | aplay").  Interrupted, or when the reader
 * of stdout goes away, what was written stays valid.  Through a dongle
 * the microphone is the dongle's sound card (arecord), not this command.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "pawctl.h"

#define RECORD_DEFAULT_S	5
#define RECORD_MAX_S		300
/* The toy sends a period every 10 ms: this long without one is a loss. */
#define RECORD_WAIT_MS		2000
/*
 * The toy ends a session on which the host sent nothing for 5 minutes
 * (the microphone's stream is the toy's, not ours): a STATUS this often
 * keeps a long recording's session alive.  Audio arriving meanwhile is
 * queued by the transport, so no sample is lost to it.
 */
#define RECORD_KEEPALIVE_FRAMES	(60 * PAWLINK_AUDIO_RATE)

struct capture {
	uint64_t total;			/* frames to record; 0: until stopped */
	uint64_t got;
	int read_rc;			/* why it stopped: 0, -EINTR, ... */
};

/*
 * Reads the microphone a period at a time into @ao until @cap->total, an
 * interruption, or a failure.  0 or an exit code (writing failed).
 */
static int capture(struct pawctl *c, struct pawctl_audio_out *ao,
		   struct capture *cap)
{
	int16_t pcm[PAWLINK_AUDIO_PERIOD_FRAMES];
	struct pawlink_toy_status_info st;
	struct pawctl_progress pr;
	unsigned int peak = 0;
	size_t i;
	int rc = 0;

	pawctl_progress_start(c, &pr, "recording");
	while ((!cap->total || cap->got < cap->total) &&
	       !pawctl_interrupted()) {
		cap->read_rc = pawlink_mic_read(c->p, pcm, RECORD_WAIT_MS);
		if (cap->read_rc)
			break;
		rc = pawctl_audio_out_write(c, ao, pcm, ARRAY_SIZE(pcm));
		if (rc)
			break;
		cap->got += ARRAY_SIZE(pcm);
		if (cap->got % RECORD_KEEPALIVE_FRAMES == 0) {
			cap->read_rc = pawlink_status(c->p, &st);
			if (cap->read_rc)
				break;
		}
		for (i = 0; i < ARRAY_SIZE(pcm); i++)
			if ((unsigned int)abs(pcm[i]) > peak)
				peak = (unsigned int)abs(pcm[i]);
		/* The meter shows the loudest sample since it was drawn. */
		if (pr.on) {
			uint64_t drawn = pr.last_ns;

			pawctl_progress_seconds(&pr, cap->got, cap->total, peak);
			if (pr.last_ns != drawn)
				peak = 0;
		}
	}
	pawctl_progress_end(&pr);
	if (pawctl_interrupted())
		cap->read_rc = -EINTR;
	return rc;
}

static int record_run(struct pawctl *c, int argc, char *argv[])
{
	const char *out = NULL, *seconds_arg = NULL;
	const struct pawctl_opt opts[] = {
		{ .name = "output", .short_name = 'o', .arg = &out },
		{ .name = "seconds", .arg = &seconds_arg },
		{ .name = NULL },
	};
	struct pawctl_outfile of = { .fd = -1 };
	enum pawctl_audio_format fmt;
	unsigned long seconds = RECORD_DEFAULT_S;
	struct pawctl_audio_out ao = { 0 };
	struct capture cap = { 0 };
	int16_t probe[PAWLINK_AUDIO_PERIOD_FRAMES];
	int rc, write_rc;

	if (!pawctl_parse(c, argc, argv, opts, 1, 1))
		return c->exit;
	if (!out)
		return pawctl_fail(c, PAWCTL_EXIT_USAGE,
				   "record needs -o FILE.wav (or .flac, .ogg, .opus, or -o - for stdout): where to put the recording");
	if (seconds_arg &&
	    pawlink_parse_uint(seconds_arg, 1, RECORD_MAX_S, &seconds))
		return pawctl_fail(c, PAWCTL_EXIT_USAGE,
				   "--seconds takes a whole number from 1 to %d",
				   RECORD_MAX_S);
	if (pawctl_audio_format(c, out, PAWCTL_FORMAT_WAV, &fmt))
		return PAWCTL_EXIT_USAGE;
	/* To stdout with no --seconds: until interrupted or nobody reads. */
	if (seconds_arg || strcmp(out, "-"))
		cap.total = (uint64_t)seconds * PAWLINK_AUDIO_RATE;
	rc = pawctl_lookup_toy(c, c->operand[0]);
	if (!rc)
		rc = pawctl_outfile_open(c, &of, out);
	if (rc)
		goto out;
	/* A reader that goes away is an end (EPIPE), not a kill. */
	if (of.is_stdout)
		signal(SIGPIPE, SIG_IGN);
	/*
	 * Through a dongle the microphone is the sound card's: said before
	 * the toy lights its LED and logs a start for nothing.
	 */
	rc = pawctl_open_link(c);
	if (rc)
		goto out;
	cap.read_rc = pawlink_mic_read(c->p, probe, 0);
	if (cap.read_rc == -EOPNOTSUPP) {
		rc = pawctl_lib_fail(c, cap.read_rc);
		goto out;
	}
	rc = pawctl_connect(c, c->operand[0], NULL);
	if (rc)
		goto out;
	rc = pawctl_audio_out_open(c, &ao, of.fd, of.path, fmt);
	if (rc)
		goto out;
	rc = pawlink_mic_start(c->p);
	if (rc) {
		rc = pawctl_lib_fail(c, rc);
		goto out_close_audio;
	}
	if (cap.total)
		pawctl_info(c, "recording %lu s from %s (its LED is lit)",
			    seconds, c->toy_label);
	else
		pawctl_info(c, "recording from %s until interrupted (its LED is lit)",
			    c->toy_label);
	cap.read_rc = 0;
	write_rc = capture(c, &ao, &cap);
	/*
	 * Stopped either way.  If this goes unanswered, the session's end
	 * (BYE, or the toy's idle limit) stops it too.
	 */
	pawlink_mic_stop(c->p);
	if (write_rc && !ao.reader_gone) {
		rc = write_rc;
		goto out_close_audio;
	}
	if (cap.read_rc && cap.read_rc != -EINTR) {
		rc = pawctl_lib_fail(c, cap.read_rc);
		goto out_close_audio;
	}
	rc = pawctl_audio_out_close(c, &ao);
	if (!rc)
		rc = pawctl_outfile_commit(c, &of);
	if (rc)
		goto out;
	if (cap.read_rc == -EINTR) {
		rc = pawctl_fail(c, PAWCTL_EXIT_INTERRUPTED,
				 "interrupted: kept %.2f s in %s",
				 (double)cap.got / PAWLINK_AUDIO_RATE, of.path);
		goto out;
	}
	if (ao.reader_gone)
		pawctl_info(c, "the reader of stdout went away after %.2f s",
			    (double)cap.got / PAWLINK_AUDIO_RATE);
	else
		pawctl_info(c, "wrote %s", of.path);
	/* On stdout the recording itself is the result. */
	if (!of.is_stdout)
		pawctl_out(c, "%s\n", of.path);
	pawctl_json_str(&c->j, "file", of.path);
	pawctl_json_str(&c->j, "format", pawctl_audio_format_name(fmt));
	pawctl_json_u64(&c->j, "rate", PAWLINK_AUDIO_RATE);
	pawctl_json_u64(&c->j, "frames", cap.got);
	pawctl_json_u64(&c->j, "duration_ms",
			cap.got * 1000 / PAWLINK_AUDIO_RATE);
	goto out;

out_close_audio:
	pawctl_audio_out_close(c, &ao);
out:
	pawctl_outfile_abort(&of);
	return rc;
}

const struct pawctl_command pawctl_cmd_record = {
	.name = "record",
	.run = record_run,
	.synopsis = "record TOY -o FILE.wav|.flac|.ogg|.opus|- [--seconds N]",
	.summary = "record the toy's microphone into an audio file or a WAV stream on stdout (the toy lights its LED and logs it)",
	.options =
		"  -o, --output FILE  16 kHz mono, as FILE's extension says: .wav (WAV),\n"
		"                     .flac (FLAC), .ogg (Ogg Vorbis), .opus (Ogg Opus);\n"
		"                     or '-': a WAV stream on stdout, written as it is\n"
		"                     recorded (pawctl record TOY -o - | aplay)\n"
		"  --seconds N        how long (1-300); default 5, or with -o - until\n"
		"                     interrupted or the reader goes away\n",
};
