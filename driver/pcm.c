// SPDX-License-Identifier: GPL-2.0
/*
 * pawlink.ko: the ALSA card (the toy's speaker and microphone).
 *
 * One card per dongle with one PCM device: one playback and one capture
 * substream, S16_LE mono 16 kHz in periods of whole 10 ms records.  As in
 * ua101.c, the ops that may sleep do the work (open asks the toy to start
 * and waits for its answer; close tells it to stop) and trigger and
 * pointer only flip state and read positions; audio.c moves the samples.
 * Audio only ever travels sealed, so a PCM cannot open before a session is
 * keyed: open() fails with -ENOTCONN ("Transport endpoint is not
 * connected" in aplay).  The card holds a reference on the dongle state
 * until ALSA frees it, which may be after the unplug.
 */

#include <linux/bitops.h>
#include <linux/module.h>
#include <linux/usb.h>
#include <sound/core.h>
#include <sound/initval.h>
#include <sound/pcm.h>
#include <sound/pcm_params.h>

#include "pawlink.h"

/* The usual ALSA card options, as snd-usb-audio has them. */
static int index[SNDRV_CARDS] = SNDRV_DEFAULT_IDX;
static char *id[SNDRV_CARDS] = SNDRV_DEFAULT_STR;
static bool enable[SNDRV_CARDS] = SNDRV_DEFAULT_ENABLE_PNP;

module_param_array(index, int, NULL, 0444);
MODULE_PARM_DESC(index, "Index value for the Pawlink sound card.");
module_param_array(id, charp, NULL, 0444);
MODULE_PARM_DESC(id, "ID string for the Pawlink sound card.");
module_param_array(enable, bool, NULL, 0444);
MODULE_PARM_DESC(enable, "Enable the Pawlink sound card.");

/* Which of the index/id/enable slots belong to a live card. */
static DECLARE_BITMAP(pawlink_slots_used, SNDRV_CARDS);

/*
 * A blocked read or write gives up (-EIO) after this long without a
 * period: well past a dongle's supervision timeout (2 s for pawsim's), so
 * that a toy switched off ends the stream with the LINK event's -EBADFD.
 */
#define PAWLINK_PCM_WAIT_MS	5000

/* Ring sizes: whole records, from two periods up to about 2 s. */
#define PAWLINK_PCM_BUFFER_MAX	(200 * PAWLINK_AUDIO_PERIOD_BYTES)

static const struct snd_pcm_hardware pawlink_pcm_hw = {
	.info = SNDRV_PCM_INFO_INTERLEAVED | SNDRV_PCM_INFO_MMAP |
		SNDRV_PCM_INFO_MMAP_VALID | SNDRV_PCM_INFO_BLOCK_TRANSFER |
		SNDRV_PCM_INFO_BATCH,
	.formats = SNDRV_PCM_FMTBIT_S16_LE,
	.rates = SNDRV_PCM_RATE_16000,
	.rate_min = PAWLINK_AUDIO_RATE,
	.rate_max = PAWLINK_AUDIO_RATE,
	.channels_min = PAWLINK_AUDIO_CHANNELS,
	.channels_max = PAWLINK_AUDIO_CHANNELS,
	.buffer_bytes_max = PAWLINK_PCM_BUFFER_MAX,
	.period_bytes_min = PAWLINK_AUDIO_PERIOD_BYTES,
	.period_bytes_max = PAWLINK_PCM_BUFFER_MAX / 2,
	.periods_min = 2,
	.periods_max = PAWLINK_PCM_BUFFER_MAX / PAWLINK_AUDIO_PERIOD_BYTES,
};

/*
 * Periods and the ring are whole records, so a record never wraps the
 * ring.  Playback's ring holds more than its window, so that sending a
 * whole window never moves the pointer a whole ring.
 */
static int pawlink_pcm_constrain(struct snd_pcm_runtime *runtime,
				 bool playback, unsigned int window)
{
	unsigned int min_frames = 2 * PAWLINK_AUDIO_PERIOD_FRAMES;
	int err;

	/* Each of these returns 1, not 0, when it narrowed a range. */
	err = snd_pcm_hw_constraint_step(runtime, 0,
					 SNDRV_PCM_HW_PARAM_PERIOD_SIZE,
					 PAWLINK_AUDIO_PERIOD_FRAMES);
	if (err < 0)
		return err;
	err = snd_pcm_hw_constraint_step(runtime, 0,
					 SNDRV_PCM_HW_PARAM_BUFFER_SIZE,
					 PAWLINK_AUDIO_PERIOD_FRAMES);
	if (err < 0)
		return err;
	err = snd_pcm_hw_constraint_integer(runtime,
					    SNDRV_PCM_HW_PARAM_PERIODS);
	if (err < 0)
		return err;
	if (playback)
		min_frames = (window + 1) * PAWLINK_AUDIO_PERIOD_FRAMES;
	err = snd_pcm_hw_constraint_minmax(runtime,
					   SNDRV_PCM_HW_PARAM_BUFFER_SIZE,
					   min_frames, UINT_MAX);
	/* Positive when it narrowed the range: that is success too. */
	return err < 0 ? err : 0;
}

