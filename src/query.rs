// SPDX-License-Identifier: GPL-2.0

//! `DRM_IOCTL_I915_QUERY`: what vi915 is, in i915's query format. One
//! system-memory region (all of RAM: objects are system pages) and one copy
//! engine (bcs0, the software engine). Queries about hardware vi915 does not
//! have (topology, perf, hwconfig, geometry, GuC) answer `-ENODEV` in the
//! item, as i915 does on hardware without them; unknown ids `-EINVAL`.
//!
//! As in i915, per-item errors go into the item's `length` and the ioctl
//! succeeds; only a bad `flags`, a zero query id or an unreadable item fail
//! the whole ioctl.

use kernel::{
    prelude::*,
    transmute::AsBytes,
    uaccess::{
        UserPtr,
        UserSlice, //
    },
};

use crate::{
    ffi,
    uapi::{
        self,
        query, //
    },
};

/// At most this many items per call (i915 has no cap; every item is a user
/// copy, so the ioctl stays short).
pub(crate) const MAX_ITEMS: u32 = 4096;

const ITEM_SIZE: usize = core::mem::size_of::<uapi::QueryItem>();
const HEADER_SIZE: usize = core::mem::size_of::<uapi::QueryHeader>();

/// The answer of one item: its length, or a negative errno.
fn answer(item: &uapi::QueryItem) -> Result<i32, Error> {
    match item.query_id {
        query::MEMORY_REGIONS | query::ENGINE_INFO if item.flags != 0 => Err(EINVAL),
        query::MEMORY_REGIONS => {
            let ram = ffi::totalram_bytes();
            let region = uapi::MemoryRegionInfo {
                memory_class: query::MEMORY_CLASS_SYSTEM,
                probed_size: ram,
                // Without perfmon rights i915 reports no usage either.
                unallocated_size: ram,
                probed_cpu_visible_size: ram,
                unallocated_cpu_visible_size: ram,
                ..Default::default()
            };
            copy_item(item, &region)
        }
        query::ENGINE_INFO => {
            let engine = uapi::EngineInfo {
                engine_class: query::ENGINE_CLASS_COPY,
                flags: query::ENGINE_INFO_HAS_LOGICAL_INSTANCE,
                ..Default::default()
            };
            copy_item(item, &engine)
        }
        query::TOPOLOGY_INFO
        | query::PERF_CONFIG
        | query::HWCONFIG_BLOB
        | query::GEOMETRY_SUBSLICES
        | query::GUC_SUBMISSION_VERSION => Err(ENODEV),
        _ => Err(EINVAL),
    }
}

/// i915's `copy_query_item` for a header and one entry: `length == 0` asks
/// for the size; a shorter buffer is `EINVAL`; the user's header must be
/// zero (no count, reserved words clear). i915 compares the s32 length with
/// the size as unsigned: a negative length is a huge buffer (IGT's
/// query-regions-garbage-items passes the -EFAULT an earlier call left).
fn copy_item<T: AsBytes>(item: &uapi::QueryItem, entry: &T) -> Result<i32, Error> {
    let total = HEADER_SIZE + core::mem::size_of::<T>();
    let len = usize::try_from(item.length.cast_unsigned()).map_err(|_| EINVAL)?;
    if len == 0 {
        return Ok(total as i32);
    }
    if len < total {
        return Err(EINVAL);
    }
    let ptr = usize::try_from(item.data_ptr).map_err(|_| EFAULT)?;
    let head: uapi::QueryHeader = UserSlice::new(UserPtr::from_addr(ptr), HEADER_SIZE)
        .reader()
        .read()?;
    if head.num != 0 || head.rsvd != [0; 3] {
        return Err(EINVAL);
    }
    let mut writer = UserSlice::new(UserPtr::from_addr(ptr), total).writer();
    writer.write(&uapi::QueryHeader {
        num: 1,
        rsvd: [0; 3],
    })?;
    writer.write(entry)?;
    Ok(total as i32)
}

/// `DRM_IOCTL_I915_QUERY`.
pub(crate) fn query(a: &uapi::Query) -> Result<u32> {
    if a.flags != 0 || a.num_items > MAX_ITEMS {
        return Err(EINVAL);
    }
    let base = usize::try_from(a.items_ptr).map_err(|_| EFAULT)?;
    for i in 0..a.num_items as usize {
        let addr = base.checked_add(i * ITEM_SIZE).ok_or(EFAULT)?;
        let item: uapi::QueryItem = UserSlice::new(UserPtr::from_addr(addr), ITEM_SIZE)
            .reader()
            .read()?;
        if item.query_id == 0 {
            return Err(EINVAL);
        }
        let ret = answer(&item).unwrap_or_else(|e| e.to_errno());
        if ret != item.length {
            // `length` is the second field, after the u64 query id.
            let at = addr
                .checked_add(core::mem::size_of::<u64>())
                .ok_or(EFAULT)?;
            UserSlice::new(UserPtr::from_addr(at), core::mem::size_of::<i32>())
                .writer()
                .write(&ret)?;
        }
    }
    Ok(0)
}
