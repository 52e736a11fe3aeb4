// SPDX-License-Identifier: GPL-2.0
/*
 * gem_mmap - vi915 uAPI subtests mirroring IGT's gem_mmap: GEM_MMAP (a CPU
 * mapping of an object, write-back or, with I915_MMAP_WC, write-combined).
 *
 * README ("uAPI"): flags other than I915_MMAP_WC -> EINVAL; bad handle ->
 * ENOENT; a userptr -> ENXIO (no CPU mmap types: only its GTT path follows
 * the protocol that revokes its pages); offset/size outside the object, size
 * 0 or an offset inside a page -> EINVAL. The mapping is a VMA of the DRM file at
 * the object's fake offset (from the page asked for): it maps the object's
 * own pages, outlives the handle, and SET_TILING revokes it like a GTT mmap.
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_mmap [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "uapi_common.h"

#define OBJ_SIZE	(4 * PAGE_SIZE)

/* gem_mmap@bad-object (as IGT): 0xdeadbeef, real | (1 << 16..31), real + 1. */
static void test_bad_object(int arg)
{
	uint32_t real = gem_create(PAGE_SIZE), handles[24];
	void *ptr;
	size_t n;

	(void)arg;
	bad_handles(real, handles, &n);
	for (size_t i = 0; i < n; i++) {
		int ret = __gem_mmap(fd, handles[i], 0, PAGE_SIZE, 0, &ptr);

		if (ret != -ENOENT)
			FAIL("GEM_MMAP(handle %#x) returned %s, expected ENOENT", handles[i],
			     errname(ret));
	}
	gem_close(fd, real);
}

/* gem_mmap@bad-offset (as IGT): offsets past or around the end -> EINVAL. */
static void test_bad_offset(int arg)
{
	static const struct { uint64_t size, offset; } bad[] = {
		{ 4096, 4097 }, { 4096, -4096ull }, { 4096, ~0ull },
		{ 8192, -4096ull }, { 0, 0 }, { 4096, 4096 },
	};
	uint32_t h = gem_create(PAGE_SIZE);
	void *ptr;

	(void)arg;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		int ret = __gem_mmap(fd, h, bad[i].offset, bad[i].size, 0, &ptr);

		if (ret != -EINVAL)
			FAIL("GEM_MMAP(offset %#llx, size %llu) returned %s, expected EINVAL",
			     (unsigned long long)bad[i].offset, (unsigned long long)bad[i].size,
			     errname(ret));
	}
	gem_close(fd, h);
}

/* gem_mmap@bad-size (as IGT): sizes 0, -4096, 4097, 8192, ~0 at offsets 4096, 0. */
static void test_bad_size(int arg)
{
	static const uint64_t sizes[] = { 0, -4096ull, 4097, 8192, ~0ull };
	static const uint64_t offsets[] = { 4096, 0 };
	uint32_t h = gem_create(PAGE_SIZE);
	void *ptr;

	(void)arg;
	for (size_t o = 0; o < ARRAY_SIZE(offsets); o++)
		for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
			int ret = __gem_mmap(fd, h, offsets[o], sizes[i], 0, &ptr);

			if (ret != -EINVAL)
				FAIL("GEM_MMAP(offset %llu, size %#llx) returned %s, expected EINVAL",
				     (unsigned long long)offsets[o],
				     (unsigned long long)sizes[i], errname(ret));
		}
	gem_close(fd, h);
}

/*
 * gem_mmap@basic (as IGT): a new object reads as zeros, a PWRITE shows
 * through the mapping, and the mapping outlives the handle.
 */
static void test_basic(int arg)
{
	uint32_t h = gem_create(OBJ_SIZE), buf[OBJ_SIZE / 4];
	uint32_t *map;

	(void)arg;
	CHECK_RET(__gem_mmap(fd, h, 0, OBJ_SIZE, 0, (void **)&map), 0);
	for (size_t i = 0; i < OBJ_SIZE / 4; i++)
		if (map[i])
			FAIL("new object: word %zu is %#x through GEM_MMAP", i, map[i]);
	fill_pattern(buf, OBJ_SIZE, 0x4d4d);
	gem_write(fd, h, 0, buf, OBJ_SIZE);
	check_pattern(map, OBJ_SIZE, 0x4d4d, "GEM_MMAP after PWRITE");
	gem_close(fd, h);
	check_pattern(map, OBJ_SIZE, 0x4d4d, "GEM_MMAP after GEM_CLOSE");
	CHECK(munmap(map, OBJ_SIZE) == 0);
}

/* gem_mmap@short-mmap (as IGT): a mapping of the first page of a bigger object. */
static void test_short_mmap(int arg)
{
	uint32_t h = gem_create(OBJ_SIZE), buf[PAGE_SIZE / 4];
	uint32_t *map;

	(void)arg;
	fill_pattern(buf, PAGE_SIZE, 0x5151);
	gem_write(fd, h, 0, buf, PAGE_SIZE);
	CHECK_RET(__gem_mmap(fd, h, 0, PAGE_SIZE, 0, (void **)&map), 0);
	check_pattern(map, PAGE_SIZE, 0x5151, "one-page GEM_MMAP");
	CHECK(munmap(map, PAGE_SIZE) == 0);
	gem_close(fd, h);
}

/*
 * gem_mmap@vi915-wc-and-offset: vi915 extension. A WC mapping and a WB
 * mapping of the same object alias its pages (a write through one is read
 * through the other and by PREAD); a mapping may start at any page of the
 * object, as i915's (an offset inside a page is EINVAL, vm_mmap's answer);
 * unknown flags are EINVAL, checked before the handle.
 */
