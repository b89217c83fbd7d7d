// SPDX-License-Identifier: GPL-2.0
/* pawctl status TOY: what the toy says about itself, in a session. */
#include "pawctl.h"

static void print_human(struct pawctl *c,
			const struct pawlink_toy_status_info *s)
{
	char bytes[32];

	pawctl_format_bytes(bytes, sizeof(bytes), s->msg_bytes);
	pawctl_out(c, "toy             %s\n", c->toy_label);
	pawctl_out(c, "boot            %u, up %.1f s\n", s->boot,
		   (double)s->uptime_ms / 1000);
	pawctl_out(c, "led             %s\n", s->led ? "on" : "off");
	pawctl_out(c, "volume          %u\n", s->volume);
	pawctl_out(c, "microphone      %s\n", s->mic ? "streaming" : "off");
	pawctl_out(c, "playing         %s\n", s->playing ? "yes" : "no");
	pawctl_out(c, "messages        %u, %s\n", s->msg_count, bytes);
	pawctl_out(c, "paired hosts    %u\n", s->paired_hosts);
	pawctl_out(c, "pairing         %s\n", s->locked ?
		   "locked out (a factory reset is needed)" :
		   s->pairing_window ? "window open" : "window closed");
	pawctl_out(c, "pair failures   %u in the toy's life (100 lock it)\n",
		   s->lifetime_failures);
	pawctl_out(c, "mic starts      %u in the toy's life (pawctl log shows them)\n",
		   s->mic_starts);
	pawctl_out(c, "log next        %u\n", s->log_next);
	pawctl_out(c, "dropped         %llu plaintext, %llu forged, %llu replayed, %llu malformed\n",
		   (unsigned long long)s->rx_dropped_plaintext,
		   (unsigned long long)s->rx_dropped_auth,
		   (unsigned long long)s->rx_dropped_replay,
		   (unsigned long long)s->rx_dropped_malformed);
	pawctl_out(c, "refused         %llu commands without a session\n",
		   (unsigned long long)s->refused_unauth);
	pawctl_out(c, "audio           %llu microphone frames sent, %llu samples played\n",
		   (unsigned long long)s->audio_frames_sent,
		   (unsigned long long)s->speaker_samples);
}

static void print_json(struct pawctl *c,
		       const struct pawlink_toy_status_info *s)
{
	struct pawctl_json *j = &c->j;

	pawctl_json_open(j, "status", '{');
	pawctl_json_u64(j, "boot", s->boot);
	pawctl_json_u64(j, "uptime_ms", s->uptime_ms);
	pawctl_json_bool(j, "led", s->led);
	pawctl_json_u64(j, "volume", s->volume);
	pawctl_json_bool(j, "mic", s->mic);
	pawctl_json_bool(j, "playing", s->playing);
	pawctl_json_u64(j, "paired_hosts", s->paired_hosts);
	pawctl_json_bool(j, "pairing_window", s->pairing_window);
	pawctl_json_bool(j, "locked", s->locked);
	pawctl_json_u64(j, "lifetime_failures", s->lifetime_failures);
	pawctl_json_u64(j, "msg_count", s->msg_count);
	pawctl_json_u64(j, "msg_bytes", s->msg_bytes);
	pawctl_json_u64(j, "log_next", s->log_next);
	pawctl_json_u64(j, "mic_starts", s->mic_starts);
	pawctl_json_u64(j, "rx_dropped_plaintext", s->rx_dropped_plaintext);
	pawctl_json_u64(j, "rx_dropped_auth", s->rx_dropped_auth);
	pawctl_json_u64(j, "rx_dropped_replay", s->rx_dropped_replay);
	pawctl_json_u64(j, "rx_dropped_malformed", s->rx_dropped_malformed);
	pawctl_json_u64(j, "refused_unauth", s->refused_unauth);
	pawctl_json_u64(j, "audio_frames_sent", s->audio_frames_sent);
	pawctl_json_u64(j, "speaker_samples", s->speaker_samples);
	pawctl_json_close(j, '}');
}

static int status_run(struct pawctl *c, int argc, char *argv[])
{
	struct pawlink_toy_status_info s;
	int rc;

	if (!pawctl_parse(c, argc, argv, NULL, 1, 1))
		return c->exit;
	/* The session's confirming STATUS is the answer. */
	rc = pawctl_connect(c, c->operand[0], &s);
	if (rc)
		return rc;
	print_human(c, &s);
	print_json(c, &s);
	return 0;
}

const struct pawctl_command pawctl_cmd_status = {
	.name = "status",
	.run = status_run,
	.synopsis = "status TOY",
	.summary = "the toy's state: LED, volume, microphone, messages, pairing, counters",
};
