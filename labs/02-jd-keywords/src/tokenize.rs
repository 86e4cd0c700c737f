//! Mixed Chinese/English text to normalised terms.
//!
//! A job ad mixes two scripts that need opposite treatment. Chinese has no
//! spaces, so a run of Han characters goes to jieba, which splits it into
//! words with a dictionary. English and tech tokens must *not* be split:
//! `C++`, `C#`, `Node.js`, `no_std` and `async/.await` are one term each,
//! and a general-purpose tokenizer (scikit-learn's default `\b\w\w+\b`)
//! would turn them into `node`, `js`, `no_std`, `async`, `await` and drop
//! `C++` and `C#` entirely (one word character is too short).
//!
//! The pipeline, in order:
//! 1. full-width forms become their ASCII twins (`Ｒｕｓｔ` → `Rust`,
//!    `，` → `,`, the ideographic space → a space), so a full-width comma
//!    separates like a comma;
//! 2. the text splits into runs: Han characters (to jieba), tech characters
//!    (ASCII letters and digits and `_ + # . - /`), and separators;
//! 3. a tech run splits at `/` unless a `.` follows it (`Rust/Go` is two
//!    terms, `async/.await` one) and loses the punctuation that ends a
//!    sentence (`Rust.` → `Rust`);
//! 4. each raw token is normalised ([`Tokenizer::normalize`]): lowercased,
//!    mapped through the synonym table (`k8s` → `kubernetes`), dropped if
//!    it is a stop word or has no letter at all (`2024`, `-`).

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use jieba_rs::Jieba;

/// Synonyms the tokenizer knows, as `(from, to)`; `from` is lowercase.
/// Extend with [`Tokenizer::add_synonym`] or the CLI's `--synonym FROM=TO`.
pub const SYNONYMS: &[(&str, &str)] = &[
    ("k8s", "kubernetes"),
    ("golang", "go"),
    ("js", "javascript"),
    ("ts", "typescript"),
    ("nodejs", "node.js"),
    ("postgres", "postgresql"),
    ("rustlang", "rust"),
    ("wasm", "webassembly"),
];

/// Stop words of both languages: function words, and the filler every job
/// ad has (熟悉, 负责, 要求, ...), which would otherwise top every ranking.
pub const STOP_WORDS: &[&str] = &[
    // English
    "a",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "by",
    "for",
    "from",
    "in",
    "is",
    "it",
    "of",
    "on",
    "or",
    "our",
    "that",
    "the",
    "to",
    "we",
    "with",
    "you",
    "your",
    "will",
    "experience",
    "years",
    // Chinese
    "的",
    "了",
    "和",
    "与",
    "及",
    "或",
    "等",
    "在",
    "是",
    "有",
    "对",
    "能",
    "会",
    "并",
    "者",
    "年",
    "以上",
    "以及",
    "相关",
    "具有",
    "具备",
    "负责",
    "要求",
    "优先",
    "熟悉",
    "熟练",
    "掌握",
    "精通",
    "了解",
    "使用",
    "经验",
    "能力",
    "良好",
    "工作",
    "岗位",
    "职责",
    "任职",
    "我们",
    "公司",
    "进行",
];

/// Chinese tech words jieba's dictionary lacks: without them its HMM splits
/// 后端 into 后 + 端 and 微服务 into 微 + 服务.
pub const EXTRA_WORDS: &[&str] = &["后端", "前端", "微服务", "云原生", "高并发", "嵌入式"];

/// Tech characters: what a term like `C++`, `C#`, `Node.js`, `no_std` or
/// `async/.await` is made of.
fn is_tech(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '#' | '.' | '-' | '/')
}

/// Han ideographs (CJK Unified Ideographs, Extension A, compatibility
/// ideographs, Extension B): the characters jieba segments.
fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2A6DF}')
}

/// A full-width form (U+FF01..U+FF5E) as its ASCII twin, the ideographic
/// space as a space; any other character unchanged.
pub fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// The dictionary, loaded once per process (about 0.2 s: 350 000 words).
fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(|| {
        let mut jieba = Jieba::new();
        for word in EXTRA_WORDS {
            jieba.add_word(word, None, None);
        }
        jieba
    })
}

/// jieba's segmentation of a whole text (`cut` with the HMM for unknown
/// words), as Python's `jieba.lcut(text)` gives it: what the benchmark
/// compares. [`Tokenizer`] gives jieba only the Han runs.
pub fn jieba_cut(text: &str) -> Vec<&str> {
    jieba()
        .cut(text, true)
        .into_iter()
        .map(|t| t.word)
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Han,
    Tech,
    Other,
}

