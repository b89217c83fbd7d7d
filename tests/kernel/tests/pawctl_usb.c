// SPDX-License-Identifier: GPL-2.0
/*
 * The libusb path (issue 14): pawctl and libpawlink reaching a dongle with
 * pawlink.ko NOT loaded.  Each fixture unloads the driver the lane loaded
 * and loads it back in its teardown (the lane's unload needs it there).
 * In the guest a `pawsim air`, a `pawsim toy` and a `pawsim dongle --air`
 * on dummy_hcd at the lane's speed, left without a driver:
 *
 * - pawctl dongles shows the dongle on the usb path, by its usbfs node;
 * - pawctl pairs, sends, lists, gets, plays, records (pawctl record, not
 *   ALSA), sets LED and volume, reads the log and unpairs through libusb,
 *   and says once that it does;
 * - --transport forces a path, with a clear error when it cannot be used
 *   (kernel without the driver; usb when the driver has the dongle, which
 *   pawctl never detaches), and auto takes the driver's when it is there;
 * - pawctl connect refuses, saying why (no driver: no sound card);
 * - unplugged mid-scan: exit 4, "the dongle is gone", as on the kernel
 *   path; unplugged mid-upload, replugged: pawlink_upload_resume() sends
 *   only what the toy lacks and the toy holds the message intact;
 * - the same wire: for fixed keys, the records the dongle reads from the
 *   libusb path and from pawlink.ko are the same bytes (--fault log).
 */
#include <sys/file.h>

#include <sndfile.h>
#include <sodium.h>

#include "kselftest_harness.h"
#include "common.h"
#include "procs.h"
#include "pawctl_run.h"
#include "libpawlink.h"
#include "transport.h"

/* pawctl's exit codes (Documentation/pawctl.rst). */
enum {
	EXIT_OK = 0, EXIT_USAGE = 1, EXIT_NOT_FOUND = 2, EXIT_REFUSED = 3,
	EXIT_UNREACHABLE = 4, EXIT_IO = 5, EXIT_BAD_FILE = 6,
	EXIT_UNSUPPORTED = 7,
};

#define WALK_TIMEOUT_S	300
/* The largest relay log a test makes; far more than one does. */
#define LOG_MAX		(1 << 20)

static const uint8_t loopback_id[PAWLINK_ID_LEN] = "loopback";

/* ---- the driver out of the way -------------------------------------- */

static int driver_unload(void)
{
	const char *const argv[] = { "/usr/sbin/rmmod", "pawlink", NULL };

	if (access("/sys/module/pawlink", F_OK))
		return 0;
	return run_cmd(argv);
}

static int driver_load(void)
{
	const char *const argv[] = { "/usr/sbin/modprobe", "pawlink", NULL };

	return run_cmd(argv);
}

/* Whether this run of the lane has pawlink.ko (not --no-driver). */
static bool lane_has_driver(void)
{
	const char *lane = getenv("PAWLINK_LANE_DRIVER");

	return lane && !strcmp(lane, "1");
}

/* Back as the lane left it: loaded if it loads it. */
static int driver_restore(void)
{
	return lane_has_driver() ? driver_load() : 0;
}

/*
 * The usbfs node of what is plugged into d->udc once it is configured and
 * its node exists, into @path.  0 or -ETIMEDOUT.
 */
static int dongle_wait_free(struct dongle *d, char *path, size_t len)
{
	long end = now_ms() + WAIT_MS;
	char dir[300], bus[16], dev[16];
	struct stat st;

	do {
		if (udc_find_intf(d->udc, d->intf, sizeof(d->intf)))
			goto again;
		if (!str_fmt(dir, sizeof(dir), "%s/..", d->intf) ||
		    !str_fmt(path, len, "%s/busnum", dir) ||
		    read_text(path, bus, sizeof(bus)) ||
		    !str_fmt(path, len, "%s/devnum", dir) ||
		    read_text(path, dev, sizeof(dev)))
			goto again;
		if (str_fmt(path, len, "/dev/bus/usb/%03d/%03d", atoi(bus),
			    atoi(dev)) && !stat(path, &st))
			return 0;
again:
		sleep_ms(POLL_STEP_MS);
	} while (now_ms() < end);
	return -ETIMEDOUT;
}

/*
 * A dongle on UDC @udc that no driver binds (fault and vanish count as for
 * dongle_start()); its usbfs node in @path.
 */
static int dongle_plug_free(struct dongle *d, int udc, const char *fault,
			    unsigned long vanish_after, char *path, size_t len)
{
	int err = dongle_start(d, udc, fault, vanish_after);

	if (!err)
		err = dongle_wait_free(d, path, len);
	if (err) {
		fprintf(stderr, "# dongle on UDC %d did not come up: %s\n",
			udc, strerror(-err));
		dongle_stop(d);
	}
	return err;
}

/* ---- the world: air, toy, a dongle without a driver ------------------ */

struct scene {
	char dir[64], sock[96], toy_dir[96], toy_log[96], store[96];
	char label[128], speaker[128], usb[64];
	char toy_hex[2 * PAWLINK_ID_LEN + 1];
	uint8_t toy_id[PAWLINK_ID_LEN];
	struct proc air, toy;
	struct dongle d;
};

