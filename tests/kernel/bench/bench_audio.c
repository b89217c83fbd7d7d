// SPDX-License-Identifier: GPL-2.0
/*
 * The sound card's benchmarks (DESIGN.md §6), in the kernel lane's guest
 * (`make bench` runs tests/kernel/bench-guest.sh there, which runs this).
 * Every figure comes from the clocks an ALSA application has (poll
 * wake-ups, snd_pcm_delay(), xrun returns) and is a ratio to a baseline
 * of the same run: the 10 ms period, or snd-aloop moving the same stream
 * in the same guest.  Nothing passes or fails on a time.
 *
 *  1. capture latency: from the toy's record leaving the dongle (pawsim
 *     dongle --trace: just before the IN transfer is offered) to the
 *     period being readable (poll() on the capture PCM returns with a
 *     period available), against one period (target <= 1);
 *  2. playback: what snd_pcm_delay() reports beyond the frames still in
 *     the ring (runtime->delay: records sent, not yet played by the toy),
 *     and so a frame's way from write() to the toy's speaker with the
 *     buffer kept full, against one period;
 *  3. kernel CPU per second of duplex audio (this program's system time
 *     plus the guest's irq and softirq time, less the same scene idle;
 *     the whole guest's too), pawlink against snd-aloop duplex at the
 *     same format (target <= 2x);
 *  4. xruns in SECONDS (default 600) of duplex (target 0);
 *  5. 2, then 8 dongles (dummy_hcd num=8) with as many toys streaming
 *     duplex at once: xruns, streams that failed, and CPU against one
 *     dongle's times as many.
 *
 *   bench_audio [SECONDS]   the length of run 4 (default 600)
 *
 * It reloads dummy_hcd and plugs its own dongles: run it where nothing
 * else uses them, as the lane's guest under tests/kernel/run --script.
 */
#include <pthread.h>

#include <alsa/asoundlib.h>

#include "common.h"
#include "procs.h"
#include "pawctl_run.h"

#define RATE		PAWLINK_AUDIO_RATE
#define PERIOD		PAWLINK_AUDIO_PERIOD_FRAMES
#define PERIOD_NS	10000000.0
#define BUFFER_PERIODS	10
#define MAX_DONGLES	8
#define LATENCY_S	10
#define CPU_S		20
#define SCALE_S		30

struct toy_slot {
	char dir[96], log[96], label[128], hex[2 * PAWLINK_ID_LEN + 1];
	struct proc p;
	struct dongle d;
	bool plugged;
};

struct scene {
	char dir[64], sock[96], store[96], trace[96];
	struct proc air;
	unsigned int n;
	struct toy_slot toys[MAX_DONGLES];
	struct run r;
};

static struct scene sc;

static void scene_down(void)
{
	const char *const rm[] = { "rm", "-rf", sc.dir, NULL };
	unsigned int i;

	for (i = 0; i < sc.n; i++) {
		struct toy_slot *t = &sc.toys[i];

		if (t->plugged) {
			const char *const d[] = {
				"--device", t->d.node, "disconnect", NULL
			};

			pawctl_argv(sc.store, &sc.r, NULL, d);
			dongle_stop(&t->d);
		}
		t->plugged = false;
		stop_proc(&t->p);
	}
	stop_proc(&sc.air);
	if (sc.dir[0])
		run_cmd(rm);
	sc.dir[0] = '\0';
	sc.n = 0;
}

static void __attribute__((noreturn)) die(const char *what, const char *why)
{
	fprintf(stderr, "bench_audio: %s: %s\n", what, why);
	scene_down();
	exit(1);
}

static double mono_ns(void)
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

/* The @q quantile (0..1) of @n values; sorts @v. */
static double quantile(double *v, size_t n, double q)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof(v[0]), cmp_double);
	return v[(size_t)(q * (double)(n - 1))];
}

