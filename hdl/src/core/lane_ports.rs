//! `LanePorts`: who drives the lanes' read and write ports. A lane has one read port (an
//! address every memory of the lane reads, and the region whose word `rd_data` shows) and
//! one write port. The host's accesses have them by default; the controller's update and
//! the probe engine take the read port in their phases (never both at once); the DMA
//! engine's input events take the write port (only while a step is checked; the host's
//! memory writes only while idle). The synapse banks have ports of their own on the lanes
//! (see `NeuronLane`).

use memfire_spec::memmap::Region;
use rust_hdl::prelude::*;

use super::{lane_ids, lane_mask, lane_shift, region};

#[derive(LogicBlock)]
pub struct LanePorts<const LB: usize, const P: usize> {
    pub clock: Signal<In, Clock>,
    /// The host's access (from `BusPort`); `host_we` writes a memory window.
    pub host_region: Signal<In, Bits<5>>,
    pub host_index: Signal<In, Bits<20>>,
    pub host_wdata: Signal<In, Bits<32>>,
    pub host_we: Signal<In, Bit>,
    /// Read-port requests: the update's, the probe engine's (and its region).
    pub upd_own: Signal<In, Bit>,
    pub upd_addr: Signal<In, Bits<LB>>,
    pub probe_own: Signal<In, Bit>,
    pub probe_addr: Signal<In, Bits<LB>>,
    pub probe_rgn_own: Signal<In, Bit>,
    pub probe_rgn: Signal<In, Bits<5>>,
    /// Write-port request: an input event (neuron, volts).
    pub ext_we: Signal<In, Bit>,
    pub ext_neuron: Signal<In, Bits<32>>,
    pub ext_volts: Signal<In, Bits<32>>,
    /// Every lane's ports (the same for all lanes but the write enables).
    pub rd_addr: [Signal<Out, Bits<LB>>; P],
    pub rd_region: Signal<Out, Bits<5>>,
    pub wr_en: [Signal<Out, Bit>; P],
    pub wr_region: Signal<Out, Bits<5>>,
    pub wr_addr: [Signal<Out, Bits<LB>>; P],
    pub wr_data: [Signal<Out, Bits<32>>; P],
    /// Pipeline table writes (host, while idle): every lane holds its own copy.
    pub cfg_addr: Signal<Out, Bits<16>>,
    pub cfg_data: Signal<Out, Bits<32>>,
    pub coef_we: Signal<Out, Bit>,
    pub drive_we: Signal<Out, Bit>,
    pub sqrt_we: Signal<Out, Bit>,
    /// The lane of the host's neuron index (for the read path's choice of lane).
    pub host_lane: Signal<Out, Bits<32>>,

    /// The region the lanes' read-data mux shows, from a register: last cycle's bus
    /// region, or during a probe read the field of this cycle (set the cycle before), so
    /// no phase decode sits in front of the lanes' wide read-data muxes.
    rgn: DFF<Bits<5>>,
    /// Neuron indices shifted down to their address in the lane (Verilog cannot slice an
    /// expression, so each shift is a signal of its own).
    host_shifted: Signal<Local, Bits<20>>,
    ext_shifted: Signal<Local, Bits<32>>,
    lane_shift: Constant<Bits<5>>,
    lane_mask: Constant<Bits<32>>,
    lane_id: [Constant<Bits<32>>; P],
    g_coef: Constant<Bits<5>>,
    g_drive: Constant<Bits<5>>,
    g_sqrt: Constant<Bits<5>>,
    g_ext: Constant<Bits<5>>,
}

impl<const LB: usize, const P: usize> Default for LanePorts<LB, P> {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            host_region: Default::default(),
            host_index: Default::default(),
            host_wdata: Default::default(),
            host_we: Default::default(),
            upd_own: Default::default(),
            upd_addr: Default::default(),
            probe_own: Default::default(),
            probe_addr: Default::default(),
            probe_rgn_own: Default::default(),
            probe_rgn: Default::default(),
            ext_we: Default::default(),
            ext_neuron: Default::default(),
            ext_volts: Default::default(),
            rd_addr: core::array::from_fn(|_| Default::default()),
            rd_region: Default::default(),
            wr_en: core::array::from_fn(|_| Default::default()),
            wr_region: Default::default(),
            wr_addr: core::array::from_fn(|_| Default::default()),
            wr_data: core::array::from_fn(|_| Default::default()),
            cfg_addr: Default::default(),
            cfg_data: Default::default(),
            coef_we: Default::default(),
            drive_we: Default::default(),
            sqrt_we: Default::default(),
            host_lane: Default::default(),
            rgn: Default::default(),
            host_shifted: Default::default(),
            ext_shifted: Default::default(),
            lane_shift: lane_shift::<P>(),
            lane_mask: lane_mask::<P>(),
            lane_id: lane_ids::<P>(),
            g_coef: region(Region::Coef),
            g_drive: region(Region::Drive),
            g_sqrt: region(Region::Sqrt),
            g_ext: region(Region::Ext),
        }
    }
}

impl<const LB: usize, const P: usize> Logic for LanePorts<LB, P> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, rgn);
        self.host_lane.next = bit_cast::<32, 20>(self.host_index.val()) & self.lane_mask.val();
        self.host_shifted.next = self.host_index.val() >> self.lane_shift.val();
        self.ext_shifted.next = self.ext_neuron.val() >> self.lane_shift.val();

        // ---- read port ----
        for i in 0..P {
            self.rd_addr[i].next = self.host_shifted.val().get_bits::<LB>(0);
            if self.upd_own.val() {
                self.rd_addr[i].next = self.upd_addr.val();
            }
            if self.probe_own.val() {
                self.rd_addr[i].next = self.probe_addr.val();
            }
        }
        self.rgn.d.next = self.host_region.val();
        if self.probe_rgn_own.val() {
            self.rgn.d.next = self.probe_rgn.val();
        }
        self.rd_region.next = self.rgn.q.val();

        // ---- write port ----
        self.wr_region.next = self.host_region.val();
        if self.ext_we.val() {
            self.wr_region.next = self.g_ext.val();
        }
        for i in 0..P {
            self.wr_addr[i].next = self.host_shifted.val().get_bits::<LB>(0);
            self.wr_data[i].next = self.host_wdata.val();
            self.wr_en[i].next = self.host_we.val() & (self.host_lane.val() == self.lane_id[i].val());
            if self.ext_we.val() {
                self.wr_addr[i].next = self.ext_shifted.val().get_bits::<LB>(0);
                self.wr_data[i].next = self.ext_volts.val();
                self.wr_en[i].next = (self.ext_neuron.val() & self.lane_mask.val()) == self.lane_id[i].val();
            }
        }

        // ---- the pipeline's tables ----
        self.cfg_addr.next = bit_cast::<16, 20>(self.host_index.val());
        self.cfg_data.next = self.host_wdata.val();
        self.coef_we.next = self.host_we.val() & (self.host_region.val() == self.g_coef.val());
        self.drive_we.next = self.host_we.val() & (self.host_region.val() == self.g_drive.val());
        self.sqrt_we.next = self.host_we.val() & (self.host_region.val() == self.g_sqrt.val());
    }
}
