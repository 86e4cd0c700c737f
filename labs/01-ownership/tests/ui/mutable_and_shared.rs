// A shared borrow still in use while the vector is mutated (and may move).
fn main() {
    let mut skills = vec![String::from("Rust")];
    let first = &skills[0];
    skills.push(String::from("Go"));
    println!("{first}");
}
