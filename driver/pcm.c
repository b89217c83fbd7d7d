// SPDX-License-Identifier: GPL-2.0
/*
 * pawlink.ko: the ALSA card (the toy's speaker and microphone).
 *
 * One card per dongle with one PCM device: one playback and one capture
 * substream, S16_LE mono 16 kHz in 10 ms periods once streaming exists.
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
 * The record layer that seals audio is not in this driver yet, so even a
 * keyed session cannot stream: that open fails with -EOPNOTSUPP.
 */
static int pawlink_pcm_open(struct snd_pcm_substream *substream)
{
	struct pawlink_dev *dev = snd_pcm_substream_chip(substream);

	if (!pawlink_keyed(dev))
		return -ENOTCONN;
	return -EOPNOTSUPP;
}

static const struct snd_pcm_ops pawlink_pcm_ops = {
	.open = pawlink_pcm_open,
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
	strscpy(pcm->name, "Pawlink toy", sizeof(pcm->name));
	snd_pcm_set_ops(pcm, SNDRV_PCM_STREAM_PLAYBACK, &pawlink_pcm_ops);
	snd_pcm_set_ops(pcm, SNDRV_PCM_STREAM_CAPTURE, &pawlink_pcm_ops);
	return 0;
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
