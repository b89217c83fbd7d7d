// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctls of /dev/pawlinkN and their argument checks, the key install
 * rules (kTLS style), and what a keyed or unkeyed session allows: the PCM
 * refuses to open before a session (-ENOTCONN), a keyed session sends no
 * plaintext and takes none.  pawlink_record.c tests the record layer itself.
 */

#include <linux/pawlink_test.h>

#include "kselftest_harness.h"
#include "common.h"

FIXTURE(ctl) {
	struct dongle d;
	int fd;
};

FIXTURE_SETUP(ctl)
{
	self->fd = dongle_open(&self->d, 0, NULL, 0);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(ctl)
{
	EXPECT_EQ(0, dongle_close(&self->d, self->fd));
}

static void keys_init(struct pawlink_key_install *k, uint32_t epoch,
		      uint32_t flags)
{
	memset(k, 0, sizeof(*k));
	k->version = PAWLINK_KEYS_VERSION;
	k->flags = flags;
	k->epoch = epoch;
	memset(k->h2t_ctrl, 0x11, sizeof(k->h2t_ctrl));
	memset(k->t2h_ctrl, 0x22, sizeof(k->t2h_ctrl));
	memset(k->h2t_audio, 0x33, sizeof(k->h2t_audio));
	memset(k->t2h_audio, 0x44, sizeof(k->t2h_audio));
}

/* ioctl() that returns the errno, or 0. */
static int ioc(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? errno : 0;
}

static int keyed(const struct dongle *d)
{
	char buf[8];

	return intf_attr(d, "keyed", buf, sizeof(buf)) ? -1 : atoi(buf);
}

/* @cmd with its size field replaced by @size. */
static unsigned long resized(unsigned long cmd, unsigned int size)
{
	return _IOC(_IOC_DIR(cmd), _IOC_TYPE(cmd), _IOC_NR(cmd), size);
}

TEST_F(ctl, unknown_and_missized_ioctls)
{
	static const unsigned long cmds[] = {
		PAWLINK_IOC_GET_INFO, PAWLINK_IOC_SCAN, PAWLINK_IOC_CONNECT,
		PAWLINK_IOC_GET_STATS, PAWLINK_IOC_SET_KEYS,
	};
	static unsigned char big[8192];
	struct pawlink_info info;
	unsigned int i;
	uint32_t small;

	EXPECT_EQ(ENOTTY, ioc(self->fd, _IO(PAWLINK_IOC_MAGIC, 0x7f), NULL));
	EXPECT_EQ(ENOTTY, ioc(self->fd, _IO('Q', 0x01), NULL));
	/* right number, wrong size: a different command */
	EXPECT_EQ(ENOTTY, ioc(self->fd, _IOR(PAWLINK_IOC_MAGIC, 0x01, uint32_t),
			      &small));
	EXPECT_EQ(ENOTTY, ioc(self->fd, _IOW(PAWLINK_IOC_MAGIC, 0x10,
					     struct pawlink_info), &info));
	/* every ioctl, one byte short and one byte long, and the wrong way */
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		unsigned int size = _IOC_SIZE(cmds[i]);

		EXPECT_EQ(ENOTTY, ioc(self->fd, resized(cmds[i], size - 1), big))
			TH_LOG("ioctl nr %u, %u bytes", _IOC_NR(cmds[i]), size - 1);
		EXPECT_EQ(ENOTTY, ioc(self->fd, resized(cmds[i], size + 1), big))
			TH_LOG("ioctl nr %u, %u bytes", _IOC_NR(cmds[i]), size + 1);
		EXPECT_EQ(ENOTTY, ioc(self->fd, _IOC(_IOC_READ | _IOC_WRITE,
						     PAWLINK_IOC_MAGIC,
						     _IOC_NR(cmds[i]), size),
				      big));
	}
	EXPECT_EQ(ENOTTY, ioc(self->fd, _IOW(PAWLINK_IOC_MAGIC, 0x04, uint32_t),
			      big));
	/* the test hooks are not there unless the module was told so */
	EXPECT_EQ(ENOTTY, ioc(self->fd, PAWLINK_IOC_TEST_SEAL, big));
	EXPECT_EQ(ENOTTY, ioc(self->fd, PAWLINK_IOC_TEST_SET_COUNTER, big));
	EXPECT_EQ(ENOTTY, ioc(self->fd, PAWLINK_IOC_TEST_INJECT, big));
	/* a bad pointer is EFAULT, not a crash */
	EXPECT_EQ(EFAULT, ioc(self->fd, PAWLINK_IOC_GET_INFO, (void *)8));
	EXPECT_EQ(EFAULT, ioc(self->fd, PAWLINK_IOC_GET_STATS, (void *)8));
	EXPECT_EQ(EFAULT, ioc(self->fd, PAWLINK_IOC_CONNECT, (void *)8));
	EXPECT_EQ(EFAULT, ioc(self->fd, PAWLINK_IOC_SET_KEYS, (void *)8));
	/* and the device still works */
	EXPECT_EQ(0, ioc(self->fd, PAWLINK_IOC_GET_INFO, &info));
	EXPECT_EQ(0, ioc(self->fd, PAWLINK_IOC_SCAN, big));
}

