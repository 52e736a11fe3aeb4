/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vi915_uapi.h - the slice of the DRM / i915 uAPI the vi915 tests use.
 *
 * Written from /work/shared/reference/i915-userptr-and-igt.md section 1
 * (ioctl numbers and struct layouts, x86_64).  No libdrm, no drm/ kernel headers:
 * every size and ioctl value is pinned with a _Static_assert against the
 * table in section 1.1 so that a typo here cannot silently change the ABI.
 */
#ifndef VI915_UAPI_H
#define VI915_UAPI_H

#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>

/* ---- DRM core -------------------------------------------------------- */

#define DRM_IOCTL_BASE		'd'
#define DRM_COMMAND_BASE	0x40
#define VI_DRM_IO(nr)		_IO(DRM_IOCTL_BASE, nr)
#define VI_DRM_IOR(nr, type)	_IOR(DRM_IOCTL_BASE, nr, type)
#define VI_DRM_IOW(nr, type)	_IOW(DRM_IOCTL_BASE, nr, type)
#define VI_DRM_IOWR(nr, type)	_IOWR(DRM_IOCTL_BASE, nr, type)

struct drm_version {
	int version_major;
	int version_minor;
	int version_patchlevel;
	size_t name_len;
	char *name;
	size_t date_len;
	char *date;
	size_t desc_len;
	char *desc;
};

struct drm_gem_close {
	uint32_t handle;
	uint32_t pad;
};

struct drm_prime_handle {
	uint32_t handle;
	uint32_t flags;		/* DRM_CLOEXEC, DRM_RDWR */
	int32_t fd;
};

/* flink names (DRM core; FLINK/OPEN need an authenticated client: root) */
struct drm_gem_flink {
	uint32_t handle;
	uint32_t name;
};

struct drm_gem_open {
	uint32_t name;
	uint32_t handle;
	uint64_t size;
};

#define DRM_CLOEXEC		0x80000	/* == O_CLOEXEC */
#define DRM_RDWR		0x2	/* == O_RDWR */

#define DRM_IOCTL_VERSION		VI_DRM_IOWR(0x00, struct drm_version)
#define DRM_IOCTL_GEM_CLOSE		VI_DRM_IOW(0x09, struct drm_gem_close)
#define DRM_IOCTL_GEM_FLINK		VI_DRM_IOWR(0x0a, struct drm_gem_flink)
#define DRM_IOCTL_GEM_OPEN		VI_DRM_IOWR(0x0b, struct drm_gem_open)
#define DRM_IOCTL_PRIME_HANDLE_TO_FD	VI_DRM_IOWR(0x2d, struct drm_prime_handle)
#define DRM_IOCTL_PRIME_FD_TO_HANDLE	VI_DRM_IOWR(0x2e, struct drm_prime_handle)

/* Dumb buffers (vgem's objects, for prime_vgem): drm_mode.h. */
struct drm_mode_create_dumb {
	uint32_t height;
	uint32_t width;
	uint32_t bpp;
	uint32_t flags;
	uint32_t handle;
	uint32_t pitch;
	uint64_t size;
};

struct drm_mode_map_dumb {
	uint32_t handle;
	uint32_t pad;
	uint64_t offset;
};

/* DRM syncobjs (drm.h). */
struct drm_get_cap {
	uint64_t capability;
	uint64_t value;
};
#define DRM_CAP_SYNCOBJ			0x13
#define DRM_CAP_SYNCOBJ_TIMELINE	0x14

struct drm_syncobj_create {
	uint32_t handle;
	uint32_t flags;
};
#define DRM_SYNCOBJ_CREATE_SIGNALED	(1 << 0)

struct drm_syncobj_destroy {
	uint32_t handle;
	uint32_t pad;
};

struct drm_syncobj_handle {
	uint32_t handle;
	uint32_t flags;
	int32_t fd;
	uint32_t pad;
	uint64_t point;
};
#define DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE	(1 << 0)
#define DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE	(1 << 0)

struct drm_syncobj_timeline_wait {
	uint64_t handles;
	uint64_t points;
	int64_t timeout_nsec;
	uint32_t count_handles;
	uint32_t flags;
	uint32_t first_signaled;
	uint32_t pad;
	uint64_t deadline_nsec;
};
#define DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL		(1 << 0)
#define DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT	(1 << 1)
#define DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE	(1 << 2)

struct drm_syncobj_timeline_array {
	uint64_t handles;
	uint64_t points;
	uint32_t count_handles;
	uint32_t flags;
};

