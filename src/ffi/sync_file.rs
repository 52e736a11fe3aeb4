// SPDX-License-Identifier: GPL-2.0

//! Exec fences: a request's fence handed out as a `sync_file` fd
//! (`I915_EXEC_FENCE_OUT`), and a foreign fence taken in from one
//! (`I915_EXEC_FENCE_IN`). 7.3 has no Rust abstraction for either.

use core::{
    marker::PhantomData,
    ptr::NonNull, //
};
use kernel::{
    bindings,
    ffi::{
        c_int,
        c_long,
        c_uint,
        c_void, //
    },
    prelude::*,
    time::Delta,
};

use super::Fence;

#[allow(improper_ctypes)]
extern "C" {
    fn vi915_sync_file_create(fence: *mut bindings::dma_fence) -> *mut c_void;
    fn vi915_sync_file_discard(sf: *mut c_void);
    fn vi915_fd_reserve() -> c_int;
    fn vi915_fd_unreserve(fd: c_int);
    fn vi915_sync_file_install(fd: c_int, sf: *mut c_void);
    fn vi915_sync_file_get_fence(fd: c_int) -> *mut bindings::dma_fence;
    fn vi915_fence_get(fence: *mut bindings::dma_fence) -> *mut bindings::dma_fence;
    fn vi915_fence_await(fence: *mut bindings::dma_fence, timeout: c_long) -> c_int;
    fn vi915_fence_is_signaled(fence: *mut bindings::dma_fence) -> bool;
    fn vi915_fence_wait_intr(fence: *mut bindings::dma_fence) -> c_int;
    fn vi915_fences_put(fences: *mut *mut bindings::dma_fence, n: c_uint);
}

/// A `sync_file` not yet in any file table (one file reference; opaque to
/// Rust: bindgen does not see `struct sync_file`).
pub(crate) struct SyncFile(NonNull<c_void>);

impl SyncFile {
    /// A sync_file of `fence` (it takes its own fence reference).
    pub(crate) fn new(fence: &Fence) -> Result<Self> {
        // SAFETY: `fence` holds a reference for the call; NULL when the
        // allocation or the anon inode file fails.
        let raw = unsafe { vi915_sync_file_create(fence.as_raw()) };
        NonNull::new(raw).map(Self).ok_or(ENOMEM)
    }
}

impl Drop for SyncFile {
    fn drop(&mut self) {
        // SAFETY: We own the only reference to the file (never installed).
        unsafe { vi915_sync_file_discard(self.0.as_ptr()) }
    }
}

/// An fd number reserved in the caller's file table, not yet visible. Not
/// `Send`: it must be installed or released by the task that reserved it.
pub(crate) struct ReservedFd(c_int, PhantomData<*mut ()>);

impl ReservedFd {
    /// Reserve a close-on-exec fd (`EMFILE` when the table is full).
    pub(crate) fn new() -> Result<Self> {
        // SAFETY: Process context (an ioctl); returns an fd or -errno.
        let fd = unsafe { vi915_fd_reserve() };
        if fd < 0 {
            return Err(Error::from_errno(fd));
        }
        Ok(Self(fd, PhantomData))
    }

    /// Make `sf` visible at this fd; returns the fd number.
    pub(crate) fn install(self, sf: SyncFile) -> u32 {
        let fd = self.0;
        let raw = sf.0.as_ptr();
        core::mem::forget(sf);
        core::mem::forget(self);
        // SAFETY: `fd` was reserved by this task and not installed; the
        // file table takes over the file reference we owned.
        unsafe { vi915_sync_file_install(fd, raw) };
        fd.unsigned_abs()
    }
}

impl Drop for ReservedFd {
    fn drop(&mut self) {
        // SAFETY: Reserved by this task (ioctls run in the caller's
        // context) and never installed.
        unsafe { vi915_fd_unreserve(self.0) }
    }
}

/// A reference to a fence of any driver, taken from a sync_file fd: a
/// request waits for it before it runs. Never signalled by us.
pub(crate) struct InFence(NonNull<bindings::dma_fence>);

// SAFETY: `dma_fence` is refcounted and its wait/status calls are thread safe.
unsafe impl Send for InFence {}
// SAFETY: See above.
unsafe impl Sync for InFence {}

/// How waiting for an [`InFence`] ended.
pub(crate) enum Awaited {
    /// Signalled without an error.
    Ok,
    /// Signalled with this error.
    Failed(Error),
    /// Not signalled within the time given.
    TimedOut,
}

impl InFence {
    /// A new reference to `fence`.
    ///
    /// # Safety
    ///
    /// `fence` is a live fence (the caller holds a reference).
    pub(super) unsafe fn get(fence: NonNull<bindings::dma_fence>) -> Self {
        // SAFETY: Guaranteed by the caller; `dma_fence_get` takes the
        // reference the result owns.
        unsafe { vi915_fence_get(fence.as_ptr()) };
        Self(fence)
    }

