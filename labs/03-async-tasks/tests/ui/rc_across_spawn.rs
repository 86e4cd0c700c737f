// `tokio::spawn` may resume a task on another worker after any `.await`, so
// everything the task holds across an `.await` must be `Send`. `Rc` is not.
use std::rc::Rc;

#[tokio::main]
async fn main() {
    let shared = Rc::new(vec!["rust", "go"]);
    let handle = tokio::spawn(async move {
        tokio::task::yield_now().await;
        shared.len()
    });
    println!("{:?}", handle.await);
}
