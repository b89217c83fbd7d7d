// SPDX-License-Identifier: GPL-2.0
/*
 * pawctl forget TOY: erases everything this host holds about a toy (its
 * pinned key and name) without asking the toy, so it works for a toy that
 * is lost, broken or reset.  The toy still lists this host until it is
 * reset or unpaired; 'pawctl unpair' does both sides when it is in range.
 */
#include <errno.h>

#include "pawctl.h"

static int forget_run(struct pawctl *c, int argc, char *argv[])
{
	struct pawlink_toy toy = { .name = "" };
	int rc;

	if (!pawctl_parse(c, argc, argv, NULL, 1, 1))
		return c->exit;
	/*
	 * An id is erased without reading its record, so that a record
	 * that no longer loads can still be forgotten.
	 */
	if (pawlink_toy_id_parse(toy.id, c->operand[0]) == 0)
		pawctl_set_toy(c, &toy);
	else if ((rc = pawctl_lookup_toy(c, c->operand[0])) != 0)
		return rc;
	rc = pawlink_forget(c->p, c->toy.id);
	if (rc == -ENOENT)
		return pawctl_fail(c, PAWCTL_EXIT_NOT_FOUND,
				   "this host holds nothing about toy %s",
				   c->toy_label);
	if (rc)
		return pawctl_fail(c, PAWCTL_EXIT_IO, "key store: %s",
				   pawlink_error(c->p));
	pawctl_info(c, "forgot %s: its key and name are erased from this host",
		    c->toy_label);
	return 0;
}

const struct pawctl_command pawctl_cmd_forget = {
	.name = "forget",
	.run = forget_run,
	.synopsis = "forget TOY",
	.summary = "erase everything this host holds about a toy, even one that is gone",
};
