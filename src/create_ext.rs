// SPDX-License-Identifier: GPL-2.0

//! The extension chain of `GEM_CREATE_EXT` (`struct i915_user_extension`
//! links in user memory). The one extension vi915 knows is the memory-region
//! list (args.rs checks it); any other name is `EINVAL`, as in i915.

use kernel::{
    prelude::*,
    uaccess::{
        UserPtr,
        UserSlice, //
    },
};

use crate::{
    args,
    uapi::{
        self,
        query, //
    },
};

/// i915's bound on the length of an extension chain.
const MAX_CHAIN: usize = 512;

fn read<T: kernel::transmute::FromBytes>(addr: u64) -> Result<T> {
    let ptr = usize::try_from(addr).map_err(|_| EFAULT)?;
    UserSlice::new(UserPtr::from_addr(ptr), core::mem::size_of::<T>())
        .reader()
        .read()
}

/// Walk and check the chain starting at `first` (0: none).
pub(crate) fn extensions(first: u64) -> Result {
    let mut next = first;
    let mut seen_regions = false;
    for _ in 0..MAX_CHAIN {
        if next == 0 {
            return Ok(());
        }
        let ext: uapi::UserExtension = read(next)?;
        if ext.flags != 0 || ext.rsvd != [0; 4] {
            return Err(EINVAL);
        }
        match ext.name {
            query::CREATE_EXT_MEMORY_REGIONS if !seen_regions => {
                seen_regions = true;
                let at = next.checked_add(core::mem::size_of::<uapi::UserExtension>() as u64);
                let r: uapi::CreateExtRegions = read(at.ok_or(EFAULT)?)?;
                // Only one region exists: a longer list repeats it or names
                // another, both EINVAL (args.rs); read at most two.
                let n = r.num_regions.min(2) as usize;
                let mut list = [uapi::MemoryClassInstance::default(); 2];
                for (i, slot) in list.iter_mut().enumerate().take(n) {
                    let size = core::mem::size_of::<uapi::MemoryClassInstance>() as u64;
                    let at = r.regions.checked_add(i as u64 * size).ok_or(EFAULT)?;
                    *slot = read(at)?;
                }
                args::create_ext_regions(r.pad, &list[..n])?;
            }
            _ => return Err(EINVAL),
        }
        next = ext.next_extension;
    }
    Err(E2BIG)
}
