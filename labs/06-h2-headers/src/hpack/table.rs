//! The static table (RFC 7541 Appendix A) and the dynamic table (§2.3, §4).
//!
//! Both tables share one index space: 1..=61 is the static table, 62 and up
//! the dynamic table, newest entry first.

use std::collections::VecDeque;

use bytes::Bytes;

/// Per-entry overhead the RFC adds to `name.len() + value.len()` (§4.1),
/// an estimate of the bookkeeping an implementation spends per entry.
pub const ENTRY_OVERHEAD: usize = 32;

/// RFC 7541 Appendix A. Index `i` of the table is `STATIC_TABLE[i - 1]`.
pub const STATIC_TABLE: [(&str, &str); 61] = [
    (":authority", ""),
    (":method", "GET"),
    (":method", "POST"),
    (":path", "/"),
    (":path", "/index.html"),
    (":scheme", "http"),
    (":scheme", "https"),
    (":status", "200"),
    (":status", "204"),
    (":status", "206"),
    (":status", "304"),
    (":status", "400"),
    (":status", "404"),
    (":status", "500"),
    ("accept-charset", ""),
    ("accept-encoding", "gzip, deflate"),
    ("accept-language", ""),
    ("accept-ranges", ""),
    ("accept", ""),
    ("access-control-allow-origin", ""),
    ("age", ""),
    ("allow", ""),
    ("authorization", ""),
    ("cache-control", ""),
    ("content-disposition", ""),
    ("content-encoding", ""),
    ("content-language", ""),
    ("content-length", ""),
    ("content-location", ""),
    ("content-range", ""),
    ("content-type", ""),
    ("cookie", ""),
    ("date", ""),
    ("etag", ""),
    ("expect", ""),
    ("expires", ""),
    ("from", ""),
    ("host", ""),
    ("if-match", ""),
    ("if-modified-since", ""),
    ("if-none-match", ""),
    ("if-range", ""),
    ("if-unmodified-since", ""),
    ("last-modified", ""),
    ("link", ""),
    ("location", ""),
    ("max-forwards", ""),
    ("proxy-authenticate", ""),
    ("proxy-authorization", ""),
    ("range", ""),
    ("referer", ""),
    ("refresh", ""),
    ("retry-after", ""),
    ("server", ""),
    ("set-cookie", ""),
    ("strict-transport-security", ""),
    ("transfer-encoding", ""),
    ("user-agent", ""),
    ("vary", ""),
    ("via", ""),
    ("www-authenticate", ""),
];

/// The dynamic table: a FIFO of (name, value) bounded by a size in bytes
/// as the RFC counts it (`name + value + 32` per entry).
#[derive(Debug, Clone)]
pub struct DynamicTable {
    /// Newest first, so dynamic index 0 (HPACK index 62) is `entries[0]`.
    entries: VecDeque<(Bytes, Bytes)>,
    size: usize,
    max_size: usize,
}

// lab:begin(dynamic_table) The dynamic table: `insert` puts the newest entry at the front after evicting from the back until it fits (an entry larger than the whole table empties it and is not added, RFC 7541 §4.4); `set_max_size` evicts down to the new bound; `size` counts name + value + 32 per entry.
impl DynamicTable {
    /// An empty table bounded by `max_size` bytes.
    pub fn new(max_size: usize) -> Self {
        DynamicTable {
            entries: VecDeque::new(),
            size: 0,
            max_size,
        }
    }

    /// Adds an entry, evicting the oldest ones until it fits. An entry
    /// larger than the whole table empties the table and is not added;
    /// that is not an error (RFC 7541 §4.4).
    pub fn insert(&mut self, name: Bytes, value: Bytes) {
        let entry_size = name.len() + value.len() + ENTRY_OVERHEAD;
        if entry_size > self.max_size {
            self.entries.clear();
            self.size = 0;
            return;
        }
        self.evict_to(self.max_size - entry_size);
        self.size += entry_size;
        self.entries.push_front((name, value));
    }

    /// Changes the bound, evicting the oldest entries to fit under it.
    pub fn set_max_size(&mut self, max_size: usize) {
        self.max_size = max_size;
        self.evict_to(max_size);
    }

    fn evict_to(&mut self, target: usize) {
        while self.size > target {
            match self.entries.pop_back() {
                Some((name, value)) => self.size -= name.len() + value.len() + ENTRY_OVERHEAD,
                None => break,
            }
        }
    }

    /// The current size: the sum of `name + value + 32` over the entries.
    pub fn size(&self) -> usize {
        self.size
    }
}
// lab:starter
// impl DynamicTable {
//     pub fn new(max_size: usize) -> Self {
//         DynamicTable { entries: VecDeque::new(), size: 0, max_size }
//     }
//
//     pub fn insert(&mut self, name: Bytes, value: Bytes) {
//         todo!("dynamic_table: evict from the back until the entry fits, then push_front")
//     }
//
//     pub fn set_max_size(&mut self, max_size: usize) {
//         todo!("dynamic_table: record the bound and evict down to it")
//     }
//
//     pub fn size(&self) -> usize {
//         todo!("dynamic_table: the sum of name + value + 32 over the entries")
//     }
// }
// lab:end

impl DynamicTable {
    /// The bound set by the last size update (or the constructor).
    pub fn max_size(&self) -> usize {
        self.max_size
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True if the table holds no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry at dynamic index `i` (0 = newest, HPACK index 62).
    pub fn get(&self, i: usize) -> Option<&(Bytes, Bytes)> {
        self.entries.get(i)
    }

    /// The entries, newest first.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &[u8])> {
        self.entries.iter().map(|(n, v)| (&n[..], &v[..]))
    }
}
