//! `DriveIndex`: which of the 1024 drive-table entries covers `e = |1 − x|` (Q1.23):
//! `memfire_spec::tables::drive_index`, eight log segments by leading-zero count and 128
//! bins each. A priority encoder plus two shifters; the Verilog is written out because
//! rust-hdl's `hdl_gen` has no leading-zero count.

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
wire [22:0] field = (e > 25'h7FFFFF) ? 23'h7FFFFF : e[22:0];  // min(e, 1 - 1 LSB), 23 bits
reg [4:0] lz;  // leading zeros inside the 23-bit field, 0..=23
integer i;
always @(*) begin
    lz = 5'd23;
    for (i = 0; i < 23; i = i + 1)
        if (field[i]) lz = 5'd22 - i[4:0];
end
wire [2:0] seg = (lz > 5'd7) ? 3'd7 : lz[2:0];
wire [3:0] log_shift = 4'd15 - ((seg > 3'd6) ? 4'd6 : {1'b0, seg});
wire [6:0] log_bin = field >> log_shift;  // 7 bits after the leading one
wire [6:0] lin_bin = field[15:9];         // segment 7: 128 equal bins below 2^16
always @(*) index = {seg, (lz < 5'd7) ? log_bin : lin_bin};
"
            .into(),
        )
    }
}
