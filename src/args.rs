// SPDX-License-Identifier: GPL-2.0

//! Pure validation of ioctl arguments, in i915's errno order. No bindings: the
//! ioctl handlers call these first, and KUnit covers them (`vi915_ioctl_args`).

use kernel::prelude::*;

use crate::{
    mmap,
    uapi, //
};

const PAGE_SIZE: u64 = kernel::page::PAGE_SIZE as u64;

/// Largest object (in pages) we accept, like i915's `size >> PAGE_SHIFT > INT_MAX`.
const MAX_PAGES: u64 = i32::MAX as u64;

/// Most objects one EXECBUFFER2 may name (more: `EINVAL`, i915's answer to a
/// buffer count it cannot take). A request holds the reservation locks of
/// all its objects at once (`drm_gem_lock_reservations`, one ww acquire
/// context), and lockdep counts such nested locks of one class in 11 bits:
/// 2048 of them make a lockdep kernel WARN.
pub(crate) const MAX_EXEC_OBJECTS: u32 = 2047;

/// Most relocations of one exec object, and of one EXECBUFFER2 in all (more:
/// `EINVAL`, as i915 answers a relocation count it cannot take): 128 MiB of
/// entries.
pub(crate) const MAX_RELOCS: u64 = 1 << 22;

/// Validated `USERPTR` flags.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub(crate) struct UserptrArgs {
    /// Start address (page aligned).
    pub(crate) ptr: u64,
    /// Size in bytes (page aligned, non-zero).
    pub(crate) size: u64,
    /// `I915_USERPTR_UNSYNCHRONIZED`: no MMU notifier.
    pub(crate) unsynchronized: bool,
    /// `I915_USERPTR_PROBE`: walk the VMAs now.
    pub(crate) probe: bool,
}

/// `USERPTR` checks that need no kernel state, in the 2017 order (plus the
/// later size checks): flags → alignment → size 0 → too big/overflow. The
/// caller then checks `access_ok` (EFAULT), READ_ONLY (ENODEV), privileges
/// for UNSYNCHRONIZED (EPERM) and PROBE (EFAULT), in that order.
pub(crate) fn userptr(a: &uapi::Userptr) -> Result<UserptrArgs> {
    let known = uapi::USERPTR_READ_ONLY | uapi::USERPTR_PROBE | uapi::USERPTR_UNSYNCHRONIZED;
    if a.flags & !known != 0 {
        return Err(EINVAL);
    }
    if (a.user_ptr | a.user_size) % PAGE_SIZE != 0 {
        return Err(EINVAL);
    }
    if a.user_size == 0 {
        return Err(EINVAL);
    }
    // A range that wraps is not "too big": `access_ok` answers it (EFAULT).
    if a.user_size / PAGE_SIZE > MAX_PAGES {
        return Err(E2BIG);
    }
    Ok(UserptrArgs {
        ptr: a.user_ptr,
        size: a.user_size,
        unsynchronized: a.flags & uapi::USERPTR_UNSYNCHRONIZED != 0,
        probe: a.flags & uapi::USERPTR_PROBE != 0,
    })
}

/// Whether `USERPTR` asked for a read-only object (`ENODEV` with `uapi=2017`).
pub(crate) fn userptr_read_only(a: &uapi::Userptr) -> bool {
    a.flags & uapi::USERPTR_READ_ONLY != 0
}

/// `SET_DOMAIN`: only the CPU, GTT and WC domains exist without a GPU; a
/// write domain must equal the read domains.
pub(crate) fn set_domain(a: &uapi::SetDomain) -> Result {
    let cpu = uapi::DOMAIN_CPU | uapi::DOMAIN_GTT | uapi::DOMAIN_WC;
    if (a.read_domains | a.write_domain) & !cpu != 0 {
        return Err(EINVAL);
    }
    if a.write_domain != 0 && a.read_domains != a.write_domain {
        return Err(EINVAL);
    }
    Ok(())
}

/// Validated tiling request.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub(crate) struct Tiling {
    /// `I915_TILING_*`.
    pub(crate) mode: u32,
    /// Stride in bytes (0 for linear).
    pub(crate) stride: u32,
}

