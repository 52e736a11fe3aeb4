// SPDX-License-Identifier: GPL-2.0
/*
 * gem_mmap_offset - vi915 uAPI subtests mirroring IGT's gem_mmap_offset:
 * MMAP_OFFSET of bad handles, bad flags and extensions, and the mappings of
 * every type (GTT, WC, WB, UC, FIXED: one offset, the object's, see
 * README; a userptr has the GTT type only), whole or from any page on.
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_mmap_offset [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "uapi_common.h"

static const uint64_t all_types[] = {
	I915_MMAP_OFFSET_GTT, I915_MMAP_OFFSET_WC, I915_MMAP_OFFSET_WB, I915_MMAP_OFFSET_UC,
	I915_MMAP_OFFSET_FIXED,
};
static const char *const type_names[] = { "GTT", "WC", "WB", "UC", "FIXED" };

/* gem_mmap_offset@bad-object (as IGT, for every type). */
static void test_mmap_offset_bad_object(int arg)
{
	const uint64_t *types = all_types;
	uint32_t real = gem_create(PAGE_SIZE), handles[24];
	size_t n;

	(void)arg;
	bad_handles(real, handles, &n);
	for (size_t t = 0; t < ARRAY_SIZE(all_types); t++) {
		CHECK_RET(__mmap_offset(fd, real, types[t], 0, NULL), 0);
		for (size_t i = 0; i < n; i++) {
			int ret = __mmap_offset(fd, handles[i], types[t], 0, NULL);

			if (ret != -ENOENT)
				FAIL("MMAP_OFFSET(handle %#x, flags %llu) returned %s, expected ENOENT",
				     handles[i], (unsigned long long)types[t], errname(ret));
		}
	}
	gem_close(fd, real);
}

/* gem_mmap_offset@bad-flags (as IGT): flags -1 -> EINVAL. */
static void test_mmap_offset_bad_flags(int arg)
{
	uint32_t h = gem_create(PAGE_SIZE);

	(void)arg;
	CHECK_RET(__mmap_offset(fd, h, ~0ull, 0, NULL), -EINVAL);
	gem_close(fd, h);
}

/*
 * gem_mmap_offset@vi915-flags: vi915 extension. README: same ioctl nr as
 * MMAP_GTT; flags GTT(0), WC(1), WB(2), UC(3), FIXED(4), anything else
 * EINVAL, checked before the handle. Every type answers the object's one
 * offset (MMAP_GTT's too: drm_gem_mmap finds an object by its offset
 * exactly), and it maps the object. A userptr has the GTT type only ("works
 * on userptr (2017)"); its CPU types are ENODEV.
 */
static void test_mmap_offset_flags(int arg)
{
	static const uint64_t bad[] = { 5, 6, 8, 0x10, 1ull << 32, 1ull << 63 };
	const size_t size = 2 * PAGE_SIZE;
	uint32_t h = gem_create(size), up;
	uint64_t off[ARRAY_SIZE(all_types)], off_legacy;
	uint32_t *user = mmap_anon(size, MAP_SHARED);
	uint32_t buf[2 * PAGE_SIZE / 4];
	void *map;

	(void)arg;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		int ret = __mmap_offset(fd, h, bad[i], 0, NULL);
		int ret2 = __mmap_offset(fd, 0xdeadbeef, bad[i], 0, NULL);

		if (ret != -EINVAL || ret2 != -EINVAL)
			FAIL("MMAP_OFFSET(flags %#llx) returned %s (bad handle: %s), expected EINVAL",
			     (unsigned long long)bad[i], errname(ret), errname(ret2));
	}
	fill_pattern(buf, size, 0x777);
	gem_write(fd, h, 0, buf, size);
	for (size_t t = 0; t < ARRAY_SIZE(all_types); t++) {
		CHECK_RET(__mmap_offset(fd, h, all_types[t], 0, &off[t]), 0);
		map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, off[t]);
		if (map == MAP_FAILED)
			FAIL("mmap of MMAP_OFFSET(%s): %s", type_names[t], errname(-errno));
		check_pattern(map, size, 0x777, type_names[t]);
		munmap(map, size);
	}
	off_legacy = gem_mmap_gtt_offset(fd, h);
	for (size_t t = 0; t < ARRAY_SIZE(all_types); t++)
		CHECK(off[t] != 0 && off[t] == off_legacy);
	gem_close(fd, h);

	/* on a userptr */
	fill_pattern(user, size, 0x999);
	up = gem_userptr(user, size, 0);
	CHECK_RET(__mmap_offset(fd, up, I915_MMAP_OFFSET_FIXED, 0, &off[4]), 0);
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off[4]);
	CHECK(map != MAP_FAILED);
	check_pattern(map, size, 0x999, "MMAP_OFFSET(FIXED) mapping of a userptr");
	munmap(map, size);
	for (size_t t = 1; t <= 3; t++)
		CHECK_RET(__mmap_offset(fd, up, all_types[t], 0, NULL), -ENODEV);
	gem_close(fd, up);
	munmap(user, size);
}

