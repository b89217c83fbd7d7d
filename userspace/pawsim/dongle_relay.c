// SPDX-License-Identifier: GPL-2.0
/*
 * pawsim dongle: the bulk relay.  Reader threads turn OUT transfers into
 * records for the far side; writer threads turn queued records into IN
 * transfers, each ended by a short packet (an explicit zero-length write
 * when the record fills its last packet, because FunctionFS never sets
 * usb_request.zero on endpoint files).
 */
#include <endian.h>
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/usb/ch9.h>
#include <linux/usb/functionfs.h>

#include "dongle_relay.h"
#include "dongle_thread.h"
#include "pawsim.h"

static const int out_ep[DONGLE_NUM_PAIRS] = {
	[DONGLE_PAIR_CTRL] = PAWLINK_EP_CTRL_OUT,
	[DONGLE_PAIR_AUDIO] = PAWLINK_EP_AUDIO_OUT,
};

static const int in_ep[DONGLE_NUM_PAIRS] = {
	[DONGLE_PAIR_CTRL] = PAWLINK_EP_CTRL_IN,
	[DONGLE_PAIR_AUDIO] = PAWLINK_EP_AUDIO_IN,
};

static const char *const pair_names[DONGLE_NUM_PAIRS] = {
	[DONGLE_PAIR_CTRL] = "control",
	[DONGLE_PAIR_AUDIO] = "audio",
};

/* How long a vanishing dongle waits for its last transfer to start. */
#define VANISH_WAIT_S		1
/* Back-off after an endpoint error we do not expect, to never spin. */
#define ERROR_BACKOFF_NS	(10 * 1000 * 1000)

static void backoff(void)
{
	struct timespec ts = { 0, ERROR_BACKOFF_NS };

	nanosleep(&ts, NULL);
}

/* ---- queues -------------------------------------------------------------- */

static int queue_init(struct dongle_queue *q)
{
	memset(q, 0, sizeof(*q));
	if (pthread_mutex_init(&q->lock, NULL))
		return -ENOMEM;
	if (pthread_cond_init(&q->not_empty, NULL))
		goto destroy_lock;
	if (pthread_cond_init(&q->not_full, NULL))
		goto destroy_not_empty;
	return 0;

destroy_not_empty:
	pthread_cond_destroy(&q->not_empty);
destroy_lock:
	pthread_mutex_destroy(&q->lock);
	return -ENOMEM;
}

static void queue_destroy(struct dongle_queue *q)
{
	pthread_cond_destroy(&q->not_full);
	pthread_cond_destroy(&q->not_empty);
	pthread_mutex_destroy(&q->lock);
}

/* Takes q->lock. */
static void queue_open(struct dongle_queue *q)
{
	pthread_mutex_lock(&q->lock);
	q->head = 0;
	q->count = 0;
	q->open = true;
	pthread_mutex_unlock(&q->lock);
}

/* Takes q->lock; wakes every waiter, drops what is queued. */
static void queue_close(struct dongle_queue *q)
{
	pthread_mutex_lock(&q->lock);
	q->open = false;
	q->count = 0;
	pthread_cond_broadcast(&q->not_empty);
	pthread_cond_broadcast(&q->not_full);
	pthread_mutex_unlock(&q->lock);
}

/*
 * Takes q->lock.  Queues a copy of @rec; with @wait, waits for room while
 * the queue stays open.  Returns false when the record was dropped.
 */
static bool queue_push(struct dongle_queue *q, enum dongle_slot_kind kind,
		       const uint8_t *rec, size_t len, bool wait)
{
	struct dongle_slot *slot;

	if (len > sizeof(slot->rec))
		return false;
	pthread_mutex_lock(&q->lock);
	while (wait && q->open && q->count == DONGLE_RELAY_QUEUE_DEPTH)
		pthread_cond_wait(&q->not_full, &q->lock);
	if (!q->open || q->count == DONGLE_RELAY_QUEUE_DEPTH) {
		pthread_mutex_unlock(&q->lock);
		return false;
	}
	slot = &q->slots[(q->head + q->count) % DONGLE_RELAY_QUEUE_DEPTH];
	slot->kind = kind;
	slot->len = (uint16_t)len;
	memcpy(slot->rec, rec, len);
	q->count++;
	pthread_cond_signal(&q->not_empty);
	pthread_mutex_unlock(&q->lock);
	return true;
}

