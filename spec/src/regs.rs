//! The register map: one table from which the hardware's CSR block, the C header, the JSON
//! and Markdown documents and the driver's offsets are all generated. Never typed twice.
//!
//! Every register is 32 bits wide at a 4-byte aligned offset of BAR0 (or of the UART
//! bridge's register space). The block starts with an ID/version/feature header that the
//! driver checks at open.

/// How software may access a register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Read only.
    Ro,
    /// Read and write.
    Rw,
    /// Write only (reads return 0); writing triggers an action.
    Wo,
    /// Read; writing 1 to a bit clears it.
    W1c,
}

impl Access {
    /// Short name used in generated documents.
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Ro => "RO",
            Access::Rw => "RW",
            Access::Wo => "WO",
            Access::W1c => "W1C",
        }
    }
}

/// One register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Register {
    /// Upper-case name, used as the C macro suffix.
    pub name: &'static str,
    /// Byte offset.
    pub offset: u32,
    /// Access.
    pub access: Access,
    /// Value after reset (for RO identification registers: the fixed value).
    pub reset: u32,
    /// One-line description.
    pub doc: &'static str,
}

/// `"MFIR"` in ASCII: the value of `ID`.
pub const MAGIC: u32 = 0x4D46_4952;
/// Register-map version: major in bits 31..16, minor in 15..0. The driver refuses another
/// major version.
pub const VERSION: u32 = 0x0001_0000;

/// Bits of `CTRL`.
pub mod ctrl {
    /// Run `RUN_STEPS` steps, then stop.
    pub const RUN: u32 = 1 << 0;
    /// Run until `STOP`.
    pub const FREE_RUN: u32 = 1 << 1;
    /// Stop after the current step.
    pub const STOP: u32 = 1 << 2;
    /// Reset all neuron states, inputs, pending pulses and counters.
    pub const RESET: u32 = 1 << 3;
}

/// Bits of `STATUS`.
pub mod status {
    /// Timestep controller is running.
    pub const RUNNING: u32 = 1 << 0;
    /// Stalled because the card-to-host ring is full.
    pub const STALLED: u32 = 1 << 1;
    /// An error was recorded in `ERRORS`.
    pub const ERROR: u32 = 1 << 2;
}

macro_rules! registers {
    ($($name:ident = $off:literal, $acc:ident, $reset:expr, $doc:literal;)*) => {
        /// Byte offsets of every register, by name.
        pub mod offset {
            $(#[doc = $doc] pub const $name: u32 = $off;)*
        }
        /// The register table, in offset order.
        pub const REGISTERS: &[Register] = &[
            $(Register { name: stringify!($name), offset: $off, access: Access::$acc, reset: $reset, doc: $doc },)*
        ];
    };
}

registers! {
    ID = 0x000, Ro, MAGIC, "Identification: ASCII \"MFIR\".";
    VERSION = 0x004, Ro, VERSION, "Register-map version, major.minor in 16.16 bits.";
    FEATURES = 0x008, Ro, 0, "Feature bits: 0 noise, 1 c2c, 2 DMA, 3 UART bridge, 4 PCIe.";
    NEURONS = 0x00C, Ro, 0, "Neurons in this core.";
    LANES = 0x010, Ro, 0, "Parallel update lanes.";
    MAX_WIDTH = 0x014, Ro, 0, "Longest synaptic pulse, steps (delay-ring depth − 1).";
    PARAM_SETS = 0x018, Ro, 0, "Parameter sets in the coefficient table.";
    CTRL = 0x020, Wo, 0, "Control: bit 0 RUN, 1 FREE_RUN, 2 STOP, 3 RESET.";
    STATUS = 0x024, Ro, 0, "Status: bit 0 RUNNING, 1 STALLED, 2 ERROR.";
    RUN_STEPS = 0x028, Rw, 0, "Steps to run on CTRL.RUN.";
    SEED_LO = 0x02C, Rw, 0, "Global seed, low word (random streams are seeded at RESET).";
    SEED_HI = 0x030, Rw, 0, "Global seed, high word.";
    STEP_LO = 0x040, Ro, 0, "Steps run since reset, low word.";
    STEP_HI = 0x044, Ro, 0, "Steps run since reset, high word.";
    SPIKES_IN = 0x048, Ro, 0, "Input events accepted.";
    SPIKES_OUT = 0x04C, Ro, 0, "Output spikes produced.";
    STALL_CYCLES = 0x050, Ro, 0, "Clock cycles stalled on a full card-to-host ring.";
    ERRORS = 0x054, W1c, 0, "Error bits: 0 bad descriptor, 1 bad input event, 2 DMA error.";
    DROPS = 0x058, Ro, 0, "Spikes dropped (only in drop mode; 0 in the default stall mode).";
    H2C_BASE_LO = 0x080, Rw, 0, "Host-to-card descriptor ring base address, low word.";
    H2C_BASE_HI = 0x084, Rw, 0, "Host-to-card descriptor ring base address, high word.";
    H2C_SIZE = 0x088, Rw, 0, "Host-to-card ring entries (power of two).";
    H2C_HEAD = 0x08C, Rw, 0, "Host-to-card producer index (host writes).";
    H2C_TAIL = 0x090, Ro, 0, "Host-to-card consumer index (card advances).";
    C2H_BASE_LO = 0x0A0, Rw, 0, "Card-to-host descriptor ring base address, low word.";
    C2H_BASE_HI = 0x0A4, Rw, 0, "Card-to-host descriptor ring base address, high word.";
    C2H_SIZE = 0x0A8, Rw, 0, "Card-to-host ring entries (power of two).";
    C2H_HEAD = 0x0AC, Ro, 0, "Card-to-host producer index (card advances).";
    C2H_TAIL = 0x0B0, Rw, 0, "Card-to-host consumer index (host writes).";
    IRQ_MASK = 0x0C0, Rw, 0, "Interrupt enable bits: 0 C2H data, 1 run done, 2 error.";
    IRQ_STATUS = 0x0C4, W1c, 0, "Pending interrupt bits.";
    IRQ_COALESCE_COUNT = 0x0C8, Rw, 1, "Raise the data interrupt after this many records.";
    IRQ_COALESCE_CYCLES = 0x0CC, Rw, 0, "...or this many cycles after the first pending record.";
    PROBE_NEURON = 0x0E0, Rw, 0, "Neuron to probe.";
    PROBE_X1 = 0x0E4, Ro, 0, "Probed x1, Q1.23.";
    PROBE_X2 = 0x0E8, Ro, 0, "Probed x2, Q1.23.";
    PROBE_V = 0x0EC, Ro, 0, "Probed v, Q2.22.";
    PROBE_M = 0x0F0, Ro, 0, "Probed m, UQ3.14.";
    PROBE_REFRACTORY = 0x0F4, Ro, 0, "Probed refractory counter.";
}

/// Register by name.
pub fn register(name: &str) -> Option<&'static Register> {
    REGISTERS.iter().find(|r| r.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_aligned_and_unique() {
        for w in REGISTERS.windows(2) {
            assert!(w[0].offset < w[1].offset, "{} / {}", w[0].name, w[1].name);
        }
        assert!(REGISTERS.iter().all(|r| r.offset % 4 == 0));
        assert_eq!(REGISTERS[0].name, "ID");
        assert_eq!(REGISTERS[0].reset, MAGIC);
        assert_eq!(register("C2H_TAIL").map(|r| r.offset), Some(offset::C2H_TAIL));
    }
}
