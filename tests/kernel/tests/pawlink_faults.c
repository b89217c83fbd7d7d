// SPDX-License-Identifier: GPL-2.0
/*
 * Misbehaving dongles (pawsim dongle --fault MODE): a wrong interface is
 * refused at probe with a clear log line and leaves nothing behind; bad
 * transfers are dropped and counted while good ones still pass; a halted
 * endpoint is cleared and counted; a dongle that vanishes mid-transfer
 * fails every operation with ENODEV.  The lane's dmesg check proves no
 * WARNING/BUG/Oops came out of any of it.
 */
#include <pthread.h>

#include "kselftest_harness.h"
#include "common.h"

/* ---- descriptor faults: probe refuses ---------------------------------- */

FIXTURE(refused) {
	struct dongle d;
	int kmsg;
};

FIXTURE_VARIANT(refused) {
	const char *fault;
};

FIXTURE_VARIANT_ADD(refused, missing_ep) {
	.fault = "missing-ep",
};

FIXTURE_VARIANT_ADD(refused, wrong_type) {
	.fault = "wrong-type",
};

/* Probe fails after the device struct exists: its unwinding is tested. */
FIXTURE_VARIANT_ADD(refused, no_info) {
	.fault = "no-info",
};

FIXTURE_VARIANT_ADD(refused, bad_info) {
	.fault = "bad-info",
};

/* max_record below the records the driver writes */
FIXTURE_VARIANT_ADD(refused, small_record) {
	.fault = "small-record",
};

/* GET_INFO's reserved bytes not zero */
FIXTURE_VARIANT_ADD(refused, reserved_info) {
	.fault = "reserved-info",
};

/*
 * No "zero-maxpacket" variant: FunctionFS enables every endpoint when the
 * host sets the configuration, and the UDC core refuses one with
 * wMaxPacketSize 0 with a WARN (usb_ep_enable()), which fails the lane; the
 * gadget then stalls SET_CONFIGURATION, so the host never creates the
 * interface and pawlink's check is never reached.  Exercising it needs a
 * gadget that is not FunctionFS.
 */

FIXTURE_SETUP(refused)
{
	self->kmsg = kmsg_open();
	ASSERT_LE(0, self->kmsg);
}

FIXTURE_TEARDOWN(refused)
{
	close(self->kmsg);
	EXPECT_EQ(0, dongle_stop(&self->d));
}

TEST_F(refused, probe_fails_cleanly)
{
	char line[1024], path[512];

	ASSERT_EQ(0, dongle_start(&self->d, 0, variant->fault, 0));
	ASSERT_EQ(0, kmsg_wait(self->kmsg, "pawlink ", ": refused: ",
			       line, sizeof(line)));
	TH_LOG("%s", strchr(line, ';') ? strchr(line, ';') + 1 : line);

	/*
	 * The device is there, unclaimed, with no node and no card.  The
	 * driver core shows the "driver" link while probe() runs, so wait for
	 * it to go.
	 */
	ASSERT_EQ(0, udc_find_intf(0, self->d.intf, sizeof(self->d.intf)));
	ASSERT_EQ(0, intf_wait_unbound(self->d.intf));
	snprintf(path, sizeof(path), "%s/usbmisc", self->d.intf);
	EXPECT_NE(0, access(path, F_OK));
	snprintf(path, sizeof(path), "%s/sound", self->d.intf);
	EXPECT_NE(0, access(path, F_OK));
}

/* ---- transfer faults: drop, count, carry on ---------------------------- */

FIXTURE(faulty) {
	struct dongle d;
	int fd;
};

FIXTURE_VARIANT(faulty) {
	const char *fault;
	const char *counter;	/* where the damaged records are counted */
};

/* header says more than the transfer holds */
FIXTURE_VARIANT_ADD(faulty, truncated) {
	.fault = "truncated",
	.counter = "rx_dropped_length",
};

/* one byte more than PAWLINK_RECORD_MAX: babble on the host side */
FIXTURE_VARIANT_ADD(faulty, oversized) {
	.fault = "oversized",
	.counter = "rx_dropped_overflow",
};

