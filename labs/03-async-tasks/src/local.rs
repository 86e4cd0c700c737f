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

/// What [`count_words_local`] found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WordCount {
    /// Every word, lower-cased, with how often it appears.
    pub counts: BTreeMap<String, usize>,
    /// The words in the order the tasks counted them. Each task yields after
    /// every word, so the tasks take turns: with three documents, the first
    /// three entries are each document's first word.
    pub order: Vec<String>,
}

/// Counts the whitespace-separated words of all documents (lower-cased),
/// one local task per document, all sharing one `Rc<RefCell<WordCount>>`.
/// Each task yields after every word, so the tasks really interleave.
pub async fn count_words_local(docs: Vec<String>) -> WordCount {
    // lab:begin(count_words_local) share an `Rc<RefCell<WordCount>>` between one `spawn_local` task per document on a `LocalSet` (each counts a word, records it in `order`, then yields), await the set, and return the result
    let shared: Rc<RefCell<WordCount>> = Rc::default();
    let local = LocalSet::new();
    for doc in docs {
        let shared = Rc::clone(&shared);
        local.spawn_local(async move {
            for word in doc.split_whitespace() {
                let word = word.to_lowercase();
                // The borrow ends with this block: a `RefCell` borrow held
                // across an `.await` would panic when another task borrows.
                {
                    let mut count = shared.borrow_mut();
                    *count.counts.entry(word.clone()).or_default() += 1;
                    count.order.push(word);
                }
                tokio::task::yield_now().await;
            }
        });
    }
    local.await; // runs until every local task has finished
    // Every task is done, so ours is the last `Rc`.
    Rc::try_unwrap(shared)
        .map(RefCell::into_inner)
        .unwrap_or_else(|still_shared| still_shared.borrow().clone())
    // lab:end
}
