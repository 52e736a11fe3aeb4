// SPDX-License-Identifier: GPL-2.0

//! Per-open DRM file and every ioctl handler (as associated functions).

use kernel::{
    drm::{
        self,
        gem::BaseObject, //
    },
    new_mutex,
    prelude::*,
    sync::{
        aref::ARef,
        Mutex, //
    },
    time::{
        Instant,
        Monotonic, //
    },
    uaccess::{
        UserPtr,
        UserSlice, //
    },
};

use crate::{
    args,
    context::{
        self,
        Contexts, //
    },
    create_ext,
    driver::{
        Vi915Device,
        Vi915Driver, //
    },
    ffi,
    gem::{
        Backing,
        KernelPages,
        Vi915Gem,
        Vi915Object, //
    },
    ggtt::GGTT_SIZE,
    query,
    uapi::{
        self,
        param, //
    },
    userptr::{
        Miss,
        Userptr, //
    },
};

/// Skylake GT2 (a real Gen9 device id IGT knows).
const CHIPSET_ID: i32 = 0x1912;

/// Largest GEM_CREATE object: 1 GiB of driver pages.
const MAX_CREATE: u64 = 1 << 30;

/// PREAD / PWRITE arguments: the kernel-backed object, the checked byte range
/// and the user address (checked by the copies). The engine is waited for.
fn rw_args(a: &uapi::GemRw, f: &DrmFile) -> Result<(ARef<Vi915Gem>, usize, usize, u64)> {
    let obj = Vi915Object::lookup(f, a.handle)?;
    let (offset, len) = args::rw_range(a.offset, a.size, obj.size())?;
    if obj.backing.fixed().is_none() {
        return Err(EINVAL);
    }
    ffi::gem_wait(&obj, true, None)?;
    obj.check_not_purged()?;
    Ok((obj, offset, len, a.data_ptr))
}

/// Per-open file data (handles live in the DRM core).
#[pin_data]
pub(crate) struct File {
    /// Its GEM contexts (0 and the ones it created).
    #[pin]
    pub(crate) contexts: Mutex<Contexts>,
}

impl drm::file::DriverFile for File {
    type Driver = Vi915Driver;

    fn open(_dev: &drm::Device<Vi915Driver>) -> Result<Pin<KBox<Self>>> {
        KBox::try_pin_init(
            try_pin_init!(Self {
                contexts <- new_mutex!(Contexts::new()?, "vi915_file_contexts"),
            }),
            GFP_KERNEL,
        )
    }
}

pub(crate) type DrmFile = drm::File<File>;

/// A zeroed object of (at least) `size` bytes and a handle to it in `f`.
fn create_object(dev: &Vi915Device, size: u64, f: &DrmFile) -> Result<(u32, u64)> {
    let size = args::gem_create_size(size, MAX_CREATE)?;
    let pages = KernelPages::alloc(size >> kernel::page::PAGE_SHIFT)?;
    let obj = Vi915Object::create(dev, size, Backing::Kernel(pages))?;
    Ok((obj.create_handle(f)?, size as u64))
}

