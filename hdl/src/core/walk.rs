//! `SynapseWalk`: delivers the pulses of a run of spike-history entries. For each entry
//! (a spiking neuron), it looks up the neuron's synapse row in its lane (row start and
//! length), then reads the row's synapses one a cycle and adds each weight (pulse start)
//! or subtracts it (pulse end, `neg`) to the target's accumulator in the target's lane.
//!
//! A walk of pulse ends is for one width class: a synapse of another class goes no further
//! than its register (its pulse ends in another walk, at its own width's step).
//!
//! Per synapse, six steps, each a cycle: read the synapse memories; register the synapse
//! (`syn_rd`); give its target's address to the lanes (`tgt_got`); the lanes' address
//! register holds it and the accumulator is read (`acc_addr`); register the accumulator,
//! the signed weight and the forwarding choice (`acc_rd`); add and write back (`acc_got`).
//! Every block RAM's output goes into a register before it is used (an ECP5 DP16KD's
//! output comes ~5.6 ns into a 10 ns cycle), and the adder has a cycle of its own.
//!
//! A read misses the three accumulator writes given before it (one still in the write
//! step, one in its lane's write register, one landing at the edge of the read, which the
//! RAM reads first), so the newest of those to the same target is forwarded instead.

use memfire_spec::memmap::{Region, SYN_CLASS_SHIFT};
use rust_hdl::prelude::*;

use super::{lane_ids, lane_mask, lane_shift, region};

#[derive(Copy, Clone, Debug, PartialEq, Eq, LogicState)]
pub enum WalkPhase {
    Idle,
    /// Read the history entry, then register it (`row_src`).
    Hist,
    HistQ,
    /// Give the entry's address in its lane to the lanes; they register it; their row
    /// memories read it.
    Row,
    RowQ,
    Row2,
    /// The row's length is in `syn_left`; `syn_more` is set from it.
    Len,
    /// The row's synapses, one a cycle.
    Syn,
}

#[derive(LogicBlock)]
pub struct SynapseWalk<const LB: usize, const P: usize, const SB: usize> {
    pub clock: Signal<In, Clock>,
    /// Walk the history entries `first_entry..end_entry`, ending pulses if `neg` (a pulse for each
    /// synapse of the entries' rows); `done` is high in the walk's last cycle.
    pub start: Signal<In, Bit>,
    pub first_entry: Signal<In, Bits<32>>,
    pub end_entry: Signal<In, Bits<32>>,
    pub neg: Signal<In, Bit>,
    /// With `neg`: only the synapses of this width class.
    pub wclass: Signal<In, Bits<8>>,
    pub done: Signal<Out, Bit>,
    /// The history entry read (the address given two cycles before).
    pub hist_addr: Signal<Out, Bits<32>>,
    pub hist_data: Signal<In, Bits<32>>,
    /// Each lane's row start, row length and accumulator at the address it registered.
    pub row_start: [Signal<In, Bits<32>>; P],
    pub row_len: [Signal<In, Bits<32>>; P],
    pub acc: [Signal<In, Signed<32>>; P],
    /// The walk addresses the lanes' read port (a row lookup, or a target's accumulator).
    pub lane_rd_own: Signal<Out, Bit>,
    pub lane_rd_addr: Signal<Out, Bits<LB>>,
    /// Accumulator write: target neuron and its new value (Q2.22).
    pub acc_we: Signal<Out, Bit>,
    pub acc_neuron: Signal<Out, Bits<32>>,
    pub acc_value: Signal<Out, Bits<32>>,
    /// A pulse start was delivered (counted in SYN_EVENTS).
    pub syn_event: Signal<Out, Bit>,
    /// The host's bus: the synapse windows (written while idle, read any time).
    pub host_region: Signal<In, Bits<5>>,
    pub host_index: Signal<In, Bits<20>>,
    pub host_wdata: Signal<In, Bits<32>>,
    pub host_we: Signal<In, Bit>,
    pub target_rdata: Signal<Out, Bits<32>>,
    pub weight_rdata: Signal<Out, Bits<32>>,

