//! `SynapseRam`: one lane's synapse memory, as narrow as its words need to be.
//!
//! Ports carry synapse words in the host's layout (`memfire_spec::memmap::synapse_word`:
//! target bits 0..14, class 14..18, weight code 18..32); the memory keeps the class, the
//! weight code and only the `target_bits` low target bits a lane of 2^target_bits neurons
//! needs, and reads zero in the target bits above them. Its depth is any number of words,
//! not only a power of two: a board's block RAM fits the synapses it must hold, not the
//! next power of two of them (27 bits × 53 248 words is 78 DP16KD; 64 Ki words would be 96).
//!
//! A read takes four cycles: the memory is built of block-RAM-sized banks; the read address
//! is registered, and beside each bank whether the read is its own; the bank reads its word
//! at its RAM and registers it again beside it; a group of four banks is chosen into a
//! register (the groups not chosen hold zero), and the OR of the group registers reaches
//! `read_data`. A board-sized memory spans the
//! die (157 DP16KD for the benchmark's synapses), so each cycle that crosses it starts and
//! ends at a flip-flop with nothing else in it:
//! - into a bank: the walk's address multiplexer and the decode of which bank reads (its
//!   block RAM's clock enable) end at registers, so the RAM's address and clock enable come
//!   straight from a flip-flop and have the cycle for the route;
//! - a write likewise: its address and word are registered once, and beside each bank
//!   whether the write is its own, so it lands at the second edge after the bus gives it;
//! - out of a bank: its output is ~5.8 ns late on an ECP5 (its DP16KD's own output
//!   register is off in yosys's mapping), so the register beside it takes that lateness in
//!   a cycle of its own, and the group multiplexer's cycle starts at a flip-flop.
//!
//! Only the bank the address falls in reads: the others' registers keep their words,
//! which nothing chooses. That saves the other banks' read power on a board, and in
//! Verilator a read of every bank's array each cycle.
//!
//! `no_rw_check` on each bank: the memory is written only while the synapse walk is stopped
//! (the core's bus writes memory only while the controller is idle or checking a step's
//! inputs, `BusPort`), and a word read in the cycle of a write is never used, so the
//! result of reading a word as it is written does not matter. Without it synthesis builds
//! a bypass around every bank for that case: on an ECP5 ~8 flip-flops and ~20 LUTs a
//! bank and a LUT behind its output.
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
    /// The word at `read_address`, four cycles later.
    pub read_address: Signal<In, Bits<A>>,
    pub read_data: Signal<Out, Bits<32>>,
    pub write_address: Signal<In, Bits<A>>,
    pub write_data: Signal<In, Bits<32>>,
    pub write_enable: Signal<In, Bit>,
    _sim: BTreeMap<u64, u64>,
    /// The address registered at the last edge (beside the banks), the word read at the
    /// last edge (in the registers beside the banks), and the one read at the edge before
    /// (in the group multiplexer's registers).
    _address: u64,
    _at_bank: u64,
    _in_mux: u64,
    /// The write registered at the last edge (address, kept word), landing at the next.
    _write: Option<(u64, u64)>,
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
            _address: 0,
            _at_bank: 0,
            _in_mux: 0,
            _write: None,
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
            self.read_data.next = self._in_mux.into();
            self._in_mux = self._at_bank;
            self._at_bank = self._sim.get(&self._address).copied().unwrap_or(0);
            self._address = self.read_address.val().index() as u64;
            if let Some((address, word)) = self._write.take() {
                self._sim.insert(address, word);
            }
            let write = self.write_address.val().index();
            if self.write_enable.val() && write < self._depth {
                self._write = Some((write as u64, self.write_data.val().to_u64() & self.kept()));
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
        // The write, registered once (`wa`, `wd`) and, beside each bank, whether it is the
        // bank's (`we…`): it lands at the second edge, and no path from the bus's register
        // crosses the die into a block RAM's write enable in one cycle.
        let mut v = format!(
            "reg [{wm}:0] wd;\nreg [{am}:0] wa;\nalways @(posedge clock) begin\n   wd <= {{write_data[31:{top}], write_data[{lo}:0]}};\n   wa <= write_address;\nend\n",
            wm = w - 1,
            am = A - 1,
            lo = tb - 1
        );
        // The read address, registered once for every bank (a copy per bank would be
        // merged back into one by synthesis).
        v += &format!(
            "reg [{am}:0] ra;\nalways @(posedge clock) begin\n   ra <= read_address;\nend\n",
            am = A - 1
        );
        let mut parts = Vec::new();
        for (k, (lo, width)) in slices(w).into_iter().enumerate() {
            v += &slice_verilog(k, lo, width, self._depth, A);
            parts.push(format!("r{k}"));
        }
        parts.reverse();
        v += &format!("wire [{}:0] word = {{{}}};\n", w - 1, parts.join(", "));
        v += &format!("\nalways @(*) begin\n   read_data = {spread};\nend\n");
        Verilog::Custom(v)
    }
}

