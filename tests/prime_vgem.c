// SPDX-License-Identifier: GPL-2.0
/*
 * prime_vgem - vi915 uAPI subtests mirroring IGT's prime_vgem: another
 * driver's dma-buf (vgem's) imported into vi915, its pages reached by PREAD,
 * PWRITE, GTT mmaps and the blitter, and the exporter's fences obeyed
 * (implicit sync: a request waits for a foreign writer of what it reads, for
 * every foreign fence of what it writes, at most its budget).
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h). vgem must be loaded; without it every subtest skips.
 *
 * Usage: prime_vgem [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uapi_common.h"

/* IGT's prime_vgem buffer: 1024 x 1024 at 32 bpp. */
#define WIDTH	1024
#define HEIGHT	1024
#define BPP	32

struct vgem_bo {
	uint32_t handle;
	uint32_t pitch;
	uint64_t size;
};

/* The first DRM node whose driver is vgem; skips the subtest without one. */
static int open_vgem(void)
{
	for (int i = 0; i < 16; i++) {
		char path[64], name[16] = "";
		struct drm_version v = { .name_len = sizeof(name) - 1, .name = name };
		int dev;

		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		dev = open(path, O_RDWR | O_CLOEXEC);
		if (dev < 0)
			continue;
		if (!drm_ioctl(dev, DRM_IOCTL_VERSION, &v) && !strcmp(name, "vgem"))
			return dev;
		close(dev);
	}
	skip("no vgem device (the vgem module is not loaded)");
}

static void vgem_create(int vgem, struct vgem_bo *bo)
{
	struct drm_mode_create_dumb arg = { .width = WIDTH, .height = HEIGHT, .bpp = BPP };

	CHECK_RET(ioctl_err(vgem, DRM_IOCTL_MODE_CREATE_DUMB, &arg), 0);
	bo->handle = arg.handle;
	bo->pitch = arg.pitch;
	bo->size = arg.size;
}

static uint32_t *vgem_mmap(int vgem, const struct vgem_bo *bo)
{
	struct drm_mode_map_dumb arg = { .handle = bo->handle };
	void *p;

	CHECK_RET(ioctl_err(vgem, DRM_IOCTL_MODE_MAP_DUMB, &arg), 0);
	p = mmap(NULL, bo->size, PROT_READ | PROT_WRITE, MAP_SHARED, vgem, (off_t)arg.offset);
	CHECK(p != MAP_FAILED);
	return p;
}

/* A write fence on the vgem object (IGT's vgem_fence_attach(..., VGEM_FENCE_WRITE)). */
static uint32_t vgem_fence_write(int vgem, const struct vgem_bo *bo)
{
	struct drm_vgem_fence_attach arg = { .handle = bo->handle, .flags = VGEM_FENCE_WRITE };

	CHECK_RET(ioctl_err(vgem, DRM_IOCTL_VGEM_FENCE_ATTACH, &arg), 0);
	return arg.out_fence;
}

static void vgem_fence_signal(int vgem, uint32_t fence)
{
	struct drm_vgem_fence_signal arg = { .fence = fence };

	CHECK_RET(ioctl_err(vgem, DRM_IOCTL_VGEM_FENCE_SIGNAL, &arg), 0);
}

/* vgem object -> dma-buf -> vi915 handle. */
static uint32_t import_bo(int vgem, const struct vgem_bo *bo)
{
	uint32_t handle;
	int dmabuf;

	CHECK_RET(__prime_handle_to_fd(vgem, bo->handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf), 0);
	CHECK_RET(__prime_fd_to_handle(fd, dmabuf, &handle), 0);
	close(dmabuf);
	return handle;
}

/* A new vgem object, imported: its vi915 handle. */
static uint32_t new_import(int vgem, struct vgem_bo *bo)
{
	vgem_create(vgem, bo);
	return import_bo(vgem, bo);
}

static void vgem_close(int vgem, uint32_t handle)
{
	struct drm_gem_close arg = { .handle = handle };

	CHECK_RET(ioctl_err(vgem, DRM_IOCTL_GEM_CLOSE, &arg), 0);
}

