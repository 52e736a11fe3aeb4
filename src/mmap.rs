// SPDX-License-Identifier: GPL-2.0

//! CPU mappings of objects: the fake offset, the `funcs->mmap` check, the
//! fault handler and `access`.
//!
//! Every mmap type shares the object's one fake offset: MMAP_GTT, the
//! MMAP_OFFSET types (GTT, WC, WB, UC, FIXED), GEM_MMAP and dma-buf mmaps.
//! The device's `mmap` (`vi915_mmap`, in place of the DRM core's
//! `drm_gem_mmap`) finds an object by any page of that offset range, so a
//! mapping may start inside the object (a partial mapping, as i915), and a
//! VMA cannot tell which type it was asked for: every one is served as a
//! GTT mmap, and on a software device with one coherent memory they all
//! show the same bytes. A
//! userptr serves only the GTT type (its CPU types are ENODEV; with
//! `uapi=2021`, all of them). Every mapping lies in the DRM anon inode's
//! mapping, so the one revocation (`unmap_mapping`, on SET_TILING and
//! userptr invalidation) zaps them all.
//!
//! A fault maps the whole object at once with `vmf_insert_pfn` (user pages
//! are anonymous: `vm_insert_page` would refuse them). It runs under
//! `mmap_lock` or the per-VMA lock and never takes `mmap_lock` itself; it
//! holds the GGTT lock from `get_pages` until the PTEs are in, which is what
//! makes deferred revocation of userptr pages safe (see `userptr.rs`).

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

/// `I915_MMAP_OFFSET_GTT`.
pub(crate) const TYPE_GTT: u32 = 0;
/// `I915_MMAP_OFFSET_WC`.
pub(crate) const TYPE_WC: u32 = 1;
/// `I915_MMAP_OFFSET_WB`.
pub(crate) const TYPE_WB: u32 = 2;

/// The object's fake offset (created on first use), in bytes.
pub(crate) fn offset(obj: &Vi915Gem) -> Result<u64> {
    ffi::create_mmap_offset(obj)
}

/// The fake offset for an mmap of type `ty` (`I915_MMAP_OFFSET_*`) of `obj`:
/// ENODEV for a type the object does not serve (the CPU types of a userptr;
/// with `uapi=2021`, every type of a userptr, as modern i915).
pub(crate) fn type_offset(obj: &Vi915Gem, ty: u32) -> Result<u64> {
    if obj.userptr().is_some() && (ty != TYPE_GTT || crate::generation::current()) {
        return Err(ENODEV);
    }
    offset(obj)
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
/// PTEs); `EFAULT` once purged. The caller holds the GGTT lock; the pages
/// stay referenced for `f`.
fn with_pfns<R>(
    obj: &Vi915Gem,
    for_mapping: bool,
    miss: Miss,
    f: impl FnOnce(&[usize]) -> Result<R>,
) -> Result<R> {
    // Purged by GEM_MADVISE (under the same lock): EFAULT, a fault's SIGBUS.
    obj.check_not_purged()?;
    match &obj.backing {
        Backing::Kernel(k) => f(&k.pfns),
        Backing::Import(i) => f(i.pfns()),
        Backing::Userptr(up) => f(up.get_pages(obj, for_mapping, miss)?.pfns()),
    }
}

/// `vm_ops->fault`.
pub(crate) fn fault(obj: &Vi915Gem, vmf: &Fault) -> u32 {
    // An object larger than the GGTT can never be bound: SIGBUS before
    // get_pages tries to pin it (a huge userptr would otherwise fail its
    // page-vector allocation with ENOMEM, i.e. VM_FAULT_OOM, refaulting
    // forever).
    if gem::size_u64(obj) > GGTT_SIZE {
        return ffi::VM_FAULT_SIGBUS;
    }
    // As 2017 i915: the CPU access waits for the engine first. Modern i915
    // (MMAP_GTT_VERSION 3 on) synchronises nothing on a fault; with
    // `uapi=2021` only GEM_CREATE objects can be mapped, and their pages
    // never move, so nothing else needs the wait.
    if !crate::generation::current() {
        if let Err(e) = ffi::gem_wait(obj, true, None) {
            return fault_code(e);
        }
    }
    let miss = read_begin(obj);
    let mut ggtt = obj.dev().ggtt.lock();
    let res = with_pfns(obj, true, miss, |pfns| {
        gem::bind(&mut ggtt, obj)?;
        Ok(vmf.map_pfns(pfns))
    });
    res.unwrap_or_else(fault_code)
}
