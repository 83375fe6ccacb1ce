//! `SpikeHistory`: the spikes of the last steps, so their pulses can end, and the pulse
//! width of each width class.
//!
//! The spikes enter a block RAM ring of 2^HB neuron numbers in the order they leave the
//! spike queue; two rings of 2^WB words, indexed by step mod 2^WB, keep where each step's
//! spikes start in it and how many there are. A step's pulse starts are the entries from
//! `step_start` to the write pointer. The pulses of class `c` that end at step t are those
//! of the spikes of step t − width[c]: for the class the controller selects, the block reads
//! that step's first entry and count (`class_first`, `class_due`), whether the step has
//! come (`class_reached`) and whether it has pulse ends to walk (`class_ends`: it has come
//! and had spikes), each registered, `SETTLE` cycles after the selection changes.
//! Class 0 is the widest (the host orders them so): once its ends are walked, the entries of
//! step t − width[0] and before are free (`consume`). Pulses are up to 2^WB − 1 steps long.
//!
//! The three rings are built without logic for a read of the word being written at the same
//! edge (`LaneRam`'s `no_rw_check`), so each block RAM's output reaches its register
//! directly, because no such read happens: the count rings are read at step − width and
//! written at step, and a width is 1..=2^WB − 1 (the table starts at 1 and refuses 0); the
//! spike ring is written at the write pointer and read only at entries of this step's or
//! earlier steps' spikes not yet freed, which are fewer than 2^HB behind it (a step starts
//! only with room for every neuron to fire, counted before that step frees any).

use memfire_spec::memmap::Region;
use rust_hdl::prelude::*;

use super::{region, word};
use crate::lane::lane_ram::LaneRam;

/// Cycles from a change of `class` until `class_first`, `class_due`, `class_reached` and
/// `class_ends` are that class's: the width table's read, the width's register, the count
/// rings' read, their registers (the counts' in their block RAM), and `class_ends`' own
/// register after the count's, so the test of an 18-bit count for zero starts at the
/// block's output and the controller's choice at one flip-flop.
pub const SETTLE: u64 = 5;

#[derive(LogicBlock)]
pub struct SpikeHistory<const HB: usize, const WB: usize, const CB: usize> {
    pub clock: Signal<In, Clock>,
    /// A spike of this step (one a cycle, from the spike queue).
    pub push: Signal<In, Bit>,
    pub push_neuron: Signal<In, Bits<20>>,
    pub step: Signal<In, Bits<64>>,
    /// The width class whose ending pulses are looked up.
    pub wclass: Signal<In, Bits<CB>>,
    /// A step's update begins: its spikes start at the write pointer.
    pub step_begin: Signal<In, Bit>,
    /// Its update is over: write where its spikes start and how many there are.
    pub count_write: Signal<In, Bit>,
    /// The widest class's ending pulses are being walked: free their entries.
    pub consume: Signal<In, Bit>,
    pub clear: Signal<In, Bit>,
    /// Neurons updated per step: the history must have room for all of them to fire.
    pub active: Signal<In, Bits<32>>,
    /// The walk's read address (an entry index; the ring's address is its low HB bits);
    /// its entry is in `read_data` two cycles later (the ring's read, then a register
    /// beside it: a block RAM's output is late, and the walk is across the die).
    pub rd_addr: Signal<In, Bits<32>>,
    /// The host's bus: the `ClassWidth` window (write only).
    pub host_region: Signal<In, Bits<5>>,
    pub host_index: Signal<In, Bits<20>>,
    pub host_wdata: Signal<In, Bits<32>>,
    pub host_we: Signal<In, Bit>,
    pub read_data: Signal<Out, Bits<32>>,
    pub write_ptr: Signal<Out, Bits<32>>,
    pub step_start: Signal<Out, Bits<32>>,
    /// The selected class's ending pulses: the first entry and count of the spikes of
    /// step − width, and whether step ≥ width (all registered).
    pub class_first: Signal<Out, Bits<32>>,
    pub class_due: Signal<Out, Bits<32>>,
    pub class_reached: Signal<Out, Bit>,
    pub class_ends: Signal<Out, Bit>,
    /// The host wrote a width of 0 or above 2^WB − 1 (ignored), a cycle after the write.
    pub width_refused: Signal<Out, Bit>,
    /// Less room than a step can fill (registered, as `OutRing::short`).
    pub short: Signal<Out, Bit>,

