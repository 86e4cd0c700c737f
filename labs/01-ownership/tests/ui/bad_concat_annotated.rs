// The article's snippet with the lifetime the compiler asked for. Now the
// borrow checker runs, and names the real problem: `s` is local.
fn bad_concat<'a>(a: &'a str, b: &'a str) -> &'a str {
    let s = format!("{}{}", a, b);
    s.as_str()
}

fn main() {
    println!("{}", bad_concat("Go", "Rust"));
}
