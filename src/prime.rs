// SPDX-License-Identifier: GPL-2.0

//! PRIME. Export, import of our own dma-bufs (same GEM object, new handle)
//! and the dma-buf ops are the DRM core defaults; we provide `get_sg_table`
//! for attachments. dma-buf mmap goes through `funcs->mmap` + our vm_ops.

use kernel::prelude::*;

use crate::{
    ffi,
    gem::{
        Backing,
        Vi915Gem, //
    },
};

/// `funcs->export`, before the DRM default: exporting an UNSYNCHRONIZED
/// userptr forces an MMU notifier onto it (2017 `i915_gem_userptr_dmabuf_export`),
/// so an importer never keeps pages the owner has unmapped.
pub(crate) fn prepare_export(obj: &Vi915Gem) -> Result {
    match &obj.backing {
        Backing::Kernel(_) => Ok(()),
        Backing::Userptr(up) => up.ensure_notifier(),
    }
}

/// `funcs->get_sg_table`: an sg table over the object's pages. For a userptr
/// this is `get_pages` (EAGAIN while the worker runs, sticky errors).
pub(crate) fn get_sg_table(obj: &Vi915Gem) -> Result<*mut ffi::SgTable> {
    // The GGTT lock keeps mapped userptr pages alive while we look at them.
    let _ggtt = obj.dev().ggtt.lock();
    // Sized by the object (a userptr may be huge): `KVVec`, no warning.
    let flags = GFP_KERNEL | __GFP_NOWARN;
    let mut pages: KVVec<ffi::RawPage> = KVVec::new();
    match &obj.backing {
        Backing::Kernel(k) => {
            pages.reserve(k.pages.len(), flags)?;
            for p in k.pages.iter() {
                pages.push(ffi::owned_page_ptr(p), flags)?;
            }
            ffi::sg_from_pages(obj, &mut pages)
        }
        Backing::Userptr(up) => {
            let held = up.get_pages(obj, false)?;
            pages.extend_from_slice(held.pages(), flags)?;
            let sgt = ffi::sg_from_pages(obj, &mut pages);
            drop(held);
            sgt
        }
    }
}
