//! The Verilog of the neuron pipeline, run by Verilator, against the spec model: many random
//! neurons per seed across parameter sets (noise on and off, R_c mixes, refractory time),
//! neurons of different sets back to back. A failure prints the seed; MEMFIRE_SEED replays one.

use memfire_sim::neuron_pipe::{PipeJob, VerilatedPipe};
use memfire_spec::coef_set::FixedCoeffs;
use memfire_spec::generate::{random_input, random_state, Gen};
use memfire_spec::neuron_fixed::step;
use memfire_spec::params::NeuronParams;
use memfire_spec::tables::sqrt_table;

fn param_sets() -> Vec<FixedCoeffs> {
    let quiet = NeuronParams::default();
    let mut noisy = NeuronParams {
        sigma1: 1e-4,
        c2c: 0.1,
        ..quiet
    };
    noisy.set("t_abs", 3e-5).expect("t_abs is a parameter");
    let mut sets = vec![quiet, NeuronParams { r_c: 1e9, ..quiet }, noisy];
    sets.push(NeuronParams {
        sigma1: 1e-3,
        alpha: 0.05,
        r_c: 2e8,
        ..quiet
    });
    sets.push(NeuronParams {
        c2c: 0.3,
        eta: 0.6,
        ..quiet
    });
    sets.iter().map(|p| FixedCoeffs::new(p).expect("valid")).collect()
}

#[test]
fn verilated_pipeline_equals_the_spec_model() {
    let seeds: Vec<u64> = match std::env::var("MEMFIRE_SEED") {
        Ok(s) => vec![s.parse().expect("MEMFIRE_SEED is a number")],
        Err(_) => (1..=20).collect(),
    };
    let sets = param_sets();
    let sqrt = sqrt_table();
    let mut pipe = VerilatedPipe::new(&sets);
    let mut spikes = 0;
    for seed in seeds {
        let mut g = Gen::new(seed, 0);
        let jobs: Vec<PipeJob> = (0..5000)
            .map(|_| {
                let set = g.below(sets.len() as u32) as u8;
                PipeJob {
                    state: random_state(&mut g, &sets[set as usize]),
                    u: random_input(&mut g),
                    set,
                }
            })
            .collect();
        let got = pipe.update(&jobs);
        assert_eq!(got.len(), jobs.len(), "seed {seed}: every neuron comes out");
        for (i, (job, (state, spike))) in jobs.iter().zip(&got).enumerate() {
            let mut want = job.state;
            let want_spike = step(
                &sets[job.set as usize],
                &sqrt,
                &mut want,
                job.u.clamp(0, (1 << 24) - 1) as i32,
            );
            assert_eq!(
                (*state, *spike),
                (want, want_spike),
                "seed {seed}: neuron {i} (set {}, u {}, state {:?}) differs",
                job.set,
                job.u,
                job.state
            );
            spikes += usize::from(want_spike);
        }
    }
    assert!(spikes > 0, "the random states include some that spike");
}
