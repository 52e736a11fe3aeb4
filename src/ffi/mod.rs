// SPDX-License-Identifier: GPL-2.0

//! The one thin layer over raw C: the `extern "C"` declarations of the C shim
//! (`helpers.c`) and of the few exported kernel functions the Rust abstractions
//! do not wrap, each behind a small function with a `# Safety` contract.
//!
//! Everything else in the driver calls these wrappers. The C-facing tables
//! and callbacks live in the submodules: [`notifier`] (MMU interval notifier),
//! [`gem_funcs`] (GEM functions table, vm_ops and the fault), [`import`]
//! (foreign dma-bufs), [`workqueue`].

use kernel::{
    bindings,
    ffi::{
        c_int,
        c_uint,
        c_ulong, //
    },
    prelude::*,
};

/// `struct sg_table`, handed to the PRIME helpers.
pub(crate) type SgTable = bindings::sg_table;

/// Raw `struct page` pointer, as returned by gup.
pub(crate) type RawPage = *mut bindings::page;

#[allow(improper_ctypes)]
extern "C" {
    fn vi915_page_to_pfn(page: *mut bindings::page) -> c_ulong;
    fn vi915_put_pages(pages: *mut *mut bindings::page, n: c_ulong, dirty: bool);
    fn vi915_access_ok(ptr: u64, size: u64) -> bool;
    fn vi915_capable_sys_admin() -> bool;
    fn vi915_cond_resched();
    fn vi915_signal_pending() -> bool;
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
    fn vi915_gem_create_mmap_offset(obj: *mut bindings::drm_gem_object) -> i64;
    fn vi915_vm_mmap(file: *mut bindings::drm_file, offset: u64, size: u64) -> i64;
    fn vi915_file_nonblock(file: *mut bindings::drm_file) -> bool;
    fn vi915_err_ptr(err: c_int) -> *mut kernel::ffi::c_void;
    fn vi915_vmf_gem_object(vmf: *mut bindings::vm_fault) -> *mut bindings::drm_gem_object;
    fn vi915_vmf_map_pfns(vmf: *mut bindings::vm_fault, pfns: *const c_ulong, n: c_ulong)
        -> c_uint;
    fn vi915_probe_range(start: u64, size: u64) -> c_int;
    fn vi915_alloc_workqueue() -> *mut bindings::workqueue_struct;
    fn vi915_alloc_ordered_workqueue() -> *mut bindings::workqueue_struct;
    fn vi915_destroy_workqueue(wq: *mut bindings::workqueue_struct);
    fn vi915_pages_to_sg(
        obj: *mut bindings::drm_gem_object,
        pages: *mut *mut bindings::page,
        n: c_uint,
    ) -> *mut bindings::sg_table;
    fn vi915_debugfs_init(
        dev: *mut bindings::drm_device,
        counters: unsafe extern "C" fn(out: *mut u64, n: usize),
        hang_get: unsafe extern "C" fn(seqno: *mut u64, offset: *mut u64, budget: *mut u64) -> bool,
        hang_clear: extern "C" fn(),
    );
    fn vi915_debugfs_params_init(
        dev: *mut bindings::drm_device,
        get: extern "C" fn(id: c_int) -> i64,
        set: extern "C" fn(id: c_int, value: i64) -> c_int,
    );
    fn vi915_totalram_bytes() -> u64;
    fn vi915_alloc_user_page() -> *mut bindings::page;
    fn vi915_free_page(page: *mut bindings::page);
    fn vi915_user_kvmalloc(n: usize, size: usize) -> *mut kernel::ffi::c_void;
    fn vi915_kvfree(p: *mut kernel::ffi::c_void);
    fn vi915_vma_access_pfns(
        vma: *mut bindings::vm_area_struct,
        addr: c_ulong,
        buf: *mut kernel::ffi::c_void,
        len: c_int,
        write: c_int,
        pfns: *const c_ulong,
        n: c_ulong,
    ) -> c_int;
}

/// A zeroed page the driver owns, for an object whose size the user chose:
/// charged to the caller's memory cgroup, and running out of memory (or of
/// the cgroup's limit) is `ENOMEM`, without the OOM killer or a warning.
#[repr(transparent)]
pub(crate) struct OwnedPage(core::ptr::NonNull<bindings::page>);

