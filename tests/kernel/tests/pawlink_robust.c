// SPDX-License-Identifier: GPL-2.0
/*
 * What a maintainer's reading of pawlink.ko found, each proven here: an
 * O_NONBLOCK read never waits behind a blocking reader; an ioctl whose
 * argument sits in a page that never arrives (userfaultfd) does not keep
 * the unplug waiting; transaction errors (EPROTO) are retried and counted,
 * a storm of them stops the endpoint instead of spinning, and a writer
 * hears of a lost record; the dongle's GET_INFO and SCAN replies are
 * checked (max_record, reserved bytes).
 */
#include <linux/userfaultfd.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "common.h"

#include <linux/pawlink_test.h>

/* Loads pawlink again with @args; 0 or -errno. */
static int reload(const char *args)
{
	char cmd[256];

	if (syscall(SYS_delete_module, "pawlink", O_NONBLOCK))
		return -errno;
	snprintf(cmd, sizeof(cmd), "modprobe pawlink %s", args);
	return system(cmd) ? -EIO : 0;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A SIGALRM that interrupts a blocked call (no SA_RESTART). */
static void arm_alarm(unsigned int seconds)
{
	struct sigaction sa = { .sa_handler = on_alarm };

	sigaction(SIGALRM, &sa, NULL);
	alarm(seconds);
}

FIXTURE(robust) {
	struct dongle d;
	int fd;
};

FIXTURE_SETUP(robust)
{
	self->fd = dongle_open(&self->d, 0, NULL, 0);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(robust)
{
	EXPECT_EQ(0, dongle_close(&self->d, self->fd));
}

struct reader {
	int fd;
	ssize_t n;
	int err;
};

static void *read_one(void *arg)
{
	struct reader *r = arg;
	unsigned char buf[PAWLINK_FRAME_MAX];

	r->n = read(r->fd, buf, sizeof(buf));
	r->err = r->n < 0 ? errno : 0;
	return NULL;
}

/*
 * A blocking reader sleeps holding the read mutex; a nonblocking read on
 * another file must say EAGAIN at once, not wait for it (before the fix it
 * waited until the alarm interrupted it: EINTR).
 */
TEST_F(robust, nonblock_read_not_behind_blocking_reader)
{
	struct reader r = { .fd = self->fd };
	unsigned char buf[PAWLINK_FRAME_MAX];
	pthread_t t;
	int nb;

	nb = open(self->d.node, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, nb);
	ASSERT_EQ(0, pthread_create(&t, NULL, read_one, &r));
	sleep_ms(500);		/* the reader is asleep in read() by now */

	arm_alarm(3);
	errno = 0;
	EXPECT_EQ(-1, read(nb, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno) TH_LOG("nonblocking read: %s", strerror(errno));
	alarm(0);

	/* one frame echoed ends the blocking read */
	ASSERT_EQ(1, write(self->fd, "x", 1));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(1, r.n);
	close(nb);
}

struct stuck_ioctl {
	int fd;
	void *arg;
	int ret;
};

static void *ioctl_get_info(void *arg)
{
	struct stuck_ioctl *s = arg;

	s->ret = ioctl(s->fd, PAWLINK_IOC_GET_INFO, s->arg);
	return NULL;
}

/*
 * GET_INFO into a userfaultfd page nobody serves: the ioctl sleeps in its
 * copy_to_user().  The unplug must still complete (before the fix the copy
 * ran under io_mutex, which disconnect() takes: the hub thread hung and
 * the dongle never went away).  Closing the userfaultfd ends the fault.
 */
TEST_F(robust, ioctl_on_unserved_page_does_not_stall_unplug)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { 0 };
	struct stuck_ioctl s = { .fd = self->fd };
	long page = sysconf(_SC_PAGESIZE);
	int uffd, fd = self->fd;
	pthread_t t;

	uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0 && errno == ENOSYS)	/* the debug kernel has none */
		SKIP(return, "no userfaultfd in this kernel (CONFIG_USERFAULTFD)");
	ASSERT_LE(0, uffd) TH_LOG("userfaultfd: %s", strerror(errno));
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_API, &api));
	s.arg = mmap(NULL, page, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, s.arg);
	reg.range.start = (unsigned long)s.arg;
	reg.range.len = page;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_REGISTER, &reg));

	ASSERT_EQ(0, pthread_create(&t, NULL, ioctl_get_info, &s));
	/* the fault is pending once the userfaultfd has a message */
	EXPECT_EQ(POLLIN, poll_one(uffd, POLLIN, WAIT_MS));

	self->fd = -1;
	EXPECT_EQ(0, dongle_stop(&self->d));

	close(uffd);		/* the page fills with zeros, the copy ends */
	ASSERT_EQ(0, pthread_join(t, NULL));
	close(fd);
	munmap(s.arg, page);
}

/* The dongle's SCAN beacons have reserved bits set: EPROTO, still bound. */
TEST(scan_reserved_beacon_refused)
{
	struct pawlink_scan scan;
	struct dongle d;
	int fd;

	fd = dongle_open(&d, 0, "reserved-beacon", 0);
	ASSERT_LE(0, fd);
	errno = 0;
	EXPECT_EQ(-1, ioctl(fd, PAWLINK_IOC_SCAN, &scan));
	EXPECT_EQ(EPROTO, errno);
	EXPECT_EQ(0, ioctl(fd, PAWLINK_IOC_DISCONNECT, 0));
	EXPECT_EQ(0, dongle_close(&d, fd));
}

