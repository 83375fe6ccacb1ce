//! `ClockCrossing`: the core on a clock of its own, behind a host bridge on another (the
//! PCIe block's 62.5 MHz user clock), with nothing lost and nothing reordered.
//!
//! Everything between the TLP adapter and the core crosses in three asynchronous FIFOs
//! (rust-hdl's `AsynchronousFIFO`: each side's pointer handed to the other through a
//! handshaking synchroniser, so any two clocks work, related or not):
//!
//! - **host → core, bus**: the adapter's register writes and reads, in order, one entry a
//!   bus cycle.
//! - **host → core, memory responses**: DMA read data from host memory.
//! - **core → host, one ordered stream**: the DMA engine's memory requests, the answers to
//!   register reads, and the interrupt line's changes. One FIFO for the three keeps the
//!   order the core made them in: an interrupt never overtakes the spike writes before it
//!   (the MSI sender then waits for them to leave), and a register read's answer (a ring's
//!   write pointer) never overtakes the DMA writes it counts.
//!
//! The core side accepts every bus access and memory response the moment it arrives (as
//! the core does when wired to the adapter directly). The adapter has no way to hold a bus
//! access back, so the host side holds the link instead: `rx_room` is low while either
//! host-to-core FIFO is within a few entries of full, and the PCIe top stalls the receive
//! stream with it (a packet gives at most two bus writes or one memory response a beat).
//! On the core side a memory request waits while the core-to-host FIFO is nearly full; a
//! register read's answer and an interrupt change always have room (one read is
//! outstanding at a time; the interrupt is a level, sent when it changes).

use rust_hdl::prelude::*;

/// host → core bus entries: address (25 bits), write data (32), write, read.
type BusFifo = AsynchronousFIFO<Bits<59>, 4, 5, 1>;
/// host → core memory responses: data (64 bits), error.
type RspFifo = AsynchronousFIFO<Bits<65>, 5, 6, 1>;
/// core → host entries: kind (2 bits: 0 memory request, 1 register-read answer, 2
/// interrupt level), write flag / interrupt level, address (64), data (64).
type UpFifo = AsynchronousFIFO<Bits<131>, 4, 5, 1>;

#[derive(LogicBlock, Default)]
pub struct ClockCrossing {
    // ---- host side, on the host bridge's clock ----
    pub host_clock: Signal<In, Clock>,
    pub host_bus_addr: Signal<In, Bits<25>>,
    pub host_bus_wdata: Signal<In, Bits<32>>,
    pub host_bus_we: Signal<In, Bit>,
    pub host_bus_re: Signal<In, Bit>,
    pub host_bus_rdata: Signal<Out, Bits<32>>,
    pub host_bus_rvalid: Signal<Out, Bit>,
    pub host_mem_req_valid: Signal<Out, Bit>,
    pub host_mem_req_ready: Signal<In, Bit>,
    pub host_mem_req_write: Signal<Out, Bit>,
    pub host_mem_req_addr: Signal<Out, Bits<64>>,
    pub host_mem_req_wdata: Signal<Out, Bits<64>>,
    pub host_mem_rsp_valid: Signal<In, Bit>,
    pub host_mem_rsp_data: Signal<In, Bits<64>>,
    pub host_mem_rsp_error: Signal<In, Bit>,
    /// The core's interrupt line, as the ordered stream last reported it.
    pub host_irq: Signal<Out, Bit>,
    /// Both host-to-core FIFOs can take another packet's entries.
    pub rx_room: Signal<Out, Bit>,
    // ---- core side, on the core's clock ----
    pub core_clock: Signal<In, Clock>,
    pub core_bus_addr: Signal<Out, Bits<25>>,
    pub core_bus_wdata: Signal<Out, Bits<32>>,
    pub core_bus_we: Signal<Out, Bit>,
    pub core_bus_re: Signal<Out, Bit>,
    pub core_bus_rdata: Signal<In, Bits<32>>,
    pub core_bus_rvalid: Signal<In, Bit>,
    pub core_mem_req_valid: Signal<In, Bit>,
    pub core_mem_req_ready: Signal<Out, Bit>,
    pub core_mem_req_write: Signal<In, Bit>,
    pub core_mem_req_addr: Signal<In, Bits<64>>,
    pub core_mem_req_wdata: Signal<In, Bits<64>>,
    pub core_mem_rsp_valid: Signal<Out, Bit>,
    pub core_mem_rsp_data: Signal<Out, Bits<64>>,
    pub core_mem_rsp_error: Signal<Out, Bit>,
    pub core_irq: Signal<In, Bit>,

    bus: BusFifo,
    rsp: RspFifo,
    up: UpFifo,
    /// Core side: the interrupt level last put into the stream.
    irq_sent: DFF<Bit>,
    /// Core side: the interrupt changed and goes into the stream this cycle.
    irq_push: Signal<Local, Bit>,
    /// Core side: the stream has room for a memory request (two entries kept free).
    up_room: Signal<Local, Bit>,
    /// Host side: the interrupt level.
    irq_host: DFF<Bit>,
    up_kind: Signal<Local, Bits<2>>,
    /// Host side: a bus access's address and write data, placed in a bus entry.
    bus_entry: Signal<Local, Bits<59>>,
    /// Core side: a memory request's address and data, placed in a stream entry.
    up_req: Signal<Local, Bits<131>>,
}

