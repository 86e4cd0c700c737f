// The only case here where rustc says what the article claims it says:
// a borrowing struct kept alive longer than the text it borrows.
use lab01_ownership::JdView;

fn main() {
    let view;
    {
        let text = String::from("Rust engineer");
        view = JdView::new(&text);
    }
    println!("{}", view.title());
}
