// SPDX-License-Identifier: GPL-2.0

//! The GEM object functions table (override of the Rust default: free,
//! mmap, vm_ops / fault, get_sg_table, export) and the userptr back pointer.

use core::{
    cell::UnsafeCell,
    ptr, //
};
use kernel::{
    bindings,
    drm::gem::IntoGEMObject,
    ffi::{
        c_int,
        c_ulong, //
    },
    prelude::*,
    sync::{
        aref::ARef,
        atomic::{
            Atomic,
            Relaxed, //
        },
        SetOnce,
    },
};

use super::{
    gem_get_unless_zero,
    gem_mmap_setup,
    gem_unmap_mapping,
    pages_to_sg,
    vi915_err_ptr,
    vma_access_pfns,
    vmf_gem_object,
    vmf_map_pfns,
    AssertSync,
    RawPage, //
};
use crate::gem::Vi915Gem;

/// A non-owning pointer from a userptr back to its GEM object, for the MMU
/// notifier callback (which only sees the embedded notifier).
pub(crate) struct GemBackPtr(Atomic<*mut bindings::drm_gem_object>);

impl GemBackPtr {
    /// Unset.
    pub(crate) const fn new() -> Self {
        Self(Atomic::new(ptr::null_mut()))
    }

    /// Point at `obj` (once, right after the object is created).
    pub(crate) fn set(&self, obj: &Vi915Gem) {
        self.0.store(obj.as_raw(), Relaxed);
    }

    /// The object, without a reference (null before `set`).
    pub(crate) fn raw(&self) -> *mut bindings::drm_gem_object {
        self.0.load(Relaxed)
    }

    /// A new reference, unless the object is already being freed.
    pub(crate) fn try_get(&self) -> Option<ARef<Vi915Gem>> {
        let raw = self.0.load(Relaxed);
        if raw.is_null() {
            return None;
        }
        // SAFETY: The object's memory stays allocated while its notifier can
        // run: `free` removes the notifier (waiting for callbacks) first.
        if !unsafe { gem_get_unless_zero(raw) } {
            return None;
        }
        // SAFETY: `raw` is one of our objects and we now own one reference.
        let obj: &Vi915Gem = unsafe { Vi915Gem::from_raw(raw) };
        // SAFETY: Takes over the reference acquired above.
        Some(unsafe { ARef::from_raw(obj.into()) })
    }
}

struct Funcs {
    table: bindings::drm_gem_object_funcs,
    orig_free: Option<unsafe extern "C" fn(*mut bindings::drm_gem_object)>,
}

// SAFETY: Immutable after `populate`; only read.
unsafe impl Sync for Funcs {}
// SAFETY: Plain data (function pointers and a pointer to a static).
unsafe impl Send for Funcs {}

static FUNCS: SetOnce<Funcs> = SetOnce::new();

static VM_OPS: AssertSync<UnsafeCell<bindings::vm_operations_struct>> =
    AssertSync(UnsafeCell::new(bindings::vm_operations_struct {
        open: Some(bindings::drm_gem_vm_open),
        close: Some(bindings::drm_gem_vm_close),
        fault: Some(vm_fault),
        access: Some(vm_access),
        ..pin_init::zeroed()
    }));

/// Point a freshly created object at our functions table (free, mmap, vm_ops,
/// get_sg_table), keeping the Rust default open/close callbacks.
pub(crate) fn install_funcs(obj: &Vi915Gem) -> Result {
    let raw = obj.as_raw();
    if FUNCS.as_ref().is_none() {
        // SAFETY: `raw` is valid; `funcs` was set by `Object::new` to the
        // Rust default table, which is static.
        let orig = unsafe { *(*raw).funcs };
        let _ = FUNCS.populate(Funcs {
            table: bindings::drm_gem_object_funcs {
                free: Some(gem_free),
                mmap: Some(gem_mmap),
                get_sg_table: Some(gem_get_sg_table),
                export: Some(gem_export),
                pin: Some(gem_pin),
                unpin: Some(gem_unpin),
                vm_ops: VM_OPS.0.get(),
                ..orig
            },
            orig_free: orig.free,
        });
    }
    let funcs = FUNCS.as_ref().ok_or(EINVAL)?;
    // SAFETY: The object is not yet visible to userspace (no handle, no mmap
    // offset); the table is static.
    unsafe { (*raw).funcs = &funcs.table };
    Ok(())
}

/// `drm_gem_object_funcs::free`.
///
/// # Safety
///
/// Only called by the DRM core, once, for one of our objects whose refcount hit zero.
unsafe extern "C" fn gem_free(raw: *mut bindings::drm_gem_object) {
    {
        // SAFETY: Called by DRM core for one of our objects, refcount zero.
        let obj: &Vi915Gem = unsafe { Vi915Gem::from_raw(raw) };
        // SAFETY: This is the object's `free`, called once.
        unsafe { crate::gem::release(obj) };
    }
    if let Some(free) = FUNCS.as_ref().and_then(|f| f.orig_free) {
        // SAFETY: The Rust default free callback of this object type.
        unsafe { free(raw) };
    }
}

