// SPDX-License-Identifier: GPL-2.0
/*
 * gem_busy - vi915 uAPI subtests mirroring IGT's gem_busy: GEM_BUSY of a bad
 * handle and of idle objects, and i915's busy encoding while the engine copies.
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_busy [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/mman.h>

#include "uapi_common.h"

static int busy_raw(uint32_t handle, uint32_t *busy)
{
	struct drm_i915_gem_busy arg = { .handle = handle, .busy = 0xdeadbeef };
	int ret = ioctl_err(fd, DRM_IOCTL_I915_GEM_BUSY, &arg);

	if (busy)
		*busy = arg.busy;
	return ret;
}

/*
 * gem_busy@vi915-bad-handle-and-idle: vi915 extension (IGT's gem_busy
 * subtests need an engine).  README: ENOENT for a bad handle, else not busy.
 */
static void test_busy(int arg)
{
	void *user = mmap_anon(PAGE_SIZE, MAP_PRIVATE);
	uint32_t h = gem_create(PAGE_SIZE), up = gem_userptr(user, PAGE_SIZE, 0), busy;

	(void)arg;
	CHECK_RET(busy_raw(0, NULL), -ENOENT);
	CHECK_RET(busy_raw(0xdeadbeef, NULL), -ENOENT);
	CHECK_RET(busy_raw(h, &busy), 0);
	if (busy != 0)
		FAIL("GEM_BUSY of an idle object: busy = %#x", busy);
	CHECK_RET(busy_raw(up, &busy), 0);
	if (busy != 0)
		FAIL("GEM_BUSY of an idle userptr: busy = %#x", busy);
	gem_close(fd, up);
	gem_close(fd, h);
	CHECK_RET(busy_raw(h, NULL), -ENOENT);
	munmap(user, PAGE_SIZE);
}

/*
 * gem_busy@vi915-busy (IGT gem_busy@busy needs a spinner): while queued
 * copies run, GEM_BUSY uses i915's encoding for the copy engine (class 1):
 * the destination (written) reads 0x20002, the source (only read) 0x20000,
 * an unrelated object 0; after GEM_WAIT, 0.
 */
static void test_busy_engine(int arg)
{
	uint32_t dst = gem_create(BIG_SIZE), src = gem_create(BIG_SIZE), idle = gem_create(PAGE_SIZE);
	uint32_t busy_dst, busy_src, busy_idle;

	(void)arg;
	make_busy(dst, src);
	CHECK_RET(vi_blit(fd, &(struct vi_blit) {
		.dst = { .handle = dst, .pitch = BIG_PITCH },
		.src = { .handle = src, .pitch = BIG_PITCH },
		.width = BIG_PITCH / 4, .height = BIG_ROWS, .cpp = 4 }), 0);
	CHECK_RET(__gem_busy(fd, src, &busy_src), 0);
	CHECK_RET(__gem_busy(fd, dst, &busy_dst), 0);
	CHECK_RET(__gem_busy(fd, idle, &busy_idle), 0);
	if (busy_dst != 0x20002 || busy_src != 0x20000)
		FAIL("with copies queued: GEM_BUSY dst %#x, src %#x; expected 0x20002 (writer) "
		     "and 0x20000 (reader)", busy_dst, busy_src);
	if (busy_idle)
		FAIL("GEM_BUSY of an object in no request: %#x", busy_idle);
	CHECK_RET(__gem_wait(fd, dst, NULL), 0);
	CHECK_RET(__gem_busy(fd, dst, &busy_dst), 0);
	CHECK_RET(__gem_busy(fd, src, &busy_src), 0);
	if (busy_dst || busy_src)
		FAIL("after GEM_WAIT: GEM_BUSY dst %#x, src %#x; expected 0", busy_dst, busy_src);
	gem_close(fd, idle);
	gem_close(fd, dst);
	gem_close(fd, src);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("vi915-bad-handle-and-idle", test_busy, 0, 0);
	add("vi915-busy", test_busy_engine, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_busy", build_subtest_table);
}
