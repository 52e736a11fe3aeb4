// SPDX-License-Identifier: GPL-2.0

//! Userptr objects: GEM objects backed by a range of a process's memory, with
//! the locking design of i915 commit 15c344f4d0cb ("drm/i915/userptr: Reinvent
//! GGTT self-faulting protection", 2017).
//!
//! # Lock order (held everywhere in the driver)
//!
//! ```text
//!   mmap_lock / per-VMA lock  (GTT fault, ioctls that probe)
//!     -> GGTT lock            (device Mutex<Ggtt>, the struct_mutex analogue)
//!        -> invalidate_range_start (unmap_mapping_range under the GGTT lock:
//!                                   SET_TILING, revoke work)
//!           -> pages lock     (per object Mutex<Locked>, "vi915_userptr_pages")
//! ```
//! * `get_pages` runs under the pages lock and never takes `mmap_lock`, never
//!   faults pages in and never allocates: only the lockless
//!   `get_user_pages_fast_only` of the current mm (buffers are allocated
//!   before the lock is taken).
//! * The gup worker takes `mmap_read_lock` of the object's mm, gups, drops
//!   it, and only then takes the pages lock: never both. Its gup may drop
//!   the lock and wait for a fault (a userfaultfd handler, swap-in) and
//!   retry, as the faulting task itself would.
//! * The MMU notifier callback takes only the pages lock. It never takes the
//!   GGTT lock (the invalidation may come from SET_TILING, which holds it:
//!   the seed's self-fault recursion) and never calls `unmap_mapping_range`
//!   (a nested invalidation). What it must revoke before the pages go is
//!   read from the object's exposure record (`exposure.rs`): pages exposed
//!   through CPU PTEs (GTT or dma-buf mmap) are handed to a revoke work
//!   item, which takes the GGTT lock, zaps the PTEs and only then drops the
//!   page references; the GGTT lock is also what the fault handler holds
//!   while inserting PTEs, so no stale PTE survives. Every other holder
//!   (engine request, execbuf, importer sg table) owns a reference on the
//!   page generation it uses.
//! * No allocation under the pages lock (it is taken inside
//!   invalidate_range_start, which reclaim can reach).
//! * An invalidation that takes pages while engine requests hold them waits
//!   for the object's fences (with no lock held) before the pages go: the
//!   munmap (or reclaim) returns only once the GPU is done with them, and
//!   the written pages are marked dirty when released. Pending and failed
//!   objects hold no pages and wait for nothing (the seed's rule). The
//!   engine's signalling path takes none of the locks above.
//!
//! # Life of an object (this file reads in that order)
//!
//! 1. `USERPTR` creates it ([`Userptr::new`]) and inserts the interval
//!    notifier ([`Userptr::attach`]) unless UNSYNCHRONIZED.
//! 2. `get_pages` ([`Userptr::get_pages`]) from SET_DOMAIN, a GTT fault or a
//!    PRIME attach: ready → pages; worker pending → EAGAIN; failed → sticky
//!    errno; otherwise fast gup, and if short the [`GupWork`] is queued and
//!    EAGAIN returned (ioctls are retried by libdrm, faults refault).
//! 3. The worker commits only if its token is still current.
//! 4. [`Userptr::invalidate`] (notifier) takes-and-clears: a pending worker's
//!    result is discarded, a sticky failure is forgotten, held pages are
//!    released once their exposures are revoked (through [`RevokeWork`] if
//!    they were mapped).
//! 5. [`Userptr::teardown`] at free: remove the notifier, drop the pages.
//!
//! The state machine itself is pure logic in `pages_state.rs`.

use core::cell::Cell;
use kernel::{
    mm::Mm,
    prelude::*,
    sync::{
        aref::ARef,
        atomic::{
            Acquire,
            Atomic,
            Relaxed,
            Release, //
        },
        Arc,
        CondVar,
        Mutex,
        UniqueArc, //
    },
    workqueue::{
        Work,
        WorkItem, //
    },
};

use crate::{
    counter::Counter,
    exposure::{
        Exposure,
        Hold,
        Released, //
    },
    ffi::{
        self,
        RawPage, //
    },
    gem::{
        self,
        ObjRef,
        Vi915Gem, //
    },
    pages_state::{
        Invalidated,
        PagesState,
        Work as WorkState, //
    },
};

