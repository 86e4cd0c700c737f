//! The HTTP/1.x request head parser: results, zero-copy, incremental
//! feeding, limits and every kind of bad input.

use bytes::BytesMut;
use lab06_h2_headers::head::{HeadError, HeadParser, Limits, RequestHead, Version};
use proptest::prelude::*;

const REQ: &[u8] = b"GET /wp-content/uploads/2010/03/hello-kitty.jpg HTTP/1.1\r\n\
Host: www.kittyhell.com\r\n\
User-Agent: Mozilla/5.0 (Macintosh; U; Intel Mac OS X 10.6)\r\n\
Accept: text/html,application/xhtml+xml;q=0.9,*/*;q=0.8\r\n\
Cookie: wp_ozh_wsa_visits=2; __utma=xxxxxxxxx.xxxxxxxxxx\r\n\r\n";

fn parse_all(input: &[u8]) -> Result<Option<RequestHead>, HeadError> {
    parse_with(Limits::default(), input)
}

fn parse_with(limits: Limits, input: &[u8]) -> Result<Option<RequestHead>, HeadError> {
    HeadParser::new(limits).parse(&mut BytesMut::from(input))
}

fn err(input: &[u8]) -> HeadError {
    match parse_all(input) {
        Err(e) => e,
        other => panic!(
            "expected an error for {:?}, got {other:?}",
            String::from_utf8_lossy(input)
        ),
    }
}

#[test]
fn parses_the_request_line_and_every_header() {
    let head = parse_all(REQ).unwrap().unwrap();
    assert_eq!(head.method(), b"GET");
    assert_eq!(
        head.target(),
        b"/wp-content/uploads/2010/03/hello-kitty.jpg"
    );
    assert_eq!(head.version(), Version::Http11);
    let names: Vec<&[u8]> = head.headers().map(|(n, _)| n).collect();
    assert_eq!(names, [&b"Host"[..], b"User-Agent", b"Accept", b"Cookie"]);
    assert_eq!(head.header("host"), Some(&b"www.kittyhell.com"[..]));
    assert_eq!(
        head.header("COOKIE"),
        Some(&b"wp_ozh_wsa_visits=2; __utma=xxxxxxxxx.xxxxxxxxxx"[..])
    );
    assert_eq!(head.header("missing"), None);
    assert_eq!(head.as_bytes().len(), REQ.len());
}

#[test]
fn every_field_points_into_the_original_buffer() {
    let mut buf = BytesMut::from(REQ);
    let range = buf.as_ptr() as usize..buf.as_ptr() as usize + buf.len();
    let head = HeadParser::default().parse(&mut buf).unwrap().unwrap();
    let inside = |s: &[u8]| range.contains(&(s.as_ptr() as usize));
    assert!(inside(head.method()) && inside(head.target()));
    assert!(head.headers().all(|(n, v)| inside(n) && inside(v)));
    assert_eq!(head.as_bytes().as_ptr() as usize, range.start);
    // The owned handles share the same memory too.
    assert!(head.header_bytes().all(|(n, v)| inside(&n) && inside(&v)));
    let (method, target) = head.method_and_target_bytes();
    assert!(inside(&method) && inside(&target));
}

#[test]
fn says_need_more_until_the_blank_line_then_leaves_the_body() {
    let mut parser = HeadParser::default();
    let mut buf = BytesMut::new();
    let input = [REQ, b"BODY BYTES"].concat();
    for (i, &byte) in input[..REQ.len() - 1].iter().enumerate() {
        buf.extend_from_slice(&[byte]);
        assert_eq!(
            parser.parse(&mut buf).map(|h| h.is_some()),
            Ok(false),
            "after {} bytes",
            i + 1
        );
    }
    buf.extend_from_slice(&input[REQ.len() - 1..]);
    let head = parser.parse(&mut buf).unwrap().unwrap();
    assert_eq!(head.headers().len(), 4);
    assert_eq!(&buf[..], b"BODY BYTES");
}

