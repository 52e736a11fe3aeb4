// SPDX-License-Identifier: GPL-2.0

//! `struct i915_user_extension` chains in user memory: the walk that
//! `GEM_CREATE_EXT`, `GEM_CONTEXT_CREATE_EXT` and `GEM_MMAP_OFFSET` share, and the chain of
//! `GEM_CREATE_EXT`. The one extension vi915 knows is the memory-region
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

/// Read a `T` from user memory at `addr`.
pub(crate) fn read<T: kernel::transmute::FromBytes>(addr: u64) -> Result<T> {
    let ptr = usize::try_from(addr).map_err(|_| EFAULT)?;
    UserSlice::new(UserPtr::from_addr(ptr), core::mem::size_of::<T>())
        .reader()
        .read()
}

/// Walk an `i915_user_extension` chain starting at `first` (0: none): at
/// most [`MAX_CHAIN`] links (`E2BIG`), nonzero flags or reserved words
/// `EINVAL`, an unreadable link `EFAULT`; `f(name, payload)` handles each
/// link, `payload` the user address of what follows its header.
pub(crate) fn walk(first: u64, mut f: impl FnMut(u32, u64) -> Result) -> Result {
    let mut next = first;
    for _ in 0..MAX_CHAIN {
        if next == 0 {
            return Ok(());
        }
        let ext: uapi::UserExtension = read(next)?;
        if ext.flags != 0 || ext.rsvd != [0; 4] {
            return Err(EINVAL);
        }
        let payload = next.checked_add(core::mem::size_of::<uapi::UserExtension>() as u64);
        f(ext.name, payload.ok_or(EFAULT)?)?;
        next = ext.next_extension;
    }
    Err(E2BIG)
}

/// Walk and check GEM_CREATE_EXT's chain starting at `first` (0: none).
pub(crate) fn extensions(first: u64) -> Result {
    let mut seen_regions = false;
    walk(first, |name, at| match name {
        query::CREATE_EXT_MEMORY_REGIONS if !seen_regions => {
            seen_regions = true;
            let r: uapi::CreateExtRegions = read(at)?;
            // Only one region exists: a longer list repeats it or names
            // another, both EINVAL (args.rs); read at most two.
            let n = r.num_regions.min(2) as usize;
            let mut list = [uapi::MemoryClassInstance::default(); 2];
            for (i, slot) in list.iter_mut().enumerate().take(n) {
                let size = core::mem::size_of::<uapi::MemoryClassInstance>() as u64;
                let at = r.regions.checked_add(i as u64 * size).ok_or(EFAULT)?;
                *slot = read(at)?;
            }
            args::create_ext_regions(r.pad, &list[..n])
        }
        _ => Err(EINVAL),
    })
}
