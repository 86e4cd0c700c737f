//! An incremental, zero-copy HTTP/1.x request head parser built with nom.
//!
//! The head is parsed *line by line*: each call to [`HeadParser::parse`]
//! resumes at the first line it has not finished, so feeding a head one
//! byte at a time costs the same as feeding it whole (no re-parsing from
//! the start, unlike calling a one-shot parser on every read). The line
//! parsers are nom's *streaming* parsers: at the end of the input they say
//! `Incomplete` ("need more") instead of failing, which is the whole point
//! of streaming parsers and what the article's `parse_headers` missed.
//!
//! When the blank line arrives, the head is split off the front of the
//! `BytesMut` and frozen into one `Bytes`; the body stays in the buffer.
//! The parsed request keeps *offsets* into that `Bytes`: the method, target
//! and every name and value are slices of the original buffer, never copies.
//!
//! Policy (RFC 9112), where parsers differ:
//! * Lines end with CRLF. A bare LF is rejected ([`HeadError::BareLf`]);
//!   RFC 9112 §2.2 allows accepting it, but parsers that disagree on line
//!   ends are how request smuggling starts, so this one is strict.
//! * Empty lines (CRLF) before the request line are skipped (§2.2).
//! * No whitespace between a field name and its colon (§5.1), no obs-fold
//!   (a line starting with SP or HTAB, §5.2): both are errors.
//! * Field values may hold HTAB, SP, visible ASCII and obs-text (0x80–0xFF);
//!   other control bytes and DEL are errors. Leading and trailing
//!   whitespace is not part of the value.
//! * Only HTTP/1.0 and HTTP/1.1 are accepted.

use std::fmt;

use bytes::{Buf, Bytes, BytesMut};
use nom::bytes::streaming::take_while;
use nom::error::{ErrorKind, ParseError};
use nom::{IResult, Offset, Parser};

/// Size and count limits. A head that exceeds them is rejected as soon as
/// that is certain, without buffering more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most bytes the head may take, including the final blank line.
    /// Values above `u32::MAX` are treated as `u32::MAX`.
    pub max_head_size: usize,
    /// Most header fields.
    pub max_headers: usize,
}

impl Default for Limits {
    /// 16 KiB and 100 fields: above what browsers send (Chrome caps a
    /// request head near 256 KiB only for cookies-heavy pages; typical
    /// heads are 0.5–2 KiB), in line with nginx's 4 × 8 KiB default and
    /// hyper's 100 headers.
    fn default() -> Self {
        Limits {
            max_head_size: 16 * 1024,
            max_headers: 100,
        }
    }
}

/// The HTTP version of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    Http10,
    Http11,
}

/// Why a request head was rejected. Each maps to a 400 response, except
/// `TooLarge` and `TooManyHeaders` (431).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeadError {
    /// The head did not end within `limit` bytes.
    TooLarge { limit: usize },
    /// More than `limit` header fields.
    TooManyHeaders { limit: usize },
    /// The method is empty, has a non-token byte, or is not followed by SP.
    InvalidMethod,
    /// The request target is empty, has a byte outside visible ASCII, or is
    /// not followed by SP.
    InvalidTarget,
    /// Not `HTTP/1.0` or `HTTP/1.1`, or followed by something else than CRLF.
    InvalidVersion,
    /// A field name is empty or has a non-token byte (including whitespace
    /// before the colon or an obs-fold line), or the colon is missing.
    /// `line` counts header lines from 1.
    InvalidHeaderName { line: usize },
    /// A field value contains a forbidden byte (a control byte or DEL).
    InvalidHeaderValue { line: usize },
    /// A line ends with LF alone. `offset` is the LF's position in the
    /// buffer.
    BareLf { offset: usize },
}

impl fmt::Display for HeadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeadError::TooLarge { limit } => write!(f, "request head exceeds {limit} bytes"),
            HeadError::TooManyHeaders { limit } => write!(f, "more than {limit} header fields"),
            HeadError::InvalidMethod => f.write_str("invalid method"),
            HeadError::InvalidTarget => f.write_str("invalid request target"),
            HeadError::InvalidVersion => f.write_str("invalid or unsupported HTTP version"),
            HeadError::InvalidHeaderName { line } => {
                write!(f, "invalid header name on header line {line}")
            }
            HeadError::InvalidHeaderValue { line } => {
                write!(f, "invalid header value on header line {line}")
            }
            HeadError::BareLf { offset } => {
                write!(
                    f,
                    "line ends with a bare LF at byte {offset}; CRLF is required"
                )
            }
        }
    }
}

