// SPDX-License-Identifier: GPL-2.0
/*
 * The host key store: location, modes, the ssh-style refusal of loose
 * permissions, the strict file formats, erase, and that a failed write
 * leaves neither a partial file nor a temporary behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "keystore.h"
#include "tmpdir.h"
#include "bytes.h"

struct fixture {
	char root[64];		/* mkdtemp() directory, removed afterwards */
	char dir[128];		/* root/store */
	char err[PAWLINK_KEYSTORE_ERR_LEN];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	if (test_tmpdir(f->root, sizeof(f->root), "ks", TEST_TMP_DISK))
		return -1;
	snprintf(f->dir, sizeof(f->dir), "%s/store", f->root);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	/* Symlinks (some tests make them) are removed, never followed. */
	test_rm_tree(f->root);
	free(f);
	return 0;
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	return st.st_mode & 07777;
}

static void file_path(char *out, size_t len, const struct fixture *f,
		      const char *name)
{
	snprintf(out, len, "%s/%s", f->dir, name);
}

static void write_text(const char *path, const char *text, mode_t mode)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	assert_int_equal(chmod(path, mode), 0);
}

static struct pawlink_toy_record sample_toy(uint8_t tag, const char *name)
{
	struct pawlink_toy_record t;

	memset(&t, 0, sizeof(t));
	memset(t.id, tag, sizeof(t.id));
	memset(t.static_key, tag ^ 0x5a, sizeof(t.static_key));
	snprintf(t.name, sizeof(t.name), "%s", name);
	return t;
}

static void test_default_location(void **state)
{
	char out[PATH_MAX], err[256];
	char *old_xdg = getenv("XDG_DATA_HOME") ?
		strdup(getenv("XDG_DATA_HOME")) : NULL;
	char *old_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;

	(void)state;
	setenv("XDG_DATA_HOME", "/x/data", 1);
	setenv("HOME", "/home/u", 1);
	assert_int_equal(pawlink_keystore_default_dir(out, sizeof(out), err,
						      sizeof(err)), 0);
	assert_string_equal(out, "/x/data/pawlink");
	setenv("XDG_DATA_HOME", "relative/ignored", 1);
	assert_int_equal(pawlink_keystore_default_dir(out, sizeof(out), err,
						      sizeof(err)), 0);
	assert_string_equal(out, "/home/u/.local/share/pawlink");
	unsetenv("XDG_DATA_HOME");
	assert_int_equal(pawlink_keystore_default_dir(out, sizeof(out), err,
						      sizeof(err)), 0);
	assert_string_equal(out, "/home/u/.local/share/pawlink");
	unsetenv("HOME");
	assert_int_equal(pawlink_keystore_default_dir(out, sizeof(out), err,
						      sizeof(err)), -ENOENT);

	if (old_xdg)
		setenv("XDG_DATA_HOME", old_xdg, 1);
	if (old_home)
		setenv("HOME", old_home, 1);
	free(old_xdg);
	free(old_home);
}

static void test_open_via_xdg_creates_0700(void **state)
{
	struct fixture *f = *state;
	struct pawlink_keystore ks;
	char xdg[128], store[160];
	char *old = getenv("XDG_DATA_HOME") ?
		strdup(getenv("XDG_DATA_HOME")) : NULL;

	snprintf(xdg, sizeof(xdg), "%s/xdg/data", f->root);
	snprintf(store, sizeof(store), "%s/pawlink", xdg);
	setenv("XDG_DATA_HOME", xdg, 1);
	assert_int_equal(pawlink_keystore_open(&ks, NULL, f->err,
					       sizeof(f->err)), 0);
	assert_string_equal(ks.dir, store);
	assert_int_equal(mode_of(store), 0700);
	assert_int_equal(mode_of(xdg), 0700);
	pawlink_keystore_close(&ks);
	if (old)
		setenv("XDG_DATA_HOME", old, 1);
	else
		unsetenv("XDG_DATA_HOME");
	free(old);
}

