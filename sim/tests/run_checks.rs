//! The run command's checks on the simulated board, register by register (no driver):
//! `CLASSES` powers up at the register table's reset value; a run with a class count the
//! core does not have (0, or above `WIDTH_CLASSES`) is refused with `ERRORS.BAD_PULSE_WIDTH`
//! and the error interrupt, no step taken; a width the history cannot hold (0, or above
//! `MAX_WIDTH`) written to the `ClassWidth` window raises the same error and is not kept —
//! while every class count and the longest width the core supports run.

use std::time::Duration;

use memfire_host::bus::Bus;
use memfire_sim::{SimBackend, SimOptions};
use memfire_spec::memmap::{reg_addr, word_addr, Region};
use memfire_spec::regs::{self, ctrl, errors, irq, offset, status};

fn reg(bus: &mut SimBackend, off: u32) -> u32 {
    bus.read32(reg_addr(off)).expect("register read")
}

fn set(bus: &mut SimBackend, off: u32, value: u32) {
    bus.write32(reg_addr(off), value).expect("register write");
}

fn clear_errors(bus: &mut SimBackend) {
    set(bus, offset::ERRORS, u32::MAX);
    set(bus, offset::IRQ_STATUS, u32::MAX);
}

/// Ask for a run of `steps` steps with `classes` width classes and wait for the
/// controller to stop.
fn run(bus: &mut SimBackend, classes: u32, steps: u32) {
    clear_errors(bus);
    set(bus, offset::CLASSES, classes);
    set(bus, offset::RUN_STEPS, steps);
    set(bus, offset::CTRL, ctrl::RUN);
    while reg(bus, offset::STATUS) & status::RUNNING != 0 {
        let raised = bus.wait_irq(Duration::from_secs(20)).expect("simulates");
        assert!(raised, "{classes} classes: the run neither ends nor fails");
    }
}

fn refused(bus: &mut SimBackend, what: &str) {
    assert_eq!(reg(bus, offset::ERRORS), errors::BAD_PULSE_WIDTH, "{what} is refused");
    assert_ne!(reg(bus, offset::IRQ_STATUS) & irq::ERROR, 0, "{what}: error interrupt");
}

#[test]
fn class_counts_and_widths_the_core_cannot_hold_are_refused_and_the_longest_runs() {
    let mut bus = SimBackend::new(SimOptions::default()).expect("sim");
    let reset = regs::at_offset(offset::CLASSES).reset;
    assert_eq!(reg(&mut bus, offset::CLASSES), reset, "CLASSES after power-up");
    let max = reg(&mut bus, offset::MAX_WIDTH);
    let classes = reg(&mut bus, offset::WIDTH_CLASSES);
    assert!(classes >= 16, "at least 16 width classes, not {classes}");
    set(&mut bus, offset::IRQ_MASK, irq::DONE | irq::ERROR);

    for bad in [0, classes + 1, u32::MAX] {
        run(&mut bus, bad, 5);
        refused(&mut bus, &format!("{bad} classes (WIDTH_CLASSES {classes})"));
        assert_eq!(reg(&mut bus, offset::STEP_LO), 0, "{bad} classes: no step taken");
    }
    for bad in [0, max + 1, u32::MAX] {
        clear_errors(&mut bus);
        bus.write32(word_addr(Region::ClassWidth, 0), bad).expect("write");
        refused(&mut bus, &format!("width {bad} (MAX_WIDTH {max})"));
    }

    let mut steps = 0;
    bus.write32(word_addr(Region::ClassWidth, 0), max).expect("write");
    for good in [reset, classes] {
        run(&mut bus, good, 7);
        steps += 7;
        assert_eq!(reg(&mut bus, offset::ERRORS), 0, "{good} classes run");
        assert_eq!(
            reg(&mut bus, offset::STEP_LO),
            steps,
            "{good} classes: every step taken"
        );
    }
}
