//! `memfire bench`: throughput of the models on the benchmark network, printed as
//! `name: value unit` lines.

use crate::output::say;
use std::time::Instant;

use anyhow::Result;
use clap::Args;
use memfire_spec::generate::{preset, preset_names, Preset, RandomNetwork};
use memfire_spec::kernel::{FixedKernel, Kernel, Vector};
use memfire_spec::model::Model;

use crate::progress::bar;

/// Arguments of `memfire bench`.
#[derive(Args, Debug)]
pub struct BenchArgs {
    /// The benchmark network: steady-1k (80/20 excitatory/inhibitory, a steady ~93 Hz per
    /// neuron), steady-16k, steady-256k, steady-1m (the same, 16 Ki, 256 Ki, 1 Mi neurons) or
    /// saturated-1k (every neuron at its fastest, inputs at the clamp). Every figure is
    /// measured on it after its warm-up.
    #[arg(long, default_value = "steady-1k")]
    preset: String,
    /// Steps run before any figure is measured (default: the preset's warm-up, 30 000-40 000
    /// steps, after which it is in its measured regime).
    #[arg(long)]
    warmup: Option<u64>,
    /// Steps per measurement of the model (100 000 steps = 1 s of network time).
    #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u64).range(1..))]
    steps: u64,
    /// Also measure the f64 reference model.
    #[arg(long)]
    float: bool,
    /// Steps of the benchmark network measured on the simulated FPGA, after the warm-up (0
    /// skips it).
    #[arg(long, default_value_t = 20_000)]
    sim_steps: u64,
    /// Which noise settings to measure.
    #[arg(long, value_enum, default_value_t = NoiseCase::Both)]
    noise: NoiseCase,
    /// Threads of the fixed-point model (its neurons split into blocks; the same spikes
    /// for any count).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=256))]
    threads: u64,
}

/// The noise settings `memfire bench` measures.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoiseCase {
    Off,
    On,
    Both,
}

/// The preset's network with noise on or off.
pub fn network_of(p: &Preset, noise: bool) -> RandomNetwork {
    let mut shape = (p.network)();
    if noise {
        shape.params.sigma1 = 1e-3;
        shape.params.c2c = 0.1;
    }
    shape
}

fn measure<K: Kernel>(label: &str, p: &Preset, noise: bool, warmup: u64, steps: u64, threads: usize) -> Result<()> {
    let (net, stim) = network_of(p, noise).build()?;
    let mut model: Model<K> = Model::new(&net)?;
    model.set_threads(threads).map_err(anyhow::Error::msg)?;
    let pb = bar(warmup, &format!("{label} warm-up"));
    let mut done = 0;
    while done < warmup {
        let n = 1000.min(warmup - done);
        model.run(&stim, n, |_, _| {});
        done += n;
        pb.set_position(done);
    }
    pb.finish_and_clear();
    let before = model.stats();
    let pb = bar(steps, label);
    let chunk = (steps / 100).max(1);
    // Each chunk's rate too: on a shared machine another process or virtual machine slows
    // a few chunks, which moves the whole run's mean but not the chunks' median.
    let mut chunk_rates = Vec::with_capacity(100);
    let start = Instant::now();
    let mut done = 0;
    while done < steps {
        let n = chunk.min(steps - done);
        let chunk_start = Instant::now();
        model.run(&stim, n, |_, _| {});
        chunk_rates.push((n * u64::from(net.neurons())) as f64 / chunk_start.elapsed().as_secs_f64());
        done += n;
        pb.set_position(done);
    }
    let secs = start.elapsed().as_secs_f64();
    pb.finish_and_clear();
    let after = model.stats();
    let s = memfire_spec::model::ModelStats {
        neuron_updates: after.neuron_updates - before.neuron_updates,
        synaptic_events: after.synaptic_events - before.synaptic_events,
        spikes: after.spikes - before.spikes,
        steps: after.steps - before.steps,
    };
    say!(
        "{label}_neuron_updates: {:.3e} updates/s",
        s.neuron_updates as f64 / secs
    );
    chunk_rates.sort_by(f64::total_cmp);
    let quantile = |q: f64| chunk_rates[((chunk_rates.len() - 1) as f64 * q).round() as usize];
    say!(
        "{label}_chunk_median: {:.3e} updates/s (the median of {} chunks of {chunk} steps; their middle half {:.3e}-{:.3e})",
        quantile(0.5),
        chunk_rates.len(),
        quantile(0.25),
        quantile(0.75)
    );
    say!(
        "{label}_synaptic_events: {:.3e} events/s",
        s.synaptic_events as f64 / secs
    );
    say!(
        "{label}_spikes: {} spikes in {} steps ({:.1} Hz per neuron)",
        s.spikes,
        s.steps,
        s.spikes as f64 / f64::from(net.neurons()) / (s.steps as f64 * net.dt())
    );
    say!("{label}_wall: {secs:.3} s");
    Ok(())
}

