//! `SpikeQueue`: the spikes of P lanes (up to P in one cycle) in a queue, leaving one per
//! cycle in ascending neuron order — the order of `memfire_spec::model::Model::step`, so
//! the history and the output ring read the same as with one lane.
//!
//! An entry is one group (the lanes' common address) and a mask of the lanes that fired;
//! the lowest set bit leaves first. Entries wait in a LUT RAM and move to
//! the head registers one at a time: the group, which goes on to the history and the output
//! ring, and the lanes not sent yet (`rem`), from which the pop and the next fetch are
//! decided beside it. A fetch takes a cycle, so a group with one spike leaves every other
//! cycle (the history walk, at three cycles per synapse, and the DMA engine, at four cycles
//! per spike, are slower still). The controller stops issuing groups while
//! `nearly_full`: the room left (`2^DEPTH_BITS − NEARLY_FULL` entries) exceeds the groups
//! that can be in the lanes' pipelines, so no spike is ever refused. Every output comes from
//! registers, so the controller reading them and writing `push` is no combinational loop.

use rust_hdl::prelude::*;

use crate::core::lane_shift;
use crate::lane::lane_ram::{LaneRam, RamStyle};

/// Entries the queue holds (2^6).
const DEPTH_BITS: usize = 6;
/// `nearly_full` from this many entries; 45 of room stays for the groups in flight (the
/// lanes' address register, read, input registers and the pipeline's stages).
const NEARLY_FULL: u64 = 19;
/// Groups that can be issued before `nearly_full` stops the controller: the lanes' latency,
/// the register of `push`, and two cycles of `nearly_full` (it is registered, and the
/// controller's issue reads it a cycle after the count that raised it).
const IN_FLIGHT: usize = crate::lane::LANE_FIRED_LATENCY + 3;
const _: () = assert!(
    IN_FLIGHT as u64 <= (1 << DEPTH_BITS) - NEARLY_FULL,
    "spike queue room < groups in flight"
);

#[derive(LogicBlock)]
pub struct SpikeQueue<const LB: usize, const P: usize> {
    pub clock: Signal<In, Clock>,
    /// Group `push_group` finished; bit i of `push_mask` is set when lane i fired.
    pub push: Signal<In, Bit>,
    pub push_group: Signal<In, Bits<LB>>,
    pub push_mask: Signal<In, Bits<32>>,
    /// One spike leaves every cycle `out_valid` is high (the taker cannot refuse it).
    pub out_valid: Signal<Out, Bit>,
    pub out_neuron: Signal<Out, Bits<20>>,
    pub nearly_full: Signal<Out, Bit>,
    /// Some pushed spike has not left yet.
    pub busy: Signal<Out, Bit>,

    /// Entries: mask in bits 32.., group in bits 0..20.
    /// In LUT RAM: its registered output is beside the head's logic, where a block RAM's
    /// (5.8 ns after the clock on an ECP5) could be across the die from it, and `rem`
    /// chooses between the fetched entry and its own next value.
    entries: LaneRam<Bits<64>, DEPTH_BITS>,
    /// Entries written to / fetched from `entries` (one bit wider than its address).
    wp: DFF<Bits<8>>,
    rp: DFF<Bits<8>>,
    /// A fetch was issued last cycle: `entries`'s read data is the next head.
    fetched: DFF<Bit>,
    head_valid: DFF<Bit>,
    head_group: DFF<Bits<20>>,
    /// Lanes of the head not sent yet.
    rem: DFF<Bits<32>>,
    low: Signal<Local, Bits<32>>,
    lane: Signal<Local, Bits<20>>,
    group: Signal<Local, Bits<20>>,
    pop: Signal<Local, Bit>,
    fetch: Signal<Local, Bit>,
    lane_shift: Constant<Bits<5>>,
    /// Each lane's bit and number, the highest lane first.
    lane_bit: [Constant<Bits<32>>; P],
    lane_id: [Constant<Bits<20>>; P],
    /// The P lanes' bits: an entry read from the RAM has 32 mask bits as far as synthesis
    /// knows; only P can be set.
    lanes_all: Constant<Bits<32>>,
    nearly_full_at: Constant<Bits<8>>,
    /// `nearly_full` from last cycle's count: the count's subtract and compare in front of
    /// the controller's issue (and so of every lane memory's read address) were too long.
    nearly_full_q: DFF<Bit>,
}

