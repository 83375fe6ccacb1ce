//! `DmaRegs`: the DMA engine's registers of `memfire_spec::regs` (`DMA_CTRL`, the two rings'
//! base, size and tail, the flush and coalescing settings, the input horizon). The engine
//! keeps the ring heads (it advances them) and this block shows them. A read answers two
//! cycles after its index, where the core's registers answer in its cycle (`ReadPath`): the
//! index's comparisons with the fifteen registers' are registered, then the word they
//! choose, so neither cycle holds both a 20-bit comparison and a fifteen-way choice.

use memfire_spec::regs::{dma_ctrl, offset};
use rust_hdl::prelude::*;

use crate::core::{reg, word, ReadSelect};

#[derive(LogicBlock)]
pub struct DmaRegs {
    pub clock: Signal<In, Clock>,
    /// The core's registered bus access.
    pub index: Signal<In, Bits<20>>,
    pub wdata: Signal<In, Bits<32>>,
    pub we: Signal<In, Bit>,
    /// CTRL.CLEAR: the tails go to 0 with the engine's heads.
    pub clear: Signal<In, Bit>,
    /// The heads, as the engine keeps them.
    pub c2h_head: Signal<In, Bits<32>>,
    pub h2c_head: Signal<In, Bits<32>>,
    /// `DMA_CTRL`'s bits, and a write to it (which restarts a halted engine).
    pub c2h_on: Signal<Out, Bit>,
    pub h2c_on: Signal<Out, Bit>,
    pub input_gate: Signal<Out, Bit>,
    pub ctrl_we: Signal<Out, Bit>,
    /// Each ring's base address, its size − 1 (registered a cycle after the size, which
    /// is written while the engine is off, so no subtraction is in front of the slot
    /// address's add), and the host's tail.
    pub c2h_base: Signal<Out, Bits<64>>,
    pub c2h_mask: Signal<Out, Bits<32>>,
    pub c2h_tail: Signal<Out, Bits<32>>,
    pub h2c_base: Signal<Out, Bits<64>>,
    pub h2c_mask: Signal<Out, Bits<32>>,
    pub h2c_tail: Signal<Out, Bits<32>>,
    pub flush_cycles: Signal<Out, Bits<32>>,
    pub horizon: Signal<Out, Bits<32>>,
    pub coal_count: Signal<Out, Bits<32>>,
    pub coal_cycles: Signal<Out, Bits<32>>,
    /// The word of the register whose index was given two cycles ago (0 for other indices).
    pub reg_value: Signal<Out, Bits<32>>,

    ctrl: DFF<Bits<32>>,
    c2h_lo: DFF<Bits<32>>,
    c2h_hi: DFF<Bits<32>>,
    c2h_size: DFF<Bits<32>>,
    c2h_mask_r: DFF<Bits<32>>,
    c2h_tail_r: DFF<Bits<32>>,
    h2c_lo: DFF<Bits<32>>,
    h2c_hi: DFF<Bits<32>>,
    h2c_size: DFF<Bits<32>>,
    h2c_mask_r: DFF<Bits<32>>,
    h2c_tail_r: DFF<Bits<32>>,
    flush_r: DFF<Bits<32>>,
    horizon_r: DFF<Bits<32>>,
    coal_count_r: DFF<Bits<32>>,
    coal_cycles_r: DFF<Bits<32>>,
    /// `hit[i]`: the index names the i-th register (in `update`'s order), for the write
    /// and the read.
    hit: [Signal<Local, Bit>; 15],
    read: ReadSelect<15>,
    k_c2h: Constant<Bits<32>>,
    k_h2c: Constant<Bits<32>>,
    k_input_gate: Constant<Bits<32>>,
    r_ctrl: Constant<Bits<20>>,
    r_c2h_lo: Constant<Bits<20>>,
    r_c2h_hi: Constant<Bits<20>>,
    r_c2h_size: Constant<Bits<20>>,
    r_c2h_tail: Constant<Bits<20>>,
    r_c2h_head: Constant<Bits<20>>,
    r_flush: Constant<Bits<20>>,
    r_h2c_lo: Constant<Bits<20>>,
    r_h2c_hi: Constant<Bits<20>>,
    r_h2c_size: Constant<Bits<20>>,
    r_h2c_tail: Constant<Bits<20>>,
    r_h2c_head: Constant<Bits<20>>,
    r_horizon: Constant<Bits<20>>,
    r_coal_count: Constant<Bits<20>>,
    r_coal_cycles: Constant<Bits<20>>,
}

