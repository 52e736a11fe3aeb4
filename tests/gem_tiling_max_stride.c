// SPDX-License-Identifier: GPL-2.0
/*
 * gem_tiling_max_stride - vi915 uAPI tests mirroring IGT's gem_tiling_max_stride
 * (an IGT test without subtests: so is this program).
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_tiling_max_stride [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "uapi_common.h"

/*
 * gem_tiling_max_stride (as IGT, Gen9: max stride 256 KiB, tile_width 512,
 * tile_height 8): the invalid strides for X and Y -> EINVAL; X at the
 * maximum stride works.  IGT then checks that the GTT view of the object
 * is detiled; vi915 has no fences (README "Deliberate differences": tiling
 * does not change the bytes seen through a GTT mmap), so here the bytes
 * must come back unchanged.
 */
static void test_tiling_max_stride(int arg)
{
	const uint32_t stride = 256 * 1024, tile_width = 512, tile_height = 8;
	const uint32_t size = stride * tile_height;
	const uint32_t invalid[] = {
		0, 64, stride - 1, stride + 1, stride + 127, stride + 128,
		stride + tile_width - 1, stride + tile_width, stride * 2, INT_MAX, UINT_MAX,
	};
	uint32_t h = gem_create(size);
	uint32_t *ptr = gem_mmap_gtt(fd, h, size, PROT_READ | PROT_WRITE);
	uint32_t *data = malloc(size);

	(void)arg;
	CHECK(data);
	for (size_t i = 0; i < ARRAY_SIZE(invalid); i++) {
		for (uint32_t mode = I915_TILING_X; mode <= I915_TILING_Y; mode++) {
			int ret = __set_tiling_raw(h, mode, invalid[i], NULL);

			if (ret != -EINVAL)
				FAIL("SET_TILING(mode %u, stride %u) returned %s, expected EINVAL",
				     mode, invalid[i], errname(ret));
		}
	}
	gem_set_tiling(h, I915_TILING_X, stride);
	CHECK_RET(__gem_set_domain(fd, h, I915_GEM_DOMAIN_GTT, I915_GEM_DOMAIN_GTT), 0);
	fill_pattern(data, size, 0x42);
	memcpy(ptr, data, size);
	gem_set_tiling(h, I915_TILING_NONE, 0);
	memcpy(data, ptr, size);
	check_pattern(data, size, 0x42, "GTT view after X(max stride) -> NONE");
	munmap(ptr, size);
	free(data);
	gem_close(fd, h);
}

/* ======================================================================== */

static void build_subtest_table(void)
{
	add("", test_tiling_max_stride, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_tiling_max_stride", build_subtest_table);
}
