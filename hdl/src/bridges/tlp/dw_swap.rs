//! `DwSwap`: reverses the bytes of each 32-bit half of a 64-bit word: payload DWs between
//! the 7-series block's AXI-Stream order (lowest address in bits 31:24, PG054) and
//! little-endian registers and host memory.

use rust_hdl::prelude::*;

#[derive(LogicBlock, Default)]
pub struct DwSwap {
    pub a: Signal<In, Bits<64>>,
    pub y: Signal<Out, Bits<64>>,
}

impl Logic for DwSwap {
    #[hdl_gen]
    fn update(&mut self) {
        self.y.next = (bit_cast::<64, 8>(self.a.val().get_bits::<8>(0)) << 24)
            | (bit_cast::<64, 8>(self.a.val().get_bits::<8>(8)) << 16)
            | (bit_cast::<64, 8>(self.a.val().get_bits::<8>(16)) << 8)
            | bit_cast::<64, 8>(self.a.val().get_bits::<8>(24))
            | (bit_cast::<64, 8>(self.a.val().get_bits::<8>(32)) << 56)
            | (bit_cast::<64, 8>(self.a.val().get_bits::<8>(40)) << 48)
            | (bit_cast::<64, 8>(self.a.val().get_bits::<8>(48)) << 40)
            | (bit_cast::<64, 8>(self.a.val().get_bits::<8>(56)) << 32);
    }
}
