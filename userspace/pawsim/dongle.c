// SPDX-License-Identifier: GPL-2.0
/*
 * pawsim dongle: the virtual pawlink USB radio dongle.
 *
 * Builds a configfs gadget around one FunctionFS function, writes the
 * descriptors, binds to a UDC and then serves the host: a thread on ep0
 * (dongle_ep0.c) and, while the host has the interface enabled, the bulk
 * relay (dongle_relay.c) to a far side (the loopback, or the air).  The main
 * thread only waits for a signal and then takes everything down in reverse.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include <linux/pawlink.h>

#include "dongle_air.h"
#include "dongle_descs.h"
#include "dongle_ep0.h"
#include "dongle_far.h"
#include "dongle_fault.h"
#include "dongle_fuzz.h"
#include "dongle_gadget.h"
#include "dongle_gadgetfs.h"
#include "dongle_opts.h"
#include "dongle_relay.h"
#include "dongle_thread.h"
#include "pawsim.h"
#include "bytes.h"

struct dongle {
	struct dongle_opts opts;
	struct dongle_gadget gadget;
	struct dongle_gadgetfs gadgetfs;	/* zero-maxpacket only */
	struct dongle_fault fault;
	struct dongle_relay relay;
	struct dongle_trace trace;		/* --trace */
	struct dongle_far *far;
	struct dongle_ep0 ep0;
	int ep0_fd;
	int ep_fd[PAWLINK_NUM_EPS];
	bool pidfile_ours;		/* remove it on the way out */
	pthread_t ep0_thread;
	atomic_bool ep0_failed;
};

/* ---- the function's files ------------------------------------------------- */

/* Opens one file of the function; the fd or -errno. */
static int open_in_ffs(const struct dongle *d, const char *file)
{
	char path[PATH_MAX];
	int fd, err;

	snprintf(path, sizeof(path), "%s/%s", d->gadget.ffs_dir, file);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	err = -errno;
	pawsim_msg("cannot open %s: %s", path, strerror(-err));
	return err;
}

static int write_block(int fd, const char *what, const uint8_t *buf,
		       ssize_t len)
{
	ssize_t n;

	if (len < 0) {
		pawsim_msg("cannot build the %s: %s", what, strerror(-len));
		return (int)len;
	}
	n = write(fd, buf, (size_t)len);
	if (n < 0) {
		int err = -errno;

		pawsim_msg("FunctionFS refused the %s: %s", what,
			   strerror(-err));
		return err;
	}
	if (n != len) {
		pawsim_msg("FunctionFS took %zd of %zd bytes of the %s", n,
			   len, what);
		return -EIO;
	}
	return 0;
}

static void close_function(struct dongle *d)
{
	int i;

	for (i = 0; i < PAWLINK_NUM_EPS; i++) {
		if (d->ep_fd[i] >= 0)
			close(d->ep_fd[i]);
		d->ep_fd[i] = -1;
	}
	if (d->ep0_fd >= 0)
		close(d->ep0_fd);
	d->ep0_fd = -1;
}

/* ep0 with descriptors and strings written, then ep1 .. epN. */
static int open_function(struct dongle *d)
{
	uint8_t buf[DONGLE_DESCS_MAX];
	unsigned int i, num_eps = dongle_descs_num_eps(d->fault.mode);
	char file[8];
	int err;

	d->ep0_fd = open_in_ffs(d, "ep0");
	if (d->ep0_fd < 0) {
		err = d->ep0_fd;
		d->ep0_fd = -1;
		return err;
	}
	err = write_block(d->ep0_fd, "descriptors", buf,
			  dongle_descs_build(d->fault.mode, buf, sizeof(buf)));
	if (err)
		goto close;
	err = write_block(d->ep0_fd, "strings", buf,
			  dongle_strings_build(buf, sizeof(buf)));
	if (err)
		goto close;

	/* FunctionFS names them in descriptor order: PAWLINK_EP_* + 1. */
	for (i = 0; i < num_eps; i++) {
		snprintf(file, sizeof(file), "ep%u", i + 1);
		d->ep_fd[i] = open_in_ffs(d, file);
		if (d->ep_fd[i] < 0) {
			err = d->ep_fd[i];
			d->ep_fd[i] = -1;
			goto close;
		}
	}
	return 0;

close:
	close_function(d);
	return err;
}

