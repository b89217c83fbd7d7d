// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel path of transport.h: /dev/pawlinkN (Documentation/
 * char-device.rst).  The dongle relays records and pawlink.ko seals and
 * opens them, so this file holds no key and no record layer: scan,
 * connect and disconnect are ioctls, control frames are one write() or
 * read() each (plaintext until PAWLINK_IOC_SET_KEYS, sealed by the driver
 * after), and poll() gives the timeouts.  Audio is the driver's sound
 * card's business: no audio ops.
 *
 * Errors are the driver's, sorted into what the façade explains: the
 * dongle gone (-ENODEV, whatever the USB core said about the dying
 * transfer), the toy lost (-EHOSTUNREACH, the dongle's LINK state), the
 * dongle busy (-EBUSY: another process holds it, or a session kept in
 * the driver), no sealing yet (-EOPNOTSUPP, a driver without the record
 * layer).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <linux/usb/ch9.h>

#include "bytes.h"
#include "libpawlink.h"
#include "transport.h"

/* The dongle answers CONNECT with a LINK event; this long at most. */
#define CONNECT_WAIT_MS		5000
#define LINK_POLL_MS		5
/* A scan asks the dongle again this often, so flags are the latest. */
#define SCAN_STEP_MS		250

#define SYSFS_DRIVER		"/sys/bus/usb/drivers/pawlink"

struct dev_transport {
	struct pawlink_transport base;
	int fd;
	bool connected;		/* this process has the link to @toy */
	bool keyed;		/* ... and keys installed for it */
	bool keep;		/* close() leaves link and keys to the driver */
	uint8_t toy[PAWLINK_ID_LEN];
};

static struct dev_transport *to_dev(struct pawlink_transport *t)
{
	return (struct dev_transport *)t;
}

/*
 * A failed call's errno as this transport reports it.  A call racing an
 * unplug may see the USB core's view of the dying transfer first
 * (char-device.rst, "Unplug"): all of that is "the dongle is gone".
 * EPIPE and EIO are also a write's report of an earlier frame's failure;
 * the callers that can tell the two apart ask first.
 */
static int dev_errno(int err)
{
	switch (err) {
	case ENODEV:
	case ESHUTDOWN:
	case EPROTO:
	case ENXIO:
		return -ENODEV;
	default:
		return -err;
	}
}

static int dev_info(struct dev_transport *d, struct pawlink_info *info)
{
	if (ioctl(d->fd, PAWLINK_IOC_GET_INFO, info))
		return dev_errno(errno);
	return 0;
}

/*
 * An EP0 request failed with @err: a stall (EPIPE), a timeout or an I/O
 * error may also be a dongle on its way out.  GET_INFO, which needs no
 * USB traffic, says -ENODEV once the driver knows.
 */
static int dev_request_errno(struct dev_transport *d, int err)
{
	struct pawlink_info info;
	int rc = dev_errno(err);

	if (rc == -EPIPE || rc == -ETIMEDOUT || rc == -EIO)
		return dev_info(d, &info) == -ENODEV ? -ENODEV : rc;
	return rc;
}

/*
 * Sleeps @ms, or less when the dongle goes (-ENODEV) or a signal comes
 * (-EINTR).  poll() with no events still reports the hang-up.
 */
static int dev_sleep(struct dev_transport *d, int ms)
{
	struct pollfd pfd = { .fd = d->fd, .events = 0 };
	int n = poll(&pfd, 1, ms);

	if (n < 0)
		return -errno;
	if (n > 0 && (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)))
		return -ENODEV;
	return 0;
}

static void merge_beacons(const struct pawlink_scan *scan,
			  struct pawlink_beacon *out, size_t max, size_t *n)
{
	size_t i, j;

	for (i = 0; i < scan->count && i < PAWLINK_SCAN_MAX; i++) {
		for (j = 0; j < *n; j++)
			if (!memcmp(out[j].toy_id, scan->beacons[i].toy_id,
				    PAWLINK_ID_LEN))
				break;
		if (j == *n) {
			if (*n == max)
				continue;
			(*n)++;
		}
		/* The latest answer wins: a pairing window opens and closes. */
		out[j] = scan->beacons[i];
	}
}

/*
 * The dongle keeps what it heard in the last few seconds; asking it
 * every SCAN_STEP_MS for @listen_ms gathers every toy that beaconed
 * meanwhile, with its latest flags.
 */
