// SPDX-License-Identifier: GPL-2.0

//! A software GGTT: a first-fit address-space allocator for the 4 GiB global
//! GTT of a Gen9 part. There is no hardware: a "binding" is a reserved range
//! plus the CPU PTEs of GTT mmaps, which the fault handler inserts while it
//! holds the device's GGTT lock (`Vi915Data::ggtt`, the struct_mutex analogue).

use kernel::prelude::*;

use crate::counter::Counter;

/// Objects bound in the software GGTT.
pub(crate) static GGTT_BOUND: Counter = Counter::new();

/// Size of the global GTT (Gen9: 4 GiB).
pub(crate) const GGTT_SIZE: u64 = 1 << 32;

/// Never handed out: address 0 stays invalid (a relocation "presumed 0" is
/// then never mistaken for a correct guess).
const GGTT_RESERVED: u64 = 64 << 10;

struct Node {
    start: u64,
    size: u64,
    key: usize,
}

/// The GGTT address space. Lives inside the device `Mutex`.
pub(crate) struct Ggtt {
    nodes: KVec<Node>,
    used: u64,
}

impl Ggtt {
    /// Empty address space.
    pub(crate) const fn new() -> Self {
        Self {
            nodes: KVec::new(),
            used: 0,
        }
    }

    /// Bytes currently bound.
    pub(crate) fn used(&self) -> u64 {
        self.used
    }

    /// GGTT offset of `key`'s binding, if bound.
    pub(crate) fn offset(&self, key: usize) -> Option<u64> {
        self.nodes.iter().find(|n| n.key == key).map(|n| n.start)
    }

    /// Bind `key` (an object identity) for `size` bytes; idempotent.
    pub(crate) fn bind(&mut self, key: usize, size: u64) -> Result<u64> {
        if let Some(off) = self.offset(key) {
            return Ok(off);
        }
        let mut start = GGTT_RESERVED;
        let mut at = self.nodes.len();
        for (i, n) in self.nodes.iter().enumerate() {
            if n.start - start >= size {
                at = i;
                break;
            }
            start = n.start + n.size;
        }
        if at == self.nodes.len() && GGTT_SIZE.checked_sub(start).is_none_or(|room| room < size) {
            return Err(ENOSPC);
        }
        self.nodes
            .insert_within_capacity(at, Node { start, size, key })
            .or_else(|_| {
                self.nodes.reserve(1, GFP_KERNEL)?;
                self.nodes
                    .insert_within_capacity(at, Node { start, size, key })
                    .map_err(|_| ENOMEM)
            })?;
        self.used += size;
        GGTT_BOUND.inc();
        Ok(start)
    }

    /// Unbind `key`; returns whether it was bound.
    pub(crate) fn unbind(&mut self, key: usize) -> bool {
        let Some(i) = self.nodes.iter().position(|n| n.key == key) else {
            return false;
        };
        if let Ok(n) = self.nodes.remove(i) {
            self.used -= n.size;
            GGTT_BOUND.dec();
        }
        true
    }
}
