//! One driver test suite, generic over the backend: upload, run, stream, ring wrap-around
//! (and, where the backend can stage them, stalls and timeouts). It runs on the simulated
//! board in CI; on a real board with
//!     MEMFIRE_PCI=0000:01:00.0 cargo test --release -p memfire-sim --test driver_suite -- --ignored

mod common;

use std::time::Duration;

use memfire_host::bus::Bus;
use memfire_host::stream::{stream_run, stream_run_with_inputs, InputBatch};
use memfire_host::{Device, DeviceOptions, Engine, EngineError};
use memfire_sim::{open_device, open_device_with, SimOptions};
use memfire_spec::format_spikes::Spike;
use memfire_spec::format_stimulus::Stimulus;
use memfire_spec::model::FixedModel;
use memfire_spec::network::{Network, Synapse};
use memfire_spec::params::NeuronParams;

use common::busy_network;

fn model_spikes(net: &Network, stim: &Stimulus, steps: u64) -> Vec<Spike> {
    FixedModel::new(net).expect("valid").run_collect(stim, steps)
}

/// A small tokio runtime for the stream tests.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_time()
        .build()
        .expect("runtime")
}

fn upload_and_run_match_the_model<B: Bus>(dev: &mut Device<B>) {
    for seed in [3, 4] {
        let (net, stim) = common::random_network(seed);
        dev.load(&net).expect("upload");
        let got = dev.run_collect(&stim, 2500).expect("run");
        let mut model = FixedModel::new(&net).expect("valid");
        assert_eq!(got, model.run_collect(&stim, 2500), "seed {seed}");
        let c = dev.counters().expect("counters");
        // SYN_EVENTS counts the pulse starts the synapse banks delivered: the synapses of
        // every spike but the last step's, which the step after it would deliver.
        let undelivered: usize = got
            .iter()
            .filter(|s| s.step == 2499)
            .map(|s| model.fanout_degree(s.neuron))
            .sum();
        assert_eq!(
            (c.step, u64::from(c.spikes_out), c.drops, u64::from(c.syn_events)),
            (
                2500,
                got.len() as u64,
                0,
                model.stats().synaptic_events - undelivered as u64
            ),
            "seed {seed}: step, spikes out, drops, synaptic events"
        );
    }
}

fn output_ring_wraps_around<B: Bus>(dev: &mut Device<B>) {
    let (net, stim) = busy_network();
    dev.load(&net).expect("upload");
    let ring = u64::from(
        dev.backend_mut()
            .read32(memfire_spec::memmap::reg_addr(memfire_spec::regs::offset::OUT_RING))
            .expect("read"),
    );
    let got = dev.run_collect(&stim, 100_000).expect("run");
    assert!(
        got.len() as u64 > ring,
        "{} spikes do not wrap a {ring}-entry ring",
        got.len()
    );
    assert!(
        got == model_spikes(&net, &stim, 100_000),
        "spikes differ after the ring wrapped"
    );
}

fn stream_with_a_slow_consumer(engine: Box<dyn Engine>) {
    let (net, stim) = busy_network();
    let rt = runtime();
    rt.block_on(async move {
        let mut engine = engine;
        engine.load(&net).expect("upload");
        let mut stream = stream_run(engine, stim.clone(), 20_000, 2);
        let mut got = Vec::new();
        while let Some(batch) = stream.next(Duration::from_secs(60)).await.expect("no timeout") {
            if got.len() % 500 == 0 {
                tokio::time::sleep(Duration::from_millis(2)).await; // a slow consumer
            }
            got.extend(batch.neurons.iter().map(|&neuron| Spike {
                step: batch.step,
                neuron,
            }));
        }
        let (_engine, stats) = stream.finish().await.expect("run ok");
        assert_eq!(stats.spikes, got.len() as u64);
        assert!(
            got == model_spikes(&net, &stim, 20_000),
            "streamed spikes differ from the model"
        );
    });
}