/* Takes q->lock.  Waits for a slot; false once the queue is closed. */
static bool queue_pop(struct dongle_queue *q, struct dongle_slot *out)
{
	struct dongle_slot *slot;

	pthread_mutex_lock(&q->lock);
	while (q->open && !q->count)
		pthread_cond_wait(&q->not_empty, &q->lock);
	if (!q->open) {
		pthread_mutex_unlock(&q->lock);
		return false;
	}
	slot = &q->slots[q->head];
	out->kind = slot->kind;
	out->len = slot->len;
	memcpy(out->rec, slot->rec, slot->len);
	q->head = (q->head + 1) % DONGLE_RELAY_QUEUE_DEPTH;
	q->count--;
	pthread_cond_signal(&q->not_full);
	pthread_mutex_unlock(&q->lock);
	return true;
}

/* ---- to the host ---------------------------------------------------------- */

static void relay_to_host(void *ctx, enum dongle_pair pair, const uint8_t *rec,
			  size_t len)
{
	struct dongle_relay *relay = ctx;

	dongle_attack_log(relay->fault, DONGLE_LOG_AIR_IN, rec, len);
	/* Back pressure: a slow host slows the far side, as a modem would. */
	if (!queue_push(&relay->queues[pair], DONGLE_SLOT_RECORD, rec, len,
			true))
		atomic_fetch_add(&relay->stats.tx_dropped, 1);
}

/* Takes event_lock, then the control queue's lock. */
static void relay_link_changed(void *ctx, const struct pawlink_link *link)
{
	struct dongle_relay *relay = ctx;
	uint8_t rec[PAWLINK_REC_HDR_LEN + sizeof(struct pawlink_event)];
	struct pawlink_rec_hdr hdr = {
		.version = PAWLINK_REC_VERSION,
		.channel = PAWLINK_CH_EVENT,
		.len = htole16(sizeof(struct pawlink_event)),
		.epoch = 0,
	};
	struct pawlink_event ev;
	bool queued;

	memset(&ev, 0, sizeof(ev));
	ev.type = PAWLINK_EVENT_LINK;
	ev.link = *link;

	/* The counter and the queue order must agree, so both under one lock. */
	pthread_mutex_lock(&relay->event_lock);
	hdr.counter = htole64(relay->event_counter + 1);
	memcpy(rec, &hdr, PAWLINK_REC_HDR_LEN);
	memcpy(rec + PAWLINK_REC_HDR_LEN, &ev, sizeof(ev));
	/* Never wait: the EP0 handler must answer the host in time. */
	queued = queue_push(&relay->queues[DONGLE_PAIR_CTRL], DONGLE_SLOT_EVENT,
			    rec, sizeof(rec), false);
	if (queued)
		relay->event_counter++;
	pthread_mutex_unlock(&relay->event_lock);

	if (!queued) {
		atomic_fetch_add(&relay->stats.tx_dropped, 1);
		if (relay->verbose)
			pawsim_msg("link event (state %u) dropped: no host "
				   "reading control IN", link->state);
	}
}

struct dongle_far_host dongle_relay_far_host(struct dongle_relay *relay)
{
	struct dongle_far_host host = {
		.to_host = relay_to_host,
		.link_changed = relay_link_changed,
		.ctx = relay,
	};

	return host;
}

/* ---- readers -------------------------------------------------------------- */

enum frame_verdict { FRAME_OK, FRAME_MALFORMED, FRAME_OVERSIZED };

/* The one thing a dongle checks: the header frames the transfer exactly. */
static enum frame_verdict frame_check(const uint8_t *buf, size_t n)
{
	if (n > PAWLINK_RECORD_MAX)
		return FRAME_OVERSIZED;
	if (n < PAWLINK_REC_HDR_LEN)
		return FRAME_MALFORMED;
	if ((size_t)(buf[2] | buf[3] << 8) != n - PAWLINK_REC_HDR_LEN)
		return FRAME_MALFORMED;
	return FRAME_OK;
}

/*
 * DONGLE_FAULT_VANISH: let the control IN writer start a transfer it never
 * finishes, then pull the plug.  Never returns.
 */
