//! Build script: generate each design's Verilog through memfire-hdl, verilate it, and
//! compile the C++ model with its shim (`csrc/<design>_shim.cpp`) into this crate. No step
//! by hand; a missing Verilator stops the build with the command that installs it.
//!
//! Each compiled model is kept in `target/<profile>/verilated/<design>-<key>/`, the key a
//! hash of everything that goes into it (the Verilog, the shim, Verilator's version, the
//! compiler and its flags). One run of `scripts/test.sh` builds this crate three times —
//! for clippy, for the tests and for the Python module, each with a build script of its own
//! and its own OUT_DIR — and without the cache each verilated and compiled every design.
//! The cache keeps each design's [`CACHE_KEEP`] most recently used models (a change to the
//! hardware makes a new one; the old would pile up until `cargo clean`).

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=csrc");
    println!("cargo:rerun-if-env-changed=VERILATOR");
    println!("cargo:rerun-if-env-changed=MEMFIRE_SIM_CORE");
    let verilator = std::env::var("VERILATOR").unwrap_or_else(|_| "verilator".into());
    let root = verilator_root(&verilator);
    let version = verilator_version(&verilator);
    let cache = cache_root(&out);
    for &design in memfire_hdl::tops::TOPS {
        // The full core can write FST waveforms (`--trace`); the pipeline test needs none.
        let model = Model {
            verilator: &verilator,
            root: &root,
            version: &version,
            design,
            trace: design == "core",
        };
        let lib_dir = model.build(&out, &cache);
        if let Some(root) = &cache {
            prune(root, design, &model.lib_file());
        }
        println!("cargo:rustc-link-search=native={}", lib_dir.display());
        println!("cargo:rustc-link-lib=static={}", model.lib_name());
    }
    println!("cargo:rustc-link-lib=stdc++");
    println!("cargo:rustc-link-lib=z");
    println!("cargo:rustc-env=MEMFIRE_UART_CPB={}", memfire_hdl::tops::SIM_UART_CPB);
    // The simulated board's core configuration, and the board image built around it (if
    // any) with its clock: what `memfire bench` names its per-image figures after.
    let core = source_design("core");
    println!("cargo:rustc-env=MEMFIRE_SIM_CORE_CONFIG={core}");
    let image = memfire_hdl::tops::image_of_core(&core);
    println!("cargo:rustc-env=MEMFIRE_SIM_IMAGE={}", image.map_or("", |i| i.image));
    println!(
        "cargo:rustc-env=MEMFIRE_SIM_IMAGE_CLOCK_HZ={}",
        image.map_or(0.0, |i| i.clock_hz)
    );
    println!(
        "cargo:rustc-env=MEMFIRE_SIM_IMAGE_CLOCK={}",
        image.map_or("", |i| i.clock)
    );
    println!(
        "cargo:rustc-env=MEMFIRE_PIPE_LATENCY={}",
        memfire_hdl::lane::neuron_pipe::PIPE_LATENCY
    );
}

/// The configuration verilated as `design`: the simulated board's core is `core` unless
/// MEMFIRE_SIM_CORE names another core configuration of `memfire_hdl::tops::CORES` (e.g.
/// `core-p8`, for `scripts/bench-lanes.sh`).
fn source_design(design: &str) -> String {
    match std::env::var("MEMFIRE_SIM_CORE") {
        Ok(config) if design == "core" && !config.is_empty() => {
            if memfire_hdl::tops::core_config(&config).is_none() {
                fail(&format!(
                    "MEMFIRE_SIM_CORE={config}: not a core configuration of hdl/src/tops.rs"
                ));
            }
            config
        }
        _ => design.to_string(),
    }
}

/// One design's Verilated model and how it is built.
struct Model<'a> {
    verilator: &'a str,
    root: &'a Path,
    version: &'a str,
    design: &'a str,
    trace: bool,
}

