//! The bit-exact fixed-point neuron update: the integer arithmetic the FPGA performs, one
//! call per neuron per time step. Every other backend must reproduce this function exactly.
//!
//! It follows the model document's discrete update (§4) step for step. Each line carries its
//! format and width; `round_shift` is round-half-up and `sat25`/`clamp` saturate.

use crate::coef_set::{FixedCoeffs, NOISE_EXTRA_BITS};
use crate::fixed::{round_shift, sat25, M_FRAC, M_MAX, M_MIN, ONE_M, ONE_X, U_MAX, X1_MAX};
use crate::rng::{byte_sum_gauss, neuron_seed, xorshift32};
use crate::tables::{drive_index, sqrt_q, TABLE_ENTRIES};

/// One neuron's state as stored in state memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FixedState {
    /// Filament, Q1.23 in 0..=1.5.
    pub x1: i32,
    /// Residue, Q1.23 in 0..=x2max.
    pub x2: i32,
    /// Gate voltage, Q2.22.
    pub v: i32,
    /// Migration-rate factor, UQ3.14 in 0.25..=4.
    pub m: i32,
    /// Absolute-refractory steps left (16 bits in hardware).
    pub refractory: u32,
    /// xorshift32 state of this neuron's random stream.
    pub rng: u32,
}

impl FixedState {
    /// The state at reset: everything zero, `m` = 1 or, with c2c on, one draw of
    /// `1 + c2c·N(0,1)` from the neuron's stream seeded from (seed, index).
    pub fn reset(c: &FixedCoeffs, seed: u64, index: u32) -> FixedState {
        let mut s = FixedState {
            m: ONE_M,
            rng: neuron_seed(seed, index),
            ..FixedState::default()
        };
        if c.c2c_on {
            s.redraw_m(c);
        }
        s
    }

    /// `m = clamp(1 + c2c·xi, 0.25, 4)` from the next draw of the stream.
    #[inline(always)]
    fn redraw_m(&mut self, c: &FixedCoeffs) {
        (self.rng, self.m) = redrawn_m(c, self.rng);
    }
}

/// The stream's next state and the `m` drawn from it (see [`FixedState::redraw_m`]).
#[inline(always)]
fn redrawn_m(c: &FixedCoeffs, rng: u32) -> (u32, i32) {
    let rng = xorshift32(rng);
    let xi = i64::from(byte_sum_gauss(rng)); // integer, −510..=510, 11 bits
    let spread = c.k_c2c.apply(xi); // UQ3.14 offset, 18 bits
    let m = (i64::from(ONE_M) + spread).clamp(i64::from(M_MIN), i64::from(M_MAX)) as i32; // UQ3.14, 17 bits
    (rng, m)
}

/// Advance one neuron by one step under input `u` (Q2.22, clamped to 0..=4 V − 1 LSB).
/// Returns whether it spiked in this step.
#[inline(always)]
pub fn step(c: &FixedCoeffs, sqrt_table: &[u32; TABLE_ENTRIES], s: &mut FixedState, u: i32) -> bool {
    match (c.noise_on, c.c2c_on) {
        (false, false) => update::<false, false>(c, sqrt_table, s, u),
        (true, false) => update::<true, false>(c, sqrt_table, s, u),
        (false, true) => update::<false, true>(c, sqrt_table, s, u),
        (true, true) => update::<true, true>(c, sqrt_table, s, u),
    }
}

/// [`step`] for a parameter set whose noise switches are known where it is compiled
/// (`NOISE == c.noise_on`, `C2C == c.c2c_on`): the same arithmetic without a branch on
/// them, so a loop over neurons vectorises.
#[inline(always)]
pub fn step_as<const NOISE: bool, const C2C: bool>(
    c: &FixedCoeffs,
    sqrt_table: &[u32; TABLE_ENTRIES],
    s: &mut FixedState,
    u: i32,
) -> bool {
    debug_assert!(c.noise_on == NOISE && c.c2c_on == C2C);
    update::<NOISE, C2C>(c, sqrt_table, s, u)
}

