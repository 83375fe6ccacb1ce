//! Build script: generate each design's Verilog through memfire-hdl, verilate it, and
//! compile the C++ model with its shim (`csrc/<design>_shim.cpp`) into this crate. No step
//! by hand; a missing Verilator stops the build with the command that installs it.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=csrc");
    println!("cargo:rerun-if-env-changed=VERILATOR");
    let verilator = std::env::var("VERILATOR").unwrap_or_else(|_| "verilator".into());
    let root = verilator_root(&verilator);
    for &design in memfire_hdl::tops::TOPS {
        // The full core can write FST waveforms (`--trace`); the pipeline test needs none.
        build_design(&verilator, &root, &out, design, design == "core");
    }
    println!("cargo:rustc-link-lib=z");
    println!("cargo:rustc-env=MEMFIRE_UART_CPB={}", memfire_hdl::tops::SIM_UART_CPB);
    println!(
        "cargo:rustc-env=MEMFIRE_PIPE_LATENCY={}",
        memfire_hdl::neuron_pipe::PIPE_LATENCY
    );
}

/// Where Verilator keeps `verilated.cpp` and friends.
fn verilator_root(verilator: &str) -> PathBuf {
    let output = Command::new(verilator).args(["--getenv", "VERILATOR_ROOT"]).output();
    match output {
        Ok(o) if o.status.success() => PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()),
        Ok(o) => fail(&format!(
            "`{verilator} --getenv VERILATOR_ROOT` failed: {}",
            String::from_utf8_lossy(&o.stderr)
        )),
        Err(e) => fail(&format!(
            "Verilator is needed to build memfire-sim and was not found ({verilator}: {e}).\n\
             Install it with `scripts/setup.sh` (or `sudo apt-get install verilator`; version 5.006 or later),\n\
             or point the VERILATOR environment variable at the binary."
        )),
    }
}

fn build_design(verilator: &str, root: &Path, out: &Path, design: &str, trace: bool) {
    let dir = out.join(design);
    let mdir = dir.join("obj");
    std::fs::create_dir_all(&mdir).unwrap_or_else(|e| fail(&format!("create {}: {e}", mdir.display())));
    let verilog = memfire_hdl::tops::verilog(design).unwrap_or_else(|| fail(&format!("unknown design {design}")));
    let top_v = dir.join("top.v");
    std::fs::write(&top_v, verilog).unwrap_or_else(|e| fail(&format!("write {}: {e}", top_v.display())));

    let prefix = format!("V{design}");
    let mut cmd = Command::new(verilator);
    cmd.args([
        "--cc",
        "-O3",
        "--x-assign",
        "fast",
        "--x-initial",
        "fast",
        "-Wno-fatal",
        "-Wno-WIDTH",
    ]);
    if trace {
        cmd.arg("--trace-fst");
    }
    let status = cmd
        .args(["--prefix", &prefix, "--top-module", "top", "--Mdir"])
        .arg(&mdir)
        .arg(&top_v)
        .status()
        .unwrap_or_else(|e| fail(&format!("run {verilator}: {e}")));
    if !status.success() {
        fail(&format!("verilator failed on {} (design {design})", top_v.display()));
    }

    let include = root.join("include");
    let mut build = cc::Build::new();
    build
        .cpp(true)
        .std("c++17")
        .opt_level(3)
        // Built on the machine that runs it, like the Rust code (.cargo/config.toml).
        .flag_if_supported("-march=native")
        .warnings(false)
        .flag_if_supported("-Wno-unused-parameter")
        .include(&include)
        .include(include.join("vltstd"))
        .include(&mdir)
        .file(include.join("verilated.cpp"))
        .file(include.join("verilated_threads.cpp"))
        .file(format!("csrc/{design}_shim.cpp"));
    if trace {
        build.file(include.join("verilated_fst_c.cpp"));
    }
    let mut sources: Vec<PathBuf> = std::fs::read_dir(&mdir)
        .unwrap_or_else(|e| fail(&format!("read {}: {e}", mdir.display())))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "cpp"))
        .collect();
    sources.sort();
    build.files(sources);
    build.compile(&format!("memfire_{design}"));
}

fn fail(msg: &str) -> ! {
    eprintln!("error: {msg}");
    panic!("{msg}");
}
