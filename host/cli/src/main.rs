//! `memfire`: run 1M1T1R spiking networks on the software model (and, in later versions,
//! the simulated FPGA and real boards), characterise single neurons, benchmark.

#[cfg(feature = "sim")]
mod bench_sim;
mod cmd_bench;
mod cmd_characterize;
mod cmd_demo;
mod cmd_devices;
mod cmd_generate;
mod cmd_params;
mod cmd_run;
mod engines;
mod interrupt;
mod out_paths;
mod output;
mod plot;
mod progress;
mod streamed;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use memfire_host::model_engine::Precision;
use memfire_host::BackendSpec;

#[derive(Parser, Debug)]
#[command(
    name = "memfire",
    version,
    about = "Memristive 1M1T1R spiking neurons: model, simulated FPGA, boards"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where to run and with which arithmetic.
#[derive(Args, Debug, Clone)]
pub struct BackendArgs {
    /// Backend: `model` (bit-exact fixed point), `model:float` (f64), `sim` (the FPGA design
    /// under Verilator), `sim-pcie` (the PCIe board's design under Verilator),
    /// `vfio:<pci address>` (a PCIe board), `serial:<tty>[@baud]` (a board behind the UART
    /// bridge). Default: `model` (`sim` for `memfire demo` when built with the simulator).
    #[arg(long)]
    backend: Option<String>,
    /// Write a waveform of the simulated FPGA (FST, for GTKWave) to this file (`sim` only).
    #[arg(long)]
    trace: Option<PathBuf>,
    /// Fixed-point arithmetic (the FPGA's; default).
    #[arg(long, conflicts_with = "float")]
    fixed: bool,
    /// f64 reference arithmetic (model backend only).
    #[arg(long)]
    float: bool,
    /// Threads of the fixed-point model (its neurons split into blocks; the same spikes for
    /// any count).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=256))]
    threads: u64,
}

impl BackendArgs {
    /// The waveform file `--trace` asks for.
    pub fn trace_path(&self) -> Option<&std::path::Path> {
        self.trace.as_deref()
    }

    /// The backend these flags select, `default` when `--backend` is not given.
    pub fn spec(&self, default: &str) -> anyhow::Result<BackendSpec> {
        let spec: BackendSpec = self.backend.as_deref().unwrap_or(default).parse()?;
        if self.float && !matches!(spec, BackendSpec::Model { .. }) {
            anyhow::bail!("--float needs the model backend: the FPGA design computes in fixed point");
        }
        if self.fixed && spec == BackendSpec::model(Precision::Float) {
            anyhow::bail!("--fixed contradicts --backend model:float: choose one arithmetic");
        }
        if self.trace.is_some() && spec != BackendSpec::Sim {
            anyhow::bail!("--trace records the simulated FPGA: use it with --backend sim");
        }
        let spec = match spec {
            BackendSpec::Model { .. } if self.float => BackendSpec::model(Precision::Float),
            BackendSpec::Model { .. } if self.fixed => BackendSpec::model(Precision::Fixed),
            other => other,
        };
        Ok(spec.with_threads(self.threads as usize)?)
    }
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run a network under a stimulus and write its spikes.
    Run(cmd_run::RunArgs),
    /// Reproduce the paper's single-neuron measurement protocols (CSV + PNG + table).
    Characterize(cmd_characterize::CharacterizeArgs),
    /// Measure throughput; prints `name: value unit` lines.
    Bench(cmd_bench::BenchArgs),
    /// Print each fixed-point coefficient with its quantisation error.
    Params(cmd_params::ParamsArgs),
    /// Write a random recurrent network and a DC stimulus to files.
    Generate(cmd_generate::GenerateArgs),
    /// Run the demo network, print a spike summary and write a raster plot.
    Demo(cmd_demo::DemoArgs),
    /// List memfire boards on the PCI bus with their driver and IOMMU group.
    Devices(cmd_devices::DevicesArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(a) => cmd_run::run(&a),
        Command::Characterize(a) => cmd_characterize::run(&a),
        Command::Bench(a) => cmd_bench::run(&a),
        Command::Params(a) => cmd_params::run(&a),
        Command::Generate(a) => cmd_generate::run(&a),
        Command::Demo(a) => cmd_demo::run(&a),
        Command::Devices(a) => cmd_devices::run(&a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if output::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) if e.downcast_ref::<interrupt::Interrupted>().is_some() => {
            eprintln!("memfire: {}", one_line(&e));
            let signal = e.downcast_ref::<interrupt::Interrupted>().map_or(2, |i| i.signal);
            ExitCode::from(u8::try_from(128 + signal).unwrap_or(130))
        }
        Err(e) => {
            eprintln!("error: {}", one_line(&e));
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes on one line, each text once: a message that already shows its
/// cause (as an I/O error shows the OS's words after the file name) does not repeat it.
fn one_line(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

/// Default output folder for generated files.
pub fn default_out(name: &str) -> PathBuf {
    PathBuf::from("out").join(name)
}
