//! `memfire run`: a network file and a stimulus file in, a spike CSV out (and, with
//! `--probe`, every step's state of the probed neurons as a CSV).

use crate::output::say;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use memfire_host::files::{load_network, load_stimulus};
use memfire_host::Engine;
use memfire_spec::format_spikes::Spike;
use memfire_spec::format_stimulus::Stimulus;
use memfire_spec::kernel::Probe;

use crate::interrupt::Interrupted;
use crate::out_paths::{self, Output};
use crate::progress::bar;
use crate::streamed::StreamedCsv;
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
    /// Neurons whose state to record after every step, e.g. `--probe 0,5,17` (a board
    /// streams them while it runs).
    #[arg(long, value_delimiter = ',', requires = "probe_out")]
    probe: Vec<u32>,
    /// Where the probed states go (CSV `step,neuron,x1,x2,v,m,refractory`).
    #[arg(long, requires = "probe")]
    probe_out: Option<PathBuf>,
    #[command(flatten)]
    backend: BackendArgs,
}

/// How a run of chunks ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    Complete,
    /// A signal asked to stop; the steps before `at_step` ran.
    Interrupted {
        signal: i32,
        at_step: u64,
    },
}

/// Run `steps` steps on `engine` in chunks with a progress bar, passing on each step's
/// spikes and the states of `probes`. Between chunks (a step boundary: the device is
/// stopped there) a SIGINT or SIGTERM ends the run early.
fn run_chunks(
    engine: &mut dyn Engine,
    stimulus: &Stimulus,
    steps: u64,
    label: &str,
    probes: &[u32],
    on_spikes: &mut dyn FnMut(u64, &[u32]),
    probe_sink: &mut dyn FnMut(u64, usize, &Probe),
) -> Result<Ended> {
    crate::interrupt::watch()?;
    let pb = bar(steps, label);
    // Chunks of about a tenth of a second, whatever the network's size and the backend's
    // speed: the progress bar moves and a signal is answered within that time.
    let mut chunk: u64 = 100;
    let mut done = 0;
    while done < steps {
        if let Some(signal) = crate::interrupt::requested() {
            pb.finish_and_clear();
            return Ok(Ended::Interrupted { signal, at_step: done });
        }
        let n = chunk.min(steps - done);
        let start = std::time::Instant::now();
        if probes.is_empty() {
            engine.run(stimulus, n, on_spikes)?;
        } else {
            engine.run_probed(stimulus, n, probes, on_spikes, probe_sink)?;
        }
        let secs = start.elapsed().as_secs_f64().max(1e-6);
        chunk = ((n as f64 * 0.1 / secs) as u64).clamp(10, 1_000_000);
        done += n;
        pb.set_position(done);
    }
    pb.finish_and_clear();
    Ok(Ended::Complete)
}

/// Run `steps` steps on `engine` in chunks, with a progress bar; returns the spikes, or an
/// `Interrupted` error if a signal stopped the run.
pub fn run_with_progress(engine: &mut dyn Engine, stimulus: &Stimulus, steps: u64, label: &str) -> Result<Vec<Spike>> {
    let mut spikes = Vec::new();
    let mut on_spikes = |step, neurons: &[u32]| spikes.extend(neurons.iter().map(|&neuron| Spike { step, neuron }));
    match run_chunks(engine, stimulus, steps, label, &[], &mut on_spikes, &mut |_, _, _| {})? {
        Ended::Complete => Ok(spikes),
        Ended::Interrupted { signal, at_step } => Err(Interrupted {
            signal,
            message: format!("interrupted at step {at_step} of {steps}: nothing written"),
        }
        .into()),
    }
}