/*
 * Needs a keyed session (-ENOTCONN: run `pawctl connect TOY` first), then
 * asks the toy to start this direction and waits for its answer
 * (audio.c lists the errors).  Sleeps.
 */
static int pawlink_pcm_open(struct snd_pcm_substream *substream)
{
	struct pawlink_dev *dev = snd_pcm_substream_chip(substream);
	struct snd_pcm_runtime *runtime = substream->runtime;
	int err;

	if (!pawlink_keyed(dev))
		return -ENOTCONN;
	runtime->hw = pawlink_pcm_hw;
	/*
	 * The toy's clock drives the ring, and a stall on the air is the
	 * link's business (it ends as a LINK event), so a blocked read or
	 * write waits longer than ALSA's 1.1 buffers before its -EIO.
	 */
	substream->wait_time = PAWLINK_PCM_WAIT_MS;
	err = pawlink_audio_open(dev, substream);
	if (err)
		return err;
	err = pawlink_pcm_constrain(runtime,
				    substream->stream ==
				    SNDRV_PCM_STREAM_PLAYBACK,
				    dev->audio.streams[substream->stream].window);
	if (err)
		pawlink_audio_close(dev, substream);
	return err;
}

/* Tells the toy to stop (best effort).  Sleeps. */
static int pawlink_pcm_close(struct snd_pcm_substream *substream)
{
	pawlink_audio_close(snd_pcm_substream_chip(substream), substream);
	return 0;
}

/* Sleeps: waits for the completion that may still report a period. */
static int pawlink_pcm_prepare(struct snd_pcm_substream *substream)
{
	return pawlink_audio_prepare(snd_pcm_substream_chip(substream),
				     substream);
}

/* Atomic, under the stream lock: only flips the stream's state. */
static int pawlink_pcm_trigger(struct snd_pcm_substream *substream, int cmd)
{
	struct pawlink_dev *dev = snd_pcm_substream_chip(substream);

	switch (cmd) {
	case SNDRV_PCM_TRIGGER_START:
		return pawlink_audio_trigger(dev, substream, true);
	case SNDRV_PCM_TRIGGER_STOP:
	/*
	 * System suspend: the stream stops like STOP and ALSA leaves it
	 * SUSPENDED, so the program sees -ESTRPIPE.  No RESUME (no
	 * SNDRV_PCM_INFO_RESUME, as snd-usb-audio): the ring's position
	 * cannot be kept across the toy's clock running on, so
	 * snd_pcm_recover() prepares and starts it afresh.
	 */
	case SNDRV_PCM_TRIGGER_SUSPEND:
		return pawlink_audio_trigger(dev, substream, false);
	default:
		return -EINVAL;
	}
}

/* Atomic, under the stream lock: the program wrote, playback may send. */
static int pawlink_pcm_ack(struct snd_pcm_substream *substream)
{
	pawlink_audio_ack(snd_pcm_substream_chip(substream), substream);
	return 0;
}

/* Atomic, under the stream lock: reads the position and the delay. */
static snd_pcm_uframes_t pawlink_pcm_pointer(struct snd_pcm_substream *ss)
{
	struct pawlink_dev *dev = snd_pcm_substream_chip(ss);
	unsigned int delay;
	snd_pcm_uframes_t pos;

	pos = pawlink_audio_pointer(dev, ss, &delay);
	ss->runtime->delay = delay;
	return pos;
}

/* Sleeps: no completion reports a period of this stream after it. */
static int pawlink_pcm_sync_stop(struct snd_pcm_substream *substream)
{
	pawlink_audio_sync(snd_pcm_substream_chip(substream), substream);
	return 0;
}

static const struct snd_pcm_ops pawlink_pcm_ops = {
	.open = pawlink_pcm_open,
	.close = pawlink_pcm_close,
	.prepare = pawlink_pcm_prepare,
	.trigger = pawlink_pcm_trigger,
	.pointer = pawlink_pcm_pointer,
	.ack = pawlink_pcm_ack,
	.sync_stop = pawlink_pcm_sync_stop,
};

