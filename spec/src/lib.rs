//! memfire-spec: the single source of truth of memfire.
//!
//! - the 1M1T1R neuron, twice: [`neuron_f64`] (reference, the model document's discrete
//!   update) and [`neuron_fixed`] (bit-exact integer arithmetic of the FPGA datapath);
//! - [`params`] in physical units and their conversion to fixed point ([`coef_set`], [`tables`]);
//! - [`network`]s (weights as the synapse memories store them: [`weight_code`]), their [`model`] (synaptic delay ring, external input) and per-neuron
//!   random streams ([`rng`]);
//! - file formats ([`format_network`], [`format_stimulus`], [`format_spikes`]);
//! - the register map ([`regs`]), DMA wire formats ([`wire`]) and the PCIe packets that
//!   carry them ([`tlp`]);
//! - measurement [`protocols`] of the paper on a single neuron.
//!
//! No I/O, and no unsafe code but the one call of the neuron loop compiled for a vector
//! extension the CPU was found to have (`kernel`): every other crate builds on this one.
#![deny(unsafe_code)]

pub mod coef_set;
pub mod coefficient;
pub mod fixed;
pub mod neuron_f64;
pub mod neuron_fixed;
pub mod params;
pub mod protocols;
pub mod rng;
pub mod tables;
pub mod tlp;
pub mod uart_proto;

pub mod coef_words;
pub mod delivery;
pub mod format_error;
pub mod format_network;
pub mod format_spikes;
pub mod format_stimulus;
pub mod format_synapse_list;
pub mod generate;
pub mod kernel;
pub mod memmap;
pub mod model;
pub mod network;
pub mod regs;
pub mod regs_doc;
pub mod weight_code;
pub mod wire;
