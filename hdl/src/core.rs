//! `NeuronCore`: a network of up to 2^NB neurons on one `NeuronPipe`, with its state,
//! synapses and spike history in block RAM, a timestep controller, a register block and
//! memory windows on one word-addressed bus (`memfire_spec::memmap`).
//!
//! One step, as in `memfire_spec::model::Model::step`:
//! 1. **Check**: wait until the output ring has room for a spike from every neuron (the
//!    host is slow: stall, count the cycles, lose nothing) and the history has room.
//! 2. **Update**: stream neurons 0..ACTIVE through the pipeline, input `u = ext + acc`;
//!    write each result back; a spike goes to the history and to the output ring.
//! 3. **On**: for every spike of this step, add each synapse's weight to its target's
//!    accumulator (the pulse starts next step).
//! 4. **Off**: for every spike of step `t − PULSE_WIDTH` (kept in the history), subtract
//!    the weights again (the pulse ends after `PULSE_WIDTH` steps).
//!
//! Per-step spike counts live in a small RAM indexed by step mod 2^WB, so pulses up to
//! 2^WB − 1 steps long are supported; all synapses share one width (the loader checks).
//!
//! The DMA engine (`crate::dma`) sits beside the controller: it drains the output ring into
//! host buffers when `DMA_CTRL.C2H` is set, and in step 1 it applies the step's input events
//! from the host-to-card ring (holding the step until they are in). The bus inputs are
//! registered on entry, so a read's data comes two cycles after its strobe (`bus_rvalid`).

use memfire_spec::memmap::Region;
use memfire_spec::regs::{self, offset};
use rust_hdl::prelude::*;

use crate::dma::DmaEngine;
use crate::neuron_pipe::NeuronPipe;

/// The timestep controller's phase.
#[derive(Copy, Clone, Debug, PartialEq, Eq, LogicState)]
pub enum Phase {
    Idle,
    Check,
    Update,
    CountWrite,
    WalkHist,
    WalkRow,
    WalkRow2,
    WalkSyn,
    WalkAccR,
    WalkAccW,
    AfterOn,
    Finish,
}

/// The core: NB neuron-address bits, SB synapse-address bits, HB history bits, OB
/// output-ring bits, WB bits of the per-step count ring (max pulse width 2^WB − 1).
#[derive(LogicBlock)]
pub struct NeuronCore<const NB: usize, const SB: usize, const HB: usize, const OB: usize, const WB: usize> {
    pub clock: Signal<In, Clock>,
    /// Bus: word address (region · 2^20 + index), write strobe, read strobe.
    pub bus_addr: Signal<In, Bits<25>>,
    pub bus_wdata: Signal<In, Bits<32>>,
    pub bus_we: Signal<In, Bit>,
    pub bus_re: Signal<In, Bit>,
    /// Read data, valid (with `bus_rvalid`) two cycles after `bus_re` (the bus inputs are
    /// registered first).
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

