// SPDX-License-Identifier: GPL-2.0

//! The driver's private workqueues, reachable from C callbacks: the general
//! one (gup workers, mapping revocation, request retirement) and the ordered
//! engine queue (one request at a time, in submission order).

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
    vi915_alloc_ordered_workqueue,
    vi915_alloc_workqueue,
    vi915_destroy_workqueue, //
};

/// Which of the driver's queues.
#[derive(Clone, Copy)]
pub(crate) enum Slot {
    /// Unbound: gup workers, mapping revocation, request retirement.
    General = 0,
    /// Ordered: the software engine.
    Engine = 1,
}

/// One of the driver's private workqueues.
pub(crate) struct Workqueue(*mut bindings::workqueue_struct, Slot);

// SAFETY: A workqueue may be used and destroyed from any thread.
unsafe impl Send for Workqueue {}
// SAFETY: `queue_work` is thread safe.
unsafe impl Sync for Workqueue {}

impl Workqueue {
    /// Allocate the reclaim-safe queue for `slot` (the engine's is ordered:
    /// its fences may be waited for from reclaim, via MMU notifiers).
    pub(crate) fn new(slot: Slot) -> Result<Self> {
        // SAFETY: Plain allocations.
        let wq = unsafe {
            match slot {
                Slot::General => vi915_alloc_workqueue(),
                Slot::Engine => vi915_alloc_ordered_workqueue(),
            }
        };
        if wq.is_null() {
            return Err(ENOMEM);
        }
        Ok(Self(wq, slot))
    }
}

impl Drop for Workqueue {
    fn drop(&mut self) {
        Self::uninstall(self.1);
        // SAFETY: Drains all queued work (which may still hold object
        // references) and frees the queue; `uninstall` waited for every
        // `with_queue` caller, so nothing can enqueue afterwards.
        unsafe { vi915_destroy_workqueue(self.0) }
    }
}

static QUEUES: [Atomic<*mut bindings::workqueue_struct>; 2] =
    [Atomic::new(ptr::null_mut()), Atomic::new(ptr::null_mut())];
/// Callers inside [`with_queue`] (an MMU notifier may run during unload).
static USERS: Atomic<usize> = Atomic::new(0);

/// Run `f` with the general workqueue, unless the module is being unloaded
/// (then `None`, and `f` is dropped unrun). `f` must not sleep for long:
/// unload waits for it.
pub(crate) fn with_queue<R>(f: impl FnOnce(&'static kernel::workqueue::Queue) -> R) -> Option<R> {
    with_slot(Slot::General, f)
}

/// [`with_queue`] for the queue of `slot`.
pub(crate) fn with_slot<R>(
    slot: Slot,
    f: impl FnOnce(&'static kernel::workqueue::Queue) -> R,
) -> Option<R> {
    // Pairs with `uninstall`: either it sees our count, or we see null.
    USERS.fetch_add(1, Full);
    let wq = QUEUES[slot as usize].load(Relaxed);
    let ret = (!wq.is_null()).then(|| {
        // SAFETY: `QUEUE` is non-null only between `install` and
        // `uninstall`, which waits for us before the queue is destroyed.
        f(unsafe { kernel::workqueue::Queue::from_raw(wq) })
    });
    USERS.fetch_sub(1, Full);
    ret
}

impl Workqueue {
    /// Make this the queue [`with_slot`] hands out for its slot.
    pub(crate) fn install(&self) {
        QUEUES[self.1 as usize].store(self.0, Release);
    }

    /// Stop handing out the queue of `slot` and wait for the callers still
    /// using a queue.
    pub(crate) fn uninstall(slot: Slot) {
        QUEUES[slot as usize].xchg(ptr::null_mut(), Full);
        while USERS.load(Relaxed) != 0 {
            fsleep(Delta::from_millis(1));
        }
    }
}
