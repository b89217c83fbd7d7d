/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pawctl: the user's command line for pawlink toys (Documentation/
 * pawctl.rst).  pawctl.c looks the subcommand up and runs it; each
 * subcommand lives in its own file and is built from the pieces below:
 *
 *   cli.c         options, messages and exit codes
 *   json.c        the --json document, on json-c
 *   lookup.c      what names a toy (id or name) or a message (id, prefix)
 *   link.c        libpawlink, the way to the toys and a session
 *   outfile.c     files pawctl writes: temporary, then renamed; or stdout
 *   audio_out.c   the audio format an output name asks for, and its writer
 *   code_input.c  the setup code, from the terminal without echo or a file
 *   progress.c    the progress line of send, get and record
 *
 * Results go to stdout (a table, or one JSON document with --json);
 * progress and errors go to stderr.  Nothing pawctl prints holds a secret.
 */
#ifndef PAWCTL_H
#define PAWCTL_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "libpawlink.h"

#include <pawlink/version.h>

#define PAWCTL_VERSION		PAWLINK_VERSION
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
/* The --json document's "schema": bumped when a field changes meaning. */
#define PAWCTL_JSON_SCHEMA	1

/* Exit codes (Documentation/pawctl.rst, "Exit codes"). */
enum pawctl_exit {
	PAWCTL_EXIT_OK = 0,
	PAWCTL_EXIT_USAGE = 1,		/* bad command line or argument */
	PAWCTL_EXIT_NOT_FOUND = 2,	/* unknown toy, not paired, no message */
	PAWCTL_EXIT_REFUSED = 3,	/* wrong code, toy does not know us */
	PAWCTL_EXIT_UNREACHABLE = 4,	/* no answer, no air, busy: retry */
	PAWCTL_EXIT_IO = 5,		/* local I/O, key store, toy storage */
	PAWCTL_EXIT_BAD_FILE = 6,	/* an input file pawctl cannot use */
	PAWCTL_EXIT_UNSUPPORTED = 7,	/* not on this path (record: ALSA) */
	PAWCTL_EXIT_INTERRUPTED = 130,	/* SIGINT, SIGTERM or SIGHUP */
};

#define PAWCTL_ERR_MAX		(PAWLINK_ERR_MAX + 256)
#define PAWCTL_OPERANDS_MAX	4
#define PAWCTL_JSON_DEPTH	8
#define PAWCTL_TOY_HEX_LEN	PAWLINK_TOY_HEX_LEN
#define PAWCTL_MSG_HEX_LEN	PAWLINK_MSG_HEX_LEN
/* A message id may be shortened to a unique prefix this long or longer. */
#define PAWCTL_MSG_PREFIX_MIN	4

struct json_object;

/*
 * A JSON document being built (json.c, on json-c); until
 * pawctl_json_begin() every call does nothing.
 */
struct pawctl_json {
	bool on;
	unsigned int depth;
	/* [0] the document, then the objects and arrays open in it. */
	struct json_object *stack[PAWCTL_JSON_DEPTH];
};

struct pawctl;

/* --progress, --no-progress, or neither: on a terminal only. */
enum pawctl_progress_mode {
	PAWCTL_PROGRESS_AUTO,
	PAWCTL_PROGRESS_ON,
	PAWCTL_PROGRESS_OFF,
};

struct pawctl_command {
	const char *name;
	int (*run)(struct pawctl *c, int argc, char *argv[]);
	const char *synopsis;		/* "led TOY on|off" */
	const char *summary;		/* one line for the command list */
	const char *options;		/* the command's own options, or NULL */
	/*
	 * What a numeric operand must be ("the volume is a whole number
	 * from 0 to 100"), for the error when one is given negative: getopt
	 * would otherwise take "-1" for an option.  NULL: no such operand.
	 */
	const char *number;
};

/*
 * One option of a subcommand for pawctl_parse(): its argument lands in
 * *@arg (required_argument) or *@flag is set (no_argument).  An option
 * with @refuse set is recognised only to be refused with that sentence.
 */
struct pawctl_opt {
	const char *name;
	int short_name;			/* 0: long only */
	const char **arg;
	bool *flag;
	const char *refuse;
};