impl Logic for ClockCrossing {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, core_clock, irq_sent);
        dff_setup!(self, host_clock, irq_host);
        self.bus.write_clock.next = self.host_clock.val();
        self.bus.read_clock.next = self.core_clock.val();
        self.rsp.write_clock.next = self.host_clock.val();
        self.rsp.read_clock.next = self.core_clock.val();
        self.up.write_clock.next = self.core_clock.val();
        self.up.read_clock.next = self.host_clock.val();

        // ================= host side =================
        self.bus.write.next = self.host_bus_we.val() | self.host_bus_re.val();
        // The entry carries the write data on a read too, as the adapter's wires to the
        // core do; the core reads it only with a write.
        self.bus_entry.next =
            bit_cast::<59, 25>(self.host_bus_addr.val()) | (bit_cast::<59, 32>(self.host_bus_wdata.val()) << 25);
        self.bus.data_in.next = self.bus_entry.val();
        if self.host_bus_we.val() {
            self.bus.data_in.next = self.bus_entry.val() | (bits::<59>(1) << 57);
        }
        if self.host_bus_re.val() {
            self.bus.data_in.next = self.bus_entry.val() | (bits::<59>(1) << 58);
        }
        self.rsp.write.next = self.host_mem_rsp_valid.val();
        self.rsp.data_in.next = bit_cast::<65, 64>(self.host_mem_rsp_data.val());
        if self.host_mem_rsp_error.val() {
            self.rsp.data_in.next = bit_cast::<65, 64>(self.host_mem_rsp_data.val()) | (bits::<65>(1) << 64);
        }
        // Room while 4 entries stay free of the bus FIFO's 16 and the response FIFO's 32: a
        // beat accepted as the room closes gives at most two. (The fill levels are seen
        // through the synchronisers, never below the truth, so the margin holds.)
        self.rx_room.next = (self.bus.write_fill.val() < 12) & (self.rsp.write_fill.val() < 28);

        // The stream's head: a memory request waits for the adapter; the rest are taken at once.
        self.up_kind.next = self.up.data_out.val().get_bits::<2>(0);
        self.host_mem_req_valid.next = !self.up.empty.val() & (self.up_kind.val() == 0);
        self.host_mem_req_write.next = self.up.data_out.val().get_bit(2);
        self.host_mem_req_addr.next = self.up.data_out.val().get_bits::<64>(3);
        self.host_mem_req_wdata.next = self.up.data_out.val().get_bits::<64>(67);
        self.host_bus_rvalid.next = !self.up.empty.val() & (self.up_kind.val() == 1);
        self.host_bus_rdata.next = self.up.data_out.val().get_bits::<32>(67);
        if !self.up.empty.val() & (self.up_kind.val() == 2) {
            self.irq_host.d.next = self.up.data_out.val().get_bit(2);
        }
        self.up.read.next = !self.up.empty.val() & ((self.up_kind.val() != 0) | self.host_mem_req_ready.val());
        self.host_irq.next = self.irq_host.q.val();

        // ================= core side =================
        self.bus.read.next = !self.bus.empty.val();
        self.core_bus_addr.next = self.bus.data_out.val().get_bits::<25>(0);
        self.core_bus_wdata.next = self.bus.data_out.val().get_bits::<32>(25);
        self.core_bus_we.next = !self.bus.empty.val() & self.bus.data_out.val().get_bit(57);
        self.core_bus_re.next = !self.bus.empty.val() & self.bus.data_out.val().get_bit(58);
        self.rsp.read.next = !self.rsp.empty.val();
        self.core_mem_rsp_valid.next = !self.rsp.empty.val();
        self.core_mem_rsp_data.next = self.rsp.data_out.val().get_bits::<64>(0);
        self.core_mem_rsp_error.next = !self.rsp.empty.val() & self.rsp.data_out.val().get_bit(64);

        // One entry a core cycle: a read's answer first (it cannot wait), then an interrupt
        // change, then a memory request. Two of the stream's 16 entries stay free for a
        // read's answer and an interrupt change.
        self.up_room.next = self.up.write_fill.val() < 14;
        self.irq_push.next = (self.core_irq.val() != self.irq_sent.q.val()) & !self.core_bus_rvalid.val();
        self.core_mem_req_ready.next = self.up_room.val() & !self.core_bus_rvalid.val() & !self.irq_push.val();
        self.up.write.next = false;
        self.up_req.next = (bit_cast::<131, 64>(self.core_mem_req_addr.val()) << 3)
            | (bit_cast::<131, 64>(self.core_mem_req_wdata.val()) << 67);
        self.up.data_in.next = self.up_req.val();
        if self.core_mem_req_write.val() {
            self.up.data_in.next = self.up_req.val() | bits::<131>(4);
        }
        if self.core_mem_req_valid.val() & self.core_mem_req_ready.val() {
            self.up.write.next = true;
        }
        if self.irq_push.val() {
            self.up.write.next = true;
            self.up.data_in.next = bits::<131>(2);
            if self.core_irq.val() {
                self.up.data_in.next = bits::<131>(6);
            }
            self.irq_sent.d.next = self.core_irq.val();
        }
        if self.core_bus_rvalid.val() {
            self.up.write.next = true;
            self.up.data_in.next = bits::<131>(1) | (bit_cast::<131, 32>(self.core_bus_rdata.val()) << 67);
        }
    }
}
