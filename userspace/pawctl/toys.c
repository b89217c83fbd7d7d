// SPDX-License-Identifier: GPL-2.0
/* pawctl toys: the toys paired with this host, from the key store alone. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pawctl.h"
#include "bytes.h"

struct toy_list {
	struct pawlink_toy_record *toys;
	size_t n;
};

static int collect(const struct pawlink_toy_record *toy, void *ctx)
{
	struct toy_list *l = ctx;
	struct pawlink_toy_record *grown;

	grown = realloc(l->toys, (l->n + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	l->toys = grown;
	l->toys[l->n++] = *toy;
	return 0;
}

static int by_id(const void *a, const void *b)
{
	const struct pawlink_toy_record *x = a, *y = b;

	return memcmp(x->id, y->id, PAWLINK_ID_LEN);
}

static int toys_run(struct pawctl *c, int argc, char *argv[])
{
	char why[PAWLINK_KEYSTORE_ERR_LEN], hex[PAWCTL_TOY_HEX_LEN + 1];
	struct toy_list l = { .toys = NULL };
	struct pawlink_keystore ks;
	bool exists;
	size_t i;
	int rc;

	if (!pawctl_parse(c, argc, argv, NULL, 0, 0))
		return c->exit;
	rc = pawctl_store_open(c, &ks, &exists);
	if (rc)
		return rc;
	if (exists) {
		rc = pawlink_keystore_toy_list(&ks, collect, &l, why,
					       sizeof(why));
		pawlink_keystore_close(&ks);
		if (rc == -ENOMEM)
			rc = pawctl_fail(c, PAWCTL_EXIT_IO, "out of memory");
		else if (rc)
			rc = pawctl_fail(c, PAWCTL_EXIT_IO, "key store: %s", why);
		if (rc)
			goto out;
	}
	if (l.n > 1)
		qsort(l.toys, l.n, sizeof(*l.toys), by_id);
	if (l.n)
		pawctl_out(c, "%-16s  %s\n", "TOY", "NAME");
	else
		pawctl_info(c, "no toy is paired with this host");
	pawctl_json_open(&c->j, "toys", '[');
	for (i = 0; i < l.n; i++) {
		pawlink_hex_encode(hex, l.toys[i].id, PAWLINK_ID_LEN);
		pawctl_out(c, "%-16s  %s\n", hex,
			   l.toys[i].name[0] ? l.toys[i].name : "-");
		pawctl_json_open(&c->j, NULL, '{');
		pawctl_json_str(&c->j, "id", hex);
		pawctl_json_str(&c->j, "name", l.toys[i].name);
		pawctl_json_close(&c->j, '}');
	}
	pawctl_json_close(&c->j, ']');
out:
	free(l.toys);
	return rc;
}

const struct pawctl_command pawctl_cmd_toys = {
	.name = "toys",
	.run = toys_run,
	.synopsis = "toys",
	.summary = "list the toys paired with this host (from the key store; no radio needed)",
};
