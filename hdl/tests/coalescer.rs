//! The DMA interrupt coalescer in rust-hdl's simulator: one interrupt per `count`
//! completions, one `cycles` after the first unannounced completion, one at once for a
//! completion that asks for it, and none lost or doubled across random traffic (every
//! completion is announced by one interrupt, or, without an age limit, waits with fewer than
//! `count` others). Set MEMFIRE_SEED to replay.

use memfire_hdl::dma::Coalescer;
use memfire_hdl::testbench::cycle;
use memfire_spec::rng::xorshift32;
use rust_hdl::prelude::*;

fn new(count: u32, cycles: u32) -> Coalescer {
    let mut uut = Coalescer::default();
    uut.connect_all();
    uut.count.next = u64::from(count).into();
    uut.cycles.next = u64::from(cycles).into();
    uut
}

/// One cycle with a completion or not; whether the interrupt fired in it.
fn step(uut: &mut Coalescer, completed: bool, asks: bool) -> bool {
    uut.completed.next = completed;
    uut.completed_irq.next = completed && asks;
    cycle(uut, |u| &mut u.clock).expect("settles");
    uut.completed.next = false;
    uut.completed_irq.next = false;
    uut.irq.val()
}

/// Cycles (after the completions of `pattern`) until the interrupt; `None` within 100.
fn first_irq(uut: &mut Coalescer, pattern: &[(bool, bool)]) -> Option<usize> {
    let mut fired = None;
    for (i, &(c, a)) in pattern.iter().enumerate() {
        if step(uut, c, a) && fired.is_none() {
            fired = Some(i);
        }
    }
    for i in 0..100 {
        if fired.is_some() {
            break;
        }
        if step(uut, false, false) {
            fired = Some(pattern.len() + i);
        }
    }
    fired
}

#[test]
fn count_age_and_asked_for_interrupts() {
    // Four completions with count 4: the interrupt follows the fourth (decided from registers).
    let mut uut = new(4, 0);
    let fired = first_irq(&mut uut, &[(true, false); 4]);
    assert!(fired.is_some_and(|i| (4..=6).contains(&i)), "count 4: {fired:?}");
    // Three with count 4 and no age limit: none.
    let mut uut = new(4, 0);
    assert_eq!(first_irq(&mut uut, &[(true, false); 3]), None, "three of four");
    // Count 0 counts as 1.
    let mut uut = new(0, 0);
    assert!(first_irq(&mut uut, &[(true, false)]).is_some_and(|i| i <= 3), "count 0");
    // One completion, count 100, age 20: after about 20 cycles.
    let mut uut = new(100, 20);
    let fired = first_irq(&mut uut, &[(true, false)]);
    assert!(fired.is_some_and(|i| (20..=24).contains(&i)), "age 20: {fired:?}");
    // A completion that asks: at once, whatever the count.
    let mut uut = new(100, 0);
    assert!(first_irq(&mut uut, &[(true, true)]).is_some_and(|i| i <= 3), "DESC_IRQ");
}

#[test]
fn every_completion_is_announced_once() {
    let seed = std::env::var("MEMFIRE_SEED").map_or(3, |s| s.parse().expect("MEMFIRE_SEED is a number"));
    let mut rng = seed | 1;
    let mut draw = |n: u32| {
        rng = xorshift32(rng);
        rng % n
    };
    for (count, cycles) in [(1, 0), (3, 0), (5, 17), (64, 9), (0, 0)] {
        let mut uut = new(count, cycles);
        // Completions not yet announced, in the coalescer's view: an interrupt announces
        // every completion before the cycle it fires in.
        let (mut unannounced, mut completions, mut irqs) = (0u32, 0u32, 0u32);
        for now in 0..5_000 {
            let completed = now < 4_500 && draw(4) == 0;
            let asks = draw(16) == 0;
            let pending_before = unannounced;
            if step(&mut uut, completed, asks) {
                assert!(
                    pending_before > 0,
                    "seed {seed}, count {count}: an interrupt with nothing pending"
                );
                irqs += 1;
                unannounced = 0;
            }
            unannounced += u32::from(completed);
            completions += u32::from(completed);
        }
        assert!(irqs > 0 && completions > 0);
        if cycles != 0 || count <= 1 {
            assert_eq!(
                unannounced, 0,
                "seed {seed}, count {count}, cycles {cycles}: completions never announced"
            );
        } else {
            // Without an age limit, fewer than `count` may wait for the next completion.
            assert!(unannounced < count, "seed {seed}, count {count}: {unannounced} waiting");
        }
        if count > 1 && cycles == 0 {
            assert!(
                irqs < completions,
                "seed {seed}, count {count}: interrupts were coalesced"
            );
        }
    }
}
