// SPDX-License-Identifier: GPL-2.0
/*
 * gem_exec_basic - vi915 uAPI subtests mirroring IGT's gem_exec_basic:
 * GEM_THROTTLE, and a MI_BATCH_BUFFER_END batch executing on each ring vi915
 * has (also a userptr as the batch).
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_exec_basic [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <sys/mman.h>

#include "uapi_common.h"

/*
 * gem_exec_basic@vi915-throttle: vi915 extension (no IGT subtest checks
 * THROTTLE; IGT's lib calls it while quiescing).  README: GEM_THROTTLE 0.
 */
static void test_throttle(int arg)
{
	(void)arg;
	for (int i = 0; i < 3; i++)
		CHECK_RET(ioctl_err(fd, DRM_IOCTL_I915_GEM_THROTTLE, NULL), 0);
}

/*
 * gem_exec_basic@basic (IGT: a BBE batch on every engine): default, render
 * and blitter rings; also a batch of MI_NOOPs ending in BBE, a userptr as
 * the batch, and GEM_WAIT on the batch.
 */
static void test_exec_basic(int arg)
{
	static const uint64_t rings[] = { I915_EXEC_DEFAULT, I915_EXEC_RENDER, I915_EXEC_BLT };
	uint32_t *user = mmap_anon(PAGE_SIZE, MAP_SHARED);
	struct exec_fixture f;
	uint32_t noops[256] = { 0 };

	(void)arg;
	fixture_init(&f);
	for (size_t i = 0; i < ARRAY_SIZE(rings); i++) {
		f.eb.flags = rings[i];
		CHECK_RET(fixture_exec(&f), 0);
		CHECK_RET(__gem_wait(fd, f.batch, NULL), 0);
	}
	noops[255] = MI_BATCH_BUFFER_END;
	gem_write(fd, f.batch, 0, noops, sizeof(noops));
	CHECK_RET(fixture_exec(&f), 0);
	fixture_fini(&f);

	user[0] = MI_BATCH_BUFFER_END;
	f.batch = gem_userptr(user, PAGE_SIZE, 0);
	f.obj[0].handle = f.batch;
	f.eb.flags = I915_EXEC_BLT;
	CHECK_RET(fixture_exec(&f), 0);
	fixture_fini(&f);
	munmap(user, PAGE_SIZE);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("vi915-throttle", test_throttle, 0, 0);
	add("basic", test_exec_basic, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_exec_basic", build_subtest_table);
}
