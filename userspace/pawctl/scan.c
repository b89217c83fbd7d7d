// SPDX-License-Identifier: GPL-2.0
/* pawctl scan: the toys beaconing in range, and which are paired here. */
#include "pawctl.h"

/* As many radios as one air holds. */
#define SCAN_MAX	64

/* The name toy @id has in the key store, or NULL if it is not paired. */
static const char *paired_name(struct pawctl *c, const uint8_t *id,
			       struct pawlink_toy *toy)
{
	char hex[PAWCTL_TOY_HEX_LEN + 1];

	pawlink_toy_id_hex(hex, id);
	if (pawlink_toy_find(c->p, hex, toy))
		return NULL;
	return toy->name;
}

static int scan_run(struct pawctl *c, int argc, char *argv[])
{
	const char *seconds_arg = NULL;
	const struct pawctl_opt opts[] = {
		{ .name = "seconds", .arg = &seconds_arg },
		{ .name = NULL },
	};
	struct pawlink_beacon b[SCAN_MAX];
	struct pawlink_toy toy;
	char hex[PAWCTL_TOY_HEX_LEN + 1];
	unsigned long seconds = 1;
	const char *name;
	size_t n, i;
	int rc;

	if (!pawctl_parse(c, argc, argv, opts, 0, 0))
		return c->exit;
	if (seconds_arg && pawlink_parse_uint(seconds_arg, 1, 60, &seconds))
		return pawctl_fail(c, PAWCTL_EXIT_USAGE,
				   "--seconds takes a whole number from 1 to 60");
	rc = pawctl_open_link(c);
	if (rc)
		return rc;
	pawctl_info(c, "listening for toys for %lu s", seconds);
	rc = pawlink_scan(c->p, (unsigned int)seconds * 1000, b, SCAN_MAX, &n);
	if (rc)
		return pawctl_lib_fail(c, rc);
	if (n)
		pawctl_out(c, "%-16s  %-7s  %s\n", "TOY", "PAIRING", "PAIRED AS");
	else
		pawctl_info(c, "no toy heard");
	pawctl_json_open(&c->j, "toys", '[');
	for (i = 0; i < n; i++) {
		bool pairing = b[i].flags & PAWLINK_BEACON_PAIRING;

		name = paired_name(c, b[i].toy_id, &toy);
		pawlink_toy_id_hex(hex, b[i].toy_id);
		pawctl_out(c, "%-16s  %-7s  %s\n", hex,
			   pairing ? "open" : "closed",
			   !name ? "-" : name[0] ? name : "(no name)");
		pawctl_json_open(&c->j, NULL, '{');
		pawctl_json_str(&c->j, "id", hex);
		pawctl_json_bool(&c->j, "pairing", pairing);
		pawctl_json_bool(&c->j, "paired", name != NULL);
		pawctl_json_str(&c->j, "name", name);
		pawctl_json_close(&c->j, '}');
	}
	pawctl_json_close(&c->j, ']');
	return 0;
}

const struct pawctl_command pawctl_cmd_scan = {
	.name = "scan",
	.run = scan_run,
	.synopsis = "scan [--seconds N]",
	.summary = "list the toys in range, with their pairing window and whether they are paired here",
	.options = "  --seconds N   listen for N seconds (1-60; default 1)\n",
};
