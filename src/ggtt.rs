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
//!
//! Eviction, as i915 evicts: the bindings are also kept by start, each with
//! a pin count. An execbuf pins its objects' bindings from binding them
//! until its request is published (its relocations and the exec list it
//! writes back carry those addresses: i915 keeps its vmas pinned as long).
//! When a binding finds no room, every unpinned binding is evicted (unbound)
//! and the allocation tried again; a softpin evicts the unpinned bindings in
//! its way, and moves its object if it is bound elsewhere. What an evicted
//! binding served goes on working: a queued request reaches its objects by
//! the addresses it was built with, through its own objects only, and a GTT
//! mmap's PTEs map the object's pages, not the aperture. Only pinned
//! bindings make ENOSPC: more than 4 GiB in one request (or its pinned
//! bindings leave no hole big enough), two of its softpins that overlap, or
//! concurrent execbufs pinning the rest.

use core::ptr::NonNull;
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

/// A binding: its object's slot, its size, and how many execbufs hold it.
///
/// # Invariants
///
/// `slot` is the binding slot of a live object, which holds this binding's
/// start: an object is unbound (under the GGTT lock) before it is freed, and
/// a binding is in [`Ggtt::bound`] exactly while its slot holds its start.
struct Binding {
    slot: NonNull<Atomic<u64>>,
    size: u64,
    pins: u32,
}

// SAFETY: The slot is an atomic of a live object (the type invariant), used
// only under the GGTT lock that owns the tree.
unsafe impl Send for Binding {}
// SAFETY: As above.
unsafe impl Sync for Binding {}

/// The GGTT address space. Lives inside the device `Mutex`.
pub(crate) struct Ggtt {
    /// Bindings by start.
    bound: RBTree<u64, Binding>,
    /// Bytes of the pinned bindings.
    pinned: u64,
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
            bound: RBTree::new(),
            pinned: 0,
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
    /// idempotent. Returns the GGTT address. Without room, evicts every
    /// unpinned binding; `ENOSPC` if there is still none (at once if the
    /// pinned bindings leave too little).
    pub(crate) fn bind(&mut self, gtt: &Atomic<u64>, size: u64) -> Result<u64> {
        let bound = gtt.load(Relaxed);
        if bound != 0 {
            return Ok(bound);
        }
        if self.spare.is_none() {
            self.spare = Some(Spare::new()?);
        }
        let start = match self.alloc(size) {
            Err(e) if e == ENOSPC => {
                if size > GGTT_SIZE - GGTT_RESERVED - self.pinned {
                    return Err(ENOSPC);
                }
                self.evict_unpinned()?;
                self.alloc(size)?
            }
            r => r?,
        };
        self.record(gtt, start, size)
    }

    /// Pin the binding of the slot `gtt`, if bound: eviction leaves it be
    /// until [`Ggtt::unpin`]. Returns its start.
    pub(crate) fn pin(&mut self, gtt: &Atomic<u64>) -> Option<u64> {
        let start = gtt.load(Relaxed);
        let b = self.bound.get_mut(&start)?;
        b.pins += 1;
        if b.pins == 1 {
            self.pinned += b.size;
        }
        Some(start)
    }

    /// Drop a pin [`Ggtt::pin`] took on the binding of `gtt` at `start`
    /// (nothing if it was unbound since: SET_TILING, a userptr
    /// invalidation).
    pub(crate) fn unpin(&mut self, gtt: &Atomic<u64>, start: u64) {
        let Some(b) = self.bound.get_mut(&start) else {
            return;
        };
        if b.slot != NonNull::from(gtt) || b.pins == 0 {
            return;
        }
        b.pins -= 1;
        if b.pins == 0 {
            self.pinned -= b.size;
        }
    }

    /// Whether the binding at `start` is pinned.
    fn is_pinned(&self, start: u64) -> bool {
        self.bound.get(&start).is_some_and(|b| b.pins != 0)
    }

