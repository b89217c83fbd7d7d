// SPDX-License-Identifier: GPL-2.0
/*
 * The setup code comes from the terminal (not echoed), from a file or
 * from stdin, never from the command line: arguments are visible to every
 * user in ps and stay in shell history.
 *
 * It is read with read(2) a byte at a time, so no stdio buffer keeps a
 * copy and nothing past the first line is consumed; the caller wipes the
 * one buffer that holds it.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>


#include "pawctl.h"

/*
 * The first line of @fd, without its newline, into @buf.  0, -ENODATA
 * (nothing before end of file), -EMSGSIZE (longer than @cap - 1), or
 * -errno.
 */
static int read_line(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	ssize_t n;
	char ch;

	for (;;) {
		n = read(fd, &ch, 1);
		if (n < 0)
			return -errno;
		if (n == 0 || ch == '\n')
			break;
		if (len + 1 >= cap) {
			explicit_bzero(buf, cap);
			return -EMSGSIZE;
		}
		buf[len++] = ch;
	}
	buf[len] = '\0';
	ch = 0;
	if (n == 0 && len == 0)
		return -ENODATA;
	return 0;
}

/*
 * Reads from the terminal on stdin with echo off.  Echo goes off before
 * the prompt shows (discarding what was typed earlier), so nothing typed
 * after the prompt is lost or echoed.
 */
static int read_terminal(const char *toy_hex, char *buf, size_t cap)
{
	struct termios old, quiet;
	int rc;

	if (tcgetattr(STDIN_FILENO, &old) != 0)
		return -errno;
	quiet = old;
	quiet.c_lflag &= (tcflag_t)~ECHO;
	quiet.c_lflag |= ECHONL;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) != 0)
		return -errno;
	fprintf(stderr, "Setup code of toy %s (on its label): ", toy_hex);
	fflush(stderr);
	rc = read_line(STDIN_FILENO, buf, cap);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	return rc;
}

static int code_file_fail(struct pawctl *c, const char *file, int rc)
{
	if (rc == -ENODATA)
		return pawctl_fail(c, PAWCTL_EXIT_BAD_FILE,
				   "'%s' holds no setup code", file);
	if (rc == -EMSGSIZE)
		return pawctl_fail(c, PAWCTL_EXIT_BAD_FILE,
				   "the first line of '%s' is too long to be a setup code",
				   file);
	return pawctl_fail(c, PAWCTL_EXIT_BAD_FILE,
			   "cannot read the setup code from '%s': %s", file,
			   strerror(-rc));
}

int pawctl_read_code(struct pawctl *c, const char *code_file,
		     const char *toy_hex, char buf[PAWCTL_CODE_INPUT_MAX])
{
	bool from_stdin = !code_file || !strcmp(code_file, "-");
	int fd, rc;

	if (!from_stdin) {
		fd = open(code_file, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return code_file_fail(c, code_file, -errno);
		rc = read_line(fd, buf, PAWCTL_CODE_INPUT_MAX);
		close(fd);
		return rc ? code_file_fail(c, code_file, rc) : 0;
	}
	/* Even with --code-file -, a terminal does not echo the code. */
	if (isatty(STDIN_FILENO))
		rc = read_terminal(toy_hex, buf, PAWCTL_CODE_INPUT_MAX);
	else
		rc = read_line(STDIN_FILENO, buf, PAWCTL_CODE_INPUT_MAX);
	if (rc == -EINTR)
		return pawctl_fail(c, PAWCTL_EXIT_INTERRUPTED, "interrupted");
	if (rc == -ENODATA)
		return pawctl_fail(c, PAWCTL_EXIT_USAGE,
				   "no setup code: type it when asked, or give it on standard input or with --code-file FILE");
	if (rc == -EMSGSIZE)
		return pawctl_fail(c, PAWCTL_EXIT_USAGE,
				   "that is too long to be a setup code (8 digits, as 1234-5678)");
	if (rc)
		return pawctl_fail(c, PAWCTL_EXIT_IO,
				   "cannot read the setup code: %s", strerror(-rc));
	return 0;
}
