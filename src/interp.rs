// SPDX-License-Identifier: GPL-2.0

//! The command loop of the software engine: decode (`cmd.rs`) and run a
//! request's batch over the request's objects only, within its budget.
//! Runs in the fence-signalling section (engine.rs): it reads and writes
//! only pages the request holds, takes no lock and allocates nothing.

use kernel::{
    prelude::*,
    time::{
        Delta,
        Instant,
        Monotonic, //
    },
};

use crate::{
    blit::{
        self,
        Layout,
        Memory, //
    },
    cmd::{
        self,
        Cmd, //
    },
    engine::ReqObj,
    ffi,
};

const PAGE_SIZE: u64 = kernel::page::PAGE_SIZE as u64;

/// A request's batch: its objects (`by_gtt`: their indices in address
/// order), the batch object's index and the byte range submitted.
pub(crate) struct Batch<'a> {
    pub(crate) objs: &'a [ReqObj],
    pub(crate) by_gtt: &'a [usize],
    pub(crate) main: usize,
    pub(crate) start: u64,
    pub(crate) len: u64,
}

impl<'a> Batch<'a> {
    /// Run the batch; on error, the failing command's batch offset. The
    /// engine yields between commands and rows, and a request that runs
    /// past its budget ends with `ETIMEDOUT` (its fence then says -EIO).
    ///
    /// Commands are read from the object's pages one at a time, so a CPU
    /// write into the batch (through any mapping) is seen by the next pass of
    /// a loop: that is how an IGT spinner, a batch that jumps back to its
    /// start until `MI_CONDITIONAL_BATCH_BUFFER_END` finds its condition
    /// dword rewritten, is ended; `MI_SEMAPHORE_WAIT` re-reads its dword
    /// the same way until it compares as asked. A jump (`MI_BATCH_BUFFER_START`) may go to
    /// any address of the request's objects; a second-level batch returns on
    /// its `MI_BATCH_BUFFER_END` (one level, as the hardware nests them).
    pub(crate) fn run(
        &self,
        started: Instant<Monotonic>,
        budget: Delta,
    ) -> core::result::Result<(), (Error, u64)> {
        let mut view = View {
            objs: self.objs,
            by_gtt: self.by_gtt,
            started,
            budget,
            ticks: 0,
            bytes: 0,
        };
        let mut cur = Cursor {
            obj: &self.objs[self.main],
            pc: self.start,
            end: self.start + self.len,
        };
        let mut caller: Option<Cursor<'a>> = None;
        loop {
            let at = cur.pc;
            match self.step(&mut view, &cur) {
                Ok(Flow::Next(n)) => cur.pc += n,
                Ok(Flow::End) => match caller.take() {
                    Some(c) => cur = c,
                    None => return Ok(()),
                },
                Ok(Flow::EndAll) => return Ok(()),
                Ok(Flow::Jump {
                    addr,
                    second_level,
                    len,
                }) => {
                    let (obj, off) = match view.find(addr, 4) {
                        Ok(found) => found,
                        Err(e) => return Err((e, self.offset_of(&cur, at))),
                    };
                    if second_level {
                        if caller.is_some() {
                            return Err((EINVAL, self.offset_of(&cur, at)));
                        }
                        caller = Some(Cursor {
                            pc: cur.pc + len,
                            ..cur
                        });
                    }
                    cur = Cursor {
                        obj,
                        pc: off,
                        end: obj.size(),
                    };
                }
                Err(e) => return Err((e, self.offset_of(&cur, at))),
            }
        }
    }

    /// A command's position for the error report: from the batch start in
    /// the submitted batch, from the object's start elsewhere.
    fn offset_of(&self, cur: &Cursor<'a>, at: u64) -> u64 {
        if core::ptr::eq(cur.obj, &self.objs[self.main]) {
            at.saturating_sub(self.start)
        } else {
            at
        }
    }

