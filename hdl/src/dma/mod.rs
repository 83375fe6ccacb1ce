//! `DmaEngine`: the core's DMA engine, behind a generic memory-request port so the same
//! engine serves the simulation's host-memory model, a PCIe TLP adapter and any other bridge.
//!
//! Two descriptor rings live in host memory (`memfire_spec::wire::Descriptor`, 16 bytes):
//! - **card → host (C2H)**: each descriptor lends the card a buffer; the engine fills it with
//!   `SpikeEvent`s taken from the core's output ring, then writes the descriptor's second
//!   word back (bytes written, kind, flags | DONE) and advances `C2H_HEAD`. A buffer is
//!   handed over when full, when `C2H_FLUSH_CYCLES` pass after its first record, or when
//!   the core is idle with nothing left to send. No descriptor posted → the output ring
//!   fills → the timestep controller stalls: nothing is dropped.
//! - **host → card (H2C)**: each descriptor holds `InputEvent`s (kind `Input`), which the
//!   engine reads one at a time and applies at their step, or `ConfigWrite`s (kind
//!   `Config`), which it offers the core one at a time (`cfg_valid`) as bus writes; the core
//!   takes one (`cfg_take`) in a cycle the host's bus is quiet and the core is stopped or
//!   holding a step for this ring. Both kinds share the ring, so order is kept: a
//!   configuration posted after an input of step s is applied before step s runs.
//! - **probe records**: after a step the core presents one `ProbeRecord` at a time
//!   (`prb_valid`, four 64-bit words); the engine writes it into a card-to-host buffer and
//!   answers `prb_ack`. A buffer holds one kind of record: the engine hands a spike buffer
//!   over before it writes a probe record and the other way round, and writes the kind
//!   back in the descriptor.
//!
//! Memory-request port: one request at a time (`mem_req_valid` held until `mem_req_ready`,
//! the transfer happens at the edge where both are high), 8-byte aligned single-beat reads
//! and posted writes of 64 bits; a read's data comes back on `mem_rsp_valid` (the engine
//! keeps at most one read outstanding, so completions cannot reorder). The port's inputs are
//! registered before any logic sees them (good for timing, and Verilator then evaluates
//! this block once per cycle instead of on every input change); so the engine learns of a
//! transfer a cycle later and drops `valid` in that cycle: a request every other cycle. A
//! read that fails (`mem_rsp_error`: an IOMMU fault, a PCIe completion with an error status)
//! halts the engine with `read_fault`. Interrupts are coalesced (`Coalescer`): `irq_pulse` after `IRQ_COALESCE_COUNT` completions,
//! `IRQ_COALESCE_CYCLES` after the first unannounced one, or at a `DESC_IRQ` descriptor.

use memfire_spec::wire::{DescriptorKind, ProbeRecord, DESC_DONE, DESC_IRQ};
use rust_hdl::prelude::*;

mod coalescer;
mod regs;
pub use coalescer::Coalescer;
pub use regs::DmaRegs;

/// What the engine is doing.
#[derive(Copy, Clone, Debug, PartialEq, Eq, LogicState)]
pub enum DmaState {
    Idle,
    /// Read a descriptor's first word (buffer address) / wait for it.
    DescA,
    DescAWait,
    /// Read its second word (length, kind, flags) / wait for it, loading the buffer's
    /// fields as it comes; make the buffer valid (or halt) a cycle later, from the word's
    /// check registered.
    DescB,
    DescBWait,
    DescBTake,
    /// Write one spike record into the C2H buffer; then a cycle for the core's ring tail
    /// (moved by the registered pop) to reach the output-ring read port.
    C2hWrite,
    C2hGap,
    /// Write the C2H descriptor back (bytes written, DONE).
    C2hDone,
    /// Read an input record's first word (step, neuron) / wait; its second (volts) / wait.
    /// A configuration record is one word (address, value), read through `RecA`/`RecAWait`.
    RecA,
    RecAWait,
    RecB,
    RecBWait,
    /// Write the H2C descriptor back (DONE).
    H2cDone,
    /// A configuration word is offered to the core until it takes it.
    CfgWait,
    /// Write the four words of a probe record; then a cycle for the core to see `prb_ack`.
    PrbWrite,
    PrbGap,
    /// A bad descriptor was read: nothing moves until `DMA_CTRL` is written.
    Halted,
}