// SAFETY: A page we own exclusively; no thread affinity.
unsafe impl Send for OwnedPage {}
// SAFETY: Shared references only hand out the raw pointer.
unsafe impl Sync for OwnedPage {}

impl OwnedPage {
    /// Allocate one.
    pub(crate) fn alloc() -> Result<Self> {
        // SAFETY: Allocates a page or returns NULL; no precondition.
        let page = unsafe { vi915_alloc_user_page() };
        core::ptr::NonNull::new(page).map(Self).ok_or(ENOMEM)
    }

    /// Its `struct page`.
    pub(crate) fn as_ptr(&self) -> RawPage {
        self.0.as_ptr()
    }

    /// The `struct page` pointers of owned pages, as an array C can read.
    pub(crate) fn raw_slice(pages: &[Self]) -> &[RawPage] {
        // SAFETY: `OwnedPage` is a transparent non-null `struct page`
        // pointer, laid out as `RawPage`; the slice is only read.
        unsafe { core::slice::from_raw_parts(pages.as_ptr().cast(), pages.len()) }
    }
}

impl Drop for OwnedPage {
    fn drop(&mut self) {
        // SAFETY: Allocated by `vi915_alloc_user_page` and owned by us.
        unsafe { vi915_free_page(self.0.as_ptr()) }
    }
}

/// A fixed-capacity vector sized by user input (`kvmalloc` with
/// `GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN`, which the Rust
/// allocation flags cannot express): charged to the caller's memory cgroup,
/// and a size that does not fit, in memory or in the cgroup, is `ENOMEM`
/// without a warning or the OOM killer. Elements are plain data (`Copy`).
///
/// # Invariants
///
/// `ptr` is a `kvmalloc` allocation of `cap` elements (dangling if `cap` is
/// 0), of which the first `len` are initialised.
pub(crate) struct UserVec<T: Copy> {
    ptr: core::ptr::NonNull<T>,
    len: usize,
    cap: usize,
}

// SAFETY: Owns its elements like a `Vec<T>`.
unsafe impl<T: Copy + Send> Send for UserVec<T> {}
// SAFETY: Shared references only read.
unsafe impl<T: Copy + Sync> Sync for UserVec<T> {}

impl<T: Copy> UserVec<T> {
    /// Room for `cap` elements.
    pub(crate) fn with_capacity(cap: usize) -> Result<Self> {
        if cap == 0 || core::mem::size_of::<T>() == 0 {
            return Ok(Self {
                ptr: core::ptr::NonNull::dangling(),
                len: 0,
                cap,
            });
        }
        // SAFETY: No precondition; `kvmalloc_array` checks the product.
        let raw = unsafe { vi915_user_kvmalloc(cap, core::mem::size_of::<T>()) };
        let ptr = core::ptr::NonNull::new(raw.cast::<T>()).ok_or(ENOMEM)?;
        Ok(Self { ptr, len: 0, cap })
    }

    /// Elements in use.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Room in all.
    pub(crate) fn capacity(&self) -> usize {
        self.cap
    }

    /// Append within the capacity; `Err(v)` when full.
    pub(crate) fn push_within_capacity(&mut self, v: T) -> Result<(), T> {
        if self.len == self.cap {
            return Err(v);
        }
        // SAFETY: `len < cap`: inside the allocation.
        unsafe { self.ptr.as_ptr().add(self.len).write(v) };
        self.len += 1;
        Ok(())
    }

    /// Append; `EINVAL` when full (callers size the vector first).
    pub(crate) fn push(&mut self, v: T) -> Result {
        self.push_within_capacity(v).map_err(|_| EINVAL)
    }

    /// Forget every element (they are plain data).
    pub(crate) fn clear(&mut self) {
        self.len = 0;
    }

    /// The start of the allocation.
    pub(crate) fn as_mut_ptr(&mut self) -> *mut T {
        self.ptr.as_ptr()
    }

    /// Count `n` more elements as initialised.
    ///
    /// # Safety
    ///
    /// `len + n <= capacity` and the `n` elements after `len` were written.
    pub(crate) unsafe fn inc_len(&mut self, n: usize) {
        self.len += n;
    }
}

impl<T: Copy> core::ops::Deref for UserVec<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        // SAFETY: The type invariant: `len` initialised elements at `ptr`.
        unsafe { core::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl<T: Copy> core::ops::DerefMut for UserVec<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        // SAFETY: As in `deref`, and `self` is borrowed mutably.
        unsafe { core::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }
}

