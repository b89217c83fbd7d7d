// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzzing dongle against pawlink.ko (issue 13a;
 * Documentation/testing.rst, "The fuzzing dongle").
 *
 * Each iteration is one seed: `pawsim dongle --fuzz SEED` plugs a dongle
 * whose descriptors, EP0 replies, records, events, timing and unplug point
 * all come from the seed (raw gadget, so nothing checks what it sends),
 * while this program uses whatever the driver makes of it: the node's
 * ioctls, reads and writes, keys, the sound card through alsa-lib.  The
 * dongle unplugs itself at its seeded point.  After each iteration: the
 * device is gone (interface, node), and no kernel report appeared.  After
 * all of them: nothing bound to pawlink, the module unused, and a plain
 * dongle gets minor 0 back and answers.
 *
 * The regression seeds (dongle_fuzz_seeds.h) run first, then
 * PAWLINK_FUZZ_ITERATIONS fresh seeds from the base PAWLINK_FUZZ_SEED
 * (printed; random when not given), on PAWLINK_FUZZ_WORKERS UDCs at once,
 * for at most PAWLINK_FUZZ_SECONDS (0: no limit).  A failure prints the
 * command that replays its seed.
 */
#include <alsa/asoundlib.h>

#include "kselftest_harness.h"
#include "common.h"
#include "dongle_fuzz_seeds.h"
#include "procs.h"

#define RAW_GADGET		"/dev/raw-gadget"
#define RAW_GADGET_KO		"/lane/raw_gadget.ko"
#define FUZZ_ITERATIONS_DEFAULT	100
#define FUZZ_WORKERS_DEFAULT	2
#define FUZZ_SECONDS_DEFAULT	200
/*
 * The dongle unplugs itself within its give-up time (3 s) or its seeded
 * point (1.5 s after configuration); one still there after this is hung.
 */
#define FUZZ_DONGLE_LIMIT_MS	20000

/* What the lane calls a kernel report (tests/kernel/lane/verdict.awk). */
static const char *const kernel_reports[] = {
	"WARNING:", "BUG:", "Oops", "KASAN", "UBSAN:", "KFENCE",
	"general protection", "refcount_t", "sleeping function called",
	"possible circular", "inconsistent lock", "possible recursive",
	"list_add corruption", "list_del corruption", "kmemleak", NULL,
};

/* The host side's own choices: xorshift64*, seeded from the seed. */
struct host_rng {
	uint64_t s;
};

static uint32_t host_below(struct host_rng *r, uint32_t n)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return (uint32_t)(((r->s * 0x2545f4914f6cdd1dULL) >> 32) % n);
}

struct tally {
	unsigned long iterations, bound, opened, pcm_opened, pcm_refused, keyed;
	unsigned long pcm_unkeyed;
	unsigned long ioctls, writes, reads;
};

static void kmsg_note(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static void kmsg_note(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int fd;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, line, strlen(line)) < 0)
		fprintf(stderr, "# /dev/kmsg: %s\n", strerror(errno));
	close(fd);
}

/* True when this program loaded raw_gadget.ko: Debian's kernel. */
static bool raw_gadget_module;

static void print_replay(uint64_t seed)
{
	char knobs[160];

	str_fmt(knobs, sizeof(knobs), "PAWLINK_FUZZ_SEED=%llu "
		"PAWLINK_FUZZ_ITERATIONS=1 PAWLINK_FUZZ_WORKERS=1 "
		"PAWLINK_FUZZ_REGRESSIONS=0", (unsigned long long)seed);
	if (raw_gadget_module)
		fprintf(stderr, "# replay: tests/kernel/run --speed %s --test "
			"dongle_fuzz --extra-file \"$(tests/kernel/"
			"raw-gadget-build | tail -n 1)\":" RAW_GADGET_KO
			" --append '%s'\n", lane_speed(), knobs);
	else
		fprintf(stderr, "# replay: tests/kernel/debug-lane --no-canary "
			"--speed %s --test dongle_fuzz --append '%s'\n",
			lane_speed(), knobs);
}

