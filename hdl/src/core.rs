//! `NeuronCore`: a network of up to P · 2^LB neurons on P update lanes (`NeuronLane`: a
//! `NeuronPipe` and its bank of per-neuron memories), with synapses and spike history in
//! block RAM, a timestep controller, a register block and memory windows on one
//! word-addressed bus (`memfire_spec::memmap`).
//!
//! One step, as in `memfire_spec::model::Model::step`:
//! 1. **Check**: wait until the output ring has room for a spike from every neuron (the
//!    host is slow: stall, count the cycles, lose nothing) and the history has room.
//! 2. **Update**: stream groups of P neurons (neuron `n` is in lane `n mod P` at address
//!    `n / P`) through the lanes, input `u = ext + acc`; each lane writes its results back;
//!    the spikes queue (`SpikeQueue`) and go, one per cycle and in neuron order, to the
//!    history and to the output ring.
//! 3. **On**: for every spike of this step, add each synapse's weight to its target's
//!    accumulator (the pulse starts next step): four cycles to find the spike's row, then
//!    one synapse per cycle (the accumulators are banked like the state, in the lanes).
//! 4. **Off**: for every spike of step `t − PULSE_WIDTH` (kept in the history), subtract
//!    the weights again (the pulse ends after `PULSE_WIDTH` steps).
//!
//! Per-step spike counts live in a small RAM indexed by step mod 2^WB, so pulses up to
//! 2^WB − 1 steps long are supported; all synapses share one width (the loader checks).
//!
//! 5. **Probe** (when `PROBE_COUNT` is not 0 and spikes go to the DMA ring): read the state
//!    of each neuron of the probe list and hand it to the DMA engine as a `ProbeRecord`,
//!    waiting for each to reach host memory.
//!
//! The DMA engine (`crate::dma`) sits beside the controller: it drains the output ring into
//! host buffers when `DMA_CTRL.C2H` is set, and in step 1 it applies the step's input events
//! from the host-to-card ring (holding the step until they are in). Configuration words from
//! that ring enter the bus decode below as if the host had written them, in a cycle when the
//! host's bus is quiet and the core is idle or holding a step for the ring. The bus inputs are
//! registered on entry, each memory's word as it comes and the region's word on its way out,
//! and the lanes register the address they read, so a read's data comes five cycles after
//! its strobe (`bus_rvalid`).

use memfire_spec::memmap::Region;
use memfire_spec::regs::{self, offset};
use rust_hdl::prelude::*;

use crate::dma::DmaEngine;
use crate::lane::NeuronLane;
use crate::spike_queue::SpikeQueue;

/// The timestep controller's phase.
#[derive(Copy, Clone, Debug, PartialEq, Eq, LogicState)]
pub enum Phase {
    Idle,
    Check,
    Update,
    CountWrite,
    WalkHist,
    WalkHistQ,
    WalkRow,
    WalkRowQ,
    WalkRow2,
    /// The row's length is in `syn_left`; `syn_more` is set from it.
    WalkLen,
    WalkSyn,
    AfterOn,
    /// Read the probe list's next entry; read that neuron's state, one field per cycle,
    /// into the staging record (while the DMA engine writes the one before); hand it over
    /// once the engine has taken that one; after the last, wait for it to be taken.
    ProbeList,
    ProbeListQ,
    ProbeRead,
    ProbeHand,
    ProbeDrain,
    Finish,
}

/// Entries of the probe list (`PROBES`): neurons whose state goes to the host after
/// every step.
pub const PROBE_LIST_BITS: usize = 8;

/// The core: P lanes (a power of two) of 2^LB neurons each (LB + log2 P ≤ 20), SB
/// synapse-address bits, HB history bits, OB output-ring bits, WB bits of the per-step count
/// ring (max pulse width 2^WB − 1).
#[derive(LogicBlock)]
pub struct NeuronCore<
    const LB: usize,
    const P: usize,
    const SB: usize,
    const HB: usize,
    const OB: usize,
    const WB: usize,
