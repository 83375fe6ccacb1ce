//! The per-neuron random stream of the spec (`memfire_spec::rng`): one xorshift32 step,
//! and the approximately Gaussian integer `xi` = sum of the four bytes − 510.

use rust_hdl::prelude::*;

/// One xorshift32 step: `s ^= s << 13; s ^= s >> 17; s ^= s << 5`.
#[derive(LogicBlock, Default)]
pub struct Xorshift {
    pub state: Signal<In, Bits<32>>,
    pub drawn: Signal<Out, Bits<32>>,
    t1: Signal<Local, Bits<32>>,
    t2: Signal<Local, Bits<32>>,
}

impl Logic for Xorshift {
    #[hdl_gen]
    fn update(&mut self) {
        self.t1.next = self.state.val() ^ (self.state.val() << 13);
        self.t2.next = self.t1.val() ^ (self.t1.val() >> 17);
        self.drawn.next = self.t2.val() ^ (self.t2.val() << 5);
    }
}

/// `xi = b0 + b1 + b2 + b3 − 510` of a 32-bit draw: −510..=510, 11 bits signed (kept in 18
/// so it feeds a multiplier's coefficient port directly).
#[derive(LogicBlock)]
pub struct ByteSumGauss {
    pub draw: Signal<In, Bits<32>>,
    pub xi: Signal<Out, Signed<18>>,
    sum: Signal<Local, Bits<18>>,
    mean: Constant<Signed<18>>,
}

impl Default for ByteSumGauss {
    fn default() -> Self {
        Self {
            draw: Default::default(),
            xi: Default::default(),
            sum: Default::default(),
            mean: Constant::new(i64::from(memfire_spec::rng::XI_MEAN).to_signed_bits()),
        }
    }
}

impl Logic for ByteSumGauss {
    #[hdl_gen]
    fn update(&mut self) {
        // 0..=1020, 10 bits (held in 18)
        self.sum.next = bit_cast::<18, 8>(self.draw.val().get_bits::<8>(0))
            + bit_cast::<18, 8>(self.draw.val().get_bits::<8>(8))
            + bit_cast::<18, 8>(self.draw.val().get_bits::<8>(16))
            + bit_cast::<18, 8>(self.draw.val().get_bits::<8>(24));
        self.xi.next = signed_cast(self.sum.val()) - self.mean.val(); // integer, 11 bits
    }
}