/* A kernel report logged since @fd was opened, into @line. */
static bool kmsg_report(int fd, char *line, size_t len)
{
	char rec[1024], *text;
	ssize_t n;
	int i;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;
		if (n <= 0)
			return false;
		rec[n] = '\0';
		/* the text after /dev/kmsg's "level,seq,usec,flags;" */
		text = strchr(rec, ';') ? strchr(rec, ';') + 1 : rec;
		for (i = 0; kernel_reports[i]; i++) {
			if (strstr(text, kernel_reports[i])) {
				str_fmt(line, len, "%s", text);
				return true;
			}
		}
	}
}

/* The first path matching @pattern, into @out. */
static bool glob_first(const char *pattern, char *out, size_t len)
{
	bool found = false;
	glob_t g;

	if (glob(pattern, 0, NULL, &g) == 0)
		found = str_fmt(out, len, "%s", g.gl_pathv[0]);
	globfree(&g);
	return found;
}

/* Anything of the fuzz dongle's on UDC @udc still seen by the host? */
static bool udc_has_device(int udc)
{
	char pattern[128], path[512];

	str_fmt(pattern, sizeof(pattern),
		"/sys/devices/platform/dummy_hcd.%d/usb*/*-1", udc);
	return glob_first(pattern, path, sizeof(path));
}

static bool udc_node(int udc, char *node, size_t len, int *card)
{
	char pattern[160], path[512], *name;

	str_fmt(pattern, sizeof(pattern), "/sys/devices/platform/dummy_hcd.%d"
		"/usb*/*-1/*-1:1.*/usbmisc/pawlink*", udc);
	if (!glob_first(pattern, path, sizeof(path)))
		return false;
	name = strrchr(path, '/') + 1;
	if (!str_fmt(node, len, "/dev/%s", name))
		return false;
	str_fmt(pattern, sizeof(pattern), "/sys/devices/platform/dummy_hcd.%d"
		"/usb*/*-1/*-1:1.*/sound/card*", udc);
	*card = glob_first(pattern, path, sizeof(path)) ?
		atoi(strrchr(path, '/') + strlen("/card")) : -1;
	return true;
}

/* alsa-lib's own complaints about a card unplugged under it: expected. */
static void alsa_quiet(const char *file, int line, const char *function,
		       int err, const char *fmt, ...)
{
	(void)file;
	(void)line;
	(void)function;
	(void)err;
	(void)fmt;
}

/* Opens the card's PCM and moves a few periods, whatever it says. */
static void exercise_pcm(struct host_rng *r, int card, struct tally *t)
{
	snd_pcm_stream_t dir = host_below(r, 2) ? SND_PCM_STREAM_CAPTURE :
				SND_PCM_STREAM_PLAYBACK;
	int16_t period[160] = { 0 };
	snd_pcm_t *pcm;
	char dev[32];
	int i, err;

	if (card < 0)
		return;
	str_fmt(dev, sizeof(dev), "hw:%d,0", card);
	err = snd_pcm_open(&pcm, dev, dir, SND_PCM_NONBLOCK);
	if (err < 0) {
		t->pcm_refused++;
		/* not keyed, or past that: the toy's answer never came */
		t->pcm_unkeyed += err == -ENOTCONN;
		return;
	}
	t->pcm_opened++;
	if (snd_pcm_set_params(pcm, SND_PCM_FORMAT_S16_LE,
			       SND_PCM_ACCESS_RW_INTERLEAVED, 1, 16000, 0,
			       100000) == 0) {
		for (i = 0; i < (int)host_below(r, 8); i++) {
			if (dir == SND_PCM_STREAM_PLAYBACK)
				snd_pcm_writei(pcm, period, 160);
			else
				snd_pcm_readi(pcm, period, 160);
			if (i == 0)
				snd_pcm_start(pcm);
			sleep_ms(host_below(r, 20));
		}
		if (host_below(r, 2))
			snd_pcm_drop(pcm);
	}
	snd_pcm_close(pcm);
}

/* Random keys; once taken, mostly the sound card right after. */
static void install_keys(struct host_rng *r, int fd, int card,
			 struct tally *t)
{
	struct pawlink_key_install keys;
	size_t i;

	memset(&keys, 0, sizeof(keys));
	keys.version = PAWLINK_KEYS_VERSION;
	keys.epoch = 1 + host_below(r, 3);
	keys.flags = host_below(r, 4) ? 0 : PAWLINK_KEYS_REKEY;
	for (i = 0; i < sizeof(keys.h2t_ctrl); i++)
		keys.h2t_ctrl[i] = (uint8_t)host_below(r, 256);
	t->ioctls++;
	if (ioctl(fd, PAWLINK_IOC_SET_KEYS, &keys))
		return;
	t->keyed++;
	if (host_below(r, 4))
		exercise_pcm(r, card, t);
}

