//! The run command's checks on the simulated board, register by register (no driver):
//! `PULSE_WIDTH` powers up at the register table's reset value, and a run with a pulse
//! width the delay ring cannot hold (0, or above `MAX_WIDTH`) is refused with
//! `ERRORS.BAD_PULSE_WIDTH` and the error interrupt, no step taken — while the longest
//! width the core supports runs.

use std::time::Duration;

use memfire_host::bus::Bus;
use memfire_sim::{SimBackend, SimOptions};
use memfire_spec::memmap::reg_addr;
use memfire_spec::regs::{self, ctrl, errors, irq, offset, status};

fn reg(bus: &mut SimBackend, off: u32) -> u32 {
    bus.read32(reg_addr(off)).expect("register read")
}

fn set(bus: &mut SimBackend, off: u32, value: u32) {
    bus.write32(reg_addr(off), value).expect("register write");
}

/// Ask for a run of `steps` steps at `width` and wait for the controller to stop.
fn run(bus: &mut SimBackend, width: u32, steps: u32) {
    set(bus, offset::ERRORS, u32::MAX);
    set(bus, offset::IRQ_STATUS, u32::MAX);
    set(bus, offset::PULSE_WIDTH, width);
    set(bus, offset::RUN_STEPS, steps);
    set(bus, offset::CTRL, ctrl::RUN);
    while reg(bus, offset::STATUS) & status::RUNNING != 0 {
        let raised = bus.wait_irq(Duration::from_secs(20)).expect("simulates");
        assert!(raised, "width {width}: the run neither ends nor fails");
    }
}

#[test]
fn a_pulse_width_the_ring_cannot_hold_is_refused_and_the_longest_runs() {
    let mut bus = SimBackend::new(SimOptions::default()).expect("sim");
    let reset = regs::at_offset(offset::PULSE_WIDTH).reset;
    assert_eq!(reg(&mut bus, offset::PULSE_WIDTH), reset, "PULSE_WIDTH after power-up");
    let max = reg(&mut bus, offset::MAX_WIDTH);
    set(&mut bus, offset::IRQ_MASK, irq::DONE | irq::ERROR);

    for bad in [0, max + 1, u32::MAX] {
        run(&mut bus, bad, 5);
        assert_eq!(
            reg(&mut bus, offset::ERRORS),
            errors::BAD_PULSE_WIDTH,
            "width {bad} (MAX_WIDTH {max}) is refused"
        );
        assert_ne!(
            reg(&mut bus, offset::IRQ_STATUS) & irq::ERROR,
            0,
            "width {bad}: error interrupt"
        );
        assert_eq!(reg(&mut bus, offset::STEP_LO), 0, "width {bad}: no step taken");
    }

    let mut steps = 0;
    for good in [max, reset] {
        run(&mut bus, good, 7);
        steps += 7;
        assert_eq!(reg(&mut bus, offset::ERRORS), 0, "width {good} runs");
        assert_eq!(reg(&mut bus, offset::STEP_LO), steps, "width {good}: every step taken");
    }
}
