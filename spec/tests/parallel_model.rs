//! The fixed-point model gives the same spikes and the same state, bit for bit, whatever its
//! thread count and whatever vector level its loop runs at: random networks with noise on
//! and off, large enough to be split (blocks of at least 32 Ki neurons), several parameter
//! sets in runs that cross the blocks' boundaries, and a size that is not a multiple of a
//! block. Set MEMFIRE_SEED to replay one seed.

use memfire_spec::generate::RandomNetwork;
use memfire_spec::kernel::Vector;
use memfire_spec::model::FixedModel;
use memfire_spec::network::Network;
use memfire_spec::params::NeuronParams;

fn seeds() -> Vec<u64> {
    match std::env::var("MEMFIRE_SEED") {
        Ok(s) => vec![s.parse().expect("MEMFIRE_SEED is a number")],
        Err(_) => vec![3, 17],
    }
}

/// A random network of `neurons` with two more parameter sets in runs of 10 000 and 1 neurons
/// (so runs end inside blocks and at their edges), noisy if `noise`.
fn network(neurons: u32, seed: u64, noise: bool) -> (Network, memfire_spec::format_stimulus::Stimulus) {
    let mut shape = RandomNetwork::benchmark(noise);
    shape.neurons = neurons;
    shape.fanout = 4;
    shape.weight = (0.0, 0.15);
    shape.inhibitory = 0.2;
    shape.inhibitory_weight = (0.0, 0.5);
    shape.widths = vec![1, 7, 40];
    shape.dc = (1.5, 3.5);
    shape.seed = seed;
    let (mut net, stim) = shape.build().expect("a valid random network");
    let mut slow = NeuronParams::default();
    slow.gamma1 *= 0.5;
    if noise {
        slow.sigma1 = 2e-3;
    }
    let runs: Vec<u32> = (20_000..34_000).chain([4095, 4096, 4097]).collect();
    net.add_group(slow, &runs).expect("a second parameter set");
    let mut quiet = NeuronParams::default();
    quiet.t_abs *= 2.0;
    // Neurons at and beside the edges of the blocks of 2 and 3 threads (the second set
    // crosses the edge at 32 Ki).
    net.add_group(quiet, &[0, 35_007, 35_008, 35_009, 65_535, 65_536, neurons - 1])
        .expect("a third parameter set");
    net.validate().expect("valid after the groups");
    (net, stim)
}

fn run(
    net: &Network,
    stim: &memfire_spec::format_stimulus::Stimulus,
    threads: usize,
    vector: Vector,
) -> (
    Vec<memfire_spec::format_spikes::Spike>,
    Vec<memfire_spec::neuron_fixed::FixedState>,
) {
    let mut model = FixedModel::new(net).expect("a model");
    model.set_threads(threads).expect("threads start");
    model.set_vector(vector).expect("a level this CPU has");
    let spikes = model.run_collect(stim, 400);
    let states = (0..net.neurons() as usize).map(|i| model.kernel().state(i)).collect();
    (spikes, states)
}

#[test]
fn every_thread_count_and_vector_level_gives_the_same_bits() {
    let levels: Vec<Vector> = [Vector::Baseline, Vector::Avx2, Vector::Avx512]
        .into_iter()
        .filter(|&v| v <= Vector::detect())
        .collect();
    for seed in seeds() {
        for noise in [false, true] {
            let (net, stim) = network(70_000, seed, noise);
            let (want_spikes, want_states) = run(&net, &stim, 1, Vector::Baseline);
            assert!(
                want_spikes.len() > 1000,
                "seed {seed}: the network should be busy ({} spikes)",
                want_spikes.len()
            );
            for &threads in &[1, 2, 3] {
                for &vector in &levels {
                    let (spikes, states) = run(&net, &stim, threads, vector);
                    let first = spikes.iter().zip(&want_spikes).position(|(a, b)| a != b);
                    assert!(
                        spikes == want_spikes,
                        "seed {seed}, noise {noise}, {threads} threads, {}: spikes differ from the \
                         single-threaded baseline (first at index {first:?}; {} vs {} spikes)",
                        vector.name(),
                        spikes.len(),
                        want_spikes.len()
                    );
                    if let Some(i) = states.iter().zip(&want_states).position(|(a, b)| a != b) {
                        panic!(
                            "seed {seed}, noise {noise}, {threads} threads, {}: neuron {i}'s state {:?}, \
                             single-threaded baseline {:?}",
                            vector.name(),
                            states[i],
                            want_states[i]
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn zero_threads_and_a_level_the_cpu_lacks_are_refused() {
    let (net, _) = network(70_000, 1, false);
    let mut model = FixedModel::new(&net).expect("a model");
    let err = model.set_threads(0).expect_err("0 threads");
    assert!(err.contains("at least 1"), "{err}");
    if Vector::detect() < Vector::Avx512 {
        let err = model.set_vector(Vector::Avx512).expect_err("a missing level");
        assert!(err.contains("at most"), "{err}");
    }
}