/*
 * pawlink.ko out of the way, a `pawsim air`, a `pawsim toy` and a dongle
 * on its air with --fault @fault (NULL: none).  0 or -1.
 */
static int scene_up(struct scene *sc, const char *fault)
{
	const char *pawsim = getenv("PAWSIM") ? getenv("PAWSIM") : "pawsim";
	int i;

	if (driver_unload())
		return -1;
	strcpy(sc->dir, "/tmp/pawctl-usb.XXXXXX");
	if (!mkdtemp(sc->dir) ||
	    !str_fmt(sc->sock, sizeof(sc->sock), "%s/air.sock", sc->dir) ||
	    !str_fmt(sc->toy_dir, sizeof(sc->toy_dir), "%s/toy", sc->dir) ||
	    !str_fmt(sc->toy_log, sizeof(sc->toy_log), "%s/toy.log",
		     sc->dir) ||
	    !str_fmt(sc->store, sizeof(sc->store), "%s/host", sc->dir) ||
	    !str_fmt(sc->label, sizeof(sc->label), "%s/label", sc->toy_dir) ||
	    !str_fmt(sc->speaker, sizeof(sc->speaker), "%s/speaker.wav",
		     sc->dir))
		return -1;
	{
		const char *const air[] = {
			pawsim, "air", "--socket", sc->sock, NULL
		};

		if (start_ready(&sc->air, air, NULL))
			return -1;
	}
	{
		const char *const toy[] = {
			pawsim, "toy", "--air", sc->sock, "--dir",
			sc->toy_dir, "--mic", "tone:440", "--speaker",
			sc->speaker, NULL
		};

		if (start_ready(&sc->toy, toy, sc->toy_log))
			return -1;
	}
	if (toy_id_from_log(sc->toy_log, sc->toy_id))
		return -1;
	for (i = 0; i < PAWLINK_ID_LEN; i++)
		sprintf(sc->toy_hex + 2 * i, "%02x", sc->toy_id[i]);
	if (setenv("PAWLINK_TEST_AIR", sc->sock, 1))
		return -1;
	return dongle_plug_free(&sc->d, 0, fault, 0, sc->usb,
				sizeof(sc->usb)) ? -1 : 0;
}

/* Everything scene_up() started stopped, the driver as the lane had it. */
static int scene_down(struct scene *sc)
{
	const char *const rm[] = { "rm", "-rf", sc->dir, NULL };
	int rc = 0;

	rc |= dongle_stop(&sc->d);
	unsetenv("PAWLINK_TEST_AIR");
	stop_proc(&sc->toy);
	rc |= stop_proc(&sc->air);
	if (sc->dir[0] == '/')
		rc |= run_cmd(rm);
	rc |= driver_restore();
	return rc;
}

FIXTURE(world) {
	struct scene sc;
	const char *store;
	struct run r;
};

FIXTURE_SETUP(world)
{
	self->store = self->sc.store;
	ASSERT_EQ(0, scene_up(&self->sc, NULL));
}

FIXTURE_TEARDOWN(world)
{
	EXPECT_EQ(0, scene_down(&self->sc));
}

static int pair_bear(struct scene *sc, struct run *r)
{
	return pawctl_pair_bear(sc->store, r, sc->toy_hex, sc->toy_dir,
				sc->label);
}

/* A WAV file's frames and peak; -1 if it is not 16 kHz mono. */
static long wav_frames(const char *path, int *peak)
{
	SF_INFO info = { 0 };
	SNDFILE *f = sf_open(path, SFM_READ, &info);
	short buf[1024];
	sf_count_t n, i;

	*peak = 0;
	if (!f)
		return -1;
	while ((n = sf_readf_short(f, buf, 1024)) > 0)
		for (i = 0; i < n; i++)
			if (abs(buf[i]) > *peak)
				*peak = abs(buf[i]);
	sf_close(f);
	return info.samplerate == 16000 && info.channels == 1 ?
	       (long)info.frames : -1;
}

/* @seconds of a square wave as a 16 kHz WAV file at @path. */
static int write_tone(const char *path, int seconds)
{
	SF_INFO info = {
		.samplerate = 16000, .channels = 1,
		.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16,
	};
	static short tone[16000];
	SNDFILE *f;
	int i;

	for (i = 0; i < 16000; i++)
		tone[i] = (short)(i % 36 < 18 ? 8000 : -8000);
	f = sf_open(path, SFM_WRITE, &info);
	if (!f)
		return -1;
	for (i = 0; i < seconds; i++)
		if (sf_writef_short(f, tone, 16000) != 16000)
			break;
	sf_close(f);
	return i == seconds ? 0 : -1;
}

/* The dongle as `pawctl dongles` shows it: on the usb path. */
TEST_F(world, dongles_shows_the_usb_path)
{
	char want[160], id[32], serial[64], path[300];

	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "dongles"));
	EXPECT_EQ(1, json_len(self->r.out, "dongles"));
	snprintf(want, sizeof(want),
		 "{\"device\":\"%s\",\"transport\":\"usb\"}", self->sc.usb);
	EXPECT_TRUE(json_has(self->r.out, want));
	ASSERT_TRUE(str_fmt(path, sizeof(path), "%s/../serial",
			    self->sc.d.intf));
	ASSERT_EQ(0, read_text(path, serial, sizeof(serial)));
	EXPECT_STREQ(serial, json_text(self->r.out, "dongles.0.id", id,
				    sizeof(id)));
	EXPECT_TRUE(json_has(self->r.out, "{\"firmware\":\"1.0\"}"));
	snprintf(want, sizeof(want), "{\"speed\":\"%s\"}", lane_speed());
	EXPECT_TRUE(json_has(self->r.out, want));

	ASSERT_EQ(EXIT_OK, PAWCTL(self, "dongles"));
	EXPECT_TRUE(has(self->r.out, "PATH"));
	EXPECT_TRUE(has(self->r.out, self->sc.usb));
	EXPECT_TRUE(has(self->r.out, "usb"));
}

