//! The designs other crates build from this one, by name: the sim crate's build script
//! verilates them, `gen` writes them out, `scripts/synth.sh` synthesises them.

use rust_hdl::prelude::*;

use crate::arith::dsp_family::DspFamily;
use crate::core::NeuronCore;
use crate::lane::neuron_pipe::NeuronPipe;
use crate::pcie_core::PcieCore;
use crate::uart_core::UartCore;

/// One configuration of the core: the address widths that size its memories.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoreConfig {
    pub name: &'static str,
    /// Update lanes (a power of two), log2 of the neurons per lane.
    pub lanes: u32,
    pub lane_bits: u32,
    /// log2 of neurons (lane_bits + log2 lanes), of synapse entries into each lane,
    /// history entries, output-ring entries, and of the per-step count ring (pulses up to
    /// 2^width_bits − 1 steps).
    pub neuron_bits: u32,
    pub synapse_bits: u32,
    pub history_bits: u32,
    pub out_bits: u32,
    pub width_bits: u32,
    /// Synapses each lane's bank holds (≤ 2^synapse_bits), and parameter sets (1..=16).
    pub synapses_per_lane: u32,
    pub param_sets: u32,
    /// The FPGA family whose multiplier blocks the lanes' multiplies are shaped for (the
    /// board's; `gen --family` writes another's for a resource comparison).
    pub family: DspFamily,
    pub purpose: &'static str,
}

impl CoreConfig {
    pub fn describe(&self) -> String {
        format!(
            "core `{}`: {} neurons, {} synapses, {} parameter sets, {} history entries, {}-entry output ring, pulses up to {} steps, {} lane{}",
            self.name,
            1u64 << self.neuron_bits,
            u64::from(self.lanes) * u64::from(self.synapses_per_lane),
            self.param_sets,
            1u64 << self.history_bits,
            1u64 << self.out_bits,
            (1u64 << self.width_bits) - 1,
            self.lanes,
            if self.lanes == 1 { "" } else { "s" }
        )
    }
}

macro_rules! core_configs {
    ($($name:literal => ($lb:literal, $p:literal, $nb:literal, $sb:literal, $hb:literal, $ob:literal, $wb:literal, $depth:literal, $sets:literal, $family:ident), $purpose:literal;)*) => {
        /// Every named core configuration.
        pub const CORES: &[CoreConfig] = &[
            $(CoreConfig {
                name: $name, lanes: $p, lane_bits: $lb,
                neuron_bits: $nb, synapse_bits: $sb, history_bits: $hb,
                out_bits: $ob, width_bits: $wb, synapses_per_lane: $depth,
                param_sets: $sets, family: DspFamily::$family, purpose: $purpose,
            },)*
        ];

        fn core_verilog(name: &str, family: Option<DspFamily>) -> Option<String> {
            match name {
                $($name => {
                    let config = with_family(core_config($name)?, family);
                    let mut uut = NeuronCore::<$lb, $p, $nb, $sb, $hb, $ob, $wb>::default()
                        .sized(&config);
                    uut.connect_all();
                    Some(generate_verilog(&uut))
                })*
                _ => None,
            }
        }
    };
}

// (lane bits, lanes, neuron bits, synapse index bits per lane, history bits, output-ring
// bits, width bits, synapses per lane, parameter sets, multipliers' family)
core_configs! {
    "core" => (9, 2, 10, 16, 16, 14, 10, 65536, 16, Xilinx7), "the simulated board (memfire-sim) and CI: fits the benchmark network, 2 lanes";
    "core-small" => (6, 1, 6, 10, 10, 8, 7, 1024, 16, Ecp5), "smallest useful core, for quick synthesis checks in CI";
    "core-small-p4" => (4, 4, 6, 8, 10, 8, 7, 256, 16, Ecp5), "core-small's 64 neurons on 4 lanes: what a lane costs, in CI";
    "core-1k" => (10, 1, 10, 15, 13, 12, 8, 32768, 16, Ecp5), "1024 neurons, 32 Ki synapses";
    "core-1k-p4" => (8, 4, 10, 12, 13, 12, 8, 4096, 16, Ecp5), "1024 neurons on 4 lanes, 16 Ki synapses";
    "core-4k" => (12, 1, 12, 15, 14, 12, 8, 32768, 16, Ecp5), "4096 neurons, 32 Ki synapses";
    "core-bench-1k" => (9, 2, 10, 16, 12, 10, 10, 53248, 4, Ecp5), "the benchmark network's 1024 neurons on 2 lanes, 106 496 synapses (its 102 400 with room for the lanes' uneven shares), 4 parameter sets: the ULX3S image (LFE5U-85F)";
    "core-bench-1k-p4" => (8, 4, 10, 15, 12, 10, 10, 26624, 4, Ecp5), "the benchmark network's 1024 neurons on 4 lanes (their state in LUT RAM but for the 32-bit fields), 106 496 synapses, 4 parameter sets: the `ulx3s-p4` image's core (not yet met at the PLL's clock on every nextpnr seed: docs/timing.md)";
    "core-bench-2k" => (8, 8, 11, 14, 12, 10, 10, 13312, 4, Xilinx7), "2048 neurons on 8 lanes (their state in LUT RAM but for the 32-bit fields), 106 496 synapses (the benchmark network's 102 400 with room for its lanes' uneven shares), 4 parameter sets: the LiteFury image (XC7A100T)";
    "core-p4" => (8, 4, 10, 15, 16, 14, 10, 32768, 16, Xilinx7), "the simulated board's 1024 neurons on 4 lanes (Verilator, scripts/bench-lanes.sh)";
    "core-p8" => (7, 8, 10, 14, 16, 14, 10, 16384, 16, Xilinx7), "the simulated board's 1024 neurons on 8 lanes (Verilator, scripts/bench-lanes.sh)";
}

