// SPDX-License-Identifier: GPL-2.0
/*
 * What every subcommand shares about talking to the user: its command
 * line (its own options and the global ones, anywhere), messages on
 * stderr, results on stdout and the exit code an error means (json.c has
 * the --json document).
 *
 * getopt's own messages are off: they would repeat an option's value, and
 * that value could be a setup code typed where it does not belong.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "pawctl.h"

enum {
	OPT_AIR = 0x100,
	OPT_DEVICE,
	OPT_TRANSPORT,
	OPT_STORE,
	OPT_JSON,
	OPT_VERSION,
	OPT_PROGRESS,
	OPT_NO_PROGRESS,
	OPT_OWN = 0x200,	/* + index into the subcommand's options */
};

#define GLOBAL_SHORT	"qh"
#define OPTS_MAX	24

static const struct option global_opts[] = {
	{ "air", required_argument, NULL, OPT_AIR },
	{ "device", required_argument, NULL, OPT_DEVICE },
	{ "transport", required_argument, NULL, OPT_TRANSPORT },
	{ "store", required_argument, NULL, OPT_STORE },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "quiet", no_argument, NULL, 'q' },
	{ "progress", no_argument, NULL, OPT_PROGRESS },
	{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
	{ "help", no_argument, NULL, 'h' },
};

#define NUM_GLOBAL	(sizeof(global_opts) / sizeof(global_opts[0]))

int pawctl_fail(struct pawctl *c, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	return code;
}

int pawctl_exit_for(int rc)
{
	switch (-rc) {
	case 0:
		return PAWCTL_EXIT_OK;
	case ENOENT:
		return PAWCTL_EXIT_NOT_FOUND;
	case EACCES:
	case EPERM:
	case EPROTONOSUPPORT:
		return PAWCTL_EXIT_REFUSED;
	case ETIMEDOUT:
	case EBUSY:
	case EPIPE:
	case ENODEV:
	case ECONNREFUSED:
	case EHOSTUNREACH:
	case ENOTCONN:
		return PAWCTL_EXIT_UNREACHABLE;
	case EINVAL:
	case ENOTUNIQ:
		return PAWCTL_EXIT_USAGE;
	case EFBIG:
	case EMEDIUMTYPE:
	case ENODATA:
		return PAWCTL_EXIT_BAD_FILE;
	case EOPNOTSUPP:
		return PAWCTL_EXIT_UNSUPPORTED;
	case EINTR:
		return PAWCTL_EXIT_INTERRUPTED;
	default:
		return PAWCTL_EXIT_IO;
	}
}

int pawctl_lib_fail(struct pawctl *c, int rc)
{
	const char *why = c->p ? pawlink_error(c->p) : "";

	if (rc == -EINTR || pawctl_interrupted())
		return pawctl_fail(c, PAWCTL_EXIT_INTERRUPTED, "interrupted");
	return pawctl_fail(c, pawctl_exit_for(rc), "%s",
			   *why ? why : strerror(-rc));
}

