//! The HPACK decoder: header block in, header list out.

use bytes::{Bytes, BytesMut};

use super::integer::decode_int;
use super::table::{DynamicTable, ENTRY_OVERHEAD, STATIC_TABLE};
use super::{DecodeError, Header, huffman};

/// The default limit on a decoded header list (name + value + 32 per
/// field), the value this decoder would advertise as
/// SETTINGS_MAX_HEADER_LIST_SIZE. HTTP/2 leaves it unlimited by default,
/// which is how HPACK bombs work; 64 KiB is the order of magnitude servers
/// use (nginx accepts 4 × 8 KiB header buffers, Go's net/http 1 MiB).
pub const DEFAULT_MAX_HEADER_LIST_SIZE: usize = 64 * 1024;

/// Where a decoded string lives while its block is being decoded.
#[derive(Debug, Clone, Copy)]
enum Src<'t> {
    /// An entry of the static table.
    Static(&'static [u8]),
    /// An entry of the dynamic table.
    Table(&'t Bytes),
    /// A literal, decoded into the block's scratch buffer at `start..end`.
    Scratch(usize, usize),
}

impl<'t> Src<'t> {
    fn len(self) -> usize {
        match self {
            Src::Static(s) => s.len(),
            Src::Table(b) => b.len(),
            Src::Scratch(start, end) => end - start,
        }
    }

    fn as_slice<'a>(self, scratch: &'a [u8]) -> &'a [u8]
    where
        't: 'a,
    {
        match self {
            Src::Static(s) => s,
            Src::Table(b) => b,
            Src::Scratch(start, end) => &scratch[start..end],
        }
    }

    /// A `Bytes` for a table string (shared, not copied); for a scratch
    /// string an empty placeholder plus its span, to patch once the scratch
    /// buffer is frozen.
    fn to_bytes(self) -> (Bytes, Option<(usize, usize)>) {
        match self {
            Src::Static(s) => (Bytes::from_static(s), None),
            Src::Table(b) => (b.clone(), None),
            Src::Scratch(start, end) => (Bytes::new(), Some((start, end))),
        }
    }
}

/// A field of [`Decoder::decode`]'s output whose name or value is still a
/// placeholder for a span of the scratch buffer.
#[derive(Debug, Clone, Copy)]
struct Fixup {
    index: usize,
    name: Option<(usize, usize)>,
    value: Option<(usize, usize)>,
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
    /// Literal fields of the block being decoded; kept to reuse its
    /// allocation.
    fixups: Vec<Fixup>,
    /// Scratch buffer of [`Decoder::decode_with`], reused across blocks.
    scratch: Vec<u8>,
    /// Number of fields in the last block: the next block's first guess.
    last_len: usize,
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
            fixups: Vec::new(),
            scratch: Vec::new(),
            last_len: 8,
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
    fn lookup(&self, index: usize) -> Result<(Src<'_>, Src<'_>), DecodeError> {
        if index == 0 {
            return Err(DecodeError::ZeroIndex);
        }
        if let Some((name, value)) = STATIC_TABLE.get(index - 1) {
            return Ok((Src::Static(name.as_bytes()), Src::Static(value.as_bytes())));
        }
        match self.table.get(index - 1 - STATIC_TABLE.len()) {
            Some((name, value)) => Ok((Src::Table(name), Src::Table(value))),
            None => Err(DecodeError::IndexOutOfRange {
                index,
                table_len: STATIC_TABLE.len() + self.table.len(),
            }),
        }
    }
}

