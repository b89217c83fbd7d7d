// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/pawlinkN datagram I/O against pawsim's loopback dongle, which echoes
 * every control record: frame sizes, -EINVAL for an empty write,
 * -EMSGSIZE both ways, poll and
 * O_NONBLOCK, the bounded receive queue, and (reported, not asserted) the
 * echo round trip and throughput.
 */
#include "kselftest_harness.h"
#include "common.h"

FIXTURE(echo) {
	struct dongle d;
	int fd;
};

FIXTURE_SETUP(echo)
{
	self->fd = dongle_open(&self->d, 0, NULL, 0);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(echo)
{
	EXPECT_EQ(0, dongle_close(&self->d, self->fd));
}

/* Writes one frame of @len bytes and checks that the same comes back. */
static void echo_one(struct __test_metadata *_metadata, int fd, size_t len,
		     unsigned int seed)
{
	static unsigned char out[PAWLINK_FRAME_MAX], in[PAWLINK_FRAME_MAX + 1];

	fill_frame(out, len, seed);
	ASSERT_EQ((ssize_t)len, write(fd, out, len));
	ASSERT_EQ((ssize_t)len, read_frame(fd, in, sizeof(in)))
		TH_LOG("echo of %zu bytes", len);
	ASSERT_EQ(0, memcmp(out, in, len));
}

TEST_F(echo, sizes_1_max)
{
	echo_one(_metadata, self->fd, 1, 2);
	echo_one(_metadata, self->fd, PAWLINK_FRAME_MAX, 3);
	/* a frame whose record is a whole number of packets (zero-length end) */
	echo_one(_metadata, self->fd, 64 - PAWLINK_REC_HDR_LEN, 4);
	echo_one(_metadata, self->fd, 512 - PAWLINK_REC_HDR_LEN, 5);
	EXPECT_LE(4, stat_get(&self->d, "tx_records"));
	EXPECT_EQ(4, stat_get(&self->d, "rx_records"));
	EXPECT_EQ(0, stat_get(&self->d, "rx_dropped_malformed"));
	EXPECT_EQ(0, stat_get(&self->d, "rx_dropped_length"));
}

/* No message is empty: write() of 0 bytes is EINVAL and sends nothing. */
TEST_F(echo, empty_write_refused)
{
	unsigned char buf[1] = { 0 };
	uint64_t tx = stat_get(&self->d, "tx_records");

	errno = 0;
	EXPECT_EQ(-1, write(self->fd, buf, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, poll_one(self->fd, POLLIN, 100));
	EXPECT_EQ(tx, stat_get(&self->d, "tx_records"));
	/* and the device still works */
	echo_one(_metadata, self->fd, 1, 6);
}

TEST_F(echo, oversized_write_sends_nothing)
{
	static unsigned char big[PAWLINK_FRAME_MAX + 1];
	uint64_t tx = stat_get(&self->d, "tx_records");

	errno = 0;
	EXPECT_EQ(-1, write(self->fd, big, sizeof(big)));
	EXPECT_EQ(EMSGSIZE, errno);
	/* nothing was queued: a following frame is the first to come back */
	echo_one(_metadata, self->fd, 7, 9);
	EXPECT_EQ(tx + 1, stat_get(&self->d, "tx_records"));
	EXPECT_EQ(1, stat_get(&self->d, "rx_records"));
}

TEST_F(echo, small_read_buffer_keeps_frame)
{
	unsigned char out[100], in[100];

	fill_frame(out, sizeof(out), 7);
	ASSERT_EQ((ssize_t)sizeof(out), write(self->fd, out, sizeof(out)));
	ASSERT_EQ(-EMSGSIZE, read_frame(self->fd, in, sizeof(out) - 1));
	/* still there, whole */
	ASSERT_EQ((ssize_t)sizeof(out), read_frame(self->fd, in, sizeof(in)));
	ASSERT_EQ(0, memcmp(out, in, sizeof(out)));
}

TEST_F(echo, poll_and_nonblock)
{
	unsigned char buf[PAWLINK_FRAME_MAX];
	int fl;

	/* idle: writable, not readable */
	EXPECT_EQ(POLLOUT, poll_one(self->fd, POLLIN | POLLOUT, 0));
	fl = fcntl(self->fd, F_GETFL);
	ASSERT_EQ(0, fcntl(self->fd, F_SETFL, fl | O_NONBLOCK));
	errno = 0;
	EXPECT_EQ(-1, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);

	fill_frame(buf, 10, 3);
	ASSERT_EQ(10, write(self->fd, buf, 10));
	EXPECT_EQ(POLLIN, poll_one(self->fd, POLLIN, WAIT_MS));
	EXPECT_EQ(10, read(self->fd, buf, sizeof(buf)));
	/* drained again */
	errno = 0;
	EXPECT_EQ(-1, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, poll_one(self->fd, POLLIN, 0));
}

/*
 * Nobody reads: the driver keeps 64 frames and drops (and counts) the rest;
 * the kept ones come out in order.
 */
TEST_F(echo, receive_queue_is_bounded)
{
	const unsigned int sent = 80, kept = 64;
	unsigned char buf[32], want[32];
	unsigned int i;

	for (i = 0; i < sent; i++) {
		fill_frame(buf, sizeof(buf), i);
		ASSERT_EQ((ssize_t)sizeof(buf), write(self->fd, buf, sizeof(buf)));
	}
	ASSERT_EQ(0, stat_wait_ge(&self->d, "rx_dropped_queue_full",
				  sent - kept));
	EXPECT_EQ(kept, stat_get(&self->d, "rx_records"));
	EXPECT_EQ(sent - kept, stat_get(&self->d, "rx_dropped_queue_full"));
	for (i = 0; i < kept; i++) {
		fill_frame(want, sizeof(want), i);
		ASSERT_EQ((ssize_t)sizeof(buf), read_frame(self->fd, buf,
							   sizeof(buf)));
		ASSERT_EQ(0, memcmp(want, buf, sizeof(buf))) TH_LOG("frame %u", i);
	}
	EXPECT_EQ(0, poll_one(self->fd, POLLIN, 0));
}

/* Reports the echo round trip and the pipelined throughput; no assertion
 * on either figure, only that every frame came back intact.
 */
TEST_F_TIMEOUT(echo, measure_round_trip_and_throughput, 300)
{
	static unsigned char out[PAWLINK_FRAME_MAX], in[PAWLINK_FRAME_MAX];
	const unsigned int rounds = 200, frames = 2000, window = 8;
	unsigned int i, sent = 0, got = 0;
	double t0, rtt, secs;

	for (i = 0; i < 10; i++)	/* warm up */
		echo_one(_metadata, self->fd, 64, i);

	t0 = now_s();
	for (i = 0; i < rounds; i++)
		echo_one(_metadata, self->fd, 64, i);
	rtt = (now_s() - t0) / rounds;

	fill_frame(out, sizeof(out), 42);
	t0 = now_s();
	while (got < frames) {
		while (sent < frames && sent - got < window) {
			ASSERT_EQ((ssize_t)sizeof(out),
				  write(self->fd, out, sizeof(out)));
			sent++;
		}
		ASSERT_EQ((ssize_t)sizeof(in), read_frame(self->fd, in,
							  sizeof(in)));
		ASSERT_EQ(0, memcmp(out, in, sizeof(in)));
		got++;
	}
	secs = now_s() - t0;
	TH_LOG("%s speed: echo round trip %.3f ms (64-byte frame, %u rounds)",
	       lane_speed(), rtt * 1e3, rounds);
	TH_LOG("%s speed: echo throughput %.2f MB/s each way (%u x %d-byte frames, %u in flight)",
	       lane_speed(), frames * (double)sizeof(out) / secs / 1e6,
	       frames, PAWLINK_FRAME_MAX, window);
	EXPECT_EQ(0, stat_get(&self->d, "rx_dropped_queue_full"));
}

TEST_HARNESS_MAIN
