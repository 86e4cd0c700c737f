//! HTTP/2 framing (RFC 9113 §4 and §6.2, §6.10): the 9-byte frame header,
//! a frame decoder over `BytesMut`, and the assembly of HEADERS +
//! CONTINUATION frames into one header block for the HPACK decoder.
//!
//! ```text
//! +-----------------------------------------------+
//! |                 Length (24)                   |
//! +---------------+---------------+---------------+
//! |   Type (8)    |   Flags (8)   |
//! +-+-------------+---------------+-------------------------------+
//! |R|                 Stream Identifier (31)                      |
//! +=+=============================================================+
//! |                   Frame Payload (Length bytes)                |
//! +---------------------------------------------------------------+
//! ```

use std::fmt;

use bytes::{Buf, Bytes, BytesMut};
use nom::IResult;
use nom::Parser;
use nom::number::streaming::{be_u8, be_u24, be_u32};

/// Length of the frame header.
pub const FRAME_HEADER_LEN: usize = 9;
/// The initial (and smallest allowed) SETTINGS_MAX_FRAME_SIZE.
pub const DEFAULT_MAX_FRAME_SIZE: u32 = 1 << 14;
/// The largest SETTINGS_MAX_FRAME_SIZE a peer may announce: 2²⁴ − 1.
pub const MAX_ALLOWED_FRAME_SIZE: u32 = (1 << 24) - 1;

/// Frame types this module looks at (RFC 9113 §6).
pub mod kind {
    pub const DATA: u8 = 0x0;
    pub const HEADERS: u8 = 0x1;
    pub const PRIORITY: u8 = 0x2;
    pub const SETTINGS: u8 = 0x4;
    pub const CONTINUATION: u8 = 0x9;
}

/// Frame flags used by HEADERS and CONTINUATION.
pub mod flags {
    pub const END_STREAM: u8 = 0x1;
    pub const END_HEADERS: u8 = 0x4;
    pub const PADDED: u8 = 0x8;
    pub const PRIORITY: u8 = 0x20;
}

/// The 9-byte header in front of every frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameHeader {
    /// Payload length, 24 bits.
    pub length: u32,
    /// Frame type; unknown types must be ignored, not rejected (§4.1).
    pub kind: u8,
    pub flags: u8,
    /// Stream identifier, 31 bits: the reserved high bit is masked off, as
    /// receivers must ignore it.
    pub stream_id: u32,
}

impl FrameHeader {
    /// Appends the 9-byte wire form (the reserved bit sent as 0).
    pub fn encode(&self, dst: &mut Vec<u8>) {
        dst.extend_from_slice(&self.length.to_be_bytes()[1..]);
        dst.push(self.kind);
        dst.push(self.flags);
        dst.extend_from_slice(&(self.stream_id & 0x7fff_ffff).to_be_bytes());
    }
}

/// A frame: its header and its payload, which shares the read buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub header: FrameHeader,
    pub payload: Bytes,
}

/// A complete header block: the HPACK input of one HEADERS frame and its
/// CONTINUATIONs, with padding and priority fields removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderBlock {
    pub stream_id: u32,
    /// The HEADERS frame had END_STREAM: no DATA follows.
    pub end_stream: bool,
    pub fragment: Bytes,
}

/// A framing error. All are connection errors of the named HTTP/2 type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameError {
    /// FRAME_SIZE_ERROR: the frame is longer than SETTINGS_MAX_FRAME_SIZE.
    FrameTooLarge { length: u32, max: u32 },
    /// PROTOCOL_ERROR: SETTINGS_MAX_FRAME_SIZE outside 2¹⁴..=2²⁴−1.
    InvalidMaxFrameSize(u32),
    /// PROTOCOL_ERROR: HEADERS or CONTINUATION on stream 0.
    StreamIdZero { kind: u8 },
    /// PROTOCOL_ERROR: the padding length is not less than the payload.
    InvalidPadding,
    /// FRAME_SIZE_ERROR: HEADERS with PRIORITY is shorter than 5 bytes.
    PayloadTooShort,
    /// PROTOCOL_ERROR: a header block without END_HEADERS was followed by a
    /// frame that is not a CONTINUATION.
    ExpectedContinuation { stream_id: u32, got_kind: u8 },
    /// PROTOCOL_ERROR: a CONTINUATION for a different stream.
    ContinuationOnOtherStream { expected: u32, got: u32 },
    /// PROTOCOL_ERROR: a CONTINUATION with no open header block.
    UnexpectedContinuation { stream_id: u32 },
    /// The header block grew past the configured limit (the defence
    /// against CONTINUATION floods, CVE-2024-27316 and friends). Answer
    /// with a 431 or ENHANCE_YOUR_CALM.
    HeaderBlockTooLarge { limit: usize },
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::FrameTooLarge { length, max } => {
                write!(
                    f,
                    "frame of {length} bytes exceeds SETTINGS_MAX_FRAME_SIZE {max}"
                )
            }
            FrameError::InvalidMaxFrameSize(size) => {
                write!(
                    f,
                    "SETTINGS_MAX_FRAME_SIZE {size} is outside 16384..=16777215"
                )
            }
            FrameError::StreamIdZero { kind } => write!(f, "frame type {kind:#x} on stream 0"),
            FrameError::InvalidPadding => f.write_str("padding length exceeds the payload"),
            FrameError::PayloadTooShort => f.write_str("payload too short for its flags"),
            FrameError::ExpectedContinuation {
                stream_id,
                got_kind,
            } => write!(
                f,
                "expected CONTINUATION for stream {stream_id}, got frame type {got_kind:#x}"
            ),
            FrameError::ContinuationOnOtherStream { expected, got } => {
                write!(
                    f,
                    "CONTINUATION on stream {got} while stream {expected}'s block is open"
                )
            }
            FrameError::UnexpectedContinuation { stream_id } => {
                write!(
                    f,
                    "CONTINUATION on stream {stream_id} without an open header block"
                )
            }
            FrameError::HeaderBlockTooLarge { limit } => {
                write!(f, "header block exceeds the limit of {limit} bytes")
            }
        }
    }
}

