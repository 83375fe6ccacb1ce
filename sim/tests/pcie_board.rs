//! The PCIe board in simulation: the verilated core behind the RustHDL TLP adapter, against
//! a transaction-level root complex (BAR0 reads and posted writes, DMA reads answered with
//! completions split at the read-completion boundary, posted DMA writes, MSI; random
//! latency and backpressure both ways). The whole driver runs over it, bit-exact against the
//! spec model; every packet the adapter sends is checked against PCIe's rules. A failure
//! prints the seed; MEMFIRE_SEED replays one.

mod common;

use memfire_host::bus::Bus;
use memfire_host::{DeviceOptions, Engine};
use memfire_sim::open_pcie_device;
use memfire_sim::pcie::root_complex::CORE_CLOCK_PS;
use memfire_sim::pcie::{PcieSimBackend, PcieSimOptions, RcOptions};
use memfire_spec::memmap::reg_addr;
use memfire_spec::model::FixedModel;
use memfire_spec::regs::{self, offset};

fn seeds() -> Vec<u64> {
    match std::env::var("MEMFIRE_SEED") {
        Ok(s) => vec![s.parse().expect("MEMFIRE_SEED is a number")],
        Err(_) => (1..=8).collect(),
    }
}

/// A link drawn from `seed`: RCB 64 or 128, slow or quick completions, backpressure both
/// ways, host memory above 4 GiB (64-bit requests) or below (32-bit), and the core's clock
/// at one of five ratios to the link's 62.5 MHz: the LiteFury image's 125 MHz, 43.3 MHz
/// and 6.25 MHz (slower than the link: the crossing holds the link), 162 MHz, and 62.5 MHz
/// out of phase.
fn link(seed: u64) -> PcieSimOptions {
    PcieSimOptions {
        link: RcOptions {
            seed,
            rcb: if seed.is_multiple_of(2) { 64 } else { 128 },
            read_latency: (5 + 10 * (seed % 3) as u32, 80),
            tx_ready_permille: 600 + 100 * (seed % 4) as u32,
            rx_gap_permille: 100 * (seed % 3) as u32,
            core_clock_ps: [CORE_CLOCK_PS, 23_117, 6_173, 16_000, 160_000][(seed % 5) as usize],
            ..RcOptions::default()
        },
        iova_base: if seed % 2 == 1 {
            0x0000_0040_0000_0000
        } else {
            0x1000_0000
        },
        ..PcieSimOptions::default()
    }
}

#[test]
fn the_pcie_board_equals_the_model_through_the_tlp_adapter() {
    let mut splits = 0;
    let mut writes_64 = 0;
    for seed in seeds() {
        let options = common::tiny_rings();
        let mut dev = open_pcie_device(link(seed), options).unwrap_or_else(|e| panic!("seed {seed}: open: {e}"));
        assert!(dev.uses_dma(), "seed {seed}: the PCIe core has a DMA engine");
        let (net, stim) = common::random_network(seed);
        let mut model = FixedModel::new(&net).expect("valid");
        let want = model.run_collect(&stim, 1500);
        dev.load(&net).unwrap_or_else(|e| panic!("seed {seed}: upload: {e}"));
        let mut got = dev
            .run_collect(&stim, 700)
            .unwrap_or_else(|e| panic!("seed {seed}: run: {e}"));
        got.extend(
            dev.run_collect(&stim, 800)
                .unwrap_or_else(|e| panic!("seed {seed}: run: {e}")),
        );
        assert!(
            got == want,
            "seed {seed}: {} spikes through PCIe, {} from the model",
            got.len(),
            want.len()
        );
        for i in 0..net.neurons() {
            assert_eq!(dev.probe(i).expect("probe"), model.probe(i), "seed {seed}: neuron {i}");
        }
        let bus: &mut PcieSimBackend = dev.backend_mut();
        assert!(bus.violations().is_empty(), "seed {seed}: {:?}", bus.violations());
        let s = bus.stats();
        eprintln!("seed {seed}: {} spikes; link {s:?}", got.len());
        assert!(s.msis > 0 && s.dma_reads > 0 && s.dma_writes > 0, "seed {seed}: {s:?}");
        splits += s.split_reads;
        writes_64 += s.writes_64;
    }
    if seeds().len() > 1 {
        assert!(splits > 0, "some reads came back in split completions");
        assert!(writes_64 > 0, "some writes went above 4 GiB");
    }
}

