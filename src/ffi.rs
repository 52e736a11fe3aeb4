// SPDX-License-Identifier: GPL-2.0

//! The one thin layer over raw C: the `extern "C"` declarations of the C shim
//! (`helpers.c`) and of the few exported kernel functions the Rust abstractions
//! do not wrap, each behind a small function with a `# Safety` contract.
//!
//! Everything else in the driver calls these wrappers.

use core::{
    cell::UnsafeCell,
    marker::PhantomPinned,
    ptr, //
};
use kernel::{
    bindings,
    drm::gem::IntoGEMObject,
    ffi::{
        c_int,
        c_uint,
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
    types::Opaque,
};

use crate::{
    gem::Vi915Gem,
    userptr::Userptr, //
};

/// `struct sg_table`, handed to the PRIME helpers.
pub(crate) type SgTable = bindings::sg_table;

/// Raw `struct page` pointer, as returned by gup.
pub(crate) type RawPage = *mut bindings::page;

#[allow(improper_ctypes)]
extern "C" {
    fn vi915_page_to_pfn(page: *mut bindings::page) -> c_ulong;
    fn vi915_put_pages(pages: *mut *mut bindings::page, n: c_ulong);
    fn vi915_access_ok(ptr: u64, size: u64) -> bool;
    fn vi915_capable_sys_admin() -> bool;
    fn vi915_range_blockable(range: *const bindings::mmu_notifier_range) -> bool;
    fn vi915_mmu_interval_set_seq(sub: *mut bindings::mmu_interval_notifier, cur_seq: c_ulong);
    fn vi915_mmu_interval_read_retry(
        sub: *mut bindings::mmu_interval_notifier,
        seq: c_ulong,
    ) -> bool;
    fn vi915_gem_get_unless_zero(obj: *mut bindings::drm_gem_object) -> bool;
    fn vi915_gem_unmap_mapping(obj: *mut bindings::drm_gem_object);
    fn vi915_gem_mmap_setup(
        obj: *mut bindings::drm_gem_object,
        vma: *mut bindings::vm_area_struct,
    ) -> c_int;
    fn vi915_err_ptr(err: c_int) -> *mut kernel::ffi::c_void;
    fn vi915_vmf_gem_object(vmf: *mut bindings::vm_fault) -> *mut bindings::drm_gem_object;
    fn vi915_vmf_map_pfns(vmf: *mut bindings::vm_fault, pfns: *const c_ulong, n: c_ulong)
        -> c_uint;
    fn vi915_probe_range(start: u64, size: u64) -> c_int;
    fn vi915_alloc_workqueue() -> *mut bindings::workqueue_struct;
    fn vi915_destroy_workqueue(wq: *mut bindings::workqueue_struct);
    fn vi915_pages_to_sg(
        obj: *mut bindings::drm_gem_object,
        pages: *mut *mut bindings::page,
        n: c_uint,
    ) -> *mut bindings::sg_table;
    fn vi915_debugfs_init(
        dev: *mut bindings::drm_device,
        counters: unsafe extern "C" fn(out: *mut u64, n: usize),
    );
}

/// PFN of a page.
///
/// # Safety
///
/// `page` must point to a valid `struct page` (we hold a reference on it).
pub(crate) unsafe fn page_to_pfn(page: RawPage) -> usize {
    // SAFETY: Guaranteed by the caller.
    unsafe { vi915_page_to_pfn(page) }
}

/// Drop one page reference (`put_page`) for each entry of `pages`.
///
/// # Safety
///
/// Every entry must be a page on which the caller owns one reference obtained
/// from `get_user_pages*`; the references are consumed.
pub(crate) unsafe fn put_pages(pages: &mut [RawPage]) {
    // SAFETY: Guaranteed by the caller; the slice is valid for `len` entries.
    unsafe { vi915_put_pages(pages.as_mut_ptr(), pages.len()) }
}

/// `access_ok()` on the current task's address space.
pub(crate) fn access_ok(ptr: u64, size: u64) -> bool {
    // SAFETY: Pure range check on the current task; no pointer is dereferenced.
    unsafe { vi915_access_ok(ptr, size) }
}

/// `capable(CAP_SYS_ADMIN)` for the current task.
pub(crate) fn capable_sys_admin() -> bool {
    // SAFETY: Queries the current task's credentials only.
    unsafe { vi915_capable_sys_admin() }
}

/// `I915_USERPTR_PROBE`: walk the VMAs of `[start, start + size)` of the
/// current mm under `mmap_read_lock`; `EFAULT` on a hole or a PFN/mixed map.
///
/// Must only be called from process context holding no driver lock.
pub(crate) fn probe_range(start: u64, size: u64) -> Result {
    // SAFETY: Only reads the current task's VMA tree under its own lock.
    kernel::error::to_result(unsafe { vi915_probe_range(start, size) })
}

/// Whether an MMU notifier invalidation may sleep.
///
/// # Safety
///
/// `range` must be the pointer passed to an `mmu_interval_notifier_ops` callback.
pub(crate) unsafe fn range_blockable(range: *const bindings::mmu_notifier_range) -> bool {
    // SAFETY: Guaranteed by the caller.
    unsafe { vi915_range_blockable(range) }
}

/// `mmu_interval_set_seq()`.
///
/// # Safety
///
/// `sub` and `cur_seq` must come from the running invalidate callback, called
/// with the driver lock that also serialises readers of the sequence held.
pub(crate) unsafe fn mmu_interval_set_seq(sub: *mut bindings::mmu_interval_notifier, seq: usize) {
    // SAFETY: Guaranteed by the caller.
    unsafe { vi915_mmu_interval_set_seq(sub, seq) }
}

/// Insert an interval notifier on `mm` for `[start, start + len)`.
///
/// # Safety
///
/// `sub` must be pinned, zero-initialised and live until [`mmu_interval_notifier_remove`]
/// has returned; `ops` must be `'static`; `mm` must be a live mm (`mm_users > 0`).
pub(crate) unsafe fn mmu_interval_notifier_insert(
    sub: *mut bindings::mmu_interval_notifier,
    mm: *mut bindings::mm_struct,
    start: usize,
    len: usize,
    ops: &'static bindings::mmu_interval_notifier_ops,
) -> Result {
    // SAFETY: Guaranteed by the caller.
    kernel::error::to_result(unsafe {
        bindings::mmu_interval_notifier_insert(sub, mm, start, len, ops)
    })
}

/// Remove an interval notifier; waits for running callbacks.
///
/// # Safety
///
/// `sub` must have been inserted successfully and not removed yet. Must not be
/// called from a notifier callback, nor with a lock held that a callback takes.
pub(crate) unsafe fn mmu_interval_notifier_remove(sub: *mut bindings::mmu_interval_notifier) {
    // SAFETY: Guaranteed by the caller.
    unsafe { bindings::mmu_interval_notifier_remove(sub) }
}

#[cfg(not(vi915_preseed))]
/// Lockless fast gup of the *current* mm; never faults, never takes `mmap_lock`.
/// Returns the number of pages grabbed (each with one reference).
///
/// # Safety
///
/// `pages` must have room for `n` entries.
pub(crate) unsafe fn get_user_pages_fast_only(
    start: usize,
    n: usize,
    write: bool,
    pages: *mut RawPage,
) -> usize {
    let flags = if write { bindings::FOLL_WRITE } else { 0 };
    let n = c_int::try_from(n).unwrap_or(c_int::MAX);
    // SAFETY: Guaranteed by the caller; gup-fast is lockless.
    let got = unsafe { bindings::get_user_pages_fast_only(start, n, flags, pages) };
    usize::try_from(got).unwrap_or(0)
}

/// `get_user_pages_remote()`.
///
/// # Safety
///
/// `mmap_read_lock(mm)` must be held; `pages` must have room for `n` entries.
pub(crate) unsafe fn get_user_pages_remote(
    mm: *mut bindings::mm_struct,
    start: usize,
    n: usize,
    write: bool,
    pages: *mut RawPage,
) -> Result<usize> {
    let flags = if write { bindings::FOLL_WRITE } else { 0 };
    // SAFETY: Guaranteed by the caller.
    let got = unsafe {
        bindings::get_user_pages_remote(mm, start, n, flags, pages, core::ptr::null_mut())
    };
    if got < 0 {
        Err(Error::from_errno(i32::try_from(got).unwrap_or(-14)))
    } else {
        Ok(got.unsigned_abs())
    }
}

/// `kref_get_unless_zero()` on a GEM object.
///
/// # Safety
///
/// `obj` must point to GEM object memory that stays allocated for the call.
pub(crate) unsafe fn gem_get_unless_zero(obj: *mut bindings::drm_gem_object) -> bool {
    // SAFETY: Guaranteed by the caller.
    unsafe { vi915_gem_get_unless_zero(obj) }
}

/// Revoke every CPU mapping of a GEM object made through the DRM device file
/// (`drm_vma_node_unmap`). May trigger MMU notifiers of the mms that map it.
///
/// # Safety
///
/// `obj` must be a valid, initialised GEM object.
pub(crate) unsafe fn gem_unmap_mapping(obj: *mut bindings::drm_gem_object) {
    // SAFETY: Guaranteed by the caller.
    unsafe { vi915_gem_unmap_mapping(obj) }
}

/// What `funcs->mmap` found out about a new VMA.
pub(crate) enum MmapKind {
    /// A mapping of the DRM device file, set up as `VM_PFNMAP`.
    DrmFile,
    /// A dma-buf mapping (file is the dma-buf).
    DmaBuf,
}

/// Check and set up a VMA in `funcs->mmap`.
///
/// # Safety
///
/// Only from `funcs->mmap` with the pointers it received.
pub(crate) unsafe fn gem_mmap_setup(
    obj: *mut bindings::drm_gem_object,
    vma: *mut bindings::vm_area_struct,
) -> Result<MmapKind> {
    // SAFETY: Guaranteed by the caller.
    match unsafe { vi915_gem_mmap_setup(obj, vma) } {
        0 => Ok(MmapKind::DrmFile),
        1 => Ok(MmapKind::DmaBuf),
        e => Err(Error::from_errno(e)),
    }
}

/// GEM object of a faulting VMA.
///
/// # Safety
///
/// `vmf` must be the argument of a `vm_ops->fault` call of one of our VMAs.
pub(crate) unsafe fn vmf_gem_object(vmf: *mut bindings::vm_fault) -> *mut bindings::drm_gem_object {
    // SAFETY: Guaranteed by the caller.
    unsafe { vi915_vmf_gem_object(vmf) }
}

/// Insert PFN mappings for the whole faulting VMA; returns a `vm_fault_t`.
///
/// # Safety
///
/// `vmf` as for [`vmf_gem_object`]; every pfn must stay valid until the
/// mapping is revoked (the caller's lock protocol guarantees it).
pub(crate) unsafe fn vmf_map_pfns(vmf: *mut bindings::vm_fault, pfns: &[usize]) -> u32 {
    // SAFETY: Guaranteed by the caller.
    unsafe { vi915_vmf_map_pfns(vmf, pfns.as_ptr(), pfns.len()) }
}

/// `drm_prime_pages_to_sg()`; returns an owned `sg_table` or an error.
///
/// # Safety
///
/// `obj` valid; `pages` valid page pointers kept alive by the caller.
pub(crate) unsafe fn pages_to_sg(
    obj: *mut bindings::drm_gem_object,
    pages: &mut [RawPage],
) -> *mut bindings::sg_table {
    let n = c_uint::try_from(pages.len()).unwrap_or(0);
    // SAFETY: Guaranteed by the caller.
    unsafe { vi915_pages_to_sg(obj, pages.as_mut_ptr(), n) }
}

/// The driver's private workqueue (gup workers and mapping revocation).
pub(crate) struct Workqueue(*mut bindings::workqueue_struct);

// SAFETY: A workqueue may be used and destroyed from any thread.
unsafe impl Send for Workqueue {}
// SAFETY: `queue_work` is thread safe.
unsafe impl Sync for Workqueue {}

impl Workqueue {
    /// Allocate an unbound, reclaim-safe workqueue.
    pub(crate) fn new() -> Result<Self> {
        // SAFETY: Plain allocation.
        let wq = unsafe { vi915_alloc_workqueue() };
        if wq.is_null() {
            return Err(ENOMEM);
        }
        Ok(Self(wq))
    }
}

impl Drop for Workqueue {
    fn drop(&mut self) {
        Self::uninstall();
        // SAFETY: Drains all queued work (which may still hold object
        // references) and frees the queue; nothing can enqueue afterwards.
        unsafe { vi915_destroy_workqueue(self.0) }
    }
}

/// Create the i915 debugfs files in the DRM device's debugfs directory
/// (`/sys/kernel/debug/dri/<minor>/`).
///
/// # Safety
///
/// `dev` must be a valid DRM device whose `debugfs_root` is set up.
pub(crate) unsafe fn debugfs_init(
    dev: *mut bindings::drm_device,
    counters: unsafe extern "C" fn(out: *mut u64, n: usize),
) {
    // SAFETY: Guaranteed by the caller.
    unsafe { vi915_debugfs_init(dev, counters) }
}

// ---- The driver's private workqueue, reachable from C callbacks --------------

static QUEUE: Atomic<*mut bindings::workqueue_struct> = Atomic::new(ptr::null_mut());

/// The driver workqueue, while the module is loaded.
pub(crate) fn queue() -> Option<&'static kernel::workqueue::Queue> {
    let wq = QUEUE.load(Relaxed);
    if wq.is_null() {
        return None;
    }
    // SAFETY: `QUEUE` holds a live workqueue between `Workqueue::install` and
    // the module's teardown, which first waits for every user to be gone.
    Some(unsafe { kernel::workqueue::Queue::from_raw(wq) })
}

