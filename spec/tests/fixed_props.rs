//! Property tests of the fixed-point model: bounds and saturation hold for any state,
//! input and parameter set.

use memfire_spec::coef_set::FixedCoeffs;
use memfire_spec::fixed::{round_shift, sat25, M_MAX, M_MIN, SAT_MAX, SAT_MIN, U_MAX, X1_MAX};
use memfire_spec::neuron_fixed::{step, FixedState};
use memfire_spec::params::NeuronParams;
use memfire_spec::tables::sqrt_table;
use proptest::prelude::*;

fn params() -> impl Strategy<Value = NeuronParams> {
    (
        50e6..1e9f64,
        0.0..2e-3f64,
        0.0..0.3f64,
        0.0..0.2f64,
        0.0..0.9f64,
        0.0..5e-3f64,
        50.0..400.0f64,
    )
        .prop_map(|(r_c, sigma1, c2c, eta, x2max, t_abs, mu)| NeuronParams {
            r_c,
            sigma1,
            c2c,
            eta,
            x2max,
            t_abs,
            mu,
            ..NeuronParams::default()
        })
}

fn state(x2max: i32) -> impl Strategy<Value = FixedState> {
    (
        0..=X1_MAX,
        0..=x2max,
        0..=U_MAX,
        M_MIN..=M_MAX,
        0u32..500,
        1u32..=u32::MAX,
    )
        .prop_map(|(x1, x2, v, m, refractory, rng)| FixedState {
            x1,
            x2,
            v,
            m,
            refractory,
            rng,
        })
}

proptest! {
    #[test]
    fn every_state_stays_in_its_format(p in params(), seed in any::<u64>(), inputs in prop::collection::vec(-(1i32 << 26)..(1i32 << 26), 1..400)) {
        let c = FixedCoeffs::new(&p).expect("strategy draws valid parameters");
        let table = sqrt_table();
        let mut s = FixedState::reset(&c, seed, 3);
        let mut u_max = 0;
        for u in inputs {
            let before = s;
            u_max = u_max.max(u.clamp(0, U_MAX));
            let spiked = step(&c, &table, &mut s, u);
            prop_assert!((0..=X1_MAX).contains(&s.x1), "x1 {} from {:?}", s.x1, before);
            prop_assert!((0..=c.x2max).contains(&s.x2), "x2 {} > x2max {}", s.x2, c.x2max);
            prop_assert!(s.v >= 0 && s.v <= u_max.max(before.v), "v {} from {} under u <= {}", s.v, before.v, u_max);
            prop_assert!((M_MIN..=M_MAX).contains(&s.m), "m {}", s.m);
            prop_assert!(s.refractory <= u32::from(c.refractory_steps).max(before.refractory));
            if spiked {
                prop_assert_eq!(s.x1, 0);
                prop_assert_eq!(s.refractory, u32::from(c.refractory_steps));
            }
            prop_assert!(s.rng != 0, "random stream reached the xorshift fixed point");
        }
    }

    #[test]
    fn arbitrary_start_states_saturate_instead_of_wrapping(p in params(), u in any::<i32>(), start in state(1 << 23)) {
        let c = FixedCoeffs::new(&p).expect("valid");
        let table = sqrt_table();
        let mut s = FixedState { x2: start.x2.min(c.x2max), ..start };
        step(&c, &table, &mut s, u);
        prop_assert!(s.x1 >= 0 && s.x1 <= X1_MAX && s.x2 >= 0 && s.x2 <= c.x2max && s.v >= 0);
    }

    #[test]
    fn round_shift_is_round_half_up(a in -(1i64 << 50)..(1i64 << 50), sh in 0u32..30) {
        let exact = a as f64 / 2f64.powi(sh as i32);
        prop_assert_eq!(round_shift(a, sh) as f64, (exact + 0.5).floor());
    }

    #[test]
    fn sat25_clamps(a in any::<i64>()) {
        let s = i64::from(sat25(a));
        prop_assert!((SAT_MIN..=SAT_MAX).contains(&s));
        if (SAT_MIN..=SAT_MAX).contains(&a) { prop_assert_eq!(s, a); }
    }
}