/// Words a block RAM bank holds at `width` bits (ECP5 DP16KD and Xilinx RAMB18 alike:
/// 16 K × 1, 8 K × 2, 4 K × 4, 2 K × 9, 1 K × 18, 512 × 36).
fn bank_words(width: usize) -> usize {
    match width {
        1 => 16384,
        2 => 8192,
        3..=4 => 4096,
        5..=9 => 2048,
        10..=18 => 1024,
        _ => 512,
    }
}

/// Banks of one group, chosen from the registers beside them into the group's register.
const GROUP: usize = 4;

/// The Verilog of slice `k` (word bits `lo..lo + width`) of a memory of `depth` words and
/// `address_bits`-bit addresses (registered in `ra`): its banks, each with its registered
/// read choice and its registered word, the group registers, and `r{k}`, the slice's word
/// read four cycles after its address.
fn slice_verilog(k: usize, lo: usize, width: usize, depth: usize, address_bits: usize) -> String {
    let hi = lo + width - 1;
    let wm = width - 1;
    // A bank's address bits, and the bits above them that choose the bank.
    let bank_bits = (bank_words(width).trailing_zeros() as usize).min(address_bits);
    let bank_depth = 1usize << bank_bits;
    let select_bits = address_bits - bank_bits;
    let banks = depth.div_ceil(bank_depth);
    let mut v = String::new();
    for b in 0..banks {
        let words = bank_depth.min(depth - b * bank_depth);
        let (chosen, read) = if select_bits == 0 {
            ("write_enable".to_string(), "1'b1".to_string())
        } else {
            let am = address_bits - 1;
            (
                format!("write_enable && write_address[{am}:{bank_bits}] == {select_bits}'d{b}"),
                format!("read_address[{am}:{bank_bits}] == {select_bits}'d{b}"),
            )
        };
        v += &format!(
            "
(* no_rw_check *)
reg [{wm}:0] m{k}b{b}[0:{dm}];
reg re{k}b{b};
reg we{k}b{b};
reg [{wm}:0] q{k}b{b};
reg [{wm}:0] o{k}b{b};
always @(posedge clock) begin
   re{k}b{b} <= {read};
   we{k}b{b} <= {chosen};
   if (re{k}b{b}) begin
      q{k}b{b} <= m{k}b{b}[ra[{bm}:0]];
   end
   if (we{k}b{b}) begin
      m{k}b{b}[wa[{bm}:0]] <= wd[{hi}:{lo}];
   end
   o{k}b{b} <= q{k}b{b};
end
",
            dm = words - 1,
            bm = bank_bits - 1,
        );
    }
    if banks == 1 {
        // One bank: its word is registered once more, so every memory reads in four cycles.
        v += &format!("reg [{wm}:0] r{k};\nalways @(posedge clock) begin\n   r{k} <= o{k}b0;\nend\n");
        return v;
    }
    // The bank's number, in the address register, then registered with the read and with
    // the word beside the bank; its low bits choose within a group.
    let low = select_bits.min(GROUP.trailing_zeros() as usize);
    let high = select_bits - low;
    let groups = banks.div_ceil(GROUP);
    v += &format!(
        "reg [{sm}:0] a{k};\nreg [{sm}:0] s{k};\nalways @(posedge clock) begin\n   a{k} <= ra[{am}:{bank_bits}];\n   s{k} <= a{k};\nend\n",
        sm = select_bits - 1,
        am = address_bits - 1
    );
    if high == 0 {
        v += &format!(
            "reg [{wm}:0] g{k}g0;\nalways @(posedge clock) begin\n   case (s{k}[{lm}:0])\n{cases}      default: g{k}g0 <= {width}'d0;\n   endcase\nend\nwire [{wm}:0] r{k} = g{k}g0;\n",
            cases = group_cases(k, 0, banks, low),
            lm = low - 1
        );
        return v;
    }
    // Beside each group, whether the read is its own (registered with `s`): a group not
    // chosen holds zero, so the word is the OR of the group registers. No select decode
    // fans out from one register across the die into the choice among them.
    let mut ors = Vec::new();
    for g in 0..groups {
        v += &format!(
            "reg h{k}g{g};\nreg [{wm}:0] g{k}g{g};\nalways @(posedge clock) begin\n   h{k}g{g} <= a{k}[{sm}:{low}] == {high}'d{g};\n   if (h{k}g{g}) begin\n      case (s{k}[{lm}:0])\n{cases}      default: g{k}g{g} <= {width}'d0;\n      endcase\n   end else begin\n      g{k}g{g} <= {width}'d0;\n   end\nend\n",
            cases = group_cases(k, g, banks, low),
            lm = low - 1,
            sm = select_bits - 1
        );
        ors.push(format!("g{k}g{g}"));
    }
    v += &format!("wire [{wm}:0] r{k} = {};\n", ors.join(" | "));
    v
}

/// The case arms of group `g`'s register: bank `g · GROUP + i` when the low `low` bits of
/// the bank's number are `i`.
fn group_cases(k: usize, g: usize, banks: usize, low: usize) -> String {
    let mut cases = String::new();
    for i in 0..GROUP.min(banks - g * GROUP) {
        cases += &format!("      {low}'d{i}: g{k}g{g} <= o{k}b{b};\n", b = g * GROUP + i);
    }
    cases
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
