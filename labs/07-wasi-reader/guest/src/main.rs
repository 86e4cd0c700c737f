//! `wasi-cat`: the guest of lab 07. It reads files with plain `std::fs`;
//! what it may reach is decided by the host, not by this code.
//!
//! ```text
//! wasi-cat PATH                 print the file
//! wasi-cat --bytes PATH         print its size in bytes
//! wasi-cat --lines PATH         print its number of lines
//! wasi-cat --head N PATH        print its first N lines
//! wasi-cat --read PATH          read it whole into memory, print its size
//! wasi-cat --write PATH TEXT    create or overwrite PATH with TEXT
//! wasi-cat --append PATH TEXT   append TEXT to PATH
//! wasi-cat --remove PATH        delete PATH
//! wasi-cat --rename FROM TO     rename FROM to TO
//! wasi-cat --mkdir PATH         create a directory
//! ```
//!
//! The last five are sandbox probes: the tests use them to show that a
//! read-only preopen refuses every kind of write. Errors go to stderr with
//! exit code 1; usage errors exit with 2.

use std::io::{self, BufRead, BufReader, Write};
use std::process::ExitCode;

const USAGE: &str = "usage: wasi-cat [--bytes|--lines|--read|--head N] PATH | --write PATH TEXT | --append PATH TEXT | --remove PATH | --rename FROM TO | --mkdir PATH";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        [path] if !path.starts_with("--") => cat(path),
        ["--bytes", path] => std::fs::metadata(path).map(|m| println!("{}", m.len())),
        ["--lines", path] => count_lines(path),
        // The benchmark's workload: the same work as a native `fs::read`.
        ["--read", path] => std::fs::read(path).map(|data| println!("{}", data.len())),
        ["--head", n, path] => match n.parse() {
            Ok(n) => head(path, n),
            Err(_) => return usage(&format!("--head needs a number, got {n:?}")),
        },
        ["--write", path, text] => std::fs::write(path, text),
        ["--append", path, text] => std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .and_then(|mut f| f.write_all(text.as_bytes())),
        ["--remove", path] => std::fs::remove_file(path),
        ["--rename", from, to] => std::fs::rename(from, to),
        ["--mkdir", path] => std::fs::create_dir(path),
        _ => return usage("wrong arguments"),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("wasi-cat: {}: {e}", args.last().copied().unwrap_or(""));
            ExitCode::from(1)
        }
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("wasi-cat: {problem}\n{USAGE}");
    ExitCode::from(2)
}

/// Copies the file to stdout in 64 KiB pieces, so a large file is never
/// held in guest memory at once.
fn cat(path: &str) -> io::Result<()> {
    let mut file = std::fs::File::open(path)?;
    let mut out = io::stdout().lock();
    io::copy(&mut file, &mut out)?;
    out.flush()
}

fn count_lines(path: &str) -> io::Result<()> {
    let reader = BufReader::with_capacity(64 * 1024, std::fs::File::open(path)?);
    let mut lines = 0u64;
    for chunk in reader.split(b'\n') {
        chunk?;
        lines += 1;
    }
    println!("{lines}");
    Ok(())
}

// lab:begin(guest_head) In the guest: print the first `n` lines of `path` with plain std::fs (a BufReader, `split(b'\n')`, `take(n)`), each followed by a newline. The host decides whether `path` can be opened at all.
fn head(path: &str, n: usize) -> io::Result<()> {
    let reader = BufReader::new(std::fs::File::open(path)?);
    let mut out = io::stdout().lock();
    for line in reader.split(b'\n').take(n) {
        out.write_all(&line?)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
// lab:starter
// fn head(path: &str, n: usize) -> io::Result<()> {
//     todo!("guest_head: BufReader + split + take")
// }
// lab:end
