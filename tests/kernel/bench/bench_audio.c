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
 *  2. playback delay: what snd_pcm_delay() reports in steady state (the
 *     records sent and not yet played: in flight and in the toy's jitter
 *     buffer), and the time from writing a period into the buffer to the
 *     dongle reading its record, against one period;
 *  3. kernel CPU per second of duplex audio (system + irq + softirq in
 *     /proc/stat, the whole guest, less the same scene idle), pawlink
 *     against snd-aloop duplex at the same format (target <= 2x);
 *  4. xruns in SECONDS (default 600) of duplex (target 0);
 *  5. 8 dongles (dummy_hcd num=8) with 8 toys streaming duplex at once:
 *     xruns, and CPU against one dongle's times 8.
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
		const char *const air[] = {
			pawsim, "air", "--socket", sc.sock, NULL
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
	double *delay;			/* snd_pcm_delay() in frames, each period */
	size_t delay_n, delay_max;
	double *write_ns;		/* playback: when each period was written */
	size_t write_n, write_max;
};

static int pcm_setup(snd_pcm_t *pcm)
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
	    (err = snd_pcm_sw_params_set_start_threshold(pcm, sw,
				buffer / 2)) < 0 ||
	    (err = snd_pcm_sw_params(pcm, sw)) < 0)
		return err;
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
	snd_pcm_sframes_t n, delay;
	struct pollfd pfd[4];
	unsigned int i, k = 0;
	snd_pcm_t *pcm;
	double end;
	int nfds;

	s->error = snd_pcm_open(&pcm, s->device, s->dir, 0);
	if (s->error < 0)
		return NULL;
	s->error = pcm_setup(pcm);
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
			if (n == PERIOD)
				push(&s->write_ns, &s->write_n, &s->write_max,
				     mono_ns());
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
		if (snd_pcm_delay(pcm, &delay) == 0)
			push(&s->delay, &s->delay_n, &s->delay_max,
			     (double)delay);
	}
	if (s->error >= 0)
		s->error = 0;
close:
	snd_pcm_close(pcm);
	return NULL;
}

/* Runs the @n streams in @s at once, to the end. */
static void streams_run(struct stream *s, unsigned int n)
{
	pthread_t th[2 * MAX_DONGLES];
	unsigned int i;

	for (i = 0; i < n; i++)
		if (pthread_create(&th[i], NULL, stream_main, &s[i]))
			die("pthread_create", "failed");
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < n; i++)
		if (s[i].error)
			die(s[i].device, snd_strerror(s[i].error));
}

static void stream_free(struct stream *s, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		free(s[i].ready_ns);
		free(s[i].delay);
		free(s[i].write_ns);
	}
	memset(s, 0, n * sizeof(*s));
}

/* Duplex streams on cards @cards[0..n-1] for @seconds. */
static void duplex(struct stream *s, const int *cards, unsigned int n,
		   double seconds)
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
	streams_run(s, 2 * n);
}

/* ---- kernel CPU ------------------------------------------------------------ */

/* system + irq + softirq of the whole guest, in clock ticks. */
static double kernel_ticks(void)
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
	return (double)(sys + irq + softirq);
}

