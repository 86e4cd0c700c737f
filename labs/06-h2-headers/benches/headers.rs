//! Lab 06's benchmarks, each against named peers in the same run:
//!
//! * `head/req` and `head/req_short`: httparse's own benchmark requests
//!   (720 and 68 bytes, copied from httparse's `benches/parse.rs`), parsed
//!   by [`HeadParser`] and by httparse. `ours+bytes` also turns every field
//!   into an owned `Bytes` handle, the cost of the other layout the lab
//!   could have chosen (a `Bytes` per field instead of offsets).
//! * `hpack/huffman` and `hpack/plain`: a realistic browser session (page,
//!   assets, API calls; requests and responses, see [`session`]) encoded by
//!   this crate's encoder with and without Huffman coding, then decoded in
//!   order through one decoding context, as on a real connection, by this
//!   crate (`ours`: `Decoder::decode`, a `Vec<Header>` per block;
//!   `ours-borrowed`: `Decoder::decode_with`, borrowed fields like
//!   nghttp2's API), nghttp2's C decoder, httlib-hpack and hpack 0.3.
//!
//! After criterion's own output, the run prints a table with ns per request
//! or block, MB/s, and the ratio to each group's reference peer (httparse,
//! nghttp2). Nothing here asserts a time.

use std::hint::black_box;
use std::time::Instant;

use bytes::BytesMut;
use criterion::{BatchSize, Criterion, Throughput, criterion_group};
use lab_support::Quartiles;
use lab06_h2_headers::head::HeadParser;
use lab06_h2_headers::hpack::{Decoder, Encoder, Header};

const REQ_SHORT: &[u8] = b"\
GET / HTTP/1.0\r\n\
Host: example.com\r\n\
Cookie: session=60; user_id=1\r\n\r\n";

const REQ: &[u8] = b"\
GET /wp-content/uploads/2010/03/hello-kitty-darth-vader-pink.jpg HTTP/1.1\r\n\
Host: www.kittyhell.com\r\n\
User-Agent: Mozilla/5.0 (Macintosh; U; Intel Mac OS X 10.6; ja-JP-mac; rv:1.9.2.3) Gecko/20100401 Firefox/3.6.3 Pathtraq/0.9\r\n\
Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n\
Accept-Language: ja,en-us;q=0.7,en;q=0.3\r\n\
Accept-Encoding: gzip,deflate\r\n\
Accept-Charset: Shift_JIS,utf-8;q=0.7,*;q=0.7\r\n\
Keep-Alive: 115\r\n\
Connection: keep-alive\r\n\
Cookie: wp_ozh_wsa_visits=2; wp_ozh_wsa_visit_lasttime=xxxxxxxxxx; __utma=xxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.x; __utmz=xxxxxxxxx.xxxxxxxxxx.x.x.utmccn=(referral)|utmcsr=reader.livedoor.com|utmcct=/reader/|utmcmd=referral|padding=under256\r\n\r\n";

fn head(c: &mut Criterion) {
    for (name, req) in [("req", REQ), ("req_short", REQ_SHORT)] {
        let mut g = c.benchmark_group(format!("head/{name}"));
        g.throughput(Throughput::Bytes(req.len() as u64));
        g.bench_function("httparse", |b| {
            b.iter_batched_ref(
                || [httparse::EMPTY_HEADER; 16],
                |headers| {
                    let mut parsed = httparse::Request::new(headers);
                    let status = parsed.parse(black_box(req));
                    assert!(matches!(status, Ok(httparse::Status::Complete(n)) if n == req.len()));
                },
                BatchSize::SmallInput,
            )
        });
        let mut parser = HeadParser::default();
        g.bench_function("ours", |b| {
            b.iter_batched_ref(
                || BytesMut::from(req),
                |buf| {
                    let head = parser.parse(black_box(buf));
                    assert!(matches!(head, Ok(Some(_))));
                    head
                },
                BatchSize::SmallInput,
            )
        });
        g.bench_function("ours+bytes", |b| {
            b.iter_batched_ref(
                || BytesMut::from(req),
                |buf| match parser.parse(black_box(buf)) {
                    Ok(Some(head)) => head.header_bytes().collect::<Vec<_>>(),
                    other => panic!("{other:?}"),
                },
                BatchSize::SmallInput,
            )
        });
        g.finish();
    }
}

