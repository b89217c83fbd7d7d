// SPDX-License-Identifier: GPL-2.0
/*
 * The progress line of send, get and record, on stderr: redrawn in place
 * ("\r") at most every PROGRESS_INTERVAL_NS, and erased when the command
 * is done, so the terminal is left as if it had never been there.  Shown
 * only on a terminal, and never with --json or --quiet, unless
 * --progress asks for it; --no-progress never shows it.  Nothing on
 * stdout changes.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pawctl.h"

/* At most ten redraws a second. */
#define PROGRESS_INTERVAL_NS	100000000ULL
#define BAR_WIDTH		24
#define METER_WIDTH		16

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void pawctl_progress_start(struct pawctl *c, struct pawctl_progress *pr,
			   const char *what)
{
	memset(pr, 0, sizeof(*pr));
	pr->what = what;
	if (c->progress == PAWCTL_PROGRESS_AUTO)
		pr->on = isatty(STDERR_FILENO) && !c->json && !c->quiet;
	else
		pr->on = c->progress == PAWCTL_PROGRESS_ON;
	pr->start_ns = now_ns();
}

/* Whether to draw now: the first and the last always, else rate-limited. */
static bool due(struct pawctl_progress *pr, bool last)
{
	uint64_t t = now_ns();

	if (!pr->on)
		return false;
	if (pr->drawn && !last && t - pr->last_ns < PROGRESS_INTERVAL_NS)
		return false;
	pr->last_ns = t;
	pr->drawn = true;
	return true;
}

static void bar(char *out, size_t width, uint64_t done, uint64_t total)
{
	size_t i, full = total ? (size_t)(done * width / total) : 0;

	for (i = 0; i < width; i++)
		out[i] = i < full ? '#' : '-';
	out[width] = '\0';
}

void pawctl_progress_bytes(struct pawctl_progress *pr, uint64_t done,
			   uint64_t total)
{
	char b[BAR_WIDTH + 1], got[32], rate[32], left[32] = "";
	double s, bps;

	if (!due(pr, done >= total))
		return;
	s = (double)(pr->last_ns - pr->start_ns) / 1e9;
	bps = s > 0 ? (double)done / s : 0;
	bar(b, BAR_WIDTH, done, total);
	pawctl_format_bytes(got, sizeof(got), done);
	pawctl_format_bytes(rate, sizeof(rate), (uint64_t)bps);
	if (bps > 0 && done < total)
		snprintf(left, sizeof(left), ", %.0f s left",
			 (double)(total - done) / bps + 0.5);
	fprintf(stderr, "\r%s [%s] %3u%%  %s, %s/s%s\033[K", pr->what, b,
		(unsigned int)(total ? done * 100 / total : 100), got, rate,
		left);
	fflush(stderr);
}

void pawctl_progress_transfer(void *ctx, uint64_t done, uint64_t total)
{
	pawctl_progress_bytes(ctx, done, total);
}

void pawctl_progress_seconds(struct pawctl_progress *pr, uint64_t frames,
			     uint64_t total_frames, unsigned int peak)
{
	char meter[METER_WIDTH + 1];
	double s = (double)frames / PAWLINK_AUDIO_RATE;

	if (!due(pr, total_frames && frames >= total_frames))
		return;
	/* The level of the loudest sample since the last redraw. */
	bar(meter, METER_WIDTH, peak, 32768);
	if (total_frames)
		fprintf(stderr, "\r%s %5.1f s, %.0f s left [%s]\033[K",
			pr->what, s,
			(double)(total_frames - frames) / PAWLINK_AUDIO_RATE + 0.5,
			meter);
	else
		fprintf(stderr, "\r%s %5.1f s, until interrupted [%s]\033[K",
			pr->what, s, meter);
	fflush(stderr);
}

void pawctl_progress_end(struct pawctl_progress *pr)
{
	if (pr->on && pr->drawn) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	pr->drawn = false;
}