void pawctl_info(struct pawctl *c, const char *fmt, ...)
{
	va_list ap;

	if (c->quiet)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void pawctl_out(struct pawctl *c, const char *fmt, ...)
{
	va_list ap;

	if (c->json)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

/* ---- signals ------------------------------------------------------------ */

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

void pawctl_catch_signals(void)
{
	struct sigaction sa;

	/*
	 * No SA_RESTART: the wait in progress returns EINTR, the command
	 * stops and the session still ends with a BYE, so the toy is free
	 * for the next command.  SA_RESETHAND: a second signal kills.
	 */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

bool pawctl_interrupted(void)
{
	return interrupted;
}

/* ---- command lines ------------------------------------------------------ */

void pawctl_usage(FILE *f, const struct pawctl_command *cmd)
{
	fprintf(f, "Usage: pawctl [global options] %s\n", cmd->synopsis);
	fprintf(f, "\n%s.\n", cmd->summary);
	if (cmd->options)
		fprintf(f, "\nOptions:\n%s", cmd->options);
	fprintf(f, "\nGlobal options (anywhere): --air SOCKET, --device PATH,\n"
		"--transport kernel|usb, --store DIR,\n"
		"--json, -q/--quiet, --progress/--no-progress, -h/--help.\n"
		"See 'pawctl --help'.\n");
}

/* The option as typed, without any "=value" (which could be a secret). */
static void option_name(char *out, size_t len, const char *arg)
{
	size_t n = strcspn(arg, "=");

	snprintf(out, len, "%.*s", (int)(n < 40 ? n : 40), arg);
}

static int bad_option(struct pawctl *c, int o, const char *arg)
{
	char name[48];

	/* A short option: its letter alone ("-c12345678" is not echoed). */
	if (optopt > 0x20 && optopt < 0x7f)
		snprintf(name, sizeof(name), "-%c", optopt);
	else
		option_name(name, sizeof(name), arg ? arg : "");
	if (o == ':')
		return pawctl_fail(c, PAWCTL_EXIT_USAGE,
				   "option '%s' needs an argument", name);
	return pawctl_fail(c, PAWCTL_EXIT_USAGE,
			   "unknown or ambiguous option '%s'", name);
}

/*
 * "-1" where an operand is expected: getopt saw an option, the user a
 * number.  Its digit is no option of ours, so a refused "-<digit>..." is
 * always a negative number, in argv[optind] (more letters follow) or the
 * one before.  true when it was one (the error is then set).
 */
static bool negative_number(struct pawctl *c, int argc, char *argv[])
{
	const char *arg;
	int i = optind;

	if (optopt < '0' || optopt > '9')
		return false;
	if (i >= argc || argv[i][0] != '-' || argv[i][1] < '0' ||
	    argv[i][1] > '9')
		i--;
	if (i <= 0 || i >= argc)
		return false;
	arg = argv[i];
	if (c->cmd && c->cmd->number)
		pawctl_fail(c, PAWCTL_EXIT_USAGE, "%s, not '%.16s'",
			    c->cmd->number, arg);
	else
		pawctl_fail(c, PAWCTL_EXIT_USAGE,
			    "'%.16s': no argument of 'pawctl %s' is a negative number",
			    arg, c->cmd ? c->cmd->name : "");
	return true;
}

/* 1 if @o was a global option (now applied), 0 if not. */
static int global_option(struct pawctl *c, int o, const char *arg)
{
	switch (o) {
	case OPT_AIR:
		c->air = arg;
		return 1;
	case OPT_DEVICE:
		c->device = arg;
		return 1;
	case OPT_TRANSPORT:
		c->transport = arg;
		return 1;
	case OPT_STORE:
		c->store = arg;
		return 1;
	case OPT_JSON:
		c->json = true;
		return 1;
	case 'q':
		c->quiet = true;
		return 1;
	case OPT_PROGRESS:
		c->progress = PAWCTL_PROGRESS_ON;
		return 1;
	case OPT_NO_PROGRESS:
		c->progress = PAWCTL_PROGRESS_OFF;
		return 1;
	default:
		return 0;
	}
}

/* The argument getopt just consumed as an option, for messages. */
static const char *current_arg(int argc, char *argv[])
{
	int i = optind - 1;

	return i > 0 && i < argc ? argv[i] : "";
}

static int find_short(const struct pawctl_opt *opts, int o)
{
	int i;

	for (i = 0; opts && opts[i].name; i++)
		if (opts[i].short_name && opts[i].short_name == o)
			return i;
	return -1;
}

static int own_option(struct pawctl *c, const struct pawctl_opt *opt,
		      const char *arg)
{
	if (opt->refuse)
		return pawctl_fail(c, PAWCTL_EXIT_USAGE, "%s", opt->refuse);
	if (opt->arg)
		*opt->arg = arg;
	if (opt->flag)
		*opt->flag = true;
	return 0;
}

bool pawctl_parse(struct pawctl *c, int argc, char *argv[],
		  const struct pawctl_opt *opts, unsigned int min,
		  unsigned int max)
{
	struct option all[OPTS_MAX + NUM_GLOBAL + 1];
	char shorts[2 * OPTS_MAX + 8] = ":" GLOBAL_SHORT;
	size_t n = 0, s = strlen(shorts), i;
	unsigned int nops;
	int o, idx;

	for (i = 0; opts && opts[i].name && n < OPTS_MAX; i++, n++) {
		all[n] = (struct option){
			.name = opts[i].name,
			.has_arg = opts[i].refuse ? optional_argument :
				   opts[i].arg ? required_argument : no_argument,
			.val = OPT_OWN + (int)i,
		};
		if (opts[i].short_name) {
			shorts[s++] = (char)opts[i].short_name;
			if (opts[i].arg)
				shorts[s++] = ':';
		}
	}
	shorts[s] = '\0';
	memcpy(all + n, global_opts, sizeof(global_opts));
	memset(&all[n + NUM_GLOBAL], 0, sizeof(all[0]));

	c->exit = PAWCTL_EXIT_USAGE;
	optind = 0;		/* glibc: start over, a new argv */
	opterr = 0;
	while ((o = getopt_long(argc, argv, shorts, all, NULL)) != -1) {
		if (global_option(c, o, optarg))
			continue;
		if (o == 'h') {
			pawctl_usage(stdout, c->cmd);
			c->exit = PAWCTL_EXIT_OK;
			c->helped = true;
			return false;
		}
		if (o == '?' && negative_number(c, argc, argv))
			return false;
		if (o == '?' || o == ':') {
			bad_option(c, o, current_arg(argc, argv));
			return false;
		}
		idx = o >= OPT_OWN ? o - OPT_OWN : find_short(opts, o);
		if (idx < 0 || own_option(c, &opts[idx], optarg))
			return false;
	}
	nops = (unsigned int)(argc - optind);
	if (nops < min || nops > max) {
		/* The operands themselves are not repeated: see above. */
		pawctl_fail(c, PAWCTL_EXIT_USAGE, "%s arguments; usage: pawctl %s",
			    nops < min ? "missing" : "too many",
			    c->cmd->synopsis);
		return false;
	}
	for (c->noperands = 0; c->noperands < nops; c->noperands++)
		c->operand[c->noperands] = argv[optind + (int)c->noperands];
	/* --json may come after the subcommand: the result is gathered now. */
	if (c->json && !c->j.on && pawctl_json_begin(&c->j)) {
		pawctl_fail(c, PAWCTL_EXIT_IO, "out of memory");
		c->exit = PAWCTL_EXIT_IO;
		return false;
	}
	return true;
}

int pawctl_parse_global(struct pawctl *c, int argc, char *argv[])
{
	struct option all[NUM_GLOBAL + 2];
	int o;

	memcpy(all, global_opts, sizeof(global_opts));
	all[NUM_GLOBAL] = (struct option){ "version", no_argument, NULL,
					   OPT_VERSION };
	memset(&all[NUM_GLOBAL + 1], 0, sizeof(all[0]));
	c->exit = PAWCTL_EXIT_USAGE;
	optind = 0;
	opterr = 0;
	/* "+": stop at the subcommand, whose options are its own. */
	while ((o = getopt_long(argc, argv, "+:" GLOBAL_SHORT, all,
				NULL)) != -1) {
		if (global_option(c, o, optarg))
			continue;
		if (o == 'h') {
			c->exit = PAWCTL_EXIT_OK;
			return 0;
		}
		if (o == OPT_VERSION) {
			printf("pawctl %s (JSON schema %d)\n", PAWCTL_VERSION,
			       PAWCTL_JSON_SCHEMA);
			c->exit = PAWCTL_EXIT_OK;
			return -1;
		}
		bad_option(c, o, current_arg(argc, argv));
		return -1;
	}
	if (optind >= argc) {
		pawctl_fail(c, PAWCTL_EXIT_USAGE,
			    "no command given; 'pawctl --help' lists them");
		return -1;
	}
	return optind;
}

void pawctl_format_bytes(char *out, size_t len, uint64_t bytes)
{
	if (bytes < 1000)
		snprintf(out, len, "%u B", (unsigned int)bytes);
	else if (bytes < 1000000)
		snprintf(out, len, "%.1f kB", (double)bytes / 1e3);
	else
		snprintf(out, len, "%.1f MB", (double)bytes / 1e6);
}