impl std::error::Error for HeadError {}

/// A byte range of the head, as u32 to keep a field at 8 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Span {
    start: u32,
    end: u32,
}

impl Span {
    fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// How many header fields a [`RequestHead`] stores without allocating.
const INLINE_FIELDS: usize = 16;

/// The spans of a head's fields: inline for up to [`INLINE_FIELDS`] (most
/// requests; no allocation), on the heap beyond.
#[derive(Debug, Clone)]
#[expect(
    clippy::large_enum_variant,
    reason = "inline on purpose: not allocating for the common case is the point"
)]
enum Fields {
    Inline(usize, [(Span, Span); INLINE_FIELDS]),
    Heap(Vec<(Span, Span)>),
}

impl Fields {
    /// Takes the parser's fields: copies them inline if they fit, so the
    /// parser keeps its buffer for the next head.
    fn take(parsed: &mut Vec<(Span, Span)>) -> Fields {
        if parsed.len() <= INLINE_FIELDS {
            let mut inline = [(Span::default(), Span::default()); INLINE_FIELDS];
            inline[..parsed.len()].copy_from_slice(parsed);
            let fields = Fields::Inline(parsed.len(), inline);
            parsed.clear();
            fields
        } else {
            Fields::Heap(std::mem::take(parsed))
        }
    }

    fn as_slice(&self) -> &[(Span, Span)] {
        match self {
            Fields::Inline(len, spans) => &spans[..*len],
            Fields::Heap(spans) => spans,
        }
    }
}

/// A parsed request head. Everything in it is a view into one `Bytes`.
#[derive(Debug, Clone)]
pub struct RequestHead {
    bytes: Bytes,
    method: Span,
    target: Span,
    version: Version,
    headers: Fields,
}

impl RequestHead {
    pub fn method(&self) -> &[u8] {
        &self.bytes[self.method.range()]
    }

    pub fn target(&self) -> &[u8] {
        &self.bytes[self.target.range()]
    }

    pub fn version(&self) -> Version {
        self.version
    }

    /// The header fields in order, as (name, value).
    pub fn headers(&self) -> impl ExactSizeIterator<Item = (&[u8], &[u8])> {
        self.headers
            .as_slice()
            .iter()
            .map(|&(n, v)| (&self.bytes[n.range()], &self.bytes[v.range()]))
    }

    /// The first value of the field `name`, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.as_bytes()))
            .map(|(_, v)| v)
    }

    /// The whole head, request line to blank line, as it arrived.
    pub fn as_bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The header fields as owned `Bytes` handles into the head (one
    /// reference count each, no copy): for code that keeps fields beyond
    /// the `RequestHead`, e.g. in an `http::HeaderMap`.
    pub fn header_bytes(&self) -> impl Iterator<Item = (Bytes, Bytes)> + '_ {
        self.headers
            .as_slice()
            .iter()
            .map(|&(n, v)| (self.bytes.slice(n.range()), self.bytes.slice(v.range())))
    }

    /// The method and target as owned `Bytes` handles into the head.
    pub fn method_and_target_bytes(&self) -> (Bytes, Bytes) {
        (
            self.bytes.slice(self.method.range()),
            self.bytes.slice(self.target.range()),
        )
    }
}

/// Internal nom error: which [`HeadError`] a failed parser stands for.
#[derive(Debug)]
struct Fail(HeadError);

impl<'a> ParseError<&'a [u8]> for Fail {
    fn from_error_kind(_: &'a [u8], _: ErrorKind) -> Self {
        // Every parser below is wrapped by `or_fail`, which replaces this.
        Fail(HeadError::InvalidMethod)
    }

    fn append(_: &'a [u8], _: ErrorKind, other: Self) -> Self {
        other
    }
}

type PResult<'a, T> = IResult<&'a [u8], T, Fail>;

/// Runs `parser`, reporting its failure as `error`. `Incomplete` passes
/// through untouched: it means "need more", not "wrong".
fn or_fail<'a, O>(
    error: HeadError,
    mut parser: impl Parser<&'a [u8], Output = O, Error = Fail>,
) -> impl Parser<&'a [u8], Output = O, Error = Fail> {
    move |input: &'a [u8]| {
        parser
            .parse(input)
            .map_err(|e| e.map(|_| Fail(error.clone())))
    }
}

