//! The crate-level error: any stage's error becomes an `Error` through `?`,
//! and the stage's own error stays reachable as its `source()`.

use std::error::Error as _;

use lab06_h2_headers::{DecodeError, Error, FrameError, HeadError};

fn fails_with(e: impl Into<Error>) -> Result<(), Error> {
    // What `?` does with a stage's error in a function returning `Error`.
    Err(e.into())
}

#[test]
fn the_crate_error_names_the_stage_and_keeps_its_error_as_the_source() {
    let cases: [(Error, &str, String); 3] = [
        (
            fails_with(HeadError::BareLf { offset: 14 }).unwrap_err(),
            "bad HTTP/1 request head",
            HeadError::BareLf { offset: 14 }.to_string(),
        ),
        (
            fails_with(FrameError::InvalidMaxFrameSize(7)).unwrap_err(),
            "bad HTTP/2 framing",
            FrameError::InvalidMaxFrameSize(7).to_string(),
        ),
        (
            fails_with(DecodeError::IndexOutOfRange {
                index: 70,
                table_len: 61,
            })
            .unwrap_err(),
            "bad HPACK header block",
            DecodeError::IndexOutOfRange {
                index: 70,
                table_len: 61,
            }
            .to_string(),
        ),
    ];
    for (error, stage, cause) in cases {
        assert_eq!(error.to_string(), stage);
        let source = error.source().expect("the stage's error is the source");
        assert_eq!(source.to_string(), cause);
        assert!(source.source().is_none(), "the chain ends at the stage");
    }
    assert!(matches!(
        Error::from(FrameError::InvalidPadding),
        Error::Frame(FrameError::InvalidPadding)
    ));
    let source = Error::from(DecodeError::IndexOutOfRange {
        index: 70,
        table_len: 61,
    });
    assert_eq!(
        source
            .source()
            .and_then(|s| s.downcast_ref::<DecodeError>()),
        Some(&DecodeError::IndexOutOfRange {
            index: 70,
            table_len: 61
        })
    );
}
