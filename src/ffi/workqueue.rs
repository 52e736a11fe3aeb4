// SPDX-License-Identifier: GPL-2.0

//! The driver's private workqueue (gup workers, mapping revocation),
//! reachable from C callbacks.

use core::ptr;
use kernel::{
    bindings,
    prelude::*,
    sync::atomic::{
        Atomic,
        Full,
        Relaxed,
        Release, //
    },
    time::{
        delay::fsleep,
        Delta, //
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
        // references) and frees the queue; `uninstall` waited for every
        // `with_queue` caller, so nothing can enqueue afterwards.
        unsafe { vi915_destroy_workqueue(self.0) }
    }
}

static QUEUE: Atomic<*mut bindings::workqueue_struct> = Atomic::new(ptr::null_mut());
/// Callers inside [`with_queue`] (an MMU notifier may run during unload).
static USERS: Atomic<usize> = Atomic::new(0);

/// Run `f` with the driver workqueue, unless the module is being unloaded
/// (then `None`, and `f` is dropped unrun). `f` must not sleep for long:
/// unload waits for it.
pub(crate) fn with_queue<R>(f: impl FnOnce(&'static kernel::workqueue::Queue) -> R) -> Option<R> {
    // Pairs with `uninstall`: either it sees our count, or we see null.
    USERS.fetch_add(1, Full);
    let wq = QUEUE.load(Relaxed);
    let ret = (!wq.is_null()).then(|| {
        // SAFETY: `QUEUE` is non-null only between `install` and
        // `uninstall`, which waits for us before the queue is destroyed.
        f(unsafe { kernel::workqueue::Queue::from_raw(wq) })
    });
    USERS.fetch_sub(1, Full);
    ret
}

impl Workqueue {
    /// Make this the queue [`with_queue`] hands out.
    pub(crate) fn install(&self) {
        QUEUE.store(self.0, Release);
    }

    /// Stop handing out the queue and wait for the callers still using it.
    pub(crate) fn uninstall() {
        QUEUE.xchg(ptr::null_mut(), Full);
        while USERS.load(Relaxed) != 0 {
            fsleep(Delta::from_millis(1));
        }
    }
}
