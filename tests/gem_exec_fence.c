// SPDX-License-Identifier: GPL-2.0
/*
 * gem_exec_fence - vi915 uAPI subtests mirroring IGT's gem_exec_fence:
 * I915_EXEC_FENCE_OUT (the request's fence as a sync_file fd in
 * rsvd2[63:32]) and I915_EXEC_FENCE_IN (wait for the sync_file fd in
 * rsvd2[31:0] before the batch runs), held back with sw_sync fences; and
 * syncobj fences: I915_EXEC_FENCE_ARRAY and the timeline-fences extension.
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_exec_fence [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
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

/* ---- syncobjs: I915_EXEC_FENCE_ARRAY and the timeline-fences extension ---- */

static uint32_t syncobj_create(uint32_t flags)
{
	struct drm_syncobj_create c = { .flags = flags };

	CHECK_RET(drm_ioctl_err(fd, DRM_IOCTL_SYNCOBJ_CREATE, &c), 0);
	return c.handle;
}

static void syncobj_destroy(uint32_t h)
{
	struct drm_syncobj_destroy d = { .handle = h };

	CHECK_RET(drm_ioctl_err(fd, DRM_IOCTL_SYNCOBJ_DESTROY, &d), 0);
}

/* The syncobj's fence as a sync_file fd (-errno: EINVAL if it has none). */
static int syncobj_export_sync_file(uint32_t h)
{
	struct drm_syncobj_handle a = {
		.handle = h, .flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE, .fd = -1,
	};
	int ret = drm_ioctl_err(fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &a);

	return ret ? ret : a.fd;
}

/* A sync_file's fence put into syncobj h. */
static void syncobj_import_sync_file(uint32_t h, int sync_file)
{
	struct drm_syncobj_handle a = {
		.handle = h, .flags = DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE,
		.fd = sync_file,
	};

	CHECK_RET(drm_ioctl_err(fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &a), 0);
}

/* Whether syncobj h's fence has signalled: 1, 0 (busy), -errno (EINVAL: none). */
static int syncobj_signalled(uint32_t h)
{
	int sf = syncobj_export_sync_file(h), ret;

	if (sf < 0)
		return sf;
	ret = vi_fence_status(sf, 0);
	close(sf);
	return ret;
}

/*
 * A store of @value into dword 0 of @target (0: an empty batch), with the
 * exec fences @fences[@n] (FENCE_ARRAY) or, with I915_EXEC_USE_EXTENSIONS
 * in @flags, the extension chain at @ext. 0 / -errno.
 */
static int exec_syncobjs(uint32_t target, uint32_t value, uint64_t flags, const void *fences,
			 uint32_t n)
{
	uint64_t rsvd2 = 0;
	struct bb b;

	bb_init(&b);
	if (target)
		bb_store_dword(&b, target, 0, value, true);
	bb_emit(&b, MI_BATCH_BUFFER_END);
	b.cliprects_ptr = (uintptr_t)fences;
	b.num_cliprects = n;
	if (!(flags & I915_EXEC_USE_EXTENSIONS))
		flags |= I915_EXEC_FENCE_ARRAY;
	return bb_exec_wr(&b, &target, target ? 1 : 0, I915_EXEC_BLT | flags, &rsvd2);
}

static int exec_fence_array(uint32_t target, uint32_t value, uint32_t handle, uint32_t flags)
{
	struct drm_i915_gem_exec_fence f = { .handle = handle, .flags = flags };

	return exec_syncobjs(target, value, 0, &f, 1);
}

/* One timeline-fences extension of n entries (no next link). */
struct timeline {
	struct drm_i915_gem_execbuffer_ext_timeline_fences ext;
	struct drm_i915_gem_exec_fence fence[8];
	uint64_t point[8];
};

static struct drm_i915_gem_execbuffer_ext_timeline_fences *
timeline_init(struct timeline *t, unsigned int n)
{
	memset(&t->ext, 0, sizeof(t->ext));
	t->ext.base.name = DRM_I915_GEM_EXECBUFFER_EXT_TIMELINE_FENCES;
	t->ext.fence_count = n;
	t->ext.handles_ptr = (uintptr_t)t->fence;
	t->ext.values_ptr = (uintptr_t)t->point;
	return &t->ext;
}

