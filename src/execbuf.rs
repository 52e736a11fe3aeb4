// SPDX-License-Identifier: GPL-2.0

//! EXECBUFFER2: validate, look up, get pages, bind, relocate, submit.
//!
//! Every user memory access (exec list, relocation entries, write-backs)
//! happens with no driver lock held: a user pointer may point into a GTT
//! mmap of one of our objects, whose fault takes the GGTT lock. Userptr
//! objects get their pages through the same `get_pages` as SET_DOMAIN, so
//! an execbuf answers `EAGAIN` while a gup worker runs (userspace retries,
//! as libdrm does) and the worker's errno (`EFAULT`) once it failed. The
//! write-backs (`presumed_offset`, exec `offset`) are best effort, as in i915.

use kernel::{
    drm::{
        self,
        gem::IntoGEMObject, //
    },
    prelude::*,
    sync::aref::ARef,
    transmute::{
        AsBytes,
        FromBytes, //
    },
    uaccess::{
        UserPtr,
        UserSlice, //
    },
};

use crate::{
    args,
    context::Context,
    driver::Vi915Device,
    engine::{
        BatchRange,
        Deps,
        ReqObj,
        Submitted, //
    },
    exec_fences::ExecFences,
    ffi,
    file::File,
    gem::{
        self,
        ObjRef,
        Vi915Gem,
        Vi915Object, //
    },
    uapi::{
        self,
        exec, //
    },
};

/// Read `n` structs from user memory at `ptr` (`n` is capped by the caller;
/// the vector is charged to the caller and never warns).
fn read_user<T: FromBytes + Copy>(ptr: u64, n: usize) -> Result<ffi::UserVec<T>> {
    let mut v = ffi::UserVec::with_capacity(n)?;
    if n == 0 {
        return Ok(v);
    }
    let addr = usize::try_from(ptr).map_err(|_| EFAULT)?;
    let len = n.checked_mul(core::mem::size_of::<T>()).ok_or(EINVAL)?;
    let mut r = UserSlice::new(UserPtr::from_addr(addr), len).reader();
    for i in 0..n {
        v.push(r.read::<T>()?)?;
        yield_every(i);
    }
    Ok(v)
}

/// Let others run in loops sized by user input.
fn yield_every(i: usize) {
    if i % 4096 == 4095 {
        ffi::cond_resched();
    }
}

/// Write `items` back to user memory at `ptr`. Callers ignore failures, as
/// i915 does: the write-backs only spare userspace work on the next call.
fn write_user<T: AsBytes>(ptr: u64, items: &[T]) -> Result {
    let addr = usize::try_from(ptr).map_err(|_| EFAULT)?;
    let len = core::mem::size_of_val(items);
    let mut w = UserSlice::new(UserPtr::from_addr(addr), len).writer();
    for (i, it) in items.iter().enumerate() {
        w.write(it)?;
        yield_every(i);
    }
    Ok(())
}

/// An object's relocations, their resolved target indices.
struct Relocs {
    entries: ffi::UserVec<uapi::Reloc>,
    targets: KVVec<usize>,
}

/// How relocation targets are named: list indices (HANDLE_LUT) or handles,
/// looked up in the list's handles sorted once (O(log n) per relocation).
enum Targets {
    Lut(usize),
    Handles(KVVec<(u32, usize)>),
}

impl Targets {
    fn new(list: &[uapi::ExecObject2], handle_lut: bool) -> Result<Self> {
        if handle_lut {
            return Ok(Self::Lut(list.len()));
        }
        let mut h = KVVec::with_capacity(list.len(), gem::user_gfp())?;
        for (i, eo) in list.iter().enumerate() {
            h.push((eo.handle, i), gem::user_gfp())?;
        }
        h.sort_unstable();
        Ok(Self::Handles(h))
    }

    fn find(&self, target: u32) -> Option<usize> {
        match self {
            Self::Lut(n) => Some(target as usize).filter(|i| i < n),
            Self::Handles(h) => h
                .binary_search_by_key(&target, |&(handle, _)| handle)
                .ok()
                .map(|at| h[at].1),
        }
    }
}

