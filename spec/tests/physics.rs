//! Physics sanity checks S1–S5 of the model document, on the f64 and the fixed-point model.

mod common;

use common::{first_ms, spikes, steps, Which, BOTH};
use memfire_spec::coef_set::FixedCoeffs;
use memfire_spec::fixed::{f64_to_qx, q_to_volts, qx_to_f64, volts_to_q, ONE_V};
use memfire_spec::neuron_f64::{self, FloatCoeffs, FloatState};
use memfire_spec::neuron_fixed::{self, FixedState};
use memfire_spec::params::NeuronParams;
use memfire_spec::tables::sqrt_table;

/// Steps until `value(t)` first drops below `start / e`, with `state` perturbed and zero input.
fn decay_steps(which: Which, perturb: &dyn Fn(&mut f64, &mut f64, &mut f64), probe: usize) -> f64 {
    let p = NeuronParams::default();
    let (mut x1, mut x2, mut v) = (0.0, 0.0, 0.0);
    perturb(&mut x1, &mut x2, &mut v);
    let start = [x1, x2, v][probe];
    let target = start / std::f64::consts::E;
    let mut prev = start;
    match which {
        Which::Float => {
            let c = FloatCoeffs::new(&p);
            let mut s = FloatState {
                x1,
                x2,
                v,
                ..FloatState::reset(&c, 0, 0)
            };
            for t in 1..1_000_000u64 {
                neuron_f64::step(&c, &mut s, 0.0);
                let now = [s.x1, s.x2, s.v][probe];
                if now < target {
                    return t as f64 - 1.0 + (prev - target) / (prev - now); // interpolate
                }
                prev = now;
            }
        }
        Which::Fixed => {
            let c = FixedCoeffs::new(&p).expect("valid");
            let table = sqrt_table();
            let mut s = FixedState {
                x1: f64_to_qx(x1),
                x2: f64_to_qx(x2),
                v: volts_to_q(v).unwrap_or(0),
                ..FixedState::reset(&c, 0, 0)
            };
            for t in 1..1_000_000u64 {
                neuron_fixed::step(&c, &table, &mut s, 0);
                let now = [qx_to_f64(s.x1), qx_to_f64(s.x2), q_to_volts(s.v)][probe];
                if now < target {
                    return t as f64 - 1.0 + (prev - target) / (prev - now);
                }
                prev = now;
            }
        }
    }
    f64::INFINITY
}

#[test]
fn s1_rest_never_spikes_and_states_decay_with_their_time_constants() {
    let p = NeuronParams::default();
    for which in BOTH {
        assert!(
            spikes(which, &p, steps(500.0, p.dt), |_| 0.0).is_empty(),
            "{which:?} spiked at rest"
        );
        let tau1 = 1.0 / (p.gamma1 + p.beta) / p.dt;
        let tau2 = 1.0 / p.gamma2 / p.dt;
        let tau_c = p.tau_c() / p.dt;
        let checks = [
            ("tau1", decay_steps(which, &|x1, _, _| *x1 = 0.5, 0), tau1),
            ("tau2", decay_steps(which, &|_, x2, _| *x2 = 0.5, 1), tau2),
            ("tau_c", decay_steps(which, &|_, _, v| *v = 1.0, 2), tau_c),
        ];
        for (name, measured, expected) in checks {
            let err = (measured - expected).abs() / expected;
            assert!(
                err < 0.01,
                "{which:?} {name}: measured {measured:.1} steps, expected {expected:.1} ({:.2} %)",
                err * 100.0
            );
        }
    }
}