static int exec_timeline(uint32_t target, uint32_t value, uint32_t handle, uint32_t flags,
			 uint64_t point)
{
	struct timeline t;

	t.fence[0] = (struct drm_i915_gem_exec_fence) { .handle = handle, .flags = flags };
	t.point[0] = point;
	return exec_syncobjs(target, value, I915_EXEC_USE_EXTENSIONS, timeline_init(&t, 1), 0);
}

/* SYNCOBJ_TIMELINE_WAIT for one point (timeout ns, absolute CLOCK_MONOTONIC; 0: poll). */
static int timeline_wait(uint32_t h, uint64_t point, uint32_t flags, int64_t timeout_ns)
{
	struct drm_syncobj_timeline_wait w = {
		.handles = (uintptr_t)&h, .points = (uintptr_t)&point, .count_handles = 1,
		.flags = flags,
		.timeout_nsec = timeout_ns ? (int64_t)(vi_now() * 1e9) + timeout_ns : 0,
	};

	return drm_ioctl_err(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w);
}

static uint64_t timeline_query(uint32_t h)
{
	struct drm_syncobj_timeline_array q = { .handles = (uintptr_t)&h, .count_handles = 1 };
	uint64_t point = ~0ull;

	q.points = (uintptr_t)&point;
	CHECK_RET(drm_ioctl_err(fd, DRM_IOCTL_SYNCOBJ_QUERY, &q), 0);
	return point;
}

/*
 * gem_exec_fence@vi915-syncobj-caps: the device announces syncobjs
 * (DRM_CAP_SYNCOBJ, _TIMELINE) and the exec fence arrays (HAS_EXEC_FENCE_ARRAY,
 * HAS_EXEC_TIMELINE_FENCES), as i915.
 */
static void test_syncobj_caps(int arg)
{
	static const uint64_t caps[] = { DRM_CAP_SYNCOBJ, DRM_CAP_SYNCOBJ_TIMELINE };
	static const int params[] = {
		I915_PARAM_HAS_EXEC_FENCE_ARRAY, I915_PARAM_HAS_EXEC_TIMELINE_FENCES,
	};

	(void)arg;
	for (size_t i = 0; i < ARRAY_SIZE(caps); i++) {
		struct drm_get_cap c = { .capability = caps[i] };

		CHECK_RET(drm_ioctl_err(fd, DRM_IOCTL_GET_CAP, &c), 0);
		if (c.value != 1)
			FAIL("DRM cap %#llx is %llu, expected 1", (unsigned long long)caps[i],
			     (unsigned long long)c.value);
	}
	for (size_t i = 0; i < ARRAY_SIZE(params); i++) {
		int v = 0;

		CHECK_RET(__getparam(fd, params[i], &v), 0);
		if (v != 1)
			FAIL("GETPARAM %d is %d, expected 1", params[i], v);
	}
}

/*
 * gem_exec_fence@invalid-fence-array (as IGT): an empty array is fine, an
 * unreadable one EFAULT, an entry naming no syncobj (handle 0, a zero page)
 * ENOENT; without FENCE_ARRAY (or extensions) any cliprects field EINVAL.
 */
static void test_invalid_fence_array(int arg)
{
	struct drm_i915_gem_exec_fence f = { 0 };
	void *page = mmap_anon(PAGE_SIZE, MAP_PRIVATE);
	uint64_t rsvd2 = 0;
	struct bb b;

	(void)arg;
	CHECK_RET(exec_syncobjs(0, 0, 0, NULL, 0), 0);
	CHECK_RET(exec_syncobjs(0, 0, 0, (void *)-1, 1), -EFAULT);
	CHECK_RET(exec_syncobjs(0, 0, 0, &f, 1), -ENOENT);
	CHECK_RET(exec_syncobjs(0, 0, 0, page, 1), -ENOENT);
	CHECK(mprotect(page, PAGE_SIZE, PROT_READ) == 0);
	CHECK_RET(exec_syncobjs(0, 0, 0, page, 1), -ENOENT);
	CHECK(mprotect(page, PAGE_SIZE, PROT_NONE) == 0);
	CHECK_RET(exec_syncobjs(0, 0, 0, page, 1), -EFAULT);
	munmap(page, PAGE_SIZE);
	bb_init(&b);
	bb_emit(&b, MI_BATCH_BUFFER_END);
	b.num_cliprects = 1;
	CHECK_RET(bb_exec_wr(&b, NULL, 0, I915_EXEC_BLT, &rsvd2), -EINVAL);
	b.num_cliprects = 0;
	b.cliprects_ptr = (uintptr_t)&f;
	CHECK_RET(bb_exec_wr(&b, NULL, 0, I915_EXEC_BLT, &rsvd2), -EINVAL);
}