static int dev_scan(struct pawlink_transport *t, unsigned int listen_ms,
		    struct pawlink_beacon *out, size_t max, size_t *n)
{
	struct dev_transport *d = to_dev(t);
	uint64_t end = transport_monotonic_us(t) + (uint64_t)listen_ms * 1000, now;
	struct pawlink_scan scan;
	int rc;

	*n = 0;
	for (;;) {
		memset(&scan, 0, sizeof(scan));
		if (ioctl(d->fd, PAWLINK_IOC_SCAN, &scan))
			return dev_request_errno(d, errno);
		merge_beacons(&scan, out, max, n);
		now = transport_monotonic_us(t);
		if (now >= end)
			return 0;
		rc = dev_sleep(d, (end - now) / 1000 < SCAN_STEP_MS ?
			       (int)((end - now + 999) / 1000) : SCAN_STEP_MS);
		if (rc)
			return rc;
	}
}

/* Drops frames an earlier user of the dongle left unread. */
static void drain(struct dev_transport *d)
{
	uint8_t buf[PAWLINK_FRAME_MAX];
	struct pollfd pfd = { .fd = d->fd, .events = POLLIN };

	while (poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN) &&
	       read(d->fd, buf, sizeof(buf)) >= 0)
		;
	explicit_bzero(buf, sizeof(buf));
}

/* Waits for the dongle's LINK event answering a CONNECT to @toy. */
static int wait_connected(struct dev_transport *d,
			  const uint8_t toy[PAWLINK_ID_LEN])
{
	uint64_t end = transport_monotonic_us(&d->base) + CONNECT_WAIT_MS * 1000ULL;
	struct pawlink_info info;
	int rc;

	for (;;) {
		rc = dev_info(d, &info);
		if (rc)
			return rc;
		switch (info.link_state) {
		case PAWLINK_LINK_CONNECTED:
			/* Another process's CONNECT cannot land here: flock. */
			return memcmp(info.toy_id, toy, PAWLINK_ID_LEN) ?
			       -EPROTO : 0;
		case PAWLINK_LINK_CONNECTING:
			break;
		default:
			/* IDLE: the dongle does not hear the toy. */
			return -EHOSTUNREACH;
		}
		if (transport_monotonic_us(&d->base) >= end)
			return -ETIMEDOUT;
		rc = dev_sleep(d, LINK_POLL_MS);
		if (rc)
			return rc;
	}
}

static int dev_connect(struct pawlink_transport *t,
		       const uint8_t toy_id[PAWLINK_ID_LEN])
{
	struct dev_transport *d = to_dev(t);
	struct pawlink_connect req;
	struct pawlink_info info;
	int rc;

	if (d->keyed)
		return -EISCONN;
	rc = dev_info(d, &info);
	if (rc)
		return rc;
	/* Keys nobody here installed: a session kept in the driver. */
	if (info.keyed)
		return -EBUSY;
	/*
	 * Without keys, whatever is left is nobody's (this process holds the
	 * dongle's lock): a link up, which the dongle would not connect over,
	 * or a session the link's loss ended, which the driver keeps closed
	 * until a DISCONNECT.  Idle, DISCONNECT changes nothing.
	 */
	if (ioctl(d->fd, PAWLINK_IOC_DISCONNECT, 0))
		return dev_request_errno(d, errno);
	d->connected = false;
	drain(d);
	memset(&req, 0, sizeof(req));
	memcpy(req.toy_id, toy_id, PAWLINK_ID_LEN);
	if (ioctl(d->fd, PAWLINK_IOC_CONNECT, &req))
		return errno == EISCONN ? -EBUSY : dev_request_errno(d, errno);
	rc = wait_connected(d, toy_id);
	if (rc) {
		/* Do not leave the dongle trying. */
		ioctl(d->fd, PAWLINK_IOC_DISCONNECT, 0);
		return rc;
	}
	memcpy(d->toy, toy_id, PAWLINK_ID_LEN);
	d->connected = true;
	return 0;
}

/* Erases the keys (whoever installed them) and drops the link. */
static int dev_disconnect(struct pawlink_transport *t)
{
	struct dev_transport *d = to_dev(t);

	d->connected = false;
	d->keyed = false;
	memset(d->toy, 0, sizeof(d->toy));
	if (ioctl(d->fd, PAWLINK_IOC_DISCONNECT, 0))
		return dev_request_errno(d, errno);
	return 0;
}