impl Workqueue {
    /// Make this the queue returned by [`queue`].
    pub(crate) fn install(&self) {
        QUEUE.store(self.0, Relaxed);
    }

    /// Stop handing out the queue (once it is destroyed).
    pub(crate) fn uninstall() {
        QUEUE.store(ptr::null_mut(), Relaxed);
    }
}

// ---- GEM object back pointer --------------------------------------------------

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

// ---- MMU interval notifier ----------------------------------------------------

/// An embedded `struct mmu_interval_notifier`.
#[repr(transparent)]
#[pin_data]
pub(crate) struct IntervalNotifier {
    inner: Opaque<bindings::mmu_interval_notifier>,
    #[pin]
    _pin: PhantomPinned,
}

impl IntervalNotifier {
    /// A zeroed, not yet inserted notifier.
    pub(crate) fn new() -> impl PinInit<Self> {
        pin_init!(Self {
            inner: Opaque::zeroed(),
            _pin: PhantomPinned,
        })
    }

    /// Insert for `[start, start + len)` of `mm` (may take `mmap_lock`).
    pub(crate) fn insert(&self, mm: &kernel::mm::Mm, start: usize, len: usize) -> Result {
        // SAFETY: `self` is pinned inside a `Userptr`, whose owner calls
        // `remove` before freeing it; the ops table is static; the caller
        // guarantees `mm` has users (current's mm, or an `mmget` reference).
        unsafe {
            mmu_interval_notifier_insert(self.inner.get(), mm.as_raw(), start, len, &NOTIFIER_OPS.0)
        }
    }

