// SPDX-License-Identifier: GPL-2.0
/*
 * i915_query - vi915 uAPI subtests mirroring IGT's i915_query:
 * DRM_IOCTL_I915_QUERY. README: one system-memory region (all of RAM) and
 * one copy engine (bcs0); topology, perf, hwconfig, geometry and GuC queries
 * answer -ENODEV in the item (no such hardware), unknown ids -EINVAL; the
 * two-pass protocol (length 0 asks for the size) and i915's argument rules.
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "uapi_common.h"

static int query_items(struct drm_i915_query_item *items, uint32_t n, uint32_t flags)
{
	struct drm_i915_query q = {
		.num_items = n, .flags = flags, .items_ptr = (uintptr_t)items,
	};

	return ioctl_err(fd, DRM_IOCTL_I915_QUERY, &q);
}

/* One item; returns the ioctl's result, the item's length in *length. */
static int query_one(uint64_t id, int32_t len, uint32_t flags, void *data, int32_t *length)
{
	struct drm_i915_query_item item = {
		.query_id = id, .length = len, .flags = flags, .data_ptr = (uintptr_t)data,
	};
	int ret = query_items(&item, 1, 0);

	*length = item.length;
	return ret;
}

/* i915_query@query-garbage (as IGT): bad ioctl flags, a zero id, bad pointers. */
static void test_query_garbage(int arg)
{
	struct drm_i915_query_item item = { .query_id = DRM_I915_QUERY_MEMORY_REGIONS };
	int32_t len;

	(void)arg;
	CHECK_RET(query_items(NULL, 0, 0), 0);		/* no items: nothing to do */
	CHECK_RET(query_items(&item, 1, 1), -EINVAL);	/* ioctl flags must be 0 */
	CHECK_RET(query_items((void *)-4096l, 1, 0), -EFAULT);
	CHECK_RET(query_one(0, 0, 0, NULL, &len), -EINVAL);	/* id 0: whole ioctl */
	/* unknown ids: -EINVAL in the item, the ioctl succeeds */
	CHECK_RET(query_one(0x1000, 0, 0, NULL, &len), 0);
	CHECK_RET(len, -EINVAL);
	CHECK_RET(query_one(~0ull, 0, 0, NULL, &len), 0);
	CHECK_RET(len, -EINVAL);
	/* item flags on the memory and engine queries: -EINVAL */
	CHECK_RET(query_one(DRM_I915_QUERY_MEMORY_REGIONS, 0, 1, NULL, &len), 0);
	CHECK_RET(len, -EINVAL);
	CHECK_RET(query_one(DRM_I915_QUERY_ENGINE_INFO, 0, 1, NULL, &len), 0);
	CHECK_RET(len, -EINVAL);
	/*
	 * A negative length: i915 compares the s32 length with the size as
	 * unsigned, so it is a huge buffer: NULL data is -EFAULT.
	 */
	CHECK_RET(query_one(DRM_I915_QUERY_MEMORY_REGIONS, -1, 0, NULL, &len), 0);
	CHECK_RET(len, -EFAULT);
}

/*
 * i915_query@query-regions-garbage-items (as IGT, for the memory regions
 * query): item flags; a bad id before or after a good item (each item gets
 * its own answer); NULL and ~0 data, the second time with the -EFAULT the
 * first left in the length (a negative length is a huge buffer to i915);
 * a length one short of the header; an unmapped, a read-only and a
 * half-read-only item array (the length write-back faults: the ioctl is
 * -EFAULT); a nonzero reserved word or region count in the user's header.
 */