/* max_record above PAWLINK_RECORD_MAX binds, capped. */
TEST(big_max_record_capped)
{
	char line[1024];
	struct dongle d;
	int kmsg, fd;

	kmsg = kmsg_open();
	ASSERT_LE(0, kmsg);
	fd = dongle_open(&d, 0, "big-record", 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, kmsg_wait(kmsg, "pawlink ", "max record 1056",
			       line, sizeof(line)));
	EXPECT_EQ(0, dongle_close(&d, fd));
	close(kmsg);
}

/* ---- transaction errors, through the test hooks ------------------------ */

FIXTURE(xact) {
	struct dongle d;
	int fd;
};

FIXTURE_SETUP(xact)
{
	ASSERT_EQ(0, reload("test_hooks=1"));
	self->fd = dongle_open(&self->d, 0, NULL, 0);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(xact)
{
	EXPECT_EQ(0, dongle_close(&self->d, self->fd));
	EXPECT_EQ(0, reload(""));
}

static int xact_err(int fd, unsigned int ep, unsigned int count)
{
	struct pawlink_test_xact_err x = { .ep = ep, .count = count };

	return ioctl(fd, PAWLINK_IOC_TEST_XACT_ERR, &x) ? -errno : 0;
}

/*
 * Six receive completions fail with EPROTO, more than the four receive
 * URBs: each is counted and resubmitted, and the seventh frame arrives
 * (before the fix each EPROTO was taken for an unplug, the URB was not
 * resubmitted, and after four nothing was received again).
 */
TEST_F(xact, receive_errors_retried_and_counted)
{
	unsigned char out[40], in[PAWLINK_FRAME_MAX];
	unsigned int i;

	ASSERT_EQ(0, xact_err(self->fd, PAWLINK_EP_CTRL_IN, 6));
	for (i = 1; i <= 6; i++) {
		fill_frame(out, sizeof(out), i);
		ASSERT_EQ((ssize_t)sizeof(out), write(self->fd, out, sizeof(out)));
		ASSERT_EQ(0, stat_wait_ge(&self->d, "xact_errors", i));
	}
	fill_frame(out, sizeof(out), 7);
	ASSERT_EQ((ssize_t)sizeof(out), write(self->fd, out, sizeof(out)));
	ASSERT_EQ((ssize_t)sizeof(out), read_frame(self->fd, in, sizeof(in)));
	EXPECT_EQ(0, memcmp(out, in, sizeof(out)));
	EXPECT_EQ(6, stat_get(&self->d, "xact_errors"));
	EXPECT_EQ(1, stat_get(&self->d, "rx_records"));
}

/*
 * A storm: every completion fails.  Each run of errors is recovered like
 * a halt (cleared, counted in stalls) a bounded number of times, then the
 * endpoint is stopped and the reader told EIO; nothing spins.
 */
TEST_F_TIMEOUT(xact, receive_storm_stops_endpoint, 120)
{
	unsigned char out[8], in[PAWLINK_FRAME_MAX];
	unsigned int i;
	int rev = 0;

	ASSERT_EQ(0, xact_err(self->fd, PAWLINK_EP_CTRL_IN, 1000));
	for (i = 0; i < 64 && !(rev & POLLERR); i++) {
		fill_frame(out, sizeof(out), i);
		ASSERT_EQ((ssize_t)sizeof(out), write(self->fd, out, sizeof(out)));
		rev = poll_one(self->fd, POLLIN, 100);
	}
	EXPECT_EQ(POLLERR, poll_one(self->fd, POLLIN, WAIT_MS));
	errno = 0;
	EXPECT_EQ(-1, read(self->fd, in, sizeof(in)));
	EXPECT_EQ(EIO, errno);
	EXPECT_LE(8, stat_get(&self->d, "xact_errors"));
	EXPECT_LE(1, stat_get(&self->d, "stalls"));
	EXPECT_EQ(0, stat_get(&self->d, "rx_records"));
}

/*
 * A transmit that fails with EPROTO is reported: the next write() says
 * EIO (once), and the one after it goes out (before the fix the failure
 * was taken for an unplug and never reported).
 */
TEST_F(xact, transmit_error_reported_to_writer)
{
	unsigned char in[PAWLINK_FRAME_MAX];

	ASSERT_EQ(0, xact_err(self->fd, PAWLINK_EP_CTRL_OUT, 1));
	ASSERT_EQ(1, write(self->fd, "a", 1));
	ASSERT_EQ(0, stat_wait_ge(&self->d, "xact_errors", 1));
	errno = 0;
	EXPECT_EQ(-1, write(self->fd, "b", 1));
	EXPECT_EQ(EIO, errno);
	ASSERT_EQ(1, write(self->fd, "c", 1));
	/* the failed record's echo may or may not come first; "c" comes */
	do {
		ASSERT_EQ(1, read_frame(self->fd, in, sizeof(in)));
	} while (in[0] != 'c');
	EXPECT_EQ(1, stat_get(&self->d, "xact_errors"));
}

TEST_HARNESS_MAIN
