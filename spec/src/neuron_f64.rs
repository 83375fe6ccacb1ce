//! The f64 reference neuron: the model document's discrete update (§4) in floating point.
//! The fixed-point model is checked against this one (R7); noise draws come from the same
//! per-neuron byte-sum streams, so both see the same random numbers.

use crate::params::NeuronParams;
use crate::rng::{byte_sum_gauss, neuron_seed, xorshift32, XI_STD};

/// Per-step factors of one parameter set, computed once.
#[derive(Debug, Clone, PartialEq)]
pub struct FloatCoeffs {
    /// `mu·dt`.
    pub mu_dt: f64,
    /// `alpha`.
    pub alpha: f64,
    /// `1 − exp(−(gamma1 + beta)·dt)`.
    pub dec: f64,
    /// `beta/(gamma1 + beta)`.
    pub res: f64,
    /// `exp(−gamma2·dt)`.
    pub x2_decay: f64,
    /// `exp(−dt/(R_c·C_g))`.
    pub v_decay: f64,
    /// `R_c/(R_c + R_on)`.
    pub von: f64,
    /// `eta`.
    pub eta: f64,
    /// `x2max`.
    pub x2max: f64,
    /// `sigma1`.
    pub sigma1: f64,
    /// `c2c`.
    pub c2c: f64,
    /// `round(t_abs/dt)`.
    pub refractory_steps: u16,
}

impl FloatCoeffs {
    /// Factors for a (validated) parameter set.
    pub fn new(p: &NeuronParams) -> FloatCoeffs {
        let g = p.gamma1 + p.beta;
        FloatCoeffs {
            mu_dt: p.mu * p.dt,
            alpha: p.alpha,
            dec: -(-g * p.dt).exp_m1(),
            res: p.beta / g,
            x2_decay: (-p.gamma2 * p.dt).exp(),
            v_decay: (-p.dt / p.tau_c()).exp(),
            von: p.r_c / (p.r_c + p.r_on),
            eta: p.eta,
            x2max: p.x2max,
            sigma1: p.sigma1,
            c2c: p.c2c,
            refractory_steps: p.refractory_steps(),
        }
    }
}

/// One neuron's state in floating point.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FloatState {
    /// Filament, 0..=1.5.
    pub x1: f64,
    /// Residue, 0..=x2max.
    pub x2: f64,
    /// Gate voltage, V.
    pub v: f64,
    /// Migration-rate factor, 0.25..=4.
    pub m: f64,
    /// Absolute-refractory steps left.
    pub refractory: u16,
    /// xorshift32 state (same stream as the fixed-point model).
    pub rng: u32,
}

impl FloatState {
    /// State at reset; with c2c on, `m` is one draw of `1 + c2c·N(0,1)`.
    pub fn reset(c: &FloatCoeffs, seed: u64, index: u32) -> FloatState {
        let mut s = FloatState {
            m: 1.0,
            rng: neuron_seed(seed, index),
            ..FloatState::default()
        };
        if c.c2c > 0.0 {
            s.redraw_m(c);
        }
        s
    }

    fn redraw_m(&mut self, c: &FloatCoeffs) {
        self.rng = xorshift32(self.rng);
        let xi = f64::from(byte_sum_gauss(self.rng)) / XI_STD;
        self.m = (1.0 + c.c2c * xi).clamp(0.25, 4.0);
    }
}

/// Advance one neuron by one step under input `u` volts (clamped to 0..4 V). Returns
/// whether it spiked.
#[inline]
pub fn step(c: &FloatCoeffs, s: &mut FloatState, u: f64) -> bool {
    let u = u.clamp(0.0, 4.0);
    let x = s.x1 + s.x2;
    let grow = s.m * c.mu_dt * (u - s.v).max(0.0) / (c.alpha + (1.0 - x).abs());
    let dec = s.x1 * c.dec;
    let mut d1 = grow - dec;
    if c.sigma1 > 0.0 {
        s.rng = xorshift32(s.rng);
        let xi = f64::from(byte_sum_gauss(s.rng)) / XI_STD;
        d1 += (c.sigma1 * d1.abs()).sqrt() * xi;
    }
    s.x2 = (s.x2 * c.x2_decay + c.res * dec).clamp(0.0, c.x2max);
    s.x1 = (s.x1 + d1).clamp(0.0, 1.5);
    s.v *= c.v_decay;
    if s.refractory > 0 {
        s.x1 = 0.0;
        s.refractory -= 1;
    }
    if s.x1 + s.x2 >= 1.0 {
        s.v = u * c.von;
        s.x1 = 0.0;
        s.x2 += c.eta * (c.x2max - s.x2);
        if c.c2c > 0.0 {
            s.redraw_m(c);
        }
        s.refractory = c.refractory_steps;
        true
    } else {
        false
    }
}
