// SPDX-License-Identifier: GPL-2.0
/*
 * gem_softpin - vi915 uAPI subtests mirroring IGT's gem_softpin: vi915 has no
 * softpin, EXEC_OBJECT_PINNED is EINVAL.
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_softpin [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <errno.h>

#include "uapi_common.h"

/*
 * gem_softpin@vi915-softpin-rejected: IGT's gem_softpin@invalid expects
 * EINVAL for bad EXEC_OBJECT_PINNED offsets; vi915 has no softpin at all:
 * PINNED is EINVAL at any offset (also the batch).
 */
static void test_softpin_rejected(int arg)
{
	static const uint64_t offsets[] = { 0, 1 << 20, 1ull << 31 };
	struct exec_fixture f;

	(void)arg;
	fixture_init(&f);
	for (size_t i = 0; i < ARRAY_SIZE(offsets); i++) {
		f.obj[0].flags = EXEC_OBJECT_PINNED;
		f.obj[0].offset = offsets[i];
		RUN_FAIL(&f, EINVAL);
	}
	f.obj[0].flags = 0;
	CHECK_RET(fixture_exec(&f), 0);
	fixture_fini(&f);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("vi915-softpin-rejected", test_softpin_rejected, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_softpin", build_subtest_table);
}
