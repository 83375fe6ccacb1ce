//! `OutRing`: the output spikes on their way to the host, in a block RAM ring of 2^OB
//! 64-bit records (`memfire_spec::wire::SpikeEvent`: step in the high word, neuron in the
//! low). The core pushes one spike a cycle; the DMA engine pops them, or the host reads
//! them through the `OutRing` window and moves `OUT_TAIL` itself. Head and tail run free
//! (32 bits); the ring's address is their low OB bits.
//!
//! A read gives its record two edges after its address: the block RAM's word, then the
//! ring's register (`rd_q`, which synthesis makes the block's own output register, so its
//! ~5.8 ns late word has no route to cross in its cycle). The memory has no read-collision
//! logic (`LaneRam`'s `no_rw_check`), as no word read at the edge it is written is used: a
//! record is written at the head, and `ready` rises two cycles after the push that ends an
//! empty ring (the DMA engine reads the tail's record in the cycle after it sees `ready`;
//! the host reads records between tail and head).

use rust_hdl::prelude::*;

use super::word;
use crate::lane::lane_ram::LaneRam;

#[derive(LogicBlock)]
pub struct OutRing<const OB: usize> {
    pub clock: Signal<In, Clock>,
    /// A spike enters (the controller made room for a whole step before it started).
    pub push: Signal<In, Bit>,
    pub push_step: Signal<In, Bits<32>>,
    pub push_neuron: Signal<In, Bits<20>>,
    /// The DMA engine took the record at the tail (`read_data` while `dma_reading`).
    pub pop: Signal<In, Bit>,
    /// The DMA engine reads the ring (the tail's record); else the host's window index
    /// (two words a record) addresses it.
    pub dma_reading: Signal<In, Bit>,
    pub host_index: Signal<In, Bits<20>>,
    /// The host writes `OUT_TAIL` (`wdata`), or CTRL.CLEAR empties the ring.
    pub tail_we: Signal<In, Bit>,
    pub wdata: Signal<In, Bits<32>>,
    pub clear: Signal<In, Bit>,
    /// Neurons updated per step: the ring must have room for all of them to fire.
    pub active: Signal<In, Bits<32>>,
    pub head: Signal<Out, Bits<32>>,
    pub tail: Signal<Out, Bits<32>>,
    pub read_data: Signal<Out, Bits<64>>,
    /// The ring holds a spike (head ≠ tail) and did a cycle before, from registers: the
    /// tail's record is in `read_data` the cycle after.
    pub ready: Signal<Out, Bit>,
    /// The ring has less room than a step can fill (registered; see `used`).
    pub short: Signal<Out, Bit>,

    ram: LaneRam<Bits<64>, OB>,
    rd_q: DFF<Bits<64>>,
    head_r: DFF<Bits<32>>,
    tail_r: DFF<Bits<32>>,
    /// `tail + 1`, kept beside the tail so that a pop's "was that the last spike?" is an
    /// equality of two registers, not an increment's carry chain and then a compare.
    /// Starts at 1, the tail's 0 + 1.
    tail1: DFFWithInit<Bits<32>>,
    /// Head ≠ tail after the last edge, decided case by case from registers (below). It
    /// reads low for the one cycle after a host write moves the ring, so the write's
    /// decode does not reach the comparison. `ready` is it and its copy a cycle late
    /// (`ready_d`): it falls with it and rises a cycle after it.
    ready_r: DFF<Bit>,
    ready_d: DFF<Bit>,
    /// Entries in the ring (head − tail), then the room left (size − entries), each
    /// registered, so the room check is one compare. Three cycles late is safe: the host
    /// moves the ring only while idle, a cycle before a run starts; a step's last push is
    /// more than three cycles before the controller checks the next step (it waits for the
    /// spike queue to empty, counts the step and finishes it first); and while a step is
    /// checked the ring only empties, so a late `short` only stalls a cycle longer.
    used: DFF<Bits<32>>,
    room: DFF<Bits<32>>,
    short_r: DFF<Bit>,
    head_next: Signal<Local, Bits<32>>,
    tail_next: Signal<Local, Bits<32>>,
    /// `tail_next + 1`, made case by case (each case's own increment from a register)
    /// so the host write's decode stays off the increment.
    tail1_next: Signal<Local, Bits<32>>,
    set_by_host: Signal<Local, Bit>,
    k_size: Constant<Bits<32>>,
    zero: Constant<Bits<32>>,
    one: Constant<Bits<32>>,
}

