// SPDX-License-Identifier: GPL-2.0
/*
 * gem_exec_bad_domains - vi915 uAPI subtests mirroring IGT-2017's
 * gem_exec_bad_domains: relocation read / write domains.
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_exec_bad_domains [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "uapi_common.h"

/*
 * gem_exec_bad_domains@{cpu-domain,gtt-domain,double-write-domain,
 * invalid-gpu-domain} (IGT-2017): relocation domains outside
 * I915_GEM_GPU_DOMAINS, or a write domain with more than one bit, EINVAL.
 */
enum { BAD_DOM_CPU, BAD_DOM_GTT, BAD_DOM_DOUBLE_WRITE, BAD_DOM_INVALID_GPU };
static void test_bad_domains(int which)
{
	static const struct { uint32_t read, write; } cases[][3] = {
		[BAD_DOM_CPU] = { { I915_GEM_DOMAIN_CPU, 0 },
				  { I915_GEM_DOMAIN_CPU, I915_GEM_DOMAIN_CPU },
				  { I915_GEM_DOMAIN_RENDER, I915_GEM_DOMAIN_CPU } },
		[BAD_DOM_GTT] = { { I915_GEM_DOMAIN_GTT, 0 },
				  { I915_GEM_DOMAIN_GTT, I915_GEM_DOMAIN_GTT },
				  { I915_GEM_DOMAIN_RENDER, I915_GEM_DOMAIN_GTT } },
		[BAD_DOM_DOUBLE_WRITE] = {
				  { I915_GEM_DOMAIN_RENDER | I915_GEM_DOMAIN_SAMPLER,
				    I915_GEM_DOMAIN_RENDER | I915_GEM_DOMAIN_SAMPLER },
				  { I915_GEM_DOMAIN_RENDER, I915_GEM_DOMAIN_RENDER | I915_GEM_DOMAIN_INSTRUCTION },
				  { 0, I915_GEM_GPU_DOMAINS } },
		[BAD_DOM_INVALID_GPU] = { { ~I915_GEM_GPU_DOMAINS, 0 },
					  { I915_GEM_GPU_DOMAINS << 1, 0 },
					  { 0x80000000u, 0 } },
	};
	struct drm_i915_gem_relocation_entry reloc;
	struct exec_fixture f;

	fixture_init(&f);
	memset(&reloc, 0, sizeof(reloc));
	reloc.target_handle = f.batch;
	reloc.offset = 64;
	f.obj[0].relocs_ptr = (uintptr_t)&reloc;
	f.obj[0].relocation_count = 1;
	for (size_t i = 0; i < ARRAY_SIZE(cases[which]); i++) {
		int ret;

		reloc.read_domains = cases[which][i].read;
		reloc.write_domain = cases[which][i].write;
		ret = fixture_exec(&f);
		if (ret != -EINVAL)
			FAIL("relocation read %#x write %#x: execbuf returned %s, expected EINVAL",
			     reloc.read_domains, reloc.write_domain, errname(ret));
	}
	/* every single GPU domain is fine, as read and as write */
	for (uint32_t d = I915_GEM_DOMAIN_RENDER; d <= I915_GEM_DOMAIN_VERTEX; d <<= 1) {
		reloc.read_domains = d;
		reloc.write_domain = d;
		CHECK_RET(fixture_exec(&f), 0);
	}
	fixture_fini(&f);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("cpu-domain", test_bad_domains, BAD_DOM_CPU, 0);
	add("gtt-domain", test_bad_domains, BAD_DOM_GTT, 0);
	add("double-write-domain", test_bad_domains, BAD_DOM_DOUBLE_WRITE, 0);
	add("invalid-gpu-domain", test_bad_domains, BAD_DOM_INVALID_GPU, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_exec_bad_domains", build_subtest_table);
}
