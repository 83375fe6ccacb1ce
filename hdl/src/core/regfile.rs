//! `RegisterFile`: the core's registers of `memfire_spec::regs` (offsets below 0x100; the
//! DMA engine decodes its own). It holds the host's settings, the counters, `ERRORS` and
//! `IRQ_STATUS`, decodes `CTRL` into commands for the controller, and answers a read with
//! the word of the register addressed two cycles later (the index's comparisons
//! registered, then the word they choose). Every offset, bit and reset value comes from the
//! spec's table (`memfire_spec::regs`); `tests/register_file.rs` reads and writes every register
//! of that table through this block.

use memfire_spec::regs::{self, offset, Access};
use rust_hdl::prelude::*;

use super::read_select::ReadSelect;
use super::{reg, word};

/// Whether the register at `byte_offset` is this block's: every register below the DMA
/// engine's block, but the interrupt coalescing pair, which the DMA engine keeps.
pub const fn is_core_register(byte_offset: u32) -> bool {
    byte_offset < offset::DMA_CTRL
        && byte_offset != offset::IRQ_COALESCE_COUNT
        && byte_offset != offset::IRQ_COALESCE_CYCLES
}

/// `CLASSES`'s value after power-up, from the register table.
const CLASSES_RESET: u32 = regs::at_offset(offset::CLASSES).reset;

/// What the read-only geometry registers report.
#[derive(Debug, Clone, Copy)]
pub struct Geometry {
    pub neurons: u64,
    pub lanes: u64,
    pub max_width: u64,
    pub width_classes: u64,
    pub param_sets: u64,
    pub synapses: u64,
    pub history: u64,
    pub out_ring: u64,
    pub probes: u64,
    pub features: u32,
}

#[derive(LogicBlock)]
pub struct RegisterFile {
    pub clock: Signal<In, Clock>,
    /// The registered bus access (from `BusPort`).
    pub index: Signal<In, Bits<20>>,
    pub wdata: Signal<In, Bits<32>>,
    pub reg_we: Signal<In, Bit>,
    pub ctrl_we: Signal<In, Bit>,
    pub idle: Signal<In, Bit>,
    /// Error events, each raising its `ERRORS` bit and `IRQ_STATUS.ERROR`.
    pub write_refused: Signal<In, Bit>,
    pub history_full: Signal<In, Bit>,
    pub bad_width: Signal<In, Bit>,
    pub dma_fault: Signal<In, Bit>,
    pub dma_read_fault: Signal<In, Bit>,
    /// Interrupt events: a run ended, the DMA engine's coalesced completion, and the output
    /// ring holding spikes while they are read through the window (not by the DMA engine).
    pub run_done: Signal<In, Bit>,
    pub dma_irq: Signal<In, Bit>,
    pub out_ready: Signal<In, Bit>,
    pub c2h_on: Signal<In, Bit>,
    /// Counter events: a spike out, the pulse starts delivered this cycle, a stalled
    /// cycle, an input update from the host's bus and from the DMA engine.
    pub spike_out: Signal<In, Bit>,
    pub syn_event_count: Signal<In, Bits<8>>,
    pub stall: Signal<In, Bit>,
    pub host_input: Signal<In, Bit>,
    pub dma_input: Signal<In, Bit>,
    /// Values the registers show that other blocks keep.
    pub step: Signal<In, Bits<64>>,
    pub out_head: Signal<In, Bits<32>>,
    pub out_tail: Signal<In, Bits<32>>,
    pub stalled: Signal<In, Bit>,
    pub waiting_input: Signal<In, Bit>,

    /// The host's settings.
    pub run_steps: Signal<Out, Bits<32>>,
    pub active: Signal<Out, Bits<32>>,
    pub classes: Signal<Out, Bits<32>>,
    /// `classes` is a number the core has (1..=WIDTH_CLASSES), decided as it is written.
    pub classes_ok: Signal<Out, Bit>,
    pub probe_count: Signal<Out, Bits<32>>,
    /// `CTRL` commands: RUN or FREE_RUN (and which), STOP, CLEAR (only while idle).
    pub run_cmd: Signal<Out, Bit>,
    pub free_run: Signal<Out, Bit>,
    pub stop_cmd: Signal<Out, Bit>,
    pub clear: Signal<Out, Bit>,
    /// Host writes to registers other blocks keep: STEP_LO/STEP_HI (while idle), OUT_TAIL.
    pub step_lo_we: Signal<Out, Bit>,
    pub step_hi_we: Signal<Out, Bit>,
    pub out_tail_we: Signal<Out, Bit>,
    /// Level interrupt: `IRQ_STATUS & IRQ_MASK` is not zero.
    pub irq: Signal<Out, Bit>,
    /// The word of the register addressed two cycles before (0 for offsets not in the
    /// core's table).
    pub reg_value: Signal<Out, Bits<32>>,