impl std::error::Error for FrameError {}

// lab:begin(frame_header) Parse the 9-byte frame header with nom's streaming big-endian parsers (be_u24, be_u8, be_u8, be_u32), masking the reserved bit off the stream id. Fewer than 9 bytes must be `Err::Incomplete`, not an error.
/// Parses a frame header. With fewer than 9 bytes this returns
/// `Err(nom::Err::Incomplete(_))`: nom's streaming parsers say "need more"
/// rather than fail, which is exactly what a network reader wants.
pub fn frame_header(input: &[u8]) -> IResult<&[u8], FrameHeader> {
    (be_u24, be_u8, be_u8, be_u32)
        .map(|(length, kind, flags, stream_id)| FrameHeader {
            length,
            kind,
            flags,
            stream_id: stream_id & 0x7fff_ffff,
        })
        .parse(input)
}
// lab:starter
// pub fn frame_header(input: &[u8]) -> IResult<&[u8], FrameHeader> {
//     todo!("frame_header: (be_u24, be_u8, be_u8, be_u32).map(...).parse(input)")
// }
// lab:end

/// Splits frames off a read buffer.
#[derive(Debug, Clone)]
pub struct FrameDecoder {
    max_frame_size: u32,
}

impl Default for FrameDecoder {
    fn default() -> Self {
        FrameDecoder {
            max_frame_size: DEFAULT_MAX_FRAME_SIZE,
        }
    }
}

impl FrameDecoder {
    /// A decoder enforcing our SETTINGS_MAX_FRAME_SIZE.
    pub fn new(max_frame_size: u32) -> Result<Self, FrameError> {
        if !(DEFAULT_MAX_FRAME_SIZE..=MAX_ALLOWED_FRAME_SIZE).contains(&max_frame_size) {
            return Err(FrameError::InvalidMaxFrameSize(max_frame_size));
        }
        Ok(FrameDecoder { max_frame_size })
    }

    /// Takes the next whole frame off the front of `buf`, or returns
    /// `Ok(None)` and leaves `buf` untouched if it does not hold one yet.
    /// The payload is split off `buf` without copying. An oversized frame
    /// is rejected as soon as its header arrives, before its payload is
    /// buffered.
    pub fn decode(&self, buf: &mut BytesMut) -> Result<Option<Frame>, FrameError> {
        let header = match frame_header(buf) {
            Ok((_, header)) => header,
            // Incomplete is the only error these parsers return.
            Err(_) => return Ok(None),
        };
        if header.length > self.max_frame_size {
            return Err(FrameError::FrameTooLarge {
                length: header.length,
                max: self.max_frame_size,
            });
        }
        let total = FRAME_HEADER_LEN + header.length as usize;
        if buf.len() < total {
            buf.reserve(total - buf.len());
            return Ok(None);
        }
        buf.advance(FRAME_HEADER_LEN);
        let payload = buf.split_to(header.length as usize).freeze();
        Ok(Some(Frame { header, payload }))
    }
}

/// What [`HeaderBlockAssembler::push`] made of a frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assembled {
    /// A header block is complete.
    Block(HeaderBlock),
    /// The frame was part of a header block that needs CONTINUATIONs.
    Pending,
    /// Not a header frame: handed back unchanged.
    Other(Frame),
}

/// A header block waiting for its CONTINUATION frames.
#[derive(Debug)]
struct Open {
    stream_id: u32,
    end_stream: bool,
    fragment: BytesMut,
}