/// `SET_TILING` (Gen9 fences): NONE ignores the stride; X needs a multiple of
/// 512, Y of 128, at most 256 KiB.
pub(crate) fn set_tiling(mode: u32, stride: u32) -> Result<Tiling> {
    let tile_width = match mode {
        uapi::TILING_NONE => return Ok(Tiling { mode, stride: 0 }),
        uapi::TILING_X => 512,
        uapi::TILING_Y => 128,
        _ => return Err(EINVAL),
    };
    if stride < tile_width || stride % tile_width != 0 || stride > 256 * 1024 {
        return Err(EINVAL);
    }
    Ok(Tiling { mode, stride })
}

/// `GEM_CREATE`: round up to pages; 0 and absurd sizes are `EINVAL`.
pub(crate) fn gem_create_size(size: u64, limit: u64) -> Result<usize> {
    if size == 0 {
        return Err(EINVAL);
    }
    let aligned = size.checked_add(PAGE_SIZE - 1).ok_or(EINVAL)? & !(PAGE_SIZE - 1);
    if aligned > limit {
        return Err(E2BIG);
    }
    usize::try_from(aligned).map_err(|_| EINVAL)
}

/// `GEM_CREATE_EXT` flags: only "needs CPU access" (always true here).
pub(crate) fn create_ext_flags(flags: u32) -> Result {
    if flags & !uapi::query::CREATE_EXT_FLAG_NEEDS_CPU_ACCESS != 0 {
        return Err(EINVAL);
    }
    Ok(())
}

/// `GEM_CREATE_EXT` memory regions: a non-empty list of existing, distinct
/// regions, and vi915 has one: system memory, instance 0.
pub(crate) fn create_ext_regions(pad: u32, regions: &[uapi::MemoryClassInstance]) -> Result {
    if pad != 0 || regions.len() != 1 {
        return Err(EINVAL);
    }
    let r = regions[0];
    if r.memory_class != uapi::query::MEMORY_CLASS_SYSTEM || r.memory_instance != 0 {
        return Err(EINVAL);
    }
    Ok(())
}

/// `PREAD`/`PWRITE` range check against the object size.
pub(crate) fn rw_range(offset: u64, size: u64, obj_size: usize) -> Result<(usize, usize)> {
    let end = offset.checked_add(size).ok_or(EINVAL)?;
    if end > obj_size as u64 {
        return Err(EINVAL);
    }
    Ok((offset as usize, size as usize))
}

/// `MMAP_OFFSET`'s type (`mmap.rs`): GTT and FIXED (the same thing here),
/// WC, WB, UC. (Its extension chain is read first: `file.rs`.)
pub(crate) fn mmap_offset(a: &uapi::MmapOffset) -> Result<u32> {
    match a.flags {
        uapi::MMAP_OFFSET_GTT | uapi::MMAP_OFFSET_FIXED => Ok(mmap::TYPE_GTT),
        uapi::MMAP_OFFSET_WC | uapi::MMAP_OFFSET_WB | uapi::MMAP_OFFSET_UC => Ok(a.flags as u32),
        _ => Err(EINVAL),
    }
}

/// `GEM_MMAP` flags: `I915_MMAP_WC` or none (write-back); the type.
pub(crate) fn gem_mmap(flags: u64) -> Result<u32> {
    match flags {
        0 => Ok(mmap::TYPE_WB),
        uapi::MMAP_WC => Ok(mmap::TYPE_WC),
        _ => Err(EINVAL),
    }
}

/// `SET_CACHING` level → what GET_CACHING then reports: NONE and CACHED as
/// asked; DISPLAY is write-through where there is one, else NONE (Gen9 has
/// none); anything else EINVAL.
pub(crate) fn caching(level: u32) -> Result<u32> {
    match level {
        uapi::CACHING_NONE | uapi::CACHING_DISPLAY => Ok(uapi::CACHING_NONE),
        uapi::CACHING_CACHED => Ok(uapi::CACHING_CACHED),
        _ => Err(EINVAL),
    }
}

/// Validated `EXECBUFFER2` arguments.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub(crate) struct ExecArgs {
    /// Number of exec objects (non-zero).
    pub(crate) count: usize,
    /// Index of the batch object.
    pub(crate) batch: usize,
    /// `I915_EXEC_HANDLE_LUT`: relocation targets are list indices.
    pub(crate) handle_lut: bool,
    /// The sync_file fd to wait for before the batch runs (FENCE_IN).
    pub(crate) fence_in: Option<u32>,
    /// Return the request's fence as a sync_file fd (FENCE_OUT).
    pub(crate) fence_out: bool,
    /// Where its syncobj fences are (`exec_fences.rs`).
    pub(crate) syncobjs: SyncobjFences,
    /// The GEM context (`rsvd1[31:0]`), looked up after these checks.
    pub(crate) ctx_id: u32,
    /// The ring selector, checked against the context's engines.
    pub(crate) ring: u64,
}

