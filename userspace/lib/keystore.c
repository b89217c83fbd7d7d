// SPDX-License-Identifier: GPL-2.0
/*
 * The host key store: the directory, its two file formats and the
 * temp-fsync-rename writes.  See keystore.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "keystore.h"
#include "bytes.h"

#define HOST_MAGIC	"pawlink-host 1\n"
#define TOY_MAGIC	"pawlink-toy 1\n"
#define TMP_SUFFIX	".tmp"
/* "toy-" and 16 hex digits. */
#define TOY_FILE_LEN	(sizeof(PAWLINK_KEYSTORE_TOY_PREFIX) - 1 + \
			 2 * PAWLINK_ID_LEN)

/* ---- formats ---- */

static bool take(const char **p, const char *end, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(end - *p) < n || memcmp(*p, lit, n) != 0)
		return false;
	*p += n;
	return true;
}

/* Exactly 2 * @n lower-case hex digits, then a newline. */
static bool take_hex_line(const char **p, const char *end, uint8_t *out,
			  size_t n)
{
	size_t i;

	if ((size_t)(end - *p) < 2 * n + 1 || (*p)[2 * n] != '\n')
		return false;
	for (i = 0; i < 2 * n; i++) {
		char c = (*p)[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	if (pawlink_hex_decode(out, n, *p, 2 * n))
		return false;
	*p += 2 * n + 1;
	return true;
}

int pawlink_keystore_name_ok(const char *name)
{
	size_t i, len = strnlen(name, PAWLINK_KEYSTORE_NAME_MAX + 1);

	if (len > PAWLINK_KEYSTORE_NAME_MAX)
		return 0;
	/* Printable ASCII and UTF-8 bytes; no control characters. */
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c < 0x20 || c == 0x7f)
			return 0;
	}
	return 1;
}

int pawlink_keystore_parse_host(const char *buf, size_t len,
				struct pawlink_host_identity *host)
{
	const char *p = buf, *end = buf + len;

	sodium_memzero(host, sizeof(*host));
	if (!take(&p, end, HOST_MAGIC) || !take(&p, end, "id ") ||
	    !take_hex_line(&p, end, host->id, PAWLINK_ID_LEN) ||
	    !take(&p, end, "secret ") ||
	    !take_hex_line(&p, end, host->secret_key,
			   sizeof(host->secret_key)) ||
	    p != end || pawlink_is_zero(host->id, PAWLINK_ID_LEN) ||
	    pawlink_is_zero(host->secret_key, sizeof(host->secret_key)) ||
	    crypto_scalarmult_base(host->public_key, host->secret_key) != 0) {
		sodium_memzero(host, sizeof(*host));
		return -EINVAL;
	}
	return 0;
}

int pawlink_keystore_parse_toy(const char *buf, size_t len,
			       struct pawlink_toy_record *toy)
{
	const char *p = buf, *end = buf + len, *nl;
	size_t name_len;

	memset(toy, 0, sizeof(*toy));
	if (!take(&p, end, TOY_MAGIC) || !take(&p, end, "id ") ||
	    !take_hex_line(&p, end, toy->id, PAWLINK_ID_LEN) ||
	    !take(&p, end, "public ") ||
	    !take_hex_line(&p, end, toy->static_key,
			   sizeof(toy->static_key)) ||
	    !take(&p, end, "name "))
		goto out_invalid;
	nl = memchr(p, '\n', (size_t)(end - p));
	if (!nl || nl + 1 != end)
		goto out_invalid;
	name_len = (size_t)(nl - p);
	if (name_len > PAWLINK_KEYSTORE_NAME_MAX || memchr(p, '\0', name_len))
		goto out_invalid;
	memcpy(toy->name, p, name_len);
	toy->name[name_len] = '\0';
	if (!pawlink_keystore_name_ok(toy->name) ||
	    pawlink_is_zero(toy->id, PAWLINK_ID_LEN))
		goto out_invalid;
	return 0;

out_invalid:
	memset(toy, 0, sizeof(*toy));
	return -EINVAL;
}

/* ---- files ---- */

