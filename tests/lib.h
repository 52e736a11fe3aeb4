/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lib.h - small helper library shared by the vi915 userspace tests.
 *
 * Conventions: the __gem_* helpers return 0 or -errno and never abort;
 * callers decide what an error means.
 */
#ifndef VI915_LIB_H
#define VI915_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vi915_uapi.h"

#define PAGE_SIZE 4096UL

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- time ------------------------------------------------------------ */
double vi_now(void);			/* CLOCK_MONOTONIC seconds */

/* ---- ioctl ----------------------------------------------------------- */
/* Like libdrm's drmIoctl(): retries while errno is EINTR or EAGAIN. */
int drm_ioctl(int fd, unsigned long request, void *arg);
/* drm_ioctl() but returning 0 / -errno. */
int drm_ioctl_err(int fd, unsigned long request, void *arg);

/* ---- device ---------------------------------------------------------- */
/*
 * Open the i915 device like IGT-2017's __drm_open_driver(DRIVER_INTEL):
 * /dev/dri/card0..15, DRM_IOCTL_VERSION name "i915", GETPARAM(CHIPSET_ID)
 * succeeds.  Returns an fd or -errno; on failure, why[] (if non-NULL)
 * describes what was tried.
 */
int drm_open_i915(char *why, size_t why_len);
bool is_i915_device(int fd);
int __getparam(int fd, int param, int *value);

/* ---- GEM ------------------------------------------------------------- */
int __gem_userptr(int fd, void *ptr, uint64_t size, uint32_t flags, uint32_t *handle);
int __gem_close(int fd, uint32_t handle);
int __gem_set_domain(int fd, uint32_t handle, uint32_t read, uint32_t write);
int __gem_create(int fd, uint64_t size, uint32_t *handle);
int __gem_mmap_gtt_offset(int fd, uint32_t handle, uint64_t *offset);
/* MMAP_GTT + mmap(MAP_SHARED) of the drm fd; NULL (errno set) on failure. */
void *__gem_mmap_gtt(int fd, uint32_t handle, uint64_t size, int prot);
int __gem_set_tiling(int fd, uint32_t handle, uint32_t tiling, uint32_t stride);
int __gem_pread(int fd, uint32_t handle, uint64_t offset, void *buf, uint64_t size);
int __gem_pwrite(int fd, uint32_t handle, uint64_t offset, const void *buf, uint64_t size);
int __prime_handle_to_fd(int fd, uint32_t handle, uint32_t flags, int *dmabuf);
int __prime_fd_to_handle(int fd, int dmabuf, uint32_t *handle);

/* ---- driver counters (debugfs) -------------------------------------- */
enum vi_counter {
	VI_OBJECTS,
	VI_USERPTR_OBJECTS,
	VI_PAGES_HELD,
	VI_WORKERS_IN_FLIGHT,
	VI_GGTT_BOUND,
	VI_NR_COUNTERS
};
extern const char *const vi_counter_names[VI_NR_COUNTERS];

struct vi_counters {
	long long v[VI_NR_COUNTERS];
	bool present[VI_NR_COUNTERS];
};

/*
 * First directory under /sys/kernel/debug/dri holding i915_error_state.
 * Returns 0 and fills dir, or -errno.
 */
int vi_find_debugfs_dir(char *dir, size_t len);
/* Read <dir>/vi915_counters.  Returns 0 or -errno (-ENOENT: no file). */
int vi_read_counters(struct vi_counters *c, char *path_out, size_t path_len);

/* ---- /proc ------------------------------------------------------------ */
/* Value of key in /proc/vmstat, or -1 if absent. */
long long vi_vmstat(const char *key);
/* debug_locks from /proc/lockdep_stats, or -1 if not available. */
int vi_debug_locks(void);

/* ---- /dev/kmsg ------------------------------------------------------- */
/* Open /dev/kmsg O_RDONLY|O_NONBLOCK positioned at the end; -errno on failure. */
int kmsg_open_at_end(void);
/* Write one line (printf format) into the kernel log; best effort. */
void kmsg_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

struct kmsg_record {
	int level;		/* syslog level 0..7 */
	unsigned long long usec;
	char text[1024];
};
/*
 * Read the next record.  Returns 1 on a record, 0 when there are no more
 * (EAGAIN), -errno on error.  Records lost to ring-buffer overwrite (EPIPE)
 * are skipped transparently.
 */
int kmsg_read(int fd, struct kmsg_record *rec);

#endif /* VI915_LIB_H */
