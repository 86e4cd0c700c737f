//! GPIO port F of the LM3S6965, a PL061-style port with the Stellaris
//! extensions (LM3S6965 data sheet, chapter "General-Purpose
//! Input/Outputs", its register map). The evaluation board's user LED is
//! on PF0.

use core::marker::PhantomData;
use core::sync::atomic::{AtomicBool, Ordering};

use crate::regs::{Mmio, Registers};

/// GPIO port F's register block (APB aperture).
pub const PORT_F_BASE: usize = 0x4002_5000;
/// System control: Run-Mode Clock Gating Control Register 2, whose
/// bit 5 clocks GPIO port F.
pub const SYSCTL_BASE: usize = 0x400F_E000;
pub const RCGC2: usize = 0x108;
pub const RCGC2_GPIOF: u32 = 1 << 5;

/// Register offsets within a port.
pub mod offset {
    /// GPIODATA: bits [9:2] of the address mask the access, so offset
    /// `1 << (n + 2)` reads or writes pin n alone and 0x3FC all eight.
    pub const DATA_ALL: usize = 0x3FC;
    /// GPIODIR: 1 = output.
    pub const DIR: usize = 0x400;
    /// GPIOAFSEL: 1 = the pin belongs to an alternate function.
    pub const AFSEL: usize = 0x420;
    /// GPIODEN: 1 = digital function enabled.
    pub const DEN: usize = 0x51C;

    /// The masked data offset of pin `n` alone.
    pub const fn data_of(pin: u8) -> usize {
        1 << (pin as usize + 2)
    }
}

/// Input mode (the reset state).
#[derive(Debug)]
pub struct Input;
/// Push-pull output mode.
#[derive(Debug)]
pub struct Output;

/// Port F, owned: whoever holds it is the only code touching its registers.
#[derive(Debug)]
pub struct Port<R> {
    regs: R,
}

static TAKEN: AtomicBool = AtomicBool::new(false);

impl Port<Mmio> {
    /// Port F on the hardware, once: the first call gets it, every later
    /// one `None`, so two drivers can never own the same pins.
    pub fn take() -> Option<Port<Mmio>> {
        // lab:begin(take) hand out the port once
        if TAKEN.swap(true, Ordering::AcqRel) {
            return None;
        }
        Some(port_f())
        // lab:end
    }
}

/// Port F's registers; `take` is the only caller, once.
fn port_f() -> Port<Mmio> {
    // SAFETY: PORT_F_BASE is port F's register block on the LM3S6965, and
    // `take`'s flag makes this the only `Mmio` for it.
    Port::new(unsafe { Mmio::new(PORT_F_BASE) })
}

impl<R: Registers> Port<R> {
    /// A port over `regs`: the hardware's (`take`) or a test's fake.
    pub const fn new(regs: R) -> Port<R> {
        Port { regs }
    }

    /// Pin 0, in its reset state (input). Consumes the port: its registers
    /// now belong to the pin.
    pub fn pf0(self) -> Pin<R, Input> {
        Pin {
            regs: self.regs,
            pin: 0,
            _mode: PhantomData,
            _not_send: PhantomData,
        }
    }
}

/// One pin, in mode `MODE`: only an `Output` pin can be driven, and the
/// only way to one is [`Pin::into_output`], which consumes the input pin.
/// Neither `Send` nor `Sync` (the register access is not synchronised).
#[derive(Debug)]
pub struct Pin<R, MODE> {
    regs: R,
    pin: u8,
    _mode: PhantomData<MODE>,
    _not_send: PhantomData<*const ()>,
}

impl<R: Registers, MODE> Pin<R, MODE> {
    fn bit(&self) -> u32 {
        1 << self.pin
    }

    /// The same pin in another mode (the typestate changes; nothing else).
    fn into_mode<M>(self) -> Pin<R, M> {
        Pin {
            regs: self.regs,
            pin: self.pin,
            _mode: PhantomData,
            _not_send: PhantomData,
        }
    }

    /// GPIODATA as the port reads it now, all eight pins.
    pub fn port_data(&self) -> u32 {
        self.regs.read(offset::DATA_ALL)
    }
}

impl<R: Registers> Pin<R, Input> {
    /// Makes the pin a push-pull digital output, low; the other pins of the
    /// port keep their configuration. Only this pin's bit of AFSEL, DIR and
    /// DEN changes, whatever it was before: the other pins' bits and the
    /// reserved bits 8 to 31 are written back as read (the data sheet asks
    /// that reserved bits be preserved across a read-modify-write).
    pub fn into_output(self) -> Pin<R, Output> {
        // lab:begin(into_output) drive low, then set the pin's bits in AFSEL (clear), DIR and DEN, leaving the other pins alone
        let bit = self.bit();
        // Low first, so the pin does not glitch high when it becomes an
        // output (the data latch keeps whatever it held).
        self.regs.write(offset::data_of(self.pin), 0);
        let afsel = self.regs.read(offset::AFSEL);
        self.regs.write(offset::AFSEL, afsel & !bit);
        let dir = self.regs.read(offset::DIR);
        self.regs.write(offset::DIR, dir | bit);
        let den = self.regs.read(offset::DEN);
        self.regs.write(offset::DEN, den | bit);
        self.into_mode()
        // lab:end
    }
}

impl<R: Registers> Pin<R, Output> {
    fn drive(&mut self, high: bool) {
        // lab:begin(drive) one masked write of this pin's data bit, no read-modify-write
        let value = if high { self.bit() } else { 0 };
        self.regs.write(offset::data_of(self.pin), value);
        // lab:end
    }
}

impl<R: Registers> embedded_hal::digital::ErrorType for Pin<R, Output> {
    type Error = core::convert::Infallible;
}

/// Each `set_high` and `set_low` is one masked write of the pin's data bit,
/// also when the level is the one last written: the pin keeps no copy of
/// its level, and nothing is shared between pins or ports.
impl<R: Registers> embedded_hal::digital::OutputPin for Pin<R, Output> {
    fn set_high(&mut self) -> Result<(), Self::Error> {
        self.drive(true);
        Ok(())
    }

    fn set_low(&mut self) -> Result<(), Self::Error> {
        self.drive(false);
        Ok(())
    }
}

/// Turns on port F's clock through the system-control block `sysctl`
/// (real hardware ignores a port's registers until it is clocked). A
/// read-modify-write: call it before anything else touches RCGC2.
pub fn enable_port_f_clock(sysctl: &impl Registers) {
    let rcgc2 = sysctl.read(RCGC2);
    sysctl.write(RCGC2, rcgc2 | RCGC2_GPIOF);
}