/* One thing done to the node, chosen by the host's stream. */
static void exercise_node(struct host_rng *r, int fd, int card,
			  struct tally *t)
{
	union {
		struct pawlink_info info;
		struct pawlink_stats stats;
		struct pawlink_scan scan;
		struct pawlink_connect connect;
		struct pawlink_key_install keys;
		uint8_t frame[PAWLINK_FRAME_MAX];
	} u;
	uint32_t i, len;

	memset(&u, 0, sizeof(u));
	switch (host_below(r, 12)) {
	case 0:
		t->ioctls++;
		ioctl(fd, PAWLINK_IOC_GET_INFO, &u.info);
		break;
	case 1:
		t->ioctls++;
		ioctl(fd, PAWLINK_IOC_GET_STATS, &u.stats);
		break;
	case 2:
		t->ioctls++;
		ioctl(fd, PAWLINK_IOC_SCAN, &u.scan);
		break;
	case 3:
		t->ioctls++;
		for (i = 0; i < PAWLINK_ID_LEN; i++)
			u.connect.toy_id[i] = (uint8_t)host_below(r, 256);
		if (ioctl(fd, PAWLINK_IOC_CONNECT, &u.connect) == 0 &&
		    host_below(r, 2)) {
			/* go on to a session, as a user would */
			sleep_ms(20);
			install_keys(r, fd, card, t);
		}
		break;
	case 4:
		t->ioctls++;
		ioctl(fd, PAWLINK_IOC_DISCONNECT);
		break;
	case 5:
	case 6:
		t->writes++;
		len = 1 + host_below(r, PAWLINK_FRAME_MAX);
		for (i = 0; i < len; i++)
			u.frame[i] = (uint8_t)host_below(r, 256);
		if (write(fd, u.frame, len) < 0 && errno == EINTR)
			break;
		break;
	case 7:
		t->reads++;
		if (read(fd, u.frame, sizeof(u.frame)) < 0 && errno == EINTR)
			break;
		break;
	case 8:
		install_keys(r, fd, card, t);
		break;
	case 9:
	case 10:
		exercise_pcm(r, card, t);
		break;
	default:
		poll_one(fd, POLLIN | POLLOUT, (int)host_below(r, 20));
		break;
	}
}