/*
 * gem_mmap_offset@basic-uaf (as IGT, every type): a new object reads as
 * zeros, PWRITE shows through the mapping, a write through it shows in
 * PREAD, and the mapping outlives the handle.
 */
static void test_basic_uaf(int arg)
{
	const size_t size = 4 * PAGE_SIZE;
	uint32_t buf[4 * PAGE_SIZE / 4];

	(void)arg;
	for (size_t t = 0; t < 4; t++) {
		uint32_t h = gem_create(size);
		uint64_t off;
		uint32_t *map;

		CHECK_RET(__mmap_offset(fd, h, all_types[t], 0, &off), 0);
		map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
		CHECK(map != MAP_FAILED);
		for (size_t i = 0; i < size / 4; i++)
			if (map[i])
				FAIL("%s: word %zu of a new object is %#x", type_names[t], i, map[i]);
		fill_pattern(buf, size, 0xa0 + t);
		gem_write(fd, h, 0, buf, size);
		check_pattern(map, size, 0xa0 + t, type_names[t]);
		fill_pattern(map, size, 0xb0 + t);
		gem_read(fd, h, 0, buf, size);
		check_pattern(buf, size, 0xb0 + t, "PREAD after a write through the mapping");
		gem_close(fd, h);
		check_pattern(map, size, 0xb0 + t, "the mapping after GEM_CLOSE");
		munmap(map, size);
	}
}

/*
 * gem_mmap_offset@oob-read (as IGT, every type): a read through
 * /proc/self/mem that starts inside a one-page object's mapping and runs
 * past its end (8 bytes from byte 4092) is refused whole: EIO, not the 4
 * bytes inside (i915's vm_access answers -EINVAL for a range past the
 * object, which /proc/pid/mem turns into EIO).
 */
static void test_oob_read(int arg)
{
	uint32_t h = gem_create(PAGE_SIZE);
	char path[64], buf[8];
	int mem;

	(void)arg;
	snprintf(path, sizeof(path), "/proc/%d/mem", getpid());
	mem = open(path, O_RDWR);
	CHECK(mem >= 0);
	for (size_t t = 0; t < 4; t++) {
		uint64_t off;
		uint8_t *map;
		ssize_t ret;

		CHECK_RET(__mmap_offset(fd, h, all_types[t], 0, &off), 0);
		map = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
		CHECK(map != MAP_FAILED);
		errno = 0;
		ret = pread(mem, buf, sizeof(buf), (off_t)(uintptr_t)(map + PAGE_SIZE - 4));
		if (ret != -1 || errno != EIO)
			FAIL("%s: an 8-byte /proc/self/mem read from byte 4092 of a 4 KiB object "
			     "returned %zd (%s), expected -1 (EIO)", type_names[t], ret,
			     strerror(errno));
		munmap(map, PAGE_SIZE);
	}
	close(mem);
	gem_close(fd, h);
}

/*
 * gem_mmap_offset@vi915-cpu-types: vi915 extension. Mappings of every type
 * alias the object's pages at once: a write through WB is read through WC,
 * UC and GTT and by PREAD, a write through WC through UC; a mapping longer
 * than the object is EINVAL.
 */
