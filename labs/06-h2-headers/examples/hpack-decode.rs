//! Decodes HPACK header blocks given in hex and prints one `name: value`
//! per line.
//!
//! ```text
//! cargo run -p lab06-h2-headers --example hpack-decode -- 828684418cf1e3c2e5f23a6ba0ab90f4ff
//! echo '8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d' | cargo run -p lab06-h2-headers --example hpack-decode
//! ```
//!
//! Each argument (or each non-empty stdin line) is one block; all blocks go
//! through one decoder, in order, like the blocks of one connection. Use
//! `--table-size N` for a SETTINGS_HEADER_TABLE_SIZE other than 4096.
//! Whitespace inside a block is ignored. Sensitive (never-indexed) fields
//! are marked with a trailing ` (sensitive)`; blocks are separated by an
//! empty line. Exit status: 0 on success, 1 on a decoding error, 2 on bad
//! usage or input.

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use lab06_h2_headers::hpack::Decoder;

const USAGE: &str = "usage: hpack-decode [--table-size N] [HEX_BLOCK...]  (no blocks: read them from stdin, one per line)";

fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
    let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !digits.len().is_multiple_of(2) {
        return Err(format!("odd number of hex digits ({})", digits.len()));
    }
    digits
        .chunks(2)
        .map(|pair| {
            let pair = std::str::from_utf8(pair).map_err(|_| "non-ASCII input".to_string())?;
            u8::from_str_radix(pair, 16).map_err(|_| format!("{pair:?} is not a hex byte"))
        })
        .collect()
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut table_size = 4096;
    if let Some(i) = args.iter().position(|a| a == "--table-size") {
        let Some(value) = args.get(i + 1).and_then(|v| v.parse().ok()) else {
            eprintln!("hpack-decode: --table-size needs a number of bytes\n{USAGE}");
            return ExitCode::from(2);
        };
        table_size = value;
        args.drain(i..i + 2);
    }
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let blocks: Vec<String> = if args.is_empty() {
        let mut lines = Vec::new();
        for line in io::stdin().lock().lines() {
            match line {
                Ok(line) if line.trim().is_empty() => {}
                Ok(line) => lines.push(line),
                Err(e) => {
                    eprintln!("hpack-decode: reading stdin: {e}");
                    return ExitCode::from(2);
                }
            }
        }
        lines
    } else {
        args
    };

    let mut decoder = Decoder::new(table_size);
    let mut out = io::stdout().lock();
    for (n, text) in blocks.iter().enumerate() {
        let block = match parse_hex(text) {
            Ok(block) => block,
            Err(e) => {
                eprintln!("hpack-decode: block {}: {e}", n + 1);
                return ExitCode::from(2);
            }
        };
        let headers = match decoder.decode(&block) {
            Ok(headers) => headers,
            Err(e) => {
                eprintln!("hpack-decode: block {}: {e}", n + 1);
                return ExitCode::from(1);
            }
        };
        if n > 0 && writeln!(out).is_err() {
            return ExitCode::from(1);
        }
        for h in headers {
            let mark = if h.sensitive { " (sensitive)" } else { "" };
            let line = format!(
                "{}: {}{mark}",
                String::from_utf8_lossy(&h.name),
                String::from_utf8_lossy(&h.value)
            );
            if writeln!(out, "{line}").is_err() {
                // stdout closed (e.g. piped into `head`): stop quietly.
                return ExitCode::SUCCESS;
            }
        }
    }
    ExitCode::SUCCESS
}
