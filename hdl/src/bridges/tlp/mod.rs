//! `TlpAdapter`: the core's bus and its DMA engine's memory-request port on the Xilinx
//! 7-series PCI Express integrated block (PG054), through its 64-bit AXI-Stream TLP
//! interface. Packet layouts are `memfire_spec::tlp`'s.
//!
//! - **BAR0 → bus**: memory reads of one DW and memory writes of one or two DWs that hit
//!   BAR0 become bus accesses at word address `BAR offset / 4` (the 128 MiB BAR covers the
//!   core's 25-bit word space); a read is answered with a completion carrying the word.
//! - **memory-request port → host memory**: engine writes become posted memory writes,
//!   engine reads become reads of up to 128 bytes kept in a 16-word line that answers the
//!   engine's next reads (`TlpRequester` says when the line is used and dropped).
//! - **interrupt → MSI** (`MsiSender`): a rising interrupt line sends one MSI once every
//!   earlier write has left for the link, so the host sees the data before the interrupt.
//! - Nothing goes out towards host memory while the host has not enabled bus mastering.
//!
//! This module only wires its blocks; each wire is named after the block that drives it:
//!
//! | block | file | job |
//! |---|---|---|
//! | `TlpReceiver` | `receiver.rs` | BAR0 requests → bus accesses; completions → the read line |
//! | `TlpRequester` | `requester.rs` | serves the DMA engine's port: writes, reads, the read line |
//! | `TlpTransmitter` | `transmitter.rs` | completions, memory writes and read requests to the link |
//! | `MsiSender` | `msi.rs` | the interrupt line as MSIs |
//! | `DwSwap` | `dw_swap.rs` | payload byte order between the link and memory |
//!
//! Each pair of blocks that talks both ways has one direction from registers, so Verilator
//! (which evaluates each block's logic as one) sees no loop.

use rust_hdl::prelude::*;

pub mod dw_swap;
pub mod msi;
pub mod receiver;
pub mod requester;
pub mod transmitter;

use msi::MsiSender;
use receiver::TlpReceiver;
use requester::TlpRequester;
pub use requester::COMPLETION_TIMEOUT;
use transmitter::TlpTransmitter;

/// An 8-bit constant (a packet's Fmt/Type).
fn byte(x: u8) -> Constant<Bits<8>> {
    Constant::new(u64::from(x).into())
}

#[derive(LogicBlock, Default)]
pub struct TlpAdapter {
    pub clock: Signal<In, Clock>,
    // ---- completer and requester packets from the link (m_axis_rx_*) ----
    pub rx_tdata: Signal<In, Bits<64>>,
    pub rx_tkeep: Signal<In, Bits<8>>,
    pub rx_tlast: Signal<In, Bit>,
    pub rx_tvalid: Signal<In, Bit>,
    pub rx_tready: Signal<Out, Bit>,
    /// `m_axis_rx_tuser[2]`: the request hit BAR0.
    pub rx_bar0: Signal<In, Bit>,
    // ---- packets to the link (s_axis_tx_*) ----
    pub tx_tdata: Signal<Out, Bits<64>>,
    pub tx_tkeep: Signal<Out, Bits<8>>,
    pub tx_tlast: Signal<Out, Bit>,
    pub tx_tvalid: Signal<Out, Bit>,
    pub tx_tready: Signal<In, Bit>,
    // ---- configuration space ----
    /// Our requester/completer ID: {cfg_bus_number, cfg_device_number, cfg_function_number}.
    pub cfg_id: Signal<In, Bits<16>>,
    /// `cfg_command[2]`: the host allows us to master the bus.
    pub cfg_bus_master: Signal<In, Bit>,
    pub cfg_msi_enable: Signal<In, Bit>,
    pub cfg_interrupt: Signal<Out, Bit>,
    pub cfg_interrupt_rdy: Signal<In, Bit>,
    // ---- the core's bus (we are its master) ----
    pub bus_addr: Signal<Out, Bits<25>>,
    pub bus_wdata: Signal<Out, Bits<32>>,
    pub bus_we: Signal<Out, Bit>,
    pub bus_re: Signal<Out, Bit>,
    pub bus_rdata: Signal<In, Bits<32>>,
    pub bus_rvalid: Signal<In, Bit>,
    pub irq: Signal<In, Bit>,
    // ---- the DMA engine's memory-request port (we serve it) ----
    pub mem_req_valid: Signal<In, Bit>,
    pub mem_req_ready: Signal<Out, Bit>,
    pub mem_req_write: Signal<In, Bit>,
    pub mem_req_addr: Signal<In, Bits<64>>,
    pub mem_req_wdata: Signal<In, Bits<64>>,
    pub mem_rsp_valid: Signal<Out, Bit>,
    pub mem_rsp_data: Signal<Out, Bits<64>>,
    pub mem_rsp_error: Signal<Out, Bit>,

