// SPDX-License-Identifier: GPL-2.0
/*
 * gem_exec_params - vi915 uAPI subtests mirroring IGT's gem_exec_params:
 * EXECBUFFER2 argument checks (buffer list, ring and flag fields, cliprects
 * and DR1/DR4/rsvd2 dirt, batch start and length, BATCH_FIRST, duplicate
 * handles, bad pointers, exec object fields).
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_exec_params [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "uapi_common.h"

static int __execbuf(const uint32_t *handles, uint32_t count)
{
	struct drm_i915_gem_exec_object2 obj[8];
	struct drm_i915_gem_execbuffer2 eb;

	memset(obj, 0, sizeof(obj));
	memset(&eb, 0, sizeof(eb));
	for (uint32_t i = 0; i < count && i < ARRAY_SIZE(obj); i++)
		obj[i].handle = handles[i];
	eb.buffers_ptr = (uintptr_t)obj;
	eb.buffer_count = count;
	eb.batch_len = 8;
	return ioctl_err(fd, DRM_IOCTL_I915_GEM_EXECBUFFER2, &eb);
}

/*
 * gem_exec_params@vi915-buffer-count-zero: vi915 extension (no IGT subtest
 * sends zero buffers).  README: count 0 -> EINVAL.
 */
static void test_execbuf_count_zero(int arg)
{
	(void)arg;
	CHECK_RET(__execbuf(NULL, 0), -EINVAL);
}

/*
 * gem_exec_params@vi915-bad-handle: vi915 extension.  README: every handle
 * is looked up (ENOENT, e.g. for handle 0), before the ENODEV.
 */
static void test_execbuf_bad_handle(int arg)
{
	uint32_t h = gem_create(PAGE_SIZE);
	uint32_t zero[] = { 0 }, last_bad[] = { h, h + 1000 }, first_bad[] = { 0xdeadbeef, h };

	(void)arg;
	CHECK_RET(__execbuf(zero, 1), -ENOENT);
	CHECK_RET(__execbuf(last_bad, 2), -ENOENT);
	CHECK_RET(__execbuf(first_bad, 2), -ENOENT);
	gem_close(fd, h);
	CHECK_RET(__execbuf(&h, 1), -ENOENT);	/* closed */
}

/* gem_exec_params@control (IGT-2017): the fixture itself executes. */
static void test_params_control(int arg)
{
	struct exec_fixture f;

	(void)arg;
	fixture_init(&f);
	CHECK_RET(fixture_exec(&f), 0);
	fixture_fini(&f);
}

/*
 * gem_exec_params ring subtests (as IGT, with vi915's engine set: default,
 * render and blitter only): arg selects the flags that must be EINVAL.
 */
static const struct { const char *name; uint64_t flags; } bad_rings[] = {
	{ "no-bsd", I915_EXEC_BSD },
	{ "no-vebox", I915_EXEC_VEBOX },
	{ "invalid-ring", I915_EXEC_RING_MASK },
	{ "invalid-ring2", I915_EXEC_VEBOX + 1 },
	{ "invalid-bsd-ring", I915_EXEC_BSD | I915_EXEC_BSD_MASK },
	{ "invalid-bsd1-flag-on-render", I915_EXEC_RENDER | I915_EXEC_BSD_RING1 },
	{ "invalid-bsd2-flag-on-render", I915_EXEC_RENDER | I915_EXEC_BSD_RING2 },
	{ "invalid-bsd1-flag-on-blt", I915_EXEC_BLT | I915_EXEC_BSD_RING1 },
	{ "invalid-bsd2-flag-on-blt", I915_EXEC_BLT | I915_EXEC_BSD_RING2 },
	{ "rel-constants-invalid", I915_EXEC_RENDER | I915_EXEC_CONSTANTS_MASK },
	{ "rel-constants-invalid-ring", I915_EXEC_BSD | I915_EXEC_CONSTANTS_ABSOLUTE },
	{ "sol-reset-invalid", I915_EXEC_BSD | I915_EXEC_GEN7_SOL_RESET },
	{ "sol-reset-not-gen7", I915_EXEC_RENDER | I915_EXEC_GEN7_SOL_RESET },
};

static void test_params_bad_ring(int idx)
{
	struct exec_fixture f;

	fixture_init(&f);
	f.eb.flags = bad_rings[idx].flags;
	RUN_FAIL(&f, EINVAL);
	fixture_fini(&f);
}