struct pawctl {
	/* Global options. */
	const char *air;		/* --air, else $PAWLINK_AIR */
	const char *device;		/* --device */
	const char *transport;		/* --transport kernel|usb, or NULL */
	const char *store;		/* --store; NULL: the default */
	bool json;
	bool quiet;
	enum pawctl_progress_mode progress;
	const struct pawctl_command *cmd;

	/* The subcommand's operands, after pawctl_parse(). */
	const char *operand[PAWCTL_OPERANDS_MAX];
	unsigned int noperands;
	/* When pawctl_parse() or pawctl_msg_command() says stop. */
	int exit;
	bool helped;			/* --help shown: no result document */

	/* The toy the command is about, once looked up. */
	bool have_toy;
	struct pawlink_toy toy;
	char toy_label[PAWLINK_TOY_NAME_MAX + PAWCTL_TOY_HEX_LEN + 8];

	/*
	 * libpawlink, open before the subcommand runs: opening creates and
	 * reaches nothing, so the key store and audio work offline; a toy is
	 * reachable once pawctl_open_link() attached the way to it.
	 */
	struct pawlink *p;
	/* The dongle attached, when no air was given, and its path. */
	char device_path[PAWLINK_DONGLE_PATH_MAX];
	bool via_usb;			/* libusb, not pawlink.ko */

	/* The command's result fields for --json. */
	struct pawctl_json j;

	char err[PAWCTL_ERR_MAX];
};

/* ---- cli.c: options, output, exit codes -------------------------------- */

/*
 * Parses a subcommand's command line: its own @opts (terminated by an
 * entry with a NULL name; may be NULL) and the global options, in any
 * order, then checks that @min to @max operands remain.  false when the
 * command must return c->exit at once (help shown: 0; an error: 1).
 */
bool pawctl_parse(struct pawctl *c, int argc, char *argv[],
		  const struct pawctl_opt *opts, unsigned int min,
		  unsigned int max);
/*
 * Parses the global options before the subcommand: the subcommand's
 * index in @argv, 0 when --help was asked, or -1 when pawctl must exit
 * with c->exit (--version printed, or an error).
 */
int pawctl_parse_global(struct pawctl *c, int argc, char *argv[]);
void pawctl_usage(FILE *f, const struct pawctl_command *cmd);

/* The command @name, or NULL. */
const struct pawctl_command *pawctl_find_command(const char *name);

