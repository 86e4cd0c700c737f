//! The register layer: word reads and writes by byte offset within one
//! peripheral's register block.
//!
//! Hand-written rather than `vcell` or `volatile-register`: it is two
//! volatile accesses, and a trait in front of them lets the same driver
//! run against [`Mmio`] (the hardware) and against a fake that records
//! every access in order (the host tests). A `&'static mut` to a register
//! struct, as the article has it, is the one thing it must not be: the
//! compiler may then treat the registers as ordinary memory, and elide,
//! merge or reorder reads and writes that the hardware needs exactly.

use core::ptr;

/// 32-bit register access by byte offset from the peripheral's base.
pub trait Registers {
    fn read(&self, offset: usize) -> u32;
    fn write(&self, offset: usize, value: u32);
}

/// A peripheral's registers on the bus, at a fixed address: every access
/// is volatile, so each one in the source is one bus transaction, in order.
#[derive(Debug)]
pub struct Mmio {
    base: usize,
}

impl Mmio {
    /// # Safety
    ///
    /// `base` is the address of a peripheral's register block that is
    /// mapped and valid for 32-bit volatile reads and writes at every
    /// offset the driver uses, and nothing else accesses it meanwhile
    /// (the port's `take()` hands it out once).
    pub const unsafe fn new(base: usize) -> Mmio {
        Mmio { base }
    }

    fn at(&self, offset: usize) -> *mut u32 {
        ptr::with_exposed_provenance_mut::<u32>(self.base + offset)
    }
}

impl Registers for Mmio {
    fn read(&self, offset: usize) -> u32 {
        // SAFETY: `new`'s contract: `base + offset` is a mapped, aligned
        // 32-bit register of this block, and volatile keeps the access.
        unsafe { ptr::read_volatile(self.at(offset)) }
    }

    fn write(&self, offset: usize, value: u32) {
        // SAFETY: as in `read`.
        unsafe { ptr::write_volatile(self.at(offset), value) }
    }
}

impl<R: Registers + ?Sized> Registers for &R {
    fn read(&self, offset: usize) -> u32 {
        (**self).read(offset)
    }

    fn write(&self, offset: usize, value: u32) {
        (**self).write(offset, value)
    }
}
