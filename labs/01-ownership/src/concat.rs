//! The article's `bad_concat`, fixed three ways.
//!
//! ```compile_fail,E0106
//! // The article's version. It does not even reach the borrow checker:
//! // with two reference inputs, the elision rules cannot pick a lifetime
//! // for the output, so rustc stops at E0106 "missing lifetime specifier".
//! fn bad_concat(a: &str, b: &str) -> &str {
//!     let s = format!("{}{}", a, b);
//!     s.as_str()
//! }
//! ```
//!
//! Adding `<'a>` does not help: then rustc reports E0515, "cannot return
//! value referencing local variable `s`". No lifetime annotation can make a
//! borrow outlive the value it borrows; the fix is to change *who owns* the
//! result.

use std::borrow::Cow;

/// Fix 1: return ownership. The caller gets the `String` and decides when it
/// is dropped. Costs exactly one allocation, of exactly `a.len() + b.len()`
/// bytes (none when both parts are empty): the buffer is never grown while
/// writing, nor resized afterwards, so `capacity() == len()`.
///
/// ```
/// assert_eq!(lab01_ownership::concat_owned("Go", "Rust"), "GoRust");
/// ```
pub fn concat_owned(a: &str, b: &str) -> String {
    // lab:begin(concat_owned) return a new `String` that holds `a` followed by `b`
    // One allocation of the exact size. `format!` gives the same text but
    // grows its buffer while writing, so its capacity overshoots.
    let mut s = String::with_capacity(a.len() + b.len());
    s.push_str(a);
    s.push_str(b);
    s
    // lab:end
}

/// Fix 2: borrow when possible. When either side is empty the answer is the
/// other side, unchanged, so it can be borrowed (`Cow::Borrowed`) with no
/// allocation; only a real concatenation allocates (`Cow::Owned`). Empty
/// means `is_empty()`: whitespace is text, so `concat_cow("Rust", " ")` is an
/// owned `"Rust "`.
///
/// The one lifetime `'a` says: the result may borrow from `a` or `b`, so it
/// lives no longer than both.
pub fn concat_cow<'a>(a: &'a str, b: &'a str) -> Cow<'a, str> {
    // lab:begin(concat_cow) borrow `a` or `b` when the other is empty; allocate only when both have text
    match (a.is_empty(), b.is_empty()) {
        (_, true) => Cow::Borrowed(a),
        (true, false) => Cow::Borrowed(b),
        (false, false) => Cow::Owned(concat_owned(a, b)),
    }
    // lab:end
}

/// Fix 3: the caller owns the memory. `buf` is cleared, filled with `a` then
/// `b`, and the whole text written is returned as a borrow of `buf`. Called
/// in a loop with the same buffer, it allocates only when the buffer must
/// grow: a buffer whose capacity is at least `a.len() + b.len()` (exactly
/// that is enough), whatever it held before, is never reallocated.
///
/// The result borrows `buf` (lifetime `'buf`), not `a` or `b`: those may be
/// dropped right after the call.
pub fn concat_into<'buf>(a: &str, b: &str, buf: &'buf mut String) -> &'buf str {
    // lab:begin(concat_into) clear `buf`, write `a` then `b` into it, and return the text written
    buf.clear();
    buf.push_str(a);
    buf.push_str(b);
    buf.as_str()
    // lab:end
}