/* Reloads dummy_hcd with @num UDCs at high speed (no gadget may be bound). */
static void dummy_hcd_reload(unsigned int num)
{
	char cmd[160];

	if (system("/usr/sbin/rmmod dummy_hcd 2>/dev/null; true"))
		die("rmmod dummy_hcd", "failed");
	snprintf(cmd, sizeof(cmd), "/usr/sbin/modprobe dummy_hcd num=%u "
		 "is_high_speed=1 is_super_speed=0", num);
	if (system(cmd))
		die("modprobe dummy_hcd", "failed");
}

/*
 * An air, @n toys on it (their microphones a tone), @n dongles on UDCs
 * 0..n-1 (the first traced to sc.trace), each toy paired as bearI and
 * connected through its own dongle: @n keyed sound cards.
 */
static void scene_up(unsigned int n)
{
	const char *pawsim = getenv("PAWSIM") ? getenv("PAWSIM") : "pawsim";
	uint8_t id[PAWLINK_ID_LEN];
	char name[16];
	unsigned int i, j;

	memset(&sc, 0, sizeof(sc));
	strcpy(sc.dir, "/tmp/bench-audio.XXXXXX");
	if (!mkdtemp(sc.dir))
		die("mkdtemp", strerror(errno));
	str_fmt(sc.sock, sizeof(sc.sock), "%s/air.sock", sc.dir);
	str_fmt(sc.store, sizeof(sc.store), "%s/host", sc.dir);
	str_fmt(sc.trace, sizeof(sc.trace), "%s/trace", sc.dir);
	{
		/*
		 * Eight duplex streams need some 4.7 Mbit/s of air; the
		 * default air (2M) is one radio channel's worth.
		 */
		const char *const air[] = {
			pawsim, "air", "--socket", sc.sock, "--rate",
			n > 1 ? "16M" : "2M", NULL
		};

		if (start_ready(&sc.air, air, NULL))
			die("pawsim air", "did not start");
	}
	for (i = 0; i < n; i++) {
		struct toy_slot *t = &sc.toys[i];

		str_fmt(t->dir, sizeof(t->dir), "%s/toy%u", sc.dir, i);
		str_fmt(t->log, sizeof(t->log), "%s/toy%u.log", sc.dir, i);
		str_fmt(t->label, sizeof(t->label), "%s/label", t->dir);
		{
			const char *const toy[] = {
				pawsim, "toy", "--air", sc.sock, "--dir",
				t->dir, "--mic", "tone:440", NULL
			};

			if (start_ready(&t->p, toy, t->log))
				die("pawsim toy", "did not start");
		}
		sc.n = i + 1;
		if (toy_id_from_log(t->log, id))
			die("pawsim toy", "no id in its log");
		for (j = 0; j < PAWLINK_ID_LEN; j++)
			sprintf(t->hex + 2 * j, "%02x", id[j]);

		setenv("PAWLINK_TEST_AIR", sc.sock, 1);
		if (i == 0)
			setenv("PAWLINK_TEST_TRACE", sc.trace, 1);
		if (dongle_plug(&t->d, (int)i, NULL, 0))
			die("pawsim dongle", "not bound");
		unsetenv("PAWLINK_TEST_TRACE");
		unsetenv("PAWLINK_TEST_AIR");
		t->plugged = true;
	}
	for (i = 0; i < n; i++) {
		struct toy_slot *t = &sc.toys[i];

		snprintf(name, sizeof(name), "bear%u", i);
		{
			const char *const scan[] = {
				"--device", t->d.node, "--json", "scan", NULL
			};
			const char *const pair[] = {
				"--device", t->d.node, "pair", t->hex,
				"--name", name, "--code-file", t->label, NULL
			};
			const char *const conn[] = {
				"--device", t->d.node, "connect", name, NULL
			};
			char want[64];
			int tries;

			press(t->dir);
			snprintf(want, sizeof(want),
				 "{\"id\":\"%s\",\"pairing\":true", t->hex);
			for (tries = 0; tries < 15; tries++)
				if (!pawctl_argv(sc.store, &sc.r, NULL, scan) &&
				    has(sc.r.out, want))
					break;
			if (pawctl_argv(sc.store, &sc.r, NULL, pair))
				die("pawctl pair", sc.r.err);
			if (pawctl_argv(sc.store, &sc.r, NULL, conn))
				die("pawctl connect", sc.r.err);
		}
	}
}

