//! `memfire run`: a network file and a stimulus file in, a spike CSV out.

use crate::output::say;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use memfire_host::files::{load_network, load_stimulus, write_spikes};
use memfire_host::Engine;
use memfire_spec::format_spikes::Spike;
use memfire_spec::format_stimulus::Stimulus;

use crate::progress::bar;
use crate::BackendArgs;

/// Arguments of `memfire run`.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// Network file (TOML).
    #[arg(long)]
    network: PathBuf,
    /// Stimulus file (CSV `step,neuron,volts`); no input if omitted.
    #[arg(long)]
    stimulus: Option<PathBuf>,
    /// Steps to run.
    #[arg(long)]
    steps: u64,
    /// Spike file to write (CSV `step,neuron`).
    #[arg(long)]
    out: PathBuf,
    /// Also draw a raster plot to this PNG.
    #[arg(long)]
    raster: Option<PathBuf>,
    #[command(flatten)]
    backend: BackendArgs,
}

/// Run `steps` steps on `engine` in chunks, with a progress bar; returns the spikes.
pub fn run_with_progress(engine: &mut dyn Engine, stimulus: &Stimulus, steps: u64, label: &str) -> Result<Vec<Spike>> {
    let chunk = 1000.max(steps / 200);
    let pb = bar(steps, label);
    let mut spikes = Vec::new();
    let mut done = 0;
    while done < steps {
        let n = chunk.min(steps - done);
        engine.run(stimulus, n, &mut |step, neurons| {
            spikes.extend(neurons.iter().map(|&neuron| Spike { step, neuron }))
        })?;
        done += n;
        pb.set_position(done);
    }
    pb.finish_and_clear();
    Ok(spikes)
}

/// `memfire run`.
pub fn run(a: &RunArgs) -> Result<()> {
    let network = load_network(&a.network)?;
    let stimulus = match &a.stimulus {
        Some(p) => load_stimulus(p, network.neurons())?,
        None => Stimulus::default(),
    };
    let mut engine = crate::engines::open_engine(&a.backend, "model")?;
    engine
        .load(&network)
        .with_context(|| format!("loading {} onto {}", a.network.display(), engine.name()))?;
    let spikes = run_with_progress(engine.as_mut(), &stimulus, a.steps, "running")?;
    write_spikes(&a.out, &spikes)?;
    say!(
        "{} spikes from {} neurons in {} steps on {} -> {}",
        spikes.len(),
        network.neurons(),
        a.steps,
        engine.name(),
        a.out.display()
    );
    if let Some(png) = &a.raster {
        crate::plot::raster(png, &spikes, network.neurons(), a.steps, network.dt(), "Spike raster")?;
        say!("raster -> {}", png.display());
    }
    Ok(())
}
