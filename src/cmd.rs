// SPDX-License-Identifier: GPL-2.0

//! The command parser of the software engine (Gen9 encodings), as pure
//! logic: a command's length from its header, then its fields. KUnit:
//! `vi915_cmd_parser`.
//!
//! Supported: `MI_NOOP`, `MI_ARB_CHECK` (a no-op: nothing preempts),
//! `MI_BATCH_BUFFER_END`, `MI_BATCH_BUFFER_START` (Gen8 form, chained or
//! second level), `MI_CONDITIONAL_BATCH_BUFFER_END` (with compare),
//! `MI_STORE_DWORD_IMM` (dword and qword), `MI_FLUSH_DW` (with the
//! immediate-store post-sync op), `MI_SEMAPHORE_WAIT` (poll mode),
//! `XY_SRC_COPY_BLT` and `XY_FAST_COPY_BLT` (see `blit.rs`): what IGT's
//! blits, stores and spinners emit. Anything else is an error that ends the
//! request.

use kernel::prelude::*;

use crate::blit::{
    Blit,
    Layout,
    Surface, //
};

/// Longest command, in dwords (the two blits).
pub(crate) const MAX_LEN: usize = 10;

const MI_NOOP: u32 = 0;
const MI_BATCH_BUFFER_END: u32 = 0x0a << 23;
const MI_ARB_CHECK: u32 = 0x05 << 23;
const MI_BATCH_BUFFER_START: u32 = 0x31 << 23;
const MI_BBS_SECOND_LEVEL: u32 = 1 << 22;
const MI_COND_BATCH_BUFFER_END: u32 = 0x36 << 23;
const MI_COND_DO_COMPARE: u32 = 1 << 21;
const MI_OPCODE_MASK: u32 = 0x3f << 23;
const MI_STORE_DWORD_IMM: u32 = 0x20 << 23;
const MI_FLUSH_DW: u32 = 0x26 << 23;
const MI_FLUSH_DW_OP_MASK: u32 = 3 << 14;
const MI_FLUSH_DW_OP_STOREDW: u32 = 1 << 14;
const MI_SEMAPHORE_WAIT: u32 = 0x1c << 23;
const MI_SEMAPHORE_POLL: u32 = 1 << 15;

const CLIENT_MASK: u32 = 7 << 29;
const CLIENT_MI: u32 = 0;
const CLIENT_2D: u32 = 2 << 29;
const BLT_OPCODE_MASK: u32 = 0x7f << 22;
const XY_SRC_COPY_BLT: u32 = CLIENT_2D | (0x53 << 22);
const XY_FAST_COPY_BLT: u32 = CLIENT_2D | (0x42 << 22);
const XY_SRC_COPY_SRC_TILED: u32 = 1 << 15;
const XY_SRC_COPY_DST_TILED: u32 = 1 << 11;
const ROP_SRCCOPY: u32 = 0xcc;

/// A decoded command.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Cmd {
    /// Nothing.
    Noop,
    /// End of the batch.
    End,
    /// Store `bytes` (4 or 8) bytes of `value` at GGTT address `addr`.
    Store {
        /// GGTT address.
        addr: u64,
        /// Little-endian value.
        value: u64,
        /// 4 or 8.
        bytes: usize,
    },
    /// A 2D copy.
    Blit(Blit),
    /// End the batch if the dword at `addr` is at most `data`.
    CondEnd {
        /// GGTT address of the dword compared.
        addr: u64,
        /// Compare data.
        data: u32,
    },
    /// Wait until the dword at `addr` compares with `data` as `op` says.
    SemaphoreWait {
        /// GGTT address of the dword (the semaphore).
        addr: u64,
        /// Semaphore data dword.
        data: u32,
        /// The comparison.
        op: SemaphoreOp,
    },
    /// Continue at `addr` (a second-level batch returns after this command).
    Jump {
        /// GGTT address, dword aligned.
        addr: u64,
        /// Return here on the target's `MI_BATCH_BUFFER_END`.
        second_level: bool,
    },
}

/// `MI_SEMAPHORE_WAIT`'s comparison of the dword in memory with the data
/// dword (bits 14:12: the wait ends when it holds).
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub(crate) enum SemaphoreOp {
    /// Memory > data.
    Greater,
    /// Memory >= data.
    GreaterOrEqual,
    /// Memory < data.
    Less,
    /// Memory <= data.
    LessOrEqual,
    /// Memory == data.
    Equal,
    /// Memory != data.
    NotEqual,
}

