//! `UartCore`: a `NeuronCore` behind a `UartBridge` — everything a board without PCIe needs
//! between its serial pins and the neurons. Status on three LED bits.

use rust_hdl::prelude::*;

use crate::bridges::uart_bridge::UartBridge;
use crate::core::NeuronCore;

#[derive(LogicBlock)]
pub struct UartCore<
    const CPB: u64,
    const LB: usize,
    const P: usize,
    const NB: usize,
    const SB: usize,
    const HB: usize,
    const OB: usize,
    const WB: usize,
> {
    pub clock: Signal<In, Clock>,
    pub rx: Signal<In, Bit>,
    pub tx: Signal<Out, Bit>,
    /// bit 0: interrupt pending, 1: receiving, 2: sending.
    pub status: Signal<Out, Bits<3>>,
    bridge: UartBridge<CPB>,
    core: NeuronCore<LB, P, NB, SB, HB, OB, WB>,
}

impl<
        const CPB: u64,
        const LB: usize,
        const P: usize,
        const NB: usize,
        const SB: usize,
        const HB: usize,
        const OB: usize,
        const WB: usize,
    > Default for UartCore<CPB, LB, P, NB, SB, HB, OB, WB>
{
    fn default() -> Self {
        Self {
            clock: Default::default(),
            rx: Default::default(),
            tx: Default::default(),
            status: Default::default(),
            bridge: Default::default(),
            core: NeuronCore::default().without_dma_port(),
        }
    }
}

impl<
        const CPB: u64,
        const LB: usize,
        const P: usize,
        const NB: usize,
        const SB: usize,
        const HB: usize,
        const OB: usize,
        const WB: usize,
    > UartCore<CPB, LB, P, NB, SB, HB, OB, WB>
{
    /// The core sized as `config` says (see `NeuronCore::sized`).
    pub fn sized(mut self, config: &crate::tops::CoreConfig) -> Self {
        self.core = self.core.sized(config);
        self
    }
}

impl<
        const CPB: u64,
        const LB: usize,
        const P: usize,
        const NB: usize,
        const SB: usize,
        const HB: usize,
        const OB: usize,
        const WB: usize,
    > Logic for UartCore<CPB, LB, P, NB, SB, HB, OB, WB>
{
    #[hdl_gen]
    fn update(&mut self) {
        clock!(self, clock, bridge, core);
        self.bridge.rx.next = self.rx.val();
        self.tx.next = self.bridge.tx.val();
        self.core.bus_addr.next = self.bridge.bus_addr.val();
        self.core.bus_wdata.next = self.bridge.bus_wdata.val();
        self.core.bus_we.next = self.bridge.bus_we.val();
        self.core.bus_re.next = self.bridge.bus_re.val();
        self.bridge.bus_rdata.next = self.core.bus_rdata.val();
        self.bridge.bus_rvalid.next = self.core.bus_rvalid.val();
        self.bridge.irq.next = self.core.irq.val();
        // No DMA over the serial line: the port is tied off (FEATURES says so).
        self.core.mem_req_ready.next = false;
        self.core.mem_rsp_valid.next = false;
        self.core.mem_rsp_data.next = bits::<64>(0);
        self.core.mem_rsp_error.next = false;
        self.status.next = bits::<3>(0);
        if self.core.irq.val() {
            self.status.next = bits::<3>(1);
        }
        if !self.rx.val() {
            self.status.next = bits::<3>(2);
        }
        if !self.bridge.tx.val() {
            self.status.next = bits::<3>(4);
        }
    }
}
