// SPDX-License-Identifier: GPL-2.0
/*
 * gem_ctx_param - vi915 uAPI subtests mirroring IGT's gem_ctx_param:
 * CONTEXT_GETPARAM of a bad context, a bad parameter, and GTT_SIZE.
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_ctx_param [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <errno.h>

#include "uapi_common.h"

static int __ctx_getparam(uint32_t ctx, uint64_t param, uint64_t *value, uint32_t *size)
{
	struct drm_i915_gem_context_param arg = {
		.ctx_id = ctx, .size = 0xdead, .param = param, .value = 0xdeadbeef,
	};
	int ret = ioctl_err(fd, DRM_IOCTL_I915_GEM_CONTEXT_GETPARAM, &arg);

	if (value)
		*value = arg.value;
	if (size)
		*size = arg.size;
	return ret;
}

/* gem_ctx_param@invalid-ctx-get (as IGT, ctx 2; plus 1 and ~0): -> ENOENT. */
static void test_ctx_invalid_ctx_get(int arg)
{
	static const uint32_t ctxs[] = { 2, 1, 0xffffffffu };

	(void)arg;
	for (size_t i = 0; i < ARRAY_SIZE(ctxs); i++) {
		int ret = __ctx_getparam(ctxs[i], I915_CONTEXT_PARAM_GTT_SIZE, NULL, NULL);

		if (ret != -ENOENT)
			FAIL("CONTEXT_GETPARAM(ctx %u, GTT_SIZE) returned %s, expected ENOENT",
			     ctxs[i], errname(ret));
	}
}

/* gem_ctx_param@invalid-param-get (as IGT, param -1; plus other real params) -> EINVAL. */
static void test_ctx_invalid_param_get(int arg)
{
	/* BAN_PERIOD 1, NO_ZEROMAP 2, GTT_SIZE 3 (valid), NO_ERROR_CAPTURE 4, BANNABLE 5, PRIORITY 6 */
	static const uint64_t params[] = { ~0ull, 0, 1, 2, 4, 5, 6, 0x100, 1ull << 32 };

	(void)arg;
	for (size_t i = 0; i < ARRAY_SIZE(params); i++) {
		int ret = __ctx_getparam(0, params[i], NULL, NULL);

		if (ret != -EINVAL)
			FAIL("CONTEXT_GETPARAM(ctx 0, param %#llx) returned %s, expected EINVAL",
			     (unsigned long long)params[i], errname(ret));
	}
}

/*
 * gem_ctx_param@vi915-gtt-size: vi915 extension (IGT's lib
 * gem_aperture_size() reads it).  README: ctx 0, GTT_SIZE (0x3) = 4 GiB.
 */
static void test_ctx_gtt_size(int arg)
{
	uint64_t value;
	uint32_t size;

	(void)arg;
	CHECK_RET(__ctx_getparam(0, I915_CONTEXT_PARAM_GTT_SIZE, &value, &size), 0);
	if (value != GGTT_SIZE)
		FAIL("CONTEXT_GETPARAM(GTT_SIZE) = %#llx, README says 4 GiB",
		     (unsigned long long)value);
	CHECK(size == 0);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("invalid-ctx-get", test_ctx_invalid_ctx_get, 0, 0);
	add("invalid-param-get", test_ctx_invalid_param_get, 0, 0);
	add("vi915-gtt-size", test_ctx_gtt_size, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_ctx_param", build_subtest_table);
}
