//! The synapse walk in rust-hdl's simulator, against lanes modelled cycle by cycle as
//! `NeuronLane` behaves (read address and write port registered on entry, block RAMs that
//! read before they write): random rows whose synapses hit a few targets back to back, so
//! every accumulator read misses one, two or three writes still on their way and the
//! walk's forwarding must supply them. Pulse starts add, pulse ends subtract; every
//! accumulator must end at the model's sum. Set MEMFIRE_SEED to replay.

use memfire_hdl::core::SynapseWalk;
use memfire_hdl::testbench::{cycle, settle};
use memfire_spec::memmap::Region;
use memfire_spec::rng::xorshift32;
use rust_hdl::prelude::*;

const LB: usize = 4;
const P: usize = 2;
const SB: usize = 9;
const NEURONS: usize = P << LB;

/// One lane's accumulator and row memories, with the registers in front of them.
#[derive(Default, Clone)]
struct LaneModel {
    acc: Vec<i32>,
    row_start: Vec<u32>,
    row_len: Vec<u32>,
    addr_q: usize,
    write_q: Option<(usize, i32)>,
    /// What the memories show (the address registered at the edge before last).
    acc_out: i32,
    row_start_out: u32,
    row_len_out: u32,
}

impl LaneModel {
    fn new() -> Self {
        let n = 1 << LB;
        LaneModel {
            acc: vec![0; n],
            row_start: vec![0; n],
            row_len: vec![0; n],
            ..Default::default()
        }
    }

    /// A rising edge: the memories read the registered address (before they write), then
    /// the registered write lands, then the registers take this cycle's ports.
    fn edge(&mut self, rd_addr: usize, write: Option<(usize, i32)>) {
        self.acc_out = self.acc[self.addr_q];
        self.row_start_out = self.row_start[self.addr_q];
        self.row_len_out = self.row_len[self.addr_q];
        if let Some((addr, value)) = self.write_q {
            self.acc[addr] = value;
        }
        self.addr_q = rd_addr;
        self.write_q = write;
    }
}

fn seed() -> u32 {
    std::env::var("MEMFIRE_SEED").map_or(5, |s| s.parse().expect("MEMFIRE_SEED is a number"))
}

fn host_write(uut: &mut SynapseWalk<LB, P, SB>, region: Region, index: usize, value: u32) {
    uut.host_we.next = true;
    uut.host_region.next = (region as u64).into();
    uut.host_index.next = (index as u64).into();
    uut.host_wdata.next = u64::from(value).into();
    cycle(uut, |u| &mut u.clock).expect("settles");
    uut.host_we.next = false;
}

#[test]
fn every_pulse_reaches_its_accumulator_through_back_to_back_writes() {
    let seed = seed();
    let mut rng = seed | 1;
    let mut draw = |n: u32| {
        rng = xorshift32(rng);
        rng % n
    };
    let mut uut = SynapseWalk::<LB, P, SB>::default();
    uut.connect_all();
    let mut lanes = vec![LaneModel::new(); P];

    // Rows: each neuron's synapses go to a few targets, often the same one several times
    // in a row (the forwarding cases) and across both lanes.
    let mut synapses: Vec<(usize, i32)> = Vec::new();
    let mut rows = vec![(0usize, 0usize); NEURONS];
    for (src, row) in rows.iter_mut().enumerate() {
        let len = draw(12) as usize;
        let hot = [draw(NEURONS as u32), draw(NEURONS as u32), draw(NEURONS as u32)];
        *row = (synapses.len(), len);
        lanes[src % P].row_start[src / P] = synapses.len() as u32;
        lanes[src % P].row_len[src / P] = len as u32;
        for _ in 0..len {
            let target = hot[draw(3) as usize] as usize;
            let weight = draw(1 << 20) as i32 - (1 << 19);
            host_write(&mut uut, Region::SynTarget, synapses.len(), target as u32);
            host_write(&mut uut, Region::SynWeight, synapses.len(), weight as u32);
            synapses.push((target, weight));
        }
    }
    assert!(synapses.len() < 1 << SB);

    // Spikes in the history; walks of pulse starts and of pulse ends over parts of it.
    let history: Vec<usize> = (0..40).map(|_| draw(NEURONS as u32) as usize).collect();
    let mut expected = [0i32; NEURONS];
    let (mut events, mut want_events) = (0u32, 0u32);
    let mut hist_out = 0u32;
    for (first, end, neg) in [(0usize, 40usize, false), (10, 25, true), (30, 31, false), (0, 40, true)] {
        for &src in &history[first..end] {
            let (start, len) = rows[src];
            for &(target, weight) in &synapses[start..start + len] {
                expected[target] = expected[target].wrapping_add(if neg { -weight } else { weight });
                want_events += u32::from(!neg);
            }
        }
        uut.start.next = true;
        uut.first_entry.next = (first as u64).into();
        uut.end_entry.next = (end as u64).into();
        uut.neg.next = neg;
        let mut done = false;
        for _ in 0..100_000u32 {
            uut.hist_data.next = u64::from(hist_out).into();
            for (i, lane) in lanes.iter().enumerate() {
                uut.acc[i].next = signed_cast(Bits::<32>::from(u64::from(lane.acc_out as u32)));
                uut.row_start[i].next = u64::from(lane.row_start_out).into();
                uut.row_len[i].next = u64::from(lane.row_len_out).into();
            }
            // The walk's ports this cycle, then the edge for it and for the models.
            settle(&mut uut).expect("settles");
            let rd_addr = if uut.lane_rd_own.val() {
                uut.lane_rd_addr.val().index()
            } else {
                0
            };
            let write = uut
                .acc_we
                .val()
                .then(|| (uut.acc_neuron.val().index(), uut.acc_value.val().index() as u32 as i32));
            events += u32::from(uut.syn_event.val());
            done = uut.done.val();
            let hist_addr = uut.hist_addr.val().index();
            cycle(&mut uut, |u| &mut u.clock).expect("settles");
            uut.start.next = false;
            hist_out = history.get(hist_addr).copied().unwrap_or(0) as u32;
            for (i, lane) in lanes.iter_mut().enumerate() {
                lane.edge(rd_addr, write.filter(|&(n, _)| n % P == i).map(|(n, v)| (n / P, v)));
            }
            if done {
                break;
            }
        }
        assert!(done, "seed {seed}: the walk of entries {first}..{end} never finished");
        // The last write passes the lanes' write register into the RAM.
        for lane in lanes.iter_mut() {
            lane.edge(0, None);
        }
        for n in 0..NEURONS {
            assert_eq!(
                lanes[n % P].acc[n / P],
                expected[n],
                "seed {seed}: neuron {n}'s accumulator after the walk of {first}..{end} (neg {neg})"
            );
        }
    }
    assert_eq!(events, want_events, "seed {seed}: pulse starts counted");
}
