//! Arithmetic leaves of the neuron pipeline: the multiply with its rounding shift, clamps
//! and saturation, the drive-law table and its index, the square-root normalisation, the
//! random-number generator, the coefficient port. Blocks whose Verilog is written by hand
//! (rust-hdl has no wide multiply or leading-one search) call the spec crate's own integer
//! function in their `update`.

pub mod coef_port;
pub mod drive_index;
pub mod drive_table;
pub mod dsp_family;
pub mod dual_read_ram;
pub mod mul_round;
pub mod rng;
pub mod saturate;
pub mod sqrt_norm;
