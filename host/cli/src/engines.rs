//! Opening the backend the user chose: the model and the boards through memfire-host, the
//! simulated boards through memfire-sim (this binary is the crate above both; without the
//! `sim` feature it is built without Verilator and opens everything but `sim`/`sim-pcie`).

use anyhow::{Context, Result};
use memfire_host::{BackendSpec, Engine};

use crate::BackendArgs;

/// The backend `memfire demo` uses when none is given: the simulated FPGA if this build
/// has it.
pub const DEMO_DEFAULT: &str = if cfg!(feature = "sim") { "sim" } else { "model" };

/// Open the engine selected by `args` (`default` when no `--backend` was given).
pub fn open_engine(args: &BackendArgs, default: &str) -> Result<Box<dyn Engine>> {
    let spec = args.spec(default)?;
    open_spec(&spec, args).with_context(|| format!("opening {}", args.backend.as_deref().unwrap_or(default)))
}

#[cfg(feature = "sim")]
fn open_spec(spec: &BackendSpec, args: &BackendArgs) -> Result<Box<dyn Engine>> {
    let options = memfire_sim::SimOptions {
        trace: args.trace.clone(),
        ..memfire_sim::SimOptions::default()
    };
    Ok(memfire_sim::open_engine(spec, options)?)
}

#[cfg(not(feature = "sim"))]
fn open_spec(spec: &BackendSpec, _args: &BackendArgs) -> Result<Box<dyn Engine>> {
    if matches!(spec, BackendSpec::Sim | BackendSpec::SimPcie) {
        anyhow::bail!(
            "this memfire was built without the simulated FPGA (the `sim` feature, which needs \
             Verilator): install Verilator and rebuild with default features, or use --backend model"
        );
    }
    Ok(memfire_host::open(spec)?)
}
