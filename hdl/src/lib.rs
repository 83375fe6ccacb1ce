//! memfire-hdl: the FPGA half of memfire, written with RustHDL and emitted as Verilog.
//!
//! The fixed-point neuron model of `memfire-spec` is the reference: every block here is
//! tested against it, value for value.
//!
//! Blocks follow rust-hdl's shape (ports, then state, then `update`); arithmetic that
//! rust-hdl cannot express (wide multiplies, leading-zero counts) lives in small leaf blocks
//! with hand-written Verilog whose `update` calls the spec crate's own integer function.
//!
//! Two ways the Verilog can differ from rust-hdl's own simulation, found the hard way (the
//! Verilator tests catch both; the rust-hdl tests cannot):
//! - `signed_bit_cast::<W, 48>(a + b)` becomes `$signed(a + b)`, whose operands Verilog
//!   sizes by themselves: two 25-bit values add at 25 bits and wrap. Put the sum in a
//!   48-bit signal first, then cast.
//! - A parent's `update` is one Verilog always block. Feeding a child's input from a local
//!   signal that the block also reads after the child's output makes Verilator see a loop
//!   (UNOPTFLAT); compute the child's input from registers directly.

// rust-hdl's blocks are trees of `Signal`s that have no useful `Debug` form.
#![allow(missing_debug_implementations)]

pub mod arith;
pub mod bridges;
pub mod core;
pub mod dma;
pub mod lane;
pub mod pcie_core;
pub mod testbench;
pub mod tops;
pub mod uart_core;
