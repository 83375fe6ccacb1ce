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
        Verilog::Custom(
            "\
wire [23:0] sat = (a > 32'hFFFFFF) ? 24'hFFFFFF : a[23:0];  // min(a, 2^24 - 1)
reg [4:0] lz;  // leading zeros of the 24-bit value
integer i;
always @(*) begin
    lz = 5'd24;
    for (i = 0; i < 24; i = i + 1)
        if (sat[i]) lz = 5'd23 - i[4:0];
end
wire [4:0] n = {lz[4:1], 1'b0};  // even shift
wire [23:0] normal = sat << n;   // in [2^22, 2^24)
always @(*) begin
    zero = (a == 32'd0);
    index = zero ? 8'd0 : normal[23:16];
    half_shift = zero ? 4'd0 : n[4:1];
end
"
            .into(),
        )
    }
}