    /// Read, decode and run the command at `cur`.
    fn step(&self, view: &mut View<'a>, cur: &Cursor<'a>) -> Result<Flow> {
        view.tick()?;
        let mut bytes = [0u8; cmd::MAX_LEN * 4];
        if cur.pc + 4 > cur.end {
            return Err(EINVAL);
        }
        cur.obj.read_bytes(cur.pc, &mut bytes[..4])?;
        let n = cmd::length(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))?;
        let len = 4 * n as u64;
        if cur.pc + len > cur.end {
            return Err(EINVAL);
        }
        cur.obj.read_bytes(cur.pc + 4, &mut bytes[4..4 * n])?;
        let mut dw = [0u32; cmd::MAX_LEN];
        for (i, d) in dw.iter_mut().take(n).enumerate() {
            let b = &bytes[4 * i..4 * i + 4];
            *d = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        }
        match cmd::parse(&dw[..n])? {
            Cmd::Noop => {}
            Cmd::End => return Ok(Flow::End),
            Cmd::Store { addr, value, bytes } => {
                let (o, off) = view.find(addr, bytes as u64)?;
                o.write_bytes(off, &value.to_le_bytes()[..bytes])?;
            }
            Cmd::Blit(mut b) => {
                b.dst.layout = view.resolve(b.dst.layout, b.dst.addr)?;
                b.src.layout = view.resolve(b.src.layout, b.src.addr)?;
                blit::execute(&b, view)?;
            }
            Cmd::SemaphoreWait { addr, data, op } => {
                // Poll: the CPU (or an earlier command) writes the
                // semaphore; the budget ends a wait that never ends.
                let (o, off) = view.find(addr, 4)?;
                while !op.holds(o.read_dword(off)?, data) {
                    view.tick()?;
                }
            }
            Cmd::CondEnd { addr, data } => {
                let (o, off) = view.find(addr, 4)?;
                if o.read_dword(off)? <= data {
                    // Gen9 ends every batch level (Gen12 added a bit to end
                    // only the current one).
                    return Ok(Flow::EndAll);
                }
            }
            Cmd::Jump { addr, second_level } => {
                return Ok(Flow::Jump {
                    addr,
                    second_level,
                    len,
                })
            }
        }
        Ok(Flow::Next(len))
    }
}

/// Where the engine reads the next command.
#[derive(Clone, Copy)]
struct Cursor<'a> {
    obj: &'a ReqObj,
    pc: u64,
    end: u64,
}

/// What the engine does after a command.
enum Flow {
    /// Go on after it (its length in bytes).
    Next(u64),
    /// End of this batch (return to the caller of a second-level batch).
    End,
    /// End of the request, from any batch level.
    EndAll,
    /// Continue at GGTT address `addr`; a second-level batch returns after
    /// the jump (`len` bytes long).
    Jump {
        addr: u64,
        second_level: bool,
        len: u64,
    },
}

/// The engine yields and reads its budget clock after this many rows and
/// commands, or after copying this many bytes, whichever comes first: the
/// clock is a seqcount read, which lock debugging tracks (about a
/// microsecond under TCG, too much for every row), and a request overruns
/// its budget by at most that much work and one more row or tile.
const YIELD_TICKS: u32 = 64;
const YIELD_BYTES: u64 = 128 << 10;

/// The GGTT as the engine sees it: only the request's objects (`by_gtt`:
/// their indices in address order, for a binary search), the clock of its
/// budget, and the rows or commands run and the bytes copied since the
/// engine last yielded.
struct View<'a> {
    objs: &'a [ReqObj],
    by_gtt: &'a [usize],
    started: Instant<Monotonic>,
    budget: Delta,
    ticks: u32,
    bytes: u64,
}

impl<'a> View<'a> {
    fn find(&self, addr: u64, len: u64) -> Result<(&'a ReqObj, u64)> {
        // The last object starting at or below `addr` (bindings never overlap).
        let at = self
            .by_gtt
            .partition_point(|&i| self.objs[i].gtt <= addr)
            .checked_sub(1)
            .ok_or(EFAULT)?;
        let o = &self.objs[self.by_gtt[at]];
        if addr.saturating_add(len) <= o.gtt + o.size() {
            Ok((o, addr - o.gtt))
        } else {
            Err(EFAULT)
        }
    }