#define DRM_IOCTL_GET_CAP		VI_DRM_IOWR(0x0c, struct drm_get_cap)
#define DRM_IOCTL_SYNCOBJ_CREATE	VI_DRM_IOWR(0xbf, struct drm_syncobj_create)
#define DRM_IOCTL_SYNCOBJ_DESTROY	VI_DRM_IOWR(0xc0, struct drm_syncobj_destroy)
#define DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD	VI_DRM_IOWR(0xc1, struct drm_syncobj_handle)
#define DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE	VI_DRM_IOWR(0xc2, struct drm_syncobj_handle)
#define DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT	VI_DRM_IOWR(0xca, struct drm_syncobj_timeline_wait)
#define DRM_IOCTL_SYNCOBJ_QUERY		VI_DRM_IOWR(0xcb, struct drm_syncobj_timeline_array)

#define DRM_IOCTL_MODE_CREATE_DUMB	VI_DRM_IOWR(0xb2, struct drm_mode_create_dumb)
#define DRM_IOCTL_MODE_MAP_DUMB		VI_DRM_IOWR(0xb3, struct drm_mode_map_dumb)

/* vgem's fences (include/uapi/drm/vgem_drm.h). */
struct drm_vgem_fence_attach {
	uint32_t handle;
	uint32_t flags;
#define VGEM_FENCE_WRITE	0x1
	uint32_t out_fence;
	uint32_t pad;
};

struct drm_vgem_fence_signal {
	uint32_t fence;
	uint32_t flags;
};

#define DRM_IOCTL_VGEM_FENCE_ATTACH	VI_DRM_IOWR(DRM_COMMAND_BASE + 0x1, struct drm_vgem_fence_attach)
#define DRM_IOCTL_VGEM_FENCE_SIGNAL	VI_DRM_IOW(DRM_COMMAND_BASE + 0x2, struct drm_vgem_fence_signal)

/* ---- i915 ------------------------------------------------------------- */

struct drm_i915_getparam {
	int32_t param;
	int *value;
};

#define I915_PARAM_IRQ_ACTIVE		1
#define I915_PARAM_CHIPSET_ID		4
#define I915_PARAM_HAS_GEM		5
#define I915_PARAM_NUM_FENCES_AVAIL	6
#define I915_PARAM_HAS_EXECBUF2		9
#define I915_PARAM_HAS_BSD		10
#define I915_PARAM_HAS_BLT		11
#define I915_PARAM_HAS_RELAXED_FENCING	12
#define I915_PARAM_HAS_LLC		17
#define I915_PARAM_HAS_WAIT_TIMEOUT	19
#define I915_PARAM_HAS_EXEC_NO_RELOC	25
#define I915_PARAM_HAS_EXEC_HANDLE_LUT	26
#define I915_PARAM_HAS_VEBOX		22
#define I915_PARAM_HAS_BSD2		31
#define I915_PARAM_MMAP_GTT_VERSION	40
#define I915_PARAM_HAS_USERPTR_PROBE	56
#define I915_PARAM_HAS_ALIASING_PPGTT	18
#define I915_PARAM_HAS_SEMAPHORES	20
#define I915_PARAM_HAS_SECURE_BATCHES	23
#define I915_PARAM_MMAP_VERSION		30
#define I915_PARAM_SUBSLICE_TOTAL	33
#define I915_PARAM_EU_TOTAL		34
#define I915_PARAM_HAS_GPU_RESET	35
#define I915_PARAM_HAS_EXEC_SOFTPIN	37
#define I915_PARAM_HAS_SCHEDULER	41
#define I915_PARAM_HAS_EXEC_ASYNC	43
#define I915_PARAM_HAS_EXEC_FENCE	44
#define I915_PARAM_HAS_EXEC_CAPTURE	45
#define I915_PARAM_HAS_EXEC_BATCH_FIRST	48
#define I915_PARAM_HAS_EXEC_FENCE_ARRAY	49
#define I915_PARAM_HAS_CONTEXT_ISOLATION	50
#define I915_PARAM_MMAP_GTT_COHERENT	52
#define I915_PARAM_HAS_EXEC_SUBMIT_FENCE	53
#define I915_PARAM_HAS_EXEC_TIMELINE_FENCES	55

struct drm_i915_gem_userptr {
	uint64_t user_ptr;
	uint64_t user_size;
	uint32_t flags;
	uint32_t handle;
};

#define I915_USERPTR_READ_ONLY		0x1
#define I915_USERPTR_PROBE		0x2	/* not in the 2017 header */
#define I915_USERPTR_UNSYNCHRONIZED	0x80000000u

struct drm_i915_gem_mmap_gtt {
	uint32_t handle;
	uint32_t pad;
	uint64_t offset;
};

