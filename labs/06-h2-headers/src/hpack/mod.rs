//! HPACK, the header compression of HTTP/2 (RFC 7541).
//!
//! A header block is a sequence of *representations*, each one of:
//!
//! | first byte  | representation                         | integer prefix |
//! |-------------|----------------------------------------|----------------|
//! | `1xxxxxxx`  | indexed field (§6.1)                   | 7 bits         |
//! | `01xxxxxx`  | literal, add to the dynamic table      | 6 bits         |
//! | `001xxxxx`  | dynamic table size update (§6.3)       | 5 bits         |
//! | `0001xxxx`  | literal, never indexed (sensitive)     | 4 bits         |
//! | `0000xxxx`  | literal, not indexed                   | 4 bits         |
//!
//! Both ends keep the same dynamic table, so a decoder is a per-connection
//! object: blocks must be decoded in the order they were sent, and one
//! decoding error leaves the shared state unknown. RFC 9113 makes that a
//! connection error (COMPRESSION_ERROR); after an error, drop the decoder.
//!
//! * [`integer`]: prefixed integers (§5.1).
//! * [`huffman`]: the static Huffman code (§5.2, Appendix B).
//! * [`table`]: the static and the dynamic table (§2.3, §4).
//! * [`Decoder`] and [`Encoder`]: whole header blocks.

pub mod huffman;
pub mod integer;
pub mod table;

mod decoder;
mod encoder;

use std::fmt;

use bytes::Bytes;

pub use decoder::{DEFAULT_MAX_HEADER_LIST_SIZE, Decoder};
pub use encoder::Encoder;

/// One header field. `name` and `value` are `Bytes`, so a field taken from
/// the static or dynamic table is shared, not copied.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Header {
    pub name: Bytes,
    pub value: Bytes,
    /// Sent (or to be sent) as "never indexed" (RFC 7541 §6.2.3): the value
    /// is sensitive (a cookie, a token) and no intermediary may put it in a
    /// compression table, where it could leak through a CRIME-style attack.
    pub sensitive: bool,
}

impl Header {
    /// A header that may be indexed.
    pub fn new(name: impl Into<Bytes>, value: impl Into<Bytes>) -> Self {
        Header {
            name: name.into(),
            value: value.into(),
            sensitive: false,
        }
    }

    /// A header that must never be indexed.
    pub fn sensitive(name: impl Into<Bytes>, value: impl Into<Bytes>) -> Self {
        Header {
            name: name.into(),
            value: value.into(),
            sensitive: true,
        }
    }

    /// The size HTTP/2 counts against SETTINGS_MAX_HEADER_LIST_SIZE and HPACK
    /// against the table size: name + value + 32.
    pub fn size(&self) -> usize {
        self.name.len() + self.value.len() + table::ENTRY_OVERHEAD
    }
}

impl fmt::Debug for Header {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut t = f.debug_tuple("Header");
        t.field(&String::from_utf8_lossy(&self.name));
        t.field(&String::from_utf8_lossy(&self.value));
        if self.sensitive {
            t.field(&"sensitive");
        }
        t.finish()
    }
}

/// Why a header block could not be decoded. Every variant is a
/// COMPRESSION_ERROR at the HTTP/2 level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The block ended inside a representation.
    Truncated,
    /// A prefixed integer exceeds [`integer::MAX_INTEGER`] or uses more
    /// continuation bytes than such a value needs.
    IntegerOverflow,
    /// Index 0 is not a valid table index.
    ZeroIndex,
    /// The index is past the end of the static and dynamic tables.
    IndexOutOfRange { index: usize, table_len: usize },
    /// A Huffman string ends with padding longer than 7 bits or not all ones.
    HuffmanPadding,
    /// A Huffman string contains the EOS symbol.
    HuffmanEos,
    /// A dynamic table size update asks for more than the maximum this
    /// decoder allows (its SETTINGS_HEADER_TABLE_SIZE).
    TableSizeUpdateTooLarge { requested: usize, max: usize },
    /// A dynamic table size update after the first field of a block.
    LateTableSizeUpdate,
    /// The decoder's maximum table size was lowered, and the block did not
    /// start with the size update that must acknowledge it (§4.2).
    MissingTableSizeUpdate,
    /// The decoded fields add up to more than the header list size limit
    /// (name + value + 32 per field): the defence against "HPACK bombs",
    /// small blocks that expand to huge header lists.
    HeaderListTooLarge { limit: usize },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Truncated => f.write_str("header block ends inside a field"),
            DecodeError::IntegerOverflow => f.write_str("integer too large"),
            DecodeError::ZeroIndex => f.write_str("index 0 is not a table index"),
            DecodeError::IndexOutOfRange { index, table_len } => {
                write!(
                    f,
                    "index {index} is past the end of the table ({table_len} entries)"
                )
            }
            DecodeError::HuffmanPadding => {
                f.write_str("Huffman string padding is longer than 7 bits or not all ones")
            }
            DecodeError::HuffmanEos => f.write_str("Huffman string contains EOS"),
            DecodeError::TableSizeUpdateTooLarge { requested, max } => {
                write!(
                    f,
                    "table size update to {requested} exceeds the maximum {max}"
                )
            }
            DecodeError::LateTableSizeUpdate => {
                f.write_str("table size update after the first header field")
            }
            DecodeError::MissingTableSizeUpdate => {
                f.write_str("block does not start with the required table size update")
            }
            DecodeError::HeaderListTooLarge { limit } => {
                write!(f, "header list exceeds the limit of {limit} bytes")
            }
        }
    }
}

impl std::error::Error for DecodeError {}
