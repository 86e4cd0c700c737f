//! Differential tests: this parser against httparse on the same inputs.
//!
//! On valid requests both must agree byte for byte. On damaged requests
//! both must agree on accept / need more / reject, except where the two
//! differ *by policy*, each documented in `src/head.rs`:
//! * a bare LF: httparse accepts it as a line end, this parser rejects it;
//! * obs-text (0x80–0xFF) in the request target: httparse accepts it, this
//!   parser allows only visible ASCII there (RFC 9112 §3.2).

use bytes::BytesMut;
use lab06_h2_headers::head::{HeadParser, Limits};
use proptest::prelude::*;

const MAX_HEADERS: usize = 32;

#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Complete {
        len: usize,
        method: Vec<u8>,
        target: Vec<u8>,
        minor: u8,
        headers: Vec<(Vec<u8>, Vec<u8>)>,
    },
    Partial,
    Error,
}

fn ours(input: &[u8]) -> Outcome {
    let mut buf = BytesMut::from(input);
    let limits = Limits {
        max_head_size: 1 << 20,
        max_headers: MAX_HEADERS,
    };
    match HeadParser::new(limits).parse(&mut buf) {
        Ok(Some(head)) => Outcome::Complete {
            len: input.len() - buf.len(),
            method: head.method().to_vec(),
            target: head.target().to_vec(),
            minor: match head.version() {
                lab06_h2_headers::head::Version::Http10 => 0,
                lab06_h2_headers::head::Version::Http11 => 1,
            },
            headers: head
                .headers()
                .map(|(n, v)| (n.to_vec(), v.to_vec()))
                .collect(),
        },
        Ok(None) => Outcome::Partial,
        Err(_) => Outcome::Error,
    }
}

fn theirs(input: &[u8]) -> Outcome {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    match req.parse(input) {
        Ok(httparse::Status::Complete(len)) => Outcome::Complete {
            len,
            method: req
                .method
                .map(|m| m.as_bytes().to_vec())
                .unwrap_or_default(),
            target: req.path.map(|p| p.as_bytes().to_vec()).unwrap_or_default(),
            minor: req.version.unwrap_or(9),
            headers: req
                .headers
                .iter()
                .map(|h| (h.name.as_bytes().to_vec(), h.value.to_vec()))
                .collect(),
        },
        Ok(httparse::Status::Partial) => Outcome::Partial,
        Err(_) => Outcome::Error,
    }
}

/// True if the input hits one of the documented policy differences.
fn policy_difference(input: &[u8]) -> bool {
    let bare_lf = input
        .iter()
        .enumerate()
        .any(|(i, &b)| b == b'\n' && (i == 0 || input[i - 1] != b'\r'));
    let first_line = input.split(|&b| b == b'\n').next().unwrap_or(input);
    bare_lf || first_line.iter().any(|&b| b >= 0x80)
}

fn token() -> impl Strategy<Value = String> {
    "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}"
}

fn request() -> impl Strategy<Value = Vec<u8>> {
    let method = prop_oneof![Just("GET".to_string()), Just("POST".to_string()), token()];
    let target = "/[!-~]{0,40}";
    let version = prop_oneof![Just("HTTP/1.1"), Just("HTTP/1.0")];
    let value = "[ \t]{0,2}[!-~]([ !-~]{0,30}[!-~])?[ \t]{0,2}|";
    let headers = prop::collection::vec((token(), value), 0..10);
    (method, target, version, headers).prop_map(|(m, t, v, hs)| {
        let mut out = format!("{m} {t} {v}\r\n");
        for (name, value) in hs {
            out.push_str(&format!("{name}:{value}\r\n"));
        }
        out.push_str("\r\n");
        out.into_bytes()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn valid_requests_parse_identically(req in request(), body in prop::collection::vec(any::<u8>(), 0..8)) {
        let input = [&req[..], &body[..]].concat();
        let ours = ours(&input);
        prop_assert!(matches!(ours, Outcome::Complete { .. }), "{:?}", ours);
        prop_assert_eq!(ours, theirs(&input));
    }

    #[test]
    fn damaged_requests_get_the_same_verdict(
        req in request(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..4),
    ) {
        let mut input = req;
        for (at, byte, op) in edits {
            let i = at.index(input.len());
            match op {
                0 => input[i] = byte,
                1 => input.insert(i, byte),
                _ => { input.remove(i); }
            }
        }
        prop_assume!(!policy_difference(&input));
        prop_assert_eq!(ours(&input), theirs(&input), "input {:?}", String::from_utf8_lossy(&input));
    }

    #[test]
    fn every_prefix_of_a_valid_request_needs_more_in_both(req in request(), cut in any::<prop::sample::Index>()) {
        let prefix = &req[..cut.index(req.len())];
        prop_assert_eq!(ours(prefix), Outcome::Partial);
        prop_assert_eq!(theirs(prefix), Outcome::Partial);
    }
}

#[test]
fn the_documented_policy_differences_are_real() {
    // If httparse ever changes here, the filter above is too wide.
    let bare_lf = b"GET / HTTP/1.1\nHost: x\n\n";
    assert_eq!(ours(bare_lf), Outcome::Error);
    assert!(matches!(theirs(bare_lf), Outcome::Complete { .. }));
    let obs_target = "GET /ü HTTP/1.1\r\n\r\n".as_bytes();
    assert_eq!(ours(obs_target), Outcome::Error);
    assert!(matches!(theirs(obs_target), Outcome::Complete { .. }));
}
