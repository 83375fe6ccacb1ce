//! `SpikeMask`: the lanes' spike flags of the group leaving the lanes, as the spike
//! queue's mask (bit i: lane i fired).

use rust_hdl::prelude::*;

use super::lane_bits;

#[derive(LogicBlock)]
pub struct SpikeMask<const P: usize> {
    pub spike: [Signal<In, Bit>; P],
    pub mask: Signal<Out, Bits<32>>,
    /// `chain[i]`: the fired lanes among 0..=i, a chain in which each link reads the one
    /// before it, never one after (the Verilog is one always block run top to bottom).
    chain: [Signal<Local, Bits<32>>; P],
    lane_bit: [Constant<Bits<32>>; P],
}

impl<const P: usize> Default for SpikeMask<P> {
    fn default() -> Self {
        Self {
            spike: core::array::from_fn(|_| Default::default()),
            mask: Default::default(),
            chain: core::array::from_fn(|_| Default::default()),
            lane_bit: lane_bits::<P>(),
        }
    }
}

impl<const P: usize> Logic for SpikeMask<P> {
    #[hdl_gen]
    fn update(&mut self) {
        for i in 0..P {
            self.chain[i].next = bits::<32>(0);
            if self.spike[i].val() {
                self.chain[i].next = self.lane_bit[i].val();
            }
        }
        for i in 1..P {
            self.chain[i].next = self.chain[i - 1].val();
            if self.spike[i].val() {
                self.chain[i].next = self.chain[i - 1].val() | self.lane_bit[i].val();
            }
        }
        self.mask.next = bits::<32>(0);
        for i in (P - 1)..P {
            self.mask.next = self.chain[i].val();
        }
    }
}
