//! The watch-ID generator on real threads (the loom models are unit tests
//! in src/watch_id.rs).

use std::collections::HashSet;

use lab03_async_tasks::watch_id::WatchIdGen;

#[test]
fn ids_start_at_one_and_count_up() {
    let ids = WatchIdGen::<std::sync::atomic::AtomicU64>::new();
    assert_eq!([ids.next_id(), ids.next_id(), ids.next_id()], [1, 2, 3]);
}

#[test]
fn ids_are_unique_across_eight_contending_threads() {
    const THREADS: u64 = 8;
    const EACH: u64 = 10_000;
    let ids: WatchIdGen = WatchIdGen::new();
    let all: Vec<u64> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..THREADS)
            .map(|_| s.spawn(|| (0..EACH).map(|_| ids.next_id()).collect::<Vec<_>>()))
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("no thread panics"))
            .collect()
    });
    let unique: HashSet<u64> = all.iter().copied().collect();
    assert_eq!(
        unique.len() as u64,
        THREADS * EACH,
        "no id handed out twice"
    );
    assert_eq!(
        unique.iter().max().copied(),
        Some(THREADS * EACH),
        "no id skipped"
    );
}
