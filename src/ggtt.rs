// SPDX-License-Identifier: GPL-2.0

//! A software GGTT: the address-space allocator for the 4 GiB global GTT of a
//! Gen9 part. There is no hardware: a "binding" is a reserved range plus the
//! CPU PTEs of GTT mmaps, which the fault handler inserts while it holds the
//! device's GGTT lock (`Vi915Data::ggtt`, the struct_mutex analogue).
//!
//! Every operation is O(log n) in the number of bound objects: an object
//! keeps its own binding (`Vi915Object::gtt`, changed under the GGTT lock),
//! and the free space is a bump pointer (`top`: nothing at or above it is
//! bound) plus the holes below it, in two red-black trees: by start (to merge
//! neighbours when a range is freed) and by (size, start) (best fit).

use kernel::{
    prelude::*,
    rbtree::{
        RBTree,
        RBTreeNodeReservation, //
    },
    sync::atomic::{
        Atomic,
        Relaxed, //
    },
};

use crate::counter::Counter;

/// Objects bound in the software GGTT.
pub(crate) static GGTT_BOUND: Counter = Counter::new();

/// Size of the global GTT (Gen9: 4 GiB).
pub(crate) const GGTT_SIZE: u64 = 1 << 32;

/// Softpin offsets are page aligned.
const GGTT_PAGE: u64 = 4096;

/// Never handed out: address 0 stays invalid (a relocation "presumed 0" is
/// then never mistaken for a correct guess, and 0 means "unbound").
const GGTT_RESERVED: u64 = 64 << 10;

/// Whether userspace may place a binding of `size` bytes at `start`
/// (softpin): page aligned, not empty, inside the GGTT's usable part.
/// Whether the range is free is [`Ggtt::bind_at`]'s to say.
pub(crate) fn placeable(start: u64, size: u64) -> bool {
    size != 0
        && start % GGTT_PAGE == 0
        && start >= GGTT_RESERVED
        && start.checked_add(size).is_some_and(|end| end <= GGTT_SIZE)
}

/// One node for each hole tree, allocated outside any path that cannot fail.
struct Spare {
    by_start: RBTreeNodeReservation<u64, u64>,
    by_size: RBTreeNodeReservation<(u64, u64), ()>,
}

impl Spare {
    fn new() -> Result<Self> {
        Ok(Self {
            by_start: RBTreeNodeReservation::new(crate::gem::user_gfp())?,
            by_size: RBTreeNodeReservation::new(crate::gem::user_gfp())?,
        })
    }
}

/// The GGTT address space. Lives inside the device `Mutex`.
pub(crate) struct Ggtt {
    /// Holes by start: start -> size.
    by_start: RBTree<u64, u64>,
    /// Holes by (size, start).
    by_size: RBTree<(u64, u64), ()>,
    /// Lowest address above every binding.
    top: u64,
    /// Nodes for the hole an unbind may have to insert (a bind leaves a pair
    /// here), so that an unbind rarely allocates.
    spare: Option<Spare>,
    used: u64,
}

impl Ggtt {
    /// Empty address space.
    pub(crate) fn new() -> Self {
        Self {
            by_start: RBTree::new(),
            by_size: RBTree::new(),
            top: GGTT_RESERVED,
            spare: None,
            used: 0,
        }
    }

    /// Bytes currently bound.
    pub(crate) fn used(&self) -> u64 {
        self.used
    }

    /// Bind `size` bytes for the binding slot `gtt` (0: unbound);
    /// idempotent. Returns the GGTT address.
    pub(crate) fn bind(&mut self, gtt: &Atomic<u64>, size: u64) -> Result<u64> {
        let bound = gtt.load(Relaxed);
        if bound != 0 {
            return Ok(bound);
        }
        if self.spare.is_none() {
            self.spare = Some(Spare::new()?);
        }
        let start = self.alloc(size)?;
        gtt.store(start, Relaxed);
        self.used += size;
        GGTT_BOUND.inc();
        Ok(start)
    }

