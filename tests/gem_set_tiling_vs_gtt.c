// SPDX-License-Identifier: GPL-2.0
/*
 * gem_set_tiling_vs_gtt - vi915 uAPI subtests mirroring IGT's
 * gem_set_tiling_vs_gtt: a tiling change unbinds the object and revokes its
 * GTT mappings, which then refault; SET_TILING / GET_TILING modes and the
 * Gen9 stride rules.
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_set_tiling_vs_gtt [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <sys/mman.h>

#include "uapi_common.h"

/*
 * gem_set_tiling_vs_gtt@vi915-revoke-refault: vi915 extension of
 * gem_set_tiling_vs_gtt (IGT then expects the GTT view to be retiled,
 * which vi915 deliberately does not do).  README: a tiling change unbinds
 * the object and revokes its CPU mappings: the next access through the
 * same mapping refaults (the object is bound again: only the fault handler
 * binds) and still reads the object's bytes.  The same tiling again is no
 * change: nothing is unbound.
 */
static void test_tiling_revoke(int arg)
{
	const size_t size = 4 * PAGE_SIZE;
	uint32_t h = gem_create(size);
	uint32_t buf[4 * PAGE_SIZE / 4];
	struct aperture ap0, ap;
	struct vi_counters c0, c;
	volatile uint32_t *map;

	(void)arg;
	fill_pattern(buf, size, 0x5150);
	gem_write(fd, h, 0, buf, size);
	get_aperture(&ap0);
	check_counters(&c0);

	map = gem_mmap_gtt(fd, h, size, PROT_READ | PROT_WRITE);
	check_pattern(map, size, 0x5150, "GTT mmap before the tiling change");
	get_aperture(&ap);
	check_counters(&c);
	if (ap0.aper_available_size - ap.aper_available_size != size ||
	    counter_delta(&c0, &c, VI_GGTT_BOUND) != 1)
		FAIL("after the GTT fault: available %llu -> %llu, ggtt_bound %lld -> %lld; "
		     "expected the object (%zu bytes) bound", ap0.aper_available_size,
		     ap.aper_available_size, c0.v[VI_GGTT_BOUND], c.v[VI_GGTT_BOUND], size);

	gem_set_tiling(h, I915_TILING_X, 512);		/* a change: unbind + revoke */
	get_aperture(&ap);
	check_counters(&c);
	if (ap.aper_available_size != ap0.aper_available_size ||
	    counter_delta(&c0, &c, VI_GGTT_BOUND) != 0)
		FAIL("after SET_TILING(NONE -> X): available %llu (%llu before the fault), "
		     "ggtt_bound %lld (%lld); expected the object unbound",
		     ap.aper_available_size, ap0.aper_available_size, c.v[VI_GGTT_BOUND],
		     c0.v[VI_GGTT_BOUND]);

	/* the old PTEs are gone: this read must fault, which binds again */
	check_pattern(map, size, 0x5150, "GTT mmap after the tiling change (refault)");
	get_aperture(&ap);
	check_counters(&c);
	if (ap0.aper_available_size - ap.aper_available_size != size ||
	    counter_delta(&c0, &c, VI_GGTT_BOUND) != 1)
		FAIL("reading through the mapping after SET_TILING did not refault: available "
		     "%llu (%llu before), ggtt_bound %lld (%lld before); the mapping was not "
		     "revoked", ap.aper_available_size, ap0.aper_available_size,
		     c.v[VI_GGTT_BOUND], c0.v[VI_GGTT_BOUND]);
	map[1] = 0xfeedface;				/* writes land in the object */
	buf[1] = 0;
	gem_read(fd, h, 4, &buf[1], 4);
	CHECK(buf[1] == 0xfeedface);

	gem_set_tiling(h, I915_TILING_X, 512);		/* no change */
	get_aperture(&ap);
	if (ap0.aper_available_size - ap.aper_available_size != size)
		FAIL("SET_TILING to the same tiling unbound the object (available %llu)",
		     ap.aper_available_size);

	munmap((void *)map, size);
	gem_close(fd, h);
	get_aperture(&ap);
	if (ap.aper_available_size != ap0.aper_available_size)
		FAIL("closing the object did not give its GGTT range back (available %llu, "
		     "%llu before)", ap.aper_available_size, ap0.aper_available_size);
}

