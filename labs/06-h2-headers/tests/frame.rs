//! HTTP/2 framing: the frame header, the frame decoder and the assembly of
//! header blocks from HEADERS + CONTINUATION.

use bytes::{Bytes, BytesMut};
use lab06_h2_headers::frame::{
    Assembled, Frame, FrameDecoder, FrameError, FrameHeader, HeaderBlockAssembler, flags,
    frame_header, kind,
};
use lab06_h2_headers::hpack::{Decoder, Encoder, Header};

fn frame(kind: u8, frame_flags: u8, stream_id: u32, payload: &[u8]) -> Frame {
    let header = FrameHeader {
        length: payload.len() as u32,
        kind,
        flags: frame_flags,
        stream_id,
    };
    Frame {
        header,
        payload: Bytes::copy_from_slice(payload),
    }
}

fn wire(frame: &Frame) -> Vec<u8> {
    let mut out = Vec::new();
    frame.header.encode(&mut out);
    out.extend_from_slice(&frame.payload);
    out
}

#[test]
fn frame_header_reads_24_bit_length_type_flags_and_stream_id() {
    let bytes = [
        0x01,
        0x02,
        0x03,
        kind::HEADERS,
        0x25,
        0x00,
        0x00,
        0x01,
        0x01,
        0xaa,
    ];
    let (rest, header) = frame_header(&bytes).unwrap();
    assert_eq!(
        header,
        FrameHeader {
            length: 0x010203,
            kind: kind::HEADERS,
            flags: 0x25,
            stream_id: 257
        }
    );
    assert_eq!(rest, [0xaa]);
}

#[test]
fn frame_header_masks_the_reserved_bit() {
    let bytes = [0, 0, 0, kind::DATA, 0, 0xff, 0xff, 0xff, 0xff];
    assert_eq!(frame_header(&bytes).unwrap().1.stream_id, 0x7fff_ffff);
    // Masked, not clamped: the other 31 bits are kept as they are.
    let bytes = [0, 0, 0, kind::DATA, 0, 0x80, 0, 0, 1];
    assert_eq!(frame_header(&bytes).unwrap().1.stream_id, 1);
}

#[test]
fn frame_header_needs_nine_bytes() {
    for len in 0..9 {
        assert!(
            matches!(frame_header(&[0u8; 9][..len]), Err(nom::Err::Incomplete(_))),
            "{len} bytes"
        );
    }
}

#[test]
fn frame_header_encodes_back_to_its_bytes() {
    let header = FrameHeader {
        length: 16_384,
        kind: kind::SETTINGS,
        flags: 1,
        stream_id: 0,
    };
    let mut out = Vec::new();
    header.encode(&mut out);
    assert_eq!(frame_header(&out).unwrap().1, header);
}

#[test]
fn decoder_waits_for_the_whole_payload_then_splits_it_off_without_copying() {
    let first = frame(kind::DATA, 0, 1, b"hello");
    let second = frame(kind::DATA, flags::END_STREAM, 1, b"!");
    let all = [wire(&first), wire(&second)].concat();
    let decoder = FrameDecoder::default();

    let mut buf = BytesMut::new();
    for &byte in &all[..13] {
        buf.extend_from_slice(&[byte]);
        assert_eq!(decoder.decode(&mut buf), Ok(None));
    }
    buf.extend_from_slice(&all[13..]);
    let start = buf.as_ptr() as usize;
    let got = decoder.decode(&mut buf).unwrap().unwrap();
    assert_eq!(got, first);
    // The payload points into the read buffer: it was split off, not copied.
    assert_eq!(got.payload.as_ptr() as usize, start + 9);
    assert_eq!(decoder.decode(&mut buf).unwrap().unwrap(), second);
    assert!(buf.is_empty());
    assert_eq!(decoder.decode(&mut buf), Ok(None));
}

