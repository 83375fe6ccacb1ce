//! The LiteFury board top (RHS Research; Xilinx XC7A100T-L2FGG484E on an M.2 2280 M-key
//! card, PCIe reference clock from the slot): the 7-series PCI Express integrated block
//! (`pcie_7x_0`, made by `firmware/litefury/pcie_ip.tcl`: Gen2 ×1, 64-bit AXI-Stream at
//! 62.5 MHz, BAR0 128 MiB, MSI) and a memfire core behind the TLP adapter: the adapter on
//! the block's `user_clk_out`, the core on 125 MHz from an MMCM (`CoreMmcm`), the two joined
//! by the clock crossing. Pin names match `constraints/litefury/litefury.xdc`.

use memfire_hdl::pcie_core::PcieCore;

use crate::core_mmcm::CoreMmcm;
use rust_hdl::prelude::*;

/// The integrated block and the reference-clock buffer, as Vivado's IP provides them.
/// This leaf exists only for synthesis: its Verilog instantiates the IP, which rust-hdl
/// cannot simulate (the simulation plays the root complex against `PcieCore` instead, see
/// `memfire-sim`'s `pcie` module), so its `update` leaves the outputs idle.
#[derive(LogicBlock, Default)]
pub struct Pcie7xBlock {
    pub sys_clk_p: Signal<In, Bit>,
    pub sys_clk_n: Signal<In, Bit>,
    /// PERST#, low while the host holds the card in reset.
    pub sys_rst_n: Signal<In, Bit>,
    pub pci_exp_rxp: Signal<In, Bit>,
    pub pci_exp_rxn: Signal<In, Bit>,
    pub pci_exp_txp: Signal<Out, Bit>,
    pub pci_exp_txn: Signal<Out, Bit>,
    pub user_clk: Signal<Out, Clock>,
    pub user_lnk_up: Signal<Out, Bit>,
    pub rx_tdata: Signal<Out, Bits<64>>,
    pub rx_tkeep: Signal<Out, Bits<8>>,
    pub rx_tlast: Signal<Out, Bit>,
    pub rx_tvalid: Signal<Out, Bit>,
    pub rx_tready: Signal<In, Bit>,
    pub rx_bar0: Signal<Out, Bit>,
    pub tx_tdata: Signal<In, Bits<64>>,
    pub tx_tkeep: Signal<In, Bits<8>>,
    pub tx_tlast: Signal<In, Bit>,
    pub tx_tvalid: Signal<In, Bit>,
    pub tx_tready: Signal<Out, Bit>,
    pub cfg_id: Signal<Out, Bits<16>>,
    pub cfg_bus_master: Signal<Out, Bit>,
    pub cfg_msi_enable: Signal<Out, Bit>,
    pub cfg_interrupt: Signal<In, Bit>,
    pub cfg_interrupt_rdy: Signal<Out, Bit>,
}

impl Logic for Pcie7xBlock {
    fn update(&mut self) {}

    fn connect(&mut self) {
        self.pci_exp_txp.connect();
        self.pci_exp_txn.connect();
        self.user_clk.connect();
        self.user_lnk_up.connect();
        self.rx_tdata.connect();
        self.rx_tkeep.connect();
        self.rx_tlast.connect();
        self.rx_tvalid.connect();
        self.rx_bar0.connect();
        self.tx_tready.connect();
        self.cfg_id.connect();
        self.cfg_bus_master.connect();
        self.cfg_msi_enable.connect();
        self.cfg_interrupt_rdy.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Wrapper(Wrapper {
            code: PCIE_7X_INSTANCE.into(),
            cores: String::new(),
        })
    }
}