static void path_of(const struct pawlink_keystore *ks, const char *name,
		    char *out, size_t out_len)
{
	snprintf(out, out_len, "%s/%s", ks->dir, name);
}

static void toy_file_name(char out[TOY_FILE_LEN + 1],
			  const uint8_t id[PAWLINK_ID_LEN])
{
	memcpy(out, PAWLINK_KEYSTORE_TOY_PREFIX,
	       sizeof(PAWLINK_KEYSTORE_TOY_PREFIX) - 1);
	pawlink_hex_encode(out + sizeof(PAWLINK_KEYSTORE_TOY_PREFIX) - 1, id,
			   PAWLINK_ID_LEN);
}

/*
 * The ssh rule: ours, the right type, and nothing for group or others.
 * Decided from fstat() alone, before any byte is read.
 */
static int check_owner_and_mode(const struct stat *st, const char *path,
				bool is_dir, char *err, size_t err_len)
{
	if (is_dir ? !S_ISDIR(st->st_mode) : !S_ISREG(st->st_mode)) {
		pawlink_errf(err, err_len, "'%s' is not a %s; refusing to use it.",
			     path, is_dir ? "directory" : "regular file");
		return -EINVAL;
	}
	if (st->st_uid != geteuid()) {
		pawlink_errf(err, err_len,
			     "'%s' is owned by uid %u, not by you (uid %u); "
			     "refusing to use it.", path,
			     (unsigned int)st->st_uid,
			     (unsigned int)geteuid());
		return -EPERM;
	}
	if (st->st_mode & 077) {
		pawlink_errf(err, err_len,
			     "Permissions %04o for '%s' are too open. "
			     "It is required that your %s NOT accessible by "
			     "others.",
			     (unsigned int)(st->st_mode & 07777), path,
			     is_dir ? "key store directory is"
				    : "private key files are");
		return -EPERM;
	}
	return 0;
}

/* Reads a whole key-store file (at most @cap bytes) into @buf. */
static int read_file(struct pawlink_keystore *ks, const char *name,
		     char *buf, size_t cap, size_t *len, char *err,
		     size_t err_len)
{
	char path[PATH_MAX + NAME_MAX + 2];
	struct stat st;
	size_t got = 0;
	ssize_t n;
	int fd, ret;

	*len = 0;
	path_of(ks, name, path, sizeof(path));
	fd = openat(ks->dirfd, name,
		    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		if (ret == -ELOOP)
			pawlink_errf(err, err_len,
				     "'%s' is a symbolic link; refusing to "
				     "follow it.", path);
		else if (ret != -ENOENT)
			pawlink_errf(err, err_len, "cannot open '%s': %s", path,
				     strerror(-ret));
		else
			pawlink_errf(err, err_len, "'%s' does not exist", path);
		return ret;
	}
	if (fstat(fd, &st) != 0) {
		ret = -errno;
		pawlink_errf(err, err_len, "cannot stat '%s': %s", path,
			     strerror(-ret));
		goto out_close;
	}
	ret = check_owner_and_mode(&st, path, false, err, err_len);
	if (ret)
		goto out_close;
	if (st.st_size < 0 || (size_t)st.st_size > cap) {
		ret = -EFBIG;
		pawlink_errf(err, err_len, "'%s' is too large to be a pawlink "
			     "key file", path);
		goto out_close;
	}
	for (;;) {
		n = read(fd, buf + got, cap - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			pawlink_errf(err, err_len, "cannot read '%s': %s", path,
				     strerror(-ret));
			goto out_wipe;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got == cap) {
			/* The file grew past its size: not ours to trust. */
			ret = -EFBIG;
			pawlink_errf(err, err_len, "'%s' is too large to be a "
				     "pawlink key file", path);
			goto out_wipe;
		}
	}
	*len = got;
	ret = 0;
	goto out_close;

out_wipe:
	sodium_memzero(buf, cap);
out_close:
	close(fd);
	return ret;
}