static void test_host_identity_round_trip(void **state)
{
	struct fixture *f = *state;
	struct pawlink_host_identity a, b;
	struct pawlink_keystore ks;
	uint8_t pk[32];
	char path[256];

	assert_int_equal(pawlink_keystore_open(&ks, f->dir, f->err,
					       sizeof(f->err)), 0);
	assert_int_equal(mode_of(f->dir), 0700);
	assert_int_equal(pawlink_keystore_host_load(&ks, &a, f->err,
						    sizeof(f->err)), -ENOENT);
	assert_int_equal(pawlink_keystore_host_create(&ks, &a, f->err,
						      sizeof(f->err)), 0);
	file_path(path, sizeof(path), f, PAWLINK_KEYSTORE_HOST_FILE);
	assert_int_equal(mode_of(path), 0600);
	assert_int_equal(pawlink_keystore_host_load(&ks, &b, f->err,
						    sizeof(f->err)), 0);
	assert_memory_equal(&a, &b, sizeof(a));
	assert_false(pawlink_is_zero(b.id, sizeof(b.id)));
	crypto_scalarmult_base(pk, b.secret_key);
	assert_memory_equal(pk, b.public_key, 32);
	/* Never silently replaced. */
	assert_int_equal(pawlink_keystore_host_create(&ks, &b, f->err,
						      sizeof(f->err)), -EEXIST);
	pawlink_host_identity_wipe(&b);
	assert_true(pawlink_is_zero((const uint8_t *)&b, sizeof(b)));
	pawlink_keystore_close(&ks);
}

static void test_loose_key_file_refused_without_reading(void **state)
{
	static const mode_t loose[] = { 0644, 0640, 0604, 0660, 0606, 0610,
					0601 };
	struct fixture *f = *state;
	struct pawlink_host_identity h;
	struct pawlink_keystore ks;
	char path[256], want[512], sk_hex[65];
	size_t i;

	assert_int_equal(pawlink_keystore_open(&ks, f->dir, f->err,
					       sizeof(f->err)), 0);
	assert_int_equal(pawlink_keystore_host_create(&ks, &h, f->err,
						      sizeof(f->err)), 0);
	pawlink_hex_encode(sk_hex, h.secret_key, 32);
	file_path(path, sizeof(path), f, PAWLINK_KEYSTORE_HOST_FILE);
	for (i = 0; i < PAWLINK_ARRAY_SIZE(loose); i++) {
		assert_int_equal(chmod(path, loose[i]), 0);
		assert_int_equal(pawlink_keystore_host_load(&ks, &h, f->err,
							    sizeof(f->err)),
				 -EPERM);
		snprintf(want, sizeof(want),
			 "Permissions %04o for '%s' are too open. It is "
			 "required that your private key files are NOT "
			 "accessible by others.", (unsigned int)loose[i], path);
		assert_string_equal(f->err, want);
		assert_null(strstr(f->err, sk_hex));
		assert_true(pawlink_is_zero((const uint8_t *)&h, sizeof(h)));
	}
	/*
	 * The verdict comes from the mode alone: a loose file full of
	 * garbage is refused for its mode, not for its content.
	 */
	write_text(path, "not a key at all", 0644);
	assert_int_equal(pawlink_keystore_host_load(&ks, &h, f->err,
						    sizeof(f->err)), -EPERM);
	assert_non_null(strstr(f->err, "too open"));
	/* Back to 0600, the garbage is reported as such. */
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(pawlink_keystore_host_load(&ks, &h, f->err,
						    sizeof(f->err)), -EINVAL);
	assert_non_null(strstr(f->err, "not a valid"));
	pawlink_keystore_close(&ks);
}

static void test_loose_pin_file_refused(void **state)
{
	struct fixture *f = *state;
	struct pawlink_toy_record t = sample_toy(7, "Bunny"), got;
	struct pawlink_keystore ks;
	char path[256];

	assert_int_equal(pawlink_keystore_open(&ks, f->dir, f->err,
					       sizeof(f->err)), 0);
	assert_int_equal(pawlink_keystore_toy_save(&ks, &t, f->err,
						   sizeof(f->err)), 0);
	file_path(path, sizeof(path), f, "toy-0707070707070707");
	assert_int_equal(mode_of(path), 0600);
	/* Writable by others would let them swap the pinned key. */
	assert_int_equal(chmod(path, 0622), 0);
	assert_int_equal(pawlink_keystore_toy_load(&ks, t.id, &got, f->err,
						   sizeof(f->err)), -EPERM);
	assert_non_null(strstr(f->err, "Permissions 0622"));
	pawlink_keystore_close(&ks);
}

