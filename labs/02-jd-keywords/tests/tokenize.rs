//! The tokenizer: how mixed Chinese/English ad text becomes terms.
//! `split_` tests cover the given splitting; `normalize_` tests task 1.

use lab02_jd_keywords::tokenize::Tokenizer;

fn raw(text: &str) -> Vec<String> {
    Tokenizer::new().raw_tokens(text)
}

fn norm(raw: &str) -> Option<String> {
    Tokenizer::new().normalize(raw)
}

#[test]
fn split_keeps_tech_tokens_whole_between_chinese_words() {
    assert_eq!(
        raw("熟悉C++、C#和Node.js"),
        ["熟悉", "C++", "C#", "和", "Node.js"]
    );
    assert_eq!(
        raw("了解no_std与embedded-hal"),
        ["了解", "no_std", "与", "embedded-hal"]
    );
}

#[test]
fn split_segments_chinese_with_jieba_and_the_extra_tech_words() {
    assert_eq!(raw("负责后端服务开发"), ["负责", "后端", "服务", "开发"]);
    assert_eq!(
        raw("参与微服务架构演进"),
        ["参与", "微服务", "架构", "演进"]
    );
}

#[test]
fn split_treats_full_width_forms_as_ascii() {
    assert_eq!(raw("Ｒｕｓｔ，Ｇｏ\u{3000}Ｃ＋＋"), ["Rust", "Go", "C++"]);
    assert_eq!(raw("（Docker）；K8s。"), ["Docker", "K8s"]);
}

#[test]
fn split_breaks_at_a_slash_unless_a_dot_follows() {
    assert_eq!(raw("Rust/Go TCP/IP"), ["Rust", "Go", "TCP", "IP"]);
    assert_eq!(raw("async/.await"), ["async/.await"]);
}

#[test]
fn split_trims_sentence_punctuation_but_keeps_a_leading_dot() {
    assert_eq!(
        raw("I write Rust. And .NET-"),
        ["I", "write", "Rust", "And", ".NET"]
    );
    assert_eq!(raw("--flag / - ."), ["flag"]);
}

#[test]
fn split_of_empty_or_separator_only_text_is_empty() {
    assert!(raw("").is_empty());
    assert!(raw("，。！ \n\t").is_empty());
}

#[test]
fn normalize_lowercases() {
    assert_eq!(norm("Rust").as_deref(), Some("rust"));
    assert_eq!(norm("Node.JS").as_deref(), Some("node.js"));
}

#[test]
fn normalize_maps_synonyms_in_any_case() {
    assert_eq!(norm("k8s").as_deref(), Some("kubernetes"));
    assert_eq!(norm("K8S").as_deref(), Some("kubernetes"));
    assert_eq!(norm("Golang").as_deref(), Some("go"));
}

#[test]
fn normalize_keeps_a_term_without_a_synonym() {
    assert_eq!(norm("kubernetes").as_deref(), Some("kubernetes"));
    assert_eq!(norm("嵌入式").as_deref(), Some("嵌入式"));
}

#[test]
fn normalize_drops_stop_words_of_both_languages_in_any_case() {
    for w in ["the", "The", "AND", "的", "熟悉", "以上"] {
        assert_eq!(norm(w), None, "{w}");
    }
}

#[test]
fn normalize_applies_stop_words_to_the_final_form() {
    let mut t = Tokenizer::new();
    t.add_synonym("ETC", "等");
    assert_eq!(t.normalize("etc"), None);
    t.add_stop_word("Kubernetes");
    assert_eq!(t.normalize("K8s"), None);
    // Only the final form: a stop word mapped to another term is kept.
    t.add_synonym("IT", "信息技术");
    assert_eq!(t.normalize("IT").as_deref(), Some("信息技术"));
}

#[test]
fn normalize_drops_tokens_without_a_letter() {
    for w in ["2024", "+", "3.5", "-", "_"] {
        assert_eq!(norm(w), None, "{w}");
    }
    // "A letter" is Unicode's notion: full-width digits, circled numbers,
    // Arabic-Indic digits and non-ASCII punctuation have none.
    for w in ["２０２４", "①", "٣", "…", "—", "€5"] {
        assert_eq!(norm(w), None, "{w}");
    }
    assert_eq!(norm("C++").as_deref(), Some("c++"));
    assert_eq!(norm("5G").as_deref(), Some("5g"));
    assert_eq!(norm("c").as_deref(), Some("c"));
}

/// Case folding is Unicode's, as `add_synonym` and `add_stop_word` use:
/// not only ASCII capitals are lowered.
#[test]
fn normalize_lowercases_beyond_ascii() {
    assert_eq!(norm("ÉCOLE").as_deref(), Some("école"));
    assert_eq!(norm("ПИТОН").as_deref(), Some("питон"));
    let mut t = Tokenizer::new();
    t.add_stop_word("Über");
    assert_eq!(t.normalize("ÜBER"), None);
    t.add_synonym("Докер", "docker");
    assert_eq!(t.normalize("ДОКЕР").as_deref(), Some("docker"));
    // `str::to_lowercase` in full, context included: a final capital sigma
    // becomes `ς`, as in the key `add_stop_word` stored.
    assert_eq!(norm("ΟΔΟΣ").as_deref(), Some("οδος"));
    t.add_stop_word("ΟΔΟΣ");
    assert_eq!(t.normalize("ΟΔΟΣ"), None);
}

/// Like the stop words, the letter check applies to the final form, after
/// the synonym table.
#[test]
fn normalize_checks_for_a_letter_after_the_synonym() {
    let mut t = Tokenizer::new();
    t.add_synonym("996", "overtime");
    assert_eq!(t.normalize("996").as_deref(), Some("overtime"));
    t.add_synonym("plus", "+");
    assert_eq!(t.normalize("Plus"), None);
}

#[test]
fn normalize_with_a_bare_tokenizer_keeps_everything_with_a_letter() {
    let t = Tokenizer::bare();
    assert_eq!(t.normalize("The").as_deref(), Some("the"));
    assert_eq!(t.normalize("K8s").as_deref(), Some("k8s"));
}

#[test]
fn normalize_applies_to_every_token_of_mixed_text() {
    let mut t = Tokenizer::new();
    t.add_synonym("embedded-hal", "ehal");
    assert_eq!(
        t.tokenize("【东莞】熟悉Rust、K8s和embedded-hal，3年以上经验"),
        ["东莞", "rust", "kubernetes", "ehal"]
    );
}