/*
 * struct pawlink_stats only grows at the end: GET_STATS with an older
 * header's size (80, 96 or 104 bytes) gives that many and writes nothing
 * past.
 */
TEST_F(ctl, get_stats_old_size)
{
	unsigned char buf[PAWLINK_STATS_SIZE_V4 + 8];
	struct pawlink_stats now;

	ASSERT_EQ(136, sizeof(struct pawlink_stats));
	ASSERT_EQ(PAWLINK_STATS_SIZE_V4, sizeof(struct pawlink_stats));
	ASSERT_EQ(104, PAWLINK_STATS_SIZE_V3);
	ASSERT_EQ(96, PAWLINK_STATS_SIZE_V2);
	ASSERT_EQ(80, PAWLINK_STATS_SIZE_V1);
	ASSERT_EQ(1, write(self->fd, "x", 1));
	ASSERT_EQ(0, stat_wait_ge(&self->d, "rx_records", 1));

	memset(buf, 0xa5, sizeof(buf));
	ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_GET_STATS_V1, buf));
	ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_GET_STATS, &now));
	EXPECT_EQ(0, memcmp(buf, &now, PAWLINK_STATS_SIZE_V1));
	EXPECT_EQ(0xa5, buf[PAWLINK_STATS_SIZE_V1]);
	EXPECT_EQ(1, now.rx_records);
	EXPECT_EQ(0, now.rx_dropped_epoch);
	EXPECT_EQ(0, now.rx_dropped_length);

	memset(buf, 0xa5, sizeof(buf));
	ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_GET_STATS_V2, buf));
	EXPECT_EQ(0, memcmp(buf, &now, PAWLINK_STATS_SIZE_V2));
	EXPECT_EQ(0xa5, buf[PAWLINK_STATS_SIZE_V2]);
	EXPECT_EQ(0, now.xact_errors);

	memset(buf, 0xa5, sizeof(buf));
	ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_GET_STATS_V3, buf));
	EXPECT_EQ(0, memcmp(buf, &now, PAWLINK_STATS_SIZE_V3));
	EXPECT_EQ(0xa5, buf[PAWLINK_STATS_SIZE_V3]);
	EXPECT_EQ(0, now.audio_rx_periods);
}

TEST_F(ctl, connect_and_disconnect_validate)
{
	struct pawlink_connect c = { .flags = 1 };

	EXPECT_EQ(EINVAL, ioc(self->fd, PAWLINK_IOC_CONNECT, &c));
	c.flags = 0x80000000u;
	EXPECT_EQ(EINVAL, ioc(self->fd, PAWLINK_IOC_CONNECT, &c));
	EXPECT_EQ(EINVAL, ioctl(self->fd, PAWLINK_IOC_DISCONNECT, 1UL) ? errno : 0);
	EXPECT_EQ(0, ioctl(self->fd, PAWLINK_IOC_DISCONNECT, 0UL) ? errno : 0);
}

