//! One lane's synapse bank in rust-hdl's simulator, against its lane's pending accumulator
//! modelled cycle by cycle as `NeuronLane` behaves (read address and write port registered
//! on entry, a block RAM that reads before it writes), driven as `WalkSequencer` drives it
//! (a source, its row looked up, `go` once the last row is read): random rows whose synapses
//! hit a few targets back to back, so every accumulator read misses one, two or three
//! writes still on their way and the bank's forwarding must supply them. Pulse starts add,
//! pulse ends subtract (only the walked class's); every accumulator must end at the model's
//! sum. Weights are random 14-bit codes, decoded by the bank as `weight_code::decode` does.
//! Set MEMFIRE_SEED to replay.

use memfire_hdl::core::SynapseBank;
use memfire_hdl::testbench::{cycle, settle};
use memfire_spec::memmap::{synapse_word, Region};
use memfire_spec::rng::xorshift32;
use memfire_spec::weight_code;
use rust_hdl::prelude::*;

const LB: usize = 4;
const NB: usize = 5;
const SB: usize = 9;
/// Synapses the bank holds: fewer than its 2^SB indices.
const DEPTH: usize = 300;
/// The bank's lane: its host indices start at LANE · 2^SB (synapses), LANE · 2^NB (rows).
const LANE: usize = 1;
const SOURCES: usize = 1 << NB;
/// Cycles from the host's index to the synapse word it reads (`SynapseBank::syn_rdata`).
const HOST_READ_CYCLES: usize = 6;
const TARGETS: usize = 1 << LB;

/// The lane's accumulator memory, with the registers in front of it and the one behind it.
#[derive(Default)]
struct LaneModel {
    acc: Vec<i32>,
    addr_q: usize,
    write_q: Option<(usize, i32)>,
    /// What the memory read (the address registered at the edge before last), and that
    /// word in the lane's register behind the memory: what the bank sees.
    acc_read: i32,
    acc_out: i32,
}

impl LaneModel {
    /// A rising edge: the memory reads the registered address (before it writes), then
    /// the registered write lands, then the registers take this cycle's ports.
    fn edge(&mut self, rd_addr: usize, write: Option<(usize, i32)>) {
        self.acc_out = self.acc_read;
        self.acc_read = self.acc[self.addr_q];
        if let Some((addr, value)) = self.write_q {
            self.acc[addr] = value;
        }
        self.addr_q = rd_addr;
        self.write_q = write;
    }
}

type Bank = SynapseBank<LB, NB, SB>;

fn seed() -> u32 {
    std::env::var("MEMFIRE_SEED").map_or(5, |s| s.parse().expect("MEMFIRE_SEED is a number"))
}

fn host_write(uut: &mut Bank, region: Region, index: usize, value: u32) {
    uut.host_we.next = true;
    uut.host_region.next = (region as u64).into();
    uut.host_index.next = (index as u64).into();
    uut.host_wdata.next = u64::from(value).into();
    cycle(uut, |u| &mut u.clock).expect("settles");
    uut.host_we.next = false;
}

/// One cycle of the bank and its lane; returns whether a pulse start was delivered. The
/// lane's other pending memory (the one the update takes) shows the word's complement, so a
/// bank that takes the wrong memory is seen.
fn tick(uut: &mut Bank, lane: &mut LaneModel) -> bool {
    let word = |v: i32| signed_cast(Bits::<32>::from(u64::from(v as u32)));
    let (mine, other) = (word(lane.acc_out), word(!lane.acc_out));
    let (acc0, acc1) = if uut.parity.val() { (mine, other) } else { (other, mine) };
    uut.acc0.next = acc0;
    uut.acc1.next = acc1;
    settle(uut).expect("settles");
    let rd_addr = uut.acc_rd_addr.val().index();
    let write = uut
        .acc_we
        .val()
        .then(|| (uut.acc_wr_addr.val().index(), uut.acc_value.val().index() as u32 as i32));
    let event = uut.syn_event.val();
    cycle(uut, |u| &mut u.clock).expect("settles");
    uut.go.next = false;
    lane.edge(rd_addr, write);
    event
}

