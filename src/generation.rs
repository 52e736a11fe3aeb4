// SPDX-License-Identifier: GPL-2.0

//! The i915 uAPI generation vi915 follows, chosen at load (`uapi=`).
//!
//! - `uapi=2017` (the default): the seed's userptr, as i915 had it in March
//!   2017: UNSYNCHRONIZED for CAP_SYS_ADMIN, READ_ONLY → ENODEV, GTT mmaps
//!   (MMAP_GTT, MMAP_OFFSET GTT/FIXED) and PRIME export of userptrs, and
//!   pages of another process's mm got by the worker.
//! - `uapi=2021`: i915's userptr rules since its 2021 rework (Linux 5.13),
//!   which IGT 2.x expects: UNSYNCHRONIZED → ENODEV; READ_ONLY supported
//!   (pages taken without write access and never dirtied; an engine write
//!   into the object fails its request, a relocation into it is EFAULT); no
//!   mmap of a userptr at all (MMAP_GTT / MMAP_OFFSET → ENODEV); no tiling of
//!   it (ENXIO); PRIME export refused (EINVAL); SET_DOMAIN and EXECBUFFER2
//!   from a process other than the owner → EFAULT; a fault waits for nothing
//!   (MMAP_GTT_VERSION 4, 1 under 2017).
//!
//! The internal protocol is the same in both: worker state under the pages
//! lock, `get_pages` never takes `mmap_lock`.

use kernel::{
    prelude::*,
    sync::atomic::{
        Atomic,
        Relaxed, //
    },
};

/// The seed's generation.
pub(crate) const SEED_2017: u32 = 2017;
/// Modern i915's userptr rules.
pub(crate) const CURRENT_2021: u32 = 2021;

/// Whether the modern rules apply (set once at load, before registration).
static CURRENT: Atomic<bool> = Atomic::new(false);

/// Take the `uapi=` parameter: 2017 or 2021, anything else EINVAL (the module
/// does not load).
pub(crate) fn init(param: u32) -> Result {
    match param {
        SEED_2017 => CURRENT.store(false, Relaxed),
        CURRENT_2021 => CURRENT.store(true, Relaxed),
        _ => {
            pr_err!("vi915: uapi={param}: only 2017 or 2021\n");
            return Err(EINVAL);
        }
    }
    Ok(())
}

/// Modern i915's userptr rules (`uapi=2021`)?
pub(crate) fn current() -> bool {
    CURRENT.load(Relaxed)
}
