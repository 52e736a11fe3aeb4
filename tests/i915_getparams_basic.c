// SPDX-License-Identifier: GPL-2.0
/*
 * i915_getparams_basic - vi915 uAPI subtests mirroring IGT's i915_getparams_basic:
 * GETPARAM answers the values README.md "uAPI subset" lists and EINVAL for
 * any other parameter (IGT's basic-eu-total / basic-subslice-total have no
 * vi915 counterpart).
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: i915_getparams_basic [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <errno.h>

#include "uapi_common.h"

/*
 * i915_getparams_basic@vi915-getparam-values: vi915 extension (IGT's
 * i915_getparams_basic only has basic-eu-total / basic-subslice-total).
 * README: the listed values; anything else EINVAL.
 */
static void test_getparam_values(int arg)
{
	static const struct { int param; int value; const char *name; } params[] = {
		{ I915_PARAM_CHIPSET_ID, 0x1912, "CHIPSET_ID" },
		{ I915_PARAM_HAS_GEM, 1, "HAS_GEM" },
		{ I915_PARAM_NUM_FENCES_AVAIL, 32, "NUM_FENCES_AVAIL" },
		{ I915_PARAM_HAS_EXECBUF2, 1, "HAS_EXECBUF2" },
		{ I915_PARAM_HAS_BSD, 0, "HAS_BSD" },
		{ I915_PARAM_HAS_BLT, 1, "HAS_BLT" },
		{ I915_PARAM_HAS_RELAXED_FENCING, 1, "HAS_RELAXED_FENCING" },
		{ I915_PARAM_HAS_LLC, 1, "HAS_LLC" },
		{ I915_PARAM_HAS_WAIT_TIMEOUT, 1, "HAS_WAIT_TIMEOUT" },
		{ I915_PARAM_HAS_EXEC_NO_RELOC, 1, "HAS_EXEC_NO_RELOC" },
		{ I915_PARAM_HAS_EXEC_HANDLE_LUT, 1, "HAS_EXEC_HANDLE_LUT" },
		{ I915_PARAM_HAS_VEBOX, 0, "HAS_VEBOX" },
		{ I915_PARAM_HAS_BSD2, 0, "HAS_BSD2" },
		{ I915_PARAM_MMAP_GTT_VERSION, 1, "MMAP_GTT_VERSION" },
		{ I915_PARAM_HAS_USERPTR_PROBE, 1, "HAS_USERPTR_PROBE" },
	};
	/* Not in the list: IRQ_ACTIVE 1, HAS_OVERLAY 7, HAS_SEMAPHORES 20, ... */
	static const int unknown[] = { 0, I915_PARAM_IRQ_ACTIVE, 7, 20, 41, 55, 57, 1000, -1 };

	(void)arg;
	for (size_t i = 0; i < ARRAY_SIZE(params); i++) {
		int value = 0x5a5a5a5a;
		int ret = __getparam(fd, params[i].param, &value);

		if (ret)
			FAIL("GETPARAM(%s = %d) failed: %s", params[i].name, params[i].param,
			     errname(ret));
		if (value != params[i].value)
			FAIL("GETPARAM(%s) = %#x, README says %#x", params[i].name, value,
			     params[i].value);
	}
	for (size_t i = 0; i < ARRAY_SIZE(unknown); i++) {
		int value = 0x5a5a5a5a;
		int ret = __getparam(fd, unknown[i], &value);

		if (ret != -EINVAL)
			FAIL("GETPARAM(unlisted param %d) returned %s (value %#x), expected EINVAL",
			     unknown[i], errname(ret), value);
	}
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("vi915-getparam-values", test_getparam_values, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "i915_getparams_basic", build_subtest_table);
}
