//! The HPACK encoder: header list in, header block out.

use super::integer::encode_int;
use super::table::{DynamicTable, ENTRY_OVERHEAD, STATIC_TABLE};
use super::{Header, huffman};

/// Where a header was found in the tables.
enum Match {
    /// Name and value: send the index alone.
    Full(usize),
    /// Only the name: send its index and the value as a literal.
    Name(usize),
    None,
}

/// Encodes header lists into header blocks for one direction of one
/// connection. Its table mirrors the peer decoder's, so every block it
/// produces must reach the peer, in order.
///
/// Policy: every field is added to the dynamic table unless it is marked
/// [`Header::sensitive`] (sent "never indexed") or is larger than the whole
/// table (sent "without indexing", which keeps the table intact). A field
/// that is already in a table is sent as its index alone, unless it is
/// sensitive; a literal whose name is in a table (sensitive or not) refers
/// to the name by its index instead of spelling it out. String
/// literals are Huffman-coded when that is not longer, unless Huffman
/// coding is turned off.
///
/// ```
/// use lab06_h2_headers::hpack::{Decoder, Encoder, Header};
///
/// let headers = [Header::new(":method", "GET"), Header::new("x-trace", "abc123")];
/// let mut block = Vec::new();
/// Encoder::new(4096).encode(&headers, &mut block);
/// assert_eq!(Decoder::new(4096).decode(&block).unwrap(), headers);
/// ```
#[derive(Debug)]
pub struct Encoder {
    table: DynamicTable,
    huffman: bool,
    /// Size updates not yet sent: the smallest bound set since the last
    /// block, and the latest one (RFC 7541 §4.2 asks for both when the
    /// table shrank and grew again in between).
    pending_update: Option<(usize, usize)>,
}

impl Encoder {
    /// An encoder whose dynamic table may use `max_table_size` bytes: the
    /// peer's SETTINGS_HEADER_TABLE_SIZE (4096 by default in HTTP/2).
    /// Huffman coding is on.
    pub fn new(max_table_size: usize) -> Self {
        Encoder {
            table: DynamicTable::new(max_table_size),
            huffman: true,
            pending_update: None,
        }
    }

    /// Turns Huffman coding of string literals on or off.
    pub fn set_huffman(&mut self, huffman: bool) {
        self.huffman = huffman;
    }

    /// Changes the table bound (at most what the peer allows). The change
    /// is signalled at the start of the next block.
    pub fn set_max_table_size(&mut self, max_table_size: usize) {
        self.table.set_max_size(max_table_size);
        let smallest = match self.pending_update {
            Some((smallest, _)) => smallest.min(max_table_size),
            None => max_table_size,
        };
        self.pending_update = Some((smallest, max_table_size));
    }

    /// The dynamic table's size as the RFC counts it.
    pub fn table_size(&self) -> usize {
        self.table.size()
    }

    /// Finds the best table match: a full match anywhere wins, else the
    /// first name match (static entries have the smallest indices).
    fn find(&self, header: &Header) -> Match {
        let mut name_match = None;
        for (i, (name, value)) in STATIC_TABLE.iter().enumerate() {
            if name.as_bytes() == header.name {
                if value.as_bytes() == header.value {
                    return Match::Full(i + 1);
                }
                name_match.get_or_insert(i + 1);
            }
        }
        for (i, (name, value)) in self.table.iter().enumerate() {
            if name == header.name {
                if value == header.value {
                    return Match::Full(i + 1 + STATIC_TABLE.len());
                }
                name_match.get_or_insert(i + 1 + STATIC_TABLE.len());
            }
        }
        name_match.map_or(Match::None, Match::Name)
    }
}

// lab:begin(encoder) Encode a header list: first any pending size updates, then per field an indexed representation for a full table match, else a literal (with incremental indexing and a table insert, never indexed for sensitive fields, without indexing when the entry is larger than the table) using the name's index when only the name matches.
impl Encoder {
    /// Appends the header block for `headers` to `dst`.
    pub fn encode<'h>(&mut self, headers: impl IntoIterator<Item = &'h Header>, dst: &mut Vec<u8>) {
        if let Some((smallest, last)) = self.pending_update.take() {
            if smallest < last {
                encode_int(smallest, 5, 0x20, dst);
            }
            encode_int(last, 5, 0x20, dst);
        }
        for header in headers {
            let found = self.find(header);
            if header.sensitive {
                // 0001xxxx: never indexed, by us or any intermediary.
                let name_index = match found {
                    Match::Full(i) | Match::Name(i) => i,
                    Match::None => 0,
                };
                self.literal(0x10, 4, name_index, header, dst);
                continue;
            }
            match found {
                Match::Full(index) => encode_int(index, 7, 0x80, dst),
                Match::Name(index) => self.literal_maybe_indexed(index, header, dst),
                Match::None => self.literal_maybe_indexed(0, header, dst),
            }
        }
    }

    /// A literal with incremental indexing (01xxxxxx), or without indexing
    /// (0000xxxx) when the entry could never fit the table.
    fn literal_maybe_indexed(&mut self, name_index: usize, header: &Header, dst: &mut Vec<u8>) {
        if header.name.len() + header.value.len() + ENTRY_OVERHEAD > self.table.max_size() {
            self.literal(0x00, 4, name_index, header, dst);
        } else {
            self.literal(0x40, 6, name_index, header, dst);
            self.table.insert(header.name.clone(), header.value.clone());
        }
    }

    /// A literal representation with the given pattern and index prefix;
    /// index 0 means the name follows as a literal too.
    fn literal(
        &self,
        pattern: u8,
        prefix: u8,
        name_index: usize,
        header: &Header,
        dst: &mut Vec<u8>,
    ) {
        encode_int(name_index, prefix, pattern, dst);
        if name_index == 0 {
            self.string(&header.name, dst);
        }
        self.string(&header.value, dst);
    }

    /// A string literal, Huffman-coded when enabled and not longer.
    fn string(&self, s: &[u8], dst: &mut Vec<u8>) {
        if self.huffman {
            let huffman_len = huffman::encoded_len(s);
            // Ties go to Huffman, as in RFC 7541 Appendix C (":status: 307").
            if huffman_len <= s.len() {
                encode_int(huffman_len, 7, 0x80, dst);
                huffman::encode(s, dst);
                return;
            }
        }
        encode_int(s.len(), 7, 0x00, dst);
        dst.extend_from_slice(s);
    }
}
// lab:starter
// impl Encoder {
//     pub fn encode<'h>(&mut self, headers: impl IntoIterator<Item = &'h Header>, dst: &mut Vec<u8>) {
//         todo!("encoder: size updates, then indexed or literal per field")
//     }
// }
// lab:end
