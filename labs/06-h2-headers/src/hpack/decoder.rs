//! The HPACK decoder: header block in, header list out.

use bytes::Bytes;

use super::integer::decode_int;
use super::table::{DynamicTable, ENTRY_OVERHEAD, STATIC_TABLE};
use super::{DecodeError, Header, huffman};

/// The default limit on a decoded header list (name + value + 32 per
/// field), the value this decoder would advertise as
/// SETTINGS_MAX_HEADER_LIST_SIZE. HTTP/2 leaves it unlimited by default,
/// which is how HPACK bombs work; 64 KiB is the order of magnitude servers
/// use (nginx accepts 4 × 8 KiB header buffers, Go's net/http 1 MiB).
pub const DEFAULT_MAX_HEADER_LIST_SIZE: usize = 64 * 1024;

/// A string decoded from the block: either shared with a table entry, or a
/// span of this block's scratch buffer that becomes a `Bytes` at the end.
#[derive(Debug)]
enum Str {
    Shared(Bytes),
    Span(usize, usize),
}

impl Str {
    fn len(&self) -> usize {
        match self {
            Str::Shared(b) => b.len(),
            Str::Span(start, end) => end - start,
        }
    }

    fn resolve(self, scratch: &Bytes) -> Bytes {
        match self {
            Str::Shared(b) => b,
            Str::Span(start, end) => scratch.slice(start..end),
        }
    }
}

/// Decodes the header blocks of one direction of one connection.
///
/// ```
/// use lab06_h2_headers::hpack::Decoder;
///
/// // RFC 7541 C.2.4: indexed field 2, `:method: GET`.
/// let mut decoder = Decoder::new(4096);
/// let headers = decoder.decode(&[0x82]).unwrap();
/// assert_eq!(headers[0].name, ":method");
/// assert_eq!(headers[0].value, "GET");
/// ```
#[derive(Debug)]
pub struct Decoder {
    table: DynamicTable,
    /// Our SETTINGS_HEADER_TABLE_SIZE: the most a size update may ask for.
    max_table_size: usize,
    max_header_list_size: usize,
    /// Set when `max_table_size` was lowered below the table's bound: the
    /// next block must open with a size update (RFC 7541 §4.2).
    update_required: bool,
    /// Fields of the block being decoded; kept to reuse its allocation.
    fields: Vec<(Str, Str, bool)>,
}

impl Decoder {
    /// A decoder whose dynamic table may grow to `max_table_size` bytes:
    /// the SETTINGS_HEADER_TABLE_SIZE this endpoint advertised (4096 is
    /// HTTP/2's default). The header list limit starts at
    /// [`DEFAULT_MAX_HEADER_LIST_SIZE`].
    pub fn new(max_table_size: usize) -> Self {
        Decoder {
            table: DynamicTable::new(max_table_size),
            max_table_size,
            max_header_list_size: DEFAULT_MAX_HEADER_LIST_SIZE,
            update_required: false,
            fields: Vec::new(),
        }
    }

    /// Limits the decoded header list (name + value + 32 per field, as
    /// SETTINGS_MAX_HEADER_LIST_SIZE counts it). A block that decodes to
    /// more fails with [`DecodeError::HeaderListTooLarge`].
    pub fn set_max_header_list_size(&mut self, limit: usize) {
        self.max_header_list_size = limit;
    }

    /// Changes the maximum table size this endpoint allows (after the peer
    /// acknowledged a new SETTINGS_HEADER_TABLE_SIZE). When it shrinks below
    /// the table's current bound, the peer's next block must begin with a
    /// size update that fits, or decoding fails.
    pub fn set_max_table_size(&mut self, max_table_size: usize) {
        if max_table_size < self.table.max_size() {
            self.update_required = true;
        }
        self.max_table_size = max_table_size;
    }

    /// The dynamic table's size as the RFC counts it (name + value + 32 per
    /// entry).
    pub fn table_size(&self) -> usize {
        self.table.size()
    }

    /// The dynamic table's current bound, set by the last size update.
    pub fn table_max_size(&self) -> usize {
        self.table.max_size()
    }

    /// The dynamic table's entries, newest (HPACK index 62) first.
    pub fn table_entries(&self) -> impl Iterator<Item = (&[u8], &[u8])> {
        self.table.iter()
    }

    /// Looks up a table index: 1..=61 static, 62.. dynamic.
    fn lookup(&self, index: usize) -> Result<(Bytes, Bytes), DecodeError> {
        if index == 0 {
            return Err(DecodeError::ZeroIndex);
        }
        if let Some((name, value)) = STATIC_TABLE.get(index - 1) {
            return Ok((Bytes::from_static(name.as_bytes()), Bytes::from_static(value.as_bytes())));
        }
        match self.table.get(index - 1 - STATIC_TABLE.len()) {
            Some((name, value)) => Ok((name.clone(), value.clone())),
            None => Err(DecodeError::IndexOutOfRange {
                index,
                table_len: STATIC_TABLE.len() + self.table.len(),
            }),
        }
    }
}