/*
 * gem_exec_params@vi915-rings: no IGT subtest enumerates the ring field
 * (IGT's no-blt needs a machine without a blitter).  Spec: ring 0, 1, 3
 * execute; 2, 4 and every value 5..63 are EINVAL.
 */
static void test_params_rings(int arg)
{
	struct exec_fixture f;

	(void)arg;
	fixture_init(&f);
	for (uint64_t ring = 0; ring <= I915_EXEC_RING_MASK; ring++) {
		int ret, expected = (ring == 0 || ring == 1 || ring == 3) ? 0 : -EINVAL;

		f.eb.flags = ring;
		ret = fixture_exec(&f);
		if (ret != expected)
			FAIL("ring %llu: execbuf returned %s, expected %s", (unsigned long long)ring,
			     errname(ret), expected ? "EINVAL" : "success");
	}
	fixture_fini(&f);
}

/*
 * gem_exec_params@invalid-flag (IGT: the next unassigned flag bit is
 * EINVAL); vi915 extra: every flag bit above the ring field other than
 * NO_RELOC, HANDLE_LUT, BATCH_FIRST, FENCE_OUT, FENCE_ARRAY and
 * USE_EXTENSIONS is EINVAL (incl. SECURE, IS_PINNED, SUBMIT_FENCE,
 * RESOURCE_STREAMER; FENCE_IN because rsvd2 = 0 names fd 0, not a
 * sync_file), and those six work alone (FENCE_OUT through the IOW number: an
 * fd this test never learns, as with i915; FENCE_ARRAY of no fences and
 * USE_EXTENSIONS of an empty chain, cliprects being 0).
 */
static void test_params_invalid_flag(int arg)
{
	const uint64_t ok = I915_EXEC_NO_RELOC | I915_EXEC_HANDLE_LUT | I915_EXEC_BATCH_FIRST |
			    I915_EXEC_FENCE_OUT | I915_EXEC_FENCE_ARRAY | I915_EXEC_USE_EXTENSIONS;
	struct exec_fixture f;

	(void)arg;
	fixture_init(&f);
	f.eb.flags = I915_EXEC_RENDER | (I915_EXEC_FENCE_ARRAY << 1);
	RUN_FAIL(&f, EINVAL);
	for (int bit = 6; bit < 64; bit++) {
		uint64_t flag = 1ull << bit;
		int ret, expected = (flag & ok) ? 0 : -EINVAL;

		f.eb.flags = I915_EXEC_BLT | flag;
		ret = fixture_exec(&f);
		if (ret != expected)
			FAIL("flag bit %d: execbuf returned %s, expected %s", bit, errname(ret),
			     expected ? "EINVAL" : "success");
	}
	f.eb.flags = ok & ~I915_EXEC_USE_EXTENSIONS;	/* not with FENCE_ARRAY */
	CHECK_RET(fixture_exec(&f), 0);
	f.eb.flags = ok;
	CHECK_RET(fixture_exec(&f), -EINVAL);
	fixture_fini(&f);
}

/*
 * gem_exec_params@vi915-secure-rejected: IGT's secure-non-root expects
 * EPERM for I915_EXEC_SECURE without root; vi915 has no secure batches,
 * so even root gets EINVAL.
 */
static void test_params_secure(int arg)
{
	struct exec_fixture f;

	(void)arg;
	fixture_init(&f);
	f.eb.flags = I915_EXEC_SECURE;
	RUN_FAIL(&f, EINVAL);
	f.eb.flags = I915_EXEC_BLT | I915_EXEC_SECURE;
	RUN_FAIL(&f, EINVAL);
	fixture_fini(&f);
}

/*
 * gem_exec_params@cliprects-invalid and the -dirt subtests (as IGT): EINVAL.
 * rsvd2-dirt only where exec fences are not offered (IGT's requirement):
 * with them, rsvd2 carries the fence fds and i915 ignores it without the
 * fence flags.
 */
