// SPDX-License-Identifier: GPL-2.0

//! Submission throttling: a context has at most [`QUEUE_DEPTH`] requests in
//! flight, as an i915 context has at most a ring's worth. Each submission
//! (each attempt, a cancelled one included) takes a slot of the context's
//! ring under its lock and first waits for the request that slot held
//! (interruptibly; with `O_NONBLOCK` it answers `EWOULDBLOCK` instead, as
//! i915 does when its ring is full). Every request ends within its budget,
//! so the wait is bounded; without it, requests queued behind a long one (a
//! spinner, a foreign fence) would pile up in kernel memory without limit.

use kernel::prelude::*;

use crate::ffi::InFence;

/// Requests a context may have in flight.
pub(crate) const QUEUE_DEPTH: usize = 64;

/// The fences of a context's last [`QUEUE_DEPTH`] requests.
pub(crate) struct Throttle {
    ring: KVec<Option<InFence>>,
    /// Submissions so far (the next slot is `next % QUEUE_DEPTH`).
    next: usize,
}

impl Throttle {
    /// No request yet.
    pub(crate) fn new() -> Result<Self> {
        let mut ring = KVec::with_capacity(QUEUE_DEPTH, crate::gem::user_gfp())?;
        for _ in 0..QUEUE_DEPTH {
            ring.push(None, crate::gem::user_gfp())?;
        }
        Ok(Self { ring, next: 0 })
    }

    /// Take the next slot for a submission: its index and, if that slot's
    /// request may still be in flight, a reference to wait for it with
    /// (without the lock). With `nonblock`, a busy slot is `EAGAIN` and is
    /// not taken.
    pub(crate) fn reserve(&mut self, nonblock: bool) -> Result<(usize, Option<InFence>)> {
        let slot = self.next % QUEUE_DEPTH;
        let busy = self
            .ring
            .get(slot)
            .and_then(|f| f.as_ref())
            .filter(|f| !f.is_signaled())
            .map(InFence::clone_ref);
        if busy.is_some() && nonblock {
            return Err(EAGAIN);
        }
        self.next = self.next.wrapping_add(1);
        Ok((slot, busy))
    }

    /// The request of a reserved slot was queued: its fence.
    pub(crate) fn record(&mut self, slot: usize, fence: InFence) {
        if let Some(f) = self.ring.get_mut(slot) {
            *f = Some(fence);
        }
    }
}

/// Wait for the request a reserved slot held (from [`Throttle::reserve`]),
/// interruptibly (`ERESTARTSYS` on a signal).
pub(crate) fn wait(busy: Option<InFence>) -> Result {
    busy.map_or(Ok(()), |f| f.wait_interruptible())
}