/// tchar (RFC 9110 §5.6.2): the bytes of methods and field names.
const fn token_table() -> [bool; 256] {
    let mut table = [false; 256];
    let extra = b"!#$%&'*+-.^_`|~";
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        table[i] = b.is_ascii_alphanumeric();
        i += 1;
    }
    let mut j = 0;
    while j < extra.len() {
        table[extra[j] as usize] = true;
        j += 1;
    }
    table
}

static TOKEN: [bool; 256] = token_table();

fn is_token(b: u8) -> bool {
    TOKEN[usize::from(b)]
}

/// Length of the run of token bytes at the start of `s`. Four table
/// lookups are combined per step, so the loop branches once per four
/// bytes instead of once per byte (names are short, so SWAR would not pay
/// off, and tchar is not a range SWAR can test cheaply).
fn token_len(s: &[u8]) -> usize {
    let mut i = 0;
    while let Some(&[a, b, c, d]) = s.get(i..i + 4) {
        if !(is_token(a) & is_token(b) & is_token(c) & is_token(d)) {
            break;
        }
        i += 4;
    }
    while i < s.len() && is_token(s[i]) {
        i += 1;
    }
    i
}

/// Exactly the byte `expected`. (nom's `tag` does this too, but its
/// helpers are not inlined across crates, and this runs once per line.)
fn byte<'a>(expected: u8) -> impl Parser<&'a [u8], Output = u8, Error = Fail> {
    move |input: &'a [u8]| match input.split_first() {
        Some((&b, rest)) if b == expected => Ok((rest, b)),
        // The caller's `or_fail` names the error.
        Some(_) => Err(nom::Err::Error(Fail(HeadError::InvalidMethod))),
        None => Err(nom::Err::Incomplete(nom::Needed::new(1))),
    }
}

/// One or more token bytes: a method or a field name.
fn token(input: &[u8]) -> PResult<'_, &[u8]> {
    let len = token_len(input);
    if len == 0 && !input.is_empty() {
        // The caller's `or_fail` names the error.
        return Err(nom::Err::Error(Fail(HeadError::InvalidMethod)));
    }
    scan(input, len)
}

/// Request-target bytes: visible ASCII (RFC 9112 §3.2 only has those).
fn is_target_byte(b: u8) -> bool {
    (0x21..=0x7e).contains(&b)
}

/// Field value bytes: HTAB, SP, VCHAR, obs-text (RFC 9110 §5.5).
fn is_value_byte(b: u8) -> bool {
    b == b'\t' || (b >= 0x20 && b != 0x7f)
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `x` that is below `n` (for n <= 0x80).
/// The classic "has less" bit trick: borrow from `x - n` reaches the high
/// bit only for bytes under `n`, and `!x` removes bytes that had it set.
fn bytes_below(x: u64, n: u8) -> u64 {
    x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH
}

/// The high bit of each byte of `x` equal to 0x7f (DEL).
fn bytes_del(x: u64) -> u64 {
    bytes_below(x ^ (ONES * 0x7f), 1)
}

/// Length of the run of bytes at the start of `s` that pass `accept`,
/// eight at a time while no byte of a word is `suspect`, then one by one.
/// `suspect` may flag good bytes (a tab in a value); it must flag every
/// bad one. This is httparse's SWAR idea, minus its SIMD.
fn run_len(s: &[u8], suspect: impl Fn(u64) -> u64, accept: impl Fn(u8) -> bool) -> usize {
    let mut i = 0;
    loop {
        while let Some(word) = s.get(i..i + 8) {
            let word = u64::from_le_bytes([
                word[0], word[1], word[2], word[3], word[4], word[5], word[6], word[7],
            ]);
            if suspect(word) != 0 {
                break;
            }
            i += 8;
        }
        // At most one word's worth, one byte at a time.
        let stop = (i + 8).min(s.len());
        while i < stop {
            if !accept(s[i]) {
                return i;
            }
            i += 1;
        }
        if i == s.len() {
            return i;
        }
    }
}

/// A streaming "take while" over a SWAR scan: `Incomplete` if the run
/// reaches the end of the input (more of it may still arrive).
fn scan<'a>(input: &'a [u8], len: usize) -> PResult<'a, &'a [u8]> {
    if len == input.len() {
        Err(nom::Err::Incomplete(nom::Needed::Unknown))
    } else {
        Ok((&input[len..], &input[..len]))
    }
}