impl File {
    /// IOCTL: GETPARAM: query device parameters (unknown ones: EINVAL).
    pub(crate) fn get_param(
        _dev: &Vi915Device,
        a: &mut uapi::GetParam,
        _f: &DrmFile,
    ) -> Result<u32> {
        let value: i32 = match a.param {
            param::CHIPSET_ID => CHIPSET_ID,
            param::HAS_GEM | param::HAS_EXECBUF2 | param::HAS_RELAXED_FENCING => 1,
            param::HAS_LLC | param::HAS_WAIT_TIMEOUT | param::HAS_USERPTR_PROBE => 1,
            param::HAS_EXEC_NO_RELOC | param::HAS_EXEC_HANDLE_LUT => 1,
            // The software engine: a blitter ring (bcs0) only.
            param::HAS_BLT => 1,
            param::NUM_FENCES_AVAIL => 32,
            // 4: MMAP_OFFSET with its CPU types, and no implicit wait on a
            // fault (uapi=2021); 1 with the 2017 fault, which waits.
            param::MMAP_GTT_VERSION => {
                if crate::generation::current() {
                    4
                } else {
                    1
                }
            }
            // 1: GEM_MMAP takes I915_MMAP_WC.
            param::MMAP_VERSION => 1,
            param::HAS_BSD | param::HAS_BSD2 | param::HAS_VEBOX => 0,
            param::HAS_EXEC_BATCH_FIRST => 1,
            // FENCE_IN / FENCE_OUT (sync_file fds in rsvd2); syncobj fences
            // (FENCE_ARRAY, the timeline-fences extension: exec_fences.rs).
            param::HAS_EXEC_FENCE | param::HAS_EXEC_FENCE_ARRAY => 1,
            param::HAS_EXEC_TIMELINE_FENCES => 1,
            // GTT mmaps map the object's own pages: always coherent.
            param::MMAP_GTT_COHERENT => 1,
            // A hung request is ended at its budget and the engine goes on
            // (engine.rs); there is no more of a GPU to reset.
            param::HAS_GPU_RESET => 1,
            // Softpin places an object in the one global GGTT (i915 answered
            // 1 on every platform since 4.5).
            param::HAS_EXEC_SOFTPIN => 1,
            // Not in vi915: one global GGTT (no PPGTT, no isolation), no
            // inter-engine semaphores (a batch's MI_SEMAPHORE_WAIT in poll
            // mode runs) or scheduler, no secure batches, submit fences or
            // capture.
            param::HAS_ALIASING_PPGTT | param::HAS_SEMAPHORES | param::HAS_SECURE_BATCHES => 0,
            param::HAS_SCHEDULER => 0,
            param::HAS_EXEC_ASYNC | param::HAS_EXEC_CAPTURE => 0,
            param::HAS_CONTEXT_ISOLATION | param::HAS_EXEC_SUBMIT_FENCE => 0,
            // No render engine, so no slices or EUs: i915 answers ENODEV
            // when it has none to report.
            param::SUBSLICE_TOTAL | param::EU_TOTAL => return Err(ENODEV),
            _ => return Err(EINVAL),
        };
        let ptr = usize::try_from(a.value).map_err(|_| EFAULT)?;
        UserSlice::new(UserPtr::from_addr(ptr), core::mem::size_of::<i32>())
            .writer()
            .write(&value)?;
        Ok(0)
    }

    /// IOCTL: GEM_THROTTLE: requests retire on their own; nothing to wait for.
    pub(crate) fn throttle(_dev: &Vi915Device, _a: &mut uapi::Empty, _f: &DrmFile) -> Result<u32> {
        Ok(0)
    }

    /// IOCTL: GEM_CREATE: an object backed by zeroed driver pages.
    pub(crate) fn gem_create(
        dev: &Vi915Device,
        a: &mut uapi::GemCreate,
        f: &DrmFile,
    ) -> Result<u32> {
        (a.handle, a.size) = create_object(dev, a.size, f)?;
        Ok(0)
    }

    /// IOCTL: GEM_CREATE_EXT: GEM_CREATE with extensions; the only one is a
    /// list of memory regions, and vi915's only region is system memory.
    pub(crate) fn gem_create_ext(
        dev: &Vi915Device,
        a: &mut uapi::GemCreateExt,
        f: &DrmFile,
    ) -> Result<u32> {
        args::create_ext_flags(a.flags)?;
        create_ext::extensions(a.extensions)?;
        (a.handle, a.size) = create_object(dev, a.size, f)?;
        Ok(0)
    }

    /// IOCTL: QUERY (query.rs).
    pub(crate) fn query(_dev: &Vi915Device, a: &mut uapi::Query, _f: &DrmFile) -> Result<u32> {
        query::query(a)
    }

    /// IOCTL: GEM_PREAD: copy object contents to user memory.
    pub(crate) fn pread(_dev: &Vi915Device, a: &mut uapi::GemRw, f: &DrmFile) -> Result<u32> {
        let (obj, offset, len, user) = rw_args(a, f)?;
        let k = obj.backing.fixed().ok_or(EINVAL)?;
        k.for_each_run(offset, len, |pages, off, n, done| {
            // SAFETY: The object (referenced by `obj`) keeps `pages` until it
            // is freed (its own, or its import's); `for_each_run` keeps `off`
            // inside the first page and `off + n` inside the run. A racing
            // write through a GTT mmap is tolerated by the C copy.
            unsafe { ffi::pages_to_user(user + done, pages, off, n) }
        })?;
        Ok(0)
    }

