//! Backend selection from one word: `model`, `model:float`, and (in later versions)
//! `sim`, `vfio:<pci address>`, `serial:<tty>`.

use std::str::FromStr;

use crate::engine::Engine;
use crate::error::EngineError;
use crate::model_engine::{ModelEngine, Precision};

/// A parsed backend string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackendSpec {
    /// The software model with the given arithmetic.
    Model(Precision),
}

/// Backends this build can open, for error messages and `--help`.
pub const AVAILABLE: &str = "model (bit-exact fixed point), model:float (f64 reference)";

impl FromStr for BackendSpec {
    type Err = EngineError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "model" | "model:fixed" => Ok(BackendSpec::Model(Precision::Fixed)),
            "model:float" => Ok(BackendSpec::Model(Precision::Float)),
            other => {
                let kind = other.split(':').next().unwrap_or(other);
                let hint = match kind {
                    "sim" | "vfio" | "serial" => {
                        format!("the `{kind}` backend is not part of this build yet; available: {AVAILABLE}")
                    }
                    _ => format!("available: {AVAILABLE}"),
                };
                Err(EngineError::UnknownBackend {
                    given: other.to_string(),
                    hint,
                })
            }
        }
    }
}

/// Open a backend.
pub fn open(spec: &BackendSpec) -> Result<Box<dyn Engine>, EngineError> {
    match spec {
        BackendSpec::Model(p) => Ok(Box::new(ModelEngine::new(*p))),
    }
}
