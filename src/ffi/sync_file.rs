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
    /// The fence of sync_file `fd`; `EINVAL` if `fd` is not a sync_file.
    pub(crate) fn from_fd(fd: u32) -> Result<Self> {
        let fd = c_int::try_from(fd).map_err(|_| EINVAL)?;
        // SAFETY: Looks `fd` up in the caller's file table (an ioctl).
        let raw = unsafe { vi915_sync_file_get_fence(fd) };
        NonNull::new(raw).map(Self).ok_or(EINVAL)
    }

    /// Another reference to the same fence.
    pub(crate) fn clone_ref(&self) -> Self {
        // SAFETY: We hold a reference, so the fence is live; `dma_fence_get`
        // takes one more and returns its argument.
        unsafe { vi915_fence_get(self.0.as_ptr()) };
        Self(self.0)
    }

    /// Wait for it, at most `limit`. The engine's worker sleeps
    /// interruptibly (it has no signals to take) so that a long budget is
    /// not reported as a hung task.
    pub(crate) fn wait(&self, limit: Delta) -> Awaited {
        let ns = u64::try_from(limit.as_nanos()).unwrap_or(0);
        let timeout = super::fence::nsecs_to_jiffies(ns);
        // SAFETY: We hold a reference; process context, no lock held.
        match unsafe { vi915_fence_await(self.0.as_ptr(), timeout) } {
            0 => Awaited::TimedOut,
            1 => Awaited::Ok,
            e => Awaited::Failed(Error::from_errno(e)),
        }
    }
}

impl Drop for InFence {
    fn drop(&mut self) {
        // SAFETY: We own one reference.
        unsafe { super::fence::fence_put(self.0.as_ptr()) }
    }
}