    /// IOCTL: GEM_PWRITE: copy user memory into the object.
    pub(crate) fn pwrite(_dev: &Vi915Device, a: &mut uapi::GemRw, f: &DrmFile) -> Result<u32> {
        let (obj, offset, len, user) = rw_args(a, f)?;
        let k = obj.backing.fixed().ok_or(EINVAL)?;
        k.for_each_run(offset, len, |pages, off, n, done| {
            // SAFETY: As in `pread`.
            unsafe { ffi::pages_from_user(pages, off, user + done, n) }
        })?;
        Ok(0)
    }

    /// IOCTL: GEM_SET_DOMAIN: validate, wait for the engine (0 after a failed
    /// request too, as i915: the error is the request's fence's), then make a
    /// userptr's pages present (EAGAIN while the gup worker runs, its sticky
    /// errno if it failed).
    pub(crate) fn set_domain(
        _dev: &Vi915Device,
        a: &mut uapi::SetDomain,
        f: &DrmFile,
    ) -> Result<u32> {
        args::set_domain(a)?;
        let obj = Vi915Object::lookup(f, a.handle)?;
        ffi::gem_wait(&obj, true, None)?;
        obj.check_not_purged()?;
        if let Some(up) = obj.userptr() {
            up.check_owner()?;
            drop(up.get_pages(&obj, false, Miss::Fast(up.read_begin()))?);
        }
        Ok(0)
    }

    /// IOCTL: GEM_USERPTR: wrap user memory in a GEM object (the rules of
    /// the uAPI generation, `generation.rs`).
    pub(crate) fn userptr(dev: &Vi915Device, a: &mut uapi::Userptr, f: &DrmFile) -> Result<u32> {
        let v = args::userptr(a)?;
        if !ffi::access_ok(v.ptr, v.size) {
            return Err(EFAULT);
        }
        let read_only = args::userptr_read_only(a);
        if crate::generation::current() {
            if v.unsynchronized {
                return Err(ENODEV);
            }
        } else {
            if read_only {
                return Err(ENODEV);
            }
            if v.unsynchronized && !ffi::capable_sys_admin() {
                return Err(EPERM);
            }
        }
        if v.probe {
            ffi::probe_range(v.ptr, v.size)?;
        }
        let task = kernel::current!();
        let mm = task.mm().ok_or(EFAULT)?;
        let up = Userptr::new(v.ptr, v.size, (&**mm).into(), !v.unsynchronized, read_only)?;
        let size = usize::try_from(v.size)?;
        let obj = Vi915Object::create(dev, size, Backing::Userptr(up))?;
        a.handle = obj.create_handle(f)?;
        Ok(0)
    }

    /// IOCTL: GEM_MMAP_GTT / GEM_MMAP_OFFSET (same number; the short struct
    /// is zero-extended by the DRM core): fake offset for a GTT mmap.
    pub(crate) fn mmap_offset(
        _dev: &Vi915Device,
        a: &mut uapi::MmapOffset,
        f: &DrmFile,
    ) -> Result<u32> {
        // As i915: the chain is read (an unreadable link is EFAULT), and
        // MMAP_OFFSET defines no extension (any link is EINVAL).
        crate::create_ext::walk(a.extensions, |_, _| Err(EINVAL))?;
        let ty = args::mmap_offset(a)?;
        let obj = Vi915Object::lookup(f, a.handle)?;
        a.offset = crate::mmap::type_offset(&obj, ty)?;
        Ok(0)
    }