/* What pawctl does with a toy, through libusb, as through the driver. */
TEST_F_TIMEOUT(world, keyed_walk, WALK_TIMEOUT_S)
{
	char id[40], path[256], wav[128], dec[128], mic[128], sha[80], got[80];
	long frames;
	int peak, tries;

	ASSERT_TRUE(str_fmt(wav, sizeof(wav), "%s/hello.wav", self->sc.dir));
	ASSERT_TRUE(str_fmt(dec, sizeof(dec), "%s/msg.wav", self->sc.dir));
	ASSERT_TRUE(str_fmt(mic, sizeof(mic), "%s/mic.wav", self->sc.dir));
	ASSERT_EQ(EXIT_OK, pair_bear(&self->sc, &self->r));
	/* Said once per run, on stderr. */
	EXPECT_TRUE(has(self->r.err, "through libusb"));
	EXPECT_FALSE(has(strstr(self->r.err, "through libusb") + 1,
			 "through libusb"));

	PAWCTL(self, "--json", "status", "bear");
	ASSERT_EQ(EXIT_OK, self->r.status);
	EXPECT_EQ(1, json_number(self->r.out, "paired_hosts"));
	EXPECT_TRUE(json_has(self->r.out, "{\"led\":false}"));

	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "log", "bear"));
	EXPECT_TRUE(json_has(self->r.out, "{\"event\":\"pair-ok\"}"));

	ASSERT_EQ(0, write_tone(wav, 1));
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "send", "bear", wav));
	json_text(self->r.out, "message.id", id, sizeof(id));
	ASSERT_EQ(32, strlen(id));
	json_text(self->r.out, "message.sha256", sha, sizeof(sha));

	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "ls", "bear"));
	snprintf(path, sizeof(path), "{\"id\":\"%s\"}", id);
	ASSERT_TRUE(json_has(self->r.out, path));
	json_text_of(self->r.out, "id", id, "sha256", got, sizeof(got));
	EXPECT_STREQ(sha, got);

	ASSERT_EQ(EXIT_OK, PAWCTL(self, "get", "bear", id, "-o", dec));
	frames = wav_frames(dec, &peak);
	EXPECT_TRUE(frames > 15000 && frames < 17000);
	EXPECT_TRUE(peak > 2000);

	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "play", "bear", id));
	for (tries = 0; tries < 50; tries++) {
		ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "status", "bear"));
		if (json_has(self->r.out, "{\"playing\":false}"))
			break;
		sleep_ms(200);
	}
	EXPECT_LT(0, json_number(self->r.out, "speaker_samples"));

	/* record: the microphone through pawctl, not the sound card. */
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "record", "bear", "-o", mic,
				  "--seconds", "1"));
	EXPECT_EQ(16000, json_number(self->r.out, "frames"));
	frames = wav_frames(mic, &peak);
	EXPECT_EQ(16000, frames);
	EXPECT_TRUE(peak > 1000);
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "log", "bear"));
	EXPECT_TRUE(json_has(self->r.out, "{\"event\":\"mic-start\"}"));

	ASSERT_EQ(EXIT_OK, PAWCTL(self, "led", "bear", "on"));
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "volume", "bear", "42"));
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "status", "bear"));
	EXPECT_TRUE(json_has(self->r.out, "{\"led\":true}"));
	EXPECT_EQ(42, json_number(self->r.out, "volume"));
	/* Sealed both ways: the toy dropped nothing. */
	EXPECT_EQ(0, json_number(self->r.out, "rx_dropped_auth"));

	ASSERT_EQ(EXIT_OK, PAWCTL(self, "rm", "bear", id));
	snprintf(path, sizeof(path), "%s/toy-%s", self->store, self->sc.toy_hex);
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "unpair", "bear"));
	EXPECT_NE(0, access(path, F_OK));
}

