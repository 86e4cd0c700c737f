// The article's §4.2 snippet, exactly. The article says rustc answers
// "lifetime may not live long enough"; it does not get that far.
fn bad_concat(a: &str, b: &str) -> &str {
    let s = format!("{}{}", a, b); // s 在函数结束时释放
    s.as_str() // ❌ 编译失败
}

fn main() {
    println!("{}", bad_concat("Go", "Rust"));
}
