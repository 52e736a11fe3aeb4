// SPDX-License-Identifier: GPL-2.0
/*
 * gem_ctx_exec - vi915 uAPI subtests mirroring IGT's gem_ctx_exec: EXECBUFFER2
 * naming a context id that was never created, and requests on created
 * contexts, each its own fence timeline.
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_ctx_exec [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <unistd.h>
#include <linux/sync_file.h>

#include "uapi_common.h"

/*
 * An empty batch on context `id` that waits for the sync_file `in` first;
 * its fence as a sync_file fd.
 */
static int exec_fenced(struct exec_fixture *f, uint32_t id, int in)
{
	f->eb.rsvd1 = id;
	f->eb.flags = I915_EXEC_FENCE_OUT | I915_EXEC_FENCE_IN;
	f->eb.rsvd2 = (uint32_t)in;
	CHECK_RET(ioctl_err(fd, DRM_IOCTL_I915_GEM_EXECBUFFER2_WR, &f->eb), 0);
	return (int)(f->eb.rsvd2 >> 32);
}

/* How many fences SYNC_IOC_MERGE of a and b keeps (one per timeline). */
static unsigned int merged_fences(int a, int b)
{
	struct sync_merge_data m = { .name = "vi915", .fd2 = b };
	struct sync_file_info info = { 0 };

	CHECK(ioctl(a, SYNC_IOC_MERGE, &m) == 0);
	CHECK(ioctl(m.fence, SYNC_IOC_FILE_INFO, &info) == 0);
	close(m.fence);
	return info.num_fences;
}

/*
 * gem_ctx_exec@basic-invalid-context (as IGT): a context id never created
 * -> ENOENT. The id is rsvd1[31:0]: the upper half is not looked at (as
 * i915), so 1 << 32 names context 0.
 */
static void test_ctx_invalid_context(int arg)
{
	static const uint64_t ctx[] = { 1, 2, 0xffffffff, (1ull << 32) | 5 };
	struct exec_fixture f;

	(void)arg;
	fixture_init(&f);
	for (size_t i = 0; i < ARRAY_SIZE(ctx); i++) {
		int ret;

		f.eb.rsvd1 = ctx[i];
		ret = fixture_exec(&f);
		if (ret != -ENOENT)
			FAIL("context id %#llx: execbuf returned %s, expected ENOENT",
			     (unsigned long long)ctx[i], errname(ret));
	}
	f.eb.rsvd1 = 1ull << 32;
	CHECK_RET(fixture_exec(&f), 0);
	f.eb.rsvd1 = 0;
	CHECK_RET(fixture_exec(&f), 0);
	fixture_fini(&f);
}

/*
 * gem_ctx_exec@basic (as IGT), and each context its own timeline: requests
 * on a created context run. Held back by a sw_sync fence (a merge drops
 * signalled fences), two fences of one context merge into one (the later),
 * fences of two contexts, or of a context and context 0, stay two.
 * Destroying a context with a request queued lets the request finish.
 */
static void test_ctx_basic(int arg)
{
	uint32_t a = ctx_create(), b = ctx_create();
	int t = sw_timeline(), gate = sw_fence(t, 1);
	struct exec_fixture f;
	int a1, a2, b1, z1, b2;

	(void)arg;
	fixture_init(&f);
	a1 = exec_fenced(&f, a, gate);
	a2 = exec_fenced(&f, a, gate);
	b1 = exec_fenced(&f, b, gate);
	z1 = exec_fenced(&f, 0, gate);
	b2 = exec_fenced(&f, b, gate);
	if (merged_fences(a1, a2) != 1)
		FAIL("two fences of one context are on two timelines");
	if (merged_fences(a1, b1) != 2 || merged_fences(a2, z1) != 2)
		FAIL("fences of two contexts share a timeline");
	CHECK_RET(__ctx_destroy(fd, b, 0), 0);
	sw_advance(t, 1);
	f.eb.rsvd1 = b;
	f.eb.flags = 0;
	CHECK_RET(fixture_exec(&f), -ENOENT);
	f.eb.rsvd1 = 0;
	fixture_fini(&f);
	{
		struct sync_file_info info = { 0 };

		CHECK(ioctl(b2, SYNC_IOC_FILE_INFO, &info) == 0);
		if (info.status != 1)
			FAIL("the request of a destroyed context did not run (status %d)",
			     info.status);
	}
	close(a1);
	close(a2);
	close(b1);
	close(z1);
	close(b2);
	close(gate);
	close(t);
	CHECK_RET(__ctx_destroy(fd, a, 0), 0);
}

/*
 * gem_ctx_exec@vi915-error-per-context: a failing request on one context and
 * a good one on another, both using one object, both queued before either
 * runs (held behind a sw_sync fence, so the object's reservation keeps both
 * fences, one per timeline): the failure is the failing request's alone
 * (its out-fence EIO, the good one's signalled clean), and GEM_WAIT answers
 * 0 on every object, as i915 does after a hang.
 */
static void test_error_per_context(int arg)
{
	uint32_t a = ctx_create(), b = ctx_create();
	uint32_t target = gem_create(PAGE_SIZE), bad = gem_create(PAGE_SIZE), good = bbe_batch();
	const uint32_t cs[2] = { 0xffffffff /* no such command */, MI_BATCH_BUFFER_END };
	int t = sw_timeline(), gate = sw_fence(t, 1);
	struct drm_i915_gem_exec_object2 obj[2] = { { .handle = target }, { .handle = bad } };
	struct drm_i915_gem_execbuffer2 eb = {
		.buffers_ptr = (uintptr_t)obj, .buffer_count = 2, .flags = I915_EXEC_FENCE_IN,
		.rsvd1 = a, .rsvd2 = (uint32_t)gate,
	};
	int fail_out, good_out;

	(void)arg;
	gem_write(fd, bad, 0, cs, sizeof(cs));
	CHECK_RET(__gem_execbuf_fenced(fd, &eb, &fail_out), 0);
	obj[1].handle = good;
	eb.rsvd1 = b;
	eb.flags = 0;
	eb.rsvd2 = 0;
	CHECK_RET(__gem_execbuf_fenced(fd, &eb, &good_out), 0);
	sw_advance(t, 1);
	CHECK_RET(__gem_wait(fd, good, NULL), 0);
	CHECK_RET(__gem_wait(fd, bad, NULL), 0);
	CHECK_RET(__gem_wait(fd, target, NULL), 0);
	CHECK_RET(vi_fence_status(good_out, 0), 1);
	close(good_out);
	expect_request_failed(fail_out, "the request with an unknown command");
	gem_close(fd, target);
	gem_close(fd, bad);
	gem_close(fd, good);
	close(gate);
	close(t);
	ctx_destroy(a);
	ctx_destroy(b);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("basic", test_ctx_basic, 0, 0);
	add("basic-invalid-context", test_ctx_invalid_context, 0, 0);
	add("vi915-error-per-context", test_error_per_context, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_ctx_exec", build_subtest_table);
}
