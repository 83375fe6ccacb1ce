//! `SqrtNorm`: the normalisation half of the square root (`memfire_spec::tables::
//! sqrt_normalize`): shift `a` left by an even amount into `[2^22, 2^24)` and keep its top
//! eight bits as the table index. The next pipeline stage reads the table and shifts back.

use memfire_spec::tables::sqrt_normalize;
use rust_hdl::prelude::*;

/// Combinational square-root normalisation.
#[derive(LogicBlock, Default)]
pub struct SqrtNorm {
    /// Operand `|d1|`, Q1.23, 32 bits unsigned (values ≥ 2^24 saturate).
    pub a: Signal<In, Bits<32>>,
    /// Table index, 64..=255 (0 when `a` is zero).
    pub index: Signal<Out, Bits<8>>,
    /// Half the normalising shift, 0..=11: the result is shifted right by this much.
    pub half_shift: Signal<Out, Bits<4>>,
    /// `a` is zero: the root is zero.
    pub zero: Signal<Out, Bit>,
}

impl Logic for SqrtNorm {
    fn update(&mut self) {
        let (index, half, zero) = match sqrt_normalize(self.a.val().to_u32()) {
            Some((index, half)) => (index as u64, u64::from(half), false),
            None => (0, 0, true),
        };
        self.index.next = index.into();
        self.half_shift.next = half.into();
        self.zero.next = zero;
    }

    fn connect(&mut self) {
        self.index.connect();
        self.half_shift.connect();
        self.zero.connect();
    }

    fn hdl(&self) -> Verilog {
        // The even shift is found by a binary search on the top bits (16, 8, 4, 2) rather
        // than a leading-zero loop: four levels of a zero test and a 2:1 shift, where the
        // loop synthesised to a priority chain on the core's longest path.
        Verilog::Custom(
            "\
wire [23:0] sat = (|a[31:24]) ? 24'hFFFFFF : a[23:0];  // min(a, 2^24 - 1)
wire s16 = ~|sat[23:8];
wire [23:0] n16 = s16 ? {sat[7:0], 16'd0} : sat;
wire s8 = ~|n16[23:16];
wire [23:0] n8 = s8 ? {n16[15:0], 8'd0} : n16;
wire s4 = ~|n8[23:20];
wire [23:0] n4 = s4 ? {n8[19:0], 4'd0} : n8;
wire s2 = ~|n4[23:22];
wire [23:0] normal = s2 ? {n4[21:0], 2'd0} : n4;  // in [2^22, 2^24) unless a is zero
always @(*) begin
    zero = (a == 32'd0);
    index = zero ? 8'd0 : normal[23:16];
    half_shift = zero ? 4'd0 : {s16, s8, s4, s2};  // half of 16·s16 + 8·s8 + 4·s4 + 2·s2
end
"
            .into(),
        )
    }
}