    /// IOCTL: GEM_MMAP: map `size` bytes from `offset` of the object (WB, or
    /// WC with `I915_MMAP_WC`) into the caller, as i915 does with `vm_mmap`:
    /// here of the DRM file at the object's fake offset plus `offset`, so it
    /// is the same VMA, fault path and revocation as MMAP_OFFSET (the
    /// device's `mmap` maps from any page of an object). The range must lie
    /// inside the object, as i915's `range_overflows` check; an offset
    /// inside a page is `vm_mmap`'s EINVAL, as in i915. A userptr has no CPU
    /// mmap types: ENXIO, i915's answer for an object without a backing
    /// file.
    pub(crate) fn gem_mmap(_dev: &Vi915Device, a: &mut uapi::GemMmap, f: &DrmFile) -> Result<u32> {
        let ty = args::gem_mmap(a.flags)?;
        let obj = Vi915Object::lookup(f, a.handle)?;
        if obj.userptr().is_some() {
            return Err(ENXIO);
        }
        let size = crate::gem::size_u64(&obj);
        if a.size == 0 || a.offset >= size || a.size > size - a.offset {
            return Err(EINVAL);
        }
        let offset = crate::mmap::type_offset(&obj, ty)?;
        let at = offset.checked_add(a.offset).ok_or(EINVAL)?;
        a.addr_ptr = crate::ffi::vm_mmap(f, at, a.size)?;
        Ok(0)
    }

    /// IOCTL: GEM_SET_CACHING (level checked before the handle, as i915).
    pub(crate) fn set_caching(
        _dev: &Vi915Device,
        a: &mut uapi::GemCaching,
        f: &DrmFile,
    ) -> Result<u32> {
        let level = args::caching(a.caching)?;
        Vi915Object::lookup(f, a.handle)?.set_caching(level)?;
        Ok(0)
    }

    /// IOCTL: GEM_GET_CACHING.
    pub(crate) fn get_caching(
        _dev: &Vi915Device,
        a: &mut uapi::GemCaching,
        f: &DrmFile,
    ) -> Result<u32> {
        a.caching = Vi915Object::lookup(f, a.handle)?.caching();
        Ok(0)
    }

    /// IOCTL: GEM_SET_TILING: change tiling under the GGTT lock; a change
    /// unbinds the object and revokes every CPU mapping of it (which may
    /// invalidate userptrs whose range holds such a mapping).
    pub(crate) fn set_tiling(
        dev: &Vi915Device,
        a: &mut uapi::SetTiling,
        f: &DrmFile,
    ) -> Result<u32> {
        let t = args::set_tiling(a.tiling_mode, a.stride)?;
        let obj = Vi915Object::lookup(f, a.handle)?;
        // Modern i915: a userptr's layout is its owner's (ENXIO).
        if obj.userptr().is_some() && crate::generation::current() {
            return Err(ENXIO);
        }
        {
            let mut ggtt = dev.ggtt.lock();
            if obj.set_tiling(t) {
                crate::gem::unbind(&mut ggtt, &obj);
                ffi::unmap_mapping(&obj);
            }
        }
        a.tiling_mode = t.mode;
        a.stride = t.stride;
        a.swizzle_mode = 0;
        Ok(0)
    }

    /// IOCTL: GEM_GET_TILING.
    pub(crate) fn get_tiling(
        _dev: &Vi915Device,
        a: &mut uapi::GetTiling,
        f: &DrmFile,
    ) -> Result<u32> {
        let obj = Vi915Object::lookup(f, a.handle)?;
        a.tiling_mode = obj.tiling().mode;
        a.swizzle_mode = 0;
        a.phys_swizzle_mode = 0;
        Ok(0)
    }

    /// IOCTL: GEM_GET_APERTURE: GGTT size and what is not bound.
    pub(crate) fn get_aperture(
        dev: &Vi915Device,
        a: &mut uapi::GetAperture,
        _f: &DrmFile,
    ) -> Result<u32> {
        let used = dev.ggtt.lock().used();
        a.aper_size = GGTT_SIZE;
        a.aper_available_size = GGTT_SIZE - used;
        Ok(0)
    }

    /// IOCTL: GEM_CONTEXT_CREATE(_EXT) (see `context.rs`).
    pub(crate) fn context_create(
        _dev: &Vi915Device,
        a: &mut uapi::ContextCreate,
        f: &DrmFile,
    ) -> Result<u32> {
        a.ctx_id = context::create(&f.inner().contexts, a)?;
        Ok(0)
    }

    /// IOCTL: GEM_CONTEXT_DESTROY.
    pub(crate) fn context_destroy(
        _dev: &Vi915Device,
        a: &mut uapi::ContextDestroy,
        f: &DrmFile,
    ) -> Result<u32> {
        context::destroy(&f.inner().contexts, a)?;
        Ok(0)
    }