    /// `[start, start + size)`, taken from the free space, becomes `gtt`'s
    /// binding (given back if it cannot be recorded).
    fn record(&mut self, gtt: &Atomic<u64>, start: u64, size: u64) -> Result<u64> {
        let b = Binding {
            slot: NonNull::from(gtt),
            size,
            pins: 0,
        };
        match self
            .bound
            .try_create_and_insert(start, b, crate::gem::user_gfp())
        {
            Err(e) => {
                self.free(start, size);
                return Err(e);
            }
            // The range came from the free space: no binding starts there.
            Ok(old) => debug_assert!(old.is_none()),
        };
        gtt.store(start, Relaxed);
        self.used += size;
        GGTT_BOUND.inc();
        Ok(start)
    }

    /// Unbind the binding at `start` (its slot's object may be bound
    /// again later, anywhere).
    fn evict(&mut self, start: u64) {
        if let Some(b) = self.bound.remove(&start) {
            // SAFETY: The binding was in the tree, so its slot is a live
            // object's (the type invariant of `Binding`).
            unsafe { b.slot.as_ref() }.store(0, Relaxed);
            self.free(start, b.size);
            self.used -= b.size;
            if b.pins != 0 {
                self.pinned -= b.size;
            }
            GGTT_BOUND.dec();
        }
    }

    /// Evict every unpinned binding (yielding as it goes: there may be a
    /// million of them).
    fn evict_unpinned(&mut self) -> Result {
        let mut victims = KVVec::new();
        for (&start, b) in self.bound.iter() {
            if b.pins == 0 {
                victims.push(start, crate::gem::user_gfp())?;
            }
        }
        for (i, start) in victims.into_iter().enumerate() {
            self.evict(start);
            if i % 4096 == 4095 {
                crate::ffi::cond_resched();
            }
        }
        Ok(())
    }

    /// A binding that overlaps `[start, end)`, if any (its start): the last
    /// one that starts below `end`.
    fn overlapping(&self, start: u64, end: u64) -> Option<u64> {
        let below_end = match self.bound.cursor_lower_bound(&end) {
            Some(c) => c.peek_prev().map(|(k, b)| (*k, b.size)),
            None => self.bound.cursor_back().map(|c| {
                let (k, b) = c.current();
                (*k, b.size)
            }),
        };
        below_end
            .filter(|&(s, size)| s + size > start)
            .map(|(s, _)| s)
    }

