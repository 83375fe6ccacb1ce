//! Neuron arrays in structure-of-arrays form: the fixed-point one (bit-exact, the reference
//! for the hardware) and the f64 one. Each updates all neurons of one step.

use std::sync::Arc;

use crate::coef_set::FixedCoeffs;
use crate::delivery::{Accumulate, Volt};
use crate::fixed::{q_to_volts, qx_to_f64, volts_to_q, ONE_M, U_MAX};
use crate::network::Network;
use crate::neuron_f64::{self, FloatCoeffs, FloatState};
use crate::neuron_fixed::{self, FixedState};
use crate::params::ParamError;
use crate::tables::{sqrt_table, TABLE_ENTRIES};
use crate::weight_code::stored_q;

#[cfg(target_arch = "x86_64")]
mod narrow_avx2;

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
    /// Take `net`'s parameters (its parameter sets and which neuron has which) from the next
    /// update on, keeping every neuron's state; `net` has this array's neurons.
    fn set_params(&mut self, net: &Network) -> Result<(), ParamError>;
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
    /// Update with `threads` threads; the same result for any count.
    fn set_threads(&mut self, threads: usize) -> Result<(), String> {
        match threads {
            1 => Ok(()),
            _ => Err(format!("threads: this neuron array runs in one thread, not {threads}")),
        }
    }
}

/// The widest vector extension the fixed-point loop uses. The loop is compiled once for each
/// and the kernel runs the widest the CPU has (detected at run time), so one binary is both
/// portable and fast; every level computes the same bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Vector {
    /// The x86-64 baseline (SSE2), or any other architecture's default.
    Baseline,
    /// AVX2 with FMA, BMI1/2, LZCNT and POPCNT (x86-64-v3).
    Avx2,
    /// AVX-512 F/BW/VL/DQ on top of AVX2 (x86-64-v4).
    Avx512,
}

impl Vector {
    /// The widest level this CPU has.
    pub fn detect() -> Vector {
        #[cfg(target_arch = "x86_64")]
        {
            let v3 = is_x86_feature_detected!("avx2")
                && is_x86_feature_detected!("fma")
                && is_x86_feature_detected!("bmi1")
                && is_x86_feature_detected!("bmi2")
                && is_x86_feature_detected!("lzcnt")
                && is_x86_feature_detected!("popcnt");
            let v4 = v3
                && is_x86_feature_detected!("avx512f")
                && is_x86_feature_detected!("avx512bw")
                && is_x86_feature_detected!("avx512vl")
                && is_x86_feature_detected!("avx512dq");
            if v4 {
                return Vector::Avx512;
            }
            if v3 {
                return Vector::Avx2;
            }
        }
        Vector::Baseline
    }

    /// Its name, as `memfire bench` prints it.
    pub fn name(self) -> &'static str {
        match self {
            Vector::Baseline => "baseline",
            Vector::Avx2 => "AVX2",
            Vector::Avx512 => "AVX-512",
        }
    }
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
    vector: Vector,
    /// Worker threads beside the caller's, when the update is split into blocks.
    pool: Option<Arc<rayon::ThreadPool>>,
}

/// Neurons per block below which another thread costs more than it saves. Handing a block to
/// a worker and back costs a wake-up every step: ~5 µs when the worker is still spinning, up
/// to ~60 µs on a virtual machine whose idle CPU the hypervisor has parked (measured on the
/// 2-core CI machines), against ~0.1 ms for 32 Ki neurons at 3e8 updates/s.
const MIN_BLOCK: usize = 32 * 1024;

impl FixedKernel {
    /// Use vector level `v` (for comparing levels); refused if this CPU lacks it.
    pub fn set_vector(&mut self, v: Vector) -> Result<(), String> {
        let have = Vector::detect();
        if v > have {
            return Err(format!("this CPU has {} at most, not {}", have.name(), v.name()));
        }
        self.vector = v;
        Ok(())
    }

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

impl<'a> Run<'a> {
    fn len(&self) -> usize {
        self.x1.len()
    }

    /// Neurons `..mid` and `mid..`.
    fn split_at(self, mid: usize) -> (Run<'a>, Run<'a>) {
        let (ext, ext_b) = self.ext.split_at(mid);
        let (syn, syn_b) = self.syn.split_at(mid);
        let (x1, x1_b) = self.x1.split_at_mut(mid);
        let (x2, x2_b) = self.x2.split_at_mut(mid);
        let (v, v_b) = self.v.split_at_mut(mid);
        let (m, m_b) = self.m.split_at_mut(mid);
        let (refractory, refractory_b) = self.refractory.split_at_mut(mid);
        let (rng, rng_b) = self.rng.split_at_mut(mid);
        let (spiked, spiked_b) = self.spiked.split_at_mut(mid);
        (
            Run {
                ext,
                syn,
                x1,
                x2,
                v,
                m,
                refractory,
                rng,
                spiked,
            },
            Run {
                ext: ext_b,
                syn: syn_b,
                x1: x1_b,
                x2: x2_b,
                v: v_b,
                m: m_b,
                refractory: refractory_b,
                rng: rng_b,
                spiked: spiked_b,
            },
        )
    }

