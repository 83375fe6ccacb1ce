//! `MulRound`: `p = round_half_up(a · k / 2^shift)`, the one multiply of the fixed-point
//! model (`memfire_spec::coef::Coef::apply`), in two clock cycles: the product and the
//! shift amount are registered, and the rounding shift follows from the registers. `p`
//! belongs to the operands presented one rising edge earlier.
//!
//! Why two cycles: multiply (two MULT18X18D and the carry chain joining their halves),
//! variable shift, rounding increment and the caller's saturation in one cycle was the
//! longest path of the whole core (~25 ns on an LFE5U-85F). The register splits it where
//! the two halves cost about the same.
//!
//! rust-hdl multiplies only 16-bit values, so the product and the shift are leaves with
//! their own Verilog (`a * k` on signed wires, which synthesis maps to DSP blocks); their
//! simulation uses 64-bit integers. The registers between them are rust-hdl's own DFFs.

use memfire_spec::fixed::round_shift;
use rust_hdl::prelude::*;

/// Signed 32-bit × signed 18-bit product, rounded half up and shifted right by 0..=63,
/// one clock cycle after the operands.
#[derive(LogicBlock, Default)]
pub struct MulRound {
    pub clock: Signal<In, Clock>,
    /// Operand, any Q format, 32 bits signed.
    pub a: Signal<In, Signed<32>>,
    /// Coefficient mantissa (or a second operand), 18 bits signed.
    pub k: Signal<In, Signed<18>>,
    /// Right shift applied after rounding.
    pub shift: Signal<In, Bits<6>>,
    /// `(a·k + 2^(shift−1)) >> shift` of last cycle's operands, 48 bits signed
    /// (|a·k| < 2^49, so no bit is lost).
    pub p: Signal<Out, Signed<48>>,
    multiplier: Product,
    product_q: DFF<Signed<50>>,
    shift_q: DFF<Bits<6>>,
    round: RoundShift,
}

impl Logic for MulRound {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, product_q, shift_q);
        self.multiplier.a.next = self.a.val();
        self.multiplier.k.next = self.k.val();
        self.product_q.d.next = self.multiplier.product.val();
        self.shift_q.d.next = self.shift.val();
        self.round.product.next = self.product_q.q.val();
        self.round.shift.next = self.shift_q.q.val();
        self.p.next = self.round.p.val();
    }
}

/// `a · k`, exact: 50 bits signed.
#[derive(LogicBlock, Default)]
pub struct Product {
    pub a: Signal<In, Signed<32>>,
    pub k: Signal<In, Signed<18>>,
    pub product: Signal<Out, Signed<50>>,
}

impl Logic for Product {
    fn update(&mut self) {
        self.product.next = from_i64(to_i64(self.a.val()) * to_i64(self.k.val()));
    }

    fn connect(&mut self) {
        self.product.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom("always @(*) product = a * k;  // Q(a)+Q(k), 50 bits: DSP blocks\n".into())
    }
}

/// `round_half_up(product / 2^shift)`: the model's `round_shift`.
#[derive(LogicBlock, Default)]
pub struct RoundShift {
    pub product: Signal<In, Signed<50>>,
    pub shift: Signal<In, Bits<6>>,
    pub p: Signal<Out, Signed<48>>,
}

impl Logic for RoundShift {
    fn update(&mut self) {
        let shift = self.shift.val().to_u32();
        self.p.next = from_i64(round_shift(to_i64(self.product.val()), shift));
    }

    fn connect(&mut self) {
        self.p.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(
            "\
// Round half up: (product + 2^(shift-1)) >>> shift is floor(product / 2^shift) plus the bit
// just below the cut, so the shift starts straight from the product and one increment follows.
wire signed [49:0] floor_q = product >>> shift;
wire round_up = (shift != 6'd0) && product[shift - 6'd1];
always @(*) p = floor_q[47:0] + {47'd0, round_up};
"
            .into(),
        )
    }
}

/// The value of a rust-hdl signed signal as an `i64` (all our signals are ≤ 50 bits).
pub fn to_i64<const N: usize>(x: Signed<N>) -> i64 {
    i64::try_from(x.bigint()).unwrap_or(0)
}

/// An `i64` as a rust-hdl signed value of N bits (two's complement, truncated).
pub fn from_i64<const N: usize>(x: i64) -> Signed<N> {
    x.to_signed_bits::<N>()
}
