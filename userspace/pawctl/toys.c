// SPDX-License-Identifier: GPL-2.0
/* pawctl toys: the toys paired with this host, from the key store alone. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pawctl.h"

static int by_id(const void *a, const void *b)
{
	const struct pawlink_toy *x = a, *y = b;

	return memcmp(x->id, y->id, PAWLINK_ID_LEN);
}

static int toys_run(struct pawctl *c, int argc, char *argv[])
{
	char hex[PAWCTL_TOY_HEX_LEN + 1];
	bool names = false;
	const struct pawctl_opt opts[] = {
		{ .name = "names", .flag = &names },
		{ 0 },
	};
	struct pawlink_toy *toys;
	size_t i, n;
	int rc;

	if (!pawctl_parse(c, argc, argv, opts, 0, 0))
		return c->exit;
	rc = pawlink_toys(c->p, &toys, &n);
	if (rc == -ENOMEM)
		return pawctl_fail(c, PAWCTL_EXIT_IO, "out of memory");
	if (rc)
		return pawctl_fail(c, PAWCTL_EXIT_IO, "key store: %s",
				   pawlink_error(c->p));
	if (n > 1)
		qsort(toys, n, sizeof(*toys), by_id);
	/* --names: what TOY may be, one a line, for scripts and completion. */
	if (names && !c->json) {
		for (i = 0; i < n; i++) {
			pawlink_toy_id_hex(hex, toys[i].id);
			printf("%s\n", toys[i].name[0] ? toys[i].name : hex);
		}
		free(toys);
		return 0;
	}
	if (n)
		pawctl_out(c, "%-16s  %s\n", "TOY", "NAME");
	else
		pawctl_info(c, "no toy is paired with this host");
	pawctl_json_open(&c->j, "toys", '[');
	for (i = 0; i < n; i++) {
		pawlink_toy_id_hex(hex, toys[i].id);
		pawctl_out(c, "%-16s  %s\n", hex,
			   toys[i].name[0] ? toys[i].name : "-");
		pawctl_json_open(&c->j, NULL, '{');
		pawctl_json_str(&c->j, "id", hex);
		pawctl_json_str(&c->j, "name", toys[i].name);
		pawctl_json_close(&c->j, '}');
	}
	pawctl_json_close(&c->j, ']');
	free(toys);
	return 0;
}

const struct pawctl_command pawctl_cmd_toys = {
	.name = "toys",
	.run = toys_run,
	.synopsis = "toys [--names]",
	.summary = "list the toys paired with this host (from the key store; no radio needed)",
	.options = "  --names  only what names each toy, one a line: its name, or its id\n"
		   "           when it has none (for scripts and shell completion)\n",
};
