//! The fixed-point update of one run of neurons with AVX2, eight neurons to an instruction in
//! 32-bit lanes: the same bits as `neuron_fixed::step`, with about half the instructions of
//! the compiler's own vectorisation of that function, which keeps every product, shift and
//! clamp in 64-bit lanes (four neurons to an instruction, and AVX2 has no 64-bit min, max or
//! arithmetic shift, so each clamp there is a compare and a blend).
//!
//! Every product is formed in 64 bits (`vpmuldq`, signed 32 × 32 → 64, once for the even
//! lanes and once for the odd), rounded and shifted right there, and its low 32 bits kept. A
//! logical shift by s ≤ 32 leaves the same low 32 bits as the arithmetic one, so that is
//! exact whenever the rounded result fits 32 bits. [`fits`] checks that it does for every
//! coefficient of a parameter set, from its mantissa's width and its shift (every operand is a
//! 25-bit word or narrower), with room to spare for the sums that follow: the default
//! parameters' coefficients shift by 17 to 31 and leave their products at ≤ 25 bits. The
//! drive law's product (a 17-bit table word over a shift of 10 by default) can pass 32 bits,
//! so it is saturated against its bounds in 64 bits before it is narrowed. Parameter sets
//! outside those bounds run the general loop.
//!
//! The random streams run eight at a time too: xorshift32 in 32-bit lanes, the Gaussian's
//! byte sum as two multiply-adds (`vpmaddubsw`, `vpmaddwd`), the square root's leading zeros
//! from an f32 exponent like the drive index's and its table word from f32's square root.
//!
//! Two things follow from a group's long chain of dependent instructions (state, drive law,
//! three products in a row, the noise, the spike test): a multiply that is known to be by 1
//! is skipped (`g1·m` where c2c has not redrawn m), and with noise the update goes in two
//! passes over blocks of neurons, so the core has several groups' short chains in flight
//! rather than one long one (`docs/architecture.md`, "What bounds the throughput").

#![allow(unsafe_code)]

use std::arch::x86_64::*;

use crate::coef_set::{FixedCoeffs, NOISE_EXTRA_BITS};
use crate::coefficient::{Coef, MAX_SHIFT};
use crate::fixed::{M_FRAC, M_MAX, M_MIN, ONE_M, ONE_X, SAT_MAX, SAT_MIN, STATE_BITS, U_MAX, X1_MAX, X_FRAC};
use crate::rng::XI_MEAN;
use crate::tables::{DRIVE_ENTRIES, SQRT_FRAC};

use super::Run;

/// Neurons to an iteration: eight 32-bit lanes of a 256-bit register.
pub(super) const LANES: usize = 8;

/// Bits a rounded product may take, so the sums after it stay inside 32 bits (the residue's
/// `x2 − leak + res` adds two of them to a 25-bit word).
const PRODUCT_BITS: u32 = 29;

/// Whether parameter set `c` runs here: every coefficient's rounded product of a 25-bit
/// operand within [`PRODUCT_BITS`] (the module's comment says why). The c2c coefficient's
/// operand is an 11-bit draw, so any shift fits.
pub(super) fn fits(c: &FixedCoeffs) -> bool {
    let narrow = |k: &Coef| {
        let mantissa_bits = 32 - k.mantissa.unsigned_abs().leading_zeros();
        k.shift <= MAX_SHIFT && mantissa_bits + STATE_BITS <= k.shift + PRODUCT_BITS
    };
    let noise = [c.k_noise];
    let used = if c.noise_on { &noise[..] } else { &[] };
    c.drive.shift <= MAX_SHIFT
        && c.k_c2c.shift <= MAX_SHIFT
        && [c.k_grow, c.k_dec, c.k_res, c.k_x2leak, c.k_vleak, c.k_von, c.k_eta]
            .iter()
            .chain(used)
            .all(narrow)
}

/// A coefficient as the loop applies it: its mantissa in every lane, the rounding half in
/// every 64-bit lane, the shift as a count, and 32 less the shift (the odd lanes' result is
/// shifted up into place instead of down and back up).
#[derive(Clone, Copy)]
struct Lanes {
    mantissa: __m256i,
    half: __m256i,
    shift: __m128i,
    up: __m128i,
}