    /// `mmu_interval_read_begin()`: the sequence to check later with
    /// [`Self::read_retry`]; sleeps while an invalidation of the range is in
    /// progress. Call with no lock held that an invalidate callback takes.
    ///
    /// # Safety
    ///
    /// Must be between a successful [`Self::insert`] and [`Self::remove`].
    pub(crate) unsafe fn read_begin(&self) -> usize {
        // SAFETY: Inserted and not removed, guaranteed by the caller.
        unsafe { bindings::mmu_interval_read_begin(self.inner.get()) }
    }

    /// `mmu_interval_read_retry()`: whether an invalidation started since
    /// `seq`. Call with the lock held that the callback sets the sequence under.
    ///
    /// # Safety
    ///
    /// As for [`Self::read_begin`]; `seq` came from it.
    pub(crate) unsafe fn read_retry(&self, seq: usize) -> bool {
        // SAFETY: Inserted and not removed, guaranteed by the caller.
        unsafe { vi915_mmu_interval_read_retry(self.inner.get(), seq) }
    }

    /// Remove; waits for running callbacks.
    ///
    /// # Safety
    ///
    /// Must follow a successful [`Self::insert`], once; not from a callback.
    pub(crate) unsafe fn remove(&self) {
        // SAFETY: Guaranteed by the caller.
        unsafe { mmu_interval_notifier_remove(self.inner.get()) }
    }
}