/// Inputs arrive through a channel while the run goes on; the spikes must equal a model run
/// with the same inputs given up front.
fn stream_inputs_in(engine: Box<dyn Engine>) {
    let net = Network::new(16, 4, NeuronParams::default()).expect("valid");
    let schedule: Vec<(u64, u32, f64)> = (0..40)
        .map(|k| (k * 250, (k % 16) as u32, 0.8 + 0.03 * (k % 7) as f64))
        .collect();
    let stim = Stimulus::new(
        schedule
            .iter()
            .map(|&(step, neuron, volts)| memfire_spec::format_stimulus::StimEvent { step, neuron, volts })
            .collect(),
        16,
    )
    .expect("valid");
    let want = model_spikes(&net, &stim, 10_000);
    let rt = runtime();
    rt.block_on(async move {
        let mut engine = engine;
        engine.load(&net).expect("upload");
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        let mut stream = stream_run_with_inputs(engine, rx, 10_000, 8);
        let feeder = tokio::spawn(async move {
            for &(step, neuron, volts) in &schedule {
                tx.send(InputBatch {
                    step,
                    inputs: vec![(neuron, volts)],
                })
                .await
                .expect("run is listening");
            }
        });
        let mut got = Vec::new();
        while let Some(batch) = stream.next(Duration::from_secs(60)).await.expect("no timeout") {
            got.extend(batch.neurons.iter().map(|&neuron| Spike {
                step: batch.step,
                neuron,
            }));
        }
        feeder.await.expect("feeder");
        stream.finish().await.expect("run ok");
        assert!(
            !want.is_empty() && got == want,
            "streamed inputs: {} spikes, model {}",
            got.len(),
            want.len()
        );
    });
}

#[test]
fn streamed_inputs_match_inputs_given_up_front() {
    stream_inputs_in(Box::new(memfire_host::ModelEngine::new(memfire_host::Precision::Fixed)));
    stream_inputs_in(Box::new(open_device(SimOptions::default()).expect("sim")));
}

#[test]
fn suite_on_the_simulated_board() {
    let mut dev = open_device(SimOptions::default()).expect("sim");
    upload_and_run_match_the_model(&mut dev);
    output_ring_wraps_around(&mut dev);
    stream_with_a_slow_consumer(Box::new(open_device(SimOptions::default()).expect("sim")));
}

#[test]
fn a_slow_host_stalls_the_core_and_loses_nothing() {
    // 1024 neurons near their fastest rate fill the 16 Ki-entry output ring in about 1.6 M
    // cycles; the host notices each interrupt only 2-4 M cycles late.
    let n = 1024;
    let net = Network::new(n, 9, NeuronParams::default()).expect("valid");
    let inputs: Vec<(u32, f64)> = (0..n).map(|i| (i, 3.0 + f64::from(i % 100) * 0.01)).collect();
    let stim = Stimulus::constant(&inputs, n).expect("valid");
    let options = SimOptions {
        host_delay: Some((2_000_000, 4_000_000)),
        seed: 5,
        ..SimOptions::default()
    };
    let mut dev = open_device(options).expect("sim");
    dev.load(&net).expect("upload");
    let got = dev.run_collect(&stim, 20_000).expect("run");
    let c = dev.counters().expect("counters");
    assert!(
        c.stall_cycles > 0,
        "the host was slow enough to fill the ring (stall cycles {})",
        c.stall_cycles
    );
    assert_eq!(c.drops, 0);
    assert!(got == model_spikes(&net, &stim, 20_000), "spikes differ after stalls");
    eprintln!("{} spikes, {} stall cycles", got.len(), c.stall_cycles);
}

/// The register protocol by hand (output-ring window, no DMA): FREE_RUN until STOP.
#[test]
fn free_run_goes_until_stop_and_counts_inputs() {
    use memfire_spec::memmap::reg_addr;
    use memfire_spec::regs::{ctrl, offset, status};
    let (net, stim) = busy_network();
    let windows = DeviceOptions {
        dma: false,
        ..DeviceOptions::default()
    };
    let mut dev = open_device_with(SimOptions::default(), windows).expect("sim");
    dev.load(&net).expect("upload");
    dev.run_collect(&stim, 1).expect("one step applies the inputs");
    let bus = dev.backend_mut();
    bus.write32(reg_addr(offset::CTRL), ctrl::FREE_RUN).expect("free run");
    for _ in 0..50 {
        bus.wait_irq(Duration::from_secs(5)).expect("interrupts");
        let head = bus.read32(reg_addr(offset::OUT_HEAD)).expect("head");
        bus.write32(reg_addr(offset::OUT_TAIL), head).expect("drain");
        bus.write32(reg_addr(offset::IRQ_STATUS), u32::MAX).expect("ack");
    }
    bus.write32(reg_addr(offset::CTRL), ctrl::STOP).expect("stop");
    while bus.read32(reg_addr(offset::STATUS)).expect("status") & status::RUNNING != 0 {
        bus.wait_irq(Duration::from_secs(5)).expect("interrupts");
    }
    let c = dev.counters().expect("counters");
    assert!(c.step > 100, "free run went on for {} steps", c.step);
    let want = model_spikes(&net, &stim, c.step).len() as u32;
    assert_eq!(c.spikes_out, want, "spikes in {} free-running steps", c.step);
    assert_eq!(c.spikes_in, 64, "one EXT write per neuron");
}

