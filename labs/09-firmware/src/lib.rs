//! Lab 09: firmware. The article's `LedDriver` (§4.3) as a sound `no_std`
//! driver over volatile MMIO, tested on the host and run on an emulated
//! Cortex-M3 (QEMU's `lm3s6965evb`, see `firmware/`).
//!
//! - [`regs`]: the register layer, [`Registers`] with [`Mmio`] (volatile
//!   reads and writes at a fixed address) behind it.
//! - [`gpio`]: port F of the LM3S6965 (PL061-style): `Port::take()` hands it
//!   out once, `Pin<R, Input>` becomes `Pin<R, Output>` by a consuming
//!   conversion, and only an output pin implements `OutputPin`.
//! - [`led`]: [`LedDriver`] over any embedded-hal 1.0 `OutputPin` and
//!   `DelayNs`, with `on`, `off`, `toggle` and `blink`; errors are returned.
#![no_std]

pub mod gpio;
pub mod led;
pub mod regs;

pub use gpio::{Input, Output, Pin, Port};
pub use led::LedDriver;
pub use regs::{Mmio, Registers};
