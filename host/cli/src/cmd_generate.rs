//! `memfire generate`: a random recurrent network and its DC stimulus, as files.

use crate::output::say;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use memfire_host::files::write;
use memfire_spec::format_network::network_to_toml_with;
use memfire_spec::format_synapse_list::synapse_list_csv;
use memfire_spec::generate::{preset, preset_names, RandomNetwork};
use memfire_spec::network::Synapse;

/// Above this many synapses the network's synapses go to a CSV synapse list
/// (`synapses.csv`) instead of `[[synapse]]` tables: a table costs kilobytes to parse.
pub const SYNAPSE_LIST_ABOVE: u64 = 10_000;

/// Arguments of `memfire generate`.
#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// A named benchmark network instead of the shape below: steady-1k, steady-16k,
    /// steady-256k, steady-1m or saturated-1k (see `memfire bench --help`).
    #[arg(long, conflicts_with_all = ["neurons", "fanout", "max_weight", "width", "dc", "seed"])]
    preset: Option<String>,
    /// Neurons.
    #[arg(long, default_value_t = 64)]
    neurons: u32,
    /// Random targets per neuron.
    #[arg(long, default_value_t = 8)]
    fanout: u32,
    /// Largest weight, V (weights are uniform in [0, max)).
    #[arg(long, default_value_t = 0.08)]
    max_weight: f64,
    /// Pulse width, steps; a comma-separated list gives each synapse one of them at random
    /// (e.g. `--width 5,20,100`).
    #[arg(long, value_delimiter = ',', num_args = 1.., default_values_t = [100])]
    width: Vec<u32>,
    /// DC input range, V: uniform in [min, max).
    #[arg(long, num_args = 2, default_values_t = [0.15, 0.6])]
    dc: Vec<f64>,
    /// Seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output folder: writes network.toml and stimulus.csv (and synapses.csv above
    /// 10 000 synapses).
    #[arg(long, default_value = "out/generated")]
    out: PathBuf,
}

/// `memfire generate`.
pub fn run(a: &GenerateArgs) -> Result<()> {
    let shape = match &a.preset {
        Some(name) => {
            let p = preset(name).ok_or_else(|| {
                anyhow::anyhow!("--preset {name}: no such benchmark network; known: {}", preset_names())
            })?;
            say!("{}: {}", p.name, p.about);
            (p.network)()
        }
        None => RandomNetwork {
            neurons: a.neurons,
            fanout: a.fanout,
            weight: (0.0, a.max_weight),
            widths: a.width.clone(),
            dc: (a.dc[0], a.dc[1]),
            seed: a.seed,
            ..RandomNetwork::benchmark(false)
        },
    };
    let synapses = u64::from(shape.neurons) * u64::from(shape.fanout);
    check_memory(synapses)?;
    let (network, stimulus) = shape.build()?;
    let (net_path, stim_path) = (a.out.join("network.toml"), a.out.join("stimulus.csv"));
    if synapses > SYNAPSE_LIST_ABOVE {
        let list_path = a.out.join("synapses.csv");
        write(&list_path, synapse_list_csv(&network).as_bytes())?;
        write(
            &net_path,
            network_to_toml_with(&network, Some("synapses.csv")).as_bytes(),
        )?;
        say!("synapses -> {} (a CSV synapse list)", list_path.display());
    } else {
        write(&net_path, network_to_toml_with(&network, None).as_bytes())?;
    }
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

/// Refuse, before allocating, a network this machine cannot hold: the synapses and their
/// text (about 24 bytes each in memory and as much again written out) against the memory
/// the kernel says is available.
fn check_memory(synapses: u64) -> Result<()> {
    let need = synapses.saturating_mul(2 * std::mem::size_of::<Synapse>() as u64);
    if let Some(available) = memory_available() {
        if need > available {
            anyhow::bail!(
                "{synapses} synapses need about {} MB of memory to generate; this machine has {} MB available",
                need >> 20,
                available >> 20
            );
        }
    }
    Ok(())
}

/// `MemAvailable` from /proc/meminfo, bytes (None where there is no such file).
fn memory_available() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