/// Read and check the relocations of exec object `eo` (of `size` bytes).
/// Marks the targets with a write domain as written.
fn read_relocs(
    eo: &uapi::ExecObject2,
    size: u64,
    targets: &Targets,
    written: &mut [bool],
) -> Result<Relocs> {
    let entries = read_user::<uapi::Reloc>(eo.relocs_ptr, eo.relocation_count as usize)?;
    let mut idx = KVVec::with_capacity(entries.len(), gem::user_gfp())?;
    for (i, r) in entries.iter().enumerate() {
        let t = targets.find(r.target_handle).ok_or(ENOENT)?;
        args::reloc(r, size)?;
        if r.write_domain != 0 {
            written[t] = true;
        }
        idx.push(t, gem::user_gfp())?;
        yield_every(i);
    }
    Ok(Relocs {
        entries,
        targets: idx,
    })
}

/// Apply `rel` to object `ro` (targets index `all`, the request's objects);
/// returns whether any entry changed.
fn relocate(ro: &ReqObj, rel: &mut Relocs, all: &[ReqObj]) -> Result<bool> {
    let mut changed = false;
    for (i, (r, &t)) in rel.entries.iter_mut().zip(rel.targets.iter()).enumerate() {
        let target = all[t].gtt;
        if r.presumed_offset == target {
            continue;
        }
        if !changed {
            // Nothing of the device writes a READ_ONLY userptr: for the
            // CPU writing relocations that is EFAULT at EXECBUFFER2.
            ro.writable().map_err(|_| EFAULT)?;
            // The CPU writes into the object: not while the engine reads it.
            ffi::gem_wait(&ro.obj, true, None)?;
            if let Some(pages) = &ro.user {
                pages.mark_dirty();
            }
        }
        let value = target + u64::from(r.delta);
        ro.write_bytes(r.offset, &value.to_le_bytes())?;
        r.presumed_offset = target;
        changed = true;
        yield_every(i);
    }
    Ok(changed)
}

/// The GGTT pins of a request's bindings, from binding until it is
/// published: its relocations, and the exec list written back, carry those
/// addresses (another execbuf's eviction must not hand them out meanwhile).
struct Pins<'a> {
    dev: &'a Vi915Device,
    held: KVVec<(ARef<Vi915Gem>, u64)>,
}

impl Drop for Pins<'_> {
    fn drop(&mut self) {
        let mut ggtt = self.dev.ggtt.lock();
        for (obj, start) in self.held.iter() {
            gem::unpin(&mut ggtt, obj, *start);
        }
    }
}

/// Bind every object of the request and pin the bindings, in i915's order:
/// first those already bound where they belong (so that no binding below
/// evicts them), then the softpinned ones, then the rest (eviction makes
/// room among everything unpinned).
fn bind_all<'a>(
    dev: &'a Vi915Device,
    reqobjs: &mut [ReqObj],
    list: &[uapi::ExecObject2],
) -> Result<Pins<'a>> {
    let mut pins = Pins {
        dev,
        held: KVVec::with_capacity(reqobjs.len(), gem::user_gfp())?,
    };
    let mut ggtt = dev.ggtt.lock();
    for (ro, eo) in reqobjs.iter_mut().zip(list.iter()) {
        ro.implicit = eo.flags & exec::OBJECT_ASYNC == 0;
        ro.gtt = 0;
        let pinned = eo.flags & exec::OBJECT_PINNED != 0;
        if let Some(at) = gem::pin(&mut ggtt, &ro.obj) {
            if !pinned || at == eo.offset {
                ro.gtt = at;
                pins.held.push((ro.obj.0.clone(), at), gem::user_gfp())?;
            } else {
                gem::unpin(&mut ggtt, &ro.obj, at);
            }
        }
    }
    for softpin in [true, false] {
        for (ro, eo) in reqobjs.iter_mut().zip(list.iter()) {
            if ro.gtt != 0 || (eo.flags & exec::OBJECT_PINNED != 0) != softpin {
                continue;
            }
            let at = if softpin {
                gem::bind_at(&mut ggtt, &ro.obj, eo.offset)?
            } else {
                gem::bind(&mut ggtt, &ro.obj)?
            };
            gem::pin(&mut ggtt, &ro.obj);
            ro.gtt = at;
            pins.held.push((ro.obj.0.clone(), at), gem::user_gfp())?;
        }
    }
    drop(ggtt);
    Ok(pins)
}

