// SPDX-License-Identifier: GPL-2.0
/*
 * pawsim: entry point.  Looks the subcommand up in one table and hands it
 * the rest of the command line; everything else lives in the subcommand's
 * own file.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <pawlink/version.h>

#include <pawlink/version.h>

#include "pawsim.h"

struct subcommand {
	const char *name;
	int (*main)(int argc, char *argv[]);
	const char *summary;
};

static const struct subcommand subcommands[] = {
	{ "dongle", pawsim_dongle_main,
	  "the virtual USB radio dongle (FunctionFS gadget)" },
	{ "air", pawsim_air_main, "the simulated air all radios share" },
	{ "rogue", pawsim_rogue_main,
	  "an attacker's radio: sniff, replay, inject, spoof, brute-force" },
	{ "toy", pawsim_toy_main, "a simulated toy: the toy firmware on the air" },
};

#define NUM_SUBCOMMANDS (sizeof(subcommands) / sizeof(subcommands[0]))

static const char *prog = "pawsim";
static char prog_buf[64];

void pawsim_set_prog(const char *subcommand)
{
	snprintf(prog_buf, sizeof(prog_buf), "pawsim %s", subcommand);
	prog = prog_buf;
}

void pawsim_msg(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n, m;

	n = snprintf(line, sizeof(line), "%s: ", prog);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	n += m;
	if ((size_t)n >= sizeof(line) - 1)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	/* One write(2), so lines from different threads never interleave. */
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}

int pawsim_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", prog);
	return PAWSIM_EXIT_USAGE;
}

int pawsim_signal_ready(int fd)
{
	static const char line[] = "ready\n";
	int rc = 0;

	if (fd < 0)
		return 0;
	if (write(fd, line, sizeof(line) - 1) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "Usage: pawsim <command> [options]\n\n"
		"Simulated hardware for pawlink.  Commands:\n");
	for (i = 0; i < NUM_SUBCOMMANDS; i++)
		fprintf(out, "  %-8s %s\n", subcommands[i].name,
			subcommands[i].summary);
	fprintf(out, "\nRun 'pawsim <command> --help' for a command's options;\n"
		"'pawsim --version' prints pawsim's version.\n"
		"Exit status: 0 success, 1 usage error, 2 runtime error.\n");
}

int main(int argc, char *argv[])
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return PAWSIM_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return PAWSIM_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("pawsim %s\n", PAWLINK_VERSION);
		return PAWSIM_EXIT_OK;
	}
	for (i = 0; i < NUM_SUBCOMMANDS; i++) {
		if (!strcmp(argv[1], subcommands[i].name)) {
			pawsim_set_prog(subcommands[i].name);
			return subcommands[i].main(argc - 1, argv + 1);
		}
	}
	fprintf(stderr, "pawsim: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return PAWSIM_EXIT_USAGE;
}