impl<T: Copy> Drop for UserVec<T> {
    fn drop(&mut self) {
        if self.cap != 0 && core::mem::size_of::<T>() != 0 {
            // SAFETY: The type invariant: a `kvmalloc` allocation we own.
            unsafe { vi915_kvfree(self.ptr.as_ptr().cast()) }
        }
    }
}

/// Bytes of RAM the kernel manages (`totalram_pages() << PAGE_SHIFT`).
pub(crate) fn totalram_bytes() -> u64 {
    // SAFETY: Reads a global counter; callable from any context.
    unsafe { vi915_totalram_bytes() }
}

/// Create `i915_params/` in the DRM device's debugfs directory, its files
/// formatting what `get` returns and passing parsed writes to `set`.
///
/// # Safety
///
/// `dev` must be a valid DRM device whose `debugfs_root` is set up.
pub(crate) unsafe fn debugfs_params_init(
    dev: *mut bindings::drm_device,
    get: extern "C" fn(id: c_int) -> i64,
    set: extern "C" fn(id: c_int, value: i64) -> c_int,
) {
    // SAFETY: Guaranteed by the caller.
    unsafe { vi915_debugfs_params_init(dev, get, set) }
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

/// Drop one page reference (`put_page`) for each entry of `pages`, marking
/// each page dirty first if `dirty` (the device may have written it).
///
/// # Safety
///
/// Every entry must be a page on which the caller owns one reference obtained
/// from `get_user_pages*`; the references are consumed.
pub(crate) unsafe fn put_pages(pages: &mut [RawPage], dirty: bool) {
    // SAFETY: Guaranteed by the caller; the slice is valid for `len` entries.
    unsafe { vi915_put_pages(pages.as_mut_ptr(), pages.len(), dirty) }
}

/// Give `obj` its fake mmap offset (idempotent); the offset in bytes.
///
/// # Safety
///
/// `obj` must be a valid, initialised GEM object.
unsafe fn create_mmap_offset_raw(obj: *mut bindings::drm_gem_object) -> Result<u64> {
    // SAFETY: Guaranteed by the caller.
    let r = unsafe { vi915_gem_create_mmap_offset(obj) };
    u64::try_from(r).map_err(|_| Error::from_errno(r as c_int))
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

/// `cond_resched()`: let other tasks run (loops sized by user input, the
/// engine between commands). Process context, no spinlock held.
pub(crate) fn cond_resched() {
    // SAFETY: May sleep; every caller is in process context without a
    // spinlock (the engine's signalling section allows sleeping).
    unsafe { vi915_cond_resched() }
}

/// Whether the current task has a signal pending.
pub(crate) fn signal_pending() -> bool {
    // SAFETY: Reads the current task's flags only.
    unsafe { vi915_signal_pending() }
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
    let n = c_int::try_from(n).unwrap_or(c_int::MAX);
    // SAFETY: Guaranteed by the caller; gup-fast is lockless.
    let got = unsafe { bindings::get_user_pages_fast_only(start, n, foll(write), pages) };
    usize::try_from(got).unwrap_or(0)
}

#[cfg(vi915_preseed)]
/// `get_user_pages_remote()` under the caller's `mmap_read_lock` (the
/// pre-seed negative control's slow gup from inside get_pages).
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
    // SAFETY: Guaranteed by the caller.
    gup_result(unsafe {
        bindings::get_user_pages_remote(mm, start, n, foll(write), pages, core::ptr::null_mut())
    })
}

/// The gup flags for pages that will (`write`) or will not be written.
fn foll(write: bool) -> c_uint {
    if write {
        bindings::FOLL_WRITE
    } else {
        0
    }
}

/// A gup call's result: the number of pages got, or its negative errno.
fn gup_result(got: kernel::ffi::c_long) -> Result<usize> {
    if got < 0 {
        Err(Error::from_errno(i32::try_from(got).unwrap_or(-14)))
    } else {
        Ok(got.unsigned_abs())
    }
}

/// `get_user_pages_remote()` of `mm` for a worker: takes `mmap_read_lock`
/// and passes `locked`, so that gup may drop the lock to wait for a fault
/// and retry (a userfaultfd handler filling the page; a swap-in then waits
/// without the lock too). Without `locked` a userfaultfd fault is SIGBUS,
/// with a stack dump: only the faulting task itself could get the page.
/// Returns with the lock released, the number of pages got (each with one
/// reference).
///
/// # Safety
///
/// `pages` must have room for `n` entries.
pub(crate) unsafe fn get_user_pages_remote_retry(
    mm: &kernel::mm::MmWithUser,
    start: usize,
    n: usize,
    write: bool,
    pages: *mut RawPage,
) -> Result<usize> {
    let guard = mm.mmap_read_lock();
    let mut locked: c_int = 1;
    // SAFETY: `mmap_read_lock` is held and `locked` says so; the caller
    // guarantees room for `n` pages.
    let got = unsafe {
        bindings::get_user_pages_remote(mm.as_raw(), start, n, foll(write), pages, &mut locked)
    };
    if locked == 0 {
        // gup released the lock (it waited for a fault): the guard must not
        // release it again.
        core::mem::forget(guard);
    } else {
        drop(guard);
    }
    gup_result(got)
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

/// `vm_ops->access` copy: see [`gem_funcs::Access`].
///
/// # Safety
///
/// The arguments of a `vm_ops->access` call of one of our VMAs; every pfn
/// must stay valid for the call.
pub(crate) unsafe fn vma_access_pfns(
    vma: *mut bindings::vm_area_struct,
    addr: c_ulong,
    buf: *mut kernel::ffi::c_void,
    len: c_int,
    write: c_int,
    pfns: &[usize],
) -> c_int {
    // SAFETY: Guaranteed by the caller.
    unsafe { vi915_vma_access_pfns(vma, addr, buf, len, write, pfns.as_ptr(), pfns.len()) }
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

/// Create the i915 debugfs files in the DRM device's debugfs directory
/// (`/sys/kernel/debug/dri/<minor>/`).
///
/// # Safety
///
/// `dev` must be a valid DRM device whose `debugfs_root` is set up.
pub(crate) unsafe fn debugfs_init(
    dev: *mut bindings::drm_device,
    counters: unsafe extern "C" fn(out: *mut u64, n: usize),
    hang_get: unsafe extern "C" fn(seqno: *mut u64, offset: *mut u64, budget: *mut u64) -> bool,
    hang_clear: extern "C" fn(),
) {
    // SAFETY: Guaranteed by the caller.
    unsafe { vi915_debugfs_init(dev, counters, hang_get, hang_clear) }
}
/// Sync wrapper for static C ops tables (they are never written).
#[repr(transparent)]
pub(crate) struct AssertSync<T>(pub(crate) T);
// SAFETY: The tables are immutable after construction and only read by C.
unsafe impl<T> Sync for AssertSync<T> {}

mod driver_table;
mod fence;
mod gem_funcs;
mod import;
mod notifier;
mod sync_file;
mod syncobj;
mod vmap;
mod workqueue;

pub(crate) use driver_table::install_driver;
pub(crate) use fence::{
    fence_context_alloc,
    fence_unload,
    gem_busy_own,
    gem_idle,
    gem_wait,
    gem_wait_raw,
    page_copy,
    page_copy_strided,
    page_read,
    page_read_dword,
    page_write,
    pages_from_user,
    pages_to_user,
    tile_copy,
    Fence,
    Signalling,
    RW_RUN,
    TILE_ROWS_MAX, //
};
pub(crate) use gem_funcs::{
    create_mmap_offset,
    drm_raw,
    file_nonblock,
    install_funcs,
    owned_page_ptr,
    sg_from_pages,
    unmap_mapping,
    vm_mmap,
    Access,
    Fault,
    GemBackPtr,
    VM_FAULT_NOPAGE,
    VM_FAULT_OOM,
    VM_FAULT_SIGBUS, //
};
pub(crate) use import::ImportedPages;
pub(crate) use notifier::IntervalNotifier;
pub(crate) use sync_file::{
    Awaited,
    ForeignFences,
    InFence,
    ReservedFd,
    SyncFile, //
};
pub(crate) use syncobj::{
    ChainLink,
    Syncobj,
    SyncobjFence, //
};
pub(crate) use vmap::{
    map_copy_strided,
    map_tile_copy,
    MapSlot,
    Mapped,
    MAPPED_PAGES, //
};
pub(crate) use workqueue::{
    with_queue,
    with_slot,
    Slot,
    Workqueue, //
};
