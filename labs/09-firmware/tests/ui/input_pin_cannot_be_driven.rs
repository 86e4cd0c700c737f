// An input pin has no `set_high`: only `into_output` makes one drivable.
use embedded_hal::digital::OutputPin;
use lab09_firmware::{Mmio, Port};

fn main() {
    // SAFETY: never accessed: this program must not compile.
    let port = Port::new(unsafe { Mmio::new(0x4002_5000) });
    let mut pin = port.pf0();
    pin.set_high().ok();
}
