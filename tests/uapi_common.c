// SPDX-License-Identifier: GPL-2.0
/*
 * uapi_common.c - helpers shared by the vi915 uAPI conformance tests (one
 * program per IGT test they mirror, see uapi_common.h), moved there
 * unchanged from the single vi915_uapi program they were split from.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "uapi_common.h"

/* ------------------------------------------------------------------------ */
/* Raw ioctl helpers (0 / -errno)                                           */

int ioctl_err(int dev, unsigned long req, void *arg)
{
	return drm_ioctl_err(dev, req, arg);
}

int __gem_mmap(int dev, uint32_t handle, uint64_t offset, uint64_t size, uint64_t flags,
	       void **ptr)
{
	struct drm_i915_gem_mmap arg = {
		.handle = handle, .offset = offset, .size = size, .flags = flags,
	};
	int ret = ioctl_err(dev, DRM_IOCTL_I915_GEM_MMAP, &arg);

	*ptr = ret ? NULL : (void *)(uintptr_t)arg.addr_ptr;
	return ret;
}

int __mmap_offset(int dev, uint32_t handle, uint64_t flags, uint64_t ext, uint64_t *offset)
{
	struct drm_i915_gem_mmap_offset arg = {
		.handle = handle, .flags = flags, .extensions = ext,
	};
	int ret = ioctl_err(dev, DRM_IOCTL_I915_GEM_MMAP_OFFSET, &arg);

	if (offset)
		*offset = ret ? 0 : arg.offset;
	return ret;
}

void get_aperture(struct aperture *ap)
{
	struct drm_i915_gem_get_aperture arg;

	memset(&arg, 0xa5, sizeof(arg));
	CHECK_RET(ioctl_err(fd, DRM_IOCTL_I915_GEM_GET_APERTURE, &arg), 0);
	ap->aper_size = arg.aper_size;
	ap->aper_available_size = arg.aper_available_size;
}

/* ------------------------------------------------------------------------ */
/* Asserting helpers                                                         */

void gem_write(int dev, uint32_t handle, uint64_t off, const void *buf, uint64_t len)
{
	int ret = __gem_pwrite(dev, handle, off, buf, len);

	if (ret)
		FAIL("PWRITE(handle %u, offset %llu, size %llu) failed: %s", handle,
		     (unsigned long long)off, (unsigned long long)len, errname(ret));
}

void gem_read(int dev, uint32_t handle, uint64_t off, void *buf, uint64_t len)
{
	int ret = __gem_pread(dev, handle, off, buf, len);

	if (ret)
		FAIL("PREAD(handle %u, offset %llu, size %llu) failed: %s", handle,
		     (unsigned long long)off, (unsigned long long)len, errname(ret));
}

void check_counters(struct vi_counters *c)
{
	char path[512];
	int ret = vi_read_counters(c, path, sizeof(path));

	if (ret)
		FAIL("cannot read %s: %s", path, strerror(-ret));
	for (int i = 0; i < VI_NR_COUNTERS; i++)
		if (!c->present[i])
			FAIL("%s has no '%s' line", path, vi_counter_names[i]);
}

long long counter_delta(const struct vi_counters *a, const struct vi_counters *b,
			enum vi_counter i)
{
	return b->v[i] - a->v[i];
}

void fill_pattern(uint32_t *p, size_t bytes, uint32_t seed)
{
	for (size_t i = 0; i < bytes / 4; i++)
		p[i] = seed + (uint32_t)i * 0x9e3779b9u;
}

void check_pattern(const volatile uint32_t *p, size_t bytes, uint32_t seed,
		   const char *what)
{
	for (size_t i = 0; i < bytes / 4; i++) {
		uint32_t want = seed + (uint32_t)i * 0x9e3779b9u;

		if (p[i] != want)
			FAIL("%s: dword %zu is %#x, expected %#x", what, i, p[i], want);
	}
}

