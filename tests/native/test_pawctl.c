// SPDX-License-Identifier: GPL-2.0
/*
 * pawctl as a user runs it: the built binary (build/san/pawctl, or
 * $PAWCTL) against `pawsim air` and `pawsim toy` processes in a temporary
 * directory.  Every subcommand's happy path, the --json documents and
 * their fields, the exit code of each error, that a refused command
 * changes nothing, that no output ever holds the setup code or the host's
 * secret key, and the README demo script.
 *
 * Real time: every wait is for an event (a process's output or exit),
 * bounded by TEST_WAIT_MS only to turn a hang into a failure.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sndfile.h>
#include <sodium.h>

#include "json_read.h"
#include "keystore.h"
#include "pawsim_procs.h"
#include "setup_code.h"
#include "tmpdir.h"
#include "bytes.h"

/* pawctl's documented exit codes (Documentation/pawctl.rst). */
enum {
	EXIT_OK = 0, EXIT_USAGE = 1, EXIT_NOT_FOUND = 2, EXIT_REFUSED = 3,
	EXIT_UNREACHABLE = 4, EXIT_IO = 5, EXIT_BAD_FILE = 6,
	EXIT_UNSUPPORTED = 7, EXIT_INTERRUPTED = 130,
};

#define OUT_MAX		65536
#define ARGS_MAX	32
#define ENV_MAX		8

/* One pawctl run: its exit status and what it printed. */
struct run {
	int status;
	char out[OUT_MAX];
	char err[OUT_MAX];
};

/* A pawctl process still running (for the interruption test). */
struct proc {
	struct child c;
	size_t out_len, err_len;
};

/* An air, a toy on it, and this host's key store, in one directory. */
struct world {
	struct test_dir d;
	struct child air, toy;
	char toy_dir[160], store[160], label[160];
	char code[16];			/* as printed: 1234-5678 */
	char toy_hex[PAWLINK_ID_LEN * 2 + 1];
};

static struct run r;
/* Everything any pawctl run printed, for the secrets check. */
static char *transcript;
static size_t transcript_len;

static void transcript_add(const char *s)
{
	size_t n = strlen(s);
	char *grown = realloc(transcript, transcript_len + n + 1);

	assert_non_null(grown);
	transcript = grown;
	memcpy(transcript + transcript_len, s, n + 1);
	transcript_len += n;
}

/* ---- running pawctl ----------------------------------------------------- */

/*
 * Starts pawctl with @argv (without the program), @input on its stdin
 * (NULL: /dev/null) and @env ("K=V" strings, NULL-terminated, may be
 * NULL) added to an environment without PAWLINK_AIR.
 */
static void proc_start(struct proc *p, const char *input,
		       const char *const env[], const char *const argv[])
{
	/* Nothing from this environment's PAWLINK_AIR; then @env. */
	const char *envs[ENV_MAX + 2] = { "PAWLINK_AIR" };
	const char *full[ARGS_MAX + 2];
	const struct child_opts opts = {
		.input = input ? input : "", .env = envs, .err_pipe = true,
	};
	size_t i;

	full[0] = pawctl_path();
	for (i = 0; argv[i]; i++) {
		assert_true(i < ARGS_MAX);
		full[i + 1] = argv[i];
	}
	full[i + 1] = NULL;
	for (i = 0; env && env[i]; i++) {
		assert_true(i < ENV_MAX);
		envs[i + 1] = env[i];
	}
	envs[i + 1] = NULL;
	assert_int_equal(child_spawn(&p->c, &opts, full), 0);
	p->out_len = 0;
	p->err_len = 0;
	r.out[0] = '\0';
	r.err[0] = '\0';
}

/* Reads what is there (waiting up to @ms); false once both are closed. */
static bool proc_read(struct proc *p, int ms)
{
	struct pollfd pfd[2] = {
		{ .fd = p->c.out_fd, .events = POLLIN },
		{ .fd = p->c.err_fd, .events = POLLIN },
	};
	char *buf[2] = { r.out, r.err };
	size_t *len[2] = { &p->out_len, &p->err_len };
	int i, *fd[2] = { &p->c.out_fd, &p->c.err_fd };
	ssize_t n;

	if (p->c.out_fd < 0 && p->c.err_fd < 0)
		return false;
	if (poll(pfd, 2, ms) <= 0)
		return true;
	for (i = 0; i < 2; i++) {
		if (*fd[i] < 0 || !(pfd[i].revents & (POLLIN | POLLHUP)))
			continue;
		n = read(*fd[i], buf[i] + *len[i], OUT_MAX - 1 - *len[i]);
		if (n <= 0) {
			close(*fd[i]);
			*fd[i] = -1;
			continue;
		}
		*len[i] += (size_t)n;
		buf[i][*len[i]] = '\0';
	}
	return true;
}

/* Waits until the process has written @text to stderr. */
static void proc_wait_stderr(struct proc *p, const char *text)
{
	int waited;

	for (waited = 0; waited < TEST_WAIT_MS && !strstr(r.err, text);
	     waited += 100)
		if (!proc_read(p, 100))
			break;
	if (!strstr(r.err, text))
		fail_msg("pawctl never said '%s'; stderr: %s", text, r.err);
}

static int proc_finish(struct proc *p)
{
	int status, waited = 0;

	while (proc_read(p, 100) && waited < TEST_WAIT_MS)
		waited += 100;
	if (p->c.out_fd >= 0 || p->c.err_fd >= 0) {
		child_kill(&p->c);
		fail_msg("pawctl did not finish; stderr: %s", r.err);
	}
	assert_int_equal(waitpid(p->c.pid, &status, 0), p->c.pid);
	p->c.pid = 0;
	assert_true(WIFEXITED(status));
	r.status = WEXITSTATUS(status);
	transcript_add(r.out);
	transcript_add(r.err);
	return r.status;
}

static int run_argv(const char *input, const char *const env[],
		    const char *const argv[])
{
	struct proc p;

	proc_start(&p, input, env, argv);
	return proc_finish(&p);
}

/* Collects a NULL-terminated list of arguments after @first. */
static void collect(const char **argv, size_t start, const char *first,
		    va_list ap)
{
	const char *a = first;
	size_t i = start;

	while (a) {
		assert_true(i < ARGS_MAX);
		argv[i++] = a;
		a = va_arg(ap, const char *);
	}
	argv[i] = NULL;
}

/* pawctl with no --air and a throwaway store: for the command line. */
static int bare(const char *first, ...)
{
	const char *argv[ARGS_MAX + 1];
	va_list ap;

	va_start(ap, first);
	collect(argv, 0, first, ap);
	va_end(ap);
	return run_argv(NULL, NULL, argv);
}

static void world_args(struct world *w, const char **argv)
{
	argv[0] = "--air";
	argv[1] = w->d.sock;
	argv[2] = "--store";
	argv[3] = w->store;
}

/* pawctl --air AIR --store STORE ARGS...; stdin from @input. */
static int ctl_in(struct world *w, const char *input, const char *first, ...)
{
	const char *argv[ARGS_MAX + 1];
	va_list ap;

	world_args(w, argv);
	va_start(ap, first);
	collect(argv, 4, first, ap);
	va_end(ap);
	return run_argv(input, NULL, argv);
}

#define ctl(w, ...)	ctl_in(w, NULL, __VA_ARGS__)

static void ctl_start(struct world *w, struct proc *p, const char *first, ...)
{
	const char *argv[ARGS_MAX + 1];
	va_list ap;

	world_args(w, argv);
	va_start(ap, first);
	collect(argv, 4, first, ap);
	va_end(ap);
	proc_start(p, NULL, NULL, argv);
}

/* ---- reading JSON, parsed with json-c ---------------------------------- */

/* The document read last; reading the next releases it. */
static struct json_object *last_doc;

/* @text as one JSON document on one line; fails the test if it is not. */
static struct json_object *doc(const char *text)
{
	json_object_put(last_doc);
	last_doc = json_read_line(text);
	if (!last_doc)
		fail_msg("not one JSON document on one line: %s", text);
	return last_doc;
}

/*
 * One JSON document on one line that starts with schema 1, then the
 * command (@command; NULL: none was recognised), then ok as @ok.
 */
