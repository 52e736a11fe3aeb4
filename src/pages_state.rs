// SPDX-License-Identifier: GPL-2.0

//! The userptr pages state machine, as pure logic (no bindings), so that every
//! transition is covered by KUnit (`vi915_userptr_state`).
//!
//! One `PagesState` lives inside each userptr object's pages lock
//! (`Mutex<PagesState<..>>`): the pages and the gup-worker state can only be
//! read or changed together, under that lock.
//!
//! ```text
//!            fast gup got all pages                 invalidate (pages held)
//!   Empty ─────────────────────────────▶ Ready ─────────────────────────▶ Empty
//!     │ │                                  ▲                               (pages released,
//!     │ │ fast gup short / other mm        │ worker_done(token, Ok)         or handed to the
//!     │ └──────────────▶ Pending(token) ───┘                                revoke work if
//!     │                   │    │                                            they were mapped)
//!     │     invalidate    │    │ worker_done(token, Err(e))
//!     ├◀──────────────────┘    ▼
//!     │ (token now stale:    Failed(e)   sticky: get_pages answers e, no new
//!     │  result discarded)     │         worker is tried ...
//!     └◀───────────────────────┘ invalidate: ... until the range changes
//! ```
//!
//! The invalidation takes-and-clears the worker state, `Failed` included
//! (the seed's `fetch_and_zero(&obj->userptr.work)`): a pending or failed
//! object is not bound, so nothing else is done for it.

use kernel::prelude::*;

/// The gup worker state (`obj->userptr.work` in 2017 i915).
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub(crate) enum Work {
    /// No worker: pages are either present or were never asked for.
    None,
    /// A worker with this token is in flight; only it may commit.
    Pending(u64),
    /// The worker failed: sticky error.
    Failed(Error),
}

/// What the worker's result became.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum WorkerDone<P> {
    /// Pages committed; the object is ready.
    Committed,
    /// The token was stale (invalidated or superseded): release these pages.
    Discarded(Option<P>),
    /// The failure was recorded as sticky.
    Failed(Error),
}

/// What an invalidation did.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Invalidated<P> {
    /// Nothing held, nothing pending.
    Idle,
    /// A pending worker's result will be discarded; nothing was bound.
    CancelledWorker,
    /// A sticky failure was cleared (the range changed); nothing was bound.
    ClearedFailure,
    /// The object held pages; the caller releases them once everything the
    /// exposure record (`exposure.rs`) lists is revoked.
    Released(P),
}

/// Pages of a userptr object plus its worker state.
pub(crate) struct PagesState<P> {
    pages: Option<P>,
    work: Work,
    next_token: u64,
}

impl<P> PagesState<P> {
    /// A fresh object: no pages, no worker.
    pub(crate) const fn new() -> Self {
        Self {
            pages: None,
            work: Work::None,
            next_token: 1,
        }
    }

    /// Current worker state.
    pub(crate) fn work(&self) -> Work {
        self.work
    }

    /// `get_pages` entry: `Ok(Some)` ready, `Ok(None)` nothing yet (try the
    /// fast path), `Err(EAGAIN)` worker in flight, `Err(e)` sticky failure.
    pub(crate) fn lookup(&self) -> Result<Option<&P>> {
        if let Some(p) = &self.pages {
            return Ok(Some(p));
        }
        match self.work {
            Work::None => Ok(None),
            Work::Pending(_) => Err(EAGAIN),
            Work::Failed(e) => Err(e),
        }
    }

    /// Fast path got every page. Only valid when [`Self::lookup`] said `Ok(None)`.
    pub(crate) fn commit_fast(&mut self, pages: P) -> Result<&P> {
        if self.pages.is_some() || self.work != Work::None {
            return Err(EBUSY);
        }
        Ok(self.pages.insert(pages))
    }

    /// Fast path fell short: a worker is being queued. Returns its token.
    pub(crate) fn schedule_worker(&mut self) -> u64 {
        let token = self.next_token;
        self.next_token = self.next_token.wrapping_add(1);
        self.work = Work::Pending(token);
        token
    }

