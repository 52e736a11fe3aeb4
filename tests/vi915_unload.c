// SPDX-License-Identifier: GPL-2.0
/*
 * vi915_unload - what outlives the module (vi915-only; IGT has no such test).
 *
 * Run on its own, with vi915 loaded and no other user: it makes the state,
 * unloads the module itself (rmmod), then uses what is left.
 *
 * sync-file-after-rmmod: a running request's fence, exported from a dma-buf
 * as a sync_file (DMA_BUF_IOCTL_EXPORT_SYNC_FILE), outlives rmmod (which
 * waits for the engine); asking the
 * sync_file about it (SYNC_IOC_FILE_INFO: driver name, status, the fence's
 * lock) must not touch module memory. Judged by the kernel log (an oops on
 * freed module memory fails the boot's verdict) and by the answers.
 *
 * Output: IGT-style subtest lines, last line "N passed, N failed".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/dma-buf.h>
#include <linux/sync_file.h>

#include "lib.h"

static int fail(const char *what)
{
	printf("  FAIL: %s (errno %d: %s)\n", what, errno, strerror(errno));
	return 1;
}

static int sync_file_after_rmmod(void)
{
	enum { COPIES = 8, SZ = 4 << 20 };
	struct drm_i915_gem_relocation_entry relocs[2 * COPIES];
	struct dma_buf_export_sync_file ex = { .flags = DMA_BUF_SYNC_RW, .fd = -1 };
	struct sync_fence_info fi;
	struct sync_file_info info;
	uint32_t cs[10 * COPIES + 2], target, src, batch;
	unsigned int n = 0;
	int fd, dmabuf, st;
	struct vi_blit b = { .width = 1024, .height = SZ / 4096, .cpp = 4 };

	fd = drm_open_i915(NULL, 0);
	if (fd < 0)
		return fail("no i915 device");
	if (__gem_create(fd, SZ, &target) || __gem_create(fd, SZ, &src) ||
	    __gem_create(fd, 4096, &batch))
		return fail("GEM_CREATE");
	/* A request that is still running when its fence is exported. */
	b.dst = (struct vi_surface) { .handle = target, .pitch = 4096 };
	b.src = (struct vi_surface) { .handle = src, .pitch = 4096 };
	for (unsigned int i = 0; i < COPIES; i++)
		n += vi_emit_blit(cs + n, 4 * n, &b, relocs + 2 * i);
	cs[n++] = MI_BATCH_BUFFER_END;
	cs[n++] = MI_NOOP;
	if (__gem_pwrite(fd, batch, 0, cs, 4 * n))
		return fail("PWRITE");
	if (vi_exec_copy(fd, target, src, batch, relocs, 2 * COPIES))
		return fail("EXECBUFFER2");
	if (__prime_handle_to_fd(fd, target, DRM_CLOEXEC | DRM_RDWR, &dmabuf))
		return fail("PRIME_HANDLE_TO_FD");
	/*
	 * Exported while the request runs: the sync_file holds our fence (a
	 * signalled one would be replaced by the stub fence).
	 */
	if (ioctl(dmabuf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &ex) || ex.fd < 0)
		return fail("DMA_BUF_IOCTL_EXPORT_SYNC_FILE");
	memset(&info, 0, sizeof(info));
	if (ioctl(ex.fd, SYNC_IOC_FILE_INFO, &info) || info.num_fences != 1)
		return fail("SYNC_IOC_FILE_INFO before rmmod");
	memset(&fi, 0, sizeof(fi));
	info.sync_fence_info = (uintptr_t)&fi;
	if (ioctl(ex.fd, SYNC_IOC_FILE_INFO, &info))
		return fail("SYNC_IOC_FILE_INFO before rmmod (fences)");
	printf("  before rmmod: driver \"%s\", timeline \"%s\", status %d\n",
	       fi.driver_name, fi.obj_name, fi.status);
	if (strcmp(fi.driver_name, "vi915")) {
		printf("  FAIL: the sync_file does not hold vi915's fence\n");
		return 1;
	}
	/* Everything but the sync_file goes; then the module. */
	close(dmabuf);
	close(fd);
	st = system("rmmod vi915");
	if (st != 0) {
		errno = 0;
		return fail("rmmod vi915 with only a sync_file left");
	}
	memset(&info, 0, sizeof(info));
	if (ioctl(ex.fd, SYNC_IOC_FILE_INFO, &info))
		return fail("SYNC_IOC_FILE_INFO (count)");
	if (info.num_fences != 1 || info.status != 1) {
		printf("  FAIL: %u fences, status %d (expected 1 fence, signalled)\n",
		       info.num_fences, info.status);
		return 1;
	}
	memset(&fi, 0, sizeof(fi));
	info.sync_fence_info = (uintptr_t)&fi;
	if (ioctl(ex.fd, SYNC_IOC_FILE_INFO, &info))
		return fail("SYNC_IOC_FILE_INFO (fences)");
	printf("  fence: driver \"%s\", timeline \"%s\", status %d\n", fi.driver_name,
	       fi.obj_name, fi.status);
	if (fi.status != 1) {
		printf("  FAIL: the fence is not reported signalled\n");
		return 1;
	}
	close(ex.fd);
	return 0;
}

int main(void)
{
	int failed;

	printf("IGT-Version: vi915 (vi915_unload)\n");
	printf("Starting subtest: sync-file-after-rmmod\n");
	failed = sync_file_after_rmmod();
	printf("Subtest sync-file-after-rmmod: %s\n", failed ? "FAIL" : "SUCCESS");
	printf("%d passed, %d failed\n", !failed, failed);
	return failed ? 98 : 0;
}
