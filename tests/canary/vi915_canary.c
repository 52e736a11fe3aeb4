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
 *
 * mode=kasan: a deliberate use-after-free (a read of a freed kmalloc object).
 * On the KASAN kernel it must produce "BUG: KASAN: slab-use-after-free"
 * naming vi915_canary_use_after_free.
 *
 * mode=leak: a deliberate leak (a kmalloc object whose only pointer is
 * dropped). kmemleak must report it as unreferenced, allocated by
 * vi915_canary_leak.
 */
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

static char *mode = "lockdep";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "lockdep (ABBA inversion), warn (a deliberate WARN), kasan (a use-after-free) or leak (a kmemleak leak)");

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

/* Outside .init.text, so that the reports can still name it after init. */
static noinline int vi915_canary_use_after_free(void)
{
	u32 *p = kmalloc(64, GFP_KERNEL);
	u32 v;

	if (!p)
		return -ENOMEM;
	p[3] = 0x915;
	kfree(p);
	v = READ_ONCE(p[3]);
	pr_info("vi915_canary: read %#x from a freed object\n", v);
	return 0;
}

/*
 * kmemleak finds a leak only if no scanned memory still holds its address,
 * and stale copies linger (spilled registers below the stack pointer; freed
 * thread stacks are cached, still allocated and scanned). So: several
 * objects of three kinds (a small kmalloc, a large one from the page
 * allocator, a vmalloc area), nothing printed while a pointer is live, then
 * the stack below this frame overwritten.
 */
#define VI915_CANARY_LEAKS	8

static noinline void vi915_canary_scrub_stack(int depth)
{
	volatile char buf[1024];

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = 0;
	if (depth > 1)
		vi915_canary_scrub_stack(depth - 1);
	barrier();
}

static noinline int vi915_canary_leak_objects(size_t size, bool vmap)
{
	int n = 0;

	for (int i = 0; i < VI915_CANARY_LEAKS; i++) {
		u8 *p = vmap ? vmalloc(size) : kmalloc(size, GFP_KERNEL);

		if (p) {
			memset(p, 0x5a, size);
			n++;
		}
	}
	return n;
}

static noinline int vi915_canary_leak(void)
{
	int n;

	pr_info("vi915_canary: leaking %d objects of each kind\n", VI915_CANARY_LEAKS);
	n = vi915_canary_leak_objects(128, false) + vi915_canary_leak_objects(16384, false) +
	    vi915_canary_leak_objects(16384, true);
	vi915_canary_scrub_stack(6);
	return n ? 0 : -ENOMEM;
}

static int __init vi915_canary_init(void)
{
	if (!strcmp(mode, "kasan"))
		return vi915_canary_use_after_free();
	if (!strcmp(mode, "leak"))
		return vi915_canary_leak();
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
MODULE_DESCRIPTION("vi915 test-only canary: lockdep ABBA inversion, a WARN, a use-after-free or a leak");
MODULE_LICENSE("GPL");