/* gem_exec_fence@syncobj-invalid-wait (as IGT): waiting on a syncobj without a fence. */
static void test_syncobj_invalid_wait(int arg)
{
	uint32_t s = syncobj_create(0);

	(void)arg;
	CHECK_RET(exec_fence_array(0, 0, s, I915_EXEC_FENCE_WAIT), -EINVAL);
	syncobj_destroy(s);
}

/* gem_exec_fence@syncobj-invalid-flags (as IGT): unknown entry flags. */
static void test_syncobj_invalid_flags(int arg)
{
	uint32_t s = syncobj_create(0);

	(void)arg;
	CHECK_RET(exec_fence_array(0, 0, s, ~0u), -EINVAL);
	CHECK_RET(exec_fence_array(0, 0, s, 1u << 2), -EINVAL);
	syncobj_destroy(s);
}

/*
 * gem_exec_fence@syncobj-unused-fence (as IGT): an entry with no flags is
 * looked up (a bad handle ENOENT) but neither waited on nor signalled: the
 * syncobj still has no fence while a spinner holds the request.
 */
static void test_syncobj_unused_fence(int arg)
{
	uint32_t s = syncobj_create(0);
	struct vi_spin spin;

	(void)arg;
	CHECK_RET(vi_spin_new(fd, 0, &spin), 0);
	CHECK_RET(exec_fence_array(0, 0, s, 0), 0);
	CHECK_RET(exec_fence_array(0, 0, 0, 0), -ENOENT);
	CHECK_RET(syncobj_signalled(s), -EINVAL);
	vi_spin_end(&spin);
	CHECK_RET(vi_spin_wait(fd, &spin), 0);
	vi_spin_free(fd, &spin);
	syncobj_destroy(s);
}

/*
 * gem_exec_fence@syncobj-signal (as IGT): a SIGNAL entry gives the syncobj
 * the request's fence: busy while a spinner holds the request, signalled
 * once it has run.
 */
static void test_syncobj_signal(int arg)
{
	uint32_t s = syncobj_create(0), obj = gem_create(PAGE_SIZE);
	struct vi_spin spin;

	(void)arg;
	CHECK_RET(vi_spin_new(fd, 0, &spin), 0);
	CHECK_RET(exec_fence_array(obj, 0x51, s, I915_EXEC_FENCE_SIGNAL), 0);
	CHECK_RET(syncobj_signalled(s), 0);
	vi_spin_end(&spin);
	CHECK_RET(vi_spin_wait(fd, &spin), 0);
	if (read_dword(obj, 0) != 0x51)
		FAIL("the signalling request did not run");
	CHECK_RET(syncobj_signalled(s), 1);
	vi_spin_free(fd, &spin);
	syncobj_destroy(s);
	gem_close(fd, obj);
}

/*
 * gem_exec_fence@syncobj-wait (as IGT, one engine): a request waiting on a
 * syncobj another request signals stays busy behind it, also after the
 * syncobj is destroyed, and runs once the first has.
 */
static void test_syncobj_wait(int arg)
{
	uint32_t s = syncobj_create(0), obj = gem_create(PAGE_SIZE), busy = 0;
	struct vi_spin spin;

	(void)arg;
	CHECK_RET(vi_spin_new(fd, 0, &spin), 0);
	CHECK_RET(exec_fence_array(0, 0, s, I915_EXEC_FENCE_SIGNAL), 0);
	CHECK_RET(exec_fence_array(obj, 0x52, s, I915_EXEC_FENCE_WAIT), 0);
	syncobj_destroy(s);
	CHECK_RET(__gem_busy(fd, obj, &busy), 0);
	if (!busy)
		FAIL("the waiting request is idle while the one it waits for is held");
	vi_spin_end(&spin);
	CHECK_RET(vi_spin_wait(fd, &spin), 0);
	if (read_dword(obj, 0) != 0x52)
		FAIL("the waiting request did not run");
	vi_spin_free(fd, &spin);
	gem_close(fd, obj);
}