static void test_query_regions_garbage_items(int arg)
{
	const int32_t hdr = sizeof(struct drm_i915_query_memory_regions);
	struct drm_i915_query_item items[2], *ro;
	struct drm_i915_query_memory_regions *r;
	const int n = 8192 / sizeof(*ro);

	(void)arg;
	memset(items, 0, sizeof(items));
	items[0].query_id = DRM_I915_QUERY_MEMORY_REGIONS;
	items[0].flags = 42;
	CHECK_RET(query_items(items, 1, 0), 0);
	CHECK_RET(items[0].length, -EINVAL);

	for (int bad = 0; bad < 2; bad++) {
		memset(items, 0, sizeof(items));
		items[bad].query_id = ~0ull;
		items[!bad].query_id = DRM_I915_QUERY_MEMORY_REGIONS;
		CHECK_RET(query_items(items, 2, 0), 0);
		CHECK_RET(items[bad].length, -EINVAL);
		CHECK(items[!bad].length >= hdr);
	}

	memset(items, 0, sizeof(items));
	items[0].query_id = DRM_I915_QUERY_MEMORY_REGIONS;
	CHECK_RET(query_items(items, 1, 0), 0);
	CHECK(items[0].length >= hdr);
	items[0].data_ptr = 0;
	CHECK_RET(query_items(items, 1, 0), 0);
	CHECK_RET(items[0].length, -EFAULT);
	items[0].data_ptr = ~0ull;		/* length is -EFAULT now */
	CHECK_RET(query_items(items, 1, 0), 0);
	CHECK_RET(items[0].length, -EFAULT);

	memset(items, 0, sizeof(items));
	items[0].query_id = DRM_I915_QUERY_MEMORY_REGIONS;
	items[1].query_id = DRM_I915_QUERY_MEMORY_REGIONS;
	items[1].length = hdr - 1;
	CHECK_RET(query_items(items, 2, 0), 0);
	CHECK(items[0].length >= hdr);
	CHECK_RET(items[1].length, -EINVAL);

	ro = mmap_anon(8192, MAP_PRIVATE);
	for (int i = 0; i < n; i++)
		ro[i].query_id = DRM_I915_QUERY_MEMORY_REGIONS;
	CHECK_RET(query_items(ro, 1, 0), 0);
	CHECK(ro[0].length >= hdr);
	ro[0].length = 0;
	CHECK(mprotect(ro, 8192, PROT_READ) == 0);
	CHECK_RET(query_items(ro, 1, 0), -EFAULT);
	CHECK(mprotect(ro, 4096, PROT_READ | PROT_WRITE) == 0);
	CHECK_RET(query_items(ro, n, 0), -EFAULT);
	CHECK(munmap(ro, 8192) == 0);
	CHECK_RET(query_items(ro, 1, 0), -EFAULT);

	memset(items, 0, sizeof(items));
	items[0].query_id = DRM_I915_QUERY_MEMORY_REGIONS;
	CHECK_RET(query_items(items, 1, 0), 0);
	r = calloc(1, items[0].length);
	CHECK(r);
	items[0].data_ptr = (uintptr_t)r;
	for (int i = 0; i < 3; i++) {
		int32_t want = items[0].length;

		r->rsvd[i] = 0xdeadbeaf;
		CHECK_RET(query_items(items, 1, 0), 0);
		CHECK_RET(items[0].length, -EINVAL);
		r->rsvd[i] = 0;
		items[0].length = want;
	}
	r->num_regions = 1;
	CHECK_RET(query_items(items, 1, 0), 0);
	CHECK_RET(items[0].length, -EINVAL);
	free(r);
}

/* i915_query@vi915-no-such-hardware: vi915 extension. -ENODEV for hardware it lacks. */
static void test_query_nodev(int arg)
{
	static const uint64_t ids[] = {
		DRM_I915_QUERY_TOPOLOGY_INFO, DRM_I915_QUERY_PERF_CONFIG,
		DRM_I915_QUERY_HWCONFIG_BLOB, DRM_I915_QUERY_GEOMETRY_SUBSLICES,
		DRM_I915_QUERY_GUC_SUBMISSION_VERSION,
	};
	int32_t len;

	(void)arg;
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
		CHECK_RET(query_one(ids[i], 0, 0, NULL, &len), 0);
		if (len != -ENODEV)
			FAIL("query id %llu: length %d, expected -ENODEV",
			     (unsigned long long)ids[i], len);
	}
}

/*
 * i915_query@query-regions-sanity-check (as IGT, for vi915's one region):
 * the size pass, then one SYSTEM region of all RAM; too short a buffer and
 * a dirty header are -EINVAL; an unmapped buffer -EFAULT.
 */
