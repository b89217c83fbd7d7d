// SPDX-License-Identifier: GPL-2.0
/*
 * Unplug safety: sleepers in read() and poll() and a busy writer wake with
 * an error when the dongle goes; every operation afterwards says ENODEV;
 * 50 unplug/replug cycles under I/O leave the kernel clean; rmmod with an
 * open file fails with EWOULDBLOCK/EBUSY and works once it is closed.
 */
#include <pthread.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "common.h"

/* Waits until thread @tid of this process sleeps (state S) in the kernel. */
static int wait_sleeping(pid_t tid)
{
	long end = now_ms() + WAIT_MS;
	char path[64], buf[256], *p;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	do {
		if (!read_text(path, buf, sizeof(buf))) {
			p = strrchr(buf, ')');
			if (p && p[1] == ' ' && p[2] == 'S')
				return 0;
		}
		sleep_ms(POLL_STEP_MS);
	} while (now_ms() < end);
	return -ETIMEDOUT;
}

struct sleeper {
	int fd;
	pid_t tid;
	ssize_t ret;
	int err;
	short revents;
};

static void *blocked_read(void *arg)
{
	struct sleeper *s = arg;
	unsigned char buf[PAWLINK_FRAME_MAX];

	s->tid = gettid();
	s->ret = read(s->fd, buf, sizeof(buf));
	s->err = errno;
	return NULL;
}

static void *blocked_poll(void *arg)
{
	struct sleeper *s = arg;
	struct pollfd p = { .fd = s->fd, .events = POLLIN };

	s->tid = gettid();
	s->ret = poll(&p, 1, -1);
	s->err = errno;
	s->revents = p.revents;
	return NULL;
}

