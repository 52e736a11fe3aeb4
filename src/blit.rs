// SPDX-License-Identifier: GPL-2.0

//! The 2D copy of the software engine and the tiling maths, as pure logic
//! over a [`Memory`] (GGTT addresses). KUnit: `vi915_blit`, against a
//! byte-array memory and an independent per-pixel model of the layouts.
//!
//! Layouts (no swizzling, as SET_TILING reports):
//! * linear: `y * pitch + x`;
//! * X: 4 KiB tiles of 512 bytes x 8 rows, rows in order;
//! * Y: 4 KiB tiles of 128 bytes x 32 rows, stored as eight 16-byte-wide
//!   columns of 32 rows, column after column.
//!
//! Tiled pitches must be whole tiles wide.

use kernel::prelude::*;

/// Memory layout of a surface.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub(crate) enum Layout {
    /// Row after row.
    Linear,
    /// "Tiled" without saying which (XY_SRC_COPY_BLT): the engine resolves
    /// it from the tiling of the object holding the surface.
    Tiled,
    /// X tiling.
    X,
    /// Legacy Y tiling.
    Y,
}

/// One side of a blit.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub(crate) struct Surface {
    /// GGTT address of the surface's first byte.
    pub(crate) addr: u64,
    /// Bytes per row (of tiles: bytes per tile row / 8 or 32).
    pub(crate) pitch: u32,
    /// Layout.
    pub(crate) layout: Layout,
    /// First pixel column.
    pub(crate) x: u32,
    /// First row.
    pub(crate) y: u32,
}

/// A rectangle copy.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub(crate) struct Blit {
    /// Destination.
    pub(crate) dst: Surface,
    /// Source.
    pub(crate) src: Surface,
    /// Pixels per row.
    pub(crate) width: u32,
    /// Rows.
    pub(crate) height: u32,
    /// Bytes per pixel.
    pub(crate) cpp: u32,
}

/// What the engine copies with.
pub(crate) trait Memory {
    /// Copy `len` bytes from GGTT address `src` to `dst`.
    fn copy(&mut self, dst: u64, src: u64, len: usize) -> Result;

    /// Copy `count` pieces of `piece` bytes, the destination advancing by
    /// `dst_stride` and the source by `src_stride` (a Y tile's share of a
    /// row). A memory that can do it in one go overrides this.
    fn copy_strided(
        &mut self,
        (dst, dst_stride): (u64, u64),
        (src, src_stride): (u64, u64),
        piece: usize,
        count: u64,
    ) -> Result {
        copy_pieces(self, (dst, dst_stride), (src, src_stride), piece, count)
    }

    /// Copy one whole tile of `layout` at `tile` to (`to_tile`) or from the
    /// linear rows at `linear`, `pitch` bytes apart, that hold it. A memory
    /// that can do it in one go overrides this.
    fn copy_tile(
        &mut self,
        (tile, layout): (u64, Layout),
        (linear, pitch): (u64, u64),
        to_tile: bool,
    ) -> Result {
        copy_tile_pieces(self, (tile, layout), (linear, pitch), to_tile)
    }

    /// Copy `count` whole tiles side by side (4096 bytes apart from `tile`),
    /// each with its linear rows (`tw` bytes further on each time from
    /// `linear`), as [`Memory::copy_tile`] does one. A memory that can do it
    /// in one go overrides this.
    fn copy_tiles(
        &mut self,
        (tile, layout): (u64, Layout),
        (linear, pitch): (u64, u64),
        count: u64,
        to_tile: bool,
    ) -> Result {
        copy_tiles_one_by_one(self, (tile, layout), (linear, pitch), count, to_tile)
    }

    /// Called once per row (per tile for whole tiles): the engine yields
    /// here and ends a request that ran past its budget (an error ends the
    /// blit).
    fn tick(&mut self) -> Result {
        Ok(())
    }
}

/// Bytes of a tile (X and Y).
pub(crate) const TILE_BYTES: u64 = 4096;

