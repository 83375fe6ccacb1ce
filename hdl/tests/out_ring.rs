//! The output ring in rust-hdl's simulator: a small ring (8 records) filled and drained at
//! random through many wraps of its pointers, with CTRL.CLEAR in between. Every record
//! leaves once, in order, with its step and neuron; `ready` says whether one has waited
//! since the cycle before and `short` whether a step of `active` spikes would not fit. Set
//! MEMFIRE_SEED to replay.

use std::collections::VecDeque;

use memfire_hdl::core::OutRing;
use memfire_hdl::testbench::cycle;
use memfire_spec::rng::xorshift32;
use rust_hdl::prelude::*;

const OB: usize = 3;
const SIZE: usize = 1 << OB;

fn seed() -> u32 {
    std::env::var("MEMFIRE_SEED").map_or(11, |s| s.parse().expect("MEMFIRE_SEED is a number"))
}

#[test]
fn records_leave_once_in_order_through_many_wraps() {
    let seed = seed();
    let mut rng = seed | 1;
    let mut draw = |n: u32| {
        rng = xorshift32(rng);
        rng % n
    };
    let mut uut = OutRing::<OB>::default();
    uut.connect_all();
    uut.dma_reading.next = true;
    uut.active.next = 3u64.into();
    let mut model: VecDeque<(u32, u32)> = VecDeque::new();
    let (mut step, mut popped, mut pushed) = (0u32, 0u32, 0u32);
    // The consumer reads the tail's record only once it has settled, as the DMA engine
    // does: the cycle after it first sees `ready`, and three cycles after a pop.
    let (mut ready_for, mut since_pop) = (0u32, 2u32);
    let mut held = false;
    for now in 0..20_000u32 {
        uut.push.next = false;
        uut.pop.next = false;
        uut.clear.next = false;
        if now % 5_000 == 4_999 {
            uut.clear.next = true;
            model.clear();
        } else {
            if ready_for >= 2 && since_pop >= 2 && draw(3) != 0 {
                let want = model.pop_front().expect("ready means a record waits");
                let record = uut.read_data.val();
                let got = (
                    record.get_bits::<32>(32).index() as u32,
                    record.get_bits::<32>(0).index() as u32,
                );
                assert_eq!(got, want, "seed {seed}, cycle {now}: record #{popped}");
                uut.pop.next = true;
                popped += 1;
                since_pop = 0;
            } else {
                since_pop += 1;
            }
            // Bursts and pauses, as steps fill the ring; never past its room (the
            // controller checks `short` before a step).
            if model.len() < SIZE && (now / 64) % 2 == 0 && draw(2) == 0 {
                let neuron = draw(1 << 20);
                uut.push.next = true;
                uut.push_step.next = u64::from(step).into();
                uut.push_neuron.next = u64::from(neuron).into();
                model.push_back((step, neuron));
                pushed += 1;
                step = step.wrapping_add(draw(3));
            }
        }
        cycle(&mut uut, |u| &mut u.clock).expect("the ring settles");
        let ready = uut.ready.val();
        if !uut.clear.val() {
            assert_eq!(ready, held && !model.is_empty(), "seed {seed}, cycle {now}: ready");
        }
        held = !model.is_empty();
        ready_for = if ready { ready_for + 1 } else { 0 };
        let head = uut.head.val().index() as u32;
        let tail = uut.tail.val().index() as u32;
        assert_eq!(
            head.wrapping_sub(tail) as usize,
            model.len(),
            "seed {seed}, cycle {now}: head − tail"
        );
    }
    assert!(
        pushed > 20 * SIZE as u32 && popped > 20 * SIZE as u32,
        "the pointers wrapped many times"
    );
}

#[test]
fn short_when_a_step_would_not_fit() {
    let mut uut = OutRing::<OB>::default();
    uut.connect_all();
    uut.active.next = 5u64.into();
    for filled in 0..SIZE {
        // `short` is registered from the registered room, from the registered fill: three
        // cycles after a push.
        for _ in 0..4 {
            cycle(&mut uut, |u| &mut u.clock).expect("settles");
        }
        assert_eq!(uut.short.val(), SIZE - filled < 5, "{filled} records in the ring");
        uut.push.next = true;
        cycle(&mut uut, |u| &mut u.clock).expect("settles");
        uut.push.next = false;
    }
}
