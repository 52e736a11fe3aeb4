// SPDX-License-Identifier: GPL-2.0
/*
 * gem_softpin - vi915 uAPI subtests mirroring IGT's gem_softpin: softpin
 * (EXEC_OBJECT_PINNED) places an object at the offset userspace chose, in
 * vi915's one global GGTT (4 GiB, the first 64 KiB never handed out).
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_softpin [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <unistd.h>

#include "uapi_common.h"

#define PIN_AT	(3ull << 30)	/* far above what the suite's objects use */

/* Execbuf of one pinned target and a batch (@cs, @n dwords), no relocations. */
static int exec_pinned(uint32_t target, uint64_t offset, const uint32_t *cs, unsigned int n,
		       uint64_t *offset_out)
{
	struct drm_i915_gem_exec_object2 obj[2] = {
		{ .handle = target, .offset = offset,
		  .flags = EXEC_OBJECT_PINNED | EXEC_OBJECT_WRITE },
		{ .handle = gem_create(PAGE_SIZE) },
	};
	struct drm_i915_gem_execbuffer2 eb = {
		.buffers_ptr = (uintptr_t)obj, .buffer_count = 2, .flags = I915_EXEC_BLT,
	};
	int ret;

	gem_write(fd, obj[1].handle, 0, cs, 4 * n);
	ret = __gem_execbuf(fd, &eb);
	if (!ret)
		CHECK_RET(__gem_wait(fd, obj[1].handle, NULL), 0);
	gem_close(fd, obj[1].handle);
	if (offset_out)
		*offset_out = obj[0].offset;
	return ret;
}

static int pin(uint32_t target, uint64_t offset)
{
	static const uint32_t bbe[] = { MI_BATCH_BUFFER_END, 0 };

	return exec_pinned(target, offset, bbe, 2, NULL);
}

/*
 * Pin at a range a closed object held: the engine drops its last reference
 * to a retired request's objects just after their fence signals, so the
 * range may be free a moment after GEM_CLOSE rather than at once.
 */
static int pin_freed(uint32_t target, uint64_t offset)
{
	int ret, tries = 0;

	while ((ret = pin(target, offset)) == -ENOSPC && tries++ < 200)
		usleep(5000);
	return ret;
}

/*
 * gem_softpin@vi915-softpin-ggtt: the object lands where it was pinned (the
 * offset comes back unchanged), a batch writes there by address with no
 * relocation, the same offset again is fine, another one moves it (as i915
 * rebinds a misplaced object; a batch then writes at the new address), and
 * a new object takes the range once the first is closed.
 */
static void test_softpin_ggtt(int arg)
{
	uint32_t h = gem_create(PAGE_SIZE), h2;
	uint32_t cs[] = {
		MI_STORE_DWORD | MI_USE_GGTT, (uint32_t)(PIN_AT + 64), (uint32_t)(PIN_AT >> 32),
		0xc0ffee, MI_BATCH_BUFFER_END, 0,
	};
	uint64_t got = 0;

	(void)arg;
	CHECK_RET(exec_pinned(h, PIN_AT, cs, ARRAY_SIZE(cs), &got), 0);
	if (got != PIN_AT)
		FAIL("pinned at %#llx, the offset came back as %#llx", (unsigned long long)PIN_AT,
		     (unsigned long long)got);
	if (read_dword(h, 64) != 0xc0ffee)
		FAIL("the batch's store to the pinned address did not land: %#x",
		     read_dword(h, 64));
	CHECK_RET(pin(h, PIN_AT), 0);
	cs[1] = (uint32_t)(PIN_AT + (1 << 20) + 128);
	cs[3] = 0xbeef;
	CHECK_RET(exec_pinned(h, PIN_AT + (1 << 20), cs, ARRAY_SIZE(cs), &got), 0);
	if (got != PIN_AT + (1 << 20) || read_dword(h, 128) != 0xbeef)
		FAIL("pinned again 1 MiB further: at %#llx, the store there read %#x",
		     (unsigned long long)got, read_dword(h, 128));
	gem_close(fd, h);
	h2 = gem_create(PAGE_SIZE);
	CHECK_RET(pin_freed(h2, PIN_AT), 0);
	gem_close(fd, h2);
}

/*
 * gem_softpin@vi915-softpin-invalid: IGT's gem_softpin@invalid: off a page,
 * below 64 KiB (the reserved start, address 0 included), past the 4 GiB
 * GGTT, or ending past it: EINVAL; also an offset off the object's alignment.
 */
static void test_softpin_invalid(int arg)
{
	static const uint64_t bad[] = {
		PIN_AT + 8, 0, 4096, 1ull << 32, 1ull << 47, (1ull << 32) - 4096,
	};
	uint32_t h = gem_create(2 * PAGE_SIZE);
	struct exec_fixture f;

	(void)arg;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if (pin(h, bad[i]) != -EINVAL)
			FAIL("softpin at %#llx of 8 KiB was not EINVAL",
			     (unsigned long long)bad[i]);
	fixture_init(&f);
	f.obj[0].flags = EXEC_OBJECT_PINNED;
	f.obj[0].offset = PIN_AT + 4096;
	f.obj[0].alignment = 1 << 16;
	RUN_FAIL(&f, EINVAL);
	fixture_fini(&f);
	gem_close(fd, h);
}