#[derive(LogicBlock)]
pub struct DmaEngine {
    pub clock: Signal<In, Clock>,
    // ---- from the core ----
    /// Register index (byte offset / 4) on the bus this cycle, its write data and strobe.
    pub reg_index: Signal<In, Bits<20>>,
    pub reg_wdata: Signal<In, Bits<32>>,
    pub reg_we: Signal<In, Bit>,
    /// CTRL.CLEAR while idle: forget rings and buffers.
    pub clear: Signal<In, Bit>,
    pub core_idle: Signal<In, Bit>,
    /// The output ring holds a spike; `out_data` is the record at its tail (step << 32 | neuron).
    pub out_avail: Signal<In, Bit>,
    pub out_data: Signal<In, Bits<64>>,
    /// The core's step counter (low word) and whether it is deciding to start that step.
    pub step_lo: Signal<In, Bits<32>>,
    pub in_check: Signal<In, Bit>,
    /// The core takes the configuration word offered (`cfg_valid`) this cycle.
    pub cfg_take: Signal<In, Bit>,
    /// A probe record is waiting: words 0..3 as they go to host memory (step | neuron,
    /// x1 | x2, v | m, refractory | rng; low word first).
    pub prb_valid: Signal<In, Bit>,
    pub prb_w0: Signal<In, Bits<64>>,
    pub prb_w1: Signal<In, Bits<64>>,
    pub prb_w2: Signal<In, Bits<64>>,
    pub prb_w3: Signal<In, Bits<64>>,
    // ---- to the core ----
    /// Value of the DMA register at last cycle's `reg_index` (0 elsewhere): registered, so
    /// the core's bus read path (which already takes a cycle) has no combinational loop
    /// through this block.
    pub reg_value: Signal<Out, Bits<32>>,
    /// Take one spike off the output ring.
    pub out_pop: Signal<Out, Bit>,
    /// Spikes go to the C2H ring (the host does not read the output-ring window).
    pub c2h_on: Signal<Out, Bit>,
    /// Write `ext_volts` (Q2.22) to neuron `ext_neuron`'s external input this cycle: an
    /// input event of this step (or an earlier one) is applied.
    pub ext_we: Signal<Out, Bit>,
    pub ext_neuron: Signal<Out, Bits<32>>,
    pub ext_volts: Signal<Out, Bits<32>>,
    /// The core must not start the step: an input of it is due or not fetched yet, or
    /// (INPUT_GATE) nothing is posted and the step has reached `IN_HORIZON`.
    pub hold: Signal<Out, Bit>,
    /// A configuration word for the core's bus: write `cfg_data` at word address `cfg_addr`.
    pub cfg_valid: Signal<Out, Bit>,
    pub cfg_addr: Signal<Out, Bits<32>>,
    pub cfg_data: Signal<Out, Bits<32>>,
    /// One-cycle pulse: the probe record is in host memory (the core may present the next).
    pub prb_ack: Signal<Out, Bit>,
    /// One-cycle pulses: raise the DMA interrupt; a bad descriptor was read.
    pub irq_pulse: Signal<Out, Bit>,
    pub fault: Signal<Out, Bit>,
    pub halted: Signal<Out, Bit>,
    // ---- memory-request port ----
    pub mem_req_valid: Signal<Out, Bit>,
    pub mem_req_ready: Signal<In, Bit>,
    pub mem_req_write: Signal<Out, Bit>,
    pub mem_req_addr: Signal<Out, Bits<64>>,
    pub mem_req_wdata: Signal<Out, Bits<64>>,
    pub mem_rsp_valid: Signal<In, Bit>,
    pub mem_rsp_data: Signal<In, Bits<64>>,
    /// With `mem_rsp_valid`: the read failed (an IOMMU fault, a completion with an error
    /// status, a completion timeout); `mem_rsp_data` means nothing.
    pub mem_rsp_error: Signal<In, Bit>,
    /// One-cycle pulse: a read of host memory failed; the engine halts (as for a bad
    /// descriptor) and retries the same read once `DMA_CTRL` is written.
    pub read_fault: Signal<Out, Bit>,