    /// Bind the slot `gtt` at exactly `start` (softpin, `EXEC_OBJECT_PINNED`),
    /// `size` bytes: `Ok` if it is bound there already or the range is free.
    /// `EINVAL` for a range outside the GGTT's usable part or not page
    /// aligned, or if the slot is bound elsewhere (vi915 does not move a
    /// binding: a GTT mmap's PTEs and a queued request use it); `ENOSPC` if
    /// another binding overlaps. O(log n), as `bind`.
    pub(crate) fn bind_at(&mut self, gtt: &Atomic<u64>, start: u64, size: u64) -> Result<u64> {
        let bound = gtt.load(Relaxed);
        if bound != 0 {
            return if bound == start {
                Ok(start)
            } else {
                Err(EINVAL)
            };
        }
        if !placeable(start, size) {
            return Err(EINVAL);
        }
        let end = start + size;
        if self.spare.is_none() {
            self.spare = Some(Spare::new()?);
        }
        if start >= self.top {
            // Above every binding: the gap below it becomes a hole.
            if start > self.top {
                let nodes = Spare::new()?;
                self.insert_hole(self.top, start - self.top, nodes);
            }
            self.top = end;
        } else {
            // Inside one hole, else a binding overlaps.
            let (hs, hsz) = self
                .hole_at_or_below(start)
                .filter(|&(hs, hsz)| hs + hsz >= end)
                .ok_or(ENOSPC)?;
            let left = (start > hs).then(|| (hs, start - hs));
            let right = (hs + hsz > end).then(|| (end, hs + hsz - end));
            // The taken hole's nodes, and a new pair if it splits in two.
            let mut extra = match (left, right) {
                (Some(_), Some(_)) => Some(Spare::new()?),
                _ => None,
            };
            let mut nodes = self.take_hole(hs, hsz);
            for (s, sz) in [left, right].into_iter().flatten() {
                if let Some(n) = nodes.take().or_else(|| extra.take()) {
                    self.insert_hole(s, sz, n);
                }
            }
        }
        gtt.store(start, Relaxed);
        self.used += size;
        GGTT_BOUND.inc();
        Ok(start)
    }

    /// The hole that starts at or last below `addr`.
    fn hole_at_or_below(&self, addr: u64) -> Option<(u64, u64)> {
        if let Some(&size) = self.by_start.get(&addr) {
            return Some((addr, size));
        }
        match self.by_start.cursor_lower_bound(&addr) {
            Some(c) => c.peek_prev().map(|(k, v)| (*k, *v)),
            None => self.by_start.cursor_back().map(|c| {
                let (k, v) = c.current();
                (*k, *v)
            }),
        }
    }

    /// Record the hole `[start, start + size)` with the nodes `nodes`.
    fn insert_hole(&mut self, start: u64, size: u64, nodes: Spare) {
        self.by_start.insert(nodes.by_start.into_node(start, size));
        self.by_size
            .insert(nodes.by_size.into_node((size, start), ()));
    }

    /// Unbind the slot `gtt` of `size` bytes; returns whether it was bound.
    pub(crate) fn unbind(&mut self, gtt: &Atomic<u64>, size: u64) -> bool {
        let start = gtt.load(Relaxed);
        if start == 0 {
            return false;
        }
        gtt.store(0, Relaxed);
        self.free(start, size);
        self.used -= size;
        GGTT_BOUND.dec();
        true
    }

    /// Best fit among the holes, else from the top.
    fn alloc(&mut self, size: u64) -> Result<u64> {
        let fit = self
            .by_size
            .cursor_lower_bound(&(size, 0))
            .map(|c| *c.current().0);
        if let Some((hsize, hstart)) = fit {
            if hsize > size {
                // The rest first (may fail), then the hole goes.
                let rest = (hstart + size, hsize - size);
                self.by_size
                    .try_create_and_insert((rest.1, rest.0), (), crate::gem::user_gfp())?;
                if let Err(e) =
                    self.by_start
                        .try_create_and_insert(rest.0, rest.1, crate::gem::user_gfp())
                {
                    self.by_size.remove(&(rest.1, rest.0));
                    return Err(e);
                }
            }
            self.by_size.remove(&(hsize, hstart));
            self.by_start.remove(&hstart);
            return Ok(hstart);
        }
        if GGTT_SIZE - self.top < size {
            return Err(ENOSPC);
        }
        let start = self.top;
        self.top += size;
        Ok(start)
    }

