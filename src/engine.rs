// SPDX-License-Identifier: GPL-2.0

//! The software engine ("bcs0"): executes the batches EXECBUFFER2 submits,
//! one request at a time in submission order, on the ordered engine queue.
//!
//! # Fences and locks
//!
//! Each request has a `dma_fence` published in the reservation object of
//! every object it uses; GEM_WAIT / GEM_BUSY / SET_DOMAIN and the userptr
//! invalidation wait on those. So the path from publication to signalling
//! must never wait for anything an invalidation can hold:
//!
//! * all allocations (the request, reservation slots) happen before the
//!   fence is published (`Fence::attach` reserves under every reservation
//!   lock, then adds);
//! * the execution runs in a fence-signalling section (lockdep-annotated):
//!   it only reads and writes pages the request already holds references
//!   on (no `mmap_lock`, no pages lock, no GGTT lock, no allocation);
//! * what may block — dropping the last object references (object free
//!   removes MMU notifiers) — happens after signalling, in a retire work
//!   item on the general queue, so a retirement can never hold up the
//!   ordered engine queue behind it.
//!
//! Errors (unknown command, bad blit, an address outside the request's
//! objects, running off the batch) end the request: the fence is signalled
//! with `-EIO`, which its out-fence (a sync_file) reports. GEM_WAIT and
//! SET_DOMAIN wait for it and answer 0, as i915's do after a hang.
//!
//! A request whose userptr pages were invalidated before its fence could be
//! seen (the post-publication check) is *cancelled*, not dropped: it still
//! goes through the ordered queue and signals there without running, after
//! every earlier request. A later fence of the timeline replaces an earlier
//! one in a reservation object (`dma_resv_add_fence`), so signalling it out
//! of order would let GEM_WAIT, GEM_BUSY and an invalidation's wait pass
//! while the earlier request still runs.

use kernel::{
    prelude::*,
    sync::{
        atomic::{
            Acquire,
            Atomic,
            Relaxed,
            Release, //
        },
        Arc,
        Mutex,
        SetOnce, //
    },
    time::{
        Delta,
        Instant,
        Monotonic, //
    },
    workqueue::{
        Work,
        WorkItem, //
    },
};

use crate::{
    counter::Counter,
    ffi::{
        self,
        Awaited,
        Fence,
        ForeignFences,
        InFence,
        RawPage,
        SyncFile, //
    },
    gem::{
        Backing,
        ObjRef, //
    },
    interp,
    userptr::PageVec,
};

const PAGE_SIZE: u64 = kernel::page::PAGE_SIZE as u64;

/// Engine requests submitted and not yet retired (they hold object and
/// page references).
pub(crate) static REQUESTS_IN_FLIGHT: Counter = Counter::new();

/// The last hang (a request that ran past its budget), for
/// `i915_error_state`: written by the engine (one writer: the ordered
/// queue), read by debugfs. `seqno` 0: nothing recorded. Atomics, so that the
/// engine records it without a lock or an allocation.
pub(crate) struct HangRecord {
    seqno: Atomic<u64>,
    offset: Atomic<u64>,
    budget_ms: Atomic<u64>,
}

/// A recorded hang.
pub(crate) struct Hang {
    /// The request's seqno on the bcs0 timeline.
    pub(crate) seqno: u64,
    /// Byte offset in the batch of the command that was running.
    pub(crate) offset: u64,
    /// The budget it exceeded.
    pub(crate) budget_ms: u64,
}

impl HangRecord {
    const fn new() -> Self {
        Self {
            seqno: Atomic::new(0),
            offset: Atomic::new(0),
            budget_ms: Atomic::new(0),
        }
    }

    fn record(&self, h: Hang) {
        self.offset.store(h.offset, Relaxed);
        self.budget_ms.store(h.budget_ms, Relaxed);
        self.seqno.store(h.seqno, Release);
    }

