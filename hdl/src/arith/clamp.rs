//! `Clamp`: `y = min(max(a, lo), hi)` on 48-bit signed values: every saturation and range
//! limit of the fixed-point model (`sat25`, `clamp(0, X1_MAX)`, `max(0).min(x2max)`, …).

use rust_hdl::prelude::*;

/// Combinational clamp; `lo ≤ hi` is the caller's promise.
#[derive(LogicBlock, Default)]
pub struct Clamp {
    pub a: Signal<In, Signed<48>>,
    pub lo: Signal<In, Signed<48>>,
    pub hi: Signal<In, Signed<48>>,
    pub y: Signal<Out, Signed<48>>,
}

impl Logic for Clamp {
    #[hdl_gen]
    fn update(&mut self) {
        self.y.next = self.a.val();
        if self.a.val() < self.lo.val() {
            self.y.next = self.lo.val();
        }
        if self.a.val() > self.hi.val() {
            self.y.next = self.hi.val();
        }
    }
}