/// Bytes per row and rows of a tile.
pub(crate) fn tile_dims(layout: Layout) -> Result<(u64, u64)> {
    match layout {
        Layout::X => Ok((512, 8)),
        Layout::Y => Ok((128, 32)),
        Layout::Linear | Layout::Tiled => Err(EINVAL),
    }
}

/// [`Memory::copy_tile`] one contiguous piece at a time.
pub(crate) fn copy_tile_pieces<M: Memory + ?Sized>(
    mem: &mut M,
    (tile, layout): (u64, Layout),
    (linear, pitch): (u64, u64),
    to_tile: bool,
) -> Result {
    let (tw, th) = tile_dims(layout)?;
    for r in 0..th {
        let mut xb = 0;
        while xb < tw {
            // One tile as a surface one tile wide.
            let (o, run) = locate(layout, tw as u32, xb, r)?;
            let n = run.min(tw - xb);
            let (t, l) = (tile + o, linear + r * pitch + xb);
            let (d, s) = if to_tile { (t, l) } else { (l, t) };
            mem.copy(d, s, usize::try_from(n)?)?;
            xb += n;
        }
    }
    Ok(())
}

/// [`Memory::copy_tiles`] one [`Memory::copy_tile`] at a time.
pub(crate) fn copy_tiles_one_by_one<M: Memory + ?Sized>(
    mem: &mut M,
    (tile, layout): (u64, Layout),
    (linear, pitch): (u64, u64),
    count: u64,
    to_tile: bool,
) -> Result {
    let (tw, _) = tile_dims(layout)?;
    for t in 0..count {
        mem.tick()?;
        let at = tile.checked_add(t * TILE_BYTES).ok_or(EINVAL)?;
        let rows = linear.checked_add(t * tw).ok_or(EINVAL)?;
        mem.copy_tile((at, layout), (rows, pitch), to_tile)?;
    }
    Ok(())
}

/// Offset from the surface start of byte column `xb` of row `y`, and how many
/// bytes from there on are contiguous in memory (within the row).
pub(crate) fn locate(layout: Layout, pitch: u32, xb: u64, y: u64) -> Result<(u64, u64)> {
    let pitch = u64::from(pitch);
    match layout {
        Layout::Linear => Ok((y * pitch + xb, u64::MAX)),
        Layout::X => {
            if pitch == 0 || pitch % 512 != 0 {
                return Err(EINVAL);
            }
            let tile = (y / 8) * (pitch / 512) + xb / 512;
            Ok((tile * 4096 + (y % 8) * 512 + xb % 512, 512 - xb % 512))
        }
        Layout::Y => {
            if pitch == 0 || pitch % 128 != 0 {
                return Err(EINVAL);
            }
            let tile = (y / 32) * (pitch / 128) + xb / 128;
            let column = (xb % 128) / 16;
            Ok((
                tile * 4096 + column * 512 + (y % 32) * 16 + xb % 16,
                16 - xb % 16,
            ))
        }
        Layout::Tiled => Err(EINVAL),
    }
}

/// GGTT address of byte column `xb` of row `y` of `s`, and how many bytes
/// from there on are contiguous in memory (within the row).
fn address(s: &Surface, xb: u64, y: u64) -> Result<(u64, u64)> {
    let (off, run) = locate(s.layout, s.pitch, xb, y)?;
    Ok((s.addr.checked_add(off).ok_or(EINVAL)?, run))
}

/// [`Memory::copy_strided`] one piece at a time.
pub(crate) fn copy_pieces<M: Memory + ?Sized>(
    mem: &mut M,
    (dst, dst_stride): (u64, u64),
    (src, src_stride): (u64, u64),
    piece: usize,
    count: u64,
) -> Result {
    for i in 0..count {
        mem.copy(dst + i * dst_stride, src + i * src_stride, piece)?;
    }
    Ok(())
}

