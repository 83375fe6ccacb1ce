//! `MulRound`: `p = round_half_up(a · k / 2^shift)`, the one multiply of the fixed-point
//! model (`memfire_spec::coefficient::Coef::apply`), over three clock edges: the product
//! (on an ECP5 its two partial products) and the rounding half the shift asks for are
//! registered, then their sum, then the floor shift of it, which `p` shows for the caller's
//! logic in the fourth cycle. `p` belongs to the operands presented three rising edges
//! earlier ([`MUL_LATENCY`]). Every operand `a` of the neuron update fits 25 bits signed
//! (the model saturates or clamps each to 25 bits), so one product is 25 × 18: one DSP48E1
//! on a Xilinx 7 series, two MULT18X18D on an ECP5 ([`DspFamily`]).
//!
//! Why four cycles, on an LFE5U-85F: multiply, shift, rounding increment and the caller's
//! saturation in one cycle take ~25 ns; a shift with a wide increment behind it alone takes
//! ~12 ns (a 64-way shift is five LUT levels, then the increment's carry chain), and the
//! multiply cycle is ~10 ns before any adder (a MULT18X18D is 3.9 ns and the routing into
//! and out of the DSP row 2–3 ns each). So the DSP blocks' outputs go straight into
//! registers; the next cycle joins the two partial products and the rounding half in one
//! 44-bit adder; the shift has a cycle of its own; the caller's logic another.
//!
//! On a Xilinx 7 series the DSP48E1 does all of the first two cycles: yosys packs the
//! product register into the block and the rounding half's add into its post-adder, with
//! the sum in the block's output register (`JoinProducts`).
//!
//! rust-hdl multiplies only 16-bit values, so the products, the join and the shift are
//! leaves with their own Verilog (signed wires, which synthesis maps to one DSP block per
//! partial product and carry chains); their simulation uses 64-bit integers. The registers
//! between them are rust-hdl's own DFFs.

use rust_hdl::prelude::*;

use crate::arith::dsp_family::DspFamily;

/// Rising edges from `MulRound`'s operands to its result.
pub const MUL_LATENCY: usize = 3;

/// Signed 25-bit × signed 18-bit product, rounded half up and shifted right by 0..=63,
/// three clock edges after the operands, from a register.
#[derive(LogicBlock, Default)]
pub struct MulRound {
    pub clock: Signal<In, Clock>,
    /// Operand, any Q format, 25 bits signed.
    pub a: Signal<In, Signed<25>>,
    /// Coefficient mantissa (or a second operand), 18 bits signed.
    pub k: Signal<In, Signed<18>>,
    /// Right shift applied after rounding.
    pub shift: Signal<In, Bits<6>>,
    /// `(a·k + 2^(shift−1)) >> shift` of the operands three cycles ago, 48 bits signed
    /// (|a·k| ≤ 2^41).
    pub p: Signal<Out, Signed<48>>,
    products: PartialProducts,
    rounding: RoundingHalf,
    half_q: DFF<Signed<44>>,
    shift_q: DFF<Bits<6>>,
    adder: JoinProducts,
    sum_q: DFF<Signed<44>>,
    shift_qq: DFF<Bits<6>>,
    cut: ShiftFloor,
    p_q: DFF<Signed<48>>,
}

impl MulRound {
    /// A multiply shaped for `family`'s multiplier blocks.
    pub fn for_family(family: DspFamily) -> Self {
        Self::shaped(family, OperandShape::Full)
    }

    /// A multiply whose operand `a` always fits 18 bits signed (the caller's promise): one
    /// MULT18X18D on an ECP5.
    pub fn narrow_operand(family: DspFamily) -> Self {
        Self::shaped(family, OperandShape::Narrow)
    }

    /// A multiply whose `k` is a constant, which synthesis folds (into wiring, for a power
    /// of two): no multiplier block is instantiated for it.
    pub fn constant_coefficient(family: DspFamily) -> Self {
        Self::shaped(family, OperandShape::ConstantK)
    }

