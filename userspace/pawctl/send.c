// SPDX-License-Identifier: GPL-2.0
/*
 * pawctl send TOY FILE: any audio file libsndfile reads becomes a voice
 * message (16 kHz mono Ogg Opus, at most 5 minutes) and goes to the toy.
 * The file is converted before the toy is contacted, so a file that will
 * not do is refused without a session.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pawctl.h"

/* Converts @path into a message object in memory.  0 or an exit code. */
static int convert(struct pawctl *c, const char *path, uint8_t **obj,
		   size_t *len, uint32_t *duration_ms)
{
	int rc;

	rc = pawlink_audio_file_to_message(c->p, path, obj, len, duration_ms);
	/* Only a failure to read, resample or write is ours. */
	if (rc)
		return pawctl_fail(c, rc == -EIO || rc == -ENOMEM ||
				   rc == -ENAMETOOLONG ? PAWCTL_EXIT_IO :
				   PAWCTL_EXIT_BAD_FILE, "%s",
				   pawlink_error(c->p));
	return 0;
}

/*
 * More than 5 minutes of any audio worth sending (48 kHz stereo 32-bit
 * float is 115 MB): stdin beyond this is refused rather than stored.
 */
#define STDIN_MAX	(256u << 20)

/*
 * "send TOY -": stdin, which may be a pipe, into a private temporary file
 * (0600, unlinked once read) that the converter can open and seek like
 * any file.  0 or an exit code; @path gets the file's name.
 */
static int stdin_to_file(struct pawctl *c, char *path, size_t len)
{
	const char *tmp = getenv("TMPDIR");
	size_t total = 0;
	char buf[65536];
	ssize_t n;
	int fd, rc = 0;

	if (isatty(STDIN_FILENO))
		return pawctl_fail(c, PAWCTL_EXIT_USAGE,
				   "stdin is a terminal: pipe the audio in, or name a file");
	snprintf(path, len, "%s/pawctl-stdin-XXXXXX",
		 tmp && *tmp == '/' ? tmp : "/tmp");
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return pawctl_fail(c, PAWCTL_EXIT_IO,
				   "cannot make a temporary file: %s",
				   strerror(errno));
	while ((n = read(STDIN_FILENO, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR && !pawctl_interrupted())
			continue;
		if (n < 0) {
			rc = pawctl_fail(c, PAWCTL_EXIT_BAD_FILE,
					 "cannot read stdin: %s", strerror(errno));
			break;
		}
		total += (size_t)n;
		if (total > STDIN_MAX) {
			rc = pawctl_fail(c, PAWCTL_EXIT_BAD_FILE,
					 "stdin holds more than %u MB: too long for a message",
					 STDIN_MAX >> 20);
			break;
		}
		if (write(fd, buf, (size_t)n) != n) {
			rc = pawctl_fail(c, PAWCTL_EXIT_IO,
					 "cannot write a temporary file: %s",
					 strerror(errno));
			break;
		}
	}
	close(fd);
	if (rc)
		unlink(path);
	return rc;
}

static int send_run(struct pawctl *c, int argc, char *argv[])
{
	char id[PAWCTL_MSG_HEX_LEN + 1], size[32];
	struct pawlink_msg_info info;
	struct pawctl_progress pr;
	uint32_t duration_ms;
	char stdin_path[4096] = "";
	const char *input;
	uint8_t *obj = NULL;
	size_t len;
	int rc;

	if (!pawctl_parse(c, argc, argv, NULL, 2, 2))
		return c->exit;
	rc = pawctl_lookup_toy(c, c->operand[0]);
	if (rc)
		return rc;
	input = c->operand[1];
	if (!strcmp(input, "-")) {
		rc = stdin_to_file(c, stdin_path, sizeof(stdin_path));
		if (rc)
			return rc;
		input = stdin_path;
	}
	rc = convert(c, input, &obj, &len, &duration_ms);
	if (stdin_path[0])
		unlink(stdin_path);
	if (rc)
		return rc;
	pawctl_format_bytes(size, sizeof(size), len);
	pawctl_info(c, "%s: %.1f s of audio, %s as Ogg Opus", c->operand[1],
		    (double)duration_ms / 1000, size);
	rc = pawctl_connect(c, c->operand[0], NULL);
	if (rc)
		goto out;
	pawctl_info(c, "sending to %s", c->toy_label);
	pawctl_progress_start(c, &pr, "sending");
	pawlink_set_progress(c->p, pawctl_progress_transfer, &pr);
	rc = pawlink_upload(c->p, obj, len, duration_ms, &info);
	pawlink_set_progress(c->p, NULL, NULL);
	pawctl_progress_end(&pr);
	if (rc) {
		rc = pawctl_lib_fail(c, rc);
		goto out;
	}
	pawlink_message_id_hex(id, info.id);
	pawctl_info(c, "sent message %s", id);
	pawctl_out(c, "%s\n", id);
	pawctl_json_msg(c, "message", &info);
	pawctl_json_str(&c->j, "file", c->operand[1]);
out:
	free(obj);
	return rc;
}

const struct pawctl_command pawctl_cmd_send = {
	.name = "send",
	.run = send_run,
	.synopsis = "send TOY FILE|-",
	.summary = "send an audio file (WAV, FLAC, Ogg, Opus, MP3...; '-': stdin) as a voice message",
};
