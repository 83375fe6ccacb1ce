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
//! saturation in one cycle take ~25 ns; split after the product and after the shift, the
//! shift with its 48-bit increment still takes 12.2 ns (a 64-way shift is five LUT levels, and the increment's carry chain came after
//! them), and the multiply cycle is ~10 ns before any adder (a MULT18X18D is 3.9 ns and
//! the routing into and out of the DSP row 2–3 ns each). So the DSP blocks' outputs go
//! straight into registers; the next cycle joins the two partial products and the rounding
//! half in one adder; the shift has a cycle of its own; the caller's logic another.
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
    lo_q: DFF<Signed<43>>,
    hi_q: DFF<Signed<26>>,
    half_q: DFF<Signed<51>>,
    shift_q: DFF<Bits<6>>,
    adder: JoinProducts,
    sum_q: DFF<Signed<51>>,
    shift_qq: DFF<Bits<6>>,
    cut: ShiftFloor,
    p_q: DFF<Signed<48>>,
}

impl MulRound {
    /// A multiply shaped for `family`'s multiplier blocks.
    pub fn for_family(family: DspFamily) -> Self {
        Self {
            products: PartialProducts::for_family(family),
            rounding: RoundingHalf::for_family(family),
            adder: JoinProducts::for_family(family),
            ..Default::default()
        }
    }
}

impl Logic for MulRound {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, lo_q, hi_q, half_q, shift_q, sum_q, shift_qq, p_q);
        // Cycle 1: the DSP blocks; the rounding half from the shift amount.
        self.products.a.next = self.a.val();
        self.products.k.next = self.k.val();
        self.lo_q.d.next = self.products.lo.val();
        self.hi_q.d.next = self.products.hi.val();
        self.rounding.shift.next = self.shift.val();
        self.half_q.d.next = self.rounding.half.val();
        self.shift_q.d.next = self.shift.val();
        // Cycle 2: a·k + 2^(shift−1) in one adder.
        self.adder.lo.next = self.lo_q.q.val();
        self.adder.hi.next = self.hi_q.q.val();
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

/// `a · k` as `lo + hi · 2^17`, shaped for a family's multiplier blocks. ECP5: two
/// MULT18X18D, `lo = a[16:0] · k` (a's low bits unsigned, 35 bits signed) and
/// `hi = a[24:17] · k` (26 bits signed). Xilinx 7: one DSP48E1, `lo = a · k` (43 bits
/// signed) and `hi = 0`.
#[derive(LogicBlock, Default)]
pub struct PartialProducts {
    pub a: Signal<In, Signed<25>>,
    pub k: Signal<In, Signed<18>>,
    pub lo: Signal<Out, Signed<43>>,
    pub hi: Signal<Out, Signed<26>>,
    _family: DspFamily,
}

impl PartialProducts {
    pub fn for_family(family: DspFamily) -> Self {
        Self {
            _family: family,
            ..Default::default()
        }
    }
}

impl Logic for PartialProducts {
    fn update(&mut self) {
        let a = to_i64(self.a.val());
        let k = to_i64(self.k.val());
        let (lo, hi) = match self._family {
            DspFamily::Ecp5 => ((a & 0x1_ffff) * k, (a >> 17) * k),
            DspFamily::Xilinx7 => (a * k, 0),
        };
        self.lo.next = from_i64(lo);
        self.hi.next = from_i64(hi);
    }

    fn connect(&mut self) {
        self.lo.connect();
        self.hi.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(
            match self._family {
                DspFamily::Ecp5 => {
                    "\
wire signed [17:0] a_lo = {1'b0, a[16:0]};
wire signed [7:0] a_hi = a[24:17];
always @(*) begin
    lo = a_lo * k;  // 18 x 18 signed: one MULT18X18D
    hi = a_hi * k;  // 8 x 18 signed: one MULT18X18D
end
"
                }
                DspFamily::Xilinx7 => {
                    "\
always @(*) begin
    lo = a * k;  // 25 x 18 signed: one DSP48E1
    hi = 26'sd0;
end
"
                }
            }
            .into(),
        )
    }
}

/// The rounding half for a right shift: 2^(shift−1), none for a zero shift, capped. Any
/// shift from 43 up gives 0 for |a·k| ≤ 2^41 (the sum lies in 0..2^shift), and with the
/// half capped at 2^(cap−1) for those shifts the sum still lies in 0..2^cap, which they
/// floor to 0 as well: the cap changes no result. ECP5 caps at 2^49; Xilinx 7 at 2^42, so
/// that the product plus the half fits a DSP48E1's 48-bit post-adder and synthesis puts the
/// add inside the block (a 48-bit add in LUTs is ~100 LUTs, 13 of them a lane).
#[derive(LogicBlock, Default)]
pub struct RoundingHalf {
    pub shift: Signal<In, Bits<6>>,
    pub half: Signal<Out, Signed<51>>,
    _family: DspFamily,
}

impl RoundingHalf {
    pub fn for_family(family: DspFamily) -> Self {
        Self {
            _family: family,
            ..Default::default()
        }
    }

    /// The largest shift whose half is 2^(shift−1); larger shifts get this one's half.
    fn cap(&self) -> u32 {
        match self._family {
            DspFamily::Ecp5 => 50,
            DspFamily::Xilinx7 => 43,
        }
    }
}

impl Logic for RoundingHalf {
    fn update(&mut self) {
        let shift = self.shift.val().to_u32();
        self.half.next = from_i64(if shift == 0 {
            0
        } else {
            1i64 << (shift.min(self.cap()) - 1)
        });
    }

    fn connect(&mut self) {
        self.half.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(format!(
            "\
wire [5:0] half_at = (shift > 6'd{cap} ? 6'd{cap} : shift) - 6'd1;
always @(*) half = (shift == 6'd0) ? 51'sd0 : (51'sd1 <<< half_at);
",
            cap = self.cap()
        ))
    }
}

/// `lo + hi · 2^17 + half`: the product joined and the rounding half added, 51 bits
/// signed (|a·k| ≤ 2^41, half ≤ 2^49). On a Xilinx 7 series `hi` is 0 and the half
/// ≤ 2^42 (`RoundingHalf`), so the sum is a 48-bit add of the product register and the
/// half's: the DSP48E1's post-adder, its result in the block's output register.
#[derive(LogicBlock, Default)]
pub struct JoinProducts {
    pub lo: Signal<In, Signed<43>>,
    pub hi: Signal<In, Signed<26>>,
    pub half: Signal<In, Signed<51>>,
    pub sum: Signal<Out, Signed<51>>,
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
wire signed [50:0] lo_wide = lo;
wire signed [50:0] hi_wide = hi;
always @(*) sum = lo_wide + (hi_wide <<< 17) + half;
"
                }
                DspFamily::Xilinx7 => {
                    "\
wire signed [47:0] lo_wide = lo;
wire signed [47:0] sum48 = lo_wide + half[47:0];  // the DSP48E1's post-adder
always @(*) sum = sum48;
"
                }
            }
            .into(),
        )
    }
}

/// `floor(sum / 2^shift)`: an arithmetic shift right by 0..=63, 48 bits kept.
#[derive(LogicBlock, Default)]
pub struct ShiftFloor {
    pub sum: Signal<In, Signed<51>>,
    pub shift: Signal<In, Bits<6>>,
    pub floor: Signal<Out, Signed<48>>,
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
            "\
wire signed [50:0] shifted = sum >>> shift;
always @(*) floor = shifted[47:0];
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
