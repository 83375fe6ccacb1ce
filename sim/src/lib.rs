//! memfire-sim: the Verilog that memfire-hdl generates, compiled by Verilator and driven
//! from Rust, cycle for cycle. [`SimBackend`] is the simulated board behind the driver's
//! `Device`; CI runs every driver test against it instead of a board.

pub mod backend;
mod ffi;
pub mod neuron_pipe;

pub use backend::{SimBackend, SimOptions};

/// Open the simulated board as a `Device` (the `sim` backend of every front end).
pub fn open_device(options: SimOptions) -> memfire_host::error::Result<memfire_host::Device<SimBackend>> {
    let backend = SimBackend::new(options)?;
    memfire_host::Device::open(backend)
}