/* ---- process plumbing ------------------------------------------------------- */

/* Written to a temporary name and renamed, so a reader never sees half. */
static int write_pidfile(const char *path, pid_t pid)
{
	char tmp[PATH_MAX];
	FILE *f;
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		pawsim_msg("pidfile name too long");
		return -ENAMETOOLONG;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		goto fail;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		goto fail_unlink;
	}
	if (fprintf(f, "%ld\n", (long)pid) < 0 || fclose(f))
		goto fail_unlink;
	if (rename(tmp, path))
		goto fail_unlink;
	return 0;

fail_unlink:
	unlink(tmp);
fail:
	pawsim_msg("cannot write pidfile %s: %s", path, strerror(errno));
	return -EIO;
}

/*
 * --background: the parent reports the child's pid and exits 0, so a test
 * that waits for us finds the gadget bound and the pidfile in place.
 * Returns only in the child.
 */
static int go_background(struct dongle *d)
{
	pid_t pid;
	int fd;

	pid = fork();
	if (pid < 0) {
		int err = -errno;

		pawsim_msg("cannot fork: %s", strerror(-err));
		return err;
	}
	if (pid > 0) {
		if (write_pidfile(d->opts.pidfile, pid)) {
			/* The child cleans up on SIGTERM. */
			kill(pid, SIGTERM);
			_exit(PAWSIM_EXIT_RUNTIME);
		}
		_exit(PAWSIM_EXIT_OK);
	}

	d->pidfile_ours = true;
	setsid();
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		if (fd != STDIN_FILENO)
			close(fd);
	}
	return 0;
}

/*
 * DONGLE_FAULT_VANISH, called from a relay thread: the host loses the device
 * in the middle of a transfer and nothing is tidied up.  The configfs
 * gadget, the functionfs mount and the pidfile stay behind until the next
 * dongle of this name (or 'pawsim dongle --cleanup') removes them.
 */
static void vanish(void *ctx)
{
	struct dongle *d = ctx;

	dongle_gadget_pull_plug(&d->gadget);
	pawsim_msg("fault vanish: unbound from %s; exiting without cleanup",
		   d->gadget.udc);
	_exit(PAWSIM_EXIT_OK);
}

/* ---- the dongle --------------------------------------------------------------- */

/* gadgetfs only for the one fault FunctionFS cannot deliver. */
static bool on_gadgetfs(const struct dongle *d)
{
	return d->fault.mode == DONGLE_FAULT_ZERO_MAXPACKET;
}

/* configfs gadget, functionfs, descriptors, endpoints, UDC binding. */
static int functionfs_up(struct dongle *d, const char *serial)
{
	int err;

	err = dongle_gadget_create(&d->gadget, serial);
	if (err)
		return err;
	err = dongle_gadget_mount_ffs(&d->gadget);
	if (err)
		return err;
	err = open_function(d);
	if (err)
		return err;
	memcpy(d->relay.ep_fd, d->ep_fd, sizeof(d->ep_fd));
	d->ep0.fd = d->ep0_fd;
	d->ep0.can_stall_out_data = true;
	return dongle_gadget_bind(&d->gadget, d->opts.udc);
}

/* Undoes functionfs_up(), however far it got.  The relay is stopped. */
static void functionfs_down(struct dongle *d)
{
	dongle_gadget_unbind(&d->gadget);
	close_function(d);
	dongle_gadget_unmount_ffs(&d->gadget);
	dongle_gadget_remove(&d->gadget);
}