#[target_feature(enable = "avx2")]
fn lanes(mantissa: i32, shift: u32) -> Lanes {
    Lanes {
        mantissa: _mm256_set1_epi32(mantissa),
        half: _mm256_set1_epi64x((1i64 << shift) >> 1),
        shift: _mm_cvtsi32_si128(shift as i32),
        up: _mm_cvtsi32_si128(32 - shift as i32),
    }
}

/// The even and odd lanes' rounded 64-bit products (`p + half`) shifted right by `k.shift`
/// into one register of eight 32-bit results: the odd lanes' `(p + half) << (32 − shift)`
/// holds the same 32 bits as `((p + half) >> shift) << 32` in its high half (shift ≤ 32).
#[target_feature(enable = "avx2")]
fn shift_pair(even: __m256i, odd: __m256i, k: Lanes) -> __m256i {
    _mm256_blend_epi32::<0b1010_1010>(_mm256_srl_epi64(even, k.shift), _mm256_sll_epi64(odd, k.up))
}

/// `round_shift(a · b, k.shift)` per lane, its low 32 bits (exact when it fits: see [`fits`]).
#[target_feature(enable = "avx2")]
fn mul_round(a: __m256i, b: __m256i, k: Lanes) -> __m256i {
    let even = _mm256_mul_epi32(a, b);
    let odd = _mm256_mul_epi32(_mm256_srli_epi64::<32>(a), _mm256_srli_epi64::<32>(b));
    shift_pair(_mm256_add_epi64(even, k.half), _mm256_add_epi64(odd, k.half), k)
}

/// [`mul_round`] by the coefficient itself (`b` the same in every lane, so its odd lanes
/// need no shift down).
#[target_feature(enable = "avx2")]
fn mul_coef(a: __m256i, k: Lanes) -> __m256i {
    let even = _mm256_mul_epi32(a, k.mantissa);
    let odd = _mm256_mul_epi32(_mm256_srli_epi64::<32>(a), k.mantissa);
    shift_pair(_mm256_add_epi64(even, k.half), _mm256_add_epi64(odd, k.half), k)
}

/// `sat25(round_shift(a · b, k.shift))` per lane for products that may pass 32 bits: the
/// saturation is decided on the 64-bit sum before the shift (`(p + half) >> s` exceeds
/// `SAT_MAX` exactly when `p + half ≥ 2^24 · 2^s`, and is below `SAT_MIN` exactly when
/// `p + half < −2^24 · 2^s`), the rest is [`mul_round`]'s.
#[target_feature(enable = "avx2")]
fn mul_round_sat25(a: __m256i, b: __m256i, k: Lanes, above: __m256i, below: __m256i) -> __m256i {
    let even = _mm256_add_epi64(_mm256_mul_epi32(a, b), k.half);
    let odd = _mm256_add_epi64(
        _mm256_mul_epi32(_mm256_srli_epi64::<32>(a), _mm256_srli_epi64::<32>(b)),
        k.half,
    );
    // A 64-bit lane's mask covers both its 32-bit halves, so the even and odd masks blend
    // into one mask per 32-bit lane like the values do.
    let high = _mm256_blend_epi32::<0b1010_1010>(_mm256_cmpgt_epi64(even, above), _mm256_cmpgt_epi64(odd, above));
    let low = _mm256_blend_epi32::<0b1010_1010>(_mm256_cmpgt_epi64(below, even), _mm256_cmpgt_epi64(below, odd));
    let r = _mm256_blendv_epi8(shift_pair(even, odd, k), _mm256_set1_epi32(SAT_MAX as i32), high);
    _mm256_blendv_epi8(r, _mm256_set1_epi32(SAT_MIN as i32), low)
}

/// `sat25` per 32-bit lane.
#[target_feature(enable = "avx2")]
fn sat25(a: __m256i) -> __m256i {
    _mm256_max_epi32(
        _mm256_min_epi32(a, _mm256_set1_epi32(SAT_MAX as i32)),
        _mm256_set1_epi32(SAT_MIN as i32),
    )
}

/// `a.max(lo).min(hi)` per 32-bit lane (the model's order).
#[target_feature(enable = "avx2")]
fn max_min(a: __m256i, lo: __m256i, hi: __m256i) -> __m256i {
    _mm256_min_epi32(_mm256_max_epi32(a, lo), hi)
}

