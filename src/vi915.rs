// SPDX-License-Identifier: GPL-2.0

//! vi915: a virtual, i915-compatible DRM GEM driver with i915's 2017 userptr
//! locking design. See README.md (uAPI subset, lock order, differences from i915).

mod args;
mod blit;
mod cmd;
mod context;
mod counter;
mod create_ext;
mod debugfs;
mod driver;
mod engine;
mod exec_fences;
mod execbuf;
mod exposure;
mod ffi;
mod file;
mod gem;
mod generation;
mod ggtt;
mod interp;
mod ioctl;
mod madvise;
mod mmap;
mod pages_state;
mod params;
mod prime;
mod query;
mod throttle;
mod uapi;
mod userptr;

use kernel::{
    device,
    drm,
    faux,
    prelude::*, //
};

use crate::driver::{
    Vi915Data,
    Vi915Driver, //
};

module! {
    type: Vi915Module,
    name: "vi915",
    authors: ["vi915 developers"],
    description: "Virtual i915-compatible GEM driver (userptr, GGTT) in Rust",
    license: "GPL",
    params: {
        request_budget_ms: u32 {
            default: 2000,
            description: "Engine time one request may use before it is ended with -EIO and reported in i915_error_state (ms)",
        },
        uapi: u32 {
            default: 2017,
            description: "i915 userptr uAPI generation: 2017 (the seed's rules) or 2021 (modern i915: no UNSYNCHRONIZED, READ_ONLY, no mmap or export of userptrs)",
        },
    },
}

struct Vi915Module {
    drm: Option<drm::Registration<'static, Vi915Driver>>,
    wq: Option<ffi::Workqueue>,
    engine_wq: Option<ffi::Workqueue>,
    faux: &'static faux::Registration,
}

impl Vi915Module {
    fn register(
        fdev: &'static faux::Device<device::Bound>,
    ) -> Result<drm::Registration<'static, Vi915Driver>> {
        let udev = drm::UnregisteredDevice::<Vi915Driver>::new(fdev, Vi915Data::new())?;
        gem::init_funcs(&udev)?;
        ffi::install_driver(&udev)?;
        debugfs::init(&udev);
        // SAFETY: Stored in `Vi915Module` and dropped in its `Drop`, before
        // the faux device it borrows; never forgotten.
        unsafe { drm::Registration::new(fdev.as_ref(), udev, (), 0) }
    }
}

impl kernel::Module for Vi915Module {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        generation::init(module_parameters::uapi.value())?;
        let wq = ffi::Workqueue::new(ffi::Slot::General)?;
        wq.install();
        let engine_wq = ffi::Workqueue::new(ffi::Slot::Engine)?;
        engine_wq.install();
        let faux: &'static faux::Registration = KBox::leak(KBox::new(
            faux::Registration::new(c"vi915", None)?,
            GFP_KERNEL,
        )?);
        // On error, dropping `this` undoes the above.
        let mut this = Self {
            drm: None,
            wq: Some(wq),
            engine_wq: Some(engine_wq),
            faux,
        };
        this.drm = Some(Self::register(faux.as_ref())?);
        Ok(this)
    }
}

impl Drop for Vi915Module {
    fn drop(&mut self) {
        // No file, mapping or dma-buf is left (each holds a module
        // reference), but engine requests and queued gup/revoke/retire work
        // may still hold the last object references. GEM objects do not pin
        // the DRM device, so drain the queues while the registration still
        // keeps the device alive: the engine first (its requests end by
        // queueing their retirement on the general queue), then the rest.
        drop(self.engine_wq.take());
        drop(self.wq.take());
        // Every fence has signalled (detaching its ops); wait out readers of
        // the ops pointer before the module text goes.
        ffi::fence_unload();
        // Then unplug and drop our device reference.
        drop(self.drm.take());
        // SAFETY: `faux` was leaked from a `KBox` in `init`; the DRM
        // registration borrowing it is gone.
        drop(unsafe { KBox::from_raw(core::ptr::from_ref(self.faux).cast_mut()) });
    }
}
