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
pub const VERSION: u32 = 0x0004_0000;

/// Bits of `CTRL`.
pub mod ctrl {
    /// Run `RUN_STEPS` steps.
    pub const RUN: u32 = 1 << 0;
    /// Run until STOP (RUN_STEPS is ignored).
    pub const FREE_RUN: u32 = 1 << 1;
    /// Stop after the current step.
    pub const STOP: u32 = 1 << 2;
    /// While idle: clear the step counter, spike history, output ring and counters (the host
    /// then loads neuron state and inputs through the memory windows).
    pub const CLEAR: u32 = 1 << 3;
}

/// Bits of `STATUS`.
pub mod status {
    /// Timestep controller is running.
    pub const RUNNING: u32 = 1 << 0;
    /// Waiting for room in the output ring (the host has not consumed spikes).
    pub const STALLED: u32 = 1 << 1;
    /// An error was recorded in `ERRORS`; the controller stopped.
    pub const ERROR: u32 = 1 << 2;
    /// Waiting for input: `DMA_CTRL.INPUT_GATE` is set, the input ring is empty and the
    /// step has reached `IN_HORIZON`.
    pub const WAIT_INPUT: u32 = 1 << 3;
}

/// Bits of `ERRORS`.
pub mod errors {
    /// The spike history (the spikes of the last steps, as many as the widest class) would
    /// overflow.
    pub const HISTORY_FULL: u32 = 1 << 0;
    /// The host wrote a memory window while the controller was running (write ignored).
    pub const WRITE_WHILE_RUNNING: u32 = 1 << 1;
    /// `CLASSES` is 0 or above `WIDTH_CLASSES` at RUN, or a width of 0 or above `MAX_WIDTH`
    /// was written to the `ClassWidth` window (the write is ignored).
    pub const BAD_PULSE_WIDTH: u32 = 1 << 2;
    /// The DMA engine read a descriptor it cannot serve (wrong kind, or a length that is
    /// zero or not a whole number of records); the engine halts until `DMA_CTRL` is written.
    pub const BAD_DESCRIPTOR: u32 = 1 << 3;
    /// A DMA read of host memory failed (an IOMMU fault, or a PCIe completion with an
    /// error status or none at all); the engine halts until `DMA_CTRL` is written.
    pub const DMA_READ_FAILED: u32 = 1 << 4;
}

/// Bits of `DMA_CTRL`.
pub mod dma_ctrl {
    /// Output spikes leave through the card-to-host descriptor ring (else they wait in the
    /// output ring for the host to read the `OutRing` window).
    pub const C2H: u32 = 1 << 0;
    /// Input events arrive through the host-to-card descriptor ring.
    pub const H2C: u32 = 1 << 1;
    /// With an empty input ring, do not start a step at or past `IN_HORIZON` (the host has
    /// not posted its inputs yet): wait, and count the cycles as stalls.
    pub const INPUT_GATE: u32 = 1 << 2;
}

/// Bits of `IRQ_MASK` / `IRQ_STATUS`.
pub mod irq {
    /// The output ring holds spikes.
    pub const DATA: u32 = 1 << 0;
    /// A run of `RUN_STEPS` steps finished (or stopped).
    pub const DONE: u32 = 1 << 1;
    /// An error was recorded.
    pub const ERROR: u32 = 1 << 2;
    /// DMA descriptors completed (coalesced: `IRQ_COALESCE_COUNT` completions, or
    /// `IRQ_COALESCE_CYCLES` after the first unannounced one, or a `DESC_IRQ` descriptor).
    pub const DMA: u32 = 1 << 3;
}

