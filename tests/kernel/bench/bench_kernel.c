// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel path's benchmarks, in the kernel lane's guest (`make bench`
 * runs tests/kernel/bench-guest.sh there, which runs this).  Every figure
 * is a ratio to a baseline measured in the same run, on the same guest
 * CPU; nothing passes or fails on a time.
 *
 *  1. crypto: pawlink.ko's seal plus open of a 320-byte audio record and
 *     a 1 KiB control record (the test hooks' PAWLINK_IOC_TEST_SEAL and
 *     _OPEN, so one ioctl each, its copies included), against libsodium's
 *     crypto_aead_chacha20poly1305_ietf_encrypt() plus _decrypt() of the
 *     same sizes here in userspace; per record, per byte and per byte
 *     beyond an empty record, and kernel/userspace.
 *  2. control round trip: write() -> dongle -> air -> toy -> air -> read()
 *     of a plaintext frame the toy answers at once (a HELLO too short to
 *     be one, answered by FAIL), against the loopback dongle's echo of
 *     the same frame (write() -> dongle -> read()); and a STATUS request
 *     through a session, libpawlink through pawlink.ko against
 *     libpawlink's air transport on the same air.
 *  3. goodput: a 60 s message (240 000 bytes) uploaded and downloaded
 *     with libpawlink through /dev/pawlinkN (pawsim dongle --air) and
 *     with libpawlink's air transport on the same `pawsim air`, same toy;
 *     kernel/air on the air's clock (target >= 0.95) and on the wall
 *     clock.  The two paths take turns, a session and one message each
 *     per round, so that both see the same load on the machine; the
 *     ratio is the median of the rounds' ratios.  A third path takes its
 *     turn too: libpawlink's libusb transport on the same dongle, the
 *     driver unbound from it for its round (sysfs unbind, then bind
 *     again), usb/kernel as the ratio (issue 14).
 *
 *   bench_kernel [SCALE]    multiplies the iteration counts (default 1)
 *
 * It reloads pawlink.ko (test_hooks=1 for the crypto, then as shipped)
 * and plugs its own dongles on UDC 0: run it where nothing else uses
 * them, as the lane's guest under tests/kernel/run --script.
 */
#include <sys/syscall.h>

#include <sodium.h>

#include <linux/pawlink_test.h>
#include <pawlink/pairing.h>

#include "common.h"
#include "procs.h"
#include "libpawlink.h"
#include "radio.h"

#define MSG_BYTES	240000		/* 60 s at 32 kbit/s, as bench_goodput */
#define ROUNDS		5		/* transfers per path, median of */
#define CRYPTO_ITERS	5000		/* seal+open pairs per size */
#define RTT_ITERS	200		/* round trips per figure */
#define STATUS_ITERS	20		/* per round */

static unsigned int scale = 1;

struct scene {
	char dir[64], sock[96], toy_dir[96], toy_log[96];
	char store_dev[96], store_air[96], store_usb[96];
	struct proc air, toy;
	struct dongle d;
	bool plugged;
	uint8_t toy_id[PAWLINK_ID_LEN];
	struct radio *clock;
	struct air_stats st;		/* the last answer */
	uint64_t rate;
};

static struct scene *live;

static void scene_stop(struct scene *s)
{
	if (s->plugged)
		dongle_stop(&s->d);
	s->plugged = false;
	stop_proc(&s->toy);
	stop_proc(&s->air);
	if (s->clock)
		radio_close(s->clock);
	s->clock = NULL;
	if (s->dir[0]) {
		const char *const rm[] = { "rm", "-rf", s->dir, NULL };

		run_cmd(rm);
		s->dir[0] = '\0';
	}
}