static int gadgetfs_up(struct dongle *d)
{
	int err;

	dongle_gadgetfs_init(&d->gadgetfs, d->opts.name, d->opts.id);
	err = dongle_gadgetfs_up(&d->gadgetfs, d->fault.mode, d->opts.udc);
	if (err)
		return err;
	/* For the messages that name the UDC and its speed. */
	snprintf(d->gadget.udc, sizeof(d->gadget.udc), "%s",
		 d->gadgetfs.udc);
	d->ep0.fd = d->gadgetfs.ep0_fd;
	d->ep0.can_stall_out_data = false;
	return 0;
}

static void gadgetfs_down(struct dongle *d)
{
	dongle_gadgetfs_down(&d->gadgetfs);
}

static void *ep0_main(void *arg)
{
	struct dongle *d = arg;
	int err;

	if (on_gadgetfs(d))
		err = dongle_gadgetfs_run(&d->gadgetfs, &d->ep0);
	else
		err = dongle_ep0_run(&d->ep0);
	if (err) {
		atomic_store(&d->ep0_failed, true);
		kill(getpid(), DONGLE_SIG_SHUTDOWN);
	}
	return NULL;
}

/* Sleeps until a stop signal (or the ep0 thread gives up). */
static void wait_for_stop(struct dongle *d, const sigset_t *wait_set)
{
	int sig = 0;

	while (sigwait(wait_set, &sig))
		;
	if (sig != DONGLE_SIG_SHUTDOWN)
		pawsim_msg("%s: shutting down", strsignal(sig));
	else if (d->opts.verbose)
		pawsim_msg("shutting down after an ep0 failure");
}

/* Serves the host from the ep0 thread until a stop signal; exit status. */
static int serve(struct dongle *d, const sigset_t *wait_set)
{
	int err;

	if (d->opts.background) {
		if (go_background(d))
			return PAWSIM_EXIT_RUNTIME;
	} else if (d->opts.pidfile) {
		if (write_pidfile(d->opts.pidfile, getpid()))
			return PAWSIM_EXIT_RUNTIME;
		d->pidfile_ours = true;
	}

	err = pthread_create(&d->ep0_thread, NULL, ep0_main, d);
	if (err) {
		pawsim_msg("cannot start the ep0 thread: %s", strerror(err));
		return PAWSIM_EXIT_RUNTIME;
	}
	wait_for_stop(d, wait_set);

	/*
	 * Unbind first, so the host sees a disconnect and ep0 stops the
	 * relay; gadgetfs unbinds when its file closes, after this.
	 */
	if (!on_gadgetfs(d))
		dongle_gadget_unbind(&d->gadget);
	atomic_store(&d->ep0.stop, true);
	dongle_thread_stop(d->ep0_thread);
	return atomic_load(&d->ep0_failed) ? PAWSIM_EXIT_RUNTIME :
					     PAWSIM_EXIT_OK;
}

