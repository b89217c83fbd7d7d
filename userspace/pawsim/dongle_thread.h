/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pawsim dongle: signals and stopping threads that sit in blocking
 * FunctionFS calls.
 *
 * A thread blocked in read() or write() on an endpoint file (or waiting for
 * the endpoint to be enabled) only comes back for a completion, a disable,
 * or a signal.  So every thread runs with SIGUSR1 unblocked and a handler
 * installed without SA_RESTART: pthread_kill(SIGUSR1) makes its call fail
 * with EINTR, and the thread then sees its stop flag.
 */
#ifndef PAWSIM_DONGLE_THREAD_H
#define PAWSIM_DONGLE_THREAD_H

#include <pthread.h>
#include <signal.h>

/* Sent by a thread that wants the process to shut down (see dongle.c). */
#define DONGLE_SIG_SHUTDOWN	SIGUSR2

/*
 * Call once, before any thread exists.  Blocks SIGTERM, SIGINT, SIGHUP and
 * DONGLE_SIG_SHUTDOWN in the calling thread (and so in every thread created
 * later), fills @wait_set with them for sigwait(), installs the interrupt
 * handler and ignores SIGPIPE.  Returns 0 or -errno.
 */
int dongle_signals_init(sigset_t *wait_set);

/*
 * Joins @thread, interrupting its blocking calls until it has returned.
 * The caller has already set the flag that tells the thread to stop.
 */
void dongle_thread_stop(pthread_t thread);

#endif /* PAWSIM_DONGLE_THREAD_H */