static void test_cpu_types(int arg)
{
	const size_t size = 4 * PAGE_SIZE;
	uint32_t h = gem_create(size), buf[4 * PAGE_SIZE / 4];
	uint32_t *map[4];
	uint64_t off[4];

	(void)arg;
	for (size_t t = 0; t < 4; t++) {
		CHECK_RET(__mmap_offset(fd, h, all_types[t], 0, &off[t]), 0);
		map[t] = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off[t]);
		CHECK(map[t] != MAP_FAILED);
	}
	fill_pattern(map[2], size, 0xb1);
	for (size_t t = 0; t < 4; t++)
		check_pattern(map[t], size, 0xb1, type_names[t]);
	gem_read(fd, h, 0, buf, size);
	check_pattern(buf, size, 0xb1, "PREAD after a write through WB");
	fill_pattern(map[1], size, 0xc2);
	check_pattern(map[3], size, 0xc2, "UC after a write through WC");
	if (mmap(NULL, 2 * size, PROT_READ, MAP_SHARED, fd, off[2]) != MAP_FAILED)
		FAIL("a mapping twice the object's size was accepted");
	for (size_t t = 0; t < 4; t++)
		munmap(map[t], size);
	gem_close(fd, h);
}

/*
 * gem_mmap_offset@partial-mmap (as IGT, every type; and more): a mapping may
 * start at any page of an object's offset range. IGT's check: after a write
 * through a one-page mapping of the first page, a mapping of the last page
 * of a 2 MiB object shows zeros. Also: a two-page mapping of the middle
 * shows what PWRITE put there, and PREAD reads back what was written
 * through its second page.
 */
static void test_partial_mmap(int arg)
{
	const size_t size = 2 << 20, mid = 1 << 20;
	uint32_t h = gem_create(size), buf[PAGE_SIZE / 4];

	(void)arg;
	for (size_t t = 0; t < ARRAY_SIZE(all_types); t++) {
		uint32_t *p;
		uint64_t off;

		CHECK_RET(__mmap_offset(fd, h, all_types[t], 0, &off), 0);
		p = mmap(NULL, PAGE_SIZE, PROT_WRITE, MAP_SHARED, fd, (off_t)off);
		CHECK(p != MAP_FAILED);
		memset(p, 0xcc, PAGE_SIZE);
		munmap(p, PAGE_SIZE);

		p = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_SHARED, fd, (off_t)(off + size - PAGE_SIZE));
		if (p == MAP_FAILED)
			FAIL("%s: mmap of the last page of a 2 MiB object: %s", type_names[t],
			     strerror(errno));
		for (size_t i = 0; i < PAGE_SIZE / 4; i++)
			if (p[i])
				FAIL("%s: word %zu of the last page reads %#x, expected 0",
				     type_names[t], i, p[i]);
		munmap(p, PAGE_SIZE);

		fill_pattern(buf, PAGE_SIZE, 0x50 + (uint32_t)t);
		gem_write(fd, h, mid, buf, PAGE_SIZE);
		p = mmap(NULL, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			 (off_t)(off + mid));
		if (p == MAP_FAILED)
			FAIL("%s: mmap of two pages from the middle: %s", type_names[t],
			     strerror(errno));
		check_pattern(p, PAGE_SIZE, 0x50 + (uint32_t)t,
			      "a partial mapping of a page written by PWRITE");
		fill_pattern(p + PAGE_SIZE / 4, PAGE_SIZE, 0x60 + (uint32_t)t);
		munmap(p, 2 * PAGE_SIZE);
		gem_read(fd, h, mid + PAGE_SIZE, buf, PAGE_SIZE);
		check_pattern(buf, PAGE_SIZE, 0x60 + (uint32_t)t,
			      "PREAD of a page written through a partial mapping");
	}
	gem_read(fd, h, 0, buf, PAGE_SIZE);
	for (size_t i = 0; i < PAGE_SIZE / 4; i++)
		if (buf[i] != 0xccccccccu)
			FAIL("word %zu of the first page reads %#x after the writes through it",
			     i, buf[i]);
	gem_close(fd, h);
}

