//! The three fixes of `bad_concat`.

use std::borrow::Cow;

use lab01_ownership::{concat_cow, concat_into, concat_owned};

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
fn into_result_does_not_borrow_the_inputs() {
    let mut buf = String::new();
    let out = {
        let a = String::from("HP");
        let b = String::from("ACK");
        concat_into(&a, &b, &mut buf)
    }; // a and b are gone; `out` borrows only `buf`
    assert_eq!(out, "HPACK");
}
