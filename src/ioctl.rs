// SPDX-License-Identifier: GPL-2.0

//! The driver ioctl table, built by hand: i915's numbers are sparse and its
//! structs are not in the kernel's `uapi` crate, so `declare_drm_ioctls!`
//! cannot be used out of tree. Slot `nr` serves `DRM_COMMAND_BASE + nr`;
//! unused slots are zeroed and the DRM core answers them with `-EINVAL`.

use kernel::{
    bindings,
    drm::{
        self,
        ioctl::{
            DrmIoctlDescriptor,
            IO,
            IOR,
            IOW,
            IOWR,
            RENDER_ALLOW, //
        },
    },
    ffi::{
        c_int,
        c_void, //
    },
    prelude::*,
};

use crate::{
    driver::Vi915Driver,
    file::File,
    uapi::{
        self,
        nr, //
    },
};

const BASE: u32 = bindings::DRM_COMMAND_BASE;

/// One table entry: a thunk that validates the device registration, casts
/// the argument and calls `File::$handler`.
macro_rules! entry {
    ($dir:ident, $nr:expr, $ty:ty, $handler:ident) => {{
        /// The `drm_ioctl_desc::func` of this entry.
        ///
        /// # Safety
        ///
        /// Only called by `drm_ioctl` with its device, argument buffer and file.
        unsafe extern "C" fn thunk(
            raw_dev: *mut bindings::drm_device,
            raw_data: *mut c_void,
            raw_file: *mut bindings::drm_file,
        ) -> c_int {
            // SAFETY: The DRM core calls driver ioctls on a live, registered
            // device of this driver.
            let dev: &drm::Device<Vi915Driver, drm::Ioctl> = unsafe { drm::Device::from_raw(raw_dev) };
            let Some(guard) = dev.registration_guard() else {
                return ENODEV.to_errno();
            };
            // SAFETY: `drm_ioctl` passes a kernel buffer of at least
            // `_IOC_SIZE(cmd)` bytes (asserted equal to the struct size in
            // `uapi.rs`), zero-extended, exclusively ours for the call; all
            // bit patterns are valid for these integer-only structs.
            let data = unsafe { &mut *raw_data.cast::<$ty>() };
            // SAFETY: `raw_file` is the `drm_file` of the calling open file.
            let file = unsafe { drm::File::<File>::from_raw(raw_file) };
            match File::$handler(&guard, data, file) {
                Ok(v) => c_int::try_from(v).unwrap_or(ERANGE.to_errno()),
                Err(e) => e.to_errno(),
            }
        }
        DrmIoctlDescriptor {
            cmd: entry!(@cmd $dir, $ty, BASE + $nr),
            func: Some(thunk),
            flags: RENDER_ALLOW,
            name: kernel::str::as_char_ptr_in_const_context(
                kernel::c_str!(::core::stringify!($handler)),
            ),
        }
    }};
    (@cmd IO, $ty:ty, $n:expr) => { IO($n) };
    (@cmd IOR, $ty:ty, $n:expr) => { IOR::<$ty>($n) };
    (@cmd IOW, $ty:ty, $n:expr) => { IOW::<$ty>($n) };
    (@cmd IOWR, $ty:ty, $n:expr) => { IOWR::<$ty>($n) };
}

/// The sparse ioctl table (`drm_driver.ioctls`).
pub(crate) const TABLE: [DrmIoctlDescriptor; nr::COUNT] = {
    let mut t: [DrmIoctlDescriptor; nr::COUNT] = [const { pin_init::zeroed() }; nr::COUNT];
    t[nr::GETPARAM as usize] = entry!(IOWR, nr::GETPARAM, uapi::GetParam, get_param);
    t[nr::GEM_THROTTLE as usize] = entry!(IO, nr::GEM_THROTTLE, uapi::Empty, throttle);
    t[nr::GEM_BUSY as usize] = entry!(IOWR, nr::GEM_BUSY, uapi::GemBusy, gem_busy);
    t[nr::GEM_CREATE as usize] = entry!(IOWR, nr::GEM_CREATE, uapi::GemCreate, gem_create);
    t[nr::GEM_PREAD as usize] = entry!(IOW, nr::GEM_PREAD, uapi::GemRw, pread);
    t[nr::GEM_PWRITE as usize] = entry!(IOW, nr::GEM_PWRITE, uapi::GemRw, pwrite);
    t[nr::GEM_MMAP as usize] = entry!(IOWR, nr::GEM_MMAP, uapi::GemMmap, gem_mmap);
    t[nr::GEM_SET_CACHING as usize] =
        entry!(IOW, nr::GEM_SET_CACHING, uapi::GemCaching, set_caching);
    t[nr::GEM_GET_CACHING as usize] =
        entry!(IOWR, nr::GEM_GET_CACHING, uapi::GemCaching, get_caching);
    t[nr::GEM_SET_DOMAIN as usize] = entry!(IOW, nr::GEM_SET_DOMAIN, uapi::SetDomain, set_domain);
    t[nr::GEM_SET_TILING as usize] = entry!(IOWR, nr::GEM_SET_TILING, uapi::SetTiling, set_tiling);
    t[nr::GEM_GET_TILING as usize] = entry!(IOWR, nr::GEM_GET_TILING, uapi::GetTiling, get_tiling);
    t[nr::GEM_GET_APERTURE as usize] =
        entry!(IOR, nr::GEM_GET_APERTURE, uapi::GetAperture, get_aperture);
    t[nr::GEM_MMAP_GTT as usize] = entry!(IOWR, nr::GEM_MMAP_GTT, uapi::MmapOffset, mmap_offset);
    t[nr::GEM_MADVISE as usize] = entry!(IOWR, nr::GEM_MADVISE, uapi::GemMadvise, madvise);
    t[nr::GEM_EXECBUFFER2 as usize] =
        entry!(IOWR, nr::GEM_EXECBUFFER2, uapi::Execbuffer2, execbuffer2);
    t[nr::GEM_WAIT as usize] = entry!(IOWR, nr::GEM_WAIT, uapi::GemWait, gem_wait);
    t[nr::GEM_USERPTR as usize] = entry!(IOWR, nr::GEM_USERPTR, uapi::Userptr, userptr);
    t[nr::QUERY as usize] = entry!(IOWR, nr::QUERY, uapi::Query, query);
    t[nr::GEM_CREATE_EXT as usize] =
        entry!(IOWR, nr::GEM_CREATE_EXT, uapi::GemCreateExt, gem_create_ext);
    t[nr::GEM_CONTEXT_CREATE as usize] = entry!(
        IOWR,
        nr::GEM_CONTEXT_CREATE,
        uapi::ContextCreate,
        context_create
    );
    t[nr::GEM_CONTEXT_DESTROY as usize] = entry!(
        IOW,
        nr::GEM_CONTEXT_DESTROY,
        uapi::ContextDestroy,
        context_destroy
    );
    t[nr::GEM_CONTEXT_SETPARAM as usize] = entry!(
        IOWR,
        nr::GEM_CONTEXT_SETPARAM,
        uapi::ContextParam,
        context_setparam
    );
    t[nr::GEM_CONTEXT_GETPARAM as usize] = entry!(
        IOWR,
        nr::GEM_CONTEXT_GETPARAM,
        uapi::ContextParam,
        context_getparam
    );
    t
};
