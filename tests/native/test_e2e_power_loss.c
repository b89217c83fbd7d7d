// SPDX-License-Identifier: GPL-2.0
/*
 * Power loss on the toy: `pawsim toy` is killed with SIGKILL 100 times in
 * the middle of voice-message uploads (from a host process, killed with
 * it), and started again on the same state directory each time.  Every
 * time it must boot (its identity, pairing, log and store intact), the
 * host must be able to resume the upload where the toy's last checkpoint
 * left it, and in the end the toy must hold exactly the messages whose
 * uploads completed, each with its SHA-256, and nothing half-written.
 *
 * Real time: where the kill lands is up to the scheduler; what must hold
 * holds wherever it lands.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "libpawlink.h"
#include "msg_object.h"
#include "pawsim_procs.h"
#include "tmpdir.h"
#include "toy_cmd.h"
#include "transport.h"

#define KILLS		100
#define MSG_SIZE	(160 * 1024)	/* about 0.7 s of air each */
#define MSGS_MAX	64
/* The host's exit status: done, or the toy had it already. */
#define HOST_DONE	0
#define HOST_FAILED	1

static char out_buf[16384];
/* The running test's processes and files, also for its teardown. */
static struct test_dir d;
static struct child air, toy;
static pid_t live_host;

struct upload {
	struct pawlink_msg_info info;
	uint8_t *obj;
};

static void toy_start(const char *dir)
{
	static const char *const json[] = { "--json", NULL };

	assert_int_equal(pawsim_toy_start(&toy, d.sock, dir, json), 0);
}

static void host_open(struct pawlink_transport **t, struct pawlink **p,
		      const char *sock, const char *dir)
{
	char err[512];

	assert_int_equal(pawlink_transport_air_join(t, sock), 0);
	assert_int_equal(pawlink_open_transport(p, *t, dir, err, sizeof(err)), 0);
}

/* The host process: a session and the upload; its exit status. */
static int host_upload(const char *sock, const char *dir,
		       const uint8_t toy_id[PAWLINK_ID_LEN],
		       const struct upload *up)
{
	struct pawlink_transport *t;
	struct pawlink *p;
	char err[512];
	int rc;

	if (pawlink_transport_air_join(&t, sock) ||
	    pawlink_open_transport(&p, t, dir, err, sizeof(err)))
		return HOST_FAILED;
	rc = pawlink_connect(p, toy_id, NULL);
	if (rc == 0) {
		rc = pawlink_upload_resume(p, &up->info, up->obj, up->info.size);
		if (rc == -EEXIST)	/* committed before the last kill */
			rc = 0;
	}
	pawlink_close(p);
	pawlink_transport_close(t);
	return rc ? HOST_FAILED : HOST_DONE;
}

static void new_upload(struct upload *up, const uint8_t host_id[PAWLINK_ID_LEN])
{
	up->obj = malloc(MSG_SIZE);
	assert_non_null(up->obj);
	randombytes_buf(up->obj, MSG_SIZE);
	assert_int_equal(pawlink_msg_info_create(&up->info, host_id, 1700000000,
						 5000, up->obj, MSG_SIZE),
			 PAWLINK_MSG_OK);
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* What the store directory holds: messages, and at most one partial. */
static void check_store_files(const char *dir, size_t *msgs, size_t *partial)
{
	struct dirent *de;
	DIR *store = opendir(dir);

	assert_non_null(store);
	*msgs = *partial = 0;
	while ((de = readdir(store))) {
		size_t n = strlen(de->d_name);

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == 36 && !strcmp(de->d_name + 32, ".msg"))
			(*msgs)++;
		else if (!strncmp(de->d_name, "upload-", 7) &&
			 (strstr(de->d_name, ".part") ||
			  strstr(de->d_name, ".resume")))
			(*partial)++;
		/* A temporary a kill left behind; the next open removes it. */
		else
			assert_true(de->d_name[0] == '.');
	}
	closedir(store);
	assert_true(*partial <= 2);
}