/* A linear WIDTH x HEIGHT copy dst <- src on the blitter; the out-fence. */
static int copy(uint32_t dst, uint32_t src)
{
	int fence = -1;
	struct vi_blit b = {
		.dst = { .handle = dst, .pitch = WIDTH * 4 },
		.src = { .handle = src, .pitch = WIDTH * 4 },
		.width = WIDTH, .height = HEIGHT, .cpp = 4,
		.out_fence = &fence,
	};

	CHECK_RET(vi_blit(fd, &b), 0);
	return fence;
}

/* The same copy, every object marked EXEC_OBJECT_ASYNC; the out-fence. */
static int copy_async(uint32_t dst, uint32_t src)
{
	struct drm_i915_gem_relocation_entry relocs[2];
	struct drm_i915_gem_exec_object2 obj[3];
	struct drm_i915_gem_execbuffer2 eb;
	struct vi_blit b = {
		.dst = { .handle = dst, .pitch = WIDTH * 4 },
		.src = { .handle = src, .pitch = WIDTH * 4 },
		.width = WIDTH, .height = HEIGHT, .cpp = 4,
	};
	uint32_t cs[16] = { 0 };
	unsigned int n = vi_emit_blit(cs, 0, &b, relocs);
	int fence;

	cs[n++] = MI_BATCH_BUFFER_END;
	memset(obj, 0, sizeof(obj));
	obj[0].handle = dst;
	obj[1].handle = src;
	obj[2].handle = gem_create(PAGE_SIZE);
	gem_write(fd, obj[2].handle, 0, cs, sizeof(cs));
	obj[2].relocation_count = 2;
	obj[2].relocs_ptr = (uintptr_t)relocs;
	for (int i = 0; i < 3; i++)
		obj[i].flags = EXEC_OBJECT_ASYNC;
	memset(&eb, 0, sizeof(eb));
	eb.buffers_ptr = (uintptr_t)obj;
	eb.buffer_count = 3;
	eb.flags = I915_EXEC_BLT;
	CHECK_RET(__gem_execbuf_fenced(fd, &eb, &fence), 0);
	gem_close(fd, obj[2].handle);
	return fence;
}

/* prime_vgem@basic-read (as IGT): vgem's CPU writes are what vi915's PREAD reads. */
static void test_basic_read(int arg)
{
	int vgem = open_vgem();
	struct vgem_bo bo;
	uint32_t *ptr, h, v;

	(void)arg;
	h = new_import(vgem, &bo);
	ptr = vgem_mmap(vgem, &bo);
	for (uint32_t i = 0; i < HEIGHT; i++)
		ptr[1024 * i] = i;
	munmap(ptr, bo.size);
	vgem_close(vgem, bo.handle);
	for (uint32_t i = 0; i < HEIGHT; i++) {
		gem_read(fd, h, 4096ull * i, &v, sizeof(v));
		if (v != i)
			FAIL("PREAD at page %u read %#x, vgem wrote %#x", i, v, i);
	}
	gem_close(fd, h);
	close(vgem);
}

/* prime_vgem@basic-write (as IGT): vi915's PWRITE is what vgem's mapping shows. */
static void test_basic_write(int arg)
{
	int vgem = open_vgem();
	struct vgem_bo bo;
	uint32_t *ptr, h;

	(void)arg;
	h = new_import(vgem, &bo);
	ptr = vgem_mmap(vgem, &bo);
	vgem_close(vgem, bo.handle);
	for (uint32_t i = 0; i < HEIGHT; i++)
		gem_write(fd, h, 4096ull * i, &i, sizeof(i));
	for (uint32_t i = 0; i < HEIGHT; i++)
		if (ptr[1024 * i] != i)
			FAIL("vgem's mapping shows %#x at page %u, PWRITE wrote %#x",
			     ptr[1024 * i], i, i);
	munmap(ptr, bo.size);
	gem_close(fd, h);
	close(vgem);
}

