// SPDX-License-Identifier: GPL-2.0
/*
 * pawsim dongle as the host's USB core sees it, through usbfs only (no
 * pawlink.ko involved: the interface is taken from it if it is bound):
 * the descriptors at this lane's speed, every EP0 vendor request and its
 * stalls, the bulk framing and loopback echo, each --fault mode as
 * Documentation/usb-interface.rst describes it, and the process contract
 * (--background, pidfile, SIGTERM cleanup, one dongle per name).
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <signal.h>
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

#include <linux/usb/ch9.h>
#include <linux/usbdevice_fs.h>

#include <linux/pawlink.h>

#include "kselftest_harness.h"

#define DONGLE_ID		"0123456789abcdef"
#define WAIT_MS			30000	/* bound on every wait (QEMU TCG) */
#define STEP_MS			10
#define CTRL_TIMEOUT_MS		5000
#define BULK_TIMEOUT_MS		5000
#define DESC_MAX		4096

/* What pawsim's loopback far side hears on SCAN. */
static const uint8_t loopback_toy[PAWLINK_ID_LEN] = "loopback";

struct dut {
	int udc;			/* dummy_udc.N */
	char name[32];			/* --name */
	char pidfile[64];
	pid_t pid;			/* the daemon, 0 when none */
	char dev[256];			/* sysfs dir of the USB device */
	int fd;				/* usbfs, -1 when closed */
	unsigned int speed;		/* Mbit/s, from sysfs */
	uint8_t desc[DESC_MAX];		/* what usbfs read() returns */
	size_t desc_len;
	/* Parsed from desc. */
	const uint8_t *intf;
	const uint8_t *ep[PAWLINK_NUM_EPS];
	bool ss_companion[PAWLINK_NUM_EPS];
	unsigned int num_eps;
};

/* ---- small helpers ---------------------------------------------------- */

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int read_text(const char *path, char *buf, size_t len)
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
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int dev_attr(const struct dut *d, const char *attr, char *buf,
		    size_t len)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", d->dev, attr);
	return read_text(path, buf, len);
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* A live process that is not a zombie. */
static bool pid_running(pid_t pid)
{
	char path[64], stat[256], *paren;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_text(path, stat, sizeof(stat)))
		return false;
	paren = strrchr(stat, ')');
	return paren && paren[1] == ' ' && paren[2] != 'Z';
}

static bool path_exists(const char *path)
{
	struct stat st;

	return !lstat(path, &st);
}

