// SPDX-License-Identifier: GPL-2.0
/*
 * gem_readwrite - vi915 uAPI subtests mirroring IGT's gem_readwrite: PREAD /
 * PWRITE of GEM objects (IGT's 16 KiB object), bad handles and bounds checks.
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_readwrite [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "uapi_common.h"

#define RW_SIZE 16384

/* gem_readwrite@new-obj (as IGT): a new object reads as zeroes (README: zeroed driver pages). */
static void test_rw_new_obj(int arg)
{
	static unsigned char buf[RW_SIZE];
	uint32_t h = gem_create(RW_SIZE);

	(void)arg;
	memset(buf, 0xff, sizeof(buf));
	gem_read(fd, h, 0, buf, RW_SIZE);
	for (size_t i = 0; i < RW_SIZE; i++)
		if (buf[i])
			FAIL("new object byte %zu is %#x, expected 0", i, buf[i]);
	gem_close(fd, h);
}

/* gem_readwrite@beyond-EOB (as IGT): read of [size/2, size/2 + size) -> EINVAL. */
static void test_rw_beyond_eob(int arg)
{
	static unsigned char buf[RW_SIZE];
	uint32_t h = gem_create(RW_SIZE);

	(void)arg;
	CHECK_RET(__gem_pread(fd, h, RW_SIZE / 2, buf, RW_SIZE), -EINVAL);
	gem_close(fd, h);
}

/* gem_readwrite@read-write (as IGT): full write/read, partial write, partial read. */
static void test_rw_read_write(int arg)
{
	static unsigned char buf[RW_SIZE], expected[RW_SIZE];
	uint32_t h = gem_create(RW_SIZE);

	(void)arg;
	memset(buf, 0, sizeof(buf));
	memset(expected, 0, sizeof(expected));
	memset(buf + 1024, 0x01, 1024);
	memset(expected + 1024, 0x01, 1024);
	gem_write(fd, h, 0, buf, RW_SIZE);
	gem_read(fd, h, 0, buf, RW_SIZE);
	CHECK(memcmp(buf, expected, RW_SIZE) == 0);

	memset(buf + 4096, 0x02, 1024);
	memset(expected + 4096, 0x02, 1024);
	gem_write(fd, h, 4096, buf + 4096, 1024);
	gem_read(fd, h, 0, buf, RW_SIZE);
	CHECK(memcmp(buf, expected, RW_SIZE) == 0);

	gem_read(fd, h, 512, buf, 1024);
	CHECK(memcmp(buf, expected + 512, 1024) == 0);

	/* vi915 extra: an unaligned copy across a page boundary round-trips. */
	fill_pattern((uint32_t *)buf, 8192, 0x1234);
	gem_write(fd, h, 4096 - 100, buf, 8192);
	memset(expected, 0, sizeof(expected));
	gem_read(fd, h, 4096 - 100, expected, 8192);
	CHECK(memcmp(buf, expected, 8192) == 0);
	gem_close(fd, h);
}

/* gem_readwrite@read-bad-handle / write-bad-handle (as IGT): handle 1234 -> ENOENT. */
static void test_rw_bad_handle(int write)
{
	char buf[1024] = { 0 };

	if (write)
		CHECK_RET(__gem_pwrite(fd, 1234, 0, buf, sizeof(buf)), -ENOENT);
	else
		CHECK_RET(__gem_pread(fd, 1234, 0, buf, sizeof(buf)), -ENOENT);
}

/*
 * gem_readwrite@vi915-out-of-range: vi915 extension.  README: PREAD/PWRITE
 * are bounds-checked (EINVAL out of range), both directions, incl. an
 * offset + size that overflows.  (userptr -> EINVAL: forbidden-operations.)
 */
static void test_rw_out_of_range(int arg)
{
	static const struct { uint64_t off, size; } bad[] = {
		{ RW_SIZE, 1 }, { RW_SIZE - 1, 2 }, { 0, RW_SIZE + 1 },
		{ RW_SIZE + PAGE_SIZE, 1 }, { ~0ull, 2 }, { 1, ~0ull },
		{ 1ull << 63, 1ull << 63 },
	};
	static unsigned char buf[RW_SIZE + PAGE_SIZE];
	uint32_t h = gem_create(RW_SIZE);

	(void)arg;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		int r = __gem_pread(fd, h, bad[i].off, buf, bad[i].size);
		int w = __gem_pwrite(fd, h, bad[i].off, buf, bad[i].size);

		if (r != -EINVAL || w != -EINVAL)
			FAIL("offset %#llx size %#llx on a %d-byte object: PREAD %s, PWRITE %s, "
			     "expected EINVAL", (unsigned long long)bad[i].off,
			     (unsigned long long)bad[i].size, RW_SIZE, errname(r), errname(w));
	}
	/* the edges are in range */
	CHECK_RET(__gem_pread(fd, h, 0, buf, RW_SIZE), 0);
	CHECK_RET(__gem_pwrite(fd, h, RW_SIZE - 1, buf, 1), 0);
	CHECK_RET(__gem_pread(fd, h, RW_SIZE, buf, 0), 0);
	gem_close(fd, h);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("new-obj", test_rw_new_obj, 0, 0);
	add("beyond-EOB", test_rw_beyond_eob, 0, 0);
	add("read-write", test_rw_read_write, 0, 0);
	add("read-bad-handle", test_rw_bad_handle, 0, 0);
	add("write-bad-handle", test_rw_bad_handle, 1, 0);
	add("vi915-out-of-range", test_rw_out_of_range, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_readwrite", build_subtest_table);
}
