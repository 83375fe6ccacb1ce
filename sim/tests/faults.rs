//! Faults a board meets while it runs, injected into the simulated boards: every interrupt
//! lost, host memory that stops answering DMA, a card reset or pulled in the middle of a
//! run, a DMA read whose completion never comes. Each ends in a bit-exact run or in an error
//! that says what happened, with every spike of the steps before it delivered.

mod common;

use std::time::Duration;

use memfire_host::bus::BusError;
use memfire_host::{DeviceOptions, Engine, EngineError};
use memfire_sim::pcie::PcieSimOptions;
use memfire_sim::{open_device, open_pcie_device, SimFault, SimOptions};
use memfire_spec::format_spikes::Spike;
use memfire_spec::format_stimulus::Stimulus;
use memfire_spec::model::FixedModel;
use memfire_spec::network::Network;
use memfire_spec::regs;

use common::busy_network;

fn model_spikes(net: &Network, stim: &Stimulus, steps: u64) -> Vec<Spike> {
    FixedModel::new(net).expect("valid").run_collect(stim, steps)
}

/// Run and keep what reached the sink, whatever the run's outcome.
fn run_keeping(dev: &mut dyn Engine, stim: &Stimulus, steps: u64) -> (Vec<Spike>, Result<(), EngineError>) {
    let mut got = Vec::new();
    let outcome = dev
        .run(stim, steps, &mut |step, neurons| {
            got.extend(neurons.iter().map(|&neuron| Spike { step, neuron }))
        })
        .map(|_| ());
    (got, outcome)
}

/// `got` is the model's spikes of whole steps, from the start: nothing lost before a fault.
fn assert_whole_steps_of(got: &[Spike], want: &[Spike]) {
    assert!(!got.is_empty(), "spikes before the fault reached the host");
    assert_eq!(got, &want[..got.len()], "the spikes before the fault are the model's");
    let last = got[got.len() - 1].step;
    assert!(
        want.get(got.len()).is_none_or(|next| next.step > last),
        "step {last} was delivered whole"
    );
}

#[test]
fn every_interrupt_lost_the_run_is_still_bit_exact() {
    let mut dev = open_device(SimOptions::default()).expect("sim");
    dev.backend_mut().lose_interrupts(u32::MAX);
    for seed in [3, 4] {
        let (net, stim) = common::random_network(seed);
        dev.load(&net).expect("upload with no interrupts");
        let got = dev.run_collect(&stim, 2500).expect("run with no interrupts");
        assert_eq!(got, model_spikes(&net, &stim, 2500), "seed {seed}");
    }
}

#[test]
fn a_card_stalled_on_its_dma_is_a_timeout_that_says_where() {
    let (net, stim) = busy_network();
    let mut dev = open_device(SimOptions::default()).expect("sim");
    dev.load(&net).expect("upload");
    dev.set_timeout(Duration::from_millis(300));
    dev.backend_mut().inject_after(200_000, SimFault::HangMemory);
    let (got, outcome) = run_keeping(&mut dev, &stim, 5000);
    let e = outcome.expect_err("the card stalls for good");
    let text = e.to_string();
    assert!(
        matches!(e, EngineError::Bus(BusError::Timeout { .. })) && text.contains("reached the host"),
        "{text}"
    );
    assert_whole_steps_of(&got, &model_spikes(&net, &stim, 5000));
}

#[test]
fn a_card_pulled_mid_run_is_named_gone() {
    let (net, stim) = busy_network();
    let mut dev = open_device(SimOptions::default()).expect("sim");
    dev.load(&net).expect("upload");
    dev.backend_mut().inject_after(200_000, SimFault::Unplug);
    let (got, outcome) = run_keeping(&mut dev, &stim, 5000);
    let e = outcome.expect_err("the card is gone");
    assert!(matches!(e, EngineError::DeviceGone { .. }), "{e}");
    assert!(e.to_string().contains("0xffffffff"), "{e}");
    assert_whole_steps_of(&got, &model_spikes(&net, &stim, 5000));
}

#[test]
fn a_reset_mid_run_keeps_the_spikes_before_and_the_board_runs_again() {
    let (net, stim) = busy_network();
    let want = model_spikes(&net, &stim, 5000);
    let mut dev = open_device(SimOptions::default()).expect("sim");
    dev.load(&net).expect("upload");
    dev.backend_mut().inject_after(300_000, SimFault::PowerCycle);
    let (got, outcome) = run_keeping(&mut dev, &stim, 5000);
    let e = outcome.expect_err("the reset ends the run");
    assert!(matches!(e, EngineError::DeviceReset { .. }), "{e}");
    assert!(e.to_string().contains("load the network again"), "{e}");
    assert_whole_steps_of(&got, &want);
    // Loading again sets the card up from scratch; the run is the model's.
    for seed in [5, 6] {
        let (net, stim) = common::random_network(seed);
        dev.load(&net).expect("upload after the reset");
        let got = dev.run_collect(&stim, 2000).expect("run after the reset");
        assert_eq!(
            got,
            model_spikes(&net, &stim, 2000),
            "seed {seed}: bit-exact after the reset"
        );
    }
}

#[test]
fn every_msi_lost_on_the_pcie_board_the_run_is_still_bit_exact() {
    let mut dev = open_pcie_device(PcieSimOptions::default(), DeviceOptions::default()).expect("opens");
    dev.backend_mut().lose_interrupts(u32::MAX);
    let (net, stim) = common::random_network(2);
    dev.load(&net).expect("upload with no MSI");
    let got = dev.run_collect(&stim, 1500).expect("run with no MSI");
    assert_eq!(got, model_spikes(&net, &stim, 1500));
}

/// The root complex never completes one of the card's DMA reads: the TLP adapter's
/// completion timeout fails the read, the card stops with the reason, and loading the
/// network again brings the board back.
#[test]
fn a_dma_read_never_completed_times_out_on_the_card_and_the_board_recovers() {
    let (net, stim) = common::random_network(5);
    let want = model_spikes(&net, &stim, 1500);
    let mut dev = open_pcie_device(PcieSimOptions::default(), DeviceOptions::default()).expect("opens");
    // The card gives up on the read after COMPLETION_TIMEOUT (2^20) of its cycles, which
    // Verilator on a loaded machine can take longer than the driver's 10 s to reach.
    dev.set_timeout(Duration::from_secs(120));
    dev.load(&net).expect("upload");
    dev.backend_mut().root_complex().unanswered_reads = 1;
    let e = dev.run_collect(&stim, 1500).expect_err("the read times out");
    let EngineError::DeviceFault { bits, .. } = e else {
        panic!("a device fault, not {e}");
    };
    assert_ne!(bits & regs::errors::DMA_READ_FAILED, 0, "{e}");
    assert!(e.to_string().contains("none in time"), "{e}");
    assert_eq!(dev.backend_mut().stats().unanswered_reads, 1);
    dev.load(&net).expect("upload after the fault");
    let got = dev.run_collect(&stim, 1500).expect("run after the fault");
    assert_eq!(got, want, "bit-exact after the completion timeout");
}
