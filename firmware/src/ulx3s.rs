//! The ULX3S (Lattice ECP5 LFE5U-85F, FTDI FT231X USB-UART) board top: a memfire core
//! behind the UART bridge, clocked from the board's 25 MHz oscillator through the ECP5's
//! PLL (`Ecp5Pll`, 120 MHz), 1 Mbaud on the FTDI pins, status on the LEDs. Pin names match
//! `constraints/ulx3s/ulx3s.lpf`.

use memfire_hdl::uart_core::UartCore;
use rust_hdl::prelude::*;

use crate::ecp5_pll::{Ecp5Pll, CORE_CLOCK_HZ};

/// The PLL's clock / 1 Mbaud.
pub const CLOCKS_PER_BIT: u64 = CORE_CLOCK_HZ / 1_000_000;
const _: () = assert!(
    CLOCKS_PER_BIT * 1_000_000 == CORE_CLOCK_HZ,
    "a whole number of clocks a bit"
);

/// The board top around core `UartCore<CLOCKS_PER_BIT, LB, P, NB, SB, HB, OB, WB>`.
#[derive(LogicBlock, Default)]
pub struct Ulx3sTop<
    const LB: usize,
    const P: usize,
    const NB: usize,
    const SB: usize,
    const HB: usize,
    const OB: usize,
    const WB: usize,
> {
    /// 25 MHz oscillator (G2).
    pub clk_25mhz: Signal<In, Clock>,
    /// FTDI TXD: what the host sends, into the FPGA (M1).
    pub ftdi_txd: Signal<In, Bit>,
    /// FTDI RXD: what the FPGA sends to the host (L4).
    pub ftdi_rxd: Signal<Out, Bit>,
    /// LEDs: 0 interrupt pending, 1 receiving, 2 sending, 7 alive (blinks at ~1.8 Hz, once
    /// the PLL locked).
    pub led: Signal<Out, Bits<8>>,
    /// Held high so the on-board ESP32 does not take over the FPGA's configuration (L2).
    pub wifi_gpio0: Signal<Out, Bit>,
    pll: Ecp5Pll,
    core: UartCore<CLOCKS_PER_BIT, LB, P, NB, SB, HB, OB, WB>,
    heartbeat: DFF<Bits<25>>,
}

impl<
        const LB: usize,
        const P: usize,
        const NB: usize,
        const SB: usize,
        const HB: usize,
        const OB: usize,
        const WB: usize,
    > Ulx3sTop<LB, P, NB, SB, HB, OB, WB>
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
    > Logic for Ulx3sTop<LB, P, NB, SB, HB, OB, WB>
{
    #[hdl_gen]
    fn update(&mut self) {
        self.pll.clk_in.next = self.clk_25mhz.val();
        self.core.clock.next = self.pll.clk_out.val();
        self.heartbeat.clock.next = self.pll.clk_out.val();
        self.heartbeat.d.next = self.heartbeat.q.val() + 1;
        self.core.rx.next = self.ftdi_txd.val();
        self.ftdi_rxd.next = self.core.tx.val();
        self.wifi_gpio0.next = true;
        self.led.next = bit_cast::<8, 3>(self.core.status.val());
        if self.heartbeat.q.val().get_bit(24) {
            self.led.next = bit_cast::<8, 3>(self.core.status.val()) | bits::<8>(0x80);
        }
    }
}

/// The full board image: `core-bench-1k` (sized with `Ulx3sTop::sized`): the benchmark
/// network's 1024 neurons on two lanes, room for 106 496 synapses (its 102 400 and the
/// lanes' uneven shares), 4 parameter sets. The 85F's block RAM decides: the synapses take
/// 156 of its 208 DP16KD (27-bit words for 512-neuron lanes), each lane's per-neuron
/// memories 11, so a third lane would not fit beside them (200 used).
pub type Ulx3s = Ulx3sTop<9, 2, 10, 16, 12, 10, 10>;
/// The benchmark network on four lanes of 256: `core-bench-1k-p4` (sized with
/// `Ulx3sTop::sized`), each lane's state and external input in LUT RAM so that the synapses
/// and tables fit the 208 DP16KD (203 used). Twice the two-lane image's updates a cycle; its
/// logic fills 82 % of the 85F's LUT sites, and it is not yet routed at the PLL's clock on
/// every nextpnr seed of 1-3 (docs/timing.md), so it is not the board's image.
pub type Ulx3sP4 = Ulx3sTop<8, 4, 10, 15, 12, 10, 10>;
/// A small image for quick builds and CI: `core-small` (64 neurons).
pub type Ulx3sSmall = Ulx3sTop<6, 1, 6, 10, 10, 8, 7>;