void bad_handles(uint32_t real, uint32_t *handles, size_t *n)
{
	size_t i = 0;

	handles[i++] = 0xdeadbeef;
	for (int bit = 0; bit < 16; bit++)
		handles[i++] = real | (1u << (bit + 16));
	handles[i++] = real + 1;
	handles[i++] = 0;
	*n = i;
}

/* ======================================================================== */
/* EXECBUFFER2 and the software blitter engine                               */
/* ======================================================================== */

void bb_init(struct bb *b)
{
	memset(b, 0, sizeof(*b));
}

void bb_emit(struct bb *b, uint32_t dw)
{
	CHECK(b->n < ARRAY_SIZE(b->cs));
	b->cs[b->n++] = dw;
}

/* A 64-bit address of target + delta (presumed 0), relocated by the kernel. */
void bb_emit_reloc(struct bb *b, uint32_t target, uint32_t delta, bool write)
{
	CHECK(b->nr_relocs < ARRAY_SIZE(b->reloc));
	b->reloc[b->nr_relocs++] = (struct drm_i915_gem_relocation_entry) {
		.target_handle = target,
		.delta = delta,
		.offset = 4 * b->n,
		.read_domains = I915_GEM_DOMAIN_RENDER,
		.write_domain = write ? I915_GEM_DOMAIN_RENDER : 0,
	};
	bb_emit(b, delta);
	bb_emit(b, 0);
}

/* MI_STORE_DWORD_IMM of value at target + delta (ggtt: set bit 22). */
void bb_store_dword(struct bb *b, uint32_t target, uint32_t delta, uint32_t value,
		    bool ggtt)
{
	bb_emit(b, MI_STORE_DWORD | (ggtt ? MI_USE_GGTT : 0));
	bb_emit_reloc(b, target, delta, true);
	bb_emit(b, value);
}

/*
 * Write the batch into a new GEM object and submit it with targets[] before
 * it in the list, through ioctl `request` with `*rsvd2` (written back).
 */
static int bb_submit(struct bb *b, const uint32_t *targets, unsigned int nt, uint64_t flags,
		     unsigned long request, uint64_t *rsvd2, uint32_t *batch_out,
		     struct drm_i915_gem_exec_object2 *obj_out)
{
	struct drm_i915_gem_exec_object2 obj[16];
	struct drm_i915_gem_execbuffer2 eb;
	uint32_t batch = gem_create(PAGE_SIZE * (1 + 4 * b->n / PAGE_SIZE));
	int ret;

	CHECK(nt < ARRAY_SIZE(obj));
	gem_write(fd, batch, 0, b->cs, 4 * b->n);
	memset(obj, 0, sizeof(obj));
	for (unsigned int i = 0; i < nt; i++)
		obj[i].handle = targets[i];
	obj[nt].handle = batch;
	obj[nt].relocs_ptr = (uintptr_t)b->reloc;
	obj[nt].relocation_count = b->nr_relocs;
	memset(&eb, 0, sizeof(eb));
	eb.buffers_ptr = (uintptr_t)obj;
	eb.buffer_count = nt + 1;
	eb.flags = flags;
	eb.rsvd2 = *rsvd2;
	eb.cliprects_ptr = b->cliprects_ptr;
	eb.num_cliprects = b->num_cliprects;
	ret = drm_ioctl_err(fd, request, &eb);
	*rsvd2 = eb.rsvd2;
	if (obj_out)
		memcpy(obj_out, obj, (nt + 1) * sizeof(*obj));
	if (batch_out)
		*batch_out = batch;
	else
		gem_close(fd, batch);
	return ret;
}

/*
 * Write the batch into a new GEM object and submit it with targets[]
 * before it in the list.  Returns the execbuf result; *batch_out gets the
 * (still open) batch handle, else it is closed.  obj_out (optional, n + 1
 * entries) receives the exec objects as the kernel wrote them back.
 */
