// SPDX-License-Identifier: GPL-2.0

//! The one record of every way a userptr object's pages are handed out, as
//! pure logic (no bindings) so that KUnit covers it (`vi915_exposure`).
//!
//! It lives inside the object's pages lock next to the pages themselves, and
//! an invalidation asks it what to revoke before the pages may go:
//!
//! | exposure                                   | recorded as      | on invalidation |
//! |--------------------------------------------|------------------|-----------------|
//! | CPU PTEs: GTT mmap (DRM fd), dma-buf mmap  | `ptes` (revoke work, installed before the first PTE) | the work zaps every PTE, then drops the pages |
//! | engine request (published, not retired)    | `requests`       | wait for the object's fences, then drop |
//! | relocation write (inside EXECBUFFER2)      | the execbuf's own page reference, then `requests` | the pages stay referenced until it is done; the request is then cancelled |
//! | importer sg table (mapped attachment)      | `attachments` + `sg` holds | none possible (no move_notify for a pinned importer): the pages stay referenced until the last attachment is unpinned |
//!
//! Every exposure holds a reference on the page generation it uses (an
//! `Arc<PageVec>`): the pages are released when the last holder goes, never
//! while something can still reach them. Adding an exposure means adding a
//! field here, and the invalidation reads nothing else.
//!
//! Nothing here allocates: slots and hold nodes come pre-allocated (the
//! pages lock is taken inside `invalidate_range_start`, which reclaim reaches).

use kernel::prelude::*;

/// One importer hold: a page generation an sg table was built from.
pub(crate) struct Hold<P> {
    pages: P,
    next: Option<KBox<Hold<P>>>,
}

impl<P> Hold<P> {
    /// A node for `pages` (allocate before taking the pages lock).
    pub(crate) fn new(pages: P) -> Result<KBox<Self>> {
        Ok(KBox::new(Self { pages, next: None }, GFP_KERNEL)?)
    }
}

/// Holds released by the last unpin; drop with the pages lock released.
pub(crate) struct Released<P>(Option<KBox<Hold<P>>>);

impl<P> Drop for Released<P> {
    fn drop(&mut self) {
        // Iteratively: a long chain must not recurse.
        let mut next = self.0.take();
        while let Some(mut node) = next {
            next = node.next.take();
        }
    }
}

/// What an invalidation must do before the pages it took may be released.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Revocation<W> {
    /// CPU PTEs point at the pages: queue this work (it zaps them, then
    /// releases the pages).
    pub(crate) ptes: Option<W>,
    /// Engine requests hold the pages: wait for the object's fences first.
    pub(crate) wait_engine: bool,
}

/// The record. `W`: the pre-allocated PTE revoke work; `P`: a page generation.
pub(crate) struct Exposure<W, P> {
    ptes: Option<W>,
    requests: usize,
    attachments: usize,
    sg: Option<KBox<Hold<P>>>,
}

impl<W, P> Exposure<W, P> {
    /// Nothing handed out.
    pub(crate) const fn new() -> Self {
        Self {
            ptes: None,
            requests: 0,
            attachments: 0,
            sg: None,
        }
    }

    /// Whether the current pages are exposed through CPU PTEs.
    pub(crate) fn mapped(&self) -> bool {
        self.ptes.is_some()
    }

    /// CPU PTEs are about to be inserted for the current pages: the revoke
    /// work must be in place first. Returns `work` back if one already is.
    pub(crate) fn map(&mut self, work: W) -> Option<W> {
        if self.ptes.is_some() {
            return Some(work);
        }
        self.ptes = Some(work);
        None
    }

    /// A request holding the pages was published.
    pub(crate) fn request_published(&mut self) {
        self.requests += 1;
    }

    /// A request was retired (its fence signalled).
    pub(crate) fn request_retired(&mut self) {
        self.requests = self.requests.saturating_sub(1);
    }

    /// Engine requests currently holding pages of the object.
    #[cfg(CONFIG_KUNIT = "y")]
    pub(crate) fn requests(&self) -> usize {
        self.requests
    }

    /// `funcs->pin`: a dma-buf attachment was made.
    pub(crate) fn pin(&mut self) {
        self.attachments += 1;
    }