/* ---- streams -------------------------------------------------------------- */

/* One direction of a duplex run, in its own thread. */
struct stream {
	char device[64];
	snd_pcm_stream_t dir;
	double seconds;
	/* Results. */
	unsigned long periods, xruns;
	int error;			/* a failure other than an xrun */
	double *ready_ns;		/* capture: when each period was readable */
	size_t ready_n, ready_max;
	/*
	 * snd_pcm_delay() less what is still in the ring (buffer - avail):
	 * the frames queued beyond the buffer, runtime->delay, each period.
	 */
	double *delay;
	size_t delay_n, delay_max;
};

static int pcm_setup(snd_pcm_t *pcm, snd_pcm_uframes_t *buffer_out)
{
	snd_pcm_hw_params_t *hw;
	snd_pcm_sw_params_t *sw;
	snd_pcm_uframes_t period = PERIOD, buffer = PERIOD * BUFFER_PERIODS;
	unsigned int rate = RATE;
	int err;

	snd_pcm_hw_params_alloca(&hw);
	snd_pcm_sw_params_alloca(&sw);
	if ((err = snd_pcm_hw_params_any(pcm, hw)) < 0 ||
	    (err = snd_pcm_hw_params_set_access(pcm, hw,
				SND_PCM_ACCESS_RW_INTERLEAVED)) < 0 ||
	    (err = snd_pcm_hw_params_set_format(pcm, hw,
						SND_PCM_FORMAT_S16_LE)) < 0 ||
	    (err = snd_pcm_hw_params_set_channels(pcm, hw, 1)) < 0 ||
	    (err = snd_pcm_hw_params_set_rate(pcm, hw, rate, 0)) < 0 ||
	    (err = snd_pcm_hw_params_set_period_size(pcm, hw, period, 0)) < 0 ||
	    (err = snd_pcm_hw_params_set_buffer_size_near(pcm, hw,
							  &buffer)) < 0 ||
	    (err = snd_pcm_hw_params(pcm, hw)) < 0)
		return err;
	if ((err = snd_pcm_sw_params_current(pcm, sw)) < 0 ||
	    (err = snd_pcm_sw_params_set_avail_min(pcm, sw, PERIOD)) < 0 ||
	    /* A full buffer first, as aplay does: more than the window. */
	    (err = snd_pcm_sw_params_set_start_threshold(pcm, sw,
							 buffer)) < 0 ||
	    (err = snd_pcm_sw_params(pcm, sw)) < 0)
		return err;
	*buffer_out = buffer;
	return 0;
}

static void push(double **v, size_t *n, size_t *max, double x)
{
	if (*n == *max) {
		size_t m = *max ? 2 * *max : 4096;
		double *p = realloc(*v, m * sizeof(*p));

		if (!p)
			return;
		*v = p;
		*max = m;
	}
	(*v)[(*n)++] = x;
}