/* Starts `pawsim dongle --fuzz SEED --udc dummy_udc.UDC`. */
static pid_t start_fuzz_dongle(int udc, uint64_t seed)
{
	const char *pawsim = getenv("PAWSIM") ? getenv("PAWSIM") : "pawsim";
	char seed_arg[32], udc_arg[32], log[64];
	pid_t pid;
	int fd;

	str_fmt(seed_arg, sizeof(seed_arg), "%llu", (unsigned long long)seed);
	str_fmt(udc_arg, sizeof(udc_arg), "dummy_udc.%d", udc);
	str_fmt(log, sizeof(log), "/tmp/dongle-fuzz-udc%d.log", udc);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd >= 0)
			dup2(fd, STDERR_FILENO);
		execlp(pawsim, pawsim, "dongle", "--fuzz", seed_arg, "--udc",
		       udc_arg, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static void print_dongle_log(int udc)
{
	char path[64], text[2048];

	str_fmt(path, sizeof(path), "/tmp/dongle-fuzz-udc%d.log", udc);
	if (!read_text(path, text, sizeof(text)))
		fprintf(stderr, "# dongle said: %s\n", text);
}

/* One iteration; 0 or -1 after saying what went wrong. */
static int fuzz_one(int udc, uint64_t seed, struct tally *t)
{
	struct host_rng r = { .s = seed * 0x9e3779b97f4a7c15ULL | 1 };
	long end = now_ms() + FUZZ_DONGLE_LIMIT_MS;
	int kmsg, fd = -1, card = -1, status = 0;
	char node[64], line[1024];
	bool bound = false;
	pid_t pid;

	kmsg = kmsg_open();
	kmsg_note("pawlink-fuzz: udc %d seed %llu\n", udc,
		  (unsigned long long)seed);
	pid = start_fuzz_dongle(udc, seed);
	if (pid < 0) {
		fprintf(stderr, "# fork: %s\n", strerror(errno));
		close(kmsg);
		return -1;
	}
	t->iterations++;
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (now_ms() > end) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			fprintf(stderr, "# seed %llu: the fuzz dongle did not "
				"unplug within %d ms\n",
				(unsigned long long)seed, FUZZ_DONGLE_LIMIT_MS);
			status = -1;
			break;
		}
		if (fd < 0 && udc_node(udc, node, sizeof(node), &card)) {
			if (!bound)
				t->bound++;
			bound = true;
			fd = open(node, O_RDWR | O_NONBLOCK | O_CLOEXEC);
			if (fd >= 0)
				t->opened++;
		}
		if (fd >= 0) {
			exercise_node(&r, fd, card, t);
			/* unplugged under us: let it go, find the next */
			if (fcntl(fd, F_GETFD) >= 0 &&
			    poll_one(fd, 0, 0) & (POLLHUP | POLLERR)) {
				close(fd);
				fd = -1;
			}
		} else {
			sleep_ms(POLL_STEP_MS);
		}
	}
	if (fd >= 0)
		close(fd);

	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "# seed %llu: pawsim dongle --fuzz ended with "
			"status 0x%x\n", (unsigned long long)seed, status);
		print_dongle_log(udc);
		goto fail_close_kmsg;
	}
	/* the device released: interface and node gone */
	end = now_ms() + WAIT_MS;
	while (udc_has_device(udc) || (bound && !access(node, F_OK))) {
		if (now_ms() > end) {
			fprintf(stderr, "# seed %llu: the device on UDC %d is "
				"still there after the unplug\n",
				(unsigned long long)seed, udc);
			goto fail_close_kmsg;
		}
		sleep_ms(POLL_STEP_MS);
	}
	if (kmsg >= 0 && kmsg_report(kmsg, line, sizeof(line))) {
		fprintf(stderr, "# seed %llu (udc %d) was running when the "
			"kernel said: %s", (unsigned long long)seed, udc, line);
		goto fail_close_kmsg;
	}
	if (kmsg >= 0)
		close(kmsg);
	return 0;
fail_close_kmsg:
	if (kmsg >= 0)
		close(kmsg);
	print_replay(seed);
	return -1;
}

static uint64_t base_seed(void)
{
	const char *env = getenv("PAWLINK_FUZZ_SEED");
	char cmdline[2048], *at;
	struct timespec ts;

	if (env)
		return strtoull(env, NULL, 10);
	if (!read_text("/proc/cmdline", cmdline, sizeof(cmdline))) {
		at = strstr(cmdline, "PAWLINK_FUZZ_SEED=");
		if (at)
			return strtoull(at + strlen("PAWLINK_FUZZ_SEED="),
					NULL, 10);
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec * 1000003u) ^ (uint64_t)ts.tv_nsec ^
	       ((uint64_t)getpid() << 40);
}

/*
 * Worker @w of @workers: the regression seeds and fresh ones whose index
 * falls to it, on UDC @w.  Exits 0, or 1 at the first failing seed.
 */
static void __attribute__((noreturn))
worker(int w, int workers, uint64_t base, long iterations, long seconds,
       bool regressions)
{
	long start = now_ms(), i, k = 0;
	struct tally t;

	memset(&t, 0, sizeof(t));
	snd_lib_error_set_handler(alsa_quiet);
	for (i = 0; regressions && fuzz_regressions[i].found; i++, k++) {
		if (k % workers != w)
			continue;
		if (fuzz_one(w, fuzz_regressions[i].seed, &t))
			_exit(1);
	}
	for (i = 0; i < iterations; i++, k++) {
		if (k % workers != w)
			continue;
		if (seconds && now_ms() - start > seconds * 1000) {
			printf("# worker %d: time limit (%ld s) reached after "
			       "%lu seeds\n", w, seconds, t.iterations);
			break;
		}
		if (fuzz_one(w, base + (uint64_t)i, &t))
			_exit(1);
	}
	printf("# worker %d (UDC %d): %lu seeds in %.1f s, bound %lu, node "
	       "opened %lu, keys taken %lu, PCM opened %lu (refused %lu, of "
	       "them %lu not keyed), ioctls %lu, writes %lu, reads %lu\n",
	       w, w, t.iterations, (now_ms() - start) / 1000.0, t.bound,
	       t.opened, t.keyed, t.pcm_opened, t.pcm_refused, t.pcm_unkeyed,
	       t.ioctls, t.writes, t.reads);
	fflush(NULL);
	_exit(0);
}