static int dev_set_keys(struct pawlink_transport *t,
			const struct pawlink_key_install *keys)
{
	struct dev_transport *d = to_dev(t);

	if (!d->connected)
		return -ENOTCONN;
	/*
	 * The caller's struct goes to the driver as it is: no copy here to
	 * wipe.  The driver zeroes its own copies; the caller wipes this.
	 */
	if (ioctl(d->fd, PAWLINK_IOC_SET_KEYS, keys))
		return dev_errno(errno);
	d->keyed = true;
	return 0;
}

/* After a write's EPIPE or EIO: 0 if the dongle is still there. */
static int still_there(struct dev_transport *d)
{
	struct pawlink_info info;

	return dev_info(d, &info);
}

static int dev_send(struct pawlink_transport *t, const uint8_t *frame,
		    size_t len)
{
	struct dev_transport *d = to_dev(t);
	int tries, err = 0, rc;
	ssize_t n;

	if (!d->connected)
		return -ENOTCONN;
	if (len > PAWLINK_FRAME_MAX)
		return -EMSGSIZE;
	/*
	 * EPIPE and EIO report an earlier frame's loss, once, and this one
	 * was not sent: send it again (the façade resends lost requests
	 * anyway), unless they meant that the dongle is going.
	 */
	for (tries = 0; tries < 2; tries++) {
		n = write(d->fd, frame, len);
		if (n == (ssize_t)len)
			return 0;
		if (n >= 0)
			return -EIO;	/* datagrams: never short */
		err = errno;
		if (err != EPIPE && err != EIO)
			break;
		rc = still_there(d);
		if (rc)
			return rc;
	}
	return dev_errno(err);
}

/* Why nothing came: the toy lost, or simply a timeout. */
static int why_silent(struct dev_transport *d)
{
	struct pawlink_info info;
	int rc = dev_info(d, &info);

	if (rc)
		return rc;
	if (info.link_state == PAWLINK_LINK_LOST)
		return -EHOSTUNREACH;
	/* Dropped under us (another process's DISCONNECT). */
	if (info.link_state == PAWLINK_LINK_IDLE)
		return -ENOTCONN;
	return -ETIMEDOUT;
}

static int dev_recv(struct pawlink_transport *t, uint8_t *frame, size_t cap,
		    size_t *len, int timeout_ms)
{
	struct dev_transport *d = to_dev(t);
	uint64_t end = transport_monotonic_us(t) + (uint64_t)(timeout_ms > 0 ?
						   timeout_ms : 0) * 1000;
	struct pollfd pfd = { .fd = d->fd, .events = POLLIN };
	uint64_t now;
	ssize_t n;
	int rc;

	if (!d->connected)
		return -ENOTCONN;
	for (;;) {
		now = transport_monotonic_us(t);
		rc = poll(&pfd, 1, now >= end ? 0 :
			  (int)((end - now + 999) / 1000));
		if (rc < 0)
			return -errno;
		if (rc == 0)
			return why_silent(d);
		if (pfd.revents & (POLLHUP | POLLERR | POLLNVAL))
			return -ENODEV;
		n = read(d->fd, frame, cap);
		if (n >= 0) {
			*len = (size_t)n;
			return 0;
		}
		/* EAGAIN: someone else's read took it; wait on. */
		if (errno != EAGAIN)
			return dev_errno(errno);
	}
}

/*
 * The newest counters the driver answers: an older driver knows only a
 * shorter struct (ENOTTY for the rest), and leaves the tail as it was.
 */
static int dev_get_stats(struct pawlink_transport *t, struct pawlink_stats *st)
{
	static const unsigned long cmds[] = {
		PAWLINK_IOC_GET_STATS, PAWLINK_IOC_GET_STATS_V3,
		PAWLINK_IOC_GET_STATS_V2, PAWLINK_IOC_GET_STATS_V1,
	};
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (!ioctl(to_dev(t)->fd, cmds[i], st))
			return 0;
		if (errno != ENOTTY)
			break;
	}
	return dev_errno(errno);
}

static bool dev_keyed(struct pawlink_transport *t)
{
	struct pawlink_info info;

	return dev_info(to_dev(t), &info) == 0 && info.keyed;
}

static int dev_keep(struct pawlink_transport *t)
{
	struct dev_transport *d = to_dev(t);

	if (!d->keyed)
		return -ENOTCONN;
	d->keep = true;
	return 0;
}

