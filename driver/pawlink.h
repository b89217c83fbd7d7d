/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pawlink.ko internals: the per-dongle state shared by usb.c, cdev.c,
 * pcm.c, audio.c, sysfs.c and keys.c.  Documentation/driver.rst describes the
 * lifecycle and the locking rules summarised here.
 */
#ifndef _PAWLINK_DRIVER_H
#define _PAWLINK_DRIVER_H

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/usb.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <linux/pawlink.h>

/* Frames the rx queue of /dev/pawlinkN holds before it drops. */
#define PAWLINK_RX_QUEUE_LEN	64
/* Receive URBs kept queued on each IN endpoint. */
#define PAWLINK_RX_URBS		4
/* Write URBs in flight per dongle before write() blocks. */
#define PAWLINK_TX_INFLIGHT	8
/* First minor when the kernel has no CONFIG_USB_DYNAMIC_MINORS. */
#define PAWLINK_MINOR_BASE	240
/* Every vendor request on EP0 gives up after this long. */
#define PAWLINK_EP0_TIMEOUT_MS	1000
/* Transaction errors in a row on one IN endpoint before it counts as halted. */
#define PAWLINK_XACT_ERR_MAX	8
/* Halt recoveries in a row, with no good transfer between, before giving up. */
#define PAWLINK_RECOVER_MAX	3
/* Audio OUT URBs: a whole window of periods plus a START or STOP each way. */
#define PAWLINK_AUDIO_TX_URBS	(PAWLINK_AUDIO_JITTER_MAX + 4)
/* Room in each: header, audio header and one period, tag. */
#define PAWLINK_AUDIO_TX_BUF \
	(PAWLINK_REC_HDR_LEN + PAWLINK_AUDIO_PCM_LEN + PAWLINK_TAG_LEN)
/*
 * How long a PCM open waits for the toy to answer its START, in tries: an
 * answer lost on the air is asked for again with the same request number,
 * which the toy answers again without starting twice.
 */
#define PAWLINK_AUDIO_ANSWER_MS	250
#define PAWLINK_AUDIO_TRIES	4
/*
 * The longest capture gap, in periods, filled with silence (0.5 s).  A
 * longer one (or one the ring cannot hold) is not filled: the stream
 * realigns on the next record and audio_gaps_too_large counts it.
 */
#define PAWLINK_AUDIO_GAP_MAX	50
/*
 * Playback's window full and no credit moving for this long while the toy
 * still talks: what is in flight never reached it, so it is written off
 * (the toy plays lost periods as silence) rather than waited for forever.
 */
#define PAWLINK_AUDIO_STALL_MS	250

/* The two IN endpoints, each with its own set of receive URBs. */
enum pawlink_rx_index {
	PAWLINK_RX_CTRL,
	PAWLINK_RX_AUDIO,
	PAWLINK_NUM_RX_EPS,
};

/* One plaintext frame waiting for read(). */
struct pawlink_frame {
	u16 len;
	u8 data[PAWLINK_FRAME_MAX];
};

/* The keyed channels, as indexes of the per-channel key state. */
enum pawlink_kch {
	PAWLINK_KCH_CTRL,		/* PAWLINK_CH_CTRL */
	PAWLINK_KCH_AUDIO,		/* PAWLINK_CH_AUDIO */
	PAWLINK_NUM_KCH,
};

/* One key's sender: the host seals with it (h2t). */
struct pawlink_tx_key {
	u8 key[PAWLINK_KEY_LEN];
	u64 next;			/* counter of the next record sealed */
};

/* One key's receiver: the host opens with it (t2h). */
struct pawlink_rx_key {
	u8 key[PAWLINK_KEY_LEN];
	u64 last;			/* last counter accepted, if @any */
	bool any;			/* false until a record is accepted */
};

/*
 * Session keys installed by PAWLINK_IOC_SET_KEYS, with their counters.
 * Replaced whole (a rekey) by swapping the pointer under dev->lock, so no
 * record ever sees a mix of two generations.  Only ever freed with
 * kfree_sensitive(), so no key byte outlives its use.
 */
