//! The simulated PCIe board: the core behind the TLP adapter (`memfire_hdl::pcie_core`),
//! verilated, with a transaction-level root complex in Rust on the other side of the link.

pub mod backend;
pub mod root_complex;

pub use backend::{PcieSimBackend, PcieSimOptions};
pub use root_complex::{LinkStats, RcOptions, RootComplex};