    pipe: NeuronPipe,
    dma: DmaEngine,
    // ---- memories ----
    x1: RAM<Signed<25>, NB>,
    x2: RAM<Signed<25>, NB>,
    v: RAM<Signed<25>, NB>,
    m: RAM<Signed<18>, NB>,
    refr: RAM<Bits<16>, NB>,
    rng: RAM<Bits<32>, NB>,
    set: RAM<Bits<4>, NB>,
    ext: RAM<Signed<32>, NB>,
    acc: RAM<Signed<32>, NB>,
    row_start: RAM<Bits<32>, NB>,
    row_len: RAM<Bits<32>, NB>,
    syn_target: RAM<Bits<32>, SB>,
    syn_weight: RAM<Signed<32>, SB>,
    hist: RAM<Bits<32>, HB>,
    hist_count: RAM<Bits<32>, WB>,
    out_ram: RAM<Bits<64>, OB>,
    // ---- registers ----
    // The bus inputs, registered before any logic sees them (timing, and Verilator then
    // evaluates the core once per cycle rather than on every input change).
    in_addr: DFF<Bits<25>>,
    in_wdata: DFF<Bits<32>>,
    in_we: DFF<Bit>,
    in_re: DFF<Bit>,
    phase: DFF<Phase>,
    run_steps: DFF<Bits<32>>,
    steps_left: DFF<Bits<32>>,
    active: DFF<Bits<32>>,
    pulse_width: DFF<Bits<32>>,
    step: DFF<Bits<64>>,
    spikes_out: DFF<Bits<32>>,
    syn_events: DFF<Bits<32>>,
    stall_cycles: DFF<Bits<32>>,
    errors: DFF<Bits<32>>,
    out_head: DFF<Bits<32>>,
    out_tail: DFF<Bits<32>>,
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
    written: DFF<Bits<32>>,
    rd_valid: DFF<Bit>,
    rd_tag: DFF<Bits<32>>,
    /// The neuron read last cycle, registered once more before the pipeline: the state
    /// RAMs' outputs and `ext + acc` get a cycle of their own instead of sharing one with
    /// the pipeline's first stage (the longest path otherwise).
    f_valid: DFF<Bit>,
    f_tag: DFF<Bits<20>>,
    f_set: DFF<Bits<4>>,
    f_x1: DFF<Signed<25>>,
    f_x2: DFF<Signed<25>>,
    f_v: DFF<Signed<25>>,
    f_m: DFF<Signed<18>>,
    f_refr: DFF<Bits<16>>,
    f_rng: DFF<Bits<32>>,
    f_u: DFF<Signed<48>>,
    // ---- history and walks ----
    hist_wp: DFF<Bits<32>>,
    hist_rp: DFF<Bits<32>>,
    step_start: DFF<Bits<32>>,
    walk_idx: DFF<Bits<32>>,
    walk_end: DFF<Bits<32>>,
    walk_neg: DFF<Bit>,
    syn_k: DFF<Bits<32>>,
    syn_end: DFF<Bits<32>>,
    tgt: DFF<Bits<32>>,
    weight: DFF<Signed<32>>,
    // ---- bus read path ----
    rd_region: DFF<Bits<5>>,
    rd_half: DFF<Bit>,
    rd_reg: DFF<Bits<32>>,
    rd_strobe: DFF<Bit>,
    // ---- decoded bus fields ----
    region: Signal<Local, Bits<5>>,
    index: Signal<Local, Bits<20>>,
    reg_we: Signal<Local, Bit>,
    mem_we: Signal<Local, Bit>,
    idle: Signal<Local, Bit>,
    reg_value: Signal<Local, Bits<32>>,
    out_used: Signal<Local, Bits<32>>,
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
    hist_used: Signal<Local, Bits<32>>,
    e_dma: Signal<Local, Bits<32>>,
    q_dma: Signal<Local, Bits<32>>,
    st_wait_input: Signal<Local, Bits<32>>,
    // ---- constants (from the spec's tables) ----
    k_id: Constant<Bits<32>>,
    k_version: Constant<Bits<32>>,
    k_features: Constant<Bits<32>>,
    k_neurons: Constant<Bits<32>>,
    k_max_width: Constant<Bits<32>>,
    k_synapses: Constant<Bits<32>>,
    k_history: Constant<Bits<32>>,
    k_out_ring: Constant<Bits<32>>,
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
    // Regions.
    g_regs: Constant<Bits<5>>,
    g_coef: Constant<Bits<5>>,
    g_drive: Constant<Bits<5>>,
    g_sqrt: Constant<Bits<5>>,
    g_x1: Constant<Bits<5>>,
    g_x2: Constant<Bits<5>>,
    g_v: Constant<Bits<5>>,
    g_m: Constant<Bits<5>>,
    g_refr: Constant<Bits<5>>,
    g_rng: Constant<Bits<5>>,
    g_set: Constant<Bits<5>>,
    g_ext: Constant<Bits<5>>,
    g_acc: Constant<Bits<5>>,
    g_row_start: Constant<Bits<5>>,
    g_row_len: Constant<Bits<5>>,
    g_syn_target: Constant<Bits<5>>,
    g_syn_weight: Constant<Bits<5>>,
    g_out_ring: Constant<Bits<5>>,
}

fn word(x: u64) -> Constant<Bits<32>> {
    Constant::new(x.into())
}

/// The bus index of the register at `byte_offset` (see `memfire_spec::regs::offset`), as a
/// constant of the register decoders here and in `crate::dma`.
pub(crate) fn reg(byte_offset: u32) -> Constant<Bits<20>> {
    Constant::new(u64::from(byte_offset / 4).into())
}

fn region(r: Region) -> Constant<Bits<5>> {
    Constant::new((r as u64).into())
}