static void test_loose_directory_refused(void **state)
{
	struct fixture *f = *state;
	struct pawlink_keystore ks;
	char want[512];

	assert_int_equal(pawlink_keystore_open(&ks, f->dir, f->err,
					       sizeof(f->err)), 0);
	pawlink_keystore_close(&ks);
	assert_int_equal(chmod(f->dir, 0755), 0);
	assert_int_equal(pawlink_keystore_open(&ks, f->dir, f->err,
					       sizeof(f->err)), -EPERM);
	snprintf(want, sizeof(want),
		 "Permissions 0755 for '%s' are too open. It is required that "
		 "your key store directory is NOT accessible by others.",
		 f->dir);
	assert_string_equal(f->err, want);
	assert_int_equal(ks.dirfd, -1);
	assert_int_equal(chmod(f->dir, 0710), 0);
	assert_int_equal(pawlink_keystore_open(&ks, f->dir, f->err,
					       sizeof(f->err)), -EPERM);
	assert_int_equal(chmod(f->dir, 0700), 0);
	assert_int_equal(pawlink_keystore_open(&ks, f->dir, f->err,
					       sizeof(f->err)), 0);
	pawlink_keystore_close(&ks);
}

static void test_symlinks_and_other_owners_refused(void **state)
{
	struct fixture *f = *state;
	struct pawlink_host_identity h;
	struct pawlink_keystore ks;
	char path[256], target[256], link_dir[256];

	assert_int_equal(pawlink_keystore_open(&ks, f->dir, f->err,
					       sizeof(f->err)), 0);
	/* host.key as a symlink to a 0600 file elsewhere. */
	snprintf(target, sizeof(target), "%s/elsewhere", f->root);
	write_text(target, "pawlink-host 1\n", 0600);
	file_path(path, sizeof(path), f, PAWLINK_KEYSTORE_HOST_FILE);
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(pawlink_keystore_host_load(&ks, &h, f->err,
						    sizeof(f->err)), -ELOOP);
	assert_non_null(strstr(f->err, "symbolic link"));
	unlink(path);

	/* A key file owned by someone else (only root can make one). */
	if (geteuid() == 0) {
		write_text(path, "x", 0600);
		assert_int_equal(chown(path, 4242, 4242), 0);
		assert_int_equal(pawlink_keystore_host_load(&ks, &h, f->err,
							    sizeof(f->err)),
				 -EPERM);
		assert_non_null(strstr(f->err, "owned by uid 4242"));
		unlink(path);
	}
	pawlink_keystore_close(&ks);

	/* The store directory itself as a symlink. */
	snprintf(link_dir, sizeof(link_dir), "%s/linked", f->root);
	assert_int_equal(symlink(f->dir, link_dir), 0);
	/* O_DIRECTORY | O_NOFOLLOW on a symlink is ENOTDIR on Linux. */
	assert_int_equal(pawlink_keystore_open(&ks, link_dir, f->err,
					       sizeof(f->err)), -ENOTDIR);
	assert_non_null(strstr(f->err, "symbolic link"));
}

static int collect(const struct pawlink_toy_record *t, void *ctx)
{
	int *seen = ctx;

	seen[t->id[0]]++;
	return 0;
}

static void test_toys_save_load_list_erase(void **state)
{
	struct fixture *f = *state;
	struct pawlink_toy_record a = sample_toy(1, "Bunny"),
				  b = sample_toy(2, ""), got;
	struct pawlink_keystore ks;
	int seen[256] = { 0 };

	assert_int_equal(pawlink_keystore_open(&ks, f->dir, f->err,
					       sizeof(f->err)), 0);
	assert_int_equal(pawlink_keystore_toy_save(&ks, &a, f->err,
						   sizeof(f->err)), 0);
	assert_int_equal(pawlink_keystore_toy_save(&ks, &b, f->err,
						   sizeof(f->err)), 0);
	assert_int_equal(pawlink_keystore_toy_load(&ks, a.id, &got, f->err,
						   sizeof(f->err)), 0);
	assert_memory_equal(&got, &a, sizeof(a));
	assert_int_equal(pawlink_keystore_toy_load(&ks, b.id, &got, f->err,
						   sizeof(f->err)), 0);
	assert_string_equal(got.name, "");
	assert_int_equal(pawlink_keystore_toy_list(&ks, collect, seen, f->err,
						   sizeof(f->err)), 0);
	assert_int_equal(seen[1], 1);
	assert_int_equal(seen[2], 1);

	/* Re-pairing replaces the record. */
	a.static_key[0] ^= 0xff;
	snprintf(a.name, sizeof(a.name), "Bunny (kitchen)");
	assert_int_equal(pawlink_keystore_toy_save(&ks, &a, f->err,
						   sizeof(f->err)), 0);
	assert_int_equal(pawlink_keystore_toy_load(&ks, a.id, &got, f->err,
						   sizeof(f->err)), 0);
	assert_memory_equal(&got, &a, sizeof(a));

	/* One call erases everything about one toy, and only that toy. */
	assert_int_equal(pawlink_keystore_toy_erase(&ks, a.id, f->err,
						    sizeof(f->err)), 0);
	assert_int_equal(pawlink_keystore_toy_load(&ks, a.id, &got, f->err,
						   sizeof(f->err)), -ENOENT);
	assert_non_null(strstr(f->err, "not paired"));
	assert_int_equal(pawlink_keystore_toy_erase(&ks, a.id, f->err,
						    sizeof(f->err)), -ENOENT);
	assert_int_equal(pawlink_keystore_toy_load(&ks, b.id, &got, f->err,
						   sizeof(f->err)), 0);
	memset(seen, 0, sizeof(seen));
	assert_int_equal(pawlink_keystore_toy_list(&ks, collect, seen, f->err,
						   sizeof(f->err)), 0);
	assert_int_equal(seen[1], 0);
	assert_int_equal(seen[2], 1);
	/* Nothing else about the erased toy is left in the directory. */
	assert_int_equal(test_count_entries(f->dir, true), 1);
	pawlink_keystore_close(&ks);
}