impl SemaphoreOp {
    fn from_field(field: u32) -> Result<Self> {
        match field {
            0 => Ok(Self::Greater),
            1 => Ok(Self::GreaterOrEqual),
            2 => Ok(Self::Less),
            3 => Ok(Self::LessOrEqual),
            4 => Ok(Self::Equal),
            5 => Ok(Self::NotEqual),
            _ => Err(EINVAL),
        }
    }

    /// Whether the wait is over for the value `mem` read from memory.
    pub(crate) fn holds(self, mem: u32, data: u32) -> bool {
        match self {
            Self::Greater => mem > data,
            Self::GreaterOrEqual => mem >= data,
            Self::Less => mem < data,
            Self::LessOrEqual => mem <= data,
            Self::Equal => mem == data,
            Self::NotEqual => mem != data,
        }
    }
}

/// Length in dwords of the command starting with `header`.
pub(crate) fn length(header: u32) -> Result<usize> {
    match header & CLIENT_MASK {
        CLIENT_MI => match header & MI_OPCODE_MASK {
            _ if header == MI_NOOP || header == MI_BATCH_BUFFER_END => Ok(1),
            _ if header == MI_ARB_CHECK => Ok(1),
            MI_BATCH_BUFFER_START => match header & 0xff {
                1 => Ok(3),
                _ => Err(EINVAL),
            },
            MI_COND_BATCH_BUFFER_END => match header & 0xff {
                n @ (1..=2) => Ok(n as usize + 2),
                _ => Err(EINVAL),
            },
            // Gen8-11 form (Gen12 adds a token dword).
            MI_SEMAPHORE_WAIT => match header & 0xff {
                2 => Ok(4),
                _ => Err(EINVAL),
            },
            MI_STORE_DWORD_IMM | MI_FLUSH_DW => match header & 0xff {
                n @ (1..=3) => Ok(n as usize + 2),
                _ => Err(EINVAL),
            },
            _ => Err(EINVAL),
        },
        CLIENT_2D => match header & 0xff {
            8 => Ok(10),
            _ => Err(EINVAL),
        },
        _ => Err(EINVAL),
    }
}

fn addr(lo: u32, hi: u32) -> u64 {
    (u64::from(hi & 0xffff) << 32) | u64::from(lo)
}

fn store(dw: &[u32], at: usize) -> Result<Cmd> {
    let a = addr(dw[at], dw[at + 1]);
    match dw.len() - at - 2 {
        1 => Ok(Cmd::Store {
            addr: a,
            value: u64::from(dw[at + 2]),
            bytes: 4,
        }),
        2 => Ok(Cmd::Store {
            addr: a,
            value: u64::from(dw[at + 2]) | (u64::from(dw[at + 3]) << 32),
            bytes: 8,
        }),
        _ => Err(EINVAL),
    }
}

/// Signed 16-bit coordinate pair `y << 16 | x`; negative is an error.
fn xy(v: u32) -> Result<(u32, u32)> {
    let (x, y) = (v as u16 as i16, (v >> 16) as u16 as i16);
    if x < 0 || y < 0 {
        return Err(EINVAL);
    }
    Ok((x as u32, y as u32))
}

/// Bytes per pixel of a colour-depth code (`XY_SRC_COPY_BLT` BR13 25:24).
fn src_copy_cpp(code: u32) -> Result<u32> {
    match code {
        0 => Ok(1),
        1 | 2 => Ok(2),
        3 => Ok(4),
        _ => Err(EINVAL),
    }
}

/// Bytes per pixel of a colour-depth code (`XY_FAST_COPY_BLT` DW1 26:24).
fn fast_copy_cpp(code: u32) -> Result<u32> {
    match code {
        0 => Ok(1),
        1 => Ok(2),
        3 => Ok(4),
        4 => Ok(8),
        5 => Ok(16),
        _ => Err(EINVAL),
    }
}

/// Fast-copy tiling field: linear, X or (legacy) Y; Ys is not supported.
fn fast_copy_layout(code: u32) -> Result<Layout> {
    match code {
        0 => Ok(Layout::Linear),
        1 => Ok(Layout::X),
        2 => Ok(Layout::Y),
        _ => Err(EINVAL),
    }
}

/// Pitch field: bytes for linear surfaces, dwords for tiled ones.
fn pitch(field: u32, layout: Layout) -> u32 {
    let p = field & 0xffff;
    if layout == Layout::Linear {
        p
    } else {
        p * 4
    }
}