static int write_all(int fd, const char *data, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Creates ".@name.<random>.tmp", 0600, for writing: its fd, or -errno. */
static int tmp_create(struct pawlink_keystore *ks, const char *name,
		      char tmp[NAME_MAX + 1], char *err, size_t err_len)
{
	uint8_t rnd[8];
	char rnd_hex[2 * sizeof(rnd) + 1];
	int fd, ret;

	randombytes_buf(rnd, sizeof(rnd));
	pawlink_hex_encode(rnd_hex, rnd, sizeof(rnd));
	snprintf(tmp, NAME_MAX + 1, ".%s.%s%s", name, rnd_hex, TMP_SUFFIX);
	fd = openat(ks->dirfd, tmp,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		ret = -errno;
		pawlink_errf(err, err_len, "cannot create a file in '%s': %s",
			     ks->dir, strerror(-ret));
		return ret;
	}
	/* The umask may only take bits away; make sure of 0600 anyway. */
	if (fchmod(fd, 0600) != 0) {
		ret = -errno;
		close(fd);
		unlinkat(ks->dirfd, tmp, 0);
		pawlink_errf(err, err_len, "cannot create a file in '%s': %s",
			     ks->dir, strerror(-ret));
		return ret;
	}
	return fd;
}

/*
 * Puts the written temporary @tmp (its @fd, closed here) in place as
 * @name: fsynced, renamed over @name (or with @replace false linked, which
 * fails with -EEXIST if @name appeared meanwhile: two first runs at once),
 * then the directory fsynced.  On failure the temporary is removed and
 * @name is as it was.
 */
static int tmp_commit(struct pawlink_keystore *ks, int fd, const char *tmp,
		      const char *name, bool replace, char *err,
		      size_t err_len)
{
	char path[PATH_MAX + NAME_MAX + 2];
	int ret = 0;

	path_of(ks, name, path, sizeof(path));
	if (fsync(fd) != 0)
		ret = -errno;
	if (close(fd) != 0 && !ret)
		ret = -errno;
	if (ret)
		goto out_unlink;
	if (!replace) {
		/* link(2) never replaces: the first of two creators wins. */
		ret = linkat(ks->dirfd, tmp, ks->dirfd, name, 0) != 0 ?
		      -errno : 0;
		unlinkat(ks->dirfd, tmp, 0);
		if (ret == -EEXIST) {
			pawlink_errf(err, err_len, "'%s' already exists; not "
				     "replacing it", path);
			return ret;
		}
		if (ret)
			goto out_unlink;
	} else if (renameat(ks->dirfd, tmp, ks->dirfd, name) != 0) {
		ret = -errno;
		goto out_unlink;
	}
	if (fsync(ks->dirfd) != 0) {
		ret = -errno;
		pawlink_errf(err, err_len, "wrote '%s' but could not sync its "
			     "directory: %s", path, strerror(-ret));
		return ret;
	}
	return 0;

out_unlink:
	unlinkat(ks->dirfd, tmp, 0);
	pawlink_errf(err, err_len, "cannot write '%s': %s (left unchanged)",
		     path, strerror(-ret));
	return ret;
}

/* Writes @name whole through a temporary (tmp_commit() says how). */
static int write_file(struct pawlink_keystore *ks, const char *name,
		      const char *data, size_t len, bool replace, char *err,
		      size_t err_len)
{
	char tmp[NAME_MAX + 1];
	int fd, ret;

	fd = tmp_create(ks, name, tmp, err, err_len);
	if (fd < 0)
		return fd;
	ret = write_all(fd, data, len);
	if (ret) {
		char path[PATH_MAX + NAME_MAX + 2];

		close(fd);
		unlinkat(ks->dirfd, tmp, 0);
		path_of(ks, name, path, sizeof(path));
		pawlink_errf(err, err_len, "cannot write '%s': %s (left "
			     "unchanged)", path, strerror(-ret));
		return ret;
	}
	return tmp_commit(ks, fd, tmp, name, replace, err, err_len);
}

static int write_file_atomic(struct pawlink_keystore *ks, const char *name,
			     const char *data, size_t len, char *err,
			     size_t err_len)
{
	return write_file(ks, name, data, len, true, err, err_len);
}

/* ---- the directory ---- */

int pawlink_keystore_default_dir(char *out, size_t out_len, char *err,
				 size_t err_len)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	int n;

	/* The XDG spec says to ignore a relative XDG_DATA_HOME. */
	if (xdg && xdg[0] == '/')
		n = snprintf(out, out_len, "%s/pawlink", xdg);
	else if (home && home[0] == '/')
		n = snprintf(out, out_len, "%s/.local/share/pawlink", home);
	else {
		pawlink_errf(err, err_len, "neither XDG_DATA_HOME nor HOME is "
			     "set to an absolute path; cannot find the key "
			     "store");
		return -ENOENT;
	}
	if (n < 0 || (size_t)n >= out_len) {
		pawlink_errf(err, err_len, "key store path is too long");
		return -ENAMETOOLONG;
	}
	return 0;
}