> {
    pub clock: Signal<In, Clock>,
    /// Bus: word address (region · 2^20 + index), write strobe, read strobe.
    pub bus_addr: Signal<In, Bits<25>>,
    pub bus_wdata: Signal<In, Bits<32>>,
    pub bus_we: Signal<In, Bit>,
    pub bus_re: Signal<In, Bit>,
    /// Read data, valid (with `bus_rvalid`) five cycles after `bus_re` (the bus inputs are
    /// registered first, the lanes' read address next, the memories' words after their
    /// read, then the region's word).
    pub bus_rdata: Signal<Out, Bits<32>>,
    pub bus_rvalid: Signal<Out, Bit>,
    /// Level interrupt: `IRQ_STATUS & IRQ_MASK` is not zero.
    pub irq: Signal<Out, Bit>,
    /// The DMA engine's memory-request port (see `crate::dma`).
    pub mem_req_valid: Signal<Out, Bit>,
    pub mem_req_ready: Signal<In, Bit>,
    pub mem_req_write: Signal<Out, Bit>,
    pub mem_req_addr: Signal<Out, Bits<64>>,
    pub mem_req_wdata: Signal<Out, Bits<64>>,
    pub mem_rsp_valid: Signal<In, Bit>,
    pub mem_rsp_data: Signal<In, Bits<64>>,
    /// With `mem_rsp_valid`: the read failed (see `DmaEngine::mem_rsp_error`).
    pub mem_rsp_error: Signal<In, Bit>,

    lanes: [NeuronLane<LB>; P],
    queue: SpikeQueue<LB, P>,
    dma: DmaEngine,
    // ---- memories ----
    syn_target: RAM<Bits<32>, SB>,
    syn_weight: RAM<Signed<32>, SB>,
    hist: RAM<Bits<32>, HB>,
    hist_count: RAM<Bits<32>, WB>,
    out_ram: RAM<Bits<64>, OB>,
    probe_list: RAM<Bits<32>, PROBE_LIST_BITS>,
    // ---- registers ----
    // The bus inputs, registered before any logic sees them (timing, and Verilator then
    // evaluates the core once per cycle rather than on every input change).
    in_addr: DFF<Bits<25>>,
    in_wdata: DFF<Bits<32>>,
    in_we: DFF<Bit>,
    in_re: DFF<Bit>,
    /// The bus access registered is a configuration word from the DMA engine.
    in_cfg: DFF<Bit>,
    /// Its address is the CTRL register, decoded on the way in: CTRL.CLEAR resets much of
    /// the DMA engine, and the address compare in front of that fan-out was the longest path.
    in_ctrl: DFF<Bit>,
    /// Take the DMA engine's configuration word into the bus registers this cycle.
    cfg_take: Signal<Local, Bit>,
    /// The address the bus registers take: the host's, or the configuration word's.
    take_addr: Signal<Local, Bits<25>>,
    phase: DFF<Phase>,
    run_steps: DFF<Bits<32>>,
    steps_left: DFF<Bits<32>>,
    active: DFF<Bits<32>>,
    /// Starts at the register table's reset value (1), as the register documentation says.
    pulse_width: DFFWithInit<Bits<32>>,
    /// `pulse_width` is one the delay ring can hold (1..=2^WB − 1): checked as it is
    /// written, so the run command's check is a flip-flop, not two 32-bit compares.
    pw_ok: DFFWithInit<Bit>,
    /// `step ≥ pulse_width`, registered every cycle (both change only between a step's
    /// Finish or a host/configuration write and its AfterOn, many cycles apart): the 64-bit
    /// compare in front of the phase register was the longest path.
    pw_reached: DFF<Bit>,
    step: DFF<Bits<64>>,
    spikes_out: DFF<Bits<32>>,
    syn_events: DFF<Bits<32>>,
    stall_cycles: DFF<Bits<32>>,
    errors: DFF<Bits<32>>,
    out_head: DFF<Bits<32>>,
    out_tail: DFF<Bits<32>>,
    /// The output ring's head and tail after this edge as the engines move them (a spike
    /// in, a record popped by the DMA engine).
    out_head_eng: Signal<Local, Bits<32>>,
    out_tail_eng: Signal<Local, Bits<32>>,
    /// The same with the host's register writes (OUT_TAIL, CTRL's clear) on top.
    out_head_next: Signal<Local, Bits<32>>,
    out_tail_next: Signal<Local, Bits<32>>,
    /// `out_tail_next + 1`, made beside it case by case (each case's own increment, from a
    /// register) rather than by adding 1 after the choice: that increment behind the host
    /// write's decode was the longest path at 99.15 MHz.
    out_tail1_next: Signal<Local, Bits<32>>,
    /// A host register write moves the ring this cycle.
    ring_set_by_host: Signal<Local, Bit>,
    /// `out_tail + 1`, kept beside the tail so that a pop's "was that the last spike?"
    /// is an equality of two registers, not an increment's carry chain and then a compare
    /// (that was core-small's longest path at 98.63 MHz). Starts at 1, the tail's 0 + 1.
    out_tail1: DFFWithInit<Bits<32>>,
    /// The output ring holds a spike (head ≠ tail), registered: the DMA engine decides from
    /// it instead of from a 32-bit subtraction (that decision was one of the longest paths).
    /// It reads low for the one cycle after a host write moves the ring, so the write's
    /// address decode does not reach the comparison (that was the longest path next).
    out_ready: DFF<Bit>,
    irq_mask: DFF<Bits<32>>,
    irq_status: DFF<Bits<32>>,
    stop_req: DFF<Bit>,
    free_run: DFF<Bit>,
    spikes_in: DFF<Bits<32>>,
    stalled: DFF<Bit>,
    waiting_input: DFF<Bit>,
    /// The DMA engine's answer for this step (registered) is in: Check waits one cycle.
    checked: DFF<Bit>,
    // ---- update phase ----
    issue: DFF<Bits<32>>,
    /// `issue < groups`, kept in a register: the compare would otherwise sit in front of
    /// every lane memory's read address (the longest path of a 4-lane core).
    issue_more: DFF<Bit>,
    /// Entries in the spike history and the output ring (write minus read pointer),
    /// registered so the room checks below are one subtraction and a compare, not two
    /// subtractions in a row (core-small's longest path at 99.59 MHz).
    hist_used: DFF<Bits<32>>,
    out_used: DFF<Bits<32>>,
    /// The history / output ring has less room than a step can fill, from the registered
    /// counts above, so two cycles late. That is safe: the pointers settle at least two
    /// cycles before Check reads the checks (the history's read pointer moves in AfterOn,
    /// before Finish; the host's writes come while idle, a cycle before the run command),
    /// and in Check the ring only empties, so a late `out_short` only stalls a cycle longer.
    hist_short: DFF<Bit>,
    out_short: DFF<Bit>,
    written: DFF<Bits<32>>,
    /// Last cycle every group was written back and the spike queue was empty: Update ends
    /// on this register (the queue's pointer compare and the 32-bit count compare, across
    /// the die in front of the phase register, were the longest path). Cleared as Update
    /// starts, so a step never ends on the last step's answer.
    upd_done: DFF<Bit>,
    /// Groups of P neurons this step (ceil(ACTIVE / P)).
    groups: DFF<Bits<32>>,
    /// The lane of the host's read and of the walk's row lookup, kept for the cycle after
    /// (when the lanes' read data arrives and one lane's is chosen). The walk's target's
    /// lane is the low bits of `tgt`.
    rd_lane: DFF<Bits<32>>,
    walk_lane: DFF<Bits<32>>,
    // ---- history and walks ----
    hist_wp: DFF<Bits<32>>,
    hist_rp: DFF<Bits<32>>,
    step_start: DFF<Bits<32>>,
    walk_idx: DFF<Bits<32>>,
    walk_end: DFF<Bits<32>>,
    /// The row being walked is the last (`walk_idx + 1 == walk_end`, set before the row's
    /// synapses), and the walk's pipeline is empty with no synapse left to read (from last
    /// cycle's flags): both registered, so the walk's end decision in front of the phase
    /// register is a choice among registers (the compares and the pipeline's flags in front
    /// of it were the longest path).
    walk_last: DFF<Bit>,
    walk_drained: DFF<Bit>,
    walk_neg: DFF<Bit>,
    /// The history entry being walked (registered from the history RAM before it
    /// addresses the lanes' row memories).
    row_src: DFF<Bits<32>>,
    /// hist_count's word for step − PULSE_WIDTH, registered (read every cycle).
    due_count: DFF<Bits<32>>,
    syn_k: DFF<Bits<32>>,
    /// Synapses of the row not yet read (a count down, so no add follows the row memories).
    syn_left: DFF<Bits<32>>,
    /// `syn_left ≠ 0`, kept beside it (set a cycle after it is loaded, in WalkLen, and as
    /// it is counted down): the 32-bit compare in front of the synapse memories and the
    /// phase register was `core-1k`'s longest path, and the row-length block RAM's late
    /// output cannot feed the compare in the cycle it loads `syn_left`.
    syn_more: DFF<Bit>,
    // ---- probes ----
    probe_count: DFF<Bits<32>>,
    probe_k: DFF<Bits<32>>,
    /// `probe_k` is the list's last entry, registered every cycle: `probe_k` stands still
    /// from one ProbeHand to the next (ten cycles and more), and the increment and compare
    /// in front of the phase register was the longest path at 98.67 MHz.
    probe_last: DFF<Bit>,
    /// Which field of the record comes out of the lanes (3..=8: x1, x2, v, m, refractory, rng).
    prb_field: DFF<Bits<4>>,
    prb_valid: DFF<Bit>,
    /// The record being read (`stg_*`) and the one the DMA engine is writing (`prb_*`).
    stg_w0: DFF<Bits<64>>,
    stg_w1: DFF<Bits<64>>,
    stg_w2: DFF<Bits<64>>,
    stg_w3: DFF<Bits<64>>,
    prb_w0: DFF<Bits<64>>,
    prb_w1: DFF<Bits<64>>,
    prb_w2: DFF<Bits<64>>,
    prb_w3: DFF<Bits<64>>,
    /// The probed neuron's address in its lane, its lane's read data, the region of the
    /// field read, and where the walk goes when it is done (the probes or Finish).
    prb_shifted: Signal<Local, Bits<32>>,
    /// The probe list's read data, registered every cycle (it addresses the lanes).
    prb_neuron: DFF<Bits<32>>,
    prb_rdata: Signal<Local, Bits<32>>,
    prb_region: Signal<Local, Bits<5>>,
    /// The region the lanes' read-data mux shows, from a register: last cycle's bus
    /// region, or during a probe read the field of this cycle (set the cycle before), so
    /// no phase decode sits in front of the lanes' wide read-data muxes.
    lane_rgn: DFF<Bits<5>>,
    walk_done: Signal<Local, Phase>,
    tgt: DFF<Bits<32>>,
    weight: DFF<Signed<32>>,
    /// The walk's pipeline, one synapse per cycle in six steps: read the synapse;
    /// register it (`syn_rd`); give its target's address to the lanes (`tgt_got`); the
    /// lanes' address register holds it and the accumulator is read (`acc_addr`); register
    /// the accumulator, the signed weight and the forwarding choice (`acc_rd`); add and
    /// write back (`acc_got`). Every block RAM's read data goes into a register before it is
    /// used (a DP16KD's output takes ~5.6 ns of a 10 ns cycle), and the adder has a cycle
    /// of its own (RAM read, forwarding and add in one cycle was `core-small`'s longest
    /// path).
    syn_rd: DFF<Bit>,
    tgt_got: DFF<Bit>,
    acc_addr: DFF<Bit>,
    acc_rd: DFF<Bit>,
    acc_got: DFF<Bit>,
    /// The address step's target and signed weight (`a_*`), then the accumulator-read
    /// step's (`r_*`).
    a_tgt: DFF<Bits<32>>,
    a_delta: DFF<Signed<32>>,
    r_tgt: DFF<Bits<32>>,
    r_delta: DFF<Signed<32>>,
    /// The write step's target (and its address in its lane: a wiring shift, no register),
    /// registered accumulator and signed weight (± weight: pulse start or end).
    w_tgt: DFF<Bits<32>>,
    w_shifted: Signal<Local, Bits<32>>,
    w_acc: DFF<Signed<32>>,
    w_delta: DFF<Signed<32>>,
    /// The memory read of the write step's accumulator missed the three writes before it
    /// (one was still in the write step; the lanes register their write port, so the one
    /// given a cycle before was still in a lane's register, and the one given two cycles
    /// before landed in the read's own cycle, the RAM reading before it writes): take
    /// `last_acc` (fwd1), `last_acc2` (fwd2) or `last_acc3` (fwd3) instead, the newest first.
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
    /// The target's accumulator (forwarded when written in the last three cycles), and its
    /// new value.
    acc_now: Signal<Local, Signed<32>>,
    acc_new: Signal<Local, Signed<32>>,
    // ---- bus read path ----
    rd_region: DFF<Bits<5>>,
    rd_half: DFF<Bit>,
    rd_reg: DFF<Bits<32>>,
    rd_strobe: DFF<Bit>,
    /// The read's second cycle: each memory's output and the registers' word, registered
    /// as they come (a block RAM's output is 5.8 ns late on ECP5; with the region choice
    /// behind it, it was the longest path).
    rd_tgt_q: DFF<Bits<32>>,
    rd_weight_q: DFF<Bits<32>>,
    rd_probe_q: DFF<Bits<32>>,
    rd_out_q: DFF<Bits<64>>,
    rd_regs_q: DFF<Bits<32>>,
    rd_region2: DFF<Bits<5>>,
    rd_half2: DFF<Bit>,
    rd_strobe2: DFF<Bit>,
    rd_lane2: DFF<Bits<32>>,
    /// The third cycle: the region's word chosen among those registers.
    rd_word: DFF<Bits<32>>,
    /// The read is of a region outside the lanes: `rd_word` answers, not the lanes (whose
    /// read-data region may be a probe's field meanwhile).
    rd_other: DFF<Bit>,
    rd_strobe3: DFF<Bit>,
    rd_lane3: DFF<Bits<32>>,
    /// The fourth cycle: the lanes' word (they register their read address and their
    /// memories' words inside, see `NeuronLane::rd_data`), and the region's word held
    /// beside it.
    rd_lane_word: DFF<Bits<32>>,
    rd_word4: DFF<Bits<32>>,
    rd_other4: DFF<Bit>,
    rd_strobe4: DFF<Bit>,
    // ---- decoded bus fields ----
    /// The host's neuron index as lane and address in the lane.
    h_lane: Signal<Local, Bits<32>>,
    h_addr: Signal<Local, Bits<LB>>,
    /// Neuron indices (the host's, an input event's, a history entry's, a synapse's
    /// target) shifted down to their address in the lane.
    h_shifted: Signal<Local, Bits<20>>,
    ext_shifted: Signal<Local, Bits<32>>,
    hist_shifted: Signal<Local, Bits<32>>,
    tgt_shifted: Signal<Local, Bits<32>>,
    /// The lane memories' read data, chosen by lane: the host's read, the row lookup, the
    /// accumulator of the walk's target.
    lane_rdata: Signal<Local, Bits<32>>,
    row_start_sel: Signal<Local, Bits<32>>,
    row_len_sel: Signal<Local, Bits<32>>,
    acc_sel: Signal<Local, Signed<32>>,
    /// Bit i: one of lanes 0..=i fired in the group leaving the lanes now.
    spike_or: [Signal<Local, Bits<32>>; P],
    region: Signal<Local, Bits<5>>,
    index: Signal<Local, Bits<20>>,
    reg_we: Signal<Local, Bit>,
    mem_we: Signal<Local, Bit>,
    idle: Signal<Local, Bit>,
    reg_value: Signal<Local, Bits<32>>,
    e_write: Signal<Local, Bits<32>>,
    e_history: Signal<Local, Bits<32>>,
    e_width: Signal<Local, Bits<32>>,
    e_clear: Signal<Local, Bits<32>>,
    q_done: Signal<Local, Bits<32>>,
    q_error: Signal<Local, Bits<32>>,
    q_data: Signal<Local, Bits<32>>,
    q_clear: Signal<Local, Bits<32>>,
    st_running: Signal<Local, Bits<32>>,
    st_stalled: Signal<Local, Bits<32>>,
    st_error: Signal<Local, Bits<32>>,
    e_dma: Signal<Local, Bits<32>>,
    q_dma: Signal<Local, Bits<32>>,
    st_wait_input: Signal<Local, Bits<32>>,
    // ---- constants (from the spec's tables) ----
    k_lanes: Constant<Bits<32>>,
    /// log2 P, P − 1, each lane's number and bit.
    lane_shift: Constant<Bits<5>>,
    lane_mask: Constant<Bits<32>>,
    lane_id: [Constant<Bits<32>>; P],
    lane_bit: [Constant<Bits<32>>; P],
    k_id: Constant<Bits<32>>,
    k_version: Constant<Bits<32>>,
    k_features: Constant<Bits<32>>,
    k_neurons: Constant<Bits<32>>,
    k_max_width: Constant<Bits<32>>,
    k_synapses: Constant<Bits<32>>,
    k_history: Constant<Bits<32>>,
    k_out_ring: Constant<Bits<32>>,
    k_probes: Constant<Bits<32>>,
    k_err_write: Constant<Bits<32>>,
    k_err_history: Constant<Bits<32>>,
    k_err_width: Constant<Bits<32>>,
    k_err_descriptor: Constant<Bits<32>>,
    k_err_dma_read: Constant<Bits<32>>,
    k_irq_dma: Constant<Bits<32>>,
    k_st_wait_input: Constant<Bits<32>>,
    k_irq_data: Constant<Bits<32>>,
    k_irq_done: Constant<Bits<32>>,
    k_irq_error: Constant<Bits<32>>,
    k_st_running: Constant<Bits<32>>,
    k_st_stalled: Constant<Bits<32>>,
    k_st_error: Constant<Bits<32>>,
    // Register word indices (byte offset / 4).
    r_id: Constant<Bits<20>>,
    r_version: Constant<Bits<20>>,
    r_features: Constant<Bits<20>>,
    r_neurons: Constant<Bits<20>>,
    r_lanes: Constant<Bits<20>>,
    r_max_width: Constant<Bits<20>>,
    r_param_sets: Constant<Bits<20>>,
    r_synapses: Constant<Bits<20>>,
    r_history: Constant<Bits<20>>,
    r_out_ring: Constant<Bits<20>>,
    r_active: Constant<Bits<20>>,
    r_ctrl: Constant<Bits<20>>,
    r_status: Constant<Bits<20>>,
    r_run_steps: Constant<Bits<20>>,
    r_pulse_width: Constant<Bits<20>>,
    r_step_lo: Constant<Bits<20>>,
    r_step_hi: Constant<Bits<20>>,
    r_spikes_out: Constant<Bits<20>>,
    r_syn_events: Constant<Bits<20>>,
    r_stall_cycles: Constant<Bits<20>>,
    r_errors: Constant<Bits<20>>,
    r_drops: Constant<Bits<20>>,
    r_spikes_in: Constant<Bits<20>>,
    r_out_head: Constant<Bits<20>>,
    r_out_tail: Constant<Bits<20>>,
    r_irq_mask: Constant<Bits<20>>,
    r_irq_status: Constant<Bits<20>>,
    r_probes: Constant<Bits<20>>,
    r_probe_count: Constant<Bits<20>>,
    // Regions.
    g_regs: Constant<Bits<5>>,
    g_coef: Constant<Bits<5>>,
    g_drive: Constant<Bits<5>>,
    g_sqrt: Constant<Bits<5>>,
    g_ext: Constant<Bits<5>>,
    g_acc: Constant<Bits<5>>,
    g_syn_target: Constant<Bits<5>>,
    g_syn_weight: Constant<Bits<5>>,
    g_out_ring: Constant<Bits<5>>,
    g_probe_list: Constant<Bits<5>>,
    g_x1: Constant<Bits<5>>,
    g_x2: Constant<Bits<5>>,
    g_v: Constant<Bits<5>>,
    g_m: Constant<Bits<5>>,
    g_refr: Constant<Bits<5>>,
    g_rng: Constant<Bits<5>>,
}

