//! `PcieCore`: a `NeuronCore` behind a `TlpAdapter` — everything between the 7-series PCI
//! Express integrated block's AXI-Stream and configuration ports and the neurons. A board
//! top (`memfire-firmware`) instantiates the integrated block and wires it to these ports;
//! the simulation verilates this block alone and plays the root complex against it.
//!
//! The adapter runs on the integrated block's user clock; the core on a clock of its own
//! (`core_clock`: on the LiteFury an MMCM's, faster than the link's 62.5 MHz). A
//! `ClockCrossing` joins them, so the two clocks may be any two, related or not.

use rust_hdl::prelude::*;

use crate::bridges::clock_crossing::ClockCrossing;
use crate::bridges::tlp::TlpAdapter;
use crate::core::NeuronCore;

#[derive(LogicBlock, Default)]
pub struct PcieCore<
    const LB: usize,
    const P: usize,
    const NB: usize,
    const SB: usize,
    const HB: usize,
    const OB: usize,
    const WB: usize,
> {
    /// The integrated block's `user_clk_out`: the adapter's clock.
    pub clock: Signal<In, Clock>,
    /// The core's clock.
    pub core_clock: Signal<In, Clock>,
    pub rx_tdata: Signal<In, Bits<64>>,
    pub rx_tkeep: Signal<In, Bits<8>>,
    pub rx_tlast: Signal<In, Bit>,
    pub rx_tvalid: Signal<In, Bit>,
    pub rx_tready: Signal<Out, Bit>,
    pub rx_bar0: Signal<In, Bit>,
    pub tx_tdata: Signal<Out, Bits<64>>,
    pub tx_tkeep: Signal<Out, Bits<8>>,
    pub tx_tlast: Signal<Out, Bit>,
    pub tx_tvalid: Signal<Out, Bit>,
    pub tx_tready: Signal<In, Bit>,
    pub cfg_id: Signal<In, Bits<16>>,
    pub cfg_bus_master: Signal<In, Bit>,
    pub cfg_msi_enable: Signal<In, Bit>,
    pub cfg_interrupt: Signal<Out, Bit>,
    pub cfg_interrupt_rdy: Signal<In, Bit>,
    /// The core's interrupt line (for an LED).
    pub irq: Signal<Out, Bit>,
    adapter: TlpAdapter,
    crossing: ClockCrossing,
    core: NeuronCore<LB, P, NB, SB, HB, OB, WB>,
}

impl<
        const LB: usize,
        const P: usize,
        const NB: usize,
        const SB: usize,
        const HB: usize,
        const OB: usize,
        const WB: usize,
    > PcieCore<LB, P, NB, SB, HB, OB, WB>
{
    /// The core sized as `config` says (see `NeuronCore::sized`).
    pub fn sized(mut self, config: &crate::tops::CoreConfig) -> Self {
        self.core = self.core.sized(config);
        self
    }
}

impl<
        const LB: usize,
        const P: usize,
        const NB: usize,
        const SB: usize,
        const HB: usize,
        const OB: usize,
        const WB: usize,
    > Logic for PcieCore<LB, P, NB, SB, HB, OB, WB>
{
    #[hdl_gen]
    fn update(&mut self) {
        self.adapter.clock.next = self.clock.val();
        self.crossing.host_clock.next = self.clock.val();
        self.crossing.core_clock.next = self.core_clock.val();
        self.core.clock.next = self.core_clock.val();
        // The link, held while the crossing's host-to-core FIFOs are nearly full (a beat
        // moves when both sides see valid and ready, so both see the hold).
        self.adapter.rx_tdata.next = self.rx_tdata.val();
        self.adapter.rx_tkeep.next = self.rx_tkeep.val();
        self.adapter.rx_tlast.next = self.rx_tlast.val();
        self.adapter.rx_tvalid.next = self.rx_tvalid.val() & self.crossing.rx_room.val();
        self.rx_tready.next = self.adapter.rx_tready.val() & self.crossing.rx_room.val();
        self.adapter.rx_bar0.next = self.rx_bar0.val();
        self.tx_tdata.next = self.adapter.tx_tdata.val();
        self.tx_tkeep.next = self.adapter.tx_tkeep.val();
        self.tx_tlast.next = self.adapter.tx_tlast.val();
        self.tx_tvalid.next = self.adapter.tx_tvalid.val();
        self.adapter.tx_tready.next = self.tx_tready.val();
        self.adapter.cfg_id.next = self.cfg_id.val();
        self.adapter.cfg_bus_master.next = self.cfg_bus_master.val();
        self.adapter.cfg_msi_enable.next = self.cfg_msi_enable.val();
        self.cfg_interrupt.next = self.adapter.cfg_interrupt.val();
        self.adapter.cfg_interrupt_rdy.next = self.cfg_interrupt_rdy.val();
        // Bus: the adapter is the master, through the crossing.
        self.crossing.host_bus_addr.next = self.adapter.bus_addr.val();
        self.crossing.host_bus_wdata.next = self.adapter.bus_wdata.val();
        self.crossing.host_bus_we.next = self.adapter.bus_we.val();
        self.crossing.host_bus_re.next = self.adapter.bus_re.val();
        self.adapter.bus_rdata.next = self.crossing.host_bus_rdata.val();
        self.adapter.bus_rvalid.next = self.crossing.host_bus_rvalid.val();
        self.adapter.irq.next = self.crossing.host_irq.val();
        self.irq.next = self.crossing.host_irq.val();
        self.core.bus_addr.next = self.crossing.core_bus_addr.val();
        self.core.bus_wdata.next = self.crossing.core_bus_wdata.val();
        self.core.bus_we.next = self.crossing.core_bus_we.val();
        self.core.bus_re.next = self.crossing.core_bus_re.val();
        self.crossing.core_bus_rdata.next = self.core.bus_rdata.val();
        self.crossing.core_bus_rvalid.next = self.core.bus_rvalid.val();
        self.crossing.core_irq.next = self.core.irq.val();
        // Memory-request port: the adapter serves the DMA engine, through the crossing.
        self.crossing.core_mem_req_valid.next = self.core.mem_req_valid.val();
        self.core.mem_req_ready.next = self.crossing.core_mem_req_ready.val();
        self.crossing.core_mem_req_write.next = self.core.mem_req_write.val();
        self.crossing.core_mem_req_addr.next = self.core.mem_req_addr.val();
        self.crossing.core_mem_req_wdata.next = self.core.mem_req_wdata.val();
        self.core.mem_rsp_valid.next = self.crossing.core_mem_rsp_valid.val();
        self.core.mem_rsp_data.next = self.crossing.core_mem_rsp_data.val();
        self.core.mem_rsp_error.next = self.crossing.core_mem_rsp_error.val();
        self.adapter.mem_req_valid.next = self.crossing.host_mem_req_valid.val();
        self.crossing.host_mem_req_ready.next = self.adapter.mem_req_ready.val();
        self.adapter.mem_req_write.next = self.crossing.host_mem_req_write.val();
        self.adapter.mem_req_addr.next = self.crossing.host_mem_req_addr.val();
        self.adapter.mem_req_wdata.next = self.crossing.host_mem_req_wdata.val();
        self.crossing.host_mem_rsp_valid.next = self.adapter.mem_rsp_valid.val();
        self.crossing.host_mem_rsp_data.next = self.adapter.mem_rsp_data.val();
        self.crossing.host_mem_rsp_error.next = self.adapter.mem_rsp_error.val();
    }
}
