//! `Crc16Byte`: one byte into a running CRC-16/CCITT-FALSE (`memfire_spec::uart_proto`).
//! Eight dependent shift/xor steps; written as a Verilog loop because rust-hdl cannot read
//! back a signal it wrote earlier in the same update.

use memfire_spec::uart_proto::crc16_byte;
use rust_hdl::prelude::*;

#[derive(LogicBlock, Default)]
pub struct Crc16Byte {
    pub crc: Signal<In, Bits<16>>,
    pub octet: Signal<In, Bits<8>>,
    pub updated: Signal<Out, Bits<16>>,
}

impl Logic for Crc16Byte {
    fn update(&mut self) {
        let c = crc16_byte(self.crc.val().to_u16(), self.octet.val().to_u8());
        self.updated.next = u64::from(c).into();
    }

    fn connect(&mut self) {
        self.updated.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(
            "\
reg [15:0] c;
integer i;
always @(*) begin
    c = crc ^ {octet, 8'h00};
    for (i = 0; i < 8; i = i + 1)
        c = c[15] ? ((c << 1) ^ 16'h1021) : (c << 1);
    updated = c;
end
"
            .into(),
        )
    }
}