#[test]
fn decoder_rejects_a_frame_over_max_frame_size_from_its_header_alone() {
    let decoder = FrameDecoder::default();
    // Only the 9-byte header of a 16 385-byte frame has arrived.
    let mut buf = BytesMut::from(&[0x00, 0x40, 0x01, kind::DATA, 0, 0, 0, 0, 1][..]);
    assert_eq!(
        decoder.decode(&mut buf),
        Err(FrameError::FrameTooLarge {
            length: 16_385,
            max: 16_384
        })
    );
    let larger = FrameDecoder::new(1 << 20).unwrap();
    assert_eq!(larger.decode(&mut buf), Ok(None));
}

#[test]
fn max_frame_size_must_be_within_the_protocol_range() {
    assert_eq!(
        FrameDecoder::new(16_383).unwrap_err(),
        FrameError::InvalidMaxFrameSize(16_383)
    );
    assert_eq!(
        FrameDecoder::new(1 << 24).unwrap_err(),
        FrameError::InvalidMaxFrameSize(1 << 24)
    );
    assert!(FrameDecoder::new(16_384).is_ok());
    assert!(FrameDecoder::new((1 << 24) - 1).is_ok());
}

#[test]
fn headers_with_end_headers_is_a_block_on_its_own_and_is_not_copied() {
    let mut assembler = HeaderBlockAssembler::new(1024);
    let headers = frame(
        kind::HEADERS,
        flags::END_HEADERS | flags::END_STREAM,
        3,
        &[0x82, 0x84],
    );
    let payload_ptr = headers.payload.as_ptr();
    let Assembled::Block(block) = assembler.push(headers).unwrap() else {
        panic!("expected a block");
    };
    assert_eq!((block.stream_id, block.end_stream), (3, true));
    assert_eq!(&block.fragment[..], [0x82, 0x84]);
    assert_eq!(block.fragment.as_ptr(), payload_ptr);
}

#[test]
fn continuations_are_joined_into_one_block() {
    let mut assembler = HeaderBlockAssembler::new(1024);
    assert_eq!(
        assembler.push(frame(kind::HEADERS, 0, 5, b"ab")),
        Ok(Assembled::Pending)
    );
    assert!(assembler.is_pending());
    assert_eq!(
        assembler.push(frame(kind::CONTINUATION, 0, 5, b"cd")),
        Ok(Assembled::Pending)
    );
    let Assembled::Block(block) = assembler
        .push(frame(kind::CONTINUATION, flags::END_HEADERS, 5, b"ef"))
        .unwrap()
    else {
        panic!("expected a block");
    };
    assert_eq!(
        (block.stream_id, block.end_stream, &block.fragment[..]),
        (5, false, &b"abcdef"[..])
    );
    assert!(!assembler.is_pending());
}

#[test]
fn end_stream_comes_from_the_headers_frame_never_from_a_continuation() {
    // CONTINUATION defines no END_STREAM flag: bit 0x1 there means nothing.
    for (headers_flags, continuation_flags, want) in [
        (flags::END_STREAM, flags::END_HEADERS, true),
        (0, flags::END_HEADERS | flags::END_STREAM, false),
    ] {
        let mut assembler = HeaderBlockAssembler::new(1024);
        assembler
            .push(frame(kind::HEADERS, headers_flags, 7, b"ab"))
            .unwrap();
        let Assembled::Block(block) = assembler
            .push(frame(kind::CONTINUATION, continuation_flags, 7, b"cd"))
            .unwrap()
        else {
            panic!("expected a block");
        };
        assert_eq!(block.end_stream, want, "HEADERS flags {headers_flags:#x}");
    }
}

#[test]
fn continuation_on_another_stream_is_a_protocol_error() {
    let mut assembler = HeaderBlockAssembler::new(1024);
    assembler.push(frame(kind::HEADERS, 0, 1, b"ab")).unwrap();
    assert_eq!(
        assembler.push(frame(kind::CONTINUATION, flags::END_HEADERS, 3, b"cd")),
        Err(FrameError::ContinuationOnOtherStream {
            expected: 1,
            got: 3
        })
    );
}

