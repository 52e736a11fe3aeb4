// SPDX-License-Identifier: GPL-2.0
/*
 * gem_exec_fence - vi915 uAPI subtests mirroring IGT's gem_exec_fence:
 * I915_EXEC_FENCE_OUT (the request's fence as a sync_file fd in
 * rsvd2[63:32]) and I915_EXEC_FENCE_IN (wait for the sync_file fd in
 * rsvd2[31:0] before the batch runs), held back with sw_sync fences.
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_exec_fence [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "uapi_common.h"

/*
 * A batch storing @value at @target + @delta, submitted on the blitter with
 * @flags through EXECBUFFER2_WR (rsvd2 = @rsvd2). Returns 0 / -errno; on
 * success with FENCE_OUT, *out gets the out-fence fd.
 */
static int store_fenced(uint32_t target, uint32_t delta, uint32_t value, uint64_t flags,
			uint64_t rsvd2, int *out)
{
	uint64_t back = rsvd2;
	struct bb b;
	int ret;

	bb_init(&b);
	bb_store_dword(&b, target, delta, value, true);
	bb_emit(&b, MI_BATCH_BUFFER_END);
	ret = bb_exec_wr(&b, &target, 1, I915_EXEC_BLT | flags, &back);
	if (!ret && (flags & I915_EXEC_FENCE_OUT)) {
		*out = (int)(back >> 32);
		if (*out <= 2 || (uint32_t)back != (uint32_t)rsvd2)
			FAIL("FENCE_OUT: rsvd2 came back as %#llx (sent %#llx)",
			     (unsigned long long)back, (unsigned long long)rsvd2);
	}
	return ret;
}

/*
 * gem_exec_fence@basic-wait: FENCE_OUT gives a close-on-exec sync_file that
 * signals (status 1) once the store has landed.
 */
static void test_basic_wait(int arg)
{
	uint32_t obj = gem_create(PAGE_SIZE);
	int out = -1;

	(void)arg;
	CHECK_RET(store_fenced(obj, 0, 0xf00d, I915_EXEC_FENCE_OUT, 0, &out), 0);
	CHECK((fcntl(out, F_GETFD) & FD_CLOEXEC) != 0);
	if (!vi_fence_status(out, 10000))
		FAIL("the out-fence did not signal within 10 s");
	CHECK_RET(vi_fence_status(out, 0), 1);
	if (read_dword(obj, 0) != 0xf00d)
		FAIL("the out-fence signalled but the store is not there (%#x)", read_dword(obj, 0));
	close(out);
	gem_close(fd, obj);
}

/*
 * gem_exec_fence@basic-busy: a request held back by an unsignalled
 * in-fence is busy (GEM_BUSY, GEM_WAIT with timeout 0, its out-fence
 * active) and has not run (its target is a userptr, read by the CPU without
 * waiting for the engine); once the in-fence signals it runs and its
 * out-fence signals.
 */
static void test_basic_busy(int arg)
{
	volatile uint32_t *mem = mmap_anon(PAGE_SIZE, MAP_SHARED);
	uint32_t obj = gem_userptr((void *)mem, PAGE_SIZE, 0), busy = 0;
	int t = sw_timeline(), in = sw_fence(t, 1), out = -1;
	int64_t zero = 0;

	(void)arg;
	CHECK_RET(store_fenced(obj, 0, 0xbeef, I915_EXEC_FENCE_IN | I915_EXEC_FENCE_OUT,
			       (uint32_t)in, &out), 0);
	usleep(100 * 1000);
	CHECK_RET(__gem_busy(fd, obj, &busy), 0);
	if (!busy)
		FAIL("GEM_BUSY: idle while the request waits for its in-fence");
	CHECK_RET(__gem_wait(fd, obj, &zero), -ETIME);
	CHECK_RET(vi_fence_status(out, 0), 0);
	if (mem[0])
		FAIL("the batch ran before its in-fence signalled (%#x)", mem[0]);
	sw_advance(t, 1);
	if (!vi_fence_status(out, 10000))
		FAIL("the out-fence did not signal within 10 s of the in-fence");
	CHECK_RET(vi_fence_status(out, 0), 1);
	CHECK_RET(__gem_wait(fd, obj, NULL), 0);
	if (mem[0] != 0xbeef)
		FAIL("store missing after the in-fence signalled (%#x)", mem[0]);
	close(out);
	close(in);
	close(t);
	gem_close(fd, obj);
	munmap((void *)mem, PAGE_SIZE);
}