impl<const LB: usize, const P: usize> Default for SpikeQueue<LB, P> {
    fn default() -> Self {
        assert!(P.is_power_of_two() && P <= 32, "lanes: a power of two up to 32");
        Self {
            clock: Default::default(),
            push: Default::default(),
            push_group: Default::default(),
            push_mask: Default::default(),
            out_valid: Default::default(),
            out_neuron: Default::default(),
            nearly_full: Default::default(),
            busy: Default::default(),
            entries: LaneRam::with_style(RamStyle::Distributed),
            wp: Default::default(),
            rp: Default::default(),
            fetched: Default::default(),
            head_valid: Default::default(),
            head_group: Default::default(),
            rem: Default::default(),
            low: Default::default(),
            lane: Default::default(),
            group: Default::default(),
            pop: Default::default(),
            fetch: Default::default(),
            lane_shift: lane_shift::<P>(),
            lane_bit: core::array::from_fn(|i| Constant::new((1u64 << (P - 1 - i)).into())),
            lanes_all: Constant::new(((1u64 << P) - 1).into()),
            lane_id: core::array::from_fn(|i| Constant::new(((P - 1 - i) as u64).into())),
            nearly_full_at: Constant::new(NEARLY_FULL.into()),
            nearly_full_q: Default::default(),
        }
    }
}

impl<const LB: usize, const P: usize> Logic for SpikeQueue<LB, P> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, wp, rp, fetched, head_valid, head_group, rem, nearly_full_q);
        self.entries.read_clock.next = self.clock.val();
        self.entries.write_clock.next = self.clock.val();

        // ---- in: a group with at least one spike takes an entry ----
        self.entries.write_address.next = self.wp.q.val().get_bits::<DEPTH_BITS>(0);
        self.entries.write_data.next =
            (bit_cast::<64, 32>(self.push_mask.val()) << 32) | bit_cast::<64, LB>(self.push_group.val());
        self.entries.write_enable.next = self.push.val() & self.push_mask.val().any();
        if self.push.val() & self.push_mask.val().any() {
            self.wp.d.next = self.wp.q.val() + 1;
        }

        // ---- out: the head's lowest lane not sent yet (one-hot `low`) ----
        // The lanes from the highest down, the last match kept: P one-bit tests, where
        // `rem & −rem` would be a 32-bit carry chain in front of the pop and the fetch.
        self.low.next = bits::<32>(0);
        self.lane.next = bits::<20>(0);
        for i in 0..P {
            if (self.rem.q.val() & self.lane_bit[i].val()).any() {
                self.low.next = self.lane_bit[i].val();
                self.lane.next = self.lane_id[i].val();
            }
        }
        self.group.next = self.head_group.q.val();
        self.out_valid.next = self.head_valid.q.val();
        self.out_neuron.next = (self.group.val() << self.lane_shift.val()) | self.lane.val();
        // The head is done with its last spike.
        self.pop.next = self.head_valid.q.val() & !(self.rem.q.val() & !self.low.val()).any();
        if self.head_valid.q.val() {
            self.rem.d.next = self.rem.q.val() & !self.low.val();
        }

        // ---- the next head: fetched when the head frees and no fetch is on its way ----
        self.fetch.next =
            (!self.head_valid.q.val() | self.pop.val()) & !self.fetched.q.val() & (self.rp.q.val() != self.wp.q.val());
        self.entries.read_address.next = self.rp.q.val().get_bits::<DEPTH_BITS>(0);
        if self.fetch.val() {
            self.rp.d.next = self.rp.q.val() + 1;
        }
        self.fetched.d.next = self.fetch.val();
        // (A fetch is issued only as the head frees, so a fetched entry never meets a valid
        // head: `rem` is the new entry's lanes.)
        if self.fetched.q.val() {
            self.head_group.d.next = self.entries.read_data.val().get_bits::<20>(0);
            self.rem.d.next = self.entries.read_data.val().get_bits::<32>(32) & self.lanes_all.val();
            self.head_valid.d.next = true;
        } else if self.pop.val() {
            self.head_valid.d.next = false;
        }

        self.nearly_full_q.d.next = (self.wp.q.val() - self.rp.q.val()) >= self.nearly_full_at.val();
        self.nearly_full.next = self.nearly_full_q.q.val();
        self.busy.next = self.head_valid.q.val() | self.fetched.q.val() | (self.rp.q.val() != self.wp.q.val());
    }
}
