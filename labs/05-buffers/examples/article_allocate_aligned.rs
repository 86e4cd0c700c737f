//! The article's `allocate_aligned` (§3.2), as published, kept so that Miri
//! can show what is wrong with it:
//!
//! ```sh
//! cargo +nightly miri run -p lab05-buffers --example article_allocate_aligned
//! ```
//!
//! Miri stops with "Undefined Behavior" at the first of its bugs it meets;
//! the README lists all four. `src/aligned.rs` is the corrected version.
//! Run natively, this program usually prints something and exits 0, which
//! is why undefined behaviour needs a tool to be seen.

// The article's `use std::alloc::{alloc, dealloc, Layout};`: it never calls
// `dealloc`, which is the point: `Box` frees the memory instead, wrongly.
use std::alloc::{Layout, alloc};
use std::pin::Pin;

// The article's code, unchanged but for this comment and the SAFETY notes
// the workspace's lints require (which say why they do not hold). Clippy's
// own objection (a `&mut [u8]` made where a raw slice pointer was meant) is
// allowed: the code is kept as published.
#[allow(clippy::cast_slice_from_raw_parts)]
fn allocate_aligned(size: usize) -> Pin<Box<[u8]>> {
    let layout = Layout::from_size_align(size, 64).unwrap();
    // SAFETY: does NOT hold: `alloc` with a zero `size` is undefined
    // behaviour, and a null return (no memory) is not checked.
    let ptr = unsafe { alloc(layout) };
    // 安全封装:Box保证释放,Pin禁止move语义
    // ("safe wrapper: Box guarantees the free, Pin forbids moves")
    // SAFETY: does NOT hold: the bytes are uninitialised yet exposed as
    // `[u8]`, and `Box<[u8]>` will free them with alignment 1, not the 64
    // they were allocated with.
    unsafe { Pin::new_unchecked(Box::from_raw(std::slice::from_raw_parts_mut(ptr, size))) }
}

fn main() {
    let buf = allocate_aligned(256);
    // A read of memory nobody wrote: Miri stops here ("reading memory …
    // but memory is uninitialized"). With this line removed it stops at
    // the drop instead: "incorrect layout on deallocation: … has size 256
    // and alignment 64, but gave size 256 and alignment 1".
    let first = buf[0];
    println!("first byte {first}, address {:p}", buf.as_ptr());
}
