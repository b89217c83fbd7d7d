// SPDX-License-Identifier: GPL-2.0
/*
 * pawsim dongle: process signals and interrupting blocked threads.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "dongle_thread.h"

#define DONGLE_SIG_INTERRUPT	SIGUSR1

/* How long to wait for a thread between two interrupts. */
#define STOP_POLL_NS		(20 * 1000 * 1000)

/* Does nothing: its only job is to make a blocking call return EINTR. */
static void interrupt_handler(int sig)
{
	(void)sig;
}

int dongle_signals_init(sigset_t *wait_set)
{
	struct sigaction sa;

	sigemptyset(wait_set);
	sigaddset(wait_set, SIGTERM);
	sigaddset(wait_set, SIGINT);
	sigaddset(wait_set, SIGHUP);
	sigaddset(wait_set, DONGLE_SIG_SHUTDOWN);
	if (pthread_sigmask(SIG_BLOCK, wait_set, NULL))
		return -EINVAL;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = interrupt_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;		/* no SA_RESTART: we want EINTR */
	if (sigaction(DONGLE_SIG_INTERRUPT, &sa, NULL))
		return -errno;

	/* stderr may be a pipe the test closed; a message is not worth dying. */
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL))
		return -errno;
	return 0;
}

void dongle_thread_stop(pthread_t thread)
{
	struct timespec deadline;
	int ret;

	/*
	 * The thread may be between its stop check and the blocking call
	 * when the first signal lands, so keep interrupting until it is gone.
	 */
	do {
		pthread_kill(thread, DONGLE_SIG_INTERRUPT);
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_nsec += STOP_POLL_NS;
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
		ret = pthread_timedjoin_np(thread, NULL, &deadline);
	} while (ret == ETIMEDOUT);
}
