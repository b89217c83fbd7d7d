// SPDX-License-Identifier: GPL-2.0
/*
 * Two dongles at once, one per dummy UDC: each gets its own /dev/pawlinkN
 * and its own sound card, frames never cross between them, and unplugging
 * one leaves the other working.
 */
#include "kselftest_harness.h"
#include "common.h"

FIXTURE(pair) {
	struct dongle a, b;
	int fa, fb;
};

FIXTURE_SETUP(pair)
{
	self->fa = dongle_open(&self->a, 0, NULL, 0);
	ASSERT_LE(0, self->fa);
	self->fb = dongle_open(&self->b, 1, NULL, 0);
	if (self->fb < 0) {
		dongle_close(&self->a, self->fa);
		ASSERT_TRUE(false) TH_LOG("second dongle did not come up");
	}
}

FIXTURE_TEARDOWN(pair)
{
	EXPECT_EQ(0, dongle_close(&self->a, self->fa));
	EXPECT_EQ(0, dongle_close(&self->b, self->fb));
}

TEST_F(pair, independent_nodes_and_cards)
{
	unsigned char out[64], in[PAWLINK_FRAME_MAX];

	EXPECT_STRNE(self->a.node, self->b.node);
	EXPECT_NE(self->a.card, self->b.card);

	/* a frame sent through A comes back on A only */
	fill_frame(out, sizeof(out), 0xa);
	ASSERT_EQ((ssize_t)sizeof(out), write(self->fa, out, sizeof(out)));
	ASSERT_EQ((ssize_t)sizeof(out), read_frame(self->fa, in, sizeof(in)));
	EXPECT_EQ(0, memcmp(out, in, sizeof(out)));
	EXPECT_EQ(0, poll_one(self->fb, POLLIN, 0));

	fill_frame(out, sizeof(out), 0xb);
	ASSERT_EQ((ssize_t)sizeof(out), write(self->fb, out, sizeof(out)));
	ASSERT_EQ((ssize_t)sizeof(out), read_frame(self->fb, in, sizeof(in)));
	EXPECT_EQ(0, memcmp(out, in, sizeof(out)));
	EXPECT_EQ(0, poll_one(self->fa, POLLIN, 0));

	EXPECT_EQ(1, stat_get(&self->a, "rx_records"));
	EXPECT_EQ(1, stat_get(&self->b, "rx_records"));
}

TEST_F(pair, unplug_one_other_keeps_working)
{
	unsigned char out[64] = { 0 }, in[PAWLINK_FRAME_MAX];
	char path[64];

	ASSERT_EQ(0, dongle_stop(&self->a));
	errno = 0;
	EXPECT_EQ(-1, write(self->fa, out, sizeof(out)));
	EXPECT_EQ(ENODEV, errno);
	snprintf(path, sizeof(path), "/proc/asound/card%d", self->a.card);
	EXPECT_NE(0, access(path, F_OK));

	fill_frame(out, sizeof(out), 0xc);
	ASSERT_EQ((ssize_t)sizeof(out), write(self->fb, out, sizeof(out)));
	ASSERT_EQ((ssize_t)sizeof(out), read_frame(self->fb, in, sizeof(in)));
	EXPECT_EQ(0, memcmp(out, in, sizeof(out)));
	snprintf(path, sizeof(path), "/proc/asound/card%d", self->b.card);
	EXPECT_EQ(0, access(path, F_OK));
}

TEST_HARNESS_MAIN
