//! Neuron arrays in structure-of-arrays form: the fixed-point one (bit-exact, the reference
//! for the hardware) and the f64 one. Each updates all neurons of one step.

use crate::coef_set::FixedCoeffs;
use crate::delivery::{Accumulate, Volt};
use crate::fixed::{q_to_volts, qx_to_f64, volts_to_q, ONE_M, U_MAX};
use crate::network::Network;
use crate::neuron_f64::{self, FloatCoeffs, FloatState};
use crate::neuron_fixed::{self, FixedState};
use crate::params::ParamError;
use crate::tables::{sqrt_table, TABLE_ENTRIES};

/// One neuron's state in physical units, for probes and traces.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Probe {
    /// Filament.
    pub x1: f64,
    /// Residue.
    pub x2: f64,
    /// Gate voltage, V.
    pub v: f64,
    /// Migration-rate factor.
    pub m: f64,
    /// Refractory steps left.
    pub refractory: u32,
}

/// A neuron array the network model can drive.
pub trait Kernel: Send {
    /// Voltage of weights and delay-ring slots (Q2.22 `i32` or `f64`).
    type W: Volt;
    /// Voltage of inputs and synaptic accumulators (Q2.22 `i64` or `f64`).
    type V: Volt + Accumulate<Self::W>;
    /// Build for a network, in the reset state.
    fn new(net: &Network) -> Result<Self, ParamError>
    where
        Self: Sized;
    /// Back to the reset state.
    fn reset(&mut self);
    /// Convert volts (already checked to be in range) to `V`.
    fn volts(v: f64) -> Self::V;
    /// Convert a weight (already checked to be in range) to `W`.
    fn weight(v: f64) -> Self::W;
    /// Update every neuron under `ext + syn`; push the ids of those that fired, in order.
    fn update(&mut self, ext: &[Self::V], syn: &[Self::V], fired: &mut Vec<u32>);
    /// State of neuron `i` in physical units.
    fn probe(&self, i: usize) -> Probe;
    /// The input actually applied to neuron `i` from `ext + syn`, in volts.
    fn input_volts(ext: Self::V, syn: Self::V) -> f64;
}

/// The bit-exact fixed-point neuron array.
#[derive(Debug, Clone)]
pub struct FixedKernel {
    seed: u64,
    coeffs: Vec<FixedCoeffs>,
    set_of: Vec<u8>,
    sqrt: [u32; TABLE_ENTRIES],
    x1: Vec<i32>,
    x2: Vec<i32>,
    v: Vec<i32>,
    m: Vec<i32>,
    refractory: Vec<u32>,
    rng: Vec<u32>,
    runs: Vec<(usize, usize, usize)>,
    spiked: Vec<u8>,
}

impl FixedKernel {
    /// Raw fixed-point state of neuron `i` (for bit-exact comparisons).
    pub fn state(&self, i: usize) -> FixedState {
        FixedState {
            x1: self.x1[i],
            x2: self.x2[i],
            v: self.v[i],
            m: self.m[i],
            refractory: self.refractory[i],
            rng: self.rng[i],
        }
    }

    /// Coefficients of each parameter set.
    pub fn coeffs(&self) -> &[FixedCoeffs] {
        &self.coeffs
    }
}

/// Maximal runs `(start, end, set)` of consecutive neurons sharing a parameter set.
fn runs_of(set_of: &[u8]) -> Vec<(usize, usize, usize)> {
    let mut runs: Vec<(usize, usize, usize)> = Vec::new();
    for (i, &set) in set_of.iter().enumerate() {
        match runs.last_mut() {
            Some(run) if run.2 == set as usize => run.1 = i + 1,
            _ => runs.push((i, i + 1, set as usize)),
        }
    }
    runs
}

/// One contiguous run of neurons that share a parameter set, as separate slices of equal
/// length. Passing each array as its own argument lets the compiler assume (Rust's `&mut`
/// guarantee) that no store into state changes a coefficient or a table entry, so it keeps
/// them in registers and turns the spike rules into vector selects.
struct Run<'a> {
    ext: &'a [i64],
    syn: &'a [i64],
    x1: &'a mut [i32],
    x2: &'a mut [i32],
    v: &'a mut [i32],
    m: &'a mut [i32],
    refractory: &'a mut [u32],
    rng: &'a mut [u32],
    spiked: &'a mut [u8],
}

/// Update every neuron of `run` by one step. With `RANDOM = false` (both noise sources off)
/// the body is branch-free and the loop vectorises.
#[inline(never)]
fn update_run<const RANDOM: bool>(c: &FixedCoeffs, sqrt: &[u32; TABLE_ENTRIES], run: Run<'_>) {
    let len = run.ext.len();
    let (ext, syn) = (run.ext, &run.syn[..len]);
    let (x1, x2, v, m) = (
        &mut run.x1[..len],
        &mut run.x2[..len],
        &mut run.v[..len],
        &mut run.m[..len],
    );
    let (refractory, rng, spiked) = (&mut run.refractory[..len], &mut run.rng[..len], &mut run.spiked[..len]);
    for i in 0..len {
        let u = (ext[i] + syn[i]).clamp(0, i64::from(U_MAX)) as i32; // Q2.22, 25 bits
        let mut s = FixedState {
            x1: x1[i],
            x2: x2[i],
            v: v[i],
            m: m[i],
            refractory: refractory[i],
            rng: rng[i],
        };
        spiked[i] = u8::from(if RANDOM {
            neuron_fixed::step(c, sqrt, &mut s, u)
        } else {
            neuron_fixed::step_quiet(c, sqrt, &mut s, u)
        });
        x1[i] = s.x1;
        x2[i] = s.x2;
        v[i] = s.v;
        m[i] = s.m;
        refractory[i] = s.refractory;
        rng[i] = s.rng;
    }
}

