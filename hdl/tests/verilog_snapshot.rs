//! Snapshot of the generated Verilog: a change to any block changes the fingerprint of the
//! designs below, and this test says so. After an intended change, regenerate with
//! `MEMFIRE_UPDATE_SNAPSHOTS=1 cargo test -p memfire-hdl --test verilog_snapshot` and commit
//! the new `tests/snapshots/*.txt` with the change that caused it.

use std::path::PathBuf;

/// FNV-1a, 64 bits: enough to notice any change, no dependency.
fn fingerprint(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn summary(design: &str) -> String {
    let v = memfire_hdl::tops::verilog(design).expect("known design");
    let modules = v.lines().filter(|l| l.starts_with("module ")).count();
    format!(
        "design {design}\nlines {}\nmodules {modules}\nfnv1a64 {:016x}\n",
        v.lines().count(),
        fingerprint(&v)
    )
}

#[test]
fn generated_verilog_matches_its_snapshot() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let update = std::env::var_os("MEMFIRE_UPDATE_SNAPSHOTS").is_some();
    let mut changed = Vec::new();
    for design in ["neuron_pipe", "core-small", "pcie_core"] {
        let now = summary(design);
        let path = dir.join(format!("{design}.txt"));
        if update {
            std::fs::write(&path, &now).expect("write snapshot");
            continue;
        }
        let before = std::fs::read_to_string(&path).unwrap_or_default();
        if before != now {
            changed.push(format!("{}:\n--- snapshot\n{before}+++ now\n{now}", path.display()));
        }
    }
    assert!(
        changed.is_empty(),
        "generated Verilog changed; if intended, rerun with MEMFIRE_UPDATE_SNAPSHOTS=1 and commit:\n{}",
        changed.join("\n")
    );
}
