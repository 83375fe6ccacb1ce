//! Reference values R1, R3 and R7 of the model document.

mod common;

use common::{first_ms, pulses_to_fire, spikes, steps, Which, BOTH};
use memfire_spec::generate::Gen;
use memfire_spec::params::NeuronParams;

#[test]
fn r1_time_to_first_spike_under_dc() {
    let p = NeuronParams::default();
    for which in BOTH {
        for (u, expected_ms) in [(0.8, 34.4), (1.0, 15.2)] {
            let t = first_ms(&spikes(which, &p, steps(500.0, p.dt), |_| u), p.dt).unwrap_or(f64::INFINITY);
            assert!(
                (t - expected_ms).abs() / expected_ms <= 0.02,
                "{which:?} at {u} V: {t} ms, expected {expected_ms} ms ± 2 %"
            );
        }
        let t = first_ms(&spikes(which, &p, steps(500.0, p.dt), |_| 2.0), p.dt).unwrap_or(f64::INFINITY);
        assert!(
            (t - 2.68).abs() <= 2.0 * p.dt * 1e3 + 1e-9,
            "{which:?} at 2 V: {t} ms, expected 2.68 ms ± 2 steps"
        );
        for u in [0.1, 0.2, 0.25] {
            assert!(
                spikes(which, &p, steps(500.0, p.dt), |_| u).is_empty(),
                "{which:?} fired at {u} V"
            );
        }
    }
}

#[test]
fn r3_leaky_integration_pulse_counts() {
    let p = NeuronParams::default();
    let expected = [(0.2, 36), (0.4, 46), (0.6, 56), (0.8, 65), (1.0, 74), (1.2, 82)];
    for which in BOTH {
        let mut prev = 0;
        for (gap, want) in expected {
            let got = pulses_to_fire(which, &p, gap, 200);
            let got = got.unwrap_or_else(|| panic!("{which:?}: never fired with {gap} ms gaps"));
            assert!(
                got.abs_diff(want) <= 1,
                "{which:?}: {gap} ms gaps fired on pulse {got}, expected {want} ± 1"
            );
            assert!(got > prev, "{which:?}: pulse counts not strictly increasing");
            prev = got;
        }
        assert_eq!(
            pulses_to_fire(which, &p, 4.0, 500),
            None,
            "{which:?}: fired with 4 ms gaps"
        );
    }
}

/// A random train of rectangular pulses: amplitude, on time and gap drawn per pulse.
fn random_train(seed: u64, total: u64, dt: f64) -> Vec<f64> {
    let mut g = Gen::new(seed, 7);
    let mut out = Vec::with_capacity(total as usize);
    while (out.len() as u64) < total {
        let amplitude = g.uniform(0.6, 2.0);
        let on = steps(g.uniform(1.0, 12.0), dt);
        let off = steps(g.uniform(0.5, 8.0), dt);
        out.extend(std::iter::repeat_n(amplitude, on as usize));
        out.extend(std::iter::repeat_n(0.0, off as usize));
    }
    out.truncate(total as usize);
    out
}

#[test]
fn r7_fixed_and_float_agree_on_random_pulse_trains() {
    let p = NeuronParams::default();
    let base: u64 = std::env::var("MEMFIRE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let mut total = 0;
    for seed in base..base + 40 {
        let train = random_train(seed, steps(300.0, p.dt), p.dt);
        let a = spikes(Which::Float, &p, train.len() as u64, |t| train[t as usize]);
        let b = spikes(Which::Fixed, &p, train.len() as u64, |t| train[t as usize]);
        assert_eq!(
            a.len(),
            b.len(),
            "seed {seed}: float fired {} times, fixed {} times\nfloat {a:?}\nfixed {b:?}",
            a.len(),
            b.len()
        );
        for (k, (x, y)) in a.iter().zip(&b).enumerate() {
            assert!(
                x.abs_diff(*y) <= 3,
                "seed {seed}: spike {k} at step {x} (float) vs {y} (fixed)"
            );
        }
        total += a.len();
    }
    assert!(total > 100, "the trains should make the neuron fire ({total} spikes)");
}