impl Kernel for FixedKernel {
    type W = i32;
    type V = i64;

    fn new(net: &Network) -> Result<Self, ParamError> {
        let n = net.neurons() as usize;
        let coeffs = net
            .param_sets()
            .iter()
            .map(FixedCoeffs::new)
            .collect::<Result<Vec<_>, _>>()?;
        let mut k = FixedKernel {
            seed: net.seed(),
            coeffs,
            set_of: net.param_set_of().to_vec(),
            sqrt: sqrt_table(),
            x1: vec![0; n],
            x2: vec![0; n],
            v: vec![0; n],
            m: vec![ONE_M; n],
            refractory: vec![0; n],
            rng: vec![0; n],
            runs: runs_of(net.param_set_of()),
            spiked: vec![0; n],
        };
        k.reset();
        Ok(k)
    }

    fn reset(&mut self) {
        for i in 0..self.x1.len() {
            let s = FixedState::reset(&self.coeffs[self.set_of[i] as usize], self.seed, i as u32);
            self.x1[i] = s.x1;
            self.x2[i] = s.x2;
            self.v[i] = s.v;
            self.m[i] = s.m;
            self.refractory[i] = s.refractory;
            self.rng[i] = s.rng;
        }
    }

    fn volts(v: f64) -> i64 {
        i64::from(volts_to_q(v).unwrap_or(0))
    }

    fn weight(v: f64) -> i32 {
        volts_to_q(v).unwrap_or(0)
    }

    fn update(&mut self, ext: &[i64], syn: &[i64], fired: &mut Vec<u32>) {
        for &(start, end, set) in &self.runs {
            let c = &self.coeffs[set];
            let run = Run {
                ext: &ext[start..end],
                syn: &syn[start..end],
                x1: &mut self.x1[start..end],
                x2: &mut self.x2[start..end],
                v: &mut self.v[start..end],
                m: &mut self.m[start..end],
                refractory: &mut self.refractory[start..end],
                rng: &mut self.rng[start..end],
                spiked: &mut self.spiked[start..end],
            };
            if c.noise_on || c.c2c_on {
                update_run::<true>(c, &self.sqrt, run);
            } else {
                update_run::<false>(c, &self.sqrt, run);
            }
        }
        // Spikes are rare (about 1 % of neurons per step): test eight flags at a time and
        // look inside only the words that hold one.
        for (w, flags) in self.spiked.chunks(8).enumerate() {
            let mut word = [0u8; 8];
            word[..flags.len()].copy_from_slice(flags);
            let mut bits = u64::from_le_bytes(word);
            while bits != 0 {
                let byte = bits.trailing_zeros() / 8;
                fired.push((w * 8) as u32 + byte);
                bits &= !(0xFFu64 << (byte * 8));
            }
        }
    }

    fn probe(&self, i: usize) -> Probe {
        Probe {
            x1: qx_to_f64(self.x1[i]),
            x2: qx_to_f64(self.x2[i]),
            v: q_to_volts(self.v[i]),
            m: f64::from(self.m[i]) / f64::from(ONE_M),
            refractory: self.refractory[i],
        }
    }

    fn input_volts(ext: i64, syn: i64) -> f64 {
        q_to_volts((ext + syn).clamp(0, i64::from(U_MAX)) as i32)
    }
}

/// The f64 reference neuron array.
#[derive(Debug, Clone)]
pub struct FloatKernel {
    seed: u64,
    coeffs: Vec<FloatCoeffs>,
    set_of: Vec<u8>,
    state: Vec<FloatState>,
}

impl Kernel for FloatKernel {
    type W = f64;
    type V = f64;

    fn new(net: &Network) -> Result<Self, ParamError> {
        let n = net.neurons() as usize;
        for p in net.param_sets() {
            p.validate()?;
        }
        let mut k = FloatKernel {
            seed: net.seed(),
            coeffs: net.param_sets().iter().map(FloatCoeffs::new).collect(),
            set_of: net.param_set_of().to_vec(),
            state: vec![FloatState::default(); n],
        };
        k.reset();
        Ok(k)
    }

    fn reset(&mut self) {
        for (i, s) in self.state.iter_mut().enumerate() {
            *s = FloatState::reset(&self.coeffs[self.set_of[i] as usize], self.seed, i as u32);
        }
    }

    fn volts(v: f64) -> f64 {
        v
    }

    fn weight(v: f64) -> f64 {
        v
    }

    fn update(&mut self, ext: &[f64], syn: &[f64], fired: &mut Vec<u32>) {
        for (i, s) in self.state.iter_mut().enumerate() {
            let u = Self::input_volts(ext[i], syn[i]);
            if neuron_f64::step(&self.coeffs[self.set_of[i] as usize], s, u) {
                fired.push(i as u32);
            }
        }
    }

    fn probe(&self, i: usize) -> Probe {
        let s = &self.state[i];
        Probe {
            x1: s.x1,
            x2: s.x2,
            v: s.v,
            m: s.m,
            refractory: u32::from(s.refractory),
        }
    }

    fn input_volts(ext: f64, syn: f64) -> f64 {
        (ext + syn).clamp(0.0, 4.0)
    }
}
