//! `H2cReader`: the host→card engine. It holds the buffer of the H2C ring's current
//! descriptor and reads its records front to back, one at a time:
//! - `InputEvent`s (kind `Input`, 16 bytes: step, neuron; volts): the record in hand is
//!   applied (`ext_we`) when the core decides to start its step, or any later one; until
//!   then the core holds that step (`hold`), as it does while a record is still to be
//!   fetched or (INPUT_GATE) while nothing is posted and the step has reached `IN_HORIZON`.
//! - `ConfigWrite`s (kind `Config`, 8 bytes: address, value): offered to the core as a bus
//!   write (`cfg_valid`) until it takes one (`cfg_take`) in a cycle its bus is quiet.
//!
//! Both kinds share the ring, so order is kept: a configuration posted after an input of
//! step s is applied before step s runs. An emptied buffer's descriptor is written back
//! (DONE) and `head` advanced.
//!
//! Input events are applied here rather than by the core, so that nothing the core feeds
//! this block depends on what this block tells the core: every output towards the core
//! comes from a flip-flop (no loop for Verilator through the core's one update block).

use memfire_spec::wire::{DescriptorKind, DESC_DONE, DESC_IRQ};
use rust_hdl::prelude::*;

use super::half;
use super::ring_head::RingHead;

#[derive(Copy, Clone, Debug, PartialEq, Eq, LogicState)]
pub enum ReaderState {
    Idle,
    /// Read a record's first word (input: step, neuron; configuration: address, value) /
    /// wait for it.
    FirstWord,
    FirstWait,
    /// Read an input's second word (volts) / wait for it.
    SecondWord,
    SecondWait,
    /// A configuration word is offered to the core until it takes it.
    CfgOffer,
    /// Write the descriptor back.
    Handover,
}

#[derive(LogicBlock)]
pub struct H2cReader {
    pub clock: Signal<In, Clock>,
    pub clear: Signal<In, Bit>,
    // ---- the ring (DMA registers) and the engine's state ----
    /// DMA_CTRL's H2C enable and input gate.
    pub on: Signal<In, Bit>,
    pub input_gate: Signal<In, Bit>,
    pub halted: Signal<In, Bit>,
    pub base: Signal<In, Bits<64>>,
    pub mask: Signal<In, Bits<32>>,
    pub tail: Signal<In, Bits<32>>,
    pub horizon: Signal<In, Bits<32>>,
    /// Descriptors consumed (H2C_HEAD).
    pub head: Signal<Out, Bits<32>>,
    // ---- the core ----
    /// The core's step counter (low word) and whether it is deciding to start that step.
    pub step_lo: Signal<In, Bits<32>>,
    pub in_check: Signal<In, Bit>,
    /// The core must not start the step.
    pub hold: Signal<Out, Bit>,
    /// Write `ext_volts` (Q2.22) to neuron `ext_neuron`'s external input this cycle.
    pub ext_we: Signal<Out, Bit>,
    pub ext_neuron: Signal<Out, Bits<32>>,
    pub ext_volts: Signal<Out, Bits<32>>,
    /// A configuration word for the core's bus: write `cfg_data` at word address `cfg_addr`.
    pub cfg_valid: Signal<Out, Bit>,
    pub cfg_addr: Signal<Out, Bits<32>>,
    pub cfg_data: Signal<Out, Bits<32>>,
    pub cfg_take: Signal<In, Bit>,
    // ---- descriptors ----
    /// No buffer in hand and the ring holds a descriptor: fetch the one at `slot`.
    pub need_desc: Signal<Out, Bit>,
    pub slot: Signal<Out, Bits<64>>,
    pub desc_done: Signal<In, Bit>,
    pub desc_bad: Signal<In, Bit>,
    pub desc_for_h2c: Signal<In, Bit>,
    pub desc_addr: Signal<In, Bits<64>>,
    pub desc_len: Signal<In, Bits<32>>,
    pub desc_kind: Signal<In, Bits<16>>,
    pub desc_flags: Signal<In, Bits<16>>,
    // ---- with DmaControl ----
    pub want: Signal<Out, Bit>,
    pub grant: Signal<In, Bit>,
    pub busy: Signal<Out, Bit>,
    /// A buffer was handed back; its descriptor asks for an interrupt.
    pub completed: Signal<Out, Bit>,
    pub completed_irq: Signal<Out, Bit>,
    // ---- the memory port ----
    pub req_valid: Signal<Out, Bit>,
    pub req_write: Signal<Out, Bit>,
    pub req_addr: Signal<Out, Bits<64>>,
    pub req_wdata: Signal<Out, Bits<64>>,
    pub took: Signal<In, Bit>,
    pub rsp_valid: Signal<In, Bit>,
    pub rsp_data: Signal<In, Bits<64>>,
    pub rsp_error: Signal<In, Bit>,