/*
 * gem_exec_fence@vi915-syncobj-wait-foreign: the wait is real, not the
 * engine's order: a request waiting on a syncobj holding a sw_sync fence
 * does not run (its userptr target stays 0, GEM_BUSY busy) until the fence
 * signals, and then does; the timeline extension waits the same way on a
 * point.
 */
static void test_syncobj_wait_foreign(int arg)
{
	volatile uint32_t *mem = mmap_anon(PAGE_SIZE, MAP_SHARED);
	uint32_t obj = gem_userptr((void *)mem, PAGE_SIZE, 0), s = syncobj_create(0);
	uint32_t tl = syncobj_create(0), busy = 0;
	int t = sw_timeline(), in = sw_fence(t, 1);

	(void)arg;
	syncobj_import_sync_file(s, in);
	CHECK_RET(exec_fence_array(obj, 0x53, s, I915_EXEC_FENCE_WAIT), 0);
	usleep(100 * 1000);
	CHECK_RET(__gem_busy(fd, obj, &busy), 0);
	if (!busy || mem[0])
		FAIL("the request ran (busy %#x, dword %#x) before the syncobj's fence signalled",
		     busy, mem[0]);
	sw_advance(t, 1);
	CHECK_RET(__gem_wait(fd, obj, NULL), 0);
	if (mem[0] != 0x53)
		FAIL("the request did not run after the fence signalled (%#x)", mem[0]);

	/* Point 5 of a timeline, signalled by a request held by a sw_sync fence. */
	close(in);
	in = sw_fence(t, 2);
	syncobj_import_sync_file(s, in);
	CHECK_RET(exec_fence_array(0, 0, s, I915_EXEC_FENCE_WAIT), 0);
	CHECK_RET(exec_timeline(0, 0, tl, I915_EXEC_FENCE_SIGNAL, 5), 0);
	CHECK_RET(exec_timeline(obj, 0x54, tl, I915_EXEC_FENCE_WAIT, 5), 0);
	usleep(100 * 1000);
	if (mem[0] != 0x53)
		FAIL("a request waiting on timeline point 5 ran early (%#x)", mem[0]);
	sw_advance(t, 1);
	CHECK_RET(__gem_wait(fd, obj, NULL), 0);
	if (mem[0] != 0x54)
		FAIL("the request waiting on point 5 did not run (%#x)", mem[0]);
	CHECK_RET(timeline_wait(tl, 5, 0, 0), 0);
	close(in);
	close(t);
	syncobj_destroy(tl);
	syncobj_destroy(s);
	gem_close(fd, obj);
	munmap((void *)mem, PAGE_SIZE);
}

/*
 * gem_exec_fence@syncobj-export (as IGT): a syncobj exported (as a syncobj
 * fd) before use and imported again is the same syncobj: the imports show
 * the fence a later request gave it, busy, then signalled.
 */
static void test_syncobj_export(int arg)
{
	uint32_t s = syncobj_create(0), imported[2];
	struct vi_spin spin;

	(void)arg;
	for (int i = 0; i < 2; i++) {
		struct drm_syncobj_handle a = { .handle = s, .fd = -1 };
		struct drm_syncobj_handle b = { 0 };

		CHECK_RET(drm_ioctl_err(fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &a), 0);
		b.fd = a.fd;
		CHECK_RET(drm_ioctl_err(fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &b), 0);
		close(a.fd);
		imported[i] = b.handle;
	}
	CHECK_RET(vi_spin_new(fd, 0, &spin), 0);
	CHECK_RET(exec_fence_array(0, 0, s, I915_EXEC_FENCE_SIGNAL), 0);
	for (int i = 0; i < 2; i++)
		CHECK_RET(syncobj_signalled(imported[i]), 0);
	vi_spin_end(&spin);
	CHECK_RET(vi_spin_wait(fd, &spin), 0);
	CHECK_RET(__gem_wait(fd, spin.handle, NULL), 0);
	usleep(10 * 1000);
	for (int i = 0; i < 2; i++) {
		int st = syncobj_signalled(imported[i]);

		for (int n = 0; st == 0 && n < 1000; n++) {
			usleep(1000);
			st = syncobj_signalled(imported[i]);
		}
		CHECK_RET(st, 1);
		syncobj_destroy(imported[i]);
	}
	vi_spin_free(fd, &spin);
	syncobj_destroy(s);
}

/*
 * gem_exec_fence@syncobj-repeat (as IGT): 4096 entries naming one syncobj
 * (through its imports), SIGNAL, then WAIT | SIGNAL: both accepted, all done
 * at the end.
 */