static void test_kill_toy_during_uploads(void **state)
{
	static struct upload up[MSGS_MAX];
	struct pawlink_msg_info *list;
	struct pawlink_toy_status_info st;
	struct pawlink_transport *t;
	struct pawlink *p;
	char toy_dir[160], host_dir[160], store_dir[200], code[16];
	uint8_t toy_id[PAWLINK_ID_LEN], host_id[PAWLINK_ID_LEN], *obj;
	size_t n, len, i, done = 0, msgs, partial;
	unsigned int kills = 0, finished_early = 0, delay;
	pid_t host;
	int status, rc;

	(void)state;
	assert_int_equal(test_dir_init(&d), 0);
	test_dir_file(&d, "toy", toy_dir, sizeof(toy_dir));
	test_dir_file(&d, "host", host_dir, sizeof(host_dir));
	snprintf(store_dir, sizeof(store_dir), "%s/messages", toy_dir);
	assert_int_equal(pawsim_air_start(&air, d.sock, NULL), 0);
	toy_start(toy_dir);

	/* Pair once. */
	assert_int_equal(pawsim_toy_label(toy_dir, code, sizeof(code)), 0);
	host_open(&t, &p, d.sock, host_dir);
	assert_int_equal(host_scan_toy(p, -1, toy_id), 0);
	assert_int_equal(pawsim_toy_command(toy_dir, "press", out_buf,
					    sizeof(out_buf)), 0);
	assert_int_equal(pawlink_pair(p, toy_id, code, ""), 0);
	pawlink_host_id(p, host_id);
	pawlink_close(p);
	pawlink_transport_close(t);

	new_upload(&up[0], host_id);
	while (kills < KILLS) {
		fflush(NULL);
		host = fork();
		assert_true(host >= 0);
		if (host == 0)
			_exit(host_upload(d.sock, host_dir, toy_id, &up[done]));
		live_host = host;
		/* Somewhere in the upload: session, chunks, checkpoints, commit. */
		delay = 30 + randombytes_uniform(400);
		sleep_ms(delay);
		if (waitpid(host, &status, WNOHANG) == host) {
			live_host = 0;
			assert_true(WIFEXITED(status));
			if (WEXITSTATUS(status) == HOST_DONE) {
				/* This one is in: the next kills hit the next. */
				assert_true(++done < MSGS_MAX);
				new_upload(&up[done], host_id);
				finished_early++;
			}
			continue;
		}
		kill(host, SIGKILL);
		child_kill(&toy);
		waitpid(host, NULL, 0);
		live_host = 0;
		kills++;
		/* Power back: it must boot from what it wrote. */
		toy_start(toy_dir);
	}

	/* Whatever the last kill interrupted finishes now. */
	host_open(&t, &p, d.sock, host_dir);
	assert_int_equal(pawlink_connect(p, toy_id, &st), 0);
	assert_int_equal(st.boot, KILLS + 1);
	assert_int_equal(st.paired_hosts, 1);
	rc = pawlink_upload_resume(p, &up[done].info, up[done].obj, MSG_SIZE);
	assert_true(rc == 0 || rc == -EEXIST);
	done++;
	assert_int_equal(pawlink_list(p, &list, &n), 0);
	assert_int_equal(n, done);
	for (i = 0; i < done; i++) {
		assert_int_equal(pawlink_download(p, up[i].info.id, &obj, &len, NULL),
				 0);
		assert_int_equal(len, MSG_SIZE);
		assert_memory_equal(obj, up[i].obj, MSG_SIZE);
		free(obj);
		free(up[i].obj);
	}
	free(list);
	assert_int_equal(pawlink_disconnect(p), 0);
	pawlink_close(p);
	pawlink_transport_close(t);
	printf("# %u kills of the toy during uploads; %zu messages of %u KiB "
	       "stored whole (%u finished between kills)\n", kills, done,
	       MSG_SIZE / 1024, finished_early);

	assert_int_equal(child_stop(&toy, out_buf, sizeof(out_buf)), 0);
	assert_int_equal(json_number(out_buf, "msg_count"), (long long)done);
	check_store_files(store_dir, &msgs, &partial);
	assert_int_equal(msgs, done);
	assert_int_equal(partial, 0);
	assert_int_equal(child_stop(&air, out_buf, sizeof(out_buf)), 0);
	/* The toy's and the host's state directories, and the rest. */
	assert_int_equal(test_dir_remove(&d), 0);
}

/* After a failed assertion: no process and no file outlives its test. */
static int kill_children(void **state)
{
	(void)state;
	if (live_host > 0) {
		kill(live_host, SIGKILL);
		waitpid(live_host, NULL, 0);
	}
	live_host = 0;
	child_kill(&toy);
	child_kill(&air);
	test_dir_remove(&d);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_kill_toy_during_uploads,
					  kill_children),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