enum { DIRT_CLIPRECTS, DIRT_CLIPRECTS_PTR, DIRT_DR1, DIRT_DR4, DIRT_RSVD2 };
static void test_params_dirt(int which)
{
	struct exec_fixture f;

	if (which == DIRT_RSVD2) {
		int has = 0;

		if (__getparam(fd, I915_PARAM_HAS_EXEC_FENCE, &has) == 0 && has)
			skip("exec fences are offered: rsvd2 carries their fds");
	}
	fixture_init(&f);
	switch (which) {
	case DIRT_CLIPRECTS: f.eb.num_cliprects = 1; break;
	case DIRT_CLIPRECTS_PTR: f.eb.cliprects_ptr = 1; break;
	case DIRT_DR1: f.eb.DR1 = 1; break;
	case DIRT_DR4: f.eb.DR4 = 1; break;
	case DIRT_RSVD2: f.eb.rsvd2 = 1; break;
	}
	RUN_FAIL(&f, EINVAL);
	fixture_fini(&f);
}

/*
 * gem_exec_params@invalid-batch-start-offset (IGT: unaligned starts are
 * EINVAL, aligned ones inside the batch work); vi915 spec: start and len
 * must be 8-byte aligned, len 0 = the rest of the object.
 */
static void test_params_batch_start(int arg)
{
	const uint32_t cs[4] = { MI_NOOP, MI_NOOP, MI_BATCH_BUFFER_END, MI_NOOP };
	struct exec_fixture f;

	(void)arg;
	fixture_init(&f);
	gem_write(fd, f.batch, 0, cs, sizeof(cs));
	for (uint32_t start = 1; start < 8; start++) {
		f.eb.batch_start_offset = start;
		RUN_FAIL(&f, EINVAL);
	}
	f.eb.batch_start_offset = 8;	/* BBE at 8 */
	CHECK_RET(fixture_exec(&f), 0);
	f.eb.batch_len = 8;
	CHECK_RET(fixture_exec(&f), 0);
	for (uint32_t len = 4; len < 16; len += 4) {
		if (len == 8)
			continue;
		f.eb.batch_len = len;
		RUN_FAIL(&f, EINVAL);
	}
	f.eb.batch_start_offset = 0;
	f.eb.batch_len = 0;		/* the whole object */
	CHECK_RET(fixture_exec(&f), 0);
	f.eb.batch_len = 16;
	CHECK_RET(fixture_exec(&f), 0);
	fixture_fini(&f);
}

/*
 * gem_exec_params@larger-than-life-batch (IGT: a batch_len beyond the
 * object is EINVAL); vi915: start + len beyond the object, and a start
 * beyond the object, are EINVAL.
 */
static void test_params_batch_too_big(int arg)
{
	struct exec_fixture f;

	(void)arg;
	fixture_init(&f);
	f.eb.batch_len = PAGE_SIZE + 8;
	RUN_FAIL(&f, EINVAL);
	f.eb.batch_len = 2 * PAGE_SIZE;
	RUN_FAIL(&f, EINVAL);
	f.eb.batch_start_offset = PAGE_SIZE - 8;
	f.eb.batch_len = 16;
	RUN_FAIL(&f, EINVAL);
	f.eb.batch_start_offset = PAGE_SIZE + 8;
	f.eb.batch_len = 0;
	RUN_FAIL(&f, EINVAL);
	f.eb.batch_start_offset = 0;
	f.eb.batch_len = PAGE_SIZE;	/* exactly the object */
	CHECK_RET(fixture_exec(&f), 0);
	fixture_fini(&f);
}

/*
 * gem_exec_params@batch-first (as IGT): two objects each holding a batch
 * that stores a different value into a target; without BATCH_FIRST the
 * last object runs, with it the first.
 */
static void test_params_batch_first(int arg)
{
	struct drm_i915_gem_exec_object2 obj[3];
	struct drm_i915_gem_execbuffer2 eb;
	struct bb first, last;
	uint32_t target = gem_create(PAGE_SIZE), a = gem_create(PAGE_SIZE), b = gem_create(PAGE_SIZE);

	(void)arg;
	bb_init(&first);
	bb_store_dword(&first, target, 0, 0x1111, true);
	bb_emit(&first, MI_BATCH_BUFFER_END);
	bb_init(&last);
	bb_store_dword(&last, target, 0, 0x2222, true);
	bb_emit(&last, MI_BATCH_BUFFER_END);
	gem_write(fd, a, 0, first.cs, 4 * first.n);
	gem_write(fd, b, 0, last.cs, 4 * last.n);

	memset(obj, 0, sizeof(obj));
	obj[0].handle = a;
	obj[0].relocs_ptr = (uintptr_t)first.reloc;
	obj[0].relocation_count = first.nr_relocs;
	obj[1].handle = target;
	obj[2].handle = b;
	obj[2].relocs_ptr = (uintptr_t)last.reloc;
	obj[2].relocation_count = last.nr_relocs;
	memset(&eb, 0, sizeof(eb));
	eb.buffers_ptr = (uintptr_t)obj;
	eb.buffer_count = 3;

	CHECK_RET(__gem_execbuf(fd, &eb), 0);
	if (read_dword(target, 0) != 0x2222)
		FAIL("without BATCH_FIRST the last object must run: target holds %#x",
		     read_dword(target, 0));
	eb.flags = I915_EXEC_BATCH_FIRST;
	CHECK_RET(__gem_execbuf(fd, &eb), 0);
	if (read_dword(target, 0) != 0x1111)
		FAIL("with BATCH_FIRST the first object must run: target holds %#x",
		     read_dword(target, 0));
	gem_close(fd, a);
	gem_close(fd, b);
	gem_close(fd, target);
}

