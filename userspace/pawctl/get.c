// SPDX-License-Identifier: GPL-2.0
/*
 * pawctl get TOY MSG-ID [-o FILE]: downloads a message (its SHA-256
 * checked) and keeps it as it is stored, Ogg Opus, or decodes it and
 * writes it as FILE's extension says (WAV, FLAC, Ogg Vorbis), the same
 * rule record follows.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pawctl.h"

static int save(struct pawctl *c, struct pawctl_outfile *of,
		enum pawctl_audio_format fmt, const uint8_t *obj, size_t len)
{
	struct pawctl_audio_out ao;
	int16_t *pcm;
	size_t frames;
	int rc;

	/* Ogg Opus is how it is stored: kept bit for bit, not re-encoded. */
	if (fmt == PAWCTL_FORMAT_OGG_OPUS)
		return pawctl_outfile_write(c, of, obj, len);
	rc = pawlink_message_decode(c->p, obj, len, &pcm, &frames);
	if (rc)
		return pawctl_fail(c, PAWCTL_EXIT_IO,
				   "the message does not decode: %s",
				   pawlink_error(c->p));
	rc = pawctl_audio_out_open(c, &ao, of->fd, of->path, fmt);
	if (!rc)
		rc = pawctl_audio_out_write(c, &ao, pcm, frames);
	if (!rc)
		rc = pawctl_audio_out_close(c, &ao);
	else
		pawctl_audio_out_close(c, &ao);
	free(pcm);
	return rc;
}

static int get_run(struct pawctl *c, int argc, char *argv[])
{
	const char *out = NULL;
	const struct pawctl_opt opts[] = {
		{ .name = "output", .short_name = 'o', .arg = &out },
		{ .name = NULL },
	};
	char hex[PAWCTL_MSG_HEX_LEN + 1], path[PAWCTL_MSG_HEX_LEN + 8];
	struct pawctl_outfile of = { .fd = -1 };
	uint8_t id[PAWLINK_MSG_ID_LEN], *obj = NULL;
	struct pawlink_msg_info info;
	enum pawctl_audio_format fmt = PAWCTL_FORMAT_OGG_OPUS;
	struct pawctl_progress pr;
	int rc;
	size_t len;

	if (!pawctl_parse(c, argc, argv, opts, 2, 2))
		return c->exit;
	rc = pawctl_check_msg_id(c, c->operand[1]);
	if (rc)
		return rc;
	/* "-": the message as stored, to stdout. */
	if (out && pawctl_audio_format(c, out, PAWCTL_FORMAT_OGG_OPUS, &fmt))
		return PAWCTL_EXIT_USAGE;
	rc = pawctl_lookup_toy(c, c->operand[0]);
	if (rc)
		return rc;
	if (out) {
		rc = pawctl_outfile_open(c, &of, out);
		if (rc)
			goto out;
	}
	rc = pawctl_connect(c, c->operand[0], NULL);
	if (!rc)
		rc = pawctl_lookup_msg(c, c->operand[1], id);
	if (rc)
		goto out;
	pawlink_message_id_hex(hex, id);
	if (!out) {
		snprintf(path, sizeof(path), "%s.opus", hex);
		rc = pawctl_outfile_open(c, &of, path);
		if (rc)
			goto out;
	}
	pawctl_info(c, "downloading message %s", hex);
	pawctl_progress_start(c, &pr, "downloading");
	pawlink_set_progress(c->p, pawctl_progress_transfer, &pr);
	rc = pawlink_download(c->p, id, &obj, &len, &info);
	pawlink_set_progress(c->p, NULL, NULL);
	pawctl_progress_end(&pr);
	if (rc) {
		rc = pawctl_msg_fail(c, rc, id);
		goto out;
	}
	rc = save(c, &of, fmt, obj, len);
	if (!rc)
		rc = pawctl_outfile_commit(c, &of);
	if (rc)
		goto out;
	pawctl_info(c, "wrote %s (%s)", of.path, pawctl_audio_format_name(fmt));
	/* On stdout the message itself is the result. */
	if (!of.is_stdout)
		pawctl_out(c, "%s\n", of.path);
	pawctl_json_msg(c, "message", &info);
	pawctl_json_str(&c->j, "file", of.path);
	pawctl_json_str(&c->j, "format", pawctl_audio_format_name(fmt));
out:
	pawctl_outfile_abort(&of);
	free(obj);
	return rc;
}

const struct pawctl_command pawctl_cmd_get = {
	.name = "get",
	.run = get_run,
	.synopsis = "get TOY MSG-ID [-o FILE]",
	.summary = "download a voice message (its SHA-256 checked)",
	.options =
		"  -o, --output FILE  where to write it: FILE.opus keeps the message as\n"
		"                     stored (Ogg Opus); FILE.wav, FILE.flac, FILE.ogg\n"
		"                     (Ogg Vorbis) decode it (16 kHz mono); '-' writes\n"
		"                     it as stored to stdout; default MSG-ID.opus here\n",
};