/// Bits of `FEATURES`.
pub mod features {
    pub const NOISE: u32 = 1 << 0;
    pub const C2C: u32 = 1 << 1;
    pub const DMA: u32 = 1 << 2;
    pub const UART: u32 = 1 << 3;
    pub const PCIE: u32 = 1 << 4;
    /// The host-to-card ring carries `Config` buffers (bus writes applied by the card) and
    /// the card-to-host ring `Probes` records of the neurons in the probe list.
    pub const DMA_CONFIG_PROBES: u32 = 1 << 5;
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
    FEATURES = 0x008, Ro, 0, "Feature bits: 0 noise, 1 c2c, 2 DMA, 3 UART bridge, 4 PCIe, 5 DMA config and probe records.";
    NEURONS = 0x00C, Ro, 0, "Neurons in this core.";
    LANES = 0x010, Ro, 0, "Parallel update lanes.";
    MAX_WIDTH = 0x014, Ro, 0, "Longest synaptic pulse this core supports, steps.";
    PARAM_SETS = 0x018, Ro, 0, "Parameter sets in the coefficient memory.";
    SYNAPSES = 0x01C, Ro, 0, "Synapse memory entries.";
    HISTORY = 0x020, Ro, 0, "Spike-history entries (spikes of the last steps, as many as the widest class).";
    OUT_RING = 0x024, Ro, 0, "Output-ring entries.";
    ACTIVE = 0x028, Rw, 0, "Neurons updated per step (the loaded network's size, at most NEURONS).";
    PROBES = 0x02C, Ro, 0, "Entries of the probe list (the PROBE_LIST window).";
    PROBE_COUNT = 0x030, Rw, 0, "After every step, send a probe record of the first PROBE_COUNT neurons of the probe list to the card-to-host ring (0: off; needs DMA_CTRL.C2H).";
    WIDTH_CLASSES = 0x034, Ro, 0, "Pulse-width classes a network may use (entries of the ClassWidth window).";
    CTRL = 0x040, Wo, 0, "Control: bit 0 RUN (RUN_STEPS steps), 1 FREE_RUN (until STOP), 2 STOP, 3 CLEAR.";
    STATUS = 0x044, Ro, 0, "Status: bit 0 RUNNING, 1 STALLED, 2 ERROR, 3 WAIT_INPUT.";
    RUN_STEPS = 0x048, Rw, 0, "Steps to run on CTRL.RUN.";
    CLASSES = 0x04C, Rw, 1, "Pulse-width classes the loaded network uses (1..=WIDTH_CLASSES); class c's width is entry c of the ClassWidth window, class 0 the widest.";
    STEP_LO = 0x050, Ro, 0, "Steps run since the state was loaded, low word (host-writable while idle).";
    STEP_HI = 0x054, Ro, 0, "Steps run, high word.";
    SPIKES_OUT = 0x058, Ro, 0, "Output spikes produced.";
    SYN_EVENTS = 0x05C, Ro, 0, "Synaptic events delivered (pulse starts; ends not counted).";
    STALL_CYCLES = 0x060, Ro, 0, "Clock cycles stalled waiting for room in the output ring or for input.";
    ERRORS = 0x064, W1c, 0, "Error bits: 0 history full, 1 write while running, 2 bad pulse width, 3 bad DMA descriptor, 4 DMA read failed.";
    DROPS = 0x068, Ro, 0, "Spikes dropped: always 0, the controller stalls instead.";
    SPIKES_IN = 0x06C, Ro, 0, "External-input updates accepted (writes to the EXT window).";
    OUT_HEAD = 0x080, Ro, 0, "Output-ring producer index (card advances; free-running).";
    OUT_TAIL = 0x084, Rw, 0, "Output-ring consumer index (host advances; free-running).";
    IRQ_MASK = 0x0C0, Rw, 0, "Interrupt enable bits: 0 data, 1 run done, 2 error, 3 DMA.";
    IRQ_STATUS = 0x0C4, W1c, 0, "Pending interrupt bits.";
    IRQ_COALESCE_COUNT = 0x0C8, Rw, 0, "DMA interrupt after this many descriptor completions (0 counts as 1).";
    IRQ_COALESCE_CYCLES = 0x0CC, Rw, 0, "DMA interrupt this many cycles after the first unannounced completion (0: off).";
    DMA_CTRL = 0x100, Rw, 0, "DMA: bit 0 C2H (spikes to the card-to-host ring), 1 H2C (inputs from the host-to-card ring), 2 INPUT_GATE.";
    C2H_RING_LO = 0x104, Rw, 0, "Card-to-host descriptor ring: bus address, low word (16-byte aligned).";
    C2H_RING_HI = 0x108, Rw, 0, "Card-to-host descriptor ring: bus address, high word.";
    C2H_RING_SIZE = 0x10C, Rw, 0, "Card-to-host descriptor ring: entries, a power of two.";
    C2H_TAIL = 0x110, Rw, 0, "Card-to-host descriptors posted by the host (free-running).";
    C2H_HEAD = 0x114, Ro, 0, "Card-to-host descriptors completed by the card (free-running).";
    C2H_FLUSH_CYCLES = 0x118, Rw, 0, "Hand over a partly filled spike buffer this many cycles after its first record (0: only when full or idle).";
    H2C_RING_LO = 0x120, Rw, 0, "Host-to-card descriptor ring: bus address, low word (16-byte aligned).";
    H2C_RING_HI = 0x124, Rw, 0, "Host-to-card descriptor ring: bus address, high word.";
    H2C_RING_SIZE = 0x128, Rw, 0, "Host-to-card descriptor ring: entries, a power of two.";
    H2C_TAIL = 0x12C, Rw, 0, "Host-to-card descriptors posted by the host (free-running).";
    H2C_HEAD = 0x130, Ro, 0, "Host-to-card descriptors completed by the card (free-running).";
    IN_HORIZON = 0x134, Rw, 0, "With INPUT_GATE: the host has posted every input event before this step (low 32 bits).";
}

/// Register by name.
pub fn register(name: &str) -> Option<&'static Register> {
    REGISTERS.iter().find(|r| r.name == name)
}

/// The register at byte `offset` (one of [`offset`]'s constants), for constants such as
/// the hardware's power-up values: in a `const`, an offset not in the table fails the build.
pub const fn at_offset(offset: u32) -> &'static Register {
    let mut i = 0;
    while i < REGISTERS.len() {
        if REGISTERS[i].offset == offset {
            return &REGISTERS[i];
        }
        i += 1;
    }
    panic!("no register at this offset")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_offset_finds_every_register() {
        for r in REGISTERS {
            assert_eq!(at_offset(r.offset).name, r.name);
        }
    }

    #[test]
    fn table_is_sorted_aligned_and_unique() {
        for w in REGISTERS.windows(2) {
            assert!(w[0].offset < w[1].offset, "{} / {}", w[0].name, w[1].name);
        }
        assert!(REGISTERS.iter().all(|r| r.offset % 4 == 0));
        assert_eq!(REGISTERS[0].name, "ID");
        assert_eq!(REGISTERS[0].reset, MAGIC);
        assert_eq!(register("OUT_TAIL").map(|r| r.offset), Some(offset::OUT_TAIL));
    }
}