/// Joins HEADERS and CONTINUATION frames into header blocks and enforces
/// §6.10: once a HEADERS frame without END_HEADERS arrives, the next frame
/// on the connection must be a CONTINUATION on the same stream.
#[derive(Debug)]
pub struct HeaderBlockAssembler {
    max_block_size: usize,
    open: Option<Open>,
}

impl HeaderBlockAssembler {
    /// An assembler that refuses header blocks larger than
    /// `max_block_size` bytes of HPACK input.
    pub fn new(max_block_size: usize) -> Self {
        HeaderBlockAssembler {
            max_block_size,
            open: None,
        }
    }

    /// True while a header block waits for CONTINUATION frames.
    pub fn is_pending(&self) -> bool {
        self.open.is_some()
    }
}

// lab:begin(header_block) Assemble header blocks: a HEADERS frame (not on stream 0; strip PADDED's pad length and padding and PRIORITY's 5 bytes) with END_HEADERS is a block on its own (zero-copy); without it, open a block that only CONTINUATIONs on the same stream may extend, until one carries END_HEADERS. Any other frame while a block is open, a CONTINUATION for another stream or with no open block, and a block over `max_block_size` are errors.
impl HeaderBlockAssembler {
    /// Feeds the next frame of the connection.
    pub fn push(&mut self, frame: Frame) -> Result<Assembled, FrameError> {
        let FrameHeader {
            kind: frame_kind,
            flags: frame_flags,
            stream_id,
            ..
        } = frame.header;
        if let Some(open) = &mut self.open {
            if frame_kind != kind::CONTINUATION {
                return Err(FrameError::ExpectedContinuation {
                    stream_id: open.stream_id,
                    got_kind: frame_kind,
                });
            }
            if stream_id != open.stream_id {
                return Err(FrameError::ContinuationOnOtherStream {
                    expected: open.stream_id,
                    got: stream_id,
                });
            }
            if open.fragment.len() + frame.payload.len() > self.max_block_size {
                return Err(FrameError::HeaderBlockTooLarge {
                    limit: self.max_block_size,
                });
            }
            open.fragment.extend_from_slice(&frame.payload);
            if frame_flags & flags::END_HEADERS == 0 {
                return Ok(Assembled::Pending);
            }
            let Some(open) = self.open.take() else {
                return Ok(Assembled::Pending);
            };
            return Ok(Assembled::Block(HeaderBlock {
                stream_id: open.stream_id,
                end_stream: open.end_stream,
                fragment: open.fragment.freeze(),
            }));
        }
        match frame_kind {
            kind::HEADERS => {}
            kind::CONTINUATION => return Err(FrameError::UnexpectedContinuation { stream_id }),
            _ => return Ok(Assembled::Other(frame)),
        }
        if stream_id == 0 {
            return Err(FrameError::StreamIdZero { kind: frame_kind });
        }
        let fragment = headers_fragment(frame_flags, frame.payload)?;
        if fragment.len() > self.max_block_size {
            return Err(FrameError::HeaderBlockTooLarge {
                limit: self.max_block_size,
            });
        }
        let end_stream = frame_flags & flags::END_STREAM != 0;
        if frame_flags & flags::END_HEADERS != 0 {
            // The common case: one frame, no copy.
            return Ok(Assembled::Block(HeaderBlock {
                stream_id,
                end_stream,
                fragment,
            }));
        }
        self.open = Some(Open {
            stream_id,
            end_stream,
            fragment: BytesMut::from(&fragment[..]),
        });
        Ok(Assembled::Pending)
    }
}

/// The header block fragment of a HEADERS payload (§6.2): without the pad
/// length byte and padding (PADDED) and the priority fields (PRIORITY).
fn headers_fragment(frame_flags: u8, mut payload: Bytes) -> Result<Bytes, FrameError> {
    let mut pad_len = 0;
    if frame_flags & flags::PADDED != 0 {
        if payload.is_empty() {
            return Err(FrameError::PayloadTooShort);
        }
        pad_len = usize::from(payload.get_u8());
    }
    if frame_flags & flags::PRIORITY != 0 {
        if payload.len() < 5 {
            return Err(FrameError::PayloadTooShort);
        }
        payload.advance(5);
    }
    if pad_len > payload.len() {
        return Err(FrameError::InvalidPadding);
    }
    payload.truncate(payload.len() - pad_len);
    Ok(payload)
}
// lab:starter
// impl HeaderBlockAssembler {
//     pub fn push(&mut self, frame: Frame) -> Result<Assembled, FrameError> {
//         todo!("header_block: HEADERS opens or completes a block; only CONTINUATIONs may extend it")
//     }
// }
// lab:end
