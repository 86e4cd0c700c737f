//! Every malformed header block is an error, never a panic or a guess.

mod common;

use common::hex;
use lab06_h2_headers::hpack::huffman;
use lab06_h2_headers::hpack::integer::{decode_int, encode_int};
use lab06_h2_headers::hpack::{DEFAULT_MAX_HEADER_LIST_SIZE, DecodeError, Decoder, Header};

fn decode(block: &[u8]) -> Result<Vec<Header>, DecodeError> {
    Decoder::new(4096).decode(block)
}

#[test]
fn index_zero_is_rejected() {
    assert_eq!(decode(&[0x80]), Err(DecodeError::ZeroIndex));
}

#[test]
fn index_past_the_static_table_with_an_empty_dynamic_table_is_out_of_range() {
    // 0xbe = index 62, the first dynamic entry, which does not exist yet.
    assert_eq!(
        decode(&[0xbe]),
        Err(DecodeError::IndexOutOfRange {
            index: 62,
            table_len: 61
        })
    );
}

#[test]
fn a_literal_name_index_past_the_tables_is_out_of_range() {
    // A literal without indexing whose *name* index is out of range:
    // 0000 + index 63 (15 in the 4-bit prefix, then 48), value "a".
    assert_eq!(
        decode(&hex("0f30 0161")),
        Err(DecodeError::IndexOutOfRange {
            index: 63,
            table_len: 61
        })
    );
}

#[test]
fn an_indexed_literal_name_index_past_the_tables_is_out_of_range() {
    // The same with incremental indexing: 01 + index 63.
    assert_eq!(
        decode(&hex("7f00 0161")),
        Err(DecodeError::IndexOutOfRange {
            index: 63,
            table_len: 61
        })
    );
}

#[test]
fn an_index_past_the_dynamic_table_is_out_of_range() {
    let mut decoder = Decoder::new(4096);
    // C.2.1 puts one entry in the table: index 62 works, 63 does not.
    decoder
        .decode(&hex(
            "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572",
        ))
        .unwrap();
    assert_eq!(decoder.decode(&[0xbe]).unwrap()[0].name, "custom-key");
    assert_eq!(
        decoder.decode(&[0xbf]),
        Err(DecodeError::IndexOutOfRange {
            index: 63,
            table_len: 62
        })
    );
}

/// Huffman-decodes `data` on its own, as a string literal's bytes.
fn huffman(data: &[u8]) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::new();
    huffman::decode(data, &mut out).map(|()| out)
}

#[test]
fn huffman_padding_longer_than_seven_bits_is_rejected() {
    // "a" is 00011 (5 bits); 0x1f = 00011111 is "a" + 3 bits of padding:
    // valid. Adding a whole 0xff byte makes the padding 11 bits.
    assert_eq!(huffman(&hex("1f")), Ok(b"a".to_vec()));
    assert_eq!(huffman(&hex("1fff")), Err(DecodeError::HuffmanPadding));
}

#[test]
fn huffman_padding_that_is_not_all_ones_is_rejected() {
    // 00011 000: "a" padded with zeros.
    assert_eq!(huffman(&hex("18")), Err(DecodeError::HuffmanPadding));
}

#[test]
fn huffman_string_cut_inside_a_symbol_is_rejected() {
    // 0xfe = 11111110: seven ones then a 0, a prefix of a longer code, not
    // padding.
    assert_eq!(huffman(&hex("fe")), Err(DecodeError::HuffmanPadding));
}

#[test]
fn huffman_eos_inside_a_string_is_rejected() {
    // EOS is thirty 1 bits: 0xff 0xff 0xff 0xfc holds it plus two 0 bits.
    assert_eq!(huffman(&hex("ffff fffc")), Err(DecodeError::HuffmanEos));
    // Thirty-two 1 bits: EOS, then two 1 bits that would be valid padding.
    // Still an EOS, not padding.
    assert_eq!(huffman(&hex("ffff ffff")), Err(DecodeError::HuffmanEos));
}