impl Default for DmaRegs {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            index: Default::default(),
            wdata: Default::default(),
            we: Default::default(),
            clear: Default::default(),
            c2h_head: Default::default(),
            h2c_head: Default::default(),
            c2h_on: Default::default(),
            h2c_on: Default::default(),
            input_gate: Default::default(),
            ctrl_we: Default::default(),
            c2h_base: Default::default(),
            c2h_mask: Default::default(),
            c2h_tail: Default::default(),
            h2c_base: Default::default(),
            h2c_mask: Default::default(),
            h2c_tail: Default::default(),
            flush_cycles: Default::default(),
            horizon: Default::default(),
            coal_count: Default::default(),
            coal_cycles: Default::default(),
            reg_value: Default::default(),
            ctrl: Default::default(),
            c2h_lo: Default::default(),
            c2h_hi: Default::default(),
            c2h_size: Default::default(),
            c2h_mask_r: Default::default(),
            c2h_tail_r: Default::default(),
            h2c_lo: Default::default(),
            h2c_hi: Default::default(),
            h2c_size: Default::default(),
            h2c_mask_r: Default::default(),
            h2c_tail_r: Default::default(),
            flush_r: Default::default(),
            horizon_r: Default::default(),
            coal_count_r: Default::default(),
            coal_cycles_r: Default::default(),
            hit: std::array::from_fn(|_| Default::default()),
            read: Default::default(),
            k_c2h: word(u64::from(dma_ctrl::C2H)),
            k_h2c: word(u64::from(dma_ctrl::H2C)),
            k_input_gate: word(u64::from(dma_ctrl::INPUT_GATE)),
            r_ctrl: reg(offset::DMA_CTRL),
            r_c2h_lo: reg(offset::C2H_RING_LO),
            r_c2h_hi: reg(offset::C2H_RING_HI),
            r_c2h_size: reg(offset::C2H_RING_SIZE),
            r_c2h_tail: reg(offset::C2H_TAIL),
            r_c2h_head: reg(offset::C2H_HEAD),
            r_flush: reg(offset::C2H_FLUSH_CYCLES),
            r_h2c_lo: reg(offset::H2C_RING_LO),
            r_h2c_hi: reg(offset::H2C_RING_HI),
            r_h2c_size: reg(offset::H2C_RING_SIZE),
            r_h2c_tail: reg(offset::H2C_TAIL),
            r_h2c_head: reg(offset::H2C_HEAD),
            r_horizon: reg(offset::IN_HORIZON),
            r_coal_count: reg(offset::IRQ_COALESCE_COUNT),
            r_coal_cycles: reg(offset::IRQ_COALESCE_CYCLES),
        }
    }
}

