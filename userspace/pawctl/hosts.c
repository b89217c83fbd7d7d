// SPDX-License-Identifier: GPL-2.0
/*
 * pawctl hosts TOY: the hosts the toy has paired, as the toy itself says
 * (not this host's key store), and which one is this host.  The toy has
 * no calendar: its times are since a boot, so an age is shown for what
 * happened in the toy's current boot and the boot number otherwise.
 */
#include <string.h>

#include "pawctl.h"

/* "3 min ago" for this boot's times; "in boot N" for older ones. */
static void age_text(char *out, size_t len, bool known, uint64_t age_ms,
		     uint32_t boot)
{
	uint64_t s = age_ms / 1000;

	if (!known)
		snprintf(out, len, "in boot %u", boot);
	else if (s < 120)
		snprintf(out, len, "%llu s ago", (unsigned long long)s);
	else if (s < 2 * 3600)
		snprintf(out, len, "%llu min ago", (unsigned long long)(s / 60));
	else
		snprintf(out, len, "%llu h ago", (unsigned long long)(s / 3600));
}

static int hosts_run(struct pawctl *c, int argc, char *argv[])
{
	struct pawlink_toy_host_info h[PAWLINK_TOY_HOSTS_MAX];
	char hex[PAWCTL_TOY_HEX_LEN + 1], paired[32], seen[32];
	uint64_t uptime_ms;
	uint32_t boot;
	size_t n, i;
	int rc;

	if (!pawctl_parse(c, argc, argv, NULL, 1, 1))
		return c->exit;
	rc = pawctl_connect(c, c->operand[0], NULL);
	if (rc)
		return rc;
	rc = pawlink_hosts(c->p, h, PAWLINK_TOY_HOSTS_MAX, &n, &boot,
			   &uptime_ms);
	if (rc)
		return pawctl_lib_fail(c, rc);
	pawctl_out(c, "%-16s  %-16s  %-14s  %-14s  %s\n", "HOST", "NAME",
		   "PAIRED", "LAST SEEN", "");
	pawctl_json_u64(&c->j, "toy_boot", boot);
	pawctl_json_u64(&c->j, "toy_uptime_ms", uptime_ms);
	pawctl_json_open(&c->j, "hosts", '[');
	for (i = 0; i < n; i++) {
		bool this_boot = h[i].paired_boot == boot &&
				 h[i].paired_ms <= uptime_ms;

		pawlink_to_hex(hex, h[i].id, PAWLINK_ID_LEN);
		age_text(paired, sizeof(paired), this_boot,
			 uptime_ms - (this_boot ? h[i].paired_ms : 0),
			 h[i].paired_boot);
		if (h[i].seen && h[i].seen_ms <= uptime_ms)
			age_text(seen, sizeof(seen), true,
				 uptime_ms - h[i].seen_ms, boot);
		else
			snprintf(seen, sizeof(seen), "not this boot");
		pawctl_out(c, "%-16s  %-16s  %-14s  %-14s  %s\n", hex,
			   h[i].name[0] ? h[i].name : "-", paired, seen,
			   h[i].you ? "(this host)" : "");
		pawctl_json_open(&c->j, NULL, '{');
		pawctl_json_str(&c->j, "id", hex);
		pawctl_json_str(&c->j, "name", h[i].name);
		pawctl_json_bool(&c->j, "this_host", h[i].you);
		pawctl_json_u64(&c->j, "paired_boot", h[i].paired_boot);
		pawctl_json_u64(&c->j, "paired_ms", h[i].paired_ms);
		if (this_boot)
			pawctl_json_u64(&c->j, "paired_age_ms",
					uptime_ms - h[i].paired_ms);
		else
			pawctl_json_str(&c->j, "paired_age_ms", NULL);
		if (h[i].seen && h[i].seen_ms <= uptime_ms)
			pawctl_json_u64(&c->j, "last_seen_age_ms",
					uptime_ms - h[i].seen_ms);
		else
			pawctl_json_str(&c->j, "last_seen_age_ms", NULL);
		pawctl_json_close(&c->j, '}');
	}
	pawctl_json_close(&c->j, ']');
	return 0;
}

const struct pawctl_command pawctl_cmd_hosts = {
	.name = "hosts",
	.run = hosts_run,
	.synopsis = "hosts TOY",
	.summary = "the hosts the toy has paired, and which one is this host",
};