    receiver: TlpReceiver,
    requester: TlpRequester,
    transmitter: TlpTransmitter,
    msi: MsiSender,
}

impl Logic for TlpAdapter {
    #[hdl_gen]
    fn update(&mut self) {
        clock!(self, clock, receiver, requester, transmitter, msi);

        // ---- receive ----
        self.receiver.rx_tdata.next = self.rx_tdata.val();
        self.receiver.rx_tlast.next = self.rx_tlast.val();
        self.receiver.rx_tvalid.next = self.rx_tvalid.val();
        self.receiver.rx_bar0.next = self.rx_bar0.val();
        self.receiver.cfg_id.next = self.cfg_id.val();
        self.receiver.bus_rdata.next = self.bus_rdata.val();
        self.receiver.bus_rvalid.next = self.bus_rvalid.val();
        self.receiver.cpl_sent.next = self.transmitter.cpl_sent.val();
        self.receiver.fetching.next = self.requester.fetching.val();
        self.receiver.fetch_tag.next = self.requester.read_tag.val();
        self.rx_tready.next = self.receiver.rx_tready.val();
        self.bus_addr.next = self.receiver.bus_addr.val();
        self.bus_wdata.next = self.receiver.bus_wdata.val();
        self.bus_we.next = self.receiver.bus_we.val();
        self.bus_re.next = self.receiver.bus_re.val();

        // ---- the DMA engine's requests ----
        self.requester.cfg_bus_master.next = self.cfg_bus_master.val();
        self.requester.mem_req_valid.next = self.mem_req_valid.val();
        self.requester.mem_req_write.next = self.mem_req_write.val();
        self.requester.mem_req_addr.next = self.mem_req_addr.val();
        self.requester.mem_req_wdata.next = self.mem_req_wdata.val();
        self.requester.write_sent.next = self.transmitter.write_sent.val();
        self.requester.read_sent.next = self.transmitter.read_sent.val();
        self.requester.line_we.next = self.receiver.line_we.val();
        self.requester.line_waddr.next = self.receiver.line_waddr.val();
        self.requester.line_wdata.next = self.receiver.line_wdata.val();
        self.requester.cpl_done.next = self.receiver.cpl_done.val();
        self.requester.cpl_error.next = self.receiver.cpl_error.val();
        self.requester.bus_write.next = self.receiver.bus_write.val();
        self.mem_req_ready.next = self.requester.mem_req_ready.val();
        self.mem_rsp_valid.next = self.requester.mem_rsp_valid.val();
        self.mem_rsp_data.next = self.requester.mem_rsp_data.val();
        self.mem_rsp_error.next = self.requester.mem_rsp_error.val();

        // ---- transmit ----
        self.transmitter.tx_tready.next = self.tx_tready.val();
        self.transmitter.cfg_id.next = self.cfg_id.val();
        self.transmitter.cpl_pending.next = self.receiver.cpl_pending.val();
        self.transmitter.req_tc.next = self.receiver.req_tc.val();
        self.transmitter.req_attr.next = self.receiver.req_attr.val();
        self.transmitter.req_rid.next = self.receiver.req_rid.val();
        self.transmitter.req_tag.next = self.receiver.req_tag.val();
        self.transmitter.req_fbe.next = self.receiver.req_fbe.val();
        self.transmitter.req_addr.next = self.receiver.req_addr.val();
        self.transmitter.req_ur.next = self.receiver.req_ur.val();
        self.transmitter.read_value.next = self.receiver.read_value.val();
        self.transmitter.write_pending.next = self.requester.write_pending.val();
        self.transmitter.write_addr.next = self.requester.write_addr.val();
        self.transmitter.write_data.next = self.requester.write_data.val();
        self.transmitter.read_pending.next = self.requester.read_pending.val();
        self.transmitter.read_addr.next = self.requester.read_addr.val();
        self.transmitter.read_len_dw.next = self.requester.read_len_dw.val();
        self.transmitter.read_tag.next = self.requester.read_tag.val();
        self.tx_tdata.next = self.transmitter.tx_tdata.val();
        self.tx_tkeep.next = self.transmitter.tx_tkeep.val();
        self.tx_tlast.next = self.transmitter.tx_tlast.val();
        self.tx_tvalid.next = self.transmitter.tx_tvalid.val();

        // ---- MSI ----
        self.msi.irq.next = self.irq.val();
        self.msi.status_write.next = self.receiver.irq_status_write.val();
        self.msi.link_quiet.next = self.transmitter.link_quiet.val();
        self.msi.msi_enable.next = self.cfg_msi_enable.val();
        self.msi.cfg_interrupt_rdy.next = self.cfg_interrupt_rdy.val();
        self.cfg_interrupt.next = self.msi.cfg_interrupt.val();
    }
}