    /// Neurons `lo..hi`.
    fn sub(&mut self, lo: usize, hi: usize) -> Run<'_> {
        Run {
            ext: &self.ext[lo..hi],
            syn: &self.syn[lo..hi],
            x1: &mut self.x1[lo..hi],
            x2: &mut self.x2[lo..hi],
            v: &mut self.v[lo..hi],
            m: &mut self.m[lo..hi],
            refractory: &mut self.refractory[lo..hi],
            rng: &mut self.rng[lo..hi],
            spiked: &mut self.spiked[lo..hi],
        }
    }
}

/// What every block of an update reads.
#[derive(Clone, Copy)]
struct Shared<'a> {
    coeffs: &'a [FixedCoeffs],
    sqrt: &'a [u32; TABLE_ENTRIES],
    runs: &'a [(usize, usize, usize)],
    vector: Vector,
}

impl Shared<'_> {
    /// Update the neurons of `block`, which starts at neuron `start`, run by run.
    fn update(&self, start: usize, mut block: Run<'_>) {
        let end = start + block.len();
        let first = self.runs.partition_point(|&(_, run_end, _)| run_end <= start);
        for &(run_start, run_end, set) in &self.runs[first..] {
            if run_start >= end {
                break;
            }
            let (lo, hi) = (run_start.max(start) - start, run_end.min(end) - start);
            let c = &self.coeffs[set];
            let (v, sqrt, run) = (self.vector, self.sqrt, block.sub(lo, hi));
            match (c.noise_on, c.c2c_on) {
                (false, false) => update_run::<false, false>(v, c, sqrt, run),
                (true, false) => update_run::<true, false>(v, c, sqrt, run),
                (false, true) => update_run::<false, true>(v, c, sqrt, run),
                (true, true) => update_run::<true, true>(v, c, sqrt, run),
            }
        }
    }
}

