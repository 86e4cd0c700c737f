// The pin's register access is not synchronised, so neither the pin nor a
// driver holding it may move to another thread.
use embedded_hal::delay::DelayNs;
use lab09_firmware::{LedDriver, Mmio, Port};

struct NoDelay;
impl DelayNs for NoDelay {
    fn delay_ns(&mut self, _: u32) {}
}

fn main() {
    // SAFETY: never accessed: this program must not compile.
    let port = Port::new(unsafe { Mmio::new(0x4002_5000) });
    let mut led = LedDriver::new(port.pf0().into_output(), NoDelay);
    std::thread::spawn(move || led.on().ok());
}