/// Passes of [`revalidate`] before execbuf goes on with what it has.
const REVALIDATE_PASSES: usize = 64;

/// Before relocating and publishing: get new pages for every userptr an
/// invalidation went through since its `get_pages`, until one pass finds all
/// current. Only the stale ones are fetched again, so a submitter whose
/// userptrs are invalidated every few milliseconds still gets through: what
/// remains racy is only the short way from here to the publication (the
/// post-publication check cancels, and execbuf retries, if an invalidation
/// falls into it).
fn revalidate(reqobjs: &mut [ReqObj]) -> Result {
    for _ in 0..REVALIDATE_PASSES {
        let mut stale = false;
        for ro in reqobjs.iter_mut() {
            let Some(up) = ro.obj.userptr() else {
                continue;
            };
            if up.is_stale(ro.seq) {
                stale = true;
                ro.seq = up.read_begin();
                ro.user = Some(up.get_pages_wait(&ro.obj, ro.seq)?);
            }
        }
        if !stale {
            break;
        }
        if ffi::signal_pending() {
            return Err(ERESTARTSYS);
        }
    }
    Ok(())
}

/// Submissions cancelled by a concurrent invalidation are retried in the
/// kernel this many times before `EAGAIN` reaches userspace.
const CANCEL_RETRIES: usize = 16;

/// IOCTL body, see the module documentation: one attempt, retried while the
/// engine cancels it because an invalidation raced with it. The exec fences
/// are resolved once, the syncobj ones before the context as in i915: the
/// syncobjs (`exec_fences.rs`), the in-fence (`EINVAL` if `rsvd2[31:0]` is
/// not a sync_file) and the out-fence's fd number (reserved first,
/// installed only once the request is queued, so a failed call leaves no fd
/// behind); the syncobjs are signalled then too.
pub(crate) fn execbuffer2(
    dev: &Vi915Device,
    a: &mut uapi::Execbuffer2,
    f: &drm::File<File>,
) -> Result {
    let ea = args::execbuf(a)?;
    let mut syncobjs = ExecFences::new(f, ea.syncobjs)?;
    let in_fence = ea.fence_in.map(ffi::InFence::from_fd).transpose()?;
    let ctx = f.inner().contexts.lock().get(ea.ctx_id)?;
    ctx.select_engine(ea.ring)?;
    let nonblock = ffi::file_nonblock(f);
    let mut out_fd = if ea.fence_out {
        Some(ffi::ReservedFd::new()?)
    } else {
        None
    };
    let mut tries = 0;
    loop {
        // Room in the context's queue first (throttle.rs), for every
        // attempt: a cancelled request is queued too.
        let slot = ctx.throttle(nonblock)?;
        let waits = syncobjs.waits(in_fence.as_ref())?;
        match execbuffer2_once(dev, a, &ea, (&ctx, waits), f) {
            Ok(submitted) => {
                if !submitted.cancelled {
                    syncobjs.signal(&submitted.fence);
                }
                ctx.record(slot, submitted.fence);
                if !submitted.cancelled {
                    if let (Some(fd), Some(sync)) = (out_fd.take(), submitted.out) {
                        let fd = fd.install(sync);
                        a.rsvd2 = (a.rsvd2 & 0xffff_ffff) | (u64::from(fd) << 32);
                    }
                    return Ok(());
                }
            }
            // Raced with an invalidation before the request was built.
            Err(e) if e == EAGAIN => (),
            Err(e) => return Err(e),
        }
        if tries == CANCEL_RETRIES {
            return Err(EAGAIN);
        }
        if ffi::signal_pending() {
            return Err(ERESTARTSYS);
        }
        tries += 1;
        ffi::cond_resched();
    }
}

