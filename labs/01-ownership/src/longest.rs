//! `longest<'a>`: one lifetime for two inputs and the output.

/// Returns the longer of `a` and `b`, counted in characters; `a` on a tie
/// (two empty inputs included).
///
/// The signature is the lesson: the result is either `a` or `b`, so it must
/// not outlive either of them, and `'a` is exactly the overlap of the two
/// borrows. Characters, not bytes: `"所有权".len()` is 9 (UTF-8 bytes) but it
/// is three characters, shorter than `"Rust"`. A character is a `char` (a
/// Unicode scalar value): `"🦀"` is one, though it is two UTF-16 code units.
/// The inputs are counted as given, whitespace included: nothing is trimmed.
///
/// ```
/// use lab01_ownership::longest;
/// assert_eq!(longest("Go", "Rust"), "Rust");
/// ```
pub fn longest<'a>(a: &'a str, b: &'a str) -> &'a str {
    // lab:begin(longest) return whichever of `a` and `b` has more characters (`a` on a tie)
    if b.chars().count() > a.chars().count() {
        b
    } else {
        a
    }
    // lab:end
}
