/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pawsim: the simulated hardware around a pawlink host.  Each subcommand
 * (dongle, and later toy, air, rogue) lives in its own file and is listed
 * once in main.c.
 */
#ifndef PAWSIM_H
#define PAWSIM_H

/* Exit codes shared by every subcommand. */
#define PAWSIM_EXIT_OK		0
#define PAWSIM_EXIT_USAGE	1	/* bad command line */
#define PAWSIM_EXIT_RUNTIME	2	/* the command could not do its job */

/*
 * A subcommand's entry point.  argv[0] is the subcommand's name, so
 * getopt_long() can be used on (argc, argv) as in a standalone program.
 */
int pawsim_dongle_main(int argc, char *argv[]);
int pawsim_air_main(int argc, char *argv[]);
int pawsim_rogue_main(int argc, char *argv[]);
int pawsim_toy_main(int argc, char *argv[]);

/*
 * Human messages on stderr, prefixed "pawsim <subcommand>: ".  Safe to call
 * from any thread; one call writes one line.
 */
void pawsim_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Sets the subcommand name used in the prefix of pawsim_msg(). */
void pawsim_set_prog(const char *subcommand);

/*
 * A bad command line: "pawsim <subcommand>: <why>" and a pointer to --help
 * on stderr.  Returns PAWSIM_EXIT_USAGE.
 */
int pawsim_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/*
 * --ready-fd: writes "ready\n" to @fd and closes it; nothing if @fd < 0.
 * 0, or -errno of a failed write (the fd is closed either way).
 */
int pawsim_signal_ready(int fd);

#endif /* PAWSIM_H */
