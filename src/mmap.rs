// SPDX-License-Identifier: GPL-2.0

//! CPU mappings of objects: the fake offsets, the `funcs->mmap` check, the
//! fault handler and `access`.
//!
//! An object's fake offset has one plane per mmap type it serves, in
//! `I915_MMAP_OFFSET_*` order: GTT (also MMAP_GTT, FIXED and dma-buf mmaps),
//! then, for GEM_CREATE objects only, WC, WB and UC (MMAP_OFFSET and
//! GEM_MMAP). A userptr has the GTT plane alone: its pages come and go with
//! the user range, and only the GTT path follows the protocol that revokes
//! them. Every plane lies in the DRM anon inode's mapping, so the one
//! revocation (`unmap_mapping`, on SET_TILING and userptr invalidation)
//! zaps them all.
//!
//! A GTT fault maps the whole object at once with `vmf_insert_pfn` (user
//! pages are anonymous: `vm_insert_page` would refuse them). It runs under
//! `mmap_lock` or the per-VMA lock and never takes `mmap_lock` itself; it
//! holds the GGTT lock from `get_pages` until the PTEs are in, which is what
//! makes deferred revocation of userptr pages safe (see `userptr.rs`). A CPU
//! (WC/WB/UC) fault maps a GEM_CREATE object's own pages, which live as long
//! as the object the VMA holds a reference on: no binding, no wait for the
//! engine (as i915's CPU mmaps, ordered by SET_DOMAIN).

use kernel::prelude::*;

use crate::{
    ffi::{
        self,
        Fault,
        MmapKind, //
    },
    gem::{
        self,
        Backing,
        Vi915Gem, //
    },
    ggtt::GGTT_SIZE,
    userptr::Miss,
};

/// The GTT plane (`I915_MMAP_OFFSET_GTT`).
pub(crate) const PLANE_GTT: u32 = 0;
/// `I915_MMAP_OFFSET_WC`.
pub(crate) const PLANE_WC: u32 = 1;
/// `I915_MMAP_OFFSET_WB`.
pub(crate) const PLANE_WB: u32 = 2;
/// Planes of a GEM_CREATE object's offset (GTT, WC, WB, UC).
const KERNEL_PLANES: u32 = 4;

/// The object's fake offset (created on first use), in bytes: the start of
/// its GTT plane.
pub(crate) fn offset(obj: &Vi915Gem) -> Result<u64> {
    let planes = match obj.backing {
        Backing::Kernel(_) => KERNEL_PLANES,
        Backing::Userptr(_) => 1,
    };
    ffi::create_mmap_offset(obj, planes)
}

/// Where an mmap of type `plane` of `obj` starts: ENODEV for a type the
/// object does not serve (the CPU types of a userptr).
pub(crate) fn plane_offset(obj: &Vi915Gem, plane: u32) -> Result<u64> {
    if plane != PLANE_GTT && obj.userptr().is_some() {
        return Err(ENODEV);
    }
    Ok(offset(obj)? + u64::from(plane) * gem::size_u64(obj))
}

/// `funcs->mmap`: COW mappings, and any VMA of an object without a fake
/// offset, were refused by the shim. dma-buf mmaps of our exports are in the
/// DRM anon inode's mapping too (`drm_gem_dmabuf_export` points the dma-buf
/// file's `f_mapping` there) and, because export gives the object its offset
/// first, at that offset: the revocation that zaps GTT mmaps zaps them as
/// well. A VMA of any other file could not be revoked, so a userptr refuses
/// it (defensive: the DRM core never creates one).
pub(crate) fn check(obj: &Vi915Gem, kind: MmapKind) -> Result {
    match (kind, &obj.backing) {
        (MmapKind::DmaBuf, Backing::Userptr(_)) => Err(ENODEV),
        _ => Ok(()),
    }
}

fn fault_code(e: Error) -> u32 {
    if e == EAGAIN || e == EINTR || e == ERESTARTSYS || e == EBUSY {
        ffi::VM_FAULT_NOPAGE
    } else if e == ENOMEM {
        ffi::VM_FAULT_OOM
    } else {
        ffi::VM_FAULT_SIGBUS
    }
}

/// `vm_ops->access` (ptrace, `/proc/<pid>/mem`): what a fault would map,
/// copied under the same protocol (engine idle first, the GGTT lock held
/// while the pages are looked up and copied); a userptr whose pages need the
/// gup worker answers `-EAGAIN` (the caller holds `mmap_lock`).
pub(crate) fn access(obj: &Vi915Gem, a: &ffi::Access) -> i32 {
    if let Err(e) = ffi::gem_wait(obj, true, None) {
        return e.to_errno();
    }
    let miss = read_begin(obj);
    let _ggtt = obj.dev().ggtt.lock();
    match with_pfns(obj, false, miss, |pfns| Ok(a.copy(pfns))) {
        Ok(n) => n,
        Err(e) => e.to_errno(),
    }
}

/// A userptr's notifier sequence, read before the GGTT lock is taken: it
/// sleeps while an invalidation of the range runs (which may wait for the
/// engine), and no one may sleep on that holding the device's GGTT lock.
fn read_begin(obj: &Vi915Gem) -> Miss {
    Miss::Fast(obj.userptr().and_then(|up| up.read_begin()))
}

/// Run `f` on the object's pfns (object page index → pfn): its own pages,
/// or a userptr's through `get_pages` (`for_mapping`: to be inserted as CPU
/// PTEs). The caller holds the GGTT lock; the pages stay referenced for `f`.
fn with_pfns<R>(
    obj: &Vi915Gem,
    for_mapping: bool,
    miss: Miss,
    f: impl FnOnce(&[usize]) -> Result<R>,
) -> Result<R> {
    match &obj.backing {
        Backing::Kernel(k) => f(&k.pfns),
        Backing::Userptr(up) => f(up.get_pages(obj, for_mapping, miss)?.pfns()),
    }
}

/// `vm_ops->fault`.
pub(crate) fn fault(obj: &Vi915Gem, vmf: &Fault) -> u32 {
    if vmf.plane() != PLANE_GTT {
        // Only GEM_CREATE objects have the CPU planes.
        return match &obj.backing {
            Backing::Kernel(k) => vmf.map_pfns(&k.pfns),
            Backing::Userptr(_) => ffi::VM_FAULT_SIGBUS,
        };
    }
    // An object larger than the GGTT can never be bound: SIGBUS before
    // get_pages tries to pin it (a huge userptr would otherwise fail its
    // page-vector allocation with ENOMEM, i.e. VM_FAULT_OOM, refaulting
    // forever).
    if gem::size_u64(obj) > GGTT_SIZE {
        return ffi::VM_FAULT_SIGBUS;
    }
    // As 2017 i915: the CPU access waits for the engine first.
    if let Err(e) = ffi::gem_wait(obj, true, None) {
        return fault_code(e);
    }
    let miss = read_begin(obj);
    let mut ggtt = obj.dev().ggtt.lock();
    let res = with_pfns(obj, true, miss, |pfns| {
        gem::bind(&mut ggtt, obj)?;
        Ok(vmf.map_pfns(pfns))
    });
    res.unwrap_or_else(fault_code)
}