/* prime_vgem@basic-gtt (as IGT): a GTT mmap of the import and vgem's mapping are one memory. */
static void test_basic_gtt(int arg)
{
	int vgem = open_vgem();
	volatile uint32_t *gtt;
	struct vgem_bo bo;
	uint32_t *ptr, h;

	(void)arg;
	h = new_import(vgem, &bo);
	ptr = vgem_mmap(vgem, &bo);
	gtt = gem_mmap_gtt(fd, h, bo.size, PROT_READ | PROT_WRITE);
	for (uint32_t i = 0; i < HEIGHT; i++)
		gtt[1024 * i] = i;
	for (uint32_t i = 0; i < HEIGHT; i++) {
		if (ptr[1024 * i] != i)
			FAIL("vgem's mapping shows %#x at page %u, the GTT mmap wrote %#x",
			     ptr[1024 * i], i, i);
		ptr[1024 * i] = ~i;
	}
	for (uint32_t i = 0; i < HEIGHT; i++)
		if (gtt[1024 * i] != ~i)
			FAIL("the GTT mmap shows %#x at page %u, vgem wrote %#x",
			     gtt[1024 * i], i, ~i);
	munmap((void *)gtt, bo.size);
	munmap(ptr, bo.size);
	vgem_close(vgem, bo.handle);
	gem_close(fd, h);
	close(vgem);
}

/* prime_vgem@basic-blt (as IGT): the blitter writes and reads the import. */
static void test_basic_blt(int arg)
{
	int vgem = open_vgem();
	struct vgem_bo bo;
	uint32_t *ptr, h, native, v;

	(void)arg;
	h = new_import(vgem, &bo);
	native = gem_create(bo.size);
	for (uint32_t i = 0; i < HEIGHT; i++)
		gem_write(fd, native, 4096ull * i, &i, sizeof(i));
	expect_request_ok(copy(h, native), "the copy native -> import");
	ptr = vgem_mmap(vgem, &bo);
	for (uint32_t i = 0; i < HEIGHT; i++) {
		if (ptr[1024 * i] != i)
			FAIL("vgem's mapping shows %#x at page %u, the blitter wrote %#x",
			     ptr[1024 * i], i, i);
		ptr[1024 * i] = ~i;
	}
	expect_request_ok(copy(native, h), "the copy import -> native");
	for (uint32_t i = 0; i < HEIGHT; i++) {
		gem_read(fd, native, 4096ull * i, &v, sizeof(v));
		if (v != ~i)
			FAIL("the copy of the import shows %#x at page %u, vgem wrote %#x", v, i, ~i);
	}
	munmap(ptr, bo.size);
	vgem_close(vgem, bo.handle);
	gem_close(fd, native);
	gem_close(fd, h);
	close(vgem);
}

/*
 * A child that, after delay_ms, writes ptr[1024 * i] = i + tag through
 * vgem's mapping and then signals the fence.
 */
static pid_t write_then_signal(int vgem, const struct vgem_bo *bo, uint32_t fence,
			       uint32_t tag, int delay_ms)
{
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (pid == 0) {
		uint32_t *ptr = vgem_mmap(vgem, bo);

		usleep(delay_ms * 1000);
		for (uint32_t i = 0; i < HEIGHT; i++)
			ptr[1024 * i] = i + tag;
		vgem_fence_signal(vgem, fence);
		_exit(0);
	}
	return pid;
}

/*
 * prime_vgem@basic-fence-read (as IGT): PREAD of an import waits for vgem's
 * write fence, and reads what was written before it signalled.
 */
