//! `Model::set_weights`: a pulse still on carries its synapse's new weight from the next step
//! until it ends, and nothing is left behind once it has ended; for both models.

use memfire_spec::format_stimulus::{StimEvent, Stimulus};
use memfire_spec::kernel::{FixedKernel, FloatKernel, Kernel};
use memfire_spec::model::Model;
use memfire_spec::network::{Network, Synapse};
use memfire_spec::params::NeuronParams;

const WIDTH: u32 = 10;
/// The fixed-point model's weights are the nearest the synapse memories store (within
/// 2^-10 of the weight, see `weight_code`).
const TOLERANCE: f64 = 4e-4;

fn network(weight: f64) -> Network {
    let mut net = Network::new(2, 1, NeuronParams::default()).expect("valid network");
    net.add_synapse(Synapse {
        from: 0,
        to: 1,
        weight,
        width: WIDTH,
    })
    .expect("valid synapse");
    net
}

fn check<K: Kernel>() {
    let mut model = Model::<K>::new(&network(0.1)).expect("model");
    // Neuron 0 at 2 V fires within a few ms; neuron 1 sees only the synapse.
    let drive = Stimulus::new(
        vec![StimEvent {
            step: 0,
            neuron: 0,
            volts: 2.0,
        }],
        2,
    )
    .expect("stimulus");
    let mut spike = None;
    while spike.is_none() {
        let step = model.step_index();
        model.run(&drive, 1, |_, fired| {
            if fired.contains(&0) {
                spike = Some(step)
            }
        });
        assert!(step < 100_000, "neuron 0 never fired");
    }
    let s = spike.expect("a spike");
    // Four steps into the pulse (steps s+1 ..= s+WIDTH), the weight triples.
    model.run(&Stimulus::default(), 4, |_, _| {});
    assert!(
        (model.input_volts(1) - 0.1).abs() < TOLERANCE,
        "the pulse is on at 0.1 V"
    );
    model.set_weights(&network(0.3));
    model.run(&Stimulus::default(), 1, |_, _| {});
    assert!(
        (model.input_volts(1) - 0.3).abs() < TOLERANCE,
        "the pulse carries 0.3 V from the next step"
    );
    // Run past the pulse's end (taken at step s + 1 + WIDTH) without another spike of 0.
    let off = Stimulus::new(
        vec![StimEvent {
            step: model.step_index(),
            neuron: 0,
            volts: 0.0,
        }],
        2,
    )
    .expect("stimulus");
    while model.step_index() <= s + 1 + u64::from(WIDTH) {
        model.run(&off, 1, |_, fired| assert!(!fired.contains(&0), "neuron 0 fired again"));
    }
    assert!(
        model.input_volts(1).abs() < 1e-6,
        "nothing is left once the pulse ended: {}",
        model.input_volts(1)
    );
}

#[test]
fn a_pulse_under_way_switches_to_the_new_weight_in_the_fixed_model() {
    check::<FixedKernel>();
}

#[test]
fn a_pulse_under_way_switches_to_the_new_weight_in_the_float_model() {
    check::<FloatKernel>();
}