/* gem_exec_params@vi915-duplicate-handle: the same handle twice -> EINVAL. */
static void test_params_duplicate(int arg)
{
	struct exec_fixture f;
	uint32_t other = gem_create(PAGE_SIZE);

	(void)arg;
	fixture_init(&f);
	f.obj[1] = f.obj[0];
	f.eb.buffer_count = 2;
	RUN_FAIL(&f, EINVAL);
	f.obj[0].handle = other;
	f.obj[1].handle = other;
	RUN_FAIL(&f, EINVAL);
	f.obj[1].handle = f.batch;	/* distinct: fine */
	CHECK_RET(fixture_exec(&f), 0);
	fixture_fini(&f);
	gem_close(fd, other);
}

/*
 * gem_exec_params@vi915-bad-pointers: an unreadable buffers_ptr or
 * relocs_ptr -> EFAULT (NULL, an unmapped page, a kernel address).
 */
static void test_params_bad_pointers(int arg)
{
	void *hole = mmap_anon(PAGE_SIZE, MAP_PRIVATE);
	const uint64_t bad[] = { 0, (uintptr_t)hole, 0xffff800000000000ull };
	struct drm_i915_gem_relocation_entry reloc = { 0 };
	struct exec_fixture f;

	(void)arg;
	munmap(hole, PAGE_SIZE);
	fixture_init(&f);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		f.eb.buffers_ptr = bad[i];
		RUN_FAIL(&f, EFAULT);
	}
	f.eb.buffers_ptr = (uintptr_t)f.obj;
	f.obj[0].relocation_count = 1;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		f.obj[0].relocs_ptr = bad[i];
		RUN_FAIL(&f, EFAULT);
	}
	/* a readable, valid relocation: fine */
	reloc.target_handle = f.batch;
	reloc.offset = 64;
	reloc.read_domains = I915_GEM_DOMAIN_INSTRUCTION;
	f.obj[0].relocs_ptr = (uintptr_t)&reloc;
	CHECK_RET(fixture_exec(&f), 0);
	fixture_fini(&f);
}

/*
 * gem_exec_params@vi915-object-fields: exec object flags outside
 * NEEDS_FENCE|NEEDS_GTT|WRITE|48B|PINNED|ASYNC|CAPTURE -> EINVAL (each of
 * those alone works: PINNED at the offset the object has, which the previous
 * call wrote back; at 0, the reserved start, EINVAL); rsvd1/rsvd2 != 0 -> EINVAL; alignment not a power of two
 * -> EINVAL (0 and powers of two are accepted; whether the object is
 * (re)placed at that alignment is only reported: the rules do not say).
 */