    state: DFF<ReaderState>,
    /// The ring's head and the addresses of its descriptor.
    ring: RingHead,
    // The buffer in hand.
    valid: DFF<Bit>,
    addr: DFF<Bits<64>>,
    len: DFF<Bits<32>>,
    pos: DFF<Bits<32>>,
    /// The memory addresses of the record at `pos` and of its second word, kept in
    /// registers so that no 64-bit sum lies between the buffer position and the memory
    /// port's request.
    rec_addr: DFF<Bits<64>>,
    rec_addr8: DFF<Bits<64>>,
    flags: DFF<Bits<16>>,
    /// `Input` or `Config`.
    kind: DFF<Bits<16>>,
    // The input record in hand.
    rec_valid: DFF<Bit>,
    rec_step: DFF<Bits<32>>,
    rec_neuron: DFF<Bits<32>>,
    rec_volts: DFF<Bits<32>>,
    o_ext_we: DFF<Bit>,
    o_ext_neuron: DFF<Bits<32>>,
    o_ext_volts: DFF<Bits<32>>,
    o_hold: DFF<Bit>,
    o_cfg_valid: DFF<Bit>,
    o_cfg_addr: DFF<Bits<32>>,
    o_cfg_data: DFF<Bits<32>>,
    enabled: Signal<Local, Bit>,
    /// There is a job to do (`want`, read back).
    wanted: Signal<Local, Bit>,
    /// A read's data came back and did not fail.
    rsp_ok: Signal<Local, Bit>,
    /// Steps from the record's step (or the horizon) to the core's, with 32-bit wrap-around.
    in_delta: Signal<Local, Bits<32>>,
    horizon_delta: Signal<Local, Bits<32>>,
    /// The record in hand is for this step or an earlier one.
    due: Signal<Local, Bit>,
    /// A record is still to be fetched.
    in_pending: Signal<Local, Bit>,
    emptied: Signal<Local, Bit>,
    k_kind_config: Constant<Bits<16>>,
    k_done: Constant<Bits<16>>,
    k_irq: Constant<Bits<16>>,
}

impl Default for H2cReader {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            clear: Default::default(),
            on: Default::default(),
            input_gate: Default::default(),
            halted: Default::default(),
            base: Default::default(),
            mask: Default::default(),
            tail: Default::default(),
            horizon: Default::default(),
            head: Default::default(),
            step_lo: Default::default(),
            in_check: Default::default(),
            hold: Default::default(),
            ext_we: Default::default(),
            ext_neuron: Default::default(),
            ext_volts: Default::default(),
            cfg_valid: Default::default(),
            cfg_addr: Default::default(),
            cfg_data: Default::default(),
            cfg_take: Default::default(),
            need_desc: Default::default(),
            slot: Default::default(),
            desc_done: Default::default(),
            desc_bad: Default::default(),
            desc_for_h2c: Default::default(),
            desc_addr: Default::default(),
            desc_len: Default::default(),
            desc_kind: Default::default(),
            desc_flags: Default::default(),
            want: Default::default(),
            grant: Default::default(),
            busy: Default::default(),
            completed: Default::default(),
            completed_irq: Default::default(),
            req_valid: Default::default(),
            req_write: Default::default(),
            req_addr: Default::default(),
            req_wdata: Default::default(),
            took: Default::default(),
            rsp_valid: Default::default(),
            rsp_data: Default::default(),
            rsp_error: Default::default(),
            state: Default::default(),
            ring: Default::default(),
            valid: Default::default(),
            addr: Default::default(),
            len: Default::default(),
            pos: Default::default(),
            rec_addr: Default::default(),
            rec_addr8: Default::default(),
            flags: Default::default(),
            kind: Default::default(),
            rec_valid: Default::default(),
            rec_step: Default::default(),
            rec_neuron: Default::default(),
            rec_volts: Default::default(),
            o_ext_we: Default::default(),
            o_ext_neuron: Default::default(),
            o_ext_volts: Default::default(),
            o_hold: Default::default(),
            o_cfg_valid: Default::default(),
            o_cfg_addr: Default::default(),
            o_cfg_data: Default::default(),
            enabled: Default::default(),
            wanted: Default::default(),
            rsp_ok: Default::default(),
            in_delta: Default::default(),
            horizon_delta: Default::default(),
            due: Default::default(),
            in_pending: Default::default(),
            emptied: Default::default(),
            k_kind_config: half(DescriptorKind::Config as u16),
            k_done: half(DESC_DONE),
            k_irq: half(DESC_IRQ),
        }
    }
}