TEST_F(ctl, scan_connect_disconnect)
{
	struct pawlink_connect c = { 0 };
	struct pawlink_scan scan;
	struct pawlink_info info;
	unsigned int i;

	memset(&scan, 0xa5, sizeof(scan));
	ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_SCAN, &scan));
	ASSERT_LE(scan.count, PAWLINK_SCAN_MAX);
	EXPECT_EQ(0, scan.reserved);
	/* the loopback dongle hears its one simulated toy */
	ASSERT_LE(1, scan.count);
	for (i = scan.count; i < PAWLINK_SCAN_MAX; i++)
		EXPECT_EQ(0, scan.beacons[i].toy_id[0]);

	memcpy(c.toy_id, scan.beacons[0].toy_id, PAWLINK_ID_LEN);
	ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_CONNECT, &c));
	/* the dongle's LINK event moves the state on */
	ASSERT_EQ(0, intf_attr_wait(&self->d, "link_state", "connected"));
	ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_GET_INFO, &info));
	EXPECT_EQ(PAWLINK_LINK_CONNECTED, info.link_state);
	EXPECT_EQ(0, memcmp(c.toy_id, info.toy_id, PAWLINK_ID_LEN));

	ASSERT_EQ(0, ioctl(self->fd, PAWLINK_IOC_DISCONNECT, 0UL) ? errno : 0);
	ASSERT_EQ(0, intf_attr_wait(&self->d, "link_state", "idle"));
	ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_GET_INFO, &info));
	EXPECT_EQ(PAWLINK_LINK_IDLE, info.link_state);
	for (i = 0; i < PAWLINK_ID_LEN; i++)
		EXPECT_EQ(0, info.toy_id[i]);
}

/*
 * A toy that is not there: the dongle takes the request and reports IDLE.
 * A CONNECT while connected: the dongle refuses it (stall, EPIPE) and the
 * link stays as it was.
 */
TEST_F(ctl, connect_outcomes)
{
	struct pawlink_connect c = { .toy_id = "nobody!" };
	struct pawlink_scan scan;
	struct pawlink_info info;

	ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_CONNECT, &c));
	ASSERT_EQ(0, intf_attr_wait(&self->d, "link_state", "idle"));

	ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_SCAN, &scan));
	ASSERT_LE(1, scan.count);
	memcpy(c.toy_id, scan.beacons[0].toy_id, PAWLINK_ID_LEN);
	ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_CONNECT, &c));
	ASSERT_EQ(0, intf_attr_wait(&self->d, "link_state", "connected"));

	EXPECT_EQ(EPIPE, ioc(self->fd, PAWLINK_IOC_CONNECT, &c));
	ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_GET_INFO, &info));
	EXPECT_EQ(PAWLINK_LINK_CONNECTED, info.link_state);
	EXPECT_EQ(0, memcmp(c.toy_id, info.toy_id, PAWLINK_ID_LEN));
	EXPECT_EQ(0, stat_get(&self->d, "rx_dropped_replay"));
	EXPECT_EQ(0, stat_get(&self->d, "rx_dropped_malformed"));
}

TEST_F(ctl, set_keys_validates)
{
	struct pawlink_key_install k;
	uint64_t tx;

	/* a link that is not connected takes no keys */
	keys_init(&k, 1, 0);
	EXPECT_EQ(ENOTCONN, ioc(self->fd, PAWLINK_IOC_SET_KEYS, &k));
	EXPECT_EQ(0, keyed(&self->d));
	ASSERT_EQ(0, dongle_connect(&self->d, self->fd));

	keys_init(&k, 1, 0);
	k.version = 0;
	EXPECT_EQ(EINVAL, ioc(self->fd, PAWLINK_IOC_SET_KEYS, &k));
	k.version = PAWLINK_KEYS_VERSION + 1;
	EXPECT_EQ(EINVAL, ioc(self->fd, PAWLINK_IOC_SET_KEYS, &k));

	keys_init(&k, 1, 0x2);
	EXPECT_EQ(EINVAL, ioc(self->fd, PAWLINK_IOC_SET_KEYS, &k));
	keys_init(&k, 1, 0);
	k.reserved = 1;
	EXPECT_EQ(EINVAL, ioc(self->fd, PAWLINK_IOC_SET_KEYS, &k));
	/* epoch 0 means plaintext */
	keys_init(&k, 0, 0);
	EXPECT_EQ(EINVAL, ioc(self->fd, PAWLINK_IOC_SET_KEYS, &k));
	/* nothing to rekey yet */
	keys_init(&k, 1, PAWLINK_KEYS_REKEY);
	EXPECT_EQ(EINVAL, ioc(self->fd, PAWLINK_IOC_SET_KEYS, &k));
	EXPECT_EQ(0, keyed(&self->d));

	/* none of that left a trace: plaintext still flows */
	tx = stat_get(&self->d, "tx_records");
	ASSERT_EQ(1, write(self->fd, "p", 1));
	ASSERT_EQ(1, read_frame(self->fd, &k, sizeof(k)));
	EXPECT_EQ(tx + 1, stat_get(&self->d, "tx_records"));
	keys_init(&k, 1, 0);
	EXPECT_EQ(0, ioc(self->fd, PAWLINK_IOC_SET_KEYS, &k));
	EXPECT_EQ(1, keyed(&self->d));
}

