// SPDX-License-Identifier: GPL-2.0
/* What every `pawsim rogue` subcommand shares; see rogue.h. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "air_args.h"
#include "json_out.h"
#include "pawsim.h"
#include "rogue.h"

volatile sig_atomic_t rogue_stop;

static void rogue_common_init(struct rogue_common *c)
{
	memset(c, 0, sizeof(*c));
	c->ready_fd = -1;
}

/* A common option: 0, PAWSIM_EXIT_USAGE after saying why, or NOT_COMMON. */
#define NOT_COMMON	(-1)
static int common_option(struct rogue_common *c, int opt, const char *arg)
{
	switch (opt) {
	case ROGUE_OPT_SOCKET:
		c->socket = arg;
		return 0;
	case ROGUE_OPT_ID:
		if (air_arg_id(arg, c->id) || !air_id_is_radio(c->id))
			return pawsim_usage_error("bad --id '%s' (16 hex digits, not all 0 or all f)",
						  arg);
		c->have_id = true;
		return 0;
	case ROGUE_OPT_JSON:
		c->json = true;
		return 0;
	case ROGUE_OPT_READY_FD:
		if (air_arg_fd(arg, &c->ready_fd))
			return pawsim_usage_error("bad --ready-fd '%s'", arg);
		return 0;
	default:
		return NOT_COMMON;
	}
}

int rogue_parse_args(const struct rogue_args *a, int argc, char *argv[],
		     struct rogue_common *c, void *opts)
{
	int opt, rc;

	rogue_common_init(c);
	while ((opt = getopt_long(argc, argv, "h", a->longopts, NULL)) != -1) {
		if (opt == 'h') {
			a->usage(stdout);
			return PAWSIM_EXIT_OK;
		}
		rc = common_option(c, opt, optarg);
		if (rc == NOT_COMMON)
			rc = opt >= ROGUE_OPT_PRIVATE ?
			     a->option(opts, opt, optarg) :
			     pawsim_usage_error("bad option");
		if (rc)
			return rc;
	}
	if (optind != argc)
		return pawsim_usage_error("unexpected argument '%s'",
					  argv[optind]);
	return ROGUE_ARGS_PARSED;
}

int rogue_common_finish(struct rogue_common *c)
{
	if (!c->socket)
		return pawsim_usage_error("--socket PATH is required");
	while (!c->have_id) {
		if (sodium_init() < 0) {
			pawsim_msg("libsodium failed to initialise");
			return PAWSIM_EXIT_RUNTIME;
		}
		randombytes_buf(c->id, sizeof(c->id));
		c->have_id = air_id_is_radio(c->id);
	}
	return 0;
}

int rogue_join(const struct rogue_common *c, unsigned int flags,
	       struct radio **r)
{
	int rc;

	rc = radio_open(c->socket, flags, r);
	if (rc) {
		pawsim_msg("cannot join the air at %s: %s", c->socket,
			   strerror(-rc));
		return rc;
	}
	rc = radio_set_id(*r, c->id);
	if (rc) {
		pawsim_msg("cannot take id: %s", strerror(-rc));
		radio_close(*r);
		*r = NULL;
		return rc;
	}
	/* A failed write: nobody waiting is the waiter's business. */
	(void)pawsim_signal_ready(c->ready_fd);
	return 0;
}

static void on_signal(int sig)
{
	(void)sig;
	rogue_stop = 1;
}

int rogue_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a wait in radio_recv() ends with -EINTR. */
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL))
		return -errno;
	return 0;
}

int rogue_report(const struct rogue_common *c, const char *cmd,
		 const struct rogue_count *counts, unsigned int n,
		 int exit_code)
{
	char line[512];
	size_t used = 0;
	unsigned int i;

	if (c->json) {
		struct json_object *doc = json_object_new_object();

		if (doc) {
			json_object_object_add(doc, "command",
					       json_object_new_string(cmd));
			for (i = 0; i < n; i++)
				pawsim_json_u64(doc, counts[i].name,
						counts[i].value);
		}
		if (pawsim_json_print(stdout, doc))
			return PAWSIM_EXIT_RUNTIME;
		return exit_code;
	}
	for (i = 0; i < n && used < sizeof(line); i++) {
		int k = snprintf(line + used, sizeof(line) - used, "%s%s %" PRIu64,
				 i ? ", " : "", counts[i].name, counts[i].value);

		if (k < 0)
			break;
		used += (size_t)k;
	}
	pawsim_msg("%s", line);
	return exit_code;
}