    /// Neuron numbers (20 bits, as `push_neuron`), and each step's count of them (at most
    /// 2^HB, so HB + 1 bits): no wider than they need, as they are block RAM.
    ram: LaneRam<Bits<20>, HB>,
    read_q: DFF<Bits<20>>,
    starts: LaneRam<Bits<32>, WB>,
    counts: LaneRam<Bits<18>, WB>,
    widths: RAM<Bits<16>, CB>,
    wp: DFF<Bits<32>>,
    rp: DFF<Bits<32>>,
    start: DFF<Bits<32>>,
    width_r: DFF<Bits<16>>,
    first_r: DFF<Bits<32>>,
    due_r: DFF<Bits<32>>,
    reached_r: DFF<Bit>,
    ends_r: DFF<Bit>,
    /// Entries in the ring (wp − rp), registered so the room check is one subtraction
    /// and a compare. The pointers settle at least two cycles before the controller
    /// reads the check (rp and wp move before a step's last phase ends), so the late check
    /// is exact.
    used: DFF<Bits<32>>,
    /// `k_size − active` and whether `active` exceeds `k_size`, registered, so the check is
    /// `used` against a register: `active` changes only by a host write while idle, bus
    /// accesses before a step's check reads `short`.
    limit: DFF<Bits<32>>,
    over: DFF<Bit>,
    short_r: DFF<Bit>,
    width_write: Signal<Local, Bit>,
    width_ok: Signal<Local, Bit>,
    /// The host's width write, registered before it reaches the widths' memory (LUT RAM):
    /// its check (a 32-bit comparison of the bus word) and the memory's write enable each
    /// get a cycle. Widths are written while the core is idle and read once a step starts.
    width_wa: DFF<Bits<CB>>,
    width_wd: DFF<Bits<16>>,
    width_we: DFF<Bit>,
    /// A refused width write, registered on its way to the register file's error flags.
    width_refused_r: DFF<Bit>,
    k_size: Constant<Bits<32>>,
    k_max_width: Constant<Bits<32>>,
    zero: Constant<Bits<32>>,
    g_class_width: Constant<Bits<5>>,
}

impl<const HB: usize, const WB: usize, const CB: usize> Default for SpikeHistory<HB, WB, CB> {
    fn default() -> Self {
        assert!(WB <= 16 && CB <= 8, "widths are 16-bit words; classes an 8-bit field");
        assert!(HB <= 17, "a step's count of ring entries is an 18-bit word");
        Self {
            clock: Default::default(),
            push: Default::default(),
            push_neuron: Default::default(),
            step: Default::default(),
            wclass: Default::default(),
            step_begin: Default::default(),
            count_write: Default::default(),
            consume: Default::default(),
            clear: Default::default(),
            active: Default::default(),
            rd_addr: Default::default(),
            host_region: Default::default(),
            host_index: Default::default(),
            host_wdata: Default::default(),
            host_we: Default::default(),
            read_data: Default::default(),
            write_ptr: Default::default(),
            step_start: Default::default(),
            class_first: Default::default(),
            class_due: Default::default(),
            class_reached: Default::default(),
            class_ends: Default::default(),
            width_refused: Default::default(),
            short: Default::default(),
            ram: Default::default(),
            read_q: Default::default(),
            starts: Default::default(),
            counts: Default::default(),
            // Every class one step wide until the host says otherwise.
            widths: RAM::new((0..1u64 << CB).map(|c| (c.into(), 1u64.into())).collect()),
            wp: Default::default(),
            rp: Default::default(),
            start: Default::default(),
            width_r: Default::default(),
            first_r: Default::default(),
            due_r: Default::default(),
            reached_r: Default::default(),
            ends_r: Default::default(),
            used: Default::default(),
            limit: Default::default(),
            over: Default::default(),
            short_r: Default::default(),
            width_write: Default::default(),
            width_ok: Default::default(),
            width_wa: Default::default(),
            width_wd: Default::default(),
            width_we: Default::default(),
            width_refused_r: Default::default(),
            k_size: word(1 << HB),
            k_max_width: word((1 << WB) - 1),
            zero: word(0),
            g_class_width: region(Region::ClassWidth),
        }
    }
}