/* mkdir -p with mode 0700 for every directory it creates. */
static int make_dirs(const char *dir, char *err, size_t err_len)
{
	char path[PATH_MAX];
	size_t i, len = strlen(dir);

	memcpy(path, dir, len + 1);
	for (i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST) {
			int ret = -errno;

			pawlink_errf(err, err_len, "cannot create '%s': %s",
				     path, strerror(-ret));
			return ret;
		}
		path[i] = i == len ? '\0' : '/';
	}
	return 0;
}

/*
 * Removes ".name.<random>.tmp" files that a crash mid-write left: those
 * older than STALE_TMP_SECONDS.  A younger one may be another process's
 * write in progress (two first runs at once), which must not vanish.
 */
#define STALE_TMP_SECONDS	600
static void remove_stale_temporaries(struct pawlink_keystore *ks)
{
	time_t now = time(NULL);
	struct dirent *de;
	struct stat st;
	DIR *d;
	int fd = dup(ks->dirfd);

	if (fd < 0)
		return;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);

		if (de->d_name[0] == '.' && n > sizeof(TMP_SUFFIX) &&
		    strcmp(de->d_name + n - strlen(TMP_SUFFIX), TMP_SUFFIX) == 0 &&
		    fstatat(ks->dirfd, de->d_name, &st,
			    AT_SYMLINK_NOFOLLOW) == 0 &&
		    now - st.st_mtime >= STALE_TMP_SECONDS)
			unlinkat(ks->dirfd, de->d_name, 0);
	}
	closedir(d);
}

int pawlink_keystore_open(struct pawlink_keystore *ks, const char *dir,
			  char *err, size_t err_len)
{
	struct stat st;
	int ret;

	memset(ks, 0, sizeof(*ks));
	ks->dirfd = -1;
	if (sodium_init() < 0) {
		pawlink_errf(err, err_len, "libsodium failed to initialise");
		return -EIO;
	}
	if (dir) {
		if (dir[0] == '\0' || strlen(dir) >= sizeof(ks->dir)) {
			pawlink_errf(err, err_len, "invalid key store path");
			return -EINVAL;
		}
		strcpy(ks->dir, dir);
	} else {
		ret = pawlink_keystore_default_dir(ks->dir, sizeof(ks->dir),
						   err, err_len);
		if (ret)
			return ret;
	}
	ret = make_dirs(ks->dir, err, err_len);
	if (ret)
		return ret;
	ks->dirfd = open(ks->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			 O_CLOEXEC);
	if (ks->dirfd < 0) {
		ret = -errno;
		if (ret == -ELOOP || ret == -ENOTDIR)
			pawlink_errf(err, err_len, "'%s' is not a directory (a "
				     "symbolic link?); refusing to use it.",
				     ks->dir);
		else
			pawlink_errf(err, err_len, "cannot open '%s': %s",
				     ks->dir, strerror(-ret));
		return ret;
	}
	if (fstat(ks->dirfd, &st) != 0) {
		ret = -errno;
		pawlink_errf(err, err_len, "cannot stat '%s': %s", ks->dir,
			     strerror(-ret));
		goto out_close;
	}
	ret = check_owner_and_mode(&st, ks->dir, true, err, err_len);
	if (ret)
		goto out_close;
	remove_stale_temporaries(ks);
	return 0;

out_close:
	close(ks->dirfd);
	ks->dirfd = -1;
	return ret;
}

