//! Lab 06: parsing HTTP headers the way servers do.
//!
//! The article's §2.5 sketch claims a "zero-copy HTTP/2 frame parser" with
//! nom over `BytesMut` and an "HPACK context". This crate builds the real
//! pieces:
//!
//! * [`head`]: an incremental, zero-copy HTTP/1.x request head parser made of
//!   nom streaming parsers, fed from a `BytesMut` in arbitrary chunks.
//! * [`frame`]: the HTTP/2 frame header (nom again), a frame decoder, and the
//!   assembly of HEADERS + CONTINUATION into header blocks.
//! * [`hpack`]: HPACK (RFC 7541), the "context" the article mentions: a
//!   decoder and an encoder with Huffman coding and a dynamic table,
//!   checked against every example in RFC 7541 Appendix C.
//!
//! Data flows `BytesMut` → [`frame::FrameDecoder`] → [`frame::HeaderBlockAssembler`]
//! → [`hpack::Decoder`] → `Vec<hpack::Header>`. Each stage has its own error
//! type; [`Error`] is any of them, so code that drives several stages can
//! use `?` throughout and still reach the stage's error as the `source()`.

use std::fmt;

pub mod frame;
pub mod head;
pub mod hpack;

pub use frame::{FrameDecoder, FrameError, HeaderBlockAssembler};
pub use head::{HeadError, HeadParser, RequestHead};
pub use hpack::{DecodeError, Decoder, Encoder, Header};

/// An error of any stage of this crate, for code that drives several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// An HTTP/1 request head was rejected.
    Head(HeadError),
    /// HTTP/2 framing broke the protocol.
    Frame(FrameError),
    /// A header block could not be decoded.
    Hpack(DecodeError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The stage only: its own message is the `source()`, so a report
        // that walks the chain prints each message once.
        match self {
            Error::Head(_) => f.write_str("bad HTTP/1 request head"),
            Error::Frame(_) => f.write_str("bad HTTP/2 framing"),
            Error::Hpack(_) => f.write_str("bad HPACK header block"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Head(e) => Some(e),
            Error::Frame(e) => Some(e),
            Error::Hpack(e) => Some(e),
        }
    }
}

impl From<HeadError> for Error {
    fn from(e: HeadError) -> Self {
        Error::Head(e)
    }
}

impl From<FrameError> for Error {
    fn from(e: FrameError) -> Self {
        Error::Frame(e)
    }
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Error::Hpack(e)
    }
}