    fn shaped(family: DspFamily, shape: OperandShape) -> Self {
        Self {
            products: PartialProducts::shaped(family, shape),
            adder: JoinProducts::for_family(family),
            cut: ShiftFloor::for_family(family),
            ..Default::default()
        }
    }
}

impl Logic for MulRound {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, half_q, shift_q, sum_q, shift_qq, p_q);
        // Cycle 1: the DSP blocks, their products registered in them; the rounding half
        // from the shift amount.
        self.products.clock.next = self.clock.val();
        self.products.a.next = self.a.val();
        self.products.k.next = self.k.val();
        self.rounding.shift.next = self.shift.val();
        self.half_q.d.next = self.rounding.half.val();
        self.shift_q.d.next = self.shift.val();
        // Cycle 2: a·k + 2^(shift−1) in one adder.
        self.adder.lo.next = self.products.lo.val();
        self.adder.hi.next = self.products.hi.val();
        self.adder.half.next = self.half_q.q.val();
        self.sum_q.d.next = self.adder.sum.val();
        self.shift_qq.d.next = self.shift_q.q.val();
        // Cycle 3: round half up is floor((a·k + 2^(shift−1)) / 2^shift).
        self.cut.sum.next = self.sum_q.q.val();
        self.cut.shift.next = self.shift_qq.q.val();
        self.p_q.d.next = self.cut.floor.val();
        // Cycle 4: the caller's.
        self.p.next = self.p_q.q.val();
    }
}

/// `a · k` as `lo + hi · 2^17`, registered at the clock edge, shaped for a family's
/// multiplier blocks. ECP5: two MULT18X18D, `lo = a[16:0] · k` (a's low bits unsigned,
/// 35 bits signed) and `hi = a[24:17] · k` (26 bits signed). Xilinx 7: one DSP48E1,
/// `lo = a · k` (43 bits signed) and `hi = 0`.
///
/// The products' register is the multiplier block's own: on a Xilinx 7 series yosys packs
/// the register of `lo` into the DSP48E1 (its M register); on an ECP5 yosys maps a multiply
/// to MULT18X18D with every register bypassed, so the blocks are instantiated with their
/// output registers on (`REG_OUTPUT_CLK`). A multiply's cycle then ends inside the block,
/// not a route away from it at a slice's flip-flops: the route out of the DSP row (2–3 ns
/// on an LFE5U-85F) moves into the next cycle, which has only the join's adder. Yosys
/// defines `SYNTHESIS`; a simulator (Verilator) reads the same registered multiply written
/// as behaviour, since the primitive is the vendor's.
#[derive(LogicBlock, Default)]
pub struct PartialProducts {
    pub clock: Signal<In, Clock>,
    pub a: Signal<In, Signed<25>>,
    pub k: Signal<In, Signed<18>>,
    pub lo: Signal<Out, Signed<43>>,
    pub hi: Signal<Out, Signed<26>>,
    _family: DspFamily,
    _shape: OperandShape,
}

/// What a multiply's operands let its ECP5 shape drop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OperandShape {
    /// `a` any 25-bit value: two MULT18X18D.
    #[default]
    Full,
    /// `a` fits 18 bits signed: one MULT18X18D, `hi = 0`.
    Narrow,
    /// `k` a constant: the multiply written as behaviour, so synthesis folds it, and its
    /// register in slices.
    ConstantK,
}

impl PartialProducts {
    pub fn shaped(family: DspFamily, shape: OperandShape) -> Self {
        Self {
            _family: family,
            _shape: shape,
            ..Default::default()
        }
    }
}