/// A Y tile's share of one row: 128 bytes, eight 16-byte columns 512 bytes
/// apart in the tile.
const Y_ROW: u64 = 128;
const Y_COLUMN: u64 = 16;
const Y_COLUMN_STRIDE: u64 = 512;

/// Strides of a whole Y tile row between a Y and a linear surface, if the
/// piece of the row at byte columns `sxb` (source) and `dxb` (destination),
/// `left` bytes long, starts one: one strided copy instead of eight.
fn y_tile_row(b: &Blit, sxb: u64, dxb: u64, left: u64) -> Option<(u64, u64)> {
    if left < Y_ROW {
        return None;
    }
    match (b.dst.layout, b.src.layout) {
        (Layout::Y, Layout::Linear) if dxb % Y_ROW == 0 => Some((Y_COLUMN_STRIDE, Y_COLUMN)),
        (Layout::Linear, Layout::Y) if sxb % Y_ROW == 0 => Some((Y_COLUMN, Y_COLUMN_STRIDE)),
        _ => None,
    }
}

/// The tiled side, the linear side and the direction of a blit between an
/// X or Y tiled surface and a linear one that covers whole tiles.
fn whole_tiles(b: &Blit) -> Option<(&Surface, &Surface, bool)> {
    let (tiled, linear, to_tile) = match (b.dst.layout, b.src.layout) {
        (Layout::X | Layout::Y, Layout::Linear) => (&b.dst, &b.src, true),
        (Layout::Linear, Layout::X | Layout::Y) => (&b.src, &b.dst, false),
        _ => return None,
    };
    let (tw, th) = tile_dims(tiled.layout).ok()?;
    let cpp = u64::from(b.cpp);
    let whole = |bytes: u64, rows: u64| bytes % tw == 0 && rows % th == 0;
    (whole(u64::from(tiled.x) * cpp, u64::from(tiled.y))
        && whole(u64::from(b.width) * cpp, u64::from(b.height)))
    .then_some((tiled, linear, to_tile))
}

/// A blit of whole tiles, a row of tiles at a time ([`Memory::copy_tiles`]),
/// each tile and the linear rows that hold it in one [`Memory::copy_tile`].
fn execute_tiles(
    b: &Blit,
    (tiled, linear, to_tile): (&Surface, &Surface, bool),
    mem: &mut impl Memory,
) -> Result {
    let (tw, th) = tile_dims(tiled.layout)?;
    let cpp = u64::from(b.cpp);
    let (txb, lxb) = (u64::from(tiled.x) * cpp, u64::from(linear.x) * cpp);
    let lpitch = u64::from(linear.pitch);
    for band in 0..u64::from(b.height) / th {
        let (ty, ly) = (
            u64::from(tiled.y) + band * th,
            u64::from(linear.y) + band * th,
        );
        let (tile, _) = address(tiled, txb, ty)?;
        let (rows, _) = address(linear, lxb, ly)?;
        let count = u64::from(b.width) * cpp / tw;
        mem.copy_tiles((tile, tiled.layout), (rows, lpitch), count, to_tile)?;
    }
    Ok(())
}

/// Rows copied in one piece when a linear blit's rows lie back to back on
/// both sides: about 128 KiB, whole rows.
const BAND_BYTES: u64 = 128 << 10;

/// Rows per piece of a linear blit whose rows lie back to back on both sides
/// (each row a whole pitch, a multiple of 64 bytes: the copy then moves the
/// same 64-byte blocks as row by row), else `None`.
fn row_band(b: &Blit, row: u64) -> Option<u64> {
    let back_to_back = |s: &Surface| s.layout == Layout::Linear && u64::from(s.pitch) == row;
    (row != 0 && row % 64 == 0 && back_to_back(&b.src) && back_to_back(&b.dst))
        .then(|| (BAND_BYTES / row).max(1))
}

