//! The serial backend against the UART bridge in Verilator (core-small behind the bridge, the
//! byte stream through an in-process link): a network runs bit-exact; corrupted frames in
//! either direction are retried or reported, never silently applied; a board that stops
//! answering is a clear error.

mod common;

use std::time::Duration;

use memfire_host::serial::SerialBackend;
use memfire_host::{Device, Engine};
use memfire_sim::open_serial_device;
use memfire_sim::uart_link::{LineFaults, SimUartLink};
use memfire_spec::model::FixedModel;
use memfire_spec::network::Network;

/// Replies come within microseconds of simulated time; 20 ms is plenty and keeps the
/// timeout cases quick (the link turns it into 1 M simulated cycles).
const TIMEOUT: Duration = Duration::from_millis(20);

/// A random network small enough for core-small (64 neurons, 1024 synapses, width < 128).
fn small_network(seed: u64) -> (Network, memfire_spec::format_stimulus::Stimulus) {
    for s in seed.. {
        let (net, stim) = common::random_network(s);
        if net.synapses().len() <= 1024 && net.synapses().iter().all(|x| x.width < 128) {
            return (net, stim);
        }
    }
    unreachable!()
}

fn run_matches_model(dev: &mut Device<SerialBackend<SimUartLink>>, seed: u64) {
    let (net, stim) = small_network(seed);
    let want = FixedModel::new(&net).expect("valid").run_collect(&stim, 1500);
    dev.load(&net).expect("upload over the UART");
    let got = dev.run_collect(&stim, 1500).expect("run over the UART");
    assert!(
        got == want,
        "seed {seed}: spikes over the serial link differ from the model"
    );
}

#[test]
fn a_network_runs_bit_exact_over_the_uart() {
    let mut dev = open_serial_device(LineFaults::default(), TIMEOUT).expect("the board answers");
    run_matches_model(&mut dev, 1);
    assert_eq!(dev.backend_mut().retries, 0);
}

#[test]
fn corrupted_frames_are_retried_and_nothing_wrong_is_applied() {
    // Corrupt a few bytes of requests (the board refuses them) and of replies (the host
    // refuses them), early, during the upload.
    // Request byte 40 is the sync byte of a read: the board never sees that frame, the host
    // hears nothing and reads again. Reply bytes 5 and 25 are inside read replies.
    let faults = LineFaults {
        corrupt_sent: vec![40, 3000, 9000],
        corrupt_received: vec![5, 25],
        cut_after: None,
    };
    let mut dev = open_serial_device(faults, TIMEOUT).expect("the board answers");
    run_matches_model(&mut dev, 2);
    assert!(dev.backend_mut().retries >= 2, "retries: {}", dev.backend_mut().retries);
}

#[test]
fn a_board_that_stops_answering_is_a_clear_error() {
    let mut dev = open_serial_device(
        LineFaults {
            cut_after: Some(2_000),
            ..LineFaults::default()
        },
        TIMEOUT,
    )
    .expect("opens");
    let (net, _) = small_network(3);
    let e = dev.load(&net).expect_err("the line goes dead during the upload");
    let text = e.to_string();
    assert!(
        text.contains("stopped answering") && text.contains("no reply"),
        "{text}"
    );
}