static void __attribute__((noreturn)) die(const char *what, const char *why)
{
	fprintf(stderr, "bench_kernel: %s: %s\n", what, why);
	if (live) {
		/* What the toy saw, for the report: its last lines. */
		const char *const tail[] = { "tail", "-n", "12", live->toy_log,
					     NULL };

		if (live->toy_log[0])
			run_cmd(tail);
		scene_stop(live);
	}
	exit(1);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of @n values (@v is left as it is). */
static double median(const double *v, size_t n)
{
	double *c = malloc(n * sizeof(*c)), m;

	if (!c)
		return 0;
	memcpy(c, v, n * sizeof(*c));
	qsort(c, n, sizeof(c[0]), cmp_double);
	m = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
	free(c);
	return m;
}

/* Unloads pawlink (no file may be open) and loads it with @args. */
static int reload(const char *args)
{
	char cmd[256];

	if (syscall(SYS_delete_module, "pawlink", O_NONBLOCK))
		return -errno;
	snprintf(cmd, sizeof(cmd), "/usr/sbin/modprobe pawlink %s", args);
	return system(cmd) ? -EIO : 0;
}

/* ---- 1. crypto ---------------------------------------------------------- */

static struct pawlink_test_seal ts;
static struct pawlink_test_open to;

/* ns per seal+open of @len bytes on @channel, in the kernel. */
static double kernel_seal_open(int fd, uint32_t channel, size_t len,
			       unsigned int iters)
{
	unsigned int i;
	double t0;

	memset(&ts, 0, sizeof(ts));
	randombytes_buf(ts.key, sizeof(ts.key));
	ts.epoch = 1;
	ts.channel = channel;
	ts.pt_len = (uint32_t)len;
	randombytes_buf(ts.pt, len);
	memset(&to, 0, sizeof(to));
	memcpy(to.key, ts.key, sizeof(to.key));
	to.epoch = 1;
	to.channel = channel;
	t0 = now_ns();
	for (i = 0; i < iters; i++) {
		ts.counter = i;
		if (ioctl(fd, PAWLINK_IOC_TEST_SEAL, &ts))
			die("PAWLINK_IOC_TEST_SEAL", strerror(errno));
		to.rec_len = ts.rec_len;
		memcpy(to.rec, ts.rec, ts.rec_len);
		if (ioctl(fd, PAWLINK_IOC_TEST_OPEN, &to))
			die("PAWLINK_IOC_TEST_OPEN", strerror(errno));
		if (to.verdict != PAWLINK_TEST_OK || to.pt_len != len)
			die("PAWLINK_IOC_TEST_OPEN", "record not accepted");
	}
	return (now_ns() - t0) / iters;
}

/*
 * ns per PAWLINK_IOC_TEST_OPEN of a 1-byte record, refused before any
 * crypto: the floor of one test-hook ioctl (its copies).
 */
static double kernel_ioctl_floor(int fd, unsigned int iters)
{
	unsigned int i;
	double t0;

	memset(&to, 0, sizeof(to));
	to.epoch = 1;
	to.channel = PAWLINK_CH_CTRL;
	to.rec_len = 1;
	t0 = now_ns();
	for (i = 0; i < iters; i++)
		if (ioctl(fd, PAWLINK_IOC_TEST_OPEN, &to) ||
		    to.verdict == PAWLINK_TEST_OK)
			die("PAWLINK_IOC_TEST_OPEN", "a 1-byte record opened");
	return (now_ns() - t0) / iters;
}

/* The same in userspace: libsodium, a 16-byte header as the AD. */
static double sodium_seal_open(size_t len, unsigned int iters)
{
	static uint8_t pt[PAWLINK_FRAME_MAX], ct[PAWLINK_RECORD_MAX],
		back[PAWLINK_FRAME_MAX];
	uint8_t key[crypto_aead_chacha20poly1305_ietf_KEYBYTES];
	uint8_t nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES] = { 0 };
	uint8_t ad[PAWLINK_REC_HDR_LEN] = { 0 };
	unsigned long long clen, plen;
	unsigned int i;
	double t0;

	randombytes_buf(key, sizeof(key));
	randombytes_buf(pt, len);
	t0 = now_ns();
	for (i = 0; i < iters; i++) {
		memcpy(nonce + 4, &i, sizeof(i));
		memcpy(ad + 8, &i, sizeof(i));
		crypto_aead_chacha20poly1305_ietf_encrypt(ct, &clen, pt, len,
							  ad, sizeof(ad), NULL,
							  nonce, key);
		if (crypto_aead_chacha20poly1305_ietf_decrypt(back, &plen,
							      NULL, ct, clen,
							      ad, sizeof(ad),
							      nonce, key) ||
		    plen != len)
			die("libsodium", "did not open its own record");
	}
	sodium_memzero(key, sizeof(key));
	return (now_ns() - t0) / iters;
}