    /// `get_sg_table`: an sg table was built from `hold`'s pages. Returns the
    /// node back if the newest hold already is that generation (`same`).
    pub(crate) fn hold(
        &mut self,
        mut hold: KBox<Hold<P>>,
        same: impl Fn(&P, &P) -> bool,
    ) -> Option<KBox<Hold<P>>> {
        if self
            .sg
            .as_ref()
            .is_some_and(|h| same(&h.pages, &hold.pages))
        {
            return Some(hold);
        }
        hold.next = self.sg.take();
        self.sg = Some(hold);
        None
    }

    /// `funcs->unpin`: an attachment went. The last one releases every sg
    /// hold (no sg table can exist without an attachment).
    pub(crate) fn unpin(&mut self) -> Released<P> {
        self.attachments = self.attachments.saturating_sub(1);
        if self.attachments == 0 {
            Released(self.sg.take())
        } else {
            Released(None)
        }
    }

    /// Number of page generations held for importers.
    #[cfg(CONFIG_KUNIT = "y")]
    pub(crate) fn sg_holds(&self) -> usize {
        let mut n = 0;
        let mut at = self.sg.as_deref();
        while let Some(h) = at {
            n += 1;
            at = h.next.as_deref();
        }
        n
    }

    /// Invalidation of the current pages: what to revoke before they go.
    /// Importer holds stay (they keep their own references).
    pub(crate) fn revoke(&mut self) -> Revocation<W> {
        Revocation {
            ptes: self.ptes.take(),
            wait_engine: self.requests > 0,
        }
    }

    /// Object teardown: nothing can reach the object any more.
    pub(crate) fn teardown(&mut self) -> (Option<W>, Released<P>) {
        (self.ptes.take(), Released(self.sg.take()))
    }
}

#[kunit_tests(vi915_exposure)]
mod tests {
    use super::*;

    type E = Exposure<u8, u32>;

    fn same(a: &u32, b: &u32) -> bool {
        a == b
    }

    #[test]
    fn nothing_exposed_revokes_nothing() {
        let mut e = E::new();
        assert!(!e.mapped());
        assert_eq!(
            e.revoke(),
            Revocation {
                ptes: None,
                wait_engine: false
            }
        );
    }

    #[test]
    fn ptes_are_revoked_once() {
        let mut e = E::new();
        assert_eq!(e.map(1), None);
        // A second fault keeps the first slot and hands the spare back.
        assert_eq!(e.map(2), Some(2));
        assert!(e.mapped());
        assert_eq!(
            e.revoke(),
            Revocation {
                ptes: Some(1),
                wait_engine: false
            }
        );
        assert!(!e.mapped());
        assert_eq!(e.revoke().ptes, None);
    }

    #[test]
    fn requests_make_the_invalidation_wait() {
        let mut e = E::new();
        e.request_published();
        e.request_published();
        assert!(e.revoke().wait_engine);
        e.request_retired();
        assert!(e.revoke().wait_engine);
        e.request_retired();
        assert!(!e.revoke().wait_engine);
        e.request_retired();
        assert_eq!(e.requests(), 0);
    }

    #[test]
    fn importer_holds_outlive_invalidations_until_last_unpin() -> Result {
        let mut e = E::new();
        e.pin();
        e.pin();
        assert!(e.hold(Hold::new(7)?, same).is_none());
        // Same generation again: the spare node comes back.
        assert!(e.hold(Hold::new(7)?, same).is_some());
        let r = e.revoke();
        assert_eq!(r.ptes, None);
        // Invalidated: the hold stays; a new generation is held too.
        assert!(e.hold(Hold::new(8)?, same).is_none());
        assert_eq!(e.sg_holds(), 2);
        let first = e.unpin();
        assert!(first.0.is_none());
        assert_eq!(e.sg_holds(), 2);
        let last = e.unpin();
        assert!(last.0.is_some());
        assert_eq!(e.sg_holds(), 0);
        Ok(())
    }

    #[test]
    fn teardown_takes_everything() -> Result {
        let mut e = E::new();
        assert_eq!(e.map(3), None);
        e.pin();
        assert!(e.hold(Hold::new(1)?, same).is_none());
        let (w, held) = e.teardown();
        assert_eq!(w, Some(3));
        assert!(held.0.is_some());
        assert!(!e.mapped());
        assert_eq!(e.sg_holds(), 0);
        Ok(())
    }
}
