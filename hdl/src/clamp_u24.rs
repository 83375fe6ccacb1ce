//! `ClampU24`: `y = clamp(a, 0, 2^24 − 1)` found from the top bits instead of two 48-bit
//! comparisons: `a` is negative when bit 47 is set and too large when any of bits 24..47
//! is. The input voltage (`0..=U_MAX`) and `[u − v]+` (`0..=SAT_MAX`) have exactly these
//! bounds, and both sit in the pipeline's first cycle, where two clamps and a subtraction
//! in a row were the longest path once the products were registered.

use memfire_spec::fixed::{SAT_MAX, U_MAX};
use rust_hdl::prelude::*;

const MAX: i64 = (1 << 24) - 1;
const _: () = assert!(U_MAX as i64 == MAX && SAT_MAX == MAX, "both bounds are 2^24 - 1");

#[derive(LogicBlock)]
pub struct ClampU24 {
    pub a: Signal<In, Signed<48>>,
    pub y: Signal<Out, Signed<48>>,
    /// `a` as bits, and its bits 24..48: everything at and above 2^24, sign included.
    bits: Signal<Local, Bits<48>>,
    top: Signal<Local, Bits<24>>,
    zero: Constant<Signed<48>>,
    max: Constant<Signed<48>>,
}

impl Default for ClampU24 {
    fn default() -> Self {
        Self {
            a: Default::default(),
            y: Default::default(),
            bits: Default::default(),
            top: Default::default(),
            zero: Constant::new(0i64.to_signed_bits()),
            max: Constant::new(MAX.to_signed_bits()),
        }
    }
}

impl Logic for ClampU24 {
    #[hdl_gen]
    fn update(&mut self) {
        // (Verilog cannot slice an expression: the cast gets a signal of its own.)
        self.bits.next = unsigned_cast(self.a.val());
        self.top.next = self.bits.val().get_bits::<24>(24);
        self.y.next = self.a.val();
        if self.top.val().any() {
            self.y.next = self.max.val();
            if self.top.val().get_bit(23) {
                self.y.next = self.zero.val();
            }
        }
    }
}