/// `memfire bench`.
pub fn run(a: &BenchArgs) -> Result<()> {
    let p = preset(&a.preset).ok_or_else(|| {
        anyhow::anyhow!(
            "--preset {}: no such benchmark network; known: {}",
            a.preset,
            preset_names()
        )
    })?;
    let warmup = a.warmup.unwrap_or(p.warmup_steps);
    say!("# benchmark network {}: {}", p.name, p.about);
    let threads = a.threads as usize;
    say!(
        "# every figure after a warm-up of {warmup} steps; the model over {} steps, {threads} thread{}",
        a.steps,
        if threads == 1 { "" } else { "s" }
    );
    say!(
        "# the model's neuron loop runs at: {} (the widest this CPU has, detected at run time)",
        Vector::detect().name()
    );
    if a.noise != NoiseCase::On {
        measure::<FixedKernel>("model_fixed_noise_off", p, false, warmup, a.steps, threads)?;
    }
    if a.noise != NoiseCase::Off {
        measure::<FixedKernel>("model_fixed_noise_on", p, true, warmup, a.steps, threads)?;
    }
    measure_wire()?;
    if a.sim_steps > 0 {
        #[cfg(feature = "sim")]
        crate::bench_sim::run(p, warmup, a.sim_steps)?;
        #[cfg(not(feature = "sim"))]
        say!("sim: skipped (this memfire was built without the `sim` feature, so without Verilator)");
    }
    if a.float {
        measure::<memfire_spec::kernel::FloatKernel>("model_float_noise_off", p, false, warmup, a.steps, 1)?;
    }
    Ok(())
}

/// PCIe Gen2 x4 payload bandwidth, bytes/s (4 lanes x 5 GT/s x 8b/10b, ~2 GB/s).
const PCIE_GEN2_X4: f64 = 2.0e9;

/// Host-side cost of the spike-event wire format (8-byte `SpikeEvent`), against the rate a
/// PCIe Gen2 x4 link could deliver.
fn measure_wire() -> Result<()> {
    use memfire_spec::wire::{decode_spikes_into, encode_spikes, SpikeEvent};
    let n = 4_000_000u32;
    let events: Vec<SpikeEvent> = (0..n)
        .map(|i| SpikeEvent {
            step: i / 64,
            neuron: i % 1024,
        })
        .collect();
    // Steady state, as a driver's reused ring buffers: best of five passes.
    let (mut bytes, mut back) = (Vec::with_capacity(events.len() * 8), Vec::with_capacity(events.len()));
    let (mut encode, mut decode) = (f64::MAX, f64::MAX);
    for _ in 0..5 {
        bytes.clear();
        let start = Instant::now();
        encode_spikes(&events, &mut bytes);
        encode = encode.min(start.elapsed().as_secs_f64());
        let start = Instant::now();
        decode_spikes_into(&bytes, &mut back).map_err(anyhow::Error::msg)?;
        decode = decode.min(start.elapsed().as_secs_f64());
    }
    anyhow::ensure!(back == events, "spike events did not survive encode + decode");
    let per_s = f64::from(n) / (encode + decode);
    say!(
        "host_spike_encode_decode: {per_s:.3e} events/s (encode {:.3e}/s, decode {:.3e}/s)",
        f64::from(n) / encode,
        f64::from(n) / decode
    );
    say!(
        "pcie_gen2_x4_spike_bound: {:.3e} events/s (2 GB/s / 8 B); host headroom {:.1}x",
        PCIE_GEN2_X4 / 8.0,
        per_s / (PCIE_GEN2_X4 / 8.0)
    );
    Ok(())
}
