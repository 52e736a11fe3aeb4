// SPDX-License-Identifier: GPL-2.0

//! Pure validation of ioctl arguments, in i915's errno order. No bindings: the
//! ioctl handlers call these first, and KUnit covers them (`vi915_ioctl_args`).

use kernel::prelude::*;

use crate::uapi;

const PAGE_SIZE: u64 = kernel::page::PAGE_SIZE as u64;

/// Largest object (in pages) we accept, like i915's `size >> PAGE_SHIFT > INT_MAX`.
const MAX_PAGES: u64 = i32::MAX as u64;

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

/// Whether `USERPTR` asked for a read-only object (answered `ENODEV`, 2017).
pub(crate) fn userptr_read_only(a: &uapi::Userptr) -> bool {
    a.flags & uapi::USERPTR_READ_ONLY != 0
}

/// `SET_DOMAIN`: only CPU and GTT domains exist without a GPU; a write domain
/// must equal the read domains.
pub(crate) fn set_domain(a: &uapi::SetDomain) -> Result {
    let cpu_gtt = uapi::DOMAIN_CPU | uapi::DOMAIN_GTT;
    if (a.read_domains | a.write_domain) & !cpu_gtt != 0 {
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

/// `PREAD`/`PWRITE` range check against the object size.
pub(crate) fn rw_range(offset: u64, size: u64, obj_size: usize) -> Result<(usize, usize)> {
    let end = offset.checked_add(size).ok_or(EINVAL)?;
    if end > obj_size as u64 {
        return Err(EINVAL);
    }
    Ok((offset as usize, size as usize))
}

/// `MMAP_OFFSET`: extensions must be 0; GTT and FIXED (same thing here).
pub(crate) fn mmap_offset(a: &uapi::MmapOffset) -> Result {
    if a.extensions != 0 {
        return Err(EINVAL);
    }
    match a.flags {
        uapi::MMAP_OFFSET_GTT | uapi::MMAP_OFFSET_FIXED => Ok(()),
        _ => Err(EINVAL),
    }
}

#[kunit_tests(vi915_ioctl_args)]
mod tests {
    use super::*;

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
        assert!(mmap_offset(&mo(0, 0)).is_ok());
        assert!(mmap_offset(&mo(4, 0)).is_ok());
        assert_eq!(mmap_offset(&mo(1, 0)).err(), Some(EINVAL));
        assert_eq!(mmap_offset(&mo(0, 8)).err(), Some(EINVAL));
    }
}