/* --transport: each path forced, with the reason when it cannot be. */
TEST_F_TIMEOUT(world, transport_forced, WALK_TIMEOUT_S)
{
	char want[160];

	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--transport", "usb", "--json",
				  "scan", "--seconds", "1"));
	EXPECT_TRUE(has(self->r.err, "through libusb"));
	EXPECT_EQ(EXIT_UNSUPPORTED, PAWCTL(self, "--transport", "kernel",
					   "scan"));
	EXPECT_TRUE(has(self->r.err, "no dongle is bound to pawlink.ko"));
	EXPECT_TRUE(has(self->r.err, "--transport usb"));
	EXPECT_EQ(EXIT_USAGE, PAWCTL(self, "--transport", "bluetooth",
				     "scan"));
	EXPECT_EQ(EXIT_USAGE, PAWCTL(self, "--transport", "kernel",
				     "--device", self->sc.usb, "scan"));

	/* The driver loaded binds the dongle: the kernel path, always. */
	if (!lane_has_driver())
		SKIP(return, "this run does not load pawlink.ko (--no-driver)");
	ASSERT_EQ(0, driver_load());
	ASSERT_EQ(0, dongle_wait_bound(&self->sc.d));
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "dongles"));
	EXPECT_EQ(1, json_len(self->r.out, "dongles"));
	snprintf(want, sizeof(want),
		 "{\"device\":\"%s\",\"transport\":\"kernel\"}", self->sc.d.node);
	EXPECT_TRUE(json_has(self->r.out, want));
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "scan", "--seconds", "1"));
	EXPECT_FALSE(has(self->r.err, "libusb"));
	EXPECT_EQ(EXIT_UNSUPPORTED, PAWCTL(self, "--transport", "usb",
					   "scan"));
	EXPECT_TRUE(has(self->r.err, "never detaches"));
	EXPECT_EQ(EXIT_UNSUPPORTED, PAWCTL(self, "--device", self->sc.usb,
					   "scan"));
	EXPECT_TRUE(has(self->r.err, "bound to a kernel driver"));
	/* Still the driver's. */
	EXPECT_TRUE(intf_bound_to_pawlink(self->sc.d.intf));
	ASSERT_EQ(0, driver_unload());
}

/* connect keeps a session for the sound card: none on this path. */
TEST_F_TIMEOUT(world, connect_refused, WALK_TIMEOUT_S)
{
	ASSERT_EQ(EXIT_OK, pair_bear(&self->sc, &self->r));
	EXPECT_EQ(EXIT_UNSUPPORTED, PAWCTL(self, "--json", "connect", "bear"));
	EXPECT_TRUE(has(self->r.err, "libusb"));
	EXPECT_TRUE(has(self->r.err, "sound card"));
	EXPECT_EQ(EXIT_UNSUPPORTED, json_number(self->r.out, "exit"));
	EXPECT_EQ(EXIT_UNSUPPORTED, PAWCTL(self, "disconnect"));
	/* Nothing was left behind: a session opens at once. */
	EXPECT_EQ(EXIT_OK, PAWCTL(self, "status", "bear"));
}

/* The dongle unplugged while pawctl waits on it: as on the kernel path. */
TEST_F(world, unplugged_mid_scan)
{
	const char *const argv[] = {
		"pawctl", "--store", self->store, "scan", "--seconds", "30",
		NULL
	};
	char err[4096];
	size_t len = 0;
	int errfd[2], status;
	long end;
	pid_t pid;

	ASSERT_EQ(0, pipe2(errfd, O_CLOEXEC));
	fflush(NULL);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		unsetenv("PAWLINK_AIR");
		dup2(errfd[1], STDERR_FILENO);
		execvp(argv[0], (char **)argv);
		_exit(127);
	}
	close(errfd[1]);
	end = now_ms() + WAIT_MS;
	err[0] = '\0';
	while (!strstr(err, "listening") && now_ms() < end &&
	       poll_one(errfd[0], POLLIN, 100) >= 0) {
		ssize_t n = read(errfd[0], err + len, sizeof(err) - 1 - len);

		if (n > 0)
			len += (size_t)n;
		err[len] = '\0';
	}
	ASSERT_TRUE(strstr(err, "listening") != NULL);
	ASSERT_EQ(0, dongle_stop(&self->sc.d));
	TH_LOG("%s", err);
	end = now_ms() + WAIT_MS;
	while (waitpid(pid, &status, WNOHANG) == 0 && now_ms() < end)
		sleep_ms(POLL_STEP_MS);
	if (now_ms() >= end) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	while (poll_one(errfd[0], POLLIN, 0) > 0) {
		ssize_t n = read(errfd[0], err + len, sizeof(err) - 1 - len);

		if (n <= 0)
			break;
		len += (size_t)n;
		err[len] = '\0';
	}
	close(errfd[0]);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(EXIT_UNREACHABLE, WEXITSTATUS(status));
	EXPECT_TRUE(strstr(err, "the dongle is gone") != NULL);
}

/* The first figure a transfer's progress tells: what the toy held. */
static void first_progress(void *ctx, uint64_t done, uint64_t total)
{
	int64_t *first = ctx;

	(void)total;
	if (*first < 0)
		*first = (int64_t)done;
}

/*
 * Unplugged mid-upload (the dongle vanishes on its 40th record, a few
 * chunks in): the upload fails as on the kernel path (-ENODEV, "gone");
 * replugged, pawlink_upload_resume() carries on from what the toy holds,
 * and the toy stores the message whole.
 */