/// A board image's core and the clock it runs at on the board.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImageCore {
    /// The image (`memfire-firmware`'s IMAGES) and its core configuration (`CORES`).
    pub image: &'static str,
    pub core: &'static str,
    /// The core's clock on the board, Hz, and where it comes from.
    pub clock_hz: f64,
    pub clock: &'static str,
}

/// The board images' cores: `memfire-firmware` builds each image around its core, and
/// `memfire bench` turns the cycles per step Verilator measures on the core into the
/// image's updates per second.
pub const IMAGE_CORES: &[ImageCore] = &[
    ImageCore {
        image: "ulx3s",
        core: "core-bench-1k",
        clock_hz: 120e6,
        clock: "120 MHz from the ECP5's PLL on the board's 25 MHz oscillator (met on nextpnr seeds 1, 2 and 3: docs/timing.md)",
    },
    ImageCore {
        image: "litefury",
        core: "core-bench-2k",
        clock_hz: 125e6,
        clock: "125 MHz from an MMCM on the PCIe block's user clock, across a clock crossing (unverified: no Vivado here)",
    },
];

/// The image whose core is `core`, if any.
pub fn image_of_core(core: &str) -> Option<&'static ImageCore> {
    IMAGE_CORES.iter().find(|i| i.core == core)
}

/// The core of image `image`.
pub fn image_core(image: &str) -> Option<&'static CoreConfig> {
    IMAGE_CORES
        .iter()
        .find(|i| i.image == image)
        .and_then(|i| core_config(i.core))
}

/// The configuration of the simulated board, as a type (see `CORES["core"]`).
pub type SimCore = NeuronCore<9, 2, 10, 16, 16, 14, 10>;

/// Names of every design [`verilog`] knows.
pub fn designs() -> Vec<&'static str> {
    let mut names = vec!["neuron_pipe", "uart_core", "pcie_core", "pcie-litefury"];
    names.extend(CORES.iter().map(|c| c.name));
    names
}

/// The configuration named `name`.
pub fn core_config(name: &str) -> Option<&'static CoreConfig> {
    CORES.iter().find(|c| c.name == name)
}

/// Clock cycles per UART bit of the simulated serial board.
pub const SIM_UART_CPB: u64 = 4;

/// The `core-small` core behind a UART bridge at `SIM_UART_CPB` clocks per bit: the serial
/// backend's test board in Verilator.
pub type SimUartCore = UartCore<SIM_UART_CPB, 6, 1, 6, 10, 10, 8, 7>;

/// The `core-small` core behind the PCIe TLP adapter: the PCIe board's test design in
/// Verilator, driven by the simulation's root-complex model.
pub type SimPcieCore = PcieCore<6, 1, 6, 10, 10, 8, 7>;

/// `core-bench-2k` (8 lanes) behind the PCIe TLP adapter and the clock crossing (sized with
/// `PcieCore::sized`): what the LiteFury image (memfire-firmware) puts behind the integrated block;
/// `scripts/synth.sh pcie-litefury` reports its resources.
pub type PcieCoreLitefury = PcieCore<8, 8, 11, 14, 12, 10, 10>;

/// The Verilog of design `name` (module `top` and its hierarchy), or `None` for an unknown name.
pub fn verilog(name: &str) -> Option<String> {
    let name = name.to_owned();
    on_deep_stack(move || design_verilog(&name, None))
}

/// The Verilog of design `name` with its multiplies shaped for `family` rather than its
/// board's: what `scripts/synth.sh` gives each family's synthesis.
pub fn verilog_for_family(name: &str, family: DspFamily) -> Option<String> {
    let name = name.to_owned();
    on_deep_stack(move || design_verilog(&name, Some(family)))
}

/// `config`, with its multipliers shaped for `family` when one is given.
fn with_family(config: &CoreConfig, family: Option<DspFamily>) -> CoreConfig {
    CoreConfig {
        family: family.unwrap_or(config.family),
        ..*config
    }
}

/// Runs `build` on a thread with a 256 MiB stack and returns its result. A core is one
/// large value built on the stack, and rust-hdl's `connect_all` and Verilog generation
/// recurse through its whole hierarchy: a multi-lane core overflows a test thread's 2 MiB
/// and comes close to the main thread's 8 MiB. (The stack is reserved, not committed.)
pub fn on_deep_stack<T: Send + 'static>(build: impl FnOnce() -> T + Send + 'static) -> T {
    match std::thread::Builder::new().stack_size(256 << 20).spawn(build) {
        Ok(thread) => match thread.join() {
            Ok(value) => value,
            Err(panic) => std::panic::resume_unwind(panic),
        },
        Err(e) => panic!("cannot start a thread to build a design: {e}"),
    }
}

fn design_verilog(name: &str, family: Option<DspFamily>) -> Option<String> {
    match name {
        "neuron_pipe" => {
            let mut uut = NeuronPipe::new(16, true, family.unwrap_or_default());
            uut.connect_all();
            Some(generate_verilog(&uut))
        }
        "uart_core" => {
            let mut uut = SimUartCore::default();
            uut.connect_all();
            Some(generate_verilog(&uut))
        }
        "pcie_core" => {
            let mut uut = SimPcieCore::default();
            uut.connect_all();
            Some(generate_verilog(&uut))
        }
        "pcie-litefury" => {
            let mut uut = PcieCoreLitefury::default().sized(&with_family(image_core("litefury")?, family));
            uut.connect_all();
            Some(generate_verilog(&uut))
        }
        other => core_verilog(other, family),
    }
}

/// The designs the simulation crate verilates.
pub const TOPS: &[&str] = &["neuron_pipe", "core", "uart_core", "pcie_core"];
