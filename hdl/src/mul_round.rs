//! `MulRound`: `p = round_half_up(a · k / 2^shift)`, the one multiply of the fixed-point
//! model (`memfire_spec::coef::Coef::apply`), over two clock edges: the product (and the
//! shift amount) is registered, then the rounded shift of it, which `p` shows for the
//! caller's logic in the third cycle. `p` belongs to the operands presented two rising
//! edges earlier ([`MUL_LATENCY`]).
//!
//! Why three cycles: multiply (two MULT18X18D and the carry chain joining their halves),
//! variable shift, rounding increment and the caller's saturation in one cycle was the
//! longest path of the whole core (~25 ns on an LFE5U-85F); with the product registered,
//! the shift, the increment and the caller's clamp were (~18 ns), and with the shifted
//! product registered too, the increment and the caller's clamp (~17 ns). So the multiply
//! has a cycle, the shift and the increment one, and the caller's logic one of its own.
//!
//! rust-hdl multiplies only 16-bit values, so the product and the shift are leaves with
//! their own Verilog (`a * k` on signed wires, which synthesis maps to DSP blocks); their
//! simulation uses 64-bit integers. The registers between them are rust-hdl's own DFFs.

use rust_hdl::prelude::*;

/// Rising edges from `MulRound`'s operands to its result.
pub const MUL_LATENCY: usize = 2;

/// Signed 32-bit × signed 18-bit product, rounded half up and shifted right by 0..=63,
/// two clock edges after the operands, from a register.
#[derive(LogicBlock)]
pub struct MulRound {
    pub clock: Signal<In, Clock>,
    /// Operand, any Q format, 32 bits signed.
    pub a: Signal<In, Signed<32>>,
    /// Coefficient mantissa (or a second operand), 18 bits signed.
    pub k: Signal<In, Signed<18>>,
    /// Right shift applied after rounding.
    pub shift: Signal<In, Bits<6>>,
    /// `(a·k + 2^(shift−1)) >> shift` of the operands two cycles ago, 48 bits signed
    /// (|a·k| < 2^49, so no bit is lost).
    pub p: Signal<Out, Signed<48>>,
    multiplier: Product,
    product_q: DFF<Signed<50>>,
    shift_q: DFF<Bits<6>>,
    cut: ShiftFloor,
    rounded: Signal<Local, Signed<48>>,
    p_q: DFF<Signed<48>>,
    one: Constant<Signed<48>>,
}

impl Default for MulRound {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            a: Default::default(),
            k: Default::default(),
            shift: Default::default(),
            p: Default::default(),
            multiplier: Default::default(),
            product_q: Default::default(),
            shift_q: Default::default(),
            cut: Default::default(),
            rounded: Default::default(),
            p_q: Default::default(),
            one: Constant::new(1i64.to_signed_bits()),
        }
    }
}

impl Logic for MulRound {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, product_q, shift_q, p_q);
        // Cycle 1: multiply.
        self.multiplier.a.next = self.a.val();
        self.multiplier.k.next = self.k.val();
        self.product_q.d.next = self.multiplier.product.val();
        self.shift_q.d.next = self.shift.val();
        // Cycle 2: round half up: (product + 2^(shift−1)) >> shift is floor(product / 2^shift)
        // plus the bit just below the cut.
        self.cut.product.next = self.product_q.q.val();
        self.cut.shift.next = self.shift_q.q.val();
        self.rounded.next = self.cut.floor.val();
        if self.cut.round_up.val() {
            self.rounded.next = self.cut.floor.val() + self.one.val();
        }
        self.p_q.d.next = self.rounded.val();
        // Cycle 3: the caller's.
        self.p.next = self.p_q.q.val();
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

/// `floor(product / 2^shift)` and the bit just below the cut (`product`'s bit `shift − 1`,
/// none for a zero shift): the two halves of the model's `round_shift`.
#[derive(LogicBlock, Default)]
pub struct ShiftFloor {
    pub product: Signal<In, Signed<50>>,
    pub shift: Signal<In, Bits<6>>,
    pub floor: Signal<Out, Signed<48>>,
    pub round_up: Signal<Out, Bit>,
}

impl Logic for ShiftFloor {
    fn update(&mut self) {
        let product = to_i64(self.product.val());
        let shift = self.shift.val().to_u32();
        self.floor.next = from_i64(product >> shift);
        self.round_up.next = shift != 0 && (product >> (shift - 1)) & 1 == 1;
    }

    fn connect(&mut self) {
        self.floor.connect();
        self.round_up.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(
            "\
wire signed [49:0] shifted = product >>> shift;
wire signed [63:0] extended = product;  // bit shift - 1 exists for every shift (sign above 49)
always @(*) begin
    floor = shifted[47:0];
    round_up = (shift != 6'd0) && extended[shift - 6'd1];
end
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