/*
 * gem_softpin@vi915-softpin-overlap: a range an earlier execbuf's binding
 * holds is taken, that binding evicted (as i915 evicts for a node; the
 * evicted object is bound elsewhere next time, and a store through a
 * relocation lands); two objects of one execbuf that overlap are ENOSPC.
 */
static void test_softpin_overlap(int arg)
{
	uint32_t a = gem_create(2 * PAGE_SIZE), b = gem_create(2 * PAGE_SIZE);
	struct drm_i915_gem_exec_object2 eo[3];
	struct bb bb;

	(void)arg;
	CHECK_RET(pin(a, PIN_AT), 0);
	CHECK_RET(pin(b, PIN_AT + PAGE_SIZE), 0);
	CHECK_RET(pin(a, PIN_AT - PAGE_SIZE), 0);
	CHECK_RET(pin(b, PIN_AT + 2 * PAGE_SIZE), 0);
	bb_init(&bb);
	bb_store_dword(&bb, a, 64, 0xa11a, true);
	bb_store_dword(&bb, b, 64, 0xb11b, true);
	bb_emit(&bb, MI_BATCH_BUFFER_END);
	{
		uint32_t t[2] = { a, b };

		CHECK_RET(bb_exec(&bb, t, 2, I915_EXEC_BLT, NULL, eo), 0);
	}
	if (read_dword(a, 64) != 0xa11a || read_dword(b, 64) != 0xb11b)
		FAIL("stores after the evictions: %#x, %#x", read_dword(a, 64), read_dword(b, 64));
	if (eo[0].offset == eo[1].offset)
		FAIL("two objects at one offset %#llx", (unsigned long long)eo[0].offset);
	gem_close(fd, a);
	gem_close(fd, b);
	a = gem_create(PAGE_SIZE);
	b = gem_create(PAGE_SIZE);
	CHECK_RET(pin_freed(a, PIN_AT), 0);
	{
		struct drm_i915_gem_exec_object2 obj[3] = {
			{ .handle = a, .offset = PIN_AT, .flags = EXEC_OBJECT_PINNED },
			{ .handle = b, .offset = PIN_AT, .flags = EXEC_OBJECT_PINNED },
			{ .handle = bbe_batch() },
		};
		struct drm_i915_gem_execbuffer2 eb = {
			.buffers_ptr = (uintptr_t)obj, .buffer_count = 3,
		};

		CHECK_RET(__gem_execbuf(fd, &eb), -ENOSPC);
		gem_close(fd, obj[2].handle);
	}
	gem_close(fd, a);
	gem_close(fd, b);
}

/*
 * gem_softpin@vi915-softpin-probe: IGT's gem_detect_min_start_offset(), which
 * every allocator user (gem_exec_store, gem_linear_blits, gem_close_race)
 * runs first: a fresh context, a 4 KiB batch pinned at 0, 4 KiB, 8 KiB, ...
 * (doubling) on the default ring until one is accepted; it asserts if none
 * is below 2^48. Here one must be accepted inside the GGTT.
 */
static void test_softpin_probe(int arg)
{
	uint32_t ctx = ctx_create();
	uint64_t offset;

	(void)arg;
	for (offset = 0; offset < 1ull << 48; offset = offset ? offset * 2 : PAGE_SIZE) {
		struct drm_i915_gem_exec_object2 obj = {
			.handle = bbe_batch(), .offset = offset,
			.flags = EXEC_OBJECT_PINNED |
				 (offset >= 1ull << 32 ? EXEC_OBJECT_SUPPORTS_48B_ADDRESS : 0),
		};
		struct drm_i915_gem_execbuffer2 eb = {
			.buffers_ptr = (uintptr_t)&obj, .buffer_count = 1, .rsvd1 = ctx,
		};
		int ret = __gem_execbuf(fd, &eb);

		if (!ret)
			CHECK_RET(__gem_wait(fd, obj.handle, NULL), 0);
		gem_close(fd, obj.handle);
		if (!ret)
			break;
	}
	info("the probe's batch was accepted at %#llx", (unsigned long long)offset);
	if (offset >= 1ull << 32)
		FAIL("no softpin offset below 4 GiB was accepted (IGT's probe would assert)");
	ctx_destroy(ctx);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("vi915-softpin-ggtt", test_softpin_ggtt, 0, 0);
	add("vi915-softpin-invalid", test_softpin_invalid, 0, 0);
	add("vi915-softpin-overlap", test_softpin_overlap, 0, 0);
	add("vi915-softpin-probe", test_softpin_probe, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_softpin", build_subtest_table);
}
