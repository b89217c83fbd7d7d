// SPDX-License-Identifier: GPL-2.0
/*
 * pawctl unpair TOY: the toy forgets this host, then this host forgets
 * the toy.  Neither can open a session with the other again without
 * pairing anew (button and setup code).
 */
#include "pawctl.h"

static int unpair_run(struct pawctl *c, int argc, char *argv[])
{
	int rc;

	if (!pawctl_parse(c, argc, argv, NULL, 1, 1))
		return c->exit;
	rc = pawctl_connect(c, c->operand[0], NULL);
	if (rc)
		return rc;
	rc = pawlink_unpair(c->p);
	if (rc)
		return pawctl_lib_fail(c, rc);
	pawctl_info(c, "%s forgot this host, and this host forgot it",
		    c->toy_label);
	return 0;
}

const struct pawctl_command pawctl_cmd_unpair = {
	.name = "unpair",
	.run = unpair_run,
	.synopsis = "unpair TOY",
	.summary = "the toy forgets this host, and this host forgets the toy",
};