struct drm_i915_gem_mmap_offset {
	uint32_t handle;
	uint32_t pad;
	uint64_t offset;
	uint64_t flags;
	uint64_t extensions;
};

struct drm_i915_gem_mmap {
	uint32_t handle;
	uint32_t pad;
	uint64_t offset;
	uint64_t size;
	uint64_t addr_ptr;
	uint64_t flags;
#define I915_MMAP_WC 0x1
};

struct drm_i915_gem_caching {
	uint32_t handle;
	uint32_t caching;
};

#define I915_CACHING_NONE	0
#define I915_CACHING_CACHED	1
#define I915_CACHING_DISPLAY	2

#define I915_MMAP_OFFSET_GTT	0
#define I915_MMAP_OFFSET_WC	1
#define I915_MMAP_OFFSET_WB	2
#define I915_MMAP_OFFSET_UC	3
#define I915_MMAP_OFFSET_FIXED	4

/* struct i915_user_extension (head of an extension chain) */
struct i915_user_extension {
	uint64_t next_extension;
	uint32_t name;
	uint32_t flags;
	uint32_t rsvd[4];
};

struct drm_i915_query_item {
	uint64_t query_id;
	int32_t length;
	uint32_t flags;
	uint64_t data_ptr;
};

struct drm_i915_query {
	uint32_t num_items;
	uint32_t flags;
	uint64_t items_ptr;
};

#define DRM_I915_QUERY_TOPOLOGY_INFO		1
#define DRM_I915_QUERY_ENGINE_INFO		2
#define DRM_I915_QUERY_PERF_CONFIG		3
#define DRM_I915_QUERY_MEMORY_REGIONS		4
#define DRM_I915_QUERY_HWCONFIG_BLOB		5
#define DRM_I915_QUERY_GEOMETRY_SUBSLICES	6
#define DRM_I915_QUERY_GUC_SUBMISSION_VERSION	7

struct drm_i915_memory_region_info {
	uint16_t memory_class, memory_instance;
	uint32_t rsvd0;
	uint64_t probed_size;
	uint64_t unallocated_size;
	uint64_t probed_cpu_visible_size;
	uint64_t unallocated_cpu_visible_size;
	uint64_t rsvd1[6];
};

struct drm_i915_query_memory_regions {
	uint32_t num_regions;
	uint32_t rsvd[3];
	struct drm_i915_memory_region_info regions[];
};

struct drm_i915_engine_info {
	uint16_t engine_class, engine_instance;
	uint32_t rsvd0;
	uint64_t flags;
	uint64_t capabilities;
	uint16_t logical_instance;
	uint16_t rsvd1[3];
	uint64_t rsvd2[3];
};

struct drm_i915_query_engine_info {
	uint32_t num_engines;
	uint32_t rsvd[3];
	struct drm_i915_engine_info engines[];
};

#define I915_ENGINE_CLASS_COPY			1
#define I915_ENGINE_INFO_HAS_LOGICAL_INSTANCE	(1 << 0)
#define I915_MEMORY_CLASS_SYSTEM		0
#define I915_MEMORY_CLASS_DEVICE		1

struct drm_i915_gem_create_ext {
	uint64_t size;
	uint32_t handle;
	uint32_t flags;
	uint64_t extensions;
};

struct drm_i915_gem_memory_class_instance {
	uint16_t memory_class, memory_instance;
};

struct drm_i915_gem_create_ext_memory_regions {
	struct i915_user_extension base;
	uint32_t pad;
	uint32_t num_regions;
	uint64_t regions;
};

#define I915_GEM_CREATE_EXT_MEMORY_REGIONS	0
#define I915_GEM_CREATE_EXT_PROTECTED_CONTENT	1
#define I915_GEM_CREATE_EXT_FLAG_NEEDS_CPU_ACCESS	(1 << 0)

struct drm_i915_gem_set_domain {
	uint32_t handle;
	uint32_t read_domains;
	uint32_t write_domain;
};

#define I915_GEM_DOMAIN_CPU		0x00000001
#define I915_GEM_DOMAIN_RENDER		0x00000002
#define I915_GEM_DOMAIN_SAMPLER		0x00000004
#define I915_GEM_DOMAIN_COMMAND		0x00000008
#define I915_GEM_DOMAIN_INSTRUCTION	0x00000010
#define I915_GEM_DOMAIN_VERTEX		0x00000020
#define I915_GEM_DOMAIN_GTT		0x00000040
/* the domains a relocation may name (i915_drm.h I915_GEM_GPU_DOMAINS) */
#define I915_GEM_GPU_DOMAINS		0x0000003e

