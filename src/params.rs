// SPDX-License-Identifier: GPL-2.0

//! The i915 parameters IGT reads and writes (debugfs `i915_params/`, as
//! i915 has them per device), backed by what vi915 does:
//!
//! - `reset`: how a hang is recovered. vi915 ends a request that runs past
//!   its budget (`request_budget_ms`, engine.rs) with `-EIO` and the engine
//!   goes on: recovery is always on, so every level i915 takes (an unsigned
//!   int: 1 full, 2 engine, anything higher the best available, which IGT's
//!   `igt_allow_hang` asks for with INT_MAX) is accepted and means that; 0
//!   ("never reset: a hang stays") is refused, because no request may run
//!   without a bound.
//! - `enable_hangcheck`: hang detection is the same budget and cannot be
//!   turned off: writing N is refused, Y accepted.
//! - `enable_guc`: there is no GuC: 0, read only.

use kernel::{
    ffi::c_int,
    prelude::*,
    sync::atomic::{
        Atomic,
        Relaxed, //
    },
};

/// File ids (`VI915_PARAM_*` in helpers.h).
const RESET: c_int = 0;
const ENABLE_HANGCHECK: c_int = 1;
const ENABLE_GUC: c_int = 2;

/// The last accepted `reset` value (i915's default: -1, best available).
static RESET_VALUE: Atomic<u32> = Atomic::new(u32::MAX);

/// Check a write of parameter `id`.
fn set(id: c_int, value: i64) -> Result {
    match id {
        RESET => match u32::try_from(value) {
            Ok(0) | Err(_) => Err(EINVAL),
            Ok(v) => {
                RESET_VALUE.store(v, Relaxed);
                Ok(())
            }
        },
        ENABLE_HANGCHECK if value != 0 => Ok(()),
        ENABLE_HANGCHECK => Err(EINVAL),
        ENABLE_GUC => Err(EPERM),
        _ => Err(ENOENT),
    }
}

/// C callback: the value of parameter `id`.
extern "C" fn param_get(id: c_int) -> i64 {
    match id {
        RESET => i64::from(RESET_VALUE.load(Relaxed)),
        ENABLE_HANGCHECK => 1,
        _ => 0,
    }
}

/// C callback: write `value` to parameter `id`; 0 or a negative errno.
extern "C" fn param_set(id: c_int, value: i64) -> c_int {
    match set(id, value) {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// Create `i915_params/` under the device's debugfs directory.
pub(crate) fn init(dev: &kernel::drm::Device<crate::driver::Vi915Driver>) {
    // SAFETY: `dev` is a live DRM device, `debugfs_root` is set by
    // `drm_dev_init`.
    unsafe { crate::ffi::debugfs_params_init(crate::ffi::drm_raw(dev), param_get, param_set) };
}

#[kunit_tests(vi915_params)]
mod tests {
    use super::*;

    #[test]
    fn reset_values() {
        assert_eq!(set(RESET, 0), Err(EINVAL));
        assert_eq!(set(RESET, -5), Err(EINVAL));
        assert_eq!(set(RESET, 1), Ok(()));
        assert_eq!(param_get(RESET), 1);
        assert_eq!(set(RESET, i64::from(i32::MAX)), Ok(()));
        assert_eq!(param_get(RESET), i64::from(i32::MAX));
        assert_eq!(set(RESET, i64::from(u32::MAX)), Ok(()));
        assert_eq!(param_get(RESET), i64::from(u32::MAX));
    }

    #[test]
    fn hangcheck_stays_on() {
        assert_eq!(set(ENABLE_HANGCHECK, 0), Err(EINVAL));
        assert_eq!(set(ENABLE_HANGCHECK, 1), Ok(()));
        assert_eq!(set(ENABLE_GUC, 1), Err(EPERM));
        assert_eq!(param_get(ENABLE_GUC), 0);
    }
}
