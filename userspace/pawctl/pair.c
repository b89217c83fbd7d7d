// SPDX-License-Identifier: GPL-2.0
/*
 * pawctl pair TOY-ID: pairs with a toy whose pairing window is open (its
 * button was pressed), using the setup code on its label, and pins it in
 * the key store under an optional name.
 */
#include <errno.h>
#include <string.h>

#include "pawctl.h"

/* A name must name one toy, and must not read as a toy id. */
static int check_name(struct pawctl *c, const char *name, const uint8_t *id)
{
	int rc;

	rc = pawlink_toy_name_check(c->p, name, id);
	if (rc == -EINVAL || rc == -EEXIST)
		return pawctl_fail(c, PAWCTL_EXIT_USAGE, "%s",
				   pawlink_error(c->p));
	if (rc)
		return pawctl_fail(c, PAWCTL_EXIT_IO, "key store: %s",
				   pawlink_error(c->p));
	return 0;
}

static int pair_run(struct pawctl *c, int argc, char *argv[])
{
	const char *name = NULL, *code_file = NULL;
	const struct pawctl_opt opts[] = {
		{ .name = "name", .arg = &name },
		{ .name = "code-file", .arg = &code_file },
		{ .name = "code", .refuse = "refusing --code: a setup code on the command line is visible to every user in ps and stays in your shell history; type it when pawctl asks, or give it with --code-file FILE or on standard input" },
		{ .name = NULL },
	};
	char code[PAWCTL_CODE_INPUT_MAX] = "";
	struct pawlink_toy rec;
	int rc;

	if (!pawctl_parse(c, argc, argv, opts, 1, 1))
		return c->exit;
	memset(&rec, 0, sizeof(rec));
	if (pawlink_toy_id_parse(rec.id, c->operand[0]))
		return pawctl_fail(c, PAWCTL_EXIT_USAGE,
				   "'%.40s' is not a toy id: 16 hex digits, as pawctl scan shows them",
				   c->operand[0]);
	rc = check_name(c, name ? name : "", rec.id);
	if (rc)
		return rc;
	snprintf(rec.name, sizeof(rec.name), "%s", name ? name : "");
	pawctl_set_toy(c, &rec);

	rc = pawctl_read_code(c, code_file, c->operand[0], code);
	if (rc)
		goto out;
	/* A mistyped code is caught here, before the toy charges a try. */
	if (pawlink_setup_code_check(c->p, code)) {
		rc = pawctl_fail(c, PAWCTL_EXIT_USAGE, "%s",
				 pawlink_error(c->p));
		goto out;
	}
	rc = pawctl_open_link(c);
	if (rc)
		goto out;
	pawctl_info(c, "pairing with toy %s (its window must be open: the button of a new toy, or 'pawctl invite' on a host it knows)",
		    c->operand[0]);
	rc = pawlink_pair(c->p, rec.id, code, rec.name);
	if (rc == -EEXIST) {
		rc = pawctl_fail(c, PAWCTL_EXIT_REFUSED, "%s",
				 pawlink_error(c->p));
		goto out;
	}
	if (rc) {
		rc = pawctl_lib_fail(c, rc);
		goto out;
	}
	pawctl_info(c, "paired with %s", c->toy_label);
out:
	explicit_bzero(code, sizeof(code));
	return rc;
}

const struct pawctl_command pawctl_cmd_pair = {
	.name = "pair",
	.run = pair_run,
	.synopsis = "pair TOY-ID [--name NAME] [--code-file FILE]",
	.summary = "pair with a toy: a new toy's button and printed code, or a paired host's invite code",
	.options =
		"  --name NAME       call the toy NAME here (then TOY may be NAME)\n"
		"  --code-file FILE  read the setup code from FILE's first line ('-': stdin)\n"
		"  The code is asked for on the terminal, without echo; when stdin is\n"
		"  not a terminal it is read from stdin.  --code is refused: a code on\n"
		"  the command line shows in ps and in shell history.\n",
};
