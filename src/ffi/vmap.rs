// SPDX-License-Identifier: GPL-2.0

//! Virtually contiguous kernel mappings of an object's pages (`vmap`), made
//! once per page generation where the caller may sleep (EXECBUFFER2, before
//! its request is published), and the engine's copies through them.
//!
//! Through a mapping the engine copies a surface's rows and tiles with one
//! pointer each, and QEMU's TCG finds the pages it walks in consecutive
//! entries of its direct-mapped software TLB (the direct map's addresses of
//! scattered pages land on arbitrary entries and evict each other). Without
//! one (a small or huge object, an import, no vmalloc room) the engine
//! copies page by page, as before.

use core::ptr::NonNull;

use kernel::{
    ffi::{
        c_uint,
        c_void, //
    },
    page::PAGE_SIZE,
    sync::SetOnce,
};

use super::RawPage;

#[allow(improper_ctypes)]
extern "C" {
    fn vi915_vmap_pages(pages: *const RawPage, n: c_uint) -> *mut c_void;
    fn vi915_vunmap(addr: *mut c_void);
    fn vi915_map_copy_strided(
        d: *mut c_void,
        dst_stride: usize,
        s: *const c_void,
        src_stride: usize,
        piece: usize,
        count: usize,
    );
    fn vi915_map_tile_copy(
        tile: *mut c_void,
        y: bool,
        linear: *mut c_void,
        pitch: usize,
        to_tile: bool,
    );
}

/// Objects of fewer pages (128 KiB) are copied page by page: a mapping costs
/// a vmap area and would gain little on a batch or a small buffer.
const MAP_MIN_PAGES: usize = 32;
/// Nor is an object of more pages mapped (1 GiB, GEM_CREATE's limit): the
/// mapping's page tables are not charged to the user who chose the size.
const MAP_MAX_PAGES: usize = 1 << 18;

/// A `vmap` of pages.
///
/// # Invariants
///
/// `addr` maps `len` bytes; the pages stay referenced by the mapping's owner
/// until it is dropped.
struct VMap {
    addr: NonNull<u8>,
    len: usize,
}

// SAFETY: A kernel virtual mapping: any thread may use or unmap it.
unsafe impl Send for VMap {}
// SAFETY: Shared references only hand out the address.
unsafe impl Sync for VMap {}

impl Drop for VMap {
    fn drop(&mut self) {
        // SAFETY: Mapped by `vi915_vmap_pages` (type invariant), unmapped once.
        unsafe { vi915_vunmap(self.addr.as_ptr().cast()) }
    }
}

/// The mapping of one page generation, made at most once (empty by default).
#[derive(Default)]
pub(crate) struct MapSlot(SetOnce<VMap>);

impl MapSlot {
    /// Map `pages` unless they are mapped already, or too few or too many to
    /// be worth it; a failure leaves the slot empty (the engine then copies
    /// page by page). May sleep.
    ///
    /// # Safety
    ///
    /// The pages must stay referenced until the slot is dropped or replaced.
    pub(crate) unsafe fn ensure(&self, pages: &[RawPage]) {
        if self.0.as_ref().is_some() || !(MAP_MIN_PAGES..=MAP_MAX_PAGES).contains(&pages.len()) {
            return;
        }
        // At most `MAP_MAX_PAGES`, which fits.
        let n = pages.len() as c_uint;
        // SAFETY: `pages` holds `n` referenced pages (caller).
        let addr = unsafe { vi915_vmap_pages(pages.as_ptr(), n) };
        let Some(addr) = NonNull::new(addr.cast()) else {
            return;
        };
        // INVARIANT: `addr` maps every page, kept by the caller until the
        // slot goes. Losing a race drops (unmaps) this one.
        let _ = self.0.populate(VMap {
            addr,
            len: pages.len() * PAGE_SIZE,
        });
    }

    /// The mapping's address, if it covers at least `len` bytes.
    pub(crate) fn get(&self, len: u64) -> Option<Mapped> {
        self.0
            .as_ref()
            .filter(|m| m.len as u64 >= len)
            .map(|m| Mapped(m.addr))
    }
}

/// The address of a mapping, valid while the object's page generation is
/// held (the engine's request holds it).
#[derive(Clone, Copy)]
pub(crate) struct Mapped(NonNull<u8>);

impl Mapped {
    fn at(self, off: u64) -> *mut c_void {
        self.0.as_ptr().wrapping_add(off as usize).cast()
    }
}

/// Copy `count` pieces of `piece` bytes from `src` at `src_off` to `dst` at
/// `dst_off`, the destination advancing by `dst_stride` and the source by
/// `src_stride` (one piece: `count` 1).
///
/// # Safety
///
/// Both mappings must stay valid for the call, and `off + (count - 1) *
/// stride + piece` must lie inside each.
pub(crate) unsafe fn map_copy_strided(
    (dst, dst_off, dst_stride): (Mapped, u64, u64),
    (src, src_off, src_stride): (Mapped, u64, u64),
    piece: usize,
    count: u64,
) {
    // SAFETY: Guaranteed by the caller.
    unsafe {
        vi915_map_copy_strided(
            dst.at(dst_off),
            dst_stride as usize,
            src.at(src_off),
            src_stride as usize,
            piece,
            count as usize,
        )
    }
}

/// Copy a whole X (`y` false: 8 rows of 512 bytes) or Y tile (32 rows of 128
/// bytes, as eight 16-byte columns) at `tile_off` of `tile` to (`to_tile`) or
/// from its linear rows, `pitch` bytes apart from `linear_off` of `linear`.
///
/// # Safety
///
/// Both mappings must stay valid for the call; the tile's 4096 bytes and
/// every row lie inside theirs.
pub(crate) unsafe fn map_tile_copy(
    (tile, tile_off): (Mapped, u64),
    y: bool,
    (linear, linear_off, pitch): (Mapped, u64, u64),
    to_tile: bool,
) {
    // SAFETY: Guaranteed by the caller.
    unsafe {
        vi915_map_tile_copy(
            tile.at(tile_off),
            y,
            linear.at(linear_off),
            pitch as usize,
            to_tile,
        )
    }
}
