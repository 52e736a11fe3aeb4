// SPDX-License-Identifier: GPL-2.0

//! `dma_fence` (7.3 has no Rust abstraction for it), reservation objects of
//! GEM objects, and page copies for the software engine.

use core::ptr::NonNull;
use kernel::{
    bindings,
    drm::gem::IntoGEMObject,
    ffi::{
        c_int,
        c_long,
        c_uint,
        c_void, //
    },
    prelude::*,
};

use super::{
    ForeignFences,
    InFence,
    RawPage, //
};
use crate::gem::Vi915Gem;

#[allow(improper_ctypes)]
extern "C" {
    fn vi915_fence_context_alloc() -> u64;
    fn vi915_fence_create(context: u64, seqno: u64) -> *mut bindings::dma_fence;
    fn vi915_fence_signal(fence: *mut bindings::dma_fence, err: c_int);
    fn vi915_fence_put(fence: *mut bindings::dma_fence);
    fn vi915_fence_begin_signalling() -> bool;
    fn vi915_fence_end_signalling(cookie: bool);
    fn vi915_gem_add_fence(
        objs: *mut *mut bindings::drm_gem_object,
        write: *const bool,
        await_: *const bool,
        n: u32,
        fence: *mut bindings::dma_fence,
        deps: *mut *mut *mut bindings::dma_fence,
        ndeps: *mut c_uint,
    ) -> c_int;
    fn vi915_gem_wait(obj: *mut bindings::drm_gem_object, intr: bool, timeout: c_long) -> c_long;
    fn vi915_max_schedule_timeout() -> c_long;
    fn vi915_nsecs_to_jiffies(ns: u64) -> c_long;
    fn vi915_jiffies_to_nsecs(j: c_long) -> u64;
    fn vi915_gem_idle(obj: *mut bindings::drm_gem_object, writes_only: bool) -> bool;
    fn vi915_gem_busy_own(obj: *mut bindings::drm_gem_object, writes_only: bool) -> bool;
    fn vi915_page_copy_strided(
        dst: RawPage,
        dst_off: usize,
        dst_stride: usize,
        src: RawPage,
        src_off: usize,
        src_stride: usize,
        piece: usize,
        count: usize,
    );
    fn vi915_tile_copy(
        tile: RawPage,
        y: bool,
        rows: *const RawPage,
        offs: *const usize,
        to_tile: bool,
    );
    fn vi915_page_read_dword(page: RawPage, off: usize) -> u32;
    fn vi915_page_read(page: RawPage, off: usize, buf: *mut c_void, len: usize);
    fn vi915_page_write(page: RawPage, off: usize, buf: *const c_void, len: usize);
    fn vi915_fence_unload();
    fn vi915_pages_user_copy(
        pages: *const RawPage,
        off: usize,
        uaddr: u64,
        len: usize,
        to_user: bool,
    ) -> usize;
}

/// A new fence context (one timeline).
pub(crate) fn fence_context_alloc() -> u64 {
    // SAFETY: Plain counter allocation.
    unsafe { vi915_fence_context_alloc() }
}

/// Module unload, after every fence was signalled: wait until no reader of
/// a fence's ops pointer can still be calling into the module (signalled
/// fences have detached their ops; the fences themselves, with their inline
/// locks, may outlive us in sync_files and other drivers' reservations).
pub(crate) fn fence_unload() {
    // SAFETY: `synchronize_rcu()`; process context, no lock held.
    unsafe { vi915_fence_unload() }
}

/// One reference to a `dma_fence` of the engine's timeline.
pub(crate) struct Fence(NonNull<bindings::dma_fence>);

// SAFETY: `dma_fence` is refcounted and signalled under its own spinlock;
// every operation used here is thread safe.
unsafe impl Send for Fence {}
// SAFETY: See above.
unsafe impl Sync for Fence {}