static const char *pawlink_speed_name(enum usb_device_speed speed)
{
	switch (speed) {
	case USB_SPEED_LOW:
		return "low";
	case USB_SPEED_FULL:
		return "full";
	case USB_SPEED_HIGH:
		return "high";
	case USB_SPEED_SUPER:
		return "super";
	case USB_SPEED_SUPER_PLUS:
		return "super+";
	default:
		return "unknown";
	}
}

/* Runs when ALSA frees the card: after the last of its files closed. */
static void pawlink_card_private_free(struct snd_card *card)
{
	struct pawlink_dev *dev = card->private_data;

	clear_bit(dev->card_slot, pawlink_slots_used);
	pawlink_dev_put(dev);
}

static int pawlink_pcm_new(struct pawlink_dev *dev)
{
	struct snd_pcm *pcm;
	int err;

	err = snd_pcm_new(dev->card, "Pawlink", 0, 1, 1, &pcm);
	if (err)
		return err;
	pcm->private_data = dev;
	dev->pcm = pcm;
	strscpy(pcm->name, "Pawlink toy", sizeof(pcm->name));
	snd_pcm_set_ops(pcm, SNDRV_PCM_STREAM_PLAYBACK, &pawlink_pcm_ops);
	snd_pcm_set_ops(pcm, SNDRV_PCM_STREAM_CAPTURE, &pawlink_pcm_ops);
	/* hw_params and hw_free allocate and free the ring themselves. */
	return snd_pcm_set_managed_buffer_all(pcm, SNDRV_DMA_TYPE_VMALLOC,
					      NULL, 0, 0);
}

/*
 * Creates and registers the card in the first enabled free slot.  On
 * success the card holds a reference on @dev.
 */
int pawlink_card_create(struct pawlink_dev *dev)
{
	char usb_path[32];
	struct snd_card *card;
	unsigned int slot;
	int err;

	for (slot = 0; slot < SNDRV_CARDS; slot++)
		if (enable[slot] && !test_and_set_bit(slot, pawlink_slots_used))
			break;
	if (slot == SNDRV_CARDS) {
		dev_err(&dev->intf->dev, "refused: no enabled sound card slot left\n");
		return -ENODEV;
	}

	err = snd_card_new(&dev->intf->dev, index[slot], id[slot], THIS_MODULE,
			   0, &card);
	if (err) {
		dev_err(&dev->intf->dev, "cannot create sound card: %d\n", err);
		clear_bit(slot, pawlink_slots_used);
		return err;
	}
	dev->card = card;
	dev->card_slot = slot;
	pawlink_dev_get(dev);
	card->private_data = dev;
	card->private_free = pawlink_card_private_free;

	strscpy(card->driver, "Pawlink", sizeof(card->driver));
	strscpy(card->shortname, "Pawlink", sizeof(card->shortname));
	usb_make_path(dev->udev, usb_path, sizeof(usb_path));
	snprintf(card->longname, sizeof(card->longname),
		 "Pawlink toy radio %*phN at %s, %s speed",
		 PAWLINK_ID_LEN, dev->dongle_id, usb_path,
		 pawlink_speed_name(dev->udev->speed));

	err = pawlink_pcm_new(dev);
	if (err)
		goto err_free_card;
	err = snd_card_register(card);
	if (err)
		goto err_free_card;
	return 0;

err_free_card:
	dev_err(&dev->intf->dev, "cannot register sound card: %d\n", err);
	snd_card_free(card);
	return err;
}

/* First step of unplug: PCM users see the card go away. */
void pawlink_card_disconnect(struct pawlink_dev *dev)
{
	snd_card_disconnect(dev->card);
}

/* Frees the card once its last file is closed (at once if none is open). */
void pawlink_card_release(struct pawlink_dev *dev)
{
	snd_card_free_when_closed(dev->card);
}

/*
 * System suspend, before the URBs are killed: running streams go
 * SUSPENDED (the PCM device's own PM op does the same first; this also
 * covers a suspend that reaches the interface alone) and the card says
 * D3hot, so that a prepare waits for the resume.  As snd-usb-audio does.
 * Sleeps; takes the stream locks and dev->lock.
 */
void pawlink_card_suspend(struct pawlink_dev *dev)
{
	snd_power_change_state(dev->card, SNDRV_CTL_POWER_D3hot);
	snd_pcm_suspend_all(dev->pcm);
}

/* Resumed: the card is back in D0; programs prepare their streams again. */
void pawlink_card_resume(struct pawlink_dev *dev)
{
	snd_power_change_state(dev->card, SNDRV_CTL_POWER_D0);
}