    run_steps_r: DFF<Bits<32>>,
    active_r: DFF<Bits<32>>,
    classes_r: DFFWithInit<Bits<32>>,
    classes_ok_r: DFFWithInit<Bit>,
    probe_count_r: DFF<Bits<32>>,
    irq_mask: DFF<Bits<32>>,
    irq_status: DFF<Bits<32>>,
    errors: DFF<Bits<32>>,
    spikes_out: DFF<Bits<32>>,
    syn_events: DFF<Bits<32>>,
    stall_cycles: DFF<Bits<32>>,
    spikes_in: DFF<Bits<32>>,
    /// An input update from either source, registered where it arrives: the host's comes
    /// from the bus port's decode, which waits on the controller's phase, across the die,
    /// so the counter's 32 enables are a cycle behind it rather than at the end of that
    /// route.
    input_q: DFF<Bit>,
    /// Bits the host clears (W1C), bits raised this cycle, STATUS's bits.
    clear_errors: Signal<Local, Bits<32>>,
    clear_irq: Signal<Local, Bits<32>>,
    e_write: Signal<Local, Bits<32>>,
    e_history: Signal<Local, Bits<32>>,
    e_width: Signal<Local, Bits<32>>,
    e_descriptor: Signal<Local, Bits<32>>,
    e_dma_read: Signal<Local, Bits<32>>,
    q_error: Signal<Local, Bits<32>>,
    q_done: Signal<Local, Bits<32>>,
    q_dma: Signal<Local, Bits<32>>,
    q_data: Signal<Local, Bits<32>>,
    s_running: Signal<Local, Bits<32>>,
    s_stalled: Signal<Local, Bits<32>>,
    s_error: Signal<Local, Bits<32>>,
    s_wait_input: Signal<Local, Bits<32>>,
    /// `hit[i]`: the index names the i-th register (in `update`'s order), for the write
    /// and the read.
    hit: [Signal<Local, Bit>; 28],
    read: ReadSelect<28>,
    // `memfire_spec::regs`' bits.
    ctrl_run: Constant<Bits<32>>,
    ctrl_free_run: Constant<Bits<32>>,
    ctrl_stop: Constant<Bits<32>>,
    ctrl_clear: Constant<Bits<32>>,
    err_write: Constant<Bits<32>>,
    err_history: Constant<Bits<32>>,
    err_width: Constant<Bits<32>>,
    err_descriptor: Constant<Bits<32>>,
    err_dma_read: Constant<Bits<32>>,
    irq_data: Constant<Bits<32>>,
    irq_done: Constant<Bits<32>>,
    irq_error: Constant<Bits<32>>,
    irq_dma: Constant<Bits<32>>,
    st_running: Constant<Bits<32>>,
    st_stalled: Constant<Bits<32>>,
    st_error: Constant<Bits<32>>,
    st_wait_input: Constant<Bits<32>>,
    zero: Constant<Bits<32>>,
    // Read-only values: identification and geometry.
    k_id: Constant<Bits<32>>,
    k_version: Constant<Bits<32>>,
    pub(crate) k_features: Constant<Bits<32>>,
    k_neurons: Constant<Bits<32>>,
    k_lanes: Constant<Bits<32>>,
    k_max_width: Constant<Bits<32>>,
    k_width_classes: Constant<Bits<32>>,
    k_param_sets: Constant<Bits<32>>,
    k_synapses: Constant<Bits<32>>,
    k_history: Constant<Bits<32>>,
    k_out_ring: Constant<Bits<32>>,
    k_probes: Constant<Bits<32>>,
    // Word indices of the registers.
    r_id: Constant<Bits<20>>,
    r_version: Constant<Bits<20>>,
    r_features: Constant<Bits<20>>,
    r_neurons: Constant<Bits<20>>,
    r_lanes: Constant<Bits<20>>,
    r_max_width: Constant<Bits<20>>,
    r_width_classes: Constant<Bits<20>>,
    r_param_sets: Constant<Bits<20>>,
    r_synapses: Constant<Bits<20>>,
    r_history: Constant<Bits<20>>,
    r_out_ring: Constant<Bits<20>>,
    r_active: Constant<Bits<20>>,
    r_probes: Constant<Bits<20>>,
    r_probe_count: Constant<Bits<20>>,
    r_status: Constant<Bits<20>>,
    r_run_steps: Constant<Bits<20>>,
    r_classes: Constant<Bits<20>>,
    r_step_lo: Constant<Bits<20>>,
    r_step_hi: Constant<Bits<20>>,
    r_spikes_out: Constant<Bits<20>>,
    r_syn_events: Constant<Bits<20>>,
    r_stall_cycles: Constant<Bits<20>>,
    r_errors: Constant<Bits<20>>,
    r_spikes_in: Constant<Bits<20>>,
    r_out_head: Constant<Bits<20>>,
    r_out_tail: Constant<Bits<20>>,
    r_irq_mask: Constant<Bits<20>>,
    r_irq_status: Constant<Bits<20>>,
}