#[test]
fn any_other_frame_inside_a_header_block_is_a_protocol_error() {
    for other in [
        kind::DATA,
        kind::HEADERS,
        kind::PRIORITY,
        kind::SETTINGS,
        0xfa,
    ] {
        // On the block's stream or another: what is wrong is that it is not
        // a CONTINUATION (ContinuationOnOtherStream is for CONTINUATIONs).
        for stream_id in [1, 3] {
            let mut assembler = HeaderBlockAssembler::new(1024);
            assembler.push(frame(kind::HEADERS, 0, 1, b"ab")).unwrap();
            assert_eq!(
                assembler.push(frame(other, flags::END_HEADERS, stream_id, b"")),
                Err(FrameError::ExpectedContinuation {
                    stream_id: 1,
                    got_kind: other
                }),
                "frame type {other:#x} on stream {stream_id}"
            );
        }
    }
}

#[test]
fn continuation_without_an_open_block_is_a_protocol_error() {
    let mut assembler = HeaderBlockAssembler::new(1024);
    assert_eq!(
        assembler.push(frame(kind::CONTINUATION, flags::END_HEADERS, 1, b"ab")),
        Err(FrameError::UnexpectedContinuation { stream_id: 1 })
    );
    // On stream 0 too: what is wrong is that no block is open.
    assert_eq!(
        assembler.push(frame(kind::CONTINUATION, flags::END_HEADERS, 0, b"ab")),
        Err(FrameError::UnexpectedContinuation { stream_id: 0 })
    );
}

#[test]
fn headers_on_stream_zero_is_a_protocol_error() {
    let mut assembler = HeaderBlockAssembler::new(1024);
    assert_eq!(
        assembler.push(frame(kind::HEADERS, flags::END_HEADERS, 0, b"\x82")),
        Err(FrameError::StreamIdZero {
            kind: kind::HEADERS
        })
    );
}

#[test]
fn non_header_frames_pass_through() {
    let mut assembler = HeaderBlockAssembler::new(1024);
    let data = frame(kind::DATA, 0, 1, b"body");
    assert_eq!(assembler.push(data.clone()), Ok(Assembled::Other(data)));
    // Connection-level frames live on stream 0: only a HEADERS there is
    // `StreamIdZero`; SETTINGS and PING pass through.
    let settings = frame(kind::SETTINGS, 0, 0, b"");
    assert_eq!(
        assembler.push(settings.clone()),
        Ok(Assembled::Other(settings))
    );
    let ping = frame(0x6, 0, 0, &[0; 8]);
    assert_eq!(assembler.push(ping.clone()), Ok(Assembled::Other(ping)));
}

#[test]
fn padding_and_priority_fields_are_stripped() {
    let mut assembler = HeaderBlockAssembler::new(1024);
    // Pad length 3, 5 bytes of priority, the fragment, 3 bytes of padding.
    let payload = [&[3u8][..], &[0x80, 0, 0, 1, 16], b"\x82\x84", &[0, 0, 0]].concat();
    let frame_flags = flags::END_HEADERS | flags::PADDED | flags::PRIORITY;
    let Assembled::Block(block) = assembler
        .push(frame(kind::HEADERS, frame_flags, 1, &payload))
        .unwrap()
    else {
        panic!("expected a block");
    };
    assert_eq!(&block.fragment[..], b"\x82\x84");
}

#[test]
fn padding_that_exactly_fills_the_payload_leaves_an_empty_fragment() {
    let mut assembler = HeaderBlockAssembler::new(1024);
    for (frame_flags, payload) in [
        (flags::PADDED, vec![3u8, 0, 0, 0]),
        (
            flags::PADDED | flags::PRIORITY,
            vec![2, 0x80, 0, 0, 1, 16, 0, 0],
        ),
        // Exactly the five priority bytes, no fragment at all.
        (flags::PRIORITY, vec![0x80, 0, 0, 1, 16]),
    ] {
        let Assembled::Block(block) = assembler
            .push(frame(
                kind::HEADERS,
                flags::END_HEADERS | frame_flags,
                1,
                &payload,
            ))
            .unwrap()
        else {
            panic!("expected a block");
        };
        assert!(block.fragment.is_empty(), "{payload:?}");
    }
}

