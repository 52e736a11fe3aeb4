// SPDX-License-Identifier: GPL-2.0

//! GEM_MADVISE: whether userspace still needs an object's contents.
//!
//! As i915: `madv` other than WILLNEED or DONTNEED is `EINVAL` (before the
//! handle is looked up); the advice is recorded unless the object was
//! purged, which is for ever; `retained` says whether it was not. i915
//! purges a DONTNEED object whose pages it does not hold at once and the
//! others when its shrinker reclaims them. vi915 has no shrinker and a
//! GEM_CREATE object always holds its pages, so DONTNEED purges an idle one
//! at once (the kernel may discard a DONTNEED object's contents at any
//! time); a busy one stays DONTNEED and usable. A userptr's or an import's
//! memory is not the driver's: the advice is recorded and purges nothing.
//!
//! A purged object's contents are gone for userspace: its CPU and GTT
//! mappings are revoked and every access fails as on i915 (a fault is
//! SIGBUS; PREAD, PWRITE, SET_DOMAIN, execbuf and export are `EFAULT`).
//! Its pages are freed with the object: a reader that passed the check just
//! before (a PREAD, a request) may still be using them, and nothing else
//! tracks those readers. The purge happens under the GGTT lock, under which
//! faults map pages, so no mapping outlives it.

use kernel::prelude::*;

use crate::{
    ffi,
    gem::{
        Backing,
        Vi915Gem, //
    },
};

/// `I915_MADV_WILLNEED`.
pub(crate) const WILLNEED: u32 = 0;
/// `I915_MADV_DONTNEED`.
pub(crate) const DONTNEED: u32 = 1;
/// `__I915_MADV_PURGED`: i915's internal state, never accepted from userspace.
pub(crate) const PURGED: u32 = 2;

/// Check the advice (before the handle lookup, as i915).
pub(crate) fn check(madv: u32) -> Result {
    match madv {
        WILLNEED | DONTNEED => Ok(()),
        _ => Err(EINVAL),
    }
}

/// Apply `madv` (checked) to `obj`; whether its contents are retained.
pub(crate) fn advise(obj: &Vi915Gem, madv: u32) -> bool {
    let _ggtt = obj.dev().ggtt.lock();
    if obj.purged() {
        return false;
    }
    obj.set_madv(madv);
    let purge =
        madv == DONTNEED && matches!(obj.backing, Backing::Kernel(_)) && ffi::gem_idle(obj, false);
    if purge {
        obj.set_madv(PURGED);
        ffi::unmap_mapping(obj);
    }
    !purge
}