struct drm_i915_gem_create {
	uint64_t size;
	uint32_t handle;
	uint32_t pad;
};

struct drm_i915_gem_set_tiling {
	uint32_t handle;
	uint32_t tiling_mode;
	uint32_t stride;
	uint32_t swizzle_mode;
};

struct drm_i915_gem_get_tiling {
	uint32_t handle;
	uint32_t tiling_mode;
	uint32_t swizzle_mode;
	uint32_t phys_swizzle_mode;
};

#define I915_TILING_NONE	0
#define I915_TILING_X		1
#define I915_TILING_Y		2

struct drm_i915_gem_pread {
	uint32_t handle;
	uint32_t pad;
	uint64_t offset;
	uint64_t size;
	uint64_t data_ptr;
};

struct drm_i915_gem_pwrite {
	uint32_t handle;
	uint32_t pad;
	uint64_t offset;
	uint64_t size;
	uint64_t data_ptr;
};

struct drm_i915_gem_get_aperture {
	uint64_t aper_size;
	uint64_t aper_available_size;
};

struct drm_i915_gem_context_param {
	uint32_t ctx_id;
	uint32_t size;
	uint64_t param;
	uint64_t value;
};

#define I915_CONTEXT_PARAM_BAN_PERIOD		0x1
#define I915_CONTEXT_PARAM_NO_ZEROMAP		0x2
#define I915_CONTEXT_PARAM_GTT_SIZE		0x3
#define I915_CONTEXT_PARAM_NO_ERROR_CAPTURE	0x4
#define I915_CONTEXT_PARAM_BANNABLE		0x5
#define I915_CONTEXT_PARAM_PRIORITY		0x6
#define I915_CONTEXT_PARAM_SSEU			0x7
#define I915_CONTEXT_PARAM_RECOVERABLE		0x8
#define I915_CONTEXT_PARAM_VM			0x9
#define I915_CONTEXT_PARAM_ENGINES		0xa
#define I915_CONTEXT_PARAM_PERSISTENCE		0xb

struct drm_i915_gem_context_create_ext {
	uint32_t ctx_id;
	uint32_t flags;
	uint64_t extensions;
};
#define I915_CONTEXT_CREATE_FLAGS_USE_EXTENSIONS	(1u << 0)
#define I915_CONTEXT_CREATE_FLAGS_SINGLE_TIMELINE	(1u << 1)
#define I915_CONTEXT_CREATE_EXT_SETPARAM		0
#define I915_CONTEXT_CREATE_EXT_CLONE			1

struct drm_i915_gem_context_destroy {
	uint32_t ctx_id;
	uint32_t pad;
};

/* i915_engine_class_instance, and an engine map of up to 8 of them */
struct i915_engine_class_instance {
	uint16_t engine_class;
	uint16_t engine_instance;
};
#define I915_ENGINE_CLASS_COPY		1
#define I915_ENGINE_CLASS_INVALID	0xffff
#define I915_ENGINE_CLASS_INVALID_NONE	0xffff
struct vi_context_param_engines {
	uint64_t extensions;
	struct i915_engine_class_instance engines[8];
};

struct drm_i915_gem_wait {
	uint32_t bo_handle;
	uint32_t flags;
	int64_t timeout_ns;
};

struct drm_i915_gem_busy {
	uint32_t handle;
	uint32_t busy;
};

struct drm_i915_gem_exec_object2 {
	uint32_t handle;
	uint32_t relocation_count;
	uint64_t relocs_ptr;
	uint64_t alignment;
	uint64_t offset;
	uint64_t flags;
	uint64_t rsvd1;
	uint64_t rsvd2;
};

/* exec_object2.flags */
#define EXEC_OBJECT_NEEDS_FENCE			(1 << 0)
#define EXEC_OBJECT_NEEDS_GTT			(1 << 1)
#define EXEC_OBJECT_WRITE			(1 << 2)
#define EXEC_OBJECT_SUPPORTS_48B_ADDRESS	(1 << 3)
#define EXEC_OBJECT_PINNED			(1 << 4)
#define EXEC_OBJECT_PAD_TO_SIZE			(1 << 5)
#define EXEC_OBJECT_ASYNC			(1 << 6)
#define EXEC_OBJECT_CAPTURE			(1 << 7)

struct drm_i915_gem_relocation_entry {
	uint32_t target_handle;	/* handle, or index into the list with HANDLE_LUT */
	uint32_t delta;
	uint64_t offset;	/* where in the object the address is written */
	uint64_t presumed_offset;
	uint32_t read_domains;
	uint32_t write_domain;
};

