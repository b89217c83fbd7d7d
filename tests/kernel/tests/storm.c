// SPDX-License-Identifier: GPL-2.0
/*
 * Storms under load (issue 13b): while a duplex stream runs on one
 * dongle's card (capture and playback through alsa-lib at once, as
 * arecord and aplay would) and pawctl moves messages through a second
 * dongle to a second toy, the stream's dongle is
 *
 * - unplugged at a random moment, over and over (unplug_under_load):
 *   both directions end with ENODEV or EBADFD, the dongle comes back on
 *   the same /dev/pawlinkN and card, the messages never fail; the slab
 *   caches that grew are printed (kmemleak judges leaks, in the debug
 *   lane);
 * - reloaded (reload_under_load): rmmod fails with EWOULDBLOCK while
 *   the card and the message dongle are in use, and the streams go on;
 *   once they are closed rmmod succeeds, modprobe binds both dongles on
 *   the same minors and a new session streams;
 * - reset with USBDEVFS_RESET (usb_reset_mid_stream): EBADFD both ways,
 *   still bound on the same node, a new session streams;
 * - set to autosuspend (autosuspend_mid_stream): the open streams hold it
 *   awake, closed it sleeps, opened again it wakes and streams;
 * - left by its toy, powered off and on (toy_power_cycle_mid_stream): off
 *   until the link's supervision ends the streams with EBADFD, or on again
 *   at once, when the stream ends with EBADFD or ALSA's EIO; a new session
 *   streams either way.
 *
 * duplex_soak (PAWLINK_STORM_AUDIO_SECONDS, 0 = skipped) streams duplex
 * with messages moving for that long and reports xruns and losses.
 *
 * Counts are knobs (the environment, or `tests/kernel/run --append`):
 * PAWLINK_STORM_UNPLUGS, _RELOADS, _RESETS, _TOY_CYCLES, _AUDIO_SECONDS,
 * and PAWLINK_STORM_SEED for the unplug moments (printed; the same seed
 * gives the same moments).  Each test ends with one "storm-report:" line
 * that `tests/kernel/soak` collects.  The lane's dmesg check (and
 * kmemleak, in the debug lane) judges the kernel.  Every wait is bounded;
 * no time is asserted.
 */
#include <sys/syscall.h>

#include <sndfile.h>

#include "kselftest_harness.h"
#include "common.h"
#include "procs.h"
#include "pawctl_run.h"
#include "slab_delta.h"
#include "storm_load.h"
#include "usb_dev.h"

/* The stream's ring, in periods: half a second, TCG stalls the reader. */
#define RING_PERIODS	50
/* Periods each way that show a stream is running. */
#define MOVING_PERIODS	5
/* A stream must have ended by then after the event (supervision is 2 s,
 * ALSA's own wait 5 s). */
#define END_WAIT_MS	15000
/* The unplug comes up to this long after both directions moved. */
#define UNPLUG_SPREAD_MS 1000
/* Every test's own limit: the knobs decide the length. */
#define STORM_LIMIT_S	(8 * 3600)

/* ---- knobs --------------------------------------------------------------- */

static unsigned long knob_count(const char *name, long dflt, long max)
{
	long v = lane_knob(name, dflt);

	return v >= 0 && v <= max ? (unsigned long)v : (unsigned long)dflt;
}

/* PAWLINK_STORM_SEED, or one from the clock; printed either way. */
static unsigned int storm_seed(void)
{
	long v = lane_knob("PAWLINK_STORM_SEED", -1);

	return v >= 0 ? (unsigned int)v : (unsigned int)(now_ms() % 1000000);
}

/* PAWLINK_STORM_AUDIO_SECONDS: duplex_soak's length, 0 to skip it. */
static unsigned long soak_seconds(void)
{
	return knob_count("PAWLINK_STORM_AUDIO_SECONDS", 0, 7 * 24 * 3600);
}

/* Runtime PM in this kernel: usbcore has its autosuspend parameter. */
static bool runtime_pm(void)
{
	return access("/sys/module/usbcore/parameters/autosuspend", F_OK) == 0;
}

/* ---- the world: air, two toys, two dongles, a kept session ------------- */

struct toy_side {
	const char *name;		/* as paired: "bear", "bunny" */
	const char *mic;
	char dir[96], log[96], label[128];
	char hex[2 * PAWLINK_ID_LEN + 1];
	struct proc p;
};

