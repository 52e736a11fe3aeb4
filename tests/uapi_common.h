/* SPDX-License-Identifier: GPL-2.0 */
/*
 * uapi_common.h - shared part of the vi915 uAPI conformance tests: one
 * program per IGT test whose subtests they mirror (i915_getparams_basic,
 * gem_exec_basic, gem_create, ..., core_debugfs: tests/README.md has the
 * list), plus the vi915-* subtests of gem_userptr_blits.  Helpers in
 * uapi_common.c.
 *
 * Together they hold one subtest per claim of README.md "The driver" ->
 * "uAPI subset" (the table, the USERPTR check-order paragraph and the
 * debugfs paragraph), so that a wrong claim or a regression fails.
 *
 * Each program is named after the real IGT (igt-gpu-tools HEAD
 * b3d809d537fe) test it mirrors and its subtests after the IGT subtests.
 * Where no IGT subtest checks the claim (or IGT expects i915 behaviour that
 * vi915 deliberately does not have), the subtest keeps the closest real IGT
 * test and gets a descriptive "vi915-" name; the comment above each body
 * says which.  A program mirroring an IGT test without subtests has the
 * check under the empty name (the binary's single unnamed test).  IGT code
 * was read, not copied.
 *
 * What gem_userptr_blits already asserts is not repeated here:
 * input-checking (flags ~0, size 0, kernel address and wrapping range
 * EFAULT), usage-restrictions (unaligned ptr/size EINVAL, READ_ONLY ENODEV),
 * forbidden-operations (PREAD/PWRITE of a userptr EINVAL, writable
 * MAP_PRIVATE of a userptr's GTT offset EINVAL), access-control (EPERM),
 * probe (PROBE hole / GTT PFN map EFAULT), sd-probe.
 *
 * The EXECBUFFER2 / engine subtests check the execbuf rules and the
 * software blitter engine (commands, tiled blits against a CPU model of
 * the tile layouts, request errors, GEM_WAIT / GEM_BUSY while busy, userptr
 * invalidation waiting for the engine).
 *
 * The harness (harness.c) runs each body in a forked child and fails it on
 * kernel-log splats, debug_locks dropping, driver counters not back to
 * their start values, or a FOLL_PIN imbalance.
 */
#ifndef VI915_UAPI_COMMON_H
#define VI915_UAPI_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib.h"
#include "harness.h"

#define GGTT_SIZE	(1ull << 32)	/* README: 4 GiB */

/* ------------------------------------------------------------------------ */
/* Raw ioctl helpers (0 / -errno)                                           */

int ioctl_err(int dev, unsigned long req, void *arg);

/* GEM_MMAP: *ptr is the mapping (NULL on failure). */
int __gem_mmap(int dev, uint32_t handle, uint64_t offset, uint64_t size, uint64_t flags,
	       void **ptr);
/* MMAP_OFFSET of type flags (with extensions ext): *offset (0 on failure). */
int __mmap_offset(int dev, uint32_t handle, uint64_t flags, uint64_t ext, uint64_t *offset);

struct aperture {
	unsigned long long aper_size, aper_available_size;
};

void get_aperture(struct aperture *ap);

/* ------------------------------------------------------------------------ */
/* Asserting helpers                                                         */

void gem_write(int dev, uint32_t handle, uint64_t off, const void *buf, uint64_t len);
void gem_read(int dev, uint32_t handle, uint64_t off, void *buf, uint64_t len);
void check_counters(struct vi_counters *c);
long long counter_delta(const struct vi_counters *a, const struct vi_counters *b,
			enum vi_counter i);
void fill_pattern(uint32_t *p, size_t bytes, uint32_t seed);
void check_pattern(const volatile uint32_t *p, size_t bytes, uint32_t seed,
		   const char *what);
/* The bad-object handles: 0xdeadbeef, real | (1 << 16..31), real + 1, 0. */
void bad_handles(uint32_t real, uint32_t *handles, size_t *n);

/* ======================================================================== */
/* EXECBUFFER2 and the software blitter engine                               */
/* ======================================================================== */

/*
 * The spec these subtests check (the vi915 engine, gen9 encodings):
 * rings 0 (default), 1 (render) and 3 (BLT) accepted, 2/4/5..63 EINVAL;
 * extra flags NO_RELOC, HANDLE_LUT, BATCH_FIRST only; exec object flags
 * NEEDS_FENCE|NEEDS_GTT|WRITE|48B|ASYNC|CAPTURE only (softpin EINVAL);
 * 64-bit relocations; MI_NOOP, MI_BATCH_BUFFER_END, MI_STORE_DWORD_IMM,
 * MI_FLUSH_DW (post-sync store), XY_SRC_COPY_BLT, XY_FAST_COPY_BLT; any
 * other command, a bad blit or an address outside the request's objects
 * ends the request with -EIO, seen by its out-fence (GEM_WAIT and SET_DOMAIN
 * answer 0 for it, as i915's after a hang).
 */

#define MI_STORE_DWORD	(MI_STORE_DWORD_IMM | 2)	/* 4 dwords */
#define MI_STORE_QWORD	(MI_STORE_DWORD_IMM | 3)	/* 5 dwords */
#define MI_UNKNOWN_3D	0x7a000004u	/* PIPE_CONTROL: not an engine command here */