impl Fence {
    /// An unsignalled fence `seqno` of `context`. Seqnos must be created in
    /// the order the fences signal (the caller serialises submission).
    pub(crate) fn new(context: u64, seqno: u64) -> Result<Self> {
        // SAFETY: Allocates and initialises a fence; NULL on ENOMEM.
        let raw = unsafe { vi915_fence_create(context, seqno) };
        NonNull::new(raw).map(Self).ok_or(ENOMEM)
    }

    /// The raw fence, for a `sync_file` (borrowed).
    pub(crate) fn as_raw(&self) -> *mut bindings::dma_fence {
        self.0.as_ptr()
    }

    /// A plain reference to the fence, to wait for it (it does not signal
    /// it when dropped, unlike `Fence`).
    pub(crate) fn reference(&self) -> InFence {
        // SAFETY: We hold a reference, so the fence is live.
        unsafe { InFence::get(self.0) }
    }

    /// Signal, with `err` recorded as the fence error if there is one; only
    /// the first call has an effect.
    pub(crate) fn signal(&self, err: Option<Error>) {
        let err = err.map_or(0, |e| e.to_errno());
        // SAFETY: We own a reference; signalling twice is a no-op in C.
        unsafe { vi915_fence_signal(self.0.as_ptr(), err) }
    }

    /// Publish this fence in the reservation object of every object
    /// (`write[i]`: as a writer). All allocations happen before the first
    /// publication, under all the reservation locks (ww-acquired).
    ///
    /// Returns what the request must wait for first: other drivers' fences
    /// in those reservation objects (implicit sync: every fence of an object
    /// it writes, the writers' of one it reads; none where `await_[i]` is
    /// false, `EXEC_OBJECT_ASYNC`), sampled under the same locks.
    pub(crate) fn attach(
        &self,
        objs: &[&Vi915Gem],
        write: &[bool],
        await_: &[bool],
    ) -> Result<ForeignFences> {
        if objs.len() != write.len() || objs.len() != await_.len() {
            return Err(EINVAL);
        }
        let mut raw = KVVec::with_capacity(objs.len(), crate::gem::user_gfp())?;
        for o in objs {
            raw.push(o.as_raw(), crate::gem::user_gfp())?;
        }
        let n = u32::try_from(raw.len())?;
        let (mut deps, mut ndeps) = (core::ptr::null_mut(), 0);
        // SAFETY: `raw` holds `n` live objects (borrowed for the call),
        // `write` and `await_` have `n` entries; we own a fence reference.
        kernel::error::to_result(unsafe {
            vi915_gem_add_fence(
                raw.as_mut_ptr(),
                write.as_ptr(),
                await_.as_ptr(),
                n,
                self.0.as_ptr(),
                &mut deps,
                &mut ndeps,
            )
        })?;
        // SAFETY: The helper gave us `deps`: null, or `ndeps` references.
        Ok(unsafe { ForeignFences::from_raw(deps, ndeps) })
    }
}

impl Drop for Fence {
    fn drop(&mut self) {
        // A published fence must signal: one that never ran is cancelled
        // (a no-op if it already signalled).
        self.signal(Some(ECANCELED));
        // SAFETY: We own one reference.
        unsafe { vi915_fence_put(self.0.as_ptr()) }
    }
}

/// A fence-signalling critical section (lockdep: nothing in it may wait for
/// a fence, allocate with reclaim, or take a lock held around such waits).
pub(crate) struct Signalling(bool);

impl Signalling {
    /// Enter the section.
    pub(crate) fn begin() -> Self {
        // SAFETY: Lockdep annotation only.
        Self(unsafe { vi915_fence_begin_signalling() })
    }
}

impl Drop for Signalling {
    fn drop(&mut self) {
        // SAFETY: Pairs with `begin`.
        unsafe { vi915_fence_end_signalling(self.0) }
    }
}