    /// `count` whole tiles side by side (as [`Memory::copy_tiles`]) in one
    /// call through both objects' mappings, after a [`Memory::tick`] if
    /// `tick`; `None` (nothing done) unless the tiles lie in one mapped
    /// binding and their linear rows in another.
    fn mapped_tiles(
        &mut self,
        (tile, layout): (u64, Layout),
        (linear, pitch): (u64, u64),
        count: u64,
        to_tile: bool,
        tick: bool,
    ) -> Option<Result> {
        let (tw, th) = blit::tile_dims(layout).ok()?;
        let tiles_len = count.checked_mul(blit::TILE_BYTES)?;
        let rows_len = count
            .checked_sub(1)?
            .checked_mul(tw)?
            .checked_add((th - 1) * pitch + tw)?;
        let ((t, toff), (l, loff)) = (
            self.find(tile, tiles_len).ok()?,
            self.find(linear, rows_len).ok()?,
        );
        let (tm, lm) = (t.mapped()?, l.mapped()?);
        let written = if to_tile { t } else { l };
        let ready = if tick { self.tick() } else { Ok(()) };
        if let Err(e) = ready.and_then(|()| written.writable()) {
            return Some(Err(e));
        }
        self.bytes += tiles_len;
        // SAFETY: Both mappings cover their objects, which `find` put every
        // tile and every row inside; the side written is writable (checked
        // above).
        unsafe {
            ffi::map_tile_copy(
                (tm, toff),
                layout == Layout::Y,
                (lm, loff, pitch),
                count,
                to_tile,
            )
        };
        Some(Ok(()))
    }

    /// A tiled surface of XY_SRC_COPY_BLT takes its tiling from the object.
    fn resolve(&self, layout: Layout, addr: u64) -> Result<Layout> {
        if layout != Layout::Tiled {
            return Ok(layout);
        }
        let (o, _) = self.find(addr, 1)?;
        Ok(if o.obj.tiling().mode == crate::uapi::TILING_Y {
            Layout::Y
        } else {
            Layout::X
        })
    }
}

