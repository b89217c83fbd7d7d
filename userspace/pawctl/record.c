// SPDX-License-Identifier: GPL-2.0
/*
 * pawctl record TOY -o FILE.wav [--seconds N]: the toy's microphone into
 * a WAV file.  The toy lights its LED and logs the start before it sends
 * a sample (pawctl log shows it); pawctl stops the microphone when done.
 * An interrupted recording keeps what had arrived.  Through a dongle the
 * microphone is the dongle's sound card (arecord), not this command.
 */
#include <errno.h>
#include <stdlib.h>

#include "pawctl.h"

#define RECORD_DEFAULT_S	5
#define RECORD_MAX_S		300
/* The toy sends a period every 10 ms: this long without one is a loss. */
#define RECORD_WAIT_MS		2000

/* Reads @total samples, or fewer if stopped: 0 or a negative errno. */
static int capture(struct pawctl *c, int16_t *pcm, size_t total,
		   size_t *got)
{
	int rc = 0;

	for (*got = 0; *got < total && !pawctl_interrupted();
	     *got += PAWLINK_AUDIO_PERIOD_FRAMES) {
		rc = pawlink_mic_read(c->p, pcm + *got, RECORD_WAIT_MS);
		if (rc)
			break;
	}
	return pawctl_interrupted() ? -EINTR : rc;
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
	unsigned long seconds = RECORD_DEFAULT_S;
	size_t total, got = 0;
	int16_t *pcm = NULL;
	int rc, read_rc;

	if (!pawctl_parse(c, argc, argv, opts, 1, 1))
		return c->exit;
	if (!out)
		return pawctl_fail(c, PAWCTL_EXIT_USAGE,
				   "record needs -o FILE.wav: where to put the recording");
	if (seconds_arg &&
	    pawlink_parse_uint(seconds_arg, 1, RECORD_MAX_S, &seconds))
		return pawctl_fail(c, PAWCTL_EXIT_USAGE,
				   "--seconds takes a whole number from 1 to %d",
				   RECORD_MAX_S);
	rc = pawctl_lookup_toy(c, c->operand[0]);
	if (!rc)
		rc = pawctl_outfile_open(c, &of, out);
	if (rc)
		goto out;
	total = (size_t)seconds * PAWLINK_AUDIO_RATE;
	pcm = calloc(total, sizeof(*pcm));
	if (!pcm) {
		rc = pawctl_fail(c, PAWCTL_EXIT_IO, "out of memory");
		goto out;
	}
	/*
	 * Through a dongle the microphone is the sound card's: said before
	 * the toy lights its LED and logs a start for nothing.
	 */
	rc = pawctl_open_link(c);
	if (rc)
		goto out;
	read_rc = pawlink_mic_read(c->p, pcm, 0);
	if (read_rc == -EOPNOTSUPP) {
		rc = pawctl_lib_fail(c, read_rc);
		goto out;
	}
	rc = pawctl_connect(c, c->operand[0], NULL);
	if (rc)
		goto out;
	rc = pawlink_mic_start(c->p);
	if (rc) {
		rc = pawctl_lib_fail(c, rc);
		goto out;
	}
	pawctl_info(c, "recording %lu s from %s (its LED is lit)", seconds,
		    c->toy_label);
	read_rc = capture(c, pcm, total, &got);
	/*
	 * Stopped either way.  If this goes unanswered, the session's end
	 * (BYE, or the toy's idle limit) stops it too.
	 */
	pawlink_mic_stop(c->p);
	if (read_rc && read_rc != -EINTR) {
		rc = pawctl_lib_fail(c, read_rc);
		goto out;
	}
	rc = pawctl_outfile_write_wav(c, &of, pcm, got);
	if (!rc)
		rc = pawctl_outfile_commit(c, &of);
	if (rc)
		goto out;
	if (read_rc == -EINTR) {
		rc = pawctl_fail(c, PAWCTL_EXIT_INTERRUPTED,
				 "interrupted: kept %.2f s in %s",
				 (double)got / PAWLINK_AUDIO_RATE, of.path);
		goto out;
	}
	pawctl_info(c, "wrote %s", of.path);
	pawctl_out(c, "%s\n", of.path);
	pawctl_json_str(&c->j, "file", of.path);
	pawctl_json_u64(&c->j, "rate", PAWLINK_AUDIO_RATE);
	pawctl_json_u64(&c->j, "frames", got);
	pawctl_json_u64(&c->j, "duration_ms", got * 1000 / PAWLINK_AUDIO_RATE);
out:
	pawctl_outfile_abort(&of);
	free(pcm);
	return rc;
}

const struct pawctl_command pawctl_cmd_record = {
	.name = "record",
	.run = record_run,
	.synopsis = "record TOY -o FILE.wav [--seconds N]",
	.summary = "record the toy's microphone into a WAV file (the toy lights its LED and logs it)",
	.options =
		"  -o, --output FILE  the WAV file to write (16 kHz mono)\n"
		"  --seconds N        how long (1-300; default 5)\n",
};