/*
 * Seal plus open of @len bytes, kernel and libsodium, and of an empty
 * record (what a record costs whatever its length: the ioctls and their
 * copies, the Poly1305 key, the header): BATCHES alternating batches,
 * the median of each.  Per record, per byte, and per byte beyond the
 * empty record (the cipher and MAC alone).
 */
#define BATCHES	5
static void crypto_one(int fd, const char *what, uint32_t channel, size_t len)
{
	unsigned int iters = CRYPTO_ITERS * scale / BATCHES, b;
	double k[BATCHES], k0[BATCHES], u[BATCHES], u0[BATCHES];
	double km, k0m, um, u0m, kb, ub;

	kernel_seal_open(fd, channel, len, 50);
	sodium_seal_open(len, 50);
	for (b = 0; b < BATCHES; b++) {
		k[b] = kernel_seal_open(fd, channel, len, iters);
		u[b] = sodium_seal_open(len, iters);
		k0[b] = kernel_seal_open(fd, channel, 0, iters);
		u0[b] = sodium_seal_open(0, iters);
	}
	km = median(k, BATCHES);
	k0m = median(k0, BATCHES);
	um = median(u, BATCHES);
	u0m = median(u0, BATCHES);
	printf("crypto   %-15s seal+open: kernel %6.1f us = %6.1f ns/B, "
	       "libsodium %6.1f us = %6.1f ns/B; kernel/libsodium %.2f\n",
	       what, km / 1e3, km / (double)len, um / 1e3, um / (double)len,
	       km / um);
	kb = (km - k0m) / (double)len;
	ub = (um - u0m) / (double)len;
	printf("crypto   %-15s beyond an empty record (kernel %.1f us, "
	       "libsodium %.1f us): kernel %6.1f ns/B, libsodium %6.1f ns/B; "
	       "kernel/libsodium %.2f\n",
	       what, k0m / 1e3, u0m / 1e3, kb, ub, kb / ub);
}

/* ns per write() -> read() of @len bytes on @fd (an echo or an answer). */
static double frame_rtt(int fd, const uint8_t *out, size_t len,
			size_t want_len, unsigned int iters)
{
	uint8_t in[PAWLINK_FRAME_MAX];
	double *t = calloc(iters, sizeof(*t)), m;
	unsigned int i;

	if (!t)
		die("calloc", "out of memory");
	for (i = 0; i < iters; i++) {
		double t0 = now_ns();

		if (write(fd, out, len) != (ssize_t)len)
			die("write", strerror(errno));
		if (read_frame(fd, in, sizeof(in)) != (ssize_t)want_len)
			die("read", "not the frame expected");
		t[i] = now_ns() - t0;
	}
	m = median(t, iters);
	free(t);
	return m;
}

/* The loopback dongle, test hooks on: crypto, and the echo baseline. */
static double loopback_part(void)
{
	static const uint8_t hello[] = {
		PAWLINK_PAIR_MSG_HELLO, PAWLINK_PAIR_VERSION, 0, 0
	};
	struct dongle d;
	double echo;
	int fd, err;

	err = reload("test_hooks=1");
	if (err)
		die("modprobe pawlink test_hooks=1", strerror(-err));
	fd = dongle_open(&d, 0, NULL, 0);
	if (fd < 0)
		die("loopback dongle", strerror(-fd));
	crypto_one(fd, "audio 320 B", PAWLINK_CH_AUDIO, 320);
	crypto_one(fd, "control 1024 B", PAWLINK_CH_CTRL, 1024);
	kernel_ioctl_floor(fd, 50);
	printf("crypto   one test-hook ioctl that seals or opens nothing "
	       "(a 1-byte record): %.1f us\n",
	       kernel_ioctl_floor(fd, CRYPTO_ITERS * scale) / 1e3);
	frame_rtt(fd, hello, sizeof(hello), sizeof(hello), 20);
	echo = frame_rtt(fd, hello, sizeof(hello), sizeof(hello),
			 RTT_ITERS * scale);
	dongle_close(&d, fd);
	err = reload("");
	if (err)
		die("modprobe pawlink", strerror(-err));
	return echo;
}