#[test]
fn a_board_left_running_by_a_process_that_died_is_recovered() {
    use memfire_spec::memmap::reg_addr;
    use memfire_spec::regs::{ctrl, offset, status};
    let (busy, busy_stim) = busy_network();
    let mut dev = open_device(SimOptions::default()).expect("sim");
    dev.load(&busy).expect("upload");
    // A free run that nobody reaps: spikes fill the lent buffers, then the core stalls.
    dev.run_collect(&busy_stim, 10).expect("inputs applied");
    let bus = dev.backend_mut();
    bus.write32(reg_addr(offset::CTRL), ctrl::RUN | ctrl::FREE_RUN)
        .expect("run");
    for _ in 0..200 {
        bus.wait_irq(Duration::from_millis(1)).expect("runs");
    }
    assert_ne!(
        bus.read32(reg_addr(offset::STATUS)).expect("status") & status::RUNNING,
        0,
        "left running"
    );
    // The process dies: no stop, no cleanup. The next one opens the board and runs.
    let backend = dev.into_backend();
    let mut dev = Device::open(backend).expect("a board left running is recovered at open");
    for seed in [5, 6] {
        let (net, stim) = common::random_network(seed);
        dev.load(&net).expect("upload");
        let got = dev.run_collect(&stim, 2000).expect("run");
        assert_eq!(
            got,
            model_spikes(&net, &stim, 2000),
            "seed {seed}: bit-exact after recovery"
        );
    }
}

#[test]
#[ignore = "needs a memfire board: MEMFIRE_PCI=<pci address>"]
fn suite_on_a_board() {
    let addr = std::env::var("MEMFIRE_PCI").expect("set MEMFIRE_PCI to the board's PCI address (memfire devices)");
    let open =
        || Device::open(memfire_host::vfio::VfioBackend::open(&addr).expect("open the board")).expect("memfire core");
    let mut dev = open();
    upload_and_run_match_the_model(&mut dev);
    output_ring_wraps_around(&mut dev);
    stream_with_a_slow_consumer(Box::new(open()));
    stream_inputs_in(Box::new(open()));
}

/// A descriptor ring pointed at memory the driver never mapped: the simulated IOMMU reports
/// the device's access with its address, and the run fails instead of hanging.
#[test]
fn dma_outside_mapped_memory_is_a_clear_error() {
    use memfire_spec::memmap::reg_addr;
    use memfire_spec::regs::offset;
    let (net, stim) = busy_network();
    let mut dev = open_device(SimOptions::default()).expect("sim");
    dev.load(&net).expect("upload");
    dev.backend_mut()
        .write32(reg_addr(offset::C2H_RING_HI), 0x7777)
        .expect("register write");
    let e = dev.run_collect(&stim, 3000).expect_err("the card faults");
    let text = e.to_string();
    assert!(text.contains("DMA fault") && text.contains("0x7777"), "{text}");
}