int bb_exec(struct bb *b, const uint32_t *targets, unsigned int nt, uint64_t flags,
	    uint32_t *batch_out, struct drm_i915_gem_exec_object2 *obj_out)
{
	uint64_t rsvd2 = 0;

	return bb_submit(b, targets, nt, flags, DRM_IOCTL_I915_GEM_EXECBUFFER2, &rsvd2,
			 batch_out, obj_out);
}

int bb_exec_fenced(struct bb *b, const uint32_t *targets, unsigned int nt, uint64_t flags,
		   uint32_t *batch_out, struct drm_i915_gem_exec_object2 *obj_out, int *fence)
{
	uint64_t rsvd2 = 0;
	int ret = bb_submit(b, targets, nt, flags | I915_EXEC_FENCE_OUT,
			    DRM_IOCTL_I915_GEM_EXECBUFFER2_WR, &rsvd2, batch_out, obj_out);

	if (!ret)
		*fence = (int)(rsvd2 >> 32);
	return ret;
}

/* bb_exec through EXECBUFFER2_WR with *rsvd2 (the exec fences), written back. */
int bb_exec_wr(struct bb *b, const uint32_t *targets, unsigned int nt, uint64_t flags,
	       uint64_t *rsvd2)
{
	return bb_submit(b, targets, nt, flags, DRM_IOCTL_I915_GEM_EXECBUFFER2_WR, rsvd2, NULL,
			 NULL);
}

/* Wait for the object (must succeed), then PREAD. */
void read_back(uint32_t handle, uint64_t off, void *buf, uint64_t len)
{
	int ret = __gem_wait(fd, handle, NULL);

	if (ret)
		FAIL("GEM_WAIT(%u) failed: %s", handle, errname(ret));
	gem_read(fd, handle, off, buf, len);
}

uint32_t read_dword(uint32_t handle, uint64_t off)
{
	uint32_t v;

	read_back(handle, off, &v, sizeof(v));
	return v;
}

/* A 4 KiB batch holding just MI_BATCH_BUFFER_END. */
uint32_t bbe_batch(void)
{
	const uint32_t bbe[2] = { MI_BATCH_BUFFER_END, MI_NOOP };
	uint32_t h = gem_create(PAGE_SIZE);

	gem_write(fd, h, 0, bbe, sizeof(bbe));
	return h;
}

void fixture_init(struct exec_fixture *f)
{
	memset(f, 0, sizeof(*f));
	f->batch = bbe_batch();
	f->obj[0].handle = f->batch;
	f->eb.buffers_ptr = (uintptr_t)f->obj;
	f->eb.buffer_count = 1;
}

int fixture_exec(struct exec_fixture *f)
{
	return __gem_execbuf(fd, &f->eb);
}

int fixture_exec_fenced(struct exec_fixture *f, int *fence)
{
	uint64_t flags = f->eb.flags, rsvd2 = f->eb.rsvd2;
	int ret = __gem_execbuf_fenced(fd, &f->eb, fence);

	f->eb.flags = flags;
	f->eb.rsvd2 = rsvd2;
	return ret;
}

void fixture_fini(struct exec_fixture *f)
{
	CHECK_RET(__gem_wait(fd, f->batch, NULL), 0);
	gem_close(fd, f->batch);
}

/* ---- blits ------------------------------------------------------------- */

/*
 * The blit model: two 64 KiB surfaces, pitch 1024 bytes, 64 rows (X: 2 x 8
 * tiles, Y: 8 x 2 tiles), raw contents known; one rectangle crossing tile
 * boundaries in both directions is copied, and the raw destination must
 * equal a CPU copy through vi_surface_offset() (the tiling layouts), with
 * everything outside the rectangle untouched.
 */

struct blit_case {
	enum vi_tiling src, dst;
	int cpp;
	bool fast;
};

/* A rectangle in bytes and rows, every value a multiple of 16 bytes. */
struct blit_rect {
	int sx_b, sy, dx_b, dy, w_b, h;
};

