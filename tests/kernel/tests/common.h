/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the in-guest pawlink.ko tests: plug and unplug a
 * virtual dongle (pawsim dongle on one of dummy_hcd's UDCs), find the
 * interface, /dev/pawlinkN and the sound card it got, read sysfs counters
 * and the kernel log.  Every wait is a bounded poll; nothing asserts a time.
 *
 * UDC dummy_udc.N is wired to host controller dummy_hcd.N, so the dongle
 * plugged into UDC N shows up as /sys/devices/platform/dummy_hcd.N/usb*
 * /B-1/B-1:1.0 (at super speed the gadget sits on the USB 3 root hub, hence
 * the glob).
 */
#ifndef PAWLINK_KTEST_COMMON_H
#define PAWLINK_KTEST_COMMON_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/pawlink.h>

/* Upper bound of every wait: enumeration under QEMU TCG can be slow. */
#define WAIT_MS			20000
#define POLL_STEP_MS		10

struct dongle {
	int udc;			/* dummy_udc.N / dummy_hcd.N */
	pid_t pid;			/* the pawsim daemon, 0 if none */
	char pidfile[64];
	char intf[256];			/* sysfs dir of the bound interface */
	char node[64];			/* /dev/pawlinkN */
	int card;			/* ALSA card number */
};

static inline long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * snprintf() that says whether everything fit; the paths here are built
 * from sysfs names, so a truncated one must fail rather than point
 * elsewhere.
 */
static inline __attribute__((format(printf, 3, 4)))
bool str_fmt(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n >= 0 && (size_t)n < len;
}

/* Reads a small file into @buf without its trailing newline; 0 or -errno. */
static inline int read_text(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return 0;
}

/* Reads an attribute of the dongle's interface, e.g. "link_state". */
static inline int intf_attr(const struct dongle *d, const char *name,
			    char *buf, size_t len)
{
	char path[512];

	if (!str_fmt(path, sizeof(path), "%s/%s", d->intf, name))
		return -ENAMETOOLONG;
	return read_text(path, buf, len);
}

/* Reads statistics/@counter of the dongle; 0 or -errno. */
static inline int stat_read(const struct dongle *d, const char *counter,
			    uint64_t *value)
{
	char path[512], buf[32];
	int err;

	if (!str_fmt(path, sizeof(path), "statistics/%s", counter))
		return -ENAMETOOLONG;
	err = intf_attr(d, path, buf, sizeof(buf));
	if (err)
		return err;
	*value = strtoull(buf, NULL, 10);
	return 0;
}

/* The value of a counter, or UINT64_MAX if it cannot be read. */
static inline uint64_t stat_get(const struct dongle *d, const char *counter)
{
	uint64_t v;

	return stat_read(d, counter, &v) ? UINT64_MAX : v;
}

/* Waits until statistics/@counter reaches @want; 0 or -ETIMEDOUT. */
static inline int stat_wait_ge(const struct dongle *d, const char *counter,
			       uint64_t want)
{
	long end = now_ms() + WAIT_MS;
	uint64_t v;

	do {
		if (!stat_read(d, counter, &v) && v >= want)
			return 0;
		sleep_ms(POLL_STEP_MS);
	} while (now_ms() < end);
	return -ETIMEDOUT;
}

/* Waits until attribute @name reads @want; 0 or -ETIMEDOUT. */
static inline int intf_attr_wait(const struct dongle *d, const char *name,
				 const char *want)
{
	long end = now_ms() + WAIT_MS;
	char buf[64];

	do {
		if (!intf_attr(d, name, buf, sizeof(buf)) && !strcmp(buf, want))
			return 0;
		sleep_ms(POLL_STEP_MS);
	} while (now_ms() < end);
	return -ETIMEDOUT;
}

/*
 * A number the lane passes on the kernel command line (`tests/kernel/run
 * --append NAME=VALUE`, the debug lane's PAWLINK_UNPLUG_CYCLES), or from the
 * environment; @dflt when neither sets it.
 */
static inline long lane_knob(const char *name, long dflt)
{
	char cmdline[2048], key[64];
	const char *env = getenv(name), *at;

	if (env)
		return strtol(env, NULL, 10);
	if (!str_fmt(key, sizeof(key), "%s=", name) ||
	    read_text("/proc/cmdline", cmdline, sizeof(cmdline)))
		return dflt;
	at = strstr(cmdline, key);
	return at ? strtol(at + strlen(key), NULL, 10) : dflt;
}

/* The lane's speed for this pass: "full", "high" or "super". */
static inline const char *lane_speed(void)
{
	const char *s = getenv("PAWLINK_LANE_SPEED");

	return s ? s : "high";
}

/* Finds the interface of whatever is plugged into UDC @udc. */
static inline int udc_find_intf(int udc, char *out, size_t len)
{
	char pattern[128];
	glob_t g;
	int err = -ENOENT;

	str_fmt(pattern, sizeof(pattern),
		 "/sys/devices/platform/dummy_hcd.%d/usb*/*-1/*-1:1.0", udc);
	if (glob(pattern, 0, NULL, &g) == 0)
		err = str_fmt(out, len, "%s", g.gl_pathv[0]) ? 0 : -ENAMETOOLONG;
	globfree(&g);
	return err;
}

/* The first entry of @dir whose name starts with @prefix, into @out. */
static inline int dir_find(const char *dir, const char *prefix, char *out,
			   size_t len)
{
	struct dirent *de;
	int err = -ENOENT;
	DIR *dp;

	dp = opendir(dir);
	if (!dp)
		return -errno;
	while ((de = readdir(dp))) {
		if (!strncmp(de->d_name, prefix, strlen(prefix))) {
			err = str_fmt(out, len, "%s", de->d_name) ?
			      0 : -ENAMETOOLONG;
			break;
		}
	}
	closedir(dp);
	return err;
}

/* Is the interface in @intf bound to pawlink? */
static inline bool intf_bound_to_pawlink(const char *intf)
{
	char path[512], target[512];
	ssize_t n;

	if (!str_fmt(path, sizeof(path), "%s/driver", intf))
		return false;
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	return strstr(target, "/pawlink") != NULL;
}

/* Waits until the interface in @intf has no driver; 0 or -ETIMEDOUT. */
static inline int intf_wait_unbound(const char *intf)
{
	long end = now_ms() + WAIT_MS;
	char path[512];

	if (!str_fmt(path, sizeof(path), "%s/driver", intf))
		return -ENAMETOOLONG;
	do {
		if (access(path, F_OK))
			return 0;
		sleep_ms(POLL_STEP_MS);
	} while (now_ms() < end);
	return -ETIMEDOUT;
}

/*
 * Fills d->intf, d->node and d->card once UDC d->udc's dongle is bound,
 * its node exists in devtmpfs, its card is registered and its sysfs
 * attributes are there.
 */
static inline int dongle_wait_bound(struct dongle *d)
{
	long end = now_ms() + WAIT_MS;
	char dir[512], name[64];
	struct stat st;

	do {
		if (udc_find_intf(d->udc, d->intf, sizeof(d->intf)) ||
		    !intf_bound_to_pawlink(d->intf))
			goto again;
		if (!str_fmt(dir, sizeof(dir), "%s/usbmisc", d->intf) ||
		    dir_find(dir, "pawlink", name, sizeof(name)))
			goto again;
		if (!str_fmt(d->node, sizeof(d->node), "/dev/%s", name) ||
		    stat(d->node, &st))
			goto again;
		if (!str_fmt(dir, sizeof(dir), "%s/sound", d->intf) ||
		    dir_find(dir, "card", name, sizeof(name)))
			goto again;
		/*
		 * The driver core adds the attributes after probe() returns,
		 * so after the node: wait for the last one.
		 */
		if (!str_fmt(dir, sizeof(dir), "%s/statistics/audio_dropped_malformed",
			     d->intf) || access(dir, R_OK))
			goto again;
		d->card = atoi(name + strlen("card"));
		return 0;
again:
		sleep_ms(POLL_STEP_MS);
	} while (now_ms() < end);
	return -ETIMEDOUT;
}

/* Waits until nothing is plugged into UDC d->udc any more. */
static inline int dongle_wait_gone(const struct dongle *d)
{
	long end = now_ms() + WAIT_MS;
	char intf[256];

	do {
		if (udc_find_intf(d->udc, intf, sizeof(intf)) == -ENOENT &&
		    (!d->node[0] || access(d->node, F_OK)))
			return 0;
		sleep_ms(POLL_STEP_MS);
	} while (now_ms() < end);
	return -ETIMEDOUT;
}

static inline bool pid_alive(pid_t pid)
{
	return kill(pid, 0) == 0 || errno != ESRCH;
}

/*
 * Unplugs the dongle: SIGTERM makes pawsim unbind its gadget cleanly.
 * Waits for the daemon to exit and the host side to go away.
 */
static inline int dongle_stop(struct dongle *d)
{
	long end = now_ms() + WAIT_MS;

	if (!d->pid)
		return 0;
	kill(d->pid, SIGTERM);
	while (pid_alive(d->pid)) {
		if (now_ms() > end) {
			kill(d->pid, SIGKILL);
			d->pid = 0;
			return -ETIMEDOUT;
		}
		sleep_ms(POLL_STEP_MS);
	}
	d->pid = 0;
	unlink(d->pidfile);
	return dongle_wait_gone(d);
}

/*
 * Starts "pawsim dongle" on UDC @udc in the background, with fault mode
 * @fault (NULL for none) and, when @vanish_after is nonzero, the record
 * count after which it vanishes.  With $PAWLINK_TEST_AIR set, its far side
 * is the `pawsim air` at that socket; with $PAWLINK_TEST_TRACE set, it
 * traces every record to that file (--trace).  Does not wait for the host
 * side.
 */
static inline int dongle_start(struct dongle *d, int udc, const char *fault,
			       unsigned long vanish_after)
{
	const char *pawsim = getenv("PAWSIM") ? getenv("PAWSIM") : "pawsim";
	const char *air = getenv("PAWLINK_TEST_AIR");
	const char *trace = getenv("PAWLINK_TEST_TRACE");
	char udc_name[32], name[32], vanish[32], pidbuf[32];
	const char *argv[16];
	int argc = 0, status;
	pid_t child;

	memset(d, 0, sizeof(*d));
	d->udc = udc;
	d->card = -1;
	str_fmt(d->pidfile, sizeof(d->pidfile), "/tmp/pawsim-udc%d.pid", udc);
	str_fmt(udc_name, sizeof(udc_name), "dummy_udc.%d", udc);
	str_fmt(name, sizeof(name), "pawtest%d", udc);
	unlink(d->pidfile);

	argv[argc++] = pawsim;
	argv[argc++] = "dongle";
	argv[argc++] = "--background";
	argv[argc++] = "--pidfile";
	argv[argc++] = d->pidfile;
	argv[argc++] = "--udc";
	argv[argc++] = udc_name;
	argv[argc++] = "--name";
	argv[argc++] = name;
	if (fault) {
		argv[argc++] = "--fault";
		argv[argc++] = fault;
	}
	if (vanish_after) {
		str_fmt(vanish, sizeof(vanish), "%lu", vanish_after);
		argv[argc++] = "--vanish-after";
		argv[argc++] = vanish;
	}
	if (air) {
		argv[argc++] = "--air";
		argv[argc++] = air;
	}
	if (trace) {
		argv[argc++] = "--trace";
		argv[argc++] = trace;
	}
	argv[argc] = NULL;

	fflush(NULL);
	child = fork();
	if (child < 0)
		return -errno;
	if (child == 0) {
		execvp(pawsim, (char **)argv);
		fprintf(stderr, "# exec %s: %s\n", pawsim, strerror(errno));
		_exit(127);
	}
	if (waitpid(child, &status, 0) < 0)
		return -errno;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "# %s dongle --udc %s failed (status 0x%x)\n",
			pawsim, udc_name, status);
		return -ECHILD;
	}
	if (read_text(d->pidfile, pidbuf, sizeof(pidbuf)))
		return -ENOENT;
	d->pid = atoi(pidbuf);
	return d->pid > 0 ? 0 : -EINVAL;
}