TEST_F(ctl, set_keys_once_then_rekey_upwards)
{
	struct pawlink_key_install k;
	struct pawlink_info info;

	ASSERT_EQ(0, dongle_connect(&self->d, self->fd));
	keys_init(&k, 5, 0);
	ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_SET_KEYS, &k));
	EXPECT_EQ(1, keyed(&self->d));
	ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_GET_INFO, &info));
	EXPECT_EQ(1, info.keyed);

	/* a second install is refused, whatever its epoch */
	keys_init(&k, 6, 0);
	EXPECT_EQ(EBUSY, ioc(self->fd, PAWLINK_IOC_SET_KEYS, &k));
	/* a rekey must raise the epoch */
	keys_init(&k, 5, PAWLINK_KEYS_REKEY);
	EXPECT_EQ(EINVAL, ioc(self->fd, PAWLINK_IOC_SET_KEYS, &k));
	keys_init(&k, 4, PAWLINK_KEYS_REKEY);
	EXPECT_EQ(EINVAL, ioc(self->fd, PAWLINK_IOC_SET_KEYS, &k));
	keys_init(&k, 6, PAWLINK_KEYS_REKEY);
	EXPECT_EQ(0, ioc(self->fd, PAWLINK_IOC_SET_KEYS, &k));
	EXPECT_EQ(1, keyed(&self->d));

	/* keyed: no CONNECT to another toy until the session ends */
	{
		struct pawlink_connect c = { 0 };

		EXPECT_EQ(EISCONN, ioc(self->fd, PAWLINK_IOC_CONNECT, &c));
	}

	/* ending the session drops the keys and the link */
	ASSERT_EQ(0, ioctl(self->fd, PAWLINK_IOC_DISCONNECT, 0UL) ? errno : 0);
	EXPECT_EQ(0, keyed(&self->d));
	keys_init(&k, 1, 0);
	EXPECT_EQ(ENOTCONN, ioc(self->fd, PAWLINK_IOC_SET_KEYS, &k));
	/* a fresh session works again */
	ASSERT_EQ(0, dongle_connect(&self->d, self->fd));
	EXPECT_EQ(0, ioc(self->fd, PAWLINK_IOC_SET_KEYS, &k));
	EXPECT_EQ(1, keyed(&self->d));
}

/*
 * Once keyed, write() seals every frame on the control channel.  The
 * loopback dongle echoes the record; the host opens what it receives with
 * t2h_ctrl, not the h2t_ctrl it sealed with, so the echo is a forgery to
 * it (rx_dropped_auth).  Had the frame gone out as plaintext, the echo
 * would count as rx_dropped_plaintext instead.
 */
TEST_F(ctl, keyed_session_seals_writes)
{
	struct pawlink_key_install k;
	unsigned char buf[16] = { 1 };
	uint64_t tx;

	/* plaintext flows before keys */
	ASSERT_EQ((ssize_t)sizeof(buf), write(self->fd, buf, sizeof(buf)));
	ASSERT_EQ((ssize_t)sizeof(buf), read_frame(self->fd, buf, sizeof(buf)));
	ASSERT_EQ(0, stat_wait_ge(&self->d, "tx_records", 1));
	tx = stat_get(&self->d, "tx_records");

	ASSERT_EQ(0, dongle_connect(&self->d, self->fd));
	keys_init(&k, 1, 0);
	ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_SET_KEYS, &k));
	ASSERT_EQ((ssize_t)sizeof(buf), write(self->fd, buf, sizeof(buf)));
	ASSERT_EQ(0, stat_wait_ge(&self->d, "rx_dropped_auth", 1));
	EXPECT_EQ(tx + 1, stat_get(&self->d, "tx_records"));
	EXPECT_EQ(0, stat_get(&self->d, "rx_dropped_plaintext"));
	EXPECT_EQ(0, poll_one(self->fd, POLLIN, 0));
}

