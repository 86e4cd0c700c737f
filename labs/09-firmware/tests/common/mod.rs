//! A fake port F: its registers in host memory with the PL061's masked
//! data semantics, and a log of every access in order.

use std::cell::RefCell;

use lab09_firmware::Registers;
use lab09_firmware::gpio::offset;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read(usize),
    Write(usize, u32),
}

#[derive(Debug, Default)]
pub struct FakePort {
    pub data: RefCell<u32>,
    pub dir: RefCell<u32>,
    pub afsel: RefCell<u32>,
    pub den: RefCell<u32>,
    pub log: RefCell<Vec<Access>>,
}

impl FakePort {
    /// The writes alone, in order. (Each test file compiles this module on
    /// its own, and `gpio.rs` has no use for it.)
    #[allow(dead_code)]
    pub fn writes(&self) -> Vec<(usize, u32)> {
        self.log
            .borrow()
            .iter()
            .filter_map(|a| match *a {
                Access::Write(o, v) => Some((o, v)),
                Access::Read(_) => None,
            })
            .collect()
    }
}

impl Registers for FakePort {
    fn read(&self, off: usize) -> u32 {
        self.log.borrow_mut().push(Access::Read(off));
        match off {
            // Address bits [9:2] mask the read.
            o if o < 0x400 => *self.data.borrow() & (o as u32 >> 2),
            offset::DIR => *self.dir.borrow(),
            offset::AFSEL => *self.afsel.borrow(),
            offset::DEN => *self.den.borrow(),
            o => panic!("read of unmodelled register {o:#x}"),
        }
    }

    fn write(&self, off: usize, value: u32) {
        self.log.borrow_mut().push(Access::Write(off, value));
        match off {
            // Only the bits the address selects, and only outputs, change.
            o if o < 0x400 => {
                let mask = (o as u32 >> 2) & *self.dir.borrow();
                let mut data = self.data.borrow_mut();
                *data = (*data & !mask) | (value & mask);
            }
            offset::DIR => *self.dir.borrow_mut() = value,
            offset::AFSEL => *self.afsel.borrow_mut() = value,
            offset::DEN => *self.den.borrow_mut() = value,
            o => panic!("write of unmodelled register {o:#x}"),
        }
    }
}