/// httparse on one request; true if it parsed a complete head. The header
/// array borrows `buf`, so it is made here (zeroing 16 entries: a few ns).
fn httparse_complete(buf: &[u8]) -> bool {
    let mut headers = [httparse::EMPTY_HEADER; 16];
    let mut parsed = httparse::Request::new(&mut headers);
    matches!(
        parsed.parse(black_box(buf)),
        Ok(httparse::Status::Complete(_))
    )
}

/// A browser session against one site: a page, its assets and some API
/// calls, with the responses. Values vary the way real ones do (paths,
/// dates, lengths, etags, request ids), so the dynamic table sees both
/// hits and misses.
fn session() -> Vec<Vec<Header>> {
    let ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    let cookie = "_ga=GA1.2.1402841723.1732608913; _gid=GA1.2.913371734.1732608913; session=7f3c9a1e2b4d4c8f9e0a1b2c3d4e5f60; theme=dark";
    let resources = [
        (
            "/",
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
            "text/html; charset=utf-8",
        ),
        (
            "/static/css/main.4f2a9c.css",
            "text/css,*/*;q=0.1",
            "text/css",
        ),
        (
            "/static/js/vendor.91bd03.js",
            "*/*",
            "application/javascript",
        ),
        ("/static/js/app.c7e215.js", "*/*", "application/javascript"),
        (
            "/static/img/logo.svg",
            "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
            "image/svg+xml",
        ),
        (
            "/static/img/hero-1280.webp",
            "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
            "image/webp",
        ),
        ("/static/fonts/inter-var.woff2", "*/*", "font/woff2"),
        ("/api/v1/user/me", "application/json", "application/json"),
        (
            "/api/v1/jobs?lang=rust&page=1",
            "application/json",
            "application/json",
        ),
        (
            "/api/v1/jobs?lang=rust&page=2",
            "application/json",
            "application/json",
        ),
        ("/api/v1/jobs/48213", "application/json", "application/json"),
        (
            "/favicon.ico",
            "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
            "image/x-icon",
        ),
    ];
    let mut blocks = Vec::new();
    for round in 0..3 {
        for (i, (path, accept, content_type)) in resources.iter().enumerate() {
            let n = round * resources.len() + i;
            let mut request = vec![
                Header::new(":method", "GET"),
                Header::new(":scheme", "https"),
                Header::new(":authority", "jobs.example.com"),
                Header::new(":path", path.to_string()),
                Header::new(
                    "sec-ch-ua",
                    "\"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"",
                ),
                Header::new("sec-ch-ua-mobile", "?0"),
                Header::new("sec-ch-ua-platform", "\"Windows\""),
                Header::new("user-agent", ua),
                Header::new("accept", accept.to_string()),
                Header::new("accept-encoding", "gzip, deflate, br, zstd"),
                Header::new("accept-language", "zh-CN,zh;q=0.9,en;q=0.8"),
                Header::new("cookie", cookie),
            ];
            if i > 0 {
                request.push(Header::new("referer", "https://jobs.example.com/"));
            }
            if path.starts_with("/api") {
                request.push(Header::new(
                    "x-request-id",
                    format!(
                        "{:016x}",
                        0x9e37_79b9_7f4a_7c15u64.wrapping_mul(n as u64 + 1)
                    ),
                ));
            }
            blocks.push(request);
            let mut response = vec![
                Header::new(":status", "200"),
                Header::new(
                    "date",
                    format!("Tue, 26 Nov 2026 08:{:02}:{:02} GMT", 10 + round, n % 60),
                ),
                Header::new("content-type", content_type.to_string()),
                Header::new("content-length", format!("{}", 1000 + n * 7919 % 90000)),
                Header::new("server", "nginx/1.27.3"),
                Header::new("vary", "Accept-Encoding"),
                Header::new(
                    "strict-transport-security",
                    "max-age=63072000; includeSubDomains; preload",
                ),
            ];
            if path.starts_with("/static") {
                response.push(Header::new(
                    "cache-control",
                    "public, max-age=31536000, immutable",
                ));
                response.push(Header::new(
                    "etag",
                    format!("\"{:08x}-{:x}\"", n * 2_654_435_761 % 0xffff_ffff, i),
                ));
                response.push(Header::new(
                    "last-modified",
                    "Mon, 18 Nov 2026 10:00:00 GMT",
                ));
            } else {
                response.push(Header::new("cache-control", "no-store"));
                response.push(Header::new(
                    "x-request-id",
                    format!(
                        "{:016x}",
                        0x9e37_79b9_7f4a_7c15u64.wrapping_mul(n as u64 + 1)
                    ),
                ));
            }
            if n == 0 {
                response.push(Header::sensitive("set-cookie", "session=7f3c9a1e2b4d4c8f9e0a1b2c3d4e5f60; Path=/; Secure; HttpOnly; SameSite=Lax"));
            }
            blocks.push(response);
        }
    }
    blocks
}