fn blit(dw: &[u32], dst_layout: Layout, src_layout: Layout, cpp: u32) -> Result<Cmd> {
    let (dx1, dy1) = xy(dw[2])?;
    let (dx2, dy2) = xy(dw[3])?;
    let (sx, sy) = xy(dw[6])?;
    Ok(Cmd::Blit(Blit {
        dst: Surface {
            addr: addr(dw[4], dw[5]),
            pitch: pitch(dw[1], dst_layout),
            layout: dst_layout,
            x: dx1,
            y: dy1,
        },
        src: Surface {
            addr: addr(dw[8], dw[9]),
            pitch: pitch(dw[7], src_layout),
            layout: src_layout,
            x: sx,
            y: sy,
        },
        width: dx2.saturating_sub(dx1),
        height: dy2.saturating_sub(dy1),
        cpp,
    }))
}

/// Decode one whole command (`dw.len() == length(dw[0])`).
pub(crate) fn parse(dw: &[u32]) -> Result<Cmd> {
    let header = *dw.first().ok_or(EINVAL)?;
    if dw.len() != length(header)? {
        return Err(EINVAL);
    }
    if header == MI_NOOP {
        return Ok(Cmd::Noop);
    }
    if header == MI_BATCH_BUFFER_END {
        return Ok(Cmd::End);
    }
    if header == MI_ARB_CHECK {
        return Ok(Cmd::Noop);
    }
    match header & (CLIENT_MASK | MI_OPCODE_MASK) {
        MI_STORE_DWORD_IMM => return store(dw, 1),
        MI_BATCH_BUFFER_START => {
            let a = addr(dw[1], dw[2]);
            if a % 4 != 0 {
                return Err(EINVAL);
            }
            return Ok(Cmd::Jump {
                addr: a,
                second_level: header & MI_BBS_SECOND_LEVEL != 0,
            });
        }
        MI_COND_BATCH_BUFFER_END => {
            if header & MI_COND_DO_COMPARE == 0 {
                return Ok(Cmd::Noop);
            }
            let hi = dw.get(3).copied().unwrap_or(0);
            return Ok(Cmd::CondEnd {
                addr: addr(dw[2], hi) & !3,
                data: dw[1],
            });
        }
        MI_SEMAPHORE_WAIT => {
            // Signal mode waits for another engine's MI_SEMAPHORE_SIGNAL,
            // which one software engine never sends.
            if header & MI_SEMAPHORE_POLL == 0 {
                return Err(EINVAL);
            }
            return Ok(Cmd::SemaphoreWait {
                addr: addr(dw[2], dw[3]) & !3,
                data: dw[1],
                op: SemaphoreOp::from_field((header >> 12) & 7)?,
            });
        }
        MI_FLUSH_DW => {
            return match header & MI_FLUSH_DW_OP_MASK {
                0 => Ok(Cmd::Noop),
                MI_FLUSH_DW_OP_STOREDW if dw.len() > 3 => store(dw, 1),
                _ => Err(EINVAL),
            };
        }
        _ => {}
    }
    match header & (CLIENT_MASK | BLT_OPCODE_MASK) {
        XY_SRC_COPY_BLT => {
            if (dw[1] >> 16) & 0xff != ROP_SRCCOPY {
                return Err(EINVAL);
            }
            let tiled = |bit| {
                if header & bit != 0 {
                    Layout::Tiled
                } else {
                    Layout::Linear
                }
            };
            let cpp = src_copy_cpp((dw[1] >> 24) & 3)?;
            blit(
                dw,
                tiled(XY_SRC_COPY_DST_TILED),
                tiled(XY_SRC_COPY_SRC_TILED),
                cpp,
            )
        }
        XY_FAST_COPY_BLT => {
            // Tile-Yf/Ys selectors are not supported.
            if dw[1] & (3 << 30) != 0 {
                return Err(EINVAL);
            }
            let src = fast_copy_layout((header >> 20) & 3)?;
            let dst = fast_copy_layout((header >> 13) & 3)?;
            let cpp = fast_copy_cpp((dw[1] >> 24) & 7)?;
            blit(dw, dst, src, cpp)
        }
        _ => Err(EINVAL),
    }
}

#[kunit_tests(vi915_cmd_parser)]
mod tests {
    use super::*;

