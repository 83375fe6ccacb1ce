//! memfire-sim: the Verilog that memfire-hdl generates, compiled by Verilator and driven
//! from Rust, cycle for cycle. CI runs the driver against this instead of a board.

mod ffi;
pub mod neuron_pipe;