FIXTURE_SETUP(faulty)
{
	self->fd = dongle_open(&self->d, 0, variant->fault, 0);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(faulty)
{
	EXPECT_EQ(0, dongle_close(&self->d, self->fd));
}

/*
 * pawsim damages the odd records it sends and passes the even ones: of
 * each pair written, the first is dropped and counted, the second arrives.
 */
TEST_F(faulty, bad_record_dropped_good_one_passes)
{
	unsigned char out[200], in[PAWLINK_FRAME_MAX];
	unsigned int pair;

	for (pair = 1; pair <= 3; pair++) {
		fill_frame(out, sizeof(out), 2 * pair - 1);
		ASSERT_EQ((ssize_t)sizeof(out), write(self->fd, out, sizeof(out)));
		fill_frame(out, sizeof(out), 2 * pair);
		ASSERT_EQ((ssize_t)sizeof(out), write(self->fd, out, sizeof(out)));

		ASSERT_EQ((ssize_t)sizeof(out), read_frame(self->fd, in, sizeof(in)));
		EXPECT_EQ(0, memcmp(out, in, sizeof(out)));
		ASSERT_EQ(0, stat_wait_ge(&self->d, variant->counter, pair));
		EXPECT_EQ(pair, stat_get(&self->d, variant->counter));
		EXPECT_EQ(pair, stat_get(&self->d, "rx_records"));
	}
	/* nothing else got through */
	EXPECT_EQ(0, poll_one(self->fd, POLLIN, 0));
}

/* ---- a halted endpoint ------------------------------------------------- */

FIXTURE(stall) {
	struct dongle d;
	int fd;
};

FIXTURE_SETUP(stall)
{
	self->fd = dongle_open(&self->d, 0, "stall", 0);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(stall)
{
	EXPECT_EQ(0, dongle_close(&self->d, self->fd));
}

TEST_F(stall, halt_cleared_and_counted)
{
	unsigned char out[50], in[PAWLINK_FRAME_MAX];
	ssize_t n;

	/* the first record the dongle relays to the host halts control IN */
	fill_frame(out, sizeof(out), 1);
	ASSERT_EQ((ssize_t)sizeof(out), write(self->fd, out, sizeof(out)));
	ASSERT_EQ(0, stat_wait_ge(&self->d, "stalls", 1));

	/* after the clear, frames flow again */
	fill_frame(out, sizeof(out), 2);
	ASSERT_EQ((ssize_t)sizeof(out), write(self->fd, out, sizeof(out)));
	do {
		n = read_frame(self->fd, in, sizeof(in));
		ASSERT_EQ((ssize_t)sizeof(out), n);
	} while (memcmp(out, in, sizeof(out)));
	EXPECT_EQ(0, stat_get(&self->d, "rx_dropped_malformed"));
}

/* ---- a dongle that vanishes mid-transfer ------------------------------ */

struct writer {
	int fd;
	int err;
};

static void *write_until_error(void *arg)
{
	struct writer *w = arg;
	unsigned char buf[PAWLINK_FRAME_MAX];

	fill_frame(buf, sizeof(buf), 9);
	while (write(w->fd, buf, sizeof(buf)) >= 0)
		;
	w->err = errno;
	return NULL;
}

TEST(vanish_mid_transfer)
{
	struct dongle d;
	struct writer w;
	unsigned char buf[8];
	pthread_t t;

	w.fd = dongle_open(&d, 0, "vanish", 5);
	ASSERT_LE(0, w.fd);
	w.err = 0;
	ASSERT_EQ(0, pthread_create(&t, NULL, write_until_error, &w));
	/* pawsim unbinds itself after the 5th record and exits */
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_TRUE(unplug_errno(w.err)) TH_LOG("write ended with %s",
						 strerror(w.err));
	/* the write may have failed before the host saw the unplug */
	ASSERT_EQ(0, dongle_wait_gone(&d));
	errno = 0;
	EXPECT_EQ(-1, read(w.fd, buf, sizeof(buf)));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(POLLHUP | POLLERR, poll_one(w.fd, POLLIN, 0));
	EXPECT_EQ(0, dongle_close(&d, w.fd));
}

TEST_HARNESS_MAIN