impl<const OB: usize> Default for OutRing<OB> {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            push: Default::default(),
            push_step: Default::default(),
            push_neuron: Default::default(),
            pop: Default::default(),
            dma_reading: Default::default(),
            host_index: Default::default(),
            tail_we: Default::default(),
            wdata: Default::default(),
            clear: Default::default(),
            active: Default::default(),
            head: Default::default(),
            tail: Default::default(),
            read_data: Default::default(),
            ready: Default::default(),
            short: Default::default(),
            ram: Default::default(),
            rd_q: Default::default(),
            head_r: Default::default(),
            tail_r: Default::default(),
            tail1: DFFWithInit::new(bits::<32>(1)),
            ready_r: Default::default(),
            ready_d: Default::default(),
            used: Default::default(),
            room: Default::default(),
            short_r: Default::default(),
            head_next: Default::default(),
            tail_next: Default::default(),
            tail1_next: Default::default(),
            set_by_host: Default::default(),
            k_size: word(1 << OB),
            zero: word(0),
            one: word(1),
        }
    }
}

impl<const OB: usize> Logic for OutRing<OB> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, rd_q, head_r, tail_r, tail1, ready_r, ready_d, used, room, short_r);
        self.ram.read_clock.next = self.clock.val();
        self.ram.write_clock.next = self.clock.val();
        self.head.next = self.head_r.q.val();
        self.tail.next = self.tail_r.q.val();
        self.ready_d.d.next = self.ready_r.q.val();
        self.ready.next = self.ready_r.q.val() & self.ready_d.q.val();
        self.short.next = self.short_r.q.val();
        self.rd_q.d.next = self.ram.read_data.val();
        self.read_data.next = self.rd_q.q.val();

        self.ram.read_address.next = self.host_index.val().get_bits::<OB>(1);
        if self.dma_reading.val() {
            self.ram.read_address.next = self.tail_r.q.val().get_bits::<OB>(0);
        }
        self.ram.write_address.next = self.head_r.q.val().get_bits::<OB>(0);
        self.ram.write_data.next =
            (bit_cast::<64, 32>(self.push_step.val()) << 32) | bit_cast::<64, 20>(self.push_neuron.val());
        self.ram.write_enable.next = self.push.val();

        self.head_next.next = self.head_r.q.val();
        self.tail_next.next = self.tail_r.q.val();
        self.tail1_next.next = self.tail1.q.val();
        self.set_by_host.next = false;
        if self.push.val() {
            self.head_next.next = self.head_r.q.val() + 1;
        }
        if self.pop.val() {
            self.tail_next.next = self.tail1.q.val();
            self.tail1_next.next = self.tail1.q.val() + 1;
        }
        if self.tail_we.val() {
            self.tail_next.next = self.wdata.val();
            self.tail1_next.next = self.wdata.val() + 1;
            self.set_by_host.next = true;
        }
        if self.clear.val() {
            self.head_next.next = self.zero.val();
            self.tail_next.next = self.zero.val();
            self.tail1_next.next = self.one.val();
            self.set_by_host.next = true;
        }
        self.head_r.d.next = self.head_next.val();
        self.tail_r.d.next = self.tail_next.val();
        self.tail1.d.next = self.tail1_next.val();
        // Whether the ring holds a spike after this edge, with no carry chain in front: a
        // push always leaves one (a pop beside it takes an older one); a pop alone leaves
        // one unless it took the last (tail + 1 = head); otherwise head and tail stay.
        if self.set_by_host.val() {
            self.ready_r.d.next = false;
        } else if self.push.val() {
            self.ready_r.d.next = true;
        } else if self.pop.val() {
            self.ready_r.d.next = self.tail1.q.val() != self.head_r.q.val();
        } else {
            self.ready_r.d.next = self.head_r.q.val() != self.tail_r.q.val();
        }
        self.used.d.next = self.head_r.q.val() - self.tail_r.q.val();
        self.room.d.next = self.k_size.val() - self.used.q.val();
        self.short_r.d.next = self.room.q.val() < self.active.val();
    }
}