/// Request target: one or more visible ASCII bytes.
fn target(input: &[u8]) -> PResult<'_, &[u8]> {
    // Suspect: anything below 0x21, DEL, or with the high bit set.
    let len = run_len(
        input,
        |w| bytes_below(w, 0x21) | bytes_del(w) | (w & HIGH),
        is_target_byte,
    );
    if len == 0 && !input.is_empty() {
        return Err(nom::Err::Error(Fail(HeadError::InvalidTarget)));
    }
    scan(input, len)
}

/// Field value: any run of value bytes (possibly empty).
fn field_value(input: &[u8]) -> PResult<'_, &[u8]> {
    let len = run_len(
        input,
        |w| bytes_below(w, 0x20) | bytes_del(w),
        is_value_byte,
    );
    scan(input, len)
}

/// The end of a line: CRLF. A bare LF is its own error; anything else
/// means the line's last element had a bad byte, reported as `error`.
fn line_end<'a>(error: HeadError) -> impl Parser<&'a [u8], Output = (), Error = Fail> {
    move |input: &'a [u8]| match input {
        [b'\r', b'\n', rest @ ..] => Ok((rest, ())),
        [] | [b'\r'] => Err(nom::Err::Incomplete(nom::Needed::Unknown)),
        // The caller turns this placeholder offset into a buffer offset.
        [b'\n', ..] => Err(nom::Err::Error(Fail(HeadError::BareLf { offset: 0 }))),
        _ => Err(nom::Err::Error(Fail(error.clone()))),
    }
}

// lab:begin(head_grammar) The grammar, as nom streaming parsers: `request_line` is method (tokens) SP target (visible ASCII) SP `HTTP/1.1`|`HTTP/1.0` CRLF; `header_line` is name (tokens) `:` optional SP/HTAB, value (value bytes, trailing SP/HTAB trimmed) CRLF. Wrap each piece with `or_fail(HeadError::..., parser)` so a failure names what was wrong, and end lines with `line_end`.
/// `HTTP/1.1` or `HTTP/1.0`.
fn http_version(input: &[u8]) -> PResult<'_, Version> {
    match input {
        [b'H', b'T', b'T', b'P', b'/', b'1', b'.', b'1', rest @ ..] => Ok((rest, Version::Http11)),
        [b'H', b'T', b'T', b'P', b'/', b'1', b'.', b'0', rest @ ..] => Ok((rest, Version::Http10)),
        // A proper prefix of "HTTP/1.x" may still become one.
        _ if input.len() < 8 && b"HTTP/1.".starts_with(&input[..input.len().min(7)]) => {
            Err(nom::Err::Incomplete(nom::Needed::Unknown))
        }
        _ => Err(nom::Err::Error(Fail(HeadError::InvalidVersion))),
    }
}

/// `method SP request-target SP HTTP-version CRLF`.
fn request_line(input: &[u8]) -> PResult<'_, (&[u8], &[u8], Version)> {
    (
        or_fail(HeadError::InvalidMethod, token),
        or_fail(HeadError::InvalidMethod, byte(b' ')),
        target,
        or_fail(HeadError::InvalidTarget, byte(b' ')),
        http_version,
        line_end(HeadError::InvalidVersion),
    )
        .map(|(method, _, target, _, version, ())| (method, target, version))
        .parse(input)
}

/// `field-name ":" OWS field-value OWS CRLF`; `line` is for error reports.
fn header_line(input: &[u8], line: usize) -> PResult<'_, (&[u8], &[u8])> {
    let name_error = HeadError::InvalidHeaderName { line };
    let value_error = HeadError::InvalidHeaderValue { line };
    (
        or_fail(name_error.clone(), token),
        or_fail(name_error, byte(b':')),
        take_while(|b| b == b' ' || b == b'\t'),
        field_value,
        line_end(value_error),
    )
        .map(|(name, _, _, value, ())| (name, value.trim_ascii_end()))
        .parse(input)
}
// lab:starter
// fn request_line(input: &[u8]) -> PResult<'_, (&[u8], &[u8], Version)> {
//     todo!("head_grammar: (method, SP, target, SP, version, CRLF) with nom streaming parsers")
// }
//
// fn header_line(input: &[u8], line: usize) -> PResult<'_, (&[u8], &[u8])> {
//     todo!("head_grammar: (name, ':', OWS, value, CRLF) with nom streaming parsers")
// }
// lab:end

