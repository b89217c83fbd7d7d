// SPDX-License-Identifier: GPL-2.0
/*
 * pawctl through pawlink.ko: in the guest a `pawsim air`, a `pawsim toy`
 * on it and a `pawsim dongle --air` (dummy_hcd at the lane's speed), and
 * the built pawctl finding the dongle on its own (or given --device),
 * with the assertions of tests/native/test_pawctl.c where they apply:
 * dongles, scan, pair, toys, the commands of a session, a session kept in
 * the driver (connect, disconnect), unpair, forget; and the dongle path's
 * own failures: no dongle, two dongles, a dongle busy, unplugged
 * mid-scan, a toy out of range, record (the sound card's, not pawctl's).
 */
#include <sys/file.h>

#include <sndfile.h>

#include "kselftest_harness.h"
#include "common.h"
#include "procs.h"
#include "pawctl_run.h"

/* pawctl's exit codes (Documentation/pawctl.rst). */
enum {
	EXIT_OK = 0, EXIT_USAGE = 1, EXIT_NOT_FOUND = 2, EXIT_REFUSED = 3,
	EXIT_UNREACHABLE = 4, EXIT_IO = 5, EXIT_BAD_FILE = 6,
	EXIT_UNSUPPORTED = 7,
};

/* A walk of many pawctl runs under TCG, three times per boot. */
#define WALK_TIMEOUT_S	240

FIXTURE(world) {
	char dir[64], sock[96], toy_dir[96], toy_log[96], store[96];
	char label[128], speaker[128];
	char code[16];				/* as printed: 1234-5678 */
	char toy_hex[2 * PAWLINK_ID_LEN + 1];
	struct proc air, toy;
	struct dongle d, d2;
	struct run r;
};

FIXTURE_SETUP(world)
{
	const char *pawsim = getenv("PAWSIM") ? getenv("PAWSIM") : "pawsim";
	uint8_t id[PAWLINK_ID_LEN];
	int i;

	strcpy(self->dir, "/tmp/pawctl-dongle.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_TRUE(str_fmt(self->sock, sizeof(self->sock), "%s/air.sock",
			    self->dir));
	ASSERT_TRUE(str_fmt(self->toy_dir, sizeof(self->toy_dir), "%s/toy",
			    self->dir));
	ASSERT_TRUE(str_fmt(self->toy_log, sizeof(self->toy_log),
			    "%s/toy.log", self->dir));
	ASSERT_TRUE(str_fmt(self->store, sizeof(self->store), "%s/host",
			    self->dir));
	ASSERT_TRUE(str_fmt(self->label, sizeof(self->label), "%s/label",
			    self->toy_dir));
	ASSERT_TRUE(str_fmt(self->speaker, sizeof(self->speaker),
			    "%s/speaker.wav", self->dir));
	{
		const char *const air[] = {
			pawsim, "air", "--socket", self->sock, NULL
		};

		ASSERT_EQ(0, start_ready(&self->air, air, NULL));
	}
	{
		const char *const toy[] = {
			pawsim, "toy", "--air", self->sock, "--dir",
			self->toy_dir, "--mic", "tone:440", "--speaker",
			self->speaker, NULL
		};

		ASSERT_EQ(0, start_ready(&self->toy, toy, self->toy_log));
	}
	ASSERT_EQ(0, toy_id_from_log(self->toy_log, id));
	for (i = 0; i < PAWLINK_ID_LEN; i++)
		sprintf(self->toy_hex + 2 * i, "%02x", id[i]);
	ASSERT_EQ(0, read_text(self->label, self->code, sizeof(self->code)));
	ASSERT_EQ(9, strlen(self->code));

	ASSERT_EQ(0, setenv("PAWLINK_TEST_AIR", self->sock, 1));
	ASSERT_EQ(0, dongle_plug(&self->d, 0, NULL, 0));
	unsetenv("PAWLINK_TEST_AIR");
}

FIXTURE_TEARDOWN(world)
{
	const char *const rm[] = { "rm", "-rf", self->dir, NULL };

	EXPECT_EQ(0, dongle_stop(&self->d2));
	EXPECT_EQ(0, dongle_stop(&self->d));
	stop_proc(&self->toy);
	EXPECT_EQ(0, stop_proc(&self->air));
	EXPECT_EQ(0, run_cmd(rm));
}

/* Scans (bounded) until the toy is heard with @pairing; 0 or -1. */
static int scan_until(struct _test_data_world *self, const char *pairing)
{
	return pawctl_scan_until(self->store, &self->r, self->toy_hex,
				 pairing);
}