#[test]
fn a_huffman_error_in_a_field_is_the_blocks_error() {
    // The same strings as a literal field's value (0000, name "a").
    assert_eq!(decode(&hex("0001 61 81 1f")).unwrap()[0].value, "a");
    assert_eq!(
        decode(&hex("0001 61 82 1fff")),
        Err(DecodeError::HuffmanPadding)
    );
    assert_eq!(
        decode(&hex("0001 61 84 ffff fffc")),
        Err(DecodeError::HuffmanEos)
    );
}

#[test]
fn integer_overflow_is_rejected() {
    // A 7-bit prefix, then continuation bytes worth more than 2^32.
    assert_eq!(
        decode_int(&hex("ff ffff ffff 0f"), 7),
        Err(DecodeError::IntegerOverflow)
    );
    // Too many continuation bytes, even if they only add zeros.
    assert_eq!(
        decode_int(&hex("ff 8080 8080 8000"), 7),
        Err(DecodeError::IntegerOverflow)
    );
    // The largest accepted value decodes; one more is too large.
    assert_eq!(
        decode_int(&hex("ff 80ff ffff 0f"), 7),
        Ok((u32::MAX as usize, 6))
    );
    assert_eq!(
        decode_int(&hex("ff 81ff ffff 0f"), 7),
        Err(DecodeError::IntegerOverflow)
    );
    // A continuation byte that passes the limit is an overflow at once,
    // even if it says more follows and the input ends after it.
    assert_eq!(
        decode_int(&hex("ff ffff ffff 8f"), 7),
        Err(DecodeError::IntegerOverflow)
    );
}

#[test]
fn index_overflowing_32_bits_is_rejected() {
    // The same integers as an indexed field's index.
    assert_eq!(
        decode(&hex("ff ffff ffff 0f")),
        Err(DecodeError::IntegerOverflow)
    );
    assert_eq!(
        decode(&hex("ff 8080 8080 8000")),
        Err(DecodeError::IntegerOverflow)
    );
}

#[test]
fn truncated_blocks_are_rejected_wherever_they_stop() {
    // C.3's first request, cut after every byte: each prefix must fail
    // cleanly or decode the fields it holds, never panic.
    let full = hex("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d");
    // The first three bytes are three whole indexed fields.
    for cut in 4..full.len() {
        assert_eq!(
            decode(&full[..cut]),
            Err(DecodeError::Truncated),
            "cut at {cut}"
        );
    }
    assert_eq!(decode(&hex("ff")), Err(DecodeError::Truncated));
    assert_eq!(decode(&hex("40")), Err(DecodeError::Truncated));
    assert_eq!(decode(&hex("4001 61")), Err(DecodeError::Truncated));
    assert_eq!(decode(&hex("0085 6162")), Err(DecodeError::Truncated));
}

#[test]
fn table_size_update_over_the_maximum_is_rejected() {
    // 001 + 4097 (5-bit prefix: 31, then 4066 = 0xe2 0x1f).
    assert_eq!(
        decode(&hex("3fe2 1f")),
        Err(DecodeError::TableSizeUpdateTooLarge {
            requested: 4097,
            max: 4096
        })
    );
}

#[test]
fn table_size_update_after_a_field_is_rejected() {
    assert_eq!(decode(&hex("82 20")), Err(DecodeError::LateTableSizeUpdate));
    // Late whatever its size: a late update over the maximum (4097) is
    // late first.
    assert_eq!(
        decode(&hex("82 3fe2 1f")),
        Err(DecodeError::LateTableSizeUpdate)
    );
}

#[test]
fn table_size_updates_at_block_start_evict_and_are_honoured() {
    let mut decoder = Decoder::new(4096);
    decoder.decode(&hex("4001 61 01 62")).unwrap(); // a: b
    assert_eq!(decoder.table_size(), 34);
    // Two updates (shrink to 0, grow to 100), then a field: legal.
    let headers = decoder.decode(&hex("20 3f45 82")).unwrap();
    assert_eq!(headers, vec![Header::new(":method", "GET")]);
    assert_eq!(decoder.table_size(), 0);
    assert_eq!(decoder.table_max_size(), 100);
}