struct drm_i915_gem_execbuffer2 {
	uint64_t buffers_ptr;
	uint32_t buffer_count;
	uint32_t batch_start_offset;
	uint32_t batch_len;
	uint32_t DR1;
	uint32_t DR4;
	uint32_t num_cliprects;
	uint64_t cliprects_ptr;
	uint64_t flags;
	uint64_t rsvd1;		/* context id */
	uint64_t rsvd2;
};

/* execbuffer2.flags */
#define I915_EXEC_RING_MASK		0x3f
#define I915_EXEC_DEFAULT		0
#define I915_EXEC_RENDER		1
#define I915_EXEC_BSD			2
#define I915_EXEC_BLT			3
#define I915_EXEC_VEBOX			4
#define I915_EXEC_CONSTANTS_MASK	(3 << 6)
#define I915_EXEC_CONSTANTS_ABSOLUTE	(1 << 6)
#define I915_EXEC_GEN7_SOL_RESET	(1 << 8)
#define I915_EXEC_SECURE		(1 << 9)
#define I915_EXEC_IS_PINNED		(1 << 10)
#define I915_EXEC_NO_RELOC		(1 << 11)
#define I915_EXEC_HANDLE_LUT		(1 << 12)
#define I915_EXEC_BSD_RING1		(1 << 13)
#define I915_EXEC_BSD_RING2		(2 << 13)
#define I915_EXEC_BSD_MASK		(3 << 13)
#define I915_EXEC_RESOURCE_STREAMER	(1 << 15)
#define I915_EXEC_FENCE_IN		(1 << 16)
#define I915_EXEC_FENCE_OUT		(1 << 17)
#define I915_EXEC_BATCH_FIRST		(1 << 18)
#define I915_EXEC_FENCE_ARRAY		(1 << 19)
#define I915_EXEC_USE_EXTENSIONS	(1 << 21)

/* An exec fence (FENCE_ARRAY, and the timeline-fences extension's handles). */
struct drm_i915_gem_exec_fence {
	uint32_t handle;
	uint32_t flags;
};
#define I915_EXEC_FENCE_WAIT		(1 << 0)
#define I915_EXEC_FENCE_SIGNAL		(1 << 1)

#define DRM_I915_GEM_EXECBUFFER_EXT_TIMELINE_FENCES	0
struct drm_i915_gem_execbuffer_ext_timeline_fences {
	struct i915_user_extension base;
	uint64_t fence_count;
	uint64_t handles_ptr;	/* struct drm_i915_gem_exec_fence[] */
	uint64_t values_ptr;	/* uint64_t[]: the points */
};

#define DRM_I915_GETPARAM	0x06
#define DRM_I915_GEM_BUSY	0x17
#define DRM_I915_GEM_THROTTLE	0x18
#define DRM_I915_GEM_CREATE	0x1b
#define DRM_I915_GEM_PREAD	0x1c
#define DRM_I915_GEM_PWRITE	0x1d
#define DRM_I915_GEM_MMAP	0x1e
#define DRM_I915_GEM_SET_DOMAIN	0x1f
#define DRM_I915_GEM_SET_CACHING 0x2f
#define DRM_I915_GEM_GET_CACHING 0x30
#define DRM_I915_GEM_SET_TILING	0x21
#define DRM_I915_GEM_GET_TILING	0x22
#define DRM_I915_GEM_GET_APERTURE 0x23
#define DRM_I915_GEM_MMAP_GTT	0x24
#define DRM_I915_GEM_EXECBUFFER2 0x29
#define DRM_I915_GEM_WAIT	0x2c
#define DRM_I915_GEM_USERPTR	0x33
#define DRM_I915_GEM_CONTEXT_GETPARAM 0x34

#define DRM_IOCTL_I915_GETPARAM \
	VI_DRM_IOWR(DRM_COMMAND_BASE + DRM_I915_GETPARAM, struct drm_i915_getparam)
#define DRM_IOCTL_I915_GEM_CREATE \
	VI_DRM_IOWR(DRM_COMMAND_BASE + DRM_I915_GEM_CREATE, struct drm_i915_gem_create)
#define DRM_IOCTL_I915_GEM_PREAD \
	VI_DRM_IOW(DRM_COMMAND_BASE + DRM_I915_GEM_PREAD, struct drm_i915_gem_pread)
#define DRM_IOCTL_I915_GEM_PWRITE \
	VI_DRM_IOW(DRM_COMMAND_BASE + DRM_I915_GEM_PWRITE, struct drm_i915_gem_pwrite)
#define DRM_IOCTL_I915_GEM_SET_DOMAIN \
	VI_DRM_IOW(DRM_COMMAND_BASE + DRM_I915_GEM_SET_DOMAIN, struct drm_i915_gem_set_domain)
