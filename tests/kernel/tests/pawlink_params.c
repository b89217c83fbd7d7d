// SPDX-License-Identifier: GPL-2.0
/*
 * The ALSA module parameters (index, id, enable), as snd-usb-audio has
 * them: reload pawlink with parameters, plug a dongle, look at its card.
 * Teardown loads the module again without parameters.
 */
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "common.h"

FIXTURE(params) {
	struct dongle d;
};

/* Unloads pawlink (no file may be open) and loads it with @args. */
static int reload(const char *args)
{
	char cmd[256];

	if (syscall(SYS_delete_module, "pawlink", O_NONBLOCK))
		return -errno;
	snprintf(cmd, sizeof(cmd), "modprobe pawlink %s", args);
	return system(cmd) ? -EIO : 0;
}

FIXTURE_SETUP(params)
{
}

FIXTURE_TEARDOWN(params)
{
	EXPECT_EQ(0, dongle_stop(&self->d));
	EXPECT_EQ(0, reload(""));
}

TEST_F(params, index_and_id)
{
	char path[64], buf[64];

	ASSERT_EQ(0, reload("index=5 id=PawTest"));
	ASSERT_EQ(0, dongle_plug(&self->d, 0, NULL, 0));
	EXPECT_EQ(5, self->d.card);
	snprintf(path, sizeof(path), "/proc/asound/card%d/id", self->d.card);
	ASSERT_EQ(0, read_text(path, buf, sizeof(buf)));
	EXPECT_STREQ("PawTest", buf);
}

/* With every slot disabled the dongle is refused, with a log line. */
TEST_F(params, enable_off_refuses)
{
	char line[1024], slots[256], args[256] = "enable=0";
	char *c;
	int kmsg;

	/* one 0 per card slot: SNDRV_CARDS differs between kernels */
	ASSERT_EQ(0, read_text("/sys/module/pawlink/parameters/enable", slots,
			       sizeof(slots)));
	for (c = strchr(slots, ','); c; c = strchr(c + 1, ','))
		strncat(args, ",0", sizeof(args) - strlen(args) - 1);
	ASSERT_EQ(0, reload(args));
	kmsg = kmsg_open();
	ASSERT_LE(0, kmsg);
	ASSERT_EQ(0, dongle_start(&self->d, 0, NULL, 0));
	ASSERT_EQ(0, kmsg_wait(kmsg, "pawlink ", "no enabled sound card slot",
			       line, sizeof(line)));
	close(kmsg);
	ASSERT_EQ(0, udc_find_intf(0, self->d.intf, sizeof(self->d.intf)));
	EXPECT_EQ(0, intf_wait_unbound(self->d.intf));
}

TEST_HARNESS_MAIN