/// Parses request heads out of a connection's read buffer, one at a time.
///
/// ```
/// use bytes::BytesMut;
/// use lab06_h2_headers::head::{HeadParser, Limits};
///
/// let mut parser = HeadParser::new(Limits::default());
/// let mut buf = BytesMut::from(&b"GET /index.html HTTP/1.1\r\nHost: a"[..]);
/// assert!(parser.parse(&mut buf).unwrap().is_none()); // need more
/// buf.extend_from_slice(b".example\r\n\r\nBODY");
/// let head = parser.parse(&mut buf).unwrap().unwrap();
/// assert_eq!(head.header("host"), Some(&b"a.example"[..]));
/// assert_eq!(&buf[..], b"BODY"); // the body stays in the buffer
/// ```
#[derive(Debug, Default)]
pub struct HeadParser {
    limits: Limits,
    /// Bytes at the front of the buffer already parsed into whole lines.
    pos: usize,
    request_line: Option<(Span, Span, Version)>,
    headers: Vec<(Span, Span)>,
}

impl HeadParser {
    pub fn new(limits: Limits) -> Self {
        HeadParser {
            limits,
            ..HeadParser::default()
        }
    }

    fn max_head_size(&self) -> usize {
        self.limits.max_head_size.min(u32::MAX as usize)
    }

    /// Forgets a partly parsed head (after an error, or to reuse the
    /// parser on another connection).
    pub fn reset(&mut self) {
        self.pos = 0;
        self.request_line = None;
        self.headers.clear();
    }
}

// lab:begin(head_incremental) Drive the grammar over a BytesMut: skip CRLFs before the request line, parse whole lines from `self.pos` on (never re-parsing a finished line), stop with Ok(None) on Incomplete, reject heads past `max_head_size` or with too many headers, and at the blank line split the head off the buffer (`split_to(..).freeze()`) so the body stays behind.
impl HeadParser {
    /// Parses the head at the front of `buf`. Returns `Ok(None)` while the
    /// head is incomplete (call again when more bytes arrived), and the
    /// head once the blank line is in: it is then removed from `buf`, and
    /// whatever follows (the body, or a pipelined request) stays.
    ///
    /// The buffer must only grow at the back between calls. After an error
    /// the parser is reset; the connection should answer 400 (or 431) and
    /// close, as the buffer's contents can no longer be trusted.
    pub fn parse(&mut self, buf: &mut BytesMut) -> Result<Option<RequestHead>, HeadError> {
        let result = self.parse_inner(buf);
        if !matches!(result, Ok(None)) {
            self.reset();
        }
        result
    }

    fn parse_inner(&mut self, buf: &mut BytesMut) -> Result<Option<RequestHead>, HeadError> {
        let max = self.max_head_size();
        if self.request_line.is_none() {
            // RFC 9112 §2.2: ignore empty lines before the request line.
            while buf.starts_with(b"\r\n") {
                buf.advance(2);
            }
            // Half of an empty line: wait for its LF.
            if &buf[..] == b"\r" {
                return Ok(None);
            }
            if buf.starts_with(b"\n") {
                return Err(HeadError::BareLf { offset: 0 });
            }
        }
        loop {
            // Never look past the size limit: a head that has not ended by
            // then is rejected however much more arrives.
            let window = &buf[..buf.len().min(max)];
            let input = &window[self.pos..];
            let step = match self.request_line {
                None => request_line(input).map(|(rest, (method, target, version))| {
                    self.request_line = Some((span(window, method), span(window, target), version));
                    rest
                }),
                Some((method, target, version)) if input.starts_with(b"\r\n") => {
                    let end = self.pos + 2;
                    let bytes = buf.split_to(end).freeze();
                    return Ok(Some(RequestHead {
                        bytes,
                        method,
                        target,
                        version,
                        headers: Fields::take(&mut self.headers),
                    }));
                }
                // The blank line has not fully arrived yet.
                Some(_) if input.is_empty() || input == b"\r" => {
                    Err(nom::Err::Incomplete(nom::Needed::Unknown))
                }
                Some(_) if input.starts_with(b"\n") => {
                    return Err(HeadError::BareLf { offset: self.pos });
                }
                Some(_) => {
                    if self.headers.len() == self.limits.max_headers {
                        return Err(HeadError::TooManyHeaders {
                            limit: self.limits.max_headers,
                        });
                    }
                    header_line(input, self.headers.len() + 1).map(|(rest, (name, value))| {
                        self.headers.push((span(window, name), span(window, value)));
                        rest
                    })
                }
            };
            match step {
                Ok(rest) => self.pos = window.offset(rest),
                Err(nom::Err::Incomplete(_)) => {
                    return if buf.len() >= max {
                        Err(HeadError::TooLarge { limit: max })
                    } else {
                        Ok(None)
                    };
                }
                Err(nom::Err::Error(Fail(e)) | nom::Err::Failure(Fail(e))) => {
                    return Err(match e {
                        HeadError::BareLf { .. } => HeadError::BareLf {
                            offset: bare_lf(window, self.pos),
                        },
                        e => e,
                    });
                }
            }
        }
    }
}
// lab:starter
// impl HeadParser {
//     pub fn parse(&mut self, buf: &mut BytesMut) -> Result<Option<RequestHead>, HeadError> {
//         todo!("head_incremental: parse whole lines from self.pos, split the head off at the blank line")
//     }
// }
// lab:end