#[test]
fn bar0_reads_and_writes_reach_the_registers() {
    let mut bus = PcieSimBackend::new(PcieSimOptions::default());
    assert_eq!(bus.read32(reg_addr(offset::ID)).expect("ID"), regs::MAGIC);
    // A register that keeps what is written, through one- and two-DW writes.
    for v in [0x1234_5678u32, 0xDEAD_BEEF, 0x0000_00FF] {
        bus.write_block(reg_addr(offset::IRQ_COALESCE_COUNT), &[v, v ^ 0xFFFF])
            .expect("write");
        assert_eq!(bus.read32(reg_addr(offset::IRQ_COALESCE_COUNT)).expect("read"), v);
        assert_eq!(
            bus.read32(reg_addr(offset::IRQ_COALESCE_CYCLES)).expect("read"),
            v ^ 0xFFFF
        );
    }
    // A read of more than one DW is answered "unsupported request", and the adapter goes on.
    let rc = bus.root_complex();
    let tag = rc.bar_read_dws(offset::ID, 2);
    for _ in 0..200 {
        rc.tick();
    }
    let reply = rc.bar_reads.iter().find(|(t, _)| *t == tag).map(|r| r.1);
    assert_eq!(
        reply,
        Some(memfire_sim::pcie::root_complex::BarReply::Status(
            memfire_spec::tlp::status::UR
        ))
    );
    assert_eq!(bus.read32(reg_addr(offset::ID)).expect("ID after UR"), regs::MAGIC);
    assert!(bus.violations().is_empty(), "{:?}", bus.violations());
}

#[test]
fn a_dma_read_of_an_unmapped_page_is_a_clear_error() {
    let (net, stim) = common::random_network(5);
    let mut dev = open_pcie_device(PcieSimOptions::default(), DeviceOptions::default()).expect("opens");
    dev.load(&net).expect("upload");
    dev.backend_mut()
        .write32(reg_addr(offset::C2H_RING_HI), 0x7777)
        .expect("register write");
    let e = dev.run_collect(&stim, 500).expect_err("the read fails");
    let text = e.to_string();
    assert!(text.contains("DMA fault") && text.contains("0x7777"), "{text}");
    // The root complex sees the fault at the device's read request; the device latches
    // DMA_READ_FAILED when the error completion comes back, some cycles later. How many
    // cycles the simulation has run when the driver hears of the fault depends on how it
    // was polling, so the register is read until it shows the bit (each read runs the
    // simulation on), a bounded number of times.
    let mut errors = 0;
    for _ in 0..64 {
        errors = dev.backend_mut().read32(reg_addr(offset::ERRORS)).expect("ERRORS");
        if errors & regs::errors::DMA_READ_FAILED != 0 {
            break;
        }
    }
    assert_ne!(
        errors & regs::errors::DMA_READ_FAILED,
        0,
        "ERRORS = {errors:#x} after 64 reads"
    );
}

/// 64 strongly driven neurons for 6000 steps (about 1400 spikes) on a link that takes the
/// device's packets only a third of the time: the card-to-host ring backs up, the core
/// stalls, nothing is lost, and every MSI is answered.
#[test]
fn a_congested_link_stalls_the_core_and_loses_nothing() {
    let (net, stim) = common::busy_network();
    let mut options = link(3);
    options.link.tx_ready_permille = 330;
    let mut dev = open_pcie_device(options, DeviceOptions::default()).expect("opens");
    dev.load(&net).expect("upload");
    let got = dev.run_collect(&stim, 6000).expect("run");
    let want = FixedModel::new(&net).expect("valid").run_collect(&stim, 6000);
    assert!(
        got == want,
        "{} spikes through PCIe, {} from the model",
        got.len(),
        want.len()
    );
    let stalls = dev.counters().expect("counters").stall_cycles;
    let bus: &mut PcieSimBackend = dev.backend_mut();
    assert!(bus.violations().is_empty(), "{:?}", bus.violations());
    eprintln!("{} spikes, {stalls} stall cycles, link {:?}", got.len(), bus.stats());
    assert!(
        got.len() > 1000 && stalls > 0,
        "{} spikes, {stalls} stall cycles",
        got.len()
    );
}

