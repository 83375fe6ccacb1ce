//! `SqrtNorm`: the normalisation half of the square root (`memfire_spec::tables::
//! sqrt_normalize`): shift `a` left by an even amount into `[2^22, 2^24)` and keep its top
//! eight bits as the table index. The next pipeline stage reads the table and shifts back.
//!
//! The even shift is found by a binary search on the top bits (16, 8, 4, 2) rather than a
//! leading-zero loop (which synthesised to a priority chain). Its four levels of a zero test
//! and a 2:1 shift, after the |d1| that feeds them, take ~15.5 ns in one cycle on an
//! LFE5U-85F, so the search is split at a register. The first half (`NormCoarse`) takes the
//! 16- and 8-bit steps and decides the 4- and 2-bit ones too: their zero tests for either
//! outcome of the 8-bit step are made beside that step's own test, and its outcome picks
//! one, so deciding them adds no level. The second half (`NormFine`) only applies the two
//! decided shifts: each index bit is one 4:1 choice. The index leaves for the table's read
//! address (the neighbouring lane's too, through the block RAM's second port) at a single
//! LUT level after the register, which leaves the cycle to the route.
//! The operand is registered on entry, so the subtraction and sign choice that make |d1|
//! (11.7 ns with the first half) have a cycle of their own.
//! The outputs belong to the operand presented [`NORM_LATENCY`] rising edges earlier.

use rust_hdl::prelude::*;

/// Rising edges from `a` to `index`, `half_shift` and `zero`.
pub const NORM_LATENCY: usize = 2;

/// `|d1|` saturates to 24 bits before it is normalised.
const SAT: u32 = (1 << 24) - 1;

/// The search's decisions and the value after its first two steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coarse {
    /// `a` saturated to 24 bits and shifted left by 16 and/or 8 while its top bits are zero.
    pub n8: u32,
    /// The left shifts the search takes: by 16, 8, 4 and 2.
    pub s16: bool,
    pub s8: bool,
    pub s4: bool,
    pub s2: bool,
    /// `a` is zero.
    pub zero: bool,
}

/// The search's first half: the 16- and 8-bit steps, and the 4- and 2-bit decisions.
pub fn coarse(a: u32) -> Coarse {
    let sat = a.min(SAT);
    let s16 = sat >> 8 == 0;
    let n16 = if s16 { (sat << 16) & SAT } else { sat };
    let s8 = n16 >> 16 == 0;
    let n8 = if s8 { (n16 << 8) & SAT } else { n16 };
    let s4 = n8 >> 20 == 0;
    let n4 = if s4 { (n8 << 4) & SAT } else { n8 };
    let s2 = n4 >> 22 == 0;
    Coarse {
        n8,
        s16,
        s8,
        s4,
        s2,
        zero: a == 0,
    }
}

/// The search's second half: the 4- and 2-bit shifts applied, the table index (top eight
/// bits) and half the whole shift. Returns (index, half shift), both 0 when `a` was zero.
pub fn fine(c: Coarse) -> (u32, u32) {
    if c.zero {
        return (0, 0);
    }
    let n4 = if c.s4 { (c.n8 << 4) & SAT } else { c.n8 };
    let normal = if c.s2 { (n4 << 2) & SAT } else { n4 };
    let half = 8 * u32::from(c.s16) + 4 * u32::from(c.s8) + 2 * u32::from(c.s4) + u32::from(c.s2);
    (normal >> 16, half)
}

/// Square-root normalisation over two clock edges.
#[derive(LogicBlock, Default)]
pub struct SqrtNorm {
    pub clock: Signal<In, Clock>,
    /// Operand `|d1|`, Q1.23, 32 bits unsigned (values ≥ 2^24 saturate).
    pub a: Signal<In, Bits<32>>,
    /// Table index, 64..=255 (0 when `a` was zero), two cycles after `a`.
    pub index: Signal<Out, Bits<8>>,
    /// Half the normalising shift, 0..=11: the result is shifted right by this much.
    pub half_shift: Signal<Out, Bits<4>>,
    /// `a` was zero: the root is zero.
    pub zero: Signal<Out, Bit>,
    a_q: DFF<Bits<32>>,
    coarse: NormCoarse,
    n8_q: DFF<Bits<24>>,
    s16_q: DFF<Bit>,
    s8_q: DFF<Bit>,
    s4_q: DFF<Bit>,
    s2_q: DFF<Bit>,
    zero_q: DFF<Bit>,
    fine: NormFine,
}

impl Logic for SqrtNorm {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, a_q, n8_q, s16_q, s8_q, s4_q, s2_q, zero_q);
        self.a_q.d.next = self.a.val();
        self.coarse.a.next = self.a_q.q.val();
        self.n8_q.d.next = self.coarse.n8.val();
        self.s16_q.d.next = self.coarse.s16.val();
        self.s8_q.d.next = self.coarse.s8.val();
        self.s4_q.d.next = self.coarse.s4.val();
        self.s2_q.d.next = self.coarse.s2.val();
        self.zero_q.d.next = self.coarse.zero.val();
        self.fine.n8.next = self.n8_q.q.val();
        self.fine.s16.next = self.s16_q.q.val();
        self.fine.s8.next = self.s8_q.q.val();
        self.fine.s4.next = self.s4_q.q.val();
        self.fine.s2.next = self.s2_q.q.val();
        self.fine.zero.next = self.zero_q.q.val();
        self.index.next = self.fine.index.val();
        self.half_shift.next = self.fine.half_shift.val();
        self.zero.next = self.zero_q.q.val();
    }
}

