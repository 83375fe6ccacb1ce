//! `CoefPort`: one coefficient slot of all parameter sets (16 words of LUT RAM) with a
//! registered read by parameter-set number. The pipeline has one port per place a
//! coefficient is used, each read one cycle ahead with the set number of the neuron that
//! will be in that stage; all ports share the host's write bus.

use memfire_spec::coef_words::CoefSlot;
use rust_hdl::prelude::*;

/// A read port on coefficient slot `slot`.
#[derive(LogicBlock)]
pub struct CoefPort {
    pub clock: Signal<In, Clock>,
    /// Parameter set to read; the word appears on `word` after the next rising edge.
    pub set: Signal<In, Bits<4>>,
    pub word: Signal<Out, Bits<32>>,
    /// Host write bus: `addr = slot · 16 + set`.
    pub we: Signal<In, Bit>,
    pub addr: Signal<In, Bits<8>>,
    pub data: Signal<In, Bits<32>>,
    slot: Constant<Bits<4>>,
    words: RAM<Bits<32>, 4>,
}

impl CoefPort {
    pub fn new(slot: CoefSlot) -> CoefPort {
        CoefPort {
            clock: Default::default(),
            set: Default::default(),
            word: Default::default(),
            we: Default::default(),
            addr: Default::default(),
            data: Default::default(),
            slot: Constant::new((slot as u64).into()),
            words: Default::default(),
        }
    }
}

impl Logic for CoefPort {
    #[hdl_gen]
    fn update(&mut self) {
        self.words.read_clock.next = self.clock.val();
        self.words.write_clock.next = self.clock.val();
        self.words.read_address.next = self.set.val();
        self.word.next = self.words.read_data.val();
        self.words.write_address.next = self.addr.val().get_bits::<4>(0);
        self.words.write_data.next = self.data.val();
        self.words.write_enable.next = self.we.val() & (self.addr.val().get_bits::<4>(4) == self.slot.val());
    }
}
