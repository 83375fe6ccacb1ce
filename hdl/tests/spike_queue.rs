//! The spike queue in rust-hdl's simulator: groups of P lanes finish with random spike masks
//! (dense bursts, sparse stretches, empty groups), pushed while the queue is not nearly
//! full plus the groups the lanes (`LANE_FIRED_LATENCY` cycles) still have in flight, exactly as
//! the core does. Every spike must leave once, in ascending neuron order, and `busy` must
//! stay high until the last one left. Set MEMFIRE_SEED to replay.

use std::collections::VecDeque;

use memfire_hdl::lane::spike_queue::SpikeQueue;
use memfire_hdl::lane::LANE_FIRED_LATENCY;
use memfire_hdl::testbench::cycle;
use memfire_spec::rng::xorshift32;
use rust_hdl::prelude::*;

/// Cycles from the controller issuing a group to its spikes reaching the queue.
const IN_FLIGHT: usize = LANE_FIRED_LATENCY;

fn run<const P: usize>(seed: u32, groups: u32) {
    let mut uut = SpikeQueue::<10, P>::default();
    uut.connect_all();
    let mut rng = seed | 1;
    let mut draw = |n: u32| {
        rng = xorshift32(rng);
        rng % n
    };
    // Groups issued and not yet out of the "pipeline": (cycle it leaves, group, mask).
    let mut pipeline: VecDeque<(u64, u32, u32)> = VecDeque::new();
    let mut want = Vec::new();
    let mut got = Vec::new();
    let mut issued = 0;
    let mut now = 0u64;
    let all = if P == 32 { u32::MAX } else { (1u32 << P) - 1 };
    while issued < groups || !pipeline.is_empty() || uut.busy.val() {
        assert!(now < 200_000, "seed {seed}, P {P}: the queue never drained");
        // Dense bursts (every lane fires), sparse stretches and empty groups.
        if issued < groups && !uut.nearly_full.val() {
            let mask = match (issued / 40) % 3 {
                0 => all,
                1 => draw(1 << P.min(16)) & all,
                _ => u32::from(draw(8) == 0) << draw(P as u32),
            };
            for lane in 0..P as u32 {
                if mask & (1 << lane) != 0 {
                    want.push(issued * P as u32 + lane);
                }
            }
            pipeline.push_back((now + IN_FLIGHT as u64, issued, mask));
            issued += 1;
        }
        uut.push.next = false;
        if pipeline.front().is_some_and(|&(at, _, _)| at == now) {
            let (_, group, mask) = pipeline.pop_front().expect("front");
            uut.push.next = true;
            uut.push_group.next = u64::from(group).into();
            uut.push_mask.next = u64::from(mask).into();
        }
        cycle(&mut uut, |u| &mut u.clock).expect("settles");
        if uut.out_valid.val() {
            got.push(uut.out_neuron.val().index() as u32);
        }
        now += 1;
    }
    assert_eq!(got.len(), want.len(), "seed {seed}, P {P}: spikes in and out");
    if let Some(i) = got.iter().zip(&want).position(|(a, b)| a != b) {
        panic!(
            "seed {seed}, P {P}: spike #{i} is neuron {}, expected {}",
            got[i], want[i]
        );
    }
}

fn seed() -> u32 {
    std::env::var("MEMFIRE_SEED").map_or(7, |s| s.parse().expect("MEMFIRE_SEED is a number"))
}

#[test]
fn every_spike_leaves_once_in_neuron_order() {
    let seed = seed();
    run::<1>(seed, 300);
    run::<2>(seed, 300);
    run::<4>(seed, 300);
    run::<8>(seed, 200);
}