/* Nothing bound to pawlink any more, and the module unused. */
static int driver_idle(void)
{
	char refcnt[32], path[512];
	long end = now_ms() + WAIT_MS;

	do {
		if (!glob_first("/sys/bus/usb/drivers/pawlink/*-*:*", path,
				sizeof(path)) &&
		    !read_text("/sys/module/pawlink/refcnt", refcnt,
			       sizeof(refcnt)) && !strcmp(refcnt, "0"))
			return 0;
		sleep_ms(POLL_STEP_MS);
	} while (now_ms() < end);
	fprintf(stderr, "# still bound: %s, module refcnt %s\n", path, refcnt);
	return -1;
}

FIXTURE(fuzz) {
	bool loaded_module;
};

FIXTURE_SETUP(fuzz)
{
	self->loaded_module = false;
}

FIXTURE_TEARDOWN(fuzz)
{
	if (self->loaded_module)
		EXPECT_EQ(0, run_cmd((const char *const[]){
			"/usr/sbin/rmmod", "raw_gadget", NULL }));
}

TEST_F_TIMEOUT(fuzz, seeds, 3600)
{
	long iterations = lane_knob("PAWLINK_FUZZ_ITERATIONS",
				    FUZZ_ITERATIONS_DEFAULT);
	long workers = lane_knob("PAWLINK_FUZZ_WORKERS", FUZZ_WORKERS_DEFAULT);
	long seconds = lane_knob("PAWLINK_FUZZ_SECONDS", FUZZ_SECONDS_DEFAULT);
	bool regressions = lane_knob("PAWLINK_FUZZ_REGRESSIONS", 1) != 0;
	uint64_t base = base_seed();
	pid_t pids[2];
	double start = now_s();
	int w, status, failed = 0;
	struct dongle d;
	int fd;

	/*
	 * Debian's kernels lack raw gadget; tests/kernel/raw-gadget-build
	 * makes the module, which the lane's --extra-file puts here.  (6.1's
	 * harness runs the test after a SKIP in the setup: skip here.)
	 */
	if (access(RAW_GADGET, F_OK) && !access(RAW_GADGET_KO, R_OK)) {
		ASSERT_EQ(0, run_cmd((const char *const[]){
			"/usr/sbin/insmod", RAW_GADGET_KO, NULL }));
		self->loaded_module = true;
		raw_gadget_module = true;
	}
	if (access(RAW_GADGET, F_OK))
		SKIP(return, "no " RAW_GADGET ": this kernel has no "
		     "CONFIG_USB_RAW_GADGET (the debug kernel has it; for "
		     "Debian's, see tests/kernel/raw-gadget-build)");
	ASSERT_LE(1, workers);
	ASSERT_GE(2, workers);		/* the lane has two UDCs */
	printf("# base seed %llu, %ld fresh seeds, %ld workers, time limit "
	       "%ld s; replay one with PAWLINK_FUZZ_SEED=N "
	       "PAWLINK_FUZZ_ITERATIONS=1 PAWLINK_FUZZ_WORKERS=1\n",
	       (unsigned long long)base, iterations, workers, seconds);
	fflush(NULL);
	for (w = 0; w < workers; w++) {
		pids[w] = fork();
		ASSERT_LE(0, pids[w]);
		if (pids[w] == 0)
			worker(w, (int)workers, base, iterations, seconds,
			       regressions);
	}
	for (w = 0; w < workers; w++) {
		ASSERT_EQ(pids[w], waitpid(pids[w], &status, 0));
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	}
	printf("# all workers done in %.1f s\n", now_s() - start);
	EXPECT_EQ(0, failed);

	/* nothing left behind: no binding, no module reference */
	EXPECT_EQ(0, driver_idle());
	/* minor 0 free again: a plain dongle gets it, and answers */
	fd = dongle_open(&d, 0, NULL, 0);
	ASSERT_LE(0, fd);
	EXPECT_STREQ("/dev/pawlink0", d.node);
	EXPECT_EQ(0, ioctl(fd, PAWLINK_IOC_GET_INFO,
			   &(struct pawlink_info){ 0 }));
	EXPECT_EQ(0, dongle_close(&d, fd));
}

TEST_HARNESS_MAIN
