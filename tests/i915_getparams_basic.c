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
		{ I915_PARAM_HAS_EXEC_BATCH_FIRST, 1, "HAS_EXEC_BATCH_FIRST" },
		{ I915_PARAM_MMAP_GTT_COHERENT, 1, "MMAP_GTT_COHERENT" },
		{ I915_PARAM_HAS_GPU_RESET, 1, "HAS_GPU_RESET" },
		{ I915_PARAM_HAS_ALIASING_PPGTT, 0, "HAS_ALIASING_PPGTT" },
		{ I915_PARAM_HAS_SEMAPHORES, 0, "HAS_SEMAPHORES" },
		{ I915_PARAM_HAS_SECURE_BATCHES, 0, "HAS_SECURE_BATCHES" },
		{ I915_PARAM_MMAP_VERSION, 1, "MMAP_VERSION" },
		{ I915_PARAM_HAS_EXEC_SOFTPIN, 1, "HAS_EXEC_SOFTPIN" },
		{ I915_PARAM_HAS_SCHEDULER, 0, "HAS_SCHEDULER" },
		{ I915_PARAM_HAS_EXEC_ASYNC, 0, "HAS_EXEC_ASYNC" },
		{ I915_PARAM_HAS_EXEC_FENCE, 1, "HAS_EXEC_FENCE" },
		{ I915_PARAM_HAS_EXEC_CAPTURE, 0, "HAS_EXEC_CAPTURE" },
		{ I915_PARAM_HAS_EXEC_FENCE_ARRAY, 1, "HAS_EXEC_FENCE_ARRAY" },
		{ I915_PARAM_HAS_CONTEXT_ISOLATION, 0, "HAS_CONTEXT_ISOLATION" },
		{ I915_PARAM_HAS_EXEC_SUBMIT_FENCE, 0, "HAS_EXEC_SUBMIT_FENCE" },
		{ I915_PARAM_HAS_EXEC_TIMELINE_FENCES, 1, "HAS_EXEC_TIMELINE_FENCES" },
	};
	/* No render engine: no slices, no EUs (i915 answers ENODEV for none). */
	static const int nodev[] = { I915_PARAM_SUBSLICE_TOTAL, I915_PARAM_EU_TOTAL };
	/* Not in the list: IRQ_ACTIVE 1, HAS_OVERLAY 7, HAS_PRIME_VMAP_FLUSH 21, ... */
	static const int unknown[] = { 0, I915_PARAM_IRQ_ACTIVE, 7, 21, 24, 57, 1000, -1 };

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
	for (size_t i = 0; i < ARRAY_SIZE(nodev); i++) {
		int value = 0x5a5a5a5a;

		CHECK_RET(__getparam(fd, nodev[i], &value), -ENODEV);
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
