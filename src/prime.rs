// SPDX-License-Identifier: GPL-2.0

//! PRIME. Export, import of our own dma-bufs (same GEM object, new handle)
//! and the dma-buf ops are the DRM core defaults; we provide `export`
//! (preparation), `pin` / `unpin` (attachments) and `get_sg_table`. dma-buf
//! mmap goes through `funcs->mmap` + our vm_ops.
//!
//! Another driver's dma-buf (vgem's, say) is imported as a new object over
//! the exporter's pages ([`import`]): `drm_gem_prime_import_dev` attaches our
//! device and maps the buffer, which pins it for as long as the object
//! lives, and points the object at the dma-buf's reservation object, so the
//! exporter's fences are the object's (GEM_WAIT, PREAD/PWRITE and the
//! engine's implicit waits wait for them; GEM_BUSY, as i915's, reports only
//! the engine's requests). A re-export hands out the original dma-buf.
//!
//! What an importer can reach, and for how long:
//! * a dma-buf mmap is a CPU mapping like a GTT mmap: the object gets its
//!   fake offset before it is first exported, so the DRM core places every
//!   dma-buf VMA in the DRM anon inode's mapping at that offset, where the
//!   userptr revoke work and SET_TILING zap it;
//! * a mapped attachment's sg table points at the page generation it was
//!   built from, which the object keeps referenced (exposure record) until
//!   the last attachment is unpinned: an invalidation cannot reach a pinned
//!   importer, so those pages stay stale-but-referenced, never freed under it.
//!
//! Lock order: `pin`/`unpin`/`get_sg_table` run under the object's
//! reservation lock (`dma_buf_map_attachment`, `drm_gem_map_attach`) and
//! take only the pages lock (reservation lock -> pages lock).

use kernel::{
    prelude::*,
    sync::aref::ARef, //
};

use crate::{
    driver::Vi915Device,
    ffi,
    gem::{
        Backing,
        Vi915Gem,
        Vi915Object, //
    },
    userptr::Miss,
};

/// `funcs->export`, before the DRM default: the object gets its mmap
/// offset (see above), and exporting an UNSYNCHRONIZED userptr forces an MMU
/// notifier onto it (2017 `i915_gem_userptr_dmabuf_export`), so an importer
/// never keeps pages the owner has unmapped. With `uapi=2021` a userptr is
/// not exported at all (EINVAL, as modern i915).
pub(crate) fn prepare_export(obj: &Vi915Gem) -> Result {
    if obj.userptr().is_some() && crate::generation::current() {
        return Err(EINVAL);
    }
    obj.check_not_purged()?;
    crate::mmap::offset(obj)?;
    match &obj.backing {
        Backing::Kernel(_) | Backing::Import(_) => Ok(()),
        Backing::Userptr(up) => up.ensure_notifier(),
    }
}

/// A new object over the pages of an imported foreign dma-buf of `size`
/// bytes (`drm_driver::gem_prime_import_sg_table`).
pub(crate) fn import(
    dev: &Vi915Device,
    size: usize,
    pages: ffi::ImportedPages,
) -> Result<ARef<Vi915Gem>> {
    Vi915Object::create(dev, size, Backing::Import(pages))
}

/// `funcs->pin`: an attachment is made.
pub(crate) fn pin(obj: &Vi915Gem) {
    if let Some(up) = obj.userptr() {
        up.pin_attachment();
    }
}

/// `funcs->unpin`: an attachment goes.
pub(crate) fn unpin(obj: &Vi915Gem) {
    if let Some(up) = obj.userptr() {
        up.unpin_attachment();
    }
}

/// `funcs->get_sg_table`: an sg table over the object's pages. For a userptr
/// this is `get_pages` (EAGAIN while the worker runs, sticky errors), and the
/// pages are held for importers until the last attachment goes.
pub(crate) fn get_sg_table(obj: &Vi915Gem) -> Result<*mut ffi::SgTable> {
    // Sized by the object (a userptr may be huge): `KVVec`, no warning.
    let flags = crate::gem::user_gfp();
    let mut pages: KVVec<ffi::RawPage> = KVVec::new();
    match &obj.backing {
        Backing::Kernel(k) => {
            pages.reserve(k.pages.len(), flags)?;
            for p in k.pages.iter() {
                pages.push(ffi::owned_page_ptr(p), flags)?;
            }
        }
        // A re-export hands out the original dma-buf (drm_gem_prime_handle_to_fd).
        Backing::Import(_) => return Err(EINVAL),
        Backing::Userptr(up) => {
            // Under the reservation lock: no wait for an invalidation here.
            let held = up.get_pages(obj, false, Miss::Worker)?;
            up.hold_for_importer(&held)?;
            pages.extend_from_slice(held.pages(), flags)?;
        }
    }
    ffi::sg_from_pages(obj, &mut pages)
}