/* A batch under construction: dwords plus relocations. */
struct bb {
	uint32_t cs[1024];
	unsigned int n;
	struct drm_i915_gem_relocation_entry reloc[64];
	unsigned int nr_relocs;
	/* execbuf's cliprects fields: a fence array or extension chain (0 by bb_init) */
	uint64_t cliprects_ptr;
	uint32_t num_cliprects;
};

void bb_init(struct bb *b);
void bb_emit(struct bb *b, uint32_t dw);
/* A 64-bit address of target + delta (presumed 0), relocated by the kernel. */
void bb_emit_reloc(struct bb *b, uint32_t target, uint32_t delta, bool write);
/* MI_STORE_DWORD_IMM of value at target + delta (ggtt: set bit 22). */
void bb_store_dword(struct bb *b, uint32_t target, uint32_t delta, uint32_t value,
		    bool ggtt);
/*
 * Write the batch into a new GEM object and submit it with targets[]
 * before it in the list.  Returns the execbuf result; *batch_out gets the
 * (still open) batch handle, else it is closed.  obj_out (optional, n + 1
 * entries) receives the exec objects as the kernel wrote them back.
 */
int bb_exec(struct bb *b, const uint32_t *targets, unsigned int nt, uint64_t flags,
	    uint32_t *batch_out, struct drm_i915_gem_exec_object2 *obj_out);
/* bb_exec with I915_EXEC_FENCE_OUT: *fence gets the request's out-fence. */
int bb_exec_fenced(struct bb *b, const uint32_t *targets, unsigned int nt, uint64_t flags,
		   uint32_t *batch_out, struct drm_i915_gem_exec_object2 *obj_out, int *fence);
/* bb_exec through EXECBUFFER2_WR with *rsvd2 (the exec fences), written back. */
int bb_exec_wr(struct bb *b, const uint32_t *targets, unsigned int nt, uint64_t flags,
	       uint64_t *rsvd2);
/* Wait for the object (must succeed), then PREAD. */
void read_back(uint32_t handle, uint64_t off, void *buf, uint64_t len);
uint32_t read_dword(uint32_t handle, uint64_t off);
/* A 4 KiB batch holding just MI_BATCH_BUFFER_END. */
uint32_t bbe_batch(void);

/* The IGT gem_exec_params fixture: one object, a BBE batch, default ring. */
struct exec_fixture {
	struct drm_i915_gem_exec_object2 obj[2];
	struct drm_i915_gem_execbuffer2 eb;
	uint32_t batch;
};

void fixture_init(struct exec_fixture *f);
int fixture_exec(struct exec_fixture *f);
/* fixture_exec with I915_EXEC_FENCE_OUT (the flag stays off in f): *fence is the out-fence. */
int fixture_exec_fenced(struct exec_fixture *f, int *fence);
void fixture_fini(struct exec_fixture *f);

#define RUN_FAIL(f, err) do { \
		int __r = fixture_exec(f); \
		if (__r != -(err)) \
			FAIL("execbuf (flags %#llx) returned %s, expected %s", \
			     (unsigned long long)(f)->eb.flags, errname(__r), errname(-(err))); \
	} while (0)

/* ---- blits (the blit model surfaces; gem_eio uses them too) ------------- */

#define SURF_PITCH	1024
#define SURF_ROWS	64
#define SURF_SIZE	(SURF_PITCH * SURF_ROWS)

/* gem_blits / gem_tiled_blits: the blit case group arg (see uapi_common.c). */
/*
 * test_blits() group flag: the surfaces' objects are 256 KiB instead of 64, so
 * that the engine copies through its contiguous mappings of them (objects of
 * 32 pages or more) rather than page by page; the surfaces stay the same.
 */
#define BLITS_MAPPED	0x100
void test_blits(int group);

/* ---- GEM_WAIT / GEM_BUSY with the engine busy ---------------------------- */

/*
 * Queue 16 MiB copies (4096 x 1024 pixels, pitch 16 KiB) dst <- src until
 * a GEM_WAIT poll (timeout 0) on dst answers ETIME (at most 8).
 */
#define BIG_PITCH	16384
#define BIG_ROWS	1024
#define BIG_SIZE	(BIG_PITCH * BIG_ROWS)
void make_busy(uint32_t dst, uint32_t src);

/* gem_pread (arg 0) / gem_mmap_gtt (arg 1): CPU access waits for the engine. */
void test_cpu_access_waits(int arg);

/* GEM contexts: create (flags, extension chain) and destroy on dev, -errno; and
 * on fd, checked. */
int __ctx_create_ext(int dev, uint32_t flags, uint64_t ext, uint32_t *id);
int __ctx_destroy(int dev, uint32_t id, uint32_t pad);
uint32_t ctx_create(void);
void ctx_destroy(uint32_t id);

/* sw_sync: a timeline (skips without one), a fence signalling when the timeline
 * reaches value, and advancing the timeline. */
int sw_timeline(void);
int sw_fence(int t, uint32_t value);
void sw_advance(int t, uint32_t by);

/* SET_TILING / GET_TILING as raw ioctls (0 / -errno; out may be NULL for SET_TILING). */
int __set_tiling_raw(uint32_t handle, uint32_t mode, uint32_t stride,
		     struct drm_i915_gem_set_tiling *out);
int __get_tiling(uint32_t handle, struct drm_i915_gem_get_tiling *out);

#endif /* VI915_UAPI_COMMON_H */