static void assert_document(const char *out, const char *command, bool ok)
{
	static const char *const first[] = { "schema", "command", "ok" };
	struct json_object *d = doc(out), *v;
	size_t i = 0;

	json_object_object_foreach(d, name, member) {
		(void)member;
		if (i < 3 && strcmp(name, first[i]))
			fail_msg("member %zu is \"%s\", not \"%s\": %s", i,
				 name, first[i], out);
		i++;
	}
	if (i < 3)
		fail_msg("fewer than 3 members: %s", out);
	v = json_read_at(d, "schema");
	assert_true(json_object_is_type(v, json_type_int));
	assert_int_equal(json_object_get_int64(v), 1);
	v = json_read_at(d, "command");
	if (command) {
		assert_true(json_object_is_type(v, json_type_string));
		assert_string_equal(json_object_get_string(v), command);
	} else {
		assert_null(v);
	}
	v = json_read_at(d, "ok");
	assert_true(json_object_is_type(v, json_type_boolean));
	assert_int_equal(json_object_get_boolean(v), ok);
}

/* The value at @path in @json's document, of @type; fails if none. */
static struct json_object *json_value(const char *json, const char *path,
				      json_type type)
{
	struct json_object *v = json_read_at(doc(json), path);

	if (!json_object_is_type(v, type))
		fail_msg("no %s at %s in %s", json_type_to_name(type), path,
			 json);
	return v;
}

/* The string at @path in @json, into @buf. */
static const char *json_text(const char *json, const char *path, char *buf,
			     size_t cap)
{
	const char *v = json_object_get_string(json_value(json, path,
							   json_type_string));

	assert_true(strlen(v) < cap);
	return strcpy(buf, v);
}

/* The boolean at @path in @json. */
static bool json_flag(const char *json, const char *path)
{
	return json_object_get_boolean(json_value(json, path,
						  json_type_boolean));
}

/* How many elements the array at @path in @json has. */
static size_t json_len(const char *json, const char *path)
{
	return json_object_array_length(json_value(json, path,
						   json_type_array));
}

/* Whether @path in @json is there and null. */
static bool json_null_at(const char *json, const char *path)
{
	struct json_object *d = doc(json);

	return json_read_has(d, path) && !json_read_at(d, path);
}

/*
 * The first object in @json whose member @key is the string @value (an
 * event by name, a message by id), or NULL; valid until the next read.
 */
static struct json_object *json_with(const char *json, const char *key,
				     const char *value)
{
	return json_read_find(doc(json), key, value);
}

/* Member @key of @o as a string ("" if it is not one). */
static const char *member_text(struct json_object *o, const char *key)
{
	struct json_object *v = json_read_at(o, key);

	return json_object_is_type(v, json_type_string) ?
	       json_object_get_string(v) : "";
}

/* ---- files -------------------------------------------------------------- */

static void read_text(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, cap - 1);
	close(fd);
	assert_true(n >= 0);
	buf[n] = '\0';
}

static bool exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/*
 * A sound file's length in frames and its peak: 16 kHz mono, and
 * @format (libsndfile's major format and encoding) as its header says.
 */
static long sound_frames(const char *path, int format, int *peak)
{
	SF_INFO info = { 0 };
	SNDFILE *f = sf_open(path, SFM_READ, &info);
	short buf[1024];
	sf_count_t n, i;

	if (!f)
		fail_msg("'%s' is not a sound file", path);
	if (info.format != format)
		fail_msg("'%s' is format 0x%x, not 0x%x", path, info.format,
			 format);
	assert_int_equal(info.samplerate, 16000);
	assert_int_equal(info.channels, 1);
	*peak = 0;
	while ((n = sf_readf_short(f, buf, 1024)) > 0)
		for (i = 0; i < n; i++)
			if (abs(buf[i]) > *peak)
				*peak = abs(buf[i]);
	sf_close(f);
	return (long)info.frames;
}

static long wav_frames(const char *path, int *peak)
{
	return sound_frames(path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, peak);
}

