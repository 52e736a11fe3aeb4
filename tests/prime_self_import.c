// SPDX-License-Identifier: GPL-2.0
/*
 * prime_self_import - vi915 uAPI subtests mirroring IGT's prime_self_import:
 * PRIME export / self-import, and the dma-buf's own mmap.
 *
 * Part of the vi915 uAPI conformance tests (one program per IGT test they
 * mirror; subtest naming, the harness checks and the shared helpers:
 * uapi_common.h).
 *
 * Usage: prime_self_import [-d SECONDS] [-t SECONDS] [-s NAME]... [-l] [-v] [-J]
 */
#define _GNU_SOURCE
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "uapi_common.h"

static int open_device(void)
{
	char why[512];
	int dev = drm_open_i915(why, sizeof(why));

	if (dev < 0)
		FAIL("another open of the device failed: %s", why);
	return dev;
}

#define BO_SIZE (64 * 1024)

/* prime_self_import check_bo(): data written through one handle is seen through the other. */
static void check_bo(int fd1, uint32_t h1, int fd2, uint32_t h2, uint32_t seed)
{
	static uint32_t buf[BO_SIZE / 4];
	volatile uint32_t *map;

	fill_pattern(buf, BO_SIZE, seed);
	gem_write(fd1, h1, 0, buf, BO_SIZE);
	memset(buf, 0, sizeof(buf));
	gem_read(fd2, h2, 0, buf, BO_SIZE);
	check_pattern(buf, BO_SIZE, seed, "PREAD through the other handle");
	map = gem_mmap_gtt(fd2, h2, BO_SIZE, PROT_READ | PROT_WRITE);
	check_pattern(map, BO_SIZE, seed, "GTT mmap of the other handle");
	map[7] = seed ^ 0xffffffffu;
	munmap((void *)map, BO_SIZE);
	gem_read(fd1, h1, 28, &buf[0], 4);
	CHECK(buf[0] == (seed ^ 0xffffffffu));
}

static int prime_export(int dev, uint32_t h)
{
	int dmabuf, ret = __prime_handle_to_fd(dev, h, DRM_CLOEXEC | DRM_RDWR, &dmabuf);

	if (ret)
		FAIL("PRIME_HANDLE_TO_FD(%u) failed: %s", h, errname(ret));
	return dmabuf;
}

static uint32_t prime_import(int dev, int dmabuf)
{
	uint32_t h;
	int ret = __prime_fd_to_handle(dev, dmabuf, &h);

	if (ret)
		FAIL("PRIME_FD_TO_HANDLE failed: %s", errname(ret));
	return h;
}

/*
 * prime_self_import@basic-with_one_bo (as IGT): reimport gives the same
 * handle, self-import on the exporting fd gives the exporter's handle
 * (README: importing our own dma-buf returns the same object), data is
 * shared, nothing disappears when the dma-buf or a handle is closed.
 */
static void test_prime_one_bo(int arg)
{
	int fd1 = open_device(), fd2 = open_device(), dmabuf;
	uint32_t handle, import1, import2, self;
	struct vi_counters c0, c1;

	(void)arg;
	check_counters(&c0);
	handle = gem_create(BO_SIZE);
	/* gem_create() used the child's fd: move the handle to fd1 through PRIME */
	dmabuf = prime_export(fd, handle);
	self = prime_import(fd1, dmabuf);
	gem_close(fd, handle);
	close(dmabuf);
	handle = self;

	dmabuf = prime_export(fd1, handle);
	import1 = prime_import(fd2, dmabuf);
	check_bo(fd1, handle, fd2, import1, 0x100);

	import2 = prime_import(fd2, dmabuf);
	if (import1 != import2)
		FAIL("re-import on the same fd gave handle %u, first import %u", import2, import1);
	self = prime_import(fd1, dmabuf);
	if (self != handle)
		FAIL("self-import on the exporting fd gave handle %u, exporter's handle %u",
		     self, handle);
	check_counters(&c1);
	if (counter_delta(&c0, &c1, VI_OBJECTS) != 1)
		FAIL("objects went %lld -> %lld: the imports are not the same object",
		     c0.v[VI_OBJECTS], c1.v[VI_OBJECTS]);

	close(dmabuf);
	check_bo(fd1, handle, fd2, import1, 0x200);

	gem_close(fd1, handle);
	check_bo(fd2, import1, fd2, import1, 0x300);

	dmabuf = prime_export(fd2, import1);
	gem_close(fd2, import1);
	handle = prime_import(fd1, dmabuf);
	import1 = prime_import(fd2, dmabuf);
	check_bo(fd1, handle, fd2, import1, 0x400);
	close(dmabuf);
	close(fd1);
	close(fd2);
}

/*
 * prime_self_import@vi915-dmabuf-mmap: vi915 extension.  README: dma-buf
 * mmap works (same fault path): the dma-buf's own mmap shows the object,
 * for a GEM_CREATE object and for a userptr.
 */
static void test_prime_dmabuf_mmap(int arg)
{
	static uint32_t buf[BO_SIZE / 4];
	uint32_t *user = mmap_anon(BO_SIZE, MAP_SHARED);
	uint32_t h = gem_create(BO_SIZE), up;
	volatile uint32_t *map;
	int dmabuf;

	(void)arg;
	fill_pattern(buf, BO_SIZE, 0xd0d0);
	gem_write(fd, h, 0, buf, BO_SIZE);
	dmabuf = prime_export(fd, h);
	map = mmap(NULL, BO_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, dmabuf, 0);
	CHECK(map != MAP_FAILED);
	check_pattern(map, BO_SIZE, 0xd0d0, "dma-buf mmap of a GEM object");
	map[3] = 0xcafe;
	gem_read(fd, h, 12, &buf[0], 4);
	CHECK(buf[0] == 0xcafe);
	munmap((void *)map, BO_SIZE);
	close(dmabuf);
	gem_close(fd, h);

	fill_pattern(user, BO_SIZE, 0xe0e0);
	up = gem_userptr(user, BO_SIZE, 0);
	dmabuf = prime_export(fd, up);
	map = mmap(NULL, BO_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, dmabuf, 0);
	CHECK(map != MAP_FAILED);
	check_pattern(map, BO_SIZE, 0xe0e0, "dma-buf mmap of a userptr");
	map[5] = 0xbeef;
	CHECK(user[5] == 0xbeef);
	munmap((void *)map, BO_SIZE);
	close(dmabuf);
	gem_close(fd, up);
	munmap(user, BO_SIZE);
}

/* ======================================================================== */
/* Subtest table                                                             */
/* ======================================================================== */

static void build_subtest_table(void)
{
	add("basic-with_one_bo", test_prime_one_bo, 0, 0);
	add("vi915-dmabuf-mmap", test_prime_dmabuf_mmap, 0, 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv, "prime_self_import", build_subtest_table);
}
