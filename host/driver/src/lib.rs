//! memfire-host: how every front end reaches the neurons.
//!
//! [`Engine`] is what users, the CLI and Python see: load a network, run it under a stimulus,
//! stream the spikes out, probe states. The pure-Rust [`ModelEngine`] implements it, and so
//! does [`Device`] over any [`Bus`] (the transport a board is reached through: 32-bit
//! register reads and writes, DMA memory, interrupts): VFIO for a PCIe board ([`vfio`]), a
//! serial bridge ([`serial`]), and the Verilator simulation in memfire-sim. [`BackendSpec`]
//! is what a user selects (`--backend`), and [`open`] opens it.
//! [`files`] reads and writes the documented file formats with errors that name the file.
#![deny(unsafe_code)]

pub mod backend;
pub mod bus;
pub mod characterize;
pub mod device;
pub mod device_image;
pub mod dma_rings;
pub mod engine;
pub mod error;
pub mod files;
pub mod live_weights;
pub mod model_engine;
pub mod serial;
pub mod stream;
pub mod watchdog;

pub use backend::{open, BackendSpec};
pub use bus::{Bus, BusError};
pub use device::{Device, DeviceOptions};
pub use engine::{Engine, RunStats};
pub use error::EngineError;
pub use model_engine::{ModelEngine, Precision};
pub mod vfio;