static void test_basic_fence_read(int arg)
{
	int vgem = open_vgem();
	struct vgem_bo bo;
	uint32_t h, fence, v;
	pid_t pid;

	(void)arg;
	h = new_import(vgem, &bo);
	gem_read(fd, h, 0, &v, sizeof(v));
	CHECK(v == 0);
	fence = vgem_fence_write(vgem, &bo);
	pid = write_then_signal(vgem, &bo, fence, 0x100, 200);
	for (uint32_t i = 0; i < HEIGHT; i++) {
		gem_read(fd, h, 4096ull * i, &v, sizeof(v));
		if (v != i + 0x100)
			FAIL("PREAD at page %u read %#x before vgem's fence signalled (expected %#x)",
			     i, v, i + 0x100);
	}
	wait_child_ok(pid, "the vgem writer");
	vgem_close(vgem, bo.handle);
	gem_close(fd, h);
	close(vgem);
}

/*
 * prime_vgem@basic-fence-blt (as IGT): a copy that reads the import waits for
 * vgem's write fence (implicit sync), so it copies what was written before the
 * fence signalled; GEM_WAIT on the import reports the foreign fence (ETIME).
 */
static void test_basic_fence_blt(int arg)
{
	int vgem = open_vgem(), out;
	struct vgem_bo bo;
	uint32_t h, native, fence, v;
	int64_t zero = 0;
	pid_t pid;

	(void)arg;
	h = new_import(vgem, &bo);
	native = gem_create(bo.size);
	fence = vgem_fence_write(vgem, &bo);
	CHECK_RET(__gem_wait(fd, h, &zero), -ETIME);
	pid = write_then_signal(vgem, &bo, fence, 0x200, 300);
	out = copy(native, h);
	expect_request_ok(out, "the copy behind vgem's fence");
	for (uint32_t i = 0; i < HEIGHT; i++) {
		gem_read(fd, native, 4096ull * i, &v, sizeof(v));
		if (v != i + 0x200)
			FAIL("the copy read %#x at page %u: it did not wait for vgem's write (%#x)",
			     v, i, i + 0x200);
	}
	wait_child_ok(pid, "the vgem writer");
	zero = 0;
	CHECK_RET(__gem_wait(fd, h, &zero), 0);
	vgem_close(vgem, bo.handle);
	gem_close(fd, native);
	gem_close(fd, h);
	close(vgem);
}

/*
 * prime_vgem@vi915-fence-budget: vi915 extension. A foreign fence that is not
 * signalled holds a request at most its budget: the copy behind it fails (-EIO
 * on its out-fence, unrun), and the engine runs the next request. (vgem
 * signals a fence by itself after 10 s: the budget must be shorter.)
 */
static void test_fence_budget(int arg)
{
	int vgem = open_vgem(), out;
	struct vgem_bo bo;
	uint32_t h, native, other;

	(void)arg;
	if (vi_budget_ms() >= 8000)
		skip("request budget %d ms: vgem's own 10 s timeout would signal the fence first",
		     vi_budget_ms());
	h = new_import(vgem, &bo);
	native = gem_create(bo.size);
	other = gem_create(bo.size);
	(void)vgem_fence_write(vgem, &bo);
	out = copy(native, h);
	expect_request_failed(out, "the copy behind a foreign fence that never signals");
	expect_request_ok(copy(other, native), "the next request");
	vgem_close(vgem, bo.handle);
	gem_close(fd, other);
	gem_close(fd, native);
	gem_close(fd, h);
	close(vgem);	/* signals the fence */
}

/*
 * prime_vgem@vi915-async: vi915 extension. EXEC_OBJECT_ASYNC opts out of the
 * implicit wait: the copy runs while vgem's fence is still unsignalled.
 */
static void test_async(int arg)
{
	int vgem = open_vgem();
	struct vgem_bo bo;
	uint32_t h, native, fence;

	(void)arg;
	h = new_import(vgem, &bo);
	native = gem_create(bo.size);
	fence = vgem_fence_write(vgem, &bo);
	expect_request_ok(copy_async(native, h), "an ASYNC copy beside a foreign fence");
	vgem_fence_signal(vgem, fence);
	vgem_close(vgem, bo.handle);
	gem_close(fd, native);
	gem_close(fd, h);
	close(vgem);
}

