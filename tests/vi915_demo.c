// SPDX-License-Identifier: GPL-2.0
/*
 * vi915_demo - smoke test: open the device the IGT way, print its version
 * and chipset id, do one userptr + SET_DOMAIN round trip, print lockdep's
 * debug_locks.  Exit 0 iff the device answered (open + DRM_IOCTL_VERSION).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib.h"

int main(void)
{
	char why[1024], name[64] = "", date[64] = "", desc[256] = "";
	struct drm_version v;
	int fd, ret, devid = 0;
	uint32_t handle = 0;
	void *ptr = NULL;

	fd = drm_open_i915(why, sizeof(why));
	if (fd < 0) {
		printf("vi915_demo: no i915 device: %s\n", why);
		printf("lockdep: debug_locks=%d\n", vi_debug_locks());
		return 1;
	}

	memset(&v, 0, sizeof(v));
	v.name = name;
	v.name_len = sizeof(name) - 1;
	v.date = date;
	v.date_len = sizeof(date) - 1;
	v.desc = desc;
	v.desc_len = sizeof(desc) - 1;
	ret = drm_ioctl_err(fd, DRM_IOCTL_VERSION, &v);
	if (ret) {
		printf("vi915_demo: DRM_IOCTL_VERSION failed: %s\n", strerror(-ret));
		return 1;
	}
	printf("DRM version: %s %d.%d.%d (%s)\n", name, v.version_major,
	       v.version_minor, v.version_patchlevel, desc);

	ret = __getparam(fd, I915_PARAM_CHIPSET_ID, &devid);
	if (ret)
		printf("chipset id: GETPARAM CHIPSET_ID failed: %s\n", strerror(-ret));
	else
		printf("chipset id: 0x%04x (GETPARAM CHIPSET_ID)\n", devid);

	if (posix_memalign(&ptr, PAGE_SIZE, PAGE_SIZE) == 0) {
		memset(ptr, 0xa5, PAGE_SIZE);
		ret = __gem_userptr(fd, ptr, PAGE_SIZE, 0, &handle);
		printf("userptr: USERPTR(4 KiB): %s (handle %u)\n", ret ? strerror(-ret) : "ok",
		       handle);
		if (!ret) {
			ret = __gem_set_domain(fd, handle, I915_GEM_DOMAIN_CPU,
					       I915_GEM_DOMAIN_CPU);
			printf("userptr: SET_DOMAIN(CPU, CPU): %s\n", ret ? strerror(-ret) : "ok");
			ret = __gem_close(fd, handle);
			printf("userptr: GEM_CLOSE: %s\n", ret ? strerror(-ret) : "ok");
		}
		free(ptr);
	}

	printf("lockdep: debug_locks=%d\n", vi_debug_locks());
	close(fd);
	return 0;
}
