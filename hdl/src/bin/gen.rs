//! `gen`: write a design's Verilog and the register documentation (C header, JSON,
//! Markdown) generated from the spec crate's tables.
//!
//!     cargo run --release -p memfire-hdl --bin gen -- [DESIGN] [--out DIR] [--family ecp5|xilinx7]
//!
//! DESIGN is one of `gen --list` (default `core`); files go to `build/gen/DESIGN/`.
//! `--family` shapes the multiplies for that FPGA family's DSP blocks instead of the
//! configuration's own board's (`memfire_hdl::arith::dsp_family`).

use std::path::PathBuf;
use std::process::ExitCode;

use memfire_hdl::arith::dsp_family::DspFamily;
use memfire_hdl::tops;
use memfire_spec::regs_doc;

fn usage() -> String {
    let mut s = String::from("usage: gen [DESIGN] [--out DIR] [--family ecp5|xilinx7] | gen --list\ndesigns:\n");
    s.push_str("  neuron_pipe  the neuron update pipeline alone\n");
    s.push_str("  uart_core    core-small behind the UART bridge (the simulated serial board)\n");
    s.push_str("  pcie_core    core-small behind the PCIe TLP adapter (the simulated PCIe board)\n");
    s.push_str("  pcie-litefury core-bench-2k behind the PCIe TLP adapter (the LiteFury image's logic)\n");
    for c in tops::CORES {
        s.push_str(&format!("  {:<12} {}\n", c.name, c.purpose));
    }
    s
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut design = "core".to_string();
    let mut out: Option<PathBuf> = None;
    let mut family: Option<DspFamily> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--list" | "-h" | "--help" => {
                print!("{}", usage());
                return ExitCode::SUCCESS;
            }
            "--out" => match args.next() {
                Some(dir) => out = Some(PathBuf::from(dir)),
                None => {
                    eprintln!("error: --out needs a folder\n{}", usage());
                    return ExitCode::FAILURE;
                }
            },
            "--family" => match args.next().as_deref().map(DspFamily::from_name) {
                Some(Some(f)) => family = Some(f),
                _ => {
                    eprintln!("error: --family needs `ecp5` or `xilinx7`\n{}", usage());
                    return ExitCode::FAILURE;
                }
            },
            other => design = other.to_string(),
        }
    }
    let verilog = match family {
        Some(f) => tops::verilog_for_family(&design, f),
        None => tops::verilog(&design),
    };
    let Some(verilog) = verilog else {
        eprintln!("error: unknown design `{design}`\n{}", usage());
        return ExitCode::FAILURE;
    };
    let describe = match tops::core_config(&design) {
        Some(c) => c.describe(),
        None => format!("design `{design}`"),
    };
    let out = out.unwrap_or_else(|| PathBuf::from("build/gen").join(&design));
    let files = [
        (format!("{}.v", design.replace('-', "_")), verilog),
        ("memfire_regs.h".to_string(), regs_doc::c_header(&describe)),
        ("memfire_regs.json".to_string(), regs_doc::json(&describe)),
        ("memfire_regs.md".to_string(), regs_doc::markdown(&describe)),
    ];
    if let Err(e) = std::fs::create_dir_all(&out) {
        eprintln!("error: cannot create {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    for (name, text) in files {
        let path = out.join(&name);
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("wrote {}", path.display());
    }
    println!("{describe}");
    ExitCode::SUCCESS
}
