// SPDX-License-Identifier: GPL-2.0

//! The device's own DRM driver table and file operations: the Rust DRM
//! abstractions make both constants, and vi915 needs what they lack, foreign
//! dma-buf import (`gem_prime_import_sg_table`) and an `mmap` that finds an
//! object by any page of its fake offset range (a partial mapping, as i915
//! serves; `drm_gem_mmap` finds an object by its first page only).

use kernel::{bindings, ffi::c_int, prelude::*};

use super::import::gem_import_sg_table;
use crate::driver::Vi915Device;

#[allow(improper_ctypes)]
extern "C" {
    fn vi915_install_driver(
        dev: *mut bindings::drm_device,
        import: unsafe extern "C" fn(
            *mut bindings::drm_device,
            *mut bindings::dma_buf_attachment,
            *mut bindings::sg_table,
        ) -> *mut bindings::drm_gem_object,
    ) -> c_int;
}

/// Give `dev` copies of its driver table and file operations with our
/// `gem_prime_import_sg_table` and `mmap` (see `vi915_install_driver`), and
/// its faux device a DMA mask (exporters map their sg tables for the
/// importing device). Call before the device is registered.
pub(crate) fn install_driver(dev: &Vi915Device) -> Result {
    // SAFETY: `dev` is a live DRM device that userspace cannot reach yet
    // (unregistered), so nothing reads its driver table concurrently; the
    // callback has `gem_prime_import_sg_table`'s signature. The copies are
    // the module's: a second call (another device) is refused with `EBUSY`
    // before it writes them, so a registered device's tables never change.
    kernel::error::to_result(unsafe {
        vi915_install_driver(super::drm_raw(dev), gem_import_sg_table)
    })
}
