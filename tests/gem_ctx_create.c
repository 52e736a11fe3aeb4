// SPDX-License-Identifier: GPL-2.0
/*
 * gem_ctx_create - vi915 uAPI subtests mirroring IGT's gem_ctx_create:
 * GEM_CONTEXT_CREATE(_EXT) and GEM_CONTEXT_DESTROY, their errnos, the
 * per-file id space and the SETPARAM extension chain.
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_ctx_create [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "uapi_common.h"

static int __ctx_get(int dev, uint32_t id, uint64_t param, uint64_t *value)
{
	struct drm_i915_gem_context_param a = { .ctx_id = id, .param = param };
	int ret = ioctl_err(dev, DRM_IOCTL_I915_GEM_CONTEXT_GETPARAM, &a);

	if (value)
		*value = a.value;
	return ret;
}

/*
 * gem_ctx_create@basic (as IGT, with the errnos): the original 8-byte
 * struct creates a context with a new id; destroying it twice is ENOENT the
 * second time, as are context 0 and ids never created; pad != 0 and unknown
 * flags are EINVAL.
 */
static void test_basic(int arg)
{
	struct drm_i915_gem_context_destroy old = { 0 };
	uint32_t a, b;

	(void)arg;
	CHECK_RET(ioctl_err(fd, DRM_IOCTL_I915_GEM_CONTEXT_CREATE, &old), 0);
	a = old.ctx_id;
	CHECK(a != 0);
	CHECK_RET(__ctx_create_ext(fd, 0, 0, &b), 0);
	CHECK(b != 0 && b != a);
	CHECK_RET(__ctx_get(fd, a, I915_CONTEXT_PARAM_GTT_SIZE, NULL), 0);
	CHECK_RET(__ctx_destroy(fd, a, 1), -EINVAL);
	CHECK_RET(__ctx_destroy(fd, a, 0), 0);
	CHECK_RET(__ctx_destroy(fd, a, 0), -ENOENT);
	CHECK_RET(__ctx_get(fd, a, I915_CONTEXT_PARAM_GTT_SIZE, NULL), -ENOENT);
	CHECK_RET(__ctx_destroy(fd, 0, 0), -ENOENT);
	CHECK_RET(__ctx_destroy(fd, 0xffffffffu, 0), -ENOENT);
	CHECK_RET(__ctx_create_ext(fd, 1u << 2, 0, NULL), -EINVAL);
	CHECK_RET(__ctx_create_ext(fd, 1u << 31, 0, NULL), -EINVAL);
	CHECK_RET(__ctx_create_ext(fd, I915_CONTEXT_CREATE_FLAGS_SINGLE_TIMELINE, 0, &a), 0);
	CHECK_RET(__ctx_destroy(fd, a, 0), 0);
	CHECK_RET(__ctx_destroy(fd, b, 0), 0);
	/* A destroyed id is not handed out again by this file. */
	CHECK_RET(__ctx_create_ext(fd, 0, 0, &a), 0);
	CHECK(a != b);
	CHECK_RET(__ctx_destroy(fd, a, 0), 0);
}

/*
 * gem_ctx_create@basic-files (as IGT, the id part): each file has its own
 * contexts; another file's id is ENOENT, and closing a file with contexts
 * left frees them.
 */
static void test_basic_files(int arg)
{
	char why[256];
	int other = drm_open_i915(why, sizeof(why));
	uint32_t a, b;

	(void)arg;
	CHECK(other >= 0);
	CHECK_RET(__ctx_create_ext(other, 0, 0, &a), 0);
	CHECK_RET(__ctx_get(fd, a, I915_CONTEXT_PARAM_GTT_SIZE, NULL), -ENOENT);
	CHECK_RET(__ctx_destroy(fd, a, 0), -ENOENT);
	for (int i = 0; i < 64; i++)
		CHECK_RET(__ctx_create_ext(other, 0, 0, &b), 0);
	close(other);
}

/*
 * gem_ctx_create@ext-param (as IGT, with the errnos): CREATE_EXT with a
 * SETPARAM chain applies each parameter; a chain entry naming a context,
 * an unknown or removed (CLONE) extension, nonzero flags or an unreadable
 * link fail the create and leave no context behind.
 */
static void test_ext_param(int arg)
{
	struct {
		struct i915_user_extension base;
		struct drm_i915_gem_context_param param;
	} e[2];
	const uint32_t use = I915_CONTEXT_CREATE_FLAGS_USE_EXTENSIONS;
	uint64_t v;
	uint32_t id;

	(void)arg;
	memset(e, 0, sizeof(e));
	e[0].base.next_extension = (uintptr_t)&e[1];
	e[0].param.param = I915_CONTEXT_PARAM_RECOVERABLE;
	e[0].param.value = 0;
	e[1].param.param = I915_CONTEXT_PARAM_NO_ERROR_CAPTURE;
	e[1].param.value = 1;
	CHECK_RET(__ctx_create_ext(fd, use, (uintptr_t)e, &id), 0);
	CHECK_RET(__ctx_get(fd, id, I915_CONTEXT_PARAM_RECOVERABLE, &v), 0);
	CHECK(v == 0);
	CHECK_RET(__ctx_get(fd, id, I915_CONTEXT_PARAM_NO_ERROR_CAPTURE, &v), 0);
	CHECK(v == 1);
	CHECK_RET(__ctx_get(fd, id, I915_CONTEXT_PARAM_BANNABLE, &v), 0);
	CHECK(v == 1);
	CHECK_RET(__ctx_destroy(fd, id, 0), 0);
	/* Without USE_EXTENSIONS the chain is not read. */
	CHECK_RET(__ctx_create_ext(fd, 0, 8, &id), 0);
	CHECK_RET(__ctx_destroy(fd, id, 0), 0);

	e[1].param.ctx_id = 1;
	CHECK_RET(__ctx_create_ext(fd, use, (uintptr_t)e, NULL), -EINVAL);
	e[1].param.ctx_id = 0;
	e[1].base.name = I915_CONTEXT_CREATE_EXT_CLONE;
	CHECK_RET(__ctx_create_ext(fd, use, (uintptr_t)e, NULL), -EINVAL);
	e[1].base.name = 77;
	CHECK_RET(__ctx_create_ext(fd, use, (uintptr_t)e, NULL), -EINVAL);
	e[1].base.name = I915_CONTEXT_CREATE_EXT_SETPARAM;
	e[1].base.flags = 1;
	CHECK_RET(__ctx_create_ext(fd, use, (uintptr_t)e, NULL), -EINVAL);
	e[1].base.flags = 0;
	e[1].param.param = ~0ull;
	CHECK_RET(__ctx_create_ext(fd, use, (uintptr_t)e, NULL), -EINVAL);
	e[1].param.param = I915_CONTEXT_PARAM_NO_ERROR_CAPTURE;
	e[1].base.next_extension = 8;
	CHECK_RET(__ctx_create_ext(fd, use, (uintptr_t)e, NULL), -EFAULT);
	/* A chain that loops ends at i915's bound, not in a hang. */
	e[1].base.next_extension = (uintptr_t)e;
	CHECK_RET(__ctx_create_ext(fd, use, (uintptr_t)e, NULL), -E2BIG);
	/* The failed creates left nothing: the next id is still never seen. */
	CHECK_RET(__ctx_create_ext(fd, 0, 0, &id), 0);
	CHECK_RET(__ctx_destroy(fd, id, 0), 0);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("basic", test_basic, 0, 0);
	add("basic-files", test_basic_files, 0, 0);
	add("ext-param", test_ext_param, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_ctx_create", build_subtest_table);
}