static int dev_resume(struct pawlink_transport *t,
		      uint8_t toy_id[PAWLINK_ID_LEN])
{
	struct dev_transport *d = to_dev(t);
	struct pawlink_info info;
	int rc;

	rc = dev_info(d, &info);
	if (rc)
		return rc;
	if (!info.keyed) {
		/* What is left without keys is nobody's: tidy it away. */
		dev_disconnect(t);
		return -ENOTCONN;
	}
	memcpy(d->toy, info.toy_id, PAWLINK_ID_LEN);
	memcpy(toy_id, info.toy_id, PAWLINK_ID_LEN);
	d->connected = true;
	d->keyed = true;
	d->keep = false;
	return 0;
}

static void dev_close(struct pawlink_transport *t)
{
	struct dev_transport *d = to_dev(t);

	/* What this process set up ends with it, unless it was kept. */
	if ((d->connected || d->keyed) && !d->keep)
		ioctl(d->fd, PAWLINK_IOC_DISCONNECT, 0);
	close(d->fd);
	free(d);
}

static const struct pawlink_transport_ops dev_ops = {
	.kind = "kernel",
	.scan = dev_scan,
	.connect = dev_connect,
	.disconnect = dev_disconnect,
	.set_keys = dev_set_keys,
	.send = dev_send,
	.recv = dev_recv,
	/* Audio: the driver's sound card. */
	.send_audio = NULL,
	.recv_audio = NULL,
	.get_stats = dev_get_stats,
	.now_us = transport_monotonic_us,
	.keyed = dev_keyed,
	.keep = dev_keep,
	.resume = dev_resume,
	.close = dev_close,
};

int pawlink_transport_dev_open(struct pawlink_transport **out,
			       const char *path)
{
	struct pawlink_info info;
	struct dev_transport *d;
	struct stat st;
	int rc;

	*out = NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->base.ops = &dev_ops;
	d->fd = open(path, O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (d->fd < 0) {
		rc = errno == ENXIO ? -ENODEV : -errno;
		goto err_free;
	}
	if (fstat(d->fd, &st) || !S_ISCHR(st.st_mode)) {
		rc = -ENOTTY;
		goto err_close;
	}
	/*
	 * One user at a time: the node's readers share one receive queue,
	 * so a second one would take the first one's frames.  The driver
	 * lets anyone open; libpawlink users agree through this lock.
	 */
	if (flock(d->fd, LOCK_EX | LOCK_NB)) {
		rc = errno == EWOULDBLOCK ? -EBUSY : -errno;
		goto err_close;
	}
	/* A pawlink node answers GET_INFO; anything else says ENOTTY. */
	rc = dev_info(d, &info);
	if (rc == -EINVAL || rc == -ENOTTY || (rc == 0 &&
	    info.max_frame != PAWLINK_FRAME_MAX))
		rc = -ENOTTY;
	if (rc)
		goto err_close;
	*out = &d->base;
	return 0;

err_close:
	close(d->fd);
err_free:
	free(d);
	return rc;
}

/* ---- finding dongles in sysfs ------------------------------------------- */

/* A small sysfs attribute into @buf without its newline; 0 or -errno. */
static int read_attr(const char *dir, const char *name, char *buf,
		     size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* "1.0" as the driver writes it: major << 8 | minor. */
static int parse_fw(uint16_t *fw, const char *s)
{
	unsigned int major, minor;
	char end;

	if (sscanf(s, "%u.%u%c", &major, &minor, &end) != 2 ||
	    major > 255 || minor > 255)
		return -EINVAL;
	*fw = (uint16_t)(major << 8 | minor);
	return 0;
}

static uint8_t parse_link(const char *s)
{
	static const char *const names[] = {
		[PAWLINK_LINK_IDLE] = "idle",
		[PAWLINK_LINK_CONNECTING] = "connecting",
		[PAWLINK_LINK_CONNECTED] = "connected",
		[PAWLINK_LINK_LOST] = "lost",
	};
	uint8_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i]))
			return i;
	return PAWLINK_LINK_IDLE;
}

