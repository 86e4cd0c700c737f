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
//! → [`hpack::Decoder`] → `Vec<hpack::Header>`.

pub mod frame;
pub mod head;
pub mod hpack;
