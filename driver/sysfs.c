// SPDX-License-Identifier: GPL-2.0
/*
 * pawlink.ko: status attributes on the USB interface device.
 *
 * The driver core adds these after probe() and removes them before
 * disconnect(), and waits for running show() calls, so intfdata is always
 * the live dongle here.
 */

#include <linux/build_bug.h>
#include <linux/device.h>
#include <linux/stddef.h>
#include <linux/sysfs.h>
#include <linux/usb.h>

#include "pawlink.h"

static struct pawlink_dev *pawlink_from_device(struct device *d)
{
	return usb_get_intfdata(to_usb_interface(d));
}

static const char *pawlink_link_state_name(u8 state)
{
	static const char * const names[] = {
		[PAWLINK_LINK_IDLE] = "idle",
		[PAWLINK_LINK_CONNECTING] = "connecting",
		[PAWLINK_LINK_CONNECTED] = "connected",
		[PAWLINK_LINK_LOST] = "lost",
	};

	return state < ARRAY_SIZE(names) ? names[state] : "unknown";
}

static ssize_t firmware_version_show(struct device *d,
				     struct device_attribute *attr, char *buf)
{
	struct pawlink_dev *dev = pawlink_from_device(d);

	return sysfs_emit(buf, "%u.%u\n", dev->fw_version >> 8,
			  dev->fw_version & 0xff);
}
static DEVICE_ATTR_RO(firmware_version);

static ssize_t dongle_id_show(struct device *d, struct device_attribute *attr,
			      char *buf)
{
	struct pawlink_dev *dev = pawlink_from_device(d);

	return sysfs_emit(buf, "%*phN\n", PAWLINK_ID_LEN, dev->dongle_id);
}
static DEVICE_ATTR_RO(dongle_id);

/* Takes dev->lock. */
static ssize_t link_state_show(struct device *d, struct device_attribute *attr,
			       char *buf)
{
	struct pawlink_dev *dev = pawlink_from_device(d);
	u8 state;

	spin_lock_irq(&dev->lock);
	state = dev->link_state;
	spin_unlock_irq(&dev->lock);
	return sysfs_emit(buf, "%s\n", pawlink_link_state_name(state));
}
static DEVICE_ATTR_RO(link_state);

static ssize_t keyed_show(struct device *d, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%d\n", pawlink_keyed(pawlink_from_device(d)));
}
static DEVICE_ATTR_RO(keyed);

static struct attribute *pawlink_attrs[] = {
	&dev_attr_firmware_version.attr,
	&dev_attr_dongle_id.attr,
	&dev_attr_link_state.attr,
	&dev_attr_keyed.attr,
	NULL,
};

static const struct attribute_group pawlink_attr_group = {
	.attrs = pawlink_attrs,
};

/* statistics/<counter>: one file per field of struct pawlink_stats. */
struct pawlink_stat_attr {
	struct device_attribute attr;
	size_t offset;
};

/* Takes dev->lock. */
static ssize_t pawlink_stat_show(struct device *d,
				 struct device_attribute *attr, char *buf)
{
	struct pawlink_stat_attr *stat =
		container_of(attr, struct pawlink_stat_attr, attr);
	struct pawlink_dev *dev = pawlink_from_device(d);
	u64 value;

	spin_lock_irq(&dev->lock);
	value = *(u64 *)((u8 *)&dev->stats + stat->offset);
	spin_unlock_irq(&dev->lock);
	return sysfs_emit(buf, "%llu\n", value);
}

#define PAWLINK_STAT_ATTR(field)					\
static struct pawlink_stat_attr pawlink_stat_##field = {		\
	.attr = {							\
		.attr = { .name = #field, .mode = 0444 },		\
		.show = pawlink_stat_show,				\
	},								\
	.offset = offsetof(struct pawlink_stats, field),		\
}

PAWLINK_STAT_ATTR(tx_records);
PAWLINK_STAT_ATTR(rx_records);
PAWLINK_STAT_ATTR(rx_dropped_malformed);
PAWLINK_STAT_ATTR(rx_dropped_overflow);
PAWLINK_STAT_ATTR(rx_dropped_plaintext);
PAWLINK_STAT_ATTR(rx_dropped_auth);
PAWLINK_STAT_ATTR(rx_dropped_replay);
PAWLINK_STAT_ATTR(rx_dropped_queue_full);
PAWLINK_STAT_ATTR(stalls);
PAWLINK_STAT_ATTR(audio_lost_frames);
PAWLINK_STAT_ATTR(rx_dropped_epoch);
PAWLINK_STAT_ATTR(rx_dropped_length);
PAWLINK_STAT_ATTR(xact_errors);
PAWLINK_STAT_ATTR(audio_rx_periods);
PAWLINK_STAT_ATTR(audio_tx_periods);
PAWLINK_STAT_ATTR(audio_gaps_too_large);
PAWLINK_STAT_ATTR(audio_dropped_malformed);

static struct attribute *pawlink_stat_attrs[] = {
	&pawlink_stat_tx_records.attr.attr,
	&pawlink_stat_rx_records.attr.attr,
	&pawlink_stat_rx_dropped_malformed.attr.attr,
	&pawlink_stat_rx_dropped_overflow.attr.attr,
	&pawlink_stat_rx_dropped_plaintext.attr.attr,
	&pawlink_stat_rx_dropped_auth.attr.attr,
	&pawlink_stat_rx_dropped_replay.attr.attr,
	&pawlink_stat_rx_dropped_queue_full.attr.attr,
	&pawlink_stat_stalls.attr.attr,
	&pawlink_stat_audio_lost_frames.attr.attr,
	&pawlink_stat_rx_dropped_epoch.attr.attr,
	&pawlink_stat_rx_dropped_length.attr.attr,
	&pawlink_stat_xact_errors.attr.attr,
	&pawlink_stat_audio_rx_periods.attr.attr,
	&pawlink_stat_audio_tx_periods.attr.attr,
	&pawlink_stat_audio_gaps_too_large.attr.attr,
	&pawlink_stat_audio_dropped_malformed.attr.attr,
	NULL,
};

/* A new field in struct pawlink_stats needs its file here. */
static_assert(ARRAY_SIZE(pawlink_stat_attrs) - 1 ==
	      sizeof(struct pawlink_stats) / sizeof(u64));

static const struct attribute_group pawlink_stat_group = {
	.name = "statistics",
	.attrs = pawlink_stat_attrs,
};

const struct attribute_group *pawlink_groups[] = {
	&pawlink_attr_group,
	&pawlink_stat_group,
	NULL,
};