    const SRC_COPY: u32 = XY_SRC_COPY_BLT | (3 << 20) | 8;

    #[test]
    fn lengths() {
        assert_eq!(length(MI_NOOP), Ok(1));
        assert_eq!(length(MI_BATCH_BUFFER_END), Ok(1));
        assert_eq!(length(MI_STORE_DWORD_IMM | 2), Ok(4));
        assert_eq!(length(MI_STORE_DWORD_IMM | (1 << 22) | 3), Ok(5));
        assert_eq!(length(MI_FLUSH_DW | 1), Ok(3));
        assert_eq!(length(SRC_COPY), Ok(10));
        assert_eq!(length(XY_FAST_COPY_BLT | 8), Ok(10));
        // Pre-gen8 blit length (6) and unknown clients / opcodes.
        assert_eq!(length(XY_SRC_COPY_BLT | 6), Err(EINVAL));
        assert_eq!(length(3 << 29), Err(EINVAL));
        assert_eq!(length(0x31 << 23), Err(EINVAL)); // pre-Gen8 MI_BATCH_BUFFER_START
        assert_eq!(length(MI_BATCH_BUFFER_START | (1 << 8) | 1), Ok(3));
        assert_eq!(
            length(MI_COND_BATCH_BUFFER_END | MI_COND_DO_COMPARE | 2),
            Ok(4)
        );
        assert_eq!(length(MI_ARB_CHECK), Ok(1));
        assert_eq!(length(MI_NOOP | 1), Err(EINVAL));
    }

    #[test]
    fn spinner_commands() {
        // What IGT's igt_spin emits on Gen9 (lib/igt_dummyload.c).
        assert_eq!(parse(&[0x0280_0000]), Ok(Cmd::Noop));
        assert_eq!(
            parse(&[0x1b20_0002, 0x0500_0000, 0x1ff8, 0x1]),
            Ok(Cmd::CondEnd {
                addr: 0x1_0000_1ff8,
                data: 0x0500_0000
            })
        );
        assert_eq!(parse(&[0x1b00_0002, 0, 0x1ff8, 0]), Ok(Cmd::Noop));
        assert_eq!(
            parse(&[0x1880_0101, 0x1040, 0]),
            Ok(Cmd::Jump {
                addr: 0x1040,
                second_level: false
            })
        );
        assert_eq!(
            parse(&[MI_BATCH_BUFFER_START | MI_BBS_SECOND_LEVEL | 1, 0x2000, 0]),
            Ok(Cmd::Jump {
                addr: 0x2000,
                second_level: true
            })
        );
        assert_eq!(parse(&[0x1880_0101, 0x1042, 0]), Err(EINVAL));
    }

    #[test]
    fn store_dword_and_qword() {
        let c = parse(&[MI_STORE_DWORD_IMM | 2, 0x1000, 0x1, 0xdead]);
        assert_eq!(
            c,
            Ok(Cmd::Store {
                addr: 0x1_0000_1000,
                value: 0xdead,
                bytes: 4
            })
        );
        let c = parse(&[MI_STORE_DWORD_IMM | 3, 0x40, 0, 0x1111, 0x2222]);
        assert_eq!(
            c,
            Ok(Cmd::Store {
                addr: 0x40,
                value: 0x2222_0000_1111,
                bytes: 8
            })
        );
        // Length does not match the header.
        assert_eq!(parse(&[MI_STORE_DWORD_IMM | 2, 0, 0]), Err(EINVAL));
    }

