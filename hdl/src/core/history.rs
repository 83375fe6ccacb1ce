//! `SpikeHistory`: the spikes of the last `PULSE_WIDTH` steps, so their pulses can end.
//! The spikes enter a block RAM ring of 2^HB neuron numbers in the order they leave the
//! spike queue; a second ring of 2^WB words, indexed by step mod 2^WB, keeps each step's
//! count. A step's pulse starts are the entries from `step_start` to the write pointer;
//! the pulses that end are the `due` entries at the read pointer, the spikes of
//! step − PULSE_WIDTH (so pulses up to 2^WB − 1 steps long).

use rust_hdl::prelude::*;

use super::word;

#[derive(LogicBlock)]
pub struct SpikeHistory<const HB: usize, const WB: usize> {
    pub clock: Signal<In, Clock>,
    /// A spike of this step (one a cycle, from the spike queue).
    pub push: Signal<In, Bit>,
    pub push_neuron: Signal<In, Bits<20>>,
    /// The step and the pulse width: the count ring is read at step − width.
    pub step: Signal<In, Bits<64>>,
    pub pulse_width: Signal<In, Bits<32>>,
    /// A step's update begins: its spikes start at the write pointer.
    pub step_begin: Signal<In, Bit>,
    /// Its update is over: write its count.
    pub count_write: Signal<In, Bit>,
    /// The pulses of step − PULSE_WIDTH are being ended: move the read pointer past them.
    pub consume: Signal<In, Bit>,
    pub clear: Signal<In, Bit>,
    /// Neurons updated per step: the history must have room for all of them to fire.
    pub active: Signal<In, Bits<32>>,
    /// The walk's read address (an entry index; the ring's address is its low HB bits).
    pub rd_addr: Signal<In, Bits<32>>,
    pub read_data: Signal<Out, Bits<32>>,
    pub write_ptr: Signal<Out, Bits<32>>,
    pub read_ptr: Signal<Out, Bits<32>>,
    pub step_start: Signal<Out, Bits<32>>,
    /// Spikes of step − PULSE_WIDTH (registered; the count ring is read every cycle).
    pub due: Signal<Out, Bits<32>>,
    /// Less room than a step can fill (registered, as `OutRing::short`).
    pub short: Signal<Out, Bit>,

    ram: RAM<Bits<32>, HB>,
    counts: RAM<Bits<32>, WB>,
    wp: DFF<Bits<32>>,
    rp: DFF<Bits<32>>,
    start: DFF<Bits<32>>,
    due_r: DFF<Bits<32>>,
    /// Entries in the ring (wp − rp), registered so the room check is one subtraction
    /// and a compare. The pointers settle at least two cycles before the controller
    /// reads the check (rp moves before a step's Finish), so the late check is exact.
    used: DFF<Bits<32>>,
    short_r: DFF<Bit>,
    k_size: Constant<Bits<32>>,
    zero: Constant<Bits<32>>,
}

impl<const HB: usize, const WB: usize> Default for SpikeHistory<HB, WB> {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            push: Default::default(),
            push_neuron: Default::default(),
            step: Default::default(),
            pulse_width: Default::default(),
            step_begin: Default::default(),
            count_write: Default::default(),
            consume: Default::default(),
            clear: Default::default(),
            active: Default::default(),
            rd_addr: Default::default(),
            read_data: Default::default(),
            write_ptr: Default::default(),
            read_ptr: Default::default(),
            step_start: Default::default(),
            due: Default::default(),
            short: Default::default(),
            ram: Default::default(),
            counts: Default::default(),
            wp: Default::default(),
            rp: Default::default(),
            start: Default::default(),
            due_r: Default::default(),
            used: Default::default(),
            short_r: Default::default(),
            k_size: word(1 << HB),
            zero: word(0),
        }
    }
}

impl<const HB: usize, const WB: usize> Logic for SpikeHistory<HB, WB> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, wp, rp, start, due_r, used, short_r);
        self.ram.read_clock.next = self.clock.val();
        self.ram.write_clock.next = self.clock.val();
        self.counts.read_clock.next = self.clock.val();
        self.counts.write_clock.next = self.clock.val();
        self.read_data.next = self.ram.read_data.val();
        self.write_ptr.next = self.wp.q.val();
        self.read_ptr.next = self.rp.q.val();
        self.step_start.next = self.start.q.val();
        self.due.next = self.due_r.q.val();
        self.short.next = self.short_r.q.val();

        self.ram.read_address.next = self.rd_addr.val().get_bits::<HB>(0);
        self.ram.write_address.next = self.wp.q.val().get_bits::<HB>(0);
        self.ram.write_data.next = bit_cast::<32, 20>(self.push_neuron.val());
        self.ram.write_enable.next = self.push.val();
        if self.push.val() {
            self.wp.d.next = self.wp.q.val() + 1;
        }
        self.counts.read_address.next = self.step.val().get_bits::<WB>(0) - self.pulse_width.val().get_bits::<WB>(0);
        self.due_r.d.next = self.counts.read_data.val();
        self.counts.write_address.next = self.step.val().get_bits::<WB>(0);
        self.counts.write_data.next = self.wp.q.val() - self.start.q.val();
        self.counts.write_enable.next = self.count_write.val();
        if self.step_begin.val() {
            self.start.d.next = self.wp.q.val();
        }
        if self.consume.val() {
            self.rp.d.next = self.rp.q.val() + self.due_r.q.val();
        }
        if self.clear.val() {
            self.wp.d.next = self.zero.val();
            self.rp.d.next = self.zero.val();
        }
        self.used.d.next = self.wp.q.val() - self.rp.q.val();
        self.short_r.d.next = (self.k_size.val() - self.used.q.val()) < self.active.val();
    }
}