impl<const NB: usize, const SB: usize, const HB: usize, const OB: usize, const WB: usize> Default
    for NeuronCore<NB, SB, HB, OB, WB>
{
    fn default() -> Self {
        assert!(
            NB <= 20 && SB <= 20 && HB <= 20 && OB <= 19 && WB <= 16,
            "address fields are 20 bits"
        );
        let features = regs::features::NOISE | regs::features::C2C | regs::features::DMA;
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
            pipe: Default::default(),
            dma: Default::default(),
            x1: Default::default(),
            x2: Default::default(),
            v: Default::default(),
            m: Default::default(),
            refr: Default::default(),
            rng: Default::default(),
            set: Default::default(),
            ext: Default::default(),
            acc: Default::default(),
            row_start: Default::default(),
            row_len: Default::default(),
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
            pulse_width: Default::default(),
            step: Default::default(),
            spikes_out: Default::default(),
            syn_events: Default::default(),
            stall_cycles: Default::default(),
            errors: Default::default(),
            out_head: Default::default(),
            out_tail: Default::default(),
            irq_mask: Default::default(),
            irq_status: Default::default(),
            stop_req: Default::default(),
            free_run: Default::default(),
            spikes_in: Default::default(),
            stalled: Default::default(),
            waiting_input: Default::default(),
            checked: Default::default(),
            issue: Default::default(),
            written: Default::default(),
            rd_valid: Default::default(),
            rd_tag: Default::default(),
            f_valid: Default::default(),
            f_tag: Default::default(),
            f_set: Default::default(),
            f_x1: Default::default(),
            f_x2: Default::default(),
            f_v: Default::default(),
            f_m: Default::default(),
            f_refr: Default::default(),
            f_rng: Default::default(),
            f_u: Default::default(),
            hist_wp: Default::default(),
            hist_rp: Default::default(),
            step_start: Default::default(),
            walk_idx: Default::default(),
            walk_end: Default::default(),
            walk_neg: Default::default(),
            syn_k: Default::default(),
            syn_end: Default::default(),
            tgt: Default::default(),
            weight: Default::default(),
            rd_region: Default::default(),
            rd_half: Default::default(),
            rd_reg: Default::default(),
            rd_strobe: Default::default(),
            region: Default::default(),
            index: Default::default(),
            reg_we: Default::default(),
            mem_we: Default::default(),
            idle: Default::default(),
            reg_value: Default::default(),
            out_used: Default::default(),
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
            hist_used: Default::default(),
            e_dma: Default::default(),
            q_dma: Default::default(),
            st_wait_input: Default::default(),
            k_id: word(u64::from(regs::MAGIC)),
            k_version: word(u64::from(regs::VERSION)),
            k_features: word(u64::from(features)),
            k_neurons: word(1 << NB),
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
            g_x1: region(Region::X1),
            g_x2: region(Region::X2),
            g_v: region(Region::V),
            g_m: region(Region::M),
            g_refr: region(Region::Refractory),
            g_rng: region(Region::Rng),
            g_set: region(Region::Set),
            g_ext: region(Region::Ext),
            g_acc: region(Region::Acc),
            g_row_start: region(Region::RowStart),
            g_row_len: region(Region::RowLen),
            g_syn_target: region(Region::SynTarget),
            g_syn_weight: region(Region::SynWeight),
            g_out_ring: region(Region::OutRing),
        }
    }
}

impl<const NB: usize, const SB: usize, const HB: usize, const OB: usize, const WB: usize>
    NeuronCore<NB, SB, HB, OB, WB>
{
    /// For a top that leaves the memory-request port unconnected (a UART board): FEATURES
    /// does not announce DMA, so the driver reads spikes through the output-ring window.
    pub fn without_dma_port(mut self) -> Self {
        self.k_features = word(u64::from(regs::features::NOISE | regs::features::C2C));
        self
    }
}