/// Where `EXECBUFFER2`'s syncobj fences are.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub(crate) enum SyncobjFences {
    /// None.
    None,
    /// `I915_EXEC_FENCE_ARRAY`: `count` exec fences at `ptr`.
    Array { ptr: u64, count: u32 },
    /// `I915_EXEC_USE_EXTENSIONS`: an extension chain from `first` (the
    /// timeline fences).
    Extensions { first: u64 },
}

/// The legacy ring names of a context without an engine map: DEFAULT,
/// RENDER and BLT all name the copy engine; BSD, VEBOX and the rest
/// `EINVAL`.
pub(crate) fn legacy_ring(ring: u64) -> Result {
    use uapi::exec;
    match ring {
        exec::RING_DEFAULT | exec::RING_RENDER | exec::RING_BLT => Ok(()),
        _ => Err(EINVAL),
    }
}

/// `EXECBUFFER2` top-level checks, in i915's order: count, flags,
/// cliprects (unless a fence array or extensions use them) / DR1 / DR4,
/// batch alignment, then the extensions' exclusions (not with a fence
/// array, nor with a count). The syncobj fences come next, then the context (`ENOENT`) and its
/// engine (`EINVAL`) come next, in `execbuf.rs`.
pub(crate) fn execbuf(a: &uapi::Execbuffer2) -> Result<ExecArgs> {
    use uapi::exec;
    if a.buffer_count == 0 || a.buffer_count > MAX_EXEC_OBJECTS {
        return Err(EINVAL);
    }
    let known = exec::RING_MASK
        | exec::NO_RELOC
        | exec::HANDLE_LUT
        | exec::BATCH_FIRST
        | exec::FENCE_IN
        | exec::FENCE_OUT
        | exec::FENCE_ARRAY
        | exec::USE_EXTENSIONS;
    if a.flags & !known != 0 {
        return Err(EINVAL);
    }
    // rsvd2 carries the in-fence fd (FENCE_IN) and, on return, the
    // out-fence fd (FENCE_OUT); without those flags i915 ignores it.
    let (array, extensions) = (
        a.flags & exec::FENCE_ARRAY != 0,
        a.flags & exec::USE_EXTENSIONS != 0,
    );
    if !array && !extensions && (a.num_cliprects != 0 || a.cliprects_ptr != 0) {
        return Err(EINVAL);
    }
    if a.dr1 != 0 || a.dr4 != 0 {
        return Err(EINVAL);
    }
    if (a.batch_start_offset | a.batch_len) % 8 != 0 {
        return Err(EINVAL);
    }
    if extensions && (array || a.num_cliprects != 0) {
        return Err(EINVAL);
    }
    let syncobjs = if extensions {
        SyncobjFences::Extensions {
            first: a.cliprects_ptr,
        }
    } else if array && a.num_cliprects != 0 {
        SyncobjFences::Array {
            ptr: a.cliprects_ptr,
            count: a.num_cliprects,
        }
    } else {
        SyncobjFences::None
    };
    let count = a.buffer_count as usize;
    Ok(ExecArgs {
        count,
        batch: if a.flags & exec::BATCH_FIRST != 0 {
            0
        } else {
            count - 1
        },
        handle_lut: a.flags & exec::HANDLE_LUT != 0,
        fence_in: (a.flags & exec::FENCE_IN != 0).then_some(a.rsvd2 as u32),
        fence_out: a.flags & exec::FENCE_OUT != 0,
        syncobjs,
        ctx_id: a.rsvd1 as u32,
        ring: a.flags & exec::RING_MASK,
    })
}

/// One exec object's flags and reserved fields.
pub(crate) fn exec_object(eo: &uapi::ExecObject2) -> Result {
    if eo.flags & !uapi::exec::OBJECT_KNOWN != 0 || eo.rsvd1 != 0 || eo.rsvd2 != 0 {
        return Err(EINVAL);
    }
    if u64::from(eo.relocation_count) > MAX_RELOCS {
        return Err(EINVAL);
    }
    if eo.alignment != 0 && !eo.alignment.is_power_of_two() {
        return Err(EINVAL);
    }
    // A softpin offset honours the object's alignment and can start a
    // binding (the GGTT's rule; the object's size and whether the range is
    // free are checked when it binds).
    if eo.flags & uapi::exec::OBJECT_PINNED != 0
        && (!crate::ggtt::placeable(eo.offset, 1)
            || (eo.alignment != 0 && eo.offset % eo.alignment != 0))
    {
        return Err(EINVAL);
    }
    Ok(())
}