static void test_invalid_toy_records_refused(void **state)
{
	struct fixture *f = *state;
	struct pawlink_toy_record t = sample_toy(3, "x");
	struct pawlink_keystore ks;

	assert_int_equal(pawlink_keystore_open(&ks, f->dir, f->err,
					       sizeof(f->err)), 0);
	snprintf(t.name, sizeof(t.name), "two\nlines");
	assert_int_equal(pawlink_keystore_toy_save(&ks, &t, f->err,
						   sizeof(f->err)), -EINVAL);
	memset(t.name, 'a', PAWLINK_KEYSTORE_NAME_MAX);
	t.name[PAWLINK_KEYSTORE_NAME_MAX] = '\0';
	assert_int_equal(pawlink_keystore_toy_save(&ks, &t, f->err,
						   sizeof(f->err)), 0);
	memset(t.id, 0, sizeof(t.id));
	assert_int_equal(pawlink_keystore_toy_save(&ks, &t, f->err,
						   sizeof(f->err)), -EINVAL);
	pawlink_keystore_close(&ks);
}

static void test_failed_write_leaves_old_file_and_no_temporary(void **state)
{
	struct fixture *f = *state;
	struct pawlink_toy_record a = sample_toy(4, "Original"), b, got;
	struct pawlink_host_identity h;
	struct pawlink_keystore ks;
	struct rlimit old, tiny;
	void (*old_handler)(int);
	int ret;

	assert_int_equal(pawlink_keystore_open(&ks, f->dir, f->err,
					       sizeof(f->err)), 0);
	assert_int_equal(pawlink_keystore_toy_save(&ks, &a, f->err,
						   sizeof(f->err)), 0);
	assert_int_equal(test_count_entries(f->dir, true), 1);

	/*
	 * A real write failure, not a mock: a file-size limit of 16 bytes
	 * makes write() fail with EFBIG part-way through the new record.
	 */
	b = a;
	b.static_key[0] ^= 1;
	snprintf(b.name, sizeof(b.name), "Replacement");
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	tiny = old;
	tiny.rlim_cur = 16;
	old_handler = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &tiny), 0);
	ret = pawlink_keystore_toy_save(&ks, &b, f->err, sizeof(f->err));
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, old_handler);
	assert_int_equal(ret, -EFBIG);
	assert_non_null(strstr(f->err, "left unchanged"));

	/* The old record is intact and nothing else was left behind. */
	assert_int_equal(pawlink_keystore_toy_load(&ks, a.id, &got, f->err,
						   sizeof(f->err)), 0);
	assert_memory_equal(&got, &a, sizeof(a));
	assert_int_equal(test_count_entries(f->dir, true), 1);

	/* Same for the host identity: no host.key at all, no temporary. */
	old_handler = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &tiny), 0);
	ret = pawlink_keystore_host_create(&ks, &h, f->err, sizeof(f->err));
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, old_handler);
	assert_int_equal(ret, -EFBIG);
	assert_true(pawlink_is_zero((const uint8_t *)&h, sizeof(h)));
	assert_int_equal(test_count_entries(f->dir, true), 1);
	pawlink_keystore_close(&ks);
}