/// The session's blocks, encoded in order by one encoder.
fn encode_session(huffman: bool) -> Vec<Vec<u8>> {
    let mut encoder = Encoder::new(4096);
    encoder.set_huffman(huffman);
    session()
        .iter()
        .map(|headers| {
            let mut block = Vec::new();
            encoder.encode(headers, &mut block);
            block
        })
        .collect()
}

/// nghttp2's HPACK decoder through its C API.
mod nghttp2 {
    use libnghttp2_sys as sys;

    pub struct Inflater(*mut sys::nghttp2_hd_inflater);

    impl Inflater {
        pub fn new() -> Self {
            let mut ptr = std::ptr::null_mut();
            // SAFETY: `ptr` is a valid out-pointer; nghttp2 allocates the
            // inflater and writes its address there on success (rv 0).
            let rv = unsafe { sys::nghttp2_hd_inflate_new(&mut ptr) };
            assert!(
                rv == 0 && !ptr.is_null(),
                "nghttp2_hd_inflate_new failed: {rv}"
            );
            Inflater(ptr)
        }

        /// Decodes one whole block, calling `f` for every field.
        pub fn decode(&mut self, mut block: &[u8], mut f: impl FnMut(&[u8], &[u8])) {
            loop {
                let mut nv = std::mem::MaybeUninit::<sys::nghttp2_nv>::uninit();
                let mut flags: std::os::raw::c_int = 0;
                // SAFETY: the inflater is live and owned by `self`; `block`
                // is a valid slice; `nv` and `flags` are valid out-pointers.
                let rv = unsafe {
                    sys::nghttp2_hd_inflate_hd3(
                        self.0,
                        nv.as_mut_ptr(),
                        &mut flags,
                        block.as_ptr(),
                        block.len(),
                        1,
                    )
                };
                assert!(rv >= 0, "nghttp2 failed to inflate: {rv}");
                block = &block[rv as usize..];
                if flags & sys::NGHTTP2_HD_INFLATE_EMIT as i32 != 0 {
                    // SAFETY: EMIT means nghttp2 initialised `nv`, whose
                    // name and value point at namelen/valuelen bytes that
                    // stay valid until the next inflate call.
                    let (name, value) = unsafe {
                        let nv = nv.assume_init();
                        (
                            std::slice::from_raw_parts(nv.name, nv.namelen),
                            std::slice::from_raw_parts(nv.value, nv.valuelen),
                        )
                    };
                    f(name, value);
                }
                if flags & sys::NGHTTP2_HD_INFLATE_FINAL as i32 != 0 {
                    // SAFETY: the inflater is live; this resets it for the
                    // next block and always succeeds.
                    unsafe { sys::nghttp2_hd_inflate_end_headers(self.0) };
                    return;
                }
                assert!(
                    !block.is_empty() || flags & sys::NGHTTP2_HD_INFLATE_EMIT as i32 != 0,
                    "nghttp2 wants more input"
                );
            }
        }
    }