/*
 * gem_mmap_offset@vi915-partial-bounds: vi915 extension. A partial mapping
 * must lie inside one object (running past its last page: EINVAL), of
 * this file (another file's object, from its second page: EACCES, as a
 * whole mapping of it), and keeps the object alive after GEM_CLOSE.
 */
static void test_partial_bounds(int arg)
{
	uint32_t h = gem_create(4 * PAGE_SIZE), other, buf[PAGE_SIZE / 4];
	uint64_t off, other_off;
	char why[256];
	uint32_t *p;
	int fd2;

	(void)arg;
	CHECK_RET(__mmap_offset(fd, h, I915_MMAP_OFFSET_WB, 0, &off), 0);
	p = mmap(NULL, 2 * PAGE_SIZE, PROT_READ, MAP_SHARED, fd, (off_t)(off + 3 * PAGE_SIZE));
	if (p != MAP_FAILED || errno != EINVAL)
		FAIL("a mapping from the last page running one page past the object: %s, "
		     "expected EINVAL", p == MAP_FAILED ? strerror(errno) : "mapped");

	fd2 = drm_open_i915(why, sizeof(why));
	if (fd2 < 0)
		FAIL("a second open of the device: %s", why);
	CHECK_RET(__gem_create(fd2, 4 * PAGE_SIZE, &other), 0);
	CHECK_RET(__mmap_offset(fd2, other, I915_MMAP_OFFSET_WB, 0, &other_off), 0);
	p = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_SHARED, fd, (off_t)(other_off + PAGE_SIZE));
	if (p != MAP_FAILED || errno != EACCES)
		FAIL("a partial mapping of another file's object: %s, expected EACCES",
		     p == MAP_FAILED ? strerror(errno) : "mapped");
	close(fd2);

	p = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 (off_t)(off + 2 * PAGE_SIZE));
	CHECK(p != MAP_FAILED);
	fill_pattern(buf, PAGE_SIZE, 0x71);
	gem_write(fd, h, 2 * PAGE_SIZE, buf, PAGE_SIZE);
	gem_close(fd, h);	/* the mapping keeps the object */
	check_pattern(p, PAGE_SIZE, 0x71, "a partial mapping after GEM_CLOSE");
	munmap(p, PAGE_SIZE);
}

/*
 * gem_mmap_offset@vi915-bad-extensions (IGT's bad-extensions, and more): as
 * i915, MMAP_OFFSET reads its extension chain: an unreadable link (-1, 1) is
 * EFAULT; a readable one is EINVAL whatever its name (MMAP_OFFSET defines
 * no extension), -1 (IGT's case) or 0.
 */
static void test_mmap_offset_bad_extensions(int arg)
{
	struct i915_user_extension ext;
	uint32_t h = gem_create(PAGE_SIZE);

	(void)arg;
	CHECK_RET(__mmap_offset(fd, h, 0, ~0ull, NULL), -EFAULT);
	memset(&ext, 0, sizeof(ext));
	ext.name = ~0u;
	CHECK_RET(__mmap_offset(fd, h, 0, (uintptr_t)&ext, NULL), -EINVAL);
	ext.name = 0;
	CHECK_RET(__mmap_offset(fd, h, I915_MMAP_OFFSET_FIXED, (uintptr_t)&ext, NULL), -EINVAL);
	CHECK_RET(__mmap_offset(fd, h, 0, 1, NULL), -EFAULT);
	gem_close(fd, h);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("bad-object", test_mmap_offset_bad_object, 0, 0);
	add("bad-flags", test_mmap_offset_bad_flags, 0, 0);
	add("vi915-flags", test_mmap_offset_flags, 0, 0);
	add("basic-uaf", test_basic_uaf, 0, 0);
	add("oob-read", test_oob_read, 0, 0);
	add("vi915-cpu-types", test_cpu_types, 0, 0);
	add("vi915-bad-extensions", test_mmap_offset_bad_extensions, 0, 0);
	add("partial-mmap", test_partial_mmap, 0, 0);
	add("vi915-partial-bounds", test_partial_bounds, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_mmap_offset", build_subtest_table);
}