    /// Give `[start, start + size)` back, merged with the holes beside it.
    fn free(&mut self, start: u64, size: u64) {
        let (mut s, mut e) = (start, start + size);
        // (No hole starts at `s`: the binding being freed is there.)
        let mut reuse = None;
        if let Some((ps, psz)) = self.hole_at_or_below(s).filter(|(ps, psz)| ps + psz == s) {
            reuse = self.take_hole(ps, psz);
            s = ps;
        }
        if let Some(&nsz) = self.by_start.get(&e) {
            let r = self.take_hole(e, nsz);
            reuse = reuse.or(r);
            e += nsz;
        }
        if e == self.top {
            self.top = s;
            // A hole may now end at the new top: it goes too.
            let below = self.by_start.cursor_back().map(|c| {
                let (k, v) = c.current();
                (*k, *v)
            });
            if let Some((bs, bsz)) = below.filter(|(bs, bsz)| bs + bsz == s) {
                drop(self.take_hole(bs, bsz));
                self.top = bs;
            }
            return;
        }
        // Nodes from a merged hole, the spare pair a bind left, or new ones;
        // without memory for them the range is lost to the allocator (the
        // GGTT is only bookkeeping: nothing else goes wrong).
        let Some(nodes) = reuse
            .or_else(|| self.spare.take())
            .or_else(|| Spare::new().ok())
        else {
            return;
        };
        self.insert_hole(s, e - s, nodes);
    }

    /// Remove a hole; its nodes come back for reuse.
    fn take_hole(&mut self, start: u64, size: u64) -> Option<Spare> {
        let a = self.by_start.remove_node(&start)?;
        let b = self.by_size.remove_node(&(size, start))?;
        Some(Spare {
            by_start: a.into_reservation(),
            by_size: b.into_reservation(),
        })
    }
}

#[kunit_tests(vi915_ggtt)]
mod tests {
    use super::*;

    fn slot() -> Atomic<u64> {
        Atomic::new(0)
    }

    #[test]
    fn bind_at_checks_the_range() -> Result {
        let mut g = Ggtt::new();
        let s = slot();
        assert_eq!(g.bind_at(&s, 0, 4096).err(), Some(EINVAL));
        assert_eq!(g.bind_at(&s, GGTT_RESERVED + 1, 4096).err(), Some(EINVAL));
        assert_eq!(g.bind_at(&s, GGTT_SIZE - 4096, 8192).err(), Some(EINVAL));
        assert_eq!(g.bind_at(&s, u64::MAX - 4095, 8192).err(), Some(EINVAL));
        assert_eq!(g.bind_at(&s, 1 << 20, 0).err(), Some(EINVAL));
        assert_eq!(g.bind_at(&s, GGTT_SIZE - 4096, 4096)?, GGTT_SIZE - 4096);
        // Bound: the same offset again is fine, another is not.
        assert_eq!(g.bind_at(&s, GGTT_SIZE - 4096, 4096)?, GGTT_SIZE - 4096);
        assert_eq!(g.bind_at(&s, 1 << 20, 4096).err(), Some(EINVAL));
        assert!(g.unbind(&s, 4096));
        Ok(())
    }

    #[test]
    fn bind_at_splits_holes_and_frees_back() -> Result {
        let mut g = Ggtt::new();
        let (a, b, c, d) = (slot(), slot(), slot(), slot());
        // Above the top: the gap below becomes a hole that bind() then fills.
        assert_eq!(g.bind_at(&a, 1 << 20, 4096)?, 1 << 20);
        assert_eq!(g.bind(&b, 8192)?, GGTT_RESERVED);
        // Inside the rest of that hole (split in two), and an overlap.
        assert_eq!(g.bind_at(&c, 512 << 10, 8192)?, 512 << 10);
        assert_eq!(g.bind_at(&d, (512 << 10) + 4096, 4096).err(), Some(ENOSPC));
        assert_eq!(g.bind_at(&d, 1 << 20, 4096).err(), Some(ENOSPC));
        // Everything back: the allocator is empty again.
        for (x, size) in [(&a, 4096), (&b, 8192), (&c, 8192)] {
            assert!(g.unbind(x, size));
        }
        assert_eq!((g.used(), g.top), (0, GGTT_RESERVED));
        assert!(g.by_start.iter().next().is_none() && g.by_size.iter().next().is_none());
        assert_eq!(g.bind(&d, 4096)?, GGTT_RESERVED);
        assert!(g.unbind(&d, 4096));
        Ok(())
    }
}