TEST_F_TIMEOUT(world, upload_resumes_after_replug, WALK_TIMEOUT_S)
{
	struct pawlink_msg_info info;
	uint32_t duration_ms;
	struct pawlink *p;
	char wav[128], err[256], hex[PAWLINK_MSG_HEX_LEN + 1], want[200];
	char sha[2 * 32 + 1];
	uint8_t *obj, digest[32];
	int64_t first = -1;
	size_t len;

	ASSERT_EQ(EXIT_OK, pair_bear(&self->sc, &self->r));
	ASSERT_TRUE(str_fmt(wav, sizeof(wav), "%s/long.wav", self->sc.dir));
	ASSERT_EQ(0, write_tone(wav, 60));
	ASSERT_EQ(0, dongle_stop(&self->sc.d));
	ASSERT_EQ(0, dongle_plug_free(&self->sc.d, 0, "vanish", 40, self->sc.usb,
				      sizeof(self->sc.usb)));

	ASSERT_EQ(0, pawlink_open(&p, self->store, err, sizeof(err)));
	ASSERT_EQ(0, pawlink_audio_file_to_message(p, wav, &obj, &len,
						   &duration_ms));
	ASSERT_EQ(0, pawlink_attach_device(p, self->sc.usb));
	ASSERT_EQ(0, pawlink_connect(p, self->sc.toy_id, NULL));
	EXPECT_EQ(-ENODEV, pawlink_upload(p, obj, len, duration_ms, &info));
	EXPECT_TRUE(has(pawlink_error(p), "gone"));
	TH_LOG("%s", pawlink_error(p));
	pawlink_close(p);
	ASSERT_EQ(0, dongle_stop(&self->sc.d));

	/* Replugged (another usbfs node, perhaps): no partial message. */
	ASSERT_EQ(0, dongle_plug_free(&self->sc.d, 0, NULL, 0, self->sc.usb,
				      sizeof(self->sc.usb)));
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "ls", "bear"));
	EXPECT_TRUE(json_has(self->r.out, "{\"messages\":[]}"));
	/* The rest only. */
	ASSERT_EQ(0, pawlink_open(&p, self->store, err, sizeof(err)));
	ASSERT_EQ(0, pawlink_attach_device(p, self->sc.usb));
	ASSERT_EQ(0, pawlink_connect(p, self->sc.toy_id, NULL));
	pawlink_set_progress(p, first_progress, &first);
	ASSERT_EQ(0, pawlink_upload_resume(p, &info, obj, len));
	/* It started from what the toy had, not from nothing. */
	TH_LOG("resumed at %lld of %zu bytes", (long long)first, len);
	EXPECT_LT(0, first);
	EXPECT_GT((int64_t)len, first);
	pawlink_close(p);

	crypto_hash_sha256(digest, obj, len);
	pawlink_to_hex(sha, digest, sizeof(digest));
	pawlink_message_id_hex(hex, info.id);
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "ls", "bear"));
	snprintf(want, sizeof(want), "{\"id\":\"%s\",\"sha256\":\"%s\"}", hex,
		 sha);
	EXPECT_TRUE(json_has(self->r.out, want));
	free(obj);
}

/* ---- the dongle as the attacker (issue 9's modes) --------------------- */

FIXTURE(attack) {
	struct scene sc;
	const char *store;
	struct run r;
};

/*
 * @fault: the dongle's --fault; @counter: the libusb path's counter the
 * spoiled record lands in (as pawlink.ko's statistics/ name it), or NULL;
 * @toy_counter: the toy's, from `pawctl status --json`, or NULL.
 */
FIXTURE_VARIANT(attack) {
	const char *fault;
	const char *counter;
	const char *toy_counter;
};

FIXTURE_VARIANT_ADD(attack, flip) {
	.fault = "flip", .counter = "rx_dropped_auth",
};

FIXTURE_VARIANT_ADD(attack, cut) {
	.fault = "cut", .counter = "rx_dropped_length",
};

FIXTURE_VARIANT_ADD(attack, replay) {
	.fault = "replay", .counter = "rx_dropped_replay",
};

FIXTURE_VARIANT_ADD(attack, reorder) {
	.fault = "reorder", .counter = "rx_dropped_replay",
};

FIXTURE_VARIANT_ADD(attack, inject_plain) {
	.fault = "inject-plain", .counter = "rx_dropped_plaintext",
};

FIXTURE_VARIANT_ADD(attack, epoch) {
	.fault = "epoch", .counter = "rx_dropped_epoch",
};

FIXTURE_VARIANT_ADD(attack, flip_to_toy) {
	.fault = "flip-to-toy", .toy_counter = "rx_dropped_auth",
};

FIXTURE_SETUP(attack)
{
	self->store = self->sc.store;
	ASSERT_EQ(0, scene_up(&self->sc, variant->fault));
}

FIXTURE_TEARDOWN(attack)
{
	EXPECT_EQ(0, scene_down(&self->sc));
}

/* The drop counters of struct pawlink_stats, by their sysfs names. */
static const struct {
	const char *name;
	size_t off;
} drop_counters[] = {
	{ "rx_dropped_malformed",
	  offsetof(struct pawlink_stats, rx_dropped_malformed) },
	{ "rx_dropped_overflow",
	  offsetof(struct pawlink_stats, rx_dropped_overflow) },
	{ "rx_dropped_plaintext",
	  offsetof(struct pawlink_stats, rx_dropped_plaintext) },
	{ "rx_dropped_auth", offsetof(struct pawlink_stats, rx_dropped_auth) },
	{ "rx_dropped_replay",
	  offsetof(struct pawlink_stats, rx_dropped_replay) },
	{ "rx_dropped_queue_full",
	  offsetof(struct pawlink_stats, rx_dropped_queue_full) },
	{ "rx_dropped_epoch", offsetof(struct pawlink_stats, rx_dropped_epoch) },
	{ "rx_dropped_length",
	  offsetof(struct pawlink_stats, rx_dropped_length) },
};