    impl Drop for Inflater {
        fn drop(&mut self) {
            // SAFETY: the pointer came from nghttp2_hd_inflate_new and is
            // freed exactly once, here.
            unsafe { sys::nghttp2_hd_inflate_del(self.0) }
        }
    }
}

/// Checks that every peer decodes the session to the same header lists
/// before timing anything: a benchmark of a wrong answer is worthless.
fn check_peers_agree(blocks: &[Vec<u8>], expected: &[Vec<Header>]) {
    let pairs = |headers: &[Header]| -> Vec<(Vec<u8>, Vec<u8>)> {
        headers
            .iter()
            .map(|h| (h.name.to_vec(), h.value.to_vec()))
            .collect()
    };
    let mut ours = Decoder::new(4096);
    let mut ng = nghttp2::Inflater::new();
    let mut httlib = httlib_hpack::Decoder::default();
    let mut hpack03 = hpack::Decoder::new();
    for (block, want) in blocks.iter().zip(expected) {
        let want = pairs(want);
        assert_eq!(pairs(&ours.decode(block).expect("ours")), want, "ours");
        let mut got = Vec::new();
        ng.decode(block, |n, v| got.push((n.to_vec(), v.to_vec())));
        assert_eq!(got, want, "nghttp2");
        let mut dst = Vec::new();
        httlib
            .decode(&mut block.clone(), &mut dst)
            .expect("httlib-hpack");
        assert_eq!(
            dst.into_iter().map(|(n, v, _)| (n, v)).collect::<Vec<_>>(),
            want,
            "httlib-hpack"
        );
        assert_eq!(hpack03.decode(block).expect("hpack 0.3"), want, "hpack 0.3");
    }
}

fn hpack_decode(c: &mut Criterion) {
    let expected = session();
    for (name, huffman) in [("huffman", true), ("plain", false)] {
        let blocks = encode_session(huffman);
        check_peers_agree(&blocks, &expected);
        let total: usize = blocks.iter().map(Vec::len).sum();
        let mut g = c.benchmark_group(format!("hpack/{name}"));
        g.throughput(Throughput::Bytes(total as u64));
        g.bench_function("ours", |b| {
            b.iter(|| {
                let mut decoder = Decoder::new(4096);
                for block in &blocks {
                    black_box(decoder.decode(black_box(block)).expect("decodes"));
                }
            })
        });
        g.bench_function("ours-borrowed", |b| {
            b.iter(|| {
                let mut decoder = Decoder::new(4096);
                for block in &blocks {
                    decoder
                        .decode_with(black_box(block), |n, v, s| {
                            black_box((n, v, s));
                        })
                        .expect("decodes");
                }
            })
        });
        g.bench_function("nghttp2", |b| {
            b.iter(|| {
                let mut inflater = nghttp2::Inflater::new();
                for block in &blocks {
                    inflater.decode(black_box(block), |n, v| {
                        black_box((n, v));
                    });
                }
            })
        });
        g.bench_function("httlib-hpack", |b| {
            b.iter_batched(
                || blocks.clone(),
                |mut owned| {
                    let mut decoder = httlib_hpack::Decoder::default();
                    for block in &mut owned {
                        let mut dst = Vec::new();
                        decoder.decode(black_box(block), &mut dst).expect("decodes");
                        black_box(dst);
                    }
                },
                BatchSize::SmallInput,
            )
        });
        g.bench_function("hpack-0.3", |b| {
            b.iter(|| {
                let mut decoder = hpack::Decoder::new();
                for block in &blocks {
                    black_box(decoder.decode(black_box(block)).expect("decodes"));
                }
            })
        });
        g.finish();
    }
}

criterion_group!(benches, head, hpack_decode);

