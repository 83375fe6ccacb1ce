//! `Saturate`: `y = clamp(a, SAT_MIN, SAT_MAX)` — the model's `sat25`, the saturation of
//! every product and sum to a 25-bit state word — found from the top bits instead of two
//! 48-bit comparisons: `a` fits in 25 signed bits exactly when bits 24..48 are all equal.
//! It sits on the longest path of every multiplying stage (product → round → shift →
//! saturate), where the comparisons' carry chains and the wide select cost most.

use memfire_spec::fixed::{SAT_MAX, SAT_MIN};
use rust_hdl::prelude::*;

#[derive(LogicBlock)]
pub struct Saturate {
    pub a: Signal<In, Signed<48>>,
    pub y: Signal<Out, Signed<48>>,
    /// `a` as bits, and its bits 24..48: the 25-bit sign and everything above it.
    bits: Signal<Local, Bits<48>>,
    top: Signal<Local, Bits<24>>,
    sat_min: Constant<Signed<48>>,
    sat_max: Constant<Signed<48>>,
}

impl Default for Saturate {
    fn default() -> Self {
        Self {
            a: Default::default(),
            y: Default::default(),
            bits: Default::default(),
            top: Default::default(),
            sat_min: Constant::new(SAT_MIN.to_signed_bits()),
            sat_max: Constant::new(SAT_MAX.to_signed_bits()),
        }
    }
}

impl Logic for Saturate {
    #[hdl_gen]
    fn update(&mut self) {
        // (Verilog cannot slice an expression: the cast gets a signal of its own.)
        self.bits.next = unsigned_cast(self.a.val());
        self.top.next = self.bits.val().get_bits::<24>(24);
        self.y.next = self.a.val();
        if self.top.val().any() & !self.top.val().all() {
            self.y.next = self.sat_max.val();
            if self.top.val().get_bit(23) {
                self.y.next = self.sat_min.val();
            }
        }
    }
}
