// SPDX-License-Identifier: GPL-2.0
/*
 * gem_bad_reloc - vi915 uAPI subtests mirroring IGT's gem_bad_reloc:
 * relocation offsets unaligned or outside the batch.
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_bad_reloc [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "uapi_common.h"

/*
 * gem_bad_reloc@vi915-bad-offset (IGT's negative-reloc checks offsets
 * outside the object): reloc offset not 4-aligned or offset + 8 beyond
 * the object -> EINVAL; the last 8 bytes are fine.
 */
static void test_reloc_bad_offset(int arg)
{
	static const uint64_t bad[] = {
		1, 2, 3, 66, PAGE_SIZE - 4, PAGE_SIZE, PAGE_SIZE + 64, ~0ull - 3, 1ull << 63,
	};
	struct drm_i915_gem_relocation_entry reloc;
	struct exec_fixture f;

	(void)arg;
	fixture_init(&f);
	memset(&reloc, 0, sizeof(reloc));
	reloc.target_handle = f.batch;
	reloc.read_domains = I915_GEM_DOMAIN_RENDER;
	f.obj[0].relocs_ptr = (uintptr_t)&reloc;
	f.obj[0].relocation_count = 1;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		int ret;

		reloc.offset = bad[i];
		ret = fixture_exec(&f);
		if (ret != -EINVAL)
			FAIL("relocation offset %#llx in a 4 KiB batch: execbuf returned %s, "
			     "expected EINVAL", (unsigned long long)bad[i], errname(ret));
	}
	reloc.offset = PAGE_SIZE - 8;
	CHECK_RET(fixture_exec(&f), 0);
	reloc.offset = 12;	/* 4-aligned, not 8-aligned: fine */
	CHECK_RET(fixture_exec(&f), 0);
	fixture_fini(&f);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("vi915-bad-offset", test_reloc_bad_offset, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_bad_reloc", build_subtest_table);
}