/* ---- the air scene ------------------------------------------------------ */

static uint64_t air_now(struct scene *s)
{
	if (radio_air_stats(s->clock, &s->st))
		die("air stats", "no answer");
	s->rate = s->st.rate_bps;
	return s->st.now_ns;
}

static void press(struct scene *s)
{
	const char *const argv[] = {
		"pawsim", "toy", "--dir", s->toy_dir, "press", NULL
	};

	if (run_cmd(argv))
		die("pawsim toy press", "failed");
}

static void scene_open(struct scene *s)
{
	memset(s, 0, sizeof(*s));
	live = s;
	strcpy(s->dir, "/tmp/bench-kernel.XXXXXX");
	if (!mkdtemp(s->dir))
		die("mkdtemp", strerror(errno));
	str_fmt(s->sock, sizeof(s->sock), "%s/air.sock", s->dir);
	str_fmt(s->toy_dir, sizeof(s->toy_dir), "%s/toy", s->dir);
	str_fmt(s->toy_log, sizeof(s->toy_log), "%s/toy.log", s->dir);
	str_fmt(s->store_dev, sizeof(s->store_dev), "%s/host-dev", s->dir);
	str_fmt(s->store_air, sizeof(s->store_air), "%s/host-air", s->dir);
	str_fmt(s->store_usb, sizeof(s->store_usb), "%s/host-usb", s->dir);
	{
		const char *const air[] = {
			"pawsim", "air", "--socket", s->sock, NULL
		};

		if (start_ready(&s->air, air, NULL))
			die("pawsim air", "did not start");
	}
	{
		const char *const toy[] = {
			"pawsim", "toy", "--air", s->sock, "--dir",
			s->toy_dir, NULL
		};

		if (start_ready(&s->toy, toy, s->toy_log))
			die("pawsim toy", "did not start");
	}
	if (toy_id_from_log(s->toy_log, s->toy_id))
		die("pawsim toy", "no id in its log");
	if (radio_open(s->sock, 0, &s->clock))
		die("radio", "cannot join the air");
	setenv("PAWLINK_TEST_AIR", s->sock, 1);
	if (dongle_plug(&s->d, 0, NULL, 0))
		die("pawsim dongle --air", "did not come up");
	unsetenv("PAWLINK_TEST_AIR");
	s->plugged = true;
}

