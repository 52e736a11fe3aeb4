// SPDX-License-Identifier: GPL-2.0

//! GEM objects: kernel-backed (GEM_CREATE) or userptr. Both share the same
//! functions table (installed by [`ffi::install_funcs`]): our `free`, the
//! `mmap` check, the GTT fault `vm_ops` and `get_sg_table`.

use kernel::{
    drm::{
        self,
        gem::{
            self,
            BaseObject, //
        },
    },
    prelude::*,
    sync::{
        aref::ARef,
        atomic::{
            Atomic,
            Relaxed, //
        },
    },
};

use crate::{
    args::Tiling,
    counter::Counter,
    driver::{
        Vi915Device,
        Vi915Driver, //
    },
    ffi::{
        self,
        OwnedPage, //
    },
    file::File,
    ggtt::Ggtt,
    userptr::Userptr,
};

/// Live GEM objects of this driver, userptr included.
pub(crate) static OBJECTS: Counter = Counter::new();
/// Live userptr objects.
pub(crate) static USERPTR_OBJECTS: Counter = Counter::new();
/// Bytes of live GEM objects (debugfs `i915_gem_objects`).
pub(crate) static OBJECT_BYTES: Counter = Counter::new();

/// Allocation flags for anything sized by user input: charged to the
/// caller's memory cgroup, and an impossible size is `ENOMEM`, not a kernel
/// warning. Use with the `KVVec` (kvmalloc) vectors.
pub(crate) fn user_gfp() -> kernel::alloc::Flags {
    GFP_KERNEL_ACCOUNT | __GFP_NOWARN
}

/// The GEM object type of the driver.
pub(crate) type Vi915Gem = gem::Object<Vi915Object>;

/// Pages allocated by the driver for a GEM_CREATE object (zeroed), plus
/// their pfns for GTT faults.
pub(crate) struct KernelPages {
    pub(crate) pages: KVVec<OwnedPage>,
    pub(crate) pfns: KVVec<usize>,
    /// The engine's mapping of the pages (made by EXECBUFFER2).
    map: ffi::MapSlot,
}

impl Drop for KernelPages {
    fn drop(&mut self) {
        // Unmapped before the pages are freed.
        self.map = ffi::MapSlot::default();
    }
}

impl KernelPages {
    /// Allocate `n` zeroed pages.
    pub(crate) fn alloc(n: usize) -> Result<Self> {
        // Up to 2 MiB per vector (1 GiB objects): do not insist on kmalloc.
        let mut pages = KVVec::with_capacity(n, user_gfp())?;
        let mut pfns = KVVec::with_capacity(n, user_gfp())?;
        for i in 0..n {
            let page = OwnedPage::alloc()?;
            // SAFETY: We own `page`.
            let pfn = unsafe { ffi::page_to_pfn(ffi::owned_page_ptr(&page)) };
            pfns.push(pfn, user_gfp())?;
            pages.push(page, user_gfp())?;
            if i % 1024 == 1023 {
                ffi::cond_resched();
            }
        }
        Ok(Self {
            pages,
            pfns,
            map: ffi::MapSlot::default(),
        })
    }

    /// Map the pages for the engine, once (may sleep).
    pub(crate) fn ensure_map(&self) {
        // SAFETY: The pages are ours until `self` is dropped, which unmaps
        // first.
        unsafe { self.map.ensure(OwnedPage::raw_slice(&self.pages), true) }
    }

    /// The engine's mapping, if made.
    pub(crate) fn map(&self) -> &ffi::MapSlot {
        &self.map
    }
}

/// Pages that stay put while the object lives: a GEM_CREATE object's own, or
/// an imported dma-buf's (its attachment keeps them until the object is
/// freed). PREAD / PWRITE, the engine and GTT faults use them directly.
#[derive(Clone, Copy)]
pub(crate) enum Fixed<'a> {
    /// GEM_CREATE.
    Own(&'a KernelPages),
    /// PRIME import of another driver's buffer.
    Import(&'a ffi::ImportedPages),
}

impl Fixed<'_> {
    /// Page `idx` of the object.
    pub(crate) fn page(self, idx: usize) -> Option<ffi::RawPage> {
        match self {
            Fixed::Own(k) => k.pages.get(idx).map(ffi::owned_page_ptr),
            Fixed::Import(i) => i.page(idx),
        }
    }

    /// Call `f(pages, offset_in_first, len, done)` for runs of up to
    /// [`ffi::RW_RUN`] pages covering the byte range `[offset, offset +
    /// len)`, in order, `done` being the bytes before that run (PREAD /
    /// PWRITE).
    pub(crate) fn for_each_run(
        self,
        offset: usize,
        len: usize,
        mut f: impl FnMut(&[ffi::RawPage], usize, usize, u64) -> Result,
    ) -> Result {
        let page_size = kernel::page::PAGE_SIZE;
        let (mut pos, end) = (offset, offset.checked_add(len).ok_or(EINVAL)?);
        let mut run = [core::ptr::null_mut(); ffi::RW_RUN];
        while pos < end {
            let (first, off) = (pos / page_size, pos % page_size);
            let n = (ffi::RW_RUN * page_size - off).min(end - pos);
            let count = (off + n).div_ceil(page_size);
            for (i, slot) in run.iter_mut().take(count).enumerate() {
                *slot = self.page(first + i).ok_or(EINVAL)?;
            }
            f(&run[..count], off, n, (pos - offset) as u64)?;
            pos += n;
        }
        Ok(())
    }
}

