//! Synaptic weights as the synapse memories store them: a 14-bit floating-point code.
//!
//! A synapse memory word holds the target, the width class and the weight, and its width
//! decides how many synapses a board holds (the benchmark network's 102 400 fit an
//! LFE5U-85F only at 27 bits a synapse). A weight therefore keeps 14 bits, not the 25 of a
//! Q2.22 voltage, and as a float, so that small weights keep their relative precision:
//!
//! - bit 13: sign (1 = inhibitory);
//! - bits 12..9: exponent `e`, 0..=15;
//! - bits 8..0: mantissa `f`, 0..=511.
//!
//! The magnitude in Q2.22 LSBs is `f` when `e = 0` and `(512 + f) << (e − 1)` otherwise:
//! every magnitude below 1024 LSB (2^-12 V) exactly, above it 10 significant bits, so the
//! rounding error is at most 2^-10 of the weight (≤ 0.098 %), and at most half an LSB
//! (2^-23 V) below. The largest magnitude is `1023 << 14` = 3.99609 V; a weight between it
//! and 4 V is stored as it.
//!
//! Every backend (the fixed-point model, the FPGA, the driver's corrections of live weight
//! changes) uses the weight this code stores, so they agree spike for spike; the f64 model
//! of the model document keeps the exact weight, and `memfire params` reports the
//! difference.

use crate::fixed::{q_to_volts, volts_to_q, V_FRAC};

/// Bits of a weight code.
pub const WEIGHT_CODE_BITS: u32 = 14;
/// Bits of the mantissa (the leading one of a normal code is implied).
pub const WEIGHT_MANTISSA_BITS: u32 = 9;
/// The sign bit of a code.
pub const WEIGHT_SIGN: u16 = 1 << (WEIGHT_CODE_BITS - 1);
/// The largest exponent.
pub const WEIGHT_EXP_MAX: u32 = 15;
/// The largest stored magnitude, Q2.22 LSBs (3.99609 V).
pub const WEIGHT_MAG_MAX: i32 = ((2 << WEIGHT_MANTISSA_BITS) - 1) << (WEIGHT_EXP_MAX - 1);
/// The worst relative rounding error of a Q2.22 weight of at least 2^-12 V (a weight in
/// volts is first rounded to Q2.22, within 2^-23 V).
pub const WEIGHT_REL_ERROR: f64 = 1.0 / (2u32 << WEIGHT_MANTISSA_BITS) as f64;

const MANT_MASK: u32 = (1 << WEIGHT_MANTISSA_BITS) - 1;
const HIDDEN: u32 = 1 << WEIGHT_MANTISSA_BITS;

/// The code nearest to the Q2.22 weight `q` (ties away from zero; magnitudes above
/// [`WEIGHT_MAG_MAX`] saturate to it).
pub fn encode(q: i32) -> u16 {
    let sign = if q < 0 { WEIGHT_SIGN } else { 0 };
    let mag = q.unsigned_abs().min(WEIGHT_MAG_MAX as u32);
    if mag < 2 * HIDDEN {
        // e = 0 holds 0..511, e = 1 holds 512..1023: both exact.
        let e = mag >> WEIGHT_MANTISSA_BITS;
        return sign | ((e << WEIGHT_MANTISSA_BITS) | (mag & MANT_MASK)) as u16;
    }
    // mag = m · 2^s with m of 10 bits (512..=1023) before rounding.
    let mut s = (31 - mag.leading_zeros()) - WEIGHT_MANTISSA_BITS;
    let mut m = (mag + (1 << (s - 1))) >> s;
    if m == 2 * HIDDEN {
        m = HIDDEN;
        s += 1;
    }
    let e = s + 1;
    if e > WEIGHT_EXP_MAX {
        return sign | ((WEIGHT_EXP_MAX << WEIGHT_MANTISSA_BITS) | MANT_MASK) as u16;
    }
    sign | ((e << WEIGHT_MANTISSA_BITS) | (m & MANT_MASK)) as u16
}

/// The Q2.22 weight of `code` (its bits above [`WEIGHT_CODE_BITS`] are ignored).
pub fn decode(code: u16) -> i32 {
    let e = u32::from(code >> WEIGHT_MANTISSA_BITS) & 0xF;
    let f = u32::from(code) & MANT_MASK;
    let mag = if e == 0 { f } else { (HIDDEN | f) << (e - 1) } as i32;
    if code & WEIGHT_SIGN != 0 {
        -mag
    } else {
        mag
    }
}

/// The code of a weight in volts, or `None` when `volts` is not a Q2.22 voltage (see
/// [`crate::fixed::volts_range_error`]).
pub fn code_of_volts(volts: f64) -> Option<u16> {
    volts_to_q(volts).map(encode)
}