/// User pages currently referenced by userptr objects, by requests and
/// importers holding them, and by worker results not yet committed.
pub(crate) static PAGES_HELD: Counter = Counter::new();
/// Queued or running gup workers.
pub(crate) static WORKERS_IN_FLIGHT: Counter = Counter::new();

/// User pages held by one generation of a userptr object (one reference each).
/// Dropping the last `Arc` releases them.
///
/// The vectors are `KVVec`: a userptr may span up to `INT_MAX` pages, far
/// beyond what `kmalloc` can serve (4 MiB, i.e. 2 GiB of user memory).
pub(crate) struct PageVec {
    pages: ffi::UserVec<RawPage>,
    pfns: ffi::UserVec<usize>,
    /// The device may have written the pages (engine, relocations, a CPU
    /// mapping, an importer): they are marked dirty when released.
    dirty: Atomic<bool>,
    /// An invalidation took these pages without waiting for every request
    /// on them (its wait is bounded): a request that has not started yet
    /// must not run on them.
    revoked: Atomic<bool>,
    /// Taken without write access (a READ_ONLY userptr): never dirtied.
    read_only: bool,
    /// The engine's mapping of the pages (made by EXECBUFFER2).
    map: ffi::MapSlot,
}

// SAFETY: Page references may be dropped from any thread that may sleep
// (the mapping's vunmap; every holder drops there); the vectors are only read
// after construction, and the map slot is filled at most once, then read.
unsafe impl Send for PageVec {}
// SAFETY: See above.
unsafe impl Sync for PageVec {}

impl PageVec {
    /// Empty vectors with room for `n` pages (allocate outside any lock).
    /// `n` comes from userspace: an impossible size is `ENOMEM`, not a
    /// kernel warning (`kvmalloc` warns above `INT_MAX` bytes), and the
    /// vectors are charged to the caller's memory cgroup.
    fn with_capacity(n: usize, read_only: bool) -> Result<UniqueArc<Self>> {
        Ok(UniqueArc::new(
            Self {
                pages: ffi::UserVec::with_capacity(n)?,
                pfns: ffi::UserVec::with_capacity(n)?,
                dirty: Atomic::new(false),
                revoked: Atomic::new(false),
                read_only,
                map: ffi::MapSlot::default(),
            },
            GFP_KERNEL,
        )?)
    }

    /// Record that `got` more entries of the spare capacity hold references.
    fn commit(&mut self, got: usize) {
        let len = self.pages.len();
        let got = got.min(self.pages.capacity() - len);
        // SAFETY: gup wrote `got` valid page pointers after the current length.
        unsafe { self.pages.inc_len(got) };
        PAGES_HELD.add(got as u64);
        for &p in &self.pages[len..len + got] {
            // SAFETY: We hold a reference on `p`; `pfns` has the same capacity.
            let _ = self
                .pfns
                .push_within_capacity(unsafe { ffi::page_to_pfn(p) });
        }
    }

    /// Drop every reference (dirtying the pages if the device may have
    /// written them).
    fn release(&mut self) {
        // Unmapped before the references go.
        self.map = ffi::MapSlot::default();
        let dirty = self.dirty.load(Relaxed);
        // SAFETY: Each entry holds one reference from gup, consumed here.
        unsafe { ffi::put_pages(&mut self.pages, dirty) };
        PAGES_HELD.sub(self.pages.len() as u64);
        self.pages.clear();
        self.pfns.clear();
    }

    /// Where the next gup writes.
    fn spare(&mut self) -> (*mut RawPage, usize) {
        let len = self.pages.len();
        let room = self.pages.capacity() - len;
        // SAFETY: `len` is within the allocation.
        (unsafe { self.pages.as_mut_ptr().add(len) }, room)
    }

    /// Number of pages held.
    pub(crate) fn len(&self) -> usize {
        self.pages.len()
    }

    /// Pfns in object order.
    pub(crate) fn pfns(&self) -> &[usize] {
        &self.pfns
    }

    /// Page pointers in object order.
    pub(crate) fn pages(&self) -> &[RawPage] {
        &self.pages
    }

    /// The device may write these pages: dirty them when they are released
    /// (unless they were taken read-only: nothing may write them).
    pub(crate) fn mark_dirty(&self) {
        if !self.read_only {
            self.dirty.store(true, Relaxed);
        }
    }

