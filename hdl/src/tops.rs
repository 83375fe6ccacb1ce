//! The designs other crates build from this one, by name: the sim crate's build script
//! verilates them and `gen` writes them out.

use rust_hdl::prelude::*;

use crate::neuron_pipe::NeuronPipe;

/// Names of the designs [`verilog`] knows.
pub const TOPS: &[&str] = &["neuron_pipe"];

/// The Verilog of design `name` (module `top` and its hierarchy), or `None` for an unknown name.
pub fn verilog(name: &str) -> Option<String> {
    match name {
        "neuron_pipe" => {
            let mut uut = NeuronPipe::default();
            uut.connect_all();
            Some(generate_verilog(&uut))
        }
        _ => None,
    }
}
