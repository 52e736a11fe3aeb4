// SPDX-License-Identifier: GPL-2.0

//! The i915 uAPI subset vi915 implements: argument structs laid out exactly as
//! `include/uapi/drm/i915_drm.h` (sizes asserted at compile time) and ioctl
//! numbers relative to `DRM_COMMAND_BASE`.

/// Declare a `#[repr(C)]` uAPI struct and assert its size.
macro_rules! uapi_struct {
    ($(#[$m:meta])* $name:ident, $size:expr, { $($(#[$fm:meta])* $f:ident : $t:ty),* $(,)? }) => {
        $(#[$m])*
        #[repr(C)]
        #[derive(Default, Clone, Copy)]
        pub(crate) struct $name { $($(#[$fm])* pub(crate) $f: $t),* }
        const _: () = assert!(core::mem::size_of::<$name>() == $size);
    };
}

uapi_struct!(
    /// `struct drm_i915_getparam`.
    GetParam, 16, { param: i32, pad: u32, value: u64 });
uapi_struct!(
    /// `struct drm_i915_gem_create`.
    GemCreate, 16, { size: u64, handle: u32, pad: u32 });
uapi_struct!(
    /// `struct drm_i915_gem_pread` / `drm_i915_gem_pwrite`.
    GemRw, 32, { handle: u32, pad: u32, offset: u64, size: u64, data_ptr: u64 });
uapi_struct!(
    /// `struct drm_i915_gem_set_domain`.
    SetDomain, 12, { handle: u32, read_domains: u32, write_domain: u32 });
uapi_struct!(
    /// `struct drm_i915_gem_userptr`.
    Userptr, 24, { user_ptr: u64, user_size: u64, flags: u32, handle: u32 });
uapi_struct!(
    /// `struct drm_i915_gem_mmap_gtt`.
    MmapGtt, 16, { handle: u32, pad: u32, offset: u64 });
uapi_struct!(
    /// `struct drm_i915_gem_mmap_offset`.
    MmapOffset, 32, { handle: u32, pad: u32, offset: u64, flags: u64, extensions: u64 });
uapi_struct!(
    /// `struct drm_i915_gem_mmap` (GEM_MMAP).
    GemMmap, 40, { handle: u32, pad: u32, offset: u64, size: u64, addr_ptr: u64, flags: u64 });
uapi_struct!(
    /// `struct drm_i915_gem_caching`.
    GemCaching, 8, { handle: u32, caching: u32 });
uapi_struct!(
    /// `struct drm_i915_gem_set_tiling`.
    SetTiling, 16, { handle: u32, tiling_mode: u32, stride: u32, swizzle_mode: u32 });
uapi_struct!(
    /// `struct drm_i915_gem_get_tiling`.
    GetTiling, 16, { handle: u32, tiling_mode: u32, swizzle_mode: u32, phys_swizzle_mode: u32 });
uapi_struct!(
    /// `struct drm_i915_gem_get_aperture`.
    GetAperture, 16, { aper_size: u64, aper_available_size: u64 });
uapi_struct!(
    /// `struct drm_i915_gem_context_param`.
    ContextParam, 24, { ctx_id: u32, size: u32, param: u64, value: u64 });
uapi_struct!(
    /// `struct drm_i915_gem_context_create_ext` (the older
    /// `drm_i915_gem_context_create` is its first 8 bytes).
    ContextCreate, 16, { ctx_id: u32, flags: u32, extensions: u64 });
uapi_struct!(
    /// `struct drm_i915_gem_context_destroy`.
    ContextDestroy, 8, { ctx_id: u32, pad: u32 });
uapi_struct!(
    /// `struct i915_engine_class_instance`.
    EngineClassInstance, 4, { engine_class: u16, engine_instance: u16 });
uapi_struct!(
    /// `struct drm_i915_query`.
    Query, 16, { num_items: u32, flags: u32, items_ptr: u64 });
uapi_struct!(
    /// `struct drm_i915_query_item`.
    QueryItem, 24, { query_id: u64, length: i32, flags: u32, data_ptr: u64 });
uapi_struct!(
    /// Header of `struct drm_i915_query_memory_regions` and
    /// `drm_i915_query_engine_info`: a count and three reserved words.
    QueryHeader, 16, { num: u32, rsvd: [u32; 3] });
uapi_struct!(
/// `struct drm_i915_memory_region_info`.
MemoryRegionInfo, 88, {
    memory_class: u16, memory_instance: u16, rsvd0: u32, probed_size: u64,
    unallocated_size: u64, probed_cpu_visible_size: u64,
    unallocated_cpu_visible_size: u64, rsvd1: [u64; 6],
});
uapi_struct!(
/// `struct drm_i915_engine_info`.
EngineInfo, 56, {
    engine_class: u16, engine_instance: u16, rsvd0: u32, flags: u64, capabilities: u64,
    logical_instance: u16, rsvd1: [u16; 3], rsvd2: [u64; 3],
});
uapi_struct!(
    /// `struct drm_i915_gem_create_ext`.
    GemCreateExt, 24, { size: u64, handle: u32, flags: u32, extensions: u64 });
uapi_struct!(
    /// `struct i915_user_extension`.
    UserExtension, 32, { next_extension: u64, name: u32, flags: u32, rsvd: [u32; 4] });
uapi_struct!(
    /// The rest of `struct drm_i915_gem_create_ext_memory_regions` after its
    /// `i915_user_extension`.
    CreateExtRegions, 16, { pad: u32, num_regions: u32, regions: u64 });
uapi_struct!(
    /// `struct drm_i915_gem_memory_class_instance`.
    MemoryClassInstance, 4, { memory_class: u16, memory_instance: u16 });

uapi_struct!(
    /// `struct drm_i915_gem_exec_fence` (I915_EXEC_FENCE_ARRAY).
    ExecFence, 8, { handle: u32, flags: u32 });
uapi_struct!(
    /// The rest of `struct drm_i915_gem_execbuffer_ext_timeline_fences` after
    /// its `i915_user_extension`.
    TimelineFences, 24, { fence_count: u64, handles_ptr: u64, values_ptr: u64 });

// SAFETY: Plain integers: every bit pattern is valid, no padding.
unsafe impl kernel::transmute::FromBytes for QueryItem {}
// SAFETY: As above.
unsafe impl kernel::transmute::AsBytes for QueryItem {}
// SAFETY: As above.
unsafe impl kernel::transmute::FromBytes for QueryHeader {}
// SAFETY: As above.
unsafe impl kernel::transmute::AsBytes for MemoryRegionInfo {}
// SAFETY: As above.
unsafe impl kernel::transmute::AsBytes for EngineInfo {}
// SAFETY: As above.
unsafe impl kernel::transmute::AsBytes for QueryHeader {}
// SAFETY: As above.
unsafe impl kernel::transmute::FromBytes for UserExtension {}
// SAFETY: As above.
unsafe impl kernel::transmute::FromBytes for CreateExtRegions {}
// SAFETY: As above.
unsafe impl kernel::transmute::FromBytes for MemoryClassInstance {}
// SAFETY: As above.
unsafe impl kernel::transmute::FromBytes for ContextParam {}
// SAFETY: As above.
unsafe impl kernel::transmute::FromBytes for EngineClassInstance {}
// SAFETY: As above.
unsafe impl kernel::transmute::FromBytes for ExecFence {}
// SAFETY: As above.
unsafe impl kernel::transmute::FromBytes for TimelineFences {}

/// `DRM_I915_QUERY_*` ids and the engine/memory classes vi915 reports.
pub(crate) mod query {
    /// `DRM_I915_QUERY_TOPOLOGY_INFO`.
    pub(crate) const TOPOLOGY_INFO: u64 = 1;
    /// `DRM_I915_QUERY_ENGINE_INFO`.
    pub(crate) const ENGINE_INFO: u64 = 2;
    /// `DRM_I915_QUERY_PERF_CONFIG`.
    pub(crate) const PERF_CONFIG: u64 = 3;
    /// `DRM_I915_QUERY_MEMORY_REGIONS`.
    pub(crate) const MEMORY_REGIONS: u64 = 4;
    /// `DRM_I915_QUERY_HWCONFIG_BLOB`.
    pub(crate) const HWCONFIG_BLOB: u64 = 5;
    /// `DRM_I915_QUERY_GEOMETRY_SUBSLICES`.
    pub(crate) const GEOMETRY_SUBSLICES: u64 = 6;
    /// `DRM_I915_QUERY_GUC_SUBMISSION_VERSION`.
    pub(crate) const GUC_SUBMISSION_VERSION: u64 = 7;
    /// `I915_ENGINE_CLASS_COPY`.
    pub(crate) const ENGINE_CLASS_COPY: u16 = 1;
    /// `I915_ENGINE_INFO_HAS_LOGICAL_INSTANCE`.
    pub(crate) const ENGINE_INFO_HAS_LOGICAL_INSTANCE: u64 = 1;
    /// `I915_MEMORY_CLASS_SYSTEM`.
    pub(crate) const MEMORY_CLASS_SYSTEM: u16 = 0;
    /// `I915_GEM_CREATE_EXT_MEMORY_REGIONS`.
    pub(crate) const CREATE_EXT_MEMORY_REGIONS: u32 = 0;
    /// `I915_GEM_CREATE_EXT_FLAG_NEEDS_CPU_ACCESS`.
    pub(crate) const CREATE_EXT_FLAG_NEEDS_CPU_ACCESS: u32 = 1;
}

uapi_struct!(
    /// `struct drm_i915_gem_wait`.
    GemWait, 16, { bo_handle: u32, flags: u32, timeout_ns: i64 });
uapi_struct!(
    /// `struct drm_i915_gem_busy`.
    GemBusy, 8, { handle: u32, busy: u32 });
uapi_struct!(
    /// `struct drm_i915_gem_madvise`.
    GemMadvise, 12, { handle: u32, madv: u32, retained: u32 });
uapi_struct!(
/// `struct drm_i915_gem_execbuffer2`.
Execbuffer2, 64, {
    buffers_ptr: u64, buffer_count: u32, batch_start_offset: u32, batch_len: u32,
    dr1: u32, dr4: u32, num_cliprects: u32, cliprects_ptr: u64, flags: u64,
    rsvd1: u64, rsvd2: u64,
});
uapi_struct!(
/// `struct drm_i915_gem_exec_object2`.
ExecObject2, 56, {
    handle: u32, relocation_count: u32, relocs_ptr: u64, alignment: u64,
    offset: u64, flags: u64, rsvd1: u64, rsvd2: u64,
});

uapi_struct!(
/// `struct drm_i915_gem_relocation_entry`.
Reloc, 32, {
    target_handle: u32, delta: u32, offset: u64, presumed_offset: u64,
    read_domains: u32, write_domain: u32,
});

// SAFETY: Plain integers only; every bit pattern is valid.
unsafe impl kernel::transmute::FromBytes for ExecObject2 {}
// SAFETY: Plain integers, no padding (size asserted).
unsafe impl kernel::transmute::AsBytes for ExecObject2 {}
// SAFETY: Plain integers only; every bit pattern is valid.
unsafe impl kernel::transmute::FromBytes for Reloc {}
// SAFETY: Plain integers, no padding (size asserted).
unsafe impl kernel::transmute::AsBytes for Reloc {}

/// `I915_EXEC_*` flags of `drm_i915_gem_execbuffer2.flags`.
pub(crate) mod exec {
    /// Ring selector mask.
    pub(crate) const RING_MASK: u64 = 0x3f;
    /// `I915_EXEC_DEFAULT`.
    pub(crate) const RING_DEFAULT: u64 = 0;
    /// `I915_EXEC_RENDER`.
    pub(crate) const RING_RENDER: u64 = 1;
    /// `I915_EXEC_BLT`.
    pub(crate) const RING_BLT: u64 = 3;
    /// `I915_EXEC_NO_RELOC`.
    pub(crate) const NO_RELOC: u64 = 1 << 11;
    /// `I915_EXEC_HANDLE_LUT`.
    pub(crate) const HANDLE_LUT: u64 = 1 << 12;
    /// `I915_EXEC_FENCE_IN`: wait for the sync_file fd in `rsvd2[31:0]`.
    pub(crate) const FENCE_IN: u64 = 1 << 16;
    /// `I915_EXEC_FENCE_OUT`: return a sync_file fd in `rsvd2[63:32]`.
    pub(crate) const FENCE_OUT: u64 = 1 << 17;
    /// `I915_EXEC_BATCH_FIRST`.
    pub(crate) const BATCH_FIRST: u64 = 1 << 18;
    /// `I915_EXEC_FENCE_ARRAY`: `cliprects_ptr` is an array of
    /// `num_cliprects` syncobj fences.
    pub(crate) const FENCE_ARRAY: u64 = 1 << 19;
    /// `I915_EXEC_USE_EXTENSIONS`: `cliprects_ptr` is an extension chain.
    pub(crate) const USE_EXTENSIONS: u64 = 1 << 21;
    /// `I915_EXEC_FENCE_WAIT` (of an exec fence).
    pub(crate) const FENCE_WAIT: u32 = 1;
    /// `I915_EXEC_FENCE_SIGNAL` (of an exec fence).
    pub(crate) const FENCE_SIGNAL: u32 = 2;
    /// `DRM_I915_GEM_EXECBUFFER_EXT_TIMELINE_FENCES`.
    pub(crate) const EXT_TIMELINE_FENCES: u32 = 0;
    /// `EXEC_OBJECT_WRITE`.
    pub(crate) const OBJECT_WRITE: u64 = 1 << 2;
    /// `EXEC_OBJECT_PINNED` (softpin: at `offset` in the GGTT).
    pub(crate) const OBJECT_PINNED: u64 = 1 << 4;
    /// `EXEC_OBJECT_ASYNC`: no implicit wait for the object's fences.
    pub(crate) const OBJECT_ASYNC: u64 = 1 << 6;
    /// Exec-object flags accepted: NEEDS_FENCE, NEEDS_GTT, WRITE,
    /// SUPPORTS_48B_ADDRESS, PINNED, ASYNC, CAPTURE.
    pub(crate) const OBJECT_KNOWN: u64 =
        1 | 2 | OBJECT_WRITE | 8 | OBJECT_PINNED | OBJECT_ASYNC | 128;
    /// `I915_GEM_GPU_DOMAINS`.
    pub(crate) const GPU_DOMAINS: u32 = 0x3e;
}

/// Driver-private ioctl numbers (`DRM_I915_*`, added to `DRM_COMMAND_BASE`).
pub(crate) mod nr {
    pub(crate) const GETPARAM: u32 = 0x06;
    pub(crate) const GEM_THROTTLE: u32 = 0x18;
    pub(crate) const GEM_BUSY: u32 = 0x17;
    pub(crate) const GEM_CREATE: u32 = 0x1b;
    pub(crate) const GEM_PREAD: u32 = 0x1c;
    pub(crate) const GEM_PWRITE: u32 = 0x1d;
    pub(crate) const GEM_MMAP: u32 = 0x1e;
    pub(crate) const GEM_SET_DOMAIN: u32 = 0x1f;
    pub(crate) const GEM_SET_TILING: u32 = 0x21;
    pub(crate) const GEM_GET_TILING: u32 = 0x22;
    pub(crate) const GEM_GET_APERTURE: u32 = 0x23;
    pub(crate) const GEM_MMAP_GTT: u32 = 0x24;
    pub(crate) const GEM_MADVISE: u32 = 0x26;
    pub(crate) const GEM_EXECBUFFER2: u32 = 0x29;
    pub(crate) const GEM_WAIT: u32 = 0x2c;
    pub(crate) const GEM_CONTEXT_CREATE: u32 = 0x2d;
    pub(crate) const GEM_CONTEXT_DESTROY: u32 = 0x2e;
    pub(crate) const GEM_SET_CACHING: u32 = 0x2f;
    pub(crate) const GEM_GET_CACHING: u32 = 0x30;
    pub(crate) const GEM_USERPTR: u32 = 0x33;
    pub(crate) const GEM_CONTEXT_GETPARAM: u32 = 0x34;
    pub(crate) const GEM_CONTEXT_SETPARAM: u32 = 0x35;
    pub(crate) const QUERY: u32 = 0x39;
    pub(crate) const GEM_CREATE_EXT: u32 = 0x3c;
    /// One past the highest number we serve: size of the ioctl table.
    pub(crate) const COUNT: usize = 0x3d;
}

/// `I915_PARAM_*`.
pub(crate) mod param {
    pub(crate) const CHIPSET_ID: i32 = 4;
    pub(crate) const HAS_GEM: i32 = 5;
    pub(crate) const NUM_FENCES_AVAIL: i32 = 6;
    pub(crate) const HAS_EXECBUF2: i32 = 9;
    pub(crate) const HAS_BSD: i32 = 10;
    pub(crate) const HAS_BLT: i32 = 11;
    pub(crate) const HAS_RELAXED_FENCING: i32 = 12;
    pub(crate) const HAS_LLC: i32 = 17;
    pub(crate) const HAS_WAIT_TIMEOUT: i32 = 19;
    pub(crate) const HAS_EXEC_NO_RELOC: i32 = 25;
    pub(crate) const HAS_EXEC_HANDLE_LUT: i32 = 26;
    pub(crate) const HAS_VEBOX: i32 = 22;
    pub(crate) const HAS_BSD2: i32 = 31;
    pub(crate) const MMAP_GTT_VERSION: i32 = 40;
    pub(crate) const HAS_USERPTR_PROBE: i32 = 56;
    pub(crate) const HAS_ALIASING_PPGTT: i32 = 18;
    pub(crate) const HAS_SEMAPHORES: i32 = 20;
    pub(crate) const HAS_SECURE_BATCHES: i32 = 23;
    pub(crate) const MMAP_VERSION: i32 = 30;
    pub(crate) const SUBSLICE_TOTAL: i32 = 33;
    pub(crate) const EU_TOTAL: i32 = 34;
    pub(crate) const HAS_GPU_RESET: i32 = 35;
    pub(crate) const HAS_EXEC_SOFTPIN: i32 = 37;
    pub(crate) const HAS_SCHEDULER: i32 = 41;
    pub(crate) const HAS_EXEC_ASYNC: i32 = 43;
    pub(crate) const HAS_EXEC_FENCE: i32 = 44;
    pub(crate) const HAS_EXEC_CAPTURE: i32 = 45;
    pub(crate) const HAS_EXEC_BATCH_FIRST: i32 = 48;
    pub(crate) const HAS_EXEC_FENCE_ARRAY: i32 = 49;
    pub(crate) const HAS_CONTEXT_ISOLATION: i32 = 50;
    pub(crate) const MMAP_GTT_COHERENT: i32 = 52;
    pub(crate) const HAS_EXEC_SUBMIT_FENCE: i32 = 53;
    pub(crate) const HAS_EXEC_TIMELINE_FENCES: i32 = 55;
}

/// `I915_USERPTR_*` flags.
pub(crate) const USERPTR_READ_ONLY: u32 = 0x1;
/// Probe the range at creation.
pub(crate) const USERPTR_PROBE: u32 = 0x2;
/// No MMU notifier (root only).
pub(crate) const USERPTR_UNSYNCHRONIZED: u32 = 0x8000_0000;

/// `I915_GEM_DOMAIN_CPU`.
pub(crate) const DOMAIN_CPU: u32 = 0x1;
/// `I915_GEM_DOMAIN_GTT`.
pub(crate) const DOMAIN_GTT: u32 = 0x40;
/// `I915_GEM_DOMAIN_WC` (the domain of WC mmaps).
pub(crate) const DOMAIN_WC: u32 = 0x80;

/// `I915_TILING_*`.
pub(crate) const TILING_NONE: u32 = 0;
/// X tiling.
pub(crate) const TILING_X: u32 = 1;
/// Y tiling.
pub(crate) const TILING_Y: u32 = 2;

/// `I915_MMAP_OFFSET_GTT`.
pub(crate) const MMAP_OFFSET_GTT: u64 = 0;
/// `I915_MMAP_OFFSET_WC`.
pub(crate) const MMAP_OFFSET_WC: u64 = 1;
/// `I915_MMAP_OFFSET_WB`.
pub(crate) const MMAP_OFFSET_WB: u64 = 2;
/// `I915_MMAP_OFFSET_UC`.
pub(crate) const MMAP_OFFSET_UC: u64 = 3;
/// `I915_MMAP_OFFSET_FIXED`.
pub(crate) const MMAP_OFFSET_FIXED: u64 = 4;
/// `I915_MMAP_WC` (GEM_MMAP flag).
pub(crate) const MMAP_WC: u64 = 1;

/// `I915_CACHING_NONE`.
pub(crate) const CACHING_NONE: u32 = 0;
/// `I915_CACHING_CACHED`.
pub(crate) const CACHING_CACHED: u32 = 1;
/// `I915_CACHING_DISPLAY`.
pub(crate) const CACHING_DISPLAY: u32 = 2;

/// `I915_CONTEXT_*`: context creation flags, extensions and parameters.
pub(crate) mod ctx {
    /// `I915_CONTEXT_CREATE_FLAGS_USE_EXTENSIONS`.
    pub(crate) const CREATE_USE_EXTENSIONS: u32 = 1 << 0;
    /// `I915_CONTEXT_CREATE_FLAGS_SINGLE_TIMELINE`.
    pub(crate) const CREATE_SINGLE_TIMELINE: u32 = 1 << 1;
    /// `I915_CONTEXT_CREATE_EXT_SETPARAM`.
    pub(crate) const EXT_SETPARAM: u32 = 0;
    pub(crate) const PARAM_GTT_SIZE: u64 = 0x3;
    pub(crate) const PARAM_NO_ERROR_CAPTURE: u64 = 0x4;
    pub(crate) const PARAM_BANNABLE: u64 = 0x5;
    pub(crate) const PARAM_PRIORITY: u64 = 0x6;
    pub(crate) const PARAM_SSEU: u64 = 0x7;
    pub(crate) const PARAM_RECOVERABLE: u64 = 0x8;
    pub(crate) const PARAM_VM: u64 = 0x9;
    pub(crate) const PARAM_ENGINES: u64 = 0xa;
    pub(crate) const PARAM_PERSISTENCE: u64 = 0xb;
    pub(crate) const PARAM_PROTECTED_CONTENT: u64 = 0xd;
    /// `I915_ENGINE_CLASS_INVALID` / `_INVALID_NONE` as u16: a hole in an
    /// engine map.
    pub(crate) const ENGINE_INVALID: u16 = 0xffff;
}

/// Argument of ioctls without one (`DRM_IO`).
#[repr(C)]
#[derive(Default, Clone, Copy)]
pub(crate) struct Empty;