    /// Map the pages for the engine, once (may sleep).
    pub(crate) fn ensure_map(&self) {
        // SAFETY: The pages stay referenced until `release`, which unmaps
        // first. A READ_ONLY userptr's are mapped read-only.
        unsafe { self.map.ensure(&self.pages, !self.read_only) }
    }

    /// The engine's mapping, if made.
    pub(crate) fn map(&self) -> &ffi::MapSlot {
        &self.map
    }

    /// No request that has not started yet may run on these pages.
    fn revoke(&self) {
        self.revoked.store(true, Release);
    }

    /// Whether an invalidation gave up waiting for requests on these pages.
    pub(crate) fn is_revoked(&self) -> bool {
        self.revoked.load(Acquire)
    }
}

impl Drop for PageVec {
    fn drop(&mut self) {
        self.release();
    }
}

/// The pages lock's contents: the pages with the worker state, and the
/// record of everything they are handed out to.
struct Locked {
    state: PagesState<Arc<PageVec>>,
    exposure: Exposure<Pin<KBox<RevokeWork>>, Arc<PageVec>>,
}

/// How [`Userptr::get_pages`] takes pages when the object holds none.
#[derive(Clone, Copy)]
pub(crate) enum Miss {
    /// The lockless fast grab (current mm only), committed only if no
    /// invalidation started since [`Userptr::read_begin`] returned this
    /// sequence; else the worker. The caller read it before taking any lock
    /// (`read_begin` sleeps while an invalidation of the range runs).
    Fast(Option<usize>),
    /// The worker at once: the caller could not read a sequence (it holds
    /// the reservation lock, under which no one may wait for an
    /// invalidation).
    Worker,
}

/// Userptr part of a GEM object.
#[pin_data]
pub(crate) struct Userptr {
    start: usize,
    npages: usize,
    mm: ARef<Mm>,
    synchronized: bool,
    /// READ_ONLY (`uapi=2021`): pages are taken without write access, and
    /// nothing of the device writes them (engine writes fail the request,
    /// relocations into the object are EFAULT, no mapping exists).
    read_only: bool,
    /// Serialises the lazy notifier insert of an UNSYNCHRONIZED object on
    /// PRIME export (taken before `mmap_lock`, never under a driver lock).
    #[pin]
    export_lock: Mutex<()>,
    /// A notifier insert has begun (set before it): from then on a
    /// `get_pages` or request that read no sequence cannot know whether an
    /// invalidation passed it by, so it must not commit.
    listening: Atomic<bool>,
    /// The notifier is inserted (set after the insert succeeded).
    inserted: Atomic<bool>,
    back: ffi::GemBackPtr,
    #[pin]
    pub(crate) notifier: ffi::IntervalNotifier,
    #[pin]
    locked: Mutex<Locked>,
    /// Signalled (with the pages lock) when a gup worker has finished.
    #[pin]
    worker_finished: CondVar,
}

// SAFETY: The embedded C notifier is only touched by the MMU notifier core
// (its own locking) and by `attach`/`teardown`, which are serialised by the
// object's life cycle; everything else is behind the pages `Mutex` or atomic.
unsafe impl Send for Userptr {}
// SAFETY: See above.
unsafe impl Sync for Userptr {}

impl Userptr {
    /// A userptr over `[start, start + size)` of `mm` (the caller's mm).
    pub(crate) fn new(
        start: u64,
        size: u64,
        mm: ARef<Mm>,
        synchronized: bool,
        read_only: bool,
    ) -> Result<Pin<KBox<Self>>> {
        let start = usize::try_from(start)?;
        let npages = usize::try_from(size)? >> kernel::page::PAGE_SHIFT;
        KBox::pin_init(
            pin_init!(Self {
                start,
                npages,
                mm,
                synchronized,
                read_only,
                export_lock <- kernel::new_mutex!((), "vi915_userptr_export"),
                listening: Atomic::new(false),
                inserted: Atomic::new(false),
                back: ffi::GemBackPtr::new(),
                notifier <- ffi::IntervalNotifier::new(),
                locked <- kernel::new_mutex!(
                    Locked {
                        state: PagesState::new(),
                        exposure: Exposure::new(),
                    },
                    "vi915_userptr_pages"
                ),
                worker_finished <- kernel::new_condvar!("vi915_userptr_worker"),
            }),
            GFP_KERNEL,
        )
    }

