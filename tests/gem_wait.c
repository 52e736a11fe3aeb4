// SPDX-License-Identifier: GPL-2.0
/*
 * gem_wait - vi915 uAPI subtests mirroring IGT's gem_wait: GEM_WAIT of a bad
 * handle, bad flags, idle objects, and timeouts while the engine is busy.
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_wait [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "uapi_common.h"

static int wait_raw(uint32_t handle, uint32_t flags, int64_t timeout)
{
	struct drm_i915_gem_wait arg = {
		.bo_handle = handle, .flags = flags, .timeout_ns = timeout,
	};

	return ioctl_err(fd, DRM_IOCTL_I915_GEM_WAIT, &arg);
}

/* gem_wait@invalid-buf (as IGT): an all-zero request (handle 0) -> ENOENT. */
static void test_wait_invalid_buf(int arg)
{
	struct drm_i915_gem_wait w;

	(void)arg;
	memset(&w, 0, sizeof(w));
	CHECK_RET(ioctl_err(fd, DRM_IOCTL_I915_GEM_WAIT, &w), -ENOENT);
	CHECK_RET(wait_raw(0xdeadbeef, 0, 1000), -ENOENT);
}

/*
 * gem_wait@invalid-flags (as IGT): flags 1 -> EINVAL.  Not in the README
 * table (which says "else 0"): asserted because IGT does.
 */
static void test_wait_invalid_flags(int arg)
{
	uint32_t h = gem_create(PAGE_SIZE);

	(void)arg;
	CHECK_RET(wait_raw(h, 1, 1), -EINVAL);
	gem_close(fd, h);
}

/*
 * gem_wait@vi915-idle: vi915 extension (IGT's wait subtests need a
 * spinner).  README: nothing is ever busy: WAIT returns 0 at once, for
 * any timeout, also on a userptr.
 */
static void test_wait_idle(int arg)
{
	static const int64_t timeouts[] = { 0, 1, 1000000000ll, -1 };
	void *user = mmap_anon(PAGE_SIZE, MAP_PRIVATE);
	uint32_t h = gem_create(PAGE_SIZE), up = gem_userptr(user, PAGE_SIZE, 0);
	double t0 = vi_now();

	(void)arg;
	for (size_t i = 0; i < ARRAY_SIZE(timeouts); i++) {
		CHECK_RET(wait_raw(h, 0, timeouts[i]), 0);
		CHECK_RET(wait_raw(up, 0, timeouts[i]), 0);
	}
	if (vi_now() - t0 > 0.5)
		FAIL("GEM_WAIT on idle objects took %.2fs", vi_now() - t0);
	gem_close(fd, up);
	gem_close(fd, h);
	CHECK_RET(wait_raw(h, 0, 0), -ENOENT);	/* closed */
	munmap(user, PAGE_SIZE);
}

/*
 * gem_wait@vi915-busy-timeout (IGT gem_wait@busy/wait need a spinner;
 * vi915 uses queued big copies): while busy, timeout 0 and 1 ns answer
 * ETIME (timeout_ns left at 0 or less), a long timeout waits and returns
 * the time left (0 < left <= given), -1 waits forever; afterwards 0 polls
 * successfully.  Invalid flags stay EINVAL while busy.
 */
static void test_wait_busy(int arg)
{
	uint32_t dst = gem_create(BIG_SIZE), src = gem_create(BIG_SIZE);
	int64_t timeout;
	int ret;

	(void)arg;
	make_busy(dst, src);
	timeout = 1;
	ret = __gem_wait(fd, dst, &timeout);
	if (ret != -ETIME && ret != 0)
		FAIL("GEM_WAIT(1 ns) on a busy object returned %s", errname(ret));
	if (ret == -ETIME && timeout > 0)
		FAIL("GEM_WAIT(1 ns) timed out but left timeout_ns = %lld", (long long)timeout);
	CHECK_RET(wait_raw(dst, 1, 0), -EINVAL);
	timeout = 60ll * 1000 * 1000 * 1000;
	CHECK_RET(__gem_wait(fd, dst, &timeout), 0);
	if (timeout <= 0 || timeout > 60ll * 1000 * 1000 * 1000)
		FAIL("GEM_WAIT(60 s) succeeded but left timeout_ns = %lld", (long long)timeout);
	timeout = 0;
	CHECK_RET(__gem_wait(fd, dst, &timeout), 0);

	make_busy(dst, src);
	CHECK_RET(__gem_wait(fd, dst, NULL), 0);	/* -1: forever */
	timeout = 0;
	CHECK_RET(__gem_wait(fd, dst, &timeout), 0);
	CHECK_RET(__gem_wait(fd, src, &timeout), 0);
	gem_close(fd, dst);
	gem_close(fd, src);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("invalid-buf", test_wait_invalid_buf, 0, 0);
	add("invalid-flags", test_wait_invalid_flags, 0, 0);
	add("vi915-idle", test_wait_idle, 0, 0);
	add("vi915-busy-timeout", test_wait_busy, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_wait", build_subtest_table);
}
