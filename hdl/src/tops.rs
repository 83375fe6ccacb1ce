//! The designs other crates build from this one, by name: the sim crate's build script
//! verilates them and `gen` writes them out.

use rust_hdl::prelude::*;

use crate::core::NeuronCore;
use crate::neuron_pipe::NeuronPipe;

/// Names of the designs [`verilog`] knows.
pub const TOPS: &[&str] = &["neuron_pipe", "core"];

/// The simulation and CI configuration of the core: 1024 neurons, 128 Ki synapses, 64 Ki
/// history entries, a 16 Ki-entry output ring, pulses up to 1023 steps.
pub type SimCore = NeuronCore<10, 17, 16, 14, 10>;

/// The Verilog of design `name` (module `top` and its hierarchy), or `None` for an unknown name.
pub fn verilog(name: &str) -> Option<String> {
    match name {
        "neuron_pipe" => {
            let mut uut = NeuronPipe::default();
            uut.connect_all();
            Some(generate_verilog(&uut))
        }
        "core" => {
            let mut uut = SimCore::default();
            uut.connect_all();
            Some(generate_verilog(&uut))
        }
        _ => None,
    }
}