void pawlink_keystore_close(struct pawlink_keystore *ks)
{
	if (ks->dirfd >= 0)
		close(ks->dirfd);
	ks->dirfd = -1;
}

/* ---- host identity ---- */

void pawlink_host_identity_wipe(struct pawlink_host_identity *host)
{
	sodium_memzero(host, sizeof(*host));
}

int pawlink_keystore_host_load(struct pawlink_keystore *ks,
			       struct pawlink_host_identity *host,
			       char *err, size_t err_len)
{
	char buf[PAWLINK_KEYSTORE_FILE_MAX], path[PATH_MAX + NAME_MAX + 2];
	size_t len;
	int ret;

	sodium_memzero(host, sizeof(*host));
	ret = read_file(ks, PAWLINK_KEYSTORE_HOST_FILE, buf, sizeof(buf), &len,
			err, err_len);
	if (ret)
		goto out_wipe;
	ret = pawlink_keystore_parse_host(buf, len, host);
	if (ret) {
		path_of(ks, PAWLINK_KEYSTORE_HOST_FILE, path, sizeof(path));
		pawlink_errf(err, err_len, "'%s' is not a valid pawlink host "
			     "key file", path);
	}
out_wipe:
	sodium_memzero(buf, sizeof(buf));
	return ret;
}

int pawlink_keystore_host_create(struct pawlink_keystore *ks,
				 struct pawlink_host_identity *host,
				 char *err, size_t err_len)
{
	char buf[PAWLINK_KEYSTORE_FILE_MAX], path[PATH_MAX + NAME_MAX + 2];
	char id_hex[2 * PAWLINK_ID_LEN + 1];
	char sk_hex[2 * PAWLINK_PAIR_STATIC_LEN + 1];
	struct stat st;
	int ret, n;

	sodium_memzero(host, sizeof(*host));
	path_of(ks, PAWLINK_KEYSTORE_HOST_FILE, path, sizeof(path));
	if (fstatat(ks->dirfd, PAWLINK_KEYSTORE_HOST_FILE, &st,
		    AT_SYMLINK_NOFOLLOW) == 0) {
		pawlink_errf(err, err_len, "'%s' already exists; not "
			     "replacing a host identity", path);
		return -EEXIST;
	}
	if (errno != ENOENT) {
		ret = -errno;
		pawlink_errf(err, err_len, "cannot stat '%s': %s", path,
			     strerror(-ret));
		return ret;
	}
	do {
		randombytes_buf(host->id, sizeof(host->id));
	} while (pawlink_is_zero(host->id, sizeof(host->id)));
	crypto_box_keypair(host->public_key, host->secret_key);

	pawlink_hex_encode(id_hex, host->id, sizeof(host->id));
	pawlink_hex_encode(sk_hex, host->secret_key, sizeof(host->secret_key));
	n = snprintf(buf, sizeof(buf), HOST_MAGIC "id %s\nsecret %s\n", id_hex,
		     sk_hex);
	/* Never over another process's identity made since the check. */
	ret = write_file(ks, PAWLINK_KEYSTORE_HOST_FILE, buf, (size_t)n, false,
			 err, err_len);
	sodium_memzero(sk_hex, sizeof(sk_hex));
	sodium_memzero(buf, sizeof(buf));
	if (ret)
		pawlink_host_identity_wipe(host);
	return ret;
}

/* ---- toys ---- */

/* @toy's file: its name and its text in @buf; the text's length. */
static int toy_format(const struct pawlink_toy_record *toy,
		      char name[TOY_FILE_LEN + 1],
		      char buf[PAWLINK_KEYSTORE_FILE_MAX], char *err,
		      size_t err_len)
{
	char id_hex[2 * PAWLINK_ID_LEN + 1];
	char pk_hex[2 * PAWLINK_PAIR_STATIC_LEN + 1];

	if (!pawlink_keystore_name_ok(toy->name) ||
	    pawlink_is_zero(toy->id, PAWLINK_ID_LEN)) {
		pawlink_errf(err, err_len, "invalid toy record: the name must "
			     "be at most %d printable bytes",
			     PAWLINK_KEYSTORE_NAME_MAX);
		return -EINVAL;
	}
	pawlink_hex_encode(id_hex, toy->id, sizeof(toy->id));
	pawlink_hex_encode(pk_hex, toy->static_key, sizeof(toy->static_key));
	toy_file_name(name, toy->id);
	return snprintf(buf, PAWLINK_KEYSTORE_FILE_MAX,
			TOY_MAGIC "id %s\npublic %s\nname %s\n", id_hex, pk_hex,
			toy->name);
}