impl Logic for H2cReader {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            state,
            valid,
            addr,
            len,
            pos,
            rec_addr,
            rec_addr8,
            flags,
            kind,
            rec_valid,
            rec_step,
            rec_neuron,
            rec_volts,
            o_ext_we,
            o_ext_neuron,
            o_ext_volts,
            o_hold,
            o_cfg_valid,
            o_cfg_addr,
            o_cfg_data
        );
        self.enabled.next = self.on.val() & !self.halted.val();
        self.ring.clock.next = self.clock.val();
        self.ring.base.next = self.base.val();
        self.ring.mask.next = self.mask.val();
        self.ring.tail.next = self.tail.val();
        self.ring.advance.next = false;
        self.ring.clear.next = self.clear.val();
        self.head.next = self.ring.head.val();
        self.slot.next = self.ring.slot.val();
        self.busy.next = self.state.q.val() != ReaderState::Idle;
        self.rsp_ok.next = self.rsp_valid.val() & !self.rsp_error.val();
        // The request addresses follow `addr` and `pos` a cycle or two behind: those move
        // only on an edge into Idle (or as Idle takes a new buffer), a record's first word is
        // requested at least a cycle after that (FirstWord) and its second at least two
        // cycles after the first (FirstWord, FirstWait).
        self.rec_addr.d.next = self.addr.q.val() + bit_cast::<64, 32>(self.pos.q.val());
        self.rec_addr8.d.next = self.rec_addr.q.val() + 8;
        self.emptied.next = self.pos.q.val() == self.len.q.val();
        self.wanted.next = self.enabled.val()
            & self.valid.q.val()
            & ((!self.rec_valid.q.val() & !self.emptied.val()) | self.emptied.val());
        self.want.next = self.wanted.val();
        self.need_desc.next =
            self.enabled.val() & !self.valid.q.val() & self.ring.slot_ready.val() & self.ring.posted.val();

        // ---- towards the core ----
        self.ext_we.next = self.o_ext_we.q.val();
        self.ext_neuron.next = self.o_ext_neuron.q.val();
        self.ext_volts.next = self.o_ext_volts.q.val();
        self.hold.next = self.o_hold.q.val();
        self.cfg_valid.next = self.o_cfg_valid.q.val();
        self.cfg_addr.next = self.o_cfg_addr.q.val();
        self.cfg_data.next = self.o_cfg_data.q.val();
        self.in_delta.next = self.step_lo.val() - self.rec_step.q.val();
        self.horizon_delta.next = self.step_lo.val() - self.horizon.val();
        self.due.next = self.rec_valid.q.val() & !self.in_delta.val().get_bit(31);
        self.in_pending.next =
            self.enabled.val() & !self.rec_valid.q.val() & (self.valid.q.val() | self.ring.posted.val());
        self.o_ext_we.d.next = self.due.val() & self.in_check.val();
        self.o_ext_neuron.d.next = self.rec_neuron.q.val();
        self.o_ext_volts.d.next = self.rec_volts.q.val();
        self.o_hold.d.next = self.due.val()
            | self.in_pending.val()
            | (self.input_gate.val() & !self.rec_valid.q.val() & !self.horizon_delta.val().get_bit(31));
        if self.due.val() & self.in_check.val() {
            self.rec_valid.d.next = false;
        }

        // ---- a new buffer ----
        if self.desc_done.val() & !self.desc_bad.val() & self.desc_for_h2c.val() {
            self.valid.d.next = true;
            self.addr.d.next = self.desc_addr.val();
            self.len.d.next = self.desc_len.val();
            self.pos.d.next = bits::<32>(0);
            self.flags.d.next = self.desc_flags.val();
            self.kind.d.next = self.desc_kind.val();
        }

        // ---- the memory requests ----
        self.req_valid.next = false;
        self.req_write.next = false;
        self.req_addr.next = self.rec_addr.q.val();
        self.req_wdata.next = bit_cast::<64, 32>(self.len.q.val())
            | (bit_cast::<64, 16>(self.kind.q.val()) << 32)
            | (bit_cast::<64, 16>(self.flags.q.val() | self.k_done.val()) << 48);
        self.completed.next = false;
        self.completed_irq.next = false;

        match self.state.q.val() {
            ReaderState::Idle => {
                if self.grant.val() & self.wanted.val() {
                    if self.emptied.val() {
                        self.state.d.next = ReaderState::Handover;
                    } else {
                        self.state.d.next = ReaderState::FirstWord;
                    }
                }
            }
            ReaderState::FirstWord => {
                self.req_valid.next = !self.took.val();
                if self.took.val() {
                    self.state.d.next = ReaderState::FirstWait;
                }
            }
            ReaderState::FirstWait => {
                if self.rsp_ok.val() {
                    if self.kind.q.val() == self.k_kind_config.val() {
                        self.o_cfg_addr.d.next = self.rsp_data.val().get_bits::<32>(0);
                        self.o_cfg_data.d.next = self.rsp_data.val().get_bits::<32>(32);
                        self.o_cfg_valid.d.next = true;
                        self.pos.d.next = self.pos.q.val() + 8;
                        self.state.d.next = ReaderState::CfgOffer;
                    } else {
                        self.rec_step.d.next = self.rsp_data.val().get_bits::<32>(0);
                        self.rec_neuron.d.next = self.rsp_data.val().get_bits::<32>(32);
                        self.state.d.next = ReaderState::SecondWord;
                    }
                }
            }
            ReaderState::SecondWord => {
                self.req_valid.next = !self.took.val();
                self.req_addr.next = self.rec_addr8.q.val();
                if self.took.val() {
                    self.state.d.next = ReaderState::SecondWait;
                }
            }
            ReaderState::SecondWait => {
                if self.rsp_ok.val() {
                    self.rec_volts.d.next = self.rsp_data.val().get_bits::<32>(0);
                    self.rec_valid.d.next = true;
                    self.pos.d.next = self.pos.q.val() + 16;
                    self.state.d.next = ReaderState::Idle;
                }
            }
            ReaderState::CfgOffer => {
                if self.cfg_take.val() {
                    self.o_cfg_valid.d.next = false;
                    self.state.d.next = ReaderState::Idle;
                }
            }
            ReaderState::Handover => {
                self.req_valid.next = !self.took.val();
                self.req_write.next = true;
                self.req_addr.next = self.ring.done_addr.val();
                if self.took.val() {
                    self.valid.d.next = false;
                    self.ring.advance.next = true;
                    self.completed.next = true;
                    self.completed_irq.next = (self.flags.q.val() & self.k_irq.val()).any();
                    self.state.d.next = ReaderState::Idle;
                }
            }
        }
        // A failed read ends the job where it stood (the buffer position has not moved, so
        // the same read is tried again when the host restarts the engine).
        if self.rsp_valid.val() & self.rsp_error.val() {
            self.state.d.next = ReaderState::Idle;
        }
        if self.clear.val() {
            self.state.d.next = ReaderState::Idle;
            self.valid.d.next = false;
            self.rec_valid.d.next = false;
            self.o_cfg_valid.d.next = false;
        }
    }
}