/* After an unplug every operation on an open file says ENODEV. */
static void expect_all_enodev(struct __test_metadata *_metadata, int fd)
{
	unsigned char buf[8] = { 0 };
	struct pawlink_info info;

	errno = 0;
	EXPECT_EQ(-1, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(ENODEV, errno);
	errno = 0;
	EXPECT_EQ(-1, write(fd, buf, sizeof(buf)));
	EXPECT_EQ(ENODEV, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(fd, PAWLINK_IOC_GET_INFO, &info));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(POLLHUP | POLLERR,
		  poll_one(fd, POLLIN | POLLOUT, 0) & (POLLHUP | POLLERR));
}

FIXTURE(unplug) {
	struct dongle d;
	int fd;
};

FIXTURE_SETUP(unplug)
{
	self->fd = dongle_open(&self->d, 0, NULL, 0);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(unplug)
{
	EXPECT_EQ(0, dongle_close(&self->d, self->fd));
}

TEST_F(unplug, wakes_blocked_reader)
{
	struct sleeper s = { .fd = self->fd };
	pthread_t t;

	ASSERT_EQ(0, pthread_create(&t, NULL, blocked_read, &s));
	while (!__atomic_load_n(&s.tid, __ATOMIC_ACQUIRE))
		sleep_ms(1);
	ASSERT_EQ(0, wait_sleeping(s.tid));
	ASSERT_EQ(0, dongle_stop(&self->d));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(-1, s.ret);
	EXPECT_TRUE(unplug_errno(s.err)) TH_LOG("read woke with %s",
						 strerror(s.err));
	expect_all_enodev(_metadata, self->fd);
}

TEST_F(unplug, wakes_blocked_poller)
{
	struct sleeper s = { .fd = self->fd };
	pthread_t t;

	ASSERT_EQ(0, pthread_create(&t, NULL, blocked_poll, &s));
	while (!__atomic_load_n(&s.tid, __ATOMIC_ACQUIRE))
		sleep_ms(1);
	ASSERT_EQ(0, wait_sleeping(s.tid));
	ASSERT_EQ(0, dongle_stop(&self->d));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(1, s.ret);
	EXPECT_TRUE(s.revents & (POLLHUP | POLLERR))
		TH_LOG("poll woke with revents 0x%x", s.revents);
	expect_all_enodev(_metadata, self->fd);
}

struct io_load {
	int fd;
	unsigned long ok;
	int err;		/* the errno that ended the loop */
};

/* Writes frames until a write fails (the unplug) and keeps that errno. */
static void *write_loop(void *arg)
{
	struct io_load *w = arg;
	unsigned char buf[PAWLINK_FRAME_MAX];
	size_t len = 1;

	fill_frame(buf, sizeof(buf), 5);
	for (;;) {
		if (write(w->fd, buf, len) < 0) {
			w->err = errno;
			break;
		}
		w->ok++;
		len = len * 7 % PAWLINK_FRAME_MAX + 1;
	}
	return NULL;
}

/* Reads frames until a read fails (the unplug) and keeps that errno. */
static void *read_loop(void *arg)
{
	struct io_load *r = arg;
	unsigned char buf[PAWLINK_FRAME_MAX];

	for (;;) {
		if (read(r->fd, buf, sizeof(buf)) < 0) {
			r->err = errno;
			break;
		}
		r->ok++;
	}
	return NULL;
}

TEST_F(unplug, during_writes)
{
	struct io_load w = { .fd = self->fd };
	pthread_t t;

	ASSERT_EQ(0, pthread_create(&t, NULL, write_loop, &w));
	while (__atomic_load_n(&w.ok, __ATOMIC_RELAXED) < 20 && !w.err)
		sleep_ms(1);
	ASSERT_EQ(0, dongle_stop(&self->d));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_TRUE(unplug_errno(w.err)) TH_LOG("write ended with %s",
						 strerror(w.err));
	expect_all_enodev(_metadata, self->fd);
}

/*
 * 50 times: plug, open, a reader and a writer busy, unplug at a varying
 * moment, check how both ended, close.  The lane's dmesg check then proves
 * the kernel stayed clean.  The debug lane asks for fewer
 * (PAWLINK_UNPLUG_CYCLES): under KASAN each cycle costs about three times
 * as much, and the kernel lane runs all 50 at every speed.
 */
TEST_F_TIMEOUT(unplug, cycles_under_io, 1800)
{
	const long asked = lane_knob("PAWLINK_UNPLUG_CYCLES", 50);
	const unsigned int cycles = asked >= 1 && asked <= 1000 ? asked : 50;
	unsigned long frames = 0;
	unsigned int i;

	/* the fixture's dongle is the first cycle */
	for (i = 0; i < cycles; i++) {
		struct io_load r = { .fd = self->fd }, w = { .fd = self->fd };
		pthread_t rt, wt;

		if (i) {
			self->fd = dongle_open(&self->d, 0, NULL, 0);
			ASSERT_LE(0, self->fd) TH_LOG("cycle %u", i);
			r.fd = w.fd = self->fd;
		}
		ASSERT_EQ(0, pthread_create(&rt, NULL, read_loop, &r));
		ASSERT_EQ(0, pthread_create(&wt, NULL, write_loop, &w));
		sleep_ms(5 + (i * 37) % 120);
		ASSERT_EQ(0, dongle_stop(&self->d)) TH_LOG("cycle %u", i);
		ASSERT_EQ(0, pthread_join(wt, NULL));
		ASSERT_EQ(0, pthread_join(rt, NULL));
		EXPECT_TRUE(unplug_errno(w.err))
			TH_LOG("cycle %u: write ended with %s", i, strerror(w.err));
		EXPECT_TRUE(unplug_errno(r.err))
			TH_LOG("cycle %u: read ended with %s", i, strerror(r.err));
		expect_all_enodev(_metadata, self->fd);
		frames += r.ok;
		close(self->fd);
		self->fd = -1;
	}
	TH_LOG("%u cycles, %lu frames echoed in all", cycles, frames);
}

static int delete_module(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? errno : 0;
}

/*
 * Defined behaviour: while /dev/pawlinkN is open the module cannot go
 * (EWOULDBLOCK, or EBUSY) and the open file keeps working; once it is
 * closed rmmod succeeds, unbinding the still-plugged dongle; loading the
 * module again binds it anew, and shows the link the dongle kept.
 */
TEST_F(unplug, rmmod_with_open_file)
{
	unsigned char buf[8] = { 3 };
	struct pawlink_connect c = { 0 };
	struct pawlink_info info;
	struct pawlink_scan scan;
	char state[32];
	int err;

	err = delete_module("pawlink");
	EXPECT_TRUE(err == EWOULDBLOCK || err == EBUSY)
		TH_LOG("rmmod with an open file: %s", strerror(err));
	ASSERT_EQ(0, access("/sys/module/pawlink", F_OK));
	EXPECT_EQ(0, ioctl(self->fd, PAWLINK_IOC_GET_INFO, &info));
	ASSERT_EQ((ssize_t)sizeof(buf), write(self->fd, buf, sizeof(buf)));
	ASSERT_EQ((ssize_t)sizeof(buf), read_frame(self->fd, buf, sizeof(buf)));

	/* a link made now must still show after the reload */
	ASSERT_EQ(0, ioctl(self->fd, PAWLINK_IOC_SCAN, &scan));
	ASSERT_LE(1, scan.count);
	memcpy(c.toy_id, scan.beacons[0].toy_id, PAWLINK_ID_LEN);
	ASSERT_EQ(0, ioctl(self->fd, PAWLINK_IOC_CONNECT, &c));
	ASSERT_EQ(0, intf_attr_wait(&self->d, "link_state", "connected"));

	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(0, delete_module("pawlink"));
	EXPECT_NE(0, access(self->d.node, F_OK));
	EXPECT_FALSE(intf_bound_to_pawlink(self->d.intf));

	ASSERT_EQ(0, system("modprobe pawlink"));
	ASSERT_EQ(0, dongle_wait_bound(&self->d));
	/* asked with GET_LINK at probe, not waited for */
	ASSERT_EQ(0, intf_attr(&self->d, "link_state", state, sizeof(state)));
	EXPECT_STREQ("connected", state);
	self->fd = open(self->d.node, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ((ssize_t)sizeof(buf), write(self->fd, buf, sizeof(buf)));
	ASSERT_EQ((ssize_t)sizeof(buf), read_frame(self->fd, buf, sizeof(buf)));
}

TEST_HARNESS_MAIN