    /// Take over a fence reference.
    ///
    /// # Safety
    ///
    /// The caller owns a reference to `fence`, which passes to the result.
    pub(super) unsafe fn from_owned(fence: NonNull<bindings::dma_fence>) -> Self {
        Self(fence)
    }

    /// The fence, for a helper that takes its own reference if it keeps it.
    pub(super) fn as_ptr(&self) -> *mut bindings::dma_fence {
        self.0.as_ptr()
    }

    /// The fence of sync_file `fd`; `EINVAL` if `fd` is not a sync_file.
    pub(crate) fn from_fd(fd: u32) -> Result<Self> {
        let fd = c_int::try_from(fd).map_err(|_| EINVAL)?;
        // SAFETY: Looks `fd` up in the caller's file table (an ioctl).
        let raw = unsafe { vi915_sync_file_get_fence(fd) };
        NonNull::new(raw).map(Self).ok_or(EINVAL)
    }

    /// Another reference to the same fence.
    pub(crate) fn clone_ref(&self) -> Self {
        // SAFETY: We hold a reference, so the fence is live.
        unsafe { Self::get(self.0) }
    }

    /// Whether it has signalled.
    pub(crate) fn is_signaled(&self) -> bool {
        // SAFETY: We hold a reference.
        unsafe { vi915_fence_is_signaled(self.0.as_ptr()) }
    }

    /// Wait for it, interruptibly and without a time limit (the caller
    /// knows it signals within a bound); `ERESTARTSYS` on a signal.
    pub(crate) fn wait_interruptible(&self) -> Result {
        // SAFETY: We hold a reference; process context, no lock held.
        kernel::error::to_result(unsafe { vi915_fence_wait_intr(self.0.as_ptr()) })
    }

    /// Wait for it, at most `limit`. The engine's worker sleeps
    /// interruptibly (it has no signals to take) so that a long budget is
    /// not reported as a hung task.
    pub(crate) fn wait(&self, limit: Delta) -> Awaited {
        // SAFETY: We hold a reference; process context, no lock held.
        unsafe { await_fence(self.0, limit) }
    }
}

/// Wait for `fence`, at most `limit` (see [`InFence::wait`]).
///
/// # Safety
///
/// The caller holds a reference to `fence` for the call, in process
/// context with no lock held.
unsafe fn await_fence(fence: NonNull<bindings::dma_fence>, limit: Delta) -> Awaited {
    let ns = u64::try_from(limit.as_nanos()).unwrap_or(0);
    let timeout = super::fence::nsecs_to_jiffies(ns);
    // SAFETY: Guaranteed by the caller.
    match unsafe { vi915_fence_await(fence.as_ptr(), timeout) } {
        0 => Awaited::TimedOut,
        1 => Awaited::Ok,
        e => Awaited::Failed(Error::from_errno(e)),
    }
}

/// Other drivers' fences a request waits for before it runs (implicit
/// sync), collected when its fence was published (`Fence::attach`).
///
/// # Invariants
///
/// `ptr` is null with `len` 0, or a `kvmalloc` array of `len` fence
/// references we own.
pub(crate) struct ForeignFences {
    ptr: *mut *mut bindings::dma_fence,
    len: c_uint,
}

// SAFETY: Fence references may be waited for and dropped from any thread.
unsafe impl Send for ForeignFences {}
// SAFETY: Shared references only wait.
unsafe impl Sync for ForeignFences {}

impl ForeignFences {
    /// Take over the helper's array.
    ///
    /// # Safety
    ///
    /// As the type invariant.
    pub(super) unsafe fn from_raw(ptr: *mut *mut bindings::dma_fence, len: c_uint) -> Self {
        Self { ptr, len }
    }

    /// Whether there is none.
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Wait for each in turn, each at most `limit()` (the time left then).
    pub(crate) fn wait(&self, mut limit: impl FnMut() -> Delta) -> Awaited {
        if self.ptr.is_null() {
            return Awaited::Ok;
        }
        // SAFETY: The type invariant: `len` fence pointers at `ptr`.
        let fences = unsafe { core::slice::from_raw_parts(self.ptr, self.len as usize) };
        for &f in fences {
            let Some(f) = NonNull::new(f) else {
                continue;
            };
            // SAFETY: We own a reference on each fence of the array; the
            // engine's worker waits in process context, holding no lock.
            match unsafe { await_fence(f, limit()) } {
                Awaited::Ok => (),
                other => return other,
            }
        }
        Awaited::Ok
    }
}

impl Drop for ForeignFences {
    fn drop(&mut self) {
        if !self.ptr.is_null() {
            // SAFETY: The type invariant: we own the array and its references.
            unsafe { vi915_fences_put(self.ptr, self.len) }
        }
    }
}

impl Drop for InFence {
    fn drop(&mut self) {
        // SAFETY: We own one reference.
        unsafe { super::fence::fence_put(self.0.as_ptr()) }
    }
}
