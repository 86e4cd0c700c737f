//! The hardware port is handed out once per program (this test binary is
//! its own program: the flag is fresh).

use lab09_firmware::Port;

#[test]
fn take_gives_the_port_once_and_then_none() {
    {
        let first = Port::take();
        assert!(first.is_some(), "the first take gets the port");
        assert!(
            Port::take().is_none(),
            "a second owner of port F would race the first"
        );
    } // the first port goes out of scope here
    assert!(
        Port::take().is_none(),
        "losing the port does not hand it out again"
    );
    // Every later call, however many: a call counter in a small integer
    // wraps (an `i8` after 128 calls, a `u8` after 256) and would hand the
    // port out again.
    for call in 4..=1000 {
        assert!(
            Port::take().is_none(),
            "call {call} of `take` handed port F out a second time"
        );
    }
}