/// Times one batch of `n` calls; inputs are made before the clock starts
/// and outputs dropped after it stops.
fn batch<I, O>(
    n: usize,
    mut setup: impl FnMut() -> I,
    mut routine: impl FnMut(&mut I) -> O,
) -> f64 {
    let mut inputs: Vec<I> = (0..n).map(|_| setup()).collect();
    let mut outputs = Vec::with_capacity(n);
    let start = Instant::now();
    for input in &mut inputs {
        outputs.push(routine(input));
    }
    let elapsed = start.elapsed();
    drop(outputs);
    elapsed.as_nanos() as f64 / n as f64
}

type Case<'a> = (&'static str, Box<dyn FnMut(usize) -> f64 + 'a>);

/// Runs the cases of one group in interleaved rounds and prints, per case,
/// the median time and the median per-round ratio to the first case (the
/// reference), with its interquartile range. Interleaving matters here:
/// this VM's speed drifts by up to 2x over the seconds criterion spends on
/// each benchmark in turn, which moves ratios between separate
/// measurements far more than the effects being measured.
/// Returns each case's name with its ratio, for the ratio file.
fn interleaved(
    group: &str,
    unit: &str,
    per_iter: f64,
    bytes: usize,
    n: usize,
    mut cases: Vec<Case<'_>>,
) -> Vec<(&'static str, Quartiles)> {
    let times = lab_support::rounds(ROUNDS, cases.len(), |i| (cases[i].1)(n));
    let reference = cases[0].0;
    let mut ratios = Vec::new();
    for (i, (name, _)) in cases.iter().enumerate() {
        let ratio = Quartiles::of_ratios(&times[i], &times[0]);
        let ns = Quartiles::of(&times[i]).median;
        println!(
            "| {group} | {name} | {:.0} ns/{unit} | {:.0} | {ratio} {reference} |",
            ns / per_iter,
            bytes as f64 / ns * 1e3
        );
        ratios.push((*name, ratio));
    }
    ratios
}

const ROUNDS: usize = 101;

/// The figure of the ratio file for `case` of a group, if it has one.
fn figure(
    figures: &mut Vec<lab_support::Figure>,
    ratios: &[(&str, Quartiles)],
    case: &str,
    figure: &str,
    peer: &str,
) {
    if let Some((_, ratio)) = ratios.iter().find(|(name, _)| *name == case) {
        figures.push(lab_support::Figure {
            figure: format!("lab06/{figure}"),
            peer: peer.into(),
            ratio: *ratio,
            rounds: ROUNDS,
            higher_is_better: false,
        });
    }
}

/// One head-parsing group: one request per iteration, 50 per batch.
fn head_group(group: &str, req: &[u8], cases: Vec<Case<'_>>) -> Vec<(&'static str, Quartiles)> {
    interleaved(group, "request", 1.0, req.len(), 50, cases)
}

