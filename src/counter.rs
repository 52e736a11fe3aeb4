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

    /// Add `n` unless that takes the counter above `limit`; whether it did.
    pub(crate) fn add_within(&self, n: u64, limit: u64) -> bool {
        let old = self.0.fetch_add(n, Relaxed);
        if old.saturating_add(n) > limit {
            self.0.fetch_sub(n, Relaxed);
            return false;
        }
        true
    }

    /// Current value.
    pub(crate) fn get(&self) -> u64 {
        self.0.load(Relaxed)
    }
}

#[kernel::prelude::kunit_tests(vi915_counter)]
mod tests {
    use super::*;

    #[test]
    fn add_within_stops_at_the_limit() {
        let c = Counter::new();
        assert!(c.add_within(3, 4));
        assert!(!c.add_within(2, 4));
        assert_eq!(c.get(), 3);
        assert!(c.add_within(1, 4));
        assert!(!c.add_within(1, 4));
        assert_eq!(c.get(), 4);
        c.sub(4);
        assert!(!c.add_within(5, 4));
        assert_eq!(c.get(), 0);
    }
}
