// SPDX-License-Identifier: GPL-2.0
/*
 * Proves the kernel lane's guest before any driver test relies on it: the
 * gadget stack (configfs, libcomposite, FunctionFS), dummy_hcd's two UDCs at the
 * speed this pass asked for, the ALSA core and alsa-lib's configuration, and
 * pawlink.ko loaded when the run includes the driver.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"

/* Returns 1 if path holds a line containing needle. */
static int file_has_line(const char *path, const char *needle)
{
	char line[512];
	FILE *f = fopen(path, "r");
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, needle) != NULL;
	fclose(f);
	return found;
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

TEST(configfs_mounted)
{
	ASSERT_TRUE(file_has_line("/proc/mounts",
				  "configfs /sys/kernel/config configfs"));
	/* libcomposite registers the gadget subsystem in configfs */
	ASSERT_TRUE(is_dir("/sys/kernel/config/usb_gadget"));
}

/*
 * usb_f_fs registers the functionfs filesystem with its first instance, so
 * make one the way pawsim does (a gadget with an ffs function) and take it
 * down again.
 */
TEST(functionfs_instance)
{
	const char *gadget = "/sys/kernel/config/usb_gadget/lane_smoke";
	char function[128];
	int made_gadget, made_function = 0, registered = 0;

	snprintf(function, sizeof(function), "%s/functions/ffs.lane_smoke",
		 gadget);
	made_gadget = mkdir(gadget, 0755) == 0;
	if (made_gadget) {
		made_function = mkdir(function, 0755) == 0;
		registered = file_has_line("/proc/filesystems", "functionfs");
	}
	if (made_function)
		EXPECT_EQ(0, rmdir(function));
	if (made_gadget)
		EXPECT_EQ(0, rmdir(gadget));
	ASSERT_TRUE(made_gadget);
	ASSERT_TRUE(made_function);
	ASSERT_TRUE(registered);
}

TEST(two_udcs_at_lane_speed)
{
	const char *speed = getenv("PAWLINK_LANE_SPEED");
	char want[32], path[512], got[32];
	struct dirent *de;
	int udcs = 0;
	DIR *dir;
	FILE *f;

	ASSERT_NE(NULL, speed);
	snprintf(want, sizeof(want), "%s-speed\n", speed);
	dir = opendir("/sys/class/udc");
	ASSERT_NE(NULL, dir);
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/class/udc/%s/maximum_speed",
			 de->d_name);
		f = fopen(path, "r");
		ASSERT_NE(NULL, f);
		ASSERT_NE(NULL, fgets(got, sizeof(got), f));
		fclose(f);
		EXPECT_STREQ(want, got) {
			TH_LOG("%s runs at %s", de->d_name, got);
		}
		udcs++;
	}
	closedir(dir);
	/* the lane loads dummy_hcd num=2 so a test can plug two dongles */
	ASSERT_EQ(2, udcs);
}

TEST(alsa_core_and_config)
{
	char line[256];
	int has_null = 0;
	FILE *p;

	ASSERT_TRUE(is_dir("/proc/asound"));
	/* aplay -L lists the "null" PCM only if alsa-lib read its config */
	p = popen("aplay -L 2>&1", "r");
	ASSERT_NE(NULL, p);
	while (fgets(line, sizeof(line), p))
		has_null |= strcmp(line, "null\n") == 0;
	ASSERT_EQ(0, pclose(p));
	ASSERT_TRUE(has_null);
}

TEST(pawlink_loaded)
{
	const char *driver = getenv("PAWLINK_LANE_DRIVER");

	if (!driver || strcmp(driver, "1") != 0)
		SKIP(return, "this run does not load pawlink.ko (--no-driver)");
	ASSERT_TRUE(is_dir("/sys/module/pawlink"));
}

TEST_HARNESS_MAIN