/// `clamp(a, 0, U_MAX)` of eight `i64` (two 256-bit halves, in order) as eight 32-bit
/// lanes: the low and the high words each gathered into one register (a shuffle within
/// each 128-bit half and a 64-bit permute restoring the order); a negative high word gives
/// 0, a positive one `U_MAX`, a zero one the low word's unsigned minimum with `U_MAX`.
#[target_feature(enable = "avx2")]
fn clamp_u(lo: __m256i, hi: __m256i) -> __m256i {
    let (lo, hi) = (_mm256_castsi256_ps(lo), _mm256_castsi256_ps(hi));
    let words = |picked: __m256| _mm256_permute4x64_epi64::<0b11_01_10_00>(_mm256_castps_si256(picked));
    let low = words(_mm256_shuffle_ps::<0b10_00_10_00>(lo, hi));
    let high = words(_mm256_shuffle_ps::<0b11_01_11_01>(lo, hi));
    let zero = _mm256_setzero_si256();
    let above = _mm256_cmpgt_epi32(high, zero);
    let below = _mm256_cmpgt_epi32(zero, high);
    let u = _mm256_min_epu32(_mm256_or_si256(low, above), _mm256_set1_epi32(U_MAX));
    _mm256_andnot_si256(below, u)
}

/// The drive table's index for eight `e = |1 − x|` (`tables::drive_index`). The leading
/// zeros come from the exponent of `e` converted to f32, exact for `e < 2^24`; `e = 0` gives
/// a count past 23 where the scalar gives 23, and both mean the linear segment.
#[target_feature(enable = "avx2")]
fn drive_index(e: __m256i) -> __m256i {
    let e = _mm256_min_epi32(e, _mm256_set1_epi32(ONE_X - 1));
    let exponent = _mm256_srli_epi32::<23>(_mm256_castps_si256(_mm256_cvtepi32_ps(e)));
    // leading zeros inside the 23-bit field: 31 − (exponent − 127) − 9
    let lz = _mm256_sub_epi32(_mm256_set1_epi32(149), exponent);
    let seg = _mm256_min_epi32(lz, _mm256_set1_epi32(7));
    let log_shift = _mm256_sub_epi32(_mm256_set1_epi32(15), _mm256_min_epi32(seg, _mm256_set1_epi32(6)));
    let bins = _mm256_set1_epi32(127);
    let log_bins = _mm256_and_si256(_mm256_srlv_epi32(e, log_shift), bins);
    let lin_bins = _mm256_and_si256(_mm256_srli_epi32::<9>(e), bins);
    let is_log = _mm256_cmpgt_epi32(_mm256_set1_epi32(7), lz);
    let mantissa = _mm256_blendv_epi8(lin_bins, log_bins, is_log);
    _mm256_and_si256(
        _mm256_add_epi32(_mm256_slli_epi32::<7>(seg), mantissa),
        _mm256_set1_epi32(DRIVE_ENTRIES as i32 - 1),
    )
}

/// `table[index]` for eight indices below `N`, a power of two (the callers mask them). Eight
/// scalar loads rather than `vpgatherdd`, which on the AMD Zen cores these machines have
/// took a third of the loop's time (measured: `docs/timing.md`).
#[target_feature(enable = "avx2")]
fn lookup<const N: usize>(table: &[u32; N], index: __m256i) -> __m256i {
    let mut at = [0u32; LANES];
    // SAFETY: `at` is 32 bytes, one unaligned 256-bit store.
    unsafe { _mm256_storeu_si256(at.as_mut_ptr().cast(), index) };
    let word = |lane: usize| table[at[lane] as usize & (N - 1)] as i32;
    _mm256_setr_epi32(word(0), word(1), word(2), word(3), word(4), word(5), word(6), word(7))
}

/// Neurons to a block of [`update_run`]'s two passes: its scratch words and the block's
/// states stay in the first-level cache between them.
const BLOCK: usize = 256;

/// The 32 bytes of `s` from element `at` (eight `i32`, or four `i64`).
///
/// # Safety
/// They lie within `s` (`at + 32 / size_of::<T>() ≤ s.len()`), and the CPU has AVX2.
#[target_feature(enable = "avx2")]
unsafe fn load<T>(s: &[T], at: usize) -> __m256i {
    debug_assert!((at + 32 / std::mem::size_of::<T>()) <= s.len());
    // SAFETY: the caller's.
    unsafe { _mm256_loadu_si256(s.as_ptr().add(at).cast()) }
}

