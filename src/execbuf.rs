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
    driver::Vi915Device,
    engine::ReqObj,
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

/// Read `n` structs from user memory at `ptr`.
fn read_user<T: FromBytes>(ptr: u64, n: usize) -> Result<KVVec<T>> {
    let mut v = KVVec::with_capacity(n, GFP_KERNEL | __GFP_NOWARN)?;
    if n == 0 {
        return Ok(v);
    }
    let addr = usize::try_from(ptr).map_err(|_| EFAULT)?;
    let len = n.checked_mul(core::mem::size_of::<T>()).ok_or(EINVAL)?;
    let mut r = UserSlice::new(UserPtr::from_addr(addr), len).reader();
    for _ in 0..n {
        v.push(r.read::<T>()?, GFP_KERNEL)?;
    }
    Ok(v)
}

/// Write `items` back to user memory at `ptr`. Callers ignore failures, as
/// i915 does: the write-backs only spare userspace work on the next call.
fn write_user<T: AsBytes>(ptr: u64, items: &[T]) -> Result {
    let addr = usize::try_from(ptr).map_err(|_| EFAULT)?;
    let len = core::mem::size_of_val(items);
    let mut w = UserSlice::new(UserPtr::from_addr(addr), len).writer();
    for it in items {
        w.write(it)?;
    }
    Ok(())
}

/// An object's relocations, their resolved target indices.
struct Relocs {
    entries: KVVec<uapi::Reloc>,
    targets: KVVec<usize>,
}

/// Read and check the relocations of exec object `eo` (of `size` bytes).
/// Marks the targets with a write domain as written.
fn read_relocs(
    eo: &uapi::ExecObject2,
    size: u64,
    list: &[uapi::ExecObject2],
    handle_lut: bool,
    written: &mut [bool],
) -> Result<Relocs> {
    let entries = read_user::<uapi::Reloc>(eo.relocs_ptr, eo.relocation_count as usize)?;
    let mut targets = KVVec::with_capacity(entries.len(), GFP_KERNEL | __GFP_NOWARN)?;
    for r in entries.iter() {
        let t = if handle_lut {
            Some(r.target_handle as usize).filter(|&i| i < list.len())
        } else {
            list.iter().position(|e| e.handle == r.target_handle)
        }
        .ok_or(ENOENT)?;
        args::reloc(r, size)?;
        if r.write_domain != 0 {
            written[t] = true;
        }
        targets.push(t, GFP_KERNEL)?;
    }
    Ok(Relocs { entries, targets })
}

/// Apply `rel` to object `ro` (targets index `all`, the request's objects);
/// returns whether any entry changed (then written back).
fn relocate(ro: &ReqObj, rel: &mut Relocs, all: &[ReqObj]) -> Result<bool> {
    let mut changed = false;
    for (r, &t) in rel.entries.iter_mut().zip(rel.targets.iter()) {
        let target = all[t].gtt;
        if r.presumed_offset == target {
            continue;
        }
        if !changed {
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
    }
    Ok(changed)
}

/// IOCTL body, see the module documentation.
pub(crate) fn execbuffer2(dev: &Vi915Device, a: &uapi::Execbuffer2, f: &drm::File<File>) -> Result {
    let ea = args::execbuf(a)?;
    let mut list = read_user::<uapi::ExecObject2>(a.buffers_ptr, ea.count)?;
    let mut objs: KVec<ARef<Vi915Gem>> = KVec::with_capacity(ea.count, GFP_KERNEL)?;
    let mut written = KVec::with_capacity(ea.count, GFP_KERNEL)?;
    for eo in list.iter() {
        let obj = Vi915Object::lookup(f, eo.handle)?;
        args::exec_object(eo)?;
        if objs.iter().any(|o| o.as_raw() == obj.as_raw()) {
            return Err(EINVAL);
        }
        objs.push(obj, GFP_KERNEL)?;
        written.push(eo.flags & exec::OBJECT_WRITE != 0, GFP_KERNEL)?;
    }
    let (start, len) = args::batch_range(
        a.batch_start_offset,
        a.batch_len,
        gem::size_u64(&objs[ea.batch]),
    )?;
    let mut relocs = KVec::with_capacity(ea.count, GFP_KERNEL)?;
    for (eo, obj) in list.iter().zip(objs.iter()) {
        let r = read_relocs(eo, gem::size_u64(obj), &list, ea.handle_lut, &mut written)?;
        relocs.push(r, GFP_KERNEL)?;
    }

    // The request's objects with their pages (userptr: the get_pages
    // protocol), then their GGTT bindings.
    let mut reqobjs = KVec::with_capacity(ea.count, GFP_KERNEL)?;
    for (obj, &write) in objs.iter().zip(written.iter()) {
        let (user, seq) = match obj.userptr() {
            Some(up) => {
                let seq = up.read_begin();
                (Some(up.get_pages(obj, false)?), seq)
            }
            None => (None, None),
        };
        reqobjs.push(
            ReqObj::new(ObjRef(obj.clone()), user, seq, write),
            GFP_KERNEL,
        )?;
    }
    {
        let mut ggtt = dev.ggtt.lock();
        for ro in reqobjs.iter_mut() {
            ro.gtt = ggtt.bind(gem::ggtt_key(&ro.obj), gem::size_u64(&ro.obj))?;
        }
    }

    // Relocations, unless userspace guessed every address (NO_RELOC).
    let trusted = a.flags & exec::NO_RELOC != 0
        && list
            .iter()
            .zip(reqobjs.iter())
            .all(|(eo, ro)| eo.offset == ro.gtt);
    if !trusted {
        for ((eo, ro), rel) in list.iter().zip(reqobjs.iter()).zip(relocs.iter_mut()) {
            if relocate(ro, rel, &reqobjs)? {
                let _ = write_user(eo.relocs_ptr, &rel.entries);
            }
        }
    }
    for (eo, ro) in list.iter_mut().zip(reqobjs.iter()) {
        eo.offset = ro.gtt;
    }
    let _ = write_user(a.buffers_ptr, &list);

    dev.engine.submit(reqobjs, ea.batch, start, len)
}