static void *stream_main(void *arg)
{
	struct stream *s = arg;
	int16_t buf[PERIOD];
	snd_pcm_sframes_t n, delay, avail;
	snd_pcm_uframes_t buffer = 0;
	struct pollfd pfd[4];
	unsigned int i, k = 0;
	snd_pcm_t *pcm;
	double end;
	int nfds;

	s->error = snd_pcm_open(&pcm, s->device, s->dir, 0);
	if (s->error < 0)
		return NULL;
	s->error = pcm_setup(pcm, &buffer);
	if (s->error < 0)
		goto close;
	nfds = snd_pcm_poll_descriptors(pcm, pfd, 4);
	if (s->dir == SND_PCM_STREAM_CAPTURE)
		snd_pcm_start(pcm);
	end = mono_ns() + s->seconds * 1e9;
	while (mono_ns() < end) {
		if (s->dir == SND_PCM_STREAM_PLAYBACK) {
			for (i = 0; i < PERIOD; i++, k++)
				buf[i] = (int16_t)(8000 * ((k / 18) % 2 ? 1 : -1));
			n = snd_pcm_writei(pcm, buf, PERIOD);
		} else {
			/* Wait for a whole period: its readable moment. */
			if (snd_pcm_avail(pcm) < PERIOD)
				poll(pfd, (nfds_t)nfds, 1000);
			n = snd_pcm_avail(pcm);
			if (n >= PERIOD)
				push(&s->ready_ns, &s->ready_n, &s->ready_max,
				     mono_ns());
			n = snd_pcm_readi(pcm, buf, PERIOD);
		}
		if (n == -EPIPE) {
			s->xruns++;
			if ((s->error = snd_pcm_prepare(pcm)) < 0)
				break;
			if (s->dir == SND_PCM_STREAM_CAPTURE)
				snd_pcm_start(pcm);
			continue;
		}
		if (n < 0) {
			s->error = (int)n;
			break;
		}
		s->periods++;
		if (snd_pcm_avail_delay(pcm, &avail, &delay) == 0)
			push(&s->delay, &s->delay_n, &s->delay_max,
			     s->dir == SND_PCM_STREAM_PLAYBACK ?
			     (double)(delay - ((snd_pcm_sframes_t)buffer - avail)) :
			     (double)(delay - avail));
	}
	if (s->error >= 0)
		s->error = 0;
close:
	snd_pcm_close(pcm);
	return NULL;
}

/*
 * Runs the @n streams in @s at once, to the end.  A stream that fails
 * ends the bench, unless @tolerate: then their number is returned.
 */
static unsigned int streams_run_tolerant(struct stream *s, unsigned int n,
					 bool tolerate)
{
	pthread_t th[2 * MAX_DONGLES];
	unsigned int i, failed = 0;

	for (i = 0; i < n; i++)
		if (pthread_create(&th[i], NULL, stream_main, &s[i]))
			die("pthread_create", "failed");
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < n; i++) {
		if (!s[i].error)
			continue;
		if (!tolerate)
			die(s[i].device, snd_strerror(s[i].error));
		printf("stream   %s %s: %s after %lu periods\n", s[i].device,
		       s[i].dir == SND_PCM_STREAM_CAPTURE ? "capture" :
							    "playback",
		       snd_strerror(s[i].error), s[i].periods);
		failed++;
	}
	return failed;
}

static void streams_run(struct stream *s, unsigned int n)
{
	streams_run_tolerant(s, n, false);
}

static void stream_free(struct stream *s, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		free(s[i].ready_ns);
		free(s[i].delay);
	}
	memset(s, 0, n * sizeof(*s));
}

/*
 * Duplex streams on cards @cards[0..n-1] for @seconds; with @tolerate,
 * returns how many streams failed instead of ending the bench.
 */
static unsigned int duplex_tolerant(struct stream *s, const int *cards,
				    unsigned int n, double seconds,
				    bool tolerate)
{
	unsigned int i;

	memset(s, 0, 2 * n * sizeof(*s));
	for (i = 0; i < n; i++) {
		snprintf(s[2 * i].device, sizeof(s[0].device), "hw:%d,0",
			 cards[i]);
		s[2 * i].dir = SND_PCM_STREAM_CAPTURE;
		snprintf(s[2 * i + 1].device, sizeof(s[0].device), "hw:%d,0",
			 cards[i]);
		s[2 * i + 1].dir = SND_PCM_STREAM_PLAYBACK;
		s[2 * i].seconds = s[2 * i + 1].seconds = seconds;
	}
	return streams_run_tolerant(s, 2 * n, tolerate);
}