/*
 * Plugs a dongle into UDC @udc (fault mode and vanish count as for
 * dongle_start()) and waits until it is bound; stops it again on failure.
 */
static inline int dongle_plug(struct dongle *d, int udc, const char *fault,
			      unsigned long vanish_after)
{
	int err;

	err = dongle_start(d, udc, fault, vanish_after);
	if (!err)
		err = dongle_wait_bound(d);
	if (err) {
		fprintf(stderr, "# dongle on UDC %d did not come up: %s\n",
			udc, strerror(-err));
		dongle_stop(d);
	}
	return err;
}

/*
 * dongle_plug(), then opens its /dev/pawlinkN; returns the file descriptor
 * or -errno (with the dongle stopped again).
 */
static inline int dongle_open(struct dongle *d, int udc, const char *fault,
			      unsigned long vanish_after)
{
	int err, fd;

	err = dongle_plug(d, udc, fault, vanish_after);
	if (err)
		return err;
	fd = open(d->node, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		dongle_stop(d);
		return err;
	}
	return fd;
}

/* Closes @fd (if open) and unplugs the dongle; 0 or -errno. */
static inline int dongle_close(struct dongle *d, int fd)
{
	if (fd >= 0)
		close(fd);
	return dongle_stop(d);
}

/* Opens /dev/kmsg positioned after everything logged so far. */
static inline int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/*
 * Waits for a kernel log line containing both @a and @b, logged after
 * kmsg_open(); copies it into @line.  0 or -ETIMEDOUT.
 */