static void test_crash_leftovers_removed_on_open(void **state)
{
	struct fixture *f = *state;
	struct timespec old[2] = { { 0 }, { 0 } };
	struct pawlink_keystore ks;
	char path[256];

	assert_int_equal(pawlink_keystore_open(&ks, f->dir, f->err,
					       sizeof(f->err)), 0);
	pawlink_keystore_close(&ks);
	file_path(path, sizeof(path), f, ".host.key.0011223344556677.tmp");
	write_text(path, "pawlink-host 1\nid 00", 0600);
	/* A young one may be another process's write in progress: kept. */
	assert_int_equal(pawlink_keystore_open(&ks, f->dir, f->err,
					       sizeof(f->err)), 0);
	pawlink_keystore_close(&ks);
	assert_int_equal(test_count_entries(f->dir, true), 1);
	/* An hour old: a crash left it. */
	old[0].tv_sec = old[1].tv_sec = time(NULL) - 3600;
	assert_int_equal(utimensat(AT_FDCWD, path, old, 0), 0);
	assert_int_equal(pawlink_keystore_open(&ks, f->dir, f->err,
					       sizeof(f->err)), 0);
	assert_int_equal(test_count_entries(f->dir, true), 0);
	pawlink_keystore_close(&ks);
}

static void test_parsers_are_strict(void **state)
{
	static const char good_toy[] =
		"pawlink-toy 1\n"
		"id 0102030405060708\n"
		"public 00112233445566778899aabbccddeeff"
		"00112233445566778899aabbccddeeff\n"
		"name Bunny\n";
	static const char *const bad_toys[] = {
		"",
		"pawlink-toy 2\nid 0102030405060708\n",
		/* Upper-case hex. */
		"pawlink-toy 1\nid 0102030405060708\npublic 00112233445566778899AABBCCDDEEFF00112233445566778899aabbccddeeff\nname B\n",
		/* No final newline. */
		"pawlink-toy 1\nid 0102030405060708\npublic 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\nname B",
		/* A trailing extra line. */
		"pawlink-toy 1\nid 0102030405060708\npublic 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\nname B\nx\n",
		/* Short id. */
		"pawlink-toy 1\nid 01020304050607\npublic 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\nname B\n",
		/* Control character in the name. */
		"pawlink-toy 1\nid 0102030405060708\npublic 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\nname B\tx\n",
		/* Id zero. */
		"pawlink-toy 1\nid 0000000000000000\npublic 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\nname B\n",
		/* CRLF. */
		"pawlink-toy 1\r\nid 0102030405060708\npublic 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\nname B\n",
	};
	static const char good_host[] =
		"pawlink-host 1\n"
		"id 0102030405060708\n"
		"secret 00112233445566778899aabbccddeeff"
		"00112233445566778899aabbccddeeff\n";
	struct pawlink_toy_record t;
	struct pawlink_host_identity h;
	char buf[512];
	size_t i;

	(void)state;
	assert_int_equal(pawlink_keystore_parse_toy(good_toy, strlen(good_toy),
						    &t), 0);
	assert_string_equal(t.name, "Bunny");
	for (i = 0; i < PAWLINK_ARRAY_SIZE(bad_toys); i++)
		assert_int_equal(pawlink_keystore_parse_toy(bad_toys[i],
							    strlen(bad_toys[i]),
							    &t), -EINVAL);
	/* An embedded NUL in the name. */
	memcpy(buf, good_toy, sizeof(good_toy));
	buf[strlen(good_toy) - 3] = '\0';
	assert_int_equal(pawlink_keystore_parse_toy(buf, strlen(good_toy), &t),
			 -EINVAL);

	assert_int_equal(pawlink_keystore_parse_host(good_host,
						     strlen(good_host), &h), 0);
	assert_int_equal(pawlink_keystore_parse_host(good_host,
						     strlen(good_host) - 1, &h),
			 -EINVAL);
	assert_true(pawlink_is_zero((const uint8_t *)&h, sizeof(h)));
	memcpy(buf, good_host, sizeof(good_host));
	buf[5] = 'X';
	assert_int_equal(pawlink_keystore_parse_host(buf, strlen(good_host),
						     &h), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_location),
		cmocka_unit_test_setup_teardown(test_open_via_xdg_creates_0700,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_host_identity_round_trip,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_loose_key_file_refused_without_reading,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_loose_pin_file_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_loose_directory_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlinks_and_other_owners_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_toys_save_load_list_erase,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_toy_records_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_write_leaves_old_file_and_no_temporary,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_crash_leftovers_removed_on_open,
						setup, teardown),
		cmocka_unit_test(test_parsers_are_strict),
	};

	if (sodium_init() < 0)
		return 1;
	/* Tests check exact modes; make them independent of the caller. */
	umask(022);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