/// `load`'s store.
///
/// # Safety
/// As [`load`].
#[target_feature(enable = "avx2")]
unsafe fn store<T>(s: &mut [T], at: usize, value: __m256i) {
    debug_assert!((at + 32 / std::mem::size_of::<T>()) <= s.len());
    // SAFETY: the caller's.
    unsafe { _mm256_storeu_si256(s.as_mut_ptr().add(at).cast(), value) }
}

/// `u = clamp(ext + syn, 0, U_MAX)` of the eight neurons from `at` (the spike rules form it
/// again for a group that spikes rather than keep it from the first pass).
///
/// # Safety
/// `at + 8 ≤` both slices' lengths, and the CPU has AVX2.
#[target_feature(enable = "avx2")]
unsafe fn input_at(ext: &[i64], syn: &[i64], at: usize) -> __m256i {
    // SAFETY: the caller's.
    unsafe {
        clamp_u(
            _mm256_add_epi64(load(ext, at), load(syn, at)),
            _mm256_add_epi64(load(ext, at + 4), load(syn, at + 4)),
        )
    }
}

/// `rng::xorshift32` in every lane.
#[target_feature(enable = "avx2")]
fn xorshift32(r: __m256i) -> __m256i {
    let r = _mm256_xor_si256(r, _mm256_slli_epi32::<13>(r));
    let r = _mm256_xor_si256(r, _mm256_srli_epi32::<17>(r));
    _mm256_xor_si256(r, _mm256_slli_epi32::<5>(r))
}

/// `rng::byte_sum_gauss` in every lane: its four bytes summed (pairs by an unsigned × 1
/// multiply-add into 16 bits, then the pairs by a 16-bit multiply-add), less the mean.
#[target_feature(enable = "avx2")]
fn byte_sum_gauss(r: __m256i) -> __m256i {
    let pairs = _mm256_maddubs_epi16(r, _mm256_set1_epi8(1));
    let sum = _mm256_madd_epi16(pairs, _mm256_set1_epi16(1));
    _mm256_sub_epi32(sum, _mm256_set1_epi32(XI_MEAN))
}

/// `tables::sqrt_q` of eight `a ≥ 0` (each below 2^31): normalised by the even shift that
/// brings `min(a, 2^24 − 1)` into `[2^22, 2^24)` (its leading zeros from the f32 exponent,
/// exact below 2^24), the table's word for its top 8 bits ([`sqrt_word`]), half the shift
/// undone with rounding; 0 where `a` is 0.
#[target_feature(enable = "avx2,fma")]
fn sqrt_q(a: __m256i) -> __m256i {
    let clipped = _mm256_min_epi32(a, _mm256_set1_epi32((1 << 24) - 1));
    let exponent = _mm256_srli_epi32::<23>(_mm256_castps_si256(_mm256_cvtepi32_ps(clipped)));
    // (leading zeros − 8) rounded down to even: (31 − (exponent − 127) − 8) & !1
    let shift = _mm256_and_si256(
        _mm256_sub_epi32(_mm256_set1_epi32(150), exponent),
        _mm256_set1_epi32(!1),
    );
    let index = _mm256_srli_epi32::<16>(_mm256_sllv_epi32(clipped, shift));
    let half_shift = _mm256_srli_epi32::<1>(shift);
    let word = _mm256_slli_epi32::<{ (X_FRAC - SQRT_FRAC) as i32 }>(sqrt_word(index));
    let half = _mm256_srli_epi32::<1>(_mm256_sllv_epi32(_mm256_set1_epi32(1), half_shift));
    let root = _mm256_srlv_epi32(_mm256_add_epi32(word, half), half_shift);
    _mm256_andnot_si256(_mm256_cmpeq_epi32(a, _mm256_setzero_si256()), root)
}

/// `tables::sqrt_table()[i]` for eight indices `i < 256`, computed rather than read: entry `i`
/// is `sqrt((i + 1/2) / 128)` in UQ1.16 rounded half up, that is `⌊4096·√(2i + 1) + 1/2⌋`, and
/// f32's correctly rounded square root of the exact `2i + 1` lands on the same integer for
/// every `i` (the test `computed_roots_are_the_table` checks all 256). Five instructions
/// where eight table reads take about twenty-five.
#[target_feature(enable = "avx2,fma")]
fn sqrt_word(i: __m256i) -> __m256i {
    let odd = _mm256_cvtepi32_ps(_mm256_or_si256(_mm256_slli_epi32::<1>(i), _mm256_set1_epi32(1)));
    let scaled = _mm256_fmadd_ps(_mm256_sqrt_ps(odd), _mm256_set1_ps(4096.0), _mm256_set1_ps(0.5));
    // Positive, so truncation is the floor.
    _mm256_cvttps_epi32(scaled)
}

