//! `!Send` state shared by tasks on one thread: `LocalSet` and `spawn_local`.
//!
//! `tokio::spawn` may move a task to another worker thread at any `.await`,
//! so the task must be `Send`; a task holding an `Rc` is rejected at compile
//! time (see `tests/ui/rc_across_spawn.stderr`). A `LocalSet` runs its tasks
//! on the thread that drives it, so they may share `Rc<RefCell<…>>` without
//! locks. (The article's scheduling diagram routes every `task::spawn`
//! through `LocalSet::spawn_local`; that is wrong: `spawn` goes to the
//! worker's run queue and only `spawn_local` needs a `LocalSet`.)

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use tokio::task::LocalSet;

/// Counts the whitespace-separated words of all documents (lower-cased),
/// one local task per document, all sharing one `Rc<RefCell<BTreeMap>>`.
/// Each task yields after every word, so the tasks really interleave.
pub async fn count_words_local(docs: Vec<String>) -> BTreeMap<String, usize> {
    // lab:begin(count_words_local) share an `Rc<RefCell<BTreeMap>>` between one `spawn_local` task per document on a `LocalSet`, await the set, and return the map
    let counts: Rc<RefCell<BTreeMap<String, usize>>> = Rc::default();
    let local = LocalSet::new();
    for doc in docs {
        let counts = Rc::clone(&counts);
        local.spawn_local(async move {
            for word in doc.split_whitespace() {
                // The borrow ends at the semicolon: a `RefCell` borrow held
                // across an `.await` would panic when another task borrows.
                *counts.borrow_mut().entry(word.to_lowercase()).or_default() += 1;
                tokio::task::yield_now().await;
            }
        });
    }
    local.await; // runs until every local task has finished
    // Every task is done, so ours is the last `Rc`.
    Rc::try_unwrap(counts)
        .map(RefCell::into_inner)
        .unwrap_or_else(|shared| shared.borrow().clone())
    // lab:end
}
