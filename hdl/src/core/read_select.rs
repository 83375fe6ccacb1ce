//! `ReadSelect`: a register file's read word, two cycles after the index is given.
//!
//! The file compares the index against each register's offset (`hit[i]`, which it also uses
//! for its writes); this block registers those comparisons, then takes the one hit register's
//! word (`word[i]`, given the cycle after) into `value`. At most one register is hit, so the
//! words masked by their hits are OR-ed, which synthesis balances into a tree a few LUTs
//! deep; an `if` chain on the registered hits would keep its priority, one multiplexer after
//! another, because synthesis no longer sees separately registered hits as one-hot. An index
//! that names no register reads 0.

use rust_hdl::prelude::*;

#[derive(LogicBlock)]
pub struct ReadSelect<const N: usize> {
    pub clock: Signal<In, Clock>,
    /// The index names the i-th register (this cycle's comparison).
    pub hit: [Signal<In, Bit>; N],
    /// The i-th register's word, the cycle after its `hit`.
    pub word: [Signal<In, Bits<32>>; N],
    /// The word read: two cycles after the comparisons.
    pub value: Signal<Out, Bits<32>>,

    zero: Constant<Bits<32>>,
    read_hit: [DFF<Bit>; N],
    /// `masked[i]`: `word[i]` if it is read, else 0; `any[i]`, the OR of `masked[0..=i]`.
    masked: [Signal<Local, Bits<32>>; N],
    any: [Signal<Local, Bits<32>>; N],
    value_q: DFF<Bits<32>>,
}

impl<const N: usize> Default for ReadSelect<N> {
    fn default() -> Self {
        assert!(N >= 1, "a register file has a register");
        Self {
            clock: Default::default(),
            hit: core::array::from_fn(|_| Default::default()),
            word: core::array::from_fn(|_| Default::default()),
            value: Default::default(),
            zero: Constant::new(0.into()),
            read_hit: core::array::from_fn(|_| Default::default()),
            masked: core::array::from_fn(|_| Default::default()),
            any: core::array::from_fn(|_| Default::default()),
            value_q: Default::default(),
        }
    }
}

impl<const N: usize> Logic for ReadSelect<N> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, value_q);
        for i in 0..N {
            self.read_hit[i].clock.next = self.clock.val();
            self.read_hit[i].d.next = self.hit[i].val();
            self.masked[i].next = self.zero.val();
            if self.read_hit[i].q.val() {
                self.masked[i].next = self.word[i].val();
            }
        }
        self.any[0].next = self.masked[0].val();
        for i in 1..N {
            self.any[i].next = self.any[i - 1].val() | self.masked[i].val();
        }
        for i in (N - 1)..N {
            self.value_q.d.next = self.any[i].val();
        }
        self.value.next = self.value_q.q.val();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testbench::cycle;

    const WORDS: [u32; 3] = [0x1111_0001, 0x2222_0002, 0x4444_0004];

    /// Gives the comparisons for `hit` (None: no register), then the words, and returns
    /// `value` after the second clock.
    fn read(hit: Option<usize>) -> u32 {
        let mut sel = ReadSelect::<3>::default();
        sel.connect_all();
        for i in 0..3 {
            sel.hit[i].next = hit == Some(i);
            sel.word[i].next = 0xDEAD_0000u64.into();
        }
        cycle(&mut sel, |s| &mut s.clock).expect("settles");
        for (i, word) in WORDS.iter().enumerate() {
            sel.hit[i].next = false;
            sel.word[i].next = u64::from(*word).into();
        }
        cycle(&mut sel, |s| &mut s.clock).expect("settles");
        sel.value.val().index() as u32
    }

    #[test]
    fn reads_the_hit_word_two_cycles_after_the_comparison() {
        for (i, word) in WORDS.iter().enumerate() {
            assert_eq!(read(Some(i)), *word, "register {i}");
        }
    }

    #[test]
    fn an_index_that_names_no_register_reads_zero() {
        assert_eq!(read(None), 0);
    }
}