#[test]
fn every_pulse_reaches_its_accumulator_through_back_to_back_writes() {
    let seed = seed();
    let mut rng = seed | 1;
    let mut draw = |n: u32| {
        rng = xorshift32(rng);
        rng % n
    };
    let mut uut = Bank::new(LANE, DEPTH);
    uut.connect_all();
    // The step's parity: which of the lane's pending memories the bank adds into.
    uut.parity.next = seed % 2 == 1;
    let mut lane = LaneModel {
        acc: vec![0; TARGETS],
        ..Default::default()
    };

    // Rows: each source's synapses go to a few targets, often the same one several times
    // in a row (the forwarding cases); each synapse has one of three width classes.
    let mut synapses: Vec<(usize, i32, u32)> = Vec::new();
    let mut rows = vec![(0usize, 0usize); SOURCES];
    for (src, row) in rows.iter_mut().enumerate() {
        let len = draw(12) as usize;
        let hot = [draw(TARGETS as u32), draw(TARGETS as u32), draw(TARGETS as u32)];
        *row = (synapses.len(), len);
        // Rows are consecutive: each is told by where it ends.
        host_write(
            &mut uut,
            Region::RowEnd,
            (LANE << NB) + src,
            (synapses.len() + len) as u32,
        );
        for _ in 0..len {
            let target = hot[draw(3) as usize] as usize;
            let code = draw(1 << weight_code::WEIGHT_CODE_BITS) as u16;
            let class = draw(3);
            let k = (LANE << SB) + synapses.len();
            host_write(&mut uut, Region::Synapse, k, synapse_word(target as u32, class, code));
            synapses.push((target, weight_code::decode(code), class));
        }
    }
    // Another lane's share of the windows is not this bank's.
    host_write(&mut uut, Region::RowEnd, 3, 11);
    assert!(synapses.len() <= DEPTH);
    // The words read back as written, six cycles after the access (the bank's input
    // register, the memory's four-cycle read, then the bank's output register).
    for k in [0, synapses.len() / 2, synapses.len() - 1] {
        uut.host_index.next = (((LANE << SB) + k) as u64).into();
        for _ in 0..HOST_READ_CYCLES {
            cycle(&mut uut, |u| &mut u.clock).expect("settles");
        }
        assert!(uut.host_hit.val(), "seed {seed}: synapse {k} is this bank's");
        let (target, weight, class) = synapses[k];
        let word = uut.syn_rdata.val().index() as u32;
        assert_eq!(
            word & 0x3FFFF,
            synapse_word(target as u32, class, 0),
            "seed {seed}: synapse {k} read back"
        );
        assert_eq!(
            weight_code::decode((word >> 18) as u16),
            weight,
            "seed {seed}: synapse {k}'s weight read back"
        );
    }

    // A read given in the cycle after a write to the same word finds the new word (the
    // bank registers both), then the word is put back.
    let last = synapses.len() - 1;
    let (target, weight, class) = synapses[last];
    let code = weight_code::encode(weight);
    for word in [synapse_word(5, 2, 0x1234), synapse_word(target as u32, class, code)] {
        host_write(&mut uut, Region::Synapse, (LANE << SB) + last, word);
        uut.host_index.next = (((LANE << SB) + last) as u64).into();
        for _ in 0..HOST_READ_CYCLES {
            cycle(&mut uut, |u| &mut u.clock).expect("settles");
        }
        let read = uut.syn_rdata.val().index() as u32;
        assert_eq!(read, word, "seed {seed}: a synapse read right after its write");
    }

    let spikes: Vec<usize> = (0..40).map(|_| draw(SOURCES as u32) as usize).collect();
    let mut expected = [0i32; TARGETS];
    let (mut events, mut want_events) = (0u32, 0u32);
    for (first, end, neg, class) in [
        (0usize, 40usize, false, 0u32),
        (10, 25, true, 1),
        (30, 31, false, 0),
        (0, 40, true, 0),
    ] {
        uut.neg.next = neg;
        uut.wclass.next = u64::from(class).into();
        for &src in &spikes[first..end] {
            let (start, len) = rows[src];
            for &(target, weight, c) in &synapses[start..start + len] {
                if !neg {
                    expected[target] = expected[target].wrapping_add(weight);
                    want_events += 1;
                } else if c == class {
                    expected[target] = expected[target].wrapping_sub(weight);
                }
            }
            // The sequencer: the source, three cycles for its row, then `go` once the last
            // row has been read.
            uut.source.next = (src as u64).into();
            uut.source_prev.next = ((src as u64).wrapping_sub(1) & 0xffff_ffff).into();
            for _ in 0..3 {
                events += u32::from(tick(&mut uut, &mut lane));
            }
            let mut waited = 0;
            while !uut.row_done.val() {
                events += u32::from(tick(&mut uut, &mut lane));
                waited += 1;
                assert!(waited < 100, "seed {seed}: a row never ends");
            }
            uut.go.next = true;
            events += u32::from(tick(&mut uut, &mut lane));
        }
        let mut waited = 0;
        while !(uut.row_done.val() && uut.empty.val()) || waited < 2 {
            events += u32::from(tick(&mut uut, &mut lane));
            waited += 1;
            assert!(waited < 100, "seed {seed}: the bank never empties");
        }
        // The last write passes the lane's write register into the RAM.
        lane.edge(0, None);
        lane.edge(0, None);
        for (t, want) in expected.iter().enumerate() {
            assert_eq!(
                lane.acc[t], *want,
                "seed {seed}: target {t}'s accumulator after the walk of {first}..{end} (neg {neg}, class {class})"
            );
        }
    }
    assert_eq!(events, want_events, "seed {seed}: pulse starts counted");
}