    /// The last hang, if one was recorded since the last [`Self::clear`].
    pub(crate) fn get(&self) -> Option<Hang> {
        let seqno = self.seqno.load(Acquire);
        (seqno != 0).then(|| Hang {
            seqno,
            offset: self.offset.load(Relaxed),
            budget_ms: self.budget_ms.load(Relaxed),
        })
    }

    /// Forget it (a write to `i915_error_state`).
    pub(crate) fn clear(&self) {
        self.seqno.store(0, Release);
    }
}

/// The engine's error capture.
pub(crate) static LAST_HANG: HangRecord = HangRecord::new();

/// Engine time a request may use before it is ended with -EIO
/// (`request_budget_ms`, like i915's request expiry).
fn budget() -> Delta {
    let ms = crate::module_parameters::request_budget_ms.value();
    Delta::from_millis(i64::from(ms.max(1)))
}

/// How long a userptr invalidation waits for the object's requests: one
/// budget (a request running on its pages ends within it) and a second of
/// slack. Requests queued on the pages after that are cancelled.
pub(crate) fn invalidation_bound_ns() -> u64 {
    let ms = u64::from(crate::module_parameters::request_budget_ms.value().max(1));
    (ms + 1000) * 1_000_000
}

/// A created context's fence timeline.
pub(crate) struct Timeline {
    context: u64,
    /// Next seqno; advanced under the engine's submit lock.
    next: Atomic<u64>,
}

impl Timeline {
    /// A new timeline (a fresh dma-fence context).
    pub(crate) fn new() -> Self {
        Self {
            context: ffi::fence_context_alloc(),
            next: Atomic::new(1),
        }
    }
}

/// Engine state in the device.
#[pin_data]
pub(crate) struct Engine {
    /// bcs0's timeline (every file's default context).
    context: u64,
    /// Next seqno on bcs0's timeline (every request's number in reports and
    /// in its objects' records); held across fence creation, publication
    /// and queueing so that fences signal in seqno order, on every timeline.
    #[pin]
    submit: Mutex<u64>,
}

impl Engine {
    /// A new engine and its timeline.
    pub(crate) fn new() -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            context: ffi::fence_context_alloc(),
            submit <- kernel::new_mutex!(1, "vi915_engine_submit"),
        })
    }

    /// Publish and queue a request over `objs` (bound, pages held) running
    /// `objs[batch]` from byte `start` for `len` bytes. After the fence is
    /// published (userptr invalidations from then on wait for it), each
    /// userptr checks that its pages are still current: if one is not, the
    /// request is cancelled (queued in order, signalled unrun; `cancelled`
    /// in the result).
    ///
    /// With `deps.in_fences`, the request waits for those fences before it
    /// runs (at most its budget, which the waits count against); with
    /// `deps.fence_out`, a sync_file of its fence, made before publication,
    /// is returned with it.
    pub(crate) fn submit(
        &self,
        objs: KVVec<ReqObj>,
        batch: BatchRange,
        deps: Deps,
        timeline: Option<&Timeline>,
    ) -> Result<Submitted> {
        let BatchRange { index, start, len } = batch;
        let mut next = self.submit.lock();
        let seqno = *next;
        let fence = match timeline {
            None => Fence::new(self.context, seqno)?,
            Some(t) => Fence::new(t.context, t.next.fetch_add(1, Relaxed))?,
        };
        let out = if deps.fence_out {
            Some(SyncFile::new(&fence)?)
        } else {
            None
        };
        let mut by_gtt = KVVec::with_capacity(objs.len(), crate::gem::user_gfp())?;
        for i in 0..objs.len() {
            by_gtt.push(i, crate::gem::user_gfp())?;
        }
        by_gtt.sort_unstable_by_key(|&i| objs[i].gtt);
        let req = KBox::pin_init(
            pin_init!(Request {
                exec <- kernel::new_work!("vi915_request_exec"),
                retire <- kernel::new_work!("vi915_request_retire"),
                objs,
                by_gtt,
                batch: index,
                start,
                len,
                in_fences: deps.in_fences,
                implicit: SetOnce::new(),
                fence,
                seqno,
                cancelled: Atomic::new(false),
            }),
            GFP_KERNEL,
        )?;
        {
            let flags = crate::gem::user_gfp();
            let mut gems = KVVec::with_capacity(req.objs.len(), flags)?;
            let mut write = KVVec::with_capacity(req.objs.len(), flags)?;
            let mut implicit = KVVec::with_capacity(req.objs.len(), flags)?;
            for o in &req.objs {
                gems.push(&*o.obj.0, flags)?;
                write.push(o.write, flags)?;
                implicit.push(o.implicit, flags)?;
            }
            let deps = req.fence.attach(&gems, &write, &implicit)?;
            if !deps.is_empty() {
                let _ = req.implicit.populate(deps);
            }
        }
        // Published: from here on the fence must signal whatever happens,
        // and in seqno order.
        *next += 1;
        // Every object is asked (each valid userptr records the request).
        let mut valid = true;
        for o in req.objs.iter() {
            valid &= o.publish();
        }
        if !valid {
            req.cancelled.store(true, Relaxed);
        }
        let fence = req.fence.reference();
        REQUESTS_IN_FLIGHT.inc();
        let queued = ffi::with_slot(ffi::Slot::Engine, |q| q.enqueue::<_, 0>(req));
        // The queue exists while any file is open (module references). If
        // it did not, the request was dropped unrun: its fence signalled
        // ECANCELED on drop.
        if queued.is_none() {
            REQUESTS_IN_FLIGHT.dec();
        }
        Ok(Submitted {
            fence,
            out,
            cancelled: !valid,
        })
    }
}

