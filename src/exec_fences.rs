// SPDX-License-Identifier: GPL-2.0

//! EXECBUFFER2's syncobj fences, as i915 reads them: `I915_EXEC_FENCE_ARRAY`
//! (binary syncobjs) and the timeline-fences extension (a syncobj and a
//! point each). They are read before the context is looked up; the waits
//! join the request's in-fences (waited for within its budget), and the
//! syncobjs to signal get the request's fence once it is queued and not
//! cancelled (a failed or cancelled call signals none).
//!
//! An entry's flags are WAIT and SIGNAL (anything else `EINVAL`); its
//! handle must name a syncobj of the file (`ENOENT`, whatever the flags).
//! * Fence array: WAIT on a syncobj without a fence is `EINVAL`.
//! * Timeline: WAIT on a point that is not there yet (no fence, a binary
//!   syncobj's fence, a timeline short of it) is `EINVAL`; WAIT and SIGNAL
//!   of the same nonzero point `EINVAL`; a SIGNAL of a nonzero point adds
//!   that point (its chain link allocated here, so signalling cannot fail),
//!   of point 0 replaces the fence. As in i915, the request also waits for
//!   whatever fence an entry found (the point's, else the syncobj's).
//!
//! A call names at most [`MAX_ENTRIES`] entries (array and every extension
//! together; more is `EINVAL`): each signal of a timeline point walks the
//! syncobj's chain of unsignalled points (`drm_syncobj_add_point`), so one
//! call's signals cost the square of its points. i915 has no limit of its
//! own (its array allocation fails past about 10^5 entries). Every entry
//! yields, and the parse gives up on a signal.

use kernel::prelude::*;

use crate::{
    args::SyncobjFences,
    create_ext,
    ffi::{
        self,
        ChainLink,
        InFence,
        Syncobj,
        SyncobjFence, //
    },
    file::DrmFile,
    gem,
    uapi::{
        self,
        exec, //
    },
};

/// A syncobj to signal, at `point` through `chain` (timeline), else with a
/// new fence.
struct Signal {
    syncobj: Syncobj,
    chain: Option<ChainLink>,
    point: u64,
}

/// Entries of one call, in all: twice the largest IGT sends
/// (`gem_exec_fence@syncobj-repeat`, 4096).
pub(crate) const MAX_ENTRIES: u64 = 8192;

/// A call's syncobj fences.
pub(crate) struct ExecFences {
    waits: KVVec<InFence>,
    signals: KVVec<Signal>,
    /// Entries read so far (array and every extension).
    entries: u64,
}

impl ExecFences {
    /// Read and resolve them (see the module documentation).
    pub(crate) fn new(f: &DrmFile, src: SyncobjFences) -> Result<Self> {
        let mut this = Self {
            waits: KVVec::new(),
            signals: KVVec::new(),
            entries: 0,
        };
        match src {
            SyncobjFences::None => (),
            SyncobjFences::Array { ptr, count } => this.array(f, ptr, count)?,
            SyncobjFences::Extensions { first } => create_ext::walk(first, |name, at| {
                if name != exec::EXT_TIMELINE_FENCES {
                    return Err(EINVAL);
                }
                this.timeline(f, create_ext::read(at)?)
            })?,
        }
        Ok(this)
    }

    /// Count one more entry: at most [`MAX_ENTRIES`]; let others run, and
    /// give up on a signal (nothing has happened yet).
    fn next_entry(&mut self) -> Result {
        self.entries += 1;
        if self.entries > MAX_ENTRIES {
            return Err(EINVAL);
        }
        ffi::cond_resched();
        if self.entries % 256 == 0 && ffi::signal_pending() {
            return Err(ERESTARTSYS);
        }
        Ok(())
    }

    fn array(&mut self, f: &DrmFile, ptr: u64, count: u32) -> Result {
        for i in 0..u64::from(count) {
            self.next_entry()?;
            let e: uapi::ExecFence = create_ext::read(element(ptr, i, SIZE)?)?;
            let (wait, signal) = flags(e.flags)?;
            let syncobj = Syncobj::find(f, e.handle)?;
            if wait {
                let SyncobjFence::Point(Some(fence)) = syncobj.fence(0) else {
                    return Err(EINVAL);
                };
                self.waits.push(fence, gem::user_gfp())?;
            }
            if signal {
                let s = Signal {
                    syncobj,
                    chain: None,
                    point: 0,
                };
                self.signals.push(s, gem::user_gfp())?;
            }
        }
        Ok(())
    }

    fn timeline(&mut self, f: &DrmFile, t: uapi::TimelineFences) -> Result {
        for i in 0..t.fence_count {
            self.next_entry()?;
            let e: uapi::ExecFence = create_ext::read(element(t.handles_ptr, i, SIZE)?)?;
            let (wait, signal) = flags(e.flags)?;
            let point: u64 = create_ext::read(element(t.values_ptr, i, 8)?)?;
            let syncobj = Syncobj::find(f, e.handle)?;
            // Without SIGNAL, a wait on nothing and any entry short of its
            // point are refused; a signalled point is no wait.
            let fence = match syncobj.fence(point) {
                SyncobjFence::Empty if wait && !signal => return Err(EINVAL),
                SyncobjFence::NoPoint(_) if !signal => return Err(EINVAL),
                SyncobjFence::Empty => None,
                SyncobjFence::NoPoint(f) => Some(f),
                SyncobjFence::Point(f) => f,
            };
            let chain = match (signal, point) {
                (true, 0) | (false, _) => None,
                (true, _) if wait => return Err(EINVAL),
                (true, _) => Some(ChainLink::new()?),
            };
            if let Some(fence) = fence {
                self.waits.push(fence, gem::user_gfp())?;
            }
            if signal {
                let s = Signal {
                    syncobj,
                    chain,
                    point,
                };
                self.signals.push(s, gem::user_gfp())?;
            }
        }
        Ok(())
    }

    /// New references to the fences to wait for, after `first` (FENCE_IN).
    pub(crate) fn waits(&self, first: Option<&InFence>) -> Result<KVVec<InFence>> {
        let n = self.waits.len() + usize::from(first.is_some());
        let mut v = KVVec::with_capacity(n, gem::user_gfp())?;
        if let Some(f) = first {
            v.push(f.clone_ref(), gem::user_gfp())?;
        }
        for f in self.waits.iter() {
            v.push(f.clone_ref(), gem::user_gfp())?;
        }
        Ok(v)
    }

    /// Signal every syncobj with the queued request's `fence` (once).
    pub(crate) fn signal(&mut self, fence: &InFence) {
        for s in self.signals.drain_all() {
            s.syncobj.signal(s.chain, fence, s.point);
            ffi::cond_resched();
        }
    }
}

/// WAIT and SIGNAL of an entry's flags; `EINVAL` for any other bit.
fn flags(f: u32) -> Result<(bool, bool)> {
    if f & !(exec::FENCE_WAIT | exec::FENCE_SIGNAL) != 0 {
        return Err(EINVAL);
    }
    Ok((f & exec::FENCE_WAIT != 0, f & exec::FENCE_SIGNAL != 0))
}

/// Bytes of an exec fence in user memory.
const SIZE: u64 = core::mem::size_of::<uapi::ExecFence>() as u64;

/// User address of element `i` of `size` bytes of the array at `base`.
fn element(base: u64, i: u64, size: u64) -> Result<u64> {
    i.checked_mul(size)
        .and_then(|o| base.checked_add(o))
        .ok_or(EFAULT)
}