struct pawlink_keys {
	u32 epoch;
	struct pawlink_tx_key tx[PAWLINK_NUM_KCH];
	struct pawlink_rx_key rx[PAWLINK_NUM_KCH];
};

/* What opening one record did; each drop has its own counter. */
enum pawlink_verdict {
	PAWLINK_OPEN_OK,
	PAWLINK_OPEN_MALFORMED,		/* rx_dropped_malformed */
	PAWLINK_OPEN_LENGTH,		/* rx_dropped_length */
	PAWLINK_OPEN_EPOCH_OLD,		/* rx_dropped_epoch */
	PAWLINK_OPEN_EPOCH_NEW,		/* rx_dropped_epoch */
	PAWLINK_OPEN_REPLAY,		/* rx_dropped_replay */
	PAWLINK_OPEN_AUTH,		/* rx_dropped_auth */
};

struct pawlink_dev;
struct snd_pcm;
struct snd_pcm_substream;

/* The two audio directions, numbered as ALSA numbers its streams. */
enum pawlink_dir {
	PAWLINK_DIR_PLAYBACK,		/* SNDRV_PCM_STREAM_PLAYBACK */
	PAWLINK_DIR_CAPTURE,		/* SNDRV_PCM_STREAM_CAPTURE */
	PAWLINK_NUM_DIRS,
};

/*
 * One direction of the sound card.  Everything but @busy is under
 * dev->lock.  Counts are in periods of PAWLINK_AUDIO_PERIOD_FRAMES.
 */
struct pawlink_stream {
	struct snd_pcm_substream *substream;	/* set from open to close */
	atomic_t busy;			/* users of @substream outside the lock */
	bool running;			/* trigger START to trigger STOP */
	bool gone;			/* the session ended while open */
	u32 req;			/* START awaiting its STATE, 0: none */
	int answer;			/* 1 OK, or -errno; 0 while waiting */
	unsigned int window;		/* playback: periods in flight at most */
	u32 next_seq;			/* capture: the seq expected next */
	bool synced;			/* capture: a record since START */
	u32 sent;			/* playback: PCM records sent */
	u32 played;			/* playback: the toy's credit */
	unsigned long credit_at;	/* playback: jiffies it last moved */
	unsigned long appl_pos;		/* playback: ALSA's frame number sent next */
	unsigned int buf_pos;		/* frames into the ring */
	unsigned int period_pos;	/* frames into the current period */
};

/* An audio OUT URB's context: its device and its slot, found at once. */
struct pawlink_audio_tx {
	struct pawlink_dev *dev;
	unsigned int slot;
};

/*
 * The audio channel (audio.c): the streams, the request numbers of START
 * and STOP, and the preallocated URBs of the audio OUT endpoint.
 * @tx_idle (a bit per idle URB) and @req_next are under dev->lock.
 */
struct pawlink_audio {
	struct pawlink_stream streams[PAWLINK_NUM_DIRS];
	u32 req_next;
	wait_queue_head_t wait;		/* answers, link gone, idle streams */
	struct usb_anchor tx_anchor;
	struct urb *tx_urbs[PAWLINK_AUDIO_TX_URBS];
	struct pawlink_audio_tx tx_ctx[PAWLINK_AUDIO_TX_URBS];
	unsigned long tx_idle;
};

/*
 * What the receive path does once it has dropped dev->lock: free the keys
 * a LINK event took (and stop the streams they fed), stop the streams the
 * toy stopped by itself, and tell ALSA of the periods it filled.  Each
 * substream here holds a busy reference on its stream.
 */
struct pawlink_rx_after {
	struct pawlink_keys *gone;
	struct snd_pcm_substream *stopped[PAWLINK_NUM_DIRS];
	struct snd_pcm_substream *elapsed[PAWLINK_NUM_DIRS];
};

