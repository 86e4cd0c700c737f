//! Lab 01: ownership and lifetimes, through the article's `bad_concat`.
//!
//! The article (§4.2) shows a function that builds a `String` and returns a
//! borrow of it. That cannot work: the `String` is dropped when the function
//! returns, so the borrow would dangle. Rust refuses to compile it. This lab
//! fixes it for real and pins what the compiler really says.
//!
//! A map of the crate:
//!
//! - [`concat`]: `bad_concat` fixed three ways: hand the `String` to the
//!   caller ([`concat_owned`]), borrow when no allocation is needed
//!   ([`concat_cow`]), or write into a buffer the caller owns
//!   ([`concat_into`]).
//! - [`longest()`]: the classic `longest<'a>`, where one lifetime ties the
//!   result to both inputs.
//! - [`jd_view`]: [`JdView`], a struct that *borrows* a job description, and
//!   [`Words`], an iterator whose items borrow the text, not the iterator.
//! - `tests/ui/`: programs that must not compile, with the exact errors
//!   rustc 1.95 prints (trybuild checks them).
//!
//! The tasks are marked `// lab:begin(ID) … // lab:end`; `verify start 01`
//! turns them into `todo!()`s.

pub mod concat;
pub mod jd_view;
pub mod longest;

pub use concat::{concat_cow, concat_into, concat_owned};
pub use jd_view::{JdView, Words};
pub use longest::longest;