/// The batch's byte range in an object of `obj_size` bytes (length 0: to
/// the end of the object).
pub(crate) fn batch_range(start: u32, len: u32, obj_size: u64) -> Result<(u64, u64)> {
    let start = u64::from(start);
    let len = if len == 0 {
        obj_size.checked_sub(start).ok_or(EINVAL)?
    } else {
        u64::from(len)
    };
    if len == 0 || start + len > obj_size {
        return Err(EINVAL);
    }
    Ok((start, len))
}

/// One relocation entry against its object (`obj_size` bytes): the 8-byte
/// Gen8+ address must fit, be dword aligned, and the domains be GPU ones
/// with at most one write domain.
pub(crate) fn reloc(r: &uapi::Reloc, obj_size: u64) -> Result {
    if r.offset % 4 != 0 || r.offset.checked_add(8).is_none_or(|end| end > obj_size) {
        return Err(EINVAL);
    }
    if r.write_domain.count_ones() > 1
        || (r.read_domains | r.write_domain) & !uapi::exec::GPU_DOMAINS != 0
    {
        return Err(EINVAL);
    }
    Ok(())
}

#[kunit_tests(vi915_ioctl_args)]
mod tests {
    use super::*;

    fn eb(count: u32, flags: u64) -> uapi::Execbuffer2 {
        uapi::Execbuffer2 {
            buffer_count: count,
            flags,
            ..Default::default()
        }
    }

    #[test]
    fn execbuf_checks() {
        use uapi::exec;
        assert_eq!(execbuf(&eb(0, 0)).err(), Some(EINVAL));
        let ok = execbuf(&eb(3, exec::RING_BLT));
        assert_eq!(ok.map(|a| (a.count, a.batch)).ok(), Some((3, 2)));
        let first = execbuf(&eb(3, exec::BATCH_FIRST | exec::HANDLE_LUT));
        assert_eq!(first.map(|a| (a.batch, a.handle_lut)).ok(), Some((0, true)));
        // BSD, VEBOX and unknown rings (legacy names); unknown flags
        // (SUBMIT_FENCE).
        for ring in [2, 4, 5, 63] {
            assert_eq!(legacy_ring(ring), Err(EINVAL));
        }
        for ring in [exec::RING_DEFAULT, exec::RING_RENDER, exec::RING_BLT] {
            assert_eq!(legacy_ring(ring), Ok(()));
        }
        assert_eq!(execbuf(&eb(1, 1 << 20)).err(), Some(EINVAL));
        // A fence array or an extension chain in cliprects_ptr, not both;
        // an extension chain has no count.
        let mut a = eb(1, exec::FENCE_ARRAY);
        (a.cliprects_ptr, a.num_cliprects) = (0x1000, 3);
        assert_eq!(
            execbuf(&a).map(|a| a.syncobjs).ok(),
            Some(SyncobjFences::Array {
                ptr: 0x1000,
                count: 3
            })
        );
        a.num_cliprects = 0;
        assert_eq!(
            execbuf(&a).map(|a| a.syncobjs).ok(),
            Some(SyncobjFences::None)
        );
        a.flags = exec::USE_EXTENSIONS;
        assert_eq!(
            execbuf(&a).map(|a| a.syncobjs).ok(),
            Some(SyncobjFences::Extensions { first: 0x1000 })
        );
        a.num_cliprects = 1;
        assert_eq!(execbuf(&a).err(), Some(EINVAL));
        a.flags = exec::USE_EXTENSIONS | exec::FENCE_ARRAY;
        a.num_cliprects = 0;
        assert_eq!(execbuf(&a).err(), Some(EINVAL));
        let fenced = execbuf(&eb(1, exec::FENCE_IN | exec::FENCE_OUT));
        assert_eq!(
            fenced.map(|a| (a.fence_in, a.fence_out)).ok(),
            Some((Some(0), true))
        );
        let mut a = eb(1, 5);
        a.rsvd1 = (1 << 32) | 7;
        assert_eq!(execbuf(&a).map(|a| (a.ctx_id, a.ring)).ok(), Some((7, 5)));
        let mut a = eb(1, 0);
        a.num_cliprects = 1;
        assert_eq!(execbuf(&a).err(), Some(EINVAL));
        let mut a = eb(1, 0);
        a.batch_len = 12;
        assert_eq!(execbuf(&a).err(), Some(EINVAL));
        // The object cap: the boundary passes, one past it is EINVAL.
        assert!(execbuf(&eb(MAX_EXEC_OBJECTS, 0)).is_ok());
        assert_eq!(execbuf(&eb(MAX_EXEC_OBJECTS + 1, 0)).err(), Some(EINVAL));
    }

