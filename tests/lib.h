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

int __gem_flink(int fd, uint32_t handle, uint32_t *name);
int __gem_open(int fd, uint32_t name, uint32_t *handle);

/* ---- execution ------------------------------------------------------- */
/* EXECBUFFER2 (retried on EINTR/EAGAIN): 0 / -errno. */
int __gem_execbuf(int fd, struct drm_i915_gem_execbuffer2 *eb);
/*
 * EXECBUFFER2_WR with I915_EXEC_FENCE_OUT added to eb->flags: on success
 * *fence is the request's out-fence (a sync_file), which is how a request's
 * failure shows (status -EIO): as in i915, GEM_WAIT and SET_DOMAIN wait for
 * a failed request and answer 0.  0 / -errno.
 */
int __gem_execbuf_fenced(int fd, struct drm_i915_gem_execbuffer2 *eb, int *fence);
/*
 * Wait up to ms for sync_file f, then its status (SYNC_IOC_FILE_INFO):
 * 1 signalled, 0 still active, -errno signalled with that error.
 */
int vi_fence_status(int f, int ms);
/*
 * GEM_WAIT with flags 0: timeout_ns < 0 waits forever, 0 polls (-ETIME if
 * busy); *timeout_ns is updated with what the kernel left in it.  NULL
 * timeout_ns = wait forever.  0 / -errno (0 after a failed request too, as
 * i915: its out-fence carries the error).
 */
int __gem_wait(int fd, uint32_t handle, int64_t *timeout_ns);
/* GEM_BUSY: 0 / -errno; *busy = the kernel's answer (nonzero while in flight). */
int __gem_busy(int fd, uint32_t handle, uint32_t *busy);

/* Engine commands, gen9 encodings (dword 0 of each). */
#define MI_NOOP				0
#define MI_BATCH_BUFFER_END		(0x0a << 23)
#define MI_STORE_DWORD_IMM		(0x20 << 23)	/* | 2: 4 dwords (dword), | 3: 5 dwords (qword) */
#define MI_USE_GGTT			(1 << 22)
#define MI_FLUSH_DW			(0x26 << 23)	/* | 1: 3 dwords, | 2: 4, | 3: 5 */
#define MI_FLUSH_DW_OP_STOREDW		(1 << 14)	/* post-sync op 01: store the immediate */
#define XY_SRC_COPY_BLT_CMD		((2u << 29) | (0x53 << 22))	/* | (10 - 2) */
#define XY_SRC_COPY_BLT_WRITE_ALPHA	(1 << 21)
#define XY_SRC_COPY_BLT_WRITE_RGB	(1 << 20)
#define XY_SRC_COPY_BLT_SRC_TILED	(1 << 15)
#define XY_SRC_COPY_BLT_DST_TILED	(1 << 11)
#define XY_FAST_COPY_BLT		((2u << 29) | (0x42 << 22))	/* | (10 - 2) */
#define XY_FAST_COPY_SRC_TILING(t)	((uint32_t)(t) << 20)
#define XY_FAST_COPY_DST_TILING(t)	((uint32_t)(t) << 13)
#define BLT_ROP_SRCCOPY			(0xcc << 16)

/* Surface layouts of the blitter (no swizzling, SET_TILING reports swizzle 0). */
enum vi_tiling {
	VI_LINEAR = 0,
	VI_TILE_X = 1,	/* 4 KiB tile = 512 bytes x 8 rows, row major */
	VI_TILE_Y = 2,	/* 4 KiB tile = 128 bytes x 32 rows, 16-byte columns of 32 rows */
};

/* Byte offset of byte column xb of row y in a surface (pitch in bytes). */
uint64_t vi_surface_offset(enum vi_tiling tiling, uint32_t pitch, uint32_t xb, uint32_t y);

struct vi_surface {
	uint32_t handle;
	uint32_t delta;		/* byte offset of the surface in its object (relocation delta) */
	uint32_t pitch;		/* bytes (the command gets dwords for a tiled surface) */
	enum vi_tiling tiling;	/* XY_SRC_COPY_BLT: any non-linear value = "tiled", and the
				 * kernel takes X or Y from the object's SET_TILING */
	int x, y;		/* pixel position of the rectangle */
};