/*
 * gem_exec_fence@basic-await: one request's out-fence is the next one's
 * in-fence; with the first held by a sw_sync fence, the chain runs in order
 * once released (the second store lands last).
 */
static void test_basic_await(int arg)
{
	uint32_t obj = gem_create(PAGE_SIZE);
	int t = sw_timeline(), in = sw_fence(t, 1), a = -1, b = -1;

	(void)arg;
	CHECK_RET(store_fenced(obj, 0, 1, I915_EXEC_FENCE_IN | I915_EXEC_FENCE_OUT,
			       (uint32_t)in, &a), 0);
	CHECK_RET(store_fenced(obj, 0, 2, I915_EXEC_FENCE_IN | I915_EXEC_FENCE_OUT,
			       (uint32_t)a, &b), 0);
	CHECK_RET(vi_fence_status(b, 0), 0);
	sw_advance(t, 1);
	if (!vi_fence_status(b, 10000))
		FAIL("the chained out-fence did not signal within 10 s");
	CHECK_RET(vi_fence_status(a, 0), 1);
	CHECK_RET(vi_fence_status(b, 0), 1);
	if (read_dword(obj, 0) != 2)
		FAIL("chain ran out of order: dword is %u", read_dword(obj, 0));
	close(a);
	close(b);
	close(in);
	close(t);
	gem_close(fd, obj);
}

/*
 * gem_exec_fence@vi915-invalid: FENCE_IN with an fd that is not a sync_file
 * (-1, a closed number, the DRM fd) -> EINVAL; rsvd2 without fence flags is
 * ignored; a failed FENCE_OUT call leaves no fd behind.
 */
static void test_invalid(int arg)
{
	uint32_t obj = gem_create(PAGE_SIZE);
	int probe, out = -1;

	(void)arg;
	CHECK_RET(store_fenced(obj, 0, 1, I915_EXEC_FENCE_IN, 0xffffffffu, NULL), -EINVAL);
	CHECK_RET(store_fenced(obj, 0, 1, I915_EXEC_FENCE_IN, 1000, NULL), -EINVAL);
	CHECK_RET(store_fenced(obj, 0, 1, I915_EXEC_FENCE_IN, (uint32_t)fd, NULL), -EINVAL);
	/* Without the fence flags rsvd2 is ignored, as by i915. */
	CHECK_RET(store_fenced(obj, 0, 1, 0, 0x12345678ull << 32 | 1, NULL), 0);
	if (read_dword(obj, 0) != 1)
		FAIL("the request with rsvd2 dirt did not run");
	/* No fd consumed by a call that fails after the out-fd was reserved. */
	probe = dup(0);
	CHECK(probe >= 0);
	close(probe);
	CHECK_RET(store_fenced(0xdead, 0, 1, I915_EXEC_FENCE_OUT, 0, &out), -ENOENT);
	CHECK_RET(store_fenced(obj, 0, 1, I915_EXEC_FENCE_OUT | I915_EXEC_FENCE_IN,
			       0xffffffffu, &out), -EINVAL);
	out = dup(0);
	if (out != probe)
		FAIL("a failed FENCE_OUT execbuf left an fd behind (next fd %d, was %d)", out, probe);
	close(out);
	gem_close(fd, obj);
}

/*
 * gem_exec_fence@vi915-in-fence-error: an in-fence that signals with an
 * error (a request whose batch the engine refused) ends the waiting request
 * unrun, its fence with -EIO.
 */