impl RegisterFile {
    pub fn new(g: Geometry) -> Self {
        // The ID registers report the table's fixed values.
        let fixed = |off: u32| {
            let r = regs::at_offset(off);
            debug_assert_eq!(r.access, Access::Ro);
            word(u64::from(r.reset))
        };
        Self {
            clock: Default::default(),
            index: Default::default(),
            wdata: Default::default(),
            reg_we: Default::default(),
            ctrl_we: Default::default(),
            idle: Default::default(),
            write_refused: Default::default(),
            history_full: Default::default(),
            bad_width: Default::default(),
            dma_fault: Default::default(),
            dma_read_fault: Default::default(),
            run_done: Default::default(),
            dma_irq: Default::default(),
            out_ready: Default::default(),
            c2h_on: Default::default(),
            spike_out: Default::default(),
            syn_event_count: Default::default(),
            stall: Default::default(),
            host_input: Default::default(),
            dma_input: Default::default(),
            step: Default::default(),
            out_head: Default::default(),
            out_tail: Default::default(),
            stalled: Default::default(),
            waiting_input: Default::default(),
            run_steps: Default::default(),
            active: Default::default(),
            classes: Default::default(),
            classes_ok: Default::default(),
            probe_count: Default::default(),
            run_cmd: Default::default(),
            free_run: Default::default(),
            stop_cmd: Default::default(),
            clear: Default::default(),
            step_lo_we: Default::default(),
            step_hi_we: Default::default(),
            out_tail_we: Default::default(),
            irq: Default::default(),
            reg_value: Default::default(),
            run_steps_r: Default::default(),
            active_r: Default::default(),
            classes_r: DFFWithInit::new(u64::from(CLASSES_RESET).into()),
            classes_ok_r: DFFWithInit::new(CLASSES_RESET != 0 && u64::from(CLASSES_RESET) <= g.width_classes),
            probe_count_r: Default::default(),
            irq_mask: Default::default(),
            irq_status: Default::default(),
            errors: Default::default(),
            spikes_out: Default::default(),
            syn_events: Default::default(),
            stall_cycles: Default::default(),
            spikes_in: Default::default(),
            input_q: Default::default(),
            clear_errors: Default::default(),
            clear_irq: Default::default(),
            e_write: Default::default(),
            e_history: Default::default(),
            e_width: Default::default(),
            e_descriptor: Default::default(),
            e_dma_read: Default::default(),
            q_error: Default::default(),
            q_done: Default::default(),
            q_dma: Default::default(),
            q_data: Default::default(),
            s_running: Default::default(),
            s_stalled: Default::default(),
            s_error: Default::default(),
            s_wait_input: Default::default(),
            hit: std::array::from_fn(|_| Default::default()),
            read: Default::default(),
            ctrl_run: word(u64::from(regs::ctrl::RUN)),
            ctrl_free_run: word(u64::from(regs::ctrl::FREE_RUN)),
            ctrl_stop: word(u64::from(regs::ctrl::STOP)),
            ctrl_clear: word(u64::from(regs::ctrl::CLEAR)),
            err_write: word(u64::from(regs::errors::WRITE_WHILE_RUNNING)),
            err_history: word(u64::from(regs::errors::HISTORY_FULL)),
            err_width: word(u64::from(regs::errors::BAD_PULSE_WIDTH)),
            err_descriptor: word(u64::from(regs::errors::BAD_DESCRIPTOR)),
            err_dma_read: word(u64::from(regs::errors::DMA_READ_FAILED)),
            irq_data: word(u64::from(regs::irq::DATA)),
            irq_done: word(u64::from(regs::irq::DONE)),
            irq_error: word(u64::from(regs::irq::ERROR)),
            irq_dma: word(u64::from(regs::irq::DMA)),
            st_running: word(u64::from(regs::status::RUNNING)),
            st_stalled: word(u64::from(regs::status::STALLED)),
            st_error: word(u64::from(regs::status::ERROR)),
            st_wait_input: word(u64::from(regs::status::WAIT_INPUT)),
            zero: word(0),
            k_id: fixed(offset::ID),
            k_version: fixed(offset::VERSION),
            k_features: word(u64::from(g.features)),
            k_neurons: word(g.neurons),
            k_lanes: word(g.lanes),
            k_max_width: word(g.max_width),
            k_width_classes: word(g.width_classes),
            k_param_sets: word(g.param_sets),
            k_synapses: word(g.synapses),
            k_history: word(g.history),
            k_out_ring: word(g.out_ring),
            k_probes: word(g.probes),
            r_id: reg(offset::ID),
            r_version: reg(offset::VERSION),
            r_features: reg(offset::FEATURES),
            r_neurons: reg(offset::NEURONS),
            r_lanes: reg(offset::LANES),
            r_max_width: reg(offset::MAX_WIDTH),
            r_width_classes: reg(offset::WIDTH_CLASSES),
            r_param_sets: reg(offset::PARAM_SETS),
            r_synapses: reg(offset::SYNAPSES),
            r_history: reg(offset::HISTORY),
            r_out_ring: reg(offset::OUT_RING),
            r_active: reg(offset::ACTIVE),
            r_probes: reg(offset::PROBES),
            r_probe_count: reg(offset::PROBE_COUNT),
            r_status: reg(offset::STATUS),
            r_run_steps: reg(offset::RUN_STEPS),
            r_classes: reg(offset::CLASSES),
            r_step_lo: reg(offset::STEP_LO),
            r_step_hi: reg(offset::STEP_HI),
            r_spikes_out: reg(offset::SPIKES_OUT),
            r_syn_events: reg(offset::SYN_EVENTS),
            r_stall_cycles: reg(offset::STALL_CYCLES),
            r_errors: reg(offset::ERRORS),
            r_spikes_in: reg(offset::SPIKES_IN),
            r_out_head: reg(offset::OUT_HEAD),
            r_out_tail: reg(offset::OUT_TAIL),
            r_irq_mask: reg(offset::IRQ_MASK),
            r_irq_status: reg(offset::IRQ_STATUS),
        }
    }

