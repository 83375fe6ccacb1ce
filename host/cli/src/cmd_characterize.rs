//! `memfire characterize`: the paper's single-neuron protocols, each written as CSV and PNG
//! with a short table on the terminal.

use crate::output::say;
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use clap::Args;
use memfire_host::characterize::run_protocol;
use memfire_host::files::write;
use memfire_host::Engine;
use memfire_spec::params::NeuronParams;
use memfire_spec::protocols::{default_sweep, Table, PROTOCOLS};

use crate::interrupt::Interrupted;
use crate::progress::bar;
use crate::BackendArgs;

/// Arguments of `memfire characterize`.
#[derive(Args, Debug)]
pub struct CharacterizeArgs {
    /// Protocol: dc-latency, leaky-integration, paired-pulse, isi-vs-rc, refractory,
    /// probability, or `all`.
    protocol: String,
    /// Output folder for <protocol>.csv and <protocol>.png.
    #[arg(long, default_value = "out/characterize")]
    out: PathBuf,
    /// Trials per amplitude of the probability protocol.
    #[arg(long, default_value_t = 200)]
    trials: u32,
    /// Override a neuron parameter, e.g. `--set R_c=1e9` (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    set: Vec<String>,
    #[command(flatten)]
    backend: BackendArgs,
}

fn params_from(sets: &[String]) -> Result<NeuronParams> {
    let mut p = NeuronParams::default();
    for s in sets {
        let Some((name, value)) = s.split_once('=') else {
            bail!("--set {s:?}: expected NAME=VALUE, e.g. R_c=1e9")
        };
        let value: f64 = value
            .trim()
            .parse()
            .map_err(|_| anyhow::anyhow!("--set {s:?}: {value:?} is not a number"))?;
        p.set(name.trim(), value)?;
    }
    p.validate()?;
    Ok(p)
}

fn run_one(name: &str, p: &NeuronParams, trials: u32, engine: &mut dyn Engine, written: &[&str]) -> Result<Table> {
    let points = default_sweep(name).len();
    let pb = bar(points as u64, name);
    let mut done_points = 0;
    let mut progress = |done: usize, _total: usize| {
        done_points = done;
        pb.set_position(done as u64)
    };
    let cancelled = || crate::interrupt::requested().is_some();
    let outcome = run_protocol(name, p, trials, engine, &mut progress, &cancelled);
    pb.finish_and_clear();
    match outcome {
        Err(memfire_host::EngineError::Cancelled) => {
            let kept = if written.is_empty() {
                "no protocol finished".to_string()
            } else {
                format!("the files of {} are written", written.join(", "))
            };
            Err(Interrupted {
                signal: crate::interrupt::requested().unwrap_or(2),
                message: format!(
                    "interrupted in {name} after {done_points} of {points} points: {kept}; {name}'s are not"
                ),
            }
            .into())
        }
        other => Ok(other?),
    }
}

fn to_csv(t: &Table) -> String {
    let mut out = t.columns.join(",") + "\n";
    for r in &t.rows {
        out.push_str(
            &r.iter()
                .map(|v| if v.is_finite() { format!("{v}") } else { String::new() })
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
    }
    out
}

fn print_table(t: &Table) -> anyhow::Result<()> {
    say!("{}", t.title);
    say!("  {}", t.columns.iter().map(|c| format!("{c:>18}")).collect::<String>());
    for r in &t.rows {
        let cells: String = r
            .iter()
            .map(|v| {
                if v.is_finite() {
                    format!("{v:>18.4}")
                } else {
                    format!("{:>18}", "no spike")
                }
            })
            .collect();
        say!("  {cells}");
    }
    say!("");
    Ok(())
}

/// Columns drawn for each protocol.
fn plotted(name: &str) -> &'static [usize] {
    match name {
        "paired-pulse" => &[1, 2],
        _ => &[1],
    }
}

fn write_outputs(dir: &Path, t: &Table) -> Result<()> {
    write(&dir.join(format!("{}.csv", t.name)), to_csv(t).as_bytes())?;
    crate::plot::table(&dir.join(format!("{}.png", t.name)), t, plotted(t.name))?;
    Ok(())
}

/// `memfire characterize`.
pub fn run(a: &CharacterizeArgs) -> Result<()> {
    let p = params_from(&a.set)?;
    let names: Vec<&str> = if a.protocol == "all" {
        PROTOCOLS.iter().map(|p| p.0).collect()
    } else {
        vec![a.protocol.as_str()]
    };
    if a.trials == 0 {
        bail!("--trials must be at least 1");
    }
    let mut engine = crate::engines::open_engine(&a.backend, "model")?;
    crate::interrupt::watch()?;
    let mut written = Vec::new();
    for name in names {
        let table = run_one(name, &p, a.trials, engine.as_mut(), &written)?;
        print_table(&table)?;
        write_outputs(&a.out, &table)?;
        written.push(name);
        say!("  -> {}/{name}.csv, {}/{name}.png\n", a.out.display(), a.out.display());
    }
    Ok(())
}
