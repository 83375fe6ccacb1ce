//! `DriveIndex`: which of the 1024 drive-table entries covers `e = |1 − x|` (Q1.23):
//! `memfire_spec::tables::drive_index`, eight log segments by leading-zero count and 128
//! bins each. One priority choice on the leading one (each segment's bin is a fixed slice
//! of `e`); the Verilog is written out because rust-hdl's `hdl_gen` has no `casez`.

use memfire_spec::tables::drive_index;
use rust_hdl::prelude::*;

/// Combinational drive-table index.
#[derive(LogicBlock, Default)]
pub struct DriveIndex {
    /// `|1 − x|`, Q1.23, 25 bits unsigned (values ≥ 1.0 use the last bin of segment 0).
    pub e: Signal<In, Bits<25>>,
    /// Table index: segment (3 bits) · 128 + bin (7 bits).
    pub index: Signal<Out, Bits<10>>,
}

impl Logic for DriveIndex {
    fn update(&mut self) {
        let e = self.e.val().to_u32();
        self.index.next = (drive_index(e) as u64).into();
    }

    fn connect(&mut self) {
        self.index.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(
            "\
// One priority choice on the leading one: segment s < 7 when the leading one of the 23-bit
// field is bit 22 - s (its bin: the 7 bits after it), segment 7 below 2^16 (bin: bits
// 15..9); e >= 1.0 is the last bin of segment 0. (One choice, not a leading-zero count and
// then a shifter by it: two deep steps in one cycle.)
always @(*) begin
    casez ({e[24] | e[23], e[22:16]})
        8'b1???????: index = {3'd0, 7'h7F};
        8'b01??????: index = {3'd0, e[21:15]};
        8'b001?????: index = {3'd1, e[20:14]};
        8'b0001????: index = {3'd2, e[19:13]};
        8'b00001???: index = {3'd3, e[18:12]};
        8'b000001??: index = {3'd4, e[17:11]};
        8'b0000001?: index = {3'd5, e[16:10]};
        8'b00000001: index = {3'd6, e[15:9]};
        default:     index = {3'd7, e[15:9]};
    endcase
end
"
            .into(),
        )
    }
}
