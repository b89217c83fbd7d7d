// SPDX-License-Identifier: GPL-2.0
/*
 * pawsim dongle --air: the dongle's far side on the simulated air.  In the
 * guest: a `pawsim air`, a `pawsim toy` on it with its pairing button
 * pressed, and a dongle on that air.  Through /dev/pawlinkN the host scans
 * and sees the toy's beacon (pairing flag set), connects to it, and a
 * plaintext frame goes over the air to the toy and the toy's answer comes
 * back: a HELLO too short to be one, which the toy answers with a bare
 * FAIL (Documentation/pairing.rst).  A toy never heard is not connected,
 * and with no air at the socket the dongle does not start.  A linked toy
 * that beacons keeps its link past the supervision timeout; one switched
 * off loses it (LINK event "lost").
 */
#include <pawlink/pairing.h>

#include "kselftest_harness.h"
#include "common.h"
#include "procs.h"

/* Scans until @id shows up (bounded); its beacon into @out.  0 or error. */
static int scan_for(int fd, const uint8_t id[PAWLINK_ID_LEN],
		    struct pawlink_beacon *out)
{
	long end = now_ms() + WAIT_MS;
	struct pawlink_scan scan;
	__u32 i;

	do {
		memset(&scan, 0, sizeof(scan));
		if (ioctl(fd, PAWLINK_IOC_SCAN, &scan))
			return -errno;
		for (i = 0; i < scan.count && i < PAWLINK_SCAN_MAX; i++) {
			if (!memcmp(scan.beacons[i].toy_id, id,
				    PAWLINK_ID_LEN)) {
				*out = scan.beacons[i];
				return 0;
			}
		}
		sleep_ms(50);
	} while (now_ms() < end);
	return -ETIMEDOUT;
}

static int connect_to(int fd, const uint8_t id[PAWLINK_ID_LEN])
{
	struct pawlink_connect c;

	memset(&c, 0, sizeof(c));
	memcpy(c.toy_id, id, PAWLINK_ID_LEN);
	return ioctl(fd, PAWLINK_IOC_CONNECT, &c) ? -errno : 0;
}

FIXTURE(air) {
	char dir[64], sock[96], toy_dir[96], toy_log[96];
	struct proc air, toy;
	struct dongle d;
	uint8_t toy_id[PAWLINK_ID_LEN];
	int fd;
};

FIXTURE_SETUP(air)
{
	const char *pawsim = getenv("PAWSIM") ? getenv("PAWSIM") : "pawsim";

	self->fd = -1;
	strcpy(self->dir, "/tmp/dongle-air.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_TRUE(str_fmt(self->sock, sizeof(self->sock), "%s/air.sock",
			    self->dir));
	ASSERT_TRUE(str_fmt(self->toy_dir, sizeof(self->toy_dir), "%s/toy",
			    self->dir));
	ASSERT_TRUE(str_fmt(self->toy_log, sizeof(self->toy_log),
			    "%s/toy.log", self->dir));

	{
		const char *const air[] = {
			pawsim, "air", "--socket", self->sock, NULL
		};

		ASSERT_EQ(0, start_ready(&self->air, air, NULL));
	}
	{
		const char *const toy[] = {
			pawsim, "toy", "--air", self->sock, "--dir",
			self->toy_dir, NULL
		};

		ASSERT_EQ(0, start_ready(&self->toy, toy, self->toy_log));
	}
	ASSERT_EQ(0, toy_id_from_log(self->toy_log, self->toy_id));
	{
		const char *const press[] = {
			pawsim, "toy", "--dir", self->toy_dir, "press", NULL
		};

		ASSERT_EQ(0, run_cmd(press));
	}

	ASSERT_EQ(0, setenv("PAWLINK_TEST_AIR", self->sock, 1));
	self->fd = dongle_open(&self->d, 0, NULL, 0);
	unsetenv("PAWLINK_TEST_AIR");
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(air)
{
	const char *const rm[] = { "rm", "-rf", self->dir, NULL };

	if (self->fd >= 0)
		EXPECT_EQ(0, dongle_close(&self->d, self->fd));
	EXPECT_EQ(0, stop_proc(&self->toy));
	EXPECT_EQ(0, stop_proc(&self->air));
	EXPECT_EQ(0, run_cmd(rm));
}

TEST_F(air, scan_hears_the_toy_pairing)
{
	struct pawlink_beacon b;

	ASSERT_EQ(0, scan_for(self->fd, self->toy_id, &b));
	EXPECT_EQ(PAWLINK_BEACON_PAIRING, b.flags);
	/* The simulated air has no signal strength; the dongle says -40. */
	EXPECT_EQ(-40, b.rssi);
	EXPECT_EQ(0, b.reserved[0]);
	EXPECT_EQ(0, b.reserved[1]);
}