/// `PULSE_WIDTH`'s value after power-up, from the register table.
const PULSE_WIDTH_RESET: u32 = regs::at_offset(offset::PULSE_WIDTH).reset;

fn word(x: u64) -> Constant<Bits<32>> {
    Constant::new(x.into())
}

/// The bus index of the register at `byte_offset` (see `memfire_spec::regs::offset`), as a
/// constant of the register decoders here and in `crate::dma`.
pub(crate) fn reg(byte_offset: u32) -> Constant<Bits<20>> {
    Constant::new(u64::from(byte_offset / 4).into())
}

/// Region `r`'s number, as a constant of the bus decoders here and in `crate::lane`.
pub(crate) fn region(r: Region) -> Constant<Bits<5>> {
    Constant::new((r as u64).into())
}

impl<const LB: usize, const P: usize, const SB: usize, const HB: usize, const OB: usize, const WB: usize> Default
    for NeuronCore<LB, P, SB, HB, OB, WB>
{
    fn default() -> Self {
        assert!(
            LB + P.trailing_zeros() as usize <= 20 && SB <= 20 && HB <= 20 && OB <= 19 && WB <= 16,
            "address fields are 20 bits"
        );
        assert!(P.is_power_of_two() && P <= 32, "lanes: a power of two up to 32");
        let features =
            regs::features::NOISE | regs::features::C2C | regs::features::DMA | regs::features::DMA_CONFIG_PROBES;
        Self {
            clock: Default::default(),
            bus_addr: Default::default(),
            bus_wdata: Default::default(),
            bus_we: Default::default(),
            bus_re: Default::default(),
            bus_rdata: Default::default(),
            bus_rvalid: Default::default(),
            irq: Default::default(),
            mem_req_valid: Default::default(),
            mem_req_ready: Default::default(),
            mem_req_write: Default::default(),
            mem_req_addr: Default::default(),
            mem_req_wdata: Default::default(),
            mem_rsp_valid: Default::default(),
            mem_rsp_data: Default::default(),
            mem_rsp_error: Default::default(),
            lanes: core::array::from_fn(|_| Default::default()),
            probe_list: Default::default(),
            in_cfg: Default::default(),
            in_ctrl: Default::default(),
            cfg_take: Default::default(),
            take_addr: Default::default(),
            probe_count: Default::default(),
            probe_k: Default::default(),
            probe_last: Default::default(),
            prb_field: Default::default(),
            prb_valid: Default::default(),
            stg_w0: Default::default(),
            stg_w1: Default::default(),
            stg_w2: Default::default(),
            stg_w3: Default::default(),
            prb_w0: Default::default(),
            prb_w1: Default::default(),
            prb_w2: Default::default(),
            prb_w3: Default::default(),
            prb_shifted: Default::default(),
            prb_rdata: Default::default(),
            prb_neuron: Default::default(),
            prb_region: Default::default(),
            lane_rgn: Default::default(),
            walk_done: Default::default(),
            k_probes: word(1 << PROBE_LIST_BITS),
            r_probes: reg(offset::PROBES),
            r_probe_count: reg(offset::PROBE_COUNT),
            g_probe_list: region(Region::ProbeList),
            g_x1: region(Region::X1),
            g_x2: region(Region::X2),
            g_v: region(Region::V),
            g_m: region(Region::M),
            g_refr: region(Region::Refractory),
            g_rng: region(Region::Rng),
            queue: Default::default(),
            groups: Default::default(),
            rd_lane: Default::default(),
            walk_lane: Default::default(),
            h_lane: Default::default(),
            h_addr: Default::default(),
            h_shifted: Default::default(),
            ext_shifted: Default::default(),
            hist_shifted: Default::default(),
            tgt_shifted: Default::default(),
            lane_rdata: Default::default(),
            row_start_sel: Default::default(),
            row_len_sel: Default::default(),
            acc_sel: Default::default(),
            spike_or: core::array::from_fn(|_| Default::default()),
            k_lanes: word(P as u64),
            lane_shift: Constant::new(u64::from(P.trailing_zeros()).into()),
            lane_mask: word(P as u64 - 1),
            lane_id: core::array::from_fn(|i| word(i as u64)),
            lane_bit: core::array::from_fn(|i| word(1 << i)),
            dma: Default::default(),
            syn_target: Default::default(),
            syn_weight: Default::default(),
            hist: Default::default(),
            hist_count: Default::default(),
            out_ram: Default::default(),
            in_addr: Default::default(),
            in_wdata: Default::default(),
            in_we: Default::default(),
            in_re: Default::default(),
            phase: Default::default(),
            run_steps: Default::default(),
            steps_left: Default::default(),
            active: Default::default(),
            pulse_width: DFFWithInit::new(u64::from(PULSE_WIDTH_RESET).into()),
            pw_ok: DFFWithInit::new(PULSE_WIDTH_RESET != 0 && u64::from(PULSE_WIDTH_RESET) < (1 << WB)),
            pw_reached: Default::default(),
            step: Default::default(),
            spikes_out: Default::default(),
            syn_events: Default::default(),
            stall_cycles: Default::default(),
            errors: Default::default(),
            out_head: Default::default(),
            out_tail: Default::default(),
            out_head_eng: Default::default(),
            out_tail_eng: Default::default(),
            out_head_next: Default::default(),
            out_tail_next: Default::default(),
            out_tail1_next: Default::default(),
            ring_set_by_host: Default::default(),
            out_tail1: DFFWithInit::new(bits::<32>(1)),
            out_ready: Default::default(),
            irq_mask: Default::default(),
            irq_status: Default::default(),
            stop_req: Default::default(),
            free_run: Default::default(),
            spikes_in: Default::default(),
            stalled: Default::default(),
            waiting_input: Default::default(),
            checked: Default::default(),
            issue: Default::default(),
            issue_more: Default::default(),
            hist_used: Default::default(),
            out_used: Default::default(),
            hist_short: Default::default(),
            out_short: Default::default(),
            written: Default::default(),
            upd_done: Default::default(),
            hist_wp: Default::default(),
            hist_rp: Default::default(),
            step_start: Default::default(),
            walk_idx: Default::default(),
            walk_end: Default::default(),
            walk_last: Default::default(),
            walk_drained: Default::default(),
            walk_neg: Default::default(),
            row_src: Default::default(),
            due_count: Default::default(),
            syn_k: Default::default(),
            syn_left: Default::default(),
            syn_more: Default::default(),
            tgt: Default::default(),
            weight: Default::default(),
            syn_rd: Default::default(),
            acc_rd: Default::default(),
            acc_got: Default::default(),
            tgt_got: Default::default(),
            acc_addr: Default::default(),
            a_tgt: Default::default(),
            a_delta: Default::default(),
            r_tgt: Default::default(),
            r_delta: Default::default(),
            w_tgt: Default::default(),
            w_shifted: Default::default(),
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
            acc_now: Default::default(),
            acc_new: Default::default(),
            rd_region: Default::default(),
            rd_half: Default::default(),
            rd_reg: Default::default(),
            rd_strobe: Default::default(),
            rd_tgt_q: Default::default(),
            rd_weight_q: Default::default(),
            rd_probe_q: Default::default(),
            rd_out_q: Default::default(),
            rd_regs_q: Default::default(),
            rd_region2: Default::default(),
            rd_half2: Default::default(),
            rd_strobe2: Default::default(),
            rd_lane2: Default::default(),
            rd_word: Default::default(),
            rd_lane_word: Default::default(),
            rd_other: Default::default(),
            rd_strobe3: Default::default(),
            rd_lane3: Default::default(),
            rd_word4: Default::default(),
            rd_other4: Default::default(),
            rd_strobe4: Default::default(),
            region: Default::default(),
            index: Default::default(),
            reg_we: Default::default(),
            mem_we: Default::default(),
            idle: Default::default(),
            reg_value: Default::default(),
            e_write: Default::default(),
            e_history: Default::default(),
            e_width: Default::default(),
            e_clear: Default::default(),
            q_done: Default::default(),
            q_error: Default::default(),
            q_data: Default::default(),
            q_clear: Default::default(),
            st_running: Default::default(),
            st_stalled: Default::default(),
            st_error: Default::default(),
            e_dma: Default::default(),
            q_dma: Default::default(),
            st_wait_input: Default::default(),
            k_id: word(u64::from(regs::MAGIC)),
            k_version: word(u64::from(regs::VERSION)),
            k_features: word(u64::from(features)),
            k_neurons: word((P as u64) << LB),
            k_max_width: word((1 << WB) - 1),
            k_synapses: word(1 << SB),
            k_history: word(1 << HB),
            k_out_ring: word(1 << OB),
            k_err_write: word(u64::from(regs::errors::WRITE_WHILE_RUNNING)),
            k_err_history: word(u64::from(regs::errors::HISTORY_FULL)),
            k_err_width: word(u64::from(regs::errors::BAD_PULSE_WIDTH)),
            k_err_descriptor: word(u64::from(regs::errors::BAD_DESCRIPTOR)),
            k_err_dma_read: word(u64::from(regs::errors::DMA_READ_FAILED)),
            k_irq_dma: word(u64::from(regs::irq::DMA)),
            k_st_wait_input: word(u64::from(regs::status::WAIT_INPUT)),
            k_irq_data: word(u64::from(regs::irq::DATA)),
            k_irq_done: word(u64::from(regs::irq::DONE)),
            k_irq_error: word(u64::from(regs::irq::ERROR)),
            k_st_running: word(u64::from(regs::status::RUNNING)),
            k_st_stalled: word(u64::from(regs::status::STALLED)),
            k_st_error: word(u64::from(regs::status::ERROR)),
            r_id: reg(offset::ID),
            r_version: reg(offset::VERSION),
            r_features: reg(offset::FEATURES),
            r_neurons: reg(offset::NEURONS),
            r_lanes: reg(offset::LANES),
            r_max_width: reg(offset::MAX_WIDTH),
            r_param_sets: reg(offset::PARAM_SETS),
            r_synapses: reg(offset::SYNAPSES),
            r_history: reg(offset::HISTORY),
            r_out_ring: reg(offset::OUT_RING),
            r_active: reg(offset::ACTIVE),
            r_ctrl: reg(offset::CTRL),
            r_status: reg(offset::STATUS),
            r_run_steps: reg(offset::RUN_STEPS),
            r_pulse_width: reg(offset::PULSE_WIDTH),
            r_step_lo: reg(offset::STEP_LO),
            r_step_hi: reg(offset::STEP_HI),
            r_spikes_out: reg(offset::SPIKES_OUT),
            r_syn_events: reg(offset::SYN_EVENTS),
            r_stall_cycles: reg(offset::STALL_CYCLES),
            r_errors: reg(offset::ERRORS),
            r_drops: reg(offset::DROPS),
            r_spikes_in: reg(offset::SPIKES_IN),
            r_out_head: reg(offset::OUT_HEAD),
            r_out_tail: reg(offset::OUT_TAIL),
            r_irq_mask: reg(offset::IRQ_MASK),
            r_irq_status: reg(offset::IRQ_STATUS),
            g_regs: region(Region::Regs),
            g_coef: region(Region::Coef),
            g_drive: region(Region::Drive),
            g_sqrt: region(Region::Sqrt),
            g_ext: region(Region::Ext),
            g_acc: region(Region::Acc),
            g_syn_target: region(Region::SynTarget),
            g_syn_weight: region(Region::SynWeight),
            g_out_ring: region(Region::OutRing),
        }
    }
}

