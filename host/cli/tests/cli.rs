//! The `memfire` command as a user runs it: good files give spikes, bad files give one
//! clear error line naming the file, line or key — never a panic.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const NET: &str = "[network]\nneurons = 3\nseed = 1\n\n[[synapse]]\nfrom = 0\nto = 1\nweight = 1.5\nwidth = 800\n";
const STIM: &str = "step,neuron,volts\n0,0,1.0\n";

fn memfire(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_memfire"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("memfire runs")
}

fn files(dir: &Path, net: &str, stim: &str) -> (PathBuf, PathBuf) {
    let (n, s) = (dir.join("net.toml"), dir.join("stim.csv"));
    std::fs::write(&n, net).expect("write");
    std::fs::write(&s, stim).expect("write");
    (n, s)
}

fn run(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "run",
        "--network",
        "net.toml",
        "--stimulus",
        "stim.csv",
        "--steps",
        "5000",
        "--out",
        "spikes.csv",
    ];
    args.extend_from_slice(extra);
    memfire(&args, dir)
}

#[test]
fn run_writes_sorted_spikes_and_fixed_matches_float_closely() {
    let dir = tempfile::tempdir().expect("tempdir");
    files(dir.path(), NET, STIM);
    let out = run(dir.path(), &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let fixed = std::fs::read_to_string(dir.path().join("spikes.csv")).expect("spikes written");
    let spikes = memfire_spec::format_spikes::parse_spikes("spikes.csv", &fixed).expect("valid, sorted spike file");
    assert!(
        spikes.iter().any(|s| s.neuron == 0) && spikes.iter().any(|s| s.neuron == 1),
        "neuron 0 drives neuron 1: {spikes:?}"
    );
    let out = run(dir.path(), &["--float"]);
    assert!(out.status.success());
    let float = std::fs::read_to_string(dir.path().join("spikes.csv")).expect("spikes written");
    let float = memfire_spec::format_spikes::parse_spikes("spikes.csv", &float).expect("valid");
    assert_eq!(float.len(), spikes.len());
}

#[test]
fn malformed_inputs_name_file_and_line_without_panicking() {
    let cases: &[(&str, &str, &str)] = &[
        ("", STIM, "net.toml: empty file"),
        ("[network\n", STIM, "net.toml:1"),
        (
            "[network]\nneurons = 3\ncolour = 1\n",
            STIM,
            "net.toml:3: unknown field `colour`",
        ),
        (
            "[network]\nneurons = 3\n[neuron]\nR_c = nan\n",
            STIM,
            "net.toml:4: [neuron] parameter `R_c` = NaN",
        ),
        (
            "[network]\nneurons = 3\n[[synapse]]\nfrom = 0\nto = 3\nweight = 0.1\nwidth = 5\n",
            STIM,
            "net.toml:3: [[synapse]] to = 3 is out of range",
        ),
        (
            "[network]\nneurons = 3\n[[synapse]]\nfrom = 0\nto = 1\nweight = 0.1\nwidth = -5\n",
            STIM,
            "net.toml:7: [[synapse]] width = -5",
        ),
        (NET, "", "stim.csv: empty file"),
        (
            NET,
            "step,neuron,volts\n0,7,1.0\n",
            "stim.csv:2: neuron 7 is out of range",
        ),
        (NET, "step,neuron,volts\n0,0,NaN\n", "stim.csv:2: volts = NaN"),
        (NET, "step,neuron,volts\n0,0,1.0,3\n", "stim.csv:2: too many columns"),
    ];
    for (net, stim, want) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        files(dir.path(), net, stim);
        let out = run(dir.path(), &[]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "accepted {net:?} / {stim:?}");
        assert!(err.contains(want), "{net:?} / {stim:?}\n got: {err}\nwant: {want}");
        assert!(!err.contains("panicked"), "panic: {err}");
    }
}