TEST_F(air, frame_reaches_the_toy_and_its_answer_comes_back)
{
	/* HELLO's type and version, but 4 bytes where HELLO has 68. */
	static const unsigned char bad_hello[] = {
		PAWLINK_PAIR_MSG_HELLO, PAWLINK_PAIR_VERSION, 0, 0
	};
	static const unsigned char fail[] = {
		PAWLINK_PAIR_MSG_FAIL, PAWLINK_PAIR_VERSION, 0, 0
	};
	unsigned char in[PAWLINK_FRAME_MAX];
	struct pawlink_beacon b;
	struct pawlink_info info;
	uint64_t rx;

	ASSERT_EQ(0, scan_for(self->fd, self->toy_id, &b));
	ASSERT_EQ(0, connect_to(self->fd, self->toy_id));
	ASSERT_EQ(0, intf_attr_wait(&self->d, "link_state", "connected"));
	ASSERT_EQ(0, ioctl(self->fd, PAWLINK_IOC_GET_INFO, &info));
	EXPECT_EQ(PAWLINK_LINK_CONNECTED, info.link_state);
	EXPECT_EQ(0, memcmp(info.toy_id, self->toy_id, PAWLINK_ID_LEN));

	/* The LINK event is counted already: the state came with it. */
	rx = stat_get(&self->d, "rx_records");
	ASSERT_EQ((ssize_t)sizeof(bad_hello),
		  write(self->fd, bad_hello, sizeof(bad_hello)));
	ASSERT_EQ((ssize_t)sizeof(fail), read_frame(self->fd, in, sizeof(in)));
	EXPECT_EQ(0, memcmp(in, fail, sizeof(fail)));
	/* One record from the toy, and nothing else (no echo of ours). */
	EXPECT_EQ(rx + 1, stat_get(&self->d, "rx_records"));

	ASSERT_EQ(0, ioctl(self->fd, PAWLINK_IOC_DISCONNECT, 0));
	EXPECT_EQ(0, intf_attr_wait(&self->d, "link_state", "idle"));
}

TEST_F(air, toy_never_heard_is_not_connected)
{
	/* Not the toy: no beacon with this id is ever on this air. */
	static const uint8_t nobody[PAWLINK_ID_LEN] = {
		0x6e, 0x6f, 0x62, 0x6f, 0x64, 0x79, 0x00, 0x01,
	};
	struct pawlink_beacon b;

	/* The dongle hears the air: so the id below was really absent. */
	ASSERT_EQ(0, scan_for(self->fd, self->toy_id, &b));
	ASSERT_EQ(0, connect_to(self->fd, nobody));
	/* CONNECT left it "connecting": only the dongle's event says idle. */
	ASSERT_EQ(0, intf_attr_wait(&self->d, "link_state", "idle"));
}

/*
 * The dongle's supervision (2 s, Documentation/usb-interface.rst): an idle
 * link whose toy beacons stays up for twice that; once the toy is off,
 * the link is lost.
 */
TEST_F(air, silent_toy_loses_the_link)
{
	struct pawlink_beacon b;
	char state[32];

	ASSERT_EQ(0, scan_for(self->fd, self->toy_id, &b));
	ASSERT_EQ(0, connect_to(self->fd, self->toy_id));
	ASSERT_EQ(0, intf_attr_wait(&self->d, "link_state", "connected"));
	sleep_ms(4000);
	ASSERT_EQ(0, intf_attr(&self->d, "link_state", state, sizeof(state)));
	EXPECT_STREQ("connected", state);

	/* A power cut, not a goodbye. */
	kill(self->toy.pid, SIGKILL);
	waitpid(self->toy.pid, NULL, 0);
	self->toy.pid = 0;
	EXPECT_EQ(0, intf_attr_wait(&self->d, "link_state", "lost"));
}

/* No air at the socket: the dongle says so and never plugs in. */
TEST(no_air_no_dongle)
{
	char intf[256];
	struct dongle d;

	ASSERT_EQ(0, setenv("PAWLINK_TEST_AIR", "/tmp/dongle-air-none.sock",
			    1));
	EXPECT_EQ(-ECHILD, dongle_start(&d, 0, NULL, 0));
	unsetenv("PAWLINK_TEST_AIR");
	EXPECT_EQ(0, d.pid);
	EXPECT_EQ(-ENOENT, udc_find_intf(0, intf, sizeof(intf)));
	EXPECT_NE(0, access("/sys/kernel/config/usb_gadget/pawtest0", F_OK));
}

TEST_HARNESS_MAIN
