//! The HPACK decoder on arbitrary blocks of one connection. Oracles: the
//! two decoding APIs agree field for field and error for error, and
//! whatever decodes re-encodes and decodes back to the same header list.
#![no_main]

use lab06_h2_headers::hpack::{Decoder, Encoder, Header};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // First byte: table size class; then blocks separated by 0xfe bytes.
    let Some((&size, rest)) = data.split_first() else {
        return;
    };
    let table_size = [0, 64, 256, 4096][usize::from(size % 4)];
    let mut owning = Decoder::new(table_size);
    let mut borrowing = Decoder::new(table_size);
    let mut encoder = Encoder::new(4096);
    let mut mirror = Decoder::new(4096);
    mirror.set_max_header_list_size(usize::MAX);
    for block in rest.split(|&b| b == 0xfe) {
        let owned = owning.decode(block);
        let mut borrowed = Vec::new();
        let result = borrowing.decode_with(block, |n, v, s| {
            borrowed.push(Header {
                name: n.to_vec().into(),
                value: v.to_vec().into(),
                sensitive: s,
            })
        });
        match owned {
            Ok(headers) => {
                assert_eq!(result, Ok(()));
                assert_eq!(headers, borrowed);
                assert_eq!(owning.table_size(), borrowing.table_size());
                assert!(owning.table_size() <= owning.table_max_size());
                let mut encoded = Vec::new();
                encoder.encode(&headers, &mut encoded);
                assert_eq!(
                    mirror.decode(&encoded).expect("own encoding decodes"),
                    headers
                );
            }
            Err(e) => {
                assert_eq!(result, Err(e));
                // After an error the connection is dead.
                return;
            }
        }
    }
});