#define DRM_IOCTL_I915_GEM_SET_TILING \
	VI_DRM_IOWR(DRM_COMMAND_BASE + DRM_I915_GEM_SET_TILING, struct drm_i915_gem_set_tiling)
#define DRM_IOCTL_I915_GEM_MMAP_GTT \
	VI_DRM_IOWR(DRM_COMMAND_BASE + DRM_I915_GEM_MMAP_GTT, struct drm_i915_gem_mmap_gtt)
#define DRM_IOCTL_I915_GEM_MMAP_OFFSET \
	VI_DRM_IOWR(DRM_COMMAND_BASE + DRM_I915_GEM_MMAP_GTT, struct drm_i915_gem_mmap_offset)
#define DRM_IOCTL_I915_GEM_MMAP \
	VI_DRM_IOWR(DRM_COMMAND_BASE + DRM_I915_GEM_MMAP, struct drm_i915_gem_mmap)
#define DRM_IOCTL_I915_GEM_SET_CACHING \
	VI_DRM_IOW(DRM_COMMAND_BASE + DRM_I915_GEM_SET_CACHING, struct drm_i915_gem_caching)
#define DRM_IOCTL_I915_GEM_GET_CACHING \
	VI_DRM_IOWR(DRM_COMMAND_BASE + DRM_I915_GEM_GET_CACHING, struct drm_i915_gem_caching)
#define DRM_IOCTL_I915_GEM_USERPTR \
	VI_DRM_IOWR(DRM_COMMAND_BASE + DRM_I915_GEM_USERPTR, struct drm_i915_gem_userptr)
#define DRM_IOCTL_I915_GEM_BUSY \
	VI_DRM_IOWR(DRM_COMMAND_BASE + DRM_I915_GEM_BUSY, struct drm_i915_gem_busy)
#define DRM_IOCTL_I915_GEM_THROTTLE \
	VI_DRM_IO(DRM_COMMAND_BASE + DRM_I915_GEM_THROTTLE)
#define DRM_IOCTL_I915_GEM_GET_TILING \
	VI_DRM_IOWR(DRM_COMMAND_BASE + DRM_I915_GEM_GET_TILING, struct drm_i915_gem_get_tiling)
#define DRM_IOCTL_I915_GEM_GET_APERTURE \
	VI_DRM_IOR(DRM_COMMAND_BASE + DRM_I915_GEM_GET_APERTURE, struct drm_i915_gem_get_aperture)
#define DRM_IOCTL_I915_GEM_EXECBUFFER2 \
	VI_DRM_IOW(DRM_COMMAND_BASE + DRM_I915_GEM_EXECBUFFER2, struct drm_i915_gem_execbuffer2)
/* The same number with the arguments copied back (rsvd2: the out-fence fd). */
#define DRM_IOCTL_I915_GEM_EXECBUFFER2_WR \
	VI_DRM_IOWR(DRM_COMMAND_BASE + DRM_I915_GEM_EXECBUFFER2, struct drm_i915_gem_execbuffer2)
#define DRM_IOCTL_I915_GEM_WAIT \
	VI_DRM_IOWR(DRM_COMMAND_BASE + DRM_I915_GEM_WAIT, struct drm_i915_gem_wait)
#define DRM_IOCTL_I915_QUERY \
	_IOWR(DRM_IOCTL_BASE, DRM_COMMAND_BASE + 0x39, struct drm_i915_query)
#define DRM_IOCTL_I915_GEM_CREATE_EXT \
	_IOWR(DRM_IOCTL_BASE, DRM_COMMAND_BASE + 0x3c, struct drm_i915_gem_create_ext)
#define DRM_IOCTL_I915_GEM_CONTEXT_CREATE_EXT \
	_IOWR(DRM_IOCTL_BASE, DRM_COMMAND_BASE + 0x2d, struct drm_i915_gem_context_create_ext)
/* The original struct drm_i915_gem_context_create: the first 8 bytes. */
#define DRM_IOCTL_I915_GEM_CONTEXT_CREATE \
	_IOWR(DRM_IOCTL_BASE, DRM_COMMAND_BASE + 0x2d, struct drm_i915_gem_context_destroy)
#define DRM_IOCTL_I915_GEM_CONTEXT_DESTROY \
	_IOW(DRM_IOCTL_BASE, DRM_COMMAND_BASE + 0x2e, struct drm_i915_gem_context_destroy)