/// An interrupt source that stays raised (spikes waiting in the output ring): clearing
/// IRQ_STATUS leaves the line high, so there is no new edge; the adapter must send another
/// MSI anyway, or the host would sleep until its timeout.
#[test]
fn an_interrupt_still_pending_after_a_clear_sends_another_msi() {
    use std::time::Duration;
    let net = memfire_spec::network::Network::new(8, 9, memfire_spec::params::NeuronParams::default()).expect("valid");
    let windows = DeviceOptions {
        dma: false,
        ..DeviceOptions::default()
    };
    let mut dev = open_pcie_device(PcieSimOptions::default(), windows).expect("opens");
    dev.load(&net).expect("upload");
    let bus = dev.backend_mut();
    for n in 0..8 {
        let ext = memfire_spec::memmap::word_addr(memfire_spec::memmap::Region::Ext, n);
        bus.write32(ext, memfire_spec::fixed::volts_to_q(2.0).expect("in range") as u32)
            .expect("input");
    }
    bus.write32(reg_addr(offset::IRQ_STATUS), u32::MAX).expect("clear");
    bus.write32(reg_addr(offset::IRQ_MASK), regs::irq::DATA).expect("mask");
    bus.write32(reg_addr(offset::RUN_STEPS), 2000).expect("steps");
    bus.write32(reg_addr(offset::CTRL), regs::ctrl::RUN).expect("run");
    assert!(
        bus.wait_irq(Duration::from_secs(20)).expect("wait"),
        "first MSI: spikes in the ring"
    );
    // The host clears the status but does not drain the ring: the source raises it again at once.
    bus.write32(reg_addr(offset::IRQ_STATUS), u32::MAX).expect("clear");
    assert!(
        bus.wait_irq(Duration::from_secs(20)).expect("wait"),
        "a second MSI while the interrupt stays pending"
    );
    assert!(bus.violations().is_empty(), "{:?}", bus.violations());
}

/// Until the host sets Bus Master Enable, the adapter sends nothing towards host memory
/// (the root complex would record it as a violation); once set, the engine's reads go out.
#[test]
fn no_dma_before_the_host_enables_bus_mastering() {
    use memfire_spec::wire::{Descriptor, DescriptorKind};
    let options = PcieSimOptions {
        link: RcOptions {
            bus_master: false,
            ..RcOptions::default()
        },
        ..PcieSimOptions::default()
    };
    let mut bus = PcieSimBackend::new(options);
    let mem = bus.dma_alloc(4096).expect("alloc").expect("DMA memory");
    let desc = Descriptor {
        addr: mem.iova + 64,
        len: 16,
        kind: DescriptorKind::Input as u16,
        flags: 0,
    };
    bus.dma_write(&mem, 0, bytemuck::bytes_of(&desc)).expect("descriptor");
    bus.write32(reg_addr(offset::H2C_RING_LO), mem.iova as u32).expect("lo");
    bus.write32(reg_addr(offset::H2C_RING_HI), (mem.iova >> 32) as u32)
        .expect("hi");
    bus.write32(reg_addr(offset::H2C_RING_SIZE), 4).expect("size");
    bus.write32(reg_addr(offset::H2C_TAIL), 1).expect("post");
    bus.write32(reg_addr(offset::DMA_CTRL), regs::dma_ctrl::H2C)
        .expect("enable");
    let rc = bus.root_complex();
    for _ in 0..5000 {
        rc.tick();
    }
    assert_eq!(rc.stats.dma_reads, 0, "no read while bus mastering is off");
    rc.options.bus_master = true;
    for _ in 0..5000 {
        rc.tick();
    }
    assert!(rc.stats.dma_reads > 0, "the engine reads its descriptor once allowed");
    assert!(bus.violations().is_empty(), "{:?}", bus.violations());
    assert_eq!(
        bus.read32(reg_addr(offset::H2C_HEAD)).expect("head"),
        1,
        "the input buffer was consumed"
    );
}
