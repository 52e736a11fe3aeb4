// SPDX-License-Identifier: GPL-2.0
/*
 * gem_create - vi915 uAPI subtests mirroring IGT's gem_create: GEM_CREATE
 * size checks (EINVAL, E2BIG above 1 GiB) and rounding to pages.
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_create [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "uapi_common.h"

#define MAX_CREATE	(1ull << 30)	/* README: GEM_CREATE > 1 GiB -> E2BIG */

static int create_raw(uint64_t size, struct drm_i915_gem_create *out)
{
	struct drm_i915_gem_create arg = { .size = size };
	int ret = ioctl_err(fd, DRM_IOCTL_I915_GEM_CREATE, &arg);

	*out = arg;
	return ret;
}

/* gem_create@create-invalid-size (as IGT): size 0 and -1 (wraps when rounded) EINVAL. */
static void test_create_invalid_size(int arg)
{
	struct drm_i915_gem_create c;

	(void)arg;
	CHECK_RET(create_raw(0, &c), -EINVAL);
	CHECK(c.handle == 0);
	CHECK_RET(create_raw(~0ull, &c), -EINVAL);
	CHECK(c.handle == 0);
}

/* gem_create@create-massive (as IGT): -1ull << 32 -> E2BIG. */
static void test_create_massive(int arg)
{
	struct drm_i915_gem_create c;

	(void)arg;
	CHECK_RET(create_raw(~0ull << 32, &c), -E2BIG);
	CHECK(c.handle == 0);
}

/*
 * gem_create@vi915-size-limit: vi915 extension.  README: > 1 GiB -> E2BIG
 * (1 GiB itself would be accepted but needs 1 GiB of guest RAM: not tried).
 */
static void test_create_size_limit(int arg)
{
	static const uint64_t too_big[] = {
		MAX_CREATE + 1, MAX_CREATE + PAGE_SIZE, 2 * MAX_CREATE, 1ull << 40,
		~0ull - 2 * PAGE_SIZE,
	};
	struct drm_i915_gem_create c;

	(void)arg;
	for (size_t i = 0; i < ARRAY_SIZE(too_big); i++) {
		int ret = create_raw(too_big[i], &c);

		if (ret == 0)
			gem_close(fd, c.handle);
		if (ret != -E2BIG)
			FAIL("GEM_CREATE(%#llx) returned %s, expected E2BIG (README: > 1 GiB)",
			     (unsigned long long)too_big[i], errname(ret));
	}
}

/* gem_create@create-valid-nonaligned (as IGT): PAGE/2 works, size >= PAGE, write at PAGE/2. */
static void test_create_valid_nonaligned(int arg)
{
	struct drm_i915_gem_create c;
	char buf[PAGE_SIZE / 2];

	(void)arg;
	memset(buf, 0x5a, sizeof(buf));
	CHECK_RET(create_raw(PAGE_SIZE / 2, &c), 0);
	CHECK(c.handle != 0);
	CHECK(c.size >= PAGE_SIZE);
	gem_write(fd, c.handle, PAGE_SIZE / 2, buf, PAGE_SIZE / 2);
	gem_close(fd, c.handle);
}

/*
 * gem_create@create-size-update (IGT: the size is updated); vi915 README:
 * rounded up to pages exactly, and the object really has that size.
 */
static void test_create_size_update(int arg)
{
	static const struct { uint64_t in, out; } sizes[] = {
		{ 15, PAGE_SIZE }, { 1, PAGE_SIZE }, { PAGE_SIZE, PAGE_SIZE },
		{ PAGE_SIZE + 1, 2 * PAGE_SIZE }, { 3 * PAGE_SIZE - 1, 3 * PAGE_SIZE },
	};
	char byte = 1;

	(void)arg;
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct drm_i915_gem_create c;

		CHECK_RET(create_raw(sizes[i].in, &c), 0);
		if (c.size != sizes[i].out)
			FAIL("GEM_CREATE(%llu) returned size %llu, expected %llu",
			     (unsigned long long)sizes[i].in, (unsigned long long)c.size,
			     (unsigned long long)sizes[i].out);
		/* last byte of the rounded size is in range, one past is not */
		CHECK_RET(__gem_pwrite(fd, c.handle, c.size - 1, &byte, 1), 0);
		CHECK_RET(__gem_pwrite(fd, c.handle, c.size, &byte, 1), -EINVAL);
		gem_close(fd, c.handle);
	}
}

