//! `MulRound`: `p = round_half_up(a · k / 2^shift)`, the one multiply of the fixed-point
//! model (`memfire_spec::coef::Coef::apply`). rust-hdl multiplies only 16-bit values, so
//! this leaf carries its own Verilog (`a * k` on signed wires, which synthesis maps to one
//! 25×18 / 18×18 DSP block) and its simulation uses 64-bit integers.

use memfire_spec::fixed::round_shift;
use rust_hdl::prelude::*;

/// Signed 32-bit × signed 18-bit product, rounded half up and shifted right by 0..=63.
#[derive(LogicBlock, Default)]
pub struct MulRound {
    /// Operand, any Q format, 32 bits signed.
    pub a: Signal<In, Signed<32>>,
    /// Coefficient mantissa (or a second operand), 18 bits signed.
    pub k: Signal<In, Signed<18>>,
    /// Right shift applied after rounding.
    pub shift: Signal<In, Bits<6>>,
    /// `(a·k + 2^(shift−1)) >> shift`, 48 bits signed (|a·k| < 2^49, so no bit is lost).
    pub p: Signal<Out, Signed<48>>,
}

/// The value of a rust-hdl signed signal as an `i64` (all our signals are ≤ 48 bits).
pub fn to_i64<const N: usize>(x: Signed<N>) -> i64 {
    i64::try_from(x.bigint()).unwrap_or(0)
}

/// An `i64` as a rust-hdl signed value of N bits (two's complement, truncated).
pub fn from_i64<const N: usize>(x: i64) -> Signed<N> {
    x.to_signed_bits::<N>()
}

impl Logic for MulRound {
    fn update(&mut self) {
        let a = to_i64(self.a.val());
        let k = to_i64(self.k.val());
        let shift = self.shift.val().to_u32();
        self.p.next = from_i64(round_shift(a * k, shift));
    }

    fn connect(&mut self) {
        self.p.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(
            "\
wire signed [49:0] product = a * k;  // Q(a)+Q(k), 50 bits: a DSP block
// Round half up: (product + 2^(shift-1)) >>> shift is floor(product / 2^shift) plus the bit
// just below the cut, so the shift starts straight from the product and one increment follows.
wire signed [49:0] floor_q = product >>> shift;
wire round_up = (shift != 6'd0) && product[shift - 6'd1];
always @(*) p = floor_q + {49'd0, round_up};
"
            .into(),
        )
    }
}