/// A host-to-card descriptor of the wrong kind: the engine halts, ERRORS says why, the run
/// ends with that message; reloading clears it.
#[test]
fn a_malformed_descriptor_stops_the_run_with_its_reason() {
    use memfire_spec::memmap::reg_addr;
    use memfire_spec::regs::offset;
    use memfire_spec::wire::Descriptor;
    let (net, stim) = busy_network();
    let mut dev = open_device(SimOptions::default()).expect("sim");
    dev.load(&net).expect("upload");
    let bus = dev.backend_mut();
    let ring = bus.dma_alloc(16).expect("alloc").expect("the sim has DMA");
    let bad = Descriptor {
        addr: ring.iova,
        len: 16,
        kind: 9,
        flags: 0,
    };
    bus.dma_write(&ring, 0, bytemuck::bytes_of(&bad)).expect("write");
    bus.write32(reg_addr(offset::H2C_RING_LO), ring.iova as u32)
        .expect("lo");
    bus.write32(reg_addr(offset::H2C_RING_HI), (ring.iova >> 32) as u32)
        .expect("hi");
    bus.write32(reg_addr(offset::H2C_RING_SIZE), 1).expect("size");
    bus.write32(reg_addr(offset::H2C_TAIL), 1).expect("post");
    let e = dev.run_collect(&stim, 100).expect_err("the engine halts");
    assert!(
        matches!(e, EngineError::DeviceFault { .. }) && e.to_string().contains("malformed descriptor"),
        "{e}"
    );
    dev.load(&net).expect("reload");
    assert_eq!(
        dev.run_collect(&stim, 500).expect("runs again"),
        model_spikes(&net, &stim, 500)
    );
}

/// Every neuron driven hard with the longest pulse the core holds: the spike history (the
/// spikes of the last PULSE_WIDTH steps) would overflow. The core stops at the first step
/// whose spikes might not fit, the run fails saying so, and every spike of the steps before
/// it still reaches the host.
#[test]
fn a_history_that_would_overflow_stops_the_run_and_keeps_the_spikes_before() {
    use memfire_spec::memmap::reg_addr;
    use memfire_spec::regs::offset;
    let mut dev = open_device(SimOptions::default()).expect("sim");
    let bus = dev.backend_mut();
    let mut reg = |off| bus.read32(reg_addr(off)).expect("register read");
    let (neurons, width, history) = (reg(offset::NEURONS), reg(offset::MAX_WIDTH), reg(offset::HISTORY));
    // A small R_c and long steps: every neuron fires every few steps.
    let fast = NeuronParams {
        r_c: 10e6,
        dt: 100e-6,
        ..NeuronParams::default()
    };
    let mut net = Network::new(neurons, 11, fast).expect("valid");
    // One faint synapse sets the pulse width (the history holds that many steps' spikes).
    net.add_synapse(Synapse {
        from: 0,
        to: 1,
        weight: 1e-3,
        width,
    })
    .expect("valid");
    let drive: Vec<_> = (0..neurons).map(|i| (i, 3.0 + 1e-3 * f64::from(i % 100))).collect();
    let stim = Stimulus::constant(&drive, neurons).expect("valid");
    let steps = u64::from(width) * 2;
    dev.load(&net).expect("upload");

    let mut got = Vec::new();
    let e = dev
        .run(&stim, steps, &mut |step, ids| {
            got.extend(ids.iter().map(|&neuron| Spike { step, neuron }))
        })
        .expect_err("the history overflows");
    assert!(
        matches!(e, EngineError::DeviceFault { .. }) && e.to_string().contains("spike history full"),
        "{e}"
    );
    let stopped = dev.counters().expect("counters").step;

    // At step s's check the history holds the spikes of steps s − width ..= s − 1; the core
    // refuses a step unless a whole step's spikes (one per neuron) still fit.
    let want = model_spikes(&net, &stim, steps);
    let per_step = want.iter().fold(vec![0u64; steps as usize], |mut n, s| {
        n[s.step as usize] += 1;
        n
    });
    let held = |s: u64| {
        per_step[s.saturating_sub(u64::from(width)) as usize..s as usize]
            .iter()
            .sum::<u64>()
    };
    let limit = u64::from(history - neurons);
    let first_full = (0..steps)
        .find(|&s| held(s) > limit)
        .expect("the model's spikes overflow the history");
    assert_eq!(
        stopped, first_full,
        "the step the core stopped at (history {history}, {neurons} neurons)"
    );
    let before: Vec<_> = want.iter().filter(|s| s.step < stopped).copied().collect();
    assert!(
        got == before,
        "spikes before step {stopped}: {} received, {} made",
        got.len(),
        before.len()
    );
    eprintln!(
        "stopped at step {stopped} holding {} spikes; {} spikes before it",
        held(stopped),
        got.len()
    );
}
