// SPDX-License-Identifier: GPL-2.0
/*
 * pawlink.ko: session key install and erase.
 *
 * The handshake runs in userspace (libpawlink); its result comes in through
 * PAWLINK_IOC_SET_KEYS, checked the way do_tls_setsockopt_conf() checks a
 * kTLS crypto_info: exact size (the ioctl number encodes it), version,
 * flags and reserved fields, no second install except a rekey to a higher
 * epoch.  Every copy of a key is zeroed when it is dropped.  record.c uses
 * the keys (as tls_sw.c does in kTLS).
 *
 * The keys belong to the dongle, not to the file that installed them: the
 * sound card streams with them while no /dev/pawlinkN is open.  They go on
 * PAWLINK_IOC_DISCONNECT, on a LINK event saying the link is gone
 * (usb.c), on unplug and so on module unload.
 */

#include <linux/slab.h>
#include <linux/string.h>

#include "pawlink.h"

/* Takes dev->lock. */
bool pawlink_keyed(struct pawlink_dev *dev)
{
	unsigned long flags;
	bool keyed;

	spin_lock_irqsave(&dev->lock, flags);
	keyed = dev->keys;
	spin_unlock_irqrestore(&dev->lock, flags);
	return keyed;
}

static int pawlink_keys_check(const struct pawlink_key_install *req)
{
	if (req->version != PAWLINK_KEYS_VERSION)
		return -EINVAL;
	if (req->flags & ~PAWLINK_KEYS_REKEY)
		return -EINVAL;
	if (req->reserved)
		return -EINVAL;
	/* Epoch 0 means plaintext; every installed key is above it. */
	if (req->epoch == 0)
		return -EINVAL;
	return 0;
}

/*
 * PAWLINK_IOC_SET_KEYS.  Returns -EINVAL for a malformed request, a rekey
 * with no keys installed or one that does not raise the epoch; -ENOTCONN
 * when the link is not connected or the session ended with it (until
 * PAWLINK_IOC_DISCONNECT); -EBUSY for a second install without
 * PAWLINK_KEYS_REKEY.  A refused install changes nothing.  A rekey swaps
 * in all four keys with every counter restarted, in one pointer store.
 * @req is the caller's kernel copy (cdev.c copies it in before locking, and
 * erases it).
 * Caller holds io_mutex (one install at a time) and has seen !disconnected,
 * so disconnect()'s erase cannot be overtaken.  Takes dev->lock.
 */
int pawlink_keys_install(struct pawlink_dev *dev,
			 const struct pawlink_key_install *req)
{
	struct pawlink_keys *keys, *old;
	unsigned long flags;
	int err;

	lockdep_assert_held(&dev->io_mutex);

	err = pawlink_keys_check(req);
	if (err)
		return err;

	/* Zeroed: every send counter at 0, no receive counter accepted. */
	keys = kzalloc(sizeof(*keys), GFP_KERNEL);
	if (!keys)
		return -ENOMEM;
	keys->epoch = req->epoch;
	memcpy(keys->tx[PAWLINK_KCH_CTRL].key, req->h2t_ctrl, PAWLINK_KEY_LEN);
	memcpy(keys->rx[PAWLINK_KCH_CTRL].key, req->t2h_ctrl, PAWLINK_KEY_LEN);
	memcpy(keys->tx[PAWLINK_KCH_AUDIO].key, req->h2t_audio,
	       PAWLINK_KEY_LEN);
	memcpy(keys->rx[PAWLINK_KCH_AUDIO].key, req->t2h_audio,
	       PAWLINK_KEY_LEN);

	spin_lock_irqsave(&dev->lock, flags);
	old = dev->keys;
	if (dev->link_state != PAWLINK_LINK_CONNECTED ||
	    (dev->session && !old))
		err = -ENOTCONN;
	else if (old && !(req->flags & PAWLINK_KEYS_REKEY))
		err = -EBUSY;
	else if (!old && (req->flags & PAWLINK_KEYS_REKEY))
		err = -EINVAL;
	else if (old && req->epoch <= old->epoch)
		err = -EINVAL;
	if (err) {
		spin_unlock_irqrestore(&dev->lock, flags);
		kfree_sensitive(keys);
		return err;
	}
	dev->keys = keys;
	dev->session = true;
	spin_unlock_irqrestore(&dev->lock, flags);
	kfree_sensitive(old);
	return 0;
}

/*
 * Drops the session keys, if any, and zeroes them; the sound card's
 * streams that ran on them stop (audio.c).  @end_session also ends the
 * session, so that plaintext may flow again (PAWLINK_IOC_DISCONNECT,
 * unplug).  Takes dev->lock, then (after it) PCM stream locks.
 */
void pawlink_keys_erase(struct pawlink_dev *dev, bool end_session)
{
	struct pawlink_keys *old;
	unsigned long flags;

	spin_lock_irqsave(&dev->lock, flags);
	old = dev->keys;
	dev->keys = NULL;
	if (end_session)
		dev->session = false;
	spin_unlock_irqrestore(&dev->lock, flags);
	if (old)
		pawlink_audio_link_gone(dev);
	kfree_sensitive(old);
}