static void reader_vanish(struct dongle_relay *relay, const uint8_t *rec,
			  size_t len, unsigned long count)
{
	struct timespec deadline;

	pawsim_msg("fault vanish: record %lu received; starting a transfer "
		   "on control IN, then unbinding the UDC", count);
	queue_push(&relay->queues[DONGLE_PAIR_CTRL], DONGLE_SLOT_VANISH, rec,
		   len, false);

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += VANISH_WAIT_S;
	pthread_mutex_lock(&relay->vanish_lock);
	while (!relay->vanish_sent) {
		if (pthread_cond_timedwait(&relay->vanish_cond,
					   &relay->vanish_lock, &deadline))
			break;
	}
	pthread_mutex_unlock(&relay->vanish_lock);

	relay->vanish(relay->vanish_ctx);
}

/* Says what a failed read() means; the reader then reads again. */
static void reader_error(struct dongle_relay *relay, enum dongle_pair pair,
			 int err)
{
	switch (err) {
	case EINTR:		/* dongle_thread_stop(), or a stray signal */
		return;
	case ESHUTDOWN:		/* the host disabled the interface */
	case ECONNRESET:
		if (relay->verbose)
			pawsim_msg("%s OUT: transfer cut short (%s)",
				   pair_names[pair], strerror(err));
		return;
	case EOVERFLOW:		/* the host sent more than one read holds */
		atomic_fetch_add(&relay->stats.rx_oversized, 1);
		if (relay->verbose)
			pawsim_msg("%s OUT: overflow, transfer dropped",
				   pair_names[pair]);
		return;
	default:
		pawsim_msg("%s OUT: read failed: %s", pair_names[pair],
			   strerror(err));
		backoff();
		return;
	}
}

/* The control records to the toy, through the attacker modes. */
static void reader_attack(struct dongle_relay *relay, const uint8_t *rec,
			  size_t len)
{
	struct dongle_attack_out *out = &relay->attack_toy;
	unsigned int i;

	dongle_attack_to_toy(relay->fault, rec, len, out);
	for (i = 0; i < out->count; i++) {
		dongle_attack_log(relay->fault, DONGLE_LOG_AIR_OUT,
				  out->rec[i], out->len[i]);
		relay->far->ops->from_host(relay->far, DONGLE_PAIR_CTRL,
					   out->rec[i], out->len[i]);
	}
}

static void *reader_main(void *arg)
{
	struct dongle_worker *worker = arg;
	struct dongle_relay *relay = worker->relay;
	enum dongle_pair pair = worker->pair;
	int fd = relay->ep_fd[out_ep[pair]];
	uint8_t buf[DONGLE_RELAY_READ_MAX];
	bool in_long = false;	/* inside a transfer longer than buf */
	unsigned long count;
	uint64_t now;
	ssize_t n;

	while (!atomic_load(&relay->stop)) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0) {
			/* A transfer cut short ends a long one too. */
			if (errno != EINTR)
				in_long = false;
			reader_error(relay, pair, errno);
			continue;
		}
		/* A full buffer has no short packet: the transfer goes on. */
		if ((size_t)n == sizeof(buf)) {
			if (!in_long)
				atomic_fetch_add(&relay->stats.rx_oversized, 1);
			in_long = true;
			continue;
		}
		if (in_long) {		/* the tail of an oversized one */
			in_long = false;
			continue;
		}

		switch (frame_check(buf, (size_t)n)) {
		case FRAME_OVERSIZED:
			atomic_fetch_add(&relay->stats.rx_oversized, 1);
			if (relay->verbose)
				pawsim_msg("%s OUT: %zd-byte transfer is "
					   "over %d, dropped", pair_names[pair],
					   n, PAWLINK_RECORD_MAX);
			continue;
		case FRAME_MALFORMED:
			atomic_fetch_add(&relay->stats.rx_malformed, 1);
			if (relay->verbose)
				pawsim_msg("%s OUT: %zd-byte transfer is not "
					   "one record, dropped",
					   pair_names[pair], n);
			continue;
		case FRAME_OK:
			break;
		}

		atomic_fetch_add(&relay->stats.rx_records, 1);
		now = dongle_trace_now();
		dongle_trace_record(relay->trace, false,
				    pair == DONGLE_PAIR_AUDIO, now, now, buf,
				    (size_t)n);
		if (relay->verbose)
			pawsim_msg("%s OUT: record, channel %u, %zd bytes",
				   pair_names[pair], buf[1], n);
		count = atomic_fetch_add(&relay->rx_count, 1) + 1;
		if (dongle_fault_vanish_now(relay->fault, count))
			reader_vanish(relay, buf, (size_t)n, count);
		dongle_attack_log(relay->fault, DONGLE_LOG_USB_OUT, buf,
				  (size_t)n);
		if (pair == DONGLE_PAIR_CTRL) {
			reader_attack(relay, buf, (size_t)n);
			continue;
		}
		dongle_attack_log(relay->fault, DONGLE_LOG_AIR_OUT, buf,
				  (size_t)n);
		relay->far->ops->from_host(relay->far, pair, buf, (size_t)n);
	}
	return NULL;
}

