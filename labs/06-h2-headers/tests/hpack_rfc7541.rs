//! Every example of RFC 7541 Appendix C, decoded and re-encoded: the header
//! list, the exact wire bytes, and the dynamic table (entries and size)
//! after each block.

mod common;

use common::hex;
use lab06_h2_headers::hpack::integer::{decode_int, encode_int};
use lab06_h2_headers::hpack::{DecodeError, Decoder, Encoder, Header};

#[test]
fn c1_integers_decode_and_encode_like_the_rfc() {
    // C.1.1: 10 with a 5-bit prefix; C.1.2: 1337 with a 5-bit prefix;
    // C.1.3: 42 starting at an octet boundary (8-bit prefix).
    for (value, prefix, wire) in [(10, 5, "0a"), (1337, 5, "1f9a0a"), (42, 8, "2a")] {
        let wire = hex(wire);
        assert_eq!(decode_int(&wire, prefix), Ok((value, wire.len())));
        let mut out = Vec::new();
        encode_int(value, prefix, 0, &mut out);
        assert_eq!(out, wire);
    }
}

#[test]
fn c1_integers_decode_and_encode_like_the_rfc_at_the_prefix_boundaries() {
    // §5.1: a value below 2^N - 1 fits the N-bit prefix; 2^N - 1 itself
    // does not (all ones means "more follows") and takes a second byte
    // holding 0; 2^N - 1 + 128 is the first that needs two 7-bit groups.
    for (value, prefix, wire) in [
        (30, 5, "1e"),
        (31, 5, "1f00"),
        (158, 5, "1f7f"),
        (159, 5, "1f8001"),
        (126, 7, "7e"),
        (127, 7, "7f00"),
        (254, 8, "fe"),
        (255, 8, "ff00"),
    ] {
        let wire = hex(wire);
        assert_eq!(
            decode_int(&wire, prefix),
            Ok((value, wire.len())),
            "{value} in {prefix} bits"
        );
        let mut out = Vec::new();
        encode_int(value, prefix, 0, &mut out);
        assert_eq!(out, wire, "{value} in {prefix} bits");
    }
    // Running out of bytes is `Truncated`: no byte at all, a prefix of all
    // ones with nothing after it, a last byte that says "more follows".
    for cut in ["", "1f", "1f80", "1f9a"] {
        assert_eq!(
            decode_int(&hex(cut), 5),
            Err(DecodeError::Truncated),
            "{cut:?}"
        );
    }
}

/// One block of an example sequence and the state after it.
struct Step {
    wire: &'static str,
    headers: &'static [(&'static str, &'static str)],
    /// The dynamic table after the block, newest (index 62) first.
    table: &'static [(&'static str, &'static str)],
    table_size: usize,
}

fn headers(list: &[(&str, &str)]) -> Vec<Header> {
    list.iter()
        .map(|&(n, v)| Header::new(n.to_owned(), v.to_owned()))
        .collect()
}

/// One of the RFC's example sequences: blocks for one connection.
struct Sequence {
    table_size: usize,
    huffman: bool,
    steps: &'static [Step],
}

/// Decodes the blocks in order with one decoder, checking the header list
/// and the dynamic table after each.
fn decode_sequence(sequence: &Sequence) {
    let mut decoder = Decoder::new(sequence.table_size);
    for (i, step) in sequence.steps.iter().enumerate() {
        let wire = hex(step.wire);
        let decoded = decoder
            .decode(&wire)
            .unwrap_or_else(|e| panic!("block {}: {e}", i + 1));
        assert_eq!(
            decoded,
            headers(step.headers),
            "block {}: header list",
            i + 1
        );
        let table: Vec<(&[u8], &[u8])> = decoder.table_entries().collect();
        let expected: Vec<(&[u8], &[u8])> = step
            .table
            .iter()
            .map(|(n, v)| (n.as_bytes(), v.as_bytes()))
            .collect();
        assert_eq!(table, expected, "block {}: dynamic table", i + 1);
        assert_eq!(
            decoder.table_size(),
            step.table_size,
            "block {}: table size",
            i + 1
        );
    }
}