static void test_params_object_fields(int arg)
{
	const uint64_t ok = EXEC_OBJECT_NEEDS_FENCE | EXEC_OBJECT_NEEDS_GTT | EXEC_OBJECT_WRITE |
			    EXEC_OBJECT_SUPPORTS_48B_ADDRESS | EXEC_OBJECT_PINNED |
			    EXEC_OBJECT_ASYNC | EXEC_OBJECT_CAPTURE;
	static const uint64_t bad_align[] = { 3, 5, 4095, 4097, 3ull << 20, ~0ull };
	static const uint64_t good_align[] = { 0, 1, 4096, 1 << 16, 1 << 21 };
	struct exec_fixture f;
	uint32_t other = gem_create(PAGE_SIZE);

	(void)arg;
	fixture_init(&f);
	f.obj[1] = f.obj[0];
	f.obj[0] = (struct drm_i915_gem_exec_object2) { .handle = other };
	f.eb.buffer_count = 2;
	for (int bit = 0; bit < 64; bit++) {
		uint64_t flag = 1ull << bit;
		int ret, expected = (flag & ok) ? 0 : -EINVAL;

		f.obj[0].flags = flag;
		ret = fixture_exec(&f);
		if (ret != expected)
			FAIL("exec object flag bit %d: execbuf returned %s, expected %s", bit,
			     errname(ret), expected ? "EINVAL" : "success");
	}
	f.obj[0].flags = ok;
	CHECK_RET(fixture_exec(&f), 0);
	{
		uint64_t at = f.obj[0].offset;

		f.obj[0].flags = EXEC_OBJECT_PINNED;
		f.obj[0].offset = 0;
		RUN_FAIL(&f, EINVAL);
		f.obj[0].offset = at;
	}
	f.obj[0].flags = 0;
	f.obj[0].rsvd1 = 1;
	RUN_FAIL(&f, EINVAL);
	f.obj[0].rsvd1 = 0;
	f.obj[0].rsvd2 = 1;
	RUN_FAIL(&f, EINVAL);
	f.obj[0].rsvd2 = 0;
	for (size_t i = 0; i < ARRAY_SIZE(bad_align); i++) {
		f.obj[0].alignment = bad_align[i];
		RUN_FAIL(&f, EINVAL);
	}
	for (size_t i = 0; i < ARRAY_SIZE(good_align); i++) {
		f.obj[0].alignment = good_align[i];
		CHECK_RET(fixture_exec(&f), 0);
		/* placement is not part of the vi915 rules: only reported */
		if (good_align[i] > 1 && f.obj[0].offset % good_align[i])
			info("  note: alignment %#llx accepted, object left at %#llx\n",
			     (unsigned long long)good_align[i], (unsigned long long)f.obj[0].offset);
	}
	fixture_fini(&f);
	gem_close(fd, other);
}

/*
 * gem_exec_params@invalid-fence-in (IGT): FENCE_IN with rsvd2 = -1, or with
 * an fd that is not a sync_file (the DRM fd), is EINVAL.
 */
static void test_invalid_fence_in(int arg)
{
	struct exec_fixture f;
	int has = 0;

	(void)arg;
	if (__getparam(fd, I915_PARAM_HAS_EXEC_FENCE, &has) || !has)
		skip("no exec fences");
	fixture_init(&f);
	f.eb.flags |= I915_EXEC_FENCE_IN;
	f.eb.rsvd2 = -1;
	RUN_FAIL(&f, EINVAL);
	f.eb.rsvd2 = (uint32_t)fd;
	RUN_FAIL(&f, EINVAL);
	fixture_fini(&f);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("vi915-buffer-count-zero", test_execbuf_count_zero, 0, 0);
	add("vi915-bad-handle", test_execbuf_bad_handle, 0, 0);
	add("control", test_params_control, 0, 0);
	for (size_t i = 0; i < ARRAY_SIZE(bad_rings); i++)
		add(bad_rings[i].name, test_params_bad_ring, (int)i, 0);
	add("vi915-rings", test_params_rings, 0, 0);
	add("invalid-flag", test_params_invalid_flag, 0, 0);
	add("vi915-secure-rejected", test_params_secure, 0, 0);
	add("cliprects-invalid", test_params_dirt, DIRT_CLIPRECTS, 0);
	add("cliprects_ptr-dirt", test_params_dirt, DIRT_CLIPRECTS_PTR, 0);
	add("DR1-dirt", test_params_dirt, DIRT_DR1, 0);
	add("DR4-dirt", test_params_dirt, DIRT_DR4, 0);
	add("rsvd2-dirt", test_params_dirt, DIRT_RSVD2, 0);
	add("invalid-fence-in", test_invalid_fence_in, 0, 0);
	add("invalid-batch-start-offset", test_params_batch_start, 0, 0);
	add("larger-than-life-batch", test_params_batch_too_big, 0, 0);
	add("batch-first", test_params_batch_first, 0, 0);
	add("vi915-duplicate-handle", test_params_duplicate, 0, 0);
	add("vi915-bad-pointers", test_params_bad_pointers, 0, 0);
	add("vi915-object-fields", test_params_object_fields, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_exec_params", build_subtest_table);
}
