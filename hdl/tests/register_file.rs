//! The register file against the spec's register table, in rust-hdl's simulator: every
//! register of `memfire_spec::regs::REGISTERS` that is the core's (`is_core_register`) is decoded, with
//! the table's access and reset value. A register added to the table without hardware, or
//! hardware that reads a register at another offset, fails here.

use memfire_hdl::core::{is_core_register, Geometry, RegisterFile};
use memfire_hdl::testbench::{cycle, settle};
use memfire_spec::regs::{self, Access, REGISTERS};
use rust_hdl::prelude::*;

const GEOMETRY: Geometry = Geometry {
    neurons: 1024,
    lanes: 4,
    max_width: 255,
    width_classes: 16,
    param_sets: 16,
    synapses: 1 << 14,
    history: 1 << 13,
    out_ring: 1 << 12,
    probes: 256,
    features: regs::features::NOISE | regs::features::DMA,
};

/// Values the registers show that other blocks keep, as the test drives them.
const STEP: u64 = 0x0123_4567_89AB_CDEF;
const OUT_HEAD: u32 = 0x0000_1234;
const OUT_TAIL: u32 = 0x0000_1200;

fn new_file() -> RegisterFile {
    let mut uut = RegisterFile::new(GEOMETRY);
    uut.connect_all();
    uut.idle.next = true;
    uut.step.next = STEP.into();
    uut.out_head.next = u64::from(OUT_HEAD).into();
    uut.out_tail.next = u64::from(OUT_TAIL).into();
    uut
}

fn tick(uut: &mut RegisterFile) {
    cycle(uut, |u| &mut u.clock).expect("the register file settles");
}

fn read(uut: &mut RegisterFile, offset: u32) -> u32 {
    uut.index.next = u64::from(offset / 4).into();
    uut.reg_we.next = false;
    uut.ctrl_we.next = false;
    // The index's comparisons are registered, then the word they choose.
    tick(uut);
    tick(uut);
    uut.reg_value.val().index() as u32
}

/// One register write; returns the register file's strobes of that cycle
/// (run, stop, clear, STEP_LO, STEP_HI, OUT_TAIL).
fn write(uut: &mut RegisterFile, offset: u32, value: u32) -> [bool; 6] {
    uut.index.next = u64::from(offset / 4).into();
    uut.wdata.next = u64::from(value).into();
    uut.reg_we.next = true;
    uut.ctrl_we.next = offset == regs::offset::CTRL;
    settle(uut).expect("the register file settles");
    let strobes = [
        uut.run_cmd.val(),
        uut.stop_cmd.val(),
        uut.clear.val(),
        uut.step_lo_we.val(),
        uut.step_hi_we.val(),
        uut.out_tail_we.val(),
    ];
    tick(uut);
    uut.reg_we.next = false;
    uut.ctrl_we.next = false;
    strobes
}

/// The value a read-only register reports in this test.
fn read_only_value(name: &str) -> Option<u32> {
    Some(match name {
        "ID" => regs::MAGIC,
        "VERSION" => regs::VERSION,
        "FEATURES" => GEOMETRY.features,
        "NEURONS" => GEOMETRY.neurons as u32,
        "LANES" => GEOMETRY.lanes as u32,
        "MAX_WIDTH" => GEOMETRY.max_width as u32,
        "WIDTH_CLASSES" => GEOMETRY.width_classes as u32,
        "PARAM_SETS" => GEOMETRY.param_sets as u32,
        "SYNAPSES" => GEOMETRY.synapses as u32,
        "HISTORY" => GEOMETRY.history as u32,
        "OUT_RING" => GEOMETRY.out_ring as u32,
        "PROBES" => GEOMETRY.probes as u32,
        "STEP_LO" => STEP as u32,
        "STEP_HI" => (STEP >> 32) as u32,
        "OUT_HEAD" => OUT_HEAD,
        // Counters and STATUS start at 0 (idle, nothing counted); DROPS is always 0.
        "STATUS" | "SPIKES_OUT" | "SYN_EVENTS" | "STALL_CYCLES" | "DROPS" | "SPIKES_IN" => 0,
        _ => return None,
    })
}

