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
//! halts the engine with `read_fault`. Interrupts are coalesced (`Coalescer`): `irq_pulse`
//! after `IRQ_COALESCE_COUNT` completions, `IRQ_COALESCE_CYCLES` after the first unannounced
//! one, or at a `DESC_IRQ` descriptor.
//!
//! This module only wires its blocks; each wire is named after the block that drives it:
//!
//! | block | file | job |
//! |---|---|---|
//! | `DmaRegs` | `regs.rs` | the DMA registers of `memfire_spec::regs` |
//! | `DmaControl` | `control.rs` | grants the port to one engine at a time; halts on faults |
//! | `MemPort` | `mem_port.rs` | the shared memory-request port, its inputs registered |
//! | `DescFetch` | `desc_fetch.rs` | reads and checks a ring's next descriptor |
//! | `C2hWriter` | `c2h_writer.rs` | spikes and probe records into lent buffers; hand-over |
//! | `H2cReader` | `h2c_reader.rs` | input events and configuration words, in ring order |
//! | `RingHead` | `ring_head.rs` | a ring's head, its descriptor's address (each engine has one) |
//! | `Coalescer` | `coalescer.rs` | interrupts from completions |

use rust_hdl::prelude::*;

mod c2h_writer;
mod coalescer;
mod control;
mod desc_fetch;
mod h2c_reader;
mod mem_port;
mod regs;
mod ring_head;
pub use c2h_writer::C2hWriter;
pub use coalescer::Coalescer;
pub use control::DmaControl;
pub use desc_fetch::DescFetch;
pub use h2c_reader::H2cReader;
pub use mem_port::MemPort;
pub use regs::DmaRegs;

/// A 16-bit constant (descriptor kinds and flags).
fn half(x: u16) -> Constant<Bits<16>> {
    Constant::new(u64::from(x).into())
}

#[derive(LogicBlock, Default)]
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

    /// Which engine runs next; halted or not.
    control: DmaControl,
    /// The memory-request port the engines share.
    port: MemPort,
    /// Reads a ring's next descriptor for the writer or the reader.
    fetch: DescFetch,
    /// Card→host: spikes and probe records into lent buffers.
    writer: C2hWriter,
    /// Host→card: input events and configuration words.
    reader: H2cReader,
    coalescer: Coalescer,
    regs: DmaRegs,
}