// lab:begin(string-literal) Read a string literal (RFC 7541 §5.2): the first byte's high bit says Huffman, a 7-bit-prefix integer gives the encoded length; append the decoded bytes to `scratch` and return (start, end) of what was appended plus the bytes consumed. Too few bytes for the length is `Truncated`.
/// Reads a string literal from the start of `src`, appending its decoded
/// bytes to `scratch`. Returns the span it appended and the bytes consumed.
fn read_string(src: &[u8], scratch: &mut Vec<u8>) -> Result<((usize, usize), usize), DecodeError> {
    let huffman_coded = src.first().ok_or(DecodeError::Truncated)? & 0x80 != 0;
    let (len, prefix_len) = decode_int(src, 7)?;
    let data = src.get(prefix_len..prefix_len + len).ok_or(DecodeError::Truncated)?;
    let start = scratch.len();
    if huffman_coded {
        huffman::decode(data, scratch)?;
    } else {
        scratch.extend_from_slice(data);
    }
    Ok(((start, scratch.len()), prefix_len + len))
}
// lab:starter
// fn read_string(src: &[u8], scratch: &mut Vec<u8>) -> Result<((usize, usize), usize), DecodeError> {
//     todo!("string-literal: H bit, 7-bit length, then plain or Huffman bytes")
// }
// lab:end

// lab:begin(decoder) Decode a whole header block: dispatch on the first byte of each representation (see the table in hpack/mod.rs), look indices up with `self.lookup`, read literals with `read_string`, insert "incremental indexing" literals into the table, apply size updates (only before the first field, at most `max_table_size`), keep the never-indexed flag, and enforce the header list limit.
impl Decoder {
    /// Decodes one complete header block (the fragments of a HEADERS frame
    /// and its CONTINUATIONs, concatenated), updating the dynamic table.
    ///
    /// Literal strings of the block are decoded into one buffer, so all the
    /// fields of a block share one allocation; fields from the tables share
    /// the table's bytes.
    pub fn decode(&mut self, block: &[u8]) -> Result<Vec<Header>, DecodeError> {
        let mut fields = std::mem::take(&mut self.fields);
        fields.clear();
        let result = self.decode_fields(block, &mut fields);
        let headers = result.map(|scratch| {
            let scratch = Bytes::from(scratch);
            fields
                .drain(..)
                .map(|(name, value, sensitive)| Header {
                    name: name.resolve(&scratch),
                    value: value.resolve(&scratch),
                    sensitive,
                })
                .collect()
        });
        // On error the fields decoded so far are dropped here, not kept
        // alive (with their table bytes) until the next call.
        fields.clear();
        self.fields = fields;
        headers
    }

    /// Decodes `block` into `fields`; returns the scratch buffer that the
    /// `Str::Span`s point into.
    fn decode_fields(
        &mut self,
        block: &[u8],
        fields: &mut Vec<(Str, Str, bool)>,
    ) -> Result<Vec<u8>, DecodeError> {
        let mut scratch = Vec::new();
        let mut pos = 0;
        let mut list_size = 0usize;
        let mut first_field = true;
        while let Some(&byte) = block.get(pos) {
            let rest = &block[pos..];
            if byte & 0xe0 == 0x20 {
                // 001xxxxx: dynamic table size update, only before fields.
                if !first_field {
                    return Err(DecodeError::LateTableSizeUpdate);
                }
                let (size, used) = decode_int(rest, 5)?;
                if size > self.max_table_size {
                    return Err(DecodeError::TableSizeUpdateTooLarge {
                        requested: size,
                        max: self.max_table_size,
                    });
                }
                self.table.set_max_size(size);
                self.update_required = false;
                pos += used;
                continue;
            }
            if self.update_required {
                return Err(DecodeError::MissingTableSizeUpdate);
            }
            first_field = false;

            let (name, value, sensitive) = if byte & 0x80 != 0 {
                // 1xxxxxxx: indexed field.
                let (index, used) = decode_int(rest, 7)?;
                pos += used;
                let (name, value) = self.lookup(index)?;
                (Str::Shared(name), Str::Shared(value), false)
            } else {
                // 01xxxxxx: literal with incremental indexing (6-bit index);
                // 0001xxxx: never indexed; 0000xxxx: not indexed (4-bit).
                let indexing = byte & 0x40 != 0;
                let prefix = if indexing { 6 } else { 4 };
                let (index, used) = decode_int(rest, prefix)?;
                pos += used;
                let name = if index == 0 {
                    let ((start, end), used) = read_string(&block[pos..], &mut scratch)?;
                    pos += used;
                    Str::Span(start, end)
                } else {
                    Str::Shared(self.lookup(index)?.0)
                };
                let ((start, end), used) = read_string(&block[pos..], &mut scratch)?;
                pos += used;
                let value = Str::Span(start, end);
                if indexing {
                    // The table gets its own copy: a slice of the scratch
                    // buffer would pin the whole block in memory for as long
                    // as the entry lives.
                    let (name, field_start) = match name {
                        Str::Shared(bytes) => (bytes, start),
                        Str::Span(s, e) => (Bytes::copy_from_slice(&scratch[s..e]), s),
                    };
                    let value = Bytes::copy_from_slice(&scratch[start..end]);
                    scratch.truncate(field_start);
                    self.table.insert(name.clone(), value.clone());
                    (Str::Shared(name), Str::Shared(value), false)
                } else {
                    (name, value, byte & 0x10 != 0)
                }
            };
            list_size += name.len() + value.len() + ENTRY_OVERHEAD;
            if list_size > self.max_header_list_size {
                return Err(DecodeError::HeaderListTooLarge { limit: self.max_header_list_size });
            }
            fields.push((name, value, sensitive));
        }
        if self.update_required {
            return Err(DecodeError::MissingTableSizeUpdate);
        }
        Ok(scratch)
    }
}
// lab:starter
// impl Decoder {
//     pub fn decode(&mut self, block: &[u8]) -> Result<Vec<Header>, DecodeError> {
//         todo!("decoder: one representation at a time, dispatching on the first byte")
//     }
// }
// lab:end
