//! `DualReadRam`: a table two lanes read at once, one block RAM for both.
//!
//! A block RAM has two ports (an ECP5 DP16KD, a Xilinx RAMB18). The tables of the neuron
//! pipeline (drive law, square root) are written only while the core is idle and read every
//! cycle, so port A reads for one lane and takes the host's writes, port B reads for the
//! other lane: two lanes share one copy instead of keeping one each. Each read shows its
//! word one rising edge after its address, when its port reads (`read_enable_*`: the
//! block RAM port's clock enable); a port that does not read keeps its word. A table of
//! banks reads only the bank it chooses, which saves the others' read power and, in
//! Verilator, a read of every bank's array each cycle.
//!
//! `no_rw_check`: a read of a word being written is never used (the writes come while the
//! lanes are idle), so synthesis needs no bypass logic around the RAM, which would otherwise
//! make it duplicate the memory.

use std::collections::BTreeMap;

use rust_hdl::prelude::*;

#[derive(LogicBlock, Default)]
pub struct DualReadRam<const A: usize, const D: usize> {
    pub clock: Signal<In, Clock>,
    /// Port A: a read, or (with `write_enable`) the host's write at `write_address`.
    pub read_address_a: Signal<In, Bits<A>>,
    pub read_data_a: Signal<Out, Bits<D>>,
    pub write_enable: Signal<In, Bit>,
    pub write_address: Signal<In, Bits<A>>,
    pub write_data: Signal<In, Bits<D>>,
    /// Port A reads this cycle (a write reads too).
    pub read_enable_a: Signal<In, Bit>,
    /// Port B: a read, when `read_enable_b`.
    pub read_enable_b: Signal<In, Bit>,
    pub read_address_b: Signal<In, Bits<A>>,
    pub read_data_b: Signal<Out, Bits<D>>,
    _sim: BTreeMap<u64, u64>,
}

impl<const A: usize, const D: usize> Logic for DualReadRam<A, D> {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            let word = |sim: &BTreeMap<u64, u64>, a: Bits<A>| sim.get(&a.to_u64()).copied().unwrap_or(0);
            let a = if self.write_enable.val() {
                self.write_address.val()
            } else {
                self.read_address_a.val()
            };
            if self.write_enable.val() || self.read_enable_a.val() {
                self.read_data_a.next = word(&self._sim, a).into();
            }
            if self.read_enable_b.val() {
                self.read_data_b.next = word(&self._sim, self.read_address_b.val()).into();
            }
            if self.write_enable.val() {
                self._sim.insert(a.to_u64(), self.write_data.val().to_u64());
            }
        }
    }

    fn connect(&mut self) {
        self.read_data_a.connect();
        self.read_data_b.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(format!(
            "\
(* no_rw_check *)
reg [{dm}:0] mem[0:{am}];
wire [{aw}:0] address_a = write_enable ? write_address : read_address_a;

always @(posedge clock) begin
   if (write_enable) begin
      mem[address_a] <= write_data;
   end
   if (write_enable || read_enable_a) begin
      read_data_a <= mem[address_a];
   end
end

always @(posedge clock) begin
   if (read_enable_b) begin
      read_data_b <= mem[read_address_b];
   end
end
",
            dm = D - 1,
            am = (1usize << A) - 1,
            aw = A - 1,
        ))
    }
}