#[test]
fn a_wrong_version_is_rejected_as_soon_as_its_eight_bytes_are_in() {
    // "HTTP/1.2" cannot become a valid version, whatever follows: no need
    // to wait for the line end.
    let mut parser = HeadParser::default();
    let mut buf = BytesMut::from(&b"GET / HTTP/1.2"[..]);
    assert_eq!(
        parser.parse(&mut buf).map(|h| h.is_some()),
        Err(HeadError::InvalidVersion)
    );
    // Its first seven bytes still may.
    let mut parser = HeadParser::default();
    let mut buf = BytesMut::from(&b"GET / HTTP/1."[..]);
    assert_eq!(parser.parse(&mut buf).map(|h| h.is_some()), Ok(false));
}

#[test]
fn a_finished_line_is_never_parsed_again() {
    // The parser keeps its place: a line parsed once is only pointed at
    // afterwards, never read again. To see it, overwrite two finished lines
    // with bytes that would not parse: the head still completes, and its
    // spans show what the buffer holds now.
    let mut parser = HeadParser::default();
    let mut buf = BytesMut::from(&b"GET /a HTTP/1.1\r\nHost: x\r\n"[..]);
    assert_eq!(parser.parse(&mut buf).map(|h| h.is_some()), Ok(false));
    buf[0] = b'(';
    buf[17] = b'(';
    buf.extend_from_slice(b"\r\n");
    let head = parser
        .parse(&mut buf)
        .expect("finished lines are not parsed again")
        .expect("the blank line ends the head");
    assert_eq!(head.method(), b"(ET");
    assert_eq!(head.headers().next(), Some((&b"(ost"[..], &b"x"[..])));
}

