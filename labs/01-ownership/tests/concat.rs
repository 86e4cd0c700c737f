//! The three fixes of `bad_concat`.
//!
//! The global allocator of this test binary counts each thread's calls to
//! it ([`lab_support::allocations`]): how often a fix allocates.

use std::borrow::Cow;

use lab_support::allocations;
use lab01_ownership::{concat_cow, concat_into, concat_owned};

#[global_allocator]
static GLOBAL: lab_support::CountingAllocator = lab_support::CountingAllocator;

#[test]
fn owned_concat_joins_ascii_and_chinese() {
    assert_eq!(concat_owned("Go", "Rust"), "GoRust");
    assert_eq!(concat_owned("所有权", "与生命周期"), "所有权与生命周期");
}

#[test]
fn owned_concat_of_empty_parts_is_the_other_part() {
    assert_eq!(concat_owned("", "Rust"), "Rust");
    assert_eq!(concat_owned("Go", ""), "Go");
    assert_eq!(concat_owned("", ""), "");
}

#[test]
fn owned_result_outlives_its_inputs() {
    let joined = {
        let a = String::from("async/");
        let b = String::from(".await");
        concat_owned(&a, &b)
    }; // a and b are dropped here; the result owns its bytes
    assert_eq!(joined, "async/.await");
}

#[test]
fn owned_result_has_exactly_the_capacity_of_its_text() {
    // One allocation of the exact size: `String::with_capacity(n)` gives
    // capacity n, while a `String` grown by pushes (or `format!`) rounds up.
    for (a, b) in [
        ("tokio", "::spawn"),
        ("Rust", "Go"),
        ("所有权", "与生命周期"),
        ("", "x"),
        ("", ""),
    ] {
        let s = concat_owned(a, b);
        assert_eq!(s.len(), a.len() + b.len());
        assert_eq!(s.capacity(), s.len(), "concat_owned({a:?}, {b:?})");
    }
}

#[test]
fn owned_concat_makes_exactly_one_allocation() {
    // One call to the allocator, of the final size: no buffer grown while
    // writing, and none shrunk or enlarged afterwards (`shrink_to_fit`,
    // `reserve_exact`), even when the capacity ends up exact.
    for (a, b) in [
        ("tokio", "::spawn"),
        ("Rust", "Go"),
        ("所有权", "与生命周期"),
        ("", "x"),
        ("x", ""),
    ] {
        let (s, made) = allocations(|| concat_owned(a, b));
        assert_eq!(
            made, 1,
            "concat_owned({a:?}, {b:?}) called the allocator {made} times"
        );
        assert_eq!(s, format!("{a}{b}"));
    }
    // Nothing to hold, nothing to allocate.
    let (s, made) = allocations(|| concat_owned("", ""));
    assert_eq!(
        made, 0,
        "concat_owned(\"\", \"\") called the allocator {made} times"
    );
    assert_eq!(s, "");
}

#[test]
fn cow_borrows_the_first_part_when_the_second_is_empty() {
    let a = "Rust";
    match concat_cow(a, "") {
        Cow::Borrowed(s) => assert!(std::ptr::eq(s, a), "must borrow `a` itself"),
        Cow::Owned(s) => panic!("allocated {s:?} for a concat with an empty part"),
    }
}

#[test]
fn cow_borrows_the_second_part_when_the_first_is_empty() {
    let b = "Tokio";
    match concat_cow("", b) {
        Cow::Borrowed(s) => assert!(std::ptr::eq(s, b), "must borrow `b` itself"),
        Cow::Owned(s) => panic!("allocated {s:?} for a concat with an empty part"),
    }
}

#[test]
fn cow_allocates_only_when_both_parts_have_text() {
    let joined = concat_cow("wasm32-", "wasip1");
    assert!(matches!(joined, Cow::Owned(_)), "{joined:?}");
    assert_eq!(joined, "wasm32-wasip1");
}