static void fill_raw(uint8_t *raw, uint32_t seed)
{
	for (size_t i = 0; i < SURF_SIZE; i += 4) {
		uint32_t v = seed ^ (uint32_t)(i * 2654435761u);

		memcpy(raw + i, &v, 4);
	}
}

/* A GEM object holding raw, with SET_TILING matching t (src-copy) or NONE. */
/* Size of a blit case's objects (test_blits(), BLITS_MAPPED). */
static uint64_t surf_obj_size = SURF_SIZE;

static uint32_t surface_object(const uint8_t *raw, enum vi_tiling t, bool set_tiling)
{
	uint32_t h = gem_create(surf_obj_size);

	if (set_tiling && t != VI_LINEAR)
		gem_set_tiling(h, t == VI_TILE_X ? I915_TILING_X : I915_TILING_Y, SURF_PITCH);
	gem_write(fd, h, 0, raw, SURF_SIZE);
	return h;
}

static const char *tiling_name(enum vi_tiling t)
{
	return t == VI_TILE_X ? "X" : t == VI_TILE_Y ? "Y" : "linear";
}

/* @r: NULL for 592 x 40 bytes from (16, 5) to (272, 9) */
static void run_blit_case(const struct blit_case *c, const struct blit_rect *r)
{
	static uint8_t src_raw[SURF_SIZE], dst_raw[SURF_SIZE], expect[SURF_SIZE];
	static const struct blit_rect unaligned = { 16, 5, 272, 9, 592, 40 };
	const struct blit_rect *rect = r ? r : &unaligned;
	const int sx_b = rect->sx_b, sy = rect->sy, dx_b = rect->dx_b, dy = rect->dy;
	const int w_b = rect->w_b, h = rect->h;
	struct vi_blit b;
	int ret;

	fill_raw(src_raw, 0x12345678);
	fill_raw(dst_raw, 0x9abcdef0);
	memcpy(expect, dst_raw, SURF_SIZE);
	for (int j = 0; j < h; j++)
		for (int x = 0; x < w_b; x++)
			expect[vi_surface_offset(c->dst, SURF_PITCH, dx_b + x, dy + j)] =
				src_raw[vi_surface_offset(c->src, SURF_PITCH, sx_b + x, sy + j)];

	memset(&b, 0, sizeof(b));
	b.src = (struct vi_surface) {
		.handle = surface_object(src_raw, c->src, !c->fast), .pitch = SURF_PITCH,
		.tiling = c->src, .x = sx_b / c->cpp, .y = sy,
	};
	b.dst = (struct vi_surface) {
		.handle = surface_object(dst_raw, c->dst, !c->fast), .pitch = SURF_PITCH,
		.tiling = c->dst, .x = dx_b / c->cpp, .y = dy,
	};
	b.width = w_b / c->cpp;
	b.height = h;
	b.cpp = c->cpp;
	b.fast = c->fast;
	ret = vi_blit(fd, &b);
	if (ret)
		FAIL("%s %s -> %s %dbpp: execbuf returned %s", c->fast ? "XY_FAST_COPY_BLT" :
		     "XY_SRC_COPY_BLT", tiling_name(c->src), tiling_name(c->dst), 8 * c->cpp,
		     errname(ret));
	read_back(b.dst.handle, 0, dst_raw, SURF_SIZE);
	for (size_t i = 0; i < SURF_SIZE; i++) {
		if (dst_raw[i] != expect[i]) {
			unsigned int tile = i / 4096, in = i % 4096;

			FAIL("%s %s -> %s %dbpp: destination byte %#zx (tile %u, byte %u of it) is "
			     "%#x, expected %#x", c->fast ? "XY_FAST_COPY_BLT" : "XY_SRC_COPY_BLT",
			     tiling_name(c->src), tiling_name(c->dst), 8 * c->cpp, i, tile, in,
			     dst_raw[i], expect[i]);
		}
	}
	gem_close(fd, b.src.handle);
	gem_close(fd, b.dst.handle);
}

