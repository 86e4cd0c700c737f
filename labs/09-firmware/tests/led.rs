//! `LedDriver` against embedded-hal-mock's pin and delay (each call
//! checked in order), and against the fake register block (every volatile
//! write in order).

mod common;

use common::FakePort;
use embedded_hal_mock::eh1::MockError;
use embedded_hal_mock::eh1::delay::{CheckedDelay, NoopDelay, Transaction as Delay};
use embedded_hal_mock::eh1::digital::{Mock as PinMock, State, Transaction as Pin};
use lab09_firmware::{LedDriver, Port};

#[test]
fn blink_3_is_on_wait_off_wait_three_times_in_order() {
    let pin = PinMock::new(&[
        Pin::set(State::High),
        Pin::set(State::Low),
        Pin::set(State::High),
        Pin::set(State::Low),
        Pin::set(State::High),
        Pin::set(State::Low),
    ]);
    let delay = CheckedDelay::new(&[
        Delay::delay_ms(100),
        Delay::delay_ms(100),
        Delay::delay_ms(100),
        Delay::delay_ms(100),
        Delay::delay_ms(100),
        Delay::delay_ms(100),
    ]);
    let mut led = LedDriver::new(pin.clone(), delay.clone());
    led.blink(3, 200).expect("the mock pin does not fail");
    assert!(!led.is_on(), "a blink ends with the LED off");
    pin.clone().done();
    delay.clone().done();
}

#[test]
fn blink_splits_an_odd_period_with_the_longer_half_off() {
    let pin = PinMock::new(&[Pin::set(State::High), Pin::set(State::Low)]);
    let delay = CheckedDelay::new(&[Delay::delay_ms(100), Delay::delay_ms(101)]);
    let mut led = LedDriver::new(pin.clone(), delay.clone());
    led.blink(1, 201).expect("no error");
    pin.clone().done();
    delay.clone().done();
}

#[test]
fn blink_stops_at_the_first_pin_error_and_returns_it() {
    let pin = PinMock::new(&[
        Pin::set(State::High),
        Pin::set(State::Low),
        Pin::set(State::High).with_error(MockError::Io(std::io::ErrorKind::BrokenPipe)),
    ]);
    let delay = CheckedDelay::new(&[Delay::delay_ms(50), Delay::delay_ms(50)]);
    let mut led = LedDriver::new(pin.clone(), delay.clone());
    let mut changes = Vec::new();
    let err = led
        .blink_with(3, 100, |_, lit| changes.push(lit))
        .expect_err("the third set fails");
    assert_eq!(
        err,
        MockError::Io(std::io::ErrorKind::BrokenPipe),
        "the pin's own error"
    );
    assert_eq!(
        changes,
        [true, false],
        "nothing is reported for the change that failed"
    );
    assert!(!led.is_on(), "the failed `on` did not count");
    pin.clone().done();
    delay.clone().done();
}

#[test]
fn switch_records_the_state_only_once_the_pin_said_ok() {
    let pin = PinMock::new(&[
        Pin::set(State::High).with_error(MockError::Io(std::io::ErrorKind::BrokenPipe)),
        Pin::set(State::High),
        Pin::set(State::Low),
        Pin::set(State::High),
    ]);
    let mut led = LedDriver::new(pin.clone(), NoopDelay::new());
    assert!(led.on().is_err());
    assert!(!led.is_on());
    led.toggle().expect("on");
    assert!(led.is_on());
    led.toggle().expect("off");
    assert!(!led.is_on());
    led.toggle().expect("on again");
    assert!(led.is_on());
    pin.clone().done();
}

/// Started while the LED is already on, a blink still begins with `on`
/// (set high) and ends off: it does not assume the LED starts off.
#[test]
fn blink_starts_with_on_even_when_the_led_already_is_on() {
    let pin = PinMock::new(&[
        Pin::set(State::High), // the `on` before the blink
        Pin::set(State::High),
        Pin::set(State::Low),
    ]);
    let delay = CheckedDelay::new(&[Delay::delay_ms(100), Delay::delay_ms(100)]);
    let mut led = LedDriver::new(pin.clone(), delay.clone());
    led.on().expect("on");
    let mut changes = Vec::new();
    led.blink_with(1, 200, |_, lit| changes.push(lit))
        .expect("no error");
    assert_eq!(changes, [true, false], "on, then off");
    assert!(!led.is_on(), "a blink ends with the LED off");
    pin.clone().done();
    delay.clone().done();
}

