//! `Saturate`: `y = clamp(a, lo, 2^24 − 1)` found from the top bits instead of two 48-bit
//! comparisons, for the two ranges whose bounds are powers of two:
//! - `Saturate::default()`: the model's `sat25`, lo = SAT_MIN = −2^24 — the saturation of
//!   every product and sum to a 25-bit state word. `a` fits exactly when bits 24..48 are
//!   all equal.
//! - `Saturate::unsigned24()`: lo = 0 — the input voltage (`0..=U_MAX`) and `[u − v]+`
//!   (`0..=SAT_MAX`). `a` fits exactly when bits 24..48 are all zero.
//!
//! Both sit on long paths (after a product's rounding shift; two in a row with a subtraction
//! in the pipeline's first cycle), where comparisons' carry chains and the wide select cost
//! most.

use memfire_spec::fixed::{SAT_MAX, SAT_MIN, U_MAX};
use rust_hdl::prelude::*;

const _: () = assert!(
    SAT_MAX == (1 << 24) - 1 && U_MAX as i64 == SAT_MAX,
    "both upper bounds are 2^24 - 1"
);

#[derive(LogicBlock)]
pub struct Saturate {
    pub a: Signal<In, Signed<48>>,
    pub y: Signal<Out, Signed<48>>,
    /// `a` as bits, and its bits 24..48: the 25-bit sign and everything above it.
    bits: Signal<Local, Bits<48>>,
    top: Signal<Local, Bits<24>>,
    /// Negative values down to `lo` pass (signed range) or none do (unsigned range).
    signed_range: Constant<Bit>,
    lo: Constant<Signed<48>>,
    hi: Constant<Signed<48>>,
}

impl Saturate {
    fn with_floor(signed_range: bool, lo: i64) -> Self {
        Self {
            a: Default::default(),
            y: Default::default(),
            bits: Default::default(),
            top: Default::default(),
            signed_range: Constant::new(signed_range),
            lo: Constant::new(lo.to_signed_bits()),
            hi: Constant::new(SAT_MAX.to_signed_bits()),
        }
    }

    /// `clamp(a, 0, 2^24 − 1)`.
    pub fn unsigned24() -> Self {
        Self::with_floor(false, 0)
    }
}

impl Default for Saturate {
    /// `clamp(a, SAT_MIN, SAT_MAX)`.
    fn default() -> Self {
        Self::with_floor(true, SAT_MIN)
    }
}

impl Logic for Saturate {
    #[hdl_gen]
    fn update(&mut self) {
        // (Verilog cannot slice an expression: the cast gets a signal of its own.)
        self.bits.next = unsigned_cast(self.a.val());
        self.top.next = self.bits.val().get_bits::<24>(24);
        self.y.next = self.a.val();
        if self.top.val().any() & !(self.signed_range.val() & self.top.val().all()) {
            self.y.next = self.hi.val();
            if self.top.val().get_bit(23) {
                self.y.next = self.lo.val();
            }
        }
    }
}