FIXTURE(storm) {
	char dir[64], sock[96], store[96], hw[32];
	struct proc air;
	struct toy_side bear, bunny;
	struct dongle d;		/* the stream's, UDC 0 */
	struct dongle m;		/* the messages', UDC 1 */
	char node0[64];			/* d's node and card when first bound */
	int card0;
	char mnode0[64];
	struct load_stream cap, play;
	struct mover mv;
	struct run r;
	long t_start;
};

static const char *pawsim_path(void)
{
	return getenv("PAWSIM") ? getenv("PAWSIM") : "pawsim";
}

static int toy_up(FIXTURE_DATA(storm) *self, struct toy_side *t)
{
	const char *const argv[] = {
		pawsim_path(), "toy", "--air", self->sock, "--dir", t->dir,
		"--mic", t->mic, NULL
	};
	uint8_t id[PAWLINK_ID_LEN];
	int err, i;

	err = start_ready(&t->p, argv, t->log);
	if (err)
		return err;
	err = toy_id_from_log(t->log, id);
	for (i = 0; !err && i < PAWLINK_ID_LEN; i++)
		sprintf(t->hex + 2 * i, "%02x", id[i]);
	return err;
}

/* A toy switched off (no goodbye) and on again. */
static int toy_power_cycle(FIXTURE_DATA(storm) *self, struct toy_side *t)
{
	if (t->p.pid) {
		kill(t->p.pid, SIGKILL);
		waitpid(t->p.pid, NULL, 0);
		t->p.pid = 0;
	}
	return toy_up(self, t);
}

/* Plugs @d into UDC @udc on the air. */
static int dongle_up(FIXTURE_DATA(storm) *self, struct dongle *d, int udc)
{
	int err;

	if (setenv("PAWLINK_TEST_AIR", self->sock, 1))
		return -errno;
	err = dongle_plug(d, udc, NULL, 0);
	unsetenv("PAWLINK_TEST_AIR");
	return err;
}

static void hw_name(FIXTURE_DATA(storm) *self)
{
	snprintf(self->hw, sizeof(self->hw), "hw:%d,0", self->d.card);
}

/* pawctl --device NODE ARGS... (the fixture's store); its exit status. */
#define PAWCTL_AT(self, node, ...) PAWCTL(self, "--device", (node), __VA_ARGS__)

/* Pairs toy @t through the dongle at @node under its name. */
static int pair(FIXTURE_DATA(storm) *self, struct toy_side *t, const char *node)
{
	char want[96];
	int tries;

	press(t->dir);
	snprintf(want, sizeof(want), "{\"id\":\"%s\",\"pairing\":true}", t->hex);
	for (tries = 0; tries < 15; tries++)
		if (PAWCTL_AT(self, node, "--json", "scan") == 0 &&
		    json_has(self->r.out, want))
			break;
	if (tries == 15)
		return -1;
	return PAWCTL_AT(self, node, "pair", t->hex, "--name", t->name,
			 "--code-file", t->label);
}

/* `pawctl connect bear` on the stream's dongle, and the driver keyed. */
static int connect_bear(FIXTURE_DATA(storm) *self)
{
	int tries;

	/* The toy may still hold the last session for a moment. */
	for (tries = 0; tries < 5; tries++) {
		if (PAWCTL_AT(self, self->d.node, "connect", "bear") == 0)
			return intf_attr_wait(&self->d, "keyed", "1");
		sleep_ms(500);
	}
	return -ECONNREFUSED;
}

static void toy_side_init(FIXTURE_DATA(storm) *self, struct toy_side *t,
			  const char *name, const char *mic)
{
	t->name = name;
	t->mic = mic;
	str_fmt(t->dir, sizeof(t->dir), "%s/%s", self->dir, name);
	str_fmt(t->log, sizeof(t->log), "%s/%s.log", self->dir, name);
	str_fmt(t->label, sizeof(t->label), "%s/label", t->dir);
}

/* Half a second of a 440 Hz square wave: the messages the mover sends. */
static int message_wav(const char *path)
{
	static int16_t tone[8000];
	SF_INFO info = {
		.samplerate = 16000, .channels = 1,
		.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16,
	};
	SNDFILE *f;
	sf_count_t n;

	load_tone(tone, 8000);
	f = sf_open(path, SFM_WRITE, &info);
	if (!f)
		return -EIO;
	n = sf_writef_short(f, tone, 8000);
	return sf_close(f) || n != 8000 ? -EIO : 0;
}

