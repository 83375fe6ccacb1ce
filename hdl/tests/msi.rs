//! The MSI sender in rust-hdl's simulator: a rising interrupt line gives one MSI, not
//! before the link is quiet; a line that stays high gives no second one unless the host
//! writes IRQ_STATUS and the line is still high; nothing with MSI disabled.

use memfire_hdl::bridges::tlp::msi::MsiSender;
use memfire_hdl::testbench::{cycle, settle};
use rust_hdl::prelude::*;

fn new() -> MsiSender {
    let mut uut = MsiSender::default();
    uut.connect_all();
    uut.msi_enable.next = true;
    uut.link_quiet.next = true;
    uut.cfg_interrupt_rdy.next = true;
    uut
}

/// MSIs sent (requests the block took: both high at an edge) in `n` cycles.
fn run(uut: &mut MsiSender, n: usize) -> usize {
    let mut sent = 0;
    for _ in 0..n {
        settle(uut).expect("settles");
        sent += usize::from(uut.cfg_interrupt.val() && uut.cfg_interrupt_rdy.val());
        cycle(uut, |u| &mut u.clock).expect("settles");
        uut.status_write.next = false;
    }
    sent
}

#[test]
fn one_msi_per_rising_line_after_the_writes() {
    let mut uut = new();
    assert_eq!(run(&mut uut, 10), 0, "line low");
    uut.irq.next = true;
    uut.link_quiet.next = false;
    assert_eq!(run(&mut uut, 10), 0, "a write still pending");
    uut.link_quiet.next = true;
    assert_eq!(run(&mut uut, 10), 1, "rising line, link quiet");
    assert_eq!(run(&mut uut, 50), 0, "the line stays high: no second");
    uut.status_write.next = true;
    assert_eq!(run(&mut uut, 20), 1, "IRQ_STATUS written, line still high");
    uut.irq.next = false;
    assert_eq!(run(&mut uut, 5), 0);
    uut.irq.next = true;
    assert_eq!(run(&mut uut, 10), 1, "the line rose again");
    uut.irq.next = false;
    run(&mut uut, 5);
    uut.msi_enable.next = false;
    uut.irq.next = true;
    assert_eq!(run(&mut uut, 20), 0, "MSI disabled");
}

#[test]
fn a_request_waits_for_the_block() {
    let mut uut = new();
    uut.cfg_interrupt_rdy.next = false;
    uut.irq.next = true;
    assert_eq!(run(&mut uut, 10), 0);
    assert!(uut.cfg_interrupt.val(), "held until the block takes it");
    uut.cfg_interrupt_rdy.next = true;
    assert_eq!(run(&mut uut, 10), 1, "taken once");
}
