//! A struct that borrows: a read-only view of a job description.
//!
//! `JdView<'a>` holds `&'a str`, so it costs nothing to make and can never
//! outlive the text. The lesson is in the return types: [`JdView::title`] and
//! the items of [`Words`] are `&'a str`, borrowed from the *text*, not from
//! `&self`. That is why a `Vec` of words may outlive the view and the
//! iterator that produced it (see `tests/lifetimes.rs`).

/// A borrowed view of one job description.
#[derive(Debug, Clone, Copy)]
pub struct JdView<'a> {
    text: &'a str,
}

impl<'a> JdView<'a> {
    pub fn new(text: &'a str) -> Self {
        JdView { text }
    }

    /// The first line with text on it, trimmed; `""` for a blank text.
    ///
    /// Lines end at `\n` or `\r\n`. A line is blank when it is empty or only
    /// whitespace, Unicode whitespace included (the full-width space `\u{3000}`
    /// that indents Chinese text); any other line, even `---`, has text on it.
    /// Trimming drops all whitespace, Unicode included.
    pub fn title(&self) -> &'a str {
        // lab:begin(title) return the first non-blank line of the text, trimmed (or "")
        self.text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("")
        // lab:end
    }

    /// The words of the text, in order, each borrowed from it.
    pub fn words(&self) -> Words<'a> {
        Words { rest: self.text }
    }
}

/// Iterator over the words of a text: runs of characters between
/// separators ([`is_separator`]), with trailing `.`s dropped so that
/// `"Tokio."` gives `Tokio` while `Node.js` and `.await` stay whole (after
/// any character: `"所有权."` gives `所有权`). A word needs no letter: in
/// `"C + Rust"` the `+` is a word; only a run of dots alone is skipped.
#[derive(Debug, Clone)]
pub struct Words<'a> {
    /// The text not yet scanned.
    rest: &'a str,
}

/// Whitespace and punctuation, ASCII and full-width (Chinese) alike. `.`,
/// `+`, `#`, `-` and `_` are not separators: `C++`, `C#`, `Node.js`,
/// `no_std` and `gRPC-Go` are one word each.
pub fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            ',' | ';'
                | ':'
                | '!'
                | '?'
                | '('
                | ')'
                | '['
                | ']'
                | '{'
                | '}'
                | '"'
                | '\''
                | '/'
                | '|'
                | '，'
                | '。'
                | '、'
                | '；'
                | '：'
                | '！'
                | '？'
                | '（'
                | '）'
                | '“'
                | '”'
        )
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        // lab:begin(words_next) return the next word, sliced from `self.rest`, and advance past it
        loop {
            let Some(start) = self.rest.find(|c: char| !is_separator(c)) else {
                self.rest = "";
                return None;
            };
            let rest = &self.rest[start..];
            let end = rest.find(is_separator).unwrap_or(rest.len());
            let (word, after) = rest.split_at(end);
            self.rest = after;
            let word = word.trim_end_matches('.');
            if !word.is_empty() {
                return Some(word);
            }
        }
        // lab:end
    }
}