/// Encodes the header lists in order with one encoder: the RFC's encoder
/// made the same choices, so the bytes must match.
fn encode_sequence(name: &str, sequence: &Sequence) {
    let mut encoder = Encoder::new(sequence.table_size);
    encoder.set_huffman(sequence.huffman);
    for (i, step) in sequence.steps.iter().enumerate() {
        let mut encoded = Vec::new();
        encoder.encode(&headers(step.headers), &mut encoded);
        assert_eq!(
            encoded,
            hex(step.wire),
            "{name} block {}: encoder output",
            i + 1
        );
        assert_eq!(
            encoder.table_size(),
            step.table_size,
            "{name} block {}: encoder table",
            i + 1
        );
    }
}

const C2_1: Sequence = Sequence {
    table_size: 4096,
    huffman: false,
    steps: &[Step {
        wire: "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572",
        headers: &[("custom-key", "custom-header")],
        table: &[("custom-key", "custom-header")],
        table_size: 55,
    }],
};

#[test]
fn c2_1_literal_with_indexing_enters_the_table() {
    decode_sequence(&C2_1);
}

#[test]
fn c2_2_literal_without_indexing_leaves_the_table_empty() {
    let mut decoder = Decoder::new(4096);
    let decoded = decoder
        .decode(&hex("040c 2f73 616d 706c 652f 7061 7468"))
        .unwrap();
    assert_eq!(decoded, headers(&[(":path", "/sample/path")]));
    assert_eq!(decoder.table_entries().count(), 0);
    assert_eq!(decoder.table_size(), 0);
}

#[test]
fn c2_3_never_indexed_literal_keeps_the_sensitive_flag() {
    let wire = hex("1008 7061 7373 776f 7264 0673 6563 7265 74");
    let mut decoder = Decoder::new(4096);
    let decoded = decoder.decode(&wire).unwrap();
    assert_eq!(decoded, vec![Header::sensitive("password", "secret")]);
    assert!(decoded[0].sensitive);
    assert_eq!(decoder.table_size(), 0);
}

#[test]
fn the_encoder_sends_a_sensitive_header_as_never_indexed() {
    // C.2.3 the other way round.
    let mut encoded = Vec::new();
    let mut encoder = Encoder::new(4096);
    encoder.set_huffman(false);
    encoder.encode(&[Header::sensitive("password", "secret")], &mut encoded);
    assert_eq!(encoded, hex("1008 7061 7373 776f 7264 0673 6563 7265 74"));
    assert_eq!(encoder.table_size(), 0);
}

const C2_4: Sequence = Sequence {
    table_size: 4096,
    huffman: false,
    steps: &[Step {
        wire: "82",
        headers: &[(":method", "GET")],
        table: &[],
        table_size: 0,
    }],
};

#[test]
fn c2_4_indexed_field_comes_from_the_static_table() {
    decode_sequence(&C2_4);
}

#[test]
fn index_fields_in_a_row_each_come_from_their_own_byte() {
    // C.3.1 starts with three indexed fields: each index is read where its
    // own field starts, not at the start of the block.
    let mut decoder = Decoder::new(4096);
    assert_eq!(
        decoder.decode(&hex("8286 84")),
        Ok(headers(&[
            (":method", "GET"),
            (":scheme", "http"),
            (":path", "/")
        ]))
    );
}

const REQ1: &[(&str, &str)] = &[
    (":method", "GET"),
    (":scheme", "http"),
    (":path", "/"),
    (":authority", "www.example.com"),
];
const REQ2: &[(&str, &str)] = &[
    (":method", "GET"),
    (":scheme", "http"),
    (":path", "/"),
    (":authority", "www.example.com"),
    ("cache-control", "no-cache"),
];
const REQ3: &[(&str, &str)] = &[
    (":method", "GET"),
    (":scheme", "https"),
    (":path", "/index.html"),
    (":authority", "www.example.com"),
    ("custom-key", "custom-value"),
];
const REQ_TABLE1: &[(&str, &str)] = &[(":authority", "www.example.com")];
const REQ_TABLE2: &[(&str, &str)] = &[
    ("cache-control", "no-cache"),
    (":authority", "www.example.com"),
];
const REQ_TABLE3: &[(&str, &str)] = &[
    ("custom-key", "custom-value"),
    ("cache-control", "no-cache"),
    (":authority", "www.example.com"),
];

const C3: Sequence = Sequence {
    table_size: 4096,
    huffman: false,
    steps: &[
        Step {
            wire: "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
            headers: REQ1,
            table: REQ_TABLE1,
            table_size: 57,
        },
        Step {
            wire: "8286 84be 5808 6e6f 2d63 6163 6865",
            headers: REQ2,
            table: REQ_TABLE2,
            table_size: 110,
        },
        Step {
            wire: "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65",
            headers: REQ3,
            table: REQ_TABLE3,
            table_size: 164,
        },
    ],
};