impl<const LB: usize, const P: usize, const SB: usize, const HB: usize, const OB: usize, const WB: usize>
    NeuronCore<LB, P, SB, HB, OB, WB>
{
    /// For a top that leaves the memory-request port unconnected (a UART board): FEATURES
    /// does not announce DMA, so the driver reads spikes through the output-ring window.
    pub fn without_dma_port(mut self) -> Self {
        self.k_features = word(u64::from(regs::features::NOISE | regs::features::C2C));
        self
    }
}

impl<const LB: usize, const P: usize, const SB: usize, const HB: usize, const OB: usize, const WB: usize> Logic
    for NeuronCore<LB, P, SB, HB, OB, WB>
{
    #[hdl_gen]
    fn update(&mut self) {
        // ================= clocks, register defaults =================
        dff_setup!(
            self,
            clock,
            in_addr,
            in_wdata,
            in_we,
            in_re,
            in_cfg,
            in_ctrl,
            phase,
            run_steps,
            steps_left,
            active,
            pulse_width,
            pw_ok,
            pw_reached,
            step,
            spikes_out,
            syn_events,
            stall_cycles,
            errors,
            out_head,
            out_tail,
            out_tail1,
            out_ready,
            irq_mask,
            irq_status,
            stop_req,
            free_run,
            spikes_in,
            stalled,
            waiting_input,
            checked,
            issue,
            issue_more,
            hist_used,
            out_used,
            hist_short,
            out_short,
            written,
            upd_done,
            hist_wp,
            hist_rp,
            step_start,
            walk_idx,
            walk_end,
            walk_last,
            walk_drained,
            walk_neg,
            row_src,
            due_count,
            syn_k,
            syn_left,
            syn_more,
            tgt,
            weight,
            rd_region,
            rd_half,
            rd_reg,
            rd_strobe,
            rd_tgt_q,
            rd_weight_q,
            rd_probe_q,
            rd_out_q,
            rd_regs_q,
            rd_region2,
            rd_half2,
            rd_strobe2,
            rd_lane2,
            rd_word,
            rd_lane_word,
            rd_other,
            rd_strobe3,
            rd_lane3,
            rd_word4,
            rd_other4,
            rd_strobe4,
            groups,
            rd_lane,
            walk_lane,
            syn_rd,
            acc_rd,
            acc_got,
            tgt_got,
            acc_addr,
            a_tgt,
            a_delta,
            r_tgt,
            r_delta,
            w_tgt,
            w_acc,
            w_delta,
            fwd1,
            fwd2,
            fwd3,
            acc_wrote,
            acc_wrote2,
            last_tgt,
            last_tgt2,
            last_acc,
            last_acc2,
            last_acc3,
            probe_count,
            probe_k,
            probe_last,
            prb_field,
            prb_valid,
            prb_neuron,
            lane_rgn,
            stg_w0,
            stg_w1,
            stg_w2,
            stg_w3,
            prb_w0,
            prb_w1,
            prb_w2,
            prb_w3
        );
        clock!(self, clock, dma, queue);
        for i in 0..P {
            self.lanes[i].clock.next = self.clock.val();
        }
        self.syn_target.read_clock.next = self.clock.val();
        self.syn_target.write_clock.next = self.clock.val();
        self.syn_weight.read_clock.next = self.clock.val();
        self.syn_weight.write_clock.next = self.clock.val();
        self.hist.read_clock.next = self.clock.val();
        self.hist.write_clock.next = self.clock.val();
        self.hist_count.read_clock.next = self.clock.val();
        self.hist_count.write_clock.next = self.clock.val();
        self.out_ram.read_clock.next = self.clock.val();
        self.out_ram.write_clock.next = self.clock.val();
        self.probe_list.read_clock.next = self.clock.val();
        self.probe_list.write_clock.next = self.clock.val();

        self.take_addr.next = self.bus_addr.val();
        self.in_wdata.d.next = self.bus_wdata.val();
        self.in_we.d.next = self.bus_we.val();
        self.in_re.d.next = self.bus_re.val();
        // A configuration word from the DMA ring takes the bus registers when the host's
        // bus is quiet (this cycle and the last, so a RUN just written is seen first) and
        // the memories are free: idle, or holding a step for the ring (the hold is
        // registered, so the step cannot start in the cycle the word is written).
        self.cfg_take.next = self.dma.cfg_valid.val()
            & !self.bus_we.val()
            & !self.bus_re.val()
            & !self.in_we.q.val()
            & !self.in_re.q.val()
            & ((self.phase.q.val() == Phase::Idle) | ((self.phase.q.val() == Phase::Check) & self.dma.hold.val()));
        self.in_cfg.d.next = self.cfg_take.val();
        if self.cfg_take.val() {
            self.take_addr.next = self.dma.cfg_addr.val().get_bits::<25>(0);
            self.in_wdata.d.next = self.dma.cfg_data.val();
            self.in_we.d.next = true;
        }
        self.in_addr.d.next = self.take_addr.val();
        self.in_ctrl.d.next = (self.take_addr.val().get_bits::<5>(20) == self.g_regs.val())
            & (self.take_addr.val().get_bits::<20>(0) == self.r_ctrl.val());
        self.dma.cfg_take.next = self.cfg_take.val();

        // ================= bus decode =================
        self.region.next = self.in_addr.q.val().get_bits::<5>(20);
        self.index.next = self.in_addr.q.val().get_bits::<20>(0);
        self.idle.next = self.phase.q.val() == Phase::Idle;
        self.reg_we.next = self.in_we.q.val() & (self.region.val() == self.g_regs.val());
        self.mem_we.next =
            self.in_we.q.val() & (self.region.val() != self.g_regs.val()) & (self.idle.val() | self.in_cfg.q.val());
        // Error and interrupt bits raised this cycle, each in its own signal (rust-hdl
        // cannot read back a signal written earlier in the same update).
        self.e_write.next = bits::<32>(0);
        self.e_history.next = bits::<32>(0);
        self.e_width.next = bits::<32>(0);
        self.e_clear.next = bits::<32>(0);
        self.q_done.next = bits::<32>(0);
        self.q_error.next = bits::<32>(0);
        self.q_data.next = bits::<32>(0);
        self.q_clear.next = bits::<32>(0);
        if self.in_we.q.val() & (self.region.val() != self.g_regs.val()) & !self.idle.val() & !self.in_cfg.q.val() {
            self.e_write.next = self.k_err_write.val();
            self.q_error.next = self.k_irq_error.val();
        }
        self.out_used.d.next = self.out_head.q.val() - self.out_tail.q.val();
        self.out_head_eng.next = self.out_head.q.val();
        self.out_tail_eng.next = self.out_tail.q.val();
        self.out_tail1_next.next = self.out_tail1.q.val();
        self.hist_used.d.next = self.hist_wp.q.val() - self.hist_rp.q.val();
        self.hist_short.d.next = (self.k_history.val() - self.hist_used.q.val()) < self.active.q.val();
        self.out_short.d.next = (self.k_out_ring.val() - self.out_used.q.val()) < self.active.q.val();

        if self.mem_we.val() & (self.region.val() == self.g_ext.val()) {
            self.spikes_in.d.next = self.spikes_in.q.val() + 1;
        }

        // ================= DMA engine =================
        self.dma.reg_index.next = self.index.val();
        self.dma.reg_wdata.next = self.in_wdata.q.val();
        self.dma.reg_we.next = self.reg_we.val();
        self.dma.clear.next =
            self.in_we.q.val() & self.in_ctrl.q.val() & self.in_wdata.q.val().get_bit(3) & self.idle.val();
        self.dma.core_idle.next = self.idle.val();
        self.dma.out_avail.next = self.out_ready.q.val();
        self.dma.out_data.next = self.out_ram.read_data.val();
        self.dma.step_lo.next = self.step.q.val().get_bits::<32>(0);
        self.dma.in_check.next = self.phase.q.val() == Phase::Check;
        self.dma.prb_valid.next = self.prb_valid.q.val();
        self.dma.prb_w0.next = self.prb_w0.q.val();
        self.dma.prb_w1.next = self.prb_w1.q.val();
        self.dma.prb_w2.next = self.prb_w2.q.val();
        self.dma.prb_w3.next = self.prb_w3.q.val();
        self.dma.mem_req_ready.next = self.mem_req_ready.val();
        self.dma.mem_rsp_valid.next = self.mem_rsp_valid.val();
        self.dma.mem_rsp_data.next = self.mem_rsp_data.val();
        self.dma.mem_rsp_error.next = self.mem_rsp_error.val();
        self.mem_req_valid.next = self.dma.mem_req_valid.val();
        self.mem_req_write.next = self.dma.mem_req_write.val();
        self.mem_req_addr.next = self.dma.mem_req_addr.val();
        self.mem_req_wdata.next = self.dma.mem_req_wdata.val();
        if self.dma.out_pop.val() {
            self.out_tail_eng.next = self.out_tail1.q.val();
            self.out_tail1_next.next = self.out_tail1.q.val() + 1;
        }
        self.e_dma.next = bits::<32>(0);
        self.q_dma.next = bits::<32>(0);
        if self.dma.fault.val() {
            self.e_dma.next = self.k_err_descriptor.val();
            self.q_error.next = self.k_irq_error.val();
        }
        if self.dma.read_fault.val() {
            self.e_dma.next = self.k_err_dma_read.val();
            self.q_error.next = self.k_irq_error.val();
        }
        if self.dma.irq_pulse.val() {
            self.q_dma.next = self.k_irq_dma.val();
        }

        // ================= lanes: defaults are the host's reads and writes =================
        // (The phases that read a lane memory take its read port for all their cycles, so
        // a host read of a neuron's state is meaningful while idle, as writes are.)
        self.h_lane.next = bit_cast::<32, 20>(self.index.val()) & self.lane_mask.val();
        // Neuron indices shifted down to addresses in their lane (Verilog cannot slice an
        // expression, so each shift is a signal of its own).
        self.h_shifted.next = self.index.val() >> self.lane_shift.val();
        self.ext_shifted.next = self.dma.ext_neuron.val() >> self.lane_shift.val();
        self.hist_shifted.next = self.row_src.q.val() >> self.lane_shift.val();
        self.tgt_shifted.next = self.tgt.q.val() >> self.lane_shift.val();
        self.w_shifted.next = self.w_tgt.q.val() >> self.lane_shift.val();
        self.h_addr.next = self.h_shifted.val().get_bits::<LB>(0);
        for i in 0..P {
            self.lanes[i].rd_addr.next = self.h_addr.val();
            self.lanes[i].issue.next = false;
            self.lanes[i].rd_region.next = self.lane_rgn.q.val();
            self.lanes[i].wr_en.next = self.mem_we.val() & (self.h_lane.val() == self.lane_id[i].val());
            self.lanes[i].wr_region.next = self.region.val();
            self.lanes[i].wr_addr.next = self.h_addr.val();
            self.lanes[i].wr_data.next = self.in_wdata.q.val();
            // Pipeline tables (host, while idle): every lane holds its own copy.
            self.lanes[i].cfg_addr.next = bit_cast::<16, 20>(self.index.val());
            self.lanes[i].cfg_data.next = self.in_wdata.q.val();
            self.lanes[i].coef_we.next = self.mem_we.val() & (self.region.val() == self.g_coef.val());
            self.lanes[i].drive_we.next = self.mem_we.val() & (self.region.val() == self.g_drive.val());
            self.lanes[i].sqrt_we.next = self.mem_we.val() & (self.region.val() == self.g_sqrt.val());
        }
        // An input event from the DMA engine (only while the controller checks a step; the
        // host's EXT writes happen only while idle).
        if self.dma.ext_we.val() {
            for i in 0..P {
                self.lanes[i].wr_en.next = (self.dma.ext_neuron.val() & self.lane_mask.val()) == self.lane_id[i].val();
                self.lanes[i].wr_region.next = self.g_ext.val();
                self.lanes[i].wr_addr.next = self.ext_shifted.val().get_bits::<LB>(0);
                self.lanes[i].wr_data.next = self.dma.ext_volts.val();
            }
            self.spikes_in.d.next = self.spikes_in.q.val() + 1;
        }
        // Read data by lane: the host's (lane registered with the read), the row lookup's,
        // the walk target's accumulator.
        self.lane_rdata.next = bits::<32>(0);
        self.row_start_sel.next = bits::<32>(0);
        self.row_len_sel.next = bits::<32>(0);
        self.acc_sel.next = signed_cast(bits::<32>(0));
        self.prb_rdata.next = bits::<32>(0);
        for i in 0..P {
            if (self.prb_neuron.q.val() & self.lane_mask.val()) == self.lane_id[i].val() {
                self.prb_rdata.next = self.lanes[i].rd_data.val();
            }
            if self.rd_lane3.q.val() == self.lane_id[i].val() {
                self.lane_rdata.next = self.lanes[i].rd_data.val();
            }
            if self.walk_lane.q.val() == self.lane_id[i].val() {
                self.row_start_sel.next = self.lanes[i].row_start_data.val();
                self.row_len_sel.next = self.lanes[i].row_len_data.val();
            }
            if (self.r_tgt.q.val() & self.lane_mask.val()) == self.lane_id[i].val() {
                self.acc_sel.next = self.lanes[i].acc_data.val();
            }
        }

        // ================= other memory ports: defaults are the host's =================
        self.syn_target.read_address.next = self.index.val().get_bits::<SB>(0);
        self.syn_weight.read_address.next = self.index.val().get_bits::<SB>(0);
        self.hist.read_address.next = self.index.val().get_bits::<HB>(0);
        self.out_ram.read_address.next = self.index.val().get_bits::<OB>(1);
        if self.dma.c2h_on.val() {
            self.out_ram.read_address.next = self.out_tail.q.val().get_bits::<OB>(0);
        }
        self.hist_count.read_address.next =
            (self.step.q.val().get_bits::<WB>(0)) - self.pulse_width.q.val().get_bits::<WB>(0);
        self.syn_target.write_address.next = self.index.val().get_bits::<SB>(0);
        self.syn_weight.write_address.next = self.index.val().get_bits::<SB>(0);
        self.syn_target.write_data.next = self.in_wdata.q.val();
        self.syn_weight.write_data.next = signed_cast(self.in_wdata.q.val());
        self.syn_target.write_enable.next = self.mem_we.val() & (self.region.val() == self.g_syn_target.val());
        self.syn_weight.write_enable.next = self.mem_we.val() & (self.region.val() == self.g_syn_weight.val());
        self.hist.write_address.next = self.hist_wp.q.val().get_bits::<HB>(0);
        self.hist.write_data.next = bit_cast::<32, 20>(self.queue.out_neuron.val());
        self.hist.write_enable.next = false;
        self.hist_count.write_address.next = self.step.q.val().get_bits::<WB>(0);
        self.hist_count.write_data.next = self.hist_wp.q.val() - self.step_start.q.val();
        self.hist_count.write_enable.next = false;
        self.out_ram.write_address.next = self.out_head.q.val().get_bits::<OB>(0);
        self.out_ram.write_data.next = (bit_cast::<64, 32>(self.step.q.val().get_bits::<32>(0)) << 32)
            | bit_cast::<64, 20>(self.queue.out_neuron.val());
        self.out_ram.write_enable.next = false;
        self.probe_list.read_address.next = self.index.val().get_bits::<PROBE_LIST_BITS>(0);
        self.probe_list.write_address.next = self.index.val().get_bits::<PROBE_LIST_BITS>(0);
        self.probe_list.write_data.next = self.in_wdata.q.val();
        self.probe_list.write_enable.next = self.mem_we.val() & (self.region.val() == self.g_probe_list.val());

        // ================= lanes' results: count groups, queue the spikes =================
        // Every issued group has a neuron in lane 0, so lane 0's results count groups.
        if self.lanes[0].out_valid.val() {
            self.written.d.next = self.written.q.val() + 1;
        }
        // spike_or[i]: the fired lanes among 0..=i (an OR chain: rust-hdl cannot accumulate
        // into one signal). Each link reads the one before it, never one after: the Verilog
        // is one always block run top to bottom, so a later link is not seen (rust-hdl's own
        // simulation would iterate to the same answer either way; Verilator would not).
        for i in 0..P {
            self.spike_or[i].next = bits::<32>(0);
            if self.lanes[i].out_spike.val() {
                self.spike_or[i].next = self.lane_bit[i].val();
            }
        }
        for i in 1..P {
            self.spike_or[i].next = self.spike_or[i - 1].val();
            if self.lanes[i].out_spike.val() {
                self.spike_or[i].next = self.spike_or[i - 1].val() | self.lane_bit[i].val();
            }
        }
        self.queue.push.next = self.lanes[0].out_valid.val();
        self.queue.push_group.next = self.lanes[0].out_addr.val();
        for i in (P - 1)..P {
            self.queue.push_mask.next = self.spike_or[i].val();
        }
        // One spike per cycle to the history and the output ring (Check made room for all).
        if self.queue.out_valid.val() {
            self.hist.write_enable.next = true;
            self.hist_wp.d.next = self.hist_wp.q.val() + 1;
            self.out_ram.write_enable.next = true;
            self.out_head_eng.next = self.out_head.q.val() + 1;
            self.spikes_out.d.next = self.spikes_out.q.val() + 1;
        }

        // ================= register writes =================
        self.out_head_next.next = self.out_head_eng.val();
        self.out_tail_next.next = self.out_tail_eng.val();
        self.ring_set_by_host.next = false;
        if self.reg_we.val() {
            if self.index.val() == self.r_run_steps.val() {
                self.run_steps.d.next = self.in_wdata.q.val();
            }
            if self.index.val() == self.r_active.val() {
                self.active.d.next = self.in_wdata.q.val();
            }
            if self.index.val() == self.r_pulse_width.val() {
                self.pulse_width.d.next = self.in_wdata.q.val();
                self.pw_ok.d.next = (self.in_wdata.q.val() != 0) & (self.in_wdata.q.val() <= self.k_max_width.val());
            }
            if self.index.val() == self.r_out_tail.val() {
                self.out_tail_next.next = self.in_wdata.q.val();
                self.out_tail1_next.next = self.in_wdata.q.val() + 1;
                self.ring_set_by_host.next = true;
            }
            if self.index.val() == self.r_irq_mask.val() {
                self.irq_mask.d.next = self.in_wdata.q.val();
            }
            if self.index.val() == self.r_probe_count.val() {
                self.probe_count.d.next = self.in_wdata.q.val();
            }
            if self.index.val() == self.r_errors.val() {
                self.e_clear.next = self.in_wdata.q.val();
            }
            if self.index.val() == self.r_irq_status.val() {
                self.q_clear.next = self.in_wdata.q.val();
            }
            if (self.index.val() == self.r_step_lo.val()) & self.idle.val() {
                self.step.d.next = (bit_cast::<64, 32>(self.step.q.val().get_bits::<32>(32)) << 32)
                    | bit_cast::<64, 32>(self.in_wdata.q.val());
            }
            if (self.index.val() == self.r_step_hi.val()) & self.idle.val() {
                self.step.d.next = (bit_cast::<64, 32>(self.in_wdata.q.val()) << 32)
                    | bit_cast::<64, 32>(self.step.q.val().get_bits::<32>(0));
            }
            if self.in_ctrl.q.val() & self.in_wdata.q.val().get_bit(2) {
                self.stop_req.d.next = true;
            }
            if self.in_ctrl.q.val() & self.in_wdata.q.val().get_bit(3) & self.idle.val() {
                self.step.d.next = bits::<64>(0);
                self.hist_wp.d.next = bits::<32>(0);
                self.hist_rp.d.next = bits::<32>(0);
                self.out_head_next.next = bits::<32>(0);
                self.out_tail_next.next = bits::<32>(0);
                self.out_tail1_next.next = bits::<32>(1);
                self.ring_set_by_host.next = true;
                self.spikes_out.d.next = bits::<32>(0);
                self.syn_events.d.next = bits::<32>(0);
                self.stall_cycles.d.next = bits::<32>(0);
                self.spikes_in.d.next = bits::<32>(0);
            }
        }

        // ================= timestep controller =================
        self.syn_rd.d.next = false;
        self.tgt_got.d.next = false;
        self.acc_addr.d.next = false;
        self.acc_rd.d.next = false;
        // Its read address is step − PULSE_WIDTH from the step's start to AfterOn.
        self.due_count.d.next = self.hist_count.read_data.val();
        self.upd_done.d.next = (self.written.q.val() == self.groups.q.val()) & !self.queue.busy.val();
        self.pw_reached.d.next = self.step.q.val() >= bit_cast::<64, 32>(self.pulse_width.q.val());
        self.probe_last.d.next = (self.probe_k.q.val() + 1) == self.probe_count.q.val();
        // The DMA engine has written the record in hand (ProbeHand may hand it the next).
        if self.dma.prb_ack.val() {
            self.prb_valid.d.next = false;
        }
        // While the engine holds no record, the record registers follow the staged one, so
        // ProbeHand's hand-over is `prb_valid` alone: an enable of ~260 flip-flops decoded
        // from the engine's `prb_ack` as well was the longest path at 98.70 MHz. (A record
        // acknowledged in ProbeHand is followed by the next a cycle later.)
        if !self.prb_valid.q.val() {
            self.prb_w0.d.next = self.stg_w0.q.val();
            self.prb_w1.d.next = self.stg_w1.q.val();
            self.prb_w2.d.next = self.stg_w2.q.val();
            self.prb_w3.d.next = self.stg_w3.q.val();
        }
        // After the deliveries: the probes, when there are any and a ring to take them.
        self.walk_done.next = Phase::Finish;
        if (self.probe_count.q.val() != 0) & self.dma.c2h_on.val() {
            self.walk_done.next = Phase::ProbeList;
        }
        self.prb_shifted.next = self.prb_neuron.q.val() >> self.lane_shift.val();
        self.prb_neuron.d.next = self.probe_list.read_data.val();
        self.lane_rgn.d.next = self.region.val();
        // The region of the field read next cycle (field f + 1; fields 0 and 1 are x1).
        self.prb_region.next = self.g_x1.val();
        if self.prb_field.q.val() == 1 {
            self.prb_region.next = self.g_x2.val();
        }
        if self.prb_field.q.val() == 2 {
            self.prb_region.next = self.g_v.val();
        }
        if self.prb_field.q.val() == 3 {
            self.prb_region.next = self.g_m.val();
        }
        if self.prb_field.q.val() == 4 {
            self.prb_region.next = self.g_refr.val();
        }
        if self.prb_field.q.val() == 5 {
            self.prb_region.next = self.g_rng.val();
        }
        self.acc_got.d.next = false;
        self.acc_wrote.d.next = false;
        // In the walk: next cycle no synapse is left and none is in the pipeline before its
        // write step (with no synapse left now none is read this cycle, and every flag moves
        // a step along; a synapse in the write step is written in the cycle the walk leaves
        // the row).
        self.walk_drained.d.next =
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
        match self.phase.q.val() {
            Phase::Idle => {
                self.stop_req.d.next = false;
                self.stalled.d.next = false;
                self.waiting_input.d.next = false;
                if self.in_we.q.val()
                    & self.in_ctrl.q.val()
                    & (self.in_wdata.q.val().get_bit(0) | self.in_wdata.q.val().get_bit(1))
                {
                    self.free_run.d.next = self.in_wdata.q.val().get_bit(1);
                    if !self.pw_ok.q.val() {
                        self.e_width.next = self.k_err_width.val();
                        self.q_error.next = self.k_irq_error.val();
                    } else if (self.run_steps.q.val() != 0) | self.in_wdata.q.val().get_bit(1) {
                        self.checked.d.next = false;
                        self.steps_left.d.next = self.run_steps.q.val();
                        self.phase.d.next = Phase::Check;
                    }
                }
            }
            Phase::Check => {
                if !self.checked.q.val() {
                    // The DMA engine looks at this step's inputs now; its registered answer
                    // (`hold`) is valid from the next cycle.
                    self.checked.d.next = true;
                } else if self.stop_req.q.val() | self.dma.halted.val() {
                    self.phase.d.next = Phase::Idle;
                    self.q_done.next = self.k_irq_done.val();
                } else if self.hist_short.q.val() {
                    self.e_history.next = self.k_err_history.val();
                    self.q_error.next = self.k_irq_error.val();
                    self.q_done.next = self.k_irq_done.val();
                    self.phase.d.next = Phase::Idle;
                } else if self.dma.hold.val() {
                    // Inputs of this step are being applied (below) or fetched, or not posted.
                    if !self.dma.ext_we.val() {
                        self.waiting_input.d.next = true;
                        self.stall_cycles.d.next = self.stall_cycles.q.val() + 1;
                    }
                } else if self.out_short.q.val() {
                    self.waiting_input.d.next = false;
                    self.stalled.d.next = true;
                    self.stall_cycles.d.next = self.stall_cycles.q.val() + 1;
                } else {
                    self.waiting_input.d.next = false;
                    self.stalled.d.next = false;
                    self.issue.d.next = bits::<32>(0);
                    self.issue_more.d.next = self.active.q.val() != 0; // 0 < ceil(active / P)
                    self.written.d.next = bits::<32>(0);
                    self.upd_done.d.next = false;
                    self.groups.d.next = (self.active.q.val() + self.lane_mask.val()) >> self.lane_shift.val();
                    self.step_start.d.next = self.hist_wp.q.val();
                    self.probe_k.d.next = bits::<32>(0);
                    self.phase.d.next = Phase::Update;
                }
            }
            Phase::Update => {
                // One group of P neurons per cycle, while the spike queue has room for all
                // the groups that can be in the lanes. The lanes' read address is the next
                // group's whether or not it issues: it depends on the phase alone, so the
                // issue decision is not in front of every lane memory's address.
                for i in 0..P {
                    self.lanes[i].rd_addr.next = self.issue.q.val().get_bits::<LB>(0);
                }
                if self.issue_more.q.val() & !self.queue.nearly_full.val() {
                    for i in 0..P {
                        self.lanes[i].issue.next = ((self.issue.q.val() << self.lane_shift.val())
                            | self.lane_id[i].val())
                            < self.active.q.val();
                    }
                    self.issue.d.next = self.issue.q.val() + 1;
                    self.issue_more.d.next = (self.issue.q.val() + 1) < self.groups.q.val();
                }
                if self.upd_done.q.val() {
                    self.phase.d.next = Phase::CountWrite;
                }
            }
            Phase::CountWrite => {
                self.hist_count.write_enable.next = true;
                self.walk_idx.d.next = self.step_start.q.val();
                self.walk_end.d.next = self.hist_wp.q.val();
                self.walk_neg.d.next = false;
                if self.step_start.q.val() == self.hist_wp.q.val() {
                    self.phase.d.next = Phase::AfterOn;
                } else {
                    self.phase.d.next = Phase::WalkHist;
                }
            }
            Phase::WalkHist => {
                self.hist.read_address.next = self.walk_idx.q.val().get_bits::<HB>(0);
                self.phase.d.next = Phase::WalkHistQ;
            }
            Phase::WalkHistQ => {
                self.row_src.d.next = self.hist.read_data.val();
                self.phase.d.next = Phase::WalkRow;
            }
            Phase::WalkRow => {
                for i in 0..P {
                    self.lanes[i].rd_addr.next = self.hist_shifted.val().get_bits::<LB>(0);
                }
                self.walk_lane.d.next = self.row_src.q.val() & self.lane_mask.val();
                self.phase.d.next = Phase::WalkRowQ;
            }
            Phase::WalkRowQ => {
                // The lanes hold the row's address in their address register; the row
                // memories read it.
                self.phase.d.next = Phase::WalkRow2;
            }
            Phase::WalkRow2 => {
                self.syn_k.d.next = self.row_start_sel.val();
                self.syn_left.d.next = self.row_len_sel.val();
                self.walk_last.d.next = (self.walk_idx.q.val() + 1) == self.walk_end.q.val();
                self.walk_drained.d.next = false;
                self.phase.d.next = Phase::WalkLen;
            }
            Phase::WalkLen => {
                self.syn_more.d.next = self.syn_left.q.val() != 0;
                // `syn_more` is not the row's before WalkSyn: not drained in its first cycle.
                self.walk_drained.d.next = false;
                self.phase.d.next = Phase::WalkSyn;
            }
            Phase::WalkSyn => {
                // The row's synapses, one per cycle, through the six steps above. The
                // three accumulator writes before a read are not in what it reads, so
                // `acc_now` takes them from `last_acc`/`last_acc2`/`last_acc3` instead.
                // The synapse memories read `syn_k` whether or not a synapse is left (the
                // address depends on the phase alone; `syn_rd` says whether it counts).
                self.syn_target.read_address.next = self.syn_k.q.val().get_bits::<SB>(0);
                self.syn_weight.read_address.next = self.syn_k.q.val().get_bits::<SB>(0);
                if self.syn_more.q.val() {
                    self.syn_k.d.next = self.syn_k.q.val() + 1;
                    self.syn_left.d.next = self.syn_left.q.val() - 1;
                    self.syn_more.d.next = self.syn_left.q.val() != 1;
                    self.syn_rd.d.next = true;
                } else if self.walk_drained.q.val() {
                    self.walk_idx.d.next = self.walk_idx.q.val() + 1;
                    if self.walk_last.q.val() {
                        if self.walk_neg.q.val() {
                            self.phase.d.next = self.walk_done.val();
                        } else {
                            self.phase.d.next = Phase::AfterOn;
                        }
                    } else {
                        self.phase.d.next = Phase::WalkHist;
                    }
                }
                if self.syn_rd.q.val() {
                    self.tgt.d.next = self.syn_target.read_data.val();
                    self.weight.d.next = self.syn_weight.read_data.val();
                    self.tgt_got.d.next = true;
                }
                // The target's accumulator read (used when `tgt_got`; the address is the
                // phase's alone, as in Update).
                for i in 0..P {
                    self.lanes[i].rd_addr.next = self.tgt_shifted.val().get_bits::<LB>(0);
                }
                if self.tgt_got.q.val() {
                    self.a_tgt.d.next = self.tgt.q.val();
                    self.a_delta.d.next = self.weight.q.val(); // Q2.22 pulse starts
                    if self.walk_neg.q.val() {
                        self.a_delta.d.next = -self.weight.q.val(); // Q2.22 pulse ends
                    }
                    self.acc_addr.d.next = true;
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
                    // The synapse before this one is in the write step now; the one
                    // before that is in its lane's write register; the one before that
                    // was written at the clock edge of this read, which the RAM reads first.
                    self.fwd1.d.next = self.acc_got.q.val() & (self.w_tgt.q.val() == self.r_tgt.q.val());
                    self.fwd2.d.next = self.acc_wrote.q.val() & (self.last_tgt.q.val() == self.r_tgt.q.val());
                    self.fwd3.d.next = self.acc_wrote2.q.val() & (self.last_tgt2.q.val() == self.r_tgt.q.val());
                }
                if self.acc_got.q.val() {
                    for i in 0..P {
                        self.lanes[i].wr_en.next = (self.w_tgt.q.val() & self.lane_mask.val()) == self.lane_id[i].val();
                        self.lanes[i].wr_region.next = self.g_acc.val();
                        self.lanes[i].wr_addr.next = self.w_shifted.val().get_bits::<LB>(0);
                        self.lanes[i].wr_data.next = unsigned_cast(self.acc_new.val());
                    }
                    self.last_acc.d.next = self.acc_new.val();
                    self.last_tgt.d.next = self.w_tgt.q.val();
                    self.acc_wrote.d.next = true;
                    if !self.walk_neg.q.val() {
                        self.syn_events.d.next = self.syn_events.q.val() + 1;
                    }
                }
            }
            Phase::AfterOn => {
                // hist_count's read address is step − PULSE_WIDTH throughout the delivery.
                if self.pw_reached.q.val() & (self.due_count.q.val() != 0) {
                    self.walk_idx.d.next = self.hist_rp.q.val();
                    self.walk_end.d.next = self.hist_rp.q.val() + self.due_count.q.val();
                    self.hist_rp.d.next = self.hist_rp.q.val() + self.due_count.q.val();
                    self.walk_neg.d.next = true;
                    self.phase.d.next = Phase::WalkHist;
                } else {
                    self.phase.d.next = self.walk_done.val();
                }
            }
            Phase::ProbeList => {
                self.probe_list.read_address.next = self.probe_k.q.val().get_bits::<PROBE_LIST_BITS>(0);
                self.phase.d.next = Phase::ProbeListQ;
            }
            Phase::ProbeListQ => {
                // The entry goes into `prb_neuron` before it addresses the lanes.
                self.probe_list.read_address.next = self.probe_k.q.val().get_bits::<PROBE_LIST_BITS>(0);
                self.prb_field.d.next = bits::<4>(0);
                self.lane_rgn.d.next = self.g_x1.val();
                self.phase.d.next = Phase::ProbeRead;
            }
            Phase::ProbeRead => {
                // The neuron's address stays on the lanes' read port; from the next cycle
                // on the lanes' address register holds it, from the one after every memory
                // shows it, and from the third on one field a cycle comes out of the lane's
                // read-data mux into the record (low word first, as `ProbeRecord`).
                self.probe_list.read_address.next = self.probe_k.q.val().get_bits::<PROBE_LIST_BITS>(0);
                for i in 0..P {
                    self.lanes[i].rd_addr.next = self.prb_shifted.val().get_bits::<LB>(0);
                }
                self.prb_field.d.next = self.prb_field.q.val() + 1;
                self.lane_rgn.d.next = self.prb_region.val();
                if self.prb_field.q.val() == 3 {
                    self.stg_w1.d.next = bit_cast::<64, 32>(self.prb_rdata.val());
                }
                if self.prb_field.q.val() == 4 {
                    self.stg_w1.d.next = self.stg_w1.q.val() | (bit_cast::<64, 32>(self.prb_rdata.val()) << 32);
                }
                if self.prb_field.q.val() == 5 {
                    self.stg_w2.d.next = bit_cast::<64, 32>(self.prb_rdata.val());
                }
                if self.prb_field.q.val() == 6 {
                    self.stg_w2.d.next = self.stg_w2.q.val() | (bit_cast::<64, 32>(self.prb_rdata.val()) << 32);
                }
                if self.prb_field.q.val() == 7 {
                    self.stg_w3.d.next = bit_cast::<64, 32>(self.prb_rdata.val());
                }
                if self.prb_field.q.val() == 8 {
                    self.stg_w3.d.next = self.stg_w3.q.val() | (bit_cast::<64, 32>(self.prb_rdata.val()) << 32);
                    self.stg_w0.d.next = bit_cast::<64, 32>(self.step.q.val().get_bits::<32>(0))
                        | (bit_cast::<64, 32>(self.prb_neuron.q.val()) << 32);
                    self.phase.d.next = Phase::ProbeHand;
                }
            }
            Phase::ProbeHand => {
                // The engine holds no record: the staged one (already in the record
                // registers, see above) becomes the one it writes. Waiting for the engine
                // or a card-to-host buffer is a stall like waiting for ring room.
                if !self.prb_valid.q.val() {
                    self.prb_valid.d.next = true;
                    self.probe_k.d.next = self.probe_k.q.val() + 1;
                    if self.probe_last.q.val() {
                        self.phase.d.next = Phase::ProbeDrain;
                    } else {
                        self.phase.d.next = Phase::ProbeList;
                    }
                } else if self.dma.halted.val() {
                    self.prb_valid.d.next = false;
                    self.phase.d.next = Phase::Finish;
                } else {
                    self.stall_cycles.d.next = self.stall_cycles.q.val() + 1;
                }
            }
            Phase::ProbeDrain => {
                if self.dma.prb_ack.val() | self.dma.halted.val() {
                    self.prb_valid.d.next = false;
                    self.phase.d.next = Phase::Finish;
                } else {
                    self.stall_cycles.d.next = self.stall_cycles.q.val() + 1;
                }
            }
            Phase::Finish => {
                self.checked.d.next = false;
                self.step.d.next = self.step.q.val() + 1;
                self.steps_left.d.next = self.steps_left.q.val() - 1;
                if ((self.steps_left.q.val() == 1) & !self.free_run.q.val()) | self.stop_req.q.val() {
                    self.phase.d.next = Phase::Idle;
                    self.q_done.next = self.k_irq_done.val();
                } else {
                    self.phase.d.next = Phase::Check;
                }
            }
        }
        if self.out_ready.q.val() & !self.dma.c2h_on.val() {
            self.q_data.next = self.k_irq_data.val();
        }
        self.errors.d.next = (self.errors.q.val() & !self.e_clear.val())
            | self.e_write.val()
            | self.e_history.val()
            | self.e_width.val()
            | self.e_dma.val();
        self.irq_status.d.next = (self.irq_status.q.val() & !self.q_clear.val())
            | self.q_data.val()
            | self.q_done.val()
            | self.q_error.val()
            | self.q_dma.val();
        self.irq.next = (self.irq_status.q.val() & self.irq_mask.q.val()).any();

        // ================= bus reads =================
        self.st_running.next = bits::<32>(0);
        self.st_stalled.next = bits::<32>(0);
        self.st_error.next = bits::<32>(0);
        self.st_wait_input.next = bits::<32>(0);
        if self.waiting_input.q.val() {
            self.st_wait_input.next = self.k_st_wait_input.val();
        }
        if !self.idle.val() {
            self.st_running.next = self.k_st_running.val();
        }
        if self.stalled.q.val() {
            self.st_stalled.next = self.k_st_stalled.val();
        }
        if self.errors.q.val().any() {
            self.st_error.next = self.k_st_error.val();
        }
        self.reg_value.next = bits::<32>(0);
        if self.index.val() == self.r_id.val() {
            self.reg_value.next = self.k_id.val();
        }
        if self.index.val() == self.r_version.val() {
            self.reg_value.next = self.k_version.val();
        }
        if self.index.val() == self.r_features.val() {
            self.reg_value.next = self.k_features.val();
        }
        if self.index.val() == self.r_neurons.val() {
            self.reg_value.next = self.k_neurons.val();
        }
        if self.index.val() == self.r_lanes.val() {
            self.reg_value.next = self.k_lanes.val();
        }
        if self.index.val() == self.r_max_width.val() {
            self.reg_value.next = self.k_max_width.val();
        }
        if self.index.val() == self.r_param_sets.val() {
            self.reg_value.next = bits::<32>(16);
        }
        if self.index.val() == self.r_synapses.val() {
            self.reg_value.next = self.k_synapses.val();
        }
        if self.index.val() == self.r_history.val() {
            self.reg_value.next = self.k_history.val();
        }
        if self.index.val() == self.r_out_ring.val() {
            self.reg_value.next = self.k_out_ring.val();
        }
        if self.index.val() == self.r_active.val() {
            self.reg_value.next = self.active.q.val();
        }
        if self.index.val() == self.r_status.val() {
            self.reg_value.next =
                self.st_running.val() | self.st_stalled.val() | self.st_error.val() | self.st_wait_input.val();
        }
        if self.index.val() == self.r_run_steps.val() {
            self.reg_value.next = self.run_steps.q.val();
        }
        if self.index.val() == self.r_pulse_width.val() {
            self.reg_value.next = self.pulse_width.q.val();
        }
        if self.index.val() == self.r_step_lo.val() {
            self.reg_value.next = self.step.q.val().get_bits::<32>(0);
        }
        if self.index.val() == self.r_step_hi.val() {
            self.reg_value.next = self.step.q.val().get_bits::<32>(32);
        }
        if self.index.val() == self.r_spikes_out.val() {
            self.reg_value.next = self.spikes_out.q.val();
        }
        if self.index.val() == self.r_syn_events.val() {
            self.reg_value.next = self.syn_events.q.val();
        }
        if self.index.val() == self.r_stall_cycles.val() {
            self.reg_value.next = self.stall_cycles.q.val();
        }
        if self.index.val() == self.r_errors.val() {
            self.reg_value.next = self.errors.q.val();
        }
        if self.index.val() == self.r_drops.val() {
            self.reg_value.next = bits::<32>(0);
        }
        if self.index.val() == self.r_spikes_in.val() {
            self.reg_value.next = self.spikes_in.q.val();
        }
        if self.index.val() == self.r_out_head.val() {
            self.reg_value.next = self.out_head.q.val();
        }
        if self.index.val() == self.r_out_tail.val() {
            self.reg_value.next = self.out_tail.q.val();
        }
        if self.index.val() == self.r_irq_mask.val() {
            self.reg_value.next = self.irq_mask.q.val();
        }
        if self.index.val() == self.r_irq_status.val() {
            self.reg_value.next = self.irq_status.q.val();
        }
        if self.index.val() == self.r_probes.val() {
            self.reg_value.next = self.k_probes.val();
        }
        if self.index.val() == self.r_probe_count.val() {
            self.reg_value.next = self.probe_count.q.val();
        }
        self.out_head.d.next = self.out_head_next.val();
        self.out_tail.d.next = self.out_tail_next.val();
        self.out_tail1.d.next = self.out_tail1_next.val();
        // Whether the ring holds a spike after this edge, case by case so that no carry chain
        // feeds it: a push always leaves one (a pop beside it takes an older one); a pop alone
        // leaves one unless it took the last (tail + 1 = head); otherwise head and tail stay.
        if self.ring_set_by_host.val() {
            self.out_ready.d.next = false;
        } else if self.queue.out_valid.val() {
            self.out_ready.d.next = true;
        } else if self.dma.out_pop.val() {
            self.out_ready.d.next = self.out_tail1.q.val() != self.out_head.q.val();
        } else {
            self.out_ready.d.next = self.out_head.q.val() != self.out_tail.q.val();
        }
        self.rd_strobe.d.next = self.in_re.q.val();
        self.rd_region.d.next = self.region.val();
        self.rd_lane.d.next = self.h_lane.val();
        self.rd_half.d.next = self.index.val().get_bit(0);
        self.rd_reg.d.next = self.reg_value.val();
        // Second cycle: each memory's word and the registers', registered as they come.
        self.rd_strobe2.d.next = self.rd_strobe.q.val();
        self.rd_lane2.d.next = self.rd_lane.q.val();
        self.rd_region2.d.next = self.rd_region.q.val();
        self.rd_half2.d.next = self.rd_half.q.val();
        self.rd_tgt_q.d.next = self.syn_target.read_data.val();
        self.rd_weight_q.d.next = unsigned_cast(self.syn_weight.read_data.val());
        self.rd_probe_q.d.next = self.probe_list.read_data.val();
        self.rd_out_q.d.next = self.out_ram.read_data.val();
        // The DMA engine's registers arrive registered too (0 for other indices).
        self.rd_regs_q.d.next = self.rd_reg.q.val() | self.dma.reg_value.val();
        // Third cycle: the region's word.
        self.rd_strobe3.d.next = self.rd_strobe2.q.val();
        self.rd_lane3.d.next = self.rd_lane2.q.val();
        self.rd_word.d.next = bits::<32>(0);
        self.rd_other.d.next = false;
        if self.rd_region2.q.val() == self.g_regs.val() {
            self.rd_word.d.next = self.rd_regs_q.q.val();
            self.rd_other.d.next = true;
        }
        if self.rd_region2.q.val() == self.g_syn_target.val() {
            self.rd_word.d.next = self.rd_tgt_q.q.val();
            self.rd_other.d.next = true;
        }
        if self.rd_region2.q.val() == self.g_syn_weight.val() {
            self.rd_word.d.next = self.rd_weight_q.q.val();
            self.rd_other.d.next = true;
        }
        if self.rd_region2.q.val() == self.g_probe_list.val() {
            self.rd_word.d.next = self.rd_probe_q.q.val();
            self.rd_other.d.next = true;
        }
        if self.rd_region2.q.val() == self.g_out_ring.val() {
            self.rd_other.d.next = true;
            self.rd_word.d.next = self.rd_out_q.q.val().get_bits::<32>(32); // step
            if self.rd_half2.q.val() {
                self.rd_word.d.next = self.rd_out_q.q.val().get_bits::<32>(0); // neuron
            }
        }
        // Fourth cycle: the lanes' word (which comes out of the lanes now).
        self.rd_strobe4.d.next = self.rd_strobe3.q.val();
        self.rd_lane_word.d.next = self.lane_rdata.val();
        self.rd_word4.d.next = self.rd_word.q.val();
        self.rd_other4.d.next = self.rd_other.q.val();
        // Fifth cycle: the word.
        self.bus_rvalid.next = self.rd_strobe4.q.val();
        self.bus_rdata.next = self.rd_lane_word.q.val();
        if self.rd_other4.q.val() {
            self.bus_rdata.next = self.rd_word4.q.val();
        }
    }
}