/* write() -> toy -> read() through pawlink.ko, plaintext (no session). */
static double toy_rtt(struct scene *s)
{
	static const uint8_t hello[] = {
		PAWLINK_PAIR_MSG_HELLO, PAWLINK_PAIR_VERSION, 0, 0
	};
	struct pawlink_connect c = { 0 };
	long end = now_ms() + WAIT_MS;
	struct pawlink_scan scan;
	bool heard = false;
	double rtt;
	__u32 i;
	int fd;

	fd = open(s->d.node, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die(s->d.node, strerror(errno));
	while (!heard && now_ms() < end) {
		memset(&scan, 0, sizeof(scan));
		if (ioctl(fd, PAWLINK_IOC_SCAN, &scan))
			die("PAWLINK_IOC_SCAN", strerror(errno));
		for (i = 0; i < scan.count && i < PAWLINK_SCAN_MAX; i++)
			heard |= !memcmp(scan.beacons[i].toy_id, s->toy_id,
					 PAWLINK_ID_LEN);
	}
	if (!heard)
		die("scan", "the dongle does not hear the toy");
	memcpy(c.toy_id, s->toy_id, PAWLINK_ID_LEN);
	if (ioctl(fd, PAWLINK_IOC_CONNECT, &c) ||
	    intf_attr_wait(&s->d, "link_state", "connected"))
		die("PAWLINK_IOC_CONNECT", "no link");
	frame_rtt(fd, hello, sizeof(hello), 4, 10);
	rtt = frame_rtt(fd, hello, sizeof(hello), 4, RTT_ITERS * scale);
	ioctl(fd, PAWLINK_IOC_DISCONNECT, 0);
	intf_attr_wait(&s->d, "link_state", "idle");
	close(fd);
	return rtt;
}

struct path {
	const char *name;
	bool device;
	bool usb;			/* libusb: opened per round */
	struct pawlink *p;
	/* Per round: seconds on the air's clock and the wall's, STATUS ns. */
	double put_air[ROUNDS], get_air[ROUNDS], put_wall[ROUNDS],
		get_wall[ROUNDS], status_ns[ROUNDS];
	/* On the air during the transfers, per direction: frames, overruns. */
	uint64_t frames[2], overrun[2];
	/* pawlink.ko's counters over the rounds (kernel only). */
	uint64_t rx_records, rx_queue_full, rx_dropped_other;
};

static const char *const other_drops[] = {
	"rx_dropped_malformed", "rx_dropped_overflow", "rx_dropped_plaintext",
	"rx_dropped_auth", "rx_dropped_replay", "rx_dropped_epoch",
	"rx_dropped_length",
};

/* pawlink.ko's receive counters into @r (added with @sign). */
static void driver_counters(struct scene *s, struct path *r, int sign)
{
	size_t i;

	if (!r->device)
		return;
	r->rx_records += (uint64_t)sign * stat_get(&s->d, "rx_records");
	r->rx_queue_full += (uint64_t)sign *
			    stat_get(&s->d, "rx_dropped_queue_full");
	for (i = 0; i < sizeof(other_drops) / sizeof(other_drops[0]); i++)
		r->rx_dropped_other += (uint64_t)sign *
				       stat_get(&s->d, other_drops[i]);
}

/*
 * The code that pairs the next host: the printed one after the button
 * while the toy has no host, else a one-time code that @inviter, paired
 * already, asks the toy for in a session of its own (issue 11: a claimed
 * toy pairs new hosts only by invitation).
 */
static void pairing_code(struct scene *s, struct path *inviter, char *code,
			 size_t len)
{
	char label[160], invite[PAWLINK_INVITE_CODE_SIZE];

	if (inviter) {
		if (pawlink_connect(inviter->p, s->toy_id, NULL))
			die("connect to invite", pawlink_error(inviter->p));
		if (pawlink_invite(inviter->p, "bench", invite, NULL))
			die("invite", pawlink_error(inviter->p));
		if (pawlink_disconnect(inviter->p))
			die("disconnect after invite", pawlink_error(inviter->p));
		str_fmt(code, len, "%s", invite);
		sodium_memzero(invite, sizeof(invite));
		return;
	}
	press(s);
	str_fmt(label, sizeof(label), "%s/label", s->toy_dir);
	if (read_text(label, code, len))
		die("label", "unreadable");
	code[strcspn(code, "\n")] = '\0';
}

/*
 * libpawlink through pawlink.ko (@device) or on the air itself, paired
 * with the toy (a store of its own; the button pressed for the first,
 * @inviter's invitation for the second).
 */
static void path_open(struct scene *s, struct path *r, bool device,
		      struct path *inviter)
{
	struct pawlink_beacon b[4];
	char err[256], code[32];
	size_t nb = 0;
	int tries;

	memset(r, 0, sizeof(*r));
	r->device = device;
	r->name = device ? "kernel" : "air";
	if (pawlink_open(&r->p, device ? s->store_dev : s->store_air, err,
			 sizeof(err)))
		die("pawlink_open", err);
	if (device ? pawlink_attach_device(r->p, s->d.node) :
		     pawlink_attach_air(r->p, s->sock))
		die(device ? "pawlink_attach_device" : "pawlink_attach_air",
		    pawlink_error(r->p));
	for (tries = 0; tries < 20 && !nb; tries++)
		if (pawlink_scan(r->p, 500, b, 4, &nb))
			die("scan", pawlink_error(r->p));
	if (!nb)
		die("scan", "no toy");
	pairing_code(s, inviter, code, sizeof(code));
	if (pawlink_pair(r->p, s->toy_id, code, ""))
		die("pair", pawlink_error(r->p));
	sodium_memzero(code, sizeof(code));
}

/*
 * pawlink.ko let go of the dongle (@bound false: sysfs unbind, until the
 * interface has no driver) or bound to it again (until its node is back).
 * The libusb path's usbfs node goes to @usb.
 */
static void driver_bind(struct scene *s, bool bound, char *usb, size_t len)
{
	char path[512], bus[16], dev[16];
	const char *intf = strrchr(s->d.intf, '/') + 1;
	int fd;

	str_fmt(path, sizeof(path), "/sys/bus/usb/drivers/pawlink/%s",
		bound ? "bind" : "unbind");
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, intf, strlen(intf)) < 0)
		die(path, strerror(errno));
	close(fd);
	if (bound ? dongle_wait_bound(&s->d) : intf_wait_unbound(s->d.intf))
		die(path, "the driver did not follow");
	if (bound)
		return;
	str_fmt(path, sizeof(path), "%s/../busnum", s->d.intf);
	if (read_text(path, bus, sizeof(bus)))
		die(path, "unreadable");
	str_fmt(path, sizeof(path), "%s/../devnum", s->d.intf);
	if (read_text(path, dev, sizeof(dev)))
		die(path, "unreadable");
	str_fmt(usb, len, "/dev/bus/usb/%03d/%03d", atoi(bus), atoi(dev));
}