/*
 * A voice message sent through libusb while the dongle spoils one sealed
 * record: dropped and counted where pawlink.ko counts it (that counter
 * one, every other drop counter 0), the message stored intact, and the
 * next session works.
 */
TEST_F_TIMEOUT(attack, dropped_and_counted, WALK_TIMEOUT_S)
{
	struct pawlink_msg_info info, *list;
	struct pawlink_stats st;
	uint32_t duration_ms;
	struct pawlink *p;
	char wav[128], err[256];
	uint8_t *obj;
	size_t len, n, i;
	uint64_t v;

	ASSERT_EQ(EXIT_OK, pair_bear(&self->sc, &self->r));
	ASSERT_TRUE(str_fmt(wav, sizeof(wav), "%s/hello.wav", self->sc.dir));
	ASSERT_EQ(0, write_tone(wav, 2));

	ASSERT_EQ(0, pawlink_open(&p, self->store, err, sizeof(err)));
	ASSERT_EQ(0, pawlink_audio_file_to_message(p, wav, &obj, &len,
						   &duration_ms));
	ASSERT_EQ(0, pawlink_attach_device(p, self->sc.usb));
	ASSERT_EQ(0, pawlink_connect(p, self->sc.toy_id, NULL));
	ASSERT_EQ(0, pawlink_upload(p, obj, len, duration_ms, &info));
	ASSERT_EQ(0, pawlink_list(p, &list, &n));
	for (i = 0; i < n; i++)
		if (!memcmp(list[i].id, info.id, PAWLINK_MSG_ID_LEN))
			break;
	ASSERT_GT(n, i);
	EXPECT_EQ(0, memcmp(list[i].sha256, info.sha256,
			    sizeof(info.sha256)));
	free(list);
	ASSERT_EQ(0, pawlink_link_stats(p, &st, sizeof(st)));
	for (i = 0; i < sizeof(drop_counters) / sizeof(drop_counters[0]); i++) {
		memcpy(&v, (const uint8_t *)&st + drop_counters[i].off,
		       sizeof(v));
		TH_LOG("%s %llu", drop_counters[i].name,
		       (unsigned long long)v);
		if (variant->counter &&
		    !strcmp(variant->counter, drop_counters[i].name)) {
			EXPECT_EQ(1, v);
		} else {
			EXPECT_EQ(0, v);
		}
	}
	pawlink_close(p);
	free(obj);

	/* The next session works; the toy's own count where it was spoiled. */
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "status", "bear"));
	if (variant->toy_counter) {
		EXPECT_EQ(1, json_number(self->r.out, variant->toy_counter));
	}
}

/* ---- misbehaving dongles (usb-interface.rst, "Misbehaving dongles") -- */

FIXTURE(faulty) {
	struct dongle d;
	char usb[64], store[64];
	struct run r;
};

/*
 * @listed: whether `pawctl dongles` shows it (its interface is a pawlink
 * one); @device_exit: pawctl --device USB scan's exit; @says: in its error.
 */
FIXTURE_VARIANT(faulty) {
	const char *fault;
	bool listed;
	int device_exit;
	const char *says;
};

FIXTURE_VARIANT_ADD(faulty, missing_ep) {
	.fault = "missing-ep", .device_exit = EXIT_IO, .says = "refused",
};

FIXTURE_VARIANT_ADD(faulty, wrong_type) {
	.fault = "wrong-type", .device_exit = EXIT_IO, .says = "refused",
};

FIXTURE_VARIANT_ADD(faulty, no_info) {
	.fault = "no-info", .listed = true, .device_exit = EXIT_IO,
	.says = "GET_INFO",
};

FIXTURE_VARIANT_ADD(faulty, bad_info) {
	.fault = "bad-info", .listed = true, .device_exit = EXIT_IO,
	.says = "GET_INFO",
};

FIXTURE_VARIANT_ADD(faulty, small_record) {
	.fault = "small-record", .listed = true, .device_exit = EXIT_IO,
	.says = "GET_INFO",
};

FIXTURE_VARIANT_ADD(faulty, reserved_info) {
	.fault = "reserved-info", .listed = true, .device_exit = EXIT_IO,
	.says = "GET_INFO",
};

FIXTURE_VARIANT_ADD(faulty, reserved_beacon) {
	.fault = "reserved-beacon", .listed = true, .device_exit = EXIT_IO,
	.says = "scan",
};

FIXTURE_VARIANT_ADD(faulty, big_record) {
	.fault = "big-record", .listed = true, .device_exit = EXIT_OK,
};

FIXTURE_SETUP(faulty)
{
	ASSERT_EQ(0, driver_unload());
	strcpy(self->store, "/tmp/pawctl-faulty-store");
	ASSERT_EQ(0, dongle_plug_free(&self->d, 0, variant->fault, 0,
				      self->usb, sizeof(self->usb)));
}

FIXTURE_TEARDOWN(faulty)
{
	EXPECT_EQ(0, dongle_stop(&self->d));
	EXPECT_EQ(0, driver_restore());
}