static void test_syncobj_repeat(int arg)
{
	const unsigned int n = 4096;
	struct drm_i915_gem_exec_fence *f = calloc(n, sizeof(*f));
	uint32_t s = syncobj_create(0);
	struct vi_spin spin;

	(void)arg;
	CHECK(f);
	for (unsigned int i = 0; i < n; i++) {
		struct drm_syncobj_handle a = { .handle = s, .fd = -1 }, b = { 0 };

		CHECK_RET(drm_ioctl_err(fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &a), 0);
		b.fd = a.fd;
		CHECK_RET(drm_ioctl_err(fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &b), 0);
		close(a.fd);
		f[i] = (struct drm_i915_gem_exec_fence) {
			.handle = b.handle, .flags = I915_EXEC_FENCE_SIGNAL,
		};
	}
	CHECK_RET(vi_spin_new(fd, 0, &spin), 0);
	CHECK_RET(exec_syncobjs(0, 0, 0, f, n), 0);
	for (unsigned int i = 0; i < n; i++)
		f[i].flags |= I915_EXEC_FENCE_WAIT;
	CHECK_RET(exec_syncobjs(0, 0, 0, f, n), 0);
	CHECK_RET(syncobj_signalled(s), 0);
	vi_spin_end(&spin);
	CHECK_RET(vi_spin_wait(fd, &spin), 0);
	for (int i = 0; i < 1000 && syncobj_signalled(s) == 0; i++)
		usleep(1000);
	CHECK_RET(syncobj_signalled(s), 1);
	for (unsigned int i = 0; i < n; i++)
		syncobj_destroy(f[i].handle);
	vi_spin_free(fd, &spin);
	syncobj_destroy(s);
	free(f);
}

/*
 * gem_exec_fence@vi915-syncobj-max-entries: a call names at most 8192
 * syncobj entries, array and extensions together (README "Bounded
 * resources"): 8192 are accepted, 8193 EINVAL, also split over two
 * extension nodes.
 */
static void test_syncobj_max_entries(int arg)
{
	const unsigned int max = 8192;
	struct drm_i915_gem_exec_fence *f = calloc(max + 1, sizeof(*f));
	uint64_t *points = calloc(max + 1, sizeof(*points));
	struct drm_i915_gem_execbuffer_ext_timeline_fences ext[2];
	uint32_t s = syncobj_create(0);

	(void)arg;
	CHECK(f && points);
	for (unsigned int i = 0; i <= max; i++)
		f[i] = (struct drm_i915_gem_exec_fence) { .handle = s };
	CHECK_RET(exec_syncobjs(0, 0, 0, f, max), 0);
	CHECK_RET(exec_syncobjs(0, 0, 0, f, max + 1), -EINVAL);
	memset(ext, 0, sizeof(ext));
	for (int i = 0; i < 2; i++) {
		ext[i].base.name = DRM_I915_GEM_EXECBUFFER_EXT_TIMELINE_FENCES;
		ext[i].handles_ptr = (uintptr_t)f;
		ext[i].values_ptr = (uintptr_t)points;
		ext[i].fence_count = max / 2;
	}
	ext[0].base.next_extension = (uintptr_t)&ext[1];
	CHECK_RET(exec_syncobjs(0, 0, I915_EXEC_USE_EXTENSIONS, ext, 0), 0);
	ext[1].fence_count = max / 2 + 1;
	CHECK_RET(exec_syncobjs(0, 0, I915_EXEC_USE_EXTENSIONS, ext, 0), -EINVAL);
	syncobj_destroy(s);
	free(points);
	free(f);
}

/*
 * gem_exec_fence@invalid-timeline-fence-array (as IGT): the extension with a
 * count, or with FENCE_ARRAY, EINVAL; unreadable handles or values EFAULT; a
 * handle naming nothing (0, a zero page) ENOENT; a wait on a point not yet
 * there EINVAL. And an unknown extension EINVAL.
 */
