// SPDX-License-Identifier: GPL-2.0

//! The DRM driver: name `i915` so that unmodified userspace takes it for one.

use kernel::{
    device::DeviceContext,
    drm::{
        self,
        ioctl::DrmIoctlDescriptor, //
    },
    faux,
    prelude::*,
    sync::Mutex,
};

use crate::{
    engine::Engine,
    file::File,
    gem::Vi915Gem,
    ggtt::Ggtt,
    ioctl, //
};

/// The driver.
pub(crate) struct Vi915Driver;

/// DRM device of this driver.
pub(crate) type Vi915Device<Ctx = drm::Normal> = drm::Device<Vi915Driver, Ctx>;

/// Per-device data.
#[pin_data]
pub(crate) struct Vi915Data {
    /// The GGTT address space and the lock that orders GTT mapping changes
    /// (the analogue of i915's struct_mutex). See `userptr.rs` for the order.
    #[pin]
    pub(crate) ggtt: Mutex<Ggtt>,
    /// The software blitter.
    #[pin]
    pub(crate) engine: Engine,
}

impl Vi915Data {
    /// Initial state.
    pub(crate) fn new() -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            ggtt <- kernel::new_mutex!(Ggtt::new(), "vi915_ggtt"),
            engine <- Engine::new(),
        })
    }
}

const INFO: drm::DriverInfo = drm::DriverInfo {
    major: 1,
    minor: 6,
    patchlevel: 0,
    name: c"i915",
    desc: c"vi915: virtual Intel Graphics (Rust)",
};

#[vtable]
impl drm::Driver for Vi915Driver {
    type Data = Vi915Data;
    type RegistrationData<'a> = ();
    type File = File;
    type Object = Vi915Gem;
    type ParentDevice<Ctx: DeviceContext> = faux::Device<Ctx>;

    const INFO: drm::DriverInfo = INFO;
    const IOCTLS: &'static [DrmIoctlDescriptor] = &ioctl::TABLE;
}
