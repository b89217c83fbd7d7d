// SPDX-License-Identifier: GPL-2.0
/* pawctl ls TOY: the voice messages on the toy. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pawctl.h"

static void print_row(struct pawctl *c, const struct pawlink_msg_info *m,
		      const uint8_t host[PAWLINK_ID_LEN])
{
	char id[PAWCTL_MSG_HEX_LEN + 1], from[PAWCTL_TOY_HEX_LEN + 1];
	char when[32], size[32];
	time_t t = (time_t)m->time;
	struct tm tm;

	pawlink_message_id_hex(id, m->id);
	pawlink_to_hex(from, m->sender, PAWLINK_ID_LEN);
	pawctl_format_bytes(size, sizeof(size), m->size);
	if (!localtime_r(&t, &tm) ||
	    !strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(when, sizeof(when), "%llu", (unsigned long long)m->time);
	pawctl_out(c, "%s  %7.1f s  %9s  %-19s  %s\n", id,
		   (double)m->duration_ms / 1000, size, when,
		   memcmp(m->sender, host, PAWLINK_ID_LEN) ? from : "this host");
}

static int ls_run(struct pawctl *c, int argc, char *argv[])
{
	struct pawlink_msg_info *list;
	uint8_t host[PAWLINK_ID_LEN];
	char id[PAWCTL_MSG_HEX_LEN + 1];
	bool ids = false;
	const struct pawctl_opt opts[] = {
		{ .name = "ids", .flag = &ids },
		{ 0 },
	};
	size_t n, i;
	int rc;

	if (!pawctl_parse(c, argc, argv, opts, 1, 1))
		return c->exit;
	rc = pawctl_connect(c, c->operand[0], NULL);
	if (rc)
		return rc;
	rc = pawlink_list(c->p, &list, &n);
	if (rc)
		return pawctl_lib_fail(c, rc);
	pawlink_host_id(c->p, host);
	/* --ids: the message ids alone, one a line, for shell completion. */
	if (ids && !c->json) {
		for (i = 0; i < n; i++) {
			pawlink_message_id_hex(id, list[i].id);
			printf("%s\n", id);
		}
		free(list);
		return 0;
	}
	if (n)
		pawctl_out(c, "%-32s  %9s  %9s  %-19s  %s\n", "MESSAGE",
			   "DURATION", "SIZE", "SENT", "FROM");
	else
		pawctl_info(c, "no messages on %s", c->toy_label);
	pawctl_json_open(&c->j, "messages", '[');
	for (i = 0; i < n; i++) {
		print_row(c, &list[i], host);
		pawctl_json_msg(c, NULL, &list[i]);
	}
	pawctl_json_close(&c->j, ']');
	free(list);
	return 0;
}

const struct pawctl_command pawctl_cmd_ls = {
	.name = "ls",
	.run = ls_run,
	.synopsis = "ls TOY [--ids]",
	.summary = "list the voice messages on the toy",
	.options = "  --ids  only the message ids, one a line (for scripts and shell completion)\n",
};
