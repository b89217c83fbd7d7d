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
	char why[PAWLINK_KEYSTORE_ERR_LEN];
	struct pawlink_toy_record rec = { .name = "" };
	struct pawlink_keystore ks;
	bool exists;
	int rc;

	if (!pawctl_parse(c, argc, argv, NULL, 1, 1))
		return c->exit;
	/*
	 * An id is erased without reading its record, so that a record
	 * that no longer loads can still be forgotten.
	 */
	if (pawctl_parse_toy_id(c->operand[0], rec.id) == 0)
		pawctl_set_toy(c, &rec);
	else if ((rc = pawctl_lookup_toy(c, c->operand[0])) != 0)
		return rc;
	rc = pawctl_store_open(c, &ks, &exists);
	if (rc)
		return rc;
	rc = exists ? pawlink_keystore_toy_erase(&ks, c->toy.id, why,
						 sizeof(why)) : -ENOENT;
	if (exists)
		pawlink_keystore_close(&ks);
	if (rc == -ENOENT)
		return pawctl_fail(c, PAWCTL_EXIT_NOT_FOUND,
				   "this host holds nothing about toy %s",
				   c->toy_label);
	if (rc)
		return pawctl_fail(c, PAWCTL_EXIT_IO, "key store: %s", why);
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
