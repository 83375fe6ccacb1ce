//! `CoreMmcm`: the LiteFury core's clock, made from the PCIe block's 62.5 MHz user clock by
//! a 7-series MMCM: VCO 62.5 MHz × 16 = 1000 MHz (inside the -2L part's 600–1200 MHz),
//! divided by 10 for 100 MHz. The core's clock leaves through a BUFGCE enabled by the
//! MMCM's LOCKED, so the core sees no edge until the clock is stable (its registers have no
//! reset; they start from their configured values). The core and the TLP adapter meet
//! only in the clock crossing (`memfire_hdl::bridges::clock_crossing`), and the
//! constraints declare the two clocks asynchronous. The simulated PCIe board runs the two
//! clocks at chosen ratios instead (`memfire-sim`).

use crate::clock_gen::{ClockCircuit, ClockGen};

/// The core clock's frequency, Hz (what `memfire_hdl::tops::IMAGE_CORES` reports).
pub const CORE_CLOCK_HZ: f64 = 100e6;

/// The MMCM and its buffers.
#[derive(Debug)]
pub struct Mmcm100;

impl ClockCircuit for Mmcm100 {
    fn instance() -> String {
        MMCM_INSTANCE.into()
    }
}

pub type CoreMmcm = ClockGen<Mmcm100>;

const MMCM_INSTANCE: &str = r#"
wire clk_fb;
wire clk_fb_buf;
wire clk_100;
MMCME2_BASE #(
    .CLKIN1_PERIOD(16.0),
    .DIVCLK_DIVIDE(1),
    .CLKFBOUT_MULT_F(16.0),
    .CLKOUT0_DIVIDE_F(10.0),
    .CLKOUT0_PHASE(0.0),
    .CLKOUT0_DUTY_CYCLE(0.5)
) core_mmcm (
    .CLKIN1(clk_in), .CLKFBIN(clk_fb_buf), .CLKFBOUT(clk_fb), .CLKFBOUTB(),
    .CLKOUT0(clk_100), .CLKOUT0B(), .CLKOUT1(), .CLKOUT1B(), .CLKOUT2(), .CLKOUT2B(),
    .CLKOUT3(), .CLKOUT3B(), .CLKOUT4(), .CLKOUT5(), .CLKOUT6(),
    .LOCKED(locked), .PWRDWN(1'b0), .RST(1'b0)
);
BUFG core_fb_buf (.I(clk_fb), .O(clk_fb_buf));
// No edge reaches the core before the MMCM locks.
BUFGCE core_clk_buf (.I(clk_100), .CE(locked), .O(clk_out));
"#;

#[cfg(test)]
mod tests {
    #[test]
    fn the_image_table_gives_the_mmcm_clock() {
        let image = memfire_hdl::tops::IMAGE_CORES.iter().find(|i| i.image == "litefury");
        assert_eq!(image.map(|i| i.clock_hz), Some(super::CORE_CLOCK_HZ));
    }
}