    state: DFF<DmaState>,
    coalescer: Coalescer,
    regs: DmaRegs,
    c2h_head: DFF<Bits<32>>,
    h2c_head: DFF<Bits<32>>,
    /// The descriptor being read is for the H2C ring (else C2H).
    for_h2c: DFF<Bit>,
    desc_addr: DFF<Bits<64>>,
    // C2H buffer in hand.
    cb_valid: DFF<Bit>,
    cb_addr: DFF<Bits<64>>,
    /// Bytes left in the C2H buffer: its length when taken, less 8 per word written (kept
    /// as a register rather than length − fill, so no subtraction sits in front of the
    /// Idle state's decision).
    cb_room: DFF<Bits<32>>,
    cb_fill: DFF<Bits<32>>,
    cb_flags: DFF<Bits<16>>,
    cb_age: DFF<Bits<32>>,
    /// The buffer has waited its flush time (FLUSH_CYCLES, 0 = never), registered: it may
    /// read a cycle late, which only delays a timed flush by a cycle.
    age_due: DFF<Bit>,
    /// What the C2H buffer holds (`Spikes` or `Probes`), written back with it.
    cb_kind: DFF<Bits<16>>,
    // H2C buffer in hand.
    hb_valid: DFF<Bit>,
    hb_addr: DFF<Bits<64>>,
    hb_len: DFF<Bits<32>>,
    hb_pos: DFF<Bits<32>>,
    hb_flags: DFF<Bits<16>>,
    /// `Input` or `Config`.
    hb_kind: DFF<Bits<16>>,
    /// Next word of the probe record being written.
    prb_idx: DFF<Bits<2>>,
    // The input record in hand.
    rv: DFF<Bit>,
    r_step: DFF<Bits<32>>,
    r_neuron: DFF<Bits<32>>,
    r_volts: DFF<Bits<32>>,
    // Completions not yet announced, and for how long.
    // The memory port's inputs, registered, and `mem_req_valid` as last driven.
    rdy_q: DFF<Bit>,
    vld_q: DFF<Bit>,
    rsp_v_q: DFF<Bit>,
    rsp_d_q: DFF<Bits<64>>,
    rsp_e_q: DFF<Bit>,
    /// The request shown last cycle was taken.
    took: Signal<Local, Bit>,
    // Every output towards the core comes straight from a flip-flop: the core's update is one
    // always block that both feeds this block and reads it, and Verilator sees a loop unless
    // what it reads is a register.
    o_pop: DFF<Bit>,
    o_c2h: DFF<Bit>,
    o_ext_we: DFF<Bit>,
    o_ext_neuron: DFF<Bits<32>>,
    o_ext_volts: DFF<Bits<32>>,
    o_hold: DFF<Bit>,
    o_fault: DFF<Bit>,
    o_read_fault: DFF<Bit>,
    o_halted: DFF<Bit>,
    o_cfg_valid: DFF<Bit>,
    o_cfg_addr: DFF<Bits<32>>,
    o_cfg_data: DFF<Bits<32>>,
    o_prb_ack: DFF<Bit>,
    in_delta: Signal<Local, Bits<32>>,
    horizon_delta: Signal<Local, Bits<32>>,
    due: Signal<Local, Bit>,
    in_pending: Signal<Local, Bit>,
    // ---- combinational helpers ----
    c2h_enabled: Signal<Local, Bit>,
    h2c_enabled: Signal<Local, Bit>,
    c2h_slot: Signal<Local, Bits<64>>,
    h2c_slot: Signal<Local, Bits<64>>,
    flush_due: Signal<Local, Bit>,
    /// The C2H buffer is full for its kind; the next record is the other kind.
    cb_full: Signal<Local, Bit>,
    kind_switch: Signal<Local, Bit>,
    prb_word: Signal<Local, Bits<64>>,
    /// A descriptor was completed this cycle; its flags ask for an interrupt.
    new_cpl: Signal<Local, Bit>,
    new_flag: Signal<Local, Bit>,
    /// The length, kind and flags of the descriptor word in the response register
    /// (checked as it arrives; the layout is `memfire_spec::wire::Descriptor`'s).
    desc_len: Signal<Local, Bits<32>>,
    desc_kind: Signal<Local, Bits<16>>,
    desc_flags: Signal<Local, Bits<16>>,
    /// The descriptor just read cannot be served: not the ring's kind, empty, or a length
    /// that is not whole records (16-byte inputs, 8-byte spikes).
    desc_bad: Signal<Local, Bit>,
    /// The kinds this ring takes (C2H: spikes or probes, both lent as empty buffers; H2C:
    /// inputs or configuration).
    desc_kind_ok: Signal<Local, Bit>,
    desc_ragged: Signal<Local, Bit>,
    /// `desc_bad`, registered as the descriptor's second word comes, so the check
    /// (compares on the response register) is not in front of every buffer register's
    /// enable. The buffer's fields are loaded as the word comes, whatever the check
    /// says (the buffer is not valid until the next cycle, and a bad one never is).
    desc_bad_q: DFF<Bit>,
    // ---- constants ----
    k_kind_spikes: Constant<Bits<16>>,
    k_kind_input: Constant<Bits<16>>,
    k_kind_config: Constant<Bits<16>>,
    k_kind_probes: Constant<Bits<16>>,
    k_probe_bytes: Constant<Bits<32>>,
    k_done: Constant<Bits<16>>,
    k_irq: Constant<Bits<16>>,
}

fn half(x: u16) -> Constant<Bits<16>> {
    Constant::new(u64::from(x).into())
}