/* ---- writers -------------------------------------------------------------- */

/* wMaxPacketSize of the IN endpoint at the speed the host enabled us at. */
static int writer_maxp(struct dongle_relay *relay, int fd, uint16_t *maxp)
{
	struct usb_endpoint_descriptor desc;
	int err;

	while (!atomic_load(&relay->stop)) {
		memset(&desc, 0, sizeof(desc));
		if (!ioctl(fd, FUNCTIONFS_ENDPOINT_DESC, &desc)) {
			*maxp = le16toh(desc.wMaxPacketSize) &
				USB_ENDPOINT_MAXP_MASK;
			return 0;
		}
		if (errno == EINTR)
			continue;
		if (errno == ESHUTDOWN) {	/* disabled again already */
			backoff();
			continue;
		}
		err = -errno;
		pawsim_msg("cannot read an IN endpoint descriptor: %s",
			   strerror(-err));
		return err;
	}
	return -EINTR;
}

/*
 * One record as one transfer.  Returns 0, -EMSGSIZE when the host's
 * buffer ended first (it sees babble), or -errno.
 */
static int write_transfer(int fd, const uint8_t *buf, size_t len,
			  uint16_t maxp)
{
	ssize_t n = write(fd, buf, len);

	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return -EMSGSIZE;
	/* A transfer that fills its last packet needs a ZLP to end it. */
	if (maxp && len % maxp == 0 && write(fd, buf, 0) < 0)
		return -errno;
	return 0;
}

/*
 * DONGLE_FAULT_STALL: in FunctionFS, reading an IN endpoint file halts
 * the endpoint.  The queue is empty (we write synchronously), so the UDC
 * accepts the halt; retry briefly in case a completion is still in flight.
 */
static void halt_in(struct dongle_relay *relay, int fd)
{
	uint8_t byte;
	int tries;
	int err = 0;

	for (tries = 0; tries < 100 && !atomic_load(&relay->stop); tries++) {
		err = read(fd, &byte, 1) < 0 ? errno : EIO;
		if (err == EBADMSG) {
			pawsim_msg("fault stall: control IN halted; it works "
				   "again once the host clears the halt");
			return;
		}
		if (err != EAGAIN && err != EINTR)
			break;
		backoff();
	}
	pawsim_msg("fault stall: could not halt control IN: %s",
		   strerror(err));
}

/*
 * DONGLE_FAULT_VANISH: the start of a record whose header promises more, so
 * the host's transfer is open when the device disappears.  1024 bytes are
 * whole packets at every speed (16, 2 or 1 of them) and more than a UDC's
 * FIFO holds (dummy_hcd completes IN requests of up to 64 bytes before the
 * host has them), so the write returns only once the host has the bytes.
 */
#define VANISH_LEN	1024

static void write_vanish(struct dongle_relay *relay, int fd,
			 const struct dongle_slot *slot)
{
	uint8_t buf[VANISH_LEN];
	ssize_t sent;
	int err;

	memset(buf, 0, sizeof(buf));
	memcpy(buf, slot->rec, slot->len < sizeof(buf) ? slot->len :
							 sizeof(buf));
	buf[2] = (uint8_t)(PAWLINK_FRAME_MAX + PAWLINK_TAG_LEN);
	buf[3] = (uint8_t)((PAWLINK_FRAME_MAX + PAWLINK_TAG_LEN) >> 8);

	/*
	 * With no host reading, the reader's wait runs out and its unbind
	 * fails this write.
	 */
	sent = write(fd, buf, sizeof(buf));
	err = errno;

	pthread_mutex_lock(&relay->vanish_lock);
	relay->vanish_sent = true;
	pthread_cond_signal(&relay->vanish_cond);
	pthread_mutex_unlock(&relay->vanish_lock);

	if (relay->verbose)
		pawsim_msg("fault vanish: the host took %zd of %zu bytes (%s)",
			   sent, sizeof(buf), sent < 0 ? strerror(err) : "ok");
}

