//! Random networks and stimuli for the driver tests on the simulated board.
#![allow(dead_code)]

use memfire_spec::format_stimulus::{StimEvent, Stimulus};
use memfire_spec::generate::Gen;
use memfire_spec::network::{Network, Synapse};
use memfire_spec::params::NeuronParams;

/// A random recurrent network: size, fan-out, weights (some inhibitory), one to six pulse
/// widths (each synapse one of them), an R_c group, and noise on or off, all drawn from `seed`.
pub fn random_network(seed: u64) -> (Network, Stimulus) {
    random_network_up_to(seed, 48)
}

/// `random_network` with up to `max_neurons` neurons.
pub fn random_network_up_to(seed: u64, max_neurons: u32) -> (Network, Stimulus) {
    let mut g = Gen::new(seed, 77);
    let neurons = 1 + g.below(max_neurons);
    let noise = g.below(2) == 1;
    let mut params = NeuronParams::default();
    if noise {
        params.sigma1 = 1e-3;
        params.c2c = 0.1;
    }
    let mut net = Network::new(neurons, seed, params).expect("valid network");
    if neurons > 4 {
        let slow = NeuronParams { r_c: 1e9, ..params };
        let members: Vec<u32> = (0..neurons).filter(|i| i % 3 == 0).collect();
        net.add_group(slow, &members).expect("valid group");
    }
    let fanout = g.below(8);
    // One to six pulse widths, each synapse one of them.
    let widths: Vec<u32> = (0..1 + g.below(6)).map(|_| 1 + g.below(40)).collect();
    for from in 0..neurons {
        for _ in 0..fanout {
            let to = g.below(neurons);
            let weight = g.uniform(-0.05, 0.12);
            let width = widths[g.below(widths.len() as u32) as usize];
            net.add_synapse(Synapse {
                from,
                to,
                weight,
                width,
            })
            .expect("valid synapse");
        }
    }
    let mut events = Vec::new();
    for neuron in 0..neurons {
        events.push(StimEvent {
            step: 0,
            neuron,
            volts: g.uniform(0.5, 2.0),
        });
        for _ in 0..g.below(3) {
            events.push(StimEvent {
                step: 1 + u64::from(g.below(3000)),
                neuron,
                volts: g.uniform(0.0, 2.5),
            });
        }
    }
    events.sort_by_key(|e| (e.step, e.neuron));
    events.dedup_by_key(|e| (e.step, e.neuron));
    let stim = Stimulus::new(events, neurons).expect("valid stimulus");
    (net, stim)
}

/// 64 strongly driven neurons: about 24 000 spikes in 100 000 steps, more than the output
/// ring holds, so its indices wrap and a slow reader makes the core stall.
pub fn busy_network() -> (Network, Stimulus) {
    let net = Network::new(64, 9, NeuronParams::default()).expect("valid");
    let stim =
        Stimulus::constant(&(0..64).map(|i| (i, 1.6 + 0.01 * f64::from(i))).collect::<Vec<_>>(), 64).expect("valid");
    (net, stim)
}

/// Driver options with rings so small they wrap constantly (4 spike buffers of 64 bytes, 2
/// input buffers of 3 events) and eager interrupts and flushes: every ring path gets used.
pub fn tiny_rings() -> memfire_host::DeviceOptions {
    memfire_host::DeviceOptions {
        rings: memfire_host::dma_rings::RingSizes {
            c2h_entries: 4,
            c2h_buffer_bytes: 64,
            h2c_entries: 2,
            h2c_buffer_events: 3,
        },
        coalesce_count: 2,
        coalesce_cycles: 500,
        flush_cycles: 300,
        ..memfire_host::DeviceOptions::default()
    }
}

/// `neurons` identical neurons without noise under the same drive, so all fire in the same
/// steps; neuron i excites neuron (7i + 3) mod n a little (width 5 steps).
pub fn synchronous_network(neurons: u32) -> (Network, Stimulus) {
    let mut net = Network::new(neurons, 5, NeuronParams::default()).expect("valid");
    for from in 0..neurons {
        net.add_synapse(Synapse {
            from,
            to: (7 * from + 3) % neurons,
            weight: 0.01,
            width: 5,
        })
        .expect("valid synapse");
    }
    let stim = Stimulus::constant(&(0..neurons).map(|i| (i, 2.5)).collect::<Vec<_>>(), neurons).expect("valid");
    (net, stim)
}

/// Every simulated board a driver test runs on: the simulated board through its DMA rings and
/// through its memory windows, and the simulated PCIe board.
pub fn simulated_boards() -> Vec<(&'static str, Box<dyn memfire_host::Engine>)> {
    use memfire_host::{BackendSpec, DeviceOptions};
    use memfire_sim::{open_device_with, open_engine, SimOptions};
    let windows = DeviceOptions {
        dma: false,
        ..DeviceOptions::default()
    };
    vec![
        (
            "sim (DMA)",
            open_engine(&BackendSpec::Sim, SimOptions::default()).expect("sim"),
        ),
        (
            "sim (windows)",
            Box::new(open_device_with(SimOptions::default(), windows).expect("sim")),
        ),
        (
            "sim-pcie",
            open_engine(&BackendSpec::SimPcie, SimOptions::default()).expect("sim-pcie"),
        ),
    ]
}