impl Default for DmaEngine {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            reg_index: Default::default(),
            reg_wdata: Default::default(),
            reg_we: Default::default(),
            clear: Default::default(),
            core_idle: Default::default(),
            out_avail: Default::default(),
            out_data: Default::default(),
            step_lo: Default::default(),
            in_check: Default::default(),
            cfg_take: Default::default(),
            prb_valid: Default::default(),
            prb_w0: Default::default(),
            prb_w1: Default::default(),
            prb_w2: Default::default(),
            prb_w3: Default::default(),
            reg_value: Default::default(),
            out_pop: Default::default(),
            c2h_on: Default::default(),
            ext_we: Default::default(),
            ext_neuron: Default::default(),
            ext_volts: Default::default(),
            hold: Default::default(),
            cfg_valid: Default::default(),
            cfg_addr: Default::default(),
            cfg_data: Default::default(),
            prb_ack: Default::default(),
            irq_pulse: Default::default(),
            fault: Default::default(),
            halted: Default::default(),
            mem_req_valid: Default::default(),
            mem_req_ready: Default::default(),
            mem_req_write: Default::default(),
            mem_req_addr: Default::default(),
            mem_req_wdata: Default::default(),
            mem_rsp_valid: Default::default(),
            mem_rsp_data: Default::default(),
            mem_rsp_error: Default::default(),
            read_fault: Default::default(),
            state: Default::default(),
            coalescer: Default::default(),
            regs: Default::default(),
            c2h_head: Default::default(),
            h2c_head: Default::default(),
            for_h2c: Default::default(),
            desc_addr: Default::default(),
            cb_valid: Default::default(),
            cb_addr: Default::default(),
            cb_room: Default::default(),
            age_due: Default::default(),
            cb_fill: Default::default(),
            cb_flags: Default::default(),
            cb_age: Default::default(),
            cb_kind: Default::default(),
            hb_valid: Default::default(),
            hb_addr: Default::default(),
            hb_len: Default::default(),
            hb_pos: Default::default(),
            hb_flags: Default::default(),
            hb_kind: Default::default(),
            prb_idx: Default::default(),
            rv: Default::default(),
            r_step: Default::default(),
            r_neuron: Default::default(),
            r_volts: Default::default(),
            rdy_q: Default::default(),
            vld_q: Default::default(),
            rsp_v_q: Default::default(),
            rsp_d_q: Default::default(),
            rsp_e_q: Default::default(),
            took: Default::default(),
            o_pop: Default::default(),
            o_c2h: Default::default(),
            o_ext_we: Default::default(),
            o_ext_neuron: Default::default(),
            o_ext_volts: Default::default(),
            o_hold: Default::default(),
            o_fault: Default::default(),
            o_read_fault: Default::default(),
            o_halted: Default::default(),
            o_cfg_valid: Default::default(),
            o_cfg_addr: Default::default(),
            o_cfg_data: Default::default(),
            o_prb_ack: Default::default(),
            in_delta: Default::default(),
            horizon_delta: Default::default(),
            due: Default::default(),
            in_pending: Default::default(),
            c2h_enabled: Default::default(),
            h2c_enabled: Default::default(),
            c2h_slot: Default::default(),
            h2c_slot: Default::default(),
            flush_due: Default::default(),
            cb_full: Default::default(),
            kind_switch: Default::default(),
            prb_word: Default::default(),
            new_cpl: Default::default(),
            new_flag: Default::default(),
            desc_len: Default::default(),
            desc_kind: Default::default(),
            desc_flags: Default::default(),
            desc_bad: Default::default(),
            desc_bad_q: Default::default(),
            desc_kind_ok: Default::default(),
            desc_ragged: Default::default(),
            k_kind_spikes: half(DescriptorKind::Spikes as u16),
            k_kind_input: half(DescriptorKind::Input as u16),
            k_kind_config: half(DescriptorKind::Config as u16),
            k_kind_probes: half(DescriptorKind::Probes as u16),
            k_probe_bytes: Constant::new((std::mem::size_of::<ProbeRecord>() as u64).into()),
            k_done: half(DESC_DONE),
            k_irq: half(DESC_IRQ),
        }
    }
}