int pawlink_keystore_toy_save(struct pawlink_keystore *ks,
			      const struct pawlink_toy_record *toy,
			      char *err, size_t err_len)
{
	char buf[PAWLINK_KEYSTORE_FILE_MAX], name[TOY_FILE_LEN + 1];
	int n;

	n = toy_format(toy, name, buf, err, err_len);
	if (n < 0)
		return n;
	return write_file_atomic(ks, name, buf, (size_t)n, err, err_len);
}

int pawlink_keystore_toy_reserve(struct pawlink_keystore *ks,
				 const uint8_t id[PAWLINK_ID_LEN],
				 struct pawlink_keystore_reservation *res,
				 char *err, size_t err_len)
{
	char fill[PAWLINK_KEYSTORE_FILE_MAX];
	int ret;

	memset(res, 0, sizeof(*res));
	toy_file_name(res->name, id);
	res->fd = tmp_create(ks, res->name, res->tmp, err, err_len);
	if (res->fd < 0)
		return res->fd;
	/* As many bytes as the longest record, on the disk now. */
	memset(fill, '\n', sizeof(fill));
	ret = write_all(res->fd, fill, sizeof(fill));
	if (!ret && fsync(res->fd) != 0)
		ret = -errno;
	if (ret) {
		pawlink_keystore_reservation_drop(ks, res);
		pawlink_errf(err, err_len, "cannot write the key store '%s': "
			     "%s (nothing changed)", ks->dir, strerror(-ret));
	}
	return ret;
}

int pawlink_keystore_toy_save_reserved(struct pawlink_keystore *ks,
				       struct pawlink_keystore_reservation *res,
				       const struct pawlink_toy_record *toy,
				       char *err, size_t err_len)
{
	char buf[PAWLINK_KEYSTORE_FILE_MAX], name[TOY_FILE_LEN + 1];
	ssize_t w;
	int n, fd = res->fd;

	n = toy_format(toy, name, buf, err, err_len);
	if (n < 0 || strcmp(name, res->name)) {
		/* Not the toy it was kept for: an ordinary write. */
		pawlink_keystore_reservation_drop(ks, res);
		return n < 0 ? n : write_file_atomic(ks, name, buf, (size_t)n,
						     err, err_len);
	}
	/* Over the bytes already written, then cut: no new block needed. */
	w = pwrite(fd, buf, (size_t)n, 0);
	if (w != n || ftruncate(fd, n) != 0) {
		int ret = w < 0 || w == n ? -errno : -EIO;

		pawlink_keystore_reservation_drop(ks, res);
		pawlink_errf(err, err_len, "cannot write '%s/%s': %s (left "
			     "unchanged)", ks->dir, name, strerror(-ret));
		return ret;
	}
	res->fd = -1;
	return tmp_commit(ks, fd, res->tmp, name, true, err, err_len);
}

void pawlink_keystore_reservation_drop(struct pawlink_keystore *ks,
				       struct pawlink_keystore_reservation *res)
{
	if (res->fd < 0)
		return;
	close(res->fd);
	unlinkat(ks->dirfd, res->tmp, 0);
	res->fd = -1;
}

