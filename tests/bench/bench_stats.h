/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the native benches (tests/bench/bench_*.c) share: this process's
 * CPU clock, and the median of a few batches, so that one batch slowed by
 * another job on the machine does not move the figure.
 */
#ifndef PAWLINK_BENCH_STATS_H
#define PAWLINK_BENCH_STATS_H

#include <stddef.h>
#include <stdlib.h>
#include <time.h>

/* CPU time this process has used, in microseconds. */
static inline double cpu_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of @v's @n values (sorts @v). */
static inline double bench_median(double *v, size_t n)
{
	qsort(v, n, sizeof(v[0]), cmp_double);
	return v[n / 2];
}

#endif /* PAWLINK_BENCH_STATS_H */