    syn_target: RAM<Bits<32>, SB>,
    syn_weight: RAM<Signed<32>, SB>,
    phase: DFF<WalkPhase>,
    /// The entry walked, the end of the run, the direction.
    idx: DFF<Bits<32>>,
    end_r: DFF<Bits<32>>,
    neg_r: DFF<Bit>,
    class_r: DFF<Bits<8>>,
    /// The row walked is the run's last (`idx + 1 == end`, set before its synapses), and
    /// the pipeline is empty with no synapse left to read (from last cycle's flags): both
    /// registered, so the walk's end is a choice among registers.
    last: DFF<Bit>,
    drained: DFF<Bit>,
    /// The history entry (registered from the history RAM before it addresses the lanes),
    /// and its lane (kept for the cycle the lanes' row words come).
    row_src: DFF<Bits<32>>,
    row_lane: DFF<Bits<32>>,
    /// The synapse to read next, and how many of the row are left (a count down, so no
    /// add follows the row memories); `syn_more` = `syn_left ≠ 0`, kept beside it.
    syn_k: DFF<Bits<32>>,
    syn_left: DFF<Bits<32>>,
    syn_more: DFF<Bit>,
    /// The synapse read: its target (the class bits cleared) and width class.
    tgt: DFF<Bits<32>>,
    tgt_class: DFF<Bits<8>>,
    weight: DFF<Signed<32>>,
    /// Which of the six steps hold a synapse.
    syn_rd: DFF<Bit>,
    tgt_got: DFF<Bit>,
    acc_addr: DFF<Bit>,
    acc_rd: DFF<Bit>,
    acc_got: DFF<Bit>,
    /// The address step's target and signed weight (`a_*`), then the read step's (`r_*`),
    /// then the write step's (`w_*`, with the accumulator read).
    a_tgt: DFF<Bits<32>>,
    a_delta: DFF<Signed<32>>,
    r_tgt: DFF<Bits<32>>,
    r_delta: DFF<Signed<32>>,
    w_tgt: DFF<Bits<32>>,
    w_acc: DFF<Signed<32>>,
    w_delta: DFF<Signed<32>>,
    /// The write step takes `last_acc` (fwd1), `last_acc2` (fwd2) or `last_acc3` (fwd3)
    /// instead of what the read found, the newest first.
    fwd1: DFF<Bit>,
    fwd2: DFF<Bit>,
    fwd3: DFF<Bit>,
    /// Accumulator writes given last cycle (`acc_wrote`, `last_tgt`, `last_acc`), the
    /// cycle before (`acc_wrote2`, `last_tgt2`, `last_acc2`) and the one before that
    /// (`last_acc3`).
    acc_wrote: DFF<Bit>,
    acc_wrote2: DFF<Bit>,
    last_tgt: DFF<Bits<32>>,
    last_tgt2: DFF<Bits<32>>,
    last_acc: DFF<Signed<32>>,
    last_acc2: DFF<Signed<32>>,
    last_acc3: DFF<Signed<32>>,
    /// Neuron numbers shifted down to addresses in their lane (Verilog cannot slice an
    /// expression, so each shift is a signal of its own).
    row_shifted: Signal<Local, Bits<32>>,
    tgt_shifted: Signal<Local, Bits<32>>,
    row_start_sel: Signal<Local, Bits<32>>,
    row_len_sel: Signal<Local, Bits<32>>,
    acc_sel: Signal<Local, Signed<32>>,
    /// The target's accumulator (forwarded when written in the last three cycles), and
    /// its new value.
    acc_now: Signal<Local, Signed<32>>,
    acc_new: Signal<Local, Signed<32>>,
    lane_shift: Constant<Bits<5>>,
    lane_mask: Constant<Bits<32>>,
    lane_id: [Constant<Bits<32>>; P],
    k_target_mask: Constant<Bits<32>>,
    g_syn_target: Constant<Bits<5>>,
    g_syn_weight: Constant<Bits<5>>,
}

