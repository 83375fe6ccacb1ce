//! `C2hWriter`: the card→host engine. It holds the buffer the host lent through the C2H
//! ring's current descriptor and fills it with the core's records: `SpikeEvent`s from the
//! output ring, or `ProbeRecord`s (four 64-bit words) after a step. A buffer holds one kind
//! of record: it is handed over before a record of the other kind is written.
//!
//! A buffer is handed over — its descriptor's second word written back (bytes written,
//! kind, flags | DONE) and `head` advanced — when it is full for its kind, when the next
//! record is the other kind, when `flush_cycles` pass after its first record, or when the
//! core is idle with nothing left to send. With no descriptor posted the output ring fills
//! and the core's step controller stalls: nothing is dropped.
//!
//! Jobs (each granted by `DmaControl`, one memory request each): write one spike, write
//! one probe record, hand the buffer over. Between jobs the writer asks `DescFetch` for the
//! ring's next descriptor (`need_desc`, `slot`) when it has records and no buffer.

use memfire_spec::wire::{DescriptorKind, ProbeRecord, DESC_DONE, DESC_IRQ};
use rust_hdl::prelude::*;

use super::half;
use super::ring_head::RingHead;

#[derive(Copy, Clone, Debug, PartialEq, Eq, LogicState)]
pub enum WriterState {
    Idle,
    /// Write the spike at the output ring's tail; then two cycles for the ring's tail
    /// (moved by the registered pop) to reach its read port and the word its registered
    /// read (`OutRing`: the block RAM's word, then the ring's register).
    SpikeWrite,
    SpikeGap,
    SpikeGap2,
    /// Write the probe record's four words; then a cycle for the core to see `prb_ack`.
    ProbeWrite,
    ProbeGap,
    /// Write the descriptor back.
    Handover,
}

#[derive(LogicBlock)]
pub struct C2hWriter {
    pub clock: Signal<In, Clock>,
    pub clear: Signal<In, Bit>,
    // ---- the ring (DMA registers) and the engine's state ----
    /// DMA_CTRL's C2H enable.
    pub on: Signal<In, Bit>,
    pub halted: Signal<In, Bit>,
    pub base: Signal<In, Bits<64>>,
    pub mask: Signal<In, Bits<32>>,
    pub tail: Signal<In, Bits<32>>,
    pub flush_cycles: Signal<In, Bits<32>>,
    /// Descriptors consumed (C2H_HEAD).
    pub head: Signal<Out, Bits<32>>,
    /// DMA_CTRL's C2H enable, registered for the core (spikes go to this ring, not to the
    /// output-ring window).
    pub ring_on: Signal<Out, Bit>,
    // ---- the core ----
    pub core_idle: Signal<In, Bit>,
    /// The output ring holds a spike; `out_data` is the record at its tail (step << 32 | neuron).
    pub out_avail: Signal<In, Bit>,
    pub out_data: Signal<In, Bits<64>>,
    /// Take one spike off the output ring.
    pub out_pop: Signal<Out, Bit>,
    /// A probe record is waiting, words 0..3 as they go to host memory.
    pub prb_valid: Signal<In, Bit>,
    pub prb_w0: Signal<In, Bits<64>>,
    pub prb_w1: Signal<In, Bits<64>>,
    pub prb_w2: Signal<In, Bits<64>>,
    pub prb_w3: Signal<In, Bits<64>>,
    /// One-cycle pulse: the probe record is in host memory.
    pub prb_ack: Signal<Out, Bit>,
    // ---- descriptors ----
    /// Records wait and no buffer is in hand: fetch the descriptor at `slot`.
    pub need_desc: Signal<Out, Bit>,
    pub slot: Signal<Out, Bits<64>>,
    pub desc_done: Signal<In, Bit>,
    pub desc_bad: Signal<In, Bit>,
    pub desc_for_h2c: Signal<In, Bit>,
    pub desc_addr: Signal<In, Bits<64>>,
    pub desc_len: Signal<In, Bits<32>>,
    pub desc_flags: Signal<In, Bits<16>>,
    // ---- with DmaControl ----
    pub want: Signal<Out, Bit>,
    pub grant: Signal<In, Bit>,
    pub busy: Signal<Out, Bit>,
    /// Granted for a probe record but the buffer is too short for one: the engine halts.
    pub short: Signal<Out, Bit>,
    /// A buffer was handed over; its descriptor asks for an interrupt.
    pub completed: Signal<Out, Bit>,
    pub completed_irq: Signal<Out, Bit>,
    // ---- the memory port (writes) ----
    pub req_valid: Signal<Out, Bit>,
    pub req_addr: Signal<Out, Bits<64>>,
    pub req_wdata: Signal<Out, Bits<64>>,
    pub took: Signal<In, Bit>,

