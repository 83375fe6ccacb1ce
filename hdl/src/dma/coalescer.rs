//! `Coalescer`: the DMA interrupt, one for many descriptor completions. It raises `irq`
//! (a one-cycle pulse) once `count` completions are pending (0 counts as 1), `cycles`
//! cycles after the first pending one (0: never by age), or at once for a completion of a
//! descriptor that asks for an interrupt (`DESC_IRQ`). The decision reads only registers
//! (completions up to last cycle), so a completion is never counted and compared in the
//! cycle it happens; one made in the cycle of an interrupt belongs to the next.

use rust_hdl::prelude::*;

#[derive(LogicBlock, Default)]
pub struct Coalescer {
    pub clock: Signal<In, Clock>,
    /// A descriptor completed this cycle, and whether it asked for an interrupt.
    pub completed: Signal<In, Bit>,
    pub completed_irq: Signal<In, Bit>,
    /// `IRQ_COALESCE_COUNT` and `IRQ_COALESCE_CYCLES`.
    pub count: Signal<In, Bits<32>>,
    pub cycles: Signal<In, Bits<32>>,
    /// Forget pending completions (CTRL.CLEAR).
    pub clear: Signal<In, Bit>,
    pub irq: Signal<Out, Bit>,

    /// `count`, 0 read as 1, registered (it follows a write a cycle late), so the zero
    /// test and the choice are not in front of the count compare.
    limit: DFF<Bits<32>>,
    pending: DFF<Bits<32>>,
    /// Cycles since the first pending completion.
    age: DFF<Bits<32>>,
    /// A pending completion asked for an interrupt.
    flagged: DFF<Bit>,
    irq_r: DFF<Bit>,
    raise: Signal<Local, Bit>,
}

impl Logic for Coalescer {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, limit, pending, age, flagged, irq_r);
        self.irq.next = self.irq_r.q.val();
        self.limit.d.next = self.count.val();
        if self.count.val() == 0 {
            self.limit.d.next = bits::<32>(1);
        }
        self.raise.next = (self.pending.q.val() != 0)
            & (self.flagged.q.val()
                | (self.pending.q.val() >= self.limit.q.val())
                | ((self.cycles.val() != 0) & (self.age.q.val() >= self.cycles.val())));
        self.irq_r.d.next = self.raise.val();
        if self.completed.val() {
            self.pending.d.next = self.pending.q.val() + 1;
        }
        self.flagged.d.next = self.flagged.q.val() | self.completed_irq.val();
        if self.pending.q.val() != 0 {
            self.age.d.next = self.age.q.val() + 1;
        }
        if self.raise.val() {
            self.pending.d.next = bits::<32>(0);
            if self.completed.val() {
                self.pending.d.next = bits::<32>(1);
            }
            self.age.d.next = bits::<32>(0);
            self.flagged.d.next = self.completed_irq.val();
        }
        if self.clear.val() {
            self.pending.d.next = bits::<32>(0);
            self.age.d.next = bits::<32>(0);
            self.flagged.d.next = false;
        }
    }
}
