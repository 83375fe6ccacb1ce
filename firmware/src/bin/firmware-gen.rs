//! `firmware-gen IMAGE OUT.v`: write a board image's Verilog (see `--list`).

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--list") || args.len() != 2 {
        eprintln!("usage: firmware-gen IMAGE OUT.v\nimages:");
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