impl Logic for DmaEngine {
    #[hdl_gen]
    fn update(&mut self) {
        clock!(self, clock, control, port, fetch, writer, reader, coalescer, regs);

        // ---- registers ----
        self.regs.index.next = self.reg_index.val();
        self.regs.wdata.next = self.reg_wdata.val();
        self.regs.we.next = self.reg_we.val();
        self.regs.clear.next = self.clear.val();
        self.regs.c2h_head.next = self.writer.head.val();
        self.regs.h2c_head.next = self.reader.head.val();
        self.reg_value.next = self.regs.reg_value.val();

        // ---- control ----
        self.control.clear.next = self.clear.val();
        self.control.restart.next = self.regs.ctrl_we.val();
        self.control.writer_want.next = self.writer.want.val();
        self.control.writer_busy.next = self.writer.busy.val();
        self.control.fetch_want.next = self.fetch.want.val();
        self.control.fetch_busy.next = self.fetch.busy.val();
        self.control.reader_want.next = self.reader.want.val();
        self.control.reader_busy.next = self.reader.busy.val();
        self.control.desc_bad.next = self.fetch.bad.val();
        self.control.writer_short.next = self.writer.short.val();
        self.control.read_error.next = self.port.rsp_valid.val() & self.port.rsp_error.val();
        self.control.writer_completed.next = self.writer.completed.val();
        self.control.writer_completed_irq.next = self.writer.completed_irq.val();
        self.control.reader_completed.next = self.reader.completed.val();
        self.control.reader_completed_irq.next = self.reader.completed_irq.val();
        self.halted.next = self.control.halted_out.val();
        self.fault.next = self.control.fault.val();
        self.read_fault.next = self.control.read_fault.val();

        // ---- descriptor fetch ----
        self.fetch.clear.next = self.clear.val();
        self.fetch.grant.next = self.control.fetch_grant.val();
        self.fetch.c2h_need.next = self.writer.need_desc.val();
        self.fetch.c2h_slot.next = self.writer.slot.val();
        self.fetch.h2c_need.next = self.reader.need_desc.val();
        self.fetch.h2c_slot.next = self.reader.slot.val();
        self.fetch.took.next = self.port.took.val();
        self.fetch.rsp_valid.next = self.port.rsp_valid.val();
        self.fetch.rsp_data.next = self.port.rsp_data.val();
        self.fetch.rsp_error.next = self.port.rsp_error.val();

        // ---- card → host ----
        self.writer.clear.next = self.clear.val();
        self.writer.grant.next = self.control.writer_grant.val();
        self.writer.on.next = self.regs.c2h_on.val();
        self.writer.halted.next = self.control.halted.val();
        self.writer.base.next = self.regs.c2h_base.val();
        self.writer.mask.next = self.regs.c2h_mask.val();
        self.writer.tail.next = self.regs.c2h_tail.val();
        self.writer.flush_cycles.next = self.regs.flush_cycles.val();
        self.writer.core_idle.next = self.core_idle.val();
        self.writer.out_avail.next = self.out_avail.val();
        self.writer.out_data.next = self.out_data.val();
        self.writer.prb_valid.next = self.prb_valid.val();
        self.writer.prb_w0.next = self.prb_w0.val();
        self.writer.prb_w1.next = self.prb_w1.val();
        self.writer.prb_w2.next = self.prb_w2.val();
        self.writer.prb_w3.next = self.prb_w3.val();
        self.writer.desc_done.next = self.fetch.done.val();
        self.writer.desc_bad.next = self.fetch.bad.val();
        self.writer.desc_for_h2c.next = self.fetch.for_h2c.val();
        self.writer.desc_addr.next = self.fetch.buf_addr.val();
        self.writer.desc_len.next = self.fetch.len.val();
        self.writer.desc_flags.next = self.fetch.flags.val();
        self.writer.took.next = self.port.took.val();
        self.out_pop.next = self.writer.out_pop.val();
        self.c2h_on.next = self.writer.ring_on.val();
        self.prb_ack.next = self.writer.prb_ack.val();

        // ---- host → card ----
        self.reader.clear.next = self.clear.val();
        self.reader.grant.next = self.control.reader_grant.val();
        self.reader.on.next = self.regs.h2c_on.val();
        self.reader.input_gate.next = self.regs.input_gate.val();
        self.reader.halted.next = self.control.halted.val();
        self.reader.base.next = self.regs.h2c_base.val();
        self.reader.mask.next = self.regs.h2c_mask.val();
        self.reader.tail.next = self.regs.h2c_tail.val();
        self.reader.horizon.next = self.regs.horizon.val();
        self.reader.step_lo.next = self.step_lo.val();
        self.reader.in_check.next = self.in_check.val();
        self.reader.cfg_take.next = self.cfg_take.val();
        self.reader.desc_done.next = self.fetch.done.val();
        self.reader.desc_bad.next = self.fetch.bad.val();
        self.reader.desc_for_h2c.next = self.fetch.for_h2c.val();
        self.reader.desc_addr.next = self.fetch.buf_addr.val();
        self.reader.desc_len.next = self.fetch.len.val();
        self.reader.desc_kind.next = self.fetch.kind.val();
        self.reader.desc_flags.next = self.fetch.flags.val();
        self.reader.took.next = self.port.took.val();
        self.reader.rsp_valid.next = self.port.rsp_valid.val();
        self.reader.rsp_data.next = self.port.rsp_data.val();
        self.reader.rsp_error.next = self.port.rsp_error.val();
        self.hold.next = self.reader.hold.val();
        self.ext_we.next = self.reader.ext_we.val();
        self.ext_neuron.next = self.reader.ext_neuron.val();
        self.ext_volts.next = self.reader.ext_volts.val();
        self.cfg_valid.next = self.reader.cfg_valid.val();
        self.cfg_addr.next = self.reader.cfg_addr.val();
        self.cfg_data.next = self.reader.cfg_data.val();

        // ---- the memory port ----
        self.port.fetch_valid.next = self.fetch.req_valid.val();
        self.port.fetch_addr.next = self.fetch.req_addr.val();
        self.port.c2h_valid.next = self.writer.req_valid.val();
        self.port.c2h_addr.next = self.writer.req_addr.val();
        self.port.c2h_wdata.next = self.writer.req_wdata.val();
        self.port.h2c_valid.next = self.reader.req_valid.val();
        self.port.h2c_write.next = self.reader.req_write.val();
        self.port.h2c_addr.next = self.reader.req_addr.val();
        self.port.h2c_wdata.next = self.reader.req_wdata.val();
        self.port.mem_req_ready.next = self.mem_req_ready.val();
        self.port.mem_rsp_valid.next = self.mem_rsp_valid.val();
        self.port.mem_rsp_data.next = self.mem_rsp_data.val();
        self.port.mem_rsp_error.next = self.mem_rsp_error.val();
        self.mem_req_valid.next = self.port.mem_req_valid.val();
        self.mem_req_write.next = self.port.mem_req_write.val();
        self.mem_req_addr.next = self.port.mem_req_addr.val();
        self.mem_req_wdata.next = self.port.mem_req_wdata.val();

        // ---- interrupts ----
        self.coalescer.completed.next = self.control.completed.val();
        self.coalescer.completed_irq.next = self.control.completed_irq.val();
        self.coalescer.count.next = self.regs.coal_count.val();
        self.coalescer.cycles.next = self.regs.coal_cycles.val();
        self.coalescer.clear.next = self.clear.val();
        self.irq_pulse.next = self.coalescer.irq.val();
    }
}
