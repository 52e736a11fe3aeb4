// SPDX-License-Identifier: GPL-2.0
/*
 * vi915_canary: a test-only module that makes the kernel report what the
 * verdict must catch. Never ship it.
 *
 * mode=lockdep (default): two code paths take two mutexes in opposite orders
 * (one after the other, so nothing actually deadlocks). Lockdep must report
 * "possible circular locking dependency detected" naming both locks.
 *
 * mode=warn: a deliberate WARN(), proving that WARNING: lines reach the log
 * (they are silent on a kernel built without CONFIG_BUG).
 */
#include <linux/bug.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/string.h>

static char *mode = "lockdep";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "lockdep (ABBA inversion) or warn (a deliberate WARN)");

static DEFINE_MUTEX(vi915_canary_lock_a);
static DEFINE_MUTEX(vi915_canary_lock_b);

static noinline void vi915_canary_path_ab(void)
{
	mutex_lock(&vi915_canary_lock_a);
	mutex_lock(&vi915_canary_lock_b);
	mutex_unlock(&vi915_canary_lock_b);
	mutex_unlock(&vi915_canary_lock_a);
}

static noinline void vi915_canary_path_ba(void)
{
	mutex_lock(&vi915_canary_lock_b);
	mutex_lock(&vi915_canary_lock_a);
	mutex_unlock(&vi915_canary_lock_a);
	mutex_unlock(&vi915_canary_lock_b);
}

static int __init vi915_canary_init(void)
{
	if (!strcmp(mode, "warn")) {
		WARN(1, "vi915_canary: deliberate warning\n");
		return 0;
	}
	if (strcmp(mode, "lockdep"))
		return -EINVAL;
	pr_info("vi915_canary: taking lock_a->lock_b, then lock_b->lock_a\n");
	vi915_canary_path_ab();
	vi915_canary_path_ba();
	return 0;
}

static void __exit vi915_canary_exit(void)
{
}

module_init(vi915_canary_init);
module_exit(vi915_canary_exit);
MODULE_DESCRIPTION("vi915 test-only canary: lockdep ABBA inversion or a deliberate WARN");
MODULE_LICENSE("GPL");