/* Kernel ticks per second while nothing streams, over @seconds. */
static double idle_rate(double seconds)
{
	double t0 = kernel_ticks(), w0 = mono_ns();

	sleep_ms((long)(seconds * 1000));
	return (kernel_ticks() - t0) / ((mono_ns() - w0) / 1e9);
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

/* The trace's "out audio" PCM read times (ns). */
static size_t trace_out_audio(const char *path, double **out)
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
		if (!strcmp(dir, "out") && !strcmp(pair, "audio") &&
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

/*
 * For each event at @from[i], the time until the first @at[] at or after
 * it: for playback, a period written to the dongle reading a record.
 */
static size_t until_next(const double *from, size_t nf, const double *at,
			 size_t na, double *lat)
{
	size_t i, j = 0, n = 0;

	for (i = 0; i < nf; i++) {
		while (j < na && at[j] < from[i])
			j++;
		if (j < na)
			lat[n++] = at[j] - from[i];
	}
	return n;
}

static void bench_latency(int card)
{
	struct stream s[2];
	double *in, *out, *lat;
	size_t n_in, n_out, n;

	duplex(s, &card, 1, LATENCY_S);
	n_in = trace_in_audio(sc.trace, &in);
	n_out = trace_out_audio(sc.trace, &out);

	lat = calloc(s[0].ready_n + s[1].write_n + 1, sizeof(*lat));
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
	printf("capture  snd_pcm_delay: median %.0f frames = %.2f periods\n",
	       quantile(s[0].delay, s[0].delay_n, 0.5),
	       quantile(s[0].delay, s[0].delay_n, 0.5) / PERIOD);

	n = until_next(s[1].write_ns + 100,
		       s[1].write_n > 100 ? s[1].write_n - 100 : 0, out,
		       n_out, lat);
	printf("playback written -> dongle reads a record: median %.2f ms "
	       "(%zu periods; the window of credits, not the host, sets it)\n",
	       quantile(lat, n, 0.5) / 1e6, n);
	printf("playback snd_pcm_delay (sent, not yet played by the toy): "
	       "median %.0f frames = %.2f periods, p99 %.2f periods\n",
	       quantile(s[1].delay, s[1].delay_n, 0.5),
	       quantile(s[1].delay, s[1].delay_n, 0.5) / PERIOD,
	       quantile(s[1].delay, s[1].delay_n, 0.99) / PERIOD);
	printf("xruns    in %d s: capture %lu, playback %lu\n", LATENCY_S,
	       s[0].xruns, s[1].xruns);
	free(lat);
	free(in);
	free(out);
	stream_free(s, 2);
}

/* ---- 3: CPU against snd-aloop ------------------------------------------------ */

/* Kernel ticks per audio second of a duplex run of @n cards, less idle. */
static double cpu_duplex(const int *cards, unsigned int n, double idle)
{
	struct stream s[2 * MAX_DONGLES];
	double t0 = kernel_ticks(), w0 = mono_ns(), rate;

	duplex(s, cards, n, CPU_S);
	rate = (kernel_ticks() - t0) / ((mono_ns() - w0) / 1e9);
	stream_free(s, 2 * n);
	return rate - idle;
}

static double cpu_aloop(double idle)
{
	struct stream s[2];
	double t0, w0, rate;

	if (system("/usr/sbin/modprobe snd-aloop pcm_substreams=1"))
		die("modprobe snd-aloop", "failed");
	memset(s, 0, sizeof(s));
	strcpy(s[0].device, "hw:Loopback,1,0");
	s[0].dir = SND_PCM_STREAM_CAPTURE;
	strcpy(s[1].device, "hw:Loopback,0,0");
	s[1].dir = SND_PCM_STREAM_PLAYBACK;
	s[0].seconds = s[1].seconds = CPU_S;
	t0 = kernel_ticks();
	w0 = mono_ns();
	streams_run(s, 2);
	rate = (kernel_ticks() - t0) / ((mono_ns() - w0) / 1e9);
	stream_free(s, 2);
	if (system("/usr/sbin/rmmod snd-aloop"))
		die("rmmod snd-aloop", "failed");
	return rate - idle;
}

int main(int argc, char **argv)
{
	struct stream s[2 * MAX_DONGLES];
	double seconds = 600, idle, idle8, one, aloop, eight;
	int cards[MAX_DONGLES];
	unsigned long xr;
	unsigned int i;
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

	/* 3: CPU, idle first (the scene beacons and the dongle polls). */
	idle = idle_rate(5);
	one = cpu_duplex(cards, 1, idle);
	aloop = cpu_aloop(idle_rate(5));
	printf("cpu      kernel per audio second, duplex: pawlink %.2f%%, "
	       "snd-aloop %.2f%% of one CPU; pawlink/aloop %.2f "
	       "(target <= 2; pawlink's figure includes the simulated "
	       "dongle's USB gadget side)\n",
	       100.0 * one / (double)hz, 100.0 * aloop / (double)hz,
	       aloop > 0 ? one / aloop : 0);

	/* 4: xruns over a long duplex run. */
	duplex(s, cards, 1, seconds);
	printf("xruns    in %.0f s of duplex: capture %lu, playback %lu "
	       "(%lu and %lu periods; target 0)\n", seconds, s[0].xruns,
	       s[1].xruns, s[0].periods, s[1].periods);
	stream_free(s, 2);
	scene_down();

	/* 5: eight at once. */
	scene_up(MAX_DONGLES);
	for (i = 0; i < MAX_DONGLES; i++)
		cards[i] = sc.toys[i].d.card;
	idle8 = idle_rate(5);
	duplex(s, cards, MAX_DONGLES, SCALE_S);
	for (xr = 0, i = 0; i < 2 * MAX_DONGLES; i++)
		xr += s[i].xruns;
	stream_free(s, 2 * MAX_DONGLES);
	eight = cpu_duplex(cards, MAX_DONGLES, idle8);
	printf("scale    %d dongles duplex for %d s: %lu xruns (target 0); "
	       "kernel CPU %.2f%% against one dongle x %d = %.2f%%: "
	       "ratio %.2f\n", MAX_DONGLES, SCALE_S, xr,
	       100.0 * eight / (double)hz, MAX_DONGLES,
	       100.0 * MAX_DONGLES * one / (double)hz,
	       one > 0 ? eight / (MAX_DONGLES * one) : 0);
	scene_down();
	return 0;
}