static void duplex(struct stream *s, const int *cards, unsigned int n,
		   double seconds)
{
	duplex_tolerant(s, cards, n, seconds, false);
}

/* ---- kernel CPU ------------------------------------------------------------ */

/*
 * The guest's kernel ticks: @all is system + irq + softirq of every CPU;
 * @intr is irq + softirq alone.
 */
static void kernel_ticks(double *all, double *intr)
{
	unsigned long long user, nice, sys, idle, iowait, irq, softirq;
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (!f)
		die("/proc/stat", strerror(errno));
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu", &user, &nice,
		   &sys, &idle, &iowait, &irq, &softirq);
	fclose(f);
	if (n != 7)
		die("/proc/stat", "unreadable");
	*all = (double)(sys + irq + softirq);
	*intr = (double)(irq + softirq);
}

/* The system time (ticks) of process @pid, its threads included. */
static double proc_stime(pid_t pid)
{
	unsigned long long stime = 0;
	char path[64], buf[1024], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* After the command's ")": state is field 3, stime field 15. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
			 "%*u %llu", &stime) != 1)
		return 0;
	return (double)stime;
}

/* ---- 1, 2: latency ---------------------------------------------------------- */

/* The trace's "in audio" start times (ns), in file order. */
static size_t trace_in_audio(const char *path, double **out)
{
	unsigned long long start, end, len, counter;
	char dir[8], pair[8];
	size_t n = 0, max = 0;
	FILE *f = fopen(path, "r");

	*out = NULL;
	if (!f)
		die(path, strerror(errno));
	while (fscanf(f, "%llu %llu %7s %7s %llu %llu", &start, &end, dir,
		      pair, &len, &counter) == 6)
		if (!strcmp(dir, "in") && !strcmp(pair, "audio") &&
		    len == PAWLINK_REC_HDR_LEN + PAWLINK_AUDIO_PCM_LEN +
			   PAWLINK_TAG_LEN)
			push(out, &n, &max, (double)start);
	fclose(f);
	return n;
}

/*
 * For each event at @at[i], the time since the latest @from[] at or
 * before it: for capture, readable minus the record's leaving the dongle.
 */
static size_t since_latest(const double *from, size_t nf, const double *at,
			   size_t na, double *lat)
{
	size_t i, j = 0, n = 0;

	for (i = 0; i < na; i++) {
		while (j + 1 < nf && from[j + 1] <= at[i])
			j++;
		if (j < nf && from[j] <= at[i])
			lat[n++] = at[i] - from[j];
	}
	return n;
}

static void bench_latency(int card)
{
	struct stream s[2];
	double *in, *lat;
	size_t n_in, n;

	duplex(s, &card, 1, LATENCY_S);
	n_in = trace_in_audio(sc.trace, &in);

	lat = calloc(s[0].ready_n + 1, sizeof(*lat));
	if (!lat)
		die("calloc", "out of memory");
	/* The first second settles (prefill, the first credits). */
	n = since_latest(in, n_in, s[0].ready_ns + 100,
			 s[0].ready_n > 100 ? s[0].ready_n - 100 : 0, lat);
	printf("capture  dongle -> readable: median %.2f ms, p99 %.2f ms "
	       "(%zu periods); /period: median %.2f, p99 %.2f "
	       "(target <= 1)\n",
	       quantile(lat, n, 0.5) / 1e6, quantile(lat, n, 0.99) / 1e6, n,
	       quantile(lat, n, 0.5) / PERIOD_NS,
	       quantile(lat, n, 0.99) / PERIOD_NS);
	printf("capture  delay beyond the buffer (snd_pcm_delay - avail): "
	       "median %.0f frames = %.2f periods\n",
	       quantile(s[0].delay, s[0].delay_n, 0.5),
	       quantile(s[0].delay, s[0].delay_n, 0.5) / PERIOD);

	printf("playback delay beyond the buffer (snd_pcm_delay - filled; sent, "
	       "not yet played by the toy): "
	       "median %.0f frames = %.2f periods, p99 %.2f periods\n",
	       quantile(s[1].delay, s[1].delay_n, 0.5),
	       quantile(s[1].delay, s[1].delay_n, 0.5) / PERIOD,
	       quantile(s[1].delay, s[1].delay_n, 0.99) / PERIOD);
	printf("playback write() -> the toy's speaker, the buffer kept full: "
	       "%.2f periods (the program's %d-period buffer, and the window "
	       "the driver adds)\n",
	       BUFFER_PERIODS + quantile(s[1].delay, s[1].delay_n, 0.5) / PERIOD,
	       BUFFER_PERIODS);
	printf("xruns    in %d s: capture %lu, playback %lu\n", LATENCY_S,
	       s[0].xruns, s[1].xruns);
	free(lat);
	free(in);
	stream_free(s, 2);
}