/* Runs pawsim with @argv (NULL-terminated, argv[0] unused); exit status. */
static int run_pawsim(const char **argv)
{
	const char *pawsim = getenv("PAWSIM") ? getenv("PAWSIM") : "pawsim";
	int status;
	pid_t child;

	argv[0] = pawsim;
	fflush(NULL);
	child = fork();
	if (child < 0)
		return -errno;
	if (!child) {
		execvp(pawsim, (char **)argv);
		_exit(127);
	}
	if (waitpid(child, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* ---- the dongle under test -------------------------------------------- */

static void dut_init(struct dut *d, int udc)
{
	memset(d, 0, sizeof(*d));
	d->udc = udc;
	d->fd = -1;
	snprintf(d->name, sizeof(d->name), "dongletest%d", udc);
	snprintf(d->pidfile, sizeof(d->pidfile), "/tmp/dongletest%d.pid", udc);
}

/* pawsim dongle --background on UDC d->udc; 0 once the pidfile is there. */
static int dut_start(struct dut *d, const char *fault,
		     const char *vanish_after)
{
	char udc[32], pid[32];
	const char *argv[20];
	int argc = 1, ret;

	snprintf(udc, sizeof(udc), "dummy_udc.%d", d->udc);
	argv[argc++] = "dongle";
	argv[argc++] = "--background";
	argv[argc++] = "--pidfile";
	argv[argc++] = d->pidfile;
	argv[argc++] = "--udc";
	argv[argc++] = udc;
	argv[argc++] = "--name";
	argv[argc++] = d->name;
	argv[argc++] = "--id";
	argv[argc++] = DONGLE_ID;
	if (fault) {
		argv[argc++] = "--fault";
		argv[argc++] = fault;
	}
	if (vanish_after) {
		argv[argc++] = "--vanish-after";
		argv[argc++] = vanish_after;
	}
	argv[argc] = NULL;

	unlink(d->pidfile);
	ret = run_pawsim(argv);
	if (ret)
		return ret > 0 ? -ECHILD : ret;
	if (read_text(d->pidfile, pid, sizeof(pid)))
		return -ENOENT;
	d->pid = atoi(pid);
	return d->pid > 0 ? 0 : -EINVAL;
}

/* The USB device on dummy_hcd.N's bus, once it is configured. */
static int dut_wait_configured(struct dut *d)
{
	long end = now_ms() + WAIT_MS;
	char pattern[128], cfg[16];
	glob_t g;

	snprintf(pattern, sizeof(pattern),
		 "/sys/devices/platform/dummy_hcd.%d/usb*/*-1", d->udc);
	do {
		if (!glob(pattern, 0, NULL, &g)) {
			snprintf(d->dev, sizeof(d->dev), "%s", g.gl_pathv[0]);
			globfree(&g);
			if (!dev_attr(d, "bConfigurationValue", cfg, sizeof(cfg)) &&
			    !strcmp(cfg, "1"))
				return 0;
		}
		sleep_ms(STEP_MS);
	} while (now_ms() < end);
	return -ETIMEDOUT;
}

static int dut_wait_gone(const struct dut *d)
{
	long end = now_ms() + WAIT_MS;

	while (d->dev[0] && path_exists(d->dev)) {
		if (now_ms() > end)
			return -ETIMEDOUT;
		sleep_ms(STEP_MS);
	}
	return 0;
}

static int dut_wait_exit(const struct dut *d)
{
	long end = now_ms() + WAIT_MS;

	while (pid_running(d->pid)) {
		if (now_ms() > end)
			return -ETIMEDOUT;
		sleep_ms(STEP_MS);
	}
	return 0;
}

/* Walks the descriptors usbfs returned: interface 0, its endpoints. */
static int dut_parse(struct dut *d)
{
	size_t off = USB_DT_DEVICE_SIZE;
	const uint8_t *p;

	d->intf = NULL;
	d->num_eps = 0;
	while (off + 2 <= d->desc_len) {
		p = d->desc + off;
		if (p[0] < 2 || off + p[0] > d->desc_len)
			return -EINVAL;
		if (p[1] == USB_DT_INTERFACE && !d->intf)
			d->intf = p;
		else if (p[1] == USB_DT_ENDPOINT && d->intf) {
			if (d->num_eps >= PAWLINK_NUM_EPS)
				return -E2BIG;
			d->ep[d->num_eps++] = p;
		} else if (p[1] == USB_DT_SS_ENDPOINT_COMP && d->num_eps)
			d->ss_companion[d->num_eps - 1] = true;
		off += p[0];
	}
	return d->intf ? 0 : -ENOENT;
}

/* Opens usbfs, reads the descriptors and takes interface 0. */
static int dut_open(struct dut *d)
{
	struct usbdevfs_disconnect_claim claim = { .interface = 0 };
	char bus[16], num[16], speed[16], path[64];
	ssize_t n;
	long end;

	if (dev_attr(d, "busnum", bus, sizeof(bus)) ||
	    dev_attr(d, "devnum", num, sizeof(num)) ||
	    dev_attr(d, "speed", speed, sizeof(speed)))
		return -ENOENT;
	d->speed = (unsigned int)atoi(speed);
	snprintf(path, sizeof(path), "/dev/bus/usb/%03d/%03d", atoi(bus),
		 atoi(num));
	/* devtmpfs may create the node a little after sysfs shows the device */
	end = now_ms() + WAIT_MS;
	while ((d->fd = open(path, O_RDWR | O_CLOEXEC)) < 0 &&
	       errno == ENOENT && now_ms() < end)
		sleep_ms(STEP_MS);
	if (d->fd < 0)
		return -errno;
	n = read(d->fd, d->desc, sizeof(d->desc));
	if (n < USB_DT_DEVICE_SIZE)
		return -EIO;
	d->desc_len = (size_t)n;
	if (dut_parse(d))
		return -EINVAL;
	/* Takes the interface from pawlink.ko if it has it. */
	if (ioctl(d->fd, USBDEVFS_DISCONNECT_CLAIM, &claim))
		return -errno;
	return 0;
}

static void dut_stop(struct dut *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	if (d->pid > 0 && pid_running(d->pid)) {
		kill(d->pid, SIGTERM);
		dut_wait_exit(d);
	}
	d->pid = 0;
	dut_wait_gone(d);
}

/* Bulk wMaxPacketSize this lane's speed calls for. */
static uint16_t speed_maxp(const struct dut *d)
{
	return d->speed >= 5000 ? 1024 : d->speed == 480 ? 512 : 64;
}

static uint16_t ep_maxp(const struct dut *d, unsigned int i)
{
	return le16(d->ep[i] + 4) & 0x7ff;
}

/* ---- transfers ---------------------------------------------------------- */

/* A control transfer; bytes moved or -errno (-EPIPE: stalled). */
static int ctrl(const struct dut *d, uint8_t type, uint8_t request,
		uint16_t value, uint16_t index, void *data, uint16_t len)
{
	struct usbdevfs_ctrltransfer c = {
		.bRequestType = type,
		.bRequest = request,
		.wValue = value,
		.wIndex = index,
		.wLength = len,
		.timeout = CTRL_TIMEOUT_MS,
		.data = data,
	};
	int ret = ioctl(d->fd, USBDEVFS_CONTROL, &c);

	return ret < 0 ? -errno : ret;
}

static int vendor_in(const struct dut *d, uint8_t request, void *buf,
		     uint16_t len)
{
	return ctrl(d, USB_DIR_IN | USB_TYPE_VENDOR | USB_RECIP_INTERFACE,
		    request, 0, 0, buf, len);
}

static int vendor_out(const struct dut *d, uint8_t request, void *buf,
		      uint16_t len)
{
	return ctrl(d, USB_DIR_OUT | USB_TYPE_VENDOR | USB_RECIP_INTERFACE,
		    request, 0, 0, buf, len);
}

static int bulk(const struct dut *d, unsigned int ep, void *buf,
		unsigned int len, unsigned int timeout)
{
	struct usbdevfs_bulktransfer b = {
		.ep = d->ep[ep][2],
		.len = len,
		.timeout = timeout,
		.data = buf,
	};
	int ret = ioctl(d->fd, USBDEVFS_BULK, &b);

	return ret < 0 ? -errno : ret;
}

/* One record out, ended by a ZLP when it fills its last packet. */
static int send_record(const struct dut *d, unsigned int ep, const void *rec,
		       unsigned int len)
{
	int ret = bulk(d, ep, (void *)rec, len, BULK_TIMEOUT_MS);

	if (ret >= 0 && len % ep_maxp(d, ep) == 0)
		ret = bulk(d, ep, NULL, 0, BULK_TIMEOUT_MS);
	return ret;
}

/* A record: header for @channel, @body_len bytes of a pattern from @seed. */
static unsigned int make_record(uint8_t *rec, uint8_t channel,
				unsigned int body_len, unsigned int seed)
{
	struct pawlink_rec_hdr hdr = {
		.version = PAWLINK_REC_VERSION,
		.channel = channel,
		.len = htole16((uint16_t)body_len),
		.epoch = 0,
		.counter = htole64(seed),
	};
	unsigned int i;

	memcpy(rec, &hdr, sizeof(hdr));
	for (i = 0; i < body_len; i++)
		rec[PAWLINK_REC_HDR_LEN + i] = (uint8_t)(seed * 31 + i);
	return PAWLINK_REC_HDR_LEN + body_len;
}

/* ---- the well-behaved dongle ------------------------------------------ */

FIXTURE(good) {
	struct dut d;
};

FIXTURE_SETUP(good)
{
	dut_init(&self->d, 1);
	ASSERT_EQ(0, dut_start(&self->d, NULL, NULL));
	ASSERT_EQ(0, dut_wait_configured(&self->d));
	ASSERT_EQ(0, dut_open(&self->d));
}

FIXTURE_TEARDOWN(good)
{
	dut_stop(&self->d);
}

TEST_F(good, descriptors_at_lane_speed)
{
	const struct dut *d = &self->d;
	const uint8_t *dev = d->desc;
	char serial[32];
	unsigned int i;

	ASSERT_EQ(USB_DT_DEVICE, dev[1]);
	EXPECT_EQ(PAWLINK_USB_VID, le16(dev + 8));
	EXPECT_EQ(PAWLINK_USB_PID, le16(dev + 10));
	EXPECT_EQ(0x0100, le16(dev + 12));		/* bcdDevice */
	EXPECT_EQ(d->speed >= 5000 ? 0x0320 : 0x0200, le16(dev + 2));
	ASSERT_EQ(0, dev_attr(d, "serial", serial, sizeof(serial)));
	EXPECT_STREQ(DONGLE_ID, serial);

	EXPECT_EQ(PAWLINK_USB_CLASS, d->intf[5]);
	EXPECT_EQ(PAWLINK_USB_SUBCLASS, d->intf[6]);
	EXPECT_EQ(PAWLINK_USB_PROTOCOL, d->intf[7]);
	ASSERT_EQ(PAWLINK_NUM_EPS, d->intf[4]);
	ASSERT_EQ(PAWLINK_NUM_EPS, d->num_eps);
	for (i = 0; i < PAWLINK_NUM_EPS; i++) {
		bool in = i == PAWLINK_EP_CTRL_IN || i == PAWLINK_EP_AUDIO_IN;

		EXPECT_EQ(in, !!(d->ep[i][2] & USB_DIR_IN)) TH_LOG("ep %u", i);
		EXPECT_EQ(USB_ENDPOINT_XFER_BULK, d->ep[i][3] & 3);
		EXPECT_EQ(speed_maxp(d), ep_maxp(d, i)) TH_LOG("ep %u", i);
		EXPECT_EQ(d->speed >= 5000, d->ss_companion[i]);
	}
}

TEST_F(good, get_info)
{
	struct pawlink_dongle_info info;

	memset(&info, 0xaa, sizeof(info));
	ASSERT_EQ((int)sizeof(info),
		  vendor_in(&self->d, PAWLINK_REQ_GET_INFO, &info,
			    sizeof(info)));
	EXPECT_EQ(PAWLINK_USB_PROTOCOL, le16toh(info.proto_version));
	EXPECT_EQ(0x0100, le16toh(info.fw_version));
	EXPECT_EQ(0, memcmp(info.dongle_id,
			    "\x01\x23\x45\x67\x89\xab\xcd\xef", 8));
	EXPECT_EQ(PAWLINK_RECORD_MAX, le16toh(info.max_record));
	EXPECT_EQ(0, info.reserved[0] | info.reserved[1]);
}

TEST_F(good, scan_hears_the_loopback_toy)
{
	struct pawlink_beacon b[PAWLINK_SCAN_MAX];

	ASSERT_EQ((int)sizeof(b[0]),
		  vendor_in(&self->d, PAWLINK_REQ_SCAN, b, sizeof(b)));
	EXPECT_EQ(0, memcmp(b[0].toy_id, loopback_toy, PAWLINK_ID_LEN));
	EXPECT_EQ(PAWLINK_BEACON_PAIRING, b[0].flags);
	EXPECT_EQ(-40, b[0].rssi);
	/* room for exactly one beacon is fine too */
	ASSERT_EQ((int)sizeof(b[0]),
		  vendor_in(&self->d, PAWLINK_REQ_SCAN, b, sizeof(b[0])));
}

/* Reads one LINK event off control IN and checks it. */
static void expect_event(struct __test_metadata *_metadata,
			 const struct dut *d, uint64_t counter, uint8_t state,
			 const uint8_t *toy)
{
	uint8_t rec[PAWLINK_RECORD_MAX];
	struct pawlink_rec_hdr hdr;
	struct pawlink_event ev;

	ASSERT_EQ((int)(sizeof(hdr) + sizeof(ev)),
		  bulk(d, PAWLINK_EP_CTRL_IN, rec, sizeof(rec),
		       BULK_TIMEOUT_MS));
	memcpy(&hdr, rec, sizeof(hdr));
	memcpy(&ev, rec + sizeof(hdr), sizeof(ev));
	EXPECT_EQ(PAWLINK_REC_VERSION, hdr.version);
	EXPECT_EQ(PAWLINK_CH_EVENT, hdr.channel);
	EXPECT_EQ(sizeof(ev), le16toh(hdr.len));
	EXPECT_EQ(0, le32toh(hdr.epoch));
	EXPECT_EQ(counter, le64toh(hdr.counter));
	EXPECT_EQ(PAWLINK_EVENT_LINK, ev.type);
	EXPECT_EQ(state, ev.link.state);
	EXPECT_EQ(0, memcmp(ev.link.toy_id, toy, PAWLINK_ID_LEN));
}

static void expect_link(struct __test_metadata *_metadata,
			const struct dut *d, uint8_t state, const uint8_t *toy)
{
	struct pawlink_link link;

	ASSERT_EQ((int)sizeof(link),
		  vendor_in(d, PAWLINK_REQ_GET_LINK, &link, sizeof(link)));
	EXPECT_EQ(state, link.state);
	EXPECT_EQ(0, memcmp(link.toy_id, toy, PAWLINK_ID_LEN));
}

TEST_F(good, connect_and_disconnect_send_events)
{
	const uint8_t zero[PAWLINK_ID_LEN] = { 0 };
	uint8_t id[PAWLINK_ID_LEN];

	expect_link(_metadata, &self->d, PAWLINK_LINK_IDLE, zero);
	memcpy(id, loopback_toy, sizeof(id));
	ASSERT_EQ((int)sizeof(id), vendor_out(&self->d, PAWLINK_REQ_CONNECT,
					      id, sizeof(id)));
	expect_link(_metadata, &self->d, PAWLINK_LINK_CONNECTED, loopback_toy);
	expect_event(_metadata, &self->d, 1, PAWLINK_LINK_CONNECTED,
		     loopback_toy);

	/* a second CONNECT while the link is up is refused */
	EXPECT_EQ(-EPIPE, vendor_out(&self->d, PAWLINK_REQ_CONNECT, id,
				     sizeof(id)));

	ASSERT_EQ(0, vendor_out(&self->d, PAWLINK_REQ_DISCONNECT, NULL, 0));
	expect_link(_metadata, &self->d, PAWLINK_LINK_IDLE, zero);
	expect_event(_metadata, &self->d, 2, PAWLINK_LINK_IDLE, zero);

	/* DISCONNECT when idle is accepted and changes nothing */
	ASSERT_EQ(0, vendor_out(&self->d, PAWLINK_REQ_DISCONNECT, NULL, 0));
	expect_link(_metadata, &self->d, PAWLINK_LINK_IDLE, zero);
}

TEST_F(good, connect_to_an_absent_toy_reports_idle)
{
	const uint8_t zero[PAWLINK_ID_LEN] = { 0 };
	uint8_t id[PAWLINK_ID_LEN] = "nobody!!";

	ASSERT_EQ((int)sizeof(id), vendor_out(&self->d, PAWLINK_REQ_CONNECT,
					      id, sizeof(id)));
	expect_event(_metadata, &self->d, 1, PAWLINK_LINK_IDLE, zero);
	expect_link(_metadata, &self->d, PAWLINK_LINK_IDLE, zero);
}

TEST_F(good, malformed_requests_stall)
{
	const uint8_t vendor_in_intf = USB_DIR_IN | USB_TYPE_VENDOR |
				       USB_RECIP_INTERFACE;
	const uint8_t vendor_out_intf = USB_DIR_OUT | USB_TYPE_VENDOR |
					USB_RECIP_INTERFACE;
	static const struct {
		const char *what;
		uint8_t type, request;
		uint16_t value, length;
	} bad[] = {
		{ "GET_INFO short", 0xc1, PAWLINK_REQ_GET_INFO, 0, 15 },
		{ "GET_INFO long", 0xc1, PAWLINK_REQ_GET_INFO, 0, 17 },
		{ "GET_INFO no data", 0xc1, PAWLINK_REQ_GET_INFO, 0, 0 },
		{ "GET_INFO as OUT", 0x41, PAWLINK_REQ_GET_INFO, 0, 16 },
		{ "GET_INFO wValue", 0xc1, PAWLINK_REQ_GET_INFO, 1, 16 },
		{ "SCAN not whole", 0xc1, PAWLINK_REQ_SCAN, 0, 13 },
		{ "SCAN too long", 0xc1, PAWLINK_REQ_SCAN, 0, 204 },
		{ "SCAN empty", 0xc1, PAWLINK_REQ_SCAN, 0, 0 },
		{ "CONNECT short", 0x41, PAWLINK_REQ_CONNECT, 0, 7 },
		{ "CONNECT as IN", 0xc1, PAWLINK_REQ_CONNECT, 0, 8 },
		{ "DISCONNECT data", 0x41, PAWLINK_REQ_DISCONNECT, 0, 1 },
		{ "GET_LINK short", 0xc1, PAWLINK_REQ_GET_LINK, 0, 11 },
		{ "unknown 0x00 IN", 0xc1, 0x00, 0, 8 },
		{ "unknown 0x06 OUT", 0x41, 0x06, 0, 0 },
		{ "unknown 0xff IN", 0xc1, 0xff, 0, 64 },
		{ "class request", USB_DIR_IN | USB_TYPE_CLASS |
		  USB_RECIP_INTERFACE, PAWLINK_REQ_GET_INFO, 0, 16 },
	};
	struct pawlink_dongle_info info;
	uint8_t buf[256];
	unsigned int i;

	ASSERT_EQ(0xc1, vendor_in_intf);
	ASSERT_EQ(0x41, vendor_out_intf);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int got;

		memset(buf, 0, sizeof(buf));
		got = ctrl(&self->d, bad[i].type, bad[i].request, bad[i].value,
			   0, buf, bad[i].length);
		/*
		 * In one clean-clone run (high speed; the same request
		 * stalled at full and super speed, and in every earlier
		 * run) dummy_hcd timed out an OUT data stage that pawsim's
		 * log shows it had stalled: a race in the emulation, not
		 * the dongle's answer.  The same request again must be
		 * stalled.
		 */
		if (got == -ETIMEDOUT && !(bad[i].type & USB_DIR_IN) &&
		    bad[i].length) {
			TH_LOG("%s: timed out (dummy_hcd), asking again",
			       bad[i].what);
			got = ctrl(&self->d, bad[i].type, bad[i].request,
				   bad[i].value, 0, buf, bad[i].length);
		}
		EXPECT_EQ(-EPIPE, got)
			TH_LOG("%s was not stalled", bad[i].what);
		/* EP0 recovers from each stall */
		EXPECT_EQ((int)sizeof(info),
			  vendor_in(&self->d, PAWLINK_REQ_GET_INFO, &info,
				    sizeof(info))) TH_LOG("after %s",
							  bad[i].what);
	}
}

TEST_F(good, records_echo_on_both_pairs)
{
	static const uint8_t out_ep[] = { PAWLINK_EP_CTRL_OUT,
					  PAWLINK_EP_AUDIO_OUT };
	static const uint8_t channel[] = { PAWLINK_CH_CTRL, PAWLINK_CH_AUDIO };
	uint8_t rec[PAWLINK_RECORD_MAX], back[2048];
	unsigned int pair, body, seed = 0, maxp = speed_maxp(&self->d);
	unsigned int bodies[16], nb = 0, k, len;

	/* empty, odd, one audio period, whole packets (ZLP), the maximum */
	bodies[nb++] = 0;
	bodies[nb++] = 1;
	bodies[nb++] = PAWLINK_AUDIO_PERIOD_BYTES + PAWLINK_TAG_LEN;
	for (k = maxp; k <= PAWLINK_RECORD_MAX && nb < 14; k += maxp)
		bodies[nb++] = k - PAWLINK_REC_HDR_LEN;
	bodies[nb++] = PAWLINK_FRAME_MAX + PAWLINK_TAG_LEN;

	for (pair = 0; pair < 2; pair++) {
		for (k = 0; k < nb; k++) {
			body = bodies[k];
			len = make_record(rec, channel[pair], body, ++seed);
			ASSERT_LE(0, send_record(&self->d, out_ep[pair], rec,
						 len));
			ASSERT_EQ((int)len,
				  bulk(&self->d, out_ep[pair] + 1, back,
				       sizeof(back), BULK_TIMEOUT_MS))
				TH_LOG("pair %u body %u", pair, body);
			EXPECT_EQ(0, memcmp(rec, back, len));
		}
	}
}

TEST_F(good, badly_framed_records_are_dropped)
{
	uint8_t rec[2048], back[2048];
	unsigned int len;

	/* shorter than a header */
	len = make_record(rec, PAWLINK_CH_CTRL, 0, 1);
	ASSERT_LE(0, send_record(&self->d, PAWLINK_EP_CTRL_OUT, rec, 10));
	/* header claims more than was sent */
	len = make_record(rec, PAWLINK_CH_CTRL, 40, 2);
	rec[2] = 41;
	ASSERT_LE(0, send_record(&self->d, PAWLINK_EP_CTRL_OUT, rec, len));
	/* header claims less than was sent */
	rec[2] = 39;
	ASSERT_LE(0, send_record(&self->d, PAWLINK_EP_CTRL_OUT, rec, len));
	/* consistent but longer than PAWLINK_RECORD_MAX */
	len = make_record(rec, PAWLINK_CH_CTRL, PAWLINK_RECORD_MAX, 3);
	ASSERT_LE(0, send_record(&self->d, PAWLINK_EP_CTRL_OUT, rec, len));

	/* the first thing that comes back is the next good record */
	len = make_record(rec, PAWLINK_CH_CTRL, 24, 4);
	ASSERT_LE(0, send_record(&self->d, PAWLINK_EP_CTRL_OUT, rec, len));
	ASSERT_EQ((int)len, bulk(&self->d, PAWLINK_EP_CTRL_IN, back,
				 sizeof(back), BULK_TIMEOUT_MS));
	EXPECT_EQ(0, memcmp(rec, back, len));
}

/* ---- descriptor faults -------------------------------------------------- */

FIXTURE(shape) {
	struct dut d;
	bool no_gadgetfs;
};

FIXTURE_VARIANT(shape) {
	const char *fault;
	int udc;
};

FIXTURE_VARIANT_ADD(shape, missing_ep) {
	.fault = "missing-ep",
	.udc = 1,
};

FIXTURE_VARIANT_ADD(shape, wrong_type) {
	.fault = "wrong-type",
	.udc = 1,
};

/* on gadgetfs, which takes the first free UDC */
FIXTURE_VARIANT_ADD(shape, zero_maxpacket) {
	.fault = "zero-maxpacket",
	.udc = 0,
};

FIXTURE_SETUP(shape)
{
	dut_init(&self->d, variant->udc);
	/* (a SKIP here would not stop the test body in the 6.1 harness) */
	self->no_gadgetfs = !strcmp(variant->fault, "zero-maxpacket") &&
			    system("grep -qw gadgetfs /proc/filesystems || "
				   "modprobe gadgetfs 2>/dev/null");
	if (self->no_gadgetfs)
		return;
	ASSERT_EQ(0, dut_start(&self->d, variant->fault, NULL));
	ASSERT_EQ(0, dut_wait_configured(&self->d));
	ASSERT_EQ(0, dut_open(&self->d));
}

FIXTURE_TEARDOWN(shape)
{
	dut_stop(&self->d);
}

TEST_F(shape, host_sees_the_fault_configured)
{
	const struct dut *d = &self->d;
	struct pawlink_dongle_info info;
	unsigned int i;

	if (self->no_gadgetfs)
		SKIP(return, "no gadgetfs in this guest (stage the module)");
	if (!strcmp(variant->fault, "missing-ep")) {
		ASSERT_EQ(PAWLINK_NUM_EPS - 1, d->num_eps);
		for (i = 0; i < d->num_eps; i++)
			EXPECT_EQ(USB_ENDPOINT_XFER_BULK, d->ep[i][3] & 3);
		EXPECT_FALSE(d->ep[0][2] & USB_DIR_IN);
		EXPECT_TRUE(d->ep[1][2] & USB_DIR_IN);
		EXPECT_FALSE(d->ep[2][2] & USB_DIR_IN);
	} else if (!strcmp(variant->fault, "wrong-type")) {
		ASSERT_EQ(PAWLINK_NUM_EPS, d->num_eps);
		EXPECT_EQ(USB_ENDPOINT_XFER_INT,
			  d->ep[PAWLINK_EP_AUDIO_IN][3] & 3);
		EXPECT_EQ(d->speed == 12 ? 1 : 4, d->ep[PAWLINK_EP_AUDIO_IN][6]);
		EXPECT_EQ(speed_maxp(d), ep_maxp(d, PAWLINK_EP_AUDIO_IN));
	} else {
		ASSERT_EQ(PAWLINK_NUM_EPS, d->num_eps);
		EXPECT_EQ(0, ep_maxp(d, PAWLINK_EP_AUDIO_IN));
		/* gadgetfs has no SuperSpeed */
		EXPECT_NE(5000, d->speed);
	}
	/* the rest of the interface is as usual, EP0 included */
	for (i = 0; i < d->num_eps && i < PAWLINK_EP_AUDIO_IN; i++)
		EXPECT_EQ(speed_maxp(d), ep_maxp(d, i));
	EXPECT_EQ((int)sizeof(info), vendor_in(d, PAWLINK_REQ_GET_INFO, &info,
					       sizeof(info)));
}

/* ---- transfer faults ---------------------------------------------------- */

FIXTURE(damaged) {
	struct dut d;
};

FIXTURE_VARIANT(damaged) {
	const char *fault;
};

FIXTURE_VARIANT_ADD(damaged, truncated) {
	.fault = "truncated",
};

FIXTURE_VARIANT_ADD(damaged, oversized) {
	.fault = "oversized",
};

FIXTURE_SETUP(damaged)
{
	dut_init(&self->d, 1);
	ASSERT_EQ(0, dut_start(&self->d, variant->fault, NULL));
	ASSERT_EQ(0, dut_wait_configured(&self->d));
	ASSERT_EQ(0, dut_open(&self->d));
}

FIXTURE_TEARDOWN(damaged)
{
	dut_stop(&self->d);
}

/* Odd echoes on each IN endpoint are damaged, even ones intact. */
TEST_F(damaged, odd_echoes_damaged_even_intact)
{
	bool truncated = !strcmp(variant->fault, "truncated");
	uint8_t rec[PAWLINK_RECORD_MAX], back[2048];
	unsigned int round, len, ep;
	int n;

	for (ep = PAWLINK_EP_CTRL_OUT; ep <= PAWLINK_EP_AUDIO_OUT; ep += 2) {
		for (round = 1; round <= 2; round++) {
			len = make_record(rec, PAWLINK_CH_CTRL, 100, 2 * round);
			ASSERT_LE(0, send_record(&self->d, ep, rec, len));
			n = bulk(&self->d, ep + 1, back, sizeof(back),
				 BULK_TIMEOUT_MS);
			if (truncated) {
				/* same bytes, but len claims the most */
				ASSERT_EQ((int)len, n);
				EXPECT_EQ(PAWLINK_FRAME_MAX + PAWLINK_TAG_LEN,
					  le16(back + 2));
				EXPECT_EQ(0, memcmp(back + 4, rec + 4,
						    len - 4));
			} else {
				/* one byte over the limit, self-consistent */
				ASSERT_EQ(PAWLINK_RECORD_MAX + 1, n);
				EXPECT_EQ(n - PAWLINK_REC_HDR_LEN,
					  le16(back + 2));
				EXPECT_EQ(0, memcmp(back + 4, rec + 4,
						    len - 4));
				EXPECT_EQ(0, back[len] | back[n - 1]);
			}
			/* the next one passes untouched */
			len = make_record(rec, PAWLINK_CH_CTRL, 60,
					  2 * round + 1);
			ASSERT_LE(0, send_record(&self->d, ep, rec, len));
			ASSERT_EQ((int)len, bulk(&self->d, ep + 1, back,
						 sizeof(back),
						 BULK_TIMEOUT_MS));
			EXPECT_EQ(0, memcmp(rec, back, len));
		}
	}
}

/* ---- stall -------------------------------------------------------------- */

FIXTURE(stall) {
	struct dut d;
};

FIXTURE_SETUP(stall)
{
	dut_init(&self->d, 1);
	ASSERT_EQ(0, dut_start(&self->d, "stall", NULL));
	ASSERT_EQ(0, dut_wait_configured(&self->d));
	ASSERT_EQ(0, dut_open(&self->d));
}

FIXTURE_TEARDOWN(stall)
{
	dut_stop(&self->d);
}

TEST_F(stall, control_in_halts_once_then_recovers)
{
	uint8_t rec[PAWLINK_RECORD_MAX], back[2048];
	unsigned int len, ep_in = self->d.ep[PAWLINK_EP_CTRL_IN][2];
	unsigned int round;

	/* the first echo arrives, then control IN is halted */
	len = make_record(rec, PAWLINK_CH_CTRL, 32, 1);
	ASSERT_LE(0, send_record(&self->d, PAWLINK_EP_CTRL_OUT, rec, len));
	ASSERT_EQ((int)len, bulk(&self->d, PAWLINK_EP_CTRL_IN, back,
				 sizeof(back), BULK_TIMEOUT_MS));

	len = make_record(rec, PAWLINK_CH_CTRL, 32, 2);
	ASSERT_LE(0, send_record(&self->d, PAWLINK_EP_CTRL_OUT, rec, len));
	EXPECT_EQ(-EPIPE, bulk(&self->d, PAWLINK_EP_CTRL_IN, back,
			       sizeof(back), BULK_TIMEOUT_MS));
	ASSERT_EQ(0, ioctl(self->d.fd, USBDEVFS_CLEAR_HALT, &ep_in));
	ASSERT_EQ((int)len, bulk(&self->d, PAWLINK_EP_CTRL_IN, back,
				 sizeof(back), BULK_TIMEOUT_MS));
	EXPECT_EQ(0, memcmp(rec, back, len));

	/* only once: later records flow without a halt, audio never halts */
	for (round = 3; round < 6; round++) {
		len = make_record(rec, PAWLINK_CH_CTRL, 32, round);
		ASSERT_LE(0, send_record(&self->d, PAWLINK_EP_CTRL_OUT, rec,
					 len));
		ASSERT_EQ((int)len, bulk(&self->d, PAWLINK_EP_CTRL_IN, back,
					 sizeof(back), BULK_TIMEOUT_MS));
		ASSERT_LE(0, send_record(&self->d, PAWLINK_EP_AUDIO_OUT, rec,
					 len));
		ASSERT_EQ((int)len, bulk(&self->d, PAWLINK_EP_AUDIO_IN, back,
					 sizeof(back), BULK_TIMEOUT_MS));
	}
}

/* ---- vanish ------------------------------------------------------------- */

TEST(vanish_mid_transfer_then_a_new_dongle_starts)
{
	uint8_t rec[PAWLINK_RECORD_MAX], back[PAWLINK_RECORD_MAX];
	struct usbdevfs_urb urb, *done = NULL;
	char gadget[128];
	unsigned int len;
	struct dut d;
	long end;

	dut_init(&d, 1);
	ASSERT_EQ(0, dut_start(&d, "vanish", "2"));
	ASSERT_EQ(0, dut_wait_configured(&d));
	ASSERT_EQ(0, dut_open(&d));

	/* record 1 is echoed as usual */
	len = make_record(rec, PAWLINK_CH_CTRL, 48, 1);
	ASSERT_LE(0, send_record(&d, PAWLINK_EP_CTRL_OUT, rec, len));
	ASSERT_EQ((int)len, bulk(&d, PAWLINK_EP_CTRL_IN, back, sizeof(back),
				 BULK_TIMEOUT_MS));

	/* an IN transfer is open when record 2 makes the dongle vanish */
	memset(&urb, 0, sizeof(urb));
	urb.type = USBDEVFS_URB_TYPE_BULK;
	urb.endpoint = d.ep[PAWLINK_EP_CTRL_IN][2];
	urb.buffer = back;
	urb.buffer_length = sizeof(back);
	ASSERT_EQ(0, ioctl(d.fd, USBDEVFS_SUBMITURB, &urb));
	len = make_record(rec, PAWLINK_CH_CTRL, 48, 2);
	ASSERT_LE(0, send_record(&d, PAWLINK_EP_CTRL_OUT, rec, len));

	/* The URB completes when the device goes (usbfs kills it). */
	end = now_ms() + WAIT_MS;
	while (ioctl(d.fd, USBDEVFS_REAPURBNDELAY, &done) && now_ms() < end)
		sleep_ms(STEP_MS);
	ASSERT_EQ(&urb, done);
	/* 1024 bytes (whole packets) of a record that never ended */
	EXPECT_NE(0, urb.status);
	EXPECT_EQ(1024, urb.actual_length);
	EXPECT_EQ(PAWLINK_FRAME_MAX + PAWLINK_TAG_LEN, le16(back + 2));

	close(d.fd);
	d.fd = -1;
	EXPECT_EQ(0, dut_wait_gone(&d));
	EXPECT_EQ(0, dut_wait_exit(&d));
	/* it left its gadget behind, unbound */
	snprintf(gadget, sizeof(gadget), "/sys/kernel/config/usb_gadget/%s",
		 d.name);
	EXPECT_TRUE(path_exists(gadget));

	/* a dongle of the same name clears that up and works */
	ASSERT_EQ(0, dut_start(&d, NULL, NULL));
	ASSERT_EQ(0, dut_wait_configured(&d));
	ASSERT_EQ(0, dut_open(&d));
	len = make_record(rec, PAWLINK_CH_CTRL, 48, 3);
	ASSERT_LE(0, send_record(&d, PAWLINK_EP_CTRL_OUT, rec, len));
	ASSERT_EQ((int)len, bulk(&d, PAWLINK_EP_CTRL_IN, back, sizeof(back),
				 BULK_TIMEOUT_MS));
	dut_stop(&d);
	EXPECT_FALSE(path_exists(gadget));
}

/* ---- the process -------------------------------------------------------- */

TEST(sigterm_removes_everything)
{
	char gadget[128], ffs[64], mounts[8192];
	struct dut d;
	int fd;
	ssize_t n;

	dut_init(&d, 1);
	ASSERT_EQ(0, dut_start(&d, NULL, NULL));
	ASSERT_EQ(0, dut_wait_configured(&d));
	snprintf(gadget, sizeof(gadget), "/sys/kernel/config/usb_gadget/%s",
		 d.name);
	snprintf(ffs, sizeof(ffs), "/dev/ffs-%s", d.name);
	EXPECT_TRUE(path_exists(gadget));
	EXPECT_TRUE(path_exists(ffs));

	dut_stop(&d);
	EXPECT_FALSE(pid_running(d.pid));
	EXPECT_FALSE(path_exists(gadget));
	EXPECT_FALSE(path_exists(ffs));
	EXPECT_FALSE(path_exists(d.pidfile));
	fd = open("/proc/mounts", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	n = read(fd, mounts, sizeof(mounts) - 1);
	close(fd);
	ASSERT_LT(0, n);
	mounts[n] = '\0';
	EXPECT_EQ(NULL, strstr(mounts, ffs));
}

TEST(one_dongle_per_name)
{
	struct dut a, b;

	dut_init(&a, 1);
	ASSERT_EQ(0, dut_start(&a, NULL, NULL));
	ASSERT_EQ(0, dut_wait_configured(&a));

	/* same name, other UDC: refused with a runtime error */
	dut_init(&b, 0);
	snprintf(b.name, sizeof(b.name), "%s", a.name);
	EXPECT_EQ(-ECHILD, dut_start(&b, NULL, NULL));
	EXPECT_TRUE(pid_running(a.pid));
	dut_stop(&a);
}

TEST(usage_errors_exit_1)
{
	const char *bad_fault[] = { NULL, "dongle", "--fault", "bogus", NULL };
	const char *bad_id[] = { NULL, "dongle", "--id", "0123", NULL };
	const char *bad_name[] = { NULL, "dongle", "--name", "a/b", NULL };
	const char *lonely[] = { NULL, "dongle", "--background", NULL };
	const char *stray[] = { NULL, "dongle", "--vanish-after", "2", NULL };
	const char *help[] = { NULL, "dongle", "--help", NULL };

	EXPECT_EQ(1, run_pawsim(bad_fault));
	EXPECT_EQ(1, run_pawsim(bad_id));
	EXPECT_EQ(1, run_pawsim(bad_name));
	EXPECT_EQ(1, run_pawsim(lonely));
	EXPECT_EQ(1, run_pawsim(stray));
	EXPECT_EQ(0, run_pawsim(help));
}

TEST_HARNESS_MAIN