// lab:begin(string_literal) Read a string literal (RFC 7541 §5.2): the first byte's high bit says Huffman, a 7-bit-prefix integer gives the encoded length; append the decoded bytes to `scratch` and return (start, end) of what was appended plus the bytes consumed. Too few bytes for the length is `Truncated`.
/// Reads a string literal from the start of `src`, appending its decoded
/// bytes to `scratch`. Returns the span it appended and the bytes consumed.
fn read_string(src: &[u8], scratch: &mut Vec<u8>) -> Result<((usize, usize), usize), DecodeError> {
    let huffman_coded = src.first().ok_or(DecodeError::Truncated)? & 0x80 != 0;
    let (len, prefix_len) = decode_int(src, 7)?;
    let data = src
        .get(prefix_len..prefix_len + len)
        .ok_or(DecodeError::Truncated)?;
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
//     todo!("string_literal: H bit, 7-bit length, then plain or Huffman bytes")
// }
// lab:end

impl Decoder {
    /// Decodes one complete header block (the fragments of a HEADERS frame
    /// and its CONTINUATIONs, concatenated), updating the dynamic table.
    ///
    /// The strings of fields taken from the tables are shared with the
    /// tables, not copied. Literal strings are decoded into one buffer per
    /// block, so all of a block's literal fields share one allocation.
    pub fn decode(&mut self, block: &[u8]) -> Result<Vec<Header>, DecodeError> {
        let mut headers: Vec<Header> = Vec::with_capacity(self.last_len);
        let mut fixups = std::mem::take(&mut self.fixups);
        fixups.clear();
        let mut scratch = Vec::new();
        let result = self.decode_fields(block, &mut scratch, |name, value, sensitive, _| {
            let (name, name_span) = name.to_bytes();
            let (value, value_span) = value.to_bytes();
            if name_span.is_some() || value_span.is_some() {
                fixups.push(Fixup {
                    index: headers.len(),
                    name: name_span,
                    value: value_span,
                });
            }
            headers.push(Header {
                name,
                value,
                sensitive,
            });
        });
        if result.is_ok() && !fixups.is_empty() {
            let scratch = Bytes::from(scratch);
            for fixup in &fixups {
                let header = &mut headers[fixup.index];
                if let Some((start, end)) = fixup.name {
                    header.name = scratch.slice(start..end);
                }
                if let Some((start, end)) = fixup.value {
                    header.value = scratch.slice(start..end);
                }
            }
        }
        self.fixups = fixups;
        self.last_len = headers.len();
        result.map(|()| headers)
    }

    /// Decodes one complete header block like [`Decoder::decode`], but
    /// hands each field to `field(name, value, sensitive)` as borrowed
    /// slices instead of building a list: no allocation per field or per
    /// block (only table insertions allocate). This is the shape of
    /// nghttp2's and h2's decoders, for callers that copy what they keep.
    ///
    /// On error, the fields before the error have already been delivered.
    pub fn decode_with(
        &mut self,
        block: &[u8],
        mut field: impl FnMut(&[u8], &[u8], bool),
    ) -> Result<(), DecodeError> {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        let result = self.decode_fields(block, &mut scratch, |name, value, sensitive, scratch| {
            field(name.as_slice(scratch), value.as_slice(scratch), sensitive)
        });
        self.scratch = scratch;
        result
    }

    /// The decoding loop shared by both APIs: parses each representation,
    /// updates the table, enforces the limits, and calls `emit` with each
    /// field and the scratch buffer its literals were decoded into.
    fn decode_fields(
        &mut self,
        block: &[u8],
        scratch: &mut Vec<u8>,
        mut emit: impl FnMut(Src<'_>, Src<'_>, bool, &[u8]),
    ) -> Result<(), DecodeError> {
        let limit = self.max_header_list_size;
        let mut pos = 0;
        let mut list_size = 0usize;
        let mut first_field = true;
        while let Some(&byte) = block.get(pos) {
            let rest = &block[pos..];
            if byte & 0xe0 == 0x20 {
                // lab:begin(size_update) 001xxxxx, a dynamic table size update (RFC 7541 §6.3): only before the first field (else `LateTableSizeUpdate`), a 5-bit-prefix size of at most `self.max_table_size` (else `TableSizeUpdateTooLarge`); apply it with `self.table.set_max_size`, clear `self.update_required`, advance `pos` and `continue`.
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
                // lab:end
            }
            if self.update_required {
                return Err(DecodeError::MissingTableSizeUpdate);
            }
            first_field = false;

            // The type is spelled out so the starter, whose branches are
            // both `todo!()`, still compiles.
            let (name, value, sensitive): (Src<'_>, Src<'_>, bool) = if byte & 0x80 != 0 {
                // lab:begin(indexed_field) 1xxxxxxx, an indexed field (RFC 7541 §6.1): a 7-bit-prefix index, looked up with `self.lookup` (which rejects 0 and out-of-range indices); advance `pos`; the field is (name, value, not sensitive).
                let (index, used) = decode_int(rest, 7)?;
                pos += used;
                let (name, value) = self.lookup(index)?;
                (name, value, false)
                // lab:end
            } else {
                // lab:begin(literal_field) A literal field (RFC 7541 §6.2): 01xxxxxx with incremental indexing (6-bit name index), 0001xxxx never indexed and 0000xxxx without indexing (4-bit). Index 0: the name follows as a string literal, else it comes from `self.lookup`; then the value literal. Indexed literals go through `self.insert_literal`; the others are emitted from `scratch`, sensitive when never indexed.
                // 01xxxxxx: literal with incremental indexing (6-bit index);
                // 0001xxxx: never indexed; 0000xxxx: not indexed (4-bit).
                let indexing = byte & 0x40 != 0;
                let (index, used) = decode_int(rest, if indexing { 6 } else { 4 })?;
                pos += used;
                let field_start = scratch.len();
                let name_span = if index == 0 {
                    let (span, used) = read_string(&block[pos..], scratch)?;
                    pos += used;
                    Some(span)
                } else {
                    None
                };
                let (value_span, used) = read_string(&block[pos..], scratch)?;
                pos += used;
                if indexing {
                    self.insert_literal(index, name_span, value_span, field_start, scratch)?
                } else {
                    let name = match name_span {
                        Some((start, end)) => Src::Scratch(start, end),
                        None => self.lookup(index)?.0,
                    };
                    (
                        name,
                        Src::Scratch(value_span.0, value_span.1),
                        byte & 0x10 != 0,
                    )
                }
                // lab:end
            };
            list_size += name.len() + value.len() + ENTRY_OVERHEAD;
            if list_size > limit {
                return Err(DecodeError::HeaderListTooLarge { limit });
            }
            emit(name, value, sensitive, scratch);
        }
        if self.update_required {
            return Err(DecodeError::MissingTableSizeUpdate);
        }
        Ok(())
    }

    /// Adds a literal "with incremental indexing" to the dynamic table and
    /// returns where to read the field from: the new table entry, or, when
    /// the entry is too large for the table (which it empties, RFC 7541
    /// §4.4), the scratch buffer.
    fn insert_literal<'s>(
        &'s mut self,
        name_index: usize,
        name_span: Option<(usize, usize)>,
        (value_start, value_end): (usize, usize),
        field_start: usize,
        scratch: &mut Vec<u8>,
    ) -> Result<(Src<'s>, Src<'s>, bool), DecodeError> {
        // lab:begin(insert_literal) Put the literal into the dynamic table (one allocation for name and value, the name from the scratch span or from `self.lookup(name_index)`). If it fits the table, emit it from the new entry (`self.lookup(STATIC_TABLE.len() + 1)`) and drop its bytes from `scratch`; if it is larger than the table, inserting empties the table (RFC 7541 §4.4), so emit it from `scratch` (copy a table name there first).
        // The entry gets its own allocation, shared by name and value: a
        // slice of the scratch buffer would pin a whole block in memory
        // for as long as the entry lives.
        let mut entry = BytesMut::with_capacity(scratch.len() - field_start);
        let name = match name_span {
            Some((start, end)) => {
                entry.extend_from_slice(&scratch[start..end]);
                entry.split().freeze()
            }
            None => self.lookup(name_index)?.0.to_bytes().0,
        };
        entry.extend_from_slice(&scratch[value_start..value_end]);
        let value = entry.freeze();
        let fits = name.len() + value.len() + ENTRY_OVERHEAD <= self.table.max_size();
        if !fits {
            // Emit from the scratch buffer: copy a table name there first,
            // as the insertion below empties the table it came from.
            let name_span = name_span.unwrap_or_else(|| {
                scratch.extend_from_slice(&name);
                (scratch.len() - name.len(), scratch.len())
            });
            self.table.insert(name, value);
            let name = Src::Scratch(name_span.0, name_span.1);
            return Ok((name, Src::Scratch(value_start, value_end), false));
        }
        self.table.insert(name, value);
        scratch.truncate(field_start);
        let (name, value) = self.lookup(STATIC_TABLE.len() + 1)?;
        Ok((name, value, false))
        // lab:end
    }
}