/// The update itself, with the ionic noise (`NOISE`) and the cycle-to-cycle redraw (`C2C`)
/// compiled in or out; each instance is used only for parameter sets with those switches.
#[inline(always)]
fn update<const NOISE: bool, const C2C: bool>(
    c: &FixedCoeffs,
    sqrt_table: &[u32; TABLE_ENTRIES],
    s: &mut FixedState,
    u: i32,
) -> bool {
    let u = u.clamp(0, U_MAX); // Q2.22, 25 bits
                               // 1. drive law and growth
    let x = s.x1 + s.x2; // Q1.23, 26 bits (x1 ≤ 1.5, x2 < 1)
    let e = (ONE_X - x).unsigned_abs(); // Q1.23 |1 − x|, 24 bits
    let drive = i64::from(c.drive.entries[drive_index(e)]); // UQ.(drive.shift), 17 bits
    let du = i64::from((u - s.v).max(0)); // Q2.22 [u − v]+, 25 bits
    let g1 = sat25(c.k_grow.apply(du)); // Q1.23: du·mu·dt, 25 bits
    let g2 = sat25(round_shift(i64::from(g1) * i64::from(s.m), M_FRAC)); // Q1.23: ·m, 25 bits
    let grow = sat25(round_shift(i64::from(g2) * drive, c.drive.shift)); // Q1.23: ·1/(alpha+|1−x|), 25 bits
                                                                         // 2. filament decay
    let dec = sat25(c.k_dec.apply(i64::from(s.x1))); // Q1.23: x1·(1 − e^−(γ1+β)dt), 25 bits
    let mut d1 = i64::from(grow) - i64::from(dec); // Q1.23, 26 bits
                                                   // 3. ionic noise: d1 += sqrt(sigma1·|d1|)·xi
    if NOISE {
        s.rng = xorshift32(s.rng);
        let xi = i64::from(byte_sum_gauss(s.rng)); // integer, −510..=510, 11 bits
        let root = sqrt_q(sqrt_table, d1.unsigned_abs().min(u64::from(u32::MAX)) as u32); // Q1.23 sqrt|d1|, 25 bits
        let scaled = sat25(c.k_noise.apply(root)); // Q1.31: sqrt(sigma1·|d1|)/XI_STD, 25 bits
        d1 += round_shift(i64::from(scaled) * xi, NOISE_EXTRA_BITS); // Q1.23, 27 bits
    }
    // 4. residue
    let leak2 = c.k_x2leak.apply(i64::from(s.x2)); // Q1.23: x2·(1 − e^−γ2·dt), 25 bits
    let res = c.k_res.apply(i64::from(dec)); // Q1.23: β/(γ1+β)·dec, 25 bits
    let x2 = (i64::from(s.x2) - leak2 + res).max(0).min(i64::from(c.x2max)) as i32; // Q1.23, 25 bits
                                                                                    // 5. filament and gate
    let x1 = (i64::from(s.x1) + d1).clamp(0, i64::from(X1_MAX)) as i32; // Q1.23, 25 bits
    let v = sat25(i64::from(s.v) - c.k_vleak.apply(i64::from(s.v))); // Q2.22: v·e^−dt/τc, 25 bits
                                                                     // 6. absolute refractory period
    let refractory_now = s.refractory > 0;
    let x1 = if refractory_now { 0 } else { x1 };
    let refractory = s.refractory - u32::from(refractory_now);
    // 7. threshold and spike rules
    let spike = x1 + x2 >= ONE_X;
    let v_spike = sat25(c.k_von.apply(i64::from(u))); // Q2.22: u·R_c/(R_c+R_on), 25 bits
    let deposit = c.k_eta.apply(i64::from(c.x2max - x2)); // Q1.23: eta·(x2max − x2), 25 bits
    let x2_spike = (i64::from(x2) + deposit).max(0).min(i64::from(c.x2max)) as i32; // Q1.23, 25 bits
    s.v = if spike { v_spike } else { v };
    s.x1 = if spike { 0 } else { x1 };
    s.x2 = if spike { x2_spike } else { x2 };
    s.refractory = if spike {
        u32::from(c.refractory_steps)
    } else {
        refractory
    };
    if C2C {
        // Drawn for every neuron and kept for one that spiked: without a branch on the
        // spike, a loop over neurons vectorises.
        let (rng, m) = redrawn_m(c, s.rng);
        s.rng = if spike { rng } else { s.rng };
        s.m = if spike { m } else { s.m };
    }
    spike
}
