//! Every board image has exactly the ports its constraint file places, and its Verilog lints
//! clean (hdl/lint_waivers.vlt). The PCIe image's integrated block is Vivado IP that
//! Verilator cannot see, so there the RustHDL part behind it (the TLP adapter and the core)
//! is linted; the IP instance itself is checked by Vivado (scripts/build-litefury.sh).

use std::process::Command;

use rust_hdl::prelude::*;

fn constraints(image: &str) -> (String, &'static str) {
    let (file, kind) = if image.starts_with("ulx3s") {
        ("ulx3s/ulx3s.lpf", "lpf")
    } else {
        ("litefury/litefury.xdc", "xdc")
    };
    let path = format!("{}/../constraints/{file}", env!("CARGO_MANIFEST_DIR"));
    (
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")),
        kind,
    )
}

/// Names of the top module's ports.
fn ports(verilog: &str) -> Vec<String> {
    let header = verilog
        .lines()
        .find(|l| l.starts_with("module top("))
        .expect("a top module");
    header["module top(".len()..header.len() - 2]
        .split(',')
        .map(|p| p.trim().to_string())
        .collect()
}

/// Ports the constraint file places.
fn placed(text: &str, kind: &str) -> Vec<String> {
    let mut names: Vec<String> = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| match kind {
            "lpf" => l
                .split("LOCATE COMP \"")
                .nth(1)
                .map(|r| r.split(['"', '[']).next().unwrap_or("").to_string()),
            _ if l.contains("PACKAGE_PIN") => l.split("get_ports ").nth(1).map(|r| {
                r.trim_start_matches('{')
                    .split(['[', '}', ']'])
                    .next()
                    .unwrap_or("")
                    .to_string()
            }),
            _ => None,
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The ECP5 cells the ULX3S image instantiates (its PLL and clock buffer), for Verilator.
const ECP5_CELLS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/lint/ecp5_cells.v");

fn lint(name: &str, verilog: &str, cells: &[&str]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("top.v");
    std::fs::write(&path, verilog).expect("write");
    let waivers = concat!(env!("CARGO_MANIFEST_DIR"), "/../hdl/lint_waivers.vlt");
    let out = Command::new("verilator")
        .args(["--lint-only", "-Wall", "--top-module", "top", waivers])
        .args(cells)
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("verilator not found ({e}): run scripts/setup.sh"));
    assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn board_images_match_their_constraints_and_lint() {
    for (name, _) in memfire_firmware::IMAGES {
        let v = memfire_firmware::verilog(name).expect("known image");
        let (text, kind) = constraints(name);
        let mut top = ports(&v);
        top.sort();
        assert_eq!(
            top,
            placed(&text, kind),
            "{name}: top ports vs the pins its {kind} places"
        );
        if kind == "lpf" {
            lint(name, &v, &[ECP5_CELLS]);
        } else {
            let core = memfire_hdl::tops::on_deep_stack(|| {
                let config = memfire_hdl::tops::image_core("litefury").expect("the LiteFury's core");
                let mut core = memfire_firmware::litefury::LitefuryCore::default().sized(config);
                core.connect_all();
                generate_verilog(&core)
            });
            lint(name, &core, &[]);
        }
    }
}