static int dongle_run(struct dongle *d, const sigset_t *wait_set)
{
	char serial[2 * PAWLINK_ID_LEN + 1];
	struct dongle_far_host far_host;
	int err, i, ret = PAWSIM_EXIT_RUNTIME;

	d->ep0_fd = -1;
	for (i = 0; i < PAWLINK_NUM_EPS; i++)
		d->ep_fd[i] = -1;
	atomic_init(&d->ep0_failed, false);
	d->fault.mode = d->opts.fault;
	d->fault.vanish_after = d->opts.vanish_after;
	atomic_init(&d->fault.stall_done, false);
	d->fault.log_fd = -1;
	if (d->opts.log) {
		err = dongle_attack_log_open(&d->fault, d->opts.log);
		if (err) {
			pawsim_msg("cannot open the log %s: %s", d->opts.log,
				   strerror(-err));
			return PAWSIM_EXIT_RUNTIME;
		}
	}
	pawlink_hex_encode(serial, d->opts.id, PAWLINK_ID_LEN);
	dongle_gadget_init(&d->gadget, d->opts.name);

	if (dongle_gadget_claim(&d->gadget))
		return PAWSIM_EXIT_RUNTIME;

	err = dongle_trace_open(&d->trace, d->opts.trace);
	if (err) {
		pawsim_msg("cannot open the trace %s: %s", d->opts.trace,
			   strerror(-err));
		return PAWSIM_EXIT_RUNTIME;
	}
	if (dongle_relay_init(&d->relay, &d->fault, &d->trace,
			      d->opts.verbose)) {
		pawsim_msg("out of memory");
		dongle_trace_close(&d->trace);
		return PAWSIM_EXIT_RUNTIME;
	}
	far_host = dongle_relay_far_host(&d->relay);
	if (d->opts.air) {
		/* dongle_air_create() says why it failed. */
		d->far = dongle_air_create(&far_host, d->opts.air, d->opts.id,
					   d->opts.supervision_ms);
		if (!d->far)
			goto destroy_relay;
	} else {
		d->far = dongle_loopback_create(&far_host);
		if (!d->far) {
			pawsim_msg("out of memory");
			goto destroy_relay;
		}
	}
	d->relay.far = d->far;
	d->relay.vanish = vanish;
	d->relay.vanish_ctx = d;
	d->ep0.far = d->far;
	d->ep0.relay = &d->relay;
	d->ep0.gadget = &d->gadget;
	memcpy(d->ep0.dongle_id, d->opts.id, PAWLINK_ID_LEN);
	d->ep0.verbose = d->opts.verbose;
	d->ep0.fault = d->fault.mode;
	atomic_init(&d->ep0.stop, false);

	err = on_gadgetfs(d) ? gadgetfs_up(d) : functionfs_up(d, serial);
	if (err)
		goto take_down;
	pawsim_msg("%s %s bound to %s: dongle id %s, fault %s",
		   on_gadgetfs(d) ? "gadgetfs gadget" : "gadget",
		   d->gadget.name, d->gadget.udc, serial,
		   dongle_fault_name(d->fault.mode));

	ret = serve(d, wait_set);

	if (d->pidfile_ours && unlink(d->opts.pidfile))
		pawsim_msg("cannot remove pidfile %s: %s", d->opts.pidfile,
			   strerror(errno));
take_down:
	dongle_relay_stop(&d->relay);
	if (on_gadgetfs(d))
		gadgetfs_down(d);
	else
		functionfs_down(d);
	d->far->ops->destroy(d->far);
destroy_relay:
	dongle_relay_destroy(&d->relay);
	dongle_trace_close(&d->trace);
	dongle_attack_log_close(&d->fault);
	if (ret == PAWSIM_EXIT_OK)
		pawsim_msg("gadget %s removed", d->gadget.name);
	return ret;
}

int pawsim_dongle_main(int argc, char *argv[])
{
	static struct dongle d;	/* big (relay queues); reached by vanish() */
	sigset_t wait_set;
	int ret;

	ret = dongle_opts_parse(argc, argv, &d.opts);
	if (ret)
		return ret;

	if (geteuid() != 0) {
		pawsim_msg("must run as root: it builds a configfs gadget and "
			   "mounts functionfs");
		return PAWSIM_EXIT_RUNTIME;
	}
	if (d.opts.fuzz)
		return dongle_fuzz_run(d.opts.fuzz_seed, d.opts.udc,
				       d.opts.verbose);
	if (d.opts.cleanup) {
		dongle_gadget_init(&d.gadget, d.opts.name);
		/* Claiming removes what a dead dongle left. */
		return dongle_gadget_claim(&d.gadget) ? PAWSIM_EXIT_RUNTIME :
							PAWSIM_EXIT_OK;
	}
	if (sodium_init() < 0) {
		pawsim_msg("libsodium failed to initialise");
		return PAWSIM_EXIT_RUNTIME;
	}
	if (!d.opts.id_given)
		dongle_opts_random_id(d.opts.id);
	ret = dongle_signals_init(&wait_set);
	if (ret) {
		pawsim_msg("cannot set up signals: %s", strerror(-ret));
		return PAWSIM_EXIT_RUNTIME;
	}
	return dongle_run(&d, &wait_set);
}