/// `drm_gem_object_funcs::mmap`.
///
/// # Safety
///
/// Only called by the DRM core with one of our objects and a VMA being set up.
unsafe extern "C" fn gem_mmap(
    raw: *mut bindings::drm_gem_object,
    vma: *mut bindings::vm_area_struct,
) -> c_int {
    // SAFETY: Called from `drm_gem_mmap_obj` / `drm_gem_prime_mmap`.
    let obj: &Vi915Gem = unsafe { Vi915Gem::from_raw(raw) };
    // SAFETY: Same call.
    let res = unsafe { gem_mmap_setup(raw, vma) }.and_then(|kind| crate::mmap::check(obj, kind));
    match res {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// `VM_FAULT_*` codes used by the fault handler.
pub(crate) const VM_FAULT_NOPAGE: u32 = bindings::vm_fault_reason_VM_FAULT_NOPAGE;
/// Out of memory.
pub(crate) const VM_FAULT_OOM: u32 = bindings::vm_fault_reason_VM_FAULT_OOM;
/// Bad access.
pub(crate) const VM_FAULT_SIGBUS: u32 = bindings::vm_fault_reason_VM_FAULT_SIGBUS;

/// A GTT fault in progress.
pub(crate) struct Fault(*mut bindings::vm_fault);

impl Fault {
    /// Map the whole VMA from `pfns` (object page index → pfn).
    pub(crate) fn map_pfns(&self, pfns: &[usize]) -> u32 {
        // SAFETY: `self.0` is the running fault; the caller keeps the pfns
        // valid until the mapping is revoked (GGTT lock protocol).
        unsafe { vmf_map_pfns(self.0, pfns) }
    }
}

/// `vm_operations_struct::fault` of GTT mmaps.
///
/// # Safety
///
/// Only called by the MM core for a VMA set up by `drm_gem_mmap_obj` for one of our objects.
unsafe extern "C" fn vm_fault(vmf: *mut bindings::vm_fault) -> bindings::vm_fault_t {
    // SAFETY: `vmf` belongs to one of our VMAs, whose private data is a GEM
    // object that the VMA holds a reference on.
    let obj: &Vi915Gem = unsafe { Vi915Gem::from_raw(vmf_gem_object(vmf)) };
    crate::mmap::fault(obj, &Fault(vmf))
}

/// A `vm_ops->access` call (ptrace, `/proc/<pid>/mem`) on a GTT mmap.
pub(crate) struct Access {
    vma: *mut bindings::vm_area_struct,
    addr: c_ulong,
    buf: *mut kernel::ffi::c_void,
    len: c_int,
    write: c_int,
}

impl Access {
    /// Copy from or to the object's pages `pfns`; bytes copied or -errno.
    pub(crate) fn copy(&self, pfns: &[usize]) -> c_int {
        // SAFETY: The fields are the running `access` call's arguments; the
        // caller keeps `pfns` alive (it holds the page references).
        unsafe { vma_access_pfns(self.vma, self.addr, self.buf, self.len, self.write, pfns) }
    }
}

/// `vm_operations_struct::access` of GTT mmaps.
///
/// # Safety
///
/// Only called by the MM core (`__access_remote_vm`) for a VMA set up by
/// `drm_gem_mmap_obj` for one of our objects, with `buf` valid for `len` bytes.
unsafe extern "C" fn vm_access(
    vma: *mut bindings::vm_area_struct,
    addr: c_ulong,
    buf: *mut kernel::ffi::c_void,
    len: c_int,
    write: c_int,
) -> c_int {
    // SAFETY: Our VMAs' private data is a GEM object the VMA holds a
    // reference on.
    let obj: &Vi915Gem = unsafe { Vi915Gem::from_raw((*vma).vm_private_data.cast()) };
    crate::mmap::access(
        obj,
        &Access {
            vma,
            addr,
            buf,
            len,
            write,
        },
    )
}

/// `drm_gem_object_funcs::get_sg_table`.
///
/// # Safety
///
/// Only called by the PRIME helpers for one of our objects.
unsafe extern "C" fn gem_get_sg_table(
    raw: *mut bindings::drm_gem_object,
) -> *mut bindings::sg_table {
    // SAFETY: Called by the PRIME helpers for one of our objects.
    let obj: &Vi915Gem = unsafe { Vi915Gem::from_raw(raw) };
    match crate::prime::get_sg_table(obj) {
        Ok(sgt) => sgt,
        // SAFETY: Builds an ERR_PTR from a negative errno.
        Err(e) => unsafe { vi915_err_ptr(e.to_errno()) }.cast(),
    }
}

/// `drm_gem_object_funcs::pin` (a dma-buf attachment is made).
///
/// # Safety
///
/// Only called by the PRIME helpers for one of our objects, with its
/// reservation lock held.
unsafe extern "C" fn gem_pin(raw: *mut bindings::drm_gem_object) -> c_int {
    // SAFETY: Called by the PRIME helpers for one of our objects.
    let obj: &Vi915Gem = unsafe { Vi915Gem::from_raw(raw) };
    crate::prime::pin(obj);
    0
}

/// `drm_gem_object_funcs::unpin` (a dma-buf attachment goes).
///
/// # Safety
///
/// As for [`gem_pin`], once per successful pin.
unsafe extern "C" fn gem_unpin(raw: *mut bindings::drm_gem_object) {
    // SAFETY: Called by the PRIME helpers for one of our objects.
    let obj: &Vi915Gem = unsafe { Vi915Gem::from_raw(raw) };
    crate::prime::unpin(obj);
}

/// `drm_gem_object_funcs::export`: the driver's preparation (an UNSYNCHRONIZED
/// userptr gets its MMU notifier, as 2017 i915 did), then the DRM default.
///
/// # Safety
///
/// Only called by the PRIME helpers for one of our objects.
unsafe extern "C" fn gem_export(
    raw: *mut bindings::drm_gem_object,
    flags: kernel::ffi::c_int,
) -> *mut bindings::dma_buf {
    // SAFETY: Called by the PRIME helpers for one of our objects.
    let obj: &Vi915Gem = unsafe { Vi915Gem::from_raw(raw) };
    match crate::prime::prepare_export(obj) {
        // SAFETY: `raw` is a live GEM object of a registered device.
        Ok(()) => unsafe { bindings::drm_gem_prime_export(raw, flags) },
        // SAFETY: Builds an ERR_PTR from a negative errno.
        Err(e) => unsafe { vi915_err_ptr(e.to_errno()) }.cast(),
    }
}

/// Give `obj` its fake mmap offset (idempotent; every mmap type shares it);
/// the offset in bytes. Export asks for it first (a dma-buf mmap then lies
/// where [`unmap_mapping`] revokes it).
pub(crate) fn create_mmap_offset(obj: &Vi915Gem) -> Result<u64> {
    // SAFETY: `obj` is a live, initialised GEM object.
    unsafe { super::create_mmap_offset_raw(obj.as_raw()) }
}

/// GEM_MMAP: map `size` bytes of the calling DRM file at fake offset `offset`
/// into the caller's address space (takes `mmap_lock`: call with no lock
/// held); the address.
pub(crate) fn vm_mmap(file: &crate::file::DrmFile, offset: u64, size: u64) -> Result<u64> {
    let raw = drm_file_raw(file);
    // SAFETY: `file` is the DRM file of the running ioctl, so it and its
    // `filp` are alive for the call; vm_mmap maps into the current task's mm.
    let r = unsafe { super::vi915_vm_mmap(raw, offset, size) };
    u64::try_from(r).map_err(|_| Error::from_errno(r as c_int))
}

/// The `struct drm_file` of `file`: `drm::File<T>` is `#[repr(transparent)]`
/// over it (rust/kernel/drm/file.rs), so the pointers coincide.
pub(super) fn drm_file_raw(file: &crate::file::DrmFile) -> *mut bindings::drm_file {
    ptr::from_ref(file).cast_mut().cast()
}

/// Whether the DRM file was opened (or set) `O_NONBLOCK`.
pub(crate) fn file_nonblock(file: &crate::file::DrmFile) -> bool {
    let raw = drm_file_raw(file);
    // SAFETY: `file` is the DRM file of the running ioctl, alive with its
    // `filp` for the call; the flags are read once.
    unsafe { super::vi915_file_nonblock(raw) }
}

/// Build an sg table for `obj` from `pages`.
pub(crate) fn sg_from_pages(
    obj: &Vi915Gem,
    pages: &mut [RawPage],
) -> Result<*mut bindings::sg_table> {
    // SAFETY: The caller keeps the pages referenced for the call (the
    // object's driver pages, or a userptr generation held for importers).
    let sgt = unsafe { pages_to_sg(obj.as_raw(), pages) };
    kernel::error::from_err_ptr(sgt)
}

/// Revoke every CPU mapping of `obj` made through the DRM file.
pub(crate) fn unmap_mapping(obj: &Vi915Gem) {
    // SAFETY: `obj` is a live, initialised GEM object.
    unsafe { gem_unmap_mapping(obj.as_raw()) }
}

/// Raw pointer of a page we own (for kernel-backed objects).
pub(crate) fn owned_page_ptr(page: &super::OwnedPage) -> RawPage {
    page.as_ptr()
}

/// The raw DRM device behind an (unregistered) Rust DRM device.
pub(crate) fn drm_raw<T: kernel::drm::Driver>(
    dev: &kernel::drm::Device<T>,
) -> *mut bindings::drm_device {
    // `drm::Device<T>` is `#[repr(C)]` with the `struct drm_device` first
    // (rust/kernel/drm/device.rs), so the pointers coincide.
    ptr::from_ref(dev).cast_mut().cast()
}