impl Logic for DmaRegs {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            ctrl,
            c2h_lo,
            c2h_hi,
            c2h_size,
            c2h_mask_r,
            c2h_tail_r,
            h2c_lo,
            h2c_hi,
            h2c_size,
            h2c_mask_r,
            h2c_tail_r,
            flush_r,
            horizon_r,
            coal_count_r,
            coal_cycles_r
        );
        clock!(self, clock, read);
        self.c2h_on.next = (self.ctrl.q.val() & self.k_c2h.val()).any();
        self.h2c_on.next = (self.ctrl.q.val() & self.k_h2c.val()).any();
        self.input_gate.next = (self.ctrl.q.val() & self.k_input_gate.val()).any();
        self.c2h_base.next = (bit_cast::<64, 32>(self.c2h_hi.q.val()) << 32) | bit_cast::<64, 32>(self.c2h_lo.q.val());
        self.h2c_base.next = (bit_cast::<64, 32>(self.h2c_hi.q.val()) << 32) | bit_cast::<64, 32>(self.h2c_lo.q.val());
        self.c2h_mask_r.d.next = self.c2h_size.q.val() - 1;
        self.h2c_mask_r.d.next = self.h2c_size.q.val() - 1;
        self.c2h_mask.next = self.c2h_mask_r.q.val();
        self.h2c_mask.next = self.h2c_mask_r.q.val();
        self.c2h_tail.next = self.c2h_tail_r.q.val();
        self.h2c_tail.next = self.h2c_tail_r.q.val();
        self.flush_cycles.next = self.flush_r.q.val();
        self.horizon.next = self.horizon_r.q.val();
        self.coal_count.next = self.coal_count_r.q.val();
        self.coal_cycles.next = self.coal_cycles_r.q.val();
        self.reg_value.next = self.read.value.val();

        // Which register the index names, one comparison each, for the write and the read.
        self.hit[0].next = self.index.val() == self.r_ctrl.val();
        self.hit[1].next = self.index.val() == self.r_c2h_lo.val();
        self.hit[2].next = self.index.val() == self.r_c2h_hi.val();
        self.hit[3].next = self.index.val() == self.r_c2h_size.val();
        self.hit[4].next = self.index.val() == self.r_c2h_tail.val();
        self.hit[5].next = self.index.val() == self.r_c2h_head.val();
        self.hit[6].next = self.index.val() == self.r_flush.val();
        self.hit[7].next = self.index.val() == self.r_h2c_lo.val();
        self.hit[8].next = self.index.val() == self.r_h2c_hi.val();
        self.hit[9].next = self.index.val() == self.r_h2c_size.val();
        self.hit[10].next = self.index.val() == self.r_h2c_tail.val();
        self.hit[11].next = self.index.val() == self.r_h2c_head.val();
        self.hit[12].next = self.index.val() == self.r_horizon.val();
        self.hit[13].next = self.index.val() == self.r_coal_count.val();
        self.hit[14].next = self.index.val() == self.r_coal_cycles.val();
        self.ctrl_we.next = self.we.val() & self.hit[0].val();
        if self.we.val() {
            if self.hit[0].val() {
                self.ctrl.d.next = self.wdata.val();
            }
            if self.hit[1].val() {
                self.c2h_lo.d.next = self.wdata.val();
            }
            if self.hit[2].val() {
                self.c2h_hi.d.next = self.wdata.val();
            }
            if self.hit[3].val() {
                self.c2h_size.d.next = self.wdata.val();
            }
            if self.hit[4].val() {
                self.c2h_tail_r.d.next = self.wdata.val();
            }
            if self.hit[6].val() {
                self.flush_r.d.next = self.wdata.val();
            }
            if self.hit[7].val() {
                self.h2c_lo.d.next = self.wdata.val();
            }
            if self.hit[8].val() {
                self.h2c_hi.d.next = self.wdata.val();
            }
            if self.hit[9].val() {
                self.h2c_size.d.next = self.wdata.val();
            }
            if self.hit[10].val() {
                self.h2c_tail_r.d.next = self.wdata.val();
            }
            if self.hit[12].val() {
                self.horizon_r.d.next = self.wdata.val();
            }
            if self.hit[13].val() {
                self.coal_count_r.d.next = self.wdata.val();
            }
            if self.hit[14].val() {
                self.coal_cycles_r.d.next = self.wdata.val();
            }
        }
        if self.clear.val() {
            self.c2h_tail_r.d.next = bits::<32>(0);
            self.h2c_tail_r.d.next = bits::<32>(0);
        }

        // The read over two cycles (`ReadSelect`): the comparisons registered, then the word.
        for i in 0..15 {
            self.read.hit[i].next = self.hit[i].val();
        }
        self.read.word[0].next = self.ctrl.q.val();
        self.read.word[1].next = self.c2h_lo.q.val();
        self.read.word[2].next = self.c2h_hi.q.val();
        self.read.word[3].next = self.c2h_size.q.val();
        self.read.word[4].next = self.c2h_tail_r.q.val();
        self.read.word[5].next = self.c2h_head.val();
        self.read.word[6].next = self.flush_r.q.val();
        self.read.word[7].next = self.h2c_lo.q.val();
        self.read.word[8].next = self.h2c_hi.q.val();
        self.read.word[9].next = self.h2c_size.q.val();
        self.read.word[10].next = self.h2c_tail_r.q.val();
        self.read.word[11].next = self.h2c_head.val();
        self.read.word[12].next = self.horizon_r.q.val();
        self.read.word[13].next = self.coal_count_r.q.val();
        self.read.word[14].next = self.coal_cycles_r.q.val();
    }
}