    state: DFF<WriterState>,
    /// The ring's head and the addresses of its descriptor.
    ring: RingHead,
    ring_on_q: DFF<Bit>,
    // The buffer in hand.
    valid: DFF<Bit>,
    /// The memory address of the next word: the buffer's address plus `fill`, kept as its
    /// own register (moved by 8 with `fill`) so that no 64-bit sum lies between the fill
    /// count and the memory port's request.
    next_addr: DFF<Bits<64>>,
    /// Bytes left: its length when taken, less 8 per word written (a register rather than
    /// length − fill, so no subtraction sits in front of the Idle decision).
    room: DFF<Bits<32>>,
    /// `room == 0` and `room < ProbeRecord`'s size, set with `room` from the value it
    /// takes, so that the Idle decision starts from flip-flops, not from compares on `room`.
    room_empty: DFF<Bit>,
    room_short: DFF<Bit>,
    fill: DFF<Bits<32>>,
    flags: DFF<Bits<16>>,
    /// `Spikes` or `Probes`, written back with it.
    kind: DFF<Bits<16>>,
    age: DFF<Bits<32>>,
    /// The buffer has waited its flush time (0 = never), registered: it may read a cycle
    /// late, which only delays a timed flush by a cycle.
    age_due: DFF<Bit>,
    /// Next word of the probe record being written.
    prb_idx: DFF<Bits<2>>,
    o_pop: DFF<Bit>,
    o_prb_ack: DFF<Bit>,
    enabled: Signal<Local, Bit>,
    /// There is a job to do (`want`, read back).
    wanted: Signal<Local, Bit>,
    /// Full for its kind; the next record is the other kind; due for hand-over.
    full: Signal<Local, Bit>,
    /// The memory port took a spike's or a probe record's word: the buffer has 8 bytes
    /// fewer left.
    word_taken: Signal<Local, Bit>,
    kind_switch: Signal<Local, Bit>,
    flush_due: Signal<Local, Bit>,
    prb_word: Signal<Local, Bits<64>>,
    k_kind_spikes: Constant<Bits<16>>,
    k_kind_probes: Constant<Bits<16>>,
    k_probe_bytes: Constant<Bits<32>>,
    k_done: Constant<Bits<16>>,
    k_irq: Constant<Bits<16>>,
}