    #[test]
    fn semaphore_wait() {
        const POLL_GGTT: u32 = MI_SEMAPHORE_WAIT | (1 << 22) | MI_SEMAPHORE_POLL | 2;
        assert_eq!(length(POLL_GGTT), Ok(4));
        assert_eq!(length(MI_SEMAPHORE_WAIT | 3), Err(EINVAL)); // Gen12's token form
        assert_eq!(
            parse(&[POLL_GGTT | (4 << 12), 7, 0x1002, 0x1]),
            Ok(Cmd::SemaphoreWait {
                addr: 0x1_0000_1000,
                data: 7,
                op: SemaphoreOp::Equal
            })
        );
        let op = |field: u32| match parse(&[POLL_GGTT | (field << 12), 0, 0, 0]) {
            Ok(Cmd::SemaphoreWait { op, .. }) => Some(op),
            _ => None,
        };
        assert_eq!(op(0), Some(SemaphoreOp::Greater));
        assert_eq!(op(1), Some(SemaphoreOp::GreaterOrEqual));
        assert_eq!(op(2), Some(SemaphoreOp::Less));
        assert_eq!(op(3), Some(SemaphoreOp::LessOrEqual));
        assert_eq!(op(5), Some(SemaphoreOp::NotEqual));
        assert_eq!(op(6), None);
        assert_eq!(op(7), None);
        // Signal mode: nothing would ever signal it.
        assert_eq!(
            parse(&[POLL_GGTT & !MI_SEMAPHORE_POLL, 0, 0, 0]),
            Err(EINVAL)
        );
        assert!(SemaphoreOp::Greater.holds(2, 1) && !SemaphoreOp::Greater.holds(1, 1));
        assert!(SemaphoreOp::GreaterOrEqual.holds(1, 1));
        assert!(!SemaphoreOp::GreaterOrEqual.holds(0, 1));
        assert!(SemaphoreOp::Less.holds(0, 1) && !SemaphoreOp::Less.holds(1, 1));
        assert!(SemaphoreOp::LessOrEqual.holds(1, 1));
        assert!(!SemaphoreOp::LessOrEqual.holds(2, 1));
        assert!(SemaphoreOp::Equal.holds(3, 3) && !SemaphoreOp::Equal.holds(3, 4));
        assert!(SemaphoreOp::NotEqual.holds(3, 4) && !SemaphoreOp::NotEqual.holds(4, 4));
    }

    #[test]
    fn flush_dw() {
        assert_eq!(parse(&[MI_FLUSH_DW | 1, 0, 0]), Ok(Cmd::Noop));
        let c = parse(&[MI_FLUSH_DW | MI_FLUSH_DW_OP_STOREDW | 2, 0x80, 0, 7]);
        assert_eq!(
            c,
            Ok(Cmd::Store {
                addr: 0x80,
                value: 7,
                bytes: 4
            })
        );
        // Other post-sync ops (timestamp) are not emulated.
        assert_eq!(parse(&[MI_FLUSH_DW | (3 << 14) | 2, 0, 0, 0]), Err(EINVAL));
    }

    #[test]
    fn src_copy_fields() {
        let dw = [
            SRC_COPY | XY_SRC_COPY_DST_TILED,
            (3 << 24) | (0xcc << 16) | 128,
            (2 << 16) | 1,
            (10 << 16) | 65,
            0x2000,
            0,
            (3 << 16) | 4,
            4096,
            0x10000,
            0,
        ];
        let Ok(Cmd::Blit(b)) = parse(&dw) else {
            panic!("not a blit");
        };
        assert_eq!(b.cpp, 4);
        assert_eq!((b.width, b.height), (64, 8));
        assert_eq!(b.dst.layout, Layout::Tiled);
        assert_eq!(b.dst.pitch, 512); // tiled: dwords
        assert_eq!((b.dst.x, b.dst.y, b.dst.addr), (1, 2, 0x2000));
        assert_eq!(b.src.layout, Layout::Linear);
        assert_eq!(b.src.pitch, 4096); // linear: bytes
        assert_eq!((b.src.x, b.src.y, b.src.addr), (4, 3, 0x10000));
        // Only SRCCOPY.
        let mut bad = dw;
        bad[1] = (3 << 24) | (0x66 << 16) | 128;
        assert_eq!(parse(&bad), Err(EINVAL));
        // Negative coordinates.
        let mut bad = dw;
        bad[2] = 0xffff;
        assert_eq!(parse(&bad), Err(EINVAL));
    }

    #[test]
    fn fast_copy_fields() {
        let dw = [
            XY_FAST_COPY_BLT | (2 << 20) | (1 << 13) | 8,
            (3 << 24) | 32,
            0,
            (4 << 16) | 8,
            0,
            0,
            0,
            32,
            0,
            0,
        ];
        let Ok(Cmd::Blit(b)) = parse(&dw) else {
            panic!("not a blit");
        };
        assert_eq!((b.src.layout, b.dst.layout), (Layout::Y, Layout::X));
        assert_eq!((b.src.pitch, b.dst.pitch), (128, 128));
        // Ys and Yf are rejected.
        let mut bad = dw;
        bad[0] |= 3 << 20;
        assert_eq!(parse(&bad), Err(EINVAL));
        let mut bad = dw;
        bad[1] |= 1 << 31;
        assert_eq!(parse(&bad), Err(EINVAL));
    }
}