/*
 * gem_blits@basic (IGT: XY_SRC_COPY_BLT / XY_FAST_COPY_BLT between linear
 * and tiled buffers, checked against a CPU model).  arg selects the group:
 * 0 XY_SRC_COPY_BLT linear 8/16/32 bpp, 1 XY_SRC_COPY_BLT with X tiling
 * (linear->X, X->linear, X->X), 2 the same with Y (plus X->Y, Y->X),
 * 3 XY_FAST_COPY_BLT linear 8..128 bpp, 4 XY_FAST_COPY_BLT X, 5 Y, 6 whole
 * tiles (both commands, X and Y, each way); BLITS_MAPPED added, the same
 * through the engine's mappings of the objects.  The
 * src-copy tiling comes from SET_TILING on the objects; fast copy uses the
 * command's tiling bits on untiled objects.
 */
void test_blits(int group)
{
	static const struct blit_case groups[6][8] = {
		{ { VI_LINEAR, VI_LINEAR, 4, false }, { VI_LINEAR, VI_LINEAR, 2, false },
		  { VI_LINEAR, VI_LINEAR, 1, false } },
		{ { VI_LINEAR, VI_TILE_X, 4, false }, { VI_TILE_X, VI_LINEAR, 4, false },
		  { VI_TILE_X, VI_TILE_X, 4, false }, { VI_TILE_X, VI_TILE_X, 1, false } },
		{ { VI_LINEAR, VI_TILE_Y, 4, false }, { VI_TILE_Y, VI_LINEAR, 4, false },
		  { VI_TILE_Y, VI_TILE_Y, 4, false }, { VI_TILE_X, VI_TILE_Y, 4, false },
		  { VI_TILE_Y, VI_TILE_X, 2, false } },
		{ { VI_LINEAR, VI_LINEAR, 4, true }, { VI_LINEAR, VI_LINEAR, 1, true },
		  { VI_LINEAR, VI_LINEAR, 2, true }, { VI_LINEAR, VI_LINEAR, 8, true },
		  { VI_LINEAR, VI_LINEAR, 16, true } },
		{ { VI_LINEAR, VI_TILE_X, 4, true }, { VI_TILE_X, VI_LINEAR, 4, true },
		  { VI_TILE_X, VI_TILE_X, 8, true }, { VI_TILE_X, VI_TILE_X, 1, true } },
		{ { VI_LINEAR, VI_TILE_Y, 4, true }, { VI_TILE_Y, VI_LINEAR, 4, true },
		  { VI_TILE_Y, VI_TILE_Y, 16, true }, { VI_TILE_X, VI_TILE_Y, 4, true },
		  { VI_TILE_Y, VI_TILE_X, 2, true } },
	};

	/*
	 * Group 6, whole tiles (the engine copies them tile by tile): the linear
	 * side's rows 512- or 128-byte aligned, or not (piece by piece).
	 */
	static const struct { struct blit_case c; struct blit_rect r; } whole[] = {
		{ { VI_LINEAR, VI_TILE_X, 4, false }, { 0, 0, 512, 8, 512, 32 } },
		{ { VI_TILE_X, VI_LINEAR, 4, false }, { 0, 16, 0, 0, 1024, 16 } },
		{ { VI_LINEAR, VI_TILE_X, 4, false }, { 16, 3, 0, 0, 512, 8 } },
		{ { VI_LINEAR, VI_TILE_Y, 4, false }, { 0, 1, 128, 32, 256, 32 } },
		{ { VI_TILE_Y, VI_LINEAR, 4, false }, { 0, 0, 0, 0, 1024, 64 } },
		{ { VI_LINEAR, VI_TILE_Y, 4, false }, { 16, 3, 128, 0, 256, 32 } },
		{ { VI_LINEAR, VI_TILE_Y, 4, true }, { 0, 0, 0, 32, 384, 32 } },
		{ { VI_TILE_X, VI_LINEAR, 8, true }, { 512, 8, 128, 2, 512, 48 } },
		{ { VI_TILE_Y, VI_LINEAR, 4, false }, { 0, 0, 16, 5, 256, 32 } },
	};

	surf_obj_size = group & BLITS_MAPPED ? 4 * SURF_SIZE : SURF_SIZE;
	group &= ~BLITS_MAPPED;
	if (group == 6) {
		for (size_t i = 0; i < ARRAY_SIZE(whole); i++)
			run_blit_case(&whole[i].c, &whole[i].r);
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(groups[group]) && groups[group][i].cpp; i++)
		run_blit_case(&groups[group][i], NULL);
}

