//! `DmaControl`: which of the DMA engine's three engines runs next, and whether any may.
//!
//! The engines share one memory-request port, so one runs a job at a time. A job is granted
//! only when none is running or about to start, in this order: the card→host writer (spikes
//! and probe records behind it stall the core), the descriptor fetch (the card→host ring's
//! before the host→card ring's), then the host→card reader. A grant is registered: an
//! engine's `want` and `grant` then sit on two different flip-flop boundaries, so Verilator
//! sees no loop between this block and the engines (each a single update block). The
//! engine takes its grant a cycle later only if it still wants to (the host may have
//! turned its ring off in between).
//!
//! A bad descriptor, a buffer too short for a probe record, or a failed read halts the
//! engine: no job is granted until `DMA_CTRL` is written (`restart`) or CTRL.CLEAR.

use rust_hdl::prelude::*;

#[derive(LogicBlock, Default)]
pub struct DmaControl {
    pub clock: Signal<In, Clock>,
    pub clear: Signal<In, Bit>,
    /// `DMA_CTRL` was written.
    pub restart: Signal<In, Bit>,
    // ---- the engines ----
    pub writer_want: Signal<In, Bit>,
    pub writer_busy: Signal<In, Bit>,
    pub writer_grant: Signal<Out, Bit>,
    pub fetch_want: Signal<In, Bit>,
    pub fetch_busy: Signal<In, Bit>,
    pub fetch_grant: Signal<Out, Bit>,
    pub reader_want: Signal<In, Bit>,
    pub reader_busy: Signal<In, Bit>,
    pub reader_grant: Signal<Out, Bit>,
    // ---- what halts ----
    /// The fetched descriptor cannot be served (with the fetch's `done`).
    pub desc_bad: Signal<In, Bit>,
    /// The writer's buffer is too short for a probe record.
    pub writer_short: Signal<In, Bit>,
    /// A read of host memory failed (the memory port's response).
    pub read_error: Signal<In, Bit>,
    // ---- completions, towards the coalescer ----
    pub writer_completed: Signal<In, Bit>,
    pub writer_completed_irq: Signal<In, Bit>,
    pub reader_completed: Signal<In, Bit>,
    pub reader_completed_irq: Signal<In, Bit>,
    pub completed: Signal<Out, Bit>,
    pub completed_irq: Signal<Out, Bit>,
    // ---- the engine's state ----
    /// Halted, as the engines see it.
    pub halted: Signal<Out, Bit>,
    /// Registered for the core: halted; one-cycle pulses for a bad descriptor (or short
    /// buffer) and for a failed read.
    pub halted_out: Signal<Out, Bit>,
    pub fault: Signal<Out, Bit>,
    pub read_fault: Signal<Out, Bit>,

    halted_q: DFF<Bit>,
    writer_grant_q: DFF<Bit>,
    fetch_grant_q: DFF<Bit>,
    reader_grant_q: DFF<Bit>,
    o_halted: DFF<Bit>,
    o_fault: DFF<Bit>,
    o_read_fault: DFF<Bit>,
    /// No job is running or granted, and the engine is not halted.
    free: Signal<Local, Bit>,
}

impl Logic for DmaControl {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            halted_q,
            writer_grant_q,
            fetch_grant_q,
            reader_grant_q,
            o_halted,
            o_fault,
            o_read_fault
        );
        self.free.next = !self.halted_q.q.val()
            & !self.writer_busy.val()
            & !self.fetch_busy.val()
            & !self.reader_busy.val()
            & !self.writer_grant_q.q.val()
            & !self.fetch_grant_q.q.val()
            & !self.reader_grant_q.q.val()
            & !self.clear.val();
        self.writer_grant_q.d.next = self.free.val() & self.writer_want.val();
        self.fetch_grant_q.d.next = self.free.val() & !self.writer_want.val() & self.fetch_want.val();
        self.reader_grant_q.d.next =
            self.free.val() & !self.writer_want.val() & !self.fetch_want.val() & self.reader_want.val();
        self.writer_grant.next = self.writer_grant_q.q.val();
        self.fetch_grant.next = self.fetch_grant_q.q.val();
        self.reader_grant.next = self.reader_grant_q.q.val();
        self.completed.next = self.writer_completed.val() | self.reader_completed.val();
        self.completed_irq.next = self.writer_completed_irq.val() | self.reader_completed_irq.val();

        self.halted.next = self.halted_q.q.val();
        self.halted_out.next = self.o_halted.q.val();
        self.fault.next = self.o_fault.q.val();
        self.read_fault.next = self.o_read_fault.q.val();
        self.o_halted.d.next = self.halted_q.q.val();
        self.o_fault.d.next = self.desc_bad.val() | self.writer_short.val();
        self.o_read_fault.d.next = self.read_error.val();
        if self.desc_bad.val() | self.writer_short.val() | self.read_error.val() {
            self.halted_q.d.next = true;
        }
        if (self.restart.val() & self.halted_q.q.val()) | self.clear.val() {
            self.halted_q.d.next = false;
        }
    }
}