impl Logic for PartialProducts {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            let a = to_i64(self.a.val());
            let k = to_i64(self.k.val());
            let (lo, hi) = match (self._family, self._shape) {
                (DspFamily::Ecp5, OperandShape::Full) => ((a & 0x1_ffff) * k, (a >> 17) * k),
                _ => (a * k, 0),
            };
            self.lo.next = from_i64(lo);
            self.hi.next = from_i64(hi);
        }
    }

    fn connect(&mut self) {
        self.lo.connect();
        self.hi.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(match (self._family, self._shape) {
            (DspFamily::Ecp5, OperandShape::Full) => format!(
                "\
wire signed [17:0] a_lo = {{1'b0, a[16:0]}};
wire signed [17:0] a_hi = {{{{10{{a[24]}}}}, a[24:17]}};
`ifdef SYNTHESIS
wire [35:0] p_lo;
wire [35:0] p_hi;
{mult_lo}
{mult_hi}
always @(*) begin
    lo = $signed(p_lo[34:0]);
    hi = $signed(p_hi[25:0]);
end
`else
always @(posedge clock) begin
    lo <= a_lo * k;
    hi <= a_hi * k;
end
`endif
",
                mult_lo = mult18x18d_registered("mult_lo", "a_lo", "p_lo"),
                mult_hi = mult18x18d_registered("mult_hi", "a_hi", "p_hi"),
            ),
            (DspFamily::Ecp5, OperandShape::Narrow) => format!(
                "\
wire signed [17:0] a_18 = a[17:0];
`ifdef SYNTHESIS
wire [35:0] p_18;
{mult}
always @(*) begin
    lo = $signed(p_18);
    hi = 26'sd0;
end
`else
always @(posedge clock) begin
    lo <= a_18 * k;
    hi <= 26'sd0;
end
`endif
",
                mult = mult18x18d_registered("mult_18", "a_18", "p_18"),
            ),
            // Synthesis's own multiply: on a Xilinx 7 one DSP48E1 with its M register; on
            // an ECP5 a constant k, folded.
            (DspFamily::Ecp5, OperandShape::ConstantK) | (DspFamily::Xilinx7, _) => "\
always @(posedge clock) begin
    lo <= a * k;
    hi <= 26'sd0;
end
"
            .to_string(),
        })
    }
}

