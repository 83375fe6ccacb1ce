//! The paper's single-neuron protocols run on any engine, by name: one dispatch shared by
//! the CLI (`memfire characterize`) and the Python bindings.

use memfire_spec::format_spikes::Spike;
use memfire_spec::format_stimulus::Stimulus;
use memfire_spec::network::Network;
use memfire_spec::params::NeuronParams;
use memfire_spec::protocols::{self, default_sweep, Table, PROTOCOLS};

use crate::engine::Engine;
use crate::error::{EngineError, Result};

/// Run protocol `name` (see `memfire_spec::protocols::PROTOCOLS`) on `engine` with its
/// default sweep; `progress(done, total)` after each point. Before each run, `cancelled()`
/// may stop the protocol with [`EngineError::Cancelled`] (e.g. on Ctrl-C).
pub fn run_protocol(
    name: &str,
    params: &NeuronParams,
    trials: u32,
    engine: &mut dyn Engine,
    progress: &mut dyn FnMut(usize, usize),
    cancelled: &dyn Fn() -> bool,
) -> Result<Table> {
    if trials == 0 {
        return Err(EngineError::Stimulus("trials must be at least 1".into()));
    }
    let sweep = default_sweep(name);
    let mut runner = |net: &Network, stim: &Stimulus, steps: u64| -> Result<Vec<Spike>, EngineError> {
        if cancelled() {
            return Err(EngineError::Cancelled);
        }
        engine.load(net)?;
        engine.run_collect(stim, steps)
    };
    match name {
        "dc-latency" => protocols::dc_latency(params, &sweep, &mut runner, progress),
        "leaky-integration" => protocols::leaky_integration(params, &sweep, &mut runner, progress),
        "paired-pulse" => protocols::paired_pulse(params, &sweep, &mut runner, progress),
        "isi-vs-rc" => protocols::isi_vs_rc(params, &sweep, &mut runner, progress),
        "refractory" => protocols::refractory(params, &sweep, &mut runner, progress),
        "probability" => protocols::probability(params, &sweep, trials, &mut runner, progress),
        other => Err(EngineError::UnknownProtocol {
            given: other.to_string(),
            known: PROTOCOLS.map(|p| p.0).join(", "),
        }),
    }
}
