//! `DspFamily`: which FPGA family's multiplier blocks the generated Verilog is written for.
//!
//! The neuron update's multiplies are 25 × 18 bits signed (`MulRound`). A Xilinx 7-series
//! DSP48E1 multiplies 25 × 18 in one block, so there the product is written as one multiply
//! and yosys (`synth_xilinx`) maps it to one DSP48E1. An ECP5 MULT18X18D is 18 × 18: a
//! 25-bit operand needs two blocks whatever the Verilog says, so there the two partial
//! products are written out and registered apart, which keeps the adder joining them out of
//! the multiplier's cycle (see `mul_round`). Both shapes compute the same product: the
//! family changes resources and timing, never a result.

/// The FPGA family a design's multiplies are shaped for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DspFamily {
    /// Lattice ECP5 (the ULX3S): two MULT18X18D per 25-bit multiply, joined a cycle later.
    #[default]
    Ecp5,
    /// Xilinx 7 series (the LiteFury's Artix-7): one DSP48E1 per multiply.
    Xilinx7,
}

impl DspFamily {
    /// Every family, in the order `--family` lists them.
    pub const ALL: [DspFamily; 2] = [DspFamily::Ecp5, DspFamily::Xilinx7];

    /// The name `gen --family` and `scripts/synth.sh` use.
    pub fn name(self) -> &'static str {
        match self {
            DspFamily::Ecp5 => "ecp5",
            DspFamily::Xilinx7 => "xilinx7",
        }
    }

    /// The family called `name` (see [`DspFamily::name`]).
    pub fn from_name(name: &str) -> Option<DspFamily> {
        DspFamily::ALL.into_iter().find(|f| f.name() == name)
    }
}