/* Presses the button and pairs as "bear" with the label's code. */
static int pair_bear(struct _test_data_world *self)
{
	return pawctl_pair_bear(self->store, &self->r, self->toy_hex,
				self->toy_dir, self->label);
}

/* The dongle as `pawctl dongles` shows it, and nothing else plugged in. */
TEST_F(world, dongles_lists_the_dongle)
{
	char want[160], id[32], sysfs_id[32];

	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "dongles"));
	ASSERT_TRUE(json_has(self->r.out,
			     "{\"schema\":1,\"command\":\"dongles\",\"ok\":true}"));
	snprintf(want, sizeof(want), "{\"device\":\"%s\"}", self->d.node);
	EXPECT_TRUE(json_has(self->r.out, want));
	/* One dongle: exactly one object in the array. */
	EXPECT_EQ(1, json_len(self->r.out, "dongles"));
	ASSERT_EQ(0, intf_attr(&self->d, "dongle_id", sysfs_id,
			       sizeof(sysfs_id)));
	EXPECT_STREQ(sysfs_id, json_text(self->r.out, "dongles.0.id", id,
				      sizeof(id)));
	EXPECT_TRUE(json_has(self->r.out, "{\"firmware\":\"1.0\"}"));
	snprintf(want, sizeof(want), "{\"speed\":\"%s\"}", lane_speed());
	EXPECT_TRUE(json_has(self->r.out, want));
	EXPECT_TRUE(json_has(self->r.out, "{\"link\":\"idle\",\"keyed\":false}"));

	ASSERT_EQ(EXIT_OK, PAWCTL(self, "dongles"));
	EXPECT_TRUE(has(self->r.out, "DEVICE"));
	EXPECT_TRUE(has(self->r.out, self->d.node));
	EXPECT_TRUE(has(self->r.out, sysfs_id));
}

/*
 * What works without a session key: scan before and after the button,
 * pairing (a wrong code refused, then the label's), toys, record's clear
 * error on this path, forget.  All plaintext, so no guard.
 */
TEST_F_TIMEOUT(world, plaintext_walk, WALK_TIMEOUT_S)
{
	char bad[24], path[256], wav[128];
	struct stat st;
	int i;

	/* scan: the toy, its window closed, not paired here. */
	ASSERT_EQ(0, scan_until(self, "false"));
	EXPECT_TRUE(json_has(self->r.out, "{\"paired\":false,\"name\":null}"));
	press(self->toy_dir);
	ASSERT_EQ(0, scan_until(self, "true"));
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "scan"));
	EXPECT_TRUE(has(self->r.out, self->toy_hex));

	/* pair: a wrong code from stdin is refused, the right one pairs. */
	snprintf(bad, sizeof(bad), "%s\n", self->code);
	for (i = 0; i < 9; i++) {
		if (i == 4)
			continue;
		bad[i] = (char)('0' + (bad[i] - '0' + 1) % 10);
		break;
	}
	EXPECT_EQ(EXIT_REFUSED, PAWCTL_IN(self, bad, "pair", self->toy_hex,
					  "--name", "bear"));
	EXPECT_TRUE(has(self->r.err, "wrong setup code"));
	ASSERT_EQ(EXIT_OK, PAWCTL_IN(self, self->code, "pair", self->toy_hex,
				     "--name", "bear", "--json"));
	snprintf(path, sizeof(path),
		 "{\"toy\":{\"id\":\"%s\",\"name\":\"bear\"}}", self->toy_hex);
	EXPECT_TRUE(json_has(self->r.out, path));
	snprintf(path, sizeof(path), "%s/toy-%s", self->store, self->toy_hex);
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(0600, st.st_mode & 0777);
	/* The pairing left the dongle as it found it. */
	EXPECT_EQ(0, intf_attr_wait(&self->d, "link_state", "idle"));

	/* scan: paired here now, under its name. */
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "scan"));
	EXPECT_TRUE(json_has(self->r.out, "{\"paired\":true,\"name\":\"bear\"}"));

	/* toys: from the key store. */
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "toys"));
	snprintf(path, sizeof(path),
		 "{\"toys\":[{\"id\":\"%s\",\"name\":\"bear\"}]}", self->toy_hex);
	EXPECT_TRUE(json_has(self->r.out, path));

	/*
	 * record: through a dongle the microphone is the sound card's.
	 * Refused before a session (the toy's LED stays dark), no file.
	 */
	ASSERT_TRUE(str_fmt(wav, sizeof(wav), "%s/mic.wav", self->dir));
	EXPECT_EQ(EXIT_UNSUPPORTED, PAWCTL(self, "--json", "record", "bear",
					   "-o", wav, "--seconds", "1"));
	EXPECT_TRUE(has(self->r.err, "sound card"));
	EXPECT_EQ(EXIT_UNSUPPORTED, json_number(self->r.out, "exit"));
	EXPECT_NE(0, access(wav, F_OK));
	EXPECT_EQ(0, intf_attr_wait(&self->d, "keyed", "0"));

	/* forget: the store's entry is erased, without the toy. */
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "forget", "bear"));
	EXPECT_NE(0, access(path, F_OK));
	EXPECT_EQ(EXIT_NOT_FOUND, PAWCTL(self, "forget", self->toy_hex));
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "toys"));
	EXPECT_TRUE(json_has(self->r.out, "{\"toys\":[]}"));
}

