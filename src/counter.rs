// SPDX-License-Identifier: GPL-2.0

//! A module-wide statistics counter. Each counter is defined next to the code
//! that counts (objects in `gem.rs`, pages and workers in `userptr.rs`,
//! bindings in `ggtt.rs`, requests in `engine.rs`); `debugfs.rs` only prints
//! them. vi915 drives exactly one device, so module-wide is device-wide.

use kernel::sync::atomic::{
    Atomic,
    Relaxed, //
};

/// One counter.
pub(crate) struct Counter(Atomic<u64>);

impl Counter {
    /// Zero.
    pub(crate) const fn new() -> Self {
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
