//! `CoreMmcm`: the LiteFury core's clock, made from the PCIe block's 62.5 MHz user clock by
//! a 7-series MMCM: VCO 62.5 MHz × 16 = 1000 MHz (inside the -2L part's 600–1200 MHz),
//! divided by 8 for 125 MHz. The core's clock leaves through a BUFGCE enabled by the
//! MMCM's LOCKED, so the core sees no edge until the clock is stable (its registers have no
//! reset; they start from their configured values). The core and the TLP adapter meet
//! only in the clock crossing (`memfire_hdl::bridges::clock_crossing`), and the
//! constraints declare the two clocks asynchronous. The simulated PCIe board runs the two
//! clocks at chosen ratios instead (`memfire-sim`).
//!
//! 125 MHz is what the core's logic depth supports without Vivado: its slowest path
//! between registers is under half of the 8 ns period by yosys's cell delays
//! (`scripts/logic-depth.sh core-bench-2k`, `docs/boards/litefury.md`).

use crate::clock_gen::{ClockCircuit, ClockGen};

/// The PCIe block's user clock, the MMCM's input, Hz (Gen2 ×1, 64-bit interface).
pub const USER_CLOCK_HZ: f64 = 62.5e6;
/// CLKFBOUT_MULT_F: the VCO runs at the input × this.
pub const VCO_MULT: f64 = 16.0;
/// CLKOUT0_DIVIDE_F: the core's clock is the VCO ÷ this.
pub const CORE_DIVIDE: f64 = 8.0;
/// The core clock's frequency, Hz (what `memfire_hdl::tops::IMAGE_CORES` reports).
pub const CORE_CLOCK_HZ: f64 = USER_CLOCK_HZ * VCO_MULT / CORE_DIVIDE;

/// The MMCM and its buffers.
#[derive(Debug)]
pub struct CoreClockMmcm;

impl ClockCircuit for CoreClockMmcm {
    fn instance() -> String {
        format!(
            r#"
wire clk_fb;
wire clk_fb_buf;
wire clk_core;
MMCME2_BASE #(
    .CLKIN1_PERIOD({input_ns:.1}),
    .DIVCLK_DIVIDE(1),
    .CLKFBOUT_MULT_F({VCO_MULT:.3}),
    .CLKOUT0_DIVIDE_F({CORE_DIVIDE:.3}),
    .CLKOUT0_PHASE(0.0),
    .CLKOUT0_DUTY_CYCLE(0.5)
) core_mmcm (
    .CLKIN1(clk_in), .CLKFBIN(clk_fb_buf), .CLKFBOUT(clk_fb), .CLKFBOUTB(),
    .CLKOUT0(clk_core), .CLKOUT0B(), .CLKOUT1(), .CLKOUT1B(), .CLKOUT2(), .CLKOUT2B(),
    .CLKOUT3(), .CLKOUT3B(), .CLKOUT4(), .CLKOUT5(), .CLKOUT6(),
    .LOCKED(locked), .PWRDWN(1'b0), .RST(1'b0)
);
BUFG core_fb_buf (.I(clk_fb), .O(clk_fb_buf));
// No edge reaches the core before the MMCM locks.
BUFGCE core_clk_buf (.I(clk_core), .CE(locked), .O(clk_out));
"#,
            input_ns = 1e9 / USER_CLOCK_HZ,
        )
    }
}

pub type CoreMmcm = ClockGen<CoreClockMmcm>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_image_table_gives_the_mmcm_clock() {
        let image = memfire_hdl::tops::IMAGE_CORES.iter().find(|i| i.image == "litefury");
        assert_eq!(image.map(|i| i.clock_hz), Some(CORE_CLOCK_HZ));
    }

    #[test]
    fn the_mmcm_settings_are_legal_for_the_part() {
        // XC7A100T-L2: VCO 600–1200 MHz; CLKFBOUT_MULT_F and CLKOUT0_DIVIDE_F in steps of 1/8.
        let vco = USER_CLOCK_HZ * VCO_MULT;
        assert!((600e6..=1200e6).contains(&vco), "VCO {vco} Hz");
        for v in [VCO_MULT, CORE_DIVIDE] {
            assert_eq!((v * 8.0).fract(), 0.0, "{v} is not a multiple of 1/8");
        }
        let text = CoreClockMmcm::instance();
        assert!(text.contains(".CLKIN1_PERIOD(16.0)"), "{text}");
        assert!(text.contains(".CLKOUT0_DIVIDE_F(8.000)"), "{text}");
    }
}