int pawlink_keystore_toy_load(struct pawlink_keystore *ks,
			      const uint8_t id[PAWLINK_ID_LEN],
			      struct pawlink_toy_record *toy,
			      char *err, size_t err_len)
{
	char buf[PAWLINK_KEYSTORE_FILE_MAX], name[TOY_FILE_LEN + 1];
	char path[PATH_MAX + NAME_MAX + 2];
	size_t len;
	int ret;

	memset(toy, 0, sizeof(*toy));
	toy_file_name(name, id);
	ret = read_file(ks, name, buf, sizeof(buf), &len, err, err_len);
	if (ret == -ENOENT)
		pawlink_errf(err, err_len, "toy %s is not paired with this "
			     "host", name + sizeof(PAWLINK_KEYSTORE_TOY_PREFIX) - 1);
	if (ret)
		return ret;
	path_of(ks, name, path, sizeof(path));
	if (pawlink_keystore_parse_toy(buf, len, toy)) {
		pawlink_errf(err, err_len, "'%s' is not a valid pawlink toy "
			     "record", path);
		return -EINVAL;
	}
	if (memcmp(toy->id, id, PAWLINK_ID_LEN) != 0) {
		memset(toy, 0, sizeof(*toy));
		pawlink_errf(err, err_len, "'%s' holds another toy's id", path);
		return -EINVAL;
	}
	return 0;
}

/* The id in a "toy-<hex>" file name; false for any other name. */
static bool toy_id_from_name(const char *fname, uint8_t id[PAWLINK_ID_LEN])
{
	const char *hex = fname + sizeof(PAWLINK_KEYSTORE_TOY_PREFIX) - 1;
	size_t i;

	if (strlen(fname) != TOY_FILE_LEN ||
	    strncmp(fname, PAWLINK_KEYSTORE_TOY_PREFIX,
		    sizeof(PAWLINK_KEYSTORE_TOY_PREFIX) - 1) != 0)
		return false;
	for (i = 0; i < 2 * PAWLINK_ID_LEN; i++)
		if (!((hex[i] >= '0' && hex[i] <= '9') ||
		      (hex[i] >= 'a' && hex[i] <= 'f')))
			return false;
	return pawlink_hex_decode(id, PAWLINK_ID_LEN, hex,
				  2 * PAWLINK_ID_LEN) == 0;
}

int pawlink_keystore_toy_list(struct pawlink_keystore *ks,
			      int (*fn)(const struct pawlink_toy_record *toy,
					void *ctx),
			      void *ctx, char *err, size_t err_len)
{
	struct pawlink_toy_record toy;
	uint8_t id[PAWLINK_ID_LEN];
	struct dirent *de;
	int fd, ret = 0;
	DIR *d;

	fd = dup(ks->dirfd);
	if (fd < 0 || !(d = fdopendir(fd))) {
		ret = -errno;
		if (fd >= 0)
			close(fd);
		pawlink_errf(err, err_len, "cannot list '%s': %s", ks->dir,
			     strerror(-ret));
		return ret;
	}
	rewinddir(d);
	while (!ret && (de = readdir(d)) != NULL) {
		if (!toy_id_from_name(de->d_name, id))
			continue;
		ret = pawlink_keystore_toy_load(ks, id, &toy, err, err_len);
		if (!ret)
			ret = fn(&toy, ctx);
	}
	closedir(d);
	return ret;
}

int pawlink_keystore_toy_erase(struct pawlink_keystore *ks,
			       const uint8_t id[PAWLINK_ID_LEN],
			       char *err, size_t err_len)
{
	char name[TOY_FILE_LEN + 1], path[PATH_MAX + NAME_MAX + 2];
	int ret;

	toy_file_name(name, id);
	path_of(ks, name, path, sizeof(path));
	if (unlinkat(ks->dirfd, name, 0) != 0) {
		ret = -errno;
		if (ret == -ENOENT)
			pawlink_errf(err, err_len, "toy %s is not paired with "
				     "this host", name +
				     sizeof(PAWLINK_KEYSTORE_TOY_PREFIX) - 1);
		else
			pawlink_errf(err, err_len, "cannot remove '%s': %s",
				     path, strerror(-ret));
		return ret;
	}
	if (fsync(ks->dirfd) != 0) {
		ret = -errno;
		pawlink_errf(err, err_len, "removed '%s' but could not sync "
			     "its directory: %s", path, strerror(-ret));
		return ret;
	}
	return 0;
}