#[test]
fn every_core_register_of_the_spec_table_is_decoded() {
    let core: Vec<_> = REGISTERS.iter().filter(|r| is_core_register(r.offset)).collect();
    assert!(core.len() > 20, "the core's share of the table");
    for r in core {
        let mut uut = new_file();
        let at_power_up = read(&mut uut, r.offset);
        match r.access {
            Access::Ro => {
                let want = read_only_value(r.name)
                    .unwrap_or_else(|| panic!("{}: a read-only register this test does not know", r.name));
                assert_eq!(at_power_up, want, "{} reads {at_power_up:#x}", r.name);
                if r.reset != 0 {
                    assert_eq!(at_power_up, r.reset, "{}: the table's fixed value", r.name);
                }
                let strobes = write(&mut uut, r.offset, 0xFFFF_FFFF);
                assert_eq!(
                    read(&mut uut, r.offset),
                    want,
                    "{}: a write changed a read-only register",
                    r.name
                );
                let steps = [strobes[3], strobes[4]];
                assert_eq!(
                    steps,
                    [r.name == "STEP_LO", r.name == "STEP_HI"],
                    "{}: step strobes",
                    r.name
                );
            }
            Access::Rw if r.name == "OUT_TAIL" => {
                // The output ring keeps the tail: the write is its strobe; the read its value.
                assert_eq!(at_power_up, OUT_TAIL);
                assert!(write(&mut uut, r.offset, 7)[5], "OUT_TAIL's strobe");
            }
            Access::Rw => {
                assert_eq!(at_power_up, r.reset, "{}: reset value of the table", r.name);
                let value = 0x5A00_0000 | r.offset;
                let strobes = write(&mut uut, r.offset, value);
                assert_eq!(strobes, [false; 6], "{}: no other register's strobe", r.name);
                assert_eq!(read(&mut uut, r.offset), value, "{}: reads back", r.name);
            }
            Access::Wo => {
                assert_eq!(r.name, "CTRL", "the only write-only register");
                assert_eq!(at_power_up, 0);
                assert_eq!(write(&mut uut, r.offset, regs::ctrl::RUN)[..3], [true, false, false]);
                assert_eq!(
                    write(&mut uut, r.offset, regs::ctrl::FREE_RUN)[..3],
                    [true, false, false]
                );
                assert_eq!(write(&mut uut, r.offset, regs::ctrl::STOP)[..3], [false, true, false]);
                assert_eq!(write(&mut uut, r.offset, regs::ctrl::CLEAR)[..3], [false, false, true]);
                assert_eq!(read(&mut uut, r.offset), 0, "CTRL reads 0");
            }
            Access::W1c => {
                assert_eq!(at_power_up, r.reset, "{}: reset value", r.name);
                // An error raises ERRORS' bit and IRQ_STATUS.ERROR; writing the bit clears it.
                uut.bad_width.next = true;
                tick(&mut uut);
                uut.bad_width.next = false;
                let bit = if r.name == "ERRORS" {
                    regs::errors::BAD_PULSE_WIDTH
                } else {
                    regs::irq::ERROR
                };
                assert_eq!(read(&mut uut, r.offset), bit, "{}: raised", r.name);
                write(&mut uut, r.offset, !bit);
                assert_eq!(
                    read(&mut uut, r.offset),
                    bit,
                    "{}: other bits written do not clear it",
                    r.name
                );
                write(&mut uut, r.offset, bit);
                assert_eq!(read(&mut uut, r.offset), 0, "{}: cleared", r.name);
            }
        }
    }
}

