// SPDX-License-Identifier: GPL-2.0
/*
 * gem_mmap_offset - vi915 uAPI subtests mirroring IGT's gem_mmap_offset:
 * MMAP_OFFSET of bad handles, bad flags (only GTT and FIXED are accepted)
 * and extensions.
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_mmap_offset [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "uapi_common.h"

static int __mmap_offset(int dev, uint32_t handle, uint64_t flags, uint64_t ext,
			 uint64_t *offset)
{
	struct drm_i915_gem_mmap_offset arg = {
		.handle = handle, .flags = flags, .extensions = ext,
	};
	int ret = ioctl_err(dev, DRM_IOCTL_I915_GEM_MMAP_OFFSET, &arg);

	if (offset)
		*offset = ret ? 0 : arg.offset;
	return ret;
}

/* gem_mmap_offset@bad-object (as IGT, for the types vi915 accepts: GTT, FIXED). */
static void test_mmap_offset_bad_object(int arg)
{
	static const uint64_t types[] = { I915_MMAP_OFFSET_GTT, I915_MMAP_OFFSET_FIXED };
	uint32_t real = gem_create(PAGE_SIZE), handles[24];
	size_t n;

	(void)arg;
	bad_handles(real, handles, &n);
	for (size_t t = 0; t < ARRAY_SIZE(types); t++) {
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
 * gem_mmap_offset@vi915-flags-gtt-fixed-only: vi915 extension.  README:
 * same ioctl nr as MMAP_GTT; flags GTT(0) or FIXED(4), others (WC 1, WB 2,
 * UC 3, ...) EINVAL; the offsets map the object (also a userptr: "works on
 * userptr (2017)").  Flags are checked before the handle.
 */
static void test_mmap_offset_flags(int arg)
{
	static const uint64_t bad[] = { 1, 2, 3, 5, 6, 8, 0x10, 1ull << 32, 1ull << 63 };
	const size_t size = 2 * PAGE_SIZE;
	uint32_t h = gem_create(size), up;
	uint64_t off_gtt, off_fixed, off_legacy;
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
	CHECK_RET(__mmap_offset(fd, h, I915_MMAP_OFFSET_GTT, 0, &off_gtt), 0);
	CHECK_RET(__mmap_offset(fd, h, I915_MMAP_OFFSET_FIXED, 0, &off_fixed), 0);
	off_legacy = gem_mmap_gtt_offset(fd, h);
	CHECK(off_gtt != 0 && off_fixed != 0 && off_legacy != 0);

	fill_pattern(buf, size, 0x777);
	gem_write(fd, h, 0, buf, size);
	map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, off_gtt);
	CHECK(map != MAP_FAILED);
	check_pattern(map, size, 0x777, "MMAP_OFFSET(GTT) mapping");
	munmap(map, size);
	map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, off_fixed);
	CHECK(map != MAP_FAILED);
	check_pattern(map, size, 0x777, "MMAP_OFFSET(FIXED) mapping");
	munmap(map, size);
	gem_close(fd, h);

	/* on a userptr */
	fill_pattern(user, size, 0x999);
	up = gem_userptr(user, size, 0);
	CHECK_RET(__mmap_offset(fd, up, I915_MMAP_OFFSET_FIXED, 0, &off_fixed), 0);
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off_fixed);
	CHECK(map != MAP_FAILED);
	check_pattern(map, size, 0x999, "MMAP_OFFSET(FIXED) mapping of a userptr");
	munmap(map, size);
	gem_close(fd, up);
	munmap(user, size);
}

/*
 * gem_mmap_offset@vi915-bad-extensions: vi915 extension of IGT's
 * bad-extensions.  README: extensions != 0 -> EINVAL.  IGT (i915) expects
 * EFAULT for extensions = -1 (i915 reads the chain); vi915 rejects any
 * nonzero value without reading it.  IGT's second case (a readable
 * extension named -1) is EINVAL in both.
 */
static void test_mmap_offset_bad_extensions(int arg)
{
	struct i915_user_extension ext;
	uint32_t h = gem_create(PAGE_SIZE);

	(void)arg;
	CHECK_RET(__mmap_offset(fd, h, 0, ~0ull, NULL), -EINVAL);
	memset(&ext, 0, sizeof(ext));
	ext.name = ~0u;
	CHECK_RET(__mmap_offset(fd, h, 0, (uintptr_t)&ext, NULL), -EINVAL);
	ext.name = 0;
	CHECK_RET(__mmap_offset(fd, h, I915_MMAP_OFFSET_FIXED, (uintptr_t)&ext, NULL), -EINVAL);
	CHECK_RET(__mmap_offset(fd, h, 0, 1, NULL), -EINVAL);
	gem_close(fd, h);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("bad-object", test_mmap_offset_bad_object, 0, 0);
	add("bad-flags", test_mmap_offset_bad_flags, 0, 0);
	add("vi915-flags-gtt-fixed-only", test_mmap_offset_flags, 0, 0);
	add("vi915-bad-extensions", test_mmap_offset_bad_extensions, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_mmap_offset", build_subtest_table);
}