/* ---- 3: CPU against snd-aloop ---------------------------------------------- */

/*
 * Kernel tick rates: @all, the whole guest's (the simulated dongle, air
 * and toy included); @host, this program's own system time (its ALSA
 * calls, all threads) plus every CPU's interrupt time (URB completions,
 * snd-aloop's timer; dummy_hcd's, for both ends of the bus).
 */
struct cpu_rate {
	double all, host;
};

struct cpu_mark {
	double all, host, wall;
};

static struct cpu_mark cpu_mark(void)
{
	struct cpu_mark m;
	double intr;

	kernel_ticks(&m.all, &intr);
	m.host = intr + proc_stime(getpid());
	m.wall = mono_ns();
	return m;
}

static struct cpu_rate cpu_since(struct cpu_mark m0)
{
	struct cpu_mark m1 = cpu_mark();
	double s = (m1.wall - m0.wall) / 1e9;
	struct cpu_rate r = {
		.all = (m1.all - m0.all) / s, .host = (m1.host - m0.host) / s,
	};

	return r;
}

/* Kernel tick rates while nothing streams, over @seconds. */
static struct cpu_rate idle_rate(double seconds)
{
	struct cpu_mark m0 = cpu_mark();

	sleep_ms((long)(seconds * 1000));
	return cpu_since(m0);
}

/* Tick rates of a duplex run of @n pawlink cards. */
static struct cpu_rate cpu_duplex(const int *cards, unsigned int n)
{
	struct stream s[2 * MAX_DONGLES];
	struct cpu_mark m0 = cpu_mark();
	struct cpu_rate r;

	duplex(s, cards, n, CPU_S);
	r = cpu_since(m0);
	stream_free(s, 2 * n);
	return r;
}

/* Tick rates of snd-aloop moving the same duplex stream. */
static struct cpu_rate cpu_aloop(void)
{
	struct stream s[2];
	struct cpu_mark m0;
	struct cpu_rate r;

	memset(s, 0, sizeof(s));
	strcpy(s[0].device, "hw:Loopback,1,0");
	s[0].dir = SND_PCM_STREAM_CAPTURE;
	strcpy(s[1].device, "hw:Loopback,0,0");
	s[1].dir = SND_PCM_STREAM_PLAYBACK;
	s[0].seconds = s[1].seconds = CPU_S;
	m0 = cpu_mark();
	streams_run(s, 2);
	r = cpu_since(m0);
	stream_free(s, 2);
	return r;
}

#define CPU_ROUNDS	3

/*
 * Kernel CPU per audio second, pawlink and snd-aloop, each less the idle
 * scene, in CPU_ROUNDS alternating rounds (the median of each): in ticks
 * per second, as fractions of one CPU once divided by the tick rate.
 * @host: less the simulator's own system time (what a real dongle and toy
 * spend on their own hardware); else the whole guest.
 */