static void test_wc_and_offset(int arg)
{
	uint32_t h = gem_create(OBJ_SIZE), buf[OBJ_SIZE / 4];
	uint32_t *wb, *wc, *tail;
	void *ptr;

	(void)arg;
	CHECK_RET(__gem_mmap(fd, h, 0, OBJ_SIZE, 2, &ptr), -EINVAL);
	CHECK_RET(__gem_mmap(fd, 0xdeadbeef, 0, OBJ_SIZE, ~0ull, &ptr), -EINVAL);
	CHECK_RET(__gem_mmap(fd, h, 0, OBJ_SIZE, 0, (void **)&wb), 0);
	CHECK_RET(__gem_mmap(fd, h, 0, OBJ_SIZE, I915_MMAP_WC, (void **)&wc), 0);
	CHECK(wb != wc);
	fill_pattern(wb, OBJ_SIZE, 0x6262);
	check_pattern(wc, OBJ_SIZE, 0x6262, "WC mapping after a write through WB");
	gem_read(fd, h, 0, buf, OBJ_SIZE);
	check_pattern(buf, OBJ_SIZE, 0x6262, "PREAD after a write through WB");
	fill_pattern(wc, OBJ_SIZE, 0x7373);
	check_pattern(wb, OBJ_SIZE, 0x7373, "WB mapping after a write through WC");
	CHECK_RET(__gem_mmap(fd, h, 2 * PAGE_SIZE + 64, 2 * PAGE_SIZE, 0, (void **)&tail),
		  -EINVAL);
	CHECK_RET(__gem_mmap(fd, h, 0, 2 * PAGE_SIZE, 0, (void **)&tail), 0);
	CHECK(tail[0] == wb[0] && tail[PAGE_SIZE / 4] == wb[PAGE_SIZE / 4]);
	munmap(tail, 2 * PAGE_SIZE);
	CHECK_RET(__gem_mmap(fd, h, OBJ_SIZE - 2 * PAGE_SIZE, 2 * PAGE_SIZE, I915_MMAP_WC,
			     (void **)&tail), 0);
	/* The pattern's dword i is seed + i * 0x9e3779b9 (uapi_common.c). */
	check_pattern(tail, 2 * PAGE_SIZE,
		      0x7373u + (uint32_t)((OBJ_SIZE - 2 * PAGE_SIZE) / 4) * 0x9e3779b9u,
		      "a GEM_MMAP of the last two pages");
	munmap(tail, 2 * PAGE_SIZE);
	munmap(wc, OBJ_SIZE);
	munmap(wb, OBJ_SIZE);
	gem_close(fd, h);
}

/*
 * gem_mmap@vi915-userptr-enxio: vi915 extension. A userptr has no CPU mmap
 * (ENXIO, i915's answer for an object without a backing file), WB or WC.
 */
static void test_userptr_enxio(int arg)
{
	void *user = mmap_anon(PAGE_SIZE, MAP_SHARED), *ptr;
	uint32_t up = gem_userptr(user, PAGE_SIZE, 0);

	(void)arg;
	CHECK_RET(__gem_mmap(fd, up, 0, PAGE_SIZE, 0, &ptr), -ENXIO);
	CHECK_RET(__gem_mmap(fd, up, 0, PAGE_SIZE, I915_MMAP_WC, &ptr), -ENXIO);
	gem_close(fd, up);
	munmap(user, PAGE_SIZE);
}

/* Minor page faults of this process so far. */
static long minor_faults(void)
{
	struct rusage ru;

	CHECK(getrusage(RUSAGE_SELF, &ru) == 0);
	return ru.ru_minflt;
}

/*
 * gem_mmap@vi915-revoked-by-tiling: vi915 extension. SET_TILING revokes a
 * GEM_MMAP like a GTT mmap: its PTEs go, so the next access faults (the
 * process's minor faults count it; a PFN map is a hole to /proc/self/pagemap)
 * and finds the same pages.
 */
static void test_revoked_by_tiling(int arg)
{
	uint32_t h = gem_create(OBJ_SIZE);
	volatile uint32_t *map;
	long before;

	(void)arg;
	CHECK_RET(__gem_mmap(fd, h, 0, OBJ_SIZE, 0, (void **)&map), 0);
	fill_pattern((uint32_t *)map, OBJ_SIZE, 0x8484);
	before = minor_faults();
	(void)map[0];
	if (minor_faults() != before)
		FAIL("a read through a mapped GEM_MMAP faulted");
	gem_set_tiling(h, I915_TILING_X, 512);
	before = minor_faults();
	(void)map[0];
	if (minor_faults() == before)
		FAIL("SET_TILING left the GEM_MMAP's PTEs in place (no fault on the next read)");
	check_pattern(map, OBJ_SIZE, 0x8484, "GEM_MMAP refaulted after SET_TILING");
	munmap((void *)map, OBJ_SIZE);
	gem_close(fd, h);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("bad-object", test_bad_object, 0, 0);
	add("bad-offset", test_bad_offset, 0, 0);
	add("bad-size", test_bad_size, 0, 0);
	add("basic", test_basic, 0, 0);
	add("short-mmap", test_short_mmap, 0, 0);
	add("vi915-wc-and-offset", test_wc_and_offset, 0, 0);
	add("vi915-userptr-enxio", test_userptr_enxio, 0, 0);
	add("vi915-revoked-by-tiling", test_revoked_by_tiling, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_mmap", build_subtest_table);
}
