//! Backend selection from one word: `model`, `model:float`, `sim`, `vfio:<pci address>`,
//! `serial:<tty>`. This library opens the model itself; the simulated board lives in
//! memfire-sim (which depends on this crate), so front ends open `sim` through it.

use std::str::FromStr;

use crate::engine::Engine;
use crate::error::EngineError;
use crate::model_engine::{ModelEngine, Precision};

/// A parsed backend string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackendSpec {
    /// The software model with the given arithmetic, on `threads` threads (fixed point only;
    /// the same spikes for any count).
    Model { precision: Precision, threads: usize },
    /// The generated Verilog under Verilator (memfire-sim).
    Sim,
    /// The PCIe board under Verilator: `core-small` behind the TLP adapter, a root-complex
    /// model on the link (memfire-sim).
    SimPcie,
    /// A PCIe board through VFIO, by PCI address (`0000:01:00.0`).
    Vfio(String),
    /// A board behind a serial bridge, by device path.
    Serial(String),
}

/// Backends this build can open, for error messages and `--help`.
pub const AVAILABLE: &str = "model (bit-exact fixed point), model:float (f64 reference), \
     sim (the FPGA design under Verilator), sim-pcie (the PCIe board's design under Verilator, \
     64 neurons, TLPs to a root-complex model), vfio:<pci address> (a PCIe board), \
     serial:<tty>[@baud] (a board behind the UART bridge)";

impl BackendSpec {
    /// The model with `precision`, in one thread.
    pub fn model(precision: Precision) -> BackendSpec {
        BackendSpec::Model { precision, threads: 1 }
    }

    /// The same backend on `threads` threads: only the fixed-point model takes more than one.
    pub fn with_threads(self, threads: usize) -> Result<BackendSpec, EngineError> {
        match self {
            BackendSpec::Model { precision, .. } => Ok(BackendSpec::Model { precision, threads }),
            _ if threads == 1 => Ok(self),
            other => Err(EngineError::UnknownBackend {
                given: format!("{other:?} with {threads} threads"),
                hint: "threads split the software model's neurons; a board or the simulated FPGA \
                       has its own lanes (use --backend model)"
                    .into(),
            }),
        }
    }
}

impl FromStr for BackendSpec {
    type Err = EngineError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "model" | "model:fixed" => Ok(BackendSpec::model(Precision::Fixed)),
            "model:float" => Ok(BackendSpec::model(Precision::Float)),
            "sim" => Ok(BackendSpec::Sim),
            "sim-pcie" => Ok(BackendSpec::SimPcie),
            other => match other.split_once(':') {
                Some(("vfio", addr)) if !addr.is_empty() => Ok(BackendSpec::Vfio(addr.to_string())),
                Some(("serial", tty)) if !tty.is_empty() => Ok(BackendSpec::Serial(tty.to_string())),
                _ => Err(EngineError::UnknownBackend {
                    given: other.to_string(),
                    hint: format!("available: {AVAILABLE}"),
                }),
            },
        }
    }
}

/// Open a backend.
pub fn open(spec: &BackendSpec) -> Result<Box<dyn Engine>, EngineError> {
    match spec {
        BackendSpec::Model { precision, threads } => Ok(Box::new(ModelEngine::with_threads(*precision, *threads)?)),
        BackendSpec::Sim | BackendSpec::SimPcie => Err(EngineError::UnknownBackend {
            given: format!("{spec:?}"),
            hint: "the simulated boards are opened through memfire-sim (memfire_sim::open_engine)".into(),
        }),
        BackendSpec::Vfio(addr) => {
            let backend = crate::vfio::VfioBackend::open(addr)?;
            Ok(Box::new(crate::device::Device::open(backend)?))
        }
        BackendSpec::Serial(tty) => {
            let (path, baud) = match tty.split_once('@') {
                Some((p, b)) => (
                    p,
                    b.parse().map_err(|_| EngineError::UnknownBackend {
                        given: format!("serial:{tty}"),
                        hint: "write serial:<tty>[@<baud>], e.g. serial:/dev/ttyUSB0@1000000".into(),
                    })?,
                ),
                None => (tty.as_str(), crate::serial::DEFAULT_BAUD),
            };
            let link = crate::serial::TtyLink::open(path, baud).map_err(|e| EngineError::Io {
                path: path.into(),
                source: e,
            })?;
            Ok(Box::new(crate::device::Device::open(
                crate::serial::SerialBackend::new(link),
            )?))
        }
    }
}