/// `read_string` on its own (task `string_literal`), before the field
/// representations that call it.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literal_plain_bytes_are_appended_as_they_are() {
        // C.2.1's name: length 10, then "custom-key"; then the next field.
        let src = b"\x0acustom-key\x0d";
        let mut scratch = b"before".to_vec();
        assert_eq!(read_string(src, &mut scratch), Ok(((6, 16), 11)));
        assert_eq!(scratch, b"beforecustom-key");
    }

    #[test]
    fn string_literal_with_the_h_bit_is_huffman_decoded() {
        // C.4.1: "www.example.com" in 12 Huffman-coded bytes.
        let src = [
            0x8c, 0xf1, 0xe3, 0xc2, 0xe5, 0xf2, 0x3a, 0x6b, 0xa0, 0xab, 0x90, 0xf4, 0xff, 0x86,
        ];
        let mut scratch = b"x".to_vec();
        assert_eq!(read_string(&src, &mut scratch), Ok(((1, 16), 13)));
        assert_eq!(scratch, b"xwww.example.com");
    }

    #[test]
    fn string_literal_an_empty_string_is_one_byte() {
        let mut scratch = Vec::new();
        assert_eq!(read_string(b"\x00\x01", &mut scratch), Ok(((0, 0), 1)));
        assert_eq!(read_string(b"\x80", &mut scratch), Ok(((0, 0), 1)));
        assert!(scratch.is_empty());
    }

    #[test]
    fn string_literal_a_length_with_more_bytes_than_there_are_is_truncated() {
        let mut scratch = Vec::new();
        for src in [&b""[..], b"\x05abcd", b"\x85\xff", b"\x7f", b"\x7f\x80"] {
            assert_eq!(
                read_string(src, &mut scratch),
                Err(DecodeError::Truncated),
                "{src:x?}"
            );
        }
        // A length of exactly what is left is whole.
        assert_eq!(read_string(b"\x04abcd", &mut scratch), Ok(((0, 4), 5)));
    }

    #[test]
    fn string_literal_passes_huffman_and_integer_errors_on() {
        let mut scratch = Vec::new();
        assert_eq!(
            read_string(b"\x81\x18", &mut scratch),
            Err(DecodeError::HuffmanPadding)
        );
        assert_eq!(
            read_string(b"\x7f\xff\xff\xff\xff\x0f", &mut scratch),
            Err(DecodeError::IntegerOverflow)
        );
    }
}
