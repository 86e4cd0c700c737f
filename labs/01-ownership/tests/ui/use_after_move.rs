// A `String` moved into a function is gone from the caller.
fn keep(jd: String) -> usize {
    jd.len()
}

fn main() {
    let jd = String::from("Rust engineer");
    let n = keep(jd);
    println!("{n} {jd}");
}
