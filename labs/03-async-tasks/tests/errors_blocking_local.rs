//! Panics as values, blocking work, and `!Send` state on a `LocalSet`.

use std::collections::BTreeMap;
use std::time::Duration;

use lab03_async_tasks::TaskError;
use lab03_async_tasks::local::count_words_local;
use lab03_async_tasks::task_error::run_blocking;

#[tokio::test]
async fn a_panicking_task_is_an_error_and_the_runtime_lives_on() {
    // A value known only at run time: `panic!` with constant arguments is
    // folded into a `&'static str`, and this test is about the `String` a
    // formatted panic carries.
    let index = std::hint::black_box(7);
    let handle = tokio::spawn(async move { panic!("index {index} out of range") });
    let err = TaskError::from(handle.await.expect_err("the task panicked"));
    assert_eq!(err, TaskError::Panicked("index 7 out of range".into()));
    // The same runtime still runs tasks.
    assert_eq!(tokio::spawn(async { 1 + 1 }).await.ok(), Some(2));
}

#[tokio::test]
async fn a_static_str_panic_keeps_its_message() {
    let handle = tokio::spawn(async { panic!("plain message") });
    let err = TaskError::from(handle.await.expect_err("the task panicked"));
    assert_eq!(err, TaskError::Panicked("plain message".into()));
}

#[tokio::test]
async fn an_aborted_task_is_cancelled_not_panicked() {
    let handle = tokio::spawn(std::future::pending::<()>());
    handle.abort();
    let err = TaskError::from(handle.await.expect_err("aborted"));
    assert_eq!(err, TaskError::Cancelled);
    assert_eq!(err.to_string(), "task was cancelled");
}

#[tokio::test] // one thread: if blocking work ran on it, nothing else could
async fn blocking_work_leaves_the_async_thread_free() {
    let (to_blocking, from_async) = std::sync::mpsc::channel::<()>();
    let (started_tx, started_rx) = tokio::sync::oneshot::channel::<()>();
    // This task can only run while the runtime's single thread is free.
    let helper = tokio::spawn(async move {
        let _ = started_rx.await;
        let _ = to_blocking.send(());
    });
    let answered = run_blocking(move || {
        let _ = started_tx.send(());
        // Blocks this thread until the async helper answers (or 10 s pass).
        from_async.recv_timeout(Duration::from_secs(10)).is_ok()
    })
    .await;
    assert_eq!(
        answered,
        Ok(true),
        "the async helper must run while the blocking work waits"
    );
    helper.await.expect("helper finished");
}

#[tokio::test]
async fn a_panic_in_blocking_work_is_an_error() {
    let out = run_blocking(|| -> u32 { panic!("disk on fire") }).await;
    assert_eq!(out, Err(TaskError::Panicked("disk on fire".into())));
}

#[tokio::test]
async fn blocking_work_returns_its_value() {
    let sum = run_blocking(|| (1..=100u64).sum::<u64>()).await;
    assert_eq!(sum, Ok(5050));
}

#[tokio::test]
async fn local_tasks_share_non_send_state_and_count_every_word() {
    let docs = vec![
        "Rust Tokio async".to_string(),
        "rust wasm".to_string(),
        "Go goroutine RUST".to_string(),
    ];
    let found = count_words_local(docs).await;
    let expected: BTreeMap<String, usize> = [
        ("async", 1),
        ("go", 1),
        ("goroutine", 1),
        ("rust", 3),
        ("tokio", 1),
        ("wasm", 1),
    ]
    .into_iter()
    .map(|(w, n)| (w.to_string(), n))
    .collect();
    assert_eq!(found.counts, expected);
}

#[tokio::test]
async fn local_tasks_take_turns_one_word_at_a_time() {
    // One task per document, each yielding after every word: every task
    // counts its first word before any task counts its second. (The order
    // within a round is the scheduler's business.) A plain loop over the
    // documents would count all of the first document before the second.
    let docs = vec![
        "Rust Tokio async".to_string(),
        "wasm rust".to_string(),
        "Go goroutine RUST".to_string(),
    ];
    let found = count_words_local(docs).await;
    let mut first_round = found.order[..3].to_vec();
    first_round.sort();
    assert_eq!(
        first_round,
        ["go", "rust", "wasm"],
        "counted in the order {:?}",
        found.order
    );
    let mut all = found.order.clone();
    all.sort();
    assert_eq!(
        all,
        [
            "async",
            "go",
            "goroutine",
            "rust",
            "rust",
            "rust",
            "tokio",
            "wasm"
        ]
    );
}

#[tokio::test]
async fn local_word_count_lower_cases_non_ascii_letters_too() {
    let docs = vec!["ÉTÉ été".to_string(), "Über".to_string()];
    let found = count_words_local(docs).await;
    let expected: BTreeMap<String, usize> = [("été", 2), ("über", 1)]
        .into_iter()
        .map(|(w, n)| (w.to_string(), n))
        .collect();
    assert_eq!(found.counts, expected);
}

#[tokio::test]
async fn local_word_count_of_no_documents_is_empty() {
    assert_eq!(count_words_local(Vec::new()).await, Default::default());
    assert_eq!(
        count_words_local(vec![String::new(), " \n".into()]).await,
        Default::default()
    );
}