/// Where a request's batch is: object index in the request, byte range.
pub(crate) struct BatchRange {
    /// Index of the batch object in the request's objects.
    pub(crate) index: usize,
    /// First byte of the batch.
    pub(crate) start: u64,
    /// Its length in bytes.
    pub(crate) len: u64,
}

/// A queued request: a reference to its fence (the context's throttle
/// waits for it), with `Deps::fence_out` its sync_file, and whether it was
/// cancelled (it signals unrun; the caller retries or answers `EAGAIN`).
pub(crate) struct Submitted {
    pub(crate) fence: InFence,
    pub(crate) out: Option<SyncFile>,
    pub(crate) cancelled: bool,
}

/// A request's fences besides its own (exec fences).
pub(crate) struct Deps {
    /// Fences to wait for before the batch runs (FENCE_IN, the waits of
    /// the fence array or timeline fences).
    pub(crate) in_fences: KVVec<InFence>,
    /// Return the request's fence as a sync_file.
    pub(crate) fence_out: bool,
}

/// One object of a request: its binding and the pages the request holds.
pub(crate) struct ReqObj {
    /// The object (a reference).
    pub(crate) obj: ObjRef,
    /// GGTT address of its binding.
    pub(crate) gtt: u64,
    /// A userptr's pages, held for the request's lifetime.
    pub(crate) user: Option<Arc<PageVec>>,
    /// A userptr's notifier sequence, read before its `get_pages`.
    pub(crate) seq: Option<usize>,
    /// Written by the request (a writer in the reservation object).
    pub(crate) write: bool,
    /// Waits for other drivers' fences in its reservation object (implicit
    /// sync); false for `EXEC_OBJECT_ASYNC`.
    pub(crate) implicit: bool,
    /// Recorded in the userptr's exposure record (undone on drop).
    published: Atomic<bool>,
}

impl ReqObj {
    /// An object of a request being built.
    pub(crate) fn new(
        obj: ObjRef,
        user: Option<Arc<PageVec>>,
        seq: Option<usize>,
        write: bool,
    ) -> Self {
        Self {
            obj,
            gtt: 0,
            user,
            seq,
            write,
            implicit: true,
            published: Atomic::new(false),
        }
    }