/* The formats record and get write, by the output name's extension. */
static const struct {
	const char *ext, *json;
	int format;
	bool lossless;
} sound_formats[] = {
	{ ".wav", "wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, true },
	{ ".flac", "flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, true },
	{ ".ogg", "ogg-vorbis", SF_FORMAT_OGG | SF_FORMAT_VORBIS, false },
	{ ".opus", "ogg-opus", SF_FORMAT_OGG | SF_FORMAT_OPUS, false },
};

static void sha256_hex(const char *path, char out[65])
{
	uint8_t sum[crypto_hash_sha256_BYTES], buf[4096];
	crypto_hash_sha256_state st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	assert_true(fd >= 0);
	crypto_hash_sha256_init(&st);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		crypto_hash_sha256_update(&st, buf, (size_t)n);
	close(fd);
	crypto_hash_sha256_final(&st, sum);
	pawlink_hex_encode(out, sum, sizeof(sum));
}

/* A 16-bit WAV of @seconds of silence at 8 kHz. */
static void make_silence(const char *path, unsigned int seconds)
{
	SF_INFO info = {
		.samplerate = 8000, .channels = 1,
		.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16,
	};
	static short zeros[8000];
	SNDFILE *f = sf_open(path, SFM_WRITE, &info);
	unsigned int i;

	assert_non_null(f);
	for (i = 0; i < seconds; i++)
		assert_int_equal(sf_writef_short(f, zeros, 8000), 8000);
	assert_int_equal(sf_close(f), 0);
}

/* ---- the world ---------------------------------------------------------- */

static void world_path(struct world *w, const char *name, char *out)
{
	test_dir_file(&w->d, name, out, 160);
}

static void world_start(struct world *w)
{
	char speaker[160];
	const char *const toy_args[] = { "--mic", "tone:440", "--speaker",
					 speaker, "--json", NULL };
	int tries;

	memset(w, 0, sizeof(*w));
	assert_int_equal(test_dir_init(&w->d), 0);
	world_path(w, "toy", w->toy_dir);
	world_path(w, "host", w->store);
	world_path(w, "toy/label", w->label);
	world_path(w, "speaker.wav", speaker);
	assert_int_equal(pawsim_air_start(&w->air, w->d.sock, NULL), 0);
	assert_int_equal(pawsim_toy_start(&w->toy, w->d.sock, w->toy_dir,
					  toy_args), 0);
	assert_int_equal(pawsim_toy_label(w->toy_dir, w->code,
					  sizeof(w->code)), 0);
	assert_int_equal(strlen(w->code), 9);

	/* The toy's id, as a user learns it: from a scan. */
	for (tries = 0; tries < 10 && !w->toy_hex[0]; tries++) {
		assert_int_equal(ctl(w, "--json", "scan", NULL), EXIT_OK);
		if (json_len(r.out, "toys") > 0)
			json_text(r.out, "toys.0.id", w->toy_hex,
				  sizeof(w->toy_hex));
	}
	assert_int_equal(strlen(w->toy_hex), 16);
}

/* Stops the toy; its --json counters into @json. */
static void world_stop_toy(struct world *w, char *json, size_t cap)
{
	assert_true(w->toy.pid > 0);
	assert_int_equal(child_stop(&w->toy, json, cap), 0);
}

static struct world world;

static int world_setup(void **state)
{
	world_start(&world);
	*state = &world;
	return 0;
}

/* Also after a failed test: no process and no file is left behind. */
static int world_teardown(void **state)
{
	struct world *w = *state;
	char buf[4096];

	/* Stopping one that is not running (any more) does nothing. */
	child_stop(&w->toy, buf, sizeof(buf));
	child_stop(&w->air, buf, sizeof(buf));
	return test_dir_remove(&w->d);
}

static void press(struct world *w)
{
	char out[256];

	assert_int_equal(pawsim_toy_command(w->toy_dir, "press", out,
					    sizeof(out)), 0);
}

/* Presses the button and pairs as @name with the label's code. */
static void pair(struct world *w, const char *name)
{
	press(w);
	assert_int_equal(ctl(w, "pair", w->toy_hex, "--name", name,
			     "--code-file", w->label, NULL), EXIT_OK);
}

/* A well-formed setup code that is not the toy's. */
static void wrong_code(const struct world *w, char out[16])
{
	struct pawlink_setup_code code;
	const char *why;
	int i;

	for (i = 0; i < 9; i++) {
		memcpy(out, w->code, 9);
		out[9] = '\n';
		out[10] = '\0';
		if (i == 4)
			continue;
		out[i] = (char)('0' + (out[i] - '0' + 1) % 10);
		if (pawlink_setup_code_parse(&code, out, &why) == 0)
			return;
	}
	fail_msg("no wrong code found");
}

/* The toy's log_next, from a status (which is itself one session). */
static long log_next(struct world *w)
{
	assert_int_equal(ctl(w, "--json", "status", "bear", NULL), EXIT_OK);
	return (long)json_number(r.out, "log_next");
}

/* tests/native/completion.sh: the bash completion, with toy and messages. */
static void completion(struct world *w, const char *id, const char *second)
{
	char script[260], cwd[200], buf[4096];
	const char *argv[] = { script, pawctl_path(), w->store, w->d.sock, id,
			       second, NULL };
	const struct child_opts opts = { .err_to_out = true };
	struct child c;

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(script, sizeof(script), "%s/tests/native/completion.sh", cwd);
	assert_int_equal(child_spawn(&c, &opts, argv), 0);
	if (child_finish(&c, buf, sizeof(buf)) != 0)
		fail_msg("the bash completion is wrong:\n%s", buf);
}

/* ---- tests -------------------------------------------------------------- */

static void test_command_line(void **state)
{
	const char *names[] = { "scan", "pair", "toys", "status", "ls", "send",
				"get", "rm", "play", "record", "led", "volume",
				"log", "unpair", "forget", "dongles", "connect",
				"disconnect" };
	size_t i;

	(void)state;
	assert_int_equal(bare(NULL), EXIT_USAGE);
	assert_non_null(strstr(r.err, "no command"));
	assert_int_equal(bare("--help", NULL), EXIT_OK);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char line[32];

		snprintf(line, sizeof(line), "\n  %-8s ", names[i]);
		assert_non_null(strstr(r.out, line));
	}
	assert_int_equal(bare("--version", NULL), EXIT_OK);
	assert_non_null(strstr(r.out, "pawctl "));
	assert_int_equal(bare("status", "--help", NULL), EXIT_OK);
	assert_non_null(strstr(r.out, "status TOY"));
	/* help COMMAND is COMMAND --help; help alone the list. */
	assert_int_equal(bare("help", "send", NULL), EXIT_OK);
	assert_non_null(strstr(r.out, "Usage: pawctl [global options] send TOY"));
	assert_int_equal(bare("help", NULL), EXIT_OK);
	assert_non_null(strstr(r.out, "\n  volume "));
	assert_int_equal(bare("help", "frobnicate", NULL), EXIT_USAGE);
	assert_non_null(strstr(r.err, "unknown command 'frobnicate'"));
	/* A negative number is a value out of range, named, not an option. */
	assert_int_equal(bare("volume", "bear", "-1", NULL), EXIT_USAGE);
	assert_non_null(strstr(r.err, "volume is a whole number from 0 to 100, not '-1'"));
	assert_int_equal(bare("volume", "bear", "-12", NULL), EXIT_USAGE);
	assert_non_null(strstr(r.err, "not '-12'"));
	assert_int_equal(bare("status", "-3", NULL), EXIT_USAGE);
	assert_non_null(strstr(r.err, "'-3': no argument of 'pawctl status' is a negative number"));
	assert_int_equal(bare("frobnicate", NULL), EXIT_USAGE);
	assert_non_null(strstr(r.err, "unknown command 'frobnicate'"));
	assert_int_equal(bare("--frob", "scan", NULL), EXIT_USAGE);
	assert_int_equal(bare("status", NULL), EXIT_USAGE);
	assert_non_null(strstr(r.err, "missing arguments"));
	assert_int_equal(bare("status", "a", "b", NULL), EXIT_USAGE);
	assert_non_null(strstr(r.err, "too many arguments"));
	assert_int_equal(bare("led", "bear", "blink", NULL), EXIT_USAGE);
	assert_int_equal(bare("volume", "bear", "101", NULL), EXIT_USAGE);
	assert_int_equal(bare("volume", "bear", "5x", NULL), EXIT_USAGE);
	assert_int_equal(bare("scan", "--seconds", "0", NULL), EXIT_USAGE);
	assert_int_equal(bare("record", "bear", NULL), EXIT_USAGE);
	assert_non_null(strstr(r.err, "-o FILE.wav"));
	assert_int_equal(bare("record", "bear", "-o", "x.wav", "--seconds",
			      "301", NULL), EXIT_USAGE);
	assert_int_equal(bare("get", "bear", "xyz", NULL), EXIT_USAGE);
	assert_non_null(strstr(r.err, "not a message id"));
	/* A format neither writes: refused by both, in the same words. */
	assert_int_equal(bare("get", "bear", "abcd", "-o", "x.mp3", NULL),
			 EXIT_USAGE);
	assert_non_null(strstr(r.err, "cannot tell the format from 'x.mp3'"));
	assert_int_equal(bare("record", "bear", "-o", "x.mp3", NULL),
			 EXIT_USAGE);
	assert_non_null(strstr(r.err, "cannot tell the format from 'x.mp3'"));
	assert_int_equal(bare("pair", "bear", NULL), EXIT_USAGE);
	assert_non_null(strstr(r.err, "not a toy id"));
	assert_int_equal(bare("pair", "0123456789abcdef", "--name",
			      "fedcba9876543210", NULL), EXIT_USAGE);
	assert_non_null(strstr(r.err, "would read as a toy id"));
	assert_int_equal(bare("--air", "a", "--device", "d", "scan", NULL),
			 EXIT_USAGE);

	/*
	 * The dongle path: a node that is not there is no way to a toy
	 * (4), something else than a dongle is a wrong --device (1).
	 */
	assert_int_equal(bare("--device", "/dev/pawlink-none", "scan", NULL),
			 EXIT_UNREACHABLE);
	assert_non_null(strstr(r.err, "no dongle at '/dev/pawlink-none'"));
	assert_int_equal(bare("scan", "--json", "--device", "/dev/pawlink-none",
			      NULL), EXIT_UNREACHABLE);
	assert_document(r.out, "scan", false);
	assert_int_equal(json_number(r.out, "exit"), EXIT_UNREACHABLE);
	assert_int_equal(bare("--device", "/dev/null", "scan", NULL),
			 EXIT_USAGE);
	assert_non_null(strstr(r.err, "'/dev/null' is not a pawlink dongle"));
	/*
	 * --transport: two words only, not with --air, and a usbfs --device
	 * is the usb path's (a node that is not there: 4, as above).
	 */
	assert_int_equal(bare("--transport", "serial", "scan", NULL),
			 EXIT_USAGE);
	assert_non_null(strstr(r.err, "--transport takes 'kernel'"));
	assert_int_equal(bare("--air", "a", "--transport", "usb", "scan",
			      NULL), EXIT_USAGE);
	assert_non_null(strstr(r.err, "--transport chooses a dongle's path"));
	assert_int_equal(bare("--transport", "kernel", "--device",
			      "/dev/bus/usb/999/999", "scan", NULL),
			 EXIT_USAGE);
	assert_int_equal(bare("--device", "/dev/bus/usb/999/999", "scan",
			      NULL), EXIT_UNREACHABLE);
	assert_non_null(strstr(r.err, "no dongle at '/dev/bus/usb/999/999'"));
	/* With neither air nor --device: the dongle plugged in, if any. */
	if (access("/sys/bus/usb/drivers/pawlink", F_OK)) {
		assert_int_equal(bare("scan", NULL), EXIT_UNREACHABLE);
		assert_non_null(strstr(r.err, "no pawlink dongle is plugged in"));
		assert_int_equal(bare("--json", "dongles", NULL), EXIT_OK);
		assert_document(r.out, "dongles", true);
		assert_int_equal(json_len(r.out, "dongles"), 0);
	}
	/* No air at all is a different failure from a missing toy. */
	assert_int_equal(bare("--air", "/nonexistent/air.sock", "scan", NULL),
			 EXIT_UNREACHABLE);
	/* A usage error still gives a document with --json. */
	assert_int_equal(bare("--json", "frobnicate", NULL), EXIT_USAGE);
	assert_document(r.out, NULL, false);
}

/* The code never comes from argv, and a refused one is never repeated. */
static void test_code_on_command_line_refused(void **state)
{
	const char *spellings[][2] = {
		{ "--code", "24681357" },
		{ "--code=24681357", NULL },
		{ "--code=2468-1357", NULL },
		{ "--cod=24681357", NULL },
		{ "-c24681357", NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
		int rc = bare("pair", "0123456789abcdef", spellings[i][0],
			      spellings[i][1], NULL);

		assert_int_equal(rc, EXIT_USAGE);
		assert_null(strstr(r.err, "24681357"));
		assert_null(strstr(r.err, "2468-1357"));
		assert_null(strstr(r.out, "24681357"));
		if (i < 3) {
			assert_non_null(strstr(r.err, "refusing --code"));
			assert_non_null(strstr(r.err, " ps "));
			assert_non_null(strstr(r.err, "history"));
		}
	}
	/* A code as an extra operand is not echoed either. */
	assert_int_equal(bare("pair", "0123456789abcdef", "24681357", NULL),
			 EXIT_USAGE);
	assert_null(strstr(r.err, "24681357"));
}

/* Every subcommand's happy path, in the order a user meets them. */
static void test_every_command(void **state)
{
	char wav[160], opus[160], dec[160], rec_file[160], path[400];
	char id[40], second[40], sha[80], sum[65], prefix[12], bad[16];
	char toy_json[4096];
	char secret[2 * PAWLINK_PAIR_STATIC_LEN + 1], host_id[17];
	struct pawlink_host_identity host;
	struct world *w = *state;
	struct json_object *ev;
	struct stat st;
	long frames;
	size_t i;
	int peak, tries;

	world_path(w, "mic.wav", wav);
	world_path(w, "msg.opus", opus);
	world_path(w, "msg.wav", dec);

	/* scan: the toy, its window closed, not paired here. */
	assert_int_equal(ctl(w, "scan", "--json", NULL), EXIT_OK);
	assert_document(r.out, "scan", true);
	assert_false(json_flag(r.out, "toys.0.pairing"));
	assert_false(json_flag(r.out, "toys.0.paired"));
	assert_true(json_null_at(r.out, "toys.0.name"));
	press(w);
	for (tries = 0; tries < 10; tries++) {
		assert_int_equal(ctl(w, "scan", "--json", NULL), EXIT_OK);
		if (json_flag(r.out, "toys.0.pairing"))
			break;
	}
	assert_true(json_flag(r.out, "toys.0.pairing"));
	assert_int_equal(ctl(w, "scan", NULL), EXIT_OK);
	assert_non_null(strstr(r.out, w->toy_hex));
	assert_non_null(strstr(r.out, "open"));

	/* pair: a wrong code from stdin is refused, the right one pairs. */
	wrong_code(w, bad);
	assert_int_equal(ctl_in(w, bad, "pair", w->toy_hex, "--name", "bear",
				NULL), EXIT_REFUSED);
	assert_non_null(strstr(r.err, "wrong setup code"));
	assert_int_equal(ctl_in(w, w->code, "pair", w->toy_hex, "--name",
				"bear", "--json", NULL), EXIT_OK);
	assert_document(r.out, "pair", true);
	assert_string_equal(json_text(r.out, "toy.id", path, sizeof(path)),
			    w->toy_hex);
	assert_string_equal(json_text(r.out, "toy.name", path, sizeof(path)),
			    "bear");
	snprintf(path, sizeof(path), "%s/toy-%s", w->store, w->toy_hex);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	/* toys: from the key store. */
	assert_int_equal(ctl(w, "toys", "--json", NULL), EXIT_OK);
	assert_document(r.out, "toys", true);
	assert_int_equal(json_len(r.out, "toys"), 1);
	assert_string_equal(json_text(r.out, "toys.0.id", path, sizeof(path)),
			    w->toy_hex);
	assert_string_equal(json_text(r.out, "toys.0.name", path,
				      sizeof(path)), "bear");
	assert_int_equal(ctl(w, "toys", NULL), EXIT_OK);
	assert_non_null(strstr(r.out, "bear"));

	/* status, by name and by id; every field in the document. */
	assert_int_equal(ctl(w, "--json", "status", w->toy_hex, NULL), EXIT_OK);
	assert_document(r.out, "status", true);
	{
		const char *fields[] = {
			"boot", "uptime_ms", "volume", "paired_hosts",
			"lifetime_failures", "msg_count", "msg_bytes",
			"log_next", "mic_starts", "rx_dropped_plaintext",
			"rx_dropped_auth", "rx_dropped_replay",
			"rx_dropped_malformed", "refused_unauth",
			"audio_frames_sent", "speaker_samples" };

		for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			if (json_number(r.out, fields[i]) < 0)
				fail_msg("no %s in %s", fields[i], r.out);
		assert_false(json_flag(r.out, "status.led"));
		assert_false(json_flag(r.out, "status.mic"));
		assert_false(json_flag(r.out, "status.playing"));
		assert_false(json_flag(r.out, "status.pairing_window"));
		assert_false(json_flag(r.out, "status.locked"));
	}
	assert_int_equal(json_number(r.out, "paired_hosts"), 1);
	assert_int_equal(json_number(r.out, "lifetime_failures"), 1);
	assert_int_equal(json_number(r.out, "mic_starts"), 0);
	assert_int_equal(ctl(w, "status", "bear", NULL), EXIT_OK);
	assert_non_null(strstr(r.out, "bear ("));

	/* hosts: this host alone, as the toy itself lists it. */
	assert_int_equal(ctl(w, "hosts", "bear", "--json", NULL), EXIT_OK);
	assert_document(r.out, "hosts", true);
	assert_int_equal(json_len(r.out, "hosts"), 1);
	assert_string_equal(json_text(r.out, "hosts.0.name", path,
				      sizeof(path)), "");
	assert_true(json_flag(r.out, "hosts.0.this_host"));
	assert_true(json_number(r.out, "paired_age_ms") >= 0);
	assert_true(json_number(r.out, "last_seen_age_ms") >= 0);
	assert_int_equal(ctl(w, "hosts", "bear", NULL), EXIT_OK);
	assert_non_null(strstr(r.out, "(this host)"));
	/* revoke: not a host the toy has, nor this one. */
	assert_int_equal(ctl(w, "revoke", "bear", "0011223344556677", NULL),
			 EXIT_NOT_FOUND);
	/* invite: a one-time code for one new host, shown once. */
	assert_int_equal(ctl(w, "invite", "bear", "--name", "tablet", "--json",
			     NULL), EXIT_OK);
	assert_document(r.out, "invite", true);
	assert_int_equal(json_number(r.out, "valid_ms"), 600000);
	assert_int_equal(strlen(json_text(r.out, "code", path, sizeof(path))),
			 9);
	assert_string_equal(json_text(r.out, "name", path, sizeof(path)),
			    "tablet");
	assert_int_equal(ctl(w, "invite", "bear", "--name",
			     "a name longer than sixteen", NULL), EXIT_USAGE);

	/* record: the toy's tone, 1 s, a private WAV. */
	assert_int_equal(ctl(w, "record", "bear", "-o", wav, "--seconds",
			     "1", "--json", NULL), EXIT_OK);
	assert_document(r.out, "record", true);
	assert_int_equal(json_number(r.out, "frames"), 16000);
	assert_int_equal(json_number(r.out, "rate"), 16000);
	assert_int_equal(json_number(r.out, "duration_ms"), 1000);
	assert_int_equal(strcmp(json_text(r.out, "file", path, sizeof(path)),
				wav), 0);
	frames = wav_frames(wav, &peak);
	assert_int_equal(frames, 16000);
	assert_true(peak > 4000);
	assert_int_equal(stat(wav, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	/*
	 * log: the recording's microphone start, with this host.
	 */
	assert_int_equal(ctl(w, "log", "bear", "--json", NULL), EXIT_OK);
	assert_document(r.out, "log", true);
	assert_true(json_number(r.out, "next") > 0);
	assert_non_null(json_with(r.out, "event", "pair-ok"));
	ev = json_with(r.out, "event", "mic-start");
	assert_non_null(ev);
	assert_int_equal(json_object_get_int(json_read_at(ev, "event_id")), 12);
	assert_int_equal(json_object_get_int(json_read_at(ev, "detail")), 0);
	assert_string_equal(member_text(ev, "detail_text"), "");
	assert_true(json_object_get_boolean(json_read_at(ev, "this_host")));
	assert_int_equal(ctl(w, "log", "bear", NULL), EXIT_OK);
	assert_non_null(strstr(r.out, "mic-start"));
	/* The filters: by type, the microphone, by host, the last N. */
	assert_int_equal(ctl(w, "log", "bear", "--mic", "--json", NULL),
			 EXIT_OK);
	assert_non_null(json_with(r.out, "event", "mic-start"));
	assert_null(json_with(r.out, "event", "session-start"));
	assert_null(json_with(r.out, "event", "boot"));
	assert_int_equal(ctl(w, "log", "bear", "--type",
			     "session-start,session-end", "--tail", "3",
			     "--json", NULL), EXIT_OK);
	assert_int_equal(json_len(r.out, "events"), 3);
	assert_null(json_with(r.out, "event", "mic-start"));
	/*
	 * The log commands' own sessions (a start, then a BYE, nothing
	 * between) folded into one entry that counts them.
	 */
	assert_int_equal(ctl(w, "log", "bear", "--type", "session", "--json",
			     NULL), EXIT_OK);
	ev = json_with(r.out, "event", "session");
	assert_non_null(ev);
	assert_true(json_object_get_int64(json_read_at(ev, "count")) >= 4);
	assert_int_equal(ctl(w, "log", "bear", "--type", "session", NULL),
			 EXIT_OK);
	assert_non_null(strstr(r.out, "\u00d7"));
	/*
	 * --since, by the toy's uptime: its boot entry is older than the
	 * second the recording above took; a year reaches back past the
	 * boot, which is said.  Bad durations are refused before the toy.
	 */
	assert_int_equal(ctl(w, "log", "bear", "--since", "1s", "--type",
			     "boot,pair-ok", "--json", NULL), EXIT_OK);
	assert_int_equal(json_len(r.out, "events"), 0);
	assert_int_equal(ctl(w, "log", "bear", "--since", "365d", "--type",
			     "boot", "--json", NULL), EXIT_OK);
	assert_int_equal(json_len(r.out, "events"), 1);
	assert_non_null(strstr(r.err, "before the toy's last boot"));
	assert_int_equal(ctl(w, "log", "bear", "--since", "2h", "--mic",
			     NULL), EXIT_OK);
	assert_non_null(strstr(r.out, "mic-start"));
	assert_int_equal(ctl(w, "log", "bear", "--since", "10", NULL),
			 EXIT_USAGE);
	assert_non_null(strstr(r.err, "--since takes a duration"));
	assert_int_equal(ctl(w, "log", "bear", "--since", "0m", NULL),
			 EXIT_USAGE);
	assert_int_equal(ctl(w, "log", "bear", "--since", "366d", NULL),
			 EXIT_USAGE);
	assert_int_equal(ctl(w, "log", "bear", "--host", "this", "--json",
			     NULL), EXIT_OK);
	assert_non_null(json_with(r.out, "event", "pair-ok"));
	for (i = 0; i < json_len(r.out, "events"); i++) {
		snprintf(path, sizeof(path), "events.%zu.host", i);
		assert_false(json_null_at(r.out, path));
	}
	assert_int_equal(ctl(w, "log", "bear", "--type", "mic-begin", NULL),
			 EXIT_USAGE);
	assert_non_null(strstr(r.err, "no event is called 'mic-begin'"));

	/* send it back as a voice message; ls shows it. */
	assert_int_equal(ctl(w, "send", "bear", wav, "--json", NULL), EXIT_OK);
	assert_document(r.out, "send", true);
	json_text(r.out, "message.id", id, sizeof(id));
	assert_int_equal(strlen(id), 32);
	assert_true(json_number(r.out, "duration_ms") >= 990 &&
		    json_number(r.out, "duration_ms") <= 1010);
	assert_true(json_flag(r.out, "message.from_this_host"));
	assert_string_equal(json_text(r.out, "message.codec", path,
				      sizeof(path)), "ogg-opus");
	assert_int_equal(ctl(w, "send", "bear", wav, NULL), EXIT_OK);
	/* The human result is the new id alone on stdout. */
	assert_int_equal(strlen(r.out), 33);
	memcpy(second, r.out, 32);
	second[32] = '\0';
	assert_int_equal(ctl(w, "ls", "bear", "--json", NULL), EXIT_OK);
	assert_document(r.out, "ls", true);
	assert_int_equal(json_number(r.out, "size") > 0, 1);
	ev = json_with(r.out, "id", id);
	assert_non_null(ev);
	assert_int_equal(strlen(member_text(ev, "sender")), 16);
	snprintf(sha, sizeof(sha), "%s", member_text(ev, "sha256"));
	assert_int_equal(strlen(sha), 64);
	assert_int_equal(ctl(w, "ls", "bear", NULL), EXIT_OK);
	assert_non_null(strstr(r.out, id));
	assert_non_null(strstr(r.out, "this host"));
	/* --ids and --names: the bare lists scripts and completion read. */
	assert_int_equal(ctl(w, "ls", "bear", "--ids", NULL), EXIT_OK);
	assert_non_null(strstr(r.out, id));
	assert_non_null(strstr(r.out, second));
	assert_int_equal(strlen(r.out), 2 * 33);
	assert_int_equal(ctl(w, "toys", "--names", NULL), EXIT_OK);
	assert_string_equal(r.out, "bear\n");
	completion(w, id, second);

	/* get: as stored (same SHA-256), by a prefix; and decoded. */
	memcpy(prefix, id, 8);
	prefix[8] = '\0';
	assert_int_equal(ctl(w, "get", "bear", prefix, "-o", opus, "--json",
			     NULL), EXIT_OK);
	assert_document(r.out, "get", true);
	assert_string_equal(json_text(r.out, "format", path, sizeof(path)),
			    "ogg-opus");
	sha256_hex(opus, sum);
	assert_string_equal(sum, sha);
	assert_int_equal(ctl(w, "get", "bear", id, "-o", dec, NULL), EXIT_OK);
	assert_string_equal(r.out, strcat(strcpy(path, dec), "\n"));
	frames = wav_frames(dec, &peak);
	assert_true(frames > 15000 && frames < 17000);
	assert_true(peak > 2000);

	/* play: the toy's speaker plays it at its own pace. */
	assert_int_equal(ctl(w, "play", "bear", id, "--json", NULL), EXIT_OK);
	assert_document(r.out, "play", true);
	for (tries = 0; tries < 50; tries++) {
		assert_int_equal(ctl(w, "--json", "status", "bear", NULL),
				 EXIT_OK);
		if (!json_flag(r.out, "status.playing"))
			break;
	}
	assert_false(json_flag(r.out, "status.playing"));
	assert_true(json_number(r.out, "speaker_samples") > 0);

	/* No session outlives pawctl on the air: said before any session. */
	assert_int_equal(ctl(w, "connect", "bear", NULL), EXIT_UNSUPPORTED);
	assert_non_null(strstr(r.err, "simulated air"));
	assert_int_equal(ctl(w, "--json", "disconnect", NULL), EXIT_UNSUPPORTED);
	assert_document(r.out, "disconnect", false);

	/* led and volume, as the toy reports them. */
	assert_int_equal(ctl(w, "led", "bear", "on", "--json", NULL), EXIT_OK);
	assert_true(json_flag(r.out, "led"));
	assert_int_equal(ctl(w, "volume", "bear", "42", NULL), EXIT_OK);
	assert_int_equal(ctl(w, "--json", "status", "bear", NULL), EXIT_OK);
	assert_true(json_flag(r.out, "status.led"));
	assert_int_equal(json_number(r.out, "volume"), 42);
	assert_int_equal(json_number(r.out, "mic_starts"), 1);
	assert_int_equal(ctl(w, "led", "bear", "off", NULL), EXIT_OK);
	assert_int_equal(ctl(w, "--json", "status", "bear", NULL), EXIT_OK);
	assert_false(json_flag(r.out, "status.led"));

	/* rm, by id and by prefix: the list is empty, a second rm finds none. */
	assert_int_equal(ctl(w, "rm", "bear", id, "--json", NULL), EXIT_OK);
	assert_document(r.out, "rm", true);
	assert_int_equal(ctl(w, "rm", "bear", id, NULL), EXIT_NOT_FOUND);
	assert_non_null(strstr(r.err, id));
	second[8] = '\0';
	assert_int_equal(ctl(w, "rm", "bear", second, NULL), EXIT_OK);
	assert_int_equal(ctl(w, "--json", "ls", "bear", NULL), EXIT_OK);
	assert_int_equal(json_len(r.out, "messages"), 0);

	/* unpair: both sides forget; the pin is gone from the store. */
	snprintf(path, sizeof(path), "%s/toy-%s", w->store, w->toy_hex);
	world_path(w, "saved-pin", rec_file);
	{
		char buf[PAWLINK_KEYSTORE_FILE_MAX + 1];
		FILE *f;

		read_text(path, buf, sizeof(buf));
		f = fopen(rec_file, "w");
		assert_non_null(f);
		fputs(buf, f);
		fclose(f);
	}
	assert_int_equal(ctl(w, "unpair", "bear", "--json", NULL), EXIT_OK);
	assert_document(r.out, "unpair", true);
	assert_false(exists(path));
	assert_int_equal(ctl(w, "status", "bear", NULL), EXIT_NOT_FOUND);
	/* Even with the old pin put back, the toy no longer knows us. */
	assert_int_equal(rename(rec_file, path), 0);
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(ctl(w, "--json", "status", "bear", NULL),
			 EXIT_REFUSED);
	assert_document(r.out, "status", false);
	assert_int_equal(json_number(r.out, "exit"), EXIT_REFUSED);
	assert_non_null(strstr(r.err, "does not know this host"));

	/* forget: the store's entry (the file) is erased. */
	assert_int_equal(ctl(w, "forget", w->toy_hex, "--json", NULL), EXIT_OK);
	assert_document(r.out, "forget", true);
	assert_false(exists(path));
	assert_int_equal(ctl(w, "forget", w->toy_hex, NULL), EXIT_NOT_FOUND);
	assert_int_equal(ctl(w, "--json", "toys", NULL), EXIT_OK);
	assert_int_equal(json_len(r.out, "toys"), 0);

	world_stop_toy(w, toy_json, sizeof(toy_json));
	assert_int_equal(json_number(toy_json, "paired_hosts"), 0);
	assert_int_equal(json_number(toy_json, "rx_dropped_auth"), 0);
	assert_int_equal(json_number(toy_json, "mic_starts"), 1);

	/* No output ever held the setup code or the host's secret key. */
	snprintf(path, sizeof(path), "%s/host.key", w->store);
	{
		char buf[PAWLINK_KEYSTORE_FILE_MAX + 1];

		read_text(path, buf, sizeof(buf));
		assert_int_equal(pawlink_keystore_parse_host(buf, strlen(buf),
							     &host), 0);
	}
	pawlink_hex_encode(secret, host.secret_key, sizeof(host.secret_key));
	pawlink_hex_encode(host_id, host.id, sizeof(host.id));
	pawlink_host_identity_wipe(&host);
	/* (The id is public, and shown: the search itself works.) */
	assert_non_null(strstr(transcript, host_id));
	assert_null(strstr(transcript, secret));
	assert_null(strstr(transcript, w->code));
	memmove(w->code + 4, w->code + 5, 5);
	assert_null(strstr(transcript, w->code));
}

/* Each refused input gets its exit code, names the problem, changes nothing. */
static void test_errors(void **state)
{
	char text[160], big[160], dir_wav[160], out[400], missing[160], env[200];
	char zero_id[] = "00000000000000000000000000000001";
	const char *env_list[2] = { env, NULL };
	long before;
	struct world *w = *state;
	FILE *f;

	world_path(w, "notes.txt", text);
	world_path(w, "long.wav", big);
	world_path(w, "out.opus", out);
	world_path(w, "nothing.wav", missing);

	/* Not paired yet: by id and by name. */
	assert_int_equal(ctl(w, "status", w->toy_hex, NULL), EXIT_NOT_FOUND);
	assert_non_null(strstr(r.err, "not paired"));
	assert_int_equal(ctl(w, "--json", "ls", "bear", NULL),
			 EXIT_NOT_FOUND);
	assert_document(r.out, "ls", false);
	assert_non_null(strstr(r.err, "no paired toy is called 'bear'"));

	/* Pairing input that never reaches the toy. */
	press(w);
	assert_int_equal(ctl_in(w, "12\n", "pair", w->toy_hex, NULL),
			 EXIT_USAGE);
	assert_non_null(strstr(r.err, "setup code"));
	assert_int_equal(ctl_in(w, "", "pair", w->toy_hex, NULL), EXIT_USAGE);
	assert_non_null(strstr(r.err, "no setup code"));
	assert_int_equal(ctl(w, "pair", w->toy_hex, "--code-file", missing,
			     NULL), EXIT_BAD_FILE);
	assert_non_null(strstr(r.err, missing));
	pair(w, "bear");
	/* Not one of those was charged by the toy. */
	assert_int_equal(ctl(w, "--json", "status", "bear", NULL), EXIT_OK);
	assert_int_equal(json_number(r.out, "lifetime_failures"), 0);

	/* Bad audio files: refused before any session (log unchanged). */
	f = fopen(text, "w");
	assert_non_null(f);
	fputs("not audio at all\n", f);
	fclose(f);
	make_silence(big, 301);
	before = log_next(w);
	assert_int_equal(ctl(w, "send", "bear", missing, NULL), EXIT_BAD_FILE);
	assert_non_null(strstr(r.err, missing));
	assert_int_equal(ctl(w, "send", "bear", text, NULL), EXIT_BAD_FILE);
	assert_non_null(strstr(r.err, text));
	assert_int_equal(ctl(w, "--json", "send", "bear", big, NULL),
			 EXIT_BAD_FILE);
	assert_document(r.out, "send", false);
	assert_int_equal(json_number(r.out, "exit"), EXIT_BAD_FILE);
	/* A bad output path fails before the toy is asked anything. */
	assert_int_equal(ctl(w, "get", "bear", zero_id, "-o",
			     "/nonexistent/x.opus", NULL), EXIT_IO);
	/* A directory, even one named like a WAV file. */
	world_path(w, "dir.wav", dir_wav);
	assert_int_equal(mkdir(dir_wav, 0700), 0);
	assert_int_equal(ctl(w, "record", "bear", "-o", dir_wav, NULL),
			 EXIT_USAGE);
	assert_non_null(strstr(r.err, "is a directory"));
	/*
	 * Two sessions' worth of events, nothing else: the first status's
	 * session folded into its start's entry as it ended (no new number),
	 * the second one's start.
	 */
	assert_int_equal(log_next(w), before + 1);
	assert_int_equal(json_number(r.out, "msg_count"), 0);

	/* Messages that are not there. */
	assert_int_equal(ctl(w, "get", "bear", zero_id, "-o", out, NULL),
			 EXIT_NOT_FOUND);
	assert_false(exists(out));
	assert_int_equal(ctl(w, "rm", "bear", zero_id, NULL), EXIT_NOT_FOUND);
	assert_int_equal(ctl(w, "play", "bear", zero_id, NULL),
			 EXIT_NOT_FOUND);
	assert_int_equal(ctl(w, "play", "bear", "abcd", NULL), EXIT_NOT_FOUND);
	assert_non_null(strstr(r.err, "starting 'abcd'"));

	/* A name is one toy's: pairing another as "bear" would be refused. */
	assert_int_equal(ctl(w, "pair", "0123456789abcdef", "--name", "bear",
			     NULL), EXIT_USAGE);
	assert_non_null(strstr(r.err, "already called 'bear'"));

	/* The default key store is $XDG_DATA_HOME/pawlink. */
	snprintf(env, sizeof(env), "XDG_DATA_HOME=%s", w->d.dir);
	{
		const char *argv[] = { "--air", w->d.sock, "toys", "--json",
				       NULL };
		char pin[200];

		assert_int_equal(run_argv(NULL, env_list, argv), EXIT_OK);
		assert_int_equal(json_len(r.out, "toys"), 0);
		snprintf(pin, sizeof(pin), "%s/pawlink", w->d.dir);
		/* Listing made nothing. */
		assert_false(exists(pin));
	}

	/* The toy gone: unreachable; forget still erases our side. */
	world_stop_toy(w, out, sizeof(out));
	assert_int_equal(ctl(w, "--json", "status", "bear", NULL),
			 EXIT_UNREACHABLE);
	assert_document(r.out, "status", false);
	assert_non_null(strstr(r.err, "did not answer"));
	assert_int_equal(ctl(w, "forget", "bear", NULL), EXIT_OK);
	snprintf(out, sizeof(out), "%s/toy-%s", w->store, w->toy_hex);
	assert_false(exists(out));
	assert_int_equal(ctl(w, "forget", "bear", NULL), EXIT_NOT_FOUND);
}

/*
 * record and get write each format the output name asks for, and the
 * file says so in its own header: a recording of the toy's tone, then
 * the message sent from it, downloaded into each format.
 */
static void test_formats(void **state)
{
	char file[160], name[32], path[400], id[40];
	struct world *w = *state;
	long frames;
	size_t i;
	int peak;

	pair(w, "bear");
	for (i = 0; i < sizeof(sound_formats) / sizeof(sound_formats[0]); i++) {
		snprintf(name, sizeof(name), "rec%s", sound_formats[i].ext);
		world_path(w, name, file);
		assert_int_equal(ctl(w, "record", "bear", "-o", file,
				     "--seconds", "1", "--json", NULL),
				 EXIT_OK);
		assert_document(r.out, "record", true);
		assert_string_equal(json_text(r.out, "format", path,
					      sizeof(path)),
				    sound_formats[i].json);
		frames = sound_frames(file, sound_formats[i].format, &peak);
		/* The lossy codecs may pad or trim a frame's worth. */
		if (sound_formats[i].lossless)
			assert_int_equal(frames, 16000);
		else
			assert_true(frames > 15500 && frames < 16500);
		assert_true(peak > 2000);
	}

	world_path(w, "rec.wav", file);
	assert_int_equal(ctl(w, "send", "bear", file, NULL), EXIT_OK);
	assert_int_equal(strlen(r.out), 33);
	memcpy(id, r.out, 32);
	id[32] = '\0';
	for (i = 0; i < sizeof(sound_formats) / sizeof(sound_formats[0]); i++) {
		snprintf(name, sizeof(name), "got%s", sound_formats[i].ext);
		world_path(w, name, file);
		assert_int_equal(ctl(w, "get", "bear", id, "-o", file,
				     "--json", NULL), EXIT_OK);
		assert_document(r.out, "get", true);
		assert_string_equal(json_text(r.out, "format", path,
					      sizeof(path)),
				    sound_formats[i].json);
		frames = sound_frames(file, sound_formats[i].format, &peak);
		assert_true(frames > 15000 && frames < 17000);
		assert_true(peak > 2000);
	}
}

/*
 * On a terminal the code is asked for and typed without echo, and the
 * terminal gets its echo back afterwards.
 */
static void test_code_from_terminal_not_echoed(void **state)
{
	struct world *w = *state;
	const char *argv[] = { pawctl_path(), "--air", w->d.sock, "--store",
			       w->store, "pair", w->toy_hex, "--name", "bear",
			       NULL };
	char seen[4096] = "", digits[16];
	struct termios tio;
	int master, slave, status, waited;
	size_t used = 0;
	ssize_t n;
	pid_t pid;

	press(w);
	assert_int_equal(openpty(&master, &slave, NULL, NULL, NULL), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setsid();
		if (ioctl(slave, TIOCSCTTY, 0) < 0 ||
		    dup2(slave, STDIN_FILENO) < 0 ||
		    dup2(slave, STDOUT_FILENO) < 0 ||
		    dup2(slave, STDERR_FILENO) < 0)
			_exit(127);
		close(master);
		unsetenv("PAWLINK_AIR");
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	for (waited = 0; waited < TEST_WAIT_MS; waited += 100) {
		struct pollfd pfd = { .fd = master, .events = POLLIN };

		if (poll(&pfd, 1, 100) == 1) {
			n = read(master, seen + used, sizeof(seen) - 1 - used);
			if (n > 0)
				used += (size_t)n;
			seen[used] = '\0';
		}
		if (strstr(seen, "Setup code of toy") &&
		    !strchr(strstr(seen, "Setup code of toy"), '\n')) {
			/* The prompt is there: type the code. */
			assert_int_equal(write(master, w->code, 9), 9);
			assert_int_equal(write(master, "\n", 1), 1);
			strcat(seen, "\n");
			used++;
		}
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
	}
	assert_true(waited < TEST_WAIT_MS);
	while (poll(&(struct pollfd){ .fd = master, .events = POLLIN }, 1,
		    100) == 1 && (n = read(master, seen + used,
					   sizeof(seen) - 1 - used)) > 0)
		used += (size_t)n;
	seen[used] = '\0';
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) != EXIT_OK)
		fail_msg("pair on a terminal failed: %s", seen);
	assert_non_null(strstr(seen, "paired with bear"));
	/* What the terminal showed: the prompt, never the code. */
	assert_null(strstr(seen, w->code));
	memcpy(digits, w->code, 4);
	memcpy(digits + 4, w->code + 5, 5);
	assert_null(strstr(seen, digits));
	assert_int_equal(tcgetattr(slave, &tio), 0);
	assert_true(tio.c_lflag & ECHO);
	close(slave);
	close(master);
}

/*
 * pawctl --air AIR --store STORE ARGS... with its stderr on a terminal
 * and its stdout into the file @out: what the terminal showed goes into
 * @seen.  Its exit status.
 */
static int on_terminal(struct world *w, const char *out, char *seen,
		       size_t cap, const char *first, ...)
{
	const char *argv[ARGS_MAX + 2];
	int master, slave, status = -1, fd, waited;
	size_t used = 0;
	va_list ap;
	ssize_t n;
	pid_t pid;

	argv[0] = pawctl_path();
	world_args(w, argv + 1);
	va_start(ap, first);
	collect(argv, 5, first, ap);
	va_end(ap);
	assert_int_equal(openpty(&master, &slave, NULL, NULL, NULL), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		setsid();
		if (fd < 0 || ioctl(slave, TIOCSCTTY, 0) < 0 ||
		    dup2(fd, STDOUT_FILENO) < 0 ||
		    dup2(slave, STDERR_FILENO) < 0)
			_exit(127);
		close(master);
		unsetenv("PAWLINK_AIR");
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(slave);
	/* Until the terminal hangs up: the last one holding it exited. */
	for (waited = 0; waited < TEST_WAIT_MS; waited += 100) {
		struct pollfd pfd = { .fd = master, .events = POLLIN };

		if (poll(&pfd, 1, 100) != 1)
			continue;
		n = read(master, seen + used, cap - 1 - used);
		if (n <= 0)
			break;
		used += (size_t)n;
	}
	seen[used] = '\0';
	close(master);
	if (waited >= TEST_WAIT_MS) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		fail_msg("pawctl %s on a terminal did not finish: %s", first,
			 seen);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* The progress line was drawn in place and erased at the end. */
static void assert_progress(const char *seen, const char *what)
{
	char drawn[64];

	snprintf(drawn, sizeof(drawn), "\r%s", what);
	if (!strstr(seen, drawn))
		fail_msg("no progress line '%s' on the terminal: %s", what, seen);
	/* Erased: the last thing drawn is a bare clear-to-end-of-line. */
	if (!strstr(seen, "\r\033[K"))
		fail_msg("the progress line was not erased: %s", seen);
}

/*
 * Progress on a terminal and none in a pipe, with stdout unchanged; "-o
 * -" streams a WAV to stdout while recording, and a reader that goes away
 * ends the recording cleanly; record and get refuse the same names.
 */
static void test_progress_and_pipes(void **state)
{
	char wav[160], out[160], stored[160], seen[16384], id[40], text[256];
	char sha_a[65], sha_b[65];
	struct world *w = *state;
	struct proc p;
	int peak;

	world_path(w, "tone.wav", wav);
	world_path(w, "stdout", out);
	world_path(w, "stored.opus", stored);
	pair(w, "bear");

	/* record: seconds, a countdown and a meter; the path on stdout. */
	assert_int_equal(on_terminal(w, out, seen, sizeof(seen), "record",
				     "bear", "-o", wav, "--seconds", "2", NULL),
			 EXIT_OK);
	assert_progress(seen, "recording ");
	assert_non_null(strstr(seen, " s left ["));
	read_text(out, text, sizeof(text));
	assert_non_null(strstr(text, wav));
	assert_int_equal(wav_frames(wav, &peak), 2 * 16000);

	/* send: a bar with percent and rate; stdout is the id alone. */
	assert_int_equal(on_terminal(w, out, seen, sizeof(seen), "send",
				     "bear", wav, NULL), EXIT_OK);
	assert_progress(seen, "sending [");
	assert_non_null(strstr(seen, "100%"));
	assert_non_null(strstr(seen, "/s"));
	read_text(out, id, sizeof(id));
	assert_int_equal(strlen(id), 33);
	id[32] = '\0';

	/* get -o -: the message as stored, on stdout, with the bar. */
	assert_int_equal(on_terminal(w, out, seen, sizeof(seen), "get",
				     "bear", id, "-o", "-", NULL), EXIT_OK);
	assert_progress(seen, "downloading [");
	assert_int_equal(ctl(w, "get", "bear", id, "-o", stored, NULL),
			 EXIT_OK);
	sha256_hex(out, sha_a);
	sha256_hex(stored, sha_b);
	assert_string_equal(sha_a, sha_b);
	assert_false(exists("-"));

	/* --no-progress on a terminal, and -q, show none. */
	assert_int_equal(on_terminal(w, out, seen, sizeof(seen),
				     "--no-progress", "get", "bear", id, "-o",
				     stored, NULL), EXIT_OK);
	assert_null(strstr(seen, "\033[K"));
	assert_int_equal(on_terminal(w, out, seen, sizeof(seen), "-q", "send",
				     "bear", wav, NULL), EXIT_OK);
	assert_null(strstr(seen, "\033[K"));

	/* In a pipe: no progress, unless --progress asks for it. */
	assert_int_equal(ctl(w, "send", "bear", wav, NULL), EXIT_OK);
	assert_null(strchr(r.err, '\r'));
	assert_int_equal(strlen(r.out), 33);
	assert_int_equal(ctl(w, "--progress", "get", "bear", id, "-o", stored,
			     NULL), EXIT_OK);
	assert_non_null(strstr(r.err, "\rdownloading ["));

	/*
	 * record -o -: a WAV stream that arrives while the toy records (it
	 * never ends by itself), until its reader goes away.
	 */
	ctl_start(w, &p, "record", "bear", "-o", "-", NULL);
	proc_wait_stderr(&p, "until interrupted");
	while (p.out_len < 44 + 16000 * 2 && proc_read(&p, 100))
		;
	assert_true(p.out_len >= 44 + 16000 * 2);
	assert_memory_equal(r.out, "RIFF", 4);
	assert_memory_equal(r.out + 8, "WAVEfmt ", 8);
	assert_memory_equal(r.out + 36, "data", 4);
	close(p.c.out_fd);
	p.c.out_fd = -1;
	assert_int_equal(proc_finish(&p), EXIT_OK);
	assert_non_null(strstr(r.err, "the reader of stdout went away"));
	/* The microphone was stopped and the session ended. */
	assert_int_equal(ctl(w, "--json", "status", "bear", NULL), EXIT_OK);
	assert_false(json_flag(r.out, "status.mic"));

	/* send -: the audio from stdin, a pipe; stdout is the new id. */
	{
		char cmd[1200], buf[256];
		const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
		const struct child_opts opts = { 0 };
		struct child c;

		snprintf(cmd, sizeof(cmd),
			 "cat '%s' | '%s' --air '%s' --store '%s' -q send bear -",
			 wav, pawctl_path(), w->d.sock, w->store);
		assert_int_equal(child_spawn(&c, &opts, argv), 0);
		assert_int_equal(child_finish(&c, buf, sizeof(buf)), 0);
		assert_int_equal(strlen(buf), 33);
		buf[32] = '\0';
		assert_int_equal(ctl(w, "ls", "bear", "--ids", NULL), EXIT_OK);
		assert_non_null(strstr(r.out, buf));
	}

	/* One rule for output names: mp3 is refused by both, before a session. */
	assert_int_equal(ctl(w, "record", "bear", "-o", "x.mp3", NULL),
			 EXIT_USAGE);
	assert_non_null(strstr(r.err, "cannot tell the format from 'x.mp3'"));
	strcpy(text, r.err);
	assert_int_equal(ctl(w, "get", "bear", id, "-o", "x.mp3", NULL),
			 EXIT_USAGE);
	assert_string_equal(r.err, text);
	assert_int_equal(ctl(w, "--json", "get", "bear", id, "-o", "-", NULL),
			 EXIT_USAGE);
	assert_non_null(strstr(r.out, "both want stdout"));
}

/*
 * Ctrl-C while recording: the recording so far is kept, the microphone
 * stopped and the session ended, so the toy is free for the next command.
 */
static void test_interrupted_record(void **state)
{
	char wav[160];
	struct world *w = *state;
	struct proc p;
	int peak;

	world_path(w, "long.wav", wav);
	pair(w, "bear");
	ctl_start(w, &p, "record", "bear", "-o", wav, "--seconds", "60",
		  NULL);
	proc_wait_stderr(&p, "recording 60 s");
	kill(p.c.pid, SIGINT);
	assert_int_equal(proc_finish(&p), EXIT_INTERRUPTED);
	assert_non_null(strstr(r.err, "interrupted: kept"));
	assert_true(wav_frames(wav, &peak) < 60 * 16000);
	assert_int_equal(ctl(w, "--json", "status", "bear", NULL), EXIT_OK);
	assert_false(json_flag(r.out, "status.mic"));
	assert_false(json_flag(r.out, "status.led"));
}

/*
 * kill -9 while recording: no BYE, the toy still holds that session.  The
 * next pawctl of the same host takes its place at once (issue 11,
 * finding 8: it used to wait out the toy's 5 minute idle timeout).
 */
static void test_killed_record_costs_nothing(void **state)
{
	struct world *w = *state;
	struct timespec t0, t1;
	struct proc p;
	char wav[160];
	int status;

	world_path(w, "killed.wav", wav);
	pair(w, "bear");
	ctl_start(w, &p, "record", "bear", "-o", wav, "--seconds", "60",
		  NULL);
	proc_wait_stderr(&p, "recording 60 s");
	kill(p.c.pid, SIGKILL);
	assert_int_equal(waitpid(p.c.pid, &status, 0), p.c.pid);
	assert_true(WIFSIGNALED(status));
	p.c.pid = 0;
	if (p.c.out_fd >= 0)
		close(p.c.out_fd);
	if (p.c.err_fd >= 0)
		close(p.c.err_fd);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(ctl(w, "--json", "status", "bear", NULL), EXIT_OK);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* One round trip and a STATUS, not a 6 s timeout per try. */
	assert_true(t1.tv_sec - t0.tv_sec < 5);
	assert_false(json_flag(r.out, "status.mic"));
	assert_false(json_flag(r.out, "status.led"));
}

/* The README's demo runs to the end and leaves what it says it made. */
static void test_demo(void **state)
{
	char dir[64], env_tmp[96];
	char env_sim[300], env_ctl[300], cwd[200], script[260], made[400];
	const char *env[] = { env_tmp, env_sim, env_ctl, NULL };
	const char *argv[] = { script, NULL };
	const struct child_opts opts = { .env = env, .err_to_out = true };
	struct child c;
	char buf[8192];

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(test_tmpdir(dir, sizeof(dir), "demo-test",
				     TEST_TMP_DISK), 0);
	snprintf(env_tmp, sizeof(env_tmp), "TMPDIR=%s", dir);
	snprintf(env_sim, sizeof(env_sim), "PAWSIM=%s/%s", cwd, pawsim_path());
	snprintf(env_ctl, sizeof(env_ctl), "PAWCTL=%s/%s", cwd, pawctl_path());
	snprintf(script, sizeof(script), "%s/tests/demo", cwd);
	assert_int_equal(child_spawn(&c, &opts, argv), 0);
	if (child_finish(&c, buf, sizeof(buf)) != 0)
		fail_msg("tests/demo failed:\n%s", buf);
	/* It made one directory in $TMPDIR, said where, and filled it. */
	{
		const char *files[] = { "microphone.wav", "message.wav",
					"speaker.wav", "pawlink/host.key" };
		struct dirent *de;
		char base[320] = "";
		size_t i;
		DIR *d;
		int peak;

		d = opendir(dir);
		assert_non_null(d);
		while ((de = readdir(d)) != NULL)
			if (!strncmp(de->d_name, "pawlink-demo-", 13))
				snprintf(base, sizeof(base), "%s/%s", dir,
					 de->d_name);
		closedir(d);
		if (!base[0] || !strstr(buf, base))
			fail_msg("the demo did not say where it worked:\n%s",
				 buf);
		for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
			snprintf(made, sizeof(made), "%s/%s", base, files[i]);
			if (!exists(made))
				fail_msg("the demo made no %s:\n%s", made, buf);
		}
		snprintf(made, sizeof(made), "%s/microphone.wav", base);
		assert_true(wav_frames(made, &peak) > 0);
		assert_true(peak > 4000);
		snprintf(made, sizeof(made), "%s/speaker.wav", base);
		assert_true(wav_frames(made, &peak) > 0);
		/*
		 * Its processes are gone: the air and the toy remove their
		 * sockets only when they exit.
		 */
		snprintf(made, sizeof(made), "%s/air.sock", base);
		assert_false(exists(made));
		snprintf(made, sizeof(made), "%s/toy/control.sock", base);
		assert_false(exists(made));
	}
	assert_int_equal(test_rm_tree(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_command_line),
		cmocka_unit_test(test_code_on_command_line_refused),
		cmocka_unit_test_setup_teardown(test_code_from_terminal_not_echoed,
						world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(test_every_command,
						world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(test_formats, world_setup,
						world_teardown),
		cmocka_unit_test_setup_teardown(test_errors, world_setup,
						world_teardown),
		cmocka_unit_test_setup_teardown(test_killed_record_costs_nothing,
						world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(test_interrupted_record,
						world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(test_progress_and_pipes,
						world_setup, world_teardown),
		cmocka_unit_test(test_demo),
	};
	int rc;

	if (sodium_init() < 0)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(transcript);
	json_object_put(last_doc);
	return rc;
}
