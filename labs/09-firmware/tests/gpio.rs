//! Port F's pins against a fake register block that records every access.

mod common;

use common::{Access, FakePort};
use embedded_hal::digital::OutputPin;
use lab09_firmware::Port;
use lab09_firmware::gpio::offset::{AFSEL, DATA_ALL, DEN, DIR};

const PF0_DATA: usize = 0x004;

#[test]
fn output_sets_pin_0_in_afsel_dir_and_den_and_leaves_the_other_pins() {
    let fake = FakePort::default();
    *fake.afsel.borrow_mut() = 0b1000_0001;
    *fake.dir.borrow_mut() = 0b1000_0000;
    *fake.den.borrow_mut() = 0b1000_0000;
    let _pin = Port::new(&fake).pf0().into_output();
    assert_eq!(
        *fake.afsel.borrow(),
        0b1000_0000,
        "PF0 no longer an alternate function"
    );
    assert_eq!(
        *fake.dir.borrow(),
        0b1000_0001,
        "PF0 an output, PF7 still one"
    );
    assert_eq!(*fake.den.borrow(), 0b1000_0001, "PF0 digital, PF7 still");
}

/// Each read-modify-write keeps the other bits of its own register: every
/// register here holds a different other pin, so a value carried over from
/// the register before shows.
#[test]
fn output_changes_each_register_from_its_own_bits() {
    let fake = FakePort::default();
    *fake.afsel.borrow_mut() = 0b0000_0011; // PF1 (and PF0) an alternate function
    *fake.dir.borrow_mut() = 0b0000_0100; // PF2 an output
    *fake.den.borrow_mut() = 0b0000_1000; // PF3 digital
    let _pin = Port::new(&fake).pf0().into_output();
    assert_eq!(*fake.afsel.borrow(), 0b0000_0010, "PF0 cleared, PF1 kept");
    assert_eq!(
        *fake.dir.borrow(),
        0b0000_0101,
        "PF0 set, PF2 kept, nothing from AFSEL"
    );
    assert_eq!(
        *fake.den.borrow(),
        0b0000_1001,
        "PF0 set, PF3 kept, nothing from DIR"
    );
}

#[test]
fn output_drives_low_before_the_pin_becomes_an_output() {
    let fake = FakePort::default();
    let _pin = Port::new(&fake).pf0().into_output();
    assert_eq!(
        *fake.log.borrow(),
        [
            Access::Write(PF0_DATA, 0),
            Access::Read(AFSEL),
            Access::Write(AFSEL, 0),
            Access::Read(DIR),
            Access::Write(DIR, 1),
            Access::Read(DEN),
            Access::Write(DEN, 1),
        ]
    );
}

/// Every `set_high` and `set_low` is one masked write, the same level
/// again too, and a pin's writes depend on nothing but the call: a second
/// port's pin set high after the first one's is written high as well.
/// (The only test here that drives a pin: nothing else in this binary
/// drives one meanwhile.)
#[test]
fn drive_is_one_masked_write_of_the_pins_bit_and_no_read() {
    let fake = FakePort::default();
    *fake.data.borrow_mut() = 0b0100_0000; // another pin is high: untouched
    *fake.dir.borrow_mut() = 0b0100_0000;
    let mut pin = Port::new(&fake).pf0().into_output();
    fake.log.borrow_mut().clear();
    pin.set_high().expect("infallible");
    pin.set_high().expect("infallible");
    pin.set_low().expect("infallible");
    pin.set_low().expect("infallible");
    pin.set_high().expect("infallible");
    assert_eq!(
        *fake.log.borrow(),
        [
            Access::Write(PF0_DATA, 1),
            Access::Write(PF0_DATA, 1),
            Access::Write(PF0_DATA, 0),
            Access::Write(PF0_DATA, 0),
            Access::Write(PF0_DATA, 1),
        ]
    );
    assert_eq!(pin.port_data(), 0b0100_0001);
    assert_eq!(fake.log.borrow().last(), Some(&Access::Read(DATA_ALL)));

    let other = FakePort::default();
    let mut other_pin = Port::new(&other).pf0().into_output();
    other.log.borrow_mut().clear();
    other_pin.set_high().expect("infallible");
    assert_eq!(
        *other.log.borrow(),
        [Access::Write(PF0_DATA, 1)],
        "a new pin set high after another pin was set high"
    );
    assert_eq!(*other.data.borrow(), 1, "the new pin is high");
}

/// Set, not toggled: a pin that already was a digital output (after a
/// warm reset, or a bootloader) stays one. Its AFSEL bit already is clear,
/// and clearing it again leaves the other pins' bits as they were.
#[test]
fn output_keeps_the_bits_of_a_pin_that_already_was_a_digital_output() {
    let fake = FakePort::default();
    *fake.afsel.borrow_mut() = 0b1000_0000; // PF7 an alternate function, PF0 GPIO
    *fake.dir.borrow_mut() = 0b0000_0001;
    *fake.den.borrow_mut() = 0b0000_0001;
    let _pin = Port::new(&fake).pf0().into_output();
    assert_eq!(
        *fake.afsel.borrow(),
        0b1000_0000,
        "PF0 stays GPIO, PF7 keeps its alternate function"
    );
    assert_eq!(*fake.dir.borrow(), 1, "DIR's bit toggled off");
    assert_eq!(*fake.den.borrow(), 1, "DEN's bit toggled off");
}

/// Bits 8 to 31 of AFSEL, DIR and DEN are reserved: a read-modify-write
/// writes them back as read (the data sheet asks that reserved bits be
/// preserved), so only PF0's bit changes, all 32 bits wide.
#[test]
fn output_keeps_the_reserved_upper_bits_of_each_register() {
    let fake = FakePort::default();
    *fake.afsel.borrow_mut() = 0xFFFF_FF01;
    *fake.dir.borrow_mut() = 0x1234_5600;
    *fake.den.borrow_mut() = 0xABCD_EF00;
    let _pin = Port::new(&fake).pf0().into_output();
    assert_eq!(
        *fake.afsel.borrow(),
        0xFFFF_FF00,
        "AFSEL: PF0 cleared, bits 8-31 kept"
    );
    assert_eq!(
        *fake.dir.borrow(),
        0x1234_5601,
        "DIR: PF0 set, bits 8-31 kept"
    );
    assert_eq!(
        *fake.den.borrow(),
        0xABCD_EF01,
        "DEN: PF0 set, bits 8-31 kept"
    );
}