/// The span of `part`, a subslice of `whole`.
fn span(whole: &[u8], part: &[u8]) -> Span {
    let start = whole.offset(part);
    // `whole` is at most `max_head_size` <= u32::MAX bytes long.
    Span {
        start: start as u32,
        end: (start + part.len()) as u32,
    }
}

/// The offset of the first bare LF at or after `from`.
fn bare_lf(buf: &[u8], from: usize) -> usize {
    (from..buf.len())
        .find(|&i| buf[i] == b'\n' && (i == 0 || buf[i - 1] != b'\r'))
        .unwrap_or(from)
}

/// The line grammar on its own (task `head_grammar`), before any driver:
/// what each line parser returns for a whole line, a cut one and a bad one.
#[cfg(test)]
mod grammar {
    use super::*;

    /// A parser's result, without nom's wrapping.
    #[derive(Debug, PartialEq)]
    enum Got<T> {
        Parsed { rest: Vec<u8>, value: T },
        NeedMore,
        Failed(HeadError),
    }

    fn got<T>(result: PResult<'_, T>) -> Got<T> {
        match result {
            Ok((rest, value)) => Got::Parsed {
                rest: rest.to_vec(),
                value,
            },
            Err(nom::Err::Incomplete(_)) => Got::NeedMore,
            Err(nom::Err::Error(Fail(e)) | nom::Err::Failure(Fail(e))) => Got::Failed(e),
        }
    }

    fn request(input: &[u8]) -> Got<(Vec<u8>, Vec<u8>, Version)> {
        got(request_line(input).map(|(rest, (m, t, v))| (rest, (m.to_vec(), t.to_vec(), v))))
    }

    fn header(input: &[u8], line: usize) -> Got<(Vec<u8>, Vec<u8>)> {
        got(header_line(input, line).map(|(rest, (n, v))| (rest, (n.to_vec(), v.to_vec()))))
    }

    fn parsed<T>(rest: &[u8], value: T) -> Got<T> {
        Got::Parsed {
            rest: rest.to_vec(),
            value,
        }
    }

    #[test]
    fn request_line_gives_method_target_version_and_the_rest() {
        assert_eq!(
            request(b"GET /a?b=c HTTP/1.1\r\nHost: x"),
            parsed(
                b"Host: x",
                (b"GET".to_vec(), b"/a?b=c".to_vec(), Version::Http11)
            )
        );
        assert_eq!(
            request(b"M-SEARCH * HTTP/1.0\r\n"),
            parsed(b"", (b"M-SEARCH".to_vec(), b"*".to_vec(), Version::Http10))
        );
    }

    #[test]
    fn request_line_needs_more_at_every_cut() {
        let line = b"GET /index.html HTTP/1.1\r\n";
        for cut in 0..line.len() {
            assert_eq!(request(&line[..cut]), Got::NeedMore, "cut at {cut}");
        }
    }

