// SPDX-License-Identifier: GPL-2.0
/*
 * pawctl: looks the subcommand up in one table, runs it, reports its
 * error on stderr and, with --json, wraps its result (or its error) in
 * the one JSON document on stdout.  Everything else is in the
 * subcommand's own file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pawctl.h"

static const struct pawctl_command *const commands[] = {
	&pawctl_cmd_scan, &pawctl_cmd_pair, &pawctl_cmd_toys,
	&pawctl_cmd_status, &pawctl_cmd_ls, &pawctl_cmd_send,
	&pawctl_cmd_get, &pawctl_cmd_rm, &pawctl_cmd_play,
	&pawctl_cmd_record, &pawctl_cmd_led, &pawctl_cmd_volume,
	&pawctl_cmd_log, &pawctl_cmd_hosts, &pawctl_cmd_invite,
	&pawctl_cmd_revoke, &pawctl_cmd_unpair, &pawctl_cmd_forget,
	&pawctl_cmd_dongles, &pawctl_cmd_connect, &pawctl_cmd_disconnect,
};

#define NUM_COMMANDS	(sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: pawctl [global options] COMMAND [arguments]\n"
		"\n"
		"Pair with pawlink toys and use them: voice messages, microphone,\n"
		"LED, volume, event log.  TOY is a toy id (16 hex digits) or the\n"
		"name it was given at pairing.\n"
		"\n"
		"Global options (also accepted after COMMAND):\n"
		"  --air SOCKET    reach toys through a simulated air (pawsim air);\n"
		"                  default $PAWLINK_AIR\n"
		"  --device PATH   reach toys through this dongle: /dev/pawlinkN\n"
		"                  (pawlink.ko) or /dev/bus/usb/BBB/DDD (libusb);\n"
		"                  with no air given, the one dongle plugged in\n"
		"  --transport kernel|usb\n"
		"                  the dongle's path: through pawlink.ko, or through\n"
		"                  libusb when no driver has it; default: the\n"
		"                  driver's when it has the dongle, else libusb\n"
		"  --store DIR     the key store; default $XDG_DATA_HOME/pawlink\n"
		"  --json          the result as one JSON document on stdout\n"
		"  -q, --quiet     no progress messages\n"
		"  --progress      the progress line of send, get and record even\n"
		"                  when stderr is not a terminal\n"
		"  --no-progress   never that line\n"
		"  -h, --help      this help; 'pawctl help COMMAND' for a command\n"
		"  --version       pawctl's version\n"
		"\nCommands:\n");
	for (i = 0; i < NUM_COMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i]->name,
			commands[i]->summary);
	fprintf(f, "  %-10s %s\n", "help", "this list, or with COMMAND that command's usage");
	fprintf(f,
		"\nExit status: 0 ok, 1 usage, 2 not found or not paired, 3 refused,\n"
		"4 unreachable or busy, 5 I/O, 6 bad input file, 7 not on this path,\n"
		"130 interrupted.  Documentation/pawctl.rst has the details.\n");
}

const struct pawctl_command *pawctl_find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NUM_COMMANDS; i++)
		if (!strcmp(commands[i]->name, name))
			return commands[i];
	return NULL;
}

/* Whether @s can be shown on a terminal as it is. */
static bool printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/*
 * pawctl help [COMMAND]: the command list, or COMMAND's usage, as
 * --help gives them.  Not in the command table: it needs no key store.
 */
static int help(struct pawctl *c, int argc, char *argv[])
{
	const struct pawctl_command *cmd;

	if (argc < 2) {
		usage(stdout);
		c->helped = true;
		return PAWCTL_EXIT_OK;
	}
	if (argc > 2)
		return pawctl_fail(c, PAWCTL_EXIT_USAGE,
				   "too many arguments; usage: pawctl help [COMMAND]");
	cmd = pawctl_find_command(argv[1]);
	if (!cmd)
		return printable(argv[1]) ?
		       pawctl_fail(c, PAWCTL_EXIT_USAGE,
				   "unknown command '%.32s'; 'pawctl help' lists them",
				   argv[1]) :
		       pawctl_fail(c, PAWCTL_EXIT_USAGE,
				   "unknown command; 'pawctl help' lists them");
	pawctl_usage(stdout, cmd);
	c->helped = true;
	return PAWCTL_EXIT_OK;
}

/* The envelope around the command's fields, or around its error. */
static void print_json(struct pawctl *c, int code)
{
	struct pawctl_json j;

	if (pawctl_json_begin(&j)) {
		fputs("pawctl: out of memory for the JSON document\n", stderr);
		return;
	}
	pawctl_json_u64(&j, "schema", PAWCTL_JSON_SCHEMA);
	pawctl_json_str(&j, "command", c->cmd ? c->cmd->name : NULL);
	pawctl_json_bool(&j, "ok", code == PAWCTL_EXIT_OK);
	if (code != PAWCTL_EXIT_OK) {
		pawctl_json_u64(&j, "exit", (uint64_t)code);
		pawctl_json_str(&j, "error", c->err);
	}
	if (c->have_toy) {
		pawctl_json_open(&j, "toy", '{');
		pawctl_json_hex(&j, "id", c->toy.id, sizeof(c->toy.id));
		pawctl_json_str(&j, "name", c->toy.name);
		pawctl_json_close(&j, '}');
	}
	if (code == PAWCTL_EXIT_OK)
		pawctl_json_merge(&j, &c->j);
	pawctl_json_print(&j, stdout);
	pawctl_json_end(&j);
}

/* Opens libpawlink on the key store, then runs the subcommand. */
static int run(struct pawctl *c, int argc, char *argv[])
{
	char why[PAWLINK_ERR_MAX];

	if (pawlink_open(&c->p, c->store, why, sizeof(why)))
		return pawctl_fail(c, PAWCTL_EXIT_IO, "key store: %s", why);
	return c->cmd->run(c, argc, argv);
}

int main(int argc, char *argv[])
{
	struct pawctl c;
	int i, code;

	memset(&c, 0, sizeof(c));
	pawctl_catch_signals();
	i = pawctl_parse_global(&c, argc, argv);
	if (i == 0) {
		usage(stdout);
		return PAWCTL_EXIT_OK;
	}
	if (i < 0) {
		code = c.exit;
	} else {
		c.cmd = pawctl_find_command(argv[i]);
		if (!strcmp(argv[i], "help"))
			code = help(&c, argc - i, argv + i);
		else if (c.cmd)
			code = run(&c, argc - i, argv + i);
		else if (printable(argv[i]))
			code = pawctl_fail(&c, PAWCTL_EXIT_USAGE,
					   "unknown command '%.32s'; 'pawctl --help' lists them",
					   argv[i]);
		else
			code = pawctl_fail(&c, PAWCTL_EXIT_USAGE,
					   "unknown command; 'pawctl --help' lists them");
	}
	/* The error first: ending a session with a gone toy takes a while. */
	if (code != PAWCTL_EXIT_OK && c.err[0])
		fprintf(stderr, "pawctl: %s\n", c.err);
	pawctl_close_link(&c);
	if (c.json && !c.helped && (i != -1 || code != PAWCTL_EXIT_OK))
		print_json(&c, code);
	pawctl_json_end(&c.j);
	if (fflush(stdout) != 0 && code == PAWCTL_EXIT_OK)
		code = PAWCTL_EXIT_IO;
	return code;
}
