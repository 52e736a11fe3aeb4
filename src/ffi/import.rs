// SPDX-License-Identifier: GPL-2.0

//! Foreign dma-buf import: the driver table's `gem_prime_import_sg_table`
//! (installed by `driver_table.rs`), the pages of a mapped attachment, and
//! the attachment's end when the object is freed.

use core::ptr::NonNull;
use kernel::{
    bindings,
    ffi::{
        c_int,
        c_ulong, //
    },
    prelude::*,
    sync::aref::ARef,
};

use super::{
    page_to_pfn,
    vi915_err_ptr,
    RawPage,
    UserVec, //
};
use crate::driver::Vi915Device;

#[allow(improper_ctypes)]
extern "C" {
    fn vi915_attach_size(attach: *mut bindings::dma_buf_attachment) -> usize;
    fn vi915_sgt_pages(
        attach: *mut bindings::dma_buf_attachment,
        sgt: *mut bindings::sg_table,
        pages: *mut RawPage,
        n: c_ulong,
    ) -> c_int;
    fn vi915_prime_destroy(obj: *mut bindings::drm_gem_object, sgt: *mut bindings::sg_table);
}

/// The pages of an imported dma-buf, as the exporter mapped them for us
/// (found through their DMA addresses, see `vi915_sgt_pages`).
/// They stay the exporter's: the mapped attachment keeps them (a
/// non-dynamic importer pins the buffer), and it lasts until
/// [`ImportedPages::release`], when the object is freed.
///
/// # Invariants
///
/// `sgt` is the attachment's mapped sg table; `pages` and `pfns` describe it
/// page by page.
pub(crate) struct ImportedPages {
    pages: UserVec<RawPage>,
    pfns: UserVec<usize>,
    sgt: NonNull<bindings::sg_table>,
}

// SAFETY: Plain pointers into the exporter's buffer, which the attachment
// keeps alive from any thread; only read after construction.
unsafe impl Send for ImportedPages {}
// SAFETY: See above.
unsafe impl Sync for ImportedPages {}

impl ImportedPages {
    /// The pages behind `sgt`, which must hold `size` bytes.
    ///
    /// # Safety
    ///
    /// `sgt` is `attach`'s mapped sg table, and stays mapped until
    /// [`ImportedPages::release`].
    unsafe fn new(
        attach: *mut bindings::dma_buf_attachment,
        sgt: NonNull<bindings::sg_table>,
        size: usize,
    ) -> Result<Self> {
        let page_size = kernel::page::PAGE_SIZE;
        if size == 0 || size % page_size != 0 {
            return Err(EINVAL);
        }
        let n = size / page_size;
        let mut pages = UserVec::with_capacity(n)?;
        let mut pfns = UserVec::with_capacity(n)?;
        let count = c_ulong::try_from(n)?;
        // SAFETY: `sgt` is `attach`'s mapped sg table (caller); `pages` has
        // room for `n` pointers, and the helper writes exactly `n` or fails.
        kernel::error::to_result(unsafe {
            vi915_sgt_pages(attach, sgt.as_ptr(), pages.as_mut_ptr(), count)
        })?;
        // SAFETY: The helper wrote all `n` elements.
        unsafe { pages.inc_len(n) };
        for &p in pages.iter() {
            // SAFETY: A page of the mapped attachment, kept by the exporter.
            pfns.push(unsafe { page_to_pfn(p) })?;
        }
        Ok(Self { pages, pfns, sgt })
    }

    /// Page `idx` of the buffer.
    pub(crate) fn page(&self, idx: usize) -> Option<RawPage> {
        self.pages.get(idx).copied()
    }

    /// The pfns, page by page (GTT faults).
    pub(crate) fn pfns(&self) -> &[usize] {
        &self.pfns
    }

    /// End the import (unmap, detach, drop the dma-buf reference). An
    /// object freed inside the import callback has no attachment yet (the
    /// DRM core undoes its own steps) and this does nothing.
    ///
    /// # Safety
    ///
    /// Called once, from the `free` of `obj`, the object these pages back:
    /// no user of the pages is left, and none comes after.
    pub(crate) unsafe fn release(&self, obj: &crate::gem::Vi915Gem) {
        use kernel::drm::gem::IntoGEMObject;
        // SAFETY: `obj` owns this table and is being freed (the caller);
        // the helper ends its attachment if it has one.
        unsafe { vi915_prime_destroy(obj.as_raw(), self.sgt.as_ptr()) }
    }
}

/// `drm_driver::gem_prime_import_sg_table`: a new object over the pages of a
/// foreign dma-buf, attached to and mapped for our device by
/// `drm_gem_prime_import_dev` (which then points the object at the
/// dma-buf's reservation object, sharing its fences).
///
/// # Safety
///
/// Only called by `drm_gem_prime_import_dev` for our device, with a mapped
/// attachment that it ends itself if this fails.
pub(super) unsafe extern "C" fn gem_import_sg_table(
    dev: *mut bindings::drm_device,
    attach: *mut bindings::dma_buf_attachment,
    sgt: *mut bindings::sg_table,
) -> *mut bindings::drm_gem_object {
    // SAFETY: Our registered device, alive for the ioctl that imports.
    let dev: &Vi915Device = unsafe { Vi915Device::from_raw(dev) };
    // SAFETY: A live attachment of a live dma-buf (the caller holds both).
    let size = unsafe { vi915_attach_size(attach) };
    let res = NonNull::new(sgt)
        .ok_or(EINVAL)
        // SAFETY: The attachment stays mapped until the object is freed
        // (`drm_prime_gem_destroy` from our `free`) or this fails.
        .and_then(|sgt| unsafe { ImportedPages::new(attach, sgt, size) })
        .and_then(|pages| crate::prime::import(dev, size, pages));
    match res {
        Ok(obj) => {
            use kernel::drm::gem::IntoGEMObject;
            let raw = obj.as_raw();
            // The caller takes over our reference.
            let _ = ARef::into_raw(obj);
            raw
        }
        // SAFETY: Builds an ERR_PTR from a negative errno.
        Err(e) => unsafe { vi915_err_ptr(e.to_errno()) }.cast(),
    }
}