#[test]
fn padding_longer_than_the_payload_is_a_protocol_error() {
    let mut assembler = HeaderBlockAssembler::new(1024);
    let bad = frame(
        kind::HEADERS,
        flags::END_HEADERS | flags::PADDED,
        1,
        &[5, 0x82, 0, 0],
    );
    assert_eq!(assembler.push(bad), Err(FrameError::InvalidPadding));
    let empty = frame(kind::HEADERS, flags::END_HEADERS | flags::PADDED, 1, &[]);
    assert_eq!(assembler.push(empty), Err(FrameError::PayloadTooShort));
    let short = frame(
        kind::HEADERS,
        flags::END_HEADERS | flags::PRIORITY,
        1,
        &[0, 0, 0],
    );
    assert_eq!(assembler.push(short), Err(FrameError::PayloadTooShort));
}

#[test]
fn a_continuation_flood_stops_at_the_block_limit() {
    let mut assembler = HeaderBlockAssembler::new(100);
    assembler
        .push(frame(kind::HEADERS, 0, 1, &[0; 60]))
        .unwrap();
    assert_eq!(
        assembler.push(frame(kind::CONTINUATION, 0, 1, &[0; 60])),
        Err(FrameError::HeaderBlockTooLarge { limit: 100 })
    );
    let mut assembler = HeaderBlockAssembler::new(10);
    assert_eq!(
        assembler.push(frame(kind::HEADERS, flags::END_HEADERS, 1, &[0; 11])),
        Err(FrameError::HeaderBlockTooLarge { limit: 10 })
    );
}

#[test]
fn a_block_of_exactly_the_limit_is_accepted() {
    let mut assembler = HeaderBlockAssembler::new(100);
    assembler
        .push(frame(kind::HEADERS, 0, 1, &[0; 60]))
        .unwrap();
    let Assembled::Block(block) = assembler
        .push(frame(kind::CONTINUATION, flags::END_HEADERS, 1, &[0; 40]))
        .unwrap()
    else {
        panic!("expected a block");
    };
    assert_eq!(block.fragment.len(), 100);
    let mut assembler = HeaderBlockAssembler::new(10);
    assert!(matches!(
        assembler.push(frame(kind::HEADERS, flags::END_HEADERS, 1, &[0; 10])),
        Ok(Assembled::Block(_))
    ));
    // The limit is on the fragment: padding and priority fields (here 1 +
    // 5 + 3 bytes around a 10-byte fragment) do not count.
    let payload = [&[3u8][..], &[0, 0, 0, 1, 16], &[0; 10], &[0, 0, 0]].concat();
    let frame_flags = flags::END_HEADERS | flags::PADDED | flags::PRIORITY;
    let Assembled::Block(block) = assembler
        .push(frame(kind::HEADERS, frame_flags, 1, &payload))
        .unwrap()
    else {
        panic!("expected a block");
    };
    assert_eq!(block.fragment.len(), 10);
}

#[test]
fn bytes_to_headers_through_frames_continuations_and_hpack() {
    // A request's header block, split over HEADERS + CONTINUATION, arriving
    // in 7-byte reads: the whole pipeline this lab builds.
    let request = vec![
        Header::new(":method", "POST"),
        Header::new(":path", "/pay"),
        Header::new("content-type", "application/json"),
        Header::sensitive("authorization", "Bearer abc"),
    ];
    let mut block = Vec::new();
    Encoder::new(4096).encode(&request, &mut block);
    let (a, b) = block.split_at(block.len() / 2);
    let stream = [
        wire(&frame(kind::HEADERS, 0, 1, a)),
        wire(&frame(kind::CONTINUATION, flags::END_HEADERS, 1, b)),
    ]
    .concat();

    let frames = FrameDecoder::default();
    let mut assembler = HeaderBlockAssembler::new(16 * 1024);
    let mut hpack = Decoder::new(4096);
    let mut buf = BytesMut::new();
    let mut decoded = None;
    for chunk in stream.chunks(7) {
        buf.extend_from_slice(chunk);
        while let Some(frame) = frames.decode(&mut buf).unwrap() {
            if let Assembled::Block(block) = assembler.push(frame).unwrap() {
                decoded = Some(hpack.decode(&block.fragment).unwrap());
            }
        }
    }
    assert_eq!(decoded, Some(request));
}