impl Default for C2hWriter {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            clear: Default::default(),
            on: Default::default(),
            halted: Default::default(),
            base: Default::default(),
            mask: Default::default(),
            tail: Default::default(),
            flush_cycles: Default::default(),
            head: Default::default(),
            ring_on: Default::default(),
            core_idle: Default::default(),
            out_avail: Default::default(),
            out_data: Default::default(),
            out_pop: Default::default(),
            prb_valid: Default::default(),
            prb_w0: Default::default(),
            prb_w1: Default::default(),
            prb_w2: Default::default(),
            prb_w3: Default::default(),
            prb_ack: Default::default(),
            need_desc: Default::default(),
            slot: Default::default(),
            desc_done: Default::default(),
            desc_bad: Default::default(),
            desc_for_h2c: Default::default(),
            desc_addr: Default::default(),
            desc_len: Default::default(),
            desc_flags: Default::default(),
            want: Default::default(),
            grant: Default::default(),
            busy: Default::default(),
            short: Default::default(),
            completed: Default::default(),
            completed_irq: Default::default(),
            req_valid: Default::default(),
            req_addr: Default::default(),
            req_wdata: Default::default(),
            took: Default::default(),
            state: Default::default(),
            ring: Default::default(),
            ring_on_q: Default::default(),
            valid: Default::default(),
            next_addr: Default::default(),
            room: Default::default(),
            room_empty: Default::default(),
            room_short: Default::default(),
            fill: Default::default(),
            flags: Default::default(),
            kind: Default::default(),
            age: Default::default(),
            age_due: Default::default(),
            prb_idx: Default::default(),
            o_pop: Default::default(),
            o_prb_ack: Default::default(),
            enabled: Default::default(),
            wanted: Default::default(),
            full: Default::default(),
            word_taken: Default::default(),
            kind_switch: Default::default(),
            flush_due: Default::default(),
            prb_word: Default::default(),
            k_kind_spikes: half(DescriptorKind::Spikes as u16),
            k_kind_probes: half(DescriptorKind::Probes as u16),
            k_probe_bytes: Constant::new((std::mem::size_of::<ProbeRecord>() as u64).into()),
            k_done: half(DESC_DONE),
            k_irq: half(DESC_IRQ),
        }
    }
}