#[test]
fn counters_count_their_events_and_clear_zeroes_them() {
    let mut uut = new_file();
    for _ in 0..3 {
        uut.spike_out.next = true;
        uut.syn_event_count.next = 1u64.into();
        uut.stall.next = true;
        uut.host_input.next = true;
        tick(&mut uut);
    }
    uut.spike_out.next = false;
    uut.syn_event_count.next = 0u64.into();
    uut.stall.next = false;
    uut.host_input.next = false;
    uut.dma_input.next = true;
    tick(&mut uut);
    uut.dma_input.next = false;
    for (off, want) in [
        (regs::offset::SPIKES_OUT, 3),
        (regs::offset::SYN_EVENTS, 3),
        (regs::offset::STALL_CYCLES, 3),
        (regs::offset::SPIKES_IN, 4),
    ] {
        assert_eq!(read(&mut uut, off), want, "counter at {off:#x}");
    }
    write(&mut uut, regs::offset::CTRL, regs::ctrl::CLEAR);
    for off in [
        regs::offset::SPIKES_OUT,
        regs::offset::SYN_EVENTS,
        regs::offset::STALL_CYCLES,
        regs::offset::SPIKES_IN,
    ] {
        assert_eq!(read(&mut uut, off), 0, "counter at {off:#x} after CLEAR");
    }
}

#[test]
fn the_class_count_is_checked_as_it_is_written() {
    let mut uut = new_file();
    settle(&mut uut).expect("settles");
    assert!(uut.classes_ok.val(), "the reset count (1) is valid");
    for (classes, ok) in [
        (0, false),
        (1, true),
        (GEOMETRY.width_classes as u32, true),
        (GEOMETRY.width_classes as u32 + 1, false),
    ] {
        write(&mut uut, regs::offset::CLASSES, classes);
        tick(&mut uut);
        assert_eq!(uut.classes_ok.val(), ok, "{classes} classes");
    }
}

/// The DMA engine's share of the table: every register the core's file does not keep.
#[test]
fn every_dma_register_of_the_spec_table_is_decoded() {
    use memfire_hdl::dma::DmaRegs;
    const C2H_HEAD: u32 = 0x0000_0ABC;
    const H2C_HEAD: u32 = 0x0000_0DEF;
    let dma: Vec<_> = REGISTERS.iter().filter(|r| !is_core_register(r.offset)).collect();
    assert!(dma.len() >= 15, "the DMA engine's share of the table");
    for r in dma {
        let mut uut = DmaRegs::default();
        uut.connect_all();
        uut.c2h_head.next = u64::from(C2H_HEAD).into();
        uut.h2c_head.next = u64::from(H2C_HEAD).into();
        let access = |uut: &mut DmaRegs, we: bool, value: u32| -> u32 {
            uut.index.next = u64::from(r.offset / 4).into();
            uut.wdata.next = u64::from(value).into();
            uut.we.next = we;
            cycle(uut, |u| &mut u.clock).expect("settles");
            uut.we.next = false;
            cycle(uut, |u| &mut u.clock).expect("settles");
            uut.reg_value.val().index() as u32
        };
        let at_power_up = access(&mut uut, false, 0);
        match r.access {
            Access::Ro => {
                let want = match r.name {
                    "C2H_HEAD" => C2H_HEAD,
                    "H2C_HEAD" => H2C_HEAD,
                    other => panic!("{other}: a read-only DMA register this test does not know"),
                };
                assert_eq!(at_power_up, want, "{}", r.name);
                assert_eq!(access(&mut uut, true, 0x1234), want, "{}: a write changed it", r.name);
            }
            Access::Rw => {
                assert_eq!(at_power_up, r.reset, "{}: reset value of the table", r.name);
                let value = 0x5A00_0000 | r.offset;
                assert_eq!(access(&mut uut, true, value), value, "{}: reads back", r.name);
            }
            _ => panic!("{}: the DMA engine has no {:?} registers", r.name, r.access),
        }
    }
}
