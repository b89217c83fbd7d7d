// SPDX-License-Identifier: GPL-2.0
/*
 * The dongle path's pieces that need no kernel: finding dongles in a
 * sysfs tree (a fake one, laid out as pawlink.ko's), and what attaching
 * something that is not a dongle says.  The path itself, through
 * pawlink.ko, is tested in the kernel lane (tests/kernel/tests/
 * pawctl_dongle.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/usb/ch9.h>

#include "libpawlink.h"
#include "transport.h"

struct fixture {
	char root[64];
};

static void put(const char *root, const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void dir(const char *root, const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_int_equal(mkdir(path, 0755), 0);
}

/* An interface as pawlink.ko's sysfs shows it, with node pawlink@minor. */
static void interface(const char *root, const char *name, int minor,
		      const char *id, const char *fw, const char *link,
		      const char *keyed)
{
	char rel[128];

	dir(root, name);
	snprintf(rel, sizeof(rel), "%s/usbmisc", name);
	dir(root, rel);
	snprintf(rel, sizeof(rel), "%s/usbmisc/pawlink%d", name, minor);
	dir(root, rel);
	snprintf(rel, sizeof(rel), "%s/dongle_id", name);
	put(root, rel, id);
	snprintf(rel, sizeof(rel), "%s/firmware_version", name);
	put(root, rel, fw);
	snprintf(rel, sizeof(rel), "%s/link_state", name);
	put(root, rel, link);
	snprintf(rel, sizeof(rel), "%s/keyed", name);
	put(root, rel, keyed);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->root, "/tmp/pawlink-dongles-XXXXXX");
	if (!mkdtemp(f->root))
		return -1;
	*state = f;
	return 0;
}

static int rm_entry(const char *path, const struct stat *sb, int type,
		    struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int rc = nftw(f->root, rm_entry, 8, FTW_DEPTH | FTW_PHYS);

	free(f);
	return rc;
}

static void test_sysfs_listing(void **state)
{
	struct fixture *f = *state;
	struct pawlink_dongle *list;
	static const uint8_t id0[PAWLINK_ID_LEN] = {
		0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
	};
	size_t n;

	/* The driver's own files, which are no dongle. */
	put(f->root, "bind", "");
	dir(f->root, "module");
	/* The interface's parent is the USB device: here, the root. */
	put(f->root, "speed", "480\n");
	interface(f->root, "1-1:1.0", 10, "fedcba9876543210\n", "1.2\n",
		  "connected\n", "1\n");
	interface(f->root, "2-1:1.0", 3, "0123456789abcdef\n", "1.0\n",
		  "idle\n", "0\n");
	/* Being probed: attributes, no node yet.  Not listed. */
	dir(f->root, "3-1:1.0");
	put(f->root, "3-1:1.0/dongle_id", "1111111111111111\n");
	/* A garbled id: not listed rather than listed wrong. */
	interface(f->root, "4-1:1.0", 4, "xyz\n", "1.0\n", "idle\n", "0\n");

	assert_int_equal(pawlink_transport_dev_list(f->root, &list, &n), 0);
	assert_int_equal(n, 2);
	/* By node number: pawlink3 before pawlink10. */
	assert_string_equal(list[0].path, "/dev/pawlink3");
	assert_memory_equal(list[0].id, id0, PAWLINK_ID_LEN);
	assert_int_equal(list[0].fw_version, 0x0100);
	assert_int_equal(list[0].speed, USB_SPEED_HIGH);
	assert_int_equal(list[0].link_state, PAWLINK_LINK_IDLE);
	assert_false(list[0].keyed);
	assert_string_equal(list[1].path, "/dev/pawlink10");
	assert_int_equal(list[1].fw_version, 0x0102);
	assert_int_equal(list[1].link_state, PAWLINK_LINK_CONNECTED);
	assert_true(list[1].keyed);
	free(list);
}

static void test_no_driver_no_dongle(void **state)
{
	struct fixture *f = *state;
	struct pawlink_dongle *list;
	char path[128];
	size_t n = 7;

	snprintf(path, sizeof(path), "%s/not-loaded", f->root);
	assert_int_equal(pawlink_transport_dev_list(path, &list, &n), 0);
	assert_int_equal(n, 0);
	assert_null(list);
}

static void test_attach_not_a_dongle(void **state)
{
	struct fixture *f = *state;
	struct pawlink_transport *t;
	struct pawlink *p;
	char path[128];

	snprintf(path, sizeof(path), "%s/missing", f->root);
	assert_int_equal(pawlink_transport_dev_open(&t, path), -ENOENT);
	assert_null(t);
	/* A character device that is not pawlink's, and a plain file. */
	assert_int_equal(pawlink_transport_dev_open(&t, "/dev/null"), -ENOTTY);
	put(f->root, "file", "");
	snprintf(path, sizeof(path), "%s/file", f->root);
	assert_int_equal(pawlink_transport_dev_open(&t, path), -ENOTTY);

	/* Through the façade: the sentence names the path. */
	assert_int_equal(pawlink_open(&p, f->root, NULL, 0), 0);
	assert_int_equal(pawlink_attach_device(p, "/dev/null"), -ENOTTY);
	assert_non_null(strstr(pawlink_error(p), "'/dev/null' is not a pawlink dongle"));
	assert_false(pawlink_attached(p));
	snprintf(path, sizeof(path), "%s/missing", f->root);
	assert_int_equal(pawlink_attach_device(p, path), -ENOENT);
	assert_non_null(strstr(pawlink_error(p), "no dongle at"));
	/* Nothing kept where nothing can keep it. */
	assert_int_equal(pawlink_keep_session(p), -ENOTCONN);
	pawlink_close(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sysfs_listing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_driver_no_dongle, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_attach_not_a_dongle, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