static void writer_failed(struct dongle_relay *relay, enum dongle_pair pair,
			  int err, size_t len)
{
	atomic_fetch_add(&relay->stats.tx_errors, 1);
	if (err == -EINTR)
		return;			/* stopping */
	if (err == -EMSGSIZE) {
		/* Expected of the oversized fault; a bug in the host else. */
		if (len <= PAWLINK_RECORD_MAX || relay->verbose)
			pawsim_msg("%s IN: the host took only part of a "
				   "%zu-byte record", pair_names[pair], len);
		return;
	}
	if (err == -ESHUTDOWN || err == -ECONNRESET) {
		if (relay->verbose)
			pawsim_msg("%s IN: host went away mid-transfer",
				   pair_names[pair]);
		return;
	}
	pawsim_msg("%s IN: write failed: %s", pair_names[pair],
		   strerror(-err));
}

/* Writes one transfer and accounts for it. */
static void writer_send(struct dongle_relay *relay, enum dongle_pair pair,
			int fd, enum dongle_slot_kind kind, const uint8_t *out,
			size_t len, uint16_t maxp)
{
	uint64_t start = dongle_trace_now();
	int err;

	dongle_attack_log(relay->fault, DONGLE_LOG_USB_IN, out, len);
	err = write_transfer(fd, out, len, maxp);
	if (err) {
		writer_failed(relay, pair, err, len);
		return;
	}
	dongle_trace_record(relay->trace, true, pair == DONGLE_PAIR_AUDIO,
			    start, dongle_trace_now(), out, len);
	atomic_fetch_add(&relay->stats.tx_records, 1);
	if (kind == DONGLE_SLOT_EVENT)
		atomic_fetch_add(&relay->stats.tx_events, 1);
	if (relay->verbose)
		pawsim_msg("%s IN: %s, %zu bytes", pair_names[pair],
			   kind == DONGLE_SLOT_EVENT ? "event" : "record", len);
	if (kind == DONGLE_SLOT_RECORD && pair == DONGLE_PAIR_CTRL &&
	    dongle_fault_stall_now(relay->fault))
		halt_in(relay, fd);
}

static void *writer_main(void *arg)
{
	struct dongle_worker *worker = arg;
	struct dongle_relay *relay = worker->relay;
	enum dongle_pair pair = worker->pair;
	struct dongle_queue *q = &relay->queues[pair];
	struct dongle_attack_out *attack = &relay->attack_out[pair];
	int fd = relay->ep_fd[in_ep[pair]];
	uint8_t out[DONGLE_FAULT_OVERSIZED_LEN];
	struct dongle_slot slot;
	uint64_t seq = 0;	/* relayed records written, for faults */
	uint16_t maxp = 0;
	unsigned int i;
	size_t len;

	if (writer_maxp(relay, fd, &maxp))
		return NULL;

	while (queue_pop(q, &slot)) {
		switch (slot.kind) {
		case DONGLE_SLOT_VANISH:
			write_vanish(relay, fd, &slot);
			continue;
		case DONGLE_SLOT_EVENT:
			writer_send(relay, pair, fd, slot.kind, slot.rec,
				    slot.len, maxp);
			continue;
		case DONGLE_SLOT_RECORD:
		default:
			break;
		}
		/* The attacker modes may make none, one or two of one. */
		dongle_attack_to_host(relay->fault, slot.rec, slot.len, attack);
		for (i = 0; i < attack->count; i++) {
			len = dongle_fault_to_host(relay->fault, ++seq,
						   attack->rec[i],
						   attack->len[i], out,
						   sizeof(out));
			writer_send(relay, pair, fd, slot.kind, out, len, maxp);
		}
	}
	return NULL;
}

/* ---- lifecycle ------------------------------------------------------------ */

int dongle_relay_init(struct dongle_relay *relay, struct dongle_fault *fault,
		      struct dongle_trace *trace, bool verbose)
{
	int i, ret;