    /// Step 1b: link to the GEM object and start listening for invalidations.
    pub(crate) fn attach(&self, obj: &Vi915Gem) -> Result {
        self.back.set(obj);
        if self.synchronized {
            self.listening.store(true, Release);
            self.notifier.insert(
                &self.mm,
                self.start,
                self.npages << kernel::page::PAGE_SHIFT,
            )?;
            self.inserted.store(true, Release);
        }
        Ok(())
    }

    /// Give an UNSYNCHRONIZED object an MMU notifier (PRIME export). From
    /// ioctl context, no driver lock held: the insert may take `mmap_lock`.
    pub(crate) fn ensure_notifier(&self) -> Result {
        // A concurrent export waits until the notifier is really in.
        let _guard = self.export_lock.lock();
        if self.inserted.load(Acquire) {
            return Ok(());
        }
        // The owner's mm may be gone (the exporter can be another process):
        // then no invalidation can ever come and none is needed.
        let Some(mm) = self.mm.mmget_not_zero() else {
            return Ok(());
        };
        // Before the insert: once it is in, invalidations happen that a
        // `get_pages` which read no sequence would not see.
        self.listening.store(true, Release);
        if let Err(e) =
            self.notifier
                .insert(&mm, self.start, self.npages << kernel::page::PAGE_SHIFT)
        {
            // Never inserted, so no invalidation was missed: back to the
            // unsynchronized behaviour (else nothing could commit again).
            self.listening.store(false, Release);
            return Err(e);
        }
        self.inserted.store(true, Release);
        Ok(())
    }

    /// `mmu_interval_read_begin()` if the notifier is inserted. No lock that
    /// the invalidate callback takes may be held (the pages lock).
    pub(crate) fn read_begin(&self) -> Option<usize> {
        // SAFETY: Inserted (Acquire pairs with the Release after the insert)
        // and only removed by `teardown`, when no reference is left.
        self.inserted
            .load(Acquire)
            .then(|| unsafe { self.notifier.read_begin() })
    }

    /// Whether an invalidation started since `read_begin` returned `seq`.
    /// Called with the pages lock held: the callback sets the sequence under
    /// it. Without a sequence (read before any notifier was inserted) the
    /// answer is yes as soon as an insert has begun: the invalidations of a
    /// notifier inserted meanwhile could not be checked. (The pages lock
    /// orders that: an insert that began after our check runs its callbacks
    /// after we release the lock, and they find what we committed.)
    fn read_retry(&self, seq: Option<usize>) -> bool {
        match seq {
            // SAFETY: `seq` is only `Some` once the notifier was inserted,
            // see `read_begin`.
            Some(seq) => unsafe { self.notifier.read_retry(seq) },
            None => self.listening.load(Acquire),
        }
    }

    /// Execbuf, after its fence is published: whether the pages it got
    /// after `read_begin` returned `seq` are still current; if so the
    /// request is recorded as holding them (until [`Self::retire_request`]).
    /// If not, an invalidation ran before it could see the fence (so did
    /// not wait for it): the request must not run.
    pub(crate) fn publish_request(&self, seq: Option<usize>) -> bool {
        let mut g = self.locked.lock();
        if self.read_retry(seq) {
            return false;
        }
        g.exposure.request_published();
        true
    }

    /// Whether pages got after `read_begin` returned `seq` are stale (an
    /// invalidation started since). For execbuf, before it publishes.
    pub(crate) fn is_stale(&self, seq: Option<usize>) -> bool {
        let _g = self.locked.lock();
        self.read_retry(seq)
    }

    /// A request recorded by [`Self::publish_request`] retired.
    pub(crate) fn retire_request(&self) {
        self.locked.lock().exposure.request_retired();
    }

    /// `funcs->pin`: a dma-buf attachment is made (reservation lock held).
    pub(crate) fn pin_attachment(&self) {
        self.locked.lock().exposure.pin();
    }

    /// `funcs->unpin`: an attachment goes; the last one lets go of the page
    /// generations importers' sg tables were built from.
    pub(crate) fn unpin_attachment(&self) {
        let released: Released<Arc<PageVec>> = self.locked.lock().exposure.unpin();
        // Page references (and the nodes) go with the lock released.
        drop(released);
    }

