//! `LaneRam`: a per-neuron memory of a lane, with a say in what synthesis builds it from.
//!
//! The same memory as rust-hdl's `RAM<D, N>` (a registered read, a write at the clock edge,
//! a read of the word being written gives the old word in simulation), and the same Verilog,
//! except that it asks for LUT RAM (`ram_style = "distributed"`) or, left to synthesis,
//! tells it that no read of a word being written is used (`no_rw_check`), so a block RAM's
//! output reaches its register with no logic between (an ECP5 DP16KD's output comes ~5.8 ns
//! after the clock). Why: a block RAM holds 18 Kib
//! whatever the memory's depth, so a lane of 256 neurons fills a seventh of each block RAM
//! it uses per 25-bit field. On a many-lane core the per-neuron memories, not the
//! synapses, run out of block RAM first (eight lanes on the XC7A100T need ~305 of its 270
//! RAMB18 with every field in block RAM); the same fields in LUT RAM cost ~6 LUTs a bit at
//! 256 deep (four 64-deep LUT RAMs and a multiplexer), ~900 LUTs a lane for the state.
//! Left to itself, synthesis picks block RAM at that depth.

use rust_hdl::prelude::*;
use std::collections::BTreeMap;

/// What a lane's memory is built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RamStyle {
    /// Synthesis chooses (block RAM for deep memories, LUT RAM for shallow ones).
    #[default]
    Auto,
    /// LUT RAM, whatever the depth.
    Distributed,
}

impl RamStyle {
    /// The style for a lane's state memories at 2^`lane_bits` neurons a lane: LUT RAM up to
    /// 256 neurons (where a block RAM would be mostly empty), synthesis's choice above.
    pub fn for_lane_state(lane_bits: usize) -> RamStyle {
        if lane_bits <= 8 {
            RamStyle::Distributed
        } else {
            RamStyle::Auto
        }
    }

    /// The style for a lane's 32-bit fields (the external input and the random state):
    /// synthesis's choice, block RAM at any depth worth one. A 32-bit field fills 32 of a
    /// block RAM's 36 bits at 512 × 36, so it saves the most LUT RAM a block RAM can
    /// (~130 DPR16X4 and a 16-way read multiplexer a bit at 256 neurons on an ECP5), and
    /// the many-lane images are bound by LUTs: an LFE5U-85F's four lanes by LUT sites (LUT
    /// RAM takes three slices of a tile for 64 bits), an XC7A100T's eight by LUTs. Their
    /// block RAM, once the synapses are in, holds the lanes' two 32-bit fields and little more.
    pub fn for_lane_word() -> RamStyle {
        RamStyle::Auto
    }
}

/// Ports as rust-hdl's `RAM<D, N>`'s, in its order, and its Verilog but for the attribute.
#[derive(LogicBlock, Default)]
pub struct LaneRam<D: Synth, const N: usize> {
    /// The word at `read_address`, from the `read_clock` edge after it is given.
    pub read_address: Signal<In, Bits<N>>,
    pub read_clock: Signal<In, Clock>,
    pub read_data: Signal<Out, D>,
    /// `write_data` lands at `write_address` at the `write_clock` edge when `write_enable`.
    pub write_address: Signal<In, Bits<N>>,
    pub write_clock: Signal<In, Clock>,
    pub write_data: Signal<In, D>,
    pub write_enable: Signal<In, Bit>,
    _sim: BTreeMap<Bits<N>, D>,
    _style: RamStyle,
}

impl<D: Synth, const N: usize> LaneRam<D, N> {
    pub fn with_style(style: RamStyle) -> Self {
        Self {
            _style: style,
            ..Default::default()
        }
    }
}

impl<D: Synth, const N: usize> Logic for LaneRam<D, N> {
    fn update(&mut self) {
        // The read first: a word written at this edge is read at the next.
        if self.read_clock.pos_edge() {
            self.read_data.next = self._sim.get(&self.read_address.val()).copied().unwrap_or_default();
        }
        if self.write_clock.pos_edge() && self.write_enable.val() {
            self._sim.insert(self.write_address.val(), self.write_data.val());
        }
    }

    fn connect(&mut self) {
        self.read_data.connect();
    }

    fn hdl(&self) -> Verilog {
        // `no_rw_check`: a read of the word being written at the same edge may give anything
        // (no user makes such a read: see `crate::lane` and `crate::core::history`, whose
        // rings are built from this memory for the same reason), so synthesis adds no logic
        // after a block RAM's output to give the old word, as Verilog's semantics would ask.
        let style = match self._style {
            RamStyle::Auto => "(* no_rw_check *)\n",
            RamStyle::Distributed => "(* ram_style = \"distributed\" *)\n",
        };
        // rust-hdl's `RAM` text (its blank initialiser line and trailing spaces included).
        Verilog::Custom(format!(
            "\
{style}reg[{dm}:0] mem[{am}:0];



always @(posedge read_clock) begin
   read_data <= mem[read_address];
end

always @(posedge write_clock) begin
   if (write_enable) begin
      mem[write_address] <= write_data;
   end
end
            ",
            dm = D::BITS - 1,
            am = (1usize << N) - 1,
        ))
    }
}