    /// The worker finished (it holds no `mmap_lock` now).
    pub(crate) fn worker_done(&mut self, token: u64, result: Result<P>) -> WorkerDone<P> {
        if self.work != Work::Pending(token) {
            return WorkerDone::Discarded(result.ok());
        }
        match result {
            Ok(p) => {
                self.pages = Some(p);
                self.work = Work::None;
                WorkerDone::Committed
            }
            Err(e) => {
                self.work = Work::Failed(e);
                WorkerDone::Failed(e)
            }
        }
    }

    /// MMU notifier invalidation: take-and-clear. `Pending` is discarded,
    /// `Failed` is forgotten (the memory behind it changed), held pages are
    /// handed back to the caller.
    pub(crate) fn invalidate(&mut self) -> Invalidated<P> {
        match core::mem::replace(&mut self.work, Work::None) {
            Work::Pending(_) => return Invalidated::CancelledWorker,
            Work::Failed(_) => return Invalidated::ClearedFailure,
            Work::None => {}
        }
        match self.pages.take() {
            Some(pages) => Invalidated::Released(pages),
            None => Invalidated::Idle,
        }
    }

    /// Object teardown: take whatever is held.
    pub(crate) fn take_pages(&mut self) -> Option<P> {
        self.pages.take()
    }
}

#[kunit_tests(vi915_userptr_state)]
mod tests {
    use super::*;

    type S = PagesState<u32>;

    #[test]
    fn fast_path_complete() {
        let mut s = S::new();
        assert_eq!(s.lookup(), Ok(None));
        assert_eq!(s.commit_fast(7).copied(), Ok(7));
        assert_eq!(s.lookup(), Ok(Some(&7)));
        assert_eq!(s.work(), Work::None);
    }

    #[test]
    fn fast_path_short_goes_pending() {
        let mut s = S::new();
        let t = s.schedule_worker();
        assert_eq!(s.work(), Work::Pending(t));
        assert_eq!(s.lookup(), Err(EAGAIN));
        assert_eq!(s.commit_fast(1).err(), Some(EBUSY));
    }

    #[test]
    fn worker_commits() {
        let mut s = S::new();
        let t = s.schedule_worker();
        assert_eq!(s.worker_done(t, Ok(3)), WorkerDone::Committed);
        assert_eq!(s.lookup(), Ok(Some(&3)));
        assert_eq!(s.work(), Work::None);
    }

    #[test]
    fn worker_discarded_by_invalidation() {
        let mut s = S::new();
        let t = s.schedule_worker();
        assert_eq!(s.invalidate(), Invalidated::CancelledWorker);
        assert_eq!(s.lookup(), Ok(None));
        assert_eq!(s.worker_done(t, Ok(5)), WorkerDone::Discarded(Some(5)));
        assert_eq!(s.lookup(), Ok(None));
        // A newer worker's token is not confused with the stale one.
        let t2 = s.schedule_worker();
        assert_ne!(t, t2);
        assert_eq!(s.worker_done(t, Err(EFAULT)), WorkerDone::Discarded(None));
        assert_eq!(s.work(), Work::Pending(t2));
        assert_eq!(s.worker_done(t2, Ok(6)), WorkerDone::Committed);
    }

    #[test]
    fn worker_failure_is_sticky() {
        let mut s = S::new();
        let t = s.schedule_worker();
        assert_eq!(s.worker_done(t, Err(EFAULT)), WorkerDone::Failed(EFAULT));
        // Sticky: every lookup answers the errno, no new worker is tried.
        assert_eq!(s.lookup(), Err(EFAULT));
        assert_eq!(s.lookup(), Err(EFAULT));
        assert_eq!(s.commit_fast(1).err(), Some(EBUSY));
        // Until the range changes: the invalidation clears it.
        assert_eq!(s.invalidate(), Invalidated::ClearedFailure);
        assert_eq!(s.lookup(), Ok(None));
    }

    #[test]
    fn invalidate_idle_with_pages() {
        let mut s = S::new();
        assert_eq!(s.invalidate(), Invalidated::Idle);
        assert!(s.commit_fast(9).is_ok());
        assert_eq!(s.invalidate(), Invalidated::Released(9));
        assert_eq!(s.lookup(), Ok(None));
        assert!(s.commit_fast(10).is_ok());
        assert_eq!(s.invalidate(), Invalidated::Released(10));
        assert_eq!(s.invalidate(), Invalidated::Idle);
        assert_eq!(s.take_pages(), None);
    }
}