/// What backs an object.
pub(crate) enum Backing {
    /// GEM_CREATE: driver pages.
    Kernel(KernelPages),
    /// USERPTR: user memory, see `userptr.rs`.
    Userptr(Pin<KBox<Userptr>>),
    /// PRIME import of another driver's dma-buf: the exporter's pages.
    Import(ffi::ImportedPages),
}

impl Backing {
    /// The object's pages if they never move (everything but a userptr).
    pub(crate) fn fixed(&self) -> Option<Fixed<'_>> {
        match self {
            Backing::Kernel(k) => Some(Fixed::Own(k)),
            Backing::Import(i) => Some(Fixed::Import(i)),
            Backing::Userptr(_) => None,
        }
    }
}

/// Per-object driver data.
#[pin_data]
pub(crate) struct Vi915Object {
    pub(crate) backing: Backing,
    /// `I915_TILING_*`; changed under the GGTT lock.
    tiling: Atomic<u32>,
    /// Stride for X/Y tiling; changed under the GGTT lock.
    stride: Atomic<u32>,
    /// GGTT address of the binding, 0 if unbound; changed under the GGTT lock.
    gtt: Atomic<u64>,
    /// GEM_MADVISE state (`madvise.rs`); changed under the GGTT lock.
    madv: Atomic<u32>,
    /// `I915_CACHING_*` that GET_CACHING reports (SET_CACHING of a GEM_CREATE
    /// object; a software device has one coherent memory, so nothing else
    /// depends on it).
    caching: Atomic<u32>,
}

impl gem::DriverObject for Vi915Object {
    type Driver = Vi915Driver;
    type Args = Backing;

    fn new(_dev: &Vi915Device, _size: usize, backing: Backing) -> impl PinInit<Self, Error> {
        try_pin_init!(Vi915Object {
            backing,
            tiling: Atomic::new(0),
            stride: Atomic::new(0),
            gtt: Atomic::new(0),
            madv: Atomic::new(crate::madvise::WILLNEED),
            caching: Atomic::new(crate::uapi::CACHING_CACHED),
        })
    }
}

/// A reference to an object that may cross threads (work items).
pub(crate) struct ObjRef(pub(crate) ARef<Vi915Gem>);

// SAFETY: GEM objects are refcounted with atomics and their driver data is
// `Send + Sync` (`DriverObject` bound); the raw `drm_gem_object` is only used
// through thread-safe C APIs (same justification as `shmem::Object`).
unsafe impl Send for ObjRef {}
// SAFETY: See above.
unsafe impl Sync for ObjRef {}

impl core::ops::Deref for ObjRef {
    type Target = Vi915Gem;

    fn deref(&self) -> &Vi915Gem {
        &self.0
    }
}

impl Vi915Object {
    /// Create an object of `size` bytes with `backing`; not yet visible.
    pub(crate) fn create(
        dev: &Vi915Device,
        size: usize,
        backing: Backing,
    ) -> Result<ARef<Vi915Gem>> {
        let obj = Vi915Gem::new(dev, size, backing)?;
        ffi::install_funcs(&obj)?;
        // From here on our `free` (gem::release) undoes the counters.
        OBJECTS.inc();
        OBJECT_BYTES.add(size as u64);
        if let Some(up) = obj.userptr() {
            USERPTR_OBJECTS.inc();
            up.attach(&obj)?;
        }
        Ok(obj)
    }

    /// Look up a handle of `file`.
    pub(crate) fn lookup(file: &drm::File<File>, handle: u32) -> Result<ARef<Vi915Gem>> {
        Vi915Gem::lookup_handle(file, handle)
    }

    /// The userptr part, if this is a userptr object.
    pub(crate) fn userptr(&self) -> Option<&Userptr> {
        match &self.backing {
            Backing::Userptr(up) => Some(up),
            Backing::Kernel(_) | Backing::Import(_) => None,
        }
    }