static void test_invalid_timeline_fence_array(int arg)
{
	uint32_t s = syncobj_create(0);
	void *page = mmap_anon(PAGE_SIZE, MAP_PRIVATE);
	struct timeline t;
	uint64_t rsvd2 = 0;
	struct bb b;

	(void)arg;
	t.fence[0] = (struct drm_i915_gem_exec_fence) { .handle = s, .flags = 0 };
	t.point[0] = 0;
	bb_init(&b);
	bb_emit(&b, MI_BATCH_BUFFER_END);
	b.cliprects_ptr = (uintptr_t)timeline_init(&t, 1);
	b.num_cliprects = 1;
	CHECK_RET(bb_exec_wr(&b, NULL, 0, I915_EXEC_BLT | I915_EXEC_USE_EXTENSIONS, &rsvd2),
		  -EINVAL);
	b.num_cliprects = 0;
	CHECK_RET(bb_exec_wr(&b, NULL, 0, I915_EXEC_BLT | I915_EXEC_USE_EXTENSIONS |
			     I915_EXEC_FENCE_ARRAY, &rsvd2), -EINVAL);
	CHECK_RET(bb_exec_wr(&b, NULL, 0, I915_EXEC_BLT | I915_EXEC_USE_EXTENSIONS, &rsvd2), 0);

	timeline_init(&t, 1)->handles_ptr = ~0ull;
	CHECK_RET(exec_syncobjs(0, 0, I915_EXEC_USE_EXTENSIONS, &t.ext, 0), -EFAULT);
	timeline_init(&t, 1)->values_ptr = ~0ull;
	CHECK_RET(exec_syncobjs(0, 0, I915_EXEC_USE_EXTENSIONS, &t.ext, 0), -EFAULT);
	CHECK_RET(exec_timeline(0, 0, 0, 0, 0), -ENOENT);
	CHECK_RET(exec_timeline(0, 0, s, I915_EXEC_FENCE_WAIT, 1), -EINVAL);
	timeline_init(&t, 1)->handles_ptr = (uintptr_t)page;
	CHECK_RET(exec_syncobjs(0, 0, I915_EXEC_USE_EXTENSIONS, &t.ext, 0), -ENOENT);
	CHECK(mprotect(page, PAGE_SIZE, PROT_NONE) == 0);
	CHECK_RET(exec_syncobjs(0, 0, I915_EXEC_USE_EXTENSIONS, &t.ext, 0), -EFAULT);
	timeline_init(&t, 1)->base.name = 1;
	CHECK_RET(exec_syncobjs(0, 0, I915_EXEC_USE_EXTENSIONS, &t.ext, 0), -EINVAL);
	munmap(page, PAGE_SIZE);
	syncobj_destroy(s);
}

/*
 * gem_exec_fence@syncobj-timeline-invalid-wait (as IGT): a wait on point 1
 * of an empty timeline EINVAL; once point 1 is signalled, a wait on point 2
 * still EINVAL.
 */
static void test_timeline_invalid_wait(int arg)
{
	uint32_t s = syncobj_create(0);

	(void)arg;
	CHECK_RET(exec_timeline(0, 0, s, I915_EXEC_FENCE_WAIT, 1), -EINVAL);
	CHECK_RET(exec_timeline(0, 0, s, I915_EXEC_FENCE_SIGNAL, 1), 0);
	CHECK_RET(exec_timeline(0, 0, s, I915_EXEC_FENCE_WAIT, 2), -EINVAL);
	CHECK_RET(exec_timeline(0, 0, s, I915_EXEC_FENCE_WAIT, 1), 0);
	syncobj_destroy(s);
}

/* gem_exec_fence@syncobj-timeline-invalid-flags (as IGT). */
static void test_timeline_invalid_flags(int arg)
{
	uint32_t s = syncobj_create(0);

	(void)arg;
	CHECK_RET(exec_timeline(0, 0, s, ~0u, 1), -EINVAL);
	syncobj_destroy(s);
}

/*
 * gem_exec_fence@syncobj-timeline-signal (as IGT): a request signalling
 * point 42 makes it available at once (WAIT_AVAILABLE), not signalled while
 * a spinner holds the request (ETIME), and the timeline's value 42 once it
 * ran; then point 84 the same way, waited for with WAIT_FOR_SUBMIT.
 */
