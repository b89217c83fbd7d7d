// SPDX-License-Identifier: GPL-2.0
/*
 * pawlink_canary - planted bugs that prove the debug lane's detectors work.
 *
 * TEST-ONLY.  This module is built and loaded only by tests/kernel/debug-lane
 * on the debug kernel, in a boot of its own after the real suite has been
 * judged.  If KASAN, DEBUG_ATOMIC_SLEEP or kmemleak were silently missing
 * (a Kconfig dependency dropped, a boot option ignored), the lane would pass
 * vacuously; each bug here must be reported or the lane fails.
 *
 * Each bug is triggered on its own by writing its name to
 * /sys/kernel/debug/pawlink_canary/plant:
 *
 *   uaf    read a kmalloc()ed byte after kfree()      -> KASAN report
 *   sleep  wait_for_completion_timeout() under a spinlock
 *                                                     -> "sleeping function
 *                                                        called from invalid
 *                                                        context"
 *   leak   kmalloc() objects and drop the pointers    -> kmemleak report
 */
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>

/* Several objects, so a stale stack copy of one pointer cannot hide all. */
#define CANARY_LEAK_OBJECTS	4
#define CANARY_LEAK_SIZE	96

static struct dentry *canary_dir;
static DEFINE_SPINLOCK(canary_lock);

static noinline void canary_use_after_free(void)
{
	u8 *buf = kmalloc(64, GFP_KERNEL);
	u8 seen;

	if (!buf)
		return;
	memset(buf, 0x5a, 64);
	kfree(buf);
	/* KASAN must flag this read: the object sits in the free quarantine. */
	seen = READ_ONCE(buf[8]);
	pr_info("pawlink_canary: uaf read 0x%02x\n", seen);
}

static noinline void canary_sleep_in_atomic(void)
{
	DECLARE_COMPLETION_ONSTACK(never_done);

	/* Waiting sleeps; under a spinlock the might_sleep() check must fire. */
	spin_lock(&canary_lock);
	wait_for_completion_timeout(&never_done, msecs_to_jiffies(1));
	spin_unlock(&canary_lock);
	pr_info("pawlink_canary: slept under a spinlock\n");
}

static noinline void canary_leak(void)
{
	void *obj;
	int i;

	for (i = 0; i < CANARY_LEAK_OBJECTS; i++) {
		obj = kmalloc(CANARY_LEAK_SIZE, GFP_KERNEL);
		if (!obj)
			return;
		/* The only reference is overwritten next round: a leak. */
		memset(obj, 0xa5, CANARY_LEAK_SIZE);
	}
	pr_info("pawlink_canary: leaked %d objects of %d bytes\n",
		CANARY_LEAK_OBJECTS, CANARY_LEAK_SIZE);
}

static ssize_t canary_plant_write(struct file *file, const char __user *ubuf,
				  size_t len, loff_t *ppos)
{
	char name[16];

	if (len == 0 || len >= sizeof(name))
		return -EINVAL;
	if (copy_from_user(name, ubuf, len))
		return -EFAULT;
	name[len] = '\0';
	strim(name);

	if (!strcmp(name, "uaf"))
		canary_use_after_free();
	else if (!strcmp(name, "sleep"))
		canary_sleep_in_atomic();
	else if (!strcmp(name, "leak"))
		canary_leak();
	else
		return -EINVAL;
	return len;
}

static const struct file_operations canary_plant_fops = {
	.owner = THIS_MODULE,
	.write = canary_plant_write,
	.llseek = noop_llseek,
};

static int __init canary_init(void)
{
	canary_dir = debugfs_create_dir("pawlink_canary", NULL);
	debugfs_create_file("plant", 0200, canary_dir, NULL,
			    &canary_plant_fops);
	pr_info("pawlink_canary: loaded (test-only planted bugs)\n");
	return 0;
}

static void __exit canary_exit(void)
{
	debugfs_remove_recursive(canary_dir);
}

module_init(canary_init);
module_exit(canary_exit);

MODULE_DESCRIPTION("pawlink debug-lane canary: planted bugs (test-only)");
MODULE_LICENSE("GPL");
