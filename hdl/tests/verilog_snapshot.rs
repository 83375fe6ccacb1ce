//! Snapshots of the generated Verilog. Each block of the core, of the DMA engine and of
//! the PCIe bridge has its whole Verilog in
//! `tests/snapshots/<block>.v.expect`, so a change shows in review as a diff of the
//! Verilog itself; the large tops (which contain those blocks and the neuron pipeline)
//! are pinned by a fingerprint. After an intended change, regenerate with
//! `MEMFIRE_UPDATE_SNAPSHOTS=1 cargo test -p memfire-hdl --test verilog_snapshot` and commit
//! the new files with the change that caused it.

use std::path::{Path, PathBuf};

use memfire_hdl::bridges::tlp::dw_swap::DwSwap;
use memfire_hdl::bridges::tlp::msi::MsiSender;
use memfire_hdl::bridges::tlp::receiver::TlpReceiver;
use memfire_hdl::bridges::tlp::requester::TlpRequester;
use memfire_hdl::bridges::tlp::transmitter::TlpTransmitter;
use memfire_hdl::core::{
    BusPort, Controller, Geometry, LanePorts, OutRing, ProbeEngine, ReadPath, RegisterFile, SpikeHistory, SpikeMask,
    SynapseBank, WalkSequencer,
};
use memfire_hdl::dma::{C2hWriter, Coalescer, DescFetch, DmaControl, DmaRegs, H2cReader, MemPort};
use memfire_hdl::lane::spike_queue::SpikeQueue;
use rust_hdl::prelude::*;

/// FNV-1a, 64 bits: enough to notice any change, no dependency.
fn fingerprint(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn top_summary(design: &str) -> String {
    let v = memfire_hdl::tops::verilog(design).expect("known design");
    let modules = v.lines().filter(|l| l.starts_with("module ")).count();
    format!(
        "design {design}\nlines {}\nmodules {modules}\nfnv1a64 {:016x}\n",
        v.lines().count(),
        fingerprint(&v)
    )
}

fn verilog_of<B: Block>(mut block: B) -> String {
    block.connect_all();
    generate_verilog(&block)
}

/// The core's blocks, in the simulated board's configuration (`tops::SimCore`: 2 lanes of
/// 2^9 neurons, 2^17 synapses, 2^16 history entries, a 2^14 output ring, widths < 2^10).
fn blocks() -> Vec<(&'static str, String)> {
    vec![
        ("bus_port", verilog_of(BusPort::default())),
        (
            "regfile",
            verilog_of(RegisterFile::new(Geometry {
                neurons: 1024,
                lanes: 2,
                max_width: 1023,
                width_classes: 16,
                param_sets: 16,
                synapses: 1 << 17,
                history: 1 << 16,
                out_ring: 1 << 14,
                probes: 256,
                features: 0x27,
            })),
        ),
        ("controller", verilog_of(Controller::<9, 2>::default())),
        ("lane_ports", verilog_of(LanePorts::<9, 2>::default())),
        ("spike_mask", verilog_of(SpikeMask::<2>::default())),
        ("spike_queue", verilog_of(SpikeQueue::<9, 2>::default())),
        ("history", verilog_of(SpikeHistory::<16, 10, 4>::default())),
        ("out_ring", verilog_of(OutRing::<14>::default())),
        ("walk", verilog_of(WalkSequencer::<2>::default())),
        ("synapse_bank", verilog_of(SynapseBank::<9, 10, 16>::new(1, 53_248))),
        ("probe_engine", verilog_of(ProbeEngine::<9, 2>::default())),
        ("read_path", verilog_of(ReadPath::<2>::default())),
        ("coalescer", verilog_of(Coalescer::default())),
        ("dma_regs", verilog_of(DmaRegs::default())),
        ("dma_control", verilog_of(DmaControl::default())),
        ("dma_mem_port", verilog_of(MemPort::default())),
        ("dma_desc_fetch", verilog_of(DescFetch::default())),
        ("dma_c2h_writer", verilog_of(C2hWriter::default())),
        ("dma_h2c_reader", verilog_of(H2cReader::default())),
        ("msi", verilog_of(MsiSender::default())),
        ("tlp_receiver", verilog_of(TlpReceiver::default())),
        ("tlp_requester", verilog_of(TlpRequester::default())),
        ("tlp_transmitter", verilog_of(TlpTransmitter::default())),
        ("tlp_dw_swap", verilog_of(DwSwap::default())),
    ]
}

/// The first lines where `before` and `now` differ, with their line numbers.
fn first_difference(before: &str, now: &str) -> String {
    let (b, n): (Vec<_>, Vec<_>) = (before.lines().collect(), now.lines().collect());
    let i = b
        .iter()
        .zip(&n)
        .position(|(x, y)| x != y)
        .unwrap_or(b.len().min(n.len()));
    let show = |lines: &[&str]| {
        lines
            .iter()
            .skip(i)
            .take(6)
            .map(|l| format!("    {l}\n"))
            .collect::<String>()
    };
    format!(
        "first difference at line {}:\n  expected:\n{}  now:\n{}",
        i + 1,
        show(&b),
        show(&n)
    )
}

fn check(path: &Path, now: &str, update: bool, changed: &mut Vec<String>) {
    if update {
        std::fs::write(path, now).expect("write snapshot");
        return;
    }
    let before = std::fs::read_to_string(path).unwrap_or_default();
    if before != now {
        changed.push(format!("{}: {}", path.display(), first_difference(&before, now)));
    }
}

#[test]
fn generated_verilog_matches_its_snapshots() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let update = std::env::var_os("MEMFIRE_UPDATE_SNAPSHOTS").is_some();
    let mut changed = Vec::new();
    for (name, verilog) in blocks() {
        check(&dir.join(format!("{name}.v.expect")), &verilog, update, &mut changed);
    }
    for design in ["neuron_pipe", "core-small", "pcie_core"] {
        check(
            &dir.join(format!("{design}.txt")),
            &top_summary(design),
            update,
            &mut changed,
        );
    }
    assert!(
        changed.is_empty(),
        "generated Verilog changed; if intended, rerun with MEMFIRE_UPDATE_SNAPSHOTS=1 and commit:\n{}",
        changed.join("\n")
    );
}
