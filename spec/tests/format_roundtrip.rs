//! Property tests of the file formats: whatever memfire writes, it reads back equal — a
//! network as TOML (with `[[synapse]]` tables or a synapse list), a stimulus, spikes — with
//! any line ending.

use memfire_spec::format_network::{network_to_toml_with, parse_network};
use memfire_spec::format_spikes::{parse_spikes, spikes_to_csv, Spike};
use memfire_spec::format_stimulus::{parse_stimulus, StimEvent, Stimulus};
use memfire_spec::format_synapse_list::{add_synapse_list_csv, synapse_list_csv};
use memfire_spec::network::{Network, Synapse};
use memfire_spec::params::NeuronParams;
use proptest::prelude::*;

/// A network of 1..40 neurons, up to 3 parameter groups and up to 60 synapses of any
/// representable weight and width.
fn network() -> impl Strategy<Value = Network> {
    (
        1u32..40,
        0..=i64::MAX as u64,
        50e6..1e9f64,
        prop::collection::vec(1e-4..1e-3f64, 0..3),
    )
        .prop_flat_map(|(n, seed, r_c, groups)| {
            let synapse = (0..n, 0..n, -3.9f64..3.9, 1u32..=1024);
            (Just((n, seed, r_c, groups)), prop::collection::vec(synapse, 0..60))
        })
        .prop_map(|((n, seed, r_c, groups), synapses)| {
            let base = NeuronParams {
                r_c,
                ..NeuronParams::default()
            };
            let mut net = Network::new(n, seed, base).expect("valid base");
            // Group i holds neuron i (a neuron belongs to one group at most).
            for (i, &sigma1) in groups.iter().enumerate().filter(|(i, _)| (*i as u32) < n) {
                let p = NeuronParams {
                    sigma1,
                    mu: 100.0 + i as f64,
                    ..base
                };
                net.add_group(p, &[i as u32]).expect("valid group");
            }
            for (from, to, weight, width) in synapses {
                net.add_synapse(Synapse {
                    from,
                    to,
                    weight,
                    width,
                })
                .expect("valid synapse");
            }
            net
        })
        .prop_filter("fits the accumulators", |net| net.validate().is_ok())
}

fn line_ending() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("\n"), Just("\r\n"), Just("\r")]
}

#[test]
fn seeds_a_file_cannot_hold_are_refused() {
    let e = Network::new(2, 1 << 63, NeuronParams::default())
        .expect_err("too large")
        .to_string();
    assert!(e.contains("must be below 2^63"), "{e}");
}

proptest! {
    #[test]
    fn networks_read_back_equal(net in network(), eol in line_ending(), listed in any::<bool>()) {
        let list = listed.then_some("s.csv");
        let text = network_to_toml_with(&net, list).replace('\n', eol);
        let file = parse_network("n.toml", &text).expect("memfire reads what it writes");
        let mut back = file.network;
        if listed {
            let csv = synapse_list_csv(&net).replace('\n', eol);
            add_synapse_list_csv(&mut back, "s.csv", csv.as_bytes()).expect("the list reads back");
        }
        prop_assert_eq!(back, net);
    }

    #[test]
    fn stimuli_read_back_equal(
        events in prop::collection::btree_map((0u64..1_000_000, 0u32..50), -3.99f64..3.99, 0..80),
        eol in line_ending(),
    ) {
        let events: Vec<StimEvent> = events
            .into_iter()
            .map(|((step, neuron), volts)| StimEvent { step, neuron, volts })
            .collect();
        let stimulus = Stimulus::new(events, 50).expect("valid");
        let back = parse_stimulus("s.csv", &stimulus.to_csv().replace('\n', eol), 50).expect("reads back");
        prop_assert_eq!(back, stimulus);
    }

    #[test]
    fn spikes_read_back_equal(spikes in prop::collection::btree_set((any::<u64>(), any::<u32>()), 0..100), eol in line_ending()) {
        let spikes: Vec<Spike> = spikes.into_iter().map(|(step, neuron)| Spike { step, neuron }).collect();
        let back = parse_spikes("s.csv", &spikes_to_csv(&spikes).replace('\n', eol)).expect("reads back");
        prop_assert_eq!(back, spikes);
    }
}
