//! `SynapseRam`: one lane's synapse memory, as narrow as its words need to be.
//!
//! Ports carry synapse words in the host's layout (`memfire_spec::memmap::synapse_word`:
//! target bits 0..14, class 14..18, weight code 18..32); the memory keeps the class, the
//! weight code and only the `target_bits` low target bits a lane of 2^target_bits neurons
//! needs, and reads zero in the target bits above them. Its depth is any number of words,
//! not only a power of two: a board's block RAM fits the synapses it must hold, not the
//! next power of two of them (27 bits × 53 248 words is 78 DP16KD; 64 Ki words would be 96).
//!
//! A custom block because its data width and depth are values of the configuration, which
//! rust-hdl's `RAM<D, N>` takes only as types. Reads and writes at or beyond the depth are
//! not memory: the driver never makes them (the SYNAPSES register tells it the depth).

use std::collections::BTreeMap;

use memfire_spec::memmap::{SYN_CLASS_SHIFT, SYN_TARGET_BITS};
use rust_hdl::prelude::*;

#[derive(LogicBlock)]
pub struct SynapseRam<const A: usize> {
    pub clock: Signal<In, Clock>,
    /// The word at `read_address`, a cycle later.
    pub read_address: Signal<In, Bits<A>>,
    pub read_data: Signal<Out, Bits<32>>,
    pub write_address: Signal<In, Bits<A>>,
    pub write_data: Signal<In, Bits<32>>,
    pub write_enable: Signal<In, Bit>,
    _sim: BTreeMap<u64, u64>,
    _target_bits: usize,
    _depth: usize,
}

impl<const A: usize> SynapseRam<A> {
    /// A memory of `depth` synapses (≤ 2^A) for a lane of 2^`target_bits` neurons.
    pub fn new(target_bits: usize, depth: usize) -> Self {
        assert!(
            (1..=SYN_TARGET_BITS as usize).contains(&target_bits),
            "a lane's neuron address fits the synapse word's target field"
        );
        assert!(depth >= 1 && depth <= 1 << A, "the depth fits the address");
        Self {
            clock: Default::default(),
            read_address: Default::default(),
            read_data: Default::default(),
            write_address: Default::default(),
            write_data: Default::default(),
            write_enable: Default::default(),
            _sim: BTreeMap::new(),
            _target_bits: target_bits,
            _depth: depth,
        }
    }

    /// Bits a word keeps: the target's, the class's and the weight code's.
    pub fn word_bits(&self) -> usize {
        self._target_bits + 32 - SYN_CLASS_SHIFT as usize
    }

    /// The bits of a host word the memory keeps.
    fn kept(&self) -> u64 {
        (0xFFFF_FFFFu64 << SYN_CLASS_SHIFT) & 0xFFFF_FFFF | ((1u64 << self._target_bits) - 1)
    }
}

impl<const A: usize> Logic for SynapseRam<A> {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            let read = self.read_address.val().index() as u64;
            self.read_data.next = self._sim.get(&read).copied().unwrap_or(0).into();
            let write = self.write_address.val().index();
            if self.write_enable.val() && write < self._depth {
                let word = self.write_data.val().to_u64() & self.kept();
                self._sim.insert(write as u64, word);
            }
        }
    }

    fn connect(&mut self) {
        self.read_data.connect();
    }

    fn hdl(&self) -> Verilog {
        let tb = self._target_bits;
        let top = SYN_CLASS_SHIFT as usize;
        let w = self.word_bits();
        // The word read, spread back to the host's layout (no filler when the target
        // field is full).
        let spread = if tb == top {
            "word".to_string()
        } else {
            format!(
                "{{word[{hi}:{tb}], {gap}'b0, word[{lo}:0]}}",
                hi = w - 1,
                gap = top - tb,
                lo = tb - 1
            )
        };
        let mut v = format!(
            "wire [{wm}:0] kept = {{write_data[31:{top}], write_data[{lo}:0]}};\nreg [{wm}:0] word;\n",
            wm = w - 1,
            lo = tb - 1
        );
        for (k, (lo, width)) in slices(w).into_iter().enumerate() {
            let hi = lo + width - 1;
            v += &format!(
                "
reg [{wm}:0] mem{k}[0:{dm}];
always @(posedge clock) begin
   word[{hi}:{lo}] <= mem{k}[read_address];
   if (write_enable) begin
      mem{k}[write_address] <= kept[{hi}:{lo}];
   end
end
",
                wm = width - 1,
                dm = self._depth - 1,
            );
        }
        v += &format!("\nalways @(*) begin\n   read_data = {spread};\nend\n");
        Verilog::Custom(v)
    }
}

/// The word's bits as (lowest bit, width) slices of 18, then 9, then the rest: each slice
/// its own memory, so synthesis uses a block RAM's widest shapes (1 K × 18, 2 K × 9 on an
/// ECP5 DP16KD or a Xilinx RAMB18) rather than one narrow shape for the whole word (a
/// 28-bit word as 4 K × 4 columns takes 175 DP16KD for 102 400 synapses; as 18 + 9 + 1,
/// 157).
fn slices(bits: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut lo = 0;
    for width in [18, 9] {
        while bits - lo >= width {
            out.push((lo, width));
            lo += width;
        }
    }
    if lo < bits {
        out.push((lo, bits - lo));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::slices;

    #[test]
    fn words_split_into_the_widest_block_ram_shapes() {
        assert_eq!(slices(28), vec![(0, 18), (18, 9), (27, 1)]);
        assert_eq!(slices(27), vec![(0, 18), (18, 9)]);
        assert_eq!(slices(23), vec![(0, 18), (18, 5)]);
        assert_eq!(slices(36), vec![(0, 18), (18, 18)]);
    }
}