static void test_query_regions(int arg)
{
	const size_t want = sizeof(struct drm_i915_query_memory_regions) +
			    sizeof(struct drm_i915_memory_region_info);
	struct drm_i915_query_memory_regions *r = calloc(1, want + 64);
	uint64_t ram = (uint64_t)sysconf(_SC_PHYS_PAGES) * sysconf(_SC_PAGESIZE);
	int32_t len;

	(void)arg;
	CHECK(r);
	CHECK_RET(query_one(DRM_I915_QUERY_MEMORY_REGIONS, 0, 0, NULL, &len), 0);
	CHECK_RET(len, (int)want);
	CHECK_RET(query_one(DRM_I915_QUERY_MEMORY_REGIONS, len - 1, 0, r, &len), 0);
	CHECK_RET(len, -EINVAL);
	CHECK_RET(query_one(DRM_I915_QUERY_MEMORY_REGIONS, want, 0, (void *)-4096l, &len), 0);
	CHECK_RET(len, -EFAULT);
	r->num_regions = 1;
	CHECK_RET(query_one(DRM_I915_QUERY_MEMORY_REGIONS, want, 0, r, &len), 0);
	CHECK_RET(len, -EINVAL);
	memset(r, 0, want + 64);
	r->rsvd[2] = 1;
	CHECK_RET(query_one(DRM_I915_QUERY_MEMORY_REGIONS, want, 0, r, &len), 0);
	CHECK_RET(len, -EINVAL);
	/* a longer buffer is fine; the length comes back as the real size */
	memset(r, 0, want + 64);
	CHECK_RET(query_one(DRM_I915_QUERY_MEMORY_REGIONS, want + 64, 0, r, &len), 0);
	CHECK_RET(len, (int)want);
	CHECK_RET(r->num_regions, 1);
	CHECK_RET(r->regions[0].memory_class, I915_MEMORY_CLASS_SYSTEM);
	CHECK_RET(r->regions[0].memory_instance, 0);
	/* all of RAM: the kernel's total, which is what sysconf reports */
	if (r->regions[0].probed_size != ram)
		FAIL("system region probed_size %llu, RAM %llu",
		     (unsigned long long)r->regions[0].probed_size, (unsigned long long)ram);
	CHECK(r->regions[0].probed_cpu_visible_size == ram);
	CHECK(r->regions[0].unallocated_size == ram);
	CHECK(r->regions[0].unallocated_cpu_visible_size == ram);
	for (int i = 0; i < 6; i++)
		CHECK(r->regions[0].rsvd1[i] == 0);
	free(r);
}

/* i915_query@engine-info (as IGT, for vi915's one engine): bcs0, logical instance 0. */
static void test_query_engines(int arg)
{
	const size_t want = sizeof(struct drm_i915_query_engine_info) +
			    sizeof(struct drm_i915_engine_info);
	struct drm_i915_query_engine_info *e = calloc(1, want);
	struct drm_i915_query_item items[2] = {
		{ .query_id = DRM_I915_QUERY_ENGINE_INFO },
		{ .query_id = DRM_I915_QUERY_MEMORY_REGIONS },
	};

	(void)arg;
	CHECK(e);
	/* two items in one call: each gets its own answer */
	CHECK_RET(query_items(items, 2, 0), 0);
	CHECK_RET(items[0].length, (int)want);
	CHECK(items[1].length > 0);
	items[0].data_ptr = (uintptr_t)e;
	CHECK_RET(query_items(items, 1, 0), 0);
	CHECK_RET(items[0].length, (int)want);
	CHECK_RET(e->num_engines, 1);
	CHECK_RET(e->engines[0].engine_class, I915_ENGINE_CLASS_COPY);
	CHECK_RET(e->engines[0].engine_instance, 0);
	CHECK(e->engines[0].flags == I915_ENGINE_INFO_HAS_LOGICAL_INSTANCE);
	CHECK_RET(e->engines[0].logical_instance, 0);
	CHECK(e->engines[0].capabilities == 0);
	free(e);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("query-garbage", test_query_garbage, 0, 0);
	add("vi915-no-such-hardware", test_query_nodev, 0, 0);
	add("query-regions-sanity-check", test_query_regions, 0, 0);
	add("query-regions-garbage-items", test_query_regions_garbage_items, 0, 0);
	add("engine-info", test_query_engines, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "i915_query", build_subtest_table);
}