#[test]
fn missing_files_and_unknown_backends_are_clear() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(dir.path(), &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("net.toml") && err.contains("No such file"),
        "{err}"
    );
    files(dir.path(), NET, STIM);
    let out = run(dir.path(), &["--backend", "vfio:0000:01:00.0"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("no PCI device 0000:01:00.0") && err.contains("memfire devices"),
        "{err}"
    );
    let out = run(dir.path(), &["--backend", "fpga"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("available: model"), "{err}");
}

#[test]
fn the_simulated_fpga_names_what_does_not_fit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut many = String::from("[network]\nneurons = 18\n");
    for k in 0..17 {
        many += &format!(
            "\n[[synapse]]\nfrom = {k}\nto = {}\nweight = 0.1\nwidth = {}\n",
            k + 1,
            3 * k + 1
        );
    }
    files(dir.path(), &many, STIM);
    let out = run(dir.path(), &["--backend", "sim"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("17 distinct pulse widths (49, 46, 43,") && err.contains("at most 16"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn mixed_pulse_widths_on_the_simulated_fpga_are_the_models_spikes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let gen = memfire(
        &[
            "generate",
            "--neurons",
            "200",
            "--fanout",
            "12",
            "--width",
            "3,17,40,100,250",
            "--max-weight",
            "0.1",
            "--dc",
            "0.6",
            "1.5",
        ],
        dir.path(),
    );
    assert!(gen.status.success(), "{}", String::from_utf8_lossy(&gen.stderr));
    let mut outputs = Vec::new();
    for backend in ["model", "sim"] {
        let out_file = format!("{backend}.csv");
        let args = [
            "run",
            "--network",
            "out/generated/network.toml",
            "--stimulus",
            "out/generated/stimulus.csv",
        ];
        let out = memfire(
            &[
                &args[..],
                &["--steps", "3000", "--backend", backend, "--out", &out_file],
            ]
            .concat(),
            dir.path(),
        );
        assert!(
            out.status.success(),
            "{backend}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        outputs.push(std::fs::read_to_string(dir.path().join(out_file)).expect("spikes written"));
    }
    assert!(outputs[0].lines().count() > 100, "the network fires");
    assert!(outputs[0] == outputs[1], "the simulated FPGA's spikes are the model's");
}

#[test]
fn dense_matrix_networks_load_relative_to_the_network_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    files(
        dir.path(),
        "[network]\nneurons = 2\n[matrix]\nfile = \"w.csv\"\nwidth = 100\n",
        STIM,
    );
    std::fs::write(dir.path().join("w.csv"), "0,0.3\n0,0\n").expect("write");
    let out = run(dir.path(), &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::write(dir.path().join("w.csv"), "0,0.3\n0,x\n").expect("write");
    let out = run(dir.path(), &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("w.csv:2"), "{err}");
}

#[test]
fn characterize_writes_csv_and_png_and_params_reports_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = memfire(&["characterize", "dc-latency", "--out", "c"], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = std::fs::read_to_string(dir.path().join("c/dc-latency.csv")).expect("csv");
    assert!(csv.starts_with("volts,latency_ms"));
    let png = std::fs::read(dir.path().join("c/dc-latency.png")).expect("png");
    assert_eq!(&png[1..4], b"PNG");
    let out = memfire(&["params"], dir.path());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("k_grow") && text.contains("drive table"),
        "{text}"
    );
    let out = memfire(&["characterize", "bogus"], dir.path());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown protocol `bogus`"));
}

#[test]
fn probed_states_go_to_a_csv_and_a_bad_probe_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    files(dir.path(), NET, STIM);
    let out = run(dir.path(), &["--probe", "0,2", "--probe-out", "states.csv"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = std::fs::read_to_string(dir.path().join("states.csv")).expect("states written");
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("step,neuron,x1,x2,v,m,refractory"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 2 * 5000, "two neurons, every step");
    assert_eq!((rows[0][0], rows[0][1], rows[1][1]), ("0", "0", "2"));
    assert_eq!(rows.last().map(|r| r[0]), Some("4999"));
    let out = run(dir.path(), &["--probe", "0,3", "--probe-out", "bad.csv"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("neuron 3 is out of range"),
        "{err}"
    );
    assert!(
        !dir.path().join("bad.csv").exists(),
        "no file for a run that cannot start"
    );
    let out = run(dir.path(), &["--probe", "0"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("--probe-out"), "{err}");
}

#[test]
fn outputs_are_checked_before_the_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    files(dir.path(), NET, STIM);
    let cases: [(&[&str], &str); 6] = [
        (
            &["--out", "net.toml"],
            "--out net.toml is the same file as --network net.toml",
        ),
        (&["--out", "."], "--out .: is a directory"),
        (
            &["--out", "s.csv", "--raster", "r.txt"],
            "--raster r.txt: plots are drawn as PNG images",
        ),
        (
            &["--out", "s.png", "--raster", "./s.png"],
            "--raster ./s.png is the same file as --out s.png",
        ),
        (
            &["--out", "stim.csv"],
            "--out stim.csv is the same file as --stimulus stim.csv",
        ),
        (
            &["--out", "s.csv", "--backend", "model:float", "--fixed"],
            "--fixed contradicts --backend model:float",
        ),
    ];
    for (extra, want) in cases {
        let mut args = vec![
            "run",
            "--network",
            "net.toml",
            "--stimulus",
            "stim.csv",
            "--steps",
            "50",
        ];
        args.extend_from_slice(extra);
        let out = memfire(&args, dir.path());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && err.contains(want), "{extra:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{extra:?}: one line: {err}");
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("net.toml")).expect("read"),
        NET,
        "input kept"
    );
    assert!(
        !dir.path().join("s.png").exists() && !dir.path().join("s.csv").exists(),
        "nothing ran"
    );
}

#[test]
fn a_closed_stdout_does_not_stop_the_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    files(dir.path(), NET, STIM);
    let mut child = Command::new(env!("CARGO_BIN_EXE_memfire"))
        .args([
            "run",
            "--network",
            "net.toml",
            "--stimulus",
            "stim.csv",
            "--steps",
            "5000",
        ])
        .args(["--out", "spikes.csv", "--raster", "raster.png"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("memfire runs");
    // The reader goes away before anything is printed, as `| head -c0` does.
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("memfire ends");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.path().join("spikes.csv").is_file() && dir.path().join("raster.png").is_file());
}

#[test]
fn an_os_error_is_told_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = memfire(
        &["run", "--network", "missing.toml", "--steps", "1", "--out", "s.csv"],
        dir.path(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
}

/// Run memfire with `args` in `cwd`, send it SIGINT after 1.5 s, and wait for it to end.
fn interrupted_after_1500_ms(args: &[&str], cwd: &Path) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_memfire"))
        .args(args)
        .current_dir(cwd)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("memfire runs");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    child.wait_with_output().expect("memfire ends")
}

#[test]
fn a_run_cut_short_keeps_its_spikes_as_partial_and_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    files(dir.path(), NET, STIM);
    std::fs::write(dir.path().join("spikes.csv"), "an earlier run\n").expect("write");
    let args = [
        "run",
        "--network",
        "net.toml",
        "--stimulus",
        "stim.csv",
        "--steps",
        "1000000000",
    ];
    let out = interrupted_after_1500_ms(
        &[
            &args[..],
            &["--out", "spikes.csv", "--probe", "1", "--probe-out", "states.csv"],
        ]
        .concat(),
        dir.path(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "128 + SIGINT: {err}");
    assert!(
        err.contains("interrupted at step") && err.contains("spikes.csv.partial"),
        "{err}"
    );
    let partial = std::fs::read_to_string(dir.path().join("spikes.csv.partial")).expect("partial spikes kept");
    let spikes = memfire_spec::format_spikes::parse_spikes("spikes.csv.partial", &partial).expect("whole rows");
    assert!(!spikes.is_empty(), "neuron 0 fires within the first 1.5 s");
    let states = std::fs::read_to_string(dir.path().join("states.csv.partial")).expect("partial states kept");
    assert!(
        states.lines().skip(1).all(|l| l.split(',').count() == 7),
        "no row cut short"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("spikes.csv")).expect("read"),
        "an earlier run\n",
        "the earlier file is not overwritten by half a run"
    );
}

#[test]
fn large_networks_come_as_synapse_lists_and_inputs_must_be_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = memfire(
        &["generate", "--neurons", "400", "--fanout", "50", "--out", "g"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let toml = std::fs::read_to_string(dir.path().join("g/network.toml")).expect("network written");
    assert!(toml.contains("[synapses]") && !toml.contains("[[synapse]]"), "{toml}");
    let out = memfire(
        &[
            "run",
            "--network",
            "g/network.toml",
            "--stimulus",
            "g/stimulus.csv",
            "--steps",
            "3000",
            "--out",
            "s.csv",
        ],
        dir.path(),
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && said.contains("from 400 neurons"), "{said}");
    std::fs::write(
        dir.path().join("z.toml"),
        "[network]\nneurons = 2\n[matrix]\nfile = \"/dev/zero\"\nwidth = 3\n",
    )
    .expect("write");
    let out = memfire(
        &["run", "--network", "z.toml", "--steps", "2", "--out", "s.csv"],
        dir.path(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/dev/zero: not a regular file"), "{err}");
    let out = memfire(
        &["generate", "--neurons", "1048576", "--fanout", "100000", "--out", "h"],
        dir.path(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("MB of memory to generate"),
        "{err}"
    );
}

#[test]
fn characterize_cut_short_says_which_protocols_are_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = interrupted_after_1500_ms(&["characterize", "all", "--backend", "sim", "--out", "out"], dir.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "128 + SIGINT: {err}");
    assert!(
        err.contains("interrupted in dc-latency after") && err.contains("no protocol finished"),
        "{err}"
    );
}

#[test]
fn generate_writes_the_benchmark_presets() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = memfire(&["generate", "--preset", "steady-1k", "--out", "steady"], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("80/20 excitatory/inhibitory") && text.contains("102400 synapses"),
        "{text}"
    );
    let net = memfire_host::files::load_network(&dir.path().join("steady/network.toml")).expect("loads");
    let inhibitory = net.synapses().iter().filter(|s| s.weight < 0.0).count();
    assert!(
        (18_000..23_000).contains(&inhibitory),
        "about a fifth of the synapses inhibit ({inhibitory})"
    );
    let bad = memfire(&["generate", "--preset", "steady-2k"], dir.path());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        !bad.status.success() && err.contains("known: steady-1k, steady-16k, steady-256k, steady-1m, saturated-1k"),
        "{err}"
    );
    let both = memfire(&["generate", "--preset", "steady-1k", "--neurons", "5"], dir.path());
    assert!(!both.status.success(), "a preset and a shape do not mix");
}