#define DRM_IOCTL_I915_GEM_CONTEXT_SETPARAM \
	_IOWR(DRM_IOCTL_BASE, DRM_COMMAND_BASE + 0x35, struct drm_i915_gem_context_param)
#define DRM_IOCTL_I915_GEM_CONTEXT_GETPARAM \
	VI_DRM_IOWR(DRM_COMMAND_BASE + DRM_I915_GEM_CONTEXT_GETPARAM, \
		    struct drm_i915_gem_context_param)

/* ---- ABI pins (reference section 1.1 / 1.2, x86_64) ------------------- */

#if defined(__x86_64__)
_Static_assert(sizeof(struct drm_version) == 64, "drm_version size");
_Static_assert(offsetof(struct drm_version, name_len) == 16, "drm_version.name_len");
_Static_assert(offsetof(struct drm_version, desc) == 56, "drm_version.desc");
_Static_assert(sizeof(struct drm_gem_close) == 8, "drm_gem_close size");
_Static_assert(sizeof(struct drm_prime_handle) == 12, "drm_prime_handle size");
_Static_assert(sizeof(struct drm_i915_getparam) == 16, "getparam size");
_Static_assert(sizeof(struct drm_i915_gem_userptr) == 24, "userptr size");
_Static_assert(offsetof(struct drm_i915_gem_userptr, user_size) == 8, "userptr.user_size");
_Static_assert(offsetof(struct drm_i915_gem_userptr, flags) == 16, "userptr.flags");
_Static_assert(offsetof(struct drm_i915_gem_userptr, handle) == 20, "userptr.handle");
_Static_assert(sizeof(struct drm_i915_gem_mmap_gtt) == 16, "mmap_gtt size");
_Static_assert(sizeof(struct drm_i915_gem_mmap_offset) == 32, "mmap_offset size");
_Static_assert(sizeof(struct drm_i915_gem_mmap) == 40, "gem_mmap size");
_Static_assert(sizeof(struct drm_i915_gem_caching) == 8, "gem_caching size");
_Static_assert(sizeof(struct drm_i915_gem_set_domain) == 12, "set_domain size");
_Static_assert(sizeof(struct drm_i915_gem_create) == 16, "gem_create size");
_Static_assert(sizeof(struct drm_i915_gem_set_tiling) == 16, "set_tiling size");
_Static_assert(sizeof(struct drm_i915_gem_pread) == 32, "pread size");
_Static_assert(sizeof(struct drm_i915_gem_pwrite) == 32, "pwrite size");
_Static_assert(sizeof(struct i915_user_extension) == 32, "i915_user_extension size");
_Static_assert(sizeof(struct drm_i915_gem_execbuffer_ext_timeline_fences) == 56,
	       "timeline fences size");
_Static_assert(DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT == 0xc03064caul, "SYNCOBJ_TIMELINE_WAIT");
_Static_assert(DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD == 0xc01864c1ul, "SYNCOBJ_HANDLE_TO_FD");
_Static_assert(sizeof(struct drm_i915_gem_get_tiling) == 16, "get_tiling size");
_Static_assert(sizeof(struct drm_i915_gem_get_aperture) == 16, "get_aperture size");
_Static_assert(sizeof(struct drm_i915_gem_context_param) == 24, "context_param size");
_Static_assert(offsetof(struct drm_i915_gem_context_param, value) == 16, "context_param.value");
_Static_assert(sizeof(struct drm_i915_gem_wait) == 16, "gem_wait size");
_Static_assert(sizeof(struct drm_i915_gem_busy) == 8, "gem_busy size");
_Static_assert(sizeof(struct drm_i915_gem_exec_object2) == 56, "exec_object2 size");
_Static_assert(sizeof(struct drm_i915_gem_execbuffer2) == 64, "execbuffer2 size");
_Static_assert(offsetof(struct drm_i915_gem_execbuffer2, flags) == 40, "execbuffer2.flags");
_Static_assert(sizeof(struct drm_i915_gem_relocation_entry) == 32, "relocation_entry size");
_Static_assert(offsetof(struct drm_i915_gem_relocation_entry, presumed_offset) == 16,
	       "relocation_entry.presumed_offset");
_Static_assert(offsetof(struct drm_i915_gem_relocation_entry, write_domain) == 28,
	       "relocation_entry.write_domain");
_Static_assert(sizeof(struct drm_gem_flink) == 8, "drm_gem_flink size");
_Static_assert(sizeof(struct drm_gem_open) == 16, "drm_gem_open size");

