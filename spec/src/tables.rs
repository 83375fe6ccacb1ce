//! The two look-up tables of the fixed-point datapath: the drive law `1/(alpha + |1 − x|)`
//! (1024 entries) and `sqrt` (256 entries), 18-bit unsigned words, so each fits one block
//! RAM (an ECP5 DP16KD holds 1024 × 18) and the host can rewrite them.

use crate::coefficient::MAX_SHIFT;
use crate::fixed::{round_shift, COEF_MANT_BITS, ONE_X, X_FRAC};

/// Entries in the square-root table.
pub const TABLE_ENTRIES: usize = 256;

/// Mantissa bits per segment of the drive table.
pub const DRIVE_MANT_BITS: u32 = 7;
/// Bins per segment of the drive table.
const BINS: u32 = 1 << DRIVE_MANT_BITS;
/// Entries in the drive table: 8 segments of 128 bins. 7 mantissa bits keep the worst
/// error near 0.3 % (5 bits, 256 entries, gave 1.5 % and visibly more spikes that the
/// f64 and fixed models disagreed on at the end of a pulse).
pub const DRIVE_ENTRIES: usize = 8 * BINS as usize;

/// Number of logarithmic segments of the drive table (by leading-zero count); the eighth
/// segment is linear and covers `|1 − x| < 2^-7`.
const LOG_SEGMENTS: u32 = 7;

/// Index into the drive table for `e = |1 − x|` in Q1.23 (values ≥ 1 are clamped below 1).
///
/// Segment `k < 7` holds `e ∈ [2^-(k+1), 2^-k)` (leading one at bit 22 − k) split into 128
/// bins by the next 7 bits; segment 7 holds `e < 2^-7` in 128 equal bins of 2^-14.
#[inline(always)]
pub fn drive_index(e: u32) -> usize {
    let e = e.min(ONE_X as u32 - 1); // 23-bit field
    let lz = e.leading_zeros() - 9; // leading zeros inside the 23-bit field, 0..=23
    let seg = lz.min(LOG_SEGMENTS); // 0..=7
    let log_bins = (e >> (15 - seg.min(LOG_SEGMENTS - 1))) & (BINS - 1); // 7 bits after the leading one
    let lin_bins = (e >> 9) & (BINS - 1); // segment 7: e < 2^16, 128 equal bins
    let mant = if lz < LOG_SEGMENTS { log_bins } else { lin_bins };
    ((seg * BINS + mant) as usize) & (DRIVE_ENTRIES - 1)
}

/// The range `[lo, hi)` of `e` (in Q1.23 LSBs) that drive-table entry `index` covers.
pub fn drive_bin(index: usize) -> (u32, u32) {
    let seg = (index / BINS as usize) as u32;
    let mant = (index % BINS as usize) as u32;
    if seg < LOG_SEGMENTS {
        let width = 1u32 << (15 - seg);
        let lo = (1u32 << (22 - seg)) + mant * width;
        (lo, lo + width)
    } else {
        let lo = mant << 9;
        (lo, lo + (1 << 9))
    }
}

/// `1/(alpha + e)` sampled at each bin's midpoint (which minimises the worst relative error
/// of a monotone reciprocal over the bin), as UQ(17 − shift).shift words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriveTable {
    /// Table words, each < 2^17.
    pub entries: [u32; DRIVE_ENTRIES],
    /// Fractional bits of the entries.
    pub shift: u32,
}

impl DriveTable {
    /// Build the table for `alpha` (validated to ≥ 1e-3, so the largest entry is ≤ 1000).
    pub fn new(alpha: f64) -> DriveTable {
        let ideal: Vec<f64> = (0..DRIVE_ENTRIES)
            .map(|i| {
                let (lo, hi) = drive_bin(i);
                let mid = (f64::from(lo) + f64::from(hi)) / 2.0 / f64::from(ONE_X);
                1.0 / (alpha + mid)
            })
            .collect();
        let max = ideal.iter().cloned().fold(0.0, f64::max);
        let limit = f64::from(1u32 << COEF_MANT_BITS);
        let mut shift = 0;
        while shift < MAX_SHIFT && (max * 2f64.powi(shift as i32 + 1) + 0.5).floor() < limit {
            shift += 1;
        }
        let mut entries = [0u32; DRIVE_ENTRIES];
        for (slot, v) in entries.iter_mut().zip(&ideal) {
            *slot = (v * 2f64.powi(shift as i32) + 0.5).floor() as u32;
        }
        DriveTable { entries, shift }
    }