    /// IOCTL: GEM_CONTEXT_GETPARAM.
    pub(crate) fn context_getparam(
        _dev: &Vi915Device,
        a: &mut uapi::ContextParam,
        f: &DrmFile,
    ) -> Result<u32> {
        context::get_param(&f.inner().contexts, a)?;
        Ok(0)
    }

    /// IOCTL: GEM_CONTEXT_SETPARAM.
    pub(crate) fn context_setparam(
        _dev: &Vi915Device,
        a: &mut uapi::ContextParam,
        f: &DrmFile,
    ) -> Result<u32> {
        context::set_param(&f.inner().contexts, a)?;
        Ok(0)
    }

    /// IOCTL: GEM_WAIT: wait for the object's requests; `timeout_ns < 0`
    /// forever, 0 polls; `ETIME` on timeout, the time left written back. A
    /// failed request is waited for like any other (0, as i915 answers after
    /// a hang: the error is the request's fence's).
    pub(crate) fn gem_wait(_dev: &Vi915Device, a: &mut uapi::GemWait, f: &DrmFile) -> Result<u32> {
        if a.flags != 0 {
            return Err(EINVAL);
        }
        let obj = Vi915Object::lookup(f, a.bo_handle)?;
        if a.timeout_ns == 0 {
            if !ffi::gem_idle(&obj, false) {
                return Err(ETIME);
            }
        } else {
            let timeout = u64::try_from(a.timeout_ns).ok();
            let start = Instant::<Monotonic>::now();
            match ffi::gem_wait(&obj, true, timeout) {
                Ok(left) => {
                    if let Some(t) = timeout {
                        a.timeout_ns = i64::try_from(left.min(t)).unwrap_or(0);
                    }
                }
                Err(e) => {
                    // The time left goes back on every return, as i915
                    // does: an interrupted wait (ERESTARTSYS, EINTR to
                    // userspace) is restarted by drmIoctl with what we
                    // write here, so a signal must not restart the clock.
                    if let Some(t) = timeout {
                        let spent = u64::try_from(start.elapsed().as_nanos()).unwrap_or(0);
                        let left = if e == ETIME {
                            0
                        } else {
                            t.saturating_sub(spent)
                        };
                        a.timeout_ns = i64::try_from(left).unwrap_or(0);
                    }
                    return Err(e);
                }
            }
        }
        Ok(0)
    }

    /// IOCTL: GEM_BUSY: i915's encoding for the copy engine (class 1): a
    /// reader bit `1 << (16 + 1)`, plus `1 + 1` in the low word for a writer.
    /// Only the engine's requests count, as only i915's own do in i915 (an
    /// import's foreign fences are not the engine being busy).
    pub(crate) fn gem_busy(_dev: &Vi915Device, a: &mut uapi::GemBusy, f: &DrmFile) -> Result<u32> {
        const COPY_CLASS: u32 = 1;
        let obj = Vi915Object::lookup(f, a.handle)?;
        a.busy = 0;
        if ffi::gem_busy_own(&obj, true) {
            a.busy |= COPY_CLASS + 1;
        }
        if ffi::gem_busy_own(&obj, false) {
            a.busy |= 1 << (16 + COPY_CLASS);
        }
        Ok(0)
    }

    /// IOCTL: GEM_MADVISE: record whether the object's contents are still
    /// needed; DONTNEED purges an idle GEM_CREATE object (`madvise.rs`).
    pub(crate) fn madvise(
        _dev: &Vi915Device,
        a: &mut uapi::GemMadvise,
        f: &DrmFile,
    ) -> Result<u32> {
        crate::madvise::check(a.madv)?;
        let obj = Vi915Object::lookup(f, a.handle)?;
        a.retained = u32::from(crate::madvise::advise(&obj, a.madv));
        Ok(0)
    }

    /// IOCTL: GEM_EXECBUFFER2: run a batch on the software blitter (see
    /// `execbuf.rs`).
    pub(crate) fn execbuffer2(
        dev: &Vi915Device,
        a: &mut uapi::Execbuffer2,
        f: &DrmFile,
    ) -> Result<u32> {
        crate::execbuf::execbuffer2(dev, a, f)?;
        Ok(0)
    }
}