    #[test]
    fn request_line_names_the_part_that_is_wrong() {
        for (input, error) in [
            (&b"G(T / HTTP/1.1\r\n"[..], HeadError::InvalidMethod),
            (b" / HTTP/1.1\r\n", HeadError::InvalidMethod),
            (b"GET\t/ HTTP/1.1\r\n", HeadError::InvalidMethod),
            (b"GET  / HTTP/1.1\r\n", HeadError::InvalidTarget),
            (b"GET /a\x7fb HTTP/1.1\r\n", HeadError::InvalidTarget),
            (b"GET /\xc3\xbc HTTP/1.1\r\n", HeadError::InvalidTarget),
            (b"GET /\r\n", HeadError::InvalidTarget),
            (b"GET / HTTP/2.0\r\n", HeadError::InvalidVersion),
            (b"GET / http/1.1\r\n", HeadError::InvalidVersion),
            (b"GET / HTTP/1.1 \r\n", HeadError::InvalidVersion),
            (b"GET / HTTP/1.1\rX", HeadError::InvalidVersion),
            // The caller turns the placeholder offset into the LF's offset.
            (b"GET / HTTP/1.1\n", HeadError::BareLf { offset: 0 }),
        ] {
            assert_eq!(
                request(input),
                Got::Failed(error),
                "{:?}",
                String::from_utf8_lossy(input)
            );
        }
    }

    #[test]
    fn request_line_rejects_a_wrong_version_once_its_eight_bytes_are_in() {
        // Not "need more": no byte that could still arrive makes it valid.
        assert_eq!(
            request(b"GET / HTTP/1.2"),
            Got::Failed(HeadError::InvalidVersion)
        );
        assert_eq!(
            request(b"GET / HTTX/1.1"),
            Got::Failed(HeadError::InvalidVersion)
        );
        assert_eq!(request(b"GET / HTTP/1."), Got::NeedMore);
    }

    #[test]
    fn request_line_rejects_a_version_that_cannot_become_http_1_before_its_eighth_byte() {
        // A streaming parser waits only while the input is still a prefix
        // of `HTTP/1.x`: a differing byte is an error at once, however few
        // of the eight bytes are in.
        for input in [
            &b"GET / X"[..],
            b"GET / h",
            b"GET / HTTP/2",
            b"GET / HTTP-",
            // The seventh byte must be the dot.
            b"GET / HTTP/1,",
        ] {
            assert_eq!(
                request(input),
                Got::Failed(HeadError::InvalidVersion),
                "{:?}",
                String::from_utf8_lossy(input)
            );
        }
        assert_eq!(request(b"GET / HTTP/"), Got::NeedMore);
    }

    #[test]
    fn header_line_trims_whitespace_around_the_value() {
        assert_eq!(
            header(b"Host: \t a.example b \t\r\nNext", 1),
            parsed(b"Next", (b"Host".to_vec(), b"a.example b".to_vec()))
        );
        assert_eq!(
            header(b"Empty:\r\n", 1),
            parsed(b"", (b"Empty".to_vec(), Vec::new()))
        );
        assert_eq!(
            header(b"X:\xff\x80 ok\r\n", 1),
            parsed(b"", (b"X".to_vec(), b"\xff\x80 ok".to_vec()))
        );
    }

    #[test]
    fn header_line_needs_more_at_every_cut() {
        let line = b"Content-Type: text/plain\r\n";
        for cut in 0..line.len() {
            assert_eq!(header(&line[..cut], 1), Got::NeedMore, "cut at {cut}");
        }
    }

    #[test]
    fn header_line_errors_carry_the_line_number() {
        for input in [
            &b"Host : x\r\n"[..],
            b" folded\r\n",
            b"NoColon\r\n",
            b": empty\r\n",
            b"Bad@Name: 3\r\n",
        ] {
            assert_eq!(
                header(input, 3),
                Got::Failed(HeadError::InvalidHeaderName { line: 3 }),
                "{:?}",
                String::from_utf8_lossy(input)
            );
        }
        for bad in [0u8, 0x01, 0x0b, b'\r', 0x1f, 0x7f] {
            let input = [&b"A: x"[..], &[bad], b"y\r\n"].concat();
            assert_eq!(
                header(&input, 7),
                Got::Failed(HeadError::InvalidHeaderValue { line: 7 }),
                "byte {bad:#x}"
            );
        }
    }
}