/// Sync wrapper for static C ops tables (they are never written).
#[repr(transparent)]
pub(crate) struct AssertSync<T>(pub(crate) T);
// SAFETY: The tables are immutable after construction and only read by C.
unsafe impl<T> Sync for AssertSync<T> {}

static NOTIFIER_OPS: AssertSync<bindings::mmu_interval_notifier_ops> =
    AssertSync(bindings::mmu_interval_notifier_ops {
        invalidate: Some(notifier_invalidate),
        invalidate_start: None,
        invalidate_finish: None,
    });

/// `mmu_interval_notifier_ops::invalidate`.
///
/// # Safety
///
/// Only called by the MMU notifier core with the notifier of a live `Userptr`.
unsafe extern "C" fn notifier_invalidate(
    sub: *mut bindings::mmu_interval_notifier,
    range: *const bindings::mmu_notifier_range,
    cur_seq: c_ulong,
) -> bool {
    // SAFETY: `sub` is the `notifier` field of a live `Userptr`
    // (`IntervalNotifier` is transparent over it); it outlives the callback.
    let up: &Userptr =
        unsafe { &*kernel::container_of!(sub.cast::<IntervalNotifier>(), Userptr, notifier) };
    // SAFETY: `range` is the callback's argument.
    let blockable = unsafe { range_blockable(range) };
    up.invalidate(blockable, || {
        // SAFETY: Called by `invalidate` with the pages lock held, from this
        // callback, with its `cur_seq`.
        unsafe { mmu_interval_set_seq(sub, cur_seq) }
    })
}

// ---- GEM object functions table (override of the Rust default) ----------------

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
        crate::gem::release(obj);
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

/// Build an sg table for `obj` from `pages`.
pub(crate) fn sg_from_pages(
    obj: &Vi915Gem,
    pages: &mut [RawPage],
) -> Result<*mut bindings::sg_table> {
    // SAFETY: The caller keeps the pages alive for the call (GGTT lock).
    let sgt = unsafe { pages_to_sg(obj.as_raw(), pages) };
    kernel::error::from_err_ptr(sgt)
}

/// Revoke every CPU mapping of `obj` made through the DRM file.
pub(crate) fn unmap_mapping(obj: &Vi915Gem) {
    // SAFETY: `obj` is a live, initialised GEM object.
    unsafe { gem_unmap_mapping(obj.as_raw()) }
}

/// Raw pointer of a `Page` we own (for kernel-backed objects).
pub(crate) fn owned_page_ptr(page: &kernel::page::Page) -> RawPage {
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
