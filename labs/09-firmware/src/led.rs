//! `LedDriver`: the article's driver on the embedded-hal 1.0 traits, so it
//! runs on any board's output pin and delay (and on the host's mocks).

use embedded_hal::delay::DelayNs;
use embedded_hal::digital::OutputPin;

/// An LED on an output pin, with a delay to blink it. `new` touches no
/// hardware (the article's `new` configured the pin as a side effect):
/// the pin comes already configured, and the LED is taken to be off until
/// told otherwise.
#[derive(Debug)]
pub struct LedDriver<P, D> {
    pin: P,
    delay: D,
    lit: bool,
}

impl<P: OutputPin, D: DelayNs> LedDriver<P, D> {
    pub fn new(pin: P, delay: D) -> Self {
        LedDriver {
            pin,
            delay,
            lit: false,
        }
    }

    /// Drives the pin high, then records the LED as on. When the pin fails,
    /// its error is returned and the recorded state is left as it was (a lit
    /// LED stays recorded on).
    pub fn on(&mut self) -> Result<(), P::Error> {
        // lab:begin(switch) drive the pin, then record the state (only once the pin said Ok)
        self.pin.set_high()?;
        self.lit = true;
        Ok(())
        // lab:end
    }

    pub fn off(&mut self) -> Result<(), P::Error> {
        self.pin.set_low()?;
        self.lit = false;
        Ok(())
    }

    pub fn toggle(&mut self) -> Result<(), P::Error> {
        if self.lit { self.off() } else { self.on() }
    }

    /// Whether the driver last lit the LED.
    pub fn is_on(&self) -> bool {
        self.lit
    }

    /// The pin, to read it back.
    pub fn pin(&self) -> &P {
        &self.pin
    }

    /// `cycles` times: on for half of `period_ms`, off for the other half.
    pub fn blink(&mut self, cycles: u8, period_ms: u32) -> Result<(), P::Error> {
        self.blink_with(cycles, period_ms, |_, _| {})
    }

    /// [`blink`](Self::blink), calling `after_change(pin, lit)` after each
    /// change of the LED (the firmware reads the register back there).
    /// The first error stops it and is returned, at once: the change that
    /// failed is not reported, and the recorded state is that of the last
    /// change the pin accepted. Zero cycles touch neither the pin nor the
    /// delay, and keep the recorded state.
    pub fn blink_with(
        &mut self,
        cycles: u8,
        period_ms: u32,
        mut after_change: impl FnMut(&P, bool),
    ) -> Result<(), P::Error> {
        // lab:begin(blink) on, wait half the period, off, wait the other half; cycles times
        let on_ms = period_ms / 2;
        let off_ms = period_ms - on_ms;
        for _ in 0..cycles {
            self.on()?;
            after_change(&self.pin, true);
            self.delay.delay_ms(on_ms);
            self.off()?;
            after_change(&self.pin, false);
            self.delay.delay_ms(off_ms);
        }
        Ok(())
        // lab:end
    }
}
