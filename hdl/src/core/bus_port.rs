//! `BusPort`: where the host's bus accesses and the DMA engine's configuration words enter
//! the core. Both are registered before any logic sees them (for timing, and so Verilator
//! evaluates the core once per cycle rather than on every input change), then decoded into
//! the region and index of `memfire_spec::memmap` and the write strobes the other blocks use.

use memfire_spec::memmap::Region;
use memfire_spec::regs::offset;
use rust_hdl::prelude::*;

use super::{reg, region};

#[derive(LogicBlock)]
pub struct BusPort {
    pub clock: Signal<In, Clock>,
    /// The host's bus: word address (region · 2^20 + index), write data and strobes.
    pub bus_addr: Signal<In, Bits<25>>,
    pub bus_wdata: Signal<In, Bits<32>>,
    pub bus_we: Signal<In, Bit>,
    pub bus_re: Signal<In, Bit>,
    /// The DMA engine offers a configuration word (a bus write from the host-to-card ring).
    pub cfg_valid: Signal<In, Bit>,
    pub cfg_addr: Signal<In, Bits<32>>,
    pub cfg_data: Signal<In, Bits<32>>,
    /// The controller can take a configuration word now (idle, or holding a step for the
    /// ring; see `Controller::cfg_window`).
    pub cfg_window: Signal<In, Bit>,
    /// The controller is idle: the memory windows are the host's.
    pub idle: Signal<In, Bit>,
    /// The configuration word is taken this cycle (to the DMA engine).
    pub cfg_take: Signal<Out, Bit>,
    /// The registered access, decoded.
    pub region: Signal<Out, Bits<5>>,
    pub index: Signal<Out, Bits<20>>,
    pub wdata: Signal<Out, Bits<32>>,
    pub re: Signal<Out, Bit>,
    /// A write to a register (`Region::Regs`), and to a memory window while it may be
    /// written (idle, or a configuration word, which comes only while the core waits).
    pub reg_we: Signal<Out, Bit>,
    pub mem_we: Signal<Out, Bit>,
    /// A write to `CTRL` (decoded on the way in: CTRL.CLEAR resets much of the DMA engine,
    /// so no address compare sits in front of that fan-out).
    pub ctrl_we: Signal<Out, Bit>,
    /// A host write to a memory window while the controller runs: refused (ERRORS bit 1).
    pub write_refused: Signal<Out, Bit>,
    /// A host or configuration write to the EXT window (an external-input update).
    pub ext_we: Signal<Out, Bit>,

    in_addr: DFF<Bits<25>>,
    in_wdata: DFF<Bits<32>>,
    in_we: DFF<Bit>,
    in_re: DFF<Bit>,
    /// The access registered is a configuration word from the DMA engine.
    in_cfg: DFF<Bit>,
    in_ctrl: DFF<Bit>,
    take: Signal<Local, Bit>,
    take_addr: Signal<Local, Bits<25>>,
    is_regs: Signal<Local, Bit>,
    g_regs: Constant<Bits<5>>,
    g_ext: Constant<Bits<5>>,
    r_ctrl: Constant<Bits<20>>,
}

impl Default for BusPort {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            bus_addr: Default::default(),
            bus_wdata: Default::default(),
            bus_we: Default::default(),
            bus_re: Default::default(),
            cfg_valid: Default::default(),
            cfg_addr: Default::default(),
            cfg_data: Default::default(),
            cfg_window: Default::default(),
            idle: Default::default(),
            cfg_take: Default::default(),
            region: Default::default(),
            index: Default::default(),
            wdata: Default::default(),
            re: Default::default(),
            reg_we: Default::default(),
            mem_we: Default::default(),
            ctrl_we: Default::default(),
            write_refused: Default::default(),
            ext_we: Default::default(),
            in_addr: Default::default(),
            in_wdata: Default::default(),
            in_we: Default::default(),
            in_re: Default::default(),
            in_cfg: Default::default(),
            in_ctrl: Default::default(),
            take: Default::default(),
            take_addr: Default::default(),
            is_regs: Default::default(),
            g_regs: region(Region::Regs),
            g_ext: region(Region::Ext),
            r_ctrl: reg(offset::CTRL),
        }
    }
}

impl Logic for BusPort {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, in_addr, in_wdata, in_we, in_re, in_cfg, in_ctrl);
        // A configuration word takes the bus registers when the host's bus is quiet (this
        // cycle and the last, so a RUN just written is seen first) and the controller lets
        // it (the window is registered, so a step cannot start in the cycle it is written).
        self.take.next = self.cfg_valid.val()
            & !self.bus_we.val()
            & !self.bus_re.val()
            & !self.in_we.q.val()
            & !self.in_re.q.val()
            & self.cfg_window.val();
        self.cfg_take.next = self.take.val();
        self.in_cfg.d.next = self.take.val();
        self.take_addr.next = self.bus_addr.val();
        self.in_wdata.d.next = self.bus_wdata.val();
        self.in_we.d.next = self.bus_we.val();
        self.in_re.d.next = self.bus_re.val();
        if self.take.val() {
            self.take_addr.next = self.cfg_addr.val().get_bits::<25>(0);
            self.in_wdata.d.next = self.cfg_data.val();
            self.in_we.d.next = true;
        }
        self.in_addr.d.next = self.take_addr.val();
        self.in_ctrl.d.next = (self.take_addr.val().get_bits::<5>(20) == self.g_regs.val())
            & (self.take_addr.val().get_bits::<20>(0) == self.r_ctrl.val());

        self.region.next = self.in_addr.q.val().get_bits::<5>(20);
        self.index.next = self.in_addr.q.val().get_bits::<20>(0);
        self.wdata.next = self.in_wdata.q.val();
        self.re.next = self.in_re.q.val();
        self.is_regs.next = self.in_addr.q.val().get_bits::<5>(20) == self.g_regs.val();
        self.reg_we.next = self.in_we.q.val() & self.is_regs.val();
        self.mem_we.next = self.in_we.q.val() & !self.is_regs.val() & (self.idle.val() | self.in_cfg.q.val());
        self.ctrl_we.next = self.in_we.q.val() & self.in_ctrl.q.val();
        self.write_refused.next = self.in_we.q.val() & !self.is_regs.val() & !self.idle.val() & !self.in_cfg.q.val();
        self.ext_we.next = self.in_we.q.val()
            & (self.in_addr.q.val().get_bits::<5>(20) == self.g_ext.val())
            & (self.idle.val() | self.in_cfg.q.val());
    }
}