/* ---- GEM_WAIT / GEM_BUSY with the engine busy ---------------------------- */

/*
 * Queue 16 MiB copies (4096 x 1024 pixels, pitch 16 KiB) dst <- src until
 * a GEM_WAIT poll (timeout 0) on dst answers ETIME (at most 8).
 */
void make_busy(uint32_t dst, uint32_t src)
{
	struct vi_blit b = {
		.dst = { .handle = dst, .pitch = BIG_PITCH },
		.src = { .handle = src, .pitch = BIG_PITCH },
		.width = BIG_PITCH / 4, .height = BIG_ROWS, .cpp = 4,
	};

	for (int i = 0; i < 8; i++) {
		int64_t timeout = 0;

		CHECK_RET(vi_blit(fd, &b), 0);
		CHECK_RET(vi_blit(fd, &b), 0);
		if (__gem_wait(fd, dst, &timeout) == -ETIME)
			return;
	}
	FAIL("16 queued 16 MiB copies and GEM_WAIT never found the object busy");
}

/*
 * gem_pread@vi915-waits-for-engine / gem_mmap_gtt@vi915-fault-waits-for-engine:
 * PREAD, PWRITE and a GTT fault wait for the engine.  The last of several
 * queued 16 MiB copies brings a new pattern into dst; with the engine still
 * busy, (arg 0) PREAD of dst's last page must already see the new pattern,
 * and a PWRITE into src must not be copied by the queued requests; (arg 1)
 * the first read through a fresh GTT mmap of dst must see it.
 */
void test_cpu_access_waits(int arg)
{
	uint32_t dst = gem_create(BIG_SIZE), src = gem_create(BIG_SIZE);
	uint32_t src2 = gem_create(BIG_SIZE), marker = 0x5eed0000u, v;
	const uint64_t last = BIG_SIZE - PAGE_SIZE;
	uint32_t *page = malloc(PAGE_SIZE);

	CHECK(page);
	for (unsigned int i = 0; i < PAGE_SIZE / 4; i++)
		page[i] = marker + i;
	CHECK_RET(__gem_pwrite(fd, src2, last, page, PAGE_SIZE), 0);
	make_busy(dst, src);
	CHECK_RET(vi_blit(fd, &(struct vi_blit) {
		.dst = { .handle = dst, .pitch = BIG_PITCH },
		.src = { .handle = src2, .pitch = BIG_PITCH },
		.width = BIG_PITCH / 4, .height = BIG_ROWS, .cpp = 4 }), 0);
	CHECK_RET(__gem_busy(fd, dst, &v), 0);
	if (!v)
		FAIL("the engine finished the queued copies before the check could run");
	if (arg == 0) {
		uint32_t zero[4] = { 0 };

		/* src2 is read by the queued copy: PWRITE waits, so it cannot race it. */
		CHECK_RET(__gem_pwrite(fd, src2, last, zero, sizeof(zero)), 0);
		gem_read(fd, dst, last, page, PAGE_SIZE);
		for (unsigned int i = 0; i < PAGE_SIZE / 4; i++)
			if (page[i] != marker + i)
				FAIL("PREAD right after the copy was queued: dword %u = %#x, "
				     "expected %#x (PREAD did not wait for the engine)", i, page[i],
				     marker + i);
	} else {
		uint32_t *map = gem_mmap_gtt(fd, dst, BIG_SIZE, PROT_READ);

		v = map[last / 4];
		if (v != marker)
			FAIL("first read through a GTT mmap right after the copy was queued: "
			     "%#x, expected %#x (the fault did not wait for the engine)", v, marker);
		munmap(map, BIG_SIZE);
	}
	free(page);
	gem_close(fd, src2);
	gem_close(fd, dst);
	gem_close(fd, src);
}