static void test_timeline_signal(int arg)
{
	static const uint64_t points[] = { 42, 84 };
	uint32_t s = syncobj_create(0);

	(void)arg;
	for (size_t i = 0; i < ARRAY_SIZE(points); i++) {
		struct vi_spin spin;

		CHECK_RET(vi_spin_new(fd, 0, &spin), 0);
		CHECK_RET(exec_timeline(0, 0, s, I915_EXEC_FENCE_SIGNAL, points[i]), 0);
		CHECK_RET(timeline_wait(s, points[i], DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE, 0), 0);
		CHECK_RET(timeline_wait(s, points[i], 0, 0), -ETIME);
		vi_spin_end(&spin);
		CHECK_RET(timeline_wait(s, points[i], DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
					10 * 1000000000ll), 0);
		if (timeline_query(s) != points[i])
			FAIL("the timeline is at %llu, expected %llu",
			     (unsigned long long)timeline_query(s),
			     (unsigned long long)points[i]);
		CHECK_RET(vi_spin_wait(fd, &spin), 0);
		vi_spin_free(fd, &spin);
	}
	syncobj_destroy(s);
}

/*
 * gem_exec_fence@syncobj-timeline-repeat (as IGT, one entry): SIGNAL of a
 * point, WAIT and SIGNAL of the same nonzero point EINVAL, WAIT alone fine.
 */
static void test_timeline_repeat(int arg)
{
	uint32_t s = syncobj_create(0);

	(void)arg;
	CHECK_RET(exec_timeline(0, 0, s, I915_EXEC_FENCE_SIGNAL, 3), 0);
	CHECK_RET(exec_timeline(0, 0, s, I915_EXEC_FENCE_WAIT | I915_EXEC_FENCE_SIGNAL, 3),
		  -EINVAL);
	CHECK_RET(exec_timeline(0, 0, s, I915_EXEC_FENCE_WAIT, 3), 0);
	CHECK_RET(timeline_wait(s, 3, 0, 10 * 1000000000ll), 0);
	syncobj_destroy(s);
}

/*
 * gem_exec_fence@syncobj-timeline-multiple-ext-nodes (as IGT): eight chained
 * extension nodes each signal a point of one of four syncobjs; every last
 * point is then waited for.
 */
static void test_timeline_multiple_ext_nodes(int arg)
{
	struct timeline t[8];
	uint32_t s[4];

	(void)arg;
	for (int i = 0; i < 4; i++)
		s[i] = syncobj_create(0);
	for (int i = 0; i < 8; i++) {
		timeline_init(&t[i], 1);
		t[i].fence[0] = (struct drm_i915_gem_exec_fence) {
			.handle = s[i % 4], .flags = I915_EXEC_FENCE_SIGNAL,
		};
		t[i].point[0] = (uint64_t)i + 1;
		t[i].ext.base.next_extension = i < 7 ? (uintptr_t)&t[i + 1].ext : 0;
	}
	CHECK_RET(exec_syncobjs(0, 0, I915_EXEC_USE_EXTENSIONS, &t[0].ext, 0), 0);
	for (int i = 0; i < 4; i++) {
		CHECK_RET(timeline_wait(s[i], (uint64_t)i + 5, 0, 10 * 1000000000ll), 0);
		syncobj_destroy(s[i]);
	}
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
	add("vi915-syncobj-caps", test_syncobj_caps, 0, 0);
	add("invalid-fence-array", test_invalid_fence_array, 0, 0);
	add("syncobj-unused-fence", test_syncobj_unused_fence, 0, 0);
	add("syncobj-invalid-wait", test_syncobj_invalid_wait, 0, 0);
	add("syncobj-invalid-flags", test_syncobj_invalid_flags, 0, 0);
	add("syncobj-signal", test_syncobj_signal, 0, 0);
	add("syncobj-wait", test_syncobj_wait, 0, 0);
	add("vi915-syncobj-wait-foreign", test_syncobj_wait_foreign, 0, 0);
	add("syncobj-export", test_syncobj_export, 0, 0);
	add("syncobj-repeat", test_syncobj_repeat, 0, 0);
	add("vi915-syncobj-max-entries", test_syncobj_max_entries, 0, 0);
	add("invalid-timeline-fence-array", test_invalid_timeline_fence_array, 0, 0);
	add("syncobj-timeline-invalid-wait", test_timeline_invalid_wait, 0, 0);
	add("syncobj-timeline-invalid-flags", test_timeline_invalid_flags, 0, 0);
	add("syncobj-timeline-signal", test_timeline_signal, 0, 0);
	add("syncobj-timeline-repeat", test_timeline_repeat, 0, 0);
	add("syncobj-timeline-multiple-ext-nodes", test_timeline_multiple_ext_nodes, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_exec_fence", build_subtest_table);
}