fn execbuffer2_once(
    dev: &Vi915Device,
    a: &uapi::Execbuffer2,
    ea: &args::ExecArgs,
    (ctx, in_fences): (&Context, KVVec<ffi::InFence>),
    f: &drm::File<File>,
) -> Result<Submitted> {
    let mut list = read_user::<uapi::ExecObject2>(a.buffers_ptr, ea.count)?;
    let mut objs: KVVec<ARef<Vi915Gem>> = KVVec::with_capacity(ea.count, gem::user_gfp())?;
    let mut written = KVVec::with_capacity(ea.count, gem::user_gfp())?;
    let mut total_relocs = 0u64;
    for (i, eo) in list.iter().enumerate() {
        let obj = Vi915Object::lookup(f, eo.handle)?;
        args::exec_object(eo)?;
        obj.check_not_purged()?;
        total_relocs += u64::from(eo.relocation_count);
        if total_relocs > args::MAX_RELOCS {
            return Err(EINVAL);
        }
        objs.push(obj, gem::user_gfp())?;
        written.push(eo.flags & exec::OBJECT_WRITE != 0, gem::user_gfp())?;
        yield_every(i);
    }
    // The same object twice: sorted identities, O(n log n).
    {
        let mut ids = KVVec::with_capacity(objs.len(), gem::user_gfp())?;
        for o in objs.iter() {
            ids.push(o.as_raw() as usize, gem::user_gfp())?;
        }
        ids.sort_unstable();
        if ids.windows(2).any(|w| w[0] == w[1]) {
            return Err(EINVAL);
        }
    }
    let (start, len) = args::batch_range(
        a.batch_start_offset,
        a.batch_len,
        gem::size_u64(&objs[ea.batch]),
    )?;
    let targets = Targets::new(&list, ea.handle_lut)?;
    let mut relocs = KVVec::with_capacity(ea.count, gem::user_gfp())?;
    for (eo, obj) in list.iter().zip(objs.iter()) {
        let r = read_relocs(eo, gem::size_u64(obj), &targets, &mut written)?;
        relocs.push(r, gem::user_gfp())?;
    }

    // The request's objects with their pages (userptr: the get_pages
    // protocol, waiting for a gup worker in flight), then their bindings.
    let mut reqobjs = KVVec::with_capacity(ea.count, gem::user_gfp())?;
    for (i, (obj, &write)) in objs.iter().zip(written.iter()).enumerate() {
        let (user, seq) = match obj.userptr() {
            Some(up) => {
                up.check_owner()?;
                let seq = up.read_begin();
                (Some(up.get_pages_wait(obj, seq)?), seq)
            }
            None => (None, None),
        };
        reqobjs.push(
            ReqObj::new(ObjRef(obj.clone()), user, seq, write),
            gem::user_gfp(),
        )?;
        yield_every(i);
    }
    let pins = bind_all(dev, &mut reqobjs, &list)?;
    revalidate(&mut reqobjs)?;
    // The engine's mappings of the pages (once per page generation).
    for (i, ro) in reqobjs.iter().enumerate() {
        ro.prepare_map();
        yield_every(i);
    }

    // Relocations, unless userspace guessed every address (NO_RELOC).
    let trusted = a.flags & exec::NO_RELOC != 0
        && list
            .iter()
            .zip(reqobjs.iter())
            .all(|(eo, ro)| eo.offset == ro.gtt);
    if !trusted {
        for (ro, rel) in reqobjs.iter().zip(relocs.iter_mut()) {
            relocate(ro, rel, &reqobjs)?;
        }
    }
    for (eo, ro) in list.iter_mut().zip(reqobjs.iter()) {
        eo.offset = ro.gtt;
    }
    let batch = BatchRange {
        index: ea.batch,
        start,
        len,
    };
    let deps = Deps {
        in_fences,
        fence_out: ea.fence_out,
    };
    let submitted = dev.engine.submit(reqobjs, batch, deps, ctx.timeline())?;
    // Published: the addresses it was built with are its own now.
    drop(pins);
    // Only a request that will run tells userspace its relocations are
    // applied: after a cancellation (EAGAIN, retried) they must be applied
    // again, to the pages the userptr has then.
    if submitted.cancelled {
        return Ok(submitted);
    }
    if !trusted {
        for (eo, rel) in list.iter().zip(relocs.iter()) {
            if eo.relocation_count != 0 {
                let _ = write_user(eo.relocs_ptr, &rel.entries);
            }
        }
    }
    let _ = write_user(a.buffers_ptr, &list);
    Ok(submitted)
}