static inline int kmsg_wait(int fd, const char *a, const char *b,
			    char *line, size_t len)
{
	long end = now_ms() + WAIT_MS;
	char rec[1024];
	ssize_t n;

	do {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n > 0) {
			rec[n] = '\0';
			if (strstr(rec, a) && strstr(rec, b)) {
				str_fmt(line, len, "%s", rec);
				return 0;
			}
			continue;
		}
		if (n < 0 && errno == EPIPE)	/* overwritten; go on */
			continue;
		sleep_ms(POLL_STEP_MS);
	} while (now_ms() < end);
	return -ETIMEDOUT;
}

/* poll() for @events on @fd; returns revents, 0 on timeout, -errno. */
static inline int poll_one(int fd, short events, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int n = poll(&p, 1, timeout_ms);

	if (n < 0)
		return -errno;
	return n ? p.revents : 0;
}

/* Fills @buf with a pattern that depends on @seed, so frames differ. */
static inline void fill_frame(unsigned char *buf, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)(seed * 31 + i * 7 + (i >> 8));
}

/*
 * Reads one frame, waiting up to WAIT_MS for it; returns its length or
 * -errno (-ETIMEDOUT if none came).
 */
static inline ssize_t read_frame(int fd, void *buf, size_t len)
{
	int rev = poll_one(fd, POLLIN, WAIT_MS);
	ssize_t n;

	if (rev < 0)
		return rev;
	if (!rev)
		return -ETIMEDOUT;
	n = read(fd, buf, len);
	return n < 0 ? -errno : n;
}

/*
 * Connects the dongle behind @fd to the first toy it hears (the loopback's
 * one simulated toy) and waits for its LINK event; 0 or -errno.  Session
 * keys are only taken on a connected link.
 */
static inline int dongle_connect(const struct dongle *d, int fd)
{
	struct pawlink_connect c = { 0 };
	struct pawlink_scan scan;

	if (ioctl(fd, PAWLINK_IOC_SCAN, &scan))
		return -errno;
	if (!scan.count)
		return -ENOENT;
	memcpy(c.toy_id, scan.beacons[0].toy_id, PAWLINK_ID_LEN);
	if (ioctl(fd, PAWLINK_IOC_CONNECT, &c))
		return -errno;
	return intf_attr_wait(d, "link_state", "connected");
}

/*
 * The errors a call that races with an unplug may return: the driver's
 * -ENODEV, or what the USB core said about the dying transfer (the debug
 * kernel reports EPROTO where Debian's reports ESHUTDOWN).
 * Documentation/char-device.rst lists them.
 */
static inline bool unplug_errno(int err)
{
	return err == ENODEV || err == ESHUTDOWN || err == EPROTO ||
	       err == EIO || err == EPIPE;
}

#endif /* PAWLINK_KTEST_COMMON_H */
