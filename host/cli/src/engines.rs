//! Opening the backend the user chose: the model through memfire-host, the simulated
//! board through memfire-sim (this binary is the crate above both).

use anyhow::{Context, Result};
use memfire_host::{BackendSpec, Engine};
use memfire_sim::SimOptions;

use crate::BackendArgs;

/// Open the engine selected by `args` (`default` when no `--backend` was given).
pub fn open_engine(args: &BackendArgs, default: &str) -> Result<Box<dyn Engine>> {
    match args.spec(default)? {
        BackendSpec::Sim => {
            let options = SimOptions {
                trace: args.trace.clone(),
                ..SimOptions::default()
            };
            let device = memfire_sim::open_device(options).context("opening the simulated FPGA")?;
            Ok(Box::new(device))
        }
        other => Ok(memfire_host::open(&other)?),
    }
}