    #[test]
    fn exec_object_batch_and_reloc_checks() {
        let mut eo = uapi::ExecObject2::default();
        assert!(exec_object(&eo).is_ok());
        eo.relocation_count = MAX_RELOCS as u32;
        assert!(exec_object(&eo).is_ok());
        eo.relocation_count += 1;
        assert_eq!(exec_object(&eo).err(), Some(EINVAL));
        eo.relocation_count = 0;
        eo.flags = uapi::exec::OBJECT_PINNED;
        eo.offset = 1 << 20;
        assert!(exec_object(&eo).is_ok());
        eo.alignment = 1 << 21;
        assert_eq!(exec_object(&eo).err(), Some(EINVAL));
        eo.alignment = 0;
        for bad in [(1 << 20) + 8, 1 << 32, !4095, 0, 4096] {
            eo.offset = bad;
            assert_eq!(exec_object(&eo).err(), Some(EINVAL));
        }
        eo.offset = 0;
        eo.flags = 1 << 9;
        assert_eq!(exec_object(&eo).err(), Some(EINVAL));
        eo.flags = 0;
        eo.alignment = 3;
        assert_eq!(exec_object(&eo).err(), Some(EINVAL));

        assert_eq!(batch_range(0, 0, 4096).ok(), Some((0, 4096)));
        assert_eq!(batch_range(64, 8, 4096).ok(), Some((64, 8)));
        assert_eq!(batch_range(4096, 0, 4096).err(), Some(EINVAL));
        assert_eq!(batch_range(4088, 16, 4096).err(), Some(EINVAL));

        let r = |offset, read, write| uapi::Reloc {
            offset,
            read_domains: read,
            write_domain: write,
            ..Default::default()
        };
        assert!(reloc(&r(4088, 2, 2), 4096).is_ok());
        assert_eq!(reloc(&r(4092, 2, 0), 4096).err(), Some(EINVAL));
        assert_eq!(reloc(&r(2, 2, 0), 4096).err(), Some(EINVAL));
        assert_eq!(reloc(&r(0, 2, 6), 4096).err(), Some(EINVAL));
        assert_eq!(reloc(&r(0, 1, 0), 4096).err(), Some(EINVAL));
    }

    fn up(ptr: u64, size: u64, flags: u32) -> uapi::Userptr {
        uapi::Userptr {
            user_ptr: ptr,
            user_size: size,
            flags,
            handle: 0,
        }
    }

    #[test]
    fn userptr_flags_and_sizes() {
        assert_eq!(userptr(&up(0x1000, 0x1000, !0)).err(), Some(EINVAL));
        assert_eq!(userptr(&up(0x1000, 0x1000, 0x4)).err(), Some(EINVAL));
        assert_eq!(userptr(&up(0x1000, 0, 0)).err(), Some(EINVAL));
        assert_eq!(userptr(&up(0x1000, !0, 0)).err(), Some(EINVAL));
        assert_eq!(userptr(&up(0x1000, !0xfff, 0)).err(), Some(E2BIG));
        // Wrapping ranges are left to access_ok (EFAULT).
        assert!(userptr(&up(!0xfff, 0x2000, 0)).is_ok());
        assert_eq!(userptr(&up(0x1001, 0x1000, 0)).err(), Some(EINVAL));
        assert_eq!(userptr(&up(0x1000, 4095, 0)).err(), Some(EINVAL));
        let ok = userptr(&up(0x1000, 0x2000, uapi::USERPTR_PROBE));
        assert_eq!(
            ok.ok(),
            Some(UserptrArgs {
                ptr: 0x1000,
                size: 0x2000,
                unsynchronized: false,
                probe: true
            })
        );
        let ro = up(0x1000, 0x1000, uapi::USERPTR_READ_ONLY);
        assert!(userptr(&ro).is_ok());
        assert!(userptr_read_only(&ro));
        let unsync = userptr(&up(0, 0x1000, uapi::USERPTR_UNSYNCHRONIZED));
        assert_eq!(unsync.map(|a| a.unsynchronized).ok(), Some(true));
    }