/* A clear error and an orderly exit (a signal is -1 here), never a crash. */
TEST_F(faulty, clear_error)
{
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "dongles"));
	EXPECT_EQ(variant->listed ? 1 : 0, json_len(self->r.out, "dongles"));
	EXPECT_EQ(variant->device_exit, PAWCTL(self, "--json", "--device",
					       self->usb, "scan",
					       "--seconds", "1"));
	if (variant->says) {
		EXPECT_TRUE(has(self->r.err, variant->says));
	}
	if (variant->device_exit) {
		EXPECT_EQ(variant->device_exit,
			  json_number(self->r.out, "exit"));
	}
	/* Found on its own: the same, or none plugged in. */
	EXPECT_EQ(variant->listed ? variant->device_exit : EXIT_UNREACHABLE,
		  PAWCTL(self, "scan", "--seconds", "1"));
}

/* ---- misbehaving relays, on the loopback --------------------------- */

FIXTURE(relay) {
	struct dongle d;
	char usb[64];
};

/*
 * @counter: where the odd records land (NULL: none is lost); @stalls:
 * the halts cleared.
 */
FIXTURE_VARIANT(relay) {
	const char *fault;
	size_t counter;
	bool lost;
	uint64_t stalls;
};

FIXTURE_VARIANT_ADD(relay, truncated) {
	.fault = "truncated", .lost = true,
	.counter = offsetof(struct pawlink_stats, rx_dropped_length),
};

FIXTURE_VARIANT_ADD(relay, oversized) {
	.fault = "oversized", .lost = true,
	.counter = offsetof(struct pawlink_stats, rx_dropped_overflow),
};

FIXTURE_VARIANT_ADD(relay, stall) {
	.fault = "stall", .stalls = 1,
	.counter = offsetof(struct pawlink_stats, rx_dropped_length),
};

FIXTURE_SETUP(relay)
{
	ASSERT_EQ(0, driver_unload());
	ASSERT_EQ(0, dongle_plug_free(&self->d, 0, variant->fault, 0,
				      self->usb, sizeof(self->usb)));
}

FIXTURE_TEARDOWN(relay)
{
	EXPECT_EQ(0, dongle_stop(&self->d));
	EXPECT_EQ(0, driver_restore());
}

/*
 * Four frames echoed by the loopback: a spoiled one is dropped and
 * counted without reading past the transfer, the next one delivered; a
 * halted endpoint is cleared and nothing behind it lost.
 */
TEST_F(relay, spoiled_records)
{
	uint8_t frame[64], got[PAWLINK_FRAME_MAX];
	struct pawlink_transport *t;
	struct pawlink_stats st;
	size_t len, i, want = 0;
	uint64_t v;

	ASSERT_EQ(0, pawlink_transport_usb_open(&t, self->usb));
	ASSERT_EQ(0, t->ops->connect(t, loopback_id));
	for (i = 1; i <= 4; i++) {
		memset(frame, (int)i, sizeof(frame));
		ASSERT_EQ(0, t->ops->send(t, frame, sizeof(frame)));
	}
	for (i = 1; i <= 4; i++) {
		/* Odd ones are spoiled; only the even ones come. */
		if (variant->lost && i % 2)
			continue;
		ASSERT_EQ(0, t->ops->recv(t, got, sizeof(got), &len, 5000));
		ASSERT_EQ(sizeof(frame), len);
		EXPECT_EQ(i, got[0]);
		want++;
	}
	EXPECT_EQ(-ETIMEDOUT, t->ops->recv(t, got, sizeof(got), &len, 200));
	ASSERT_EQ(0, t->ops->get_stats(t, &st));
	memcpy(&v, (const uint8_t *)&st + variant->counter, sizeof(v));
	EXPECT_EQ(variant->lost ? 2 : 0, v);
	EXPECT_EQ(variant->stalls, st.stalls);
	EXPECT_EQ(variant->lost ? 2 : 4, want);
	pawlink_transport_close(t);
}

/* ---- the same wire ------------------------------------------------- */

/* The records the dongle read from the host ('O'), in order, from @log. */
static size_t records_out(const char *log, uint8_t *buf, size_t cap,
			  size_t lens[], size_t max)
{
	uint8_t head[3];
	size_t n = 0, at = 0, len;
	FILE *f = fopen(log, "rb");

	if (!f)
		return 0;
	while (fread(head, 1, 3, f) == 3) {
		len = head[1] | head[2] << 8;
		if (at + len > cap || fread(buf + at, 1, len, f) != len)
			break;
		if (head[0] != 'O' || n == max)
			continue;
		lens[n++] = len;
		at += len;
	}
	fclose(f);
	return n;
}

/* Waits until the dongle has logged @n records from the host. */
static int records_wait(const char *log, uint8_t *buf, size_t cap, size_t n)
{
	long end = now_ms() + WAIT_MS;
	size_t lens[16];

	do {
		if (records_out(log, buf, cap, lens, 16) >= n)
			return 0;
		sleep_ms(POLL_STEP_MS);
	} while (now_ms() < end);
	return -ETIMEDOUT;
}

/* The frames both paths send: plaintext, then sealed of every size class. */
static const size_t wire_frames[] = { 4, 100, 480, 992, PAWLINK_FRAME_MAX };
#define WIRE_N	(sizeof(wire_frames) / sizeof(wire_frames[0]))