/// Wait for every fence of `obj` (readers and writers). `timeout_ns`:
/// `None` forever. Returns the nanoseconds left; `ETIME` on timeout,
/// `ERESTARTSYS` if interrupted (`intr`).
pub(crate) fn gem_wait(obj: &Vi915Gem, intr: bool, timeout_ns: Option<u64>) -> Result<u64> {
    // SAFETY: `obj` is a live object (borrowed).
    unsafe { gem_wait_raw(obj.as_raw(), intr, timeout_ns) }
}

/// [`gem_wait`] on a raw object.
///
/// # Safety
///
/// `obj` must be a live, initialised GEM object for the whole call.
pub(crate) unsafe fn gem_wait_raw(
    obj: *mut bindings::drm_gem_object,
    intr: bool,
    timeout_ns: Option<u64>,
) -> Result<u64> {
    let timeout = match timeout_ns {
        // SAFETY: Constant.
        None => unsafe { vi915_max_schedule_timeout() },
        Some(ns) => nsecs_to_jiffies(ns),
    };
    // SAFETY: Guaranteed by the caller; RCU-protected fence walk, no lock.
    let left = unsafe { vi915_gem_wait(obj, intr, timeout) };
    match left {
        0 => Err(ETIME),
        l if l < 0 => Err(Error::from_errno(i32::try_from(l).unwrap_or(-4))),
        // SAFETY: Pure conversion.
        l => Ok(unsafe { vi915_jiffies_to_nsecs(l) }),
    }
}

/// A wait of `ns` in jiffies, rounded up, below the infinite value.
pub(super) fn nsecs_to_jiffies(ns: u64) -> c_long {
    // SAFETY: Pure conversion.
    unsafe { vi915_nsecs_to_jiffies(ns) }
}

/// Drop one reference to a fence.
///
/// # Safety
///
/// The caller owns a reference to `fence` and gives it up.
pub(super) unsafe fn fence_put(fence: *mut bindings::dma_fence) {
    // SAFETY: Guaranteed by the caller.
    unsafe { vi915_fence_put(fence) }
}

/// Whether `obj` has no unsignalled fence (`writes_only`: no unsignalled writer).
pub(crate) fn gem_idle(obj: &Vi915Gem, writes_only: bool) -> bool {
    // SAFETY: `obj` is live (borrowed); lockless test.
    unsafe { vi915_gem_idle(obj.as_raw(), writes_only) }
}

/// Whether one of the engine's fences in `obj`'s reservation object is
/// unsignalled (`writes_only`: a writer); other drivers' fences do not count.
pub(crate) fn gem_busy_own(obj: &Vi915Gem, writes_only: bool) -> bool {
    // SAFETY: `obj` is live (borrowed); lockless test.
    unsafe { vi915_gem_busy_own(obj.as_raw(), writes_only) }
}

/// Copy `len` bytes between two pages.
///
/// # Safety
///
/// Both pages must stay referenced for the call; `dst_off + len` and
/// `src_off + len` must not exceed the page size.
pub(crate) unsafe fn page_copy(
    dst: RawPage,
    dst_off: usize,
    src: RawPage,
    src_off: usize,
    len: usize,
) {
    // SAFETY: Guaranteed by the caller (one piece of `len` bytes).
    unsafe { vi915_page_copy_strided(dst, dst_off, 0, src, src_off, 0, len, 1) }
}

/// Copy `count` pieces of `piece` bytes between two pages, the destination
/// advancing by `dst_stride` and the source by `src_stride`.
///
/// # Safety
///
/// Both pages must stay referenced for the call; `dst_off + (count - 1) *
/// dst_stride + piece` and the same for the source must not exceed the page
/// size.
pub(crate) unsafe fn page_copy_strided(
    dst: RawPage,
    (dst_off, dst_stride): (usize, usize),
    src: RawPage,
    (src_off, src_stride): (usize, usize),
    piece: usize,
    count: usize,
) {
    // SAFETY: Guaranteed by the caller.
    unsafe {
        vi915_page_copy_strided(
            dst, dst_off, dst_stride, src, src_off, src_stride, piece, count,
        )
    }
}

/// Rows of the tallest tile (Y: 32).
pub(crate) const TILE_ROWS_MAX: usize = 32;