    /// Largest relative error of the table against `1/(alpha + e)` over all `e ∈ [0, 1)`,
    /// checked at both ends of every bin.
    pub fn worst_relative_error(&self, alpha: f64) -> f64 {
        let scale = 2f64.powi(self.shift as i32);
        (0..DRIVE_ENTRIES)
            .flat_map(|i| {
                let (lo, hi) = drive_bin(i);
                let table = f64::from(self.entries[i]) / scale;
                [lo, hi - 1].map(move |e| {
                    let exact = 1.0 / (alpha + f64::from(e) / f64::from(ONE_X));
                    ((table - exact) / exact).abs()
                })
            })
            .fold(0.0, f64::max)
    }
}

/// Fractional bits of the square-root table words.
pub const SQRT_FRAC: u32 = 16;

/// `sqrt` table: entry `i` is `sqrt((i + 0.5) / 128)` in UQ1.16, for the normalised operand
/// `a' ∈ [2^22, 2^24)` whose top 8 bits are `i` (so only entries 64..256 are used).
pub fn sqrt_table() -> [u32; TABLE_ENTRIES] {
    let mut t = [0u32; TABLE_ENTRIES];
    for (i, slot) in t.iter_mut().enumerate() {
        let v = ((i as f64 + 0.5) / 128.0).sqrt();
        *slot = (v * f64::from(1u32 << SQRT_FRAC) + 0.5).floor() as u32;
    }
    t
}

/// The normalisation step of [`sqrt_q`]: for `a > 0`, the table index (`a << n >> 16`, in
/// 64..=255) and `n / 2`, where `n` is the even left shift that brings `min(a, 2^24 − 1)`
/// into `[2^22, 2^24)`. `None` for `a = 0`. The hardware computes this in one stage and
/// reads the table in the next.
#[inline(always)]
pub fn sqrt_normalize(a: u32) -> Option<(usize, u32)> {
    if a == 0 {
        return None;
    }
    let a = a.min((1 << 24) - 1);
    let n = (a.leading_zeros() - 8) & !1; // even, so the shift halves exactly
    Some((((a << n) >> 16) as usize, n / 2))
}

/// `sqrt(a)` for `a ≥ 0` in Q1.23 (below 2^24), result in Q1.23.
///
/// Normalise by an even left shift `n` so the operand lands in `[2^22, 2^24)`, look up its top
/// 8 bits, then undo half the shift: `sqrt(a) = table[a << n >> 16] · 2^7 >> n/2`.
#[inline(always)]
pub fn sqrt_q(table: &[u32; TABLE_ENTRIES], a: u32) -> i64 {
    match sqrt_normalize(a) {
        None => 0,
        // `index` < TABLE_ENTRIES (see `sqrt_normalize`); the mask says so to the compiler,
        // so the lookup has no bounds check and a loop over neurons vectorises.
        Some((index, half_shift)) => round_shift(
            i64::from(table[index & (TABLE_ENTRIES - 1)]) << (X_FRAC - SQRT_FRAC),
            half_shift,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drive_bins_tile_zero_to_one() {
        let mut bins: Vec<(u32, u32)> = (0..DRIVE_ENTRIES).map(drive_bin).collect();
        bins.sort_unstable();
        assert_eq!(bins[0].0, 0);
        assert_eq!(bins.last().map(|b| b.1), Some(ONE_X as u32));
        for w in bins.windows(2) {
            assert_eq!(w[0].1, w[1].0);
        }
        for i in 0..DRIVE_ENTRIES {
            let (lo, hi) = drive_bin(i);
            assert_eq!(drive_index(lo), i);
            assert_eq!(drive_index(hi - 1), i);
        }
        assert_eq!(drive_index(u32::MAX), drive_index(ONE_X as u32 - 1));
    }

    #[test]
    fn drive_table_error_is_below_half_a_percent() {
        let t = DriveTable::new(0.01);
        let err = t.worst_relative_error(0.01);
        assert!(err < 0.005, "worst error {err}");
        assert!(t.entries.iter().all(|&e| e < 1 << 17));
        let t = DriveTable::new(1e-3);
        assert!(t.entries.iter().all(|&e| e < 1 << 17));
    }

    #[test]
    fn sqrt_is_within_one_percent() {
        let t = sqrt_table();
        for k in 0..2000u32 {
            let a = 1 + k * 8191;
            let got = sqrt_q(&t, a) as f64 / f64::from(ONE_X);
            let exact = (f64::from(a) / f64::from(ONE_X)).sqrt();
            assert!(((got - exact) / exact).abs() < 0.01, "a={a} got={got} exact={exact}");
        }
        assert_eq!(sqrt_q(&t, 0), 0);
    }
}