static void bench_cpu(int card, double hz, double *one_host)
{
	double ph[CPU_ROUNDS], pa[CPU_ROUNDS], ah[CPU_ROUNDS];
	struct cpu_rate idle, r;
	unsigned int i;

	if (system("/usr/sbin/modprobe snd-aloop pcm_substreams=1"))
		die("modprobe snd-aloop", "failed");
	for (i = 0; i < CPU_ROUNDS; i++) {
		idle = idle_rate(5);
		r = cpu_duplex(&card, 1);
		ph[i] = r.host - idle.host;
		pa[i] = r.all - idle.all;
		r = cpu_aloop();
		ah[i] = r.host - idle.host;
	}
	if (system("/usr/sbin/rmmod snd-aloop"))
		die("rmmod snd-aloop", "failed");
	*one_host = quantile(ph, CPU_ROUNDS, 0.5);
	printf("cpu      kernel per audio second, duplex, median of %d rounds: "
	       "pawlink %.2f%% of one CPU (the program's system time and all "
	       "interrupt time; %.2f%% for the whole guest, the simulated "
	       "dongle, air and toy included), snd-aloop %.2f%%; pawlink/aloop "
	       "%.2f (target <= 2)\n", CPU_ROUNDS, 100.0 * *one_host / hz,
	       100.0 * quantile(pa, CPU_ROUNDS, 0.5) / hz,
	       100.0 * quantile(ah, CPU_ROUNDS, 0.5) / hz,
	       *one_host / quantile(ah, CPU_ROUNDS, 0.5));
}

int main(int argc, char **argv)
{
	struct stream s[2 * MAX_DONGLES];
	double seconds = 600, one, eight;
	struct cpu_rate idle8, r8;
	int cards[MAX_DONGLES];
	unsigned long xr;
	static const unsigned int scale_n[] = { 2, MAX_DONGLES };
	unsigned int i, k, failed;
	long hz = sysconf(_SC_CLK_TCK);

	if (argc > 1)
		seconds = atof(argv[1]);
	if (seconds <= 0)
		die("usage", "bench_audio [SECONDS]");
	setvbuf(stdout, NULL, _IOLBF, 0);

	dummy_hcd_reload(MAX_DONGLES);

	/* 1, 2: one dongle. */
	scene_up(1);
	cards[0] = sc.toys[0].d.card;
	bench_latency(cards[0]);

	/* 3: CPU against snd-aloop. */
	bench_cpu(cards[0], (double)hz, &one);

	/* 4: xruns over a long duplex run. */
	duplex(s, cards, 1, seconds);
	printf("xruns    in %.0f s of duplex: capture %lu, playback %lu "
	       "(%lu and %lu periods; target 0)\n", seconds, s[0].xruns,
	       s[1].xruns, s[0].periods, s[1].periods);
	stream_free(s, 2);
	scene_down();

	/* 5: several at once: two, then eight. */
	for (k = 0; k < sizeof(scale_n) / sizeof(scale_n[0]); k++) {
		unsigned int n = scale_n[k];

		scene_up(n);
		for (i = 0; i < n; i++)
			cards[i] = sc.toys[i].d.card;
		idle8 = idle_rate(5);
		failed = duplex_tolerant(s, cards, n, SCALE_S, true);
		for (xr = 0, i = 0; i < 2 * n; i++)
			xr += s[i].xruns;
		stream_free(s, 2 * n);
		printf("scale    %u dongles duplex for %d s: %lu xruns, %u of "
		       "%u streams failed (target 0 and 0)\n", n, SCALE_S, xr,
		       failed, 2 * n);
		if (!failed) {
			r8 = cpu_duplex(cards, n);
			eight = r8.host - idle8.host;
			printf("scale    kernel CPU %.2f%% of one CPU against "
			       "one dongle x %u = %.2f%%: ratio %.2f\n",
			       100.0 * eight / (double)hz, n,
			       100.0 * n * one / (double)hz,
			       one > 0 ? eight / (n * one) : 0);
		}
		scene_down();
	}
	return 0;
}