struct vi_blit {
	struct vi_surface dst, src;
	int width, height;	/* pixels */
	int cpp;		/* bytes per pixel: 1, 2, 4 (8, 16 with fast copy) */
	bool fast;		/* XY_FAST_COPY_BLT instead of XY_SRC_COPY_BLT */
	uint32_t rop;		/* XY_SRC_COPY_BLT ROP (0: 0xcc, SRCCOPY) */
	uint64_t exec_flags;	/* execbuffer2.flags (0: I915_EXEC_BLT) */
	/* the exec list before the batch (must hold dst and src); NULL: dst and src */
	const uint32_t *objects;
	unsigned int nr_objects;
	int *out_fence;		/* non-NULL: I915_EXEC_FENCE_OUT, the sync_file here */
};

/*
 * Emit the blit command at cs (10 dwords, returned) and fill relocs[0]
 * (dst) and relocs[1] (src) for a batch in which cs starts at byte
 * cs_offset.  Address dwords hold the presumed offset 0.
 */
unsigned int vi_emit_blit(uint32_t *cs, uint32_t cs_offset, const struct vi_blit *b,
			  struct drm_i915_gem_relocation_entry *relocs);
/*
 * IGT gem_userptr_blits copy()/blit(): the blit + MI_BATCH_BUFFER_END in a
 * new 4 KiB GEM_CREATE batch with two relocations, EXECBUFFER2 (on the
 * blitter unless exec_flags says otherwise), close the batch.  Returns 0 or
 * the -errno of EXECBUFFER2 (or of GEM_CREATE / PWRITE).  Does not wait.
 */
int vi_blit(int fd, const struct vi_blit *b);
/*
 * EXECBUFFER2 on the blitter of [dst (a writer), src (unless 0 or dst),
 * batch with its nrelocs relocations]: the copy requests tests build by
 * hand.  0 / -errno (retried on EINTR/EAGAIN, like __gem_execbuf).
 */
int vi_exec_copy(int fd, uint32_t dst, uint32_t src, uint32_t batch,
		 struct drm_i915_gem_relocation_entry *relocs, unsigned int nrelocs);

/*
 * An IGT-style spinner (lib/igt_dummyload.c, Gen9, relocation path): a
 * 4 KiB batch with, at dword 16, MI_ARB_CHECK, 960 MI_NOOPs,
 * MI_CONDITIONAL_BATCH_BUFFER_END comparing dword 1022 against
 * MI_BATCH_BUFFER_END, and MI_BATCH_BUFFER_START back to dword 16. Written
 * through a GTT mmap (kept in map) and submitted on the blitter with
 * NO_RELOC and wrong offset hints, as IGT does; dep (unless 0) joins the
 * request as a written object (IGT's .dependency). It runs until
 * vi_spin_end() writes MI_BATCH_BUFFER_END into dword 1022, or until the
 * request budget ends it (its out-fence then says -EIO). 0 / -errno.
 */
struct vi_spin {
	uint32_t handle;
	uint32_t *map;
	int fence;		/* the request's out-fence */
};
int vi_spin_new(int fd, uint32_t dep, struct vi_spin *spin);
/* The request budget in ms (module parameter request_budget_ms; 2000 if unreadable). */
int vi_budget_ms(void);
void vi_spin_end(const struct vi_spin *spin);
/*
 * GEM_WAIT for the spinner, then how it ended: 0 by MI_BATCH_BUFFER_END,
 * -EIO by the request budget (its out-fence), else GEM_WAIT's -errno.
 */
int vi_spin_wait(int fd, const struct vi_spin *spin);
/* Unmap and close the batch (end it first). */
void vi_spin_free(int fd, struct vi_spin *spin);

/* ---- driver counters (debugfs) -------------------------------------- */
enum vi_counter {
	VI_OBJECTS,
	VI_USERPTR_OBJECTS,
	VI_PAGES_HELD,
	VI_WORKERS_IN_FLIGHT,
	VI_GGTT_BOUND,
	VI_REQUESTS_IN_FLIGHT,
	VI_ENGINE_MAPPED_PAGES,
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
/* Read i915_error_state (NUL-terminated, up to len - 1 bytes): 0 / -errno. */
int vi_read_error_state(char *buf, size_t len);
/* Clear the engine's error capture (any write to i915_error_state): 0 / -errno. */
int vi_clear_error_state(void);
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
