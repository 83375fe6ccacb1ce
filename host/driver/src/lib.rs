//! memfire-host: how every front end reaches the neurons.
//!
//! [`Engine`] is what users, the CLI and Python see: load a network, run it under a stimulus,
//! stream the spikes out, probe states. Backends implement it: the pure-Rust [`ModelEngine`]
//! now; the Verilator simulation, VFIO (PCIe) and serial boards through `Device<B>` later.
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
pub mod model_engine;
pub mod serial;
pub mod stream;

pub use backend::{open, BackendSpec};
pub use bus::{Backend, BusError};
pub use device::{Device, DeviceOptions};
pub use engine::{Engine, RunStats};
pub use error::EngineError;
pub use model_engine::{ModelEngine, Precision};
pub mod vfio;
