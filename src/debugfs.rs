// SPDX-License-Identifier: GPL-2.0

//! debugfs under `/sys/kernel/debug/dri/<minor>/`: `i915_error_state`,
//! `i915_gem_drop_caches` (what IGT needs to accept the device) and
//! `vi915_counters`, whose exact format tests parse:
//!
//! ```text
//! objects <n>
//! userptr_objects <n>
//! pages_held <n>
//! workers_in_flight <n>
//! ggtt_bound <n>
//! requests_in_flight <n>
//! ```

use kernel::{
    drm,
    sync::atomic::{
        Atomic,
        Relaxed, //
    },
};

use crate::{
    driver::Vi915Driver,
    ffi, //
};

/// One counter.
pub(crate) struct Counter(Atomic<u64>);

impl Counter {
    const fn new() -> Self {
        Self(Atomic::new(0))
    }

    /// Add one.
    pub(crate) fn inc(&self) {
        self.add(1);
    }

    /// Subtract one.
    pub(crate) fn dec(&self) {
        self.sub(1);
    }

    /// Add `n`.
    pub(crate) fn add(&self, n: u64) {
        self.0.fetch_add(n, Relaxed);
    }

    /// Subtract `n`.
    pub(crate) fn sub(&self, n: u64) {
        self.0.fetch_sub(n, Relaxed);
    }

    /// Current value.
    pub(crate) fn get(&self) -> u64 {
        self.0.load(Relaxed)
    }
}

/// Device-wide counters (vi915 drives exactly one device).
pub(crate) struct Counters {
    /// Live GEM objects of this driver, userptr included.
    pub(crate) objects: Counter,
    /// Live userptr objects.
    pub(crate) userptr_objects: Counter,
    /// User pages currently held (gup references) by userptr objects and
    /// by in-flight worker results.
    pub(crate) pages_held: Counter,
    /// Queued or running gup workers.
    pub(crate) workers_in_flight: Counter,
    /// Objects bound in the software GGTT.
    pub(crate) ggtt_bound: Counter,
    /// Engine requests submitted and not yet retired.
    pub(crate) requests_in_flight: Counter,
}

/// The counters.
pub(crate) static COUNTERS: Counters = Counters {
    objects: Counter::new(),
    userptr_objects: Counter::new(),
    pages_held: Counter::new(),
    workers_in_flight: Counter::new(),
    ggtt_bound: Counter::new(),
    requests_in_flight: Counter::new(),
};

/// C callback of the `vi915_counters` show function.
///
/// # Safety
///
/// `out` must point to an array of at least `n` `u64`s.
unsafe extern "C" fn counters_snapshot(out: *mut u64, n: usize) {
    let v = [
        COUNTERS.objects.get(),
        COUNTERS.userptr_objects.get(),
        COUNTERS.pages_held.get(),
        COUNTERS.workers_in_flight.get(),
        COUNTERS.ggtt_bound.get(),
        COUNTERS.requests_in_flight.get(),
    ];
    for (i, x) in v.iter().enumerate().take(n) {
        // SAFETY: The C caller passes an array of `n` elements.
        unsafe { out.add(i).write(*x) };
    }
}

/// Create the files in the device's debugfs directory (exists from
/// allocation on; removed by the DRM core at unregistration).
pub(crate) fn init(dev: &drm::Device<Vi915Driver>) {
    // SAFETY: `dev` is a live DRM device, `debugfs_root` is set by
    // `drm_dev_init`.
    unsafe { ffi::debugfs_init(ffi::drm_raw(dev), counters_snapshot) };
}
