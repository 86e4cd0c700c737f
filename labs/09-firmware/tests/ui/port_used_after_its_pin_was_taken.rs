// `pf0` consumes the port: its registers belong to the pin now, and a
// second pin over the same registers cannot be made.
use lab09_firmware::{Mmio, Port};

fn main() {
    // SAFETY: never accessed: this program must not compile.
    let port = Port::new(unsafe { Mmio::new(0x4002_5000) });
    let led = port.pf0();
    let again = port.pf0();
    drop((led, again));
}