    /// Current tiling.
    pub(crate) fn tiling(&self) -> Tiling {
        Tiling {
            mode: self.tiling.load(Relaxed),
            stride: self.stride.load(Relaxed),
        }
    }

    /// Whether GEM_MADVISE purged its contents (`madvise.rs`).
    pub(crate) fn purged(&self) -> bool {
        self.madv.load(Relaxed) == crate::madvise::PURGED
    }

    /// `EFAULT` for a purged object, as i915's get_pages answers.
    pub(crate) fn check_not_purged(&self) -> Result {
        if self.purged() {
            Err(EFAULT)
        } else {
            Ok(())
        }
    }

    /// Record GEM_MADVISE advice (call with the GGTT lock held).
    pub(crate) fn set_madv(&self, madv: u32) {
        self.madv.store(madv, Relaxed);
    }

    /// The caching level GET_CACHING reports.
    pub(crate) fn caching(&self) -> u32 {
        self.caching.load(Relaxed)
    }

    /// SET_CACHING: a userptr's caching is its owner's (CACHED, as i915 keeps
    /// it on LLC parts): asking for it is a no-op, anything else ENXIO.
    pub(crate) fn set_caching(&self, level: u32) -> Result {
        if self.userptr().is_some() {
            return match level {
                crate::uapi::CACHING_CACHED => Ok(()),
                _ => Err(ENXIO),
            };
        }
        self.caching.store(level, Relaxed);
        Ok(())
    }

    /// Change tiling (call with the GGTT lock held); returns whether it changed.
    pub(crate) fn set_tiling(&self, t: Tiling) -> bool {
        let old = self.tiling();
        self.tiling.store(t.mode, Relaxed);
        self.stride.store(t.stride, Relaxed);
        old != t
    }
}

/// Build our functions table once, at load, from a throwaway object (the
/// Rust default table it copies is private), so that no two first objects
/// can race to populate it.
pub(crate) fn init_funcs(dev: &Vi915Device) -> Result {
    let pages = KernelPages::alloc(1)?;
    let obj = Vi915Object::create(dev, kernel::page::PAGE_SIZE, Backing::Kernel(pages))?;
    drop(obj);
    Ok(())
}

/// Bind `obj` in the GGTT (call with the GGTT lock held); its address.
pub(crate) fn bind(ggtt: &mut Ggtt, obj: &Vi915Gem) -> Result<u64> {
    ggtt.bind(&obj.gtt, size_u64(obj))
}

/// Bind `obj` at `offset` (softpin, see [`Ggtt::bind_at`]; call with the
/// GGTT lock held).
pub(crate) fn bind_at(ggtt: &mut Ggtt, obj: &Vi915Gem, offset: u64) -> Result<u64> {
    ggtt.bind_at(&obj.gtt, offset, size_u64(obj))
}

/// Pin `obj`'s binding, if bound (see [`Ggtt::pin`]; GGTT lock held).
pub(crate) fn pin(ggtt: &mut Ggtt, obj: &Vi915Gem) -> Option<u64> {
    ggtt.pin(&obj.gtt)
}

/// Drop a pin [`pin`] took at `start` (GGTT lock held).
pub(crate) fn unpin(ggtt: &mut Ggtt, obj: &Vi915Gem, start: u64) {
    ggtt.unpin(&obj.gtt, start)
}

/// Unbind `obj` from the GGTT (call with the GGTT lock held).
pub(crate) fn unbind(ggtt: &mut Ggtt, obj: &Vi915Gem) -> bool {
    ggtt.unbind(&obj.gtt)
}

/// Object size in bytes as u64.
pub(crate) fn size_u64(obj: &Vi915Gem) -> u64 {
    obj.size() as u64
}

/// Last reference gone (our `free` hook, before the Rust default free):
/// stop the notifier and release user pages (or end an import), unbind
/// from the GGTT, update the counters. Never called with the GGTT lock or a
/// pages lock held: no code path drops an object reference while holding
/// either.
///
/// # Safety
///
/// Only from the `free` of `obj`, once (its refcount is zero).
pub(crate) unsafe fn release(obj: &Vi915Gem) {
    match &obj.backing {
        Backing::Userptr(up) => {
            up.teardown();
            USERPTR_OBJECTS.dec();
        }
        // SAFETY: The `free` of `obj`, once (the caller): nothing uses its
        // pages any more.
        Backing::Import(pages) => unsafe { pages.release(obj) },
        Backing::Kernel(_) => (),
    }
    unbind(&mut obj.dev().ggtt.lock(), obj);
    OBJECT_BYTES.sub(size_u64(obj));
    OBJECTS.dec();
}