/* Receive side of one IN endpoint. */
struct pawlink_rx_ep {
	struct pawlink_dev *dev;
	unsigned int ep;		/* PAWLINK_EP_CTRL_IN or _AUDIO_IN */
	unsigned int pipe;
	struct urb *urbs[PAWLINK_RX_URBS];
	struct usb_anchor parked;	/* halted URBs waiting for halt_work */
	atomic_t xact_errors;		/* transaction errors in a row */
};

/*
 * One bound dongle.
 *
 * Lifetime: @kref.  probe() holds one reference until disconnect(), every
 * open file holds one, and the ALSA card holds one until it is freed.
 *
 * Locking:
 * - @io_mutex serialises everything that talks to the USB device (EP0
 *   requests, URB submission from process context) against disconnect(),
 *   suspend and reset.  @disconnected and @paused are written only under
 *   @io_mutex; holders of @io_mutex read them plainly, everyone else (wait
 *   conditions, poll, completions) with READ_ONCE() and then re-checks
 *   under @io_mutex before touching the device.  No copy_from_user() or
 *   copy_to_user() under @io_mutex: disconnect() takes it uninterruptibly,
 *   and a user page may never arrive (userfaultfd, FUSE).
 * - @read_mutex makes one reader at a time own the head of the rx queue,
 *   so it can copy_to_user() the head frame without holding @lock.
 * - @lock (irqsave: taken from URB completions) protects the rx queue,
 *   the link state, @keys (pointer and contents: the completion opens
 *   records with them), @session, @tx_error, @stats and the streams of
 *   @audio (audio.c seals and submits audio records under it, so that
 *   their counters reach the wire in order).
 * - Lock order: @read_mutex or @io_mutex, then @lock.  A PCM substream's
 *   stream lock nests outside @lock (trigger and pointer hold it and take
 *   ours), so snd_pcm_period_elapsed() and snd_pcm_stop() are only ever
 *   called with @lock dropped.  Never sleep under @lock.
 */
struct pawlink_dev {
	struct kref kref;
	struct usb_device *udev;
	struct usb_interface *intf;
	unsigned int pipes[PAWLINK_NUM_EPS];	/* by PAWLINK_EP_* position */

	/* From GET_INFO at probe; constant afterwards. */
	u16 proto_version;
	u16 fw_version;
	u16 max_record;
	u8 dongle_id[PAWLINK_ID_LEN];

	struct mutex io_mutex;			/* see Locking above */
	bool disconnected;
	bool paused;				/* suspended or being reset */
	struct mutex read_mutex;		/* see Locking above */

	spinlock_t lock;			/* see Locking above */
	struct pawlink_frame *rx_queue;		/* PAWLINK_RX_QUEUE_LEN slots */
	unsigned int rx_head;
	unsigned int rx_count;
	u8 link_state;				/* PAWLINK_LINK_* */
	u8 toy_id[PAWLINK_ID_LEN];
	u64 last_event;				/* number of the last LINK event */
	struct pawlink_keys *keys;		/* NULL until SET_KEYS */
	bool session;				/* keyed since the last DISCONNECT */
	int tx_error;				/* reported by the next write */
	struct pawlink_stats stats;

	wait_queue_head_t rx_wait;		/* frames queued, or unplug */
	wait_queue_head_t tx_wait;		/* a write slot freed, or unplug */
	atomic_t tx_inflight;

	struct usb_anchor rx_anchor;		/* receive URBs in flight */
	struct usb_anchor tx_anchor;		/* write URBs in flight */
	struct pawlink_rx_ep rx_eps[PAWLINK_NUM_RX_EPS];
	unsigned long halted;			/* bit per PAWLINK_EP_*, atomic ops */
	unsigned long dead;			/* stopped after a failed recovery */
	atomic_t recoveries[PAWLINK_NUM_EPS];	/* halt recoveries in a row */
	struct work_struct halt_work;
	atomic_t test_xact_err[PAWLINK_NUM_EPS];	/* test hooks only */

	struct pawlink_audio audio;
	struct snd_card *card;
	struct snd_pcm *pcm;
	unsigned int card_slot;
};