/* libpawlink through libusb on the dongle, pawlink.ko unbound from it. */
static void usb_attach(struct scene *s, struct path *r)
{
	char err[256], usb[64];

	driver_bind(s, false, usb, sizeof(usb));
	if (pawlink_open(&r->p, s->store_usb, err, sizeof(err)))
		die("pawlink_open", err);
	if (pawlink_attach_device(r->p, usb))
		die("pawlink_attach_device (libusb)", pawlink_error(r->p));
}

/* Its round done: the dongle back to pawlink.ko. */
static void usb_detach(struct scene *s, struct path *r)
{
	pawlink_close(r->p);
	r->p = NULL;
	driver_bind(s, true, NULL, 0);
}

/*
 * The kernel path through the node pawlink.ko has now: the libusb path's
 * rounds unbind the driver, which takes the node with it, so the kernel
 * path lets go after each round too.
 */
static void dev_attach(struct scene *s, struct path *r)
{
	char err[256];

	if (pawlink_open(&r->p, s->store_dev, err, sizeof(err)))
		die("pawlink_open", err);
	if (pawlink_attach_device(r->p, s->d.node))
		die("pawlink_attach_device", pawlink_error(r->p));
}

/*
 * The libusb path paired by @inviter's invitation (the kernel path's,
 * which lets go of the dongle then), then let go.
 */
static void usb_path_open(struct scene *s, struct path *r,
			  struct path *inviter)
{
	char code[32];

	memset(r, 0, sizeof(*r));
	r->usb = true;
	r->name = "usb";
	pairing_code(s, inviter, code, sizeof(code));
	pawlink_close(inviter->p);
	inviter->p = NULL;
	usb_attach(s, r);
	if (pawlink_pair(r->p, s->toy_id, code, ""))
		die("pair (libusb)", pawlink_error(r->p));
	sodium_memzero(code, sizeof(code));
	usb_detach(s, r);
}

/*
 * Round @i on path @r: a session, one upload and one download of a new
 * random message (then deleted), STATUS_ITERS STATUS requests, the end of
 * the session.
 */
