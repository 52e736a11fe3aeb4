// SPDX-License-Identifier: GPL-2.0
/*
 * gem_ctx_engines - vi915 uAPI subtests mirroring IGT's gem_ctx_engines:
 * I915_CONTEXT_PARAM_ENGINES (an engine map of the one copy engine and
 * holes) and execbuf's ring selector indexing it.
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: gem_ctx_engines [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <errno.h>

#include "uapi_common.h"

/* SETPARAM ENGINES with n entries of map (size as given, or the right one if 0). */
static int __set_engines(uint32_t id, const struct vi_context_param_engines *map, unsigned int n,
			 uint32_t size)
{
	struct drm_i915_gem_context_param p = {
		.ctx_id = id, .param = I915_CONTEXT_PARAM_ENGINES, .value = (uintptr_t)map,
		.size = size ? size : 8 + 4 * n,
	};

	return ioctl_err(fd, DRM_IOCTL_I915_GEM_CONTEXT_SETPARAM, &p);
}

static int exec_on(struct exec_fixture *f, uint32_t id, unsigned int ring)
{
	f->eb.rsvd1 = id;
	f->eb.flags = ring;
	return fixture_exec(f);
}

/*
 * gem_ctx_engines@invalid-engines (as IGT, with the errnos): a size that is
 * not the header plus whole entries, more than 64 entries or an extension
 * is EINVAL, an unreadable map EFAULT, an engine vi915 does not have
 * ENOENT; a map can be set once, before the context's first use only.
 */
static void test_invalid_engines(int arg)
{
	struct vi_context_param_engines map = { 0 };
	uint32_t id = ctx_create();
	struct exec_fixture f;

	(void)arg;
	map.engines[0] = (struct i915_engine_class_instance){ I915_ENGINE_CLASS_COPY, 0 };
	CHECK_RET(__set_engines(id, &map, 1, 7), -EINVAL);
	CHECK_RET(__set_engines(id, &map, 1, 8 + 4 + 2), -EINVAL);
	CHECK_RET(__set_engines(id, &map, 1, 8 + 4 * 65), -EINVAL);
	CHECK_RET(__set_engines(id, (void *)8, 1, 0), -EFAULT);
	map.engines[0].engine_instance = 1;
	CHECK_RET(__set_engines(id, &map, 1, 0), -ENOENT);
	map.engines[0] = (struct i915_engine_class_instance){ 0 /* render */, 0 };
	CHECK_RET(__set_engines(id, &map, 1, 0), -ENOENT);
	map.engines[0] = (struct i915_engine_class_instance){ I915_ENGINE_CLASS_COPY, 0 };
	map.extensions = 8;
	CHECK_RET(__set_engines(id, &map, 1, 0), -EINVAL);
	map.extensions = 0;
	CHECK_RET(__set_engines(99999, &map, 1, 0), -ENOENT);
	CHECK_RET(__set_engines(id, &map, 1, 0), 0);
	CHECK_RET(__set_engines(id, &map, 1, 0), -EINVAL);	/* twice */
	/* Context 0 and a used context cannot take a map. */
	CHECK_RET(__set_engines(0, &map, 1, 0), -EINVAL);
	ctx_destroy(id);
	id = ctx_create();
	fixture_init(&f);
	CHECK_RET(exec_on(&f, id, I915_EXEC_BLT), 0);
	CHECK_RET(__set_engines(id, &map, 1, 0), -EINVAL);
	fixture_fini(&f);
	ctx_destroy(id);
}

/*
 * gem_ctx_engines@execute-one (as IGT, for the one engine): with the map
 * [hole, bcs0, hole] execbuf runs on index 1 only; a hole or an index past
 * the map is EINVAL, whatever the legacy name of that index was. An empty
 * map leaves no engine at all. Without a map the legacy names hold.
 */
static void test_execute_one(int arg)
{
	struct vi_context_param_engines map = { 0 };
	uint32_t id = ctx_create(), plain = ctx_create(), empty = ctx_create();
	struct exec_fixture f;

	(void)arg;
	map.engines[0] = map.engines[2] = (struct i915_engine_class_instance){
		I915_ENGINE_CLASS_INVALID, I915_ENGINE_CLASS_INVALID_NONE };
	map.engines[1] = (struct i915_engine_class_instance){ I915_ENGINE_CLASS_COPY, 0 };
	CHECK_RET(__set_engines(id, &map, 3, 0), 0);
	CHECK_RET(__set_engines(empty, &map, 0, 0), 0);
	fixture_init(&f);
	CHECK_RET(exec_on(&f, id, 1), 0);
	for (unsigned int ring = 0; ring < 64; ring++)
		if (ring != 1)
			CHECK_RET(exec_on(&f, id, ring), -EINVAL);
	CHECK_RET(exec_on(&f, empty, 0), -EINVAL);
	CHECK_RET(exec_on(&f, plain, I915_EXEC_BLT), 0);
	CHECK_RET(exec_on(&f, plain, I915_EXEC_RENDER), 0);
	CHECK_RET(exec_on(&f, plain, 2 /* BSD */), -EINVAL);
	/* An id that does not exist is ENOENT before any engine check. */
	CHECK_RET(exec_on(&f, 99999, 63), -ENOENT);
	f.eb.rsvd1 = 0;
	f.eb.flags = 0;
	fixture_fini(&f);
	ctx_destroy(id);
	ctx_destroy(plain);
	ctx_destroy(empty);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("invalid-engines", test_invalid_engines, 0, 0);
	add("execute-one", test_execute_one, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "gem_ctx_engines", build_subtest_table);
}
