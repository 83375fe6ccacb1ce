//! Every board image's Verilog lints clean (hdl/lint_waivers.vlt) and has exactly the ports
//! its constraint file places.

use std::process::Command;

#[test]
fn board_images_lint_and_match_their_constraints() {
    let lpf = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../constraints/ulx3s/ulx3s.lpf"))
        .expect("constraints/ulx3s/ulx3s.lpf");
    for (name, _) in memfire_firmware::IMAGES {
        let v = memfire_firmware::verilog(name).expect("known image");
        let header = v.lines().find(|l| l.starts_with("module top(")).expect("a top module");
        for port in ["clk_25mhz", "ftdi_txd", "ftdi_rxd", "led", "wifi_gpio0"] {
            assert!(header.contains(port), "{name}: port {port} missing from {header}");
            assert!(
                lpf.contains(&format!("\"{port}")),
                "{name}: port {port} has no LOCATE in the LPF"
            );
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("top.v");
        std::fs::write(&path, &v).expect("write");
        let waivers = concat!(env!("CARGO_MANIFEST_DIR"), "/../hdl/lint_waivers.vlt");
        let out = Command::new("verilator")
            .args(["--lint-only", "-Wall", waivers])
            .arg(&path)
            .output()
            .unwrap_or_else(|e| panic!("verilator not found ({e}): run scripts/setup.sh"));
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
    }
}