static void path_round(struct scene *s, struct path *r, unsigned int i,
		       uint8_t *obj, double *t)
{
	unsigned int n = STATUS_ITERS * scale, k;
	struct pawlink_toy_status_info st;
	struct pawlink_msg_info info;
	struct pawlink *p = r->p;
	uint64_t a0, f0, o0;
	uint8_t *back;
	size_t len;
	double w0;

	if (r->usb)
		usb_attach(s, r);
	else if (r->device && !r->p)
		dev_attach(s, r);
	p = r->p;
	if (pawlink_connect(p, s->toy_id, NULL))
		die("connect", pawlink_error(p));
	driver_counters(s, r, -1);
	randombytes_buf(obj, MSG_BYTES);
	a0 = air_now(s);
	f0 = s->st.frames;
	o0 = s->st.overrun;
	w0 = now_ns();
	if (pawlink_upload(p, obj, MSG_BYTES, 60000, &info))
		die("upload", pawlink_error(p));
	r->put_wall[i] = (now_ns() - w0) / 1e9;
	r->put_air[i] = (double)(air_now(s) - a0) / 1e9;
	r->frames[0] += s->st.frames - f0;
	r->overrun[0] += s->st.overrun - o0;
	a0 = s->st.now_ns;
	f0 = s->st.frames;
	o0 = s->st.overrun;
	w0 = now_ns();
	if (pawlink_download(p, info.id, &back, &len, NULL))
		die("download", pawlink_error(p));
	r->get_wall[i] = (now_ns() - w0) / 1e9;
	r->get_air[i] = (double)(air_now(s) - a0) / 1e9;
	r->frames[1] += s->st.frames - f0;
	r->overrun[1] += s->st.overrun - o0;
	driver_counters(s, r, 1);
	if (len != MSG_BYTES || memcmp(back, obj, len))
		die("download", "different bytes");
	free(back);
	if (pawlink_delete(p, info.id))
		die("delete", pawlink_error(p));
	for (k = 0; k < n; k++) {
		w0 = now_ns();
		if (pawlink_status(p, &st))
			die("status", pawlink_error(p));
		t[k] = now_ns() - w0;
	}
	r->status_ns[i] = median(t, n);
	if (pawlink_disconnect(p))
		die("disconnect", pawlink_error(p));
	if (r->usb) {
		usb_detach(s, r);
	} else if (r->device) {
		pawlink_close(p);
		r->p = NULL;
	}
}