impl Logic for DmaEngine {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            state,
            c2h_head,
            h2c_head,
            for_h2c,
            desc_addr,
            cb_valid,
            cb_addr,
            cb_room,
            cb_fill,
            age_due,
            cb_flags,
            cb_age,
            cb_kind,
            hb_valid,
            hb_addr,
            hb_len,
            hb_pos,
            hb_flags,
            hb_kind,
            prb_idx,
            rv,
            r_step,
            r_neuron,
            r_volts,
            rdy_q,
            vld_q,
            rsp_v_q,
            rsp_d_q,
            desc_bad_q,
            rsp_e_q,
            o_pop,
            o_c2h,
            o_ext_we,
            o_ext_neuron,
            o_ext_volts,
            o_hold,
            o_fault,
            o_read_fault,
            o_halted,
            o_cfg_valid,
            o_cfg_addr,
            o_cfg_data,
            o_prb_ack
        );
        clock!(self, clock, coalescer, regs);
        // ================= decoded state =================
        self.c2h_enabled.next = self.regs.c2h_on.val() & (self.state.q.val() != DmaState::Halted);
        self.h2c_enabled.next = self.regs.h2c_on.val() & (self.state.q.val() != DmaState::Halted);
        self.o_c2h.d.next = self.regs.c2h_on.val();
        self.o_halted.d.next = self.state.q.val() == DmaState::Halted;
        // Descriptor slots: base + (head mod size) · 16.
        self.c2h_slot.next =
            self.regs.c2h_base.val() + (bit_cast::<64, 32>(self.c2h_head.q.val() & self.regs.c2h_mask.val()) << 4);
        self.h2c_slot.next =
            self.regs.h2c_base.val() + (bit_cast::<64, 32>(self.h2c_head.q.val() & self.regs.h2c_mask.val()) << 4);
        self.cb_full.next = (self.cb_room.q.val() == 0)
            | ((self.cb_kind.q.val() == self.k_kind_probes.val()) & (self.cb_room.q.val() < self.k_probe_bytes.val()));
        self.age_due.d.next =
            (self.regs.flush_cycles.val() != 0) & (self.cb_age.q.val() >= self.regs.flush_cycles.val());
        self.kind_switch.next = (self.prb_valid.val() & (self.cb_kind.q.val() != self.k_kind_probes.val()))
            | (!self.prb_valid.val() & self.out_avail.val() & (self.cb_kind.q.val() != self.k_kind_spikes.val()));
        self.flush_due.next = self.cb_valid.q.val()
            & (self.cb_fill.q.val() != 0)
            & (self.cb_full.val()
                | self.kind_switch.val()
                | self.age_due.q.val()
                | (self.core_idle.val() & !self.out_avail.val() & !self.prb_valid.val()));
        self.desc_len.next = self.rsp_d_q.q.val().get_bits::<32>(0);
        self.desc_kind.next = self.rsp_d_q.q.val().get_bits::<16>(32);
        self.desc_flags.next = self.rsp_d_q.q.val().get_bits::<16>(48);
        self.desc_kind_ok.next =
            (self.desc_kind.val() == self.k_kind_spikes.val()) | (self.desc_kind.val() == self.k_kind_probes.val());
        self.desc_ragged.next = self.desc_len.val().get_bits::<3>(0).any();
        if self.for_h2c.q.val() {
            self.desc_kind_ok.next =
                (self.desc_kind.val() == self.k_kind_input.val()) | (self.desc_kind.val() == self.k_kind_config.val());
            if self.desc_kind.val() == self.k_kind_input.val() {
                self.desc_ragged.next = self.desc_len.val().get_bits::<4>(0).any();
            }
        }
        self.desc_bad.next = !self.desc_kind_ok.val() | (self.desc_len.val() == 0) | self.desc_ragged.val();
        self.prb_word.next = self.prb_w0.val();
        if self.prb_idx.q.val() == 1 {
            self.prb_word.next = self.prb_w1.val();
        }
        if self.prb_idx.q.val() == 2 {
            self.prb_word.next = self.prb_w2.val();
        }
        if self.prb_idx.q.val() == 3 {
            self.prb_word.next = self.prb_w3.val();
        }

        // ================= outputs, defaults =================
        self.reg_value.next = self.regs.reg_value.val();
        self.out_pop.next = self.o_pop.q.val();
        self.c2h_on.next = self.o_c2h.q.val();
        self.ext_we.next = self.o_ext_we.q.val();
        self.ext_neuron.next = self.o_ext_neuron.q.val();
        self.ext_volts.next = self.o_ext_volts.q.val();
        self.hold.next = self.o_hold.q.val();
        self.irq_pulse.next = self.coalescer.irq.val();
        self.fault.next = self.o_fault.q.val();
        self.read_fault.next = self.o_read_fault.q.val();
        self.halted.next = self.o_halted.q.val();
        self.cfg_valid.next = self.o_cfg_valid.q.val();
        self.cfg_addr.next = self.o_cfg_addr.q.val();
        self.cfg_data.next = self.o_cfg_data.q.val();
        self.prb_ack.next = self.o_prb_ack.q.val();
        self.o_prb_ack.d.next = false;

        // ---- input events: applied here rather than by the core, so that nothing the core
        // feeds this block depends on what this block tells the core (no loop for Verilator).
        // An input record is due when its step is this step or earlier (32-bit wrap-around
        // difference).
        self.in_delta.next = self.step_lo.val() - self.r_step.q.val();
        self.horizon_delta.next = self.step_lo.val() - self.regs.horizon.val();
        self.due.next = self.rv.q.val() & !self.in_delta.val().get_bit(31);
        self.in_pending.next = self.h2c_enabled.val()
            & !self.rv.q.val()
            & (self.hb_valid.q.val() | (self.h2c_head.q.val() != self.regs.h2c_tail.val()));
        self.o_ext_we.d.next = self.due.val() & self.in_check.val();
        self.o_ext_neuron.d.next = self.r_neuron.q.val();
        self.o_ext_volts.d.next = self.r_volts.q.val();
        self.o_hold.d.next = self.due.val()
            | self.in_pending.val()
            | (self.regs.input_gate.val() & !self.rv.q.val() & !self.horizon_delta.val().get_bit(31));
        self.o_pop.d.next = false;
        self.o_fault.d.next = false;
        self.o_read_fault.d.next = false;
        self.rdy_q.d.next = self.mem_req_ready.val();
        self.rsp_v_q.d.next = self.mem_rsp_valid.val();
        self.rsp_d_q.d.next = self.mem_rsp_data.val();
        self.rsp_e_q.d.next = self.mem_rsp_error.val();
        self.took.next = self.vld_q.q.val() & self.rdy_q.q.val();
        self.mem_req_valid.next = false;
        self.vld_q.d.next = false;
        self.mem_req_write.next = false;
        self.mem_req_addr.next = self.desc_addr.q.val();
        // A spike as `SpikeEvent` on the wire: step in the low word, neuron in the high word
        // (the output ring keeps them the other way round).
        self.mem_req_wdata.next = (bit_cast::<64, 32>(self.out_data.val().get_bits::<32>(0)) << 32)
            | bit_cast::<64, 32>(self.out_data.val().get_bits::<32>(32));
        self.new_cpl.next = false;
        self.new_flag.next = false;
        if self.due.val() & self.in_check.val() {
            self.rv.d.next = false;
        }
        if self.cb_valid.q.val() & (self.cb_fill.q.val() != 0) {
            self.cb_age.d.next = self.cb_age.q.val() + 1;
        }

        // ================= the engine =================
        match self.state.q.val() {
            DmaState::Idle => {
                if self.c2h_enabled.val() & self.flush_due.val() {
                    self.state.d.next = DmaState::C2hDone;
                } else if self.c2h_enabled.val() & self.prb_valid.val() & self.cb_valid.q.val() {
                    // The core waits on a probe record (so no spike can be waiting behind
                    // it): into this buffer, now empty or of probes with room (else flushed
                    // above), unless it is too short for one record.
                    if self.cb_room.q.val() < self.k_probe_bytes.val() {
                        self.o_fault.d.next = true;
                        self.state.d.next = DmaState::Halted;
                    } else {
                        self.cb_kind.d.next = self.k_kind_probes.val();
                        self.prb_idx.d.next = bits::<2>(0);
                        self.state.d.next = DmaState::PrbWrite;
                    }
                } else if self.c2h_enabled.val() & self.out_avail.val() & self.cb_valid.q.val() {
                    self.cb_kind.d.next = self.k_kind_spikes.val();
                    self.state.d.next = DmaState::C2hWrite;
                } else if self.c2h_enabled.val()
                    & (self.out_avail.val() | self.prb_valid.val())
                    & !self.cb_valid.q.val()
                    & (self.c2h_head.q.val() != self.regs.c2h_tail.val())
                {
                    self.for_h2c.d.next = false;
                    self.desc_addr.d.next = self.c2h_slot.val();
                    self.state.d.next = DmaState::DescA;
                } else if self.h2c_enabled.val()
                    & !self.rv.q.val()
                    & self.hb_valid.q.val()
                    & (self.hb_pos.q.val() != self.hb_len.q.val())
                {
                    self.state.d.next = DmaState::RecA;
                } else if self.h2c_enabled.val() & self.hb_valid.q.val() & (self.hb_pos.q.val() == self.hb_len.q.val())
                {
                    self.state.d.next = DmaState::H2cDone;
                } else if self.h2c_enabled.val()
                    & !self.hb_valid.q.val()
                    & (self.h2c_head.q.val() != self.regs.h2c_tail.val())
                {
                    self.for_h2c.d.next = true;
                    self.desc_addr.d.next = self.h2c_slot.val();
                    self.state.d.next = DmaState::DescA;
                }
            }
            DmaState::DescA => {
                self.mem_req_valid.next = !self.took.val();
                self.vld_q.d.next = !self.took.val();
                if self.took.val() {
                    self.state.d.next = DmaState::DescAWait;
                }
            }
            DmaState::DescAWait => {
                if self.rsp_v_q.q.val() {
                    // Only the ring being served: the other may have a buffer in hand.
                    if self.for_h2c.q.val() {
                        self.hb_addr.d.next = self.rsp_d_q.q.val();
                    } else {
                        self.cb_addr.d.next = self.rsp_d_q.q.val();
                    }
                    self.state.d.next = DmaState::DescB;
                }
            }
            DmaState::DescB => {
                self.mem_req_valid.next = !self.took.val();
                self.vld_q.d.next = !self.took.val();
                self.mem_req_addr.next = self.desc_addr.q.val() + 8;
                if self.took.val() {
                    self.state.d.next = DmaState::DescBWait;
                }
            }
            DmaState::DescBWait => {
                if self.rsp_v_q.q.val() {
                    self.desc_bad_q.d.next = self.desc_bad.val();
                    if self.for_h2c.q.val() {
                        self.hb_len.d.next = self.desc_len.val();
                        self.hb_pos.d.next = bits::<32>(0);
                        self.hb_flags.d.next = self.desc_flags.val();
                        self.hb_kind.d.next = self.desc_kind.val();
                    } else {
                        self.cb_room.d.next = self.desc_len.val();
                        self.cb_fill.d.next = bits::<32>(0);
                        self.cb_age.d.next = bits::<32>(0);
                        self.cb_flags.d.next = self.desc_flags.val();
                        self.cb_kind.d.next = self.k_kind_spikes.val();
                    }
                    self.state.d.next = DmaState::DescBTake;
                }
            }
            DmaState::DescBTake => {
                self.state.d.next = DmaState::Idle;
                if self.desc_bad_q.q.val() {
                    self.o_fault.d.next = true;
                    self.state.d.next = DmaState::Halted;
                } else if self.for_h2c.q.val() {
                    self.hb_valid.d.next = true;
                } else {
                    self.cb_valid.d.next = true;
                }
            }
            DmaState::C2hWrite => {
                // The output ring's read port shows the record at its tail (stable: the tail
                // moves only here).
                self.mem_req_valid.next = !self.took.val();
                self.vld_q.d.next = !self.took.val();
                self.mem_req_write.next = true;
                self.mem_req_addr.next = self.cb_addr.q.val() + bit_cast::<64, 32>(self.cb_fill.q.val());
                if self.took.val() {
                    self.o_pop.d.next = true;
                    self.cb_fill.d.next = self.cb_fill.q.val() + 8;
                    self.cb_room.d.next = self.cb_room.q.val() - 8;
                    self.state.d.next = DmaState::C2hGap;
                }
            }
            DmaState::C2hGap => {
                self.state.d.next = DmaState::Idle;
            }
            DmaState::C2hDone => {
                self.mem_req_valid.next = !self.took.val();
                self.vld_q.d.next = !self.took.val();
                self.mem_req_write.next = true;
                self.mem_req_addr.next = self.c2h_slot.val() + 8;
                self.mem_req_wdata.next = bit_cast::<64, 32>(self.cb_fill.q.val())
                    | (bit_cast::<64, 16>(self.cb_kind.q.val()) << 32)
                    | (bit_cast::<64, 16>(self.cb_flags.q.val() | self.k_done.val()) << 48);
                if self.took.val() {
                    self.cb_valid.d.next = false;
                    self.c2h_head.d.next = self.c2h_head.q.val() + 1;
                    self.new_cpl.next = true;
                    if (self.cb_flags.q.val() & self.k_irq.val()).any() {
                        self.new_flag.next = true;
                    }
                    self.state.d.next = DmaState::Idle;
                }
            }
            DmaState::RecA => {
                self.mem_req_valid.next = !self.took.val();
                self.vld_q.d.next = !self.took.val();
                self.mem_req_addr.next = self.hb_addr.q.val() + bit_cast::<64, 32>(self.hb_pos.q.val());
                if self.took.val() {
                    self.state.d.next = DmaState::RecAWait;
                }
            }
            DmaState::RecAWait => {
                if self.rsp_v_q.q.val() {
                    if self.hb_kind.q.val() == self.k_kind_config.val() {
                        self.o_cfg_addr.d.next = self.rsp_d_q.q.val().get_bits::<32>(0);
                        self.o_cfg_data.d.next = self.rsp_d_q.q.val().get_bits::<32>(32);
                        self.o_cfg_valid.d.next = true;
                        self.hb_pos.d.next = self.hb_pos.q.val() + 8;
                        self.state.d.next = DmaState::CfgWait;
                    } else {
                        self.r_step.d.next = self.rsp_d_q.q.val().get_bits::<32>(0);
                        self.r_neuron.d.next = self.rsp_d_q.q.val().get_bits::<32>(32);
                        self.state.d.next = DmaState::RecB;
                    }
                }
            }
            DmaState::CfgWait => {
                if self.cfg_take.val() {
                    self.o_cfg_valid.d.next = false;
                    self.state.d.next = DmaState::Idle;
                }
            }
            DmaState::PrbWrite => {
                self.mem_req_valid.next = !self.took.val();
                self.vld_q.d.next = !self.took.val();
                self.mem_req_write.next = true;
                self.mem_req_addr.next = self.cb_addr.q.val() + bit_cast::<64, 32>(self.cb_fill.q.val());
                self.mem_req_wdata.next = self.prb_word.val();
                if self.took.val() {
                    self.cb_fill.d.next = self.cb_fill.q.val() + 8;
                    self.cb_room.d.next = self.cb_room.q.val() - 8;
                    self.prb_idx.d.next = self.prb_idx.q.val() + 1;
                    if self.prb_idx.q.val() == 3 {
                        self.o_prb_ack.d.next = true;
                        self.state.d.next = DmaState::PrbGap;
                    }
                }
            }
            DmaState::PrbGap => {
                // `prb_ack` reaches the core now; its `prb_valid` falls next cycle.
                self.state.d.next = DmaState::Idle;
            }
            DmaState::RecB => {
                self.mem_req_valid.next = !self.took.val();
                self.vld_q.d.next = !self.took.val();
                self.mem_req_addr.next = self.hb_addr.q.val() + bit_cast::<64, 32>(self.hb_pos.q.val()) + 8;
                if self.took.val() {
                    self.state.d.next = DmaState::RecBWait;
                }
            }
            DmaState::RecBWait => {
                if self.rsp_v_q.q.val() {
                    self.r_volts.d.next = self.rsp_d_q.q.val().get_bits::<32>(0);
                    self.rv.d.next = true;
                    self.hb_pos.d.next = self.hb_pos.q.val() + 16;
                    self.state.d.next = DmaState::Idle;
                }
            }
            DmaState::H2cDone => {
                self.mem_req_valid.next = !self.took.val();
                self.vld_q.d.next = !self.took.val();
                self.mem_req_write.next = true;
                self.mem_req_addr.next = self.h2c_slot.val() + 8;
                self.mem_req_wdata.next = bit_cast::<64, 32>(self.hb_len.q.val())
                    | (bit_cast::<64, 16>(self.hb_kind.q.val()) << 32)
                    | (bit_cast::<64, 16>(self.hb_flags.q.val() | self.k_done.val()) << 48);
                if self.took.val() {
                    self.hb_valid.d.next = false;
                    self.h2c_head.d.next = self.h2c_head.q.val() + 1;
                    self.new_cpl.next = true;
                    if (self.hb_flags.q.val() & self.k_irq.val()).any() {
                        self.new_flag.next = true;
                    }
                    self.state.d.next = DmaState::Idle;
                }
            }
            DmaState::Halted => {}
        }
        // A failed read: whatever the wait state above took from it is undone, and the
        // engine halts where it stood (the ring heads have not moved, so the same read is
        // tried again when the host restarts the engine).
        if self.rsp_v_q.q.val() & self.rsp_e_q.q.val() {
            self.state.d.next = DmaState::Halted;
            self.o_read_fault.d.next = true;
            self.cb_valid.d.next = self.cb_valid.q.val();
            self.hb_valid.d.next = self.hb_valid.q.val();
            self.hb_pos.d.next = self.hb_pos.q.val();
            self.o_cfg_valid.d.next = false;
            if self.state.q.val() == DmaState::RecBWait {
                self.rv.d.next = false;
            }
        }

        // ================= interrupt coalescing =================
        self.coalescer.completed.next = self.new_cpl.val();
        self.coalescer.completed_irq.next = self.new_flag.val();
        self.coalescer.count.next = self.regs.coal_count.val();
        self.coalescer.cycles.next = self.regs.coal_cycles.val();
        self.coalescer.clear.next = self.clear.val();

        // ================= registers =================
        self.regs.index.next = self.reg_index.val();
        self.regs.wdata.next = self.reg_wdata.val();
        self.regs.we.next = self.reg_we.val();
        self.regs.clear.next = self.clear.val();
        self.regs.c2h_head.next = self.c2h_head.q.val();
        self.regs.h2c_head.next = self.h2c_head.q.val();
        // Writing DMA_CTRL restarts a halted engine.
        if self.regs.ctrl_we.val() & (self.state.q.val() == DmaState::Halted) {
            self.state.d.next = DmaState::Idle;
        }
        if self.clear.val() {
            self.state.d.next = DmaState::Idle;
            self.c2h_head.d.next = bits::<32>(0);
            self.h2c_head.d.next = bits::<32>(0);
            self.cb_valid.d.next = false;
            self.hb_valid.d.next = false;
            self.rv.d.next = false;
            self.o_cfg_valid.d.next = false;
        }
    }
}