/// The ratio table of the README.
fn print_table() {
    println!("\n| group | implementation | time | MB/s | × reference (IQR) |");
    println!("|---|---|---:|---:|---:|");
    let mut figures = Vec::new();
    for (name, req, fig) in [
        ("head/req", REQ, "req-vs-httparse"),
        ("head/req_short", REQ_SHORT, "req_short-vs-httparse"),
    ] {
        let mut parser = HeadParser::default();
        let mut parser2 = HeadParser::default();
        // Small batches, so every input copy is still in cache when it is
        // parsed; httparse gets its own copy too, so both read the same way.
        let ratios = head_group(
            name,
            req,
            vec![
                (
                    "httparse",
                    Box::new(|n| batch(n, || req.to_vec(), |copy| httparse_complete(copy))),
                ),
                (
                    "ours",
                    Box::new(|n| {
                        batch(
                            n,
                            || BytesMut::from(req),
                            |buf| parser.parse(black_box(buf)),
                        )
                    }),
                ),
                (
                    "ours+bytes",
                    Box::new(|n| {
                        batch(
                            n,
                            || BytesMut::from(req),
                            |buf| {
                                parser2
                                    .parse(black_box(buf))
                                    .map(|h| h.map(|h| h.header_bytes().collect::<Vec<_>>()))
                            },
                        )
                    }),
                ),
            ],
        );
        figure(&mut figures, &ratios, "ours", fig, "httparse 1.10");
        // The same requests arriving on a long-lived connection: each
        // iteration copies the request into a reused read buffer (a
        // stand-in for the socket read), parses it and drops the result,
        // as a server loop does. No fresh buffer per request, so no
        // allocation for either parser in the steady state.
        let mut conn = Vec::with_capacity(4096);
        let mut read_buf = BytesMut::with_capacity(4096);
        let mut parser3 = HeadParser::default();
        head_group(
            &format!("{name} (read buffer)"),
            req,
            vec![
                (
                    "httparse",
                    Box::new(|n| {
                        batch(
                            n,
                            || (),
                            |_| {
                                conn.clear();
                                conn.extend_from_slice(req);
                                httparse_complete(&conn)
                            },
                        )
                    }),
                ),
                (
                    "ours",
                    Box::new(|n| {
                        batch(
                            n,
                            || (),
                            |_| {
                                read_buf.extend_from_slice(req);
                                let head = parser3.parse(black_box(&mut read_buf));
                                matches!(head, Ok(Some(_)))
                            },
                        )
                    }),
                ),
            ],
        );
    }
    for (name, huffman) in [("hpack/huffman", true), ("hpack/plain", false)] {
        let blocks = encode_session(huffman);
        let total: usize = blocks.iter().map(Vec::len).sum();
        let per = blocks.len() as f64;
        let blocks = &blocks;
        let ratios = interleaved(
            name,
            "block",
            per,
            total,
            20,
            vec![
                (
                    "nghttp2",
                    Box::new(|n| {
                        batch(
                            n,
                            || (),
                            |_| {
                                let mut inflater = nghttp2::Inflater::new();
                                for block in blocks {
                                    inflater.decode(black_box(block), |n, v| {
                                        black_box((n, v));
                                    });
                                }
                            },
                        )
                    }),
                ),
                (
                    "ours",
                    Box::new(|n| {
                        batch(
                            n,
                            || (),
                            |_| {
                                let mut decoder = Decoder::new(4096);
                                blocks
                                    .iter()
                                    .map(|b| decoder.decode(black_box(b)).map(|h| h.len()))
                                    .collect::<Vec<_>>()
                            },
                        )
                    }),
                ),
                (
                    "ours-borrowed",
                    Box::new(|n| {
                        batch(
                            n,
                            || (),
                            |_| {
                                let mut decoder = Decoder::new(4096);
                                for block in blocks {
                                    let _ = decoder.decode_with(black_box(block), |n, v, s| {
                                        black_box((n, v, s));
                                    });
                                }
                            },
                        )
                    }),
                ),
                (
                    "httlib-hpack",
                    Box::new(|n| {
                        batch(
                            n,
                            || blocks.clone(),
                            |owned| {
                                let mut decoder = httlib_hpack::Decoder::default();
                                for block in owned.iter_mut() {
                                    let mut dst = Vec::new();
                                    let _ = decoder.decode(black_box(block), &mut dst);
                                    black_box(dst);
                                }
                            },
                        )
                    }),
                ),
                (
                    "hpack-0.3",
                    Box::new(|n| {
                        batch(
                            if huffman { 1 } else { n },
                            || (),
                            |_| {
                                let mut decoder = hpack::Decoder::new();
                                blocks
                                    .iter()
                                    .map(|b| decoder.decode(black_box(b)).map(|h| h.len()))
                                    .collect::<Vec<_>>()
                            },
                        )
                    }),
                ),
            ],
        );
        if huffman {
            let peer = "nghttp2 1.68 (C)";
            figure(
                &mut figures,
                &ratios,
                "ours",
                "hpack-huffman-owned-vs-nghttp2",
                peer,
            );
            figure(
                &mut figures,
                &ratios,
                "ours-borrowed",
                "hpack-huffman-borrowed-vs-nghttp2",
                peer,
            );
        }
    }
    lab_support::save_ratios("06", &figures);
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    print_table();
}