    /// `get_sg_table`: an importer gets `pages` (from [`Self::get_pages`]);
    /// they stay referenced until the last attachment is unpinned, whatever
    /// invalidations happen meanwhile (a pinned importer cannot be told).
    pub(crate) fn hold_for_importer(&self, pages: &Arc<PageVec>) -> Result {
        pages.mark_dirty();
        let node = Hold::new(pages.clone())?;
        let spare = self.locked.lock().exposure.hold(node, Arc::ptr_eq);
        drop(spare);
        Ok(())
    }

    /// A busy object's pages are only released once the engine is done
    /// with them (2017 `cancel_userptr` waited for the GPU too), or after a
    /// bound: the object's last fence may be queued behind any number of
    /// other requests (one ordered engine), and an invalidation (munmap,
    /// exit, reclaim) must not wait for all of them. Whether the object went
    /// idle. No lock is held: the engine never takes one on its signalling
    /// path.
    fn wait_engine(&self) -> bool {
        let raw = self.back.raw();
        if raw.is_null() {
            return true;
        }
        // SAFETY: The object's memory is live while its notifier can run
        // (`free` removes the notifier, waiting for callbacks, first). An
        // uninterruptible wait only ends by signalling or the timeout.
        unsafe { ffi::gem_wait_raw(raw, false, Some(crate::engine::invalidation_bound_ns())) }
            .is_ok()
    }

    /// A READ_ONLY userptr (`uapi=2021`).
    pub(crate) fn read_only(&self) -> bool {
        self.read_only
    }

    /// `uapi=2021`: only the owner's process may make the device use the
    /// pages (SET_DOMAIN, EXECBUFFER2); another one gets EFAULT, as i915's
    /// `userptr_submit_init`. The 2017 worker took any process's pages.
    pub(crate) fn check_owner(&self) -> Result {
        if crate::generation::current() && !self.is_current_mm() {
            return Err(EFAULT);
        }
        Ok(())
    }

    fn is_current_mm(&self) -> bool {
        let task = kernel::current!();
        task.mm().is_some_and(|m| m.as_raw() == self.mm.as_raw())
    }

    /// Step 2: get the pages, never blocking on `mmap_lock` and never
    /// waiting for an invalidation (the caller may hold the GGTT lock or a
    /// reservation lock: a wait there would hold up every other user of
    /// them). `for_mapping` records them as exposed through CPU PTEs (the
    /// caller holds the GGTT lock and inserts them before releasing it).
    /// `miss` says how pages are taken if the object holds none.
    pub(crate) fn get_pages(
        &self,
        obj: &Vi915Gem,
        for_mapping: bool,
        miss: Miss,
    ) -> Result<Arc<PageVec>> {
        let mut revoke: Option<Pin<KBox<RevokeWork>>> = None;
        let mut fresh: Option<(UniqueArc<PageVec>, Pin<KBox<GupWork>>)> = None;
        loop {
            let mut g = self.locked.lock();
            if let Some(pages) = g.state.lookup()? {
                let pages = pages.clone();
                if for_mapping && !g.exposure.mapped() {
                    // The revoke work must be in place before any PTE is.
                    let Some(r) = revoke.take() else {
                        drop(g);
                        revoke = Some(RevokeWork::alloc()?);
                        continue;
                    };
                    // Not mapped, so the slot is taken (nothing comes back).
                    drop(g.exposure.map(r));
                }
                if for_mapping {
                    // A GTT PTE is writable: the CPU writes are the device's.
                    pages.mark_dirty();
                }
                drop(g);
                return Ok(pages);
            }
            // Nothing yet and no worker: fast path, or schedule the worker.
            let Some((mut pv, work)) = fresh.take() else {
                drop(g);
                fresh = Some((
                    PageVec::with_capacity(self.npages, self.read_only)?,
                    GupWork::alloc()?,
                ));
                continue;
            };
            // Pages the fast path grabs while an invalidation is between its
            // callback and the PTE zap are refused (`read_retry`).
            let complete = match miss {
                Miss::Fast(seq) => {
                    self.grab_fast(&mut pv);
                    pv.len() == self.npages && !self.read_retry(seq)
                }
                Miss::Worker => false,
            };
            if complete {
                g.state.commit_fast(pv.into())?;
                drop(g);
                // Unused (it holds no object reference: that is only taken
                // when a work item is queued).
                drop(work);
                continue;
            }
            pv.release();
            let token = g.state.schedule_worker();
            work.token.set(token);
            drop(g);
            work.obj.set(Some(ObjRef(obj.into())));
            ffi::with_queue(|q| {
                WORKERS_IN_FLIGHT.inc();
                q.enqueue(work);
            })
            .ok_or(ENODEV)?;
            return Err(EAGAIN);
        }
    }