/// Execute `b` (its layouts resolved: no [`Layout::Tiled`]).
pub(crate) fn execute(b: &Blit, mem: &mut impl Memory) -> Result {
    if let Some(sides) = whole_tiles(b) {
        return execute_tiles(b, sides, mem);
    }
    let cpp = u64::from(b.cpp);
    let row = u64::from(b.width) * cpp;
    let (sx, dx) = (u64::from(b.src.x) * cpp, u64::from(b.dst.x) * cpp);
    let height = u64::from(b.height);
    let band = row_band(b, row).unwrap_or(1);
    let mut r = 0;
    while r < height {
        // A band of rows back to back in one copy; where that fails (it may
        // cross from one object into the next), row by row as below.
        let rows = band.min(height - r);
        if rows > 1 {
            mem.tick()?;
            let (s, _) = address(&b.src, sx, u64::from(b.src.y) + r)?;
            let (d, _) = address(&b.dst, dx, u64::from(b.dst.y) + r)?;
            if mem.copy(d, s, usize::try_from(rows * row)?).is_ok() {
                r += rows;
                continue;
            }
        }
        for r in r..r + rows {
            copy_row(b, mem, r, (sx, dx), row)?;
        }
        r += rows;
    }
    Ok(())
}

/// Row `r` of a blit that is not whole tiles, `row` bytes from byte columns
/// `sx` (source) and `dx` (destination), piece by piece.
fn copy_row(b: &Blit, mem: &mut impl Memory, r: u64, (sx, dx): (u64, u64), row: u64) -> Result {
    mem.tick()?;
    let (sy, dy) = (u64::from(b.src.y) + r, u64::from(b.dst.y) + r);
    let mut done = 0;
    while done < row {
        let (s, srun) = address(&b.src, sx + done, sy)?;
        let (d, drun) = address(&b.dst, dx + done, dy)?;
        if let Some((ds, ss)) = y_tile_row(b, sx + done, dx + done, row - done) {
            mem.copy_strided((d, ds), (s, ss), Y_COLUMN as usize, Y_ROW / Y_COLUMN)?;
            done += Y_ROW;
            continue;
        }
        let n = srun.min(drun).min(row - done);
        mem.copy(d, s, usize::try_from(n)?)?;
        done += n;
    }
    Ok(())
}

#[kunit_tests(vi915_blit)]
mod tests {
    use super::*;

    /// A flat byte memory at GGTT address 0.
    struct Flat(KVec<u8>);

    impl Memory for Flat {
        fn copy(&mut self, dst: u64, src: u64, len: usize) -> Result {
            let (d, s) = (dst as usize, src as usize);
            if d + len > self.0.len() || s + len > self.0.len() {
                return Err(EFAULT);
            }
            for i in 0..len {
                self.0[d + i] = self.0[s + i];
            }
            Ok(())
        }
    }

    /// Independent model: byte (xb, y) of a tiled surface, from the
    /// hardware description (tile index, then row/column inside the tile).
    fn model(layout: Layout, pitch: u64, xb: u64, y: u64) -> u64 {
        match layout {
            Layout::X => {
                let (tw, th) = (512, 8);
                let tiles_per_row = pitch / tw;
                let tile_index = (y / th) * tiles_per_row + xb / tw;
                let (in_x, in_y) = (xb % tw, y % th);
                tile_index * 4096 + in_y * tw + in_x
            }
            Layout::Y => {
                let (tw, th) = (128, 32);
                let tiles_per_row = pitch / tw;
                let tile_index = (y / th) * tiles_per_row + xb / tw;
                let (in_x, in_y) = (xb % tw, y % th);
                // OWord (16-byte) column major inside the tile.
                let oword = (in_x / 16) * th + in_y;
                tile_index * 4096 + oword * 16 + in_x % 16
            }
            _ => y * pitch + xb,
        }
    }