/* A WAV file's frames and peak; -1 if it is not one. */
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

/*
 * The commands of a session, as tests/native/test_pawctl.c walks them,
 * through the driver's sealing.
 */
TEST_F_TIMEOUT(world, keyed_walk, WALK_TIMEOUT_S)
{
	char id[40], second[40], path[256], wav[128], opus[128], dec[128];
	char sha[80];
	long frames;
	int peak, tries;

	ASSERT_TRUE(str_fmt(wav, sizeof(wav), "%s/hello.wav", self->dir));
	ASSERT_TRUE(str_fmt(opus, sizeof(opus), "%s/msg.opus", self->dir));
	ASSERT_TRUE(str_fmt(dec, sizeof(dec), "%s/msg.wav", self->dir));
	ASSERT_EQ(EXIT_OK, pair_bear(self));

	/* status: the session's first sealed frame. */
	PAWCTL(self, "--json", "status", "bear");
	ASSERT_EQ(EXIT_OK, self->r.status);
	EXPECT_EQ(1, json_number(self->r.out, "paired_hosts"));
	EXPECT_TRUE(json_has(self->r.out, "{\"led\":false}"));
	EXPECT_TRUE(json_has(self->r.out, "{\"mic\":false}"));
	EXPECT_EQ(0, json_number(self->r.out, "mic_starts"));
	EXPECT_EQ(0, json_number(self->r.out, "rx_dropped_auth"));
	/* Every session ends with the command: the keys are gone again. */
	EXPECT_EQ(0, intf_attr_wait(&self->d, "keyed", "0"));
	EXPECT_EQ(0, intf_attr_wait(&self->d, "link_state", "idle"));

	/* log: pairing, and this host's sessions. */
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "log", "bear"));
	EXPECT_TRUE(json_has(self->r.out, "{\"event\":\"pair-ok\"}"));
	EXPECT_TRUE(json_has(self->r.out, "{\"this_host\":true}"));

	/* send: a voice message made from a file (the toy's own tone). */
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
		f = sf_open(wav, SFM_WRITE, &info);
		ASSERT_NE(NULL, f);
		ASSERT_EQ(16000, sf_writef_short(f, tone, 16000));
		ASSERT_EQ(0, sf_close(f));
	}
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "send", "bear", wav));
	json_text(self->r.out, "message.id", id, sizeof(id));
	ASSERT_EQ(32, strlen(id));
	EXPECT_TRUE(json_has(self->r.out, "{\"from_this_host\":true}"));
	EXPECT_TRUE(json_has(self->r.out, "{\"codec\":\"ogg-opus\"}"));
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "send", "bear", wav));
	ASSERT_EQ(33, strlen(self->r.out));
	memcpy(second, self->r.out, 32);
	second[32] = '\0';

	/* ls: both, with their hashes. */
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "ls", "bear"));
	snprintf(path, sizeof(path), "{\"id\":\"%s\"}", id);
	ASSERT_TRUE(json_has(self->r.out, path));
	json_text_of(self->r.out, "id", id, "sha256", sha, sizeof(sha));
	EXPECT_EQ(64, strlen(sha));
	snprintf(path, sizeof(path), "{\"id\":\"%s\"}", second);
	EXPECT_TRUE(json_has(self->r.out, path));

	/* get: as stored, by a prefix; and decoded to WAV. */
	{
		char prefix[12], got[80];

		memcpy(prefix, id, 8);
		prefix[8] = '\0';
		ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "get", "bear",
					  prefix, "-o", opus));
		EXPECT_TRUE(json_has(self->r.out, "{\"format\":\"ogg-opus\"}"));
		json_text(self->r.out, "message.sha256", got, sizeof(got));
		EXPECT_STREQ(sha, got);
	}
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "get", "bear", id, "-o", dec));
	frames = wav_frames(dec, &peak);
	EXPECT_TRUE(frames > 15000 && frames < 17000);
	EXPECT_TRUE(peak > 2000);

	/* play: the toy's speaker plays it at its own pace. */
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "play", "bear", id));
	for (tries = 0; tries < 50; tries++) {
		ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "status", "bear"));
		if (json_has(self->r.out, "{\"playing\":false}"))
			break;
		sleep_ms(200);
	}
	EXPECT_TRUE(json_has(self->r.out, "{\"playing\":false}"));
	EXPECT_LT(0, json_number(self->r.out, "speaker_samples"));

	/* led and volume, as the toy reports them. */
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "led", "bear", "on"));
	EXPECT_TRUE(json_has(self->r.out, "{\"led\":true}"));
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "volume", "bear", "42"));
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "status", "bear"));
	EXPECT_TRUE(json_has(self->r.out, "{\"led\":true}"));
	EXPECT_EQ(42, json_number(self->r.out, "volume"));
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "led", "bear", "off"));

	/* rm, by id and by prefix; a second rm finds none. */
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "rm", "bear", id));
	EXPECT_EQ(EXIT_NOT_FOUND, PAWCTL(self, "rm", "bear", id));
	second[8] = '\0';
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "rm", "bear", second));
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "ls", "bear"));
	EXPECT_TRUE(json_has(self->r.out, "{\"messages\":[]}"));

	/* unpair: both sides forget; then the toy refuses this host. */
	snprintf(path, sizeof(path), "%s/toy-%s", self->store, self->toy_hex);
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "unpair", "bear"));
	EXPECT_NE(0, access(path, F_OK));
	EXPECT_EQ(EXIT_NOT_FOUND, PAWCTL(self, "status", "bear"));
	EXPECT_EQ(EXIT_NOT_FOUND, PAWCTL(self, "forget", "bear"));
	EXPECT_EQ(0, intf_attr_wait(&self->d, "keyed", "0"));
}

