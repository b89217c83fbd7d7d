// SPDX-License-Identifier: GPL-2.0
/*
 * pawlink.ko: the audio channel behind the sound card (Documentation/
 * record-layer.rst, "Audio channel"; Documentation/driver.rst, "Sound
 * card").
 *
 * pcm.c holds the ALSA ops; this file moves the samples.  The toy's clock
 * paces both directions: capture records come at its pace and are copied
 * into the ring in the receive completion; playback records go out only
 * as the toy credits the periods it played, from the receive completion
 * too.  So the host keeps no clock of its own, and a drift between the
 * two clocks needs nothing special.
 *
 * Audio records go out on the audio OUT endpoint from a pool of
 * preallocated URBs, sealed and submitted under dev->lock so that their
 * counters reach the wire in order, whichever context sends them.
 */

#include <linux/bitmap.h>
#include <linux/build_bug.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <sound/core.h>
#include <sound/pcm.h>

#include "pawlink.h"

static_assert(sizeof(struct pawlink_audio_hdr) == PAWLINK_AUDIO_HDR_LEN);
static_assert(PAWLINK_AUDIO_TX_URBS <= BITS_PER_LONG);
static_assert(PAWLINK_AUDIO_TX_BUF <= PAWLINK_RECORD_MAX);
static_assert((int)PAWLINK_DIR_PLAYBACK == SNDRV_PCM_STREAM_PLAYBACK);
static_assert((int)PAWLINK_DIR_CAPTURE == SNDRV_PCM_STREAM_CAPTURE);

static int pawlink_set_window(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 2, PAWLINK_AUDIO_JITTER_MAX);
}

static const struct kernel_param_ops pawlink_window_ops = {
	.set = pawlink_set_window,
	.get = param_get_uint,
};

/* Read at each open of the playback stream. */
static unsigned int play_window = 6;
module_param_cb(play_window, &pawlink_window_ops, &play_window, 0644);
MODULE_PARM_DESC(play_window,
		 "Playback periods (10 ms) in flight to the toy at most, 2..16 (default: 6)");

static const u8 pawlink_dir_bit[PAWLINK_NUM_DIRS] = {
	[PAWLINK_DIR_PLAYBACK] = PAWLINK_AUDIO_DIR_PLAYBACK,
	[PAWLINK_DIR_CAPTURE] = PAWLINK_AUDIO_DIR_CAPTURE,
};

/* ---- the audio OUT URBs ----------------------------------------------- */

static void pawlink_audio_tx_complete(struct urb *urb)
{
	struct pawlink_audio_tx *tx = urb->context;
	struct pawlink_dev *dev = tx->dev;
	unsigned long flags;
	bool halted = false;

	spin_lock_irqsave(&dev->lock, flags);
	__set_bit(tx->slot, &dev->audio.tx_idle);
	switch (urb->status) {
	case 0:
		dev->stats.tx_records++;
		atomic_set(&dev->recoveries[PAWLINK_EP_AUDIO_OUT], 0);
		break;
	case -ENOENT:
	case -ECONNRESET:
	case -ESHUTDOWN:
		/* Killed or unplugged. */
		break;
	case -EPROTO:
	case -EILSEQ:
	case -ETIME:
		/* This period is lost; the toy plays silence for it. */
		dev->stats.xact_errors++;
		break;
	case -EPIPE:
		halted = true;
		break;
	default:
		dev_warn_ratelimited(&dev->intf->dev,
				     "audio send failed: %d\n", urb->status);
		break;
	}
	spin_unlock_irqrestore(&dev->lock, flags);
	if (halted) {
		set_bit(PAWLINK_EP_AUDIO_OUT, &dev->halted);
		schedule_work(&dev->halt_work);
	}
}