impl Logic for C2hWriter {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, state, ring_on_q, valid, next_addr, room, room_empty, room_short, fill, flags, kind, age,
            age_due, prb_idx, o_pop, o_prb_ack
        );
        self.enabled.next = self.on.val() & !self.halted.val();
        self.ring_on_q.d.next = self.on.val();
        self.ring_on.next = self.ring_on_q.q.val();
        self.ring.clock.next = self.clock.val();
        self.ring.base.next = self.base.val();
        self.ring.mask.next = self.mask.val();
        self.ring.tail.next = self.tail.val();
        self.ring.advance.next = false;
        self.ring.clear.next = self.clear.val();
        self.head.next = self.ring.head.val();
        self.slot.next = self.ring.slot.val();
        self.busy.next = self.state.q.val() != WriterState::Idle;
        self.out_pop.next = self.o_pop.q.val();
        self.o_pop.d.next = false;
        self.prb_ack.next = self.o_prb_ack.q.val();
        self.o_prb_ack.d.next = false;

        // ---- when to hand the buffer over ----
        self.full.next =
            self.room_empty.q.val() | ((self.kind.q.val() == self.k_kind_probes.val()) & self.room_short.q.val());
        self.age_due.d.next = (self.flush_cycles.val() != 0) & (self.age.q.val() >= self.flush_cycles.val());
        if self.valid.q.val() & (self.fill.q.val() != 0) {
            self.age.d.next = self.age.q.val() + 1;
        }
        self.kind_switch.next = (self.prb_valid.val() & (self.kind.q.val() != self.k_kind_probes.val()))
            | (!self.prb_valid.val() & self.out_avail.val() & (self.kind.q.val() != self.k_kind_spikes.val()));
        self.flush_due.next = self.valid.q.val()
            & (self.fill.q.val() != 0)
            & (self.full.val()
                | self.kind_switch.val()
                | self.age_due.q.val()
                | (self.core_idle.val() & !self.out_avail.val() & !self.prb_valid.val()));
        self.wanted.next = self.enabled.val()
            & (self.flush_due.val() | (self.valid.q.val() & (self.prb_valid.val() | self.out_avail.val())));
        self.want.next = self.wanted.val();
        self.need_desc.next = self.enabled.val()
            & (self.out_avail.val() | self.prb_valid.val())
            & !self.valid.q.val()
            & self.ring.slot_ready.val()
            & self.ring.posted.val();

        // ---- a new buffer ----
        if self.desc_done.val() & !self.desc_bad.val() & !self.desc_for_h2c.val() {
            self.valid.d.next = true;
            self.next_addr.d.next = self.desc_addr.val();
            self.room.d.next = self.desc_len.val();
            self.room_empty.d.next = self.desc_len.val() == 0;
            self.room_short.d.next = self.desc_len.val() < self.k_probe_bytes.val();
            self.fill.d.next = bits::<32>(0);
            self.age.d.next = bits::<32>(0);
            self.flags.d.next = self.desc_flags.val();
            self.kind.d.next = self.k_kind_spikes.val();
        }

        // ---- the memory request ----
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
        self.req_valid.next = false;
        self.req_addr.next = self.next_addr.q.val();
        // A spike as `SpikeEvent` on the wire: step in the low word, neuron in the high word
        // (the output ring keeps them the other way round).
        self.req_wdata.next = (bit_cast::<64, 32>(self.out_data.val().get_bits::<32>(0)) << 32)
            | bit_cast::<64, 32>(self.out_data.val().get_bits::<32>(32));
        self.short.next = false;
        self.completed.next = false;
        self.word_taken.next = self.took.val()
            & ((self.state.q.val() == WriterState::SpikeWrite) | (self.state.q.val() == WriterState::ProbeWrite));
        self.completed_irq.next = false;

        match self.state.q.val() {
            WriterState::Idle => {
                if self.grant.val() & self.wanted.val() {
                    if self.flush_due.val() {
                        self.state.d.next = WriterState::Handover;
                    } else if self.prb_valid.val() {
                        // The core waits on a probe record (so no spike waits behind it):
                        // into this buffer, empty or of probes with room (else handed over
                        // above), unless it is too short for one record.
                        if self.room_short.q.val() {
                            self.short.next = true;
                        } else {
                            self.kind.d.next = self.k_kind_probes.val();
                            self.prb_idx.d.next = bits::<2>(0);
                            self.state.d.next = WriterState::ProbeWrite;
                        }
                    } else {
                        self.kind.d.next = self.k_kind_spikes.val();
                        self.state.d.next = WriterState::SpikeWrite;
                    }
                }
            }
            WriterState::SpikeWrite => {
                // The output ring's read port shows the record at its tail (stable: the tail
                // moves only here).
                self.req_valid.next = !self.took.val();
                if self.took.val() {
                    self.o_pop.d.next = true;
                    self.state.d.next = WriterState::SpikeGap;
                }
            }
            WriterState::SpikeGap => {
                self.state.d.next = WriterState::SpikeGap2;
            }
            WriterState::SpikeGap2 => {
                self.state.d.next = WriterState::Idle;
            }
            WriterState::ProbeWrite => {
                self.req_valid.next = !self.took.val();
                self.req_wdata.next = self.prb_word.val();
                if self.took.val() {
                    self.prb_idx.d.next = self.prb_idx.q.val() + 1;
                    if self.prb_idx.q.val() == 3 {
                        self.o_prb_ack.d.next = true;
                        self.state.d.next = WriterState::ProbeGap;
                    }
                }
            }
            WriterState::ProbeGap => {
                // `prb_ack` reaches the core now; its `prb_valid` falls next cycle.
                self.state.d.next = WriterState::Idle;
            }
            WriterState::Handover => {
                self.req_valid.next = !self.took.val();
                self.req_addr.next = self.ring.done_addr.val();
                self.req_wdata.next = bit_cast::<64, 32>(self.fill.q.val())
                    | (bit_cast::<64, 16>(self.kind.q.val()) << 32)
                    | (bit_cast::<64, 16>(self.flags.q.val() | self.k_done.val()) << 48);
                if self.took.val() {
                    self.valid.d.next = false;
                    self.ring.advance.next = true;
                    self.completed.next = true;
                    self.completed_irq.next = (self.flags.q.val() & self.k_irq.val()).any();
                    self.state.d.next = WriterState::Idle;
                }
            }
        }
        if self.word_taken.val() {
            self.fill.d.next = self.fill.q.val() + 8;
            self.next_addr.d.next = self.next_addr.q.val() + 8;
            self.room.d.next = self.room.q.val() - 8;
            self.room_empty.d.next = self.room.q.val() == 8;
            self.room_short.d.next = self.room.q.val() < self.k_probe_bytes.val() + 8;
        }
        if self.clear.val() {
            self.state.d.next = WriterState::Idle;
            self.valid.d.next = false;
        }
    }
}