/*
 * pawctl connect leaves the session in the driver (for the sound card),
 * other commands are refused while it is there, and disconnect ends it.
 */
TEST_F_TIMEOUT(world, kept_session, WALK_TIMEOUT_S)
{
	char want[160];

	ASSERT_EQ(EXIT_OK, pair_bear(self));
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "disconnect"));
	EXPECT_TRUE(json_has(self->r.out, "{\"ended\":false}"));

	PAWCTL(self, "--json", "connect", "bear");
	ASSERT_EQ(EXIT_OK, self->r.status);
	snprintf(want, sizeof(want), "{\"device\":\"%s\"}", self->d.node);
	EXPECT_TRUE(json_has(self->r.out, want));
	/* pawctl is gone; the keys and the link stay in the driver. */
	EXPECT_EQ(0, intf_attr_wait(&self->d, "keyed", "1"));
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "dongles"));
	EXPECT_TRUE(json_has(self->r.out, "{\"link\":\"connected\",\"keyed\":true}"));

	/* Another session would need the dongle's link: busy, said so. */
	EXPECT_EQ(EXIT_UNREACHABLE, PAWCTL(self, "status", "bear"));
	EXPECT_TRUE(has(self->r.err, "pawctl disconnect"));
	EXPECT_EQ(0, intf_attr_wait(&self->d, "keyed", "1"));
	/* Scanning does not disturb it. */
	EXPECT_EQ(EXIT_OK, PAWCTL(self, "scan"));
	EXPECT_EQ(0, intf_attr_wait(&self->d, "keyed", "1"));

	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "disconnect"));
	EXPECT_TRUE(json_has(self->r.out, "{\"ended\":true}"));
	snprintf(want, sizeof(want),
		 "{\"toy\":{\"id\":\"%s\",\"name\":\"bear\"}}", self->toy_hex);
	EXPECT_TRUE(json_has(self->r.out, want));
	EXPECT_EQ(0, intf_attr_wait(&self->d, "keyed", "0"));
	EXPECT_EQ(0, intf_attr_wait(&self->d, "link_state", "idle"));
	/* The toy heard the BYE: a new session opens at once. */
	EXPECT_EQ(EXIT_OK, PAWCTL(self, "status", "bear"));
}

