//! `longest<'a>` and the borrowing job-description view.

use lab01_ownership::{JdView, longest};

const JD: &str = "\n  \n  Senior Rust Engineer (Tokio, async/.await)  \n\
熟悉 Rust 所有权、生命周期。Node.js, C++ and C#...\n\
Experience with no_std / gRPC-Go: a plus!";

#[test]
fn longest_returns_the_longer_input() {
    assert_eq!(longest("Go", "Rust"), "Rust");
    assert_eq!(longest("Kubernetes", "etcd"), "Kubernetes");
}

#[test]
fn longest_returns_the_first_input_on_a_tie() {
    let a = String::from("Rust");
    let b = String::from("Java");
    assert!(std::ptr::eq(longest(&a, &b), a.as_str()));
    // Two empty inputs tie too. They are slices at different addresses, so
    // a borrow of `b` is not mistaken for a borrow of `a`.
    let text = "ab";
    let (a, b) = (&text[..0], &text[2..]);
    assert!(
        std::ptr::eq(longest(a, b), a),
        "two empty inputs tie: the result is `a` itself"
    );
}

#[test]
fn longest_counts_characters_not_bytes() {
    // "所有权" is 9 bytes of UTF-8 but only 3 characters.
    assert_eq!(longest("Rust", "所有权"), "Rust");
    assert_eq!(longest("生命周期标注", "Rust"), "生命周期标注");
    // Nor UTF-16 code units: "🦀" is one character, two units, four bytes.
    assert_eq!(longest("Rust", "🦀🦀🦀"), "Rust");
    assert_eq!(longest("🦀🦀", "Go!"), "Go!");
}

#[test]
fn longest_counts_characters_on_both_sides() {
    // A Chinese `a` is three bytes a character: counted in bytes it would win.
    assert_eq!(longest("所有权", "Rust"), "Rust");
    assert_eq!(longest("Go", "所有权"), "所有权");
}

#[test]
fn longest_counts_whitespace_as_characters() {
    // The inputs are counted as given: nothing is trimmed.
    assert_eq!(longest("Rust  ", "Tokio"), "Rust  ");
    assert_eq!(longest("Go  ", "Rust"), "Go  ");
}

#[test]
fn longest_of_empty_strings_is_empty() {
    assert_eq!(longest("", ""), "");
    assert_eq!(longest("", "x"), "x");
}

#[test]
fn title_is_the_first_non_blank_line_trimmed() {
    assert_eq!(
        JdView::new(JD).title(),
        "Senior Rust Engineer (Tokio, async/.await)"
    );
}

#[test]
fn title_of_a_blank_text_is_empty() {
    assert_eq!(JdView::new("").title(), "");
    assert_eq!(JdView::new(" \n\t\n").title(), "");
}

#[test]
fn title_is_trimmed_of_unicode_whitespace() {
    // U+3000, the full-width space that indents Chinese text, is whitespace:
    // a line of it is blank, and it is trimmed off the title.
    let jd = "\u{3000}\n\u{3000}高级 Rust 工程师\u{3000}\nTokio";
    assert_eq!(JdView::new(jd).title(), "高级 Rust 工程师");
}

#[test]
fn title_handles_windows_line_endings() {
    let jd = "\r\n  Rust Engineer \r\nTokio, async/.await\r\n";
    assert_eq!(JdView::new(jd).title(), "Rust Engineer");
    assert_eq!(JdView::new("\r\n\r\n").title(), "");
}

#[test]
fn title_may_be_a_line_of_punctuation() {
    // Only empty and whitespace lines are blank: `---` is text.
    assert_eq!(JdView::new("\n ---\nRust Engineer").title(), "---");
}

#[test]
fn words_split_mixed_chinese_and_english_text() {
    let words: Vec<&str> = JdView::new(JD).words().collect();
    assert_eq!(
        words,
        [
            "Senior",
            "Rust",
            "Engineer",
            "Tokio",
            "async",
            ".await",
            "熟悉",
            "Rust",
            "所有权",
            "生命周期",
            "Node.js",
            "C++",
            "and",
            "C#",
            "Experience",
            "with",
            "no_std",
            "gRPC-Go",
            "a",
            "plus",
        ]
    );
}

#[test]
fn words_of_text_without_words_are_none() {
    assert_eq!(JdView::new("").words().next(), None);
    assert_eq!(JdView::new(" ,，。... / ").words().next(), None);
}

#[test]
fn words_skip_a_run_of_dots_between_words() {
    // "..." is no word once its trailing dots are dropped; the words after
    // it still come.
    let words: Vec<&str> = JdView::new("Rust ... Go").words().collect();
    assert_eq!(words, ["Rust", "Go"]);
}

#[test]
fn words_need_no_letters() {
    // `+`, `#`, `-` and `_` are word characters, so a run of them alone is a
    // word too; only a run of dots alone is not.
    let words: Vec<&str> = JdView::new("C + Rust, C# - Go").words().collect();
    assert_eq!(words, ["C", "+", "Rust", "C#", "-", "Go"]);
}

#[test]
fn words_drop_trailing_dots_after_any_character() {
    // The last character before the dots may take several bytes.
    let words: Vec<&str> = JdView::new("熟悉所有权. 生命周期... Rust.")
        .words()
        .collect();
    assert_eq!(words, ["熟悉所有权", "生命周期", "Rust"]);
}

#[test]
fn words_stay_none_once_exhausted() {
    let mut words = JdView::new("Go").words();
    assert_eq!(words.next(), Some("Go"));
    assert_eq!(words.next(), None);
    assert_eq!(words.next(), None);
}

#[test]
fn words_are_slices_of_the_original_text() {
    for word in JdView::new(JD).words() {
        assert!(
            JD.as_bytes().as_ptr_range().contains(&word.as_ptr()),
            "{word:?} was copied; it must borrow the text"
        );
    }
}

#[test]
fn words_and_title_outlive_the_view_and_the_iterator() {
    let text = String::from("Rust 工程师\nTokio WASM FFI");
    let (title, words): (&str, Vec<&str>) = {
        let view = JdView::new(&text);
        let mut iter = view.words();
        let first_two = vec![iter.next().unwrap_or("?"), iter.next().unwrap_or("?")];
        (view.title(), first_two)
    }; // the view and the iterator are dropped; their items borrow `text`
    assert_eq!(title, "Rust 工程师");
    assert_eq!(words, ["Rust", "工程师"]);
}
