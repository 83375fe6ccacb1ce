//! The generated Verilog of the whole core (2 and 4 lanes), alone, behind the UART bridge and behind the PCIe
//! TLP adapter, lints clean (with `lint_waivers.vlt`).

use std::process::Command;

#[test]
fn core_verilog_lints_clean() {
    for design in ["core", "core-small-p4", "uart_core", "pcie_core"] {
        lint(design);
    }
}

fn lint(design: &str) {
    let verilog = memfire_hdl::tops::verilog(design).expect("a known design");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("top.v");
    std::fs::write(&path, &verilog).expect("write verilog");
    let waivers = concat!(env!("CARGO_MANIFEST_DIR"), "/lint_waivers.vlt");
    let out = Command::new("verilator")
        .args(["--lint-only", "-Wall", waivers])
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("verilator not found ({e}): run scripts/setup.sh or apt-get install verilator"));
    assert!(
        out.status.success(),
        "verilator --lint-only -Wall failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
