// SPDX-License-Identifier: GPL-2.0
/*
 * pawctl unpair TOY: the toy forgets this host, then this host forgets
 * the toy.  Neither can open a session with the other again without
 * pairing anew (button and setup code).
 */
#include <string.h>

#include "pawctl.h"

/* A toy that is gone, or forgot us already: this side alone is forget. */
static int hint_forget(struct pawctl *c, int code)
{
	size_t len = strlen(c->err);

	snprintf(c->err + len, sizeof(c->err) - len,
		 "; nothing was erased here: 'pawctl forget %s' erases this host's side alone",
		 c->operand[0]);
	return code;
}

static int unpair_run(struct pawctl *c, int argc, char *argv[])
{
	int rc;

	if (!pawctl_parse(c, argc, argv, NULL, 1, 1))
		return c->exit;
	rc = pawctl_connect(c, c->operand[0], NULL);
	if (rc == PAWCTL_EXIT_UNREACHABLE || rc == PAWCTL_EXIT_REFUSED)
		return hint_forget(c, rc);
	if (rc)
		return rc;
	rc = pawlink_unpair(c->p);
	if (rc)
		return hint_forget(c, pawctl_lib_fail(c, rc));
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