/// The IP instance. It connects the interfaces `pcie_ip.tcl` enables (AXI-Stream, the
/// configuration status and control groups, interrupts) and nothing else; inputs left out
/// (error reporting, flow-control and management ports are not generated; physical-layer
/// requests) take the IP's idle value 0.
const PCIE_7X_INSTANCE: &str = r#"
wire sys_clk;
// The 100 MHz reference clock from the M.2 slot enters through the GTP's dedicated buffer.
IBUFDS_GTE2 refclk_buf (.O(sys_clk), .ODIV2(), .I(sys_clk_p), .IB(sys_clk_n), .CEB(1'b0));
wire [21:0] rx_tuser;
wire [15:0] cfg_command;
wire [7:0] cfg_bus_number;
wire [4:0] cfg_device_number;
wire [2:0] cfg_function_number;
wire cfg_to_turnoff;
assign rx_bar0 = rx_tuser[2];
assign cfg_id = {cfg_bus_number, cfg_device_number, cfg_function_number};
assign cfg_bus_master = cfg_command[2];
pcie_7x_0 pcie (
    .pci_exp_txp(pci_exp_txp), .pci_exp_txn(pci_exp_txn),
    .pci_exp_rxp(pci_exp_rxp), .pci_exp_rxn(pci_exp_rxn),
    .user_clk_out(user_clk), .user_reset_out(), .user_lnk_up(user_lnk_up), .user_app_rdy(),
    .tx_buf_av(), .tx_cfg_req(), .tx_err_drop(), .tx_cfg_gnt(1'b1),
    .s_axis_tx_tready(tx_tready), .s_axis_tx_tdata(tx_tdata), .s_axis_tx_tkeep(tx_tkeep),
    .s_axis_tx_tlast(tx_tlast), .s_axis_tx_tvalid(tx_tvalid), .s_axis_tx_tuser(4'b0),
    .m_axis_rx_tdata(rx_tdata), .m_axis_rx_tkeep(rx_tkeep), .m_axis_rx_tlast(rx_tlast),
    .m_axis_rx_tvalid(rx_tvalid), .m_axis_rx_tready(rx_tready), .m_axis_rx_tuser(rx_tuser),
    // Always ready for non-posted requests: the adapter back-pressures through tready.
    .rx_np_ok(1'b1), .rx_np_req(1'b1),
    .cfg_status(), .cfg_command(cfg_command), .cfg_dstatus(), .cfg_dcommand(), .cfg_lstatus(),
    .cfg_lcommand(), .cfg_dcommand2(), .cfg_pcie_link_state(), .cfg_pmcsr_pme_en(),
    .cfg_pmcsr_powerstate(), .cfg_pmcsr_pme_status(), .cfg_received_func_lvl_rst(),
    .cfg_bus_number(cfg_bus_number), .cfg_device_number(cfg_device_number),
    .cfg_function_number(cfg_function_number),
    .cfg_trn_pending(1'b0), .cfg_pm_halt_aspm_l0s(1'b0), .cfg_pm_halt_aspm_l1(1'b0),
    .cfg_pm_force_state_en(1'b0), .cfg_pm_force_state(2'b0), .cfg_dsn(64'h4D46_4952_0000_0001),
    // Nothing to finish before power-off: agree to it at once.
    .cfg_to_turnoff(cfg_to_turnoff), .cfg_turnoff_ok(cfg_to_turnoff),
    .cfg_pm_wake(1'b0), .cfg_pm_send_pme_to(1'b0),
    .cfg_ds_bus_number(8'b0), .cfg_ds_device_number(5'b0), .cfg_ds_function_number(3'b0),
    .cfg_interrupt(cfg_interrupt), .cfg_interrupt_rdy(cfg_interrupt_rdy),
    .cfg_interrupt_assert(1'b0), .cfg_interrupt_di(8'b0), .cfg_interrupt_do(),
    .cfg_interrupt_mmenable(), .cfg_interrupt_msienable(cfg_msi_enable),
    .cfg_interrupt_msixenable(), .cfg_interrupt_msixfm(), .cfg_interrupt_stat(1'b0),
    .cfg_pciecap_interrupt_msgnum(5'b0),
    .sys_clk(sys_clk), .sys_rst_n(sys_rst_n)
);
"#;

/// The board top around core `PcieCore<LB, P, NB, SB, HB, OB, WB>`.
#[derive(LogicBlock, Default)]
pub struct LitefuryTop<
    const LB: usize,
    const P: usize,
    const NB: usize,
    const SB: usize,
    const HB: usize,
    const OB: usize,
    const WB: usize,
> {
    /// PCIe reference clock, 100 MHz from the M.2 slot (F6/E6).
    pub pcie_clkin_p: Signal<In, Bit>,
    pub pcie_clkin_n: Signal<In, Bit>,
    /// PERST# from the slot (J1).
    pub pci_reset: Signal<In, Bit>,
    /// M.2 lane 0 (GTP X0Y7: rx B10/A10, tx B6/A6).
    pub pcie_mgt_rxp: Signal<In, Bit>,
    pub pcie_mgt_rxn: Signal<In, Bit>,
    pub pcie_mgt_txp: Signal<Out, Bit>,
    pub pcie_mgt_txn: Signal<Out, Bit>,
    /// CLKREQ#: held low, the card always wants its reference clock (G1).
    pub pcie_clkreq_l: Signal<Out, Bit>,
    /// LEDs A1..A4, lit by a low level: 0 link up, 1 interrupt pending, 2 alive (blinks at
    /// ~1 Hz from the 62.5 MHz user clock), 3 bus mastering enabled.
    pub led_n: Signal<Out, Bits<4>>,
    pcie: Pcie7xBlock,
    mmcm: CoreMmcm,
    core: PcieCore<LB, P, NB, SB, HB, OB, WB>,
    heartbeat: DFF<Bits<26>>,
    leds: Signal<Local, Bits<4>>,
}

impl<
        const LB: usize,
        const P: usize,
        const NB: usize,
        const SB: usize,
        const HB: usize,
        const OB: usize,
        const WB: usize,
    > LitefuryTop<LB, P, NB, SB, HB, OB, WB>
{
    /// The image with its core sized as `config` says (see `NeuronCore::sized`).
    pub fn sized(mut self, config: &memfire_hdl::tops::CoreConfig) -> Self {
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
    > Logic for LitefuryTop<LB, P, NB, SB, HB, OB, WB>
{
    #[hdl_gen]
    fn update(&mut self) {
        self.pcie.sys_clk_p.next = self.pcie_clkin_p.val();
        self.pcie.sys_clk_n.next = self.pcie_clkin_n.val();
        self.pcie.sys_rst_n.next = self.pci_reset.val();
        self.pcie.pci_exp_rxp.next = self.pcie_mgt_rxp.val();
        self.pcie.pci_exp_rxn.next = self.pcie_mgt_rxn.val();
        self.pcie_mgt_txp.next = self.pcie.pci_exp_txp.val();
        self.pcie_mgt_txn.next = self.pcie.pci_exp_txn.val();
        self.pcie_clkreq_l.next = false;
        self.core.clock.next = self.pcie.user_clk.val();
        self.mmcm.clk_in.next = self.pcie.user_clk.val();
        self.core.core_clock.next = self.mmcm.clk_out.val();
        self.heartbeat.clock.next = self.pcie.user_clk.val();
        self.heartbeat.d.next = self.heartbeat.q.val() + 1;
        self.core.rx_tdata.next = self.pcie.rx_tdata.val();
        self.core.rx_tkeep.next = self.pcie.rx_tkeep.val();
        self.core.rx_tlast.next = self.pcie.rx_tlast.val();
        self.core.rx_tvalid.next = self.pcie.rx_tvalid.val();
        self.pcie.rx_tready.next = self.core.rx_tready.val();
        self.core.rx_bar0.next = self.pcie.rx_bar0.val();
        self.pcie.tx_tdata.next = self.core.tx_tdata.val();
        self.pcie.tx_tkeep.next = self.core.tx_tkeep.val();
        self.pcie.tx_tlast.next = self.core.tx_tlast.val();
        self.pcie.tx_tvalid.next = self.core.tx_tvalid.val();
        self.core.tx_tready.next = self.pcie.tx_tready.val();
        self.core.cfg_id.next = self.pcie.cfg_id.val();
        self.core.cfg_bus_master.next = self.pcie.cfg_bus_master.val();
        self.core.cfg_msi_enable.next = self.pcie.cfg_msi_enable.val();
        self.pcie.cfg_interrupt.next = self.core.cfg_interrupt.val();
        self.core.cfg_interrupt_rdy.next = self.pcie.cfg_interrupt_rdy.val();
        self.leds.next = bits::<4>(0);
        if self.pcie.user_lnk_up.val() {
            self.leds.next = self.leds.val() | bits::<4>(1);
        }
        if self.core.irq.val() {
            self.leds.next = self.leds.val() | bits::<4>(2);
        }
        if self.heartbeat.q.val().get_bit(25) {
            self.leds.next = self.leds.val() | bits::<4>(4);
        }
        if self.pcie.cfg_bus_master.val() {
            self.leds.next = self.leds.val() | bits::<4>(8);
        }
        self.led_n.next = !self.leds.val();
    }
}

/// The LiteFury image: `core-bench-2k` (sized with `LitefuryTop::sized`): 2048 neurons on 8
/// lanes, 106 496 synapses (the benchmark network's with room for uneven lane shares), 4
/// parameter sets. Each lane's neuron state is in LUT RAM (`memfire_hdl::lane::lane_ram`):
/// in block RAM, ten per-neuron memories a lane, each a block RAM however few neurons the
/// lane has, would need more than the XC7A100T has beside the benchmark's synapses.
pub type Litefury = LitefuryTop<8, 8, 11, 14, 12, 10, 10>;
/// What the LiteFury image puts behind the integrated block (the part of it CI can lint).
pub type LitefuryCore = memfire_hdl::tops::PcieCoreLitefury;
