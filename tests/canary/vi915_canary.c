// SPDX-License-Identifier: GPL-2.0
/*
 * vi915_canary: a test-only module with a deliberate lock-order inversion.
 *
 * Two code paths take two mutexes in opposite orders (one after the other,
 * so nothing actually deadlocks). Lockdep must report "possible circular
 * locking dependency detected" naming both locks; `make check` boots this
 * module to prove that the verdict can see such a report. Never ship it.
 */
#include <linux/module.h>
#include <linux/mutex.h>

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
MODULE_DESCRIPTION("vi915 test-only lockdep canary (deliberate ABBA inversion)");
MODULE_LICENSE("GPL");