#[test]
fn cow_counts_whitespace_as_text() {
    // Only an empty part may be left out: a space or a newline is text.
    let joined = concat_cow("Rust", " ");
    assert!(matches!(joined, Cow::Owned(_)), "{joined:?}");
    assert_eq!(joined, "Rust ");
    assert_eq!(concat_cow(" ", "Go"), " Go");
    assert_eq!(concat_cow("Go", "\n"), "Go\n");
    let b = " ";
    match concat_cow("", b) {
        Cow::Borrowed(s) => assert!(std::ptr::eq(s, b), "must borrow `b` itself"),
        Cow::Owned(s) => panic!("allocated {s:?} for a concat with an empty part"),
    }
}

#[test]
fn cow_of_two_empty_parts_is_empty_and_borrowed() {
    let joined = concat_cow("", "");
    assert!(matches!(joined, Cow::Borrowed("")), "{joined:?}");
}

#[test]
fn cow_of_two_empty_parts_borrows_the_first() {
    // Two empty slices at different addresses, so a borrow of `b` is not
    // mistaken for a borrow of `a`.
    let text = "ab";
    let (a, b) = (&text[..0], &text[2..]);
    match concat_cow(a, b) {
        Cow::Borrowed(s) => assert!(std::ptr::eq(s, a), "two empty parts give `a` itself"),
        Cow::Owned(s) => panic!("allocated {s:?} for a concat of two empty parts"),
    }
}

#[test]
fn into_writes_both_parts_and_returns_a_borrow_of_the_buffer() {
    let mut buf = String::new();
    let out = concat_into("no_", "std", &mut buf);
    assert_eq!(out, "no_std");
    let out_ptr = out.as_ptr();
    assert_eq!(buf, "no_std");
    assert_eq!(
        out_ptr,
        buf.as_ptr(),
        "the result must be the buffer's text"
    );
    // All of it, however many bytes its characters take.
    assert_eq!(
        concat_into("所有权", "与生命周期", &mut buf),
        "所有权与生命周期"
    );
    assert_eq!(concat_into("所有权", "", &mut buf), "所有权");
}

#[test]
fn into_replaces_what_the_buffer_held_before() {
    let mut buf = String::from("stale text that is longer");
    assert_eq!(concat_into("Go", "Rust", &mut buf), "GoRust");
    assert_eq!(buf, "GoRust");
}

#[test]
fn into_reuses_the_buffer_without_reallocating() {
    let mut buf = String::with_capacity(64);
    let before = buf.as_ptr();
    for (a, b) in [("etcd", "-watch"), ("sync", ".Pool"), ("", "")] {
        let out = concat_into(a, b, &mut buf);
        assert_eq!(out.len(), a.len() + b.len());
    }
    assert_eq!(
        buf.as_ptr(),
        before,
        "a big enough buffer must not be reallocated"
    );
    assert_eq!(buf.capacity(), 64);
}

#[test]
fn into_never_calls_the_allocator_when_the_buffer_is_big_enough() {
    // A capacity of exactly `a.len() + b.len()` is big enough.
    let mut exact = String::with_capacity("GoRust".len());
    let (len, made) = allocations(|| concat_into("Go", "Rust", &mut exact).len());
    assert_eq!(len, 6);
    assert_eq!(made, 0, "an exactly big enough buffer was reallocated");
    assert_eq!(exact, "GoRust");
    assert_eq!(exact.capacity(), 6);

    // A full buffer: its old text is cleared, so the room it took is free.
    let mut full = String::with_capacity(25);
    full.push_str("stale text that is longer");
    let (len, made) = allocations(|| concat_into("Go", "Rust", &mut full).len());
    assert_eq!(len, 6);
    assert_eq!(made, 0, "a full buffer of 25 bytes was reallocated for 6");
    assert_eq!(full, "GoRust");
    assert_eq!(full.capacity(), 25);
}

#[test]
fn into_result_does_not_borrow_the_inputs() {
    let mut buf = String::new();
    let out = {
        let a = String::from("HP");
        let b = String::from("ACK");
        concat_into(&a, &b, &mut buf)
    }; // a and b are gone; `out` borrows only `buf`
    assert_eq!(out, "HPACK");
}
