//! A lane's external-input memory read by the host at the very edge an input event writes
//! the same neuron (the DMA engine's inputs arrive while the controller checks a step, when
//! the host may read): the read must show the written word, since the block RAM it is built
//! from does not promise either word at that edge. A read a cycle later, and a read of
//! another neuron at that edge, show the memory's words.

use memfire_hdl::arith::dsp_family::DspFamily;
use memfire_hdl::lane::NeuronLane;
use memfire_hdl::testbench::cycle;
use memfire_spec::memmap::Region;
use rust_hdl::prelude::*;

const EXT: u64 = Region::Ext as u64;

/// Idle inputs: no read, no write.
fn quiet(lane: &mut NeuronLane<4>) {
    lane.issue.next = false;
    lane.wr_en.next = false;
    lane.dl_we.next = false;
    lane.coef_we.next = false;
    lane.drive_we.next = false;
    lane.sqrt_we.next = false;
}

/// The host's read of `EXT` at `read_at`, with an input event writing `word` to neuron
/// `write_at` in the cycle the read's address is given: `rd_data` six cycles later.
fn read_while_writing(lane: &mut NeuronLane<4>, read_at: u64, write_at: u64, word: u32) -> u32 {
    quiet(lane);
    lane.rd_addr.next = read_at.into();
    lane.wr_en.next = true;
    lane.wr_region.next = EXT.into();
    lane.wr_addr.next = write_at.into();
    lane.wr_data.next = u64::from(word).into();
    cycle(lane, |l| &mut l.clock).expect("settles");
    quiet(lane);
    lane.rd_region.next = EXT.into();
    for _ in 0..5 {
        cycle(lane, |l| &mut l.clock).expect("settles");
    }
    lane.rd_data.val().index() as u32
}

/// An input event's write of `word` to neuron `at` (with a read of another neuron beside it).
fn write_ext(lane: &mut NeuronLane<4>, at: u64, word: u32) {
    read_while_writing(lane, at ^ 1, at, word);
}

#[test]
fn a_host_read_of_ext_at_the_edge_of_an_input_event_shows_the_written_word() {
    let mut lane = NeuronLane::<4>::new(1, true, DspFamily::Ecp5);
    lane.connect_all();
    write_ext(&mut lane, 3, 0x1111);
    write_ext(&mut lane, 5, 0x5555);
    // (neuron read, neuron written, word written, word the read shows, what is checked)
    let reads = [
        (3, 3, 0x2222, 0x2222, "the read colliding with the write"),
        (3, 9, 0x9999, 0x2222, "the word written before"),
        (5, 3, 0x3333, 0x5555, "another neuron's word at that edge"),
        (3, 9, 0x9998, 0x3333, "the word the last write left"),
    ];
    for (read_at, write_at, word, shows, what) in reads {
        assert_eq!(read_while_writing(&mut lane, read_at, write_at, word), shows, "{what}");
    }
}
