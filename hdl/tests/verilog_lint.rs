//! The generated Verilog of the neuron pipeline passes `verilator --lint-only -Wall` with only
//! the waivers listed in `hdl/lint_waivers.vlt` (scripts/setup.sh installs Verilator).

use std::process::Command;

use memfire_hdl::lane::neuron_pipe::NeuronPipe;
use rust_hdl::prelude::*;

#[test]
fn neuron_pipe_verilog_lints_clean() {
    let mut uut = NeuronPipe::default();
    uut.connect_all();
    let verilog = generate_verilog(&uut);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("top.v");
    std::fs::write(&path, &verilog).expect("write verilog");
    let waivers = concat!(env!("CARGO_MANIFEST_DIR"), "/lint_waivers.vlt");
    let out = match Command::new("verilator")
        .args(["--lint-only", "-Wall", waivers])
        .arg(&path)
        .output()
    {
        Ok(out) => out,
        Err(e) => {
            eprintln!("SKIPPED: verilator not found ({e}); run scripts/setup.sh");
            return;
        }
    };
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "verilator --lint-only -Wall failed:\n{log}");
}