impl<const LB: usize, const P: usize, const SB: usize> Default for SynapseWalk<LB, P, SB> {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            start: Default::default(),
            first_entry: Default::default(),
            end_entry: Default::default(),
            neg: Default::default(),
            wclass: Default::default(),
            done: Default::default(),
            hist_addr: Default::default(),
            hist_data: Default::default(),
            row_start: core::array::from_fn(|_| Default::default()),
            row_len: core::array::from_fn(|_| Default::default()),
            acc: core::array::from_fn(|_| Default::default()),
            lane_rd_own: Default::default(),
            lane_rd_addr: Default::default(),
            acc_we: Default::default(),
            acc_neuron: Default::default(),
            acc_value: Default::default(),
            syn_event: Default::default(),
            host_region: Default::default(),
            host_index: Default::default(),
            host_wdata: Default::default(),
            host_we: Default::default(),
            target_rdata: Default::default(),
            weight_rdata: Default::default(),
            syn_target: Default::default(),
            syn_weight: Default::default(),
            phase: Default::default(),
            idx: Default::default(),
            end_r: Default::default(),
            neg_r: Default::default(),
            class_r: Default::default(),
            last: Default::default(),
            drained: Default::default(),
            row_src: Default::default(),
            row_lane: Default::default(),
            syn_k: Default::default(),
            syn_left: Default::default(),
            syn_more: Default::default(),
            tgt: Default::default(),
            tgt_class: Default::default(),
            weight: Default::default(),
            syn_rd: Default::default(),
            tgt_got: Default::default(),
            acc_addr: Default::default(),
            acc_rd: Default::default(),
            acc_got: Default::default(),
            a_tgt: Default::default(),
            a_delta: Default::default(),
            r_tgt: Default::default(),
            r_delta: Default::default(),
            w_tgt: Default::default(),
            w_acc: Default::default(),
            w_delta: Default::default(),
            fwd1: Default::default(),
            fwd2: Default::default(),
            fwd3: Default::default(),
            acc_wrote: Default::default(),
            acc_wrote2: Default::default(),
            last_tgt: Default::default(),
            last_tgt2: Default::default(),
            last_acc: Default::default(),
            last_acc2: Default::default(),
            last_acc3: Default::default(),
            row_shifted: Default::default(),
            tgt_shifted: Default::default(),
            row_start_sel: Default::default(),
            row_len_sel: Default::default(),
            acc_sel: Default::default(),
            acc_now: Default::default(),
            acc_new: Default::default(),
            lane_shift: lane_shift::<P>(),
            lane_mask: lane_mask::<P>(),
            lane_id: lane_ids::<P>(),
            k_target_mask: Constant::new(((1u64 << SYN_CLASS_SHIFT) - 1).into()),
            g_syn_target: region(Region::SynTarget),
            g_syn_weight: region(Region::SynWeight),
        }
    }
}