/// [`coarse`] as a combinational leaf.
#[derive(LogicBlock, Default)]
pub struct NormCoarse {
    pub a: Signal<In, Bits<32>>,
    pub n8: Signal<Out, Bits<24>>,
    pub s16: Signal<Out, Bit>,
    pub s8: Signal<Out, Bit>,
    pub s4: Signal<Out, Bit>,
    pub s2: Signal<Out, Bit>,
    pub zero: Signal<Out, Bit>,
}

impl Logic for NormCoarse {
    fn update(&mut self) {
        let c = coarse(self.a.val().to_u32());
        self.n8.next = u64::from(c.n8).into();
        self.s16.next = c.s16;
        self.s8.next = c.s8;
        self.s4.next = c.s4;
        self.s2.next = c.s2;
        self.zero.next = c.zero;
    }

    fn connect(&mut self) {
        self.n8.connect();
        self.s16.connect();
        self.s8.connect();
        self.s4.connect();
        self.s2.connect();
        self.zero.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(
            "\
wire [23:0] sat = (|a[31:24]) ? 24'hFFFFFF : a[23:0];  // min(a, 2^24 - 1)
wire [23:0] n16 = (~|sat[23:8]) ? {sat[7:0], 16'd0} : sat;
// The 4- and 2-bit steps' tests for n8 = n16 (s8 clear) and n8 = n16 << 8 (s8 set).
wire s4_keep = ~|n16[23:20];
wire s4_moved = ~|n16[15:12];
wire s2_keep = s4_keep ? ~|n16[19:18] : ~|n16[23:22];
wire s2_moved = s4_moved ? ~|n16[11:10] : ~|n16[15:14];
always @(*) begin
    s16 = ~|sat[23:8];
    s8 = ~|n16[23:16];
    n8 = s8 ? {n16[15:0], 8'd0} : n16;
    s4 = s8 ? s4_moved : s4_keep;
    s2 = s8 ? s2_moved : s2_keep;
    zero = (a == 32'd0);
end
"
            .into(),
        )
    }
}

/// [`fine`] as a combinational leaf.
#[derive(LogicBlock, Default)]
pub struct NormFine {
    pub n8: Signal<In, Bits<24>>,
    pub s16: Signal<In, Bit>,
    pub s8: Signal<In, Bit>,
    pub s4: Signal<In, Bit>,
    pub s2: Signal<In, Bit>,
    pub zero: Signal<In, Bit>,
    pub index: Signal<Out, Bits<8>>,
    pub half_shift: Signal<Out, Bits<4>>,
}

impl Logic for NormFine {
    fn update(&mut self) {
        let (index, half) = fine(Coarse {
            n8: self.n8.val().to_u32(),
            s16: self.s16.val(),
            s8: self.s8.val(),
            s4: self.s4.val(),
            s2: self.s2.val(),
            zero: self.zero.val(),
        });
        self.index.next = u64::from(index).into();
        self.half_shift.next = u64::from(half).into();
    }

    fn connect(&mut self) {
        self.index.connect();
        self.half_shift.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(
            "\
wire [23:0] n4 = s4 ? {n8[19:0], 4'd0} : n8;
wire [23:0] normal = s2 ? {n4[21:0], 2'd0} : n4;  // in [2^22, 2^24) unless a was zero
always @(*) begin
    // No test of `zero` here: a zero `a` leaves n8 zero, so the index is 0 already.
    index = normal[23:16];
    half_shift = zero ? 4'd0 : {s16, s8, s4, s2};  // half of 16·s16 + 8·s8 + 4·s4 + 2·s2
end
"
            .into(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::{coarse, fine};
    use memfire_spec::tables::sqrt_normalize;

    fn split(a: u32) -> Option<(u32, u32)> {
        let c = coarse(a);
        let (index, half) = fine(c);
        (!c.zero).then_some((index, half))
    }

    #[test]
    fn a_zero_operand_leaves_nothing_to_index() {
        // `NormFine`'s Verilog takes the index from `n8` without testing `zero`.
        let c = coarse(0);
        assert!(c.zero);
        assert_eq!(c.n8, 0);
    }

    #[test]
    fn the_two_halves_equal_the_models_normalisation() {
        // Every value below 2^20, then a stride through the rest of the 26-bit |d1| range
        // and each power of two with its neighbours (where the shift changes).
        let dense = 0..1u32 << 20;
        let sparse = (1u32 << 20..1 << 26).step_by(97);
        let edges = (0..32).flat_map(|k| {
            let p = 1u64 << k;
            [p - 1, p, p + 1].into_iter().filter_map(|x| u32::try_from(x).ok())
        });
        for a in dense.chain(sparse).chain(edges).chain([u32::MAX]) {
            let want = sqrt_normalize(a).map(|(index, half)| (index as u32, half));
            assert_eq!(split(a), want, "a = {a}");
        }
    }
}
