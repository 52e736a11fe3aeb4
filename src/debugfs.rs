// SPDX-License-Identifier: GPL-2.0

//! debugfs under `/sys/kernel/debug/dri/<minor>/`: `i915_error_state`,
//! `i915_gem_drop_caches` (what IGT needs to accept the device),
//! `i915_gem_objects` (count and bytes, i915's 2017 format), `i915_params/`
//! (params.rs) and
//! `vi915_counters`, whose exact format tests parse (the counters live with
//! the code that counts; this file only prints them):
//!
//! ```text
//! objects <n>
//! userptr_objects <n>
//! pages_held <n>
//! workers_in_flight <n>
//! ggtt_bound <n>
//! requests_in_flight <n>
//! engine_mapped_pages <n>
//! ```

use kernel::drm;

use crate::{
    driver::Vi915Driver,
    engine,
    ffi,
    gem,
    ggtt,
    params,
    userptr, //
};

/// C callback of the `vi915_counters` show function.
///
/// # Safety
///
/// `out` must point to an array of at least `n` `u64`s.
unsafe extern "C" fn counters_snapshot(out: *mut u64, n: usize) {
    let v = [
        gem::OBJECTS.get(),
        gem::USERPTR_OBJECTS.get(),
        userptr::PAGES_HELD.get(),
        userptr::WORKERS_IN_FLIGHT.get(),
        ggtt::GGTT_BOUND.get(),
        engine::REQUESTS_IN_FLIGHT.get(),
        gem::OBJECT_BYTES.get(),
        ffi::MAPPED_PAGES.get(),
    ];
    for (i, x) in v.iter().enumerate().take(n) {
        // SAFETY: The C caller passes an array of `n` elements.
        unsafe { out.add(i).write(*x) };
    }
}

/// C callback of the `i915_error_state` show function: the last hang.
///
/// # Safety
///
/// The three pointers must be valid for writes.
unsafe extern "C" fn hang_get(seqno: *mut u64, offset: *mut u64, budget: *mut u64) -> bool {
    let Some(h) = engine::LAST_HANG.get() else {
        return false;
    };
    // SAFETY: The C caller passes three valid locals.
    unsafe {
        seqno.write(h.seqno);
        offset.write(h.offset);
        budget.write(h.budget_ms);
    }
    true
}

/// C callback of a write to `i915_error_state`.
extern "C" fn hang_clear() {
    engine::LAST_HANG.clear();
}

/// Create the files in the device's debugfs directory (exists from
/// allocation on; removed by the DRM core at unregistration).
pub(crate) fn init(dev: &drm::Device<Vi915Driver>) {
    // SAFETY: `dev` is a live DRM device, `debugfs_root` is set by
    // `drm_dev_init`.
    unsafe { ffi::debugfs_init(ffi::drm_raw(dev), counters_snapshot, hang_get, hang_clear) };
    params::init(dev);
}