impl Memory for View<'_> {
    /// Between rows and commands: every [`YIELD_TICKS`] of them or
    /// [`YIELD_BYTES`] copied, the engine yields and checks its budget.
    fn tick(&mut self) -> Result {
        self.ticks += 1;
        if self.ticks < YIELD_TICKS && self.bytes < YIELD_BYTES {
            return Ok(());
        }
        self.ticks = 0;
        self.bytes = 0;
        ffi::cond_resched();
        if self.started.elapsed() > self.budget {
            return Err(ETIMEDOUT);
        }
        Ok(())
    }

    fn copy_strided(
        &mut self,
        (dst, dst_stride): (u64, u64),
        (src, src_stride): (u64, u64),
        piece: usize,
        count: u64,
    ) -> Result {
        if count == 0 {
            return Ok(());
        }
        let span = |stride: u64| (count - 1) * stride + piece as u64;
        // Both spans in one binding each, else piece by piece (a surface may
        // cross from one object into the next).
        let (Ok((d, doff)), Ok((s, soff))) = (
            self.find(dst, span(dst_stride)),
            self.find(src, span(src_stride)),
        ) else {
            return blit::copy_pieces(self, (dst, dst_stride), (src, src_stride), piece, count);
        };
        let inside = |off: u64, stride| off % PAGE_SIZE + span(stride) <= PAGE_SIZE;
        match (d.mapped(), s.mapped()) {
            (Some(dm), Some(sm)) => {
                d.writable()?;
                // SAFETY: Both mappings cover their objects, which `find` put
                // both spans inside; the destination is writable (checked
                // above: only a READ_ONLY userptr is not, and is mapped so).
                unsafe {
                    ffi::map_copy_strided(
                        (dm, doff, dst_stride),
                        (sm, soff, src_stride),
                        piece,
                        count,
                    )
                };
            }
            // Unmapped, but each span inside one page.
            _ if inside(doff, dst_stride) && inside(soff, src_stride) => {
                d.writable()?;
                let (dp, sp) = (d.page(doff / PAGE_SIZE)?, s.page(soff / PAGE_SIZE)?);
                // SAFETY: Both pages are held by the request; every piece
                // stays inside its page (checked above).
                unsafe {
                    ffi::page_copy_strided(
                        dp,
                        ((doff % PAGE_SIZE) as usize, dst_stride as usize),
                        sp,
                        ((soff % PAGE_SIZE) as usize, src_stride as usize),
                        piece,
                        count as usize,
                    )
                };
            }
            _ => {
                return blit::copy_pieces(self, (dst, dst_stride), (src, src_stride), piece, count)
            }
        }
        self.bytes += piece as u64 * count;
        Ok(())
    }

    fn copy_tile(
        &mut self,
        (tile, layout): (u64, Layout),
        (linear, pitch): (u64, u64),
        to_tile: bool,
    ) -> Result {
        let (tw, th) = blit::tile_dims(layout)?;
        let y = layout == Layout::Y;
        if let Some(done) = self.mapped_tiles((tile, layout), (linear, pitch), 1, to_tile, false) {
            return done;
        }
        // The tile in one binding, its linear rows in one binding; else piece
        // by piece (a surface may cross from one object into the next).
        let (Ok((t, toff)), Ok((l, loff))) = (
            self.find(tile, PAGE_SIZE),
            self.find(linear, (th - 1) * pitch + tw),
        ) else {
            return blit::copy_tile_pieces(self, (tile, layout), (linear, pitch), to_tile);
        };
        let written = if to_tile { t } else { l };
        // Page by page, the tile must fill its page and each row lie inside
        // one.
        if toff % PAGE_SIZE != 0 || loff % tw != 0 || pitch % tw != 0 {
            return blit::copy_tile_pieces(self, (tile, layout), (linear, pitch), to_tile);
        }
        written.writable()?;
        self.bytes += PAGE_SIZE;
        let rows = th as usize;
        let mut pages = [core::ptr::null_mut(); ffi::TILE_ROWS_MAX];
        let mut offs = [0usize; ffi::TILE_ROWS_MAX];
        for (r, (page, in_page)) in pages.iter_mut().zip(offs.iter_mut()).take(rows).enumerate() {
            let off = loff + r as u64 * pitch;
            *page = l.page(off / PAGE_SIZE)?;
            *in_page = (off % PAGE_SIZE) as usize;
        }
        // SAFETY: Every page is held by the request; the tile fills its page
        // and each row's `tw` bytes stay inside theirs (`tw` divides the page
        // size, the row offsets are multiples of it).
        unsafe {
            ffi::tile_copy(
                t.page(toff / PAGE_SIZE)?,
                y,
                &pages[..rows],
                &offs[..rows],
                to_tile,
            )
        }
    }

    fn copy_tiles(
        &mut self,
        (tile, layout): (u64, Layout),
        (linear, pitch): (u64, u64),
        count: u64,
        to_tile: bool,
    ) -> Result {
        if let Some(done) = self.mapped_tiles((tile, layout), (linear, pitch), count, to_tile, true)
        {
            return done;
        }
        blit::copy_tiles_one_by_one(self, (tile, layout), (linear, pitch), count, to_tile)
    }

    fn copy(&mut self, dst: u64, src: u64, len: usize) -> Result {
        let (d, doff) = self.find(dst, len as u64)?;
        let (s, soff) = self.find(src, len as u64)?;
        d.writable()?;
        if let (Some(dm), Some(sm)) = (d.mapped(), s.mapped()) {
            self.bytes += len as u64;
            // SAFETY: Both mappings cover their objects, which `find` put
            // both ranges inside; the destination is writable (checked
            // above).
            unsafe { ffi::map_copy_strided((dm, doff, 0), (sm, soff, 0), len, 1) };
            return Ok(());
        }
        let mut done = 0u64;
        while done < len as u64 {
            let (dp, sp) = (doff + done, soff + done);
            let n = (len as u64 - done)
                .min(PAGE_SIZE - dp % PAGE_SIZE)
                .min(PAGE_SIZE - sp % PAGE_SIZE);
            let (dpage, spage) = (d.page(dp / PAGE_SIZE)?, s.page(sp / PAGE_SIZE)?);
            self.bytes += n;
            // SAFETY: Both pages are held by the request; the piece stays
            // inside each page.
            unsafe {
                ffi::page_copy(
                    dpage,
                    (dp % PAGE_SIZE) as usize,
                    spage,
                    (sp % PAGE_SIZE) as usize,
                    n as usize,
                )
            };
            done += n;
        }
        Ok(())
    }
}
