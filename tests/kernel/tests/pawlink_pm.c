// SPDX-License-Identifier: GPL-2.0
/*
 * Power management: a USB reset (USBDEVFS_RESET from usbfs) keeps the
 * driver bound and the open file working, and ends the keyed session's
 * keys (the dongle lost its link); runtime autosuspend puts an idle dongle
 * (no /dev/pawlinkN open) to sleep, and opening the node wakes it and it
 * works.  Documentation/driver.rst ("Power management") says why.
 */
#include "kselftest_harness.h"
#include "common.h"
#include "usb_dev.h"

static void echo(struct __test_metadata *_metadata, int fd, unsigned int seed)
{
	unsigned char out[100], in[PAWLINK_FRAME_MAX];

	fill_frame(out, sizeof(out), seed);
	ASSERT_EQ((ssize_t)sizeof(out), write(fd, out, sizeof(out)));
	do {
		ASSERT_EQ((ssize_t)sizeof(out), read_frame(fd, in, sizeof(in)));
	} while (memcmp(out, in, sizeof(out)));
}

/*
 * A reset while keyed: the driver stays bound (before pre_reset and
 * post_reset the USB core unbound it, and the open file said ENODEV), the
 * keys are gone and the link shows idle; the session holds (no plaintext)
 * until DISCONNECT, after which the dongle works as before.
 */
TEST(usb_reset_keeps_binding_drops_keys)
{
	struct pawlink_key_install keys = {
		.version = PAWLINK_KEYS_VERSION,
		.epoch = 1,
	};
	struct pawlink_info info;
	char dir[256], node[64], buf[16];
	struct dongle d;
	int fd, ufd;

	fd = dongle_open(&d, 0, NULL, 0);
	ASSERT_LE(0, fd);
	snprintf(node, sizeof(node), "%s", d.node);
	ASSERT_EQ(0, usb_dev_dir(&d, dir, sizeof(dir)));
	echo(_metadata, fd, 1);
	ASSERT_EQ(0, dongle_connect(&d, fd));
	memset(keys.h2t_ctrl, 0x11, sizeof(keys.h2t_ctrl));
	ASSERT_EQ(0, ioctl(fd, PAWLINK_IOC_SET_KEYS, &keys));
	ASSERT_EQ(0, intf_attr(&d, "keyed", buf, sizeof(buf)));
	EXPECT_STREQ("1", buf);

	ufd = usbfs_open(dir);
	ASSERT_LE(0, ufd) TH_LOG("usbfs node: %s", strerror(-ufd));
	EXPECT_EQ(0, ioctl(ufd, USBDEVFS_RESET, 0))
		TH_LOG("USBDEVFS_RESET: %s", strerror(errno));
	close(ufd);

	EXPECT_TRUE(intf_bound_to_pawlink(d.intf));
	EXPECT_EQ(0, ioctl(fd, PAWLINK_IOC_GET_INFO, &info))
		TH_LOG("GET_INFO after reset: %s", strerror(errno));
	EXPECT_EQ(0, info.keyed);
	EXPECT_EQ(PAWLINK_LINK_IDLE, info.link_state);
	EXPECT_STREQ(node, d.node);
	errno = 0;
	EXPECT_EQ(-1, write(fd, "x", 1));
	EXPECT_EQ(ENOTCONN, errno);
	ASSERT_EQ(0, ioctl(fd, PAWLINK_IOC_DISCONNECT, 0));
	echo(_metadata, fd, 2);
	/* and the dongle's events still count: a new link shows */
	EXPECT_EQ(0, dongle_connect(&d, fd));
	EXPECT_EQ(0, ioctl(fd, PAWLINK_IOC_DISCONNECT, 0));
	EXPECT_EQ(0, dongle_close(&d, fd));
}

/*
 * Autosuspend: with no file open the dongle goes to sleep (before
 * supports_autosuspend it stayed active); open wakes it and frames flow;
 * close lets it sleep again.  Not at super speed: dummy_hcd's USB 3 root
 * hub refuses SetPortFeature(PORT_LINK_STATE) to U3 (it checks wIndex,
 * which carries the link state, against port 1), so the USB core logs
 * "usb2-port1: can't suspend, status -32" and no USB 3 device on it ever
 * suspends, whatever its driver.
 */
TEST(autosuspend_when_idle)
{
	char dir[256];
	struct dongle d;
	int fd;

	if (!strcmp(lane_speed(), "super"))
		SKIP(return, "dummy_hcd cannot put a SuperSpeed port in U3");
	ASSERT_EQ(0, dongle_plug(&d, 0, NULL, 0));
	ASSERT_EQ(0, usb_dev_dir(&d, dir, sizeof(dir)));
	if (write_attr(dir, "power/autosuspend_delay_ms", "0") == -ENOENT)
		SKIP({ dongle_stop(&d); return; },
		     "no runtime PM in this kernel (CONFIG_PM)");
	ASSERT_EQ(0, write_attr(dir, "power/autosuspend_delay_ms", "0"));
	ASSERT_EQ(0, write_attr(dir, "power/control", "auto"));
	EXPECT_EQ(0, runtime_status_wait(dir, "suspended"));

	fd = open(d.node, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, runtime_status_wait(dir, "active"));
	echo(_metadata, fd, 3);
	echo(_metadata, fd, 4);
	close(fd);
	EXPECT_EQ(0, runtime_status_wait(dir, "suspended"));

	fd = open(d.node, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	echo(_metadata, fd, 5);
	close(fd);
	EXPECT_EQ(0, write_attr(dir, "power/control", "on"));
	EXPECT_EQ(0, dongle_stop(&d));
}

TEST_HARNESS_MAIN
