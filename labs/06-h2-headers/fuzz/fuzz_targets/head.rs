//! The head parser on arbitrary bytes, fed in arbitrary chunks. Beyond "no
//! panic", the oracle is the parser's own contract: chunked feeding gives
//! exactly the one-shot result, and a parsed head is a prefix of the input.
#![no_main]

use bytes::BytesMut;
use lab06_h2_headers::head::{HeadParser, Limits};
use libfuzzer_sys::fuzz_target;

fn outcome(
    result: &Result<Option<lab06_h2_headers::head::RequestHead>, lab06_h2_headers::head::HeadError>,
) -> String {
    match result {
        Ok(Some(head)) => format!(
            "{:?} {:?} {:?} {:?}",
            head.method(),
            head.target(),
            head.version(),
            head.headers().collect::<Vec<_>>()
        ),
        Ok(None) => "need more".into(),
        Err(e) => format!("{e:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    // First byte: chunk size; the rest is the input.
    let Some((&chunk, input)) = data.split_first() else {
        return;
    };
    let chunk = usize::from(chunk % 64) + 1;
    let limits = Limits {
        max_head_size: 4096,
        max_headers: 32,
    };

    let mut whole = BytesMut::from(input);
    let one_shot = HeadParser::new(limits).parse(&mut whole);
    if let Ok(Some(head)) = &one_shot {
        // What is left is the input's tail, and the head sits right before it
        // (after any empty lines the parser skipped).
        assert!(input.ends_with(&whole[..]));
        assert!(input[..input.len() - whole.len()].ends_with(head.as_bytes()));
    }

    let mut parser = HeadParser::new(limits);
    let mut buf = BytesMut::new();
    let mut result = Ok(None);
    for piece in input.chunks(chunk) {
        buf.extend_from_slice(piece);
        result = parser.parse(&mut buf);
        if !matches!(result, Ok(None)) {
            break;
        }
    }
    assert_eq!(outcome(&result), outcome(&one_shot));
});