/// Update the first `run.len() / LANES · LANES` neurons of `run` (parameter set `c`, which
/// [`fits`], with its noise switches `NOISE` and `C2C`); returns how many that is. The caller
/// updates the rest.
#[target_feature(enable = "avx2,fma,bmi1,bmi2,lzcnt,popcnt")]
pub(super) fn update_run<const NOISE: bool, const C2C: bool>(c: &FixedCoeffs, run: &mut Run<'_>) -> usize {
    debug_assert!(fits(c) && c.noise_on == NOISE && c.c2c_on == C2C);
    let n = run.len();
    let done = n / LANES * LANES;
    // Every slice at least `done` long, so each access below is in bounds.
    let (ext, syn) = (&run.ext[..done], &run.syn[..done]);
    let (x1s, x2s, vs, ms) = (
        &mut run.x1[..done],
        &mut run.x2[..done],
        &mut run.v[..done],
        &mut run.m[..done],
    );
    let (refractory, rngs, spiked) = (
        &mut run.refractory[..done],
        &mut run.rng[..done],
        &mut run.spiked[..done],
    );

    let k_grow = lanes(c.k_grow.mantissa, c.k_grow.shift);
    let k_dec = lanes(c.k_dec.mantissa, c.k_dec.shift);
    let k_res = lanes(c.k_res.mantissa, c.k_res.shift);
    let k_x2leak = lanes(c.k_x2leak.mantissa, c.k_x2leak.shift);
    let k_vleak = lanes(c.k_vleak.mantissa, c.k_vleak.shift);
    let k_von = lanes(c.k_von.mantissa, c.k_von.shift);
    let k_eta = lanes(c.k_eta.mantissa, c.k_eta.shift);
    let k_noise = lanes(c.k_noise.mantissa, c.k_noise.shift);
    let k_c2c = lanes(c.k_c2c.mantissa, c.k_c2c.shift);
    let by_noise = lanes(0, NOISE_EXTRA_BITS);
    let by_m = lanes(0, M_FRAC);
    let by_drive = lanes(0, c.drive.shift);
    let drive_above = _mm256_set1_epi64x((1i64 << (STATE_BITS - 1 + c.drive.shift)) - 1);
    let drive_below = _mm256_set1_epi64x(-(1i64 << (STATE_BITS - 1 + c.drive.shift)));
    let zero = _mm256_setzero_si256();
    let all_ones = _mm256_set1_epi32(-1);
    let one_m = _mm256_set1_epi32(ONE_M);
    let one_x = _mm256_set1_epi32(ONE_X);
    let below_one_x = _mm256_set1_epi32(ONE_X - 1);
    let x1_max = _mm256_set1_epi32(X1_MAX);
    let x2max = _mm256_set1_epi32(c.x2max);
    let refractory_steps = _mm256_set1_epi32(i32::from(c.refractory_steps));

    // The update in two parts: the first up to the filament's change without noise (`d1`,
    // kept in `d1s`) and the states a spike does not touch, the second the noise, the
    // filament, the refractory period and the spike rules.
    let mut d1s = [0i32; BLOCK];
    macro_rules! growth {
        ($base:expr, $first:expr) => {
            // SAFETY: the loops pass `base + LANES ≤ done` with `base − first < BLOCK`, and
            // every slice is `done` long, so each load and store covers its slice's elements
            // `base..base + LANES` and `d1s`'s `base − first..`; unaligned, they need no
            // alignment.
            unsafe {
                let u = input_at(ext, syn, $base);
                let (x1, x2, v, m) = (
                    load(x1s, $base),
                    load(x2s, $base),
                    load(vs, $base),
                    load(ms, $base),
                );
                // 1. drive law and growth
                let e = _mm256_abs_epi32(_mm256_sub_epi32(one_x, _mm256_add_epi32(x1, x2)));
                let drive = lookup(&c.drive.entries, drive_index(e));
                let du = _mm256_max_epi32(_mm256_sub_epi32(u, v), zero);
                let g1 = sat25(mul_coef(du, k_grow));
                // m is 1 (`ONE_M`) for every neuron unless c2c redraws it, and `g1·1` is g1.
                let m_is_one = _mm256_cmpeq_epi32(m, one_m);
                let g2 = if !C2C && _mm256_testc_si256(m_is_one, all_ones) == 1 {
                    g1
                } else {
                    sat25(mul_round(g1, m, by_m))
                };
                let grow = mul_round_sat25(g2, drive, by_drive, drive_above, drive_below);
                // 2. filament decay
                let dec = sat25(mul_coef(x1, k_dec));
                store(&mut d1s, $base - $first, _mm256_sub_epi32(grow, dec));
                // 4. residue (the spike rules add their deposit in the second pass)
                let leak2 = mul_coef(x2, k_x2leak);
                let res = mul_coef(dec, k_res);
                store(
                    x2s,
                    $base,
                    max_min(_mm256_add_epi32(_mm256_sub_epi32(x2, leak2), res), zero, x2max),
                );
                // 5. the gate's leak (a spike sets v in the second pass)
                store(vs, $base, sat25(_mm256_sub_epi32(v, mul_coef(v, k_vleak))));
            }
        };
    }
    macro_rules! spike_rules {
        ($base:expr, $first:expr) => {
            // SAFETY: as in `growth`.
            unsafe {
                let (x1, x2n, refr) = (load(x1s, $base), load(x2s, $base), load(refractory, $base));
                let mut d1 = load(&d1s, $base - $first);
                // 3. ionic noise: d1 += sqrt(sigma1·|d1|)·xi
                let mut rng = if NOISE || C2C { load(rngs, $base) } else { zero };
                if NOISE {
                    rng = xorshift32(rng);
                    let xi = byte_sum_gauss(rng);
                    let scaled = sat25(mul_coef(sqrt_q(_mm256_abs_epi32(d1)), k_noise));
                    d1 = _mm256_add_epi32(d1, mul_round(scaled, xi, by_noise));
                }
                // 5. filament
                let x1n = max_min(_mm256_add_epi32(x1, d1), zero, x1_max);
                // 6. absolute refractory period: all ones where it runs, which also counts it down
                let running = _mm256_xor_si256(_mm256_cmpeq_epi32(refr, zero), all_ones);
                let x1n = _mm256_andnot_si256(running, x1n);
                let refr = _mm256_add_epi32(refr, running);
                // 7. threshold and spike rules: most groups of eight have no spike, and skip them
                let spike = _mm256_cmpgt_epi32(_mm256_add_epi32(x1n, x2n), below_one_x);
                if _mm256_testz_si256(spike, spike) == 1 {
                    store(x1s, $base, x1n);
                    store(refractory, $base, refr);
                    if NOISE {
                        store(rngs, $base, rng);
                    }
                    _mm_storel_epi64(spiked.as_mut_ptr().add($base).cast(), _mm_setzero_si128());
                } else {
                    let u = input_at(ext, syn, $base);
                    let v_spike = sat25(mul_coef(u, k_von));
                    let deposit = mul_coef(_mm256_sub_epi32(x2max, x2n), k_eta);
                    let x2_spike = max_min(_mm256_add_epi32(x2n, deposit), zero, x2max);
                    store(vs, $base, _mm256_blendv_epi8(load(vs, $base), v_spike, spike));
                    store(x1s, $base, _mm256_andnot_si256(spike, x1n));
                    store(x2s, $base, _mm256_blendv_epi8(x2n, x2_spike, spike));
                    store(
                        refractory,
                        $base,
                        _mm256_blendv_epi8(refr, refractory_steps, spike),
                    );
                    if C2C {
                        // m = clamp(1 + c2c·xi) from the stream's next draw, kept where it spiked
                        let drawn = xorshift32(rng);
                        let spread = mul_coef(byte_sum_gauss(drawn), k_c2c);
                        let m_drawn = max_min(
                            _mm256_add_epi32(_mm256_set1_epi32(ONE_M), spread),
                            _mm256_set1_epi32(M_MIN),
                            _mm256_set1_epi32(M_MAX),
                        );
                        rng = _mm256_blendv_epi8(rng, drawn, spike);
                        store(ms, $base, _mm256_blendv_epi8(load(ms, $base), m_drawn, spike));
                    }
                    if NOISE || C2C {
                        store(rngs, $base, rng);
                    }
                    // The spike masks (all ones or zero) packed to bytes with signed saturation, each
                    // 128-bit half's four in its low bytes, then 1 or 0 into `spiked`.
                    let words = _mm256_packs_epi32(spike, spike);
                    let bytes = _mm256_packs_epi16(words, words);
                    let flags = _mm_unpacklo_epi32(
                        _mm256_castsi256_si128(bytes),
                        _mm256_extracti128_si256::<1>(bytes),
                    );
                    _mm_storel_epi64(
                        spiked.as_mut_ptr().add($base).cast(),
                        _mm_and_si128(flags, _mm_set1_epi8(1)),
                    );
                }
            }
        };
    }
    for first in (0..done).step_by(BLOCK) {
        let last = (first + BLOCK).min(done);
        if NOISE {
            // With noise the dependent chain through one group's update is longer than the
            // core's reorder window holds; as two passes over the block, each with half the
            // chain, the core overlaps several groups.
            for base in (first..last).step_by(LANES) {
                growth!(base, first);
            }
            for base in (first..last).step_by(LANES) {
                spike_rules!(base, first);
            }
        } else {
            for base in (first..last).step_by(LANES) {
                growth!(base, first);
                spike_rules!(base, first);
            }
        }
    }
    done
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixed::X1_MAX;
    use crate::neuron_fixed::{step, FixedState};
    use crate::params::NeuronParams;
    use crate::rng::xorshift32 as next;
    use crate::tables::{sqrt_table, TABLE_ENTRIES};

    /// The computed square-root words against the spec's table, every entry.
    #[test]
    fn computed_roots_are_the_table() {
        if !is_x86_feature_detected!("avx2") || !is_x86_feature_detected!("fma") {
            eprintln!("skipped: this CPU has no AVX2 and FMA");
            return;
        }
        let table = sqrt_table();
        for first in (0..TABLE_ENTRIES).step_by(LANES) {
            let mut words = [0u32; LANES];
            // SAFETY: the CPU has AVX2 and FMA (checked above); `words` is 32 bytes.
            unsafe {
                let index = _mm256_add_epi32(
                    _mm256_set1_epi32(first as i32),
                    _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7),
                );
                _mm256_storeu_si256(words.as_mut_ptr().cast(), sqrt_word(index));
            }
            assert_eq!(
                words[..],
                table[first..first + LANES],
                "entries {first}..{}",
                first + LANES
            );
        }
    }

    /// Random parameter sets (coefficients anywhere [`fits`] allows, drive tables of any
    /// words and shift, each noise switch) and random states and inputs at and past every
    /// clamp, eight-lane update against the scalar one, neuron by neuron.
    #[test]
    fn eight_lanes_give_the_scalar_bits() {
        if !is_x86_feature_detected!("avx2") {
            eprintln!("skipped: this CPU has no AVX2");
            return;
        }
        let seed: u32 = std::env::var("MEMFIRE_SEED").map_or(7, |s| s.parse().expect("MEMFIRE_SEED is a number"));
        let mut r = seed | 1;
        // A draw in 0..n (n ≤ 2^40).
        let mut draw = |n: i64| {
            r = next(r);
            ((u128::from(r) * n as u128) >> 32) as i64
        };
        let sqrt = sqrt_table();
        let mut sets_run = 0;
        for set in 0..5000 {
            let p = NeuronParams {
                sigma1: if set % 2 == 1 { 1e-3 } else { 0.0 },
                c2c: if set % 4 >= 2 { 0.2 } else { 0.0 },
                ..NeuronParams::default()
            };
            let mut c = FixedCoeffs::new(&p).expect("default parameters");
            let coef = |draw: &mut dyn FnMut(i64) -> i64| {
                let mantissa = (draw(1 << 18) - (1 << 17)) as i32;
                Coef {
                    mantissa,
                    shift: draw(i64::from(MAX_SHIFT) + 1) as u32,
                }
            };
            for k in [
                &mut c.k_grow,
                &mut c.k_dec,
                &mut c.k_res,
                &mut c.k_x2leak,
                &mut c.k_vleak,
                &mut c.k_von,
                &mut c.k_eta,
                &mut c.k_noise,
                &mut c.k_c2c,
            ] {
                if draw(2) == 0 {
                    *k = coef(&mut draw);
                }
            }
            if draw(2) == 0 {
                c.drive.shift = draw(17) as u32;
                for e in c.drive.entries.iter_mut() {
                    *e = draw(1 << 17) as u32;
                }
            }
            c.x2max = draw(i64::from(ONE_X)) as i32;
            c.refractory_steps = draw(4) as u16;
            // Every tenth set holds x1 and x2 still (no growth, decay or leak) and starts
            // them at the threshold's edges.
            let still = set % 10 == 0;
            if still {
                for k in [&mut c.k_grow, &mut c.k_dec, &mut c.k_x2leak, &mut c.k_noise] {
                    k.mantissa = 0;
                }
            }
            if !fits(&c) {
                continue;
            }
            sets_run += 1;
            // Every tenth run past a block's end (the two passes go block by block).
            let n = 8 * 5 + draw(8) as usize + if set % 10 == 0 { BLOCK } else { 0 };
            let wide = |draw: &mut dyn FnMut(i64) -> i64| match draw(4) {
                0 => draw(1 << 40) - (1 << 39),
                _ => draw(3 << 24) - (1 << 24),
            };
            let ext: Vec<i64> = (0..n).map(|_| wide(&mut draw)).collect();
            let syn: Vec<i64> = (0..n).map(|_| wide(&mut draw)).collect();
            let mut want: Vec<FixedState> = (0..n)
                .map(|_| {
                    let x2 = draw(i64::from(c.x2max) + 1) as i32;
                    let x1 = match still {
                        true => (ONE_X - x2 + draw(3) as i32 - 1).clamp(0, X1_MAX),
                        false => draw(i64::from(X1_MAX) + 1) as i32,
                    };
                    FixedState {
                        x1,
                        x2,
                        v: (draw(1 << 25) - (1 << 24)) as i32,
                        // m = 1 everywhere in every third set (the loop then skips `g1·m`),
                        // else drawn, each neuron's or 1 at even odds.
                        m: match set % 3 == 0 || draw(2) == 0 {
                            true => ONE_M,
                            false => (i64::from(M_MIN) + draw(i64::from(M_MAX - M_MIN) + 1)) as i32,
                        },
                        refractory: if still { 0 } else { draw(3) as u32 },
                        rng: draw(1 << 32).max(1) as u32,
                    }
                })
                .collect();
            let (mut x1, mut x2, mut v, mut m): (Vec<i32>, Vec<i32>, Vec<i32>, Vec<i32>) = (
                want.iter().map(|s| s.x1).collect(),
                want.iter().map(|s| s.x2).collect(),
                want.iter().map(|s| s.v).collect(),
                want.iter().map(|s| s.m).collect(),
            );
            let mut refractory: Vec<u32> = want.iter().map(|s| s.refractory).collect();
            let mut rng: Vec<u32> = want.iter().map(|s| s.rng).collect();
            let mut spiked = vec![0u8; n];
            let mut run = Run {
                ext: &ext,
                syn: &syn,
                x1: &mut x1,
                x2: &mut x2,
                v: &mut v,
                m: &mut m,
                refractory: &mut refractory,
                rng: &mut rng,
                spiked: &mut spiked,
            };
            // SAFETY: AVX2 is on this CPU (checked above).
            let done = unsafe {
                match (c.noise_on, c.c2c_on) {
                    (false, false) => update_run::<false, false>(&c, &mut run),
                    (true, false) => update_run::<true, false>(&c, &mut run),
                    (false, true) => update_run::<false, true>(&c, &mut run),
                    (true, true) => update_run::<true, true>(&c, &mut run),
                }
            };
            assert_eq!(done, n / LANES * LANES);
            for i in 0..done {
                let u = (ext[i] + syn[i]).clamp(0, i64::from(U_MAX)) as i32;
                let fired = step(&c, &sqrt, &mut want[i], u);
                let got = FixedState {
                    x1: x1[i],
                    x2: x2[i],
                    v: v[i],
                    m: m[i],
                    refractory: refractory[i],
                    rng: rng[i],
                };
                assert_eq!(got, want[i], "seed {seed}, set {set} ({c:?}), neuron {i}, u {u}");
                assert_eq!(spiked[i], u8::from(fired), "seed {seed}, set {set}, neuron {i}: spike");
            }
        }
        assert!(
            sets_run > 1000,
            "seed {seed}: only {sets_run} parameter sets fit the lanes"
        );
    }
}
