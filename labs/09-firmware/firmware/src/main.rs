//! Blinks the LM3S6965 evaluation board's user LED (PF0) three times
//! through `LedDriver`, reads GPIODATA back after each change, prints one
//! line per change over semihosting, then `blinked 3 cycles`, and exits
//! QEMU with status 0; with status 1 on any error or panic.
#![no_std]
#![no_main]

use cortex_m_rt::entry;
use cortex_m_semihosting::{debug, hprintln};
use embedded_hal::delay::DelayNs;
use lab09_firmware::gpio::{self, SYSCTL_BASE};
use lab09_firmware::{LedDriver, Mmio, Port};

/// A busy-wait delay at a nominal clock (QEMU does not run in real time;
/// on the board, 50 MHz from the PLL, 12 MHz from the reset oscillator).
struct Spin {
    cycles_per_us: u32,
}

impl DelayNs for Spin {
    fn delay_ns(&mut self, ns: u32) {
        cortex_m::asm::delay((ns / 1000).saturating_mul(self.cycles_per_us).max(1));
    }
}

const CYCLES: u8 = 3;

#[entry]
fn main() -> ! {
    let code = match run() {
        Ok(()) => debug::EXIT_SUCCESS,
        Err(why) => {
            hprintln!("error: {}", why);
            debug::EXIT_FAILURE
        }
    };
    debug::exit(code);
    loop {
        cortex_m::asm::wfi();
    }
}

fn run() -> Result<(), &'static str> {
    // SAFETY: SYSCTL_BASE is the LM3S6965's system-control block, used here
    // once, before anything else runs.
    let sysctl = unsafe { Mmio::new(SYSCTL_BASE) };
    gpio::enable_port_f_clock(&sysctl);
    let port = Port::take().ok_or("port F is already taken")?;
    let pin = port.pf0().into_output();
    let mut led = LedDriver::new(pin, Spin { cycles_per_us: 12 });
    let mut mismatch = false;
    match led.blink_with(CYCLES, 200, |pin, lit| {
        let data = pin.port_data();
        hprintln!("led {} (GPIODATA = {:#04x})", if lit { "on" } else { "off" }, data);
        mismatch |= (data & 1 == 1) != lit;
    }) {
        Ok(()) => {}
        Err(never) => match never {},
    }
    if mismatch {
        return Err("GPIODATA did not follow the LED");
    }
    hprintln!("blinked {} cycles", CYCLES);
    Ok(())
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    hprintln!("panic: {}", info);
    debug::exit(debug::EXIT_FAILURE);
    loop {
        cortex_m::asm::wfi();
    }
}