    /// FEATURES without DMA (a top that leaves the memory-request port unconnected).
    pub fn set_features(&mut self, features: u32) {
        self.k_features = word(u64::from(features));
    }

    /// Report `sets` in PARAM_SETS.
    pub fn set_param_sets(&mut self, sets: u64) {
        self.k_param_sets = word(sets);
    }

    /// Report `synapses` in SYNAPSES.
    pub fn set_synapses(&mut self, synapses: u64) {
        self.k_synapses = word(synapses);
    }
}

impl Logic for RegisterFile {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            run_steps_r,
            active_r,
            classes_r,
            classes_ok_r,
            probe_count_r,
            irq_mask,
            irq_status,
            errors,
            spikes_out,
            syn_events,
            stall_cycles,
            spikes_in,
            input_q
        );
        clock!(self, clock, read);
        self.run_steps.next = self.run_steps_r.q.val();
        self.active.next = self.active_r.q.val();
        self.classes.next = self.classes_r.q.val();
        self.classes_ok.next = self.classes_ok_r.q.val();
        self.probe_count.next = self.probe_count_r.q.val();

        // ---- CTRL ----
        self.run_cmd.next =
            self.ctrl_we.val() & (self.wdata.val() & (self.ctrl_run.val() | self.ctrl_free_run.val())).any();
        self.free_run.next = (self.wdata.val() & self.ctrl_free_run.val()).any();
        self.stop_cmd.next = self.ctrl_we.val() & (self.wdata.val() & self.ctrl_stop.val()).any();
        self.clear.next = self.ctrl_we.val() & (self.wdata.val() & self.ctrl_clear.val()).any() & self.idle.val();

        // ---- the register the index names: one comparison each, for writes and reads ----
        self.hit[0].next = self.index.val() == self.r_id.val();
        self.hit[1].next = self.index.val() == self.r_version.val();
        self.hit[2].next = self.index.val() == self.r_features.val();
        self.hit[3].next = self.index.val() == self.r_neurons.val();
        self.hit[4].next = self.index.val() == self.r_lanes.val();
        self.hit[5].next = self.index.val() == self.r_max_width.val();
        self.hit[6].next = self.index.val() == self.r_width_classes.val();
        self.hit[7].next = self.index.val() == self.r_param_sets.val();
        self.hit[8].next = self.index.val() == self.r_synapses.val();
        self.hit[9].next = self.index.val() == self.r_history.val();
        self.hit[10].next = self.index.val() == self.r_out_ring.val();
        self.hit[11].next = self.index.val() == self.r_active.val();
        self.hit[12].next = self.index.val() == self.r_probes.val();
        self.hit[13].next = self.index.val() == self.r_probe_count.val();
        self.hit[14].next = self.index.val() == self.r_status.val();
        self.hit[15].next = self.index.val() == self.r_run_steps.val();
        self.hit[16].next = self.index.val() == self.r_classes.val();
        self.hit[17].next = self.index.val() == self.r_step_lo.val();
        self.hit[18].next = self.index.val() == self.r_step_hi.val();
        self.hit[19].next = self.index.val() == self.r_spikes_out.val();
        self.hit[20].next = self.index.val() == self.r_syn_events.val();
        self.hit[21].next = self.index.val() == self.r_stall_cycles.val();
        self.hit[22].next = self.index.val() == self.r_errors.val();
        self.hit[23].next = self.index.val() == self.r_spikes_in.val();
        self.hit[24].next = self.index.val() == self.r_out_head.val();
        self.hit[25].next = self.index.val() == self.r_out_tail.val();
        self.hit[26].next = self.index.val() == self.r_irq_mask.val();
        self.hit[27].next = self.index.val() == self.r_irq_status.val();

        // ---- writes ----
        self.clear_errors.next = self.zero.val();
        self.clear_irq.next = self.zero.val();
        self.step_lo_we.next = false;
        self.step_hi_we.next = false;
        self.out_tail_we.next = false;
        if self.reg_we.val() {
            if self.hit[15].val() {
                self.run_steps_r.d.next = self.wdata.val();
            }
            if self.hit[11].val() {
                self.active_r.d.next = self.wdata.val();
            }
            if self.hit[16].val() {
                self.classes_r.d.next = self.wdata.val();
                self.classes_ok_r.d.next = (self.wdata.val() != 0) & (self.wdata.val() <= self.k_width_classes.val());
            }
            if self.hit[26].val() {
                self.irq_mask.d.next = self.wdata.val();
            }
            if self.hit[13].val() {
                self.probe_count_r.d.next = self.wdata.val();
            }
            if self.hit[22].val() {
                self.clear_errors.next = self.wdata.val();
            }
            if self.hit[27].val() {
                self.clear_irq.next = self.wdata.val();
            }
            self.out_tail_we.next = self.hit[25].val();
            self.step_lo_we.next = self.hit[17].val() & self.idle.val();
            self.step_hi_we.next = self.hit[18].val() & self.idle.val();
        }

        // ---- counters (CLEAR zeroes them) ----
        if self.spike_out.val() {
            self.spikes_out.d.next = self.spikes_out.q.val() + 1;
        }
        self.syn_events.d.next = self.syn_events.q.val() + bit_cast::<32, 8>(self.syn_event_count.val());
        if self.stall.val() {
            self.stall_cycles.d.next = self.stall_cycles.q.val() + 1;
        }
        self.input_q.d.next = self.host_input.val() | self.dma_input.val();
        if self.input_q.q.val() {
            self.spikes_in.d.next = self.spikes_in.q.val() + 1;
        }
        if self.clear.val() {
            self.spikes_out.d.next = self.zero.val();
            self.syn_events.d.next = self.zero.val();
            self.stall_cycles.d.next = self.zero.val();
            self.spikes_in.d.next = self.zero.val();
        }

        // ---- ERRORS and IRQ_STATUS: raised by events, cleared by writing 1s ----
        // Each event's bits in a signal of its own: a signal that reads itself in the one
        // always block rust-hdl writes would look circular to Verilator.
        self.e_write.next = self.zero.val();
        self.e_history.next = self.zero.val();
        self.e_width.next = self.zero.val();
        self.e_descriptor.next = self.zero.val();
        self.e_dma_read.next = self.zero.val();
        self.q_error.next = self.zero.val();
        self.q_done.next = self.zero.val();
        self.q_dma.next = self.zero.val();
        self.q_data.next = self.zero.val();
        if self.write_refused.val() {
            self.e_write.next = self.err_write.val();
        }
        if self.history_full.val() {
            self.e_history.next = self.err_history.val();
        }
        if self.bad_width.val() {
            self.e_width.next = self.err_width.val();
        }
        if self.dma_fault.val() {
            self.e_descriptor.next = self.err_descriptor.val();
        }
        if self.dma_read_fault.val() {
            self.e_dma_read.next = self.err_dma_read.val();
        }
        if self.write_refused.val()
            | self.history_full.val()
            | self.bad_width.val()
            | self.dma_fault.val()
            | self.dma_read_fault.val()
        {
            self.q_error.next = self.irq_error.val();
        }
        if self.run_done.val() {
            self.q_done.next = self.irq_done.val();
        }
        if self.dma_irq.val() {
            self.q_dma.next = self.irq_dma.val();
        }
        if self.out_ready.val() & !self.c2h_on.val() {
            self.q_data.next = self.irq_data.val();
        }
        self.errors.d.next = (self.errors.q.val() & !self.clear_errors.val())
            | self.e_write.val()
            | self.e_history.val()
            | self.e_width.val()
            | self.e_descriptor.val()
            | self.e_dma_read.val();
        self.irq_status.d.next = (self.irq_status.q.val() & !self.clear_irq.val())
            | self.q_error.val()
            | self.q_done.val()
            | self.q_dma.val()
            | self.q_data.val();
        self.irq.next = (self.irq_status.q.val() & self.irq_mask.q.val()).any();

        // ---- reads ----
        self.s_running.next = self.zero.val();
        self.s_stalled.next = self.zero.val();
        self.s_error.next = self.zero.val();
        self.s_wait_input.next = self.zero.val();
        if !self.idle.val() {
            self.s_running.next = self.st_running.val();
        }
        if self.stalled.val() {
            self.s_stalled.next = self.st_stalled.val();
        }
        if self.errors.q.val().any() {
            self.s_error.next = self.st_error.val();
        }
        if self.waiting_input.val() {
            self.s_wait_input.next = self.st_wait_input.val();
        }
        // The read over two cycles (`ReadSelect`), as the DMA engine's registers. DROPS
        // reads 0, as an index not in the table does.
        for i in 0..28 {
            self.read.hit[i].next = self.hit[i].val();
        }
        self.read.word[0].next = self.k_id.val();
        self.read.word[1].next = self.k_version.val();
        self.read.word[2].next = self.k_features.val();
        self.read.word[3].next = self.k_neurons.val();
        self.read.word[4].next = self.k_lanes.val();
        self.read.word[5].next = self.k_max_width.val();
        self.read.word[6].next = self.k_width_classes.val();
        self.read.word[7].next = self.k_param_sets.val();
        self.read.word[8].next = self.k_synapses.val();
        self.read.word[9].next = self.k_history.val();
        self.read.word[10].next = self.k_out_ring.val();
        self.read.word[11].next = self.active_r.q.val();
        self.read.word[12].next = self.k_probes.val();
        self.read.word[13].next = self.probe_count_r.q.val();
        self.read.word[14].next =
            self.s_running.val() | self.s_stalled.val() | self.s_error.val() | self.s_wait_input.val();
        self.read.word[15].next = self.run_steps_r.q.val();
        self.read.word[16].next = self.classes_r.q.val();
        self.read.word[17].next = self.step.val().get_bits::<32>(0);
        self.read.word[18].next = self.step.val().get_bits::<32>(32);
        self.read.word[19].next = self.spikes_out.q.val();
        self.read.word[20].next = self.syn_events.q.val();
        self.read.word[21].next = self.stall_cycles.q.val();
        self.read.word[22].next = self.errors.q.val();
        self.read.word[23].next = self.spikes_in.q.val();
        self.read.word[24].next = self.out_head.val();
        self.read.word[25].next = self.out_tail.val();
        self.read.word[26].next = self.irq_mask.q.val();
        self.read.word[27].next = self.irq_status.q.val();
        self.reg_value.next = self.read.value.val();
    }
}
