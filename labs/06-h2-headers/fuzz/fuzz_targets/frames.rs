//! Frame decoding and header-block assembly on arbitrary bytes, read in
//! arbitrary chunks: never a panic, never a block over the limit, and every
//! frame's payload exactly as long as its header says.
#![no_main]

use bytes::BytesMut;
use lab06_h2_headers::frame::{Assembled, FrameDecoder, HeaderBlockAssembler};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&chunk, input)) = data.split_first() else {
        return;
    };
    let chunk = usize::from(chunk) + 1;
    let frames = FrameDecoder::default();
    let mut assembler = HeaderBlockAssembler::new(1024);
    let mut buf = BytesMut::new();
    for piece in input.chunks(chunk) {
        buf.extend_from_slice(piece);
        loop {
            match frames.decode(&mut buf) {
                Ok(Some(frame)) => {
                    assert_eq!(frame.payload.len(), frame.header.length as usize);
                    match assembler.push(frame) {
                        Ok(Assembled::Block(block)) => assert!(block.fragment.len() <= 1024),
                        Ok(_) => {}
                        Err(_) => return,
                    }
                }
                Ok(None) => break,
                Err(_) => return,
            }
        }
    }
});