/* The USB device's "speed" attribute is in Mbit/s. */
static uint32_t parse_speed(const char *s)
{
	static const struct {
		const char *mbps;
		uint32_t speed;
	} speeds[] = {
		{ "1.5", USB_SPEED_LOW }, { "12", USB_SPEED_FULL },
		{ "480", USB_SPEED_HIGH }, { "5000", USB_SPEED_SUPER },
		{ "10000", USB_SPEED_SUPER_PLUS },
		{ "20000", USB_SPEED_SUPER_PLUS },
	};
	size_t i;

	for (i = 0; i < sizeof(speeds) / sizeof(speeds[0]); i++)
		if (!strcmp(s, speeds[i].mbps))
			return speeds[i].speed;
	return USB_SPEED_UNKNOWN;
}

/* The pawlinkN name under @intf/usbmisc, or -ENOENT while there is none. */
static int node_name(const char *intf, char *name, size_t len)
{
	char dir[PATH_MAX];
	struct dirent *de;
	int rc = -ENOENT;
	DIR *dp;

	if (snprintf(dir, sizeof(dir), "%s/usbmisc", intf) >=
	    (int)sizeof(dir))
		return -ENAMETOOLONG;
	dp = opendir(dir);
	if (!dp)
		return -ENOENT;
	while ((de = readdir(dp))) {
		if (strncmp(de->d_name, "pawlink", 7) ||
		    strlen(de->d_name) >= len)
			continue;
		strcpy(name, de->d_name);
		rc = 0;
		break;
	}
	closedir(dp);
	return rc;
}

/*
 * One bound interface: 0 with @out filled, or -ENOENT while it is not
 * complete (probe still running, or going away): not listed.
 */
static int describe(const char *intf, struct pawlink_dongle *out)
{
	char name[32], buf[64], usbdev[PATH_MAX];

	memset(out, 0, sizeof(*out));
	if (node_name(intf, name, sizeof(name)) ||
	    snprintf(out->path, sizeof(out->path), "/dev/%s", name) >=
	    (int)sizeof(out->path))
		return -ENOENT;
	if (read_attr(intf, "dongle_id", buf, sizeof(buf)) ||
	    pawlink_hex_decode(out->id, PAWLINK_ID_LEN, buf, strlen(buf)) ||
	    read_attr(intf, "firmware_version", buf, sizeof(buf)) ||
	    parse_fw(&out->fw_version, buf) ||
	    read_attr(intf, "link_state", buf, sizeof(buf)))
		return -ENOENT;
	out->link_state = parse_link(buf);
	if (read_attr(intf, "keyed", buf, sizeof(buf)))
		return -ENOENT;
	out->keyed = !strcmp(buf, "1");
	/* The interface's parent is the USB device. */
	if (snprintf(usbdev, sizeof(usbdev), "%s/..", intf) <
	    (int)sizeof(usbdev) &&
	    !read_attr(usbdev, "speed", buf, sizeof(buf)))
		out->speed = parse_speed(buf);
	return 0;
}

/* By the number after "pawlink", so pawlink10 comes after pawlink9. */
static int by_node(const void *a, const void *b)
{
	const struct pawlink_dongle *x = a, *y = b;
	unsigned long nx = strtoul(x->path + strlen("/dev/pawlink"), NULL, 10);
	unsigned long ny = strtoul(y->path + strlen("/dev/pawlink"), NULL, 10);

	return nx < ny ? -1 : nx > ny;
}

int pawlink_transport_dev_list(const char *root, struct pawlink_dongle **out,
			       size_t *n)
{
	struct pawlink_dongle *list = NULL, *grown, one;
	char intf[PATH_MAX];
	size_t count = 0;
	struct dirent *de;
	DIR *dp;

	*out = NULL;
	*n = 0;
	dp = opendir(root ? root : SYSFS_DRIVER);
	if (!dp)
		return 0;	/* no driver, no dongle */
	while ((de = readdir(dp))) {
		/* Interfaces are "B-P:C.I"; the rest is the driver's own. */
		if (!strchr(de->d_name, ':') ||
		    snprintf(intf, sizeof(intf), "%s/%s",
			     root ? root : SYSFS_DRIVER, de->d_name) >=
		    (int)sizeof(intf) || describe(intf, &one))
			continue;
		grown = realloc(list, (count + 1) * sizeof(*list));
		if (!grown) {
			closedir(dp);
			free(list);
			return -ENOMEM;
		}
		list = grown;
		list[count++] = one;
	}
	closedir(dp);
	if (count > 1)
		qsort(list, count, sizeof(*list), by_node);
	*out = list;
	*n = count;
	return 0;
}
