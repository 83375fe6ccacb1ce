//! Opening the backend the user chose: the model through memfire-host, the simulated
//! board through memfire-sim (this binary is the crate above both).

use anyhow::{Context, Result};
use memfire_host::Engine;
use memfire_sim::SimOptions;

use crate::BackendArgs;

/// Open the engine selected by `args` (`default` when no `--backend` was given).
pub fn open_engine(args: &BackendArgs, default: &str) -> Result<Box<dyn Engine>> {
    let spec = args.spec(default)?;
    let options = SimOptions {
        trace: args.trace.clone(),
        ..SimOptions::default()
    };
    memfire_sim::open_engine(&spec, options)
        .with_context(|| format!("opening {}", args.backend.as_deref().unwrap_or(default)))
}
