//! `MsiSender`: the core's level interrupt as PCIe MSIs through the 7-series block's
//! `cfg_interrupt` handshake. A rising interrupt line sends one MSI, once every earlier
//! write has left for the link (`link_quiet`), so the host sees the data before the
//! interrupt. A host write to `IRQ_STATUS` that leaves the line high (a new event came as
//! the host cleared the old one) sends another a few cycles later, so no event waits for a
//! timeout. With the core on another clock (the clock crossing) the line may not show the
//! write's effect yet after those cycles; that MSI then finds nothing new: a spare
//! wake-up, never a lost event.

use rust_hdl::prelude::*;

/// Cycles from a host write to `IRQ_STATUS` leaving the adapter to the core's interrupt
/// line showing its effect when both run on one clock (the core's bus registers and its
/// status register).
const REARM_CYCLES: u64 = 7;

#[derive(LogicBlock)]
pub struct MsiSender {
    pub clock: Signal<In, Clock>,
    /// The core's level interrupt.
    pub irq: Signal<In, Bit>,
    /// The host writes `IRQ_STATUS` this cycle.
    pub status_write: Signal<In, Bit>,
    /// No write to host memory is pending or leaving.
    pub link_quiet: Signal<In, Bit>,
    /// MSI enabled in the function's configuration space.
    pub msi_enable: Signal<In, Bit>,
    /// The block's handshake: request an interrupt; it was sent.
    pub cfg_interrupt: Signal<Out, Bit>,
    pub cfg_interrupt_rdy: Signal<In, Bit>,

    irq_q: DFF<Bit>,
    /// The line may send an MSI (it was low since the last, or the host cleared status).
    armed: DFF<Bit>,
    req: DFF<Bit>,
    rearm_wait: DFF<Bits<3>>,
    rearm_cycles: Constant<Bits<3>>,
}

impl Default for MsiSender {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            irq: Default::default(),
            status_write: Default::default(),
            link_quiet: Default::default(),
            msi_enable: Default::default(),
            cfg_interrupt: Default::default(),
            cfg_interrupt_rdy: Default::default(),
            irq_q: Default::default(),
            armed: Default::default(),
            req: Default::default(),
            rearm_wait: Default::default(),
            rearm_cycles: Constant::new(REARM_CYCLES.into()),
        }
    }
}

impl Logic for MsiSender {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, irq_q, armed, req, rearm_wait);
        self.cfg_interrupt.next = self.req.q.val();
        self.irq_q.d.next = self.irq.val();
        if !self.irq_q.q.val() {
            self.armed.d.next = true;
        }
        if self.status_write.val() {
            self.rearm_wait.d.next = self.rearm_cycles.val();
        }
        if self.rearm_wait.q.val() != 0 {
            self.rearm_wait.d.next = self.rearm_wait.q.val() - 1;
            if self.rearm_wait.q.val() == 1 {
                self.armed.d.next = true;
            }
        }
        if self.req.q.val() {
            if self.cfg_interrupt_rdy.val() {
                self.req.d.next = false;
            }
        } else if self.irq_q.q.val() & self.armed.q.val() & self.msi_enable.val() & self.link_quiet.val() {
            self.req.d.next = true;
            self.armed.d.next = false;
        }
    }
}
