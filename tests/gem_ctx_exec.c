// SPDX-License-Identifier: GPL-2.0
/*
 * gem_ctx_exec - vi915 uAPI subtests mirroring IGT's gem_ctx_exec: EXECBUFFER2
 * naming a context id that was never created.
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_ctx_exec [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <errno.h>

#include "uapi_common.h"

/* gem_ctx_exec@basic-invalid-context (as IGT): a context id never created -> ENOENT. */
static void test_ctx_invalid_context(int arg)
{
	static const uint64_t ctx[] = { 1, 2, 0xffffffff, 1ull << 32 };
	struct exec_fixture f;

	(void)arg;
	fixture_init(&f);
	for (size_t i = 0; i < ARRAY_SIZE(ctx); i++) {
		int ret;

		f.eb.rsvd1 = ctx[i];
		ret = fixture_exec(&f);
		if (ret != -ENOENT)
			FAIL("context id %#llx: execbuf returned %s, expected ENOENT",
			     (unsigned long long)ctx[i], errname(ret));
	}
	f.eb.rsvd1 = 0;
	CHECK_RET(fixture_exec(&f), 0);
	fixture_fini(&f);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("basic-invalid-context", test_ctx_invalid_context, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_ctx_exec", build_subtest_table);
}