	memset(relay, 0, sizeof(*relay));
	for (i = 0; i < PAWLINK_NUM_EPS; i++)
		relay->ep_fd[i] = -1;
	relay->fault = fault;
	relay->trace = trace;
	relay->verbose = verbose;
	atomic_init(&relay->stop, false);
	atomic_init(&relay->rx_count, 0);

	ret = -ENOMEM;
	if (pthread_mutex_init(&relay->event_lock, NULL))
		return ret;
	if (pthread_mutex_init(&relay->vanish_lock, NULL))
		goto destroy_event_lock;
	if (pthread_cond_init(&relay->vanish_cond, NULL))
		goto destroy_vanish_lock;
	if (queue_init(&relay->queues[DONGLE_PAIR_CTRL]))
		goto destroy_vanish_cond;
	if (queue_init(&relay->queues[DONGLE_PAIR_AUDIO]))
		goto destroy_ctrl_queue;
	return 0;

destroy_ctrl_queue:
	queue_destroy(&relay->queues[DONGLE_PAIR_CTRL]);
destroy_vanish_cond:
	pthread_cond_destroy(&relay->vanish_cond);
destroy_vanish_lock:
	pthread_mutex_destroy(&relay->vanish_lock);
destroy_event_lock:
	pthread_mutex_destroy(&relay->event_lock);
	return ret;
}

void dongle_relay_destroy(struct dongle_relay *relay)
{
	dongle_relay_stop(relay);
	queue_destroy(&relay->queues[DONGLE_PAIR_AUDIO]);
	queue_destroy(&relay->queues[DONGLE_PAIR_CTRL]);
	pthread_cond_destroy(&relay->vanish_cond);
	pthread_mutex_destroy(&relay->vanish_lock);
	pthread_mutex_destroy(&relay->event_lock);
}

static int start_worker(struct dongle_relay *relay, struct dongle_worker *worker,
			enum dongle_pair pair, void *(*fn)(void *))
{
	int ret;

	worker->relay = relay;
	worker->pair = pair;
	ret = pthread_create(&worker->thread, NULL, fn, worker);
	if (ret) {
		pawsim_msg("cannot start a relay thread: %s", strerror(ret));
		return -ret;
	}
	worker->started = true;
	return 0;
}

int dongle_relay_start(struct dongle_relay *relay)
{
	enum dongle_pair pair;
	int ret;

	atomic_store(&relay->stop, false);
	relay->running = true;
	for (pair = 0; pair < DONGLE_NUM_PAIRS; pair++) {
		if (relay->ep_fd[in_ep[pair]] >= 0) {
			queue_open(&relay->queues[pair]);
			ret = start_worker(relay, &relay->writers[pair], pair,
					   writer_main);
			if (ret)
				goto stop;
		}
		if (relay->ep_fd[out_ep[pair]] >= 0) {
			ret = start_worker(relay, &relay->readers[pair], pair,
					   reader_main);
			if (ret)
				goto stop;
		}
	}
	return 0;

stop:
	dongle_relay_stop(relay);
	return ret;
}

static void stop_worker(struct dongle_worker *worker)
{
	if (!worker->started)
		return;
	dongle_thread_stop(worker->thread);
	worker->started = false;
}

void dongle_relay_stop(struct dongle_relay *relay)
{
	struct dongle_relay_stats *st = &relay->stats;
	enum dongle_pair pair;

	if (!relay->running)
		return;
	atomic_store(&relay->stop, true);
	/* Wakes writers waiting for work and far sides waiting for room. */
	for (pair = 0; pair < DONGLE_NUM_PAIRS; pair++)
		queue_close(&relay->queues[pair]);
	for (pair = 0; pair < DONGLE_NUM_PAIRS; pair++) {
		stop_worker(&relay->readers[pair]);
		stop_worker(&relay->writers[pair]);
	}
	relay->running = false;

	pawsim_msg("relay stopped: received %lu records (%lu malformed, %lu "
		   "oversized dropped), sent %lu (%lu events, %lu dropped, "
		   "%lu failed)",
		   atomic_load(&st->rx_records), atomic_load(&st->rx_malformed),
		   atomic_load(&st->rx_oversized), atomic_load(&st->tx_records),
		   atomic_load(&st->tx_events), atomic_load(&st->tx_dropped),
		   atomic_load(&st->tx_errors));
}