    /// The request's fence is published: a userptr checks its pages are
    /// still current and, if so, records the request as holding them. Any
    /// batch may write any of its objects: the pages are marked dirty.
    fn publish(&self) -> bool {
        let (Some(up), Some(pages)) = (self.obj.userptr(), &self.user) else {
            return true;
        };
        pages.mark_dirty();
        let ok = up.publish_request(self.seq);
        self.published.store(ok, Relaxed);
        ok
    }

    pub(crate) fn size(&self) -> u64 {
        crate::gem::size_u64(&self.obj)
    }

    pub(crate) fn page(&self, idx: u64) -> Result<RawPage> {
        let idx = usize::try_from(idx)?;
        let page = match (&self.user, &self.obj.backing) {
            (Some(pv), _) => pv.pages().get(idx).copied(),
            (None, backing) => backing.fixed().and_then(|f| f.page(idx)),
        };
        page.ok_or(EFAULT)
    }

    /// Map the pages for the engine's copies, once per page generation (may
    /// sleep: EXECBUFFER2 calls it before publishing the request).
    pub(crate) fn prepare_map(&self) {
        match (&self.user, &self.obj.backing) {
            (Some(pv), _) => pv.ensure_map(),
            (None, Backing::Kernel(k)) => k.ensure_map(),
            (None, _) => {}
        }
    }

    /// The mapping of the whole object, if one was made.
    pub(crate) fn mapped(&self) -> Option<ffi::Mapped<'_>> {
        let slot = match (&self.user, &self.obj.backing) {
            (Some(pv), _) => pv.map(),
            (None, Backing::Kernel(k)) => k.map(),
            (None, _) => return None,
        };
        slot.get(self.size())
    }

    /// Call `f(page, offset_in_page, range_in_buf)` over `[off, off + len)`.
    fn walk(
        &self,
        off: u64,
        len: usize,
        mut f: impl FnMut(RawPage, usize, core::ops::Range<usize>),
    ) -> Result {
        let end = off.checked_add(len as u64).ok_or(EFAULT)?;
        if end > self.size() {
            return Err(EFAULT);
        }
        let mut pos = off;
        while pos < end {
            let in_page = pos % PAGE_SIZE;
            let n = (PAGE_SIZE - in_page).min(end - pos);
            let at = (pos - off) as usize;
            f(
                self.page(pos / PAGE_SIZE)?,
                in_page as usize,
                at..at + n as usize,
            );
            pos += n;
        }
        Ok(())
    }

    /// Whether the engine may write the object: not a READ_ONLY userptr
    /// (`EACCES`: the request fails, as a write through a read-only PTE).
    pub(crate) fn writable(&self) -> Result {
        match self.obj.userptr() {
            Some(up) if up.read_only() => Err(EACCES),
            _ => Ok(()),
        }
    }

    /// Write `data` at byte `off` of the object (relocations, stores).
    pub(crate) fn write_bytes(&self, off: u64, data: &[u8]) -> Result {
        self.writable()?;
        self.walk(off, data.len(), |page, in_page, r| {
            // SAFETY: The request (or the execbuf building it) holds the
            // pages; `walk` keeps each piece inside its page.
            unsafe { ffi::page_write(page, in_page, &data[r]) }
        })
    }

    /// The dword at byte `off` (dword aligned), read whole: the CPU may be
    /// writing it (a semaphore, a spinner's condition), and a byte-wise
    /// copy could see half of the old value and half of the new.
    pub(crate) fn read_dword(&self, off: u64) -> Result<u32> {
        if off % 4 != 0 || off >= self.size() || self.size() - off < 4 {
            return Err(EFAULT);
        }
        let page = self.page(off / PAGE_SIZE)?;
        // SAFETY: The request holds the page; an aligned dword lies inside it.
        Ok(unsafe { ffi::page_read_dword(page, (off % PAGE_SIZE) as usize) })
    }

    /// Read `buf.len()` bytes at byte `off` of the object.
    pub(crate) fn read_bytes(&self, off: u64, buf: &mut [u8]) -> Result {
        let len = buf.len();
        self.walk(off, len, |page, in_page, r| {
            // SAFETY: As for `write_bytes`.
            unsafe { ffi::page_read(page, in_page, &mut buf[r]) }
        })
    }
}