#[test]
fn s2_threshold_latency_and_rate_are_monotone_in_amplitude() {
    let p = NeuronParams::default();
    let u_th = p.dc_threshold();
    let n = steps(500.0, p.dt);
    for which in BOTH {
        for u in [0.1, 0.2, u_th - 0.002] {
            assert!(
                spikes(which, &p, n, |_| u).is_empty(),
                "{which:?} spiked below threshold at {u} V"
            );
        }
        let amplitudes: Vec<f64> = (0..40).map(|k| 0.22 + 0.07 * f64::from(k)).collect();
        let mut last: Option<(f64, usize)> = None;
        for &u in &amplitudes {
            let s = spikes(which, &p, n, |_| u);
            let latency = first_ms(&s, p.dt).unwrap_or(f64::INFINITY);
            if let Some((prev_latency, prev_count)) = last {
                assert!(
                    latency < prev_latency || (latency.is_infinite() && prev_latency.is_infinite()),
                    "{which:?}: latency did not fall at {u} V ({latency} vs {prev_latency})"
                );
                assert!(
                    s.len() >= prev_count,
                    "{which:?}: rate fell at {u} V ({} < {prev_count} spikes)",
                    s.len()
                );
            }
            last = Some((latency, s.len()));
        }
    }
}

#[test]
fn s3_a_longer_gap_never_fires_earlier() {
    let p = NeuronParams::default();
    for which in BOTH {
        let mut prev = 0;
        for k in 0..=30 {
            let gap = 0.1 * f64::from(k);
            let pulses = common::pulses_to_fire(which, &p, gap, 300).unwrap_or(u64::MAX);
            assert!(
                pulses >= prev,
                "{which:?}: gap {gap} ms fired on pulse {pulses}, shorter gap needed {prev}"
            );
            prev = pulses;
        }
    }
}

#[test]
fn s4_states_stay_in_bounds_under_random_input() {
    let p = NeuronParams {
        sigma1: 1e-3,
        c2c: 0.1,
        ..NeuronParams::default()
    };
    let seed = 0x5EED_u64;
    let mut g = memfire_spec::generate::Gen::new(seed, 4);
    let inputs: Vec<f64> = (0..200_000)
        .map(|k| if (k / 300) % 3 == 0 { 0.0 } else { g.uniform(0.0, 3.5) })
        .collect();
    let u_max = inputs.iter().cloned().fold(0.0, f64::max);
    let fc = FloatCoeffs::new(&p);
    let mut fs = FloatState::reset(&fc, seed, 0);
    let xc = FixedCoeffs::new(&p).expect("valid");
    let table = sqrt_table();
    let mut xs = FixedState::reset(&xc, seed, 0);
    for (t, &u) in inputs.iter().enumerate() {
        neuron_f64::step(&fc, &mut fs, u);
        assert!(
            fs.x1 >= 0.0 && fs.x2 >= 0.0 && fs.x2 <= p.x2max && fs.v >= 0.0 && fs.v <= u_max,
            "seed {seed}: float state out of bounds at step {t}: {fs:?}"
        );
        neuron_fixed::step(&xc, &table, &mut xs, volts_to_q(u).unwrap_or(0));
        assert!(
            xs.x1 >= 0
                && xs.x2 >= 0
                && xs.x2 <= xc.x2max
                && xs.v >= 0
                && f64::from(xs.v) <= u_max * f64::from(ONE_V) + 1.0,
            "seed {seed}: fixed state out of bounds at step {t}: {xs:?}"
        );
    }
}

#[test]
fn s5_halving_dt_changes_spike_times_by_under_one_percent() {
    let p = NeuronParams::default();
    let half = NeuronParams { dt: p.dt / 2.0, ..p };
    for u in [0.8, 1.0, 1.5, 2.0] {
        let a = spikes(Which::Float, &p, steps(300.0, p.dt), |_| u);
        let b = spikes(Which::Float, &half, steps(300.0, half.dt), |_| u);
        assert!(!a.is_empty(), "no spike at {u} V");
        for (k, (&sa, &sb)) in a.iter().zip(&b).take(5).enumerate() {
            let (ta, tb) = ((sa + 1) as f64 * p.dt, (sb + 1) as f64 * half.dt);
            assert!((ta - tb).abs() / ta < 0.01, "{u} V spike {k}: {ta} s vs {tb} s at dt/2");
        }
    }
}