    /// Bind the slot `gtt` at exactly `start` (softpin, `EXEC_OBJECT_PINNED`),
    /// `size` bytes: `Ok` if it is bound there already or the range is free
    /// once the unpinned bindings in the way are evicted; a slot bound
    /// elsewhere moves (as i915 rebinds a misplaced object). `EINVAL` for a
    /// range outside the GGTT's usable part or not page aligned, or for a
    /// slot bound and pinned elsewhere; `ENOSPC` if a pinned binding
    /// overlaps. O(log n) per binding in the way.
    pub(crate) fn bind_at(&mut self, gtt: &Atomic<u64>, start: u64, size: u64) -> Result<u64> {
        if !placeable(start, size) {
            return Err(EINVAL);
        }
        let bound = gtt.load(Relaxed);
        if bound == start {
            return Ok(start);
        }
        if bound != 0 {
            if self.is_pinned(bound) {
                return Err(EINVAL);
            }
            self.evict(bound);
        }
        let end = start + size;
        while let Some(s) = self.overlapping(start, end) {
            if self.is_pinned(s) {
                return Err(ENOSPC);
            }
            self.evict(s);
        }
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
        self.record(gtt, start, size)
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

    /// Unbind the slot `gtt`; returns whether it was bound.
    pub(crate) fn unbind(&mut self, gtt: &Atomic<u64>) -> bool {
        let start = gtt.load(Relaxed);
        if start == 0 {
            return false;
        }
        self.evict(start);
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
        // Bound: the same offset again is fine, another one not while it
        // is pinned; unpinned, it moves.
        assert_eq!(g.bind_at(&s, GGTT_SIZE - 4096, 4096)?, GGTT_SIZE - 4096);
        assert_eq!(g.pin(&s), Some(GGTT_SIZE - 4096));
        assert_eq!(g.bind_at(&s, 1 << 20, 4096).err(), Some(EINVAL));
        g.unpin(&s, GGTT_SIZE - 4096);
        assert_eq!(g.bind_at(&s, 1 << 20, 4096)?, 1 << 20);
        assert_eq!(g.used(), 4096);
        assert!(g.unbind(&s));
        Ok(())
    }

    #[test]
    fn bind_at_splits_holes_and_frees_back() -> Result {
        let mut g = Ggtt::new();
        let (a, b, c, d) = (slot(), slot(), slot(), slot());
        // Above the top: the gap below becomes a hole that bind() then fills.
        assert_eq!(g.bind_at(&a, 1 << 20, 4096)?, 1 << 20);
        assert_eq!(g.bind(&b, 8192)?, GGTT_RESERVED);
        // Inside the rest of that hole (split in two), and overlaps of
        // pinned bindings.
        assert_eq!(g.bind_at(&c, 512 << 10, 8192)?, 512 << 10);
        assert_eq!(g.pin(&c), Some(512 << 10));
        assert_eq!(g.pin(&a), Some(1 << 20));
        assert_eq!(g.bind_at(&d, (512 << 10) + 4096, 4096).err(), Some(ENOSPC));
        assert_eq!(g.bind_at(&d, 1 << 20, 4096).err(), Some(ENOSPC));
        g.unpin(&c, 512 << 10);
        g.unpin(&a, 1 << 20);
        // Everything back: the allocator is empty again.
        for x in [&a, &b, &c] {
            assert!(g.unbind(x));
        }
        assert_eq!((g.used(), g.top), (0, GGTT_RESERVED));
        assert!(g.by_start.iter().next().is_none() && g.by_size.iter().next().is_none());
        assert_eq!(g.bind(&d, 4096)?, GGTT_RESERVED);
        assert!(g.unbind(&d));
        Ok(())
    }

    #[test]
    fn eviction_spares_pinned_bindings() -> Result {
        let mut g = Ggtt::new();
        let (a, b, c, d) = (slot(), slot(), slot(), slot());
        // An unpinned 3 GiB binding makes way for a pinned 2 GiB one.
        assert_eq!(g.bind(&a, 3 << 30)?, GGTT_RESERVED);
        assert_eq!(g.bind(&b, 2 << 30)?, GGTT_RESERVED);
        assert_eq!(a.load(Relaxed), 0);
        assert_eq!(g.pin(&b), Some(GGTT_RESERVED));
        // Pinned bindings stay: no room is ENOSPC, and nothing is evicted
        // when the pinned bytes leave too little anyway.
        assert_eq!(g.bind(&c, 1 << 30)?, GGTT_RESERVED + (2 << 30));
        assert_eq!(g.bind(&d, 3 << 30).err(), Some(ENOSPC));
        assert_eq!(c.load(Relaxed), GGTT_RESERVED + (2 << 30));
        // 1.5 GiB fit once the unpinned 1 GiB goes.
        assert_eq!(g.bind(&d, 3 << 29)?, GGTT_RESERVED + (2 << 30));
        assert_eq!(c.load(Relaxed), 0);
        assert!(g.unbind(&d));
        // A softpin over an unpinned binding evicts it, over a pinned one
        // it is ENOSPC.
        assert_eq!(g.bind_at(&c, 1 << 30, 4096).err(), Some(ENOSPC));
        g.unpin(&b, GGTT_RESERVED);
        assert_eq!(g.bind_at(&c, 1 << 30, 4096)?, 1 << 30);
        assert_eq!(b.load(Relaxed), 0);
        assert_eq!(g.pin(&c), Some(1 << 30));
        assert_eq!(g.bind_at(&d, 1 << 30, 8192).err(), Some(ENOSPC));
        g.unpin(&c, 1 << 30);
        // An unpin of a binding unbound since, or of another slot, is a no-op.
        g.unpin(&d, 1 << 30);
        assert_eq!(g.bind_at(&d, (1 << 30) - 4096, 8192)?, (1 << 30) - 4096);
        assert_eq!(c.load(Relaxed), 0);
        g.unpin(&c, 1 << 30);
        assert_eq!(g.pinned, 0);
        assert!(g.unbind(&d));
        assert_eq!((g.used(), g.top), (0, GGTT_RESERVED));
        Ok(())
    }
}