impl Drop for ReqObj {
    fn drop(&mut self) {
        // Retired (or never run): the exposure record forgets the request.
        if self.published.load(Relaxed) {
            if let Some(up) = self.obj.userptr() {
                up.retire_request();
            }
        }
    }
}

/// A submitted batch.
#[pin_data]
pub(crate) struct Request {
    #[pin]
    exec: Work<Request, 0>,
    #[pin]
    retire: Work<Request, 1>,
    objs: KVVec<ReqObj>,
    /// Indices of `objs` in GGTT address order (sorted before publication).
    by_gtt: KVVec<usize>,
    batch: usize,
    start: u64,
    len: u64,
    /// Waited for before the batch runs, in order (exec fences).
    in_fences: KVVec<InFence>,
    /// Other drivers' fences in its objects' reservation objects, also
    /// waited for first (implicit sync; set once, before publication).
    implicit: SetOnce<ForeignFences>,
    fence: Fence,
    seqno: u64,
    /// Its userptr pages went stale before the fence was seen: signal in
    /// order without running.
    cancelled: Atomic<bool>,
}

kernel::impl_has_work! {
    impl HasWork<Self, 0> for Request { self.exec }
    impl HasWork<Self, 1> for Request { self.retire }
}

impl Request {
    /// An invalidation gave up waiting for this request (it was queued
    /// behind others): its userptr pages are no longer the user's, so it
    /// must not start. Lock-free (atomics): read on the signalling path.
    fn revoked(&self) -> bool {
        self.objs
            .iter()
            .any(|o| o.user.as_ref().is_some_and(|pv| pv.is_revoked()))
    }

    /// Run the batch (see `interp.rs`); on error, the failing command's
    /// batch offset.
    fn execute(&self, started: Instant<Monotonic>) -> core::result::Result<(), (Error, u64)> {
        let batch = interp::Batch {
            objs: &self.objs,
            by_gtt: &self.by_gtt,
            main: self.batch,
            start: self.start,
            len: self.len,
        };
        batch.run(started, budget())
    }
}

/// Why a request ended without running to its end.
enum Failure {
    /// A command failed (error, batch offset).
    Command(Error, u64),
    /// It ran past its budget (batch offset).
    Hung(u64),
    /// Its userptr pages were revoked while it was queued.
    Revoked,
    /// Its in-fence or an implicit one signalled with this error (another
    /// driver's errno: reported, not propagated: GEM_WAIT would hand it on
    /// as its own).
    InFence(Error),
    /// Its in-fence or an implicit one did not signal within the budget.
    InFenceTimeout,
}

impl Request {
    /// Wait for the in-fence and the implicit ones, at most the budget from
    /// `started`: the time waited counts against the request's budget, so a
    /// request still ends within one budget of the moment it reached the
    /// engine (what the userptr invalidation's bound relies on).
    fn await_in_fence(&self, started: Instant<Monotonic>) -> core::result::Result<(), Failure> {
        let left = || {
            let left = budget() - started.elapsed();
            if left.is_negative() {
                Delta::ZERO
            } else {
                left
            }
        };
        let mut awaited = Awaited::Ok;
        for f in self.in_fences.iter() {
            awaited = f.wait(left());
            if !matches!(awaited, Awaited::Ok) {
                break;
            }
        }
        if let (Awaited::Ok, Some(deps)) = (&awaited, self.implicit.as_ref()) {
            awaited = deps.wait(left);
        }
        match awaited {
            Awaited::Ok => Ok(()),
            Awaited::Failed(e) => Err(Failure::InFence(e)),
            Awaited::TimedOut => Err(Failure::InFenceTimeout),
        }
    }

