// SPDX-License-Identifier: GPL-2.0
/*
 * Enumeration at the lane's speed: the dongle binds to pawlink, gets a
 * /dev/pawlinkN and an ALSA card with the documented names, and its sysfs
 * attributes and GET_INFO agree with each other.
 */
#include <linux/usb/ch9.h>

#include "kselftest_harness.h"
#include "common.h"

FIXTURE(dongle) {
	struct dongle d;
};

FIXTURE_SETUP(dongle)
{
	ASSERT_EQ(0, dongle_plug(&self->d, 0, NULL, 0));
}

FIXTURE_TEARDOWN(dongle)
{
	EXPECT_EQ(0, dongle_stop(&self->d));
}

static int speed_of_lane(void)
{
	const char *s = lane_speed();

	if (!strcmp(s, "full"))
		return USB_SPEED_FULL;
	if (!strcmp(s, "high"))
		return USB_SPEED_HIGH;
	return USB_SPEED_SUPER;
}

TEST_F(dongle, bound_with_node_and_card)
{
	char path[512], buf[256], want[128];
	struct stat st;

	ASSERT_TRUE(intf_bound_to_pawlink(self->d.intf));
	ASSERT_EQ(0, stat(self->d.node, &st));
	ASSERT_TRUE(S_ISCHR(st.st_mode));
	ASSERT_GE(self->d.card, 0);

	/* /proc/asound/cards: " N [Pawlink...]: Pawlink - Pawlink" */
	snprintf(path, sizeof(path), "/proc/asound/card%d/id", self->d.card);
	ASSERT_EQ(0, read_text(path, buf, sizeof(buf)));
	EXPECT_EQ(0, strncmp(buf, "Pawlink", 7)) TH_LOG("card id %s", buf);

	snprintf(path, sizeof(path), "/sys/class/sound/card%d/id",
		 self->d.card);
	ASSERT_EQ(0, access(path, R_OK));

	snprintf(want, sizeof(want), ", %s speed", lane_speed());
	{
		FILE *f = fopen("/proc/asound/cards", "r");
		char line[256], head[16];
		bool seen = false;

		ASSERT_NE(NULL, f);
		snprintf(head, sizeof(head), "%2d [", self->d.card);
		while (fgets(line, sizeof(line), f)) {
			if (strncmp(line, head, strlen(head)))
				continue;
			EXPECT_NE(NULL, strstr(line, ": Pawlink - Pawlink"))
				TH_LOG("%s", line);
			ASSERT_NE(NULL, fgets(line, sizeof(line), f));
			EXPECT_NE(NULL, strstr(line, "Pawlink toy radio "))
				TH_LOG("%s", line);
			EXPECT_NE(NULL, strstr(line, want)) TH_LOG("%s", line);
			seen = true;
		}
		fclose(f);
		ASSERT_TRUE(seen);
	}

	/* one PCM device with one playback and one capture substream */
	snprintf(path, sizeof(path), "/dev/snd/pcmC%dD0p", self->d.card);
	EXPECT_EQ(0, stat(path, &st));
	snprintf(path, sizeof(path), "/dev/snd/pcmC%dD0c", self->d.card);
	EXPECT_EQ(0, stat(path, &st));
	snprintf(path, sizeof(path), "/dev/snd/pcmC%dD1p", self->d.card);
	EXPECT_NE(0, stat(path, &st));
}

TEST_F(dongle, sysfs_matches_get_info)
{
	static const char * const counters[] = {
		"tx_records", "rx_records", "rx_dropped_malformed",
		"rx_dropped_overflow", "rx_dropped_plaintext",
		"rx_dropped_auth", "rx_dropped_replay",
		"rx_dropped_queue_full", "stalls", "audio_lost_frames",
		"rx_dropped_epoch", "rx_dropped_length", "xact_errors",
		"audio_rx_periods", "audio_tx_periods", "audio_gaps_too_large",
		"audio_dropped_malformed",
	};
	struct pawlink_stats stats;
	struct pawlink_info info;
	char buf[64], hex[2 * PAWLINK_ID_LEN + 1];
	uint64_t v, *fields = (uint64_t *)&stats;
	unsigned int i;
	int fd;

	fd = open(self->d.node, O_RDWR);
	ASSERT_LE(0, fd);
	memset(&info, 0xa5, sizeof(info));
	ASSERT_EQ(0, ioctl(fd, PAWLINK_IOC_GET_INFO, &info));
	ASSERT_EQ(0, ioctl(fd, PAWLINK_IOC_GET_STATS, &stats));
	close(fd);

	EXPECT_EQ(PAWLINK_USB_PROTOCOL, info.proto_version);
	EXPECT_EQ(PAWLINK_FRAME_MAX, info.max_frame);
	EXPECT_EQ(speed_of_lane(), (int)info.speed);
	EXPECT_EQ(PAWLINK_LINK_IDLE, info.link_state);
	EXPECT_EQ(0, info.keyed);

	ASSERT_EQ(0, intf_attr(&self->d, "firmware_version", buf, sizeof(buf)));
	snprintf(hex, sizeof(hex), "%u.%u", info.fw_version >> 8,
		 info.fw_version & 0xff);
	EXPECT_STREQ(hex, buf);

	ASSERT_EQ(0, intf_attr(&self->d, "dongle_id", buf, sizeof(buf)));
	for (i = 0; i < PAWLINK_ID_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", info.dongle_id[i]);
	EXPECT_STREQ(hex, buf);

	ASSERT_EQ(0, intf_attr(&self->d, "link_state", buf, sizeof(buf)));
	EXPECT_STREQ("idle", buf);
	ASSERT_EQ(0, intf_attr(&self->d, "keyed", buf, sizeof(buf)));
	EXPECT_STREQ("0", buf);

	/* every counter of struct pawlink_stats, in its order, and no other */
	ASSERT_EQ(sizeof(stats), sizeof(counters) / sizeof(counters[0]) * 8);
	for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		ASSERT_EQ(0, stat_read(&self->d, counters[i], &v))
			TH_LOG("statistics/%s", counters[i]);
		/* nothing moves on an idle dongle between the two reads */
		EXPECT_EQ(fields[i], v) TH_LOG("statistics/%s", counters[i]);
	}
	{
		char dir[512];
		struct dirent *de;
		unsigned int n = 0;
		DIR *dp;

		snprintf(dir, sizeof(dir), "%s/statistics", self->d.intf);
		dp = opendir(dir);
		ASSERT_NE(NULL, dp);
		while ((de = readdir(dp)))
			n += de->d_name[0] != '.';
		closedir(dp);
		EXPECT_EQ(sizeof(counters) / sizeof(counters[0]), n);
	}
}

TEST_F(dongle, node_is_not_seekable)
{
	int fd = open(self->d.node, O_RDWR);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, lseek(fd, 0, SEEK_SET));
	EXPECT_EQ(ESPIPE, errno);
	close(fd);
}

TEST_HARNESS_MAIN
