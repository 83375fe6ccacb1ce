//! `firmware-gen IMAGE OUT.v`: write a board image's Verilog (see `--list`).
//! `firmware-gen --pcie-ids OUT.tcl`: write the PCI IDs the Vivado IP script gives the
//! integrated block (the driver's, from `memfire_spec::tlp`).

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() == 2 && args[0] == "--pcie-ids" {
        use memfire_spec::tlp::{PCI_DEVICE_ID, PCI_VENDOR_ID};
        let tcl = format!(
            "# written by firmware-gen from memfire_spec::tlp: the IDs the driver looks for\n\
             set memfire_vendor_id {PCI_VENDOR_ID:04X}\nset memfire_device_id {PCI_DEVICE_ID:04X}\n"
        );
        return match std::fs::write(&args[1], tcl) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", args[1]);
                ExitCode::FAILURE
            }
        };
    }
    if args.first().map(String::as_str) == Some("--list") || args.len() != 2 {
        eprintln!("usage: firmware-gen IMAGE OUT.v | firmware-gen --pcie-ids OUT.tcl\nimages:");
        for (name, what) in memfire_firmware::IMAGES {
            eprintln!("  {name:<12} {what}");
        }
        return if args.first().map(String::as_str) == Some("--list") {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }
    let Some(v) = memfire_firmware::verilog(&args[0]) else {
        eprintln!("error: unknown image `{}` (firmware-gen --list)", args[0]);
        return ExitCode::FAILURE;
    };
    if let Err(e) = std::fs::write(&args[1], v) {
        eprintln!("error: cannot write {}: {e}", args[1]);
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