    /// Run the request unless it was cancelled, revoked or its in-fence
    /// failed.
    fn run_checked(&self, started: Instant<Monotonic>) -> core::result::Result<(), Failure> {
        if self.cancelled.load(Relaxed) {
            return Ok(());
        }
        self.await_in_fence(started)?;
        let awaited = !self.in_fences.is_empty() || self.implicit.as_ref().is_some();
        if awaited && started.elapsed() > budget() {
            // Signalled, but the wait used the whole budget.
            return Err(Failure::InFenceTimeout);
        }
        let _signalling = ffi::Signalling::begin();
        if self.revoked() {
            return Err(Failure::Revoked);
        }
        self.execute(started).map_err(|(e, at)| {
            if e == ETIMEDOUT {
                Failure::Hung(at)
            } else {
                Failure::Command(e, at)
            }
        })
    }

    fn report(&self, failure: &Failure) {
        match *failure {
            Failure::Hung(at) => {
                let budget_ms = u64::from(crate::module_parameters::request_budget_ms.value());
                LAST_HANG.record(Hang {
                    seqno: self.seqno,
                    offset: at,
                    budget_ms,
                });
                pr_info!(
                    "bcs0 request {} hung: ran past its {} ms budget at batch offset {:#x}: -EIO\n",
                    self.seqno,
                    budget_ms,
                    at
                );
            }
            Failure::Revoked => pr_info!(
                "bcs0 request {} cancelled: its userptr pages were invalidated while it was queued: -EIO\n",
                self.seqno
            ),
            Failure::Command(e, at) => pr_info!(
                "bcs0 request {} failed ({}) at batch offset {:#x}: -EIO\n",
                self.seqno,
                e.to_errno(),
                at
            ),
            Failure::InFence(e) => pr_info!(
                "bcs0 request {} not run: a fence it waited for failed ({}): -EIO\n",
                self.seqno,
                e.to_errno()
            ),
            Failure::InFenceTimeout => pr_info!(
                "bcs0 request {} not run: a fence it waited for did not signal within its budget: -EIO\n",
                self.seqno
            ),
        }
    }
}

impl WorkItem<0> for Request {
    type Pointer = Pin<KBox<Self>>;

    fn run(this: Pin<KBox<Self>>) {
        let started = Instant::now();
        let result = {
            // The in-fence wait (a foreign fence, bounded) happens before
            // the signalling section; everything after it is inside.
            let result = this.run_checked(started);
            let _signalling = ffi::Signalling::begin();
            // TEST-ONLY negative control (VI915_BAD_ENGINE=1): a lock that
            // is held around fence waits (SET_TILING's invalidation) taken
            // on the signalling path. Lockdep must report it.
            #[cfg(vi915_bad_engine)]
            let _ggtt = this.objs[this.batch].obj.dev().ggtt.lock();
            // Every failure is -EIO on the fence, as i915's reset marks a
            // hung request (a foreign in-fence's -EAGAIN or -ETIME would
            // mean something else to the fence's readers).
            this.fence.signal(result.is_err().then_some(EIO));
            result
        };
        if let Err(f) = &result {
            this.report(f);
        }
        // Retire elsewhere: dropping object references may block.
        if ffi::with_queue(|q| q.enqueue::<_, 1>(this)).is_none() {
            REQUESTS_IN_FLIGHT.dec();
        }
    }
}

impl WorkItem<1> for Request {
    type Pointer = Pin<KBox<Self>>;

    fn run(this: Pin<KBox<Self>>) {
        drop(this);
        REQUESTS_IN_FLIGHT.dec();
    }
}