#[test]
fn lowering_the_maximum_requires_a_size_update_in_the_next_block() {
    let mut decoder = Decoder::new(4096);
    decoder.set_max_table_size(1024);
    assert_eq!(
        decoder.decode(&[0x82]),
        Err(DecodeError::MissingTableSizeUpdate)
    );
    assert_eq!(
        decoder.decode(&[]),
        Err(DecodeError::MissingTableSizeUpdate)
    );

    let mut decoder = Decoder::new(4096);
    decoder.set_max_table_size(1024);
    // 001 + 1024 = 0x3f 0xe1 0x07: accepted, then fields decode normally.
    assert_eq!(decoder.decode(&hex("3fe1 07 82")).unwrap().len(), 1);
    assert_eq!(decoder.decode(&[0x82]).unwrap().len(), 1);
}

#[test]
fn a_block_that_expands_past_the_header_list_limit_is_rejected() {
    // The HPACK bomb: one 4 KiB entry, then a block of 1-byte references
    // to it. 100 bytes of block would expand to 400 KiB of headers.
    // 01 with a new name: "x-bomb", then 4000 bytes of 'x', no Huffman.
    let mut block = vec![0x40, 6];
    block.extend_from_slice(b"x-bomb");
    encode_int(4000, 7, 0x00, &mut block);
    block.extend_from_slice(&[b'x'; 4000]);
    let mut decoder = Decoder::new(4096);
    decoder.decode(&block).unwrap();

    let bomb = vec![0xbe; 100];
    assert_eq!(
        decoder.decode(&bomb),
        Err(DecodeError::HeaderListTooLarge {
            limit: DEFAULT_MAX_HEADER_LIST_SIZE
        })
    );

    let mut decoder = Decoder::new(4096);
    decoder.decode(&block).unwrap();
    decoder.set_max_header_list_size(1 << 20);
    assert_eq!(decoder.decode(&bomb).unwrap().len(), 100);
}

#[test]
fn the_header_list_limit_counts_32_bytes_per_field() {
    // ":method: GET" counts 7 + 3 + 32 = 42 bytes.
    let mut decoder = Decoder::new(4096);
    decoder.set_max_header_list_size(84);
    assert_eq!(decoder.decode(&[0x82, 0x82]).unwrap().len(), 2);
    assert_eq!(
        decoder.decode(&[0x82, 0x82, 0x82]),
        Err(DecodeError::HeaderListTooLarge { limit: 84 })
    );
}

#[test]
fn the_header_list_limit_counts_literals_exactly() {
    // C.2.2 ":path: /sample/path" (name from the table, value literal) and
    // C.2.3 "password: secret" (both literal): 5 + 12 + 32 and 8 + 6 + 32.
    for (block, size) in [
        ("040c 2f73 616d 706c 652f 7061 7468", 49),
        ("1008 7061 7373 776f 7264 0673 6563 7265 74", 46),
    ] {
        let mut decoder = Decoder::new(4096);
        decoder.set_max_header_list_size(size);
        assert!(
            decoder.decode(&hex(block)).is_ok(),
            "{block} fits in {size}"
        );
        let mut decoder = Decoder::new(4096);
        decoder.set_max_header_list_size(size - 1);
        assert_eq!(
            decoder.decode(&hex(block)),
            Err(DecodeError::HeaderListTooLarge { limit: size - 1 })
        );
    }
}

#[test]
fn hpack_errors_explain_themselves() {
    let message = DecodeError::IndexOutOfRange {
        index: 70,
        table_len: 61,
    }
    .to_string();
    assert!(
        message.contains("70") && message.contains("61"),
        "{message}"
    );
}