/// The Q2.22 weight every backend uses for a weight of `volts`: the nearest the code holds.
pub fn stored_q(volts: f64) -> Option<i32> {
    code_of_volts(volts).map(decode)
}

/// The weight every backend uses for `volts`, in volts (`volts` itself when out of range).
pub fn stored_volts(volts: f64) -> f64 {
    stored_q(volts).map_or(volts, q_to_volts)
}

/// The smallest weight the code holds to 10 significant bits: 2^-12 V.
pub const NORMAL_VOLTS: f64 = (2 * HIDDEN) as f64 / (1u32 << V_FRAC) as f64;

/// How far a set of weights moves when stored: what `memfire params` reports.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StoredError {
    /// Weights looked at, and how many the code holds exactly.
    pub weights: usize,
    pub exact: usize,
    /// The largest |stored − weight| (volts) and the weight it was found at.
    pub worst_volts: f64,
    pub worst_at: f64,
    /// The largest and the mean |stored − weight| / |weight| over weights of 2^-12 V or
    /// more (below, the error is absolute: at most 2^-23 V).
    pub worst_relative: f64,
    pub mean_relative: f64,
}

/// The storage error of `weights` (volts; those out of range are skipped: the network
/// refuses them).
pub fn stored_error(weights: impl IntoIterator<Item = f64>) -> StoredError {
    let mut e = StoredError::default();
    let (mut rel_sum, mut nonzero) = (0.0, 0usize);
    for w in weights {
        let Some(q) = stored_q(w) else { continue };
        let stored = q_to_volts(q);
        let err = (stored - w).abs();
        e.weights += 1;
        if err == 0.0 {
            e.exact += 1;
        }
        if err > e.worst_volts {
            e.worst_volts = err;
            e.worst_at = w;
        }
        if w.abs() >= NORMAL_VOLTS {
            let rel = err / w.abs();
            e.worst_relative = e.worst_relative.max(rel);
            rel_sum += rel;
            nonzero += 1;
        }
    }
    if nonzero > 0 {
        e.mean_relative = rel_sum / nonzero as f64;
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixed::{SAT_MAX, SAT_MIN};

    #[test]
    fn small_magnitudes_are_exact_and_codes_round_trip() {
        for q in -1023..=1023 {
            assert_eq!(decode(encode(q)), q, "q = {q}");
        }
        for code in 0..(1u16 << WEIGHT_CODE_BITS) {
            if code == WEIGHT_SIGN {
                continue; // −0 decodes to 0, which encodes as +0
            }
            assert_eq!(encode(decode(code)), code, "code {code:#06x}");
        }
    }

    #[test]
    fn every_weight_rounds_to_the_nearest_code_within_the_stated_error() {
        let mut rng = 0x1234_5678u64;
        for _ in 0..200_000 {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let q = (rng % (1 << 25)) as i64 - (1 << 24);
            let q = q.clamp(SAT_MIN, SAT_MAX) as i32;
            let got = decode(encode(q));
            let err = f64::from((got - q).abs());
            if q.unsigned_abs() >= 1024 && q.unsigned_abs() <= WEIGHT_MAG_MAX as u32 {
                assert!(
                    err <= WEIGHT_REL_ERROR * f64::from(q.unsigned_abs()),
                    "q = {q}, stored {got}"
                );
            }
            // No code is nearer than the one chosen.
            let c = encode(q);
            for n in [c.wrapping_sub(1), c.wrapping_add(1)] {
                if n & WEIGHT_SIGN == c & WEIGHT_SIGN && n < (1 << WEIGHT_CODE_BITS) {
                    assert!(
                        f64::from((decode(n) - q).abs()) >= err,
                        "q = {q}: {n:#x} nearer than {c:#x}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_storage_error_of_a_set_of_weights_is_measured() {
        let e = stored_error([0.0, 0.001953125, 0.1, -0.1, 3.9999, f64::NAN]);
        assert_eq!((e.weights, e.exact), (5, 2)); // 0 and 2^-9 V are exact
        assert!((e.worst_at - 3.9999).abs() < 1e-12 && e.worst_volts > 3e-3);
        assert!(e.worst_relative <= WEIGHT_REL_ERROR && e.mean_relative > 0.0);
    }

    #[test]
    fn the_largest_weights_saturate_and_keep_their_sign() {
        assert_eq!(decode(encode(SAT_MAX as i32)), WEIGHT_MAG_MAX);
        assert_eq!(decode(encode(SAT_MIN as i32)), -WEIGHT_MAG_MAX);
        assert!((stored_volts(3.9999) - 3.99609375).abs() < 1e-9);
        assert_eq!(stored_volts(-0.0), 0.0);
        assert_eq!(code_of_volts(f64::NAN), None);
    }
}