impl<const HB: usize, const WB: usize, const CB: usize> Logic for SpikeHistory<HB, WB, CB> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            wp,
            rp,
            start,
            width_r,
            first_r,
            due_r,
            reached_r,
            ends_r,
            used,
            limit,
            over,
            short_r,
            read_q,
            width_wa,
            width_wd,
            width_we,
            width_refused_r
        );
        self.ram.read_clock.next = self.clock.val();
        self.ram.write_clock.next = self.clock.val();
        self.starts.read_clock.next = self.clock.val();
        self.starts.write_clock.next = self.clock.val();
        self.counts.read_clock.next = self.clock.val();
        self.counts.write_clock.next = self.clock.val();
        self.widths.read_clock.next = self.clock.val();
        self.widths.write_clock.next = self.clock.val();
        self.read_q.d.next = self.ram.read_data.val();
        self.read_data.next = bit_cast::<32, 20>(self.read_q.q.val());
        self.write_ptr.next = self.wp.q.val();
        self.step_start.next = self.start.q.val();
        self.class_first.next = self.first_r.q.val();
        self.class_due.next = self.due_r.q.val();
        self.class_reached.next = self.reached_r.q.val();
        self.class_ends.next = self.ends_r.q.val();
        self.short.next = self.short_r.q.val();

        // ---- the spikes ----
        self.ram.read_address.next = self.rd_addr.val().get_bits::<HB>(0);
        self.ram.write_address.next = self.wp.q.val().get_bits::<HB>(0);
        self.ram.write_data.next = self.push_neuron.val();
        self.ram.write_enable.next = self.push.val();
        if self.push.val() {
            self.wp.d.next = self.wp.q.val() + 1;
        }
        if self.step_begin.val() {
            self.start.d.next = self.wp.q.val();
        }

        // ---- each step's first entry and count ----
        self.starts.write_address.next = self.step.val().get_bits::<WB>(0);
        self.counts.write_address.next = self.step.val().get_bits::<WB>(0);
        self.starts.write_data.next = self.start.q.val();
        self.counts.write_data.next = bit_cast::<18, 32>(self.wp.q.val() - self.start.q.val());
        self.starts.write_enable.next = self.count_write.val();
        self.counts.write_enable.next = self.count_write.val();

        // ---- the selected class: its width, then its step's entries ----
        self.width_write.next = self.host_we.val() & (self.host_region.val() == self.g_class_width.val());
        self.width_ok.next = (self.host_wdata.val() != 0) & (self.host_wdata.val() <= self.k_max_width.val());
        self.width_wa.d.next = self.host_index.val().get_bits::<CB>(0);
        self.width_wd.d.next = self.host_wdata.val().get_bits::<16>(0);
        self.width_we.d.next = self.width_write.val() & self.width_ok.val();
        self.widths.write_address.next = self.width_wa.q.val();
        self.widths.write_data.next = self.width_wd.q.val();
        self.widths.write_enable.next = self.width_we.q.val();
        self.width_refused_r.d.next = self.width_write.val() & !self.width_ok.val();
        self.width_refused.next = self.width_refused_r.q.val();
        self.widths.read_address.next = self.wclass.val();
        self.width_r.d.next = self.widths.read_data.val();
        self.starts.read_address.next = self.step.val().get_bits::<WB>(0) - self.width_r.q.val().get_bits::<WB>(0);
        self.counts.read_address.next = self.step.val().get_bits::<WB>(0) - self.width_r.q.val().get_bits::<WB>(0);
        self.first_r.d.next = self.starts.read_data.val();
        self.due_r.d.next = bit_cast::<32, 18>(self.counts.read_data.val());
        self.reached_r.d.next = self.step.val() >= bit_cast::<64, 16>(self.width_r.q.val());
        self.ends_r.d.next = self.reached_r.q.val() & self.due_r.q.val().any();

        // ---- room ----
        if self.consume.val() {
            self.rp.d.next = self.first_r.q.val() + self.due_r.q.val();
        }
        if self.clear.val() {
            self.wp.d.next = self.zero.val();
            self.rp.d.next = self.zero.val();
        }
        self.used.d.next = self.wp.q.val() - self.rp.q.val();
        // (k_size − used < active, as used ≤ k_size.)
        self.limit.d.next = self.k_size.val() - self.active.val();
        self.over.d.next = self.active.val() > self.k_size.val();
        self.short_r.d.next = self.over.q.val() | (self.used.q.val() > self.limit.q.val());
    }
}
