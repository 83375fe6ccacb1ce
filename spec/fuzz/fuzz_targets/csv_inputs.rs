//! Any bytes as a stimulus, a dense weight matrix, a synapse list and a spike file (for a
//! network of 1..=8 neurons, from the first byte): an error or a value, never a panic;
//! a stimulus that parses reads back equal from what memfire writes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use memfire_spec::format_network::add_weight_matrix_csv;
use memfire_spec::format_spikes::parse_spikes;
use memfire_spec::format_stimulus::parse_stimulus;
use memfire_spec::format_synapse_list::add_synapse_list_csv;
use memfire_spec::network::Network;
use memfire_spec::params::NeuronParams;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let neurons = u32::from(first % 8) + 1;
    let network = Network::new(neurons, 1, NeuronParams::default()).expect("valid");
    let _ = add_synapse_list_csv(&mut network.clone(), "s.csv", rest);
    let Ok(text) = std::str::from_utf8(rest) else { return };
    if let Ok(stimulus) = parse_stimulus("s.csv", text, neurons) {
        let back = parse_stimulus("again.csv", &stimulus.to_csv(), neurons).expect("reads back");
        assert_eq!(back, stimulus);
    }
    let _ = add_weight_matrix_csv(&mut network.clone(), "w.csv", text, 10);
    let _ = parse_spikes("spikes.csv", text);
});
