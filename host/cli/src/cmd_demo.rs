//! `memfire demo`: the README's main job. Runs the demo network (examples/demo, built into
//! the binary), prints a spike summary and writes the spikes and a raster plot.

use crate::output::say;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use memfire_host::files::write_spikes;
use memfire_spec::format_network::{add_weight_matrix_csv, parse_network};
use memfire_spec::format_stimulus::parse_stimulus;

use crate::cmd_run::run_with_progress;
use crate::BackendArgs;

const NETWORK: &str = include_str!("../../../examples/demo/network.toml");
const WEIGHTS: &str = include_str!("../../../examples/demo/weights.csv");
const STIMULUS: &str = include_str!("../../../examples/demo/stimulus.csv");

/// Arguments of `memfire demo`.
#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Steps to run (10 µs each).
    #[arg(long, default_value_t = 50_000)]
    steps: u64,
    /// Output folder for spikes.csv and raster.png.
    #[arg(long, default_value = "out/demo")]
    out: PathBuf,
    #[command(flatten)]
    backend: BackendArgs,
}

/// `memfire demo`.
pub fn run(a: &DemoArgs) -> Result<()> {
    let file = parse_network("examples/demo/network.toml", NETWORK)?;
    let mut network = file.network;
    let width = file.matrix.map_or(100, |m| m.width);
    add_weight_matrix_csv(&mut network, "examples/demo/weights.csv", WEIGHTS, width)?;
    let stimulus = parse_stimulus("examples/demo/stimulus.csv", STIMULUS, network.neurons())?;
    let mut engine = crate::engines::open_engine(&a.backend, crate::engines::DEMO_DEFAULT)?;
    engine.load(&network)?;
    say!(
        "memfire demo: {} neurons, {} synapses, {} steps of {} µs on {}",
        network.neurons(),
        network.synapses().len(),
        a.steps,
        network.dt() * 1e6,
        engine.name()
    );
    let spikes = run_with_progress(engine.as_mut(), &stimulus, a.steps, "demo")?;
    let seconds = a.steps as f64 * network.dt();
    let mut counts = vec![0u64; network.neurons() as usize];
    for s in &spikes {
        counts[s.neuron as usize] += 1;
    }
    let active = counts.iter().filter(|&&c| c > 0).count();
    say!(
        "spikes: {} from {active}/{} neurons, mean rate {:.1} Hz",
        spikes.len(),
        network.neurons(),
        spikes.len() as f64 / f64::from(network.neurons()) / seconds
    );
    for (label, range) in [
        ("DC-driven 0-7", 0..8),
        ("bursts 8-11", 8..12),
        ("recurrent 12-15", 12..16),
        ("R_c = 1 GOhm 16-23", 16..24),
        ("noisy 24-27", 24..28),
        ("inhibitory 28-31", 28..32),
    ] {
        let n: u64 = counts[range.clone()].iter().sum();
        let first = spikes
            .iter()
            .find(|s| range.contains(&(s.neuron as usize)))
            .map_or("-".to_string(), |s| {
                format!("{:.2} ms", s.step as f64 * network.dt() * 1e3)
            });
        say!("  {label:<20} {n:>6} spikes  first at {first}");
    }
    let (csv, png) = (a.out.join("spikes.csv"), a.out.join("raster.png"));
    write_spikes(&csv, &spikes)?;
    crate::plot::raster(
        &png,
        &spikes,
        network.neurons(),
        a.steps,
        network.dt(),
        "memfire demo: 32 recurrent 1M1T1R neurons",
    )?;
    say!("wrote {} and {}", csv.display(), png.display());
    Ok(())
}