    #[test]
    fn locate_matches_model() {
        for layout in [Layout::X, Layout::Y, Layout::Linear] {
            let pitch = 1024u64;
            for y in [0u64, 1, 7, 8, 31, 32, 33, 100] {
                for xb in [0u64, 1, 15, 16, 127, 128, 511, 512, 1000] {
                    let Ok((off, run)) = locate(layout, pitch as u32, xb, y) else {
                        panic!("locate failed");
                    };
                    assert_eq!(off, model(layout, pitch, xb, y));
                    // Every byte of the run is where the model says.
                    let probe = run.min(64);
                    for i in 0..probe {
                        if xb + i < pitch {
                            assert_eq!(off + i, model(layout, pitch, xb + i, y));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn tiled_pitch_must_be_whole_tiles() {
        assert_eq!(locate(Layout::X, 256, 0, 0), Err(EINVAL));
        assert_eq!(locate(Layout::Y, 64, 0, 0), Err(EINVAL));
        assert_eq!(locate(Layout::Y, 0, 0, 0), Err(EINVAL));
        assert_eq!(locate(Layout::Tiled, 512, 0, 0), Err(EINVAL));
        assert!(locate(Layout::Y, 128, 0, 0).is_ok());
    }

    /// Linear `W`x`H` (32 bpp) -> `layout` at 64 KiB -> linear at 128 KiB:
    /// the round trip is the identity, and the middle copy is laid out as
    /// the model says.
    fn round_trip<const W: u32, const H: u32>(layout: Layout) -> Result {
        let tiled_pitch = 512u32; // 1 X tile or 4 Y tiles wide
        let mut m = Flat(KVec::from_elem(0u8, 3 * 65536, GFP_KERNEL)?);
        for i in 0..(W * H * 4) as usize {
            m.0[i] = (i * 7 + i / 251) as u8;
        }
        let lin = |addr| Surface {
            addr,
            pitch: W * 4,
            layout: Layout::Linear,
            x: 0,
            y: 0,
        };
        let tiled = Surface {
            addr: 65536,
            pitch: tiled_pitch,
            layout,
            x: 0,
            y: 0,
        };
        let there = Blit {
            dst: tiled,
            src: lin(0),
            width: W,
            height: H,
            cpp: 4,
        };
        assert_eq!(execute(&there, &mut m), Ok(()));
        for y in 0..u64::from(H) {
            for xb in 0..u64::from(W * 4) {
                let at = 65536 + model(layout, u64::from(tiled_pitch), xb, y);
                assert_eq!(m.0[at as usize], m.0[(y * u64::from(W) * 4 + xb) as usize]);
            }
        }
        let back = Blit {
            dst: lin(131072),
            src: tiled,
            width: W,
            height: H,
            cpp: 4,
        };
        assert_eq!(execute(&back, &mut m), Ok(()));
        assert!(m.0[..(W * H * 4) as usize] == m.0[131072..131072 + (W * H * 4) as usize]);
        Ok(())
    }

    #[test]
    fn round_trip_x() -> Result {
        // Half a tile wide: row by row.
        round_trip::<64, 64>(Layout::X)
    }

    #[test]
    fn round_trip_y() -> Result {
        // 40 rows: not whole tiles, row by row.
        round_trip::<64, 40>(Layout::Y)
    }

    #[test]
    fn round_trip_whole_tiles() -> Result {
        // Whole tiles: tile by tile (`copy_tile`).
        round_trip::<128, 64>(Layout::X)?;
        round_trip::<64, 64>(Layout::Y)
    }

    #[test]
    fn whole_tiles_only_when_aligned() {
        let surface = |layout, x, y| Surface {
            addr: 0,
            pitch: 1024,
            layout,
            x,
            y,
        };
        let blit = |dst, width, height| Blit {
            dst,
            src: surface(Layout::Linear, 3, 1),
            width,
            height,
            cpp: 4,
        };
        assert!(whole_tiles(&blit(surface(Layout::X, 128, 8), 128, 16)).is_some());
        assert!(whole_tiles(&blit(surface(Layout::X, 1, 8), 128, 16)).is_none());
        assert!(whole_tiles(&blit(surface(Layout::X, 128, 8), 128, 12)).is_none());
        assert!(whole_tiles(&blit(surface(Layout::Y, 32, 32), 64, 32)).is_some());
        assert!(whole_tiles(&blit(surface(Layout::Y, 32, 16), 64, 32)).is_none());
        assert!(whole_tiles(&blit(surface(Layout::Linear, 0, 0), 64, 32)).is_none());
    }

    #[test]
    fn sub_rectangle_linear() -> Result {
        // Copy a 3x2 rectangle of 16-bit pixels from (1,1) to (5,0).
        let mut m = Flat(KVec::from_elem(0u8, 4096, GFP_KERNEL)?);
        for i in 0..1024 {
            m.0[i] = i as u8;
        }
        let b = Blit {
            dst: Surface {
                addr: 2048,
                pitch: 32,
                layout: Layout::Linear,
                x: 5,
                y: 0,
            },
            src: Surface {
                addr: 0,
                pitch: 32,
                layout: Layout::Linear,
                x: 1,
                y: 1,
            },
            width: 3,
            height: 2,
            cpp: 2,
        };
        assert_eq!(execute(&b, &mut m), Ok(()));
        for r in 0..2usize {
            for i in 0..6usize {
                assert_eq!(m.0[2048 + r * 32 + 10 + i], (32 * (1 + r) + 2 + i) as u8);
            }
            // Bytes around the rectangle are untouched.
            assert_eq!(m.0[2048 + r * 32 + 9], 0);
            assert_eq!(m.0[2048 + r * 32 + 16], 0);
        }
        Ok(())
    }

    /// A flat memory whose copies may not be longer than `.1` bytes, as a
    /// band that crosses from one object into the next.
    struct Short(Flat, usize);

    impl Memory for Short {
        fn copy(&mut self, dst: u64, src: u64, len: usize) -> Result {
            if len > self.1 {
                return Err(EFAULT);
            }
            self.0.copy(dst, src, len)
        }
    }

    #[test]
    fn back_to_back_rows_in_bands() -> Result {
        // A band of 512 rows in one copy, or (copies of one row at most) row
        // by row: the same bytes.
        for max in [usize::MAX, 256] {
            let mut m = Short(Flat(KVec::from_elem(0u8, 65536, GFP_KERNEL)?), max);
            for i in 0..32768 {
                m.0 .0[i] = (i * 13 + i / 255) as u8;
            }
            let surf = |addr, y| Surface {
                addr,
                pitch: 256,
                layout: Layout::Linear,
                x: 0,
                y,
            };
            let b = Blit {
                dst: surf(32768, 5),
                src: surf(0, 2),
                width: 64,
                height: 100,
                cpp: 4,
            };
            assert_eq!(row_band(&b, 256), Some(512));
            assert_eq!(execute(&b, &mut m), Ok(()));
            assert!(m.0 .0[512..512 + 25600] == m.0 .0[32768 + 1280..32768 + 1280 + 25600]);
            assert!(m.0 .0[32768..32768 + 1280].iter().all(|&x| x == 0));
        }
        // Rows with a gap between them: row by row.
        let gap = Blit {
            dst: Surface {
                addr: 0,
                pitch: 512,
                layout: Layout::Linear,
                x: 0,
                y: 0,
            },
            src: Surface {
                addr: 0,
                pitch: 256,
                layout: Layout::Linear,
                x: 0,
                y: 0,
            },
            width: 64,
            height: 4,
            cpp: 4,
        };
        assert_eq!(row_band(&gap, 256), None);
        Ok(())
    }

    #[test]
    fn out_of_bounds_is_an_error() -> Result {
        let mut m = Flat(KVec::from_elem(0u8, 4096, GFP_KERNEL)?);
        let s = Surface {
            addr: 0,
            pitch: 4096,
            layout: Layout::Linear,
            x: 0,
            y: 0,
        };
        let b = Blit {
            dst: s,
            src: s,
            width: 1024,
            height: 2,
            cpp: 4,
        };
        assert_eq!(execute(&b, &mut m), Err(EFAULT));
        Ok(())
    }
}