#[test]
fn c3_requests_without_huffman() {
    decode_sequence(&C3);
}

const C4: Sequence = Sequence {
    table_size: 4096,
    huffman: true,
    steps: &[
        Step {
            wire: "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
            headers: REQ1,
            table: REQ_TABLE1,
            table_size: 57,
        },
        Step {
            wire: "8286 84be 5886 a8eb 1064 9cbf",
            headers: REQ2,
            table: REQ_TABLE2,
            table_size: 110,
        },
        Step {
            wire: "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf",
            headers: REQ3,
            table: REQ_TABLE3,
            table_size: 164,
        },
    ],
};

#[test]
fn c4_requests_with_huffman() {
    decode_sequence(&C4);
}

const DATE1: &str = "Mon, 21 Oct 2013 20:13:21 GMT";
const DATE2: &str = "Mon, 21 Oct 2013 20:13:22 GMT";
const LOCATION: &str = "https://www.example.com";
const COOKIE: &str = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";
const RESP1: &[(&str, &str)] = &[
    (":status", "302"),
    ("cache-control", "private"),
    ("date", DATE1),
    ("location", LOCATION),
];
const RESP2: &[(&str, &str)] = &[
    (":status", "307"),
    ("cache-control", "private"),
    ("date", DATE1),
    ("location", LOCATION),
];
const RESP3: &[(&str, &str)] = &[
    (":status", "200"),
    ("cache-control", "private"),
    ("date", DATE2),
    ("location", LOCATION),
    ("content-encoding", "gzip"),
    ("set-cookie", COOKIE),
];
const RESP_TABLE1: &[(&str, &str)] = &[
    ("location", LOCATION),
    ("date", DATE1),
    ("cache-control", "private"),
    (":status", "302"),
];
// Inserting ":status: 307" (42 bytes) into 222 of 256 evicts ":status: 302".
const RESP_TABLE2: &[(&str, &str)] = &[
    (":status", "307"),
    ("location", LOCATION),
    ("date", DATE1),
    ("cache-control", "private"),
];
const RESP_TABLE3: &[(&str, &str)] = &[
    ("set-cookie", COOKIE),
    ("content-encoding", "gzip"),
    ("date", DATE2),
];

const C5: Sequence = Sequence {
    table_size: 256,
    huffman: false,
    steps: &[
        Step {
            wire: "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420
                       3230 3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77
                       7777 2e65 7861 6d70 6c65 2e63 6f6d",
            headers: RESP1,
            table: RESP_TABLE1,
            table_size: 222,
        },
        Step {
            wire: "4803 3330 37c1 c0bf",
            headers: RESP2,
            table: RESP_TABLE2,
            table_size: 222,
        },
        Step {
            wire: "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32
                       3220 474d 54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a
                       584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33
                       3630 303b 2076 6572 7369 6f6e 3d31",
            headers: RESP3,
            table: RESP_TABLE3,
            table_size: 215,
        },
    ],
};

#[test]
fn c5_responses_without_huffman_evict_at_256_bytes() {
    decode_sequence(&C5);
}

const C6: Sequence = Sequence {
    table_size: 256,
    huffman: true,
    steps: &[
        Step {
            wire: "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81
                       66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
            headers: RESP1,
            table: RESP_TABLE1,
            table_size: 222,
        },
        Step {
            wire: "4883 640e ffc1 c0bf",
            headers: RESP2,
            table: RESP_TABLE2,
            table_size: 222,
        },
        Step {
            wire: "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a
                       839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36
                       72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07",
            headers: RESP3,
            table: RESP_TABLE3,
            table_size: 215,
        },
    ],
};

#[test]
fn c6_responses_with_huffman_evict_at_256_bytes() {
    decode_sequence(&C6);
}

#[test]
fn the_encoder_writes_every_rfc_example_byte_for_byte() {
    for (name, sequence) in [
        ("C.2.1", &C2_1),
        ("C.2.4", &C2_4),
        ("C.3", &C3),
        ("C.4", &C4),
        ("C.5", &C5),
        ("C.6", &C6),
    ] {
        encode_sequence(name, sequence);
    }
}
