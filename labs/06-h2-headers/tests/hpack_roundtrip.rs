//! Encoder → decoder round trips over whole connections: many blocks
//! through one pair of contexts, with table size changes in between.

use lab06_h2_headers::hpack::{Decoder, Encoder, Header};
use proptest::prelude::*;

/// Header names from a small pool (so the tables get hits) or arbitrary.
fn header() -> impl Strategy<Value = Header> {
    let name = prop_oneof![
        prop::sample::select(vec![":method", ":path", "accept", "cookie", "x-id", "date"])
            .prop_map(|s| s.as_bytes().to_vec()),
        prop::collection::vec(any::<u8>(), 0..20),
    ];
    let value = prop_oneof![
        prop::sample::select(vec!["GET", "/", "gzip, deflate", "", "a=b; c=d"])
            .prop_map(|s| s.as_bytes().to_vec()),
        prop::collection::vec(any::<u8>(), 0..200),
    ];
    (name, value, prop::bool::weighted(0.1)).prop_map(|(name, value, sensitive)| Header {
        name: name.into(),
        value: value.into(),
        sensitive,
    })
}

/// One step of a connection: a block to send, or a new table size.
#[derive(Debug, Clone)]
enum Step {
    Block(Vec<Header>),
    Resize(usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        8 => prop::collection::vec(header(), 0..12).prop_map(Step::Block),
        1 => (0usize..600).prop_map(Step::Resize),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_block_decodes_to_what_was_encoded(
        steps in prop::collection::vec(step(), 1..20),
        huffman in any::<bool>(),
        max_table_size in prop::sample::select(vec![0usize, 64, 256, 4096]),
    ) {
        let mut encoder = Encoder::new(max_table_size);
        encoder.set_huffman(huffman);
        let mut decoder = Decoder::new(max_table_size);
        decoder.set_max_header_list_size(usize::MAX);
        // A second decoder on the same blocks through the borrowing API.
        let mut borrowing = Decoder::new(max_table_size);
        borrowing.set_max_header_list_size(usize::MAX);
        for step in steps {
            match step {
                Step::Resize(size) => {
                    // The decoder allows up to `max_table_size`; the
                    // encoder picks any size within that.
                    encoder.set_max_table_size(size.min(max_table_size));
                }
                Step::Block(headers) => {
                    let mut block = Vec::new();
                    encoder.encode(&headers, &mut block);
                    let decoded = decoder.decode(&block).map_err(|e| TestCaseError::fail(e.to_string()))?;
                    prop_assert_eq!(&decoded, &headers);
                    prop_assert_eq!(decoder.table_size(), encoder.table_size());
                    let mut fields = Vec::new();
                    borrowing
                        .decode_with(&block, |n, v, s| fields.push(Header { name: n.to_vec().into(), value: v.to_vec().into(), sensitive: s }))
                        .map_err(|e| TestCaseError::fail(e.to_string()))?;
                    prop_assert_eq!(&fields, &headers);
                }
            }
        }
    }
}

#[test]
fn a_repeated_header_list_shrinks_to_one_byte_per_field() {
    let headers = [
        Header::new(":method", "GET"),
        Header::new(":path", "/api/v1/orders?page=2"),
        Header::new("user-agent", "lab06/0.1"),
        Header::new("x-request-id", "0f9e8d7c"),
    ];
    let mut encoder = Encoder::new(4096);
    let (mut first, mut second) = (Vec::new(), Vec::new());
    encoder.encode(&headers, &mut first);
    encoder.encode(&headers, &mut second);
    assert!(
        first.len() > 30,
        "first block carries the literals: {} bytes",
        first.len()
    );
    assert_eq!(
        second.len(),
        headers.len(),
        "second block is all indices: {second:02x?}"
    );
}

#[test]
fn sensitive_headers_never_enter_either_table() {
    let headers = [Header::sensitive("authorization", "Bearer s3cr3t")];
    let mut encoder = Encoder::new(4096);
    let mut decoder = Decoder::new(4096);
    for _ in 0..2 {
        let mut block = Vec::new();
        encoder.encode(&headers, &mut block);
        assert_eq!(block[0] & 0xf0, 0x10, "never-indexed representation");
        // Never indexed, but its name still comes from the static table
        // (index 23 = 15 in the 4-bit prefix, then 8).
        assert_eq!(&block[..2], [0x1f, 0x08], "name from static index 23");
        assert_eq!(decoder.decode(&block).unwrap(), headers);
    }
    assert_eq!(encoder.table_size(), 0);
    assert_eq!(decoder.table_size(), 0);
}

#[test]
fn a_header_larger_than_the_table_is_sent_without_indexing() {
    let mut encoder = Encoder::new(64);
    let mut decoder = Decoder::new(64);
    let mut block = Vec::new();
    encoder.encode(&[Header::new("small", "1")], &mut block);
    decoder.decode(&block).unwrap();
    assert_eq!(decoder.table_size(), 38);

    block.clear();
    encoder.encode(&[Header::new("x-large", vec![b'v'; 100])], &mut block);
    assert_eq!(block[0] & 0xf0, 0x00, "without indexing");
    decoder.decode(&block).unwrap();
    // The small entry survived: the large one did not flush the table.
    assert_eq!(decoder.table_size(), 38);
}

#[test]
fn shrinking_then_growing_the_table_signals_both_sizes() {
    let mut encoder = Encoder::new(4096);
    let mut decoder = Decoder::new(4096);
    let mut block = Vec::new();
    encoder.encode(&[Header::new("a", "b")], &mut block);
    decoder.decode(&block).unwrap();
    encoder.set_max_table_size(0);
    encoder.set_max_table_size(2048);
    block.clear();
    encoder.encode(&[], &mut block);
    // 001 00000 (size 0) then 001 11111 + 2017 (size 2048).
    assert_eq!(block, [0x20, 0x3f, 0xe1, 0x0f]);
    decoder.decode(&block).unwrap();
    assert_eq!(decoder.table_size(), 0);
    assert_eq!(decoder.table_max_size(), 2048);
}

#[test]
fn an_indexed_literal_larger_than_the_table_empties_it_and_is_still_delivered() {
    // Table of 64 bytes holding "a: b" (34). Then a literal with
    // incremental indexing whose *name* is that dynamic entry (index 62)
    // and whose value makes the entry 34 + 40 > 64 bytes: the table must
    // end up empty and the field must still come out whole (RFC 7541 §4.4),
    // although its name lived in the entry the insertion evicted.
    let mut block = vec![0x40, 0x01, b'a', 0x01, b'b'];
    let second: Vec<u8> = [&[0x7e, 40][..], &[b'v'; 40]].concat();
    let expected = [Header::new("a", "b")];
    let big = [Header::new("a", vec![b'v'; 40])];

    let mut decoder = Decoder::new(64);
    assert_eq!(decoder.decode(&block).unwrap(), expected);
    assert_eq!(decoder.decode(&second).unwrap(), big);
    assert_eq!(decoder.table_size(), 0);

    let mut decoder = Decoder::new(64);
    block.extend_from_slice(&second);
    let mut fields = Vec::new();
    decoder
        .decode_with(&block, |n, v, _| fields.push((n.to_vec(), v.to_vec())))
        .unwrap();
    assert_eq!(
        fields,
        [
            (b"a".to_vec(), b"b".to_vec()),
            (b"a".to_vec(), vec![b'v'; 40])
        ]
    );
    assert_eq!(decoder.table_size(), 0);
}

#[test]
fn decode_with_reports_the_same_errors_as_decode() {
    let mut decoder = Decoder::new(4096);
    let mut seen = 0;
    let result = decoder.decode_with(&[0x82, 0xbe], |_, _, _| seen += 1);
    assert_eq!(
        result,
        Err(lab06_h2_headers::hpack::DecodeError::IndexOutOfRange {
            index: 62,
            table_len: 61
        })
    );
    assert_eq!(seen, 1, "the field before the error was delivered");
}

/// A literal with incremental indexing and a new name (no Huffman).
fn indexed_literal(name: &[u8], value: &[u8]) -> Vec<u8> {
    [
        &[0x40, name.len() as u8][..],
        name,
        &[value.len() as u8],
        value,
    ]
    .concat()
}

#[test]
fn an_entry_of_exactly_the_table_size_is_kept() {
    // 2 + 16 + 32 = 50 bytes: it fits a 50-byte table exactly.
    let value = [b'v'; 16];
    let mut decoder = Decoder::new(50);
    let first = decoder
        .decode(&indexed_literal(b"ab", &value))
        .expect("valid block");
    assert_eq!(decoder.table_size(), 50);
    // A field that enters the table is delivered from it, sharing its bytes.
    let entry = decoder.table_entries().next().expect("one entry");
    assert_eq!(first[0].value.as_ptr(), entry.1.as_ptr());
    let again = decoder.decode(&[0xbe]).expect("index 62 is the new entry");
    assert_eq!(again, [Header::new(&b"ab"[..], value.to_vec())]);
}

#[test]
fn a_table_filled_to_exactly_its_size_evicts_nothing() {
    // Two entries of 1 + 17 + 32 = 50 bytes fill a 100-byte table exactly.
    let (a, b) = ([b'a'; 17], [b'b'; 17]);
    let mut decoder = Decoder::new(100);
    let block = [indexed_literal(b"a", &a), indexed_literal(b"b", &b)].concat();
    decoder.decode(&block).expect("valid block");
    assert_eq!(decoder.table_size(), 100);
    let both = decoder
        .decode(&[0xbe, 0xbf])
        .expect("both entries are still there");
    assert_eq!(
        both,
        [
            Header::new(&b"b"[..], b.to_vec()),
            Header::new(&b"a"[..], a.to_vec())
        ]
    );
}

#[test]
fn the_encoder_indexes_an_entry_of_exactly_the_table_size() {
    let mut encoder = Encoder::new(50);
    encoder.set_huffman(false);
    let fields = [Header::new(&b"ab"[..], vec![b'v'; 16])];
    let mut first = Vec::new();
    encoder.encode(&fields, &mut first);
    assert_eq!(first[0] & 0xc0, 0x40, "a literal with incremental indexing");
    let mut second = Vec::new();
    encoder.encode(&fields, &mut second);
    assert_eq!(second, [0xbe], "the second time it is index 62");
}

#[test]
fn a_single_table_size_change_is_signalled_once() {
    let mut encoder = Encoder::new(4096);
    encoder.set_max_table_size(100);
    let mut block = Vec::new();
    encoder.encode(&[], &mut block);
    // 100 with a 5-bit prefix: 31, then 69.
    assert_eq!(block, [0x3f, 0x45]);
}
