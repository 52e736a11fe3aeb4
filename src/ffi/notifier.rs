// SPDX-License-Identifier: GPL-2.0

//! The embedded MMU interval notifier and its static ops table.

use core::marker::PhantomPinned;
use kernel::{bindings, ffi::c_ulong, prelude::*, types::Opaque};

use super::{
    mmu_interval_notifier_insert,
    mmu_interval_notifier_remove,
    mmu_interval_set_seq,
    range_blockable,
    vi915_mmu_interval_read_retry,
    AssertSync, //
};
use crate::userptr::Userptr;

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