#[test]
fn pipelined_requests_come_out_one_at_a_time() {
    let mut parser = HeadParser::default();
    let mut buf = BytesMut::from(&b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.0\r\n\r\n"[..]);
    let first = parser.parse(&mut buf).unwrap().unwrap();
    let second = parser.parse(&mut buf).unwrap().unwrap();
    assert_eq!((first.target(), second.target()), (&b"/a"[..], &b"/b"[..]));
    assert_eq!(second.version(), Version::Http10);
    assert_eq!(second.headers().len(), 0);
    assert!(buf.is_empty());
    assert_eq!(parser.parse(&mut buf).map(|h| h.is_some()), Ok(false));
}

#[test]
fn empty_lines_before_the_request_line_are_skipped() {
    let head = parse_all(b"\r\n\r\nGET / HTTP/1.1\r\n\r\n")
        .unwrap()
        .unwrap();
    assert_eq!(head.target(), b"/");
    assert_eq!(head.as_bytes().as_ref(), b"GET / HTTP/1.1\r\n\r\n");
}

#[test]
fn an_empty_line_cut_after_its_cr_needs_more() {
    // Found by the `head` fuzz target: a lone CR before the request line
    // was reported as an invalid method instead of "need more".
    let mut parser = HeadParser::default();
    let mut buf = BytesMut::from(&b"\r\n\r"[..]);
    assert_eq!(parser.parse(&mut buf).map(|h| h.is_some()), Ok(false));
    buf.extend_from_slice(b"\nGET / HTTP/1.1\r\n\r\n");
    assert_eq!(parser.parse(&mut buf).unwrap().unwrap().target(), b"/");
    assert_eq!(
        err(b"\nGET / HTTP/1.1\r\n\r\n"),
        HeadError::BareLf { offset: 0 }
    );
}

#[test]
fn whitespace_around_values_is_not_part_of_them() {
    let head = parse_all(b"GET / HTTP/1.1\r\nA:  \t spaced \t \r\nB:\r\nC:x\r\n\r\n")
        .unwrap()
        .unwrap();
    let fields: Vec<(&[u8], &[u8])> = head.headers().collect();
    assert_eq!(
        fields,
        [(&b"A"[..], &b"spaced"[..]), (b"B", b""), (b"C", b"x")]
    );
}

#[test]
fn obs_text_in_values_is_allowed() {
    let head = parse_all("GET / HTTP/1.1\r\nX-Name: Zoë\r\n\r\n".as_bytes())
        .unwrap()
        .unwrap();
    assert_eq!(head.header("x-name"), Some("Zoë".as_bytes()));
}

#[test]
fn a_head_that_does_not_end_within_the_limit_is_too_large() {
    let limits = Limits {
        max_head_size: 64,
        max_headers: 100,
    };
    let mut parser = HeadParser::new(limits);
    let mut buf = BytesMut::from(&b"GET / HTTP/1.1\r\nX-Long: "[..]);
    assert_eq!(parser.parse(&mut buf).map(|h| h.is_some()), Ok(false));
    buf.extend_from_slice(&[b'a'; 1 << 20]);
    assert_eq!(
        parser.parse(&mut buf).unwrap_err(),
        HeadError::TooLarge { limit: 64 }
    );
    // Exactly `limit` bytes and still no blank line: the head can no longer
    // end within the limit, so it is rejected without waiting for more.
    let mut no_end = b"GET / HTTP/1.1\r\nX: ".to_vec();
    no_end.resize(64, b'a');
    assert_eq!(
        parse_with(limits, &no_end).unwrap_err(),
        HeadError::TooLarge { limit: 64 }
    );
    // A complete head one byte over the limit is rejected too.
    let exact = b"GET / HTTP/1.1\r\nX: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
    assert_eq!(exact.len(), 65);
    assert_eq!(
        parse_with(limits, exact).unwrap_err(),
        HeadError::TooLarge { limit: 64 }
    );
    assert!(
        parse_with(
            Limits {
                max_head_size: 65,
                ..limits
            },
            exact
        )
        .unwrap()
        .is_some()
    );
}

#[test]
fn more_headers_than_the_limit_are_rejected() {
    let limits = Limits {
        max_head_size: 1024,
        max_headers: 2,
    };
    assert!(
        parse_with(limits, b"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n")
            .unwrap()
            .is_some()
    );
    assert_eq!(
        parse_with(limits, b"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n").unwrap_err(),
        HeadError::TooManyHeaders { limit: 2 }
    );
    // Rejected as soon as one header too many starts, without waiting for
    // the rest of it or for the blank line.
    assert_eq!(
        parse_with(limits, b"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC").unwrap_err(),
        HeadError::TooManyHeaders { limit: 2 }
    );
}

#[test]
fn bad_methods_are_rejected() {
    assert_eq!(err(b"G(T / HTTP/1.1\r\n\r\n"), HeadError::InvalidMethod);
    assert_eq!(err(b" / HTTP/1.1\r\n\r\n"), HeadError::InvalidMethod);
    assert_eq!(err(b"GET\t/ HTTP/1.1\r\n\r\n"), HeadError::InvalidMethod);
}

#[test]
fn bad_targets_are_rejected() {
    assert_eq!(err(b"GET  / HTTP/1.1\r\n\r\n"), HeadError::InvalidTarget);
    assert_eq!(
        err(b"GET /a\x7fb HTTP/1.1\r\n\r\n"),
        HeadError::InvalidTarget
    );
    assert_eq!(
        err("GET /ü HTTP/1.1\r\n\r\n".as_bytes()),
        HeadError::InvalidTarget
    );
    assert_eq!(err(b"GET /\r\n\r\n"), HeadError::InvalidTarget);
}

#[test]
fn only_http_1_0_and_1_1_are_accepted() {
    for version in ["HTTP/2.0", "HTTP/1.2", "http/1.1", "HTTP/1.1 ", "HTTX/1.1"] {
        let input = format!("GET / {version}\r\n\r\n");
        assert_eq!(
            err(input.as_bytes()),
            HeadError::InvalidVersion,
            "{version}"
        );
    }
}

#[test]
fn bad_header_names_are_rejected() {
    // Whitespace before the colon (RFC 9112 §5.1 says reject), obs-fold,
    // no colon, empty name, a non-token byte.
    for (input, line) in [
        (&b"GET / HTTP/1.1\r\nHost : x\r\n\r\n"[..], 1),
        (b"GET / HTTP/1.1\r\nA: 1\r\n folded\r\n\r\n", 2),
        (b"GET / HTTP/1.1\r\nNoColon\r\n\r\n", 1),
        (b"GET / HTTP/1.1\r\n: empty\r\n\r\n", 1),
        (b"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nBad@Name: 3\r\n\r\n", 3),
    ] {
        assert_eq!(
            err(input),
            HeadError::InvalidHeaderName { line },
            "{:?}",
            String::from_utf8_lossy(input)
        );
    }
}

#[test]
fn control_bytes_in_values_are_rejected() {
    for bad in [0u8, 0x01, 0x0b, 0x1f, 0x7f] {
        let input = [&b"GET / HTTP/1.1\r\nA: x"[..], &[bad], b"y\r\n\r\n"].concat();
        assert_eq!(
            err(&input),
            HeadError::InvalidHeaderValue { line: 1 },
            "byte {bad:#x}"
        );
    }
}

#[test]
fn a_bare_lf_is_rejected_with_its_offset() {
    assert_eq!(
        err(b"GET / HTTP/1.1\n\r\n"),
        HeadError::BareLf { offset: 14 }
    );
    assert_eq!(
        err(b"GET / HTTP/1.1\r\nHost: x\n\r\n"),
        HeadError::BareLf { offset: 23 }
    );
    assert_eq!(
        err(b"GET / HTTP/1.1\r\nHost: x\r\n\n"),
        HeadError::BareLf { offset: 25 }
    );
}

#[test]
fn a_cr_without_lf_is_rejected() {
    assert_eq!(
        err(b"GET / HTTP/1.1\r\nA: b\rc\r\n\r\n"),
        HeadError::InvalidHeaderValue { line: 1 }
    );
    assert_eq!(err(b"GET / HTTP/1.1\rX\r\n\r\n"), HeadError::InvalidVersion);
    // Before the request line only a lone CR may be half of an empty line:
    // a CR followed by anything but LF is an error, not "need more".
    assert_eq!(err(b"\rGET / HTTP/1.1\r\n\r\n"), HeadError::InvalidMethod);
    assert_eq!(err(b"\r\n\rX"), HeadError::InvalidMethod);
}

#[test]
fn the_parser_starts_over_after_an_error() {
    let mut parser = HeadParser::default();
    assert!(
        parser
            .parse(&mut BytesMut::from(
                &b"GET / HTTP/1.1\r\nBad Name: 1\r\n\r\n"[..]
            ))
            .is_err()
    );
    let head = parser
        .parse(&mut BytesMut::from(&b"PUT /x HTTP/1.1\r\n\r\n"[..]))
        .unwrap()
        .unwrap();
    assert_eq!(head.method(), b"PUT");
}

#[test]
fn head_errors_explain_themselves() {
    assert_eq!(
        HeadError::BareLf { offset: 14 }.to_string(),
        "line ends with a bare LF at byte 14; CRLF is required"
    );
}

/// What a parse produced, in a comparable form.
fn summary(result: Result<Option<RequestHead>, HeadError>, rest: &[u8]) -> String {
    match result {
        Ok(Some(head)) => format!(
            "{:?} {:?} {:?} {:?} rest={:?}",
            head.method(),
            head.target(),
            head.version(),
            head.headers().collect::<Vec<_>>(),
            rest
        ),
        Ok(None) => "need more".to_string(),
        Err(e) => format!("{e:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Any chunking of the input gives the same result as one shot.
    #[test]
    fn any_chunking_gives_the_one_shot_result(
        empty_lines in 0usize..3,
        extra in prop::collection::vec(any::<u8>(), 0..16),
        mutate in prop::option::of((any::<prop::sample::Index>(), any::<u8>())),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..12),
    ) {
        let mut input = [&b"\r\n".repeat(empty_lines)[..], REQ, &extra[..]].concat();
        if let Some((at, byte)) = mutate {
            let i = at.index(input.len());
            input[i] = byte;
        }
        let mut one_shot_buf = BytesMut::from(&input[..]);
        let one_shot = HeadParser::default().parse(&mut one_shot_buf);
        let expected = summary(one_shot, &one_shot_buf);

        let mut cuts: Vec<usize> = cuts.iter().map(|c| c.index(input.len() + 1)).collect();
        cuts.push(input.len());
        cuts.sort_unstable();
        let mut parser = HeadParser::default();
        let mut buf = BytesMut::new();
        let mut from = 0;
        let mut result = Ok(None);
        for cut in cuts {
            buf.extend_from_slice(&input[from..cut]);
            from = cut;
            result = parser.parse(&mut buf);
            if !matches!(result, Ok(None)) {
                break;
            }
        }
        // Whatever was not fed yet arrives now, so the leftovers compare.
        buf.extend_from_slice(&input[from..]);
        let got = summary(result, &buf);
        prop_assert_eq!(got, expected);
    }
}