/* Adds one to @counter, a field of @dev->stats.  Takes @dev->lock. */
static inline void pawlink_count(struct pawlink_dev *dev, u64 *counter)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->lock, flags);
	(*counter)++;
	spin_unlock_irqrestore(&dev->lock, flags);
}

/* usb.c */
void pawlink_dev_get(struct pawlink_dev *dev);
void pawlink_dev_put(struct pawlink_dev *dev);
int pawlink_ep0_in(struct pawlink_dev *dev, u8 request, void *buf, u16 len);
int pawlink_ep0_out(struct pawlink_dev *dev, u8 request,
		    const void *buf, u16 len);
int pawlink_tx_record(struct pawlink_dev *dev, void *record, size_t len);
void pawlink_tx_slot_put(struct pawlink_dev *dev);
void pawlink_rx_record(struct pawlink_dev *dev, unsigned int ep, u8 *buf,
		       size_t actual);
void pawlink_rx_queue(struct pawlink_dev *dev, const u8 *body, size_t len);
extern struct usb_driver pawlink_driver;

/* cdev.c */
extern struct usb_class_driver pawlink_class;

/* keys.c */
bool pawlink_keyed(struct pawlink_dev *dev);
int pawlink_keys_install(struct pawlink_dev *dev,
			 const struct pawlink_key_install *req);
void pawlink_keys_erase(struct pawlink_dev *dev, bool end_session);

/* record.c */
int pawlink_record_seal(const u8 key[PAWLINK_KEY_LEN], u32 epoch, u8 channel,
			u64 counter, u8 *rec, size_t pt_len);
enum pawlink_verdict pawlink_record_open(struct pawlink_rx_key *rx, u32 epoch,
					 u8 channel, u8 *rec, size_t len);
ssize_t pawlink_record_frame(struct pawlink_dev *dev, u8 *rec, size_t pt_len);
void pawlink_rx_sealed(struct pawlink_dev *dev, u8 *rec, size_t len,
		       struct pawlink_rx_after *after);

/* audio.c */
int pawlink_audio_init(struct pawlink_dev *dev);
void pawlink_audio_free(struct pawlink_dev *dev);
void pawlink_audio_kill(struct pawlink_dev *dev);
void pawlink_audio_rx(struct pawlink_dev *dev, const u8 *body, size_t len,
		      struct pawlink_rx_after *after);
void pawlink_audio_after(struct pawlink_dev *dev,
			 struct pawlink_rx_after *after);
void pawlink_audio_link_gone(struct pawlink_dev *dev);
int pawlink_audio_open(struct pawlink_dev *dev,
		       struct snd_pcm_substream *substream);
void pawlink_audio_close(struct pawlink_dev *dev,
			 struct snd_pcm_substream *substream);
int pawlink_audio_prepare(struct pawlink_dev *dev,
			  struct snd_pcm_substream *substream);
int pawlink_audio_trigger(struct pawlink_dev *dev,
			  struct snd_pcm_substream *substream, bool start);
void pawlink_audio_ack(struct pawlink_dev *dev,
		       struct snd_pcm_substream *substream);
unsigned int pawlink_audio_pointer(struct pawlink_dev *dev,
				   struct snd_pcm_substream *substream,
				   unsigned int *delay);
void pawlink_audio_sync(struct pawlink_dev *dev,
			struct snd_pcm_substream *substream);

/* testhooks.c */
extern bool pawlink_test_hooks;
long pawlink_test_ioctl(struct pawlink_dev *dev, unsigned int cmd,
			void __user *arg);
int pawlink_test_status(struct pawlink_dev *dev, unsigned int ep, int status);

/* pcm.c */
int pawlink_card_create(struct pawlink_dev *dev);
void pawlink_card_disconnect(struct pawlink_dev *dev);
void pawlink_card_release(struct pawlink_dev *dev);
void pawlink_card_suspend(struct pawlink_dev *dev);
void pawlink_card_resume(struct pawlink_dev *dev);

/* sysfs.c */
extern const struct attribute_group *pawlink_groups[];

#endif /* _PAWLINK_DRIVER_H */
