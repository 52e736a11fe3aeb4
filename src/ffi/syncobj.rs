// SPDX-License-Identifier: GPL-2.0

//! DRM syncobjs for execbuf's fence arrays: a file's syncobj by handle, the
//! fence it holds (at a timeline point), and signalling it with a request's
//! fence (replacing its fence, or adding a timeline point through a chain
//! link allocated beforehand). 7.3 has no Rust abstraction for syncobjs.

use core::ptr::{
    self,
    NonNull, //
};
use kernel::{
    bindings,
    ffi::{
        c_int,
        c_void, //
    },
    prelude::*,
};

use super::InFence;
use crate::file::DrmFile;

#[allow(improper_ctypes)]
extern "C" {
    fn vi915_syncobj_find(file: *mut bindings::drm_file, handle: u32) -> *mut c_void;
    fn vi915_syncobj_put(syncobj: *mut c_void);
    fn vi915_syncobj_fence(
        syncobj: *mut c_void,
        point: u64,
        fence: *mut *mut bindings::dma_fence,
    ) -> c_int;
    fn vi915_chain_alloc() -> *mut c_void;
    fn vi915_chain_free(chain: *mut c_void);
    fn vi915_syncobj_signal(
        syncobj: *mut c_void,
        chain: *mut c_void,
        fence: *mut bindings::dma_fence,
        point: u64,
    );
}

/// A reference to a `struct drm_syncobj`.
///
/// # Invariants
///
/// `self.0` is a syncobj we hold one reference on.
pub(crate) struct Syncobj(NonNull<c_void>);

// SAFETY: Syncobjs are refcounted (the reference is dropped from any
// thread); reading their fence is RCU-protected, replacing it and adding a
// point take the syncobj's own lock.
unsafe impl Send for Syncobj {}
// SAFETY: See above.
unsafe impl Sync for Syncobj {}

impl Syncobj {
    /// The syncobj `handle` names in `file`'s table; `ENOENT` if none.
    pub(crate) fn find(file: &DrmFile, handle: u32) -> Result<Self> {
        let raw = super::gem_funcs::drm_file_raw(file);
        // SAFETY: `file` is the DRM file of the running ioctl; the lookup
        // takes its table's lock and returns a new reference or null.
        let s = unsafe { vi915_syncobj_find(raw, handle) };
        NonNull::new(s).map(Self).ok_or(ENOENT)
    }

    /// Its fence at timeline `point` (0: its fence as it is).
    pub(crate) fn fence(&self, point: u64) -> SyncobjFence {
        let mut f = ptr::null_mut();
        // SAFETY: The type invariant; the helper stores a fence reference
        // (or null) in `f`, which we then own.
        let ret = unsafe { vi915_syncobj_fence(self.0.as_ptr(), point, &mut f) };
        // SAFETY: `f` is null or a reference we own (see above).
        let fence = NonNull::new(f).map(|f| unsafe { InFence::from_owned(f) });
        match (ret, fence) {
            (0, fence) => SyncobjFence::Point(fence),
            (_, Some(fence)) => SyncobjFence::NoPoint(fence),
            (_, None) => SyncobjFence::Empty,
        }
    }

    /// Signal it with `fence`: at timeline `point` through `chain`, else as
    /// its new fence.
    pub(crate) fn signal(&self, chain: Option<ChainLink>, fence: &InFence, point: u64) {
        let chain = chain.map_or(ptr::null_mut(), ChainLink::into_raw);
        // SAFETY: The type invariant; `fence` is a live fence we hold; the
        // syncobj takes over `chain` (a link never initialised) and takes its
        // own fence reference.
        unsafe { vi915_syncobj_signal(self.0.as_ptr(), chain, fence.as_ptr(), point) }
    }
}

impl Drop for Syncobj {
    fn drop(&mut self) {
        // SAFETY: The type invariant: we own one reference.
        unsafe { vi915_syncobj_put(self.0.as_ptr()) }
    }
}

/// What a syncobj holds for a point.
pub(crate) enum SyncobjFence {
    /// No fence at all.
    Empty,
    /// Its fence, which has not reached the point yet (a binary syncobj's
    /// fence has no points).
    NoPoint(InFence),
    /// The point's fence (`None`: signalled, and gone from the timeline).
    Point(Option<InFence>),
}

/// A `struct dma_fence_chain` allocated for a timeline point, not yet
/// initialised (freed unless a syncobj takes it over).
///
/// # Invariants
///
/// `self.0` is an unused chain link we own.
pub(crate) struct ChainLink(NonNull<c_void>);

// SAFETY: Plain memory, not yet shared.
unsafe impl Send for ChainLink {}
// SAFETY: See above.
unsafe impl Sync for ChainLink {}

impl ChainLink {
    /// A new link; `ENOMEM`.
    pub(crate) fn new() -> Result<Self> {
        // SAFETY: A plain allocation.
        NonNull::new(unsafe { vi915_chain_alloc() })
            .map(Self)
            .ok_or(ENOMEM)
    }

    fn into_raw(self) -> *mut c_void {
        let p = self.0.as_ptr();
        core::mem::forget(self);
        p
    }
}

impl Drop for ChainLink {
    fn drop(&mut self) {
        // SAFETY: The type invariant: an unused link we own.
        unsafe { vi915_chain_free(self.0.as_ptr()) }
    }
}