/* Records the error sentence for the user and returns @code. */
int pawctl_fail(struct pawctl *c, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A libpawlink error: its sentence, and the exit code its errno means. */
int pawctl_lib_fail(struct pawctl *c, int rc);
/* The exit code for a negative errno from libpawlink. */
int pawctl_exit_for(int rc);

/* Progress and notes on stderr (not with --quiet). */
void pawctl_info(struct pawctl *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Human results on stdout (not with --json). */
void pawctl_out(struct pawctl *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* SIGINT, SIGTERM and SIGHUP interrupt the current wait, once. */
void pawctl_catch_signals(void);
bool pawctl_interrupted(void);

/* "4.1 kB" style, for humans. */
void pawctl_format_bytes(char *out, size_t len, uint64_t bytes);

/* ---- json.c: the --json document --------------------------------------- */

/* An empty object to fill.  0, or -1 out of memory. */
int pawctl_json_begin(struct pawctl_json *j);
/* Frees it; safe on one never begun. */
void pawctl_json_end(struct pawctl_json *j);
/* @key NULL inside an array; @bracket '{' or '['. */
void pawctl_json_open(struct pawctl_json *j, const char *key, char bracket);
void pawctl_json_close(struct pawctl_json *j, char bracket);
void pawctl_json_str(struct pawctl_json *j, const char *key, const char *s);
void pawctl_json_u64(struct pawctl_json *j, const char *key, uint64_t v);
void pawctl_json_bool(struct pawctl_json *j, const char *key, bool v);
void pawctl_json_hex(struct pawctl_json *j, const char *key,
		     const uint8_t *bin, size_t len);
/* Adds every field of @from's document to the object open in @into. */
void pawctl_json_merge(struct pawctl_json *into, const struct pawctl_json *from);
/* The document on one line, then a newline.  0 or -1. */
int pawctl_json_print(const struct pawctl_json *j, FILE *f);
/* A voice message's metadata as an object (fields in pawctl.rst). */
void pawctl_json_msg(struct pawctl *c, const char *key,
		     const struct pawlink_msg_info *m);

/* ---- lookup.c: naming toys and messages -------------------------------- */

/*
 * Looks TOY up in the key store, as a toy id or as the name given at
 * pairing, and makes it the command's toy (c->toy).  0 or an exit code.
 */
int pawctl_lookup_toy(struct pawctl *c, const char *arg);
/* Sets c->toy (and its label). */
void pawctl_set_toy(struct pawctl *c, const struct pawlink_toy *toy);
/*
 * Checks MSG-ID's spelling before anything is done: 32 hex digits, or a
 * prefix of at least PAWCTL_MSG_PREFIX_MIN.  0 or an exit code.
 */
int pawctl_check_msg_id(struct pawctl *c, const char *arg);
/* In a session: the message MSG-ID names (a prefix must be unique). */
int pawctl_lookup_msg(struct pawctl *c, const char *arg,
		      uint8_t id[PAWLINK_MSG_ID_LEN]);

/* A failed message operation on @id: "no such message" names it. */
int pawctl_msg_fail(struct pawctl *c, int rc,
		    const uint8_t id[PAWLINK_MSG_ID_LEN]);

/* ---- link.c: reaching the toy ------------------------------------------ */

/*
 * Attaches the way to the toys to c->p: the air given (--air,
 * $PAWLINK_AIR), else the dongle (--device, or the only one plugged in)
 * on its path: through pawlink.ko when the driver has it, else through
 * libusb (said once), or as --transport forces.  0 or an exit code.
 */
int pawctl_open_link(struct pawctl *c);
/*
 * Looks TOY up (unless the command already did), opens the link and a
 * session with the toy; @status (may be NULL) gets the toy's status.  0
 * or an exit code.
 */
int pawctl_connect(struct pawctl *c, const char *toy,
		   struct pawlink_toy_status_info *status);
/*
 * A command `NAME TOY MSG-ID` with no options of its own: parses its
 * command line, checks MSG-ID's spelling, connects to TOY, finds the
 * message and does @act (pawlink_play, pawlink_delete) to it.  Then the
 * result is {"message":{"id":HEX}} and @hex the message's full id.  false
 * when the command must return c->exit (--help shown: 0; else an error).
 */
bool pawctl_msg_command(struct pawctl *c, int argc, char *argv[],
			int (*act)(struct pawlink *p,
				   const uint8_t id[PAWLINK_MSG_ID_LEN]),
			char hex[PAWCTL_MSG_HEX_LEN + 1]);
/* Ends any session (BYE), closes the link and libpawlink. */
void pawctl_close_link(struct pawctl *c);

/* "kernel" or "usb": the path a dongle's node is on. */
const char *pawctl_dongle_transport(const char *path);

/* ---- outfile.c: files pawctl writes ------------------------------------ */

/*
 * A file written beside its final path under a temporary name (0600: it
 * holds someone's voice) and renamed into place only when complete, so a
 * failure leaves nothing at the path and never a half-written file.  The
 * path "-" is stdout, written as it comes.
 */
struct pawctl_outfile {
	char path[4096];
	char tmp[4096 + 16];
	int fd;
	bool is_stdout;
};

/*
 * Creates the temporary file now, so a bad path fails before any work.
 * "-" is stdout; refused when it is a terminal, or with --json (which
 * writes its document there).
 */
int pawctl_outfile_open(struct pawctl *c, struct pawctl_outfile *of,
			const char *path);
int pawctl_outfile_write(struct pawctl *c, struct pawctl_outfile *of,
			 const uint8_t *data, size_t len);
/* fsync, rename into place.  0 or an exit code (then nothing is left). */
int pawctl_outfile_commit(struct pawctl *c, struct pawctl_outfile *of);
/* Removes the temporary file; safe after a commit or on a closed one. */
void pawctl_outfile_abort(struct pawctl_outfile *of);

/* ---- progress.c: the progress line -------------------------------------- */

struct pawctl_progress {
	bool on;			/* shown at all */
	bool drawn;			/* something is on the line */
	const char *what;		/* "sending", "recording", ... */
	uint64_t start_ns, last_ns;	/* CLOCK_MONOTONIC */
};

/* Decides whether the line is shown (c->progress, stderr a terminal). */
void pawctl_progress_start(struct pawctl *c, struct pawctl_progress *pr,
			   const char *what);
/* A bar, percent, bytes, rate and time left. */
void pawctl_progress_bytes(struct pawctl_progress *pr, uint64_t done,
			   uint64_t total);
/* pawlink_set_progress()'s callback, @ctx a struct pawctl_progress. */
void pawctl_progress_transfer(void *ctx, uint64_t done, uint64_t total);
/* Seconds recorded, seconds left (@total_frames 0: unbounded), a meter. */
void pawctl_progress_seconds(struct pawctl_progress *pr, uint64_t frames,
			     uint64_t total_frames, unsigned int peak);
/* Erases the line. */
void pawctl_progress_end(struct pawctl_progress *pr);

/* ---- audio_out.c: audio files ------------------------------------------ */

enum pawctl_audio_format {
	PAWCTL_FORMAT_OGG_OPUS,		/* .opus */
	PAWCTL_FORMAT_WAV,		/* .wav: 16 kHz mono 16-bit PCM */
	PAWCTL_FORMAT_FLAC,		/* .flac: 16 kHz mono 16-bit */
	PAWCTL_FORMAT_OGG_VORBIS,	/* .ogg */
};

/*
 * The format output name @path asks for, the one rule of get and record:
 * "-" (stdout) is @dash; another name without a known extension is a
 * usage error.  0 or an exit code.
 */
int pawctl_audio_format(struct pawctl *c, const char *path,
			enum pawctl_audio_format dash,
			enum pawctl_audio_format *fmt);
/* The name --json gives @fmt: "wav", "flac", "ogg-vorbis", "ogg-opus". */
const char *pawctl_audio_format_name(enum pawctl_audio_format fmt);

/* Audio streamed to a descriptor, 16 kHz mono, a period at a time. */
struct pawctl_audio_out {
	void *sf;			/* SNDFILE, where libsndfile can */
	bool pipe;			/* else: WAV by hand, lengths unknown */
	bool reader_gone;		/* EPIPE: stdout's reader went away */
	int fd;
	const char *name;		/* for messages */
	uint64_t frames;		/* written */
};

/* Writes the header.  0 or an exit code. */
int pawctl_audio_out_open(struct pawctl *c, struct pawctl_audio_out *ao,
			  int fd, const char *name,
			  enum pawctl_audio_format fmt);
int pawctl_audio_out_write(struct pawctl *c, struct pawctl_audio_out *ao,
			   const int16_t *pcm, size_t frames);
/* Completes the file (its lengths, where it can); the fd stays open. */
int pawctl_audio_out_close(struct pawctl *c, struct pawctl_audio_out *ao);

/* ---- code_input.c: the setup code -------------------------------------- */

#define PAWCTL_CODE_INPUT_MAX	64

/*
 * Reads the setup code for toy @toy_hex: the first line of @code_file
 * ("-": stdin) if given, else from the terminal without echo if stdin is
 * one, else the first line of stdin.  0 or an exit code.  The caller
 * wipes @buf.
 */
int pawctl_read_code(struct pawctl *c, const char *code_file,
		     const char *toy_hex, char buf[PAWCTL_CODE_INPUT_MAX]);

/* ---- the subcommands --------------------------------------------------- */

extern const struct pawctl_command pawctl_cmd_scan, pawctl_cmd_pair,
	pawctl_cmd_toys, pawctl_cmd_status, pawctl_cmd_ls, pawctl_cmd_send,
	pawctl_cmd_get, pawctl_cmd_rm, pawctl_cmd_play, pawctl_cmd_record,
	pawctl_cmd_led, pawctl_cmd_volume, pawctl_cmd_log, pawctl_cmd_unpair,
	pawctl_cmd_forget, pawctl_cmd_dongles, pawctl_cmd_connect,
	pawctl_cmd_disconnect, pawctl_cmd_hosts, pawctl_cmd_revoke,
	pawctl_cmd_invite;

#endif /* PAWCTL_H */
