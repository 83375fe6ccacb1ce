//! `Ecp5Pll`: the ULX3S's clock, made from the board's 25 MHz oscillator by the ECP5's
//! EHXPLLL: 25 MHz ÷ 5 = 5 MHz at the phase detector, × 24 through the feedback divider
//! (taken from CLKOP) = 120 MHz out, the VCO at 120 MHz × 5 = 600 MHz (inside the
//! 400–800 MHz the part allows). The clock reaches the design through a DCCA enabled by
//! the PLL's LOCK, so no edge of a not-yet-locked PLL reaches registers that have no reset
//! (they start from their configured values).
//!
//! 120 MHz is a whole number of clocks per UART bit at 1 Mbaud, and below what the full
//! image routes at on every nextpnr seed tried; the figures are in `docs/timing.md`
//! (`scripts/build-ulx3s.sh IMAGE --seeds 1,2,3`).

use crate::clock_gen::{ClockCircuit, ClockGen};

/// The board's oscillator, Hz.
pub const OSCILLATOR_HZ: u64 = 25_000_000;
/// The PLL's dividers: input, feedback and CLKOP's.
pub const CLKI_DIV: u32 = 5;
pub const CLKFB_DIV: u32 = 24;
pub const CLKOP_DIV: u32 = 5;
/// The design's clock, Hz: the oscillator × CLKFB_DIV ÷ CLKI_DIV.
pub const CORE_CLOCK_HZ: u64 = OSCILLATOR_HZ * CLKFB_DIV as u64 / CLKI_DIV as u64;

/// The PLL and its clock buffer.
#[derive(Debug)]
pub struct CorePll;

pub type Ecp5Pll = ClockGen<CorePll>;

impl ClockCircuit for CorePll {
    fn instance() -> String {
        // CLKOP's coarse phase is its divider less one, halved (rounded down): the output in
        // phase with the feedback (the convention of Project Trellis's `ecppll`).
        format!(
            r#"
wire clk_pll;
// The outputs other than CLKOP and LOCK are left open (Verilator's lint is told so).
/* verilator lint_off PINCONNECTEMPTY */
(* FREQUENCY_PIN_CLKI="25" *)
(* FREQUENCY_PIN_CLKOP="{mhz}" *)
(* ICP_CURRENT="12" *) (* LPF_RESISTOR="8" *) (* MFG_ENABLE_FILTEROPAMP="1" *) (* MFG_GMCREF_SEL="2" *)
EHXPLLL #(
    .PLLRST_ENA("DISABLED"),
    .INTFB_WAKE("DISABLED"),
    .STDBY_ENABLE("DISABLED"),
    .DPHASE_SOURCE("DISABLED"),
    .OUTDIVIDER_MUXA("DIVA"),
    .OUTDIVIDER_MUXB("DIVB"),
    .OUTDIVIDER_MUXC("DIVC"),
    .OUTDIVIDER_MUXD("DIVD"),
    .CLKI_DIV({CLKI_DIV}),
    .CLKOP_ENABLE("ENABLED"),
    .CLKOP_DIV({CLKOP_DIV}),
    .CLKOP_CPHASE({cphase}),
    .CLKOP_FPHASE(0),
    .FEEDBK_PATH("CLKOP"),
    .CLKFB_DIV({CLKFB_DIV})
) core_pll (
    .CLKI(clk_in), .CLKFB(clk_pll), .RST(1'b0), .STDBY(1'b0),
    .PHASESEL0(1'b0), .PHASESEL1(1'b0), .PHASEDIR(1'b1), .PHASESTEP(1'b1),
    .PHASELOADREG(1'b1), .PLLWAKESYNC(1'b0),
    .ENCLKOP(1'b0), .ENCLKOS(1'b0), .ENCLKOS2(1'b0), .ENCLKOS3(1'b0),
    .CLKOP(clk_pll), .CLKOS(), .CLKOS2(), .CLKOS3(), .LOCK(locked), .INTLOCK(),
    .REFCLK(), .CLKINTFB()
);
/* verilator lint_on PINCONNECTEMPTY */
// No edge reaches the design before the PLL locks.
DCCA core_clk_buf (.CLKI(clk_pll), .CE(locked), .CLKO(clk_out));
"#,
            mhz = CORE_CLOCK_HZ as f64 / 1e6,
            cphase = (CLKOP_DIV - 1) / 2,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dividers_keep_the_pll_in_range_and_give_the_image_clock() {
        let pfd = OSCILLATOR_HZ as f64 / f64::from(CLKI_DIV);
        let vco = CORE_CLOCK_HZ as f64 * f64::from(CLKOP_DIV);
        assert_eq!(
            CORE_CLOCK_HZ * u64::from(CLKI_DIV),
            OSCILLATOR_HZ * u64::from(CLKFB_DIV)
        );
        assert!((3.125e6..=400e6).contains(&pfd), "phase detector at {pfd} Hz");
        assert!((400e6..=800e6).contains(&vco), "VCO at {vco} Hz");
        let image = memfire_hdl::tops::IMAGE_CORES.iter().find(|i| i.image == "ulx3s");
        assert_eq!(image.map(|i| i.clock_hz), Some(CORE_CLOCK_HZ as f64));
    }
}
