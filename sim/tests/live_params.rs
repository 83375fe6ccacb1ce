//! Parameters changed between runs (`Engine::set_params`) give the model's spikes, spike for
//! spike, on the simulated board (DMA and windows) and the simulated PCIe board: random
//! networks run, take other parameter values (for all neurons, and per neuron in new
//! groups, noise switched on or off), and run on with their state, inputs and pulses under
//! way. A network with other synapses is refused, by `set_params` and by `set_weights`. Set
//! MEMFIRE_SEED to replay one seed.

mod common;

use memfire_host::{BackendSpec, Engine, EngineError, ModelEngine, Precision};
use memfire_sim::{open_engine, SimOptions};
use memfire_spec::format_spikes::Spike;
use memfire_spec::format_stimulus::Stimulus;
use memfire_spec::generate::Gen;
use memfire_spec::network::Network;

fn seeds() -> Vec<u64> {
    match std::env::var("MEMFIRE_SEED") {
        Ok(s) => vec![s.parse().expect("MEMFIRE_SEED is a number")],
        Err(_) => vec![11, 12, 13],
    }
}

/// `net` with other parameters: every neuron's `R_c` and noise changed, and a new group of
/// every fourth neuron with another refractory period and plasticity.
fn other_params(net: &Network, seed: u64) -> Network {
    let mut g = Gen::new(seed, 5);
    let mut base = net.param_sets()[0];
    base.r_c *= 0.5 + g.unit();
    if base.sigma1 > 0.0 {
        base.sigma1 = 0.0;
        base.c2c = 0.0;
    } else {
        base.sigma1 = 2e-3;
        base.c2c = 0.2;
    }
    let mut out = Network::new(net.neurons(), net.seed(), base).expect("valid network");
    if net.neurons() > 4 {
        let mut other = base;
        other.t_abs *= 3.0;
        other.eta *= 0.5;
        let members: Vec<u32> = (0..net.neurons()).filter(|i| i % 4 == 1).collect();
        out.add_group(other, &members).expect("valid group");
    }
    for &s in net.synapses() {
        out.add_synapse(s).expect("valid synapse");
    }
    out.validate().expect("valid");
    out
}

/// Run `first` steps, change the parameters, run `second` more: every spike.
fn run_changed(engine: &mut dyn Engine, net: &Network, changed: &Network, stim: &Stimulus) -> Vec<Spike> {
    engine.load(net).expect("load");
    let mut spikes = engine.run_collect(stim, 1500).expect("first run");
    engine.set_params(changed).expect("set_params");
    spikes.extend(engine.run_collect(stim, 1500).expect("second run"));
    spikes
}

#[test]
fn parameters_changed_between_runs_give_the_models_spikes_on_every_board() {
    let mut boards = common::simulated_boards();
    for seed in seeds() {
        let (net, stim) = common::random_network(seed);
        let changed = other_params(&net, seed);
        let want = run_changed(&mut ModelEngine::new(Precision::Fixed), &net, &changed, &stim);
        let unchanged = {
            let mut model = ModelEngine::new(Precision::Fixed);
            model.load(&net).expect("load");
            model.run_collect(&stim, 3000).expect("run")
        };
        assert_ne!(
            want, unchanged,
            "seed {seed}: the new parameters should change the spikes"
        );
        for (name, board) in &mut boards {
            let got = run_changed(board.as_mut(), &net, &changed, &stim);
            let first = got.iter().zip(&want).position(|(a, b)| a != b);
            assert!(
                got == want,
                "seed {seed}, {name}: {} spikes, the model {}; first difference at {first:?}",
                got.len(),
                want.len()
            );
        }
    }
}

/// A live change (`set_params` or `set_weights`) and the error it must give for a network
/// that differs in more than it changes.
type Change = (
    &'static str,
    fn(&mut dyn Engine, &Network) -> Result<(), EngineError>,
    fn(&EngineError) -> bool,
);

#[test]
fn a_network_with_other_synapses_is_refused_and_the_loaded_one_keeps_running() {
    let (net, stim) = common::random_network(21);
    let (other, _) = common::random_network(22);
    let changes: [Change; 2] = [
        (
            "set_params",
            |e, n| e.set_params(n),
            |err| matches!(err, EngineError::NotOnlyParams(_)),
        ),
        (
            "set_weights",
            |e, n| e.set_weights(n),
            |err| matches!(err, EngineError::NotOnlyWeights(_)),
        ),
    ];
    for (what, change, refused) in changes {
        let engines: [Box<dyn Engine>; 2] = [
            Box::new(ModelEngine::new(Precision::Fixed)),
            open_engine(&BackendSpec::Sim, SimOptions::default()).expect("sim"),
        ];
        for mut engine in engines {
            let err = change(engine.as_mut(), &net).expect_err("nothing loaded");
            assert!(matches!(err, EngineError::NotLoaded), "{what}: {err}");
            engine.load(&net).expect("load");
            let err = change(engine.as_mut(), &other).expect_err("other wiring");
            assert!(
                refused(&err) && err.to_string().contains("load it instead"),
                "{}, {what}: {err}",
                engine.name()
            );
            let mut model = ModelEngine::new(Precision::Fixed);
            model.load(&net).expect("load");
            assert_eq!(
                engine.run_collect(&stim, 800).expect("run"),
                model.run_collect(&stim, 800).expect("run"),
                "{}, {what}",
                engine.name()
            );
        }
    }
}