_Static_assert(DRM_IOCTL_VERSION == 0xc0406400u, "DRM_IOCTL_VERSION");
_Static_assert(DRM_IOCTL_GEM_CLOSE == 0x40086409u, "DRM_IOCTL_GEM_CLOSE");
_Static_assert(DRM_IOCTL_PRIME_HANDLE_TO_FD == 0xc00c642du, "PRIME_HANDLE_TO_FD");
_Static_assert(DRM_IOCTL_PRIME_FD_TO_HANDLE == 0xc00c642eu, "PRIME_FD_TO_HANDLE");
_Static_assert(sizeof(struct drm_mode_create_dumb) == 32, "drm_mode_create_dumb size");
_Static_assert(sizeof(struct drm_mode_map_dumb) == 16, "drm_mode_map_dumb size");
_Static_assert(DRM_IOCTL_MODE_CREATE_DUMB == 0xc02064b2u, "MODE_CREATE_DUMB");
_Static_assert(DRM_IOCTL_MODE_MAP_DUMB == 0xc01064b3u, "MODE_MAP_DUMB");
_Static_assert(DRM_IOCTL_VGEM_FENCE_ATTACH == 0xc0106441u, "VGEM_FENCE_ATTACH");
_Static_assert(DRM_IOCTL_VGEM_FENCE_SIGNAL == 0x40086442u, "VGEM_FENCE_SIGNAL");
_Static_assert(DRM_IOCTL_I915_GETPARAM == 0xc0106446u, "I915_GETPARAM");
_Static_assert(DRM_IOCTL_I915_GEM_CREATE == 0xc010645bu, "I915_GEM_CREATE");
_Static_assert(DRM_IOCTL_I915_GEM_PREAD == 0x4020645cu, "I915_GEM_PREAD");
_Static_assert(DRM_IOCTL_I915_GEM_PWRITE == 0x4020645du, "I915_GEM_PWRITE");
_Static_assert(DRM_IOCTL_I915_GEM_SET_DOMAIN == 0x400c645fu, "I915_GEM_SET_DOMAIN");
_Static_assert(DRM_IOCTL_I915_GEM_SET_TILING == 0xc0106461u, "I915_GEM_SET_TILING");
_Static_assert(DRM_IOCTL_I915_GEM_MMAP_GTT == 0xc0106464u, "I915_GEM_MMAP_GTT");
_Static_assert(DRM_IOCTL_I915_GEM_MMAP_OFFSET == 0xc0206464u, "I915_GEM_MMAP_OFFSET");
_Static_assert(DRM_IOCTL_I915_GEM_USERPTR == 0xc0186473u, "I915_GEM_USERPTR");
/* _IOWR('d', 0x5e, 40 bytes); _IOW / _IOWR('d', 0x6f / 0x70, 8 bytes) */
_Static_assert(DRM_IOCTL_I915_GEM_MMAP == 0xc028645eu, "I915_GEM_MMAP");
_Static_assert(DRM_IOCTL_I915_GEM_SET_CACHING == 0x4008646fu, "I915_GEM_SET_CACHING");
_Static_assert(DRM_IOCTL_I915_GEM_GET_CACHING == 0xc0086470u, "I915_GEM_GET_CACHING");
/* ref 1.1 */
_Static_assert(DRM_IOCTL_I915_GEM_THROTTLE == 0x00006458u, "I915_GEM_THROTTLE");
_Static_assert(DRM_IOCTL_I915_GEM_GET_APERTURE == 0x80106463u, "I915_GEM_GET_APERTURE");
_Static_assert(DRM_IOCTL_I915_GEM_CONTEXT_GETPARAM == 0xc0186474u, "I915_GEM_CONTEXT_GETPARAM");
_Static_assert(DRM_IOCTL_I915_GEM_EXECBUFFER2 == 0x40406469u, "I915_GEM_EXECBUFFER2");
_Static_assert(DRM_IOCTL_I915_GEM_WAIT == 0xc010646cu, "I915_GEM_WAIT");
/* computed from the i915 uapi: _IOWR('d', 0x40 + nr, 16 / 8 bytes) */
_Static_assert(DRM_IOCTL_I915_GEM_GET_TILING == 0xc0106462u, "I915_GEM_GET_TILING");
_Static_assert(DRM_IOCTL_I915_GEM_BUSY == 0xc0086457u, "I915_GEM_BUSY");
/* _IOWR('d', 0x0a / 0x0b, 8 / 16 bytes) */
_Static_assert(DRM_IOCTL_GEM_FLINK == 0xc008640au, "GEM_FLINK");
_Static_assert(DRM_IOCTL_GEM_OPEN == 0xc010640bu, "GEM_OPEN");
#else
#error "vi915 tests are written for x86_64 (reference section 1.1 numbers)"
#endif

#endif /* VI915_UAPI_H */