impl<const LB: usize, const P: usize, const SB: usize> Logic for SynapseWalk<LB, P, SB> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, phase, idx, end_r, neg_r, class_r, last, drained, row_src, row_lane, syn_k, syn_left,
            syn_more, tgt, tgt_class, weight, syn_rd, tgt_got, acc_addr, acc_rd, acc_got, a_tgt, a_delta, r_tgt,
            r_delta, w_tgt, w_acc, w_delta, fwd1, fwd2, fwd3, acc_wrote, acc_wrote2, last_tgt, last_tgt2, last_acc,
            last_acc2, last_acc3
        );
        self.syn_target.read_clock.next = self.clock.val();
        self.syn_target.write_clock.next = self.clock.val();
        self.syn_weight.read_clock.next = self.clock.val();
        self.syn_weight.write_clock.next = self.clock.val();

        // ---- the synapse memories: the host's, except while the walk reads them ----
        self.syn_target.read_address.next = self.host_index.val().get_bits::<SB>(0);
        self.syn_weight.read_address.next = self.host_index.val().get_bits::<SB>(0);
        self.syn_target.write_address.next = self.host_index.val().get_bits::<SB>(0);
        self.syn_weight.write_address.next = self.host_index.val().get_bits::<SB>(0);
        self.syn_target.write_data.next = self.host_wdata.val();
        self.syn_weight.write_data.next = signed_cast(self.host_wdata.val());
        self.syn_target.write_enable.next = self.host_we.val() & (self.host_region.val() == self.g_syn_target.val());
        self.syn_weight.write_enable.next = self.host_we.val() & (self.host_region.val() == self.g_syn_weight.val());
        self.target_rdata.next = self.syn_target.read_data.val();
        self.weight_rdata.next = unsigned_cast(self.syn_weight.read_data.val());

        // ---- the lanes' words this walk chooses by lane ----
        self.row_start_sel.next = bits::<32>(0);
        self.row_len_sel.next = bits::<32>(0);
        self.acc_sel.next = signed_cast(bits::<32>(0));
        for i in 0..P {
            if self.row_lane.q.val() == self.lane_id[i].val() {
                self.row_start_sel.next = self.row_start[i].val();
                self.row_len_sel.next = self.row_len[i].val();
            }
            if (self.r_tgt.q.val() & self.lane_mask.val()) == self.lane_id[i].val() {
                self.acc_sel.next = self.acc[i].val();
            }
        }
        self.row_shifted.next = self.row_src.q.val() >> self.lane_shift.val();
        self.tgt_shifted.next = self.tgt.q.val() >> self.lane_shift.val();
        self.hist_addr.next = self.idx.q.val();
        self.lane_rd_own.next = false;
        self.lane_rd_addr.next = self.tgt_shifted.val().get_bits::<LB>(0);
        self.acc_we.next = false;
        self.acc_neuron.next = self.w_tgt.q.val();
        self.syn_event.next = false;
        self.done.next = false;

        // ---- the pipeline's bookkeeping, every cycle ----
        self.syn_rd.d.next = false;
        self.tgt_got.d.next = false;
        self.acc_addr.d.next = false;
        self.acc_rd.d.next = false;
        self.acc_got.d.next = false;
        self.acc_wrote.d.next = false;
        // Next cycle no synapse is left and none is in the pipeline before its write step
        // (with no synapse left now, none is read this cycle and every flag moves a step
        // along; a synapse in the write step is written in the cycle the walk leaves).
        self.drained.d.next =
            !self.syn_more.q.val() & !self.syn_rd.q.val() & !self.tgt_got.q.val() & !self.acc_addr.q.val();
        self.acc_wrote2.d.next = self.acc_wrote.q.val();
        self.last_tgt2.d.next = self.last_tgt.q.val();
        self.last_acc2.d.next = self.last_acc.q.val();
        self.last_acc3.d.next = self.last_acc2.q.val();
        self.acc_now.next = self.w_acc.q.val();
        if self.fwd3.q.val() {
            self.acc_now.next = self.last_acc3.q.val();
        }
        if self.fwd2.q.val() {
            self.acc_now.next = self.last_acc2.q.val();
        }
        if self.fwd1.q.val() {
            self.acc_now.next = self.last_acc.q.val();
        }
        self.acc_new.next = self.acc_now.val() + self.w_delta.q.val(); // Q2.22
        self.acc_value.next = unsigned_cast(self.acc_new.val());

        match self.phase.q.val() {
            WalkPhase::Idle => {
                if self.start.val() {
                    self.idx.d.next = self.first_entry.val();
                    self.end_r.d.next = self.end_entry.val();
                    self.neg_r.d.next = self.neg.val();
                    self.class_r.d.next = self.wclass.val();
                    self.phase.d.next = WalkPhase::Hist;
                }
            }
            WalkPhase::Hist => {
                self.phase.d.next = WalkPhase::HistQ;
            }
            WalkPhase::HistQ => {
                self.row_src.d.next = self.hist_data.val();
                self.phase.d.next = WalkPhase::Row;
            }
            WalkPhase::Row => {
                self.lane_rd_own.next = true;
                self.lane_rd_addr.next = self.row_shifted.val().get_bits::<LB>(0);
                self.row_lane.d.next = self.row_src.q.val() & self.lane_mask.val();
                self.phase.d.next = WalkPhase::RowQ;
            }
            WalkPhase::RowQ => {
                self.phase.d.next = WalkPhase::Row2;
            }
            WalkPhase::Row2 => {
                self.syn_k.d.next = self.row_start_sel.val();
                self.syn_left.d.next = self.row_len_sel.val();
                self.last.d.next = (self.idx.q.val() + 1) == self.end_r.q.val();
                self.drained.d.next = false;
                self.phase.d.next = WalkPhase::Len;
            }
            WalkPhase::Len => {
                self.syn_more.d.next = self.syn_left.q.val() != 0;
                // `syn_more` is not the row's before Syn: not drained in its first cycle.
                self.drained.d.next = false;
                self.phase.d.next = WalkPhase::Syn;
            }
            WalkPhase::Syn => {
                // The synapse memories read `syn_k` whether or not a synapse is left (the
                // address depends on the phase alone; `syn_rd` says whether it counts).
                self.syn_target.read_address.next = self.syn_k.q.val().get_bits::<SB>(0);
                self.syn_weight.read_address.next = self.syn_k.q.val().get_bits::<SB>(0);
                if self.syn_more.q.val() {
                    self.syn_k.d.next = self.syn_k.q.val() + 1;
                    self.syn_left.d.next = self.syn_left.q.val() - 1;
                    self.syn_more.d.next = self.syn_left.q.val() != 1;
                    self.syn_rd.d.next = true;
                } else if self.drained.q.val() {
                    self.idx.d.next = self.idx.q.val() + 1;
                    if self.last.q.val() {
                        self.done.next = true;
                        self.phase.d.next = WalkPhase::Idle;
                    } else {
                        self.phase.d.next = WalkPhase::Hist;
                    }
                }
                if self.syn_rd.q.val() {
                    self.tgt.d.next = self.syn_target.read_data.val() & self.k_target_mask.val();
                    self.tgt_class.d.next = self.syn_target.read_data.val().get_bits::<8>(24);
                    self.weight.d.next = self.syn_weight.read_data.val();
                    self.tgt_got.d.next = true;
                }
                // The target's accumulator read (used when `tgt_got`; the address is the
                // phase's alone).
                self.lane_rd_own.next = true;
                if self.tgt_got.q.val() {
                    self.a_tgt.d.next = self.tgt.q.val();
                    self.a_delta.d.next = self.weight.q.val(); // Q2.22 pulse starts
                    if self.neg_r.q.val() {
                        self.a_delta.d.next = -self.weight.q.val(); // Q2.22 pulse ends
                    }
                    self.acc_addr.d.next = !self.neg_r.q.val() | (self.tgt_class.q.val() == self.class_r.q.val());
                }
                if self.acc_addr.q.val() {
                    self.r_tgt.d.next = self.a_tgt.q.val();
                    self.r_delta.d.next = self.a_delta.q.val();
                    self.acc_rd.d.next = true;
                }
                if self.acc_rd.q.val() {
                    self.acc_got.d.next = true;
                    self.w_tgt.d.next = self.r_tgt.q.val();
                    self.w_acc.d.next = self.acc_sel.val();
                    self.w_delta.d.next = self.r_delta.q.val();
                    self.fwd1.d.next = self.acc_got.q.val() & (self.w_tgt.q.val() == self.r_tgt.q.val());
                    self.fwd2.d.next = self.acc_wrote.q.val() & (self.last_tgt.q.val() == self.r_tgt.q.val());
                    self.fwd3.d.next = self.acc_wrote2.q.val() & (self.last_tgt2.q.val() == self.r_tgt.q.val());
                }
                if self.acc_got.q.val() {
                    self.acc_we.next = true;
                    self.last_acc.d.next = self.acc_new.val();
                    self.last_tgt.d.next = self.w_tgt.q.val();
                    self.acc_wrote.d.next = true;
                    self.syn_event.next = !self.neg_r.q.val();
                }
            }
        }
    }
}