    /// [`Self::get_pages`] for EXECBUFFER2: while a gup worker runs, wait for
    /// it (interruptibly, as i915 did from June 2017) and try again, instead
    /// of answering `EAGAIN`. No other lock may be held (the wait sleeps with
    /// the pages lock released).
    pub(crate) fn get_pages_wait(
        &self,
        obj: &Vi915Gem,
        seq: Option<usize>,
    ) -> Result<Arc<PageVec>> {
        loop {
            match self.get_pages(obj, false, Miss::Fast(seq)) {
                Err(e) if e == EAGAIN => {
                    let mut g = self.locked.lock();
                    while matches!(g.state.work(), WorkState::Pending(_)) {
                        if self.worker_finished.wait_interruptible(&mut g) {
                            return Err(ERESTARTSYS);
                        }
                    }
                }
                r => return r,
            }
        }
    }

    /// The seed's fast path: lockless gup of the current mm only.
    #[cfg(not(vi915_preseed))]
    fn grab_fast(&self, pv: &mut PageVec) {
        if !self.is_current_mm() {
            return;
        }
        let (ptr, room) = pv.spare();
        // SAFETY: `ptr` has room for `room` entries; gup-fast takes no lock
        // and does not allocate.
        let got = unsafe { ffi::get_user_pages_fast_only(self.start, room, !self.read_only, ptr) };
        pv.commit(got);
    }

    /// TEST-ONLY negative control (VI915_PRESEED=1): the pre-seed i915
    /// behaviour, slow gup under `mmap_read_lock` from inside get_pages, i.e.
    /// with the pages lock held and possibly from a fault holding mmap_lock.
    /// Lockdep must report it.
    #[cfg(vi915_preseed)]
    fn grab_fast(&self, pv: &mut PageVec) {
        if !self.is_current_mm() {
            return;
        }
        let task = kernel::current!();
        let Some(mm) = task.mm() else {
            return;
        };
        let _lock = mm.mmap_read_lock();
        let (ptr, room) = pv.spare();
        // SAFETY: mmap_read_lock is held; `ptr` has room for `room` entries.
        let got = unsafe { ffi::get_user_pages_remote(mm.as_raw(), self.start, room, true, ptr) };
        if let Ok(got) = got {
            pv.commit(got);
        }
    }

    /// Worker body (no lock held): slow gup of the object's mm.
    fn grab_slow(&self) -> Result<UniqueArc<PageVec>> {
        let mut pv = PageVec::with_capacity(self.npages, self.read_only)?;
        // Wait out an invalidation in progress (its callback may have run
        // before this worker was queued): gup must see the new PTEs. Later
        // invalidations clear our token, so the result is then discarded.
        let _ = self.read_begin();
        let mm = self.mm.mmget_not_zero().ok_or(EFAULT)?;
        while pv.len() < self.npages {
            let (ptr, room) = pv.spare();
            let addr = self.start + (pv.len() << kernel::page::PAGE_SHIFT);
            // SAFETY: `ptr` has room for `room` entries. The lock is taken
            // per call, and gup may drop it to wait for a fault (e.g. a
            // userfaultfd handler): an invalidation meanwhile clears our
            // token, so the result is then discarded.
            let got =
                unsafe { ffi::get_user_pages_remote_retry(&mm, addr, room, !self.read_only, ptr) };
            match got {
                Ok(0) | Err(_) => break,
                Ok(n) => pv.commit(n),
            }
        }
        drop(mm);
        if pv.len() != self.npages {
            // Short or failed (hole, VM_PFNMAP/VM_IO, ...): EFAULT, pages
            // released by `pv`'s drop.
            return Err(EFAULT);
        }
        Ok(pv)
    }

