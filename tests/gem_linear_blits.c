// SPDX-License-Identifier: GPL-2.0
/*
 * gem_linear_blits - vi915 uAPI subtests mirroring IGT's gem_linear_blits: a
 * chain of linear 1 MiB copies through GEM objects and userptrs.
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_linear_blits [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <sys/mman.h>

#include "uapi_common.h"

/*
 * gem_linear_blits@basic (IGT: many linear copies between objects, checked
 * at the end): a ring of 8 1 MiB userptr/GEM buffers, each copied into the
 * next in turn, checked after the engine is done.
 */
static void test_linear_blits(int arg)
{
	enum { N = 8, SZ = 1 << 20 };
	uint32_t *user = mmap_anon((size_t)N / 2 * SZ, MAP_SHARED);
	uint32_t h[N], seed[N];
	static uint32_t buf[SZ / 4];

	(void)arg;
	for (int i = 0; i < N; i++) {
		seed[i] = 0x1000 * i + 1;
		if (i & 1) {
			h[i] = gem_create(SZ);
			fill_pattern(buf, SZ, seed[i]);
			gem_write(fd, h[i], 0, buf, SZ);
		} else {
			fill_pattern(user + (size_t)i / 2 * SZ / 4, SZ, seed[i]);
			h[i] = gem_userptr(user + (size_t)i / 2 * SZ / 4, SZ, 0);
		}
	}
	for (int i = 0; i < N - 1; i++) {
		struct vi_blit b = {
			.dst = { .handle = h[i + 1], .pitch = 4096 },
			.src = { .handle = h[i], .pitch = 4096 },
			.width = 1024, .height = SZ / 4096, .cpp = 4, .fast = i & 1,
		};

		CHECK_RET(vi_blit(fd, &b), 0);
		seed[i + 1] = seed[i];
	}
	for (int i = 0; i < N; i++) {
		if (i & 1) {
			read_back(h[i], 0, buf, SZ);
			check_pattern(buf, SZ, seed[i], "GEM object after the copies");
		} else {
			CHECK_RET(__gem_set_domain(fd, h[i], I915_GEM_DOMAIN_CPU, I915_GEM_DOMAIN_CPU), 0);
			check_pattern(user + (size_t)i / 2 * SZ / 4, SZ, seed[i],
				      "user memory after the copies");
		}
		gem_close(fd, h[i]);
	}
	munmap(user, (size_t)N / 2 * SZ);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("basic", test_linear_blits, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_linear_blits", build_subtest_table);
}