impl Model<'_> {
    fn lib_name(&self) -> String {
        format!("memfire_{}", self.design)
    }

    fn lib_file(&self) -> String {
        format!("lib{}.a", self.lib_name())
    }

    /// The directory holding `lib<lib_name>.a`: the cached one when its key matches,
    /// else a new build (stored in the cache for the next).
    fn build(&self, out: &Path, cache: &Option<PathBuf>) -> PathBuf {
        let design = self.design;
        let verilog = memfire_hdl::tops::verilog(&source_design(design))
            .unwrap_or_else(|| fail(&format!("unknown design {}", source_design(design))));
        let shim_path = format!("csrc/{design}_shim.cpp");
        let shim = std::fs::read(&shim_path).unwrap_or_else(|e| fail(&format!("read {shim_path}: {e}")));
        let compiler = self.cpp(3).get_compiler();
        let mut key = Fnv64::new();
        for part in [
            verilog.as_bytes(),
            &shim,
            self.version.as_bytes(),
            VERILATOR_ARGS.join(" ").as_bytes(),
        ] {
            key.add(part);
        }
        key.add(compiler.path().as_os_str().as_encoded_bytes());
        for arg in compiler.args() {
            key.add(arg.as_encoded_bytes());
        }
        key.add(&[u8::from(self.trace)]);
        let lib_file = self.lib_file();
        let cached = cache
            .as_ref()
            .map(|c| c.join(format!("{design}-{:016x}", key.finish())));
        if let Some(dir) = &cached {
            let lib = dir.join(&lib_file);
            if lib.is_file() {
                mark_used(&lib);
                return dir.clone();
            }
        }

        let dir = out.join(design);
        let mdir = dir.join("obj");
        // A fresh folder: files Verilator wrote for another configuration of this design
        // (MEMFIRE_SIM_CORE) would otherwise be compiled with this one's.
        if mdir.exists() {
            std::fs::remove_dir_all(&mdir).unwrap_or_else(|e| fail(&format!("remove {}: {e}", mdir.display())));
        }
        std::fs::create_dir_all(&mdir).unwrap_or_else(|e| fail(&format!("create {}: {e}", mdir.display())));
        let top_v = dir.join("top.v");
        std::fs::write(&top_v, verilog).unwrap_or_else(|e| fail(&format!("write {}: {e}", top_v.display())));
        self.verilate(&top_v, &mdir);
        self.compile(&mdir, out);
        match cached {
            Some(dir) => {
                store(&out.join(&lib_file), &dir, &lib_file);
                dir
            }
            None => out.to_path_buf(),
        }
    }

    fn verilate(&self, top_v: &Path, mdir: &Path) {
        let mut cmd = Command::new(self.verilator);
        cmd.args(VERILATOR_ARGS);
        if self.trace {
            cmd.arg("--trace-fst");
        }
        let status = cmd
            .args([
                "--prefix",
                &format!("V{}", self.design),
                "--top-module",
                "top",
                "--Mdir",
            ])
            .arg(mdir)
            .arg(top_v)
            .status()
            .unwrap_or_else(|e| fail(&format!("run {}: {e}", self.verilator)));
        if !status.success() {
            fail(&format!(
                "verilator failed on {} (design {})",
                top_v.display(),
                self.design
            ));
        }
    }

    /// Compile the model into `out/lib<lib_name>.a`: the code that runs every cycle at -O3,
    /// the code that runs once (`*__Slow.cpp`: construction, initial values) and the
    /// waveform writer at -O1, which compiles several times faster.
    fn compile(&self, mdir: &Path, out: &Path) {
        let include = self.root.join("include");
        let mut sources: Vec<PathBuf> = std::fs::read_dir(mdir)
            .unwrap_or_else(|e| fail(&format!("read {}: {e}", mdir.display())))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "cpp"))
            .collect();
        sources.sort();
        let (slow, fast): (Vec<PathBuf>, Vec<PathBuf>) = sources.into_iter().partition(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            name.contains("__Slow") || name.contains("__Trace")
        });
        let mut fast_build = self.cpp(3);
        fast_build
            .include(mdir)
            .file(include.join("verilated.cpp"))
            .file(include.join("verilated_threads.cpp"))
            .file(format!("csrc/{}_shim.cpp", self.design))
            .files(fast);
        let mut slow_build = self.cpp(1);
        slow_build.include(mdir).files(slow);
        if self.trace {
            slow_build.file(include.join("verilated_fst_c.cpp"));
        }
        let mut objects = fast_build.compile_intermediates();
        objects.extend(slow_build.compile_intermediates());
        self.cpp(3)
            .objects(objects)
            .out_dir(out)
            .cargo_metadata(false)
            .compile(&self.lib_name());
    }

    /// A C++ build of Verilated code at the given optimisation level, without debug
    /// information (the release profile asks for it; on the 1.6 MB waveform writer it
    /// multiplied the compile time by twenty).
    fn cpp(&self, opt_level: u32) -> cc::Build {
        let include = self.root.join("include");
        let mut build = cc::Build::new();
        build
            .cpp(true)
            .std("c++17")
            .opt_level(opt_level)
            .debug(false)
            .warnings(false)
            .flag_if_supported("-Wno-unused-parameter")
            .include(&include)
            .include(include.join("vltstd"))
            .cargo_metadata(false);
        // The C++ follows the Rust code's target: `-march=native` only when the build opted
        // in with `-C target-cpu=native`, so a default build runs on any x86-64.
        if rust_targets_native_cpu() {
            build.flag_if_supported("-march=native");
        }
        build
    }
}