/*
 * Received plaintext is dropped once keys are installed.  The loopback
 * dongle echoes a frame written just before SET_KEYS; the echo takes a USB
 * round trip and the install does not, so it nearly always lands after the
 * keys.  If it ever lands before, it was accepted under the old rules
 * (readable); end the session and try again.  A driver that let plaintext
 * through would never count a drop here.  (pawlink_record.c injects
 * plaintext into a keyed session directly.)
 */
TEST_F(ctl, keyed_session_drops_received_plaintext)
{
	struct pawlink_key_install k;
	unsigned char buf[16] = { 7 };
	bool dropped = false;
	unsigned int attempt;

	keys_init(&k, 1, 0);
	for (attempt = 0; attempt < 20 && !dropped; attempt++) {
		uint64_t before = stat_get(&self->d, "rx_dropped_plaintext");
		long end = now_ms() + WAIT_MS;

		ASSERT_EQ(0, ioctl(self->fd, PAWLINK_IOC_DISCONNECT, 0UL) ? errno : 0);
		ASSERT_EQ(0, dongle_connect(&self->d, self->fd));
		ASSERT_EQ((ssize_t)sizeof(buf), write(self->fd, buf, sizeof(buf)));
		ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_SET_KEYS, &k));
		/* wait until the echo is either queued or dropped */
		while (!(poll_one(self->fd, POLLIN, POLL_STEP_MS) & POLLIN) &&
		       stat_get(&self->d, "rx_dropped_plaintext") == before) {
			ASSERT_LT(now_ms(), end) TH_LOG("the echo never came");
		}
		if (stat_get(&self->d, "rx_dropped_plaintext") > before) {
			dropped = true;
			EXPECT_EQ(0, poll_one(self->fd, POLLIN, 0));
		} else {
			ASSERT_EQ((ssize_t)sizeof(buf),
				  read(self->fd, buf, sizeof(buf)));
		}
	}
	TH_LOG("dropped on attempt %u", attempt);
	ASSERT_TRUE(dropped);
	EXPECT_EQ(1, stat_get(&self->d, "rx_dropped_plaintext"));
}

/* Opens the PCM node of @card directly; returns the errno, or 0. */
static int pcm_open_errno(int card, char dir)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/snd/pcmC%dD0%c", card, dir);
	fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* Does @cmd (aplay -l or arecord -l) list card @card as Pawlink? */
static bool card_listed_by(const char *cmd, int card)
{
	char line[256], head[32];
	bool listed = false;
	FILE *p;

	snprintf(head, sizeof(head), "card %d: Pawlink", card);
	p = popen(cmd, "r");
	if (!p)
		return false;
	while (fgets(line, sizeof(line), p))
		listed |= strncmp(line, head, strlen(head)) == 0;
	return pclose(p) == 0 && listed;
}

TEST_F(ctl, pcm_needs_a_session)
{
	struct pawlink_key_install k;
	char cmd[128], line[256];
	bool said = false;
	FILE *p;

	/* aplay -l and arecord -l list the card's PCM device */
	EXPECT_TRUE(card_listed_by("aplay -l 2>&1", self->d.card));
	EXPECT_TRUE(card_listed_by("arecord -l 2>&1", self->d.card));

	EXPECT_EQ(ENOTCONN, pcm_open_errno(self->d.card, 'p'));
	EXPECT_EQ(ENOTCONN, pcm_open_errno(self->d.card, 'c'));

	/* aplay reports it in words */
	snprintf(cmd, sizeof(cmd),
		 "aplay -D hw:%d,0 -f S16_LE -r 16000 -c 1 -d 1 /dev/zero 2>&1",
		 self->d.card);
	p = popen(cmd, "r");
	ASSERT_NE(NULL, p);
	while (fgets(line, sizeof(line), p))
		said |= strstr(line, "Transport endpoint is not connected") != NULL;
	EXPECT_NE(0, pclose(p));
	EXPECT_TRUE(said);

	/*
	 * Keyed, open asks the toy to start: the loopback has none to
	 * answer, so it gives up after its tries (pawlink_pcm.c has a toy).
	 */
	ASSERT_EQ(0, dongle_connect(&self->d, self->fd));
	keys_init(&k, 1, 0);
	ASSERT_EQ(0, ioc(self->fd, PAWLINK_IOC_SET_KEYS, &k));
	EXPECT_EQ(ETIMEDOUT, pcm_open_errno(self->d.card, 'p'));
	EXPECT_EQ(ETIMEDOUT, pcm_open_errno(self->d.card, 'c'));
}

TEST_HARNESS_MAIN
