//! `bram-outreg IN.json OUT.json`: give each ECP5 block RAM read port whose word goes
//! straight into flip-flops those flip-flops as its own output register (see
//! `memfire_firmware::bram_outreg`). `scripts/build-ulx3s.sh` runs it between yosys and
//! nextpnr.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: bram-outreg IN.json OUT.json  (a yosys synth_ecp5 netlist)");
        return ExitCode::from(2);
    };
    match run(input, output) {
        Ok(report) => {
            println!("bram-outreg: {report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(input: &str, output: &str) -> Result<memfire_firmware::bram_outreg::Report, String> {
    let text = std::fs::read_to_string(input).map_err(|e| format!("cannot read {input}: {e}"))?;
    let mut netlist: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{input} is not JSON: {e}"))?;
    let report =
        memfire_firmware::bram_outreg::register_block_ram_outputs(&mut netlist).map_err(|e| format!("{input}: {e}"))?;
    let text = serde_json::to_string(&netlist).map_err(|e| format!("cannot write the netlist: {e}"))?;
    std::fs::write(output, text).map_err(|e| format!("cannot write {output}: {e}"))?;
    Ok(report)
}