/// The longest period there is: its halves, `u32::MAX / 2` ms on and one
/// more off, are computed and waited without overflowing.
#[test]
fn blink_waits_the_longest_period_without_overflow() {
    let pin = PinMock::new(&[Pin::set(State::High), Pin::set(State::Low)]);
    let delay = CheckedDelay::new(&[
        Delay::delay_ms(2_147_483_647),
        Delay::delay_ms(2_147_483_648),
    ]);
    let mut led = LedDriver::new(pin.clone(), delay.clone());
    led.blink(1, u32::MAX).expect("no error");
    pin.clone().done();
    delay.clone().done();
}

/// `on` sets the state, it does not flip it: on twice is still on.
#[test]
fn switch_on_when_already_on_stays_on() {
    let pin = PinMock::new(&[
        Pin::set(State::High),
        Pin::set(State::High),
        Pin::set(State::Low),
    ]);
    let mut led = LedDriver::new(pin.clone(), NoopDelay::new());
    led.on().expect("on");
    led.on().expect("on again");
    assert!(led.is_on(), "on twice is on");
    led.toggle().expect("off");
    assert!(!led.is_on(), "so the toggle turns it off");
    pin.clone().done();
}

/// The whole stack on the fake registers: the exact volatile writes of
/// `blink(3, ..)` after the pin's configuration, and the data read back.
#[test]
fn blink_3_on_the_port_is_six_masked_writes_of_pf0() {
    let fake = FakePort::default();
    let pin = Port::new(&fake).pf0().into_output();
    fake.log.borrow_mut().clear();
    let mut led = LedDriver::new(pin, NoopDelay::new());
    let mut seen = Vec::new();
    led.blink_with(3, 10, |pin, lit| seen.push((lit, pin.port_data())))
        .expect("infallible");
    let on = (0x004, 1);
    let off = (0x004, 0);
    assert_eq!(fake.writes(), [on, off, on, off, on, off]);
    assert_eq!(
        seen,
        [
            (true, 1),
            (false, 0),
            (true, 1),
            (false, 0),
            (true, 1),
            (false, 0)
        ]
    );
}

/// A failed `on` changes nothing, also when the LED already is lit: it
/// stays recorded on, so the next `toggle` turns it off.
#[test]
fn switch_failed_on_leaves_a_lit_led_recorded_on() {
    let pin = PinMock::new(&[
        Pin::set(State::High),
        Pin::set(State::High).with_error(MockError::Io(std::io::ErrorKind::BrokenPipe)),
        Pin::set(State::Low),
    ]);
    let mut led = LedDriver::new(pin.clone(), NoopDelay::new());
    led.on().expect("on");
    assert_eq!(
        led.on(),
        Err(MockError::Io(std::io::ErrorKind::BrokenPipe)),
        "the pin's own error"
    );
    assert!(led.is_on(), "a failed `on` changes nothing");
    led.toggle().expect("off");
    assert!(!led.is_on(), "the toggle turned it off");
    pin.clone().done();
}

/// Zero cycles: no pin change, no wait, no report, and the state the
/// driver recorded before is kept (here: on).
#[test]
fn blink_of_zero_cycles_touches_nothing_and_keeps_the_state() {
    let pin = PinMock::new(&[Pin::set(State::High)]); // the `on` before the blink
    let no_waits: [Delay; 0] = [];
    let delay = CheckedDelay::new(&no_waits);
    let mut led = LedDriver::new(pin.clone(), delay.clone());
    led.on().expect("on");
    let mut changes = Vec::new();
    led.blink_with(0, 200, |_, lit| changes.push(lit))
        .expect("no error");
    assert!(changes.is_empty(), "nothing changed, nothing reported");
    assert!(led.is_on(), "the LED is still lit and recorded on");
    pin.clone().done();
    delay.clone().done();
}

/// A failed `off` stops the blink at once: the change that did not happen
/// is not reported, and the LED, lit by the `on` before, stays recorded on.
#[test]
fn blink_stops_at_a_failed_off_unreported_and_still_on() {
    let pin = PinMock::new(&[
        Pin::set(State::High),
        Pin::set(State::Low).with_error(MockError::Io(std::io::ErrorKind::BrokenPipe)),
    ]);
    let delay = CheckedDelay::new(&[Delay::delay_ms(50)]);
    let mut led = LedDriver::new(pin.clone(), delay.clone());
    let mut changes = Vec::new();
    let err = led
        .blink_with(2, 100, |_, lit| changes.push(lit))
        .expect_err("the first set low fails");
    assert_eq!(
        err,
        MockError::Io(std::io::ErrorKind::BrokenPipe),
        "the pin's own error"
    );
    assert_eq!(changes, [true], "only the `on` is reported");
    assert!(led.is_on(), "the failed `off` did not count");
    pin.clone().done();
    delay.clone().done();
}
