//! `memfire run`: a network file and a stimulus file in, a spike CSV out (and, with
//! `--probe`, every step's state of the probed neurons as a CSV).

use crate::output::say;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;
use memfire_host::files::{load_network, load_stimulus, write_spikes};
use memfire_host::Engine;
use memfire_spec::format_spikes::Spike;
use memfire_spec::format_stimulus::Stimulus;
use memfire_spec::kernel::Probe;

use crate::out_paths::{self, Output};
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

/// Run `steps` steps on `engine` in chunks, with a progress bar; returns the spikes.
pub fn run_with_progress(engine: &mut dyn Engine, stimulus: &Stimulus, steps: u64, label: &str) -> Result<Vec<Spike>> {
    run_probed_with_progress(engine, stimulus, steps, label, &[], &mut |_, _, _| {})
}

/// `run_with_progress`, also passing every step's state of `probes` to `probe_sink`.
fn run_probed_with_progress(
    engine: &mut dyn Engine,
    stimulus: &Stimulus,
    steps: u64,
    label: &str,
    probes: &[u32],
    probe_sink: &mut dyn FnMut(u64, usize, &Probe),
) -> Result<Vec<Spike>> {
    let chunk = 1000.max(steps / 200);
    let pb = bar(steps, label);
    let mut spikes = Vec::new();
    let mut done = 0;
    while done < steps {
        let n = chunk.min(steps - done);
        let mut on_spikes = |step, neurons: &[u32]| spikes.extend(neurons.iter().map(|&neuron| Spike { step, neuron }));
        if probes.is_empty() {
            engine.run(stimulus, n, &mut on_spikes)?;
        } else {
            engine.run_probed(stimulus, n, probes, &mut on_spikes, probe_sink)?;
        }
        done += n;
        pb.set_position(done);
    }
    pb.finish_and_clear();
    Ok(spikes)
}

/// A CSV of probed states, written as the run goes.
struct ProbeCsv {
    path: PathBuf,
    out: BufWriter<File>,
    /// The first write that failed (the sink cannot return it).
    failed: Option<std::io::Error>,
}

impl ProbeCsv {
    fn create(path: &Path) -> Result<ProbeCsv> {
        let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
        let mut out = BufWriter::new(file);
        writeln!(out, "step,neuron,x1,x2,v,m,refractory").with_context(|| format!("writing {}", path.display()))?;
        Ok(ProbeCsv {
            path: path.to_path_buf(),
            out,
            failed: None,
        })
    }

    fn record(&mut self, step: u64, neuron: u32, p: &Probe) {
        if self.failed.is_none() {
            let line = writeln!(
                self.out,
                "{step},{neuron},{},{},{},{},{}",
                p.x1, p.x2, p.v, p.m, p.refractory
            );
            self.failed = line.err();
        }
    }

    fn finish(mut self) -> Result<()> {
        let flushed = self.out.flush();
        match self.failed.take().map_or(flushed, Err) {
            Ok(()) => Ok(()),
            Err(e) => Err(e).with_context(|| format!("writing {}", self.path.display())),
        }
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
    let spikes = match &a.probe_out {
        Some(path) => {
            memfire_host::engine::check_probes(&a.probe, engine.neurons())?;
            let mut csv = ProbeCsv::create(path)?;
            let probes = &a.probe;
            let spikes = run_probed_with_progress(
                engine.as_mut(),
                &stimulus,
                a.steps,
                "running",
                probes,
                &mut |step, slot, p| csv.record(step, probes[slot], p),
            )?;
            csv.finish()?;
            say!(
                "states of {} probed neurons after each step -> {}",
                probes.len(),
                path.display()
            );
            spikes
        }
        None => run_with_progress(engine.as_mut(), &stimulus, a.steps, "running")?,
    };
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
