//! Reading ads from JSON Lines: one object per line,
//! `{"id": "...", "text": "...", <other fields>}`, or with `"tokens": [...]`
//! instead of `"text"` for a corpus tokenized elsewhere.
//!
//! Every problem is an [`InputError`] with the line it is on: a corpus of
//! 10 000 scraped ads has bad lines, and "invalid JSON" without a line
//! number sends you bisecting the file. Nothing is skipped silently: a
//! blank line is the only line that is not an ad.

use std::fmt;
use std::io::BufRead;

use serde_json::{Map, Value};

/// What each line carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `"text"`: raw ad text, tokenized here.
    Text,
    /// `"tokens"`: an array of strings, used as they are.
    Pretokenized,
}

impl Mode {
    fn field(self) -> &'static str {
        match self {
            Mode::Text => "text",
            Mode::Pretokenized => "tokens",
        }
    }
}

/// An ad's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Text(String),
    Tokens(Vec<String>),
}

/// One ad.
#[derive(Debug, Clone, PartialEq)]
pub struct Ad {
    /// 1-based line number in the input.
    pub line: usize,
    pub id: String,
    pub body: Body,
    /// The other fields of the line's object (`city`, `tier`, ...).
    pub fields: Map<String, Value>,
}

/// A problem with the input, and where it is.
#[derive(Debug)]
pub enum InputError {
    Io(std::io::Error),
    NotUtf8 {
        line: usize,
        byte: usize,
    },
    Json {
        line: usize,
        message: String,
    },
    NotAnObject {
        line: usize,
    },
    MissingField {
        line: usize,
        field: &'static str,
        mode: Mode,
    },
    WrongType {
        line: usize,
        field: String,
        expected: &'static str,
    },
    DuplicateId {
        line: usize,
        id: String,
        first: usize,
    },
    UnknownField {
        line: usize,
        field: String,
    },
    Empty,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Io(e) => write!(f, "reading the input: {e}"),
            InputError::NotUtf8 { line, byte } => {
                write!(
                    f,
                    "line {line}: not UTF-8 (invalid byte at column {byte}); convert the file first, e.g. iconv -f GBK -t UTF-8"
                )
            }
            InputError::Json { line, message } => write!(f, "line {line}: invalid JSON: {message}"),
            InputError::NotAnObject { line } => {
                write!(
                    f,
                    "line {line}: expected a JSON object like {{\"id\": \"...\", \"text\": \"...\"}}"
                )
            }
            InputError::MissingField { line, field, mode } => {
                write!(f, "line {line}: no \"{field}\" field")?;
                match mode {
                    Mode::Text => write!(
                        f,
                        " (a pre-tokenized corpus with \"tokens\" needs --pretokenized)"
                    ),
                    Mode::Pretokenized => write!(
                        f,
                        " (with --pretokenized each line needs \"tokens\": [\"...\"])"
                    ),
                }
            }
            InputError::WrongType {
                line,
                field,
                expected,
            } => {
                write!(f, "line {line}: \"{field}\" must be {expected}")
            }
            InputError::DuplicateId { line, id, first } => {
                write!(f, "line {line}: id {id:?} was already used on line {first}")
            }
            InputError::UnknownField { line, field } => {
                write!(f, "line {line}: no \"{field}\" field to group by")
            }
            InputError::Empty => {
                write!(f, "the input has no ads (it is empty or only blank lines)")
            }
        }
    }
}

impl std::error::Error for InputError {}

impl From<std::io::Error> for InputError {
    fn from(e: std::io::Error) -> Self {
        InputError::Io(e)
    }
}

/// Reads every ad; `progress` is told the bytes read after each line.
pub fn read_ads(
    mut input: impl BufRead,
    mode: Mode,
    mut progress: impl FnMut(u64),
) -> Result<Vec<Ad>, InputError> {
    let mut ads = Vec::new();
    let mut first_line_of: std::collections::HashMap<String, usize> =
        std::collections::HashMap::new();
    let mut buf = Vec::new();
    let mut line = 0;
    loop {
        buf.clear();
        let n = input.read_until(b'\n', &mut buf)?;
        if n == 0 {
            break;
        }
        line += 1;
        progress(n as u64);
        let text = std::str::from_utf8(&buf).map_err(|e| InputError::NotUtf8 {
            line,
            byte: e.valid_up_to() + 1,
        })?;
        if text.trim().is_empty() {
            continue;
        }
        let ad = parse_line(text, line, mode)?;
        if let Some(&first) = first_line_of.get(&ad.id) {
            return Err(InputError::DuplicateId {
                line,
                id: ad.id,
                first,
            });
        }
        first_line_of.insert(ad.id.clone(), line);
        ads.push(ad);
    }
    if ads.is_empty() {
        return Err(InputError::Empty);
    }
    Ok(ads)
}

fn parse_line(text: &str, line: usize, mode: Mode) -> Result<Ad, InputError> {
    let value: Value = serde_json::from_str(text).map_err(|e| InputError::Json {
        line,
        message: e.to_string(),
    })?;
    let Value::Object(mut fields) = value else {
        return Err(InputError::NotAnObject { line });
    };
    let id = match fields.remove("id") {
        Some(Value::String(id)) => id,
        Some(_) => {
            return Err(InputError::WrongType {
                line,
                field: "id".into(),
                expected: "a string",
            });
        }
        None => {
            return Err(InputError::MissingField {
                line,
                field: "id",
                mode,
            });
        }
    };
    let field = mode.field();
    let body = match (mode, fields.remove(field)) {
        (_, None) => return Err(InputError::MissingField { line, field, mode }),
        (Mode::Text, Some(Value::String(text))) => Body::Text(text),
        (Mode::Pretokenized, Some(Value::Array(items))) => Body::Tokens(
            items
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s),
                    _ => Err(InputError::WrongType {
                        line,
                        field: "tokens".into(),
                        expected: "an array of strings",
                    }),
                })
                .collect::<Result<_, _>>()?,
        ),
        (Mode::Text, Some(_)) => {
            return Err(InputError::WrongType {
                line,
                field: "text".into(),
                expected: "a string",
            });
        }
        (Mode::Pretokenized, Some(_)) => {
            return Err(InputError::WrongType {
                line,
                field: "tokens".into(),
                expected: "an array of strings",
            });
        }
    };
    Ok(Ad {
        line,
        id,
        body,
        fields,
    })
}

impl Ad {
    /// The ad's value of `field` as a group label: a string as is, a number
    /// or a boolean as its JSON text; anything else is an error.
    pub fn group(&self, field: &str) -> Result<String, InputError> {
        match self.fields.get(field) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(v @ (Value::Number(_) | Value::Bool(_))) => Ok(v.to_string()),
            Some(_) => Err(InputError::WrongType {
                line: self.line,
                field: field.to_owned(),
                expected: "a string, a number or a boolean to group by",
            }),
            None => Err(InputError::UnknownField {
                line: self.line,
                field: field.to_owned(),
            }),
        }
    }
}
