//! `jd-keywords`: the command line over the library. Reads JSON Lines,
//! writes JSON Lines (or a table), reports bad input with its line number
//! and exits 2; see `jd-keywords --help`.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use lab02_jd_keywords::assoc::{self, TermAssoc};
use lab02_jd_keywords::cooc;
use lab02_jd_keywords::corpus::{self, Ad, Body, InputError, Mode};
use lab02_jd_keywords::synth;
use lab02_jd_keywords::tfidf::Tfidf;
use lab02_jd_keywords::tokenize::Tokenizer;
use serde_json::{Map, Value, json};

/// Keyword extraction over job ads: TF-IDF, co-occurrence, chi-square.
///
/// Input is JSON Lines, one ad per line: {"id": "...", "text": "...", <other
/// fields>}, or with --pretokenized {"id": "...", "tokens": ["...", ...]}.
/// Exit status: 0 done, 2 bad input or usage (the message names the line),
/// 1 the output could not be written.
#[derive(Debug, Parser)]
#[command(name = "jd-keywords", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print each ad's terms: {"id": "...", "tokens": [...]} per line (input for --pretokenized).
    Tokenize(Input),
    /// TF-IDF weights (scikit-learn's TfidfVectorizer defaults): each ad's top terms.
    Tfidf {
        #[command(flatten)]
        input: Input,
        /// Terms per ad; 0 prints every term.
        #[arg(long, default_value_t = 10)]
        top: usize,
        /// Leave out terms weighing less (the article's "threshold" was 0.08).
        #[arg(long, default_value_t = 0.0)]
        min_weight: f64,
        /// One ranking for the whole corpus (mean weight per term) instead of one line per ad.
        #[arg(long)]
        corpus: bool,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// Term pairs found together: counts, P(B | A) and lift.
    Cooc {
        #[command(flatten)]
        input: Input,
        /// Only pairs found together in at least this many ads.
        #[arg(long, default_value_t = 2)]
        min_count: usize,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// Pearson's chi-square of each term's presence against a field (no continuity correction).
    Assoc {
        #[command(flatten)]
        input: Input,
        /// The field to group the ads by, e.g. city.
        #[arg(long)]
        by: String,
        /// Also the ratio of each term's rate in group A to group B: --compare 东莞,北京.
        #[arg(long, value_name = "A,B", value_parser = parse_pair)]
        compare: Option<(String, String)>,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// Write synthetic ads (seeded, reproducible) as JSON Lines to stdout.
    Synth {
        #[arg(long, default_value_t = 2024)]
        seed: u64,
        #[arg(long, default_value_t = 300)]
        ads: usize,
    },
}

#[derive(Debug, Args)]
struct Input {
    /// JSON Lines file of ads; - reads standard input.
    #[arg(long)]
    input: PathBuf,
    /// Each line has "tokens" (an array of strings, used as is) instead of "text".
    #[arg(long)]
    pretokenized: bool,
    /// Map a term to another, any case: --synonym golang=go (repeatable).
    #[arg(long, value_name = "FROM=TO", value_parser = parse_synonym)]
    synonym: Vec<(String, String)>,
    /// Drop a term, any case (repeatable).
    #[arg(long, value_name = "WORD")]
    stop_word: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Json,
    Table,
}

fn parse_synonym(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((from, to)) if !from.is_empty() && !to.is_empty() => {
            Ok((from.to_owned(), to.to_owned()))
        }
        _ => Err(format!("{s:?} is not FROM=TO (e.g. golang=go)")),
    }
}

fn parse_pair(s: &str) -> Result<(String, String), String> {
    match s.split_once(',') {
        Some((a, b)) if !a.is_empty() && !b.is_empty() => Ok((a.to_owned(), b.to_owned())),
        _ => Err(format!(
            "{s:?} is not A,B (two values of the --by field, e.g. 东莞,北京)"
        )),
    }
}

/// Why a run failed: the input (exit 2) or the output (exit 1).
enum Failure {
    Input(String),
    Output(io::Error),
}

impl From<InputError> for Failure {
    fn from(e: InputError) -> Self {
        Failure::Input(e.to_string())
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Output(e)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = io::stdout().lock();
    let mut out = BufWriter::new(stdout);
    let result = run(cli.command, &mut out).and_then(|()| out.flush().map_err(Failure::Output));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `jd-keywords tfidf ... | head` closes the pipe early: not an error.
        Err(Failure::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Failure::Output(e)) => {
            eprintln!("jd-keywords: writing the output: {e}");
            ExitCode::from(1)
        }
        Err(Failure::Input(message)) => {
            eprintln!("jd-keywords: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(command: Command, out: &mut impl Write) -> Result<(), Failure> {
    match command {
        Command::Synth { seed, ads } => Ok(out.write_all(synth::generate(seed, ads).as_bytes())?),
        Command::Tokenize(input) => {
            let (ads, docs) = load(&input)?;
            for (ad, tokens) in ads.iter().zip(&docs) {
                writeln!(out, "{}", json!({"id": ad.id, "tokens": tokens}))?;
            }
            Ok(())
        }
        Command::Tfidf {
            input,
            top,
            min_weight,
            corpus,
            format,
        } => {
            if !(0.0..=1.0).contains(&min_weight) {
                return Err(Failure::Input(format!(
                    "--min-weight {min_weight} is outside 0..=1 (weights are L2-normalised)"
                )));
            }
            let (ads, docs) = load(&input)?;
            let model = Tfidf::fit(&docs);
            if corpus {
                let ranking = model.ranking();
                let ranking = ranking.iter().filter(|w| w.weight >= min_weight);
                let ranking: Vec<_> = if top == 0 {
                    ranking.collect()
                } else {
                    ranking.take(top).collect()
                };
                for w in ranking {
                    match format {
                        Format::Json => {
                            writeln!(out, "{}", json!({"term": w.term, "mean_weight": w.weight}))?
                        }
                        Format::Table => writeln!(out, "{:<24} {:.6}", w.term, w.weight)?,
                    }
                }
                return Ok(());
            }
            for (i, ad) in ads.iter().enumerate() {
                let terms = model.top_terms(i, top, min_weight);
                match format {
                    Format::Json => {
                        let terms: Vec<Value> = terms
                            .iter()
                            .map(|w| json!({"term": w.term, "weight": w.weight}))
                            .collect();
                        writeln!(out, "{}", json!({"id": ad.id, "terms": terms}))?;
                    }
                    Format::Table => {
                        let terms: Vec<String> = terms
                            .iter()
                            .map(|w| format!("{} {:.3}", w.term, w.weight))
                            .collect();
                        writeln!(out, "{:<12} {}", ad.id, terms.join("  "))?;
                    }
                }
            }
            Ok(())
        }
        Command::Cooc {
            input,
            min_count,
            format,
        } => {
            let (_, docs) = load(&input)?;
            for p in cooc::cooccurrence(&docs, min_count) {
                match format {
                    Format::Json => writeln!(
                        out,
                        "{}",
                        json!({"a": p.a, "b": p.b, "count_a": p.count_a, "count_b": p.count_b,
                               "count_ab": p.count_ab, "p_b_given_a": p.p_b_given_a, "lift": p.lift})
                    )?,
                    Format::Table => writeln!(
                        out,
                        "{:<16} {:<16} {:>6} {:>6} {:>6}  P(b|a) {:.3}  lift {:.3}",
                        p.a, p.b, p.count_a, p.count_b, p.count_ab, p.p_b_given_a, p.lift
                    )?,
                }
            }
            Ok(())
        }
        Command::Assoc {
            input,
            by,
            compare,
            format,
        } => {
            let (ads, docs) = load(&input)?;
            let groups: Vec<String> = ads
                .iter()
                .map(|ad| ad.group(&by))
                .collect::<Result<_, _>>()?;
            let compare = compare.as_ref().map(|(a, b)| (a.as_str(), b.as_str()));
            let results = assoc::associate(&docs, &groups, compare)
                .map_err(|e| Failure::Input(format!("--by {by}: {e}")))?;
            for r in &results {
                match format {
                    Format::Json => writeln!(out, "{}", assoc_json(r, compare))?,
                    Format::Table => {
                        let ratio = match (compare, r.rate_ratio) {
                            (None, _) => String::new(),
                            (Some(_), Some(x)) => format!("  ratio {x:.3}"),
                            // No ad of group b has the term.
                            (Some(_), None) => "  ratio inf".into(),
                        };
                        writeln!(
                            out,
                            "{:<20} chi2 {:>10.4}  dof {}  p {:.3e}{ratio}",
                            r.term, r.test.statistic, r.test.dof, r.test.p_value
                        )?
                    }
                }
            }
            Ok(())
        }
    }
}

fn assoc_json(r: &TermAssoc, compare: Option<(&str, &str)>) -> Value {
    let counts: Map<String, Value> = r
        .counts
        .iter()
        .map(|(g, (with, without))| (g.clone(), json!({"with": with, "without": without})))
        .collect();
    let mut line = json!({
        "term": r.term, "chi2": r.test.statistic, "dof": r.test.dof, "p_value": r.test.p_value, "counts": counts,
    });
    if let Some((a, b)) = compare {
        // `null` when no ad of group b has the term (the ratio is infinite).
        line["rate_ratio"] = json!({"a": a, "b": b, "value": r.rate_ratio});
    }
    line
}

/// Inputs this large (bytes) show a progress bar, when stderr is a terminal.
const PROGRESS_FROM: u64 = 4 << 20;

/// A progress bar on stderr counting to `total` in `unit`s, or a hidden one.
fn progress(show: bool, total: u64, message: &'static str, unit: &str) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    if let Ok(style) = ProgressStyle::with_template(&format!("{{msg}} {{bar:40}} {unit} ({{eta}})"))
    {
        bar.set_style(style);
    }
    bar.set_message(message);
    bar
}

/// Reads the ads and turns each into its list of terms.
fn load(input: &Input) -> Result<(Vec<Ad>, Vec<Vec<String>>), Failure> {
    let mode = if input.pretokenized {
        Mode::Pretokenized
    } else {
        Mode::Text
    };
    if input.pretokenized && !(input.synonym.is_empty() && input.stop_word.is_empty()) {
        return Err(Failure::Input(
            "--synonym and --stop-word apply to \"text\"; with --pretokenized the tokens are used as they are".into(),
        ));
    }
    let name = input.input.display().to_string();
    let (reader, len): (Box<dyn BufRead>, Option<u64>) = if name == "-" {
        (Box::new(io::stdin().lock()), None)
    } else {
        let file = File::open(&input.input).map_err(|e| Failure::Input(format!("{name}: {e}")))?;
        let len = file.metadata().ok().map(|m| m.len());
        (Box::new(BufReader::new(file)), len)
    };
    let show = len.is_some_and(|l| l >= PROGRESS_FROM) && io::stderr().is_terminal();
    let bar = progress(show, len.unwrap_or(0), "reading", "{bytes}/{total_bytes}");
    let ads = corpus::read_ads(reader, mode, |n| bar.inc(n))
        .map_err(|e| Failure::Input(format!("{name}: {e}")))?;
    bar.finish_and_clear();
    let mut tokenizer = Tokenizer::new();
    for (from, to) in &input.synonym {
        tokenizer.add_synonym(from, to);
    }
    for word in &input.stop_word {
        tokenizer.add_stop_word(word);
    }
    // Tokenizing takes longer than reading (jieba): a second bar, in ads.
    let bar = progress(
        show && mode == Mode::Text,
        ads.len() as u64,
        "tokenizing",
        "{pos}/{len} ads",
    );
    let docs = ads
        .iter()
        .map(|ad| {
            bar.inc(1);
            match &ad.body {
                Body::Text(text) => tokenizer.tokenize(text),
                // Used as is: the corpus was tokenized elsewhere, and its
                // terms must match scikit-learn's run on the same tokens.
                Body::Tokens(tokens) => tokens.clone(),
            }
        })
        .collect();
    bar.finish_and_clear();
    Ok((ads, docs))
}
