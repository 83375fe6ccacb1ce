//! memfire-spec: the single source of truth of memfire.
#![forbid(unsafe_code)]

pub mod coef;
pub mod coeffs;
pub mod fixed;
pub mod neuron_f64;
pub mod neuron_fixed;
pub mod params;
pub mod rng;
pub mod tables;

#[cfg(test)]
mod scratch {
    use super::*;
    #[test]
    fn r1_scratch() {
        let p = params::NeuronParams::default();
        let fc = neuron_f64::FloatCoeffs::new(&p);
        let xc = coeffs::FixedCoeffs::new(&p).unwrap();
        let sq = tables::sqrt_table();
        for u in [0.25, 0.8, 1.0, 2.0] {
            let mut s = neuron_f64::FloatState::reset(&fc, 1, 0);
            let mut t1 = None;
            for k in 0..50000 { if neuron_f64::step(&fc, &mut s, u) { t1 = Some(k); break; } }
            let mut q = neuron_fixed::FixedState::reset(&xc, 1, 0);
            let mut t2 = None;
            let uq = fixed::volts_to_q(u).unwrap();
            for k in 0..50000 { if neuron_fixed::step(&xc, &sq, &mut q, uq) { t2 = Some(k); break; } }
            eprintln!("u={u} float={t1:?} fixed={t2:?}");
        }
    }
}
pub mod format_error;
pub mod format_network;
pub mod format_spikes;
pub mod format_stimulus;
pub mod network;
pub mod delivery;
pub mod kernel;
pub mod model;
pub mod generate;
