// SPDX-License-Identifier: GPL-2.0
/*
 * Files pawctl writes (a downloaded message, a microphone recording):
 * made under a temporary name beside the final one, written, fsynced and
 * renamed into place, then the directory fsynced.  So a failure or an
 * interruption never leaves a truncated file at the path the user gave,
 * and an existing file there is replaced whole or not at all.  "-" is
 * stdout instead, written as the data comes (a pipe to aplay, say).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pawctl.h"

int pawctl_outfile_open(struct pawctl *c, struct pawctl_outfile *of,
			const char *path)
{
	char dir_buf[sizeof(of->path)], base_buf[sizeof(of->path)];
	struct stat st;

	of->fd = -1;
	of->tmp[0] = '\0';
	of->is_stdout = !strcmp(path, "-");
	if (of->is_stdout) {
		snprintf(of->path, sizeof(of->path), "stdout");
		if (c->json)
			return pawctl_fail(c, PAWCTL_EXIT_USAGE,
					   "-o - and --json both want stdout; choose one");
		if (isatty(STDOUT_FILENO))
			return pawctl_fail(c, PAWCTL_EXIT_USAGE,
					   "stdout is a terminal: not writing audio there (pipe it, or -o FILE)");
		of->fd = STDOUT_FILENO;
		return 0;
	}
	if (!path[0])
		return pawctl_fail(c, PAWCTL_EXIT_USAGE, "an empty output file name");
	if (snprintf(of->path, sizeof(of->path), "%s", path) >=
	    (int)sizeof(of->path))
		return pawctl_fail(c, PAWCTL_EXIT_USAGE,
				   "the output file name is too long");
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return pawctl_fail(c, PAWCTL_EXIT_USAGE,
				   "'%s' is a directory; give a file name", path);
	memcpy(dir_buf, of->path, sizeof(dir_buf));
	memcpy(base_buf, of->path, sizeof(base_buf));
	snprintf(of->tmp, sizeof(of->tmp), "%s/.%s.XXXXXX", dirname(dir_buf),
		 basename(base_buf));
	/* mkostemp makes it 0600: a recording is someone's voice. */
	of->fd = mkostemp(of->tmp, O_CLOEXEC);
	if (of->fd < 0) {
		int err = errno;

		of->tmp[0] = '\0';
		return pawctl_fail(c, PAWCTL_EXIT_IO, "cannot write '%s': %s",
				   path, strerror(err));
	}
	return 0;
}

int pawctl_outfile_write(struct pawctl *c, struct pawctl_outfile *of,
			 const uint8_t *data, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(of->fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return pawctl_fail(c, PAWCTL_EXIT_IO,
					   "cannot write '%s': %s", of->path,
					   n < 0 ? strerror(errno) : "short write");
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Makes the rename durable. */
static int sync_dir(const char *path)
{
	char buf[4096];
	int fd, rc;

	snprintf(buf, sizeof(buf), "%s", path);
	fd = open(dirname(buf), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = fsync(fd) ? -errno : 0;
	close(fd);
	return rc;
}

int pawctl_outfile_commit(struct pawctl *c, struct pawctl_outfile *of)
{
	int rc = 0;

	if (of->is_stdout) {
		of->fd = -1;
		return 0;
	}
	if (fsync(of->fd) != 0)
		rc = -errno;
	if (close(of->fd) != 0 && !rc)
		rc = -errno;
	of->fd = -1;
	if (!rc && rename(of->tmp, of->path) != 0)
		rc = -errno;
	if (rc) {
		pawctl_outfile_abort(of);
		return pawctl_fail(c, PAWCTL_EXIT_IO, "cannot write '%s': %s",
				   of->path, strerror(-rc));
	}
	of->tmp[0] = '\0';
	rc = sync_dir(of->path);
	if (rc)
		return pawctl_fail(c, PAWCTL_EXIT_IO,
				   "wrote '%s' but could not sync its directory: %s",
				   of->path, strerror(-rc));
	return 0;
}

void pawctl_outfile_abort(struct pawctl_outfile *of)
{
	/* stdout stays open: what was written is the reader's already. */
	if (of->fd >= 0 && !of->is_stdout)
		close(of->fd);
	of->fd = -1;
	if (of->tmp[0])
		unlink(of->tmp);
	of->tmp[0] = '\0';
}