/// Whether RUSTFLAGS (as Cargo passes them to build scripts) ask for `target-cpu=native`.
fn rust_targets_native_cpu() -> bool {
    std::env::var("CARGO_ENCODED_RUSTFLAGS")
        .unwrap_or_default()
        .split('\x1f')
        .any(|flag| flag.ends_with("target-cpu=native"))
}

const VERILATOR_ARGS: &[&str] = &[
    "--cc",
    "-O3",
    "--x-assign",
    "fast",
    "--x-initial",
    "fast",
    "-Wno-fatal",
    "-Wno-WIDTH",
];

/// `target/<profile>/verilated`, from OUT_DIR (`target/<profile>/build/<crate>-<hash>/out`);
/// None if OUT_DIR is not laid out that way (then nothing is cached).
fn cache_root(out: &Path) -> Option<PathBuf> {
    let profile_dir = out.ancestors().nth(3)?;
    (out.ancestors().nth(2)?.file_name()? == "build").then(|| profile_dir.join("verilated"))
}

/// Copy a finished library into its cache directory: through a temporary name and a rename,
/// so an interrupted copy never looks like a finished one.
fn store(lib: &Path, dir: &Path, lib_file: &str) {
    std::fs::create_dir_all(dir).unwrap_or_else(|e| fail(&format!("create {}: {e}", dir.display())));
    let tmp = dir.join(format!("{lib_file}.tmp"));
    std::fs::copy(lib, &tmp).unwrap_or_else(|e| fail(&format!("copy {} to {}: {e}", lib.display(), tmp.display())));
    std::fs::rename(&tmp, dir.join(lib_file)).unwrap_or_else(|e| fail(&format!("rename {}: {e}", tmp.display())));
}

/// How many models of each design the cache keeps: the one just built or used, and a
/// couple more for switching back and forth between branches.
const CACHE_KEEP: usize = 3;

/// A cached model was used: its library's time moves to now, so pruning keeps it.
fn mark_used(lib: &Path) {
    let touched = std::fs::File::options()
        .append(true)
        .open(lib)
        .and_then(|f| f.set_modified(std::time::SystemTime::now()));
    if let Err(e) = touched {
        println!("cargo:warning=could not mark {} as used: {e}", lib.display());
    }
}

/// Remove `design`'s cached models but the [`CACHE_KEEP`] most recently used. Only
/// housekeeping: a model that cannot be removed is reported and left.
fn prune(root: &Path, design: &str, lib_file: &str) {
    let prefix = format!("{design}-");
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    let mut models: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_prefix(&prefix))
                .is_some_and(|key| key.len() == 16 && key.bytes().all(|b| b.is_ascii_hexdigit()))
        })
        .map(|p| {
            let used = std::fs::metadata(p.join(lib_file))
                .and_then(|m| m.modified())
                .unwrap_or(std::time::UNIX_EPOCH);
            (used, p)
        })
        .collect();
    models.sort_by_key(|m| std::cmp::Reverse(m.0));
    for (_, old) in models.into_iter().skip(CACHE_KEEP) {
        if let Err(e) = std::fs::remove_dir_all(&old) {
            println!("cargo:warning=could not prune the old model {}: {e}", old.display());
        }
    }
}

/// FNV-1a, 64 bits: a key that is the same on every build with the same inputs (std's
/// hasher promises no such thing across releases). Each part is length-prefixed.
struct Fnv64(u64);

impl Fnv64 {
    fn new() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
    fn add(&mut self, bytes: &[u8]) {
        for &b in (bytes.len() as u64).to_le_bytes().iter().chain(bytes) {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
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

/// `verilator --version`, part of the cache key (a new Verilator makes new models).
fn verilator_version(verilator: &str) -> String {
    match Command::new(verilator).arg("--version").output() {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).trim().to_string(),
        Ok(o) => fail(&format!(
            "`{verilator} --version` failed: {}",
            String::from_utf8_lossy(&o.stderr)
        )),
        Err(e) => fail(&format!("run {verilator}: {e}")),
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("error: {msg}");
    panic!("{msg}");
}