/// `update_run_body` compiled for the vector level `vector`.
#[allow(unsafe_code)]
fn update_run<const NOISE: bool, const C2C: bool>(
    vector: Vector,
    c: &FixedCoeffs,
    sqrt: &[u32; TABLE_ENTRIES],
    run: Run<'_>,
) {
    #[cfg(target_arch = "x86_64")]
    match vector {
        // SAFETY: `FixedKernel` sets `vector` only to a level `Vector::detect` found on this
        // CPU (`new`, `set_vector`), and these functions need no more than that level's
        // features.
        Vector::Avx512 => return unsafe { update_run_avx512::<NOISE, C2C>(c, sqrt, run) },
        Vector::Avx2 if narrow_avx2::fits(c) => {
            let mut run = run;
            // SAFETY: as above (`Vector::Avx2` is on this CPU, and the function needs no more).
            let done = unsafe { narrow_avx2::update_run::<NOISE, C2C>(c, &mut run) };
            let len = run.len();
            // SAFETY: as above.
            return unsafe { update_run_avx2::<NOISE, C2C>(c, sqrt, run.sub(done, len)) };
        }
        // SAFETY: as above.
        Vector::Avx2 => return unsafe { update_run_avx2::<NOISE, C2C>(c, sqrt, run) },
        Vector::Baseline => {}
    }
    update_run_body::<NOISE, C2C>(c, sqrt, run);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma,bmi1,bmi2,lzcnt,popcnt")]
fn update_run_avx2<const NOISE: bool, const C2C: bool>(c: &FixedCoeffs, sqrt: &[u32; TABLE_ENTRIES], run: Run<'_>) {
    update_run_body::<NOISE, C2C>(c, sqrt, run);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512dq,avx2,fma,bmi1,bmi2,lzcnt,popcnt")]
fn update_run_avx512<const NOISE: bool, const C2C: bool>(c: &FixedCoeffs, sqrt: &[u32; TABLE_ENTRIES], run: Run<'_>) {
    update_run_body::<NOISE, C2C>(c, sqrt, run);
}

/// Update every neuron of `run` by one step, with the noise switches of its parameter set
/// fixed at compile time: the body is branch-free and the loop vectorises.
#[inline(always)]
fn update_run_body<const NOISE: bool, const C2C: bool>(c: &FixedCoeffs, sqrt: &[u32; TABLE_ENTRIES], run: Run<'_>) {
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
        spiked[i] = u8::from(neuron_fixed::step_as::<NOISE, C2C>(c, sqrt, &mut s, u));
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
            vector: Vector::detect(),
            pool: None,
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

    fn set_params(&mut self, net: &Network) -> Result<(), ParamError> {
        debug_assert_eq!(net.neurons() as usize, self.x1.len());
        self.coeffs = net
            .param_sets()
            .iter()
            .map(FixedCoeffs::new)
            .collect::<Result<Vec<_>, _>>()?;
        self.set_of = net.param_set_of().to_vec();
        self.runs = runs_of(&self.set_of);
        Ok(())
    }

    fn volts(v: f64) -> i64 {
        i64::from(volts_to_q(v).unwrap_or(0))
    }

    fn weight(v: f64) -> i32 {
        stored_q(v).unwrap_or(0)
    }

    fn update(&mut self, ext: &[i64], syn: &[i64], fired: &mut Vec<u32>) {
        let n = self.x1.len();
        let shared = Shared {
            coeffs: &self.coeffs,
            sqrt: &self.sqrt,
            runs: &self.runs,
            vector: self.vector,
        };
        let all = Run {
            ext: &ext[..n],
            syn: &syn[..n],
            x1: &mut self.x1,
            x2: &mut self.x2,
            v: &mut self.v,
            m: &mut self.m,
            refractory: &mut self.refractory,
            rng: &mut self.rng,
            spiked: &mut self.spiked,
        };
        match &self.pool {
            Some(pool) if n >= 2 * MIN_BLOCK => {
                // Equal blocks, a multiple of 64 neurons each (whole cache lines of every
                // array); the caller's thread takes the last.
                let threads = pool.current_num_threads() + 1;
                let block = n.div_ceil(threads).next_multiple_of(64).max(MIN_BLOCK);
                pool.in_place_scope(|scope| {
                    let (mut rest, mut start) = (all, 0);
                    while rest.len() > block {
                        let (head, tail) = rest.split_at(block);
                        let head_start = start;
                        scope.spawn(move |_| shared.update(head_start, head));
                        (rest, start) = (tail, start + block);
                    }
                    shared.update(start, rest);
                });
            }
            _ => shared.update(0, all),
        }
        collect_spikes(&self.spiked, fired);
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

    /// Update with `threads` threads (the caller's and `threads − 1` workers), each taking a
    /// contiguous block of neurons; 1 = in the caller's thread only. The result is the same
    /// for any count: each neuron's update reads only its own state and input, and spikes
    /// are listed in neuron order after every block is done.
    fn set_threads(&mut self, threads: usize) -> Result<(), String> {
        if threads == 0 {
            return Err("threads: at least 1".into());
        }
        self.pool = if threads == 1 {
            None
        } else {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads - 1)
                .thread_name(|i| format!("memfire-model-{i}"))
                .build()
                .map_err(|e| format!("threads: could not start {} worker threads: {e}", threads - 1))?;
            Some(Arc::new(pool))
        };
        Ok(())
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

    fn set_params(&mut self, net: &Network) -> Result<(), ParamError> {
        debug_assert_eq!(net.neurons() as usize, self.state.len());
        for p in net.param_sets() {
            p.validate()?;
        }
        self.coeffs = net.param_sets().iter().map(FloatCoeffs::new).collect();
        self.set_of = net.param_set_of().to_vec();
        Ok(())
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

/// Append the index of every non-zero flag to `fired`, ascending. Spikes are rare (about 1 %
/// of neurons per step): eight flags are tested at a time, read straight from the slice (a
/// copy through a stack buffer made every word wait on its store), and only a word that
/// holds one is looked inside.
fn collect_spikes(flags: &[u8], fired: &mut Vec<u32>) {
    let words = flags.chunks_exact(8);
    let tail = words.remainder();
    for (w, word) in words.enumerate() {
        let mut bits = u64::from_le_bytes(word.try_into().expect("chunks of eight"));
        while bits != 0 {
            let byte = bits.trailing_zeros() / 8;
            fired.push((w * 8) as u32 + byte);
            bits &= !(0xFFu64 << (byte * 8));
        }
    }
    let tail_start = flags.len() - tail.len();
    fired.extend((tail_start..flags.len()).filter(|&i| flags[i] != 0).map(|i| i as u32));
}

#[cfg(test)]
mod tests {
    use super::collect_spikes;
    use crate::rng::xorshift32;

    /// Random flags of every length up to 40 (whole words and tails), each flag set one time
    /// in four, against a plain filter.
    #[test]
    fn spikes_are_collected_in_order_from_words_and_tail() {
        let mut r = 12345u32;
        for len in 0..=40 {
            for _ in 0..50 {
                let flags: Vec<u8> = (0..len)
                    .map(|_| {
                        r = xorshift32(r);
                        u8::from(r.is_multiple_of(4))
                    })
                    .collect();
                let want: Vec<u32> = (0..len as u32).filter(|&i| flags[i as usize] != 0).collect();
                let mut got = vec![7];
                collect_spikes(&flags, &mut got);
                assert_eq!(got[1..], want[..], "flags {flags:?}");
            }
        }
    }
}