/* SET_TILING / GET_TILING as raw ioctls (0 / -errno; out may be NULL). */
int __set_tiling_raw(uint32_t handle, uint32_t mode, uint32_t stride,
			    struct drm_i915_gem_set_tiling *out)
{
	struct drm_i915_gem_set_tiling arg = {
		.handle = handle, .tiling_mode = mode, .stride = stride,
		.swizzle_mode = 0xdead,
	};
	int ret = ioctl_err(fd, DRM_IOCTL_I915_GEM_SET_TILING, &arg);

	if (out)
		*out = arg;
	return ret;
}

int __get_tiling(uint32_t handle, struct drm_i915_gem_get_tiling *out)
{
	struct drm_i915_gem_get_tiling arg = {
		.handle = handle, .tiling_mode = 0xdead, .swizzle_mode = 0xdead,
		.phys_swizzle_mode = 0xdead,
	};
	int ret = ioctl_err(fd, DRM_IOCTL_I915_GEM_GET_TILING, &arg);

	*out = arg;
	return ret;
}


/* ---- GEM contexts --------------------------------------------------------- */

int __ctx_create_ext(int dev, uint32_t flags, uint64_t ext, uint32_t *id)
{
	struct drm_i915_gem_context_create_ext a = { .flags = flags, .extensions = ext };
	int ret = ioctl_err(dev, DRM_IOCTL_I915_GEM_CONTEXT_CREATE_EXT, &a);

	if (!ret && id)
		*id = a.ctx_id;
	return ret;
}

int __ctx_destroy(int dev, uint32_t id, uint32_t pad)
{
	struct drm_i915_gem_context_destroy a = { .ctx_id = id, .pad = pad };

	return ioctl_err(dev, DRM_IOCTL_I915_GEM_CONTEXT_DESTROY, &a);
}

uint32_t ctx_create(void)
{
	uint32_t id = 0;

	CHECK_RET(__ctx_create_ext(fd, 0, 0, &id), 0);
	return id;
}

void ctx_destroy(uint32_t id)
{
	CHECK_RET(__ctx_destroy(fd, id, 0), 0);
}

/* ---- sw_sync fences (drivers/dma-buf/sw_sync.c; not a uAPI header) ---- */

struct sw_sync_create_fence_data {
	uint32_t value;
	char name[32];
	int32_t fence;
};
#define SW_SYNC_IOC_CREATE_FENCE _IOWR('W', 0, struct sw_sync_create_fence_data)
#define SW_SYNC_IOC_INC _IOW('W', 1, uint32_t)

/* A sw_sync timeline (skip if the kernel has none). */
int sw_timeline(void)
{
	int t = open("/sys/kernel/debug/sync/sw_sync", O_RDWR | O_CLOEXEC);

	if (t < 0)
		skip("no sw_sync timeline (CONFIG_SW_SYNC, debugfs): %s", strerror(errno));
	return t;
}

/* A fence of timeline @t that signals when the timeline reaches @value. */
int sw_fence(int t, uint32_t value)
{
	struct sw_sync_create_fence_data d = { .value = value };

	snprintf(d.name, sizeof(d.name), "vi915-%u", value);
	CHECK(ioctl(t, SW_SYNC_IOC_CREATE_FENCE, &d) == 0);
	return d.fence;
}

void sw_advance(int t, uint32_t by)
{
	CHECK(ioctl(t, SW_SYNC_IOC_INC, &by) == 0);
}