/* Allocates the audio OUT URBs and their buffers.  Called by probe(). */
int pawlink_audio_init(struct pawlink_dev *dev)
{
	unsigned int i;

	for (i = 0; i < PAWLINK_AUDIO_TX_URBS; i++) {
		struct urb *urb = usb_alloc_urb(0, GFP_KERNEL);
		void *buf;

		if (!urb)
			return -ENOMEM;
		dev->audio.tx_urbs[i] = urb;
		buf = kmalloc(PAWLINK_AUDIO_TX_BUF, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
		dev->audio.tx_ctx[i].dev = dev;
		dev->audio.tx_ctx[i].slot = i;
		usb_fill_bulk_urb(urb, dev->udev,
				  dev->pipes[PAWLINK_EP_AUDIO_OUT], buf,
				  PAWLINK_AUDIO_TX_BUF,
				  pawlink_audio_tx_complete,
				  &dev->audio.tx_ctx[i]);
		/* A record that fills whole packets ends with a short one. */
		urb->transfer_flags |= URB_ZERO_PACKET | URB_FREE_BUFFER;
	}
	bitmap_fill(&dev->audio.tx_idle, PAWLINK_AUDIO_TX_URBS);
	return 0;
}

/* Frees them, with the dongle state; none is in flight any more. */
void pawlink_audio_free(struct pawlink_dev *dev)
{
	unsigned int i;

	for (i = 0; i < PAWLINK_AUDIO_TX_URBS; i++)
		usb_free_urb(dev->audio.tx_urbs[i]);
}

/*
 * Kills every audio URB in flight (their completions mark them idle).
 * Called after the flag that stops new submissions (disconnected or
 * paused); may sleep.
 */
void pawlink_audio_kill(struct pawlink_dev *dev)
{
	usb_kill_anchored_urbs(&dev->audio.tx_anchor);
}

/*
 * Seals one audio-channel record whose @pt_len bytes of plaintext are in
 * the buffer of idle URB @slot after room for the record header, and
 * submits it.  The counter is used up whatever happens: never sealed
 * twice.  Returns 0, or -errno with nothing in flight.
 * Caller holds dev->lock and has checked that keys are installed.
 */
static int pawlink_audio_submit(struct pawlink_dev *dev, unsigned int slot,
				size_t pt_len)
{
	struct pawlink_tx_key *tx = &dev->keys->tx[PAWLINK_KCH_AUDIO];
	struct urb *urb = dev->audio.tx_urbs[slot];
	int len, err;

	lockdep_assert_held(&dev->lock);

	len = pawlink_record_seal(tx->key, dev->keys->epoch, PAWLINK_CH_AUDIO,
				  tx->next, urb->transfer_buffer, pt_len);
	if (len < 0)
		return len;
	tx->next++;
	urb->transfer_buffer_length = len;
	usb_anchor_urb(urb, &dev->audio.tx_anchor);
	err = usb_submit_urb(urb, GFP_ATOMIC);
	if (err) {
		usb_unanchor_urb(urb);
		return err;
	}
	__clear_bit(slot, &dev->audio.tx_idle);
	return 0;
}

/*
 * An idle URB whose buffer will carry the audio header @hdr (and, for a
 * PCM record, the period the caller then copies after it), or -errno: no
 * keys (-ENOTCONN), the dongle going or paused (-ENODEV), the audio OUT
 * endpoint stopped (-EIO), every URB in flight (-EBUSY).
 * Caller holds dev->lock.
 */
static int pawlink_audio_slot(struct pawlink_dev *dev,
			      const struct pawlink_audio_hdr *hdr)
{
	unsigned int slot;

	lockdep_assert_held(&dev->lock);

	if (!dev->keys)
		return -ENOTCONN;
	if (READ_ONCE(dev->disconnected) || READ_ONCE(dev->paused))
		return -ENODEV;
	if (test_bit(PAWLINK_EP_AUDIO_OUT, &dev->dead))
		return -EIO;
	slot = find_first_bit(&dev->audio.tx_idle, PAWLINK_AUDIO_TX_URBS);
	if (slot >= PAWLINK_AUDIO_TX_URBS)
		return -EBUSY;
	memcpy((u8 *)dev->audio.tx_urbs[slot]->transfer_buffer +
	       PAWLINK_REC_HDR_LEN, hdr, sizeof(*hdr));
	return slot;
}

/*
 * Sends a START or STOP of direction @dir with request number @req.
 * Returns 0 or -errno.  Caller holds dev->lock.
 */
static int pawlink_audio_send_req(struct pawlink_dev *dev, u8 type,
				  enum pawlink_dir dir, u32 req)
{
	struct pawlink_audio_hdr hdr = {
		.type = type,
		.dirs = pawlink_dir_bit[dir],
		.seq = cpu_to_le32(req),
	};
	int slot;

	lockdep_assert_held(&dev->lock);

	slot = pawlink_audio_slot(dev, &hdr);
	if (slot < 0)
		return slot;
	return pawlink_audio_submit(dev, slot, sizeof(hdr));
}

/*
 * Sends a START or STOP of direction @dir under the next request number
 * (from 1, never 0), which it stores in @req.  Returns 0 or -errno.
 * Caller holds dev->lock.
 */
static int pawlink_audio_request(struct pawlink_dev *dev, u8 type,
				 enum pawlink_dir dir, u32 *req)
{
	lockdep_assert_held(&dev->lock);

	if (++dev->audio.req_next == 0)
		dev->audio.req_next = 1;
	*req = dev->audio.req_next;
	return pawlink_audio_send_req(dev, type, dir, *req);
}

/* ---- the streams ------------------------------------------------------ */

/*
 * A fresh stream for an open: nothing sent, played or captured, numbered
 * from 0 again (the toy starts over on START).  Caller holds dev->lock.
 */
static void pawlink_stream_reset(struct pawlink_stream *s)
{
	s->running = false;
	s->gone = false;
	s->req = 0;
	s->answer = 0;
	s->window = READ_ONCE(play_window);
	s->next_seq = 0;
	s->synced = false;
	s->sent = 0;
	s->played = 0;
	s->credit_at = jiffies;
	s->appl_pos = 0;
	s->buf_pos = 0;
	s->period_pos = 0;
}

/* Takes a busy reference on @s's substream.  Caller holds dev->lock. */
static struct snd_pcm_substream *pawlink_stream_hold(struct pawlink_stream *s)
{
	atomic_inc(&s->busy);
	return s->substream;
}

static void pawlink_stream_release(struct pawlink_dev *dev,
				   struct pawlink_stream *s)
{
	if (atomic_dec_and_test(&s->busy))
		wake_up_all(&dev->audio.wait);
}

/* Waits until nobody outside dev->lock uses @s's substream.  May sleep. */
static void pawlink_stream_wait_idle(struct pawlink_dev *dev,
				     struct pawlink_stream *s)
{
	wait_event(dev->audio.wait, !atomic_read(&s->busy));
}

/*
 * Moves @s's ring position on by one period of @runtime; notes in @after
 * (when given) a period boundary crossed, for snd_pcm_period_elapsed()
 * once dev->lock is dropped.  Caller holds dev->lock.
 */
static void pawlink_stream_advance(struct pawlink_stream *s,
				   struct snd_pcm_runtime *runtime,
				   enum pawlink_dir dir,
				   struct pawlink_rx_after *after)
{
	s->buf_pos += PAWLINK_AUDIO_PERIOD_FRAMES;
	if (s->buf_pos >= runtime->buffer_size)
		s->buf_pos = 0;
	s->period_pos += PAWLINK_AUDIO_PERIOD_FRAMES;
	if (s->period_pos < runtime->period_size)
		return;
	s->period_pos = 0;
	if (after && !after->elapsed[dir])
		after->elapsed[dir] = pawlink_stream_hold(s);
}

/* The toy's credit, never above what was sent.  Caller holds dev->lock. */
static u32 pawlink_played(const struct pawlink_stream *s)
{
	return s->played - s->sent < 0x80000000u ? s->sent : s->played;
}

/*
 * Frames the program has written beyond what was sent.  appl_ptr moves
 * under the stream lock, which the completion does not hold: a stale read
 * only sends less now, and the next credit or write (ack) sends the rest.
 * Caller holds dev->lock.
 */
static snd_pcm_uframes_t pawlink_play_data(const struct pawlink_stream *s,
					   struct snd_pcm_runtime *runtime)
{
	snd_pcm_sframes_t d = READ_ONCE(runtime->control->appl_ptr) -
			      s->appl_pos;

	if (d < 0)
		d += runtime->boundary;
	/* More than a ring: the padded last period of a drain went past it. */
	return d > runtime->buffer_size ? 0 : d;
}

/*
 * Sends playback periods from the ring until the window is full (the toy
 * has played all but @s->window of them) or the program's data runs out:
 * never a period it has not written, so a short file or a late writer
 * costs silence on the toy, not stale samples.  A draining stream's last
 * partial period goes padded with silence.  A period never wraps the ring
 * (buffer and period are whole records, pcm.c).  Stops at the first
 * period that cannot go; the next credit or write retries.
 * Caller holds dev->lock.
 */
static void pawlink_play_fill(struct pawlink_dev *dev,
			      struct pawlink_rx_after *after)
{
	struct pawlink_stream *s = &dev->audio.streams[PAWLINK_DIR_PLAYBACK];
	struct pawlink_audio_hdr hdr = { .type = PAWLINK_AUDIO_PCM };
	struct snd_pcm_runtime *runtime;
	snd_pcm_uframes_t frames;
	int slot;

	lockdep_assert_held(&dev->lock);

	if (!s->running || s->gone || !s->substream)
		return;
	runtime = s->substream->runtime;
	while (s->sent - pawlink_played(s) < s->window) {
		u8 *buf;

		frames = pawlink_play_data(s, runtime);
		if (frames < PAWLINK_AUDIO_PERIOD_FRAMES &&
		    (!frames || READ_ONCE(runtime->status->state) !=
				SNDRV_PCM_STATE_DRAINING))
			return;
		frames = min_t(snd_pcm_uframes_t, frames,
			       PAWLINK_AUDIO_PERIOD_FRAMES);
		hdr.seq = cpu_to_le32(s->sent);
		slot = pawlink_audio_slot(dev, &hdr);
		if (slot < 0)
			return;
		buf = (u8 *)dev->audio.tx_urbs[slot]->transfer_buffer +
		      PAWLINK_REC_HDR_LEN + PAWLINK_AUDIO_HDR_LEN;
		memcpy(buf,
		       runtime->dma_area + frames_to_bytes(runtime, s->buf_pos),
		       frames_to_bytes(runtime, frames));
		memset(buf + frames_to_bytes(runtime, frames), 0,
		       PAWLINK_AUDIO_PERIOD_BYTES -
		       frames_to_bytes(runtime, frames));
		if (pawlink_audio_submit(dev, slot, PAWLINK_AUDIO_PCM_LEN))
			return;
		s->sent++;
		s->appl_pos += PAWLINK_AUDIO_PERIOD_FRAMES;
		if (s->appl_pos >= runtime->boundary)
			s->appl_pos -= runtime->boundary;
		dev->stats.audio_tx_periods++;
		pawlink_stream_advance(s, runtime, PAWLINK_DIR_PLAYBACK, after);
	}
}

/*
 * One PCM record for the capture ring.  The first after trigger START sets
 * the stream's start; a gap after that becomes as many periods of silence
 * (audio_lost_frames), unless it is longer than PAWLINK_AUDIO_GAP_MAX or
 * than the ring can take, when the stream just goes on from this record
 * (audio_gaps_too_large): silence then would be an overrun, not a fix.
 * Caller holds dev->lock, and the capture stream runs.
 */
static void pawlink_capture(struct pawlink_dev *dev, u32 seq,
			    const u8 *samples, struct pawlink_rx_after *after)
{
	struct pawlink_stream *s = &dev->audio.streams[PAWLINK_DIR_CAPTURE];
	struct snd_pcm_runtime *runtime = s->substream->runtime;
	u32 gap = 0, fill_max;

	lockdep_assert_held(&dev->lock);

	if (s->synced) {
		gap = seq - s->next_seq;
		/* Behind the stream: only a broken or counterfeit toy. */
		if (gap >= 0x80000000u) {
			dev->stats.audio_dropped_malformed++;
			return;
		}
	}
	fill_max = min_t(u32, PAWLINK_AUDIO_GAP_MAX,
			 runtime->buffer_size / PAWLINK_AUDIO_PERIOD_FRAMES - 1);
	if (gap > fill_max) {
		dev->stats.audio_gaps_too_large++;
		gap = 0;
	}
	dev->stats.audio_lost_frames += (u64)gap * PAWLINK_AUDIO_PERIOD_FRAMES;
	for (; gap; gap--) {
		memset(runtime->dma_area + frames_to_bytes(runtime, s->buf_pos),
		       0, PAWLINK_AUDIO_PERIOD_BYTES);
		pawlink_stream_advance(s, runtime, PAWLINK_DIR_CAPTURE, after);
	}
	memcpy(runtime->dma_area + frames_to_bytes(runtime, s->buf_pos),
	       samples, PAWLINK_AUDIO_PERIOD_BYTES);
	pawlink_stream_advance(s, runtime, PAWLINK_DIR_CAPTURE, after);
	dev->stats.audio_rx_periods++;
	s->next_seq = seq + 1;
	s->synced = true;
}

/*
 * A credit @played from the toy for the playback stream @s.  Credits are
 * cumulative: an older one than the last says nothing new.  One that does
 * not move while the window has been full for PAWLINK_AUDIO_STALL_MS means
 * the toy, which credits each period it plays and repeats its credit while
 * it starves, got none of what is in flight: the air lost it (or the
 * credit that would have freed the window, before the toy ran dry).  Those
 * periods are written off, as the toy plays lost ones (silence), and
 * sending goes on; without this the stream would stall with its ring full.
 * Under dev->lock.
 */
static void pawlink_credit(struct pawlink_dev *dev, struct pawlink_stream *s,
			   u32 played, struct pawlink_rx_after *after)
{
	if (played - s->played >= 0x80000000u)
		return;
	if (played != s->played) {
		s->played = played;
		s->credit_at = jiffies;
	} else if (s->running && s->sent - pawlink_played(s) >= s->window &&
		   time_after(jiffies, s->credit_at +
			      msecs_to_jiffies(PAWLINK_AUDIO_STALL_MS))) {
		dev_info_ratelimited(&dev->intf->dev,
				     "playback: %u periods the toy never got written off\n",
				     s->sent - pawlink_played(s));
		s->played = s->sent;
		s->credit_at = jiffies;
	}
	pawlink_play_fill(dev, after);
}

/* A STATE answering a START of ours wakes its open().  Under dev->lock. */
static void pawlink_answer(struct pawlink_dev *dev, u32 seq, u8 status)
{
	unsigned int i;

	for (i = 0; i < PAWLINK_NUM_DIRS; i++) {
		struct pawlink_stream *s = &dev->audio.streams[i];

		if (!s->req || s->req != seq || s->answer)
			continue;
		if (status == PAWLINK_AUDIO_OK)
			s->answer = 1;
		else if (status == PAWLINK_AUDIO_E_REFUSED)
			s->answer = -EACCES;
		else
			s->answer = -EPROTO;
		wake_up_all(&dev->audio.wait);
	}
}

/*
 * A STATE says which directions run on the toy.  One of ours that was
 * started (its START answered) and is not among them was stopped by the
 * toy itself (its LED went off): the stream ends, as when the session
 * does.  Under dev->lock.
 */
static void pawlink_toy_stopped(struct pawlink_dev *dev, u8 dirs,
				struct pawlink_rx_after *after)
{
	unsigned int i;

	for (i = 0; i < PAWLINK_NUM_DIRS; i++) {
		struct pawlink_stream *s = &dev->audio.streams[i];

		if (!s->substream || s->req || s->gone ||
		    dirs & pawlink_dir_bit[i])
			continue;
		s->gone = true;
		s->running = false;
		after->stopped[i] = pawlink_stream_hold(s);
	}
}

/* Is anything of ours waiting for audio records?  Under dev->lock. */
static bool pawlink_audio_listening(struct pawlink_dev *dev)
{
	return dev->audio.streams[PAWLINK_DIR_PLAYBACK].substream ||
	       dev->audio.streams[PAWLINK_DIR_CAPTURE].substream;
}

/*
 * The plaintext of one audio record from the toy, @len bytes.  Nothing is
 * parsed while no stream is open: the record was counted in rx_records
 * and that is all.  Otherwise every field is checked before use, and a
 * record that fails is counted in audio_dropped_malformed and changes
 * nothing.  A PCM record feeds the capture ring while capture runs (it is
 * dropped before trigger START); a PCM or STATE record's @played credits
 * playback, which sends more; a STATE answers a START.
 * Caller holds dev->lock (the receive completion: atomic).
 */
void pawlink_audio_rx(struct pawlink_dev *dev, const u8 *body, size_t len,
		      struct pawlink_rx_after *after)
{
	const struct pawlink_audio_hdr *hdr = (const void *)body;
	struct pawlink_stream *play = &dev->audio.streams[PAWLINK_DIR_PLAYBACK];
	struct pawlink_stream *cap = &dev->audio.streams[PAWLINK_DIR_CAPTURE];
	u32 seq, played;

	lockdep_assert_held(&dev->lock);

	if (!pawlink_audio_listening(dev))
		return;
	if (len < PAWLINK_AUDIO_HDR_LEN || hdr->reserved)
		goto malformed;
	seq = le32_to_cpu(hdr->seq);
	played = le32_to_cpu(hdr->played);

	switch (hdr->type) {
	case PAWLINK_AUDIO_PCM:
		if (len != PAWLINK_AUDIO_PCM_LEN || hdr->dirs || hdr->status)
			goto malformed;
		if (cap->substream && cap->running && !cap->gone)
			pawlink_capture(dev, seq, body + PAWLINK_AUDIO_HDR_LEN,
					after);
		break;
	case PAWLINK_AUDIO_STATE:
		if (len != PAWLINK_AUDIO_HDR_LEN ||
		    hdr->dirs & ~(PAWLINK_AUDIO_DIR_CAPTURE |
				  PAWLINK_AUDIO_DIR_PLAYBACK) ||
		    hdr->status > PAWLINK_AUDIO_E_MALFORMED)
			goto malformed;
		if (seq)
			pawlink_answer(dev, seq, hdr->status);
		pawlink_toy_stopped(dev, hdr->dirs, after);
		break;
	default:
		/* START and STOP only ever go to the toy. */
		goto malformed;
	}

	if (play->substream && !play->req)
		pawlink_credit(dev, play, played, after);
	return;

malformed:
	dev->stats.audio_dropped_malformed++;
}

/*
 * Ends a stream that can go no further: past hw_params it goes to
 * SNDRV_PCM_STATE_DISCONNECTED, so the program's next read or write fails
 * with -EBADFD; in OPEN its prepare fails (the stream is gone).  Drops the
 * busy reference its caller took.  Takes the stream lock: never under
 * dev->lock.  Atomic is fine.
 */
static void pawlink_stream_end(struct pawlink_dev *dev,
			       struct pawlink_stream *s,
			       struct snd_pcm_substream *ss)
{
	unsigned long flags;

	snd_pcm_stream_lock_irqsave(ss, flags);
	if (ss->runtime->status->state != SNDRV_PCM_STATE_OPEN &&
	    ss->runtime->status->state != SNDRV_PCM_STATE_DISCONNECTED)
		snd_pcm_stop(ss, SNDRV_PCM_STATE_DISCONNECTED);
	snd_pcm_stream_unlock_irqrestore(ss, flags);
	pawlink_stream_release(dev, s);
}

/*
 * After the receive path dropped dev->lock: frees the keys a LINK event
 * took and stops the streams that ran on them, ends the streams the toy
 * stopped, then reports the periods filled or sent.  Each runs under its
 * substream's stream lock, which snd_pcm_period_elapsed() takes itself.
 * No lock held; atomic is fine.
 */
void pawlink_audio_after(struct pawlink_dev *dev,
			 struct pawlink_rx_after *after)
{
	unsigned int i;

	if (after->gone) {
		kfree_sensitive(after->gone);
		pawlink_audio_link_gone(dev);
	}
	for (i = 0; i < PAWLINK_NUM_DIRS; i++) {
		struct pawlink_stream *s = &dev->audio.streams[i];

		if (after->stopped[i])
			pawlink_stream_end(dev, s, after->stopped[i]);
		if (after->elapsed[i]) {
			snd_pcm_period_elapsed(after->elapsed[i]);
			pawlink_stream_release(dev, s);
		}
	}
}

/*
 * The session's keys are gone (PAWLINK_IOC_DISCONNECT, a LINK event saying
 * the link is gone, a USB reset, unplug): every open stream is over
 * (pawlink_stream_end()).  A PCM open waiting for the toy's answer wakes
 * and fails with -ENOTCONN.  Must be called without dev->lock (it takes
 * the stream lock, which nests outside); atomic is fine.
 */
void pawlink_audio_link_gone(struct pawlink_dev *dev)
{
	struct snd_pcm_substream *ss;
	unsigned long flags;
	unsigned int i;

	for (i = 0; i < PAWLINK_NUM_DIRS; i++) {
		struct pawlink_stream *s = &dev->audio.streams[i];

		ss = NULL;
		spin_lock_irqsave(&dev->lock, flags);
		if (s->substream && !s->gone) {
			s->gone = true;
			ss = pawlink_stream_hold(s);
		}
		spin_unlock_irqrestore(&dev->lock, flags);
		wake_up_all(&dev->audio.wait);
		if (ss)
			pawlink_stream_end(dev, s, ss);
	}
}

/* ---- what the PCM ops call (pcm.c) ------------------------------------ */

static struct pawlink_stream *pawlink_stream_of(struct pawlink_dev *dev,
						struct snd_pcm_substream *ss)
{
	return &dev->audio.streams[ss->stream];
}

/*
 * Sends a STOP for @dir, best effort: nothing waits for its answer.
 * Caller holds io_mutex and has seen !disconnected.  Takes dev->lock.
 */
static void pawlink_audio_stop_toy(struct pawlink_dev *dev,
				   enum pawlink_dir dir)
{
	u32 req;

	spin_lock_irq(&dev->lock);
	pawlink_audio_request(dev, PAWLINK_AUDIO_STOP, dir, &req);
	spin_unlock_irq(&dev->lock);
}

/*
 * The end of open() and close(): the stream forgets @ss and waits until
 * nobody outside dev->lock uses it, then the interface may autosuspend
 * again.  Takes io_mutex (after disconnect() the USB core has dropped
 * every autopm reference already) and dev->lock.
 */
static void pawlink_audio_detach(struct pawlink_dev *dev,
				 struct pawlink_stream *s, bool stop_toy,
				 enum pawlink_dir dir)
{
	bool send_stop;

	mutex_lock(&dev->io_mutex);
	spin_lock_irq(&dev->lock);
	send_stop = stop_toy && !s->gone && dev->keys;
	s->substream = NULL;
	s->running = false;
	s->req = 0;
	spin_unlock_irq(&dev->lock);
	if (!dev->disconnected) {
		if (send_stop)
			pawlink_audio_stop_toy(dev, dir);
		usb_autopm_put_interface(dev->intf);
	}
	mutex_unlock(&dev->io_mutex);
	pawlink_stream_wait_idle(dev, s);
}

/* Lockless peek for open()'s wait; it re-checks under dev->lock. */
static bool pawlink_answered(struct pawlink_dev *dev,
			     const struct pawlink_stream *s)
{
	return READ_ONCE(s->answer) || READ_ONCE(s->gone) ||
	       READ_ONCE(dev->disconnected);
}

/*
 * Asks again for the START of @s that has no answer yet, with its request
 * number (the toy answers a repeat without starting twice).  Best effort.
 * Takes io_mutex and dev->lock.
 */
static void pawlink_audio_resend(struct pawlink_dev *dev,
				 struct pawlink_stream *s, enum pawlink_dir dir)
{
	mutex_lock(&dev->io_mutex);
	if (!dev->disconnected) {
		spin_lock_irq(&dev->lock);
		if (dev->keys && s->req && !s->answer && !s->gone)
			pawlink_audio_send_req(dev, PAWLINK_AUDIO_START, dir,
					       s->req);
		spin_unlock_irq(&dev->lock);
	}
	mutex_unlock(&dev->io_mutex);
}

/*
 * The PCM open: asks the toy to start @ss's direction and waits,
 * interruptibly, for its STATE: PAWLINK_AUDIO_TRIES times
 * PAWLINK_AUDIO_ANSWER_MS, asking again after each.  Returns 0,
 * -ENOTCONN (no keyed session, or it ended meanwhile), -EACCES (the toy
 * refused: no LED, no microphone), -ETIMEDOUT (no answer), -ENODEV
 * (unplugged), -EPROTO (the toy could not parse it), or the error of
 * taking the autopm reference or of sending.  A failed open leaves the
 * toy stopped (a STOP follows a START that was not answered OK).
 * Takes io_mutex and dev->lock, then sleeps with neither.
 */
int pawlink_audio_open(struct pawlink_dev *dev, struct snd_pcm_substream *ss)
{
	struct pawlink_stream *s = pawlink_stream_of(dev, ss);
	long answer_wait = msecs_to_jiffies(PAWLINK_AUDIO_ANSWER_MS);
	enum pawlink_dir dir = ss->stream;
	unsigned int tries;
	long left;
	int err;

	err = usb_autopm_get_interface(dev->intf);
	if (err)
		return err;

	mutex_lock(&dev->io_mutex);
	if (dev->disconnected) {
		mutex_unlock(&dev->io_mutex);
		/* disconnect() dropped the autopm reference with the rest. */
		return -ENODEV;
	}
	spin_lock_irq(&dev->lock);
	pawlink_stream_reset(s);
	err = dev->keys ? pawlink_audio_request(dev, PAWLINK_AUDIO_START, dir,
						&s->req) : -ENOTCONN;
	if (!err)
		s->substream = ss;
	spin_unlock_irq(&dev->lock);
	if (err) {
		usb_autopm_put_interface(dev->intf);
		mutex_unlock(&dev->io_mutex);
		return err;
	}
	mutex_unlock(&dev->io_mutex);

	for (tries = 1;; tries++) {
		left = wait_event_interruptible_timeout(dev->audio.wait,
							pawlink_answered(dev, s),
							answer_wait);
		if (left || tries == PAWLINK_AUDIO_TRIES)
			break;
		pawlink_audio_resend(dev, s, dir);
	}

	spin_lock_irq(&dev->lock);
	if (READ_ONCE(dev->disconnected))
		err = -ENODEV;
	else if (s->gone)
		err = -ENOTCONN;
	else if (s->answer)
		err = s->answer > 0 ? 0 : s->answer;
	else
		err = left < 0 ? left : -ETIMEDOUT;
	s->req = 0;
	spin_unlock_irq(&dev->lock);
	if (err)
		pawlink_audio_detach(dev, s, err != -EACCES, dir);
	return err;
}

/* The PCM close: tells the toy to stop, best effort, and lets go. */
void pawlink_audio_close(struct pawlink_dev *dev, struct snd_pcm_substream *ss)
{
	pawlink_audio_detach(dev, pawlink_stream_of(dev, ss), true, ss->stream);
}

/*
 * The PCM prepare: the ring starts over at 0.  -ENOTCONN once the session
 * this stream was opened in has ended: only a new open (in a new session)
 * streams again.  Takes dev->lock.
 */
int pawlink_audio_prepare(struct pawlink_dev *dev,
			  struct snd_pcm_substream *ss)
{
	struct pawlink_stream *s = pawlink_stream_of(dev, ss);
	int err = 0;

	pawlink_stream_wait_idle(dev, s);
	spin_lock_irq(&dev->lock);
	if (s->gone || !dev->keys) {
		err = -ENOTCONN;
	} else {
		s->running = false;
		s->buf_pos = 0;
		s->period_pos = 0;
	}
	spin_unlock_irq(&dev->lock);
	return err;
}

/*
 * The PCM trigger, START or STOP: flips the stream's state; a playback
 * START sends the first window of periods at once.  Runs under the stream
 * lock (atomic).  Takes dev->lock.
 */
int pawlink_audio_trigger(struct pawlink_dev *dev,
			  struct snd_pcm_substream *ss, bool start)
{
	struct pawlink_stream *s = pawlink_stream_of(dev, ss);
	unsigned long flags;
	int err = 0;

	spin_lock_irqsave(&dev->lock, flags);
	if (!start) {
		s->running = false;
	} else if (s->gone || !dev->keys || s->substream != ss) {
		err = -ENOTCONN;
	} else {
		s->running = true;
		s->synced = false;
		s->credit_at = jiffies;
		/* ALSA's frame number of the ring position we send next. */
		s->appl_pos = ss->runtime->status->hw_ptr;
		if (ss->stream == SNDRV_PCM_STREAM_PLAYBACK)
			pawlink_play_fill(dev, NULL);
	}
	spin_unlock_irqrestore(&dev->lock, flags);
	return err;
}

/*
 * The PCM ack, after the program wrote: a running playback stream sends
 * what fits in the window now, rather than at the next credit.  Atomic,
 * under the stream lock; takes dev->lock.
 */
void pawlink_audio_ack(struct pawlink_dev *dev, struct snd_pcm_substream *ss)
{
	unsigned long flags;

	if (ss->stream != SNDRV_PCM_STREAM_PLAYBACK)
		return;
	spin_lock_irqsave(&dev->lock, flags);
	if (pawlink_stream_of(dev, ss)->substream == ss)
		pawlink_play_fill(dev, NULL);
	spin_unlock_irqrestore(&dev->lock, flags);
}

/*
 * The PCM pointer: the ring position (playback: what was sent; capture:
 * what arrived), and in @delay the frames beyond it: for playback the
 * periods sent and not yet played; for capture one period, the record the
 * toy was filling while this one travelled.  Atomic; takes dev->lock.
 */
unsigned int pawlink_audio_pointer(struct pawlink_dev *dev,
				   struct snd_pcm_substream *ss,
				   unsigned int *delay)
{
	struct pawlink_stream *s = pawlink_stream_of(dev, ss);
	unsigned long flags;
	unsigned int pos;

	spin_lock_irqsave(&dev->lock, flags);
	pos = s->buf_pos;
	if (ss->stream == SNDRV_PCM_STREAM_PLAYBACK)
		*delay = (s->sent - pawlink_played(s)) *
			 PAWLINK_AUDIO_PERIOD_FRAMES;
	else
		*delay = PAWLINK_AUDIO_PERIOD_FRAMES;
	spin_unlock_irqrestore(&dev->lock, flags);
	return pos;
}

/*
 * The PCM sync_stop: after trigger STOP, waits until no completion still
 * reports a period of this stream.  May sleep.
 */
void pawlink_audio_sync(struct pawlink_dev *dev, struct snd_pcm_substream *ss)
{
	pawlink_stream_wait_idle(dev, pawlink_stream_of(dev, ss));
}