    #[test]
    fn set_domain_rules() {
        let sd = |r, w| uapi::SetDomain {
            handle: 1,
            read_domains: r,
            write_domain: w,
        };
        assert!(set_domain(&sd(uapi::DOMAIN_CPU, uapi::DOMAIN_CPU)).is_ok());
        assert!(set_domain(&sd(uapi::DOMAIN_GTT, uapi::DOMAIN_GTT)).is_ok());
        assert!(set_domain(&sd(uapi::DOMAIN_GTT | uapi::DOMAIN_CPU, 0)).is_ok());
        assert!(set_domain(&sd(uapi::DOMAIN_WC, uapi::DOMAIN_WC)).is_ok());
        assert_eq!(set_domain(&sd(0x100, 0)).err(), Some(EINVAL));
        assert_eq!(set_domain(&sd(0x2, 0)).err(), Some(EINVAL));
        assert_eq!(set_domain(&sd(uapi::DOMAIN_CPU, 0x2)).err(), Some(EINVAL));
        assert_eq!(
            set_domain(&sd(uapi::DOMAIN_CPU | uapi::DOMAIN_GTT, uapi::DOMAIN_GTT)).err(),
            Some(EINVAL)
        );
    }

    #[test]
    fn tiling_rules() {
        assert_eq!(
            set_tiling(uapi::TILING_NONE, 77).ok(),
            Some(Tiling { mode: 0, stride: 0 })
        );
        assert!(set_tiling(uapi::TILING_Y, 2048).is_ok());
        assert!(set_tiling(uapi::TILING_X, 512).is_ok());
        assert_eq!(set_tiling(uapi::TILING_X, 128).err(), Some(EINVAL));
        assert_eq!(set_tiling(uapi::TILING_Y, 100).err(), Some(EINVAL));
        assert_eq!(set_tiling(uapi::TILING_Y, 0).err(), Some(EINVAL));
        assert_eq!(set_tiling(uapi::TILING_Y, 512 * 1024).err(), Some(EINVAL));
        assert_eq!(set_tiling(3, 512).err(), Some(EINVAL));
    }

    #[test]
    fn create_rw_and_mmap_offset() {
        assert_eq!(gem_create_size(0, 1 << 30).err(), Some(EINVAL));
        assert_eq!(gem_create_size(1, 1 << 30).ok(), Some(4096));
        assert_eq!(gem_create_size(!0, 1 << 30).err(), Some(EINVAL));
        assert_eq!(gem_create_size(2 << 30, 1 << 30).err(), Some(E2BIG));
        assert_eq!(rw_range(0, 4096, 4096).ok(), Some((0, 4096)));
        assert_eq!(rw_range(1, 4096, 4096).err(), Some(EINVAL));
        assert_eq!(rw_range(!0, 2, 4096).err(), Some(EINVAL));
        let mo = |flags, extensions| uapi::MmapOffset {
            handle: 1,
            pad: 0,
            offset: 0,
            flags,
            extensions,
        };
        assert_eq!(mmap_offset(&mo(0, 0)).ok(), Some(mmap::TYPE_GTT));
        assert_eq!(mmap_offset(&mo(4, 0)).ok(), Some(mmap::TYPE_GTT));
        assert_eq!(mmap_offset(&mo(1, 0)).ok(), Some(mmap::TYPE_WC));
        assert_eq!(mmap_offset(&mo(2, 0)).ok(), Some(mmap::TYPE_WB));
        assert_eq!(mmap_offset(&mo(3, 0)).ok(), Some(3));
        assert_eq!(mmap_offset(&mo(5, 0)).err(), Some(EINVAL));
    }

    #[test]
    fn gem_mmap_and_caching() {
        assert_eq!(gem_mmap(0).ok(), Some(mmap::TYPE_WB));
        assert_eq!(gem_mmap(uapi::MMAP_WC).ok(), Some(mmap::TYPE_WC));
        assert_eq!(gem_mmap(2).err(), Some(EINVAL));
        assert_eq!(caching(0).ok(), Some(uapi::CACHING_NONE));
        assert_eq!(caching(1).ok(), Some(uapi::CACHING_CACHED));
        assert_eq!(caching(2).ok(), Some(uapi::CACHING_NONE));
        assert_eq!(caching(3).err(), Some(EINVAL));
    }
}
