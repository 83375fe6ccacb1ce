//! `RingHead`: a descriptor ring's head as one engine keeps it (the C2H writer's and the
//! H2C reader's are the same), with the addresses that follow from it.
//!
//! The head counts descriptors consumed; the one it points at sits at
//! `base + (head mod size) · 16` in host memory, and its second word (written back at
//! hand-over) 8 bytes further on. Both addresses are registers, so that no 64-bit sum lies
//! between `head` and the descriptor fetch's or the write-back's request. The cost is one
//! cycle after each move of `head` in which `slot` still points at the old descriptor:
//! `slot_ready` is low for that cycle, and an engine fetches only while it is high.

use rust_hdl::prelude::*;

#[derive(LogicBlock, Default)]
pub struct RingHead {
    pub clock: Signal<In, Clock>,
    /// The ring's base address and size − 1 (DMA registers).
    pub base: Signal<In, Bits<64>>,
    pub mask: Signal<In, Bits<32>>,
    /// Descriptors the host has posted (the ring's tail register).
    pub tail: Signal<In, Bits<32>>,
    /// Move to the next descriptor at this edge (the current one was handed back).
    pub advance: Signal<In, Bit>,
    /// Back to descriptor 0 (CTRL.CLEAR); wins over `advance`.
    pub clear: Signal<In, Bit>,
    /// Descriptors consumed.
    pub head: Signal<Out, Bits<32>>,
    /// The ring holds a descriptor the engine has not consumed (`head != tail`).
    pub posted: Signal<Out, Bit>,
    /// The address of descriptor `head`, valid while `slot_ready`.
    pub slot: Signal<Out, Bits<64>>,
    pub slot_ready: Signal<Out, Bit>,
    /// The address of its second word, where the hand-over writes (`slot` + 8).
    pub done_addr: Signal<Out, Bits<64>>,
    head_q: DFF<Bits<32>>,
    slot_q: DFF<Bits<64>>,
    /// `head` moved at the last edge, so `slot_q` is a cycle behind it.
    slot_stale: DFF<Bit>,
    done_addr_q: DFF<Bits<64>>,
}

impl Logic for RingHead {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, head_q, slot_q, slot_stale, done_addr_q);
        self.head.next = self.head_q.q.val();
        self.posted.next = self.head_q.q.val() != self.tail.val();
        self.slot_q.d.next = self.base.val() + (bit_cast::<64, 32>(self.head_q.q.val() & self.mask.val()) << 4);
        self.slot.next = self.slot_q.q.val();
        self.slot_ready.next = !self.slot_stale.q.val();
        // `head` moves only as a buffer is handed back, many cycles before the next
        // hand-over, so the write-back address may follow `slot` a cycle later still.
        self.done_addr_q.d.next = self.slot_q.q.val() + 8;
        self.done_addr.next = self.done_addr_q.q.val();
        self.slot_stale.d.next = self.advance.val() | self.clear.val();
        if self.advance.val() {
            self.head_q.d.next = self.head_q.q.val() + 1;
        }
        if self.clear.val() {
            self.head_q.d.next = bits::<32>(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testbench::cycle;

    const BASE: u64 = 0x1_2345_6000;

    /// One edge with `advance` and `clear` as given.
    fn edge(ring: &mut RingHead, advance: bool, clear: bool) {
        ring.advance.next = advance;
        ring.clear.next = clear;
        cycle(ring, |r| &mut r.clock).expect("settles");
    }

    fn ring_of_four_with_two_posted() -> RingHead {
        let mut ring = RingHead::default();
        ring.connect_all();
        ring.base.next = BASE.into();
        ring.mask.next = 3_u64.into();
        ring.tail.next = 2_u64.into();
        edge(&mut ring, false, true);
        ring
    }

    #[test]
    fn the_slot_follows_the_head_a_cycle_late_and_is_held_back_meanwhile() {
        let mut ring = ring_of_four_with_two_posted();
        // Over a wrap of the four slots: whether the head moves at each edge.
        let moves = [
            false, false, true, false, false, true, true, false, false, true, false, false,
        ];
        let (mut head, mut moved_last) = (0_u64, true);
        for (i, &advance) in moves.iter().enumerate() {
            edge(&mut ring, advance, false);
            head += u64::from(advance);
            assert_eq!(ring.head.val(), bits::<32>(head), "edge {i}");
            assert_eq!(ring.posted.val(), head != 2, "edge {i}");
            assert_eq!(ring.slot_ready.val(), !advance, "edge {i}");
            // Two edges after a move both addresses have caught up with it.
            if !advance && !moved_last {
                let slot = BASE + (head & 3) * 16;
                assert_eq!(ring.slot.val(), bits::<64>(slot), "edge {i}");
                assert_eq!(ring.done_addr.val(), bits::<64>(slot + 8), "edge {i}");
            }
            moved_last = advance;
        }
    }

    #[test]
    fn clear_wins_over_a_move_at_the_same_edge() {
        let mut ring = ring_of_four_with_two_posted();
        edge(&mut ring, true, false);
        edge(&mut ring, true, true);
        assert_eq!(ring.head.val(), bits::<32>(0));
        assert!(!ring.slot_ready.val());
    }
}