/// Copy a whole X (`y` false: 8 rows of 512 bytes) or Y tile (32 rows of
/// 128 bytes, as eight 16-byte columns) that fills `tile` to (`to_tile`) or
/// from its linear rows, row `r` at `offs[r]` in `pages[r]`: `EINVAL`
/// unless both slices have the tile's number of rows.
///
/// # Safety
///
/// Every page must stay referenced for the call, and each row's bytes lie
/// inside its page.
pub(crate) unsafe fn tile_copy(
    tile: RawPage,
    y: bool,
    pages: &[RawPage],
    offs: &[usize],
    to_tile: bool,
) -> Result {
    let rows = if y { TILE_ROWS_MAX } else { 8 };
    if pages.len() != rows || offs.len() != rows {
        return Err(EINVAL);
    }
    // SAFETY: Guaranteed by the caller; both slices hold the tile's rows
    // (checked above), which is how many C reads.
    unsafe { vi915_tile_copy(tile, y, pages.as_ptr(), offs.as_ptr(), to_tile) };
    Ok(())
}

/// The dword at `off` of a page, read with one load.
///
/// # Safety
///
/// The page must stay referenced for the call; `off` is a multiple of 4
/// below the page size.
pub(crate) unsafe fn page_read_dword(page: RawPage, off: usize) -> u32 {
    // SAFETY: Guaranteed by the caller.
    unsafe { vi915_page_read_dword(page, off) }
}

/// Read `buf.len()` bytes of a page at `off`.
///
/// # Safety
///
/// As for [`page_copy`].
pub(crate) unsafe fn page_read(page: RawPage, off: usize, buf: &mut [u8]) {
    // SAFETY: Guaranteed by the caller; `buf` is valid for its length.
    unsafe { vi915_page_read(page, off, buf.as_mut_ptr().cast(), buf.len()) }
}

/// Write `buf` into a page at `off`.
///
/// # Safety
///
/// As for [`page_copy`].
pub(crate) unsafe fn page_write(page: RawPage, off: usize, buf: &[u8]) {
    // SAFETY: Guaranteed by the caller; `buf` is valid for its length.
    unsafe { vi915_page_write(page, off, buf.as_ptr().cast(), buf.len()) }
}

/// Copy `len` bytes of a run of pages (at most [`RW_RUN`]), starting `off`
/// bytes into the first, to user address `dst` (PREAD).
///
/// # Safety
///
/// The pages must stay referenced for the call, `off` must be inside the
/// first page and `off + len` inside the run. Racing CPU writes to the pages
/// (a GTT mmap) are allowed: the C copy tolerates them like `read(2)` on a
/// shared page.
pub(crate) unsafe fn pages_to_user(dst: u64, pages: &[RawPage], off: usize, len: usize) -> Result {
    // SAFETY: Guaranteed by the caller; `pages` is valid for the run; the
    // user side is pinned or checked by `copy_to_user`.
    match unsafe { vi915_pages_user_copy(pages.as_ptr(), off, dst, len, true) } {
        0 => Ok(()),
        _ => Err(EFAULT),
    }
}

/// Copy `len` bytes from user address `src` into a run of pages, starting
/// `off` bytes into the first (PWRITE).
///
/// # Safety
///
/// As for [`pages_to_user`].
pub(crate) unsafe fn pages_from_user(
    pages: &[RawPage],
    off: usize,
    src: u64,
    len: usize,
) -> Result {
    // SAFETY: Guaranteed by the caller; `pages` is valid for the run; the
    // user side is pinned or checked by `copy_from_user`.
    match unsafe { vi915_pages_user_copy(pages.as_ptr(), off, src, len, false) } {
        0 => Ok(()),
        _ => Err(EFAULT),
    }
}

/// Pages in one PREAD/PWRITE run (`VI915_RW_RUN` in C): one pin of the user
/// pages each.
pub(crate) const RW_RUN: usize = 32;