/* ======================================================================== */
/* Subtest table                                                             */
/*
 * gem_set_tiling_vs_gtt@vi915-tiling-modes: vi915 extension.  README:
 * NONE/X/Y, Gen9 stride rules (X: multiple of 512, Y: multiple of 128,
 * <= 256 KiB), SET_TILING returns the tiling, swizzle 0; GET_TILING
 * returns the mode, swizzle 0.
 */
static void test_tiling_modes(int arg)
{
	static const struct { uint32_t mode, stride; int ret; } cases[] = {
		{ I915_TILING_X, 512, 0 }, { I915_TILING_X, 1024, 0 },
		{ I915_TILING_X, 256 * 1024, 0 }, { I915_TILING_X, 128, -EINVAL },
		{ I915_TILING_X, 256, -EINVAL }, { I915_TILING_X, 768, -EINVAL },
		{ I915_TILING_X, 0, -EINVAL }, { I915_TILING_X, 256 * 1024 + 512, -EINVAL },
		{ I915_TILING_Y, 128, 0 }, { I915_TILING_Y, 384, 0 }, { I915_TILING_Y, 2048, 0 },
		{ I915_TILING_Y, 256 * 1024, 0 }, { I915_TILING_Y, 64, -EINVAL },
		{ I915_TILING_Y, 100, -EINVAL }, { I915_TILING_Y, 0, -EINVAL },
		{ I915_TILING_Y, 256 * 1024 + 128, -EINVAL },
		{ I915_TILING_NONE, 0, 0 }, { I915_TILING_NONE, 77, 0 },
		{ 3, 512, -EINVAL }, { 4, 512, -EINVAL }, { ~0u, 512, -EINVAL },
	};
	uint32_t h = gem_create(16 * PAGE_SIZE);
	struct drm_i915_gem_get_tiling gt;
	uint32_t cur = I915_TILING_NONE;

	(void)arg;
	CHECK_RET(__get_tiling(h, &gt), 0);
	CHECK(gt.tiling_mode == I915_TILING_NONE);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct drm_i915_gem_set_tiling st;
		int ret = __set_tiling_raw(h, cases[i].mode, cases[i].stride, &st);

		if (ret != cases[i].ret)
			FAIL("SET_TILING(mode %u, stride %u) returned %s, expected %s",
			     cases[i].mode, cases[i].stride, errname(ret),
			     cases[i].ret ? "EINVAL" : "success");
		if (ret == 0) {
			uint32_t want_stride = cases[i].mode == I915_TILING_NONE ? 0 : cases[i].stride;

			cur = cases[i].mode;
			if (st.tiling_mode != cur || st.swizzle_mode != 0 || st.stride != want_stride)
				FAIL("SET_TILING(mode %u, stride %u) returned mode %u, stride %u, "
				     "swizzle %u; expected mode %u, stride %u, swizzle 0",
				     cases[i].mode, cases[i].stride, st.tiling_mode, st.stride,
				     st.swizzle_mode, cur, want_stride);
		}
		CHECK_RET(__get_tiling(h, &gt), 0);
		if (gt.tiling_mode != cur || gt.swizzle_mode != 0 || gt.phys_swizzle_mode != 0)
			FAIL("after case %zu GET_TILING says mode %u, swizzle %u, phys_swizzle %u; "
			     "expected mode %u, swizzle 0, phys_swizzle 0", i, gt.tiling_mode,
			     gt.swizzle_mode, gt.phys_swizzle_mode, cur);
	}
	CHECK_RET(__get_tiling(h + 1000, &gt), -ENOENT);
	CHECK_RET(__set_tiling_raw(h + 1000, I915_TILING_X, 512, NULL), -ENOENT);
	gem_close(fd, h);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("vi915-revoke-refault", test_tiling_revoke, 0, 0);
	add("vi915-tiling-modes", test_tiling_modes, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_set_tiling_vs_gtt", build_subtest_table);
}