static int create_ext(uint64_t size, uint32_t flags, void *ext, struct drm_i915_gem_create_ext *out)
{
	struct drm_i915_gem_create_ext arg = {
		.size = size, .flags = flags, .extensions = (uintptr_t)ext,
	};
	int ret = ioctl_err(fd, DRM_IOCTL_I915_GEM_CREATE_EXT, &arg);

	*out = arg;
	if (!ret)
		gem_close(fd, arg.handle);
	return ret;
}

/*
 * gem_create@vi915-create-ext: vi915 extension (IGT's create-ext-placement-*
 * need local memory).  README: GEM_CREATE_EXT is GEM_CREATE with
 * extensions; the memory-region list may only name system memory (vi915's
 * one region); other extensions, unknown flags, a region vi915 lacks, an
 * empty, repeated or dirty list are EINVAL, a bad pointer EFAULT.
 */
static void test_create_ext(int arg)
{
	struct drm_i915_gem_memory_class_instance sys = { I915_MEMORY_CLASS_SYSTEM, 0 };
	struct drm_i915_gem_memory_class_instance lmem = { I915_MEMORY_CLASS_DEVICE, 0 };
	struct drm_i915_gem_memory_class_instance two[2] = { sys, sys };
	struct drm_i915_gem_create_ext_memory_regions r = {
		.base.name = I915_GEM_CREATE_EXT_MEMORY_REGIONS,
		.num_regions = 1, .regions = (uintptr_t)&sys,
	};
	struct i915_user_extension other = { .name = I915_GEM_CREATE_EXT_PROTECTED_CONTENT };
	struct drm_i915_gem_create_ext c;

	(void)arg;
	CHECK_RET(create_ext(PAGE_SIZE + 1, 0, NULL, &c), 0);
	CHECK(c.size == 2 * PAGE_SIZE && c.handle);
	CHECK_RET(create_ext(0, 0, NULL, &c), -EINVAL);
	CHECK_RET(create_ext(PAGE_SIZE, I915_GEM_CREATE_EXT_FLAG_NEEDS_CPU_ACCESS, NULL, &c), 0);
	CHECK_RET(create_ext(PAGE_SIZE, 2, NULL, &c), -EINVAL);
	CHECK_RET(create_ext(PAGE_SIZE, 0, &r, &c), 0);
	CHECK(c.size == PAGE_SIZE);
	CHECK_RET(create_ext(PAGE_SIZE, 0, (void *)-4096l, &c), -EFAULT);
	r.regions = (uintptr_t)&lmem;
	CHECK_RET(create_ext(PAGE_SIZE, 0, &r, &c), -EINVAL);
	r.regions = (uintptr_t)two;
	r.num_regions = 2;
	CHECK_RET(create_ext(PAGE_SIZE, 0, &r, &c), -EINVAL);
	r.num_regions = 0;
	CHECK_RET(create_ext(PAGE_SIZE, 0, &r, &c), -EINVAL);
	r.num_regions = 1;
	r.regions = (uintptr_t)-4096l;
	CHECK_RET(create_ext(PAGE_SIZE, 0, &r, &c), -EFAULT);
	r.regions = (uintptr_t)&sys;
	r.pad = 1;
	CHECK_RET(create_ext(PAGE_SIZE, 0, &r, &c), -EINVAL);
	r.pad = 0;
	r.base.flags = 1;
	CHECK_RET(create_ext(PAGE_SIZE, 0, &r, &c), -EINVAL);
	r.base.flags = 0;
	r.base.next_extension = (uintptr_t)&r;	/* the same extension twice */
	CHECK_RET(create_ext(PAGE_SIZE, 0, &r, &c), -EINVAL);
	r.base.next_extension = (uintptr_t)&other;
	CHECK_RET(create_ext(PAGE_SIZE, 0, &r, &c), -EINVAL);
	other.name = 0x1234;
	CHECK_RET(create_ext(PAGE_SIZE, 0, &other, &c), -EINVAL);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("create-invalid-size", test_create_invalid_size, 0, 0);
	add("create-massive", test_create_massive, 0, 0);
	add("vi915-size-limit", test_create_size_limit, 0, 0);
	add("create-valid-nonaligned", test_create_valid_nonaligned, 0, 0);
	add("create-size-update", test_create_size_update, 0, 0);
	add("vi915-create-ext", test_create_ext, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_create", build_subtest_table);
}
