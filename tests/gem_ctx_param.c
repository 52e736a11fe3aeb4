// SPDX-License-Identifier: GPL-2.0
/*
 * gem_ctx_param - vi915 uAPI subtests mirroring IGT's gem_ctx_param:
 * CONTEXT_GETPARAM / SETPARAM of a bad context, a bad parameter, a bad
 * size, the flags a context keeps, who may clear BANNABLE, and GTT_SIZE.
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_ctx_param [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uapi_common.h"

static int __ctx_setparam(uint32_t ctx, uint64_t param, uint64_t value, uint32_t size)
{
	struct drm_i915_gem_context_param arg = {
		.ctx_id = ctx, .size = size, .param = param, .value = value,
	};

	return ioctl_err(fd, DRM_IOCTL_I915_GEM_CONTEXT_SETPARAM, &arg);
}

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

/*
 * gem_ctx_param@invalid-param-get (as IGT, param -1; plus the removed ones,
 * BAN_PERIOD 1 and NO_ZEROMAP 2, ENGINES 0xa (write only), and unknown ones)
 * -> EINVAL.
 */
static void test_ctx_invalid_param_get(int arg)
{
	static const uint64_t params[] = { ~0ull, 0, 1, 2, 0xa, 0x100, 1ull << 32 };

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

/* gem_ctx_param@invalid-ctx-set (as IGT): SETPARAM of a context never created -> ENOENT. */
static void test_ctx_invalid_ctx_set(int arg)
{
	uint32_t id = ctx_create();

	(void)arg;
	CHECK_RET(__ctx_setparam(id + 1, I915_CONTEXT_PARAM_BANNABLE, 1, 0), -ENOENT);
	ctx_destroy(id);
	CHECK_RET(__ctx_setparam(id, I915_CONTEXT_PARAM_BANNABLE, 1, 0), -ENOENT);
	CHECK_RET(__ctx_setparam(0xffffffffu, I915_CONTEXT_PARAM_BANNABLE, 1, 0), -ENOENT);
}

/*
 * gem_ctx_param@invalid-param-set (as IGT, with the errnos): unknown and
 * removed parameters -> EINVAL, as is GTT_SIZE (read only); what vi915 has
 * not (priorities, SSEU, non-persistence: no scheduler) -> ENODEV.
 */
static void test_ctx_invalid_param_set(int arg)
{
	static const uint64_t einval[] = { ~0ull, 0, I915_CONTEXT_PARAM_BAN_PERIOD,
		I915_CONTEXT_PARAM_NO_ZEROMAP, I915_CONTEXT_PARAM_GTT_SIZE, 0x100, 1ull << 32 };
	uint32_t id = ctx_create();

	(void)arg;
	for (size_t i = 0; i < ARRAY_SIZE(einval); i++)
		CHECK_RET(__ctx_setparam(id, einval[i], 0, 0), -EINVAL);
	CHECK_RET(__ctx_setparam(id, I915_CONTEXT_PARAM_PRIORITY, 0, 0), -ENODEV);
	CHECK_RET(__ctx_setparam(id, I915_CONTEXT_PARAM_SSEU, 0, 0), -ENODEV);
	CHECK_RET(__ctx_setparam(id, I915_CONTEXT_PARAM_PERSISTENCE, 0, 0), -ENODEV);
	CHECK_RET(__ctx_setparam(id, I915_CONTEXT_PARAM_PERSISTENCE, 1, 0), 0);
	ctx_destroy(id);
}

/*
 * gem_ctx_param@invalid-size-set (as IGT): a flag parameter with a size ->
 * EINVAL, and the value is unchanged.
 */
static void test_ctx_invalid_size_set(int arg)
{
	uint64_t v;

	(void)arg;
	CHECK_RET(__ctx_setparam(0, I915_CONTEXT_PARAM_NO_ERROR_CAPTURE, 1, 4), -EINVAL);
	CHECK_RET(__ctx_setparam(0, I915_CONTEXT_PARAM_RECOVERABLE, 0, 1), -EINVAL);
	CHECK_RET(__ctx_getparam(0, I915_CONTEXT_PARAM_NO_ERROR_CAPTURE, &v, NULL), 0);
	CHECK(v == 0);
	CHECK_RET(__ctx_getparam(0, I915_CONTEXT_PARAM_RECOVERABLE, &v, NULL), 0);
	CHECK(v == 1);
}

/*
 * gem_ctx_param@basic (as IGT, the flags vi915 keeps): NO_ERROR_CAPTURE,
 * RECOVERABLE and BANNABLE read back what was set, per context; context
 * 0 and a created one are independent.
 */
static void test_ctx_basic(int arg)
{
	static const uint64_t flags[] = { I915_CONTEXT_PARAM_NO_ERROR_CAPTURE,
		I915_CONTEXT_PARAM_RECOVERABLE, I915_CONTEXT_PARAM_BANNABLE };
	uint32_t id = ctx_create();
	uint64_t v, v0;

	(void)arg;
	for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
		CHECK_RET(__ctx_getparam(0, flags[i], &v0, NULL), 0);
		for (uint64_t set = 0; set < 2; set++) {
			CHECK_RET(__ctx_setparam(id, flags[i], set, 0), 0);
			CHECK_RET(__ctx_getparam(id, flags[i], &v, NULL), 0);
			if (v != set)
				FAIL("param %#llx: set %llu, read %llu", (unsigned long long)flags[i],
				     (unsigned long long)set, (unsigned long long)v);
		}
		CHECK_RET(__ctx_getparam(0, flags[i], &v, NULL), 0);
		CHECK(v == v0);
	}
	CHECK_RET(__ctx_getparam(id, I915_CONTEXT_PARAM_PERSISTENCE, &v, NULL), 0);
	CHECK(v == 1);
	CHECK_RET(__ctx_getparam(id, I915_CONTEXT_PARAM_PRIORITY, &v, NULL), 0);
	CHECK(v == 0);
	CHECK_RET(__ctx_getparam(id, I915_CONTEXT_PARAM_VM, NULL, NULL), -ENODEV);
	ctx_destroy(id);
}

/*
 * gem_ctx_param@non-root-set (as IGT, BANNABLE): only CAP_SYS_ADMIN may make
 * a context unbannable (EPERM); anyone may set it bannable.
 */
static void test_ctx_non_root_set(int arg)
{
	pid_t pid;
	int st;

	(void)arg;
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		uint32_t id;

		CHECK(setgid(65534) == 0 && setuid(65534) == 0);
		id = ctx_create();
		CHECK_RET(__ctx_setparam(id, I915_CONTEXT_PARAM_BANNABLE, 0, 0), -EPERM);
		CHECK_RET(__ctx_setparam(id, I915_CONTEXT_PARAM_BANNABLE, 1, 0), 0);
		ctx_destroy(id);
		_exit(0);
	}
	CHECK(waitpid(pid, &st, 0) == pid);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		FAIL("unprivileged child failed (status %#x)", st);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("basic", test_ctx_basic, 0, 0);
	add("invalid-ctx-get", test_ctx_invalid_ctx_get, 0, 0);
	add("invalid-ctx-set", test_ctx_invalid_ctx_set, 0, 0);
	add("invalid-size-set", test_ctx_invalid_size_set, 0, 0);
	add("invalid-param-get", test_ctx_invalid_param_get, 0, 0);
	add("invalid-param-set", test_ctx_invalid_param_set, 0, 0);
	add("non-root-set", test_ctx_non_root_set, 0, 0);
	add("vi915-gtt-size", test_ctx_gtt_size, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_ctx_param", build_subtest_table);
}