/*
 * The air, "bear" (a 440 Hz microphone) paired through the stream's
 * dongle and connected, "bunny" paired through the message dongle, and
 * the mover sending bunny messages.
 */
FIXTURE_SETUP(storm)
{
	long t0 = now_ms();
	const char *const air[] = {
		pawsim_path(), "air", "--socket", self->sock, NULL
	};

	self->t_start = t0;
	self->d.card = self->m.card = -1;
	strcpy(self->dir, "/tmp/storm.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	/* no world for a test that will skip: it costs seconds under TCG */
	if ((!strcmp(_metadata->name, "duplex_soak") && !soak_seconds()) ||
	    (!strcmp(_metadata->name, "autosuspend_mid_stream") &&
	     (!strcmp(lane_speed(), "super") || !runtime_pm())))
		return;
	ASSERT_TRUE(str_fmt(self->sock, sizeof(self->sock), "%s/air.sock",
			    self->dir));
	ASSERT_TRUE(str_fmt(self->store, sizeof(self->store), "%s/host",
			    self->dir));
	toy_side_init(self, &self->bear, "bear", "tone:440");
	toy_side_init(self, &self->bunny, "bunny", "silence");
	ASSERT_EQ(0, start_ready(&self->air, air, NULL));
	ASSERT_EQ(0, toy_up(self, &self->bear));
	ASSERT_EQ(0, toy_up(self, &self->bunny));
	ASSERT_EQ(0, dongle_up(self, &self->d, 0));
	ASSERT_EQ(0, dongle_up(self, &self->m, 1));
	ASSERT_EQ(0, pair(self, &self->bear, self->d.node));
	ASSERT_EQ(0, pair(self, &self->bunny, self->m.node));
	ASSERT_EQ(0, connect_bear(self));
	hw_name(self);
	strcpy(self->node0, self->d.node);
	self->card0 = self->d.card;
	strcpy(self->mnode0, self->m.node);

	strcpy(self->mv.store, self->store);
	strcpy(self->mv.device, self->m.node);
	self->mv.toy = "bunny";
	ASSERT_TRUE(str_fmt(self->mv.wav, sizeof(self->mv.wav), "%s/msg.wav",
			    self->dir));
	ASSERT_TRUE(str_fmt(self->mv.out, sizeof(self->mv.out), "%s/got.opus",
			    self->dir));
	ASSERT_EQ(0, message_wav(self->mv.wav));
	ASSERT_EQ(0, mover_start(&self->mv));
	TH_LOG("world up in %.1f s (%s speed): stream on %s card %d, messages on %s",
	       (now_ms() - t0) / 1000.0, lane_speed(), self->d.node,
	       self->d.card, self->m.node);
}

FIXTURE_TEARDOWN(storm)
{
	const char *const rm[] = { "rm", "-rf", self->dir, NULL };

	load_stream_close(&self->cap);
	load_stream_close(&self->play);
	mover_stop(&self->mv);
	dongle_stop(&self->d);
	dongle_stop(&self->m);
	stop_proc(&self->bear.p);
	stop_proc(&self->bunny.p);
	stop_proc(&self->air);
	run_cmd(rm);
	fprintf(stderr, "# %s: %.1f s at %s speed\n", _metadata->name,
		(now_ms() - self->t_start) / 1000.0, lane_speed());
}

/* ---- the stream ------------------------------------------------------------ */

/* Opens both directions on the stream's card; they run in threads. */
static void streams_start(struct __test_metadata *_metadata,
			  FIXTURE_DATA(storm) *self)
{
	int err;

	err = load_stream_start(&self->cap, self->hw, false, RING_PERIODS);
	ASSERT_EQ(0, err) TH_LOG("capture open: %s", snd_strerror(err));
	err = load_stream_start(&self->play, self->hw, true, RING_PERIODS);
	ASSERT_EQ(0, err) TH_LOG("playback open: %s", snd_strerror(err));
}

/* Waits (bounded) until both directions moved @periods more periods. */
static int streams_moving(FIXTURE_DATA(storm) *self, unsigned int periods)
{
	uint64_t rx = stat_get(&self->d, "audio_rx_periods");
	uint64_t tx = stat_get(&self->d, "audio_tx_periods");
	int err;

	err = stat_wait_ge(&self->d, "audio_rx_periods", rx + periods);
	if (!err)
		err = stat_wait_ge(&self->d, "audio_tx_periods", tx + periods);
	return err;
}

/*
 * After @what both directions end by themselves, bounded, with one of
 * @ok1 and @ok2 (negative errnos); then they are closed.
 */
static void streams_end_with(struct __test_metadata *_metadata,
			     FIXTURE_DATA(storm) *self, const char *what,
			     int ok1, int ok2)
{
	struct load_stream *s[2] = { &self->cap, &self->play };
	int i;

	for (i = 0; i < 2; i++) {
		bool ended = load_stream_ended(s[i], END_WAIT_MS);

		EXPECT_TRUE(ended) TH_LOG("%s: the %s hangs", what,
					  i ? "playback" : "capture");
		if (ended)
			EXPECT_TRUE(s[i]->err == ok1 || s[i]->err == ok2)
				TH_LOG("%s: %s ended with %s", what,
				       i ? "playback" : "capture",
				       snd_strerror(s[i]->err));
		load_stream_close(s[i]);
	}
}

/* The next stream works: half a second of the toy's tone, not silence. */
static void next_stream_works(struct __test_metadata *_metadata,
			      FIXTURE_DATA(storm) *self)
{
	static int16_t buf[50 * LOAD_PERIOD];
	snd_pcm_t *pcm;
	long k, sound = 0;

	ASSERT_EQ(0, snd_pcm_open(&pcm, self->hw, SND_PCM_STREAM_CAPTURE, 0));
	ASSERT_EQ(0, pcm_params(pcm, LOAD_PERIOD, RING_PERIODS, 1));
	EXPECT_EQ(50 * LOAD_PERIOD, snd_pcm_readi(pcm, buf, 50 * LOAD_PERIOD));
	for (k = 0; k < 50 * LOAD_PERIOD; k++)
		sound += buf[k] != 0;
	/* lost periods are silence: TCG may lose some, not all */
	EXPECT_LT(LOAD_PERIOD, sound);
	EXPECT_EQ(0, snd_pcm_close(pcm));
}

/* The messages moved all through, none failed; said in the report. */
static void mover_verdict(struct __test_metadata *_metadata,
			  FIXTURE_DATA(storm) *self)
{
	mover_stop(&self->mv);
	EXPECT_EQ(0, self->mv.failed) TH_LOG("last: %s", self->mv.last_err);
	EXPECT_LT(0, mover_moved(&self->mv));
}

/* ---- unplug storm ----------------------------------------------------------- */

/*
 * One cycle: the duplex stream up and moving, the unplug @delay_ms later,
 * both directions ended as documented, closed.  The dongle is left
 * unplugged.
 */
static void unplug_mid_stream(struct __test_metadata *_metadata,
			      FIXTURE_DATA(storm) *self, unsigned long cycle,
			      long delay_ms)
{
	char what[64];

	streams_start(_metadata, self);
	ASSERT_EQ(0, streams_moving(self, MOVING_PERIODS))
		TH_LOG("cycle %lu: the stream does not move", cycle);
	sleep_ms(delay_ms);
	ASSERT_EQ(0, dongle_stop(&self->d)) TH_LOG("cycle %lu", cycle);
	snprintf(what, sizeof(what), "cycle %lu (unplug after %ld ms)", cycle,
		 delay_ms);
	streams_end_with(_metadata, self, what, -ENODEV, -EBADFD);
}

/*
 * The toy never heard a goodbye and keeps the old session until it idles
 * out (Documentation/toy.rst): power-cycle it, as a user would, plug the
 * dongle again, connect.  The dongle must be back on its minor and card.
 */
static void replug(struct __test_metadata *_metadata,
		   FIXTURE_DATA(storm) *self, unsigned long cycle)
{
	ASSERT_EQ(0, toy_power_cycle(self, &self->bear));
	ASSERT_EQ(0, dongle_up(self, &self->d, 0)) TH_LOG("cycle %lu", cycle);
	EXPECT_STREQ(self->node0, self->d.node);
	EXPECT_EQ(self->card0, self->d.card);
	hw_name(self);
	ASSERT_EQ(0, connect_bear(self)) TH_LOG("cycle %lu", cycle);
}

/* A slab snapshot with the mover held, so no pawctl allocates meanwhile. */
static void quiet_snapshot(struct __test_metadata *_metadata,
			   FIXTURE_DATA(storm) *self, struct slab_snapshot *s)
{
	ASSERT_EQ(0, mover_hold(&self->mv, true));
	ASSERT_EQ(0, slab_snapshot_take(s));
	mover_hold(&self->mv, false);
}

TEST_F_TIMEOUT(storm, unplug_under_load, STORM_LIMIT_S)
{
	static struct slab_snapshot before, after;
	const unsigned long cycles = knob_count("PAWLINK_STORM_UNPLUGS", 20,
						1000000);
	unsigned int seed = storm_seed(), rng;
	unsigned long i;
	char grown[SLAB_NAME_MAX];
	long t0, t1 = 0, growth, delay;

	if (!cycles)
		SKIP(return, "PAWLINK_STORM_UNPLUGS=0");
	TH_LOG("%lu unplugs, seed %u (PAWLINK_STORM_SEED=%u repeats them)",
	       cycles, seed, seed);
	rng = seed;
	t0 = now_ms();
	for (i = 0; i < cycles; i++) {
		if (i)
			replug(_metadata, self, i);
		delay = rand_r(&rng) % UNPLUG_SPREAD_MS;
		unplug_mid_stream(_metadata, self, i, delay);
		if (_metadata->passed == 0)
			break;
		/* the first cycle warms every cache; count from after it */
		if (i == 0) {
			quiet_snapshot(_metadata, self, &before);
			t1 = now_ms();
		}
		if ((i + 1) % 50 == 0)
			TH_LOG("%lu cycles, %.2f s each, %lu messages",
			       i + 1, (now_ms() - t0) / 1000.0 / (i + 1),
			       mover_moved(&self->mv));
	}
	ASSERT_EQ(cycles, i);
	quiet_snapshot(_metadata, self, &after);
	/*
	 * A figure, not a verdict: Debian's 6.1 leaks in FunctionFS (the
	 * test rig's side, tests/kernel/debug-patches/), and vmalloc areas
	 * and task stacks are freed lazily, so caches grow by several
	 * objects per cycle without pawlink.ko.  kmemleak judges, in the
	 * debug lane, whose kernel has the FunctionFS fix.
	 */
	growth = slab_most_grown(&before, &after, grown, sizeof(grown));
	TH_LOG("slab: after %lu cycles the most grown cache is %s, %+ld objects; grown by one a cycle or more:",
	       cycles - 1, grown, growth);
	slab_print_growth(&before, &after, cycles > 1 ? (long)cycles - 1 : 1);

	replug(_metadata, self, i);
	next_stream_works(_metadata, self);
	mover_verdict(_metadata, self);
	TH_LOG("storm-report: test=unplug speed=%s unplugs=%lu seed=%u s_per_unplug=%.2f messages=%lu message_failures=%lu slab_most_grown=%s:%ld",
	       lane_speed(), cycles, seed,
	       cycles > 1 ? (now_ms() - t1) / 1000.0 / (cycles - 1) :
			    (now_ms() - t0) / 1000.0,
	       mover_moved(&self->mv), self->mv.failed, grown, growth);
}

/* ---- rmmod / modprobe under load -------------------------------------------- */

static int delete_module(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? errno : 0;
}

static int modprobe_pawlink(void)
{
	const char *const kmod[] = { "/usr/sbin/modprobe", "pawlink", NULL };
	const char *const any[] = { "modprobe", "pawlink", NULL };

	return run_cmd(access(kmod[0], X_OK) ? any : kmod);
}

/*
 * While the card is streaming and pawctl holds the other dongle, rmmod
 * must fail (the open files pin the module, as with snd-usb-audio) and
 * change nothing: the streams go on.  Closed, with the session ended, it
 * succeeds and unbinds both dongles; modprobe binds them again on the
 * same minors, and the next session streams.
 */
TEST_F_TIMEOUT(storm, reload_under_load, STORM_LIMIT_S)
{
	const unsigned long reloads = knob_count("PAWLINK_STORM_RELOADS", 3,
						 100000);
	unsigned long i;
	long t0 = now_ms();
	int err;

	if (!reloads)
		SKIP(return, "PAWLINK_STORM_RELOADS=0");
	for (i = 0; i < reloads; i++) {
		streams_start(_metadata, self);
		ASSERT_EQ(0, streams_moving(self, MOVING_PERIODS));
		err = delete_module("pawlink");
		EXPECT_TRUE(err == EWOULDBLOCK || err == EBUSY)
			TH_LOG("reload %lu: rmmod under load: %s", i,
			       strerror(err));
		ASSERT_EQ(0, access("/sys/module/pawlink", F_OK));
		EXPECT_EQ(0, streams_moving(self, MOVING_PERIODS))
			TH_LOG("reload %lu: the stream stopped after the failed rmmod",
			       i);
		EXPECT_EQ(0, self->cap.err);
		EXPECT_EQ(0, self->play.err);

		load_stream_close(&self->cap);
		load_stream_close(&self->play);
		ASSERT_EQ(0, mover_hold(&self->mv, true));
		ASSERT_EQ(0, PAWCTL_AT(self, self->d.node, "disconnect"));
		err = delete_module("pawlink");
		ASSERT_EQ(0, err) TH_LOG("reload %lu: rmmod when idle: %s", i,
					 strerror(err));
		EXPECT_FALSE(intf_bound_to_pawlink(self->d.intf));
		EXPECT_FALSE(intf_bound_to_pawlink(self->m.intf));
		EXPECT_NE(0, access(self->d.node, F_OK));

		ASSERT_EQ(0, modprobe_pawlink());
		ASSERT_EQ(0, dongle_wait_bound(&self->d));
		ASSERT_EQ(0, dongle_wait_bound(&self->m));
		/* the same two minors, whichever probed first */
		EXPECT_TRUE((!strcmp(self->d.node, self->node0) &&
			     !strcmp(self->m.node, self->mnode0)) ||
			    (!strcmp(self->d.node, self->mnode0) &&
			     !strcmp(self->m.node, self->node0)))
			TH_LOG("reload %lu: %s and %s, were %s and %s", i,
			       self->d.node, self->m.node, self->node0,
			       self->mnode0);
		hw_name(self);
		strcpy(self->mv.device, self->m.node);
		ASSERT_EQ(0, connect_bear(self)) TH_LOG("reload %lu", i);
		mover_hold(&self->mv, false);
	}
	next_stream_works(_metadata, self);
	mover_verdict(_metadata, self);
	TH_LOG("storm-report: test=reload speed=%s reloads=%lu s_per_reload=%.2f messages=%lu message_failures=%lu",
	       lane_speed(), reloads, (now_ms() - t0) / 1000.0 / reloads,
	       mover_moved(&self->mv), self->mv.failed);
}

/* ---- USB reset, autosuspend ---------------------------------------------------- */

/*
 * USBDEVFS_RESET on the stream's dongle: the dongle lost its link, so the
 * session ends and both directions with EBADFD (Documentation/driver.rst,
 * "reset_resume, pre_reset / post_reset"); the driver stays bound on the
 * same node; after DISCONNECT a new session (the toy power-cycled: it
 * heard no goodbye) streams.
 */
TEST_F_TIMEOUT(storm, usb_reset_mid_stream, STORM_LIMIT_S)
{
	const unsigned long resets = knob_count("PAWLINK_STORM_RESETS", 2,
						100000);
	char dir[256];
	unsigned long i;
	int ufd;

	for (i = 0; i < resets; i++) {
		streams_start(_metadata, self);
		ASSERT_EQ(0, streams_moving(self, MOVING_PERIODS));
		ASSERT_EQ(0, usb_dev_dir(&self->d, dir, sizeof(dir)));
		ufd = usbfs_open(dir);
		ASSERT_LE(0, ufd) TH_LOG("usbfs node: %s", strerror(-ufd));
		EXPECT_EQ(0, ioctl(ufd, USBDEVFS_RESET, 0))
			TH_LOG("USBDEVFS_RESET: %s", strerror(errno));
		close(ufd);
		streams_end_with(_metadata, self, "USB reset", -EBADFD, -EBADFD);
		EXPECT_TRUE(intf_bound_to_pawlink(self->d.intf));
		ASSERT_EQ(0, dongle_wait_bound(&self->d));
		EXPECT_STREQ(self->node0, self->d.node);
		EXPECT_EQ(0, PAWCTL_AT(self, self->d.node, "disconnect"));
		ASSERT_EQ(0, toy_power_cycle(self, &self->bear));
		ASSERT_EQ(0, connect_bear(self));
	}
	next_stream_works(_metadata, self);
	mover_verdict(_metadata, self);
	TH_LOG("storm-report: test=reset speed=%s resets=%lu messages=%lu message_failures=%lu",
	       lane_speed(), resets, mover_moved(&self->mv), self->mv.failed);
}

/*
 * Autosuspend asked for (power/control auto, delay 0) while both
 * directions stream: an open PCM holds an autopm reference, so the dongle
 * stays active and the streams go on; closed, it sleeps (the session kept
 * in the driver holds no file); opened again, it wakes and streams.  Not
 * at super speed (dummy_hcd cannot suspend a SuperSpeed port:
 * pawlink_pm.c) nor without CONFIG_PM (the debug kernel).
 */
TEST_F_TIMEOUT(storm, autosuspend_mid_stream, STORM_LIMIT_S)
{
	char dir[256], path[300], status[32];
	unsigned int polls = 0, asleep = 0;
	long until, frames0;

	if (!strcmp(lane_speed(), "super"))
		SKIP(return, "dummy_hcd cannot put a SuperSpeed port in U3");
	if (!runtime_pm())
		SKIP(return, "no runtime PM in this kernel (CONFIG_PM)");
	ASSERT_EQ(0, usb_dev_dir(&self->d, dir, sizeof(dir)));
	ASSERT_TRUE(str_fmt(path, sizeof(path), "%s/power/runtime_status",
			    dir));

	streams_start(_metadata, self);
	ASSERT_EQ(0, streams_moving(self, MOVING_PERIODS));
	ASSERT_EQ(0, write_attr(dir, "power/control", "auto"));
	/* a second of stream (100 periods each way), awake all through */
	until = now_ms() + WAIT_MS;
	frames0 = load_frames(&self->cap);
	while (load_frames(&self->cap) < frames0 + 100 * LOAD_PERIOD &&
	       now_ms() < until) {
		ASSERT_EQ(0, read_text(path, status, sizeof(status)));
		asleep += strcmp(status, "active") != 0;
		polls++;
		sleep_ms(POLL_STEP_MS);
	}
	EXPECT_EQ(0, asleep) TH_LOG("not active at %u of %u looks mid-stream",
				    asleep, polls);
	EXPECT_EQ(0, streams_moving(self, 100));
	EXPECT_EQ(0, self->cap.err);
	EXPECT_EQ(0, self->play.err);
	ASSERT_EQ(0, read_text(path, status, sizeof(status)));
	EXPECT_STREQ("active", status);
	load_stream_close(&self->cap);
	load_stream_close(&self->play);

	EXPECT_EQ(0, runtime_status_wait(dir, "suspended"));
	next_stream_works(_metadata, self);
	EXPECT_EQ(0, write_attr(dir, "power/control", "on"));
	mover_verdict(_metadata, self);
	TH_LOG("storm-report: test=autosuspend speed=%s status_polls=%u messages=%lu message_failures=%lu",
	       lane_speed(), polls, mover_moved(&self->mv), self->mv.failed);
}

/* ---- the toy off and on ------------------------------------------------------------ */

/*
 * The toy switched off mid-stream, then on: odd cycles leave it off until
 * the dongle's link supervision (2 s) ends both directions with EBADFD;
 * even cycles switch it on at once, when its beacons keep the link up but
 * it has forgotten the session: then the stream ends with EBADFD or, with
 * no period coming, ALSA's EIO after its 5 s wait (Documentation/
 * driver.rst, "Errors").  Nothing hangs, and after `pawctl disconnect` a
 * new session streams.
 */
TEST_F_TIMEOUT(storm, toy_power_cycle_mid_stream, STORM_LIMIT_S)
{
	const unsigned long cycles = knob_count("PAWLINK_STORM_TOY_CYCLES", 2,
						100000);
	unsigned long i;
	long t0;

	for (i = 0; i < cycles; i++) {
		bool wait_off = i % 2 == 0;

		streams_start(_metadata, self);
		ASSERT_EQ(0, streams_moving(self, MOVING_PERIODS));
		t0 = now_ms();
		if (wait_off) {
			kill(self->bear.p.pid, SIGKILL);
			waitpid(self->bear.p.pid, NULL, 0);
			self->bear.p.pid = 0;
			streams_end_with(_metadata, self, "toy off", -EBADFD,
					 -EBADFD);
			ASSERT_EQ(0, toy_up(self, &self->bear));
		} else {
			ASSERT_EQ(0, toy_power_cycle(self, &self->bear));
			streams_end_with(_metadata, self, "toy off and on",
					 -EBADFD, -EIO);
		}
		TH_LOG("toy %s: capture %s, playback %s, after %ld ms",
		       wait_off ? "off" : "off and on at once",
		       snd_strerror(self->cap.err), snd_strerror(self->play.err),
		       now_ms() - t0);
		/* ends a session the toy forgot; none if the link went */
		EXPECT_EQ(0, PAWCTL_AT(self, self->d.node, "disconnect"));
		EXPECT_EQ(0, intf_attr_wait(&self->d, "keyed", "0"));
		ASSERT_EQ(0, connect_bear(self));
	}
	next_stream_works(_metadata, self);
	mover_verdict(_metadata, self);
	TH_LOG("storm-report: test=toy_power speed=%s toy_cycles=%lu messages=%lu message_failures=%lu",
	       lane_speed(), cycles, mover_moved(&self->mv), self->mv.failed);
}

/* ---- the soak's hours of audio --------------------------------------------------- */

/*
 * PAWLINK_STORM_AUDIO_SECONDS of duplex with messages moving (make soak:
 * an hour).  Nothing ends the streams: each must still be running at the
 * end, and every message moves.  Xruns (the guest not scheduling the
 * program in time under TCG) and the driver's losses are reported, not
 * judged: real time is not what this lane can promise.
 */
TEST_F_TIMEOUT(storm, duplex_soak, STORM_LIMIT_S)
{
	const unsigned long seconds = soak_seconds();
	uint64_t lost0, rx0, tx0, gaps0;
	long t0, end, next_note;

	if (!seconds)
		SKIP(return, "PAWLINK_STORM_AUDIO_SECONDS=0 (make soak sets it)");
	lost0 = stat_get(&self->d, "audio_lost_frames");
	gaps0 = stat_get(&self->d, "audio_gaps_too_large");
	rx0 = stat_get(&self->d, "audio_rx_periods");
	tx0 = stat_get(&self->d, "audio_tx_periods");
	streams_start(_metadata, self);
	t0 = now_ms();
	end = t0 + (long)seconds * 1000;
	next_note = t0 + 600 * 1000;
	while (now_ms() < end && !self->cap.err && !self->play.err) {
		sleep_ms(500);
		if (now_ms() >= next_note) {
			TH_LOG("%.0f s: capture %ld frames, playback %ld, xruns %u/%u, %lu messages",
			       (now_ms() - t0) / 1000.0, load_frames(&self->cap),
			       load_frames(&self->play), self->cap.xruns,
			       self->play.xruns, mover_moved(&self->mv));
			next_note += 600 * 1000;
		}
	}
	EXPECT_EQ(0, self->cap.err) TH_LOG("capture: %s",
					   snd_strerror(self->cap.err));
	EXPECT_EQ(0, self->play.err) TH_LOG("playback: %s",
					    snd_strerror(self->play.err));
	load_stream_close(&self->cap);
	load_stream_close(&self->play);
	mover_verdict(_metadata, self);
	TH_LOG("storm-report: test=duplex_soak speed=%s audio_s=%.0f capture_frames=%ld playback_frames=%ld capture_xruns=%u playback_xruns=%u rx_periods=%llu tx_periods=%llu lost_frames=%llu gaps_too_large=%llu messages=%lu message_failures=%lu",
	       lane_speed(), (now_ms() - t0) / 1000.0, load_frames(&self->cap),
	       load_frames(&self->play), self->cap.xruns, self->play.xruns,
	       (unsigned long long)(stat_get(&self->d, "audio_rx_periods") - rx0),
	       (unsigned long long)(stat_get(&self->d, "audio_tx_periods") - tx0),
	       (unsigned long long)(stat_get(&self->d, "audio_lost_frames") - lost0),
	       (unsigned long long)(stat_get(&self->d, "audio_gaps_too_large") - gaps0),
	       mover_moved(&self->mv), self->mv.failed);
}

TEST_HARNESS_MAIN
