//! The core's bus address space besides the registers: windows onto its memories, by
//! region. A bus address is a 25-bit word address `region · 2^20 + index`; a byte address
//! (BAR offset) is four times that. The hdl crate decodes exactly these regions and the
//! driver writes through them, so they are defined here once.

/// Bits of a bus word address.
pub const ADDR_BITS: u32 = 25;
/// Bits of the index inside a region.
pub const INDEX_BITS: u32 = 20;

/// The regions, in address order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Region {
    /// The register block (index = byte offset / 4).
    Regs = 0,
    /// Coefficient words, index `slot · 16 + set` (see `coef_words`).
    Coef = 1,
    /// Drive-law tables, index `set · 1024 + entry`.
    Drive = 2,
    /// Square-root table, index 0..=255.
    Sqrt = 3,
    /// Neuron state, index = neuron: x1 (Q1.23).
    X1 = 4,
    /// x2 (Q1.23).
    X2 = 5,
    /// v (Q2.22).
    V = 6,
    /// m (UQ3.14).
    M = 7,
    /// Absolute-refractory steps left.
    Refractory = 8,
    /// xorshift32 state.
    Rng = 9,
    /// Parameter set, 0..=15.
    Set = 10,
    /// External input, Q2.22 (piecewise constant; the host writes it between runs).
    Ext = 11,
    /// Synaptic input accumulator, Q2.22 (sum of active pulses).
    Acc = 12,
    /// Each lane's synapses are its own (those whose targets live in the lane, see
    /// `NeuronCore`), grouped by source in source order: index `lane · 2^NB + n` is the end
    /// of source n's row into `lane`, the index after its last synapse in that lane's
    /// synapse memory (NB: bits of a neuron number, log2 `NEURONS`). Row n runs from
    /// `RowEnd[n − 1]` (0 for n = 0) to `RowEnd[n]`, counted modulo 2^SB, so a row is
    /// shorter than its bank ([`row_fits`]). One word a row, not a start and a length: a
    /// bank reads both ends through one block RAM's two ports, where a length would take a
    /// second block RAM a lane.
    RowEnd = 13,
    /// Index `lane · 2^SB + k`: synapse k into `lane`, one word ([`synapse_word`]): its
    /// target's address in the lane (target / LANES), its width class and its weight code.
    /// 2^SB is `SYNAPSES / LANES` rounded up to a power of two: a lane's bank holds
    /// `SYNAPSES / LANES` synapses, its indices spaced by the power of two. A bank keeps
    /// the target bits its lane needs and reads back zero above them.
    Synapse = 14,
    /// Output ring (read only): entry `e` at index `2e` (step) and `2e + 1` (neuron).
    OutRing = 15,
    /// Probe list: entry `k` is a neuron id (see `PROBE_COUNT`).
    ProbeList = 16,
    /// Pulse width of each width class, steps (write only; see `CLASSES`).
    ClassWidth = 17,
}

/// Whether a row of `len` synapses fits a bank whose indices are `synapse_bits` wide: a
/// row is told by its two ends modulo 2^`synapse_bits`, so it must be shorter than that.
pub const fn row_fits(len: u64, synapse_bits: u32) -> bool {
    synapse_bits >= 64 || len < (1u64 << synapse_bits)
}

/// Bits of a synapse word's target field: a lane of up to 2^14 neurons.
pub const SYN_TARGET_BITS: u32 = 14;
/// Where a synapse word keeps the width class (4 bits: see `regs` WIDTH_CLASSES).
pub const SYN_CLASS_SHIFT: u32 = 14;
/// Bits of a synapse word's class field.
pub const SYN_CLASS_BITS: u32 = 4;
/// Where a synapse word keeps the weight code (`weight_code`, 14 bits).
pub const SYN_WEIGHT_SHIFT: u32 = 18;

/// A `Synapse` word: the target's address in its lane (bits 0..14), the width class
/// (bits 14..18) and the weight code (bits 18..32). Fields wider than theirs are cut.
pub const fn synapse_word(target: u32, class: u32, weight_code: u16) -> u32 {
    ((weight_code as u32) << SYN_WEIGHT_SHIFT)
        | ((class & ((1 << SYN_CLASS_BITS) - 1)) << SYN_CLASS_SHIFT)
        | (target & ((1 << SYN_TARGET_BITS) - 1))
}

/// Bus word address of `index` in `region`.
pub const fn word_addr(region: Region, index: u32) -> u32 {
    ((region as u32) << INDEX_BITS) | (index & ((1 << INDEX_BITS) - 1))
}

/// Bus word address of a register at byte offset `offset` (see `regs::offset`).
pub const fn reg_addr(offset: u32) -> u32 {
    word_addr(Region::Regs, offset / 4)
}
