//! `memfire generate`: a random recurrent network and its DC stimulus, as files.

use crate::output::say;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use memfire_host::files::write;
use memfire_spec::format_network::network_to_toml;
use memfire_spec::generate::RandomNetwork;

/// Arguments of `memfire generate`.
#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// Neurons.
    #[arg(long, default_value_t = 64)]
    neurons: u32,
    /// Random targets per neuron.
    #[arg(long, default_value_t = 8)]
    fanout: u32,
    /// Largest weight, V (weights are uniform in [0, max)).
    #[arg(long, default_value_t = 0.08)]
    max_weight: f64,
    /// Pulse width, steps.
    #[arg(long, default_value_t = 100)]
    width: u32,
    /// DC input range, V: uniform in [min, max).
    #[arg(long, num_args = 2, default_values_t = [0.15, 0.6])]
    dc: Vec<f64>,
    /// Seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output folder: writes network.toml and stimulus.csv.
    #[arg(long, default_value = "out/generated")]
    out: PathBuf,
}

/// `memfire generate`.
pub fn run(a: &GenerateArgs) -> Result<()> {
    let mut shape = RandomNetwork::benchmark(false);
    shape.neurons = a.neurons;
    shape.fanout = a.fanout;
    shape.weight = (0.0, a.max_weight);
    shape.width = a.width;
    shape.dc = (a.dc[0], a.dc[1]);
    shape.seed = a.seed;
    let (network, stimulus) = shape.build()?;
    let (net_path, stim_path) = (a.out.join("network.toml"), a.out.join("stimulus.csv"));
    write(&net_path, network_to_toml(&network).as_bytes())?;
    write(&stim_path, stimulus.to_csv().as_bytes())?;
    say!(
        "{} neurons, {} synapses -> {}, {}",
        network.neurons(),
        network.synapses().len(),
        net_path.display(),
        stim_path.display()
    );
    Ok(())
}
