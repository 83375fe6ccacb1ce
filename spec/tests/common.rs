//! Helpers shared by the model tests: run one neuron of either model under an input
//! waveform given per step.
#![allow(dead_code)]

use memfire_spec::coef_set::FixedCoeffs;
use memfire_spec::fixed::volts_to_q;
use memfire_spec::neuron_f64::{self, FloatCoeffs, FloatState};
use memfire_spec::neuron_fixed::{self, FixedState};
use memfire_spec::params::NeuronParams;
use memfire_spec::tables::sqrt_table;

/// Which model to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Float,
    Fixed,
}

pub const BOTH: [Which; 2] = [Which::Float, Which::Fixed];

/// Spike steps of one neuron under `input(step)` for `steps` steps.
pub fn spikes(which: Which, p: &NeuronParams, steps: u64, input: impl Fn(u64) -> f64) -> Vec<u64> {
    let mut out = Vec::new();
    match which {
        Which::Float => {
            let c = FloatCoeffs::new(p);
            let mut s = FloatState::reset(&c, 0, 0);
            for t in 0..steps {
                if neuron_f64::step(&c, &mut s, input(t)) {
                    out.push(t);
                }
            }
        }
        Which::Fixed => {
            let c = FixedCoeffs::new(p).expect("valid parameters");
            let table = sqrt_table();
            let mut s = FixedState::reset(&c, 0, 0);
            for t in 0..steps {
                let u = volts_to_q(input(t)).expect("input in range");
                if neuron_fixed::step(&c, &table, &mut s, u) {
                    out.push(t);
                }
            }
        }
    }
    out
}

/// Time (ms) of the first spike: the end of the step in which it fired.
pub fn first_ms(spikes: &[u64], dt: f64) -> Option<f64> {
    spikes.first().map(|&s| (s as f64 + 1.0) * dt * 1e3)
}

/// Steps of `ms` milliseconds.
pub fn steps(ms: f64, dt: f64) -> u64 {
    (ms * 1e-3 / dt).round() as u64
}

/// 1-based pulse on which the first spike falls for a 0.9 V, 1 ms pulse train with `gap_ms`.
pub fn pulses_to_fire(which: Which, p: &NeuronParams, gap_ms: f64, max_pulses: u64) -> Option<u64> {
    let (on, off) = (steps(1.0, p.dt), steps(gap_ms, p.dt));
    let period = on + off;
    let s = spikes(
        which,
        p,
        period * max_pulses,
        |t| if t % period < on { 0.9 } else { 0.0 },
    );
    s.first().map(|&t| t / period + 1)
}
