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

use core::{
    marker::PhantomData,
    ptr::NonNull, //
};

use kernel::{
    ffi::{
        c_uint,
        c_void, //
    },
    page::PAGE_SIZE,
    sync::SetOnce,
};

use super::RawPage;
use crate::counter::Counter;

#[allow(improper_ctypes)]
extern "C" {
    fn vi915_vmap_pages(pages: *const RawPage, n: c_uint, writable: bool) -> *mut c_void;
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
        count: usize,
        to_tile: bool,
    );
}

/// Objects of fewer pages (128 KiB) are copied page by page: a mapping costs
/// a vmap area and would gain little on a batch or a small buffer.
const MAP_MIN_PAGES: usize = 32;
/// Nor is an object of more pages (1 GiB, GEM_CREATE's limit) mapped.
const MAP_MAX_PAGES: usize = 1 << 18;

/// Pages mapped by all slots together. A mapping's page tables are charged
/// to nobody (and x86-64 keeps them after the unmap), and a user can back a
/// large userptr with little memory (one memfd mapped many times): the sum
/// stays within an eighth of RAM, beyond which the engine copies page by page.
pub(crate) static MAPPED_PAGES: Counter = Counter::new();

/// A `vmap` of pages, counted in [`MAPPED_PAGES`].
///
/// # Invariants
///
/// `addr` maps `len` bytes; the pages stay referenced by the mapping's owner
/// until it is dropped.
struct VMap {
    addr: NonNull<u8>,
    len: usize,
}

// SAFETY: A kernel virtual mapping: any thread that may sleep may use or
// unmap it.
unsafe impl Send for VMap {}
// SAFETY: Shared references only hand out the address.
unsafe impl Sync for VMap {}

impl Drop for VMap {
    fn drop(&mut self) {
        // SAFETY: Mapped by `vi915_vmap_pages` (type invariant), unmapped once.
        unsafe { vi915_vunmap(self.addr.as_ptr().cast()) };
        MAPPED_PAGES.sub((self.len / PAGE_SIZE) as u64);
    }
}

/// The mapping of one page generation, made at most once (empty by default;
/// `None` inside: `vmap` failed, not tried again for these pages).
#[derive(Default)]
pub(crate) struct MapSlot(SetOnce<Option<VMap>>);

impl MapSlot {
    /// Map `pages` (read-only unless `writable`) unless that was done or
    /// tried already, or they are too few or too many to be worth it, or the
    /// budget is spent; the engine then copies page by page. May sleep.
    ///
    /// # Safety
    ///
    /// The pages must stay referenced until the slot is dropped or replaced.
    pub(crate) unsafe fn ensure(&self, pages: &[RawPage], writable: bool) {
        let n = pages.len();
        if self.0.as_ref().is_some() || !(MAP_MIN_PAGES..=MAP_MAX_PAGES).contains(&n) {
            return;
        }
        let budget = super::totalram_bytes() / PAGE_SIZE as u64 / 8;
        if !MAPPED_PAGES.add_within(n as u64, budget) {
            return;
        }
        // SAFETY: `pages` holds `n` referenced pages (caller); `n` is at most
        // `MAP_MAX_PAGES`, which fits.
        let addr = unsafe { vi915_vmap_pages(pages.as_ptr(), n as c_uint, writable) };
        let map = NonNull::new(addr.cast()).map(|addr| VMap {
            addr,
            len: n * PAGE_SIZE,
        });
        if map.is_none() {
            MAPPED_PAGES.sub(n as u64);
        }
        // INVARIANT: `addr` maps every page, kept by the caller until the
        // slot goes. Losing a race drops (unmaps) this one.
        let _ = self.0.populate(map);
        // Up to 2^18 PTEs written: a loop over many objects yields here.
        super::cond_resched();
    }

    /// The mapping's address, if it covers at least `len` bytes.
    pub(crate) fn get(&self, len: u64) -> Option<Mapped<'_>> {
        self.0
            .as_ref()
            .and_then(Option::as_ref)
            .filter(|m| m.len as u64 >= len)
            .map(|m| Mapped(m.addr, PhantomData))
    }
}

/// The address of a mapping, borrowed from its slot (the engine's request
/// holds the page generation, or the object, that owns the slot).
#[derive(Clone, Copy)]
pub(crate) struct Mapped<'a>(NonNull<u8>, PhantomData<&'a VMap>);

impl Mapped<'_> {
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
/// `off + (count - 1) * stride + piece` must lie inside each mapping, and
/// only a writable one may be the destination.
pub(crate) unsafe fn map_copy_strided(
    (dst, dst_off, dst_stride): (Mapped<'_>, u64, u64),
    (src, src_off, src_stride): (Mapped<'_>, u64, u64),
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

/// Copy `count` whole X (`y` false: 8 rows of 512 bytes) or Y tiles (32 rows
/// of 128 bytes, as eight 16-byte columns) side by side from `tile_off` of
/// `tile` (4096 bytes apart) to (`to_tile`) or from their linear rows, `pitch`
/// bytes apart from `linear_off` of `linear` (each tile's 512 or 128 bytes
/// further on).
///
/// # Safety
///
/// Every tile's 4096 bytes and every row lie inside their mappings, and the
/// side written was mapped writable.
pub(crate) unsafe fn map_tile_copy(
    (tile, tile_off): (Mapped<'_>, u64),
    y: bool,
    (linear, linear_off, pitch): (Mapped<'_>, u64, u64),
    count: u64,
    to_tile: bool,
) {
    // SAFETY: Guaranteed by the caller.
    unsafe {
        vi915_map_tile_copy(
            tile.at(tile_off),
            y,
            linear.at(linear_off),
            pitch as usize,
            count as usize,
            to_tile,
        )
    }
}