int main(int argc, char **argv)
{
	double put[ROUNDS], get[ROUNDS], put_w[ROUNDS], get_w[ROUNDS];
	double upu[ROUNDS], ugu[ROUNDS], uput_w[ROUNDS], uget_w[ROUNDS];
	double echo, toy, airtime, kstat, astat, *t;
	static struct path kern, air, usb;
	unsigned int i;
	struct scene s;
	uint8_t *obj;

	if (argc > 1)
		scale = (unsigned int)strtoul(argv[1], NULL, 10);
	if (!scale)
		scale = 1;
	if (sodium_init() < 0)
		return 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("bench_kernel: pawlink.ko in the guest (%s speed), "
	       "every figure against a baseline of this run\n",
	       lane_speed());

	echo = loopback_part();

	scene_open(&s);
	toy = toy_rtt(&s);
	printf("rtt      plaintext frame write()->toy->read() %8.1f us, "
	       "loopback dongle echo %8.1f us, toy/echo %.2f\n",
	       toy / 1e3, echo / 1e3, toy / echo);

	path_open(&s, &kern, true, NULL);
	path_open(&s, &air, false, &kern);
	usb_path_open(&s, &usb, &kern);
	obj = malloc(MSG_BYTES);
	t = calloc(STATUS_ITERS * scale, sizeof(*t));
	if (!obj || !t)
		die("malloc", "out of memory");
	/* Round by round, so that both paths see the same load. */
	for (i = 0; i < ROUNDS; i++) {
		path_round(&s, &kern, i, obj, t);
		path_round(&s, &air, i, obj, t);
		path_round(&s, &usb, i, obj, t);
	}
	free(t);
	free(obj);
	pawlink_close(kern.p);
	pawlink_close(air.p);
	for (i = 0; i < ROUNDS; i++) {
		put[i] = air.put_air[i] / kern.put_air[i];
		get[i] = air.get_air[i] / kern.get_air[i];
		put_w[i] = air.put_wall[i] / kern.put_wall[i];
		get_w[i] = air.get_wall[i] / kern.get_wall[i];
		/* Goodput usb/kernel: the kernel's time over the usb path's. */
		upu[i] = kern.put_air[i] / usb.put_air[i];
		ugu[i] = kern.get_air[i] / usb.get_air[i];
		uput_w[i] = kern.put_wall[i] / usb.put_wall[i];
		uget_w[i] = kern.get_wall[i] / usb.get_wall[i];
	}
	kstat = median(kern.status_ns, ROUNDS);
	astat = median(air.status_ns, ROUNDS);
	printf("rtt      STATUS in a session: kernel %8.1f us, "
	       "air transport %8.1f us, kernel/air %.2f, kernel/echo %.2f\n",
	       kstat / 1e3, astat / 1e3, kstat / astat, kstat / echo);
	airtime = (double)MSG_BYTES * 8 / (double)s.rate;
	printf("goodput  %d B message, air at %.1f Mbit/s (airtime %.2f s), "
	       "%d rounds, each path in turn; medians\n", MSG_BYTES, (double)s.rate / 1e6, airtime,
	       ROUNDS);
	printf("goodput  upload:   kernel %.3f, air %.3f of the rate (air "
	       "clock); kernel/air %.3f (air clock), %.3f (wall clock)\n",
	       airtime / median(kern.put_air, ROUNDS),
	       airtime / median(air.put_air, ROUNDS), median(put, ROUNDS),
	       median(put_w, ROUNDS));
	printf("goodput  download: kernel %.3f, air %.3f of the rate (air "
	       "clock); kernel/air %.3f (air clock), %.3f (wall clock)\n",
	       airtime / median(kern.get_air, ROUNDS),
	       airtime / median(air.get_air, ROUNDS), median(get, ROUNDS),
	       median(get_w, ROUNDS));
	printf("goodput  kernel/air per round (air clock), upload:");
	for (i = 0; i < ROUNDS; i++)
		printf(" %.3f", put[i]);
	printf("; download:");
	for (i = 0; i < ROUNDS; i++)
		printf(" %.3f", get[i]);
	printf("\n");
	printf("goodput  air frames (overruns: a radio that did not read in "
	       "time) per %d uploads: kernel %llu (%llu), air %llu (%llu); "
	       "per %d downloads: kernel %llu (%llu), air %llu (%llu)\n",
	       ROUNDS, (unsigned long long)kern.frames[0],
	       (unsigned long long)kern.overrun[0],
	       (unsigned long long)air.frames[0],
	       (unsigned long long)air.overrun[0], ROUNDS,
	       (unsigned long long)kern.frames[1],
	       (unsigned long long)kern.overrun[1],
	       (unsigned long long)air.frames[1],
	       (unsigned long long)air.overrun[1]);
	printf("goodput  libusb path (pawlink.ko unbound): upload %.3f, "
	       "download %.3f of the rate (air clock); usb/kernel upload "
	       "%.3f (air clock) %.3f (wall), download %.3f (air clock) "
	       "%.3f (wall); frames per %d uploads %llu, downloads %llu\n",
	       airtime / median(usb.put_air, ROUNDS),
	       airtime / median(usb.get_air, ROUNDS), median(upu, ROUNDS),
	       median(uput_w, ROUNDS), median(ugu, ROUNDS),
	       median(uget_w, ROUNDS), ROUNDS,
	       (unsigned long long)usb.frames[0],
	       (unsigned long long)usb.frames[1]);
	printf("goodput  usb/kernel per round (air clock), upload:");
	for (i = 0; i < ROUNDS; i++)
		printf(" %.3f", upu[i]);
	printf("; download:");
	for (i = 0; i < ROUNDS; i++)
		printf(" %.3f", ugu[i]);
	printf("\n");
	printf("rtt      STATUS in a session through libusb %8.1f us, "
	       "usb/kernel %.2f\n", median(usb.status_ns, ROUNDS) / 1e3,
	       median(usb.status_ns, ROUNDS) / kstat);
	printf("goodput  pawlink.ko over the kernel path: %llu records "
	       "received, %llu dropped with its queue full (reader too slow), "
	       "%llu dropped otherwise\n",
	       (unsigned long long)kern.rx_records,
	       (unsigned long long)kern.rx_queue_full,
	       (unsigned long long)kern.rx_dropped_other);
	scene_stop(&s);
	live = NULL;
	return 0;
}