/// An ECP5 MULT18X18D, signed 18 × 18 of `a` and the leaf's `k` into `p`, its inputs
/// unregistered and its output register on `clock` (always enabled, never reset).
fn mult18x18d_registered(name: &str, a: &str, p: &str) -> String {
    let bus = |port: char, signal: &str, bits: usize| -> String {
        (0..bits)
            .map(|i| format!(".{port}{i}({signal}[{i}])"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let zeros = (0..18).map(|i| format!(".C{i}(1'b0)")).collect::<Vec<_>>().join(", ");
    format!(
        "\
MULT18X18D #(
    .REG_INPUTA_CLK(\"NONE\"), .REG_INPUTB_CLK(\"NONE\"), .REG_INPUTC_CLK(\"NONE\"),
    .REG_PIPELINE_CLK(\"NONE\"),
    .REG_OUTPUT_CLK(\"CLK0\"), .REG_OUTPUT_CE(\"CE0\"), .REG_OUTPUT_RST(\"RST0\"),
    .GSR(\"DISABLED\"), .RESETMODE(\"SYNC\")
) {name} (
    {a_bus},
    {k_bus},
    {zeros},
    .SIGNEDA(1'b1), .SIGNEDB(1'b1), .SOURCEA(1'b0), .SOURCEB(1'b0),
    .CLK0(clock), .CLK1(1'b0), .CLK2(1'b0), .CLK3(1'b0),
    .CE0(1'b1), .CE1(1'b1), .CE2(1'b1), .CE3(1'b1),
    .RST0(1'b0), .RST1(1'b0), .RST2(1'b0), .RST3(1'b0),
    {p_bus}
);",
        a_bus = bus('A', a, 18),
        k_bus = bus('B', "k", 18),
        p_bus = bus('P', p, 36),
    )
}

/// The rounding half for a right shift: 2^(shift−1), none for a zero shift, capped at
/// 2^42. Any shift from 43 up gives 0 for |a·k| ≤ 2^41 (the sum lies in 0..2^shift), and
/// with the half capped for those shifts the sum still lies in 0..2^43, which they floor to
/// 0 as well: the cap changes no result. With it the sum fits 44 bits signed, so the add
/// and the shift after it are 44 bits wide, and on a Xilinx 7 series the add fits the
/// DSP48E1's 48-bit post-adder.
#[derive(LogicBlock, Default)]
pub struct RoundingHalf {
    pub shift: Signal<In, Bits<6>>,
    pub half: Signal<Out, Signed<44>>,
}

impl Logic for RoundingHalf {
    fn update(&mut self) {
        let shift = self.shift.val().to_u32();
        self.half.next = from_i64(rounding_half(shift));
    }

    fn connect(&mut self) {
        self.half.connect();
    }

    /// One comparison a bit: the shift comes straight from a coefficient table's read
    /// register, and a subtract with a 44-way shift behind it is a deeper path than six
    /// shift bits compared to a constant.
    fn hdl(&self) -> Verilog {
        let cap = HALF_CAP_SHIFT as usize;
        let mut text = String::from("always @(*) begin\n");
        for bit in 0..cap - 1 {
            text.push_str(&format!("    half[{bit}] = shift == 6'd{};\n", bit + 1));
        }
        text.push_str(&format!("    half[{}] = shift >= 6'd{cap};\n", cap - 1));
        text.push_str(&format!("    half[{cap}] = 1'b0;\n"));
        text.push_str("end\n");
        Verilog::Custom(text)
    }
}

/// `lo + hi · 2^17 + half`: the product joined and the rounding half added, 44 bits
/// signed (|a·k| ≤ 2^41, half ≤ 2^42). On an ECP5 the three are first reduced to two
/// (their bitwise sum and their carries, one LUT level) so one carry chain follows the
/// partial products' route out of the DSP row, not two chained adders: the sum is the
/// same modulo 2^44. On a Xilinx 7 series `hi` is 0, so the sum is an add of the product
/// register and the half's: the DSP48E1's post-adder, its result in the block's output
/// register.
#[derive(LogicBlock, Default)]
pub struct JoinProducts {
    pub lo: Signal<In, Signed<43>>,
    pub hi: Signal<In, Signed<26>>,
    pub half: Signal<In, Signed<44>>,
    pub sum: Signal<Out, Signed<44>>,
    _family: DspFamily,
}

impl JoinProducts {
    pub fn for_family(family: DspFamily) -> Self {
        Self {
            _family: family,
            ..Default::default()
        }
    }
}

impl Logic for JoinProducts {
    fn update(&mut self) {
        let (lo, hi, half) = (to_i64(self.lo.val()), to_i64(self.hi.val()), to_i64(self.half.val()));
        self.sum.next = from_i64(lo + (hi << 17) + half);
    }

    fn connect(&mut self) {
        self.sum.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(
            match self._family {
                DspFamily::Ecp5 => {
                    "\
wire signed [43:0] lo_wide = lo;
wire signed [43:0] hi_wide = hi;
wire [43:0] hi_shifted = hi_wide <<< 17;
// Carry-save: three addends become a sum word and a carry word.
wire [43:0] bitwise = lo_wide ^ hi_shifted ^ half;
wire [43:0] carries = (lo_wide & hi_shifted) | (lo_wide & half) | (hi_shifted & half);
always @(*) sum = bitwise + {carries[42:0], 1'b0};
"
                }
                DspFamily::Xilinx7 => {
                    "\
wire signed [43:0] lo_wide = lo;
always @(*) sum = lo_wide + half;  // the DSP48E1's post-adder
"
                }
            }
            .into(),
        )
    }
}

/// `floor(sum / 2^shift)`: an arithmetic shift right by 0..=63 of a 44-bit sum, sign-extended
/// to 48 bits.
///
/// A lane has ten of these shifts by a coefficient word's amount, which no synthesis folds,
/// and on an ECP5 they are most of its logic. There it is written as six stages of two-way
/// multiplexers, the largest shift first: yosys maps `sum >>> shift` itself to ~620 LUT4,
/// 280 PFUMX and 130 L6MUX21 a shift, these stages to about half of that (one lane's
/// pipeline, `gen neuron_pipe --family ecp5`: 8.8 k against 6.1 k LUT4, `docs/timing.md`).
/// Each stage shifts a signed value arithmetically, so together they shift by the sum of the
/// stages' amounts, and any shift from 44 up leaves the sign in every bit, as `>>>` does. On
/// a Xilinx 7 series, whose six-input LUTs take a four-way multiplexer each, yosys's own
/// mapping of `>>>` is the smaller (3.98 k against 4.12 k LUTs for the pipeline), so it stays.
#[derive(LogicBlock, Default)]
pub struct ShiftFloor {
    pub sum: Signal<In, Signed<44>>,
    pub shift: Signal<In, Bits<6>>,
    pub floor: Signal<Out, Signed<48>>,
    _family: DspFamily,
}

impl ShiftFloor {
    pub fn for_family(family: DspFamily) -> Self {
        Self {
            _family: family,
            ..Default::default()
        }
    }
}

impl Logic for ShiftFloor {
    fn update(&mut self) {
        self.floor.next = from_i64(to_i64(self.sum.val()) >> self.shift.val().to_u32());
    }

    fn connect(&mut self) {
        self.floor.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(
            match self._family {
                DspFamily::Ecp5 => {
                    "\
wire signed [43:0] by32 = shift[5] ? (sum >>> 32) : sum;
wire signed [43:0] by16 = shift[4] ? (by32 >>> 16) : by32;
wire signed [43:0] by8 = shift[3] ? (by16 >>> 8) : by16;
wire signed [43:0] by4 = shift[2] ? (by8 >>> 4) : by8;
wire signed [43:0] by2 = shift[1] ? (by4 >>> 2) : by4;
wire signed [43:0] by1 = shift[0] ? (by2 >>> 1) : by2;
always @(*) floor = by1;
"
                }
                DspFamily::Xilinx7 => {
                    "\
wire signed [43:0] shifted = sum >>> shift;
always @(*) floor = shifted;
"
                }
            }
            .into(),
        )
    }
}

/// The shift whose rounding half, 2^42, every larger shift gets too (see [`RoundingHalf`]).
const HALF_CAP_SHIFT: u32 = 43;

/// [`RoundingHalf`]'s value for `shift`.
fn rounding_half(shift: u32) -> i64 {
    if shift == 0 {
        0
    } else {
        1i64 << (shift.min(HALF_CAP_SHIFT) - 1)
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

#[cfg(test)]
mod tests {
    use super::*;
    use memfire_spec::fixed::round_shift;

    /// The 44-bit sum and the capped half give `round_shift` for every shift, at the
    /// operands' extremes and around zero. (Up to 62: `round_shift`'s own half, 2^62, is
    /// the largest an `i64` holds; the multiply gives 0 at 63, the true rounded value.)
    #[test]
    fn the_narrow_sum_rounds_as_the_model_for_every_shift() {
        let operands_a = [-(1i64 << 24), -(1 << 24) + 1, -12345, -1, 0, 1, 777, (1 << 24) - 1];
        let operands_k = [-(1i64 << 17), -(1 << 17) + 1, -3, -1, 0, 1, 5, (1 << 17) - 1];
        for a in operands_a {
            for k in operands_k {
                for shift in 0..63u32 {
                    let sum: Signed<44> = from_i64(a * k + rounding_half(shift));
                    let built = to_i64(sum) >> shift;
                    assert_eq!(built, round_shift(a * k, shift), "a {a}, k {k}, shift {shift}");
                }
            }
        }
    }
}