static void test_in_fence_error(int arg)
{
	uint32_t obj = gem_create(PAGE_SIZE), batch = gem_create(PAGE_SIZE);
	uint32_t bad[2] = { 0x7f << 23 /* no such MI command */, MI_BATCH_BUFFER_END };
	struct drm_i915_gem_exec_object2 eo = { .handle = batch };
	struct drm_i915_gem_execbuffer2 eb = {
		.buffers_ptr = (uintptr_t)&eo, .buffer_count = 1,
		.flags = I915_EXEC_BLT | I915_EXEC_FENCE_OUT,
	};
	int failed, out = -1;
	uint32_t got;

	(void)arg;
	gem_write(fd, batch, 0, bad, sizeof(bad));
	CHECK_RET(drm_ioctl_err(fd, DRM_IOCTL_I915_GEM_EXECBUFFER2_WR, &eb), 0);
	failed = (int)(eb.rsvd2 >> 32);
	if (!vi_fence_status(failed, 10000))
		FAIL("the failing request's fence did not signal");
	CHECK_RET(vi_fence_status(failed, 0), -EIO);
	CHECK_RET(store_fenced(obj, 0, 0x5a5a, I915_EXEC_FENCE_IN | I915_EXEC_FENCE_OUT,
			       (uint32_t)failed, &out), 0);
	if (!vi_fence_status(out, 10000))
		FAIL("the waiting request's fence did not signal");
	CHECK_RET(vi_fence_status(out, 0), -EIO);
	CHECK_RET(__gem_wait(fd, obj, NULL), 0);	/* i915: the wait is over, the error is the fence's */
	gem_read(fd, obj, 0, &got, sizeof(got));
	if (got != 0)
		FAIL("the request ran although its in-fence failed (%#x)", got);
	close(out);
	close(failed);
	gem_close(fd, batch);
	gem_close(fd, obj);
}

/*
 * gem_exec_fence@vi915-in-fence-bounded: an in-fence nobody signals holds
 * its request (and the engine behind it) for at most the request budget:
 * then the request ends unrun with -EIO and a request of another client
 * queued behind it runs. The wait is on user work, so it must be bounded.
 */
static void test_in_fence_bounded(int arg)
{
	uint32_t obj = gem_create(PAGE_SIZE), budget_ms_got;
	uint32_t budget_ms = (uint32_t)vi_budget_ms();
	int t = sw_timeline(), in = sw_fence(t, 1), out = -1, other, saved = fd;
	uint32_t obj2;
	double t0, took;

	(void)arg;
	t0 = vi_now();
	CHECK_RET(store_fenced(obj, 0, 0x1234, I915_EXEC_FENCE_IN | I915_EXEC_FENCE_OUT,
			       (uint32_t)in, &out), 0);
	{
		char why[256];

		other = drm_open_i915(why, sizeof(why));
		if (other < 0)
			FAIL("a second client: %s", why);
	}
	fd = other;
	obj2 = gem_create(PAGE_SIZE);
	CHECK_RET(store_fenced(obj2, 0, 0x4321, 0, 0, NULL), 0);
	if (read_dword(obj2, 0) != 0x4321)
		FAIL("the other client's request did not run");
	gem_close(fd, obj2);
	close(other);
	fd = saved;
	if (!vi_fence_status(out, (int)budget_ms + 5000))
		FAIL("the request waited past its %u ms budget + 5 s for an in-fence", budget_ms);
	took = vi_now() - t0;
	info("request ended after %.2f s (budget %u ms)", took, budget_ms);
	CHECK_RET(vi_fence_status(out, 0), -EIO);
	CHECK_RET(__gem_wait(fd, obj, NULL), 0);	/* i915: the wait is over, the error is the fence's */
	gem_read(fd, obj, 0, &budget_ms_got, sizeof(budget_ms_got));
	if (budget_ms_got != 0)
		FAIL("the request ran although its in-fence never signalled");
	if (took > budget_ms / 1000.0 + 2.0)
		FAIL("the other client waited %.2f s behind an in-fence (budget %u ms)", took,
		     budget_ms);
	sw_advance(t, 1);
	close(out);
	close(in);
	close(t);
	gem_close(fd, obj);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("basic-busy", test_basic_busy, 0, 0);
	add("basic-wait", test_basic_wait, 0, 0);
	add("basic-await", test_basic_await, 0, 0);
	add("vi915-invalid", test_invalid, 0, 0);
	add("vi915-in-fence-error", test_in_fence_error, 0, 0);
	add("vi915-in-fence-bounded", test_in_fence_bounded, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_exec_fence", build_subtest_table);
}