impl<const NB: usize, const SB: usize, const HB: usize, const OB: usize, const WB: usize> Logic
    for NeuronCore<NB, SB, HB, OB, WB>
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
            phase,
            run_steps,
            steps_left,
            active,
            pulse_width,
            step,
            spikes_out,
            syn_events,
            stall_cycles,
            errors,
            out_head,
            out_tail,
            irq_mask,
            irq_status,
            stop_req,
            free_run,
            spikes_in,
            stalled,
            waiting_input,
            checked,
            issue,
            written,
            rd_valid,
            rd_tag,
            f_valid,
            f_tag,
            f_set,
            f_x1,
            f_x2,
            f_v,
            f_m,
            f_refr,
            f_rng,
            f_u,
            hist_wp,
            hist_rp,
            step_start,
            walk_idx,
            walk_end,
            walk_neg,
            syn_k,
            syn_end,
            tgt,
            weight,
            rd_region,
            rd_half,
            rd_reg,
            rd_strobe
        );
        clock!(self, clock, pipe, dma);
        self.x1.read_clock.next = self.clock.val();
        self.x1.write_clock.next = self.clock.val();
        self.x2.read_clock.next = self.clock.val();
        self.x2.write_clock.next = self.clock.val();
        self.v.read_clock.next = self.clock.val();
        self.v.write_clock.next = self.clock.val();
        self.m.read_clock.next = self.clock.val();
        self.m.write_clock.next = self.clock.val();
        self.refr.read_clock.next = self.clock.val();
        self.refr.write_clock.next = self.clock.val();
        self.rng.read_clock.next = self.clock.val();
        self.rng.write_clock.next = self.clock.val();
        self.set.read_clock.next = self.clock.val();
        self.set.write_clock.next = self.clock.val();
        self.ext.read_clock.next = self.clock.val();
        self.ext.write_clock.next = self.clock.val();
        self.acc.read_clock.next = self.clock.val();
        self.acc.write_clock.next = self.clock.val();
        self.row_start.read_clock.next = self.clock.val();
        self.row_start.write_clock.next = self.clock.val();
        self.row_len.read_clock.next = self.clock.val();
        self.row_len.write_clock.next = self.clock.val();
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

        self.in_addr.d.next = self.bus_addr.val();
        self.in_wdata.d.next = self.bus_wdata.val();
        self.in_we.d.next = self.bus_we.val();
        self.in_re.d.next = self.bus_re.val();

        // ================= bus decode =================
        self.region.next = self.in_addr.q.val().get_bits::<5>(20);
        self.index.next = self.in_addr.q.val().get_bits::<20>(0);
        self.idle.next = self.phase.q.val() == Phase::Idle;
        self.reg_we.next = self.in_we.q.val() & (self.region.val() == self.g_regs.val());
        self.mem_we.next = self.in_we.q.val() & (self.region.val() != self.g_regs.val()) & self.idle.val();
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
        if self.in_we.q.val() & (self.region.val() != self.g_regs.val()) & !self.idle.val() {
            self.e_write.next = self.k_err_write.val();
            self.q_error.next = self.k_irq_error.val();
        }
        self.out_used.next = self.out_head.q.val() - self.out_tail.q.val();
        self.hist_used.next = self.hist_wp.q.val() - self.hist_rp.q.val();

        if self.mem_we.val() & (self.region.val() == self.g_ext.val()) {
            self.spikes_in.d.next = self.spikes_in.q.val() + 1;
        }

        // ================= DMA engine =================
        self.dma.reg_index.next = self.index.val();
        self.dma.reg_wdata.next = self.in_wdata.q.val();
        self.dma.reg_we.next = self.reg_we.val();
        self.dma.clear.next = self.reg_we.val()
            & (self.index.val() == self.r_ctrl.val())
            & self.in_wdata.q.val().get_bit(3)
            & self.idle.val();
        self.dma.core_idle.next = self.idle.val();
        self.dma.out_avail.next = self.out_used.val().any();
        self.dma.out_data.next = self.out_ram.read_data.val();
        self.dma.step_lo.next = self.step.q.val().get_bits::<32>(0);
        self.dma.in_check.next = self.phase.q.val() == Phase::Check;
        self.dma.mem_req_ready.next = self.mem_req_ready.val();
        self.dma.mem_rsp_valid.next = self.mem_rsp_valid.val();
        self.dma.mem_rsp_data.next = self.mem_rsp_data.val();
        self.dma.mem_rsp_error.next = self.mem_rsp_error.val();
        self.mem_req_valid.next = self.dma.mem_req_valid.val();
        self.mem_req_write.next = self.dma.mem_req_write.val();
        self.mem_req_addr.next = self.dma.mem_req_addr.val();
        self.mem_req_wdata.next = self.dma.mem_req_wdata.val();
        if self.dma.out_pop.val() {
            self.out_tail.d.next = self.out_tail.q.val() + 1;
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

        // ================= pipeline configuration (host, while idle) =================
        self.pipe.cfg_addr.next = bit_cast::<16, 20>(self.index.val());
        self.pipe.cfg_data.next = self.in_wdata.q.val();
        self.pipe.coef_we.next = self.mem_we.val() & (self.region.val() == self.g_coef.val());
        self.pipe.drive_we.next = self.mem_we.val() & (self.region.val() == self.g_drive.val());
        self.pipe.sqrt_we.next = self.mem_we.val() & (self.region.val() == self.g_sqrt.val());

        // ================= memory ports: defaults are the host's =================
        self.x1.read_address.next = self.index.val().get_bits::<NB>(0);
        self.x2.read_address.next = self.index.val().get_bits::<NB>(0);
        self.v.read_address.next = self.index.val().get_bits::<NB>(0);
        self.m.read_address.next = self.index.val().get_bits::<NB>(0);
        self.refr.read_address.next = self.index.val().get_bits::<NB>(0);
        self.rng.read_address.next = self.index.val().get_bits::<NB>(0);
        self.set.read_address.next = self.index.val().get_bits::<NB>(0);
        self.ext.read_address.next = self.index.val().get_bits::<NB>(0);
        self.acc.read_address.next = self.index.val().get_bits::<NB>(0);
        self.row_start.read_address.next = self.index.val().get_bits::<NB>(0);
        self.row_len.read_address.next = self.index.val().get_bits::<NB>(0);
        self.syn_target.read_address.next = self.index.val().get_bits::<SB>(0);
        self.syn_weight.read_address.next = self.index.val().get_bits::<SB>(0);
        self.hist.read_address.next = self.index.val().get_bits::<HB>(0);
        self.out_ram.read_address.next = self.index.val().get_bits::<OB>(1);
        if self.dma.c2h_on.val() {
            self.out_ram.read_address.next = self.out_tail.q.val().get_bits::<OB>(0);
        }
        self.hist_count.read_address.next =
            (self.step.q.val().get_bits::<WB>(0)) - self.pulse_width.q.val().get_bits::<WB>(0);

        self.x1.write_address.next = self.index.val().get_bits::<NB>(0);
        self.x2.write_address.next = self.index.val().get_bits::<NB>(0);
        self.v.write_address.next = self.index.val().get_bits::<NB>(0);
        self.m.write_address.next = self.index.val().get_bits::<NB>(0);
        self.refr.write_address.next = self.index.val().get_bits::<NB>(0);
        self.rng.write_address.next = self.index.val().get_bits::<NB>(0);
        self.set.write_address.next = self.index.val().get_bits::<NB>(0);
        self.ext.write_address.next = self.index.val().get_bits::<NB>(0);
        self.acc.write_address.next = self.index.val().get_bits::<NB>(0);
        self.row_start.write_address.next = self.index.val().get_bits::<NB>(0);
        self.row_len.write_address.next = self.index.val().get_bits::<NB>(0);
        self.syn_target.write_address.next = self.index.val().get_bits::<SB>(0);
        self.syn_weight.write_address.next = self.index.val().get_bits::<SB>(0);
        self.x1.write_data.next = signed_cast(self.in_wdata.q.val().get_bits::<25>(0));
        self.x2.write_data.next = signed_cast(self.in_wdata.q.val().get_bits::<25>(0));
        self.v.write_data.next = signed_cast(self.in_wdata.q.val().get_bits::<25>(0));
        self.m.write_data.next = signed_cast(self.in_wdata.q.val().get_bits::<18>(0));
        self.refr.write_data.next = self.in_wdata.q.val().get_bits::<16>(0);
        self.rng.write_data.next = self.in_wdata.q.val();
        self.set.write_data.next = self.in_wdata.q.val().get_bits::<4>(0);
        self.ext.write_data.next = signed_cast(self.in_wdata.q.val());
        self.acc.write_data.next = signed_cast(self.in_wdata.q.val());
        self.row_start.write_data.next = self.in_wdata.q.val();
        self.row_len.write_data.next = self.in_wdata.q.val();
        self.syn_target.write_data.next = self.in_wdata.q.val();
        self.syn_weight.write_data.next = signed_cast(self.in_wdata.q.val());
        self.x1.write_enable.next = self.mem_we.val() & (self.region.val() == self.g_x1.val());
        self.x2.write_enable.next = self.mem_we.val() & (self.region.val() == self.g_x2.val());
        self.v.write_enable.next = self.mem_we.val() & (self.region.val() == self.g_v.val());
        self.m.write_enable.next = self.mem_we.val() & (self.region.val() == self.g_m.val());
        self.refr.write_enable.next = self.mem_we.val() & (self.region.val() == self.g_refr.val());
        self.rng.write_enable.next = self.mem_we.val() & (self.region.val() == self.g_rng.val());
        self.set.write_enable.next = self.mem_we.val() & (self.region.val() == self.g_set.val());
        self.ext.write_enable.next = self.mem_we.val() & (self.region.val() == self.g_ext.val());
        self.acc.write_enable.next = self.mem_we.val() & (self.region.val() == self.g_acc.val());
        self.row_start.write_enable.next = self.mem_we.val() & (self.region.val() == self.g_row_start.val());
        self.row_len.write_enable.next = self.mem_we.val() & (self.region.val() == self.g_row_len.val());
        self.syn_target.write_enable.next = self.mem_we.val() & (self.region.val() == self.g_syn_target.val());
        self.syn_weight.write_enable.next = self.mem_we.val() & (self.region.val() == self.g_syn_weight.val());
        self.hist.write_address.next = self.hist_wp.q.val().get_bits::<HB>(0);
        self.hist.write_data.next = bit_cast::<32, 20>(self.pipe.out_tag.val());
        self.hist.write_enable.next = false;
        self.hist_count.write_address.next = self.step.q.val().get_bits::<WB>(0);
        self.hist_count.write_data.next = self.hist_wp.q.val() - self.step_start.q.val();
        self.hist_count.write_enable.next = false;
        self.out_ram.write_address.next = self.out_head.q.val().get_bits::<OB>(0);
        self.out_ram.write_data.next = (bit_cast::<64, 32>(self.step.q.val().get_bits::<32>(0)) << 32)
            | bit_cast::<64, 20>(self.pipe.out_tag.val());
        self.out_ram.write_enable.next = false;
        // An input event from the DMA engine (only while the controller checks a step; the
        // host's EXT writes happen only while idle).
        if self.dma.ext_we.val() {
            self.ext.write_address.next = self.dma.ext_neuron.val().get_bits::<NB>(0);
            self.ext.write_data.next = signed_cast(self.dma.ext_volts.val());
            self.ext.write_enable.next = true;
            self.spikes_in.d.next = self.spikes_in.q.val() + 1;
        }

        // ================= pipeline input: the neuron read last cycle, registered once more =================
        self.rd_valid.d.next = false;
        self.rd_tag.d.next = self.issue.q.val();
        self.f_valid.d.next = self.rd_valid.q.val();
        self.f_tag.d.next = self.rd_tag.q.val().get_bits::<20>(0);
        self.f_set.d.next = self.set.read_data.val();
        self.f_x1.d.next = self.x1.read_data.val();
        self.f_x2.d.next = self.x2.read_data.val();
        self.f_v.d.next = self.v.read_data.val();
        self.f_m.d.next = self.m.read_data.val();
        self.f_refr.d.next = self.refr.read_data.val();
        self.f_rng.d.next = self.rng.read_data.val();
        self.f_u.d.next =
            signed_bit_cast::<48, 32>(self.ext.read_data.val()) + signed_bit_cast::<48, 32>(self.acc.read_data.val()); // Q2.22 ext + syn
        self.pipe.in_valid.next = self.f_valid.q.val();
        self.pipe.in_tag.next = self.f_tag.q.val();
        self.pipe.in_set.next = self.f_set.q.val();
        self.pipe.in_x1.next = self.f_x1.q.val();
        self.pipe.in_x2.next = self.f_x2.q.val();
        self.pipe.in_v.next = self.f_v.q.val();
        self.pipe.in_m.next = self.f_m.q.val();
        self.pipe.in_refr.next = self.f_refr.q.val();
        self.pipe.in_rng.next = self.f_rng.q.val();
        self.pipe.in_u.next = self.f_u.q.val();

        // ================= pipeline output: write back, record spikes =================
        if self.pipe.out_valid.val() {
            self.x1.write_address.next = self.pipe.out_tag.val().get_bits::<NB>(0);
            self.x2.write_address.next = self.pipe.out_tag.val().get_bits::<NB>(0);
            self.v.write_address.next = self.pipe.out_tag.val().get_bits::<NB>(0);
            self.m.write_address.next = self.pipe.out_tag.val().get_bits::<NB>(0);
            self.refr.write_address.next = self.pipe.out_tag.val().get_bits::<NB>(0);
            self.rng.write_address.next = self.pipe.out_tag.val().get_bits::<NB>(0);
            self.x1.write_data.next = self.pipe.out_x1.val();
            self.x2.write_data.next = self.pipe.out_x2.val();
            self.v.write_data.next = self.pipe.out_v.val();
            self.m.write_data.next = self.pipe.out_m.val();
            self.refr.write_data.next = self.pipe.out_refr.val();
            self.rng.write_data.next = self.pipe.out_rng.val();
            self.x1.write_enable.next = true;
            self.x2.write_enable.next = true;
            self.v.write_enable.next = true;
            self.m.write_enable.next = true;
            self.refr.write_enable.next = true;
            self.rng.write_enable.next = true;
            self.written.d.next = self.written.q.val() + 1;
            if self.pipe.out_spike.val() {
                self.hist.write_enable.next = true;
                self.hist_wp.d.next = self.hist_wp.q.val() + 1;
                self.out_ram.write_enable.next = true;
                self.out_head.d.next = self.out_head.q.val() + 1;
                self.spikes_out.d.next = self.spikes_out.q.val() + 1;
            }
        }

        // ================= register writes =================
        if self.reg_we.val() {
            if self.index.val() == self.r_run_steps.val() {
                self.run_steps.d.next = self.in_wdata.q.val();
            }
            if self.index.val() == self.r_active.val() {
                self.active.d.next = self.in_wdata.q.val();
            }
            if self.index.val() == self.r_pulse_width.val() {
                self.pulse_width.d.next = self.in_wdata.q.val();
            }
            if self.index.val() == self.r_out_tail.val() {
                self.out_tail.d.next = self.in_wdata.q.val();
            }
            if self.index.val() == self.r_irq_mask.val() {
                self.irq_mask.d.next = self.in_wdata.q.val();
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
            if (self.index.val() == self.r_ctrl.val()) & self.in_wdata.q.val().get_bit(2) {
                self.stop_req.d.next = true;
            }
            if (self.index.val() == self.r_ctrl.val()) & self.in_wdata.q.val().get_bit(3) & self.idle.val() {
                self.step.d.next = bits::<64>(0);
                self.hist_wp.d.next = bits::<32>(0);
                self.hist_rp.d.next = bits::<32>(0);
                self.out_head.d.next = bits::<32>(0);
                self.out_tail.d.next = bits::<32>(0);
                self.spikes_out.d.next = bits::<32>(0);
                self.syn_events.d.next = bits::<32>(0);
                self.stall_cycles.d.next = bits::<32>(0);
                self.spikes_in.d.next = bits::<32>(0);
            }
        }

        // ================= timestep controller =================
        match self.phase.q.val() {
            Phase::Idle => {
                self.stop_req.d.next = false;
                self.stalled.d.next = false;
                self.waiting_input.d.next = false;
                if self.reg_we.val()
                    & (self.index.val() == self.r_ctrl.val())
                    & (self.in_wdata.q.val().get_bit(0) | self.in_wdata.q.val().get_bit(1))
                {
                    self.free_run.d.next = self.in_wdata.q.val().get_bit(1);
                    if (self.pulse_width.q.val() == 0) | (self.pulse_width.q.val() > self.k_max_width.val()) {
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
                } else if (self.k_history.val() - self.hist_used.val()) < self.active.q.val() {
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
                } else if (self.k_out_ring.val() - self.out_used.val()) < self.active.q.val() {
                    self.waiting_input.d.next = false;
                    self.stalled.d.next = true;
                    self.stall_cycles.d.next = self.stall_cycles.q.val() + 1;
                } else {
                    self.waiting_input.d.next = false;
                    self.stalled.d.next = false;
                    self.issue.d.next = bits::<32>(0);
                    self.written.d.next = bits::<32>(0);
                    self.step_start.d.next = self.hist_wp.q.val();
                    self.phase.d.next = Phase::Update;
                }
            }
            Phase::Update => {
                if self.issue.q.val() < self.active.q.val() {
                    self.x1.read_address.next = self.issue.q.val().get_bits::<NB>(0);
                    self.x2.read_address.next = self.issue.q.val().get_bits::<NB>(0);
                    self.v.read_address.next = self.issue.q.val().get_bits::<NB>(0);
                    self.m.read_address.next = self.issue.q.val().get_bits::<NB>(0);
                    self.refr.read_address.next = self.issue.q.val().get_bits::<NB>(0);
                    self.rng.read_address.next = self.issue.q.val().get_bits::<NB>(0);
                    self.set.read_address.next = self.issue.q.val().get_bits::<NB>(0);
                    self.ext.read_address.next = self.issue.q.val().get_bits::<NB>(0);
                    self.acc.read_address.next = self.issue.q.val().get_bits::<NB>(0);
                    self.rd_valid.d.next = true;
                    self.issue.d.next = self.issue.q.val() + 1;
                }
                if self.written.q.val() == self.active.q.val() {
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
                self.phase.d.next = Phase::WalkRow;
            }
            Phase::WalkRow => {
                self.row_start.read_address.next = self.hist.read_data.val().get_bits::<NB>(0);
                self.row_len.read_address.next = self.hist.read_data.val().get_bits::<NB>(0);
                self.phase.d.next = Phase::WalkRow2;
            }
            Phase::WalkRow2 => {
                self.syn_k.d.next = self.row_start.read_data.val();
                self.syn_end.d.next = self.row_start.read_data.val() + self.row_len.read_data.val();
                self.phase.d.next = Phase::WalkSyn;
            }
            Phase::WalkSyn => {
                if self.syn_k.q.val() == self.syn_end.q.val() {
                    self.walk_idx.d.next = self.walk_idx.q.val() + 1;
                    if self.walk_idx.q.val() + 1 == self.walk_end.q.val() {
                        if self.walk_neg.q.val() {
                            self.phase.d.next = Phase::Finish;
                        } else {
                            self.phase.d.next = Phase::AfterOn;
                        }
                    } else {
                        self.phase.d.next = Phase::WalkHist;
                    }
                } else {
                    self.syn_target.read_address.next = self.syn_k.q.val().get_bits::<SB>(0);
                    self.syn_weight.read_address.next = self.syn_k.q.val().get_bits::<SB>(0);
                    self.phase.d.next = Phase::WalkAccR;
                }
            }
            Phase::WalkAccR => {
                self.acc.read_address.next = self.syn_target.read_data.val().get_bits::<NB>(0);
                self.tgt.d.next = self.syn_target.read_data.val();
                self.weight.d.next = self.syn_weight.read_data.val();
                self.phase.d.next = Phase::WalkAccW;
            }
            Phase::WalkAccW => {
                self.acc.write_address.next = self.tgt.q.val().get_bits::<NB>(0);
                self.acc.write_data.next = self.acc.read_data.val() + self.weight.q.val(); // Q2.22 pulse starts
                if self.walk_neg.q.val() {
                    self.acc.write_data.next = self.acc.read_data.val() - self.weight.q.val();
                // Q2.22 pulse ends
                } else {
                    self.syn_events.d.next = self.syn_events.q.val() + 1;
                }
                self.acc.write_enable.next = true;
                self.syn_k.d.next = self.syn_k.q.val() + 1;
                self.phase.d.next = Phase::WalkSyn;
            }
            Phase::AfterOn => {
                // hist_count's read address is step − PULSE_WIDTH throughout the delivery.
                if (self.step.q.val() >= bit_cast::<64, 32>(self.pulse_width.q.val()))
                    & (self.hist_count.read_data.val() != 0)
                {
                    self.walk_idx.d.next = self.hist_rp.q.val();
                    self.walk_end.d.next = self.hist_rp.q.val() + self.hist_count.read_data.val();
                    self.hist_rp.d.next = self.hist_rp.q.val() + self.hist_count.read_data.val();
                    self.walk_neg.d.next = true;
                    self.phase.d.next = Phase::WalkHist;
                } else {
                    self.phase.d.next = Phase::Finish;
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
        if self.out_used.val().any() & !self.dma.c2h_on.val() {
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
            self.reg_value.next = bits::<32>(1);
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
        self.rd_strobe.d.next = self.in_re.q.val();
        self.rd_region.d.next = self.region.val();
        self.rd_half.d.next = self.index.val().get_bit(0);
        self.rd_reg.d.next = self.reg_value.val();
        self.bus_rvalid.next = self.rd_strobe.q.val();
        self.bus_rdata.next = bits::<32>(0);
        if self.rd_region.q.val() == self.g_regs.val() {
            // The DMA engine's registers arrive registered too (0 for other indices).
            self.bus_rdata.next = self.rd_reg.q.val() | self.dma.reg_value.val();
        }
        if self.rd_region.q.val() == self.g_x1.val() {
            self.bus_rdata.next = unsigned_cast(signed_bit_cast::<32, 25>(self.x1.read_data.val()));
        }
        if self.rd_region.q.val() == self.g_x2.val() {
            self.bus_rdata.next = unsigned_cast(signed_bit_cast::<32, 25>(self.x2.read_data.val()));
        }
        if self.rd_region.q.val() == self.g_v.val() {
            self.bus_rdata.next = unsigned_cast(signed_bit_cast::<32, 25>(self.v.read_data.val()));
        }
        if self.rd_region.q.val() == self.g_m.val() {
            self.bus_rdata.next = unsigned_cast(signed_bit_cast::<32, 18>(self.m.read_data.val()));
        }
        if self.rd_region.q.val() == self.g_refr.val() {
            self.bus_rdata.next = bit_cast::<32, 16>(self.refr.read_data.val());
        }
        if self.rd_region.q.val() == self.g_rng.val() {
            self.bus_rdata.next = self.rng.read_data.val();
        }
        if self.rd_region.q.val() == self.g_set.val() {
            self.bus_rdata.next = bit_cast::<32, 4>(self.set.read_data.val());
        }
        if self.rd_region.q.val() == self.g_ext.val() {
            self.bus_rdata.next = unsigned_cast(self.ext.read_data.val());
        }
        if self.rd_region.q.val() == self.g_acc.val() {
            self.bus_rdata.next = unsigned_cast(self.acc.read_data.val());
        }
        if self.rd_region.q.val() == self.g_row_start.val() {
            self.bus_rdata.next = self.row_start.read_data.val();
        }
        if self.rd_region.q.val() == self.g_row_len.val() {
            self.bus_rdata.next = self.row_len.read_data.val();
        }
        if self.rd_region.q.val() == self.g_syn_target.val() {
            self.bus_rdata.next = self.syn_target.read_data.val();
        }
        if self.rd_region.q.val() == self.g_syn_weight.val() {
            self.bus_rdata.next = unsigned_cast(self.syn_weight.read_data.val());
        }
        if self.rd_region.q.val() == self.g_out_ring.val() {
            self.bus_rdata.next = self.out_ram.read_data.val().get_bits::<32>(32); // step
            if self.rd_half.q.val() {
                self.bus_rdata.next = self.out_ram.read_data.val().get_bits::<32>(0);
                // neuron
            }
        }
    }
}