static void wire_keys(struct pawlink_key_install *k)
{
	memset(k, 0, sizeof(*k));
	k->version = PAWLINK_KEYS_VERSION;
	k->epoch = 1;
	memset(k->h2t_ctrl, 0x11, sizeof(k->h2t_ctrl));
	memset(k->t2h_ctrl, 0x22, sizeof(k->t2h_ctrl));
	memset(k->h2t_audio, 0x33, sizeof(k->h2t_audio));
	memset(k->t2h_audio, 0x44, sizeof(k->t2h_audio));
}

static void wire_frame(uint8_t *f, size_t len, size_t i)
{
	size_t j;

	for (j = 0; j < len; j++)
		f[j] = (uint8_t)(j * 7 + i);
}

/* Waits until the driver says the link is up. */
static int kernel_wait_connected(int fd)
{
	long end = now_ms() + WAIT_MS;
	struct pawlink_info info;

	do {
		if (ioctl(fd, PAWLINK_IOC_GET_INFO, &info))
			return -errno;
		if (info.link_state == PAWLINK_LINK_CONNECTED)
			return 0;
		sleep_ms(POLL_STEP_MS);
	} while (now_ms() < end);
	return -ETIMEDOUT;
}

FIXTURE(wire) {
	char dir[32];
};

FIXTURE_SETUP(wire)
{
	strcpy(self->dir, "/tmp/pawctl-wire.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
}

FIXTURE_TEARDOWN(wire)
{
	const char *const rm[] = { "rm", "-rf", self->dir, NULL };

	EXPECT_EQ(0, run_cmd(rm));
	EXPECT_EQ(0, driver_restore());
}

TEST_F_TIMEOUT(wire, same_wire_as_the_driver, WALK_TIMEOUT_S)
{
	static uint8_t a[LOG_MAX], b[LOG_MAX];
	char *dir = self->dir, path[64], fault[2][128];
	size_t la[16], lb[16], na, nb, i, off;
	struct pawlink_transport *t;
	struct pawlink_key_install keys;
	struct pawlink_connect req;
	uint8_t frame[PAWLINK_FRAME_MAX];
	struct dongle d;
	int fd;

	if (!lane_has_driver())
		SKIP(return, "this run does not load pawlink.ko (--no-driver)");
	ASSERT_EQ(0, driver_unload());
	for (i = 0; i < 2; i++)
		ASSERT_TRUE(str_fmt(fault[i], sizeof(fault[i]),
				    "log=%s/relay%zu.log", dir, i));
	wire_keys(&keys);

	/* libusb: the loopback's "toy", a plaintext frame, then sealed. */
	ASSERT_EQ(0, dongle_plug_free(&d, 0, fault[0], 0, path, sizeof(path)));
	ASSERT_EQ(0, pawlink_transport_usb_open(&t, path));
	ASSERT_EQ(0, t->ops->connect(t, loopback_id));
	for (i = 0; i < WIRE_N; i++) {
		if (i == 1)
			ASSERT_EQ(0, t->ops->set_keys(t, &keys));
		wire_frame(frame, wire_frames[i], i);
		ASSERT_EQ(0, t->ops->send(t, frame, wire_frames[i]));
	}
	pawlink_transport_close(t);
	ASSERT_EQ(0, dongle_stop(&d));

	/* pawlink.ko: the same. */
	ASSERT_EQ(0, driver_load());
	fd = dongle_open(&d, 0, fault[1], 0);
	ASSERT_LE(0, fd);
	memset(&req, 0, sizeof(req));
	memcpy(req.toy_id, loopback_id, PAWLINK_ID_LEN);
	ASSERT_EQ(0, ioctl(fd, PAWLINK_IOC_CONNECT, &req));
	ASSERT_EQ(0, kernel_wait_connected(fd));
	for (i = 0; i < WIRE_N; i++) {
		if (i == 1)
			ASSERT_EQ(0, ioctl(fd, PAWLINK_IOC_SET_KEYS, &keys));
		wire_frame(frame, wire_frames[i], i);
		ASSERT_EQ((ssize_t)wire_frames[i],
			  write(fd, frame, wire_frames[i]));
	}
	/* write() returns once the URB is queued: until the dongle has it. */
	ASSERT_TRUE(str_fmt(path, sizeof(path), "%s/relay1.log", dir));
	ASSERT_EQ(0, records_wait(path, b, sizeof(b), WIRE_N));
	ASSERT_EQ(0, dongle_close(&d, fd));
	ASSERT_EQ(0, driver_unload());

	ASSERT_TRUE(str_fmt(path, sizeof(path), "%s/relay0.log", dir));
	na = records_out(path, a, sizeof(a), la, 16);
	ASSERT_TRUE(str_fmt(path, sizeof(path), "%s/relay1.log", dir));
	nb = records_out(path, b, sizeof(b), lb, 16);
	ASSERT_EQ(WIRE_N, na);
	ASSERT_EQ(WIRE_N, nb);
	for (i = 0, off = 0; i < WIRE_N; off += la[i], i++) {
		EXPECT_EQ(lb[i], la[i]);
		EXPECT_EQ(0, memcmp(a + off, b + off, la[i]));
	}
	/* Sealed (channel 1, epoch 1) after the first. */
	EXPECT_EQ(PAWLINK_CH_PLAIN, a[1]);
	EXPECT_EQ(PAWLINK_CH_CTRL, a[la[0] + 1]);
}

TEST_HARNESS_MAIN