/* No dongle: a clear error and exit 4; dongles lists none. */
TEST_F(world, no_dongle)
{
	ASSERT_EQ(0, dongle_stop(&self->d));
	EXPECT_EQ(EXIT_UNREACHABLE, PAWCTL(self, "--json", "scan"));
	EXPECT_TRUE(has(self->r.err, "no pawlink dongle is plugged in"));
	EXPECT_EQ(EXIT_UNREACHABLE, json_number(self->r.out, "exit"));
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "dongles"));
	EXPECT_TRUE(json_has(self->r.out, "{\"dongles\":[]}"));
	/* A node that is not there is the same failure. */
	EXPECT_EQ(EXIT_UNREACHABLE, PAWCTL(self, "--device", "/dev/pawlink9",
					   "scan"));
	/* Something that is not a dongle is a wrong --device. */
	EXPECT_EQ(EXIT_USAGE, PAWCTL(self, "--device", "/dev/null", "scan"));
	EXPECT_TRUE(has(self->r.err, "not a pawlink dongle"));
}

/* Two dongles: pawctl asks which; --device chooses. */
TEST_F(world, two_dongles_need_device)
{
	char want[160];

	ASSERT_EQ(0, dongle_plug(&self->d2, 1, NULL, 0));
	EXPECT_EQ(EXIT_USAGE, PAWCTL(self, "scan"));
	EXPECT_TRUE(has(self->r.err, "2 pawlink dongles are plugged in"));
	EXPECT_TRUE(has(self->r.err, "--device"));
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--json", "dongles"));
	snprintf(want, sizeof(want), "{\"device\":\"%s\"}", self->d.node);
	EXPECT_TRUE(json_has(self->r.out, want));
	snprintf(want, sizeof(want), "{\"device\":\"%s\"}", self->d2.node);
	EXPECT_TRUE(json_has(self->r.out, want));
	/* The one on the toy's air hears it; the loopback one hears its own. */
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--device", self->d.node, "--json",
				  "scan", "--seconds", "2"));
	snprintf(want, sizeof(want), "{\"id\":\"%s\"}", self->toy_hex);
	EXPECT_TRUE(json_has(self->r.out, want));
	ASSERT_EQ(EXIT_OK, PAWCTL(self, "--device", self->d2.node, "--json",
				  "scan"));
	EXPECT_FALSE(json_has(self->r.out, want));
	EXPECT_TRUE(json_has(self->r.out, "{\"id\":\"6c6f6f706261636b\"}"));
}

/* Another program holds the dongle: busy, exit 4, nothing disturbed. */
TEST_F(world, dongle_busy)
{
	int fd = open(self->d.node, O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, flock(fd, LOCK_EX | LOCK_NB));
	EXPECT_EQ(EXIT_UNREACHABLE, PAWCTL(self, "scan"));
	EXPECT_TRUE(has(self->r.err, "another program is using the dongle"));
	/* Listing needs no node: it still works. */
	EXPECT_EQ(EXIT_OK, PAWCTL(self, "dongles"));
	close(fd);
	EXPECT_EQ(EXIT_OK, PAWCTL(self, "scan"));
}

/* The dongle unplugged while pawctl waits on it: exit 4, said so. */
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
	/* Once it listens, it holds the node: pull the dongle. */
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
	ASSERT_EQ(0, dongle_stop(&self->d));
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

/* A toy that is gone: pairing and a session say unreachable (4). */
TEST_F(world, toy_out_of_range)
{
	char state[32], want[40];

	int tries;

	ASSERT_EQ(0, scan_until(self, "false"));
	EXPECT_EQ(0, stop_proc(&self->toy));
	/* The dongle forgets a toy it has not heard for 3 s: wait for it. */
	snprintf(want, sizeof(want), "{\"id\":\"%s\"}", self->toy_hex);
	for (tries = 0; tries < 15; tries++)
		if (PAWCTL(self, "--json", "scan") == EXIT_OK &&
		    !json_has(self->r.out, want))
			break;
	ASSERT_FALSE(json_has(self->r.out, want));
	EXPECT_EQ(EXIT_UNREACHABLE, PAWCTL(self, "pair", self->toy_hex,
					   "--code-file", self->label));
	EXPECT_TRUE(has(self->r.err, "does not hear the toy"));
	/* Nothing was left trying: the link is down again. */
	ASSERT_EQ(0, intf_attr(&self->d, "link_state", state, sizeof(state)));
	EXPECT_STREQ("idle", state);
}

TEST_HARNESS_MAIN