fn kind(c: char) -> Kind {
    if is_han(c) {
        Kind::Han
    } else if is_tech(c) {
        Kind::Tech
    } else {
        Kind::Other
    }
}

/// Splits a tech run at `/` unless a `.` follows (`async/.await` stays
/// whole) and trims what ends a sentence or joins words: trailing `.`, `-`,
/// `/`, leading `-`, `/` (a leading `.` stays: `.NET`).
fn split_tech(run: &str) -> impl Iterator<Item = &str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for (i, c) in run.char_indices() {
        if c == '/' && !run[i + 1..].starts_with('.') {
            pieces.push(&run[start..i]);
            start = i + 1;
        }
    }
    pieces.push(&run[start..]);
    pieces
        .into_iter()
        .map(|p| {
            p.trim_end_matches(['.', '-', '/'])
                .trim_start_matches(['-', '/'])
        })
        .filter(|p| !p.is_empty())
}

/// Turns ad text into terms. Cheap to create: the jieba dictionary is
/// shared by every tokenizer of the process.
#[derive(Debug, Clone)]
pub struct Tokenizer {
    synonyms: HashMap<String, String>,
    stop_words: HashSet<String>,
}

impl Default for Tokenizer {
    fn default() -> Self {
        Self::new()
    }
}

impl Tokenizer {
    /// A tokenizer with [`SYNONYMS`] and [`STOP_WORDS`].
    pub fn new() -> Self {
        Tokenizer {
            synonyms: SYNONYMS
                .iter()
                .map(|&(f, t)| (f.to_owned(), t.to_owned()))
                .collect(),
            stop_words: STOP_WORDS.iter().map(|&w| w.to_owned()).collect(),
        }
    }

    /// A tokenizer with no synonyms and no stop words.
    pub fn bare() -> Self {
        Tokenizer {
            synonyms: HashMap::new(),
            stop_words: HashSet::new(),
        }
    }

    /// Maps `from` (any case) to `to` (used as given, after lowercasing).
    pub fn add_synonym(&mut self, from: &str, to: &str) {
        self.synonyms.insert(from.to_lowercase(), to.to_lowercase());
    }

    /// Drops `word` (any case) from the output.
    pub fn add_stop_word(&mut self, word: &str) {
        self.stop_words.insert(word.to_lowercase());
    }

    /// The term a raw token stands for, or `None` when it is dropped.
    ///
    /// Lowercase first (so `K8s`, `K8S` and `k8s` are one key), then the
    /// synonym table, then the stop words, which apply to the final form
    /// only (a synonym can map to a stop word; a stop word mapped to another
    /// term is kept as that term). Lowercasing is `str::to_lowercase`, the
    /// same as `add_synonym` and `add_stop_word` use (`ΟΔΟΣ` → `οδος`). A
    /// token without any letter in Unicode's sense (`2024`, `+`, `２０２４`,
    /// `…`) is dropped; Han characters count as letters.
    pub fn normalize(&self, raw: &str) -> Option<String> {
        // lab:begin(normalize) lowercase, map synonyms, drop stop words and letterless tokens
        let lower = raw.to_lowercase();
        let term = match self.synonyms.get(&lower) {
            Some(to) => to.clone(),
            None => lower,
        };
        if self.stop_words.contains(&term) || !term.chars().any(char::is_alphabetic) {
            return None;
        }
        Some(term)
        // lab:end
    }

    /// The raw tokens of `text` in order, before [`Tokenizer::normalize`]:
    /// jieba's words for Han runs, tech tokens whole.
    pub fn raw_tokens(&self, text: &str) -> Vec<String> {
        let text: String = text.chars().map(half_width).collect();
        let mut out = Vec::new();
        let mut start = 0;
        let mut current = None;
        // One pass over the characters, emitting a run when the kind changes.
        for (i, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            let k = kind(c);
            if Some(k) != current {
                match current {
                    Some(Kind::Han) => out.extend(
                        jieba()
                            .cut(&text[start..i], true)
                            .into_iter()
                            .map(|t| t.word.to_owned()),
                    ),
                    Some(Kind::Tech) => out.extend(split_tech(&text[start..i]).map(str::to_owned)),
                    _ => {}
                }
                start = i;
                current = Some(k);
            }
        }
        out
    }

    /// The terms of `text`: [`Tokenizer::raw_tokens`], each normalised.
    pub fn tokenize(&self, text: &str) -> Vec<String> {
        self.raw_tokens(text)
            .iter()
            .filter_map(|t| self.normalize(t))
            .collect()
    }
}
