// A borrow of a temporary that is dropped at the end of the statement.
fn main() {
    let title: &str = String::from("Rust engineer").as_str();
    println!("{title}");
}