/*
 * prime_vgem@vi915-import-lifetime: vi915 extension. The import keeps the
 * exporter's pages after every vgem handle, the dma-buf and the vgem file are
 * gone; closing it frees the object (counters back, KASAN and kmemleak judge
 * the pages and the attachment).
 */
static void test_import_lifetime(int arg)
{
	int vgem = open_vgem();
	struct vi_counters c0, c1;
	struct vgem_bo bo;
	uint32_t *ptr, h, native, v;

	(void)arg;
	check_counters(&c0);
	vgem_create(vgem, &bo);
	ptr = vgem_mmap(vgem, &bo);
	for (uint32_t i = 0; i < HEIGHT; i++)
		ptr[1024 * i] = i ^ 0x5a5a;
	munmap(ptr, bo.size);
	h = import_bo(vgem, &bo);
	vgem_close(vgem, bo.handle);
	close(vgem);
	native = gem_create(bo.size);
	expect_request_ok(copy(native, h), "a copy of the orphaned import");
	for (uint32_t i = 0; i < HEIGHT; i++) {
		gem_read(fd, native, 4096ull * i, &v, sizeof(v));
		if (v != (i ^ 0x5a5a))
			FAIL("the import lost its pages: %#x at page %u, expected %#x",
			     v, i, i ^ 0x5a5a);
	}
	expect_request_ok(copy(h, native), "a copy into the orphaned import");
	gem_close(fd, native);
	gem_close(fd, h);
	/* The engine drops its references when it retires the requests, just after. */
	for (double t0 = vi_now();; usleep(10000)) {
		check_counters(&c1);
		if (counter_delta(&c0, &c1, VI_OBJECTS) == 0)
			break;
		if (vi_now() - t0 > 10)
			FAIL("objects went %lld -> %lld after the import was closed",
			     c0.v[VI_OBJECTS], c1.v[VI_OBJECTS]);
	}
}

/*
 * prime_vgem@vi915-busy-foreign: vi915 extension. GEM_BUSY reports the
 * engine's requests only, as i915's reports only its own: a vgem fence on a
 * vi915 object (exported to vgem) leaves it idle for GEM_BUSY, while
 * GEM_WAIT waits for every fence (ETIME until vgem signals).
 */
static void test_busy_foreign(int arg)
{
	int vgem = open_vgem(), dmabuf;
	struct vgem_bo bo = { .size = 64 * 1024 };
	uint32_t h = gem_create(bo.size), busy = ~0u, fence;
	int64_t zero = 0;

	(void)arg;
	CHECK_RET(__prime_handle_to_fd(fd, h, DRM_CLOEXEC | DRM_RDWR, &dmabuf), 0);
	CHECK_RET(__prime_fd_to_handle(vgem, dmabuf, &bo.handle), 0);
	close(dmabuf);
	fence = vgem_fence_write(vgem, &bo);
	CHECK_RET(__gem_busy(fd, h, &busy), 0);
	if (busy)
		FAIL("GEM_BUSY reported %#x for an object only vgem's fence holds (i915: 0)", busy);
	CHECK_RET(__gem_wait(fd, h, &zero), -ETIME);
	vgem_fence_signal(vgem, fence);
	zero = 0;
	CHECK_RET(__gem_wait(fd, h, &zero), 0);
	vgem_close(vgem, bo.handle);
	gem_close(fd, h);
	close(vgem);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("basic-read", test_basic_read, 0, 0);
	add("basic-write", test_basic_write, 0, 0);
	add("basic-gtt", test_basic_gtt, 0, 0);
	add("basic-blt", test_basic_blt, 0, 0);
	add("basic-fence-read", test_basic_fence_read, 0, 0);
	add("basic-fence-blt", test_basic_fence_blt, 0, 0);
	add("vi915-fence-budget", test_fence_budget, 0, 0);
	add("vi915-async", test_async, 0, 0);
	add("vi915-import-lifetime", test_import_lifetime, 0, 0);
	add("vi915-busy-foreign", test_busy_foreign, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "prime_vgem", build_subtest_table);
}