    /// Step 4: MMU notifier invalidation of (part of) our range.
    pub(crate) fn invalidate(&self, blockable: bool, set_seq: impl FnOnce()) -> bool {
        if !blockable {
            return false;
        }
        let mut g = self.locked.lock();
        set_seq();
        // Idle, cancelled worker, cleared failure: no pages, nothing exposed,
        // nothing else to do, no other lock.
        let Invalidated::Released(pages) = g.state.invalidate() else {
            return true;
        };
        // Everything the pages are handed out to, from the one record.
        let revocation = g.exposure.revoke();
        drop(g);
        if revocation.wait_engine && !self.wait_engine() {
            // Requests still queued on these pages are cancelled when the
            // engine reaches them; one already running (at most its budget)
            // writes into pages it still holds references on.
            pages.revoke();
        }
        let Some(work) = revocation.ptes else {
            // No PTE points at them; other holders keep their own references.
            drop(pages);
            return true;
        };
        // Without a queue (module unloading: no file, so no VMA maps the
        // object) the closure and the pages are dropped unrun.
        ffi::with_queue(|q| match self.back.try_get() {
            Some(obj) => {
                work.payload.set(Some((ObjRef(obj), pages)));
                q.enqueue(work);
            }
            // Being freed: no VMA maps it any more, nothing to revoke.
            None => drop(pages),
        });
        true
    }

    /// Step 5: last reference gone (called from `gem::release`).
    pub(crate) fn teardown(&self) {
        if self.inserted.xchg(false, Relaxed) {
            // SAFETY: Inserted once in `attach`; `free` is not a notifier
            // callback and holds no driver lock.
            unsafe { self.notifier.remove() };
        }
        let (pages, (revoke, held)) = {
            let mut g = self.locked.lock();
            (g.state.take_pages(), g.exposure.teardown())
        };
        drop(pages);
        drop(revoke);
        drop(held);
    }
}

/// The gup worker: slow gup of the object's mm without holding the pages lock.
#[pin_data]
pub(crate) struct GupWork {
    #[pin]
    work: Work<GupWork>,
    /// Set just before the item is queued (an unused item holds none).
    obj: Cell<Option<ObjRef>>,
    token: Cell<u64>,
}

kernel::impl_has_work! {
    impl HasWork<Self> for GupWork { self.work }
}

impl GupWork {
    fn alloc() -> Result<Pin<KBox<Self>>> {
        KBox::pin_init(
            pin_init!(Self {
                work <- kernel::new_work!("vi915_gup_work"),
                obj: Cell::new(None),
                token: Cell::new(0),
            }),
            GFP_KERNEL,
        )
    }
}

impl WorkItem for GupWork {
    type Pointer = Pin<KBox<Self>>;

    fn run(this: Pin<KBox<Self>>) {
        let obj = this.obj.take();
        if let Some(up) = obj.as_ref().and_then(|o| o.userptr()) {
            let result = up.grab_slow().map(Arc::from);
            let done = {
                let mut g = up.locked.lock();
                let done = g.state.worker_done(this.token.get(), result);
                up.worker_finished.notify_all();
                done
            };
            // Discarded pages are released here, outside the lock.
            drop(done);
        }
        WORKERS_IN_FLIGHT.dec();
        // The object reference goes here, with no lock held.
        drop(obj);
    }
}

/// Deferred revocation of GTT mappings of pages an invalidation took away.
#[pin_data]
pub(crate) struct RevokeWork {
    #[pin]
    work: Work<RevokeWork>,
    payload: Cell<Option<(ObjRef, Arc<PageVec>)>>,
}

kernel::impl_has_work! {
    impl HasWork<Self> for RevokeWork { self.work }
}

impl RevokeWork {
    fn alloc() -> Result<Pin<KBox<Self>>> {
        KBox::pin_init(
            pin_init!(Self {
                work <- kernel::new_work!("vi915_revoke_work"),
                payload: Cell::new(None),
            }),
            GFP_KERNEL,
        )
    }
}

impl WorkItem for RevokeWork {
    type Pointer = Pin<KBox<Self>>;

    fn run(this: Pin<KBox<Self>>) {
        let Some((obj, pages)) = this.payload.take() else {
            return;
        };
        {
            // Same order as SET_TILING: GGTT lock -> unmap_mapping_range.
            let mut ggtt = obj.dev().ggtt.lock();
            gem::unbind(&mut ggtt, &obj);
            ffi::unmap_mapping(&obj);
        }
        // PTEs are gone: the page references may go, then the object's.
        drop(pages);
        drop(obj);
    }
}