/// Every output can be written and destroys no input or other output, before anything runs.
fn check_outputs(a: &RunArgs) -> Result<()> {
    let mut inputs = vec![("--network", a.network.as_path())];
    if let Some(stimulus) = &a.stimulus {
        inputs.push(("--stimulus", stimulus.as_path()));
    }
    let mut outputs = vec![Output {
        flag: "--out",
        path: &a.out,
    }];
    if let Some(path) = &a.probe_out {
        outputs.push(Output {
            flag: "--probe-out",
            path,
        });
    }
    if let Some(path) = &a.raster {
        crate::plot::check_png_name("--raster", path)?;
        outputs.push(Output { flag: "--raster", path });
    }
    if let Some(path) = a.backend.trace_path() {
        outputs.push(Output { flag: "--trace", path });
    }
    out_paths::check(&inputs, &outputs)
}

/// `memfire run`.
pub fn run(a: &RunArgs) -> Result<()> {
    check_outputs(a)?;
    let network = load_network(&a.network)?;
    let stimulus = match &a.stimulus {
        Some(p) => load_stimulus(p, network.neurons())?,
        None => Stimulus::default(),
    };
    let mut engine = crate::engines::open_engine(&a.backend, "model")?;
    engine
        .load(&network)
        .with_context(|| format!("loading {} onto {}", a.network.display(), engine.name()))?;
    if a.probe_out.is_some() {
        memfire_host::engine::check_probes(&a.probe, engine.neurons())?;
    }
    let mut spikes_csv = StreamedCsv::create(&a.out, "step,neuron")?;
    let mut probe_csv = match &a.probe_out {
        Some(path) => Some(StreamedCsv::create(path, "step,neuron,x1,x2,v,m,refractory")?),
        None => None,
    };
    // The raster needs every spike at the end; without one, nothing is held in memory.
    let mut kept: Vec<Spike> = Vec::new();
    let keep = a.raster.is_some();
    let probes = &a.probe;
    let ended = run_chunks(
        engine.as_mut(),
        &stimulus,
        a.steps,
        "running",
        probes,
        &mut |step, neurons: &[u32]| {
            for &neuron in neurons {
                spikes_csv.row(format_args!("{step},{neuron}"));
                if keep {
                    kept.push(Spike { step, neuron });
                }
            }
        },
        &mut |step, slot, p| {
            if let Some(csv) = probe_csv.as_mut() {
                csv.row(format_args!(
                    "{step},{},{},{},{},{},{}",
                    probes[slot], p.x1, p.x2, p.v, p.m, p.refractory
                ));
            }
        },
    );
    let spikes = spikes_csv.rows();
    match ended {
        Ok(Ended::Complete) => {}
        Ok(Ended::Interrupted { signal, at_step }) => {
            let mut kept_as = vec![spikes_csv.keep_partial()?];
            if let Some(csv) = probe_csv {
                kept_as.push(csv.keep_partial()?);
            }
            return Err(Interrupted {
                signal,
                message: format!(
                    "interrupted at step {at_step} of {}: the {spikes} spikes so far are in {}; {} is not this run's",
                    a.steps,
                    kept_as
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(" and "),
                    a.out.display()
                ),
            }
            .into());
        }
        Err(e) => {
            let partial = spikes_csv.keep_partial()?;
            if let Some(csv) = probe_csv {
                csv.keep_partial()?;
            }
            return Err(e.context(format!("the spikes so far are in {}", partial.display())));
        }
    }
    spikes_csv.finish()?;
    if let (Some(csv), Some(path)) = (probe_csv, &a.probe_out) {
        csv.finish()?;
        say!(
            "states of {} probed neurons after each step -> {}",
            probes.len(),
            path.display()
        );
    }
    say!(
        "{spikes} spikes from {} neurons in {} steps on {} -> {}",
        network.neurons(),
        a.steps,
        engine.name(),
        a.out.display()
    );
    if let Some(png) = &a.raster {
        crate::plot::raster(png, &kept, network.neurons(), a.steps, network.dt(), "Spike raster")?;
        say!("raster -> {}", png.display());
    }
    Ok(())
}
