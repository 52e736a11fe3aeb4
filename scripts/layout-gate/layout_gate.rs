// SPDX-License-Identifier: GPL-2.0

//! Throwaway module: compiles bindgen's layout assertions for this kernel build.
//!
//! Never loaded. Compiling it is the test: every `size_of`/`align_of`/`offset_of`
//! assertion is a constant that fails to evaluate on a mismatch.

use kernel::prelude::*;

module! {
    type: LayoutGate,
    name: "vi915_layout_gate",
    authors: ["vi915 developers"],
    description: "bindgen layout gate (never loaded)",
    license: "GPL",
}

struct LayoutGate;

impl kernel::Module for LayoutGate {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(LayoutGate)
    }
}

#[allow(
    clippy::all,
    dead_code,
    missing_docs,
    non_camel_case_types,
    non_upper_case_globals,
    non_snake_case,
    improper_ctypes,
    unreachable_pub,
    unsafe_op_in_unsafe_fn,
    unnecessary_transmutes
)]
mod layout {
    use kernel::ffi;
    use pin_init::{MaybeZeroable, Zeroable};

    type __kernel_size_t = usize;
    type __kernel_ssize_t = isize;
    type __kernel_ptrdiff_t = isize;

    include!("layout_bindings.rs");
}
