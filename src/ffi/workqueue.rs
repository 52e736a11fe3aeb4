// SPDX-License-Identifier: GPL-2.0

//! The driver's private workqueue (gup workers, mapping revocation),
//! reachable from C callbacks.

use core::ptr;
use kernel::{
    bindings,
    prelude::*,
    sync::atomic::{
        Atomic,
        Relaxed, //
    },
};

use super::{
    vi915_alloc_workqueue,
    vi915_destroy_workqueue, //
};

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
